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
from u4ssc.core.checks.formatting import format_bounds, format_number, format_value
from u4ssc.core.checks.issues import ERROR, WARNING, Computed, Entry, Issue

# A typed value may differ from the one computed from its components by this much (relative)
# before we warn: reports print 2 decimals, so 0.5 % covers rounding and nothing more.
VALUE_MISMATCH_TOLERANCE = 0.005


def _label(m: Measurand) -> str:
    return m.name


def _unit_issue(m: Measurand, entered: str) -> Issue | None:
    if unit_matches(entered, m.unit, m.unit_aliases):
        return None
    others = [a for a in m.unit_aliases if a != m.unit][:3]
    also = f" (also written {', '.join(others)})" if others else ""
    return Issue(
        code="unit",
        severity=ERROR,
        field="unit",
        message=(
            f"The unit {entered.strip()!r} does not fit {_label(m)}, which is reported in "
            f"{m.unit}. Convert the figure to {m.unit}, or leave the unit empty if it already "
            "is in that unit."
        ),
        expected=f"{m.unit}{also}",
    )


def _non_finite(entry: Entry) -> list[Issue]:
    issues = []
    for field in ("numerator", "denominator", "value"):
        x = getattr(entry, field)
        if x is not None and not math.isfinite(x):
            issues.append(
                Issue(
                    code="not_a_number",
                    severity=ERROR,
                    field=field,
                    message=f"The {field} is not a number ({x}).",
                    expected="a finite number",
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
                Issue(
                    code="denominator_zero",
                    severity=ERROR,
                    field="denominator",
                    message=(
                        f"The denominator ({measure.denominator}) must be greater than zero; "
                        f"it is {format_number(den)}, so {_label(m)} cannot be computed."
                    ),
                    expected="a number greater than 0",
                )
            )
        if num < 0:
            issues.append(
                Issue(
                    code="range",
                    severity=ERROR,
                    field="numerator",
                    message=(
                        f"The numerator ({measure.numerator}) cannot be negative; "
                        f"it is {format_number(num)}."
                    ),
                    expected="0 or more",
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
            issues.append(
                Issue(
                    code="value_mismatch",
                    severity=WARNING,
                    field="value",
                    message=(
                        f"The value you typed ({format_value(e.value, m.unit)}) differs from "
                        f"the value computed from the numerator and denominator "
                        f"({format_value(value, m.unit)}). The computed value is used: check "
                        "the components or the value."
                    ),
                    expected=f"{format_value(value, m.unit)} (computed from the components)",
                )
            )
        return value, working, issues

    if num is None and den is None:
        if e.value is None:
            return None, "not reported", []
        return e.value, f"{format_value(e.value, m.unit)} (entered directly)", []

    present, missing = ("numerator", "denominator") if den is None else ("denominator", "numerator")
    missing_name = measure.denominator if den is None else measure.numerator
    if e.value is not None:
        return (
            e.value,
            f"{format_value(e.value, m.unit)} (entered directly)",
            [
                Issue(
                    code="component_missing",
                    severity=WARNING,
                    field=missing,
                    message=(
                        f"Only the {present} was entered, so the value you typed is used "
                        f"unchecked. Enter the {missing} ({missing_name}) as well, or clear "
                        f"the {present}."
                    ),
                    expected="both the numerator and the denominator, or neither",
                )
            ],
        )
    return (
        None,
        "",
        [
            Issue(
                code="component_missing",
                severity=ERROR,
                field=missing,
                message=(
                    f"{_label(m)} cannot be computed from the {present} alone: enter the "
                    f"{missing} ({missing_name}) too, or type the value directly."
                ),
                expected="both the numerator and the denominator, or the value",
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
                Issue(
                    code="component_missing",
                    severity=ERROR,
                    field="value",
                    message=(
                        f"{_label(m)} is reported as one value, not as a numerator and a "
                        "denominator: enter it in the value field."
                    ),
                    expected="a value",
                )
            ],
        )
    if m.measure.kind == "boolean" and e.value not in (0, 1):
        return (
            None,
            "",
            [
                Issue(
                    code="boolean",
                    severity=ERROR,
                    field="value",
                    message=(
                        f"{_label(m)} is a yes/no answer: enter 1 for yes or 0 for no "
                        f"(not {format_number(e.value)})."
                    ),
                    expected="1 (yes) or 0 (no)",
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
        hint = ""
        if m.measure.kind == "ratio" and m.measure.multiplier == 100 and hi == 100:
            hint = (
                f" Check that the numerator ({m.measure.numerator}) is not larger than the "
                f"denominator ({m.measure.denominator})."
            )
        issues.append(
            Issue(
                code="range",
                severity=ERROR,
                field="value",
                message=(
                    f"{format_value(value, m.unit)} is not possible for {_label(m)}: it must be "
                    f"{format_bounds(lo, hi, m.unit)}.{hint}"
                ),
                expected=format_bounds(lo, hi, m.unit),
            )
        )
        return issues
    wlo, whi = m.warn_min, m.warn_max
    if (wlo is not None and value < wlo) or (whi is not None and value > whi):
        normally = format_bounds(wlo, whi, m.unit)
        issues.append(
            Issue(
                code="warn_range",
                severity=WARNING,
                field="value",
                message=(
                    f"{format_value(value, m.unit)} is unusual for {_label(m)}, which is "
                    f"normally {normally}. Check the figure and its source, or explain it."
                ),
                expected=f"normally {normally}",
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
    when = "in one year" if years_apart == 1 else f"in {years_apart} years"
    relative = "" if previous == 0 else f" ({change / abs(previous) * 100:+.0f} %)"
    allowed = f"{r * 100:.0f} %"
    per_year = "a year" if years_apart == 1 else "a year on average"
    return (
        Issue(
            code="yoy_jump",
            severity=WARNING,
            field="value",
            message=(
                f"{_label(measurand)} moved from {format_value(previous, measurand.unit)} to "
                f"{format_value(value, measurand.unit)} {when}{relative}. A change of more "
                f"than {allowed} {per_year} is unusual: check both figures, or explain the "
                "change."
            ),
            expected=format_bounds(low, high, measurand.unit),
        ),
    )
