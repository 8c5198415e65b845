"""The one authentication backend: Django's model backend behind the login throttle.

Every way in that checks a password goes through ``django.contrib.auth.authenticate``: the
platform's login page, the Django admin's login page, anything added later. Putting the
throttle here rather than in one login form means no path can skip it: a throttled user
name or address is refused before its password is even checked, and every failure is
counted, whichever page it came from.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from u4ssc.apps.accounts import actions


class LoginThrottled(PermissionDenied):
    """Too many recent failures: ``authenticate`` stops here and tries no other backend."""


def client_ip(request: HttpRequest | None) -> str:
    """The address a login attempt came from, as the throttle counts it.

    Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, the same for every
    visitor: one person's failures would lock everybody out. With
    ``U4SSC_TRUSTED_PROXIES=N`` (N proxies in front of the platform, each appending the
    address it received from to X-Forwarded-For) the address is the N-th entry from the
    right: the one the outermost trusted proxy saw. Entries further left are whatever the
    client sent and are never trusted; with N=0 (the default) the header is ignored.
    """
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # fewer hops than proxies: the request did not come through all of them
        return remote
    return forwarded[-proxies][:64]


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        ip = client_ip(request)
        if actions.is_login_throttled(username=username, ip_address=ip):
            raise LoginThrottled
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            actions.record_failed_login(username=username, ip_address=ip)
        else:
            actions.clear_failed_logins(username=user.get_username())
        return user
