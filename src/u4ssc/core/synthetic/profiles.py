"""City profiles: what the generator knows about a city before it invents its KPI values.

A profile holds facts taken from the world city registry (population, latitude) and one
derived trait, the **development level** (0 = least developed, 1 = most), which moves every
KPI's typical level (see :mod:`u4ssc.core.synthetic.specs`). The level comes from the
country (``COUNTRY_HDI``) and a small size effect: large cities are richer than their
country on average.

``COUNTRY_HDI`` holds rounded Human Development Index values (UNDP Human Development Report
2023/24, reference year 2022) for the countries of the demo. They only shape synthetic data;
nothing scores or displays them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Rounded UNDP HDI (2022). A country missing here gets DEFAULT_HDI.
COUNTRY_HDI: dict[str, float] = {
    "NO": 0.966,
    "CH": 0.967,
    "IS": 0.959,
    "DK": 0.952,
    "SE": 0.952,
    "DE": 0.950,
    "FI": 0.942,
    "SG": 0.949,
    "AT": 0.926,
    "SI": 0.926,
    "AE": 0.937,
    "ES": 0.911,
    "CZ": 0.895,
    "PL": 0.881,
    "PT": 0.874,
    "SA": 0.875,
    "HR": 0.878,
    "SK": 0.855,
    "HU": 0.851,
    "CL": 0.860,
    "AR": 0.849,
    "UY": 0.830,
    "OM": 0.819,
    "MY": 0.807,
    "MX": 0.781,
    "CO": 0.758,
    "EC": 0.765,
    "BR": 0.760,
    "JO": 0.736,
    "TN": 0.732,
    "VN": 0.726,
    "IN": 0.644,
    "GH": 0.602,
    "KE": 0.601,
    "UG": 0.550,
    "RW": 0.548,
}
DEFAULT_HDI = 0.75

# HDI -> development level: 0.50 maps to 0, 0.97 to 1 (the span of the demo's countries).
_HDI_LOW, _HDI_HIGH = 0.50, 0.97
# Large cities are ahead of their country: +0.03 per tenfold population above 100 000.
_SIZE_BONUS_PER_DECADE = 0.03


@dataclass(frozen=True)
class CityProfile:
    """What the generator needs to know about one city.

    ``key`` identifies the city in the generated rows (the loader uses the organisation's
    slug). ``population`` is people in ``reference_year`` (the registry's figure);
    earlier and later years follow the city's growth rate. ``latitude`` is WGS84 degrees
    (colder places heat more). ``development`` is 0..1. ``first_year`` is the first year
    with data (the year the city joined), ``None`` for every year asked.
    """

    key: str
    name: str
    country_code: str
    population: int
    latitude: float
    development: float
    first_year: int | None = None

    @property
    def log_size(self) -> float:
        """Tenfold steps of population above 100 000 (negative for smaller cities)."""
        return math.log10(max(self.population, 1_000) / 100_000)

    @property
    def heating(self) -> float:
        """0 (tropics) .. 1 (65 degrees and further from the equator): heating need."""
        return min(1.0, max(0.0, (abs(self.latitude) - 25.0) / 40.0))


def development_level(country_code: str, population: int) -> float:
    """Development level 0..1 of a city of ``population`` people in ``country_code``."""
    hdi = COUNTRY_HDI.get(country_code.upper(), DEFAULT_HDI)
    base = (hdi - _HDI_LOW) / (_HDI_HIGH - _HDI_LOW)
    bonus = _SIZE_BONUS_PER_DECADE * math.log10(max(population, 1_000) / 100_000)
    return round(min(1.0, max(0.0, base + bonus)), 4)


def make_profile(
    *,
    key: str,
    name: str,
    country_code: str,
    population: int,
    latitude: float,
    first_year: int | None = None,
) -> CityProfile:
    """A profile with the development level derived from country and size."""
    return CityProfile(
        key=key,
        name=name,
        country_code=country_code.upper(),
        population=int(population),
        latitude=float(latitude),
        development=development_level(country_code, population),
        first_year=first_year,
    )
