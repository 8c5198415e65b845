"""``u4ssc demo load``: load the demo programme (idempotent), print the demo accounts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from u4ssc.cli import django_setup

if TYPE_CHECKING:
    from u4ssc.apps.demo.programme import Account


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="demo data")
    sub = p.add_subparsers(dest="demo_command", required=True)
    load = sub.add_parser(
        "load",
        help="load the demo programme, cities, accounts and values (once; then only prints "
        "the accounts)",
    )
    load.add_argument(
        "--reset", action="store_true", help="remove the demo data loaded before, then load it"
    )
    load.add_argument("--seed", type=int, default=None, help="seed of the synthetic values")
    load.add_argument("--quiet", action="store_true", help="print only the accounts")
    load.add_argument(
        "--force",
        action="store_true",
        help="load even though the platform runs in production mode (U4SSC_DEBUG=0)",
    )
    load.set_defaults(handler=handle_load)


def handle_load(args: argparse.Namespace) -> int:
    django_setup()
    from u4ssc.apps.demo.actions import DemoConflict, load_demo
    from u4ssc.apps.demo.programme import SEED

    def say(message: str) -> None:
        if not args.quiet:
            print(message, flush=True)

    from django.conf import settings

    if not settings.DEBUG and not args.force:
        print(
            "u4ssc demo load: this platform runs in production mode (U4SSC_DEBUG=0). The demo "
            "creates a superuser whose password is printed; use --force only for a public "
            "demo site that holds no real data.",
            file=sys.stderr,
        )
        return 1
    seed = args.seed if args.seed is not None else SEED
    try:
        report = load_demo(seed=seed, reset=args.reset, say=say)
    except DemoConflict as exc:
        print(f"u4ssc demo load: {exc}", file=sys.stderr)
        return 1
    out = sys.stdout
    if report.created:
        out.write(f"\nDemo loaded in {report.seconds:.1f} s (seed {report.seed}).\n")
        summary = ", ".join(f"{v} {k}" for k, v in report.counts.items())
        out.write(f"{summary}\n")
    else:
        out.write(
            f"The demo is already loaded (seed {report.seed}, took {report.seconds:.1f} s); "
            "nothing changed. `u4ssc demo load --reset` loads it afresh.\n"
        )
    out.write("\n" + accounts_table(report.accounts) + "\n")
    out.write(
        "\nWARNING: these passwords are printed on purpose and are for the embedded demo "
        "only. Never load the demo into a platform that holds real data or is reachable by "
        "others.\n"
    )
    return 0


def accounts_table(accounts: Sequence[Account]) -> str:
    """The demo accounts as a plain-text table: role, username, password, what to try."""
    from u4ssc.apps.accounts.models import Role

    rows = [("Role", "Username", "Password", "What to try")]
    rows += [(str(Role(a.role).label), a.username, a.password, a.try_this) for a in accounts]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row[:3])) + "  " + row[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 11)
    return "\n".join(lines)
