"""A city's KPI data for one year (an evaluation), its values, their history and review.

Every change to a value goes through ``evaluations.actions`` which writes a
``ValueRevision`` in the same transaction; ``KPIValue.version`` guards against two people
overwriting each other (optimistic concurrency).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")
    PUBLISHED = "published", _("Published")


class Evaluation(models.Model):
    city = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("city"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # No index on state on purpose: nearly every row is "published", and an index on it
    # leads SQLite's planner away from walking values in page order (bench/bench_api.py).
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not real")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_evaluations",
        verbose_name=_("verifier"),
    )
    attestation = models.TextField(
        _("verifier's attestation"),
        blank=True,
        help_text=_("the verifier's statement when verifying the year's data"),
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="unique_city_year"),
        ]
        ordering = ["city__name", "-year", "id"]

    def __str__(self) -> str:
        return f"{self.city} {self.year}"


class ValueStatus(models.TextChoices):
    EMPTY = "empty", _("Not yet entered")
    REPORTED = "reported", _("Reported")
    NOT_AVAILABLE = "not_available", _("Not available")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Quality(models.IntegerChoices):
    """The six U4SSC data-quality grades, best first."""

    ACCURATE = 1, _("Based on accurate measurements")
    RELIABLE = 2, _("Reliable data with minor gaps")
    ESTIMATED = 3, _("Estimated from reliable data")
    EXTRAPOLATED = 4, _("Extrapolated or modelled")
    EXPERT = 5, _("Expert judgement, partly traceable")
    UNKNOWN = 6, _("Unknown methodology, not traceable")


class Channel(models.TextChoices):
    """How a change of a value came in (``ValueRevision.channel``)."""

    FORM = "form", _("data sheet")
    IMPORT = "import", _("file upload")
    API = "api", _("API")
    CLI = "cli", _("command line")
    RESTORE = "restore", _("restored")
    DEMO = "demo", _("demo data")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


class KPIValue(models.Model):
    """One KPI (or one data point of a multi-point KPI) of one evaluation."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("evaluation"),
    )
    kpi = models.ForeignKey(
        "catalogue.KPI", on_delete=models.PROTECT, related_name="values", verbose_name=_("KPI")
    )
    data_point = models.CharField(_("data point"), max_length=32, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.EMPTY
    )
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    quality = models.PositiveSmallIntegerField(
        _("data quality"), choices=Quality.choices, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)
    issues = models.JSONField(
        _("check results"), default=list, blank=True, help_text=_("as of the last save")
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    review_status = models.CharField(
        _("review"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_comment = models.TextField(_("verifier's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The version the verifier accepted or returned: a later version is a change the
    # verifier has not seen (the review page shows it against this one's snapshot).
    reviewed_version = models.PositiveIntegerField(
        _("version reviewed"),
        null=True,
        blank=True,
        help_text=_("the value's version the verifier last accepted or returned"),
    )
    verified_quality = models.PositiveSmallIntegerField(
        _("verified data quality"),
        choices=Quality.choices,
        null=True,
        blank=True,
        help_text=_("grade given by the verifier"),
    )

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kpi", "data_point"], name="unique_value"
            ),
        ]
        # Lists page by (evaluation, id): see evaluations.api.list_values.
        indexes = [
            models.Index(fields=["evaluation", "id"], name="value_page_order"),
            models.Index(fields=["kpi", "evaluation", "id"], name="value_kpi_page_order"),
        ]
        ordering = ["evaluation_id", "kpi__position", "data_point"]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.kpi.code} {self.data_point}".strip()


class ValueRevision(models.Model):
    """One change to a value: who, when, before, after and why."""

    value = models.ForeignKey(
        KPIValue, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("KPI value")
    )
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("change of a KPI value")
        verbose_name_plural = _("changes of KPI values")
        constraints = [
            models.UniqueConstraint(fields=["value", "version"], name="unique_value_version"),
        ]
        ordering = ["value_id", "-version"]

    def __str__(self) -> str:
        return f"{self.value_id} v{self.version}"

    @property
    def before_status(self) -> str:
        return _status_label(self.before.get("status"))

    @property
    def after_status(self) -> str:
        return _status_label(self.after.get("status"))


def _status_label(status: str | None) -> str:
    """The label of a value status kept in a revision's snapshot (as stored, if unknown)."""
    if not status:
        return ""
    try:
        return str(ValueStatus(status).label)
    except ValueError:
        return status


class WarningAcknowledgement(models.Model):
    """A warning the city accepted, with its reason (hard errors cannot be acknowledged).

    It holds for the figure it was given for: when the value's figure changes (or the
    warning no longer fires), ``superseded_at`` is set and the warning, if it fires again,
    must be acknowledged again. Superseded acknowledgements stay, as the value's history.
    """

    value = models.ForeignKey(
        KPIValue,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("KPI value"),
    )
    check_code = models.CharField(_("check"), max_length=64)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    value_version = models.PositiveIntegerField(
        _("version acknowledged"), default=0, help_text=_("the value's version it was given for")
    )
    superseded_at = models.DateTimeField(
        _("no longer holds since"),
        null=True,
        blank=True,
        help_text=_("when the value changed or the warning stopped firing"),
    )

    class Meta:
        verbose_name = _("acknowledged warning")
        verbose_name_plural = _("acknowledged warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["value", "check_code"],
                condition=models.Q(superseded_at__isnull=True),
                name="unique_current_ack",
            ),
        ]
        ordering = ["value_id", "check_code", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.reason}"


class EvaluationEvent(models.Model):
    """A step of the workflow (submit, return, verify, publish ...)."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("evaluation"),
    )
    from_state = models.CharField(_("from state"), max_length=16, choices=State.choices)
    to_state = models.CharField(_("to state"), max_length=16, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["evaluation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"
