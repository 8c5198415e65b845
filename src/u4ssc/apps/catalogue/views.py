"""Public pages of the KPI catalogue and the target sets."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.catalogue import queries
from u4ssc.apps.catalogue.models import KPI
from u4ssc.core.catalogue import (
    CSV_COLUMNS,
    catalogue_csv_rows,
    catalogue_records,
    load_catalogue,
)

# The U4SSC classification of a KPI (the catalogue's ``type``).
KPI_TYPES = {
    "smart": _("smart"),
    "structural": _("structural"),
    "sustainable": _("sustainable"),
}


def kpi_slug(code: str) -> str:
    return slugify(code.replace(":", " "))


def catalogue(request: HttpRequest) -> HttpResponse:
    cat = load_catalogue()
    dimension = request.GET.get("dimension", "").upper()
    level = request.GET.get("level", "")
    q = request.GET.get("q", "").strip().lower()
    kpis = list(cat.kpis)
    if dimension:
        kpis = [k for k in kpis if k.dimension_code == dimension]
    if level in {"core", "advanced"}:
        kpis = [k for k in kpis if k.level == level]
    if q:
        kpis = [
            k for k in kpis if q in k.name.lower() or q in k.name_nb.lower() or q in k.key.lower()
        ]
    fmt = request.GET.get("format")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        keys = {k.key for k in kpis}
        writer.writerows(r for r in catalogue_csv_rows(cat) if r["key"] in keys)
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="u4ssc-kpis-{cat.version}.csv"'
        return response
    if fmt == "json":
        keys = {k.key for k in kpis}
        body = {
            "version": cat.version,
            "kpis": [r for r in catalogue_records(cat) if r["key"] in keys],
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="u4ssc-kpis-{cat.version}.json"'
        return response
    rows = [(k, kpi_slug(k.code)) for k in kpis]
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "version": cat.version,
            "rows": rows,
            "dimension": dimension,
            "level": level,
            "q": q,
            "total": len(cat),
            "query_string": request.GET.urlencode(),
        },
    )


def kpi_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cat = load_catalogue()
    kpi = next((k for k in cat.kpis if kpi_slug(k.code) == slug), None)
    if kpi is None:
        raise Http404("no such KPI")
    row = get_object_or_404(KPI, key=kpi.key)
    targets = row.targets.select_related("target_set").order_by(
        "-target_set__is_default", "target_set__name"
    )
    return render(
        request,
        "catalogue/kpi.html",
        {
            "kpi": kpi,
            "kpi_type": KPI_TYPES.get(kpi.type, kpi.type),
            "row": row,
            "targets": targets,
            "measurands": kpi.measurands(),
        },
    )


def target_sets(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/target_sets.html", {"sets": queries.target_sets()})


def target_set_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ts = get_object_or_404(queries.target_sets(), slug=slug)
    targets = [(t, kpi_slug(t.kpi.code)) for t in queries.targets_of(ts)]
    return render(request, "catalogue/target_set.html", {"set": ts, "targets": targets})
