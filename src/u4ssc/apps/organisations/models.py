"""Organisations of the programme: the programme itself, hubs, countries, national
programmes, cities, solution providers, financiers, academia and innovation labs.

One table holds every kind, so later parts (marketplace, twinning, lab) can point at "an
organisation" without caring which kind. City-only fields are blank for other kinds.
Membership links a grouping organisation (programme, hub, national programme) to its
members (usually cities).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    HUB = "hub", _("Country hub")
    COUNTRY = "country", _("Country")
    NATIONAL_PROGRAMME = "national_programme", _("National programme")
    CITY = "city", _("City")
    SOLUTION_PROVIDER = "solution_provider", _("Solution provider")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    ACADEMIC_INSTITUTION = "academic_institution", _("Academic institution")
    INNOVATION_LAB = "innovation_lab", _("Innovation lab")


GROUP_KINDS = (OrgKind.PROGRAMME, OrgKind.HUB, OrgKind.NATIONAL_PROGRAMME, OrgKind.COUNTRY)


class SizeClass(models.TextChoices):
    """City size classes by population (OECD functional-urban-area bands)."""

    SMALL = "small", _("Small (under 50 000)")
    MEDIUM = "medium", _("Medium (50 000 - 200 000)")
    METROPOLITAN = "metropolitan", _("Metropolitan (200 000 - 500 000)")
    LARGE = "large", _("Large metropolitan (500 000 and more)")


def size_class_for(population: int | None) -> str:
    """The size class of a city of ``population`` people ("" when unknown)."""
    if population is None:
        return ""
    if population < 50_000:
        return SizeClass.SMALL
    if population < 200_000:
        return SizeClass.MEDIUM
    if population < 500_000:
        return SizeClass.METROPOLITAN
    return SizeClass.LARGE


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country_code = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2")
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # City fields (blank for other kinds).
    region = models.CharField(_("region"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    size_class = models.CharField(
        _("size class"), max_length=16, choices=SizeClass.choices, blank=True
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo organisation, not real data")
    )
    members = models.ManyToManyField(
        "self",
        through="Membership",
        through_fields=("group", "member"),
        symmetrical=False,
        related_name="groups",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "country_code"])]
        constraints = [
            # One organisation per registry place: adding Ålesund twice is refused.
            models.UniqueConstraint(
                fields=["geonames_id"],
                condition=models.Q(geonames_id__isnull=False),
                name="unique_geonames_id",
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisations:detail", args=[self.slug])

    @property
    def is_city(self) -> bool:
        return self.kind == OrgKind.CITY

    @property
    def coordinates_text(self) -> str:
        """ "62.4723° N, 6.1549° E" (WGS84), or "" when unknown."""
        if self.latitude is None or self.longitude is None:
            return ""
        return _("%(lat).4f° %(ns)s, %(lon).4f° %(ew)s") % {
            "lat": abs(self.latitude),
            "ns": _("N") if self.latitude >= 0 else _("S"),
            "lon": abs(self.longitude),
            "ew": _("E") if self.longitude >= 0 else _("W"),
        }

    @property
    def is_group(self) -> bool:
        """Programme, hub, national programme or country: it has members."""
        return self.kind in GROUP_KINDS


class CityManager(models.Manager["City"]):
    def get_queryset(self) -> models.QuerySet[City]:
        return super().get_queryset().filter(kind=OrgKind.CITY)


class City(Organisation):
    """Organisations of kind city."""

    objects = CityManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def save(self, *args: object, **kwargs: object) -> None:
        self.kind = OrgKind.CITY
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Membership(models.Model):
    """``member`` belongs to ``group`` (a city to a hub or a national programme)."""

    group = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="group_links")
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="unique_membership"),
        ]
        ordering = ["group_id", "member_id"]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")


class OrganisationChange(models.Model):
    """One change to an organisation, written by the action that made it (the audit log)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=32, choices=ChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-at", "-id"]
        verbose_name = _("organisation change")
        verbose_name_plural = _("organisation changes")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
