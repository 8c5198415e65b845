"""The record that the demo programme was loaded (what makes ``u4ssc demo load`` idempotent)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """One load of the demo data: its seed, when, how long it took and what it created.

    ``objects_created`` lists the organisation slugs and usernames the load created, so
    ``u4ssc demo load --reset`` removes exactly those.
    """

    seed = models.PositiveIntegerField(_("seed"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    seconds = models.FloatField(_("seconds"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    objects_created = models.JSONField(_("objects created"), default=dict, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")

    def __str__(self) -> str:
        return f"demo (seed {self.seed}) loaded {self.loaded_at:%Y-%m-%d %H:%M}"
