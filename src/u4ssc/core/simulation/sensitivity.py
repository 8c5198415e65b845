"""Variance-based sensitivity (Sobol indices) through SALib, on one ensemble run.

The Saltelli design is drawn by SALib in the unit hypercube and mapped to each declared
distribution through its quantile function, so any :class:`Distribution` can be analysed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from u4ssc.core.simulation.model import Model
from u4ssc.core.simulation.results import EnsembleResult
from u4ssc.core.simulation.sampling import Distribution


def sobol_indices(
    model: Model,
    distributions: Mapping[str, Distribution],
    *,
    output: str,
    time: float | None = None,
    n: int = 512,
    seed: int = 0,
    calc_second_order: bool = False,
    **run_kwargs: Any,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``output`` at ``time`` (default: the end).

    Args:
        n: base sample size (a power of two); the model runs ``n * (d + 2)`` times
            (``n * (2d + 2)`` with second order), all in one ensemble.
        seed: seeds SALib's scrambled Sobol design, its bootstrap and the model run.

    Returns:
        One row per parameter: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
    """
    names = list(distributions)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = sobol_sample.sample(problem, n, calc_second_order=calc_second_order, seed=seed)
    unit = np.clip(unit, 1e-12, 1 - 1e-12)  # the quantile function of an unbounded law
    table = pd.DataFrame({k: distributions[k].ppf(unit[:, j]) for j, k in enumerate(names)})
    result = model.run(table, outputs=[output], seed=seed, **run_kwargs)
    assert isinstance(result, EnsembleResult)
    y = result.at(result.times[-1] if time is None else time, output)
    si = sobol_analyze.analyze(problem, y, calc_second_order=calc_second_order, seed=seed)
    return pd.DataFrame(
        {"S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]},
        index=pd.Index(names, name="parameter"),
    )
