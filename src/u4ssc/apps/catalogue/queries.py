from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from u4ssc.apps.accounts.models import Role
from u4ssc.apps.accounts.permissions import principal_for
from u4ssc.apps.catalogue.models import KPI, Target, TargetChange, TargetSet
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.core.catalogue import load_catalogue


def kpis(*, dimension: str | None = None, level: str | None = None) -> QuerySet[KPI]:
    qs = KPI.objects.all()
    if dimension:
        qs = qs.filter(dimension_code=dimension.upper())
    if level:
        qs = qs.filter(level=level)
    return qs


def target_sets() -> QuerySet[TargetSet]:
    return TargetSet.objects.select_related("owner").annotate(n_targets=Count("targets"))


def targets_of(target_set: TargetSet) -> QuerySet[Target]:
    return Target.objects.filter(target_set=target_set).select_related("kpi", "updated_by")


def default_target_set() -> TargetSet | None:
    return TargetSet.objects.filter(is_default=True).order_by("id").first()


def target_history(target_set: TargetSet, limit: int = 50) -> QuerySet[TargetChange]:
    """The set's latest changes, newest first (two queries whatever their number)."""
    return TargetChange.objects.filter(target_set=target_set).select_related("kpi", "actor")[:limit]


def target_set_owners(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` may create a target set for: every programme, national
    programme and city for a programme administrator; their national programme for a
    national coordinator; their city for a city data officer; none for anyone else.
    Agrees with ``permissions.can(user, MANAGE_TARGETS, <a new set of that owner>)``."""
    principal = principal_for(user)
    owners = Organisation.objects.filter(
        kind__in=[OrgKind.PROGRAMME, OrgKind.NATIONAL_PROGRAMME, OrgKind.CITY]
    ).order_by("kind", "name", "id")
    if not principal.is_authenticated:
        return owners.none()
    if principal.is_superuser or principal.has_role(Role.PROGRAMME_ADMIN):
        return owners
    national = principal.assignments.get(Role.NATIONAL_COORDINATOR, set())
    cities = principal.assignments.get(Role.CITY_OFFICER, set())
    return owners.filter(
        Q(kind=OrgKind.NATIONAL_PROGRAMME, id__in=national) | Q(kind=OrgKind.CITY, id__in=cities)
    )


@dataclass(frozen=True)
class MeasurandChoice:
    """A KPI or one of its data points, as a target can be set on it."""

    kpi_id: int
    data_point: str
    label: str
    direction: str

    @property
    def key(self) -> str:
        return f"{self.kpi_id}:{self.data_point or '-'}"


def measurand_choices(*, without: TargetSet | None = None) -> list[MeasurandChoice]:
    """Every KPI and data point in catalogue order, named in the active language; those
    ``without`` already has a target for are left out (two queries)."""
    ids = dict(KPI.objects.values_list("key", "id"))
    taken: set[tuple[int, str]] = set()
    if without is not None:
        taken = set(Target.objects.filter(target_set=without).values_list("kpi_id", "data_point"))
    out = []
    for kpi in load_catalogue().kpis:
        kpi_id = ids.get(kpi.key)
        if kpi_id is None:
            continue
        for m in kpi.measurands():
            if (kpi_id, m.data_point) in taken:
                continue
            label = f"{kpi.code} {gettext(kpi.name)}"
            if m.data_point:
                label += f": {gettext(m.name)}"
            out.append(MeasurandChoice(kpi_id, m.data_point, label, m.direction.kind))
    return out


def published_values_are_synthetic(kpi: KPI) -> bool:
    """Whether some published values of ``kpi`` were generated for the demo (the value or
    its year is marked synthetic): what is computed from them across cities (counts,
    medians, rankings) must then say so. One query."""
    from u4ssc.apps.evaluations.models import KPIValue, State

    return (
        KPIValue.objects.filter(kpi=kpi, evaluation__state=State.PUBLISHED)
        .filter(Q(is_synthetic=True) | Q(evaluation__is_synthetic=True))
        .exists()
    )
