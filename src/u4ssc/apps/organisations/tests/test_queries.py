"""Reads shared by pages and API: filters, groups, peers, and constant query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from u4ssc.apps.accounts.permissions import Action, can
from u4ssc.apps.organisations import queries
from u4ssc.apps.organisations.models import Organisation, OrgKind, SizeClass
from u4ssc.apps.organisations.tests.factories import many_cities

pytestmark = pytest.mark.django_db


def _names(qs):
    return [o.name for o in qs]


def test_filter_by_kind_country_size_class_region_and_text(world):
    world.sister.size_class = SizeClass.METROPOLITAN
    world.sister.region = "Trøndelag"
    world.sister.save()
    assert _names(queries.filter_organisations(kind=OrgKind.CITY)) == [
        "Linz",
        "Trondheim",
        "Ålesund",
    ]
    assert _names(queries.cities(country="no")) == ["Trondheim", "Ålesund"]
    assert _names(queries.cities(size_class=SizeClass.METROPOLITAN)) == ["Trondheim"]
    assert _names(queries.cities(region="trøndelag")) == ["Trondheim"]
    assert _names(queries.filter_organisations(kind=OrgKind.HUB)) == ["Nordic Hub", "Vienna Hub"]
    # text search over name, region and (accent-free) slug
    assert _names(queries.filter_organisations(q="alesund")) == ["Ålesund"]
    assert _names(queries.filter_organisations(q="Ålesund")) == ["Ålesund"]
    assert _names(queries.filter_organisations(q="hub")) == ["Nordic Hub", "Vienna Hub"]
    assert _names(queries.filter_organisations(q="   ")) == _names(Organisation.objects.all())


def test_group_filter_reaches_cities_through_national_programmes(world):
    # the hub's cities are members of its national programme, not of the hub itself
    assert _names(queries.cities(group=world.hub)) == ["Trondheim", "Ålesund"]
    assert _names(queries.cities(group="national-u4ssc-programme-norway")) == [
        "Trondheim",
        "Ålesund",
    ]
    assert _names(queries.filter_organisations(group=world.programme, kind=OrgKind.HUB)) == [
        "Nordic Hub",
        "Vienna Hub",
    ]
    assert _names(queries.cities(group=world.other_hub)) == ["Linz"]
    assert _names(queries.cities(group="no-such-group")) == []


def test_city_groups_include_groups_above_the_direct_ones(world):
    assert queries.city_groups(world.city) == [world.programme, world.hub, world.national]
    assert queries.city_groups(world.foreign) == [world.programme, world.other_hub]


def test_member_cities_of_a_group(world):
    assert _names(queries.member_cities(world.programme)) == ["Linz", "Trondheim", "Ålesund"]
    assert _names(queries.member_cities(world.national)) == ["Trondheim", "Ålesund"]


def test_peer_groups_for_benchmarking(world):
    # given Ålesund and Trondheim in the same programme, region and size class
    for city in (world.city, world.sister):
        city.region, city.size_class = "Vestland", SizeClass.MEDIUM
        city.save()
    # when Ålesund's peers are asked for
    peers = {p.key: p for p in queries.peer_groups(world.city)}
    # then every dimension has Trondheim and never Ålesund itself
    assert set(peers) == {"country", "hub", "national_programme", "size_class", "region"}
    for peer in peers.values():
        assert _names(peer.cities) == ["Trondheim"], peer.key
    assert peers["hub"].group == world.hub
    assert "Nordic Hub" in peers["hub"].label
    # Linz has no hub peers, no size class and no region
    linz = {p.key: p for p in queries.peer_groups(world.foreign)}
    assert set(linz) == {"country", "hub"}
    assert _names(linz["country"].cities) == []


def test_organisation_detail_prefetches_members_and_groups(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        national = queries.organisation_detail(world.national.slug)
        assert national is not None
        assert _names(national.members.all()) == ["Trondheim", "Ålesund"]
        assert _names(national.groups.all()) == ["Nordic Hub"]
    assert national.member_count == 2
    assert queries.organisation_detail("nope") is None


@pytest.mark.parametrize("user", ["admin", "hub", "national", "officer", "viewer", "anonymous"])
def test_manageable_groups_agree_with_the_permission_layer(world, user):
    person = AnonymousUser() if user == "anonymous" else world.user(user)
    manageable = set(queries.manageable_groups(person))
    for group in Organisation.objects.filter(kind__in=queries.GROUP_KINDS):
        assert (group in manageable) == can(person, Action.MANAGE_ORGANISATION, group), group
    assert queries.may_add_cities(person) == (user in {"admin", "hub", "national"})


def test_groups_by_slug(world):
    assert queries.groups_by_slug(["nordic-hub", "nordic-hub", ""]) == [world.hub]
    with pytest.raises(Exception, match="alesund"):
        queries.groups_by_slug(["alesund"])  # a city is not a group
    with pytest.raises(Exception, match="ghost"):
        queries.groups_by_slug(["ghost"])


@pytest.mark.parametrize("n", [5, 50])
def test_listing_with_groups_takes_constant_queries(world, n, django_assert_num_queries):
    # given n extra cities in the national programme
    many_cities(world.national, n)
    # when the cities of the hub are listed with their groups: tree, list, prefetch
    with django_assert_num_queries(3):
        rows = list(queries.cities(group=world.hub, country="NO"))
        assert len(rows) == n + 2
        assert all(r.groups.all() for r in rows)


@pytest.mark.parametrize("n", [5, 50])
def test_peer_groups_take_constant_queries(world, n, django_assert_num_queries):
    many_cities(world.national, n)
    world.city.region, world.city.size_class = "Vestland", SizeClass.SMALL
    world.city.save()
    with django_assert_num_queries(2 + 5):  # tree, groups, then one per peer group
        peers = queries.peer_groups(world.city)
        total = sum(len(list(p.cities)) for p in peers)
    assert total >= n
