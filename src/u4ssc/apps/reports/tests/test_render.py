"""Rendering: real PDFs and workbooks from stand-in documents (no database)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from u4ssc.apps.reports import content, render
from u4ssc.apps.reports.tests import standins
from u4ssc.core.catalogue import load_catalogue

CODES = [k.code for k in load_catalogue().kpis]


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def mapped_characters(data: bytes) -> set[str]:
    """Every character some embedded font has a glyph for (the fonts' ToUnicode maps).

    Typst maps no Unicode to a glyph it could not find, so a character of the document that
    is missing here would print as an empty box.
    """
    chars: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
            for hexes in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", cmap):
                chars.add(bytes.fromhex(hexes).decode("utf-16-be"))
    return {c for text in chars for c in text}


@pytest.fixture(scope="module")
def snapshot_pdf() -> tuple[dict, bytes]:
    doc = content.snapshot_document(standins.city_profile(source=standins.NASTY), "en")
    return doc, render.render_pdf(doc)


def test_snapshot_pdf_has_city_year_and_every_kpi_once_across_pages(snapshot_pdf):
    # given a snapshot of all 91 KPIs, whose sources are long and full of Typst markup
    _, pdf = snapshot_pdf
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    # then it spans several pages and loses no row and repeats none
    assert len(pages) > 4
    assert "Ålesund" in text and "2024" in text
    for code in CODES:
        assert text.count(code) == 1, code
    # user text is printed as typed, never read as markup
    squeezed = re.sub(r"\s+", "", text)  # a narrow column wraps the long source
    assert squeezed.count("#setpage(fill:red)*bold*_it_$x^2$<lbl>@ref") >= 80


def test_kpi_table_header_is_repeated_on_every_continuation_page(snapshot_pdf):
    _, pdf = snapshot_pdf
    pages = pdf_pages(pdf)
    table_pages = [p for p in pages if any(code in p for code in CODES)]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Data quality" in page and "Target" in page and "Source" in page


def test_every_page_carries_the_synthetic_mark(snapshot_pdf):
    _, pdf = snapshot_pdf
    assert all("Synthetic demo data" in page for page in pdf_pages(pdf))


def test_no_glyph_is_missing_for_norwegian_letters_arrows_and_bands():
    profile = standins.city_profile(name="ÆRØ Bærum Ørsta Åsnes", source="Målt «ÆØÅ» – ≥ ≤")
    doc = content.snapshot_document(profile, "nb")
    pdf = render.render_pdf(doc)
    text = "".join(pdf_pages(pdf))
    for c in "æøåÆØÅ↑↗→↓≥≤·«»–":
        assert c in text
    printed = {c for c in text if not c.isspace()}
    assert printed - mapped_characters(pdf) == set()


def test_norwegian_report_is_in_norwegian():
    doc = content.snapshot_document(standins.city_profile(), "nb")
    text = re.sub(r"\s+", " ", "\n".join(pdf_pages(render.render_pdf(doc))))
    assert "Datakvalitet" in text and "Metode og forbehold" in text
    assert "Husholdninger med internettilgang" in text  # KPI names from the catalogue
    assert "Data quality" not in text


def test_unpublished_preview_is_marked_on_every_page():
    profile = standins.city_profile(synthetic=False)
    profile["evaluation"]["published"] = False
    pages = pdf_pages(render.render_pdf(content.snapshot_document(profile, "en")))
    assert all("Not published" in page for page in pages)
    assert not any("Synthetic demo data" in page for page in pages)


def test_snapshot_xlsx_has_every_kpi_and_escapes_formula_text():
    profile = standins.city_profile(source='=HYPERLINK("http://x","y")')
    profile["city"]["name"] = "+Ålesund"
    doc = content.snapshot_document(profile, "en")
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    assert wb.sheetnames == ["Summary", "KPIs", "Method"]
    kpis = wb["KPIs"]
    codes = {row[0] for row in kpis.iter_rows(min_row=2, values_only=True)}
    assert codes == set(CODES)
    sources = [c for c in kpis["J"] if c.value and "HYPERLINK" in str(c.value)]
    assert sources and all(c.data_type == "s" and c.quotePrefix for c in sources)
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True)}
    assert summary["City Snapshot"] == "+Ålesund"
    assert "Synthetic demo data" in summary
    city_cell = next(c for row in wb["Summary"].iter_rows() for c in row if c.value == "+Ålesund")
    assert city_cell.data_type == "s" and city_cell.quotePrefix


def test_national_report_pdf_and_xlsx():
    view = standins.programme_view(cities=30)
    doc = content.national_document(view, "en")
    pages = pdf_pages(render.render_pdf(doc))
    text = "\n".join(pages)
    for section in ("Heatmap", "Shared opportunities", "Each city's progress", "Method"):
        assert section in text
    for i in range(30):
        assert f"City {i:02d} Æøå" in text
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    assert wb.sheetnames == ["Summary", "Heatmap", "Shared opportunities", "Progress", "Method"]
    assert wb["Heatmap"].max_row == 31
    assert wb["Heatmap"].max_column == len(view["categories"]) + 2


def test_number_formats_follow_the_language():
    with content.translation.override("nb"):
        assert content.fmt_number(12345.5) == "12\xa0346"
        assert content.fmt_number(0.5) == "0,5"
    with content.translation.override("en"):
        assert content.fmt_number(12345.5) == "12,346"
        assert content.fmt_number(84.51) == "84.51"
