"""Generate plausible KPI values for cities and years, reproducibly from an injected ``rng``.

>>> import numpy as np
>>> from u4ssc.core.catalogue import load_catalogue
>>> from u4ssc.core.synthetic import generate, make_profile
>>> city = make_profile(key="alesund", name="Ålesund", country_code="NO",
...                     population=52_626, latitude=62.47)
>>> rows = generate(load_catalogue(), [city], [2023, 2024], np.random.default_rng(2026))
>>> sorted({r.year for r in rows})
[2023, 2024]

What makes the values look like a city's (decision 0602):

- **character**: each city draws traits (digital, economy, green, transit ...) that move the
  KPIs following them together, on top of its development level, size, heating need and
  country (:mod:`.specs`);
- **time**: a straight trend in a transformed space (logit for shares, log for amounts) that
  mostly improves in the KPI's direction, a COVID-19 shock in 2020-2021 where it belongs,
  and small year-to-year noise (AR(1)) well below the catalogue's year-on-year thresholds;
- **components**: ratio KPIs carry a numerator and a denominator, and the value is exactly
  ``numerator / denominator x multiplier``. Denominators are shared quantities of the city
  and year (households, population, customers ...); counts are whole numbers;
- **consistency**: parts of a whole (mode shares, waste treatment) add up to 100 %; potable
  water <= basic water; fixed broadband <= Internet access; the outage time is averaged over
  the outages counted by the outage frequency; freshwater and wastewater are shares of the
  water the city consumes; open data number and share count the same data sets;
- **coverage**: not every city reports every KPI: core KPIs more often than advanced ones,
  developed cities more often, and some KPIs start being reported in a later year;
- **anchors**: real values (``anchors``) pin a city's series, which passes through them, so
  generated neighbouring years stay consistent with real ones;
- **events**: a few deliberate jumps (``events``) that the year-on-year check should flag.

Nothing here reads files or a clock: same catalogue, cities, years, anchors, events and
seed give identical rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from u4ssc.core.catalogue import Catalogue, Measurand
from u4ssc.core.synthetic.profiles import CityProfile
from u4ssc.core.synthetic.specs import (
    BASES,
    FACTORS,
    PARTS,
    REFERENCE_YEAR,
    SPECS,
    Parts,
    Spec,
    spec_index,
)

DEFAULT_SOURCE = "Synthetic demo value (generated)"
REPORTED, NOT_AVAILABLE, NOT_APPLICABLE = "reported", "not_available", "not_applicable"

# Countries whose municipal elections fall in years with this remainder modulo 4
# (Norway: 2019, 2023). Other countries draw theirs.
ELECTION_YEAR_MOD = {"NO": 3}

Ref = tuple[str, str]  # (kpi key, data point key)
AnchorKey = tuple[str, int, str, str]  # (city key, year, kpi key, data point)


@dataclass(frozen=True)
class SyntheticRow:
    """One generated value of one city, year and measurand.

    ``status`` is ``reported``, ``not_available`` or ``not_applicable``. For a reported
    ratio KPI ``numerator`` and ``denominator`` are set and ``value`` equals
    ``numerator / denominator x multiplier`` (in the measurand's unit); for value and yes/no
    KPIs only ``value`` is set. ``quality`` is the U4SSC data-quality grade 1..6.
    """

    city: str
    year: int
    kpi_key: str
    data_point: str
    status: str
    numerator: float | None
    denominator: float | None
    value: float | None
    unit: str
    quality: int | None
    source: str
    notes: str = ""

    @property
    def is_synthetic(self) -> bool:
        return True


@dataclass(frozen=True)
class Event:
    """A deliberate change: from ``year`` on, the city's value of the measurand is
    multiplied by ``factor`` (a new bike-share scheme, a change of method). ``note`` is
    written on the row of ``year``."""

    city: str
    year: int
    kpi_key: str
    data_point: str
    factor: float
    note: str


# ----------------------------------------------------------------- transforms


def _logit(pct: float) -> float:
    p = min(max(pct, 1e-4), 100 - 1e-4) / 100
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 100.0 / (1.0 + math.exp(-x))


def _forward(kind: str, value: float) -> float:
    if kind == "pct":
        return _logit(value)
    if kind in ("amount", "count"):
        return math.log(max(value, 1e-9))
    return value


def _inverse(kind: str, x: float) -> float:
    if kind == "pct":
        return _expit(x)
    if kind in ("amount", "count"):
        return math.exp(x)
    return x


def _level(kind: str, at0: float, at1: float, d: float) -> float:
    """Typical transformed level at development ``d`` (interpolated in transformed space)."""
    return _forward(kind, at0) * (1 - d) + _forward(kind, at1) * d


def _clip(value: float, lo: float | None, hi: float | None) -> float:
    if lo is not None:
        value = max(lo, value)
    if hi is not None:
        value = min(hi, value)
    return value


def _round(x: float, decimals: int) -> float:
    return float(round(x)) if decimals == 0 else round(x, decimals)


def _improving(m: Measurand) -> float:
    """+1 when higher is better (or towards a range from below), -1 when lower is."""
    return -1.0 if m.direction.kind == "lower" else 1.0


# ----------------------------------------------------------------- per city


class _City:
    """Everything drawn once for one city, in a fixed order from its own generator."""

    def __init__(
        self,
        profile: CityProfile,
        years: Sequence[int],
        catalogue: Catalogue,
        rng: np.random.Generator,
        election_mod: int,
        adoption_refs: Sequence[Ref],
        forced_refs: Iterable[Ref] = (),
    ) -> None:
        self.p = profile
        self.rng = rng
        self.years = list(years)
        self.d = d = profile.development
        self.grid = [y for y in self.years if profile.first_year is None or y >= profile.first_year]
        self.election_mod = election_mod
        self.traits = dict(zip(FACTORS, rng.normal(size=len(FACTORS)), strict=True))
        self.growth = 0.004 + 0.02 * (1 - d) + rng.normal(0, 0.004)
        self.household_size = float(np.clip(4.6 - 2.5 * d + rng.normal(0, 0.15), 1.8, 6.5))
        self.base_mult = {name: math.exp(rng.normal(0, BASES[name].spread)) for name in BASES}
        self.density = math.exp(rng.normal(math.log(1_500), 0.7))  # people per km²
        self.free_flow = round(float(rng.uniform(14, 28)), 1)  # minutes, a typical trip
        self.wage_mult = math.exp(rng.normal(0, 0.1))
        self.wastewater_ratio = float(np.clip(rng.normal(0.8, 0.06), 0.6, 0.95))
        self.coverage = self._draw_coverage(catalogue)
        for ref in adoption_refs:
            self.coverage[ref] = self._adopted(self.coverage[ref])
        for ref in sorted(forced_refs):  # a jump needs its value; real values recur
            self.coverage[ref] = self.grid[0] if self.grid else None
        self.quality = {k.key: self._draw_quality() for k in catalogue.kpis}

    def _start_year(self, p: float, later_share: float) -> int | None:
        """From the first year with probability ``p``; else, with ``later_share`` of the
        rest, from a later year; else never."""
        u = self.rng.random()
        if u < p:
            return self.grid[0] if self.grid else None
        if u < p + (1 - p) * later_share and len(self.grid) > 1:
            return int(self.rng.choice(self.grid[1:]))
        return None

    def _draw_coverage(self, catalogue: Catalogue) -> dict[Ref, int | None]:
        out: dict[Ref, int | None] = {}
        for kpi in catalogue.kpis:
            p = (0.6 + 0.38 * self.d) if kpi.level == "core" else (0.25 + 0.5 * self.d)
            start = self._start_year(p, 0.35)
            for m in kpi.measurands():
                out[(kpi.key, m.data_point)] = start
            if kpi.key == "EN: EN: AQ: 1C":  # SO2 and O3 are measured at fewer stations
                for point in ("so2", "o3"):
                    if self.rng.random() > 0.55 + 0.35 * self.d:
                        out[(kpi.key, point)] = None
        return out

    def _adopted(self, start: int | None) -> int | None:
        """Shared bicycles and vehicles are reported once a scheme exists."""
        scheme = self._start_year(0.2 + 0.6 * self.d, 0.4)
        if start is None or scheme is None:
            return None
        return max(start, scheme)

    def _draw_quality(self) -> int:
        good = np.array([0.35, 0.35, 0.2, 0.07, 0.03, 0.0])
        poor = np.array([0.08, 0.2, 0.3, 0.22, 0.15, 0.05])
        probs = good * self.d + poor * (1 - self.d)
        return int(self.rng.choice(6, p=probs / probs.sum())) + 1

    def population(self, year: int) -> float:
        return self.p.population * (1 + self.growth) ** (year - REFERENCE_YEAR)

    def last_election(self, year: int) -> int:
        return year - ((year - self.election_mod) % 4)

    def ar_noise(self, sd: float, years: Sequence[int]) -> dict[int, float]:
        """AR(1) noise (persistence 0.5, stationary sd ``sd``) drawn over all years;
        years outside them (anchor years) get 0."""
        eps = self.rng.normal(0, sd, size=len(self.years))
        drawn: dict[int, float] = {}
        prev = eps[0] if len(eps) else 0.0
        for year, e in zip(self.years, eps, strict=True):
            prev = 0.5 * prev + math.sqrt(0.75) * e
            drawn[year] = float(prev)
        return {y: drawn.get(y, 0.0) for y in years}


class _Bases:
    """Denominators of one city by name and year (specs.BASES and specs.DERIVED_BASES)."""

    def __init__(self, c: _City, comps: Mapping[Ref, Mapping[int, tuple[float, float]]]) -> None:
        self.c = c
        self.comps = comps
        self.cache: dict[tuple[str, int], float] = {}

    def get(self, name: str, year: int) -> float:
        key = (name, year)
        if key not in self.cache:
            self.cache[key] = max(1.0, self._compute(name, year))
        return self.cache[key]

    def _compute(self, name: str, year: int) -> float:
        c = self.c
        pop = c.population(year)
        if name == "population":
            return float(round(pop))
        if name == "households":
            return float(round(pop / c.household_size))
        if name == "customers":
            return self.get("electricity_meters", year)
        if name == "interruptions":  # the outages counted by the outage frequency
            return self.comps[("EC: I: ES: 1C", "")][year][0]
        if name == "water_consumed_m3":  # litres a day of the water consumption KPI
            return float(round(self.comps[("EN: EN: WS: 2C", "")][year][0] * 365 / 1000))
        if name == "wastewater_m3":
            return float(round(self.get("water_consumed_m3", year) * c.wastewater_ratio))
        if name == "free_flow_minutes":
            return c.free_flow
        if name == "male_hourly_eur":
            return round((3.0 + 32.0 * c.d) * c.wage_mult * 1.025 ** (year - REFERENCE_YEAR), 2)
        if name == "voters":  # eligible at the last election
            return float(round(c.population(c.last_election(year)) * (0.63 + 0.19 * c.d)))
        if name == "city_area_km2":
            return round(c.p.population / c.density, 2)
        if name not in BASES:
            raise KeyError(f"unknown base {name!r}")
        base = BASES[name]
        per_person = math.exp(_level("amount", base.at0, base.at1, c.d)) * c.base_mult[name]
        return _round(
            per_person * pop * (1 + base.growth) ** (year - REFERENCE_YEAR), base.decimals
        )


class _Generator:
    def __init__(
        self,
        catalogue: Catalogue,
        years: Sequence[int],
        anchors: Mapping[AnchorKey, float],
        events: Sequence[Event],
        source: str,
    ) -> None:
        self.cat = catalogue
        self.years = sorted(set(years))
        self.anchors = anchors
        self.events = events
        self.source = source
        self.specs = spec_index()
        self.adoption_refs = [s.ref for s in SPECS if s.adoption]
        self._check_specs()

    def _check_specs(self) -> None:
        covered = set(self.specs) | {(p.kpi, part.point) for p in PARTS for part in p.parts}
        wanted = {(k.key, m.data_point) for k in self.cat.kpis for m in k.measurands()}
        if covered != wanted:
            missing, extra = sorted(wanted - covered), sorted(covered - wanted)
            raise ValueError(f"specs do not match the catalogue: missing {missing}, extra {extra}")

    def city_rows(self, c: _City) -> list[SyntheticRow]:
        anchors = {
            (year, kpi, point): v
            for (city, year, kpi, point), v in self.anchors.items()
            if city == c.p.key
        }
        tyears = sorted(set(c.grid) | {y for y, _k, _p in anchors})
        values: dict[Ref, dict[int, float]] = {}
        comps: dict[Ref, dict[int, tuple[float, float]]] = {}
        status: dict[Ref, dict[int, str]] = {}
        bases = _Bases(c, comps)
        for spec in SPECS:  # parents and shared quantities come first in SPECS
            m = self.cat.measurand(spec.kpi, spec.point)
            series = self._series(c, spec, m, tyears, anchors, values)
            values[spec.ref] = self._apply_events(c, spec, m, series)
            if m.measure.kind == "ratio":
                comps[spec.ref] = self._components(c, spec, m, values, bases)
        for parts in PARTS:
            self._parts(c, parts, tyears, bases, comps, status)
        return self._rows(c, values, comps, status)

    # -------------------------------------------------------------- series
    def _series(
        self,
        c: _City,
        spec: Spec,
        m: Measurand,
        tyears: Sequence[int],
        anchors: Mapping[tuple[int, str, str], float],
        known: Mapping[Ref, Mapping[int, float]],
    ) -> dict[int, float]:
        """The city's unrounded value of ``spec`` for each of ``tyears``."""
        if spec.kind == "bool":
            return self._boolean(c, spec, tyears)
        if spec.kind in ("rare", "loss"):
            return self._rare(c, spec, tyears)
        kind = "pct" if spec.kind in ("share_of", "held") else spec.kind
        z = c.rng.normal()
        if spec.factor:
            trait = c.traits[spec.factor]
            z = spec.loading * trait + math.sqrt(1 - spec.loading**2) * z
        x_ref = (
            _level(kind, spec.at0, spec.at1, c.d)
            + spec.spread * z
            + spec.size * c.p.log_size
            + spec.heat * c.p.heating
            + spec.country.get(c.p.country_code, 0.0)
        )
        slope = spec.trend * _improving(m)
        noise = c.ar_noise(spec.noise if spec.kind != "held" else 0.08, tyears)

        def x_at(year: int, with_noise: bool = True) -> float:
            x = x_ref + slope * (year - REFERENCE_YEAR) + spec.shocks.get(year, 0.0)
            if spec.kind == "count" and spec.per_capita:
                x += math.log(c.population(year) / 100_000)
            return x + (noise.get(year, 0.0) if with_noise else 0.0)

        parent = None
        if spec.kind == "share_of":
            kpi, _, point = spec.parent.partition("|")
            parent = known[(kpi, point)]

        # Anchors: shift the series to pass through the latest real value.
        shift, zero_from = 0.0, None
        mine = sorted((y, v) for (y, k, p), v in anchors.items() if (k, p) == spec.ref)
        if mine:
            year, real = mine[-1]
            if parent is not None:
                real = 100.0 * real / parent[year] if parent[year] else 0.0
            if kind == "pct" and real <= 0:
                zero_from = year
            else:
                shift = _forward(kind, real) - x_at(year)

        out: dict[int, float] = {}
        for y in tyears:
            if spec.kind == "held":  # the turnout of the last election
                election = c.last_election(y)
                v = _inverse(kind, x_at(election, election in tyears) + shift)
            else:
                v = _inverse(kind, x_at(y) + shift)
            if parent is not None:
                v = parent[y] * v / 100.0
            out[y] = _clip(v, spec.lo, spec.hi)
        if zero_from is not None:
            # A real 0 %: nothing until then, then a start that reaches the generated level
            # in about eight years, by less than 4 points a year (the year-on-year check
            # ignores moves under 5 points).
            out = {
                y: 0.0 if y <= zero_from else min(v * (y - zero_from) / 8, 3.9 * (y - zero_from))
                for y, v in out.items()
            }
        if spec.zero_above is not None and c.d > spec.zero_above:
            out = dict.fromkeys(out, 0.0)
        return out

    def _boolean(self, c: _City, spec: Spec, tyears: Sequence[int]) -> dict[int, float]:
        """Yes from the year the city adopted it (perhaps before the first year shown)."""
        p = spec.at0 + (spec.at1 - spec.at0) * c.d
        u = c.rng.random()
        if u < p:
            adopted = -1
        elif u < p + (1 - p) * 0.5 and len(c.grid) > 1:
            adopted = int(c.rng.choice(c.grid[1:]))
        else:
            adopted = 1_000_000
        return {y: 1.0 if y >= adopted else 0.0 for y in tyears}

    def _rare(self, c: _City, spec: Spec, tyears: Sequence[int]) -> dict[int, float]:
        """``rare``: the expected rate (its events are drawn with the components);
        ``loss``: % of GDP lost, 0 in most years."""
        level = _level("amount", spec.at0, spec.at1, c.d) + 0.3 * c.rng.normal()
        hits = c.rng.random(size=len(self.years)) < 0.05 + 0.15 * (1 - c.d)
        sizes = c.rng.lognormal(0, 0.8, size=len(self.years))
        out: dict[int, float] = {}
        for i, y in enumerate(self.years):
            rate = math.exp(level) * 0.97 ** (y - REFERENCE_YEAR)
            if spec.kind == "loss":
                out[y] = _clip(rate * sizes[i], None, 20.0) if hits[i] else 0.0
            else:
                out[y] = rate
        return {y: out.get(y, math.exp(level)) for y in tyears}

    def _apply_events(
        self, c: _City, spec: Spec, m: Measurand, series: dict[int, float]
    ) -> dict[int, float]:
        for ev in self.events:
            if ev.city == c.p.key and (ev.kpi_key, ev.data_point) == spec.ref:
                series = {
                    y: _clip(v * ev.factor, m.plausible_min, m.plausible_max) if y >= ev.year else v
                    for y, v in series.items()
                }
        return series

    # -------------------------------------------------------------- components
    def _components(
        self,
        c: _City,
        spec: Spec,
        m: Measurand,
        values: Mapping[Ref, Mapping[int, float]],
        bases: _Bases,
    ) -> dict[int, tuple[float, float]]:
        """(numerator, denominator) per year; the value is numerator / denominator x mult."""
        mult = m.measure.multiplier or 1.0
        out: dict[int, tuple[float, float]] = {}
        for y, v in values[spec.ref].items():
            if spec.base == "data_sets":  # published sets = the open data number
                number = self._count(values[("EC: ICT: PS: 1A", "number")][y], 3)
                out[y] = (number, max(number, float(round(number * 100.0 / max(v, 0.5)))))
                continue
            den = bases.get(spec.base, y)
            if spec.kind == "rare":
                num = float(c.rng.poisson(v * den / mult))
            else:
                num = _round(v * den / mult, spec.num_decimals)
                if spec.min_count:
                    num = max(float(spec.min_count), num)
            if m.plausible_max is not None and num / den * mult > m.plausible_max:
                num = _round(m.plausible_max * den / mult, spec.num_decimals)
            out[y] = (num, den)
        return out

    @staticmethod
    def _count(v: float, minimum: int) -> float:
        return max(float(minimum), float(round(v)))

    def _parts(
        self,
        c: _City,
        parts: Parts,
        tyears: Sequence[int],
        bases: _Bases,
        comps: dict[Ref, dict[int, tuple[float, float]]],
        status: dict[Ref, dict[int, str]],
    ) -> None:
        """Whole-number parts of one total, so the shares add up to exactly 100 %."""
        present = [p.point for p in parts.parts if not (p.at1 == 0 and c.d > parts.absent_above)]
        weights: dict[str, dict[int, float]] = {}
        for part in parts.parts:
            share = part.at0 + (part.at1 - part.at0) * c.d
            z = c.rng.normal()
            noise = c.ar_noise(0.03, tyears)
            trait = part.loading * c.traits[part.factor] if part.factor else 0.0
            w0 = math.log(max(share, 0.3)) + parts.spread * z + trait
            weights[part.point] = {
                y: w0 + part.trend * (y - REFERENCE_YEAR) + part.shocks.get(y, 0.0) + noise[y]
                for y in tyears
            }
        for y in tyears:
            total = bases.get(parts.base, y)
            exps = {p: math.exp(weights[p][y]) for p in present}
            norm = sum(exps.values())
            counts = _largest_remainder({p: total * e / norm for p, e in exps.items()}, int(total))
            for part in parts.parts:
                ref = (parts.kpi, part.point)
                if part.point in counts:
                    comps.setdefault(ref, {})[y] = (float(counts[part.point]), total)
                elif parts.absent_status == NOT_APPLICABLE:
                    status.setdefault(ref, {})[y] = NOT_APPLICABLE
                else:
                    comps.setdefault(ref, {})[y] = (0.0, total)

    # -------------------------------------------------------------- rows
    def _rows(
        self,
        c: _City,
        values: Mapping[Ref, Mapping[int, float]],
        comps: Mapping[Ref, Mapping[int, tuple[float, float]]],
        status: Mapping[Ref, Mapping[int, str]],
    ) -> list[SyntheticRow]:
        notes = {
            (e.year, e.kpi_key, e.data_point): e.note for e in self.events if e.city == c.p.key
        }
        rows: list[SyntheticRow] = []
        for year in c.grid:
            for kpi in self.cat.kpis:
                for m in kpi.measurands():
                    ref = (kpi.key, m.data_point)
                    start = c.coverage[ref]
                    fixed = status.get(ref, {}).get(year)
                    row = SyntheticRow(
                        city=c.p.key,
                        year=year,
                        kpi_key=kpi.key,
                        data_point=m.data_point,
                        status=fixed or NOT_AVAILABLE,
                        numerator=None,
                        denominator=None,
                        value=None,
                        unit=m.unit,
                        quality=None,
                        source=self.source,
                    )
                    if start is None or year < start or fixed is not None:
                        rows.append(row)
                        continue
                    num = den = None
                    if m.measure.kind == "ratio":
                        num, den = comps[ref][year]
                        value = num / den * (m.measure.multiplier or 1.0)
                    else:
                        spec = self.specs[ref]
                        raw = values[ref][year]
                        if spec.kind == "count":
                            value = self._count(raw, spec.min_count)
                        elif spec.kind == "bool":
                            value = float(round(raw))
                        else:
                            value = _round(raw, spec.decimals)
                    rows.append(
                        replace(
                            row,
                            status=REPORTED,
                            numerator=num,
                            denominator=den,
                            value=value,
                            quality=c.quality[kpi.key],
                            notes=notes.get((year, *ref), ""),
                        )
                    )
        return rows


def _largest_remainder(raw: Mapping[str, float], total: int) -> dict[str, int]:
    """Whole numbers close to ``raw`` adding up to ``total`` (largest remainder method)."""
    floors = {k: math.floor(v) for k, v in raw.items()}
    short = total - sum(floors.values())
    order = sorted(raw, key=lambda k: (-(raw[k] - floors[k]), k))
    for k in order[: max(short, 0)]:
        floors[k] += 1
    return floors


# ----------------------------------------------------------------- entry point


def generate(
    catalogue: Catalogue,
    cities: Iterable[CityProfile],
    years: Sequence[int],
    rng: np.random.Generator,
    *,
    anchors: Mapping[AnchorKey, float] | None = None,
    events: Sequence[Event] = (),
    source: str = DEFAULT_SOURCE,
) -> list[SyntheticRow]:
    """Rows for every city, year (from the city's ``first_year``) and measurand.

    ``rng`` is consumed in a fixed order: one child generator per city, by sorted key.
    ``anchors`` maps (city key, year, KPI key, data point) to a real value the city's series
    must pass through (the latest one when there are several). ``events`` are deliberate
    jumps. The measurands of a city's anchors and events are reported by it in every year.
    ``source`` is written on every row.
    Rows come ordered by city key, year and catalogue order.
    """
    gen = _Generator(catalogue, years, anchors or {}, events, source)
    profiles = sorted(cities, key=lambda p: p.key)
    if len({p.key for p in profiles}) != len(profiles):
        raise ValueError("city keys must be unique")
    country_rng, *city_rngs = rng.spawn(len(profiles) + 1)
    countries = sorted({p.country_code for p in profiles})
    drawn = dict(zip(countries, country_rng.integers(0, 4, size=len(countries)), strict=True))
    rows: list[SyntheticRow] = []
    for profile, city_rng in zip(profiles, city_rngs, strict=True):
        mod = ELECTION_YEAR_MOD.get(profile.country_code, int(drawn[profile.country_code]))
        forced = {(e.kpi_key, e.data_point) for e in events if e.city == profile.key}
        forced |= {(k, p) for (c, _y, k, p) in gen.anchors if c == profile.key}
        c = _City(profile, gen.years, catalogue, city_rng, mod, gen.adoption_refs, forced)
        rows.extend(gen.city_rows(c))
    return rows
