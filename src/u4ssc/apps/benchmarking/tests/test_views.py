"""The benchmarking pages through Django's test client."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from u4ssc.apps.benchmarking.tests.conftest import (
    AIR,
    GENDER,
    INTERNET,
    PATENTS,
    UNEMPLOYMENT,
    make_target_set,
    publish,
)
from u4ssc.apps.benchmarking.widgets import WHEEL_FRAME
from u4ssc.apps.catalogue.models import TargetSetKind
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State
from u4ssc.apps.organisations.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db
Q = "?targets=test-targets"


@pytest.fixture
def data(world, targets):
    world.city.latitude, world.city.longitude = 62.47, 6.15
    world.city.save(update_fields=["latitude", "longitude"])
    publish(world.city, 2016, {UNEMPLOYMENT: 10.0, INTERNET: 80.0})
    publish(
        world.city,
        2020,
        {UNEMPLOYMENT: 8.0, INTERNET: 84.51, PATENTS: 12.0, AIR: {"pm2_5": 6.0, "no2": 20.0}},
    )
    publish(world.sister, 2020, {UNEMPLOYMENT: 3.0, INTERNET: 60.0}, synthetic=True)
    publish(world.foreign, 2020, {UNEMPLOYMENT: 5.0, INTERNET: 70.0})
    return world


def specs(html: str) -> dict[str, dict]:
    found = re.findall(
        r'<script type="application/json" data-vega-spec="([^"]+)">(.*?)</script>', html, re.S
    )
    return {name: json.loads(body) for name, body in found}


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------ profile


def test_profile_shows_wheel_tiles_target_set_and_what_is_not_scored(client, data):
    response = client.get(f"/benchmarking/cities/alesund/{Q}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Benchmarking profile of Ålesund · 2020" in html
    assert "Scored against <strong>Test targets</strong>" in html
    assert "6 of 91 KPIs have a target in this set" in html
    assert "1 reported KPI is not scored: it has no target in this set." in html
    assert "1 KPI not scored (no target in this set)" in html  # Patents, in a table
    assert 'id="tile-ec-p-in-2c"' not in html
    assert 'src="/assets/vega-bundle.js"' in html
    wheel = specs(html)["chart-wheel"]
    assert len(wheel["datasets"]["categories"]) == 27
    # a tile: value, band by colour class and by text, working link
    assert 'class="tile band-3" id="tile-ec-ict-ict-1c"' in html
    assert "●●●○</span> 66-95 %" in html
    assert (
        'href="/benchmarking/cities/alesund/2020/working/ec-ict-ict-1c/?targets=test-targets"'
        in (html)
    )
    assert "target reached by 2028 at this pace" in html  # unemployment


def test_profile_year_tabs_swap_the_body_with_htmx(client, data):
    full = client.get(f"/benchmarking/cities/alesund/2016/{Q}").content.decode()
    assert 'id="year-2016"' in full and 'aria-current="page">2016' in full
    partial = client.get(f"/benchmarking/cities/alesund/2016/{Q}", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body
    assert "Benchmarking profile of Ålesund · 2016" in body
    assert "chart-wheel" in body


def test_profile_of_a_year_without_data_is_not_found(client, data):
    assert client.get("/benchmarking/cities/alesund/2018/").status_code == 404
    assert client.get("/benchmarking/cities/nowhere/").status_code == 404
    assert client.get("/benchmarking/cities/alesund/?targets=nope").status_code == 404


def test_profile_marks_synthetic_data(client, data):
    html = client.get(f"/benchmarking/cities/trondheim/{Q}").content.decode()
    assert "synthetic-banner" in html
    assert html.count('class="badge synthetic"') >= 3  # heading and each tile


def test_profile_csv_has_every_kpi_and_data_point(client, data):
    rows = csv_rows(client.get(f"/benchmarking/cities/alesund/2020/{Q}&format=csv"))
    assert {(r["kpi_code"], r["data_point"]) for r in rows} == {
        (UNEMPLOYMENT, ""),
        (INTERNET, ""),
        (PATENTS, ""),
        (AIR, "pm2_5"),
        (AIR, "no2"),
    }
    internet = next(r for r in rows if r["kpi_code"] == INTERNET)
    assert internet["band_label"] == "66-95 %" and internet["synthetic"] == "no"
    assert internet["target_set"] == "test-targets"


def test_profile_wheel_csv_has_every_group(client, data):
    rows = csv_rows(client.get(f"/benchmarking/cities/alesund/2020/{Q}&format=csv&table=wheel"))
    assert len(rows) == 3 + 7 + 27  # dimensions, sub-dimensions, categories
    ict = next(r for r in rows if r["code"] == "EC: ICT: ICT")
    assert (ict["level"], ict["score"], ict["band_label"]) == ("category", "75.0", "66-95 %")


def test_group_page_links_to_the_programme_view(client, data):
    html = client.get(f"/organisations/{data.national.slug}/").content.decode()
    assert f'href="/benchmarking/programmes/{data.national.slug}/"' in html


def test_profile_page_queries_do_not_grow_with_cities_or_values(client, data):
    def count() -> int:
        client.get(f"/benchmarking/cities/alesund/{Q}")  # builds the board if data changed
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/benchmarking/cities/alesund/{Q}").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(25):
        city = Organisation.objects.create(kind=OrgKind.CITY, name=f"Town {i}", slug=f"t-{i}")
        publish(city, 2020, {INTERNET: 40.0 + i, UNEMPLOYMENT: 4.0 + i / 10, PATENTS: 1.0})
    publish(data.city, 2021, {INTERNET: 90.0, UNEMPLOYMENT: 7.0, PATENTS: 2.0, AIR: {"o3": 50}})
    after = count()
    assert after == before
    assert before <= 6


# ------------------------------------------------------------------ working


def test_working_loads_into_the_tile_with_htmx_and_stands_alone_without(client, data):
    url = f"/benchmarking/cities/alesund/2020/working/ec-p-em-1c/{Q}"
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "achievement = target / value x 100" in partial
    assert "4 / 8 x 100 = 50 %" in partial
    assert "from 10 in 2016 to 8 in 2020" in partial
    assert "target reached by 2028 at this pace" in partial
    full = client.get(url).content.decode()
    assert "<html" in full and "how it is computed" in full
    assert client.get("/benchmarking/cities/alesund/2020/working/ec-ict-ict-2c/").status_code == 404


def test_working_of_a_multi_point_kpi_shows_each_point(client, data):
    html = client.get(f"/benchmarking/cities/alesund/2020/working/en-en-aq-1c/{Q}").content
    text = html.decode()
    assert "2.5 / 4 x 100 = 62.5 %" in text
    assert "PM2.5" in text and "NO2" in text


def test_working_speaks_norwegian(client, data):
    html = client.get(f"/nb/benchmarking/cities/alesund/2020/working/ec-p-em-1c/{Q}").content
    text = html.decode()
    assert "måloppnåelse = mål / verdi x 100" in text
    assert "målet nås innen 2028 i dette tempoet" in text


# ------------------------------------------------------------------ history


def test_history_page_chart_table_and_csv(client, data):
    html = client.get(f"/benchmarking/cities/alesund/history/ec-p-em-1c/{Q}").content.decode()
    chart = specs(html)["chart-history"]
    assert [r["year"] for r in chart["datasets"]["series"]] == [2016, 2020]
    assert chart["datasets"]["target"] == [
        {"series": "Unemployment Rate", "target": 4.0, "label": "≤ 4 %", "colour": "#1b9e77"}
    ]
    assert "Target: ≤ 4 % (the dashed line)." in html
    rows = csv_rows(client.get(f"/benchmarking/cities/alesund/history/ec-p-em-1c/{Q}&format=csv"))
    assert [(r["year"], r["value"]) for r in rows] == [("2016", "10.0"), ("2020", "8.0")]


def test_history_of_data_points_names_each_target_and_shows_four_figures(client, data):
    # given Ålesund's air pollution with values that have more figures than are useful
    publish(data.city, 2021, {AIR: {"pm2_5": 5.6, "no2": 12.34567, "pm10": 0.12345}})
    html = client.get(f"/benchmarking/cities/alesund/history/en-en-aq-1c/{Q}").content.decode()
    # then a note lists each data point's own target (PM10 has none in the set)
    note = _text(html[html.index('<ul class="history-targets">') :].split("</ul>")[0])
    assert note == "PM2.5: ≤ 5 µg/m³ PM10: no target in this set NO2: ≤ 10 µg/m³"
    assert "its own target, drawn as a dashed line in the colour of its data point" in html
    chart = specs(html)["chart-history"]
    assert {t["series"] for t in chart["datasets"]["target"]} == {"PM2.5", "NO2"}
    # and the table shows four significant figures, without padding zeros
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    values = re.findall(r'<td class="num">([^ <]+)', table)
    assert {"5.6", "12.35", "0.1235", "6", "20"} <= set(values), values
    assert not [v for v in values if re.fullmatch(r"\d+\.\d*0", v)], values
    # in Bokmål too
    nb = client.get(f"/nb/benchmarking/cities/alesund/history/en-en-aq-1c/{Q}").content.decode()
    assert '<td class="num">5,6 ' in nb and '<td class="num">0,1235 ' in nb


# ------------------------------------------------------------------ KPI page


def test_kpi_page_values_distribution_map_ranking_and_caveat(client, data):
    url = f"/benchmarking/kpis/ec-ict-ict-1c/{Q}&city=alesund&peers=national_programme"
    html = client.get(url).content.decode()
    charts = specs(html)
    assert set(charts) == {"chart-distribution", "chart-map", "chart-ranking"}
    ranking = charts["chart-ranking"]["datasets"]["ranking"]
    assert [r["label"] for r in ranking] == ["1. Ålesund", "2. Trondheim"]  # Linz is not a peer
    assert [r["chosen"] for r in ranking] == [True, False]
    assert len(charts["chart-map"]["datasets"]["cities"]) == 1  # only Ålesund has coordinates
    assert "are not significant" in html
    assert 'href="/kpis/ec-ict-ict-1c/"' in html  # back to the catalogue page
    rows = csv_rows(client.get(url + "&format=csv"))
    assert {r["city"]: r["synthetic"] for r in rows} == {
        "Linz": "no",
        "Trondheim": "yes",
        "Ålesund": "no",
    }


def test_kpi_page_of_a_kpi_without_target_says_so(client, data):
    html = client.get(f"/benchmarking/kpis/ec-p-in-2c/{Q}").content.decode()
    assert "Not scored: this KPI has no target in this set" in html


def test_catalogue_kpi_page_links_to_the_data_page(client, data):
    html = client.get("/kpis/ec-ict-ict-1c/").content.decode()
    assert 'href="/benchmarking/kpis/ec-ict-ict-1c/"' in html
    assert "3 cities published this KPI for 2020." in html


# ------------------------------------------------------------------ compare


def test_compare_three_cities(client, data):
    html = client.get(
        f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&cities=linz"
    ).content.decode()
    chart = specs(html)["chart-compare"]
    cities = {r["city"] for r in chart["datasets"]["dimensions"]}
    assert cities == {"Ålesund", "Trondheim", "Linz"}
    assert html.count('<th scope="col"><a href="/benchmarking/cities/') == 3
    assert "synthetic-banner" in html  # Trondheim's values


def test_compare_shows_data_point_targets_under_the_kpi_hierarchy(client, data):
    html = client.get(f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim").content
    kpis = html.decode().split('id="compare-kpis-caption"')[1].split("</table>")[0]
    # each data point has its own row, its own target and a row header naming its KPI
    pm = re.search(r'<tr class="tree-point"><th scope="row">(.*?)</th><td>(.*?)</td>', kpis)
    assert pm is not None
    # (as a screen reader reads it: without what is hidden from it)
    spoken = re.sub(r'<span aria-hidden="true">.*?</span>', "", pm.group(1))
    header = " ".join(unescape(re.sub(r"<[^>]+>", "", spoken)).split())
    assert header == f"{AIR}, data point: PM2.5"
    assert pm.group(2) == "≤ 5 µg/m³"
    no2 = kpis.split("</span> NO2</th>")[1].split("</tr>")[0]
    assert no2.startswith("<td>≤ 10 µg/m³</td>")
    assert "20 µg/m³" in no2 and "●●○○" in no2 and "<td>–</td>" in no2  # Trondheim: none
    air = kpis.split(f'<span class="kpi-code">{AIR}</span>')[1].split("</tr>")[0]
    assert "per data point, below" in air and "none: not scored" not in air
    # the hierarchy: heading rows for each rowgroup (one tbody per category), in order
    headings = re.findall(
        r'<th scope="rowgroup" colspan="4"><span class="tree-level">([^<]+)</span> ([^<]+)</th>',
        kpis,
    )
    assert headings[:3] == [
        ("Dimension:", "Economy"),
        ("Sub-dimension:", "ICT"),
        ("Category:", "ICT Infrastructure"),
    ]
    assert ("Category:", "Air Quality") in headings
    assert (
        kpis.count("<tbody>")
        == kpis.count("</tbody>")
        == sum(1 for level, _ in headings if level == "Category:")
    )
    order = [
        kpis.index("Economy</th>"),
        kpis.index(INTERNET),
        kpis.index("Employment</th>"),
        kpis.index(UNEMPLOYMENT),
        kpis.index("Environment</th>"),
        kpis.index(AIR),
        kpis.index("</span> PM2.5</th>"),
    ]
    assert order == sorted(order)


def test_compare_refuses_one_city_or_seven(client, data):
    one = client.get("/benchmarking/compare/?cities=alesund").content.decode()
    assert "Choose at least two cities to compare." in one
    seven = "&".join(f"cities={s}" for s in ["alesund", "trondheim", "linz"] * 3)
    html = client.get(f"/benchmarking/compare/?{seven}").content.decode()
    assert "chart-compare" in html  # duplicates removed: three cities
    unknown = client.get("/benchmarking/compare/?cities=alesund&cities=atlantis").content
    assert "No city called “atlantis”: check the name." in unknown.decode()
    two = client.get(
        "/benchmarking/compare/?cities=alesund&cities=atlantis&cities=lemuria"
    ).content.decode()
    assert "No cities called “atlantis”, “lemuria”: check the names." in two


def test_compare_with_peers_starts_from_a_peer_group(client, data):
    html = client.get(f"/benchmarking/compare/{Q}&city=alesund&peers=country").content.decode()
    chart = specs(html)["chart-compare"]
    assert {r["city"] for r in chart["datasets"]["dimensions"]} == {"Ålesund", "Trondheim"}


# ------------------------------------------------------------------ programme view


def test_programme_view_uses_the_national_set_and_lists_shared_opportunities(client, data):
    make_target_set(
        data.national,
        {
            (INTERNET, ""): ("higher", 90.0, None, None),
            (UNEMPLOYMENT, ""): ("lower", 2.0, None, None),
        },
        name="Norway national targets",
        slug="norway",
        kind=TargetSetKind.NATIONAL,
    )
    html = client.get(f"/benchmarking/programmes/{data.national.slug}/").content.decode()
    assert "Scored against <strong>Norway national targets</strong>" in html
    heat = specs(html)["chart-heatmap"]
    assert {r["city"] for r in heat["datasets"]["cells"]} == {"Ålesund", "Trondheim"}
    assert "Shared opportunities" in html
    assert "2 of 2 cities fall short." in html
    rows = csv_rows(
        client.get(f"/benchmarking/programmes/{data.national.slug}/?format=csv&table=opportunities")
    )
    assert {r["kpi_code"] for r in rows} == {INTERNET, UNEMPLOYMENT}
    progress = csv_rows(
        client.get(f"/benchmarking/programmes/{data.national.slug}/?format=csv&table=progress")
    )
    assert {(r["city"], r["year"]) for r in progress} >= {("Ålesund", "2016"), ("Ålesund", "2020")}


def test_programme_view_says_which_year_it_shows_and_how_many_cities_it_covers(client, data):
    from u4ssc.apps.evaluations.models import Evaluation, State
    from u4ssc.apps.organisations.queries import member_cities

    members = list(member_cities(data.national))
    published = Evaluation.objects.filter(city__in=members, state=State.PUBLISHED)
    per_year: dict[int, int] = {}
    for year in published.values_list("year", flat=True):
        per_year[year] = per_year.get(year, 0) + 1
    # given no year asked for: the year most member cities published (the latest on a tie)
    best = max(per_year, key=lambda yr: (per_year[yr], yr))
    html = client.get(f"/benchmarking/programmes/{data.national.slug}/").content.decode()
    assert f"<h1>{data.national.name} · {best}</h1>" in html
    assert (
        f"{per_year[best]} of {len(members)} member cities have published data for {best}." in html
    )
    assert "It is the year most of them have published." in html
    # when a year is picked, only the count is given; and in Bokmål
    other = min(per_year)
    html = client.get(
        f"/nb/benchmarking/programmes/{data.national.slug}/?year={other}"
    ).content.decode()
    assert (
        f"{per_year[other]} av {len(members)} medlemsbyer har publiserte data for {other}." in html
    )
    assert "Det er året flest av dem har publisert." not in html


def test_programme_view_shows_the_short_data_points_of_a_multi_point_kpi(client, data):
    # given Ålesund (PM2.5 6, NO2 20 in 2020, from the data fixture) and Trondheim
    Evaluation.objects.filter(city=data.sister, year=2020).delete()
    publish(data.sister, 2020, {AIR: {"pm2_5": 6.0, "no2": 8.0}, INTERNET: 60.0})
    url = f"/benchmarking/programmes/{data.national.slug}/{Q}&year=2020"
    html = client.get(url).content.decode()
    # then the opportunity's table has a row per short data point: value, target, distance
    table = html[html.index('<table class="small opportunity-points">') :]
    table = table[: table.index("</table>")]
    assert "Air Pollution: the data points on which each city falls short" in table
    cells = [
        [
            " ".join(re.sub(r"<[^>]+>", " ", td).split())
            for td in re.findall(r"<td[^>]*>(.*?)</td>", tr)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    assert [c[:5] for c in cells] == [
        ["NO2", "20 µg/m³", "≤ 10 µg/m³", "10 µg/m³", "50 %"],
        ["PM2.5", "6 µg/m³", "≤ 5 µg/m³", "1 µg/m³", "83.3 %"],
        ["PM2.5", "6 µg/m³", "≤ 5 µg/m³", "1 µg/m³", "83.3 %"],
    ]
    assert "KPI: 62.5 %" in " ".join(re.sub(r"<[^>]+>", " ", table).split())
    # and the CSV a row per (city, data point)
    rows = csv_rows(client.get(f"{url}&format=csv&table=opportunities"))
    air = [
        (r["city"], r["data_point"], r["gap"], r["target"]) for r in rows if r["kpi_code"] == AIR
    ]
    assert air == [
        ("Ålesund", "no2", "10.0", "≤ 10"),
        ("Ålesund", "pm2_5", "1.0", "≤ 5"),
        ("Trondheim", "pm2_5", "1.0", "≤ 5"),
    ]


def test_programme_of_a_city_slug_is_not_found(client, data):
    assert client.get("/benchmarking/programmes/alesund/").status_code == 404


# ------------------------------------------------------------------ widgets and framing


def test_widgets_may_be_framed_and_other_pages_may_not(client, data):
    wheel = client.get(f"/benchmarking/embed/cities/alesund/wheel/{Q}")
    assert wheel.status_code == 200
    assert "X-Frame-Options" not in wheel
    assert wheel["Content-Security-Policy"] == "frame-ancestors *"
    assert "chart-wheel" in wheel.content.decode()
    assert 'class="site-header"' not in wheel.content.decode()
    tile = client.get(f"/benchmarking/embed/cities/alesund/kpis/ec-ict-ict-1c/{Q}")
    assert tile.status_code == 200 and "X-Frame-Options" not in tile
    assert "84.51" in tile.content.decode()
    assert client.get("/benchmarking/embed/cities/alesund/kpis/ec-ict-ict-2c/").status_code == 404
    profile = client.get("/benchmarking/cities/alesund/")
    assert profile["X-Frame-Options"] == "DENY"


def test_a_kpi_without_a_target_links_to_its_working_too(client, data):
    html = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    table = html[html.index("1 KPI not scored (no target in this set)") :]
    table = table[: table.index("</table>")]
    link = "/benchmarking/cities/alesund/2020/working/ec-p-in-2c/?targets=test-targets"
    assert f'<a href="{link}">How is this computed?</a>' in table
    working = client.get(link).content.decode()
    assert "none in this set" in working  # the target, and the status: not scored


def test_scores_are_written_with_the_languages_decimal_mark(client, data):
    english = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    bokmal = client.get(f"/nb/benchmarking/cities/alesund/{Q}").content.decode()
    assert "84.5 %" in english  # Internet access 84.51 of 100
    assert "84,5 %" in bokmal and "84.5 %" not in bokmal


def test_units_read_in_bokmal_on_the_nb_pages(client, data):
    # given gender equity (unit "ratio", short of its range 0.95-1.05) in two cities, and
    # patents ("per 100 000 inhabitants", no target) in Ålesund, in 2021
    publish(data.city, 2021, {GENDER: 0.8, PATENTS: 12.0})
    publish(data.sister, 2021, {GENDER: 0.7})
    city = "/benchmarking/cities/alesund/2021"
    pages = {
        "profile": f"{city}/{Q}",
        "kpi": f"/benchmarking/kpis/sc-sh-si-1c/{Q}&year=2021",
        "working": f"{city}/working/sc-sh-si-1c/{Q}",
        "widget": f"/benchmarking/embed/cities/alesund/kpis/sc-sh-si-1c/{Q}",
        "programme": f"/benchmarking/programmes/{data.national.slug}/{Q}&year=2021",
        "compare": f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&year=2021",
        "history": f"/benchmarking/cities/alesund/history/sc-sh-si-1c/{Q}",
    }
    ratio = re.compile(r"\bratio\b")
    for name, path in pages.items():
        english = client.get(path).content.decode()
        bokmal = client.get(f"/nb{path}").content.decode()
        # then each /nb page writes the unit in Bokmål where English writes it
        assert ratio.search(english), name
        found = ratio.search(bokmal)
        assert "forholdstall" in bokmal and not found, (
            name,
            found and bokmal[found.start() - 200 : found.end() + 50],
        )
    profile = client.get(f"/nb{pages['profile']}").content.decode()
    assert "12 per 100 000 innbyggere" in profile  # the table of KPIs not scored
    kpi = client.get(f"/nb{pages['kpi']}").content.decode()
    assert "Verdi (forholdstall)" in kpi  # the ranking table's heading
    # and the distribution chart's axis too
    assert ' (forholdstall)"' in json.dumps(specs(kpi)["chart-distribution"])


def test_profile_offers_copyable_embed_code(client, data):
    html = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    # the code, sized as widgets.py says, in a read-only textarea (copied by hand without
    # JavaScript); the copy button is hidden until copy.js shows it
    wheel = re.search(r'<textarea id="embed-wheel-code" rows="3" readonly>(.*?)</textarea>', html)
    assert wheel is not None
    code = unescape(wheel.group(1))
    assert code.startswith(
        '<iframe src="http://testserver/benchmarking/embed/cities/alesund/wheel/?targets='
    )
    assert f'width="{WHEEL_FRAME[0]}" height="{WHEEL_FRAME[1]}"' in code
    assert (
        '<button type="button" class="secondary copy-button" data-copy="embed-wheel-code" hidden>'
        in html
    )
    assert 'src="/static/benchmarking/copy.js"' in html
    # a tile's frame grows with its data points
    air = re.search(r'<textarea id="embed-en-en-aq-1c" rows="3" readonly>(.*?)</textarea>', html)
    one = re.search(r'<textarea id="embed-ec-ict-ict-1c" rows="3" readonly>(.*?)</textarea>', html)
    assert air and one
    height = re.compile(r'height="(\d+)"')
    assert int(height.findall(unescape(air.group(1)))[0]) > int(
        height.findall(unescape(one.group(1)))[0]
    )


# ------------------------------------------------------------------ links from other pages


def test_city_page_links_to_the_profile(client, data):
    html = client.get("/organisations/alesund/").content.decode()
    assert 'href="/benchmarking/cities/alesund/"' in html
    assert "Latest published year: 2020." in html
    assert 'href="/benchmarking/"' in html  # the nav entry


def test_unpublished_data_stays_off_the_dashboards(client, data):
    publish(data.city, 2021, {INTERNET: 10.0}, state=State.VERIFIED)
    html = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    assert "· 2020" in html and 'id="year-2021"' not in html
    assert KPIValue.objects.filter(evaluation__year=2021).exists()


def test_index_lists_cities_and_redirects_to_a_chosen_one(client, data):
    html = client.get("/benchmarking/").content.decode()
    assert "3 cities have published data." in html
    # Trondheim's published values are synthetic: the page and its line say so
    assert 'class="synthetic-banner"' in html
    trondheim = html[html.index('href="/benchmarking/cities/trondheim/"') :]
    assert "synthetic" in trondheim[: trondheim.index("</li>")]
    alesund = html[html.index('href="/benchmarking/cities/alesund/"') :]
    assert "synthetic" not in alesund[: alesund.index("</li>")]
    response = client.get("/benchmarking/?city=Ålesund")
    assert response.status_code == 302 and response["Location"] == "/benchmarking/cities/alesund/"


@pytest.mark.parametrize(
    "url",
    [
        "/benchmarking/",
        f"/benchmarking/kpis/ec-ict-ict-1c/{Q}&city=alesund&peers=national_programme",
        f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&cities=linz",
        f"/benchmarking/programmes/national-u4ssc-programme-norway/{Q}",
        f"/benchmarking/cities/alesund/history/ec-ict-ict-1c/{Q}",
        f"/benchmarking/cities/alesund/2020/working/ec-ict-ict-1c/{Q}",
        f"/benchmarking/embed/cities/alesund/wheel/{Q}",
        f"/api/benchmarking/kpis/ec-ict-ict-1c?city=alesund&{Q[1:]}",
    ],
)
def test_other_pages_queries_do_not_grow_with_cities(client, data, url):
    from u4ssc.apps.organisations.models import Membership

    def count() -> int:
        client.get(url)  # builds the board after a data change
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(12):
        city = Organisation.objects.create(
            kind=OrgKind.CITY, name=f"Town {i}", slug=f"t-{i}", country_code="NO"
        )
        Membership.objects.create(group=data.national, member=city)
        publish(city, 2020, {INTERNET: 40.0 + i, UNEMPLOYMENT: 4.0 + i / 10})
        publish(city, 2016, {INTERNET: 30.0 + i})
    assert count() == before


# ------------------------------------------------------------------ the default target set


@pytest.fixture
def norway(data):
    """A national set of the Norwegian programme: Internet >= 90 only."""
    return make_target_set(
        data.national,
        {(INTERNET, ""): ("higher", 90.0, None, None)},
        name="Norway national targets",
        slug="norway",
        kind=TargetSetKind.NATIONAL,
    )


def test_a_city_is_scored_against_its_national_programmes_set_by_default(client, data, norway):
    # given Ålesund, a member of the Norwegian programme, which has a national set
    note = (
        "The default for Ålesund: the target set of its national programme, "
        "National U4SSC Programme Norway."
    )
    pages = [
        "/benchmarking/cities/alesund/",
        "/benchmarking/cities/alesund/2020/working/ec-ict-ict-1c/",
        "/benchmarking/cities/alesund/history/ec-ict-ict-1c/",
        "/benchmarking/kpis/ec-ict-ict-1c/?city=alesund",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        # then every page of the city scores with it, says so and why, and offers the others
        assert "Scored against <strong>Norway national targets</strong>" in html, url
        assert note in html, url
        assert '<option value="test-targets">' in html, url
    # the widgets and the embed code follow
    wheel = client.get("/benchmarking/embed/cities/alesund/wheel/").content.decode()
    assert "Against Norway national targets (1 KPIs with a target)." in wheel
    tile = client.get("/benchmarking/embed/cities/alesund/kpis/ec-ict-ict-1c/").content.decode()
    assert "≥ 90" in tile
    # a choice wins, and the note goes
    chosen = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    assert "Scored against <strong>Test targets</strong>" in chosen and note not in chosen


def test_compare_defaults_to_the_national_set_only_when_all_cities_share_it(client, data, norway):
    both = client.get("/benchmarking/compare/?cities=alesund&cities=trondheim").content.decode()
    assert "Scored against <strong>Norway national targets</strong>" in both
    assert "The default for these cities: the target set of their national programme" in both
    mixed = client.get("/benchmarking/compare/?cities=alesund&cities=linz").content.decode()
    assert "Norway national targets</strong>" not in mixed
    peers = client.get("/benchmarking/compare/?city=alesund&peers=country").content.decode()
    assert "Scored against <strong>Norway national targets</strong>" in peers


def test_a_city_outside_any_national_programme_keeps_the_programme_default(client, data, norway):
    html = client.get("/benchmarking/cities/linz/").content.decode()
    assert "Scored against <strong>U4SSC programme default" in html
    assert "The default for" not in html


def test_api_defaults_as_the_pages_do(client, data, norway):
    profile = client.get("/api/benchmarking/cities/alesund/profile").json()
    assert profile["target_set"]["slug"] == "norway"
    history = client.get("/api/benchmarking/cities/alesund/history?kpi=ec-ict-ict-1c").json()
    assert history["target_set"]["slug"] == "norway"
    overview = client.get("/api/benchmarking/kpis/ec-ict-ict-1c?city=alesund").json()
    assert overview["target_set"]["slug"] == "norway"
    assert client.get("/api/benchmarking/kpis/ec-ict-ict-1c").json()["target_set"]["slug"] == (
        "u4ssc-default"
    )
    compare = client.get("/api/benchmarking/compare?cities=alesund&cities=trondheim").json()
    assert compare["target_set"]["slug"] == "norway"
    chosen = client.get(f"/api/benchmarking/cities/alesund/profile{Q}").json()
    assert chosen["target_set"]["slug"] == "test-targets"


def test_a_projection_beyond_the_horizon_says_not_before_it(client, data):
    # given a city whose Internet access creeps from 50 % to 51 % in four years (the target
    # of 100 % would be reached around 2216 at that pace)
    bergen = Organisation.objects.create(
        kind=OrgKind.CITY, name="Bergen", slug="bergen", country_code="NO"
    )
    publish(bergen, 2016, {INTERNET: 50.0})
    publish(bergen, 2020, {INTERNET: 51.0})
    html = client.get(f"/benchmarking/cities/bergen/{Q}").content.decode()
    assert "target not reached before 2050 at this pace" in html
    assert "2216" not in html
    working = client.get(
        f"/benchmarking/cities/bergen/2020/working/ec-ict-ict-1c/{Q}"
    ).content.decode()
    assert "target not reached before 2050 at this pace" in working
    rows = csv_rows(client.get(f"/benchmarking/cities/bergen/{Q}&format=csv"))
    internet = next(r for r in rows if r["kpi_code"] == INTERNET)
    assert (internet["projection"], internet["projected_year"]) == ("not before the horizon", "")


# ------------------------------------------------------------------ the method page

METHOD_DOC = Path(__file__).resolve().parents[5] / "docs" / "methods" / "scoring.md"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())


def test_method_page_matches_the_method_document(client, db):
    page = _text(client.get("/benchmarking/method/").content.decode())
    doc = " ".join(METHOD_DOC.read_text(encoding="utf-8").replace("**", "").split())
    # the same rules, numbers and worked examples in both
    facts = [
        "value / T",
        "T / value",
        "Band edges belong to the upper band",
        "9 / 16 = 56.25",
        "9 / 12 = 75",
        "mean of its data points' points",
        "2.5",
        "lower bound",
        "both green",
        "2030",
        "2028",
        "not reached before 2050 at this pace",
        "https://www.itu.int/rec/T-REC-Y.4903",
        "https://dashboards.sdgindex.org/",
        "https://open-sdg.readthedocs.io/",
    ]
    for fact in facts:
        assert fact in page, fact
        assert fact in doc, fact
    for section in ("Points and bands", "KPIs with data points", "Trends", "Sources"):
        assert section in page and section in doc


def test_method_page_states_the_chosen_sets_numbers_and_is_linked(client, data):
    # given an SDSN set with its own thresholds and horizon
    make_target_set(
        data.national,
        {(INTERNET, ""): ("higher", 90.0, None, None)},
        name="SDSN set",
        slug="sdsn-set",
        method="sdsn",
        settings={"thresholds": [40, 70, 90], "trend": {"horizon": 2045}},
    )
    page = _text(client.get("/benchmarking/method/?targets=sdsn-set").content.decode())
    assert "The numbers below are those of the target set SDSN set" in page
    assert (
        "red below 40, major challenges; orange from 40, significant challenges; yellow "
        "from 70, challenges remain; green from 90, achieved" in page
    )
    # the legend of the method's levels, with the set's own thresholds and coverage rule
    assert "●●●● achieved (score 90 to 100)" in page
    assert "●●●○ challenges remain (score 70 to under 90)" in page
    assert "●○○○ major challenges (score under 40)" in page
    assert "at least 80 % of its KPIs that have a target" in page
    assert "A projection names a year up to 2045." in page
    assert client.get("/benchmarking/method/?targets=nope").status_code == 404
    # linked from the target bar of every page, at the set's method, and from a working
    profile = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    assert 'href="/benchmarking/method/?targets=test-targets#u4ssc"' in profile
    working = client.get(
        f"/benchmarking/cities/alesund/2020/working/ec-ict-ict-1c/{Q}",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "/benchmarking/method/?targets=test-targets#u4ssc" in working
    assert "The method, with its sources" in working


def test_aggregates_computed_from_synthetic_values_are_marked_synthetic_in_csv(client, data):
    # given Trondheim's 2020 values, which are synthetic (Trondheim itself is a real city)
    assert not data.sister.is_synthetic
    url = f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&year=2020&format=csv"
    rows = csv_rows(client.get(url))
    # then every score of Trondheim that rests on them says so, and Ålesund's do not
    economy = {r["city"]: r["synthetic"] for r in rows if r["code"] == "EC"}
    assert economy == {"Ålesund": "no", "Trondheim": "yes"}
    progress = csv_rows(
        client.get(f"/benchmarking/programmes/{data.national.slug}/{Q}&format=csv&table=progress")
    )
    marks = {(r["city"], r["year"]): r["synthetic"] for r in progress}
    assert marks[("Trondheim", "2020")] == "yes" and marks[("Ålesund", "2020")] == "no"
    wheel = csv_rows(client.get(f"/benchmarking/cities/trondheim/{Q}&format=csv&table=wheel"))
    assert {r["synthetic"] for r in wheel if r["level"] == "dimension" and r["code"] == "EC"} == {
        "yes"
    }


def _sdsn_set(data, **settings):
    """An SDSN set "sdsn-set" of the programme: Internet (>= 90) and unemployment (<= 4)."""
    return make_target_set(
        data.programme,
        {
            (INTERNET, ""): ("higher", 90.0, None, None),
            (UNEMPLOYMENT, ""): ("lower", 4.0, None, None),
        },
        name="SDSN set",
        slug="sdsn-set",
        method="sdsn",
        **({"settings": settings} if settings else {}),
    )


def test_sdsn_legend_says_what_each_colour_means_and_the_coverage_rule(client, data):
    # given an SDSN set
    _sdsn_set(data, min_coverage=0.5)
    html = client.get("/benchmarking/cities/alesund/?targets=sdsn-set").content.decode()
    legend = html[html.index('<ul class="legend"') :]
    legend = legend[: legend.index("</p>")]
    text = _text(legend)
    # then each level is named in SDSN's words, with its scores, best first
    for words in (
        "●●●● achieved (score 95 to 100)",
        "●●●○ challenges remain (score 66 to under 95)",
        "●●○○ significant challenges (score 33 to under 66)",
        "●○○○ major challenges (score under 33)",
    ):
        assert words in text, text
    assert text.index("achieved") < text.index("challenges remain") < text.index("major")
    # no colour name that the colour drawn could contradict
    assert not re.search(r"\b(red|orange|yellow|green):", text)
    # the set's coverage rule
    assert "scored only when the city reported at least 50 % of its KPIs" in text
    # the legend's chips are the tiles' chips: a tile's band class and label are the
    # legend's entry of that band
    tile = html[html.index('id="tile-ec-ict-ict-1c"') - 40 :]
    band = re.search(r'class="tile band-(\d)"', tile)
    assert band is not None
    chip = re.search(
        rf'<span class="band-chip band-{band.group(1)}">.*?</span> ([^<]+)</span>', tile
    )
    assert chip is not None
    assert f'<span class="band-chip band-{band.group(1)}">' in legend
    assert f"</span> {chip.group(1)}</span>" in legend
    # a U4SSC set states its own rule
    u4ssc = _text(client.get(f"/benchmarking/cities/alesund/{Q}").content.decode())
    assert "scored from the KPIs with a target the city reported, however few" in u4ssc


def test_sdsn_scores_are_points_not_percentages(client, data):
    # given an SDSN set: scores are 0-100 points
    _sdsn_set(data)
    html = client.get("/benchmarking/cities/alesund/?targets=sdsn-set").content.decode()
    overall = _text(html[html.index('<p class="overall">') :][:400])
    assert re.search(r"Overall: \d+(\.\d)? ", overall), overall
    tile = html[html.index('id="tile-ec-ict-ict-1c"') :]
    tile = _text(tile[: tile.index("</dl>")])
    assert re.search(r"Score \d+(\.\d)? Trend", tile), tile
    assert not re.search(r"Score \d+(\.\d)? %", tile)
    # a U4SSC set keeps its percentages
    u4ssc = client.get(f"/benchmarking/cities/alesund/{Q}").content.decode()
    assert "84.5 %" in u4ssc


def test_the_comparison_csv_has_each_data_point_and_every_target_as_numbers(client, data):
    # given Ålesund's air quality by pollutant in 2020 (PM2.5 6, NO2 20) and gender equity
    # (a target range) in 2021
    publish(data.city, 2021, {GENDER: 0.8})
    publish(data.sister, 2021, {GENDER: 0.7})
    rows = csv_rows(
        client.get(
            f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&year=2020&format=csv"
        )
    )
    # then each data point has its row, value, unit and its own target
    pm = next(
        r
        for r in rows
        if r["code"] == AIR and r["data_point"] == "pm2_5" and r["city"] == "Ålesund"
    )
    assert pm["level"] == "data_point" and float(pm["value"]) == 6.0 and pm["unit"] == "µg/m³"
    assert float(pm["target"]) == 5.0 and pm["direction"] == "lower"
    no2 = next(
        r for r in rows if r["code"] == AIR and r["data_point"] == "no2" and r["city"] == "Ålesund"
    )
    assert float(no2["value"]) == 20.0 and float(no2["target"]) == 10.0
    # and the KPI's own row carries its band but no single value or target
    kpi = next(
        r for r in rows if r["code"] == AIR and r["level"] == "kpi" and r["city"] == "Ålesund"
    )
    assert kpi["value"] == "" and kpi["target"] == "" and kpi["band"] != ""
    internet = next(r for r in rows if r["code"] == INTERNET and r["city"] == "Ålesund")
    assert float(internet["target"]) == 100.0 and internet["direction"] == "higher"
    ranged = csv_rows(
        client.get(
            f"/benchmarking/compare/{Q}&cities=alesund&cities=trondheim&year=2021&format=csv"
        )
    )
    gender = next(r for r in ranged if r["code"] == GENDER and r["city"] == "Ålesund")
    assert (float(gender["target_low"]), float(gender["target_high"])) == (0.95, 1.05)
    assert gender["target"] == "" and gender["direction"].startswith("range")
