"""``u4ssc demo load`` on a platform that is not empty, and the accounts table."""

from __future__ import annotations

import pytest

from u4ssc.apps.accounts.models import User
from u4ssc.apps.demo import programme as P
from u4ssc.apps.demo.models import DemoLoad
from u4ssc.apps.organisations.models import Organisation
from u4ssc.cli import main
from u4ssc.cli.demo import accounts_table
from u4ssc.core.registry import find_city


def test_the_accounts_table_has_one_line_per_role_with_its_password():
    lines = accounts_table(P.ACCOUNTS).splitlines()
    assert lines[0].split()[:3] == ["Role", "Username", "Password"]
    assert len(lines) == 2 + len(P.ACCOUNTS)
    for account, line in zip(P.ACCOUNTS, lines[2:], strict=True):
        assert account.username in line and account.password in line
        assert account.try_this in line


@pytest.fixture
def embedded(settings):
    settings.DEBUG = True  # the embedded mode (pytest-django runs tests with DEBUG off)


@pytest.mark.django_db
def test_refuses_production_mode_unless_forced(capsys, settings):
    settings.DEBUG = False
    assert main(["demo", "load", "--quiet"]) == 1
    assert "production mode" in capsys.readouterr().err
    assert not DemoLoad.objects.exists()


@pytest.mark.django_db
def test_refuses_a_platform_that_has_a_demo_username_already(capsys, embedded):
    # given someone already called "verifier"
    User.objects.create_user(username="verifier", password="x-Long-pass-2026")
    # when the demo is loaded
    assert main(["demo", "load", "--quiet"]) == 1
    # then it says why and writes nothing
    assert "verifier" in capsys.readouterr().err
    assert not DemoLoad.objects.exists()
    assert not Organisation.objects.filter(kind="city").exists()


@pytest.mark.django_db
def test_refuses_a_platform_that_has_a_demo_city_already(capsys, embedded):
    # given Ålesund, registered from the city registry before the demo
    place = find_city("Ålesund", "NO")
    Organisation.objects.create(
        kind="city", name=place.name, slug="alesund", geonames_id=place.geonames_id
    )
    # when the demo is loaded, then it names the city and writes nothing
    assert main(["demo", "load", "--quiet"]) == 1
    assert "Ålesund" in capsys.readouterr().err
    assert not User.objects.filter(username="admin").exists()
