"""Flat records of the catalogue for JSON and CSV output (CLI, downloads, the database sync)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from u4ssc.core.catalogue.model import KPI, Direction, Measurand, Measure

if TYPE_CHECKING:
    from u4ssc.core.catalogue.loader import Catalogue

_RANGE_FIELDS = (
    "plausible_min",
    "plausible_max",
    "warn_min",
    "warn_max",
    "yoy_warn_ratio",
    "yoy_warn_min_change",
)


def _num(x: float | None) -> float | int | None:
    """Whole numbers as int so JSON reads 100, not 100.0."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def measure_record(m: Measure) -> dict[str, Any]:
    return {
        "kind": m.kind,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "multiplier": _num(m.multiplier),
        "numerator_nb": m.numerator_nb,
        "denominator_nb": m.denominator_nb,
    }


def direction_record(d: Direction) -> dict[str, Any]:
    return {"kind": d.kind, "low": _num(d.low), "high": _num(d.high)}


def measurand_record(m: Measurand) -> dict[str, Any]:
    """One data point (or single-value KPI) as a JSON-ready dict."""
    return {
        "key": m.data_point,
        "name": m.name,
        "name_nb": m.name_nb,
        "aliases": list(m.aliases),
        "unit": m.unit,
        "unit_aliases": list(m.unit_aliases),
        "measure": measure_record(m.measure),
        "direction": direction_record(m.direction),
        **{f: _num(getattr(m, f)) for f in _RANGE_FIELDS},
    }


def kpi_record(k: KPI) -> dict[str, Any]:
    """One KPI as a JSON-ready dict with its data points nested (the data file's shape)."""
    return {
        "position": k.position,
        "code": k.code,
        "key": k.key,
        "code_aliases": list(k.code_aliases),
        "name": k.name,
        "name_nb": k.name_nb,
        "dimension": k.dimension,
        "dimension_code": k.dimension_code,
        "subdimension": k.subdimension,
        "subdimension_code": k.subdimension_code,
        "category": k.category,
        "category_code": k.category_code,
        "number": k.number,
        "level": k.level,
        "type": k.type,
        "unit_label": k.unit_label,
        "unit": k.unit,
        "unit_aliases": list(k.unit_aliases),
        "measure": measure_record(k.measure),
        "direction": direction_record(k.direction),
        **{f: _num(getattr(k, f)) for f in _RANGE_FIELDS},
        "data_points": [measurand_record(dp) for dp in k.data_points],
        "sdgs": list(k.sdgs),
        "sdgs_text": k.sdgs_text,
        "sheet_verified": k.sheet_verified,
        "definition": k.definition,
        "source": k.source,
        "decision_note": k.decision_note,
    }


def catalogue_records(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One JSON-ready record per KPI, in catalogue order, data points nested."""
    return [kpi_record(k) for k in catalogue]


CSV_COLUMNS: tuple[str, ...] = (
    "position",
    "code",
    "key",
    "code_aliases",
    "name",
    "name_nb",
    "dimension",
    "dimension_code",
    "subdimension",
    "subdimension_code",
    "category",
    "category_code",
    "number",
    "level",
    "type",
    "unit",
    "unit_label",
    "unit_aliases",
    "measure_kind",
    "measure_numerator",
    "measure_denominator",
    "measure_multiplier",
    "measure_numerator_nb",
    "measure_denominator_nb",
    "direction",
    "direction_low",
    "direction_high",
    *_RANGE_FIELDS,
    "data_points",
    "data_point_details",
    "sdgs",
    "sdgs_text",
    "sheet_verified",
    "definition",
    "source",
    "decision_note",
)


def _cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else repr(x)
    if isinstance(x, (list, tuple)):
        return "; ".join(_cell(v) for v in x)
    return str(x)


def _bounds(lo: Any, hi: Any) -> str:
    return f"{_cell(lo)}..{_cell(hi)}"


def _detail(dp: dict[str, Any]) -> str:
    d = dp["direction"]
    direction = d["kind"]
    if direction == "range":
        direction += f" {_bounds(d['low'], d['high'])}"
    parts = [
        dp["unit"],
        dp["measure"]["kind"],
        direction,
        "range " + _bounds(dp["plausible_min"], dp["plausible_max"]),
    ]
    if dp["warn_min"] is not None or dp["warn_max"] is not None:
        parts.append("normally " + _bounds(dp["warn_min"], dp["warn_max"]))
    return f"{dp['key']}={dp['name']} ({', '.join(parts)})"


def catalogue_csv_rows(catalogue: Catalogue) -> list[dict[str, str]]:
    """One flat row per KPI with the :data:`CSV_COLUMNS`; lists joined with ``"; "``, data
    points as their keys (``data_points``) and a readable summary (``data_point_details``,
    entries separated by ``" | "``)."""
    rows = []
    for rec in catalogue_records(catalogue):
        m, d = rec["measure"], rec["direction"]
        flat: dict[str, Any] = {
            **{c: rec.get(c) for c in CSV_COLUMNS if c in rec},
            "measure_kind": m["kind"],
            "measure_numerator": m["numerator"],
            "measure_denominator": m["denominator"],
            "measure_multiplier": m["multiplier"],
            "measure_numerator_nb": m["numerator_nb"],
            "measure_denominator_nb": m["denominator_nb"],
            "direction": d["kind"],
            "direction_low": d["low"],
            "direction_high": d["high"],
            "data_points": [dp["key"] for dp in rec["data_points"]],
            "data_point_details": " | ".join(_detail(dp) for dp in rec["data_points"]),
        }
        rows.append({c: _cell(flat.get(c)) for c in CSV_COLUMNS})
    return rows
