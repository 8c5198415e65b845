"""What the engine refuses, and how: one ModelError naming construct, variable and line."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.core.simulation.helpers import model, xmile
from u4ssc.cli import main
from u4ssc.core.simulation import ModelError, UnitWarning, load_model, load_model_bytes


def _line_of(text: bytes, needle: str) -> int:
    return (
        text.decode().splitlines().index(next(x for x in text.decode().splitlines() if needle in x))
        + 1
    )


def test_malformed_xml_names_the_line():
    text = xmile('<aux name="a"><eqn>1</eqn>\n<aux name="b"><eqn>2</eqn></aux>')
    with pytest.raises(ModelError) as exc:
        load_model_bytes(text, "bad.xmile")
    assert exc.value.construct == "XML"
    assert exc.value.line is not None
    assert "not well-formed" in str(exc.value)


def test_unknown_function_names_function_variable_and_line():
    text = xmile('<aux name="growth">\n<eqn>FOO(1, 2) + 3</eqn></aux>')
    with pytest.raises(ModelError) as exc:
        load_model_bytes(text, "m.xmile")
    e = exc.value
    assert (e.construct, e.variable, e.line) == ("FOO", "growth", _line_of(text, "FOO"))
    assert "unknown function FOO" in str(e) and str(e).startswith("m.xmile:")


def test_unknown_variable():
    with pytest.raises(ModelError, match="unknown variable 'nowhere'") as exc:
        model('<aux name="a"><eqn>nowhere * 2</eqn></aux>')
    assert exc.value.variable == "a"


def test_cycle_among_auxiliaries_is_named():
    with pytest.raises(ModelError, match=r"circular definition .*: (a -> b -> a|b -> a -> b)"):
        model('<aux name="a"><eqn>b + 1</eqn></aux><aux name="b"><eqn>a * 2</eqn></aux>')


def test_a_loop_through_a_stock_is_not_a_cycle():
    m = model(
        '<stock name="s"><eqn>1</eqn><inflow>f</inflow></stock>'
        '<flow name="f"><eqn>a</eqn></flow><aux name="a"><eqn>s * 0.5</eqn></aux>',
        stop=2,
    )
    assert list(m.run()["s"]) == [1, 1.5, 2.25]


def test_unsupported_construct_is_refused_with_its_tag():
    text = xmile('<stock name="pipe"><eqn>0</eqn><conveyor><len>3</len></conveyor></stock>')
    with pytest.raises(ModelError) as exc:
        load_model_bytes(text)
    assert exc.value.construct == "<conveyor>" and exc.value.variable == "pipe"
    assert "conveyor stocks" in str(exc.value)


def test_syntax_error_in_an_equation():
    with pytest.raises(ModelError, match=r"unexpected '\)'") as exc:
        model('<aux name="a"><eqn>(1 + 2))</eqn></aux>')
    assert exc.value.variable == "a"


def test_wrong_number_of_arguments():
    with pytest.raises(ModelError, match="STEP takes 2 to 2 arguments, got 1"):
        model('<aux name="a"><eqn>STEP(1)</eqn></aux>')


def test_array_where_one_value_is_expected():
    with pytest.raises(ModelError, match="varies over dimension 'D'"):
        model(
            '<aux name="v"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>'
            '<aux name="s"><eqn>v * 2</eqn></aux>',
            dims='<dim name="D"><elem name="a"/><elem name="b"/></dim>',
        )


def test_placeholder_equation_is_refused():
    with pytest.raises(ModelError, match="placeholder equation") as exc:
        model('<aux name="a"><eqn>{Enter equation}</eqn></aux>')
    assert exc.value.construct == "placeholder equation"


def test_unit_clash_is_an_error_in_strict_mode_and_a_warning_otherwise():
    text = xmile(
        '<stock name="people"><eqn>10</eqn><inflow>births</inflow><units>person</units></stock>'
        '<flow name="births"><eqn>people * rate</eqn><units>person/year</units></flow>'
        '<aux name="rate"><eqn>0.1</eqn><units>1/year</units></aux>'
        '<aux name="bad"><eqn>people + rate</eqn><units>person</units></aux>',
        time_units="year",
    )
    with pytest.raises(ModelError, match="unit clash: both sides of '\\+'") as exc:
        load_model_bytes(text, units="strict")
    assert exc.value.variable == "bad" and exc.value.construct == "units"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model_bytes(text, units="warn")
    assert any(issubclass(w.category, UnitWarning) for w in caught)


def test_flow_units_must_be_stock_units_per_time():
    text = xmile(
        '<stock name="water"><eqn>10</eqn><outflow>use</outflow><units>m^3</units></stock>'
        '<flow name="use"><eqn>2</eqn><units>m^3/day</units></flow>',
        time_units="year",
    )
    with pytest.raises(ModelError, match="needs m\\^3/year"):
        load_model_bytes(text, units="strict")


def test_unreadable_file():
    with pytest.raises(ModelError, match="cannot read the model file"):
        load_model("/nonexistent/model.xmile")


def test_cli_reports_the_error_without_a_traceback(tmp_path: Path, capsys):
    bad = tmp_path / "bad.xmile"
    bad.write_bytes(xmile('<aux name="growth"><eqn>FOO(1)</eqn></aux>'))
    rc = main(["simulate", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "unknown function FOO" in err and "growth" in err
    assert "Traceback" not in err


def test_cli_rejects_a_bad_parameter(tmp_path: Path, capsys):
    good = tmp_path / "m.xmile"
    good.write_bytes(xmile('<aux name="a"><eqn>1</eqn></aux>'))
    assert main(["simulate", str(good), "--param", "a=abc"]) == 2
    assert main(["simulate", str(good), "--param", "zzz=1"]) == 2
    err = capsys.readouterr().err
    assert "not a number" in err and "no variable 'zzz'" in err


@pytest.mark.parametrize("func", ["SELF", "HISTORY(x, 1)"])
def test_known_but_unsupported_builtins_say_so(func: str):
    eqn = func if "(" in func else f"{func}()"
    with pytest.raises(ModelError, match="is not supported") as exc:
        model(f'<aux name="x"><eqn>1</eqn></aux><aux name="y"><eqn>{eqn}</eqn></aux>')
    assert exc.value.variable == "y"


def test_a_range_outside_a_reduction_is_refused():
    with pytest.raises(ModelError, match="range of elements"):
        model(
            '<aux name="v"><dimensions><dim name="D"/></dimensions><eqn>1, 2, 3</eqn></aux>'
            '<aux name="w"><dimensions><dim name="D"/></dimensions><eqn>v[a:b]</eqn></aux>',
            dims='<dim name="D"><elem name="a"/><elem name="b"/><elem name="c"/></dim>',
        )


def test_cli_refuses_zero_runs(capsys):
    assert main(["simulate", "city", "--runs", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_rank_of_something_that_is_not_a_one_dimensional_array_is_refused():
    dims = (
        '<dim name="D"><elem name="a"/><elem name="b"/></dim>'
        '<dim name="E"><elem name="p"/><elem name="q"/></dim>'
    )
    with pytest.raises(ModelError, match="argument 1 must be an array variable"):
        model('<aux name="x"><eqn>1</eqn></aux><aux name="y"><eqn>RANK(x, 1)</eqn></aux>')
    with pytest.raises(ModelError, match="ranks a one-dimensional array") as exc:
        model(
            '<aux name="m"><dimensions><dim name="D"/><dim name="E"/></dimensions>'
            "<eqn>1</eqn></aux>"
            '<aux name="y"><eqn>RANK(m, 1)</eqn></aux>',
            dims=dims,
        )
    assert exc.value.variable == "y"


def test_cli_warns_about_non_finite_results_and_refuses_them_when_strict(tmp_path: Path, capsys):
    path = tmp_path / "nan.xmile"
    path.write_bytes(xmile('<aux name="a"><eqn>1/0 + LN(-1)</eqn></aux>', stop=2))
    out = tmp_path / "out.csv"
    # by default: the result is written, with a warning naming the variable and time
    assert main(["simulate", str(path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: non-finite results" in err and "'a' is NaN from time 0" in err
    assert out.read_text().splitlines()[1] == "0.0,"
    # an ensemble says in how many runs
    assert main(["simulate", str(path), "--runs", "3", "--out", str(out)]) == 0
    assert "in every run" in capsys.readouterr().err
    # strict: refused, exit status 2, nothing written
    out.unlink()
    assert main(["simulate", str(path), "--nonfinite", "strict", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "variable 'a': non-finite results" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 0.5 s"),
        ("nonsense", "'nonsense' is not a Dask scheduler address"),
    ],
)
def test_an_unusable_scheduler_is_a_clear_user_error(address: str, message: str, capsys):
    import time

    # given a scheduler address nobody answers at (or not an address at all)
    started = time.perf_counter()
    rc = main(
        [
            "simulate",
            "city",
            "--runs",
            "20",
            "--scheduler",
            address,
            "--scheduler-timeout",
            "0.5",
        ]
    )
    err = capsys.readouterr().err
    # then it is refused quickly with exit status 2 and one line saying why
    assert rc == 2, err
    assert message in err and "internal error" not in err and "Traceback" not in err
    assert time.perf_counter() - started < 15


def test_the_scheduler_timeout_must_be_positive(capsys):
    assert main(["simulate", "city", "--scheduler-timeout", "0"]) == 2
    assert "positive number of seconds" in capsys.readouterr().err
