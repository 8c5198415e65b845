"""Finding the platform's city for a name (and country) written in a file.

Names are compared folded: accents removed, case folded, punctuation and spaces collapsed,
so "Bærum", "Baerum" and "BÆRUM " are one name, and "Ålesund" is "Alesund". A city is
known by its slug, its name and, when the organisations app offers them, its alternate
names. Countries are ISO 3166-1 alpha-2 codes or names in English (pycountry), plus the
variants third-party tables use ("USA", "Taiwan, Greater China", "Republic of Korea").
See ``docs/decisions/0505``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from u4ssc.apps.organisations.models import Organisation, OrgKind

# Letters that NFKD does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ł": "l",
        "þ": "th",
        "ð": "d",
        "ı": "i",
    }
)
_NON_WORD = re.compile(r"[^0-9a-z]+")

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


def fold(text: str) -> str:
    """A name reduced for comparison: "  Bærum Kommune" -> "baerum kommune"."""
    lowered = unicodedata.normalize("NFKC", text).casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


@functools.lru_cache(maxsize=2048)
def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a country written as a code or a name, or ``None``."""
    import pycountry

    raw = (text or "").strip()
    if not raw:
        return None
    folded = fold(raw)
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


class CityIndex:
    """The platform's cities, looked up by slug, or by folded name within a country.

    Built with one query. ``find`` answers ``(city, problem)``: the problem says
    "unknown" or "ambiguous" when no single city fits.
    """

    def __init__(self, cities: list[CityRef], alternates: dict[int, list[str]] | None = None):
        self.by_id = {c.id: c for c in cities}
        self.by_slug = {c.slug: c for c in cities}
        self.by_name: dict[str, list[CityRef]] = defaultdict(list)
        for c in cities:
            names = {fold(c.name), *(fold(a) for a in (alternates or {}).get(c.id, []))}
            for name in names:
                if name:
                    self.by_name[name].append(c)

    @classmethod
    def load(cls) -> CityIndex:
        fields = ["id", "slug", "name", "country_code"]
        alternate_field = _alternate_names_field()
        if alternate_field:
            fields.append(alternate_field)
        rows = list(Organisation.objects.filter(kind=OrgKind.CITY).values(*fields))
        cities = [CityRef(r["id"], r["slug"], r["name"], r["country_code"] or "") for r in rows]
        alternates: dict[int, list[str]] = {}
        if alternate_field:
            for r in rows:
                alternates[r["id"]] = _as_names(r[alternate_field])
        return cls(cities, alternates)

    def find(self, name: str, country: str | None = None) -> tuple[CityRef | None, str]:
        """The city called ``name`` (slug or name) in ``country`` (code or name, optional)."""
        text = (name or "").strip()
        if not text:
            return None, "blank"
        wanted_country = country_code(country) if country else None
        if country and wanted_country is None:
            return None, "unknown_country"
        by_slug = self.by_slug.get(text.lower())
        if by_slug is not None and wanted_country in (None, by_slug.country_code):
            return by_slug, ""
        found = self.by_name.get(fold(text), [])
        if wanted_country is not None:
            found = [c for c in found if c.country_code == wanted_country]
        unique = {c.id: c for c in found}
        if len(unique) == 1:
            return next(iter(unique.values())), ""
        if len(unique) > 1:
            return None, "ambiguous"
        return None, "unknown"


def _alternate_names_field() -> str | None:
    """The organisations app's alternate-names field, if it has one."""
    names = {f.name for f in Organisation._meta.get_fields()}
    for candidate in ("alternate_names", "alternative_names", "aliases", "other_names"):
        if candidate in names:
            return candidate
    return None


def _as_names(raw: object) -> list[str]:
    if not raw:
        return []
    if isinstance(raw, str):
        return [p.strip() for p in re.split(r"[;,\n]", raw) if p.strip()]
    if isinstance(raw, list | tuple):
        return [str(p) for p in raw if p]
    return []
