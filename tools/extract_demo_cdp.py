"""Extract the demo cities' real GHG inventories from the shared CDP files.

    python tools/extract_demo_cdp.py            # write the demo's copy (OUT below)
    python tools/extract_demo_cdp.py --check    # exit 1 if that copy is out of date
    python tools/extract_demo_cdp.py --explain  # also list the rows left out, and why

Input: ``../shared/data/cdp-citywide-emissions/`` (CDP-ICLEI unified reporting, reporting
years 2016-2019, one layout per year). Output: one row per demo city and accounting year
with the city's *stated* total emissions and its reported population, ready to be entered as
KPI ``EN: EN: AQ: 2C`` (GHG emissions per capita = total / population). The package ships the
output; nothing reads ``../shared`` at run time.

Rules (decision 0603), because the files contain what real data contains:

- the total is the city's own total column (2016: "Total City-wide Emissions", 2017: "Total
  emissions", 2018-2019: "Total BASIC Emissions (GPC)"); scopes are not summed, because
  several cities report scopes that exceed their total;
- the accounting year is the year the accounting period starts (2016: the year of the
  "Measurement Year" date); periods longer than about a year are left out;
- when several files give the same city and accounting year, or the same total under
  different accounting years, the latest reporting year wins;
- a per-capita figure outside 0.5-30 t is left out (thousands of tonnes written as tonnes,
  a population in thousands): the reason is listed by ``--explain``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "cdp-citywide-emissions"
OUT = ROOT / "src" / "u4ssc" / "apps" / "demo" / "data" / "cdp-ghg-demo-cities.csv"
sys.path.insert(0, str(ROOT / "src"))

from u4ssc.apps.demo.programme import CITIES  # noqa: E402  (after the path is set)

ATTRIBUTION = (
    "This data was collected in partnership by CDP and ICLEI - Local Governments for Sustainability"
)
PORTAL = "https://data.cdp.net/"
MIN_PER_CAPITA, MAX_PER_CAPITA = 0.5, 30.0

FILES = {
    2016: "2016_-_Citywide_GHG_Emissions.csv",
    2017: "2017_-_Cities_Community_Wide_Emissions.csv",
    2018: "2018_City-wide_Emissions.csv",
    2019: "2019_City-wide_Emissions.csv",
}
# (city column, total column, total's name in the output, accounting column, population, year)
LAYOUT = {
    2016: ("City Short Name", "Total City-wide Emissions (metric tonnes CO2e)",
           "Total City-wide Emissions", "Measurement Year", "Current Population",
           "Current Population Year"),
    2017: ("City", "Total emissions (metric tonnes CO2e)", "Total emissions",
           "Accounting year", "Population", "Population year"),
    2018: ("City", "Total BASIC Emissions (GPC)", "Total BASIC Emissions (GPC)",
           "Accounting Year", "Population", "Population Year"),
    2019: ("City", "Total BASIC Emissions (GPC)", "Total BASIC Emissions (GPC)",
           "Accounting Year", "Population", "Population Year"),
}  # fmt: skip
# CDP's spelling -> the registry name used by the demo (when they differ).
ALIASES = {
    ("Aarhus", "DK"): "Århus",
    ("Aarhus Kommune", "DK"): "Århus",
    ("Stadt Zürich", "CH"): "Zürich",
    ("Basel-Stadt", "CH"): "Basel",
    ("Stadt Heidelberg", "DE"): "Heidelberg",
    ("Wroclaw", "PL"): "Wrocław",
}
COUNTRIES = {
    "Norway": "NO", "Sweden": "SE", "Denmark": "DK", "Finland": "FI", "Iceland": "IS",
    "Austria": "AT", "Slovenia": "SI", "Slovakia": "SK", "Czech Republic": "CZ",
    "Czechia": "CZ", "Hungary": "HU", "Poland": "PL", "Croatia": "HR", "Switzerland": "CH",
    "Germany": "DE", "Portugal": "PT", "Spain": "ES", "Argentina": "AR", "Colombia": "CO",
    "Chile": "CL", "Uruguay": "UY", "Brazil": "BR", "Mexico": "MX", "Ecuador": "EC",
    "United Arab Emirates": "AE", "Saudi Arabia": "SA", "Oman": "OM", "Jordan": "JO",
    "Tunisia": "TN", "Rwanda": "RW", "Uganda": "UG", "Kenya": "KE", "Ghana": "GH",
    "Singapore": "SG", "Malaysia": "MY", "Viet Nam": "VN", "India": "IN",
}  # fmt: skip
COLUMNS = [
    "city",
    "country",
    "accounting_year",
    "total_tco2e",
    "population",
    "population_year",
    "per_capita",
    "total_column",
    "cdp_account",
    "cdp_file",
    "reporting_year",
    "attribution",
]


@dataclass
class Row:
    city: str
    country: str
    accounting_year: int
    total: float
    population: int
    population_year: str
    total_column: str
    account: str
    file: str
    reporting_year: int

    @property
    def per_capita(self) -> float:
        return self.total / self.population


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\u200b", "").replace("\xa0", " ").split())


def _number(text: str | None) -> float | None:
    t = _clean(text).replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def _accounting_year(text: str, reporting_year: int) -> int | None:
    """The first year of the accounting period, or None if unknown or several years long."""
    t = _clean(text)
    if reporting_year == 2016:  # "12/31/2013 12:00:00 AM"
        m = re.match(r"(\d{2})/(\d{2})/(\d{4})", t)
        return int(m.group(3)) if m else None
    dates = re.findall(r"(\d{4})-(\d{2})-(\d{2})", t)
    if not dates:
        return None
    start = date(*map(int, dates[0]))
    if len(dates) > 1 and (date(*map(int, dates[1])) - start).days > 400:
        return None
    return start.year


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def read_rows(shared: Path = SHARED) -> tuple[list[Row], list[str]]:
    """Usable rows of demo cities, and the reasons rows were left out."""
    demo = {(_key(c.name), c.country): c.name for c in CITIES}
    rows: list[Row] = []
    dropped: list[str] = []
    for year, filename in FILES.items():
        city_col, total_col, total_name, acc_col, pop_col, pop_year_col = LAYOUT[year]
        with (shared / filename).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = [_clean(f) for f in reader.fieldnames or []]
            for raw in reader:
                country = COUNTRIES.get(_clean(raw.get("Country")))
                cdp_name = _clean(raw.get(_clean(city_col)))
                if country is None or not cdp_name:
                    continue
                name = ALIASES.get((cdp_name, country), cdp_name)
                city = demo.get((_key(name), country))
                if city is None:
                    continue
                where = f"{city} ({filename})"
                total = _number(raw.get(_clean(total_col)))
                population = _number(raw.get(_clean(pop_col)))
                acc = _accounting_year(raw.get(_clean(acc_col)) or "", year)
                if total is None or not population or acc is None:
                    dropped.append(f"{where}: no stated total, population or one-year period")
                    continue
                row = Row(
                    city=city,
                    country=country,
                    accounting_year=acc,
                    total=total,
                    population=int(population),
                    population_year=_clean(raw.get(_clean(pop_year_col))),
                    total_column=total_name,
                    account=_clean(raw.get("Account Number") or raw.get("Account number")),
                    file=filename,
                    reporting_year=year,
                )
                if not MIN_PER_CAPITA <= row.per_capita <= MAX_PER_CAPITA:
                    dropped.append(
                        f"{where} {acc}: {row.per_capita:.4g} t per person is not plausible "
                        "(a total in thousands of tonnes or a population in thousands?)"
                    )
                    continue
                rows.append(row)
    return _latest(rows, dropped), dropped


def _latest(rows: list[Row], dropped: list[str]) -> list[Row]:
    """One row per city and accounting year, and per city and total: the latest report."""
    rows = sorted(rows, key=lambda r: (r.city, -r.reporting_year, r.accounting_year))
    kept: list[Row] = []
    seen_year: set[tuple[str, int]] = set()
    seen_total: set[tuple[str, float]] = set()
    for r in rows:
        if (r.city, r.accounting_year) in seen_year or (r.city, round(r.total)) in seen_total:
            dropped.append(f"{r.city} ({r.file}) {r.accounting_year}: superseded by a later report")
            continue
        seen_year.add((r.city, r.accounting_year))
        seen_total.add((r.city, round(r.total)))
        kept.append(r)
    return sorted(kept, key=lambda r: (r.country, r.city, r.accounting_year))


def render(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.city,
                r.country,
                r.accounting_year,
                f"{r.total:.2f}".rstrip("0").rstrip("."),
                r.population,
                r.population_year,
                f"{r.per_capita:.3f}",
                r.total_column,
                r.account,
                r.file,
                r.reporting_year,
                ATTRIBUTION,
            ]
        )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    parser.add_argument("--explain", action="store_true", help="list the rows left out")
    args = parser.parse_args(argv)
    rows, dropped = read_rows()
    text = render(rows)
    if args.explain:
        print("\n".join(dropped))
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python {__file__}")
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
