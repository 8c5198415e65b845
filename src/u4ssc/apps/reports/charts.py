"""Charts of the reports: Vega-Lite specs made SVG offline by vl-convert.

The specs come from the benchmarking app's pure chart functions
(``u4ssc.apps.benchmarking.charts``) when it is installed, so a report draws the same charts
as the pages; the stand-in specs below (same inputs) serve until then. Only the
presentation for paper is set here: the font Typst embeds and a white background.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from u4ssc.apps.reports.content import BAND_COLOURS

# The font Typst embeds in every PDF: text in the charts matches the text around them and
# needs no font installed on the machine.
PDF_FONT = "Libertinus Serif"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _benchmarking_charts() -> Any | None:
    try:
        return importlib.import_module("u4ssc.apps.benchmarking.charts")
    except ImportError:
        return None


def _band_scale(legend: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "domain": [entry["label"] for entry in legend],
        "range": [entry["colour"] for entry in legend],
    }


def wheel_spec(categories: list[dict[str, Any]], legend: list[dict[str, Any]]) -> dict:
    """The benchmarking wheel: one slice per category, its radius the category's share of
    maximum points (0-100 %), its colour the band. ``categories``: entries of a report
    document (``name``, ``code``, ``percentage``, ``band_label``, ``dimension``)."""
    charts = _benchmarking_charts()
    if charts is not None and hasattr(charts, "wheel_spec"):
        return charts.wheel_spec(categories, legend)
    n = max(len(categories), 1)
    step = 2 * math.pi / n
    rows = [
        {
            "name": c["name"],
            "percentage": c.get("percentage") or 0,
            "band": c.get("band_label") or "",
            "t0": i * step,
            "t1": (i + 1) * step,
            "mid": (i + 0.5) * step,
        }
        for i, c in enumerate(categories)
    ]
    theta = {"field": "t0", "type": "quantitative", "scale": None}
    theta2 = {"field": "t1"}
    return {
        "$schema": SCHEMA,
        "data": {"values": rows},
        "width": 360,
        "height": 360,
        "layer": [
            {
                "mark": {
                    "type": "arc",
                    "innerRadius": 20,
                    "outerRadius": 140,
                    "fill": "#f2f2f2",
                    "stroke": "#ffffff",
                },
                "encoding": {"theta": theta, "theta2": theta2},
            },
            {
                "mark": {"type": "arc", "innerRadius": 20, "stroke": "#ffffff"},
                "encoding": {
                    "theta": theta,
                    "theta2": theta2,
                    "radius": {
                        "field": "percentage",
                        "type": "quantitative",
                        "scale": {"type": "linear", "domain": [0, 100], "range": [20, 140]},
                    },
                    "color": {
                        "field": "band",
                        "type": "nominal",
                        "scale": _band_scale(legend),
                        "legend": None,
                    },
                },
            },
            {
                "mark": {"type": "text", "radius": 158, "fontSize": 7.5},
                "encoding": {
                    "theta": {"field": "mid", "type": "quantitative", "scale": None},
                    "text": {"field": "name"},
                },
            },
        ],
        "view": {"stroke": None},
    }


def bars_spec(rows: list[dict[str, Any]], legend: list[dict[str, Any]], *, title: str) -> dict:
    """Horizontal bars of groups (dimensions, or cities): ``rows`` with ``name``,
    ``percentage`` and ``band_label``; the axis runs 0-100 % of maximum points."""
    charts = _benchmarking_charts()
    if charts is not None and hasattr(charts, "bars_spec"):
        return charts.bars_spec(rows, legend, title=title)
    data = [
        {"name": r["name"], "percentage": r.get("percentage") or 0, "band": r.get("band_label")}
        for r in rows
    ]
    return {
        "$schema": SCHEMA,
        "data": {"values": data},
        "width": 380,
        "height": {"step": 18},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "percentage",
                "type": "quantitative",
                "scale": {"domain": [0, 100]},
                "title": title,
            },
            "color": {
                "field": "band",
                "type": "nominal",
                "scale": _band_scale(legend),
                "legend": None,
            },
        },
    }


def to_svg(spec: dict[str, Any]) -> str:
    """``spec`` as SVG for paper: the PDF's font, a white background, no actions."""
    import vl_convert

    printable = dict(spec)
    config = dict(printable.get("config") or {})
    config.setdefault("font", PDF_FONT)
    config.setdefault("background", "#ffffff")
    printable["config"] = config
    return str(vl_convert.vegalite_to_svg(printable))


__all__ = ["BAND_COLOURS", "bars_spec", "to_svg", "wheel_spec"]
