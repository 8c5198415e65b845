"""The demo programme as data: hubs, the Norwegian national programme, cities, accounts,
deliberate jumps and the state each year is left in. No Django here, so tools can read it.

Cities are named as the world city registry names them (``u4ssc.core.registry``); the
loader takes country, region, population and coordinates from there. Which cities belong to
which hub, and when they joined, is invented for the demo (decision 0601).
"""

from __future__ import annotations

from dataclasses import dataclass

SEED = 2026
YEARS = tuple(range(2019, 2026))  # data years; the latest (2025) is being collected
LATEST = YEARS[-1]

DEMO_TARGET_SOURCE = "Demo: illustrative target (not an official U4SSC benchmark)"
ILLUSTRATIVE = "Illustrative demo targets (not official U4SSC benchmarks)"


@dataclass(frozen=True)
class Group:
    """A hub or national programme of the demo."""

    slug: str
    kind: str  # an OrgKind value
    name: str
    description: str
    country_code: str = ""
    parent: str = "u4ssc"  # slug of the group it belongs to
    is_synthetic: bool = True
    website: str = ""


GROUPS: tuple[Group, ...] = (
    Group(
        "nordic-hub",
        "hub",
        "U4SSC Nordic Hub (demo)",
        "A country hub invented for the demo: it groups the Nordic cities and Norway's "
        "national programme.",
    ),
    Group(
        "vienna-hub",
        "hub",
        "U4SSC Hub Vienna",
        "The programme's hub in Vienna (with the Austrian Economic Center) for Central "
        "Europe. Its member cities and their data here are demo material.",
        country_code="AT",
        is_synthetic=False,
    ),
    Group(
        "iberia-latin-america-hub",
        "hub",
        "U4SSC Iberia and Latin America Hub (demo)",
        "A hub invented for the demo: Spanish- and Portuguese-speaking cities.",
    ),
    Group(
        "africa-middle-east-asia-hub",
        "hub",
        "U4SSC Africa, Middle East and Asia Hub (demo)",
        "A hub invented for the demo: cities in Africa, the Middle East and Asia.",
    ),
    Group(
        "national-u4ssc-programme-norway",
        "national_programme",
        "National U4SSC Programme Norway",
        "Norway's national programme: all its cities benchmarked with one standard. The "
        "cities' data here is demo material, except the values marked as real.",
        country_code="NO",
        parent="nordic-hub",
        is_synthetic=False,
    ),
)

NORWAY = "national-u4ssc-programme-norway"


@dataclass(frozen=True)
class DemoCity:
    """``name`` and ``country`` as the registry knows them; ``group`` is the slug of the
    hub or national programme; ``first_year`` the first year with data."""

    name: str
    country: str
    group: str
    first_year: int = YEARS[0]


_NO = (
    "Ålesund",
    "Trondheim",
    "Stavanger",
    "Kristiansand",
    "Asker",
    "Bærum",
    "Karmøy",
    "Kristiansund",
    "Bergen",
    "Oslo",
    "Bodø",
    "Tromsø",
    "Drammen",
    "Sandnes",
    "Arendal",
    "Haugesund",
    "Molde",
    "Hamar",
    "Fredrikstad",
    "Lillehammer",
)

CITIES: tuple[DemoCity, ...] = (
    *(DemoCity(name, "NO", NORWAY) for name in _NO),
    # Nordic hub
    DemoCity("Stockholm", "SE", "nordic-hub", 2019),
    DemoCity("Gothenburg", "SE", "nordic-hub", 2021),
    DemoCity("Malmö", "SE", "nordic-hub", 2020),
    DemoCity("Uppsala", "SE", "nordic-hub", 2022),
    DemoCity("Umeå", "SE", "nordic-hub", 2021),
    DemoCity("Växjö", "SE", "nordic-hub", 2020),
    DemoCity("Copenhagen", "DK", "nordic-hub", 2019),
    DemoCity("Århus", "DK", "nordic-hub", 2021),
    DemoCity("Odense", "DK", "nordic-hub", 2022),
    DemoCity("Helsinki", "FI", "nordic-hub", 2019),
    DemoCity("Espoo", "FI", "nordic-hub", 2020),
    DemoCity("Turku", "FI", "nordic-hub", 2021),
    DemoCity("Tampere", "FI", "nordic-hub", 2022),
    DemoCity("Reykjavík", "IS", "nordic-hub", 2020),
    # Hub Vienna
    DemoCity("Vienna", "AT", "vienna-hub", 2019),
    DemoCity("Graz", "AT", "vienna-hub", 2019),
    DemoCity("Linz", "AT", "vienna-hub", 2020),
    DemoCity("Salzburg", "AT", "vienna-hub", 2021),
    DemoCity("Innsbruck", "AT", "vienna-hub", 2022),
    DemoCity("Ljubljana", "SI", "vienna-hub", 2020),
    DemoCity("Bratislava", "SK", "vienna-hub", 2021),
    DemoCity("Brno", "CZ", "vienna-hub", 2021),
    DemoCity("Prague", "CZ", "vienna-hub", 2022),
    DemoCity("Budapest", "HU", "vienna-hub", 2022),
    DemoCity("Warsaw", "PL", "vienna-hub", 2020),
    DemoCity("Wrocław", "PL", "vienna-hub", 2021),
    DemoCity("Gdańsk", "PL", "vienna-hub", 2023),
    DemoCity("Zagreb", "HR", "vienna-hub", 2022),
    DemoCity("Zürich", "CH", "vienna-hub", 2020),
    DemoCity("Basel", "CH", "vienna-hub", 2021),
    DemoCity("Heidelberg", "DE", "vienna-hub", 2023),
    # Iberia and Latin America hub
    DemoCity("Lisbon", "PT", "iberia-latin-america-hub", 2019),
    DemoCity("Porto", "PT", "iberia-latin-america-hub", 2020),
    DemoCity("Cascais", "PT", "iberia-latin-america-hub", 2021),
    DemoCity("Valencia", "ES", "iberia-latin-america-hub", 2019),
    DemoCity("Zaragoza", "ES", "iberia-latin-america-hub", 2021),
    DemoCity("Bilbao", "ES", "iberia-latin-america-hub", 2022),
    DemoCity("Buenos Aires", "AR", "iberia-latin-america-hub", 2020),
    DemoCity("Bogotá", "CO", "iberia-latin-america-hub", 2021),
    DemoCity("Medellín", "CO", "iberia-latin-america-hub", 2022),
    DemoCity("Santiago", "CL", "iberia-latin-america-hub", 2021),
    DemoCity("Montevideo", "UY", "iberia-latin-america-hub", 2020),
    DemoCity("Curitiba", "BR", "iberia-latin-america-hub", 2022),
    DemoCity("Mexico City", "MX", "iberia-latin-america-hub", 2021),
    DemoCity("Quito", "EC", "iberia-latin-america-hub", 2023),
    # Africa, Middle East and Asia hub
    DemoCity("Dubai", "AE", "africa-middle-east-asia-hub", 2019),
    DemoCity("Abu Dhabi", "AE", "africa-middle-east-asia-hub", 2021),
    DemoCity("Riyadh", "SA", "africa-middle-east-asia-hub", 2021),
    DemoCity("Muscat", "OM", "africa-middle-east-asia-hub", 2022),
    DemoCity("Amman", "JO", "africa-middle-east-asia-hub", 2021),
    DemoCity("Tunis", "TN", "africa-middle-east-asia-hub", 2022),
    DemoCity("Kigali", "RW", "africa-middle-east-asia-hub", 2021),
    DemoCity("Kampala", "UG", "africa-middle-east-asia-hub", 2022),
    DemoCity("Nairobi", "KE", "africa-middle-east-asia-hub", 2022),
    DemoCity("Accra", "GH", "africa-middle-east-asia-hub", 2023),
    DemoCity("Singapore", "SG", "africa-middle-east-asia-hub", 2020),
    DemoCity("Kuala Lumpur", "MY", "africa-middle-east-asia-hub", 2021),
    DemoCity("Da Nang", "VN", "africa-middle-east-asia-hub", 2022),
    DemoCity("Pune", "IN", "africa-middle-east-asia-hub", 2023),
)


@dataclass(frozen=True)
class Account:
    """A demo account printed by ``u4ssc demo load``. ``scope`` is an organisation slug
    (a city slug is resolved through the registry name in ``CITIES``)."""

    role: str  # a Role value
    username: str
    password: str
    display_name: str
    scope: str
    try_this: str
    is_superuser: bool = False


# Demo-only passwords, printed on purpose: the embedded demo is for trying things out.
ACCOUNTS: tuple[Account, ...] = (
    Account(
        "programme_admin",
        "admin",
        "demo-admin-2026",
        "Programme administrator (demo)",
        "u4ssc",
        "Publish Bergen's verified 2024 data at /data/bergen/2024/; /admin/",
        is_superuser=True,
    ),
    Account(
        "hub_coordinator",
        "nordic",
        "demo-nordic-2026",
        "Nordic hub coordinator (demo)",
        "nordic-hub",
        "Browse the Nordic hub's cities, add a city from the registry",
    ),
    Account(
        "national_coordinator",
        "norway",
        "demo-norway-2026",
        "Norway national coordinator (demo)",
        NORWAY,
        "Follow the Norwegian cities' 2025 data; edit the national target set",
    ),
    Account(
        "city_officer",
        "alesund",
        "demo-alesund-2026",
        "Ålesund data officer (demo)",
        "city:Ålesund",
        "Fill in Ålesund's empty 2025 data (/data/alesund/2025/), then submit",
    ),
    Account(
        "verifier",
        "verifier",
        "demo-verifier-2026",
        "Verifier, Norway (demo)",
        NORWAY,
        "Review Trondheim's submitted 2025 data (/data/) and its flagged jump",
    ),
    Account(
        "viewer",
        "viewer",
        "demo-viewer-2026",
        "Viewer, Norway (demo)",
        NORWAY,
        "See unpublished Norwegian data, read-only",
    ),
)


@dataclass(frozen=True)
class Jump:
    """A deliberate year-on-year jump (the check flags it) and what happens to it."""

    city: str
    year: int
    kpi_code: str
    data_point: str
    factor: float
    note: str
    acknowledged: str = ""  # the city's reason, when it acknowledged the warning
    returned: str = ""  # the verifier's comment, when the value was returned


JUMPS: tuple[Jump, ...] = (
    Jump(
        "Trondheim",
        LATEST,
        "EC: I: T: 6A",
        "",
        2.4,
        "The city bike scheme was extended to every district in spring 2025.",
    ),
    Jump(
        "Stavanger",
        LATEST,
        "EC: I: WS: 3C",
        "",
        1.8,
        "New district metering in 2025.",
        returned="Water loss almost doubled in one year. Please confirm the new metering "
        "method and name the report the figure comes from.",
    ),
    Jump(
        "Graz",
        2023,
        "EC: I: T: 6A",
        "",
        2.2,
        "A second bike-share operator started in 2023.",
        acknowledged="Correct: a second operator doubled the shared bicycle fleet in 2023.",
    ),
)


@dataclass(frozen=True)
class Plan:
    """Where a city's year ends up. ``share`` is the fraction of the generated values
    entered so far (drafts)."""

    state: str  # draft | submitted | in_review | returned | verified | published | absent
    share: float = 1.0
    accepted: float = 0.0  # in_review: fraction of values the verifier already accepted


# Years not listed here are published. ``absent``: the city has not started that year.
PLANS: dict[tuple[str, int], Plan] = {
    ("Ålesund", LATEST): Plan("draft", share=0.0),
    ("Trondheim", LATEST): Plan("submitted"),
    ("Bærum", LATEST): Plan("submitted"),
    ("Kristiansand", LATEST): Plan("in_review", accepted=0.6),
    ("Stavanger", LATEST): Plan("returned"),
    ("Asker", LATEST): Plan("draft", share=0.7),
    ("Karmøy", LATEST): Plan("draft", share=0.4),
    ("Kristiansund", LATEST): Plan("draft", share=0.9),
    ("Bodø", LATEST): Plan("draft", share=0.5),
    ("Tromsø", LATEST): Plan("absent"),
    ("Hamar", LATEST): Plan("absent"),
    ("Lillehammer", LATEST): Plan("draft", share=0.2),
    ("Bergen", LATEST - 1): Plan("verified"),
    ("Oslo", LATEST - 1): Plan("in_review", accepted=0.3),
    ("Stockholm", LATEST): Plan("submitted"),
    ("Helsinki", LATEST): Plan("draft", share=0.8),
    ("Copenhagen", LATEST): Plan("verified"),
    ("Vienna", LATEST): Plan("submitted"),
    ("Graz", LATEST): Plan("in_review", accepted=0.5),
    ("Ljubljana", LATEST): Plan("draft", share=0.6),
    ("Lisbon", LATEST): Plan("submitted"),
    ("Valencia", LATEST): Plan("draft", share=0.5),
    ("Dubai", LATEST): Plan("in_review", accepted=0.8),
    ("Singapore", LATEST): Plan("draft", share=0.3),
}


def plan_for(city: str, year: int) -> Plan:
    """The plan of ``city``'s ``year``: as listed in ``PLANS``; otherwise the latest year is a
    draft in progress (60 % of its values entered) and every earlier year is published."""
    if (city, year) in PLANS:
        return PLANS[(city, year)]
    if year == LATEST:
        return Plan("draft", share=0.6)
    return Plan("published")
