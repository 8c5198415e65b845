"""Queue and run background tasks.

``enqueue`` stores the task; once the surrounding transaction commits it is started:
in ``inprocess`` mode (embedded default) on a daemon thread of this process, in ``worker``
mode by ``u4ssc worker`` polling the table, in ``sync`` mode (tests) right away.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from u4ssc.apps.tasks import registry
from u4ssc.apps.tasks.models import Task, TaskState

logger = logging.getLogger(__name__)


class Progress:
    """Handed to a task function: ``progress(0.4, gettext_noop("Drawing the charts"))``.

    The message is stored as given and translated when the progress page shows it, in the
    language of whoever watches: mark it with ``gettext_noop`` (not ``gettext``: a task
    runs outside any request) and keep numbers out of it.
    """

    def __init__(self, task_id: Any) -> None:
        self.task_id = task_id
        self._last = 0.0

    def __call__(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        # At most a few writes a second: progress is for people, not for the database.
        if fraction < 1 and now - self._last < 0.2:
            return
        self._last = now
        Task.objects.filter(pk=self.task_id).update(
            progress=max(0.0, min(1.0, fraction)), message=message[:300]
        )


def enqueue(name: str, *, actor: Any = None, title: str = "", **params: Any) -> Task:
    registry.get(name)  # fail now, not later, on an unknown task
    user = actor if getattr(actor, "is_authenticated", False) else None
    task_obj = Task.objects.create(name=name, title=title, params=params, created_by=user)
    mode = settings.TASKS_MODE
    if mode == "sync":
        transaction.on_commit(lambda: run_task(task_obj.pk))
    elif mode == "inprocess":
        transaction.on_commit(lambda: _start_thread(task_obj.pk))
    return task_obj


def _start_thread(task_id: Any) -> None:
    thread = threading.Thread(target=_thread_main, args=(task_id,), daemon=True)
    thread.start()


def _thread_main(task_id: Any) -> None:
    try:
        run_task(task_id)
    finally:
        connection.close()


def claim_next() -> Task | None:
    """Take the oldest queued task (for ``u4ssc worker``); None when there is none."""
    with transaction.atomic():
        qs = Task.objects.filter(state=TaskState.QUEUED).order_by("created_at")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        task_obj = qs.first()
        if task_obj is None:
            return None
        Task.objects.filter(pk=task_obj.pk).update(
            state=TaskState.RUNNING, started_at=timezone.now()
        )
        return task_obj


def run_task(task_id: Any) -> None:
    updated = Task.objects.filter(pk=task_id, state=TaskState.QUEUED).update(
        state=TaskState.RUNNING, started_at=timezone.now()
    )
    task_obj = Task.objects.get(pk=task_id)
    if not updated and task_obj.state != TaskState.RUNNING:
        return  # someone else ran it
    try:
        fn = registry.get(task_obj.name)
        result = fn(Progress(task_obj.pk), **task_obj.params) or {}
        Task.objects.filter(pk=task_id).update(
            state=TaskState.DONE,
            progress=1.0,
            result=result,
            finished_at=timezone.now(),
            message="",
        )
    except Exception as exc:
        logger.exception("task %s failed", task_obj.name)
        Task.objects.filter(pk=task_id).update(
            state=TaskState.FAILED,
            error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=5)}",
            finished_at=timezone.now(),
        )


def run_worker(*, once: bool = False, poll_seconds: float = 1.0) -> int:
    """The loop of ``u4ssc worker``. Returns the number of tasks run."""
    ran = 0
    while True:
        if not once:
            close_old_connections()  # a long-lived worker must not keep a dead connection
        task_obj = claim_next()
        if task_obj is not None:
            run_task(task_obj.pk)
            ran += 1
            continue
        if once:
            return ran
        time.sleep(poll_seconds)
