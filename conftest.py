"""Settings for the whole suite."""

import os

from hypothesis import settings

# In CI, property tests draw the same examples every run: a red build then always means a
# change broke something, never that the dice found an old bug. Locally they stay random,
# which is how new bugs are found.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
