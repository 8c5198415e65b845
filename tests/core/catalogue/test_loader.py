"""The catalogue's lookups by code and data point."""

from __future__ import annotations

import pytest


def test_lookups_answer_the_same_the_second_time():
    # the catalogue remembers lookups by spelling (imports ask 100,000 times): a repeated
    # lookup gives the same object, and an unknown code or data point still raises
    from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI, load_catalogue

    cat = load_catalogue()
    first = cat.measurand("ec: ict: ict: 4c", "3G")
    assert cat.measurand("ec: ict: ict: 4c", "3G") is first
    assert cat.measurand("EC: ICT: ICT: 4C", "3g") is first
    assert cat.find("EC:ICT:ICT:4C") is cat.find("ec: ict: ict: 4c") is cat.get("EC: ICT: ICT: 4C")
    for _ in range(2):
        with pytest.raises(UnknownKPI):
            cat.get("XX: 99")
        with pytest.raises(UnknownDataPoint):
            cat.measurand("EC: ICT: ICT: 4C", "6G")
        assert cat.find("XX: 99") is None
