"""``{% snapshot_downloads city year %}`` and ``{% national_downloads group %}``: the
report buttons any page (the benchmarking profile and programme view, a city's year, a
group's page) places with one line. ``targets=`` passes the target set the page shows (a
slug), so the report scores what the reader sees; without it the report takes the
default the page would."""

from __future__ import annotations

from typing import Any

from django import template

from u4ssc.apps.evaluations.models import Evaluation, State
from u4ssc.apps.organisations.queries import member_cities

register = template.Library()


@register.inclusion_tag("reports/partials/snapshot_downloads.html", takes_context=True)
def snapshot_downloads(
    context: dict[str, Any], city: Any, year: int | None, targets: str | None = None
) -> dict[str, Any]:
    """The City Snapshot buttons of ``city``'s ``year``, when that year is published."""
    show = (
        bool(year)
        and Evaluation.objects.filter(city=city, year=year, state=State.PUBLISHED).exists()
    )
    return {
        "show": show,
        "city": city,
        "year": year,
        "targets": targets or "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reports/partials/national_downloads.html", takes_context=True)
def national_downloads(
    context: dict[str, Any], group: Any, year: int | None = None, targets: str | None = None
) -> dict[str, Any]:
    """The national report buttons of ``group``, with the years any member city has
    published (``year`` chosen when given)."""
    years = sorted(
        set(
            Evaluation.objects.filter(city__in=member_cities(group), state=State.PUBLISHED)
            .order_by()
            .values_list("year", flat=True)
        ),
        reverse=True,
    )
    return {
        "group": group,
        "years": years,
        "selected": year if year in years else (years[0] if years else None),
        "targets": targets or "",
        "csrf_token": context.get("csrf_token"),
    }
