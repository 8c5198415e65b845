"""The dashboards in a real browser, with the keyboard: charts drawn offline, no errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from u4ssc.apps.benchmarking.queries import kpi_slug
from u4ssc.apps.benchmarking.tests.conftest import (
    AIR,
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


def _snippets(page, path: str) -> dict[str, str]:
    """The embed code the profile offers, by textarea id."""
    page.goto(path)
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.snippet textarea')]"
        ".map(t => [t.id, t.value]))"
    )


def _fits(page, frame_selector: str) -> dict[str, int]:
    """The framed page's scroll size against its frame's size."""
    frame = page.locator(frame_selector)
    handle = frame.element_handle()
    assert handle is not None
    inner = handle.content_frame()
    assert inner is not None
    return {
        **inner.evaluate(
            "({sh: document.documentElement.scrollHeight,"
            " sw: document.documentElement.scrollWidth})"
        ),
        "h": int(frame.get_attribute("height") or 0),
        "w": int(frame.get_attribute("width") or 0),
    }


def _every_multi_point_kpi(target_set_slug: str = "test-targets") -> dict[str, Any]:
    """A value for every data point of every multi-point KPI of the catalogue, each given a
    target in the set (so that each has a tile, and the tile its embed code)."""
    from u4ssc.apps.catalogue.models import KPI, Target, TargetSet
    from u4ssc.core.catalogue import load_catalogue

    target_set = TargetSet.objects.get(slug=target_set_slug)
    kpis = {k.key: k for k in KPI.objects.all()}
    values: dict[str, Any] = {}
    for kpi in load_catalogue().kpis:
        if not kpi.has_data_points:
            continue
        values[kpi.code] = {}
        for m in kpi.data_points:
            yes_no = m.unit == "yes/no"
            values[kpi.code][m.data_point] = 1.0 if yes_no else 42.5
            Target.objects.get_or_create(
                target_set=target_set,
                kpi=kpis[kpi.key],
                data_point=m.data_point,
                defaults={"direction": "higher", "value": 1.0 if yes_no else 50.0, "source": "t"},
            )
    return values


@pytest.mark.parametrize("lang", ["", "/nb"])
def test_widgets_fit_the_frame_their_code_gives(page, data, live_server, lang):
    # given the embed code the profile offers for the wheel and for every tile (a
    # single-value KPI, and every multi-point KPI of the catalogue with all its data
    # points), in English and in Bokmål, whose data-point names are longer
    publish(data.city, 2021, {INTERNET: 90.0, **_every_multi_point_kpi()})
    codes = _snippets(page, f"{lang}/benchmarking/cities/alesund/{Q}")
    multi = {"embed-" + kpi_slug(code) for code in _every_multi_point_kpi()}
    assert len(multi) == 7 and {"embed-wheel-code", "embed-ec-ict-ict-1c"} | multi <= set(codes)
    # when a city's own page on another origin pastes each code
    other_origin = live_server.url.replace("localhost", "127.0.0.1")
    page.goto(f"{other_origin}/benchmarking/")
    for code_id, code in codes.items():
        assert code.startswith("<iframe ") and 'style="border:0' in code
        # a tile also in a narrower frame (a site's column): its text wraps
        widths = [None] if code_id == "embed-wheel-code" else [None, 320]
        for width in widths:
            page.set_content(
                code if width is None else re.sub(r'width="\d+"', f'width="{width}"', code)
            )
            frame = page.frame_locator("iframe")
            if code_id == "embed-wheel-code":
                frame.locator("#chart-wheel[data-chart-ready] svg").first.wait_for()
                assert "Ålesund" in frame.locator("h1").inner_text()
                # the band legend is the page's text below the wheel, not Vega's beside it
                assert frame.locator("ul.legend li").count() == 5
            else:
                frame.locator(".embed-tile").wait_for()
            # then nothing scrolls inside the frame: the widget fits its size
            size = _fits(page, "iframe")
            assert size["sh"] <= size["h"] and size["sw"] <= size["w"], (code_id, width, size)


def test_the_wheel_widget_follows_a_narrower_frame(page, data, live_server):
    other_origin = live_server.url.replace("localhost", "127.0.0.1")
    page.goto(f"{other_origin}/benchmarking/")
    page.set_content(
        f'<iframe src="{live_server.url}/benchmarking/embed/cities/alesund/wheel/{Q}" '
        'title="wheel" width="300" height="660"></iframe>'
    )
    page.frame_locator("iframe").locator("#chart-wheel[data-chart-ready] svg").first.wait_for()
    size = _fits(page, "iframe")
    assert size["sw"] <= 300 and size["sh"] <= 660, size


def test_copy_button_copies_the_code_with_the_keyboard(page, data):
    # given the profile, where the embed code has a copy button (JavaScript shows it)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/benchmarking/cities/alesund/{Q}")
    button = page.locator('button.copy-button[data-copy="embed-wheel-code"]')
    assert button.is_visible()
    # when it is reached with the keyboard and pressed
    button.focus()
    page.keyboard.press("Enter")
    # then the code is on the clipboard and the page says so
    status = page.locator("#embed-wheel-code ~ .snippet-actions .copy-status")
    status.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#embed-wheel-code").input_value()
    assert copied.startswith("<iframe src=")


def test_programme_view_draws_its_heatmap_and_progress_panels(page, data):
    page.goto(f"/benchmarking/programmes/{data.national.slug}/{Q}")
    drawn(page, "chart-heatmap")
    drawn(page, "chart-progress")
    # a panel per member city with data, named above it
    titles = page.locator("#chart-progress svg text").all_text_contents()
    assert "Ålesund" in titles and "Trondheim" in titles


# ------------------------------------------------------------------ a phone

PHONE = {"width": 390, "height": 844}
# A target set named as the demo's are: its option in the selector is wider than a phone.
LONG_NAME = "Norway national targets - Illustrative demo targets (not official U4SSC benchmarks)"


def _phone_pages(data) -> list[str]:
    return [
        f"/benchmarking/cities/alesund/{Q}",
        f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&cities=linz",
        f"/benchmarking/programmes/{data.national.slug}/{Q}",
        f"/benchmarking/kpis/ec-ict-ict-1c/{Q}&city=alesund",
        f"/benchmarking/cities/alesund/history/en-en-aq-1c/{Q}",
        f"/benchmarking/cities/alesund/2021/working/en-en-aq-1c/{Q}",
    ]


# Every element of the page that reaches past the viewport without a scroll box of its
# own around it (one that scrolls sideways, not the page).
_OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const loose = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= vw + 0.5) continue;
    let box = el.parentElement, held = false;
    for (; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') { held = true; break; }
    }
    if (!held) loose.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  const boxes = [...document.querySelectorAll('.table-scroll, .chart.scroll')]
    .filter(b => b.scrollWidth > b.clientWidth + 1)
    .map(b => ({id: b.id || b.getAttribute('aria-labelledby'), tabindex: b.getAttribute('tabindex'),
                named: !!(b.getAttribute('aria-label') || b.getAttribute('aria-labelledby'))}));
  return {vw, sw: document.documentElement.scrollWidth, loose: loose.slice(0, 5), boxes};
}"""


@pytest.mark.parametrize("lang", ["", "/nb"])
def test_pages_fit_a_phone(page, data, lang):
    # given a second target set with a long name (the selector then lists both) and
    # air pollution reported per pollutant
    from u4ssc.apps.catalogue.models import TargetSetKind

    make_target_set(
        data.national,
        {(INTERNET, ""): ("higher", 100.0, None, None)},
        name=LONG_NAME,
        slug="long-name",
        kind=TargetSetKind.NATIONAL,
    )
    publish(
        data.city,
        2021,
        {INTERNET: 90.0, AIR: {"pm2_5": 6.0, "no2": 13.7, "pm10": 12.0, "so2": 2.0, "o3": 50.0}},
    )
    publish(data.city, 2022, {INTERNET: 92.0, AIR: {"pm2_5": 5.6, "no2": 12.0}})
    page.set_viewport_size(PHONE)
    for path in _phone_pages(data):
        # when each page is opened on a 390-pixel phone
        response = page.goto(lang + path)
        assert response is not None and response.status == 200, path
        for chart in page.locator("[data-vega-spec]").all():
            drawn(page, chart.get_attribute("data-vega-spec") or "")
        # then the page itself does not scroll sideways: wide tables and grids scroll in
        # their own box, which is named and can be reached with the keyboard
        fit = page.evaluate(_OVERFLOW)
        assert fit["sw"] == fit["vw"] == PHONE["width"], (path, fit)
        assert not fit["loose"], (path, fit)
        for box in fit["boxes"]:
            assert box["tabindex"] == "0" and box["named"], (path, box)
    # and the profile's wheel is drawn within the column, as the widget's is
    page.goto(f"{lang}/benchmarking/cities/alesund/{Q}")
    drawn(page, "chart-wheel")
    wheel = page.locator("#chart-wheel svg").first.bounding_box()
    assert wheel is not None and wheel["x"] >= 0 and wheel["x"] + wheel["width"] <= PHONE["width"]


def test_compare_kpi_hierarchy_reads_without_colour_and_by_row_headers(page, data):
    # given Ålesund's air pollution per pollutant, compared with Trondheim
    publish(data.city, 2021, {INTERNET: 90.0, AIR: {"pm2_5": 6.0, "no2": 13.7}})
    publish(data.sister, 2021, {INTERNET: 91.0})
    page.goto(f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&year=2021")
    drawn(page, "chart-compare")
    table = page.locator("table.kpi-tree")
    # then each level is a heading row (a row group header) or a row header, by name
    category = table.get_by_role("rowheader", name="Category: Air Quality", exact=True)
    kpi = table.get_by_role("rowheader", name=f"{AIR} Air Pollution", exact=True)
    point = table.get_by_role("rowheader", name=f"{AIR}, data point: PM2.5", exact=True)
    dimension = table.get_by_role("rowheader", name="Dimension: Environment", exact=True)
    for header in (dimension, category, kpi, point):
        header.wait_for()
    # and the level shows by indentation, deeper each step, with no colour needed
    lefts = [
        header.evaluate("th => parseFloat(getComputedStyle(th).paddingLeft)")
        for header in (dimension, category, kpi, point)
    ]
    assert lefts == sorted(lefts) and len(set(lefts)) == 4, lefts
    # and the data point's row gives its target and its value with its band in words
    row = point.locator("xpath=..")
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == "≤ 5 µg/m³"
    assert "6 µg/m³" in cells[1] and "66-95 %" in cells[1]
    assert cells[2].strip() == "–"
