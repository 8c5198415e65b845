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
