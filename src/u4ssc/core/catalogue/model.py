"""The catalogue's value types: KPIs, their measurands, measures and directions.

All are frozen dataclasses built once by the loader from the versioned data file; nothing
here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Direction:
    """Which way is better.

    ``kind`` is ``"higher"``, ``"lower"`` or ``"range"``; ``low``/``high`` bound the good
    band and are set only for ``"range"`` (``low == high`` means one ideal value, e.g. parity 1.0).
    """

    kind: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Measure:
    """How a value is obtained.

    ``"ratio"``: numerator / denominator x multiplier (100 for %, 100 000 for "per 100 000
    inhabitants", 1 for per-capita and true ratios); ``"value"``: entered directly;
    ``"boolean"``: yes/no stored as 1/0. Component names are in English and Norwegian
    (``numerator_nb``, ``denominator_nb``) so forms can label the fields.
    """

    kind: str
    numerator: str | None = None
    denominator: str | None = None
    multiplier: float | None = None
    numerator_nb: str | None = None
    denominator_nb: str | None = None


@dataclass(frozen=True)
class Measurand:
    """One reportable quantity: a single-value KPI, or one data point of a multi-point KPI.

    ``plausible_min``/``plausible_max`` are hard limits (outside = error); ``warn_min``/
    ``warn_max`` the normal band (outside = warning). ``yoy_warn_ratio`` 0.5 warns when the
    value moves more than 50 % a year; moves smaller than ``yoy_warn_min_change`` (in the
    measurand's unit, e.g. 5 percentage points) never warn.
    """

    kpi_key: str
    data_point: str  # "" for a single-value KPI
    name: str
    name_nb: str
    unit: str
    unit_aliases: tuple[str, ...]
    measure: Measure
    direction: Direction
    plausible_min: float | None
    plausible_max: float | None
    warn_min: float | None
    warn_max: float | None
    yoy_warn_ratio: float | None
    yoy_warn_min_change: float | None = None
    aliases: tuple[str, ...] = ()  # other names a data point goes by in reports and workbooks


@dataclass(frozen=True)
class KPI:
    """One of the 91 U4SSC KPIs.

    ``code`` is spelled as in the official documents (``SC: EH: ED:1C`` keeps its missing
    space); ``key`` is the normalised code used for matching and storage. For a KPI with data
    points, ``unit``/``measure``/``direction`` summarise them (the headline or majority) and
    the ranges are ``None``: checks and scoring use the data points.
    """

    code: str
    key: str
    name: str
    name_nb: str
    dimension: str
    dimension_code: str
    subdimension: str
    subdimension_code: str
    category: str
    category_code: str
    number: int
    level: str
    type: str
    unit: str
    unit_label: str
    measure: Measure
    direction: Direction
    data_points: tuple[Measurand, ...]
    sdgs: tuple[str, ...]
    sheet_verified: bool
    definition: str
    source: str
    decision_note: str
    position: int
    unit_aliases: tuple[str, ...] = ()
    plausible_min: float | None = None
    plausible_max: float | None = None
    warn_min: float | None = None
    warn_max: float | None = None
    yoy_warn_ratio: float | None = None
    yoy_warn_min_change: float | None = None
    code_aliases: tuple[str, ...] = ()
    sdgs_text: str = ""

    def measurands(self) -> tuple[Measurand, ...]:
        """The quantities a city reports: the data points, or the KPI itself as one."""
        if self.data_points:
            return self.data_points
        return (self.as_measurand(),)

    def as_measurand(self) -> Measurand:
        """This single-value KPI as a :class:`Measurand` (data point ``""``)."""
        return Measurand(
            kpi_key=self.key,
            data_point="",
            name=self.name,
            name_nb=self.name_nb,
            unit=self.unit,
            unit_aliases=self.unit_aliases,
            measure=self.measure,
            direction=self.direction,
            plausible_min=self.plausible_min,
            plausible_max=self.plausible_max,
            warn_min=self.warn_min,
            warn_max=self.warn_max,
            yoy_warn_ratio=self.yoy_warn_ratio,
            yoy_warn_min_change=self.yoy_warn_min_change,
        )

    @property
    def has_data_points(self) -> bool:
        return bool(self.data_points)


class CatalogueError(Exception):
    """The catalogue data file is missing, unknown or malformed."""


class UnknownKPI(LookupError):
    """No KPI has this code. ``suggestions`` holds the nearest codes."""

    def __init__(self, code: str, suggestions: tuple[str, ...] = ()) -> None:
        self.code = code
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown KPI code {code!r}.{hint}")


class UnknownDataPoint(LookupError):
    """The KPI has no such data point (or needs one and none was given)."""

    def __init__(self, kpi_code: str, data_point: str, known: tuple[str, ...]) -> None:
        self.kpi_code = kpi_code
        self.data_point = data_point
        self.known = known
        if not known:
            msg = (
                f"KPI {kpi_code} is a single value and has no data points "
                f"(asked for {data_point!r})."
            )
        elif not data_point:
            msg = f"KPI {kpi_code} is reported per data point: name one of {', '.join(known)}."
        else:
            msg = (
                f"KPI {kpi_code} has no data point {data_point!r}; "
                f"its data points are {', '.join(known)}."
            )
        super().__init__(msg)
