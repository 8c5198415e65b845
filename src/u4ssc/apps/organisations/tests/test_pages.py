"""The organisations pages: list with filters, details, and "Add a city"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from u4ssc.apps.organisations.models import Membership, Organisation
from u4ssc.apps.organisations.tests.factories import many_cities

pytestmark = pytest.mark.django_db

LIST = "/organisations/"
ADD = "/organisations/cities/add/"
HTMX = {"HTTP_HX_REQUEST": "true"}
STAVANGER = 3137115


def _login(client, world, name):
    client.force_login(world.user(name))
    return client


def test_list_shows_organisations_with_their_groups(world, client):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Ålesund" in html and "Nordic Hub" in html
    assert f"{Organisation.objects.count()} organisations" in html
    assert 'href="/organisations/alesund/"' in html
    assert 'href="/organisations/"' in html  # the nav link


def test_list_filters_and_htmx_partial(world, client):
    # when htmx asks for cities in Austria
    partial = client.get(LIST, {"kind": "city", "country": "AT"}, **HTMX)
    # then only the results come back, without the page around them
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "Linz" in html and "Ålesund" not in html
    # and the same URL without htmx is a full page with the filters kept
    full = client.get(LIST, {"kind": "city", "country": "AT"}).content.decode()
    assert "<html" in full and "Linz" in full and "Ålesund" not in full
    assert '<option value="AT" selected>' in full


def test_list_text_search_is_accent_insensitive_and_has_an_empty_state(world, client):
    assert "Ålesund" in client.get(LIST, {"q": "alesund"}).content.decode()
    empty = client.get(LIST, {"q": "Atlantis"}).content.decode()
    assert "No organisation matches these filters." in empty
    assert "Clear filters" in empty
    # unknown filter values are ignored rather than failing
    assert client.get(LIST, {"kind": "castle", "size_class": "huge"}).status_code == 200


def test_empty_list_has_its_own_empty_state(db, client):
    # given an installation without organisations (migrate creates the programme)
    from u4ssc.apps.catalogue.models import TargetSet

    TargetSet.objects.all().delete()
    Organisation.objects.all().delete()
    assert "No organisations yet." in client.get(LIST).content.decode()


def test_list_paginates(world, client):
    many_cities(world.national, 60)
    first = client.get(LIST).content.decode()
    assert "page 1 of 2" in first and 'rel="next"' in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "page 2 of 2" in second and 'rel="prev"' in second


@pytest.mark.parametrize("n", [5, 50])
def test_list_page_takes_constant_queries(world, client, n, django_assert_num_queries):
    many_cities(world.national, n)
    # countries in use, count, page, groups prefetch
    with django_assert_num_queries(4):
        assert client.get(LIST, {"kind": "city"}).status_code == 200


def test_city_detail_shows_facts_groups_peers_and_kpi_empty_state(world, client):
    world.city.latitude, world.city.longitude = 62.47225, 6.15492
    world.city.region = "Møre og Romsdal"
    world.city.save()
    html = client.get("/organisations/alesund/").content.decode()
    assert "<h1>Ålesund" in html
    assert "62.4723° N, 6.1549° E" in html
    assert "Møre og Romsdal" in html and "Norway (NO)" in html
    # the groups above the city, direct or not
    assert "Nordic Hub" in html and "National U4SSC Programme Norway" in html
    # the KPI block, empty for now
    assert 'id="kpi-data"' in html
    assert "No published U4SSC KPI data for Ålesund yet." in html
    assert "Peer groups for benchmarking" in html and "Trondheim" in html


def test_synthetic_organisations_are_marked_in_words(world, client):
    world.sister.is_synthetic = True
    world.sister.save()
    html = client.get("/organisations/trondheim/").content.decode()
    assert "synthetic" in html and "it is not real data" in html
    assert "synthetic" in client.get(LIST, {"q": "trondheim"}).content.decode()


def test_group_detail_lists_members_and_cities_at_any_depth(world, client):
    html = client.get("/organisations/nordic-hub/").content.decode()
    assert "National U4SSC Programme Norway" in html  # direct member
    assert "Ålesund" in html and "Trondheim" in html  # cities under it
    assert "Linz" not in html
    assert client.get("/organisations/no-such-thing/").status_code == 404


def test_norwegian_pages(world, client):
    html = client.get("/nb/organisations/").content.decode()
    assert '<html lang="nb">' in html
    assert "Organisasjoner" in html and "Landhub" in html
    city = client.get("/nb/organisations/alesund/").content.decode()
    assert "Norge (NO)" in city and "Ingen publiserte U4SSC-KPI-data" in city


def test_add_a_city_needs_login_and_a_coordinating_role(world, client):
    # anonymous: to the login page
    response = client.get(ADD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # a city data officer: a 403 page, not a 500
    refused = _login(client, world, "officer").get(ADD)
    assert refused.status_code == 403
    assert "Not allowed" in refused.content.decode()
    refused_post = client.post(ADD, {"geonames_id": STAVANGER})
    assert refused_post.status_code == 403
    assert not Organisation.objects.filter(geonames_id=STAVANGER).exists()


@pytest.mark.parametrize("user", ["admin", "hub", "national"])
def test_add_a_city_is_open_to_coordinators(world, client, user):
    assert _login(client, world, user).get(ADD).status_code == 200


def test_registry_search_full_page_and_htmx_partial(world, client):
    _login(client, world, "national")
    # without JS: a full page listing the matches as radio buttons
    full = client.get(ADD, {"q": "stavanger", "country": "NO"}).content.decode()
    assert "<html" in full
    assert f'value="{STAVANGER}"' in full and 'type="radio"' in full
    assert 'for="city-3137115"' in full
    # with htmx: only the matches
    partial = client.get(ADD, {"q": "alesund", "country": "NO"}, **HTMX).content.decode()
    assert "<html" not in partial and "<h1>" not in partial
    assert "Ålesund" in partial and "Møre og Romsdal" in partial
    nothing = client.get(ADD, {"q": "xqzxqz"}, **HTMX).content.decode()
    assert "No place in the registry matches" in nothing


def test_registered_places_cannot_be_picked_again(world, client):
    world.city.geonames_id = 3163392
    world.city.save()
    html = _login(client, world, "admin").get(ADD, {"q": "Ålesund", "country": "NO"})
    html = html.content.decode()
    assert "already registered" in html
    assert re.search(r'value="3163392"\s+(checked\s+)?disabled', html)


def test_groups_offered_are_those_the_user_coordinates(world, client):
    html = _login(client, world, "national").get(ADD).content.decode()
    assert "National U4SSC Programme Norway" in html
    assert "Nordic Hub" not in html and "Vienna Hub" not in html
    admin_html = _login(client, world, "admin").get(ADD).content.decode()
    assert "Vienna Hub" in admin_html


def test_a_national_coordinator_adds_a_city(world, client):
    # when the national coordinator picks Stavanger and their programme
    response = _login(client, world, "national").post(
        ADD,
        {
            "q": "stavanger",
            "country": "NO",
            "geonames_id": STAVANGER,
            "groups": [world.national.pk],
        },
    )
    # then they land on the new city's page, which says so
    city = Organisation.objects.get(geonames_id=STAVANGER)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=["stavanger"])
    assert Membership.objects.filter(group=world.national, member=city).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Stavanger was added." in page and "Rogaland" in page


def test_add_city_errors_are_shown_next_to_the_fields(world, client):
    _login(client, world, "national")
    # no pick, no group
    response = client.post(ADD, {"q": "stavanger", "country": "NO"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="geonames-error"' in html and "Pick a city from the search results." in html
    assert 'id="groups-error"' in html and "Choose at least one group you coordinate." in html
    # the search results are still there to pick from
    assert f'value="{STAVANGER}"' in html
    # a group they do not coordinate is not a valid choice
    other = client.post(ADD, {"geonames_id": STAVANGER, "groups": [world.other_hub.pk]})
    assert 'id="groups-error"' in other.content.decode()
    assert not Organisation.objects.filter(geonames_id=STAVANGER).exists()


def test_add_city_duplicate_is_an_error_next_to_the_pick(world, client):
    _login(client, world, "admin")
    client.post(ADD, {"geonames_id": STAVANGER})
    again = client.post(ADD, {"q": "stavanger", "geonames_id": STAVANGER}).content.decode()
    assert 'id="geonames-error"' in again
    assert "Stavanger is already registered (GeoNames id 3137115)." in again
    assert Organisation.objects.filter(geonames_id=STAVANGER).count() == 1


def test_add_city_page_in_norwegian(world, client):
    html = _login(client, world, "admin").get("/nb/organisations/cities/add/").content.decode()
    assert "Legg til en by" in html and "Bynavn" in html
    found = client.get("/nb/organisations/cities/add/", {"q": "baerum", "country": "NO"})
    assert "Bærum" in found.content.decode() and "Akershus, Norge" in found.content.decode()
    assert "Landhub" in html  # the kind beside each group


def test_admin_lists_and_edits_organisations(world, client):
    from u4ssc.conftest import make_user

    client.force_login(make_user("staff", is_staff=True, is_superuser=True))
    listing = client.get("/admin/organisations/organisation/", {"q": "hub"})
    assert listing.status_code == 200 and "Nordic Hub" in listing.content.decode()
    page = client.get(f"/admin/organisations/organisation/{world.national.pk}/change/")
    assert page.status_code == 200
    assert "Trondheim" in page.content.decode()  # a member, in the inline


def _published(city, year, *, synthetic, code="EC: ICT: ICT: 1C", value=90.0):
    from u4ssc.apps.catalogue.models import KPI
    from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus

    ev = Evaluation.objects.create(
        city=city, year=year, state=State.PUBLISHED, is_synthetic=synthetic
    )
    KPIValue.objects.create(
        evaluation=ev,
        kpi=KPI.objects.get(code=code),
        status=ValueStatus.REPORTED,
        value=value,
        source="SSB" if not synthetic else "Synthetic demo value",
        is_synthetic=synthetic,
    )
    return ev


SYNTHETIC_NOTE = "published KPI data was generated for the demo"


def test_a_score_computed_from_synthetic_values_is_marked(client, world):
    # given Ålesund's published year of generated values, scored against the default set
    from u4ssc.apps.benchmarking import scoreboard

    scoreboard.clear_cache()
    _published(world.city, 2024, synthetic=True, code="EC: I: ES: 3C", value=99.0)
    # when anyone opens the city's page
    html = client.get(f"/organisations/{world.city.slug}/").content.decode()
    # then the overall score is shown, and marked as computed from synthetic data
    assert "Overall" in html
    assert SYNTHETIC_NOTE in html and 'class="badge synthetic"' in html
    # and in Bokmål too
    nb = client.get(f"/nb/organisations/{world.city.slug}/").content.decode()
    assert "syntetisk" in nb.lower() and SYNTHETIC_NOTE not in nb


def test_a_value_generated_in_a_real_year_marks_the_page_too(client, world):
    ev = _published(world.city, 2023, synthetic=False)
    from u4ssc.apps.catalogue.models import KPI
    from u4ssc.apps.evaluations.models import KPIValue, ValueStatus

    KPIValue.objects.create(
        evaluation=ev,
        kpi=KPI.objects.get(code="EC: I: ES: 3C"),
        status=ValueStatus.REPORTED,
        value=99.0,
        is_synthetic=True,
    )
    assert SYNTHETIC_NOTE in client.get(f"/organisations/{world.city.slug}/").content.decode()


def test_real_published_data_carries_no_synthetic_mark(client, world):
    _published(world.sister, 2024, synthetic=False)
    html = client.get(f"/organisations/{world.sister.slug}/").content.decode()
    assert SYNTHETIC_NOTE not in html and 'class="badge synthetic"' not in html
    # nor does a city whose only synthetic year is unpublished
    from u4ssc.apps.evaluations.models import Evaluation

    Evaluation.objects.create(city=world.foreign, year=2024, is_synthetic=True)
    html = client.get(f"/organisations/{world.foreign.slug}/").content.decode()
    assert SYNTHETIC_NOTE not in html
