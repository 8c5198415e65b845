"""Build, store and hand out reports.

``build_snapshot`` / ``build_national`` make the bytes of a report (PDF or xlsx) from the
benchmarking data layer (``sources``); ``store`` keeps them under ``DATA_DIR/reports/`` with a
JSON sidecar saying what went in; ``request_snapshot`` / ``request_national`` check who
asks and queue the background task that does both (``tasks.py``). ``may_download`` is the
one rule for handing a stored file out: published data to everyone, unpublished data only
to people who may see the city's unpublished data.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.text import slugify

from u4ssc.apps.accounts.permissions import Action, can, cities_where
from u4ssc.apps.catalogue.models import TargetSet
from u4ssc.apps.evaluations.models import Evaluation, State
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.reports import content, render, sources

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Step = Callable[[float, str], None]


class ReportError(ValueError):
    """A report cannot be made as asked (unknown city, no data for the year, bad format)."""


def _quiet(fraction: float, message: str = "") -> None:
    return None


def _scaled(progress: Step, start: float, end: float) -> Step:
    return lambda f, msg="": progress(start + (end - start) * f, msg)


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}: use pdf or xlsx")
    if lang not in content.LANGUAGES:
        raise ReportError(f"unknown language {lang!r}: use {' or '.join(content.LANGUAGES)}")


def _target_set(slug: str | None) -> TargetSet | None:
    if not slug:
        return None
    found = TargetSet.objects.filter(slug=slug).first()
    if found is None:
        raise ReportError(f"no target set {slug!r}")
    return found


def _render(document: dict[str, Any], fmt: str, progress: Step) -> bytes:
    if fmt == "pdf":
        return render.render_pdf(document, progress)
    return render.render_xlsx(document, progress)


def find_city(slug: str) -> Organisation:
    city = Organisation.objects.filter(slug=slug, kind=OrgKind.CITY).first()
    if city is None:
        raise ReportError(f"no city {slug!r}")
    return city


def find_group(slug: str) -> Organisation:
    group = Organisation.objects.filter(slug=slug).exclude(kind=OrgKind.CITY).first()
    if group is None:
        raise ReportError(f"no national programme or other group {slug!r}")
    return group


def build_snapshot(
    *,
    city: Organisation,
    year: int,
    fmt: str = "pdf",
    lang: str = "en",
    include_unpublished: bool = False,
    target_set: str | None = None,
    progress: Step = _quiet,
) -> bytes:
    """The City Snapshot of ``city`` in ``year`` (published data unless
    ``include_unpublished``; the caller has checked that the asker may see it)."""
    _check(fmt, lang)
    query = Evaluation.objects.filter(city=city, year=year)
    if not include_unpublished:
        query = query.filter(state=State.PUBLISHED)
    if not query.exists():
        raise ReportError(f"{city.name} has no published data for {year}")
    progress(0.05, "reading scores")
    profile = sources.city_profile(
        city, year, _target_set(target_set), include_unpublished=include_unpublished
    )
    progress(0.3, "writing")
    document = content.snapshot_document(profile, lang)
    return _render(document, fmt, _scaled(progress, 0.35, 0.95))


def build_national(
    *,
    group: Organisation,
    year: int,
    fmt: str = "pdf",
    lang: str = "en",
    target_set: str | None = None,
    progress: Step = _quiet,
) -> bytes:
    """The national programme report of ``group`` in ``year`` (published data only)."""
    _check(fmt, lang)
    progress(0.05, "reading scores")
    view = sources.programme_view(group, year, _target_set(target_set))
    if not any(city["published"] for city in view["cities"]):
        raise ReportError(f"no city of {group.name} has published data for {year}")
    progress(0.3, "writing")
    document = content.national_document(view, lang)
    return _render(document, fmt, _scaled(progress, 0.35, 0.95))


# --- stored files ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredReport:
    file_id: str
    path: Path
    meta: dict[str, Any]

    @property
    def content_type(self) -> str:
        return FORMATS[self.meta["format"]]


def reports_dir() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def store(data: bytes, meta: dict[str, Any]) -> StoredReport:
    """Keep a built report: ``<id>.<format>`` and ``<id>.json`` (what went in)."""
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    file_id = uuid.uuid4().hex
    path = folder / f"{file_id}.{meta['format']}"
    path.write_bytes(data)
    (folder / f"{file_id}.json").write_text(json.dumps(meta), encoding="utf-8")
    return StoredReport(file_id, path, meta)


def open_stored(file_id: str) -> StoredReport | None:
    if not re.fullmatch(r"[0-9a-f]{32}", file_id):
        return None
    sidecar = reports_dir() / f"{file_id}.json"
    if not sidecar.exists():
        return None
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    path = reports_dir() / f"{file_id}.{meta['format']}"
    return StoredReport(file_id, path, meta) if path.exists() else None


def may_download(user: Any, report: StoredReport) -> bool:
    """Published data: everyone, while it is still published. Unpublished data: only people
    who may see that city's unpublished data."""
    meta = report.meta
    if meta["kind"] == "national":
        return True  # made from published values only
    evaluation = Evaluation.objects.filter(city_id=meta["org_id"], year=meta["year"]).first()
    if evaluation is None:
        return False
    if meta.get("include_unpublished") or evaluation.state != State.PUBLISHED:
        # can(VIEW) holds for everyone once a year is published; unpublished data needs a
        # role on the city, whatever the evaluation's state is now.
        return evaluation.city_id in cities_where(user, Action.VIEW)
    return True


def filename(meta: dict[str, Any]) -> str:
    stem = "city-snapshot" if meta["kind"] == "snapshot" else "national-report"
    return f"{stem}-{slugify(meta['org_slug'])}-{meta['year']}-{meta['lang']}.{meta['format']}"


def make_and_store(params: dict[str, Any], progress: Step = _quiet) -> StoredReport:
    """Build the report ``params`` describe (the task's parameters) and store it."""
    started = time.monotonic()
    kind, year = params["kind"], int(params["year"])
    fmt, lang = params.get("fmt", "pdf"), params.get("lang", "en")
    if kind == "snapshot":
        org = find_city(params["org"])
        include_unpublished = bool(params.get("include_unpublished"))
        data = build_snapshot(
            city=org,
            year=year,
            fmt=fmt,
            lang=lang,
            include_unpublished=include_unpublished,
            target_set=params.get("target_set"),
            progress=progress,
        )
    else:
        org = find_group(params["org"])
        include_unpublished = False
        data = build_national(
            group=org,
            year=year,
            fmt=fmt,
            lang=lang,
            target_set=params.get("target_set"),
            progress=progress,
        )
    meta = {
        "kind": kind,
        "org_id": org.id,
        "org_slug": org.slug,
        "year": year,
        "format": fmt,
        "lang": lang,
        "include_unpublished": include_unpublished,
        "target_set": params.get("target_set"),
        "seconds": round(time.monotonic() - started, 2),
    }
    return store(data, meta)


# --- requests from people (pages) -----------------------------------------------------


def snapshot_params(
    *, actor: Any, city: Organisation, year: int, fmt: str, lang: str
) -> dict[str, Any]:
    """What the task will build for ``actor``: published data, or, for someone who works
    on the city's data, the year as it stands (marked "not published")."""
    _check(fmt, lang)
    evaluation = Evaluation.objects.filter(city=city, year=year).first()
    if evaluation is None:
        raise ReportError(f"{city.name} has no data for {year}")
    published = evaluation.state == State.PUBLISHED
    if not published and not can(actor, Action.VIEW, evaluation):
        raise PermissionDenied("this year's data is not published")
    return {
        "kind": "snapshot",
        "org": city.slug,
        "year": year,
        "fmt": fmt,
        "lang": lang,
        "include_unpublished": not published,
    }


def request_snapshot(*, actor: Any, city: Organisation, year: int, fmt: str, lang: str) -> Any:
    """Queue a City Snapshot for ``actor``; returns the task (its page shows progress)."""
    from django.utils.translation import gettext as _

    from u4ssc.apps.tasks.actions import enqueue

    params = snapshot_params(actor=actor, city=city, year=year, fmt=fmt, lang=lang)
    title = _("City Snapshot %(city)s %(year)s (%(format)s)") % {
        "city": city.name,
        "year": year,
        "format": fmt.upper(),
    }
    return enqueue("reports.build", actor=actor, title=title, **params)


def request_national(*, actor: Any, group: Organisation, year: int, fmt: str, lang: str) -> Any:
    from django.utils.translation import gettext as _

    from u4ssc.apps.tasks.actions import enqueue

    _check(fmt, lang)
    title = _("National programme report %(group)s %(year)s (%(format)s)") % {
        "group": group.name,
        "year": year,
        "format": fmt.upper(),
    }
    return enqueue(
        "reports.build",
        actor=actor,
        title=title,
        kind="national",
        org=group.slug,
        year=year,
        fmt=fmt,
        lang=lang,
    )
