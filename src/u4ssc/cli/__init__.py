"""The ``u4ssc`` command line.

Every module in this package that defines ``register(subparsers)`` adds one subcommand,
so a new command is a new file and nothing else changes. Commands that need the database
call :func:`u4ssc.cli.django_setup` first; core commands (``catalogue``, ``score``,
``simulate``) never touch Django (``simulate --city``, which reads a city's published
values, is the one exception).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence


def django_setup() -> None:
    """Configure Django for commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "u4ssc.web.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="u4ssc",
        description="U4SSC platform: KPI catalogue, data import/export, scoring, simulation.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except BrokenPipeError:  # `u4ssc catalogue | head` must not print a traceback
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.filename is None:
            raise
        # A file that vanished or may not be written half-way: one line, no traceback.
        print(f"u4ssc {args.command}: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1
    except Exception as exc:
        if not _is_configuration_error(exc):
            raise
        # A setting that refuses to start (a weak secret key in production, a bad boolean)
        # is the operator's to fix: say what, in one line, without a traceback.
        print(f"u4ssc: the configuration is refused: {exc}", file=sys.stderr)
        return 2
    return int(result or 0)


def _is_configuration_error(exc: BaseException) -> bool:
    # Only when Django was loaded: core commands never import it.
    exceptions = sys.modules.get("django.core.exceptions")
    return exceptions is not None and isinstance(exc, exceptions.ImproperlyConfigured)
