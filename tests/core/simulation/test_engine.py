"""Engine semantics on small inline models: integration, builtins, arrays, lookups."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tests.core.simulation.helpers import model
from u4ssc.core.simulation import ModelError, NonFiniteWarning

DECAY = """
<stock name="x"><eqn>100</eqn><outflow>out</outflow></stock>
<flow name="out"><eqn>x * k</eqn></flow>
<aux name="k"><eqn>0.1</eqn></aux>
"""


def test_euler_matches_the_closed_form_of_its_recurrence():
    # given exponential decay with Euler and dt = 0.5
    m = model(DECAY, stop=10, dt=0.5)
    # when run once
    df = m.run()
    # then x(t) = 100 (1 - k dt)^(t/dt) exactly
    t = df.index.to_numpy()
    assert isinstance(df, pd.DataFrame)
    np.testing.assert_allclose(df["x"], 100 * (1 - 0.05) ** (t / 0.5), rtol=1e-12)


def test_rk4_is_far_closer_to_the_exact_solution_than_euler():
    exact = 100 * np.exp(-0.1 * 10)
    euler = model(DECAY, stop=10, dt=1).run()["x"].iloc[-1]
    rk4 = model(DECAY, stop=10, dt=1, method="RK4").run()["x"].iloc[-1]
    assert abs(rk4 - exact) < 1e-4
    assert abs(euler - exact) > 1.0


def test_method_can_be_chosen_per_run():
    m = model(DECAY, stop=10, dt=1)
    assert abs(m.run(method="rk4")["x"].iloc[-1] - 100 * np.exp(-1)) < 1e-4


def test_runs_in_this_process_reuse_the_generated_code(monkeypatch):
    # given a model run once (its code generated for these inputs and outputs)
    from u4ssc.core.simulation import model as engine

    m = model(DECAY, stop=10, dt=1)
    first = m.run({"k": 0.2}, runs=3)
    generated = []
    real = engine.generate
    monkeypatch.setattr(engine, "generate", lambda *a, **kw: generated.append(a) or real(*a, **kw))
    # when run again with other values of the same inputs, also in chunks
    again = m.run({"k": 0.2}, runs=3)
    m.run({"k": 0.3}, runs=3, executor="serial", chunk_size=1)
    # then no code is generated again, and the result is the same
    assert generated == []
    np.testing.assert_array_equal(first.data, again.data)


def test_save_step_keeps_only_every_kth_step():
    m = model(DECAY, stop=10, dt=0.25)
    df = m.run(save_step=1)
    assert list(df.index) == [float(i) for i in range(11)]
    full = m.run()
    np.testing.assert_allclose(df["x"].to_numpy(), full["x"].to_numpy()[::4])


def test_pulse_step_ramp():
    m = model(
        """
        <aux name="p"><eqn>PULSE(10, 2, 3)</eqn></aux>
        <aux name="s"><eqn>STEP(5, 4)</eqn></aux>
        <aux name="r"><eqn>RAMP(2, 3, 6)</eqn></aux>
        """,
        stop=10,
        dt=0.5,
    )
    df = m.run()
    # PULSE: magnitude/DT for one DT at 2, 5, 8
    assert df.loc[2.0, "p"] == 20 and df.loc[5.0, "p"] == 20 and df.loc[8.0, "p"] == 20
    assert df["p"].sum() == 60
    assert df.loc[3.5, "s"] == 0 and df.loc[4.0, "s"] == 5
    assert df.loc[3.0, "r"] == 0 and df.loc[4.5, "r"] == 3 and df.loc[9.0, "r"] == 6


def test_smooth_and_material_delays_reach_the_input_and_hold_material():
    m = model(
        """
        <aux name="input"><eqn>STEP(10, 1)</eqn></aux>
        <aux name="s1"><eqn>SMTH1(input, 2)</eqn></aux>
        <aux name="s3"><eqn>SMTH3(input, 2)</eqn></aux>
        <aux name="d1"><eqn>DELAY1(input, 2)</eqn></aux>
        <aux name="d3"><eqn>DELAY3(input, 3, 1)</eqn></aux>
        <aux name="dn"><eqn>DELAYN(input, 3, 3, 1)</eqn></aux>
        <aux name="pipe"><eqn>DELAY(input, 2, 7)</eqn></aux>
        """,
        stop=40,
        dt=0.125,
    )
    df = m.run()
    # first-order smooth, Euler: s(t+dt) = s + dt (in - s)/T
    assert df.loc[1.125, "s1"] == pytest.approx(10 * 0.125 / 2)
    assert df.loc[40.0, "s1"] == pytest.approx(10, rel=1e-6)
    assert df.loc[40.0, "s3"] == pytest.approx(10, rel=1e-5)
    # third-order responds later than first order
    assert df.loc[2.0, "s3"] < df.loc[2.0, "s1"]
    # DELAY3 with an initial value starts at it; DELAYN(.., 3, ..) is the same thing
    assert df.loc[0.0, "d3"] == 1
    np.testing.assert_allclose(df["dn"], df["d3"], rtol=1e-12)
    # pipeline delay: the initial value while t - 2 is before the start, then the input
    # as it was 2 time units earlier
    assert df.loc[0.5, "pipe"] == 7 and df.loc[1.875, "pipe"] == 7
    assert df.loc[2.0, "pipe"] == 0 and df.loc[2.875, "pipe"] == 0 and df.loc[3.0, "pipe"] == 10


def test_trend_of_exponential_growth_approaches_the_growth_rate():
    m = model(
        """
        <stock name="x"><eqn>1</eqn><inflow>g</inflow></stock>
        <flow name="g"><eqn>x * 0.05</eqn></flow>
        <aux name="tr"><eqn>TREND(x, 2, 0.05)</eqn></aux>
        <aux name="fc"><eqn>FORCST(x, 2, 4, 0.05)</eqn></aux>
        """,
        stop=50,
        dt=0.25,
    )
    df = m.run()
    assert df["tr"].iloc[-1] == pytest.approx(0.05, rel=0.05)
    assert df["fc"].iloc[-1] > df["x"].iloc[-1]


def test_previous_and_init():
    m = model(
        """
        <aux name="a"><eqn>TIME * 2</eqn></aux>
        <aux name="prev"><eqn>PREVIOUS(a, -1)</eqn></aux>
        <aux name="first"><eqn>INIT(a + 3)</eqn></aux>
        """,
        start=1,
        stop=5,
    )
    df = m.run()
    assert list(df["prev"]) == [-1, 2, 4, 6, 8]
    assert list(df["first"]) == [5] * 5


def test_math_logic_and_safediv():
    m = model(
        """
        <aux name="a"><eqn>IF TIME &gt;= 2 AND NOT (TIME = 3) THEN 1 ELSE 0</eqn></aux>
        <aux name="b"><eqn>SAFEDIV(1, TIME - 2, -9)</eqn></aux>
        <aux name="c"><eqn>MIN(TIME, 3) + MAX(TIME, 1, 2) + 7 MOD 4 + INT(2.7) + ABS(-1)</eqn></aux>
        <aux name="d"><eqn>(TIME &gt; 1) * 10 + (TIME &lt;&gt; 0)</eqn></aux>
        <aux name="e"><eqn>EXP(LN(5)) + LOG10(100) + SQRT(16) + SIN(0) + COS(0) + PI - PI()
        </eqn></aux>
        """,
        stop=4,
    )
    df = m.run()
    assert list(df["a"]) == [0, 0, 1, 0, 1]
    assert list(df["b"]) == [-0.5, -1, -9, 1, 0.5]
    assert list(df["c"]) == [0 + 2 + 3 + 2 + 1, 1 + 2 + 6, 2 + 2 + 6, 3 + 3 + 6, 3 + 4 + 6]
    assert list(df["d"]) == [0, 1, 11, 11, 11]
    np.testing.assert_allclose(df["e"], 5 + 2 + 4 + 0 + 1, rtol=1e-12)


def test_division_by_zero_gives_ieee_values_and_a_warning_not_an_exception():
    with pytest.warns(NonFiniteWarning, match="'a' is inf from time 1"):
        df = model('<aux name="a"><eqn>1 / (TIME - 1)</eqn></aux>', stop=2).run()
    assert np.isinf(df.loc[1.0, "a"]) and df.loc[0.0, "a"] == -1


def test_non_finite_outputs_are_reported_with_their_first_time_and_runs():
    # given a model whose outputs become inf and NaN (in some runs only, for one)
    m = model(
        """
        <aux name="a"><eqn>1 / 0 + LN(-1)</eqn></aux>
        <aux name="b"><eqn>IF TIME &gt;= 2 THEN SQRT(k - 1) ELSE 1</eqn></aux>
        <aux name="k"><eqn>5</eqn></aux>
        <aux name="fine"><eqn>TIME</eqn></aux>
        """,
        stop=3,
    )
    # when an ensemble runs, then the warning names each column, time and run count
    with pytest.warns(NonFiniteWarning) as caught:
        ens = m.run({"k": np.array([0.0, 2.0, 0.5, 9.0])})
    text = str(caught[0].message)
    assert "'a' is NaN from time 0 in every run" in text
    assert "'b' is NaN from time 2 in 2 of 4 runs" in text and "fine" not in text
    assert [(p.column, p.first_time, p.runs) for p in ens.non_finite] == [
        ("a", 0.0, 4),
        ("b", 2.0, 2),
    ]
    # and strict makes it an error naming the first such variable; off is silent
    with pytest.raises(ModelError, match="non-finite results") as exc:
        m.run(nonfinite="strict")
    assert exc.value.variable == "a" and exc.value.construct == "non-finite result"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert m.run(nonfinite="off").attrs["non_finite"] == []
    # a finite run has nothing to report
    assert model(DECAY, stop=2).run().attrs["non_finite"] == []


GF = """
<aux name="y_{kind}"><eqn>TIME</eqn>
  <gf type="{kind}"><xpts>1,2,4</xpts><ypts>10,20,0</ypts></gf></aux>
"""


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("continuous", [10, 10, 20, 10, 0, 0]),
        ("extrapolate", [0, 10, 20, 10, 0, -10]),
        ("discrete", [10, 10, 20, 20, 0, 0]),
    ],
)
def test_graphical_function_modes(kind: str, expected: list[float]):
    m = model(GF.format(kind=kind), stop=5)
    assert list(m.run()[f"y_{kind}"]) == expected


def test_standalone_lookup_called_like_a_function_and_with_lookup():
    m = model(
        """
        <gf name="table"><xscale min="0" max="10"/><ypts>0,100</ypts></gf>
        <aux name="a"><eqn>table(TIME)</eqn></aux>
        <aux name="b"><eqn>LOOKUP(table, TIME / 2)</eqn></aux>
        """,
        stop=4,
    )
    df = m.run()
    assert list(df["a"]) == [0, 10, 20, 30, 40]
    assert list(df["b"]) == [0, 5, 10, 15, 20]


def test_non_negative_stock_limits_its_outflows_in_listed_order():
    m = model(
        """
        <stock name="s"><eqn>10</eqn><inflow>i</inflow><outflow>o1</outflow>
            <outflow>o2</outflow><non_negative/></stock>
        <flow name="i"><eqn>1</eqn></flow>
        <flow name="o1"><eqn>8</eqn></flow>
        <flow name="o2"><eqn>8</eqn></flow>
        <flow name="neg"><eqn>-3</eqn><non_negative/></flow>
        """,
        stop=3,
    )
    df = m.run()
    assert list(df["s"]) == [10, 0, 0, 0]
    assert df.loc[0.0, "o1"] == 8 and df.loc[0.0, "o2"] == 3
    assert df.loc[1.0, "o1"] == 1 and df.loc[1.0, "o2"] == 0
    assert (df["neg"] == 0).all()


DIMS = """
<dim name="Region"><elem name="north"/><elem name="south"/></dim>
<dim name="Mode"><elem name="car"/><elem name="bus"/><elem name="bike"/></dim>
"""


def test_arrays_apply_to_all_elements_reductions_and_transposition():
    m = model(
        """
        <aux name="pop"><dimensions><dim name="Region"/></dimensions><eqn>100, 300</eqn></aux>
        <aux name="share"><dimensions><dim name="Mode"/></dimensions>
            <element subscript="car"><eqn>0.5</eqn></element>
            <element subscript="bus"><eqn>0.3</eqn></element>
            <element subscript="bike"><eqn>0.2</eqn></element></aux>
        <aux name="trips"><dimensions><dim name="Region"/><dim name="Mode"/></dimensions>
            <eqn>pop[Region] * share[Mode] * (1 + TIME)</eqn></aux>
        <aux name="by mode"><dimensions><dim name="Mode"/><dim name="Region"/></dimensions>
            <eqn>trips</eqn></aux>
        <aux name="total"><eqn>SUM(trips[*, *])</eqn></aux>
        <aux name="car trips"><eqn>SUM(trips[Region, car])</eqn></aux>
        <aux name="biggest"><eqn>MAX(trips[south, *])</eqn></aux>
        <aux name="mean pop"><eqn>MEAN(pop[*])</eqn></aux>
        <aux name="n"><eqn>SIZE(share)</eqn></aux>
        <aux name="first two"><eqn>SUM(share[car:bus])</eqn></aux>
        """,
        dims=DIMS,
        stop=1,
    )
    df = m.run()
    assert df.loc[0.0, "trips[south,bus]"] == pytest.approx(90)
    assert df.loc[1.0, "by mode[bus,south]"] == pytest.approx(180)
    assert df.loc[0.0, "total"] == pytest.approx(400)
    assert df.loc[1.0, "car trips"] == pytest.approx(400)
    assert df.loc[0.0, "biggest"] == pytest.approx(150)
    assert df.loc[0.0, "mean pop"] == 200
    assert df.loc[0.0, "n"] == 3
    assert df.loc[0.0, "first two"] == pytest.approx(0.8)


def test_arrayed_stocks_and_flows_integrate_per_element():
    m = model(
        """
        <stock name="s"><dimensions><dim name="Region"/></dimensions><eqn>0</eqn>
            <inflow>f</inflow></stock>
        <flow name="f"><dimensions><dim name="Region"/></dimensions>
            <element subscript="north"><eqn>1</eqn></element>
            <element subscript="south"><eqn>s[north] + 2</eqn></element></flow>
        """,
        dims=DIMS,
        stop=3,
    )
    df = m.run()
    assert list(df["s[north]"]) == [0, 1, 2, 3]
    assert list(df["s[south]"]) == [0, 2, 5, 9]


def test_names_are_case_and_separator_insensitive():
    m = model(
        """
        <aux name="Room Temperature"><eqn>70</eqn></aux>
        <aux name="a"><eqn>room_temperature + "ROOM temperature" + Room_Temperature</eqn></aux>
        """
    )
    assert m.run()["a"].iloc[0] == 210
    assert m.var("ROOM_TEMPERATURE").display == "Room Temperature"


@pytest.mark.parametrize("to", ["fill", "tank.fill"])
def test_modules_connect_inputs_and_outputs(to: str):
    from u4ssc.core.simulation import load_model_bytes

    text = b"""<?xml version="1.0"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
<model><variables>
  <module name="tank"><connect to="TO" from=".supply"/></module>
  <aux name="supply"><eqn>3</eqn></aux>
  <aux name="level seen"><eqn>tank.level</eqn></aux>
</variables></model>
<model name="tank"><variables>
  <stock name="level"><eqn>1</eqn><inflow>filling</inflow></stock>
  <flow name="filling"><eqn>fill</eqn></flow>
  <aux name="fill"><eqn>0</eqn></aux>
</variables></model>
</xmile>""".replace(b"TO", to.encode())
    df = load_model_bytes(text, "modules.xmile", units="off").run()
    assert list(df["level seen"]) == [1, 4, 7]
    assert list(df["tank.level"]) == [1, 4, 7]


def test_expression_macros_are_inlined():
    from tests.core.simulation.helpers import xmile
    from u4ssc.core.simulation import load_model_bytes

    text = xmile(
        '<aux name="y"><eqn>double_plus(TIME, 1)</eqn></aux>',
        extra='<macro name="double plus"><parm>a</parm><parm>b</parm><eqn>2 * a + b</eqn></macro>',
        stop=2,
    )
    df = load_model_bytes(text, units="off").run()
    assert list(df["y"]) == [1, 3, 5]


def test_a_single_run_carries_what_reproduces_it():
    m = model(DECAY, stop=2)
    df = m.run({"k": 0.2}, seed=7)
    assert df.attrs["model_hash"] == m.hash and len(m.hash) == 64
    assert df.attrs["seed"] == 7 and df.attrs["params"] == {"k": 0.2}


def test_pipeline_delay_with_a_delay_time_per_run_and_per_element():
    m = model(
        """
        <aux name="d"><dimensions><dim name="Region"/></dimensions><eqn>1, 2</eqn></aux>
        <aux name="late"><dimensions><dim name="Region"/></dimensions>
            <eqn>DELAY(TIME, d + k, -1)</eqn></aux>
        <aux name="k"><eqn>0</eqn></aux>
        """,
        dims=DIMS,
        stop=5,
    )
    ens = m.run({"k": np.array([0.0, 1.0])})
    # run 0: delays 1 and 2; run 1: delays 2 and 3
    assert ens.values("late[north]")[0].tolist() == [-1, 0, 1, 2, 3, 4]
    assert ens.values("late[south]")[0].tolist() == [-1, -1, 0, 1, 2, 3]
    assert ens.values("late[north]")[1].tolist() == [-1, -1, 0, 1, 2, 3]
    assert ens.values("late[south]")[1].tolist() == [-1, -1, -1, 0, 1, 2]


SUBRANGES = """
<dim name="Dim1"><elem name="a"/><elem name="b"/><elem name="c"/></dim>
<dim name="Sub"><elem name="b"/><elem name="c"/></dim>
<dim name="Ends"><elem name="c"/><elem name="a"/></dim>
"""


def test_subrange_dimensions_select_their_elements_by_name():
    # given dimensions whose elements are a subset of Dim1's (as Vensim exports subranges)
    m = model(
        """
        <aux name="x"><dimensions><dim name="Dim1"/></dimensions><eqn>1, 2, 3</eqn></aux>
        <aux name="y"><dimensions><dim name="Sub"/></dimensions><eqn>x[Sub] * 10</eqn></aux>
        <aux name="e"><dimensions><dim name="Ends"/></dimensions><eqn>x[Ends] + TIME</eqn></aux>
        <aux name="total ends"><eqn>SUM(x[Ends])</eqn></aux>
        <aux name="grid"><dimensions><dim name="Dim1"/><dim name="Sub"/></dimensions>
            <eqn>x[Dim1] * y[Sub]</eqn></aux>
        <aux name="w"><dimensions><dim name="Dim1"/></dimensions>
            <element subscript="a"><eqn>0</eqn></element>
            <element subscript="Sub"><eqn>x[Dim1] * 2 + y[Sub]</eqn></element></aux>
        """,
        dims=SUBRANGES,
        stop=1,
    )
    # when it runs
    df = m.run()
    # then each subrange element is the element of the same name
    assert (df.loc[0.0, "y[b]"], df.loc[0.0, "y[c]"]) == (20, 30)
    assert (df.loc[1.0, "e[c]"], df.loc[1.0, "e[a]"]) == (4, 2)
    assert df.loc[0.0, "total ends"] == 4
    assert df.loc[0.0, "grid[a,c]"] == 30 and df.loc[0.0, "grid[c,b]"] == 60
    assert [df.loc[0.0, f"w[{e}]"] for e in "abc"] == [0, 4 + 20, 6 + 30]


def test_a_dimension_that_is_not_a_subrange_is_refused_with_the_reason():
    with pytest.raises(ModelError, match="not a subrange of it") as exc:
        model(
            '<aux name="y"><dimensions><dim name="Sub"/></dimensions><eqn>1, 2</eqn></aux>'
            '<aux name="z"><dimensions><dim name="Dim1"/></dimensions><eqn>y[Dim1]</eqn></aux>',
            dims=SUBRANGES,
        )
    assert exc.value.variable == "z"


def test_dimension_names_and_qualified_elements_are_positions_as_values():
    # given Stella's reading: a dimension name in an arrayed equation is the position of
    # the current element, Dim.elem the position of that element
    m = model(
        """
        <aux name="p"><dimensions><dim name="Dim1"/></dimensions><eqn>Dim1 * 100</eqn></aux>
        <aux name="q"><dimensions><dim name="Sub"/></dimensions><eqn>Sub</eqn></aux>
        <aux name="is b"><dimensions><dim name="Dim1"/></dimensions>
            <eqn>IF Dim1 = Dim1.b THEN 1 ELSE 0</eqn></aux>
        <aux name="pick"><eqn>Dim1.c + SUM(p[*] * Dim1) / 100</eqn></aux>
        <aux name="el"><dimensions><dim name="Dim1"/></dimensions>
            <element subscript="a"><eqn>Dim1</eqn></element>
            <element subscript="b"><eqn>Dim1 * 2</eqn></element>
            <element subscript="c"><eqn>0</eqn></element></aux>
        """,
        dims=SUBRANGES,
        stop=0,
    )
    row = m.run().iloc[0]
    assert [row[f"p[{e}]"] for e in "abc"] == [100, 200, 300]
    assert [row["q[b]"], row["q[c]"]] == [1, 2]
    assert [row[f"is b[{e}]"] for e in "abc"] == [0, 1, 0]
    assert row["pick"] == 3 + (100 + 400 + 900) / 100
    assert [row["el[a]"], row["el[b]"]] == [1, 4]


def test_a_dimension_name_as_a_value_needs_an_equation_arrayed_over_it():
    with pytest.raises(ModelError, match="does not vary over it"):
        model('<aux name="s"><eqn>Dim1 * 2</eqn></aux>', dims=SUBRANGES)


def test_rank_gives_the_position_of_the_element_with_each_rank():
    # given values per region, equal ones broken by a second array and then by order
    m = model(
        """
        <aux name="v"><dimensions><dim name="Dim1"/></dimensions><eqn>30, 10, 20</eqn></aux>
        <aux name="order"><dimensions><dim name="Dim1"/></dimensions>
            <eqn>RANK(v, Dim1)</eqn></aux>
        <aux name="smallest"><eqn>RANK(v, 1)</eqn></aux>
        <aux name="largest"><eqn>RANK(v[*], SIZE(v))</eqn></aux>
        <aux name="tied"><dimensions><dim name="Dim1"/></dimensions><eqn>5, 5, 5</eqn></aux>
        <aux name="tb"><dimensions><dim name="Dim1"/></dimensions><eqn>2, 3, 1</eqn></aux>
        <aux name="by tie breaker"><eqn>RANK(tied, 1, tb)</eqn></aux>
        <aux name="by order"><eqn>RANK(tied, 2)</eqn></aux>
        <aux name="moving"><eqn>RANK(v, TIME)</eqn></aux>
        """,
        dims=SUBRANGES,
        stop=4,
    )
    with pytest.warns(NonFiniteWarning, match="'moving' is NaN from time 0"):
        df = m.run()
    row = df.iloc[0]
    # then rank 1 is the smallest value (10, at position 2) ... rank 3 the largest
    assert [row[f"order[{e}]"] for e in "abc"] == [2, 3, 1]
    assert (row["smallest"], row["largest"]) == (2, 1)
    assert (row["by tie breaker"], row["by order"]) == (3, 2)
    # and a rank outside 1..size has no element: NaN
    assert np.isnan(df.loc[0.0, "moving"]) and np.isnan(df.loc[4.0, "moving"])
    assert list(df.loc[1.0:3.0, "moving"]) == [2, 3, 1]
    # each run of an ensemble is ranked on its own
    ens = m.run({"v[a]": np.array([0.0, 100.0])}, outputs=["smallest", "largest"])
    assert ens.values("smallest")[:, 0].tolist() == [1, 2]
    assert ens.values("largest")[:, 0].tolist() == [3, 1]


INTEGRATE = """
<macro name="integrate"><parm>input</parm><eqn>total</eqn>
  <variables>
    <stock name="total"><eqn>0</eqn><inflow>adding</inflow></stock>
    <flow name="adding"><eqn>input</eqn></flow>
  </variables>
</macro>
<macro name="smoothed"><parm>x</parm><parm>tau</parm><eqn>level * gain(1)</eqn>
  <variables>
    <aux name="level"><eqn>SMTH1(x, tau)</eqn></aux>
    <gf name="gain"><xpts>0,2</xpts><ypts>0,4</ypts></gf>
  </variables>
</macro>
"""


def test_macros_with_their_own_variables_get_a_copy_per_call():
    from tests.core.simulation.helpers import xmile
    from u4ssc.core.simulation import load_model_bytes

    # given a macro holding a stock, called three times (once per array element too)
    text = xmile(
        """
        <aux name="a"><eqn>integrate(1)</eqn></aux>
        <aux name="b"><eqn>integrate(TIME) + integrate(2)</eqn></aux>
        <aux name="k"><dimensions><dim name="Dim1"/></dimensions><eqn>1, 2, 3</eqn></aux>
        <aux name="c"><dimensions><dim name="Dim1"/></dimensions><eqn>integrate(k)</eqn></aux>
        <aux name="s"><eqn>smoothed(10, 2)</eqn></aux>
        """,
        dims=SUBRANGES,
        extra=INTEGRATE,
        stop=3,
    )
    df = load_model_bytes(text, units="off").run()
    # then every call integrates its own input
    assert list(df["a"]) == [0, 1, 2, 3]
    assert list(df["b"]) == [0, 0 + 2, 1 + 4, 3 + 6]
    assert list(df["c[c]"]) == [0, 3, 6, 9]
    # a macro's stateful builtins and graphical functions work as in the model
    assert df.loc[1.0, "s"] == pytest.approx(10 * 2)  # SMTH1 starts at its input
    # and the macro's variables are not outputs
    assert not any("total" in c or "level" in c for c in df.columns)


@pytest.mark.parametrize(
    ("macro", "message"),
    [
        (
            '<macro name="m"><parm>x</parm><eqn>s + y</eqn><variables>'
            '<aux name="s"><eqn>x</eqn></aux></variables></macro>',
            "uses 'y', which is neither one of its parameters nor one of its own variables",
        ),
        (
            '<macro name="m"><parm>x</parm><eqn>s</eqn><variables>'
            '<aux name="s"><eqn>m(x)</eqn></aux></variables></macro>',
            "calls itself",
        ),
    ],
)
def test_macros_with_variables_that_cannot_be_run_are_refused(macro: str, message: str):
    from tests.core.simulation.helpers import xmile
    from u4ssc.core.simulation import load_model_bytes

    text = xmile('<aux name="y"><eqn>m(1)</eqn></aux>', extra=macro)
    with pytest.raises(ModelError, match=message):
        load_model_bytes(text, units="off")


def test_mod_is_an_operator_and_a_function():
    df = model(
        '<aux name="m"><eqn>MOD(7, 3) + 7 MOD 3 + 2 * mod(TIME, 2) + TIME MOD (2)</eqn></aux>',
        stop=3,
    ).run()
    assert list(df["m"]) == [1 + 1 + 0 + 0, 2 + 2 + 1, 2, 2 + 2 + 1]


def test_delay_keeps_the_delay_time_it_had_at_the_start():
    # given a delay time that grows (Stella/XMILE: DELAY uses a fixed lag time, the
    # initial value when the duration is a variable)
    m = model(
        """
        <aux name="inp"><eqn>TIME * TIME</eqn></aux>
        <aux name="late"><eqn>DELAY(inp, 1 + TIME / 4, -1)</eqn></aux>
        """,
        stop=6,
        dt=0.25,
    )
    df = m.run()
    t = df.index.to_numpy()
    # then the output is the input one time unit earlier, all along
    expected = np.where(t >= 1, (t - 1) ** 2, -1)
    np.testing.assert_allclose(df["late"], expected, rtol=0, atol=1e-12)


def test_delay_that_is_not_a_whole_number_of_dts_delays_by_exactly_that():
    # given DELAY(TIME, 1.3) with dt 0.25 (1.3 is 5.2 DTs)
    m = model(
        """
        <aux name="late"><eqn>DELAY(TIME, 1.3)</eqn></aux>
        <aux name="per run"><eqn>DELAY(TIME, k, -5)</eqn></aux>
        <aux name="k"><eqn>1.3</eqn></aux>
        """,
        stop=4,
        dt=0.25,
    )
    df = m.run()
    t = df.index.to_numpy()
    # then the output is TIME - 1.3 (the input between steps interpolated), 0.45 at 1.75
    assert df.loc[1.75, "late"] == pytest.approx(0.45, abs=1e-12)
    np.testing.assert_allclose(df["late"], np.where(t >= 1.3, t - 1.3, 0.0), atol=1e-12)
    # and per run too
    ens = m.run({"k": np.array([0.6, 1.3, 2.1])}, outputs=["per run"])
    for run, k in enumerate([0.6, 1.3, 2.1]):
        np.testing.assert_allclose(
            ens.values("per run")[run], np.where(t >= k, t - k, -5.0), atol=1e-12
        )
