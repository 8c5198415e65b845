"""The benchmarking API answers with the same data as the pages."""

from __future__ import annotations

import pytest

from u4ssc.apps.benchmarking import queries
from u4ssc.apps.benchmarking.tests.conftest import AIR, INTERNET, UNEMPLOYMENT, publish

pytestmark = pytest.mark.django_db
Q = "targets=test-targets"


@pytest.fixture
def data(world, targets):
    publish(world.city, 2016, {UNEMPLOYMENT: 10.0, INTERNET: 80.0})
    publish(world.city, 2020, {UNEMPLOYMENT: 8.0, INTERNET: 84.51, AIR: {"pm2_5": 6.0}})
    publish(world.sister, 2020, {UNEMPLOYMENT: 3.0, INTERNET: 60.0}, synthetic=True)
    return world


def test_profile_is_the_query_result(client, data, targets):
    body = client.get(f"/api/benchmarking/cities/alesund/profile?{Q}").json()
    expected = queries.city_profile(data.city, None, targets)
    assert body["year"] == 2020
    assert body["tiles"] == expected["tiles"]
    assert body["overall"] == expected["overall"]
    assert client.get(f"/api/benchmarking/cities/alesund/profile?year=2019&{Q}").status_code == 404
    missing = client.get("/api/benchmarking/cities/alesund/profile?targets=nope")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_explain_by_code_or_slug(client, data):
    by_code = client.get(
        f"/api/benchmarking/cities/alesund/explain?year=2020&kpi={UNEMPLOYMENT}&{Q}"
    ).json()
    by_slug = client.get(
        f"/api/benchmarking/cities/alesund/explain?year=2020&kpi=ec-p-em-1c&{Q}"
    ).json()
    assert by_code["working"] == by_slug["working"] == "4 / 8 x 100 = 50 %"
    assert by_code["trend"]["projected_year"] == 2028
    point = client.get(
        f"/api/benchmarking/cities/alesund/explain?year=2020&kpi={AIR}&point=PM2.5&{Q}"
    ).json()
    assert point["data_point"] == "pm2_5"
    gone = client.get(f"/api/benchmarking/cities/alesund/explain?year=2019&kpi={AIR}&{Q}")
    assert gone.status_code == 404


def test_kpi_overview_compare_programme_and_history(client, data):
    overview = client.get(
        f"/api/benchmarking/kpis/ec-ict-ict-1c?city=alesund&peers=country&{Q}"
    ).json()
    assert [r["city"]["name"] for r in overview["ranking"]] == ["Ålesund", "Trondheim"]
    assert overview["peers"]["key"] == "country"
    compare = client.get(f"/api/benchmarking/compare?cities=alesund&cities=trondheim&{Q}")
    assert [c["name"] for c in compare.json()["cities"]] == ["Ålesund", "Trondheim"]
    assert client.get("/api/benchmarking/compare?cities=alesund").status_code == 422
    programme = client.get(f"/api/benchmarking/programmes/{data.national.slug}?{Q}").json()
    assert {line["city"]["name"] for line in programme["heatmap"]} == {"Ålesund", "Trondheim"}
    history = client.get(f"/api/benchmarking/cities/alesund/history?kpi={INTERNET}&{Q}").json()
    assert [e["year"] for e in history["series"]] == [2016, 2020]


def test_the_api_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/benchmarking/cities/{slug}/profile" in schema["paths"]
