"""Report documents (``content``) rendered as PDF (Typst) and xlsx (openpyxl).

Typst runs in this process (the ``typst`` wheel): no LaTeX, no browser, no service. The
document goes in as JSON through ``sys.inputs`` and the template reads it with
``json(...)``, so no user text is ever parsed as Typst markup (decision 0701). Typst embeds
its own fonts (Libertinus Serif covers Norwegian letters and the arrows used); system fonts
are ignored, so a PDF looks the same on every machine.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from u4ssc.apps.reports import charts
from u4ssc.apps.reports.content import BAND_INK
from u4ssc.apps.transfer.textcells import set_text

TYPST_DIR = Path(__file__).resolve().parent / "typst"

# Progress messages are stored in English (``gettext_noop``) and translated on the task's
# page (docs/i18n.md).
Step = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    return None


def chart_svgs(document: dict[str, Any]) -> dict[str, str]:
    """The SVG of each chart a document carries (``document["charts"]``), by name."""
    return {
        name: charts.to_svg(spec, document["lang"]) for name, spec in document["charts"].items()
    }


def render_pdf(document: dict[str, Any], progress: Step = _no_progress) -> bytes:
    """The PDF of a report document (``content.snapshot_document`` or ``national_document``)."""
    import typst

    progress(0.1, gettext_noop("charts"))
    svgs = chart_svgs(document)
    progress(0.5, gettext_noop("typesetting"))
    data = {key: value for key, value in document.items() if key != "charts"}
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    inputs.update({f"chart-{name}": svg for name, svg in svgs.items()})
    template = TYPST_DIR / f"{document['kind']}.typ"
    pdf = typst.compile(
        str(template), root=str(TYPST_DIR), sys_inputs=inputs, ignore_system_fonts=True
    )
    progress(0.95, gettext_noop("done"))
    return bytes(pdf)


# --- xlsx ----------------------------------------------------------------------------

# Number formats: scores with one decimal (U4SSC achievements with their "%", SDSN points
# without), counts and years as whole numbers, values as entered (General).
INTEGER = "0"
GROUPED = "#,##0"
DATE = "yyyy-mm-dd"


def _score_format(document: dict[str, Any]) -> str:
    return '0.0" %"' if document.get("percent", True) else "0.0"


@dataclass(frozen=True)
class Cell:
    """A cell's value with its look: a band's fill and ink, a number format."""

    value: Any
    fill: str | None = None
    ink: str | None = None
    number_format: str | None = None


def _text(cell: Any, value: Any) -> None:
    """A number (or date) as itself; anything else as text, never as a formula (a source
    "=HYPERLINK(...)" stays text, shown as typed: transfer's ``set_text``)."""
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        cell.value = value
    else:
        set_text(cell, None if value is None else str(value))


def _sheet(wb: Any, title: str, header: list[Any], rows: list[list[Any]], widths: list[int]) -> Any:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(title=title[:31])
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=1, column=col)
        _text(cell, text)
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            look = value if isinstance(value, Cell) else Cell(value)
            cell = ws.cell(row=r, column=col)
            _text(cell, look.value)
            if look.fill and look.ink:
                cell.fill = PatternFill("solid", fgColor=look.fill.lstrip("#").upper())
                cell.font = Font(color=look.ink.lstrip("#").upper())
            if look.number_format and isinstance(look.value, int | float | date):
                cell.number_format = look.number_format
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    return ws


def _method_rows(document: dict[str, Any]) -> list[list[Any]]:
    labels = document["labels"]
    rows: list[list[Any]] = [
        [f"{labels['target_set']}: {document['target_set']}"],
        [f"{labels['method_name']}: {document['method_label']}"],
        [document["targets_note"]],
        [],
    ]
    rows += [[p] for p in document["method"]["paragraphs"]]
    rows += [["• " + c] for c in document["method"]["caveats"]]
    rows.append([labels["legend"]])
    rows += [[Cell(e["text"], e["colour"], BAND_INK[e["band"]])] for e in document["legend"]]
    if document.get("quality_grades"):
        rows.append([labels["quality_grades"]])
        rows += [[f"{g['grade']}: {g['label']}"] for g in document["quality_grades"]]
    if document["synthetic"]:
        rows.append([labels["synthetic_note"]])
    return rows


def _banded(item: dict[str, Any], value: Any = None, number_format: str | None = None) -> Any:
    """A cell coloured by ``item``'s band (its band words, or ``value``); plain when the
    item is not scored."""
    shown = item["band_text"] if value is None else value
    if not item["band"]:
        return Cell(shown, number_format=number_format)
    return Cell(shown, item["colour"], item["ink"], number_format)


def render_xlsx(document: dict[str, Any], progress: Step = _no_progress) -> bytes:
    """The same content as the PDF, as a workbook: summary, tables, method."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    labels = document["labels"]
    progress(0.3, gettext_noop("workbook"))
    if document["kind"] == "snapshot":
        _snapshot_sheets(wb, document, labels)
    else:
        _national_sheets(wb, document, labels)
    _sheet(wb, labels["method_sheet"], [labels["method"]], _method_rows(document), [120])
    wb.properties.title = f"{labels['title']} {document.get('city', document.get('group'))}"
    buffer = io.BytesIO()
    wb.save(buffer)
    progress(0.95, gettext_noop("done"))
    return buffer.getvalue()


def _head(document: dict[str, Any], labels: dict[str, str], subject: str) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [labels["title"], subject],
        [labels["year"], Cell(int(document["year"]), number_format=INTEGER)],
        [labels["target_set"], document["target_set"]],
        [labels["method_name"], document["method_label"]],
    ]
    if document["synthetic"]:
        rows.insert(1, [labels["synthetic"], labels["synthetic_note"]])
    return rows


def _count(value: Any) -> Cell:
    return Cell(int(value) if value not in (None, "") else None, number_format=INTEGER)


def _snapshot_sheets(wb: Any, document: dict[str, Any], labels: dict[str, str]) -> None:
    overall = document["overall"]
    score_format = _score_format(document)
    published = document["published_at"]
    population = document.get("population_number")
    summary = [
        *_head(document, labels, document["city"]),
        [labels["country"], document["country"]],
        [labels["population"], Cell(population, number_format=GROUPED)],
        [
            labels["published"],
            Cell(date.fromisoformat(published) if published else None, number_format=DATE),
        ],
        [
            labels["overall"],
            _banded(
                overall,
                overall["score_number"] if overall["band"] else overall["band_text"],
                score_format,
            ),
        ],
        [labels["reported"], _count(document["counts"]["reported"])],
        [labels["scored"], _count(document["counts"]["scored"])],
        [labels["no_target"], _count(document["counts"]["no_target"])],
        [labels["not_reported"], _count(document["counts"]["not_reported"])],
        [],
        [
            labels["dimension"],
            labels["subdimension"],
            labels["category"],
            labels["score"],
            labels["band"],
            labels["kpis_scored_only"],
            labels["kpis_with_target"],
            labels["trend"],
        ],
    ]
    for d in document["dimensions"]:
        summary.append(_group_cells(d, 0, score_format))
        for s in d["subdimensions"]:
            summary.append(_group_cells(s, 1, score_format))
            summary += [_group_cells(c, 2, score_format) for c in s["categories"]]
    _sheet(wb, labels["summary"], summary[0], summary[1:], [34, 30, 30, 12, 34, 12, 12, 26])
    header = [
        labels["code"],
        labels["kpi"],
        labels["data_point"],
        labels["value"],
        labels["unit"],
        labels["target"],
        labels["score"],
        labels["band"],
        labels["trend"],
        labels["projection"],
        labels["quality"],
        labels["source"],
        labels["synthetic"],
    ]
    rows = []
    for k in document["kpis"]:
        for item, point in [(k, "")] + [(p, p["name"]) for p in k["points"]]:
            rows.append(
                [
                    k["code"],
                    k["name"],
                    point,
                    item["value_cell"],
                    item["unit"],
                    item["target"],
                    Cell(item["score_number"], number_format=score_format),
                    _banded(item),
                    item["trend"],
                    item["projection"],
                    item["quality_label"] and f"{item['quality']} · {item['quality_label']}",
                    item["source"],
                    labels["yes"] if item["synthetic"] else "",
                ]
            )
    widths = [18, 44, 16, 12, 22, 18, 10, 30, 26, 30, 30, 40, 12]
    _sheet(wb, labels["kpi_sheet"], header, rows, widths)
    _sheet(
        wb,
        labels["not_reported_sheet"],
        [labels["code"], labels["kpi"]],
        [[k["code"], k["name"]] for k in document["not_reported"]],
        [18, 60],
    )


def _group_cells(group: dict[str, Any], depth: int, score_format: str) -> list[Any]:
    names: list[Any] = ["", "", ""]
    names[depth] = group["name"]
    return [
        *names,
        Cell(group["score_number"], number_format=score_format),
        _banded(group),
        _count(group["kpis_scored"]),
        _count(group["kpis_with_target"]),
        group["trend"],
    ]


def _national_sheets(wb: Any, document: dict[str, Any], labels: dict[str, str]) -> None:
    score_format = _score_format(document)
    summary = [
        *_head(document, labels, document["group"]),
        [labels["cities"], _count(document["counts"]["cities"])],
        [labels["with_data"], _count(document["counts"]["with_data"])],
        [],
        [labels["city"], labels["overall"], labels["band"], labels["kpis_scored_only"]],
    ]
    for c in document["cities"]:
        band = _banded(c) if c["has_data"] else labels["no_data"]
        summary.append(
            [
                c["name"],
                Cell(c["score_number"], number_format=score_format),
                band,
                _count(c["kpis_scored_number"]),
            ]
        )
    _sheet(wb, labels["summary"], summary[0], summary[1:], [40, 40, 34, 14])

    def heat(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [
                r["name"],
                *[
                    _banded(c, c["score_number"], score_format) if c["band"] else None
                    for c in r["cells"]
                ],
            ]
            for r in rows
        ]

    _sheet(
        wb,
        labels["heatmap_sheet"],
        [labels["city"], *[f"{c['code']} {c['name']}" for c in document["categories"]]],
        heat(document["heatmap"]),
        [24] + [12] * len(document["categories"]),
    )
    _sheet(
        wb,
        labels["kpi_heatmap_sheet"],
        [labels["city"], *[k["code"] for k in document["kpi_columns"]]],
        heat(document["kpi_heatmap"]),
        [24] + [10] * len(document["kpi_columns"]),
    )
    _sheet(
        wb,
        labels["opportunities"],
        [
            labels["code"],
            labels["kpi"],
            labels["short"],
            labels["of_reported"],
            labels["mean_score"],
            labels["city"],
            labels["data_point"],
            labels["value"],
            labels["unit"],
            labels["target"],
            labels["gap"],
            labels["score"],
            labels["band"],
            labels["kpi_score"],
            labels["kpi_band"],
            labels["synthetic"],
        ],
        _opportunity_rows(document, labels, score_format),
        [18, 40, 10, 10, 12, 22, 20, 12, 22, 20, 12, 12, 26, 12, 26, 12],
    )
    _sheet(
        wb,
        labels["progress_sheet"],
        [labels["city"], *[int(y) for y in document["years"]]],
        heat(document["progress"]),
        [24] + [10] * len(document["years"]),
    )


def _opportunity_rows(
    document: dict[str, Any], labels: dict[str, str], score_format: str
) -> list[list[Any]]:
    """A row per city short of the top band on a shared opportunity (a KPI with data
    points: per data point it falls short on), as the page's CSV: numbers as numbers."""
    rows: list[list[Any]] = []
    for o in document["opportunities"]:
        kpi = [
            o["code"],
            o["name"],
            _count(o["n_short"]),
            _count(o["n_reported"]),
            Cell(o["mean_score_number"], number_format=score_format),
        ]
        for c in o["cities"]:
            points = c["points"] or [{**c, "name": "", "unit": o["unit"], "target": o["target"]}]
            for p in points:
                rows.append(
                    [
                        *kpi,
                        c["name"],
                        p["name"],
                        p["value_number"],
                        p["unit"],
                        p["target"],
                        p["gap_number"],
                        Cell(p["score_number"], number_format=score_format),
                        _banded(p),
                        Cell(c["score_number"], number_format=score_format),
                        _banded(c),
                        labels["yes"] if p.get("synthetic") or c["synthetic"] else "",
                    ]
                )
    return rows
