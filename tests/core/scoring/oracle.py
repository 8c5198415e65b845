"""The pure-Python oracle of the scoring engine: one value at a time, plain loops.

Each rule of ``docs/methods/scoring.md`` restated as simply as possible, without NumPy, so
the property tests can check the vectorised engine against it and the benchmark
(``bench/bench_scoring.py``, which imports this module) can measure how much the engine
gains. Inputs: ``values[c][m][y]`` floats (NaN = missing); ``measurands`` a list of
:class:`Measurand`; ``years`` a list of ints; the method from ``u4ssc.core.scoring``.
Output: a dict of nested lists shaped like the engine's arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

NAN = math.nan
TOLERANCE = 1e-9  # band edges are compared within this many percentage points


@dataclass(frozen=True)
class Measurand:
    kpi: int  # index of its KPI
    direction: str  # "higher", "lower" or "range"
    target: float = NAN
    low: float = NAN
    high: float = NAN
    lower_bound: float = NAN  # SDSN, in the KPI's unit; NaN = percentile


def isnan(x: float) -> bool:
    return x != x


def _at_least(value: float, goal: float) -> float:
    if value >= goal:
        return 100.0
    if goal <= 0:
        return 0.0
    return min(100.0, max(0.0, 100.0 * value / goal))


def _at_most(value: float, goal: float) -> float:
    if value <= goal:
        return 100.0
    if goal <= 0:
        return 0.0
    return min(100.0, max(0.0, 100.0 * goal / value))


def has_target(m: Measurand) -> bool:
    if m.direction == "range":
        return not (isnan(m.low) or isnan(m.high))
    return not isnan(m.target)


def achievement(value: float, m: Measurand) -> float:
    if isnan(value) or not has_target(m):
        return NAN
    if m.direction == "higher":
        return _at_least(value, m.target)
    if m.direction == "lower":
        return _at_most(value, m.target)
    if value < m.low:
        return _at_least(value, m.low)
    if value > m.high:
        return _at_most(value, m.high)
    return 100.0


def shortfall(value: float, m: Measurand) -> float:
    if isnan(value) or not has_target(m):
        return NAN
    if m.direction == "higher":
        return max(m.target - value, 0.0)
    if m.direction == "lower":
        return max(value - m.target, 0.0)
    return max(m.low - value, 0.0) + max(value - m.high, 0.0)


def band(percent: float, edges: tuple[float, float, float]) -> int:
    if isnan(percent):
        return 0
    if percent >= edges[2] - TOLERANCE:
        return 4
    if percent >= edges[1] - TOLERANCE:
        return 3
    if percent >= edges[0] - TOLERANCE:
        return 2
    return 1


def percentile_bound(gaps: list[float], percentile: float) -> float:
    """The (100 - percentile)-th percentile, linear between order statistics."""
    observed = sorted(g for g in gaps if not isnan(g))
    if not observed:
        return NAN
    n = len(observed)
    h = (n - 1) * ((100.0 - percentile) / 100.0)
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return observed[lo] + (h - lo) * (observed[hi] - observed[lo])


def normalise(gap: float, bound: float) -> float:
    if isnan(gap) or isnan(bound):
        return NAN
    if bound > 0:
        return min(100.0, max(0.0, 100.0 * (bound - gap) / bound))
    return 100.0 if gap <= 0 else 0.0


def mean(xs: list[float]) -> float:
    present = [x for x in xs if not isnan(x)]
    return sum(present) / len(present) if present else NAN


def trend_one(
    series: list[float], years: list[int], y: int, m: Measurand, trend_method: Any
) -> tuple[int, float, float, float, int]:
    """(arrow, ratio, baseline year, projected year, projection) as of year index ``y``."""
    none = (0, NAN, NAN, NAN, 0)
    v1 = series[y]
    if isnan(v1) or not has_target(m):
        return none
    base = None
    for i in range(y):
        year_ok = trend_method.baseline_year is None or years[i] >= trend_method.baseline_year
        if not isnan(series[i]) and year_ok:
            base = i
            break
    if base is None:  # no reported year before y: no baseline
        return none
    t0, t1 = float(years[base]), float(years[y])
    target_year = float(trend_method.target_year)
    if t0 >= target_year:
        return none
    v0 = series[base]
    gap0, gap1 = shortfall(v0, m), shortfall(v1, m)
    if gap1 <= 0:
        return (4, NAN, t0, t1, 1)
    if gap0 <= 0:
        return (1, NAN, t0, NAN, 3)
    on_track, moderate = trend_method.ratio_cutoffs
    if trend_method.kind == "sdsn_linear":
        rate = (gap0 - gap1) / (t1 - t0)
        ratio = rate / (gap0 / (target_year - t0))
        projected = t1 + gap1 / rate if ratio > 0 else NAN
    else:
        # the edge of the target nearest the baseline
        goal = (m.low if v0 < m.low else m.high) if m.direction == "range" else m.target
        if v0 <= 0 or v1 <= 0 or goal < 0:
            return (0, NAN, t0, NAN, 3)
        growth = (v1 / v0) ** (1.0 / (t1 - t0)) - 1.0
        required = (goal / v0) ** (1.0 / (target_year - t0)) - 1.0
        if required == 0:  # goal within rounding of the baseline: IEEE division by zero
            ratio = math.inf if growth > 0 else -math.inf if growth < 0 else NAN
        else:
            ratio = growth / required
        projected = NAN
        if ratio > 0 and goal > 0:
            shrink = math.log1p(growth) if growth > -1 else -math.inf
            projected = t1 + math.log(goal / v1) / shrink
    if ratio < 0:
        arrow = 1
    elif ratio >= on_track:
        arrow = 4
    elif ratio >= moderate:
        arrow = 3
    else:
        arrow = 2
    status = 2 if not isnan(projected) and math.isfinite(projected) else 3
    if status == 2 and projected > trend_method.horizon:
        return (arrow, ratio, t0, NAN, 4)  # reached only after the horizon
    return (arrow, ratio, t0, projected if status == 2 else NAN, status)


def _two_worst(colours: list[int]) -> int:
    present = sorted(c for c in colours if c > 0)
    if not present:
        return 0
    worst = present[0]
    second = present[1] if len(present) > 1 else worst
    if worst == second:
        return worst
    return 2 if worst == 1 else 3


def score(
    values: list[list[list[float]]],
    measurands: list[Measurand],
    hierarchy: dict[str, list[int]],
    years: list[int],
    method: Any,
) -> dict[str, Any]:
    """Score like :func:`u4ssc.core.scoring.score`, one value at a time.

    ``hierarchy``: ``category_of_kpi``, ``subdimension_of_category``,
    ``dimension_of_subdimension`` (lists of parent indices).
    """
    sdsn = method.name == "sdsn"
    n_c, n_m, n_y = len(values), len(measurands), len(years)
    cat_of_kpi = hierarchy["category_of_kpi"]
    sub_of_cat = hierarchy["subdimension_of_category"]
    dim_of_sub = hierarchy["dimension_of_subdimension"]
    n_k = len(cat_of_kpi)
    parent = {
        "category": list(cat_of_kpi),
        "subdimension": [sub_of_cat[g] for g in cat_of_kpi],
        "dimension": [dim_of_sub[sub_of_cat[g]] for g in cat_of_kpi],
    }
    n_groups = {
        "category": len(sub_of_cat),
        "subdimension": len(dim_of_sub),
        "dimension": max(dim_of_sub) + 1 if dim_of_sub else 0,
    }
    edges = method.thresholds if sdsn else method.band_edges

    bounds = [NAN] * n_m
    if sdsn:
        for mi, m in enumerate(measurands):
            if not isnan(m.lower_bound):
                bounds[mi] = shortfall(m.lower_bound, m)
            else:
                gaps = [shortfall(values[c][mi][y], m) for c in range(n_c) for y in range(n_y)]
                bounds[mi] = percentile_bound(gaps, method.percentile)

    def grid(k: int, fill: Any) -> list[list[list[Any]]]:
        return [[[fill] * n_y for _ in range(k)] for _ in range(n_c)]

    out: dict[str, Any] = {
        "score": grid(n_m, NAN),
        "points": grid(n_m, NAN),
        "band": grid(n_m, 0),
        "arrow": grid(n_m, 0),
        "ratio": grid(n_m, NAN),
        "baseline_year": grid(n_m, 0),
        "projected_year": grid(n_m, NAN),
        "projection": grid(n_m, 0),
        "kpi_score": grid(n_k, NAN),
        "kpi_points": grid(n_k, NAN),
        "kpi_band": grid(n_k, 0),
        "kpi_trend_score": grid(n_k, NAN),
        "kpi_trend": grid(n_k, 0),
        "lower_bound": bounds,
    }
    for level, n in n_groups.items():
        for key in ("score", "band", "n_scored", "trend_score", "trend"):
            fill = NAN if key in ("score", "trend_score") else 0
            out[f"{level}_{key}"] = grid(n, fill)

    kpi_with_target = [False] * n_k
    for m in measurands:
        if has_target(m):
            kpi_with_target[m.kpi] = True

    for c in range(n_c):
        for y in range(n_y):
            for mi, m in enumerate(measurands):
                v = values[c][mi][y]
                if sdsn:
                    s = normalise(shortfall(v, m), bounds[mi])
                    out["score"][c][mi][y] = s
                    out["band"][c][mi][y] = band(s, edges)
                else:
                    a = achievement(v, m)
                    out["score"][c][mi][y] = a
                    b = band(a, edges)
                    out["band"][c][mi][y] = b
                    out["points"][c][mi][y] = float(b) if b else NAN
                series = [values[c][mi][i] for i in range(n_y)]
                arrow, ratio, t0, projected, status = trend_one(series, years, y, m, method.trend)
                out["arrow"][c][mi][y] = arrow
                out["ratio"][c][mi][y] = ratio
                out["baseline_year"][c][mi][y] = int(t0) if status else 0
                out["projected_year"][c][mi][y] = projected
                out["projection"][c][mi][y] = status

            for k in range(n_k):
                mine = [mi for mi, m in enumerate(measurands) if m.kpi == k]
                scores = [out["score"][c][mi][y] for mi in mine]
                out["kpi_score"][c][k][y] = mean(scores)
                arrows = [float(out["arrow"][c][mi][y]) for mi in mine if out["arrow"][c][mi][y]]
                ts = mean(arrows)
                out["kpi_trend_score"][c][k][y] = ts
                out["kpi_trend"][c][k][y] = 0 if isnan(ts) else math.floor(ts + 0.5)
                if sdsn:
                    out["kpi_band"][c][k][y] = band(out["kpi_score"][c][k][y], edges)
                else:
                    pts = [out["points"][c][mi][y] for mi in mine]
                    pts = [p for p in pts if not isnan(p)]
                    if pts:
                        out["kpi_points"][c][k][y] = sum(pts) / len(pts)
                        pct = 100.0 * sum(pts) / (4.0 * len(pts))
                        # one value: the band of its achievement; data points: the band
                        # of their mean points as a share of 4, as a group's
                        single = len(mine) == 1
                        kpi_band = out["band"][c][mine[0]][y] if single else band(pct, edges)
                        out["kpi_band"][c][k][y] = kpi_band

            child_scores: list[float] | None = None
            for level in ("category", "subdimension", "dimension"):
                level_scores = []
                for g in range(n_groups[level]):
                    kpis = [k for k in range(n_k) if parent[level][k] == g]
                    with_target = sum(1 for k in kpis if kpi_with_target[k])
                    scored = [k for k in kpis if not isnan(out["kpi_score"][c][k][y])]
                    n_scored = len(scored)
                    covered = n_scored > 0 and n_scored >= method.min_coverage * with_target
                    s = NAN
                    colour = 0
                    if covered and sdsn:
                        if level == "category":
                            s = mean([out["kpi_score"][c][k][y] for k in scored])
                        else:
                            assert child_scores is not None
                            children = (
                                [i for i, p in enumerate(sub_of_cat) if p == g]
                                if level == "subdimension"
                                else [i for i, p in enumerate(dim_of_sub) if p == g]
                            )
                            s = mean([child_scores[i] for i in children])
                        colours = [out["kpi_band"][c][k][y] for k in kpis]
                        if method.goal_colour_rule == "mean":
                            colour = band(s, edges)
                        elif method.goal_colour_rule == "worst":
                            colour = min((x for x in colours if x > 0), default=0)
                        else:
                            colour = _two_worst(colours)
                    elif covered:
                        total = sum(out["kpi_points"][c][k][y] for k in scored)
                        s = 100.0 * total / (4.0 * n_scored)
                        colour = band(s, edges)
                    level_scores.append(s)
                    out[f"{level}_score"][c][g][y] = s
                    out[f"{level}_band"][c][g][y] = colour
                    out[f"{level}_n_scored"][c][g][y] = n_scored
                    trended = [
                        out["kpi_trend_score"][c][k][y]
                        for k in kpis
                        if not isnan(out["kpi_trend_score"][c][k][y])
                    ]
                    if covered and trended and len(trended) >= method.trend.min_coverage * n_scored:
                        ts = sum(trended) / len(trended)
                        out[f"{level}_trend_score"][c][g][y] = ts
                        out[f"{level}_trend"][c][g][y] = math.floor(ts + 0.5)
                child_scores = level_scores
    return out
