"""Targets written as people read them, in the active language."""

from __future__ import annotations

import pytest
from django.utils import translation

from u4ssc.apps.benchmarking.labels import direction_text


@pytest.mark.parametrize(
    ("lang", "direction", "target", "text"),
    [
        ("en", "higher", 120000.0, "≥ 120,000"),
        ("nb", "higher", 120000.0, "≥ 120\xa0000"),
        ("en", "lower", 0.5, "≤ 0.5"),
        ("nb", "lower", 0.5, "≤ 0,5"),
        ("en", "range", {"low": 0.95, "high": 1.05}, "0.95–1.05"),
        ("nb", "range", {"low": 0.95, "high": 1.05}, "0,95–1,05"),
        # a target is written as set: no digit rounded away
        ("en", "higher", 99.125, "≥ 99.125"),
        ("en", "higher", 1e-12, "≥ 1e-12"),
    ],
)
def test_a_target_is_written_in_the_readers_number_format(lang, direction, target, text):
    with translation.override(lang):
        assert direction_text(direction, target) == text
