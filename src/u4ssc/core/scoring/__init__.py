"""U4SSC distance-to-target and SDSN scoring of city KPI values (vectorised, NumPy only).

The method and its rules, for users: ``docs/methods/scoring.md``. The engine works on
arrays (:func:`score`); :mod:`u4ssc.core.scoring.tables` takes and returns long tables and
explains any single score (:func:`explain`).
"""

from u4ssc.core.scoring.engine import (
    DECREASING,
    HIGHER,
    IMPROVING,
    LOWER,
    NO_TREND,
    NOT_AT_THIS_PACE,
    ON_TRACK,
    PROJECTED,
    RANGE,
    REACHED,
    STAGNATING,
    Hierarchy,
    LevelScores,
    ScoreResult,
    Targets,
    TrendResult,
    achievement,
    classify,
    lower_bounds,
    score,
    sdsn_normalise,
    shortfall,
    traffic_lights,
    trend,
)
from u4ssc.core.scoring.methods import (
    Method,
    SDSNMethod,
    TrendMethod,
    U4SSCMethod,
    method_from_dict,
    method_to_dict,
)

__all__ = [
    "DECREASING",
    "HIGHER",
    "IMPROVING",
    "LOWER",
    "NOT_AT_THIS_PACE",
    "NO_TREND",
    "ON_TRACK",
    "PROJECTED",
    "RANGE",
    "REACHED",
    "STAGNATING",
    "Hierarchy",
    "LevelScores",
    "Method",
    "SDSNMethod",
    "ScoreResult",
    "Targets",
    "TrendMethod",
    "TrendResult",
    "U4SSCMethod",
    "achievement",
    "classify",
    "lower_bounds",
    "method_from_dict",
    "method_to_dict",
    "score",
    "sdsn_normalise",
    "shortfall",
    "traffic_lights",
    "trend",
]
