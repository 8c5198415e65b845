"""An import's SQL queries do not grow with its rows (only with the number of batches)."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from u4ssc.apps.evaluations.actions import INSERT_BATCH
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer.tests.conftest import long_csv, run
from u4ssc.core.catalogue import load_catalogue

pytestmark = pytest.mark.django_db


def rows_for(cities: list[str], n_kpis: int) -> list[list[object]]:
    kpis = [k for k in load_catalogue().kpis if not k.data_points and k.measure.kind == "value"]
    ratio = [k for k in load_catalogue().kpis if not k.data_points and k.measure.kind == "ratio"]
    rows: list[list[object]] = []
    for city in cities:
        for kpi in (kpis + ratio)[:n_kpis]:
            if kpi.measure.kind == "ratio":
                rows.append([city, 2024, kpi.code, "", "numerator", "1", "", "src", "2"])
                rows.append([city, 2024, kpi.code, "", "denominator", "4", "", "src", "2"])
            else:
                low = kpi.plausible_min or 0
                rows.append([city, 2024, kpi.code, "", "value", str(low + 1), "", "src", "2"])
    return rows


def count_queries(path) -> tuple[int, int, object]:
    """(queries other than batched inserts, batched inserts, report)."""
    with CaptureQueriesContext(connection) as ctx:
        _run, report = run(path, None, channel="cli", check_permission=False)
    assert report.outcome == "written", report.errors[:3]
    batched = ('INSERT INTO "evaluations_kpivalue"', 'INSERT INTO "evaluations_valuerevision"')
    inserts = sum(1 for q in ctx.captured_queries if q["sql"].startswith(batched))
    return len(ctx.captured_queries) - inserts, inserts, report


def max_batches(values: int) -> int:
    """Insert statements for ``values`` new values and their revisions (two tables)."""
    return 2 * math.ceil(values / INSERT_BATCH)


@pytest.mark.parametrize("phase", ["first import", "same file again"])
def test_queries_do_not_grow_with_rows(world, tmp_path, phase):
    for i in range(10):
        Organisation.objects.create(kind=OrgKind.CITY, name=f"City {i}", slug=f"city-{i}")
    small = long_csv(tmp_path / "small.csv", rows_for(["city-0"], 10))
    big = long_csv(tmp_path / "big.csv", rows_for([f"city-{i}" for i in range(1, 10)], 25))
    if phase == "same file again":
        run(small, None, check_permission=False)
        run(big, None, check_permission=False)
    small_queries, small_inserts, small_report = count_queries(small)
    big_queries, big_inserts, big_report = count_queries(big)
    assert small_report.rows < 20 and big_report.rows > 200
    # 9 cities instead of 1, 20 times the rows: the same statements ...
    assert big_queries == small_queries, (small_queries, big_queries)
    # ... but for the inserts of new values and revisions, made in batches
    assert big_inserts <= max_batches(big_report.created)
    if phase == "same file again":
        assert big_inserts == small_inserts == 0
