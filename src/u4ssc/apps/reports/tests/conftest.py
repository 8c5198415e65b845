from __future__ import annotations

from typing import Any

import pytest

from u4ssc.apps.catalogue.queries import default_target_set
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus


def targeted_kpis(n: int) -> list[Any]:
    """``n`` single-value KPI targets of the programme default set (code, target)."""
    targets = default_target_set().targets.select_related("kpi").filter(data_point="")
    return [t for t in targets if t.value is not None][:n]


@pytest.fixture
def publish(world, settings, tmp_path):
    """publish(city, year, state=published, synthetic=False): a year of values for a few
    KPIs with targets, entered as the officer, then set to ``state``."""
    settings.DATA_DIR = tmp_path

    def _publish(city=None, year=2024, *, state=State.PUBLISHED, synthetic=False, n=12):
        # Rows written directly: the reports read values, they do not test data entry.
        evaluation = Evaluation.objects.create(
            city=city or world.city, year=year, state=state, is_synthetic=synthetic
        )
        KPIValue.objects.bulk_create(
            KPIValue(
                evaluation=evaluation,
                kpi=t.kpi,
                status=ValueStatus.REPORTED,
                value=round((t.value or 1) * (0.4 + 0.05 * i + (year - 2020) * 0.02), 3),
                unit=t.kpi.unit,
                source="Statistikk #1 *ikke* $fet$ <a> @b \\ æøå",
                quality=1 + i % 6,
                is_synthetic=synthetic,
            )
            for i, t in enumerate(targeted_kpis(n))
        )
        return evaluation

    return _publish
