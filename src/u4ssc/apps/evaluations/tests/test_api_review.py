"""The review through the API: a verifier accepts one value, accepts all, returns the year,
with the review page's actions and permissions, and JSON errors."""

from __future__ import annotations

import pytest

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.apps.evaluations import actions
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ReviewStatus, State
from u4ssc.apps.evaluations.tests.conftest import BROADBAND, INTERNET

pytestmark = pytest.mark.django_db

BASE = "/api/evaluations/alesund/2024"
USERS = ["admin", "hub", "national", "officer", "verifier", "viewer", "nobody", "anonymous"]
# who may review Ålesund (the permission matrix: Action.REVIEW on the city's own data);
# the others who may see it are refused (403), those who may not see it get a 404
REVIEWERS = {"verifier"}
SEE_IT = {"admin", "hub", "national", "officer", "verifier", "viewer"}


@pytest.fixture
def in_review(world, enter):
    enter(INTERNET, value=90, quality=2, source="SSB 11000", notes="Counted in May")
    enter(BROADBAND, value=70, quality=3)
    ev = Evaluation.objects.get()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=ev)
    actions.start_review(actor=world.user("verifier"), evaluation=ev)
    return ev


def _auth(world, name):
    if name == "anonymous":
        return {}
    _token, raw = create_api_token(actor=world.user(name), name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def _expected(name, allowed):
    if name in allowed:
        return 200
    if name == "anonymous":
        return 401
    return 403 if name in SEE_IT else 404


def _internet():
    return KPIValue.objects.get(kpi__code=INTERNET)


@pytest.mark.parametrize("name", USERS)
def test_only_a_verifier_of_the_city_may_review_it_through_the_api(client, world, in_review, name):
    auth = _auth(world, name)
    value = _internet()
    listed = client.get(f"{BASE}/review", **auth)
    one = _post(client, f"{BASE}/review/values/{value.id}", {"decision": "accept"}, auth)
    every = _post(client, f"{BASE}/review/accept-all", {}, auth)
    expected = _expected(name, REVIEWERS)
    assert [listed.status_code, one.status_code, every.status_code] == [expected] * 3
    if expected != 200:
        # a refusal is the documented JSON body, and nothing was accepted
        assert {"status", "code", "message"} <= set(one.json())
        assert not KPIValue.objects.filter(review_status=ReviewStatus.ACCEPTED).exists()


@pytest.mark.parametrize("name", USERS)
def test_only_a_verifier_may_return_the_year_to_the_city(client, world, in_review, name):
    actions.review_value(
        actor=world.user("verifier"), value=_internet(), accept=False, comment="Which table?"
    )
    auth = _auth(world, name)
    r = _post(client, f"{BASE}/workflow/return", {"comment": "See the comments"}, auth)
    assert r.status_code == _expected(name, REVIEWERS)
    in_review.refresh_from_db()
    assert in_review.state == (State.RETURNED if name in REVIEWERS else State.IN_REVIEW)


def test_a_verifier_reviews_value_by_value_then_verifies(client, world, in_review):
    auth = _auth(world, "verifier")
    # given the list of values to review, with what the verifier accepts
    rows = client.get(f"{BASE}/review", **auth).json()
    internet = next(r for r in rows if r["kpi_code"] == INTERNET)
    assert (internet["source"], internet["quality"], internet["notes"]) == (
        "SSB 11000",
        2,
        "Counted in May",
    )
    assert internet["review_status"] == "pending" and internet["changed_since_review"] == []
    # when the verifier accepts Internet access with their own grade
    r = _post(
        client,
        f"{BASE}/review/values/{internet['id']}",
        {"decision": "accept", "quality": 1},
        auth,
    )
    # then it is accepted, for the version read, with the verified grade
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["review_status"], body["reviewed_version"], body["verified_quality"]) == (
        "accepted",
        1,
        1,
    )
    # when they accept all that remain
    r = _post(client, f"{BASE}/review/accept-all", {"comment": "Checked against SSB"}, auth)
    assert r.json() == {"accepted": 1, "remaining": 0}
    broadband = KPIValue.objects.get(kpi__code=BROADBAND)
    assert (broadband.review_comment, broadband.reviewed_by) == (
        "Checked against SSB",
        world.user("verifier"),
    )
    assert _internet().verified_quality == 1  # accept-all left the one accepted before alone
    # then the year can be verified
    r = _post(client, f"{BASE}/workflow/verify", {"attestation": "Compared with SSB"}, auth)
    assert r.status_code == 200 and r.json()["state"] == "verified"


def test_a_returned_value_and_the_year_go_back_to_the_city(client, world, in_review):
    auth = _auth(world, "verifier")
    value = _internet()
    # a return needs a comment: a clear 409, nothing recorded
    r = _post(client, f"{BASE}/review/values/{value.id}", {"decision": "return"}, auth)
    assert r.status_code == 409 and "correct" in r.json()["message"]
    assert _internet().review_status == ReviewStatus.PENDING
    r = _post(
        client,
        f"{BASE}/review/values/{value.id}",
        {"decision": "return", "comment": "Which SSB table?"},
        auth,
    )
    assert r.status_code == 200 and r.json()["review_status"] == "returned"
    # accepting all that remain does not undo the return
    assert _post(client, f"{BASE}/review/accept-all", {}, auth).json() == {
        "accepted": 1,
        "remaining": 1,
    }
    r = _post(client, f"{BASE}/workflow/return", {"comment": "See the comments"}, auth)
    assert r.status_code == 200 and r.json()["state"] == "returned"
    # and once returned, nothing more is reviewed until the city submits again
    r = _post(client, f"{BASE}/review/values/{value.id}", {"decision": "accept"}, auth)
    assert r.status_code == 409 and "in review" in r.json()["message"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"decision": "maybe"}, None),
        ({"decision": "accept", "quality": 7}, None),
        ({"decision": "accept", "quality": "good"}, None),
        ({}, None),
        ({"decision": "accept"}, "/review/values/0"),
        ({"decision": "accept"}, "/review/values/99999999999999999999"),
    ],
)
def test_bad_requests_are_a_422_with_a_json_body_and_change_nothing(
    client, world, in_review, body, path
):
    auth = _auth(world, "verifier")
    url = BASE + (path or f"/review/values/{_internet().id}")
    r = _post(client, url, body, auth)
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "invalid_request"
    assert not KPIValue.objects.exclude(review_status=ReviewStatus.PENDING).exists()


def test_a_value_of_another_city_year_is_not_found(client, world, in_review, enter):
    enter(INTERNET, year=2023, value=80)
    other = KPIValue.objects.get(evaluation__year=2023)
    r = _post(
        client, f"{BASE}/review/values/{other.id}", {"decision": "accept"}, _auth(world, "verifier")
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert KPIValue.objects.get(pk=other.pk).review_status == ReviewStatus.PENDING


def test_accept_all_outside_the_review_is_a_409(client, world, enter):
    enter(INTERNET, value=90)
    r = _post(client, f"{BASE}/review/accept-all", {}, _auth(world, "verifier"))
    assert r.status_code == 409 and "in review" in r.json()["message"]


def test_the_review_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    review = paths["/api/evaluations/{city}/{year}/review"]["get"]
    one = paths["/api/evaluations/{city}/{year}/review/values/{value_id}"]["post"]
    every = paths["/api/evaluations/{city}/{year}/review/accept-all"]["post"]
    for op in (review, one, every):
        assert op["summary"] and op["description"]
        assert {"200", "401", "403", "404"} <= set(op["responses"])
    assert {"409", "422"} <= set(one["responses"])
