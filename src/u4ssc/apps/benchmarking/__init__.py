"""Benchmarking: published KPI data scored with the core engine, as dashboards and data.

``scoreboard`` builds and caches the scores of all published data for a target set;
``queries`` reads from it (pages, the API and the reports share these reads); ``charts``
turns query results into Vega-Lite specs. See ``docs/benchmarking.md``.
"""
