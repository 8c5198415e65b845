"""Reading numbers and yes/no answers as people type them (English and Norwegian habits).

>>> parse_number("1 234,5")
1234.5
>>> parse_number("1,234.5")
1234.5
>>> parse_number("12.3 %")
12.3
>>> parse_boolean("Ja")
True
"""

from __future__ import annotations

import math
import re

# Spaces people and spreadsheets put between thousands: space, no-break space, narrow
# no-break space (Norwegian typography), thin space, figure space; and the Swiss apostrophe.
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_SHAPE = re.compile(r"[+-]?[0-9][0-9 ',.]*(?:[eE][+-]?[0-9]+)?|[+-]?[.,][0-9]+")
_NOT_AVAILABLE = frozenset(
    {"n/a", "na", "nr", "n.r.", "-", "--", "—", "–", "..", "...", "?", "x", "i.t.", "ikke"}
)


def _not_a_number(text: str) -> ValueError:
    shown = text.strip()
    if shown.lower() in _NOT_AVAILABLE:
        return ValueError(
            f"{shown!r} is not a number. Leave the field empty when the value is not "
            "available (not reported)."
        )
    return ValueError(
        f"{shown!r} is not a number. Type digits such as 1234.5 or 1 234,5 "
        "(a % sign is allowed at the end)."
    )


def _check_groups(integer_part: str, sep: str, original: str) -> str:
    """Remove thousands separators, insisting that they separate groups of three digits."""
    groups = integer_part.split(sep)
    head, rest = groups[0], groups[1:]
    if not rest:
        return integer_part
    if not (1 <= len(head.lstrip("+-")) <= 3) or any(len(g) != 3 for g in rest):
        raise ValueError(
            f"{original.strip()!r} is not a number: the separator {sep!r} must split the digits "
            "into groups of three (1 234 567)."
        )
    return "".join(groups)


def parse_number(text: str | float, *, decimal: str | None = None) -> float:
    """Read a number typed by a person.

    Accepts thousands separators (space, no-break spaces, apostrophe, or the separator that
    is not the decimal mark), a decimal comma or point, a trailing ``%``, a leading ``+``/``-``
    or Unicode minus, and exponents. ``"1 234,5"``, ``"1.234,5"``, ``"1,234.5"`` and
    ``"1234.5"`` are all 1234.5.

    A lone comma followed by exactly three digits (``"1,234"``) is ambiguous (1.234 in
    Norwegian, 1234 in English): pass ``decimal=","`` or ``decimal="."`` to decide, otherwise
    it is refused. A lone point is always a decimal point unless ``decimal=","``.

    Raises ValueError with a sentence a city officer can act on (``"n/a"`` -> leave it empty).
    Numbers (not bool) pass through as float.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is a yes/no answer, not a number")
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if decimal not in (None, ",", "."):
        raise ValueError("decimal must be ',' or '.'")
    original = text
    s = text.strip().replace("\u2212", "-")  # Unicode minus sign
    if s.endswith("%"):
        s = s[:-1].rstrip()
    for ch in _GROUP_SPACES[1:]:
        s = s.replace(ch, " ")
    if not s:
        raise ValueError("No number was given.")
    if not _SHAPE.fullmatch(s):
        raise _not_a_number(original)

    mantissa, exponent = s, ""
    m = re.search(r"[eE][+-]?[0-9]+$", s)
    if m:
        mantissa, exponent = s[: m.start()], m.group(0)

    # Spaces and apostrophes only ever group thousands, so a comma or point after them is
    # the decimal mark.
    grouped_with_space = False
    for sep in (" ", "'"):
        if sep in mantissa:
            mark = re.search(r"[.,]", mantissa)
            cut = mark.start() if mark else len(mantissa)
            int_part, frac = mantissa[:cut], mantissa[cut:]
            if sep in frac:
                raise ValueError(
                    f"{original.strip()!r} is not a number: a thousands separator after the "
                    "decimal mark."
                )
            mantissa = _check_groups(re.sub(f"{re.escape(sep)}+", sep, int_part), sep, original)
            mantissa += frac
            grouped_with_space = True
            break

    commas, points = mantissa.count(","), mantissa.count(".")
    if commas and points:
        dec = "," if mantissa.rfind(",") > mantissa.rfind(".") else "."
        group = "." if dec == "," else ","
        if mantissa.count(dec) > 1:
            raise _not_a_number(original)
        int_part, frac = mantissa.split(dec)
        mantissa = _check_groups(int_part, group, original) + "." + frac
    elif commas or points:
        sep = "," if commas else "."
        count = commas or points
        int_part, _, frac = mantissa.partition(sep)
        if count > 1:
            if decimal == sep:
                raise _not_a_number(original)
            mantissa = _check_groups(mantissa, sep, original)
        elif decimal is not None:
            if sep == decimal:
                mantissa = f"{int_part}.{frac}"
            else:
                mantissa = _check_groups(mantissa, sep, original)
        elif sep == "." or grouped_with_space:
            mantissa = f"{int_part}.{frac}"
        elif len(frac) != 3 or int_part.lstrip("+-") in ("", "0"):
            mantissa = f"{int_part}.{frac}"  # "97,07", "0,125": only a decimal comma fits
        else:
            raise ValueError(
                f"{original.strip()!r} is ambiguous: it is {int_part}.{frac} with a decimal "
                f"comma but {int_part}{frac} with a thousands comma. Write "
                f"{int_part}{frac} or {int_part}.{frac}."
            )
    try:
        value = float(mantissa + exponent)
    except ValueError:
        raise _not_a_number(original) from None
    if not math.isfinite(value):
        raise ValueError(f"{original.strip()!r} is too large to be a number.")
    return value


_YES = frozenset({"yes", "y", "ja", "j", "true", "sant", "1", "x", "✓", "✔"})
_NO = frozenset({"no", "n", "nei", "false", "usant", "0"})


def parse_boolean(text: str | bool | int | float) -> bool:
    """Read a yes/no answer: yes/no, y/n, ja/nei, j/n, true/false, sant/usant, 1/0 (any case).

    Raises ValueError for anything else (including 2, 0.5, "maybe", "delvis").
    """
    if isinstance(text, bool):
        return text
    if isinstance(text, (int, float)):
        if text in (0, 1):
            return bool(text)
        raise ValueError(f"{text!r} is not a yes/no answer: use 1 for yes and 0 for no.")
    key = text.strip().lower().rstrip(".")
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(
        f"{text.strip()!r} is not a yes/no answer: write yes or no (ja or nei), or 1 or 0."
    )
