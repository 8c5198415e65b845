"""Reads of the transfer app, shared by pages, the API and the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import ALL, Action, principal_for
from u4ssc.apps.evaluations.models import Evaluation, EvaluationEvent, KPIValue, State
from u4ssc.apps.evaluations.queries import published_values
from u4ssc.apps.organisations.models import GROUP_KINDS, Organisation, OrgKind
from u4ssc.apps.transfer.models import ImportProfile, ImportRun


class ScopeError(LookupError):
    """The export scope names a city or group that does not exist (or is of the wrong kind)."""


@dataclass(frozen=True)
class ExportScope:
    """What an export covers: one city-year, one city over years, a group (optionally one
    year), or every published value."""

    city: Organisation | None = None
    group: Organisation | None = None
    year: int | None = None

    @property
    def name(self) -> str:
        """A file-name stem and Data Package name: ``u4ssc-alesund-2024``."""
        parts = ["u4ssc"]
        if self.city is not None:
            parts.append(self.city.slug)
        elif self.group is not None:
            parts.append(self.group.slug)
        else:
            parts.append("all")
        if self.year is not None:
            parts.append(str(self.year))
        return "-".join(parts)

    @property
    def title(self) -> str:
        who = (
            self.city.name
            if self.city is not None
            else self.group.name
            if self.group is not None
            else _("all cities")
        )
        years = str(self.year) if self.year is not None else _("all years")
        return _("U4SSC KPI values: %(who)s, %(years)s") % {"who": who, "years": years}

    def as_dict(self) -> dict[str, Any]:
        return {
            "city": self.city.slug if self.city else None,
            "group": self.group.slug if self.group else None,
            "year": self.year,
            "published_only": True,
        }


def export_scope(
    *, city: str | None = None, group: str | None = None, year: int | None = None
) -> ExportScope:
    """The scope named by slugs (raises :class:`ScopeError` for unknown ones)."""
    city_org = group_org = None
    if city:
        city_org = Organisation.objects.filter(slug=city, kind=OrgKind.CITY).first()
        if city_org is None:
            raise ScopeError(_("There is no city %(slug)s.") % {"slug": city})
    if group:
        group_org = Organisation.objects.filter(slug=group, kind__in=GROUP_KINDS).first()
        if group_org is None:
            raise ScopeError(
                _("There is no programme, hub or national programme %(slug)s.") % {"slug": group}
            )
    if city_org is not None and group_org is not None:
        raise ScopeError(_("Give a city or a group, not both."))
    return ExportScope(city=city_org, group=group_org, year=year)


def export_values(scope: ExportScope) -> QuerySet[KPIValue]:
    """The published values of ``scope`` with everything an export row needs, one query:
    reported ones and those marked not available or not applicable (with their notes)."""
    qs = published_values(
        city_ids=[scope.city.id] if scope.city is not None else None,
        group_id=scope.group.id if scope.group is not None else None,
        years=[scope.year] if scope.year is not None else None,
        with_unavailable=True,
    )
    # The attestation is part of every row of an export, unlike in lists.
    return (
        qs.select_related("evaluation__verifier")
        .defer(None)
        .defer("kpi__definition", "evaluation__city__description")
    )


@dataclass(frozen=True)
class Submission:
    by: str
    at: dt.datetime | None


@dataclass(frozen=True)
class ExportContext:
    """What an export says about the file as a whole, read before its rows stream past."""

    has_synthetic: bool = False
    submissions: dict[int, Submission] = field(default_factory=dict)


def export_context(values: QuerySet[KPIValue]) -> ExportContext:
    """Whether any of ``values`` is synthetic, and who last submitted each of their
    evaluations (from the evaluation's history): two queries, whatever the row count."""
    has_synthetic = values.filter(Q(is_synthetic=True) | Q(evaluation__is_synthetic=True)).exists()
    events = (
        EvaluationEvent.objects.filter(
            evaluation_id__in=values.order_by().values("evaluation_id"),
            to_state=State.SUBMITTED,
        )
        .select_related("actor")
        .order_by("evaluation_id", "at", "id")
    )
    # Ordered by time: the last submission of each evaluation wins.
    submissions = {
        e.evaluation_id: Submission(by=str(e.actor) if e.actor else "", at=e.at) for e in events
    }
    return ExportContext(has_synthetic=has_synthetic, submissions=submissions)


def stored_values(city: Organisation, year: int) -> QuerySet[KPIValue]:
    """Every value of a city-year (any state), to fill the data-collection workbook."""
    return KPIValue.objects.filter(evaluation__city=city, evaluation__year=year).select_related(
        "kpi", "evaluation"
    )


def has_published(scope: ExportScope) -> bool:
    return export_values(scope).exists()


def published_years(city: Organisation) -> list[int]:
    return list(
        Evaluation.objects.filter(city=city, state=State.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def profiles() -> QuerySet[ImportProfile]:
    return ImportProfile.objects.order_by("name", "id")


def find_profile(name: str) -> ImportProfile | None:
    """A profile by slug or name (case-insensitive)."""
    return ImportProfile.objects.filter(Q(slug=name) | Q(name__iexact=name)).order_by("id").first()


def can_see_run(user: Any, run: ImportRun) -> bool:
    """The person who ran it, and whoever may see the data of every city it spoke of."""
    if not getattr(user, "is_authenticated", False):
        return False
    if run.started_by_id == user.pk or user.is_superuser:
        return True
    scope = principal_for(user).cities(Action.VIEW)
    if scope is ALL:
        return True
    ids = set(run.city_ids or ([run.city_id] if run.city_id else []))
    return bool(ids) and isinstance(scope, set) and ids <= scope


def runs_of(user: Any, *, city: Organisation | None = None, limit: int = 10) -> list[ImportRun]:
    """The user's latest import runs (of one city's page when ``city`` is given)."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = ImportRun.objects.filter(started_by=user).select_related("profile")
    if city is not None:
        qs = qs.filter(city=city)
    return list(qs.order_by("-started_at", "-id")[:limit])
