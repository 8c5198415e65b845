"""Every write to KPI data and the verification workflow.

``apply_entries`` is the one path by which values change (form, API, import, restore):
it validates the whole batch first with the checks of :mod:`u4ssc.core.checks`, answers
with a list of problems, and writes all or nothing, with a ``ValueRevision`` for every
changed value in the same transaction. An input equal to what is stored changes nothing,
so importing the same file twice is harmless.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router, transaction
from django.db.models import DateTimeField, F, JSONField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.apps.accounts.permissions import Action, principal_for, require
from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.messages import lookup_text, place, render_text
from u4ssc.apps.evaluations.models import (
    Evaluation,
    EvaluationEvent,
    KPIValue,
    Quality,
    ReviewStatus,
    State,
    ValueRevision,
    ValueStatus,
    WarningAcknowledgement,
)
from u4ssc.apps.evaluations.years import year_expected, year_refusal
from u4ssc.apps.organisations.models import Organisation
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI, load_catalogue
from u4ssc.core.checks import (
    Entry,
    Term,
    Text,
    Value,
    check_cross,
    check_year_on_year,
    compute,
)

EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# Enum ``.values`` builds a new list on every call; imports check 100 000 inputs.
_STATUSES = frozenset(ValueStatus.values) - {ValueStatus.EMPTY}
_QUALITIES = frozenset(Quality.values)
# Rows per INSERT statement of the bulk writes (see ``_insert_rows``).
INSERT_BATCH = 2000
SNAPSHOT_FIELDS = (
    "status",
    "numerator",
    "denominator",
    "value",
    "unit",
    "source",
    "quality",
    "notes",
)
# A change to any of these after review is a value the verifier has not seen: its review
# starts again. Notes explain a value and do not reset an acceptance (a returned value goes
# back to review whatever changed: the correction asked for may be a note).
REVIEWED_FIELDS = ("status", "numerator", "denominator", "value", "unit", "source", "quality")
# An acknowledged warning holds for the figure it was given for: a change to any of these
# supersedes it (the warning, if it fires again, must be acknowledged again).
FIGURE_FIELDS = ("status", "numerator", "denominator", "value", "unit")


class WorkflowError(Exception):
    """A workflow step that is not possible in the evaluation's current state."""


@dataclass
class ValueInput:
    """One value as entered, uploaded or sent to the API."""

    city_id: int
    year: int
    kpi_code: str
    data_point: str = ""
    status: str = ValueStatus.REPORTED
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    unit: str = ""
    source: str = ""
    quality: int | None = None
    notes: str = ""
    is_synthetic: bool = False
    expected_version: int | None = None  # optimistic concurrency for interactive edits
    # The version a file was made from (a downloaded workbook): the input is refused when
    # the stored value changed since and the input would change it again (decision 0510).
    base_version: int | None = None
    ref: str = ""  # where it came from ("row 12"), for reports


@dataclass
class Problem:
    ref: str
    kpi_code: str
    data_point: str
    field: str
    code: str
    severity: str  # error | warning
    message: str
    expected: str = ""
    given: str = ""
    current: dict[str, Any] | None = None  # the stored value when code == "stale"
    # ``message`` and ``expected`` as templates with parameters (core.checks.texts), which
    # pages show in their reader's language (``evaluations.messages``); ``message`` stays
    # as the API and the command line show it
    text: dict[str, Any] | None = None
    expected_text: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class ApplyResult:
    """What a batch did: the values created, updated and found unchanged (for a dry run,
    what it would do; zero when the batch is refused), and every problem found."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    evaluations_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    # of a refused batch: what its inputs without errors would give
    would_create: int = 0
    would_update: int = 0
    would_be_unchanged: int = 0
    written: bool = False
    # ids of the values written or found unchanged; ``values`` loads them when asked
    value_ids: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def values(self) -> list[KPIValue]:
        """The stored values the batch wrote or found unchanged (loaded on demand: an
        import of 100 000 values does not keep 100 000 objects it never shows)."""
        by_id = KPIValue.objects.select_related("kpi", "evaluation").in_bulk(self.value_ids)
        return [by_id[i] for i in self.value_ids if i in by_id]


def snapshot(value: KPIValue | None) -> dict[str, Any]:
    if value is None:
        return {}
    return {f: getattr(value, f) for f in SNAPSHOT_FIELDS}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def _unchanged(current: KPIValue, fields: dict[str, Any]) -> bool:
    """Would storing ``fields`` leave ``current`` as it is (decision 0506)?"""
    return all(_same(getattr(current, f), fields[f]) for f in SNAPSHOT_FIELDS)


# The names of a value's fields and of the states, as words of messages ("the stored value
# differs in source, notes"; "the 2024 data is published").
FIELD_NAMES = {
    "status": gettext_noop("status"),
    "numerator": gettext_noop("numerator"),
    "denominator": gettext_noop("denominator"),
    "value": gettext_noop("value"),
    "unit": gettext_noop("unit"),
    "source": gettext_noop("source"),
    "quality": gettext_noop("data quality"),
    "notes": gettext_noop("notes"),
}
STATE_WORDS = {
    State.DRAFT: gettext_noop("draft"),
    State.SUBMITTED: gettext_noop("submitted"),
    State.IN_REVIEW: gettext_noop("in review"),
    State.RETURNED: gettext_noop("returned"),
    State.VERIFIED: gettext_noop("verified"),
    State.PUBLISHED: gettext_noop("published"),
}


def _problem(
    ref: str,
    kpi_code: str,
    data_point: str,
    field_name: str,
    code: str,
    text: Text,
    expected: Text | None = None,
    given: str = "",
) -> Problem:
    """An error of ``apply_entries`` itself: its message in the active language (as the API
    answers) and its texts, which pages and stored import reports show in their reader's."""
    return Problem(
        ref,
        kpi_code,
        data_point,
        field_name,
        code,
        "error",
        render_text(text),
        render_text(expected) if expected is not None else "",
        given,
        text=text.as_dict(),
        expected_text=expected.as_dict() if expected is not None else None,
    )


def _refusal(
    inp: ValueInput,
    kpi: KPI,
    why: str,
    ev: Evaluation | None,
    current: KPIValue | None,
    fields: dict[str, Any],
    city_name: str,
) -> Problem:
    """The error of a value that would change a city-year the actor may not change, named
    by its row, city, year and KPI like every other problem, at the first field that
    differs from the stored value."""
    differing = (
        [f for f in SNAPSHOT_FIELDS if not _same(getattr(current, f), fields[f])]
        if current is not None
        else []
    )
    # the value computed from components differs because a component does
    at = next((f for f in differing if f != "value"), differing[0]) if differing else "value"
    where: dict[str, Any] = {"city": city_name, "year": str(inp.year)}
    if why == "forbidden":
        text = Text(gettext_noop("You may not change the data of %(city)s %(year)s."), where)
        expected = Text(gettext_noop("a city whose data officer you are"))
    else:
        assert ev is not None
        where["state"] = Term(STATE_WORDS[State(ev.state)])
        expected = Text(gettext_noop("the stored value, or an evaluation in draft or returned"))
        if current is None:
            text = Text(
                gettext_noop(
                    "The %(year)s data of %(city)s is %(state)s: no value can be added now."
                ),
                where,
            )
        else:
            where["fields"] = [Term(FIELD_NAMES[f]) for f in differing]
            text = Text(
                gettext_noop(
                    "The %(year)s data of %(city)s is %(state)s and cannot be changed now; "
                    "the stored value differs in: %(fields)s."
                ),
                where,
            )
    return _problem(inp.ref, kpi.code, inp.data_point, at, why, text, expected, _given(inp, at))


STATUS_WORDS = {
    ValueStatus.EMPTY: gettext_noop("not yet entered"),
    ValueStatus.REPORTED: gettext_noop("reported"),
    ValueStatus.NOT_AVAILABLE: gettext_noop("not available"),
    ValueStatus.NOT_APPLICABLE: gettext_noop("not applicable"),
}


def _changed_since_file(inp: ValueInput, kpi: KPI, current: KPIValue) -> Problem:
    """The error of a row of a file made from an older version of the stored value that
    would undo the change made since (the sheet and the API refuse such a save too)."""
    if current.status == ValueStatus.REPORTED and current.value is not None:
        now: Any = Value(current.value, current.unit)
    else:
        now = Term(STATUS_WORDS.get(ValueStatus(current.status), current.status))
    at = current.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = Text(
        gettext_noop(
            "%(kpi)s was changed by %(by)s on %(at)s, after this file was made: it is now "
            "%(value)s (version %(version)s; the file was made from version %(base)s). "
            "Importing this row would undo that change. Clear the row's entries to keep the "
            "stored value, or enter your figure in a freshly downloaded file."
        ),
        {
            "kpi": kpi.code,
            "by": str(current.updated_by) if current.updated_by else Term(gettext_noop("someone")),
            "at": at,
            "value": now,
            "version": str(current.version),
            "base": str(inp.base_version),
        },
    )
    problem = _problem(
        inp.ref,
        kpi.code,
        inp.data_point,
        "value",
        "stale",
        text,
        Text(
            gettext_noop("the stored value (version %(version)s), or the row left blank"),
            {"version": str(current.version)},
        ),
    )
    problem.current = {
        **snapshot(current),
        "version": current.version,
        "by": str(current.updated_by or ""),
        "at": current.updated_at.isoformat(),
    }
    return problem


def _kpi_rows() -> dict[str, KPI]:
    return {k.key: k for k in KPI.objects.all()}


def apply_entries(
    *,
    actor: Any,
    inputs: Sequence[ValueInput],
    channel: str,
    reason: str = "",
    dry_run: bool = False,
    check_permission: bool = True,
) -> ApplyResult:
    """Validate ``inputs`` as a whole, then write all of them or none.

    ``check_permission=False`` is for trusted loaders (the demo data) only.
    """
    result = ApplyResult()
    catalogue = load_catalogue()
    kpis = _kpi_rows()
    editable = principal_for(actor).cities(Action.EDIT) if check_permission else None

    # 1. resolve every input against the catalogue; refuse duplicates
    resolved: list[tuple[ValueInput, Any, KPI]] = []
    seen: dict[tuple[int, int, str, str], str] = {}
    # Files repeat the same few hundred (code, data point) pairs: resolve each once.
    lookups: dict[tuple[str, str], tuple[Any, Any]] = {}
    years_refused: dict[int, Text | None] = {}
    for inp in inputs:
        if inp.year not in years_refused:
            years_refused[inp.year] = year_refusal(inp.year)
        refusal = years_refused[inp.year]
        if refusal is not None:
            result.problems.append(
                _problem(
                    inp.ref,
                    inp.kpi_code,
                    inp.data_point,
                    "year",
                    "year",
                    refusal,
                    year_expected(),
                    str(inp.year),
                )
            )
            continue
        try:
            found = lookups.get((inp.kpi_code, inp.data_point))
            if found is None:
                kpi_def = catalogue.get(inp.kpi_code)
                found = (kpi_def, catalogue.measurand(kpi_def.code, inp.data_point))
                lookups[(inp.kpi_code, inp.data_point)] = found
            kpi_def, measurand = found
        except UnknownKPI as exc:
            result.problems.append(
                _problem(
                    inp.ref,
                    inp.kpi_code,
                    inp.data_point,
                    "kpi_code",
                    "unknown_kpi",
                    lookup_text(exc),
                    Text(gettext_noop("a U4SSC KPI code such as EC: ICT: ICT: 1C")),
                    inp.kpi_code,
                )
            )
            continue
        except UnknownDataPoint as exc:
            result.problems.append(
                _problem(
                    inp.ref,
                    inp.kpi_code,
                    inp.data_point,
                    "data_point",
                    "unknown_data_point",
                    lookup_text(exc),
                    None,
                    inp.data_point,
                )
            )
            continue
        key = (inp.city_id, inp.year, kpi_def.key, measurand.data_point)
        if key in seen:
            result.problems.append(
                _problem(
                    inp.ref,
                    kpi_def.code,
                    measurand.data_point,
                    "kpi_code",
                    "duplicate",
                    Text(
                        gettext_noop(
                            "The same KPI appears twice for this city and year (also %(ref)s)."
                        ),
                        {"ref": place(seen[key] or "?")},
                    ),
                    Text(gettext_noop("one row per city, year, KPI and data point")),
                )
            )
            continue
        seen[key] = inp.ref
        inp.data_point = measurand.data_point
        resolved.append((inp, measurand, kpis[kpi_def.key]))

    with transaction.atomic():
        # 2. evaluations concerned, with permission and state. A city-year the actor may
        # not change (no permission, or not in draft or returned) is not refused as a
        # whole: its values that equal the stored ones are unchanged, the others are
        # refused one by one (step 4), so that importing a file twice is never an error.
        pairs = {(i.city_id, i.year) for i, _m, _k in resolved}
        evaluations = _evaluations_for(pairs, lock=not dry_run)
        refused: dict[tuple[int, int], str] = {}
        viewable = principal_for(actor).cities(Action.VIEW) if check_permission else None
        for city_id, year in sorted(pairs):
            ev = evaluations.get((city_id, year))
            if editable is not None and city_id not in editable:
                refused[(city_id, year)] = "forbidden"
            elif ev is not None and ev.state not in EDITABLE_STATES:
                refused[(city_id, year)] = "locked"
        city_names = (
            dict(
                Organisation.objects.filter(id__in={c for c, _y in refused}).values_list(
                    "id", "name"
                )
            )
            if refused
            else {}
        )

        # 3. stored values of those evaluations, and the year before (year-on-year checks)
        existing = _values_of([ev.id for ev in evaluations.values()])
        previous = _previous_values({(c, y - 1) for c, y in pairs})

        # 4. check every input
        planned: list[
            tuple[ValueInput, KPI, dict[str, Any], list[dict[str, Any]], KPIValue | None]
        ] = []
        for inp, measurand, kpi in resolved:
            ev = evaluations.get((inp.city_id, inp.year))
            current = existing.get((ev.id, kpi.id, inp.data_point)) if ev else None
            why = refused.get((inp.city_id, inp.year))
            if why is not None:
                fields, _issues = _check_input(
                    inp,
                    measurand,
                    previous.get((inp.city_id, inp.year - 1, kpi.id, inp.data_point)),
                )
                # Nothing to change: no permission or open state is needed. Without the
                # right to see the stored value, saying "unchanged" would reveal it.
                may_see = viewable is None or (
                    ev is not None and (ev.state == State.PUBLISHED or ev.city_id in viewable)
                )
                if current is not None and may_see and _unchanged(current, fields):
                    planned.append((inp, kpi, fields, [], current))
                else:
                    result.problems.append(
                        _refusal(
                            inp, kpi, why, ev, current, fields, city_names.get(inp.city_id, "")
                        )
                    )
                continue
            if (
                inp.expected_version is not None
                and current is not None
                and (current.version != inp.expected_version)
            ):
                result.problems.append(
                    Problem(
                        inp.ref,
                        kpi.code,
                        inp.data_point,
                        "value",
                        "stale",
                        "error",
                        _(
                            "Someone else changed this value after you opened it. Their "
                            "version is shown; nothing was overwritten."
                        ),
                        current={
                            **snapshot(current),
                            "version": current.version,
                            "by": str(current.updated_by or ""),
                            "at": current.updated_at.isoformat(),
                        },
                    )
                )
                continue
            fields, issues = _check_input(
                inp, measurand, previous.get((inp.city_id, inp.year - 1, kpi.id, inp.data_point))
            )
            if (
                inp.base_version is not None
                and current is not None
                and current.version != inp.base_version
                and not _unchanged(current, fields)
            ):
                result.problems.append(_changed_since_file(inp, kpi, current))
                continue
            for issue in issues:
                result.problems.append(
                    Problem(
                        inp.ref,
                        kpi.code,
                        inp.data_point,
                        issue["field"],
                        issue["code"],
                        issue["severity"],
                        _translated(issue["message"]),
                        _translated(issue.get("expected", "")),
                        _given(inp, issue["field"]),
                        text=issue.get("text"),
                        expected_text=issue.get("expected_text"),
                    )
                )
            planned.append((inp, kpi, fields, issues, current))

        # 5. cross-KPI rules on each evaluation as it would be after the change
        key_by_id = {k.id: k.key for k in kpis.values()}
        cross = _cross_issues(planned, existing, evaluations, key_by_id)
        refs = (
            {(i.city_id, i.year, k.key, i.data_point): i.ref for i, k, *_ in planned}
            if cross
            else {}
        )
        for (city_id, year, kpi_key, dp), issue in cross:
            ref = refs.get((city_id, year, kpi_key, dp), "")
            if not ref and issue["severity"] != "error":
                continue
            result.problems.append(
                Problem(
                    ref,
                    kpis[kpi_key].code,
                    dp,
                    issue["field"],
                    issue["code"],
                    issue["severity"],
                    _translated(issue["message"]),
                    _translated(issue.get("expected", "")),
                    text=issue.get("text"),
                    expected_text=issue.get("expected_text"),
                )
            )
        cross_by_value: dict[tuple[int, int, str, str], list[dict[str, Any]]] = defaultdict(list)
        for key, issue in cross:
            cross_by_value[key].append(issue)

        if result.errors or dry_run:
            # The counts say what was written, or what a dry run would write: a refused
            # batch writes nothing, so it counts nothing (it said "updated: 1" beside
            # "written: false"). What its inputs without errors would give is counted
            # apart, so that a refusal still says how much of it was fine.
            if not result.errors:
                _count(result, planned)
            else:
                in_error = {(c, y, k, dp) for (c, y, k, dp), i in cross if i["severity"] == "error"}
                would = ApplyResult()
                _count(
                    would,
                    [
                        p
                        for p in planned
                        if not any(i["severity"] == "error" for i in p[3])
                        and (p[0].city_id, p[0].year, p[1].key, p[0].data_point) not in in_error
                    ],
                )
                result.would_create = would.created
                result.would_update = would.updated
                result.would_be_unchanged = would.unchanged
            transaction.set_rollback(True)
            return result

        # 6. write
        _write(result, actor, planned, evaluations, cross_by_value, channel, reason)
        _refresh_cross_warnings(planned, existing, evaluations, cross_by_value, key_by_id)
        result.written = True
    if result.created >= BIG_WRITE:
        _refresh_statistics()
    return result


# After this many new values the planner's statistics are refreshed at once, rather than
# when autovacuum gets to it: with stale statistics PostgreSQL takes a freshly filled
# table for empty and pages the values API by sorting everything (bench/bench_api.py).
BIG_WRITE = 10_000


def _refresh_statistics() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {KPIValue._meta.db_table}, {Evaluation._meta.db_table}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def _given(inp: ValueInput, field_name: str) -> str:
    raw = getattr(inp, field_name, None)
    return "" if raw is None else str(raw)


def _check_input(
    inp: ValueInput, measurand: Any, previous: float | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The fields to store and the check results (as dicts) for one input.

    Messages are kept in English (``gettext_noop``): warnings are stored with the value and
    read later by people in other languages; ``_translated`` and the templates translate
    them when they are shown.
    """
    fields: dict[str, Any] = {
        "status": inp.status,
        "source": (inp.source or "").strip()[:500],
        "quality": inp.quality,
        "notes": (inp.notes or "").strip(),
        "numerator": None,
        "denominator": None,
        "value": None,
        "unit": measurand.unit,
    }
    issues: list[dict[str, Any]] = []
    if inp.status not in _STATUSES:
        issues.append(
            _issue(
                "status",
                "status",
                "error",
                gettext_noop("Unknown status."),
                gettext_noop("reported, not available or not applicable"),
            )
        )
        return fields, issues
    if inp.quality is not None and inp.quality not in _QUALITIES:
        issues.append(
            _issue(
                "quality",
                "quality",
                "error",
                gettext_noop("The data-quality grade must be one of the six U4SSC grades."),
                "1-6",
            )
        )
    if inp.status != ValueStatus.REPORTED:
        return fields, issues
    computed = compute(
        measurand,
        Entry(
            numerator=inp.numerator,
            denominator=inp.denominator,
            value=inp.value,
            unit=inp.unit or "",
        ),
    )
    issues.extend(_issue_dict(i) for i in computed.issues)
    fields.update(numerator=inp.numerator, denominator=inp.denominator, value=computed.value)
    if computed.value is not None and previous is not None:
        issues.extend(
            _issue_dict(i) for i in check_year_on_year(measurand, computed.value, previous)
        )
    if computed.value is None and not any(i["severity"] == "error" for i in issues):
        issues.append(
            _issue(
                "value",
                "component_missing",
                "error",
                gettext_noop("Enter the value, or its components, or mark it not available."),
                gettext_noop("a number"),
            )
        )
    if not fields["source"]:
        issues.append(
            _issue(
                "source",
                "source_missing",
                "warning",
                gettext_noop("Name the source of this value (publication, register, system)."),
                gettext_noop("a source"),
            )
        )
    return fields, issues


def _translated(text: str) -> str:
    """``text`` in the active language when the platform's catalogues have it. Results of
    ``u4ssc.core.checks`` are English sentences with numbers in them and stay English here
    (the API shows them so); pages show their ``text`` (``evaluations.messages``)."""
    return _(text) if text else ""


def _issue(field_name: str, code: str, severity: str, message: str, expected: str = "") -> dict:
    """A check result of this module as stored with a value: ``message`` and ``expected``
    are English (marked with ``gettext_noop``) and kept as texts as the core's are."""
    out: dict[str, Any] = {
        "field": field_name,
        "code": code,
        "severity": severity,
        "message": str(message),
        "expected": str(expected),
        "text": Text(str(message)).as_dict(),
    }
    if expected:
        out["expected_text"] = Text(str(expected)).as_dict()
    return out


def _issue_dict(issue: Any) -> dict[str, Any]:
    """A check result of ``core.checks`` as stored with a value: its English message and
    expectation, and both as texts to show in the reader's language."""
    out = _issue(issue.field, issue.code, issue.severity, issue.message, issue.expected)
    if issue.text is not None:
        out["text"] = issue.text.as_dict()
    if issue.expected_text is not None:
        out["expected_text"] = issue.expected_text.as_dict()
    return out


def _evaluations_for(
    pairs: set[tuple[int, int]], *, lock: bool
) -> dict[tuple[int, int], Evaluation]:
    if not pairs:
        return {}
    cities = {c for c, _y in pairs}
    years = {y for _c, y in pairs}
    qs = Evaluation.objects.filter(city_id__in=cities, year__in=years)
    if lock:
        qs = qs.select_for_update()
    return {(e.city_id, e.year): e for e in qs if (e.city_id, e.year) in pairs}


def _values_of(evaluation_ids: Iterable[int]) -> dict[tuple[int, int, str], KPIValue]:
    out: dict[tuple[int, int, str], KPIValue] = {}
    ids = list(evaluation_ids)
    for start in range(0, len(ids), 500):
        for v in KPIValue.objects.filter(evaluation_id__in=ids[start : start + 500]).select_related(
            "updated_by"
        ):
            out[(v.evaluation_id, v.kpi_id, v.data_point)] = v
    return out


def _previous_values(pairs: set[tuple[int, int]]) -> dict[tuple[int, int, int, str], float]:
    if not pairs:
        return {}
    cities = {c for c, _y in pairs}
    years = {y for _c, y in pairs}
    out: dict[tuple[int, int, int, str], float] = {}
    city_list = sorted(cities)
    for start in range(0, len(city_list), 500):
        rows = KPIValue.objects.filter(
            evaluation__city_id__in=city_list[start : start + 500],
            evaluation__year__in=years,
            status=ValueStatus.REPORTED,
            value__isnull=False,
        ).values_list("evaluation__city_id", "evaluation__year", "kpi_id", "data_point", "value")
        for city_id, year, kpi_id, dp, value in rows:
            if (city_id, year) in pairs:
                out[(city_id, year, kpi_id, dp)] = value
    return out


def _cross_issues(planned, existing, evaluations, kpi_key_by_id):
    """Cross-KPI check results keyed by (city, year, kpi key, data point)."""
    merged: dict[tuple[int, int], dict[tuple[str, str], float]] = defaultdict(dict)
    ev_by_id = {ev.id: key for key, ev in evaluations.items()}
    for (ev_id, kpi_id, dp), v in existing.items():
        if v.status == ValueStatus.REPORTED and v.value is not None and ev_id in ev_by_id:
            merged[ev_by_id[ev_id]][(kpi_key_by_id[kpi_id], dp)] = v.value
    touched: set[tuple[int, int]] = set()
    for inp, kpi, fields, _issues, _current in planned:
        pair = (inp.city_id, inp.year)
        touched.add(pair)
        if fields["status"] == ValueStatus.REPORTED and fields["value"] is not None:
            merged[pair][(kpi.key, inp.data_point)] = fields["value"]
        else:
            merged[pair].pop((kpi.key, inp.data_point), None)
    out = []
    for pair in touched:
        for kpi_key, dp, issue in check_cross(merged[pair]):
            out.append(((pair[0], pair[1], kpi_key, dp), _issue_dict(issue)))
    return out


def _count(result: ApplyResult, planned) -> None:
    for _inp, _kpi, fields, _issues, current in planned:
        if current is None:
            result.created += 1
        elif _unchanged(current, fields):
            result.unchanged += 1
        else:
            result.updated += 1


def _write(result, actor, planned, evaluations, cross_by_value, channel, reason) -> None:
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user is not None else None
    # evaluations that do not exist yet
    missing = sorted({(i.city_id, i.year) for i, *_ in planned} - set(evaluations))
    if missing:
        synthetic = {(i.city_id, i.year): i.is_synthetic for i, *_ in planned}
        Evaluation.objects.bulk_create(
            [Evaluation(city_id=c, year=y, is_synthetic=synthetic[(c, y)]) for c, y in missing]
        )
        evaluations.update(_evaluations_for(set(missing), lock=False))
        result.evaluations_created = len(missing)

    new_rows: list[dict[str, Any]] = []
    to_update: list[KPIValue] = []
    figure_changed: list[int] = []
    unchanged_ids: list[int] = []
    revisions: list[tuple[KPIValue, int, dict, dict]] = []
    for inp, kpi, fields, issues, current in planned:
        ev = evaluations[(inp.city_id, inp.year)]
        stored_issues = [i for i in issues if i["severity"] == "warning"] + [
            i for i in cross_by_value.get((inp.city_id, inp.year, kpi.key, inp.data_point), [])
        ]
        if current is None:
            new_rows.append(
                {
                    "evaluation_id": ev.id,
                    "kpi_id": kpi.id,
                    "data_point": inp.data_point,
                    "version": 1,
                    "updated_by_id": user_id,
                    "is_synthetic": inp.is_synthetic,
                    "issues": stored_issues,
                    "updated_at": now,
                    **fields,
                }
            )
            result.created += 1
            continue
        if _unchanged(current, fields):
            result.unchanged += 1
            unchanged_ids.append(current.pk)
            continue
        before = snapshot(current)
        if any(not _same(before[f], fields[f]) for f in FIGURE_FIELDS):
            figure_changed.append(current.pk)
        for f, v in fields.items():
            setattr(current, f, v)
        current.version += 1
        current.updated_by = user
        current.updated_at = now
        current.issues = stored_issues
        current.is_synthetic = inp.is_synthetic
        if current.review_status == ReviewStatus.RETURNED or (
            current.review_status == ReviewStatus.ACCEPTED
            and any(not _same(before[f], fields[f]) for f in REVIEWED_FIELDS)
        ):
            # corrected, or changed after acceptance: the verifier looks again, and their
            # grade was given for what they saw
            current.review_status = ReviewStatus.PENDING
            current.verified_quality = None
        to_update.append(current)
        revisions.append((current, current.version, before, snapshot(current)))
        result.updated += 1

    created_ids = _insert_values(new_rows)
    KPIValue.objects.bulk_update(
        to_update,
        [
            *SNAPSHOT_FIELDS,
            "version",
            "updated_by",
            "updated_at",
            "issues",
            "is_synthetic",
            "review_status",
            "verified_quality",
        ],
        batch_size=INSERT_BATCH,
    )
    revision = {"changed_by_id": user_id, "changed_at": now, "channel": channel, "reason": reason}
    _insert_rows(
        ValueRevision,
        [
            {
                "value_id": value_id,
                "version": 1,
                "before": {},
                "after": {f: row[f] for f in SNAPSHOT_FIELDS},
                **revision,
            }
            for value_id, row in zip(created_ids, new_rows, strict=True)
        ]
        + [
            {"value_id": v.pk, "version": ver, "before": before, "after": after, **revision}
            for v, ver, before, after in revisions
        ],
    )
    # Acknowledgements given for another figure, or for checks that no longer fire, no
    # longer hold; they stay as history.
    if to_update:
        _supersede_acknowledgements(to_update, set(figure_changed), now)
    result.value_ids.extend(unchanged_ids + created_ids + [v.pk for v in to_update])


def _refresh_cross_warnings(planned, existing, evaluations, cross_by_value, key_by_id) -> None:
    """The cross-KPI warnings of the values a batch did not touch, in the city-years it
    touched: a rule between two KPIs is checked again when either changes, so correcting
    Internet access clears the warning stored on fixed broadband, and a warning that
    fires anew there is stored with it. Only the derived ``issues`` change (no new
    version, no history entry); acknowledgements of cross checks that no longer fire on
    those values no longer hold."""
    touched_pairs = {(inp.city_id, inp.year) for inp, *_ in planned}
    planned_keys = {
        (evaluations[(inp.city_id, inp.year)].id, kpi.id, inp.data_point)
        for inp, kpi, *_ in planned
    }
    pair_of = {ev.id: key for key, ev in evaluations.items() if key in touched_pairs}
    if not pair_of:
        return
    changed: list[KPIValue] = []
    for (ev_id, kpi_id, dp), v in existing.items():
        if ev_id not in pair_of or (ev_id, kpi_id, dp) in planned_keys:
            continue
        city_id, year = pair_of[ev_id]
        fresh = list(cross_by_value.get((city_id, year, key_by_id[kpi_id], dp), []))
        if v.status != ValueStatus.REPORTED:
            fresh = []
        kept = [i for i in v.issues if not str(i.get("code", "")).startswith("cross:")]
        stale = [i for i in v.issues if str(i.get("code", "")).startswith("cross:")]
        if stale != fresh:
            v.issues = kept + fresh
            changed.append(v)
    if changed:
        KPIValue.objects.bulk_update(changed, ["issues"], batch_size=INSERT_BATCH)
        _supersede_acknowledgements(changed, set(), timezone.now())


def _supersede_acknowledgements(
    values: list[KPIValue], figure_changed: set[int], now: datetime.datetime
) -> None:
    """Mark the current acknowledgements of ``values`` that no longer hold: those of a
    value whose figure changed, and those of a check that no longer fires (a query per
    500 values, and one per 500 acknowledgements that no longer hold)."""
    firing = {v.pk: {i.get("code") for i in v.issues} for v in values}
    ids = sorted(firing)
    stale: list[int] = []
    for start in range(0, len(ids), 500):
        for ack_id, value_id, code in WarningAcknowledgement.objects.filter(
            value_id__in=ids[start : start + 500], superseded_at__isnull=True
        ).values_list("id", "value_id", "check_code"):
            if value_id in figure_changed or code not in firing[value_id]:
                stale.append(ack_id)
    for start in range(0, len(stale), 500):
        WarningAcknowledgement.objects.filter(id__in=stale[start : start + 500]).update(
            superseded_at=now
        )


def _insert_values(rows: list[dict[str, Any]]) -> list[int]:
    """Insert new values; their ids, in the order of ``rows``."""
    if not rows:
        return []
    _insert_rows(KPIValue, rows)
    ids: dict[tuple[int, int, str], int] = {}
    evaluation_ids = sorted({r["evaluation_id"] for r in rows})
    for start in range(0, len(evaluation_ids), 500):
        chunk = evaluation_ids[start : start + 500]
        for pk, ev_id, kpi_id, dp in KPIValue.objects.filter(evaluation_id__in=chunk).values_list(
            "id", "evaluation_id", "kpi_id", "data_point"
        ):
            ids[(ev_id, kpi_id, dp)] = pk
    return [ids[(r["evaluation_id"], r["kpi_id"], r["data_point"])] for r in rows]


def _insert_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts by attribute name; missing fields take their default).

    ``bulk_create`` spends most of an import's time preparing a hundred thousand model
    instances field by field; here values go to the driver as they are (numbers, text,
    booleans, ids) and only JSON and date-time fields are adapted by their field. On
    PostgreSQL the rows are streamed with ``COPY``, elsewhere one ``executemany`` per
    ``INSERT_BATCH`` rows. See docs/decisions/0507.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    copy = connection.vendor == "postgresql"
    adapt: list[Any] = []
    for f in fields:
        if copy and isinstance(f, JSONField):
            # COPY reads jsonb from its text form: no per-value adapter object
            adapt.append(functools.partial(json.dumps, cls=f.encoder))
        elif isinstance(f, JSONField | DateTimeField):
            adapt.append(functools.partial(f.get_db_prep_save, connection=connection))
        else:
            adapt.append(None)
    # (attribute, default, adapter) per column; most JSON values are [] or {} and every row
    # has the batch's one timestamp: those are adapted once (``prepared``).
    columns_spec = [
        (
            f.attname,
            f.default if f.has_default() and callable(f.default) else None,
            f.get_default(),
            fn,
        )
        for f, fn in zip(fields, adapt, strict=True)
    ]
    prepared: dict[Any, Any] = {}
    missing = object()

    def values(row: dict[str, Any]) -> list[Any]:
        out = []
        for name, factory, constant, fn in columns_spec:
            v = row.get(name, missing)
            if v is missing:
                v = factory() if factory is not None else constant
            if fn is not None and v is not None:
                # the timestamp object lives as long as ``rows``: its id is a safe key
                key = (name, id(v)) if isinstance(v, datetime.datetime) else None
                if key is None and not v:
                    key = (name, type(v))
                if key is None:
                    v = fn(v)
                else:
                    if key not in prepared:
                        prepared[key] = fn(v)
                    v = prepared[key]
            out.append(v)
        return out

    with connection.cursor() as cursor:
        if copy:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(values(row))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, [values(row) for row in rows[start : start + INSERT_BATCH]])


def save_value(
    *,
    actor: Any,
    evaluation: Evaluation,
    kpi_code: str,
    data_point: str = "",
    expected_version: int | None,
    reason: str = "",
    channel: str = "form",
    dry_run: bool = False,
    **fields: Any,
) -> ApplyResult:
    """Save one value from a form or the API (refused when someone saved in between)."""
    inp = ValueInput(
        city_id=evaluation.city_id,
        year=evaluation.year,
        kpi_code=kpi_code,
        data_point=data_point,
        expected_version=expected_version,
        is_synthetic=False,
        **fields,
    )
    return apply_entries(actor=actor, inputs=[inp], channel=channel, reason=reason, dry_run=dry_run)


def restore_revision(*, actor: Any, revision: ValueRevision, reason: str = "") -> ApplyResult:
    """Bring a value back to what it was after ``revision`` (a new revision records it)."""
    value = revision.value
    ev = value.evaluation
    after = revision.after or {}
    inp = ValueInput(
        city_id=ev.city_id,
        year=ev.year,
        kpi_code=value.kpi.code,
        data_point=value.data_point,
        status=after.get("status", ValueStatus.REPORTED),
        numerator=after.get("numerator"),
        denominator=after.get("denominator"),
        value=after.get("value"),
        unit=after.get("unit", ""),
        source=after.get("source", ""),
        quality=after.get("quality"),
        notes=after.get("notes", ""),
        expected_version=value.version,
        is_synthetic=value.is_synthetic,
    )
    why = reason or _("restored version %(v)s") % {"v": revision.version}
    return apply_entries(actor=actor, inputs=[inp], channel="restore", reason=why)


@transaction.atomic
def acknowledge_warning(*, actor: Any, value: KPIValue, check_code: str, reason: str) -> None:
    require(actor, Action.EDIT, value.evaluation)
    if value.evaluation.state not in EDITABLE_STATES:
        raise WorkflowError(_("The data cannot be changed in this state."))
    if not reason.strip():
        raise WorkflowError(_("Say why the warning does not apply."))
    if check_code not in {i.get("code") for i in value.issues if i.get("severity") == "warning"}:
        raise WorkflowError(_("There is no such warning on this value."))
    # A new reason replaces the one given before; the old one stays as history.
    WarningAcknowledgement.objects.filter(
        value=value, check_code=check_code, superseded_at__isnull=True
    ).update(superseded_at=timezone.now())
    WarningAcknowledgement.objects.create(
        value=value,
        check_code=check_code,
        reason=reason.strip(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        value_version=value.version,
    )


# ---------------------------------------------------------------- workflow


def _transition(
    evaluation: Evaluation, actor: Any, allowed_from: Sequence[str], to: str, comment: str = ""
) -> None:
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if ev.state not in allowed_from:
        raise WorkflowError(
            _("This step is not possible while the data is %(state)s.")
            % {"state": ev.get_state_display().lower()}
        )
    EvaluationEvent.objects.create(
        evaluation=ev, from_state=ev.state, to_state=to, actor=actor, comment=comment
    )
    evaluation.state = to


@transaction.atomic
def submit_evaluation(*, actor: Any, evaluation: Evaluation, comment: str = "") -> None:
    require(actor, Action.SUBMIT, evaluation)
    values = KPIValue.objects.filter(evaluation=evaluation)
    if not values.filter(status=ValueStatus.REPORTED).exists():
        raise WorkflowError(_("Report at least one KPI before submitting."))
    _transition(evaluation, actor, EDITABLE_STATES, State.SUBMITTED, comment)
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["state", "submitted_at", "updated_at"])


@transaction.atomic
def start_review(*, actor: Any, evaluation: Evaluation) -> None:
    require(actor, Action.REVIEW, evaluation)
    _transition(evaluation, actor, (State.SUBMITTED,), State.IN_REVIEW)
    evaluation.verifier = actor
    evaluation.save(update_fields=["state", "verifier", "updated_at"])


@transaction.atomic
def review_value(
    *,
    actor: Any,
    value: KPIValue,
    accept: bool,
    comment: str = "",
    quality: int | None = None,
) -> None:
    """Accept a value (attesting it, optionally with the verifier's quality grade) or
    return it to the city with a comment. The verifier never changes the value itself."""
    ev = value.evaluation
    require(actor, Action.REVIEW, ev)
    if ev.state != State.IN_REVIEW:
        raise WorkflowError(_("Values are reviewed while the data is in review."))
    if not accept and not comment.strip():
        raise WorkflowError(_("Say what the city should correct."))
    if quality is not None and quality not in Quality.values:
        raise WorkflowError(_("The data-quality grade must be one of the six U4SSC grades."))
    value.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    value.review_comment = comment.strip()
    value.reviewed_by = actor
    value.reviewed_at = timezone.now()
    value.reviewed_version = value.version
    value.verified_quality = quality if quality is not None else value.quality
    value.save(
        update_fields=[
            "review_status",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
            "reviewed_version",
            "verified_quality",
        ]
    )


@transaction.atomic
def accept_values(
    *,
    actor: Any,
    evaluation: Evaluation,
    value_ids: Iterable[int] | None = None,
    comment: str = "",
) -> int:
    """Accept every reported value of ``evaluation`` not yet reviewed (or those in
    ``value_ids`` not yet accepted) in one step, as :func:`review_value` with
    ``accept=True`` would one by one: each value keeps who accepted it, when and the comment,
    and the city's quality grade as the verified one. Values the verifier returned stay
    returned ("accept all remaining" does not undo a return). Returns how many were
    accepted."""
    require(actor, Action.REVIEW, evaluation)
    if evaluation.state != State.IN_REVIEW:
        raise WorkflowError(_("Values are reviewed while the data is in review."))
    pending = KPIValue.objects.filter(evaluation=evaluation, status=ValueStatus.REPORTED).exclude(
        review_status=ReviewStatus.ACCEPTED
    )
    if value_ids is not None:
        pending = pending.filter(id__in=list(value_ids))
    else:
        pending = pending.filter(review_status=ReviewStatus.PENDING)
    return pending.update(
        review_status=ReviewStatus.ACCEPTED,
        review_comment=comment.strip(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        reviewed_version=F("version"),
        verified_quality=F("quality"),
    )


@transaction.atomic
def return_evaluation(*, actor: Any, evaluation: Evaluation, comment: str = "") -> None:
    require(actor, Action.REVIEW, evaluation)
    if not evaluation.values.filter(review_status=ReviewStatus.RETURNED).exists():
        raise WorkflowError(_("Return at least one value, with a comment, before returning."))
    _transition(evaluation, actor, (State.IN_REVIEW,), State.RETURNED, comment)
    evaluation.save(update_fields=["state", "updated_at"])


@transaction.atomic
def verify_evaluation(*, actor: Any, evaluation: Evaluation, attestation: str) -> None:
    require(actor, Action.REVIEW, evaluation)
    if not attestation.strip():
        raise WorkflowError(_("Write the attestation: what you checked and how."))
    open_values = evaluation.values.filter(status=ValueStatus.REPORTED).exclude(
        review_status=ReviewStatus.ACCEPTED
    )
    if open_values.exists():
        codes = ", ".join(
            f"{v.kpi.code} {v.data_point}".strip() for v in open_values.select_related("kpi")[:10]
        )
        raise WorkflowError(
            _("Every reported value must be accepted first. Still open: %(codes)s")
            % {"codes": codes}
        )
    _transition(evaluation, actor, (State.IN_REVIEW,), State.VERIFIED, attestation)
    evaluation.verified_at = timezone.now()
    evaluation.verifier = actor
    evaluation.attestation = attestation.strip()
    evaluation.save(update_fields=["state", "verified_at", "verifier", "attestation", "updated_at"])


@transaction.atomic
def publish_evaluation(*, actor: Any, evaluation: Evaluation) -> None:
    require(actor, Action.PUBLISH, evaluation)
    _transition(evaluation, actor, (State.VERIFIED,), State.PUBLISHED)
    evaluation.published_at = timezone.now()
    evaluation.save(update_fields=["state", "published_at", "updated_at"])


def ensure_evaluation(*, actor: Any, city: Any, year: int) -> Evaluation:
    """The city's evaluation for ``year``, created (in draft) when the officer starts it.

    Raises ``WorkflowError`` for a year that cannot hold data (``evaluations.years``).
    """
    existing = Evaluation.objects.filter(city=city, year=year).first()
    if existing is not None:
        return existing
    refusal = year_refusal(year)
    if refusal is not None:
        raise WorkflowError(render_text(refusal))
    if not principal_for(actor).cities(Action.EDIT).__contains__(city.id):
        raise PermissionDenied(_("You may not start data collection for this city."))
    evaluation, _created = Evaluation.objects.get_or_create(city=city, year=year)
    return evaluation
