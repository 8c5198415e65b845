"""Background tasks with progress (reports, large imports, simulation ensembles).

Embedded mode runs them in a thread of the web process; production runs ``u4ssc worker``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, help_text=_("registered task name"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=TaskState.choices,
        default=TaskState.QUEUED,
        db_index=True,
    )
    progress = models.FloatField(_("progress"), default=0.0, help_text=_("0 to 1"))
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return f"{self.title or self.name} ({self.state})"

    @property
    def percent(self) -> int:
        return round(100 * self.progress)

    @property
    def finished(self) -> bool:
        return self.state in (TaskState.DONE, TaskState.FAILED)
