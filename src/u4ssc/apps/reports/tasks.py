"""Background task that builds a report (see ``actions.make_and_store``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from u4ssc.apps.reports import actions
from u4ssc.apps.tasks.registry import task


@task("reports.build")
def build(progress: Any, **params: Any) -> dict[str, Any]:
    """``params``: kind (snapshot|national), org (slug), year, fmt, lang,
    target_set. Returns the download link for the progress page."""
    report = actions.make_and_store(params, progress)
    with translation.override(params.get("lang", "en")):
        url = reverse("reports:download", args=[report.file_id])
    return {
        "download_url": url,
        "filename": actions.filename(report.meta),
        "seconds": report.meta["seconds"],
        "bytes": report.path.stat().st_size,
    }
