"""Ensemble results: runs x saved times x output columns, with summaries over the runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from u4ssc.core.simulation.names import column_key


@dataclass
class EnsembleResult:
    """The outputs of many runs of one model.

    Attributes:
        data: shape ``(runs, times, columns)``, float64.
        times: saved times, shape ``(times,)``, in the model's time unit.
        columns: output column labels (arrayed variables give one column per element).
        params: the parameter table, one row per run (empty columns when none varied).
        seed: the seed the ensemble was drawn and run with.
        model_hash: SHA-256 of the model file's bytes.
        scenario: the scenario's name, if the run came from one.
    """

    data: np.ndarray
    times: np.ndarray
    columns: list[str]
    params: pd.DataFrame
    seed: int
    model_hash: str
    scenario: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    #: outputs that became NaN or infinite (``model.NonFinite`` records), empty if none
    non_finite: list[Any] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return int(self.data.shape[0])

    def _col(self, variable: str) -> int:
        key = column_key(variable)
        for k, c in enumerate(self.columns):
            if column_key(c) == key:
                return k
        raise KeyError(f"no output column {variable!r}; outputs are {self.columns}")

    def values(self, variable: str) -> np.ndarray:
        """One column over all runs and times; shape ``(runs, times)``."""
        return self.data[:, :, self._col(variable)]

    def at(self, time: float, variable: str) -> np.ndarray:
        """The value of ``variable`` at the saved time nearest ``time``; shape ``(runs,)``."""
        k = int(np.argmin(np.abs(self.times - time)))
        return self.values(variable)[:, k]

    def run(self, index: int) -> pd.DataFrame:
        """One run as a DataFrame indexed by time."""
        return pd.DataFrame(
            self.data[index], index=pd.Index(self.times, name="time"), columns=self.columns
        )

    def mean(self, variable: str | None = None) -> pd.DataFrame:
        """Mean over the runs, indexed by time (all columns, or one)."""
        cols = self.columns if variable is None else [self.columns[self._col(variable)]]
        idx = [self._col(c) for c in cols]
        return pd.DataFrame(
            self.data[:, :, idx].mean(axis=0), index=pd.Index(self.times, name="time"), columns=cols
        )

    def percentiles(self, variable: str, q: Sequence[float] = (5, 25, 50, 75, 95)) -> pd.DataFrame:
        """Percentiles over the runs of one variable: index time, one column per ``q``."""
        values = self.values(variable)
        # In blocks of saved times, so the sort's temporary copy stays small next to
        # ensembles of hundreds of MB.
        table = np.empty((values.shape[1], len(q)))
        for lo in range(0, values.shape[1], 256):
            block = values[:, lo : lo + 256]
            table[lo : lo + 256] = np.percentile(block, list(q), axis=0).T
        return pd.DataFrame(
            table, index=pd.Index(self.times, name="time"), columns=[f"p{g:g}" for g in q]
        )

    def fan(self, variables: Sequence[str], q: Sequence[float] = (5, 50, 95)) -> pd.DataFrame:
        """Percentiles of several variables: columns ``(variable, pN)``."""
        frames = {v: self.percentiles(v, q) for v in variables}
        return pd.concat(frames, axis=1)
