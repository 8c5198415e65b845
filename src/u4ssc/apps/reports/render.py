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
from pathlib import Path
from typing import Any

from u4ssc.apps.reports import charts

TYPST_DIR = Path(__file__).resolve().parent / "typst"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Step = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    return None


def chart_svgs(document: dict[str, Any]) -> dict[str, str]:
    """The SVG charts a document shows, by name."""
    legend = document["legend"]
    out: dict[str, str] = {}
    if document["kind"] == "snapshot":
        if document["categories"]:
            out["wheel"] = charts.to_svg(charts.wheel_spec(document["categories"], legend))
        if document["dimensions"]:
            out["dimensions"] = charts.to_svg(
                charts.bars_spec(
                    document["dimensions"], legend, title=document["labels"]["percentage"]
                )
            )
    else:
        for dim in document["dimensions"]:
            rows = []
            for city in document["cities"]:
                for d in city["dimensions"]:
                    if d["code"] == dim["code"]:
                        rows.append(d | {"name": city["name"]})
            if rows:
                out[f"dimension-{dim['code']}"] = charts.to_svg(
                    charts.bars_spec(rows, legend, title=f"{dim['name']} (%)")
                )
    return out


def render_pdf(document: dict[str, Any], progress: Step = _no_progress) -> bytes:
    """The PDF of a report document (``content.snapshot_document`` or ``national_document``)."""
    import typst

    progress(0.1, "charts")
    svgs = chart_svgs(document)
    progress(0.5, "typesetting")
    inputs = {"data": json.dumps(document, ensure_ascii=False)}
    inputs.update({f"chart-{name}": svg for name, svg in svgs.items()})
    template = TYPST_DIR / f"{document['kind']}.typ"
    pdf = typst.compile(
        str(template), root=str(TYPST_DIR), sys_inputs=inputs, ignore_system_fonts=True
    )
    progress(0.95, "done")
    return bytes(pdf)


# --- xlsx ----------------------------------------------------------------------------


def _text(cell: Any, value: Any) -> None:
    """Text into a cell as text, never as a formula (a source "=HYPERLINK(...)" stays text)."""
    if value is None or value == "":
        cell.value = None
        return
    cell.value = value if isinstance(value, int | float) else str(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _sheet(wb: Any, title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(title=title[:31])
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=1, column=col)
        _text(cell, text)
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            fill = None
            if isinstance(value, tuple):  # (text, colour)
                value, fill = value
            cell = ws.cell(row=r, column=col)
            _text(cell, value)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill.lstrip("#").upper())
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    return ws


def _method_rows(document: dict[str, Any]) -> list[list[Any]]:
    labels = document["labels"]
    rows: list[list[Any]] = [[p] for p in document["method"]["paragraphs"]]
    rows += [["• " + c] for c in document["method"]["caveats"]]
    rows.append([labels["legend"]])
    rows += [[(e["label"], e["colour"])] for e in document["legend"]]
    if document.get("quality_grades"):
        rows.append([labels["quality_grades"]])
        rows += [[f"{g['grade']}: {g['label']}"] for g in document["quality_grades"]]
    if document["synthetic"]:
        rows.append([labels["synthetic_note"]])
    return rows


def _mark(document: dict[str, Any]) -> str:
    marks = []
    if document["synthetic"]:
        marks.append(document["labels"]["synthetic"])
    if document["draft"]:
        marks.append(document["labels"]["draft"])
    return " · ".join(marks)


def render_xlsx(document: dict[str, Any], progress: Step = _no_progress) -> bytes:
    """The same content as the PDF, as a workbook: summary, tables, method."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    labels = document["labels"]
    progress(0.3, "workbook")
    if document["kind"] == "snapshot":
        _snapshot_sheets(wb, document, labels)
    else:
        _national_sheets(wb, document, labels)
    _sheet(wb, labels["method_sheet"], [labels["method"]], _method_rows(document), [120])
    wb.properties.title = f"{labels['title']} {document.get('city', document.get('group'))}"
    buffer = io.BytesIO()
    wb.save(buffer)
    progress(0.95, "done")
    return buffer.getvalue()


def _snapshot_sheets(wb: Any, document: dict[str, Any], labels: dict[str, str]) -> None:
    summary = [
        [labels["title"], document["city"]],
        [labels["year"], document["year"]],
        [labels["country"], document["country"]],
        [labels["population"], document["population"]],
        [labels["target_set"], document["target_set"]],
        [labels["published"], document["published_at"]],
        [labels["reported"], int(document["counts"]["reported"])],
        [labels["scored"], int(document["counts"]["scored"])],
        [labels["no_target"], int(document["counts"]["no_target"])],
        [labels["not_reported"], int(document["counts"]["not_reported"])],
    ]
    if _mark(document):
        summary.insert(0, [_mark(document), ""])
    summary.append([])
    summary.append(
        [
            labels["dimension"],
            labels["subdimension"],
            labels["category"],
            labels["kpis_scored"],
            labels["percentage"],
            labels["band"],
            labels["trend"],
        ]
    )
    for d in document["dimensions"]:
        summary.append(
            [
                d["name"],
                "",
                "",
                d["kpis_scored"],
                d["percentage"],
                (d["band_label"], d["colour"]),
                d["trend"],
            ]
        )
        for s in d["subdimensions"]:
            summary.append(
                [
                    "",
                    s["name"],
                    "",
                    s["kpis_scored"],
                    s["percentage"],
                    (s["band_label"], s["colour"]),
                    s["trend"],
                ]
            )
            for c in s["categories"]:
                summary.append(
                    [
                        "",
                        "",
                        c["name"],
                        c["kpis_scored"],
                        c["percentage"],
                        (c["band_label"], c["colour"]),
                        c["trend"],
                    ]
                )
    _sheet(wb, labels["summary"], ["", ""], summary, [34, 28, 28, 12, 14, 22, 22])
    header = [
        labels["code"],
        labels["kpi"],
        "",
        labels["value"],
        labels["unit"],
        labels["target"],
        labels["band"],
        labels["trend"],
        labels["quality"],
        labels["source"],
        labels["synthetic"],
    ]
    rows = []
    for k in document["kpis"]:
        rows.append(
            [
                k["code"],
                k["name"],
                "",
                k["value"],
                k["unit"] if not k["points"] else "",
                k["target"],
                (k["band_label"], k["colour"]) if k["band"] else k["band_label"],
                k["trend"],
                k["quality_label"],
                k["source"],
                labels["yes"] if k["synthetic"] else "",
            ]
        )
        for p in k["points"]:
            rows.append(
                [
                    k["code"],
                    k["name"],
                    p["name"],
                    p["value"],
                    p["unit"],
                    p["target"],
                    (p["band_label"], p["colour"]) if p["band"] else "",
                    "",
                    p["quality_label"],
                    p["source"],
                    labels["yes"] if p["synthetic"] else "",
                ]
            )
    _sheet(wb, labels["kpi_sheet"], header, rows, [18, 44, 22, 12, 10, 12, 22, 22, 30, 40, 12])


def _national_sheets(wb: Any, document: dict[str, Any], labels: dict[str, str]) -> None:
    summary = [
        [labels["title"], document["group"]],
        [labels["year"], document["year"]],
        [labels["target_set"], document["target_set"]],
        [labels["cities"], len(document["cities"])],
    ]
    if _mark(document):
        summary.insert(0, [_mark(document), ""])
    _sheet(wb, labels["summary"], ["", ""], summary, [34, 40])
    header = [labels["city"]] + [c["name"] for c in document["categories"]] + [labels["synthetic"]]
    rows = []
    for city in document["cities"]:
        cells = [(c["percentage"], c["colour"]) if c["band"] else None for c in city["cells"]]
        rows.append([city["name"], *cells, labels["yes"] if city["synthetic"] else ""])
    _sheet(wb, labels["heatmap_sheet"], header, rows, [22] + [10] * len(document["categories"]))
    _sheet(
        wb,
        labels["opportunities"],
        [labels["code"], labels["kpi"], labels["below"], labels["of_scored"]],
        [
            [o["code"], o["name"], int(o["below"]), int(o["scored"])]
            for o in document["opportunities"]
        ],
        [18, 50, 16, 16],
    )
    dims = document["dimensions"]
    rows = []
    for city in document["cities"]:
        for h in city["history"]:
            rows.append(
                [city["name"], h["year"], *[h["dimensions"].get(d["code"], "") for d in dims]]
            )
    _sheet(
        wb,
        labels["progress_sheet"],
        [labels["city"], labels["year"], *[d["name"] for d in dims]],
        rows,
        [24, 8] + [16] * len(dims),
    )
