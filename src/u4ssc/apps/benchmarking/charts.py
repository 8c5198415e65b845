"""Vega-Lite chart specs of the benchmarking pages, built with Altair from query results.

Every function is pure: a dict from :mod:`u4ssc.apps.benchmarking.queries` in, a
Vega-Lite spec (a JSON-ready dict) out, with no database and no request. The pages embed
the specs and the browser draws them with the platform's own bundle
(``/assets/vega-bundle.js``); the reports render the same specs to SVG::

    import vl_convert
    svg = vl_convert.vegalite_to_svg(charts.wheel_chart(queries.city_profile(...)))

Colour never carries meaning alone: bands are also told by text (the legend's labels carry
the band's dots "●●●○"), by the number in each slice or cell, and by point shape on the
map; every chart has a data table beside it on the page. Chart texts come in the active
language (they are taken from the query results and from ``gettext``).

Building an Altair chart costs tens of milliseconds (it checks every piece against the
schema), too much for a page that must answer in 150 ms. So each chart's *skeleton* - its
marks, encodings, scales and titles, with named data sets instead of data - is built once
per set of labels and language (``functools.lru_cache``), and each call adds its rows
under the spec's top-level ``datasets``: the same spec, in well under a millisecond.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import altair as alt
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from u4ssc.apps.benchmarking import labels
from u4ssc.web.templatetags.u4ssc_tags import unit_label

# The band colours of site.css (--band-1 .. --band-4, --band-none); a test keeps them equal.
BAND_COLOURS = {0: "#9aa4ae", 1: "#d6402b", 2: "#f0b323", 3: "#7fb53c", 4: "#1e7b3c"}
BAND_SHAPES = {0: "cross", 1: "triangle-down", 2: "diamond", 3: "square", 4: "circle"}
INK, MUTED, LINE = "#1b1f24", "#4a5563", "#c9d1db"
# Lines of data points: Vega's "dark2" scheme, spelt out so that a target rule can take
# its line's colour.
SERIES = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
HIGHLIGHT = "#00558c"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"


def _config(chart: Any) -> dict[str, Any]:
    """The spec of ``chart`` with the platform's look."""
    spec: dict[str, Any] = (
        chart.configure(font=FONT, background="#ffffff")
        .configure_view(stroke=None)
        .configure_axis(labelColor=INK, titleColor=INK, gridColor="#e3e8ee", labelFontSize=11)
        .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=11, labelLimit=260)
        .to_dict(validate=False)
    )
    return spec


def _with_data(skeleton: dict[str, Any], description: str, **datasets: Any) -> dict[str, Any]:
    """A copy of a cached skeleton with its description and named data sets filled in."""
    return {**skeleton, "description": description, "datasets": datasets}


Bands = tuple[tuple[int, str, str], ...]


def _bands(bands: list[dict[str, Any]]) -> Bands:
    """The target set's band legend (``queries``' shape) as a hashable key."""
    return tuple((int(b["band"]), str(b["label"]), str(b["icon"])) for b in bands)


def _band_scale(bands: Bands) -> alt.Scale:
    """Legend labels best band first ("●●●● 95 %+ of target" ...) and their colours."""
    domain = [f"{icon} {label}" for _b, label, icon in bands] + [_("– not scored")]
    colours = [BAND_COLOURS[b] for b, _l, _i in bands] + [BAND_COLOURS[0]]
    return alt.Scale(domain=domain, range=colours)


def _band_key(entry: dict[str, Any], bands: list[dict[str, Any]]) -> str:
    band = int(entry.get("band") or 0)
    for b in bands:
        if int(b["band"]) == band:
            return f"{b['icon']} {b['label']}"
    return _("– not scored")


def _cached(fn: Any) -> Any:
    """Memoise a skeleton builder per arguments and active language."""
    cached = functools.lru_cache(maxsize=256)(lambda language, *args: fn(*args))

    @functools.wraps(fn)
    def wrapper(*args: Any) -> dict[str, Any]:
        return cached(get_language(), *args)  # type: ignore[no-any-return]

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper


_num_text = labels.short_number


# ------------------------------------------------------------------ city profile


@_cached
def _wheel_skeleton(bands: Bands, score_word: str, size: int, legend: bool) -> dict[str, Any]:
    # Room around the ring for the category names, written along the spokes.
    outer = size // 2 - _name_room(size)
    inner = int(outer * 0.55)
    core = int(outer * 0.22)
    colour = alt.Color(
        "band:N",
        scale=_band_scale(bands),
        title=_("Band"),
        # a widget shows the bands as text below the wheel: a legend beside it would
        # make the chart wider than the frame
        legend=alt.Undefined if legend else None,
    )
    base = alt.Chart(alt.NamedData("categories"))
    categories = base.mark_arc(outerRadius=outer, innerRadius=inner, stroke="#ffffff").encode(
        theta=alt.Theta("one:Q", stack=True),
        order=alt.Order("order:Q"),
        color=colour,
        tooltip=[
            alt.Tooltip("category:N", title=_("Category")),
            alt.Tooltip("band:N", title=_("Band")),
            alt.Tooltip("score:Q", title=score_word, format=".1f"),
            alt.Tooltip("scored:N", title=_("KPIs scored / with a target")),
        ],
    )
    # a small wheel's slices are narrow: smaller numbers keep "100" inside its slice
    digits = 11 if size >= 480 else 9
    numbers = base.mark_text(radius=(outer + inner) // 2, fontSize=digits, color=INK).encode(
        theta=alt.Theta("one:Q", stack=True),
        order=alt.Order("order:Q"),
        text="label:N",
    )
    ring = alt.Chart(alt.NamedData("dimensions"))
    dimensions = ring.mark_arc(outerRadius=inner - 4, innerRadius=core, stroke="#ffffff").encode(
        theta=alt.Theta("n:Q", stack=True),
        order=alt.Order("order:Q"),
        color=colour,
        tooltip=[
            alt.Tooltip("dimension:N", title=_("Dimension")),
            alt.Tooltip("band:N", title=_("Band")),
            alt.Tooltip("score:Q", title=score_word, format=".1f"),
        ],
    )
    dim_labels = ring.mark_text(radius=(inner + core) // 2, fontSize=digits, color=INK).encode(
        theta=alt.Theta("n:Q", stack=True),
        order=alt.Order("order:Q"),
        text="label:N",
    )
    names = [
        base.transform_filter(alt.datum.side == side)
        .mark_text(
            radius=outer + 6,
            fontSize=10,
            lineHeight=11,
            color=INK,
            align=align,
            baseline="middle",
        )
        .encode(
            # The slice's middle, in radians: a stacked theta would restart in each half.
            theta=alt.Theta("rad:Q", scale=None),
            angle=alt.Angle("angle:Q", scale=None),
            text="lines:N",
        )
        for side, align in (("right", "left"), ("left", "right"))
    ]
    chart = (
        alt.layer(categories, numbers, *names, dimensions, dim_labels)
        .resolve_scale(theta="independent")
        .properties(width=size, height=size)
    )
    return _config(chart)


def wheel_chart(profile: dict[str, Any], *, size: int = 560, legend: bool = True) -> dict[str, Any]:
    """The U4SSC benchmarking wheel: categories around the circle coloured by band, the
    three dimensions as an inner ring; each slice shows its percentage (from
    ``queries.city_profile``). The chart is ``size`` pixels square, plus the band legend
    on its right unless ``legend`` is false (the widget lists the bands below it).
    Category names are written in full along the spokes, on two lines where long."""
    bands = profile["target_set"]["bands"]
    n = max(len(profile["wheel"]), 1)
    categories = [
        {
            "order": order,
            "category": cat["name"],
            "lines": _name_lines(cat["name"], max(NAME_LINE, _name_room(size) // 6)),
            **_spoke(order, n),
            "dimension": cat["dimension_code"],
            "band": _band_key(cat, bands),
            "score": cat["score"],
            "label": _num_text(cat["score"]),
            "scored": f"{cat['kpis_scored']} / {cat['kpis_with_target']}",
            "one": 1,
        }
        for order, cat in enumerate(profile["wheel"])
    ]
    dimensions = [
        {
            "order": order,
            "dimension": dim["name"],
            "band": _band_key(dim, bands),
            "score": dim["score"],
            "label": f"{dim['dimension_code']} {_num_text(dim['score'])}",
            "n": sum(len(s["categories"]) for s in dim["subdimensions"]),
        }
        for order, dim in enumerate(profile["dimensions"])
    ]
    description = _(
        "Benchmarking wheel of %(city)s, %(year)s: %(n)s categories around the circle, "
        "coloured by band; the inner ring shows the three dimensions."
    ) % {"city": profile["city"]["name"], "year": profile["year"], "n": len(categories)}
    skeleton = _wheel_skeleton(_bands(bands), profile["target_set"]["score_word"], size, legend)
    return _with_data(skeleton, description, categories=categories, dimensions=dimensions)


# Characters of a category name's line along a spoke: the longest names of both languages
# ("Public Space and Nature", "Offentlige rom og natur", "IKT-infrastruktur") break into
# lines of at most 14.
NAME_LINE = 14


def _name_room(size: int) -> int:
    """Pixels between the ring and the chart's edge for the names: 14 characters of 10 px
    text (about 6 px each) and the gap."""
    return max(size // 5, 96)


def _name_lines(name: str, limit: int = NAME_LINE) -> list[str]:
    """A category name as one line, or two broken at the space (or hyphen) that balances
    them best; a line still longer than ``limit`` is shortened with "…" (no name of the
    catalogue needs it)."""
    if len(name) <= limit:
        return [name]
    breaks = [i + 1 for i, ch in enumerate(name) if ch in " -"]
    if not breaks:
        return [_shorten(name, limit)]
    cut = min(breaks, key=lambda i: max(len(name[:i].rstrip()), len(name[i:])))
    return [_shorten(name[:cut].rstrip(), limit), _shorten(name[cut:].strip(), limit)]


def _shorten(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _spoke(order: int, n: int) -> dict[str, Any]:
    """Text angle (degrees, clockwise) and side for a name along slice ``order``'s spoke,
    so that names read outwards on the right half and inwards-to-outwards on the left."""
    theta = (order + 0.5) * 360.0 / n  # from 12 o'clock, clockwise, like the arcs
    rad = math.radians(theta)
    if theta <= 180:
        return {"angle": theta - 90, "side": "right", "rad": rad}
    return {"angle": theta + 90, "side": "left", "rad": rad}


@_cached
def _history_skeleton(bands: Bands, y_title: str, width: int) -> dict[str, Any]:
    del bands  # the band is in the tooltip text; the key keeps languages apart
    line = (
        alt.Chart(alt.NamedData("series"))
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=70))
        .encode(
            x=alt.X("year:O", title=_("Year")),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("series:N", title=_("Data point"), scale=alt.Scale(range=SERIES)),
            shape=alt.Shape("series:N", title=_("Data point")),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("series:N", title=_("Data point")),
                alt.Tooltip("value:Q", title=_("Value"), format=",.4~f"),
                alt.Tooltip("band:N", title=_("Band")),
            ],
        )
    )
    # one dashed rule per data point, in its line's colour, so that no data point seems
    # to be held to another's target. The colour is given with the data (scale=None): a
    # colour encoding shared with the lines would split their one legend of coloured
    # shapes into two.
    rule = (
        alt.Chart(alt.NamedData("target"))
        .mark_rule(strokeDash=[6, 4], strokeWidth=1.5)
        .encode(
            y="target:Q",
            color=alt.Color("colour:N", scale=None),
            tooltip=[
                alt.Tooltip("series:N", title=_("Data point")),
                alt.Tooltip("label:N", title=_("Target")),
            ],
        )
    )
    return _config(alt.layer(line, rule).properties(width=width, height=260))


def history_chart(history: dict[str, Any], *, width: int = 520) -> dict[str, Any]:
    """One KPI of one city over the years (from ``queries.kpi_history``): a line per data
    point and its target as a dashed rule in the line's colour (both ends of a range), for
    each data point shown that has a target."""
    kpi = history["kpi"]
    bands = history["target_set"]["bands"]
    rows = []
    for entry in history["series"]:
        tile = entry["tile"]
        for p in tile["data_points"] or [tile]:
            if p["value"] is None:
                continue
            rows.append(
                {
                    "year": entry["year"],
                    "value": p["value"],
                    "series": p.get("name") or kpi["name"],
                    "band": _band_key(p, bands),
                }
            )
    shown = {r["series"] for r in rows}
    target = []
    for t in history["targets"]:
        series = t["name"] or kpi["name"]
        if series not in shown or t["target"] is None:
            continue
        ends = (
            [t["target"]["low"], t["target"]["high"]]
            if isinstance(t["target"], dict)
            else [t["target"]]
        )
        label = f"{t['target_text']} {unit_label(t['unit'])}".strip()
        # the colour the line of ``series`` gets: its place in the sorted names, as the
        # ordinal scale orders its domain
        colour = SERIES[sorted(shown).index(series) % len(SERIES)]
        target.extend(
            {"series": series, "target": float(x), "label": label, "colour": colour} for x in ends
        )
    description = _("%(kpi)s of %(city)s over the years") % {
        "kpi": kpi["name"],
        "city": history["city"]["name"],
    }
    skeleton = _history_skeleton(_bands(bands), f"{kpi['name']} ({unit_label(kpi['unit'])})", width)
    return _with_data(skeleton, description, series=rows, target=target)


# ------------------------------------------------------------------ KPI page


def _city_rows(overview: dict[str, Any]) -> list[dict[str, Any]]:
    bands = overview["target_set"]["bands"]
    return [
        {
            # a fixed vertical spread so that equal values do not hide each other (the
            # chosen city sits on the middle line)
            "jitter": 0.0 if r["highlighted"] else ((i * 7) % 13 - 6) / 8,
            "city": r["city"]["name"],
            "value": r["value"],
            "score": r["score"],
            "band": _band_key(r, bands),
            "shape": BAND_SHAPES[int(r["band"])],
            "chosen": bool(r["highlighted"]),
            "latitude": r["city"].get("latitude"),
            "longitude": r["city"].get("longitude"),
            "synthetic": _("synthetic") if r["is_synthetic"] else "",
        }
        for i, r in enumerate(overview["rows"])
    ]


def _target_rule(overview: dict[str, Any]) -> list[dict[str, float]]:
    target = overview.get("target")
    return [{"target": float(target)}] if isinstance(target, int | float) else []


@_cached
def _distribution_skeleton(bands: Bands, x_title: str, width: int) -> dict[str, Any]:
    x = alt.X("value:Q", title=x_title, scale=alt.Scale(zero=False, nice=True))
    box = (
        alt.Chart(alt.NamedData("cities"))
        .mark_boxplot(extent="min-max", color=LINE, size=40, opacity=0.7)
        .encode(x=x)
    )
    dots = (
        alt.Chart(alt.NamedData("cities"))
        .mark_point(filled=True, opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("jitter:Q", axis=None, scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color("band:N", scale=_band_scale(bands), title=_("Band")),
            shape=alt.Shape("shape:N", scale=None),
            size=alt.condition("datum.chosen", alt.value(280), alt.value(60)),
            tooltip=[
                alt.Tooltip("city:N", title=_("City")),
                alt.Tooltip("value:Q", title=_("Value"), format=",.4~f"),
                alt.Tooltip("band:N", title=_("Band")),
                alt.Tooltip("synthetic:N", title=_("Synthetic")),
            ],
        )
    )
    name = (
        alt.Chart(alt.NamedData("chosen"))
        .mark_text(dy=-18, fontWeight="bold", color=HIGHLIGHT)
        .encode(x="value:Q", y=alt.Y("jitter:Q", axis=None), text="city:N")
    )
    rule = (
        alt.Chart(alt.NamedData("target"))
        .mark_rule(strokeDash=[6, 4], color=INK)
        .encode(x="target:Q", tooltip=[alt.Tooltip("target:Q", title=_("Target"))])
    )
    return _config(alt.layer(box, dots, name, rule).properties(width=width, height=140))


def distribution_chart(overview: dict[str, Any], *, width: int = 560) -> dict[str, Any]:
    """Every city's value of a KPI as a dot along one axis, a box from the lowest to the
    highest value around the middle half, the target as a dashed rule, the chosen city
    larger and named (from ``queries.kpi_overview``)."""
    rows = _city_rows(overview)
    description = _("Distribution of %(kpi)s across %(n)s cities in %(year)s") % {
        "kpi": overview["kpi"]["name"],
        "n": len(rows),
        "year": overview["year"],
    }
    skeleton = _distribution_skeleton(
        _bands(overview["target_set"]["bands"]),
        f"{overview['kpi']['name']} ({unit_label(overview['unit'])})",
        width,
    )
    return _with_data(
        skeleton,
        description,
        cities=rows,
        chosen=[r for r in rows if r["chosen"]],
        target=_target_rule(overview),
    )


@_cached
def _map_skeleton(bands: Bands, width: int) -> dict[str, Any]:
    sphere = alt.Chart(alt.SphereGenerator(sphere=True)).mark_geoshape(fill="#f3f6f9", stroke=LINE)
    graticule = alt.Chart(alt.GraticuleGenerator(graticule={"step": [30, 30]})).mark_geoshape(
        stroke=LINE, strokeWidth=0.5, fill=None
    )
    points = (
        alt.Chart(alt.NamedData("cities"))
        .mark_point(filled=True, opacity=0.9, stroke=INK, strokeWidth=0.5)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            color=alt.Color("band:N", scale=_band_scale(bands), title=_("Band")),
            shape=alt.Shape("shape:N", scale=None),
            size=alt.condition("datum.chosen", alt.value(300), alt.value(60)),
            tooltip=[
                alt.Tooltip("city:N", title=_("City")),
                alt.Tooltip("value:Q", title=_("Value"), format=",.4~f"),
                alt.Tooltip("band:N", title=_("Band")),
            ],
        )
    )
    chart = (
        alt.layer(sphere, graticule, points)
        .project(type="equalEarth")
        .properties(width=width, height=int(width * 0.5))
    )
    return _config(chart)


def map_chart(overview: dict[str, Any], *, width: int = 620) -> dict[str, Any]:
    """Cities on a world graticule (Equal Earth projection, no base map: nothing is
    fetched), coloured and shaped by band, the chosen city larger (from
    ``queries.kpi_overview``)."""
    rows = [r for r in _city_rows(overview) if r["latitude"] is not None]
    description = _(
        "Map of %(n)s cities reporting %(kpi)s in %(year)s, each coloured and shaped by its band"
    ) % {"n": len(rows), "kpi": overview["kpi"]["name"], "year": overview["year"]}
    skeleton = _map_skeleton(_bands(overview["target_set"]["bands"]), width)
    return _with_data(skeleton, description, cities=rows)


@_cached
def _ranking_skeleton(bands: Bands, x_title: str, width: int, n: int) -> dict[str, Any]:
    bars = (
        alt.Chart(alt.NamedData("ranking"))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=alt.EncodingSortField("rank"), title=None),
            x=alt.X("measure:Q", title=x_title),
            color=alt.Color("band:N", scale=_band_scale(bands), title=_("Band")),
            stroke=alt.condition("datum.chosen", alt.value(HIGHLIGHT), alt.value(None)),
            strokeWidth=alt.condition("datum.chosen", alt.value(3), alt.value(0)),
            tooltip=[
                alt.Tooltip("label:N", title=_("City")),
                alt.Tooltip("value:Q", title=_("Value"), format=",.4~f"),
                alt.Tooltip("band:N", title=_("Band")),
            ],
        )
    )
    return _config(bars.properties(width=width, height=max(60, 18 * n)))


def ranking_chart(overview: dict[str, Any], *, width: int = 520) -> dict[str, Any]:
    """The ranking within the peer group as bars (score, or the value when the KPI has no
    target), best first, the chosen city outlined (from ``queries.kpi_overview``)."""
    bands = overview["target_set"]["bands"]
    scored = overview["scored"]
    rows = [
        {
            "label": f"{r['rank']}. {r['city']['name']}",
            "rank": r["rank"],
            "measure": r["score"] if scored else r["value"],
            "value": r["value"],
            "band": _band_key(r, bands),
            "chosen": bool(r["highlighted"]),
        }
        for r in overview["ranking"]
    ]
    x_title = (
        overview["target_set"]["score_word"]
        if scored
        else f"{overview['kpi']['name']} ({unit_label(overview['unit'])})"
    )
    description = _("Ranking of %(n)s cities on %(kpi)s") % {
        "n": len(rows),
        "kpi": overview["kpi"]["name"],
    }
    skeleton = _ranking_skeleton(_bands(bands), x_title, width, len(rows))
    return _with_data(skeleton, description, ranking=rows)


# ------------------------------------------------------------------ comparison


@_cached
def _compare_skeleton(
    bands: Bands, score_word: str, cities: tuple[str, ...], width: int
) -> dict[str, Any]:
    order = list(cities)
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("city:N", title=None, sort=order),
            x=alt.X("score:Q", title=score_word, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("band:N", scale=_band_scale(bands), title=_("Band")),
            tooltip=[
                alt.Tooltip("dimension:N", title=_("Dimension")),
                alt.Tooltip("city:N", title=_("City")),
                alt.Tooltip("score:Q", title=score_word, format=".1f"),
                alt.Tooltip("band:N", title=_("Band")),
            ],
        )
    )
    text = (
        alt.Chart()
        .mark_text(align="left", dx=4, color=INK)
        .encode(y=alt.Y("city:N", sort=order), x="score:Q", text="label:N")
    )
    chart = (
        alt.layer(bars, text, data=alt.NamedData("dimensions"))
        .properties(width=width, height=28 * max(1, len(order)))
        .facet(column=alt.Column("dimension:N", title=None))
    )
    return _config(chart)


def compare_chart(comparison: dict[str, Any], *, width: int = 200) -> dict[str, Any]:
    """Dimension scores of the compared cities side by side, one panel per dimension,
    each bar labelled with its number (from ``queries.compare``)."""
    bands = comparison["target_set"]["bands"]
    rows = []
    for group in comparison["groups"]:
        if group["level"] != "dimension":
            continue
        for city, cell in zip(comparison["cities"], group["cells"], strict=True):
            rows.append(
                {
                    "dimension": group["name"],
                    "city": city["name"],
                    "score": cell["score"] if cell else None,
                    "label": _num_text(cell["score"] if cell else None),
                    "band": _band_key(cell or {}, bands),
                }
            )
    names = tuple(c["name"] for c in comparison["cities"])
    description = _("Dimension scores of %(cities)s in %(year)s") % {
        "cities": ", ".join(names),
        "year": comparison["year"],
    }
    skeleton = _compare_skeleton(
        _bands(bands), comparison["target_set"]["score_word"], names, width
    )
    return _with_data(skeleton, description, dimensions=rows)


# ------------------------------------------------------------------ programme view


@_cached
def _heatmap_skeleton(
    bands: Bands, score_word: str, kpis: tuple[str, ...], cities: tuple[str, ...], cell: int
) -> dict[str, Any]:
    base = alt.Chart(alt.NamedData("cells")).encode(
        x=alt.X("kpi:N", sort=list(kpis), title=_("KPI"), axis=alt.Axis(labelAngle=-60)),
        y=alt.Y("city:N", sort=list(cities), title=None),
    )
    rects = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("band:N", scale=_band_scale(bands), title=_("Band")),
        tooltip=[
            alt.Tooltip("city:N", title=_("City")),
            alt.Tooltip("kpi:N", title=_("KPI")),
            alt.Tooltip("kpi_name:N", title=_("Name")),
            alt.Tooltip("value:Q", title=_("Value"), format=",.4~f"),
            alt.Tooltip("score:Q", title=score_word, format=".1f"),
            alt.Tooltip("band:N", title=_("Band")),
        ],
    )
    digits = base.mark_text(fontSize=10, color=INK).encode(text="digit:N")
    chart = alt.layer(rects, digits).properties(
        width=cell * max(1, len(kpis)), height=cell * max(1, len(cities))
    )
    return _config(chart)


def heatmap_chart(programme: dict[str, Any], *, cell: int = 22) -> dict[str, Any]:
    """Cities x KPIs, each cell coloured by band with the band's number written in it
    (from ``queries.programme_view``)."""
    bands = programme["target_set"]["bands"]
    rows = []
    for line in programme["heatmap"]:
        for kpi, c in zip(programme["kpis"], line["cells"], strict=True):
            rows.append(
                {
                    "city": line["city"]["name"],
                    "kpi": kpi["kpi_code"],
                    "kpi_name": kpi["name"],
                    "band": _band_key(c or {}, bands),
                    "digit": str(c["band"]) if c and c["band"] else "–",
                    "value": c["value"] if c else None,
                    "score": c["score"] if c else None,
                }
            )
    kpis = tuple(k["kpi_code"] for k in programme["kpis"])
    cities = tuple(line["city"]["name"] for line in programme["heatmap"])
    description = _("Heatmap of %(n)s cities of %(group)s by KPI, coloured by band") % {
        "n": len(cities),
        "group": programme["group"]["name"],
    }
    skeleton = _heatmap_skeleton(
        _bands(bands), programme["target_set"]["score_word"], kpis, cities, cell
    )
    return _with_data(skeleton, description, cells=rows)


# Above this many member cities, a panel shows its own city only: every other city in grey
# in each of 80 panels would be 6,400 lines.
PROGRESS_BACKGROUND_MAX = 30


@_cached
def _progress_skeleton(
    score_title: str,
    cities: tuple[str, ...],
    years: tuple[int, ...],
    width: int,
    columns: int,
) -> dict[str, Any]:
    gap = 16
    panel = max(90, (width - gap * (columns - 1)) // columns - 30)
    x = alt.X(
        "year:Q",
        title=None,
        # a time axis: the distance between two points is the years between them, and
        # only the years with data are labelled
        scale=alt.Scale(domain=[min(years), max(years)], nice=False, zero=False),
        axis=alt.Axis(values=list(years), format="d", labelAngle=-45, labelOverlap="greedy"),
    )
    y = alt.Y(
        "score:Q",
        title=score_title,
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(values=[0, 50, 100]),
    )
    tooltip = [
        alt.Tooltip("city:N", title=_("City")),
        alt.Tooltip("year:Q", title=_("Year"), format="d"),
        alt.Tooltip("score:Q", title=score_title, format=".1f"),
        alt.Tooltip("band:N", title=_("Band")),
        alt.Tooltip("kpis:Q", title=_("KPIs scored")),
    ]
    others = (
        alt.Chart()
        .transform_filter("!datum.own")
        .mark_line(color=LINE, strokeWidth=1, interpolate="linear")
        .encode(x=x, y=y, detail="city:N")
    )
    own = (
        alt.Chart()
        .transform_filter("datum.own")
        .mark_line(color=HIGHLIGHT, strokeWidth=2.5, point=alt.OverlayMarkDef(filled=True, size=30))
        .encode(x=x, y=y, tooltip=tooltip)
    )
    chart = (
        alt.layer(others, own, data=alt.NamedData("progress"))
        .properties(width=panel, height=70)
        .facet(
            facet=alt.Facet(
                "panel:N",
                sort=list(cities),
                title=None,
                header=alt.Header(labelFontSize=11, labelFontWeight="bold", labelColor=INK),
            ),
            columns=columns,
            spacing=gap,
        )
    )
    return _config(chart)


def progress_chart(programme: dict[str, Any], *, width: int = 720) -> dict[str, Any]:
    """Each member city's overall score over the years as small multiples (from
    ``queries.programme_view``): a panel per city, named above it, with that city's line
    and points in colour and the other member cities' lines in grey behind (up to
    :data:`PROGRESS_BACKGROUND_MAX` cities). The year axis is a time scale labelled with
    the years that have data; the y axis is titled with the method's word for the number
    ("Achievement" or "Score"), as the page and its table are."""
    own_rows = [
        {
            "city": entry["city"]["name"],
            "year": point["year"],
            "score": point["score"],
            "band": f"{point['band_icon']} {point['band_label']}",
            "kpis": point["kpis_scored"],
        }
        for entry in programme["progress"]
        for point in entry["series"]
    ]
    cities = tuple(entry["city"]["name"] for entry in programme["progress"])
    background = len(cities) <= PROGRESS_BACKGROUND_MAX
    rows = [
        {**r, "panel": panel, "own": r["city"] == panel}
        for panel in cities
        for r in own_rows
        if background or r["city"] == panel
    ]
    years = tuple(sorted({r["year"] for r in own_rows})) or (0,)
    columns = max(1, min(len(cities), width // 150))
    description = _(
        "Overall %(word)s of each city of %(group)s over the years, a panel per city with "
        "the other cities in grey"
    ) % {"word": programme["target_set"]["score_word"], "group": programme["group"]["name"]}
    title = capfirst(programme["target_set"]["score_word"])
    skeleton = _progress_skeleton(str(title), cities, years, width, columns)
    return _with_data(skeleton, description, progress=rows)


__all__ = [
    "BAND_COLOURS",
    "compare_chart",
    "distribution_chart",
    "heatmap_chart",
    "history_chart",
    "map_chart",
    "progress_chart",
    "ranking_chart",
    "wheel_chart",
]
