"""Files that cannot be imported are refused as a whole, with a message saying what to do,
and nothing is written. Each case uses a real file made here."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from u4ssc.apps.evaluations.models import KPIValue
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.apps.transfer.tests.cfb import compound_file
from u4ssc.apps.transfer.tests.conftest import LONG_HEADER, long_csv, run, write_csv

pytestmark = pytest.mark.django_db

ROW = ["alesund", 2024, "EC: ICT: ICT: 1C", "", "value", "95", "", "Survey", "2"]


def refused(report, code):
    assert report.outcome == "refused", report.findings
    assert KPIValue.objects.count() == 0
    [error] = report.errors
    assert error.code == code, error
    return error


def test_an_empty_file_is_refused(officer, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _run, report = run(path, officer)
    error = refused(report, "empty_file")
    assert "empty" in error.message
    assert report.summary() == "Refused: The file is empty. Nothing was written."


def test_a_csv_with_a_header_only_has_no_values(officer, tmp_path):
    _run, report = run(long_csv(tmp_path / "header.csv", []), officer)
    refused(report, "no_values")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(officer, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = long_csv(tmp_path / "big.csv", [ROW] * 40)
    assert path.stat().st_size > 1000
    run_, report = run(path, officer)
    error = refused(report, "too_large")
    assert "1000 B" in error.message or "1 kB" in error.message
    assert run_.sha256 == ""  # not even hashed to the end


def test_a_file_over_the_row_limit_is_refused(officer, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [[*ROW[:2], f"EC: ICT: ICT: {i}C", *ROW[3:]] for i in range(1, 8)]
    _run, report = run(long_csv(tmp_path / "long.csv", rows), officer)
    error = refused(report, "too_many_rows")
    assert "more than 5 rows" in error.message


def test_a_workbook_over_the_row_limit_is_refused(world, officer, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    wb = Workbook()
    wb.active.append(LONG_HEADER)
    for i in range(1, 6):
        wb.active.append([*ROW[:2], f"EC: ICT: ICT: {i}C", *ROW[3:]])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    _run, report = run(path, officer)
    refused(report, "too_many_rows")


def test_a_csv_that_is_not_utf8_is_refused_naming_the_line(officer, tmp_path):
    path = write_csv(
        tmp_path / "latin1.csv",
        [LONG_HEADER, ROW, ["Ålesund", *ROW[1:]]],
        encoding="cp1252",
    )
    _run, report = run(path, officer)
    error = refused(report, "not_utf8")
    assert "UTF-8" in error.message and "line 3" in error.message
    assert "CSV UTF-8" in error.message  # says how to save it right


def test_a_utf16_csv_is_refused(officer, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_text(",".join(LONG_HEADER) + "\n", encoding="utf-16")
    _run, report = run(path, officer)
    refused(report, "not_utf8")


def test_a_password_protected_workbook_is_recognised(officer, tmp_path):
    # Excel stores an encrypted xlsx as an OLE2 compound file with these two streams.
    path = tmp_path / "protected.xlsx"
    path.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    _run, report = run(path, officer)
    error = refused(report, "encrypted_workbook")
    assert "password" in error.message


def test_an_old_xls_workbook_is_refused_with_advice(officer, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(compound_file(["Workbook"]))
    _run, report = run(path, officer)
    error = refused(report, "old_excel_format")
    assert ".xlsx" in error.message


def test_a_damaged_workbook_is_refused(officer, tmp_path):
    wb = Workbook()
    wb.active.append(LONG_HEADER)
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])  # cut in half
    _run, report = run(path, officer)
    refused(report, "malformed_workbook")


def test_a_zip_that_is_not_a_workbook_is_refused(officer, tmp_path):
    path = tmp_path / "folder.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("values.csv", "a,b\n")
    _run, report = run(path, officer)
    error = refused(report, "malformed_workbook")
    assert "ZIP" in error.message


def test_a_file_called_xlsx_that_is_text_is_refused(officer, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("hello", encoding="utf-8")
    _run, report = run(path, officer)
    refused(report, "malformed_workbook")


def test_binary_files_are_refused(officer, tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    _run, report = run(path, officer)
    error = refused(report, "nul_bytes")
    assert "contains NUL bytes" in error.message and "is it a CSV?" in error.message


def test_a_csv_with_a_nul_byte_far_down_is_refused_and_nothing_written(officer, tmp_path):
    # given a good long CSV of more than the 64 kB sniffed at first, a NUL in its last row
    rows = [[*ROW[:7], f"Survey, part {i} of a long file", "2"] for i in range(3000)]
    rows.append([*ROW[:7], "Sur\x00vey", "2"])
    path = long_csv(tmp_path / "nul.csv", rows)
    assert path.stat().st_size > 64 * 1024
    # when it is imported, then it is refused as a whole, naming the line
    _run, report = run(path, officer)
    error = refused(report, "nul_bytes")
    assert "near line 3002" in error.message and "is it a CSV?" in error.message


def test_every_refusal_leaves_an_import_run_with_its_report(officer, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    run(path, officer)
    stored = ImportRun.objects.get()
    assert stored.outcome == "refused" and stored.errors == 1
    assert stored.started_by == officer and stored.file_name == "empty.csv"
    assert stored.report["findings"][0]["code"] == "empty_file"
    assert stored.report["summary"].startswith("Refused")
