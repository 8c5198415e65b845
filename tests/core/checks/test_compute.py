"""compute(): values from components, units, ranges, and the real Norwegian values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.catalogue.reference import NORWAY_DATA_POINTS, norway_rows
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import ERROR, WARNING, Entry, compute, parse_number

CAT = load_catalogue()
INTERNET = CAT.measurand("EC: ICT: ICT: 1C")
PHYSICIANS = CAT.measurand("SC: EH: H: 3C")
GHG = CAT.measurand("EN: EN: AQ: 2C")
WIFI = CAT.measurand("EC: ICT: ICT: 5C")
PM25 = CAT.measurand("EN: EN: AQ: 1C", "pm2_5")
RESILIENCE = CAT.measurand("SC: SH: SA: 3A")


def codes(result):
    return [(i.code, i.severity, i.field) for i in result.issues]


# ---- the real values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "row", norway_rows(), ids=lambda r: f"{r['city']}:{r['kpi_code']}:{r['kpi_name']}"
)
def test_every_real_norwegian_value_passes_without_error(row):
    # given a value published in a U4SSC verification report
    point = NORWAY_DATA_POINTS.get(row["kpi_name"], "")
    measurand = CAT.measurand(row["kpi_code"], point)
    value = parse_number(row["value"]) if row["value"] else None
    # when it is entered with the unit the report prints
    result = compute(measurand, Entry(value=value, unit=row["unit"]))
    # then nothing blocks it
    assert result.errors == (), result.issues
    assert result.value == value


def test_the_norwegian_file_covers_single_and_multi_point_kpis():
    measurands = {
        (CAT.get(r["kpi_code"]).key, NORWAY_DATA_POINTS.get(r["kpi_name"], ""))
        for r in norway_rows()
    }
    assert ("EC: ICT: ICT: 4C", "3G") in measurands
    assert len(measurands) == len(norway_rows()) == 28  # every row a distinct measurand


# ---- ratios --------------------------------------------------------------------------------


def test_percentage_from_components():
    result = compute(INTERNET, Entry(numerator=12345, denominator=13000))
    assert result.value == pytest.approx(94.9615, abs=1e-4)
    assert result.working == "12 345 / 13 000 x 100 = 94.96 %"
    assert result.issues == ()


def test_rate_per_100_000_inhabitants_from_components():
    result = compute(PHYSICIANS, Entry(numerator=250, denominator=75_000))
    assert result.value == pytest.approx(333.333, abs=1e-3)
    assert result.working == "250 / 75 000 x 100 000 = 333.33 per 100 000 inhabitants"
    assert result.ok


def test_per_capita_ratio_has_no_multiplier_in_the_working():
    result = compute(GHG, Entry(numerator=1_200_000, denominator=150_000))
    assert result.value == 8
    assert result.working == "1 200 000 / 150 000 = 8 tCO2e/capita"


@pytest.mark.parametrize("denominator", [0, -5])
def test_zero_or_negative_denominator_is_an_error(denominator):
    result = compute(INTERNET, Entry(numerator=10, denominator=denominator))
    assert result.value is None
    assert codes(result) == [("denominator_zero", ERROR, "denominator")]
    assert "total households" in result.issues[0].message


def test_negative_numerator_is_an_error():
    result = compute(INTERNET, Entry(numerator=-1, denominator=100))
    assert result.value is None
    assert codes(result) == [("range", ERROR, "numerator")]


def test_numerator_larger_than_denominator_gives_an_impossible_share():
    result = compute(INTERNET, Entry(numerator=13_001, denominator=13_000))
    assert codes(result) == [("range", ERROR, "value")]
    assert result.issues[0].expected == "between 0 and 100 %"
    assert "not larger than the denominator" in result.issues[0].message


def test_typed_value_agreeing_with_components_within_half_a_percent_is_fine():
    result = compute(INTERNET, Entry(numerator=12345, denominator=13000, value=95.0))
    assert result.issues == ()


def test_typed_value_differing_from_components_warns_and_the_computed_value_wins():
    result = compute(INTERNET, Entry(numerator=12345, denominator=13000, value=90))
    assert codes(result) == [("value_mismatch", WARNING, "value")]
    assert result.value == pytest.approx(94.96, abs=0.01)
    assert result.issues[0].expected == "94.96 % (computed from the components)"


def test_one_component_without_a_value_is_an_error():
    result = compute(INTERNET, Entry(numerator=5))
    assert result.value is None
    assert codes(result) == [("component_missing", ERROR, "denominator")]


def test_one_component_with_a_typed_value_warns_and_uses_the_value():
    result = compute(INTERNET, Entry(denominator=100, value=40))
    assert result.value == 40
    assert codes(result) == [("component_missing", WARNING, "numerator")]


def test_direct_value_of_a_ratio_kpi_is_accepted():
    result = compute(INTERNET, Entry(value=97))
    assert (result.value, result.working, result.issues) == (97, "97 % (entered directly)", ())


def test_empty_entry_is_not_reported_and_not_an_error():
    result = compute(INTERNET, Entry())
    assert (result.value, result.working, result.issues) == (None, "not reported", ())


# ---- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measurand", "unit"),
    [
        (INTERNET, ""),
        (INTERNET, "%"),
        (INTERNET, "Percent"),
        (INTERNET, " percentage "),
        (PHYSICIANS, "per 100,000 inhabitants"),
        (PHYSICIANS, "Per 100\u00a0000 inhabitants"),
        (PM25, "ug/m3"),
        (PM25, "μg/m³"),  # Greek mu, not the micro sign
        (WIFI, "number"),
        (CAT.measurand("EC: ICT: PS: 2A"), "services"),
    ],
)
def test_the_unit_or_an_alias_is_accepted(measurand, unit):
    result = compute(measurand, Entry(value=10, unit=unit))
    assert result.issues == ()


@pytest.mark.parametrize(
    ("measurand", "unit", "expected"),
    [
        (INTERNET, "per 100 000 inhabitants", "%"),
        (PHYSICIANS, "%", "per 100 000 inhabitants"),
        (PM25, "ppb", "µg/m³"),
        (GHG, "kg", "tCO2e/capita"),
    ],
)
def test_a_wrong_unit_is_an_error_naming_the_expected_unit(measurand, unit, expected):
    result = compute(measurand, Entry(value=10, unit=unit))
    assert codes(result) == [("unit", ERROR, "unit")]
    assert result.issues[0].expected.startswith(expected)
    assert expected in result.issues[0].message


# ---- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "expected_codes"),
    [
        ("EC: P: IN: 3A", 99.2, []),  # SMEs, as in Stavanger
        ("EC: P: IN: 3A", 90, [("warn_range", WARNING, "value")]),  # SMEs normally > 95 %
        ("EC: I: WS: 5C", 85, [("warn_range", WARNING, "value")]),  # sanitation 90 %+
        ("EC: I: ES: 3C", 89.9, [("warn_range", WARNING, "value")]),  # electricity 90 %+
        ("EC: I: ES: 3C", 90, []),
        ("SC: EH: ED: 2C", 104, []),  # school enrolment can exceed 100 %
        ("SC: EH: ED: 2C", 250, [("range", ERROR, "value")]),
        ("SC: SH: SI: 2C", 23, [("range", ERROR, "value")]),  # Gini typed on the 0-100 scale
        ("SC: SH: SI: 2C", 0.23, []),
        ("EC: ICT: ICT: 3C", 95.4, [("warn_range", WARNING, "value")]),  # per 100, not 100 000
        ("SC: EH: H: 1C", 130, [("range", ERROR, "value")]),
    ],
)
def test_plausible_and_warning_ranges(code, value, expected_codes):
    assert codes(compute(CAT.measurand(code), Entry(value=value))) == expected_codes


def test_range_error_says_what_was_expected():
    result = compute(CAT.measurand("SC: SH: SI: 2C"), Entry(value=23))
    assert result.issues[0].expected == "between 0 and 1"
    assert "23 is not possible for Gini Coefficient" in result.issues[0].message


def test_negative_value_of_a_count_is_an_error():
    result = compute(WIFI, Entry(value=-3))
    assert codes(result) == [("range", ERROR, "value")]
    assert result.issues[0].expected == "at least 0"


# ---- value and boolean measures -----------------------------------------------------------


def test_value_kpi_given_components_only_asks_for_the_value():
    result = compute(WIFI, Entry(numerator=3, denominator=4))
    assert result.value is None
    assert codes(result) == [("component_missing", ERROR, "value")]


@pytest.mark.parametrize(("value", "text"), [(1, "yes"), (0, "no")])
def test_boolean_accepts_one_and_zero(value, text):
    result = compute(RESILIENCE, Entry(value=value))
    assert result.value == value
    assert result.working == f"{text} (entered directly)"
    assert result.issues == ()


@pytest.mark.parametrize("value", [2, 0.5, -1])
def test_boolean_rejects_anything_else(value):
    result = compute(RESILIENCE, Entry(value=value))
    assert result.value is None
    assert codes(result) == [("boolean", ERROR, "value")]
    assert result.issues[0].expected == "1 (yes) or 0 (no)"


@pytest.mark.parametrize("field", ["numerator", "denominator", "value"])
def test_non_finite_input_is_not_a_number(field):
    result = compute(INTERNET, Entry(**{field: math.nan}))
    assert result.value is None
    assert codes(result) == [("not_a_number", ERROR, field)]


# ---- properties -----------------------------------------------------------------------------

SHARES = [
    m
    for k in CAT
    for m in k.measurands()
    if m.measure.kind == "ratio" and m.measure.multiplier == 100 and m.plausible_max == 100
]


@given(
    measurand=st.sampled_from(SHARES),
    denominator=st.floats(min_value=1e-3, max_value=1e9),
    fraction=st.floats(min_value=0, max_value=1),
)
def test_a_share_of_a_whole_computed_from_valid_components_is_never_out_of_range(
    measurand, denominator, fraction
):
    numerator = denominator * fraction
    if numerator > denominator:  # float rounding of the product
        numerator = denominator
    result = compute(measurand, Entry(numerator=numerator, denominator=denominator))
    assert result.value is not None
    assert 0 <= result.value <= 100
    assert all(i.code != "range" for i in result.issues)


MEASURANDS = [m for k in CAT for m in k.measurands() if m.measure.kind != "boolean"]


@given(measurand=st.sampled_from(MEASURANDS), data=st.data())
def test_a_direct_value_is_an_error_exactly_when_outside_the_hard_range(measurand, data):
    value = data.draw(st.floats(min_value=-1e6, max_value=1e7))
    result = compute(measurand, Entry(value=value))
    lo = measurand.plausible_min
    hi = measurand.plausible_max
    outside = (lo is not None and value < lo) or (hi is not None and value > hi)
    assert any(i.code == "range" for i in result.issues) == outside
    assert result.value == value
