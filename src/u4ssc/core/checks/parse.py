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
from typing import Any

from u4ssc.core.checks.texts import Text, template

# Spaces people and spreadsheets put between thousands: space, no-break space, narrow
# no-break space (Norwegian typography), thin space, figure space; and the Swiss apostrophe.
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_SHAPE = re.compile(r"[+-]?[0-9][0-9 ',.]*(?:[eE][+-]?[0-9]+)?|[+-]?[.,][0-9]+")
_NOT_AVAILABLE = frozenset(
    {"n/a", "na", "nr", "n.r.", "-", "--", "—", "–", "..", "...", "?", "x", "i.t.", "ikke"}
)


LEAVE_EMPTY = template(
    "parse",
    "'%(given)s' is not a number. Leave the field empty when the value is not available (not "
    "reported).",
)
TYPE_DIGITS = template(
    "parse",
    "'%(given)s' is not a number. Type digits such as 1234.5 or 1 234,5 (a %% sign is allowed "
    "at the end).",
)
GROUPS = template(
    "parse",
    "'%(given)s' is not a number: the separator '%(sep)s' must split the digits into groups of "
    "three (1 234 567).",
)
GROUP_AFTER_MARK = template(
    "parse", "'%(given)s' is not a number: a thousands separator after the decimal mark."
)
NO_NUMBER = template("parse", "No number was given.")
AMBIGUOUS = template(
    "parse",
    "'%(given)s' is ambiguous: it is %(decimal)s with a decimal comma but %(thousands)s with a "
    "thousands comma. Write %(thousands)s or %(decimal)s.",
)
TOO_LARGE = template("parse", "'%(given)s' is too large to be a number.")
NOT_FINITE = template("parse", "'%(given)s' is not a finite number")
A_YES_NO_ANSWER = template("parse", "'%(given)s' is a yes/no answer, not a number")
NOT_YES_NO_NUMBER = template(
    "parse", "'%(given)s' is not a yes/no answer: use 1 for yes and 0 for no."
)
NOT_YES_NO = template(
    "parse", "'%(given)s' is not a yes/no answer: write yes or no (ja or nei), or 1 or 0."
)


class NumberError(ValueError):
    """Text that is not a number (or not a yes/no answer). ``str()`` is the English
    sentence; ``text`` the same as a template with parameters (texts.Text), for pages."""

    def __init__(self, template_: str, **params: Any) -> None:
        self.text = Text(template_, params)
        super().__init__(self.text.english())


def _not_a_number(text: str) -> NumberError:
    shown = text.strip()
    if shown.lower() in _NOT_AVAILABLE:
        return NumberError(LEAVE_EMPTY, given=shown)
    return NumberError(TYPE_DIGITS, given=shown)


def _check_groups(integer_part: str, sep: str, original: str) -> str:
    """Remove thousands separators, insisting that they separate groups of three digits."""
    groups = integer_part.split(sep)
    head, rest = groups[0], groups[1:]
    if not rest:
        return integer_part
    if not (1 <= len(head.lstrip("+-")) <= 3) or any(len(g) != 3 for g in rest):
        raise NumberError(GROUPS, given=original.strip(), sep=sep)
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
        raise NumberError(A_YES_NO_ANSWER, given=str(text))
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise NumberError(NOT_FINITE, given=str(text))
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
        raise NumberError(NO_NUMBER)
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
                raise NumberError(GROUP_AFTER_MARK, given=original.strip())
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
            raise NumberError(
                AMBIGUOUS,
                given=original.strip(),
                decimal=f"{int_part}.{frac}",
                thousands=f"{int_part}{frac}",
            )
    try:
        value = float(mantissa + exponent)
    except ValueError:
        raise _not_a_number(original) from None
    if not math.isfinite(value):
        raise NumberError(TOO_LARGE, given=original.strip())
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
        raise NumberError(NOT_YES_NO_NUMBER, given=str(text))
    key = text.strip().lower().rstrip(".")
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise NumberError(NOT_YES_NO, given=text.strip())
