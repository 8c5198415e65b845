"""Writes of the catalogue app: syncing the KPI rows from the core data file, target sets.

Every change to a target set goes through ``create_target_set``, ``set_target`` or
``remove_target``: permission through ``accounts.permissions``, one transaction, a
``TargetChange`` (who, when, before, after) written in it.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import Action, require
from u4ssc.apps.catalogue.models import (
    KPI,
    Direction,
    ScoringMethod,
    Target,
    TargetChange,
    TargetChangeKind,
    TargetSet,
    TargetSetKind,
)
from u4ssc.apps.organisations.models import OrgKind
from u4ssc.core.catalogue import (
    Catalogue,
    UnknownDataPoint,
    UnknownKPI,
    kpi_record,
    load_catalogue,
)


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


# The kind of set an organisation owns follows from the organisation's kind.
_SET_KIND_OF_OWNER = {
    OrgKind.PROGRAMME: TargetSetKind.PROGRAMME,
    OrgKind.NATIONAL_PROGRAMME: TargetSetKind.NATIONAL,
    OrgKind.CITY: TargetSetKind.CITY,
}
# Paths under /targets/ that a set's slug must not take.
_RESERVED_SLUGS = {"new"}
TARGET_FIELDS = ("value", "direction", "range_low", "range_high", "source", "note")


def set_kind_for(owner: Any) -> str | None:
    """The kind of target set ``owner`` may own (None: it owns none)."""
    return _SET_KIND_OF_OWNER.get(getattr(owner, "kind", None))


@transaction.atomic
def create_target_set(
    *,
    actor: Any,
    name: str,
    owner: Any,
    kind: str | None = None,
    method: str = ScoringMethod.U4SSC,
    description: str = "",
) -> TargetSet:
    """A new, empty target set owned by ``owner`` (the programme, a national programme or a
    city); its kind follows from the owner's. Refused unless ``actor`` may manage it."""
    expected = set_kind_for(owner)
    errors: dict[str, list[str]] = {}
    if expected is None:
        errors["owner"] = [
            _("Only the programme, a national programme or a city owns a target set.")
        ]
    elif kind is not None and kind != expected:
        errors["owner"] = [_("This organisation cannot own a set of this kind.")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the set a name.")]
    elif len(name) > 200:
        errors["name"] = [_("The name is too long (200 characters at most).")]
    if method not in ScoringMethod.values:
        errors["method"] = [_("Choose a scoring method.")]
    if errors:
        raise ValidationError(errors)
    target_set = TargetSet(
        name=name,
        kind=expected,
        owner=owner,
        method=method,
        description=(description or "").strip(),
        slug=_unique_slug(name),
    )
    require(actor, Action.MANAGE_TARGETS, target_set)
    target_set.save()
    TargetChange.objects.create(
        target_set=target_set, kind=TargetChangeKind.SET_CREATED, actor=_person(actor)
    )
    return target_set


def _unique_slug(name: str) -> str:
    base = slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:100] or "set"
    if base in _RESERVED_SLUGS:
        base = f"{base}-set"
    slug, n = base, 2
    while TargetSet.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _snapshot(target: Target) -> dict[str, Any]:
    return {f: getattr(target, f) for f in TARGET_FIELDS}


def _check_target(
    kpi: KPI,
    data_point: str,
    *,
    value: float | None,
    direction: str,
    range_low: float | None,
    range_high: float | None,
    source: str,
) -> dict[str, Any]:
    """The target's fields as they will be stored; ``ValidationError`` (by field) if any is
    wrong. A target needs its source; a higher/lower target a value, a range its two ends."""
    errors: dict[str, list[str]] = {}
    try:
        measurand = load_catalogue().measurand(kpi.code, data_point)
    except (UnknownKPI, UnknownDataPoint):
        raise ValidationError(
            {"measurand": [_("%(code)s has no such data point.") % {"code": kpi.code}]}
        ) from None
    if direction not in Direction.values:
        errors["direction"] = [_("Choose which way is better.")]
    numbers = {"value": value, "range_low": range_low, "range_high": range_high}
    for field, number in numbers.items():
        if number is not None and not math.isfinite(number):
            errors[field] = [_("Type a number, such as 95 or 12,5.")]
    if direction == Direction.RANGE:
        value = None
        if range_low is None:
            errors.setdefault("range_low", [_("A range needs its low end.")])
        if range_high is None:
            errors.setdefault("range_high", [_("A range needs its high end.")])
        if range_low is not None and range_high is not None and range_low > range_high:
            errors.setdefault("range_high", [_("The high end is below the low end.")])
    elif direction in (Direction.HIGHER, Direction.LOWER):
        range_low = range_high = None
        if value is None:
            errors.setdefault("value", [_("Give the target value.")])
    low, high = measurand.plausible_min, measurand.plausible_max
    for field, number in (("value", value), ("range_low", range_low), ("range_high", range_high)):
        if field in errors or number is None:
            continue
        if (low is not None and number < low) or (high is not None and number > high):
            errors[field] = [
                _("%(value)s is outside what this KPI can be (%(low)s to %(high)s %(unit)s).")
                % {
                    "value": number_format(number),
                    "low": "-" if low is None else number_format(low),
                    "high": "-" if high is None else number_format(high),
                    "unit": measurand.unit,
                }
            ]
    source = (source or "").strip()
    if not source:
        errors["source"] = [_("Every target needs its source: where does this value come from?")]
    elif len(source) > 500:
        errors["source"] = [_("The source is too long (500 characters at most).")]
    if errors:
        raise ValidationError(errors)
    return {
        "value": value,
        "direction": direction,
        "range_low": range_low,
        "range_high": range_high,
        "source": source,
    }


def _touch(target_set: TargetSet) -> None:
    # The benchmarking scoreboard's data version reads the set's last change: touching it
    # makes every process rebuild the set's scores, a removed target included.
    target_set.save(update_fields=["updated_at"])


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
    new_only: bool = False,
) -> Target:
    """Add or change the target of ``kpi`` (and ``data_point``) in ``target_set``.

    Refused (``PermissionDenied``) unless ``actor`` may manage the set; ``ValidationError``
    by field for a wrong target (no source, no value, a range upside down, a value the KPI
    cannot take, a data point the KPI does not have; with ``new_only``, a target the set
    already has). Writes a :class:`TargetChange` with the fields before and after; saving
    what is already stored writes nothing.
    """
    require(actor, Action.MANAGE_TARGETS, target_set)
    fields = _check_target(
        kpi,
        data_point,
        value=value,
        direction=direction,
        range_low=range_low,
        range_high=range_high,
        source=source,
    )
    fields["note"] = (note or "").strip()
    target = (
        Target.objects.select_for_update()
        .filter(target_set=target_set, kpi=kpi, data_point=data_point)
        .first()
    )
    if target is not None and new_only:
        raise ValidationError(
            {"measurand": [_("This set already has this target: change it in its row.")]}
        )
    before = _snapshot(target) if target is not None else None
    if target is None:
        target = Target(target_set=target_set, kpi=kpi, data_point=data_point)
    elif before == fields:
        return target
    for name, field_value in fields.items():
        setattr(target, name, field_value)
    target.updated_by = _person(actor)
    target.save()
    TargetChange.objects.create(
        target_set=target_set,
        kind=TargetChangeKind.ADDED if before is None else TargetChangeKind.CHANGED,
        kpi=kpi,
        data_point=data_point,
        before=before,
        after=_snapshot(target),
        actor=_person(actor),
    )
    _touch(target_set)
    return target


@transaction.atomic
def remove_target(*, actor: Any, target: Target) -> None:
    """Take ``target`` out of its set (kept in the set's history)."""
    target_set = target.target_set
    require(actor, Action.MANAGE_TARGETS, target_set)
    TargetChange.objects.create(
        target_set=target_set,
        kind=TargetChangeKind.REMOVED,
        kpi_id=target.kpi_id,
        data_point=target.data_point,
        before=_snapshot(target),
        after=None,
        actor=_person(actor),
    )
    target.delete()
    _touch(target_set)


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
    from u4ssc.apps.organisations.models import Organisation

    programme, _ = Organisation.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "kind": OrgKind.PROGRAMME,
            "name": "U4SSC Implementation Programme",
            "website": "https://u4ssc.itu.int/",
        },
    )
    return install_default_target_set(owner=programme)
