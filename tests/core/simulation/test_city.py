"""The shipped city model: documented, unit-consistent, calibrated from KPIs, and it
answers the retrofit-and-PV question with paired ensembles."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from tests.core.simulation.demo_alesund import ALESUND
from tests.core.simulation.suite import REPO
from u4ssc.cli import main
from u4ssc.core.simulation import Uniform, city, load_model
from u4ssc.core.simulation.sampling import sample

KPI_CSV = REPO.parent / "shared" / "reference" / "u4ssc-kpis.csv"
NORWAY = REPO.parent / "shared" / "reference" / "norway-verified-values.csv"


@pytest.fixture(scope="module")
def model():
    return city.load_city_model()  # strict units: a clash would raise here


def test_every_constant_names_a_source_or_says_it_is_an_assumption(model):
    # a KPI mapping or a policy lever still has a default value: it needs its source too
    for name in model.constants():
        doc = model.doc(name).lower()
        assert "source:" in doc or "assumption" in doc, f"{name}: {doc!r}"


def test_the_fleet_has_petrol_diesel_hybrid_and_electric_cars(model):
    # given the default start
    df = model.run(save_step=1)
    fleet = ["Petrol cars", "Diesel cars", "Hybrid cars", "Electric cars"]
    first = df.iloc[0]
    # then the four fuel types make up the fleet, in the documented starting shares
    assert first[fleet].sum() == pytest.approx(first["Cars"])
    assert first["Electric cars"] / first["Cars"] == pytest.approx(0.2)
    assert first["Hybrid cars"] / first["Cars"] == pytest.approx(0.1)
    assert first["Petrol cars"] == pytest.approx(first["Diesel cars"])
    # and the low-carbon KPI counts electric and hybrid cars
    assert first["Low carbon vehicle share"] == pytest.approx(30.0)
    # a fleet going electric burns less petrol and diesel per car-km over time
    fuel_per_km = df["car fuel energy"] / df["car vehicle km"]
    assert (fuel_per_km.diff().iloc[1:] < 0).all()
    # petrol and diesel cars burn and emit differently (IPCC factors, litres per km)
    diesel = model.run({"diesel share of fuel car sales": 1.0}, stop=2035).iloc[-1]
    petrol = model.run({"diesel share of fuel car sales": 0.0}, stop=2035).iloc[-1]
    assert diesel["Diesel cars"] > petrol["Diesel cars"]
    assert diesel["transport emissions"] != pytest.approx(petrol["transport emissions"])
    # hybrids in place of petrol cars emit less
    more_hybrids = {"hybrid share of other sales": 1.0, "diesel share of fuel car sales": 0.0}
    hybrids = model.run(more_hybrids, stop=2035).iloc[-1]
    assert hybrids["transport emissions"] < petrol["transport emissions"]


def test_levers_are_documented_with_their_range(model):
    for name, (lo, hi) in city.LEVERS.items():
        doc = model.doc(name)
        assert "POLICY LEVER" in doc, name
        m = re.search(r"range ([\d.]+)-([\d.]+)", doc)
        assert m and (float(m.group(1)), float(m.group(2))) == (lo, hi), doc
        value = float(model.var(name).eqns[0].ast.value)
        assert lo <= value <= hi


def test_kpi_codes_exist_in_the_catalogue():
    with KPI_CSV.open(encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh)}
    used = set(city.KPI_OUTPUTS.values()) | {k.code for k in city.KPI_INPUTS}
    assert used <= codes, used - codes


def test_outputs_are_plausible_over_the_horizon(model):
    df = model.run(save_step=1)
    assert list(df.index[[0, -1]]) == [2020.0, 2050.0]
    for var in city.KPI_OUTPUTS:
        assert np.isfinite(df[var]).all(), var
    shares = df[["Car share", "Public transport share", "Cycling share"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0, atol=1e-9)
    assert (df["Renewable energy share"].between(0, 100)).all()
    assert (df["Low carbon vehicle share"].diff().iloc[1:] > 0).all()  # EV sales 50 % > 20 %


def test_city_parameters_start_the_model_at_the_given_kpis(model):
    kpis = {
        "EN: EN: AQ: 2C": 6.1,
        "EN:E:E:1C": 55.0,  # spacing does not matter
        "EN: E: E: 2C": 8000.0,
        "EN: E: E: 3C": 30.0,
        "EC: I: WS: 3C": 35.42,
        "EN: EN: WS: 2C": 180.0,
        "EC: I: T: 8A": 25.0,
        "EC: I: T: 3C": 120.0,
        "EC: I: T: 4A": {"car": 70, "public transport": 20, "cycling and walking": 10},
        "EN: EN: WA: 1C": {"recycling": 38, "composting": 7, "incineration": 55},
        "SC: EH: H: 5A": 99.0,  # not used by the model: ignored
    }
    params = city.city_parameters(kpis, population=42_000, model=model)
    start = model.run(params, stop=2020).iloc[0]
    assert start["Population"] == 42_000
    assert start["GHG emissions per capita"] == pytest.approx(6.1)
    assert start["Renewable energy share"] == pytest.approx(55.0)
    assert start["Electricity consumption per capita"] == pytest.approx(8000.0)
    assert start["Residential thermal energy per capita"] == pytest.approx(30.0)
    assert start["Water supply loss"] == pytest.approx(35.42)
    assert start["Water consumption per capita"] == pytest.approx(180.0)
    assert start["Low carbon vehicle share"] == pytest.approx(25.0)
    assert start["Electric car share"] == pytest.approx(25.0 * 2 / 3)
    assert start["Car share"] == pytest.approx(0.70)
    assert start["Recycling rate"] == pytest.approx(0.45)
    assert start["Cycle network"] == pytest.approx(120 * 0.42)


def test_every_run_of_a_calibrated_ensemble_starts_at_the_city_kpis(model):
    # given a city's KPIs turned into parameters at the central values
    kpis = {"EN: EN: AQ: 2C": 6.1, "EN: E: E: 1C": 55, "EN: E: E: 3C": 30}
    params = city.city_parameters(kpis, population=42_000, model=model)
    outputs = {
        "GHG emissions per capita": 6.1,
        "Renewable energy share": 55.0,
        "Residential thermal energy per capita": 30.0,
    }
    # when an ensemble over the declared uncertainty asks the question
    results = city.ask(params, runs=2000, seed=3, outputs=list(outputs), model=model)
    for res in results.values():
        # then every run starts exactly at the KPI values
        for name, kpi in outputs.items():
            np.testing.assert_allclose(res.at(2020, name), kpi, rtol=0, atol=1e-9)
        # and the uncertainty shows in the paths after the start
        later = res.at(2035, "GHG emissions per capita")
        assert np.percentile(later, 95) - np.percentile(later, 5) > 0.1
        # the intensities keep their uncertainty (scaled per run, not fixed)
        ratio = res.params["conventional intensity"] / res.params["efficient intensity"]
        assert ratio.std() > 0.1
        assert len(set(res.params["other emissions per person"].round(9))) == 2000


ALESUND_STARTS = {
    "GHG emissions per capita": 1.4469,
    "Renewable energy share": 79.4,
    "Electricity consumption per capita": 14106.0,
    "Residential thermal energy per capita": 4.34,
    "Population": 52_626,
}


def test_every_run_of_an_ensemble_is_conditioned_on_the_citys_kpis(model):
    # given Ålesund's KPIs, reachable at the model's own values
    params = city.city_parameters(ALESUND, population=52_626, model=model)
    assert params.notes == []
    # but not by every draw of the declared uncertainty
    plain = city.city_parameters(
        ALESUND, population=52_626, model=model, given=sample(city.UNCERTAINTY, 2000, seed=1)
    )
    assert plain.unreached["EN: EN: AQ: 2C"].sum() > 200
    # when an ensemble is drawn for it
    per_run = city.ensemble_parameters(params, runs=2000, seed=1, model=model)
    res = model.run(per_run, runs=2000, outputs=list(ALESUND_STARTS), stop=2035, save_step=1)
    # then every run starts at the city's KPI values
    for name, kpi in ALESUND_STARTS.items():
        np.testing.assert_allclose(res.at(2020, name), kpi, rtol=0, atol=1e-9, err_msg=name)
    assert per_run.notes == []
    # because the inconsistent runs were drawn again, and that is reported
    redraws = per_run.redraws
    assert redraws is not None and redraws.runs == 2000
    assert redraws.redrawn == plain.unreached["EN: EN: AQ: 2C"].sum() and redraws.left == 0
    assert redraws.by_kpi == {"EN: EN: AQ: 2C": redraws.redrawn}
    assert f"{redraws.redrawn} of 2000 runs" in redraws.describe()
    # the consistent runs keep the draws of the plain design
    kept = ~plain.unreached["EN: EN: AQ: 2C"]
    for name in set(city.UNCERTAINTY) - set(params.calibrated):
        np.testing.assert_array_equal(per_run[name][kept], plain_draw(name, 2000, 1)[kept])
    ratio = per_run["conventional intensity"] / per_run["efficient intensity"]
    conventional, efficient = (plain_draw(n, 2000, 1) for n in ("conventional", "efficient"))
    np.testing.assert_allclose(ratio[kept], (conventional / efficient)[kept], rtol=1e-12)
    # and the conditioning shows: a low grid emission factor is what such low GHG needs
    ef = city.UNCERTAINTY["grid emission factor"]
    assert per_run["grid emission factor"].mean() < (ef.low + ef.high) / 2 - 0.00002
    # the future fan is still wide
    later = res.at(2035, "GHG emissions per capita")
    assert np.percentile(later, 95) - np.percentile(later, 5) > 0.1
    # and the same seed gives the same ensemble, another seed another one
    again = city.ensemble_parameters(params, runs=2000, seed=1, model=model)
    other = city.ensemble_parameters(params, runs=2000, seed=2, model=model)
    for name in per_run:
        np.testing.assert_array_equal(np.asarray(again[name]), np.asarray(per_run[name]))
    assert not np.array_equal(other["grid emission factor"], per_run["grid emission factor"])


def plain_draw(name: str, runs: int, seed: int) -> np.ndarray:
    """The parameter (``conventional``/``efficient``: that intensity) in the design
    Model.run draws from the declared uncertainty."""
    name = {"conventional": "conventional intensity", "efficient": "efficient intensity"}.get(
        name, name
    )
    return sample(city.UNCERTAINTY, runs, seed=seed)[name].to_numpy()


def test_a_conditioned_ensemble_is_the_same_on_a_process_pool(model):
    # given Ålesund's conditioned ensemble
    params = city.city_parameters(ALESUND, population=52_626, model=model)
    per_run = city.ensemble_parameters(params, runs=300, seed=5, model=model)
    assert per_run.redraws is not None and per_run.redraws.redrawn > 0
    kw = {"runs": 300, "outputs": list(ALESUND_STARTS), "stop": 2030, "seed": 5}
    # when run here and on a local process pool
    here = model.run(per_run, **kw)
    pool = model.run(per_run, executor="processes", chunk_size=70, **kw)
    # then the results are identical
    np.testing.assert_array_equal(here.data, pool.data)


def test_a_kpi_out_of_reach_at_the_models_values_is_not_conditioned_on(model):
    # given emissions below what the modelled sectors emit at the model's own values
    params = city.city_parameters({"EN: EN: AQ: 2C": 0.1, "EN: E: E: 1C": 55}, model=model)
    assert params.notes and "EN: EN: AQ: 2C" in params.notes[0]
    # when an ensemble is drawn
    per_run = city.ensemble_parameters(params, runs=500, seed=1, model=model)
    # then no run is redrawn for it (conditioning would keep only a far tail, if any)
    assert per_run.redraws is not None and per_run.redraws.redrawn == 0
    assert per_run.redraws.kpis == ("EN: E: E: 1C",)
    assert "all 500 runs reproduce EN: E: E: 1C" in per_run.redraws.describe()
    # and the notes say the start differs from the KPI in every run, and why
    text = " ".join(per_run.notes)
    assert "EN: EN: AQ: 2C" in text and "500 of 500 runs" in text
    assert "not conditioned" in text
    res = model.run(per_run, runs=500, outputs=["GHG emissions per capita"], stop=2020)
    assert (res.at(2020, "GHG emissions per capita") > 0.1 + 1e-6).all()


def test_runs_that_cannot_be_redrawn_in_the_bounded_rounds_are_said_so(model):
    # given a grid emission factor whose range puts the model's value at its low end,
    # and the GHG value of the model's values, which only the lowest draws reproduce
    start = model.run(stop=2020).iloc[0]["GHG emissions per capita"]
    params = city.city_parameters({"EN: EN: AQ: 2C": start}, model=model)
    assert params.notes == []
    dists = {"grid emission factor": Uniform(0.0004, 0.4)}
    # when an ensemble over that range is drawn
    per_run = city.ensemble_parameters(params, runs=200, seed=1, distributions=dists, model=model)
    # then the rounds are bounded, the runs left over are clipped, and both are said
    redraws = per_run.redraws
    assert redraws is not None
    assert redraws.rounds == city.REDRAW_ROUNDS and redraws.left > 0
    assert redraws.redrawn + redraws.left == redraws.by_kpi["EN: EN: AQ: 2C"]
    assert f"{redraws.left} runs" in redraws.describe()
    assert any(f"{redraws.left} of 200 runs" in n for n in per_run.notes)
    # deterministically
    again = city.ensemble_parameters(params, runs=200, seed=1, distributions=dists, model=model)
    np.testing.assert_array_equal(again["grid emission factor"], per_run["grid emission factor"])


def test_a_param_given_by_the_user_wins_over_the_calibration_in_an_ensemble(model):
    # given a calibration whose GHG residual the user then fixes (as --param does)
    kpis = {"EN: EN: AQ: 2C": 5.0, "EN: E: E: 3C": 30.0, "EC: I: WS: 3C": 20}
    cal = city.city_parameters(kpis, model=model)
    fixed = {"other emissions per person": 0.3, "initial water loss fraction": 0.5}
    params = city.CityParameters(
        {**cal, **fixed},
        kpis=cal.kpis,
        population=cal.population,
        calibrated=[c for c in cal.calibrated if c not in fixed],
    )
    # when an ensemble is drawn
    per_run = city.ensemble_parameters(params, runs=50, seed=1, model=model)
    # then the user's values are the ensemble's
    np.testing.assert_array_equal(per_run["other emissions per person"], 0.3)
    np.testing.assert_array_equal(per_run["initial water loss fraction"], 0.5)


def test_city_parameters_survive_pickling_with_what_they_say(model):
    import pickle

    params = city.city_parameters({"EN: EN: AQ: 2C": 0.1}, model=model)
    per_run = city.ensemble_parameters(
        city.city_parameters(ALESUND, population=52_626, model=model), runs=50, model=model
    )
    for p in (params, per_run):
        back = pickle.loads(pickle.dumps(p))
        assert dict(back).keys() == dict(p).keys()
        assert back.notes == p.notes and back.redraws == p.redraws
        assert back.unreached.keys() == p.unreached.keys()


def test_calibrating_against_per_run_values_is_the_single_calibration_run_by_run(model):
    # given three runs' uncertain parameters
    kpis = {"EN: EN: AQ: 2C": 5.0, "EN: E: E: 2C": 9000.0, "EN: E: E: 1C": 60.0}
    draws = {"grid emission factor": np.array([0.0003, 0.0004, 0.0006])}
    # when calibrated for all runs at once and for each run alone
    together = city.city_parameters(kpis, model=model, given=draws)
    for k, factor in enumerate(draws["grid emission factor"]):
        alone = city.city_parameters(kpis, model=model, given={"grid emission factor": factor})
        # then run k gets the same values
        for name in together.calibrated:
            assert together[name][k] == pytest.approx(alone[name], rel=1e-12)
    assert together.notes == []


def test_a_kpi_the_model_cannot_reach_is_clipped_and_said_so(model):
    # given emissions far below what the modelled sectors emit
    params = city.city_parameters({"EN: EN: AQ: 2C": 0.1}, model=model)
    # then the residual stays at zero and the note says the start differs
    assert params["other emissions per person"] == 0.0
    assert params.notes and "EN: EN: AQ: 2C" in params.notes[0]


def test_a_verified_norwegian_value_feeds_the_model(model):
    with NORWAY.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kpi_code"] == "EC: I: WS: 3C"]
    assert rows, "the Karmoy water-loss value is in the reference file"
    params = city.city_parameters({rows[0]["kpi_code"]: float(rows[0]["value"])}, model=model)
    assert model.run(params, stop=2020)["Water supply loss"].iloc[0] == pytest.approx(
        float(rows[0]["value"])
    )


def test_impossible_kpi_values_are_refused(model):
    with pytest.raises(ValueError, match="not a percentage"):
        city.city_parameters({"EN: E: E: 1C": 140}, model=model)
    with pytest.raises(ValueError, match="population"):
        city.city_parameters({}, population=-5, model=model)


def test_retrofit_and_pv_lower_ghg_and_raise_renewables_in_every_paired_run(model):
    results = city.ask(runs=2000, seed=4, model=model)
    base, policy = results["baseline"], results["retrofit x2 + PV support"]
    assert base.data.shape == (2000, 16, 2)
    ghg_b, ghg_p = (
        base.at(2035, "GHG emissions per capita"),
        policy.at(2035, "GHG emissions per capita"),
    )
    ren_b, ren_p = (
        base.at(2035, "Renewable energy share"),
        policy.at(2035, "Renewable energy share"),
    )
    assert (ghg_p < ghg_b).all() and (ren_p > ren_b).all()
    table = city.summary(results, 2035)
    assert (
        table.loc[("baseline", "GHG emissions per capita"), "p5"]
        < table.loc[("baseline", "GHG emissions per capita"), "p95"]
    )


def test_each_lever_moves_its_kpi_the_right_way(model):
    def at_2035(params):
        return model.run(params, stop=2035).iloc[-1]

    base = at_2035({})
    assert (
        at_2035({"EV share of sales": 1.0})["Low carbon vehicle share"]
        > base["Low carbon vehicle share"]
    )
    assert (
        at_2035({"public transport investment": 1.0})["Public transport share"]
        > base["Public transport share"]
    )
    assert at_2035({"cycling network programme": 20})["Cycling share"] > base["Cycling share"]
    assert at_2035({"leak repair rate": 0.3})["Water supply loss"] < base["Water supply loss"]
    assert at_2035({"recycling programme": 1.0})["Recycling rate"] > base["Recycling rate"]


def test_cli_runs_the_shipped_city_model(tmp_path, capsys):
    out = tmp_path / "city.csv"
    assert main(["simulate", "city", "--param", "retrofit rate=0.02", "--out", str(out)]) == 0
    text = out.read_text().splitlines()
    assert text[0].startswith("Time,") and "GHG emissions per capita" in text[0]
    assert len(text) == 1 + 121


def test_the_file_loads_as_plain_xmile():
    m = load_model(city.CITY_MODEL, units="strict")
    assert m.time == (2020.0, 2050.0, 0.25)


def test_cli_answers_the_retrofit_and_pv_question_with_a_fan(tmp_path, capsys):
    out = tmp_path / "fan.csv"
    rc = main(
        [
            "simulate",
            "city",
            "--runs",
            "500",
            "--seed",
            "1",
            "--compare",
            "--policy",
            "retrofit rate@2025*2",
            "--policy",
            "PV support@2025=1",
            "--output",
            "GHG emissions per capita",
            "--stop",
            "2035",
            "--save-step",
            "1",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    import pandas as pd

    fan = pd.read_csv(out, index_col=0)
    assert list(fan.index) == [float(y) for y in range(2020, 2036)]
    base = fan["baseline: GHG emissions per capita p50"]
    policy = fan["policies: GHG emissions per capita p50"]
    assert (policy.loc[2026:] < base.loc[2026:]).all()
    assert (policy.loc[:2025] == base.loc[:2025]).all()
    assert (fan["policies: GHG emissions per capita p5"] <= policy).all()
    assert "1000 runs" in capsys.readouterr().err


def test_cli_rejects_a_malformed_policy(capsys):
    assert main(["simulate", "city", "--policy", "retrofit rate=2"]) == 2
    assert "NAME@START=VALUE" in capsys.readouterr().err
