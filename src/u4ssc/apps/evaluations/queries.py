"""Reads of KPI data shared by pages, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import (
    Action,
    cities_under,
    principal_for,
    visible_q,
)
from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.actions import FIELD_NAMES, SNAPSHOT_FIELDS, snapshot
from u4ssc.apps.evaluations.messages import show_value
from u4ssc.apps.evaluations.models import (
    Evaluation,
    KPIValue,
    Quality,
    ReviewStatus,
    State,
    ValueRevision,
    ValueStatus,
    WarningAcknowledgement,
)
from u4ssc.core.catalogue import load_catalogue
from u4ssc.web.templatetags.u4ssc_tags import num, unit_label


@dataclass
class FieldChange:
    """One field of a value as it was and as it is, in the reader's language."""

    field: str
    label: str
    before: str
    after: str


def show_field(name: str, raw: Any, unit: str) -> str:
    """A stored field of a value as the reader reads it ("-" when empty)."""
    if raw is None or raw == "":
        return "-"
    if name == "status":
        try:
            return str(ValueStatus(raw).label)
        except ValueError:
            return str(raw)
    if name == "value":
        return show_value(raw, unit)
    if name in ("numerator", "denominator"):
        return num(raw)
    if name == "unit":
        return unit_label(raw)
    if name == "quality":
        try:
            return f"{int(raw)} · {Quality(int(raw)).label}"
        except ValueError:
            return str(raw)
    return str(raw)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Every field that differs between two snapshots of a value (``actions.snapshot``),
    in the order of the data sheet; against an empty ``before`` (a new value), every field
    ``after`` holds."""
    out = []
    for name in SNAPSHOT_FIELDS:
        old, new = before.get(name), after.get(name)
        if old in (None, "") and new in (None, ""):
            continue
        if old == new:
            continue
        out.append(
            FieldChange(
                name,
                _(FIELD_NAMES[name]),
                show_field(name, old, before.get("unit") or after.get("unit") or ""),
                show_field(name, new, after.get("unit") or before.get("unit") or ""),
            )
        )
    return out


@dataclass
class SheetRow:
    """One measurand (a KPI or one of its data points) of an evaluation's sheet."""

    kpi: KPI
    measurand: Any  # u4ssc.core.catalogue.Measurand
    value: KPIValue | None
    acknowledged: dict[str, WarningAcknowledgement] = field(default_factory=dict)
    # the latest acknowledgement that no longer holds, per check (the figure changed since)
    superseded: dict[str, WarningAcknowledgement] = field(default_factory=dict)
    form: Any = None
    # what changed since the verifier accepted or returned the value (``with_review_changes``)
    since_review: list[FieldChange] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"kpi-{self.kpi.id}-{self.measurand.data_point or 'value'}"

    @property
    def working(self) -> str:
        """How the stored value was obtained, in the reader's language and number format:
        "12 345 / 13 000 × 100 = 94,96 %" (``core.checks`` writes its workings in English,
        for reports and the API)."""
        v = self.value
        if v is None or v.status != ValueStatus.REPORTED or v.value is None:
            return ""
        shown = show_value(v.value, self.measurand.unit)
        if v.numerator is None or v.denominator is None:
            return _("%(value)s (entered directly)") % {"value": shown}
        multiplier = self.measurand.measure.multiplier
        times = "" if multiplier == 1 else f" × {num(multiplier)}"
        return f"{num(v.numerator)} / {num(v.denominator)}{times} = {shown}"

    @property
    def open_warnings(self) -> list[dict[str, Any]]:
        if self.value is None:
            return []
        return [
            {**i, "earlier": self.superseded.get(i.get("code", ""))}
            for i in self.value.issues
            if i.get("severity") == "warning" and i.get("code") not in self.acknowledged
        ]


def _acks_by_value(
    acks: Any,
) -> tuple[
    dict[int, dict[str, WarningAcknowledgement]], dict[int, dict[str, WarningAcknowledgement]]
]:
    """(current, latest superseded) acknowledgements per value id and check code."""
    current: dict[int, dict[str, WarningAcknowledgement]] = {}
    superseded: dict[int, dict[str, WarningAcknowledgement]] = {}
    for ack in acks.order_by("-at", "-id"):
        if ack.superseded_at is None:
            current.setdefault(ack.value_id, {})[ack.check_code] = ack
        else:
            superseded.setdefault(ack.value_id, {}).setdefault(ack.check_code, ack)
    return current, superseded


@dataclass
class SheetGroup:
    dimension: str
    subdimension: str
    category: str
    rows: list[SheetRow]


def sheet(evaluation: Evaluation, *, dimension_code: str | None = None) -> list[SheetGroup]:
    """Every measurand of the catalogue with its stored value, grouped by category.

    Three queries whatever the number of KPIs: KPIs, values, acknowledgements.
    """
    catalogue = load_catalogue()
    kpis = list(KPI.objects.all())
    if dimension_code:
        kpis = [k for k in kpis if k.dimension_code == dimension_code]
    values = {
        (v.kpi_id, v.data_point): v
        for v in KPIValue.objects.filter(evaluation=evaluation).select_related(
            "updated_by", "reviewed_by"
        )
    }
    acks, earlier = _acks_by_value(
        WarningAcknowledgement.objects.filter(value__evaluation=evaluation)
    )
    groups: list[SheetGroup] = []
    for kpi in kpis:
        kdef = catalogue.get(kpi.code)
        key = (kdef.dimension, kdef.subdimension, kdef.category)
        if (
            not groups
            or (groups[-1].dimension, groups[-1].subdimension, groups[-1].category) != key
        ):
            groups.append(SheetGroup(*key, rows=[]))
        for m in kdef.measurands():
            v = values.get((kpi.id, m.data_point))
            groups[-1].rows.append(
                SheetRow(
                    kpi,
                    m,
                    v,
                    acks.get(v.id, {}) if v else {},
                    superseded=earlier.get(v.id, {}) if v else {},
                )
            )
    return groups


def sheet_row(evaluation: Evaluation, kpi: KPI, data_point: str) -> SheetRow:
    measurand = load_catalogue().measurand(kpi.code, data_point)
    value = (
        KPIValue.objects.filter(evaluation=evaluation, kpi=kpi, data_point=measurand.data_point)
        .select_related("updated_by", "reviewed_by")
        .first()
    )
    if value is None:
        return SheetRow(kpi, measurand, value, {})
    acks, earlier = _acks_by_value(WarningAcknowledgement.objects.filter(value=value))
    return SheetRow(
        kpi, measurand, value, acks.get(value.id, {}), superseded=earlier.get(value.id, {})
    )


def with_review_changes(rows: list[SheetRow]) -> list[SheetRow]:
    """``rows`` with ``since_review`` filled: for a value changed after the verifier last
    accepted or returned it, each field as the verifier saw it and as it is now. One query
    (the revisions the verifier saw)."""
    seen = {
        r.value.id: r.value.reviewed_version
        for r in rows
        if r.value is not None
        and r.value.reviewed_version is not None
        and r.value.reviewed_version != r.value.version
    }
    if not seen:
        return rows
    then = {
        value_id: after
        for value_id, version, after in ValueRevision.objects.filter(
            value_id__in=sorted(seen)
        ).values_list("value_id", "version", "after")
        if seen[value_id] == version
    }
    for r in rows:
        if r.value is not None and r.value.id in then:
            r.since_review = field_changes(then[r.value.id], snapshot(r.value))
    return rows


@dataclass
class OpenWarning:
    """A warning on a value of the sheet that the city has not acknowledged."""

    value: KPIValue
    issue: dict[str, Any]

    @property
    def dom_id(self) -> str:
        return f"kpi-{self.value.kpi_id}-{self.value.data_point or 'value'}"


def open_warnings(evaluation: Evaluation) -> list[OpenWarning]:
    """Every warning of ``evaluation``'s values not acknowledged, in sheet order (two
    queries: the values with issues, and the acknowledgements)."""
    values = list(
        KPIValue.objects.filter(evaluation=evaluation)
        .exclude(issues=[])
        .select_related("kpi")
        .order_by("kpi__position", "data_point")
    )
    acknowledged = set(
        WarningAcknowledgement.objects.filter(
            value__evaluation=evaluation, superseded_at__isnull=True
        ).values_list("value_id", "check_code")
    )
    return [
        OpenWarning(v, i)
        for v in values
        for i in v.issues
        if i.get("severity") == "warning" and (v.id, i.get("code")) not in acknowledged
    ]


def progress(evaluation: Evaluation) -> dict[str, int]:
    """How far the sheet is: measurands in the catalogue vs reported / marked."""
    total = sum(len(k.measurands()) for k in load_catalogue().kpis)
    counts = dict(
        KPIValue.objects.filter(evaluation=evaluation)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    review = dict(
        KPIValue.objects.filter(evaluation=evaluation, status=ValueStatus.REPORTED)
        .values_list("review_status")
        .annotate(n=Count("id"))
        .values_list("review_status", "n")
    )
    reported = counts.get(ValueStatus.REPORTED, 0)
    marked = counts.get(ValueStatus.NOT_AVAILABLE, 0) + counts.get(ValueStatus.NOT_APPLICABLE, 0)
    return {
        "total": total,
        "reported": reported,
        "marked": marked,
        "open": max(total - reported - marked, 0),
        "accepted": review.get(ReviewStatus.ACCEPTED, 0),
        "returned": review.get(ReviewStatus.RETURNED, 0),
        "pending": review.get(ReviewStatus.PENDING, 0),
        "percent": round(100 * (reported + marked) / total) if total else 0,
    }


@dataclass
class HistoryRow:
    """One revision of a value with every field it changed, before and after."""

    revision: ValueRevision
    changes: list[FieldChange]


def history(value: KPIValue) -> list[HistoryRow]:
    """Every change of ``value``, newest first, each with the fields it changed (a new
    value: every field it was given)."""
    return [
        HistoryRow(r, field_changes(r.before or {}, r.after or {}))
        for r in ValueRevision.objects.filter(value=value).select_related("changed_by")
    ]


def acknowledgements(value: KPIValue) -> QuerySet[WarningAcknowledgement]:
    """Every acknowledgement of ``value``'s warnings, current and superseded, newest first."""
    return (
        WarningAcknowledgement.objects.filter(value=value)
        .select_related("by")
        .order_by("-at", "-id")
    )


def _within(user: Any, action: Action, qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """``qs`` narrowed to the cities where ``user`` may do ``action``."""
    scope = principal_for(user).cities(action)
    if isinstance(scope, set):
        return qs.filter(city_id__in=scope)
    return qs


def workspace(user: Any) -> dict[str, Any]:
    """The evaluations a person works on: to edit and to review; and whether they edit or
    review anything at all (people who only follow the data get neither list)."""
    principal = principal_for(user)
    base = Evaluation.objects.select_related("city").order_by("city__name", "-year")
    edits = bool(principal.cities(Action.EDIT))
    reviews = bool(principal.cities(Action.REVIEW))
    return {
        "edits": edits,
        "reviews": reviews,
        "to_edit": _within(user, Action.EDIT, base).filter(state__in=[State.DRAFT, State.RETURNED])
        if edits
        else base.none(),
        "to_review": _within(user, Action.REVIEW, base).filter(
            state__in=[State.SUBMITTED, State.IN_REVIEW, State.VERIFIED]
        )
        if reviews
        else base.none(),
    }


@dataclass
class DataCycle:
    """Every city-year in a person's view scope, in any state: the progress of the data
    cycle as a coordinator follows it. ``rows`` is filtered by year and state; ``counts``
    (state, label, number) by year only, so that it says where the year's cities are."""

    years: list[int]
    counts: list[tuple[str, str, int]]
    rows: QuerySet[Evaluation]
    per_year: dict[int, int]  # rows per year (a page may show part of a year)
    measurands: int

    @property
    def any(self) -> bool:
        return bool(self.years)


def data_cycle(user: Any, *, year: int | None = None, state: str | None = None) -> DataCycle:
    """The city-years ``user`` may see unpublished (their VIEW scope), filtered, newest
    year first, each with how many values are reported and marked. A fixed number of
    queries however many rows: years, counts by state and by year, and the (paged) rows."""
    scoped = _within(user, Action.VIEW, Evaluation.objects.all())
    if not principal_for(user).cities(Action.VIEW):
        scoped = scoped.none()
    years = list(scoped.order_by("-year").values_list("year", flat=True).distinct())
    in_year = scoped.filter(year=year) if year else scoped
    by_state = dict(in_year.order_by().values_list("state").annotate(n=Count("id")))
    rows = in_year.filter(state=state) if state else in_year
    per_year = dict(rows.order_by().values_list("year").annotate(n=Count("id")))
    rows = (
        rows.select_related("city")
        .defer("attestation", "city__description")
        .annotate(
            n_reported=Count("values", filter=Q(values__status=ValueStatus.REPORTED)),
            n_marked=Count(
                "values",
                filter=Q(
                    values__status__in=[ValueStatus.NOT_AVAILABLE, ValueStatus.NOT_APPLICABLE]
                ),
            ),
        )
        .order_by("-year", "city__name", "id")
    )
    return DataCycle(
        years=years,
        counts=[(s.value, str(s.label), by_state.get(s.value, 0)) for s in State],
        rows=rows,
        per_year=per_year,
        measurands=sum(len(k.measurands()) for k in load_catalogue().kpis),
    )


def published_values(
    *,
    user: Any = None,
    city_ids: list[int] | None = None,
    city_slug: str | None = None,
    country: str | None = None,
    group_id: int | None = None,
    years: list[int] | None = None,
    kpi_keys: list[str] | None = None,
    include_unpublished: bool = False,
    with_unavailable: bool = False,
    from_evaluation_id: int | None = None,
) -> QuerySet[KPIValue]:
    """Reported values of published evaluations (or, with ``include_unpublished``, of every
    evaluation ``user`` may see), with city, year and KPI in one query. With
    ``with_unavailable`` also the values marked not available or not applicable (open data
    says so rather than leaving the KPI out; scoring wants numbers only).
    ``from_evaluation_id``: only evaluations from that id on (a keyset page)."""
    if include_unpublished:
        visible = visible_q(user, prefix="evaluation__")
    else:
        # As a subquery, not a join on the state: with a join and a status filter other
        # than one "=", SQLite's planner scanned the evaluations first and sorted every
        # published value to give the first page (346 ms instead of 8, bench/bench_api.py);
        # with the subquery it walks the values' (evaluation, id) index in order.
        published = Evaluation.objects.filter(state=State.PUBLISHED)
        if from_evaluation_id is not None:
            # a keyset page: the subquery starts there too, or the index walk would test
            # every published evaluation before it
            published = published.filter(id__gte=from_evaluation_id)
        visible = Q(evaluation_id__in=published.values("id"))
    if with_unavailable:
        qs = KPIValue.objects.filter(visible).exclude(status=ValueStatus.EMPTY)
    else:
        qs = KPIValue.objects.filter(visible, status=ValueStatus.REPORTED)
    if from_evaluation_id is not None:
        qs = qs.filter(evaluation_id__gte=from_evaluation_id)
    if city_ids is not None:
        qs = qs.filter(evaluation__city_id__in=city_ids)
    if city_slug:
        qs = qs.filter(evaluation__city__slug=city_slug)
    if country:
        qs = qs.filter(evaluation__city__country_code=country.upper())
    if group_id is not None:
        qs = qs.filter(evaluation__city_id__in=sorted(cities_under({group_id})))
    if years:
        qs = qs.filter(evaluation__year__in=years)
    if kpi_keys:
        qs = qs.filter(kpi__key__in=kpi_keys)
    return (
        qs.select_related("evaluation", "evaluation__city", "kpi")
        # The KPI's full definition and long texts are not needed in lists.
        .defer("kpi__definition", "evaluation__attestation", "evaluation__city__description")
        .order_by("evaluation__city__name", "evaluation__year", "kpi__position", "data_point", "id")
    )


# The flat row of a value as the API and exports show it, read with .values(): building
# model instances and walking relations per row cost more than the query itself.
VALUE_ROW = {
    "city": F("evaluation__city__slug"),
    "city_name": F("evaluation__city__name"),
    "country": F("evaluation__city__country_code"),
    "year": F("evaluation__year"),
    "kpi_code": F("kpi__code"),
    "kpi_name": F("kpi__name"),
    "evaluation_state": F("evaluation__state"),
}
VALUE_ROW_FIELDS = (
    "id",
    "evaluation_id",
    "data_point",
    "status",
    "value",
    "numerator",
    "denominator",
    "unit",
    "source",
    "quality",
    "verified_quality",
    "is_synthetic",
    "version",
)


def value_rows(qs: QuerySet[KPIValue]) -> QuerySet[Any]:
    """``qs`` as flat dicts (see ``VALUE_ROW``), one query, no model instances."""
    return qs.values(*VALUE_ROW_FIELDS, **VALUE_ROW)


def evaluations_with_counts(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return qs.select_related("city").annotate(
        n_reported=Count("values", filter=Q(values__status=ValueStatus.REPORTED))
    )


def public_evaluation_values(evaluation: Evaluation) -> QuerySet[KPIValue]:
    return (
        KPIValue.objects.filter(evaluation=evaluation)
        .exclude(status=ValueStatus.EMPTY)
        .select_related("kpi")
        .order_by("kpi__position", "data_point")
    )


__all__ = [
    "DataCycle",
    "FieldChange",
    "HistoryRow",
    "Prefetch",
    "SheetGroup",
    "SheetRow",
    "acknowledgements",
    "data_cycle",
    "evaluations_with_counts",
    "history",
    "open_warnings",
    "progress",
    "public_evaluation_values",
    "published_values",
    "sheet",
    "sheet_row",
    "value_rows",
    "with_review_changes",
    "workspace",
]
