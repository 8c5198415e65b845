"""``u4ssc simulate MODEL.xmile``: run an XMILE model from the command line.

One run writes a CSV in the SDXorg suite's shape: first column ``Time``, then one column
per variable named as in the model (arrayed variables: one column per element,
``name[element]``). With ``--runs N`` and ``--sample`` the ensemble's percentiles are
written instead. A model that cannot be read exits with status 2 and one message naming
the construct, the variable and the line; never a traceback.

``--city SLUG`` starts the shipped city model from that city's published KPI values in
the platform's database (read in the Django layer, ``u4ssc.cli._city_data``); every other
use is a core command that does not configure Django.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from u4ssc.core.simulation import (
    ExecutorError,
    LogNormal,
    ModelError,
    NonFiniteWarning,
    Normal,
    Policy,
    Scenario,
    Triangular,
    Uniform,
    UnitWarning,
    load_model,
)
from u4ssc.core.simulation.model import Model
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
    p.add_argument(
        "model",
        nargs="?",
        default=None,
        help="the .xmile file, or 'city' for the shipped U4SSC city model (the default "
        "with --city)",
    )
    p.add_argument(
        "--city",
        default=None,
        metavar="SLUG",
        help="start the shipped city model from this city's published KPI values and "
        "population in the platform's database (prints which values were used and "
        "which defaults were assumed)",
    )
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="with --city: the evaluation year whose published values are used (default: "
        "the latest); the run starts in that year",
    )
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
        "--nonfinite",
        choices=("warn", "strict", "off"),
        default="warn",
        help="outputs that become NaN or infinite (1/0, LN(-1) ...): warn naming them "
        "(default), strict: refuse the result (exit status 2), off: do not look",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:port) to spread an ensemble; default: "
        "the U4SSC_DASK_SCHEDULER environment variable, else this process",
    )
    p.add_argument(
        "--scheduler-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for the Dask scheduler to answer (default 10)",
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
    p.add_argument(
        "--start",
        type=float,
        default=None,
        help="start time (default: the model's; with --city the values' year)",
    )
    p.add_argument("--stop", type=float, default=None, help="stop time (default: the model's)")
    p.add_argument(
        "--save-step", type=float, default=None, help="save interval (default: the model's)"
    )
    p.add_argument("--out", default=None, metavar="FILE.csv", help="write here (default stdout)")
    p.add_argument(
        "--list",
        action="store_true",
        help="list the model's variables (name, kind, units, what it is: the names "
        "--output, --param, --sample and --policy take) and stop",
    )
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


def _fail(message: str) -> int:
    print(f"u4ssc simulate: {message}", file=sys.stderr)
    return 2


def _scheduler(args: argparse.Namespace) -> str | None:
    """``--scheduler``, else the platform's ``DASK_SCHEDULER`` setting where Django is
    configured (``--city`` reads the database), else the environment variable that
    setting is read from."""
    if args.scheduler:
        return str(args.scheduler)
    from django.conf import settings

    if settings.configured:
        return str(getattr(settings, "DASK_SCHEDULER", "") or "") or None
    return os.environ.get("U4SSC_DASK_SCHEDULER") or None


def handle(args: argparse.Namespace) -> int:
    from u4ssc.cli._files import out_problem

    if args.out and (problem := out_problem(args.out)):
        return _fail(problem)
    if args.runs < 1:
        return _fail("--runs must be at least 1")
    if not args.scheduler_timeout > 0:
        return _fail("--scheduler-timeout must be a positive number of seconds")
    try:
        params: dict[str, Any] = dict(_param(p) for p in args.param)
        dists = dict(_dist(s) for s in args.sample)
        policies = [_policy(p) for p in args.policy]
        qs = [float(q) for q in args.percentiles.split(",") if q.strip()]
    except ValueError as exc:
        return _fail(str(exc))
    if args.model is None and args.city is None:
        return _fail("give a model file, 'city' for the shipped city model, or --city SLUG")
    if args.year is not None and args.city is None:
        return _fail("--year chooses the published values of --city; give --city SLUG too")
    model_arg = args.model or "city"
    is_city = model_arg == "city" and not Path(model_arg).exists()
    if args.city and not is_city:
        return _fail("--city starts the shipped city model: leave the model out or give 'city'")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnitWarning)
        try:
            path = model_arg
            if is_city:
                from u4ssc.core.simulation.city import CITY_MODEL

                path = str(CITY_MODEL)
            model = load_model(path, units=args.units)
        except ModelError as exc:
            return _fail(exc.describe())
    for w in caught:
        if issubclass(w.category, UnitWarning):
            print(f"u4ssc simulate: warning: {w.message}", file=sys.stderr)
    if args.list:
        _list_variables(model, is_city)
        return 0
    unknown = _unknown_names(model, args, params, dists, policies, model_arg)
    if unknown:
        return _fail(unknown)
    start = args.start
    ensemble = args.runs > 1 or bool(dists)
    run_params: dict[str, Any] = params
    if is_city:
        from u4ssc.core.simulation import city

        try:
            if args.city:
                calibrated = _calibrate(args, model, params)
                if calibrated is None:
                    return 2
                run_params, year = calibrated
                if start is None:
                    start = float(year)
            if ensemble:
                # The city's declared uncertainty unless --sample says otherwise; a
                # calibrated start is solved again for every run, conditioned on the
                # city's KPIs (decision 0108).
                run_params = city.ensemble_parameters(
                    run_params,
                    runs=args.runs,
                    seed=args.seed,
                    sampling=args.sampling,
                    distributions=dists or None,
                    model=model,
                )
                dists = {}
            if args.city:
                _print_calibration(run_params, params)
        except (KeyError, ValueError) as exc:
            return _fail(str(exc.args[0]))
    first = model.time[0] if start is None else start
    last = model.time[1] if args.stop is None else args.stop
    if first > last:
        return _fail(f"the run would start at {first:g}, after its stop time {last:g}")
    scenarios = [Scenario("policies", policies=policies)]
    if args.compare:
        scenarios.insert(0, Scenario("baseline"))
    started = time.perf_counter()
    results: dict[str, Any] = {}
    caught: list[tuple[str, warnings.WarningMessage]] = []
    try:
        for sc in scenarios:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always", NonFiniteWarning)
                results[sc.name] = model.run(
                    run_params or None,
                    runs=args.runs if ensemble else None,
                    distributions=dists or None,
                    sampling=args.sampling,
                    seed=args.seed,
                    outputs=args.output or None,
                    policies=sc.policies,
                    start=start,
                    stop=args.stop,
                    save_step=args.save_step,
                    executor=_scheduler(args) if ensemble else None,
                    nonfinite=args.nonfinite,
                    connect_timeout=args.scheduler_timeout,
                )
            caught += [(sc.name, w) for w in seen if issubclass(w.category, NonFiniteWarning)]
    except (ModelError, KeyError, ValueError, ExecutorError) as exc:
        msg = exc.describe() if isinstance(exc, ModelError) else str(exc.args[0])
        return _fail(msg)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(
            f"u4ssc simulate: internal error ({type(exc).__name__}: {exc}); please report "
            "it with the model file",
            file=sys.stderr,
        )
        return 3
    elapsed = time.perf_counter() - started
    for name, w in caught:
        which = f"{name}: " if args.compare else ""
        print(f"u4ssc simulate: warning: {which}{w.message}", file=sys.stderr)
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


def _calibrate(
    args: argparse.Namespace, model: Model, params: dict[str, Any]
) -> tuple[dict[str, Any], int] | None:
    """The city model's parameters from ``--city``'s published values (``None``: refused,
    the reason printed), and the values' year. Prints what was used and assumed."""
    from u4ssc.cli._city_data import CityDataError, city_data
    from u4ssc.core.simulation import city

    try:
        data = city_data(args.city, args.year)
    except CityDataError as exc:
        _fail(str(exc))
        return None
    codes = {k.code for k in city.KPI_INPUTS}
    try:
        cal = city.city_parameters(
            data.kpis(codes), population=data.population, model=model, given=params
        )
    except ValueError as exc:
        _fail(f"{data.slug} {data.year}: {exc}")
        return None
    merged = city.CityParameters(
        {**cal, **params},
        kpis=cal.kpis,
        population=cal.population,
        # a --param the user gives wins over the calibration of the same parameter
        calibrated=[c for c in cal.calibrated if c not in params],
        notes=[n for n in cal.notes if not _overridden(n, params)],
        unreached=cal.unreached,
    )
    err = sys.stderr
    city_mark = " (synthetic demo city)" if data.synthetic else ""
    print(
        f"u4ssc simulate: {data.name} ({data.slug}){city_mark}: published values of "
        f"{data.year} used as the start (the run starts in {data.year}):",
        file=err,
    )
    used = [v for v in data.values if v.code in codes]
    for v in used:
        what = f"{v.code} {v.data_point}".strip()
        mark = " [synthetic]" if v.synthetic else ""
        print(
            f"  {what}: {v.value:g} {v.unit}, {v.year}, source: {v.source or '(none given)'}{mark}",
            file=err,
        )
    if not used:
        print("  (none of the model's input KPIs is published)", file=err)
    ignored = len(data.values) - len(used)
    if ignored:
        are = "value is not an input" if ignored == 1 else "values are not inputs"
        print(f"  ({ignored} other published {are} of the model)", file=err)
    if data.population is not None:
        print(f"  population: {data.population} (the city's record)", file=err)
    assumed = city.assumed_defaults(merged, model)
    if assumed:
        print("u4ssc simulate: model defaults assumed (no published value):", file=err)
        for a in assumed:
            kpi = f"{a.kpi.code} {a.kpi.name}".strip()
            unit = f" {a.unit}" if a.unit else ""
            print(f"  {kpi}: {a.parameter} = {a.value:g}{unit} ({a.doc})", file=err)
    for name in params:
        if name in cal.calibrated:
            print(
                f"u4ssc simulate: note: --param {name} replaces its calibration, so the "
                "start may differ from the KPI",
                file=err,
            )
    return merged, data.year


def _overridden(note: str, params: dict[str, Any]) -> bool:
    """Whether ``note`` is about a KPI whose calibrated parameter a --param replaced."""
    from u4ssc.core.simulation import city

    return any(
        note.startswith(f"{k.code}:") and set(k.parameters) & set(params) for k in city.KPI_INPUTS
    )


def _print_calibration(run_params: dict[str, Any], params: dict[str, Any]) -> None:
    """What the city's calibration could not match (warnings: the start differs from a
    KPI there) and, for an ensemble, how many runs were redrawn to match."""
    from u4ssc.core.simulation import city

    if not isinstance(run_params, city.CityParameters):
        return
    for note in run_params.notes:
        if not _overridden(note, params):
            print(f"u4ssc simulate: warning: {note}", file=sys.stderr)
    if run_params.redraws is not None:
        print(f"u4ssc simulate: note: {run_params.redraws.describe()}", file=sys.stderr)


def _names_of(text: str) -> str:
    """The variable a name refers to: ``pop[Oslo]`` is an element of ``pop``."""
    text = text.strip()
    if text.endswith("]") and "[" in text:
        return text.partition("[")[0].strip()
    return text


def _suggestions(name: str, pool: list[str], n: int = 4) -> list[str]:
    """The model variables closest to ``name``: names holding every word of it, then
    the closest by difflib, case and ``_`` ignored."""
    key = " ".join(name.lower().replace("_", " ").split())
    by_key = {" ".join(p.lower().replace("_", " ").split()): p for p in pool}
    words = key.split()
    holding = sorted((k for k in by_key if all(w in k for w in words)), key=len)
    close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
    out: list[str] = []
    for k in [*close, *holding]:
        if by_key[k] not in out:
            out.append(by_key[k])
    return out[:n]


def _unknown_names(
    model: Model,
    args: argparse.Namespace,
    params: dict[str, Any],
    dists: dict[str, Any],
    policies: list[Policy],
    model_arg: str,
) -> str | None:
    """A message for the first name the model does not have, with the closest names."""
    everything = model.variables()
    asked = [
        *(("--output", o, everything) for o in args.output),
        *(("--param", p, everything) for p in params),
        *(("--sample", d, everything) for d in dists),
        *(("--policy", p.variable, model.constants()) for p in policies),
    ]
    for flag, name, pool in asked:
        try:
            model.var(_names_of(name))
        except KeyError:
            close = _suggestions(_names_of(name), pool)
            quoted = [f"'{c}'" for c in close]
            if len(quoted) > 1:
                quoted = [", ".join(quoted[:-1]) + " or " + quoted[-1]]
            hint = f"; did you mean {quoted[0]}?" if quoted else ""
            return (
                f"{flag} {name!r}: the model has no variable {_names_of(name)!r}{hint} "
                f"('u4ssc simulate {model_arg} --list' lists the model's variables)"
            )
    return None


_KINDS = {"stock": "stock", "flow": "flow", "aux": "auxiliary", "gf": "lookup"}


def _list_variables(model: Model, is_city: bool) -> None:
    """Every variable of the model, one a line, tab-separated: name, kind, units, doc
    (for the shipped city model, what it is to the city model first: a KPI output, a
    policy lever, an uncertain parameter or a KPI-fed one)."""
    roles: dict[str, list[str]] = {}
    if is_city:
        from u4ssc.core.simulation import city

        for name, code in city.KPI_OUTPUTS.items():
            roles.setdefault(name, []).append(f"KPI output {code}")
        for name, (lo, hi) in city.LEVERS.items():
            roles.setdefault(name, []).append(f"policy lever {lo:g}-{hi:g}")
        for name, dist in city.UNCERTAINTY.items():
            roles.setdefault(name, []).append(f"uncertain {dist}")
        for kin in city.KPI_INPUTS:
            for name in kin.parameters:
                roles.setdefault(name, []).append(f"set from KPI {kin.code}")
    constants = set(model.constants())
    out = sys.stdout
    print("name\tkind\tunits\tdoc", file=out)
    for name in model.variables():
        v = model.var(name)
        kind = "constant" if name in constants else _KINDS.get(v.kind, v.kind)
        if v.dims:
            kind += f" over {', '.join(model.flat.dims[d].display for d in v.dims)}"
        units = "" if (v.units or "") == "dmnl" else (v.units or "")
        doc = " ".join(str(v.doc or "").split())
        tags = "".join(f"[{r}] " for r in roles.get(name, []))
        print(f"{name}\t{kind}\t{units}\t{tags}{doc}", file=out)
