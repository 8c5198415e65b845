"""Long tables in, long tables out: the pandas-friendly face of the scoring engine.

Three tables describe a scoring run:

- ``hierarchy``: one row per KPI with ``kpi_code``, ``dimension_code``,
  ``subdimension_code``, ``category_code`` and optionally ``kpi_name``,
  ``dimension_name``, ``subdimension_name``, ``category_name`` and ``data_points`` (a
  tuple of data-point names; empty for single-value KPIs). The CLI builds it from
  ``u4ssc.core.catalogue``. A category is (dimension, sub-dimension, category code).
- ``values``: ``city, year, kpi_code, data_point, value`` (``data_point`` empty for
  single-value KPIs).
- ``targets``: ``kpi_code, data_point, target, direction`` (``higher``, ``lower`` or
  ``range:LOW-HIGH``) and optionally ``lower_bound`` (SDSN).

:func:`score_tables` checks them (:class:`ScoringInputError` says what is wrong, with the
row numbers of a CSV file), scores them and returns a :class:`Scorecard`, which gives long
tables, a JSON-ready dict, and :meth:`Scorecard.explain` for any one score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from u4ssc.core.checks.parse import parse_number
from u4ssc.core.scoring.engine import (
    BEYOND_HORIZON,
    HIGHER,
    LEVELS,
    LOWER,
    NOT_AT_THIS_PACE,
    PROJECTED,
    RANGE,
    REACHED,
    Hierarchy,
    ScoreResult,
    Targets,
    score,
)
from u4ssc.core.scoring.methods import Method, SDSNMethod, U4SSCMethod, method_to_dict

VALUE_COLUMNS = ("city", "year", "kpi_code", "data_point", "value")
TARGET_COLUMNS = ("kpi_code", "data_point", "target", "direction")
HIERARCHY_COLUMNS = ("kpi_code", "dimension_code", "subdimension_code", "category_code")

COLOURS = {0: "grey", 1: "red", 2: "orange", 3: "yellow", 4: "green"}
ARROWS = {0: "", 1: "↓", 2: "→", 3: "↗", 4: "↑"}
TREND_LABELS = {
    "sdsn_linear": {
        1: "decreasing",
        2: "stagnating",
        3: "moderately improving",
        4: "on track or maintaining",
    },
    "cagr": {1: "deterioration", 2: "limited progress", 3: "acceleration needed", 4: "on track"},
}
PROJECTION_LABELS = {
    0: "no trend",
    REACHED: "reached",
    PROJECTED: "projected",
    NOT_AT_THIS_PACE: "not at this pace",
    BEYOND_HORIZON: "not before the horizon",
}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^range:\s*({_NUMBER})\s*-\s*({_NUMBER})$")
MAX_ROWS_IN_MESSAGE = 5


class ScoringInputError(ValueError):
    """The input tables cannot be scored; the message says why and where."""


def parse_direction(text: str) -> tuple[int, float, float]:
    """``"higher"``, ``"lower"`` or ``"range:LOW-HIGH"`` -> (direction, LOW, HIGH).

    Raises:
        ValueError: for anything else, or LOW > HIGH.
    """
    cleaned = str(text).strip().lower()
    if cleaned == "higher":
        return HIGHER, math.nan, math.nan
    if cleaned == "lower":
        return LOWER, math.nan, math.nan
    match = _RANGE.match(cleaned)
    if match is None:
        raise ValueError(f"direction {text!r} is not higher, lower or range:LOW-HIGH")
    low, high = float(match.group(1)), float(match.group(2))
    if low > high:
        raise ValueError(f"direction {text!r}: LOW must not exceed HIGH")
    return RANGE, low, high


def format_direction(direction: int, low: float, high: float) -> str:
    if direction == RANGE:
        return f"range:{_num(low)}-{_num(high)}"
    return "higher" if direction == HIGHER else "lower"


def band_labels(method: Method) -> dict[int, str]:
    """What each band means, in the words of the U4SSC City Snapshot (or SDSN colours)."""
    if isinstance(method, SDSNMethod):
        return dict(COLOURS)
    e1, e2, e3 = (_num(e) for e in method.band_edges)
    return {
        0: "not scored",
        1: f"less than {e1} % of target",
        2: f"{e1}-{e2} %",
        3: f"{e2}-{e3} %",
        4: f"{e3} %+ of target",
    }


# --- reading and checking ------------------------------------------------------------


def _require_columns(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ScoringInputError(
            f"{what}: missing column(s) {', '.join(missing)}; "
            f"expected {', '.join(columns)} (found {', '.join(map(str, table.columns))})"
        )


def _rows(index: pd.Index | Sequence[int]) -> str:
    """CSV line numbers (header = line 1) of table rows."""
    lines = [str(int(i) + 2) for i in list(index)[:MAX_ROWS_IN_MESSAGE]]
    more = len(index) - len(lines)
    return ", ".join(lines) + (f" and {more} more" if more > 0 else "")


def _text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str).str.strip()


def _numbers(column: pd.Series, what: str, *, allow_empty: bool) -> pd.Series:
    """Numbers of a column, as the platform reads numbers everywhere (decision 0204).

    Plain numbers go through pandas at once; anything else (``97,07``, ``1 234,5``) through
    :func:`u4ssc.core.checks.parse.parse_number`, whose message names the problem.
    """
    text = _text(column)
    parsed = pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)
    for i in text.index[(text != "") & parsed.isna()]:
        try:
            parsed[i] = parse_number(text[i])
        except ValueError as exc:
            raise ScoringInputError(f"{what} on line {_rows([i])}: {exc}") from None
    infinite = np.isinf(parsed.to_numpy(dtype=float, na_value=np.nan))
    if infinite.any():
        raise ScoringInputError(
            f"{what}: not a finite number on line(s) {_rows(text.index[infinite])}"
        )
    if not allow_empty and (text == "").any():
        raise ScoringInputError(f"{what}: empty on line(s) {_rows(text.index[text == ''])}")
    return parsed


@dataclass(frozen=True)
class _KpiIndex:
    codes: list[str]
    position: dict[str, int]
    data_points: dict[str, tuple[str, ...]] | None  # None: not known, anything goes

    def check_codes(self, codes: pd.Series, what: str) -> None:
        unknown = ~codes.isin(self.position)
        if unknown.any():
            sample = sorted(set(codes[unknown]))[:MAX_ROWS_IN_MESSAGE]
            raise ScoringInputError(
                f"{what}: unknown KPI code(s) {', '.join(map(repr, sample))} "
                f"on line(s) {_rows(codes.index[unknown])}"
            )

    def canonical_points(self, codes: pd.Series, points: pd.Series, what: str) -> pd.Series:
        """Data-point names spelt as the catalogue spells them (case-insensitive match)."""
        if self.data_points is None:
            return points
        out = points.copy()
        for i, (code, point) in enumerate(zip(codes, points, strict=True)):
            known = self.data_points.get(code, ())
            line = _rows([points.index[i]])
            if not known and point:
                raise ScoringInputError(
                    f"{what}: KPI {code!r} has no data points but line {line} gives {point!r}"
                )
            if known and not point:
                raise ScoringInputError(
                    f"{what}: KPI {code!r} is reported per data point ({', '.join(known)}); "
                    f"line {line} has an empty data_point"
                )
            if known:
                spelled = {p.casefold(): p for p in known}.get(point.casefold())
                if spelled is None:
                    raise ScoringInputError(
                        f"{what}: KPI {code!r} has no data point {point!r} (line {line}); "
                        f"it has {', '.join(known)}"
                    )
                out.iloc[i] = spelled
        return out


def _kpi_index(hierarchy: pd.DataFrame) -> _KpiIndex:
    _require_columns(hierarchy, HIERARCHY_COLUMNS, "hierarchy")
    codes = _text(hierarchy["kpi_code"]).tolist()
    if len(set(codes)) != len(codes):
        raise ScoringInputError("hierarchy: a KPI code appears twice")
    data_points = None
    if "data_points" in hierarchy.columns:
        data_points = {
            code: tuple(str(p) for p in (points or ()))
            for code, points in zip(codes, hierarchy["data_points"], strict=True)
        }
    return _KpiIndex(codes, {c: i for i, c in enumerate(codes)}, data_points)


def _check_duplicates(table: pd.DataFrame, key: list[str], what: str) -> None:
    duplicated = table.duplicated(subset=key, keep=False)
    if duplicated.any():
        raise ScoringInputError(
            f"{what}: the same {', '.join(key)} appears more than once, on line(s) "
            f"{_rows(table.index[duplicated])}"
        )


def read_values(values: pd.DataFrame, kpis: _KpiIndex) -> pd.DataFrame:
    """Checked values: city (str), year (int), kpi_code, data_point (str), value (float)."""
    _require_columns(values, VALUE_COLUMNS, "values")
    table = pd.DataFrame(
        {
            "city": _text(values["city"]),
            "year": _numbers(values["year"], "values: year", allow_empty=False),
            "kpi_code": _text(values["kpi_code"]),
            "data_point": _text(values["data_point"]),
            "value": _numbers(values["value"], "values: value", allow_empty=True),
        },
        index=values.index,
    )
    if (table["city"] == "").any():
        raise ScoringInputError(
            f"values: empty city on line(s) {_rows(table.index[table['city'] == ''])}"
        )
    not_whole = table["year"] != table["year"].round()
    if not_whole.any():
        raise ScoringInputError(
            f"values: year is not a whole number on line(s) {_rows(table.index[not_whole])}"
        )
    table["year"] = table["year"].astype(int)
    kpis.check_codes(table["kpi_code"], "values")
    table["data_point"] = kpis.canonical_points(table["kpi_code"], table["data_point"], "values")
    _check_duplicates(table, ["city", "year", "kpi_code", "data_point"], "values")
    return table


def read_targets(targets: pd.DataFrame, kpis: _KpiIndex) -> pd.DataFrame:
    """Checked targets with parsed direction (``direction``, ``low``, ``high``)."""
    _require_columns(targets, TARGET_COLUMNS, "targets")
    table = pd.DataFrame(
        {
            "kpi_code": _text(targets["kpi_code"]),
            "data_point": _text(targets["data_point"]),
            "target": _numbers(targets["target"], "targets: target", allow_empty=True),
        },
        index=targets.index,
    )
    lower = targets["lower_bound"] if "lower_bound" in targets.columns else None
    table["lower_bound"] = (
        _numbers(lower, "targets: lower_bound", allow_empty=True) if lower is not None else np.nan
    )
    parsed = []
    for i, text in zip(targets.index, _text(targets["direction"]), strict=True):
        try:
            parsed.append(parse_direction(text))
        except ValueError as exc:
            raise ScoringInputError(f"targets: line {_rows([i])}: {exc}") from None
    table["direction"] = [p[0] for p in parsed]
    table["low"] = [p[1] for p in parsed]
    table["high"] = [p[2] for p in parsed]
    kpis.check_codes(table["kpi_code"], "targets")
    table["data_point"] = kpis.canonical_points(table["kpi_code"], table["data_point"], "targets")
    _check_duplicates(table, ["kpi_code", "data_point"], "targets")
    return table


# --- scoring -------------------------------------------------------------------------


def _num(x: float) -> str:
    """A number as a person writes it: 95, 56.25, 0.5."""
    return f"{x:.10g}"


def _round(x: float, digits: int = 4) -> float | None:
    return (
        None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), digits)
    )


@dataclass
class Scorecard:
    """Scored tables: the inputs as arrays, the engine's result, and the labels to read them.

    ``cities``/``years``: the axes of the arrays. ``measurands``: (kpi_code, data_point)
    per measurand. ``kpis``: the hierarchy table (one row per KPI, in engine order).
    ``groups``: per level, a table of the groups (codes and names) in engine order.
    """

    method: Method
    cities: list[str]
    years: list[int]
    measurands: list[tuple[str, str]]
    kpis: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    values: np.ndarray
    targets: Targets
    result: ScoreResult
    kpi_of: np.ndarray  # KPI of each measurand

    # -- lookups --
    def _city(self, city: str) -> int:
        try:
            return self.cities.index(city)
        except ValueError:
            raise KeyError(f"no values for city {city!r}") from None

    def _year(self, year: int) -> int:
        try:
            return self.years.index(int(year))
        except ValueError:
            raise KeyError(f"no values for year {year}") from None

    def _kpi(self, code: str) -> int:
        matches = np.flatnonzero(self.kpis["kpi_code"].to_numpy() == code)
        if not len(matches):
            raise KeyError(f"unknown KPI {code!r}")
        return int(matches[0])

    def _measurands_of(self, k: int) -> list[int]:
        return np.flatnonzero(self.kpi_of == k).tolist()

    # -- explanation --
    def explain(
        self, city: str, year: int, kpi_code: str, data_point: str | None = None
    ) -> dict[str, Any]:
        """How one score came about, as a plain dict (the "working" of a dashboard tile).

        Without ``data_point``: the KPI (for a multi-point KPI, its summary and each data
        point's working under ``"data_points"``). Raises ``KeyError`` for an unknown city,
        year, KPI or data point.
        """
        c, y, k = self._city(city), self._year(year), self._kpi(kpi_code)
        mine = self._measurands_of(k)
        if data_point is not None:
            chosen = [m for m in mine if self.measurands[m][1] == data_point]
            if not chosen:
                raise KeyError(f"KPI {kpi_code!r} has no scored data point {data_point!r}")
            return self._explain_measurand(c, y, chosen[0])
        single = len(mine) == 1 and self.measurands[mine[0]][1] == ""
        if single:
            return self._explain_measurand(c, y, mine[0])
        r = self.result
        out: dict[str, Any] = {
            "city": city,
            "year": int(year),
            "kpi_code": kpi_code,
            "kpi_name": self._kpi_name(k),
            "method": self.method.name,
        }
        if isinstance(self.method, SDSNMethod):
            out["score"] = _round(r.kpi_score[c, k, y])
            out["colour"] = COLOURS[int(r.kpi_band[c, k, y])]
            out["rule"] = (
                "The KPI's score is the mean of its data points' normalised scores; its "
                "colour is the colour of that mean. It counts as one KPI in aggregates."
            )
        else:
            points = r.kpi_points[c, k, y]
            out["achievement"] = _round(r.kpi_score[c, k, y])
            out["points"] = _round(points)
            out["band"] = int(r.kpi_band[c, k, y])
            out["band_label"] = band_labels(self.method)[int(r.kpi_band[c, k, y])]
            out["rule"] = (
                "Each data point is scored on its own; the KPI's points are the mean of its "
                "scored data points' points and it counts as one KPI in aggregates. Its band "
                "is the band of points / 4 as a percentage."
            )
            if not math.isnan(points):
                out["working"] = f"{_num(points)} / 4 x 100 = {_num(100 * points / 4)} %"
        out["trend"] = _trend_word(self.method, int(r.kpi_trend[c, k, y]))
        out["data_points"] = [self._explain_measurand(c, y, m) for m in mine]
        return out

    def _kpi_name(self, k: int) -> str:
        return str(self.kpis["kpi_name"].iloc[k]) if "kpi_name" in self.kpis else ""

    def _explain_measurand(self, c: int, y: int, m: int) -> dict[str, Any]:
        t = self.targets
        code, point = self.measurands[m]
        k = self._kpi(code)
        value = float(self.values[c, m, y])
        direction = int(t.direction[m])
        low, high = float(t.low[m]), float(t.high[m])
        target = float(t.target[m])
        has_target = bool(t.has_target[m])
        out: dict[str, Any] = {
            "city": self.cities[c],
            "year": self.years[y],
            "kpi_code": code,
            "kpi_name": self._kpi_name(k),
            "data_point": point or None,
            "method": self.method.name,
            "value": _round(value, 10),
            "target": (
                None
                if not has_target
                else {"low": low, "high": high}
                if direction == RANGE
                else target
            ),
            "direction": format_direction(direction, low, high),
        }
        if math.isnan(value) or not has_target:
            out["status"] = "not reported" if math.isnan(value) else "no target: left out"
            return out
        out["status"] = "scored"
        low_edge, high_edge = float(t.low_edge[m]), float(t.high_edge[m])
        if isinstance(self.method, SDSNMethod):
            out.update(self._sdsn_working(c, m, y, value, low_edge, high_edge))
        else:
            out.update(self._u4ssc_working(c, m, y, value, low_edge, high_edge))
        out["trend"] = self._trend_working(c, m, y, low_edge, high_edge)
        return out

    def _u4ssc_working(
        self, c: int, m: int, y: int, value: float, low: float, high: float
    ) -> dict[str, Any]:
        achievement = float(self.result.score[c, m, y])
        band = int(self.result.band[c, m, y])
        is_range = int(self.targets.direction[m]) == RANGE
        if value < low:
            edge = "LOW of the range" if is_range else "target"
            formula = f"achievement = value / {edge} x 100 (capped to 0-100 %)"
            working = (
                f"{_num(value)} / {_num(low)} x 100 = {_num(100 * value / low)} %"
                if low > 0
                else f"target {_num(low)} <= 0 and value below it: no ratio, 0 %"
            )
        elif value > high:
            edge = "HIGH of the range" if is_range else "target"
            formula = f"achievement = {edge} / value x 100 (capped to 0-100 %)"
            working = (
                f"{_num(high)} / {_num(value)} x 100 = {_num(100 * high / value)} %"
                if high > 0
                else f"target {_num(high)} <= 0 and value above it: no ratio, 0 %"
            )
        else:
            formula = "value meets the target: achievement = 100 %"
            working = "100 %"
        e1, e2, e3 = (_num(e) for e in self.method.band_edges)  # type: ignore[union-attr]
        return {
            "formula": formula,
            "working": working,
            "achievement": _round(achievement),
            "points": band,
            "band": band,
            "band_label": band_labels(self.method)[band],
            "band_rule": (
                f"[0, {e1}) -> 1 point, [{e1}, {e2}) -> 2, [{e2}, {e3}) -> 3, "
                f"[{e3}, 100] -> 4 (lower edge inclusive)"
            ),
        }

    def _sdsn_working(
        self, c: int, m: int, y: int, value: float, low: float, high: float
    ) -> dict[str, Any]:
        gap = max(low - value, 0.0) + max(value - high, 0.0)
        bound = float(self.result.lower_bound[m])
        configured = not math.isnan(float(self.targets.lower_bound[m]))
        assert isinstance(self.method, SDSNMethod)
        colour = int(self.result.band[c, m, y])
        working = (
            f"100 x ({_num(bound)} - {_num(gap)}) / {_num(bound)} = "
            f"{_num(100 * (bound - gap) / bound)}, censored to 0-100"
            if bound > 0
            else "the lower bound equals the target: 100 if met, else 0"
        )
        return {
            "shortfall": _round(gap, 10),
            "lower_bound_shortfall": _round(bound, 10),
            "lower_bound_source": (
                "configured on the target"
                if configured
                else f"{_num(100 - self.method.percentile)}th percentile of the compared "
                "cities' shortfalls"
            ),
            "formula": "score = 100 x (lower bound - shortfall) / lower bound, censored 0-100",
            "working": working,
            "score": _round(float(self.result.score[c, m, y])),
            "colour": COLOURS[colour],
            "thresholds": dict(
                zip(("orange", "yellow", "green"), self.method.thresholds, strict=True)
            ),
        }

    def _trend_working(self, c: int, m: int, y: int, low: float, high: float) -> dict[str, Any]:
        tr = self.result.trend
        method = self.method.trend
        arrow = int(tr.arrow[c, m, y])
        status = int(tr.projection[c, m, y])
        out: dict[str, Any] = {
            "method": method.kind,
            "target_year": method.target_year,
            "arrow": ARROWS[arrow],
            "label": _trend_word(self.method, arrow),
            "projection": PROJECTION_LABELS[status],
            "horizon": method.horizon,
        }
        t0 = int(tr.baseline_year[c, m, y])
        if t0 == 0:
            out["note"] = "no earlier reported year to compare with"
            return out
        v0 = float(self.values[c, m, self.years.index(t0)])
        v1 = float(self.values[c, m, y])
        t1 = self.years[y]
        out.update(
            baseline_year=t0,
            baseline_value=_round(v0, 10),
            latest_year=t1,
            latest_value=_round(v1, 10),
            ratio=_round(float(tr.ratio[c, m, y])),
        )
        if method.kind == "sdsn_linear":
            gap0 = max(low - v0, 0.0) + max(v0 - high, 0.0)
            gap1 = max(low - v1, 0.0) + max(v1 - high, 0.0)
            out["formula"] = (
                "ratio = observed rate / required rate; observed = (gap at baseline - gap now) "
                "/ years elapsed; required = gap at baseline / (target year - baseline year)"
            )
            out["observed_rate"] = _round((gap0 - gap1) / (t1 - t0), 10)
            if method.target_year > t0:
                out["required_rate"] = _round(gap0 / (method.target_year - t0), 10)
        else:
            out["formula"] = (
                "ratio = observed CAGR / required CAGR; observed = (now / baseline)^(1/years) "
                "- 1; required = (target / baseline)^(1/(target year - baseline year)) - 1"
            )
        cut_on, cut_mid = method.ratio_cutoffs
        out["cutoffs"] = {"on_track": cut_on, "moderate": cut_mid}
        if status == PROJECTED:
            fractional = float(tr.projected_year[c, m, y])
            out["projected_year"] = math.ceil(fractional)
            out["projected_year_exact"] = _round(fractional, 2)
        elif status == REACHED:
            out["projected_year"] = t1
        return out

    # -- tables --
    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the CLI: per city and year, KPIs and aggregates."""
        u4ssc = isinstance(self.method, U4SSCMethod)
        labels = band_labels(self.method)
        kpi_of = self.kpi_of
        reported = ~np.isnan(self.values)  # [C, M, Y]
        results = []
        for c, city in enumerate(self.cities):
            for y, year in enumerate(self.years):
                if not reported[c, :, y].any():
                    continue
                kpis = []
                for k in range(len(self.kpis)):
                    mine = np.flatnonzero(kpi_of == k)
                    if not len(mine) or not reported[c, mine, y].any():
                        continue
                    kpis.append(self._kpi_entry(c, y, k, mine, u4ssc, labels))
                entry: dict[str, Any] = {"city": city, "year": year, "kpis": kpis}
                for level in LEVELS:
                    entry[_plural(level)] = self._group_entries(c, y, level, u4ssc, labels)
                results.append(entry)
        return {
            "method": method_to_dict(self.method),
            "bands": {str(b): label for b, label in labels.items()},
            "results": results,
        }

    def _kpi_entry(
        self, c: int, y: int, k: int, mine: np.ndarray, u4ssc: bool, labels: dict[int, str]
    ) -> dict[str, Any]:
        r = self.result
        row = self.kpis.iloc[k]
        band = int(r.kpi_band[c, k, y])
        entry: dict[str, Any] = {"code": row["kpi_code"], "name": row.get("kpi_name", "")}
        if u4ssc:
            entry.update(
                achievement=_round(r.kpi_score[c, k, y]),
                points=_round(r.kpi_points[c, k, y]),
                band=band,
                band_label=labels[band],
            )
        else:
            entry.update(score=_round(r.kpi_score[c, k, y]), colour=COLOURS[band])
        if math.isnan(float(r.kpi_score[c, k, y])):
            entry["status"] = "no target: left out"
        trend = int(r.kpi_trend[c, k, y])
        entry["trend"] = _trend_word(self.method, trend)
        entry["arrow"] = ARROWS[trend]
        points = []
        for m in mine:
            if np.isnan(self.values[c, m, y]):
                continue  # an unreported data point: left out, as the KPI's mean leaves it
            point = self._point_entry(c, y, int(m), u4ssc, labels)
            if self.measurands[m][1] == "":
                entry.update({k2: v for k2, v in point.items() if k2 not in entry})
            else:
                points.append(point)
        if points:
            entry["data_points"] = points
        return entry

    def _point_entry(
        self, c: int, y: int, m: int, u4ssc: bool, labels: dict[int, str]
    ) -> dict[str, Any]:
        r, t = self.result, self.targets
        band = int(r.band[c, m, y])
        status = int(r.trend.projection[c, m, y])
        entry: dict[str, Any] = {}
        if self.measurands[m][1]:
            entry["data_point"] = self.measurands[m][1]
        entry["value"] = _round(float(self.values[c, m, y]), 10)
        entry["target"] = _round(float(t.target[m]), 10) if t.direction[m] != RANGE else None
        entry["direction"] = format_direction(int(t.direction[m]), t.low[m], t.high[m])
        if t.direction[m] == RANGE:
            # the range as numbers too, so that a reader need not parse "range:LOW-HIGH"
            entry["target_low"] = _round(float(t.low[m]), 10)
            entry["target_high"] = _round(float(t.high[m]), 10)
        if u4ssc:
            entry.update(
                achievement=_round(r.score[c, m, y]),
                points=band or None,
                band=band,
                band_label=labels[band],
            )
        else:
            entry.update(score=_round(r.score[c, m, y]), colour=COLOURS[band])
        entry["projection"] = PROJECTION_LABELS[status]
        if status in (PROJECTED, REACHED):
            entry["projected_year"] = math.ceil(float(r.trend.projected_year[c, m, y]))
        return entry

    def _group_entries(
        self, c: int, y: int, level: str, u4ssc: bool, labels: dict[int, str]
    ) -> list[dict[str, Any]]:
        scores = self.result.levels[level]
        entries = []
        for g, (_, row) in enumerate(self.groups[level].iterrows()):
            if scores.n_scored[c, g, y] == 0:
                continue
            band = int(scores.band[c, g, y])
            entry = {key: row[key] for key in row.index}
            if u4ssc:
                entry.update(percentage=_round(scores.score[c, g, y]), band=band)
                entry["band_label"] = labels[band]
            else:
                entry.update(score=_round(scores.score[c, g, y]), colour=COLOURS[band])
            entry["kpis_scored"] = int(scores.n_scored[c, g, y])
            entry["trend"] = _trend_word(self.method, int(scores.trend[c, g, y]))
            entries.append(entry)
        return entries

    def to_long_table(self) -> pd.DataFrame:
        """Every score as one row: level (data_point, kpi, category, subdimension,
        dimension), city, year, codes, name, value, target, score, points, band, label."""
        doc = self.to_dict()
        score_key = "achievement" if isinstance(self.method, U4SSCMethod) else "score"
        rows = []
        for res in doc["results"]:
            base = {"city": res["city"], "year": res["year"]}
            for kpi in res["kpis"]:
                kpi_row = {**base, "level": "kpi", "code": kpi["code"], "name": kpi["name"]}
                rows.append({**kpi_row, **_flat(kpi, score_key)})
                for point in kpi.get("data_points", []):
                    rows.append({**kpi_row, "level": "data_point", **_flat(point, score_key)})
            for level in LEVELS:
                for group in res[_plural(level)]:
                    code = ": ".join(
                        str(group[f"{lv}_code"])
                        for lv in ("dimension", "subdimension", "category")
                        if f"{lv}_code" in group
                    )
                    rows.append(
                        {
                            **base,
                            "level": level,
                            "code": code,
                            "name": group.get(f"{level}_name", ""),
                            **_flat(group, "percentage" if score_key == "achievement" else "score"),
                        }
                    )
        columns = [
            "city", "year", "level", "code", "name", "data_point", "value", "target",
            "direction", "score", "points", "band", "band_label", "kpis_scored", "trend",
            "projected_year",
        ]  # fmt: skip
        table = pd.DataFrame(rows).reindex(columns=columns)
        for column in ("band", "kpis_scored", "projected_year"):
            if column != "band" or isinstance(self.method, U4SSCMethod):
                table[column] = table[column].astype("Int64")
        return table


def _flat(entry: dict[str, Any], score_key: str) -> dict[str, Any]:
    out = {
        key: entry.get(key)
        for key in (
            "data_point",
            "value",
            "target",
            "direction",
            "points",
            "band_label",
            "kpis_scored",
            "trend",
            "projected_year",
        )
    }
    out["score"] = entry.get(score_key)
    out["band"] = entry.get("band", entry.get("colour"))
    return out


def _plural(level: str) -> str:
    return {"category": "categories", "subdimension": "subdimensions", "dimension": "dimensions"}[
        level
    ]


def _trend_word(method: Method, arrow: int) -> str:
    return TREND_LABELS[method.trend.kind].get(arrow, "no trend")


def score_tables(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    hierarchy: pd.DataFrame,
    method: Method | None = None,
) -> Scorecard:
    """Check, arrange and score long tables (see the module docstring for the columns).

    Raises:
        ScoringInputError: missing columns, unknown KPI codes or data points,
            non-numeric values, bad directions, duplicate rows.
    """
    method = method if method is not None else U4SSCMethod()
    kpi_index = _kpi_index(hierarchy)
    vals = read_values(values, kpi_index)
    tgts = read_targets(targets, kpi_index)

    kpis = hierarchy.copy()
    kpis["kpi_code"] = kpi_index.codes
    kpis = kpis.reset_index(drop=True)
    for column in ("dimension_code", "subdimension_code", "category_code"):
        kpis[column] = _text(kpis[column])

    # measurands: every (KPI, data point) with a target or a value, in catalogue order
    pairs = pd.concat([tgts[["kpi_code", "data_point"]], vals[["kpi_code", "data_point"]]])
    pairs = pairs.drop_duplicates()
    pairs["order"] = pairs["kpi_code"].map(kpi_index.position)
    if kpi_index.data_points is not None:
        pairs["point_order"] = [
            (kpi_index.data_points[code] + (point,)).index(point)
            for code, point in zip(pairs["kpi_code"], pairs["data_point"], strict=True)
        ]
    else:
        pairs["point_order"] = 0
    pairs = pairs.sort_values(["order", "point_order", "data_point"], kind="stable")
    measurands = list(zip(pairs["kpi_code"], pairs["data_point"], strict=True))
    m_index = {pair: i for i, pair in enumerate(measurands)}

    cities = sorted(vals["city"].unique().tolist())
    years = sorted(int(v) for v in vals["year"].unique())
    c_index = {c: i for i, c in enumerate(cities)}
    y_index = {yr: i for i, yr in enumerate(years)}
    cube = np.full((len(cities), len(measurands), len(years)), np.nan)
    if len(vals):
        ci = vals["city"].map(c_index).to_numpy()
        mi = np.array([m_index[p] for p in zip(vals["kpi_code"], vals["data_point"], strict=True)])
        yi = vals["year"].map(y_index).to_numpy()
        cube[ci, mi, yi] = vals["value"].to_numpy(dtype=float)

    n = len(measurands)
    direction = np.zeros(n, dtype=np.int8)
    target = np.full(n, np.nan)
    low, high, lower_bound = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    rows = [m_index[p] for p in zip(tgts["kpi_code"], tgts["data_point"], strict=True)]
    direction[rows] = tgts["direction"].to_numpy(dtype=np.int8)
    for column, array in (
        ("target", target),
        ("low", low),
        ("high", high),
        ("lower_bound", lower_bound),
    ):
        array[rows] = tgts[column].to_numpy(dtype=float)
    target_arrays = Targets(direction, target, low, high, lower_bound)

    groups, tree = hierarchy_arrays(kpis, [code for code, _ in measurands])
    result = score(cube, target_arrays, tree, years, method)
    return Scorecard(
        method=method,
        cities=cities,
        years=years,
        measurands=measurands,
        kpis=kpis,
        groups=groups,
        values=cube,
        targets=target_arrays,
        result=result,
        kpi_of=tree.kpi_of_measurand,
    )


def hierarchy_arrays(
    kpis: pd.DataFrame, measurand_kpis: Sequence[str]
) -> tuple[dict[str, pd.DataFrame], Hierarchy]:
    """The engine's :class:`Hierarchy` from a hierarchy table and each measurand's KPI code.

    Also returns, per level, the table of its groups (codes, and names where the hierarchy
    table has them) in engine order: the order in which they first appear.
    """
    position = {code: i for i, code in enumerate(kpis["kpi_code"])}
    keys = {
        "dimension": ["dimension_code"],
        "subdimension": ["dimension_code", "subdimension_code"],
        "category": ["dimension_code", "subdimension_code", "category_code"],
    }
    groups: dict[str, pd.DataFrame] = {}
    index_of: dict[str, np.ndarray] = {}
    for level, key in keys.items():
        names = [f"{lv}_name" for lv in level_path(level)]
        columns = key + [n for n in names if n in kpis.columns]
        table = kpis[columns].drop_duplicates(subset=key).reset_index(drop=True)
        groups[level] = table
        lookup = {tuple(r): i for i, r in enumerate(table[key].itertuples(index=False))}
        index_of[level] = np.array(
            [lookup[tuple(r)] for r in kpis[key].itertuples(index=False)], dtype=np.int64
        )
    category_of_kpi = index_of["category"]
    subdimension_of_category = np.zeros(len(groups["category"]), dtype=np.int64)
    subdimension_of_category[category_of_kpi] = index_of["subdimension"]
    dimension_of_subdimension = np.zeros(len(groups["subdimension"]), dtype=np.int64)
    dimension_of_subdimension[index_of["subdimension"]] = index_of["dimension"]
    hierarchy = Hierarchy(
        kpi_of_measurand=np.array([position[code] for code in measurand_kpis], dtype=np.int64),
        category_of_kpi=category_of_kpi,
        subdimension_of_category=subdimension_of_category,
        dimension_of_subdimension=dimension_of_subdimension,
    )
    return groups, hierarchy


def level_path(level: str) -> tuple[str, ...]:
    """The levels a group of ``level`` is named by, outermost first."""
    return {
        "dimension": ("dimension",),
        "subdimension": ("dimension", "subdimension"),
        "category": ("dimension", "subdimension", "category"),
    }[level]
