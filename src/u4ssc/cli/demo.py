"""``u4ssc demo load``: load the demo data into the database."""

from __future__ import annotations

import argparse

from u4ssc.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="demo data")
    sub = p.add_subparsers(dest="demo_command", required=True)
    load = sub.add_parser("load", help="load the demo programme, cities, accounts and values")
    load.set_defaults(handler=handle_load)


def handle_load(args: argparse.Namespace) -> int:
    django_setup()
    from u4ssc.apps.demo.actions import load_demo

    report = load_demo()
    print(report)
    return 0
