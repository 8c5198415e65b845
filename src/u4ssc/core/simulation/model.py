"""The public face of the engine: :func:`load_model` and :class:`Model`.

A single run returns a pandas DataFrame indexed by time; many runs return an
:class:`~u4ssc.core.simulation.results.EnsembleResult`. All runs of an ensemble are
computed together: each variable is a NumPy array with the runs on its last axis, so
10,000 runs cost one pass of vectorised arithmetic per time step.
"""

from __future__ import annotations

import contextlib
import math
import mmap
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from u4ssc.core.simulation import expr as E
from u4ssc.core.simulation.build import Flat, build
from u4ssc.core.simulation.codegen import Program, element_key, generate
from u4ssc.core.simulation.errors import ExecutorError, ModelError, NonFiniteWarning
from u4ssc.core.simulation.ir import Var
from u4ssc.core.simulation.names import canonical
from u4ssc.core.simulation.results import EnsembleResult
from u4ssc.core.simulation.runtime import RandomStreams
from u4ssc.core.simulation.sampling import Distribution, sample
from u4ssc.core.simulation.xmile import read_xmile, read_xmile_bytes


@dataclass(frozen=True)
class Policy:
    """A change to a constant that starts at a given time.

    ``variable`` names a constant, an arrayed constant (every element changes) or one
    element of it (``"pop[Oslo]"``). Exactly one of ``value`` (the new value) or
    ``multiply`` (a factor on the base value) is given. With ``ramp`` > 0 the change
    phases in linearly over that many time units from ``start``; otherwise it is a step
    at ``start``.
    """

    variable: str
    start: float
    value: float | None = None
    multiply: float | None = None
    ramp: float = 0.0

    def __post_init__(self) -> None:
        if (self.value is None) == (self.multiply is None):
            raise ValueError("a Policy needs exactly one of value= or multiply=")


@dataclass(frozen=True)
class Scenario:
    """The base model plus parameter changes and policies."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    policies: Sequence[Policy] = ()


class _Schedule:
    """A constant's value over time under its policies; picklable for other processes.

    ``base`` is the value without policies: a number, one per run ``(N,)``, or for an
    arrayed constant ``(*dims, 1)`` / ``(*dims, N)``. Each change is ``(index, target,
    start, ramp)``: ``index`` ``None`` changes the whole value, a tuple of element
    positions one element; the change is a step at ``start`` or, with ``ramp`` > 0, a
    linear phase-in over that many time units.
    """

    def __init__(self, base: Any, changes: list[tuple[Any, Any, float, float]]) -> None:
        self.base = base
        self.changes = changes

    @staticmethod
    def _weight(t: float, start: float, ramp: float) -> float:
        if ramp > 0:
            return min(max((t - start) / ramp, 0.0), 1.0)
        return 1.0 if t >= start else 0.0

    def __call__(self, t: float) -> Any:
        value = self.base
        copied = False
        for index, target, start, ramp in self.changes:
            w = self._weight(t, start, ramp)
            if w == 0.0:
                continue
            old = self.base if index is None else self.base[index]
            new = target if w == 1.0 else old + w * (target - old)
            if index is None:
                value = new
                copied = False
            else:
                if not copied:
                    value = np.array(value, dtype=float)
                    copied = True
                value[index] = new
        return value

    def is_scalar(self) -> bool:
        return np.ndim(self.base) == 0 and all(np.ndim(c[1]) == 0 for c in self.changes)

    def chunk(self, lo: int, hi: int, total: int) -> _Schedule:
        return _Schedule(
            _chunk_values(self.base, lo, hi, total),
            [
                (index, _chunk_values(target, lo, hi, total), start, ramp)
                for index, target, start, ramp in self.changes
            ],
        )


@dataclass
class _Job:
    """Everything one chunk of runs needs; sent to other processes or Dask workers."""

    flat: Flat
    values: dict[str, Any]  # engine layout: per-run values on the last axis
    tables: dict[str, Any]  # {"xs": (k,), "ys": (k,) or per run (N, k)}
    policies: dict[str, _Schedule]
    outputs: list[str]
    start: float
    stop: float
    dt: float
    save_every: int
    method: str
    seed: int
    total: int


def _chunk_values(value: Any, lo: int, hi: int, total: int) -> Any:
    if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[-1] == total > 1:
        return value[..., lo:hi]
    return value


def _run_job(job: _Job, lo: int, hi: int, model: Model | None = None) -> np.ndarray:
    """Run runs ``lo..hi-1`` of a job; shape ``(hi - lo, times, columns)``.

    ``model`` is the model in this process (its generated code is cached there); other
    processes and Dask workers make their own from the job.
    """
    model = model if model is not None else Model(job.flat)
    values = {k: _chunk_values(v, lo, hi, job.total) for k, v in job.values.items()}
    tables = {
        k: {"xs": t["xs"], "ys": t["ys"][lo:hi] if t["ys"].ndim == 2 else t["ys"]}
        for k, t in job.tables.items()
    }
    policies = {k: s.chunk(lo, hi, job.total) for k, s in job.policies.items()}
    return model._integrate(
        values,
        tables,
        policies,
        job.outputs,
        hi - lo,
        lo,
        job.total,
        job.seed,
        job.start,
        job.stop,
        job.dt,
        job.save_every,
        job.method,
    )


class Model:
    """A read, checked XMILE model, ready to run.

    Use :func:`load_model` to make one.
    """

    def __init__(self, flat: Flat) -> None:
        self.flat = flat
        self._programs: dict[tuple[Any, ...], Program] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"flat": self.flat}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.flat = state["flat"]
        self._programs = {}

    # -- description ----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.flat.name

    @property
    def hash(self) -> str:
        """SHA-256 of the model file's bytes: results carry it so a run can be reproduced."""
        return self.flat.digest

    @property
    def time(self) -> tuple[float, float, float]:
        """``(start, stop, dt)`` from the model's simulation specs."""
        return self.flat.start, self.flat.stop, self.flat.dt

    def variables(self) -> list[str]:
        """Names of all variables (stocks, flows, auxiliaries), as written in the model."""
        return [v.display for v in self.flat.vars.values() if not v.hidden and v.kind != "gf"]

    def constants(self) -> list[str]:
        """Variables whose equation is a number: the parameters one usually overrides."""
        out = []
        for v in self.flat.vars.values():
            if v.hidden or v.kind not in ("aux",):
                continue
            if v.eqns and all(isinstance(eq.ast, E.Num) for eq in v.eqns) and v.table is None:
                out.append(v.display)
        return out

    def lookups(self) -> list[str]:
        """Graphical functions (standalone or attached to a variable)."""
        return [v.display for v in self.flat.vars.values() if v.table is not None]

    def var(self, name: str) -> Var:
        """The variable called ``name`` (any case, spaces or underscores)."""
        key = canonical(name)
        v = self.flat.vars.get(key)
        if v is None or v.hidden:
            raise KeyError(f"the model has no variable {name!r}")
        return v

    def doc(self, name: str) -> str:
        return self.var(name).doc

    def _resolve(self, name: str) -> tuple[Var, tuple[int, ...] | None]:
        """A variable, or one element of an arrayed one (``"pop[Oslo]"``, ``"x[a, 2]"``):
        the variable and the element's positions (``None`` for the whole variable)."""
        text = str(name).strip()
        if not (text.endswith("]") and "[" in text):
            return self.var(text), None
        base, _, subs = text[:-1].partition("[")
        v = self.var(base)
        parts = [canonical(p) for p in subs.split(",")]
        if len(parts) != len(v.dims):
            raise KeyError(
                f"{name!r}: '{v.display}' has {len(v.dims)} dimensions, the name gives "
                f"{len(parts)} elements"
            )
        idx = []
        for part, d in zip(parts, v.dims, strict=True):
            dim = self.flat.dims[d]
            head, dot, tail = part.partition(".")
            if dot and head in self.flat.dims:
                part = tail
            k = dim.index(part)
            if k is None and part.isdigit() and 1 <= int(part) <= dim.size:
                k = int(part) - 1
            if k is None:
                raise KeyError(f"{name!r}: '{part}' is not an element of dimension '{dim.display}'")
            idx.append(k)
        return v, tuple(idx)

    def _element_names(self, v: Var) -> list[str]:
        """``name[label, ...]`` for every element of an arrayed variable, in order."""
        dims = [self.flat.dims[d] for d in v.dims]
        return [
            f"{v.display}[{','.join(dims[k].labels[i] for k, i in enumerate(elem))}]"
            for elem in np.ndindex(*[d.size for d in dims])
        ]

    # -- running --------------------------------------------------------------------------
    def program(
        self,
        overridden: Iterable[str] = (),
        policies: Iterable[str] = (),
        outputs: Sequence[str] | None = None,
    ) -> Program:
        """The generated code for these inputs and outputs (cached)."""
        outs = self._outputs(outputs)
        key = (frozenset(overridden), frozenset(policies), tuple(outs))
        prog = self._programs.get(key)
        if prog is None:
            prog = generate(self.flat, set(key[0]), set(key[1]), outs)
            self._programs[key] = prog
        return prog

    def _outputs(self, outputs: Sequence[str] | None) -> list[str]:
        if outputs is None:
            return [n for n, v in self.flat.vars.items() if not v.hidden and v.kind != "gf"]
        names = []
        for o in outputs:
            v = self.var(o)
            if v.kind == "gf":
                raise KeyError(f"{o!r} is a lookup table, not an output")
            names.append(v.name)
        return names

    def _value(self, v: Var, value: Any, n: int) -> Any:
        """A user override in engine layout: ``(*dims, N)`` / ``(N,)`` / scalar."""
        arr = np.asarray(value, dtype=float)
        shape = tuple(self.flat.dims[d].size for d in v.dims)
        if not v.dims:
            if arr.ndim == 0:
                return np.float64(arr)
            if arr.shape == (n,):
                return arr
            raise ValueError(
                f"{v.display}: expected one value or {n} (one per run), got shape {arr.shape}"
            )
        if arr.shape == shape:
            return arr.reshape((*shape, 1))
        if arr.shape == (n, *shape):
            return np.moveaxis(arr, 0, -1).copy()
        if arr.ndim == 0:
            return np.full((*shape, 1), float(arr))
        raise ValueError(f"{v.display}: expected shape {shape} or {(n, *shape)}, got {arr.shape}")

    def _tables(self, v: Var, value: Any, n: int) -> dict[str, Any]:
        """Override of a graphical function: ``ys`` (k,) or (N, k), or ``(xs, ys)``."""
        assert v.table is not None
        if isinstance(value, tuple) and len(value) == 2:
            xs = np.asarray(value[0], dtype=float)
            ys = np.asarray(value[1], dtype=float)
        else:
            xs = v.table.xs
            ys = np.asarray(value, dtype=float)
        if ys.shape[-1] != len(xs) or ys.ndim > 2 or (ys.ndim == 2 and ys.shape[0] != n):
            raise ValueError(
                f"{v.display}: lookup override must have {len(xs)} y points "
                f"(or shape ({n}, {len(xs)}))"
            )
        return {"xs": xs, "ys": ys}

    def _split_params(
        self, params: Mapping[str, Any], n: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Overrides of values (engine layout) and of lookup tables, by canonical name."""
        values: dict[str, Any] = {}
        tables: dict[str, Any] = {}
        for name, value in params.items():
            v, idx = self._resolve(name)
            if idx is not None:
                # one element: a number, or one per run; the generated code sets it
                # after computing the rest of the array (see codegen "element inputs")
                arr = np.asarray(value, dtype=float)
                if (arr.ndim == 1 and arr.shape != (n,)) or arr.ndim > 1:
                    raise ValueError(
                        f"{name}: expected one value or {n} (one per run), got shape {arr.shape}"
                    )
                values[element_key(v.name, idx)] = np.float64(arr) if arr.ndim == 0 else arr
                continue
            # For a variable with a graphical function an array (or (xs, ys)) replaces
            # the table; a single number replaces the variable's value.
            is_table_value = isinstance(value, tuple) or np.ndim(value) >= 1
            if v.kind == "gf" or (v.table is not None and is_table_value):
                tables[v.name] = self._tables(v, value, n)
                continue
            values[v.name] = self._value(v, value, n)
        return values, tables

    def _integrate(
        self,
        values: dict[str, Any],
        tables: dict[str, Any],
        policies: dict[str, _Schedule],
        outputs: list[str],
        n: int,
        offset: int,
        total: int,
        seed: int,
        start: float,
        stop: float,
        dt: float,
        save_every: int,
        method: str,
    ) -> np.ndarray:
        prog = self.program(
            values.keys(), policies.keys(), [self.flat.vars[o].display for o in outputs]
        )
        C: dict[str, Any] = dict(values)
        for k, (name, v) in enumerate(self.flat.vars.items()):
            ident = f"v{k}"
            if v.table is not None:
                t = tables.get(name, {"xs": v.table.xs, "ys": v.table.ys})
                C[f"xs:{ident}"] = t["xs"]
                C[f"ys:{ident}"] = t["ys"]
            for elem, table in v.element_tables.items():
                C[f"xs:{ident}@{elem}"] = table.xs
                C[f"ys:{ident}@{elem}"] = table.ys
        for name, sched in policies.items():
            C["policy:" + name] = sched
        steps = round((stop - start) / dt)
        if steps < 0 or abs(steps * dt - (stop - start)) > 1e-6 * max(dt, 1e-12) * max(steps, 1):
            raise ModelError(
                f"the run length {stop - start} is not a whole number of dt={dt}",
                construct="dt",
                path=self.flat.path,
            )
        rows = steps // save_every + 1
        ncols = len(prog.columns)
        # Written as (times, columns, runs): each saved value is one contiguous row of
        # runs; the result is the (runs, times, columns) view of it, without a copy.
        R = _output_buffer((rows, ncols, n))
        # A single run of a model without arrays keeps its state as a flat vector, so the
        # generated code works on NumPy scalars (about ten times cheaper per operation than
        # one-element arrays); the equations and their results are the same.
        scalar = (
            n == 1
            and self.flat.random_sites == 0
            and not any(v.dims for v in self.flat.vars.values())
            and all(np.ndim(v) == 0 for v in values.values())
            and all(np.ndim(t["ys"]) == 1 for t in tables.values())
            and all(p.is_scalar() for p in policies.values())
        )
        S = np.zeros(prog.n_state if scalar else (prog.n_state, n))
        DS = np.zeros_like(S)
        M: dict[str, Any] = {}
        rs = RandomStreams(seed=seed, offset=offset, n=n, total=total)
        with np.errstate(all="ignore"):
            step = prog.bind(S, C, M, R, n, start, dt, stop, steps, rs)
            if method == "euler":
                for i in range(steps + 1):
                    row = i // save_every if i % save_every == 0 else -1
                    t = start + i * dt
                    step(t, i, S, DS, row, True)
                    if i < steps:
                        DS *= dt
                        S += DS
            else:
                k1 = DS
                k2 = np.zeros_like(S)
                k3 = np.zeros_like(S)
                k4 = np.zeros_like(S)
                tmp = np.empty_like(S)
                for i in range(steps + 1):
                    row = i // save_every if i % save_every == 0 else -1
                    t = start + i * dt
                    step(t, i, S, k1, row, True)
                    if i == steps:
                        break
                    np.multiply(k1, dt / 2, out=tmp)
                    tmp += S
                    step(t + dt / 2, i, tmp, k2, -1, False)
                    np.multiply(k2, dt / 2, out=tmp)
                    tmp += S
                    step(t + dt / 2, i, tmp, k3, -1, False)
                    np.multiply(k3, dt, out=tmp)
                    tmp += S
                    step(t + dt, i, tmp, k4, -1, False)
                    k2 *= 2
                    k3 *= 2
                    k1 += k2
                    k1 += k3
                    k1 += k4
                    k1 *= dt / 6
                    S += k1
        return R.transpose(2, 0, 1)

    def run(
        self,
        params: Mapping[str, Any] | pd.DataFrame | None = None,
        *,
        runs: int | None = None,
        distributions: Mapping[str, Distribution] | None = None,
        sampling: str = "lhs",
        seed: int = 0,
        outputs: Sequence[str] | None = None,
        policies: Sequence[Policy] = (),
        start: float | None = None,
        stop: float | None = None,
        dt: float | None = None,
        save_step: float | None = None,
        method: str | None = None,
        executor: Any = None,
        chunk_size: int | None = None,
        scenario: str | None = None,
        nonfinite: str = "warn",
        connect_timeout: float = 10.0,
    ) -> pd.DataFrame | EnsembleResult:
        """Run the model once or as an ensemble.

        Args:
            params: overrides. A mapping of variable name to a value (all runs), to an
                array of one value per run (an ensemble from a table), or for a graphical
                function to its y points / ``(xs, ys)``; or a DataFrame, one row per run.
            runs: number of runs to draw from ``distributions`` (or to repeat ``params``).
            distributions: declared uncertainty per constant (Uniform, Normal ...).
            sampling: ``lhs`` (Latin hypercube) or ``mc`` (Monte Carlo).
            seed: seeds the design and the model's random functions; the same seed gives
                the same result on any executor.
            outputs: variables to keep (default: all). Memory is runs x saved times x
                output columns x 8 bytes.
            policies: time-starting changes to constants (:class:`Policy`).
            start, stop, dt, save_step, method: override the model's simulation specs.
            executor: ``None`` (this process), ``"processes"`` (a local process pool), a
                ``dask.distributed.Client``, or a Dask scheduler address ``"tcp://..."``.
            chunk_size: runs per task when an executor is used.
            connect_timeout: seconds to wait for a Dask scheduler given by address
                before giving up with :class:`ExecutorError` (default 10).
            scenario: a label carried in the result.
            nonfinite: what an output that becomes NaN or infinite (``1/0``, ``LN(-1)``)
                does: ``"warn"`` (default) warns with
                :class:`~u4ssc.core.simulation.errors.NonFiniteWarning` naming each such
                output, the first time and how many runs; ``"strict"`` raises a
                :class:`ModelError` instead; ``"off"`` does not look. Either way the
                result lists them (``df.attrs["non_finite"]``, ``result.non_finite``).

        Returns:
            A DataFrame indexed by time (one run and no ensemble asked for), otherwise an
            :class:`EnsembleResult` of shape runs x times x columns.
        """
        f = self.flat
        start = f.start if start is None else float(start)
        stop = f.stop if stop is None else float(stop)
        dt = f.dt if dt is None else float(dt)
        save = max(f.save_step, dt) if save_step is None else float(save_step)
        save_every = max(1, round(save / dt))
        if abs(save_every * dt - save) > 1e-9 * max(save, 1.0):
            raise ModelError(
                f"save interval {save} is not a multiple of dt {dt}",
                construct="save_step",
                path=f.path,
            )
        if nonfinite not in ("warn", "strict", "off"):
            raise ValueError(f"nonfinite must be 'warn', 'strict' or 'off', not {nonfinite!r}")
        meth = (method or f.method).lower()
        if meth not in ("euler", "rk4"):
            raise ModelError(
                f"integration method '{meth}' is not supported (euler, rk4)",
                construct="method",
                path=f.path,
            )
        if runs is not None and runs < 1:
            raise ValueError("runs must be at least 1")
        table = self._design(params, runs, distributions, sampling, seed)
        implied = self._runs_in(params) if isinstance(params, Mapping) else None
        n = len(table.index) if table is not None else (runs or implied or 1)
        if implied is not None and implied != n:
            raise ValueError(f"parameters give {implied} runs but the design has {n}")
        ensemble = (
            n > 1
            or runs is not None
            or distributions is not None
            or (isinstance(params, pd.DataFrame))
        )
        overrides: dict[str, Any] = {}
        if table is not None:
            for col in table.columns:
                overrides[col] = (
                    table[col].to_numpy(dtype=float) if n > 1 else float(table[col].iloc[0])
                )
        if isinstance(params, Mapping):
            for k, v in params.items():
                if k not in overrides:
                    overrides[k] = v
        schedules = self._schedules(policies, overrides, n)
        values, tables = self._split_params(overrides, n)
        outs = self._outputs(outputs)
        job = _Job(
            flat=f,
            values=values,
            tables=tables,
            policies=schedules,
            outputs=outs,
            start=start,
            stop=stop,
            dt=dt,
            save_every=save_every,
            method=meth,
            seed=int(seed),
            total=n,
        )
        data = self._execute(job, n, executor, chunk_size, connect_timeout)
        times = start + np.arange(data.shape[1]) * save_every * dt
        prog = self.program(
            values.keys(),
            schedules.keys(),
            [f.vars[o].display for o in outs],
        )
        columns = [c.label for c in prog.columns]
        problems = non_finite(data, times, columns) if nonfinite != "off" else []
        if problems:
            text = describe_non_finite(problems, n if ensemble else None)
            if nonfinite == "strict":
                raise ModelError(
                    text, variable=problems[0].column, construct="non-finite result", path=f.path
                )
            warnings.warn(NonFiniteWarning(text), stacklevel=2)
        if not ensemble:
            df = pd.DataFrame(data[0], index=pd.Index(times, name="time"), columns=columns)
            # what reproduces the run travels with it
            df.attrs.update(
                model_hash=f.digest,
                seed=int(seed),
                params={k: np.asarray(v).tolist() for k, v in overrides.items()},
                policies=[p.__dict__ for p in policies],
                non_finite=problems,
            )
            return df
        params_table = table if table is not None else pd.DataFrame(index=pd.RangeIndex(n))
        return EnsembleResult(
            data=data,
            times=times,
            columns=columns,
            params=params_table,
            seed=int(seed),
            model_hash=f.digest,
            scenario=scenario,
            non_finite=problems,
            settings={
                "start": start,
                "stop": stop,
                "dt": dt,
                "save_every": save_every,
                "method": meth,
                "sampling": sampling,
                "policies": [p.__dict__ for p in policies],
            },
        )

    def _runs_in(self, params: Mapping[str, Any]) -> int | None:
        """Runs implied by per-run arrays among arrayed or lookup overrides."""
        n: int | None = None
        for k, value in params.items():
            v, idx = self._resolve(k)
            if isinstance(value, tuple):
                continue
            nd = np.ndim(value)
            per_run = (
                (idx is not None and nd == 1)
                or (idx is None and v.table is not None and nd == 2)
                or (idx is None and v.table is None and nd == len(v.dims) + 1)
            )
            if per_run:
                size = int(np.shape(value)[0])
                if n is not None and size != n:
                    raise ValueError(f"{k}: {size} runs where other parameters give {n}")
                n = size
        return n

    def _design(
        self,
        params: Any,
        runs: int | None,
        distributions: Mapping[str, Distribution] | None,
        sampling: str,
        seed: int,
    ) -> pd.DataFrame | None:
        frames: list[pd.DataFrame] = []
        n: int | None = runs
        if isinstance(params, pd.DataFrame):
            frames.append(params.reset_index(drop=True))
            n = len(params)
        elif isinstance(params, Mapping):
            cols = {}
            for k, v in params.items():
                var, idx = self._resolve(k)
                if (idx is None and (var.dims or var.table is not None)) or np.ndim(v) == 0:
                    continue
                arr = np.asarray(v, dtype=float)
                if arr.ndim == 1:
                    if n is not None and len(arr) != n:
                        raise ValueError(f"{k}: {len(arr)} values for {n} runs")
                    n = len(arr)
                    cols[k] = arr
            if cols:
                frames.append(pd.DataFrame(cols))
        if distributions:
            if n is None:
                raise ValueError("runs= is needed to sample distributions")
            # A distribution on an arrayed constant draws every element on its own (one
            # design column per element, named "var[element]").
            each: dict[str, Distribution] = {}
            for k, dist in distributions.items():
                var, idx = self._resolve(k)
                if var.dims and idx is None:
                    each.update({e: dist for e in self._element_names(var)})
                else:
                    each[k] = dist
            frames.append(sample(each, n, method=sampling, seed=seed))
        if not frames:
            return None
        table = pd.concat([fr.reset_index(drop=True) for fr in frames], axis=1)
        table.index = pd.RangeIndex(len(table), name="run")
        return table

    def _schedules(
        self, policies: Sequence[Policy], overrides: dict[str, Any], n: int
    ) -> dict[str, _Schedule]:
        """Policies by variable; an overridden value (whole or per element) becomes the
        base the policy changes, so it is taken out of ``overrides``."""
        grouped: dict[str, tuple[Var, list[tuple[tuple[int, ...] | None, Policy]]]] = {}
        for p in policies:
            v, idx = self._resolve(p.variable)
            grouped.setdefault(v.name, (v, []))[1].append((idx, p))
        out: dict[str, _Schedule] = {}
        for name, (v, items) in grouped.items():
            base = self._policy_base(v, overrides, n)
            changes: list[tuple[Any, Any, float, float]] = []
            for idx, p in items:
                part = base if idx is None else base[idx]
                target: Any
                if p.value is not None:
                    filled = np.broadcast_to(np.float64(p.value), np.shape(part)).copy()
                    target = np.float64(filled) if filled.ndim == 0 else filled
                else:
                    target = part * p.multiply
                changes.append((idx, target, p.start, p.ramp))
            out[name] = _Schedule(base, changes)
        return out

    def _policy_base(self, v: Var, overrides: dict[str, Any], n: int) -> Any:
        """The value a policy starts from: the run's override, else the constant's
        equation(s); in engine layout (arrays: ``(*dims, 1)`` or ``(*dims, N)``)."""
        mine = [k for k in overrides if self._resolve(k)[0].name == v.name]
        whole = [k for k in mine if self._resolve(k)[1] is None]
        constant = (
            v.table is None and bool(v.eqns) and all(isinstance(eq.ast, E.Num) for eq in v.eqns)
        )
        base: Any
        if whole:
            base = self._value(v, overrides.pop(whole[0]), n)
        elif not constant:
            raise ModelError(
                "a policy can only change a constant (an equation that is a number)",
                variable=v.display,
                construct="policy",
            )
        elif not v.dims:
            base = np.float64(v.eqns[0].ast.value)  # type: ignore[attr-defined]
        else:
            shape = tuple(self.flat.dims[d].size for d in v.dims)
            base = np.empty((*shape, 1))
            for eq in v.eqns:
                value = float(eq.ast.value)  # type: ignore[attr-defined]
                if eq.elem is None:
                    base[...] = value
                else:
                    base[eq.elem] = value
        if not v.dims:
            for k in whole[1:]:
                overrides.pop(k)
            return base if np.ndim(base) else np.float64(base)
        for k in mine:
            if k in overrides:
                idx = self._resolve(k)[1]
                given = np.asarray(overrides.pop(k), dtype=float)
                if given.ndim == 1 and base.shape[-1] != given.shape[0]:
                    base = np.broadcast_to(base, (*base.shape[:-1], given.shape[0])).copy()
                base[idx] = given
        return base

    def _execute(
        self,
        job: _Job,
        n: int,
        executor: Any,
        chunk_size: int | None,
        connect_timeout: float = 10.0,
    ) -> np.ndarray:
        local = executor is None or executor == "serial"
        if local and (chunk_size is None or chunk_size >= n):
            return _run_job(job, 0, n, self)
        size = chunk_size or max(1, math.ceil(n / 8))
        bounds = [(lo, min(lo + size, n)) for lo in range(0, n, size)]
        if executor is None or executor == "serial":
            parts = [_run_job(job, lo, hi, self) for lo, hi in bounds]
        elif executor == "processes":
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor() as pool:
                futures = [pool.submit(_run_job, job, lo, hi) for lo, hi in bounds]
                parts = [fu.result() for fu in futures]
        else:
            client, own = _dask_client(executor, connect_timeout)
            try:
                # A key of its own (hash=False): two clients scattering the same job must
                # not share, and then release, one key.
                jf = client.scatter(job, hash=False)
                futures = [client.submit(_run_job, jf, lo, hi, pure=False) for lo, hi in bounds]
                parts = client.gather(futures)
            finally:
                if own:
                    client.close()
        return np.concatenate(parts, axis=0)

    def compare(self, scenarios: Sequence[Scenario], **kwargs: Any) -> dict[str, EnsembleResult]:
        """Run several scenarios with the same design and seed; results by scenario name."""
        out: dict[str, EnsembleResult] = {}
        base_params = dict(kwargs.pop("params", None) or {})
        for sc in scenarios:
            params = {**base_params, **dict(sc.params)}
            res = self.run(params or None, policies=sc.policies, scenario=sc.name, **kwargs)
            if isinstance(res, pd.DataFrame):
                raise ValueError("compare() needs an ensemble (runs= or distributions=)")
            out[sc.name] = res
        return out


@dataclass(frozen=True)
class NonFinite:
    """An output column that became NaN or infinite."""

    column: str
    first_time: float  # the first saved time it is not finite in any run
    kind: str  # "NaN", "inf" or "-inf": its value then (in the first such run)
    runs: int  # how many runs it is not finite in, at some saved time


def non_finite(data: np.ndarray, times: np.ndarray, columns: Sequence[str]) -> list[NonFinite]:
    """The output columns of ``data`` (runs x times x columns) with NaN or inf values.

    Vectorised, in blocks of saved times so the check's temporary stays small beside
    an ensemble of hundreds of MB; a finite result costs one pass over it.
    """
    runs, rows, cols = data.shape
    first = np.full(cols, -1)
    hit = np.zeros((runs, cols), dtype=bool)
    for lo in range(0, rows, 256):
        block = ~np.isfinite(data[:, lo : lo + 256, :])  # (runs, block, cols)
        if not block.any():
            continue
        hit |= block.any(axis=1)
        where = block.any(axis=0)  # (block, cols)
        new = (first < 0) & where.any(axis=0)
        first[new] = lo + np.argmax(where[:, new], axis=0)
    out = []
    for c in np.flatnonzero(first >= 0):
        row = int(first[c])
        run = int(np.argmax(~np.isfinite(data[:, row, c])))
        value = float(data[run, row, c])
        kind = "NaN" if np.isnan(value) else ("inf" if value > 0 else "-inf")
        out.append(NonFinite(columns[int(c)], float(times[row]), kind, int(hit[:, c].sum())))
    return out


def describe_non_finite(problems: Sequence[NonFinite], runs: int | None, limit: int = 5) -> str:
    """One sentence naming the columns, when they first are not finite and in how many
    runs (``runs`` ``None`` for a single run)."""
    parts = []
    for p in problems[:limit]:
        where = ""
        if runs is not None:
            where = " in every run" if p.runs == runs else f" in {p.runs} of {runs} runs"
        parts.append(f"'{p.column}' is {p.kind} from time {p.first_time:g}{where}")
    more = f"; and {len(problems) - limit} more" if len(problems) > limit else ""
    return "non-finite results (division by zero, LN or SQRT of a negative number ...): " + (
        "; ".join(parts) + more
    )


def _output_buffer(shape: tuple[int, ...]) -> np.ndarray:
    """An uninitialised float64 array for the outputs, on huge pages when it is large.

    A 10,000-run ensemble can keep hundreds of MB of outputs; written once, row by row,
    the cost is the kernel's page faults. Anonymous memory advised for transparent huge
    pages faults 512 times less often (measured: 2.1 s -> 0.17 s for 768 MB here).
    """
    nbytes = int(np.prod(shape)) * 8
    advise = getattr(mmap, "MADV_HUGEPAGE", None)
    if nbytes < (64 << 20) or advise is None:
        return np.empty(shape)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    with contextlib.suppress(OSError):  # kernels without THP still work, only slower
        buf.madvise(advise)
    return np.frombuffer(buf, dtype=np.float64).reshape(shape)


def _dask_client(executor: Any, timeout: float) -> tuple[Any, bool]:
    from dask.distributed import Client

    if isinstance(executor, Client):
        return executor, False
    if not isinstance(executor, str):
        return Client(executor), True  # a cluster object such as LocalCluster
    try:
        return Client(executor, timeout=timeout), True
    except ValueError as exc:
        raise ExecutorError(
            f"{executor!r} is not a Dask scheduler address ({exc}); give one such as "
            "tcp://host:8786, or 'processes' for a local process pool"
        ) from None
    except OSError:  # dask's connection timeout (and refused or unresolvable hosts)
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {executor} within {timeout:g} s: is it "
            "running, and is the address right? (nothing was run)"
        ) from None


def load_model(path: str | Path, *, units: str = "warn", placeholders: str = "refuse") -> Model:
    """Read, check and prepare an XMILE model.

    Args:
        path: the ``.xmile``/``.stmx`` file.
        units: ``"strict"`` refuses a model whose units clash, ``"warn"`` (default) warns
            with :class:`~u4ssc.core.simulation.errors.UnitWarning`, ``"off"`` skips.
        placeholders: ``"refuse"`` (default) or ``"inputs"``: variables whose equation is
            a placeholder (``???``) become inputs that each run must be given.

    Raises:
        ModelError: the file is not well-formed, uses something unsupported, refers to an
            unknown name, has a cycle among auxiliaries, or (strict) a unit clash.
    """
    flat = build(read_xmile(path), placeholders)
    _check_units(flat, units)
    model = Model(flat)
    if not any(v.placeholder for v in flat.vars.values()):
        model.program()  # generate once so every error is found while reading
    return model


def load_model_bytes(data: bytes, name: str = "<model>", *, units: str = "warn") -> Model:
    """Like :func:`load_model` for XMILE held in memory."""
    flat = build(read_xmile_bytes(data, name))
    _check_units(flat, units)
    model = Model(flat)
    model.program()
    return model


def _check_units(flat: Flat, mode: str) -> None:
    if mode == "off":
        return
    from u4ssc.core.simulation.units import check_units

    check_units(flat, strict=(mode == "strict"))
