"""Fixtures shared by every app's tests: a small programme with people in every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

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


@pytest.fixture
def world(db: Any) -> World:
    programme = make_org(OrgKind.PROGRAMME, "U4SSC Implementation Programme")
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
