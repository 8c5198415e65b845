"""Benchmark of the scoring engine: 10,000 cities x 91 KPIs x 10 years, on one core.

Prints the engine's end-to-end time (achievement, points, bands, KPI and aggregate
percentages, trends and projected years) and its speed-up over the pure-Python oracle that
the property tests use (``tests/core/scoring/oracle.py``), timed on a slice of the same
input in the same run and scaled by the number of cities (the oracle is linear in cities).
Run: ``.venv/bin/python bench/bench_scoring.py`` (or ``make bench``).
"""

from __future__ import annotations

import os

# One core: BLAS/OpenMP threads off before NumPy loads, and the process pinned to one CPU.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the oracle lives with the tests: tests/core/scoring/oracle.py

from tests.core.scoring.cases import Case  # noqa: E402
from tests.core.scoring.oracle import Measurand  # noqa: E402

from u4ssc.core.scoring import SDSNMethod, U4SSCMethod  # noqa: E402

N_CITIES, N_YEARS = 10_000, 10
ORACLE_CITIES = 40
SEED = 20261203
LIMIT_SECONDS, MIN_SPEEDUP = 3.0, 50.0

# KPIs per category in the U4SSC code list (91 KPIs; 27 (sub-dimension, category) pairs
# over 22 category names; 7 sub-dimensions):
# (dimension, sub-dimension, [KPIs in each category])
STRUCTURE = [
    (0, 0, [5, 2, 1, 3, 3, 3]),  # EC ICT
    (0, 1, [3, 4]),  # EC Productivity
    (0, 2, [5, 1, 3, 8, 2, 2]),  # EC Infrastructure
    (1, 3, [2, 4, 1, 2, 4]),  # EN Environment
    (1, 4, [4]),  # EN Energy
    (2, 5, [5, 5, 2]),  # SC Education, Health and Culture
    (2, 6, [2, 5, 9, 1]),  # SC Safety, Housing and Social Inclusion
]


def make_case(rng: np.random.Generator) -> Case:
    category_of_kpi: list[int] = []
    subdimension_of_category: list[int] = []
    dimension_of_subdimension: list[int] = []
    for dimension, subdimension, kpis_per_category in STRUCTURE:
        dimension_of_subdimension.append(dimension)
        for n in kpis_per_category:
            category_of_kpi.extend([len(subdimension_of_category)] * n)
            subdimension_of_category.append(subdimension)
    n_kpis = len(category_of_kpi)
    assert (n_kpis, len(subdimension_of_category)) == (91, 27)
    directions = rng.choice(["higher", "lower", "range"], size=n_kpis, p=[0.6, 0.3, 0.1])
    measurands = []
    for k, direction in enumerate(directions):
        if direction == "range":
            measurands.append(Measurand(k, "range", low=40.0, high=60.0))
        elif k % 15 == 14:
            measurands.append(Measurand(k, str(direction)))  # no target: left out
        else:
            measurands.append(Measurand(k, str(direction), target=float(rng.uniform(20, 90))))
    level = rng.uniform(5, 100, size=(N_CITIES, n_kpis, 1))
    drift = rng.normal(0, 2, size=(N_CITIES, n_kpis, 1))
    values = level + drift * np.arange(N_YEARS) + rng.normal(0, 1, (N_CITIES, n_kpis, N_YEARS))
    values[rng.random(values.shape) < 0.15] = np.nan  # unreported
    years = list(range(2015, 2015 + N_YEARS))
    return Case(
        values,
        measurands,
        category_of_kpi,
        subdimension_of_category,
        dimension_of_subdimension,
        years,
    )


def best_of(n: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        result = None  # free the previous run's arrays first, as a caller would
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    rng = np.random.default_rng(SEED)
    case = make_case(rng)
    n_values = case.values.size
    method = U4SSCMethod()
    print(f"input: {N_CITIES} cities x 91 KPIs x {N_YEARS} years = {n_values:,} values, one core")

    engine_s, _ = best_of(3, lambda: case.run_engine(method))
    sdsn_s, _ = best_of(1, lambda: case.run_engine(SDSNMethod()))

    sliced = Case(
        case.values[:ORACLE_CITIES].copy(),
        case.measurands,
        case.category_of_kpi,
        case.subdimension_of_category,
        case.dimension_of_subdimension,
        case.years,
    )
    oracle_s, oracle_out = best_of(3, lambda: sliced.run_oracle(method))
    engine_slice = sliced.run_engine(method)
    same = np.allclose(
        engine_slice.levels["category"].score,
        np.array(oracle_out["category_score"]),  # type: ignore[index]
        equal_nan=True,
    )
    oracle_full_s = oracle_s * N_CITIES / ORACLE_CITIES
    speedup = oracle_full_s / engine_s

    print(f"engine, U4SSC end to end (best of 3): {engine_s:.3f} s")
    print(f"engine, SDSN end to end (1 run):      {sdsn_s:.3f} s")
    print(
        f"oracle on {ORACLE_CITIES} cities: {oracle_s:.3f} s -> "
        f"{oracle_full_s:.1f} s scaled to {N_CITIES} cities"
    )
    print(f"engine and oracle agree on the slice: {same}")
    print(f"engine time / limit {LIMIT_SECONDS:.0f} s: {engine_s / LIMIT_SECONDS:.2f}")
    print(f"speed-up over the oracle: {speedup:.0f}x (required >= {MIN_SPEEDUP:.0f}x)")
    ok = same and engine_s < LIMIT_SECONDS and speedup >= MIN_SPEEDUP
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
