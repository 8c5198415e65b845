"""Fixtures of the transfer tests: real files written to ``tmp_path``, the real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from u4ssc.apps.transfer.actions import import_file

LONG_HEADER = [
    "city",
    "year",
    "kpi",
    "data_point",
    "component",
    "value",
    "unit",
    "source",
    "quality",
]


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def long_csv(path: Path, rows: list[list[Any]]) -> Path:
    return write_csv(path, [LONG_HEADER, *rows])


def run(path: Path, actor: Any, **kwargs: Any) -> Any:
    """Import ``path`` as ``actor``; returns (run, report)."""
    with path.open("rb") as fh:
        return import_file(actor=actor, stream=fh, file_name=path.name, **kwargs)


def run_bytes(data: bytes, name: str, actor: Any, **kwargs: Any) -> Any:
    return import_file(actor=actor, stream=io.BytesIO(data), file_name=name, **kwargs)


@pytest.fixture
def officer(world: Any) -> Any:
    return world.user("officer")
