"""Writes of the transfer app: importing a file, saving import profiles.

``import_file`` is the one way a file becomes KPI values, whatever the door (upload page,
API, command line): it reads the whole file first, hands every value to
``evaluations.actions.apply_entries`` (the one write path, which checks permission, state
and plausibility and writes all or nothing), and records an ``ImportRun`` with the report,
refused or not, in the same transaction.
"""

from __future__ import annotations

import contextlib
import gc
import json
import time
from collections.abc import Iterator
from importlib import resources
from typing import IO, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from u4ssc.apps.evaluations.actions import apply_entries
from u4ssc.apps.transfer import intake
from u4ssc.apps.transfer.intake import ImportRefused
from u4ssc.apps.transfer.longform import looks_long, read_long
from u4ssc.apps.transfer.mapping import MappingError, parse_mapping, read_mapped
from u4ssc.apps.transfer.matching import CityIndex, CityRef
from u4ssc.apps.transfer.models import ImportKind, ImportProfile, ImportRun, Outcome
from u4ssc.apps.transfer.parsing import Parsed
from u4ssc.apps.transfer.reports import ERROR, ImportReport, Message
from u4ssc.apps.transfer.workbook import is_data_collection_workbook, read_workbook
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import Text

# Findings kept per severity in a stored report (counts stay exact).
REPORT_LIMIT = 2000
REVISION_CHANNEL = {"web": "import", "api": "api", "cli": "cli"}


def import_file(
    *,
    actor: Any,
    stream: IO[bytes],
    file_name: str,
    profile: ImportProfile | None = None,
    dry_run: bool = False,
    channel: str = "web",
    city: Any = None,
    year: int | None = None,
    check_permission: bool = True,
) -> tuple[ImportRun, ImportReport]:
    """Read ``stream``, validate everything, then write all of it or nothing.

    ``city``/``year`` are the city-year whose page the file was uploaded on (optional);
    ``check_permission=False`` is for an operator's trusted command-line import only.
    Returns the stored run and its report; a refused file is not an exception.
    """
    started = time.monotonic()
    report = ImportReport(
        file_name=file_name, dry_run=dry_run, profile=profile.name if profile else ""
    )
    catalogue = load_catalogue()
    cities = CityIndex.load()
    city_ref = cities.by_id.get(city.id) if city is not None else None
    with _collector_paused():
        parsed: Parsed | None = None
        try:
            info = intake.inspect(stream, file_name)
            report.file_size = info.size
            report.sha256 = info.sha256
            report.file_format = info.file_format
            parsed = _parse(stream, info, profile, catalogue, cities, city_ref, year)
        except ImportRefused as exc:
            report.add(ERROR, exc.code, exc.message, expected=exc.expected, value=exc.given)
        except MappingError as exc:
            # the reason is the profile checker's, in the language of whoever imports
            report.add(
                ERROR,
                "bad_profile",
                Text(
                    gettext_noop("The import profile is not valid: %(reason)s"),
                    {"reason": str(exc)},
                ),
            )

        with transaction.atomic():
            if parsed is not None:
                _apply(report, parsed, actor, cities, dry_run, channel, check_permission)
            report.outcome = (
                Outcome.REFUSED
                if report.error_count
                else Outcome.CHECKED
                if dry_run
                else Outcome.WRITTEN
            )
            report.truncate(REPORT_LIMIT)
            run = ImportRun.objects.create(
                started_by=actor if getattr(actor, "is_authenticated", False) else None,
                channel=channel,
                duration_ms=int((time.monotonic() - started) * 1000),
                file_name=file_name[:255],
                file_size=report.file_size,
                sha256=report.sha256,
                kind=report.kind,
                profile=profile,
                city=city,
                year=year,
                dry_run=dry_run,
                outcome=report.outcome,
                rows=report.rows,
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
                skipped=report.skipped,
                errors=report.error_count,
                warnings=report.warning_count,
                city_ids=sorted(parsed.city_ids) if parsed else [],
                report=report.as_dict(),
            )
        return run, report


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is read and written.

    An import makes a few objects per row and keeps them all until the end; the collector
    would walk that growing heap again and again (about half the time of a 100 000-row
    import). The objects have no reference cycles, so nothing is lost; collection resumes
    afterwards. See docs/decisions/0507.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(
    stream: IO[bytes],
    info: intake.FileInfo,
    profile: ImportProfile | None,
    catalogue: Any,
    cities: CityIndex,
    city: CityRef | None,
    year: int | None,
) -> Parsed:
    if profile is not None:
        mapping = parse_mapping(profile.mapping, catalogue)
        if mapping.file_format != info.file_format:
            raise ImportRefused(
                "wrong_format",
                Text(
                    gettext_noop(
                        "The profile %(profile)s reads %(want)s files, but this file is %(got)s."
                    ),
                    {"profile": profile.name, "want": mapping.file_format, "got": info.file_format},
                ),
                expected=mapping.file_format,
                given=info.file_format,
            )
        if info.file_format == "csv":
            return read_mapped(
                intake.csv_rows(stream),
                mapping=mapping,
                catalogue=catalogue,
                cities=cities,
                file_name=info.name,
                city=city,
            )
        wb = intake.open_workbook(stream)
        try:
            sheet = wb[mapping.sheet] if mapping.sheet in wb.sheetnames else wb.worksheets[0]
            return read_mapped(
                intake.sheet_rows(sheet),
                mapping=mapping,
                catalogue=catalogue,
                cities=cities,
                file_name=info.name,
                city=city,
                where=f"sheet {sheet.title}, ",
            )
        finally:
            wb.close()
    if info.file_format == "csv":
        return read_long(
            intake.csv_rows(stream), catalogue=catalogue, cities=cities, city=city, year=year
        )
    wb = intake.open_workbook(stream)
    try:
        if not is_data_collection_workbook(wb):
            first = wb.worksheets[0] if wb.worksheets else None
            rows = intake.sheet_rows(first) if first is not None else iter(())
            head = next(rows, None)
            if first is not None and head is not None and looks_long(head[1]):
                return read_long(
                    intake.sheet_rows(first),
                    catalogue=catalogue,
                    cities=cities,
                    city=city,
                    year=year,
                    where=f"sheet {first.title}, ",
                )
        return read_workbook(wb, catalogue=catalogue, cities=cities, city=city, year=year)
    finally:
        wb.close()


def _apply(
    report: ImportReport,
    parsed: Parsed,
    actor: Any,
    cities: CityIndex,
    dry_run: bool,
    channel: str,
    check_permission: bool,
) -> None:
    report.kind = {
        "workbook": ImportKind.WORKBOOK,
        "long_csv": ImportKind.LONG_CSV,
        "profile": ImportKind.PROFILE,
    }[parsed.kind]
    report.rows = parsed.rows
    report.skipped = parsed.skipped
    report.values = len(parsed.inputs)
    report.findings.extend(parsed.findings)
    report.cities = sorted(cities.by_id[c].name for c in parsed.city_ids if c in cities.by_id)
    report.years = sorted({i.year for i in parsed.inputs})
    if not parsed.inputs:
        if not parsed.has_errors and not parsed.skipped:
            report.add(
                ERROR,
                "no_values",
                Text(gettext_noop("The file has no values to import.")),
                expected=Text(gettext_noop("at least one row with a value")),
            )
        return
    result = apply_entries(
        actor=actor,
        inputs=parsed.inputs,
        channel=REVISION_CHANNEL.get(channel, "import"),
        reason=_("import of %(file)s (%(sha)s)")
        % {"file": report.file_name, "sha": report.sha256[:12]},
        dry_run=dry_run or parsed.has_errors,
        check_permission=check_permission,
    )
    for p in result.problems:
        origins = parsed.origins.get(p.ref, {}) if p.ref else {}
        origin = origins.get(p.field)
        fallback = origin or next(iter(origins.values()), None)
        # the problem's texts, so that the stored report reads in its reader's language
        report.add(
            p.severity,
            p.code,
            _text(p.text, p.message),
            row=fallback.row if fallback else p.ref,
            column=origin.column if origin else "",
            value=p.given or (origin.value if origin else ""),
            expected=_text(p.expected_text, p.expected),
            kpi_code=p.kpi_code,
            data_point=p.data_point,
        )
    if result.errors:
        report.would_create = result.would_create
        report.would_update = result.would_update
        report.would_be_unchanged = result.would_be_unchanged
    elif parsed.has_errors:
        # the readable values were checked (a dry run) and would be fine: the file is
        # refused for its unreadable cells, so nothing counts as written
        report.would_create = result.created
        report.would_update = result.updated
        report.would_be_unchanged = result.unchanged
    else:
        report.created, report.updated, report.unchanged = (
            result.created,
            result.updated,
            result.unchanged,
        )


def _text(data: dict[str, Any] | None, message: str) -> Message:
    return Text(data["template"], data.get("params") or {}) if data else message


# --------------------------------------------------------------------------- profiles

BUILTIN_PROFILES = "u4ssc.apps.transfer.profiles"


def builtin_profile_documents() -> list[dict[str, Any]]:
    """The profiles shipped in the package (``profiles/*.json``), sorted by slug."""
    docs = []
    for entry in resources.files(BUILTIN_PROFILES).iterdir():
        if entry.name.endswith(".json"):
            docs.append(json.loads(entry.read_text(encoding="utf-8")))
    return sorted(docs, key=lambda d: d["slug"])


@transaction.atomic
def install_builtin_profiles() -> int:
    """Create or refresh the shipped profiles; returns how many were created or changed.

    Profiles people made are never touched; a shipped profile edited in the admin is
    restored (copy it under another name to change it).
    """
    catalogue = load_catalogue()
    existing = {p.slug: p for p in ImportProfile.objects.filter(builtin=True)}
    changed = 0
    for doc in builtin_profile_documents():
        parse_mapping(doc["mapping"], catalogue)  # a shipped profile must be valid
        fields = {
            "name": doc["name"],
            "description": doc.get("description", ""),
            "file_format": doc["mapping"].get("format", "csv"),
            "mapping": doc["mapping"],
            "builtin": True,
        }
        row = existing.get(doc["slug"])
        if row is None:
            ImportProfile.objects.update_or_create(slug=doc["slug"], defaults=fields)
            changed += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.save(update_fields=[*fields, "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def save_profile(
    *, actor: Any, name: str, mapping: dict[str, Any], description: str = ""
) -> ImportProfile:
    """Save (create or replace) a profile people made; the mapping is checked first."""
    parse_mapping(mapping, load_catalogue())
    slug = slugify(name)[:120]
    if not slug:
        raise MappingError(_("Give the profile a name."))
    existing = ImportProfile.objects.filter(slug=slug).first()
    if existing is not None and existing.builtin:
        raise MappingError(_("A shipped profile has this name: choose another one."))
    profile, _created = ImportProfile.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "file_format": mapping.get("format", "csv"),
            "mapping": mapping,
            "builtin": False,
        },
    )
    return profile
