"""Versioned catalogue data files (u4ssc-kpis-<version>.json), built by tools/build_catalogue.py."""
