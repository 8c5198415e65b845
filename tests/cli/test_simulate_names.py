"""``u4ssc simulate``: names the model does not have get the closest ones it has, and
``--list`` shows them all (no database needed)."""

from __future__ import annotations

import pytest

from tests.core.simulation.suite import SUITE
from u4ssc.cli import main
from u4ssc.core.simulation import city


@pytest.mark.parametrize(
    ("argv", "flag", "wanted"),
    [
        (["--output", "ghg per capita"], "--output 'ghg per capita'", "'GHG emissions per capita'"),
        (
            ["--param", "renewable share=0.7"],
            "--param 'renewable share'",
            "'Renewable energy share'",
        ),
        (["--policy", "retrofit rat@2025*2"], "--policy 'retrofit rat'", "'retrofit rate'"),
        (
            ["--sample", "pv yeld=uniform:700:900", "--runs", "3"],
            "--sample 'pv yeld'",
            "'PV yield'",
        ),
    ],
)
def test_an_unknown_name_gets_the_closest_names_of_the_model(argv, flag, wanted, tmp_path, capsys):
    # when the city model is asked for a variable it does not have
    out = tmp_path / "out.csv"
    rc = main(["simulate", "city", *argv, "--stop", "2021", "--out", str(out)])
    err = capsys.readouterr().err
    # then it refuses with one line naming the flag and suggesting names it has
    assert rc == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"u4ssc simulate: {flag}: the model has no variable" in err
    assert "did you mean" in err and wanted in err
    assert "'u4ssc simulate city --list' lists the model's variables" in err
    assert not out.exists()


def test_several_close_names_are_all_offered_and_none_when_nothing_is_close(capsys):
    assert main(["simulate", "city", "--output", "renewable share"]) == 2
    err = capsys.readouterr().err
    for name in ("Renewable energy share", "Renewable electricity share", "Grid renewable share"):
        assert f"'{name}'" in err
    assert main(["simulate", "city", "--output", "zzz"]) == 2
    err = capsys.readouterr().err
    assert "no variable 'zzz'" in err and "did you mean" not in err and "--list" in err


def test_an_unknown_element_name_is_about_its_variable(capsys):
    assert main(["simulate", "city", "--output", "populatio[Oslo]"]) == 2
    assert "no variable 'populatio'; did you mean 'Population'" in capsys.readouterr().err


def test_list_shows_every_variable_with_kind_units_and_doc(capsys):
    # when the city model's variables are listed
    assert main(["simulate", "city", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # then there is a header and one tab-separated line per variable
    assert lines[0] == "name\tkind\tunits\tdoc"
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    model = city.load_city_model()
    assert list(rows) == model.variables()
    # with what each is to the city model, and the model's own doc
    ghg = rows["GHG emissions per capita"]
    assert ghg[1] == "auxiliary" and ghg[3].startswith("[KPI output EN: EN: AQ: 2C] ")
    assert ghg[2] == model.var("GHG emissions per capita").units
    lever = rows["retrofit rate"]
    assert lever[1] == "constant" and lever[2] == "1/year"
    assert lever[3].startswith("[policy lever 0.005-0.04] POLICY LEVER")
    assert rows["PV yield"][3].startswith("[uncertain Uniform(low=750, high=950)] ")
    assert rows["other emissions per person"][3].startswith("[set from KPI EN: EN: AQ: 2C] ")
    assert rows["Population"][1] == "stock" and rows["births"][1] == "flow"


def test_list_works_for_any_model_file(capsys):
    teacup = SUITE / "samples" / "teacup" / "teacup.xmile"
    assert main(["simulate", str(teacup), "--list"]) == 0
    out = capsys.readouterr().out
    assert "Teacup Temperature\tstock\t" in out and "[" not in out
