"""Files the commands are given: checked before any work, refused in one line."""

from __future__ import annotations

import os
from pathlib import Path

CHUNK = 1024 * 1024


def out_problem(path: Path | str) -> str | None:
    """Why ``--out`` cannot be written, or ``None``: said before a long export, report or
    simulation runs, rather than as a traceback at its end."""
    out = Path(path).expanduser()
    if out.is_dir():
        return f"--out {out} is a folder; give a file name"
    folder = out.parent
    if not folder.exists():
        return f"--out {out}: the folder {folder} does not exist; create it or choose another"
    if not folder.is_dir():
        return f"--out {out}: {folder} is not a folder"
    if not os.access(folder, os.W_OK):
        return f"--out {out}: the folder {folder} cannot be written to"
    return None


def nul_line(path: Path) -> int | None:
    """The line of the first NUL byte in ``path`` (read in chunks), or ``None``. A CSV never
    holds one; a binary file named .csv does."""
    line = 1
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            at = chunk.find(b"\x00")
            if at >= 0:
                return line + chunk.count(b"\n", 0, at)
            line += chunk.count(b"\n")
    return None


def nul_message(path: Path, line: int) -> str:
    return f"{path}: the file contains NUL bytes (the first near line {line}); is it a CSV?"
