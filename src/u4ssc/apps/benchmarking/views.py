"""Benchmarking pages. Thin: parse, call one query, build the charts, render.

Every page shows published data only (see ``docs/benchmarking.md``), so no permission
check is needed beyond that. ``?format=csv`` downloads the data behind a page's charts.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from u4ssc.apps.benchmarking import charts, queries, tables, widgets
from u4ssc.apps.organisations.models import GROUP_KINDS, Organisation, OrgKind
from u4ssc.core.catalogue import load_catalogue
from u4ssc.web.htmx import render_page

MAX_COMPARED = 6


# ------------------------------------------------------------------ parsing


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "").strip()
    return int(text) if text.isdigit() else None


Owner = Organisation | list[Organisation] | None


def _target_set(request: HttpRequest, owner: Owner = None) -> tuple[Any, Any]:
    """The chosen set (``?targets=``), else the default for ``owner``: a city's, or a
    national programme's, national set (``queries.target_set_choice``)."""
    try:
        return queries.target_set_choice(request.GET.get("targets") or None, owner=owner)
    except LookupError:
        raise Http404(_("No such target set.")) from None


def _city(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrgKind.CITY)


def _kpi(slug: str) -> Any:
    kpi = queries.kpi_by_slug(slug)
    if kpi is None:
        raise Http404(_("No such KPI."))
    return kpi


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _base_context(
    request: HttpRequest, target_set: Any, sets: Any, owner: Owner = None
) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("targets", None)
    query.pop("format", None)
    chosen = bool(request.GET.get("targets"))
    return {
        "target_note": "" if chosen else queries.default_note(target_set, owner),
        "target_set_options": queries.target_set_options(sets),
        "selected_targets": target_set.slug if target_set is not None else "",
        "keep_query": [(k, v) for k in query for v in query.getlist(k)],
        "csv_query": _with(request, format="csv"),
    }


def _with(request: HttpRequest, **changes: Any) -> str:
    """The current query string with ``changes`` (``None`` removes a key)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


# ------------------------------------------------------------------ index


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Where to start: pick a city, a KPI, a programme, or compare cities."""
    chosen = request.GET.get("city", "").strip()
    if chosen:
        found = queries.resolve_cities([chosen])
        if found:
            return redirect("benchmarking:profile", slug=found[0].slug)
    target_set, _sets = _target_set(request)
    groups = Organisation.objects.filter(
        kind__in=[OrgKind.NATIONAL_PROGRAMME, OrgKind.HUB, OrgKind.PROGRAMME]
    ).order_by("kind", "name")
    cities = queries.cities_with_data(target_set)
    context = {
        "cities": cities,
        "is_synthetic": any(c["is_synthetic"] or c["synthetic_values"] for c in cities),
        "kpis": [(k, queries.kpi_slug(k.code)) for k in load_catalogue().kpis],
        "groups": groups,
        "not_found": bool(chosen),
        "chosen": chosen,
    }
    return render_page(request, "benchmarking/index.html", context)


# ------------------------------------------------------------------ method


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    """How scores are computed: the page form of ``docs/methods/scoring.md``, with the
    numbers of the chosen target set's method (``?targets=``) or the defaults."""
    slug = request.GET.get("targets") or None
    target_set = None
    if slug:
        target_set, _sets = _target_set(request)
    context = {"numbers": queries.method_numbers(target_set)}
    return render_page(request, "benchmarking/method.html", context)


# ------------------------------------------------------------------ city profile


def _profile_context(request: HttpRequest, city: Organisation, year: int | None) -> Any:
    target_set, sets = _target_set(request, owner=city)
    profile = queries.city_profile(city, year, target_set)
    return profile, {**_base_context(request, target_set, sets, city), "profile": profile}


@require_GET
def profile(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    """A city's benchmarking profile for a year (the latest published by default)."""
    city = _city(slug)
    year = year if year is not None else _year(request)
    data, context = _profile_context(request, city, year)
    if year is not None and not data["has_data"] and data["years"]:
        raise Http404(_("No published data for this year."))
    if _wants_csv(request):
        if request.GET.get("table") == "wheel":
            return tables.csv_response(tables.wheel_rows(data), city.slug, data["year"], "wheel")
        return tables.csv_response(tables.profile_rows(data), city.slug, data["year"])
    _add_embed_codes(request, data, context["selected_targets"])
    context.update(
        city=city,
        copied_text=_("Copied."),
        copy_failed_text=_("Could not copy: select the code and copy it yourself."),
        # the page lists the bands above the wheel: a legend beside it would only make the
        # chart wider than a phone (it scales to the column)
        wheel=charts.wheel_chart(data, legend=False) if data["has_data"] else None,
        wheel_rows=tables.wheel_rows(data) if data["has_data"] else [],
        tiles_by_dimension=_tiles_by_dimension(data),
        peer_options=queries.peer_options(city),
        csv_wheel=_with(request, format="csv", table="wheel"),
        wheel_frame=widgets.WHEEL_FRAME,
        embed_wheel=request.build_absolute_uri(
            reverse("benchmarking:embed-wheel", args=[city.slug])
            + (f"?targets={context['selected_targets']}" if context["selected_targets"] else "")
        ),
    )
    return render_page(
        request,
        "benchmarking/profile.html",
        context,
        partial="benchmarking/partials/profile_body.html",
    )


def _add_embed_codes(request: HttpRequest, data: dict[str, Any], targets: str) -> None:
    """Each tile's iframe code (``tile["embed_code"]``), sized by ``widgets.tile_frame``."""
    city = data["city"]
    query = f"?targets={targets}" if targets else ""
    for tile in data["tiles"]:
        url = request.build_absolute_uri(
            reverse("benchmarking:embed-tile", args=[city["slug"], tile["slug"]]) + query
        )
        tile["embed_code"] = widgets.embed_code(
            url, f"{tile['name']} · {city['name']}", widgets.tile_frame(tile)
        )


def _tiles_by_dimension(data: dict[str, Any]) -> list[tuple[dict[str, Any], list[Any], list[Any]]]:
    """Per dimension: its scored tiles, and the reported KPIs it could not score."""
    groups = []
    for dim in data["dimensions"]:
        tiles = [t for t in data["tiles"] if t["dimension_code"] == dim["dimension_code"]]
        if tiles:
            scored = [t for t in tiles if t["band"]]
            groups.append((dim, scored, [t for t in tiles if not t["band"]]))
    return groups


@require_GET
def working(request: HttpRequest, slug: str, year: int, kpi: str) -> HttpResponse:
    """How one tile's score is computed (an htmx partial inside the tile, or a page)."""
    city = _city(slug)
    definition = _kpi(kpi)
    target_set, sets = _target_set(request, owner=city)
    try:
        data = queries.explain(
            city, year, definition.code, request.GET.get("point") or None, target_set
        )
    except LookupError:
        raise Http404(_("No published value to explain.")) from None
    context = {**_base_context(request, target_set, sets, city), "city": city, "working": data}
    return render_page(
        request,
        "benchmarking/working.html",
        context,
        partial="benchmarking/partials/working.html",
    )


@require_GET
def history(request: HttpRequest, slug: str, kpi: str) -> HttpResponse:
    """One KPI of one city over the years."""
    city = _city(slug)
    definition = _kpi(kpi)
    target_set, sets = _target_set(request, owner=city)
    data = queries.kpi_history(city, definition.code, target_set)
    if _wants_csv(request):
        return tables.csv_response(tables.history_rows(data), city.slug, definition.code)
    context = {
        **_base_context(request, target_set, sets, city),
        "city": city,
        "history": data,
        "chart": charts.history_chart(data) if data["series"] else None,
        "rows": tables.history_rows(data),
        "is_synthetic": any(r["synthetic"] == "yes" for r in tables.history_rows(data)),
    }
    return render_page(request, "benchmarking/history.html", context)


# ------------------------------------------------------------------ KPI page


@require_GET
def kpi_page(request: HttpRequest, kpi: str) -> HttpResponse:
    """Every city's value of a KPI, its distribution, a map and a ranking in a peer group."""
    definition = _kpi(kpi)
    city = None
    chosen = request.GET.get("city", "").strip()
    if chosen:
        found = queries.resolve_cities([chosen])
        city = found[0] if found else None
    peers = None
    peer_key = request.GET.get("peers", "")
    group_slug = request.GET.get("group", "")
    owner: Organisation | None = city
    if group_slug:
        group = get_object_or_404(Organisation, slug=group_slug, kind__in=GROUP_KINDS)
        peers = queries.peers_in_group(group)
        owner = group
    elif city is not None and peer_key in queries.PEER_KEYS:
        peers = queries.peers_of(city, peer_key)
    target_set, sets = _target_set(request, owner=owner)
    try:
        data = queries.kpi_overview(
            definition.code,
            _year(request),
            target_set,
            city=city,
            peers=peers,
            data_point=request.GET.get("point") or None,
        )
    except LookupError:
        raise Http404(_("No such data point.")) from None
    if _wants_csv(request):
        return tables.csv_response(
            tables.overview_rows(data), definition.code, data["data_point"], data["year"]
        )
    has_rows = bool(data["rows"])
    context = {
        **_base_context(request, target_set, sets, owner),
        "kpi": definition,
        "overview": data,
        "city": city,
        "city_text": chosen,
        "peer_key": peer_key if peers is not None else "",
        "peer_options": queries.peer_options(city) if city is not None else [],
        "group_slug": group_slug,
        "all_cities": queries.cities_with_data(target_set),
        "distribution": charts.distribution_chart(data) if has_rows else None,
        "map": charts.map_chart(data) if has_rows else None,
        "ranking": charts.ranking_chart(data) if data["ranking"] else None,
        "rows": tables.overview_rows(data),
        "is_synthetic": any(r["is_synthetic"] for r in data["rows"]),
        "catalogue_url": reverse("catalogue:kpi", args=[kpi]),
    }
    return render_page(request, "benchmarking/kpi.html", context)


# ------------------------------------------------------------------ comparison


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Two to six cities side by side; ``?city=X&peers=key`` starts from X's peer group."""
    wanted = [s.strip() for s in request.GET.getlist("cities") if s.strip()]
    anchor_text = request.GET.get("city", "").strip()
    peer_key = request.GET.get("peers", "")
    error = ""
    anchor = None
    if anchor_text:
        found = queries.resolve_cities([anchor_text])
        anchor = found[0] if found else None
    # the default set: the anchor's when comparing it with its peers, else the one of the
    # national programme all compared cities belong to (or the programme default)
    owner: Owner
    if anchor is not None and not wanted:
        owner = [anchor]
        target_set, sets = _target_set(request, owner=owner)
        if peer_key in queries.PEER_KEYS:
            wanted = [c.slug for c in _closest_peers(anchor, peer_key, target_set)]
        cities, missing = queries.find_cities(wanted)
    else:
        cities, missing = queries.find_cities(wanted)
        owner = list(cities)
        target_set, sets = _target_set(request, owner=owner)
    if missing:
        # a name in quotation marks, as the language writes them
        quoted = [_("“%(name)s”") % {"name": m} for m in missing]
        error = ngettext(
            "No city called %(names)s: check the name.",
            "No cities called %(names)s: check the names.",
            len(missing),
        ) % {"names": ", ".join(quoted)}
    if len(cities) > MAX_COMPARED:
        error = _("Compare at most %(n)s cities at a time.") % {"n": MAX_COMPARED}
        cities = cities[:MAX_COMPARED]
    data = None
    if len(cities) >= 2:
        data = queries.compare(cities, _year(request), target_set)
    elif wanted and not error:
        error = _("Choose at least two cities to compare.")
    if data is not None and _wants_csv(request):
        return tables.csv_response(tables.compare_rows(data), "compare", data["year"])
    inputs = [c.slug for c in cities] + [""] * (MAX_COMPARED - len(cities))
    context = {
        **_base_context(request, target_set, sets, owner),
        "comparison": data,
        "chart": charts.compare_chart(data) if data and data["year"] else None,
        "inputs": inputs,
        "error": error,
        "all_cities": queries.cities_with_data(target_set),
        "anchor": anchor,
        "peer_options": queries.peer_options(anchor) if anchor is not None else [],
        "peer_key": peer_key,
    }
    return render_page(request, "benchmarking/compare.html", context)


def _closest_peers(city: Organisation, key: str, target_set: Any) -> list[Organisation]:
    """The city and up to five peers with published data, closest in population first."""
    peers = queries.peers_of(city, key)
    if peers is None:
        return [city]
    with_data = {c["id"] for c in queries.cities_with_data(target_set)}
    others = Organisation.objects.filter(id__in=peers.city_ids & with_data).exclude(pk=city.pk)
    population = city.population or 0
    ranked = sorted(others, key=lambda c: (abs((c.population or 0) - population), c.name, c.pk))
    return [city, *ranked[: MAX_COMPARED - 1]]


# ------------------------------------------------------------------ programme view


@require_GET
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """All cities of a national programme (or hub, country, the programme): heatmap,
    shared opportunities, progress."""
    group = get_object_or_404(Organisation, slug=slug, kind__in=GROUP_KINDS)
    target_set, sets = _target_set(request, owner=group)
    data = queries.programme_view(group, _year(request), target_set)
    if _wants_csv(request):
        part = request.GET.get("table", "heatmap")
        rows = {
            "opportunities": tables.opportunity_rows,
            "progress": tables.progress_rows,
        }.get(part, tables.heatmap_rows)(data)
        return tables.csv_response(rows, group.slug, part, data["year"])
    context = {
        **_base_context(request, target_set, sets, group),
        "group": group,
        "programme": data,
        "heatmap": charts.heatmap_chart(data) if data["heatmap"] else None,
        "progress": charts.progress_chart(data) if data["progress"] else None,
        "csv_opportunities": _with(request, format="csv", table="opportunities"),
        "csv_progress": _with(request, format="csv", table="progress"),
        "csv_heatmap": _with(request, format="csv", table="heatmap"),
    }
    return render_page(request, "benchmarking/programme.html", context)


# ------------------------------------------------------------------ widgets


def _frameable(response: HttpResponse) -> HttpResponse:
    # Widgets are meant for cities' own websites: any site may frame them (and only them;
    # every other page keeps X-Frame-Options: DENY).
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


@xframe_options_exempt
@require_GET
def embed_wheel(request: HttpRequest, slug: str) -> HttpResponse:
    """A city's benchmarking wheel as a page to put in an iframe."""
    city = _city(slug)
    target_set, _sets = _target_set(request, owner=city)
    data = queries.city_profile(city, _year(request), target_set)
    context = {
        "profile": data,
        "city": city,
        "wheel": (
            charts.wheel_chart(data, size=widgets.WHEEL_SIZE, legend=False)
            if data["has_data"]
            else None
        ),
        "page_url": request.build_absolute_uri(reverse("benchmarking:profile", args=[city.slug])),
    }
    return _frameable(render_page(request, "benchmarking/embed_wheel.html", context))


@xframe_options_exempt
@require_GET
def embed_tile(request: HttpRequest, slug: str, kpi: str) -> HttpResponse:
    """One KPI tile of a city's latest (or given) year, to put in an iframe."""
    city = _city(slug)
    definition = _kpi(kpi)
    target_set, _sets = _target_set(request, owner=city)
    data = queries.city_profile(city, _year(request), target_set)
    tile = next((t for t in data["tiles"] if t["kpi_code"] == definition.code), None)
    context = {
        "profile": data,
        "city": city,
        "tile": tile,
        "kpi": definition,
        "page_url": request.build_absolute_uri(reverse("benchmarking:profile", args=[city.slug])),
    }
    status = 200 if tile is not None else 404
    return _frameable(render_page(request, "benchmarking/embed_tile.html", context, status=status))
