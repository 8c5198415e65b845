"""Fixtures shared by every app's tests: a small programme with people in every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation

from u4ssc.apps.accounts.models import Role, RoleAssignment, User
from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind


@dataclass
class World:
    programme: Organisation
    hub: Organisation
    other_hub: Organisation
    national: Organisation
    city: Organisation  # in hub and national programme
    sister: Organisation  # in hub and national programme
    foreign: Organisation  # in other_hub only
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def make_org(kind: str, name: str, **extra: Any) -> Organisation:
    slug = name.lower().replace(" ", "-").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    return Organisation.objects.create(kind=kind, name=name, slug=slug, **extra)


def make_user(username: str, *roles: tuple[str, Organisation], **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="a-Long-pass-2026", **extra)
    for role, org in roles:
        RoleAssignment.objects.create(user=user, role=role, organisation=org)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (see test_accounts); tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    # A request to /nb/... leaves Bokmål active in the thread (LocaleMiddleware activates
    # it and nothing deactivates it): start and end every test in the default language.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def admin_client(client: Any, django_user_model: Any) -> Any:
    """A client logged in as a Django superuser ("root"), for the admin's pages.

    Replaces pytest-django's fixture of that name, which logs in a user called "admin":
    in tests with ``world`` that name is the programme administrator, not a superuser.
    """
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x-Long-pw-1")
    client.force_login(user)
    return client


@pytest.fixture
def world(db: Any) -> World:
    # The programme itself exists on every installation (created on migrate).
    programme = Organisation.objects.get(slug="u4ssc")
    hub = make_org(OrgKind.HUB, "Nordic Hub")
    other_hub = make_org(OrgKind.HUB, "Vienna Hub")
    national = make_org(
        OrgKind.NATIONAL_PROGRAMME, "National U4SSC Programme Norway", country_code="NO"
    )
    city = make_org(OrgKind.CITY, "Ålesund", country_code="NO", population=67_000)
    sister = make_org(OrgKind.CITY, "Trondheim", country_code="NO", population=212_000)
    foreign = make_org(OrgKind.CITY, "Linz", country_code="AT", population=210_000)
    for group, member in [
        (programme, hub),
        (programme, other_hub),
        (hub, national),
        (national, city),
        (national, sister),
        (other_hub, foreign),
    ]:
        Membership.objects.create(group=group, member=member)
    w = World(programme, hub, other_hub, national, city, sister, foreign)
    w.users = {
        "admin": make_user("admin", (Role.PROGRAMME_ADMIN, programme)),
        "hub": make_user("hub", (Role.HUB_COORDINATOR, hub)),
        "national": make_user("national", (Role.NATIONAL_COORDINATOR, national)),
        "officer": make_user("officer", (Role.CITY_OFFICER, city)),
        "verifier": make_user("verifier", (Role.VERIFIER, national)),
        "viewer": make_user("viewer", (Role.VIEWER, city)),
        "nobody": make_user("nobody"),
    }
    return w


# ------------------------------------------------------------------ real browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server: Any) -> Any:
    """A Playwright page in Debian's headless Chromium against the live test server.

    The test fails on any JavaScript console error or page error, and on any request that
    leaves 127.0.0.1 (the platform must work offline: no CDN, no fonts, no analytics).
    """
    import os
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # in between are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        pg = context.new_page()
        pg.set_default_timeout(10_000)

        def on_console(msg: Any) -> None:
            if msg.type == "error":
                problems.append(f"console error: {msg.text}")

        def on_request(request: Any) -> None:
            host = urlparse(request.url).hostname
            if request.url.startswith(("data:", "blob:", "about:")):
                return
            if host not in {"127.0.0.1", "localhost"}:
                problems.append(f"request left the machine: {request.url}")

        pg.on("console", on_console)
        pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        pg.on("request", on_request)
        yield pg
        context.close()
        browser.close()
    assert not problems, "\n".join(problems)


def login(page: Any, username: str, password: str = "a-Long-pass-2026") -> None:
    """Log in with the keyboard only, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
