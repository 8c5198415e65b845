"""``{% snapshot_downloads city year %}`` and ``{% national_downloads group %}``: the
report buttons any page (the city profile, the programme view) places with one line."""

from __future__ import annotations

from typing import Any

from django import template

from u4ssc.apps.accounts.permissions import Action, can, cities_under
from u4ssc.apps.evaluations.models import Evaluation, State

register = template.Library()


@register.inclusion_tag("reports/partials/snapshot_downloads.html", takes_context=True)
def snapshot_downloads(context: dict[str, Any], city: Any, year: int) -> dict[str, Any]:
    evaluation = Evaluation.objects.filter(city=city, year=year).first()
    request = context.get("request")
    user = getattr(request, "user", None)
    show = evaluation is not None and (
        evaluation.state == State.PUBLISHED or can(user, Action.VIEW, evaluation)
    )
    return {
        "show": show,
        "city": city,
        "year": year,
        "published": evaluation is not None and evaluation.state == State.PUBLISHED,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reports/partials/national_downloads.html", takes_context=True)
def national_downloads(context: dict[str, Any], group: Any, year: int | None = None) -> dict:
    years = sorted(
        set(
            Evaluation.objects.filter(
                city_id__in=sorted(cities_under({group.id})), state=State.PUBLISHED
            ).values_list("year", flat=True)
        ),
        reverse=True,
    )
    return {
        "group": group,
        "years": years,
        "selected": year if year in years else (years[0] if years else None),
        "csrf_token": context.get("csrf_token"),
    }
