"""Published data for benchmarking tests: evaluations written straight to the tables.

The write path (entry, checks, review, publication) has its own tests in the evaluations
app; here only the published result matters, so ``publish`` stores it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from u4ssc.apps.benchmarking import scoreboard
from u4ssc.apps.catalogue.models import KPI, Target, TargetSet, TargetSetKind
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
from u4ssc.apps.organisations.models import Organisation
from u4ssc.core.catalogue import load_catalogue

INTERNET = "EC: ICT: ICT: 1C"  # higher is better
BROADBAND = "EC: ICT: ICT: 2C"  # higher is better
UNEMPLOYMENT = "EC: P: EM: 1C"  # lower is better
PATENTS = "EC: P: IN: 2C"  # no target in the test set
GENDER = "SC: SH: SI: 1C"  # a range
AIR = "EN: EN: AQ: 1C"  # data points pm2_5, pm10, no2, so2, o3
COVERAGE = "EC: ICT: ICT: 4C"  # data points 3g, 4g

Values = dict[str, float | dict[str, float]]


@pytest.fixture(autouse=True)
def _fresh_boards() -> Any:
    scoreboard.clear_cache()
    yield
    scoreboard.clear_cache()


def publish(
    city: Organisation,
    year: int,
    values: Values,
    *,
    state: str = State.PUBLISHED,
    synthetic: bool = False,
    quality: int | None = 2,
    source: str = "Statistics Norway",
) -> Evaluation:
    """Store ``city``'s evaluation of ``year`` with ``values`` ({code: value} or
    {code: {data point: value}}), published unless ``state`` says otherwise."""
    evaluation = Evaluation.objects.create(
        city=city,
        year=year,
        state=state,
        is_synthetic=synthetic,
        published_at=timezone.now() if state == State.PUBLISHED else None,
    )
    catalogue = load_catalogue()
    kpis = {k.key: k for k in KPI.objects.all()}
    rows = []
    for code, given in values.items():
        kpi = catalogue.get(code)
        points = given if isinstance(given, dict) else {"": given}
        for point, value in points.items():
            measurand = catalogue.measurand(code, point)
            rows.append(
                KPIValue(
                    evaluation=evaluation,
                    kpi=kpis[kpi.key],
                    data_point=measurand.data_point,
                    status=ValueStatus.REPORTED,
                    value=value,
                    unit=measurand.unit,
                    source=source,
                    quality=quality,
                    is_synthetic=synthetic,
                )
            )
    KPIValue.objects.bulk_create(rows)
    return evaluation


@pytest.fixture
def publish_values() -> Callable[..., Evaluation]:
    return publish


def make_target_set(
    owner: Organisation,
    targets: dict[tuple[str, str], tuple[str, float | None, float | None, float | None]],
    *,
    name: str = "Test targets",
    slug: str = "test-targets",
    kind: str = TargetSetKind.PROGRAMME,
    method: str = "u4ssc",
    settings: dict[str, Any] | None = None,
) -> TargetSet:
    """A target set with {(code, data point): (direction, value, low, high)}."""
    target_set = TargetSet.objects.create(
        name=name, slug=slug, kind=kind, owner=owner, method=method, settings=settings or {}
    )
    catalogue = load_catalogue()
    kpis = {k.key: k for k in KPI.objects.all()}
    Target.objects.bulk_create(
        Target(
            target_set=target_set,
            kpi=kpis[catalogue.get(code).key],
            data_point=catalogue.measurand(code, point).data_point,
            direction=direction,
            value=value,
            range_low=low,
            range_high=high,
            source="test",
        )
        for (code, point), (direction, value, low, high) in targets.items()
    )
    return target_set


TEST_TARGETS = {
    (INTERNET, ""): ("higher", 100.0, None, None),
    (BROADBAND, ""): ("higher", 100.0, None, None),
    (UNEMPLOYMENT, ""): ("lower", 4.0, None, None),
    (GENDER, ""): ("range", None, 0.95, 1.05),
    (AIR, "pm2_5"): ("lower", 5.0, None, None),
    (AIR, "no2"): ("lower", 10.0, None, None),
    (COVERAGE, "3g"): ("higher", 100.0, None, None),
    (COVERAGE, "4g"): ("higher", 100.0, None, None),
}


@pytest.fixture
def targets(world: Any) -> TargetSet:
    """A U4SSC target set for Internet, broadband, unemployment, gender equity, air
    pollution (PM2.5, NO2) and wireless coverage (3G, 4G); Patents has no target."""
    return make_target_set(world.programme, TEST_TARGETS)
