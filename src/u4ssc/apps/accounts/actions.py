"""Every write of the accounts app."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from u4ssc.apps.accounts.models import ApiToken, LoginAttempt, RoleAssignment, User, hash_token
from u4ssc.apps.organisations.models import Organisation

TOKEN_PREFIX = "u4s_"


@transaction.atomic
def assign_role(*, user: User, role: str, organisation: Organisation) -> RoleAssignment:
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation
    )
    return assignment


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token for ``actor``; the raw token is returned once, never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100] or "token", prefix=raw[:12], token_hash=hash_token(raw)
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token_id: int) -> bool:
    updated = ApiToken.objects.filter(id=token_id, user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated)


def user_for_token(raw: str) -> User | None:
    """The active user owning ``raw``, or None. Marks the token as used (at most once a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_login_throttled(*, username: str, ip_address: str) -> bool:
    """True when too many recent failures for this username (from any address) or address."""
    recent = LoginAttempt.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_THROTTLE_LIMIT
    by_user = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # An address may try a few accounts (shared office NAT), but not many.
    return by_user >= limit or by_ip >= limit * 4


def record_failed_login(*, username: str, ip_address: str) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address[:64])
    # Old attempts are useless; keep the table small.
    LoginAttempt.objects.filter(at__lt=_window_start() - timedelta(days=1)).delete()


def clear_failed_logins(*, username: str) -> None:
    LoginAttempt.objects.filter(username__iexact=username).delete()
