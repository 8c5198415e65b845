"""API of KPI data: evaluations, values (published ones for everybody), writes with a token."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from u4ssc.apps.accounts.permissions import Action, can, require, visible_evaluations
from u4ssc.apps.evaluations import actions, queries
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ReviewStatus, State, ValueStatus
from u4ssc.web.api import WRITE_AUTH, ErrorBody, Pagination, caller

router = Router()
# Years and ids are bounded so that no number reaches the database unchecked.
Year = Annotated[int, Field(ge=1900, le=2100)]
Id = Annotated[int, Field(ge=1, le=2**53)]


class EvaluationOut(Schema):
    # By name too: the detail endpoint validates a dict made from this schema's own output.
    model_config = ConfigDict(populate_by_name=True)

    city: str = Field(..., alias="city.slug")
    city_name: str = Field(..., alias="city.name")
    country: str = Field(..., alias="city.country_code")
    year: int
    state: str
    is_synthetic: bool
    submitted_at: datetime | None
    verified_at: datetime | None
    published_at: datetime | None


class ValueOut(Schema):
    city: str
    city_name: str
    country: str
    year: int
    kpi_code: str
    kpi_name: str
    data_point: str
    status: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    source: str
    quality: int | None
    verified_quality: int | None
    is_synthetic: bool
    version: int
    evaluation_state: str


class ValueFilters(Schema):
    city: str | None = Field(None, description="city slug")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code", max_length=2)
    group: int | None = Field(
        None, ge=1, le=2**53, description="id of a hub, national programme or programme"
    )
    year: list[Year] | None = Field(None, description="one or more years")
    kpi: list[str] | None = Field(None, description="KPI codes, e.g. EC: ICT: ICT: 1C")
    include_unpublished: bool = Field(
        False, description="also values you may see that are not published (needs a token)"
    )


class ValuePage(Schema):
    items: list[ValueOut]
    next: str | None = Field(
        None, description="URL of the next page (same filters), or null on the last page"
    )


@router.get(
    "/values",
    response=ValuePage,
    summary="KPI values (published ones by default)",
    description=(
        "Reported values and those marked `not_available` or `not_applicable` (`status`; "
        "`value` is null for those). "
        "Pages of at most `limit` values in a stable order. Follow `next` for the following "
        "page: keyset pagination stays fast however deep you page, which offsets do not."
    ),
)
def list_values(
    request: HttpRequest,
    filters: Query[ValueFilters],
    limit: int = Query(100, ge=1, le=1000),
    after: str = Query(
        "",
        pattern=r"^(\d{1,18}\.\d{1,18})?$",
        description="the cursor of the previous page (taken from its `next` link)",
    ),
) -> Any:
    from u4ssc.core.catalogue import load_catalogue

    user = caller(request)
    keys = None
    if filters.kpi:
        cat = load_catalogue()
        keys = []
        for code in filters.kpi:
            kpi = cat.find(code)
            if kpi is None:
                raise HttpError(422, f"unknown KPI code {code!r}")
            keys.append(kpi.key)
    # Keyset on (evaluation, value id): the order in which the databases can walk the
    # evaluation index, so a page costs the same at the start and a million rows in.
    ev_id = value_id = None
    if after:
        ev_id, value_id = (int(x) for x in after.split("."))
    qs = queries.published_values(
        user=user,
        city_slug=filters.city,
        country=filters.country,
        group_id=filters.group,
        years=filters.year,
        kpi_keys=keys,
        include_unpublished=filters.include_unpublished,
        with_unavailable=True,
        from_evaluation_id=ev_id,
    ).order_by("evaluation_id", "id")
    if ev_id is not None:
        qs = qs.filter(Q(evaluation_id__gt=ev_id) | Q(id__gt=value_id))
    items = list(queries.value_rows(qs[: limit + 1]))
    next_url = None
    if len(items) > limit:
        items = items[:limit]
        params = request.GET.copy()
        params["after"] = f"{items[-1]['evaluation_id']}.{items[-1]['id']}"
        params["limit"] = str(limit)
        next_url = f"{request.path}?{params.urlencode()}"
    return {"items": items, "next": next_url}


class EvaluationFilters(Schema):
    city: str | None = None
    country: str | None = Field(None, max_length=2)
    year: Year | None = None
    state: State | None = None


@router.get("/", response=list[EvaluationOut], summary="Evaluations (city x year) you may see")
@paginate(Pagination)
def list_evaluations(request: HttpRequest, filters: Query[EvaluationFilters]) -> Any:
    qs = (
        visible_evaluations(caller(request))
        .select_related("city")
        .order_by("city__name", "-year", "id")
    )
    if filters.city:
        qs = qs.filter(city__slug=filters.city)
    if filters.country:
        qs = qs.filter(city__country_code=filters.country.upper())
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


def _visible(request: HttpRequest, city: str, year: Year) -> Evaluation:
    ev = get_object_or_404(Evaluation.objects.select_related("city"), city__slug=city, year=year)
    if not can(caller(request), Action.VIEW, ev):
        raise Http404("no such evaluation")
    return ev


class EvaluationDetail(EvaluationOut):
    values: list[ValueOut]


@router.get("/{city}/{year}", response=EvaluationDetail, summary="One city-year with its values")
def get_evaluation(request: HttpRequest, city: str, year: Year) -> Any:
    ev = _visible(request, city, year)
    ev_values = list(
        queries.value_rows(
            KPIValue.objects.filter(evaluation=ev)
            .exclude(status="empty")
            .order_by("kpi__position", "data_point")
        )
    )
    data = EvaluationOut.from_orm(ev).dict()
    data["values"] = ev_values
    return data


class ValueIn(Schema):
    kpi_code: str
    data_point: str = ""
    status: str = "reported"
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    unit: str = ""
    source: str = ""
    quality: int | None = None
    notes: str = ""
    expected_version: int | None = Field(
        None, description="the version you read; the write is refused if it changed since"
    )


class WriteIn(Schema):
    values: list[ValueIn] = Field(..., max_length=5000)
    reason: str = ""
    dry_run: bool = False


class ProblemOut(Schema):
    ref: str
    kpi_code: str
    data_point: str
    field: str
    code: str
    severity: str
    message: str
    expected: str = ""
    given: str = ""


class WriteOut(Schema):
    written: bool
    created: int
    updated: int
    unchanged: int
    would_create: int = Field(0, description="refused: new values the inputs without errors give")
    would_update: int = Field(0, description="refused: values the inputs without errors change")
    would_be_unchanged: int = Field(
        0, description="refused: values the inputs without errors leave as they are"
    )
    problems: list[ProblemOut]


@router.post(
    "/{city}/{year}/values",
    auth=WRITE_AUTH,
    response={200: WriteOut, 422: WriteOut, 403: ErrorBody, 404: ErrorBody},
    summary="Write values of a city-year (all or nothing)",
)
def write_values(request: HttpRequest, city: str, year: Year, payload: WriteIn) -> Any:
    from u4ssc.apps.organisations.models import Organisation, OrgKind

    org = get_object_or_404(Organisation, slug=city, kind=OrgKind.CITY)
    if not can(request.user, Action.EDIT, org):
        raise PermissionDenied("you may not change this city's data")
    inputs = [
        actions.ValueInput(
            city_id=org.id,
            year=year,
            ref=f"values[{i}]",
            **v.dict(),
        )
        for i, v in enumerate(payload.values)
    ]
    result = actions.apply_entries(
        actor=request.user,
        inputs=inputs,
        channel="api",
        reason=payload.reason,
        dry_run=payload.dry_run,
    )
    body = {
        "written": result.written,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "would_create": result.would_create,
        "would_update": result.would_update,
        "would_be_unchanged": result.would_be_unchanged,
        "problems": [
            p.as_dict()
            | {"ref": p.ref, "kpi_code": p.kpi_code, "data_point": p.data_point, "field": p.field}
            for p in result.problems
        ],
    }
    return Status(200 if result.ok else 422, body)


class StepIn(Schema):
    comment: str = ""
    attestation: str = ""


@router.post(
    "/{city}/{year}/workflow/{step}",
    auth=WRITE_AUTH,
    response={200: EvaluationOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody},
    summary="Move a city-year through the workflow: submit, start-review, return, verify, publish",
)
def workflow_step(request: HttpRequest, city: str, year: Year, step: str, payload: StepIn) -> Any:
    ev = _visible(request, city, year)
    steps = {
        "submit": lambda: actions.submit_evaluation(
            actor=request.user, evaluation=ev, comment=payload.comment
        ),
        "start-review": lambda: actions.start_review(actor=request.user, evaluation=ev),
        "return": lambda: actions.return_evaluation(
            actor=request.user, evaluation=ev, comment=payload.comment
        ),
        "verify": lambda: actions.verify_evaluation(
            actor=request.user, evaluation=ev, attestation=payload.attestation
        ),
        "publish": lambda: actions.publish_evaluation(actor=request.user, evaluation=ev),
    }
    if step not in steps:
        raise Http404(f"unknown step {step!r}; one of {', '.join(steps)}")
    try:
        steps[step]()
    except actions.WorkflowError as exc:
        raise HttpError(409, str(exc)) from exc
    ev.refresh_from_db()
    return Status(200, ev)


# ---------------------------------------------------------------- review (verifiers)
# The review page's steps for scripts: the same actions (and so the same permission layer:
# Action.REVIEW, never on one's own city) and the same rules. Returning the year to the
# city is the workflow step "return" above.


class FieldChangeOut(Schema):
    field: str = Field(..., description="the value's field, e.g. value, source, quality")
    before: str = Field(..., description="as the verifier last saw it")
    after: str = Field(..., description="as it is now")


class WarningOut(Schema):
    code: str
    message: str
    acknowledged: str | None = Field(
        None, description="the city's reason, when it acknowledged the warning for this figure"
    )


class ReviewValueOut(Schema):
    id: int = Field(..., description="the value's id, for the review endpoints")
    kpi_code: str
    kpi_name: str
    data_point: str
    status: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    source: str
    quality: int | None
    notes: str
    version: int
    review_status: str = Field(..., description="pending, accepted or returned")
    review_comment: str
    reviewed_version: int | None = Field(
        None, description="the version the verifier last accepted or returned"
    )
    verified_quality: int | None
    changed_since_review: list[FieldChangeOut] = Field(
        ..., description="fields the city changed since the verifier last reviewed the value"
    )
    warnings: list[WarningOut]


def _review_out(row: queries.SheetRow) -> dict[str, Any]:
    v = row.value
    assert v is not None
    return {
        "id": v.id,
        "kpi_code": row.kpi.code,
        "kpi_name": row.kpi.name,
        "data_point": v.data_point,
        "status": v.status,
        "value": v.value,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "unit": v.unit,
        "source": v.source,
        "quality": v.quality,
        "notes": v.notes,
        "version": v.version,
        "review_status": v.review_status,
        "review_comment": v.review_comment,
        "reviewed_version": v.reviewed_version,
        "verified_quality": v.verified_quality,
        "changed_since_review": [
            {"field": c.field, "before": c.before, "after": c.after} for c in row.since_review
        ],
        "warnings": [
            {
                "code": i.get("code", ""),
                "message": i.get("message", ""),
                "acknowledged": row.acknowledged[i["code"]].reason
                if i.get("code") in row.acknowledged
                else None,
            }
            for i in v.issues
            if i.get("severity") == "warning"
        ],
    }


def _reviewable(request: HttpRequest, city: str, year: int) -> Evaluation:
    """The city-year, if the caller may see it (404 otherwise) and review it (403)."""
    ev = _visible(request, city, year)
    require(request.user, Action.REVIEW, ev)
    return ev


@router.get(
    "/{city}/{year}/review",
    auth=WRITE_AUTH,
    response={200: list[ReviewValueOut], 401: ErrorBody, 403: ErrorBody, 404: ErrorBody},
    summary="The values a verifier reviews, with their review state",
    description=(
        "Every stored value of the city-year in sheet order, as the review page shows it: "
        "the figure, source, grade and notes, the warnings with the city's reasons, and "
        "what changed since the verifier last reviewed it. For a verifier of the city's "
        "programme (403 otherwise)."
    ),
)
def review_values(request: HttpRequest, city: str, year: Year) -> Any:
    ev = _reviewable(request, city, year)
    rows = [r for g in queries.sheet(ev) for r in g.rows if r.value is not None]
    return [_review_out(r) for r in queries.with_review_changes(rows)]


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: str = Field("", max_length=2000, description="required to return")
    quality: int | None = Field(
        None, ge=1, le=6, description="the verified data-quality grade (default: the city's)"
    )


@router.post(
    "/{city}/{year}/review/values/{value_id}",
    auth=WRITE_AUTH,
    response={
        200: ReviewValueOut,
        401: ErrorBody,
        403: ErrorBody,
        404: ErrorBody,
        409: ErrorBody,
        422: ErrorBody,
    },
    summary="Accept one value, or return it to the city with a comment",
    description=(
        "While the city-year is in review (409 otherwise). Accepting records the version "
        "accepted and the verified grade; returning needs a comment. The verifier never "
        "changes the value itself."
    ),
)
def review_one_value(
    request: HttpRequest, city: str, year: Year, value_id: Id, payload: ReviewIn
) -> Any:
    ev = _reviewable(request, city, year)
    value = get_object_or_404(KPIValue.objects.select_related("kpi"), pk=value_id, evaluation=ev)
    try:
        actions.review_value(
            actor=request.user,
            value=value,
            accept=payload.decision == "accept",
            comment=payload.comment,
            quality=payload.quality,
        )
    except actions.WorkflowError as exc:
        raise HttpError(409, str(exc)) from exc
    (row,) = queries.with_review_changes([queries.sheet_row(ev, value.kpi, value.data_point)])
    return Status(200, _review_out(row))


class AcceptAllIn(Schema):
    comment: str = Field("", max_length=2000)
    value_ids: list[Id] | None = Field(
        None,
        max_length=5000,
        description=(
            "accept only these values (not yet accepted); by default every reported value "
            "not yet reviewed (values returned stay returned)"
        ),
    )


class AcceptAllOut(Schema):
    accepted: int = Field(..., description="how many values were accepted")
    remaining: int = Field(..., description="reported values still not accepted")


@router.post(
    "/{city}/{year}/review/accept-all",
    auth=WRITE_AUTH,
    response={200: AcceptAllOut, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody},
    summary="Accept every remaining value (or those named) in one step",
    description=(
        'As the review page\'s "Accept all remaining": each value keeps who accepted it, '
        "when, the comment and the city's grade as the verified one. While in review (409 "
        "otherwise)."
    ),
)
def accept_all(request: HttpRequest, city: str, year: Year, payload: AcceptAllIn) -> Any:
    ev = _reviewable(request, city, year)
    try:
        n = actions.accept_values(
            actor=request.user, evaluation=ev, value_ids=payload.value_ids, comment=payload.comment
        )
    except actions.WorkflowError as exc:
        raise HttpError(409, str(exc)) from exc
    remaining = (
        KPIValue.objects.filter(evaluation=ev, status=ValueStatus.REPORTED)
        .exclude(review_status=ReviewStatus.ACCEPTED)
        .count()
    )
    return Status(200, {"accepted": n, "remaining": remaining})
