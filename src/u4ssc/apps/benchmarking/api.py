"""API of the benchmarking data: the same reads as the pages (``queries``), as JSON.

Published data only, open to everyone. Every endpoint takes ``targets`` (a target set
slug; default: as on the pages, the set of the national programme of the city, cities or
programme asked about, else the programme default) and answers
with the shapes documented in ``docs/benchmarking.md``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from u4ssc.apps.benchmarking import queries
from u4ssc.apps.organisations.models import GROUP_KINDS, Organisation, OrgKind

router = Router()


def _target_set(slug: str | None, owner: Organisation | list[Organisation] | None = None) -> Any:
    """The set named by ``slug``, else the default for ``owner`` as on the pages: a city's,
    several cities', or a national programme's national set, else the programme default."""
    try:
        return queries.target_set_choice(slug or None, owner=owner)[0]
    except LookupError:
        raise Http404(f"no target set {slug!r}") from None


def _city(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrgKind.CITY)


def _code(kpi: str) -> str:
    found = queries.kpi_by_slug(kpi)
    if found is not None:
        return found.code
    from u4ssc.core.catalogue import load_catalogue

    known = load_catalogue().find(kpi)
    if known is None:
        raise Http404(f"unknown KPI {kpi!r}")
    return known.code


@router.get(
    "/cities/{slug}/profile",
    summary="A city's benchmarking profile for a year: wheel, dimensions, KPI tiles",
)
def city_profile(
    request: HttpRequest, slug: str, year: int | None = None, targets: str | None = None
) -> Any:
    city = _city(slug)
    profile = queries.city_profile(city, year, _target_set(targets, city))
    if year is not None and not profile["has_data"]:
        raise Http404(f"no published data for {slug} in {year}")
    return profile


@router.get(
    "/cities/{slug}/explain",
    summary="How one score is computed: value, target, formula, points, band, trend inputs",
)
def explain(
    request: HttpRequest,
    slug: str,
    year: int,
    kpi: str,
    point: str | None = None,
    targets: str | None = None,
) -> Any:
    city = _city(slug)
    try:
        return queries.explain(city, year, _code(kpi), point, _target_set(targets, city))
    except LookupError as exc:
        raise Http404(str(exc)) from None


@router.get("/cities/{slug}/history", summary="One KPI of a city over the years")
def history(request: HttpRequest, slug: str, kpi: str, targets: str | None = None) -> Any:
    city = _city(slug)
    return queries.kpi_history(city, _code(kpi), _target_set(targets, city))


@router.get(
    "/kpis/{kpi}",
    summary="Every city's value of a KPI, distribution and ranking (within a peer group)",
)
def kpi_overview(
    request: HttpRequest,
    kpi: str,
    year: int | None = None,
    city: str | None = None,
    peers: str | None = None,
    group: str | None = None,
    point: str | None = None,
    targets: str | None = None,
) -> Any:
    chosen = queries.resolve_cities([city]) if city else []
    highlight = chosen[0] if chosen else None
    selection = None
    owner = highlight
    if group:
        owner = get_object_or_404(Organisation, slug=group, kind__in=GROUP_KINDS)
        selection = queries.peers_in_group(owner)
    elif highlight is not None and peers in queries.PEER_KEYS:
        selection = queries.peers_of(highlight, peers or "")
    try:
        return queries.kpi_overview(
            _code(kpi),
            year,
            _target_set(targets, owner),
            city=highlight,
            peers=selection,
            data_point=point,
        )
    except LookupError as exc:
        raise Http404(str(exc)) from None


@router.get("/compare", summary="Two to six cities side by side")
def compare(
    request: HttpRequest,
    cities: list[str] = Query(...),  # noqa: B008 - ninja's way to read a repeated parameter
    year: int | None = None,
    targets: str | None = None,
) -> Any:
    found = queries.resolve_cities(cities)
    if not 2 <= len(found) <= 6:
        from ninja.errors import HttpError

        raise HttpError(422, "compare two to six known cities")
    return queries.compare(found, year, _target_set(targets, found))


@router.get(
    "/programmes/{slug}",
    summary="A programme's cities: heatmap, shared opportunities, progress over the years",
)
def programme(
    request: HttpRequest, slug: str, year: int | None = None, targets: str | None = None
) -> Any:
    group = get_object_or_404(Organisation, slug=slug, kind__in=GROUP_KINDS)
    return queries.programme_view(group, year, _target_set(targets, owner=group))
