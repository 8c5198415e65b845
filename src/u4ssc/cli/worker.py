"""``u4ssc worker``: run queued background tasks (production mode U4SSC_TASKS_MODE=worker)."""

from __future__ import annotations

import argparse

from u4ssc.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("worker", help="run queued background tasks")
    p.add_argument("--once", action="store_true", help="run what is queued, then exit")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between polls")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    django_setup()
    from u4ssc.apps.tasks.actions import run_worker

    ran = run_worker(once=args.once, poll_seconds=args.poll)
    print(f"ran {ran} task(s)")
    return 0
