"""Build, store and hand out reports.

``build_snapshot`` / ``build_national`` make the bytes of a report (PDF or xlsx) from the
benchmarking data layer (``sources``); ``store`` keeps them under ``DATA_DIR/reports/`` with a
JSON sidecar saying what went in; ``request_snapshot`` / ``request_national`` check the
request and queue the background task that does both (``tasks.py``). ``may_download`` is
the one rule for handing a stored file out. Reports hold published data only, as every
benchmarking page does, so a file is for everyone, as long as what it shows is still
published.
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
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from u4ssc.apps.catalogue.models import TargetSet
from u4ssc.apps.evaluations.models import Evaluation, State
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.organisations.queries import member_cities
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


def _target_set(slug: str | None, *, owner: Organisation | None = None) -> TargetSet | None:
    try:
        return sources.target_set(slug, owner=owner)
    except LookupError:
        choices = ", ".join(sources.target_set_slugs())
        raise ReportError(f"no target set {slug!r}; choose one of: {choices}") from None


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


def default_year(org: Organisation) -> int:
    """The year a report is about when none is asked for: a city's latest published
    year; for a group, the year most of its cities have published (the latest on a tie),
    as the programme view chooses."""
    published = Evaluation.objects.filter(state=State.PUBLISHED).order_by()
    if org.kind == OrgKind.CITY:
        years = list(published.filter(city=org).values_list("year", flat=True))
    else:
        years = list(published.filter(city__in=member_cities(org)).values_list("year", flat=True))
    if not years:
        raise ReportError(f"{org.name} has no published data")
    return max(set(years), key=lambda y: (years.count(y), y))


def build_snapshot(
    *,
    city: Organisation,
    year: int,
    fmt: str = "pdf",
    lang: str = "en",
    target_set: str | None = None,
    progress: Step = _quiet,
) -> bytes:
    """The City Snapshot of ``city`` in ``year``: its benchmarking profile against
    ``target_set`` (a slug; default: the set of the city's national programme when it has
    one, else the programme default, as on the profile page)."""
    _check(fmt, lang)
    if not Evaluation.objects.filter(city=city, year=year, state=State.PUBLISHED).exists():
        raise ReportError(f"{city.name} has no published data for {year}")
    with translation.override(lang):
        progress(0.05, gettext_noop("reading scores"))
        profile = sources.city_profile(city, year, _target_set(target_set, owner=city))
        if profile["year"] != year:
            raise ReportError(f"{city.name} has no published KPI value for {year}")
        progress(0.3, gettext_noop("writing"))
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
    """The national programme report of ``group`` in ``year``: its programme view
    against ``target_set`` (a slug; default: the group's national set, else the programme
    default, as on the programme view)."""
    _check(fmt, lang)
    with translation.override(lang):
        progress(0.05, gettext_noop("reading scores"))
        view, comparison = sources.programme(group, year, _target_set(target_set, owner=group))
        if not any(city["has_data"] for city in view["cities"]):
            raise ReportError(f"no city of {group.name} has published data for {year}")
        progress(0.3, gettext_noop("writing"))
        document = content.national_document(view, comparison, lang)
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
    """Everyone, as long as the data is still published: a City Snapshot goes when its
    year is returned for correction (``user`` is for the signature's sake: no report holds
    anything that only some people may see)."""
    meta = report.meta
    if meta["kind"] == "national":
        return True  # from whatever is published; a new report shows the current state
    return Evaluation.objects.filter(
        city_id=meta["org_id"], year=meta["year"], state=State.PUBLISHED
    ).exists()


def filename(meta: dict[str, Any]) -> str:
    stem = "city-snapshot" if meta["kind"] == "snapshot" else "national-report"
    return f"{stem}-{slugify(meta['org_slug'])}-{meta['year']}-{meta['lang']}.{meta['format']}"


def make_and_store(params: dict[str, Any], progress: Step = _quiet) -> StoredReport:
    """Build the report ``params`` describe (the task's parameters) and store it."""
    started = time.monotonic()
    kind, year = params["kind"], int(params["year"])
    fmt, lang = params.get("fmt", "pdf"), params.get("lang", "en")
    org: Organisation
    if kind == "snapshot":
        org = find_city(params["org"])
        data = build_snapshot(
            city=org,
            year=year,
            fmt=fmt,
            lang=lang,
            target_set=params.get("target_set"),
            progress=progress,
        )
    else:
        org = find_group(params["org"])
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
        "target_set": params.get("target_set"),
        "seconds": round(time.monotonic() - started, 2),
    }
    return store(data, meta)


# --- requests from people (pages) -----------------------------------------------------


def request_snapshot(
    *,
    actor: Any,
    city: Organisation,
    year: int,
    fmt: str,
    lang: str,
    target_set: str | None = None,
) -> Any:
    """Queue a City Snapshot of a published year for ``actor``; returns the task (its
    page shows progress). ``ReportError`` when the year is not published or the target
    set is unknown."""
    from django.utils.translation import gettext as _

    from u4ssc.apps.tasks.actions import enqueue

    _check(fmt, lang)
    if not Evaluation.objects.filter(city=city, year=year, state=State.PUBLISHED).exists():
        raise ReportError(f"{city.name} has no published data for {year}")
    _target_set(target_set)
    title = _("City Snapshot %(city)s %(year)s (%(format)s)") % {
        "city": city.name,
        "year": year,
        "format": fmt.upper(),
    }
    return enqueue(
        "reports.build",
        actor=actor,
        title=title,
        kind="snapshot",
        org=city.slug,
        year=year,
        fmt=fmt,
        lang=lang,
        target_set=target_set or None,
    )


def request_national(
    *,
    actor: Any,
    group: Organisation,
    year: int,
    fmt: str,
    lang: str,
    target_set: str | None = None,
) -> Any:
    """Queue the national report of ``group`` in ``year`` for ``actor``."""
    from django.utils.translation import gettext as _

    from u4ssc.apps.tasks.actions import enqueue

    _check(fmt, lang)
    _target_set(target_set, owner=group)
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
        target_set=target_set or None,
    )
