"""What every reader shares: the parse result, header names, and reading one cell.

A reader turns rows into :class:`ValueInput` objects for ``evaluations.actions.apply_entries``
and into findings about cells it could not read. ``origins`` remembers, for each input and
field, the row and column it came from, so that a problem found later by the checks
("the value is above the plausible range") is reported at the right cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.messages import lookup_text
from u4ssc.apps.evaluations.models import Quality, ValueStatus
from u4ssc.apps.evaluations.years import year_expected, year_refusal
from u4ssc.apps.transfer.intake import ImportRefused
from u4ssc.apps.transfer.reports import ERROR, INFO, Finding, Message, english, finding
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI
from u4ssc.core.checks import Text, parse_boolean, parse_number

# Characters that hide in headers copied from web pages and PDFs.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")

_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def normalise_header(text: Any) -> str:
    """A header name for matching: zero-width characters and soft hyphens removed, NBSP and
    runs of whitespace made one space, case folded. ``"\u200bLand area\u00a0"`` ->
    ``"land area"``."""
    if text is None:
        return ""
    cleaned = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return _SPACES.sub(" ", cleaned).strip().casefold()


@dataclass
class Origin:
    row: str
    column: str
    value: str = ""


@dataclass
class Parsed:
    """What a reader found in a file."""

    kind: str
    rows: int = 0
    inputs: list[ValueInput] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    origins: dict[str, dict[str, Origin]] = field(default_factory=dict)
    skipped: int = 0
    city_ids: set[int] = field(default_factory=set)

    def error(self, code: str, message: Message, **where: Any) -> None:
        self.findings.append(finding(ERROR, code, message, **where))

    def info(self, code: str, message: Message, **where: Any) -> None:
        self.findings.append(finding(INFO, code, message, **where))

    def skip(self, code: str, message: Message, **where: Any) -> None:
        self.skipped += 1
        self.info(code, message, **where)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def add_input(self, inp: ValueInput, origins: dict[str, Origin]) -> None:
        self.inputs.append(inp)
        self.origins[inp.ref] = origins
        self.city_ids.add(inp.city_id)


class CellError(ValueError):
    """A cell that cannot be read; ``expected`` says what would have been right."""

    def __init__(self, message: Message, expected: Message) -> None:
        super().__init__(english(message))
        self.message = message
        self.expected = expected


def said(exc: Exception) -> Message:
    """What a reader reports for ``exc``: a cell's, or the catalogue's refusal, as a text."""
    if isinstance(exc, CellError | ImportRefused):
        return exc.message
    if isinstance(exc, UnknownKPI | UnknownDataPoint):
        return lookup_text(exc)
    return str(exc)


def is_blank(raw: Any, blank_values: Iterable[str] = ()) -> bool:
    if raw is None:
        return True
    text = str(raw).strip()
    if not text:
        return True
    return text.casefold() in {b.casefold() for b in blank_values}


def cell_text(raw: Any) -> str:
    """A cell as text for a report or a text field (numbers without a trailing ".0")."""
    if type(raw) is str:  # nearly every cell of a CSV file
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return str(raw).strip()


def read_number(raw: Any) -> float | None:
    """A number cell: a number, or text such as "1 234,5", "12.3 %" (``None`` when blank)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    if not text:
        return None
    if _PLAIN_NUMBER.fullmatch(text):  # "1234.5": what machines write; no need to guess
        return float(text)
    try:
        return float(parse_number(text))
    except (ValueError, TypeError) as exc:
        raise CellError(
            Text(gettext_noop("This cell should hold a number but holds text.")),
            Text(gettext_noop("a number such as 1234.5 or 1 234,5")),
        ) from exc


def read_boolean(raw: Any) -> float | None:
    """A yes/no cell as 1.0 / 0.0: yes, no, ja, nei, true, false, 1, 0."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float) and raw in (0, 1):
        return float(raw)
    try:
        return 1.0 if parse_boolean(str(raw)) else 0.0
    except (ValueError, TypeError) as exc:
        raise CellError(
            Text(gettext_noop("This cell should say yes or no.")), Text(gettext_noop("yes or no"))
        ) from exc


_QUALITY_LEAD = re.compile(r"^\s*([1-6])(?:\s*[-–:.)]|\s*$)")


def read_quality(raw: Any) -> int | None:
    """A data-quality grade: 1-6, "2 - Reliable data with minor gaps", or the grade's label."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and int(raw) in Quality.values:
            return int(raw)
    else:
        text = str(raw)
        m = _QUALITY_LEAD.match(text)
        if m:
            return int(m.group(1))
        wanted = normalise_header(text)
        for grade, label in Quality.choices:
            if normalise_header(label) == wanted:
                return int(grade)
    raise CellError(
        Text(gettext_noop("The data-quality grade must be one of the six U4SSC grades.")),
        Text(gettext_noop("a grade from 1 (accurate measurements) to 6 (unknown methodology)")),
    )


def read_version(raw: Any) -> int:
    """The version of the stored value a row was made from (a workbook's hidden column, a
    long CSV's optional one): a whole number of at least 0."""
    try:
        number = read_number(raw)
    except CellError:
        number = None
    if number is None or number < 0 or not float(number).is_integer():
        raise CellError(
            Text(
                gettext_noop(
                    "The version is not a whole number. Download a fresh file, or put back "
                    "the number it held."
                )
            ),
            Text(gettext_noop("the version of the stored value the file was made from")),
        )
    return int(number)


STATUS_WORDS = {
    ValueStatus.REPORTED: (
        "reported",
        "rapportert",
        "yes",
        "ja",
    ),
    ValueStatus.NOT_AVAILABLE: (
        "not available",
        "not_available",
        "n/a",
        "na",
        "nr",
        "not reported",
        "ikke tilgjengelig",
        "mangler",
    ),
    ValueStatus.NOT_APPLICABLE: (
        "not applicable",
        "not_applicable",
        "ikke relevant",
        "ikke aktuelt",
        "ikke anvendelig",
    ),
}


def read_status(raw: Any) -> str | None:
    """reported / not available / not applicable, in English, Norwegian or as stored."""
    if raw is None or not str(raw).strip():
        return None
    text = normalise_header(raw)
    # "Reported / Rapportert" as offered by the workbook's drop-down
    parts = [p.strip() for p in text.split("/")] if "/" in text and text != "n/a" else [text]
    for status, words in STATUS_WORDS.items():
        if text in words or all(p in words for p in parts):
            return str(status)
    raise CellError(
        Text(gettext_noop("Unknown status.")),
        Text(gettext_noop("reported, not available or not applicable")),
    )


_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)")


def read_year(raw: Any, take: str = "end") -> int | None:
    """A year from a plain year (2014), a date, a date-time ("12/31/2013 12:00:00 AM") or a
    period ("2013-07-01 - 2014-06-30"; ``take`` chooses the ``"end"`` or ``"start"`` year).
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime | dt.date):
        year = raw.year
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if not float(raw).is_integer():
            raise CellError(
                Text(gettext_noop("A year must be a whole number.")),
                Text(gettext_noop("a year such as 2024")),
            )
        year = int(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        found = [int(y) for y in _YEAR.findall(text)]
        if not found:
            raise CellError(
                Text(gettext_noop("No year can be read here.")),
                Text(gettext_noop("a year (2024), a date or a period (2023-07-01 - 2024-06-30)")),
            )
        year = found[0] if take == "start" else found[-1]
    refusal = year_refusal(year)
    if refusal is not None:
        raise CellError(refusal, year_expected())
    return year


def match_columns(
    headers: Iterable[Any], wanted: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], list[str]]:
    """Column index of each wanted field (by any of its header names), and the headers
    that matched none."""
    index: dict[str, int] = {}
    unknown: list[str] = []
    names = {alias: key for key, aliases in wanted.items() for alias in aliases}
    for i, header in enumerate(headers):
        norm = normalise_header(header)
        if not norm:
            continue
        key = names.get(norm) or names.get(norm.replace("_", " "))
        if key is None:
            unknown.append(str(header).strip())
        elif key not in index:
            index[key] = i
    return index, unknown
