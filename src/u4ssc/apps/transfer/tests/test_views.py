"""Pages: links from the data sheet and the public page, upload, report, downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from u4ssc.apps.evaluations.actions import ValueInput, ensure_evaluation
from u4ssc.apps.evaluations.models import Evaluation, KPIValue
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.apps.transfer.tests.conftest import publish

pytestmark = pytest.mark.django_db

GOOD = "kpi,value,source,quality\nEN: EN: AQ: 2C,3.4,SSB,2\n"
BAD = "kpi,value,source,quality\nEN: EN: AQ: 2C,three,SSB,2\n"


@pytest.fixture
def evaluation(world):
    return ensure_evaluation(actor=world.user("officer"), city=world.city, year=2024)


def upload(client, url, text, name="values.csv", **extra):
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"), **extra}
    return client.post(url, data)


def test_the_data_sheet_links_to_the_workbook_and_the_upload_when_editable(
    world, client, evaluation
):
    client.force_login(world.user("officer"))
    page = client.get(reverse("evaluations:sheet", args=["alesund", 2024])).content.decode()
    assert reverse("transfer:workbook", args=["alesund", 2024]) in page
    assert reverse("transfer:upload", args=["alesund", 2024]) in page
    assert "Download the data-collection workbook" in page
    client.force_login(world.user("viewer"))
    page = client.get(reverse("evaluations:sheet", args=["alesund", 2024])).content.decode()
    assert reverse("transfer:upload", args=["alesund", 2024]) not in page


def test_upload_with_an_error_shows_the_report_then_fix_and_upload(world, client, evaluation):
    client.force_login(world.user("officer"))
    url = reverse("transfer:upload", args=["alesund", 2024])
    form = client.get(url)
    assert form.status_code == 200
    assert b'<label for="id_file">' in form.content
    # when a file with text in a number cell is uploaded
    response = upload(client, url, BAD)
    # then the report page shows the problem as text, with row, column and value
    assert response.status_code == 302
    report = client.get(response["Location"])
    page = report.content.decode()
    assert "Refused" in page and "row 2" in page and "three" in page
    assert "This cell should hold a number but holds text." in page
    assert "Fix the file and upload it again" in page and url in page
    assert KPIValue.objects.count() == 0
    # when the fixed file is uploaded
    report = client.get(upload(client, url, GOOD)["Location"])
    assert "Imported 1 row: 1 new, 0 changed, 0 unchanged." in report.content.decode()
    assert KPIValue.objects.get().value == 3.4
    # the upload page lists the imports
    assert b"values.csv" in client.get(url).content


def test_the_report_filters_by_severity_with_htmx_partial(world, client, evaluation):
    client.force_login(world.user("officer"))
    location = upload(client, reverse("transfer:upload", args=["alesund", 2024]), BAD)["Location"]
    partial = client.get(location + "?show=warning", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Nothing to show." in partial.content
    full = client.get(location + "?show=error")
    assert b"<html" in full.content and b"three" in full.content


def test_a_dry_run_from_the_page_writes_nothing(world, client, evaluation):
    client.force_login(world.user("officer"))
    url = reverse("transfer:upload", args=["alesund", 2024])
    report = client.get(upload(client, url, GOOD, dry_run="on")["Location"])
    assert "nothing written (dry run)" in report.content.decode()
    assert KPIValue.objects.count() == 0 and ImportRun.objects.get().dry_run


def test_an_upload_without_a_file_says_so(world, client, evaluation):
    client.force_login(world.user("officer"))
    response = client.post(reverse("transfer:upload", args=["alesund", 2024]), {})
    assert response.status_code == 422
    assert b'aria-invalid="true"' in response.content and b"field-error" in response.content


def test_only_the_city_officer_may_upload_and_see_the_report(world, client, evaluation):
    url = reverse("transfer:upload", args=["alesund", 2024])
    client.force_login(world.user("viewer"))
    assert client.get(url).status_code == 403
    client.force_login(world.user("officer"))
    location = upload(client, url, GOOD)["Location"]
    client.force_login(world.user("nobody"))
    assert client.get(location).status_code == 404
    client.force_login(world.user("national"))  # may see Ålesund's data
    assert client.get(location).status_code == 200


def test_a_submitted_year_cannot_be_uploaded_to(world, client):
    publish(world, world.city, 2024, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.0, source="x")])
    client.force_login(world.user("officer"))
    url = reverse("transfer:upload", args=["alesund", 2024])
    page = client.get(url).content.decode()
    assert "cannot be changed now" in page and 'type="file"' not in page
    assert upload(client, url, GOOD).status_code == 422


def test_the_workbook_download_is_an_xlsx_for_people_who_may_see_the_data(
    world, client, evaluation
):
    url = reverse("transfer:workbook", args=["alesund", 2024])
    assert client.get(url).status_code == 404  # anonymous, unpublished
    client.force_login(world.user("officer"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "u4ssc-alesund-2024-data-collection" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Data" in wb.sheetnames


def test_the_public_page_offers_downloads_of_published_data(world, client):
    publish(world, world.city, 2024, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.0, source="x")])
    page = client.get(reverse("evaluations:public", args=["alesund", 2024])).content.decode()
    assert "Download the data" in page
    download = reverse("transfer:download")
    assert f"{download}?format=datapackage&amp;city=alesund&amp;year=2024" in page
    assert f"{download}?format=csv&amp;city=alesund" in page
    response = client.get(download, {"format": "csv", "city": "alesund", "year": 2024})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Ålesund" in body and "EN: EN: AQ: 2C" in body


def test_download_of_an_unknown_city_is_a_404(world, client):
    response = client.get(reverse("transfer:download"), {"format": "csv", "city": "atlantis"})
    assert response.status_code == 404


def test_the_pages_speak_norwegian(world, client, evaluation):
    client.force_login(world.user("officer"))
    page = client.get("/nb" + reverse("transfer:upload", args=["alesund", 2024])).content.decode()
    assert "Last opp en utfylt arbeidsbok eller CSV" in page


def test_group_and_city_pages_offer_downloads_once_something_is_published(world, client):
    group_url = reverse("organisations:detail", args=["national-u4ssc-programme-norway"])
    city_url = reverse("organisations:detail", args=["alesund"])
    assert "Download the data" not in client.get(group_url).content.decode()
    publish(world, world.city, 2024, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.0, source="x")])
    group_page = client.get(group_url).content.decode()
    assert "Download the data" in group_page
    assert "format=datapackage&amp;group=national-u4ssc-programme-norway" in group_page
    assert "format=xlsx&amp;city=alesund" in client.get(city_url).content.decode()


def test_the_programme_administrator_is_told_which_city_and_row_is_refused(world, client):
    # given the programme administrator, who changes no city's data (the permission matrix)
    client.force_login(world.user("admin"))
    page = client.get(reverse("transfer:imports")).content.decode()
    assert "You are not a data officer of any city" in page
    # when a file with a value for Ålesund is uploaded on the general import page
    text = "city,year,kpi,value,source\nalesund,2024,EN: EN: AQ: 2C,3.4,SSB\n"
    report = client.get(upload(client, reverse("transfer:imports"), text)["Location"])
    # then the report names the row, the city by its name and the value the file held
    html = report.content.decode()
    assert "You may not change the data of Ålesund 2024." in html
    assert "<td>row 2</td>" in html and "<code>3.4</code>" in html
    assert f"<code>{world.city.id}</code>" not in html
    assert KPIValue.objects.count() == 0


def test_a_report_made_in_english_reads_in_bokmal_and_back(world, client, evaluation):
    # given a refused upload by an officer reading English: text in a number cell, and a
    # share above 100 % found by the core's checks
    client.force_login(world.user("officer"))
    text = "kpi,value,source,quality\nEN: EN: AQ: 2C,three,SSB,2\nEC: ICT: ICT: 1C,107.5,SSB,2\n"
    location = upload(client, reverse("transfer:upload", args=["alesund", 2024]), text)["Location"]
    run = ImportRun.objects.get()
    # then the stored report is English (what the API and the command line show)
    stored = {f["message"] for f in run.report["findings"]}
    assert "This cell should hold a number but holds text." in stored
    assert run.report["summary"].startswith("Refused: 2 errors in 2 rows.")
    # when a Bokmål reader opens it
    page = client.get("/nb" + location).content.decode()
    # then the summary, the places, the messages and what was expected are Bokmål, the core's
    # check with a decimal comma
    assert "Avvist: 2 feil i 2 rader." in page
    assert "<td>rad 2</td>" in page and "<td>rad 3</td>" in page
    assert "Denne cellen skal inneholde et tall, men inneholder tekst." in page
    assert "107,5 % er ikke mulig for Husholdninger med internettilgang" in page
    assert "mellom 0 og 100 %" in page
    assert "This cell should hold a number" not in page and "row 2" not in page
    # and an English reader still reads English
    english = client.get(location).content.decode()
    assert "<td>row 2</td>" in english and "107.5 % is not possible for" in english


def test_the_upload_and_workbook_of_a_year_after_next_year_are_refused(world, client):
    from django.utils import timezone

    later = timezone.localdate().year + 2
    client.force_login(world.user("officer"))
    page = client.get(reverse("transfer:upload", args=["alesund", later]))
    assert page.status_code == 404
    assert f"{later} is not a year the platform takes data for" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    workbook = client.get(reverse("transfer:workbook", args=["alesund", later]))
    assert workbook.status_code == 404 and b"is not a year" in workbook.content
    # a long CSV naming that year is refused at its year cell
    text = f"city,year,kpi,value,source\nalesund,{later},EN: EN: AQ: 2C,3.4,SSB\n"
    report = client.get(upload(client, reverse("transfer:imports"), text)["Location"])
    html = report.content.decode()
    assert "Refused" in html and "<td>row 2</td>" in html and "<td>year</td>" in html
    assert not Evaluation.objects.exists()
