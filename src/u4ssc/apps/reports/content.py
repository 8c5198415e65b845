"""Report documents: what a report says, as one JSON-ready dict, in one language.

A document is made from the benchmarking data layer's dicts (``sources``), read in the
same language: the City Snapshot from ``city_profile``, the national report from
``programme_view`` and ``compare``. Scores, bands, trends and their words are the data
layer's own (the Snapshot's KPI rows are the profile's tiles, its band words the profile's
bands); this module only lays them out for paper: numbers and units written in the
report's language, and a reason wherever something is not scored.

The PDF (a Typst template that reads the document as JSON) and the xlsx (openpyxl) are two
renderings of the same document, so they cannot say different things. The charts travel
in the document as Vega-Lite specs (``charts``) and are drawn by the PDF only.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from u4ssc.apps.benchmarking.charts import BAND_COLOURS
from u4ssc.apps.evaluations.models import Quality
from u4ssc.apps.reports import charts
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.registry import country_name
from u4ssc.web.templatetags.u4ssc_tags import num, unit_label

LANGUAGES = ("en", "nb")
# Text on a band's colour: white on the two dark ones, ink on the light ones.
BAND_INK = {0: "#1b1f24", 1: "#ffffff", 2: "#1b1f24", 3: "#1b1f24", 4: "#ffffff"}

# Counts, ratios, coefficients and yes/no answers print no unit after a number. The other
# units are translated as on the pages (``u4ssc_tags.unit_label``, whose list makemessages
# collects).
BARE_UNITS = frozenset({"number", "ratio", "coefficient", "yes/no", ""})
# Up to this many cities the progress chart's lines can be told apart on paper; with more,
# the table below it says the same legibly and the chart is left out.
PROGRESS_CHART_MAX_CITIES = 8


# --- numbers and words ---------------------------------------------------------------


def fmt_number(value: Any, digits: int = 4) -> str:
    """A number for people in the active language: 12 345,5 (nb), 12,345.5 (en); at most
    ``digits`` significant digits after the point, halves rounded up; "" for none. The
    pages' ``num`` filter, so that a report and its page write a number alike."""
    if value is None or value == "":
        return ""
    text = num(value, digits)
    return "" if text == "-" else text


def fmt_score(value: Any, percent: bool = True) -> str:
    """A 0-100 score as the charts write it (one decimal, halves up): a U4SSC achievement
    with "%" (58,3 %); an SDSN score (``percent=False``) is points out of 100, not a
    percentage, and has none (58,3)."""
    if value is None:
        return ""
    text = fmt_number(math.floor(float(value) * 10 + 0.5) / 10, 4)
    return f"{text} %" if percent else text


def _percent(target_set: dict[str, Any]) -> bool:
    """Whether the set's scores are percentages (U4SSC achievement) or points (SDSN)."""
    return target_set.get("method") != "sdsn"


def unit_text(unit: str) -> str:
    """The unit to print after a number, in the active language ("" for counts, ratios,
    coefficients and yes/no); "100 000" never breaks across lines."""
    if unit in BARE_UNITS:
        return ""
    return unit_label(unit).replace("100 000", "100\u00a0000")


def value_text(value: Any, unit: str) -> str:
    """A value with its unit: "96,56 %", "12 per 100 000 innbyggere", "yes"."""
    if value is None:
        return ""
    if unit == "yes/no" and float(value) in (0.0, 1.0):
        return _("yes") if float(value) == 1.0 else _("no")
    return f"{fmt_number(value)} {unit_text(unit)}".strip()


def target_text(target: Any, direction: str | None, unit: str) -> str:
    """The target as the data layer gives it (a number, or ``{"low", "high"}``) with its
    direction and unit: "≥ 100 %", "≤ 0,5", "0,95–1,05"."""
    if target is None:
        return ""
    if isinstance(target, dict):
        text = f"{fmt_number(target['low'])}–{fmt_number(target['high'])}"
    elif unit == "yes/no":
        return _("yes") if float(target) >= 1 else _("no")
    else:
        sign = "≤ " if direction == "lower" else "≥ "
        text = sign + fmt_number(target)
    return f"{text} {unit_text(unit)}".strip()


def _trend(item: dict[str, Any]) -> str:
    if not item.get("trend"):
        return ""
    return f"{item.get('trend_arrow', '')} {item.get('trend_label', '')}".strip()


def _quality_grades() -> list[dict[str, str]]:
    return [{"grade": str(q.value), "label": str(q.label)} for q in Quality]


def _band(item: dict[str, Any], reason: str = "") -> dict[str, Any]:
    """A band as printed: its dots and words from the data layer, its colour; when not
    scored, ``reason`` instead of the words."""
    band = int(item.get("band") or 0)
    return {
        "band": band,
        # "95 %+ of target" never breaks between the number and its "%"
        "band_text": f"{item['band_icon']} {item['band_label']}".replace(" %", "\u00a0%")
        if band
        else reason,
        "colour": BAND_COLOURS[band],
        "ink": BAND_INK[band],
    }


def _legend(target_set: dict[str, Any]) -> list[dict[str, Any]]:
    """The set's bands, best first, and grey for "not scored" (as the charts' legends)."""
    bands = [
        {
            "band": int(b["band"]),
            "text": f"{b['icon']} {b['label']}".replace(" %", "\u00a0%"),
            "colour": BAND_COLOURS[int(b["band"])],
        }
        for b in target_set["bands"]
    ]
    return [*bands, {"band": 0, "text": _("– not scored"), "colour": BAND_COLOURS[0]}]


def _no_target() -> str:
    return _("not scored: no target in this set")


def _group_reason(group: dict[str, Any]) -> str:
    """Why a category, sub-dimension or dimension has no score."""
    if not group.get("kpis_with_target"):
        return _no_target()
    return _("not scored: no KPI with a target reported")


def _common_labels() -> dict[str, str]:
    return {
        "page": _("Page"),
        "of": _("of"),
        "synthetic": _("Synthetic demo data"),
        "synthetic_short": _("synthetic"),
        "synthetic_note": _(
            "Values marked “synthetic” were generated for the demo; they are not real data."
        ),
        "generated": _("Made on %(date)s by the U4SSC platform")
        % {"date": timezone.localdate().isoformat()},
        "target_set": _("Target set"),
        "method_name": _("Method"),
        "legend": _("Legend"),
        "method": _("Method and caveats"),
        "method_sheet": _("Method"),
        "summary": _("Summary"),
        "band": _("Band"),
        "kpis_scored": _("KPIs scored / with a target"),
        "kpis_scored_only": _("KPIs scored"),
        "kpis_with_target": _("KPIs with a target"),
        "trend": _("Trend"),
        "dimension": _("Dimension"),
        "subdimension": _("Sub-dimension"),
        "category": _("Category"),
        "code": _("Code"),
        "kpi": _("KPI"),
        "data_point": _("Data point"),
        "value": _("Value"),
        "unit": _("Unit"),
        "target": _("Target"),
        "projection": _("Projection"),
        "quality": _("Data quality"),
        "quality_grades": _("Data-quality grades"),
        "source": _("Source"),
        "year": _("Year"),
        "city": _("City"),
        "overall": _("Overall"),
        "yes": _("yes"),
        "no": _("no"),
    }


def _method_text(target_set: dict[str, Any]) -> dict[str, Any]:
    trend = target_set.get("trend") or {}
    paragraphs = [
        _(
            "Scores compare each reported KPI value with the target of the target set "
            "“%(name)s” (%(with_target)s of %(total)s KPIs have a target in it). Another "
            "target set (a national set, a city's own goals) gives other scores for the "
            "same values."
        )
        % {
            "name": target_set["name"],
            "with_target": target_set["kpis_with_target"],
            "total": target_set["kpis_total"],
        },
    ]
    if target_set["method"] == "sdsn":
        paragraphs.append(
            _(
                "Method: SDSN normalisation. Each value is put on a 0-100 scale where 100 "
                "meets the target and 0 is the lower bound; colours green, yellow, orange "
                "and red. It is not the U4SSC points method."
            )
        )
    else:
        paragraphs.append(
            _(
                "Method: U4SSC distance to target. A KPI's achievement is its value as a "
                "share of the target (target / value where lower is better), capped at "
                "100 %. It earns 4 points at 95 % and more, 3 from 66 %, 2 from 33 % "
                "and 1 below. A category, sub-dimension or dimension shows its points as a "
                "share of the maximum (4 points per scored KPI), in the same four bands."
            )
        )
    paragraphs.append(
        _(
            "Trends compare the year with the first year the city reported the KPI: at the "
            "pace observed, will the target be met by %(year)s? (%(kind)s)"
        )
        % {
            "year": trend.get("target_year", 2030),
            "kind": _("Statistics Canada compound growth")
            if trend.get("kind") == "cagr"
            else _("SDSN linear rate"),
        }
    )
    caveats = [
        _(
            "Only published data is shown: values the verifier has checked and the city has "
            "released."
        ),
        _("KPIs without a target in this set, and KPIs not reported, are not scored."),
        _(
            "Small differences are not significant: two cities a few points or 2-3 ranks "
            "apart perform about the same."
        ),
        _(
            "U4SSC points and SDSN scores answer different questions and are not comparable "
            "with each other."
        ),
        _(
            "Data quality is graded 1 (accurate measurements) to 6 (unknown methodology); "
            "read a value of grade 5 or 6 with care."
        ),
    ]
    return {"paragraphs": paragraphs, "caveats": caveats}


def _score_labels(target_set: dict[str, Any]) -> dict[str, str]:
    """Column words for the set's 0-100 number, as the pages name it (achievement, score)."""
    word = target_set["score_word"]
    return {"score": capfirst(word), "mean_score": _("Mean %(score_word)s") % {"score_word": word}}


def _target_set_fields(target_set: dict[str, Any]) -> dict[str, Any]:
    return {
        # scores are percentages (U4SSC achievement) or points out of 100 (SDSN)
        "percent": _percent(target_set),
        "target_set": target_set["name"],
        "method_label": target_set["method_label"],
        "targets_note": _("%(n)s of %(total)s KPIs have a target in this set")
        % {"n": target_set["kpis_with_target"], "total": target_set["kpis_total"]},
        "legend": _legend(target_set),
        "method": _method_text(target_set),
    }


# --- City Snapshot -------------------------------------------------------------------


def _measurand(item: dict[str, Any], percent: bool = True) -> dict[str, Any]:
    """A tile, or one of its data points, as a row of the KPI table."""
    return {
        "value": value_text(item.get("value"), item["unit"]),
        # the xlsx cell: the number itself, or the answer of a yes/no KPI
        "value_cell": value_text(item.get("value"), item["unit"])
        if item["unit"] == "yes/no"
        else item.get("value"),
        "unit": unit_text(item["unit"]),
        "target": target_text(item.get("target"), item.get("direction"), item["unit"]),
        "score": fmt_score(item.get("score"), percent),
        "score_number": item.get("score"),
        **_band(item, _no_target()),
        "trend": _trend(item),
        "projection": item.get("projection_text", "") if item.get("band") else "",
        "quality": str(item.get("quality") or ""),
        "quality_label": item.get("quality_label") or "",
        "source": item.get("source") or "",
        "synthetic": bool(item.get("is_synthetic")),
    }


def _kpi_row(tile: dict[str, Any], percent: bool = True) -> dict[str, Any]:
    row = {"code": tile["kpi_code"], "name": tile["name"], **_measurand(tile, percent)}
    row["points"] = [
        {"name": p["name"], **_measurand(p, percent)} for p in tile.get("data_points") or []
    ]
    if row["points"]:
        # the KPI's row carries its band and trend; values and targets are per data point
        row.update(value="", value_cell=None, unit="", target="", projection="")
    return row


def _group_row(group: dict[str, Any], percent: bool = True) -> dict[str, Any]:
    return {
        "code": group["code"],
        "name": group["name"],
        "score": fmt_score(group.get("score"), percent),
        "score_number": group.get("score"),
        **_band(group, _group_reason(group)),
        "scored": f"{group['kpis_scored']} / {group['kpis_with_target']}",
        "kpis_scored": int(group["kpis_scored"]),
        "kpis_with_target": int(group["kpis_with_target"]),
        "trend": _trend(group),
    }


def snapshot_document(profile: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The City Snapshot of ``profile`` (``sources.city_profile``, read in ``lang``)."""
    with translation.override(lang):
        return _snapshot_document(profile, lang)


def _snapshot_document(profile: dict[str, Any], lang: str) -> dict[str, Any]:
    city = profile["city"]
    coverage = profile["coverage"]
    tiles = profile["tiles"]
    reported = {t["kpi_code"] for t in tiles}
    not_reported = [
        {"code": k.code, "name": _(k.name)} for k in load_catalogue().kpis if k.code not in reported
    ]
    percent = _percent(profile["target_set"])
    dimensions = []
    for d in profile["dimensions"]:
        entry = _group_row(d, percent)
        entry["subdimensions"] = [
            _group_row(s, percent)
            | {"categories": [_group_row(c, percent) for c in s["categories"]]}
            for s in d["subdimensions"]
        ]
        dimensions.append(entry)
    overall = profile.get("overall") or {}
    published_at = profile.get("published_at")
    labels = (
        _common_labels()
        | _score_labels(profile["target_set"])
        | {
            "title": _("City Snapshot"),
            "kpi_table": _("KPIs reported"),
            "kpi_table_note": _(
                "Every KPI the city reported for the year, as on its benchmarking profile. A KPI "
                "with data points is scored on its data points; its band is theirs together."
            ),
            "kpi_sheet": _("KPIs"),
            "not_reported_title": _("KPIs not reported"),
            "not_reported_sheet": _("Not reported"),
            "dimensions": _("Dimensions, sub-dimensions and categories"),
            "wheel": _(
                "Benchmarking wheel: each category's share of maximum points, coloured by band; "
                "the inner ring shows the three dimensions."
            ),
            "reported": _("KPIs reported"),
            "scored": _("KPIs scored against a target"),
            "no_target": _("reported, no target in this set (not scored)"),
            "not_reported": _("KPIs not reported"),
            "country": _("Country"),
            "population": _("Population"),
            "published": _("Published"),
            "no_scores": _("No KPI of this year could be scored against this target set."),
        }
    )
    return {
        "kind": "snapshot",
        "lang": lang,
        "labels": labels,
        "city": city["name"],
        "country": country_name(city.get("country"), lang) or city.get("country") or "",
        "population": fmt_number(city.get("population")),
        "population_number": city.get("population"),
        "year": str(profile["year"]),
        "published_at": published_at.date().isoformat() if published_at else "",
        "synthetic": bool(profile.get("is_synthetic")),
        **_target_set_fields(profile["target_set"]),
        "overall": {
            "score": fmt_score(overall.get("score"), percent),
            "score_number": overall.get("score"),
            **(_band(overall, _no_target()) if overall else _band({})),
        },
        "counts": {
            "reported": str(coverage["kpis_reported"]),
            "scored": str(coverage["kpis_scored"]),
            "no_target": str(len(coverage["not_scored"])),
            "not_reported": str(coverage["kpis_total"] - coverage["kpis_reported"]),
        },
        "dimensions": dimensions,
        "kpis": [_kpi_row(t, percent) for t in tiles],
        "not_reported": not_reported,
        "quality_grades": _quality_grades(),
        "charts": {"wheel": charts.wheel(profile)} if profile["wheel"] else {},
    }


# --- national programme report -------------------------------------------------------


def national_document(
    view: dict[str, Any], comparison: dict[str, Any], lang: str = "en"
) -> dict[str, Any]:
    """The national programme report of ``view`` (``programme_view``) and ``comparison``
    (``compare`` of its cities with data), both read in ``lang``."""
    with translation.override(lang):
        return _national_document(view, comparison, lang)


def _cell(cell: dict[str, Any] | None) -> dict[str, Any]:
    if not cell or not cell.get("band"):
        return {"text": "", "score_number": None, **_band({})}
    return {
        "text": fmt_number(math.floor(float(cell["score"]) * 10 + 0.5) / 10, 4),
        "score_number": cell["score"],
        **_band(cell),
    }


def _short_row(item: dict[str, Any], unit: str, percent: bool = True) -> dict[str, Any]:
    """A city (single-value KPI) or one of its data points short of the top band, as a row
    of a shared opportunity's table: the numbers as printed and as numbers (for the
    xlsx), and the band as words and dots beside its colour."""
    gap = item.get("gap")
    return {
        "value": value_text(item.get("value"), unit),
        # the xlsx cell: the number itself, or the answer of a yes/no KPI
        "value_number": value_text(item.get("value"), unit)
        if unit == "yes/no"
        else item.get("value"),
        "gap": value_text(gap, unit) if gap is not None else "",
        "gap_number": gap,
        "score": fmt_score(item.get("score"), percent),
        "score_number": item.get("score"),
        **_band(item),
    }


def _opportunity(o: dict[str, Any], synthetic: Any, percent: bool = True) -> dict[str, Any]:
    """A shared opportunity as a table: a row per city short of the top band (a KPI with
    data points: a row per data point it falls short on), furthest from the target first,
    as the programme view's page and its CSV."""
    unit = o["unit"]
    cities = []
    for c in o["cities"]:
        points = [
            {
                "name": p["name"],
                "unit": unit_text(p["unit"]),
                "target": target_text(p["target"], p["direction"], p["unit"]),
                "synthetic": bool(p["is_synthetic"] or c["is_synthetic"]),
                **_short_row(p, p["unit"], percent),
            }
            for p in c["data_points_short"]
        ]
        # a single-value KPI's unit is printed once, in the column's head
        row = _short_row(c, "yes/no" if unit == "yes/no" else "", percent)
        cities.append(
            {
                "name": c["city"]["name"],
                "synthetic": bool(c["is_synthetic"]) or synthetic(c["city"]),
                **row,
                "points": points,
            }
        )
    return {
        "code": o["kpi_code"],
        "name": o["name"],
        "short": str(o["n_short"]),
        "reported": str(o["n_reported"]),
        "n_short": int(o["n_short"]),
        "n_reported": int(o["n_reported"]),
        "summary": _("%(short)s of %(reported)s cities fall short.")
        % {"short": o["n_short"], "reported": o["n_reported"]},
        "has_points": bool(o["has_data_points"]),
        "target": "" if o["has_data_points"] else target_text(o["target"], o["direction"], unit),
        "unit": unit_text(unit),
        "mean_score": fmt_score(o.get("mean_score"), percent),
        "mean_score_number": o.get("mean_score"),
        "cities": cities,
    }


def _national_document(
    view: dict[str, Any], comparison: dict[str, Any], lang: str
) -> dict[str, Any]:
    catalogue = load_catalogue()
    percent = _percent(view["target_set"])
    dimensions: list[dict[str, str]] = []
    for k in catalogue.kpis:
        if k.dimension_code not in [d["code"] for d in dimensions]:
            dimensions.append({"code": k.dimension_code, "name": _(k.dimension)})
    # a city is marked when it, or any value of it shown here, is synthetic
    synthetic_values = {
        line["city"]["id"]
        for line in view["heatmap"]
        if any(cell and cell["is_synthetic"] for cell in line["cells"])
    }
    synthetic_values |= {
        city["id"]
        for i, city in enumerate(comparison["cities"])
        if any(k["cells"][i] and k["cells"][i]["is_synthetic"] for k in comparison["kpis"])
    }

    def synthetic(city: dict[str, Any]) -> bool:
        return bool(city["is_synthetic"]) or city["id"] in synthetic_values

    cities = []
    for c in view["cities"]:
        overall = c.get("overall")
        cities.append(
            {
                "name": c["name"],
                "has_data": bool(c["has_data"]),
                "synthetic": synthetic(c),
                "score": fmt_score(overall["score"], percent) if overall else "",
                "score_number": overall["score"] if overall else None,
                "kpis_scored": str(overall["kpis_scored"]) if overall else "",
                "kpis_scored_number": int(overall["kpis_scored"]) if overall else None,
                **(_band(overall, _no_target()) if overall else _band({})),
            }
        )
    # categories x cities (compare's groups, level "category")
    categories = [g for g in comparison["groups"] if g["level"] == "category"]
    names = [g["name"] for g in categories]
    heat_rows = [
        {
            "name": city["name"],
            "synthetic": synthetic(city),
            "cells": [_cell(g["cells"][i]) for g in categories],
        }
        for i, city in enumerate(comparison["cities"])
    ]
    opportunities = [_opportunity(o, synthetic, percent) for o in view["shared_opportunities"]]
    years = [str(y) for y in view["years"]]
    progress = []
    for entry in view["progress"]:
        by_year = {str(p["year"]): p for p in entry["series"]}
        progress.append(
            {
                "name": entry["city"]["name"],
                "synthetic": synthetic(entry["city"]),
                "cells": [_cell(by_year.get(y)) for y in years],
            }
        )
    labels = (
        _common_labels()
        | _score_labels(view["target_set"])
        | {
            "title": _("National programme report"),
            "members": _("Member cities"),
            "members_note": _(
                "Each city's overall score: all its scored KPIs' points as a share of the maximum."
            ),
            "dimensions": _("Dimensions"),
            "dimensions_note": _("Each city's dimension scores (share of maximum points)."),
            "heatmap": _("Categories by city"),
            "heatmap_sheet": _("Categories"),
            "heatmap_note": _(
                "Each cell is a city's category score (share of maximum points, %), coloured by "
                "band; an empty cell has no scored KPI."
            ),
            "kpi_heatmap": _("KPIs by city"),
            "kpi_heatmap_sheet": _("KPIs"),
            "kpi_heatmap_note": _(
                "Each cell is a city's KPI, coloured by band and marked with the band's number "
                "(4 = the top band); “–” = not reported. Only KPIs with a target in this set "
                "are shown."
            ),
            "opportunities": _("Shared opportunities"),
            "opportunities_note": _(
                "KPIs on which several member cities fall short of the top band (at least two "
                "cities, and at least half of those that report the KPI): where cities may look "
                "for solutions together. Most cities first; within a KPI, the furthest from the "
                "target first."
            ),
            "short": _("Cities short"),
            "gap": _("Distance to the target"),
            "kpi_score": _("KPI: %(score_word)s")
            % {"score_word": view["target_set"]["score_word"]},
            "kpi_band": _("KPI: band"),
            "opportunity_points": _(
                "Each data point is scored on its own against its target; the KPI's band comes "
                "from the mean of its data points' points. Listed: the data points below the "
                "top band."
            ),
            "of_reported": _("of cities scored"),
            "cities_short": _("Cities short of the top band"),
            "progress": _("Each city's progress"),
            "progress_sheet": _("Progress"),
            "progress_note": _(
                "Each city's overall score (share of maximum points) in each published year."
            ),
            "no_data": _("no published data this year"),
            "cities": _("Cities"),
            "with_data": _("with published data this year"),
            "none": _("None: no KPI on which several member cities fall short this year."),
        }
    )
    kpi_columns = [{"code": k["kpi_code"], "name": k["name"]} for k in view["kpis"]]
    kpi_rows = [
        {
            "name": line["city"]["name"],
            "cells": [_cell(c) | {"digit": str(c["band"]) if c else ""} for c in line["cells"]],
        }
        for line in view["heatmap"]
    ]
    chart_specs: dict[str, Any] = {}
    if comparison["cities"]:
        chart_specs["dimensions"] = charts.dimensions(comparison)
    for code, spec in charts.heatmaps(view, dimensions).items():
        chart_specs[f"heatmap-{code}"] = spec
    if 0 < len(view["progress"]) <= PROGRESS_CHART_MAX_CITIES:
        chart_specs["progress"] = charts.progress(view)
    return {
        "kind": "national",
        "lang": lang,
        "labels": labels,
        "group": view["group"]["name"],
        "year": str(view["year"]),
        "synthetic": bool(view["is_synthetic"] or comparison["is_synthetic"] or synthetic_values),
        **_target_set_fields(view["target_set"]),
        "counts": {
            "cities": str(len(cities)),
            "with_data": str(sum(1 for c in cities if c["has_data"])),
        },
        "dimensions": dimensions,
        "cities": cities,
        "categories": [
            {
                "code": g["code"],
                # a category name can recur under several sub-dimensions (Water and
                # Sanitation): the sub-dimension's code tells them apart
                "name": g["name"]
                if names.count(g["name"]) == 1
                else f"{g['name']} ({g['code'].split(': ')[1]})",
            }
            for g in categories
        ],
        "heatmap": heat_rows,
        "kpi_columns": kpi_columns,
        "kpi_heatmap": kpi_rows,
        "opportunities": opportunities,
        "years": years,
        "progress": progress,
        "charts": chart_specs,
    }
