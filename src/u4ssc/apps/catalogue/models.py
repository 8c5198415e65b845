"""The KPI catalogue in the database, and target sets.

The catalogue's source of truth is the versioned data file of :mod:`u4ssc.core.catalogue`;
``actions.sync_catalogue`` copies it here so values and targets can refer to KPIs by
foreign key. Rows are never edited by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    RANGE = "range", _("Within a target range")


class KPI(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    key = models.CharField(
        _("key"), max_length=32, unique=True, help_text=_("normalised code used for matching")
    )
    name = models.CharField(_("name"), max_length=200)
    dimension = models.CharField(_("dimension"), max_length=60)
    dimension_code = models.CharField(_("dimension code"), max_length=4)
    subdimension = models.CharField(_("sub-dimension"), max_length=80)
    subdimension_code = models.CharField(_("sub-dimension code"), max_length=6)
    category = models.CharField(_("category"), max_length=80)
    category_code = models.CharField(_("category code"), max_length=6)
    level = models.CharField(_("core or advanced"), max_length=10)
    kpi_type = models.CharField(_("type"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=60)
    measure_kind = models.CharField(_("kind of measure"), max_length=16)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20)
    definition = models.JSONField(
        _("definition"), default=dict, help_text=_("the full catalogue record")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def data_points(self) -> list[dict]:
        return list(self.definition.get("data_points") or [])


class TargetSetKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme default")
    NATIONAL = "national", _("National set")
    CITY = "city", _("City's own goals")


class ScoringMethod(models.TextChoices):
    U4SSC = "u4ssc", _("U4SSC distance to target")
    SDSN = "sdsn", _("SDSN normalisation")


class TargetSet(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=TargetSetKind.choices)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="target_sets",
        verbose_name=_("owner"),
        help_text=_("the programme, national programme or city that owns the set"),
    )
    method = models.CharField(
        _("scoring method"),
        max_length=10,
        choices=ScoringMethod.choices,
        default=ScoringMethod.U4SSC,
    )
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("programme default"), default=False)
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_("method parameters (thresholds, bounds)"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["-is_default", "name", "id"]
        verbose_name = _("target set")
        verbose_name_plural = _("target sets")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    target_set = models.ForeignKey(
        TargetSet, on_delete=models.CASCADE, related_name="targets", verbose_name=_("target set")
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI")
    )
    data_point = models.CharField(_("data point"), max_length=32, blank=True, default="")
    value = models.FloatField(_("target value"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    range_low = models.FloatField(_("low end of the target range"), null=True, blank=True)
    range_high = models.FloatField(_("high end of the target range"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "kpi", "data_point"], name="unique_target"
            )
        ]
        ordering = ["target_set_id", "kpi__position", "data_point"]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.data_point} -> {self.value}"


class TargetChangeKind(models.TextChoices):
    SET_CREATED = "set_created", _("Set created")
    ADDED = "added", _("Target added")
    CHANGED = "changed", _("Target changed")
    REMOVED = "removed", _("Target removed")


class TargetChange(models.Model):
    """One change to a target set, written by the action that made it (its history).

    ``before``/``after`` hold the target's fields (``value``, ``direction``, ``range_low``,
    ``range_high``, ``source``, ``note``): ``before`` is empty for an added target, ``after``
    for a removed one. The KPI is kept by foreign key and the data point by key, so the
    history outlives the target it tells about.
    """

    target_set = models.ForeignKey(
        TargetSet, on_delete=models.CASCADE, related_name="changes", verbose_name=_("target set")
    )
    kind = models.CharField(_("change"), max_length=16, choices=TargetChangeKind.choices)
    kpi = models.ForeignKey(
        KPI,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("KPI"),
    )
    data_point = models.CharField(_("data point"), max_length=32, blank=True, default="")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["target_set_id", "-at", "-id"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")

    def __str__(self) -> str:
        return f"{self.target_set_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
