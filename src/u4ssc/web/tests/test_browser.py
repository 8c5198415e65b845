"""The API's docs page in a real browser: everything it needs comes from the platform."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_requests_nothing_off_the_machine(page, live_server):
    # given the docs page, with every request the browser makes watched by the fixture
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))

    # when it has drawn the API's endpoints and the browser has nothing left to fetch
    page.goto("/api/docs", wait_until="networkidle")
    page.get_by_role("heading", name="KPI values (published ones by default)").wait_for()
    page.wait_for_load_state("networkidle")

    # then it fetched its script and the OpenAPI document from the platform, and nothing
    # else: the `page` fixture fails the test on any request that left 127.0.0.1
    assert any(url.endswith("/api/openapi.json") for url in seen)
    assert all(url.startswith((live_server.url, "data:", "blob:")) for url in seen), seen
