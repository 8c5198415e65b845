"""API: POST /api/transfer/imports and GET /api/transfer/exports. No 500 on bad requests."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.models import KPIValue
from u4ssc.apps.transfer.tests.conftest import publish

pytestmark = pytest.mark.django_db

GOOD = "city,year,kpi,value,source\nalesund,2024,EN: EN: AQ: 2C,3.4,SSB\n"
BAD = "city,year,kpi,value,source\nalesund,2024,EN: EN: AQ: 2C,-3,SSB\n"


@pytest.fixture
def token(world):
    _token, raw = create_api_token(actor=world.user("officer"), name="tests")
    return {"Authorization": f"Bearer {raw}"}


def post(client, headers, text, name="values.csv", **data):
    files = {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")}
    return client.post("/api/transfer/imports", {**files, **data}, headers=headers)


def test_an_import_with_a_token_answers_the_report(world, client, token):
    response = post(client, token, GOOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "written" and body["created"] == 1
    assert body["summary"].startswith("Imported 1 row")
    assert body["url"].endswith(f"/import-reports/{body['id']}/")
    assert KPIValue.objects.get().value == 3.4
    again = client.get(f"/api/transfer/imports/{body['id']}", headers=token)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_a_refused_file_is_a_422_with_the_problems(world, client, token):
    response = post(client, token, BAD)
    assert response.status_code == 422
    body = response.json()
    assert body["outcome"] == "refused" and body["errors"] == 1
    [finding] = body["findings"]
    assert finding["row"] == "row 2" and finding["severity"] == "error"
    assert KPIValue.objects.count() == 0


def test_a_dry_run_through_the_api(world, client, token):
    response = post(client, token, GOOD, dry_run="true")
    assert response.status_code == 200 and response.json()["outcome"] == "checked"
    assert KPIValue.objects.count() == 0


def test_a_profile_import_through_the_api(world, client, token):
    text = "City,Country,Accounting Year,Total emissions (metric tonnes CO2e),Population\n"
    text += "Ålesund,Norway,2020-01-01 - 2020-12-31,201000,67000\n"
    response = post(client, token, text, profile="cdp-citywide-emissions-2017")
    # the 2017 profile also reads Organization, Population year, ... : the columns are named
    assert response.status_code == 422
    assert response.json()["findings"][0]["code"] == "missing_columns"


@pytest.mark.parametrize(
    ("headers_key", "data", "status"),
    [
        ("none", {}, 401),  # no token
        ("bad", {}, 401),  # a token that does not exist
        ("token", {"profile": "no-such-profile"}, 422),
        ("token", {"year": "next year"}, 422),
        ("token", {"city": "atlantis", "year": "2024"}, 404),
        ("token", {"city": "linz", "year": "2024"}, 403),
    ],
)
def test_malformed_requests_get_the_error_body_never_a_500(
    world, client, token, headers_key, data, status
):
    headers = {"none": {}, "bad": {"Authorization": "Bearer u4s_nope"}, "token": token}[headers_key]
    response = post(client, headers, GOOD, **data)
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"status", "code", "message"}


def test_a_post_without_a_file_is_a_422(world, client, token):
    response = client.post("/api/transfer/imports", {"dry_run": "true"}, headers=token)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    response = client.post(
        "/api/transfer/imports", data=b"{not json", content_type="application/json", headers=token
    )
    assert response.status_code in (400, 422)


@pytest.fixture
def published(world):
    publish(world, world.city, 2024, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.0, source="=x")])
    return world


def test_exports_through_the_api(published, client):
    response = client.get("/api/transfer/exports", {"format": "csv", "city": "alesund"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="u4ssc-alesund.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=x" in text
    response = client.get(
        "/api/transfer/exports",
        {"format": "datapackage", "group": "nordic-hub", "year": 2024},
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("datapackage.json"))["name"] == "u4ssc-nordic-hub-2024"
    response = client.get("/api/transfer/exports", {"format": "json"})
    assert json.loads(b"".join(response.streaming_content))["values"][0]["city"] == "alesund"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"format": "pdf"}, 422),
        ({"format": "csv", "year": "soon"}, 422),
        ({"format": "csv", "year": "1200"}, 422),
        ({"format": "csv", "city": "atlantis"}, 404),
        ({"format": "csv", "group": "alesund"}, 404),
        ({"format": "csv", "city": "alesund", "group": "nordic-hub"}, 422),
    ],
)
def test_bad_export_requests_are_answered_with_the_error_body(published, client, params, status):
    response = client.get("/api/transfer/exports", params)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_the_profiles_are_listed(world, client):
    slugs = [p["slug"] for p in client.get("/api/transfer/profiles").json()]
    assert "cdp-citywide-emissions-2019" in slugs
