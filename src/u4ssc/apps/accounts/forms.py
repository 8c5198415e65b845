from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.accounts import actions


def client_ip(request: Any) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form that refuses to even check a password while throttled."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a few minutes before you try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if username and actions.is_login_throttled(username=username, ip_address=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                actions.record_failed_login(username=username, ip_address=ip)
            raise

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        actions.clear_failed_logins(username=user.get_username())


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
