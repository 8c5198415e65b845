"""The shipped catalogue against the shared reference CSV and the domain brief."""

from __future__ import annotations

import math

import pytest

from tests.core.catalogue.reference import kpi_rows
from u4ssc.core.catalogue import (
    CatalogueError,
    UnknownDataPoint,
    UnknownKPI,
    available_versions,
    load_catalogue,
    normalise_code,
)

CAT = load_catalogue()

DOMAIN_SUBDIMENSIONS = {
    "ICT": ("EC", "ICT"),
    "P": ("EC", "Productivity"),
    "I": ("EC", "Infrastructure"),
    "EN": ("EN", "Environment"),
    "E": ("EN", "Energy"),
    "EH": ("SC", "Education, Health and Culture"),
    "SH": ("SC", "Safety, Housing and Social Inclusion"),
}
DOMAIN_CATEGORIES = {
    "ICT Infrastructure",
    "Water and Sanitation",
    "Drainage",
    "Electricity Supply",
    "Transport",
    "Public Sector",
    "Innovation",
    "Employment",
    "Waste",
    "Buildings",
    "Urban Planning",
    "Air Quality",
    "Environmental Quality",
    "Public Space and Nature",
    "Energy",
    "Education",
    "Health",
    "Culture",
    "Housing",
    "Social Inclusion",
    "Safety",
    "Food Security",
}
# The multi-point KPIs of the domain brief and their data point keys.
DOMAIN_DATA_POINTS = {
    "EC: ICT: ICT: 4C": ["3g", "4g"],
    "EC: ICT: PS: 1A": ["number", "percent"],
    "EC: I: T: 4A": [
        "private_vehicles",
        "public_transport",
        "walking",
        "cycling",
        "para_transport",
    ],
    "EC: I: UP: 2A": ["compact", "connected", "integrated", "inclusive", "resilient"],
    "EN: EN: AQ: 1C": ["pm2_5", "pm10", "no2", "so2", "o3"],
    "EN: EN: WS: 4C": ["primary", "secondary", "tertiary"],
    "EN: EN: WA: 1C": ["landfill", "burnt", "incinerated", "open_dump", "recycled", "other"],
}


def all_measurands():
    return [m for k in CAT for m in k.measurands()]


# ---- against the reference CSV ------------------------------------------------------------


def test_catalogue_has_the_91_kpis_of_the_reference_in_its_order():
    rows = kpi_rows()
    assert len(CAT) == 91 == len(rows)
    assert [k.code for k in CAT] == [r["code"] for r in rows]
    assert [k.position for k in CAT] == list(range(91))


@pytest.mark.parametrize("row", kpi_rows(), ids=lambda r: r["code"])
def test_each_kpi_copies_the_reference_facts(row):
    kpi = CAT.get(row["code"])
    assert kpi.code == row["code"]
    assert kpi.name == row["name"]
    assert kpi.dimension == row["dimension"]
    assert kpi.subdimension == row["subdimension"]
    if kpi.key == "SC: EH: ED: 5A":
        assert (row["category"], kpi.category) == ("Education", "Health")  # decision 0202
    else:
        assert kpi.category == row["category"]
    assert kpi.level == row["level"]
    assert kpi.type == row["type"]
    assert kpi.unit_label == row["unit"]
    assert kpi.sheet_verified is (row["sheet_verified"] == "yes")
    assert kpi.source == row["source"]
    if row["formula"] and row["formula"] != "official formula sheet not retrieved":
        assert kpi.definition == row["formula"]
    else:
        assert kpi.definition  # a derived formula, labelled as such


def test_codes_keep_their_official_spelling_and_keys_are_normalised():
    ed1 = CAT.get("SC: EH: ED: 1C")
    assert ed1.code == "SC: EH: ED:1C"
    assert ed1.key == "SC: EH: ED: 1C"
    for kpi in CAT:
        assert kpi.key == normalise_code(kpi.code)
        assert kpi.key.count(": ") == 3
    assert len({k.key for k in CAT}) == 91


def test_code_parts_give_dimension_subdimension_category_number_and_level():
    for kpi in CAT:
        dim, sub, cat, num = kpi.key.split(": ")
        assert kpi.dimension_code == dim
        assert kpi.subdimension_code == sub
        assert kpi.category_code == cat
        assert f"{kpi.number}{'C' if kpi.level == 'core' else 'A'}" == num


# ---- structure of the domain brief ----------------------------------------------------------


def test_three_dimensions_and_seven_subdimensions_with_their_codes():
    assert {k.dimension_code: k.dimension for k in CAT} == {
        "EC": "Economy",
        "EN": "Environment",
        "SC": "Society and Culture",
    }
    found = {k.subdimension_code: (k.dimension_code, k.subdimension) for k in CAT}
    assert found == DOMAIN_SUBDIMENSIONS


def test_22_categories_identified_by_subdimension_and_category():
    assert {k.category for k in CAT} == DOMAIN_CATEGORIES
    pairs = CAT.categories()
    assert len(pairs) == len(set(pairs)) == 27  # 22 names, some under several sub-dimensions
    assert {sub for sub, cat in pairs if cat == "Water and Sanitation"} == {
        "ICT",
        "Infrastructure",
        "Environment",
    }


def test_electronic_health_records_is_coded_education_but_belongs_to_health():
    ehr = CAT.get("SC: EH: ED: 5A")
    assert ehr.category_code == "ED"
    assert ehr.category == "Health"


def test_core_kpis_end_in_c_and_advanced_in_a():
    levels = {k.level for k in CAT}
    assert levels == {"core", "advanced"}
    assert sum(k.level == "core" for k in CAT) > 50


def test_types_are_smart_sustainable_structural_or_unknown():
    assert {k.type for k in CAT} == {"smart", "sustainable", "structural", ""}


# ---- lookups ------------------------------------------------------------------------------


@pytest.mark.parametrize("kpi", list(CAT), ids=lambda k: k.key)
def test_every_code_resolves_in_any_spelling(kpi):
    compact = kpi.key.replace(" ", "")
    assert CAT.get(kpi.code) is kpi
    assert CAT.get(kpi.key) is kpi
    assert CAT.get(compact.lower()) is kpi
    assert CAT.get(f"  {kpi.key.replace(': ', ' :  ')}  ") is kpi


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("SC: EH: ED:1C", "SC: EH: ED: 1C"),
        ("SC: EH: ED: 1C", "SC: EH: ED: 1C"),
        ("sc:eh:ed:1c", "SC: EH: ED: 1C"),
        ("  EC:  ICT : ICT:  1C ", "EC: ICT: ICT: 1C"),
        ("EC: ICT: ICT: 01C", "EC: ICT: ICT: 1C"),
        ("EC: ICT: ICT: 5C(?)", "EC: ICT: ICT: 5C"),
        ("SC: EH: H:1C", "SC: EH: H: 1C"),
    ],
)
def test_normalise_code(spelling, expected):
    assert normalise_code(spelling) == expected


def test_unknown_code_names_the_nearest_codes():
    with pytest.raises(UnknownKPI) as err:
        CAT.get("EC: ICT: ICT: 9C")
    assert err.value.code == "EC: ICT: ICT: 9C"
    assert "EC: ICT: ICT: 5C" in err.value.suggestions
    assert "Did you mean" in str(err.value)
    assert CAT.find("EC: ICT: ICT: 9C") is None
    assert "EC: ICT: ICT: 9C" not in CAT
    assert "EC: ICT: ICT: 1C" in CAT


def test_wifi_5a_is_an_alias_of_the_reference_5c():
    wifi = CAT.get("EC: ICT: ICT: 5C")
    assert wifi.name == "Availability of WIFI in Public Areas"
    assert CAT.get("EC: ICT: ICT: 5A") is wifi
    assert wifi.code_aliases == ("EC: ICT: ICT: 5A",)
    assert wifi.level == "core"


def test_norway_uncertain_wifi_code_resolves_to_5c():
    assert CAT.get("EC: ICT: ICT: 5C(?)").key == "EC: ICT: ICT: 5C"


def test_measurand_by_key_name_alias_or_norwegian_name():
    air = "EN: EN: AQ: 1C"
    pm25 = CAT.measurand(air, "pm2_5")
    assert CAT.measurand(air, "PM2.5") is pm25
    assert CAT.measurand(air, "pm 2,5") is pm25
    assert CAT.measurand(air, "Svevestøv PM2,5") is pm25
    assert CAT.measurand("EC: ICT: PS: 1A", "Open Data Sets Published").data_point == "number"
    assert CAT.measurand("EC: I: T: 4A", "PUBLIC TRANSPORT").data_point == "public_transport"


def test_measurand_of_a_single_value_kpi_is_the_kpi_itself():
    m = CAT.measurand("EC: ICT: ICT: 1C")
    assert m.data_point == ""
    assert m.kpi_key == "EC: ICT: ICT: 1C"
    assert m.name == "Household Internet Access"
    assert CAT.get("EC: ICT: ICT: 1C").measurands() == (m,)
    assert CAT.measurand("ec: ict: ict: 1c") is m


def test_measurand_errors_say_what_exists():
    with pytest.raises(UnknownDataPoint, match="pm2_5, pm10"):
        CAT.measurand("EN: EN: AQ: 1C", "CO")
    with pytest.raises(UnknownDataPoint, match="name one of"):
        CAT.measurand("EN: EN: AQ: 1C")
    with pytest.raises(UnknownDataPoint, match="single value"):
        CAT.measurand("EC: ICT: ICT: 1C", "3g")


def test_load_catalogue_is_cached_and_rejects_unknown_versions():
    assert load_catalogue() is load_catalogue(CAT.version)
    assert CAT.version == available_versions()[-1] == "2026.1"
    with pytest.raises(CatalogueError, match=r"available: 2026\.1"):
        load_catalogue("1999.1")


# ---- measurands -----------------------------------------------------------------------------


def test_the_multi_point_kpis_of_the_domain_brief_have_their_data_points():
    with_points = {k.key: [dp.data_point for dp in k.data_points] for k in CAT if k.data_points}
    assert with_points == DOMAIN_DATA_POINTS
    for kpi in CAT:
        for dp in kpi.data_points:
            assert dp.kpi_key == kpi.key
            assert dp.name and dp.name_nb
            assert len(dp.data_point) <= 32  # the database column


@pytest.mark.parametrize("m", all_measurands(), ids=lambda m: f"{m.kpi_key}/{m.data_point}")
def test_every_measurand_has_unit_direction_measure_and_coherent_ranges(m):
    assert m.unit and m.unit in m.unit_aliases
    assert m.direction.kind in ("higher", "lower", "range")
    if m.direction.kind == "range":
        assert m.direction.low is not None and m.direction.high is not None
    else:
        assert m.direction.low is None and m.direction.high is None
    assert m.measure.kind in ("ratio", "value", "boolean")
    if m.measure.kind == "ratio":
        assert m.measure.numerator and m.measure.denominator
        assert m.measure.numerator_nb and m.measure.denominator_nb
        assert m.measure.multiplier in (1, 100, 100_000)
    else:
        assert m.measure.numerator is None and m.measure.multiplier is None
    assert m.plausible_min is not None  # every quantity has a floor
    lo, hi = m.plausible_min, m.plausible_max if m.plausible_max is not None else math.inf
    assert lo < hi
    for w in (m.warn_min, m.warn_max):
        assert w is None or lo <= w <= hi
    if m.measure.kind == "boolean":
        assert (m.plausible_min, m.plausible_max, m.yoy_warn_ratio) == (0, 1, None)
        assert m.unit == "yes/no"


@pytest.mark.parametrize("m", all_measurands(), ids=lambda m: f"{m.kpi_key}/{m.data_point}")
def test_units_and_multipliers_agree(m):
    if m.unit == "%":
        assert m.measure.kind == "ratio" and m.measure.multiplier == 100
        assert (m.plausible_min, m.plausible_max) in ((0, 100), (0, 200))
    if "per 100 000" in m.unit:
        assert m.measure.kind == "ratio" and m.measure.multiplier == 100_000
        assert m.plausible_min == 0


def test_kpis_with_data_points_leave_ranges_to_the_data_points():
    for kpi in CAT:
        if kpi.data_points:
            assert kpi.plausible_min is None and kpi.yoy_warn_ratio is None
        else:
            assert kpi.plausible_min is not None


def test_directions_of_data_points_follow_the_domain():
    mode = {dp.data_point: dp.direction.kind for dp in CAT.get("EC: I: T: 4A").data_points}
    assert mode == {
        "private_vehicles": "lower",
        "public_transport": "higher",
        "walking": "higher",
        "cycling": "higher",
        "para_transport": "higher",
    }
    waste = {dp.data_point: dp.direction.kind for dp in CAT.get("EN: EN: WA: 1C").data_points}
    assert waste["landfill"] == waste["open_dump"] == waste["burnt"] == "lower"
    assert waste["recycled"] == "higher"
    air = CAT.get("EN: EN: AQ: 1C")
    assert {dp.direction.kind for dp in air.data_points} == {"lower"}
    assert {dp.unit for dp in air.data_points} == {"µg/m³"}


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        ("EC: P: EM: 1C", "lower"),  # unemployment
        ("EN: EN: AQ: 2C", "lower"),  # GHG per capita
        ("EC: I: ES: 2C", "lower"),  # outage time
        ("EC: I: WS: 3C", "lower"),  # water supply loss
        ("SC: SH: SI: 2C", "lower"),  # Gini
        ("SC: EH: H: 1C", "higher"),  # life expectancy
        ("SC: SH: SI: 1C", "range"),  # gender income equity: parity
    ],
)
def test_directions_of_kpis_whose_reading_matters(code, direction):
    assert CAT.get(code).direction.kind == direction


def test_plausibility_hints_of_the_verifiers_are_warning_ranges():
    assert CAT.get("EC: P: IN: 3A").warn_min == 95  # SMEs
    assert CAT.get("EC: I: WS: 5C").warn_min == 90  # household sanitation
    assert CAT.get("EC: I: ES: 3C").warn_min == 90  # access to electricity
    assert CAT.get("SC: EH: ED: 2C").plausible_max > 100  # school enrolment can exceed 100 %
    assert CAT.get("EC: ICT: ICT: 1C").plausible_max == 100


def test_ratio_kpis_measure_per_100k_against_population():
    kpi = CAT.get("SC: EH: H: 3C")
    assert kpi.measure.multiplier == 100_000
    assert kpi.measure.denominator == "population"
    internet = CAT.get("EC: ICT: ICT: 1C").measure
    assert (internet.numerator, internet.denominator, internet.multiplier) == (
        "households with Internet access",
        "total households",
        100,
    )


def test_norwegian_names_are_written_for_every_kpi_and_data_point():
    assert CAT.get("EC: ICT: ICT: 1C").name_nb == "Husholdninger med internettilgang"
    names = [k.name_nb for k in CAT]
    assert all(names) and len(set(names)) == 91
    same_as_english = [k.key for k in CAT if k.name_nb.lower() == k.name.lower()]
    assert same_as_english == []


def test_sdgs_are_parsed_from_the_reference_text():
    assert CAT.get("EC: ICT: ICT: 2C").sdgs == ("17.6.2", "17.8.1")
    assert CAT.get("EC: ICT: ICT: 3C").sdgs == ("5", "9", "17")
    assert CAT.get("EC: ICT: D: 1A").sdgs == ()
    assert CAT.get("SC: EH: ED: 1C").sdgs == ("4.4.1", "4.a.1", "5")


def test_non_obvious_choices_carry_a_decision_note():
    for code in ("EC: I: T: 4A", "EN: EN: WA: 1C", "EC: ICT: ICT: 5C", "SC: SH: SI: 1C"):
        assert len(CAT.get(code).decision_note) > 40, code
