"""Pages of data gathering, review and publication. Thin: parse, permit, act, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from u4ssc.apps.accounts.permissions import Action, can, require
from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations import actions, queries
from u4ssc.apps.evaluations.forms import (
    AcknowledgeForm,
    AttestationForm,
    CommentForm,
    DataCycleFilterForm,
    NewYearForm,
    ReasonForm,
    ReviewValueForm,
    ValueForm,
)
from u4ssc.apps.evaluations.messages import render_text
from u4ssc.apps.evaluations.models import (
    Evaluation,
    KPIValue,
    ReviewStatus,
    State,
    ValueRevision,
    ValueStatus,
)
from u4ssc.apps.evaluations.years import FIRST_YEAR, last_year
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.web.htmx import is_htmx, render_page

# Lazy: built once at import, shown in the language of each request.
DIMENSIONS = [
    ("EC", gettext_lazy("Economy")),
    ("EN", gettext_lazy("Environment")),
    ("SC", gettext_lazy("Society and Culture")),
]


def _evaluation(slug: str, year: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("city", "verifier"), city__slug=slug, year=year
    )


def _sheet_context(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    dimension = request.GET.get("dimension") or None
    if dimension not in {d for d, _n in DIMENSIONS}:
        dimension = None
    user = request.user
    editable = can(user, Action.EDIT, evaluation) and evaluation.state in actions.EDITABLE_STATES
    can_submit = (
        can(user, Action.SUBMIT, evaluation) and evaluation.state in actions.EDITABLE_STATES
    )
    groups = queries.sheet(evaluation, dimension_code=dimension)
    for group in groups:
        for row in group.rows:
            row.form = ValueForm(initial=ValueForm.initial_for(row.value), prefix=row.dom_id)
    return {
        "evaluation": evaluation,
        "city": evaluation.city,
        "groups": groups,
        "progress": queries.progress(evaluation),
        "dimension": dimension,
        "dimensions": DIMENSIONS,
        "editable": editable,
        "can_submit": can_submit,
        # shown before the submit button (decision 0208: warnings do not block)
        "open_warnings": queries.open_warnings(evaluation) if can_submit else [],
        "can_review": can(user, Action.REVIEW, evaluation),
        "can_publish": can(user, Action.PUBLISH, evaluation) and evaluation.state == State.VERIFIED,
        "events": evaluation.events.select_related("actor").order_by("-at", "-id")[:20],
    }


# City-years per page of the data-cycle overview.
CYCLE_PAGE_SIZE = 50


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data work: years to fill, years to review, and every
    city-year they may follow, with its state (filterable by year and state)."""
    from u4ssc.apps.accounts.permissions import principal_for

    cities = []
    scope = principal_for(request.user).cities(Action.EDIT)
    if isinstance(scope, set) and scope:
        cities = list(Organisation.objects.filter(id__in=scope, kind=OrgKind.CITY))
    form = DataCycleFilterForm(request.GET or None)
    filters = form.filters()
    cycle = queries.data_cycle(request.user, **filters)
    form.offer_years(cycle.years)
    page = Paginator(cycle.rows, CYCLE_PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page.object_list:
        done = e.n_reported + e.n_marked
        e.percent = round(100 * done / cycle.measurands) if cycle.measurands else 0
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "evaluations/workspace.html",
        {
            **queries.workspace(request.user),
            "my_cities": cities,
            "first_year": FIRST_YEAR,
            "last_year": last_year(),
            "cycle": cycle,
            "cycle_form": form,
            "filtered": bool(filters),
            "filters": filters,
            "page": page,
            "querystring": query.urlencode(),
        },
        partial="evaluations/partials/data_cycle.html",
    )


@login_required
@require_POST
def start_year(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(Organisation, slug=slug, kind=OrgKind.CITY)
    form = NewYearForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("year") or [_("Give a year.")]:
            messages.error(request, error)
        return redirect("evaluations:workspace")
    try:
        evaluation = actions.ensure_evaluation(
            actor=request.user, city=city, year=form.cleaned_data["year"]
        )
    except actions.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("evaluations:workspace")
    return redirect("evaluations:sheet", slug=city.slug, year=evaluation.year)


def sheet(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    if not can(request.user, Action.VIEW, evaluation):
        raise Http404
    # Published data is read on the public page, except by those who work on it.
    works_on_it = can(request.user, Action.EDIT, evaluation) or (
        request.user.is_authenticated and can(request.user, Action.REVIEW, evaluation)
    )
    if evaluation.state == State.PUBLISHED and not works_on_it:
        return redirect("evaluations:public", slug=slug, year=year)
    return render(request, "evaluations/sheet.html", _sheet_context(request, evaluation))


def _row_context(
    evaluation: Evaluation,
    row: Any,
    form: Any,
    problems: list | None = None,
    saved: bool = False,
    stale: dict | None = None,
    editable: bool = True,
) -> dict:
    by_field: dict[str, list[Any]] = {}
    for p in problems or []:
        by_field.setdefault(p.field if p.field in form.fields else "value", []).append(p)
    return {
        "evaluation": evaluation,
        "row": row,
        "form": form,
        "problems_by_field": by_field,
        "saved": saved,
        "stale": stale,
        "editable": editable,
    }


@require_POST
def save_row(request: HttpRequest, slug: str, year: int, kpi_id: int, point: str) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    require(request.user, Action.EDIT, evaluation)
    kpi = get_object_or_404(KPI, pk=kpi_id)
    data_point = "" if point == "-" else point
    try:
        row = queries.sheet_row(evaluation, kpi, data_point)
    except LookupError as exc:
        raise Http404 from exc
    form = ValueForm(request.POST, prefix=row.dom_id)
    problems: list[Any] = []
    stale = None
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            "status": data["status"],
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "value": data["value"],
            "unit": data["unit"],
            "source": data["source"],
            "quality": data["quality"],
            "notes": data["notes"],
        }
        common = {
            "actor": request.user,
            "evaluation": evaluation,
            "kpi_code": kpi.code,
            "data_point": data_point,
            "expected_version": data.get("version") if row.value is not None else None,
            "reason": data["reason"],
            **fields,
        }
        result = None
        if row.value is not None and not data["reason"].strip():
            # Changing a stored value needs a reason for its history; find out first
            # whether this save changes anything at all.
            trial = actions.save_value(dry_run=True, **common)
            if trial.ok and trial.updated:
                result = trial
                result.problems.append(
                    actions.Problem(
                        "",
                        kpi.code,
                        data_point,
                        "reason",
                        "reason_missing",
                        "error",
                        _("Say why you change this value: the reason is kept in its history."),
                    )
                )
        if result is None:
            result = actions.save_value(**common)
        problems = result.errors
        stale = next((p.current for p in problems if p.code == "stale"), None)
        if stale is not None:
            # ISO in the problem (the API shows it so); a date and time on the page, in the
            # reader's language and the active time zone
            stale = {**stale, "at_time": parse_datetime(stale.get("at") or "")}
        if result.ok:
            saved = True
            row = queries.sheet_row(evaluation, kpi, data_point)
            form = ValueForm(initial=ValueForm.initial_for(row.value), prefix=row.dom_id)
        elif stale is not None:
            # Keep what was typed, and move the version on so that saving again is a
            # deliberate decision taken after seeing the other person's change.
            post = request.POST.copy()
            post[f"{row.dom_id}-version"] = str(stale["version"])
            form = ValueForm(post, prefix=row.dom_id)
            form.is_valid()
    context = _row_context(evaluation, row, form, problems, saved, stale)
    if is_htmx(request):
        # The partial carries its errors; a 200 keeps browsers from logging a failed load.
        return render(request, "evaluations/partials/row.html", context)
    if saved:
        messages.success(request, _("Saved %(code)s.") % {"code": kpi.code})
        return redirect(reverse("evaluations:sheet", args=[slug, year]) + f"#{row.dom_id}")
    page = _sheet_context(request, evaluation)
    page["override_row"] = context
    return render(request, "evaluations/sheet.html", page, status=422)


@require_POST
def acknowledge(request: HttpRequest, slug: str, year: int, value_id: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    value = get_object_or_404(
        KPIValue.objects.select_related("kpi"), pk=value_id, evaluation=evaluation
    )
    form = AcknowledgeForm(request.POST)
    error = None
    if form.is_valid():
        try:
            actions.acknowledge_warning(
                actor=request.user,
                value=value,
                check_code=form.cleaned_data["check_code"],
                reason=form.cleaned_data["reason"],
            )
        except actions.WorkflowError as exc:
            error = str(exc)
    else:
        error = _("Say why the warning does not apply.")
    row = queries.sheet_row(evaluation, value.kpi, value.data_point)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("evaluations:sheet", args=[slug, year]) + f"#{row.dom_id}")
    # Only the row's warnings are redrawn: the officer may have typed in the row's fields
    # without saving, and those fields must keep what was typed.
    return render(
        request,
        "evaluations/partials/row_warnings.html",
        {
            "evaluation": evaluation,
            "row": row,
            "editable": can(request.user, Action.EDIT, evaluation)
            and evaluation.state in actions.EDITABLE_STATES,
            "ack_error": error,
            "ack_typed": {form.data.get("check_code", ""): form.data.get("reason", "")}
            if error
            else {},
            "just_acknowledged": "" if error else form.cleaned_data["check_code"],
        },
    )


def value_history(request: HttpRequest, slug: str, year: int, value_id: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    if not can(request.user, Action.VIEW, evaluation):
        raise Http404
    value = get_object_or_404(
        KPIValue.objects.select_related("kpi"), pk=value_id, evaluation=evaluation
    )
    return render(
        request,
        "evaluations/history.html",
        {
            "evaluation": evaluation,
            "value": value,
            "revisions": queries.history(value),
            "acknowledgements": queries.acknowledgements(value),
            "can_restore": can(request.user, Action.EDIT, evaluation)
            and evaluation.state in actions.EDITABLE_STATES,
            "reason_form": ReasonForm(),
        },
    )


@require_POST
def restore(request: HttpRequest, slug: str, year: int, revision_id: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    require(request.user, Action.EDIT, evaluation)
    revision = get_object_or_404(
        ValueRevision.objects.select_related("value", "value__kpi", "value__evaluation"),
        pk=revision_id,
        value__evaluation=evaluation,
    )
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "") if form.is_valid() else ""
    result = actions.restore_revision(actor=request.user, revision=revision, reason=reason)
    if result.ok:
        messages.success(request, _("Version %(v)s restored.") % {"v": revision.version})
    else:
        messages.error(request, "; ".join(render_text(p.text, p.message) for p in result.errors))
    return redirect("evaluations:history", slug=slug, year=year, value_id=revision.value_id)


def _workflow_step(request: HttpRequest, slug: str, year: int, step: str) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    try:
        if step == "submit":
            form = CommentForm(request.POST)
            form.is_valid()
            actions.submit_evaluation(
                actor=request.user,
                evaluation=evaluation,
                comment=form.cleaned_data.get("comment", ""),
            )
            messages.success(request, _("Submitted for verification."))
        elif step == "start-review":
            actions.start_review(actor=request.user, evaluation=evaluation)
            messages.success(request, _("Review started."))
            return redirect("evaluations:review", slug=slug, year=year)
        elif step == "accept-remaining":
            n = actions.accept_values(actor=request.user, evaluation=evaluation)
            messages.success(
                request, ngettext("Accepted %(n)s value.", "Accepted %(n)s values.", n) % {"n": n}
            )
            return redirect("evaluations:review", slug=slug, year=year)
        elif step == "return":
            form = CommentForm(request.POST)
            form.is_valid()
            actions.return_evaluation(
                actor=request.user,
                evaluation=evaluation,
                comment=form.cleaned_data.get("comment", ""),
            )
            messages.success(request, _("Returned to the city for correction."))
        elif step == "verify":
            aform = AttestationForm(request.POST)
            attestation = aform.data.get("attestation", "")
            actions.verify_evaluation(
                actor=request.user, evaluation=evaluation, attestation=attestation
            )
            messages.success(request, _("Verified."))
        elif step == "publish":
            actions.publish_evaluation(actor=request.user, evaluation=evaluation)
            messages.success(request, _("Published. The data is now public."))
            return redirect("evaluations:public", slug=slug, year=year)
        else:
            raise Http404
    except actions.WorkflowError as exc:
        messages.error(request, str(exc))
        if step in {"return", "verify", "accept-remaining"}:
            return redirect("evaluations:review", slug=slug, year=year)
    return redirect("evaluations:sheet", slug=slug, year=year)


@require_POST
def workflow(request: HttpRequest, slug: str, year: int, step: str) -> HttpResponse:
    return _workflow_step(request, slug, year, step)


@login_required
def review(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    require(request.user, Action.REVIEW, evaluation)
    groups = queries.sheet(evaluation)
    rows = queries.with_review_changes([r for g in groups for r in g.rows if r.value is not None])
    progress = queries.progress(evaluation)
    return render(
        request,
        "evaluations/review.html",
        {
            "evaluation": evaluation,
            "city": evaluation.city,
            # Reported values are what the verifier accepts before verifying; values marked
            # not available or not applicable need no acceptance but may be returned.
            "rows": [r for r in rows if r.value.status == ValueStatus.REPORTED],
            "marked_rows": [r for r in rows if r.value.status != ValueStatus.REPORTED],
            "progress": progress,
            "remaining": progress["pending"],
            # of those, values the city changed after the verifier accepted or returned them
            "changed_since_review": sum(
                1 for r in rows if r.since_review and r.value.review_status == ReviewStatus.PENDING
            ),
            "attestation_form": AttestationForm(),
            "comment_form": CommentForm(),
            "can_publish": can(request.user, Action.PUBLISH, evaluation),
        },
    )


@require_POST
def review_row(request: HttpRequest, slug: str, year: int, value_id: int) -> HttpResponse:
    evaluation = _evaluation(slug, year)
    value = get_object_or_404(
        KPIValue.objects.select_related("kpi"), pk=value_id, evaluation=evaluation
    )
    form = ReviewValueForm(request.POST, prefix=f"r{value.id}")
    error = None
    if form.is_valid():
        try:
            actions.review_value(
                actor=request.user,
                value=value,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
                quality=form.cleaned_data["quality"],
            )
        except actions.WorkflowError as exc:
            error = str(exc)
        except PermissionDenied:
            raise
    else:
        error = _("Choose accept or return.")
    (row,) = queries.with_review_changes(
        [queries.sheet_row(evaluation, value.kpi, value.data_point)]
    )
    if is_htmx(request):
        return render(
            request,
            "evaluations/partials/review_row.html",
            {"evaluation": evaluation, "row": row, "error": error, "form": form if error else None},
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("evaluations:review", args=[slug, year]) + f"#{row.dom_id}")


def public(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A year's published data, for everyone."""
    evaluation = _evaluation(slug, year)
    if evaluation.state != State.PUBLISHED and not can(request.user, Action.VIEW, evaluation):
        raise Http404
    return render_page(
        request,
        "evaluations/public.html",
        {
            "evaluation": evaluation,
            "city": evaluation.city,
            "values": queries.public_evaluation_values(evaluation),
            "published": evaluation.state == State.PUBLISHED,
            "years": Evaluation.objects.filter(city=evaluation.city, state=State.PUBLISHED)
            .order_by("-year")
            .values_list("year", flat=True),
        },
    )
