"""Where report content comes from: the benchmarking app's data layer.

Reports never score anything themselves. They read two plain dicts:

- ``city_profile(city, year, target_set)``: one city's year, every KPI of the catalogue
  with value, target, band, trend, data quality and source, and the category,
  sub-dimension and dimension percentages;
- ``programme_view(group, year, target_set)``: every city of a group (a national
  programme or a hub) for one year, category percentages for the heatmap, KPIs where many
  cities fall short (shared opportunities) and each city's dimension percentages over the
  years (progress).

``u4ssc.apps.benchmarking.queries`` provides them once that app is installed. Until then
(and on an installation without it) a stand-in below builds dicts of the same shape from
published values with the scoring engine (:func:`u4ssc.core.scoring.tables.score_tables`),
so that nothing is scored twice in different ways.
"""

from __future__ import annotations

import importlib
from typing import Any

import pandas as pd

from u4ssc.apps.catalogue.models import Direction, TargetSet
from u4ssc.apps.catalogue.queries import default_target_set
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
from u4ssc.apps.organisations.models import Organisation
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.scoring import method_from_dict, method_to_dict
from u4ssc.core.scoring.tables import band_labels, score_tables


def _benchmarking() -> Any | None:
    try:
        return importlib.import_module("u4ssc.apps.benchmarking.queries")
    except ImportError:
        return None


def city_profile(
    city: Organisation,
    year: int,
    target_set: TargetSet | None = None,
    *,
    include_unpublished: bool = False,
) -> dict[str, Any]:
    queries = _benchmarking()
    if queries is not None and not include_unpublished:
        return queries.city_profile(city, year, target_set)
    return standin_city_profile(city, year, target_set, include_unpublished=include_unpublished)


def programme_view(
    group: Organisation, year: int, target_set: TargetSet | None = None
) -> dict[str, Any]:
    queries = _benchmarking()
    if queries is not None:
        return queries.programme_view(group, year, target_set)
    return standin_programme_view(group, year, target_set)


# --- the stand-in --------------------------------------------------------------------


def _target_set(target_set: TargetSet | None) -> TargetSet:
    chosen = target_set or default_target_set()
    if chosen is None:
        raise LookupError("no target set: run `u4ssc manage migrate` to install the default")
    return chosen


def _method(target_set: TargetSet) -> Any:
    data = dict(target_set.settings or {})
    data.setdefault("method", target_set.method)
    return method_from_dict(data)


def _hierarchy() -> pd.DataFrame:
    catalogue = load_catalogue()
    return pd.DataFrame(
        [
            {
                "kpi_code": k.code,
                "kpi_name": k.name,
                "dimension_code": k.dimension_code,
                "dimension_name": k.dimension,
                "subdimension_code": k.subdimension_code,
                "subdimension_name": k.subdimension,
                "category_code": k.category_code,
                "category_name": k.category,
                "data_points": tuple(m.data_point for m in k.data_points),
            }
            for k in catalogue.kpis
        ]
    )


def _targets_table(target_set: TargetSet) -> pd.DataFrame:
    rows = []
    for t in target_set.targets.select_related("kpi"):
        if t.direction == Direction.RANGE:
            if t.range_low is None or t.range_high is None:
                continue
            direction, target = f"range:{t.range_low:g}-{t.range_high:g}", ""
        else:
            if t.value is None:
                continue
            direction, target = t.direction, repr(t.value)
        rows.append(
            {
                "kpi_code": t.kpi.code,
                "data_point": t.data_point,
                "target": target,
                "direction": direction,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows, columns=["kpi_code", "data_point", "target", "direction", "source"])


def _target_set_info(target_set: TargetSet, method: Any) -> dict[str, Any]:
    return {
        "slug": target_set.slug,
        "name": target_set.name,
        "kind": target_set.kind,
        "description": target_set.description,
        "method": method_to_dict(method),
    }


def _org_info(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.id,
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "country_code": org.country_code,
        "population": org.population,
        "is_synthetic": bool(getattr(org, "is_synthetic", False)),
    }


def _scored(values: list[KPIValue], target_set: TargetSet, method: Any) -> dict:
    """Scorecard JSON (``Scorecard.to_dict``) keyed by (city slug, year)."""
    table = pd.DataFrame(
        [
            {
                "city": v.evaluation.city.slug,
                "year": v.evaluation.year,
                "kpi_code": v.kpi.code,
                "data_point": v.data_point,
                "value": repr(v.value),
            }
            for v in values
            if v.value is not None
        ],
        columns=["city", "year", "kpi_code", "data_point", "value"],
    )
    if table.empty:
        return {}
    card = score_tables(table, _targets_table(target_set), _hierarchy(), method)
    return {(r["city"], r["year"]): r for r in card.to_dict()["results"]}


def _values(city_ids: list[int], years: list[int] | None, include_unpublished: bool) -> list:
    qs = KPIValue.objects.filter(evaluation__city_id__in=city_ids).select_related(
        "evaluation", "evaluation__city", "kpi"
    )
    if not include_unpublished:
        qs = qs.filter(evaluation__state=State.PUBLISHED)
    if years is not None:
        qs = qs.filter(evaluation__year__in=years)
    return list(qs.order_by("evaluation__year", "kpi__position", "data_point"))


def standin_city_profile(
    city: Organisation,
    year: int,
    target_set: TargetSet | None = None,
    *,
    include_unpublished: bool = False,
) -> dict[str, Any]:
    """Stand-in for ``benchmarking.queries.city_profile`` (same shape)."""
    target_set = _target_set(target_set)
    method = _method(target_set)
    labels = band_labels(method)
    evaluation = Evaluation.objects.filter(city=city, year=year).first()
    all_values = _values(
        [city.id], [y for y in range(1900, year + 1)], include_unpublished=include_unpublished
    )
    reported = [v for v in all_values if v.status == ValueStatus.REPORTED]
    result = _scored(reported, target_set, method).get((city.slug, year), {})
    scored_kpis = {k["code"]: k for k in result.get("kpis", [])}
    mine = {(v.kpi.code, v.data_point): v for v in all_values if v.evaluation.year == year}
    target_sources = {
        (r["kpi_code"], r["data_point"]): r["source"]
        for r in _targets_table(target_set).to_dict("records")
    }
    kpis = []
    for kdef in load_catalogue().kpis:
        scored = scored_kpis.get(kdef.code, {})
        points_scored = {p.get("data_point"): p for p in scored.get("data_points", [])}
        measurands = []
        for m in kdef.measurands():
            v = mine.get((kdef.code, m.data_point))
            s = points_scored.get(m.data_point, {}) if m.data_point else scored
            measurands.append(
                {
                    "data_point": m.data_point,
                    "name": m.name,
                    "unit": (v.unit if v and v.unit else m.unit),
                    "status": v.status if v else ValueStatus.EMPTY.value,
                    "value": v.value if v and v.status == ValueStatus.REPORTED else None,
                    "target": s.get("target"),
                    "direction": s.get("direction"),
                    "target_source": target_sources.get((kdef.code, m.data_point), ""),
                    "achievement": s.get("achievement"),
                    "points": s.get("points"),
                    "band": s.get("band", 0) or 0,
                    "band_label": s.get("band_label", labels[0]),
                    "projected_year": s.get("projected_year"),
                    "source": v.source if v else "",
                    "quality": (v.verified_quality or v.quality) if v else None,
                    "is_synthetic": bool(v.is_synthetic) if v else False,
                }
            )
        single = not kdef.data_points
        head = measurands[0] if single else {}
        any_reported = any(p["status"] == ValueStatus.REPORTED for p in measurands)
        kpis.append(
            {
                "code": kdef.code,
                "name": kdef.name,
                "unit": kdef.unit,
                "dimension_code": kdef.dimension_code,
                "subdimension_code": kdef.subdimension_code,
                "category_code": kdef.category_code,
                "status": (
                    "reported"
                    if any_reported
                    else head.get("status", ValueStatus.EMPTY.value)
                    if single
                    else ValueStatus.EMPTY.value
                ),
                "scored": bool(scored) and scored.get("status") != "no target: left out",
                "value": head.get("value"),
                "target": head.get("target"),
                "direction": head.get("direction") or kdef.direction.kind,
                "achievement": scored.get("achievement"),
                "points": scored.get("points"),
                "band": scored.get("band", 0) or 0,
                "band_label": scored.get("band_label", labels[0]),
                "trend": scored.get("trend", "no trend"),
                "arrow": scored.get("arrow", ""),
                "projected_year": head.get("projected_year"),
                "source": head.get("source", ""),
                "quality": head.get("quality"),
                "is_synthetic": any(p["is_synthetic"] for p in measurands),
                "data_points": [] if single else measurands,
            }
        )
    return {
        "city": _org_info(city),
        "year": year,
        "evaluation": None
        if evaluation is None
        else {
            "state": evaluation.state,
            "published": evaluation.state == State.PUBLISHED,
            "is_synthetic": evaluation.is_synthetic,
            "published_at": evaluation.published_at.date().isoformat()
            if evaluation.published_at
            else None,
        },
        "target_set": _target_set_info(target_set, method),
        "bands": {str(b): label for b, label in labels.items()},
        "dimensions": result.get("dimensions", []),
        "subdimensions": result.get("subdimensions", []),
        "categories": result.get("categories", []),
        "kpis": kpis,
    }


def standin_programme_view(
    group: Organisation, year: int, target_set: TargetSet | None = None
) -> dict[str, Any]:
    """Stand-in for ``benchmarking.queries.programme_view`` (same shape)."""
    from u4ssc.apps.accounts.permissions import cities_under

    target_set = _target_set(target_set)
    method = _method(target_set)
    labels = band_labels(method)
    cities = list(
        Organisation.objects.filter(id__in=sorted(cities_under({group.id}))).order_by("name")
    )
    values = _values(
        [c.id for c in cities], [y for y in range(1900, year + 1)], include_unpublished=False
    )
    reported = [v for v in values if v.status == ValueStatus.REPORTED]
    results = _scored(reported, target_set, method)
    catalogue = load_catalogue()
    categories: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for k in catalogue.kpis:
        key = (k.dimension_code, k.subdimension_code, k.category_code)
        if key not in seen:
            seen.add(key)
            categories.append(
                {
                    "dimension_code": k.dimension_code,
                    "subdimension_code": k.subdimension_code,
                    "category_code": k.category_code,
                    "category_name": k.category,
                }
            )
    years = sorted({y for (_, y) in results})
    rows = []
    shortfalls: dict[str, dict[str, Any]] = {}
    for city in cities:
        now = results.get((city.slug, year))
        history = []
        for y in years:
            res = results.get((city.slug, y))
            if res is not None:
                history.append({"year": y, "dimensions": res["dimensions"]})
        rows.append(
            {
                "city": _org_info(city),
                "published": now is not None,
                "is_synthetic": bool(getattr(city, "is_synthetic", False))
                or any(v.is_synthetic for v in reported if v.evaluation.city_id == city.id),
                "dimensions": now["dimensions"] if now else [],
                "categories": now["categories"] if now else [],
                "kpis_scored": sum(1 for k in (now or {}).get("kpis", []) if "band" in k),
                "history": history,
            }
        )
        for k in (now or {}).get("kpis", []):
            if not k.get("band"):
                continue
            entry = shortfalls.setdefault(
                k["code"], {"code": k["code"], "name": k["name"], "scored": 0, "below": 0}
            )
            entry["scored"] += 1
            entry["below"] += int(k["band"] <= 2)
    opportunities = sorted(
        (e for e in shortfalls.values() if e["below"]),
        key=lambda e: (-e["below"] / e["scored"], -e["below"], e["code"]),
    )
    return {
        "group": _org_info(group),
        "year": year,
        "target_set": _target_set_info(target_set, method),
        "bands": {str(b): label for b, label in labels.items()},
        "categories": categories,
        "cities": rows,
        "opportunities": opportunities,
    }
