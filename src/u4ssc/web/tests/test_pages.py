from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_english_and_norwegian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
    response = client.get("/nb/")
    assert b'<html lang="nb">' in response.content
    assert b"Hopp til innhold" in response.content


def test_vega_bundle_is_served_by_the_platform(client):
    response = client.get("/assets/vega-bundle.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"vega" in response.content[:100_000].lower()


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
