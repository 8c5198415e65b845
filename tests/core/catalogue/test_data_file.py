"""The shipped data file: generated from the reference, self-consistent, round-trips."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

from tests.core.catalogue.reference import WORKTREE
from u4ssc.core.catalogue import catalogue_records, load_catalogue


def _raw(version: str) -> dict:
    path = resources.files("u4ssc.core.catalogue.data") / f"u4ssc-kpis-{version}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_data_file_states_its_own_version():
    cat = load_catalogue()
    assert _raw(cat.version)["version"] == cat.version


def test_records_round_trip_to_the_data_file():
    cat = load_catalogue()
    assert catalogue_records(cat) == _raw(cat.version)["kpis"]


def test_data_file_and_docs_are_what_the_build_tool_produces():
    result = subprocess.run(
        [sys.executable, str(WORKTREE / "tools" / "build_catalogue.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
