"""``u4ssc manage ...``: Django's management commands (migrate, runserver, createsuperuser)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "manage",
        help="run a Django management command (migrate, runserver, ...)",
        add_help=False,
    )
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "u4ssc.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["u4ssc manage", *args.args])
    return 0
