"""KPI codes: one stored spelling for the several the official documents use."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[\s:]+")
_NUMBER = re.compile(r"0*(\d+)([CA])")
# The reference file of Norwegian values marks an uncertain code with a trailing "(?)".
_UNCERTAIN_MARK = re.compile(r"\(\?\)\s*$")


def normalise_code(code: str) -> str:
    """Return the stored spelling of a KPI code: upper case, one space after every colon.

    ``"SC: EH: ED:1C"``, ``"sc:eh:ed:1c"`` and ``" SC:  EH: ED: 01C "`` all become
    ``"SC: EH: ED: 1C"``. A trailing ``"(?)"`` uncertainty mark is dropped. The result is
    not checked against the catalogue; :meth:`Catalogue.get` does that.
    """
    text = _UNCERTAIN_MARK.sub("", code.strip()).upper()
    parts = [p for p in _SPLIT.split(text) if p]
    if parts:
        m = _NUMBER.fullmatch(parts[-1])
        if m:
            parts[-1] = f"{int(m.group(1))}{m.group(2)}"
    return ": ".join(parts)
