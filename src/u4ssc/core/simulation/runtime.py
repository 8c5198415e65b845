"""Functions the generated model code calls: lookups, test inputs, delays, random draws.

Arrays follow the engine's layout: the model's own dimensions first, the ensemble (run)
axis last, so a scalar per-run value has shape ``(N,)`` and broadcasts against an
arrayed value of shape ``(d1, ..., N)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as _stats


def lookup(x: Any, xs: np.ndarray, ys: np.ndarray, kind: str) -> Any:
    """Evaluate a graphical function at ``x``.

    Args:
        x: input values, any shape ending with the run axis (or a scalar).
        xs: x points, shape ``(k,)``, increasing.
        ys: y points, shape ``(k,)`` (same table for every run) or ``(N, k)`` (per run).
        kind: ``continuous`` (linear, clamped at the ends), ``extrapolate`` (linear beyond
            the ends, from the end segments) or ``discrete`` (step: the y of the last x
            point not above the input).
    """
    if ys.ndim == 1:
        if kind == "continuous" or len(xs) == 1:
            return np.interp(x, xs, ys)
        if kind == "discrete":
            idx = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 1)
            return ys[idx]
        y = np.interp(x, xs, ys)
        lo_slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        hi_slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        y = np.where(x < xs[0], ys[0] + (x - xs[0]) * lo_slope, y)
        return np.where(x > xs[-1], ys[-1] + (x - xs[-1]) * hi_slope, y)
    # per-run tables: ys has shape (N, k); x ends with the run axis
    x = np.asarray(x, dtype=float)
    n = ys.shape[0]
    xb = np.broadcast_to(x, np.broadcast_shapes(x.shape, (n,)))
    runs = np.arange(n)
    k = len(xs)
    if kind == "discrete":
        idx = np.clip(np.searchsorted(xs, xb, side="right") - 1, 0, k - 1)
        return ys[runs, idx]
    if k == 1:
        return np.broadcast_to(ys[:, 0], xb.shape).copy()
    idx = np.clip(np.searchsorted(xs, xb, side="right") - 1, 0, k - 2)
    x0 = xs[idx]
    x1 = xs[idx + 1]
    w = (xb - x0) / (x1 - x0)
    if kind == "continuous":
        w = np.clip(w, 0.0, 1.0)
    y0 = ys[runs, idx]
    y1 = ys[runs, idx + 1]
    return y0 + w * (y1 - y0)


def pulse(t: float, dt: float, magnitude: Any, first: Any, interval: Any = 0.0) -> Any:
    """XMILE PULSE: ``magnitude/DT`` during the DT that starts at ``first`` (and every
    ``interval`` after it when ``interval > 0``), zero otherwise."""
    since = t - first
    interval = np.asarray(interval, dtype=float)
    every = np.where(interval > 0, interval, 1.0)
    k = np.where(interval > 0, np.maximum(np.round(since / every), 0.0), 0.0)
    off = since - k * np.where(interval > 0, interval, 0.0)
    hit = (since > -dt / 2) & (np.abs(off) < dt / 2)
    return np.where(hit, magnitude / dt, 0.0)


def step(t: float, height: Any, start: Any) -> Any:
    """XMILE STEP: ``height`` from ``start`` on, zero before."""
    return np.where(t >= start, height, 0.0)


def ramp(t: float, slope: Any, start: Any, end: Any = None) -> Any:
    """XMILE RAMP: zero until ``start``, then rising by ``slope`` per time unit until ``end``."""
    if end is None:
        return np.where(t > start, slope * (t - start), 0.0)
    stop = np.minimum(t, end)
    return np.where(t > start, slope * (stop - start), 0.0)


def safediv(a: Any, b: Any, otherwise: Any = 0.0) -> Any:
    """XMILE SAFEDIV: ``a/b``, or ``otherwise`` where ``b`` is zero."""
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, otherwise, a / np.where(b == 0, 1.0, b))


def delay_read(
    buf: np.ndarray, init: Any, i: int, t: float, t0: float, dt: float, delay: Any
) -> Any:
    """The pipeline delay's output at step ``i``: the input as it was ``delay`` earlier.

    The input is recorded once per step; between two recorded steps it is interpolated
    linearly, so a delay that is not a whole number of DTs still delays by exactly
    ``delay`` (``DELAY(TIME, 1.3)`` is ``TIME - 1.3``). A delay shorter than one DT acts
    as one DT (the current step's input is not recorded yet).

    Args:
        buf: recorded inputs, shape ``(steps + 1, *dims, N)``; rows ``< i`` are filled.
        init: value while ``t - delay`` is before the start.
        delay: delay time: a scalar, per run ``(N,)`` or per element and run.
    """
    if i == 0:
        return init
    x = (t - delay - t0) / dt  # the wanted time, in steps from the start
    last = i - 1
    if np.ndim(x) == 0:
        pos = float(x)
        if pos < -1e-9:
            return init
        j = int(np.floor(pos + 1e-9))
        if j >= last:
            return buf[last]
        w = min(max(pos - j, 0.0), 1.0)
        return buf[j] if w == 0.0 else buf[j] + w * (buf[j + 1] - buf[j])
    # a delay time per run (and per element): each value reads its own rows
    shape = np.broadcast_shapes(buf.shape[1:], np.shape(x))
    if buf.shape[1:] != shape:  # inputs the same for every run, delays per run
        buf = np.broadcast_to(
            buf.reshape(buf.shape + (1,) * (len(shape) - buf.ndim + 1)), (buf.shape[0], *shape)
        )
    xs = np.broadcast_to(x, shape)
    rows = np.floor(xs + 1e-9)
    weight = np.where(rows >= last, 0.0, np.clip(xs - rows, 0.0, 1.0))
    r0 = np.clip(rows, 0, last).astype(np.int64)
    r1 = np.clip(rows + 1, 0, last).astype(np.int64)
    a = np.take_along_axis(buf, r0[None, ...], axis=0)[0]
    b = np.take_along_axis(buf, r1[None, ...], axis=0)[0]
    return np.where(xs < -1e-9, init, a + weight * (b - a))


def rank(values: Any, which: Any, tie: Any = None) -> Any:
    """XMILE RANK: the 1-based position of the element whose rank is ``which``.

    Args:
        values: a one-dimensional array per run, shape ``(k, N)`` or ``(k, 1)``.
        which: the rank wanted (1 = the smallest value, ``k`` = the largest), a number or
            any array ending with the run axis; a rank that is not a whole number is
            rounded down.
        tie: an array like ``values`` whose values order equal ones; remaining ties
            keep the elements' order.

    Returns:
        Positions shaped like ``which`` (broadcast against the runs); NaN where the rank
        is not between 1 and ``k``.
    """
    a = np.asarray(values, dtype=float)
    r = np.floor(np.asarray(which, dtype=float))
    n = np.broadcast_shapes(
        a.shape[-1:],
        np.shape(tie)[-1:] if tie is not None else (1,),
        r.shape[-1:] if r.ndim else (1,),
    )[0]
    a = np.broadcast_to(a, (a.shape[0], n))
    keys = (a,) if tie is None else (np.broadcast_to(np.asarray(tie, dtype=float), a.shape), a)
    order = np.lexsort(keys, axis=0)  # (k, n): the last key sorts first; stable
    k = a.shape[0]
    valid = (r >= 1) & (r <= k)
    idx = np.where(valid, r - 1, 0).astype(np.int64)
    shape = np.broadcast_shapes(idx.shape, (n,))
    flat = np.broadcast_to(idx, shape).reshape(-1, n)
    picked = np.take_along_axis(order, flat, axis=0).reshape(shape) + 1.0
    return np.where(np.broadcast_to(valid, shape), picked, np.nan)


@dataclass
class RandomStreams:
    """Random numbers that depend only on (seed, call site, step, run index).

    Each draw generates the values of *all* runs of the ensemble and keeps this chunk's
    slice, so a run gets the same numbers whether it is computed alone, in a chunk in
    another process, or on a Dask worker.
    """

    seed: int
    offset: int  # index of this chunk's first run in the whole ensemble
    n: int  # runs in this chunk
    total: int  # runs in the whole ensemble

    def _gen(self, site: int, i: int, seed: Any) -> np.random.Generator:
        base = self.seed if seed is None else int(np.asarray(seed).flat[0])
        return np.random.default_rng([base & 0xFFFFFFFF, site, max(i, 0)])

    def uniform(self, site: int, i: int, shape: tuple[int, ...], seed: Any = None) -> np.ndarray:
        u = self._gen(site, i, seed).random((*shape, self.total))
        return u[..., self.offset : self.offset + self.n]

    def normal(self, site: int, i: int, shape: tuple[int, ...], seed: Any = None) -> np.ndarray:
        z = self._gen(site, i, seed).standard_normal((*shape, self.total))
        return z[..., self.offset : self.offset + self.n]


def draw(
    rs: RandomStreams,
    kind: str,
    site: int,
    i: int,
    shape: tuple[int, ...],
    args: tuple[Any, ...],
    seed: Any = None,
) -> Any:
    """One draw per run (and per array element) of an XMILE random function."""
    if kind == "random":
        lo, hi = args
        return lo + (hi - lo) * rs.uniform(site, i, shape, seed)
    if kind == "normal":
        mean, sd = args
        return mean + sd * rs.normal(site, i, shape, seed)
    if kind == "lognormal":
        mean, sd = args
        with np.errstate(divide="ignore", invalid="ignore"):
            sigma2 = np.log1p((sd / mean) ** 2)
            mu = np.log(mean) - sigma2 / 2
        return np.exp(mu + np.sqrt(sigma2) * rs.normal(site, i, shape, seed))
    if kind == "exprnd":
        (mean,) = args
        return -mean * np.log1p(-rs.uniform(site, i, shape, seed))
    if kind == "poisson":
        (mean,) = args
        return _stats.poisson.ppf(rs.uniform(site, i, shape, seed), mean)
    if kind == "triangular":
        lo, mode, hi = args
        u = rs.uniform(site, i, shape, seed)
        return _stats.triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    raise ValueError(kind)  # pragma: no cover - the builder only lets known kinds through


__all__ = [
    "RandomStreams",
    "delay_read",
    "draw",
    "lookup",
    "pulse",
    "ramp",
    "rank",
    "safediv",
    "step",
]
