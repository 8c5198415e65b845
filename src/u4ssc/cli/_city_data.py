"""A city's published KPI values and population, for ``u4ssc simulate --city SLUG``.

This is the Django side of the simulation command: it configures Django, reads the
platform's database through the evaluations app's one read of published values
(``u4ssc.apps.evaluations.queries.published_values``) and hands plain numbers to the
computational core (``u4ssc.core.simulation.city.city_parameters``), which never imports
Django. The leading underscore keeps it from being a subcommand of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class CityDataError(Exception):
    """The city or its published values cannot be found: exit status 2, one line."""


@dataclass(frozen=True)
class PublishedValue:
    """One published KPI value (or one data point of a multi-point KPI)."""

    code: str
    data_point: str
    value: float
    unit: str
    year: int
    source: str
    synthetic: bool


@dataclass
class CityData:
    slug: str
    name: str
    population: int | None
    synthetic: bool  # a generated demo city
    year: int
    values: list[PublishedValue] = field(default_factory=list)

    def kpis(self, codes: set[str] | None = None) -> dict[str, Any]:
        """``{KPI code: value}``; a multi-point KPI gives ``{data point: value}``."""
        out: dict[str, Any] = {}
        for v in self.values:
            if codes is not None and v.code not in codes:
                continue
            if v.data_point:
                entry = out.setdefault(v.code, {})
                if isinstance(entry, dict):
                    entry[v.data_point] = v.value
            else:
                out[v.code] = v.value
        return out


def city_data(slug: str, year: int | None = None) -> CityData:
    """The published values of ``slug`` for ``year`` (default: its latest published year).

    Raises:
        CityDataError: no such city, or nothing published for it (or for that year).
    """
    from u4ssc.cli import django_setup

    django_setup()
    from u4ssc.apps.evaluations.queries import published_values
    from u4ssc.apps.organisations.models import OrgKind
    from u4ssc.apps.organisations.queries import organisation_detail

    city = organisation_detail(slug)
    if city is None or city.kind != OrgKind.CITY:
        raise CityDataError(f"there is no city {slug!r} on the platform")
    published = published_values(city_slug=slug)
    years = sorted(set(published.values_list("evaluation__year", flat=True)))
    if not years:
        raise CityDataError(f"{city.name} has no published KPI values")
    if year is None:
        year = years[-1]
    elif year not in years:
        shown = ", ".join(str(y) for y in years)
        raise CityDataError(f"{city.name} has no published values for {year} (published: {shown})")
    rows = published_values(city_slug=slug, years=[year]).values_list(
        "kpi__code", "data_point", "value", "unit", "evaluation__year", "source", "is_synthetic"
    )
    values = [
        PublishedValue(code, dp, float(value), unit, yr, source, bool(synth))
        for code, dp, value, unit, yr, source, synth in rows
        if value is not None
    ]
    return CityData(
        slug=city.slug,
        name=city.name,
        population=city.population,
        synthetic=bool(city.is_synthetic),
        year=year,
        values=values,
    )
