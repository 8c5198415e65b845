"""Copy the demo cities' rows of the CDP city-wide emissions files the demo imports.

    python tools/extract_demo_cdp.py            # write the demo's copies (OUT below)
    python tools/extract_demo_cdp.py --check    # exit 1 if a copy is out of date
    python tools/extract_demo_cdp.py --explain  # also list the rows kept, per file

Input: ``../shared/data/cdp-citywide-emissions/``, the files named in
``u4ssc.apps.demo.sources.CDP_FILES``. Output: one file of the same name in ``OUT`` with the
header line and every row that may belong to a demo city, byte for byte as in the original
(the package ships the copies; nothing reads ``../shared`` at run time). ``u4ssc demo load``
imports them through the transfer app's import profiles, so whatever the demo holds of
these files is what importing the originals gives (decision 0603).

A row is kept when its country is a demo city's country and one of the names the profile
reads for the city (``City``, ``Organization``, ``City Short Name`` ...), folded like the
platform folds names, holds a demo city's name as whole words ("Stadt Heidelberg") or holds,
whole or as a run of its words, a name the world city registry knows for the demo city's
place ("Lisboa", "Aarhus Kommune"). That is a superset
of the rows the import matches to a demo city: the rows it does not match are skipped and
listed by the import, like any row of a city that is not in the platform. The demo's load
test imports the originals again and finds nothing new or changed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "cdp-citywide-emissions"
OUT = ROOT / "src" / "u4ssc" / "apps" / "demo" / "data" / "cdp"
PROFILES = ROOT / "src" / "u4ssc" / "apps" / "transfer" / "profiles"
sys.path.insert(0, str(ROOT / "src"))

# after the path is set; neither imports Django
from u4ssc.apps.demo.programme import CITIES  # noqa: E402
from u4ssc.apps.demo.sources import CDP_FILES, CdpFile  # noqa: E402
from u4ssc.core import registry  # noqa: E402
from u4ssc.core.registry import fold  # noqa: E402

# How the CDP files spell the demo cities' countries.
COUNTRIES = {
    "Norway": "NO", "Sweden": "SE", "Denmark": "DK", "Finland": "FI", "Iceland": "IS",
    "Austria": "AT", "Slovenia": "SI", "Slovakia": "SK", "Czech Republic": "CZ",
    "Czechia": "CZ", "Hungary": "HU", "Poland": "PL", "Croatia": "HR", "Switzerland": "CH",
    "Germany": "DE", "Portugal": "PT", "Spain": "ES", "Argentina": "AR", "Colombia": "CO",
    "Chile": "CL", "Uruguay": "UY", "Brazil": "BR", "Mexico": "MX", "Ecuador": "EC",
    "United Arab Emirates": "AE", "Saudi Arabia": "SA", "Oman": "OM", "Jordan": "JO",
    "Tunisia": "TN", "Rwanda": "RW", "Uganda": "UG", "Kenya": "KE", "Ghana": "GH",
    "Singapore": "SG", "Malaysia": "MY", "Viet Nam": "VN", "Vietnam": "VN", "India": "IN",
}  # fmt: skip
_PUNCTUATION = re.compile(r"[\W_]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))


def _header(text: str) -> str:
    """A column name as the import compares it (zero-width characters, NBSP, case)."""
    return " ".join(text.translate(_INVISIBLE).replace("\xa0", " ").split()).casefold()


def _name(text: str) -> str:
    """A name folded as the platform's city matching folds it (decision 0505)."""
    return _PUNCTUATION.sub(" ", fold(unicodedata.normalize("NFKC", text))).strip()


def records(data: bytes) -> Iterator[tuple[bytes, list[str]]]:
    """Each CSV record with the exact bytes it spans (a quoted cell may hold line breaks)."""
    consumed: list[bytes] = []

    def lines() -> Iterator[str]:
        for line in io.BytesIO(data):
            consumed.append(line)
            yield line.decode("utf-8-sig" if len(consumed) == 1 else "utf-8")

    for cells in csv.reader(lines()):
        raw = b"".join(consumed)
        consumed.clear()
        yield (raw if raw.endswith(b"\n") else raw + b"\n"), cells


class DemoCities:
    """Decides whether a row may be one of a demo city's."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}  # country -> folded demo city names
        self.places: dict[int, str] = {}  # registry place -> demo city
        for city in CITIES:
            self.names.setdefault(city.country, []).append(_name(city.name))
            place = registry.find_city(city.name, city.country)
            if place is None:
                raise LookupError(f"{city.name} ({city.country}) is not in the city registry")
            self.places[place.geonames_id] = city.name

    def city(self, names: list[str], country_cell: str) -> str | None:
        country = COUNTRIES.get(" ".join(country_cell.split()))
        if country not in self.names:
            return None
        for text in names:
            folded = f" {_name(text)} "
            for demo in self.names[country]:
                if f" {demo} " in folded:
                    return demo
            # the whole name, or words of it, as the registry knows the demo city's place
            # ("Lisboa"; "Aarhus Kommune" holds "Aarhus", the registry's name for Århus)
            for part in _word_runs(text):
                place = registry.find_city(part, country)
                if place is not None and place.geonames_id in self.places:
                    return self.places[place.geonames_id]
        return None


def _word_runs(text: str, longest: int = 3) -> list[str]:
    """The text, then every run of up to ``longest`` of its words."""
    words = text.split()
    if not words:
        return []
    runs = [" ".join(words)]
    for size in range(min(longest, len(words)), 0, -1):
        runs += [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return runs


def _cell(cells: list[str], header: dict[str, int], column: str) -> str:
    i = header[column]
    return cells[i] if i < len(cells) else ""


def copy_rows(cdp: CdpFile, cities: DemoCities, shared: Path = SHARED) -> tuple[bytes, list[str]]:
    """The demo's copy of one file, and a line per row kept (for ``--explain``)."""
    mapping = json.loads((PROFILES / f"{cdp.profile}.json").read_text(encoding="utf-8"))["mapping"]
    name_columns = [_header(c) for c in mapping["city"]["name"]]
    country_column = _header(mapping["city"]["country"])
    out: list[bytes] = []
    kept: list[str] = []
    header: dict[str, int] = {}
    for number, (raw, cells) in enumerate(records((shared / cdp.name).read_bytes()), start=1):
        if number == 1:
            header = {_header(h): i for i, h in reversed(list(enumerate(cells)))}
            out.append(raw)
            continue
        names = [_cell(cells, header, c) for c in name_columns]
        city = cities.city(names, _cell(cells, header, country_column))
        if city is not None:
            out.append(raw)
            kept.append(f"  row {number}: {' / '.join(n for n in names if n)} -> {city}")
    return b"".join(out), kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a copy is stale")
    parser.add_argument("--explain", action="store_true", help="list the rows kept")
    args = parser.parse_args(argv)
    cities = DemoCities()
    copies = {}
    for cdp in CDP_FILES:
        copies[cdp.name], kept = copy_rows(cdp, cities)
        if args.explain:
            print(f"{cdp.name}: {len(kept)} rows\n" + "\n".join(kept))
    if args.check:
        present = {p.name for p in OUT.glob("*.csv")}
        stale = sorted(
            (present ^ set(copies))
            | {n for n in present & set(copies) if (OUT / n).read_bytes() != copies[n]}
        )
        if stale:
            print(f"out of date in {OUT.relative_to(ROOT)}: {', '.join(stale)}; run {__file__}")
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.csv"):
        if old.name not in copies:
            old.unlink()
    for name, data in copies.items():
        (OUT / name).write_bytes(data)
        rows = sum(1 for _ in records(data)) - 1
        print(f"wrote {rows} rows to {(OUT / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
