"""Default target set data files (default-targets-<version>.json)."""
