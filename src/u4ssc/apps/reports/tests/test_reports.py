"""Reports from the database: building, tasks, pages, downloads, command line."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import load_workbook

from u4ssc.apps.benchmarking import queries
from u4ssc.apps.catalogue.models import KPI, Target, TargetSet, TargetSetKind
from u4ssc.apps.catalogue.queries import default_target_set
from u4ssc.apps.evaluations.models import State
from u4ssc.apps.reports import actions
from u4ssc.apps.reports.tests.conftest import NOT_REPORTED
from u4ssc.apps.reports.tests.test_render import CODES, pdf_pages
from u4ssc.apps.tasks import actions as tasks
from u4ssc.apps.tasks.models import Task, TaskState
from u4ssc.cli import main


def national_set(world) -> TargetSet:
    """A national target set of the Norwegian programme: the default's targets, and one
    more KPI (Household Internet Access, >= 90 %)."""
    target_set = TargetSet.objects.create(
        name="Norway national targets",
        slug="norway-national",
        kind=TargetSetKind.NATIONAL,
        owner=world.national,
        method="u4ssc",
    )
    default = default_target_set()
    Target.objects.bulk_create(
        Target(
            target_set=target_set,
            kpi=t.kpi,
            data_point=t.data_point,
            direction=t.direction,
            value=t.value,
            range_low=t.range_low,
            range_high=t.range_high,
            source=t.source,
        )
        for t in default.targets.all()
    )
    internet = KPI.objects.get(code="EC: ICT: ICT: 1C")
    Target.objects.create(
        target_set=target_set, kpi=internet, direction="higher", value=90.0, source="test"
    )
    return target_set


def test_build_snapshot_pdf_and_xlsx(world, publish):
    publish(synthetic=True)
    pdf = actions.build_snapshot(city=world.city, year=2024, fmt="pdf", lang="nb")
    text = "\n".join(pdf_pages(pdf))
    assert "Ålesund" in text and "2024" in text and "Syntetiske demodata" in text
    assert all(text.count(code) == 1 for code in CODES)
    wb = load_workbook(io.BytesIO(actions.build_snapshot(city=world.city, year=2024, fmt="xlsx")))
    tiles = queries.city_profile(world.city, 2024, default_target_set())["tiles"]
    points = sum(len(t["data_points"]) for t in tiles)
    assert wb["KPIs"].max_row == 1 + len(tiles) + points  # a row per tile and per data point
    assert len(tiles) == 91 - len(NOT_REPORTED)


def test_snapshot_scores_against_the_citys_national_set_or_the_one_asked_for(world, publish):
    publish()
    national_set(world)
    # without a choice: the set of the city's national programme, as on its profile
    default = actions.build_snapshot(city=world.city, year=2024, fmt="xlsx")
    chosen = actions.build_snapshot(
        city=world.city, year=2024, fmt="xlsx", target_set="u4ssc-default"
    )

    def internet(data: bytes) -> tuple:
        rows = load_workbook(io.BytesIO(data))["KPIs"].iter_rows(min_row=2, values_only=True)
        return next(r for r in rows if r[0] == "EC: ICT: ICT: 1C")

    assert internet(default)[5] == "≥ 90 %" and internet(default)[7].endswith("of target")
    assert internet(chosen)[7] == "not scored: no target in this set"
    with pytest.raises(actions.ReportError, match=r"choose one of: .*norway-national"):
        actions.build_snapshot(city=world.city, year=2024, target_set="nowhere")


def test_no_snapshot_of_a_year_without_published_data(world, publish):
    publish(state=State.VERIFIED)
    with pytest.raises(actions.ReportError, match="no published data for 2024"):
        actions.build_snapshot(city=world.city, year=2024)
    with pytest.raises(actions.ReportError):
        actions.build_snapshot(city=world.city, year=2019)


def test_national_report_defaults_to_the_groups_national_set(world, publish):
    publish(world.city)
    publish(world.sister)
    national_set(world)
    text = "\n".join(pdf_pages(actions.build_national(group=world.national, year=2024)))
    assert "Target set: Norway national targets" in text
    with pytest.raises(actions.ReportError, match=r"no city of .* has published data for 2019"):
        actions.build_national(group=world.national, year=2019)


def test_default_year(world, publish):
    publish(world.city, 2023)
    publish(world.city, 2024)
    publish(world.sister, 2023)
    assert actions.default_year(world.city) == 2024
    assert actions.default_year(world.national) == 2023  # most cities published 2023
    with pytest.raises(actions.ReportError):
        actions.default_year(world.foreign)


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
    for _ in range(600):
        task_obj.refresh_from_db()
        if task_obj.finished:
            break
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


def test_no_snapshot_of_unpublished_data_for_anyone(client, world, publish, settings):
    # Reports show published data only, as the benchmarking pages do: the people working
    # on a year see its values on the data pages, not in a report.
    settings.TASKS_MODE = "worker"
    publish(state=State.IN_REVIEW)
    for who in (None, "officer"):
        if who:
            client.force_login(world.user(who))
        page = client.get(f"/cities/{world.city.slug}/2024/")
        assert b"Download City Snapshot" not in page.content
        response = client.post(f"/reports/snapshot/{world.city.slug}/2024/", {"format": "pdf"})
        assert response.status_code == 404
    assert not Task.objects.exists()


def test_a_page_passes_its_target_set_to_the_report(client, world, publish, settings):
    settings.TASKS_MODE = "worker"
    publish()
    national = national_set(world)
    task_obj = _run(
        client,
        f"/reports/snapshot/{world.city.slug}/2024/",
        format="pdf",
        targets=national.slug,
    )
    assert task_obj.params["target_set"] == national.slug
    response = client.get(task_obj.result["download_url"])
    assert "Norway national targets" in pdf_pages(b"".join(response.streaming_content))[0]
    unknown = client.post(
        f"/reports/snapshot/{world.city.slug}/2024/", {"format": "pdf", "targets": "nowhere"}
    )
    assert unknown.status_code == 404


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
    assert main(["report", "snapshot", "--city", world.city.slug, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "Ålesund 2024" in capsys.readouterr().err  # the latest published year
    out = tmp_path / "nat.xlsx"
    args = ["report", "national", "--group", world.national.slug, "--year", "2024"]
    assert main([*args, "--lang", "nb", "--out", str(out)]) == 0
    assert "Kategorier" in load_workbook(out).sheetnames
    assert main(["report", "snapshot", "--city", "nowhere", "--out", str(out)]) == 2
    assert "no city 'nowhere'" in capsys.readouterr().err
    bad = ["--city", world.city.slug, "--target-set", "nowhere", "--out", str(out)]
    assert main(["report", "snapshot", *bad]) == 2
    assert "choose one of: u4ssc-default" in capsys.readouterr().err


def test_benchmarking_pages_carry_the_buttons_with_their_target_set(
    client, world, publish, settings
):
    settings.TASKS_MODE = "worker"
    for year in (2023, 2024):
        publish(world.city, year)
        publish(world.sister, year)
    national = national_set(world)
    # the city's profile, shown against the national set, offers a snapshot of that set ...
    url = f"/benchmarking/cities/{world.city.slug}/2024/?targets={national.slug}"
    html = client.get(url).content.decode()
    assert "Download City Snapshot (PDF)" in html
    assert f'action="/reports/snapshot/{world.city.slug}/2024/"' in html
    assert f'name="targets" value="{national.slug}"' in html
    # ... and so does the part the page swaps in when another year is picked (htmx)
    url = f"/benchmarking/cities/{world.city.slug}/2023/?targets={national.slug}"
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and f'action="/reports/snapshot/{world.city.slug}/2023/"' in html
    # the programme view (the group's national set by default) offers its year's report
    html = client.get(f"/benchmarking/programmes/{world.national.slug}/?year=2023").content
    html = html.decode()
    assert "Download national report (PDF)" in html
    assert f'name="targets" value="{national.slug}"' in html
    assert '<option value="2023" selected>' in html
    # and the snapshot the profile's button makes says what the profile says
    task_obj = _run(
        client,
        f"/reports/snapshot/{world.city.slug}/2024/",
        format="xlsx",
        targets=national.slug,
    )
    data = b"".join(client.get(task_obj.result["download_url"]).streaming_content)
    rows = load_workbook(io.BytesIO(data))["KPIs"].iter_rows(min_row=2, values_only=True)
    kpi_rows = [r for r in rows if not r[2]]  # a KPI's own row, not its data points'
    tiles = queries.city_profile(world.city, 2024, national)["tiles"]
    assert [r[0] for r in kpi_rows] == [t["kpi_code"] for t in tiles]
    for row, tile in zip(kpi_rows, tiles, strict=True):
        if tile["band"]:
            assert row[7].replace("\u00a0", " ") == f"{tile['band_icon']} {tile['band_label']}"
