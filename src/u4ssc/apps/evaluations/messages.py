"""The sentences of ``u4ssc.core.checks`` in the reader's language (docs/i18n.md).

The core writes each check result as an English sentence and, next to it, the same sentence
as a template with named parameters (``core.checks.texts.Text``). Its templates are marked
here with ``gettext_noop``, by issue code, so that this app's catalogue holds their Bokmål
(``test_messages`` checks that this table and the core's ``TEMPLATES`` agree both ways).
:func:`render_text` shows a text, fresh or stored with a value or an import report, in the
active language with its numbers formatted for that language; the API and the command line
keep the English ``message``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI
from u4ssc.core.checks import Text, render
from u4ssc.core.checks.formatting import unit_suffix
from u4ssc.web.templatetags.u4ssc_tags import num, unit_label

# Two rules on shares of one whole (transport modes, waste treatment) say the same words.
_SHARES_SUM = (
    gettext_noop(
        "The %(what)s add up to %(total)s, more than 100 %%. Each is a share of one "
        "whole, counted once; check the shares."
    ),
    gettext_noop("a total of at most 100 %%"),
    gettext_noop(
        "The %(what)s add up to only %(total)s. With every category reported they "
        "should cover the whole (about 100 %%); check for a missing or mis-typed share."
    ),
    gettext_noop("a total of about 100 %% (%(low)s-102 %%)"),
)

CHECK_TEMPLATES: dict[str, tuple[str, ...]] = {
    "terms": (
        gettext_noop("yes"),
        gettext_noop("no"),
        gettext_noop("numerator"),
        gettext_noop("denominator"),
        gettext_noop("value"),
        gettext_noop("transport mode shares"),
        gettext_noop("solid waste treatment shares"),
    ),
    "bounds": (
        gettext_noop("between %(low)s and %(high)s%(unit)s"),
        gettext_noop("at least %(low)s%(unit)s"),
        gettext_noop("at most %(high)s%(unit)s"),
        gettext_noop("%(low)s%(unit)s"),
        gettext_noop("any value"),
    ),
    "unit": (
        gettext_noop(
            "The unit '%(entered)s' does not fit %(kpi)s, which is reported in %(unit)s. "
            "Convert the figure to %(unit)s, or leave the unit empty if it already is in "
            "that unit."
        ),
        gettext_noop("%(unit)s (also written %(aliases)s)"),
        gettext_noop("%(unit)s"),
    ),
    "not_a_number": (
        gettext_noop(
            "The %(field)s is not a finite number (%(given)s): infinity, NaN and numbers this "
            "large cannot be stored."
        ),
        gettext_noop("a finite number"),
    ),
    "denominator_zero": (
        gettext_noop(
            "The denominator (%(denominator)s) must be greater than zero; it is %(given)s, "
            "so %(kpi)s cannot be computed."
        ),
        gettext_noop("a number greater than 0"),
    ),
    "range": (
        gettext_noop("The numerator (%(numerator)s) cannot be negative; it is %(given)s."),
        gettext_noop("0 or more"),
        gettext_noop("%(value)s is not possible for %(kpi)s: it must be %(bounds)s."),
        gettext_noop(
            "%(value)s is not possible for %(kpi)s: it must be %(bounds)s. Check that the "
            "numerator (%(numerator)s) is not larger than the denominator "
            "(%(denominator)s)."
        ),
    ),
    "value_mismatch": (
        gettext_noop(
            "The value you typed (%(typed)s) differs from the value computed from the "
            "numerator and denominator (%(computed)s). The computed value is used: check "
            "the components or the value."
        ),
        gettext_noop("%(computed)s (computed from the components)"),
    ),
    "component_missing": (
        gettext_noop(
            "Only the %(present)s was entered, so the value you typed is used unchecked. "
            "Enter the %(missing)s (%(missing_name)s) as well, or clear the %(present)s."
        ),
        gettext_noop("both the numerator and the denominator, or neither"),
        gettext_noop(
            "%(kpi)s cannot be computed from the %(present)s alone: enter the %(missing)s "
            "(%(missing_name)s) too, or type the value directly."
        ),
        gettext_noop("both the numerator and the denominator, or the value"),
        gettext_noop(
            "%(kpi)s is reported as one value, not as a numerator and a denominator: enter "
            "it in the value field."
        ),
        gettext_noop("a value"),
    ),
    "boolean": (
        gettext_noop("%(kpi)s is a yes/no answer: enter 1 for yes or 0 for no (not %(given)s)."),
        gettext_noop("1 (yes) or 0 (no)"),
    ),
    "warn_range": (
        gettext_noop(
            "%(value)s is unusual for %(kpi)s, which is normally %(bounds)s. Check the "
            "figure and its source, or explain it."
        ),
        gettext_noop("normally %(bounds)s"),
    ),
    "yoy_jump": (
        gettext_noop(
            "%(kpi)s moved from %(previous)s to %(value)s in one year%(relative)s. A change "
            "of more than %(allowed)s %% a year is unusual: check both figures, or explain "
            "the change."
        ),
        gettext_noop(
            "%(kpi)s moved from %(previous)s to %(value)s in %(years)s years%(relative)s. A "
            "change of more than %(allowed)s %% a year on average is unusual: check both "
            "figures, or explain the change."
        ),
        gettext_noop(" (%(change)s %%)"),
    ),
    "cross:broadband_le_internet": (
        gettext_noop(
            "Fixed broadband subscriptions (%(broadband)s per 100 households) are higher "
            "than household Internet access (%(internet)s). Households with fixed broadband "
            "have Internet access, so subscriptions are normally no more than the access "
            "rate; business lines or two subscriptions per household can explain a "
            "difference."
        ),
        gettext_noop("at most %(internet)s (household Internet access)"),
        gettext_noop(
            "Household Internet access (%(internet)s) is lower than fixed broadband "
            "subscriptions (%(broadband)s per 100 households). Households with fixed "
            "broadband have Internet access, so subscriptions are normally no more than the "
            "access rate; business lines or two subscriptions per household can explain a "
            "difference."
        ),
        gettext_noop("at least %(broadband)s %% (fixed broadband subscriptions)"),
    ),
    "cross:potable_le_basic": (
        gettext_noop(
            "Potable water supply (%(potable)s) is higher than basic water supply "
            "(%(basic)s). Potable (safely managed) water is a higher level of service than "
            "basic water, so its share is normally no larger: check both figures and their "
            "sources, or explain the difference."
        ),
        gettext_noop("at most %(basic)s (basic water supply)"),
        gettext_noop(
            "Basic water supply (%(basic)s) is lower than potable water supply "
            "(%(potable)s). Potable (safely managed) water is a higher level of service "
            "than basic water, so its share is normally no larger: check both figures and "
            "their sources, or explain the difference."
        ),
        gettext_noop("at least %(potable)s (potable water supply)"),
    ),
    "cross:open_data_consistent": (
        gettext_noop(
            "Open data: %(number)s data sets published but %(percent)s of all data sets "
            "open. Both count the same published data sets, so both are zero or both are "
            "above zero."
        ),
        gettext_noop("both zero or both above zero"),
    ),
    "cross:outage_time_without_outages": (
        gettext_noop(
            "Outage time is %(time)s per interruption although the outage frequency is 0: "
            "with no interruptions there is no outage time to average."
        ),
        gettext_noop("outage frequency above 0"),
        gettext_noop("0 or empty when there were no interruptions"),
    ),
    "cross:mode_share_sum": _SHARES_SUM,
    "cross:waste_treatment_sum": _SHARES_SUM,
    "parse": (
        gettext_noop(
            "'%(given)s' is not a number. Leave the field empty when the value is not "
            "available (not reported)."
        ),
        gettext_noop(
            "'%(given)s' is not a number. Type digits such as 1234.5 or 1 234,5 (a %% sign "
            "is allowed at the end)."
        ),
        gettext_noop(
            "'%(given)s' is not a number: the separator '%(sep)s' must split the digits "
            "into groups of three (1 234 567)."
        ),
        gettext_noop("'%(given)s' is not a number: a thousands separator after the decimal mark."),
        gettext_noop("No number was given."),
        gettext_noop(
            "'%(given)s' is ambiguous: it is %(decimal)s with a decimal comma but "
            "%(thousands)s with a thousands comma. Write %(thousands)s or %(decimal)s."
        ),
        gettext_noop("'%(given)s' is too large to be a number."),
        gettext_noop("'%(given)s' is not a finite number"),
        gettext_noop("'%(given)s' is a yes/no answer, not a number"),
        gettext_noop("'%(given)s' is not a yes/no answer: use 1 for yes and 0 for no."),
        gettext_noop("'%(given)s' is not a yes/no answer: write yes or no (ja or nei), or 1 or 0."),
    ),
}


# The name of each check a warning can come from, as the data sheet and the review page
# name an acknowledged warning ("✓ Warning acknowledged (change from the year before)").
CHECK_NAMES: dict[str, str] = {
    "source_missing": gettext_noop("no source named"),
    "value_mismatch": gettext_noop("value differs from its components"),
    "component_missing": gettext_noop("a component missing"),
    "warn_range": gettext_noop("unusual value"),
    "yoy_jump": gettext_noop("change from the year before"),
    "cross:broadband_le_internet": gettext_noop("broadband above Internet access"),
    "cross:potable_le_basic": gettext_noop("potable water above basic water"),
    "cross:mode_share_sum": gettext_noop("total of the transport mode shares"),
    "cross:waste_treatment_sum": gettext_noop("total of the waste treatment shares"),
    "cross:open_data_consistent": gettext_noop("open data sets and their share"),
    "cross:outage_time_without_outages": gettext_noop("outage time without outages"),
}


def check_name(code: str) -> str:
    """The name of the check ``code`` in the active language (the code itself when it has
    none)."""
    name = CHECK_NAMES.get(code)
    return gettext(name) if name else code


def _translate(text: str) -> str:
    return gettext(text) if text else ""


def render_text(text: Text | Mapping[str, Any] | None, fallback: str = "") -> str:
    """``text`` in the active language; ``fallback`` (translated when the catalogues have
    it) when there is no text, as for warnings stored before texts were kept."""
    if not text:
        return _translate(fallback)
    return render(text, translate=_translate, number=num)


def show_value(x: float | None, unit: str, *, with_unit: bool = True) -> str:
    """A stored value as the reader reads it: "ja" / "yes" for a yes/no answer, otherwise
    the number in the reader's format, followed by its unit in the reader's language
    (``with_unit``; bare ones such as "number" are left out)."""
    if x is None:
        return "-"
    if unit == "yes/no" and x in (0, 1):
        return _translate("yes" if x == 1 else "no")
    return num(x) + (" " + unit_label(unit) if with_unit and unit_suffix(unit) else "")


def issue_message(issue: Mapping[str, Any]) -> str:
    """The message of a check result kept as a dict (``KPIValue.issues``)."""
    return render_text(issue.get("text"), issue.get("message", ""))


def issue_expected(issue: Mapping[str, Any]) -> str:
    """What a check result (as a dict) expected, in the active language."""
    return render_text(issue.get("expected_text"), issue.get("expected", ""))


# ------------------------------------------------------------- catalogue look-ups, places

UNKNOWN_KPI = gettext_noop("Unknown KPI code '%(code)s'.")
UNKNOWN_KPI_HINT = gettext_noop("Unknown KPI code '%(code)s'. Did you mean %(suggestions)s?")
NO_DATA_POINTS = gettext_noop(
    "KPI %(kpi)s is a single value and has no data points (asked for '%(point)s')."
)
NAME_A_DATA_POINT = gettext_noop("KPI %(kpi)s is reported per data point: name one of %(known)s.")
NO_SUCH_DATA_POINT = gettext_noop(
    "KPI %(kpi)s has no data point '%(point)s'; its data points are %(known)s."
)


def lookup_text(exc: UnknownKPI | UnknownDataPoint) -> Text:
    """The catalogue's refusal of a KPI code or data point as a text (the catalogue writes
    English sentences; their parts are on the exception)."""
    if isinstance(exc, UnknownKPI):
        if exc.suggestions:
            return Text(UNKNOWN_KPI_HINT, {"code": exc.code, "suggestions": list(exc.suggestions)})
        return Text(UNKNOWN_KPI, {"code": exc.code})
    params = {"kpi": exc.kpi_code, "point": exc.data_point, "known": list(exc.known)}
    if not exc.known:
        return Text(NO_DATA_POINTS, params)
    if not exc.data_point:
        return Text(NAME_A_DATA_POINT, params)
    return Text(NO_SUCH_DATA_POINT, params)


# Where a value came from in a file, as the readers of the transfer app write it: "row 12",
# "sheet Data, row 12" (``ValueInput.ref``, ``Finding.row``). Kept in English; shown with
# ``place``.
ROW = gettext_noop("row %(row)s")
SHEET_ROW = gettext_noop("sheet %(sheet)s, row %(row)s")
_PLACE = re.compile(r"(?:sheet (?P<sheet>.+), )?row (?P<row>\d+)")


def place(ref: str) -> Text | str:
    """``ref`` ("sheet Data, row 12") as a text to show in the reader's language; any other
    reference ("values[3]") as it is."""
    m = _PLACE.fullmatch(ref or "")
    if m is None:
        return ref or ""
    if m["sheet"] is not None:
        return Text(SHEET_ROW, {"sheet": m["sheet"], "row": m["row"]})
    return Text(ROW, {"row": m["row"]})
