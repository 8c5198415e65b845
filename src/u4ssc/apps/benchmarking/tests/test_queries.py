"""The data layer shared by pages, API and reports: shapes and numbers."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from u4ssc.apps.benchmarking import queries
from u4ssc.apps.benchmarking.tests.conftest import (
    AIR,
    BROADBAND,
    COVERAGE,
    INTERNET,
    PATENTS,
    UNEMPLOYMENT,
    make_target_set,
    publish,
)
from u4ssc.apps.catalogue.models import TargetSetKind
from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, targets):
    """Ålesund 2016 and 2020, Trondheim 2020, Linz 2020."""
    publish(world.city, 2016, {UNEMPLOYMENT: 10.0, INTERNET: 80.0})
    publish(
        world.city,
        2020,
        {
            UNEMPLOYMENT: 8.0,
            INTERNET: 84.51,
            PATENTS: 12.0,
            AIR: {"pm2_5": 6.0, "no2": 20.0, "pm10": 30.0},
        },
        source="SSB table 123",
        quality=1,
    )
    publish(world.sister, 2020, {UNEMPLOYMENT: 3.0, INTERNET: 95.0}, synthetic=True)
    publish(world.foreign, 2020, {UNEMPLOYMENT: 5.0, INTERNET: 70.0})
    return world


def tile(profile, code):
    return next(t for t in profile["tiles"] if t["kpi_code"] == code)


# ------------------------------------------------------------------ profile


def test_profile_tiles_carry_value_target_points_band_and_source(data, targets):
    profile = queries.city_profile(data.city, 2020, targets)

    internet = tile(profile, INTERNET)
    assert internet["value"] == pytest.approx(84.51)
    assert internet["target"] == 100.0
    assert internet["direction"] == "higher"
    assert internet["target_text"] == "≥ 100"
    assert internet["score"] == pytest.approx(84.51)
    assert internet["points"] == 3
    assert (internet["band"], internet["band_label"], internet["band_icon"]) == (
        3,
        "66-95 %",
        "●●●○",
    )
    assert internet["source"] == "SSB table 123"
    assert internet["quality"] == 1
    assert internet["quality_label"] == "Based on accurate measurements"
    assert internet["is_synthetic"] is False
    assert internet["history"][0]["series"] == [
        {"year": 2016, "value": 80.0},
        {"year": 2020, "value": 84.51},
    ]

    unemployment = tile(profile, UNEMPLOYMENT)
    assert unemployment["score"] == pytest.approx(50.0)  # 4 / 8
    assert unemployment["band_label"] == "33-66 %"


def test_profile_says_which_kpis_are_not_scored_for_want_of_a_target(data, targets):
    profile = queries.city_profile(data.city, 2020, targets)
    patents = tile(profile, PATENTS)
    assert patents["status"] == "no_target"
    assert patents["band"] == 0 and patents["score"] is None
    assert profile["coverage"] == {
        "kpis_reported": 4,
        "kpis_scored": 3,
        "kpis_with_target": 6,
        "kpis_total": 91,
        "not_scored": [PATENTS],
    }


def test_profile_trend_arrow_and_projected_year(data, targets):
    # unemployment 10 % (2016) -> 8 % (2020), target 4 %: 0.5 points a year, 2028
    unemployment = tile(queries.city_profile(data.city, 2020, targets), UNEMPLOYMENT)
    assert unemployment["trend_arrow"] == "↑"
    assert unemployment["trend_label"] == "on track or maintaining"
    assert unemployment["projection"] == "projected"
    assert unemployment["projected_year"] == 2028
    assert unemployment["projection_text"] == "target reached by 2028 at this pace"


def test_profile_not_at_this_pace_when_moving_away(world, targets):
    publish(world.city, 2018, {UNEMPLOYMENT: 6.0})
    publish(world.city, 2020, {UNEMPLOYMENT: 7.0})
    unemployment = tile(queries.city_profile(world.city, 2020, targets), UNEMPLOYMENT)
    assert unemployment["trend_arrow"] == "↓"
    assert unemployment["projection"] == "not at this pace"
    assert unemployment["projected_year"] is None
    assert unemployment["projection_text"] == "not at this pace"


def test_profile_data_points_and_u4ssc_kpi_points(data, targets):
    air = tile(queries.city_profile(data.city, 2020, targets), AIR)
    # PM2.5 5/6 = 83 % -> 3 points; NO2 10/20 = 50 % -> 2 points; PM10 has no target
    points = {p["data_point"]: p for p in air["data_points"]}
    assert points["pm2_5"]["points"] == 3 and points["no2"]["points"] == 2
    assert points["pm10"]["status"] == "no_target"
    assert points["pm2_5"]["name"] == "PM2.5"
    assert air["points"] == pytest.approx(2.5)
    assert air["score"] == pytest.approx(62.5)  # 2.5 / 4, the number its band comes from
    assert air["band"] == 2


def test_profile_wheel_and_nested_dimensions(data, targets):
    profile = queries.city_profile(data.city, 2020, targets)
    assert len(profile["wheel"]) == 27  # categories are (dimension, sub-dimension, code)
    ict = next(c for c in profile["wheel"] if c["code"] == "EC: ICT: ICT")
    assert (ict["score"], ict["band"], ict["kpis_scored"]) == (75.0, 3, 1)
    assert ict["kpis_with_target"] == 3 and ict["kpis_total"] == 5
    economy = profile["dimensions"][0]
    assert economy["name"] == "Economy"
    # Internet 3 points + unemployment 2 points = 5 / 8
    assert economy["score"] == pytest.approx(62.5)
    assert [s["subdimension_code"] for s in economy["subdimensions"]] == ["ICT", "P", "I"]
    assert economy["subdimensions"][0]["categories"][0]["code"] == "EC: ICT: ICT"
    # overall: Internet 3, unemployment 2, air 2.5 -> 7.5 / 12
    assert profile["overall"]["score"] == pytest.approx(62.5)


def test_profile_defaults_to_the_latest_year_and_lists_years(data, targets):
    profile = queries.city_profile(data.city, None, targets)
    assert profile["year"] == 2020
    assert profile["years"] == [2016, 2020]
    assert queries.city_profile(data.city, 2019, targets)["has_data"] is False


def test_profile_marks_synthetic_data(data, targets):
    profile = queries.city_profile(data.sister, 2020, targets)
    assert profile["is_synthetic"] is True
    assert all(t["is_synthetic"] for t in profile["tiles"])


def test_profile_of_a_city_without_data(world, targets):
    profile = queries.city_profile(world.city, None, targets)
    assert profile["has_data"] is False and profile["tiles"] == []
    assert profile["target_set"]["kpis_with_target"] == 6


def test_profile_is_json_ready_and_speaks_norwegian(data, targets):
    with translation.override("nb"):
        profile = queries.city_profile(data.city, 2020, targets)
    json.dumps(profile, default=str)  # datetimes aside, plain data
    assert tile(profile, INTERNET)["name"] == "Husholdninger med internettilgang"
    assert profile["dimensions"][0]["name"] == "Økonomi"
    assert profile["target_set"]["bands"][0]["label"] == "95 %+ av målet"


# ------------------------------------------------------------------ explain


def test_explain_gives_the_working_and_the_values_context(data, targets):
    working = queries.explain(data.city, 2020, INTERNET, None, targets)
    assert working["formula"] == "achievement = value / target x 100 (capped to 0-100 %)"
    assert working["working"] == "84.51 / 100 x 100 = 84.51 %"
    assert working["points"] == 3
    assert working["band_label"] == "66-95 %"
    assert working["source"] == "SSB table 123"
    assert working["unit"] == "%"
    assert working["trend"]["baseline_year"] == 2016
    assert working["trend"]["baseline_value"] == 80.0
    assert working["city"]["name"] == "Ålesund"


def test_explain_a_data_point_and_a_whole_multi_point_kpi(data, targets):
    point = queries.explain(data.city, 2020, AIR, "PM2.5", targets)
    assert point["data_point"] == "pm2_5"
    assert point["working"] == "5 / 6 x 100 = 83.33333333 %"
    whole = queries.explain(data.city, 2020, AIR, None, targets)
    assert whole["working"] == "2.5 / 4 x 100 = 62.5 %"
    assert {p["data_point"] for p in whole["data_points"]} >= {"pm2_5", "no2"}


def test_explain_refuses_what_was_not_published(data, targets):
    with pytest.raises(LookupError):
        queries.explain(data.city, 2019, INTERNET, None, targets)
    with pytest.raises(LookupError):
        queries.explain(data.city, 2020, BROADBAND, None, targets)  # not reported
    with pytest.raises(LookupError):
        queries.explain(data.city, 2020, "XX: YY", None, targets)


# ------------------------------------------------------------------ KPI overview


def test_kpi_overview_lists_every_city_with_distribution_and_ranking(data, targets):
    overview = queries.kpi_overview(INTERNET, None, targets, city=data.city)
    assert overview["year"] == 2020
    names = [r["city"]["name"] for r in overview["rows"]]
    assert names == ["Linz", "Trondheim", "Ålesund"]
    assert [r["highlighted"] for r in overview["rows"]] == [False, False, True]
    assert overview["distribution"]["median"] == pytest.approx(84.51)
    assert overview["distribution"]["n"] == 3
    assert [(r["rank"], r["city"]["name"]) for r in overview["ranking"]] == [
        (1, "Trondheim"),
        (2, "Ålesund"),
        (3, "Linz"),
    ]
    counts = {b["band"]: b["n"] for b in overview["band_counts"]}
    assert counts == {4: 1, 3: 2, 2: 0, 1: 0}
    assert "not significant" in overview["ranking_caveat"]


def test_kpi_overview_ranks_within_a_peer_group(data, targets):
    peers = queries.peers_of(data.city, "national_programme")
    assert peers is not None and data.foreign.pk not in peers.city_ids
    overview = queries.kpi_overview(INTERNET, 2020, targets, city=data.city, peers=peers)
    assert [r["city"]["name"] for r in overview["ranking"]] == ["Trondheim", "Ålesund"]
    assert overview["peers"]["label"].startswith("Same national programme")
    assert len(overview["rows"]) == 3  # the distribution still shows every city


def test_kpi_overview_ties_share_a_rank_and_unscored_kpis_rank_by_value(world, targets):
    publish(world.city, 2020, {INTERNET: 100.0, PATENTS: 5.0})
    publish(world.sister, 2020, {INTERNET: 120.0, PATENTS: 9.0})
    publish(world.foreign, 2020, {INTERNET: 50.0, PATENTS: 1.0})
    tied = queries.kpi_overview(INTERNET, 2020, targets)
    assert [r["rank"] for r in tied["ranking"]] == [1, 1, 3]  # both meet the target
    by_value = queries.kpi_overview(PATENTS, 2020, targets)
    assert by_value["scored"] is False
    assert [r["city"]["name"] for r in by_value["ranking"]] == ["Trondheim", "Ålesund", "Linz"]


def test_kpi_overview_of_a_data_point(data, targets):
    overview = queries.kpi_overview(AIR, None, targets, data_point="no2")
    assert overview["data_point"] == "no2"
    assert overview["target"] == 10.0
    assert overview["unit"] == "µg/m³"
    assert [r["value"] for r in overview["rows"]] == [20.0]
    first = queries.kpi_overview(COVERAGE, None, targets)
    assert first["data_point"] == "3g" and first["rows"] == []


# ------------------------------------------------------------------ comparison


def test_compare_puts_cities_side_by_side_in_their_order(data, targets):
    comparison = queries.compare([data.sister, data.city, data.foreign], None, targets)
    assert comparison["year"] == 2020
    assert [c["name"] for c in comparison["cities"]] == ["Trondheim", "Ålesund", "Linz"]
    internet = next(k for k in comparison["kpis"] if k["kpi_code"] == INTERNET)
    assert [c["score"] for c in internet["cells"]] == [95.0, pytest.approx(84.51), 70.0]
    air = next(k for k in comparison["kpis"] if k["kpi_code"] == AIR)
    assert air["cells"][0] is None and air["cells"][1]["band"] == 2
    economy = comparison["groups"][0]
    assert economy["level"] == "dimension" and len(economy["cells"]) == 3
    assert [g["level"] for g in comparison["groups"][:3]] == [
        "dimension",
        "subdimension",
        "category",
    ]
    assert comparison["is_synthetic"] is True  # Trondheim's values are synthetic


def test_compare_gives_each_data_point_its_target_and_each_kpi_its_place(data, targets):
    comparison = queries.compare([data.sister, data.city], 2020, targets)
    air = next(k for k in comparison["kpis"] if k["kpi_code"] == AIR)
    assert air["has_data_points"] is True
    assert (air["dimension"], air["subdimension"], air["category"]) == (
        "Environment",
        "Environment",
        "Air Quality",
    )
    assert air["category_code"] == "EN: EN: AQ"
    # the data points Ålesund reported, in catalogue order, each with its own target
    points = {p["data_point"]: p for p in air["data_points"]}
    assert list(points) == ["pm2_5", "pm10", "no2"]
    assert points["pm2_5"]["target_text"] == "≤ 5"
    assert points["no2"]["target_text"] == "≤ 10"
    assert points["pm10"]["target_text"] == ""  # no target in the test set
    assert points["no2"]["cells"][0] is None  # Trondheim did not report it
    assert points["no2"]["cells"][1]["value"] == 20.0
    assert points["no2"]["cells"][1]["band"] == 2  # 10/20 = 50 %
    internet = next(k for k in comparison["kpis"] if k["kpi_code"] == INTERNET)
    assert internet["data_points"] == [] and internet["target_text"] == "≥ 100"


def test_compare_a_city_without_data_that_year(data, targets):
    comparison = queries.compare([data.city, data.sister], 2016, targets)
    assert [c["has_data"] for c in comparison["cities"]] == [True, False]
    internet = next(k for k in comparison["kpis"] if k["kpi_code"] == INTERNET)
    assert internet["cells"][1] is None


# ------------------------------------------------------------------ programme view


def test_programme_view_heatmap_shared_opportunities_and_progress(world, targets):
    third = Organisation.objects.create(kind=OrgKind.CITY, name="Bergen", slug="bergen")
    Membership.objects.create(group=world.national, member=third)
    publish(world.city, 2019, {INTERNET: 60.0})
    publish(world.city, 2020, {INTERNET: 70.0, UNEMPLOYMENT: 3.0})
    publish(world.sister, 2020, {INTERNET: 50.0, UNEMPLOYMENT: 8.0})
    publish(third, 2020, {INTERNET: 99.0, UNEMPLOYMENT: 3.5})
    publish(world.foreign, 2020, {INTERNET: 10.0})  # not a member

    view = queries.programme_view(world.national, None, targets)

    assert view["year"] == 2020
    assert [c["name"] for c in view["cities"]] == ["Bergen", "Trondheim", "Ålesund"]
    assert [k["kpi_code"] for k in view["kpis"]] == [INTERNET, UNEMPLOYMENT]
    assert [line["city"]["name"] for line in view["heatmap"]] == [
        "Bergen",
        "Trondheim",
        "Ålesund",
    ]
    assert [cell["band"] for cell in view["heatmap"][1]["cells"]] == [2, 2]
    # Internet: Ålesund (70 %) and Trondheim (50 %) fall short of 95 %; Bergen does not.
    # Unemployment: only Trondheim falls short: one city is not a shared opportunity.
    [shared] = view["shared_opportunities"]
    assert shared["kpi_code"] == INTERNET
    assert (shared["n_short"], shared["n_reported"]) == (2, 3)
    assert [c["city"]["name"] for c in shared["cities"]] == ["Trondheim", "Ålesund"]
    assert [c["gap"] for c in shared["cities"]] == [50.0, 30.0]
    progress = {p["city"]["name"]: p["series"] for p in view["progress"]}
    assert [(s["year"], s["score"]) for s in progress["Ålesund"]] == [(2019, 50.0), (2020, 87.5)]


def test_shared_opportunity_of_a_multi_point_kpi_lists_each_short_data_point(world, targets):
    # given air pollution against PM2.5 <= 5 and NO2 <= 10: Ålesund misses both by half,
    # Trondheim misses PM2.5 a little and meets NO2
    publish(world.city, 2020, {AIR: {"pm2_5": 10.0, "no2": 20.0}})
    publish(world.sister, 2020, {AIR: {"pm2_5": 6.0, "no2": 8.0}})

    view = queries.programme_view(world.national, 2020, targets)

    [shared] = view["shared_opportunities"]
    assert shared["kpi_code"] == AIR and shared["has_data_points"]
    by_city = {c["city"]["name"]: c for c in shared["cities"]}
    # then each city names the data points it falls short on, with value, target, distance
    # and achievement, furthest first
    alesund = [
        (p["name"], p["value"], p["target_text"], p["gap"], p["score"], p["band"])
        for p in by_city["Ålesund"]["data_points_short"]
    ]
    assert alesund == [("NO2", 20.0, "≤ 10", 10.0, 50.0, 2), ("PM2.5", 10.0, "≤ 5", 5.0, 50.0, 2)]
    [trondheim] = by_city["Trondheim"]["data_points_short"]
    assert (trondheim["name"], trondheim["gap"], trondheim["unit"]) == ("PM2.5", 1.0, "µg/m³")
    assert round(trondheim["score"], 2) == 83.33
    # the KPI's own score is the mean of its data points' points as a share of 4
    assert by_city["Trondheim"]["score"] == 87.5 and by_city["Ålesund"]["score"] == 50.0


def test_programme_view_prefers_the_national_target_set(world, targets):
    national = make_target_set(
        world.national,
        {(INTERNET, ""): ("higher", 80.0, None, None)},
        name="Norway",
        slug="norway",
        kind=TargetSetKind.NATIONAL,
    )
    chosen, sets = queries.target_set_choice(owner=world.national)
    assert chosen == national
    assert {s.slug for s in sets} >= {"norway", "test-targets", "u4ssc-default"}
    default, _sets = queries.target_set_choice()
    assert default.slug == "u4ssc-default"
    with pytest.raises(LookupError):
        queries.target_set_choice("nope")


def test_city_summary(data, targets):
    summary = queries.city_summary(data.city, targets)
    assert summary["has_data"] and summary["year"] == 2020
    assert summary["overall"]["score"] == pytest.approx(62.5)
    newcomer = Organisation.objects.create(kind=OrgKind.CITY, name="Molde", slug="molde")
    assert queries.city_summary(newcomer, targets)["has_data"] is False


# ------------------------------------------------------------------ query counts


def _profile_queries(city):
    chosen, _sets = queries.target_set_choice("test-targets")
    queries.city_profile(city, None, chosen)  # builds the board when the data changed
    chosen, _sets = queries.target_set_choice("test-targets")
    with CaptureQueriesContext(connection) as ctx:
        profile = queries.city_profile(city, None, chosen)
    return len(ctx.captured_queries), profile


def test_profile_reads_do_not_grow_with_cities_or_kpis(world, targets):
    publish(world.city, 2020, {INTERNET: 84.51})
    few, profile = _profile_queries(world.city)
    assert len(profile["tiles"]) == 1

    # when 30 more cities publish and Ålesund reports more KPIs and years
    for i in range(30):
        city = Organisation.objects.create(kind=OrgKind.CITY, name=f"City {i}", slug=f"c-{i}")
        publish(city, 2020, {INTERNET: 50.0 + i, UNEMPLOYMENT: 5.0, PATENTS: 3.0})
    publish(world.city, 2021, {INTERNET: 90.0, UNEMPLOYMENT: 6.0, PATENTS: 2.0, AIR: {"no2": 9}})

    many, profile = _profile_queries(world.city)
    assert len(profile["tiles"]) == 4
    assert many == few == 1  # the sources of the year's values; the board is in memory


def test_the_cli_reads_every_kpi_slug_the_pages_write():
    # `u4ssc score` accepts codes in the URL slug form; it must be the pages' slug for all
    from u4ssc.apps.catalogue.views import kpi_slug
    from u4ssc.cli.score import kpi_url_slug
    from u4ssc.core.catalogue import load_catalogue

    codes = [k.code for k in load_catalogue().kpis]
    assert [kpi_url_slug(c) for c in codes] == [kpi_slug(c) for c in codes]
    assert len({kpi_url_slug(c) for c in codes}) == len(codes)
