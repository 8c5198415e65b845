"""U4SSC platform: city KPI data, benchmarking, marketplace and simulation.

Two layers:

* :mod:`u4ssc.core` - the computational core (catalogue, scoring, simulation ...). It
  depends on NumPy/SciPy/pandas only and never on Django, so it works from a notebook.
* :mod:`u4ssc.apps` - Django apps, one per domain, that store, show and serve data.
"""

__version__ = "0.1.0"
