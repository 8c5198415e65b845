"""Report documents: what a report says, as one JSON-ready dict, in one language.

The PDF (a Typst template that reads this dict as JSON) and the xlsx (openpyxl) are two
renderings of the same document, so they cannot say different things. Every number is
formatted here, in the report's language; every label is translated here (Django's
gettext), so the renderers hold no words of their own.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.apps.evaluations.models import Quality
from u4ssc.core.catalogue import load_catalogue

# Colours of the four U4SSC bands (and "not scored"), light enough to print text on.
BAND_COLOURS = {
    4: "#4caf50",
    3: "#aed581",
    2: "#ffd54f",
    1: "#ef6c5a",
    0: "#e0e0e0",
}

# Words the scoring engine returns in English; listed so that `makemessages` finds them.
ENGINE_WORDS = [
    gettext_noop("95 %+ of target"),
    gettext_noop("66-95 %"),
    gettext_noop("33-66 %"),
    gettext_noop("less than 33 % of target"),
    gettext_noop("not scored"),
    gettext_noop("on track or maintaining"),
    gettext_noop("moderately improving"),
    gettext_noop("stagnating"),
    gettext_noop("decreasing"),
    gettext_noop("on track"),
    gettext_noop("acceleration needed"),
    gettext_noop("limited progress"),
    gettext_noop("deterioration"),
    gettext_noop("no trend"),
]
ARROWS = {
    "on track or maintaining": "↑",
    "on track": "↑",
    "moderately improving": "↗",
    "acceleration needed": "↗",
    "stagnating": "→",
    "limited progress": "→",
    "decreasing": "↓",
    "deterioration": "↓",
}
LANGUAGES = ("en", "nb")


def fmt_number(value: Any, digits: int = 4) -> str:
    """A number for people in the active language: 12 345,5 (nb), 12,345.5 (en)."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return ""
    if x == int(x) and abs(x) < 1e15:
        return number_format(int(x), use_l10n=True, force_grouping=True)
    decimals = max(0, min(6, digits - math.floor(math.log10(abs(x))) - 1)) if x else 0
    plain = f"{round(x, decimals):.{decimals}f}"
    needed = len(plain.rstrip("0").partition(".")[2]) if "." in plain else 0  # 0.5, not 0.5000
    return number_format(round(x, needed), decimal_pos=needed, use_l10n=True, force_grouping=True)


def fmt_percent(value: Any) -> str:
    text = fmt_number(value, 3)
    return f"{text} %" if text else ""


def _word(text: str | None) -> str:
    return _(text) if text else ""


def _trend(word: str | None) -> str:
    if not word or word == "no trend":
        return ""
    return f"{ARROWS.get(word, '')} {_(word)}".strip()


def _with_unit(value: Any, unit: str) -> str:
    text = fmt_number(value)
    return f"{text} {unit}".strip() if text else ""


def _target_text(target: Any, direction: str | None) -> str:
    if direction and direction.startswith("range:"):
        low, _sep, high = direction[len("range:") :].partition("-")
        return _("%(low)s to %(high)s") % {"low": fmt_number(low), "high": fmt_number(high)}
    if target is None:
        return ""
    sign = {"higher": "≥ ", "lower": "≤ "}.get(direction or "", "")
    return sign + fmt_number(target)


def _quality_text(grade: Any) -> str:
    """The grade's number and words, e.g. "2 · Reliable data with minor gaps"."""
    if not grade:
        return ""
    try:
        return f"{int(grade)} · {Quality(int(grade)).label}"
    except ValueError:
        return str(grade)


def _quality_grades() -> list[dict[str, str]]:
    return [{"grade": str(q.value), "label": str(q.label)} for q in Quality]


def _status_text(status: str) -> str:
    return {
        "not_available": _("not available"),
        "not_applicable": _("not applicable"),
        "empty": _("not reported"),
    }.get(status, "")


def _names() -> dict[str, dict[str, str]]:
    """KPI and data-point names in the active language, from the catalogue."""
    nb = translation.get_language() == "nb"
    kpis, points = {}, {}
    for k in load_catalogue().kpis:
        kpis[k.code] = k.name_nb if nb and k.name_nb else k.name
        for m in k.data_points:
            points[f"{k.code}|{m.data_point}"] = m.name_nb if nb and m.name_nb else m.name
    return {"kpis": kpis, "points": points}


def _legend(bands: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"band": b, "label": _word(bands.get(str(b), "")), "colour": BAND_COLOURS[b]}
        for b in (4, 3, 2, 1)
    ]


def _group(entry: dict[str, Any], level: str) -> dict[str, Any]:
    band = int(entry.get("band") or 0)
    return {
        "code": entry.get(f"{level}_code", ""),
        "name": _word(entry.get(f"{level}_name", "")),
        "percentage": entry.get("percentage"),
        "percentage_text": fmt_percent(entry.get("percentage")),
        "band": band,
        "band_label": _word(entry.get("band_label")),
        "colour": BAND_COLOURS.get(band, BAND_COLOURS[0]),
        "kpis_scored": entry.get("kpis_scored", 0),
        "trend": _trend(entry.get("trend")),
    }


def _common_labels() -> dict[str, str]:
    return {
        "page": _("Page"),
        "of": _("of"),
        "synthetic": _("Synthetic demo data"),
        "synthetic_short": _("synthetic"),
        "synthetic_note": _(
            "Values marked “synthetic” were generated for the demo; they are not real data."
        ),
        "draft": _("Not published: verification is not finished"),
        "generated": _("Made on %(date)s by the U4SSC platform")
        % {"date": timezone.localdate().isoformat()},
        "target_set": _("Target set"),
        "legend": _("Legend"),
        "method": _("Method and caveats"),
        "method_sheet": _("Method"),
        "summary": _("Summary"),
        "band": _("Band"),
        "percentage": _("Share of maximum points"),
        "kpis_scored": _("KPIs scored"),
        "trend": _("Trend"),
        "dimension": _("Dimension"),
        "subdimension": _("Sub-dimension"),
        "category": _("Category"),
        "code": _("Code"),
        "kpi": _("KPI"),
        "value": _("Value"),
        "unit": _("Unit"),
        "target": _("Target"),
        "quality": _("Data quality"),
        "quality_grades": _("Data-quality grades"),
        "source": _("Source"),
        "year": _("Year"),
        "city": _("City"),
        "yes": _("yes"),
        "no": _("no"),
    }


def _method_text(target_set: dict[str, Any]) -> dict[str, Any]:
    method = (target_set.get("method") or {}).get("method", "u4ssc")
    trend_kind = ((target_set.get("method") or {}).get("trend") or {}).get("kind", "sdsn_linear")
    target_year = ((target_set.get("method") or {}).get("trend") or {}).get("target_year", 2030)
    paragraphs = [
        _(
            "Scores compare each reported KPI value with the target of the target set "
            "“%(name)s”. Another target set (a national set, a city's own goals) gives "
            "other scores for the same values."
        )
        % {"name": target_set.get("name", "")},
    ]
    if method == "sdsn":
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
            "year": target_year,
            "kind": _("SDSN linear rate")
            if trend_kind == "sdsn_linear"
            else _("Statistics Canada compound growth"),
        }
    )
    caveats = [
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


def snapshot_document(profile: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The City Snapshot of ``profile`` (``sources.city_profile``) in ``lang``."""
    with translation.override(lang):
        return _snapshot_document(profile, lang)


def _snapshot_document(profile: dict[str, Any], lang: str) -> dict[str, Any]:
    names = _names()
    bands = profile.get("bands") or {}
    city = profile["city"]
    evaluation = profile.get("evaluation") or {}
    kpis = []
    counts = {"reported": 0, "scored": 0, "no_target": 0, "not_reported": 0}
    for k in profile["kpis"]:
        reported = k.get("status") == "reported"
        counts["reported"] += int(reported)
        counts["scored"] += int(bool(k.get("scored")))
        counts["no_target"] += int(reported and not k.get("scored"))
        counts["not_reported"] += int(not reported)
        band = int(k.get("band") or 0)
        points = []
        for p in k.get("data_points") or []:
            pband = int(p.get("band") or 0)
            points.append(
                {
                    "name": names["points"].get(f"{k['code']}|{p['data_point']}", p["name"]),
                    "value": fmt_number(p.get("value")) or _status_text(p.get("status", "")),
                    "unit": p.get("unit", ""),
                    "value_unit": _with_unit(p.get("value"), p.get("unit", ""))
                    or _status_text(p.get("status", "")),
                    "target": _target_text(p.get("target"), p.get("direction")),
                    "band": pband,
                    "band_label": _word(p.get("band_label")) if pband else "",
                    "colour": BAND_COLOURS.get(pband, BAND_COLOURS[0]),
                    "source": p.get("source") or "",
                    "quality": str(p.get("quality") or ""),
                    "quality_label": _quality_text(p.get("quality")),
                    "synthetic": bool(p.get("is_synthetic")),
                }
            )
        kpis.append(
            {
                "code": k["code"],
                "name": names["kpis"].get(k["code"], k["name"]),
                "dimension_code": k.get("dimension_code", ""),
                "value": fmt_number(k.get("value"))
                if k.get("value") is not None
                else ("" if points and reported else _status_text(k.get("status", "empty"))),
                "unit": k.get("unit", ""),
                "value_unit": _with_unit(k.get("value"), k.get("unit", ""))
                or ("" if points and reported else _status_text(k.get("status", "empty"))),
                "target": _target_text(k.get("target"), k.get("direction")),
                "band": band,
                "band_label": _word(k.get("band_label"))
                if band
                else (_("no target") if reported else ""),
                "colour": BAND_COLOURS.get(band, BAND_COLOURS[0]),
                "trend": _trend(k.get("trend")),
                "source": k.get("source") or "",
                "quality": str(k.get("quality") or ""),
                "quality_label": _quality_text(k.get("quality")),
                "synthetic": bool(k.get("is_synthetic")),
                "points": points,
            }
        )
    subdims = [
        _group(s, "subdimension") | {"dimension": s.get("dimension_code")}
        for s in profile.get("subdimensions", [])
    ]
    cats = [
        _group(c, "category")
        | {"dimension": c.get("dimension_code"), "subdimension": c.get("subdimension_code")}
        for c in profile.get("categories", [])
    ]
    dimensions = []
    for d in profile.get("dimensions", []):
        entry = _group(d, "dimension")
        entry["subdimensions"] = [
            s
            | {
                "categories": [
                    c
                    for c in cats
                    if c["subdimension"] == s["code"] and c["dimension"] == entry["code"]
                ]
            }
            for s in subdims
            if s["dimension"] == entry["code"]
        ]
        dimensions.append(entry)
    synthetic = bool(
        city.get("is_synthetic")
        or evaluation.get("is_synthetic")
        or any(k["synthetic"] for k in kpis)
    )
    labels = _common_labels() | {
        "title": _("City Snapshot"),
        "kpi_table": _("Every KPI"),
        "kpi_sheet": _("KPIs"),
        "dimensions": _("Dimensions"),
        "wheel": _("Benchmarking wheel: categories by share of maximum points"),
        "reported": _("KPIs reported"),
        "scored": _("KPIs scored against a target"),
        "no_target": _("reported, no target (not scored)"),
        "not_reported": _("KPIs not reported"),
        "country": _("Country"),
        "population": _("Population"),
        "published": _("Published"),
        "no_scores": _("No KPI of this year could be scored against this target set."),
    }
    return {
        "kind": "snapshot",
        "lang": lang,
        "labels": labels,
        "city": city["name"],
        "country": city.get("country_code") or "",
        "population": fmt_number(city.get("population")),
        "year": str(profile["year"]),
        "published_at": evaluation.get("published_at") or "",
        "draft": not evaluation.get("published", False),
        "synthetic": synthetic,
        "target_set": profile["target_set"]["name"],
        "legend": _legend(bands),
        "counts": {key: str(v) for key, v in counts.items()},
        "dimensions": dimensions,
        "categories": cats,
        "kpis": kpis,
        "method": _method_text(profile["target_set"]),
        "quality_grades": _quality_grades(),
    }


def national_document(view: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The national programme report of ``view`` (``sources.programme_view``) in ``lang``."""
    with translation.override(lang):
        return _national_document(view, lang)


def _national_document(view: dict[str, Any], lang: str) -> dict[str, Any]:
    names = _names()
    bands = view.get("bands") or {}
    categories = [
        {
            "key": f"{c['dimension_code']}:{c['subdimension_code']}:{c['category_code']}",
            "name": _word(c["category_name"]),
            "dimension": c["dimension_code"],
        }
        for c in view["categories"]
    ]
    cities = []
    for row in view["cities"]:
        by_cat = {
            f"{c['dimension_code']}:{c['subdimension_code']}:{c['category_code']}": c
            for c in row.get("categories", [])
        }
        cells = []
        for cat in categories:
            c = by_cat.get(cat["key"])
            band = int(c.get("band") or 0) if c else 0
            cells.append(
                {
                    "percentage": c.get("percentage") if c else None,
                    "text": fmt_number(c.get("percentage"), 2) if c else "",
                    "band": band,
                    "colour": BAND_COLOURS.get(band, BAND_COLOURS[0]),
                }
            )
        history = []
        for h in row.get("history", []):
            history.append(
                {
                    "year": str(h["year"]),
                    "dimensions": {
                        d["dimension_code"]: fmt_percent(d.get("percentage"))
                        for d in h.get("dimensions", [])
                    },
                }
            )
        cities.append(
            {
                "name": row["city"]["name"],
                "slug": row["city"]["slug"],
                "published": bool(row.get("published")),
                "synthetic": bool(row.get("is_synthetic")),
                "kpis_scored": str(row.get("kpis_scored", 0)),
                "dimensions": [_group(d, "dimension") for d in row.get("dimensions", [])],
                "cells": cells,
                "history": history,
            }
        )
    dimensions = []
    for k in load_catalogue().kpis:
        if k.dimension_code not in [d["code"] for d in dimensions]:
            dimensions.append({"code": k.dimension_code, "name": _(k.dimension)})
    opportunities = [
        {
            "code": o["code"],
            "name": names["kpis"].get(o["code"], o["name"]),
            "below": str(o["below"]),
            "scored": str(o["scored"]),
            "share": fmt_percent(100 * o["below"] / o["scored"]) if o["scored"] else "",
        }
        for o in view.get("opportunities", [])
    ]
    group = view["group"]
    labels = _common_labels() | {
        "title": _("National programme report"),
        "heatmap": _("Heatmap: categories by share of maximum points"),
        "heatmap_sheet": _("Heatmap"),
        "progress_sheet": _("Progress"),
        "heatmap_note": _(
            "Each cell is a city's category score (share of maximum points, %); an empty "
            "cell has no scored KPI."
        ),
        "opportunities": _("Shared opportunities"),
        "opportunities_note": _(
            "KPIs where cities fall below 66 % of the target, most often first: candidates "
            "for joint projects."
        ),
        "below": _("Cities below 66 %"),
        "of_scored": _("of cities scored"),
        "progress": _("Each city's progress"),
        "progress_note": _("Dimension scores (share of maximum points) in each published year."),
        "no_data": _("no published data this year"),
        "cities": _("Cities"),
        "none": _("None: no KPI falls below 66 % of its target in this group."),
    }
    return {
        "kind": "national",
        "lang": lang,
        "labels": labels,
        "group": group["name"],
        "year": str(view["year"]),
        "synthetic": bool(group.get("is_synthetic")) or any(c["synthetic"] for c in cities),
        "draft": False,
        "target_set": view["target_set"]["name"],
        "legend": _legend(bands),
        "categories": categories,
        "dimensions": dimensions,
        "cities": cities,
        "opportunities": opportunities,
        "method": _method_text(view["target_set"]),
    }
