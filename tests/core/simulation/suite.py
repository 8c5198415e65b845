"""Helpers shared by the tests: where the SDXorg suite lives and how to read its outputs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from u4ssc.core.simulation.names import column_key

REPO = Path(__file__).resolve().parents[3]
SUITE = REPO.parent / "shared" / "reference" / "sd-test-models"


def suite_models() -> list[Path]:
    """Every XMILE model file in the suite folder (new files are picked up unchanged)."""
    if not SUITE.is_dir():
        return []
    return sorted(p for p in SUITE.rglob("*") if p.suffix.lower() in (".xmile", ".stmx", ".xml"))


def expected_output(model: Path) -> pd.DataFrame:
    """The reference output next to a model: ``output.csv`` or ``output.tab``."""
    for name, sep in (("output.csv", ","), ("output.tab", "\t")):
        f = model.parent / name
        if f.exists():
            text = f.read_text(encoding="utf-8", errors="replace")
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            from io import StringIO

            df = pd.read_csv(StringIO(text), sep=sep)
            df.columns = [str(c).strip() for c in df.columns]
            return df
    raise FileNotFoundError(f"no output.csv or output.tab beside {model}")


#: Vensim's control variables: its output prints them as columns, an XMILE file keeps them
#: in <sim_specs> (some exports also keep them as variables, and are then compared).
CONTROL = frozenset({"initial_time", "final_time", "time_step", "saveper"})


def compare(
    ours: pd.DataFrame,
    expected: pd.DataFrame,
    rtol: float = 1e-4,
    atol: float = 1e-5,
    *,
    allowed: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Compare every column of the reference with our output, at every expected time.

    A reference column our output does not have is a failure, unless it is one of
    Vensim's control variables (:data:`CONTROL`) or listed in ``allowed`` (column ->
    the reason it cannot be an output). Returns (compared column names, failure
    messages). Blank expected cells (Vensim prints constants only in the first row) are
    not compared.
    """
    excused = {column_key(c) for c in (allowed or {})}
    time_col = next(c for c in expected.columns if c.strip().lower() == "time")
    exp_times = expected[time_col].to_numpy(dtype=float)
    our_times = ours.index.to_numpy(dtype=float)
    rows = []
    for t in exp_times:
        k = int(np.argmin(np.abs(our_times - t)))
        # expected times carry ~6 significant digits (10.0312 for 10.03125)
        if abs(our_times[k] - t) > 1e-5 * max(1.0, abs(t)):
            return [], [f"time {t} is not among the saved times"]
        rows.append(k)
    ours_by_key = {column_key(c): c for c in ours.columns}
    compared: list[str] = []
    failures: list[str] = []
    for col in expected.columns:
        if col == time_col:
            continue
        key = column_key(col)
        if key not in ours_by_key:
            if key not in CONTROL and key not in excused:
                failures.append(f"{col}: in the reference output but not an output of ours")
            continue
        compared.append(col)
        exp = pd.to_numeric(expected[col], errors="coerce").to_numpy(dtype=float)
        got = ours[ours_by_key[key]].to_numpy(dtype=float)[rows]
        mask = ~np.isnan(exp)
        ok = np.isclose(got[mask], exp[mask], rtol=rtol, atol=atol)
        if not ok.all():
            bad = np.flatnonzero(~ok)[0]
            t = exp_times[mask][bad]
            failures.append(
                f"{col} at time {t}: got {got[mask][bad]!r}, expected "
                f"{exp[mask][bad]!r} ({int((~ok).sum())} of {mask.sum()} differ)"
            )
    return compared, failures
