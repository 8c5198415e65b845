"""A NUL character in a request is a 400 before any view or query sees it.

PostgreSQL refuses NUL in text columns (a lookup with one raised a server error there and
not on SQLite); the API fuzzer found it on ``/api/benchmarking/compare``.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.web.guards import MESSAGE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/benchmarking/compare?cities=alesund&cities=trond%00heim",
        "/api/organisations/cities?q=%00",
        "/api/organisations/al%00esund",
    ],
)
def test_api_answers_nul_with_its_error_body(client, world, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "bad_request",
        "message": MESSAGE,
        "details": [],
    }


def test_pages_answer_nul_with_a_plain_400(client, world):
    response = client.get("/organisations/?q=%00")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    response = client.get("/nb/cities/al%00esund/")
    assert response.status_code == 400


def test_json_and_form_bodies_with_nul_are_refused(client, world):
    _token, raw = create_api_token(actor=world.user("officer"), name="t")
    response = client.post(
        "/api/evaluations/",
        data=json.dumps({"city": "alesund\u0000", "year": 2024}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    client.force_login(world.user("officer"))
    response = client.post("/accounts/me/", {"name": "a\x00b"})
    assert response.status_code == 400


def test_an_uploaded_file_full_of_nul_bytes_is_not_refused_for_it(client, world):
    _token, raw = create_api_token(actor=world.user("officer"), name="t")
    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04" + b"\x00" * 64)
    response = client.post(
        "/api/transfer/imports",
        {"file": upload, "dry_run": "true"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    # the import answers (the file is not a workbook), not the guard
    assert response.status_code == 422
    assert MESSAGE not in response.content.decode()


def test_ordinary_requests_pass(client, world):
    assert (
        client.get("/api/benchmarking/compare?cities=alesund&cities=trondheim").status_code != 400
    )
    assert client.get("/organisations/?q=%C3%85lesund").status_code == 200
