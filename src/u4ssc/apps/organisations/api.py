"""API endpoints of this app (mounted by ``u4ssc.web.api`` at ``/api/organisations/``).

Reads are public: who takes part in the programme is public information. Adding a city
needs a token or a session and the permission layer's consent. Errors are raised
(``Http404``, ``PermissionDenied``, Django ``ValidationError``) and turned into the one
error body by ``u4ssc.web.api``.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from u4ssc.apps.organisations import actions, queries
from u4ssc.apps.organisations.models import Organisation, OrgKind, SizeClass
from u4ssc.core import registry
from u4ssc.web.api import WRITE_AUTH, ErrorBody, Pagination

router = Router()

COUNTRY = r"^[A-Za-z]{2}$"


class OrganisationRef(Schema):
    slug: str
    name: str
    kind: OrgKind


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: OrgKind
    country_code: str
    country_name: str
    region: str
    population: int | None
    size_class: SizeClass | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    is_synthetic: bool = Field(description="generated demo organisation, not real")
    groups: list[OrganisationRef] = Field(description="groups it is a direct member of")

    @staticmethod
    def resolve_country_name(obj: Organisation) -> str:
        return registry.country_name(obj.country_code)

    @staticmethod
    def resolve_size_class(obj: Organisation) -> str | None:
        return obj.size_class or None

    @staticmethod
    def resolve_groups(obj: Organisation) -> list[Organisation]:
        return list(obj.groups.all())


class OrganisationDetailOut(OrganisationOut):
    description: str
    website: str
    members: list[OrganisationRef] = Field(description="its direct members")

    @staticmethod
    def resolve_members(obj: Organisation) -> list[Organisation]:
        return list(obj.members.all())


class OrganisationFilters(Schema):
    kind: OrgKind | None = None
    country: str | None = Field(None, pattern=COUNTRY, description="ISO 3166-1 alpha-2")
    group: str | None = Field(
        None, max_length=120, description="slug of a group; members at any depth"
    )
    size_class: SizeClass | None = None
    region: str | None = Field(None, max_length=120)
    q: str | None = Field(None, max_length=200, description="text in name, slug or region")


class CityFilters(Schema):
    country: str | None = Field(None, pattern=COUNTRY, description="ISO 3166-1 alpha-2")
    group: str | None = Field(None, max_length=120)
    size_class: SizeClass | None = None
    region: str | None = Field(None, max_length=120)
    q: str | None = Field(None, max_length=200)


class RegistryCityOut(Schema):
    geonames_id: int
    name: str
    country_code: str
    country_name: str
    region: str
    population: int
    latitude: float
    longitude: float
    timezone: str
    registered_as: str | None = Field(
        None, description="slug of the organisation already registered for this place"
    )


class RegistryQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="name or alternate name")
    country: str | None = Field(None, pattern=COUNTRY)
    limit: int = Field(20, ge=1, le=100)


class AddCityIn(Schema):
    geonames_id: int = Field(..., gt=0, lt=2**31, description="from GET /registry")
    groups: list[str] = Field(
        default_factory=list, max_length=20, description="slugs of groups to join"
    )
    population: int | None = Field(
        None, ge=0, lt=2**31, description="overrides the registry's population"
    )


class PeerGroupOut(Schema):
    key: str
    label: str
    group: OrganisationRef | None
    cities: list[OrganisationRef]


def _filters(filters: Schema) -> dict[str, Any]:
    return {k: v for k, v in filters.dict().items() if v not in (None, "")}


@router.get("/", response=list[OrganisationOut], summary="List organisations")
@paginate(Pagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations of every kind, by name. ``group`` keeps what is under a group."""
    return queries.filter_organisations(**_filters(filters))


@router.get("/cities", response=list[OrganisationOut], summary="List cities")
@paginate(Pagination)
def list_cities(request: HttpRequest, filters: Query[CityFilters]) -> Any:
    return queries.cities(**_filters(filters))


@router.post(
    "/cities",
    auth=WRITE_AUTH,
    response={201: OrganisationDetailOut, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    summary="Add a city from the world city registry",
)
def add_city(request: HttpRequest, payload: AddCityIn) -> Any:
    """Create the city ``geonames_id`` (see ``GET /registry``) as a member of ``groups``.

    Programme administrators may add anywhere; hub and national coordinators only into
    groups they coordinate. A place already registered answers 422 (code ``invalid``).
    """
    groups = queries.groups_by_slug(payload.groups)
    city = actions.add_city_from_registry(
        actor=request.auth,  # type: ignore[attr-defined]
        geonames_id=payload.geonames_id,
        groups=groups,
        population=payload.population,
    )
    return Status(201, queries.organisation_detail(city.slug))


@router.get("/registry", response=list[RegistryCityOut], summary="Search the city registry")
def search_registry(request: HttpRequest, params: Query[RegistryQuery]) -> Any:
    """Places of the world city registry whose name or alternate name contains ``q``.

    Accents and case do not matter ("alesund" finds Ålesund). ``registered_as`` tells
    which places are already organisations of the platform.
    """
    found = registry.search_cities(params.q, country=params.country, limit=params.limit)
    taken = queries.registered_geonames_ids(c.geonames_id for c in found)
    return [_registry_out(c, taken) for c in found]


@router.get(
    "/registry/{geonames_id}",
    response={200: RegistryCityOut, 404: ErrorBody},
    summary="One place of the city registry",
)
def get_registry_city(request: HttpRequest, geonames_id: int) -> Any:
    try:
        city = registry.get_city(geonames_id)
    except registry.CityNotFound:
        raise Http404(f"no place with GeoNames id {geonames_id}") from None
    return _registry_out(city, queries.registered_geonames_ids([city.geonames_id]))


def _registry_out(city: registry.RegistryCity, taken: dict[int, Organisation]) -> dict:
    org = taken.get(city.geonames_id)
    return {
        "geonames_id": city.geonames_id,
        "name": city.name,
        "country_code": city.country_code,
        "country_name": city.country_name,
        "region": city.region,
        "population": city.population,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "timezone": city.timezone,
        "registered_as": org.slug if org else None,
    }


@router.get(
    "/{slug}",
    response={200: OrganisationDetailOut, 404: ErrorBody},
    summary="One organisation with its members and groups",
)
def get_organisation(request: HttpRequest, slug: str) -> Any:
    org = queries.organisation_detail(slug)
    if org is None:
        raise Http404(f"no organisation {slug!r}")
    return org


@router.get(
    "/{slug}/peers",
    response={200: list[PeerGroupOut], 404: ErrorBody},
    summary="A city's peer groups for benchmarking",
)
def get_peers(request: HttpRequest, slug: str) -> Any:
    """Cities sharing the city's country, hub, national programme, size class or region."""
    org = queries.organisation_detail(slug)
    if org is None or not org.is_city:
        raise Http404(f"no city {slug!r}")
    return [
        {"key": p.key, "label": p.label, "group": p.group, "cities": list(p.cities)}
        for p in queries.peer_groups(org)
    ]
