"""Chart specs: pure functions of query results that Vega-Lite can draw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vl_convert

from u4ssc.apps.benchmarking import charts, queries
from u4ssc.apps.benchmarking.tests.conftest import AIR, INTERNET, UNEMPLOYMENT, publish

pytestmark = pytest.mark.django_db
SITE_CSS = Path(__file__).resolve().parents[3] / "web" / "static" / "u4ssc" / "site.css"


@pytest.fixture
def results(world, targets):
    world.city.latitude, world.city.longitude = 62.47, 6.15
    world.city.save(update_fields=["latitude", "longitude"])
    publish(world.city, 2016, {UNEMPLOYMENT: 10.0, INTERNET: 80.0})
    publish(world.city, 2020, {UNEMPLOYMENT: 8.0, INTERNET: 84.51, AIR: {"pm2_5": 6.0}})
    publish(world.sister, 2020, {UNEMPLOYMENT: 3.0, INTERNET: 95.0})
    overview = queries.kpi_overview(INTERNET, 2020, targets, city=world.city)
    programme = queries.programme_view(world.national, 2020, targets)
    return {
        "wheel_chart": queries.city_profile(world.city, 2020, targets),
        "history_chart": queries.kpi_history(world.city, UNEMPLOYMENT, targets),
        "distribution_chart": overview,
        "map_chart": overview,
        "ranking_chart": overview,
        "compare_chart": queries.compare([world.city, world.sister], 2020, targets),
        "heatmap_chart": programme,
        "progress_chart": programme,
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wheel_chart", "75"),  # ICT Infrastructure: one KPI at 3 points of 4
        ("history_chart", "Unemployment Rate"),
        ("distribution_chart", "Ålesund"),
        ("map_chart", "Band"),
        ("ranking_chart", "1. Trondheim"),
        ("compare_chart", "Economy"),
        ("heatmap_chart", "Trondheim"),
        ("progress_chart", "Ålesund"),
    ],
)
def test_every_chart_renders_to_svg_with_its_texts(results, name, expected):
    spec = getattr(charts, name)(results[name])
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["description"]
    svg = vl_convert.vegalite_to_svg(spec)
    assert "<svg" in svg
    assert expected in svg


def test_charts_carry_data_inline_and_build_fast(results):
    import time

    spec = charts.wheel_chart(results["wheel_chart"])
    assert len(spec["datasets"]["categories"]) == 27
    started = time.perf_counter()
    for _ in range(20):
        charts.wheel_chart(results["wheel_chart"])
    assert (time.perf_counter() - started) / 20 < 0.005  # skeleton cached: no Altair per call


def test_band_legend_names_the_band_in_text_not_only_colour(results):
    spec = charts.wheel_chart(results["wheel_chart"])
    svg = vl_convert.vegalite_to_svg(spec)
    assert "●●●● 95 %+ of target" in svg
    assert "●○○○ less than 33 % of target" in svg


def test_band_colours_are_those_of_site_css():
    css = SITE_CSS.read_text()
    for band in (1, 2, 3, 4):
        found = re.search(rf"--band-{band}:\s*(#[0-9a-fA-F]{{6}})", css)
        assert found and found.group(1).lower() == charts.BAND_COLOURS[band]
    found = re.search(r"--band-none:\s*(#[0-9a-fA-F]{6})", css)
    assert found and found.group(1).lower() == charts.BAND_COLOURS[0]


def test_the_map_needs_no_network(results):
    spec = charts.map_chart(results["map_chart"])
    text = repr(spec)
    assert "url" not in {k for layer in spec["layer"] for k in layer.get("data", {})}
    assert "http" not in text.replace(spec["$schema"], "")


def test_progress_chart_is_small_multiples_on_a_time_axis_of_the_data_years(world, targets):
    # given two member cities with data in 2013, 2019 and 2020 (none between)
    publish(world.city, 2013, {INTERNET: 50.0})
    publish(world.city, 2020, {INTERNET: 80.0})
    publish(world.sister, 2019, {INTERNET: 70.0})
    programme = queries.programme_view(world.national, 2020, targets)

    spec = charts.progress_chart(programme)

    # then a panel per city, in the programme view's order
    assert spec["facet"]["field"] == "panel" and spec["facet"]["sort"] == ["Trondheim", "Ålesund"]
    own, others = spec["spec"]["layer"][1], spec["spec"]["layer"][0]
    x = own["encoding"]["x"]
    # a quantitative year axis, labelled with the data years only
    assert x["type"] == "quantitative" and x["axis"]["values"] == [2013, 2019, 2020]
    assert x["scale"]["domain"] == [2013, 2020]
    # the y axis says what the page says
    assert own["encoding"]["y"]["title"] == "Achievement"
    # each panel: its own city highlighted, the other city in grey
    rows = spec["datasets"]["progress"]
    assert {(r["panel"], r["city"], r["own"]) for r in rows} == {
        ("Ålesund", "Ålesund", True),
        ("Ålesund", "Trondheim", False),
        ("Trondheim", "Trondheim", True),
        ("Trondheim", "Ålesund", False),
    }
    assert others["mark"]["color"] == charts.LINE
    svg = vl_convert.vegalite_to_svg(spec)
    assert "2013" in svg and "2016" not in svg


def test_history_chart_draws_each_data_points_target_in_its_lines_colour(world, targets):
    # given air pollution over two years: PM2.5 (target 5), NO2 (10), PM10 (no target)
    publish(world.city, 2016, {AIR: {"pm2_5": 8.0, "no2": 25.0, "pm10": 30.0}})
    publish(world.city, 2020, {AIR: {"pm2_5": 6.0, "no2": 20.0, "pm10": 28.0}})
    spec = charts.history_chart(queries.kpi_history(world.city, AIR, targets))
    # then one target per data point that has one, named by its data point
    assert [(t["series"], t["target"], t["label"]) for t in spec["datasets"]["target"]] == [
        ("PM2.5", 5.0, "≤ 5 µg/m³"),
        ("NO2", 10.0, "≤ 10 µg/m³"),
    ]
    # and drawn as dashed rules, each in the colour of its data point's line
    svg = vl_convert.vegalite_to_svg(spec)
    lines = dict(
        re.findall(r'aria-label="[^"]*Data point: ([^;"]+);[^"]*" role="graphics-symbol" '
                   r'aria-roledescription="line mark" d="[^"]*" stroke="(#[0-9a-f]+)"', svg)
    )  # fmt: skip
    rules = re.findall(
        r'<line aria-label="[^"]*Data point: ([^;"]+);[^"]*"[^>]*stroke="(#[0-9a-f]+)"'
        r"[^>]*stroke-dasharray",
        svg,
    )
    assert set(lines) == {"PM2.5", "NO2", "PM10"}
    assert sorted(rules) == sorted([("PM2.5", lines["PM2.5"]), ("NO2", lines["NO2"])])
    assert lines["PM2.5"] != lines["NO2"]
    # and the legend still names each line by its colour
    legend = svg[svg.index('aria-roledescription="legend"') :]
    symbols = re.findall(
        r'role-legend-symbol" pointer-events="none"><path [^>]*?fill="([^"]+)"', legend
    )
    assert set(lines.values()) <= set(symbols)


def test_history_chart_of_a_range_draws_both_ends(world, targets):
    from u4ssc.apps.benchmarking.tests.conftest import GENDER

    publish(world.city, 2020, {GENDER: 0.9})
    spec = charts.history_chart(queries.kpi_history(world.city, GENDER, targets))
    assert [t["target"] for t in spec["datasets"]["target"]] == [0.95, 1.05]
