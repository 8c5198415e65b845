"""Error pages with DEBUG off: the site's look, English or Bokmål, a way home, no trace."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("u4ssc.web.tests.error_urls")]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "u4ssc/site.css" in html and 'class="brand"' in html  # the site's look
    assert "Traceback" not in html and "secret detail" not in html
    return html


def test_an_unknown_page_gives_the_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = _page(response)
    assert "<h1>Page not found</h1>" in html
    assert '<a href="/">Go to the home page</a>' in html


def test_the_404_page_in_bokmal(client):
    response = client.get("/nb/no-such-page")
    assert response.status_code == 404
    html = _page(response)
    assert "<h1>Fant ikke siden</h1>" in html and 'lang="nb"' in html
    assert '<a href="/nb/">Gå til forsiden</a>' in html


def test_a_failing_view_gives_the_500_page(client):
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _page(response)
    assert "<h1>Something went wrong</h1>" in html and '<a href="/">' in html
    nb = client.get("/nb/boom/")
    assert nb.status_code == 500
    assert "<h1>Noe gikk galt</h1>" in _page(nb)


def test_a_bad_request_gives_the_400_page(client):
    response = client.get("/bad/")
    assert response.status_code == 400
    html = _page(response)
    assert "<h1>Bad request</h1>" in html and "Go to the home page" in html
    assert "<h1>Ugyldig forespørsel</h1>" in _page(client.get("/nb/bad/"))


def test_a_refused_action_gives_the_403_page(client, world):
    client.force_login(world.user("viewer"))  # may see the city's data, not upload to it
    response = client.get(f"/imports/{world.city.slug}/2024/")
    assert response.status_code == 403
    html = _page(response)
    assert "<h1>Not allowed</h1>" in html and '<a href="/">Home</a>' in html


def test_the_api_keeps_its_json_errors(client):
    missing = client.get("/api/no-such-endpoint")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    failing = client.get("/api/boom")
    assert failing.status_code == 500
    assert failing.json()["code"] == "server_error"
    assert "secret detail" not in failing.content.decode()
