from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_and_docs_are_served(client):
    doc = client.get("/api/openapi.json")
    assert doc.status_code == 200
    assert doc.json()["info"]["title"] == "U4SSC open data API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b'<script src="/assets/redoc.js">' in docs.content
    assert b"https://" not in docs.content  # nothing from a CDN
    bundle = client.get("/assets/redoc.js")
    assert bundle.status_code == 200 and b"Redoc" in bundle.content
    assert b"cdn.redoc.ly" not in bundle.content  # its sidebar logo is a blank data: image


BODY_KEYS = {"status", "code", "message", "details"}


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == BODY_KEYS
    assert (body["status"], body["code"]) == (status, code)
    assert body["message"]
    return body


def test_unknown_endpoint_is_a_404_with_json_body(client):
    _error(client.get("/api/no-such-thing"), 404, "not_found")


def test_a_method_an_endpoint_does_not_take_is_a_405_with_json_body(client):
    # given the imports endpoint, which only takes POST
    response = client.get("/api/transfer/imports")
    # then a GET is told so in the documented body, with the methods it takes
    body = _error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    assert "GET" in body["message"] and "POST" in body["message"]


WRITES = [
    (
        "/api/evaluations/oslo/2025/values",
        {"data": {"values": []}, "content_type": "application/json"},
    ),
    ("/api/transfer/imports", {"data": {"city": "oslo", "year": "2025"}}),
]


@pytest.mark.parametrize(("url", "request_args"), WRITES)
def test_anonymous_writes_are_asked_for_a_token(world, url, request_args):
    from django.test import Client

    # given a script without credentials (CSRF enforced, as for any real client)
    script = Client(enforce_csrf_checks=True)
    # when it writes
    response = script.post(url, **request_args)
    # then it is told to authenticate with a token, not about CSRF
    body = _error(response, 401, "unauthenticated")
    assert "Bearer" in body["message"] and "CSRF" not in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("url", "request_args"), WRITES)
def test_a_wrong_token_is_named_as_such(world, client, url, request_args):
    response = client.post(url, **request_args, HTTP_AUTHORIZATION="Bearer u4s_not-a-token")
    body = _error(response, 401, "unauthenticated")
    assert "invalid or revoked token" in body["message"]


@pytest.mark.parametrize(("url", "request_args"), WRITES)
def test_a_session_write_without_csrf_token_is_refused_with_the_error_body(
    world, url, request_args
):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("officer"))
    body = _error(browser.post(url, **request_args), 403, "csrf_failed")
    assert "X-CSRFToken" in body["message"]


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("officer"))
    payload = {"values": [{"kpi_code": "EC: ICT: ICT: 1C", "value": 90, "source": "SSB"}]}
    forged = browser.post(
        "/api/evaluations/alesund/2024/values", payload, content_type="application/json"
    )
    _error(forged, 403, "csrf_failed")
    browser.get("/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    ok = browser.post(
        "/api/evaluations/alesund/2024/values",
        payload,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 200, ok.content
