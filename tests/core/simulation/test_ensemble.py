"""Ensembles: many runs at once give what the runs give one by one; seeds reproduce."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.simulation.helpers import model
from tests.core.simulation.suite import SUITE
from u4ssc.core.simulation import (
    EnsembleResult,
    ModelError,
    Normal,
    Policy,
    Scenario,
    Triangular,
    Uniform,
    load_model,
    sample,
)
from u4ssc.core.simulation.sensitivity import sobol_indices

SIR = SUITE / "samples" / "SIR" / "SIR.xmile"


@pytest.fixture(scope="module")
def sir():
    return load_model(SIR, units="off")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.floats(0.05, 0.9), st.floats(1.0, 20.0)), min_size=2, max_size=6))
def test_an_ensemble_equals_its_runs_done_one_by_one(values):
    # given a few parameter pairs (hypothesis picks them)
    m = load_model(SIR, units="off")
    ci = np.array([v[0] for v in values])
    du = np.array([v[1] for v in values])
    # when run all at once
    ens = m.run({"contact_infectivity": ci, "duration": du}, stop=20)
    assert isinstance(ens, EnsembleResult)
    # then each run equals the single run with the same parameters, bit for bit
    for k in range(len(values)):
        single = m.run({"contact_infectivity": ci[k], "duration": du[k]}, stop=20)
        np.testing.assert_array_equal(ens.run(k).to_numpy(), single.to_numpy())


def test_only_requested_outputs_at_the_save_interval_are_kept(sir):
    ens = sir.run(
        runs=50,
        distributions={"duration": Uniform(3, 7)},
        outputs=["infectious", "recovered"],
        save_step=1.0,
    )
    assert ens.data.shape == (50, 101, 2)
    assert ens.columns == ["infectious", "recovered"]


def test_same_seed_same_result_and_different_seed_different_result(sir):
    kw = {
        "runs": 64,
        "distributions": {
            "duration": Uniform(3, 7),
            "contact infectivity": Triangular(0.2, 0.3, 0.5),
        },
        "outputs": ["infectious"],
        "save_step": 1.0,
    }
    a = sir.run(seed=11, **kw)
    b = sir.run(seed=11, **kw)
    c = sir.run(seed=12, **kw)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(a.data, c.data)
    assert a.seed == 11 and a.model_hash == sir.hash and len(a.params) == 64


def test_latin_hypercube_fills_every_stratum():
    table = sample({"a": Uniform(0, 1), "b": Normal(0, 1)}, 100, method="lhs", seed=1)
    counts = np.histogram(table["a"], bins=100, range=(0, 1))[0]
    assert (counts == 1).all()
    mc = sample({"a": Uniform(0, 1)}, 100, method="mc", seed=1)
    assert (np.histogram(mc["a"], bins=100, range=(0, 1))[0] != 1).any()


def test_percentiles_and_mean(sir):
    ens = sir.run(
        runs=200,
        distributions={"contact infectivity": Uniform(0.2, 0.4)},
        outputs=["infectious"],
        seed=3,
        save_step=5.0,
    )
    p = ens.percentiles("infectious", q=(5, 50, 95))
    assert list(p.columns) == ["p5", "p50", "p95"] and len(p) == 21
    assert (p["p5"] <= p["p50"]).all() and (p["p50"] <= p["p95"]).all()
    assert (p["p5"] < p["p95"]).iloc[-1]
    np.testing.assert_allclose(
        ens.mean("infectious")["infectious"], ens.values("infectious").mean(axis=0)
    )
    fan = ens.fan(["infectious"])
    assert ("infectious", "p50") in fan.columns


def test_parameter_table_as_dataframe(sir):
    table = pd.DataFrame({"duration": [2.0, 5.0, 8.0]})
    ens = sir.run(table, outputs=["recovered"], stop=30)
    final = ens.values("recovered")[:, -1]
    # shorter illness -> faster recovery at first, smaller epidemic: all distinct
    assert len(set(final.round(6))) == 3
    assert ens.params["duration"].tolist() == [2.0, 5.0, 8.0]


def test_random_functions_are_reproducible_and_independent_of_chunking():
    m = model(
        """
        <stock name="s"><eqn>0</eqn><inflow>f</inflow></stock>
        <flow name="f"><eqn>NORMAL(1, 0.5) + RANDOM(0, 1) + EXPRND(2) + POISSON(3)</eqn></flow>
        """,
        stop=10,
    )
    whole = m.run(runs=30, seed=5)
    chunked = m.run(runs=30, seed=5, chunk_size=7)
    assert isinstance(whole, EnsembleResult) and isinstance(chunked, EnsembleResult)
    np.testing.assert_array_equal(whole.data, chunked.data)
    # runs differ from each other, and a new seed changes them
    assert len(np.unique(whole.values("s")[:, -1])) == 30
    other = m.run(runs=30, seed=6)
    assert not np.array_equal(whole.data, other.data)  # type: ignore[union-attr]
    # the mean of NORMAL(1, .5) + U(0,1) + EXP(mean 2) + POISSON(3) is 6.5 per step
    assert whole.values("f").mean() == pytest.approx(6.5, rel=0.1)


def test_process_pool_gives_the_same_result(sir):
    kw = {
        "runs": 40,
        "distributions": {"duration": Uniform(3, 7)},
        "outputs": ["infectious"],
        "seed": 2,
        "save_step": 1.0,
    }
    a = sir.run(**kw)
    b = sir.run(executor="processes", chunk_size=15, **kw)
    np.testing.assert_array_equal(a.data, b.data)


def test_lookup_tables_can_be_overridden_per_run():
    m = model(
        '<aux name="y"><eqn>TIME</eqn><gf><xpts>0,10</xpts><ypts>0,10</ypts></gf></aux>', stop=10
    )
    ens = m.run({"y": np.array([[0.0, 10.0], [0.0, 20.0], [5.0, 5.0]])})
    assert isinstance(ens, EnsembleResult)
    assert ens.values("y")[:, 5].tolist() == [5.0, 10.0, 5.0]
    single = m.run({"y": ([0.0, 5.0, 10.0], [0.0, 0.0, 10.0])})
    assert single.loc[5.0, "y"] == 0.0 and single.loc[10.0, "y"] == 10.0


def test_stock_initial_value_and_arrayed_constants_can_be_overridden():
    m = model(
        '<stock name="s"><eqn>1</eqn><inflow>f</inflow></stock><flow name="f"><eqn>SUM(r[*])'
        '</eqn></flow><aux name="r"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>',
        dims='<dim name="D"><elem name="a"/><elem name="b"/></dim>',
        stop=2,
    )
    df = m.run({"s": 10, "r": [1.0, 4.0]})
    assert list(df["s"]) == [10, 15, 20]
    ens = m.run({"r": np.array([[1.0, 1.0], [2.0, 2.0]])})
    assert ens.values("s")[:, -1].tolist() == [5.0, 9.0]  # type: ignore[union-attr]


def test_policies_step_and_ramp_from_their_start_time():
    m = model(
        '<aux name="rate"><eqn>2</eqn></aux><aux name="out"><eqn>rate * 1</eqn></aux>', stop=6
    )
    step = m.run(policies=[Policy("rate", start=3, value=5)])
    assert list(step["out"]) == [2, 2, 2, 5, 5, 5, 5]
    ramp = m.run(policies=[Policy("rate", start=2, multiply=3, ramp=2)])
    assert list(ramp["out"]) == [2, 2, 2, 4, 6, 6, 6]
    with pytest.raises(ModelError, match="only change a constant"):
        m.run(policies=[Policy("out", start=1, value=1)])


def test_scenarios_run_with_the_same_design_and_carry_what_reproduces_them(sir):
    scenarios = [
        Scenario("base"),
        Scenario("distancing", policies=[Policy("contact infectivity", start=10, multiply=0.5)]),
    ]
    res = sir.compare(
        scenarios,
        runs=100,
        distributions={"duration": Uniform(4, 6)},
        outputs=["infectious"],
        seed=9,
        save_step=1.0,
    )
    base, dist = res["base"], res["distancing"]
    assert base.scenario == "base" and dist.scenario == "distancing"
    pd.testing.assert_frame_equal(base.params, dist.params)
    assert base.model_hash == dist.model_hash == sir.hash
    peak_base = base.values("infectious").max(axis=1)
    peak_dist = dist.values("infectious").max(axis=1)
    assert (peak_dist < peak_base).all()
    assert dist.settings["policies"][0]["multiply"] == 0.5


def test_sobol_ranks_the_parameter_that_matters(sir):
    si = sobol_indices(
        sir,
        {"contact infectivity": Uniform(0.2, 0.4), "total population": Uniform(999, 1001)},
        output="recovered",
        n=128,
        seed=1,
        save_step=5.0,
    )
    assert si.loc["contact infectivity", "ST"] > 0.8
    assert si.loc["total population", "ST"] < 0.05


def test_single_runs_with_random_functions_or_one_element_arrays():
    m = model(
        '<stock name="s"><eqn>0</eqn><inflow>f</inflow></stock>'
        '<flow name="f"><eqn>NORMAL(1, 0.5) + k</eqn></flow><aux name="k"><eqn>1</eqn></aux>',
        stop=3,
    )
    once = m.run(seed=4)
    assert isinstance(once, pd.DataFrame) and once["f"].nunique() == 4
    pd.testing.assert_frame_equal(once, m.run(seed=4))
    one = m.run({"k": np.array([2.0])}, seed=4)
    np.testing.assert_allclose(one["f"] - once["f"], 1.0)
    ens = m.run(runs=1, seed=4)
    assert isinstance(ens, EnsembleResult)
    np.testing.assert_array_equal(ens.run(0).to_numpy(), once.to_numpy())


ARRAYED = """
<aux name="pop"><dimensions><dim name="Region"/></dimensions><eqn>100, 300</eqn></aux>
<aux name="total"><eqn>SUM(pop[*])</eqn></aux>
<stock name="s"><dimensions><dim name="Region"/></dimensions><eqn>pop</eqn>
    <inflow>f</inflow></stock>
<flow name="f"><dimensions><dim name="Region"/></dimensions><eqn>rate</eqn></flow>
<aux name="rate"><dimensions><dim name="Region"/></dimensions><eqn>2, 3</eqn></aux>
"""
REGION = '<dim name="Region"><elem name="north"/><elem name="south"/></dim>'


def test_single_elements_of_arrays_are_parameters():
    m = model(ARRAYED, dims=REGION, stop=3)
    # given one element overridden, the others keep the model's values
    df = m.run({"pop[south]": 5})
    assert df.loc[0.0, "pop[north]"] == 100 and df.loc[0.0, "total"] == 105
    # a stock's element sets that element's initial value
    df = m.run({"s[north]": 7, "rate[North]": 0})
    assert list(df["s[north]"]) == [7, 7, 7, 7] and df.loc[3.0, "s[south]"] == 300 + 9
    # one value per run of one element makes an ensemble
    ens = m.run({"pop[north]": np.array([1.0, 2.0, 3.0])})
    assert ens.values("total")[:, 0].tolist() == [301, 302, 303]
    assert ens.params["pop[north]"].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(KeyError, match="not an element of dimension 'Region'"):
        m.run({"pop[east]": 1})


def test_distributions_on_one_element_and_on_a_whole_arrayed_constant():
    m = model(ARRAYED, dims=REGION, stop=1)
    one = m.run(runs=200, seed=1, distributions={"pop[south]": Uniform(0, 10)})
    assert (one.values("pop[north]") == 100).all()
    south = one.values("pop[south]")[:, 0]
    assert south.min() >= 0 and south.max() <= 10 and south.std() > 2
    # a distribution on the arrayed constant draws each element on its own
    both = m.run(runs=200, seed=1, distributions={"pop": Uniform(0, 10)})
    assert list(both.params.columns) == ["pop[north]", "pop[south]"]
    north, south = both.values("pop[north]")[:, 0], both.values("pop[south]")[:, 0]
    assert north.std() > 2 and south.std() > 2
    assert abs(np.corrcoef(north, south)[0, 1]) < 0.3
    np.testing.assert_allclose(both.values("total")[:, 0], north + south)


def test_policies_on_arrayed_constants_and_on_single_elements():
    m = model(ARRAYED, dims=REGION, stop=3)
    whole = m.run(policies=[Policy("rate", start=2, multiply=2)])
    assert list(whole["f[north]"]) == [2, 2, 4, 4] and list(whole["f[south]"]) == [3, 3, 6, 6]
    one = m.run(policies=[Policy("rate[south]", start=1, value=10, ramp=2)])
    assert list(one["f[north]"]) == [2, 2, 2, 2] and list(one["f[south]"]) == [3, 3, 6.5, 10]
    # a per-run override of one element is the base the policy multiplies
    ens = m.run({"rate[north]": np.array([1.0, 5.0])}, policies=[Policy("rate", 1, multiply=3)])
    assert ens.values("f[north]")[:, 1].tolist() == [3.0, 15.0]
    assert ens.values("f[south]")[:, 1].tolist() == [9.0, 9.0]
    chunked = m.run(
        {"rate[north]": np.array([1.0, 5.0])},
        policies=[Policy("rate", 1, multiply=3)],
        chunk_size=1,
    )
    np.testing.assert_array_equal(chunked.data, ens.data)
    with pytest.raises(ModelError, match="only change a constant"):
        m.run(policies=[Policy("s", start=1, value=1)])
