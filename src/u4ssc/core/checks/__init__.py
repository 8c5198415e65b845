"""Checks on KPI values: compute from components, plausibility, year-on-year, cross-KPI.

>>> from u4ssc.core.catalogue import load_catalogue
>>> from u4ssc.core.checks import Entry, compute
>>> m = load_catalogue().measurand("EC: ICT: ICT: 1C")
>>> compute(m, Entry(numerator=12345, denominator=13000)).working
'12 345 / 13 000 x 100 = 94.96 %'

Severity ``"error"`` blocks saving; ``"warning"`` is shown and can be acknowledged with a
reason. Rules and their reasons: docs/decisions/0203-value-checks.md.
"""

from __future__ import annotations

from u4ssc.core.checks.compute import (
    VALUE_MISMATCH_TOLERANCE,
    check_year_on_year,
    compute,
    range_issues,
)
from u4ssc.core.checks.cross import CROSS_RULES, CrossRule, check_cross
from u4ssc.core.checks.formatting import format_number, format_value
from u4ssc.core.checks.issues import ERROR, WARNING, Computed, Entry, Issue
from u4ssc.core.checks.parse import NumberError, parse_boolean, parse_number
from u4ssc.core.checks.texts import TEMPLATES, Term, Text, Value, format_bounds, render

__all__ = [
    "CROSS_RULES",
    "ERROR",
    "TEMPLATES",
    "VALUE_MISMATCH_TOLERANCE",
    "WARNING",
    "Computed",
    "CrossRule",
    "Entry",
    "Issue",
    "NumberError",
    "Term",
    "Text",
    "Value",
    "check_cross",
    "check_year_on_year",
    "compute",
    "format_bounds",
    "format_number",
    "format_value",
    "parse_boolean",
    "parse_number",
    "range_issues",
    "render",
]
