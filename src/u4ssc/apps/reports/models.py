"""Reports keep no table of their own.

A report is a file under ``DATA_DIR/reports/`` with a JSON sidecar that says what it holds
(city or group, year, language, target set); the task that built it keeps the link
(``Task.result["download_url"]``). See ``docs/reports.md``.
"""
