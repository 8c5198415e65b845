"""Report documents say what the benchmarking data layer says, laid out for paper."""

from __future__ import annotations

import pytest
from django.utils import translation

from u4ssc.apps.benchmarking import charts as bench_charts
from u4ssc.apps.benchmarking import queries
from u4ssc.apps.catalogue.queries import default_target_set
from u4ssc.apps.reports import charts, content, sources
from u4ssc.apps.reports.tests.conftest import COUNT_KPI, NOT_REPORTED, PER_100K, YES_NO


def _snapshot(world, lang="en", year=2024):
    with translation.override(lang):
        profile = sources.city_profile(world.city, year, default_target_set())
        return profile, content.snapshot_document(profile, lang)


def test_snapshot_kpi_rows_are_the_profiles_tiles(world, publish):
    # given two published years, so that trends exist
    publish(year=2022)
    publish(year=2024)
    # when the snapshot of 2024 is made
    _profile, doc = _snapshot(world)
    # then it has one row per tile of the city's benchmarking profile, in the same order,
    # each data point of a tile on its own row, and the same band words
    page = queries.city_profile(world.city, 2024, default_target_set())
    assert [k["code"] for k in doc["kpis"]] == [t["kpi_code"] for t in page["tiles"]]
    assert len(doc["kpis"]) == 91 - len(NOT_REPORTED)
    for row, tile in zip(doc["kpis"], page["tiles"], strict=True):
        assert row["band"] == tile["band"]
        if tile["band"]:
            assert row["band_text"].replace("\u00a0", " ") == (
                f"{tile['band_icon']} {tile['band_label']}"
            )
        else:
            assert row["band_text"] == "not scored: no target in this set"
        assert [p["name"] for p in row["points"]] == [p["name"] for p in tile["data_points"]]
        for point, item in zip(row["points"], tile["data_points"], strict=True):
            assert point["band"] == item["band"]
    assert {k["trend"] for k in doc["kpis"] if k["band"]} - {""}  # 2022 -> 2024 gives trends
    # ... the KPIs not reported are listed by name, and the counts add up
    assert [k["code"] for k in doc["not_reported"]] == list(NOT_REPORTED)
    counts = {k: int(v) for k, v in doc["counts"].items()}
    assert counts["reported"] == page["coverage"]["kpis_reported"]
    assert counts["scored"] == page["coverage"]["kpis_scored"]
    assert counts["scored"] + counts["no_target"] == counts["reported"]
    assert counts["reported"] + counts["not_reported"] == 91


def test_snapshot_groups_and_legend_are_the_profiles(world, publish):
    publish()
    profile, doc = _snapshot(world)
    assert doc["legend"] == [
        {
            "band": b["band"],
            "text": f"{b['icon']} {b['label']}".replace(" %", "\u00a0%"),
            "colour": bench_charts.BAND_COLOURS[b["band"]],
        }
        for b in profile["target_set"]["bands"]
    ] + [{"band": 0, "text": "– not scored", "colour": bench_charts.BAND_COLOURS[0]}]
    assert [d["name"] for d in doc["dimensions"]] == [d["name"] for d in profile["dimensions"]]
    categories = [c for d in doc["dimensions"] for s in d["subdimensions"] for c in s["categories"]]
    assert [c["code"] for c in categories] == [c["code"] for c in profile["wheel"]]
    for row, cat in zip(categories, profile["wheel"], strict=True):
        assert row["scored"] == f"{cat['kpis_scored']} / {cat['kpis_with_target']}"
        if not cat["kpis_with_target"]:
            # an empty category says why instead of staying blank
            assert row["band_text"] == "not scored: no target in this set"
    assert doc["overall"]["band"] == profile["overall"]["band"]


def test_units_print_as_people_write_them(world, publish):
    publish()
    _, en = _snapshot(world, "en")
    _, nb = _snapshot(world, "nb")
    by_code_en = {k["code"]: k for k in en["kpis"]}
    by_code_nb = {k["code"]: k for k in nb["kpis"]}
    # a count has no unit ("44.56", not "44.56 number")
    assert "number" not in by_code_en[COUNT_KPI]["value"]
    assert by_code_en[COUNT_KPI]["value"] and by_code_en[COUNT_KPI]["unit"] == ""
    # units are in the report's language, and "100 000" never breaks
    assert by_code_en[PER_100K]["value"].endswith("per 100\u00a0000 inhabitants")
    assert by_code_nb[PER_100K]["value"].endswith("per 100\u00a0000 innbyggere")
    assert not any("inhabitants" in k["value"] + k["target"] for k in nb["kpis"])
    # a yes/no answer reads as one, target included
    assert (by_code_en[YES_NO]["value"], by_code_en[YES_NO]["target"]) == ("yes", "yes")
    assert (by_code_nb[YES_NO]["value"], by_code_nb[YES_NO]["target"]) == ("ja", "ja")
    # numbers follow the language
    assert any("," in k["value"] for k in nb["kpis"] if k["value"] and k["value"][0].isdigit())


def test_wheel_is_the_pages_wheel_with_every_name_in_full(world, publish):
    publish()
    with translation.override("nb"):
        profile = sources.city_profile(world.city, 2024, default_target_set())
        page = bench_charts.wheel_chart(profile, size=charts.WHEEL_SIZE)
        paper = charts.wheel(profile)
    # the page's layers and data, unchanged but for the decimal comma
    assert paper["layer"] == page["layer"]
    for name in ("categories", "dimensions"):
        assert [r | {"label": ""} for r in paper["datasets"][name]] == [
            r | {"label": ""} for r in page["datasets"][name]
        ]
    labels = [r["label"] for r in paper["datasets"]["categories"]]
    assert all("." not in label for label in labels) and any("," in label for label in labels)
    # every category named around the wheel in full, none cut short with "…"
    names = [r["lines"] for r in paper["datasets"]["categories"]]
    assert names == [[c["name"]] for c in profile["wheel"]]
    # the legend is printed below the chart by the report
    assert paper["config"]["legend"]["disable"] is True


def test_national_document_is_the_programme_view(world, publish):
    # given two member cities with two years, and a city of another hub
    for year in (2023, 2024):
        publish(world.city, year)
        publish(world.sister, year)
    publish(world.foreign, 2024)
    with translation.override("en"):
        view, comparison = sources.programme(world.national, 2024, default_target_set())
        doc = content.national_document(view, comparison, "en")
    # then the cities, their heatmaps, opportunities and progress are the programme view's
    assert [c["name"] for c in doc["cities"]] == ["Trondheim", "Ålesund"]
    assert [r["name"] for r in doc["heatmap"]] == ["Trondheim", "Ålesund"]
    assert [c["code"] for c in doc["categories"]] == [
        g["code"] for g in comparison["groups"] if g["level"] == "category"
    ]
    assert len(doc["categories"]) == 27
    assert [k["code"] for k in doc["kpi_columns"]] == [k["kpi_code"] for k in view["kpis"]]
    assert [(o["code"], o["short"], o["reported"]) for o in doc["opportunities"]] == [
        (o["kpi_code"], str(o["n_short"]), str(o["n_reported"]))
        for o in view["shared_opportunities"]
    ]
    assert doc["years"] == ["2023", "2024"]
    assert [len(p["cells"]) for p in doc["progress"]] == [2, 2]
    # the dimension panels come in the catalogue's order, the KPI heatmap one per dimension
    assert doc["charts"]["dimensions"]["facet"]["column"]["sort"] == [
        "Economy",
        "Environment",
        "Society and Culture",
    ]
    heat = [n for n in doc["charts"] if n.startswith("heatmap-")]
    assert sum(len(doc["charts"][n]["datasets"]["cells"]) for n in heat) == 2 * len(view["kpis"])


def test_shared_opportunity_of_a_multi_point_kpi_names_each_short_data_point(world, publish):
    from u4ssc.apps.benchmarking.tests.conftest import AIR, make_target_set

    # given two member cities whose air pollution misses PM2.5 <= 10 and NO2 <= 10
    publish(world.city)
    publish(world.sister)
    strict = make_target_set(
        world.programme,
        {(AIR, "pm2_5"): ("lower", 10.0, None, None), (AIR, "no2"): ("lower", 10.0, None, None)},
    )
    with translation.override("en"):
        view, comparison = sources.programme(world.national, 2024, strict)
        doc = content.national_document(view, comparison, "en")
    [air] = [o for o in doc["opportunities"] if o["code"] == AIR]
    values = {
        p["data_point"]: p["value"]
        for c in view["shared_opportunities"][0]["cities"][:1]
        for p in c["data_points_short"]
    }
    # then each city says, per data point, its value, the target, how far and the achievement
    city = air["cities"][0]
    assert {p["name"] for p in city["points"]} == {"NO2", "PM2.5"}
    no2 = next(p for p in city["points"] if p["name"] == "NO2")
    gap = values["no2"] - 10.0
    assert no2["target"] == "≤ 10 µg/m³"
    assert no2["gap"] == content.value_text(gap, "µg/m³")
    assert no2["score"] == content.fmt_score(100 * 10.0 / values["no2"])
    # as numbers too (the xlsx), and the band in words and dots, not by colour alone
    assert no2["value_number"] == values["no2"] and no2["gap_number"] == gap
    assert no2["score_number"] == pytest.approx(100 * 10.0 / values["no2"], abs=1e-6)
    assert no2["band"] == 1 and no2["band_text"] == "●○○○ less than 33\u00a0% of target"
    assert air["has_points"] and air["target"] == ""


def test_sdsn_scores_are_printed_as_points_without_a_percent_sign(world, publish):
    from u4ssc.apps.benchmarking.tests.conftest import INTERNET, make_target_set

    publish()
    publish(world.sister)
    sdsn = make_target_set(
        world.programme, {(INTERNET, ""): ("higher", 90.0, None, None)}, method="sdsn"
    )
    with translation.override("en"):
        doc = content.snapshot_document(sources.city_profile(world.city, 2024, sdsn), "en")
    [internet] = [k for k in doc["kpis"] if k["code"] == INTERNET]
    assert internet["score"] and "%" not in internet["score"]
    assert doc["overall"]["score"] and "%" not in doc["overall"]["score"]
    assert content.fmt_score(58.26) == "58.3 %" and content.fmt_score(58.26, False) == "58.3"
