"""The organisations API: lists, filters, pagination, detail, registry, adding a city."""

from __future__ import annotations

import json

import pytest

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.apps.organisations.models import Organisation, SizeClass
from u4ssc.apps.organisations.tests.factories import many_cities

pytestmark = pytest.mark.django_db

BASE = "/api/organisations"
STAVANGER = 3137115


def _token(user):
    _token_row, raw = create_api_token(actor=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, body, headers=None, raw=None):
    return client.post(
        f"{BASE}/cities",
        data=raw if raw is not None else json.dumps(body),
        content_type="application/json",
        **(headers or {}),
    )


def _slugs(response):
    return [item["slug"] for item in response.json()["items"]]


def test_list_is_paginated_with_a_count(world, client):
    # given the world's organisations (and the programme every installation has)
    total = Organisation.objects.count()
    assert total >= 7
    # when the first page of 3 is asked for, then the second
    first = client.get(f"{BASE}/?limit=3")
    second = client.get(f"{BASE}/?limit=3&offset=3")
    # then the pages do not overlap and the count is the total
    assert first.status_code == 200
    assert first.json()["count"] == total
    assert len(_slugs(first)) == 3 and len(_slugs(second)) == 3
    assert not set(_slugs(first)) & set(_slugs(second))


def test_list_filters(world, client):
    world.sister.size_class = SizeClass.METROPOLITAN
    world.sister.save()
    assert _slugs(client.get(f"{BASE}/?kind=hub")) == ["nordic-hub", "vienna-hub"]
    assert _slugs(client.get(f"{BASE}/?kind=city&country=no")) == ["trondheim", "alesund"]
    assert _slugs(client.get(f"{BASE}/?group=nordic-hub&kind=city")) == ["trondheim", "alesund"]
    assert _slugs(client.get(f"{BASE}/?size_class=metropolitan")) == ["trondheim"]
    assert _slugs(client.get(f"{BASE}/?q=alesund")) == ["alesund"]
    assert _slugs(client.get(f"{BASE}/?group=ghost")) == []
    assert _slugs(client.get(f"{BASE}/cities?country=AT")) == ["linz"]


def test_list_items_carry_groups_and_country_names(world, client):
    item = client.get(f"{BASE}/cities?q=alesund").json()["items"][0]
    assert item["name"] == "Ålesund"
    assert item["country_name"] == "Norway"
    assert item["groups"] == [
        {
            "slug": "national-u4ssc-programme-norway",
            "name": world.national.name,
            "kind": "national_programme",
        }
    ]
    assert item["is_synthetic"] is False


def test_detail_with_members_and_groups_and_404(world, client):
    body = client.get(f"{BASE}/nordic-hub").json()
    assert body["kind"] == "hub"
    assert [m["slug"] for m in body["members"]] == ["national-u4ssc-programme-norway"]
    assert [g["slug"] for g in body["groups"]] == ["u4ssc"]
    missing = client.get(f"{BASE}/atlantis")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_peers_of_a_city(world, client):
    peers = {p["key"]: p for p in client.get(f"{BASE}/alesund/peers").json()}
    assert [c["slug"] for c in peers["national_programme"]["cities"]] == ["trondheim"]
    assert peers["hub"]["group"]["slug"] == "nordic-hub"
    assert client.get(f"{BASE}/nordic-hub/peers").status_code == 404  # not a city


def test_registry_search_marks_places_already_registered(world, client):
    # given Ålesund registered with its GeoNames id
    world.city.geonames_id = 3163392
    world.city.save()
    # when the registry is searched without accents
    found = client.get(f"{BASE}/registry?q=alesund&country=no").json()
    # then Ålesund comes first, marked as registered
    assert found[0]["name"] == "Ålesund"
    assert found[0]["region"] == "Møre og Romsdal"
    assert found[0]["registered_as"] == "alesund"
    assert client.get(f"{BASE}/registry?q=Stavanger&country=NO").json()[0]["registered_as"] is None
    assert len(client.get(f"{BASE}/registry?q=san&limit=5").json()) == 5
    one = client.get(f"{BASE}/registry/{STAVANGER}").json()
    assert (one["name"], one["country_name"]) == ("Stavanger", "Norway")
    assert client.get(f"{BASE}/registry/1").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/?kind=castle",
        f"{BASE}/?country=NOR",
        f"{BASE}/?size_class=huge",
        f"{BASE}/?limit=-1",
        f"{BASE}/?limit=many",
        f"{BASE}/?offset=-5",
        f"{BASE}/?q={'x' * 500}",
        f"{BASE}/registry",
        f"{BASE}/registry?q=",
        f"{BASE}/registry?q=oslo&limit=0",
        f"{BASE}/registry?q=oslo&country=1",
        f"{BASE}/registry/not-a-number",
    ],
)
def test_malformed_reads_are_422_with_the_error_body(world, client, url):
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and body["code"] == "invalid_request" and body["details"]


def test_a_national_coordinator_adds_a_city_with_a_token(world, client):
    # when the national coordinator posts Stavanger for their programme
    response = _post(
        client,
        {"geonames_id": STAVANGER, "groups": ["national-u4ssc-programme-norway"]},
        _token(world.user("national")),
    )
    # then it is created with the registry's data and listed as a member
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["region"], body["size_class"]) == (
        "stavanger",
        "Rogaland",
        "medium",
    )
    assert [g["slug"] for g in body["groups"]] == ["national-u4ssc-programme-norway"]
    assert "stavanger" in _slugs(client.get(f"{BASE}/cities?group=nordic-hub"))


def test_adding_twice_is_a_422_naming_the_city(world, client):
    admin = _token(world.user("admin"))
    assert _post(client, {"geonames_id": STAVANGER}, admin).status_code == 201
    again = _post(client, {"geonames_id": STAVANGER}, admin)
    assert again.status_code == 422
    assert "Stavanger is already registered" in again.json()["message"]


@pytest.mark.parametrize(
    ("user", "groups"),
    [
        ("officer", ["national-u4ssc-programme-norway"]),
        ("viewer", []),
        ("national", ["nordic-hub"]),
        ("hub", ["vienna-hub"]),
        ("hub", []),
    ],
)
def test_refused_writes_are_403_with_the_error_body(world, client, user, groups):
    response = _post(client, {"geonames_id": STAVANGER, "groups": groups}, _token(world.user(user)))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Organisation.objects.filter(geonames_id=STAVANGER).exists()


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    # given an administrator's browser session that enforces CSRF like a real browser
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("admin"))
    body = json.dumps({"geonames_id": STAVANGER})
    # when a page elsewhere posts without the token, then it is refused
    forged = browser.post(f"{BASE}/cities", data=body, content_type="application/json")
    assert forged.status_code == 403
    assert not Organisation.objects.filter(geonames_id=STAVANGER).exists()
    # and with the token (as htmx sends it from our pages) it is accepted
    browser.get("/organisations/")
    token = browser.cookies["csrftoken"].value
    ok = browser.post(
        f"{BASE}/cities", data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201


def test_writes_need_authentication(world, client):
    assert _post(client, {"geonames_id": STAVANGER}).status_code == 401
    bad = _post(client, {"geonames_id": STAVANGER}, {"HTTP_AUTHORIZATION": "Bearer u4s_nope"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("body", "raw"),
    [
        ({}, None),
        ({"geonames_id": "Stavanger"}, None),
        ({"geonames_id": -3}, None),
        ({"geonames_id": 10**20}, None),
        ({"geonames_id": STAVANGER, "groups": "nordic-hub"}, None),
        ({"geonames_id": STAVANGER, "groups": ["ghost"]}, None),
        ({"geonames_id": STAVANGER, "groups": ["alesund"]}, None),  # a city is not a group
        ({"geonames_id": STAVANGER, "population": -1}, None),
        ({"geonames_id": 1}, None),  # not in the registry
        (None, "{not json"),
        (None, "[1, 2]"),
        (None, ""),
    ],
)
def test_malformed_writes_are_client_errors_not_500(world, client, body, raw):
    response = _post(client, body, _token(world.user("admin")), raw=raw)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["status"] == response.status_code
    assert not Organisation.objects.filter(geonames_id=STAVANGER).exists()


@pytest.mark.parametrize("n", [5, 50])
def test_list_takes_constant_queries(world, client, n, django_assert_num_queries):
    many_cities(world.national, n)
    # count, page, groups prefetch; the group filter adds the slug lookup and the tree
    with django_assert_num_queries(3):
        assert client.get(f"{BASE}/cities?limit=100").json()["count"] == n + 3
    with django_assert_num_queries(5):
        assert client.get(f"{BASE}/cities?group=nordic-hub&limit=100").json()["count"] == n + 2
