"""The scoring rules on small, hand-checkable inputs (given / when / then)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.core.scoring import oracle
from tests.core.scoring.cases import Case, flat
from u4ssc.core.scoring import (
    BEYOND_HORIZON,
    DECREASING,
    IMPROVING,
    NOT_AT_THIS_PACE,
    ON_TRACK,
    PROJECTED,
    REACHED,
    STAGNATING,
    SDSNMethod,
    TrendMethod,
    U4SSCMethod,
    achievement,
    classify,
    method_from_dict,
    method_to_dict,
)

NAN = math.nan
# values that earn 1, 2, 3 and 4 points against a target of 100 (higher is better)
VALUE_FOR_POINTS = {1: 10.0, 2: 50.0, 3: 80.0, 4: 100.0}


@pytest.mark.parametrize(
    ("points", "percent", "band"),
    [([1, 3, 4, 1], 56.25, 2), ([3, 4, 2], 75.0, 3)],
    ids=["four KPIs 1,3,4,1", "three KPIs 3,4,2"],
)
def test_published_worked_examples(points, percent, band):
    # given one category of KPIs whose achievements earn the published points
    case = flat([VALUE_FOR_POINTS[p] for p in points])
    # when scored
    result = case.run_engine(U4SSCMethod())
    # then each KPI has its points and the category the published percentage and band
    assert result.points[0, :, 0].tolist() == points
    assert result.levels["category"].score[0, 0, 0] == percent
    assert result.levels["category"].band[0, 0, 0] == band


def test_band_edges_are_lower_edge_inclusive():
    percent = np.array([0, 32.999, 33, 65.999, 66, 94.999, 95, 100, NAN])
    assert classify(percent, (33, 66, 95)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 0]


def test_a_multi_point_kpi_exactly_on_the_95_edge_is_band_4():
    # given one KPI with five data points scoring 4, 4, 4, 4, 3 (19 of 20 points = 95 %)
    case = Case(
        values=np.array([100, 100, 100, 100, 80.0]).reshape(1, 5, 1),
        measurands=[oracle.Measurand(0, "higher", target=100.0) for _ in range(5)],
        category_of_kpi=[0],
        subdimension_of_category=[0],
        dimension_of_subdimension=[0],
        years=[2022],
    )
    result = case.run_engine(U4SSCMethod())
    # then the KPI counts once, with the mean of its data points' points
    assert result.kpi_points[0, 0, 0] == pytest.approx(3.8)
    assert result.kpi_band[0, 0, 0] == 4
    assert result.levels["category"].score[0, 0, 0] == pytest.approx(95.0)
    assert result.levels["category"].band[0, 0, 0] == 4
    assert result.levels["category"].n_scored[0, 0, 0] == 1


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (50.0, 100.0, np.inf, 50.0),  # higher is better: value / target
        (150.0, 100.0, np.inf, 100.0),  # capped
        (-5.0, 100.0, np.inf, 0.0),  # negative value
        (0.0, 0.0, np.inf, 100.0),  # higher, target 0 met
        (-1.0, 0.0, np.inf, 0.0),  # higher, target 0 missed: no ratio, 0 %
        (20.0, -np.inf, 10.0, 50.0),  # lower is better: target / value
        (0.0, -np.inf, 10.0, 100.0),  # lower, value 0
        (5.0, -np.inf, 10.0, 100.0),  # lower, better than target
        (0.0, -np.inf, 0.0, 100.0),  # lower, target 0 met (informal settlements)
        (0.5, -np.inf, 0.0, 0.0),  # lower, target 0 missed: 0 %
        (15.0, 20.0, 25.0, 75.0),  # range, below: value / LOW
        (22.0, 20.0, 25.0, 100.0),  # range, inside
        (50.0, 20.0, 25.0, 50.0),  # range, above: HIGH / value
        (5.0, 0.0, 1.0, 20.0),  # "range:0-1" grades a zero target
        (NAN, 0.0, 1.0, NAN),  # not reported
        (5.0, NAN, np.inf, NAN),  # no target
    ],
)
def test_achievement_by_direction(value, low, high, expected):
    got = achievement(np.array([value]), np.array([low]), np.array([high]))[0]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_unreported_kpis_and_kpis_without_target_are_left_out():
    # given four KPIs: 4 points, 2 points, unreported, and reported without target
    case = flat([100.0, 50.0, NAN, 70.0])
    case.measurands[3] = oracle.Measurand(3, "higher")
    result = case.run_engine(U4SSCMethod())
    # then only the two scored KPIs count: 6 of 8 points
    assert result.levels["category"].n_scored[0, 0, 0] == 2
    assert result.levels["category"].score[0, 0, 0] == 75.0
    assert np.isnan(result.kpi_points[0, 3, 0])


def test_aggregates_pool_kpis_not_categories():
    # given category 0 with KPIs of 4 and 4 points, category 1 with one KPI of 1 point
    case = flat([100.0, 100.0, 10.0], category_of_kpi=[0, 0, 1])
    result = case.run_engine(U4SSCMethod())
    # then the sub-dimension is 9 of 12 points, not the mean of 100 % and 25 %
    assert result.levels["subdimension"].score[0, 0, 0] == 75.0
    assert result.levels["dimension"].score[0, 0, 0] == 75.0


def test_coverage_rule_blanks_thinly_reported_groups():
    case = flat([100.0, NAN, NAN, NAN])
    assert case.run_engine(U4SSCMethod()).levels["category"].score[0, 0, 0] == 100.0
    blank = case.run_engine(U4SSCMethod(min_coverage=0.5)).levels["category"]
    assert np.isnan(blank.score[0, 0, 0])
    assert blank.band[0, 0, 0] == 0


def sdsn_case(values: list[float], direction: str = "higher", target: float = 100.0) -> Case:
    """Many cities, one KPI, one year."""
    return Case(
        values=np.array(values, dtype=float).reshape(len(values), 1, 1),
        measurands=[oracle.Measurand(0, direction, target=target)],
        category_of_kpi=[0],
        subdimension_of_category=[0],
        dimension_of_subdimension=[0],
        years=[2022],
    )


def test_sdsn_normalises_between_the_percentile_bound_and_the_target():
    # given 101 cities with values 0..100 against a target of 100
    case = sdsn_case(list(range(101)))
    result = case.run_engine(SDSNMethod())
    # then the bound is the 2.5th percentile (a shortfall of 97.5) and scores are censored
    assert result.lower_bound[0] == pytest.approx(97.5)
    scores = result.score[:, 0, 0]
    assert scores[0] == 0.0 and scores[2] == 0.0
    assert scores[50] == pytest.approx(100 * (50 - 2.5) / 97.5)
    assert scores[100] == 100.0


def test_sdsn_lower_is_better_uses_the_worst_high_values():
    case = sdsn_case([10.0, 20.0, 30.0, 40.0, 50.0], direction="lower", target=10.0)
    result = case.run_engine(SDSNMethod(percentile=0.0))
    # the worst city (50) scores 0, the target 100, linear between
    assert result.score[:, 0, 0].tolist() == pytest.approx([100, 75, 50, 25, 0])


def test_sdsn_configured_lower_bound_wins_over_the_percentile():
    case = sdsn_case([60.0, 80.0])
    case.measurands[0] = oracle.Measurand(0, "higher", target=100.0, lower_bound=0.0)
    result = case.run_engine(SDSNMethod())
    assert result.score[:, 0, 0].tolist() == pytest.approx([60, 80])


@pytest.mark.parametrize(
    ("colours", "rule", "expected"),
    [
        ([1, 1, 4], "two_worst", 1),
        ([4, 4], "two_worst", 4),
        ([1, 4, 4], "two_worst", 2),
        ([2, 3, 4], "two_worst", 3),
        ([2, 2, 4], "two_worst", 2),
        ([1, 4, 4], "worst", 1),
        ([1, 4, 4], "mean", 3),
    ],
)
def test_goal_colour_rules(colours, rule, expected):
    # given one KPI per colour, scores chosen to land in that colour (thresholds 33/66/95)
    score_for = {1: 10.0, 2: 50.0, 3: 80.0, 4: 100.0}
    case = flat([score_for[c] for c in colours])
    case.measurands = [
        oracle.Measurand(i, "higher", target=100.0, lower_bound=0.0) for i in range(len(colours))
    ]
    result = case.run_engine(SDSNMethod(goal_colour_rule=rule))
    assert result.kpi_band[0, :, 0].tolist() == colours
    assert result.levels["category"].band[0, 0, 0] == expected


def trend_case(series: list[float], years: list[int], direction="higher", target=100.0) -> Case:
    return Case(
        values=np.array(series, dtype=float).reshape(1, 1, len(series)),
        measurands=[oracle.Measurand(0, direction, target=target)],
        category_of_kpi=[0],
        subdimension_of_category=[0],
        dimension_of_subdimension=[0],
        years=years,
    )


@pytest.mark.parametrize(
    ("latest", "arrow"),
    [(70.0, ON_TRACK), (60.0, IMPROVING), (52.0, STAGNATING), (40.0, DECREASING)],
)
def test_sdsn_linear_trend_arrows(latest, arrow):
    # given 50 in 2015 and a target of 100 by 2030: 10/3 a year is required
    case = trend_case([50.0, latest], [2015, 2020])
    result = case.run_engine(U4SSCMethod())
    assert result.trend.arrow[0, 0, 1] == arrow
    assert result.trend.ratio[0, 0, 1] == pytest.approx((latest - 50) / 5 / (50 / 15))
    assert result.trend.arrow[0, 0, 0] == 0  # no trend in the baseline year


def test_lower_is_better_trend_reads_a_fall_as_progress():
    # unemployment 10 % -> 8 % from 2015 to 2020 against a target of 4 %
    case = trend_case([10.0, 8.0], [2015, 2020], direction="lower", target=4.0)
    result = case.run_engine(U4SSCMethod())
    assert result.trend.ratio[0, 0, 1] == pytest.approx((2 / 5) / (6 / 15))
    assert result.trend.arrow[0, 0, 1] == ON_TRACK
    # 4 points left at 0.4 a year: 10 more years
    assert result.trend.projected_year[0, 0, 1] == pytest.approx(2030.0)
    assert result.trend.projection[0, 0, 1] == PROJECTED


def test_cagr_trend_uses_compound_growth():
    case = trend_case([50.0, 60.0], [2015, 2020])
    result = case.run_engine(U4SSCMethod(trend=TrendMethod(kind="cagr")))
    growth = (60 / 50) ** (1 / 5) - 1
    required = (100 / 50) ** (1 / 15) - 1
    assert result.trend.ratio[0, 0, 1] == pytest.approx(growth / required)
    assert result.trend.arrow[0, 0, 1] == (ON_TRACK if growth / required >= 0.95 else IMPROVING)
    years_left = math.log(100 / 60) / math.log1p(growth)
    assert result.trend.projected_year[0, 0, 1] == pytest.approx(2020 + years_left)


def test_projection_reached_and_not_at_this_pace():
    reached = trend_case([50.0, 100.0], [2015, 2020]).run_engine(U4SSCMethod())
    assert reached.trend.projection[0, 0, 1] == REACHED
    assert reached.trend.projected_year[0, 0, 1] == 2020
    stalled = trend_case([50.0, 50.0], [2015, 2020]).run_engine(U4SSCMethod())
    assert stalled.trend.projection[0, 0, 1] == NOT_AT_THIS_PACE
    assert np.isnan(stalled.trend.projected_year[0, 0, 1])


def test_a_projection_beyond_the_horizon_names_no_year():
    # given 50 % in 2015 and 51 % in 2020 against 100 %: at one point in five years the
    # target would be reached around 2265
    slow = trend_case([50.0, 51.0], [2015, 2020])
    # then by default (horizon 2050) it is "not before the horizon", with no year
    result = slow.run_engine(U4SSCMethod())
    assert result.trend.projection[0, 0, 1] == BEYOND_HORIZON
    assert np.isnan(result.trend.projected_year[0, 0, 1])
    # and a method with a horizon past that year names it
    far = slow.run_engine(U4SSCMethod(trend=TrendMethod(horizon=2300)))
    assert far.trend.projection[0, 0, 1] == PROJECTED
    assert far.trend.projected_year[0, 0, 1] == pytest.approx(2265)
    # a horizon before the target year is refused
    with pytest.raises(ValueError, match="horizon"):
        TrendMethod(horizon=2025)


def test_baseline_year_setting_skips_earlier_years():
    case = trend_case([10.0, 50.0, 60.0], [2010, 2015, 2020])
    default = case.run_engine(U4SSCMethod())
    assert default.trend.baseline_year[0, 0, 2] == 2010
    from_2015 = case.run_engine(U4SSCMethod(trend=TrendMethod(baseline_year=2015)))
    assert from_2015.trend.baseline_year[0, 0, 2] == 2015


@pytest.mark.parametrize(
    "method",
    [
        U4SSCMethod(),
        U4SSCMethod(band_edges=(30, 60, 90), trend=TrendMethod(kind="cagr", cutoffs=(0.9, 0.5))),
        SDSNMethod(percentile=5, goal_colour_rule="worst", trend=TrendMethod(baseline_year=2015)),
    ],
)
def test_methods_round_trip_through_plain_dicts(method):
    import json

    data = json.loads(json.dumps(method_to_dict(method)))
    assert method_from_dict(data) == method


def test_bad_method_settings_are_refused():
    with pytest.raises(ValueError, match="increasing"):
        U4SSCMethod(band_edges=(66, 33, 95))
    with pytest.raises(ValueError, match="unknown scoring method"):
        method_from_dict({"method": "gdp"})


@pytest.mark.parametrize(
    "shape", [(0, 3, 0), (0, 3, 2), (2, 3, 0)], ids=["nothing", "no city", "no year"]
)
@pytest.mark.parametrize("method", [U4SSCMethod(), SDSNMethod()], ids=["u4ssc", "sdsn"])
def test_empty_inputs_give_empty_results(shape, method):
    from u4ssc.core.scoring import Hierarchy, Targets, score

    # given no city, or no year, to score
    hierarchy = Hierarchy([0, 1, 1], [0, 0], [0], [0])
    targets = Targets([0, 1, 0], [100.0, 4.0, 50.0])
    years = [2019, 2020][: shape[2]]
    # when scored
    result = score(np.full(shape, np.nan), targets, hierarchy, years, method)
    # then every array has the input's cities and years, and nothing is scored
    assert result.score.shape == shape and result.trend.arrow.shape == shape
    assert result.kpi_band.shape == (shape[0], 2, shape[2])
    assert result.levels["dimension"].score.shape == (shape[0], 1, shape[2])
    assert not result.band.any() and not result.trend.projection.any()
