"""``u4ssc report``: make a City Snapshot or a national programme report (PDF or xlsx).

Same content as the download buttons on the pages (``u4ssc.apps.reports``): the city's
benchmarking profile or the group's programme view, from published data only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from u4ssc.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help="make a City Snapshot or a national programme report (PDF or xlsx)",
        description="Make a City Snapshot of one city's year, or the national programme "
        "report of a group of cities, as PDF or xlsx, from published data.",
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    snap = kinds.add_parser("snapshot", help="a city's City Snapshot")
    snap.add_argument("--city", required=True, metavar="SLUG")
    national = kinds.add_parser("national", help="a national programme (or hub) report")
    national.add_argument("--group", required=True, metavar="SLUG")
    for sub in (snap, national):
        sub.add_argument(
            "--year",
            type=int,
            help="default: the city's latest published year; for a group, the year most of "
            "its cities have published",
        )
        sub.add_argument(
            "--format",
            choices=("pdf", "xlsx"),
            default=None,
            help="default: from --out's extension, else pdf",
        )
        sub.add_argument("--lang", choices=("en", "nb"), default="en")
    snap.add_argument("--target-set", metavar="SLUG", help="default: the programme default")
    national.add_argument(
        "--target-set",
        metavar="SLUG",
        help="default: the group's national target set, else the programme default",
    )
    for sub in (snap, national):
        sub.add_argument("--out", required=True, type=Path, metavar="FILE")
        sub.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from u4ssc.cli._files import out_problem

    if problem := out_problem(args.out):
        print(f"u4ssc report: {problem}", file=sys.stderr)
        return 2
    django_setup()
    from u4ssc.apps.reports import actions

    fmt = args.format or ("xlsx" if args.out.suffix.lower() == ".xlsx" else "pdf")
    started = time.monotonic()
    try:
        if args.kind == "snapshot":
            subject = actions.find_city(args.city)
            year = args.year or actions.default_year(subject)
            data = actions.build_snapshot(
                city=subject, year=year, fmt=fmt, lang=args.lang, target_set=args.target_set
            )
        else:
            subject = actions.find_group(args.group)
            year = args.year or actions.default_year(subject)
            data = actions.build_national(
                group=subject, year=year, fmt=fmt, lang=args.lang, target_set=args.target_set
            )
    except actions.ReportError as exc:
        print(f"u4ssc report: {exc}", file=sys.stderr)
        return 2
    args.out.write_bytes(data)
    seconds = time.monotonic() - started
    print(
        f"wrote {args.out}: {subject.name} {year} ({len(data):,} bytes, {seconds:.1f} s)",
        file=sys.stderr,
    )
    return 0
