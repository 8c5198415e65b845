"""Issue 2's whole data-gathering cycle in a real browser, as the people involved do it.

``test_data_cycle.py`` runs the same cycle through Django's test client; this one clicks
through the pages in Chromium: the workbook is downloaded and filled as a file, the
report is read as text, the review is recorded with the page's own buttons, and the
published values are read back through the API, the CSV export and the public page.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State
from u4ssc.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNET = "EC: ICT: ICT: 1C"
BROADBAND = "EC: ICT: ICT: 2C"


def _fill(path: Path, values: dict[str, dict[str, Any]]) -> None:
    """Fill the workbook's Data sheet by column heading, as a city officer would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    col = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=3):
        code = row[col["Code"] - 1].value
        for name, value in values.get(code, {}).items():
            ws.cell(row=row[0].row, column=col[name], value=value)
    wb.save(path)


def _upload(page: Any, path: Path) -> str:
    page.get_by_role("link", name="Upload a filled workbook or CSV").click()
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/import-reports/*/")
    return page.locator("main").inner_text()


def _as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _review_row(page: Any, code: str) -> Any:
    return page.locator("main tr", has=page.get_by_role("button", name="Record")).filter(
        has_text=code
    )


def test_workbook_to_published_open_data_in_the_browser(page, world, tmp_path):
    Evaluation.objects.create(city=world.city, year=2025)
    sheet = f"/data/{world.city.slug}/2025/"

    # The officer downloads the data-collection workbook from the data sheet ...
    login(page, "officer")
    page.goto(sheet)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data-collection workbook").click()
    workbook = tmp_path / download.value.suggested_filename
    download.value.save_as(workbook)
    assert workbook.suffix == ".xlsx"

    # ... fills two KPIs, one with text in a number cell, and uploads it.
    filled: dict[str, dict[str, Any]] = {
        INTERNET: {"Numerator": 27_000, "Denominator": 29_000, "Source": "SSB 11000"},
        BROADBAND: {"Numerator": "twenty thousand", "Denominator": 29_000, "Source": "Nkom"},
    }
    _fill(workbook, filled)
    report = _upload(page, workbook)
    # the report says where and what, and nothing was written
    assert "Refused, nothing written" in report
    assert "Numerator" in report and "twenty thousand" in report and "holds text" in report
    assert KPIValue.objects.count() == 0

    # The officer fixes the cell, uploads again, and submits.
    page.get_by_role("link", name="Fix the file and upload it again").click()
    page.goto(sheet)
    filled[BROADBAND]["Numerator"] = 20_000
    _fill(workbook, filled)
    report = _upload(page, workbook)
    assert "Imported 2 rows: 2 new" in report
    page.goto(sheet)
    page.get_by_role("button", name="Submit for verification").click()
    page.wait_for_load_state()
    assert Evaluation.objects.get(city=world.city, year=2025).state == State.SUBMITTED

    # The verifier starts the review, returns broadband with a comment, accepts Internet,
    # and returns the year to the city.
    _as(page, "verifier")
    page.goto(sheet)
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url("**/review/")
    row = _review_row(page, BROADBAND)
    row.get_by_label("Return").check()
    row.get_by_label("Comment").fill("Count subscriptions at 31 December (SSB 11000)")
    row.get_by_role("button", name="Record").click()
    expect(_review_row(page, BROADBAND)).to_contain_text("Returned")
    row = _review_row(page, INTERNET)
    row.get_by_label("Accept").check()
    row.get_by_role("button", name="Record").click()
    expect(_review_row(page, INTERNET)).to_contain_text("Accepted")
    page.reload()
    assert "1 accepted, 1 returned, 0 not yet reviewed" in page.locator("main").inner_text()
    back = page.locator("form", has=page.get_by_role("button", name="Return for correction"))
    back.get_by_label("Comment").fill("One value to correct")
    back.get_by_role("button", name="Return for correction").click()
    page.wait_for_load_state()
    assert Evaluation.objects.get(city=world.city, year=2025).state == State.RETURNED

    # The officer reads the comment on the row, corrects the figure with a reason, and
    # submits again.
    _as(page, "officer")
    page.goto(sheet)
    broadband = page.locator(".kpi-row", has_text=BROADBAND).first
    assert "Count subscriptions at 31 December" in broadband.inner_text()
    broadband.get_by_label("Fixed broadband subscriptions (>= 256 kbit/s)").fill("24000")
    broadband.get_by_label("Why this change").fill("At 31 December, as the verifier asked")
    broadband.get_by_role("button", name="Save").click()
    page.locator(".kpi-row", has_text=BROADBAND).first.get_by_text("Saved.").wait_for()
    page.get_by_role("button", name="Submit for verification").click()
    page.wait_for_load_state()

    # The verifier sees what changed since the review, accepts it, verifies and publishes.
    _as(page, "verifier")
    page.goto(sheet)
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url("**/review/")
    assert "Changed since the review" in page.locator("main").inner_text()
    page.get_by_role("button", name=re.compile(r"Accept (the )?1 remaining value")).click()
    page.wait_for_load_state()
    page.goto(f"{sheet}review/")
    verify = page.locator("form", has=page.get_by_role("button", name="Verify", exact=True))
    verify.get_by_label("Attestation").fill("Checked against SSB 11000 and Nkom")
    verify.get_by_role("button", name="Verify", exact=True).click()
    page.wait_for_load_state()
    page.goto(sheet)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert Evaluation.objects.get(city=world.city, year=2025).state == State.PUBLISHED

    # Anyone now finds the values: the API, the CSV export and the public page.
    page.context.clear_cookies()
    api = page.request.get(f"/api/evaluations/values?city={world.city.slug}&year=2025").json()
    by_code = {item["kpi_code"]: item for item in api["items"]}
    assert round(by_code[BROADBAND]["value"], 2) == round(24_000 / 29_000 * 100, 2)
    assert round(by_code[INTERNET]["value"], 2) == round(27_000 / 29_000 * 100, 2)
    export = page.request.get(f"/downloads/?format=csv&city={world.city.slug}&year=2025")
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    assert {r["kpi_code"] for r in rows} == {INTERNET, BROADBAND}
    assert {r["verifier"] for r in rows} != {""}
    page.goto(f"/cities/{world.city.slug}/2025/")
    public = page.locator("main").inner_text()
    assert "Fixed Broadband Subscriptions" in public
    assert "Checked against SSB 11000 and Nkom" in public
