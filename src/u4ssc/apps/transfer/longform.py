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
version        optional: the version of the stored value the row was made from (as the
               API lists it); a value changed since is refused where the row would
               change it (decision 0510). Without it, the file's values replace the
               stored ones (each change kept in the value's history).
=============  ====================================================================

Rows are grouped by (city, year, KPI, data point) into one value; the group's source,
quality, unit, status and notes may be written on any of its rows but must not disagree.
See ``docs/decisions/0503``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.messages import place
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
    read_version,
    read_year,
    said,
)
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI
from u4ssc.core.checks import Term, Text

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
    "version": ("version", "versjon", "expected_version", "base_version"),
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
GROUP_FIELDS = ("status", "unit", "source", "quality", "notes", "version")
# a group field kept under another name on the ValueInput
ATTRIBUTE = {"version": "base_version"}


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
            "no_rows",
            Text(gettext_noop("The file has no rows.")),
            expected=Text(gettext_noop("a header row")),
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
            Text(
                gettext_noop(
                    "The header row has no column %(missing)s. A long CSV has the columns "
                    "city, year, kpi, data_point, component, value, unit, source, quality. "
                    "Is this a third-party table? Then choose its import profile."
                ),
                {"missing": ", ".join(missing)},
            ),
            expected=", ".join(COLUMNS),
            given=", ".join(cell_text(h) for h in header if cell_text(h)),
        )
    for name in unknown:
        parsed.info("ignored_column", Text(gettext_noop("This column is not used.")), column=name)
    names = {key: cell_text(header[i]) for key, i in index.items()}

    reader = _Rows(parsed, index, names, catalogue, cities, city, year)
    for number, cells in iterator:
        parsed.rows += 1
        reader.row(f"{where}row {number}", cells)
    for group in reader.groups.values():
        if not group.failed:
            parsed.add_input(group.inp, group.origins)
    return parsed


class _Rows:
    """Reads the data rows of a long table into groups (one per value).

    A file of 100 000 rows names the same cities, years, KPI codes and grades over and
    over: each distinct text is resolved once (the ``memo`` dictionaries).
    """

    def __init__(
        self,
        parsed: Parsed,
        index: dict[str, int],
        names: dict[str, str],
        catalogue: Any,
        cities: CityIndex,
        city: CityRef | None,
        year: int | None,
    ) -> None:
        self.parsed = parsed
        self.index = index
        self.names = names
        self.catalogue = catalogue
        self.cities = cities
        self.city = city
        self.year = year
        self.width = max(index.values()) + 1
        # optional fields present in the file, with their column
        self.group_fields = [(f, index[f]) for f in GROUP_FIELDS if f in index]
        self.groups: dict[tuple[int, int, str, str], _Group] = {}
        self.memo: dict[tuple[str, Any], tuple[Any, Exception | None]] = {}

    def _memo(self, kind: str, raw: Any, compute: Any) -> tuple[Any, Exception | None]:
        key = (kind, raw)
        found = self.memo.get(key)
        if found is None:
            try:
                found = (compute(), None)
            except (CellError, UnknownKPI, UnknownDataPoint) as exc:
                found = (None, exc)
            self.memo[key] = found
        return found

    def _bad(
        self, ref: str, cells: Any, key: str, message: str, expected: str = "", kpi: str = ""
    ) -> None:
        i = self.index.get(key)
        self.parsed.error(
            "cell",
            message,
            row=ref,
            column=self.names.get(key, key),
            value=cell_text(cells[i]) if i is not None else "",
            expected=expected,
            kpi_code=kpi,
        )

    def row(self, ref: str, cells: Any) -> None:
        index = self.index
        if len(cells) < self.width:
            cells = [*cells, *([None] * (self.width - len(cells)))]

        # where the row belongs
        row_city = self.city
        if "city" in index:
            name = cell_text(cells[index["city"]])
            country = cell_text(cells[index["country"]]) if "country" in index else None
            (found, problem), _exc = self._memo(
                "city", (name, country), lambda: self.cities.find(name, country)
            )
            if found is None:
                self._bad(
                    ref,
                    cells,
                    "city",
                    _city_message(problem),
                    Text(gettext_noop("a city slug or name known to the platform")),
                )
                return
            if self.city is not None and found.id != self.city.id:
                self._bad(
                    ref,
                    cells,
                    "city",
                    Text(
                        gettext_noop(
                            "This row is for %(other)s, but you are importing for %(city)s."
                        ),
                        {"other": found.name, "city": self.city.name},
                    ),
                    self.city.name,
                )
                return
            row_city = found
        assert row_city is not None
        row_year = self.year
        if "year" in index:
            raw_year = cells[index["year"]]
            row_year, exc = self._memo("year", raw_year, lambda: read_year(raw_year, take="end"))
            if exc is not None:
                self._bad(ref, cells, "year", said(exc), getattr(exc, "expected", ""))
                return
            if row_year is None:
                self._bad(
                    ref,
                    cells,
                    "year",
                    Text(gettext_noop("The year is empty.")),
                    Text(gettext_noop("a year such as 2024")),
                )
                return
            if self.year is not None and row_year != self.year:
                self._bad(
                    ref,
                    cells,
                    "year",
                    Text(
                        gettext_noop("This row is for %(other)s, but you are importing %(year)s."),
                        {"other": str(row_year), "year": str(self.year)},
                    ),
                    str(self.year),
                )
                return
        assert row_year is not None
        code = cell_text(cells[index["kpi"]])
        point = cell_text(cells[index["data_point"]]) if "data_point" in index else ""
        found_kpi, exc = self._memo("kpi", (code, point), lambda: self._kpi(code, point))
        if isinstance(exc, UnknownKPI):
            self._bad(
                ref,
                cells,
                "kpi",
                said(exc),
                Text(gettext_noop("a U4SSC KPI code such as EC: ICT: ICT: 1C")),
            )
            return
        if isinstance(exc, UnknownDataPoint):
            self._bad(ref, cells, "data_point", said(exc), ", ".join(exc.known), exc.kpi_code)
            return
        kpi, measurand = found_kpi
        raw_component = cell_text(cells[index["component"]]) if "component" in index else ""
        component = COMPONENTS.get(raw_component.casefold() or "value")
        if component is None:
            self._bad(
                ref,
                cells,
                "component",
                Text(gettext_noop("Unknown component.")),
                Text(gettext_noop("numerator, denominator or value")),
            )
            return

        key = (row_city.id, row_year, kpi.key, measurand.data_point)
        group = self.groups.get(key)
        if group is None:
            inp = ValueInput(
                city_id=row_city.id,
                year=row_year,
                kpi_code=kpi.code,
                data_point=measurand.data_point,
                ref=ref,
            )
            group = _Group(inp, {"kpi_code": Origin(ref, self.names["kpi"], code)}, first_row=ref)
            self.groups[key] = group
        if component in group.components:
            self._bad(
                ref,
                cells,
                "component" if "component" in index else "kpi",
                Text(
                    gettext_noop(
                        "Duplicate row: the %(component)s of this KPI for this city and year is "
                        "already on %(other)s."
                    ),
                    {"component": Term(component), "other": place(group.components[component])},
                ),
                Text(gettext_noop("one row per city, year, KPI, data point and component")),
            )
            return
        group.components[component] = ref

        row_ok = True
        for fname, i in self.group_fields:
            raw = cells[i]
            text = cell_text(raw)
            if not text:
                continue
            if fname in ("status", "quality", "version"):
                new, exc = self._memo(fname, text, lambda f=fname, r=raw: _read_field(f, r))
                if exc is not None:
                    self._bad(ref, cells, fname, said(exc), getattr(exc, "expected", ""))
                    row_ok = False
                    continue
            else:
                new = text
            attribute = ATTRIBUTE.get(fname, fname)
            old_origin = group.origins.get(fname)
            if old_origin is not None and getattr(group.inp, attribute) != new:
                self._bad(
                    ref,
                    cells,
                    fname,
                    Text(
                        gettext_noop("This disagrees with %(other)s of the same KPI (%(given)s)."),
                        {"other": place(old_origin.row), "given": old_origin.value},
                    ),
                    old_origin.value,
                )
                row_ok = False
                continue
            setattr(group.inp, attribute, new)
            group.origins[fname] = Origin(ref, self.names[fname], text)
        if not row_ok:
            group.failed = True
            return
        raw_value = cells[index["value"]]
        try:
            number = (
                read_boolean(raw_value)
                if component == "value" and measurand.measure.kind == "boolean"
                else read_number(raw_value)
            )
        except CellError as exc:
            self._bad(ref, cells, "value", said(exc), exc.expected)
            group.failed = True
            return
        if number is None and group.inp.status == ValueStatus.REPORTED:
            self._bad(
                ref,
                cells,
                "value",
                Text(gettext_noop("The value is empty.")),
                Text(gettext_noop("a number, or not available in the status column")),
            )
            group.failed = True
            return
        setattr(group.inp, component, number)
        group.origins[component] = Origin(ref, self.names["value"], cell_text(raw_value))

    def _kpi(self, code: str, point: str) -> tuple[Any, Any]:
        kpi = self.catalogue.get(code)
        return kpi, self.catalogue.measurand(kpi.code, point)


def _read_field(name: str, raw: Any) -> Any:
    if name == "status":
        return read_status(raw)
    if name == "version":
        return read_version(raw)
    return read_quality(raw)


def _city_message(problem: str) -> str:
    if problem == "ambiguous":
        return Text(
            gettext_noop(
                "Several cities have this name: use the city's slug, or add a country column."
            )
        )
    if problem == "unknown_country":
        return Text(gettext_noop("The country is not known."))
    if problem == "blank":
        return Text(gettext_noop("The city is empty."))
    return Text(gettext_noop("There is no such city in the platform."))
