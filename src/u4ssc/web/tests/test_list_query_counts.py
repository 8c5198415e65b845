"""Every list page and list endpoint costs the same number of SQL queries for a few rows
as for many (issue 2, section 9)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from u4ssc.apps.catalogue.models import TargetSet, TargetSetKind
from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import Evaluation, State
from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind

pytestmark = pytest.mark.django_db

CODES = ["EC: ICT: ICT: 1C", "EC: ICT: ICT: 2C", "EC: I: ES: 3C"]

PUBLIC = [
    "/organisations/",
    "/kpis/",
    "/targets/",
    "/api/organisations/",
    "/api/organisations/cities",
    "/api/evaluations/",
    "/api/evaluations/values?limit=1000",
    "/api/catalogue/target-sets",
    "/api/transfer/profiles",
]
SIGNED_IN = ["/data/", "/imports/"]


def _grow(world, n_cities: int, years: list[int]) -> None:
    """Add cities (members of the national programme) with published values."""
    start = Organisation.objects.filter(kind=OrgKind.CITY).count()
    cities = []
    for i in range(start, start + n_cities):
        city = Organisation.objects.create(
            kind=OrgKind.CITY, name=f"Town {i}", slug=f"town-{i}", country_code="NO"
        )
        Membership.objects.create(group=world.national, member=city)
        cities.append(city)
    inputs = [
        ValueInput(c.id, y, code, value=40 + j, source="test", ref=f"{c.slug}-{y}-{j}")
        for c in cities
        for y in years
        for j, code in enumerate(CODES)
    ]
    assert apply_entries(actor=None, inputs=inputs, channel="demo", check_permission=False).ok
    Evaluation.objects.filter(city__in=cities).update(state=State.PUBLISHED)
    TargetSet.objects.create(
        name=f"Set {start}", slug=f"set-{start}", kind=TargetSetKind.CITY, owner=cities[0]
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PUBLIC + SIGNED_IN)
def test_list_queries_do_not_grow_with_rows(client, world, url):
    client.force_login(world.user("officer" if url in SIGNED_IN else "nobody"))
    _grow(world, 2, [2023])
    _count(client, url)  # warm per-process caches (catalogue, scoreboards)
    few = _count(client, url)
    _grow(world, 12, [2021, 2022, 2023])
    many = _count(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


@pytest.mark.parametrize("username", ["national", "admin"])
def test_the_workspace_of_people_who_follow_the_data_does_not_grow_with_rows(
    client, world, username
):
    # given a coordinator or the programme administrator, who follow every city-year
    client.force_login(world.user(username))
    _grow(world, 2, [2023])
    _count(client, "/data/")
    few = _count(client, "/data/")
    # when many more city-years come in
    _grow(world, 12, [2021, 2022, 2023])
    # then the overview (and a filtered one) costs the same number of queries
    assert _count(client, "/data/") == few
    assert _count(client, "/data/?year=2023&state=published") == few
