"""Reads of the benchmarking app, shared by the pages, the API and the reports.

Every function returns plain, JSON-ready dicts (numbers, strings, lists; ``None`` for
"none") built from the published data scored against a target set (see ``scoreboard``).
Labels (band, trend, projection, names) are in the active language: wrap a call in
``django.utils.translation.override("nb")`` for Norwegian. Each function runs a small
number of queries that does not grow with the number of cities, years or KPIs.

The shapes are documented in each docstring and in ``docs/benchmarking.md``. Shared
pieces:

- *target set* ``{"slug", "name", "kind", "is_default", "method", "method_label",
  "score_word", "kpis_with_target", "kpis_total", "bands": [{"band", "label", "icon",
  "range"}], "min_coverage" (share 0-1), "coverage_rule" (it in words)}``.
- *city* ``{"id", "slug", "name", "country", "is_synthetic"}`` (plus ``latitude``,
  ``longitude``, ``size_class``, ``population`` where a page maps or groups cities).
- *score fields* of anything scored: ``score`` (0-100: U4SSC achievement or percentage,
  SDSN score; ``None`` = not scored), ``points`` (U4SSC 1-4, else ``None``), ``band``
  (1-4, 0 = not scored), ``band_label``, ``band_icon`` ("●●●○": the band without colour).
- *trend fields*: ``trend`` (0 none, 1-4), ``trend_arrow`` ("↑"), ``trend_label``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.apps.benchmarking import labels, scoreboard
from u4ssc.apps.benchmarking.scoreboard import Scoreboard
from u4ssc.apps.catalogue.models import TargetSet, TargetSetKind
from u4ssc.apps.catalogue.views import kpi_slug
from u4ssc.apps.evaluations.models import KPIValue, Quality, State, ValueStatus
from u4ssc.apps.organisations import queries as org_queries
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.core.catalogue import KPI as CatalogueKPI
from u4ssc.core.registry import ascii_slug
from u4ssc.core.scoring import NOT_AT_THIS_PACE, PROJECTED, REACHED
from u4ssc.core.scoring.tables import PROJECTION_LABELS

LEVELS = ("dimension", "subdimension", "category")
# Marked for the catalogue here, translated where it is used (``_(RANKING_CAVEAT)``).
RANKING_CAVEAT = gettext_noop(
    "Small rank differences (two or three places) are not significant: values carry "
    "measurement error and cities report different years and sources."
)


# ------------------------------------------------------------------ small helpers


def _f(x: Any, digits: int = 6) -> float | None:
    """A float for JSON: ``None`` for NaN."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else round(x, digits)


def kpi_by_slug(slug: str) -> CatalogueKPI | None:
    """The catalogue KPI whose page slug is ``slug`` (as ``/kpis/<slug>/``)."""
    from u4ssc.core.catalogue import load_catalogue

    return next((k for k in load_catalogue().kpis if kpi_slug(k.code) == slug), None)


def city_info(city: Organisation | dict[str, Any]) -> dict[str, Any]:
    if isinstance(city, dict):
        return city
    return {
        "id": city.pk,
        "slug": city.slug,
        "name": city.name,
        "country": city.country_code,
        "is_synthetic": bool(city.is_synthetic),
    }


def _all_cities() -> dict[int, dict[str, Any]]:
    """Every city, by id, with what maps and groupings need (one query)."""
    rows = Organisation.objects.filter(kind=OrgKind.CITY).values(
        "id",
        "slug",
        "name",
        "country_code",
        "latitude",
        "longitude",
        "size_class",
        "population",
        "is_synthetic",
    )
    return {
        r["id"]: {
            "id": r["id"],
            "slug": r["slug"],
            "name": r["name"],
            "country": r["country_code"],
            "latitude": r["latitude"],
            "longitude": r["longitude"],
            "size_class": r["size_class"],
            "population": r["population"],
            "is_synthetic": bool(r["is_synthetic"]),
        }
        for r in rows.order_by()
    }


# ------------------------------------------------------------------ target sets


def target_set_choice(
    slug: str | None = None,
    *,
    owner: Organisation | Sequence[Organisation] | None = None,
) -> tuple[TargetSet | None, list[TargetSet]]:
    """The target set to score with, and every set (for a selector), in one query (two
    with an ``owner``).

    ``slug``: that set (``LookupError`` when unknown). Otherwise the default for
    ``owner``: the national set of the national programme it is, or belongs to (a city's
    national programme; for several cities, one they all belong to), else the programme
    default, else the first set. The sets carry their data version
    (``scoreboard.with_version``). The rule is written down in ``docs/benchmarking.md``
    ("Which target set").
    """
    sets = list(
        scoreboard.with_version().select_related("owner").order_by("-is_default", "name", "id")
    )
    if slug:
        chosen = next((s for s in sets if s.slug == slug), None)
        if chosen is None:
            raise LookupError(f"no target set {slug!r}")
        return chosen, sets
    national = _national_sets(sets, owner)
    if national:
        return national[0], sets
    default = next((s for s in sets if s.is_default), None)
    return (default or (sets[0] if sets else None)), sets


def _national_sets(
    sets: Sequence[TargetSet], owner: Organisation | Sequence[Organisation] | None
) -> list[TargetSet]:
    """The national sets of national programmes that ``owner`` is or belongs to (every
    one of them, when several), in the order of ``sets``."""
    owners = [owner] if isinstance(owner, Organisation) else list(owner or [])
    candidates = [
        s
        for s in sets
        if s.kind == TargetSetKind.NATIONAL
        and s.owner is not None
        and s.owner.kind == OrgKind.NATIONAL_PROGRAMME
    ]
    if not owners or not candidates:
        return []
    # one query per national set (there are few), whatever the number of cities
    return [
        s
        for s in candidates
        if {o.pk for o in owners} <= org_queries.descendant_ids(s.owner_id)  # type: ignore[arg-type]
    ]


def default_note(
    target_set: TargetSet | None, owner: Organisation | Sequence[Organisation] | None
) -> str:
    """Why ``target_set`` is the default here (for the target bar), or ""."""
    if target_set is None or target_set.kind != TargetSetKind.NATIONAL or not owner:
        return ""
    programme = target_set.owner.name if target_set.owner is not None else ""
    if isinstance(owner, Organisation) and owner.kind == OrgKind.CITY:
        return _(
            "The default for %(city)s: the target set of its national programme, %(programme)s."
        ) % {"city": owner.name, "programme": programme}
    if isinstance(owner, Organisation):
        return _("The default here: the national target set of %(programme)s.") % {
            "programme": programme
        }
    return _(
        "The default for these cities: the target set of their national programme, %(programme)s."
    ) % {"programme": programme}


def target_set_info(target_set: TargetSet | None, board: Scoreboard) -> dict[str, Any]:
    """The *target set* shape (see the module docstring)."""
    return {
        "slug": target_set.slug if target_set else None,
        "name": target_set.name if target_set else _("No target set"),
        "kind": target_set.kind if target_set else None,
        "is_default": bool(target_set.is_default) if target_set else False,
        "method": board.method.name,
        "method_label": labels.method_label(board.method),
        "score_word": labels.score_word(board.method),
        "kpis_with_target": int(board.kpi_has_target.sum()),
        "kpis_total": len(board.kpi_keys),
        "bands": labels.band_legend(board.method),
        "min_coverage": float(board.method.min_coverage),
        "coverage_rule": labels.coverage_rule(board.method),
    }


def target_set_options(sets: Sequence[TargetSet]) -> list[dict[str, Any]]:
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "method": s.method,
            "kind": s.kind,
            "n_targets": s.n_targets or 0,
        }
        for s in sets
    ]


# ------------------------------------------------------------------ the method page


def method_numbers(target_set: TargetSet | None) -> dict[str, Any]:
    """The numbers the method page states, for both methods: the defaults, or for the
    method of ``target_set`` (when given) that set's own settings.

    Returns ``{"target_set": {"slug", "name", "method"} | None, "u4ssc": {"edges": [33,
    66, 95], "min_coverage": 0.0}, "sdsn": {"percentile", "thresholds", "min_coverage",
    "goal_colour_rule", "bands" (the legend), "coverage_rule"}, "trend": {"kind",
    "target_year", "horizon", "baseline_year", "on_track", "moderate", "min_coverage"}}``
    (percentages as numbers, shares 0-1)."""
    from u4ssc.core.scoring import SDSNMethod, U4SSCMethod

    chosen = scoreboard.method_of(target_set) if target_set is not None else None
    u4ssc = chosen if isinstance(chosen, U4SSCMethod) else U4SSCMethod()
    sdsn = chosen if isinstance(chosen, SDSNMethod) else SDSNMethod()
    trend = chosen.trend if chosen is not None else u4ssc.trend
    on_track, moderate = trend.ratio_cutoffs
    return {
        "target_set": (
            {"slug": target_set.slug, "name": target_set.name, "method": target_set.method}
            if target_set is not None
            else None
        ),
        "u4ssc": {"edges": list(u4ssc.band_edges), "min_coverage": u4ssc.min_coverage},
        "sdsn": {
            "percentile": sdsn.percentile,
            "thresholds": list(sdsn.thresholds),
            "min_coverage": sdsn.min_coverage,
            "goal_colour_rule": sdsn.goal_colour_rule,
            "bands": labels.band_legend(sdsn),
            "coverage_rule": labels.coverage_rule(sdsn),
        },
        "trend": {
            "kind": trend.kind,
            "target_year": trend.target_year,
            "horizon": trend.horizon,
            "baseline_year": trend.baseline_year,
            "on_track": on_track,
            "moderate": moderate,
            "min_coverage": trend.min_coverage,
        },
    }


# ------------------------------------------------------------------ scored pieces


class _Reader:
    """Reads one board's arrays into the shapes of this module."""

    def __init__(self, board: Scoreboard) -> None:
        self.board = board
        self.bands = labels.band_labels(board.method)
        self.trends = labels.trend_labels(board.method)
        self.u4ssc = board.is_u4ssc
        self.qualities = dict(Quality.choices)

    def band(self, band: int) -> dict[str, Any]:
        return {
            "band": band,
            "band_label": self.bands[band],
            "band_icon": labels.BAND_ICONS[band],
        }

    def trend(self, arrow: int) -> dict[str, Any]:
        return {
            "trend": arrow,
            "trend_arrow": labels.ARROWS[arrow],
            "trend_label": self.trends[arrow] if arrow else "",
        }

    def target(self, m: int) -> tuple[Any, str]:
        """(target as the core's explain gives it, direction) of measurand ``m``."""
        b = self.board
        t = b.targets
        point = b.catalogue.measurand(b.measurands[m][0], b.measurands[m][1])
        if not b.has_target[m]:
            return None, point.direction.kind
        if int(t.direction[m]) == 2:
            return {"low": float(t.low[m]), "high": float(t.high[m])}, "range"
        return float(t.target[m]), ("lower" if int(t.direction[m]) == 1 else "higher")

    def gap(self, m: int, value: float) -> float | None:
        """How far ``value`` is from meeting measurand ``m``'s target, in its unit."""
        t = self.board.targets
        if not self.board.has_target[m] or math.isnan(value):
            return None
        low, high = float(t.low_edge[m]), float(t.high_edge[m])
        return max(low - value, 0.0) + max(value - high, 0.0)

    def point(self, c: int, m: int, y: int) -> dict[str, Any]:
        """One measurand of one city and year: value, target, score, trend, projection."""
        b = self.board
        key, data_point = b.measurands[m]
        measurand = b.catalogue.measurand(key, data_point)
        value = float(b.values[c, m, y])
        target, direction = self.target(m)
        reported = not math.isnan(value)
        out: dict[str, Any] = {
            "data_point": data_point,
            "name": _(measurand.name) if data_point else "",
            "unit": measurand.unit,
            "value": _f(value, 10),
            "target": target,
            "direction": direction,
            "target_text": labels.direction_text(direction, target),
            "gap": _f(self.gap(m, value), 10),
            "is_synthetic": bool(b.synthetic[c, m, y]) if reported else False,
            "quality": int(b.quality[c, m, y]) or None,
        }
        out["quality_label"] = str(self.qualities.get(out["quality"], "")) if out["quality"] else ""
        r = b.card.result if b.card is not None else None
        band = int(r.band[c, m, y]) if r is not None and reported else 0
        out["status"] = "not_reported" if not reported else "scored" if band else "no_target"
        out["score"] = _f(r.score[c, m, y]) if band and r is not None else None
        out["points"] = band if (band and self.u4ssc) else None
        out.update(self.band(band))
        arrow = int(r.trend.arrow[c, m, y]) if r is not None and reported else 0
        out.update(self.trend(arrow))
        status = int(r.trend.projection[c, m, y]) if r is not None and reported else 0
        out["projection"] = PROJECTION_LABELS.get(status, "no trend")
        year = None
        if status in (PROJECTED, REACHED):
            year = math.ceil(float(r.trend.projected_year[c, m, y]))  # type: ignore[union-attr]
        out["projected_year"] = year
        out["projection_text"] = labels.projection_text(
            out["projection"], year, b.method.trend.horizon
        )
        if status == NOT_AT_THIS_PACE:
            out["projected_year"] = None
        return out

    def kpi_score(self, c: int, k: int, y: int) -> float | None:
        """A KPI's 0-100 number: U4SSC, its points as a percentage of 4 (the number its
        band is read from: for one value, the band of its achievement; for data points,
        the band of their mean points, decision 0301); SDSN, the mean of its scores."""
        r = self.board.card.result if self.board.card is not None else None
        if r is None:
            return None
        if self.u4ssc and len(self.board.measurands_of_kpi[k]) > 1:
            return _f(100.0 * r.kpi_points[c, k, y] / 4.0)
        return _f(r.kpi_score[c, k, y])

    def kpi(self, c: int, k: int, y: int, *, history: bool = True) -> dict[str, Any] | None:
        """A KPI tile (``None`` when the city did not report the KPI that year)."""
        b = self.board
        mine = b.measurands_of_kpi[k]
        reported = [m for m in mine if not math.isnan(b.values[c, m, y])]
        if not reported:
            return None
        kpi = b.catalogue.kpis[k]
        r = b.card.result if b.card is not None else None
        points = [self.point(c, m, y) for m in reported]
        band = int(r.kpi_band[c, k, y]) if r is not None else 0
        tile: dict[str, Any] = {
            "kpi_code": kpi.code,
            "kpi_key": kpi.key,
            "slug": kpi_slug(kpi.code),
            "name": _(kpi.name),
            "name_en": kpi.name,
            "dimension_code": kpi.dimension_code,
            "subdimension_code": kpi.subdimension_code,
            "category_code": kpi.category_code,
            "category": _(kpi.category),
            "unit": kpi.unit,
            "has_data_points": kpi.has_data_points,
            "status": "scored" if band else "no_target",
            "score": self.kpi_score(c, k, y) if band else None,
            "points": (
                _f(r.kpi_points[c, k, y], 4) if band and self.u4ssc and r is not None else None
            ),
            "is_synthetic": any(p["is_synthetic"] for p in points),
            "quality": max((p["quality"] or 0 for p in points), default=0) or None,
        }
        tile["quality_label"] = (
            str(self.qualities.get(tile["quality"], "")) if tile["quality"] else ""
        )
        tile.update(self.band(band))
        tile.update(self.trend(int(r.kpi_trend[c, k, y]) if r is not None else 0))
        if kpi.has_data_points:
            tile["data_points"] = points
            tile.update(value=None, target=None, direction=kpi.direction.kind, target_text="")
            tile.update(projection=None, projected_year=None, projection_text="", gap=None)
        else:
            single = points[0]
            for field in (
                "value",
                "target",
                "direction",
                "target_text",
                "gap",
                "projection",
                "projected_year",
                "projection_text",
            ):
                tile[field] = single[field]
            tile["data_points"] = []
        if history:
            tile["history"] = [
                {
                    "data_point": b.measurands[m][1],
                    "series": [
                        {"year": b.years[i], "value": _f(b.values[c, m, i], 10)}
                        for i in np.flatnonzero(~np.isnan(b.values[c, m]))
                    ],
                }
                for m in reported
            ]
        return tile

    def group_meta(self, level: str, g: int) -> dict[str, Any]:
        """Codes, names and KPI counts of one category, sub-dimension or dimension."""
        b = self.board
        row = b.groups[level].iloc[g]
        entry: dict[str, Any] = {
            "level": level,
            "dimension_code": row["dimension_code"],
            "name": _(str(row[f"{level}_name"])),
            "name_en": str(row[f"{level}_name"]),
            "kpis_total": int(b.kpis_per_group[level][g]),
            "kpis_with_target": int(b.targeted_per_group[level][g]),
        }
        if level != "dimension":
            entry["subdimension_code"] = row["subdimension_code"]
        if level == "category":
            entry["category_code"] = row["category_code"]
        entry["code"] = ": ".join(
            str(entry[f"{lv}_code"]) for lv in LEVELS if f"{lv}_code" in entry
        )
        return entry

    def group(
        self, c: int, y: int, level: str, g: int, synthetic: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """One category, sub-dimension or dimension of a city and year (``synthetic``: the
        board's ``synthetic_parts(c, y)``, when the caller has it)."""
        b = self.board
        entry = self.group_meta(level, g)
        parts = synthetic if synthetic is not None else b.synthetic_parts(c, y)
        entry["is_synthetic"] = bool(parts[level][g])
        scores = b.card.result.levels[level] if b.card is not None else None
        band = int(scores.band[c, g, y]) if scores is not None else 0
        entry["score"] = _f(scores.score[c, g, y]) if scores is not None else None
        entry["kpis_scored"] = int(scores.n_scored[c, g, y]) if scores is not None else 0
        entry.update(self.band(band))
        entry.update(self.trend(int(scores.trend[c, g, y]) if scores is not None else 0))
        return entry

    def groups(self, c: int, y: int, level: str) -> list[dict[str, Any]]:
        parts = self.board.synthetic_parts(c, y)
        return [self.group(c, y, level, g, parts) for g in range(len(self.board.groups[level]))]

    def overall(self, c: int, y: int) -> dict[str, Any]:
        b = self.board
        out = {
            "score": _f(b.overall[c, y]),
            "kpis_scored": int(b.overall_n[c, y]),
            "is_synthetic": bool(b.synthetic_parts(c, y)["overall"][0]),
        }
        out.update(self.band(int(b.overall_band[c, y])))
        return out


def _nested_dimensions(reader: _Reader, c: int, y: int) -> list[dict[str, Any]]:
    """Dimensions, each with its sub-dimensions (each with its categories)."""
    b = reader.board
    tree = b.hierarchy
    dims = reader.groups(c, y, "dimension")
    subs = reader.groups(c, y, "subdimension")
    cats = reader.groups(c, y, "category")
    for d in dims:
        d["subdimensions"] = []
    for s_index, s in enumerate(subs):
        s["categories"] = []
        dims[int(tree.dimension_of_subdimension[s_index])]["subdimensions"].append(s)
    for c_index, cat in enumerate(cats):
        subs[int(tree.subdimension_of_category[c_index])]["categories"].append(cat)
    return dims


def _value_details(city_id: int, year: int) -> tuple[dict[tuple[int, str], str], Any]:
    """Sources of a city's published values of a year, and the publication date."""
    rows = (
        KPIValue.objects.filter(
            evaluation__city_id=city_id,
            evaluation__year=year,
            evaluation__state=State.PUBLISHED,
            status=ValueStatus.REPORTED,
        )
        .order_by()
        .values_list("kpi_id", "data_point", "source", "evaluation__published_at")
    )
    sources: dict[tuple[int, str], str] = {}
    published_at = None
    for kpi_id, point, source, at in rows:
        sources[(kpi_id, point)] = source
        published_at = at
    return sources, published_at


def _default_year(board: Scoreboard, c: int | None, year: int | None) -> int | None:
    if c is None:
        return None
    years = board.years_of(c)
    if year is not None and int(year) in years:
        return int(year)
    if year is not None:
        return None
    return years[-1] if years else None


# ------------------------------------------------------------------ city profile


def city_profile(
    city: Organisation, year: int | None, target_set: TargetSet | None
) -> dict[str, Any]:
    """A city's benchmarking profile for a year (``year=None``: its latest published).

    Returns::

        {"city": city, "year": 2024 | None, "years": [2019, ...] (years with published
         data), "target_set": target set, "has_data": bool, "is_synthetic": bool,
         "published_at": datetime | None,
         "overall": {score fields, "kpis_scored"},
         "wheel": [category, ...]  (every category of the catalogue, in catalogue order:
             {"level": "category", "code", "dimension_code", "subdimension_code",
              "category_code", "name", "name_en", score fields, trend fields,
              "kpis_scored", "kpis_with_target", "kpis_total"}),
         "dimensions": [dimension with "subdimensions": [sub-dimension with
             "categories": [category]]]  (same fields at each level),
         "tiles": [tile, ...]  (each KPI the city reported that year, catalogue order:
             {"kpi_code", "kpi_key", "slug", "name", "name_en", "category",
              "dimension_code", "subdimension_code", "category_code", "unit",
              "value", "target", "direction", "target_text", "gap", score fields,
              trend fields, "projection" ("reached" | "projected" | "not at this pace" |
              "not before the horizon" | "no trend"), "projected_year", "projection_text",
              "status" ("scored" |
              "no_target"), "quality" (1-6 | None), "quality_label", "source",
              "is_synthetic", "has_data_points", "data_points": [the same fields per
              reported data point, with "data_point" and "name"], "history": [{"data_point",
              "series": [{"year", "value"}]}]}),
         "coverage": {"kpis_reported", "kpis_scored", "kpis_with_target",
             "kpis_total", "not_scored": [kpi codes reported but without a target]}}

    The year is ``None`` (and everything empty) when the city has no published data, or
    none for the given year.
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    c = board.c(city.pk)
    year = _default_year(board, c, year)
    profile: dict[str, Any] = {
        "city": city_info(city),
        "year": year,
        "years": board.years_of(c) if c is not None else [],
        "target_set": target_set_info(target_set, board),
        "has_data": year is not None,
        "is_synthetic": False,
        "published_at": None,
        "overall": None,
        "wheel": [],
        "dimensions": [],
        "tiles": [],
        "coverage": {
            "kpis_reported": 0,
            "kpis_scored": 0,
            "kpis_with_target": int(board.kpi_has_target.sum()),
            "kpis_total": len(board.kpi_keys),
            "not_scored": [],
        },
    }
    if c is None or year is None:
        return profile
    y = board.year_index[year]
    sources, published_at = _value_details(city.pk, year)
    tiles = []
    for k in range(len(board.kpi_keys)):
        tile = reader.kpi(c, k, y)
        if tile is None:
            continue
        kpi_id = board.kpi_ids[k]
        points = tile["data_points"] or [tile]
        found = [sources.get((kpi_id, p.get("data_point", "")), "") for p in points]
        tile["source"] = "; ".join(dict.fromkeys(s for s in found if s))
        for p, s in zip(tile["data_points"], found, strict=False):
            p["source"] = s
        tiles.append(tile)
    profile.update(
        published_at=published_at,
        overall=reader.overall(c, y),
        wheel=reader.groups(c, y, "category"),
        dimensions=_nested_dimensions(reader, c, y),
        tiles=tiles,
        is_synthetic=any(t["is_synthetic"] for t in tiles) or bool(city.is_synthetic),
    )
    profile["coverage"].update(
        kpis_reported=len(tiles),
        kpis_scored=sum(1 for t in tiles if t["band"]),
        not_scored=[t["kpi_code"] for t in tiles if not t["band"]],
    )
    return profile


def kpi_history(city: Organisation, kpi_code: str, target_set: TargetSet | None) -> dict[str, Any]:
    """One KPI of one city over the years.

    Returns ``{"city", "target_set", "kpi": {"kpi_code", "slug", "name", "unit",
    "has_data_points"}, "series": [{"year", "tile": tile of that year (see
    :func:`city_profile`, without "history")}], "targets": [{"data_point", "name" ("" for
    a single value), "unit", "target", "direction", "target_text", "reported" (the city
    reported it in some year)} per data point of the KPI, in catalogue order; "target"
    ``None`` where the set has none]}``.
    ``LookupError`` for an unknown KPI.
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    kpi = board.catalogue.get(kpi_code)
    k = board.kpi_index[kpi.key]
    c = board.c(city.pk)
    series = []
    if c is not None:
        for y, year in enumerate(board.years):
            tile = reader.kpi(c, k, y, history=False)
            if tile is not None:
                series.append({"year": year, "tile": tile})
    targets = []
    for m in board.measurands_of_kpi[k]:
        key, data_point = board.measurands[m]
        measurand = board.catalogue.measurand(key, data_point)
        target, direction = reader.target(m)
        targets.append(
            {
                "data_point": data_point,
                "name": _(measurand.name) if data_point else "",
                "unit": measurand.unit,
                "target": target,
                "direction": direction,
                "target_text": labels.direction_text(direction, target),
                "reported": c is not None and bool((~np.isnan(board.values[c, m])).any()),
            }
        )
    return {
        "city": city_info(city),
        "target_set": target_set_info(target_set, board),
        "kpi": _kpi_info(kpi),
        "series": series,
        "targets": targets,
    }


def _kpi_info(kpi: CatalogueKPI) -> dict[str, Any]:
    return {
        "kpi_code": kpi.code,
        "kpi_key": kpi.key,
        "slug": kpi_slug(kpi.code),
        "name": _(kpi.name),
        "name_en": kpi.name,
        "category": _(kpi.category),
        "unit": kpi.unit,
        "direction": kpi.direction.kind,
        "has_data_points": kpi.has_data_points,
        "data_points": [
            {"data_point": m.data_point, "name": _(m.name), "unit": m.unit} for m in kpi.data_points
        ],
    }


# ------------------------------------------------------------------ explain


def explain(
    city: Organisation,
    year: int,
    kpi_code: str,
    data_point: str | None,
    target_set: TargetSet | None,
) -> dict[str, Any]:
    """How one score of a city came about: the engine's working with the value's context.

    Returns the core's ``Scorecard.explain`` dict (value, target, direction, formula,
    working, achievement or score, points, band, trend inputs: baseline and latest year
    and value, observed and required rate, ratio, cut-offs, projected year; a multi-point
    KPI without ``data_point`` adds its summary and "data_points") with: ``"city"`` (the
    city shape), ``"kpi"`` (code, slug, name, unit), ``"target_set"``, ``"unit"``,
    ``"band_label"``/``"band_icon"`` in the active language, ``"trend"`` with its
    ``"label"`` translated, ``"source"``, ``"quality"``, ``"quality_label"``,
    ``"is_synthetic"``, ``"projection_text"``, and the core's sentences translated as
    ``"formula_text"``, ``"rule_text"``, ``"status_text"`` (and in ``"trend"``).

    Raises ``LookupError`` (``KeyError``) for a city, year, KPI or data point without
    published data.
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    kpi = board.catalogue.get(kpi_code)
    c = board.c(city.pk)
    y = board.y(year)
    if c is None or y is None or board.card is None:
        raise KeyError(f"no published data for {city} in {year}")
    point = data_point or None
    if point is not None:
        point = board.catalogue.measurand(kpi.key, point).data_point
    out = board.card.explain(str(city.pk), int(year), kpi.code, point)
    sources, _published = _value_details(city.pk, int(year))
    k = board.kpi_index[kpi.key]
    tile = reader.kpi(c, k, y, history=False)
    if tile is None:
        raise KeyError(f"{city} did not report {kpi.code} in {year}")
    _localise(out, board, reader, c, y, sources)
    out["city"] = city_info(city)
    out["kpi"] = _kpi_info(kpi)
    out["target_set"] = target_set_info(target_set, board)
    out["tile"] = tile
    return out


def _localise(
    out: dict[str, Any],
    board: Scoreboard,
    reader: _Reader,
    c: int,
    y: int,
    sources: dict[tuple[int, str], str],
) -> None:
    """Add to one explain dict (and its data points) what the page shows beside it."""
    key = board.catalogue.get(out["kpi_code"]).key
    point = out.get("data_point")
    # The core's sentences, in the active language (labels.CORE_TEXTS lists them).
    for field in ("formula", "rule", "status", "lower_bound_source"):
        if isinstance(out.get(field), str):
            out[f"{field}_text"] = _(out[field])
    if "band" in out:
        out["band_label"] = reader.bands[int(out["band"])]
        out["band_icon"] = labels.BAND_ICONS[int(out["band"])]
    elif "colour" in out:
        colour = {"grey": 0, "red": 1, "orange": 2, "yellow": 3, "green": 4}[out["colour"]]
        out.update(reader.band(colour))
    if point is not None or "data_points" not in out:
        m = board.measurand_index.get((key, point or ""))
        if m is not None:
            measurand = board.catalogue.measurand(key, point or "")
            out["unit"] = measurand.unit
            out["data_point_name"] = _(measurand.name) if point else ""
            out["source"] = sources.get((board.kpi_ids[board.kpi_index[key]], point or ""), "")
            grade = int(board.quality[c, m, y]) or None
            out["quality"] = grade
            out["quality_label"] = str(reader.qualities.get(grade, "")) if grade else ""
            out["is_synthetic"] = bool(board.synthetic[c, m, y])
            out["direction_text"] = labels.direction_word(out.get("direction", "higher"))
    trend = out.get("trend")
    if isinstance(trend, dict):
        for field in ("formula", "note"):
            if isinstance(trend.get(field), str):
                trend[f"{field}_text"] = _(trend[field])
        arrow = next((a for a, s in labels.ARROWS.items() if s == trend.get("arrow")), 0)
        trend["label"] = reader.trends[arrow] if arrow else reader.trends[0]
        year = trend.get("projected_year")
        trend["projection_text"] = labels.projection_text(
            trend.get("projection", ""),
            year if trend.get("projection") != "reached" else None,
            trend.get("horizon"),
        )
        out["projection_text"] = trend["projection_text"]
    elif isinstance(trend, str):
        out["trend_label"] = trend
    for sub in out.get("data_points", []) or []:
        _localise(sub, board, reader, c, y, sources)


# ------------------------------------------------------------------ peers


@dataclass(frozen=True)
class Peers:
    """Cities a ranking is made within: ``key`` (``all``, ``country``, ``hub``,
    ``national_programme``, ``size_class``, ``region`` or ``group``), a label, and the
    city ids (the chosen city included)."""

    key: str
    label: str
    city_ids: frozenset[int]
    group_slug: str = ""


PEER_KEYS = ("country", "hub", "national_programme", "size_class", "region")


def peer_options(city: Organisation) -> list[dict[str, str]]:
    """The peer groups of ``city`` as ``{"key", "label"}`` (for a selector)."""
    seen: dict[str, str] = {}
    for peer in org_queries.peer_groups(city):
        seen.setdefault(peer.key, str(peer.label))
    return [{"key": k, "label": v} for k, v in seen.items()]


def peers_of(city: Organisation, key: str) -> Peers | None:
    """The cities of ``city``'s peer group ``key`` with the city itself (None if none)."""
    for peer in org_queries.peer_groups(city):
        if peer.key == key:
            ids = set(peer.cities.values_list("id", flat=True)) | {city.pk}
            slug = peer.group.slug if peer.group is not None else ""
            return Peers(key, str(peer.label), frozenset(ids), slug)
    return None


def peers_in_group(group: Organisation) -> Peers:
    """Every city under a hub, national programme, country or programme."""
    ids = set(org_queries.member_cities(group).values_list("id", flat=True))
    return Peers("group", group.name, frozenset(ids), group.slug)


# ------------------------------------------------------------------ KPI overview


def _ranking_keys(reader: _Reader, m: int, rows: list[dict[str, Any]]) -> list[float]:
    """Sort keys, smaller = better: by score when scored, else by the value in the
    KPI's better direction."""
    direction = reader.target(m)[1]
    keys = []
    for row in rows:
        if row["score"] is not None:
            keys.append(-row["score"])
        elif row["value"] is None:
            keys.append(math.inf)
        elif direction == "lower":
            keys.append(1e12 + row["value"])
        else:
            keys.append(1e12 - row["value"])
    return keys


def _rank(rows: list[dict[str, Any]], keys: list[float]) -> list[dict[str, Any]]:
    """Rows sorted best first with competition ranks (ties share a rank: 1, 2, 2, 4)."""
    order = sorted(range(len(rows)), key=lambda i: (keys[i], rows[i]["city"]["name"]))
    ranked = []
    previous: float | None = None
    rank = 0
    for position, i in enumerate(order, start=1):
        if previous is None or keys[i] != previous:
            rank = position
            previous = keys[i]
        ranked.append({**rows[i], "rank": rank})
    return ranked


def kpi_overview(
    kpi_code: str,
    year: int | None,
    target_set: TargetSet | None,
    *,
    city: Organisation | None = None,
    peers: Peers | None = None,
    data_point: str | None = None,
) -> dict[str, Any]:
    """Every city's value of one KPI (or data point) in a year, its distribution, and a
    ranking within a peer group.

    Returns::

        {"kpi": {"kpi_code", "slug", "name", "unit", "direction", "has_data_points",
                 "data_points": [{"data_point", "name", "unit"}]},
         "data_point": "" | key, "unit", "year", "years" (with any value),
         "target_set", "target": as explain gives it | None, "target_text", "scored": bool,
         "highlight": city | None,
         "rows": [{"city": city with latitude/longitude/size_class/population, "value",
                   score fields, trend fields, "gap", "is_synthetic", "quality",
                   "highlighted": bool, "in_peers": bool}]  (every city, by name),
         "distribution": {"n", "min", "p25", "median", "p75", "max", "mean"} | None,
         "band_counts": [{"band", "label", "icon", "n"}],
         "peers": {"key", "label", "n", "group_slug"} | None,
         "ranking": [row + "rank"]  (best first, within the peers or all cities),
         "ranking_caveat": text}

    ``LookupError`` for an unknown KPI or data point.
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    kpi = board.catalogue.get(kpi_code)
    point = (
        board.catalogue.measurand(kpi.key, data_point or "").data_point
        if (data_point or not kpi.has_data_points)
        else kpi.data_points[0].data_point
    )
    m = board.measurand_index[(kpi.key, point)]
    column = board.values[:, m, :]  # [C, Y]
    with_data = [board.years[i] for i in np.flatnonzero(~np.isnan(column).all(axis=0))]
    if year is not None:
        year = int(year)
    elif with_data:
        year = with_data[-1]
    target, direction = reader.target(m)
    out: dict[str, Any] = {
        "kpi": _kpi_info(kpi),
        "data_point": point,
        "unit": board.catalogue.measurand(kpi.key, point).unit,
        "year": year,
        "years": with_data,
        "target_set": target_set_info(target_set, board),
        "target": target,
        "target_text": labels.direction_text(direction, target),
        "direction": direction,
        "scored": bool(board.has_target[m]),
        "highlight": city_info(city) if city is not None else None,
        "rows": [],
        "distribution": None,
        "band_counts": [],
        "peers": (
            {
                "key": peers.key,
                "label": peers.label,
                "n": len(peers.city_ids),
                "group_slug": peers.group_slug,
            }
            if peers is not None
            else None
        ),
        "ranking": [],
        "ranking_caveat": _(RANKING_CAVEAT),
    }
    y = board.y(year) if year is not None else None
    if y is None:
        return out
    cities = _all_cities()
    rows = []
    for c in np.flatnonzero(~np.isnan(column[:, y])):
        city_id = board.city_ids[int(c)]
        meta = cities.get(city_id)
        if meta is None:
            continue
        p = reader.point(int(c), m, y)
        rows.append(
            {
                "city": meta,
                "value": p["value"],
                "score": p["score"],
                "points": p["points"],
                "band": p["band"],
                "band_label": p["band_label"],
                "band_icon": p["band_icon"],
                "trend": p["trend"],
                "trend_arrow": p["trend_arrow"],
                "trend_label": p["trend_label"],
                "gap": p["gap"],
                "is_synthetic": p["is_synthetic"],
                "quality": p["quality"],
                "highlighted": city is not None and city_id == city.pk,
                "in_peers": peers is None or city_id in peers.city_ids,
            }
        )
    rows.sort(key=lambda r: (r["city"]["name"], r["city"]["id"]))
    values = np.array([r["value"] for r in rows], dtype=float)
    if len(values):
        p25, median, p75 = np.percentile(values, [25, 50, 75])
        out["distribution"] = {
            "n": len(values),
            "min": _f(values.min(), 10),
            "p25": _f(p25, 10),
            "median": _f(median, 10),
            "p75": _f(p75, 10),
            "max": _f(values.max(), 10),
            "mean": _f(values.mean(), 10),
        }
    counts = {b: 0 for b in range(5)}
    for r in rows:
        counts[r["band"]] += 1
    out["band_counts"] = [
        {**entry, "n": counts[int(entry["band"])]} for entry in labels.band_legend(board.method)
    ]
    ranked = [r for r in rows if r["in_peers"]]
    out["rows"] = rows
    out["ranking"] = _rank(ranked, _ranking_keys(reader, m, ranked))
    return out


# ------------------------------------------------------------------ comparison


def compare(
    cities: Sequence[Organisation], year: int | None, target_set: TargetSet | None
) -> dict[str, Any]:
    """Two to six cities side by side in one year.

    ``year=None``: the latest year all of them have published data, else the latest year
    any has. Returns::

        {"year", "years" (any of them has data), "target_set",
         "cities": [city + {"has_data": bool, "overall": score fields | None}],
         "groups": [{"level", "code", "name", "name_en", "kpis_total",
                     "kpis_with_target", "cells": [score fields + trend fields +
                     "kpis_scored" per city, in the order of "cities"]}]
             (dimensions, each followed by its sub-dimensions and their categories),
         "kpis": [{"kpi_code", "slug", "name", "unit", "dimension", "subdimension",
                   "category" (names; and their "*_code"s, see ``_kpi_path``),
                   "has_data_points", "target_text", "target", "direction",
                   "cells": [tile fields | None per city],
                   "data_points": [see ``_compared_points``; empty for one value]}]
             (KPIs any of them reported, in catalogue order),
         "is_synthetic": bool}
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    rows = [board.c(city.pk) for city in cities]
    per_city_years = [set(board.years_of(c)) if c is not None else set() for c in rows]
    any_years = sorted(set().union(*per_city_years)) if per_city_years else []
    if year is None:
        common = sorted(set.intersection(*per_city_years)) if per_city_years else []
        year = common[-1] if common else (any_years[-1] if any_years else None)
    y = board.y(year) if year is not None else None
    out_cities = []
    for city, c in zip(cities, rows, strict=True):
        info = dict(city_info(city))
        has = c is not None and y is not None and year in board.years_of(c)
        info["has_data"] = has
        info["overall"] = reader.overall(c, y) if has else None  # type: ignore[arg-type]
        out_cities.append(info)
    groups: list[dict[str, Any]] = []
    kpis: list[dict[str, Any]] = []
    synthetic = any(c.is_synthetic for c in cities)
    if y is not None:
        tree = board.hierarchy
        per_level = {
            level: [
                reader.groups(c, y, level) if ok["has_data"] else None
                for c, ok in zip(rows, out_cities, strict=True)
            ]
            for level in LEVELS
        }

        def row(level: str, g: int) -> dict[str, Any]:
            meta = reader.group_meta(level, g)
            cells = [lv[g] if lv is not None else None for lv in per_level[level]]
            return {
                "level": level,
                "code": meta["code"],
                "name": meta["name"],
                "name_en": meta["name_en"],
                "kpis_total": meta["kpis_total"],
                "kpis_with_target": meta["kpis_with_target"],
                "cells": cells,
            }

        for d in range(len(board.groups["dimension"])):
            groups.append(row("dimension", d))
            for s in np.flatnonzero(tree.dimension_of_subdimension == d):
                groups.append(row("subdimension", int(s)))
                for g in np.flatnonzero(tree.subdimension_of_category == s):
                    groups.append(row("category", int(g)))
        for k, kpi in enumerate(board.catalogue.kpis):
            cells = [
                reader.kpi(c, k, y, history=False) if ok["has_data"] else None
                for c, ok in zip(rows, out_cities, strict=True)
            ]
            if not any(cells):
                continue
            first = next(cell for cell in cells if cell is not None)
            synthetic = synthetic or any(cell["is_synthetic"] for cell in cells if cell)
            kpis.append(
                {
                    "kpi_code": kpi.code,
                    "slug": kpi_slug(kpi.code),
                    "name": _(kpi.name),
                    "name_en": kpi.name,
                    "unit": kpi.unit,
                    **_kpi_path(kpi),
                    "has_data_points": kpi.has_data_points,
                    "target_text": first["target_text"],
                    "target": first.get("target"),
                    "direction": first["direction"],
                    "cells": cells,
                    "data_points": (
                        _compared_points(reader, k, cells) if kpi.has_data_points else []
                    ),
                }
            )
    return {
        "year": year,
        "years": any_years,
        "target_set": target_set_info(target_set, board),
        "cities": out_cities,
        "groups": groups,
        "kpis": kpis,
        "is_synthetic": synthetic,
    }


def _kpi_path(kpi: CatalogueKPI) -> dict[str, str]:
    """Where a KPI sits: ``dimension``, ``subdimension`` and ``category`` names with their
    codes spelled in full ("EC", "EC: ICT", "EC: ICT: ICT") so that each is unique."""
    return {
        "dimension_code": kpi.dimension_code,
        "dimension": _(kpi.dimension),
        "subdimension_code": f"{kpi.dimension_code}: {kpi.subdimension_code}",
        "subdimension": _(kpi.subdimension),
        "category_code": (f"{kpi.dimension_code}: {kpi.subdimension_code}: {kpi.category_code}"),
        "category": _(kpi.category),
    }


def _compared_points(
    reader: _Reader, k: int, cells: list[dict[str, Any] | None]
) -> list[dict[str, Any]]:
    """The data points of KPI ``k`` that any compared city reported, each with its own
    target: ``[{"data_point", "name", "unit", "target", "direction", "target_text",
    "cells": [point fields | None per city]}]``."""
    b = reader.board
    out = []
    for m in b.measurands_of_kpi[k]:
        key, data_point = b.measurands[m]
        per_city = [
            next((p for p in cell["data_points"] if p["data_point"] == data_point), None)
            if cell is not None
            else None
            for cell in cells
        ]
        if not any(per_city):
            continue
        measurand = b.catalogue.measurand(key, data_point)
        target, direction = reader.target(m)
        out.append(
            {
                "data_point": data_point,
                "name": _(measurand.name),
                "unit": measurand.unit,
                "target": target,
                "direction": direction,
                "target_text": labels.direction_text(direction, target),
                "cells": per_city,
            }
        )
    return out


# ------------------------------------------------------------------ programme view


def programme_view(
    group: Organisation,
    year: int | None,
    target_set: TargetSet | None,
    *,
    min_share: float = 0.5,
) -> dict[str, Any]:
    """All cities of a programme (or hub, country): heatmap, shared opportunities, progress.

    ``year=None``: the year most member cities have published data for (the latest on a
    tie). A city *falls short* on a KPI when its band is below the top band (U4SSC: under
    95 % of target; SDSN: not green). A KPI is a *shared opportunity* when at least two
    member cities, and at least ``min_share`` of those that reported it, fall short.

    Returns::

        {"group": {"id", "slug", "name", "kind"}, "year", "years", "target_set",
         "year_chosen": bool (no year was asked for: the year above was picked),
         "cities_with_data": member cities with published data in that year,
         "cities": [city + {"has_data", "overall": score fields | None}]  (by name),
         "kpis": [{"kpi_code", "slug", "name", "unit", "dimension_code"}]  (the heatmap's
             columns: KPIs scored for at least one member city that year),
         "heatmap": [{"city": city, "cells": [{"kpi_code", "value", score fields} |
             None per column]}],
         "shared_opportunities": [{"kpi_code", "slug", "name", "unit",
             "has_data_points", "target_text", "target", "direction" (single-value
             KPIs; as a tile's), "n_short",
             "n_reported", "share", "mean_score",
             "cities": [{"city", "value", "gap" (in the KPI's unit; single-value KPIs),
                         score fields (of the KPI), "data_points_short": [{"data_point",
                         "name", "unit", "value", "target", "target_text", "direction",
                         "gap", score fields, "is_synthetic"}] (multi-point KPIs: the data
                         points below the top band, furthest first)}] (furthest first)}]
             (most cities short first),
         "progress": [{"city", "series": [{"year", score fields, "kpis_scored"}]}],
         "is_synthetic": bool}
    """
    board = scoreboard.get(target_set)
    reader = _Reader(board)
    members = list(org_queries.member_cities(group))
    rows = [board.c(city.pk) for city in members]
    counts: dict[int, int] = {}
    for c in rows:
        if c is not None:
            for yr in board.years_of(c):
                counts[yr] = counts.get(yr, 0) + 1
    years = sorted(counts)
    year_chosen = year is None
    if year is None and counts:
        year = max(counts, key=lambda yr: (counts[yr], yr))
    y = board.y(year) if year is not None else None
    out_cities = []
    for city, c in zip(members, rows, strict=True):
        info = dict(city_info(city))
        has = c is not None and y is not None and year in board.years_of(c)
        info["has_data"] = has
        info["overall"] = reader.overall(c, y) if has else None  # type: ignore[arg-type]
        out_cities.append(info)
    result: dict[str, Any] = {
        "group": {"id": group.pk, "slug": group.slug, "name": group.name, "kind": group.kind},
        "year": year,
        "years": years,
        "year_chosen": year_chosen,
        "cities_with_data": counts.get(year, 0) if year is not None else 0,
        "target_set": target_set_info(target_set, board),
        "cities": out_cities,
        "kpis": [],
        "heatmap": [],
        "shared_opportunities": [],
        "progress": [],
        "is_synthetic": any(c.is_synthetic for c in members),
    }
    present = [(i, c) for i, c in enumerate(rows) if c is not None]
    # progress over every year
    for i, c in present:
        series = []
        for yi, yr in enumerate(board.years):
            if board.overall_n[c, yi] == 0:
                continue
            entry = {"year": yr, "kpis_scored": int(board.overall_n[c, yi])}
            entry.update(reader.overall(c, yi))
            series.append(entry)
        if series:
            result["progress"].append({"city": out_cities[i], "series": series})
    if y is None or board.card is None:
        return result
    r = board.card.result
    scored_rows = [(i, c) for i, c in present if out_cities[i]["has_data"]]
    kpi_band = r.kpi_band[:, :, y]
    columns = [
        k for k in range(len(board.kpi_keys)) if any(kpi_band[c, k] > 0 for _, c in scored_rows)
    ]
    result["kpis"] = [
        {
            "kpi_code": board.catalogue.kpis[k].code,
            "slug": kpi_slug(board.catalogue.kpis[k].code),
            "name": _(board.catalogue.kpis[k].name),
            "unit": board.catalogue.kpis[k].unit,
            "dimension_code": board.catalogue.kpis[k].dimension_code,
        }
        for k in columns
    ]
    tiles: dict[tuple[int, int], dict[str, Any] | None] = {}
    for i, c in scored_rows:
        for k in columns:
            tiles[(i, k)] = reader.kpi(c, k, y, history=False)
    for i, _c in scored_rows:
        cells = []
        for k in columns:
            tile = tiles[(i, k)]
            if tile is None:
                cells.append(None)
                continue
            cells.append(
                {
                    "kpi_code": tile["kpi_code"],
                    "value": tile["value"],
                    "score": tile["score"],
                    "points": tile["points"],
                    "band": tile["band"],
                    "band_label": tile["band_label"],
                    "band_icon": tile["band_icon"],
                    "is_synthetic": tile["is_synthetic"],
                }
            )
        result["heatmap"].append({"city": out_cities[i], "cells": cells})
    opportunities = []
    for k in columns:
        reported = [(i, tiles[(i, k)]) for i, _c in scored_rows if tiles[(i, k)] is not None]
        scored = [(i, t) for i, t in reported if t and t["band"]]
        short = [(i, t) for i, t in scored if t and t["band"] < 4]
        if len(short) < 2 or len(short) < min_share * len(scored):
            continue
        kpi = board.catalogue.kpis[k]
        concerned = []
        for i, t in sorted(short, key=lambda pair: pair[1]["score"] or 0.0):  # type: ignore[index]
            assert t is not None
            concerned.append(
                {
                    "city": out_cities[i],
                    "value": t["value"],
                    "gap": t["gap"],
                    "score": t["score"],
                    "points": t["points"],
                    "band": t["band"],
                    "band_label": t["band_label"],
                    "band_icon": t["band_icon"],
                    "is_synthetic": t["is_synthetic"],
                    "data_points_short": _points_short(t),
                }
            )
        scores = [t["score"] for _i, t in scored if t and t["score"] is not None]
        first = short[0][1]
        assert first is not None
        opportunities.append(
            {
                "kpi_code": kpi.code,
                "slug": kpi_slug(kpi.code),
                "name": _(kpi.name),
                "name_en": kpi.name,
                "unit": kpi.unit,
                "has_data_points": kpi.has_data_points,
                "target_text": first["target_text"],
                "target": first["target"],
                "direction": first["direction"],
                "n_short": len(short),
                "n_reported": len(scored),
                "share": _f(len(short) / len(scored), 4),
                "mean_score": _f(sum(scores) / len(scores)) if scores else None,
                "cities": concerned,
            }
        )
    opportunities.sort(key=lambda o: (-o["n_short"], o["mean_score"] or 0.0, o["kpi_code"]))
    result["shared_opportunities"] = opportunities
    return result


_POINT_FIELDS = (
    "data_point",
    "name",
    "unit",
    "value",
    "target",
    "target_text",
    "direction",
    "gap",
    "score",
    "points",
    "band",
    "band_label",
    "band_icon",
    "is_synthetic",
)


def _points_short(tile: dict[str, Any]) -> list[dict[str, Any]]:
    """The data points of a multi-point KPI tile below the top band, furthest from their
    targets first (by achievement or score, then by name): what a city falls short on."""
    short = [p for p in tile["data_points"] if p["band"] and p["band"] < 4]
    short.sort(key=lambda p: (p["score"] if p["score"] is not None else 0.0, p["name"]))
    return [{field: p[field] for field in _POINT_FIELDS} for p in short]


# ------------------------------------------------------------------ a city's summary


def city_summary(city: Organisation, target_set: TargetSet | None = None) -> dict[str, Any]:
    """What the city page shows of benchmarking: ``{"has_data", "year", "years",
    "overall": score fields | None, "target_set"}`` for the city's latest published year
    against ``target_set`` (default: the city's, as on its profile: its national
    programme's set, else the programme default)."""
    if target_set is None:
        target_set, _sets = target_set_choice(owner=city)
    board = scoreboard.get(target_set)
    c = board.c(city.pk)
    years = board.years_of(c) if c is not None else []
    if c is None or not years:
        return {
            "has_data": False,
            "year": None,
            "years": [],
            "overall": None,
            "target_set": target_set_info(target_set, board),
        }
    return {
        "has_data": True,
        "year": years[-1],
        "years": years,
        "overall": _Reader(board).overall(c, board.year_index[years[-1]]),
        "target_set": target_set_info(target_set, board),
    }


def cities_with_data(target_set: TargetSet | None = None) -> list[dict[str, Any]]:
    """Cities with published data, by name: city + ``{"years", "synthetic_values"}``
    (for pickers and lists; ``synthetic_values``: any of its published values is
    synthetic)."""
    board = scoreboard.get(target_set)
    cities = _all_cities()
    out = []
    for c, city_id in enumerate(board.city_ids):
        meta = cities.get(city_id)
        if meta is not None:
            out.append(
                {
                    **meta,
                    "years": board.years_of(c),
                    "synthetic_values": bool(board.synthetic[c].any()),
                }
            )
    out.sort(key=lambda r: (r["name"], r["id"]))
    return out


def resolve_cities(texts: Iterable[str]) -> list[Organisation]:
    """Cities by slug or name ("alesund", "Ålesund"), in the order given, without
    repeats; unknown ones left out (one query)."""
    return find_cities(texts)[0]


def find_cities(texts: Iterable[str]) -> tuple[list[Organisation], list[str]]:
    """``(cities, not found)``: the cities named by slug or name ("alesund", "Ålesund"),
    in the order given and without repeats, and the texts that name no city (one
    query)."""
    wanted = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    keys = {t: ascii_slug(t) for t in wanted}
    rows = Organisation.objects.filter(kind=OrgKind.CITY).filter(
        Q(slug__in=wanted) | Q(slug__in=list(keys.values())) | Q(name__in=wanted)
    )
    by_slug = {o.slug: o for o in rows}
    by_name = {o.name.casefold(): o for o in rows}
    out: list[Organisation] = []
    missing: list[str] = []
    for text in wanted:
        city = by_slug.get(text) or by_name.get(text.casefold()) or by_slug.get(keys[text])
        if city is None:
            missing.append(text)
        elif city not in out:
            out.append(city)
    return out, missing
