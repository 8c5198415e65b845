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
