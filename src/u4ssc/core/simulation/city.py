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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from u4ssc.core.simulation.model import Model, Policy, Scenario, load_model
from u4ssc.core.simulation.results import EnsembleResult
from u4ssc.core.simulation.sampling import Distribution, Uniform

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
        ("initial electric car share",),
        "value / 100",
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


def _percent(value: Any, keys: Sequence[str]) -> float:
    if isinstance(value, Mapping):
        total = 0.0
        found = False
        for k, v in value.items():
            if any(word in str(k).lower() for word in keys):
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


def city_parameters(
    kpis: Mapping[str, Any],
    *,
    population: float | None = None,
    model: Model | None = None,
) -> dict[str, float]:
    """Parameter overrides that start the city model from a city's actual KPI values.

    Args:
        kpis: U4SSC KPI code -> value, codes as in the KPI catalogue (spacing is ignored:
            ``"EN: EN: AQ: 2C"``). KPIs the model does not use are ignored; see
            :data:`KPI_INPUTS` for what each one sets.
        population: the city's population (persons); the model's default otherwise.
        model: the city model (loaded if not given).

    Returns:
        ``{parameter name: value}`` for :meth:`Model.run`. Calibrated parameters are
        solved in a fixed order (thermal energy, electricity, renewable share, GHG) so
        that the model's values at the start equal the given KPIs.

    Raises:
        ValueError: a value that cannot be (a negative population, a share above 100 %).
    """
    m = model or load_city_model()
    given = {_code(k): v for k, v in kpis.items()}
    params: dict[str, float] = {}
    pop = (
        float(population)
        if population is not None
        else float(
            m.var("initial population").eqns[0].ast.value  # type: ignore[attr-defined]
        )
    )
    if population is not None:
        if pop <= 0:
            raise ValueError("population must be positive")
        params["initial population"] = pop

    def get(code: str) -> Any:
        return given.get(_code(code))

    if (v := get("EC: I: WS: 3C")) is not None:
        params["initial water loss fraction"] = _check_percent("EC: I: WS: 3C", float(v)) / 100
    if (v := get("EN: EN: WS: 2C")) is not None:
        if float(v) < 0:
            raise ValueError("EN: EN: WS: 2C must not be negative")
        params["water use per person"] = float(v) * 0.365
    if (v := get("EC: I: T: 8A")) is not None:
        params["initial electric car share"] = _check_percent("EC: I: T: 8A", float(v)) / 100
    if (v := get("EC: I: T: 3C")) is not None:
        params["initial cycle network"] = max(float(v), 0.0) * pop / 100_000
    if (v := get("EC: I: T: 4A")) is not None:
        pt = _percent(v, ("public", "bus", "transit", "rail", "tram"))
        params["base public transport share"] = _check_percent("EC: I: T: 4A", pt) / 100
        if isinstance(v, Mapping):
            cyc = _percent(v, ("cycl", "bike", "bicycle", "walk"))
            params["base cycling share"] = _check_percent("EC: I: T: 4A", cyc) / 100
    if (v := get("EN: EN: WA: 1C")) is not None:
        rec = _percent(v, ("recycl", "compost"))
        params["initial recycling rate"] = _check_percent("EN: EN: WA: 1C", rec) / 100

    def start(extra: Mapping[str, float]) -> pd.Series:
        df = m.run({**params, **extra}, stop=m.time[0])
        assert isinstance(df, pd.DataFrame)
        return df.iloc[0]

    if (v := get("EN: E: E: 3C")) is not None:
        now = start({})["Residential thermal energy per capita"]
        factor = float(v) / now
        for name in ("conventional intensity", "efficient intensity"):
            base = float(m.var(name).eqns[0].ast.value)  # type: ignore[attr-defined]
            params[name] = float(base * factor)
    if (v := get("EN: E: E: 2C")) is not None:
        row = start({})
        gap = float(v) - row["Electricity consumption per capita"]
        base = float(m.var("appliance electricity per person").eqns[0].ast.value)  # type: ignore[attr-defined]
        params["appliance electricity per person"] = float(max(0.0, base + gap))
    if (v := get("EN: E: E: 1C")) is not None:
        target = _check_percent("EN: E: E: 1C", float(v))
        lo = start({"initial grid renewable share": 0.0})["Renewable energy share"]
        hi = start({"initial grid renewable share": 1.0})["Renewable energy share"]
        g = (target - lo) / (hi - lo) if hi != lo else 0.0
        params["initial grid renewable share"] = float(np.clip(g, 0.0, 1.0))
    if (v := get("EN: EN: AQ: 2C")) is not None:
        row = start({})
        base = float(m.var("other emissions per person").eqns[0].ast.value)  # type: ignore[attr-defined]
        gap = float(v) - float(row["GHG emissions per capita"])
        params["other emissions per person"] = float(max(0.0, base + gap))
    return params


BASELINE = Scenario("baseline")
RETROFIT_AND_PV = Scenario(
    "retrofit x2 + PV support",
    policies=(
        Policy("retrofit rate", start=2025, multiply=2.0),
        Policy("PV support", start=2025, value=1.0),
    ),
)


def ask(
    params: Mapping[str, float] | None = None,
    *,
    scenarios: Sequence[Scenario] = (BASELINE, RETROFIT_AND_PV),
    runs: int = 10_000,
    seed: int = 0,
    year: float = 2035,
    outputs: Sequence[str] = ("GHG emissions per capita", "Renewable energy share"),
    model: Model | None = None,
    **run_kwargs: Any,
) -> dict[str, EnsembleResult]:
    """Run scenarios over the model's uncertainty; the default asks "what happens to GHG
    per capita and renewable share by 2035 if we double the retrofit rate and support PV?".

    Every scenario uses the same Latin-hypercube design and seed, so runs are paired.
    The runs stop at ``year``; results keep yearly values.
    """
    m = model or load_city_model()
    dists = {k: d for k, d in UNCERTAINTY.items() if not params or k not in params}
    return m.compare(
        list(scenarios),
        params=dict(params or {}),
        runs=runs,
        distributions=dists,
        seed=seed,
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
