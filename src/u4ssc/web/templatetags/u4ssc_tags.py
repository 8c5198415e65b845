"""Template helpers shared by every app."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI, load_catalogue

register = template.Library()

# The catalogue's units, listed for `makemessages`: pages and reports show a unit in the
# reader's language (``{{ m.unit|unit }}``, ``reports.content.unit_text``); "%" and "µg/m³"
# read the same.
UNITS = (
    gettext_noop("per 100 000 inhabitants"),
    # xgettext:no-python-format
    gettext_noop("% of GDP"),
    gettext_noop("minutes"),
    gettext_noop("km per 100 000 inhabitants"),
    gettext_noop("ha per 100 000 inhabitants"),
    gettext_noop("FTE per 100 000 inhabitants"),
    gettext_noop("interruptions per customer"),
    gettext_noop("tCO2e/capita"),
    gettext_noop("l/capita/day"),
    gettext_noop("kWh/capita/year"),
    gettext_noop("GJ/capita/year"),
    gettext_noop("kWh/m²/year"),
    gettext_noop("years"),
    gettext_noop("per 100 000 live births"),
    gettext_noop("number"),
    gettext_noop("ratio"),
    gettext_noop("coefficient"),
    gettext_noop("yes/no"),
)
_UNITS = frozenset(UNITS)


def unit_label(unit: str) -> str:
    """A catalogue unit in the active language ("per 100 000 innbyggere"); any other text
    (a unit a person typed) as it is."""
    if unit in _UNITS:
        return _(unit)
    return unit or ""


@register.filter(name="unit")
def unit_filter(unit: str) -> str:
    """``{{ m.unit|unit }}``: the unit in the reader's language (see :func:`unit_label`)."""
    return unit_label(unit)


def round_half_up(x: float, decimals: int) -> float:
    """``x`` rounded as people round: halves away from zero, on the number as written
    (1234.5 -> 1235, 0.125 -> 0.13 at two decimals), not Python's halves-to-even on the
    binary value (``round(1234.5)`` is 1234, ``round(0.125, 2)`` is 0.12)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))


@register.filter
def num(value: Any, digits: int = 4) -> str:
    """A number for people: thousands grouped, ``digits`` significant figures in the
    decimals and no zeros padding them ("5.6", not "5.600"; "90", not "90.00"; "0.1235");
    whole numbers in full (103,168)."""
    if value is None or value == "":
        return "-"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "-"
    if x == int(x) and abs(x) < 1e15:
        return number_format(int(x), use_l10n=True, force_grouping=True)
    decimals = max(0, min(6, digits - math.floor(math.log10(abs(x))) - 1)) if x else 0
    rounded = round_half_up(x, decimals)
    # the decimals the rounded number needs: trailing zeros say nothing
    shown = f"{rounded:.{decimals}f}"
    decimals = len(shown.rstrip("0").partition(".")[2]) if "." in shown else 0
    if decimals == 0:
        return number_format(round(rounded), use_l10n=True, force_grouping=True)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def synthetic_mark(is_synthetic: bool) -> str:
    if not is_synthetic:
        return ""
    return format_html(
        '<span class="badge synthetic" title="{}">{}</span>',
        _("Generated for the demo; not real data"),
        _("synthetic"),
    )


@register.simple_tag
def data_point_name(kpi_code: str, data_point: str) -> str:
    """The name of a KPI's data point in the active language, from its key ("pm2_5");
    "" for a single-value KPI, the key itself when the catalogue does not know it.

    ``{% translate m.name %}`` would miss names with a "%" in them: the tag doubles it
    before the look-up ("Open data sets as % of all data sets").
    """
    if not data_point:
        return ""
    try:
        name = load_catalogue().measurand(kpi_code, data_point).name
    except (UnknownKPI, UnknownDataPoint):
        return data_point
    return _(name)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
