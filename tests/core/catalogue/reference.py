"""The shared reference files (``../shared/reference``) that tests compare the catalogue with.

Tests may read ``../shared``; shipped code never does.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

WORKTREE = Path(__file__).resolve().parents[3]
SHARED = WORKTREE.parent / "shared"
REFERENCE = SHARED / "reference"


def _read(name: str) -> list[dict[str, str]]:
    path = REFERENCE / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the tests need ../shared beside the project")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def kpi_rows() -> tuple[dict[str, str], ...]:
    """The 91 rows of u4ssc-kpis.csv."""
    return tuple(_read("u4ssc-kpis.csv"))


@cache
def norway_rows() -> tuple[dict[str, str], ...]:
    """Real values of Karmøy (2020) and Stavanger (2021) from their verification reports."""
    return tuple(_read("norway-verified-values.csv"))


# How the Norwegian report rows name the data points of multi-point KPIs (their kpi_name
# column); single-value rows map to "".
NORWAY_DATA_POINTS = {
    "Wireless Broadband Coverage: 3G": "3G",
    "Wireless Broadband Coverage: 4G": "4G",
    "Open Data Sets Published": "Open Data Sets Published",
    "Open Data Sets % Availability": "Open Data Sets % Availability",
}
