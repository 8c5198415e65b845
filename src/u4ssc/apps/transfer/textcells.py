"""Text that goes into spreadsheet cells.

A spreadsheet reads a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, a tab or carriage return) as a formula: a city name or a source written as
``=HYPERLINK("http://evil", "click")`` would run when someone opens the export. Such text
is written with a leading apostrophe, which spreadsheets show as text and never evaluate
(the OWASP "CSV injection" advice). Numbers are written as numbers and are never escaped,
so -3.5 stays a number. See ``docs/decisions/0508``.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (text only; other types unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def set_text(cell: Any, text: str | None) -> Any:
    """Put ``text`` into an openpyxl cell as text, never as a formula.

    For the data-collection workbook, which comes back: the text is kept exactly (no
    apostrophe is added, so a round trip changes nothing) and the cell is marked as text
    with Excel's own "quote prefix", so it is shown and stored as typed, not evaluated.
    """
    cell.value = text if text else None
    if text:
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell
