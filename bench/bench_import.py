"""Import benchmark: a long CSV of 1,000 cities x 91 KPIs, imported end to end.

The file (one row per KPI or data point: about 112,000 rows) is generated
deterministically from the catalogue's measurands, with values inside each measurand's
normal range and consistent across KPIs (mode shares add up to 100 %, potable water is
no more than basic water ...), so the import reads, checks and writes every row. Timed:
parse + validate + write through ``transfer.actions.import_file`` (the path of the upload
page, the API and ``u4ssc import``), then the same file a second time (every value
unchanged).

Runs on SQLite (a scratch file), and on PostgreSQL when ``DATABASE_URL`` is set or a server
answers at 127.0.0.1:5432 (a scratch database is created and dropped). Each database runs
in its own process, since Django reads its settings once.

    python bench/bench_import.py [--cities 1000] [--only sqlite|postgresql]

Not a test: it prints the seconds and the ratio to the target (10 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TARGET_SECONDS = 10.0
SEED = 20261203
DEFAULT_PG = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Data points whose values are shares of one whole (they add up to 100 %).
SHARE_KPIS = ("EC: I: T: 4A", "EN: EN: WA: 1C")


def _bounds(m: Any) -> tuple[float, float]:
    low = m.warn_min if m.warn_min is not None else m.plausible_min
    high = m.warn_max if m.warn_max is not None else m.plausible_max
    low = 0.0 if low is None else float(low)
    if high is None:
        high = 100.0 if "%" in m.unit or low == 0 else low * 10
    return low, float(high)


def _value(m: Any, rng: random.Random) -> float:
    low, high = _bounds(m)
    # stay well inside the normal band, away from both edges
    return round(low + (high - low) * rng.uniform(0.2, 0.8), 3)


def city_values(catalogue: Any, rng: random.Random) -> list[tuple[str, str, str]]:
    """(KPI code, data point, value text) for one city: every measurand once."""
    rows: list[tuple[str, str, str]] = []
    by_key: dict[tuple[str, str], float] = {}
    for kpi in catalogue.kpis:
        measurands = kpi.measurands()
        if kpi.key in SHARE_KPIS:
            weights = [rng.uniform(0.5, 1.5) for _ in measurands]
            total = sum(weights)
            shares = [round(100 * w / total, 2) for w in weights]
            for m, share in zip(measurands, shares, strict=True):
                rows.append((kpi.code, m.data_point, f"{share}"))
            continue
        for m in measurands:
            if m.measure.kind == "boolean":
                rows.append((kpi.code, m.data_point, rng.choice(("yes", "no"))))
                continue
            value = _value(m, rng)
            by_key[(kpi.key, m.data_point)] = value
            rows.append((kpi.code, m.data_point, f"{value}"))
    # the verifiers' consistency hints: broadband <= internet access, potable <= basic water
    fixes = {
        ("EC: ICT: ICT: 2C", ""): ("EC: ICT: ICT: 1C", ""),
        ("EC: I: WS: 2C", ""): ("EC: I: WS: 1C", ""),
    }
    out = []
    for code, point, text in rows:
        key = (catalogue.get(code).key, point)
        if key in fixes and fixes[key] in by_key:
            text = f"{round(min(float(text), by_key[fixes[key]] * 0.95), 3)}"
        out.append((code, point, text))
    return out


def write_file(path: Path, slugs: list[str], year: int) -> int:
    from u4ssc.core.catalogue import load_catalogue

    catalogue = load_catalogue()
    rng = random.Random(SEED)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["city", "year", "kpi", "data_point", "component", "value", "unit", "source", "quality"]
        )
        for slug in slugs:
            for code, point, text in city_values(catalogue, rng):
                writer.writerow(
                    [
                        slug,
                        year,
                        code,
                        point,
                        "value",
                        text,
                        "",
                        "Benchmark generator",
                        rng.randint(1, 4),
                    ]
                )
                n += 1
    return n


# --------------------------------------------------------------------------- one database


def run_one(label: str, cities: int) -> None:
    """In a process whose settings point at a scratch database: migrate, create the
    cities, write the file, import it twice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "u4ssc.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from u4ssc.apps.organisations.models import Organisation, OrgKind
    from u4ssc.apps.transfer.actions import import_file

    call_command("migrate", verbosity=0, interactive=False)
    slugs = [f"bench-city-{i:04d}" for i in range(1, cities + 1)]
    Organisation.objects.bulk_create(
        [Organisation(kind=OrgKind.CITY, name=f"Bench City {s[-4:]}", slug=s) for s in slugs]
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-long.csv"
        t0 = time.perf_counter()
        rows = write_file(path, slugs, 2024)
        generated = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        print(
            f"[{label}] {cities} cities: {rows:,} rows, {size_mb:.1f} MB "
            f"(generated in {generated:.1f} s)"
        )
        for attempt in ("first import", "same file again"):
            with path.open("rb") as fh:
                t0, cpu0 = time.perf_counter(), time.process_time()
                _run, report = import_file(
                    actor=None,
                    stream=fh,
                    file_name=path.name,
                    channel="cli",
                    check_permission=False,
                )
                seconds = time.perf_counter() - t0
                cpu = time.process_time() - cpu0
            counts = f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged"
            status = "ok" if report.outcome == "written" else f"REFUSED {report.errors[:3]}"
            print(
                f"[{label}] {attempt:16} {seconds:6.2f} s  target {TARGET_SECONDS:.0f} s  "
                f"ratio {seconds / TARGET_SECONDS:.2f}  (CPU of this process {cpu:.2f} s, "
                f"load average {os.getloadavg()[0]:.1f}; {counts}; "
                f"{report.warning_count} warnings; {status})"
            )
    connection.close()


# --------------------------------------------------------------------------- driver


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return DEFAULT_PG
    except OSError:
        return None


def _scratch_postgres(url: str) -> tuple[str, Any]:
    """A new database on the server of ``url``, and a function that drops it."""
    import psycopg

    name = f"u4ssc_bench_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one database
    args = parser.parse_args(argv)
    if args.run:
        run_one(args.run, args.cities)
        return 0
    print(
        f"Import benchmark: {args.cities} cities x 91 KPIs, long CSV; "
        f"target {TARGET_SECONDS:.0f} s per import ({os.cpu_count()} CPUs)"
    )
    failed = 0
    # Production settings: DEBUG off (Django then keeps no log of the SQL it runs).
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(
        U4SSC_DEBUG="0",
        U4SSC_SECRET_KEY="benchmark-only-" + "x" * 40,
        U4SSC_ALLOWED_HOSTS="localhost",
    )
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**base, "U4SSC_DATA_DIR": data_dir}
            failed |= subprocess.call(
                [sys.executable, __file__, "--run", "sqlite", "--cities", str(args.cities)], env=env
            )
    if args.only in (None, "postgresql"):
        url = _postgres_url()
        if url is None:
            print("[postgresql] skipped: no DATABASE_URL and nothing answers at 127.0.0.1:5432")
        else:
            scratch, drop = _scratch_postgres(url)
            try:
                env = {**base, "DATABASE_URL": scratch}
                failed |= subprocess.call(
                    [sys.executable, __file__, "--run", "postgresql", "--cities", str(args.cities)],
                    env=env,
                )
            finally:
                drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
