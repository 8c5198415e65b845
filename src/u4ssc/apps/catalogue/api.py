"""API of the KPI catalogue and target sets (read-only, open to everyone)."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from u4ssc.apps.catalogue import queries
from u4ssc.apps.catalogue.models import TargetSet
from u4ssc.core.catalogue import load_catalogue

router = Router()


@router.get("/kpis", summary="All 91 U4SSC KPIs with units, components, data points, direction")
def list_kpis(request: HttpRequest, dimension: str | None = None) -> Any:
    from u4ssc.core.catalogue import catalogue_records

    cat = load_catalogue()
    records = catalogue_records(cat)
    if dimension:
        records = [r for r in records if r["dimension_code"] == dimension.upper()]
    return {"version": cat.version, "count": len(records), "items": records}


@router.get("/kpis/{path:code}", summary="One KPI by code (either official spelling)")
def get_kpi(request: HttpRequest, code: str) -> Any:
    from u4ssc.core.catalogue import catalogue_records

    cat = load_catalogue()
    kpi = cat.find(code)
    if kpi is None:
        raise Http404(f"unknown KPI code {code!r}")
    return next(r for r in catalogue_records(cat) if r["code"] == kpi.code)


class TargetSetOut(Schema):
    # By name too: the detail endpoint validates a dict made from this schema's own output.
    model_config = ConfigDict(populate_by_name=True)

    slug: str
    name: str
    kind: str
    method: str
    owner: str = Field(..., alias="owner.slug")
    is_default: bool
    description: str
    n_targets: int


class TargetOut(Schema):
    kpi_code: str = Field(..., alias="kpi.code")
    data_point: str
    value: float | None
    direction: str
    range_low: float | None
    range_high: float | None
    source: str


class TargetSetDetail(TargetSetOut):
    targets: list[TargetOut]


@router.get("/target-sets", response=list[TargetSetOut], summary="Target sets")
def list_target_sets(request: HttpRequest) -> Any:
    return queries.target_sets()


@router.get("/target-sets/{slug}", response=TargetSetDetail, summary="A target set's targets")
def get_target_set(request: HttpRequest, slug: str) -> Any:
    ts = get_object_or_404(queries.target_sets(), slug=slug)
    data = TargetSetOut.from_orm(ts).dict()
    data["targets"] = list(queries.targets_of(ts))
    return data


__all__ = ["TargetSet", "router"]
