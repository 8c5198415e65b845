"""No request, however malformed, makes the API answer with a server error.

Schemathesis reads our own OpenAPI document and generates valid and invalid requests for
every operation (wrong types, missing fields, odd strings, huge numbers); the only check
here is that none of them gets a 5xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture
def keep_test_connection():
    # A real WSGI handler closes the database connection after each request, which would
    # close the test transaction; Django's own test client unhooks the same signal.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_error(case, world):
    # As a city data officer with a token, so writes get past authentication.
    from u4ssc.apps.accounts.actions import create_api_token

    _token, raw = create_api_token(actor=world.user("officer"), name="fuzz")
    response = case.call(headers={"Authorization": f"Bearer {raw}"})
    case.validate_response(response, checks=(not_a_server_error,))


# Random identifiers mostly find nothing (404), so the fuzzer above rarely reaches a detail
# endpoint's success path: this test calls every GET operation with real ones. A new GET
# endpoint fails here until it has an example.
EXAMPLES = {
    "/api/catalogue/kpis/{code}": "/api/catalogue/kpis/EC: ICT: ICT: 1C",
    "/api/catalogue/target-sets/{slug}": "/api/catalogue/target-sets/u4ssc-default",
    "/api/organisations/registry": "/api/organisations/registry?q=Bergen",
    "/api/organisations/registry/{geonames_id}": "/api/organisations/registry/3161732",
    "/api/organisations/{slug}": "/api/organisations/alesund",
    "/api/organisations/{slug}/peers": "/api/organisations/alesund/peers",
    "/api/evaluations/{city}/{year}": "/api/evaluations/alesund/2023",
    # needs a verifier's token: the review API's tests read it
    "/api/evaluations/{city}/{year}/review": None,
    "/api/benchmarking/cities/{slug}/profile": "/api/benchmarking/cities/alesund/profile",
    "/api/benchmarking/cities/{slug}/explain": (
        "/api/benchmarking/cities/alesund/explain?year=2023&kpi=EC: ICT: ICT: 1C"
    ),
    "/api/benchmarking/cities/{slug}/history": (
        "/api/benchmarking/cities/alesund/history?kpi=EC: ICT: ICT: 1C"
    ),
    "/api/benchmarking/kpis/{kpi}": "/api/benchmarking/kpis/EC: ICT: ICT: 1C?city=alesund",
    "/api/benchmarking/compare": "/api/benchmarking/compare?cities=alesund&cities=trondheim",
    "/api/benchmarking/programmes/{slug}": (
        "/api/benchmarking/programmes/national-u4ssc-programme-norway"
    ),
    "/api/transfer/exports": "/api/transfer/exports?format=csv&city=alesund",
    "/api/transfer/imports/{run_id}": None,  # needs an import run: the transfer tests read it
}


def _required_query(op: dict) -> bool:
    return any(p["in"] == "query" and p.get("required") for p in op.get("parameters", []))


@pytest.mark.django_db
def test_every_read_endpoint_answers_real_identifiers(client, world):
    from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
    from u4ssc.apps.evaluations.models import Evaluation, State
    from u4ssc.web.api import api

    codes = ["EC: ICT: ICT: 1C", "EC: ICT: ICT: 2C"]
    inputs = [
        ValueInput(city.id, 2023, code, value=50 + i, source="test", ref=f"{city}-{i}")
        for city in (world.city, world.sister)
        for i, code in enumerate(codes)
    ]
    assert apply_entries(actor=None, inputs=inputs, channel="demo", check_permission=False).ok
    Evaluation.objects.update(state=State.PUBLISHED)
    paths = api.get_openapi_schema()["paths"]
    gets = [p for p, ops in paths.items() if "get" in ops]
    missing = [
        p for p in gets if ("{" in p or _required_query(paths[p]["get"])) and p not in EXAMPLES
    ]
    assert not missing, f"give these GET endpoints an example: {missing}"
    for path in gets:
        url = EXAMPLES.get(path, path)
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
