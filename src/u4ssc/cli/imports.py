"""``u4ssc import FILE``: import a workbook, a long CSV or a mapped table; print the report.

Without ``--as`` the import is an operator's trusted import (no permission check, recorded
with channel ``cli``); with ``--as USERNAME`` it runs with that person's permissions.
Exit status: 0 written or checked, 1 refused (nothing written), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from u4ssc.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import",
        help="import a data-collection workbook, a long CSV or a mapped table",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", type=Path, help="the .xlsx or .csv file")
    p.add_argument("--profile", metavar="NAME", help="import profile (slug or name)")
    p.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    p.add_argument("--as", dest="as_user", metavar="USERNAME", help="import as this user")
    p.add_argument("--city", metavar="SLUG", help="only this city (as its upload page)")
    p.add_argument("--year", type=int, help="only this year (as a city-year upload page)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--all", action="store_true", help="list every skipped row too")
    p.add_argument("--list-profiles", action="store_true", help="list the import profiles")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _handle(args)


def _handle(args: argparse.Namespace) -> int:
    from u4ssc.apps.accounts.models import User
    from u4ssc.apps.evaluations.years import year_refusal
    from u4ssc.apps.organisations.models import Organisation, OrgKind
    from u4ssc.apps.transfer import queries
    from u4ssc.apps.transfer.actions import import_file

    if args.list_profiles:
        for profile in queries.profiles():
            print(f"{profile.slug:36} {profile.name}")
        return 0
    if args.file is None:
        print("u4ssc import: give the FILE to import", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"u4ssc import: no such file: {args.file}", file=sys.stderr)
        return 2
    profile = None
    if args.profile:
        profile = queries.find_profile(args.profile)
        if profile is None:
            names = ", ".join(p.slug for p in queries.profiles())
            print(f"u4ssc import: no import profile {args.profile!r} ({names})", file=sys.stderr)
            return 2
    actor: Any = None
    if args.as_user:
        actor = User.objects.filter(username=args.as_user).first()
        if actor is None:
            print(f"u4ssc import: no user {args.as_user!r}", file=sys.stderr)
            return 2
    refusal = year_refusal(args.year) if args.year is not None else None
    if refusal is not None:
        print(f"u4ssc import: {refusal.english()}", file=sys.stderr)
        return 2
    city = None
    if args.city:
        city = Organisation.objects.filter(slug=args.city, kind=OrgKind.CITY).first()
        if city is None:
            print(f"u4ssc import: no city {args.city!r}", file=sys.stderr)
            return 2
    with args.file.open("rb") as fh:
        run, report = import_file(
            actor=actor,
            stream=fh,
            file_name=args.file.name,
            profile=profile,
            dry_run=args.dry_run,
            channel="cli",
            city=city,
            year=args.year,
            check_permission=actor is not None,
        )
    if args.json:
        print(json.dumps({"id": run.pk, **run.report}, ensure_ascii=False, indent=2))
    else:
        print_report(report, run.pk, show_all=args.all)
    return 1 if report.refused else 0


def print_report(report: Any, run_id: int, *, show_all: bool = False) -> None:
    out = sys.stdout
    print(report.summary(), file=out)
    for title, findings in (
        ("Errors", report.errors),
        ("Warnings", report.warnings),
        ("Skipped and notes", report.infos),
    ):
        if not findings:
            continue
        print(f"\n{title} ({len(findings)}):", file=out)
        shown = findings if show_all or title != "Skipped and notes" else findings[:20]
        for f in shown:
            where = ", ".join(p for p in (f.row, f.column and f"column {f.column}") if p)
            code = " ".join(p for p in (f.kpi_code, f.data_point) if p)
            kpi = f" {code}:" if code else ""
            line = f"  {where or '-'}:{kpi} {f.message}"
            if f.value:
                line += f" [given: {f.value}]"
            if f.expected:
                line += f" [expected: {f.expected}]"
            print(line, file=out)
        if len(shown) < len(findings):
            print(f"  ... {len(findings) - len(shown)} more (--all lists them)", file=out)
    print(f"\nImport run {run_id}.", file=out)
