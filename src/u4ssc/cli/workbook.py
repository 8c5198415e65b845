"""``u4ssc workbook CITY YEAR``: the data-collection workbook of a city-year (xlsx)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("workbook", help="write the data-collection workbook of a city-year")
    p.add_argument("city", metavar="CITY", help="the city's slug")
    p.add_argument("year", type=int)
    p.add_argument("--out", type=Path, help="file to write (default: the usual file name)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from u4ssc.cli import django_setup
    from u4ssc.cli._files import out_problem

    if args.out is not None and (problem := out_problem(args.out)):
        print(f"u4ssc workbook: {problem}", file=sys.stderr)
        return 2
    django_setup()
    from u4ssc.apps.evaluations.years import year_refusal
    from u4ssc.apps.organisations.models import Organisation, OrgKind
    from u4ssc.apps.transfer.queries import stored_values
    from u4ssc.apps.transfer.workbook import build_workbook, generated_name
    from u4ssc.core.catalogue import load_catalogue

    city = Organisation.objects.filter(slug=args.city, kind=OrgKind.CITY).first()
    if city is None:
        print(f"u4ssc workbook: no city {args.city!r}", file=sys.stderr)
        return 2
    refusal = year_refusal(args.year)
    if refusal is not None:
        print(f"u4ssc workbook: {refusal.english()}", file=sys.stderr)
        return 2
    out = args.out or Path(generated_name(city, args.year))
    with out.open("wb") as fh:
        build_workbook(
            city=city,
            year=args.year,
            values=stored_values(city, args.year),
            catalogue=load_catalogue(),
            stream=fh,
        )
    print(f"wrote {out}", file=sys.stderr)
    return 0
