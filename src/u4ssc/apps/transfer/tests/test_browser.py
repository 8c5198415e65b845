"""Upload and report in a real browser: reached by keyboard, errors read as text."""

from __future__ import annotations

import pytest

from u4ssc.apps.evaluations.models import Evaluation, KPIValue
from u4ssc.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_csv_with_an_error_read_the_report_fix_and_upload(page, world, tmp_path):
    Evaluation.objects.create(city=world.city, year=2024)
    bad = tmp_path / "values.csv"
    bad.write_text("kpi,value,source\nEN: EN: AQ: 2C,three tonnes,SSB\n", encoding="utf-8")
    login(page, "officer")
    page.goto(f"/data/{world.city.slug}/2024/")

    # the link from the data sheet, followed with the keyboard
    link = page.get_by_role("link", name="Upload a filled workbook or CSV")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/imports/{world.city.slug}/2024/")

    # the file field has a label; the form is sent with the keyboard
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import-reports/*/")

    # the report says, in text, where and what is wrong
    status = page.get_by_role("status").first
    assert "Refused" in status.inner_text()
    table = page.locator("table.findings-error")
    assert "row 2" in table.inner_text() and "three tonnes" in table.inner_text()
    assert "holds text" in table.inner_text()
    assert KPIValue.objects.count() == 0

    # fix the file, and go back by the report's own link
    bad.write_text("kpi,value,source\nEN: EN: AQ: 2C,3.1,SSB\n", encoding="utf-8")
    page.get_by_role("link", name="Fix the file and upload it again").click()
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/import-reports/*/")
    assert "Imported 1 row: 1 new" in page.get_by_role("status").first.inner_text()
    assert KPIValue.objects.get().value == pytest.approx(3.1)
