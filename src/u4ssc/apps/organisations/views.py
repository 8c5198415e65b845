"""Pages of the organisations app. Thin: parse, check permission, call a query or action."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from u4ssc.apps.accounts.permissions import Action, can
from u4ssc.apps.organisations import actions, queries
from u4ssc.apps.organisations.forms import AddCityForm, OrganisationFilterForm, RegistrySearchForm
from u4ssc.core import registry
from u4ssc.web.htmx import render_page

PAGE_SIZE = 50


def _forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render_page(
        request,
        "organisations/forbidden.html",
        {"message": message or _("You are not allowed to do this.")},
        status=403,
    )


def refusals_as_403_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer ``PermissionDenied`` from the permission layer with a 403 page of ours."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return _forbidden(request)

    return wrapper


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None, countries_in_use=queries.countries_in_use())
    filters = form.filters()
    page = Paginator(queries.filter_organisations(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "querystring": query.urlencode(),
        "may_add_cities": queries.may_add_cities(request.user),
    }
    return render_page(
        request,
        "organisations/list.html",
        context,
        partial="organisations/partials/list_results.html",
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = queries.organisation_detail(slug)
    if org is None:
        raise Http404(_("No such organisation."))
    language = (request.LANGUAGE_CODE or "en").split("-")[0]
    context: dict[str, Any] = {
        "org": org,
        "country_name": registry.country_name(org.country_code, language),
        "may_manage": can(request.user, Action.MANAGE_ORGANISATION, org),
    }
    if org.is_city:
        context["groups"] = queries.city_groups(org)
        context["data_is_synthetic"] = queries.published_data_is_synthetic(org)
        context["peer_groups"] = [
            (peer, list(peer.cities[:8]), peer.cities.count()) for peer in queries.peer_groups(org)
        ]
        return render_page(request, "organisations/city_detail.html", context)
    context["groups"] = list(org.groups.all())
    context["members"] = list(org.members.all())
    if org.is_group:
        context["cities"] = list(queries.member_cities(org))
    return render_page(request, "organisations/organisation_detail.html", context)


@login_required
@refusals_as_403_page
def add_city(request: HttpRequest) -> HttpResponse:
    """Search the registry, pick a place, choose its groups, save (works without JS)."""
    if not queries.may_add_cities(request.user):
        raise PermissionDenied
    search = RegistrySearchForm(request.GET if request.method == "GET" else request.POST)
    form = AddCityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            city = actions.add_city_from_registry(
                actor=request.user,
                geonames_id=form.cleaned_data["geonames_id"],
                groups=form.cleaned_data["groups"],
            )
        except ValidationError as exc:
            form.add_error("geonames_id", exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": city.name})
            return redirect(city)
    language = (request.LANGUAGE_CODE or "en").split("-")[0]
    places = search.results()
    registered = queries.registered_geonames_ids(c.geonames_id for c in places)
    context = {
        "search": search,
        "form": form,
        "results": [
            (c, registered.get(c.geonames_id), registry.country_name(c.country_code, language))
            for c in places
        ],
        "selected": str(form["geonames_id"].value() or ""),
        "searched": bool(search.is_valid() and search.cleaned_data["q"]),
    }
    return render_page(
        request,
        "organisations/add_city.html",
        context,
        partial="organisations/partials/registry_results.html",
    )
