"""Helpers for the organisations tests (plain functions over the ``world`` fixture)."""

from __future__ import annotations

from u4ssc.apps.organisations.models import Membership, Organisation, OrgKind, size_class_for


def many_cities(group: Organisation, n: int, *, country: str = "NO") -> list[Organisation]:
    """``n`` synthetic cities of growing population, all members of ``group``."""
    cities = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrgKind.CITY,
                name=f"Testby {i:03d}",
                slug=f"testby-{i:03d}",
                country_code=country,
                region="Vestland",
                population=10_000 * (i + 1),
                size_class=size_class_for(10_000 * (i + 1)),
                is_synthetic=True,
            )
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create([Membership(group=group, member=c) for c in cities])
    return cities
