"""The reports' charts: the benchmarking pages' own Vega-Lite specs, made fit for paper.

Every chart comes from ``u4ssc.apps.benchmarking.charts`` (the same function, the same
data as the page). Paper needs what a screen gets from tooltips and hovering, so a few
things are added here, never changed:

- the benchmarking wheel is drawn large enough that no category name is shortened, and
  its legend goes below it, across the page;
- the KPI heatmap is drawn per dimension, so that its cells stay large enough to read;
- numbers written in the charts follow the report's language (58,3 in Norwegian);
- the font is the one Typst embeds in the PDF, on a white background.

``vl_convert`` turns the specs into SVG offline (decision 0701).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import get_language

from u4ssc.apps.benchmarking import charts as bench

# The font Typst embeds in every PDF: text in the charts matches the text around them and
# needs no font installed on the machine.
PDF_FONT = "Libertinus Serif"
# d3-format has no Norwegian locale; this is what Norwegian writing uses.
NB_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]}

# The wheel's size in its own pixels (it is scaled to the page): at 720 the page's chart
# leaves room for 24 characters of a category's name, the longest in English and Bokmål
# has 23, so none is cut short with "…".
WHEEL_SIZE = 720


def _decimal(text: str) -> str:
    """A number written by the chart functions (always with a point) in the active
    language."""
    return text.replace(".", ",") if get_language() == "nb" else text


def wheel(profile: dict[str, Any]) -> dict[str, Any]:
    """The page's benchmarking wheel (``benchmarking.charts.wheel_chart``), drawn large
    enough that no category name is shortened, its numbers in the report's language."""
    spec = copy.deepcopy(bench.wheel_chart(profile, size=WHEEL_SIZE))
    for name in ("categories", "dimensions"):
        for row in spec["datasets"].get(name, []):
            row["label"] = _decimal(str(row["label"]))
    # The report prints the legend below the wheel, across the page, where it takes no
    # width from the wheel.
    legend = {**spec["config"].get("legend", {}), "disable": True}
    spec["config"] = {**spec["config"], "legend": legend}
    return spec


def heatmaps(programme: dict[str, Any], dimensions: list[dict[str, str]]) -> dict[str, dict]:
    """The programme view's heatmap (cities x KPIs, ``benchmarking.charts.heatmap_chart``)
    split by dimension: ``{dimension code: spec}`` for the dimensions with a KPI column."""
    out = {}
    for dim in dimensions:
        columns = [i for i, k in enumerate(programme["kpis"]) if k["dimension_code"] == dim["code"]]
        if not columns:
            continue
        part = {
            **programme,
            "kpis": [programme["kpis"][i] for i in columns],
            "heatmap": [
                {**line, "cells": [line["cells"][i] for i in columns]}
                for line in programme["heatmap"]
            ],
        }
        out[dim["code"]] = bench.heatmap_chart(part, cell=24)
    return out


def progress(programme: dict[str, Any]) -> dict[str, Any]:
    """Each member city's overall score over the years (``benchmarking.charts.progress_chart``)."""
    return bench.progress_chart(programme, width=520)


def dimensions(comparison: dict[str, Any]) -> dict[str, Any]:
    """The member cities' dimension scores side by side (``benchmarking.charts.compare_chart``
    of every member city with data), their numbers in the report's language."""
    spec = copy.deepcopy(bench.compare_chart(comparison, width=150))
    for row in spec["datasets"].get("dimensions", []):
        row["label"] = _decimal(str(row["label"]))
    # Panels in the catalogue's order (Economy, Environment, Society and Culture), as the
    # tables beside them, not alphabetically in whichever language the report is in.
    order = [g["name"] for g in comparison["groups"] if g["level"] == "dimension"]
    spec["facet"]["column"]["sort"] = order
    return spec


def to_svg(spec: dict[str, Any], lang: str = "en") -> str:
    """``spec`` as SVG for paper: the PDF's font, a white background, the numbers Vega
    formats itself (axes) in ``lang``."""
    import vl_convert

    printable = dict(spec)
    printable["config"] = {**(spec.get("config") or {}), "font": PDF_FONT, "background": "#ffffff"}
    locale = NB_NUMBERS if lang == "nb" else None
    return str(vl_convert.vegalite_to_svg(printable, format_locale=locale))
