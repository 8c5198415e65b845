"""Simulation engine vs PySD, measured in the same run on the same XMILE files.

Prints, for each target of issue 4, the figures and their ratio, and exits non-zero if a
target is missed:

1. ensembles of 10,000 runs (SIR sample, city model): runs per second against PySD
   running the same runs one after another (PySD's per-run time is measured on a few
   runs and scaled, as it would take minutes otherwise); target >= 1000x;
2. a single run of teacup and SIR: faster than PySD;
3. peak memory (max RSS of a fresh process) of the 10,000-run SIR ensemble keeping three
   outputs: under 1 GB;
4. outputs identical to PySD's within 1e-9 on every model both can run.

PySD translates each model into a .py file next to it, so every model is copied to a
temporary folder first (the reference folder stays untouched).

Run: ``.venv/bin/python bench/bench_simulation.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")

from u4ssc.core.simulation import ModelError, Uniform, load_model  # noqa: E402
from u4ssc.core.simulation.city import CITY_MODEL, UNCERTAINTY  # noqa: E402
from u4ssc.core.simulation.names import column_key  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.core.simulation.demo_alesund import ALESUND  # noqa: E402

SUITE = REPO.parent / "shared" / "reference" / "sd-test-models"
SIR = SUITE / "samples" / "SIR" / "SIR.xmile"
TEACUP = SUITE / "samples" / "teacup" / "teacup.xmile"
RUNS = 10_000
SIR_OUTPUTS = ["susceptible", "infectious", "recovered"]
CITY_OUTPUTS = ["GHG emissions per capita", "Renewable energy share"]
FAILED: list[str] = []


def check(label: str, ok: bool) -> str:
    if not ok:
        FAILED.append(label)
    return "ok" if ok else "MISSED"


def pysd_model(path: Path, tmp: Path):  # type: ignore[no-untyped-def]
    import pysd

    target = tmp / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, target)
    return pysd.read_xmile(str(target))


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def pysd_per_run(pm, params: dict, columns: list[str], saveper: float, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Seconds per PySD run (best of ``runs``, each with its own parameter values).

    Best-of on both sides: other work on a shared machine only ever slows a measurement.
    """
    times = []
    rng = np.random.default_rng(0)
    for _ in range(runs):
        p = {k: float(rng.uniform(lo, hi)) for k, (lo, hi) in params.items()}
        t = time.perf_counter()
        pm.run(params=p, return_columns=columns, saveper=saveper)
        times.append(time.perf_counter() - t)
    return min(times)


def peak_rss_of_sir_ensemble(save_step: float | None) -> float:
    """Peak RSS (MB, VmHWM) of a fresh process that runs the ensemble and its percentiles."""
    code = f"""
import resource, warnings
warnings.simplefilter("ignore")
from u4ssc.core.simulation import Uniform, load_model
m = load_model({str(SIR)!r}, units="off")
r = m.run(runs={RUNS}, seed=1, outputs={SIR_OUTPUTS!r}, save_step={save_step!r},
          distributions={{"contact infectivity": Uniform(0.2, 0.4), "duration": Uniform(3, 7)}})
for v in {SIR_OUTPUTS!r}:
    r.percentiles(v)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # VmHWM starts afresh at exec; ru_maxrss can carry the parent's peak over a fork
    with open("/proc/self/status") as fh:
        peak = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    pass
print(peak, r.data.nbytes / 2**20)
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    rss, data = out.stdout.split()
    return float(rss), float(data)


def main() -> int:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        import pysd

        print(f"PySD {pysd.__version__}")

        # -- 1. ensembles ----------------------------------------------------------------
        print("\n1. Ensembles of 10,000 runs (PySD: one run after another, per-run time x 10,000)")
        sir = load_model(SIR, units="off")
        sir_dists = {"contact_infectivity": Uniform(0.2, 0.4), "duration": Uniform(3, 7)}
        pm = pysd_model(SIR, tmp)
        pysd_sir = pysd_per_run(
            pm, {"contact_infectivity": (0.2, 0.4), "duration": (3, 7)}, SIR_OUTPUTS, 1.0
        )
        ours = best_of(
            lambda: sir.run(
                runs=RUNS, distributions=sir_dists, seed=1, outputs=SIR_OUTPUTS, save_step=1.0
            ),
            2,
        )
        ratio = RUNS * pysd_sir / ours
        print(
            f"   SIR (3 outputs, saved every 1 time unit, dt 1/32, 3,200 steps): "
            f"PySD {pysd_sir * 1e3:.1f} ms/run = {1 / pysd_sir:,.0f} runs/s; ours "
            f"{ours:.3f} s for {RUNS:,} = {RUNS / ours:,.0f} runs/s; ratio {ratio:,.0f}x "
            f"[{check('SIR ensemble >= 1000x', ratio >= 1000)}]"
        )
        ours_dt = best_of(
            lambda: sir.run(runs=RUNS, distributions=sir_dists, seed=1, outputs=SIR_OUTPUTS), 1
        )
        pysd_sir_dt = pysd_per_run(
            pm, {"contact_infectivity": (0.2, 0.4), "duration": (3, 7)}, SIR_OUTPUTS, 1 / 32
        )
        print(
            f"   SIR (3 outputs saved at every dt: 768 MB of results): PySD "
            f"{pysd_sir_dt * 1e3:.1f} ms/run; ours {ours_dt:.3f} s; ratio "
            f"{RUNS * pysd_sir_dt / ours_dt:,.0f}x (information)"
        )

        city_model = load_model(CITY_MODEL, units="strict")
        pmc = pysd_model(CITY_MODEL, tmp)
        ranges = {
            "PV yield": (750, 950),
            "conventional intensity": (170, 240),
            "grid decarbonisation rate": (0.01, 0.05),
            "behaviour change time": (2, 8),
        }
        pysd_ranges = {k.replace(" ", "_"): v for k, v in ranges.items()}
        pysd_city = pysd_per_run(pmc, pysd_ranges, CITY_OUTPUTS, 1.0)
        ours_city = best_of(
            lambda: city_model.run(
                runs=RUNS, distributions=UNCERTAINTY, seed=1, outputs=CITY_OUTPUTS, save_step=1.0
            ),
            2,
        )
        ratio = RUNS * pysd_city / ours_city
        nvars = len(city_model.variables())
        print(
            f"   city model ({nvars} variables, 2020-2050, dt 0.25, 2 outputs yearly, "
            f"{len(UNCERTAINTY)} uncertain parameters): PySD {pysd_city * 1e3:.1f} ms/run; "
            f"ours {ours_city:.3f} s for {RUNS:,} = {RUNS / ours_city:,.0f} runs/s; ratio "
            f"{ratio:,.0f}x [{check('city ensemble >= 1000x', ratio >= 1000)}]"
        )

        # the question of a calibrated city whose GHG the draws often cannot reproduce
        # (the demo's Alesund): calibration, conditioning (decision 0108) and 2 scenarios
        from u4ssc.core.simulation import city

        alesund = city.city_parameters(ALESUND, population=52_626, model=city_model)
        per_run = city.ensemble_parameters(alesund, runs=RUNS, seed=1, model=city_model)
        redraws = per_run.redraws
        t_prepare = best_of(
            lambda: city.ensemble_parameters(alesund, runs=RUNS, seed=1, model=city_model), 3
        )
        t_ask = best_of(lambda: city.ask(alesund, runs=RUNS, seed=1, model=city_model), 3)
        print(
            f"   calibrated city (demo Alesund), {RUNS:,} runs: per-run calibration and "
            f"conditioning {t_prepare:.3f} s ({redraws.redrawn if redraws else 0:,} runs "
            f"redrawn); city.ask, 2 scenarios to 2035: {t_ask:.3f} s (information)"
        )

        # -- 2. single runs ---------------------------------------------------------------
        print("\n2. Single runs (best of 5, every variable at every dt)")
        for path in (TEACUP, SIR):
            m = load_model(path, units="off")
            p = pysd_model(path, tmp)
            t_pysd = best_of(lambda p=p: p.run(), 5)
            t_ours = best_of(lambda m=m: m.run(), 5)
            print(
                f"   {path.stem}: PySD {t_pysd * 1e3:.2f} ms; ours {t_ours * 1e3:.2f} ms; "
                f"{t_pysd / t_ours:.1f}x faster "
                f"[{check(f'{path.stem} single run faster', t_ours < t_pysd)}]"
            )
        t_pysd = best_of(lambda: pmc.run(), 5)
        t_ours = best_of(lambda: city_model.run(), 5)
        print(
            f"   city: PySD {t_pysd * 1e3:.2f} ms; ours {t_ours * 1e3:.2f} ms; "
            f"{t_pysd / t_ours:.1f}x (information)"
        )

        # -- 3. memory --------------------------------------------------------------------
        print("\n3. Peak memory, 10,000-run SIR ensemble keeping 3 outputs, percentiles taken")
        for save in (1.0, None):
            rss, data = peak_rss_of_sir_ensemble(save)
            what = "saved every 1 time unit" if save else "saved at every dt (3,201 times)"
            print(
                f"   {what}: results {data:,.0f} MB, peak RSS {rss:,.0f} MB "
                f"[{check(f'memory {what} < 1 GB', rss < 1024)}]"
            )

        # -- 4. identical outputs ---------------------------------------------------------
        print("\n4. Outputs against PySD on every model both can run (max relative difference)")
        models = [*sorted(SUITE.rglob("*.xmile")), CITY_MODEL]
        worst_all = 0.0
        for path in models:
            try:
                ours_df = load_model(path, units="off").run()
            except ModelError:
                continue
            try:
                theirs = pysd_model(path, tmp / "all").run()
            except Exception as exc:  # PySD's own failures are only reported
                print(f"   {path.name}: PySD cannot run it ({type(exc).__name__})")
                continue
            by_key = {column_key(c): c for c in ours_df.columns}
            worst = 0.0
            compared = 0
            for col in theirs.columns:
                key = column_key(col)
                if key not in by_key or len(theirs) != len(ours_df):
                    continue
                a = theirs[col].to_numpy(dtype=float)
                b = ours_df[by_key[key]].to_numpy(dtype=float)
                with np.errstate(all="ignore"):
                    diff = np.abs(a - b) / np.maximum(1.0, np.abs(a))
                diff = np.where(np.isnan(a) & np.isnan(b), 0.0, diff)
                worst = max(worst, float(np.nanmax(diff)) if diff.size else 0.0)
                compared += 1
            if compared:
                worst_all = max(worst_all, worst)
                print(
                    f"   {path.relative_to(path.parents[1])}: {compared} columns, "
                    f"max rel diff {worst:.1e} [{check(f'{path.name} == PySD', worst <= 1e-9)}]"
                )
        print(f"   worst over all models: {worst_all:.1e}")

    print("\nall targets met" if not FAILED else f"\nMISSED: {', '.join(FAILED)}")
    return 0 if not FAILED else 1


if __name__ == "__main__":
    sys.exit(main())
