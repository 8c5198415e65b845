"""Writes: adding cities from the registry, organisations, members; who may do them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from u4ssc.apps.organisations import actions
from u4ssc.apps.organisations.models import (
    ChangeKind,
    Membership,
    Organisation,
    OrganisationChange,
    OrgKind,
    SizeClass,
)

STAVANGER = 3137115
KRISTIANSAND = 3149318
BAERUM = 3140128

pytestmark = pytest.mark.django_db


def _user(world, name):
    return AnonymousUser() if name == "anonymous" else world.user(name)


def test_a_programme_admin_adds_a_city_from_the_registry(world):
    # when the programme administrator picks Stavanger for the national programme
    city = actions.add_city_from_registry(
        actor=world.user("admin"), geonames_id=STAVANGER, groups=[world.national]
    )
    # then the city carries the registry's data and a size class from its population
    city.refresh_from_db()
    assert (city.kind, city.name, city.slug) == (OrgKind.CITY, "Stavanger", "stavanger")
    assert (city.country_code, city.region, city.geonames_id) == ("NO", "Rogaland", STAVANGER)
    assert city.population == 151_669
    assert city.size_class == SizeClass.MEDIUM
    assert 58.9 < city.latitude < 59.0 and 5.7 < city.longitude < 5.8
    # and it is a member of the national programme, with the change recorded
    assert Membership.objects.filter(group=world.national, member=city).exists()
    change = OrganisationChange.objects.get(organisation=city)
    assert change.kind == ChangeKind.CREATED
    assert change.actor == world.user("admin")
    assert change.details["groups"] == [world.national.slug]


def test_population_override_sets_the_size_class(world):
    city = actions.add_city_from_registry(
        actor=world.user("admin"), geonames_id=BAERUM, groups=[], population=600_000
    )
    assert (city.name, city.slug, city.size_class) == ("Bærum", "baerum", SizeClass.LARGE)


@pytest.mark.parametrize(
    ("user", "group", "allowed"),
    [
        ("admin", "national", True),
        ("admin", "other_hub", True),
        ("hub", "hub", True),
        ("hub", "national", True),  # under the hub
        ("hub", "other_hub", False),
        ("national", "national", True),
        ("national", "hub", False),  # above the national programme
        ("officer", "national", False),
        ("verifier", "national", False),
        ("viewer", "national", False),
        ("nobody", "national", False),
        ("anonymous", "national", False),
    ],
)
def test_who_may_add_a_city_to_which_group(world, user, group, allowed):
    # given a user of the world fixture and a group
    target = getattr(world, group)
    add = lambda: actions.add_city_from_registry(  # noqa: E731
        actor=_user(world, user), geonames_id=KRISTIANSAND, groups=[target]
    )
    # when they add Kristiansand to it
    if allowed:
        city = add()
        assert Membership.objects.filter(group=target, member=city).exists()
    else:
        with pytest.raises(PermissionDenied):
            add()
        # then nothing was written
        assert not Organisation.objects.filter(geonames_id=KRISTIANSAND).exists()
        assert not OrganisationChange.objects.exists()


@pytest.mark.parametrize(
    ("user", "allowed"), [("admin", True), ("hub", False), ("national", False)]
)
def test_only_programme_admins_add_a_city_outside_any_group(world, user, allowed):
    if allowed:
        assert actions.add_city_from_registry(actor=world.user(user), geonames_id=KRISTIANSAND)
    else:
        with pytest.raises(PermissionDenied):
            actions.add_city_from_registry(actor=world.user(user), geonames_id=KRISTIANSAND)


def test_adding_the_same_place_twice_is_refused_with_a_clear_error(world):
    # given Stavanger already registered
    actions.add_city_from_registry(actor=world.user("admin"), geonames_id=STAVANGER)
    # when it is added again
    with pytest.raises(ValidationError) as refused:
        actions.add_city_from_registry(
            actor=world.user("national"), geonames_id=STAVANGER, groups=[world.national]
        )
    # then the error names the city and the id; still one Stavanger
    assert refused.value.code == "duplicate"
    assert "Stavanger is already registered (GeoNames id 3137115)" in refused.value.messages[0]
    assert Organisation.objects.filter(geonames_id=STAVANGER).count() == 1


def test_create_organisation_with_a_taken_geonames_id_is_refused_by_the_database(world):
    actions.add_city_from_registry(actor=world.user("admin"), geonames_id=STAVANGER)
    with pytest.raises(ValidationError) as refused:
        actions.create_organisation(
            actor=world.user("admin"), kind=OrgKind.CITY, name="Stavanger 2", geonames_id=STAVANGER
        )
    assert refused.value.code == "duplicate"


def test_unknown_registry_id_is_a_validation_error(world):
    with pytest.raises(ValidationError) as refused:
        actions.add_city_from_registry(actor=world.user("admin"), geonames_id=1)
    assert refused.value.code == "unknown_city"


def test_a_city_cannot_be_a_group(world):
    with pytest.raises(ValidationError) as refused:
        actions.add_city_from_registry(
            actor=world.user("admin"), geonames_id=STAVANGER, groups=[world.sister]
        )
    assert refused.value.code == "not_a_group"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bærum Innovation Lab", "baerum-innovation-lab"),
        ("Ålesund", "alesund-2"),  # the world fixture has an "alesund" already
        ("  Tromsø   Hub ", "tromso-hub"),
        ("東京", "organisation"),
    ],
)
def test_slugs_are_unique_and_spell_out_norwegian_letters(world, name, slug):
    org = actions.create_organisation(
        actor=world.user("admin"), kind=OrgKind.INNOVATION_LAB, name=name
    )
    assert org.slug == slug
    assert org.name == " ".join(name.split())


def test_create_organisation_validates_kind_name_and_country(world):
    admin = world.user("admin")
    with pytest.raises(ValidationError):
        actions.create_organisation(actor=admin, kind="castle", name="Akershus festning")
    with pytest.raises(ValidationError):
        actions.create_organisation(actor=admin, kind=OrgKind.HUB, name="   ")
    with pytest.raises(ValidationError) as refused:
        actions.create_organisation(
            actor=admin, kind=OrgKind.COUNTRY, name="Atlantis", country_code="QQ"
        )
    assert refused.value.code == "invalid_country"
    hub = actions.create_organisation(
        actor=admin,
        kind=OrgKind.HUB,
        name="Vienna Country Hub",
        country_code="at",
        groups=[world.programme],
    )
    assert hub.country_code == "AT" and hub.size_class == ""
    assert list(hub.groups.all()) == [world.programme]


def test_update_organisation_recomputes_size_class_and_logs_the_change(world):
    # given Ålesund with 67 000 people (medium)
    city = world.city
    # when the national coordinator updates its population
    actions.update_organisation(actor=world.user("national"), organisation=city, population=40_000)
    # then the size class follows and the change is logged with before and after
    city.refresh_from_db()
    assert (city.population, city.size_class) == (40_000, SizeClass.SMALL)
    change = OrganisationChange.objects.get(organisation=city, kind=ChangeKind.UPDATED)
    assert change.details == {"changes": {"population": [67_000, 40_000]}}


def test_update_organisation_refuses_strangers_and_unknown_fields(world):
    with pytest.raises(PermissionDenied):
        actions.update_organisation(
            actor=world.user("officer"), organisation=world.city, name="Aalesund"
        )
    with pytest.raises(PermissionDenied):
        actions.update_organisation(
            actor=world.user("national"), organisation=world.foreign, name="Linz an der Donau"
        )
    with pytest.raises(ValidationError):
        actions.update_organisation(actor=world.user("admin"), organisation=world.city, slug="x")
    with pytest.raises(ValidationError):
        actions.update_organisation(
            actor=world.user("admin"), organisation=world.city, latitude=123.0
        )
    world.city.refresh_from_db()
    assert world.city.name == "Ålesund"


def test_add_and_remove_member(world):
    national = world.user("national")
    # when the national coordinator adds Linz to the Norwegian programme, twice
    first = actions.add_member(actor=national, group=world.national, member=world.foreign)
    again = actions.add_member(actor=national, group=world.national, member=world.foreign)
    # then there is one membership and one log entry
    assert first.pk == again.pk
    assert OrganisationChange.objects.filter(kind=ChangeKind.MEMBER_ADDED).count() == 1
    # and removing it works once
    assert actions.remove_member(actor=national, group=world.national, member=world.foreign)
    assert not actions.remove_member(actor=national, group=world.national, member=world.foreign)
    assert OrganisationChange.objects.filter(kind=ChangeKind.MEMBER_REMOVED).count() == 1


def test_membership_refusals(world):
    with pytest.raises(PermissionDenied):
        actions.add_member(actor=world.user("national"), group=world.hub, member=world.foreign)
    with pytest.raises(PermissionDenied):
        actions.remove_member(actor=world.user("officer"), group=world.national, member=world.city)
    with pytest.raises(ValidationError) as not_group:
        actions.add_member(actor=world.user("admin"), group=world.city, member=world.sister)
    assert not_group.value.code == "not_a_group"
    # a group cannot join something under it
    with pytest.raises(ValidationError) as cycle:
        actions.add_member(actor=world.user("admin"), group=world.national, member=world.hub)
    assert cycle.value.code == "cycle"
    with pytest.raises(ValidationError):
        actions.add_member(actor=world.user("admin"), group=world.hub, member=world.hub)
