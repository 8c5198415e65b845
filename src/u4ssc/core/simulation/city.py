"""The U4SSC city model: where it is, its policy levers, its uncertainty, and how a
city's actual KPI values set its starting point.

The model itself is ``models/city.xmile`` (documented variable by variable in the file);
this module is what the web layer calls::

    from u4ssc.core.simulation import city

    params = city.city_parameters({"EN: EN: AQ: 2C": 6.1, "EN: E: E: 1C": 55.0},
                                  population=42_000)
    fans = city.ask(params, runs=10_000, seed=1)   # baseline vs retrofit x2 + PV support
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from u4ssc.core.simulation.model import Model, Policy, Scenario, load_model
from u4ssc.core.simulation.results import EnsembleResult
from u4ssc.core.simulation.sampling import Distribution, Uniform, sample

CITY_MODEL = Path(__file__).resolve().parent / "models" / "city.xmile"

#: Policy levers: model constant -> (low, high) of the range the model is meant for.
LEVERS: dict[str, tuple[float, float]] = {
    "retrofit rate": (0.005, 0.04),
    "PV support": (0.0, 2.0),
    "EV share of sales": (0.0, 1.0),
    "public transport investment": (0.0, 1.0),
    "cycling network programme": (0.0, 20.0),
    "leak repair rate": (0.02, 0.3),
    "recycling programme": (0.0, 1.0),
}

#: Outputs that are U4SSC KPIs: model variable -> KPI code.
KPI_OUTPUTS: dict[str, str] = {
    "GHG emissions per capita": "EN: EN: AQ: 2C",
    "Renewable energy share": "EN: E: E: 1C",
    "Electricity consumption per capita": "EN: E: E: 2C",
    "Residential thermal energy per capita": "EN: E: E: 3C",
    "Low carbon vehicle share": "EC: I: T: 8A",
    "Car share": "EC: I: T: 4A",
    "Public transport share": "EC: I: T: 4A",
    "Cycling share": "EC: I: T: 4A",
    "Water supply loss": "EC: I: WS: 3C",
    "Water consumption per capita": "EN: EN: WS: 2C",
    "Recycling rate": "EN: EN: WA: 1C",
}

#: Uncertain assumptions and their ranges (the fan of an ensemble comes from these).
UNCERTAINTY: dict[str, Distribution] = {
    "PV yield": Uniform(750, 950),
    "PV adoption rate": Uniform(0.005, 0.02),
    "conventional intensity": Uniform(170, 240),
    "efficient intensity": Uniform(70, 110),
    "grid decarbonisation rate": Uniform(0.01, 0.05),
    "grid emission factor": Uniform(0.0003, 0.0006),
    "behaviour change time": Uniform(2, 8),
    "birth rate": Uniform(0.009, 0.012),
    "net migration rate": Uniform(0.0, 0.008),
    "public transport elasticity": Uniform(0.3, 0.7),
    "cycling elasticity": Uniform(0.2, 0.6),
}


@dataclass(frozen=True)
class KpiInput:
    """How one U4SSC KPI feeds the model's starting point."""

    code: str
    name: str
    unit: str
    parameters: tuple[str, ...]
    how: str


#: Which KPIs feed which parameters (also documented in docs/simulation.md).
KPI_INPUTS: tuple[KpiInput, ...] = (
    KpiInput(
        "EC: I: WS: 3C", "Water Supply Loss", "%", ("initial water loss fraction",), "value / 100"
    ),
    KpiInput(
        "EN: EN: WS: 2C",
        "Water Consumption",
        "litres per capita per day",
        ("water use per person",),
        "value x 0.365 (m3 per person per year)",
    ),
    KpiInput(
        "EC: I: T: 8A",
        "Low-Carbon Emission Passenger Vehicles",
        "%",
        ("initial electric car share", "initial hybrid car share"),
        "value / 100, split between battery-electric and hybrid cars in the ratio of "
        "their default shares (2 : 1)",
    ),
    KpiInput(
        "EC: I: T: 3C",
        "Bicycle Network",
        "km per 100 000 inhabitants",
        ("initial cycle network",),
        "value x population / 100 000",
    ),
    KpiInput(
        "EC: I: T: 4A",
        "Transportation Mode Share",
        "% per mode",
        ("base public transport share", "base cycling share"),
        "a mapping {mode: %} (keys naming public transport, and cycling/walking); a "
        "single number is the public transport share",
    ),
    KpiInput(
        "EN: EN: WA: 1C",
        "Solid Waste Treatment",
        "% per disposal method",
        ("initial recycling rate",),
        "the recycled (and composted) percent / 100; a mapping {method: %} is summed "
        "over keys naming recycling or composting",
    ),
    KpiInput(
        "EN: E: E: 3C",
        "Residential Thermal Energy Consumption",
        "GJ per capita per year",
        ("conventional intensity", "efficient intensity"),
        "both intensities scaled so the start matches",
    ),
    KpiInput(
        "EN: E: E: 2C",
        "Electricity Consumption",
        "kWh per capita per year",
        ("appliance electricity per person",),
        "the part not explained by heat, cars and public transport",
    ),
    KpiInput(
        "EN: E: E: 1C",
        "Renewable Energy Consumption",
        "%",
        ("initial grid renewable share",),
        "solved so the start matches (the share is linear in it), clipped to 0..1",
    ),
    KpiInput(
        "EN: EN: AQ: 2C",
        "GHG Emissions",
        "t CO2e per capita per year",
        ("other emissions per person",),
        "the part not explained by the modelled sectors (never below 0)",
    ),
)


def _code(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def load_city_model(*, units: str = "strict") -> Model:
    """The shipped city model, units checked strictly by default."""
    return load_model(CITY_MODEL, units=units)


def _names(key: Any, words: Sequence[str]) -> bool:
    return any(word in str(key).lower() for word in words)


def _percent(value: Any, keys: Sequence[str]) -> float:
    if isinstance(value, Mapping):
        total = 0.0
        found = False
        for k, v in value.items():
            if _names(k, keys):
                total += float(v)
                found = True
        if not found:
            raise ValueError(f"no entry naming {' or '.join(keys)} in {dict(value)}")
        return total
    return float(value)


def _check_percent(code: str, value: float) -> float:
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"{code}: {value} is not a percentage")
    return value


@dataclass(frozen=True)
class Redraws:
    """How an ensemble was conditioned on the city's KPIs (decision 0108).

    A run whose draws of the uncertain parameters cannot reproduce a KPI (its calibrated
    parameter would leave its range: negative "other emissions", a grid renewable share
    beyond 0..1) contradicts what the city measured; it is drawn again from the same
    seeded generator until its draws can, in at most :data:`REDRAW_ROUNDS` rounds.

    Attributes:
        runs: runs of the ensemble.
        kpis: the KPI codes the ensemble is conditioned on (the calibrated KPIs the
            model reproduces at its own parameter values).
        redrawn: runs whose first draws were replaced by consistent ones.
        by_kpi: KPI code -> runs of the first design that could not reproduce it.
        drawn: parameter sets drawn in all (the first design and every round's).
        consistent: how many of them reproduce every KPI the ensemble is conditioned on.
        rounds: rounds of redrawing done.
        left: runs still inconsistent after the last round (their calibration is clipped
            and their start differs from the KPI; ``notes`` says so).
    """

    runs: int
    kpis: tuple[str, ...]
    redrawn: int
    by_kpi: dict[str, int]
    drawn: int
    consistent: int
    rounds: int
    left: int

    def describe(self) -> str:
        """One sentence for a person: how many runs were redrawn, and why."""
        if not self.kpis:
            return "no run redrawn: the model reproduces none of the calibrated KPIs"
        if not self.by_kpi:
            return (
                f"no run redrawn: all {self.runs} runs reproduce {', '.join(self.kpis)} as "
                "first drawn"
            )
        kpis = ", ".join(f"{code} ({n} runs)" for code, n in self.by_kpi.items())
        share = 100 * self.consistent / self.drawn if self.drawn else 0.0
        text = (
            f"{self.redrawn} of {self.runs} runs redrawn: their first draws of the uncertain "
            f"parameters could not reproduce {kpis}; the ensemble keeps only draws that "
            f"reproduce the city's KPIs ({share:.3g} % of the {self.drawn} drawn do)"
        )
        if self.left:
            text += (
                f"; {self.left} runs found no consistent draw in {self.rounds} rounds and "
                "start away from the KPI"
            )
        return text


class CityParameters(dict[str, Any]):
    """Parameter overrides from :func:`city_parameters` that remember where they came from.

    It is a plain ``{parameter: value}`` mapping for :meth:`Model.run`; :func:`ask` and
    :func:`ensemble_parameters` also read the KPIs and population it was made from, so an
    ensemble is calibrated again run by run (each run's uncertain parameters give other
    residuals) and every run starts at the city's KPI values.

    Attributes:
        kpis: the KPI values given, by normalised code (spacing removed, upper case).
        population: the population given (persons), or ``None``.
        calibrated: parameters solved so that the start matches a KPI (they depend on the
            model's other parameters); the others are set directly from a KPI.
        notes: what could not be matched exactly (a KPI out of the model's reach): the
            start differs from the KPI there.
        unreached: KPI code -> which runs (bool, shape ``(runs,)``, ``(1,)`` for one run)
            do not start at that KPI because its calibrated parameter was clipped; one
            entry per calibrated KPI that can be out of reach.
        redraws: for :func:`ensemble_parameters`, how the ensemble was conditioned on the
            KPIs (``None`` otherwise).
    """

    def __init__(
        self,
        values: Mapping[str, Any] = (),  # type: ignore[assignment]
        *,
        kpis: Mapping[str, Any] | None = None,
        population: float | None = None,
        calibrated: Sequence[str] = (),
        notes: Sequence[str] = (),
        unreached: Mapping[str, np.ndarray] | None = None,
        redraws: Redraws | None = None,
    ) -> None:
        super().__init__(values)
        self.kpis: dict[str, Any] = dict(kpis or {})
        self.population = population
        self.calibrated: tuple[str, ...] = tuple(calibrated)
        self.notes: list[str] = list(notes)
        self.unreached: dict[str, np.ndarray] = dict(unreached or {})
        self.redraws = redraws

    def __reduce__(self) -> Any:  # picklable with its attributes (process pools, Dask)
        return (
            _city_parameters_from,
            (
                dict(self),
                self.kpis,
                self.population,
                self.calibrated,
                self.notes,
                self.unreached,
                self.redraws,
            ),
        )


def _city_parameters_from(
    values: dict[str, Any],
    kpis: dict[str, Any],
    population: float | None,
    calibrated: tuple[str, ...],
    notes: list[str],
    unreached: dict[str, np.ndarray] | None = None,
    redraws: Redraws | None = None,
) -> CityParameters:
    return CityParameters(
        values,
        kpis=kpis,
        population=population,
        calibrated=calibrated,
        notes=notes,
        unreached=unreached,
        redraws=redraws,
    )


def _constant(m: Model, name: str) -> float:
    """The number a constant's equation gives in the model file."""
    return float(m.var(name).eqns[0].ast.value)  # type: ignore[attr-defined]


def _runs_of(given: Mapping[str, Any]) -> int | None:
    sizes = {int(np.shape(v)[0]) for v in given.values() if np.ndim(v) == 1}
    if len(sizes) > 1:
        raise ValueError(f"per-run parameters of different lengths: {sorted(sizes)}")
    return sizes.pop() if sizes else None


def _as_float(x: Any) -> Any:
    """A per-run array stays an array; one value becomes a float."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def city_parameters(
    kpis: Mapping[str, Any],
    *,
    population: float | None = None,
    model: Model | None = None,
    given: Mapping[str, Any] | pd.DataFrame | None = None,
) -> CityParameters:
    """Parameter overrides that start the city model from a city's actual KPI values.

    Args:
        kpis: U4SSC KPI code -> value, codes as in the KPI catalogue (spacing is ignored:
            ``"EN: EN: AQ: 2C"``). KPIs the model does not use are ignored; see
            :data:`KPI_INPUTS` for what each one sets.
        population: the city's population (persons); the model's default otherwise.
        model: the city model (loaded if not given).
        given: values of other parameters to calibrate against: one number each, or one
            value per run (arrays of shape ``(runs,)`` or a DataFrame with one row per
            run, such as a design drawn from :data:`UNCERTAINTY`). The calibrated
            parameters are then solved for every run at once, so each run starts at the
            KPI values whatever its uncertain parameters.

    Returns:
        ``{parameter name: value}`` for :meth:`Model.run` (a :class:`CityParameters`);
        calibrated values are arrays of shape ``(runs,)`` when ``given`` has per-run
        values. Calibrated parameters are solved in a fixed order (thermal energy,
        electricity, renewable share, GHG) so that the model's values at the start equal
        the given KPIs. A KPI the model cannot reach (a renewable share beyond what the
        grid share 0..1 gives, emissions below what the modelled sectors emit) is
        clipped and says so in ``.notes`` (with where the run starts instead);
        ``.unreached`` says which runs miss which KPI. A parameter in ``given`` wins over
        the KPI that would set it directly, and the calibration is solved against it.

    Raises:
        ValueError: a value that cannot be (a negative population, a share above 100 %).
    """
    m = model or load_city_model()
    codes = {_code(k): v for k, v in kpis.items()}
    if isinstance(given, pd.DataFrame):
        base: dict[str, Any] = {c: given[c].to_numpy(dtype=float) for c in given.columns}
    else:
        base = {k: _as_float(v) for k, v in (given or {}).items()}
    runs = _runs_of(base)
    params: dict[str, Any] = {}
    calibrated: list[str] = []
    notes: list[str] = []
    pop = float(population) if population is not None else _constant(m, "initial population")
    if population is not None:
        if not pop > 0:
            raise ValueError("population must be positive")
        params["initial population"] = pop
    if "initial population" in base and np.ndim(base["initial population"]) == 0:
        pop = float(base["initial population"])  # the caller's wins, as in the run

    def get(code: str) -> Any:
        return codes.get(_code(code))

    def value_of(name: str) -> Any:
        """The parameter as the model will see it: solved, given, or the model's own."""
        if name in params:
            return params[name]
        if name in base:
            return base[name]
        return _constant(m, name)

    if (v := get("EC: I: WS: 3C")) is not None:
        params["initial water loss fraction"] = _check_percent("EC: I: WS: 3C", float(v)) / 100
    if (v := get("EN: EN: WS: 2C")) is not None:
        if float(v) < 0:
            raise ValueError("EN: EN: WS: 2C must not be negative")
        params["water use per person"] = float(v) * 0.365
    if (v := get("EC: I: T: 8A")) is not None:
        # low-carbon cars are battery-electric and hybrid ones (the model's KPI output):
        # the KPI is split between them in the ratio of their default (or given) shares
        low = _check_percent("EC: I: T: 8A", float(v)) / 100
        electric = value_of("initial electric car share")
        hybrid = value_of("initial hybrid car share")
        total = electric + hybrid
        params["initial electric car share"] = _as_float(low * electric / total)
        params["initial hybrid car share"] = _as_float(low * hybrid / total)
    if (v := get("EC: I: T: 3C")) is not None:
        params["initial cycle network"] = max(float(v), 0.0) * pop / 100_000
    if (v := get("EC: I: T: 4A")) is not None:
        public = ("public", "bus", "transit", "rail", "tram")
        cycling = ("cycl", "bike", "bicycle", "walk")
        if not isinstance(v, Mapping):
            params["base public transport share"] = _check_percent("EC: I: T: 4A", float(v)) / 100
        elif not any(_names(k, public + cycling) for k in v):
            raise ValueError(f"EC: I: T: 4A: no entry naming public transport or cycling in {v}")
        else:
            # A city may publish some modes only: a share without its data points keeps
            # the model's default.
            if any(_names(k, public) for k in v):
                pt = _percent(v, public)
                params["base public transport share"] = _check_percent("EC: I: T: 4A", pt) / 100
            if any(_names(k, cycling) for k in v):
                cyc = _percent(v, cycling)
                params["base cycling share"] = _check_percent("EC: I: T: 4A", cyc) / 100
    if (v := get("EN: EN: WA: 1C")) is not None:
        rec = _percent(v, ("recycl", "compost"))
        params["initial recycling rate"] = _check_percent("EN: EN: WA: 1C", rec) / 100

    # A parameter the caller gives wins over its KPI (as it does in the run), so the
    # calibration below is solved against the value the run will use.
    for name in [n for n in params if n in base]:
        del params[name]
    unreached: dict[str, np.ndarray] = {}

    def start(output: str, extra: Mapping[str, Any] | None = None) -> Any:
        """``output`` at the start: a float, or per run ``(runs,)``."""
        inputs = {**base, **params, **(extra or {})}
        res = m.run(inputs, stop=m.time[0], outputs=[output])
        if isinstance(res, pd.DataFrame):
            return float(res[output].iloc[0])
        return res.values(output)[:, 0]

    def note_clipped(
        code: str, wanted: Any, clipped: Any, reached: Any, unit: str, why: str, so: str
    ) -> None:
        """Record the runs whose start misses the KPI (``reached`` is their start): the
        KPI ``why`` (in those runs), so ``so``."""
        shape = (runs or 1,)
        missed = np.broadcast_to(np.asarray(wanted) != np.asarray(clipped), shape).copy()
        unreached[code] = missed
        if not missed.any():
            return
        got = np.broadcast_to(np.asarray(reached, dtype=float), shape)[missed]
        lo, hi = float(got.min()), float(got.max())
        if runs:
            span = f"{lo:.4g}" if f"{lo:.4g}" == f"{hi:.4g}" else f"{lo:.4g}-{hi:.4g}"
            notes.append(
                f"{code}: {why} in {int(missed.sum())} of {missed.size} runs (so {so} "
                f"there); they start at {span} {unit}, not at the KPI"
            )
        else:
            notes.append(
                f"{code}: {why} (so {so}); the run starts at {lo:.4g} {unit}, not at the KPI"
            )

    if (v := get("EN: E: E: 3C")) is not None:
        if float(v) < 0:
            raise ValueError("EN: E: E: 3C must not be negative")
        factor = float(v) / start("Residential thermal energy per capita")
        for name in ("conventional intensity", "efficient intensity"):
            params[name] = _as_float(value_of(name) * factor)
            calibrated.append(name)
    if (v := get("EN: E: E: 2C")) is not None:
        name = "appliance electricity per person"
        wanted = value_of(name) + (float(v) - start("Electricity consumption per capita"))
        params[name] = _as_float(np.maximum(0.0, wanted))
        calibrated.append(name)
        note_clipped(
            "EN: E: E: 2C",
            wanted,
            params[name],
            float(v) - wanted,  # electricity per capita without appliances
            "kWh per capita",
            f"{float(v):g} kWh per capita is less than heat, cars and public transport use",
            f"'{name}' is 0",
        )
    if (v := get("EN: E: E: 1C")) is not None:
        name = "initial grid renewable share"
        target = _check_percent("EN: E: E: 1C", float(v))
        lo = start("Renewable energy share", {name: 0.0})
        hi = start("Renewable energy share", {name: 1.0})
        span = np.asarray(hi - lo, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(span != 0, (target - lo) / np.where(span != 0, span, 1.0), 0.0)
        params[name] = _as_float(np.clip(g, 0.0, 1.0))
        calibrated.append(name)
        note_clipped(
            "EN: E: E: 1C",
            g,
            params[name],
            lo + span * params[name],  # the share is linear in the grid's
            "%",
            f"{target:g} % is beyond what a grid renewable share of 0..1 gives",
            f"'{name}' is clipped to 0..1",
        )
    if (v := get("EN: EN: AQ: 2C")) is not None:
        name = "other emissions per person"
        wanted = value_of(name) + (float(v) - start("GHG emissions per capita"))
        params[name] = _as_float(np.maximum(0.0, wanted))
        calibrated.append(name)
        note_clipped(
            "EN: EN: AQ: 2C",
            wanted,
            params[name],
            float(v) - wanted,  # what the modelled sectors emit
            "t per capita",
            f"{float(v):g} t per capita is less than the modelled sectors emit",
            f"'{name}' is 0",
        )
    return CityParameters(
        params,
        kpis=codes,
        population=population,
        calibrated=calibrated,
        notes=notes,
        unreached=unreached,
    )


#: Rounds of redrawing at most, for the runs whose draws cannot reproduce the city's KPIs.
REDRAW_ROUNDS = 10
#: Candidate draws of one round at most, as a multiple of the ensemble's runs.
REDRAW_BATCH = 4


def _draw(dists: Mapping[str, Distribution], n: int, sampling: str, rng: Any) -> dict[str, Any]:
    table = sample(dists, n, method=sampling, seed=rng)
    return {c: np.array(table[c], dtype=float) for c in table.columns}


def _rows(values: Mapping[str, Any], rows: np.ndarray | None, runs: int) -> dict[str, Any]:
    """``values`` for the runs ``rows`` (per-run arrays indexed, the others as they are)."""
    if rows is None:
        return dict(values)
    return {
        k: v[rows] if isinstance(v, np.ndarray) and v.shape == (runs,) else v
        for k, v in values.items()
    }


def _inconsistent(cal: CityParameters, codes: Sequence[str], n: int) -> np.ndarray:
    """Runs (bool, shape ``(n,)``) that miss at least one of the KPIs ``codes``."""
    bad = np.zeros(n, dtype=bool)
    for code in codes:
        bad |= np.broadcast_to(cal.unreached[code], (n,))
    return bad


def ensemble_parameters(
    params: Mapping[str, Any] | None,
    *,
    runs: int,
    seed: int = 0,
    sampling: str = "lhs",
    distributions: Mapping[str, Distribution] | None = None,
    model: Model | None = None,
) -> CityParameters:
    """Per-run parameters for an ensemble over :data:`UNCERTAINTY` (or ``distributions``)
    that starts every run at the city's KPI values.

    The uncertain parameters the caller did not fix are drawn (``sampling`` design, from
    ``seed``: the same table :meth:`Model.run` would draw); when ``params`` comes from
    :func:`city_parameters`, its calibrated parameters are then solved again for every
    run against that run's draws (vectorised over the runs), so the uncertainty shows in
    the paths after the start, never in the start itself.

    A run whose draws cannot reproduce a KPI (the modelled sectors alone emit more than
    the city's GHG per capita, say) contradicts what the city measured, so the ensemble
    is conditioned on the KPIs (decision 0108): such runs are drawn again, from the same
    seeded generator, until their draws are consistent (at most :data:`REDRAW_ROUNDS`
    rounds, vectorised over the runs; ``redraws`` says how many). Runs that reproduce
    the KPIs as first drawn keep their draws. A KPI the model cannot reproduce even at
    its own parameter values is not conditioned on: its runs are clipped, and ``notes``
    says so, like the runs (if any) that found no consistent draw.

    Returns:
        ``{parameter: value or array of shape (runs,)}`` for :meth:`Model.run`, a
        :class:`CityParameters` whose ``redraws`` and ``notes`` say how it was
        conditioned and what could not be matched. The same seed gives the same values.
    """
    m = model or load_city_model()
    given = dict(params or {})
    calibrated = set(params.calibrated) if isinstance(params, CityParameters) else set()
    fixed = {k: v for k, v in given.items() if k not in calibrated}
    declared = UNCERTAINTY if distributions is None else distributions
    dists = {k: d for k, d in declared.items() if k not in fixed}
    # One generator for the design and every redraw: the first design is the table
    # Model.run would draw from this seed, the redraws continue its stream.
    rng = np.random.default_rng(seed)
    drawn = _draw(dists, runs, sampling, rng)
    if not isinstance(params, CityParameters) or not calibrated:
        return CityParameters({**drawn, **fixed})
    kpis, population = params.kpis, params.population

    def calibrate(draws: Mapping[str, Any], rows: np.ndarray | None = None) -> CityParameters:
        return city_parameters(
            kpis, population=population, model=m, given={**_rows(fixed, rows, runs), **draws}
        )

    # Conditioned on: every calibrated KPI the model reproduces at its own values.
    central = calibrate({})
    sets = {k.code: set(k.parameters) for k in KPI_INPUTS}
    conditioned = [
        code
        for code, missed in central.unreached.items()
        if not missed.any() and sets[code] <= calibrated
    ]
    again = calibrate(drawn)
    bad = _inconsistent(again, conditioned, runs)
    by_kpi = {c: int(again.unreached[c].sum()) for c in conditioned if again.unreached[c].any()}
    first = int(bad.sum())
    total, consistent, rounds = runs, runs - first, 0
    while bad.any() and dists and rounds < REDRAW_ROUNDS:
        rounds += 1
        slots = np.flatnonzero(bad)
        # enough candidates per run to find a consistent one at the rate seen so far
        cap = max(1, REDRAW_BATCH * runs // slots.size)
        rate = consistent / total
        reps = min(cap, math.ceil(3 / rate)) if rate > 0 else cap
        rows = np.repeat(slots, reps)
        candidates = _draw(dists, rows.size, sampling, rng)
        ok = ~_inconsistent(calibrate(candidates, rows), conditioned, rows.size)
        total += rows.size
        consistent += int(ok.sum())
        per_slot = ok.reshape(slots.size, reps)
        found = per_slot.any(axis=1)
        pick = (np.arange(slots.size) * reps + per_slot.argmax(axis=1))[found]
        for name, values in drawn.items():
            values[slots[found]] = candidates[name][pick]
        bad[slots[found]] = False
    if rounds:
        # each run's calibration depends on its own draws only: solving again for the
        # final design gives every run the values found for it in its round
        again = calibrate(drawn)
        bad = _inconsistent(again, conditioned, runs)
    # A KPI whose calibrated parameter the caller fixed is not matched, by the caller's
    # choice: nothing to say about it here.
    mine = [c for c in again.unreached if sets[c] <= calibrated]
    unconditioned = [c for c in mine if central.unreached[c].any()]
    notes = [
        f"{note} (the model misses it at its own parameter values too, so the ensemble is "
        "not conditioned on it)"
        if any(note.startswith(f"{c}:") for c in unconditioned)
        else note
        for note in again.notes
        if any(note.startswith(f"{c}:") for c in mine)
    ]
    redraws = Redraws(
        runs=runs,
        kpis=tuple(conditioned),
        redrawn=first - int(bad.sum()),
        by_kpi=by_kpi,
        drawn=total,
        consistent=consistent,
        rounds=rounds,
        left=int(bad.sum()),
    )
    solved = {k: again[k] for k in params.calibrated if k in again}
    return CityParameters(
        {**drawn, **fixed, **solved},
        kpis=kpis,
        population=population,
        calibrated=params.calibrated,
        notes=notes,
        unreached={c: again.unreached[c] for c in mine},
        redraws=redraws,
    )


@dataclass(frozen=True)
class Assumed:
    """A parameter left at the model's default because its KPI was not given."""

    kpi: KpiInput
    parameter: str
    value: float
    unit: str
    doc: str


def assumed_defaults(params: CityParameters, model: Model | None = None) -> list[Assumed]:
    """The KPI-fed parameters that ``params`` leaves at the model's defaults (their KPI
    was not given), with the default and the model's note on where it comes from."""
    m = model or load_city_model()
    out = []
    for kin in KPI_INPUTS:
        for name in kin.parameters:
            if name in params:
                continue
            out.append(Assumed(kin, name, _constant(m, name), _unit(m, name), m.doc(name)))
    if params.population is None:
        pop = "initial population"
        out.insert(0, Assumed(_POPULATION, pop, _constant(m, pop), _unit(m, pop), m.doc(pop)))
    return out


def _unit(m: Model, name: str) -> str:
    unit = m.var(name).units or ""
    return "" if unit == "dmnl" else unit


_POPULATION = KpiInput("", "Population", "persons", ("initial population",), "as given")


BASELINE = Scenario("baseline")
RETROFIT_AND_PV = Scenario(
    "retrofit x2 + PV support",
    policies=(
        Policy("retrofit rate", start=2025, multiply=2.0),
        Policy("PV support", start=2025, value=1.0),
    ),
)


def ask(
    params: Mapping[str, Any] | None = None,
    *,
    scenarios: Sequence[Scenario] = (BASELINE, RETROFIT_AND_PV),
    runs: int = 10_000,
    seed: int = 0,
    sampling: str = "lhs",
    year: float = 2035,
    outputs: Sequence[str] = ("GHG emissions per capita", "Renewable energy share"),
    model: Model | None = None,
    **run_kwargs: Any,
) -> dict[str, EnsembleResult]:
    """Run scenarios over the model's uncertainty; the default asks "what happens to GHG
    per capita and renewable share by 2035 if we double the retrofit rate and support PV?".

    Every scenario uses the same design and seed, so runs are paired. With ``params``
    from :func:`city_parameters`, every run is calibrated against its own draws and
    starts at the city's KPI values, the ensemble conditioned on them
    (:func:`ensemble_parameters`, decision 0108). The runs stop at
    ``year``; results keep yearly values; the result's ``params`` table holds every
    run's drawn and calibrated values.
    """
    m = model or load_city_model()
    per_run = ensemble_parameters(params, runs=runs, seed=seed, sampling=sampling, model=m)
    return m.compare(
        list(scenarios),
        params=per_run,
        runs=runs,
        seed=seed,
        sampling=sampling,
        outputs=list(outputs),
        stop=year,
        save_step=1.0,
        **run_kwargs,
    )


def summary(
    results: Mapping[str, EnsembleResult], year: float, q: Sequence[float] = (5, 50, 95)
) -> pd.DataFrame:
    """Percentiles at ``year``: rows (scenario, output), columns pN."""
    rows = {}
    for name, res in results.items():
        for col in res.columns:
            values = res.at(year, col)
            rows[(name, col)] = np.percentile(values, list(q))
    index = pd.MultiIndex.from_tuples(list(rows), names=["scenario", "output"])
    return pd.DataFrame(list(rows.values()), index=index, columns=[f"p{x:g}" for x in q])
