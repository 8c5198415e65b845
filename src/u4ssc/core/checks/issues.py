"""What the checks return: issues, the entry they judge, and the computed result."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"  # blocks saving
WARNING = "warning"  # shown; can be acknowledged with a reason


@dataclass(frozen=True)
class Issue:
    """One finding about one field of an entry.

    ``code`` is a stable identifier (``"range"``, ``"warn_range"``, ``"unit"``, ``"yoy_jump"``,
    ``"denominator_zero"``, ``"component_missing"``, ``"value_mismatch"``, ``"not_a_number"``,
    ``"boolean"``, ``"cross:<rule>"``); ``message`` is a plain sentence for a city officer;
    ``expected`` says what would have been right (``"between 0 and 100 %"``).
    """

    code: str
    severity: str
    field: str
    message: str
    expected: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        """JSON-ready, e.g. for storing with a value."""
        return asdict(self)


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
