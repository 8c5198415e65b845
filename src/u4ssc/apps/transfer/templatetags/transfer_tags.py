"""``{% export_links %}``: download links of published data, for any page that shows a
city, a city-year or a group (programme, hub, national programme)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.translation import gettext as _

from u4ssc.apps.transfer.exports import FORMATS
from u4ssc.apps.transfer.forms import FORMAT_LABELS
from u4ssc.apps.transfer.queries import ExportScope, has_published

register = template.Library()


@register.inclusion_tag("transfer/partials/downloads.html")
def export_links(
    city: Any = None, year: int | None = None, group: Any = None, if_published: bool = False
) -> dict[str, Any]:
    """Links for the scope (this city-year and the city over all years, or the group).

    ``if_published``: show nothing when the scope has no published value (one query).
    """
    if if_published and not has_published(ExportScope(city=city, group=group, year=year)):
        return {"scopes": []}
    scopes = []
    if city is not None:
        if year is not None:
            scopes.append(
                (
                    _("%(city)s %(year)s") % {"city": city.name, "year": year},
                    {"city": city.slug, "year": year},
                )
            )
        scopes.append(
            (_("%(city)s, all published years") % {"city": city.name}, {"city": city.slug})
        )
    elif group is not None:
        if year is not None:
            scopes.append(
                (
                    _("%(group)s %(year)s") % {"group": group.name, "year": year},
                    {"group": group.slug, "year": year},
                )
            )
        scopes.append(
            (_("%(group)s, all cities and years") % {"group": group.name}, {"group": group.slug})
        )
    return {
        "scopes": [
            (
                label,
                [(str(FORMAT_LABELS[f]), urlencode({"format": f, **params})) for f in FORMATS],
            )
            for label, params in scopes
        ]
    }
