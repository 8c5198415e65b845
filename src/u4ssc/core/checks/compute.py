"""Computing a measurand's value from what a city entered, and checking it.

The rules (decision 0203):

- unit: empty means the catalogue unit; otherwise it must be the unit or an alias (error);
- ratio: numerator and denominator give the value (numerator / denominator x multiplier);
  a typed value that differs by more than 0.5 % relative is a warning, the computed value
  wins; a denominator of zero or less and a negative numerator are errors; one component
  alone is an error without a typed value and a warning with one (the typed value is used);
- value: the typed value; boolean: 0 or 1 only (parse yes/no text with ``parse_boolean``);
- the result must lie within the hard plausible range (error) and should lie within the
  warning range (warning).
"""

from __future__ import annotations

import math

from u4ssc.core.catalogue import Measurand, unit_matches
from u4ssc.core.checks.formatting import format_number, format_value
from u4ssc.core.checks.issues import ERROR, WARNING, Computed, Entry, Issue
from u4ssc.core.checks.texts import Term, Text, Value, bounds, template, term

# A typed value may differ from the one computed from its components by this much (relative)
# before we warn: reports print 2 decimals, so 0.5 % covers rounding and nothing more.
VALUE_MISMATCH_TOLERANCE = 0.005


# The sentences, by issue code (texts.TEMPLATES; the web layer's table marks the same).
UNIT = template(
    "unit",
    "The unit '%(entered)s' does not fit %(kpi)s, which is reported in %(unit)s. Convert the "
    "figure to %(unit)s, or leave the unit empty if it already is in that unit.",
)
UNIT_EXPECTED = template("unit", "%(unit)s (also written %(aliases)s)")
UNIT_ONLY = template("unit", "%(unit)s")
NOT_A_NUMBER = template(
    "not_a_number",
    "The %(field)s is not a finite number (%(given)s): infinity, NaN and numbers this large "
    "cannot be stored.",
)
FINITE = template("not_a_number", "a finite number")
DENOMINATOR_ZERO = template(
    "denominator_zero",
    "The denominator (%(denominator)s) must be greater than zero; it is %(given)s, so %(kpi)s "
    "cannot be computed.",
)
ABOVE_ZERO = template("denominator_zero", "a number greater than 0")
NEGATIVE_NUMERATOR = template(
    "range", "The numerator (%(numerator)s) cannot be negative; it is %(given)s."
)
ZERO_OR_MORE = template("range", "0 or more")
MISMATCH = template(
    "value_mismatch",
    "The value you typed (%(typed)s) differs from the value computed from the numerator and "
    "denominator (%(computed)s). The computed value is used: check the components or the "
    "value.",
)
MISMATCH_EXPECTED = template("value_mismatch", "%(computed)s (computed from the components)")
ONE_COMPONENT_TYPED = template(
    "component_missing",
    "Only the %(present)s was entered, so the value you typed is used unchecked. Enter the "
    "%(missing)s (%(missing_name)s) as well, or clear the %(present)s.",
)
BOTH_OR_NEITHER = template(
    "component_missing", "both the numerator and the denominator, or neither"
)
ONE_COMPONENT = template(
    "component_missing",
    "%(kpi)s cannot be computed from the %(present)s alone: enter the %(missing)s "
    "(%(missing_name)s) too, or type the value directly.",
)
BOTH_OR_VALUE = template(
    "component_missing", "both the numerator and the denominator, or the value"
)
NOT_A_RATIO = template(
    "component_missing",
    "%(kpi)s is reported as one value, not as a numerator and a denominator: enter it in the "
    "value field.",
)
A_VALUE = template("component_missing", "a value")
BOOLEAN = template(
    "boolean", "%(kpi)s is a yes/no answer: enter 1 for yes or 0 for no (not %(given)s)."
)
BOOLEAN_EXPECTED = template("boolean", "1 (yes) or 0 (no)")
RANGE = template("range", "%(value)s is not possible for %(kpi)s: it must be %(bounds)s.")
RANGE_SHARE = template(
    "range",
    "%(value)s is not possible for %(kpi)s: it must be %(bounds)s. Check that the numerator "
    "(%(numerator)s) is not larger than the denominator (%(denominator)s).",
)
WARN_RANGE = template(
    "warn_range",
    "%(value)s is unusual for %(kpi)s, which is normally %(bounds)s. Check the figure and its "
    "source, or explain it.",
)
NORMALLY = template("warn_range", "normally %(bounds)s")
YOY_ONE = template(
    "yoy_jump",
    "%(kpi)s moved from %(previous)s to %(value)s in one year%(relative)s. A change of more "
    "than %(allowed)s %% a year is unusual: check both figures, or explain the change.",
)
YOY_MANY = template(
    "yoy_jump",
    "%(kpi)s moved from %(previous)s to %(value)s in %(years)s years%(relative)s. A change of "
    "more than %(allowed)s %% a year on average is unusual: check both figures, or explain "
    "the change.",
)
RELATIVE = template("yoy_jump", " (%(change)s %%)")
FIELDS = {f: term(f) for f in ("numerator", "denominator", "value")}


def _label(m: Measurand) -> Term:
    """The measurand's name (a KPI's, or a data point's), translated on pages."""
    return Term(m.name)


def _unit_issue(m: Measurand, entered: str) -> Issue | None:
    if unit_matches(entered, m.unit, m.unit_aliases):
        return None
    others = [a for a in m.unit_aliases if a != m.unit][:3]
    expected = (
        Text(UNIT_EXPECTED, {"unit": m.unit, "aliases": ", ".join(others)})
        if others
        else Text(UNIT_ONLY, {"unit": m.unit})
    )
    return Issue.of(
        "unit",
        ERROR,
        "unit",
        Text(UNIT, {"entered": entered.strip(), "kpi": _label(m), "unit": m.unit}),
        expected,
    )


def _non_finite(entry: Entry) -> list[Issue]:
    issues = []
    for field in ("numerator", "denominator", "value"):
        x = getattr(entry, field)
        if x is not None and not math.isfinite(x):
            issues.append(
                Issue.of(
                    "not_a_number",
                    ERROR,
                    field,
                    Text(NOT_A_NUMBER, {"field": FIELDS[field], "given": str(x)}),
                    Text(FINITE),
                )
            )
    return issues


def _ratio(m: Measurand, e: Entry) -> tuple[float | None, str, list[Issue]]:
    measure = m.measure
    mult = measure.multiplier if measure.multiplier is not None else 1.0
    num, den = e.numerator, e.denominator
    if num is not None and den is not None:
        issues = []
        if den <= 0:
            issues.append(
                Issue.of(
                    "denominator_zero",
                    ERROR,
                    "denominator",
                    Text(
                        DENOMINATOR_ZERO,
                        {
                            "denominator": Term(measure.denominator or ""),
                            "given": den,
                            "kpi": _label(m),
                        },
                    ),
                    Text(ABOVE_ZERO),
                )
            )
        if num < 0:
            issues.append(
                Issue.of(
                    "range",
                    ERROR,
                    "numerator",
                    Text(
                        NEGATIVE_NUMERATOR,
                        {"numerator": Term(measure.numerator or ""), "given": num},
                    ),
                    Text(ZERO_OR_MORE),
                )
            )
        if issues:
            return None, f"{format_number(num)} / {format_number(den)}: not computable", issues
        value = num / den * mult
        times = "" if mult == 1 else f" x {format_number(mult)}"
        working = (
            f"{format_number(num)} / {format_number(den)}{times} = {format_value(value, m.unit)}"
        )
        if e.value is not None and _differs(e.value, value):
            computed = Value(value, m.unit)
            issues.append(
                Issue.of(
                    "value_mismatch",
                    WARNING,
                    "value",
                    Text(MISMATCH, {"typed": Value(e.value, m.unit), "computed": computed}),
                    Text(MISMATCH_EXPECTED, {"computed": computed}),
                )
            )
        return value, working, issues

    if num is None and den is None:
        if e.value is None:
            return None, "not reported", []
        return e.value, f"{format_value(e.value, m.unit)} (entered directly)", []

    present, missing = ("numerator", "denominator") if den is None else ("denominator", "numerator")
    missing_name = measure.denominator if den is None else measure.numerator
    params = {
        "present": FIELDS[present],
        "missing": FIELDS[missing],
        "missing_name": Term(missing_name or ""),
        "kpi": _label(m),
    }
    if e.value is not None:
        return (
            e.value,
            f"{format_value(e.value, m.unit)} (entered directly)",
            [
                Issue.of(
                    "component_missing",
                    WARNING,
                    missing,
                    Text(ONE_COMPONENT_TYPED, params),
                    Text(BOTH_OR_NEITHER),
                )
            ],
        )
    return (
        None,
        "",
        [
            Issue.of(
                "component_missing",
                ERROR,
                missing,
                Text(ONE_COMPONENT, params),
                Text(BOTH_OR_VALUE),
            )
        ],
    )


def _differs(typed: float, computed: float) -> bool:
    if computed == 0:
        return abs(typed) > 1e-12
    return abs(typed - computed) > VALUE_MISMATCH_TOLERANCE * abs(computed)


def _direct(m: Measurand, e: Entry) -> tuple[float | None, str, list[Issue]]:
    if e.value is None:
        if e.numerator is None and e.denominator is None:
            return None, "not reported", []
        return (
            None,
            "",
            [
                Issue.of(
                    "component_missing",
                    ERROR,
                    "value",
                    Text(NOT_A_RATIO, {"kpi": _label(m)}),
                    Text(A_VALUE),
                )
            ],
        )
    if m.measure.kind == "boolean" and e.value not in (0, 1):
        return (
            None,
            "",
            [
                Issue.of(
                    "boolean",
                    ERROR,
                    "value",
                    Text(BOOLEAN, {"kpi": _label(m), "given": e.value}),
                    Text(BOOLEAN_EXPECTED),
                )
            ],
        )
    return e.value, f"{format_value(e.value, m.unit)} (entered directly)", []


def range_issues(m: Measurand, value: float) -> list[Issue]:
    """Hard-range errors and warning-range warnings for a value of ``m``."""
    if m.measure.kind == "boolean":
        return []
    issues = []
    lo, hi = m.plausible_min, m.plausible_max
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        params: dict[str, object] = {
            "value": Value(value, m.unit),
            "kpi": _label(m),
            "bounds": bounds(lo, hi, m.unit),
        }
        share = m.measure.kind == "ratio" and m.measure.multiplier == 100 and hi == 100
        if share:
            params["numerator"] = Term(m.measure.numerator or "")
            params["denominator"] = Term(m.measure.denominator or "")
        issues.append(
            Issue.of(
                "range",
                ERROR,
                "value",
                Text(RANGE_SHARE if share else RANGE, params),
                bounds(lo, hi, m.unit),
            )
        )
        return issues
    wlo, whi = m.warn_min, m.warn_max
    if (wlo is not None and value < wlo) or (whi is not None and value > whi):
        normally = bounds(wlo, whi, m.unit)
        issues.append(
            Issue.of(
                "warn_range",
                WARNING,
                "value",
                Text(
                    WARN_RANGE,
                    {"value": Value(value, m.unit), "kpi": _label(m), "bounds": normally},
                ),
                Text(NORMALLY, {"bounds": normally}),
            )
        )
    return issues


def compute(measurand: Measurand, entry: Entry) -> Computed:
    """The value of ``measurand`` from ``entry``, how it was obtained, and every issue found.

    An empty entry is "not reported": no value and no issues. See the module docstring for
    the rules.
    """
    issues: list[Issue] = []
    unit_issue = _unit_issue(measurand, entry.unit)
    if unit_issue is not None:
        issues.append(unit_issue)
    bad = _non_finite(entry)
    if bad:
        return Computed(None, "", (*issues, *bad))
    if measurand.measure.kind == "ratio":
        value, working, found = _ratio(measurand, entry)
    else:
        value, working, found = _direct(measurand, entry)
    issues.extend(found)
    if value is not None:
        issues.extend(range_issues(measurand, value))
    return Computed(value, working, tuple(issues))


def check_year_on_year(
    measurand: Measurand, value: float, previous: float | None, years_apart: int = 1
) -> tuple[Issue, ...]:
    """Warn when ``value`` moved further from ``previous`` than the measurand allows.

    The allowed band is previous x (1 - r)^n .. previous x (1 + r)^n for r =
    ``yoy_warn_ratio`` and n = ``years_apart`` (a compound yearly rate), so one year with
    r = 0.5 allows 50 % down or up. Moves smaller than ``yoy_warn_min_change`` never warn;
    from a previous 0 any move beyond that minimum warns. Booleans and measurands without a
    ratio (rare events) never warn.
    """
    r = measurand.yoy_warn_ratio
    if previous is None or r is None or measurand.measure.kind == "boolean":
        return ()
    if years_apart < 1:
        raise ValueError("years_apart must be 1 or more")
    if not (math.isfinite(value) and math.isfinite(previous)):
        return ()
    change = value - previous
    min_change = measurand.yoy_warn_min_change
    if min_change is not None and abs(change) < min_change:
        return ()
    ends = (previous * max(0.0, 1 - r) ** years_apart, previous * (1 + r) ** years_apart)
    low, high = min(ends), max(ends)
    if low <= value <= high:
        return ()
    params = {
        "kpi": _label(measurand),
        "previous": Value(previous, measurand.unit),
        "value": Value(value, measurand.unit),
        "years": years_apart,
        # a signed whole percentage ("+125"), the same in every language
        "relative": ""
        if previous == 0
        else Text(RELATIVE, {"change": f"{change / abs(previous) * 100:+.0f}"}),
        "allowed": round(r * 100),
    }
    return (
        Issue.of(
            "yoy_jump",
            WARNING,
            "value",
            Text(YOY_ONE if years_apart == 1 else YOY_MANY, params),
            bounds(low, high, measurand.unit),
        ),
    )
