"""Loading the demo data (filled in by the demo-data work)."""

from __future__ import annotations


def load_demo() -> str:
    return "demo data: nothing to load yet"
