"""The widgets' frame sizes (widgets.py); that the widgets fit them is test_browser's."""

from __future__ import annotations

from django.utils import translation

from u4ssc.apps.benchmarking.tests.conftest import AIR, COVERAGE, INTERNET
from u4ssc.apps.benchmarking.widgets import TILE_HEIGHT, TILE_WIDTH, tile_frame


def _tile(code: str, points: list[str]) -> dict[str, object]:
    return {
        "kpi_code": code,
        "has_data_points": bool(points),
        "data_points": [{"data_point": p} for p in points],
    }


def test_a_single_value_tile_has_the_tile_frame():
    assert tile_frame(_tile(INTERNET, [])) == (TILE_WIDTH, TILE_HEIGHT)


def test_a_multi_point_frame_counts_every_data_point_of_the_kpi():
    # given a year reporting two of Air Pollution's five data points, and one reporting all
    two = tile_frame(_tile(AIR, ["pm2_5", "no2"]))
    five = tile_frame(_tile(AIR, ["pm2_5", "pm10", "no2", "so2", "o3"]))
    # then both frames fit five, so a code pasted today fits a later, fuller year
    assert two == five
    # and a KPI with more data points gets a taller frame
    assert tile_frame(_tile(COVERAGE, ["3g", "4g"]))[1] < five[1]


def test_long_bokmal_names_make_the_frame_taller():
    # given open data: in English one name takes two lines in the widget ("Open data sets
    # as % of all data sets"), in Bokmål both ("Antall publiserte åpne datasett")
    open_data = _tile("EC: ICT: PS: 1A", ["number", "percent"])
    with translation.override("en"):
        english = tile_frame(open_data)
    with translation.override("nb"):
        bokmal = tile_frame(open_data)
    assert bokmal[0] == english[0] == TILE_WIDTH
    assert bokmal[1] > english[1]
