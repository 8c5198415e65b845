"""Folding names for search: case, accents and Nordic letters do not matter.

``fold("Ålesund") == fold("Alesund") == "alesund"`` and ``fold("Bærum") == "baerum"``.
NFKD decomposition strips most accents (å, é, ü); a few Latin letters are not composed
from a base letter and an accent, so they are spelled out by hand (ø, æ, ß ...), the way
Norwegian, German and Icelandic write them in ASCII.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ʼ": "'",
        "’": "'",
        "‘": "'",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` in lower case without accents, Nordic letters spelled out, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTERS)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip()


def ascii_slug(text: str) -> str:
    """``text`` folded to lower-case ASCII words joined by hyphens ("Bærum" -> "baerum")."""
    folded = fold(text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
