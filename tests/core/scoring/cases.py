"""One description of a scoring input, turned into both the engine's and the oracle's form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.core.scoring import oracle
from u4ssc.core.scoring import Hierarchy, Method, ScoreResult, Targets, score

DIRECTION_CODES = {"higher": 0, "lower": 1, "range": 2}


@dataclass
class Case:
    values: np.ndarray  # [C, M, Y]
    measurands: list[oracle.Measurand]
    category_of_kpi: list[int]
    subdimension_of_category: list[int]
    dimension_of_subdimension: list[int]
    years: list[int]

    def targets(self) -> Targets:
        ms = self.measurands
        return Targets(
            direction=np.array([DIRECTION_CODES[m.direction] for m in ms]),
            target=np.array([m.target for m in ms]),
            low=np.array([m.low for m in ms]),
            high=np.array([m.high for m in ms]),
            lower_bound=np.array([m.lower_bound for m in ms]),
        )

    def hierarchy(self) -> Hierarchy:
        return Hierarchy(
            kpi_of_measurand=np.array([m.kpi for m in self.measurands]),
            category_of_kpi=np.array(self.category_of_kpi),
            subdimension_of_category=np.array(self.subdimension_of_category),
            dimension_of_subdimension=np.array(self.dimension_of_subdimension),
        )

    def run_engine(self, method: Method, city_block: int = 128) -> ScoreResult:
        return score(
            self.values, self.targets(), self.hierarchy(), self.years, method, city_block=city_block
        )

    def run_oracle(self, method: Method) -> dict[str, Any]:
        return oracle.score(
            self.values.tolist(),
            self.measurands,
            {
                "category_of_kpi": self.category_of_kpi,
                "subdimension_of_category": self.subdimension_of_category,
                "dimension_of_subdimension": self.dimension_of_subdimension,
            },
            self.years,
            method,
        )


def flat(
    points: list[float], category_of_kpi: list[int] | None = None, direction: str = "higher"
) -> Case:
    """One city, one year, one single-value KPI per entry of ``points`` with target 100."""
    n = len(points)
    cats = category_of_kpi if category_of_kpi is not None else [0] * n
    return Case(
        values=np.array(points, dtype=float).reshape(1, n, 1),
        measurands=[oracle.Measurand(kpi=i, direction=direction, target=100.0) for i in range(n)],
        category_of_kpi=cats,
        subdimension_of_category=[0] * (max(cats) + 1),
        dimension_of_subdimension=[0],
        years=[2022],
    )
