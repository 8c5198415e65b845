"""Writes of the catalogue app: syncing the KPI rows from the core data file, target sets."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from u4ssc.apps.accounts.permissions import Action, require
from u4ssc.apps.catalogue.models import KPI, Target, TargetSet, TargetSetKind
from u4ssc.core.catalogue import Catalogue, kpi_record, load_catalogue


def _definition(kpi: Any) -> dict[str, Any]:
    return json_safe(kpi_record(kpi))


def json_safe(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    return obj


@transaction.atomic
def sync_catalogue(catalogue: Catalogue | None = None) -> int:
    """Make the KPI table match the shipped catalogue (by normalised code). Returns rows
    created or changed. KPIs are never deleted: values may point at them."""
    cat = catalogue or load_catalogue()
    existing = {k.key: k for k in KPI.objects.all()}
    changed = 0
    for kpi in cat.kpis:
        fields = {
            "code": kpi.code,
            "name": kpi.name,
            "dimension": kpi.dimension,
            "dimension_code": kpi.dimension_code,
            "subdimension": kpi.subdimension,
            "subdimension_code": kpi.subdimension_code,
            "category": kpi.category,
            "category_code": kpi.category_code,
            "level": kpi.level,
            "kpi_type": kpi.type,
            "unit": kpi.unit,
            "measure_kind": kpi.measure.kind,
            "direction": kpi.direction.kind,
            "position": kpi.position,
            "catalogue_version": cat.version,
            "definition": _definition(kpi),
        }
        row = existing.get(kpi.key)
        if row is None:
            KPI.objects.create(key=kpi.key, **fields)
            changed += 1
        elif any(getattr(row, f) != v for f, v in fields.items()):
            for f, v in fields.items():
                setattr(row, f, v)
            row.save(update_fields=list(fields))
            changed += 1
    return changed


@transaction.atomic
def create_target_set(
    *, actor: Any, name: str, kind: str, owner: Any, method: str = "u4ssc", description: str = ""
) -> TargetSet:
    target_set = TargetSet(
        name=name,
        kind=kind,
        owner=owner,
        method=method,
        description=description,
        slug=_unique_slug(name),
    )
    require(actor, Action.MANAGE_TARGETS, target_set)
    target_set.save()
    return target_set


def _unique_slug(name: str) -> str:
    base = slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:100] or "set"
    slug, n = base, 2
    while TargetSet.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def set_target(
    *,
    actor: Any,
    target_set: TargetSet,
    kpi: KPI,
    data_point: str = "",
    value: float | None,
    direction: str,
    source: str,
    range_low: float | None = None,
    range_high: float | None = None,
    note: str = "",
) -> Target:
    require(actor, Action.MANAGE_TARGETS, target_set)
    if not source.strip():
        from django.core.exceptions import ValidationError

        raise ValidationError("Every target needs its source.")
    target, _ = Target.objects.update_or_create(
        target_set=target_set,
        kpi=kpi,
        data_point=data_point,
        defaults={
            "value": value,
            "direction": direction,
            "range_low": range_low,
            "range_high": range_high,
            "source": source.strip(),
            "note": note,
            "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return target


@transaction.atomic
def install_default_target_set(*, owner: Any) -> TargetSet:
    """The programme default set: only targets with a public source (see core.targets)."""
    from u4ssc.core.targets import load_default_targets

    target_set, _ = TargetSet.objects.get_or_create(
        slug="u4ssc-default",
        defaults={
            "name": "U4SSC programme default (public sources only)",
            "kind": TargetSetKind.PROGRAMME,
            "owner": owner,
            "is_default": True,
            "description": "Targets that have a public source (SDG universal-access targets, "
            "WHO guidelines). KPIs without a target here are not scored.",
        },
    )
    kpis = {k.key: k for k in KPI.objects.all()}
    for t in load_default_targets():
        Target.objects.update_or_create(
            target_set=target_set,
            kpi=kpis[t["kpi_key"]],
            data_point=t["data_point"],
            defaults={
                "value": t["value"],
                "direction": t["direction"],
                "range_low": t["range_low"],
                "range_high": t["range_high"],
                "source": f"{t['source']} {t['url']}".strip()[:500],
                "note": t["note"],
            },
        )
    return target_set


PROGRAMME_SLUG = "u4ssc"


@transaction.atomic
def ensure_programme_defaults() -> TargetSet:
    """The programme organisation and its default target set exist on every installation."""
    from u4ssc.apps.organisations.models import Organisation, OrgKind

    programme, _ = Organisation.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "kind": OrgKind.PROGRAMME,
            "name": "U4SSC Implementation Programme",
            "website": "https://u4ssc.itu.int/",
        },
    )
    return install_default_target_set(owner=programme)
