"""Loading the versioned catalogue data file shipped inside the package."""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from u4ssc.core.catalogue.codes import normalise_code
from u4ssc.core.catalogue.model import (
    KPI,
    CatalogueError,
    Direction,
    Measurand,
    Measure,
    UnknownDataPoint,
    UnknownKPI,
)

_DATA_PACKAGE = "u4ssc.core.catalogue.data"
_FILE_NAME = re.compile(r"u4ssc-kpis-(\d+(?:\.\d+)*)\.json")


def _slug(text: str) -> str:
    """Compare data point names loosely: "PM2.5" == "pm2_5" == "PM 2,5"."""
    return re.sub(r"[^0-9a-zæøå%]+", "", text.lower())


# Spellings remembered per catalogue: a file with more distinct spellings than this (only a
# malicious one) is still answered, just without remembering the rest.
_LOOKUP_CACHE = 20_000


class Catalogue:
    """The 91 KPIs of one catalogue version, in catalogue order.

    Lookups accept any spelling of a code (see :func:`normalise_code`) and the code aliases
    recorded in the data file (``EC: ICT: ICT: 5A`` -> WiFi in public areas, ``5C``).
    """

    def __init__(self, version: str, kpis: tuple[KPI, ...]) -> None:
        self.version = version
        self.kpis = kpis
        self._by_key: dict[str, KPI] = {}
        # Lookups by the spelling given (an import asks for the same few hundred codes and
        # data points 100,000 times): the catalogue never changes once built.
        self._found: dict[str, KPI | None] = {}
        self._measurands: dict[tuple[str, str], Measurand] = {}
        # Built once so repeated lookups return the same object (cheap in request loops).
        self._single: dict[str, Measurand] = {
            k.key: k.as_measurand() for k in kpis if not k.data_points
        }
        for k in kpis:
            for spelling in (k.key, *k.code_aliases):
                norm = normalise_code(spelling)
                if norm in self._by_key and self._by_key[norm] is not k:
                    raise CatalogueError(f"code {spelling!r} is used by two KPIs")
                self._by_key[norm] = k

    def __iter__(self) -> Iterator[KPI]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.find(code) is not None

    def __repr__(self) -> str:
        return f"<Catalogue {self.version}: {len(self.kpis)} KPIs>"

    def find(self, code: str) -> KPI | None:
        """The KPI with this code in any spelling, or ``None``."""
        try:
            return self._found[code]
        except KeyError:
            pass
        found = self._by_key.get(normalise_code(code))
        if len(self._found) < _LOOKUP_CACHE:
            self._found[code] = found
        return found

    def get(self, code: str) -> KPI:
        """The KPI with this code in any spelling; :class:`UnknownKPI` names the nearest codes."""
        found = self.find(code)
        if found is None:
            norm = normalise_code(code)
            near = difflib.get_close_matches(norm, [k.key for k in self.kpis], n=3, cutoff=0.6)
            raise UnknownKPI(code, tuple(near))
        return found

    def measurand(self, code: str, data_point: str = "") -> Measurand:
        """One reportable quantity of a KPI.

        ``data_point`` is matched by key, name, Norwegian name or alias, ignoring case and
        punctuation (``"PM2.5"``, ``"pm2_5"``); ``""`` for a single-value KPI.
        """
        cached = self._measurands.get((code, data_point))
        if cached is not None:
            return cached
        found = self._measurand(code, data_point)
        if len(self._measurands) < _LOOKUP_CACHE:
            self._measurands[(code, data_point)] = found
        return found

    def _measurand(self, code: str, data_point: str) -> Measurand:
        kpi = self.get(code)
        known = tuple(dp.data_point for dp in kpi.data_points)
        if not kpi.data_points:
            if data_point.strip():
                raise UnknownDataPoint(kpi.code, data_point, known)
            return self._single[kpi.key]
        wanted = _slug(data_point)
        if wanted:
            for dp in kpi.data_points:
                names = (dp.data_point, dp.name, dp.name_nb, *dp.aliases)
                if any(_slug(n) == wanted for n in names):
                    return dp
        raise UnknownDataPoint(kpi.code, data_point, known)

    def categories(self) -> tuple[tuple[str, str], ...]:
        """(sub-dimension, category) pairs in catalogue order: a category is identified by
        both, since one name (Water and Sanitation) occurs under several sub-dimensions."""
        seen: dict[tuple[str, str], None] = {}
        for k in self.kpis:
            seen.setdefault((k.subdimension, k.category), None)
        return tuple(seen)


def available_versions() -> tuple[str, ...]:
    """The catalogue versions shipped in the package, oldest first."""
    versions = []
    for entry in resources.files(_DATA_PACKAGE).iterdir():
        m = _FILE_NAME.fullmatch(entry.name)
        if m:
            versions.append(m.group(1))
    return tuple(sorted(versions, key=lambda v: tuple(int(p) for p in v.split("."))))


def load_catalogue(version: str | None = None) -> Catalogue:
    """The catalogue of ``version`` (default: the latest shipped). Cached: call freely."""
    versions = available_versions()
    if not versions:
        raise CatalogueError("no catalogue data file is shipped in u4ssc.core.catalogue.data")
    if version is None:
        version = versions[-1]
    if version not in versions:
        raise CatalogueError(
            f"unknown catalogue version {version!r}; available: {', '.join(versions)}"
        )
    return _load(version)


@functools.cache
def _load(version: str) -> Catalogue:
    path = resources.files(_DATA_PACKAGE) / f"u4ssc-kpis-{version}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"cannot read catalogue {version}: {exc}") from exc
    if data.get("version") != version:
        raise CatalogueError(
            f"catalogue file for {version} says it is version {data.get('version')!r}"
        )
    try:
        kpis = tuple(_kpi(rec) for rec in data["kpis"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogueError(f"malformed catalogue {version}: {exc!r}") from exc
    return Catalogue(version, kpis)


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _measure(rec: dict[str, Any]) -> Measure:
    kind = rec["kind"]
    if kind not in ("ratio", "value", "boolean"):
        raise ValueError(f"unknown measure kind {kind!r}")
    if kind == "ratio" and not (rec.get("numerator") and rec.get("denominator")):
        raise ValueError("a ratio needs a numerator and a denominator")
    return Measure(
        kind=kind,
        numerator=rec.get("numerator"),
        denominator=rec.get("denominator"),
        multiplier=_opt_float(rec.get("multiplier")),
        numerator_nb=rec.get("numerator_nb"),
        denominator_nb=rec.get("denominator_nb"),
    )


def _direction(rec: dict[str, Any]) -> Direction:
    kind = rec["kind"]
    if kind not in ("higher", "lower", "range"):
        raise ValueError(f"unknown direction {kind!r}")
    low, high = _opt_float(rec.get("low")), _opt_float(rec.get("high"))
    if kind == "range" and (low is None or high is None or low > high):
        raise ValueError("a range direction needs low <= high")
    return Direction(kind=kind, low=low, high=high)


def _measurand(kpi_key: str, data_point: str, rec: dict[str, Any], name: str, name_nb: str):
    return Measurand(
        kpi_key=kpi_key,
        data_point=data_point,
        name=name,
        name_nb=name_nb,
        unit=rec["unit"],
        unit_aliases=tuple(rec["unit_aliases"]),
        measure=_measure(rec["measure"]),
        direction=_direction(rec["direction"]),
        plausible_min=_opt_float(rec["plausible_min"]),
        plausible_max=_opt_float(rec["plausible_max"]),
        warn_min=_opt_float(rec["warn_min"]),
        warn_max=_opt_float(rec["warn_max"]),
        yoy_warn_ratio=_opt_float(rec["yoy_warn_ratio"]),
        yoy_warn_min_change=_opt_float(rec.get("yoy_warn_min_change")),
        aliases=tuple(rec.get("aliases", ())),
    )


def _kpi(rec: dict[str, Any]) -> KPI:
    key = rec["key"]
    if normalise_code(rec["code"]) != key:
        raise ValueError(f"key {key!r} is not the normalised code {rec['code']!r}")
    data_points = tuple(
        _measurand(key, dp["key"], dp, dp["name"], dp["name_nb"]) for dp in rec["data_points"]
    )
    return KPI(
        code=rec["code"],
        key=key,
        name=rec["name"],
        name_nb=rec["name_nb"],
        dimension=rec["dimension"],
        dimension_code=rec["dimension_code"],
        subdimension=rec["subdimension"],
        subdimension_code=rec["subdimension_code"],
        category=rec["category"],
        category_code=rec["category_code"],
        number=int(rec["number"]),
        level=rec["level"],
        type=rec["type"],
        unit=rec["unit"],
        unit_label=rec["unit_label"],
        measure=_measure(rec["measure"]),
        direction=_direction(rec["direction"]),
        data_points=data_points,
        sdgs=tuple(rec["sdgs"]),
        sheet_verified=bool(rec["sheet_verified"]),
        definition=rec["definition"],
        source=rec["source"],
        decision_note=rec["decision_note"],
        position=int(rec["position"]),
        unit_aliases=tuple(rec["unit_aliases"]),
        plausible_min=_opt_float(rec["plausible_min"]),
        plausible_max=_opt_float(rec["plausible_max"]),
        warn_min=_opt_float(rec["warn_min"]),
        warn_max=_opt_float(rec["warn_max"]),
        yoy_warn_ratio=_opt_float(rec["yoy_warn_ratio"]),
        yoy_warn_min_change=_opt_float(rec.get("yoy_warn_min_change")),
        code_aliases=tuple(rec.get("code_aliases", ())),
        sdgs_text=rec.get("sdgs_text", ""),
    )
