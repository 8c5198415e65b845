"""``u4ssc catalogue`` run for real, in a subprocess, as users run it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from tests.core.catalogue.reference import kpi_rows
from u4ssc.core.catalogue import CSV_COLUMNS, load_catalogue


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "u4ssc", "catalogue", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_json_lists_the_91_kpis_with_the_reference_codes():
    result = run("--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["version"] == load_catalogue().version
    assert doc["count"] == len(doc["kpis"]) == 91
    assert [k["code"] for k in doc["kpis"]] == [r["code"] for r in kpi_rows()]
    air = next(k for k in doc["kpis"] if k["key"] == "EN: EN: AQ: 1C")
    assert [dp["key"] for dp in air["data_points"]] == ["pm2_5", "pm10", "no2", "so2", "o3"]
    assert air["data_points"][0]["unit"] == "µg/m³"
    ed1 = next(k for k in doc["kpis"] if k["key"] == "SC: EH: ED: 1C")
    assert ed1["code"] == "SC: EH: ED:1C"  # spelled as in the reference


def test_json_is_the_default_format():
    assert json.loads(run().stdout)["count"] == 91


def test_csv_has_a_header_and_one_row_per_kpi_with_data_points_flattened():
    result = run("--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 91
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["code"] for r in rows} == {r["code"] for r in kpi_rows()}
    by_key = {r["key"]: r for r in rows}
    assert by_key["EC: ICT: ICT: 4C"]["data_points"] == "3g; 4g"
    assert "3g=3G (%" in by_key["EC: ICT: ICT: 4C"]["data_point_details"]
    assert by_key["EC: ICT: ICT: 1C"]["data_points"] == ""
    assert by_key["EC: ICT: ICT: 1C"]["measure_multiplier"] == "100"
    assert by_key["EC: ICT: ICT: 1C"]["name_nb"] == "Husholdninger med internettilgang"
    assert by_key["EC: ICT: ICT: 5C"]["code_aliases"] == "EC: ICT: ICT: 5A"


def test_a_named_version_and_an_unknown_one():
    assert json.loads(run("--version", "2026.1").stdout)["version"] == "2026.1"
    result = run("--version", "1999.1")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "available: 2026.1" in result.stderr


def test_default_targets_as_json_and_csv():
    doc = json.loads(run("--targets").stdout)
    assert len(doc["targets"]) == 24
    rows = list(csv.DictReader(io.StringIO(run("--targets", "--format", "csv").stdout)))
    pm25 = next(r for r in rows if r["data_point"] == "pm2_5")
    assert (pm25["value"], pm25["direction"]) == ("5", "lower")


def test_the_command_never_loads_django():
    code = (
        "import contextlib, io, sys\n"
        "from u4ssc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['catalogue', '--format', 'csv'])\n"
        "print(rc, any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "0 False", result.stderr
