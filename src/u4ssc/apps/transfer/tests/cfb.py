"""A minimal OLE2 compound file writer for tests ([MS-CFB] version 3).

Excel saves a password-protected workbook as a compound file holding the streams
``EncryptionInfo`` and ``EncryptedPackage``; an Excel 97-2003 workbook is a compound file
holding ``Workbook``. This writes such a container with streams of 4 KiB each (so no mini
stream is needed), enough for the platform to meet the real shape of these files.
"""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    raw = (name + "\x00").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        raw.ljust(64, b"\x00"),
        len(raw),
        kind,
        1,  # black
        left,
        right,
        child,
        b"\x00" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def compound_file(stream_names: list[str]) -> bytes:
    """A compound file with one 4 KiB stream per name (at most 3 names)."""
    per_stream = 4096 // SECTOR
    fat = [FATSECT, END]
    entries = []
    names = sorted(stream_names, key=lambda n: (len(n), n.upper()))  # sibling order
    for i, name in enumerate(names):
        start = len(fat)
        fat.extend(range(start + 1, start + per_stream))
        fat.append(END)
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(_entry(name, 2, NOSTREAM, right, NOSTREAM, start, 4096))
    root = _entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1 if names else NOSTREAM, END, 0)
    directory = root + b"".join(entries)
    directory = directory.ljust(SECTOR, b"\x00")
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        1,  # FAT sectors
        1,  # first directory sector
        0,
        0x1000,
        END,
        0,
        END,
        0,
        0,  # DIFAT[0]: the FAT is sector 0
    )
    header += struct.pack("<108I", *([FREE] * 108))
    data = b"".join(bytes([i + 1]) * 4096 for i in range(len(names)))
    return header + fat_sector + directory + data
