"""The permission matrix: role x action x object -> allowed or refused.

Each row of EXPECTED names the users allowed; every other user of the world fixture must be
refused. Anonymous visitors are a user too.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from u4ssc.apps.accounts.permissions import Action, can, visible_evaluations
from u4ssc.apps.catalogue.models import TargetSet, TargetSetKind
from u4ssc.apps.evaluations.models import Evaluation, State
from u4ssc.conftest import make_user

USERS = ["admin", "hub", "national", "officer", "verifier", "viewer", "nobody", "anonymous"]

# (action, object name) -> users allowed
EXPECTED: dict[tuple[Action, str], set[str]] = {
    (Action.VIEW, "own_draft"): {"admin", "hub", "national", "officer", "verifier", "viewer"},
    (Action.EDIT, "own_draft"): {"officer"},
    (Action.SUBMIT, "own_draft"): {"officer"},
    (Action.REVIEW, "own_draft"): {"verifier"},
    (Action.PUBLISH, "own_draft"): {"admin", "verifier"},
    (Action.VIEW, "sister_draft"): {"admin", "hub", "national", "verifier"},
    (Action.EDIT, "sister_draft"): set(),
    (Action.REVIEW, "sister_draft"): {"verifier"},
    (Action.VIEW, "foreign_draft"): {"admin"},
    (Action.EDIT, "foreign_draft"): set(),
    (Action.REVIEW, "foreign_draft"): set(),
    (Action.PUBLISH, "foreign_draft"): {"admin"},
    (Action.VIEW, "foreign_published"): set(USERS),
    (Action.EDIT, "foreign_published"): set(),
    (Action.MANAGE_ORGANISATION, "city"): {"admin", "hub", "national"},
    (Action.MANAGE_ORGANISATION, "foreign"): {"admin"},
    (Action.MANAGE_ORGANISATION, "national"): {"admin", "hub", "national"},
    (Action.MANAGE_TARGETS, "programme_targets"): {"admin"},
    (Action.MANAGE_TARGETS, "national_targets"): {"admin", "national"},
    (Action.MANAGE_TARGETS, "city_targets"): {"admin", "officer"},
    (Action.MANAGE_TARGETS, "sister_city_targets"): {"admin"},
    # creating a set: the permission is asked of the new, unsaved set
    (Action.MANAGE_TARGETS, "new_programme_targets"): {"admin"},
    (Action.MANAGE_TARGETS, "new_national_targets"): {"admin", "national"},
    (Action.MANAGE_TARGETS, "new_city_targets"): {"admin", "officer"},
    (Action.MANAGE_TARGETS, "new_sister_city_targets"): {"admin"},
    # reading a target set is open to everyone
    (Action.VIEW, "national_targets"): set(USERS),
    (Action.VIEW, "city_targets"): set(USERS),
}


@pytest.fixture
def objects(world):
    own = Evaluation.objects.create(city=world.city, year=2024)
    sister = Evaluation.objects.create(city=world.sister, year=2024)
    foreign = Evaluation.objects.create(city=world.foreign, year=2024)
    foreign_pub = Evaluation.objects.create(city=world.foreign, year=2023, state=State.PUBLISHED)
    return {
        "own_draft": own,
        "sister_draft": sister,
        "foreign_draft": foreign,
        "foreign_published": foreign_pub,
        "city": world.city,
        "foreign": world.foreign,
        "national": world.national,
        "programme_targets": TargetSet.objects.create(
            name="Default", slug="default", kind=TargetSetKind.PROGRAMME, owner=world.programme
        ),
        "national_targets": TargetSet.objects.create(
            name="Norway", slug="norway", kind=TargetSetKind.NATIONAL, owner=world.national
        ),
        "city_targets": TargetSet.objects.create(
            name="Ålesund goals", slug="alesund", kind=TargetSetKind.CITY, owner=world.city
        ),
        "sister_city_targets": TargetSet.objects.create(
            name="Trondheim goals", slug="trondheim", kind=TargetSetKind.CITY, owner=world.sister
        ),
        "new_programme_targets": TargetSet(
            name="New", kind=TargetSetKind.PROGRAMME, owner=world.programme
        ),
        "new_national_targets": TargetSet(
            name="New", kind=TargetSetKind.NATIONAL, owner=world.national
        ),
        "new_city_targets": TargetSet(name="New", kind=TargetSetKind.CITY, owner=world.city),
        "new_sister_city_targets": TargetSet(
            name="New", kind=TargetSetKind.CITY, owner=world.sister
        ),
    }


def _user(world, name):
    return AnonymousUser() if name == "anonymous" else world.user(name)


@pytest.mark.parametrize(("action", "obj_name"), list(EXPECTED))
def test_matrix(world, objects, action, obj_name):
    allowed = EXPECTED[(action, obj_name)]
    got = {name for name in USERS if can(_user(world, name), action, objects[obj_name])}
    assert got == allowed


def test_a_verifier_never_reviews_their_own_city(world, objects):
    # given a verifier of the national programme who is also Ålesund's data officer
    from u4ssc.apps.accounts.models import Role, RoleAssignment

    both = world.user("verifier")
    RoleAssignment.objects.create(user=both, role=Role.CITY_OFFICER, organisation=world.city)
    both = type(both).objects.get(pk=both.pk)  # fresh principal
    # then they may edit Ålesund but not review it; other cities stay reviewable
    assert can(both, Action.EDIT, objects["own_draft"])
    assert not can(both, Action.REVIEW, objects["own_draft"])
    assert can(both, Action.REVIEW, objects["sister_draft"])


def test_visible_evaluations_public_sees_published_only(world, objects):
    public = visible_evaluations(AnonymousUser())
    assert set(public) == {objects["foreign_published"]}
    officer = visible_evaluations(world.user("officer"))
    assert set(officer) == {objects["own_draft"], objects["foreign_published"]}
    assert visible_evaluations(world.user("admin")).count() == 4


def test_superuser_without_roles_acts_as_programme_admin(world, objects):
    root = make_user("root", is_superuser=True, is_staff=True)
    assert can(root, Action.VIEW, objects["foreign_draft"])
    assert not can(root, Action.EDIT, objects["foreign_draft"])


def test_target_set_owners_agree_with_the_permission_layer(world):
    # given every organisation that can own a target set
    from u4ssc.apps.catalogue.actions import set_kind_for
    from u4ssc.apps.catalogue.queries import target_set_owners
    from u4ssc.apps.organisations.models import Organisation

    owners = [o for o in Organisation.objects.all() if set_kind_for(o) is not None]
    for name in USERS:
        user = _user(world, name)
        # then the owners offered on the "new target set" page are exactly those for which
        # the permission layer allows a new set
        allowed = {
            o.pk
            for o in owners
            if can(user, Action.MANAGE_TARGETS, TargetSet(kind=set_kind_for(o), owner=o))
        }
        assert set(target_set_owners(user).values_list("pk", flat=True)) == allowed, name
    assert set(target_set_owners(world.user("national"))) == {world.national}
    assert set(target_set_owners(world.user("officer"))) == {world.city}
