"""Reports from the database: the stand-in data layer, building, tasks, pages, CLI."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from u4ssc.apps.evaluations.models import State
from u4ssc.apps.reports import actions, sources
from u4ssc.apps.reports.tests.test_render import CODES, pdf_pages
from u4ssc.apps.tasks import actions as tasks
from u4ssc.apps.tasks.models import Task, TaskState
from u4ssc.cli import main


def test_city_profile_scores_published_values_and_lists_every_kpi(world, publish):
    publish(year=2022)
    publish(year=2024)
    profile = sources.city_profile(world.city, 2024)
    assert len(profile["kpis"]) == 91
    scored = [k for k in profile["kpis"] if k["scored"]]
    assert len(scored) == 12
    assert all(k["band"] in (1, 2, 3, 4) and k["source"] and k["quality"] for k in scored)
    assert profile["dimensions"] and profile["categories"]
    assert {k["trend"] for k in scored} - {"no trend"}  # 2022 -> 2024 gives trends


def test_unpublished_values_stay_out_unless_asked(world, publish):
    publish(state=State.SUBMITTED)
    assert not any(k["scored"] for k in sources.city_profile(world.city, 2024)["kpis"])
    assert (
        sum(
            k["scored"]
            for k in sources.city_profile(world.city, 2024, include_unpublished=True)["kpis"]
        )
        == 12
    )


def test_programme_view_has_heatmap_opportunities_and_progress(world, publish):
    publish(world.city, 2023)
    publish(world.city, 2024)
    publish(world.sister, 2024)
    publish(world.foreign, 2024)  # not in the national programme
    view = sources.programme_view(world.national, 2024)
    assert [c["city"]["name"] for c in view["cities"]] == ["Trondheim", "Ålesund"]
    assert all(c["published"] and c["categories"] for c in view["cities"])
    alesund = view["cities"][1]
    assert [h["year"] for h in alesund["history"]] == [2023, 2024]
    assert view["opportunities"] and all(o["below"] <= o["scored"] for o in view["opportunities"])


def test_build_snapshot_pdf_and_xlsx(world, publish):
    publish(synthetic=True)
    pdf = actions.build_snapshot(city=world.city, year=2024, fmt="pdf", lang="nb")
    text = "\n".join(pdf_pages(pdf))
    assert "Ålesund" in text and "2024" in text and "Syntetiske demodata" in text
    assert all(text.count(code) == 1 for code in CODES)
    assert "Statistikk #1 *ikke* $fet$ <a> @b \\ æøå" in re.sub(r"\s*\n", " ", text)
    wb = load_workbook(io.BytesIO(actions.build_snapshot(city=world.city, year=2024, fmt="xlsx")))
    assert wb["KPIs"].max_row == 1 + 91 + 28  # a row per KPI and per data point


def test_no_snapshot_of_a_year_without_published_data(world, publish):
    publish(state=State.VERIFIED)
    with pytest.raises(actions.ReportError):
        actions.build_snapshot(city=world.city, year=2024)
    with pytest.raises(actions.ReportError):
        actions.build_snapshot(city=world.city, year=2019)


@pytest.mark.django_db(transaction=True)
def test_task_runs_in_process_and_reports_progress(world, publish, settings, monkeypatch):
    # given the embedded default: tasks run on a thread of the web process
    settings.TASKS_MODE = "inprocess"
    publish()
    seen: list[tuple[float, str]] = []
    original = tasks.Progress.__call__

    def spy(self, fraction, message=""):
        seen.append((fraction, message))
        original(self, fraction, message)

    monkeypatch.setattr(tasks.Progress, "__call__", spy)
    # when a snapshot is asked for
    task_obj = actions.request_snapshot(
        actor=world.user("nobody"), city=world.city, year=2024, fmt="pdf", lang="en"
    )
    for _ in range(300):
        task_obj.refresh_from_db()
        if task_obj.finished:
            break
        import time

        time.sleep(0.05)
    # then it finished with a download link, having reported its steps on the way
    assert task_obj.state == TaskState.DONE, task_obj.error
    assert task_obj.result["download_url"].startswith("/reports/files/")
    assert task_obj.result["filename"] == "city-snapshot-alesund-2024-en.pdf"
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and len(fractions) >= 4
    assert {"reading scores", "charts", "typesetting"} <= {m for _, m in seen}


def _run(client, url, **data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    task_id = response["Location"].rstrip("/").split("/")[-1]
    tasks.run_worker(once=True)
    return Task.objects.get(pk=task_id)


def test_public_downloads_a_published_snapshot(client, world, publish, settings):
    settings.TASKS_MODE = "worker"
    publish()
    page = client.get(f"/cities/{world.city.slug}/2024/")
    assert b"Download City Snapshot (PDF)" in page.content
    task_obj = _run(client, f"/reports/snapshot/{world.city.slug}/2024/", format="xlsx")
    assert task_obj.state == TaskState.DONE, task_obj.error
    response = client.get(task_obj.result["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="city-snapshot-alesund-2024-en.xlsx"' in response["Content-Disposition"]
    load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_unpublished_snapshot_is_for_the_people_working_on_it(client, world, publish, settings):
    settings.TASKS_MODE = "worker"
    publish(state=State.IN_REVIEW)
    # the public cannot ask for it ...
    page = client.get(f"/cities/{world.city.slug}/2024/")
    assert b"Download City Snapshot" not in page.content
    assert (
        client.post(f"/reports/snapshot/{world.city.slug}/2024/", {"format": "pdf"}).status_code
        == 404
    )
    # ... the city's officer can, and gets it marked "not published"
    client.force_login(world.user("officer"))
    task_obj = _run(client, f"/reports/snapshot/{world.city.slug}/2024/", format="pdf")
    assert task_obj.state == TaskState.DONE, task_obj.error
    url = task_obj.result["download_url"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Not published" in pdf_pages(b"".join(response.streaming_content))[0]
    # ... and nobody else may download the file, even with its link
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(world.user("nobody"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("verifier"))  # reviews the national programme's cities
    assert client.get(url).status_code == 200


def test_published_snapshot_is_withdrawn_when_the_year_is_unpublished(
    client, world, publish, settings
):
    settings.TASKS_MODE = "worker"
    evaluation = publish()
    task_obj = _run(client, f"/reports/snapshot/{world.city.slug}/2024/", format="pdf")
    url = task_obj.result["download_url"]
    assert client.get(url).status_code == 200
    type(evaluation).objects.filter(pk=evaluation.pk).update(state=State.RETURNED)
    assert client.get(url).status_code == 404
    assert client.get("/reports/files/../../etc/passwd/").status_code == 404
    assert client.get("/reports/files/" + "0" * 32 + "/").status_code == 404


def test_national_report_from_the_group_page(client, world, publish, settings):
    settings.TASKS_MODE = "worker"
    publish(world.city)
    publish(world.sister)
    page = client.get(f"/organisations/{world.national.slug}/")
    assert b"Download national report (PDF)" in page.content
    task_obj = _run(client, f"/reports/national/{world.national.slug}/", format="pdf", year=2024)
    assert task_obj.state == TaskState.DONE, task_obj.error
    response = client.get(task_obj.result["download_url"])
    text = "\n".join(pdf_pages(b"".join(response.streaming_content)))
    assert "Trondheim" in text and "Ålesund" in text and "Shared opportunities" in text


def test_norwegian_page_gives_a_norwegian_report(client, world, publish, settings):
    settings.TASKS_MODE = "worker"
    publish()
    task_obj = _run(client, f"/nb/reports/snapshot/{world.city.slug}/2024/", format="pdf")
    assert task_obj.params["lang"] == "nb"
    assert task_obj.result["download_url"].startswith("/nb/reports/files/")
    response = client.get(task_obj.result["download_url"])
    assert "Datakvalitet" in "\n".join(pdf_pages(b"".join(response.streaming_content)))


def test_cli_writes_snapshot_and_national_report(world, publish, tmp_path, capsys):
    publish()
    out = tmp_path / "snap.pdf"
    assert (
        main(["report", "snapshot", "--city", world.city.slug, "--year", "2024", "--out", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF-")
    out = tmp_path / "nat.xlsx"
    assert (
        main(
            [
                "report",
                "national",
                "--group",
                world.national.slug,
                "--year",
                "2024",
                "--lang",
                "nb",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "Varmekart" in load_workbook(out).sheetnames
    assert (
        main(["report", "snapshot", "--city", "nowhere", "--year", "2024", "--out", str(out)]) == 2
    )
    assert "no city 'nowhere'" in capsys.readouterr().err
