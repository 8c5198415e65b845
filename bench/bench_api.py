"""Benchmark: the open data API's value list with 1,000 cities x 10 years loaded.

Target (issue 2, section 9): median under 50 ms per page, and SQL queries per page that do
not grow with the number of rows. Prints, per kind of page, the median server time, the
ratio to the target and the query count, measured in this run.

    .venv/bin/python bench/bench_api.py              # SQLite (embedded default)
    .venv/bin/python bench/bench_api.py --postgres   # PostgreSQL at 127.0.0.1:5432

Loads about 910,000 values (one per KPI, first data point) into a scratch database first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = 50.0
CITIES = 1_000
YEARS = list(range(2016, 2026))


def setup(postgres: bool) -> None:
    scratch = tempfile.mkdtemp(prefix="u4ssc-bench-api-")
    os.environ["U4SSC_DATA_DIR"] = scratch
    os.environ["DJANGO_SETTINGS_MODULE"] = "u4ssc.web.settings"
    if postgres:
        import psycopg

        name = "u4ssc_bench_api"
        with psycopg.connect(
            "postgresql://postgres:postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres:postgres@127.0.0.1:5432/{name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load() -> float:
    import numpy as np
    from django.db import transaction

    from u4ssc.apps.catalogue.models import KPI
    from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State
    from u4ssc.apps.organisations.models import Organisation, OrgKind
    from u4ssc.core.catalogue import load_catalogue

    rng = np.random.default_rng(2026)
    countries = ["NO", "SE", "AT", "DE", "BR", "JP", "KE", "IN", "CA", "ES"]
    started = time.perf_counter()
    with transaction.atomic():
        Organisation.objects.bulk_create(
            Organisation(
                kind=OrgKind.CITY,
                name=f"Bench city {i:04d}",
                slug=f"bench-city-{i:04d}",
                country_code=countries[i % len(countries)],
                population=int(rng.integers(20_000, 2_000_000)),
                is_synthetic=True,
            )
            for i in range(CITIES)
        )
        cities = list(Organisation.objects.filter(kind=OrgKind.CITY).values_list("id", flat=True))
        Evaluation.objects.bulk_create(
            Evaluation(city_id=c, year=y, state=State.PUBLISHED, is_synthetic=True)
            for c in cities
            for y in YEARS
        )
        evaluations = list(Evaluation.objects.values_list("id", flat=True))
        cat = load_catalogue()
        kpis = {k.key: k for k in KPI.objects.all()}
        measurands = [(kpis[k.key].id, k.measurands()[0]) for k in cat.kpis]
        # Plain executemany: the ORM's per-object work would dominate a 910,000-row load.
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        table = KPIValue._meta.db_table
        cols = [
            "evaluation_id",
            "kpi_id",
            "data_point",
            "status",
            "value",
            "unit",
            "source",
            "quality",
            "notes",
            "is_synthetic",
            "issues",
            "version",
            "updated_at",
            "review_status",
            "review_comment",
        ]
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
        rows = []
        with connection.cursor() as cursor:
            for ev in evaluations:
                for kpi_id, m in measurands:
                    lo = m.plausible_min if m.plausible_min is not None else 0.0
                    hi = m.plausible_max if m.plausible_max is not None else lo + 100.0
                    value = float(lo + (hi - lo) * rng.random() * 0.8)
                    rows.append(
                        (
                            ev,
                            kpi_id,
                            m.data_point,
                            "reported",
                            value,
                            m.unit,
                            "benchmark (synthetic)",
                            2,
                            "",
                            True,
                            "[]",
                            1,
                            now,
                            "pending",
                            "",
                        )
                    )
                if len(rows) >= 50_000:
                    cursor.executemany(sql, rows)
                    rows = []
            cursor.executemany(sql, rows)
    # Fresh statistics after a bulk load, as autovacuum would gather within a minute on
    # PostgreSQL (without them its planner takes the table for empty) and as SQLite's
    # planner uses when present.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(label: str, url: str, client, repeats: int = 25) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (catalogue, compiled templates)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).json()
    median = statistics.median(times)
    return {
        "label": label,
        "median_ms": median,
        "ratio": median / TARGET_MS,
        "queries": len(ctx.captured_queries),
        "items": len(body["items"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    setup(args.postgres)
    from django.test import Client

    from u4ssc.apps.evaluations.models import KPIValue

    seconds = load()
    n = KPIValue.objects.count()
    deep = KPIValue.objects.order_by("evaluation_id", "id").values_list("evaluation_id", "id")[
        900_000
    ]
    print(
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; loaded {n:,} values "
        f"({CITIES} cities x {len(YEARS)} years) in {seconds:.1f} s"
    )
    client = Client()
    pages = [
        ("first page, 100 values", "/api/evaluations/values?limit=100"),
        (
            "deep page (after the 900,000th)",
            f"/api/evaluations/values?limit=100&after={deep[0]}.{deep[1]}",
        ),
        ("first page, 1,000 values", "/api/evaluations/values?limit=1000"),
        ("one city", "/api/evaluations/values?city=bench-city-0500&limit=100"),
        ("one country and year", "/api/evaluations/values?country=SE&year=2020&limit=100"),
        ("one KPI", "/api/evaluations/values?kpi=EN: EN: AQ: 2C&limit=100"),
        ("evaluations list", "/api/evaluations/?limit=100"),
    ]
    print(f"{'page':40s} {'median ms':>10s} {'/ 50 ms':>8s} {'queries':>8s}")
    worst = 0.0
    for label, url in pages:
        r = measure(label, url, client)
        worst = max(worst, r["ratio"] if "1,000 values" not in label else 0)
        print(f"{r['label']:40s} {r['median_ms']:10.1f} {r['ratio']:8.2f} {r['queries']:8d}")
    print(
        f"worst ratio of the 100-value pages to the 50 ms target: {worst:.2f} "
        f"({'met' if worst < 1 else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
