"""The whole data-gathering cycle of issue 2, as the people involved do it, in one test.

A city data officer downloads the workbook, fills it with one deliberate error, uploads
it, reads the error, fixes it and submits; the verifier returns one value; the officer
fixes it; the verifier verifies and publishes; the published values then appear in the
API, the exports and the public pages.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State

pytestmark = pytest.mark.django_db

INTERNET = "EC: ICT: ICT: 1C"
BROADBAND = "EC: ICT: ICT: 2C"
ELECTRICITY = "EC: I: ES: 3C"


def _fill(workbook_bytes: bytes, values: dict[str, dict[str, object]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in ws.iter_rows(min_row=3):
        code = row[col["Code"] - 1].value
        if code in values:
            for name, value in values[code].items():
                ws.cell(row=row[0].row, column=col[name], value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    upload = SimpleUploadedFile(
        "alesund-2025.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = client.post("/imports/alesund/2025/", {"file": upload}, follow=True)
    assert response.status_code in (200, 422)
    return response.content.decode()


def test_from_workbook_to_published_open_data(client, world):
    officer, verifier = world.user("officer"), world.user("verifier")

    # The officer opens 2025 and downloads the data-collection workbook.
    client.force_login(officer)
    started = client.post("/data/alesund/start/", {"year": "2025"})
    assert started.status_code == 302
    download = client.get("/imports/alesund/2025/workbook.xlsx")
    assert download.status_code == 200
    blank = b"".join(download.streaming_content)

    # ... fills three KPIs, one with text in a number cell, and uploads it.
    filled = {
        INTERNET: {
            "Status": "reported",
            "Numerator": 30_000,
            "Denominator": 31_000,
            "Source": "SSB table 11000",
            "Data quality grade": 2,
        },
        BROADBAND: {"Status": "reported", "Value": "about eighty", "Source": "Nkom"},
        ELECTRICITY: {"Status": "reported", "Value": 100, "Source": "Elvia"},
    }
    report = _upload(client, _fill(blank, filled))
    assert "about eighty" in report  # the report quotes the cell ...
    assert "Value" in report  # ... names its column ...
    assert KPIValue.objects.count() == 0  # ... and nothing was written

    # ... fixes the cell and uploads again: everything is saved.
    filled[BROADBAND]["Value"] = 82.5
    report = _upload(client, _fill(blank, filled))
    assert KPIValue.objects.filter(evaluation__year=2025).count() == 3
    ev = Evaluation.objects.get(city=world.city, year=2025)
    assert client.post("/data/alesund/2025/submit/").status_code == 302
    ev.refresh_from_db()
    assert ev.state == State.SUBMITTED

    # The verifier starts the review, returns broadband with a comment, accepts the rest.
    client.force_login(verifier)
    client.post("/data/alesund/2025/start-review/")
    values = {v.kpi.code: v for v in KPIValue.objects.select_related("kpi")}
    for code, decision, comment in [
        (INTERNET, "accept", ""),
        (BROADBAND, "return", "Use subscriptions at 31 December, not the yearly average"),
        (ELECTRICITY, "accept", ""),
    ]:
        v = values[code]
        client.post(
            f"/data/alesund/2025/review/{v.id}/",
            {f"r{v.id}-decision": decision, f"r{v.id}-comment": comment},
        )
    client.post("/data/alesund/2025/return/", {"comment": "One value to correct"})
    ev.refresh_from_db()
    assert ev.state == State.RETURNED

    # The officer sees the comment and corrects the value on the data sheet.
    client.force_login(officer)
    sheet = client.get("/data/alesund/2025/").content.decode()
    assert "Use subscriptions at 31 December" in sheet
    kpi = KPI.objects.get(code=BROADBAND)
    prefix = f"kpi-{kpi.id}-value"
    saved = client.post(
        f"/data/alesund/2025/kpi/{kpi.id}/-/",
        {
            f"{prefix}-status": "reported",
            f"{prefix}-value": "81,0",
            f"{prefix}-source": "Nkom, 31 December",
            f"{prefix}-version": "1",
            f"{prefix}-reason": "Subscriptions at 31 December, as the verifier asked",
        },
        HTTP_HX_REQUEST="true",
    )
    assert b"Saved." in saved.content
    client.post("/data/alesund/2025/submit/")

    # The verifier reviews the corrected value, verifies and publishes.
    client.force_login(verifier)
    client.post("/data/alesund/2025/start-review/")
    v = KPIValue.objects.get(kpi__code=BROADBAND)
    client.post(f"/data/alesund/2025/review/{v.id}/", {f"r{v.id}-decision": "accept"})
    client.post("/data/alesund/2025/verify/", {"attestation": "Checked against SSB and Nkom"})
    client.post("/data/alesund/2025/publish/")
    ev.refresh_from_db()
    assert ev.state == State.PUBLISHED

    # Everyone now finds the values: API, exports, public page.
    client.logout()
    api = client.get("/api/evaluations/values?city=alesund&year=2025").json()["items"]
    assert {(i["kpi_code"], round(i["value"], 2)) for i in api} == {
        (INTERNET, round(30_000 / 31_000 * 100, 2)),
        (BROADBAND, 81.0),
        (ELECTRICITY, 100.0),
    }
    export = client.get("/downloads/?format=csv&city=alesund&year=2025")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["kpi_code"] for r in rows} == {INTERNET, BROADBAND, ELECTRICITY}
    public = client.get("/cities/alesund/2025/").content.decode()
    assert "Household Internet Access" in public and "Checked against SSB and Nkom" in public
    # and the history of the corrected value keeps both versions
    history = list(v.revisions.order_by("version"))
    assert [r.after["value"] for r in history] == [82.5, 81.0]
    assert history[-1].reason == "Subscriptions at 31 December, as the verifier asked"
