"""The template filters every page formats numbers with."""

from __future__ import annotations

import pytest
from django.utils import translation

from u4ssc.web.templatetags.u4ssc_tags import num


@pytest.mark.parametrize(
    ("value", "english", "bokmal"),
    [
        (90.0, "90", "90"),
        (89.999999, "90", "90"),  # rounds to a whole number: no ".00"
        (5.6, "5.6", "5,6"),  # not "5.600"
        (15.10, "15.1", "15,1"),
        (0.12345, "0.1235", "0,1235"),
        (99.52, "99.52", "99,52"),
        (103168.4, "103,168", "103\xa0168"),
        (-0.5, "-0.5", "-0,5"),
        (0, "0", "0"),
        (None, "-", "-"),
        ("n/a", "n/a", "n/a"),
    ],
)
def test_num_shows_four_significant_figures_without_padding_zeros(value, english, bokmal):
    with translation.override("en"):
        assert num(value) == english
    with translation.override("nb"):
        assert num(value).replace(" ", "\xa0") == bokmal


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(1234.5, 4, "1,235"), (0.125, 2, "0.13"), (2.5, 1, "3"), (-2.5, 1, "-3"), (99.995, 4, "100")],
)
def test_num_rounds_halves_up_as_people_do(value, digits, text):
    assert num(value, digits) == text


def test_num_of_an_infinite_number_is_a_dash():
    assert num(float("inf")) == "-" and num(float("nan")) == "-"
