"""The one authentication backend: Django's model backend behind the login throttle.

Every way in that checks a password goes through ``django.contrib.auth.authenticate``: the
platform's login page, the Django admin's login page, anything added later. Putting the
throttle here rather than in one login form means no path can skip it: a throttled user
name or address is refused before its password is even checked, and every failure is
counted, whichever page it came from.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from u4ssc.apps.accounts import actions


class LoginThrottled(PermissionDenied):
    """Too many recent failures: ``authenticate`` stops here and tries no other backend."""


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", "") or "")


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
