"""Scoring methods as plain, serialisable configuration.

A target set carries one method (``U4SSCMethod`` or ``SDSNMethod``); the Django layer
stores :func:`method_to_dict` and rebuilds it with :func:`method_from_dict`. The numbers
here are the defaults documented in ``docs/methods/scoring.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

TrendKind = Literal["sdsn_linear", "cagr"]
GoalColourRule = Literal["two_worst", "worst", "mean"]

# Ratio of observed to required progress at which a trend counts as on track and as
# moderately improving. SDSN: rho >= 1 on track, >= 0.5 moderately improving (SDR
# methodology). Statistics Canada / Open SDG: >= 95 % on track, >= 60 % "acceleration
# needed", >= 0 "limited progress", < 0 deterioration.
DEFAULT_TREND_CUTOFFS: dict[str, tuple[float, float]] = {
    "sdsn_linear": (1.0, 0.5),
    "cagr": (0.95, 0.6),
}


@dataclass(frozen=True)
class TrendMethod:
    """How trend arrows and the projected year of reaching the target are computed.

    Attributes:
        kind: ``"sdsn_linear"`` (SDSN: observed linear rate against the rate required to
            close the gap by ``target_year``) or ``"cagr"`` (Statistics Canada: observed
            against required compound annual growth).
        target_year: the year by which the target should be met (2030 for the SDGs).
        baseline_year: the earliest year a baseline may come from; ``None`` = the first
            year the city reported the KPI (SDSN uses 2015).
        cutoffs: (on track, moderately improving) ratio cut-offs; ``None`` = the defaults
            of ``kind``.
        min_coverage: share of a group's scored KPIs that must have a trend for the group
            (category, sub-dimension, dimension) to get one (SDSN: 75 %).
        horizon: the last year a projection names; a target reached later at the observed
            pace is "not before <horizon> at this pace" (a straight line drawn centuries
            ahead says nothing about a city).
    """

    kind: TrendKind = "sdsn_linear"
    target_year: int = 2030
    baseline_year: int | None = None
    cutoffs: tuple[float, float] | None = None
    min_coverage: float = 0.75
    horizon: int = 2050

    def __post_init__(self) -> None:
        if self.kind not in DEFAULT_TREND_CUTOFFS:
            raise ValueError(f"unknown trend method {self.kind!r}: use sdsn_linear or cagr")
        if self.cutoffs is not None:
            on_track, moderate = self.cutoffs
            if not moderate <= on_track:
                raise ValueError("trend cut-offs are (on track, moderate), moderate <= on track")
        _check_share("trend.min_coverage", self.min_coverage)
        if self.horizon < self.target_year:
            raise ValueError("trend.horizon must not come before trend.target_year")

    @property
    def ratio_cutoffs(self) -> tuple[float, float]:
        return self.cutoffs if self.cutoffs is not None else DEFAULT_TREND_CUTOFFS[self.kind]


@dataclass(frozen=True)
class U4SSCMethod:
    """U4SSC distance-to-target scoring.

    Attributes:
        band_edges: achievement percentages (lower edge inclusive) where points 2, 3 and 4
            start; also used for the percentage of an aggregate.
        min_coverage: share of a group's KPIs with a target that must be scored for the
            group to get a percentage. U4SSC leaves unreported KPIs out, so 0 by default
            (one scored KPI is enough).
        trend: trend arrows and projected year.
    """

    band_edges: tuple[float, float, float] = (33.0, 66.0, 95.0)
    min_coverage: float = 0.0
    trend: TrendMethod = field(default_factory=TrendMethod)

    name = "u4ssc"

    def __post_init__(self) -> None:
        _check_edges("band_edges", self.band_edges)
        _check_share("min_coverage", self.min_coverage)


@dataclass(frozen=True)
class SDSNMethod:
    """SDSN SDG Index style normalisation, traffic lights and trends.

    Attributes:
        percentile: the lower bound (score 0) is the shortfall from the target that only
            this percentage of the compared values exceed (SDSN: 2.5). A target can carry
            its own lower bound, which wins.
        thresholds: normalised scores (lower edge inclusive) where orange, yellow and green
            start; red below.
        goal_colour_rule: colour of a category, sub-dimension or dimension from its KPIs:
            ``"two_worst"`` (SDSN: both worst red -> red, both green -> green, one of them
            red -> orange, otherwise yellow), ``"worst"`` (the worst KPI's colour) or
            ``"mean"`` (the colour of the group's score).
        min_coverage: share of a group's KPIs with a target that must be scored (SDSN: 80 %).
        trend: trend arrows and projected year.
    """

    percentile: float = 2.5
    thresholds: tuple[float, float, float] = (33.0, 66.0, 95.0)
    goal_colour_rule: GoalColourRule = "two_worst"
    min_coverage: float = 0.8
    trend: TrendMethod = field(default_factory=TrendMethod)

    name = "sdsn"

    def __post_init__(self) -> None:
        if not 0.0 <= self.percentile < 50.0:
            raise ValueError("percentile must be in [0, 50)")
        _check_edges("thresholds", self.thresholds)
        if self.goal_colour_rule not in ("two_worst", "worst", "mean"):
            raise ValueError(f"unknown goal colour rule {self.goal_colour_rule!r}")
        _check_share("min_coverage", self.min_coverage)


Method = U4SSCMethod | SDSNMethod


def method_to_dict(method: Method) -> dict[str, Any]:
    """A JSON-ready dict of the method, with its name under ``"method"``."""
    return {"method": method.name, **asdict(method)}


def method_from_dict(data: dict[str, Any]) -> Method:
    """Rebuild a method from :func:`method_to_dict` output (missing keys take defaults)."""
    data = dict(data)
    name = data.pop("method", "u4ssc")
    trend_data = data.pop("trend", None) or {}
    if trend_data.get("cutoffs") is not None:
        trend_data["cutoffs"] = tuple(trend_data["cutoffs"])
    trend = TrendMethod(**trend_data)
    for key in ("band_edges", "thresholds"):
        if key in data:
            data[key] = tuple(data[key])
    if name == "u4ssc":
        return U4SSCMethod(trend=trend, **data)
    if name == "sdsn":
        return SDSNMethod(trend=trend, **data)
    raise ValueError(f"unknown scoring method {name!r}: use u4ssc or sdsn")


def _check_edges(label: str, edges: tuple[float, float, float]) -> None:
    if len(edges) != 3 or not 0.0 <= edges[0] <= edges[1] <= edges[2] <= 100.0:
        raise ValueError(f"{label} must be three increasing percentages in [0, 100]")


def _check_share(label: str, share: float) -> None:
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{label} must be a share in [0, 1]")
