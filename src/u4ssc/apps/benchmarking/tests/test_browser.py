"""The dashboards in a real browser, with the keyboard: charts drawn offline, no errors."""

from __future__ import annotations

import pytest

from u4ssc.apps.benchmarking.tests.conftest import (
    INTERNET,
    TEST_TARGETS,
    UNEMPLOYMENT,
    make_target_set,
    publish,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Q = "?targets=test-targets"


@pytest.fixture
def data(world):
    from u4ssc.web.views import _vega_bundle

    _vega_bundle()  # built once per process (a few seconds): not inside a page's timeout
    make_target_set(world.programme, TEST_TARGETS)
    world.city.latitude, world.city.longitude = 62.47, 6.15
    world.city.save(update_fields=["latitude", "longitude"])
    publish(world.city, 2016, {UNEMPLOYMENT: 10.0, INTERNET: 80.0})
    publish(world.city, 2020, {UNEMPLOYMENT: 8.0, INTERNET: 84.51})
    publish(world.sister, 2020, {UNEMPLOYMENT: 3.0, INTERNET: 60.0}, synthetic=True)
    publish(world.foreign, 2020, {UNEMPLOYMENT: 5.0, INTERNET: 70.0})
    return world


def drawn(page, chart_id: str) -> None:
    """Wait until Vega has drawn the chart as SVG."""
    page.locator(f"#{chart_id}[data-chart-ready] svg").first.wait_for()


def test_profile_year_working_kpi_page_and_comparison_with_the_keyboard(page, data):
    # given Ålesund's profile: the wheel is drawn by the platform's own Vega bundle
    page.goto(f"/benchmarking/cities/alesund/{Q}")
    drawn(page, "chart-wheel")
    assert "Ålesund · 2020" in page.locator("h1").inner_text()

    # when the year is changed with the keyboard (the year tabs swap the page body)
    page.focus("#year-2020")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "year-2016"
    page.keyboard.press("Enter")
    page.locator("h1", has_text="2016").wait_for()
    page.wait_for_url("**/benchmarking/cities/alesund/2016/**")
    drawn(page, "chart-wheel")
    assert page.evaluate("document.activeElement.id") == "year-2016"  # focus kept

    # when a tile's working is opened with the keyboard, it loads inside the tile
    page.focus("#tile-ec-p-em-1c .working-link")
    page.keyboard.press("Enter")
    working = page.locator("#working-ec-p-em-1c")
    working.get_by_text("4 / 10 x 100 = 40 %").wait_for()
    assert "achievement = target / value x 100" in working.inner_text()
    assert "/working/" not in page.url  # it stayed on the profile

    # when the KPI's name is followed, the KPI page shows every city
    page.focus("#tile-ec-p-em-1c h4 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/benchmarking/kpis/ec-p-em-1c/**")
    for chart in ("chart-distribution", "chart-map", "chart-ranking"):
        drawn(page, chart)
    assert "not significant" in page.locator(".caveat").inner_text()

    # when three cities are typed into the comparison form and sent with Enter
    page.goto(f"/benchmarking/compare/{Q}")
    page.focus("#compare-city-1")
    for name in ("alesund", "trondheim", "linz"):
        page.keyboard.type(name)
        page.keyboard.press("Tab")
    page.focus("#compare-city-3")
    page.keyboard.press("Enter")
    drawn(page, "chart-compare")
    headers = page.locator("table.compare-table thead").first.inner_text()
    assert all(city in headers for city in ("Ålesund", "Trondheim", "Linz"))


def test_widget_draws_its_wheel_inside_a_frame(page, data, live_server):
    # given a city's own web page on another origin (127.0.0.1 beside localhost) that
    # frames the widget
    other_origin = live_server.url.replace("localhost", "127.0.0.1")
    assert other_origin != live_server.url
    page.goto(f"{other_origin}/benchmarking/")
    page.set_content(
        f'<iframe src="{live_server.url}/benchmarking/embed/cities/alesund/wheel/{Q}" '
        'title="wheel" width="420" height="560"></iframe>'
    )
    frame = page.frame_locator("iframe")
    frame.locator("#chart-wheel[data-chart-ready] svg").first.wait_for()
    assert "Ålesund" in frame.locator("h1").inner_text()
