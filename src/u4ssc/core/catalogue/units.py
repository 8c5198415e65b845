"""Unit spellings: is what a city typed the unit the catalogue expects?"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {
        "µ": "u",  # micro sign
        "μ": "u",  # Greek small mu, which keyboards produce just as often
        "²": "2",
        "³": "3",
        "₂": "2",
        "₃": "3",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ ,.'](?=\d{3}\b)")


def fold_unit(text: str) -> str:
    """A comparison key for a unit: case, spacing, micro signs, superscripts and thousands
    separators in numbers do not matter ("per 100,000" == "per 100 000" == "Per 100000")."""
    s = unicodedata.normalize("NFKC", text).translate(_FOLD).strip().lower()
    s = _SPACE_IN_NUMBER.sub("", s)
    return re.sub(r"\s+", "", s)


def unit_matches(entered: str, unit: str, aliases: tuple[str, ...] = ()) -> bool:
    """True when ``entered`` is empty (the catalogue unit is assumed), the unit, or an alias."""
    if not entered.strip():
        return True
    key = fold_unit(entered)
    return key == fold_unit(unit) or any(key == fold_unit(a) for a in aliases)
