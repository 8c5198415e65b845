"""Illustrative targets and city profiles of the synthetic data."""

from __future__ import annotations

import pytest

from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.synthetic import COUNTRY_HDI, development_level, illustrative_targets, make_profile
from u4ssc.core.targets import load_default_targets

CAT = load_catalogue()


def test_national_targets_cover_many_more_kpis_than_the_default_set():
    national = illustrative_targets(CAT)
    assert len({t["kpi_key"] for t in national}) > 2 * len(
        {t["kpi_key"] for t in load_default_targets()}
    )


def test_each_target_takes_its_direction_from_the_catalogue_and_is_plausible():
    for t in illustrative_targets(CAT):
        m = CAT.measurand(t["kpi_key"], t["data_point"])
        assert t["direction"] == m.direction.kind
        if t["direction"] == "range":
            assert t["range_low"] < t["value"] < t["range_high"]
            continue
        assert t["range_low"] is None and t["range_high"] is None
        if m.plausible_min is not None:
            assert t["value"] >= m.plausible_min
        if m.plausible_max is not None:
            assert t["value"] <= m.plausible_max


def test_a_citys_own_goals_are_more_ambitious_than_the_national_ones():
    national = {(t["kpi_key"], t["data_point"]): t for t in illustrative_targets(CAT)}
    city = {(t["kpi_key"], t["data_point"]): t for t in illustrative_targets(CAT, ambition=0.25)}
    assert national.keys() == city.keys()
    stricter = 0
    for key, n in national.items():
        c = city[key]
        if n["direction"] == "higher":
            assert c["value"] >= n["value"]
        elif n["direction"] == "lower":
            assert c["value"] <= n["value"]
        else:
            assert c["range_high"] - c["range_low"] < n["range_high"] - n["range_low"]
        stricter += c["value"] != n["value"]
    assert stricter > len(national) / 2


def test_ambition_must_be_below_one():
    with pytest.raises(ValueError):
        illustrative_targets(CAT, ambition=1.0)


def test_development_follows_the_country_and_grows_with_size():
    assert development_level("NO", 100_000) > development_level("PT", 100_000)
    assert development_level("PT", 100_000) > development_level("UG", 100_000)
    assert development_level("CO", 5_000_000) > development_level("CO", 50_000)
    assert all(0 <= development_level(cc, 100_000) <= 1 for cc in COUNTRY_HDI)
    assert development_level("XX", 100_000) == development_level("xx", 100_000)


def test_a_profile_knows_heating_need_and_size():
    tromso = make_profile(
        key="tromso", name="Tromsø", country_code="no", population=41_915, latitude=69.65
    )
    singapore = make_profile(
        key="sg", name="Singapore", country_code="SG", population=5_638_700, latitude=1.29
    )
    assert tromso.country_code == "NO"
    assert tromso.heating == 1.0 and singapore.heating == 0.0
    assert tromso.log_size < 0 < singapore.log_size


def test_the_generated_data_scores_across_all_bands_against_the_national_targets():
    # given a year of generated data for a few cities and the illustrative national targets
    import numpy as np
    import pandas as pd

    from u4ssc.cli.score import catalogue_hierarchy
    from u4ssc.core.scoring.tables import score_tables
    from u4ssc.core.synthetic import generate

    cities = [
        make_profile(key=k, name=k, country_code=cc, population=p, latitude=lat)
        for k, cc, p, lat in [
            ("alesund", "NO", 52_626, 62.5),
            ("lisbon", "PT", 517_802, 38.7),
            ("kampala", "UG", 1_680_600, 0.3),
        ]
    ]
    rows = generate(CAT, cities, [2024], np.random.default_rng(2026))
    code = {k.key: k.code for k in CAT.kpis}  # the scoring tables take printed codes
    values = pd.DataFrame(
        [
            (r.city, r.year, code[r.kpi_key], r.data_point, r.value)
            for r in rows
            if r.value is not None
        ],
        columns=["city", "year", "kpi_code", "data_point", "value"],
    )
    targets = pd.DataFrame(
        [
            (
                code[t["kpi_key"]],
                t["data_point"],
                t["value"],
                t["direction"]
                if t["direction"] != "range"
                else f"range:{t['range_low']}-{t['range_high']}",
            )
            for t in illustrative_targets(CAT)
        ],
        columns=["kpi_code", "data_point", "target", "direction"],
    )
    # when they are scored
    table = score_tables(values, targets, catalogue_hierarchy(CAT)).to_long_table()
    # then every band occurs and the more developed city scores higher
    kpis = table[table["level"] == "kpi"]
    assert set(kpis["band"].dropna()) >= {1, 2, 3, 4}
    overall = table[table["level"] == "dimension"].groupby("city")["score"].mean()
    assert overall["alesund"] > overall["kampala"]
