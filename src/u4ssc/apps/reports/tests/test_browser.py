from __future__ import annotations

import pytest

from u4ssc.apps.reports.tests.test_render import CODES, pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_downloads_a_city_snapshot_pdf(page, world, publish, settings):
    # given a published year and the embedded default: tasks on a thread, no extra service
    settings.TASKS_MODE = "inprocess"
    publish(synthetic=True)
    page.goto(f"/cities/{world.city.slug}/2024/")

    # when the visitor asks for the PDF
    page.get_by_role("button", name="Download City Snapshot (PDF)").click()

    # then the progress page updates itself until the file is offered, and it downloads
    page.wait_for_url("**/tasks/**")
    link = page.get_by_role("link", name="Download")
    link.wait_for(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "city-snapshot-alesund-2024-en.pdf"
    text = "\n".join(pdf_pages(download.path().read_bytes()))
    assert "Ålesund" in text and "Synthetic demo data" in text
    assert all(text.count(code) == 1 for code in CODES)
