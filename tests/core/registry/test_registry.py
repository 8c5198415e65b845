"""The world city registry: finding programme cities by name, offline."""

from __future__ import annotations

import dataclasses
import time

import pytest

from u4ssc.core.registry import (
    CityNotFound,
    RegistryCity,
    ascii_slug,
    countries,
    country_name,
    find_city,
    fold,
    get_city,
    search_cities,
)

NORWEGIAN_PROGRAMME_CITIES = [
    # (name typed, registry name, region)
    ("Ålesund", "Ålesund", "Møre og Romsdal"),
    ("Trondheim", "Trondheim", "Trøndelag"),
    ("Stavanger", "Stavanger", "Rogaland"),
    ("Kristiansand", "Kristiansand", "Agder"),
    ("Asker", "Asker", "Akershus"),
    ("Bærum", "Bærum", "Akershus"),
    ("Karmøy", "Karmøy", "Rogaland"),
    ("Kristiansund", "Kristiansund", "Møre og Romsdal"),
]


@pytest.mark.parametrize(("typed", "name", "region"), NORWEGIAN_PROGRAMME_CITIES)
def test_every_norwegian_programme_city_is_found_first(typed, name, region):
    # when a programme administrator searches Norway for the city
    results = search_cities(typed, country="NO")
    # then it is the first match, with its region, country and coordinates in Norway
    city = results[0]
    assert (city.name, city.region, city.country_code) == (name, region, "NO")
    assert city.country_name == "Norway"
    assert 57 < city.latitude < 72 and 4 < city.longitude < 32
    assert city.timezone == "Europe/Oslo"
    assert city.population > 20_000


@pytest.mark.parametrize(("typed", "name", "region"), NORWEGIAN_PROGRAMME_CITIES)
def test_the_demo_loader_finds_every_norwegian_programme_city_by_exact_name(typed, name, region):
    city = find_city(typed, "NO")
    assert city is not None and (city.name, city.region) == (name, region)
    assert get_city(city.geonames_id) == city


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Alesund", "Ålesund"),
        ("ALESUND", "Ålesund"),
        ("Aalesund", "Ålesund"),  # an alternate spelling
        ("baerum", "Bærum"),
        ("Karmoy", "Karmøy"),
        ("tromso", "Tromsø"),
    ],
)
def test_search_ignores_case_accents_and_nordic_letters(typed, expected):
    assert search_cities(typed, country="NO")[0].name == expected


def test_municipalities_missing_from_geonames_places_are_found_by_their_seat_too():
    # given Karmøy and Bærum, which GeoNames lists only through their seats
    # when one searches for the seat
    kopervik = search_cities("Kopervik", country="NO")
    # then the municipality is found, carrying the municipality's population
    assert kopervik[0].name == "Karmøy"
    assert kopervik[0].population == 42_903
    assert "Bærum" in [c.name for c in search_cities("Sandvika", country="NO")]


def test_country_filter_restricts_results():
    # given two places called Vienna, in Austria and in the United States
    anywhere = {c.country_code for c in search_cities("Vienna", limit=50)}
    assert {"AT", "US"} <= anywhere
    # when filtered by country only that country's places come back
    only_us = search_cities("Vienna", country="US", limit=50)
    assert only_us and {c.country_code for c in only_us} == {"US"}
    assert search_cities("Vienna", country="us")[0].country_code == "US"  # case-insensitive
    assert search_cities("Vienna", country="ZZ") == []


def test_ranking_prefers_exact_then_prefix_then_word_start_then_population():
    # exact name before a longer name starting with it
    assert search_cities("Oslo", country="NO")[0].name == "Oslo"
    # a word inside a name is found ("polten" -> Sankt Pölten)
    assert search_cities("polten", country="AT")[0].name == "Sankt Pölten"
    # the capital outranks the other Viennas by population
    assert search_cities("Vienna")[0].country_code == "AT"
    # names starting with the query come before those containing it
    names = [c.name for c in search_cities("stavang", country="NO", limit=50)]
    assert names[0] == "Stavanger"


def test_short_or_empty_queries_find_nothing_and_limit_is_respected():
    assert search_cities("") == []
    assert search_cities(" a ") == []
    assert search_cities("\n\n") == []
    assert len(search_cities("san", limit=7)) == 7
    assert search_cities("san", limit=0) == []
    # two letters match the start of names only; three letters match inside names too
    assert "Oslo" not in [c.name for c in search_cities("sl", country="NO", limit=1000)]
    assert "Oslo" in [c.name for c in search_cities("slo", country="NO", limit=1000)]


def test_get_city_by_geonames_id_and_unknown_id_error():
    alesund = get_city(3163392)
    assert alesund.name == "Ålesund"
    assert alesund.label == "Ålesund, Møre og Romsdal, Norway"
    with pytest.raises(CityNotFound):
        get_city(1)
    with pytest.raises(CityNotFound):
        get_city("not a number")  # type: ignore[arg-type]
    assert issubclass(CityNotFound, LookupError)


def test_find_city_is_an_exact_name_or_alternate_name_in_a_country():
    assert find_city("Bærum", "NO").geonames_id == 3140128  # type: ignore[union-attr]
    assert find_city("Aalesund", "NO").name == "Ålesund"  # type: ignore[union-attr]
    assert find_city("Trondheim", "SE") is None  # wrong country
    assert find_city("Trond", "NO") is None  # a prefix is not a match
    assert find_city("Nowhere-by-the-sea", "NO") is None


def test_registry_city_is_a_frozen_dataclass():
    city = get_city(3133880)
    assert isinstance(city, RegistryCity)
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.name = "Nidaros"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(RegistryCity)] == [
        "geonames_id",
        "name",
        "country_code",
        "country_name",
        "region",
        "population",
        "latitude",
        "longitude",
        "timezone",
    ]


def test_countries_in_english_and_norwegian():
    english = dict(countries())
    assert english["NO"] == "Norway"
    assert english["BO"] == "Bolivia"  # the common name, not "Plurinational State of"
    assert english["XK"] == "Kosovo"
    norwegian = countries("nb")
    assert dict(norwegian)["AT"] == "Østerrike"
    assert country_name("NO", "nb") == "Norge"
    assert country_name("ZZ") == ""
    assert country_name(None) == ""
    # sorted by name, accents folded (Åland sorts with the A's in English)
    names = [name for _code, name in countries()]
    assert names == sorted(names, key=fold)


def test_fold_and_slug():
    assert fold("  Ålesund ") == "alesund"
    assert fold("Bærum") == "baerum"
    assert fold("Straße  Øst") == "strasse ost"
    assert ascii_slug("Bærum") == "baerum"
    assert ascii_slug("Sankt Pölten (AT)") == "sankt-polten-at"
    assert ascii_slug("東京") == ""


def test_type_ahead_search_is_fast_once_built():
    search_cities("warm up")
    started = time.perf_counter()
    for query in ["san", "krist", "new york", "ber", "stav"]:
        search_cities(query)
    assert time.perf_counter() - started < 1.0
