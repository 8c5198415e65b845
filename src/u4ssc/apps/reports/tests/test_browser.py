from __future__ import annotations

import pytest

from u4ssc.apps.reports.tests.test_render import CODES, pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page):
    """Click through the progress page the button opened; the downloaded file."""
    page.wait_for_url("**/tasks/**")
    link = page.get_by_role("link", name="Download")
    link.wait_for(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    return info.value


def test_visitor_downloads_a_city_snapshot_pdf(page, world, publish, settings):
    # given a published year and the embedded default: tasks on a thread, no extra service
    settings.TASKS_MODE = "inprocess"
    publish(synthetic=True)
    page.goto(f"/cities/{world.city.slug}/2024/")

    # when the visitor asks for the PDF
    page.get_by_role("button", name="Download City Snapshot (PDF)").click()

    # then the progress page updates itself until the file is offered, and it downloads
    download = _download(page)
    assert download.suggested_filename == "city-snapshot-alesund-2024-en.pdf"
    text = "\n".join(pdf_pages(download.path().read_bytes()))
    assert "Ålesund" in text and "Synthetic demo data" in text
    assert all(text.count(code) == 1 for code in CODES)


def test_snapshot_from_the_benchmarking_profile_after_picking_a_year(
    page, world, publish, settings
):
    # given two published years, on the city's benchmarking profile
    settings.TASKS_MODE = "inprocess"
    publish(year=2023)
    publish(year=2024)
    page.goto(f"/benchmarking/cities/{world.city.slug}/")

    # when the visitor picks 2023 (the page swaps its body in) and asks for the PDF
    page.get_by_role("link", name="2023", exact=True).click()
    page.wait_for_url("**/2023/**")
    page.get_by_role("button", name="Download City Snapshot (PDF)").click()

    # then the snapshot is of 2023
    download = _download(page)
    assert download.suggested_filename == "city-snapshot-alesund-2023-en.pdf"
    assert "Ålesund · 2023" in pdf_pages(download.path().read_bytes())[0]
