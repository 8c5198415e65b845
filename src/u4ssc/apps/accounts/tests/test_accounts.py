from __future__ import annotations

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
