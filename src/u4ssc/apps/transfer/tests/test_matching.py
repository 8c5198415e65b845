"""Cities named in files: slug, folded name within a country, registry alternate names."""

from __future__ import annotations

import pytest

from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer.matching import CityIndex, country_code, name_key, without_admin_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NO", "NO"),
        ("Norway", "NO"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Taiwan, Greater China", "TW"),
        ("Republic of Korea", "KR"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Côte d'Ivoire", "CI"),
        ("Atlantis", None),
    ],
)
def test_country_names_of_third_party_tables(text, code):
    assert country_code(text) == code


def test_names_are_folded():
    assert name_key("  Bærum-Kommune ") == name_key("baerum kommune") == "baerum kommune"
    assert name_key("ÅLESUND") == "alesund"


def test_a_city_is_found_by_slug_or_name_within_its_country(world):
    index = CityIndex.load()
    assert index.find("alesund")[0].id == world.city.id
    assert index.find("Alesund", "Norway")[0].id == world.city.id
    assert index.find("ålesund", "NO")[0].id == world.city.id
    assert index.find("Ålesund", "Austria") == (None, "unknown")
    assert index.find("Ålesund", "Neverland") == (None, "unknown_country")
    assert index.find("") == (None, "blank")


def test_the_municipalitys_own_words_around_a_name_are_tried_without(world):
    # CDP writes "Stadt Zürich", "Aarhus Kommune", "City of Cape Town"
    assert without_admin_words(name_key("Aarhus Kommune")) == "aarhus"
    assert without_admin_words(name_key("Stadt Zürich")) == "zurich"
    assert without_admin_words(name_key("Prefeitura de Curitiba")) == "curitiba"
    assert without_admin_words(name_key("Kommune")) == ""  # nothing left: no match
    assert without_admin_words(name_key("Linz")) == ""  # nothing removed: no second try
    index = CityIndex.load()
    assert index.find("Stadt Linz", "Austria")[0].id == world.foreign.id
    assert index.find("Ålesund Kommune", "Norway")[0].id == world.city.id
    assert index.find("Stadt Ålesund", "Austria") == (None, "unknown")  # country still holds
    assert index.find("Kommune", "Norway") == (None, "unknown")


def test_two_cities_of_one_name_are_ambiguous_without_a_country(world):
    gb = Organisation.objects.create(
        kind=OrgKind.CITY, name="Newcastle", slug="newcastle-gb", country_code="GB"
    )
    Organisation.objects.create(
        kind=OrgKind.CITY, name="Newcastle", slug="newcastle-au", country_code="AU"
    )
    index = CityIndex.load()
    assert index.find("Newcastle") == (None, "ambiguous")
    assert index.find("Newcastle", "United Kingdom")[0].id == gb.id
    assert index.find("newcastle-gb")[0].id == gb.id


@pytest.mark.slow  # builds the world city registry's index (a few seconds, once per process)
def test_registry_alternate_names_find_cities_added_from_the_registry(world):
    # København was added from the world city registry (GeoNames 2618425); CDP writes
    # "Copenhagen", and Helsingør is "Elsinore" in English.
    copenhagen = Organisation.objects.create(
        kind=OrgKind.CITY,
        name="København",
        slug="kobenhavn",
        country_code="DK",
        geonames_id=2618425,
    )
    helsingor = Organisation.objects.create(
        kind=OrgKind.CITY,
        name="Helsingør",
        slug="helsingor",
        country_code="DK",
        geonames_id=2620473,
    )
    index = CityIndex.load()
    assert index.find("Copenhagen", "Denmark")[0].id == copenhagen.id
    assert index.find("Elsinore", "Denmark")[0].id == helsingor.id
    assert index.find("Aarhus", "Denmark") == (None, "unknown")  # not in the platform
    # and once Århus is (from the registry), CDP's "Aarhus Kommune" is it
    aarhus = Organisation.objects.create(
        kind=OrgKind.CITY, name="Århus", slug="arhus", country_code="DK", geonames_id=2624652
    )
    index = CityIndex.load()
    assert index.find("Aarhus Kommune", "Denmark")[0].id == aarhus.id
