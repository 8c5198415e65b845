"""``u4ssc catalogue``: print the KPI catalogue (or the default target set) as JSON or CSV.

A core command: it reads the data files shipped in the package and never touches Django.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, TextIO


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "catalogue",
        help="print the KPI catalogue as JSON or CSV",
        description=(
            "Print the 91 U4SSC KPIs with units, measures, directions, ranges and data points "
            "(JSON nests the data points; CSV flattens them into columns), or with --targets "
            "the default target set."
        ),
    )
    p.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    p.add_argument(
        "--version",
        dest="catalogue_version",
        metavar="V",
        default=None,
        help="catalogue version, e.g. 2026.1 (default: the latest shipped)",
    )
    p.add_argument(
        "--targets",
        action="store_true",
        help="print the default target set (public sources only) instead of the KPIs",
    )
    p.set_defaults(handler=handle)


def _utf8(out: TextIO) -> TextIO:
    # Names carry ø/å and units µg/m³: exports are UTF-8 whatever the terminal's locale.
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8")
    return out


def _write_csv(out: TextIO, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def _cell(x: Any) -> Any:
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def handle(args: argparse.Namespace) -> int:
    from u4ssc.core.catalogue import (
        CSV_COLUMNS,
        CatalogueError,
        catalogue_csv_rows,
        catalogue_records,
        load_catalogue,
    )
    from u4ssc.core.targets import TARGET_FIELDS, default_target_set

    out = _utf8(sys.stdout)
    try:
        catalogue = load_catalogue(args.catalogue_version)
        target_set = default_target_set(catalogue.version) if args.targets else None
    except CatalogueError as exc:
        print(f"u4ssc catalogue: {exc}", file=sys.stderr)
        return 2

    if target_set is not None:
        if args.format == "json":
            json.dump(target_set, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            rows = [{k: _cell(t[k]) for k in TARGET_FIELDS} for t in target_set["targets"]]
            _write_csv(out, TARGET_FIELDS, rows)
        return 0

    if args.format == "json":
        records = catalogue_records(catalogue)
        doc = {"version": catalogue.version, "count": len(records), "kpis": records}
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _write_csv(out, CSV_COLUMNS, list(catalogue_csv_rows(catalogue)))
    return 0
