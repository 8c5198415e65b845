"""Where report content comes from: the benchmarking data layer, and nothing else.

Reports never score. A City Snapshot is ``benchmarking.queries.city_profile`` on paper (the
same tiles, bands, trends and coverage as the city's benchmarking profile); a national
report is ``programme_view`` (heatmap, shared opportunities, progress) with ``compare`` of
the member cities that have data (their dimension and category scores). The queries give
labels in the active language: call these inside ``translation.override(lang)``.

Like every benchmarking page, reports show published data only (``docs/benchmarking.md``).
"""

from __future__ import annotations

from typing import Any

from u4ssc.apps.benchmarking import queries, scoreboard
from u4ssc.apps.catalogue.models import TargetSet
from u4ssc.apps.organisations.models import Organisation


def target_set(slug: str | None, *, owner: Organisation | None = None) -> TargetSet | None:
    """The set to score with, chosen as the pages choose it: ``slug`` when given
    (``LookupError`` when unknown), else ``owner``'s national set, else the programme
    default."""
    chosen, _sets = queries.target_set_choice(slug or None, owner=owner)
    return chosen


def target_set_slugs() -> list[str]:
    """Every target set's slug (for an error message that says what to choose)."""
    return [s.slug for s in queries.target_set_choice()[1]]


def _with_trend_rule(info: dict[str, Any], target_set: TargetSet | None) -> dict[str, Any]:
    """The *target set* shape with its trend rule (kind, target year), which the method
    section of a report states."""
    trend = scoreboard.method_of(target_set).trend
    return {**info, "trend": {"kind": trend.kind, "target_year": trend.target_year}}


def city_profile(city: Organisation, year: int, target_set: TargetSet | None) -> dict[str, Any]:
    """``queries.city_profile`` of ``city`` in ``year``, with the city's population (the
    Snapshot's cover gives it; the profile's city shape does not carry it) and the target
    set's trend rule."""
    profile = queries.city_profile(city, year, target_set)
    profile["city"] = {**profile["city"], "population": city.population}
    profile["target_set"] = _with_trend_rule(profile["target_set"], target_set)
    return profile


def programme(
    group: Organisation, year: int, target_set: TargetSet | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(programme_view, compare)`` of ``group`` in ``year``: the programme view, and the
    dimension, sub-dimension and category scores of its member cities with data that year
    (``compare`` of those cities, in the programme view's order)."""
    view = queries.programme_view(group, year, target_set)
    with_data = [c["slug"] for c in view["cities"] if c["has_data"]]
    comparison = queries.compare(queries.resolve_cities(with_data), year, target_set)
    view["target_set"] = _with_trend_rule(view["target_set"], target_set)
    return view, comparison
