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
        "organisations.Organisation", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # No index on state on purpose: nearly every row is "published", and an index on it
    # leads SQLite's planner away from walking values in page order (bench/bench_api.py).
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not real")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_evaluations",
    )
    attestation = models.TextField(
        _("verifier's attestation"),
        blank=True,
        help_text=_("the verifier's statement when verifying the year's data"),
    )

    class Meta:
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


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


class KPIValue(models.Model):
    """One KPI (or one data point of a multi-point KPI) of one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey("catalogue.KPI", on_delete=models.PROTECT, related_name="values")
    data_point = models.CharField(max_length=32, blank=True, default="")
    status = models.CharField(max_length=16, choices=ValueStatus.choices, default=ValueStatus.EMPTY)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=500, blank=True)
    quality = models.PositiveSmallIntegerField(choices=Quality.choices, null=True, blank=True)
    notes = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)
    issues = models.JSONField(default=list, blank=True, help_text="check results at last save")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    verified_quality = models.PositiveSmallIntegerField(
        choices=Quality.choices, null=True, blank=True, help_text="grade given by the verifier"
    )

    class Meta:
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

    value = models.ForeignKey(KPIValue, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=16, help_text="form, import, api, restore, demo")
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["value", "version"], name="unique_value_version"),
        ]
        ordering = ["value_id", "-version"]

    def __str__(self) -> str:
        return f"{self.value_id} v{self.version}"


class WarningAcknowledgement(models.Model):
    """A warning the city accepted, with its reason (hard errors cannot be acknowledged)."""

    value = models.ForeignKey(KPIValue, on_delete=models.CASCADE, related_name="acknowledgements")
    check_code = models.CharField(max_length=64)
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["value", "check_code"], name="unique_ack"),
        ]
        ordering = ["value_id", "check_code"]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.reason}"


class EvaluationEvent(models.Model):
    """A step of the workflow (submit, return, verify, publish ...)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, choices=State.choices)
    to_state = models.CharField(max_length=16, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"
