"""Words for bands, trends and projections, in the active language.

The core's ``explain`` output speaks English (it is also the CLI's); the texts it can
produce are listed in :data:`CORE_TEXTS` so that ``makemessages`` collects them and the
templates translate them with ``{% translate %}``.
"""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.core.scoring import Method, SDSNMethod

# Filled dots out of four: the band read without colour ("95 %+ of target ●●●●").
BAND_ICONS = {0: "–", 1: "●○○○", 2: "●●○○", 3: "●●●○", 4: "●●●●"}
ARROWS = {0: "", 1: "↓", 2: "→", 3: "↗", 4: "↑"}


def _num(x: float) -> str:
    """A target as set (up to 10 significant digits, nothing rounded away), written in the
    active language like the values beside it: "120,000" / "120 000", "0.95" / "0,95"."""
    text = f"{x:.10g}"
    if "e" in text or not math.isfinite(x):
        return text
    decimals = len(text.partition(".")[2])
    return number_format(x, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def short_number(x: float | None) -> str:
    """A score to one decimal, halves up, no trailing zero: 62.5, 75, 84.5 ("–" for none)."""
    if x is None:
        return "–"
    return f"{math.floor(float(x) * 10 + 0.5) / 10:g}"


def band_labels(method: Method) -> dict[int, str]:
    """Band number (0 = none, 1..4) -> label: the City Snapshot legend (U4SSC) or the
    SDSN colour."""
    if isinstance(method, SDSNMethod):
        # SDSN's dashboard words. Not its colour names: the pages draw the four levels in
        # the one band palette of every tile, chip and wheel (decision 0306).
        return {
            0: _("no data"),
            1: _("major challenges"),
            2: _("significant challenges"),
            3: _("challenges remain"),
            4: _("achieved"),
        }
    e1, e2, e3 = (_num(e) for e in method.band_edges)
    return {
        0: _("not scored"),
        1: _("less than %(edge)s %% of target") % {"edge": e1},
        2: f"{e1}-{e2} %",
        3: f"{e2}-{e3} %",
        4: _("%(edge)s %%+ of target") % {"edge": e3},
    }


def band_ranges(method: Method) -> dict[int, str]:
    """Band number (1..4) -> the scores it covers, in words, where the label does not say
    it already: SDSN's traffic lights ("score 66 to under 95"); empty for U4SSC, whose
    labels are the ranges."""
    if not isinstance(method, SDSNMethod):
        return {b: "" for b in (1, 2, 3, 4)}
    a, b, c = (_num(e) for e in method.thresholds)
    return {
        4: _("score %(low)s to 100") % {"low": c},
        3: _("score %(low)s to under %(high)s") % {"low": b, "high": c},
        2: _("score %(low)s to under %(high)s") % {"low": a, "high": b},
        1: _("score under %(high)s") % {"high": a},
    }


def coverage_rule(method: Method) -> str:
    """How many of a group's KPIs must be scored for the group (category, sub-dimension,
    dimension, overall) to be scored, in words."""
    share = float(method.min_coverage)
    if share <= 0:
        return _(
            "A category, sub-dimension or dimension is scored from the KPIs with a target "
            "the city reported, however few: the tables say how many."
        )
    return _(
        "A category, sub-dimension or dimension is scored only when the city reported at "
        "least %(share)s %% of its KPIs that have a target; otherwise it shows as no data."
    ) % {"share": _num(share * 100)}


def band_legend(method: Method) -> list[dict[str, object]]:
    """The four bands, best first: ``{"band", "label", "icon", "range"}`` (and the same as
    ``band_label``/``band_icon``, the names scored items use); ``range`` is the scores a
    band covers where the label does not say it (SDSN), else ``""``."""
    labels = band_labels(method)
    ranges = band_ranges(method)
    return [
        {
            "band": b,
            "label": labels[b],
            "icon": BAND_ICONS[b],
            "range": ranges[b],
            "band_label": labels[b],
            "band_icon": BAND_ICONS[b],
        }
        for b in (4, 3, 2, 1)
    ]


def trend_labels(method: Method) -> dict[int, str]:
    if method.trend.kind == "cagr":
        return {
            0: _("no trend"),
            1: _("deterioration"),
            2: _("limited progress"),
            3: _("acceleration needed"),
            4: _("on track"),
        }
    return {
        0: _("no trend"),
        1: _("decreasing"),
        2: _("stagnating"),
        3: _("moderately improving"),
        4: _("on track or maintaining"),
    }


def method_label(method: Method) -> str:
    if isinstance(method, SDSNMethod):
        return _("SDSN normalisation (0-100, traffic lights)")
    return _("U4SSC distance to target (points and bands)")


def score_word(method: Method) -> str:
    """What a 0-100 number of this method is called."""
    return _("score") if isinstance(method, SDSNMethod) else _("achievement")


def projection_text(projection: str, year: int | None, horizon: int | None = None) -> str:
    """'target reached', 'target reached by 2028 at this pace', 'not at this pace', 'not
    before 2050 at this pace' (reached only after the method's horizon)."""
    if projection == "reached":
        return _("target reached")
    if projection == "projected" and year is not None:
        return _("target reached by %(year)s at this pace") % {"year": year}
    if projection == "not at this pace":
        return _("not at this pace")
    if projection == "not before the horizon" and horizon is not None:
        return _("target not reached before %(year)s at this pace") % {"year": horizon}
    return _("no trend yet")


def direction_text(direction: str, target: object) -> str:
    """'≥ 100', '≤ 4', '0.95–1.05', '≥ 120,000' from the core's direction and target, in
    the active language's number format."""
    if target is None:
        return ""
    if isinstance(target, dict):
        return f"{_num(float(target['low']))}–{_num(float(target['high']))}"
    if direction == "lower":
        return f"≤ {_num(float(target))}"  # type: ignore[arg-type]
    return f"≥ {_num(float(target))}"  # type: ignore[arg-type]


def direction_word(direction: str) -> str:
    if direction.startswith("range"):
        return _("within the target range")
    if direction == "lower":
        return _("lower is better")
    return _("higher is better")


# Texts of u4ssc.core.scoring.tables.Scorecard.explain, for makemessages.
CORE_TEXTS = [
    gettext_noop("achievement = value / target x 100 (capped to 0-100 %)"),
    gettext_noop("achievement = target / value x 100 (capped to 0-100 %)"),
    gettext_noop("achievement = value / LOW of the range x 100 (capped to 0-100 %)"),
    gettext_noop("achievement = HIGH of the range / value x 100 (capped to 0-100 %)"),
    gettext_noop("value meets the target: achievement = 100 %"),
    gettext_noop("score = 100 x (lower bound - shortfall) / lower bound, censored 0-100"),
    gettext_noop("the lower bound equals the target: 100 if met, else 0"),
    gettext_noop("configured on the target"),
    gettext_noop(
        "ratio = observed rate / required rate; observed = (gap at baseline - gap now) "
        "/ years elapsed; required = gap at baseline / (target year - baseline year)"
    ),
    gettext_noop(
        "ratio = observed CAGR / required CAGR; observed = (now / baseline)^(1/years) "
        "- 1; required = (target / baseline)^(1/(target year - baseline year)) - 1"
    ),
    gettext_noop("no earlier reported year to compare with"),
    gettext_noop(
        "Each data point is scored on its own; the KPI's points are the mean of its "
        "scored data points' points and it counts as one KPI in aggregates. Its band "
        "is the band of points / 4 as a percentage."
    ),
    gettext_noop(
        "The KPI's score is the mean of its data points' normalised scores; its "
        "colour is the colour of that mean. It counts as one KPI in aggregates."
    ),
    gettext_noop("not reported"),
    gettext_noop("no target: left out"),
    gettext_noop("scored"),
]


# The data-quality grades (evaluations.models.Quality), which the dashboards show on every
# tile: listed here so that this app's catalogue carries their Norwegian names.
QUALITY_TEXTS = [
    gettext_noop("Based on accurate measurements"),
    gettext_noop("Reliable data with minor gaps"),
    gettext_noop("Estimated from reliable data"),
    gettext_noop("Extrapolated or modelled"),
    gettext_noop("Expert judgement, partly traceable"),
    gettext_noop("Unknown methodology, not traceable"),
]
