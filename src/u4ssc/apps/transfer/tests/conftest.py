"""Fixtures of the transfer tests: real files written to ``tmp_path``, the real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from u4ssc.apps.transfer.actions import import_file

LONG_HEADER = [
    "city",
    "year",
    "kpi",
    "data_point",
    "component",
    "value",
    "unit",
    "source",
    "quality",
]


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def long_csv(path: Path, rows: list[list[Any]]) -> Path:
    return write_csv(path, [LONG_HEADER, *rows])


def run(path: Path, actor: Any, **kwargs: Any) -> Any:
    """Import ``path`` as ``actor``; returns (run, report)."""
    with path.open("rb") as fh:
        return import_file(actor=actor, stream=fh, file_name=path.name, **kwargs)


def run_bytes(data: bytes, name: str, actor: Any, **kwargs: Any) -> Any:
    return import_file(actor=actor, stream=io.BytesIO(data), file_name=name, **kwargs)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English; a page test before may have left Norwegian on."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def officer(world: Any) -> Any:
    return world.user("officer")


def publish(world: Any, city: Any, year: int, inputs: list[Any]) -> Any:
    """Enter ``inputs`` for ``city`` and ``year`` and take them through the real workflow:
    submit, review (accept every value), verify, publish. Returns the evaluation."""
    from u4ssc.apps.accounts.models import Role
    from u4ssc.apps.evaluations import actions as ev
    from u4ssc.apps.evaluations.models import Evaluation
    from u4ssc.conftest import make_user

    officer = make_user(f"officer-{city.slug}-{year}", (Role.CITY_OFFICER, city))
    verifier = make_user(f"verifier-{city.slug}-{year}", (Role.VERIFIER, city))
    for inp in inputs:
        inp.city_id, inp.year = city.id, year
    result = ev.apply_entries(actor=officer, inputs=inputs, channel="form")
    assert result.ok, result.problems
    evaluation = Evaluation.objects.get(city=city, year=year)
    ev.submit_evaluation(actor=officer, evaluation=evaluation)
    ev.start_review(actor=verifier, evaluation=evaluation)
    for value in evaluation.values.all():
        ev.review_value(actor=verifier, value=value, accept=True)
    ev.verify_evaluation(actor=verifier, evaluation=evaluation, attestation="Checked sources.")
    ev.publish_evaluation(actor=verifier, evaluation=evaluation)
    evaluation.refresh_from_db()
    return evaluation
