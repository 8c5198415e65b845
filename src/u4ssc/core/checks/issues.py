"""What the checks return: issues, the entry they judge, and the computed result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from u4ssc.core.checks.texts import Text

ERROR = "error"  # blocks saving
WARNING = "warning"  # shown; can be acknowledged with a reason


@dataclass(frozen=True)
class Issue:
    """One finding about one field of an entry.

    ``code`` is a stable identifier (``"range"``, ``"warn_range"``, ``"unit"``, ``"yoy_jump"``,
    ``"denominator_zero"``, ``"component_missing"``, ``"value_mismatch"``, ``"not_a_number"``,
    ``"boolean"``, ``"cross:<rule>"``); ``message`` is a plain sentence for a city officer;
    ``expected`` says what would have been right (``"between 0 and 100 %"``). Both are
    English; ``text`` and ``expected_text`` are the same as templates with parameters, which
    the web layer shows in its reader's language (:mod:`u4ssc.core.checks.texts`).
    """

    code: str
    severity: str
    field: str
    message: str
    expected: str
    text: Text | None = None
    expected_text: Text | None = None

    @classmethod
    def of(
        cls, code: str, severity: str, field: str, text: Text, expected: Text | None = None
    ) -> Issue:
        """An issue whose English ``message`` and ``expected`` are its texts in English."""
        return cls(
            code=code,
            severity=severity,
            field=field,
            message=text.english(),
            expected=expected.english() if expected is not None else "",
            text=text,
            expected_text=expected,
        )

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, e.g. for storing with a value (texts as ``Text.as_dict``)."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
        }
        if self.text is not None:
            out["text"] = self.text.as_dict()
        if self.expected_text is not None:
            out["expected_text"] = self.expected_text.as_dict()
        return out


@dataclass(frozen=True)
class Entry:
    """What a city entered for one measurand: components, a direct value, or both."""

    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    unit: str = ""

    @property
    def is_empty(self) -> bool:
        return self.numerator is None and self.denominator is None and self.value is None


@dataclass(frozen=True)
class Computed:
    """The value to store (``None`` when it cannot be computed), how it was obtained, and the
    issues found. ``working`` reads like ``"12 345 / 13 000 x 100 = 94.96 %"``."""

    value: float | None
    working: str
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not self.errors
