"""The ``u4ssc import``, ``u4ssc export`` and ``u4ssc workbook`` commands, and the
``--out`` and CSV files every command is given."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.evaluations.models import KPIValue, ValueRevision
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.apps.transfer.tests.conftest import long_csv, publish
from u4ssc.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [["alesund", 2024, "EN: EN: AQ: 2C", "", "value", "3.4", "", "SSB", "2"]]


def test_import_prints_the_report_and_records_the_cli_channel(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", ROWS)
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 row: 1 new, 0 changed, 0 unchanged." in out
    assert ValueRevision.objects.get().channel == "cli"
    run = ImportRun.objects.get()
    assert run.channel == "cli" and run.started_by is None
    assert main(["import", str(path)]) == 0
    assert "0 new, 0 changed, 1 unchanged" in capsys.readouterr().out


def test_a_refused_import_exits_non_zero(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", [[*ROWS[0][:5], "three", *ROWS[0][6:]]])
    assert main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Refused" in out and "row 2, column value" in out and "[given: three]" in out
    assert KPIValue.objects.count() == 0


def test_import_as_a_user_uses_their_permissions(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", [["linz", *ROWS[0][1:]]])
    assert main(["import", str(path), "--as", "officer"]) == 1
    assert "may not change" in capsys.readouterr().out
    assert main(["import", str(path), "--as", "ghost"]) == 2


def test_import_dry_run_and_json(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", ROWS)
    assert main(["import", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["outcome"] == "checked" and report["created"] == 1
    assert KPIValue.objects.count() == 0


def test_import_with_an_unknown_profile_lists_the_known_ones(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", ROWS)
    assert main(["import", str(path), "--profile", "nope"]) == 2
    assert "cdp-citywide-emissions-2019" in capsys.readouterr().err
    assert main(["import", "--list-profiles"]) == 0
    assert "CDP city-wide emissions 2016" in capsys.readouterr().out


def test_export_writes_each_format(world, tmp_path, capsys):
    publish(world, world.city, 2024, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.0, source="x")])
    for fmt in ("csv", "xlsx", "json", "datapackage"):
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--format", fmt, "--city", "alesund", "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    lines = (tmp_path / "export.csv").read_text("utf-8-sig").splitlines()
    rows = list(csv.DictReader(lines))
    assert rows[0]["city"] == "alesund" and rows[0]["value"] == "3.0"
    assert load_workbook(tmp_path / "export.xlsx")["Data"]["A2"].value == "alesund"
    assert "1 published values written" in capsys.readouterr().err
    assert main(["export", "--format", "json", "--group", "nordic-hub", "--year", "2024"]) == 0
    assert json.loads(capsys.readouterr().out)["values"][0]["year"] == 2024
    assert main(["export", "--format", "csv", "--city", "atlantis"]) == 2


def test_workbook_command(world, tmp_path):
    out = tmp_path / "wb.xlsx"
    assert main(["workbook", "alesund", "2025", "--out", str(out)]) == 0
    assert load_workbook(out)["_meta"]["B4"].value == "alesund"


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv", "--city", "alesund"],
        ["workbook", "alesund", "2024"],
        ["report", "snapshot", "--city", "alesund"],
        ["simulate", "city"],
    ],
)
def test_every_out_into_a_missing_folder_is_one_clear_line(world, tmp_path, capsys, command):
    # given an --out in a folder that does not exist
    out = tmp_path / "no-such-folder" / "file.out"
    # when the command runs, then it stops at once: exit 2, one line, no traceback
    assert main([*command, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err]
    assert err.startswith(f"u4ssc {command[0]}: --out {out}: the folder ")
    assert "does not exist" in err and "Traceback" not in err
    assert not out.parent.exists()


def test_an_out_that_is_a_folder_is_refused(world, tmp_path, capsys):
    assert main(["export", "--format", "csv", "--out", str(tmp_path)]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"u4ssc export: --out {tmp_path} is a folder; give a file name"
    )


def test_a_csv_with_nul_bytes_given_to_import_writes_nothing(world, tmp_path, capsys):
    path = long_csv(tmp_path / "v.csv", ROWS)
    path.write_bytes(path.read_bytes().replace(b"SSB", b"S\x00SB"))
    assert main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "The file contains NUL bytes (the first near line 2); is it a CSV?" in out
    assert "Nothing was written." in out
    assert not KPIValue.objects.exists()


def test_a_csv_with_nul_bytes_given_to_score_is_refused(tmp_path, capsys):
    values = tmp_path / "values.csv"
    values.write_bytes(
        b"city,year,kpi_code,data_point,value\nalesund,2024,EC: ICT: ICT: 1C,,9\x005\n"
    )
    targets = tmp_path / "targets.csv"
    targets.write_text("kpi_code,data_point,target,direction\nEC: ICT: ICT: 1C,,95,higher\n")
    assert main(["score", "--values", str(values), "--targets", str(targets)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"u4ssc score: values file {values}: the file contains NUL bytes (the first near "
        "line 2); is it a CSV?"
    )
