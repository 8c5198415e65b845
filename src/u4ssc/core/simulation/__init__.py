"""System-dynamics simulation engine for XMILE models, run as whole ensembles at once.

Typical use::

    from u4ssc.core.simulation import load_model, Uniform

    model = load_model("SIR.xmile")
    df = model.run()                                   # one run: DataFrame by time
    ens = model.run(runs=10_000, seed=1,
                    distributions={"contact infectivity": Uniform(0.2, 0.4)},
                    outputs=["infectious"])            # EnsembleResult
    ens.percentiles("infectious")

See docs/simulation.md for what is supported and how it works.
"""

from u4ssc.core.simulation.errors import (
    ExecutorError,
    ModelError,
    NonFiniteWarning,
    UnitWarning,
)
from u4ssc.core.simulation.model import Model, Policy, Scenario, load_model, load_model_bytes
from u4ssc.core.simulation.results import EnsembleResult
from u4ssc.core.simulation.sampling import LogNormal, Normal, Triangular, Uniform, sample

__all__ = [
    "EnsembleResult",
    "ExecutorError",
    "LogNormal",
    "Model",
    "ModelError",
    "NonFiniteWarning",
    "Normal",
    "Policy",
    "Scenario",
    "Triangular",
    "Uniform",
    "UnitWarning",
    "load_model",
    "load_model_bytes",
    "sample",
]
