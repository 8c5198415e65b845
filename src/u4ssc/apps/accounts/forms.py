from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.accounts import actions
from u4ssc.apps.accounts.backends import client_ip


class ThrottleMessage:
    """Tells a throttled person so, instead of "wrong password".

    The throttle itself is :class:`~u4ssc.apps.accounts.backends.ThrottledModelBackend`,
    which refuses and counts for every login path; a form only words the refusal.
    """

    request: Any
    cleaned_data: dict[str, Any]

    throttled_message = _("Too many failed attempts. Wait a few minutes before you try again.")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and actions.is_login_throttled(
            username=username, ip_address=client_ip(self.request)
        ):
            raise forms.ValidationError(self.throttled_message, code="throttled")
        return super().clean()  # type: ignore[misc]


class ThrottledAuthenticationForm(ThrottleMessage, AuthenticationForm):
    """The platform's login form."""


class ThrottledAdminAuthenticationForm(ThrottleMessage, AdminAuthenticationForm):
    """The Django admin's login form (``admin.site.login_form``)."""


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
