from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from u4ssc.apps.accounts import actions
from u4ssc.apps.accounts.models import ApiToken, LoginAttempt

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2():
    # The autouse fixture swaps hashers for speed; the configured list is what runs live.
    from u4ssc.web import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_stored_as_argon2(world):
    user = world.user("officer")
    user.set_password("another-Long-pass-1")
    user.save(update_fields=["password"])
    assert user.password.startswith("argon2$")


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_works_and_failures_are_throttled(client, world):
    # given a correct login works
    ok = _login(client, "officer", "a-Long-pass-2026")
    assert ok.status_code == 302
    client.logout()
    # when the password is wrong LIMIT times
    for _ in range(django_settings.LOGIN_THROTTLE_LIMIT):
        bad = _login(client, "officer", "wrong")
        assert bad.status_code == 200
    assert LoginAttempt.objects.filter(username="officer").count() == 5
    # then even the right password is refused with a clear message
    refused = _login(client, "officer", "a-Long-pass-2026")
    assert refused.status_code == 200
    assert b"Too many failed attempts" in refused.content
    assert "_auth_user_id" not in client.session
    # and another account from elsewhere is not affected
    assert not actions.is_login_throttled(username="verifier", ip_address="10.0.0.9")


def test_api_token_is_shown_once_and_stored_hashed(world):
    token, raw = actions.create_api_token(actor=world.user("officer"), name="script")
    assert raw.startswith("u4s_") and len(raw) > 30
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.prefix)
    assert actions.user_for_token(raw) == world.user("officer")
    assert actions.user_for_token(raw + "x") is None
    assert actions.revoke_api_token(actor=world.user("officer"), token_id=token.pk)
    assert actions.user_for_token(raw) is None


def test_profile_page_creates_a_token(client, world):
    client.force_login(world.user("officer"))
    response = client.post("/accounts/me/", {"name": "my script"})
    assert response.status_code == 200
    assert b"u4s_" in response.content
    assert ApiToken.objects.filter(user=world.user("officer"), name="my script").exists()


def _admin_login(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


def test_admin_login_is_throttled_like_the_login_page(client, world):
    # given a staff account that may use the admin
    from u4ssc.conftest import make_user

    make_user("staffer", is_staff=True)
    # when its password is given wrong LIMIT times on the admin's login page
    for _ in range(django_settings.LOGIN_THROTTLE_LIMIT):
        bad = _admin_login(client, "staffer", "wrong")
        assert bad.status_code == 200
    # then each failure was counted
    assert LoginAttempt.objects.filter(username="staffer").count() == 5
    # and the right password is refused too, with the reason
    refused = _admin_login(client, "staffer", "a-Long-pass-2026")
    assert refused.status_code == 200
    assert b"Too many failed attempts" in refused.content
    assert "_auth_user_id" not in client.session
    # and the platform's own login page refuses it as well: one throttle for both
    assert b"Too many failed attempts" in _login(client, "staffer", "a-Long-pass-2026").content


def test_failures_on_one_login_page_count_on_the_other(client, world):
    # given three failures on the login page and two on the admin's
    from u4ssc.conftest import make_user

    make_user("staffer", is_staff=True)
    for _ in range(3):
        _login(client, "staffer", "wrong")
    for _ in range(2):
        _admin_login(client, "staffer", "wrong")
    # then the admin refuses the right password
    refused = _admin_login(client, "staffer", "a-Long-pass-2026")
    assert "_auth_user_id" not in client.session
    assert b"Too many failed attempts" in refused.content


def test_every_call_of_authenticate_is_throttled(world):
    # given the throttle reached through plain authenticate() calls (any future login path)
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/anything", REMOTE_ADDR="10.1.2.3")
    for _ in range(django_settings.LOGIN_THROTTLE_LIMIT):
        assert authenticate(request, username="officer", password="wrong") is None
    assert LoginAttempt.objects.filter(username="officer", ip_address="10.1.2.3").count() == 5
    # then the right password no longer authenticates
    assert authenticate(request, username="officer", password="a-Long-pass-2026") is None
    # and a success before the limit clears the count
    LoginAttempt.objects.all().delete()
    assert authenticate(request, username="verifier", password="wrong") is None
    assert authenticate(request, username="verifier", password="a-Long-pass-2026") is not None
    assert not LoginAttempt.objects.filter(username="verifier").exists()


def _attempt(ip: str, forwarded: str = "") -> Any:
    from django.test import RequestFactory

    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip, **extra)


def test_behind_a_trusted_proxy_the_throttle_counts_the_visitors_address(world, settings):
    # given the platform behind one reverse proxy (every request comes from 10.0.0.1)
    from django.contrib.auth import authenticate

    from u4ssc.apps.accounts.backends import client_ip

    settings.TRUSTED_PROXIES = 1
    # when a visitor fails the address limit (four times the user name limit) over names
    limit = django_settings.LOGIN_THROTTLE_LIMIT * 4
    for n in range(limit):
        request = _attempt("10.0.0.1", "spoofed, 203.0.113.7")
        assert authenticate(request, username=f"guess{n}", password="wrong") is None
    # then that visitor's address is throttled, not the proxy's: another visitor still
    # logs in, and the address a client wrote itself (left of the proxy's entry) is ignored
    assert client_ip(_attempt("10.0.0.1", "spoofed, 203.0.113.7")) == "203.0.113.7"
    assert actions.is_login_throttled(username="verifier", ip_address="203.0.113.7")
    other = _attempt("10.0.0.1", "198.51.100.4")
    assert authenticate(other, username="verifier", password="a-Long-pass-2026") is not None


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(world, settings):
    from u4ssc.apps.accounts.backends import client_ip

    # given no proxy configured (the default), a client cannot pick its own address
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_attempt("192.0.2.9", "203.0.113.7")) == "192.0.2.9"
    # and with two proxies, a request that passed only one keeps its REMOTE_ADDR
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_attempt("10.0.0.2", "203.0.113.7")) == "10.0.0.2"
    assert client_ip(_attempt("10.0.0.2", "x, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
