"""The one permission layer. Pages and API ask the same questions here.

A user's power comes from role assignments (role @ organisation). The organisation is the
scope: a city, or a group (hub, national programme, country, programme) whose member cities
are covered. Workflow state (may this evaluation still be edited?) is the business of the
actions in ``evaluations.actions``; this module answers only "may this person, in principle,
do this to this object?".

Matrix (``tests/test_permissions.py`` checks every cell):

=====================  =====  ====  ======  ======  =======  =====  =======
role                   view   edit  submit  review  publish  orgs   targets
=====================  =====  ====  ======  ======  =======  =====  =======
programme admin        all    -     -       -       all      all    all
hub coordinator        hub    -     -       -       -        hub    -
national coordinator   nat.   -     -       -       -        nat.   national
city data officer      city   city  city    -       -        -      city's own
verifier (expert)      scope  -     -       scope   scope    -      -
viewer                 scope  -     -       -       -        -      -
public (anyone)        published data only
=====================  =====  ====  ======  ======  =======  =====  =======

"targets" (``MANAGE_TARGETS`` on a target set): change its targets, or create it - a new,
unsaved set is asked about before it is saved, so one may create sets only for the
organisations whose sets one may manage (``catalogue.queries.target_set_owners`` lists
them). Everyone, anonymous visitors included, reads every target set.

A verifier who is also a data officer of a city cannot review that city (nobody verifies
their own numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from u4ssc.apps.accounts.models import Role, RoleAssignment
from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind

if TYPE_CHECKING:
    from u4ssc.apps.catalogue.models import TargetSet
    from u4ssc.apps.evaluations.models import Evaluation


class Action(StrEnum):
    VIEW = "view"  # see unpublished data of a city
    EDIT = "edit"  # enter, import, restore values; acknowledge warnings
    SUBMIT = "submit"  # hand the year's data to verification
    REVIEW = "review"  # take into review, accept or return values, verify
    PUBLISH = "publish"  # make verified data public
    MANAGE_ORGANISATION = "manage_organisation"  # add cities, members, people
    MANAGE_TARGETS = "manage_targets"


_CITY_ACTIONS: dict[str, frozenset[Action]] = {
    Role.PROGRAMME_ADMIN: frozenset({Action.VIEW, Action.PUBLISH, Action.MANAGE_ORGANISATION}),
    Role.HUB_COORDINATOR: frozenset({Action.VIEW, Action.MANAGE_ORGANISATION}),
    Role.NATIONAL_COORDINATOR: frozenset({Action.VIEW, Action.MANAGE_ORGANISATION}),
    Role.CITY_OFFICER: frozenset({Action.VIEW, Action.EDIT, Action.SUBMIT}),
    Role.VERIFIER: frozenset({Action.VIEW, Action.REVIEW, Action.PUBLISH}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


class _All:
    """Every city (a programme administrator's scope)."""

    def __contains__(self, item: object) -> bool:
        return True


ALL = _All()


@dataclass
class Principal:
    """What one user may do, computed once per request from their role assignments."""

    user_id: int | None
    is_superuser: bool = False
    # role -> organisation ids it was assigned at
    assignments: dict[str, set[int]] = field(default_factory=dict)
    _city_scope: dict[Action, Any] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, role: str) -> bool:
        return bool(self.assignments.get(role))

    def cities(self, action: Action) -> _All | set[int]:
        """Ids of the cities on which ``action`` is allowed (or ``ALL``)."""
        if action not in self._city_scope:
            self._city_scope[action] = self._compute_cities(action)
        return self._city_scope[action]

    def _compute_cities(self, action: Action) -> _All | set[int]:
        if self.is_superuser and action in _CITY_ACTIONS[Role.PROGRAMME_ADMIN]:
            return ALL
        roots: set[int] = set()
        for role, org_ids in self.assignments.items():
            if action not in _CITY_ACTIONS.get(role, frozenset()):
                continue
            if role == Role.PROGRAMME_ADMIN:
                return ALL
            roots |= org_ids
        cities = cities_under(roots)
        if action == Action.REVIEW:
            cities -= cities_under(self.assignments.get(Role.CITY_OFFICER, set()))
        return cities


def _descendants(org_ids: set[int]) -> dict[int, str]:
    """``org_ids`` and their members, members of members ... as {id: kind}."""
    found: dict[int, str] = {}
    frontier = set(org_ids)
    for _ in range(5):  # programme -> hub -> country/national programme -> city at most
        frontier -= set(found)
        if not frontier:
            break
        found.update(Organisation.objects.filter(id__in=frontier).values_list("id", "kind"))
        frontier = set(
            Membership.objects.filter(group_id__in=frontier).values_list("member_id", flat=True)
        )
    return found


def cities_under(org_ids: set[int]) -> set[int]:
    """The cities among ``org_ids`` and everything under them."""
    if not org_ids:
        return set()
    return {oid for oid, kind in _descendants(org_ids).items() if kind == OrgKind.CITY}


def principal_for(user: Any) -> Principal:
    """The user's principal, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Principal(user_id=None)
    cached = getattr(user, "_u4ssc_principal", None)
    if cached is not None:
        return cached
    assignments: dict[str, set[int]] = {}
    for role, org_id in RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "organisation_id"
    ):
        assignments.setdefault(role, set()).add(org_id)
    principal = Principal(
        user_id=user.pk, is_superuser=bool(user.is_superuser), assignments=assignments
    )
    user._u4ssc_principal = principal
    return principal


def can(user: Any, action: Action, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a city/organisation, evaluation or target set)?"""
    principal = principal_for(user)
    from u4ssc.apps.catalogue.models import TargetSet
    from u4ssc.apps.evaluations.models import Evaluation, State

    if isinstance(obj, Evaluation):
        if action == Action.VIEW and obj.state == State.PUBLISHED:
            return True
        return obj.city_id in principal.cities(action)
    if isinstance(obj, TargetSet):
        return can_manage_target_set(principal, obj) if action == Action.MANAGE_TARGETS else True
    if isinstance(obj, Organisation):
        if action == Action.MANAGE_ORGANISATION:
            return can_manage_organisation(principal, obj)
        if obj.kind == OrgKind.CITY:
            return obj.id in principal.cities(action)
        return False
    raise TypeError(f"no permission rule for {type(obj).__name__}")


def can_manage_organisation(principal: Principal, org: Organisation) -> bool:
    if principal.is_superuser or principal.has_role(Role.PROGRAMME_ADMIN):
        return True
    for role in (Role.HUB_COORDINATOR, Role.NATIONAL_COORDINATOR):
        groups = principal.assignments.get(role, set())
        if groups and org.id in _descendants(groups):
            return True
    return False


def can_manage_target_set(principal: Principal, target_set: TargetSet) -> bool:
    from u4ssc.apps.catalogue.models import TargetSetKind

    if principal.is_superuser or principal.has_role(Role.PROGRAMME_ADMIN):
        return True
    owner = target_set.owner_id
    if target_set.kind == TargetSetKind.NATIONAL:
        return owner in principal.assignments.get(Role.NATIONAL_COORDINATOR, set())
    if target_set.kind == TargetSetKind.CITY:
        return owner in principal.assignments.get(Role.CITY_OFFICER, set())
    return False


def visible_evaluations(user: Any, queryset: QuerySet[Evaluation] | None = None) -> QuerySet:
    """Evaluations ``user`` may see: published ones, plus unpublished ones in their scope."""
    from u4ssc.apps.evaluations.models import Evaluation

    qs = queryset if queryset is not None else Evaluation.objects.all()
    return qs.filter(visible_q(user))


def visible_q(user: Any, prefix: str = "") -> Q:
    """The same rule as a filter on a related evaluation (``prefix="evaluation__"``).

    A join condition rather than a sub-query, so that a list ordered by its own key can stop
    after one page instead of sorting everything first.
    """
    from u4ssc.apps.evaluations.models import State

    scope = principal_for(user).cities(Action.VIEW)
    if isinstance(scope, _All):
        return Q()
    return Q(**{f"{prefix}state": State.PUBLISHED}) | Q(**{f"{prefix}city_id__in": scope})


def cities_where(user: Any, action: Action) -> _All | set[int]:
    return principal_for(user).cities(action)


def require(user: Any, action: Action, obj: Any) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj)``."""
    from django.core.exceptions import PermissionDenied

    if not can(user, action, obj):
        raise PermissionDenied(f"not allowed to {action} {obj}")
