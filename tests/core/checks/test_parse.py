"""parse_number() and parse_boolean(): numbers and answers as people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from u4ssc.core.checks import format_number, parse_boolean, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # no-break space
        ("1\u202f234\u202f567", 1234567),  # narrow no-break space
        ("1'234.5", 1234.5),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),
        ("12.3 %", 12.3),
        ("97,07%", 97.07),
        ("0,125", 0.125),
        (" 42 ", 42),
        ("-3,5", -3.5),
        ("\u22124", -4),  # Unicode minus
        ("+7", 7),
        (".5", 0.5),
        ("1e3", 1000),
        ("1,5e3", 1500),
        ("95 424", 95424),
        ("1 234,567", 1234.567),  # after a space group the comma can only be decimal
        ("1,", 1),
    ],
)
def test_parse_number_reads_common_spellings(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("n/a", "Leave the field empty"),
        ("NR", "Leave the field empty"),
        ("-", "Leave the field empty"),
        ("abc", "not a number"),
        ("", "No number"),
        ("   ", "No number"),
        ("12 34", "groups of three"),
        ("1,2,3.4", "groups of three"),
        ("1.2.3", "groups of three"),
        ("1,234", "ambiguous"),
        ("inf", "not a number"),
        ("nan", "not a number"),
        ("1e999", "too large"),
    ],
)
def test_parse_number_explains_what_it_cannot_read(text, match):
    with pytest.raises(ValueError, match=match):
        parse_number(text)


def test_the_decimal_mark_can_be_given_for_ambiguous_text():
    assert parse_number("1,234", decimal=",") == 1.234
    assert parse_number("1,234", decimal=".") == 1234
    assert parse_number("1.234", decimal=",") == 1234
    assert parse_number("1.234") == 1.234


def test_numbers_pass_through_but_not_booleans():
    assert parse_number(3) == 3.0
    assert parse_number(2.5) == 2.5
    with pytest.raises(ValueError):
        parse_number(True)
    with pytest.raises(ValueError):
        parse_number(float("inf"))


def _english(x: float) -> str:
    return f"{x:,.2f}"


def _norwegian(x: float) -> str:
    return f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _spaced(x: float) -> str:
    return format_number(x)


def _percent(x: float) -> str:
    return f"{x:.2f} %"


@given(
    cents=st.integers(min_value=-(10**12), max_value=10**12),
    style=st.sampled_from([_english, _norwegian, _spaced, _percent, repr]),
)
def test_parse_number_round_trips_every_way_we_print(cents, style):
    x = cents / 100
    assert parse_number(style(x)) == pytest.approx(x, abs=1e-9)


@pytest.mark.parametrize(
    "text", ["yes", "Yes", "Y", "ja", "JA", "j", "true", "sant", "1", " ja. ", True, 1]
)
def test_parse_boolean_yes(text):
    assert parse_boolean(text) is True


@pytest.mark.parametrize("text", ["no", "No", "N", "nei", "false", "usant", "0", False, 0])
def test_parse_boolean_no(text):
    assert parse_boolean(text) is False


@pytest.mark.parametrize("text", ["maybe", "delvis", "2", "", 2, 0.5])
def test_parse_boolean_refuses_anything_else(text):
    with pytest.raises(ValueError, match="yes/no"):
        parse_boolean(text)


@pytest.mark.parametrize(
    ("x", "text"),
    [(12345, "12 345"), (94.9615, "94.96"), (0.23456, "0.2346"), (100.5, "100.5"), (0, "0")],
)
def test_format_number(x, text):
    assert format_number(x) == text
