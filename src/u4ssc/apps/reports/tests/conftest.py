"""Published data for report tests, scored by the real benchmarking data layer.

Rows are written straight to the tables (the write path has its own tests in the
evaluations app): what a report shows is what ``benchmarking.queries`` makes of published
values, and the tests compare the two.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from u4ssc.apps.benchmarking import scoreboard
from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
from u4ssc.core.catalogue import load_catalogue

# A source full of Typst markup and a spreadsheet formula: reports print it as typed.
NASTY = r"=Statistikk #1 *ikke* $fet$ <a> @b \ æøå"
NOT_REPORTED = ("EC: ICT: ICT: 3C", "SC: SH: FS: 1A")  # left out of every published year
COUNT_KPI = "EC: ICT: PS: 2A"  # unit "number"
PER_100K = "EC: P: IN: 2C"  # unit "per 100 000 inhabitants"
YES_NO = "SC: SH: SA: 3A"  # unit "yes/no", a target (yes) in the programme default


@pytest.fixture(autouse=True)
def _fresh_boards() -> Any:
    scoreboard.clear_cache()
    yield
    scoreboard.clear_cache()


def _value(i: int, unit: str, year: int) -> float:
    """A plausible value of the ``i``-th measurand that moves a little each year."""
    if unit == "yes/no":
        return 1.0
    base = 20.0 + (37 * i) % 75  # 20..94, spread so that bands differ
    return round(base * (1 + 0.03 * (year - 2020)), 3)


@pytest.fixture
def publish(world: Any, settings: Any, tmp_path: Any) -> Any:
    """publish(city, year, state=published, synthetic=False, source=NASTY): a value for
    every measurand of the catalogue but ``NOT_REPORTED``, then the evaluation set to
    ``state``."""
    settings.DATA_DIR = tmp_path

    def _publish(
        city: Any = None,
        year: int = 2024,
        *,
        state: str = State.PUBLISHED,
        synthetic: bool = False,
        source: str = NASTY,
    ) -> Evaluation:
        evaluation = Evaluation.objects.create(
            city=city or world.city,
            year=year,
            state=state,
            is_synthetic=synthetic,
            published_at=timezone.now() if state == State.PUBLISHED else None,
        )
        kpis = {k.key: k for k in KPI.objects.all()}
        measurands = [
            (k, m)
            for k in load_catalogue().kpis
            if k.code not in NOT_REPORTED
            for m in k.measurands()
        ]
        KPIValue.objects.bulk_create(
            KPIValue(
                evaluation=evaluation,
                kpi=kpis[k.key],
                data_point=m.data_point,
                status=ValueStatus.REPORTED,
                value=_value(i, m.unit, year),
                unit=m.unit,
                source=source,
                quality=1 + i % 6,
                is_synthetic=synthetic,
            )
            for i, (k, m) in enumerate(measurands)
        )
        return evaluation

    return _publish
