"""The synthetic generator: reproducible, plausible, consistent, shaped like city data."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np
import pytest

from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import Entry, check_cross, check_year_on_year, compute
from u4ssc.core.synthetic import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    REPORTED,
    Event,
    generate,
    make_profile,
)
from u4ssc.core.synthetic.specs import BASES, DERIVED_BASES, PARTS, SPECS

CAT = load_catalogue()
YEARS = list(range(2019, 2026))
GHG = "EN: EN: AQ: 2C"
INTERNET = "EC: ICT: ICT: 1C"
BIKES = "EC: I: T: 6A"


def city(key, country, population, latitude, first_year=None):
    return make_profile(
        key=key,
        name=key.title(),
        country_code=country,
        population=population,
        latitude=latitude,
        first_year=first_year,
    )


CITIES = [
    city("alesund", "NO", 52_626, 62.47),
    city("karmoy", "NO", 42_903, 59.28),
    city("molde", "NO", 22_410, 62.74),
    city("vienna", "AT", 1_691_468, 48.21, 2020),
    city("graz", "AT", 303_270, 47.07),
    city("lisbon", "PT", 517_802, 38.72),
    city("bogota", "CO", 7_674_366, 4.61, 2021),
    city("dubai", "AE", 3_790_000, 25.08),
    city("kampala", "UG", 1_680_600, 0.32, 2022),
    city("pune", "IN", 3_124_458, 18.52),
]
ANCHORS = {
    ("karmoy", 2020, INTERNET, ""): 97.0,
    ("karmoy", 2020, "EC: ICT: ICT: 2C", ""): 84.51,
    ("karmoy", 2020, "EC: ICT: D: 1A", ""): 0.0,
    ("graz", 2016, GHG, ""): 4.2,  # before the years generated
}
EVENTS = [Event("alesund", 2024, BIKES, "", 2.5, "A new bike-share scheme")]


@pytest.fixture(scope="module")
def rows():
    return generate(CAT, CITIES, YEARS, np.random.default_rng(2026), anchors=ANCHORS, events=EVENTS)


def reported(rows):
    return [r for r in rows if r.status == REPORTED]


def series(rows):
    """(city, kpi, point) -> {year: value} of reported values."""
    out = defaultdict(dict)
    for r in reported(rows):
        out[(r.city, r.kpi_key, r.data_point)][r.year] = r.value
    return out


# ------------------------------------------------------------------ reproducibility


def test_same_seed_gives_identical_rows(rows):
    again = generate(
        CAT, CITIES, YEARS, np.random.default_rng(2026), anchors=ANCHORS, events=EVENTS
    )
    assert again == rows


def test_a_different_seed_gives_different_values(rows):
    other = generate(CAT, CITIES, YEARS, np.random.default_rng(7), anchors=ANCHORS, events=EVENTS)
    changed = sum(a.value != b.value for a, b in zip(rows, other, strict=False))
    assert changed > len(rows) / 3


def test_the_order_of_the_cities_given_does_not_matter(rows):
    shuffled = list(reversed(CITIES))
    again = generate(
        CAT, shuffled, YEARS, np.random.default_rng(2026), anchors=ANCHORS, events=EVENTS
    )
    assert again == rows


# ------------------------------------------------------------------ shape of the rows


def test_every_city_year_lists_every_measurand_once(rows):
    per_city_year = defaultdict(list)
    for r in rows:
        per_city_year[(r.city, r.year)].append((r.kpi_key, r.data_point))
    wanted = [(k.key, m.data_point) for k in CAT.kpis for m in k.measurands()]
    for key, refs in per_city_year.items():
        assert refs == wanted, key
    vienna_years = sorted({y for c, y in per_city_year if c == "vienna"})
    assert vienna_years == list(range(2020, 2026))  # from the year the city joined


def test_rows_are_marked_synthetic_with_their_source(rows):
    assert all(r.is_synthetic for r in rows)
    assert {r.source for r in rows} == {"Synthetic demo value (generated)"}
    assert {r.status for r in rows} == {REPORTED, NOT_AVAILABLE, NOT_APPLICABLE}


def test_every_denominator_is_a_known_base_and_every_ratio_has_one():
    known = set(BASES) | set(DERIVED_BASES)
    for spec in SPECS:
        ratio = CAT.measurand(spec.kpi, spec.point).measure.kind == "ratio"
        assert bool(spec.base) == ratio, spec.ref
        assert not spec.base or spec.base in known, spec.ref
    assert {p.base for p in PARTS} <= known


def test_specs_cover_the_catalogue_exactly():
    covered = [s.ref for s in SPECS] + [(p.kpi, part.point) for p in PARTS for part in p.parts]
    wanted = [(k.key, m.data_point) for k in CAT.kpis for m in k.measurands()]
    assert sorted(covered) == sorted(wanted)
    assert len(covered) == len(set(covered))


# ------------------------------------------------------------------ values pass the checks


def test_every_value_passes_the_core_checks_without_an_issue(rows):
    for r in reported(rows):
        m = CAT.measurand(r.kpi_key, r.data_point)
        entry = Entry(numerator=r.numerator, denominator=r.denominator, unit=r.unit)
        if r.numerator is None:
            entry = Entry(value=r.value, unit=r.unit)
        result = compute(m, entry)
        assert result.issues == (), (r, result.issues)


def test_components_give_the_value_with_the_catalogue_multiplier(rows):
    ratios = [
        r for r in reported(rows) if CAT.measurand(r.kpi_key, r.data_point).measure.kind == "ratio"
    ]
    assert len(ratios) > 1_000
    for r in ratios:
        m = CAT.measurand(r.kpi_key, r.data_point)
        assert r.numerator is not None and r.denominator is not None and r.denominator > 0
        assert r.value == pytest.approx(r.numerator / r.denominator * m.measure.multiplier)
        assert compute(m, Entry(numerator=r.numerator, denominator=r.denominator)).value == (
            pytest.approx(r.value)
        )


def test_denominators_are_shared_within_a_city_and_year(rows):
    households = defaultdict(set)
    population = defaultdict(set)
    for r in reported(rows):
        m = CAT.measurand(r.kpi_key, r.data_point)
        if m.measure.denominator == "total households":
            households[(r.city, r.year)].add(r.denominator)
        if m.measure.denominator == "population":
            population[(r.city, r.year)].add(r.denominator)
    assert households and population
    assert all(len(v) == 1 for v in households.values())
    assert all(len(v) == 1 for v in population.values())


def test_counts_are_whole_numbers(rows):
    for r in reported(rows):
        m = CAT.measurand(r.kpi_key, r.data_point)
        if m.unit in ("number", "yes/no") or m.measure.denominator in (
            "total households",
            "population",
            "total commuters",
        ):
            whole = r.value if r.numerator is None else r.numerator
            if m.measure.multiplier != 100_000 or m.unit.startswith("per "):
                assert whole == round(whole), r


def test_the_outage_time_averages_the_outages_of_the_outage_frequency(rows):
    by = {(r.city, r.year, r.kpi_key): r for r in reported(rows)}
    pairs = [
        (r, by.get((r.city, r.year, "EC: I: ES: 2C")))
        for r in reported(rows)
        if r.kpi_key == "EC: I: ES: 1C"
    ]
    pairs = [(f, t) for f, t in pairs if t is not None]
    assert pairs
    for frequency, time in pairs:
        assert time.denominator == frequency.numerator


def test_no_cross_kpi_warnings_and_shares_add_up(rows):
    per_city_year = defaultdict(dict)
    for r in reported(rows):
        per_city_year[(r.city, r.year)][(r.kpi_key, r.data_point)] = r.value
    for key, values in per_city_year.items():
        assert check_cross(values, CAT) == [], key
        for parts in PARTS:
            shares = [v for (k, _p), v in values.items() if k == parts.kpi]
            if shares:
                assert sum(shares) == pytest.approx(100.0), (key, parts.kpi)


def test_developed_cities_leave_out_parts_that_do_not_exist_there(rows):
    alesund = {(r.kpi_key, r.data_point): r for r in rows if r.city == "alesund" and r.year == 2024}
    assert alesund[("EC: I: T: 4A", "para_transport")].status == NOT_APPLICABLE
    assert alesund[("EN: EN: WA: 1C", "open_dump")].value in (0.0, None)


# ------------------------------------------------------------------ time


def test_no_year_on_year_warning_except_the_deliberate_jump(rows):
    flagged = []
    for (c, kpi, point), by_year in series(rows).items():
        m = CAT.measurand(kpi, point)
        for year, value in by_year.items():
            if year - 1 in by_year and check_year_on_year(m, value, by_year[year - 1]):
                flagged.append((c, year, kpi, point))
    assert flagged == [("alesund", 2024, BIKES, "")]


def test_the_deliberate_jump_carries_its_note_and_is_always_reported(rows):
    jump = [r for r in rows if (r.city, r.kpi_key) == ("alesund", BIKES)]
    assert all(r.status == REPORTED for r in jump)
    assert [r.notes for r in jump if r.year == 2024] == ["A new bike-share scheme"]


def test_most_series_improve_in_the_kpis_direction(rows):
    better = worse = 0
    for (_c, kpi, point), by_year in series(rows).items():
        m = CAT.measurand(kpi, point)
        if len(by_year) < 4 or m.direction.kind == "range" or m.measure.kind == "boolean":
            continue
        first, last = by_year[min(by_year)], by_year[max(by_year)]
        if first == last:
            continue
        improved = (last > first) == (m.direction.kind == "higher")
        better += improved
        worse += not improved
    assert better > 2 * worse


def test_covid_shows_in_2020(rows):
    unemployment = series(rows)[("alesund", "EC: P: EM: 1C", "")]
    assert unemployment[2020] > unemployment[2019] and unemployment[2020] > unemployment[2022]


def test_series_pass_through_anchors(rows):
    karmoy = series(rows)
    assert karmoy[("karmoy", INTERNET, "")][2020] == pytest.approx(97.0, abs=0.05)
    assert karmoy[("karmoy", "EC: ICT: ICT: 2C", "")][2020] == pytest.approx(84.51, abs=0.05)
    # a real 0 %: nothing until then, then a start smaller than the check's 5 points
    drainage = karmoy.get(("karmoy", "EC: ICT: D: 1A", ""), {})
    if drainage:
        assert drainage.get(2020, 0.0) == 0.0
        assert drainage.get(2021, 0.0) < 5


def test_an_anchor_before_the_generated_years_sets_the_level():
    # given the same city with and without a real GHG value of 2016
    graz = [c for c in CITIES if c.key == "graz"]
    rng = np.random.default_rng
    low = generate(CAT, graz, YEARS, rng(1), anchors={("graz", 2016, GHG, ""): 2.0})
    high = generate(CAT, graz, YEARS, rng(1), anchors={("graz", 2016, GHG, ""): 8.0})
    # then the generated years continue from it
    ghg = [(a.value, b.value) for a, b in zip(low, high, strict=True) if a.kpi_key == GHG]
    assert ghg and all(a is None or b / a == pytest.approx(4.0, rel=0.01) for a, b in ghg)


# ------------------------------------------------------------------ character


def test_development_shows(rows):
    at_2024 = {(r.city, r.kpi_key): r.value for r in reported(rows) if r.year == 2024}
    assert at_2024.get(("alesund", INTERNET), 100) > at_2024.get(("kampala", INTERNET), 0)
    life = {c: at_2024.get((c, "SC: EH: H: 1C")) for c in ("vienna", "kampala")}
    if all(life.values()):
        assert life["vienna"] > life["kampala"] + 5


def test_core_kpis_are_reported_more_often_than_advanced_ones():
    many = [
        city(f"c{i}", cc, 200_000, 50.0)
        for i, cc in enumerate(["NO", "AT", "PT", "CO", "UG", "IN"] * 5)
    ]
    rows = generate(CAT, many, [2024], np.random.default_rng(3))
    level = {k.key: k.level for k in CAT.kpis}
    share = {}
    for lvl in ("core", "advanced"):
        mine = [r for r in rows if level[r.kpi_key] == lvl]
        share[lvl] = sum(r.status == REPORTED for r in mine) / len(mine)
    assert 0.6 < share["core"] < 0.99
    assert share["advanced"] < share["core"] - 0.15


def test_city_keys_must_be_unique():
    twice = [CITIES[0], dataclasses.replace(CITIES[1], key=CITIES[0].key)]
    with pytest.raises(ValueError, match="unique"):
        generate(CAT, twice, YEARS, np.random.default_rng(1))
