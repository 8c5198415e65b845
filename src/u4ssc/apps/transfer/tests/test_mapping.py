"""Mapped third-party tables, proven on the real CDP city-wide emissions files."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from u4ssc.apps.evaluations.models import KPIValue
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer.actions import builtin_profile_documents, save_profile
from u4ssc.apps.transfer.mapping import MappingError, parse_mapping
from u4ssc.apps.transfer.models import ImportProfile
from u4ssc.apps.transfer.parsing import CellError, normalise_header, read_year
from u4ssc.apps.transfer.tests.conftest import run, write_csv
from u4ssc.conftest import make_org
from u4ssc.core.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[5]
CDP = ROOT.parent / "shared" / "data" / "cdp-citywide-emissions"
ATTRIBUTION = (
    "This data was collected in partnership by CDP and ICLEI - Local Governments for Sustainability"
)
GHG = "EN: EN: AQ: 2C"

needs_cdp = pytest.mark.skipif(not CDP.is_dir(), reason="shared CDP data not beside the repo")


@pytest.mark.parametrize(
    ("raw", "take", "year"),
    [
        ("2013-07-01 - 2014-06-30", "end", 2014),
        ("2013-07-01 - 2014-06-30", "start", 2013),
        ("12/31/2013 12:00:00 AM", "end", 2013),
        ("2016-01-01 -", "end", 2016),
        ("2015", "end", 2015),
        (2014, "end", 2014),
        (2014.0, "end", 2014),
        ("", "end", None),
    ],
)
def test_years_are_read_from_plain_years_dates_and_periods(raw, take, year):
    assert read_year(raw, take) == year


@pytest.mark.parametrize("raw", ["soon", "1850", 2014.5])
def test_unreadable_years_say_what_was_expected(raw):
    with pytest.raises(CellError) as exc:
        read_year(raw)
    assert exc.value.expected


def test_headers_are_compared_without_invisible_characters():
    assert normalise_header("\u200bLand area (in square km)") == "land area (in square km)"
    assert normalise_header("Population\u00a0 ") == "population"
    assert normalise_header("Scopes  Included ") == "scopes included"


def test_the_shipped_profiles_are_valid_and_installed_after_migrate(db):
    docs = builtin_profile_documents()
    assert [d["slug"] for d in docs] == [f"cdp-citywide-emissions-{y}" for y in range(2016, 2020)]
    for doc in docs:
        parse_mapping(doc["mapping"], load_catalogue())
        assert ATTRIBUTION in doc["mapping"]["values"][0]["source"]
    assert set(ImportProfile.objects.filter(builtin=True).values_list("slug", flat=True)) == {
        d["slug"] for d in docs
    }


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda m: m.pop("city"), '"city"'),
        (lambda m: m.update(unknown_city="ignore"), "unknown_city"),
        (lambda m: m.update(on_blank="zero"), "on_blank"),
        (lambda m: m["values"][0].update(kpi="XX: 1C"), "Unknown KPI code"),
        (lambda m: m["values"][0].pop("denominator"), "numerator and a denominator"),
        (lambda m: m["values"][0].update(numerator={"colum": "x"}), "column, sum, first"),
        (lambda m: m["values"][0].update(quality=9), "quality"),
        (lambda m: m["year"].update(take="middle"), "start or end"),
    ],
)
def test_a_malformed_mapping_is_rejected_with_a_reason(change, complaint):
    mapping = copy.deepcopy(builtin_profile_documents()[0]["mapping"])
    change(mapping)
    with pytest.raises(MappingError, match=complaint):
        parse_mapping(mapping, load_catalogue())


@pytest.fixture
def nordic(world):
    """Cities of the platform that report to CDP (Trondheim is in the world already)."""
    make_org(OrgKind.CITY, "Oslo", country_code="NO")
    make_org(OrgKind.CITY, "Baerum", country_code="NO")  # CDP writes Bærum
    make_org(OrgKind.CITY, "Arendal", country_code="NO")
    Organisation.objects.create(kind=OrgKind.CITY, name="Oslo", slug="oslo-us", country_code="US")
    return world


def values_by_city_year():
    return {
        (v.evaluation.city.slug, v.evaluation.year): v
        for v in KPIValue.objects.filter(kpi__code=GHG).select_related("evaluation__city")
    }


@needs_cdp
def test_cdp_2019_imports_ghg_per_capita_for_the_platform_cities(nordic, tmp_path):
    # given the real 2019 file and its shipped profile
    profile = ImportProfile.objects.get(slug="cdp-citywide-emissions-2019")
    # when an operator imports it
    run_, report = run(
        CDP / "2019_City-wide_Emissions.csv",
        None,
        profile=profile,
        channel="cli",
        check_permission=False,
    )
    # then
    assert report.outcome == "written", report.errors
    values = values_by_city_year()
    trondheim = values[("trondheim", 2017)]
    # no BASIC total: the direct and indirect emissions excluding grid-energy generation
    assert trondheim.numerator == 350478 and trondheim.denominator == 196000
    assert trondheim.value == pytest.approx(350478 / 196000)
    assert trondheim.unit == "tCO2e/capita"
    assert ATTRIBUTION in trondheim.source and "account 54488" in trondheim.source
    assert "Accounting year 2017-01-01 - 2017-12-31" in trondheim.notes
    assert "population of 2019" in trondheim.notes
    assert values[("oslo", 2017)].value == pytest.approx(791886 / 673469)
    assert values[("arendal", 2017)].value == pytest.approx(1314864 / 44785)
    assert ("baerum", 2017) not in values  # Bærum reported no figures in 2019
    assert ("oslo-us", 2017) not in values
    # every other row is listed as skipped, as information
    assert report.skipped == report.rows - 3
    skipped = {f.value for f in report.infos if f.code == "unknown_city"}
    assert "Copenhagen" in skipped
    assert any(f.code == "blank_value" and "Baerum" in f.message for f in report.infos)
    assert run_.profile == profile and run_.kind == "profile"
    # and importing it again changes nothing
    _run, again = run(
        CDP / "2019_City-wide_Emissions.csv",
        None,
        profile=profile,
        channel="cli",
        check_permission=False,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@needs_cdp
@pytest.mark.parametrize(
    ("year", "file_name", "expected"),
    [
        (2016, "2016_-_Citywide_GHG_Emissions.csv", {("oslo", 2013): 1340422 / 658390}),
        (
            2017,
            "2017_-_Cities_Community_Wide_Emissions.csv",
            # Oslo wrote its total in thousands of tonnes that year: the value is what the
            # file says; the year-on-year check warns when an earlier year is stored.
            {("oslo", 2015): 1233 / 658390, ("baerum", 2015): 227962 / 122660},
        ),
        (
            2018,
            "2018_City-wide_Emissions.csv",
            {
                ("oslo", 2016): 1125349 / 673469,  # BASIC "Not Applicable": Scope 1 (+ 2)
                ("baerum", 2016): 232468 / 125708,
                ("arendal", 2016): 167179 / 44630,
            },
        ),
    ],
)
def test_each_cdp_year_reads_through_its_own_profile(nordic, year, file_name, expected):
    profile = ImportProfile.objects.get(slug=f"cdp-citywide-emissions-{year}")
    _run, report = run(CDP / file_name, None, profile=profile, check_permission=False)
    assert report.outcome == "written", report.errors
    values = values_by_city_year()
    assert {k: v.value for k, v in values.items()} == pytest.approx(expected)


@needs_cdp
def test_a_city_officer_imports_the_cdp_rows_of_their_city_only(nordic, tmp_path):
    # The officer of Trondheim uploads the whole national table on Trondheim's page.
    from u4ssc.apps.accounts.models import Role
    from u4ssc.conftest import make_user

    officer = make_user("trondheim-officer", (Role.CITY_OFFICER, nordic.sister))
    profile = ImportProfile.objects.get(slug="cdp-citywide-emissions-2019")
    _run, report = run(
        CDP / "2019_City-wide_Emissions.csv", officer, profile=profile, city=nordic.sister
    )
    assert report.outcome == "written", report.errors
    assert set(values_by_city_year()) == {("trondheim", 2017)}
    assert any(f.code == "other_city" and "Oslo" in f.message for f in report.infos)


@needs_cdp
def test_a_profile_for_another_file_says_which_columns_are_missing(nordic):
    profile = ImportProfile.objects.get(slug="cdp-citywide-emissions-2016")
    _run, report = run(
        CDP / "2019_City-wide_Emissions.csv", None, profile=profile, check_permission=False
    )
    [error] = report.errors
    assert error.code == "missing_columns"
    assert "Current Population" in error.message and "right profile" in error.message


def test_unknown_city_error_makes_each_unknown_city_an_error(world, tmp_path):
    # given a saved profile that insists on known cities, and headers with hidden characters
    mapping = {
        "version": 1,
        "format": "csv",
        "city": {"name": "Municipality", "country": "Country"},
        "year": {"column": "Period", "take": "end"},
        "unknown_city": "error",
        "values": [
            {
                "kpi": GHG,
                "numerator": {"column": "Emissions (kt)", "scale": 1000},
                "denominator": "Inhabitants",
                "source": "Miljødirektoratet, {file}",
            }
        ],
    }
    profile = save_profile(actor=None, name="Norwegian emissions", mapping=mapping)
    path = write_csv(
        tmp_path / "utslipp.csv",
        [
            ["\u200bMunicipality", "Country\u00a0", "Period", "Emissions (kt)", "Inhabitants"],
            ["Ålesund", "Norway", "2021-07-01 - 2022-06-30", "250", "67000"],
            ["Molde", "Norway", "2022", "100", "32000"],
            ["TRONDHEIM", "NO", "2022", "n/a", "212000"],
        ],
    )
    # when
    _run, report = run(path, None, profile=profile, check_permission=False)
    # then
    assert report.outcome == "refused"
    errors = {(e.row, e.column): e for e in report.errors}
    assert errors[("row 3", "Municipality")].value == "Molde"
    assert errors[("row 4", "Emissions (kt)")].value == "n/a"  # n/a is not a blank here
    assert KPIValue.objects.count() == 0
    # when the table is corrected
    path = write_csv(
        tmp_path / "utslipp.csv",
        [
            ["\u200bMunicipality", "Country\u00a0", "Period", "Emissions (kt)", "Inhabitants"],
            ["Ålesund", "Norway", "2021-07-01 - 2022-06-30", "250", "67000"],
        ],
    )
    _run, report = run(path, None, profile=profile, check_permission=False)
    assert report.outcome == "written", report.errors
    value = KPIValue.objects.get()
    assert value.evaluation.year == 2022 and value.numerator == 250_000
    assert value.source == "Miljødirektoratet, utslipp.csv"


def test_a_profile_reads_a_workbook_and_marks_blanks_not_available(world, tmp_path):
    from openpyxl import Workbook

    mapping = {
        "version": 1,
        "format": "xlsx",
        "sheet": "Kommuner",
        "header_row": 2,
        "city": {"name": "Kommune"},
        "year": {"column": "År"},
        "blank_values": ["-"],
        "on_blank": "not_available",
        "values": [
            {"kpi": GHG, "value": "Utslipp per innbygger", "source": "SSB {file}"},
            {"kpi": "EN: EN: AQ: 1C", "data_point": "PM2.5", "value": "PM2,5", "source": "NILU"},
        ],
    }
    profile = save_profile(actor=None, name="Kommunetall", mapping=mapping)
    wb = Workbook()
    ws = wb.active
    ws.title = "Kommuner"
    ws.append(["Statistikk for kommunene"])  # a title row above the header
    ws.append(["Kommune", "År", "Utslipp per innbygger", "PM2,5"])
    ws.append(["Ålesund", 2023, 3.4, "-"])
    ws.append(["Trondheim", 2023, "3,1", 7.5])
    path = tmp_path / "kommuner.xlsx"
    wb.save(path)

    _run, report = run(path, None, profile=profile, check_permission=False)

    assert report.outcome == "written", report.errors
    values = {
        (v.evaluation.city.slug, v.kpi.code, v.data_point): v
        for v in KPIValue.objects.select_related("evaluation__city", "kpi")
    }
    assert values[("alesund", GHG, "")].value == 3.4
    assert values[("alesund", GHG, "")].source == "SSB kommuner.xlsx"
    assert values[("alesund", "EN: EN: AQ: 1C", "pm2_5")].status == "not_available"
    assert values[("trondheim", GHG, "")].value == pytest.approx(3.1)
    assert values[("trondheim", "EN: EN: AQ: 1C", "pm2_5")].value == 7.5
    assert report.rows == 2 and report.values == 4
