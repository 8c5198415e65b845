"""The vectorised engine agrees with the pure-Python oracle on random inputs.

Random inputs include missing values, zero and negative targets and values, measurands
without a target, ties (values drawn from a small set, so several cities share a value),
range targets, configured SDSN lower bounds, multi-point KPIs and gaps between years.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.scoring import oracle
from tests.core.scoring.cases import Case
from u4ssc.core.scoring import SDSNMethod, TrendMethod, U4SSCMethod

NAN = math.nan
TIES = [0.0, 1.0, 2.0, 33.0, 50.0, 66.0, 95.0, 100.0, -3.0]
number = st.one_of(
    st.sampled_from(TIES),
    st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False),
)
maybe_number = st.one_of(st.just(NAN), number)


@st.composite
def measurand(draw: st.DrawFn, kpi: int) -> oracle.Measurand:
    direction = draw(st.sampled_from(["higher", "lower", "range"]))
    lower_bound = draw(st.one_of(st.just(NAN), number))
    if direction == "range":
        a, b = draw(maybe_number), draw(maybe_number)
        if not (math.isnan(a) or math.isnan(b)) and a > b:
            a, b = b, a
        return oracle.Measurand(kpi, "range", low=a, high=b, lower_bound=lower_bound)
    return oracle.Measurand(kpi, direction, target=draw(maybe_number), lower_bound=lower_bound)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n_dims = draw(st.integers(1, 2))
    n_subs = draw(st.integers(n_dims, 3))
    extra = [draw(st.integers(0, n_dims - 1)) for _ in range(n_subs - n_dims)]
    dim_of_sub = list(range(n_dims)) + extra
    n_cats = draw(st.integers(1, 4))
    sub_of_cat = [draw(st.integers(0, n_subs - 1)) for _ in range(n_cats)]
    n_kpis = draw(st.integers(1, 5))
    cat_of_kpi = [draw(st.integers(0, n_cats - 1)) for _ in range(n_kpis)]
    measurands = []
    kpi_order = draw(st.permutations(range(n_kpis)))  # measurands need not be grouped by KPI
    for k in kpi_order:
        for _ in range(draw(st.integers(1, 3))):
            measurands.append(draw(measurand(k)))
    n_cities = draw(st.integers(1, 4))
    n_years = draw(st.integers(1, 4))
    start = draw(st.integers(2010, 2029))
    steps = [draw(st.integers(1, 3)) for _ in range(n_years - 1)]
    years = [start]
    for step in steps:
        years.append(years[-1] + step)
    values = np.array(
        [
            [[draw(maybe_number) for _ in range(n_years)] for _ in measurands]
            for _ in range(n_cities)
        ],
        dtype=float,
    ).reshape(n_cities, len(measurands), n_years)
    return Case(values, measurands, cat_of_kpi, sub_of_cat, dim_of_sub, years)


trend_methods = st.builds(
    TrendMethod,
    kind=st.sampled_from(["sdsn_linear", "cagr"]),
    target_year=st.integers(2012, 2040),
    baseline_year=st.one_of(st.none(), st.integers(2010, 2030)),
    min_coverage=st.sampled_from([0.0, 0.75, 1.0]),
)
# band edges: the default, the ties' values, or any three increasing percentages
band_edges = st.one_of(
    st.just((33.0, 66.0, 95.0)),
    st.lists(st.sampled_from(TIES[:-1]), min_size=3, max_size=3).map(lambda e: tuple(sorted(e))),
    st.lists(st.floats(0.0, 100.0, allow_subnormal=False), min_size=3, max_size=3).map(
        lambda e: tuple(sorted(e))
    ),
)
u4ssc_methods = st.builds(
    U4SSCMethod,
    band_edges=band_edges,
    min_coverage=st.sampled_from([0.0, 0.5, 1.0]),
    trend=trend_methods,
)
sdsn_methods = st.builds(
    SDSNMethod,
    thresholds=band_edges,
    percentile=st.sampled_from([0.0, 2.5, 10.0]),
    goal_colour_rule=st.sampled_from(["two_worst", "worst", "mean"]),
    min_coverage=st.sampled_from([0.0, 0.8, 1.0]),
    trend=trend_methods,
)

FIELDS = [
    "score",
    "points",
    "band",
    "arrow",
    "ratio",
    "baseline_year",
    "projected_year",
    "projection",
    "kpi_score",
    "kpi_points",
    "kpi_band",
    "kpi_trend_score",
    "kpi_trend",
    "lower_bound",
]


def engine_fields(result) -> dict[str, np.ndarray]:
    out = {
        "score": result.score,
        "points": result.points,
        "band": result.band,
        "arrow": result.trend.arrow,
        "ratio": result.trend.ratio,
        "baseline_year": result.trend.baseline_year,
        "projected_year": result.trend.projected_year,
        "projection": result.trend.projection,
        "kpi_score": result.kpi_score,
        "kpi_points": result.kpi_points,
        "kpi_band": result.kpi_band,
        "kpi_trend_score": result.kpi_trend_score,
        "kpi_trend": result.kpi_trend,
        "lower_bound": result.lower_bound,
    }
    for level, scores in result.levels.items():
        for key in ("score", "band", "n_scored", "trend_score", "trend"):
            out[f"{level}_{key}"] = getattr(scores, key)
    return out


def assert_agree(case: Case, method, city_block: int) -> None:
    engine = engine_fields(case.run_engine(method, city_block=city_block))
    expected = case.run_oracle(method)
    assert set(engine) == set(expected)
    for name, got in engine.items():
        want = np.array(expected[name], dtype=got.dtype).reshape(got.shape)
        if np.issubdtype(got.dtype, np.floating):
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=cases(), method=u4ssc_methods, city_block=st.integers(1, 3))
def test_u4ssc_engine_agrees_with_oracle(case, method, city_block):
    assert_agree(case, method, city_block)


@SETTINGS
@given(case=cases(), method=sdsn_methods, city_block=st.integers(1, 3))
def test_sdsn_engine_agrees_with_oracle(case, method, city_block):
    # blocks of 1-3 cities: scoring in blocks must not change the result
    assert_agree(case, method, city_block)


@SETTINGS
@given(case=cases(), method=u4ssc_methods)
def test_scores_stay_in_range_and_bands_match_points(case, method):
    result = case.run_engine(method)
    scored = ~np.isnan(result.score)
    assert np.all((result.score[scored] >= 0) & (result.score[scored] <= 100))
    np.testing.assert_array_equal(result.points[scored], result.band[scored])
    assert np.all(result.band[~scored] == 0)
    for level in result.levels.values():
        present = ~np.isnan(level.score)
        assert np.all((level.score[present] >= 25) & (level.score[present] <= 100))
        assert np.all((level.band[present] >= 1) & (level.band[present] <= 4))


@SETTINGS
@given(case=cases(), method=u4ssc_methods)
def test_a_single_value_kpi_has_the_band_of_its_achievement_whatever_the_edges(case, method):
    # given any band edges; when scored
    result = case.run_engine(method)
    # then a KPI reported as one value has the band (and points) its achievement has
    kpi_of = np.array([m.kpi for m in case.measurands])
    for k in range(len(case.category_of_kpi)):
        (mine,) = np.nonzero(kpi_of == k)
        if len(mine) != 1:
            continue
        m = mine[0]
        np.testing.assert_array_equal(result.kpi_band[:, k, :], result.band[:, m, :])
        np.testing.assert_array_equal(result.kpi_points[:, k, :], result.points[:, m, :])
