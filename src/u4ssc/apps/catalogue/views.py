"""Pages of the KPI catalogue and the target sets (public; target sets editable by their
managers). Thin: parse, check permission, call a query or action, render."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from u4ssc.apps.accounts.permissions import Action, can, require
from u4ssc.apps.catalogue import actions, queries
from u4ssc.apps.catalogue.forms import NewTargetForm, TargetForm, TargetSetForm
from u4ssc.apps.catalogue.models import KPI, Target, TargetSet
from u4ssc.core.catalogue import (
    CSV_COLUMNS,
    catalogue_csv_rows,
    catalogue_records,
    load_catalogue,
)
from u4ssc.web.htmx import is_htmx

# The U4SSC classification of a KPI (the catalogue's ``type``).
KPI_TYPES = {
    "smart": gettext_lazy("smart"),
    "structural": gettext_lazy("structural"),
    "sustainable": gettext_lazy("sustainable"),
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
            "data_is_synthetic": queries.published_values_are_synthetic(row),
        },
    )


def target_sets(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/target_sets.html",
        {
            "sets": queries.target_sets(),
            "may_create": queries.target_set_owners(request.user).exists(),
        },
    )


@login_required
def new_target_set(request: HttpRequest) -> HttpResponse:
    """Create a target set for an organisation of one's own (works without JS)."""
    owners = queries.target_set_owners(request.user)
    if not owners.exists():
        raise PermissionDenied
    form = TargetSetForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_set = actions.create_target_set(
                actor=request.user,
                name=data["name"],
                owner=data["owner"],
                method=data["method"],
                description=data["description"],
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(
                request,
                _("The target set %(name)s was created. Add its targets.")
                % {"name": target_set.name},
            )
            return redirect("catalogue:target-set", slug=target_set.slug)
    status = 422 if form.is_bound else 200
    return render(request, "catalogue/new_target_set.html", {"form": form}, status=status)


def _target_set(slug: str) -> TargetSet:
    return get_object_or_404(queries.target_sets(), slug=slug)


def _row(target: Target, form: TargetForm | None = None, **extra: Any) -> dict[str, Any]:
    prefix = f"t{target.pk}"
    try:
        unit = load_catalogue().measurand(target.kpi.code, target.data_point).unit
    except LookupError:
        unit = target.kpi.unit
    return {
        "target": target,
        "unit": unit,
        "slug": kpi_slug(target.kpi.code),
        "form": form or TargetForm(initial=TargetForm.initial_for(target), prefix=prefix),
        "dom_id": f"target-{target.pk}",
        **extra,
    }


def _new_form(target_set: TargetSet, data: Any = None) -> NewTargetForm:
    return NewTargetForm(data, prefix="new", choices=queries.measurand_choices(without=target_set))


def _set_context(
    request: HttpRequest,
    target_set: TargetSet,
    *,
    override: dict[str, Any] | None = None,
    new_form: NewTargetForm | None = None,
    added: Target | None = None,
) -> dict[str, Any]:
    may_edit = can(request.user, Action.MANAGE_TARGETS, target_set)
    rows = []
    for target in queries.targets_of(target_set):
        if override is not None and override["target"].pk == target.pk:
            rows.append(override)
        else:
            rows.append(_row(target, saved=added is not None and added.pk == target.pk))
    context: dict[str, Any] = {
        "set": target_set,
        "rows": rows,
        "may_edit": may_edit,
        "history": queries.target_history(target_set),
    }
    if may_edit:
        context["new_form"] = new_form or _new_form(target_set)
    return context


def target_set_detail(request: HttpRequest, slug: str) -> HttpResponse:
    target_set = _target_set(slug)
    return render(request, "catalogue/target_set.html", _set_context(request, target_set))


@require_POST
def add_target(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a target to the set (htmx: answers with the refreshed editor)."""
    target_set = _target_set(slug)
    require(request.user, Action.MANAGE_TARGETS, target_set)
    form = _new_form(target_set, request.POST)
    added = None
    if form.is_valid():
        chosen = form.chosen()
        try:
            added = actions.set_target(
                actor=request.user,
                target_set=target_set,
                kpi=get_object_or_404(KPI, pk=chosen.kpi_id),
                data_point=chosen.data_point,
                new_only=True,
                **form.target_fields(),
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
    if added is not None and not is_htmx(request):
        messages.success(request, _("Target added for %(code)s.") % {"code": added.kpi.code})
        return redirect(reverse("catalogue:target-set", args=[slug]) + f"#target-{added.pk}")
    context = _set_context(request, target_set, new_form=None if added else form, added=added)
    context["added"] = added
    context["history_oob"] = added is not None
    if is_htmx(request):
        # The partial carries its errors; a 200 keeps browsers from logging a failed load.
        return render(request, "catalogue/partials/target_editor.html", context)
    return render(request, "catalogue/target_set.html", context, status=422)


def _owned_target(target_set: TargetSet, target_id: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("kpi", "target_set"), pk=target_id, target_set=target_set
    )


@require_POST
def save_target(request: HttpRequest, slug: str, target_id: int) -> HttpResponse:
    """Change one target (htmx: answers with its row)."""
    target_set = _target_set(slug)
    require(request.user, Action.MANAGE_TARGETS, target_set)
    target = _owned_target(target_set, target_id)
    form = TargetForm(request.POST, prefix=f"t{target.pk}")
    saved = False
    if form.is_valid():
        try:
            target = actions.set_target(
                actor=request.user,
                target_set=target_set,
                kpi=target.kpi,
                data_point=target.data_point,
                **form.target_fields(),
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            saved = True
    if saved and not is_htmx(request):
        messages.success(request, _("Saved the target for %(code)s.") % {"code": target.kpi.code})
        return redirect(reverse("catalogue:target-set", args=[slug]) + f"#target-{target.pk}")
    row = _row(target, None if saved else form, saved=saved)
    if is_htmx(request):
        context = {
            "set": target_set,
            "row": row,
            "may_edit": True,
            "history": queries.target_history(target_set),
            "history_oob": saved,
        }
        return render(request, "catalogue/partials/target_row.html", context)
    context = _set_context(request, target_set, override=row)
    return render(request, "catalogue/target_set.html", context, status=422)


@require_POST
def remove_target(request: HttpRequest, slug: str, target_id: int) -> HttpResponse:
    """Take a target out of the set (htmx: its row gives way to a note)."""
    target_set = _target_set(slug)
    require(request.user, Action.MANAGE_TARGETS, target_set)
    target = _owned_target(target_set, target_id)
    code = target.kpi.code
    actions.remove_target(actor=request.user, target=target)
    if not is_htmx(request):
        messages.success(request, _("Removed the target for %(code)s.") % {"code": code})
        return redirect("catalogue:target-set", slug=slug)
    context = {
        "set": target_set,
        "code": code,
        "history": queries.target_history(target_set),
        "history_oob": True,
    }
    return render(request, "catalogue/partials/target_removed.html", context)
