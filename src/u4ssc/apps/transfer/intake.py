"""Taking a file in: size limit, SHA-256, what kind of file it is, and streaming its rows.

Nothing here reads a whole file into memory: the hash is computed over 1 MiB chunks,
workbooks are opened with openpyxl's ``read_only`` mode, CSV files are decoded by a
``TextIOWrapper`` over the binary stream. A file that cannot be read is refused with an
:class:`ImportRefused` whose message says what to do (see ``docs/decisions/0501``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_noop

from u4ssc.apps.transfer.reports import Message, english
from u4ssc.core.checks import Text

CHUNK = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# An OLE2 compound file: an old .xls workbook, or an xlsx encrypted with a password
# (Office wraps the encrypted package in a compound file with an "EncryptionInfo" stream).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""

    def __init__(
        self, code: str, message: Message, *, expected: Message = "", given: str = ""
    ) -> None:
        super().__init__(english(message))
        self.code = code
        self.message = message
        self.expected = expected
        self.given = given


@dataclass
class FileInfo:
    name: str
    size: int
    sha256: str
    file_format: str  # "csv" or "xlsx"


def inspect(stream: IO[bytes], name: str) -> FileInfo:
    """Hash and size ``stream``, check the size limit and tell a workbook from a CSV.

    The stream is left at position 0 for the reader.
    """
    limit = settings.IMPORT_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    head = b""
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        if not head:
            head = chunk[: 64 * 1024]
        size += len(chunk)
        if size > limit:
            raise ImportRefused(
                "too_large",
                Text(
                    gettext_noop("The file is larger than %(limit)s. Split it into smaller files."),
                    {"limit": human_size(limit)},
                ),
                expected=Text(gettext_noop("at most %(limit)s"), {"limit": human_size(limit)}),
            )
        digest.update(chunk)
    stream.seek(0)
    if size == 0:
        raise ImportRefused(
            "empty_file",
            Text(gettext_noop("The file is empty.")),
            expected=Text(gettext_noop("a filled file")),
        )
    return FileInfo(name=name, size=size, sha256=digest.hexdigest(), file_format=_sniff(head, name))


def _sniff(head: bytes, name: str) -> str:
    if head.startswith(OLE_MAGIC):
        if any(marker in head for marker in ENCRYPTED_MARKERS):
            raise ImportRefused(
                "encrypted_workbook",
                Text(
                    gettext_noop(
                        "The workbook is protected with a password, so it cannot be read. Open "
                        "it in Excel, remove the password (File > Info > Protect Workbook > "
                        "Encrypt with Password, clear it), save and upload again."
                    )
                ),
                expected=Text(gettext_noop("an xlsx workbook without a password")),
            )
        raise ImportRefused(
            "old_excel_format",
            Text(
                gettext_noop(
                    "This is an old Excel 97-2003 file (.xls). Open it in Excel and save it as "
                    "an Excel workbook (.xlsx), then upload that file."
                )
            ),
            expected=Text(gettext_noop("an xlsx workbook or a CSV file")),
            given=".xls",
        )
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "xlsx"
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused(
            "malformed_workbook",
            Text(
                gettext_noop(
                    "The file is called %(name)s but is not an Excel workbook: it may be damaged."
                ),
                {"name": name},
            ),
            expected=Text(gettext_noop("an xlsx workbook")),
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise nul_refusal(head[: head.index(b"\x00")].count(b"\n") + 1)
    return "csv"


def nul_refusal(line: int) -> ImportRefused:
    """A CSV holding a NUL byte: no text the platform keeps may hold one (PostgreSQL refuses
    it), and a file full of them is a binary file (a PDF, an image) named .csv."""
    return ImportRefused(
        "nul_bytes",
        Text(
            gettext_noop(
                "The file contains NUL bytes (the first near line %(line)s); is it a CSV? "
                "Save it from the spreadsheet as “CSV UTF-8”, or upload the xlsx workbook "
                "itself."
            ),
            {"line": str(line)},
        ),
        expected=Text(gettext_noop("an xlsx workbook or a CSV file in UTF-8")),
    )


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} B"


def row_limit_refusal(limit: int) -> ImportRefused:
    return ImportRefused(
        "too_many_rows",
        Text(
            gettext_noop("The file has more than %(limit)s rows. Split it into smaller files."),
            {"limit": f"{limit:,}".replace(",", " ")},
        ),
        expected=Text(gettext_noop("at most %(limit)s rows"), {"limit": limit}),
    )


# --------------------------------------------------------------------------- CSV


def csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a UTF-8 CSV file, delimiter sniffed (``,`` ``;`` or tab).

    Raises :class:`ImportRefused` for text that is not UTF-8 (naming the line) and when the
    file has more data rows than ``IMPORT_MAX_ROWS``.
    """
    limit = settings.IMPORT_MAX_ROWS
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _not_utf8(1, "UTF-16")
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    line = 0
    detached = False
    try:
        sample = text.read(64 * 1024)
        delimiter = _delimiter(sample)
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        count = 0
        for cells in reader:
            line = reader.line_num
            # Past the sniffed head a NUL byte would reach the values (Python's csv reads it).
            if "\x00" in "".join(cells):
                raise nul_refusal(line)
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > limit + 1:  # + the header row
                raise row_limit_refusal(limit)
            yield line, cells
    except UnicodeDecodeError as exc:
        text.detach()
        detached = True
        raise _not_utf8(_first_bad_line(stream), "") from exc
    except csv.Error as exc:
        if "NUL" in str(exc):
            raise nul_refusal(line + 1) from exc
        raise ImportRefused(
            "malformed_csv",
            Text(
                gettext_noop("The CSV file cannot be read near line %(line)s: %(error)s"),
                {"line": str(line + 1), "error": str(exc)},
            ),
            expected=Text(gettext_noop("a CSV file with one record per line")),
        ) from exc
    finally:
        if not detached:
            text.detach()  # leave the caller's stream open


def _first_bad_line(stream: IO[bytes]) -> int:
    """The line holding the first byte sequence that is not UTF-8 (the decoder reads ahead,
    so the CSV reader's own line number is only approximate)."""
    stream.seek(0)
    for number, raw in enumerate(stream, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def _not_utf8(line: int, found: str) -> ImportRefused:
    return ImportRefused(
        "not_utf8",
        Text(
            gettext_noop(
                "The file is not in UTF-8 (first unreadable character near line %(line)s). In "
                "Excel choose File > Save As > “CSV UTF-8 (comma delimited)”; in "
                "LibreOffice tick “Edit filter settings” and choose Unicode (UTF-8)."
            ),
            {"line": str(line)},
        ),
        expected=Text(gettext_noop("text encoded as UTF-8")),
        given=found,
    )


def _delimiter(sample: str) -> str:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# --------------------------------------------------------------------------- xlsx


def open_workbook(stream: IO[bytes]) -> Any:
    """The workbook in openpyxl's streaming (``read_only``) mode, cached values only."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _malformed() from exc
    finally:
        stream.seek(0)
    if "xl/workbook.xml" not in names:
        raise ImportRefused(
            "malformed_workbook",
            Text(
                gettext_noop(
                    "The file is a ZIP archive but not an Excel workbook. Upload the xlsx "
                    "file itself, not a folder compressed into a ZIP."
                )
            ),
            expected=Text(gettext_noop("an xlsx workbook")),
        )
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise _malformed() from exc


def _malformed() -> ImportRefused:
    return ImportRefused(
        "malformed_workbook",
        Text(
            gettext_noop(
                "The workbook cannot be read: it is damaged or not a real xlsx file. Open it "
                "in Excel or LibreOffice, save it again as .xlsx and upload the new file."
            )
        ),
        expected=Text(gettext_noop("an xlsx workbook")),
    )


def sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of a read-only sheet, blank rows left out, row limit kept."""
    limit = settings.IMPORT_MAX_ROWS
    count = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            count += 1
            if count > limit + 1:
                raise row_limit_refusal(limit)
            yield number, values
    except ImportRefused:
        raise
    except Exception as exc:  # damaged sheet XML
        raise _malformed() from exc
