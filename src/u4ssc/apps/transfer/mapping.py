"""Reading a third-party table through an import profile's mapping.

A mapping (the JSON of ``ImportProfile.mapping``, version 1) says::

    {
      "version": 1,
      "format": "csv",                       # or "xlsx" (then "sheet": name, default first)
      "header_row": 1,                       # the row holding the column names
      "city": {"name": ["City", "City Short Name"], "country": "Country"},
      "year": {"column": "Accounting Year", "take": "end"},   # or "start"
      "blank_values": ["-", "Not Applicable"],   # read as blank cells (with "")
      "on_blank": "skip",                    # blank component: skip, not_available, error
      "unknown_city": "skip",                # a city not in the platform: skip | error
      "values": [
        {
          "kpi": "EN: EN: AQ: 2C",
          "data_point": "",
          "numerator": {"first": [{"column": "Total BASIC Emissions (GPC)"},
                                  {"sum": ["Total Scope 1 ...", "Total Scope 2 ..."]}]},
          "denominator": {"column": "Population"},
          "unit": "tCO2e/capita",
          "quality": null,
          "source": "CDP {Year Reported to CDP}, account {Account Number}. This data ...",
          "notes": "Population of {Population Year}."
        }
      ]
    }

A component is ``{"column": NAME}`` (optionally ``"scale": 1000``), ``{"sum": [...]}`` (the
sum of the non-blank parts, blank when all are blank), ``{"first": [...]}`` (the first part
that is not blank) or ``{"constant": NUMBER}``. Column names are matched after
:func:`normalise_header` (zero-width characters, NBSP, case). ``{Column name}`` in
``source`` and ``notes`` is replaced by the row's cell; ``{file}`` by the file name.
See ``docs/decisions/0504``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.models import ValueStatus
from u4ssc.apps.transfer.intake import ImportRefused
from u4ssc.apps.transfer.matching import CityIndex, CityRef
from u4ssc.apps.transfer.parsing import (
    CellError,
    Origin,
    Parsed,
    cell_text,
    is_blank,
    normalise_header,
    read_number,
    read_year,
    said,
)
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI
from u4ssc.core.checks import Term, Text

MAPPING_VERSION = 1
ON_BLANK = ("skip", "not_available", "error")
UNKNOWN_CITY = ("skip", "error")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(ValueError):
    """The mapping itself is malformed (a profile to correct, not a file)."""


@dataclass(frozen=True)
class Component:
    kind: str  # column | sum | first | constant
    column: str = ""
    parts: tuple[Component, ...] = ()
    scale: float = 1.0
    constant: float | None = None

    def columns(self) -> list[str]:
        if self.kind == "column":
            return [self.column]
        return [c for p in self.parts for c in p.columns()]

    def describe(self) -> str:
        if self.kind == "column":
            return self.column + ("" if self.scale == 1 else f" × {self.scale:g}")
        if self.kind == "constant":
            return f"{self.constant:g}"
        # stored in the notes of every value read: the same whatever the reader's language
        joiner = " + " if self.kind == "sum" else ", else "
        return "(" + joiner.join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True)
class ValueRule:
    kpi: str
    data_point: str
    numerator: Component | None
    denominator: Component | None
    value: Component | None
    unit: str
    quality: int | None
    source: str
    notes: str


@dataclass(frozen=True)
class Mapping:
    file_format: str
    sheet: str
    header_row: int
    city_names: tuple[str, ...]
    country: str
    year_column: str
    year_take: str
    blank_values: tuple[str, ...]
    on_blank: str
    unknown_city: str
    values: tuple[ValueRule, ...]

    def columns(self) -> list[str]:
        cols = [*self.city_names, self.year_column]
        if self.country:
            cols.append(self.country)
        for rule in self.values:
            for comp in (rule.numerator, rule.denominator, rule.value):
                if comp is not None:
                    cols.extend(comp.columns())
            for template in (rule.source, rule.notes):
                cols.extend(
                    p for p in _PLACEHOLDER.findall(template) if p not in ("file", "year", "city")
                )
        return list(dict.fromkeys(cols))


def parse_mapping(data: Any, catalogue: Any | None = None) -> Mapping:
    """Check a mapping document and turn it into a :class:`Mapping`.

    Raises :class:`MappingError` naming the first thing that is wrong. With ``catalogue``
    the KPI codes and data points are checked too.
    """
    if not isinstance(data, dict):
        raise MappingError(_("The mapping must be a JSON object."))
    version = data.get("version", MAPPING_VERSION)
    if version != MAPPING_VERSION:
        raise MappingError(_("Unknown mapping version %(v)s.") % {"v": version})
    file_format = data.get("format", "csv")
    if file_format not in ("csv", "xlsx"):
        raise MappingError(_("format must be csv or xlsx."))
    city = data.get("city")
    if not isinstance(city, dict) or not city.get("name"):
        raise MappingError(_('"city" must name the column(s) holding the city name.'))
    names = city["name"] if isinstance(city["name"], list) else [city["name"]]
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise MappingError(_('"city.name" must be a column name or a list of them.'))
    year = data.get("year")
    if not isinstance(year, dict) or not isinstance(year.get("column"), str):
        raise MappingError(_('"year" must name the column holding the year.'))
    take = year.get("take", "end")
    if take not in ("start", "end"):
        raise MappingError(_('"year.take" must be start or end.'))
    on_blank = data.get("on_blank", "skip")
    if on_blank not in ON_BLANK:
        raise MappingError(_('"on_blank" must be one of %(v)s.') % {"v": ", ".join(ON_BLANK)})
    unknown_city = data.get("unknown_city", "error")
    if unknown_city not in UNKNOWN_CITY:
        raise MappingError(_('"unknown_city" must be skip or error.'))
    blank_values = data.get("blank_values", [])
    if not isinstance(blank_values, list) or not all(isinstance(b, str) for b in blank_values):
        raise MappingError(_('"blank_values" must be a list of texts.'))
    header_row = data.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise MappingError(_('"header_row" must be a row number (1 = first row).'))
    rules_raw = data.get("values")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise MappingError(_('"values" must list at least one KPI.'))
    rules = tuple(_rule(r, i, catalogue) for i, r in enumerate(rules_raw))
    return Mapping(
        file_format=file_format,
        sheet=str(data.get("sheet") or ""),
        header_row=header_row,
        city_names=tuple(names),
        country=str(city.get("country") or ""),
        year_column=year["column"],
        year_take=take,
        blank_values=tuple(blank_values),
        on_blank=on_blank,
        unknown_city=unknown_city,
        values=rules,
    )


def _rule(raw: Any, i: int, catalogue: Any | None) -> ValueRule:
    where = f"values[{i}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("kpi"), str):
        raise MappingError(_("%(w)s must give a KPI code.") % {"w": where})
    kpi_code = raw["kpi"]
    data_point = str(raw.get("data_point") or "")
    if catalogue is not None:
        try:
            catalogue.measurand(kpi_code, data_point)
        except (UnknownKPI, UnknownDataPoint) as exc:
            raise MappingError(f"{where}: {exc}") from exc
    comps = {k: _component(raw.get(k), f"{where}.{k}") for k in ("numerator", "denominator")}
    value = _component(raw.get("value"), f"{where}.value")
    if value is None and (comps["numerator"] is None or comps["denominator"] is None):
        raise MappingError(
            _("%(w)s needs a value, or a numerator and a denominator.") % {"w": where}
        )
    quality = raw.get("quality")
    if quality is not None and quality not in range(1, 7):
        raise MappingError(_("%(w)s.quality must be a grade from 1 to 6.") % {"w": where})
    return ValueRule(
        kpi=kpi_code,
        data_point=data_point,
        numerator=comps["numerator"],
        denominator=comps["denominator"],
        value=value,
        unit=str(raw.get("unit") or ""),
        quality=quality,
        source=str(raw.get("source") or ""),
        notes=str(raw.get("notes") or ""),
    )


def _component(raw: Any, where: str) -> Component | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Component("column", column=raw)
    if not isinstance(raw, dict):
        raise MappingError(_("%(w)s must be an object or a column name.") % {"w": where})
    scale = raw.get("scale", 1)
    if not isinstance(scale, int | float) or isinstance(scale, bool) or scale == 0:
        raise MappingError(_("%(w)s.scale must be a non-zero number.") % {"w": where})
    if "column" in raw:
        if not isinstance(raw["column"], str) or not raw["column"].strip():
            raise MappingError(_("%(w)s.column must be a column name.") % {"w": where})
        return Component("column", column=raw["column"], scale=float(scale))
    for kind in ("sum", "first"):
        if kind in raw:
            parts = raw[kind]
            if not isinstance(parts, list) or not parts:
                raise MappingError(_("%(w)s.%(k)s must be a list.") % {"w": where, "k": kind})
            return Component(
                kind,
                parts=tuple(
                    c
                    for j, p in enumerate(parts)
                    if (c := _component(p, f"{where}.{kind}[{j}]")) is not None
                ),
                scale=float(scale),
            )
    if "constant" in raw:
        if not isinstance(raw["constant"], int | float) or isinstance(raw["constant"], bool):
            raise MappingError(_("%(w)s.constant must be a number.") % {"w": where})
        return Component("constant", constant=float(raw["constant"]))
    raise MappingError(_("%(w)s must have column, sum, first or constant.") % {"w": where})


# --------------------------------------------------------------------------- reading


class _Row:
    """One row of the table, its cells found by normalised column name."""

    def __init__(self, cells: Any, index: dict[str, int], blank_values: tuple[str, ...]):
        self.cells = cells
        self.index = index
        self.blank_values = blank_values

    def raw(self, column: str) -> Any:
        i = self.index[normalise_header(column)]
        return self.cells[i] if i < len(self.cells) else None

    def blank(self, column: str) -> bool:
        return is_blank(self.raw(column), self.blank_values)

    def text(self, column: str) -> str:
        return "" if self.blank(column) else cell_text(self.raw(column))


def _evaluate(comp: Component, row: _Row) -> tuple[float | None, str]:
    """(number or None when blank, what was used) - raises CellError for text."""
    if comp.kind == "constant":
        return comp.constant, comp.describe()
    if comp.kind == "column":
        if row.blank(comp.column):
            return None, ""
        try:
            number = read_number(row.raw(comp.column))
        except CellError as exc:
            exc.column = comp.column  # type: ignore[attr-defined]
            raise
        return (None, "") if number is None else (number * comp.scale, comp.describe())
    if comp.kind == "first":
        for part in comp.parts:
            number, used = _evaluate(part, row)
            if number is not None:
                return number * comp.scale, used
        return None, ""
    total = 0.0
    used_parts = []
    for part in comp.parts:
        number, used = _evaluate(part, row)
        if number is not None:
            total += number
            used_parts.append(used)
    if not used_parts:
        return None, ""
    return total * comp.scale, " + ".join(used_parts)


def _fill(template: str, row: _Row, extra: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in extra:
            return extra[name]
        try:
            return row.text(name)
        except KeyError:
            return m.group(0)

    return re.sub(r"\s+", " ", _PLACEHOLDER.sub(sub, template)).strip()


def read_mapped(
    rows: Iterable[tuple[int, Any]],
    *,
    mapping: Mapping,
    catalogue: Any,
    cities: CityIndex,
    file_name: str,
    city: CityRef | None = None,
    where: str = "",
) -> Parsed:
    """Read a third-party table through ``mapping``.

    With ``city`` (uploaded on a city's page) rows of other cities are skipped, listed as
    information: a national table usually holds many cities.
    """
    parsed = Parsed(kind="profile")
    iterator = iter(rows)
    header: Any = None
    for number, cells in iterator:
        if number >= mapping.header_row:
            header = cells
            break
    if header is None:
        raise ImportRefused("no_rows", Text(gettext_noop("The file has no header row.")))
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        norm = normalise_header(h)
        if norm and norm not in index:
            index[norm] = i
    missing = [c for c in mapping.columns() if normalise_header(c) not in index]
    if missing:
        hints = []
        for col in missing:
            near = difflib.get_close_matches(normalise_header(col), list(index), n=1, cutoff=0.6)
            hints.append(f"“{col}”" + (f" (found “{near[0]}”?)" if near else ""))
        raise ImportRefused(
            "missing_columns",
            Text(
                gettext_noop(
                    "The file does not have the columns this profile reads: %(cols)s. Is it "
                    "the right profile for this file?"
                ),
                {"cols": "; ".join(hints)},
            ),
            expected=", ".join(mapping.columns()),
        )
    rules = []
    for rule in mapping.values:
        kpi = catalogue.get(rule.kpi)
        rules.append((rule, kpi, catalogue.measurand(kpi.code, rule.data_point)))

    for number, cells in iterator:
        parsed.rows += 1
        ref = f"{where}row {number}"
        row = _Row(cells, index, mapping.blank_values)
        name_col = next((c for c in mapping.city_names if not row.blank(c)), mapping.city_names[0])
        name = row.text(name_col)
        country = row.text(mapping.country) if mapping.country else None
        found, problem = cities.find(name, country)
        if found is None:
            label = f"{name} ({country})" if country else name
            if mapping.unknown_city == "skip" and problem in ("unknown", "blank"):
                parsed.skip(
                    "unknown_city",
                    Text(
                        gettext_noop("Skipped: %(city)s is not a city of the platform."),
                        {"city": label},
                    ),
                    row=ref,
                    column=name_col,
                    value=name,
                )
                continue
            parsed.error(
                "unknown_city",
                Text(gettext_noop("No city of the platform matches %(city)s."), {"city": label})
                if problem != "ambiguous"
                else Text(
                    gettext_noop("Several cities of the platform match %(city)s."), {"city": label}
                ),
                row=ref,
                column=name_col,
                value=name,
                expected=Text(gettext_noop("a city of the platform (name and country)")),
            )
            continue
        if city is not None and found.id != city.id:
            parsed.skip(
                "other_city",
                Text(
                    gettext_noop(
                        "Skipped: the row is for %(other)s; you are importing for %(city)s."
                    ),
                    {"other": found.name, "city": city.name},
                ),
                row=ref,
                column=name_col,
                value=name,
            )
            continue
        try:
            year = (
                None
                if row.blank(mapping.year_column)
                else read_year(row.raw(mapping.year_column), mapping.year_take)
            )
        except CellError as exc:
            parsed.error(
                "cell",
                said(exc),
                row=ref,
                column=mapping.year_column,
                value=cell_text(row.raw(mapping.year_column)),
                expected=exc.expected,
            )
            continue
        if year is None:
            if mapping.on_blank == "error":
                parsed.error(
                    "blank",
                    Text(gettext_noop("The year is empty.")),
                    row=ref,
                    column=mapping.year_column,
                    expected=Text(gettext_noop("a year")),
                )
            else:
                parsed.skip(
                    "blank_year",
                    Text(
                        gettext_noop("Skipped: %(city)s has no year in this row."),
                        {"city": found.name},
                    ),
                    row=ref,
                    column=mapping.year_column,
                    value=cell_text(row.raw(mapping.year_column)),
                )
            continue
        for rule, kpi, measurand in rules:
            # one input per KPI of the row: its ref must tell them apart
            label = " ".join(p for p in (kpi.code, rule.data_point) if p)
            rule_ref = ref if len(rules) == 1 else f"{ref} ({label})"
            _read_rule(parsed, row, rule_ref, rule, kpi, measurand, found, year, mapping, file_name)
    return parsed


def _read_rule(
    parsed: Parsed,
    row: _Row,
    ref: str,
    rule: ValueRule,
    kpi: Any,
    measurand: Any,
    city: CityRef,
    year: int,
    mapping: Mapping,
    file_name: str,
) -> None:
    numbers: dict[str, float | None] = {}
    used: dict[str, str] = {}
    for field_name in ("numerator", "denominator", "value"):
        comp = getattr(rule, field_name)
        if comp is None:
            continue
        try:
            numbers[field_name], used[field_name] = _evaluate(comp, row)
        except CellError as exc:
            column = getattr(exc, "column", "")
            parsed.error(
                "cell",
                said(exc),
                row=ref,
                column=column,
                value=cell_text(row.raw(column)) if column else "",
                expected=exc.expected,
                kpi_code=kpi.code,
            )
            return
    blank = [f for f, n in numbers.items() if n is None]
    if rule.value is not None and numbers.get("value") is not None:
        blank = []
    if blank:
        comp = getattr(rule, blank[0])
        if mapping.on_blank == "error":
            parsed.error(
                "blank",
                Text(
                    gettext_noop("The %(component)s of %(kpi)s is empty."),
                    {"component": Term(blank[0]), "kpi": kpi.code},
                ),
                row=ref,
                column=", ".join(comp.columns()),
                expected=Text(gettext_noop("a number")),
                kpi_code=kpi.code,
            )
            return
        if mapping.on_blank == "skip":
            parsed.skip(
                "blank_value",
                Text(
                    gettext_noop(
                        "Skipped %(kpi)s for %(city)s %(year)s: the %(component)s is empty."
                    ),
                    {
                        "kpi": kpi.code,
                        "city": city.name,
                        "year": str(year),
                        "component": Term(blank[0]),
                    },
                ),
                row=ref,
                column=", ".join(comp.columns()),
                kpi_code=kpi.code,
            )
            return
    extra = {"file": file_name, "year": str(year), "city": city.name}
    notes = _fill(rule.notes, row, extra)
    provenance = "; ".join(f"{k}: {v}" for k, v in used.items() if v)
    inp = ValueInput(
        city_id=city.id,
        year=year,
        kpi_code=kpi.code,
        data_point=measurand.data_point,
        unit=rule.unit,
        source=_fill(rule.source, row, extra),
        quality=rule.quality,
        notes=" ".join(p for p in (notes, f"[{provenance}]" if provenance else "") if p),
        ref=ref,
    )
    if blank:  # on_blank == "not_available"
        inp.status = ValueStatus.NOT_AVAILABLE
    else:
        inp.numerator = numbers.get("numerator") if rule.value is None else None
        inp.denominator = numbers.get("denominator") if rule.value is None else None
        inp.value = numbers.get("value")
    origins = {
        f: Origin(ref, used.get(f) or (getattr(rule, f).describe() if getattr(rule, f) else f))
        for f in ("numerator", "denominator", "value")
        if getattr(rule, f) is not None
    }
    origins["kpi_code"] = Origin(ref, "", kpi.code)
    parsed.add_input(inp, origins)
