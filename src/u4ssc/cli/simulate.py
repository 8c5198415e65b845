"""``u4ssc simulate MODEL.xmile``: run an XMILE model from the command line.

One run writes a CSV in the SDXorg suite's shape: first column ``Time``, then one column
per variable named as in the model (arrayed variables: one column per element,
``name[element]``). With ``--runs N`` and ``--sample`` the ensemble's percentiles are
written instead. A model that cannot be read exits with status 2 and one message naming
the construct, the variable and the line; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from u4ssc.core.simulation import (
    LogNormal,
    ModelError,
    Normal,
    Policy,
    Scenario,
    Triangular,
    Uniform,
    UnitWarning,
    load_model,
)
from u4ssc.core.simulation.results import EnsembleResult

_DISTS = {
    "uniform": (Uniform, 2),
    "normal": (Normal, 2),
    "triangular": (Triangular, 3),
    "lognormal": (LogNormal, 2),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "simulate",
        help="run an XMILE system-dynamics model",
        description="Run an XMILE model once (CSV of every variable) or as an ensemble "
        "(percentiles over the runs).",
    )
    p.add_argument("model", help="the .xmile file, or 'city' for the shipped U4SSC city model")
    p.add_argument("--runs", type=int, default=1, help="number of runs (default 1)")
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the design and of the model's random functions (default 0)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a constant (repeatable)",
    )
    p.add_argument(
        "--sample",
        action="append",
        default=[],
        metavar="NAME=DIST:A:B[:C]",
        help="vary a constant over the runs: uniform:LOW:HIGH, normal:MEAN:SD, "
        "triangular:LOW:MODE:HIGH, lognormal:MEAN:SD (repeatable)",
    )
    p.add_argument(
        "--sampling",
        choices=("lhs", "mc"),
        default="lhs",
        help="design for --sample: Latin hypercube (default) or Monte Carlo",
    )
    p.add_argument(
        "--output",
        action="append",
        default=[],
        metavar="NAME",
        help="variable to keep (repeatable; default: all)",
    )
    p.add_argument(
        "--percentiles",
        default="5,50,95",
        help="percentiles written for an ensemble (default 5,50,95)",
    )
    p.add_argument(
        "--units",
        choices=("strict", "warn", "off"),
        default="warn",
        help="unit checking: refuse clashes, warn (default), or skip",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:port) to spread an ensemble; default: "
        "the U4SSC_DASK_SCHEDULER environment variable, else this process",
    )
    p.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="NAME@START=VALUE",
        help="change a constant from a time on: NAME@START=VALUE or NAME@START*FACTOR, "
        "with ~YEARS to ramp in (repeatable)",
    )
    p.add_argument(
        "--compare",
        action="store_true",
        help="also run without the policies; columns are prefixed by scenario",
    )
    p.add_argument("--stop", type=float, default=None, help="stop time (default: the model's)")
    p.add_argument(
        "--save-step", type=float, default=None, help="save interval (default: the model's)"
    )
    p.add_argument("--out", default=None, metavar="FILE.csv", help="write here (default stdout)")
    p.set_defaults(handler=handle)


def _param(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"--param needs NAME=VALUE, got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise ValueError(f"--param {name.strip()}: {value!r} is not a number") from None


def _dist(text: str) -> tuple[str, Any]:
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or parts[0].lower() not in _DISTS:
        raise ValueError(f"--sample needs NAME=DIST:A:B with DIST one of {', '.join(_DISTS)}")
    cls, nargs = _DISTS[parts[0].lower()]
    try:
        args = [float(x) for x in parts[1:]]
    except ValueError:
        raise ValueError(f"--sample {name.strip()}: parameters must be numbers") from None
    if len(args) != nargs:
        raise ValueError(f"--sample {name.strip()}: {parts[0]} takes {nargs} numbers")
    return name.strip(), cls(*args)


_POLICY = re.compile(
    r"^(?P<name>[^@]+)@(?P<start>[-+\d.eE]+)(?P<op>[=*])(?P<value>[-+\d.eE]+)"
    r"(?:~(?P<ramp>[\d.eE]+))?$"
)


def _policy(text: str) -> Policy:
    m = _POLICY.match(text.strip())
    if m is None:
        raise ValueError(
            f"--policy needs NAME@START=VALUE or NAME@START*FACTOR (optional "
            f"~RAMP years), got {text!r}"
        )
    value = float(m.group("value"))
    ramp = float(m.group("ramp") or 0.0)
    if m.group("op") == "=":
        return Policy(m.group("name").strip(), float(m.group("start")), value=value, ramp=ramp)
    return Policy(m.group("name").strip(), float(m.group("start")), multiply=value, ramp=ramp)


def handle(args: argparse.Namespace) -> int:
    if args.runs < 1:
        print("u4ssc simulate: --runs must be at least 1", file=sys.stderr)
        return 2
    try:
        params = dict(_param(p) for p in args.param)
        dists = dict(_dist(s) for s in args.sample)
        policies = [_policy(p) for p in args.policy]
        qs = [float(q) for q in args.percentiles.split(",") if q.strip()]
    except ValueError as exc:
        print(f"u4ssc simulate: {exc}", file=sys.stderr)
        return 2
    is_city = args.model == "city" and not Path(args.model).exists()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnitWarning)
        try:
            path = args.model
            if is_city:
                from u4ssc.core.simulation.city import CITY_MODEL

                path = str(CITY_MODEL)
            model = load_model(path, units=args.units)
        except ModelError as exc:
            print(f"u4ssc simulate: {exc.describe()}", file=sys.stderr)
            return 2
    for w in caught:
        if issubclass(w.category, UnitWarning):
            print(f"u4ssc simulate: warning: {w.message}", file=sys.stderr)
    if is_city and args.runs > 1 and not dists:
        from u4ssc.core.simulation.city import UNCERTAINTY

        dists = {k: d for k, d in UNCERTAINTY.items() if k not in params}
    ensemble = args.runs > 1 or bool(dists)
    scenarios = [Scenario("policies", policies=policies)]
    if args.compare:
        scenarios.insert(0, Scenario("baseline"))
    started = time.perf_counter()
    results: dict[str, Any] = {}
    try:
        for sc in scenarios:
            results[sc.name] = model.run(
                params or None,
                runs=args.runs if ensemble else None,
                distributions=dists or None,
                sampling=args.sampling,
                seed=args.seed,
                outputs=args.output or None,
                policies=sc.policies,
                stop=args.stop,
                save_step=args.save_step,
                executor=(args.scheduler or os.environ.get("U4SSC_DASK_SCHEDULER") or None)
                if ensemble
                else None,
            )
    except (ModelError, KeyError, ValueError) as exc:
        msg = exc.describe() if isinstance(exc, ModelError) else str(exc.args[0])
        print(f"u4ssc simulate: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(
            f"u4ssc simulate: internal error ({type(exc).__name__}: {exc}); please report "
            "it with the model file",
            file=sys.stderr,
        )
        return 3
    elapsed = time.perf_counter() - started
    frames = []
    for name, result in results.items():
        prefix = f"{name}: " if args.compare else ""
        if isinstance(result, EnsembleResult):
            frame = result.fan(result.columns, qs)
            frame.columns = [f"{prefix}{var} p{q[1:]}" for var, q in frame.columns]
        else:
            frame = result.add_prefix(prefix)
        frames.append(frame)
    frame = pd.concat(frames, axis=1)
    if ensemble:
        runs = sum(r.runs for r in results.values())
        print(
            f"u4ssc simulate: {runs} runs in {elapsed:.2f} s (seed {args.seed}, "
            f"model sha256 {model.hash[:12]})",
            file=sys.stderr,
        )
    frame.index.name = "Time"
    if args.out:
        frame.to_csv(args.out)
    else:
        frame.to_csv(sys.stdout)
    return 0
