"""Illustrative targets for the demo's national and city target sets.

These are **not** U4SSC benchmarks (those are not published, see decision 0205): they are the
levels that leading cities in the synthetic data reach (``Spec.target``), so the benchmarking
pages have something to score against. Every target the demo stores says so in its source.
"""

from __future__ import annotations

import math
from typing import Any

from u4ssc.core.catalogue import Catalogue
from u4ssc.core.synthetic.specs import PARTS, SPECS

# The band around parity for the gender earnings ratio (direction "range").
_RANGE_HALF_WIDTH = 0.05


def _round_sig(x: float, digits: int = 3) -> float:
    if x == 0:
        return 0.0
    exponent = digits - 1 - math.floor(math.log10(abs(x)))
    return round(x, max(exponent, 0)) if exponent >= 0 else float(round(x, exponent))


def _stretch(value: float, direction: str, unit: str, ambition: float) -> float:
    """``value`` moved ``ambition`` (0..1) of the way further in the better direction."""
    if ambition <= 0 or value == 0:
        return value
    if unit == "%" and direction == "higher":
        return min(100.0, value + (100.0 - value) * ambition)
    if direction == "higher":
        return value * (1 + ambition)
    return value * (1 - ambition)


def illustrative_targets(catalogue: Catalogue, *, ambition: float = 0.0) -> list[dict[str, Any]]:
    """One target per measurand that has an illustrative level, in catalogue order.

    ``ambition`` 0 gives the national levels; a city's own goals use a higher ambition
    (0.25: a quarter of the way further towards 100 % for shares, 25 % further for
    amounts). Each dict holds ``kpi_key``, ``data_point``, ``value``, ``direction``
    (from the catalogue), ``range_low`` and ``range_high`` (for direction ``range``).
    """
    if not 0 <= ambition < 1:
        raise ValueError("ambition must be in [0, 1)")
    levels: dict[tuple[str, str], float] = {s.ref: s.target for s in SPECS if s.target is not None}
    for parts in PARTS:
        for part in parts.parts:
            if part.target is not None:
                levels[(parts.kpi, part.point)] = part.target
    out: list[dict[str, Any]] = []
    for kpi in catalogue.kpis:
        for m in kpi.measurands():
            level = levels.get((kpi.key, m.data_point))
            if level is None:
                continue
            direction = m.direction.kind
            low = high = None
            if direction == "range":
                half = _RANGE_HALF_WIDTH * (1 - ambition)
                low, high = round(level - half, 3), round(level + half, 3)
                value = level
            elif m.measure.kind == "boolean":
                value = level
            else:
                value = _round_sig(_stretch(level, direction, m.unit, ambition))
                if m.plausible_max is not None:
                    value = min(value, m.plausible_max)
            out.append(
                {
                    "kpi_key": kpi.key,
                    "data_point": m.data_point,
                    "value": value,
                    "direction": direction,
                    "range_low": low,
                    "range_high": high,
                }
            )
    return out
