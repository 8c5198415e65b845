"""XMILE identifiers: case-insensitive, with spaces, underscores and newlines equivalent.

The XMILE 1.0 standard (section 3.2.2) says names compare without regard to case and
treat a space, an underscore and a line break (written ``\\n`` in a ``name`` attribute)
as the same character; quotes around a name are not part of it.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"(\\n|\s|_)+")


def canonical(name: str) -> str:
    """The comparison form of a model name: ``"Teacup  Temperature"`` -> ``teacup_temperature``.

    Dots (module qualification, ``hares.births``) are kept; parts are canonicalised alone.
    """
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1]
    parts = [_SEPARATORS.sub("_", p.strip().strip('"')).strip("_") for p in name.split(".")]
    return ".".join(parts).lower()


def display(name: str) -> str:
    """The form used for output columns: line breaks become spaces, quotes dropped."""
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1]
    return re.sub(r"\s+", " ", name.replace("\\n", " ")).strip()


def column_key(column: str) -> str:
    """Canonical form of an output column such as ``Stock A[Entry 1, B]`` or ``hares.births``."""
    column = column.strip()
    if column.endswith("]") and "[" in column:
        base, _, subs = column[:-1].partition("[")
        elems = ",".join(canonical(s) for s in subs.split(","))
        return f"{canonical(base)}[{elems}]"
    return canonical(column)
