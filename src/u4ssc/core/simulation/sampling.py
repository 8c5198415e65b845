"""Declared parameter distributions and the ensemble designs drawn from them.

Randomness is injected: every function takes a ``seed`` (or a ``numpy.random.Generator``)
and never touches global state, so the same seed gives the same table of runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc


@dataclass(frozen=True)
class Distribution:
    """A parameter's uncertainty, mapped from a uniform number in (0, 1) by its quantile
    function (so Monte Carlo, Latin hypercube and Sobol designs share one code path)."""

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Uniform(Distribution):
    low: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * u


@dataclass(frozen=True)
class Triangular(Distribution):
    low: float
    mode: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        c = (self.mode - self.low) / (self.high - self.low)
        return np.asarray(stats.triang.ppf(u, c, loc=self.low, scale=self.high - self.low))


@dataclass(frozen=True)
class Normal(Distribution):
    mean: float
    sd: float
    low: float = -np.inf
    high: float = np.inf

    def ppf(self, u: np.ndarray) -> np.ndarray:
        if np.isinf(self.low) and np.isinf(self.high):
            return np.asarray(stats.norm.ppf(u, loc=self.mean, scale=self.sd))
        a = (self.low - self.mean) / self.sd
        b = (self.high - self.mean) / self.sd
        return np.asarray(stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd))


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal given the mean and standard deviation of the quantity itself."""

    mean: float
    sd: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        sigma2 = np.log1p((self.sd / self.mean) ** 2)
        mu = np.log(self.mean) - sigma2 / 2
        return np.asarray(stats.lognorm.ppf(u, np.sqrt(sigma2), scale=np.exp(mu)))


def unit_design(n: int, d: int, method: str, seed: Any) -> np.ndarray:
    """``n`` points in the unit hypercube ``[0, 1)^d``; shape ``(n, d)``.

    Args:
        method: ``lhs`` (Latin hypercube, scipy.stats.qmc) or ``mc`` (plain Monte Carlo).
        seed: an int or a ``numpy.random.Generator``.
    """
    rng = np.random.default_rng(seed)
    if method == "lhs":
        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    if method == "mc":
        return rng.random((n, d))
    raise ValueError(f"sampling method must be 'lhs' or 'mc', not {method!r}")


def sample(
    distributions: Mapping[str, Distribution], n: int, *, method: str = "lhs", seed: Any = 0
) -> pd.DataFrame:
    """A table of ``n`` runs (rows) x parameters (columns) drawn from ``distributions``."""
    names = list(distributions)
    if not names:
        return pd.DataFrame(index=pd.RangeIndex(n, name="run"))
    u = unit_design(n, len(names), method, seed)
    cols = {name: distributions[name].ppf(u[:, k]) for k, name in enumerate(names)}
    return pd.DataFrame(cols, index=pd.RangeIndex(n, name="run"))
