"""Benchmark: the city profile page with 1,000 cities x 10 years of published values.

Target (issue 3): median server time under 150 ms, with a number of SQL queries that does
not grow with the number of cities and KPIs (the tests assert the latter). Prints, for the
programme default target set and for a set with a target on every measurand, the time to
build the scoreboard (the first request after the data changed), the median server time of
the page once built, its ratio to 150 ms and its query count, all measured in this run.

    .venv/bin/python bench/bench_profile.py              # SQLite (embedded default)
    .venv/bin/python bench/bench_profile.py --postgres   # PostgreSQL at 127.0.0.1:5432

Loads about 910,000 values (bench_api.py's loader: one per KPI, first data point) into a
scratch database first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_api  # the scratch database and the executemany loader

TARGET_MS = 150.0
CITY = "bench-city-0500"


def full_target_set() -> str:
    """A target set with a target on every measurand (catalogue direction, a level inside
    the plausible range), so that every tile of the profile is scored."""
    from u4ssc.apps.catalogue.models import KPI, Target, TargetSet, TargetSetKind
    from u4ssc.apps.organisations.models import Organisation
    from u4ssc.core.catalogue import load_catalogue

    owner = Organisation.objects.get(slug="u4ssc")
    target_set = TargetSet.objects.create(
        name="Bench: every measurand", slug="bench-all", kind=TargetSetKind.PROGRAMME, owner=owner
    )
    kpis = {k.key: k for k in KPI.objects.all()}
    rows = []
    for kpi in load_catalogue().kpis:
        for m in kpi.measurands():
            lo = m.plausible_min if m.plausible_min is not None else 0.0
            hi = m.plausible_max if m.plausible_max is not None else lo + 100.0
            level = lo + 0.6 * (hi - lo)
            kind = m.direction.kind
            rows.append(
                Target(
                    target_set=target_set,
                    kpi=kpis[kpi.key],
                    data_point=m.data_point,
                    direction=kind,
                    value=None if kind == "range" else level,
                    range_low=m.direction.low if kind == "range" else None,
                    range_high=m.direction.high if kind == "range" else None,
                    source="benchmark",
                )
            )
    Target.objects.bulk_create(rows)
    return target_set.slug


def measure(client, url: str, repeats: int = 25) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t0 = time.perf_counter()
    response = client.get(url)  # builds the scoreboard (and compiles templates)
    first = time.perf_counter() - t0
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    median = statistics.median(times)
    tiles = response.content.count(b'class="tile band-')
    return {
        "first_s": first,
        "median_ms": median,
        "ratio": median / TARGET_MS,
        "queries": len(ctx.captured_queries),
        "tiles": tiles,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    bench_api.setup(args.postgres)
    from django.test import Client

    from u4ssc.apps.evaluations.models import KPIValue

    seconds = bench_api.load()
    full = full_target_set()
    print(
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; loaded "
        f"{KPIValue.objects.count():,} published values ({bench_api.CITIES} cities x "
        f"{len(bench_api.YEARS)} years) in {seconds:.1f} s; load average "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    client = Client()
    pages = [
        ("programme default set", f"/benchmarking/cities/{CITY}/"),
        ("a target on every measurand", f"/benchmarking/cities/{CITY}/?targets={full}"),
    ]
    print(
        f"{'profile page, target set':32s} {'board s':>8s} {'median ms':>10s} "
        f"{'/ 150 ms':>9s} {'queries':>8s} {'tiles':>6s}"
    )
    worst = 0.0
    for label, url in pages:
        r = measure(client, url)
        worst = max(worst, r["ratio"])
        print(
            f"{label:32s} {r['first_s']:8.2f} {r['median_ms']:10.1f} {r['ratio']:9.2f} "
            f"{r['queries']:8d} {r['tiles']:6d}"
        )
    print(
        f"worst ratio of the median to the 150 ms target: {worst:.2f} "
        f"({'met' if worst < 1 else 'NOT met'})"
    )
    # The other pages have no target; their figures are printed for information.
    others = [
        ("KPI page (1,000 cities)", f"/benchmarking/kpis/ec-ict-ict-1c/?city={CITY}"),
        (
            "comparison of 6 cities",
            "/benchmarking/compare/?"
            + "&".join(f"cities=bench-city-{i:04d}" for i in range(500, 506))
            + f"&targets={full}",
        ),
        ("explain one tile (htmx)", f"/benchmarking/cities/{CITY}/2025/working/ec-p-em-1c/"),
    ]
    for label, url in others:
        r = measure(client, url, repeats=10)
        print(f"{label:32s} {'':8s} {r['median_ms']:10.1f} {'':9s} {r['queries']:8d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
