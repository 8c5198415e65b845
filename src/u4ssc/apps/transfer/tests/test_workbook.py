"""The data-collection workbook: made for a city-year, filled, uploaded, corrected."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import KPIValue
from u4ssc.apps.transfer.queries import stored_values
from u4ssc.apps.transfer.tests.conftest import run
from u4ssc.apps.transfer.workbook import FIRST_DATA_ROW, build_workbook
from u4ssc.core.catalogue import load_catalogue

pytestmark = pytest.mark.django_db


def download(city, year, path: Path) -> Path:
    with path.open("wb") as fh:
        build_workbook(
            city=city,
            year=year,
            values=stored_values(city, year),
            catalogue=load_catalogue(),
            stream=fh,
        )
    return path


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def row_of(ws, code: str, data_point: str = "") -> int:
    cols = columns(ws)
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if (
            ws.cell(r, cols["Code"]).value == code
            and (ws.cell(r, cols["Data point"]).value or "") == data_point
        ):
            return r
    raise LookupError(code)


def fill(path: Path, entries: dict[tuple[str, str], dict[str, object]]) -> Path:
    wb = load_workbook(path)
    ws = wb["Data"]
    cols = columns(ws)
    for (code, point), cells in entries.items():
        r = row_of(ws, code, point)
        for header, value in cells.items():
            ws.cell(r, cols[header]).value = value
    wb.save(path)
    return path


def test_the_workbook_has_the_shape_cities_know(world, tmp_path):
    path = download(world.city, 2024, tmp_path / "wb.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Data", "Lists", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_row=2, values_only=True)}
    assert meta["city"] == "alesund" and meta["year"] == 2024
    assert meta["catalogue_version"] == load_catalogue().version
    ws = wb["Data"]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["Code", "KPI"]
    for h in ("Status", "Numerator", "Denominator", "Value", "Source", "Data quality grade"):
        assert h in headers
    assert [c.value for c in ws[2]][:2] == ["Kode", "KPI (engelsk)"]  # Norwegian header row
    # one row per measurand of the catalogue
    n = sum(len(k.measurands()) for k in load_catalogue().kpis)
    assert ws.max_row == FIRST_DATA_ROW + n - 1
    # drop-downs for status and quality, header locked, entry cells open
    lists = {str(dv.formula1) for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert any("Lists!$A$2:$A$4" in f for f in lists)
    assert any("Lists!$B$2:$B$7" in f for f in lists)
    assert ws.protection.sheet
    assert ws["A1"].protection.locked
    cols = columns(ws)
    assert not ws.cell(FIRST_DATA_ROW, cols["Value"]).protection.locked
    assert ws.cell(FIRST_DATA_ROW, cols["Code"]).protection.locked
    assert wb["Lists"]["B2"].value.startswith("1 – Based on accurate measurements")
    pm25 = row_of(ws, "EN: EN: AQ: 1C", "PM2.5")
    assert ws.cell(pm25, cols["Unit"]).value == "µg/m³"


def test_download_fill_upload_with_an_error_fix_upload_again(world, officer, tmp_path):
    # given a workbook filled by the city, with text in a number cell
    path = download(world.city, 2024, tmp_path / "alesund-2024.xlsx")
    fill(
        path,
        {
            ("EC: ICT: ICT: 1C", ""): {
                "Numerator": 12345,
                "Denominator": "about 13000",
                "Source": "SSB",
                "Data quality grade": "2 – Reliable data with minor gaps / Pålitelige data",
            },
            ("EN: EN: AQ: 1C", "PM2.5"): {
                "Value": 6.5,
                "Source": "NILU",
                "Status": "Reported / Rapportert",
            },
            ("EC: ICT: ICT: 3C", ""): {"Status": "Not available / Ikke tilgjengelig"},
        },
    )
    # when it is uploaded
    _run, report = run(path, officer, city=world.city, year=2024)
    # then nothing is written and the report points at the cell
    assert report.outcome == "refused"
    [error] = report.errors
    ws = load_workbook(path)["Data"]
    r = row_of(ws, "EC: ICT: ICT: 1C")
    assert error.row == f"sheet Data, row {r}"
    assert (error.column, error.value) == ("Denominator", "about 13000")
    assert KPIValue.objects.count() == 0
    # when the city fixes the cell and uploads again
    fill(path, {("EC: ICT: ICT: 1C", ""): {"Denominator": 13000}})
    _run, report = run(path, officer, city=world.city, year=2024)
    # then
    assert report.outcome == "written", report.findings
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    values = {(v.kpi.code, v.data_point): v for v in KPIValue.objects.select_related("kpi")}
    assert values[("EC: ICT: ICT: 1C", "")].value == pytest.approx(12345 / 13000 * 100)
    assert values[("EC: ICT: ICT: 1C", "")].quality == 2
    assert values[("EN: EN: AQ: 1C", "pm2_5")].value == 6.5
    assert values[("EC: ICT: ICT: 3C", "")].status == "not_available"
    # and uploading the same workbook again changes nothing
    _run, report = run(path, officer, city=world.city, year=2024)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_a_downloaded_workbook_is_prefilled_and_comes_back_unchanged(world, officer, tmp_path):
    # given stored values, one with a source that looks like a formula
    apply_entries(
        actor=officer,
        channel="form",
        inputs=[
            ValueInput(
                world.city.id,
                2024,
                "EC: ICT: ICT: 1C",
                numerator=90,
                denominator=100,
                source="=SUM(A1:A2) survey",
                quality=3,
            ),
            ValueInput(
                world.city.id,
                2024,
                "EN: EN: AQ: 2C",
                value=3.25,
                source="SSB",
                notes="+ includes shipping",
            ),
            ValueInput(
                world.city.id, 2024, "EC: ICT: ICT: 4C", data_point="4g", status="not_applicable"
            ),
        ],
    )
    path = download(world.city, 2024, tmp_path / "prefilled.xlsx")
    # then the workbook shows them (text kept as text, never as a formula)
    wb = load_workbook(path)
    ws = wb["Data"]
    cols = columns(ws)
    r = row_of(ws, "EC: ICT: ICT: 1C")
    assert ws.cell(r, cols["Numerator"]).value == 90
    source = ws.cell(r, cols["Source"])
    assert source.value == "=SUM(A1:A2) survey" and source.data_type == "s" and source.quotePrefix
    assert ws.cell(r, cols["Data quality grade"]).value.startswith("3 –")
    # when it is uploaded untouched
    _run, report = run(path, officer, city=world.city, year=2024)
    # then
    assert report.outcome == "written", report.findings
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_a_workbook_of_another_city_is_refused_on_this_city_page(world, officer, tmp_path):
    path = download(world.sister, 2024, tmp_path / "trondheim.xlsx")
    fill(path, {("EN: EN: AQ: 2C", ""): {"Value": 3}})
    _run, report = run(path, officer, city=world.city, year=2024)
    assert report.outcome == "refused"
    assert report.errors[0].code == "wrong_city" and "Trondheim" in report.errors[0].message


def test_a_workbook_says_its_city_so_the_officer_of_another_city_is_refused(
    world, officer, tmp_path
):
    path = download(world.sister, 2024, tmp_path / "trondheim.xlsx")
    fill(path, {("EN: EN: AQ: 2C", ""): {"Value": 3}})
    _run, report = run(path, officer)  # from the general import page or the API
    assert report.outcome == "refused"
    assert report.errors[0].code == "forbidden"


GHG = "EN: EN: AQ: 2C"  # entered as one value


def _save(officer, city, value, version=None, code=GHG):
    result = apply_entries(
        actor=officer,
        channel="form",
        inputs=[
            ValueInput(city.id, 2024, code, value=value, source="SSB", expected_version=version)
        ],
    )
    assert result.ok, result.problems


def test_an_old_workbook_does_not_undo_a_change_made_after_it(world, officer, tmp_path):
    # given a value of 10, a workbook downloaded then, and the value changed to 20 after
    _save(officer, world.city, 10)
    path = download(world.city, 2024, tmp_path / "old.xlsx")
    _save(officer, world.city, 20, version=1)
    # and the city fills another row of the old workbook
    fill(path, {("EC: ICT: ICT: 1C", ""): {"Numerator": 90, "Denominator": 100, "Source": "SSB"}})
    # when the old workbook is uploaded
    _run, report = run(path, officer, city=world.city, year=2024)
    # then it is refused at the row whose value changed since, saying who changed it to what
    assert report.outcome == "refused"
    [error] = report.errors
    ws = load_workbook(path)["Data"]
    assert error.code == "stale" and error.row == f"sheet Data, row {row_of(ws, GHG)}"
    assert "changed by officer on" in error.message and "it is now 20" in error.message
    assert "version 2" in error.message and "made from version 1" in error.message
    assert KPIValue.objects.get(kpi__code=GHG).value == 20
    # and the refusal still says what the rest of the file would do
    assert (report.would_create, report.would_update, report.would_be_unchanged) == (1, 0, 0)
    # when the city clears that row and uploads again
    fill(path, {(GHG, ""): {"Value": None, "Source": None, "Status": None}})
    _run, report = run(path, officer, city=world.city, year=2024)
    # then the other row is written and the later change stays
    assert report.outcome == "written", report.findings
    assert (report.created, report.updated) == (1, 0)
    assert KPIValue.objects.get(kpi__code=GHG).value == 20


def test_an_old_workbook_row_equal_to_the_stored_value_is_fine(world, officer, tmp_path):
    _save(officer, world.city, 10)
    path = download(world.city, 2024, tmp_path / "old.xlsx")
    _save(officer, world.city, 20, version=1)
    # the city typed the same change into its copy
    fill(path, {(GHG, ""): {"Value": 20}})
    _run, report = run(path, officer, city=world.city, year=2024)
    assert report.outcome == "written", report.findings
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_a_value_entered_after_the_workbook_was_made_is_not_overwritten(world, officer, tmp_path):
    # given a workbook made while the value was empty (version 0)
    path = download(world.city, 2024, tmp_path / "empty.xlsx")
    ws = load_workbook(path)["Data"]
    version_column = ws.cell(1, columns(ws)["Version (do not change)"]).column_letter
    assert ws.column_dimensions[version_column].hidden
    _save(officer, world.city, 20)
    fill(path, {(GHG, ""): {"Value": 10, "Source": "SSB"}})
    _run, report = run(path, officer, city=world.city, year=2024)
    assert report.outcome == "refused" and report.errors[0].code == "stale"
    assert KPIValue.objects.get(kpi__code=GHG).value == 20


def test_a_workbook_of_synthetic_values_says_so_on_its_first_sheet(world, tmp_path):
    apply_entries(
        actor=world.user("admin"),
        inputs=[
            ValueInput(world.city.id, 2024, "EN: EN: AQ: 2C", value=2.0, is_synthetic=True),
        ],
        channel="form",
        check_permission=False,
    )
    sheet = load_workbook(download(world.city, 2024, tmp_path / "wb.xlsx"))["Instructions"]
    texts = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert any(str(t).startswith("SYNTHETIC DATA:") for t in texts)
    assert any(str(t).startswith("SYNTETISKE DATA:") for t in texts)


def test_a_workbook_of_real_values_has_no_synthetic_notice(world, tmp_path):
    sheet = load_workbook(download(world.city, 2024, tmp_path / "wb.xlsx"))["Instructions"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert not any("SYNTHETIC" in t or "SYNTETISKE" in t for t in texts)
