"""Which years a city's data may be for: one rule for every door (the data sheet, uploads
and workbooks, the API, the command line), enforced again by ``apply_entries``.

A year is from ``FIRST_YEAR`` to next year: data describes the past, and next year's
sheet may be opened early (a city preparing its data collection); anything later is a typing
mistake (2031 for 2013), refused with a message that says which years are possible.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from u4ssc.core.checks import Text

# The earliest year the platform takes (its lower bound from the start).
FIRST_YEAR = 1990


def last_year(today: datetime.date | None = None) -> int:
    """The latest year data may be for: next year (in the platform's time zone)."""
    return (today or timezone.localdate()).year + 1


def year_refusal(year: int, today: datetime.date | None = None) -> Text | None:
    """Why ``year`` cannot hold data, as a text; ``None`` when it can."""
    last = last_year(today)
    if FIRST_YEAR <= year <= last:
        return None
    return Text(
        gettext_noop(
            "%(year)s is not a year the platform takes data for: give a year from %(first)s "
            "to %(last)s (next year)."
        ),
        {"year": str(year), "first": str(FIRST_YEAR), "last": str(last)},
    )


def year_expected(today: datetime.date | None = None) -> Text:
    return Text(
        gettext_noop("a year from %(first)s to %(last)s"),
        {"first": str(FIRST_YEAR), "last": str(last_year(today))},
    )


class YearError(ValueError):
    """A year that cannot hold data; ``text`` says why (``str()`` in English)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.english())
        self.text = text


def check_year(year: int) -> None:
    """Raise :class:`YearError` unless ``year`` can hold data."""
    refusal = year_refusal(year)
    if refusal is not None:
        raise YearError(refusal)
