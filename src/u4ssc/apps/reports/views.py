"""Pages of reports: ask for one (POST, queues a task, goes to its progress page), and
download a built file (with the permission check of ``actions.may_download``)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from u4ssc.apps.reports import actions
from u4ssc.apps.reports.forms import ReportForm


def _language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "en").split("-")[0]


@require_POST
def request_snapshot(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    try:
        city = actions.find_city(slug)
        task_obj = actions.request_snapshot(
            actor=request.user,
            city=city,
            year=year,
            fmt=form.cleaned_data["format"],
            lang=_language(request),
            target_set=form.cleaned_data["targets"] or None,
        )
    except actions.ReportError as exc:
        raise Http404(str(exc)) from None  # an unpublished year does not exist for reports
    return redirect("tasks:status", task_obj.pk)


@require_POST
def request_national(request: HttpRequest, slug: str) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("year"):
        return HttpResponse(form.errors.as_text() or "year?", status=400, content_type="text/plain")
    try:
        group = actions.find_group(slug)
        task_obj = actions.request_national(
            actor=request.user,
            group=group,
            year=form.cleaned_data["year"],
            fmt=form.cleaned_data["format"],
            lang=_language(request),
            target_set=form.cleaned_data["targets"] or None,
        )
    except actions.ReportError as exc:
        raise Http404(str(exc)) from None
    return redirect("tasks:status", task_obj.pk)


@require_GET
def download(request: HttpRequest, file_id: str) -> HttpResponse:
    report = actions.open_stored(file_id)
    if report is None or not actions.may_download(request.user, report):
        raise Http404
    response = FileResponse(
        report.path.open("rb"),
        as_attachment=True,
        filename=actions.filename(report.meta),
        content_type=report.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
