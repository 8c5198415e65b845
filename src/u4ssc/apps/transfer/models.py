"""Import profiles (how to read a third-party table) and import runs (what an import did).

A profile's ``mapping`` is the JSON document described in ``transfer.mapping`` and in
``docs/decisions/0504``; profiles shipped with the package (``profiles/*.json``) are
installed after ``migrate`` and marked ``builtin``. Every import, refused or written, dry
run or not, leaves an ``ImportRun`` with its full report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV (UTF-8)")
    XLSX = "xlsx", _("Excel workbook (xlsx)")


class ImportProfile(models.Model):
    """A saved column mapping for a third-party table (for example one year of CDP data)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    file_format = models.CharField(
        _("file format"), max_length=8, choices=FileFormat.choices, default=FileFormat.CSV
    )
    mapping = models.JSONField(
        _("mapping"),
        default=dict,
        help_text=_("Which columns give the city, the year and each KPI component (see docs)."),
    )
    builtin = models.BooleanField(
        _("shipped with the platform"),
        default=False,
        help_text=_("Reinstalled from the package after each upgrade; copy it to change it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")

    def __str__(self) -> str:
        return self.name


class ImportKind(models.TextChoices):
    WORKBOOK = "workbook", _("Data-collection workbook")
    LONG_CSV = "long_csv", _("Long CSV")
    PROFILE = "profile", _("Mapped table")


class Outcome(models.TextChoices):
    WRITTEN = "written", _("Written")
    CHECKED = "checked", _("Checked, nothing written (dry run)")
    REFUSED = "refused", _("Refused, nothing written")


class ImportRun(models.Model):
    """One import: who, when, which file, how it was read, what it did, and the report."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    channel = models.CharField(_("channel"), max_length=8, help_text="web, api or cli")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices, blank=True)
    profile = models.ForeignKey(
        ImportProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    city = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("the city whose page the file was uploaded from, if any"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    city_ids = models.JSONField(default=list, blank=True, help_text="cities the file speaks of")
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_outcome_display()})"

    @property
    def refused(self) -> bool:
        return self.outcome == Outcome.REFUSED
