"""Pages of imports and exports. Thin: parse, permit, act, render."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import Action, can, cities_where
from u4ssc.apps.evaluations.actions import EDITABLE_STATES
from u4ssc.apps.evaluations.messages import render_text
from u4ssc.apps.evaluations.models import Evaluation
from u4ssc.apps.evaluations.years import year_refusal
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer import actions, exports, queries
from u4ssc.apps.transfer.forms import ExportForm, UploadForm
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.apps.transfer.reports import ImportReport
from u4ssc.apps.transfer.workbook import build_workbook, generated_name
from u4ssc.core.catalogue import load_catalogue
from u4ssc.web.htmx import render_page

SEVERITIES = ("error", "warning", "info")


def _city(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrgKind.CITY)


def _upload(
    request: HttpRequest,
    form: UploadForm,
    city: Organisation | None = None,
    year: int | None = None,
) -> HttpResponse:
    data = form.cleaned_data
    upload = data["file"]
    run, _report = actions.import_file(
        actor=request.user,
        stream=upload,
        file_name=upload.name,
        profile=data.get("profile"),
        dry_run=data.get("dry_run", False),
        channel="web",
        city=city,
        year=year,
    )
    return redirect("transfer:report", pk=run.pk)


@login_required
def upload(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Upload a filled workbook, a long CSV or a mapped table for one city-year."""
    city = _city(slug)
    if not can(request.user, Action.EDIT, city):
        raise PermissionDenied(_("You may not change the data of this city."))
    refusal = year_refusal(year)
    if refusal is not None:
        return render(
            request,
            "transfer/upload.html",
            {"city": city, "year": year, "year_refused": render_text(refusal), "runs": []},
            status=404,
        )
    evaluation = Evaluation.objects.filter(city=city, year=year).first()
    locked = evaluation is not None and evaluation.state not in EDITABLE_STATES
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and not locked and form.is_valid():
        return _upload(request, form, city, year)
    return render(
        request,
        "transfer/upload.html",
        {
            "city": city,
            "year": year,
            "evaluation": evaluation,
            "locked": locked,
            "form": form,
            "runs": queries.runs_of(request.user, city=city),
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Import a file that names its cities and years (a long CSV or a mapped table)."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        return _upload(request, form)
    return render(
        request,
        "transfer/imports.html",
        {
            "form": form,
            # Only a city's data officers change its data (the permission matrix in
            # accounts.permissions); others may still check a file or find it unchanged.
            "edits_no_city": not cities_where(request.user, Action.EDIT),
            "runs": queries.runs_of(request.user, limit=20),
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        },
        status=422 if request.method == "POST" else 200,
    )


def workbook(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The data-collection workbook of a city-year, with its stored values filled in."""
    city = _city(slug)
    refusal = year_refusal(year)
    if refusal is not None:
        return HttpResponseNotFound(render_text(refusal), content_type="text/plain; charset=utf-8")
    evaluation = Evaluation.objects.filter(city=city, year=year).first()
    allowed = (
        can(request.user, Action.VIEW, evaluation)
        if evaluation is not None
        else can(request.user, Action.EDIT, city)
    )
    if not allowed:
        raise Http404
    buffer = io.BytesIO()  # about 50 kB
    build_workbook(
        city=city,
        year=year,
        values=queries.stored_values(city, year),
        catalogue=load_catalogue(),
        stream=buffer,
    )
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=generated_name(city, year),
        content_type=exports.CONTENT_TYPES["xlsx"],
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of one import: summary, errors, warnings, skipped rows."""
    run = get_object_or_404(
        ImportRun.objects.select_related("profile", "city", "started_by"), pk=pk
    )
    if not queries.can_see_run(request.user, run):
        raise Http404
    data = ImportReport.from_dict(run.report)
    show = request.GET.get("show", "")
    if show not in SEVERITIES:
        show = ""
    findings = [f for f in data.findings if not show or f.severity == show]
    return render_page(
        request,
        "transfer/report.html",
        {
            "run": run,
            "report": data,
            "summary": data.summary(),  # in the reader's language, from the counts
            "errors": data.errors,
            "warnings": data.warnings,
            "infos": data.infos,
            "findings": findings,
            "show": show,
            "again_url": _again_url(run),
        },
        partial="transfer/partials/findings.html",
    )


def _again_url(run: ImportRun) -> str:
    if run.city is not None and run.year is not None:
        return reverse("transfer:upload", args=[run.city.slug, run.year])
    return reverse("transfer:imports")


def download(request: HttpRequest) -> HttpResponse:
    """Published data as CSV, xlsx, JSON or a Data Package, for everyone."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a format: csv, xlsx, json or datapackage."))
        return redirect("home")
    data = form.cleaned_data
    try:
        scope = queries.export_scope(
            city=data["city"] or None, group=data["group"] or None, year=data["year"]
        )
    except queries.ScopeError as exc:
        raise Http404(str(exc)) from exc
    out, name, _count = exports.export_file(data["format"], scope)
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type=exports.CONTENT_TYPES[data["format"]],
    )
