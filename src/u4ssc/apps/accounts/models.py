"""People, their roles in organisations, personal API tokens and login throttling."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", _("Programme administrator")
    HUB_COORDINATOR = "hub_coordinator", _("Hub coordinator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National programme coordinator")
    CITY_OFFICER = "city_officer", _("City data officer")
    VERIFIER = "verifier", _("Verifier (expert)")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """A person. What they may do comes from their role assignments."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["username"]
        # AbstractUser's Meta is not inherited once Meta is declared: name it again.
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """``user`` holds ``role`` within ``organisation``.

    The organisation sets the scope: a city data officer's city, a hub coordinator's hub,
    a verifier's city or group of cities, a programme administrator's programme.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="unique_role_assignment"
            )
        ]
        ordering = ["user_id", "role", "organisation_id"]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} @ {self.organisation}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for write access to the API. Only its hash is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12, db_index=True)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"


class LoginAttempt(models.Model):
    """A failed login on any login path, kept for throttling (``backends``)."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip_address = models.CharField(_("IP address"), max_length=64, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"
