"""The values API: published data for everyone, pages that stay cheap, writes with a token."""

from __future__ import annotations

import pytest

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State

pytestmark = pytest.mark.django_db

CODES = ["EC: ICT: ICT: 1C", "EC: ICT: ICT: 2C", "EC: ICT: T: 1C", "EC: I: ES: 3C"]


def _load(world, cities, years, state=State.PUBLISHED):
    inputs = [
        ValueInput(city.id, year, code, value=40 + i, source="test", ref=f"{city}-{year}-{i}")
        for city in cities
        for year in years
        for i, code in enumerate(CODES)
    ]
    result = apply_entries(actor=None, inputs=inputs, channel="demo", check_permission=False)
    assert result.ok, result.errors[:3]
    Evaluation.objects.update(state=state)


def test_pages_follow_next_until_the_end(client, world):
    _load(world, [world.city, world.sister, world.foreign], [2022, 2023])
    seen, url = [], "/api/evaluations/values?limit=5"
    while url:
        body = client.get(url).json()
        seen += [(i["city"], i["year"], i["kpi_code"]) for i in body["items"]]
        url = body["next"]
    assert len(seen) == 3 * 2 * 4 == len(set(seen))


def test_filters(client, world):
    _load(world, [world.city, world.foreign], [2022, 2023])
    by_city = client.get("/api/evaluations/values?city=alesund").json()["items"]
    assert {i["city"] for i in by_city} == {"alesund"}
    by_country = client.get("/api/evaluations/values?country=AT&year=2023").json()["items"]
    assert {(i["country"], i["year"]) for i in by_country} == {("AT", 2023)}
    by_kpi = client.get("/api/evaluations/values?kpi=EC: ICT: ICT:1C").json()["items"]
    assert {i["kpi_code"] for i in by_kpi} == {"EC: ICT: ICT: 1C"}
    by_group = client.get(f"/api/evaluations/values?group={world.national.id}").json()["items"]
    assert {i["city"] for i in by_group} == {"alesund"}


def test_anonymous_sees_published_only_and_token_holders_their_scope(client, world):
    _load(world, [world.city], [2023], state=State.DRAFT)
    assert client.get("/api/evaluations/values?include_unpublished=true").json()["items"] == []
    _token, raw = create_api_token(actor=world.user("officer"), name="t")
    body = client.get(
        "/api/evaluations/values?include_unpublished=true", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert len(body["items"]) == 4
    bad = client.get("/api/evaluations/values", HTTP_AUTHORIZATION="Bearer u4s_nope")
    assert bad.status_code == 401 and bad.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",
        "limit=0",
        "limit=100000",
        "after=-1",
        "after=1.x",
        "year=twenty",
        "kpi=NOPE",
        "country=NOR",
    ],
)
def test_malformed_requests_get_a_clear_4xx_body(client, world, query):
    response = client.get(f"/api/evaluations/values?{query}")
    assert 400 <= response.status_code < 500
    body = response.json()
    assert set(body) >= {"status", "code", "message"}


def test_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    _load(world, [world.city], [2023])
    with django_assert_num_queries(1) as few:
        client.get("/api/evaluations/values?limit=1000")
    _load(world, [world.city, world.sister, world.foreign], [2019, 2020, 2021, 2022])
    assert KPIValue.objects.count() == 52
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/evaluations/values?limit=1000")


def test_write_values_with_a_token_all_or_nothing(client, world):
    _token, raw = create_api_token(actor=world.user("officer"), name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    payload = {
        "values": [
            {
                "kpi_code": "EC: ICT: ICT: 1C",
                "numerator": 900,
                "denominator": 1000,
                "source": "SSB",
            },
            {"kpi_code": "EC: ICT: ICT: 2C", "value": 250, "source": "SSB"},
        ]
    }
    refused = client.post(
        "/api/evaluations/alesund/2024/values", payload, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    assert refused.json()["written"] is False
    assert [p["kpi_code"] for p in refused.json()["problems"] if p["severity"] == "error"] == [
        "EC: ICT: ICT: 2C"
    ]
    assert KPIValue.objects.count() == 0
    payload["values"][1]["value"] = 70
    ok = client.post(
        "/api/evaluations/alesund/2024/values", payload, content_type="application/json", **auth
    )
    assert ok.status_code == 200 and ok.json()["created"] == 2
    # anonymous and other cities are refused
    anon = client.post(
        "/api/evaluations/alesund/2024/values", payload, content_type="application/json"
    )
    assert anon.status_code == 401
    other = client.post(
        "/api/evaluations/linz/2024/values", payload, content_type="application/json", **auth
    )
    assert other.status_code == 403
    assert client.post(
        "/api/evaluations/alesund/2024/values",
        "{not json",
        content_type="application/json",
        **auth,
    ).status_code in (400, 422)


def test_workflow_through_the_api(client, world):
    _token, officer = create_api_token(actor=world.user("officer"), name="o")
    client.post(
        "/api/evaluations/alesund/2024/values",
        {"values": [{"kpi_code": "EC: ICT: ICT: 1C", "value": 90, "source": "SSB"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {officer}",
    )
    r = client.post(
        "/api/evaluations/alesund/2024/workflow/submit",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {officer}",
    )
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    again = client.post(
        "/api/evaluations/alesund/2024/workflow/submit",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {officer}",
    )
    assert again.status_code == 409 and "submitted" in again.json()["message"]


def test_one_city_year_with_its_values(client, world):
    # given a published Ålesund 2023 and a draft Trondheim 2023
    _load(world, [world.city], [2023])
    _load(world, [world.sister], [2023], state=State.DRAFT)
    Evaluation.objects.filter(city=world.city).update(state=State.PUBLISHED)
    # when anyone asks for the published one, it comes with the city and its values
    body = client.get("/api/evaluations/alesund/2023").json()
    assert (body["city"], body["city_name"], body["country"]) == ("alesund", "Ålesund", "NO")
    assert (body["year"], body["state"]) == (2023, "published")
    assert sorted(v["kpi_code"] for v in body["values"]) == sorted(CODES)
    # ... and the draft is not found by the public, but its city's officer reads it
    assert client.get("/api/evaluations/trondheim/2023").status_code == 404
    _token, raw = create_api_token(actor=world.user("officer"), name="t")
    own = client.get("/api/evaluations/alesund/2023", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert own.status_code == 200 and len(own.json()["values"]) == len(CODES)


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_a_number_that_is_not_finite_is_a_clear_422_and_counts_nothing(client, world, number):
    # given an officer's token and a value of 1e400 (JSON reads it as infinity)
    _token, raw = create_api_token(actor=world.user("officer"), name="script")
    body = '{"values": [{"kpi_code": "EC: ICT: ICT: 1C", "value": %s, "source": "SSB"}]}'
    # when it is sent
    response = client.post(
        "/api/evaluations/alesund/2024/values",
        body % number,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    # then it is refused, saying why, and the counts agree that nothing was written
    assert response.status_code == 422
    data = response.json()
    assert data["written"] is False
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 0)
    [problem] = data["problems"]
    assert (problem["code"], problem["field"]) == ("not_a_number", "value")
    assert "not a finite number" in problem["message"]
    assert KPIValue.objects.count() == 0


def test_a_year_after_next_year_is_refused_by_the_api(client, world):
    from django.utils import timezone

    _token, raw = create_api_token(actor=world.user("officer"), name="script")
    payload = {"values": [{"kpi_code": "EC: ICT: ICT: 1C", "value": 90, "source": "SSB"}]}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    later = timezone.localdate().year + 2
    refused = client.post(
        f"/api/evaluations/alesund/{later}/values", payload, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    assert problem["code"] == "year" and f"{later} is not a year" in problem["message"]
    assert not Evaluation.objects.exists()
    # next year may be prepared
    nxt = later - 1
    ok = client.post(
        f"/api/evaluations/alesund/{nxt}/values", payload, content_type="application/json", **auth
    )
    assert ok.status_code == 200 and Evaluation.objects.get().year == nxt
