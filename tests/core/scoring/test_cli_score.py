"""``u4ssc score`` on real files, with the real KPI catalogue."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from u4ssc.cli import main

# Four KPIs of one category (EC: ICT: ICT) earning 1, 3, 4 and 1 points: the published
# worked example, 9 of 16 points = 56.25 %.
VALUES = """city,year,kpi_code,data_point,value
Karmøy,2020,EC: ICT: ICT: 1C,,10
Karmøy,2020,EC: ICT: ICT: 2C,,80
Karmøy,2020,EC: ICT: ICT: 3C,,100
Karmøy,2020,EC:ICT:ICT:4C,3G,20
Karmøy,2020,EC: ICT: ICT: 4C,LTE,30
Karmøy,2020,SC: EH: ED: 1C,,50
Karmøy,2016,EC: P: EM: 1C,,10
Karmøy,2020,EC: P: EM: 1C,,8
"""
TARGETS = """kpi_code,data_point,target,direction
EC: ICT: ICT: 1C,,100,higher
EC: ICT: ICT: 2C,,100,higher
EC: ICT: ICT: 3C,,100,higher
EC: ICT: ICT: 4C,3g,100,higher
EC: ICT: ICT: 4C,4g,100,higher
SC: EH: ED:1C,,100,higher
EC: P: EM: 1C,,4,lower
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    values = tmp_path / "values.csv"
    targets = tmp_path / "targets.csv"
    values.write_text(VALUES, encoding="utf-8")
    targets.write_text(TARGETS, encoding="utf-8")
    return values, targets


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["score", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_reproduces_the_worked_example_with_catalogue_codes_and_names(files, capsys):
    values, targets = files
    code, out, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 0, err
    doc = json.loads(out)
    (year_2020,) = [r for r in doc["results"] if r["year"] == 2020]
    kpis = {k["code"]: k for k in year_2020["kpis"]}
    # codes as the catalogue prints them, whatever spelling the file used
    assert kpis["SC: EH: ED:1C"]["name"] == "Student ICT Access"
    assert [kpis[f"EC: ICT: ICT: {n}C"]["points"] for n in (1, 2, 3, 4)] == [1, 3, 4, 1]
    # data points by the catalogue's key, found from its aliases (LTE = 4G)
    assert [p["data_point"] for p in kpis["EC: ICT: ICT: 4C"]["data_points"]] == ["3g", "4g"]
    (ict,) = [c for c in year_2020["categories"] if c["category_code"] == "ICT"]
    assert ict["category_name"] == "ICT Infrastructure"
    assert (ict["percentage"], ict["band"], ict["band_label"]) == (56.25, 2, "33-66 %")
    (society,) = year_2020["dimensions"][1:]
    assert society["dimension_name"] == "Society and Culture"
    assert kpis["EC: P: EM: 1C"]["projected_year"] == 2028


def test_csv_output_is_a_long_table(files, capsys):
    values, targets = files
    code, out, _ = run(
        capsys, "--values", str(values), "--targets", str(targets), "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    category = [r for r in rows if r["level"] == "category" and r["code"] == "EC: ICT: ICT"]
    assert [(r["year"], r["score"], r["band"]) for r in category] == [("2020", "56.25", "2")]


def test_sdsn_method_gives_scores_and_colours(files, capsys):
    values, targets = files
    code, out, _ = run(
        capsys, "--values", str(values), "--targets", str(targets), "--method", "sdsn"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["method"]["method"] == "sdsn"
    kpi = doc["results"][-1]["kpis"][0]
    assert {"score", "colour"} <= set(kpi) and "points" not in kpi


def test_method_config_file_and_cagr_trend(files, tmp_path, capsys):
    values, targets = files
    config = tmp_path / "method.json"
    config.write_text(json.dumps({"method": "u4ssc", "band_edges": [30, 60, 90]}))
    code, out, _ = run(
        capsys,
        *("--values", str(values), "--targets", str(targets)),
        *("--method-config", str(config), "--trend", "cagr"),
    )
    assert code == 0
    method = json.loads(out)["method"]
    assert method["band_edges"] == [30, 60, 90] and method["trend"]["kind"] == "cagr"


def test_explain_prints_one_scores_working(files, capsys):
    values, targets = files
    code, out, _ = run(
        capsys,
        *("--values", str(values), "--targets", str(targets)),
        *("--explain", "Karmøy", "2020", "EC: ICT: ICT: 4C", "4G"),
    )
    assert code == 0
    got = json.loads(out)
    assert (got["data_point"], got["value"], got["achievement"], got["points"]) == (
        "4g",
        30,
        30.0,
        1,
    )


@pytest.mark.parametrize(
    ("values_text", "targets_text", "message"),
    [
        ("city,year,kpi_code,data_point,value\nX,2020,EC: ICT: ICT: 9C,,1\n", TARGETS,
         "values line 2: Unknown KPI code 'EC: ICT: ICT: 9C'"),
        ("city,year,kpi_code,data_point,value\nX,2020,EC: ICT: ICT: 1C,,lots\n", TARGETS,
         "'lots' is not a number"),
        (VALUES, TARGETS.replace("4,lower", "4,down"), "direction 'down' is not"),
        ("city,year,kpi,value\nX,2020,a,1\n", TARGETS, "missing column"),
        (VALUES + "Karmøy,2020,EC: ICT: ICT:1C,,11\n", TARGETS, "more than once"),
        ("city,year,kpi_code,data_point,value\nX,2020,EN: EN: AQ: 1C,,1\n", TARGETS,
         "reported per data point"),
    ],
)  # fmt: skip
def test_bad_files_give_a_message_and_exit_2(tmp_path, capsys, values_text, targets_text, message):
    values, targets = tmp_path / "v.csv", tmp_path / "t.csv"
    values.write_text(values_text, encoding="utf-8")
    targets.write_text(targets_text, encoding="utf-8")
    code, out, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 2
    assert message in err and out == ""


def test_errors_print_no_traceback(tmp_path):
    values = tmp_path / "v.csv"
    values.write_text("city,year,kpi_code,data_point,value\nX,2020,nonsense,,1\n")
    result = subprocess.run(
        [sys.executable, "-m", "u4ssc", "score", "--values", str(values),
         "--targets", str(tmp_path / "missing.csv")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Unknown KPI code 'nonsense'" in result.stderr


HEADER = "city,year,kpi_code,data_point,value\n"


@pytest.mark.parametrize("method", ["u4ssc", "sdsn"])
def test_a_values_file_with_a_header_only_scores_nothing_without_a_traceback(
    tmp_path, files, method
):
    # given a VALUES.csv with its header and no row
    values = tmp_path / "empty.csv"
    values.write_text(HEADER, encoding="utf-8")
    _, targets = files
    # when it is scored (in a process of its own: what a person sees)
    result = subprocess.run(
        [sys.executable, "-m", "u4ssc", "score", "--values", str(values),
         "--targets", str(targets), "--method", method],
        capture_output=True, text=True,
    )  # fmt: skip
    # then an empty result and a warning that says why
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["results"] == []
    assert "has a header and no rows: nothing to score" in result.stderr


def test_an_empty_file_is_refused_with_the_header_it_needs(tmp_path, files, capsys):
    values = tmp_path / "blank.csv"
    values.write_text("", encoding="utf-8")
    _, targets = files
    code, out, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 2 and out == ""
    assert "is empty: expected a header line (city, year, kpi_code, data_point, value)" in err


def test_semicolons_decimal_commas_and_url_slugs_read_as_the_platform_writes_them(tmp_path, capsys):
    # given files as Norwegian Excel saves them, with KPI codes copied from page URLs
    values = tmp_path / "values.csv"
    values.write_text(
        "city;year;kpi_code;data_point;value\n"
        "Karmøy;2016;ec-p-em-1c;;10\n"
        "Karmøy;2020;ec-p-em-1c;;8,0\n"
        "Karmøy;2020;ec-ict-ict-4c;3G;96,67\n"
        "Karmøy;2020;EC: ICT: ICT: 4C;4G;50\n",
        encoding="utf-8",
    )
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "kpi_code;data_point;target;direction\n"
        "ec-p-em-1c;;4;lower\nec-ict-ict-4c;3g;100;higher\nec-ict-ict-4c;4g;100;higher\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 0, err
    (year_2020,) = [r for r in json.loads(out)["results"] if r["year"] == 2020]
    kpis = {k["code"]: k for k in year_2020["kpis"]}
    # then the codes are the catalogue's, 8,0 is eight, and the worked examples hold
    assert kpis["EC: P: EM: 1C"]["value"] == 8.0 and kpis["EC: P: EM: 1C"]["achievement"] == 50.0
    assert kpis["EC: ICT: ICT: 4C"]["points"] == 3
    # and --explain takes the slug too
    code, out, err = run(
        capsys,
        *("--values", str(values), "--targets", str(targets)),
        *("--explain", "Karmøy", "2020", "ec-p-em-1c"),
    )
    assert code == 0, err
    assert json.loads(out)["kpi_code"] == "EC: P: EM: 1C"


def test_a_semicolon_file_with_wrong_columns_says_what_it_found(tmp_path, files, capsys):
    values = tmp_path / "v.csv"
    values.write_text("by;år;kode;verdi\nKarmøy;2020;ec-p-em-1c;8\n", encoding="utf-8")
    _, targets = files
    code, _out, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 2
    assert "missing column(s) city, year, kpi_code, data_point, value" in err
    assert "(found by, år, kode, verdi)" in err


def test_configured_band_edges_band_a_single_value_kpi_by_its_achievement(tmp_path, capsys):
    # given band edges 20/50/90 and two KPIs achieving 33 % and 2 % of their targets
    values = tmp_path / "values.csv"
    values.write_text(
        "city,year,kpi_code,data_point,value\n"
        "Karmøy,2020,EC: ICT: ICT: 1C,,33\n"
        "Karmøy,2020,EC: ICT: ICT: 2C,,2\n",
        encoding="utf-8",
    )
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "kpi_code,data_point,target,direction\n"
        "EC: ICT: ICT: 1C,,100,higher\n"
        "EC: ICT: ICT: 2C,,100,higher\n",
        encoding="utf-8",
    )
    config = tmp_path / "method.json"
    config.write_text(json.dumps({"method": "u4ssc", "band_edges": [20, 50, 90]}))
    # when the files are scored with that method
    code, out, err = run(
        capsys,
        *("--values", str(values), "--targets", str(targets), "--method-config", str(config)),
    )
    # then each KPI's band is the band of its achievement, as its points are
    assert code == 0, err
    kpis = {k["code"]: k for k in json.loads(out)["results"][0]["kpis"]}
    one, two = kpis["EC: ICT: ICT: 1C"], kpis["EC: ICT: ICT: 2C"]
    assert (one["achievement"], one["points"], one["band"], one["band_label"]) == (
        33,
        2,
        2,
        "20-50 %",
    )
    assert (two["achievement"], two["points"], two["band"], two["band_label"]) == (
        2,
        1,
        1,
        "less than 20 % of target",
    )


def test_blank_values_are_named_with_their_lines_and_range_targets_carry_numbers(tmp_path):
    # given a values file with two blank values (lines 3 and 5) and a range target
    values = tmp_path / "values.csv"
    values.write_text(
        HEADER
        + "Karmøy,2020,EC: ICT: ICT: 1C,,80\n"
        + "Karmøy,2020,EC: ICT: ICT: 2C,,\n"
        + "Karmøy,2020,SC: SH: SI: 1C,,1.2\n"
        + "Karmøy,2020,EC: P: EM: 1C,,  \n",
        encoding="utf-8",
    )
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "kpi_code,data_point,target,direction\n"
        "EC: ICT: ICT: 1C,,100,higher\n"
        "EC: ICT: ICT: 2C,,100,higher\n"
        "SC: SH: SI: 1C,,,range:0.95-1.05\n",
        encoding="utf-8",
    )
    # when it is scored by the real command
    result = subprocess.run(
        [sys.executable, "-m", "u4ssc", "score", "--values", str(values),
         "--targets", str(targets)],
        capture_output=True, text=True,
    )  # fmt: skip
    # then the blank rows are skipped with a warning naming their lines
    assert result.returncode == 0, result.stderr
    assert (
        f"u4ssc score: warning: values file {values}: 2 row(s) with a blank value skipped "
        "(not reported, not scored), on line(s) 3, 5"
    ) in result.stderr
    (year,) = json.loads(result.stdout)["results"]
    kpis = {k["code"]: k for k in year["kpis"]}
    assert set(kpis) == {"EC: ICT: ICT: 1C", "SC: SH: SI: 1C"}
    # and the range target carries its ends as numbers, besides the direction's text
    gender = kpis["SC: SH: SI: 1C"]
    assert gender["direction"] == "range:0.95-1.05"
    assert (gender["target_low"], gender["target_high"]) == (0.95, 1.05)
    assert gender["achievement"] == pytest.approx(1.05 / 1.2 * 100, abs=1e-3)
    assert "target_low" not in kpis["EC: ICT: ICT: 1C"]


def test_no_warning_when_every_value_is_given(files, capsys):
    values, targets = files
    code, _, err = run(capsys, "--values", str(values), "--targets", str(targets))
    assert code == 0
    assert "blank value" not in err
