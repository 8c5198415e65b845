"""Synthetic demo data: plausible, reproducible KPI values for cities and years.

>>> import numpy as np
>>> from u4ssc.core.catalogue import load_catalogue
>>> from u4ssc.core.synthetic import generate, make_profile
>>> city = make_profile(key="molde", name="Molde", country_code="NO", population=22_410,
...                     latitude=62.74)
>>> rows = generate(load_catalogue(), [city], [2024], np.random.default_rng(2026))
>>> all(r.is_synthetic for r in rows)
True

Pure Python and NumPy, no Django: the demo loader (``u4ssc.apps.demo``) turns the rows into
evaluations; a notebook can use them directly. Method: docs/decisions/0602.
"""

from u4ssc.core.synthetic.generator import (
    DEFAULT_SOURCE,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    REPORTED,
    Event,
    SyntheticRow,
    generate,
)
from u4ssc.core.synthetic.profiles import (
    COUNTRY_HDI,
    CityProfile,
    development_level,
    make_profile,
)
from u4ssc.core.synthetic.targets import illustrative_targets

__all__ = [
    "COUNTRY_HDI",
    "DEFAULT_SOURCE",
    "NOT_APPLICABLE",
    "NOT_AVAILABLE",
    "REPORTED",
    "CityProfile",
    "Event",
    "SyntheticRow",
    "development_level",
    "generate",
    "illustrative_targets",
    "make_profile",
]
