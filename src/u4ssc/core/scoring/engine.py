"""The vectorised scoring engine: arrays in, arrays out.

Shapes: ``C`` cities, ``M`` measurands (one per single-value KPI, one per data point of a
multi-point KPI), ``K`` KPIs, ``Y`` years. Values are ``float64[C, M, Y]`` in the KPI's own
unit with NaN for "not reported". Per-measurand inputs are ``[M]`` arrays. Every rule here
is written out, with its reasons, in ``docs/methods/scoring.md``; the pure-Python oracle in
``tests/core/scoring/oracle.py`` restates each rule one value at a time.

The target of a measurand is the interval ``[low_edge, high_edge]`` a value must lie in to
meet it: ``[target, +inf]`` (higher is better), ``[-inf, target]`` (lower is better) or
``[LOW, HIGH]`` (range). The *shortfall* is the distance of a value from that interval
(0 when the target is met); trends and the SDSN normalisation work on it, so all three
directions share one code path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from u4ssc.core.scoring.methods import Method, SDSNMethod, TrendMethod, U4SSCMethod

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SmallIntArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

HIGHER, LOWER, RANGE = 0, 1, 2

# Band edges are compared with this tolerance (in percentage points) so that a percentage
# that is mathematically on an edge but carries binary rounding error (3.8 points / 4
# = 94.99999999999999 %) lands in the upper band, as the lower-edge-inclusive rule says.
EDGE_TOLERANCE = 1e-9

# Trend arrows: 0 = no trend, then 1..4 (SDSN: decreasing, stagnating, moderately
# improving, on track or maintaining; Statistics Canada: deterioration, limited progress,
# acceleration needed, on track).
NO_TREND, DECREASING, STAGNATING, IMPROVING, ON_TRACK = 0, 1, 2, 3, 4

# Projection status per (city, measurand, year). BEYOND_HORIZON: moving towards the
# target, but reaching it only after the method's horizon at the observed pace.
NO_PROJECTION, REACHED, PROJECTED, NOT_AT_THIS_PACE, BEYOND_HORIZON = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Hierarchy:
    """The KPI tree as index arrays (a tree: every node has exactly one parent).

    Attributes:
        kpi_of_measurand: ``int[M]``, the KPI (0..K-1) each measurand belongs to.
        category_of_kpi: ``int[K]``, the category (0..G-1) of each KPI.
        subdimension_of_category: ``int[G]``, the sub-dimension (0..S-1) of each category.
        dimension_of_subdimension: ``int[S]``, the dimension (0..D-1) of each sub-dimension.
    """

    kpi_of_measurand: IntArray
    category_of_kpi: IntArray
    subdimension_of_category: IntArray
    dimension_of_subdimension: IntArray

    def __post_init__(self) -> None:
        for name in (
            "kpi_of_measurand",
            "category_of_kpi",
            "subdimension_of_category",
            "dimension_of_subdimension",
        ):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        pairs = (
            (self.kpi_of_measurand, len(self.category_of_kpi), "kpi_of_measurand"),
            (self.category_of_kpi, len(self.subdimension_of_category), "category_of_kpi"),
            (
                self.subdimension_of_category,
                len(self.dimension_of_subdimension),
                "subdimension_of_category",
            ),
        )
        for child, n_parents, name in pairs:
            if child.size and (child.min() < 0 or child.max() >= n_parents):
                raise ValueError(f"{name} refers to a parent outside 0..{n_parents - 1}")

    @property
    def n_measurands(self) -> int:
        return len(self.kpi_of_measurand)

    @property
    def n_kpis(self) -> int:
        return len(self.category_of_kpi)

    def n_groups(self, level: str) -> int:
        """Number of categories, sub-dimensions or dimensions."""
        if level == "category":
            return len(self.subdimension_of_category)
        if level == "subdimension":
            return len(self.dimension_of_subdimension)
        if level == "dimension":
            dims = self.dimension_of_subdimension
            return int(dims.max()) + 1 if dims.size else 0
        raise ValueError(f"unknown level {level!r}")


LEVELS = ("category", "subdimension", "dimension")


@dataclass(frozen=True)
class Targets:
    """One target per measurand; NaN where a measurand has none (it is then not scored).

    Attributes:
        direction: ``int[M]``: HIGHER, LOWER or RANGE.
        target: ``float[M]``, the target of HIGHER and LOWER measurands.
        low, high: ``float[M]``, the range of RANGE measurands (inclusive).
        lower_bound: ``float[M]``, a configured SDSN lower bound (score 0) in the KPI's unit;
            NaN = the method's percentile of the compared values.
    """

    direction: SmallIntArray
    target: FloatArray
    low: FloatArray = field(default_factory=lambda: np.empty(0))
    high: FloatArray = field(default_factory=lambda: np.empty(0))
    lower_bound: FloatArray = field(default_factory=lambda: np.empty(0))

    def __post_init__(self) -> None:
        direction = np.asarray(self.direction, dtype=np.int8)
        n = len(direction)
        if np.any((direction < HIGHER) | (direction > RANGE)):
            raise ValueError("direction must be HIGHER (0), LOWER (1) or RANGE (2)")
        object.__setattr__(self, "direction", direction)
        for name in ("target", "low", "high", "lower_bound"):
            arr = np.asarray(getattr(self, name), dtype=np.float64)
            if arr.size == 0 and name != "target":
                arr = np.full(n, np.nan)
            if arr.shape != (n,):
                raise ValueError(f"{name} must have one entry per measurand ({n})")
            object.__setattr__(self, name, arr)
        is_range = direction == RANGE
        if np.any(is_range & (self.low > self.high)):
            raise ValueError("a range target needs LOW <= HIGH")

    @property
    def low_edge(self) -> FloatArray:
        """``float[M]``: the lowest value that meets the target (-inf if none)."""
        return np.where(
            self.direction == HIGHER,
            self.target,
            np.where(self.direction == RANGE, self.low, -np.inf),
        )

    @property
    def high_edge(self) -> FloatArray:
        """``float[M]``: the highest value that meets the target (+inf if none)."""
        return np.where(
            self.direction == LOWER,
            self.target,
            np.where(self.direction == RANGE, self.high, np.inf),
        )

    @property
    def has_target(self) -> BoolArray:
        """``bool[M]``: the measurand has a usable target."""
        return ~(np.isnan(self.low_edge) | np.isnan(self.high_edge))


@dataclass(frozen=True)
class LevelScores:
    """Scores of one aggregate level, each ``[C, groups, Y]``.

    ``score``: U4SSC percentage of the maximum points, or SDSN mean normalised score; NaN
    where the group has no scored KPI or too few (coverage). ``band``: 1..4 (U4SSC band or
    SDSN colour red..green), 0 = none. ``n_scored``: KPIs scored. ``trend_score``: mean
    of the KPIs' trend scores (0..4 scale), NaN below the trend coverage; ``trend``: that
    mean as an arrow 1..4 (half up), 0 = none.
    """

    score: FloatArray
    band: SmallIntArray
    n_scored: IntArray
    trend_score: FloatArray
    trend: SmallIntArray


@dataclass(frozen=True)
class TrendResult:
    """Trend of each measurand, each ``[C, M, Y]`` (the trend as of that year).

    ``arrow``: 0 none, 1..4. ``ratio``: observed / required progress (NaN when the target
    is met, or no trend). ``baseline_year``: the year the trend starts from (0 = none).
    ``projected_year``: fractional year the target is reached at the observed pace
    (the latest year when already reached; NaN otherwise, and beyond the method's
    horizon). ``projection``: NO_PROJECTION, REACHED, PROJECTED, NOT_AT_THIS_PACE or
    BEYOND_HORIZON.
    """

    arrow: SmallIntArray
    ratio: FloatArray
    baseline_year: npt.NDArray[np.int16]
    projected_year: FloatArray
    projection: SmallIntArray


@dataclass(frozen=True)
class ScoreResult:
    """Everything :func:`score` computes.

    Measurand level ``[C, M, Y]``: ``score`` (U4SSC achievement % or SDSN normalised
    0-100), ``points`` (U4SSC 1-4; NaN for SDSN), ``band`` (1..4, 0 = not scored).
    KPI level ``[C, K, Y]``: ``kpi_score`` (mean of the KPI's measurand scores),
    ``kpi_points`` (U4SSC: mean of its data points' points), ``kpi_band``,
    ``kpi_trend_score`` (mean of its data points' arrows), ``kpi_trend``.
    ``levels``: category, subdimension and dimension :class:`LevelScores`.
    ``lower_bound``: the SDSN lower bound as a shortfall per measurand (NaN for U4SSC).
    """

    method: Method
    score: FloatArray
    band: SmallIntArray
    kpi_score: FloatArray
    kpi_points: FloatArray
    kpi_band: SmallIntArray
    kpi_trend_score: FloatArray
    kpi_trend: SmallIntArray
    levels: dict[str, LevelScores]
    trend: TrendResult
    lower_bound: FloatArray

    @property
    def points(self) -> FloatArray:
        """``float[C, M, Y]``: U4SSC points 1-4 of each measurand (its band); NaN if unscored
        and for SDSN, which has no points."""
        if self.method.name == "sdsn":
            return np.full(self.band.shape, np.nan)
        return np.where(self.band > 0, self.band, np.nan)


# --- measurand level -----------------------------------------------------------------


def shortfall(values: FloatArray, low_edge: FloatArray, high_edge: FloatArray) -> FloatArray:
    """Distance of each value from the interval that meets its target (0 = met; NaN kept).

    ``low_edge``/``high_edge`` broadcast against ``values``.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        below = np.maximum(low_edge - values, 0.0)
        above = np.maximum(values - high_edge, 0.0)
    return np.asarray(below + above, dtype=np.float64)


def achievement(values: FloatArray, low_edge: FloatArray, high_edge: FloatArray) -> FloatArray:
    """U4SSC achievement of the target in percent, 0-100 (NaN if value or target missing).

    Below the low edge ``a``: ``100 * value / a`` (0 when ``a <= 0``: the ratio says
    nothing there); above the high edge ``b``: ``100 * b / value`` (0 when ``b <= 0``);
    inside: 100. Higher-is-better is ``[target, inf]``, lower-is-better ``[-inf, target]``.
    Results are clipped to [0, 100]. ``low_edge``/``high_edge`` broadcast against ``values``.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        up = np.where(low_edge > 0, np.clip(100.0 * values / low_edge, 0.0, 100.0), 0.0)
        down = np.where(high_edge > 0, np.clip(100.0 * high_edge / values, 0.0, 100.0), 0.0)
        result = np.where(values < low_edge, up, np.where(values > high_edge, down, 100.0))
        missing = np.isnan(values) | np.isnan(low_edge) | np.isnan(high_edge)
    return np.where(missing, np.nan, result)


def classify(percent: FloatArray, edges: npt.ArrayLike) -> SmallIntArray:
    """Band 1..4 of a percentage by three lower-edge-inclusive edges; 0 for NaN.

    ``[0, e1) -> 1, [e1, e2) -> 2, [e2, e3) -> 3, [e3, 100] -> 4`` (within
    :data:`EDGE_TOLERANCE`). ``edges`` is ``[3]`` or broadcasts as ``[..., 3]``.
    """
    edges = np.asarray(edges, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        band = np.ones(np.shape(percent), dtype=np.int8)
        for i in range(3):
            band += percent >= edges[..., i] - EDGE_TOLERANCE
    band[np.isnan(percent)] = 0
    return band


def lower_bounds(
    gap: FloatArray, percentile: float, configured: FloatArray | None = None
) -> FloatArray:
    """SDSN lower bound per measurand, as a shortfall: ``float[M]``.

    The ``(100 - percentile)``-th percentile (linear between order statistics, as numpy's
    default) of all observed shortfalls of the measurand, pooled over cities and years, so
    a city's score does not move when only other cities' data for another year change.
    ``configured`` (``float[M]`` shortfalls, NaN = use the percentile) wins where given.
    ``gap`` is ``float[C, M, Y]`` (see :func:`pooled_lower_bounds` to start from values).
    """
    n_measurands = gap.shape[1]
    out = np.array([_percentile_shortfall(gap[:, m, :], percentile) for m in range(n_measurands)])
    if configured is not None:
        out = np.where(np.isnan(configured), out, configured)
    return out.astype(np.float64).reshape(n_measurands)


def pooled_lower_bounds(
    values: FloatArray,
    low_edge: FloatArray,
    high_edge: FloatArray,
    percentile: float,
    configured: FloatArray | None = None,
) -> FloatArray:
    """:func:`lower_bounds` of the shortfalls of ``values`` (``float[C, M, Y]``), computed
    one measurand at a time: the same numbers without a second ``[C, M, Y]`` array of
    shortfalls (and its transposed copy), which costs more memory traffic than the
    percentiles themselves."""
    n_measurands = values.shape[1]
    out = np.full(n_measurands, np.nan)
    for m in range(n_measurands):
        column = values[:, m, :]
        gap = shortfall(column, low_edge[m], high_edge[m])
        out[m] = _percentile_shortfall(gap, percentile)
    if configured is not None:
        out = np.where(np.isnan(configured), out, configured)
    return out


def _percentile_shortfall(gap: FloatArray, percentile: float) -> float:
    """The ``(100 - percentile)``-th percentile of the reported shortfalls (NaN if none)."""
    observed = gap[~np.isnan(gap)]
    n = observed.size
    if n == 0:
        return float("nan")
    h = (n - 1) * (100.0 - percentile) / 100.0
    lo = int(np.floor(h))
    hi = min(lo + 1, n - 1)
    part = np.partition(observed, (lo, hi))
    return float(part[lo] + (h - lo) * (part[hi] - part[lo]))


def sdsn_normalise(gap: FloatArray, bound: FloatArray) -> FloatArray:
    """SDSN score 0-100 from the shortfall and the lower bound (both as shortfalls).

    ``100 * (bound - gap) / bound`` censored to [0, 100]: the target scores 100, the
    lower bound 0. When the bound is 0 (no compared value falls short), a value scores
    100 if it meets the target and 0 otherwise. ``bound`` broadcasts against ``gap``.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scaled = np.clip(100.0 * (bound - gap) / bound, 0.0, 100.0)
        result = np.where(bound > 0, scaled, np.where(gap <= 0, 100.0, 0.0))
    return np.where(np.isnan(gap) | np.isnan(bound), np.nan, result)


def traffic_lights(score: FloatArray, thresholds: npt.ArrayLike) -> SmallIntArray:
    """SDSN colour 1 red, 2 orange, 3 yellow, 4 green (0 grey = no data) of a 0-100 score.

    ``thresholds`` = where orange, yellow and green start (lower edge inclusive).
    """
    return classify(score, thresholds)


# --- trends --------------------------------------------------------------------------


def trend(
    values: FloatArray,
    low_edge: FloatArray,
    high_edge: FloatArray,
    years: npt.ArrayLike,
    method: TrendMethod,
    *,
    gap: FloatArray | None = None,
) -> TrendResult:
    """Trend arrow, progress ratio and projected year for every (city, measurand, year).

    The trend as of year ``t1`` compares the value of ``t1`` with the baseline: the first
    reported year before ``t1`` (and not before ``method.baseline_year``). The target is
    met when the shortfall is 0: arrow ON_TRACK, projection REACHED. Otherwise:

    - ``sdsn_linear``: observed rate ``(gap0 - gap1) / (t1 - t0)`` against the required
      rate ``gap0 / (target_year - t0)`` (shortfalls, so every direction reads alike).
    - ``cagr``: observed compound growth ``(v1 / v0) ** (1 / (t1 - t0)) - 1`` against the
      required ``(goal / v0) ** (1 / (target_year - t0)) - 1``, the goal being the edge of
      the target nearest the baseline. Needs positive values (else no trend).

    A baseline that met the target while ``t1`` does not is a decrease. No trend when the
    baseline year is not before ``target_year``. ``years``: ``int[Y]``, increasing.
    ``low_edge``/``high_edge``: ``[M]``. ``gap``: the shortfall of ``values`` when the
    caller has it already (``float[C, M, Y]``), so that it is not computed twice.
    """
    years_f = np.asarray(years, dtype=np.float64)
    n_years = values.shape[2]
    if values.size == 0:  # no city, measurand or year: nothing to compare
        return TrendResult(
            arrow=np.zeros(values.shape, dtype=np.int8),
            ratio=np.full(values.shape, np.nan),
            baseline_year=np.zeros(values.shape, dtype=np.int16),
            projected_year=np.full(values.shape, np.nan),
            projection=np.zeros(values.shape, dtype=np.int8),
        )
    low = low_edge[None, :, None]
    high = high_edge[None, :, None]
    observed = ~np.isnan(values)
    eligible = observed
    if method.baseline_year is not None:
        eligible = observed & (years_f >= method.baseline_year)[None, None, :]
    first = np.argmax(eligible, axis=2)  # [C, M]: index of the baseline year
    v0 = np.take_along_axis(values, first[..., None], axis=2)  # [C, M, 1]
    t0 = years_f[first][..., None]
    target_year = float(method.target_year)
    usable = (
        eligible.any(axis=2)
        & (t0[..., 0] < target_year)
        & ~(np.isnan(low_edge) | np.isnan(high_edge))[None, :]
    )
    first = np.where(usable, first, n_years)  # no usable baseline: never before t1
    valid = observed & (first[..., None] < np.arange(n_years))
    t1 = years_f[None, None, :]
    gap1 = gap if gap is not None else shortfall(values, low, high)
    gap0 = shortfall(v0, low, high)
    met = valid & (gap1 <= 0)
    open_gap = valid & ~met
    fell = open_gap & (gap0 <= 0)
    computable = open_gap & (gap0 > 0)
    on_track, moderate = method.ratio_cutoffs
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method.kind == "sdsn_linear":
            observed_rate = (gap0 - gap1) / (t1 - t0)
            ratio = observed_rate / (gap0 / (target_year - t0))
            projected = t1 + gap1 / observed_rate
        else:
            goal = np.where(v0 < low, low, high)
            computable &= (v0 > 0) & (values > 0) & (goal >= 0)
            growth = (values / v0) ** (1.0 / (t1 - t0)) - 1.0
            ratio = growth / ((goal / v0) ** (1.0 / (target_year - t0)) - 1.0)
            projected = t1 + np.log(goal / values) / np.log1p(growth)
        code = (ratio >= moderate).astype(np.int8)
        code += ratio >= on_track
        code += STAGNATING
        code = np.where(ratio < 0, DECREASING, code)
        arrow = np.where(computable, code, NO_TREND)
        arrow = np.where(fell, DECREASING, arrow)
        arrow = np.where(met, ON_TRACK, arrow)
        # compound decline never reaches a target of 0: infinite years, not at this pace
        moving = computable & (ratio > 0) & np.isfinite(projected)
        projection = np.where(valid, NOT_AT_THIS_PACE, NO_PROJECTION).astype(np.int8)
        beyond = moving & (projected > method.horizon)
        moving &= ~beyond
        projection = np.where(moving, PROJECTED, projection)
        projection = np.where(beyond, BEYOND_HORIZON, projection)
        projection = np.where(met, REACHED, projection)
        projected_year = np.where(moving, projected, np.where(met, t1, np.nan))
    return TrendResult(
        arrow=arrow.astype(np.int8),
        ratio=np.where(computable, ratio, np.nan),
        baseline_year=np.where(valid, t0, 0).astype(np.int16),
        projected_year=projected_year,
        projection=projection.astype(np.int8),
    )


# --- aggregation ---------------------------------------------------------------------


def group_sum(x: npt.ArrayLike, groups: IntArray, n_groups: int) -> FloatArray:
    """Sum ``x[C, N, Y]`` over axis 1 by ``groups`` (``int[N]``) -> ``[C, n_groups, Y]``.

    Entries are added in their order along axis 1, as a plain loop would. With one entry
    per group in group order, ``x`` itself is returned (as float64).
    """
    x = np.asarray(x, dtype=np.float64)
    order = np.argsort(groups, kind="stable")
    if not np.array_equal(order, np.arange(len(groups))):
        x = x[:, order, :]
    present, starts = np.unique(groups[order], return_index=True)
    if len(present) == n_groups == x.shape[1]:  # one entry per group, already in order
        return x
    sums = np.add.reduceat(x, starts, axis=1) if len(present) else x[:, :0, :]
    if len(present) == n_groups:
        return sums
    out = np.zeros((x.shape[0], n_groups, x.shape[2]), dtype=np.float64)
    out[:, present, :] = sums
    return out


def _ratio(total: FloatArray, count: FloatArray) -> FloatArray:
    """``total / count``, NaN where ``count`` is 0 (``total`` is then 0 too)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(total / count, dtype=np.float64)


def _zero_nan(x: FloatArray) -> FloatArray:
    return np.where(np.isnan(x), 0.0, x)


@dataclass
class _Sums:
    """Additive totals of a level's KPIs, ``[C, groups, Y]`` each (rolled up by summing)."""

    n_scored: FloatArray
    points: FloatArray  # U4SSC: sum of KPI points
    n_trended: FloatArray
    trend: FloatArray  # sum of KPI trend scores
    # SDSN: the number of KPIs of each colour 1..4, packed into one number per cell
    # (COLOUR_BASE ** (colour - 1) per KPI) so that each level adds one array, not four
    colours: FloatArray | None

    def roll_up(self, groups: IntArray, n_groups: int) -> _Sums:
        def up(x: FloatArray) -> FloatArray:
            return group_sum(x, groups, n_groups)

        return _Sums(
            n_scored=up(self.n_scored),
            points=up(self.points),
            n_trended=up(self.n_trended),
            trend=up(self.trend),
            colours=up(self.colours) if self.colours is not None else None,
        )


# Packing four counts into one float64: each count takes COLOUR_BITS bits (a group has at
# most a few hundred KPIs, far below 2 ** 12) and the total stays below 2 ** 53, so the
# sums are exact integers.
COLOUR_BITS = 12


def _pack_colours(band: SmallIntArray) -> FloatArray:
    """One number per cell holding a KPI's colour (1..4) as 2 ** (COLOUR_BITS * (colour -
    1)); 0 for none. Sums of these count the KPIs of each colour."""
    weights = np.array([0.0] + [float(2 ** (COLOUR_BITS * i)) for i in range(4)])
    return weights[band]


def _unpack_colours(packed: FloatArray) -> list[FloatArray]:
    """The counts of colours 1..4 from sums of :func:`_pack_colours`."""
    bits = packed.astype(np.int64)
    mask = (1 << COLOUR_BITS) - 1
    return [(bits >> (COLOUR_BITS * i)) & mask for i in range(4)]  # type: ignore[misc]


def _goal_colour(colours: list[FloatArray], rule: str) -> SmallIntArray:
    """SDSN goal colour from the number of KPIs of each colour (1 red .. 4 green)."""
    shape = colours[0].shape
    worst = np.zeros(shape, dtype=np.int8)
    second = np.zeros(shape, dtype=np.int8)
    for c in range(4, 0, -1):  # from green down, so the lowest present colour wins
        n = colours[c - 1]
        second = np.where(n >= 2, c, np.where(n >= 1, worst, second)).astype(np.int8)
        worst = np.where(n >= 1, c, worst).astype(np.int8)
    if rule == "worst":
        return worst
    second = np.where(second == 0, worst, second)
    # both worst alike: that colour; one of them red: orange; otherwise yellow
    mixed = np.where(worst == 1, 2, 3).astype(np.int8)
    return np.where(worst == second, worst, mixed).astype(np.int8)


def _trend_arrow(trend_score: FloatArray) -> SmallIntArray:
    """Mean arrow (0..4 scale) to an arrow, halves rounded up; 0 where NaN."""
    return np.where(np.isnan(trend_score), 0, np.floor(_zero_nan(trend_score) + 0.5)).astype(
        np.int8
    )


# Cities are scored in blocks of this many so that the temporaries of each step stay in
# the CPU cache: the engine is memory-bound and this roughly halves its time.
CITY_BLOCK = 128


def score(
    values: npt.ArrayLike,
    targets: Targets,
    hierarchy: Hierarchy,
    years: npt.ArrayLike,
    method: Method | None = None,
    *,
    city_block: int = CITY_BLOCK,
) -> ScoreResult:
    """Score cities x measurands x years against targets with ``method``.

    Args:
        values: ``float[C, M, Y]``, NaN = not reported.
        targets: one target per measurand.
        hierarchy: measurand -> KPI -> category -> sub-dimension -> dimension.
        years: ``int[Y]``, increasing: the year of each slice of ``values``.
        method: :class:`U4SSCMethod` (default) or :class:`SDSNMethod`.
        city_block: cities scored at a time (the result does not depend on it).
    """
    method = method if method is not None else U4SSCMethod()
    values = np.asarray(values, dtype=np.float64)
    n_cities, n_measurands, n_years = values.shape
    if n_measurands != hierarchy.n_measurands or n_measurands != len(targets.direction):
        raise ValueError("values, targets and hierarchy disagree on the number of measurands")
    years_arr = np.asarray(years)
    if years_arr.shape != (n_years,) or np.any(np.diff(years_arr) <= 0):
        raise ValueError("years must be increasing, one per slice of values")
    bound = np.full(n_measurands, np.nan)
    if isinstance(method, SDSNMethod):  # the one step that compares cities with each other
        low, high = targets.low_edge, targets.high_edge
        configured = shortfall(targets.lower_bound, low, high)
        bound = pooled_lower_bounds(values, low, high, method.percentile, configured)
    if n_cities <= city_block:
        return _score_block(values, targets, hierarchy, years_arr, method, bound)
    first = _score_block(values[:city_block], targets, hierarchy, years_arr, method, bound)
    result = _map_arrays(first, lambda a: np.empty((n_cities, *a.shape[1:]), dtype=a.dtype))
    for start in range(0, n_cities, city_block):
        stop = min(start + city_block, n_cities)
        block = (
            first
            if start == 0
            else _score_block(values[start:stop], targets, hierarchy, years_arr, method, bound)
        )
        _copy_into(result, block, slice(start, stop))
    return result


def _per_city_fields(result: ScoreResult) -> list[tuple[object, str]]:
    """(owner, attribute) of every per-city array of a result."""
    owners: list[object] = [result, result.trend, *result.levels.values()]
    fields = []
    for owner in owners:
        for name, value in vars(owner).items():
            if isinstance(value, np.ndarray) and name != "lower_bound":
                fields.append((owner, name))
    return fields


def _map_arrays(result: ScoreResult, make: Callable[[np.ndarray], np.ndarray]) -> ScoreResult:
    """A result of the same shape with ``make(array)`` for every per-city array."""
    trend_ = TrendResult(**{k: make(v) for k, v in vars(result.trend).items()})
    levels = {
        level: LevelScores(**{k: make(v) for k, v in vars(scores).items()})
        for level, scores in result.levels.items()
    }
    arrays = {
        k: make(v)
        for k, v in vars(result).items()
        if isinstance(v, np.ndarray) and k != "lower_bound"
    }
    return ScoreResult(
        method=result.method,
        levels=levels,
        trend=trend_,
        lower_bound=result.lower_bound,
        **arrays,
    )


def _copy_into(result: ScoreResult, block: ScoreResult, rows: slice) -> None:
    for (owner, name), (block_owner, _) in zip(
        _per_city_fields(result), _per_city_fields(block), strict=True
    ):
        getattr(owner, name)[rows] = getattr(block_owner, name)


def _score_block(
    values: FloatArray,
    targets: Targets,
    hierarchy: Hierarchy,
    years_arr: npt.NDArray[np.int64],
    method: Method,
    bound: FloatArray,
) -> ScoreResult:
    """:func:`score` for one block of cities, the SDSN lower bounds given."""
    sdsn = isinstance(method, SDSNMethod)
    low, high = targets.low_edge, targets.high_edge
    kpi_of = hierarchy.kpi_of_measurand
    n_kpis = hierarchy.n_kpis
    kpi_has_target = np.bincount(kpi_of[targets.has_target], minlength=n_kpis) > 0

    # measurands
    gap: FloatArray | None = None
    if isinstance(method, SDSNMethod):
        gap = shortfall(values, low[None, :, None], high[None, :, None])
        measurand_score = sdsn_normalise(gap, bound[None, :, None])
        edges = method.thresholds
        band = traffic_lights(measurand_score, edges)
    else:
        measurand_score = achievement(values, low[None, :, None], high[None, :, None])
        edges = method.band_edges
        band = classify(measurand_score, edges)
    trends = trend(values, low, high, years_arr, method.trend, gap=gap)

    # KPIs: a multi-point KPI's points (and score) are the mean of its scored data points'
    # and it counts as one KPI in every aggregate; its band is that of points / 4 as a
    # percentage, as a group's is. A single-value KPI keeps the band of its achievement
    # (with configured edges, points / 4 is not on the achievement scale: decision 0301).
    single = np.bincount(kpi_of, minlength=n_kpis) == 1
    n_points = group_sum(band > 0, kpi_of, n_kpis)
    kpi_score = _ratio(group_sum(_zero_nan(measurand_score), kpi_of, n_kpis), n_points)
    if sdsn:
        kpi_points = np.full(kpi_score.shape, np.nan)
        kpi_band = classify(kpi_score, edges)
    else:
        point_sum = group_sum(band, kpi_of, n_kpis)  # band = points, 0 where not scored
        kpi_points = _ratio(point_sum, n_points)
        kpi_band = np.where(
            single[None, :, None],
            point_sum.astype(np.int8),  # one measurand: its band
            classify(_ratio(100.0 * point_sum, 4.0 * n_points), edges),
        ).astype(np.int8)
    kpi_trend_score = _ratio(
        group_sum(trends.arrow, kpi_of, n_kpis), group_sum(trends.arrow > 0, kpi_of, n_kpis)
    )
    kpi_trend = _trend_arrow(kpi_trend_score)

    # categories from KPIs; sub-dimensions and dimensions by rolling up those totals
    groups, n_groups = hierarchy.category_of_kpi, hierarchy.n_groups("category")
    kpi_sums = _Sums(
        n_scored=(~np.isnan(kpi_score)).astype(np.float64),
        points=_zero_nan(kpi_points),
        n_trended=(~np.isnan(kpi_trend_score)).astype(np.float64),
        trend=_zero_nan(kpi_trend_score),
        colours=_pack_colours(kpi_band) if sdsn else None,
    )
    sums = kpi_sums.roll_up(groups, n_groups)
    n_with_target = np.bincount(groups[kpi_has_target], minlength=n_groups).astype(np.float64)
    child_score: FloatArray = kpi_score
    child_groups = groups
    parents = {
        "subdimension": hierarchy.subdimension_of_category,
        "dimension": hierarchy.dimension_of_subdimension,
    }
    levels: dict[str, LevelScores] = {}
    for level in LEVELS:
        if level in parents:
            child_groups = parents[level]
            n_groups = hierarchy.n_groups(level)
            sums = sums.roll_up(child_groups, n_groups)
            n_with_target = np.bincount(
                child_groups, weights=n_with_target, minlength=n_groups
            ).astype(np.float64)
        n_scored = sums.n_scored
        with np.errstate(invalid="ignore"):
            covered = (n_scored > 0) & (n_scored >= method.min_coverage * n_with_target[:, None])
        if isinstance(method, SDSNMethod):
            # SDSN: a group's score is the mean of its children's (KPIs, then categories...)
            child_present = ~np.isnan(child_score)
            level_score = _ratio(
                group_sum(_zero_nan(child_score), child_groups, n_groups),
                group_sum(child_present, child_groups, n_groups),
            )
            level_score = np.where(covered, level_score, np.nan)
            if method.goal_colour_rule == "mean":
                level_band = classify(level_score, edges)
            else:
                assert sums.colours is not None
                level_band = _goal_colour(_unpack_colours(sums.colours), method.goal_colour_rule)
                level_band = np.where(covered, level_band, 0).astype(np.int8)
        else:
            # U4SSC: points of all the group's KPIs as a percentage of 4 per scored KPI
            level_score = np.where(covered, _ratio(100.0 * sums.points, 4.0 * n_scored), np.nan)
            level_band = classify(level_score, edges)
        trend_covered = (
            covered
            & (sums.n_trended > 0)
            & (sums.n_trended >= method.trend.min_coverage * n_scored)
        )
        trend_score = np.where(trend_covered, _ratio(sums.trend, sums.n_trended), np.nan)
        levels[level] = LevelScores(
            score=level_score,
            band=level_band,
            n_scored=n_scored.astype(np.int64),
            trend_score=trend_score,
            trend=_trend_arrow(trend_score),
        )
        child_score = level_score

    return ScoreResult(
        method=method,
        score=measurand_score,
        band=band,
        kpi_score=kpi_score,
        kpi_points=kpi_points,
        kpi_band=kpi_band,
        kpi_trend_score=kpi_trend_score,
        kpi_trend=kpi_trend,
        levels=levels,
        trend=trends,
        lower_bound=bound,
    )
