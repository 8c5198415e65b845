"""Numbers and values as a city officer reads them in messages and workings."""

from __future__ import annotations

import math

# Units that read better without a symbol after the number ("78", not "78 number").
_BARE_UNITS = frozenset({"number", "ratio", "coefficient"})


def format_number(x: float) -> str:
    """``12345`` -> ``"12 345"``, ``94.9615`` -> ``"94.96"``, ``0.23456`` -> ``"0.2346"``.

    Thousands are grouped with a space (readable in English and Norwegian alike), at most two
    decimals for values of 1 or more, four significant digits below 1.
    """
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}".replace(",", " ")
    if abs(x) >= 1:
        text = f"{x:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", " ")
    return f"{x:.4g}"


def unit_suffix(unit: str) -> str:
    """The text to put after a number: ``" %"``, ``" per 100 000 inhabitants"``, or ``""``."""
    if not unit or unit in _BARE_UNITS or unit == "yes/no":
        return ""
    return f" {unit}"


def format_value(x: float, unit: str) -> str:
    """A value with its unit: ``"94.96 %"``, ``"333.72 per 100 000 inhabitants"``, ``"yes"``."""
    if unit == "yes/no" and x in (0, 1):
        return "yes" if x == 1 else "no"
    return format_number(x) + unit_suffix(unit)
