"""Benchmark: how long a City Snapshot and a national programme report take to build.

Loads a scratch SQLite database with a national programme of 30 cities, 3 published years
each, every measurand of the catalogue reported, then builds each report as PDF and xlsx
the way the background task does (benchmarking data layer -> document -> Typst /
openpyxl) and prints the wall time of each (best of 3, after one warm-up that loads Typst
and vl-convert and builds the benchmarking scoreboard, whose own build time is printed).

    .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CITIES = 30
YEARS = (2022, 2023, 2024)


def setup() -> None:
    os.environ["U4SSC_DATA_DIR"] = tempfile.mkdtemp(prefix="u4ssc-bench-reports-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "u4ssc.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load() -> tuple[object, object]:
    import random

    from u4ssc.apps.catalogue.models import KPI
    from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
    from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind
    from u4ssc.core.catalogue import load_catalogue

    rng = random.Random(7)
    group = Organisation.objects.create(
        kind=OrgKind.NATIONAL_PROGRAMME, name="Bench programme", slug="bench", country_code="NO"
    )
    kpis = {k.code: k for k in KPI.objects.all()}
    catalogue = load_catalogue()
    first = None
    for i in range(CITIES):
        city = Organisation.objects.create(
            kind=OrgKind.CITY, name=f"Bench city {i:02d} Æøå", slug=f"bench-{i:02d}",
            country_code="NO", population=10_000 + 1000 * i,
        )  # fmt: skip
        first = first or city
        Membership.objects.create(group=group, member=city)
        for year in YEARS:
            ev = Evaluation.objects.create(
                city=city, year=year, state=State.PUBLISHED, is_synthetic=True
            )
            KPIValue.objects.bulk_create(
                KPIValue(
                    evaluation=ev,
                    kpi=kpis[k.code],
                    data_point=m.data_point,
                    status=ValueStatus.REPORTED,
                    value=round(rng.uniform(1, 100), 2),
                    unit=m.unit,
                    source="Bench source",
                    quality=rng.randint(1, 6),
                    is_synthetic=True,
                )
                for k in catalogue.kpis
                for m in k.measurands()
            )
    return first, group


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    setup()
    city, group = load()
    from u4ssc.apps.benchmarking import scoreboard
    from u4ssc.apps.catalogue.queries import default_target_set
    from u4ssc.apps.reports import actions

    actions.build_snapshot(city=city, year=2024)  # warm-up: Typst, vl-convert, catalogue
    print(f"reports bench: {CITIES} cities x {len(YEARS)} published years, every measurand")
    # Reports read the benchmarking scoreboard, built once per data version and target set
    # and kept in memory; the figures below are with the board in memory.
    scoreboard.clear_cache()
    board = scoreboard.get(default_target_set())
    print(f"  scoreboard (built once, then cached): {board.build_seconds:6.2f} s")
    for fmt in ("pdf", "xlsx"):
        for lang in ("en", "nb"):
            seconds = best_of(
                lambda f=fmt, g=lang: actions.build_snapshot(city=city, year=2024, fmt=f, lang=g)
            )
            print(f"  City Snapshot {fmt:4} {lang}: {seconds:6.2f} s")
    for fmt in ("pdf", "xlsx"):
        seconds = best_of(lambda f=fmt: actions.build_national(group=group, year=2024, fmt=f))
        print(f"  National report ({CITIES} cities) {fmt:4}: {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
