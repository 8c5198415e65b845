"""check_cross(): rules across KPIs of one city and year."""

from __future__ import annotations

import pytest

from u4ssc.core.catalogue import UnknownKPI
from u4ssc.core.checks import CROSS_RULES, WARNING, check_cross

INTERNET, BROADBAND = "EC: ICT: ICT: 1C", "EC: ICT: ICT: 2C"
BASIC, POTABLE = "EC: I: WS: 1C", "EC: I: WS: 2C"
MODES, WASTE = "EC: I: T: 4A", "EN: EN: WA: 1C"


def found(values):
    return sorted((k, p, i.code) for k, p, i in check_cross(values))


def test_karmoy_real_values_raise_nothing():
    values = {
        (INTERNET, ""): 97.00,
        (BROADBAND, ""): 84.51,
        (BASIC, ""): 100.00,
        (POTABLE, ""): 97.07,
    }
    assert check_cross(values) == []


def test_fixed_broadband_above_internet_access_warns_on_both():
    result = check_cross({(INTERNET, ""): 80, (BROADBAND, ""): 90})
    assert sorted((k, p) for k, p, _ in result) == [(INTERNET, ""), (BROADBAND, "")]
    assert {i.code for _, _, i in result} == {"cross:broadband_le_internet"}
    assert all(i.severity == WARNING for _, _, i in result)
    by_kpi = {k: i for k, _, i in result}
    assert by_kpi[BROADBAND].expected == "at most 80 % (household Internet access)"
    assert by_kpi[INTERNET].expected == "at least 90 % (fixed broadband subscriptions)"


def test_equal_broadband_and_internet_is_fine():
    assert check_cross({(INTERNET, ""): 90, (BROADBAND, ""): 90}) == []


def test_potable_above_basic_water_warns_on_both():
    assert found({(BASIC, ""): 95, (POTABLE, ""): 96}) == [
        (BASIC, "", "cross:potable_le_basic"),
        (POTABLE, "", "cross:potable_le_basic"),
    ]


def test_a_rule_needs_both_sides():
    assert check_cross({(POTABLE, ""): 96}) == []
    assert check_cross({(BROADBAND, ""): 150}) == []


def test_codes_and_data_points_in_any_spelling_and_results_normalised():
    result = found({("ec:i:ws:1c", ""): 95, ("EC: I: WS:2C", ""): 96})
    assert [k for k, _, _ in result] == [BASIC, POTABLE]
    result = found({(MODES, "Private vehicles"): 70, (MODES, "WALKING"): 40})
    assert result == [
        (MODES, "private_vehicles", "cross:mode_share_sum"),
        (MODES, "walking", "cross:mode_share_sum"),
    ]


def test_mode_shares_over_100_warn_on_every_reported_mode():
    result = check_cross({(MODES, "private_vehicles"): 60, (MODES, "public_transport"): 45})
    assert len(result) == 2
    assert "105 %" in result[0][2].message


def test_mode_shares_within_rounding_of_100_are_fine():
    values = {
        (MODES, "private_vehicles"): 50.5,
        (MODES, "public_transport"): 20.5,
        (MODES, "walking"): 15.5,
        (MODES, "cycling"): 10.5,
        (MODES, "para_transport"): 4.5,
    }
    assert sum(values.values()) == 101.5
    assert check_cross(values) == []


def test_complete_mode_shares_far_below_100_warn():
    values = {
        (MODES, "private_vehicles"): 40,
        (MODES, "public_transport"): 20,
        (MODES, "walking"): 10,
        (MODES, "cycling"): 10,
        (MODES, "para_transport"): 0,
    }
    result = check_cross(values)
    assert len(result) == 5
    assert "only 80 %" in result[0][2].message
    # the same shares without para transport reported are not complete: no warning
    del values[(MODES, "para_transport")]
    assert check_cross(values) == []


def test_waste_treatment_shares_over_100_warn():
    values = {(WASTE, "landfill"): 70, (WASTE, "recycled"): 40, (WASTE, "incinerated"): 5}
    assert {i.code for _, _, i in check_cross(values)} == {"cross:waste_treatment_sum"}
    values[(WASTE, "landfill")] = 50
    assert check_cross(values) == []


def test_open_data_number_and_share_agree_on_zero():
    od = "EC: ICT: PS: 1A"
    assert found({(od, "number"): 0, (od, "percent"): 20}) == [
        (od, "number", "cross:open_data_consistent"),
        (od, "percent", "cross:open_data_consistent"),
    ]
    assert check_cross({(od, "number"): 268, (od, "percent"): 100}) == []  # Stavanger
    assert check_cross({(od, "number"): 0, (od, "percent"): 0}) == []


def test_outage_time_without_outages_warns():
    saifi, caidi = "EC: I: ES: 1C", "EC: I: ES: 2C"
    assert found({(saifi, ""): 0, (caidi, ""): 45}) == [
        (saifi, "", "cross:outage_time_without_outages"),
        (caidi, "", "cross:outage_time_without_outages"),
    ]
    assert check_cross({(saifi, ""): 0.8, (caidi, ""): 45}) == []


def test_unknown_codes_raise_and_non_finite_values_are_ignored():
    with pytest.raises(UnknownKPI):
        check_cross({("EC: ICT: ICT: 9C", ""): 1})
    assert check_cross({(POTABLE, ""): float("nan"), (BASIC, ""): 10}) == []


def test_every_rule_is_documented_with_a_source():
    assert len(CROSS_RULES) == 6
    for rule in CROSS_RULES:
        assert rule.code.startswith("cross:")
        assert rule.description and rule.source
