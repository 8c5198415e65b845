from __future__ import annotations

import time

import pytest

from u4ssc.apps.tasks import actions
from u4ssc.apps.tasks.models import Task, TaskState
from u4ssc.apps.tasks.registry import task


@task("tests.add")
def _add(progress, a: int, b: int) -> dict:
    progress(0.5, "halfway")
    return {"sum": a + b}


@task("tests.fail")
def _fail(progress) -> dict:
    raise ValueError("no such city")


@pytest.mark.django_db(transaction=True)
def test_inprocess_mode_runs_on_a_thread_after_commit(settings):
    settings.TASKS_MODE = "inprocess"
    t = actions.enqueue("tests.add", a=2, b=3, title="adding")
    for _ in range(100):
        t.refresh_from_db()
        if t.finished:
            break
        time.sleep(0.05)
    assert t.state == TaskState.DONE
    assert t.result == {"sum": 5} and t.progress == 1.0


@pytest.mark.django_db
def test_worker_mode_waits_for_the_worker(settings):
    settings.TASKS_MODE = "worker"
    t = actions.enqueue("tests.add", a=1, b=1)
    assert Task.objects.get(pk=t.pk).state == TaskState.QUEUED
    assert actions.run_worker(once=True) == 1
    assert Task.objects.get(pk=t.pk).result == {"sum": 2}


@pytest.mark.django_db
def test_failure_is_recorded_not_raised(settings):
    settings.TASKS_MODE = "worker"
    t = actions.enqueue("tests.fail")
    actions.run_worker(once=True)
    t.refresh_from_db()
    assert t.state == TaskState.FAILED and "no such city" in t.error


@pytest.mark.django_db
def test_unknown_task_is_refused_at_once():
    with pytest.raises(KeyError):
        actions.enqueue("tests.nope")


@pytest.mark.django_db
def test_progress_page_polls_until_done(client, settings):
    settings.TASKS_MODE = "worker"
    t = actions.enqueue("tests.add", a=1, b=2, title="Adding")
    page = client.get(f"/tasks/{t.pk}/")
    assert page.status_code == 200 and b'hx-trigger="every 1s"' in page.content
    actions.run_worker(once=True)
    partial = client.get(f"/tasks/{t.pk}/", HTTP_HX_REQUEST="true")
    assert b"Done." in partial.content and b"<html" not in partial.content
    assert b"every 1s" not in partial.content
    assert client.get(f"/tasks/{t.pk}/", HTTP_ACCEPT="application/json").json()["result"] == {
        "sum": 3
    }
