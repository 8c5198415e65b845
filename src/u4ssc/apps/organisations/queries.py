"""Reads of the organisations app, shared by the pages and the API.

Membership forms a shallow tree (programme -> hub -> national programme or country ->
city). Walking it touches the whole membership table in one query (``_tree``): it has one
row per link, a few thousand at most, and one query beats one per level or per group.
Every function here runs a number of queries that does not grow with the rows returned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.models import Role
from u4ssc.apps.accounts.permissions import principal_for
from u4ssc.apps.organisations.models import (
    GROUP_KINDS,
    Membership,
    Organisation,
    OrgKind,
)
from u4ssc.core.registry import ascii_slug

GROUP_ORDER = {kind: n for n, kind in enumerate(GROUP_KINDS)}


@dataclass
class _Tree:
    """Membership links as adjacency lists (one query)."""

    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    groups: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> _Tree:
        tree = cls()
        for group_id, member_id in Membership.objects.values_list("group_id", "member_id"):
            tree.members[group_id].add(member_id)
            tree.groups[member_id].add(group_id)
        return tree

    @staticmethod
    def _walk(start: Iterable[int], links: dict[int, set[int]]) -> set[int]:
        seen: set[int] = set()
        frontier = set(start)
        while frontier:
            seen |= frontier
            frontier = {n for node in frontier for n in links.get(node, ())} - seen
        return seen

    def below(self, ids: Iterable[int]) -> set[int]:
        """``ids`` and everything under them."""
        return self._walk(ids, self.members)

    def above(self, ids: Iterable[int]) -> set[int]:
        """``ids`` and every group above them."""
        return self._walk(ids, self.groups)


def descendant_ids(*org_ids: int) -> set[int]:
    """The ids of ``org_ids`` and of everything under them (members, members of members)."""
    return _Tree.load().below(org_ids)


def ancestor_ids(*org_ids: int) -> set[int]:
    """The ids of ``org_ids`` and of every group above them."""
    return _Tree.load().above(org_ids)


def _with_groups(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.prefetch_related(
        Prefetch("groups", queryset=Organisation.objects.order_by("kind", "name", "id"))
    )


def filter_organisations(
    *,
    kind: str | None = None,
    country: str | None = None,
    group: Organisation | str | None = None,
    size_class: str | None = None,
    region: str | None = None,
    q: str | None = None,
    queryset: QuerySet[Organisation] | None = None,
) -> QuerySet[Organisation]:
    """Organisations matching every given filter, with their direct groups prefetched.

    ``group`` (an organisation or its slug) keeps what is under it at any depth: the
    cities of a hub include those of its national programmes. ``q`` matches name, slug or
    region; accents do not matter ("alesund" finds Ålesund through its slug). An unknown
    group slug gives an empty result.
    """
    qs = queryset if queryset is not None else Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country_code=country.upper())
    if size_class:
        qs = qs.filter(size_class=size_class)
    if region:
        qs = qs.filter(region__iexact=region)
    if group:
        group_id = (
            group.pk
            if isinstance(group, Organisation)
            else Organisation.objects.filter(slug=group).values_list("id", flat=True).first()
        )
        if group_id is None:
            return qs.none()
        qs = qs.filter(id__in=descendant_ids(group_id) - {group_id})
    if q and q.strip():
        text = q.strip()
        condition = Q(name__icontains=text) | Q(region__icontains=text)
        slug_text = ascii_slug(text)
        if slug_text:
            condition |= Q(slug__icontains=slug_text)
        qs = qs.filter(condition)
    return _with_groups(qs.order_by("name", "id"))


def cities(**filters: Any) -> QuerySet[Organisation]:
    """Cities matching ``filters`` (those of ``filter_organisations`` except ``kind``)."""
    return filter_organisations(kind=OrgKind.CITY, **filters)


def organisation_detail(slug: str) -> Organisation | None:
    """One organisation with its direct members and groups prefetched (or None)."""
    return (
        Organisation.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("groups", queryset=Organisation.objects.order_by("kind", "name", "id")),
            Prefetch("members", queryset=Organisation.objects.order_by("kind", "name", "id")),
        )
        .annotate(member_count=Count("member_links", distinct=True))
        .first()
    )


def city_groups(city: Organisation) -> list[Organisation]:
    """Every group the city belongs to, directly or through another group.

    Ordered programme, hub, national programme, country, then by name.
    """
    ids = ancestor_ids(city.pk) - {city.pk}
    groups = list(Organisation.objects.filter(id__in=ids, kind__in=GROUP_KINDS))
    return sorted(groups, key=lambda g: (GROUP_ORDER.get(g.kind, 99), g.name, g.pk))


def member_cities(group: Organisation) -> QuerySet[Organisation]:
    """The cities under ``group`` at any depth, by name."""
    return Organisation.objects.filter(id__in=descendant_ids(group.pk), kind=OrgKind.CITY).order_by(
        "name", "id"
    )


@dataclass(frozen=True)
class PeerGroup:
    """Cities comparable with one city along one dimension, for benchmarking.

    ``key`` is ``country``, ``hub``, ``national_programme``, ``size_class`` or ``region``;
    ``group`` is the hub or national programme for those keys; ``cities`` excludes the city
    itself.
    """

    key: str
    label: str
    cities: QuerySet[Organisation]
    group: Organisation | None = None


def peer_groups(city: Organisation) -> list[PeerGroup]:
    """The city's peer groups: same country, hub, national programme, size class, region.

    Dimensions the city has no value for (no size class, no hub) are left out. Each
    group's ``cities`` is an unevaluated queryset (one query when read).
    """
    others = Organisation.objects.filter(kind=OrgKind.CITY).exclude(pk=city.pk)
    others = others.order_by("name", "id")
    peers: list[PeerGroup] = []
    if city.country_code:
        peers.append(
            PeerGroup(
                "country",
                _("Same country"),
                others.filter(country_code=city.country_code),
            )
        )
    tree = _Tree.load()
    above = tree.above([city.pk]) - {city.pk}
    wanted = (OrgKind.HUB, OrgKind.NATIONAL_PROGRAMME)
    for group in Organisation.objects.filter(id__in=above, kind__in=wanted).order_by(
        "kind", "name", "id"
    ):
        under = tree.below([group.pk])
        peers.append(
            PeerGroup(
                str(group.kind),
                _("Same %(kind)s: %(name)s")
                % {"kind": group.get_kind_display().lower(), "name": group.name},
                others.filter(id__in=under),
                group=group,
            )
        )
    if city.size_class:
        peers.append(
            PeerGroup(
                "size_class",
                _("Same size class: %(size)s") % {"size": city.get_size_class_display()},
                others.filter(size_class=city.size_class),
            )
        )
    if city.region and city.country_code:
        peers.append(
            PeerGroup(
                "region",
                _("Same region: %(region)s") % {"region": city.region},
                others.filter(country_code=city.country_code, region=city.region),
            )
        )
    return peers


def is_programme_admin(user: Any) -> bool:
    """Programme administrators (and superusers) manage every organisation."""
    principal = principal_for(user)
    return principal.is_superuser or principal.has_role(Role.PROGRAMME_ADMIN)


def manageable_groups(user: Any) -> QuerySet[Organisation]:
    """Groups ``user`` may add cities and members to (as the permission layer decides).

    Programme administrators (and superusers): every group. Hub and national coordinators:
    the groups they coordinate and the groups under them. Everyone else: none.
    """
    principal = principal_for(user)
    groups = Organisation.objects.filter(kind__in=GROUP_KINDS)
    if is_programme_admin(user):
        return groups.order_by("kind", "name", "id")
    roots: set[int] = set()
    for role in (Role.HUB_COORDINATOR, Role.NATIONAL_COORDINATOR):
        roots |= principal.assignments.get(role, set())
    if not roots:
        return groups.none()
    return groups.filter(id__in=descendant_ids(*roots)).order_by("kind", "name", "id")


def may_add_cities(user: Any) -> bool:
    """Whether ``user`` may use "Add a city" at all (manages at least one group)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_programme_admin(user):
        return True
    principal = principal_for(user)
    return principal.has_role(Role.HUB_COORDINATOR) or principal.has_role(Role.NATIONAL_COORDINATOR)


def groups_by_slug(slugs: Iterable[str]) -> list[Organisation]:
    """The groups named by ``slugs``; a ``ValidationError`` names unknown or non-group slugs."""
    wanted = list(dict.fromkeys(s for s in slugs if s))
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}
    bad = [s for s in wanted if s not in found or found[s].kind not in GROUP_KINDS]
    if bad:
        raise ValidationError(
            _("Unknown group: %(slugs)s") % {"slugs": ", ".join(bad)}, code="unknown_group"
        )
    return [found[s] for s in wanted]


def registered_geonames_ids(ids: Iterable[int]) -> dict[int, Organisation]:
    """Of ``ids``, those already registered, with their organisation (one query)."""
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    return {
        o.geonames_id: o
        for o in Organisation.objects.filter(geonames_id__in=wanted).only(
            "id", "name", "slug", "geonames_id", "kind"
        )
        if o.geonames_id is not None
    }


def countries_in_use() -> list[str]:
    """Country codes of at least one organisation (for the list's country filter)."""
    return list(
        Organisation.objects.exclude(country_code="")
        .order_by()
        .values_list("country_code", flat=True)
        .distinct()
    )


def published_data_is_synthetic(city: Organisation) -> bool:
    """Whether some of ``city``'s published KPI data was generated for the demo (the year is
    marked synthetic, or a value in it is): the scores computed from it are then synthetic
    too, and the page must say so. One query."""
    from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State

    published = Evaluation.objects.filter(city=city, state=State.PUBLISHED)
    return (
        published.filter(is_synthetic=True).exists()
        or KPIValue.objects.filter(evaluation__in=published, is_synthetic=True).exists()
    )
