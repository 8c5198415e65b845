"""Exports of published KPI data: CSV, xlsx, JSON and a Frictionless Data Package.

Every format carries the same rows and fields (:data:`FIELDS`): one row per published
value with its city, year, KPI, status (reported, not available, not applicable), unit,
source, notes, data quality, the year's submission and verification (attestation
included) and ``is_synthetic``. Each file also says its licence, the platform and, when
any row is demo data, that it holds synthetic data. Text a spreadsheet would run as a
formula is escaped in CSV and xlsx (:mod:`transfer.textcells`); JSON keeps text as it is.
Rows are read with one query, streamed from the database (``iterator``) into the
writer. See ``docs/decisions/0508``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone

import u4ssc
from u4ssc.apps.evaluations.models import KPIValue, Quality, ReviewStatus, State, ValueStatus
from u4ssc.apps.transfer.textcells import escape_formula

FORMATS = ("csv", "xlsx", "json", "datapackage")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "datapackage": "application/zip",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "datapackage": "zip"}

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = (
    "U4SSC Implementation Programme: KPI values reported by the cities and checked by "
    "independent verifiers. Cite the city, the year and this platform; third-party sources "
    "are named in the source field of each value."
)
# Attribution sentences third-party publishers require, found in values' sources.
THIRD_PARTY = {
    "CDP": (
        "CDP and ICLEI - Local Governments for Sustainability",
        "This data was collected in partnership by CDP and ICLEI - Local Governments for "
        "Sustainability",
        "https://data.cdp.net/",
    ),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type
    description: str
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("city", "string", "The city's identifier (slug) in the platform.", True),
    Field("city_name", "string", "The city's name.", True),
    Field("country", "string", "The city's country, ISO 3166-1 alpha-2 code."),
    Field("year", "integer", "The year the data describes.", True),
    Field("kpi_code", "string", "U4SSC KPI code, e.g. EC: ICT: ICT: 1C.", True),
    Field("kpi_name", "string", "The KPI's name in English."),
    Field("dimension", "string", "Dimension: Economy, Environment, Society and Culture."),
    Field("subdimension", "string", "Sub-dimension of the KPI."),
    Field("category", "string", "Category of the KPI."),
    Field(
        "data_point",
        "string",
        "Data point of a multi-point KPI (e.g. pm2_5), empty for single-value KPIs.",
    ),
    Field(
        "status",
        "string",
        "reported, not_available (the city has no figure) or not_applicable (the KPI does "
        "not apply to the city); value is empty unless reported.",
        True,
    ),
    Field("value", "number", "The KPI value, in the unit of the unit field."),
    Field("unit", "string", "Unit of the value."),
    Field("numerator", "number", "Numerator the value was computed from, if reported."),
    Field("denominator", "number", "Denominator the value was computed from, if reported."),
    Field("source", "string", "Where the city took the figure from (publication, register)."),
    Field("notes", "string", "The city's notes on the value (e.g. why it is not available)."),
    Field(
        "data_quality",
        "integer",
        "U4SSC data-quality grade, 1 (accurate measurements) to 6 (unknown methodology): "
        "the verifier's grade when given, else the city's.",
    ),
    Field("data_quality_label", "string", "The data-quality grade in words."),
    Field("city_quality", "integer", "The grade the city gave."),
    Field("verified", "boolean", "True when a verifier accepted the value."),
    Field("submitted_at", "datetime", "When the city last submitted the year's data (UTC)."),
    Field("submitted_by", "string", "Who last submitted the year's data."),
    Field("verified_at", "datetime", "When the year's data was verified (UTC)."),
    Field("verifier", "string", "Who verified the year's data."),
    Field("attestation", "string", "The verifier's statement: what was checked and how."),
    Field("published_at", "datetime", "When the year's data was published (UTC)."),
    Field(
        "is_synthetic",
        "boolean",
        "True for values generated for the demo: they are not real data.",
        True,
    ),
    Field("catalogue_version", "string", "Version of the U4SSC KPI catalogue."),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
STATUSES = ("reported", "not_available", "not_applicable")
PLATFORM = "U4SSC Implementation Programme platform"
SYNTHETIC_NOTICE = (
    "SYNTHETIC DATA: some rows were generated for the demo and are not real data; they are "
    "marked is_synthetic = true."
)
NO_SYNTHETIC_NOTICE = "Synthetic data: none; every row was reported by a city."


def _iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_row(v: KPIValue, submissions: dict[int, Any] | None = None) -> dict[str, Any]:
    """One published value as an export row (plain Python values, ``None`` when empty).
    ``submissions`` maps evaluation ids to who submitted them and when
    (:func:`transfer.queries.export_context`)."""
    ev = v.evaluation
    submission = (submissions or {}).get(ev.id)
    city = ev.city
    kpi = v.kpi
    grade = v.verified_quality or v.quality
    verified = v.review_status == ReviewStatus.ACCEPTED and ev.state in (
        State.VERIFIED,
        State.PUBLISHED,
    )
    return {
        "city": city.slug,
        "city_name": city.name,
        "country": city.country_code,
        "year": ev.year,
        "kpi_code": kpi.code,
        "kpi_name": kpi.name,
        "dimension": kpi.dimension,
        "subdimension": kpi.subdimension,
        "category": kpi.category,
        "data_point": v.data_point,
        "status": v.status,
        "value": v.value if v.status == ValueStatus.REPORTED else None,
        "unit": v.unit,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "source": v.source,
        "notes": v.notes,
        "data_quality": grade,
        "data_quality_label": str(Quality(grade).label) if grade else "",
        "city_quality": v.quality,
        "verified": verified,
        "submitted_at": _iso(submission.at if submission else ev.submitted_at),
        "submitted_by": submission.by if submission else "",
        "verified_at": _iso(ev.verified_at),
        "verifier": str(ev.verifier) if ev.verifier_id else "",
        "attestation": ev.attestation,
        "published_at": _iso(ev.published_at),
        "is_synthetic": bool(v.is_synthetic or ev.is_synthetic),
        "catalogue_version": kpi.catalogue_version,
    }


def _text(value: Any) -> str:
    """A field as CSV text: numbers exact (shortest round-trip form), booleans as
    true/false, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass
class ExportMeta:
    title: str
    scope: dict[str, Any]
    generated_at: str = ""
    has_synthetic: bool = False

    def __post_init__(self) -> None:
        if not self.generated_at:
            self.generated_at = _iso(timezone.now())

    @property
    def platform(self) -> str:
        return f"{PLATFORM} v{u4ssc.__version__}"

    @property
    def licence_line(self) -> str:
        return f"Licence: {LICENCE['title']} ({LICENCE['path']}). {ATTRIBUTION}"

    @property
    def synthetic_notice(self) -> str:
        return SYNTHETIC_NOTICE if self.has_synthetic else NO_SYNTHETIC_NOTICE


class _Sources:
    """Notes third-party attributions met in the sources while rows stream past."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def see(self, row: dict[str, Any]) -> dict[str, Any]:
        source = row.get("source") or ""
        for key, (_title, sentence, _path) in THIRD_PARTY.items():
            if key not in self.found and sentence.casefold() in source.casefold():
                self.found.add(key)
        return row


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[bytes], *, bom: bool = True) -> int:
    """CSV in UTF-8 (with a byte-order mark by default, so Excel reads Ålesund right), the
    header on the first line: every CSV reader opens it as it is (decision 0508). Each
    row's ``is_synthetic`` marks demo data, and the file's name says "synthetic" when any
    row is."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig" if bom else "utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    n = 0
    for row in rows:
        writer.writerow([_text(escape_formula(row[f])) for f in FIELD_NAMES])
        n += 1
    text.flush()
    text.detach()
    return n


def write_xlsx(rows: Iterable[dict[str, Any]], stream: IO[bytes], meta: ExportMeta) -> int:
    """A workbook with the sheet ``Data`` (one row per value) and ``About`` (licence,
    attribution, field descriptions). Written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in FIELD_NAMES:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    sources = _Sources()
    n = 0
    for row in rows:
        sources.see(row)
        ws.append([escape_formula(row[f]) if row[f] != "" else None for f in FIELD_NAMES])
        n += 1
    about = wb.create_sheet("About")
    about.append([escape_formula(meta.title)])
    about.append(["Synthetic", meta.synthetic_notice])
    about.append(["Generated", meta.generated_at])
    about.append(["Platform", meta.platform])
    about.append(["Rows", n])
    about.append(["Licence", f"{LICENCE['title']} ({LICENCE['path']})"])
    about.append(["Attribution", ATTRIBUTION])
    for key in sorted(sources.found):
        about.append(["Attribution", THIRD_PARTY[key][1]])
    about.append([])
    about.append(["Status", "Meaning"])
    about.append(["reported", "The city reported a figure: see value."])
    about.append(["not_available", "The city has no figure for the year; notes may say why."])
    about.append(["not_applicable", "The KPI does not apply to the city."])
    about.append([])
    about.append(["Field", "Type", "Description"])
    for f in FIELDS:
        about.append([f.name, f.type, f.description])
    wb.save(stream)
    return n


def write_json(rows: Iterable[dict[str, Any]], stream: IO[bytes], meta: ExportMeta) -> int:
    """``{"title", "generated_at", "licence", "attribution", "scope", "fields", "values"}``,
    written value by value."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    head = {
        "title": meta.title,
        "generated_at": meta.generated_at,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "platform": meta.platform,
        "has_synthetic": meta.has_synthetic,
        "notice": meta.synthetic_notice,
        "scope": meta.scope,
        "platform_version": u4ssc.__version__,
        "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in FIELDS],
    }
    text.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "values": [')
    n = 0
    for row in rows:
        text.write(("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False))
        n += 1
    text.write("\n]}\n")
    text.flush()
    text.detach()
    return n


def _constraints(f: Field) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if f.required:
        constraints["required"] = True
    if f.name == "status":
        constraints["enum"] = list(STATUSES)
    return {"constraints": constraints} if constraints else {}


def datapackage_descriptor(meta: ExportMeta, name: str, count: int, found: set[str]) -> dict:
    """``datapackage.json``: the package, its licence and sources, and the Table Schema of
    the one CSV resource."""
    sources = [
        {"title": "U4SSC Implementation Programme platform", "path": "https://u4ssc.itu.int/"}
    ]
    for key in sorted(found):
        title, sentence, path = THIRD_PARTY[key]
        sources.append({"title": title, "path": path, "attribution": sentence})
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": meta.title,
        "description": f"{meta.synthetic_notice} {ATTRIBUTION}"
        if meta.has_synthetic
        else ATTRIBUTION,
        "u4ssc:has_synthetic": meta.has_synthetic,
        "u4ssc:platform": meta.platform,
        "created": meta.generated_at,
        "version": "1.0.0",
        "licenses": [LICENCE],
        "sources": sources,
        "keywords": ["U4SSC", "smart sustainable cities", "KPI", "SDG"],
        "u4ssc:scope": meta.scope,
        "resources": [
            {
                "name": "kpi-values",
                "path": "data/kpi-values.csv",
                "profile": "tabular-data-resource",
                "title": "Published U4SSC KPI values",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "count": count,
                "dialect": {"delimiter": ",", "header": True, "doubleQuote": True},
                "schema": {
                    "fields": [
                        {
                            "name": f.name,
                            "type": f.type,
                            "description": f.description,
                            **_constraints(f),
                            **({"format": "%Y-%m-%dT%H:%M:%SZ"} if f.type == "datetime" else {}),
                        }
                        for f in FIELDS
                    ],
                    "primaryKey": ["city", "year", "kpi_code", "data_point"],
                    "missingValues": [""],
                },
            }
        ],
    }


def write_datapackage(
    rows: Iterable[dict[str, Any]], stream: IO[bytes], meta: ExportMeta, name: str
) -> int:
    """A zip holding ``datapackage.json`` and ``data/kpi-values.csv`` (UTF-8, no BOM)."""
    sources = _Sources()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("data/kpi-values.csv", "w", force_zip64=True) as member:
            n = write_csv((sources.see(r) for r in rows), member, bom=False)
        descriptor = datapackage_descriptor(meta, name, n, sources.found)
        archive.writestr(
            "datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
        )
    return n


def write_export(
    fmt: str,
    values: Iterable[KPIValue],
    stream: IO[bytes],
    meta: ExportMeta,
    name: str,
    submissions: dict[int, Any] | None = None,
) -> int:
    """Write published ``values`` in ``fmt`` into ``stream``; returns the number of rows."""
    rows: Iterator[dict[str, Any]] = (export_row(v, submissions) for v in values)
    if fmt == "csv":
        return write_csv(rows, stream)
    if fmt == "xlsx":
        return write_xlsx(rows, stream, meta)
    if fmt == "json":
        return write_json(rows, stream, meta)
    if fmt == "datapackage":
        return write_datapackage(rows, stream, meta, name)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def export_file(fmt: str, scope: Any) -> tuple[IO[bytes], str, int]:
    """The export of ``scope`` (a :class:`transfer.queries.ExportScope`) in ``fmt``: a file
    positioned at 0 (kept in memory up to 8 MB, then on disk), its name, and its row count."""
    from u4ssc.apps.transfer.queries import export_context, export_values

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    values = export_values(scope)
    context = export_context(values)
    meta = ExportMeta(scope.title, scope.as_dict(), has_synthetic=context.has_synthetic)
    count = write_export(
        fmt, values.iterator(chunk_size=2000), out, meta, scope.name, context.submissions
    )
    out.seek(0)
    # a file on someone's disk says what it holds: "...-synthetic.csv" for demo data
    name = f"{scope.name}-synthetic" if context.has_synthetic else scope.name
    return out, f"{name}.{EXTENSIONS[fmt]}", count
