"""The real data the demo ships (``data/``).

- ``norway-verified-values.csv``: values published in the U4SSC verification reports of
  Karmøy (2020) and Stavanger (2021), an exact copy of ``../shared/reference``, read here
  into plain records and entered as real values (``is_synthetic=False``) with their source
  and URL;
- ``cdp/``: the demo cities' rows of the CDP city-wide emissions files the demo imports
  (:data:`CDP_FILES`), in the files' own layout, copied by ``tools/extract_demo_cdp.py``.
  The loader imports them through the transfer app's import profiles, as an operator would
  (decision 0603), so the values, sources and notes are the ones a user's import of the
  original files gives.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from u4ssc.core.catalogue import Catalogue, UnknownDataPoint, load_catalogue

DATA_DIR = Path(__file__).resolve().parent / "data"
VERIFIED_FILE = DATA_DIR / "norway-verified-values.csv"
CDP_DIR = DATA_DIR / "cdp"
GHG = "EN: EN: AQ: 2C"
CDP_ATTRIBUTION = (
    "This data was collected in partnership by CDP and ICLEI - Local Governments for Sustainability"
)
ITU_HOST = "itu.int"
ITU_PUBLICATIONS = "/en/publications/"


@dataclass(frozen=True)
class CdpFile:
    """A CDP city-wide emissions file the demo imports, and the profile that reads it."""

    name: str  # the file's name on the CDP open data portal (and in ../shared)
    profile: str  # slug of the transfer app's shipped import profile
    reported: int  # the year the cities reported to CDP

    @property
    def path(self) -> Path:
        return CDP_DIR / self.name


# The 2016 and 2019 files: their demo-city inventories do not overlap (no city and year in
# both), so each one imported again reports its rows unchanged. The 2017 and 2018 files
# restate many of these inventories with other figures (decision 0603).
CDP_FILES: tuple[CdpFile, ...] = (
    CdpFile("2016_-_Citywide_GHG_Emissions.csv", "cdp-citywide-emissions-2016", 2016),
    CdpFile("2019_City-wide_Emissions.csv", "cdp-citywide-emissions-2019", 2019),
)


@dataclass(frozen=True)
class RealValue:
    """One real value for a city (by registry name and country code) and year."""

    city: str
    country: str
    year: int
    kpi_code: str
    data_point: str
    status: str  # reported | not_available
    numerator: float | None
    denominator: float | None
    value: float | None
    unit: str
    source: str
    notes: str
    url: str


def canonical_report_url(url: str) -> str:
    """The ITU address of a U4SSC report page.

    One page of the reference file is addressed through a third-party web proxy
    (``...webchannel-proxy.scarabresearch.com``) that serves ITU's pages under the same path;
    the platform links to ITU itself (decision 0603)."""
    parts = urlsplit(url.strip())
    if parts.path.startswith(ITU_PUBLICATIONS) and not parts.netloc.endswith(ITU_HOST):
        return f"https://{ITU_HOST}{parts.path}"
    return url.strip()


def _data_point(cat: Catalogue, code: str, kpi_name: str) -> str:
    kpi = cat.get(code)
    if not kpi.data_points:
        return ""
    candidates = [kpi_name.rsplit(":", 1)[-1].strip(), kpi_name.strip()]
    for name in candidates:
        try:
            return cat.measurand(kpi.key, name).data_point
        except UnknownDataPoint:
            continue
    raise UnknownDataPoint(code, kpi_name, tuple(m.data_point for m in kpi.data_points))


def verified_values(catalogue: Catalogue | None = None) -> list[RealValue]:
    """The values of the Karmøy and Stavanger verification reports, one per KPI/data point.

    The year is the report's year; a value the report marks "Not Reported" is entered as not
    available. The report's unit is kept when the catalogue knows it as an alias."""
    cat = catalogue or load_catalogue()
    out: list[RealValue] = []
    with VERIFIED_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kpi = cat.find(row["kpi_code"])
            if kpi is None:
                raise ValueError(f"unknown KPI code in {VERIFIED_FILE.name}: {row['kpi_code']}")
            url = canonical_report_url(row["source"])
            country = "NO" if row["country"] == "Norway" else row["country"]
            source = (
                f"{row['report']}, {row['city']}, {row['country']} ({row['report_date']}): {url}"
            )
            reported = row["value"].strip() != ""
            out.append(
                RealValue(
                    city=row["city"],
                    country=country,
                    year=int(row["report_date"][:4]),
                    kpi_code=kpi.code,
                    data_point=_data_point(cat, kpi.code, row["kpi_name"]),
                    status="reported" if reported else "not_available",
                    numerator=None,
                    denominator=None,
                    value=float(row["value"]) if reported else None,
                    unit=row["unit"].strip(),
                    source=source,
                    notes=row["note"].strip(),
                    url=url,
                )
            )
    return out
