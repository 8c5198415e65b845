from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_and_docs_are_served(client):
    doc = client.get("/api/openapi.json")
    assert doc.status_code == 200
    assert doc.json()["info"]["title"] == "U4SSC open data API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"redoc.standalone.js" in docs.content
    assert b"https://" not in docs.content  # nothing from a CDN


def test_unknown_endpoint_is_a_404_with_json_body(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("officer"))
    payload = {"values": [{"kpi_code": "EC: ICT: ICT: 1C", "value": 90, "source": "SSB"}]}
    forged = browser.post(
        "/api/evaluations/alesund/2024/values", payload, content_type="application/json"
    )
    assert forged.status_code in (401, 403)
    browser.get("/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    ok = browser.post(
        "/api/evaluations/alesund/2024/values",
        payload,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 200, ok.content
