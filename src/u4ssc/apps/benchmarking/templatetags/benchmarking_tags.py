"""Template helpers of the benchmarking pages, and the benchmarking blocks other apps'
pages include (the city page's KPI data, the catalogue KPI page's data link)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from u4ssc.apps.benchmarking.labels import short_number

register = template.Library()

# As django.utils.html.json_script: a spec can hold any text (city names, units).
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def vega_chart(spec: dict[str, Any] | None, chart_id: str, css_class: str = "") -> SafeString:
    """A chart container and its spec; the platform's Vega bundle draws every one of them
    on load and after htmx swaps. The container is an image described by the spec's
    description; the data table beside it carries the numbers.

    ``css_class`` "fit": the chart scales down to the column (a phone); "scroll": it keeps
    its size and scrolls inside its box, which the keyboard can then focus."""
    if not spec:
        return mark_safe("")
    payload = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    focus = mark_safe(' tabindex="0"') if "scroll" in css_class.split() else ""
    return format_html(
        '<div id="{}" class="chart {}" role="img" aria-label="{}"{}></div>'
        '<script type="application/json" data-vega-spec="{}">{}</script>',
        chart_id,
        css_class,
        spec.get("description", ""),
        focus,
        chart_id,
        mark_safe(payload),  # escaped above for a <script> element
    )


@register.filter
def band_class(band: Any) -> str:
    try:
        return f"band-{int(band)}"
    except (TypeError, ValueError):
        return "band-0"


@register.filter
def pct(value: Any) -> str:
    """A 0-100 score as people read it: 84.5 %, 100 %, 62.5 % (one decimal, halves up)."""
    if value is None:
        return "–"
    return f"{_decimal(short_number(float(value)))} %"


def _decimal(text: str) -> str:
    """A number written with a point, with the active language's decimal mark (92,9)."""
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


@register.filter
def score(value: Any, target_set: Any = None) -> str:
    """A 0-100 number as its method names it: U4SSC achievement is a percentage of the
    target ("84.5 %"); an SDSN score is a number of points out of 100 ("96.9"), not a
    percentage. ``target_set``: the *target set* shape of the query results."""
    if value is None:
        return "–"
    method = target_set.get("method") if isinstance(target_set, dict) else None
    if method == "sdsn":
        return _decimal(short_number(float(value)))
    return pct(value)


@register.simple_tag
def embed_code(url: str, title: str, size: Any) -> str:
    """The iframe code of a widget, for the snippet's textarea (escaped by the template)."""
    from u4ssc.apps.benchmarking.widgets import embed_code as code

    width, height = size
    return code(url, title, (int(width), int(height)))


@register.simple_tag
def method_link(method: str = "u4ssc", slug: str = "") -> SafeString:
    """A link to the method page, at ``method``'s section ("u4ssc" or "sdsn"), with the
    numbers of the target set ``slug`` when given (for other apps' pages, such as a target
    set's)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    url = reverse("benchmarking:method") + (f"?targets={slug}" if slug else "")
    anchor = "sdsn" if method == "sdsn" else "u4ssc"
    return format_html('<a href="{}#{}">{}</a>', url, anchor, _("How scores are computed"))


@register.inclusion_tag("benchmarking/partials/city_block.html", takes_context=True)
def city_benchmark(context: Any, city: Any) -> dict[str, Any]:
    """The city page's KPI data block: latest published year's overall score and links."""
    from u4ssc.apps.benchmarking import queries

    return {"org": city, "summary": queries.city_summary(city), "request": context.get("request")}


@register.inclusion_tag("benchmarking/partials/kpi_block.html")
def kpi_benchmark(kpi: Any) -> dict[str, Any]:
    """The catalogue KPI page's data block: how many cities report it, and a link."""
    from u4ssc.apps.benchmarking import queries

    target_set, _sets = queries.target_set_choice()
    overview = queries.kpi_overview(kpi.code, None, target_set)
    return {"kpi": kpi, "overview": overview, "slug": queries.kpi_slug(kpi.code)}


def _field(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name)
    return getattr(item, name, None)


@register.simple_tag
def band_chip(item: Any) -> SafeString:
    """``{% band_chip item %}``: a band as swatch, dots and words (colour never alone).

    A tag rather than an included template: a profile has a chip per tile and data point,
    and 250 template includes cost its page about a third of its time (bench_profile).
    """
    return format_html(
        '<span class="band-chip band-{}"><span class="swatch" aria-hidden="true"></span>'
        '<span class="dots" aria-hidden="true">{}</span> {}</span>',
        _field(item, "band") or 0,
        _field(item, "band_icon") or "",
        _field(item, "band_label") or "",
    )
