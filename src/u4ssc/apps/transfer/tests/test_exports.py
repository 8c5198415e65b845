"""Exports of published data: CSV, xlsx, JSON and a Frictionless Data Package."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.transfer.exports import FIELD_NAMES, export_file
from u4ssc.apps.transfer.queries import ScopeError, export_scope
from u4ssc.apps.transfer.tests.conftest import publish

pytestmark = pytest.mark.django_db

ATTRIBUTION = (
    "This data was collected in partnership by CDP and ICLEI - Local Governments for Sustainability"
)


@pytest.fixture
def published(world):
    """Ålesund 2023 and 2024 and Linz 2024 published; Trondheim 2024 only in draft."""
    publish(
        world,
        world.city,
        2023,
        [
            ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.5, source="SSB", quality=2),
            ValueInput(
                0,
                0,
                "EC: ICT: ICT: 1C",
                status="not_available",
                source="Nkom",
                notes="Nkom stopped counting households in 2022",
            ),
            ValueInput(0, 0, "EN: EN: AQ: 1C", data_point="pm2_5", status="not_applicable"),
        ],
    )
    publish(
        world,
        world.city,
        2024,
        [
            ValueInput(
                0,
                0,
                "EC: ICT: ICT: 1C",
                numerator=90,
                denominator=100,
                source='=HYPERLINK("http://evil.example","click")',
                quality=1,
            ),
            ValueInput(
                0, 0, "EN: EN: AQ: 2C", value=3.25, source=f"CDP 2019. {ATTRIBUTION}", quality=3
            ),
            ValueInput(
                0, 0, "EN: EN: AQ: 1C", data_point="pm2_5", value=6.1, source="@NILU", quality=2
            ),
        ],
    )
    publish(
        world,
        world.foreign,
        2024,
        [ValueInput(0, 0, "EN: EN: AQ: 2C", value=7.0, source="-", is_synthetic=True)],
    )
    draft = apply_entries(
        actor=world.user("admin"),
        inputs=[ValueInput(world.sister.id, 2024, "EN: EN: AQ: 2C", value=2.0, source="x")],
        channel="form",
        check_permission=False,
    )
    assert draft.ok
    return world


def split_csv(raw: bytes) -> list[dict[str, str]]:
    """A CSV export's rows; its header is the first line, as every CSV reader expects."""
    text = raw.decode("utf-8-sig")
    assert text.startswith("city,city_name,")
    return list(csv.DictReader(io.StringIO(text)))


def read_csv(fmt_file) -> list[dict[str, str]]:
    return split_csv(fmt_file.read())


def test_csv_of_one_city_year_has_every_field_and_escapes_formulas(published):
    out, name, count = export_file("csv", export_scope(city="alesund", year=2024))
    assert name == "u4ssc-alesund-2024.csv" and count == 3
    raw = out.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Ålesund right
    rows = split_csv(raw)
    assert list(rows[0]) == list(FIELD_NAMES)
    by_kpi = {(r["kpi_code"], r["data_point"]): r for r in rows}
    ict = by_kpi[("EC: ICT: ICT: 1C", "")]
    assert ict["city_name"] == "Ålesund" and ict["year"] == "2024"
    assert float(ict["value"]) == pytest.approx(90.0)
    assert ict["numerator"] == "90.0" and ict["denominator"] == "100.0"
    assert ict["source"] == '\'=HYPERLINK("http://evil.example","click")'
    assert ict["verified"] == "true" and ict["verifier"] == "verifier-alesund-2024"
    assert ict["submitted_by"] == "officer-alesund-2024" and ict["submitted_at"].endswith("Z")
    assert ict["attestation"] == "Checked sources." and ict["status"] == "reported"
    assert ict["verified_at"].endswith("Z") and ict["published_at"].endswith("Z")
    assert ict["data_quality"] == "1" and ict["is_synthetic"] == "false"
    pm = by_kpi[("EN: EN: AQ: 1C", "pm2_5")]
    assert pm["source"] == "'@NILU"


def test_xlsx_escapes_formulas_and_keeps_numbers(published):
    out, _name, count = export_file("xlsx", export_scope(city="alesund", year=2024))
    wb = load_workbook(out)
    assert wb.sheetnames == ["Data", "About"]
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert tuple(header) == FIELD_NAMES
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == count == 3
    for row in rows:
        for cell in ws[2]:
            assert cell.data_type != "f"  # no formula anywhere
        assert not str(row["source"]).startswith(("=", "+", "-", "@"))
    ict = next(r for r in rows if r["kpi_code"] == "EC: ICT: ICT: 1C")
    assert ict["value"] == pytest.approx(90.0) and isinstance(ict["value"], int | float)
    assert ict["source"].startswith("'=HYPERLINK")
    about = [r for r in wb["About"].iter_rows(values_only=True)]
    assert any(r and r[0] == "Attribution" and r[1] and ATTRIBUTION in r[1] for r in about)


def test_json_keeps_text_as_it_is_and_says_the_licence(published):
    out, _name, count = export_file("json", export_scope(city="alesund"))
    data = json.loads(out.read())
    assert data["licence"]["name"] == "CC-BY-4.0"
    assert [f["name"] for f in data["fields"]] == list(FIELD_NAMES)
    assert len(data["values"]) == count == 6  # two published years of Ålesund
    assert {v["year"] for v in data["values"]} == {2023, 2024}
    source = next(
        v["source"]
        for v in data["values"]
        if v["kpi_code"] == "EC: ICT: ICT: 1C" and v["year"] == 2024
    )
    assert source.startswith("=HYPERLINK")
    assert all(isinstance(v["is_synthetic"], bool) for v in data["values"])
    assert data["has_synthetic"] is False and data["platform"].startswith("U4SSC")
    na = next(v for v in data["values"] if v["status"] == "not_available")
    assert na["value"] is None and na["notes"] == "Nkom stopped counting households in 2022"


def test_datapackage_has_a_table_schema_for_every_field(published):
    out, name, count = export_file(
        "datapackage", export_scope(group="national-u4ssc-programme-norway")
    )
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(out)
    assert set(archive.namelist()) == {"datapackage.json", "data/kpi-values.csv"}
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert any(s.get("attribution") == ATTRIBUTION for s in package["sources"])
    [resource] = package["resources"]
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == list(FIELD_NAMES)
    assert all(f["description"] and f["type"] for f in fields)
    types = {f["name"]: f["type"] for f in fields}
    assert types["value"] == "number" and types["year"] == "integer"
    assert types["is_synthetic"] == "boolean" and types["verified_at"] == "datetime"
    assert resource["schema"]["primaryKey"] == ["city", "year", "kpi_code", "data_point"]
    rows = list(csv.DictReader(io.StringIO(archive.read("data/kpi-values.csv").decode("utf-8"))))
    assert not archive.read("data/kpi-values.csv").startswith(b"\xef\xbb\xbf")
    # the national programme's published values: Ålesund's (Trondheim is only a draft)
    assert {r["city"] for r in rows} == {"alesund"} and len(rows) == count == 6
    assert resource["count"] == 6
    status = next(f for f in fields if f["name"] == "status")
    assert status["constraints"]["enum"] == ["reported", "not_available", "not_applicable"]
    assert package["u4ssc:has_synthetic"] is False


def test_only_published_values_are_exported(published):
    _out, _name, count = export_file("csv", export_scope())
    assert count == 7  # Ålesund 2023 (3) + 2024 (3) + Linz 2024 (1); not Trondheim's draft
    out, _name, count = export_file("csv", export_scope(city="trondheim"))
    assert count == 0
    lines = out.read().decode("utf-8-sig").splitlines()
    assert list(csv.reader(lines)) == [list(FIELD_NAMES)]


def test_a_programme_export_covers_its_hubs_cities(published):
    out, _name, count = export_file("csv", export_scope(group=published.programme.slug, year=2024))
    rows = read_csv(out)
    assert {r["city"] for r in rows} == {"alesund", "linz"} and count == 4
    linz = next(r for r in rows if r["city"] == "linz")
    assert linz["source"] == "'-" and linz["is_synthetic"] == "true"


def test_unknown_scopes_are_errors(published):
    with pytest.raises(ScopeError):
        export_scope(city="atlantis")
    with pytest.raises(ScopeError):
        export_scope(group="alesund")  # a city is not a group


def test_an_export_reads_the_values_in_one_query(published, django_assert_num_queries):
    scope = export_scope(city="alesund")
    # the rows in one query, and two for the file as a whole (synthetic? who submitted?)
    with django_assert_num_queries(3):
        _out, _name, count = export_file("xlsx", scope)
    assert count == 6


def test_unavailable_values_are_exported_as_such_with_their_notes(published):
    """Not available / not applicable rows are neither dropped nor blank numbers."""
    out, _name, count = export_file("csv", export_scope(city="alesund", year=2023))
    rows = read_csv(out)
    assert count == len(rows) == 3
    by_status = {r["status"]: r for r in rows}
    assert set(by_status) == {"reported", "not_available", "not_applicable"}
    na = by_status["not_available"]
    assert na["kpi_code"] == "EC: ICT: ICT: 1C" and na["value"] == ""
    assert na["notes"] == "Nkom stopped counting households in 2022" and na["source"] == "Nkom"
    assert by_status["not_applicable"]["data_point"] == "pm2_5"
    assert by_status["reported"]["value"] == "3.5"

    wb = load_workbook(export_file("xlsx", export_scope(city="alesund", year=2023))[0])
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    data = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    na = next(r for r in data if r["status"] == "not_available")
    assert na["value"] is None and na["notes"].startswith("Nkom stopped")
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert "not_available" in about and "not_applicable" in about


def test_a_file_with_synthetic_rows_says_so_at_the_top(published):
    """Linz 2024 is synthetic: every file's name, the xlsx About sheet, the JSON head and
    the Data Package say so, besides each row's mark (the CSV stays plain)."""
    scope = export_scope(city="linz")
    out, name, _count = export_file("csv", scope)
    assert name == "u4ssc-linz-synthetic.csv"
    rows = split_csv(out.read())
    assert [r["is_synthetic"] for r in rows] == ["true"]
    assert export_file("xlsx", scope)[1] == "u4ssc-linz-synthetic.xlsx"

    wb = load_workbook(export_file("xlsx", scope)[0])
    about = list(wb["About"].iter_rows(values_only=True))
    assert about[1][0] == "Synthetic" and about[1][1].startswith("SYNTHETIC DATA:")

    data = json.loads(export_file("json", scope)[0].read())
    assert data["has_synthetic"] is True and data["notice"].startswith("SYNTHETIC")

    archive = zipfile.ZipFile(export_file("datapackage", scope)[0])
    package = json.loads(archive.read("datapackage.json"))
    assert package["u4ssc:has_synthetic"] is True
    assert package["description"].startswith("SYNTHETIC DATA:")
    # the Data Package's CSV stays plain: its header is the first line
    assert archive.read("data/kpi-values.csv").decode().startswith("city,city_name,")


def test_the_xlsx_about_sheet_names_the_platform_and_licence(published):
    wb = load_workbook(export_file("xlsx", export_scope(city="alesund", year=2024))[0])
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert about["Platform"].startswith("U4SSC Implementation Programme platform v")
    assert "Creative Commons Attribution 4.0" in about["Licence"]
    assert about["Synthetic"].startswith("Synthetic data: none")
