"""Every write of the organisations app.

Each action takes the acting user as keyword-only ``actor``, checks permission through
``u4ssc.apps.accounts.permissions`` (``PermissionDenied`` when refused), runs in one
transaction and writes an ``OrganisationChange`` (the audit log) in that transaction.

Who may do what (``MANAGE_ORGANISATION`` of the permission layer):

- create an organisation inside groups: whoever manages every one of those groups
  (programme administrator: all; hub coordinator: their hub and what is under it; national
  coordinator: their national programme and its cities);
- create an organisation in no group: programme administrators only;
- update an organisation: whoever manages it;
- add or remove a member: whoever manages the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import Action, require
from u4ssc.apps.organisations.models import (
    GROUP_KINDS,
    ChangeKind,
    Membership,
    Organisation,
    OrganisationChange,
    OrgKind,
    size_class_for,
)
from u4ssc.apps.organisations.queries import descendant_ids
from u4ssc.core import registry

SLUG_MAX = Organisation._meta.get_field("slug").max_length or 120

# Fields ``update_organisation`` may change (kind and slug stay: URLs and roles use them).
UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "country_code",
        "description",
        "website",
        "region",
        "population",
        "latitude",
        "longitude",
        "is_synthetic",
    }
)


def unique_slug(name: str, *, exclude_id: int | None = None) -> str:
    """A slug for ``name`` not used by another organisation ("Bærum" -> "baerum", "baerum-2")."""
    base = registry.ascii_slug(name)[: SLUG_MAX - 4].strip("-") or "organisation"
    taken = set(
        Organisation.objects.filter(slug__startswith=base)
        .exclude(id=exclude_id)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _log(organisation: Organisation, change: str, actor: Any, **details: Any) -> None:
    OrganisationChange.objects.create(
        organisation=organisation,
        kind=change,
        actor=actor if getattr(actor, "pk", None) else None,
        details=details,
    )


def _check_groups(actor: Any, groups: Sequence[Organisation], new: Organisation) -> None:
    """Refuse unless ``actor`` manages every group (or, with no group, may create at top)."""
    for group in groups:
        if group.kind not in GROUP_KINDS:
            raise ValidationError(
                _("%(name)s is not a group (programme, hub, national programme or country).")
                % {"name": group.name},
                code="not_a_group",
            )
    if not groups:
        # An unsaved organisation is under nobody: only programme administrators manage it.
        require(actor, Action.MANAGE_ORGANISATION, new)
    for group in groups:
        require(actor, Action.MANAGE_ORGANISATION, group)


def _validate_country(country_code: str) -> str:
    code = (country_code or "").strip().upper()
    if code and not registry.is_country(code):
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 country code.") % {"code": code},
            code="invalid_country",
        )
    return code


@transaction.atomic
def create_organisation(
    *,
    actor: Any,
    kind: str,
    name: str,
    country_code: str = "",
    groups: Sequence[Organisation] = (),
    description: str = "",
    website: str = "",
    region: str = "",
    population: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    geonames_id: int | None = None,
    is_synthetic: bool = False,
) -> Organisation:
    """Create an organisation of ``kind`` and make it a member of ``groups``."""
    if kind not in OrgKind.values:
        raise ValidationError(_("Unknown kind of organisation: %(kind)s") % {"kind": kind})
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("An organisation needs a name."), code="required")
    org = Organisation(
        kind=kind,
        name=name,
        country_code=_validate_country(country_code),
        description=description,
        website=website,
        region=region,
        population=population,
        latitude=latitude,
        longitude=longitude,
        size_class=size_class_for(population) if kind == OrgKind.CITY else "",
        geonames_id=geonames_id,
        is_synthetic=is_synthetic,
    )
    _check_groups(actor, groups, org)
    org.slug = unique_slug(name)
    # The geonames_id constraint is checked by the database (IntegrityError below), with a
    # clearer message than full_clean's.
    org.full_clean(exclude=["slug"], validate_constraints=False)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:  # two people adding the same place at the same moment
        raise _duplicate_error(geonames_id, name) from exc
    for group in groups:
        Membership.objects.create(group=group, member=org)
    _log(
        org,
        ChangeKind.CREATED,
        actor,
        kind=kind,
        name=name,
        groups=[g.slug for g in groups],
        geonames_id=geonames_id,
    )
    return org


def _duplicate_error(geonames_id: int | None, name: str) -> ValidationError:
    existing = Organisation.objects.filter(geonames_id=geonames_id).first() if geonames_id else None
    if existing is None:
        return ValidationError(_("%(name)s could not be saved.") % {"name": name})
    return ValidationError(
        _("%(name)s is already registered (GeoNames id %(id)s).")
        % {"name": existing.name, "id": geonames_id},
        code="duplicate",
    )


@transaction.atomic
def add_city_from_registry(
    *,
    actor: Any,
    geonames_id: int,
    groups: Sequence[Organisation] = (),
    population: int | None = None,
    is_synthetic: bool = False,
) -> Organisation:
    """Create the city ``geonames_id`` of the world city registry, member of ``groups``.

    Name, country, region, coordinates and population come from the registry
    (``population`` overrides the registry's figure, e.g. an official municipal count);
    the size class follows from the population. A place already registered is refused
    with a ``ValidationError`` (code ``duplicate``).
    """
    _check_groups(actor, groups, Organisation(kind=OrgKind.CITY))
    try:
        place = registry.get_city(geonames_id)
    except registry.CityNotFound:
        raise ValidationError(
            _("No place with GeoNames id %(id)s in the city registry.") % {"id": geonames_id},
            code="unknown_city",
        ) from None
    if Organisation.objects.filter(geonames_id=place.geonames_id).exists():
        raise _duplicate_error(place.geonames_id, place.name)
    people = population if population is not None else (place.population or None)
    return create_organisation(
        actor=actor,
        kind=OrgKind.CITY,
        name=place.name,
        country_code=place.country_code,
        groups=groups,
        region=place.region,
        population=people,
        latitude=place.latitude,
        longitude=place.longitude,
        geonames_id=place.geonames_id,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def update_organisation(*, actor: Any, organisation: Organisation, **changes: Any) -> Organisation:
    """Change the fields in ``changes`` (see ``UPDATABLE_FIELDS``); the size class follows."""
    require(actor, Action.MANAGE_ORGANISATION, organisation)
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "country_code" in changes:
        changes["country_code"] = _validate_country(changes["country_code"])
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
    before = {field: getattr(organisation, field) for field in changes}
    for field, value in changes.items():
        setattr(organisation, field, value)
    fields = set(changes)
    if "population" in changes and organisation.is_city:
        organisation.size_class = size_class_for(organisation.population)
        fields.add("size_class")
    organisation.full_clean(exclude=["slug"], validate_constraints=False)
    organisation.save(update_fields=sorted(fields))
    changed = {f: [before[f], changes[f]] for f in changes if before[f] != changes[f]}
    if changed:
        _log(organisation, ChangeKind.UPDATED, actor, changes=changed)
    return organisation


@transaction.atomic
def add_member(
    *, actor: Any, group: Organisation, member: Organisation, since: date | None = None
) -> Membership:
    """Make ``member`` a member of ``group`` (idempotent)."""
    if group.kind not in GROUP_KINDS:
        raise ValidationError(
            _("%(name)s is not a group (programme, hub, national programme or country).")
            % {"name": group.name},
            code="not_a_group",
        )
    require(actor, Action.MANAGE_ORGANISATION, group)
    if member.pk == group.pk or group.pk in descendant_ids(member.pk):
        raise ValidationError(
            _("%(member)s cannot be a member of %(group)s: %(group)s is already under it.")
            % {"member": member.name, "group": group.name},
            code="cycle",
        )
    membership, created = Membership.objects.get_or_create(
        group=group, member=member, defaults={"since": since}
    )
    if created:
        _log(group, ChangeKind.MEMBER_ADDED, actor, member=member.slug)
    return membership


@transaction.atomic
def remove_member(*, actor: Any, group: Organisation, member: Organisation) -> bool:
    """End ``member``'s membership of ``group``; False when it was not a member."""
    require(actor, Action.MANAGE_ORGANISATION, group)
    deleted, _rows = Membership.objects.filter(group=group, member=member).delete()
    if deleted:
        _log(group, ChangeKind.MEMBER_REMOVED, actor, member=member.slug)
    return bool(deleted)
