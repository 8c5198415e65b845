"""API of imports and exports (mounted at ``/api/transfer/``)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from u4ssc.apps.accounts.permissions import Action, can
from u4ssc.apps.evaluations.years import year_refusal
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer import actions, exports, queries
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.web.api import WRITE_AUTH, ErrorBody, caller

router = Router()


class FindingOut(Schema):
    severity: str = Field(..., description="error (nothing written), warning or info")
    code: str
    message: str
    row: str = Field("", description='where: "row 12" or "sheet Data, row 12"')
    column: str = ""
    value: str = Field("", description="what the cell held")
    expected: str = ""
    kpi_code: str = ""
    data_point: str = ""


class ImportOut(Schema):
    id: int
    url: str = Field(..., description="the report page")
    outcome: str = Field(..., description="written, checked (dry run) or refused")
    summary: str
    file_name: str
    sha256: str
    kind: str = Field(..., description="workbook, long_csv or profile")
    profile: str
    dry_run: bool
    rows: int
    values: int
    created: int
    updated: int
    unchanged: int
    would_create: int = Field(0, description="refused: new values the rows without errors give")
    would_update: int = Field(0, description="refused: values the rows without errors change")
    would_be_unchanged: int = Field(
        0, description="refused: values the rows without errors leave as they are"
    )
    skipped: int
    errors: int
    warnings: int
    cities: list[str]
    years: list[int]
    findings: list[FindingOut]


def _out(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    data = dict(run.report)
    data["id"] = run.pk
    data["url"] = request.build_absolute_uri(reverse("transfer:report", args=[run.pk]))
    return data


@router.post(
    "/imports",
    auth=WRITE_AUTH,
    response={200: ImportOut, 422: ImportOut, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody},
    summary="Import a file: validated as a whole, then written all or nothing",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    profile: Form[str | None] = None,
    dry_run: Form[bool] = False,
    city: Form[str | None] = None,
    year: Form[int | None] = None,
) -> Any:
    """Upload a data-collection workbook, a long CSV, or a third-party table with the name
    of its import ``profile``. ``city`` and ``year`` (optional) restrict the import to one
    city-year, as the upload page of a city does. Answers the report: 200 when written (or
    checked with ``dry_run``), 422 when the file is refused and nothing was written."""
    chosen = None
    if profile:
        chosen = queries.find_profile(profile)
        if chosen is None:
            raise HttpError(422, f"unknown import profile {profile!r}")
    city_org = None
    if city:
        city_org = get_object_or_404(Organisation, slug=city, kind=OrgKind.CITY)
        if not can(request.user, Action.EDIT, city_org):
            raise PermissionDenied("you may not change this city's data")
    refusal = year_refusal(year) if year is not None else None
    if refusal is not None:
        raise HttpError(422, refusal.english())
    run, report = actions.import_file(
        actor=request.user,
        stream=file,
        file_name=file.name or "upload",
        profile=chosen,
        dry_run=dry_run,
        channel="api",
        city=city_org,
        year=year,
    )
    return Status(422 if report.refused else 200, _out(request, run))


@router.get(
    "/imports/{run_id}",
    response={200: ImportOut, 401: ErrorBody, 404: ErrorBody},
    summary="The report of an import you ran (or may see)",
)
def get_import(request: HttpRequest, run_id: int) -> Any:
    run = get_object_or_404(ImportRun, pk=run_id)
    if not queries.can_see_run(caller(request), run):
        raise Http404("no such import")
    return Status(200, _out(request, run))


class ProfileOut(Schema):
    slug: str
    name: str
    description: str
    file_format: str
    builtin: bool


@router.get("/profiles", response=list[ProfileOut], summary="Import profiles")
def list_profiles(request: HttpRequest) -> Any:
    return queries.profiles()


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "json", "datapackage"] = Field(
        ..., description="csv, xlsx, json or datapackage (a zip with datapackage.json)"
    )
    city: str | None = Field(None, description="a city's slug: that city only")
    group: str | None = Field(
        None, description="a programme, hub or national programme's slug: its cities"
    )
    year: int | None = Field(None, ge=1990, le=2100, description="one year only")


@router.get(
    "/exports",
    response={200: None, 404: ErrorBody, 422: ErrorBody},
    summary="Published values as a file (CSV, xlsx, JSON or Frictionless Data Package)",
)
def export(request: HttpRequest, params: Query[ExportQuery]) -> Any:
    """Every row carries its city, year, KPI, unit, source, data quality, verification
    and ``is_synthetic``. Without ``city`` or ``group``: every published value."""
    if params.city and params.group:
        raise HttpError(422, "give a city or a group, not both")
    try:
        scope = queries.export_scope(city=params.city, group=params.group, year=params.year)
    except queries.ScopeError as exc:
        raise Http404(str(exc)) from exc
    out, name, _count = exports.export_file(params.format, scope)
    return FileResponse(
        out, as_attachment=True, filename=name, content_type=exports.CONTENT_TYPES[params.format]
    )
