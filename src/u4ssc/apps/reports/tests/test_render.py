"""Rendering: real PDFs and workbooks of documents made from the real data layer."""

from __future__ import annotations

import io
import re

from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from u4ssc.apps.catalogue.queries import default_target_set
from u4ssc.apps.reports import content, render, sources
from u4ssc.apps.reports.tests.conftest import NASTY, NOT_REPORTED
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


def snapshot(world, lang="en"):
    with translation.override(lang):
        profile = sources.city_profile(world.city, 2024, default_target_set())
        return content.snapshot_document(profile, lang)


def national(world, lang="en"):
    with translation.override(lang):
        view, comparison = sources.programme(world.national, 2024, default_target_set())
        return content.national_document(view, comparison, lang)


def test_snapshot_pdf_has_every_kpi_once_across_pages(world, publish):
    # given a year with every KPI but two reported, whose sources are full of Typst markup
    publish(synthetic=True)
    pages = pdf_pages(render.render_pdf(snapshot(world)))
    text = "\n".join(pages)
    # then the snapshot spans several pages, each KPI printed once: in the table when
    # reported, in the list of KPIs not reported otherwise
    assert len(pages) > 4
    assert "Ålesund" in text and "2024" in text
    for code in CODES:
        assert text.count(code) == 1, code
    listed = text.split("Method and caveats")[0].split("KPIs not reported")[-1]
    assert all(code in listed for code in NOT_REPORTED)
    # user text is printed as typed, never read as markup
    squeezed = re.sub(r"\s+", "", text)  # a narrow column wraps the long source
    assert squeezed.count(re.sub(r"\s+", "", NASTY)) >= 80
    # the table's header is repeated on every page it continues on
    table_pages = [p for p in pages if any(code in p for code in CODES[:85])]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Data quality" in page and "Target" in page and "Source" in page
    # every page carries the synthetic mark
    assert all("Synthetic demo data" in page for page in pages)


def test_no_glyph_is_missing_for_norwegian_letters_arrows_and_bands(world, publish):
    world.city.name = "ÆRØ Bærum Ørsta Åsnes"
    world.city.save(update_fields=["name"])
    publish(year=2022, source="Målt «ÆØÅ» – ≥ ≤")
    publish(source="Målt «ÆØÅ» – ≥ ≤")
    pdf = render.render_pdf(snapshot(world, "nb"))
    text = "".join(pdf_pages(pdf))
    for c in "æøåÆØÅ≥≤·«»–●○":
        assert c in text, c
    assert set(text) & set("↑↗→↓")
    printed = {c for c in text if not c.isspace()}
    assert printed - mapped_characters(pdf) == set()


def test_norwegian_report_is_in_norwegian(world, publish):
    publish()
    text = re.sub(r"\s+", " ", "\n".join(pdf_pages(render.render_pdf(snapshot(world, "nb")))))
    assert "Datakvalitet" in text and "Metode og forbehold" in text
    assert "Husholdninger med internettilgang" in text  # KPI names from the catalogue
    assert "innbyggere" in text and "ikke vurdert: intet mål i dette målsettet" in text
    assert "Data quality" not in text and "inhabitants" not in text
    assert "Norge" in text


def test_snapshot_xlsx_has_every_kpi_and_escapes_formula_text(world, publish):
    world.city.name = "+Ålesund"
    world.city.save(update_fields=["name"])
    publish(synthetic=True)
    doc = snapshot(world)
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    assert wb.sheetnames == ["Summary", "KPIs", "Not reported", "Method"]
    kpis = wb["KPIs"]
    rows = list(kpis.iter_rows(min_row=2, values_only=True))
    # a row per KPI and one per data point, as the PDF's table
    assert len(rows) == len(doc["kpis"]) + sum(len(k["points"]) for k in doc["kpis"])
    assert {r[0] for r in rows} == {k["code"] for k in doc["kpis"]}
    assert {r[0] for r in wb["Not reported"].iter_rows(min_row=2, values_only=True)} == set(
        NOT_REPORTED
    )
    # values are numbers a spreadsheet can compute with
    assert all(isinstance(r[3], int | float) for r in rows if r[4] == "%")
    sources_ = [c for c in kpis["L"] if c.value == NASTY]
    assert sources_ and all(c.data_type == "s" and c.quotePrefix for c in sources_)
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True)}
    assert summary["City Snapshot"] == "+Ålesund"
    assert "Synthetic demo data" in summary
    city_cell = next(c for row in wb["Summary"].iter_rows() for c in row if c.value == "+Ålesund")
    assert city_cell.data_type == "s" and city_cell.quotePrefix


def test_national_report_pdf_and_xlsx(world, publish):
    for year in (2023, 2024):
        publish(world.city, year, synthetic=True)
        publish(world.sister, year, synthetic=True)
    doc = national(world)
    pages = pdf_pages(render.render_pdf(doc))
    text = "\n".join(pages)
    for section in (
        "Member cities",
        "Categories by city",
        "KPIs by city",
        "Shared opportunities",
        "Each city's progress",
        "Method",
    ):
        assert section in text, section
    assert "Trondheim" in text and "Ålesund" in text
    assert all("Synthetic demo data" in page for page in pages)
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    assert wb.sheetnames == [
        "Summary",
        "Categories",
        "KPIs",
        "Shared opportunities",
        "Progress",
        "Method",
    ]
    assert wb["Categories"].max_row == 3
    assert wb["Categories"].max_column == 1 + 27
    assert wb["KPIs"].max_column == 1 + len(doc["kpi_columns"])


def test_number_formats_follow_the_language():
    with translation.override("nb"):
        assert content.fmt_number(12345.5) == "12\xa0346"
        assert content.fmt_number(0.5) == "0,5"
        assert content.fmt_score(58.333) == "58,3 %"
    with translation.override("en"):
        assert content.fmt_number(12345.5) == "12,346"
        assert content.fmt_number(84.51) == "84.51"
        assert content.fmt_score(62.25) == "62.3 %"


def test_national_shared_opportunities_are_tables_that_say_how_far(world, publish):
    # given two member cities short of the top band on many KPIs (a strict set), air
    # pollution among them with data points
    from u4ssc.apps.benchmarking.tests.conftest import AIR, INTERNET, make_target_set

    publish(world.city, synthetic=True)
    publish(world.sister)
    strict = make_target_set(
        world.programme,
        {
            (INTERNET, ""): ("higher", 100.0, None, None),
            (AIR, "pm2_5"): ("lower", 10.0, None, None),
            (AIR, "no2"): ("lower", 10.0, None, None),
        },
    )
    with translation.override("en"):
        view, comparison = sources.programme(world.national, 2024, strict)
        doc = content.national_document(view, comparison, "en")
    assert {o["code"] for o in doc["opportunities"]} == {INTERNET, AIR}
    # when the PDF is made
    text = "\n".join(pdf_pages(render.render_pdf(doc)))
    section = text.split("Shared opportunities")[-1].split("Each city's progress")[0]
    lines = [" ".join(line.split()) for line in section.splitlines()]
    # then each opportunity is a table: column heads, and a row per city (per data point)
    # with value, target, distance, achievement and the band in words beside its swatch
    heads = " ".join(section.split())
    assert "Value Distance to the target Achievement Band" in heads
    assert "Data point Value Target Distance to the target Achievement Band" in heads
    [internet] = [o for o in doc["opportunities"] if o["code"] == INTERNET]
    assert f"Target: {internet['target']}" in " ".join(lines)
    for c in internet["cities"]:
        row = f"{c['value']} {c['gap']} {c['score']} {c['band_text']}".replace("\xa0", " ")
        assert any(row in line for line in lines), (row, lines)
    [air] = [o for o in doc["opportunities"] if o["code"] == AIR]
    for c in air["cities"]:
        for p in c["points"]:
            row = f"{p['name']} {p['value']} {p['target']} {p['gap']} {p['score']}"
            assert any(row.replace("\xa0", " ") in line for line in lines), (row, lines)
    # no run-on paragraph of "city: value; city: value"
    assert not any(f"{c['name']}: " in section for c in internet["cities"])


def test_national_xlsx_stores_numbers_as_numbers(world, publish):
    # given a national report with shared opportunities
    for year in (2023, 2024):
        publish(world.city, year, synthetic=True)
        publish(world.sister, year)
    doc = national(world)
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    # then the summary's counts and the year are numbers
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert ("Year", 2024) in [row[:2] for row in summary]
    members = summary[summary.index(("City", "Overall", "Band", "KPIs scored")) + 1 :]
    assert members and all(isinstance(row[3], int) and isinstance(row[1], float) for row in members)
    first_member = summary.index(members[0]) + 1
    assert wb["Summary"].cell(row=first_member, column=2).number_format == '0.0" %"'
    # and the shared opportunities are a table: a row per city (and data point) with the
    # value, distance and achievement as numbers, the band in words
    sheet = wb["Shared opportunities"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Code",
        "KPI",
        "Cities short",
        "of cities scored",
        "Mean achievement",
        "City",
        "Data point",
        "Value",
        "Unit",
        "Target",
        "Distance to the target",
        "Achievement",
        "Band",
        "KPI: achievement",
        "KPI: band",
        "Synthetic demo data",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    expected = sum(max(1, len(c["points"])) for o in doc["opportunities"] for c in o["cities"])
    assert len(rows) == expected > 0
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        for name in ("Cities short", "of cities scored"):
            assert isinstance(row[col[name]].value, int)
        for name in ("Mean achievement", "Value", "Distance to the target", "Achievement"):
            assert isinstance(row[col[name]].value, int | float), (name, row[col[name]].value)
        assert row[col["Achievement"]].number_format == '0.0" %"'
        assert row[col["Mean achievement"]].number_format == '0.0" %"'
        assert re.match(r"[●○]{4} ", row[col["Band"]].value)
    assert {r[col["City"]].value for r in rows} <= {"Ålesund", "Trondheim"}
    assert [c.value for c in wb["Progress"][1]][1:] == [2023, 2024]


def test_snapshot_xlsx_stores_numbers_as_numbers(world, publish):
    world.city.population = 67_114
    world.city.save(update_fields=["population"])
    publish()
    doc = snapshot(world)
    wb = load_workbook(io.BytesIO(render.render_xlsx(doc)))
    ws = wb["Summary"]
    summary = {row[0].value: row[1] for row in ws.iter_rows() if row[0].value}
    assert summary["Year"].value == 2024
    assert summary["Population"].value == 67_114 and summary["Population"].number_format == "#,##0"
    assert summary["Published"].is_date
    overall = summary["Overall"]
    assert isinstance(overall.value, float) and overall.number_format == '0.0" %"'
    # the groups' KPI counts are two numbers, not "38 / 42"
    rows = list(ws.iter_rows(values_only=True))
    head = rows.index(
        (
            "Dimension",
            "Sub-dimension",
            "Category",
            "Achievement",
            "Band",
            "KPIs scored",
            "KPIs with a target",
            "Trend",
        )
    )
    groups = rows[head + 1 :]
    assert groups and all(isinstance(g[5], int) and isinstance(g[6], int) for g in groups)
    kpis = wb["KPIs"]
    scores = [r[6] for r in kpis.iter_rows(min_row=2) if r[6].value is not None]
    assert scores and all(c.number_format == '0.0" %"' for c in scores)
