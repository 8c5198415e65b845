"""``u4ssc export``: published KPI values as CSV, xlsx, JSON or a Frictionless Data Package.

Scope: ``--city`` (one city, all years, or one with ``--year``), ``--group`` (a programme,
hub or national programme: its cities), or nothing (every published value).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from u4ssc.cli import django_setup

FORMATS = ("csv", "xlsx", "json", "datapackage")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export",
        help="export published KPI values (csv, xlsx, json, datapackage)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--city", metavar="SLUG", help="one city")
    p.add_argument("--group", metavar="SLUG", help="a programme, hub or national programme")
    p.add_argument("--year", type=int, help="one year")
    p.add_argument("--out", type=Path, help="the file to write (default: standard output)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from u4ssc.cli._files import out_problem

    if args.out is not None and (problem := out_problem(args.out)):
        print(f"u4ssc export: {problem}", file=sys.stderr)
        return 2
    django_setup()
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _handle(args)


def _handle(args: argparse.Namespace) -> int:
    from u4ssc.apps.transfer.exports import export_file
    from u4ssc.apps.transfer.queries import ScopeError, export_scope

    if args.city and args.group:
        print("u4ssc export: give --city or --group, not both", file=sys.stderr)
        return 2
    try:
        scope = export_scope(city=args.city, group=args.group, year=args.year)
    except ScopeError as exc:
        print(f"u4ssc export: {exc}", file=sys.stderr)
        return 2
    out, _name, count = export_file(args.format, scope)
    with out:
        if args.out is None:
            shutil.copyfileobj(out, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with args.out.open("wb") as fh:
                shutil.copyfileobj(out, fh)
    where = args.out or "standard output"
    print(f"{count} published values written to {where} ({args.format})", file=sys.stderr)
    return 0
