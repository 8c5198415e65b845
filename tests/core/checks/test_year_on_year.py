"""check_year_on_year(): jump warnings between consecutive reports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import WARNING, check_year_on_year

CAT = load_catalogue()
METERS = CAT.measurand("EC: ICT: WS: 1C")  # a share: r = 0.5, minimum move 5 points
PATENTS = CAT.measurand("EC: P: IN: 2C")  # r = 1.0
LIFE = CAT.measurand("SC: EH: H: 1C")  # r = 0.05
GHG = CAT.measurand("EN: EN: AQ: 2C")  # r = 0.3, no minimum move


def test_no_previous_value_no_warning():
    assert check_year_on_year(METERS, 27.27, None) == ()


def test_a_move_within_the_threshold_is_quiet():
    assert check_year_on_year(METERS, 40, 27.27) == ()
    assert check_year_on_year(GHG, 8, 10) == ()


def test_a_jump_up_warns_with_the_allowed_band():
    (issue,) = check_year_on_year(METERS, 60, 27.27)
    assert (issue.code, issue.severity, issue.field) == ("yoy_jump", WARNING, "value")
    assert issue.expected == "between 13.63 and 40.91 %"
    assert "27.27 % to 60 %" in issue.message


def test_a_drop_warns_too():
    (issue,) = check_year_on_year(GHG, 5, 10)
    assert "-50 %" in issue.message


def test_small_moves_of_a_share_never_warn_even_when_relatively_large():
    assert check_year_on_year(METERS, 4, 1) == ()  # 3 points: below the 5-point minimum
    assert check_year_on_year(METERS, 9, 1) != ()


def test_from_zero_any_move_beyond_the_minimum_warns():
    assert check_year_on_year(PATENTS, 5, 0) != ()
    assert check_year_on_year(PATENTS, 0, 0) == ()


def test_life_expectancy_is_held_tightly():
    assert check_year_on_year(LIFE, 82, 83) == ()
    assert check_year_on_year(LIFE, 73, 83) != ()


def test_the_band_compounds_over_several_years():
    # 50 % a year: doubling over two years is allowed (1.5^2 = 2.25), tripling is not
    assert check_year_on_year(GHG, 16, 10, years_apart=2) == ()
    assert check_year_on_year(GHG, 16, 10, years_apart=1) != ()
    (issue,) = check_year_on_year(GHG, 30, 10, years_apart=2)
    assert "in 2 years" in issue.message


def test_booleans_and_rare_events_never_warn():
    assert check_year_on_year(CAT.measurand("SC: SH: SA: 3A"), 1, 0) == ()
    assert check_year_on_year(CAT.measurand("SC: SH: SA: 1C"), 5, 0.1) == ()


def test_years_apart_must_be_positive():
    with pytest.raises(ValueError, match="years_apart"):
        check_year_on_year(GHG, 10, 10, years_apart=0)


@given(
    previous=st.floats(min_value=0.01, max_value=1e6),
    factor=st.floats(min_value=0.01, max_value=10),
)
def test_warns_exactly_when_the_yearly_factor_leaves_the_band(previous, factor):
    value = previous * factor
    warned = bool(check_year_on_year(GHG, value, previous))
    r = GHG.yoy_warn_ratio
    assert r is not None
    inside = previous * (1 - r) <= value <= previous * (1 + r)
    assert warned != inside
