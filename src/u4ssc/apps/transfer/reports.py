"""The answer to an import: every finding with where it is (row, column), what the cell
held and what was expected, the counts, and one summary line.

Severities: ``error`` (the file is refused, nothing is written), ``warning`` (written, but
worth a look: the same warnings the data sheet shows) and ``info`` (rows left out on
purpose, for example rows of cities that are not in the platform when a profile says
``unknown_city: skip``).

A report is stored and read later, by people in other languages: a finding keeps its
``message`` and ``expected`` in English (what the API and the command line show) and the same
as texts with parameters (``text``, ``expected_text``: ``core.checks.texts.Text`` as a dict,
templates marked with ``gettext_noop``), which the report page renders in its reader's
language; the summary is made again from the counts when shown (docs/i18n.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from u4ssc.apps.evaluations.messages import render_text
from u4ssc.core.checks import Text

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass
class Finding:
    severity: str
    code: str
    message: str
    row: str = ""  # "row 12", "sheet Data, row 12"
    column: str = ""
    value: str = ""  # what the cell held
    expected: str = ""
    kpi_code: str = ""
    data_point: str = ""
    text: dict[str, Any] | None = None
    expected_text: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# What a finding says: a text (its template marked with ``gettext_noop``) or, for what has
# no translation (a file's own words), a plain string.
Message = Text | str


def finding(
    severity: str, code: str, message: Message, expected: Message = "", **where: Any
) -> Finding:
    """A finding whose message and expectation are kept in English and as texts."""
    return Finding(
        severity,
        code,
        english(message),
        expected=english(expected),
        text=message.as_dict() if isinstance(message, Text) else None,
        expected_text=expected.as_dict() if isinstance(expected, Text) else None,
        **{k: str(v) for k, v in where.items()},
    )


def english(message: Message) -> str:
    return message.english() if isinstance(message, Text) else str(message)


def _counts(created: int, updated: int, unchanged: int) -> str:
    return _("%(created)s new, %(updated)s changed, %(unchanged)s unchanged") % {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
    }


@dataclass
class ImportReport:
    file_name: str = ""
    file_size: int = 0
    sha256: str = ""
    file_format: str = ""
    kind: str = ""
    profile: str = ""
    dry_run: bool = False
    outcome: str = ""  # written | checked | refused
    rows: int = 0  # data rows read
    values: int = 0  # values (KPI or data point of a city-year) found in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # of a refused file: what its values without errors would give (nothing is written)
    would_create: int = 0
    would_update: int = 0
    would_be_unchanged: int = 0
    skipped: int = 0
    cities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # findings left out of a very long report, by severity (the counts stay exact)
    omitted: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------------ queries
    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.omitted.get(ERROR, 0)

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self.omitted.get(WARNING, 0)

    def truncate(self, limit: int) -> None:
        """Keep at most ``limit`` findings of each severity (errors first in the list)."""
        kept: list[Finding] = []
        seen: dict[str, int] = {}
        for f in self.findings:
            seen[f.severity] = seen.get(f.severity, 0) + 1
            if seen[f.severity] <= limit:
                kept.append(f)
            else:
                self.omitted[f.severity] = self.omitted.get(f.severity, 0) + 1
        self.findings = kept

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == INFO]

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"

    def add(
        self, severity: str, code: str, message: Message, expected: Message = "", **where: Any
    ) -> Finding:
        found = finding(severity, code, message, expected, **where)
        self.findings.append(found)
        return found

    def summary(self) -> str:
        """One line a person reads first, in the active language."""
        n_err, n_warn = self.error_count, self.warning_count
        rows = ngettext("%(n)s row", "%(n)s rows", self.rows) % {"n": self.rows}
        if self.outcome == "refused":
            if n_err and not self.rows and self.errors[0].row == "":
                first = self.errors[0]
                return _("Refused: %(reason)s Nothing was written.") % {
                    "reason": render_text(first.text, first.message)
                }
            refused = _(
                "Refused: %(errors)s in %(rows)s. Nothing was written; correct the file "
                "and upload it again."
            ) % {
                "errors": ngettext("%(n)s error", "%(n)s errors", n_err) % {"n": n_err},
                "rows": rows,
            }
            if self.would_create or self.would_update or self.would_be_unchanged:
                refused += " " + _("The values without errors would give %(counts)s.") % {
                    "counts": _counts(self.would_create, self.would_update, self.would_be_unchanged)
                }
            return refused
        counts = _counts(self.created, self.updated, self.unchanged)
        tail = ""
        if n_warn:
            tail += " " + ngettext("%(n)s warning.", "%(n)s warnings.", n_warn) % {"n": n_warn}
        if self.skipped:
            tail += " " + ngettext("%(n)s row skipped.", "%(n)s rows skipped.", self.skipped) % {
                "n": self.skipped
            }
        if self.outcome == "checked":
            return (
                _("Checked, nothing written (dry run): %(rows)s, would give %(counts)s.")
                % {"rows": rows, "counts": counts}
                + tail
            )
        return _("Imported %(rows)s: %(counts)s.") % {"rows": rows, "counts": counts} + tail

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as stored and as the API answers: the summary in English (pages
        make it again in their reader's language)."""
        data = asdict(self)
        with translation.override("en"):
            data["summary"] = self.summary()
        data["errors"] = self.error_count
        data["warnings"] = self.warning_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        names = set(cls.__dataclass_fields__) - {"findings"}
        report = cls(**{k: v for k, v in data.items() if k in names})
        report.findings = [Finding(**f) for f in data.get("findings", [])]
        return report
