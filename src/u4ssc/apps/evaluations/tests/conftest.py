from __future__ import annotations

import pytest

from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import Evaluation

INTERNET = "EC: ICT: ICT: 1C"  # households with Internet access / total households x 100
BROADBAND = "EC: ICT: ICT: 2C"  # fixed broadband subscriptions / total households x 100


@pytest.fixture
def evaluation(world):
    return Evaluation.objects.create(city=world.city, year=2024)


@pytest.fixture
def enter(world):
    """Save values as Ålesund's officer: enter(code, **fields) -> ApplyResult."""

    def _enter(code, *, year=2024, user=None, city=None, **fields):
        fields.setdefault("source", "Statistics Norway")
        inp = ValueInput(
            city_id=(city or world.city).id, year=year, kpi_code=code, ref="test", **fields
        )
        return apply_entries(actor=user or world.user("officer"), inputs=[inp], channel="form")

    return _enter
