"""The long table: one row per component of a KPI value.

Columns (header names in English or Norwegian, any order, case and spacing ignored):

=============  ====================================================================
city           the city's slug or name (optional on a city's upload page)
country        optional, to tell apart two cities of the same name
year           the year of the data (optional on a city's upload page)
kpi            the KPI code, either official spelling (``SC: EH: ED:1C`` / ``ED: 1C``)
data_point     the data point of a multi-point KPI (``pm2_5``, ``PM2.5``), else blank
component      ``numerator``, ``denominator`` or ``value`` (blank = value)
value          the number (yes/no for yes-no KPIs)
unit           the unit of the KPI value (not of the component); optional
source         where the figure comes from
quality        data-quality grade 1-6
status         reported (default), not available, not applicable; optional
notes          optional
=============  ====================================================================

Rows are grouped by (city, year, KPI, data point) into one value; the group's source,
quality, unit, status and notes may be written on any of its rows but must not disagree.
See ``docs/decisions/0503``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.models import ValueStatus
from u4ssc.apps.transfer.intake import ImportRefused
from u4ssc.apps.transfer.matching import CityIndex, CityRef
from u4ssc.apps.transfer.parsing import (
    CellError,
    Origin,
    Parsed,
    cell_text,
    match_columns,
    read_boolean,
    read_number,
    read_quality,
    read_status,
    read_year,
)
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI

COLUMNS: dict[str, tuple[str, ...]] = {
    "city": ("city", "city slug", "city name", "by", "kommune", "municipality"),
    "country": ("country", "country code", "land", "landkode"),
    "year": ("year", "år", "aar", "reporting year"),
    "kpi": ("kpi", "kpi code", "kpi_code", "code", "kode", "kpi-kode", "kpi kode"),
    "data_point": ("data point", "data_point", "datapoint", "datapunkt"),
    "component": ("component", "komponent"),
    "value": ("value", "verdi"),
    "unit": ("unit", "enhet"),
    "source": ("source", "kilde"),
    "quality": (
        "quality",
        "data quality",
        "quality grade",
        "data quality grade",
        "kvalitet",
        "datakvalitet",
    ),
    "status": ("status",),
    "notes": ("notes", "note", "comment", "comments", "merknad", "merknader", "kommentar"),
}
REQUIRED = ("kpi", "value")
COMPONENTS = {
    "value": "value",
    "verdi": "value",
    "numerator": "numerator",
    "teller": "numerator",
    "denominator": "denominator",
    "nevner": "denominator",
}
GROUP_FIELDS = ("status", "unit", "source", "quality", "notes")


def looks_long(headers: Iterable[Any]) -> bool:
    index, _unknown = match_columns(headers, COLUMNS)
    return all(k in index for k in REQUIRED)


@dataclass
class _Group:
    inp: ValueInput
    origins: dict[str, Origin]
    components: dict[str, str] = field(default_factory=dict)  # component -> row ref
    first_row: str = ""
    failed: bool = False  # a row of it could not be read: already reported, not imported


def read_long(
    rows: Iterable[tuple[int, list[Any] | tuple[Any, ...]]],
    *,
    catalogue: Any,
    cities: CityIndex,
    city: CityRef | None = None,
    year: int | None = None,
    where: str = "",
) -> Parsed:
    """Read a long table. ``city``/``year`` come from the page the file was uploaded on:
    the columns may then be left out, and rows of another city or year are errors."""
    parsed = Parsed(kind="long_csv")
    iterator = iter(rows)
    try:
        _number, header = next(iterator)
    except StopIteration:
        raise ImportRefused(
            "no_rows", _("The file has no rows."), expected=_("a header row")
        ) from None
    index, unknown = match_columns(header, COLUMNS)
    required = list(REQUIRED)
    if city is None:
        required.append("city")
    if year is None:
        required.append("year")
    missing = [k for k in required if k not in index]
    if missing:
        raise ImportRefused(
            "missing_columns",
            _(
                "The header row has no column %(missing)s. A long CSV has the columns "
                "city, year, kpi, data_point, component, value, unit, source, quality. "
                "Is this a third-party table? Then choose its import profile."
            )
            % {"missing": ", ".join(missing)},
            expected=", ".join(COLUMNS),
            given=", ".join(cell_text(h) for h in header if cell_text(h)),
        )
    for name in unknown:
        parsed.info("ignored_column", _("This column is not used."), column=name)
    names = {key: cell_text(header[i]) for key, i in index.items()}

    groups: dict[tuple[int, int, str, str], _Group] = {}
    for number, cells in iterator:
        parsed.rows += 1
        ref = f"{where}row {number}" if where else f"row {number}"

        def get(key: str, cells: Any = cells) -> Any:
            i = index.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        def bad(key: str, message: str, expected: str = "", ref: str = ref) -> None:
            parsed.error(
                "cell",
                message,
                row=ref,
                column=names.get(key, key),
                value=cell_text(get(key)),
                expected=expected,
            )

        # where the row belongs
        row_city = city
        if "city" in index:
            found, problem = cities.find(
                cell_text(get("city")), cell_text(get("country")) if "country" in index else None
            )
            if found is None:
                bad("city", _city_message(problem), _("a city slug or name known to the platform"))
                continue
            if city is not None and found.id != city.id:
                bad(
                    "city",
                    _("This row is for %(other)s, but you are importing for %(city)s.")
                    % {"other": found.name, "city": city.name},
                    city.name,
                )
                continue
            row_city = found
        assert row_city is not None
        row_year = year
        if "year" in index:
            try:
                row_year = read_year(get("year"), take="end")
            except CellError as exc:
                bad("year", str(exc), exc.expected)
                continue
            if row_year is None:
                bad("year", _("The year is empty."), _("a year such as 2024"))
                continue
            if year is not None and row_year != year:
                bad(
                    "year",
                    _("This row is for %(other)s, but you are importing %(year)s.")
                    % {"other": row_year, "year": year},
                    str(year),
                )
                continue
        assert row_year is not None
        code = cell_text(get("kpi"))
        point_raw = cell_text(get("data_point"))
        try:
            kpi = catalogue.get(code)
            measurand = catalogue.measurand(kpi.code, point_raw)
        except UnknownKPI as exc:
            bad("kpi", str(exc), _("a U4SSC KPI code such as EC: ICT: ICT: 1C"))
            continue
        except UnknownDataPoint as exc:
            parsed.error(
                "cell",
                str(exc),
                row=ref,
                column=names.get("data_point", "data_point"),
                value=point_raw,
                expected=", ".join(exc.known),
                kpi_code=kpi.code,
            )
            continue
        component = COMPONENTS.get(cell_text(get("component")).casefold() or "value")
        if component is None:
            bad("component", _("Unknown component."), _("numerator, denominator or value"))
            continue

        key = (row_city.id, row_year, kpi.key, measurand.data_point)
        group = groups.get(key)
        if group is None:
            inp = ValueInput(
                city_id=row_city.id,
                year=row_year,
                kpi_code=kpi.code,
                data_point=measurand.data_point,
                ref=ref,
            )
            group = _Group(inp, {"kpi_code": Origin(ref, names["kpi"], code)}, first_row=ref)
            groups[key] = group
        if component in group.components:
            bad(
                "component" if "component" in index else "kpi",
                _(
                    "Duplicate row: the %(component)s of this KPI for this city and year is "
                    "already on %(other)s."
                )
                % {"component": component, "other": group.components[component]},
                _("one row per city, year, KPI, data point and component"),
            )
            continue
        group.components[component] = ref

        row_ok = True
        for fname in GROUP_FIELDS:
            raw = get(fname)
            if raw is None or not cell_text(raw):
                continue
            try:
                new = _read_field(fname, raw)
            except CellError as exc:
                bad(fname, str(exc), exc.expected)
                row_ok = False
                continue
            old_origin = group.origins.get(fname)
            if old_origin is not None and getattr(group.inp, fname) != new:
                bad(
                    fname,
                    _("This disagrees with %(other)s of the same KPI (%(given)s).")
                    % {"other": old_origin.row, "given": old_origin.value},
                    old_origin.value,
                )
                row_ok = False
                continue
            setattr(group.inp, fname, new)
            group.origins[fname] = Origin(ref, names.get(fname, fname), cell_text(raw))
        if not row_ok:
            group.failed = True
            continue
        raw_value = get("value")
        try:
            number = (
                read_boolean(raw_value)
                if measurand.measure.kind == "boolean" and component == "value"
                else read_number(raw_value)
            )
        except CellError as exc:
            bad("value", str(exc), exc.expected)
            group.failed = True
            continue
        if number is None and group.inp.status == ValueStatus.REPORTED:
            bad(
                "value",
                _("The value is empty."),
                _("a number, or not available in the status column"),
            )
            group.failed = True
            continue
        setattr(group.inp, component, number)
        group.origins[component] = Origin(ref, names["value"], cell_text(raw_value))

    for group in groups.values():
        if not group.failed:
            parsed.add_input(group.inp, group.origins)
    return parsed


def _read_field(name: str, raw: Any) -> Any:
    if name == "status":
        return read_status(raw)
    if name == "quality":
        return read_quality(raw)
    return cell_text(raw)


def _city_message(problem: str) -> str:
    if problem == "ambiguous":
        return _("Several cities have this name: use the city's slug, or add a country column.")
    if problem == "unknown_country":
        return _("The country is not known.")
    if problem == "blank":
        return _("The city is empty.")
    return _("There is no such city in the platform.")
