"""The data-collection workbook: made for a city and year, filled by the city, read back.

Sheets (see ``docs/decisions/0502``):

``Instructions``  how to fill the workbook, in English and Norwegian.
``Data``          one row per KPI, or per data point of a multi-point KPI: code, names,
                  category, data point, unit, how the value is computed (locked, grey),
                  then status, numerator, denominator, value, source, data-quality grade
                  and notes (open), and a hidden column with the version of each stored
                  value the workbook was made from. Two header rows: English, then
                  Norwegian. Stored values are filled in, so a city can correct and send
                  back; a row whose value someone changed after the workbook was made is
                  refused when the workbook would undo that change (decision 0510).
``Lists``         the status choices and the six data-quality grades (the drop-downs).
``_meta``         hidden: format, city slug, year, catalogue version, when it was made.

Reading goes by header names, not positions, so moved columns still read; a row whose
open cells are all blank changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import u4ssc
from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.models import KPIValue, ValueStatus
from u4ssc.apps.transfer.intake import ImportRefused, sheet_rows
from u4ssc.apps.transfer.matching import CityIndex, CityRef
from u4ssc.apps.transfer.parsing import (
    CellError,
    Origin,
    Parsed,
    cell_text,
    match_columns,
    normalise_header,
    read_boolean,
    read_number,
    read_quality,
    read_status,
    read_version,
    said,
)
from u4ssc.apps.transfer.textcells import set_text
from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI
from u4ssc.core.checks import Text

FORMAT = "u4ssc-data-collection-workbook"
# 2: the hidden column "Version" (the stored value's version when the workbook was made)
FORMAT_VERSION = 2
DATA_SHEET = "Data"
META_SHEET = "_meta"
LISTS_SHEET = "Lists"
FIRST_DATA_ROW = 3

VERSION_HEADER = "Version (do not change)"
# key, English header, Norwegian header, width, open for entry
COLUMNS: tuple[tuple[str, str, str, int, bool], ...] = (
    ("code", "Code", "Kode", 17, False),
    ("kpi", "KPI", "KPI (engelsk)", 34, False),
    ("kpi_nb", "KPI (Norwegian)", "KPI", 34, False),
    ("category", "Category", "Kategori", 26, False),
    ("data_point", "Data point", "Datapunkt", 16, False),
    ("unit", "Unit", "Enhet", 18, False),
    ("how", "How the value is computed", "Slik beregnes verdien", 44, False),
    ("status", "Status", "Status", 28, True),
    ("numerator", "Numerator", "Teller", 14, True),
    ("denominator", "Denominator", "Nevner", 14, True),
    ("value", "Value", "Verdi", 14, True),
    ("source", "Source", "Kilde", 34, True),
    ("quality", "Data quality grade", "Datakvalitet", 30, True),
    ("notes", "Notes", "Merknader", 40, True),
    ("version", VERSION_HEADER, "Versjon (ikke endre)", 12, False),
)
READ_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "kode", "kpi code", "kpi-kode"),
    "data_point": ("data point", "datapunkt"),
    "status": ("status",),
    "numerator": ("numerator", "teller"),
    "denominator": ("denominator", "nevner"),
    "value": ("value", "verdi"),
    "source": ("source", "kilde"),
    "quality": ("data quality grade", "datakvalitet", "quality", "data quality", "kvalitet"),
    "notes": ("notes", "merknader", "comments", "kommentar"),
    "version": ("version (do not change)", "versjon (ikke endre)", "version", "versjon"),
}
ENTRY = ("status", "numerator", "denominator", "value", "source", "quality", "notes")
HEADER_WORDS = {alias for aliases in READ_COLUMNS.values() for alias in aliases}

STATUS_LABELS = {
    ValueStatus.REPORTED: "Reported / Rapportert",
    ValueStatus.NOT_AVAILABLE: "Not available / Ikke tilgjengelig",
    ValueStatus.NOT_APPLICABLE: "Not applicable / Ikke relevant",
}
QUALITY_NB = {
    1: "Basert på nøyaktige målinger",
    2: "Pålitelige data med små hull",
    3: "Anslått fra pålitelige data",
    4: "Ekstrapolert eller modellert",
    5: "Ekspertvurdering, delvis sporbar",
    6: "Ukjent metode, ikke sporbar",
}
QUALITY_EN = {
    1: "Based on accurate measurements",
    2: "Reliable data with minor gaps",
    3: "Estimated from reliable data",
    4: "Extrapolated or modelled",
    5: "Expert judgement, partly traceable",
    6: "Unknown methodology, not traceable",
}

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    (
        "Fill the sheet “Data”: one row per KPI, or per data point of a KPI.",
        "Fyll ut arket «Data»: én rad per KPI, eller per datapunkt i en KPI.",
    ),
    (
        "Grey columns are fixed. Enter data in the white columns only.",
        "Grå kolonner er låst. Skriv bare i de hvite kolonnene.",
    ),
    (
        "Most KPIs are computed from components: enter the numerator and the denominator and "
        "leave Value blank; the platform computes it. Or enter the Value directly.",
        "De fleste KPI-ene beregnes fra komponenter: fyll inn teller og nevner og la Verdi stå "
        "tom; plattformen beregner den. Eller fyll inn verdien direkte.",
    ),
    (
        "Percentages are numbers from 0 to 100: write 95.5 for 95.5 %, not 0.955.",
        "Prosenter er tall fra 0 til 100: skriv 95,5 for 95,5 %, ikke 0,955.",
    ),
    (
        "Choose the status: reported, not available or not applicable.",
        "Velg status: rapportert, ikke tilgjengelig eller ikke relevant.",
    ),
    (
        "Name the source of every value and choose its data-quality grade (1-6, sheet Lists).",
        "Oppgi kilden for hver verdi og velg datakvalitet (1-6, arket Lists).",
    ),
    (
        "Rows left blank change nothing. To withdraw a value, set its status to “not available”.",
        "Tomme rader endrer ingenting. For å trekke tilbake en verdi, sett status til "
        "«ikke tilgjengelig».",
    ),
    (
        "Upload the file on the city's data page (“Upload a filled workbook or CSV”). The "
        "whole file is checked first; if anything is wrong nothing is saved and the report "
        "names each problem by row and column. Correct the file and upload it again.",
        "Last opp filen på byens dataside («Last opp en utfylt arbeidsbok eller CSV»). Hele "
        "filen kontrolleres først; er noe feil, lagres ingenting, og rapporten viser hver "
        "feil med rad og kolonne. Rett filen og last den opp igjen.",
    ),
    (
        "Do not delete the hidden sheet “_meta”: it tells the platform which city and year "
        "the workbook is for.",
        "Ikke slett det skjulte arket «_meta»: det forteller plattformen hvilken by og hvilket "
        "år arbeidsboken gjelder.",
    ),
    (
        "The hidden column “Version” says which version of each value the workbook was made "
        "from. If someone changes a value on the platform after you downloaded the workbook, "
        "the upload refuses that row rather than undo their change: clear the row, or copy "
        "your figure into a freshly downloaded workbook.",
        "Den skjulte kolonnen «Versjon» viser hvilken versjon av hver verdi arbeidsboken ble "
        "laget fra. Endrer noen en verdi på plattformen etter at du lastet ned arbeidsboken, "
        "avvises den raden ved opplasting i stedet for å oppheve endringen: tøm raden, eller "
        "skriv tallet ditt inn i en nylig nedlastet arbeidsbok.",
    ),
)

_HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
_NB_FILL = PatternFill("solid", fgColor="DCE6F0")
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
_UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")


def _how(measurand: Any) -> str:
    m = measurand.measure
    if m.kind == "ratio":
        mult = m.multiplier or 1
        tail = "" if mult == 1 else f" × {mult:,.0f}".replace(",", " ")
        return f"{m.numerator} / {m.denominator}{tail}"
    if m.kind == "boolean":
        return "yes / no (ja / nei)"
    return "enter the value (fyll inn verdien)"


def _quality_label(grade: int) -> str:
    return f"{grade} – {QUALITY_EN[grade]} / {QUALITY_NB[grade]}"


def build_workbook(
    *, city: Any, year: int, values: Iterable[KPIValue], catalogue: Any, stream: IO[bytes]
) -> None:
    """Write the data-collection workbook of ``city`` for ``year`` into ``stream``.

    ``values`` are the stored values of that city-year (to fill in); ``catalogue`` the
    KPI catalogue whose measurands make the rows.
    """
    stored = {(v.kpi.key, v.data_point): v for v in values}
    synthetic = any(v.is_synthetic or v.evaluation.is_synthetic for v in stored.values())
    wb = Workbook()
    instructions = wb.active
    instructions.title = "Instructions"
    _instructions(instructions, city, year, catalogue, synthetic=synthetic)

    ws = wb.create_sheet(DATA_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    meta = wb.create_sheet(META_SHEET)

    for col, (_key, en, nb, width, _open) in enumerate(COLUMNS, start=1):
        top = ws.cell(row=1, column=col, value=en)
        top.font = Font(bold=True, color="FFFFFF")
        top.fill = _HEADER_FILL
        top.alignment = Alignment(wrap_text=True, vertical="top")
        second = ws.cell(row=2, column=col, value=nb)
        second.font = Font(italic=True)
        second.fill = _NB_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    col_of = {key: i for i, (key, *_rest) in enumerate(COLUMNS, start=1)}

    # drop-downs from the Lists sheet
    lists.append(["Status", "Data quality grade / Datakvalitet"])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    statuses = list(STATUS_LABELS.values())
    for i in range(max(len(statuses), len(QUALITY_EN))):
        lists.append(
            [
                statuses[i] if i < len(statuses) else None,
                _quality_label(i + 1) if i < len(QUALITY_EN) else None,
            ]
        )
    lists.column_dimensions["A"].width = 36
    lists.column_dimensions["B"].width = 80
    lists.protection.sheet = True

    row = FIRST_DATA_ROW
    booleans: list[str] = []
    for kpi in catalogue.kpis:
        category = f"{kpi.dimension_code} › {kpi.subdimension_code} › {kpi.category}"
        for m in kpi.measurands():
            v = stored.get((kpi.key, m.data_point))
            fixed = {
                "code": kpi.code,
                "kpi": kpi.name,
                "kpi_nb": kpi.name_nb,
                "category": category,
                "data_point": m.name if m.data_point else "",
                "unit": m.unit,
                "how": _how(m),
            }
            for key, text in fixed.items():
                set_text(ws.cell(row=row, column=col_of[key]), text).fill = _LOCKED_FILL
            for key in ENTRY:
                cell = ws.cell(row=row, column=col_of[key])
                cell.protection = Protection(locked=False)
                if key in ("numerator", "denominator") and m.measure.kind != "ratio":
                    cell.fill = _UNUSED_FILL
            if m.measure.kind == "boolean":
                booleans.append(f"{get_column_letter(col_of['value'])}{row}")
            if v is not None and v.status != ValueStatus.EMPTY:
                _fill(ws, row, col_of, v, m)
            # 0: no value was stored when the workbook was made
            ws.cell(row=row, column=col_of["version"], value=v.version if v is not None else 0)
            row += 1
    last = row - 1
    ws.column_dimensions[get_column_letter(col_of["version"])].hidden = True

    def column_range(key: str) -> str:
        letter = get_column_letter(col_of[key])
        return f"{letter}{FIRST_DATA_ROW}:{letter}{last}"

    status_dv = DataValidation(
        type="list",
        formula1=f"={LISTS_SHEET}!$A$2:$A${1 + len(statuses)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose reported, not available or not applicable.",
        promptTitle="Status",
        prompt="Reported / not available / not applicable",
    )
    status_dv.add(column_range("status"))
    quality_dv = DataValidation(
        type="list",
        formula1=f"={LISTS_SHEET}!$B$2:$B${1 + len(QUALITY_EN)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Data quality",
        error="Choose one of the six U4SSC data-quality grades.",
    )
    quality_dv.add(column_range("quality"))
    number_dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="-1E+300",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Number",
        error="Enter a number (percentages as 0-100).",
    )
    for key in ("numerator", "denominator"):
        number_dv.add(column_range(key))
    yes_no_cells = set(booleans)
    value_letter = get_column_letter(col_of["value"])
    for r in range(FIRST_DATA_ROW, last + 1):
        if f"{value_letter}{r}" not in yes_no_cells:
            number_dv.add(f"{value_letter}{r}")
    yes_no = DataValidation(type="list", formula1='"yes,no,ja,nei"', allow_blank=True)
    for ref in booleans:
        yes_no.add(ref)
    for dv in (status_dv, quality_dv, number_dv, yes_no):
        ws.add_data_validation(dv)

    # Locked header and fixed cells; sizing, filtering and sorting stay possible.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{last}"

    meta.append(["key", "value"])
    for key, value in (
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("city", city.slug),
        ("city_name", city.name),
        ("country", city.country_code),
        ("year", year),
        ("catalogue_version", catalogue.version),
        ("generated_at", timezone.now().isoformat(timespec="seconds")),
        ("platform_version", u4ssc.__version__),
    ):
        meta.append([key, None])
        if isinstance(value, str):
            set_text(meta.cell(row=meta.max_row, column=2), value)
        else:
            meta.cell(row=meta.max_row, column=2, value=value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True

    wb.active = 0
    wb.save(stream)


def _fill(ws: Any, row: int, col_of: dict[str, int], v: KPIValue, measurand: Any) -> None:
    ws.cell(row=row, column=col_of["status"], value=STATUS_LABELS.get(v.status, ""))
    if v.status == ValueStatus.REPORTED:
        if v.numerator is not None or v.denominator is not None:
            ws.cell(row=row, column=col_of["numerator"], value=v.numerator)
            ws.cell(row=row, column=col_of["denominator"], value=v.denominator)
        elif measurand.measure.kind == "boolean" and v.value is not None:
            ws.cell(row=row, column=col_of["value"], value="yes" if v.value else "no")
        else:
            ws.cell(row=row, column=col_of["value"], value=v.value)
    set_text(ws.cell(row=row, column=col_of["source"]), v.source)
    if v.quality:
        ws.cell(row=row, column=col_of["quality"], value=_quality_label(int(v.quality)))
    set_text(ws.cell(row=row, column=col_of["notes"]), v.notes)


SYNTHETIC_NOTICE = (
    "SYNTHETIC DATA: the values filled in were generated for the demo; they are not real data.",
    "SYNTETISKE DATA: verdiene som er fylt inn, er laget for demoen; de er ikke ekte data.",
)


def _instructions(ws: Any, city: Any, year: int, catalogue: Any, *, synthetic: bool) -> None:
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70
    ws["A1"] = f"U4SSC data collection: {city.name} {year}"
    ws["B1"] = f"U4SSC datainnsamling: {city.name} {year}"
    ws["A1"].font = ws["B1"].font = Font(bold=True, size=14)
    ws["A2"] = f"KPI catalogue {catalogue.version}"
    ws["B2"] = f"KPI-katalog {catalogue.version}"
    ws["A3"], ws["B3"] = "How to fill the workbook", "Slik fyller du ut arbeidsboken"
    ws["A3"].font = ws["B3"].font = Font(bold=True)
    for i, (en, nb) in enumerate(INSTRUCTIONS, start=4):
        ws.cell(row=i, column=1, value=f"{i - 3}. {en}").alignment = Alignment(wrap_text=True)
        ws.cell(row=i, column=2, value=f"{i - 3}. {nb}").alignment = Alignment(wrap_text=True)
    if synthetic:
        row = len(INSTRUCTIONS) + 5
        for col, text in enumerate(SYNTHETIC_NOTICE, start=1):
            cell = ws.cell(row=row, column=col, value=text)
            cell.font = Font(bold=True, color="9C0006")
            cell.alignment = Alignment(wrap_text=True)
    ws.protection.sheet = True


# --------------------------------------------------------------------------- reading


def read_meta(wb: Any) -> dict[str, Any]:
    if META_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, Any] = {}
    for values in wb[META_SHEET].iter_rows(min_row=2, values_only=True):
        if values and values[0]:
            meta[str(values[0]).strip()] = values[1] if len(values) > 1 else None
    return meta


def is_data_collection_workbook(wb: Any) -> bool:
    return read_meta(wb).get("format") == FORMAT


def read_workbook(
    wb: Any,
    *,
    catalogue: Any,
    cities: CityIndex,
    city: CityRef | None = None,
    year: int | None = None,
) -> Parsed:
    """Read a filled data-collection workbook (opened with :func:`intake.open_workbook`).

    The city and year come from the ``_meta`` sheet; ``city``/``year`` (the page it was
    uploaded on) must agree with them, and stand in for them when the sheet is missing.
    """
    parsed = Parsed(kind="workbook")
    meta = read_meta(wb)
    wb_city, wb_year = _meta_city_year(meta, cities)
    if wb_city is not None and city is not None and wb_city.id != city.id:
        raise ImportRefused(
            "wrong_city",
            Text(
                gettext_noop(
                    "This workbook is for %(other)s %(wyear)s, not for %(city)s. Upload it on "
                    "%(other)s's page, or download the workbook of %(city)s."
                ),
                {"other": wb_city.name, "wyear": str(wb_year), "city": city.name},
            ),
            expected=city.name,
            given=wb_city.name,
        )
    if wb_year is not None and year is not None and wb_year != year:
        raise ImportRefused(
            "wrong_year",
            Text(
                gettext_noop("This workbook is for %(wyear)s, not %(year)s."),
                {"wyear": str(wb_year), "year": str(year)},
            ),
            expected=str(year),
            given=str(wb_year),
        )
    the_city = wb_city or city
    the_year = wb_year or year
    if the_city is None or the_year is None:
        raise ImportRefused(
            "no_city_year",
            Text(
                gettext_noop(
                    "The workbook does not say which city and year it is for (its hidden sheet "
                    "_meta is missing). Upload it on the city's data page for that year, or "
                    "download a fresh workbook there."
                )
            ),
            expected=Text(gettext_noop("a workbook downloaded from the platform")),
        )
    version = meta.get("catalogue_version")
    if version and str(version) != catalogue.version:
        parsed.info(
            "catalogue_version",
            Text(
                gettext_noop(
                    "The workbook was made with KPI catalogue %(old)s; the platform uses "
                    "%(new)s. KPIs are matched by code."
                ),
                {"old": version, "new": catalogue.version},
            ),
        )

    sheet = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else None
    if sheet is None:
        sheet = next((s for s in wb.worksheets if s.title not in (META_SHEET, LISTS_SHEET)), None)
    if sheet is None:
        raise ImportRefused("no_rows", Text(gettext_noop("The workbook has no sheet with data.")))
    where = f"sheet {sheet.title}, "
    rows = sheet_rows(sheet)
    index: dict[str, int] | None = None
    names: dict[str, str] = {}
    blank_rows = 0
    for number, values in rows:
        if index is None:
            found, _unknown = match_columns(values, READ_COLUMNS)
            if "code" in found and ("value" in found or "numerator" in found):
                index = found
                names = {k: cell_text(values[i]) for k, i in found.items()}
            elif number > 10:
                break
            continue
        cells = values
        code = cell_text(_get(cells, index, "code"))
        if normalise_header(code) in HEADER_WORDS:
            continue  # the Norwegian header row
        if not any(cell_text(_get(cells, index, k)) for k in ENTRY):
            blank_rows += 1
            continue
        parsed.rows += 1
        ref = f"{where}row {number}"
        _read_row(parsed, cells, index, names, ref, code, catalogue, the_city, the_year)
    if index is None:
        raise ImportRefused(
            "missing_columns",
            Text(
                gettext_noop(
                    "No header row with the columns Code and Value was found in the sheet "
                    "%(sheet)s. Use the workbook downloaded from the platform."
                ),
                {"sheet": sheet.title},
            ),
            expected=", ".join(c[1] for c in COLUMNS),
        )
    if "version" not in index:
        parsed.info(
            "no_versions",
            Text(
                gettext_noop(
                    "The workbook has no Version column (it was made before the platform "
                    "wrote one): its rows replace the stored values even where someone "
                    "changed them after the workbook was made."
                )
            ),
        )
    if blank_rows:
        parsed.info(
            "blank_rows",
            Text(
                gettext_noop("%(n)s rows were left blank: nothing changes for them."),
                {"n": blank_rows},
            ),
        )
    return parsed


def _get(cells: Any, index: dict[str, int], key: str) -> Any:
    i = index.get(key)
    return cells[i] if i is not None and i < len(cells) else None


def _read_row(
    parsed: Parsed,
    cells: Any,
    index: dict[str, int],
    names: dict[str, str],
    ref: str,
    code: str,
    catalogue: Any,
    city: CityRef,
    year: int,
) -> None:
    def bad(key: str, message: str, expected: str = "", kpi_code: str = "") -> None:
        parsed.error(
            "cell",
            message,
            row=ref,
            column=names.get(key, key),
            value=cell_text(_get(cells, index, key)),
            expected=expected,
            kpi_code=kpi_code,
        )

    if not code:
        bad(
            "code",
            Text(gettext_noop("The KPI code is missing.")),
            Text(gettext_noop("a U4SSC KPI code")),
        )
        return
    point = cell_text(_get(cells, index, "data_point"))
    try:
        kpi = catalogue.get(code)
        measurand = catalogue.measurand(kpi.code, point)
    except UnknownKPI as exc:
        bad("code", said(exc), Text(gettext_noop("a U4SSC KPI code such as EC: ICT: ICT: 1C")))
        return
    except UnknownDataPoint as exc:
        bad("data_point", said(exc), ", ".join(exc.known), code)
        return
    inp = ValueInput(
        city_id=city.id,
        year=year,
        kpi_code=kpi.code,
        data_point=measurand.data_point,
        ref=ref,
    )
    origins = {"kpi_code": Origin(ref, names.get("code", "code"), code)}
    ok = True
    raw_version = _get(cells, index, "version")
    if cell_text(raw_version):
        try:
            inp.base_version = read_version(raw_version)
        except CellError as exc:
            bad("version", said(exc), exc.expected, kpi.code)
            ok = False
    for key in ENTRY:
        raw = _get(cells, index, key)
        if key not in index:
            continue
        origins[key] = Origin(ref, names.get(key, key), cell_text(raw))
        try:
            if key == "status":
                status = read_status(raw)
                if status is not None:
                    inp.status = status
            elif key == "quality":
                inp.quality = read_quality(raw)
            elif key in ("source", "notes"):
                setattr(inp, key, cell_text(raw))
            elif key == "value" and measurand.measure.kind == "boolean":
                inp.value = read_boolean(raw)
            else:
                setattr(inp, key, read_number(raw))
        except CellError as exc:
            bad(key, said(exc), exc.expected, kpi.code)
            ok = False
    if ok:
        parsed.add_input(inp, origins)


def _meta_city_year(meta: dict[str, Any], cities: CityIndex) -> tuple[CityRef | None, int | None]:
    if not meta:
        return None, None
    if meta.get("format") != FORMAT:
        return None, None
    slug = cell_text(meta.get("city"))
    found = cities.by_slug.get(slug)
    if found is None:
        raise ImportRefused(
            "unknown_city",
            Text(
                gettext_noop(
                    "The workbook is for the city “%(slug)s”, which is not in the platform."
                ),
                {"slug": slug},
            ),
            given=slug,
        )
    try:
        year = int(str(meta.get("year")))
    except ValueError as exc:
        raise ImportRefused(
            "malformed_workbook",
            Text(gettext_noop("The workbook's year cannot be read.")),
            given=str(meta),
        ) from exc
    return found, year


def generated_name(city: Any, year: int) -> str:
    stamp = timezone.localdate().isoformat()
    return f"u4ssc-{city.slug}-{year}-data-collection-{stamp}.xlsx"
