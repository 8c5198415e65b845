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
        [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.5, source="SSB", quality=2)],
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


def read_csv(fmt_file) -> list[dict[str, str]]:
    text = fmt_file.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_of_one_city_year_has_every_field_and_escapes_formulas(published):
    out, name, count = export_file("csv", export_scope(city="alesund", year=2024))
    assert name == "u4ssc-alesund-2024.csv" and count == 3
    raw = out.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Ålesund right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(FIELD_NAMES)
    by_kpi = {(r["kpi_code"], r["data_point"]): r for r in rows}
    ict = by_kpi[("EC: ICT: ICT: 1C", "")]
    assert ict["city_name"] == "Ålesund" and ict["year"] == "2024"
    assert float(ict["value"]) == pytest.approx(90.0)
    assert ict["numerator"] == "90.0" and ict["denominator"] == "100.0"
    assert ict["source"] == '\'=HYPERLINK("http://evil.example","click")'
    assert ict["verified"] == "true" and ict["verifier"] == "verifier-alesund-2024"
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
    assert len(data["values"]) == count == 4  # two published years of Ålesund
    assert {v["year"] for v in data["values"]} == {2023, 2024}
    source = next(v["source"] for v in data["values"] if v["kpi_code"] == "EC: ICT: ICT: 1C")
    assert source.startswith("=HYPERLINK")
    assert all(isinstance(v["is_synthetic"], bool) for v in data["values"])


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
    assert {r["city"] for r in rows} == {"alesund"} and len(rows) == count == 4
    assert resource["count"] == 4


def test_only_published_values_are_exported(published):
    _out, _name, count = export_file("csv", export_scope())
    assert count == 5  # Ålesund 2023 (1) + 2024 (3) + Linz 2024 (1); not Trondheim's draft
    out, _name, count = export_file("csv", export_scope(city="trondheim"))
    assert count == 0
    assert list(csv.reader(io.StringIO(out.read().decode("utf-8-sig")))) == [list(FIELD_NAMES)]


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
    with django_assert_num_queries(1):
        _out, _name, count = export_file("xlsx", scope)
    assert count == 4
