from __future__ import annotations

from django.db.models import Count, QuerySet

from u4ssc.apps.catalogue.models import KPI, Target, TargetSet


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
    return Target.objects.filter(target_set=target_set).select_related("kpi")


def default_target_set() -> TargetSet | None:
    return TargetSet.objects.filter(is_default=True).order_by("id").first()
