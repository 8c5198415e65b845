"""The data tables behind the charts, as rows: shown on the pages and downloaded as CSV.

Each function takes a result of :mod:`u4ssc.apps.benchmarking.queries` and returns a list
of flat dicts with stable English column names (the CSV header), so a CSV opens the same in
any language. Every row says whether its value is synthetic (generated demo data) and
which target set and method scored it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify


def _yes(flag: Any) -> str:
    return "yes" if flag else "no"


def _target(value: Any) -> Any:
    if isinstance(value, dict):
        return f"{value['low']}-{value['high']}"
    return value


def _set(result: dict[str, Any]) -> dict[str, Any]:
    ts = result["target_set"]
    return {"target_set": ts["slug"] or "", "method": ts["method"]}


def profile_rows(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per KPI and data point of a city's year (``queries.city_profile``)."""
    rows = []
    for tile in profile["tiles"]:
        points = tile["data_points"] or [tile]
        for p in points:
            rows.append(
                {
                    "city": profile["city"]["name"],
                    "year": profile["year"],
                    "kpi_code": tile["kpi_code"],
                    "kpi_name": tile["name_en"],
                    "data_point": p.get("data_point", ""),
                    "value": p["value"],
                    "unit": p.get("unit", tile["unit"]),
                    "target": _target(p["target"]),
                    "direction": p["direction"],
                    "score": p["score"],
                    "points": p["points"],
                    "band": p["band"],
                    "band_label": p["band_label"],
                    "trend": p["trend_label"],
                    "projection": p["projection"],
                    "projected_year": p["projected_year"],
                    "quality": p["quality"],
                    "source": p.get("source", tile.get("source", "")),
                    "synthetic": _yes(p["is_synthetic"]),
                    "kpi_score": tile["score"],
                    "kpi_band": tile["band"],
                    **_set(profile),
                }
            )
    return rows


def wheel_rows(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Every dimension, sub-dimension and category of a city's year, nested in order."""
    rows = []
    for dim in profile["dimensions"]:
        nested = [dim]
        for sub in dim["subdimensions"]:
            nested += [sub, *sub["categories"]]
        for entry in nested:
            rows.append(
                {
                    "city": profile["city"]["name"],
                    "year": profile["year"],
                    "level": entry["level"],
                    "code": entry["code"],
                    "name": entry["name_en"],
                    "score": entry["score"],
                    "band": entry["band"],
                    "band_label": entry["band_label"],
                    "kpis_scored": entry["kpis_scored"],
                    "kpis_with_target": entry["kpis_with_target"],
                    "kpis_total": entry["kpis_total"],
                    "trend": entry["trend_label"],
                    # an aggregate computed from any synthetic value is synthetic
                    "synthetic": _yes(entry["is_synthetic"] or profile["city"]["is_synthetic"]),
                    **_set(profile),
                }
            )
    return rows


def history_rows(history: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for entry in history["series"]:
        tile = entry["tile"]
        for p in tile["data_points"] or [tile]:
            rows.append(
                {
                    "city": history["city"]["name"],
                    "kpi_code": history["kpi"]["kpi_code"],
                    "data_point": p.get("data_point", ""),
                    "year": entry["year"],
                    "value": p["value"],
                    "unit": history["kpi"]["unit"],
                    "target": _target(p["target"]),
                    "score": p["score"],
                    "band": p["band"],
                    "band_label": p["band_label"],
                    "trend": p["trend_label"],
                    "synthetic": _yes(p["is_synthetic"]),
                    **_set(history),
                }
            )
    return rows


def overview_rows(overview: dict[str, Any]) -> list[dict[str, Any]]:
    """Every city's value of a KPI in a year, with its rank where it is ranked."""
    ranks = {r["city"]["id"]: r["rank"] for r in overview["ranking"]}
    return [
        {
            "kpi_code": overview["kpi"]["kpi_code"],
            "data_point": overview["data_point"],
            "year": overview["year"],
            "city": r["city"]["name"],
            "country": r["city"]["country"],
            "value": r["value"],
            "unit": overview["unit"],
            "target": _target(overview["target"]),
            "score": r["score"],
            "band": r["band"],
            "band_label": r["band_label"],
            "rank": ranks.get(r["city"]["id"]),
            "latitude": r["city"].get("latitude"),
            "longitude": r["city"].get("longitude"),
            "quality": r["quality"],
            "synthetic": _yes(r["is_synthetic"]),
            **_set(overview),
        }
        for r in overview["rows"]
    ]


def _target_columns(target: Any, direction: str | None) -> dict[str, Any]:
    """A target as numbers: ``target`` (or ``target_low``/``target_high`` of a range)."""
    ranged = isinstance(target, dict)
    return {
        "target": None if ranged else target,
        "target_low": target["low"] if ranged else None,
        "target_high": target["high"] if ranged else None,
        "direction": direction or "",
    }


def compare_rows(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """Long rows: one per (group, KPI or data point of a KPI; city), with the target."""
    rows = []
    no_target = _target_columns(None, None)
    for group in comparison["groups"]:
        for city, cell in zip(comparison["cities"], group["cells"], strict=True):
            rows.append(
                {
                    "year": comparison["year"],
                    "level": group["level"],
                    "code": group["code"],
                    "data_point": "",
                    "name": group["name_en"],
                    "city": city["name"],
                    "value": None,
                    "unit": "",
                    **no_target,
                    "score": cell["score"] if cell else None,
                    "band": cell["band"] if cell else None,
                    "band_label": cell["band_label"] if cell else "",
                    "synthetic": _yes(
                        city["is_synthetic"] or bool(cell and cell.get("is_synthetic"))
                    ),
                    **_set(comparison),
                }
            )
    for kpi in comparison["kpis"]:
        # a multi-point KPI: its own line (band of its data points together), then each
        # data point's with its value and its own target
        multi = bool(kpi.get("has_data_points"))
        lines = [(kpi, "", kpi["name_en"], "" if multi else kpi["unit"])] + [
            (p, p["data_point"], f"{kpi['name_en']}: {p['data_point']}", p["unit"])
            for p in kpi.get("data_points", [])
        ]
        for item, data_point, name, unit in lines:
            summary = multi and not data_point  # a multi-point KPI's own line: no one value
            target = (
                no_target if summary else _target_columns(item.get("target"), item.get("direction"))
            )
            for city, cell in zip(comparison["cities"], item["cells"], strict=True):
                rows.append(
                    {
                        "year": comparison["year"],
                        "level": "data_point" if data_point else "kpi",
                        "code": kpi["kpi_code"],
                        "data_point": data_point,
                        "name": name,
                        "city": city["name"],
                        "value": cell["value"] if cell and not summary else None,
                        "unit": unit,
                        **target,
                        "score": cell["score"] if cell else None,
                        "band": cell["band"] if cell else None,
                        "band_label": cell["band_label"] if cell else "",
                        "synthetic": _yes(cell["is_synthetic"] if cell else city["is_synthetic"]),
                        **_set(comparison),
                    }
                )
    return rows


def heatmap_rows(programme: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for line in programme["heatmap"]:
        for kpi, cell in zip(programme["kpis"], line["cells"], strict=True):
            rows.append(
                {
                    "group": programme["group"]["name"],
                    "year": programme["year"],
                    "city": line["city"]["name"],
                    "kpi_code": kpi["kpi_code"],
                    "value": cell["value"] if cell else None,
                    "score": cell["score"] if cell else None,
                    "band": cell["band"] if cell else None,
                    "band_label": cell["band_label"] if cell else "",
                    "synthetic": _yes(cell["is_synthetic"] if cell else False),
                    **_set(programme),
                }
            )
    return rows


def opportunity_rows(programme: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per city short of the top band on a shared opportunity; for a multi-point
    KPI one row per data point the city falls short on (``data_point`` names it; ``value``,
    ``target``, ``gap`` and ``score`` are the data point's, ``kpi_score`` the KPI's)."""
    rows = []
    for opp in programme["shared_opportunities"]:
        for c in opp["cities"]:
            base = {
                "group": programme["group"]["name"],
                "year": programme["year"],
                "kpi_code": opp["kpi_code"],
                "kpi_name": opp["name_en"],
                "cities_short": opp["n_short"],
                "cities_reported": opp["n_reported"],
                "city": c["city"]["name"],
            }
            points = c["data_points_short"] or [
                {
                    "data_point": "",
                    "value": c["value"],
                    "unit": opp["unit"],
                    "target_text": opp["target_text"],
                    "gap": c["gap"],
                    "score": c["score"],
                    "band_label": c["band_label"],
                    "is_synthetic": c["is_synthetic"],
                }
            ]
            for p in points:
                rows.append(
                    {
                        **base,
                        "data_point": p["data_point"],
                        "value": p["value"],
                        "unit": p["unit"],
                        "target": p["target_text"],
                        "gap": p["gap"],
                        "score": p["score"],
                        "band_label": p["band_label"],
                        "kpi_score": c["score"],
                        "kpi_band_label": c["band_label"],
                        "synthetic": _yes(p["is_synthetic"] or c["is_synthetic"]),
                        **_set(programme),
                    }
                )
    return rows


def progress_rows(programme: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "group": programme["group"]["name"],
            "city": entry["city"]["name"],
            "year": point["year"],
            "score": point["score"],
            "band": point["band"],
            "band_label": point["band_label"],
            "kpis_scored": point["kpis_scored"],
            "synthetic": _yes(entry["city"]["is_synthetic"] or point["is_synthetic"]),
            **_set(programme),
        }
        for entry in programme["progress"]
        for point in entry["series"]
    ]


def csv_response(rows: list[dict[str, Any]], *parts: Any) -> HttpResponse:
    """``rows`` as a CSV download named after ``parts`` (UTF-8 with BOM for spreadsheets)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = "-".join(slugify(str(p)) for p in parts if p not in (None, "")) or "benchmarking"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
