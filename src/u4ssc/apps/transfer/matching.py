"""Finding the platform's city for a name (and country) written in a file.

Names are compared folded: accents removed, case folded, punctuation and spaces collapsed,
so "Bærum", "Baerum" and "BÆRUM " are one name, and "Ålesund" is "Alesund". A city is
known by its slug, its name and, for cities added from the world city registry, the
alternate names of its registry place ("Copenhagen" for København). Countries are ISO
3166-1 alpha-2 codes or names in English (pycountry), plus the variants third-party tables
use ("USA", "Taiwan, Greater China", "Republic of Korea").
See ``docs/decisions/0505``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.core.registry import find_city, fold

_PUNCTUATION = re.compile(r"[\W_]+")

COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "united states": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "russia": "RU",
    "turkey": "TR",
    "republic of korea": "KR",
    "south korea": "KR",
    "korea": "KR",
    "state of palestine": "PS",
    "taiwan greater china": "TW",
    "taiwan": "TW",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "china hong kong special administrative region": "HK",
    "hong kong": "HK",
    "vietnam": "VN",
    "laos": "LA",
    "norge": "NO",
    "sverige": "SE",
    "danmark": "DK",
    "osterreich": "AT",
}


# Words third-party tables put around a city's name to say it is the municipality (CDP:
# "Aarhus Kommune", "Stadt Zürich", "Prefeitura de Curitiba", "City of Cape Town").
# Tried only when the whole name matches nothing; compared after name_key.
_ADMIN_PREFIXES = (
    "landeshauptstadt",
    "stadt",
    "city of",
    "municipality of",
    "prefeitura municipal de",
    "prefeitura de",
    "municipio de",
    "ville de",
    "comune di",
    "gemeente",
    "ayuntamiento de",
    "alcaldia de",
)
_ADMIN_SUFFIXES = (
    "kommune",
    "kommun",
    "kunta",
    "municipality",
    "metropolitan municipality",
    "municipal corporation",
    "city council",
    "municipal council",
    "council",
)


def without_admin_words(key: str) -> str:
    """A :func:`name_key` without the municipality's own words around the name:
    "aarhus kommune" -> "aarhus", "stadt zurich" -> "zurich"; "" when nothing is left or
    nothing was removed."""
    stripped = key
    for prefix in _ADMIN_PREFIXES:
        if stripped.startswith(prefix + " "):
            stripped = stripped[len(prefix) + 1 :]
            break
    for suffix in sorted(_ADMIN_SUFFIXES, key=len, reverse=True):
        if stripped.endswith(" " + suffix):
            stripped = stripped[: -len(suffix) - 1]
            break
    stripped = stripped.strip()
    return stripped if stripped and stripped != key else ""


def name_key(text: str) -> str:
    """A name reduced for comparison: the registry's folding (accents, case, Nordic
    letters) with punctuation made spaces: "  Bærum-Kommune" -> "baerum kommune"."""
    return _PUNCTUATION.sub(" ", fold(unicodedata.normalize("NFKC", text))).strip()


@functools.lru_cache(maxsize=2048)
def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a country written as a code or a name, or ``None``."""
    import pycountry

    raw = (text or "").strip()
    if not raw:
        return None
    folded = name_key(raw)
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    candidates = [raw, re.sub(r"\s*\(.*?\)\s*", " ", raw).strip(), raw.split(",")[0].strip()]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return None


@dataclass(frozen=True)
class CityRef:
    id: int
    slug: str
    name: str
    country_code: str
    geonames_id: int | None = None


class CityIndex:
    """The platform's cities, looked up by slug, or by name within a country.

    Built with one query. A name is compared folded (:func:`name_key`); when no city of
    the platform has that name, the world city registry is asked for the place known by it
    (its alternate names: "Copenhagen" is København, "Aalesund" is Ålesund) and the
    platform city registered from that place is the match. The registry (built once per
    process, a few seconds) is only consulted for countries that have such cities.
    ``find`` answers ``(city, problem)``: "unknown", "ambiguous", "unknown_country" or
    "blank" when no single city fits.
    """

    def __init__(self, cities: list[CityRef]):
        self.by_id = {c.id: c for c in cities}
        self.by_slug = {c.slug: c for c in cities}
        self.by_geonames = {c.geonames_id: c for c in cities if c.geonames_id}
        self.registry_countries = {c.country_code for c in cities if c.geonames_id}
        self.by_name: dict[str, list[CityRef]] = defaultdict(list)
        for c in cities:
            self.by_name[name_key(c.name)].append(c)

    @classmethod
    def load(cls) -> CityIndex:
        rows = Organisation.objects.filter(kind=OrgKind.CITY).values_list(
            "id", "slug", "name", "country_code", "geonames_id"
        )
        return cls([CityRef(i, s, n, c or "", g) for i, s, n, c, g in rows])

    def find(self, name: str, country: str | None = None) -> tuple[CityRef | None, str]:
        """The city called ``name`` (slug or name) in ``country`` (code or name, optional).

        A name that matches nothing is tried once more without the words that say it is
        the municipality ("Aarhus Kommune", "Stadt Zürich"; :func:`without_admin_words`).
        """
        text = (name or "").strip()
        if not text:
            return None, "blank"
        wanted_country = country_code(country) if country else None
        if country and wanted_country is None:
            return None, "unknown_country"
        by_slug = self.by_slug.get(text.lower())
        if by_slug is not None and wanted_country in (None, by_slug.country_code):
            return by_slug, ""
        found, problem = self._find_name(text, wanted_country)
        if found is None and problem == "unknown":
            bare = without_admin_words(name_key(text))
            if bare:
                return self._find_name(bare, wanted_country)
        return found, problem

    def _find_name(self, text: str, wanted_country: str | None) -> tuple[CityRef | None, str]:
        found = self.by_name.get(name_key(text), [])
        if wanted_country is not None:
            found = [c for c in found if c.country_code == wanted_country]
        unique = {c.id: c for c in found}
        if len(unique) == 1:
            return next(iter(unique.values())), ""
        if len(unique) > 1:
            return None, "ambiguous"
        if wanted_country in self.registry_countries:
            place = find_city(text, wanted_country)
            if place is not None and place.geonames_id in self.by_geonames:
                return self.by_geonames[place.geonames_id], ""
        return None, "unknown"
