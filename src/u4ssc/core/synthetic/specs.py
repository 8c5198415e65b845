"""How each KPI (or data point) is generated: typical levels, spread, trend and components.

One :class:`Spec` per measurand of the catalogue. A value is built in a *transformed space*
where trends are straight lines and bounds come for free:

- ``pct``: logit of the share (0..100 %): saturates near 0 and 100, never crosses them;
- ``amount``: natural log (positive quantities: per capita, per 100 000, minutes ...);
- ``count``: natural log of a count (``per_capita``: the level is per 100 000 people);
- ``linear``: the value itself (life expectancy, Gini, the gender earnings ratio).

Special kinds: ``share_of`` (a share of another measurand, e.g. potable <= basic water),
``bool`` (yes/no, adopted once and kept), ``rare`` (Poisson events per 100 000 of a base:
deaths), ``loss`` (disaster losses: most years nothing), ``held`` (voter turnout: changes
only in election years), and the multi-part shares in :data:`PARTS` that add up to 100 %.

Levels are "typical value of a city at development level 0 / 1 in the reference year"
(:data:`REFERENCE_YEAR`); a city's own level adds its traits (``factor``), its size, its
heating need and a country shift. ``trend`` is the *improvement* per year in transformed
units (the sign follows the catalogue's direction). The numbers are judgement calls chosen to
look like European and world city statistics; they are demo material, not data.

Denominators are named *bases* (:data:`BASES`): a per-capita amount times the population,
drawn once per city, so every KPI over "total households" in one city and year uses the same
number of households.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

REFERENCE_YEAR = 2022

# City traits the generator draws (standard normal each) and specs follow.
FACTORS = ("digital", "economy", "green", "transit", "health", "safety", "air", "water")

_COVID = MappingProxyType({2020: 1.0, 2021: 0.55, 2022: 0.15})


def covid(shift: float) -> Mapping[int, float]:
    """A shock of ``shift`` (transformed units) in 2020, easing off in 2021-2022."""
    return MappingProxyType({year: shift * w for year, w in _COVID.items()})


@dataclass(frozen=True)
class Spec:
    """How one measurand is generated (see the module docstring for the kinds)."""

    kpi: str
    point: str = ""
    kind: str = "pct"
    at0: float = 0.0
    at1: float = 0.0
    spread: float = 0.3
    factor: str = ""
    loading: float = 0.5
    size: float = 0.0
    heat: float = 0.0
    trend: float = 0.0
    noise: float = 0.03
    lo: float | None = None
    hi: float | None = None
    base: str = ""
    num_decimals: int = 0
    decimals: int = 1
    per_capita: bool = False
    min_count: int = 0
    country: Mapping[str, float] = field(default_factory=dict)
    shocks: Mapping[int, float] = field(default_factory=dict)
    parent: str = ""
    adoption: bool = False
    zero_above: float | None = None  # development level above which the value is 0
    target: float | None = None  # illustrative national target (value units)

    @property
    def ref(self) -> tuple[str, str]:
        return (self.kpi, self.point)


@dataclass(frozen=True)
class Base:
    """A denominator: ``at0``..``at1`` per person (geometric in development), a city
    multiplier with log-sd ``spread``, rounded to ``decimals`` (0 = whole number)."""

    at0: float
    at1: float
    spread: float = 0.1
    decimals: int = 0
    growth: float = 0.0  # extra growth per year beyond population (income, GDP)


# Denominators proportional to population. Names match the catalogue's denominators.
BASES: dict[str, Base] = {
    "water_meters": Base(0.12, 0.22, 0.15),
    "water_network_km": Base(0.002, 0.006, 0.25, 1),
    "drainage_km": Base(0.001, 0.004, 0.25, 1),
    "electricity_meters": Base(0.2, 0.6, 0.1),
    "electricity_network_km": Base(0.004, 0.012, 0.25, 1),
    "pt_stops": Base(0.0015, 0.004, 0.2),
    "major_streets_km": Base(0.0005, 0.0015, 0.2, 1),
    "signal_intersections": Base(0.0003, 0.0012, 0.25),
    "procurements": Base(0.002, 0.01, 0.3),
    "gdp_eur": Base(2_500.0, 75_000.0, 0.15, 0, 0.015),
    "enterprises": Base(0.03, 0.09, 0.2),
    "labour_force": Base(0.42, 0.52, 0.04),
    "youth_labour_force": Base(0.07, 0.055, 0.08),
    "employed": Base(0.38, 0.5, 0.04),
    "water_supplied_m3": Base(60.0, 110.0, 0.15),
    "vehicles": Base(0.08, 0.5, 0.12),
    "public_floor_m2": Base(0.6, 2.6, 0.2),
    "public_buildings": Base(0.0006, 0.002, 0.2),
    "solid_waste_t": Base(0.2, 0.45, 0.12),
    "antenna_sites": Base(0.0006, 0.0015, 0.15),
    "energy_mwh": Base(4.0, 30.0, 0.15),
    "students": Base(0.22, 0.15, 0.06),
    "school_aged": Base(0.24, 0.16, 0.05),
    "adults": Base(0.65, 0.84, 0.02),
    "live_births": Base(0.028, 0.0105, 0.08),
    "city_expenditure_eur": Base(200.0, 9_000.0, 0.2, 0, 0.02),
    "household_income_eur": Base(1_500.0, 25_000.0, 0.12, 0, 0.025),
    "children_0_3": Base(0.09, 0.045, 0.08),
    "emergency_responses": Base(0.01, 0.04, 0.2),
    "food_t": Base(0.5, 0.75, 0.1),
    "commuters": Base(0.35, 0.45, 0.05),
}

# Bases the generator computes from other quantities (see generator._base_series).
DERIVED_BASES = (
    "population",
    "households",
    "customers",
    "interruptions",
    "water_consumed_m3",
    "wastewater_m3",
    "data_sets",
    "free_flow_minutes",
    "male_hourly_eur",
    "voters",
    "city_area_km2",
)

NORDIC = ("NO", "SE", "DK", "FI", "IS")
GULF = ("AE", "SA", "OM", "QA")

# fmt: off
SPECS: tuple[Spec, ...] = (
    # --- ICT
    Spec("EC: ICT: ICT: 1C", at0=45, at1=96, spread=0.35, factor="digital", trend=0.12,
         lo=5, hi=99.8, base="households", target=98),
    Spec("EC: ICT: ICT: 2C", kind="share_of", parent="EC: ICT: ICT: 1C", at0=55, at1=88,
         spread=0.3, factor="digital", trend=0.05, lo=20, hi=98, base="households",
         target=90),
    Spec("EC: ICT: ICT: 3C", kind="amount", at0=25_000, at1=110_000, spread=0.15,
         factor="digital", trend=0.03, lo=1_100, hi=180_000, base="population",
         target=120_000),
    Spec("EC: ICT: ICT: 4C", "3g", at0=70, at1=99.5, spread=0.4, factor="digital",
         trend=0.15, lo=30, hi=99.95, base="population", target=99),
    Spec("EC: ICT: ICT: 4C", "4g", at0=40, at1=99, spread=0.4, factor="digital", trend=0.3,
         lo=10, hi=99.95, base="population", target=99),
    Spec("EC: ICT: ICT: 5C", kind="count", per_capita=True, at0=8, at1=60, spread=0.5,
         factor="digital", trend=0.06, min_count=3),
    Spec("EC: ICT: WS: 1C", at0=3, at1=45, spread=0.8, factor="digital", trend=0.25,
         lo=0.5, hi=99, base="water_meters", target=80),
    Spec("EC: ICT: WS: 2A", at0=5, at1=45, spread=0.8, factor="digital", trend=0.15,
         lo=0.5, hi=98, base="water_network_km", num_decimals=1, target=60),
    Spec("EC: ICT: D: 1A", at0=2, at1=25, spread=0.9, factor="digital", trend=0.15,
         lo=0.3, hi=95, base="drainage_km", num_decimals=1, target=40),
    Spec("EC: ICT: ES: 1C", at0=5, at1=92, spread=0.6, factor="digital", trend=0.3,
         lo=1, hi=99.9, base="electricity_meters", country={"NO": 3.0, "SE": 2.0, "FI": 2.0},
         target=100),
    Spec("EC: ICT: ES: 2A", at0=10, at1=65, spread=0.6, factor="digital", trend=0.15,
         lo=1, hi=99, base="electricity_network_km", num_decimals=1, target=80),
    Spec("EC: ICT: ES: 3A", at0=1, at1=15, spread=0.9, factor="digital", trend=0.25,
         lo=0.2, hi=80, base="customers", target=30),
    Spec("EC: ICT: T: 1C", at0=5, at1=55, spread=0.7, factor="transit", trend=0.2,
         lo=1, hi=99, base="pt_stops", target=80),
    Spec("EC: ICT: T: 2C", at0=5, at1=40, spread=0.7, factor="digital", trend=0.15,
         lo=1, hi=95, base="major_streets_km", num_decimals=1, target=60),
    Spec("EC: ICT: T: 3A", at0=3, at1=30, spread=0.7, factor="digital", trend=0.15,
         lo=0.5, hi=90, base="signal_intersections", target=50),
    Spec("EC: ICT: PS: 1A", "number", kind="count", at0=10, at1=250, spread=0.6,
         factor="digital", size=0.35, trend=0.12, min_count=3),
    Spec("EC: ICT: PS: 1A", "percent", at0=3, at1=35, spread=0.8, factor="digital",
         trend=0.25, lo=1, hi=99.5, base="data_sets", target=60),
    Spec("EC: ICT: PS: 2A", kind="count", at0=15, at1=220, spread=0.35, factor="digital",
         size=0.15, trend=0.05, min_count=3),
    Spec("EC: ICT: PS: 3A", at0=10, at1=75, spread=0.6, factor="digital", trend=0.15,
         lo=2, hi=99, base="procurements", target=90),
    # --- Productivity
    Spec("EC: P: IN: 1C", kind="amount", at0=0.25, at1=2.4, spread=0.4, factor="economy",
         trend=0.02, lo=0.05, hi=8, base="gdp_eur", target=3),
    Spec("EC: P: IN: 2C", kind="amount", at0=1, at1=45, spread=0.7, factor="economy",
         size=0.15, trend=0.02, lo=0.2, hi=600, base="population", min_count=3, target=60),
    Spec("EC: P: IN: 3A", at0=98.6, at1=99.4, spread=0.3, noise=0.02, lo=96, hi=99.95,
         base="enterprises"),
    Spec("EC: P: EM: 1C", at0=14, at1=4, spread=0.3, factor="economy", trend=0.03,
         lo=1, hi=35, base="labour_force", shocks=covid(0.3), target=3),
    Spec("EC: P: EM: 2C", at0=28, at1=10, spread=0.3, factor="economy", trend=0.03,
         lo=2, hi=60, base="youth_labour_force", shocks=covid(0.3), target=8),
    Spec("EC: P: EM: 3A", at0=5, at1=6, spread=0.4, trend=0.02, lo=1, hi=30,
         base="employed", shocks=covid(-0.35), target=8),
    Spec("EC: P: EM: 4A", at0=1.5, at1=5, spread=0.35, factor="digital", trend=0.03,
         lo=0.3, hi=15, base="employed", target=6),
    # --- Infrastructure: water, waste, electricity
    Spec("EC: I: WS: 1C", at0=80, at1=99.95, spread=0.5, factor="water", trend=0.15,
         lo=70, hi=100, base="households", target=100),
    Spec("EC: I: WS: 2C", kind="share_of", parent="EC: I: WS: 1C", at0=80, at1=99.5,
         spread=0.5, factor="water", trend=0.1, lo=60, hi=100, base="households",
         target=100),
    Spec("EC: I: WS: 3C", at0=40, at1=20, spread=0.35, factor="water", trend=0.02,
         lo=5, hi=60, base="water_supplied_m3", target=15),
    Spec("EC: I: WS: 4C", at0=40, at1=95, spread=0.5, factor="water", trend=0.08,
         lo=15, hi=100, base="households", target=98),
    Spec("EC: I: WS: 5C", at0=92, at1=99.9, spread=0.4, factor="water", trend=0.1,
         lo=90.5, hi=100, base="households", target=100),
    Spec("EC: I: WA: 1C", at0=65, at1=99.9, spread=0.5, trend=0.1, lo=50, hi=100,
         base="households", target=100),
    Spec("EC: I: ES: 1C", kind="amount", at0=8, at1=0.8, spread=0.35, trend=0.02,
         lo=0.1, hi=30, base="customers", target=1),
    Spec("EC: I: ES: 2C", kind="amount", at0=300, at1=70, spread=0.3, trend=0.02,
         lo=20, hi=1_000, base="interruptions", target=60),
    Spec("EC: I: ES: 3C", at0=93, at1=99.99, spread=0.5, trend=0.15, lo=90.5, hi=100,
         base="households", target=100),
    # --- Infrastructure: transport
    Spec("EC: I: T: 1C", kind="amount", at0=20, at1=120, spread=0.35, factor="transit",
         size=0.1, trend=0.01, lo=3, hi=600, base="population", num_decimals=1, target=150),
    Spec("EC: I: T: 2A", at0=50, at1=90, spread=0.5, factor="transit", trend=0.05,
         lo=20, hi=99.9, base="population", target=95),
    Spec("EC: I: T: 3C", kind="amount", at0=2, at1=70, spread=0.5, factor="green",
         trend=0.04, lo=0.5, hi=400, base="population", num_decimals=1, target=100),
    Spec("EC: I: T: 5A", kind="amount", at0=1.55, at1=1.25, spread=0.06, noise=0.01,
         size=0.04, trend=0.004, lo=1.03, hi=2.9, base="free_flow_minutes", num_decimals=1,
         shocks=covid(-0.08), target=1.15),
    Spec("EC: I: T: 6A", kind="amount", at0=10, at1=150, spread=0.5, factor="green",
         trend=0.08, lo=2, hi=1_500, base="population", min_count=3, adoption=True,
         target=200),
    Spec("EC: I: T: 7A", kind="amount", at0=3, at1=50, spread=0.6, factor="green",
         trend=0.08, lo=0.5, hi=600, base="population", min_count=3, adoption=True,
         target=60),
    Spec("EC: I: T: 8A", at0=0.3, at1=6, spread=0.4, factor="green", trend=0.2, lo=0.05,
         hi=90, base="vehicles", country={"NO": 1.4, "IS": 0.8, "SE": 0.5, "DK": 0.4},
         target=50),
    Spec("EC: I: B: 1A", at0=1, at1=12, spread=0.9, factor="green", trend=0.15, lo=0.2,
         hi=90, base="public_floor_m2", target=30),
    Spec("EC: I: B: 2A", at0=3, at1=35, spread=0.8, factor="digital", trend=0.15, lo=0.5,
         hi=95, base="public_buildings", target=50),
    Spec("EC: I: UP: 1A", at0=0.2, at1=2.5, spread=0.6, factor="green", trend=0.05,
         lo=0.05, hi=20, base="city_area_km2", num_decimals=2, target=5),
    Spec("EC: I: UP: 2A", "compact", kind="bool", at0=0.2, at1=0.6, target=1),
    Spec("EC: I: UP: 2A", "connected", kind="bool", at0=0.3, at1=0.8, target=1),
    Spec("EC: I: UP: 2A", "integrated", kind="bool", at0=0.3, at1=0.7, target=1),
    Spec("EC: I: UP: 2A", "inclusive", kind="bool", at0=0.2, at1=0.7, target=1),
    Spec("EC: I: UP: 2A", "resilient", kind="bool", at0=0.2, at1=0.8, target=1),
    # --- Environment: air, water, waste, noise, nature
    Spec("EN: EN: AQ: 1C", "pm2_5", kind="amount", at0=35, at1=7, spread=0.25,
         factor="air", loading=0.8, size=0.06, trend=0.03, lo=3, hi=120, decimals=1,
         target=5),
    Spec("EN: EN: AQ: 1C", "pm10", kind="amount", at0=60, at1=14, spread=0.25,
         factor="air", loading=0.8, size=0.06, trend=0.03, lo=5, hi=200, decimals=1,
         target=15),
    Spec("EN: EN: AQ: 1C", "no2", kind="amount", at0=35, at1=18, spread=0.3, factor="air",
         loading=0.6, size=0.15, trend=0.03, lo=4, hi=90, decimals=1, target=10),
    Spec("EN: EN: AQ: 1C", "so2", kind="amount", at0=15, at1=2, spread=0.4, factor="air",
         loading=0.5, trend=0.04, lo=0.3, hi=80, decimals=1, target=1),
    Spec("EN: EN: AQ: 1C", "o3", kind="amount", at0=45, at1=50, spread=0.12, trend=0.0,
         noise=0.03, lo=20, hi=100, decimals=1, target=40),
    Spec("EN: EN: AQ: 2C", kind="amount", at0=1.5, at1=4.5, spread=0.3, factor="green",
         trend=0.03, lo=0.3, hi=40, base="population", shocks=covid(-0.07),
         country={"NO": -0.4, "SE": -0.45, "IS": -0.2, "CH": -0.2, **dict.fromkeys(GULF, 1.3)},
         target=1.5),
    Spec("EN: EN: WS: 1C", at0=30, at1=95, spread=0.6, factor="water", trend=0.1, lo=5,
         hi=100, base="households", target=100),
    Spec("EN: EN: WS: 2C", kind="amount", at0=110, at1=170, spread=0.2, factor="water",
         trend=0.01, lo=40, hi=600, base="population", country={"NO": 0.3, **dict.fromkeys(
             GULF, 0.5)}, target=150),
    Spec("EN: EN: WS: 3C", at0=97, at1=93, spread=0.6, factor="water", trend=0.02, lo=15,
         hi=99.9, base="water_consumed_m3", country=dict.fromkeys(GULF, -3.2), target=85),
    Spec("EN: EN: WS: 4C", "primary", at0=40, at1=99, spread=0.5, factor="water",
         trend=0.1, lo=10, hi=100, base="wastewater_m3", target=100),
    Spec("EN: EN: WS: 4C", "secondary", kind="share_of", parent="EN: EN: WS: 4C|primary",
         at0=50, at1=97, spread=0.5, factor="water", trend=0.1, lo=20, hi=100,
         base="wastewater_m3", target=100),
    Spec("EN: EN: WS: 4C", "tertiary", kind="share_of", parent="EN: EN: WS: 4C|secondary",
         at0=10, at1=60, spread=0.7, factor="water", trend=0.08, lo=2, hi=100,
         base="wastewater_m3", target=80),
    Spec("EN: EN: EQ: 1C", at0=85, at1=99.9, spread=0.5, trend=0.2, lo=60, hi=100,
         base="antenna_sites", target=100),
    Spec("EN: EN: EQ: 2A", at0=35, at1=15, spread=0.35, size=0.2, trend=0.02, lo=2, hi=70,
         base="population", target=10),
    Spec("EN: EN: PSN: 1C", kind="amount", at0=150, at1=600, spread=0.6, factor="green",
         size=-0.15, trend=0.005, lo=20, hi=20_000, base="population", num_decimals=1,
         target=800),
    Spec("EN: EN: PSN: 2A", at0=50, at1=90, spread=0.5, factor="green", trend=0.05,
         lo=15, hi=99.9, base="population", target=100),
    Spec("EN: EN: PSN: 3A", at0=2, at1=12, spread=0.8, factor="green", trend=0.02,
         lo=0.2, hi=60, base="city_area_km2", num_decimals=2, target=30),
    Spec("EN: EN: PSN: 4A", kind="amount", at0=10, at1=60, spread=0.5, factor="health",
         trend=0.01, lo=2, hi=500, base="population", num_decimals=1, target=80),
    # --- Energy
    Spec("EN: E: E: 1C", at0=8, at1=25, spread=0.4, factor="green", trend=0.06, lo=1,
         hi=99.5, base="energy_mwh",
         country={"NO": 2.4, "IS": 3.0, "SE": 1.3, "AT": 0.9, "CH": 0.6, "DK": 0.7,
                  "FI": 0.8, "BR": 1.3, "UY": 1.4, "CO": 1.1, "EC": 1.0, "KE": 1.5,
                  "UG": 1.5, "PL": -0.8, **dict.fromkeys(GULF, -2.0)}, target=90),
    Spec("EN: E: E: 2C", kind="amount", at0=800, at1=6_500, spread=0.2, trend=0.01,
         lo=100, hi=40_000, base="population",
         country={"NO": 0.9, "IS": 1.0, "SE": 0.4, "FI": 0.4, **dict.fromkeys(GULF, 0.6)},
         target=12_000),
    Spec("EN: E: E: 3C", kind="amount", at0=0.8, at1=6, spread=0.3, heat=1.2, trend=0.015,
         lo=0.05, hi=80, base="population", country={"NO": -1.2, "IS": -0.5}, target=4),
    Spec("EN: E: E: 4A", kind="amount", at0=220, at1=150, spread=0.2, heat=0.35,
         trend=0.015, lo=50, hi=600, base="public_floor_m2", target=120),
    # --- Education, health, culture
    Spec("SC: EH: ED: 1C", at0=20, at1=98, spread=0.6, factor="digital", trend=0.2,
         lo=3, hi=100, base="students", target=100),
    Spec("SC: EH: ED: 2C", at0=80, at1=98.5, spread=0.5, trend=0.05, lo=55, hi=99.9,
         base="school_aged", target=100),
    Spec("SC: EH: ED: 3C", kind="amount", at0=5_000, at1=28_000, spread=0.25,
         factor="economy", size=0.1, trend=0.015, lo=1_000, hi=60_000, base="population",
         target=35_000),
    Spec("SC: EH: ED: 4C", at0=80, at1=99.5, spread=0.5, trend=0.05, lo=55, hi=99.95,
         base="adults", target=100),
    Spec("SC: EH: ED: 5A", at0=5, at1=80, spread=0.7, factor="digital", trend=0.2, lo=1,
         hi=100, base="population", country=dict.fromkeys(NORDIC, 1.5), target=100),
    Spec("SC: EH: H: 1C", kind="linear", at0=64, at1=82.5, spread=1.2, factor="health",
         trend=0.15, noise=0.15, lo=52, hi=86, decimals=1, shocks=covid(-0.5),
         target=84),
    Spec("SC: EH: H: 2C", kind="rare", at0=300, at1=3, base="live_births", target=5),
    Spec("SC: EH: H: 3C", kind="amount", at0=40, at1=420, spread=0.25, factor="health",
         size=0.1, trend=0.01, lo=5, hi=1_200, base="population", min_count=3, target=500),
    Spec("SC: EH: H: 4A", kind="amount", at0=120, at1=380, spread=0.35, factor="health",
         size=0.2, lo=20, hi=2_000, base="population", min_count=3, target=400),
    Spec("SC: EH: H: 5A", at0=40, at1=99.99, spread=0.6, factor="health", trend=0.1,
         lo=20, hi=100, base="population", target=100),
    Spec("SC: EH: C: 1C", kind="amount", at0=0.4, at1=2.8, spread=0.4, trend=0.02,
         lo=0.05, hi=10, base="city_expenditure_eur", target=3),
    Spec("SC: EH: C: 2A", kind="amount", at0=3, at1=22, spread=0.4, size=-0.1,
         trend=0.01, lo=0.5, hi=200, base="population", min_count=3, target=25),
    # --- Housing, social inclusion, safety, food
    Spec("SC: SH: HO: 1C", at0=30, at1=0.5, spread=0.4, trend=0.04, lo=0.1, hi=70,
         base="population", zero_above=0.85, target=0),
    Spec("SC: SH: HO: 2A", at0=35, at1=26, spread=0.2, trend=0.005, lo=10, hi=60,
         base="household_income_eur", target=25),
    Spec("SC: SH: SI: 1C", kind="linear", at0=0.72, at1=0.9, spread=0.04, trend=0.004,
         noise=0.005, lo=0.55, hi=1.0, base="male_hourly_eur", num_decimals=2, target=1.0),
    Spec("SC: SH: SI: 2C", kind="linear", at0=0.45, at1=0.27, spread=0.025, trend=0.001,
         noise=0.003, lo=0.2, hi=0.65, decimals=3, target=0.25),
    Spec("SC: SH: SI: 3C", at0=35, at1=10, spread=0.3, factor="economy", trend=0.01, lo=2,
         hi=70, base="population", shocks=covid(0.08), target=8),
    Spec("SC: SH: SI: 4C", kind="held", at0=45, at1=62, spread=0.25, lo=20, hi=90,
         base="voters", target=70),
    Spec("SC: SH: SI: 5A", at0=10, at1=50, spread=0.4, trend=0.04, lo=2, hi=95,
         base="children_0_3", target=60),
    Spec("SC: SH: SA: 1C", kind="rare", at0=1.0, at1=0.05, base="population", target=0),
    Spec("SC: SH: SA: 2C", kind="loss", at0=0.25, at1=0.05, base="gdp_eur", target=0),
    Spec("SC: SH: SA: 3A", kind="bool", at0=0.3, at1=0.85, target=1),
    Spec("SC: SH: SA: 4A", at0=15, at1=5, spread=0.7, trend=0.01, lo=0.5, hi=60,
         base="population", target=3),
    Spec("SC: SH: SA: 5A", kind="amount", at0=25, at1=9, spread=0.25, factor="safety",
         trend=0.01, lo=4, hi=60, base="emergency_responses", target=8),
    Spec("SC: SH: SA: 6C", kind="amount", at0=200, at1=190, spread=0.25, factor="safety",
         trend=0.005, lo=50, hi=600, base="population", num_decimals=1, target=200),
    Spec("SC: SH: SA: 7C", kind="amount", at0=30, at1=60, spread=0.3, factor="safety",
         trend=0.005, lo=8, hi=200, base="population", num_decimals=1, target=70),
    Spec("SC: SH: SA: 8C", kind="amount", at0=600, at1=300, spread=0.35, factor="safety",
         size=0.2, trend=0.02, lo=30, hi=3_000, base="population", min_count=3, target=200),
    Spec("SC: SH: SA: 9C", kind="rare", at0=18, at1=1.8, base="population", target=1),
    Spec("SC: SH: FS: 1A", at0=40, at1=20, spread=0.5, trend=0.02, lo=3, hi=80,
         base="food_t", target=30),
)
# fmt: on


@dataclass(frozen=True)
class Part:
    """One share of a multi-part KPI: typical share (%) at development 0 / 1, and the change
    of its log-weight per year (positive: the share grows)."""

    point: str
    at0: float
    at1: float
    trend: float = 0.0
    shocks: Mapping[int, float] = field(default_factory=dict)
    target: float | None = None
    factor: str = ""  # a city trait that raises (loading > 0) or lowers the share
    loading: float = 0.0


@dataclass(frozen=True)
class Parts:
    """A KPI whose data points divide one whole (commuters, tonnes of waste): the numerators
    are whole numbers adding up to the denominator, so the shares add up to 100 %.
    Parts typical at 0 % above ``absent_above`` development are reported as 0, or as not
    applicable when ``absent_status`` says so."""

    kpi: str
    base: str
    parts: tuple[Part, ...]
    spread: float = 0.25
    absent_above: float = 0.8
    absent_status: str = "reported"  # or "not_applicable"


PARTS: tuple[Parts, ...] = (
    Parts(
        "EC: I: T: 4A",
        base="commuters",
        parts=(
            Part("private_vehicles", 35, 55, -0.03, covid(0.12), 35, "transit", -0.3),
            Part("public_transport", 28, 24, 0.02, covid(-0.4), 35, "transit", 0.35),
            Part("walking", 22, 13, 0.0, target=15),
            Part("cycling", 2, 8, 0.06, target=15, factor="green", loading=0.4),
            Part("para_transport", 13, 0.0),
        ),
        absent_status="not_applicable",
    ),
    Parts(
        "EN: EN: WA: 1C",
        base="solid_waste_t",
        parts=(
            Part("landfill", 40, 6, -0.06, target=5, factor="green", loading=-0.3),
            Part("burnt", 8, 0.0, -0.08),
            Part("incinerated", 3, 45, 0.0, target=30),
            Part("open_dump", 32, 0.0, -0.1),
            Part("recycled", 10, 42, 0.05, target=65, factor="green", loading=0.3),
            Part("other", 7, 7, 0.0),
        ),
    ),
)


def spec_index() -> dict[tuple[str, str], Spec]:
    return {s.ref: s for s in SPECS}
