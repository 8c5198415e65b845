"""``u4ssc simulate --city SLUG``: the city model started from a city's published values
in the platform's database (real database, real workflow up to publication)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from u4ssc.apps.evaluations.actions import ValueInput
from u4ssc.apps.organisations.models import OrgKind
from u4ssc.apps.transfer.tests.conftest import publish
from u4ssc.cli import main
from u4ssc.conftest import make_org

pytestmark = pytest.mark.django_db

OUTPUTS = [
    "GHG emissions per capita",
    "Renewable energy share",
    "Water supply loss",
    "Public transport share",
    "Population",
]


@pytest.fixture
def alesund():
    city = make_org(OrgKind.CITY, "Ålesund", country_code="NO", population=67_000)
    publish(
        None,
        city,
        2023,
        [ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.9, source="SSB 2023")],
    )
    publish(
        None,
        city,
        2024,
        [
            ValueInput(0, 0, "EN: EN: AQ: 2C", value=3.4, source="SSB"),
            ValueInput(0, 0, "EN: E: E: 1C", value=55.0, source="demo", is_synthetic=True),
            ValueInput(0, 0, "EC: I: WS: 3C", value=35.42, source="Norsk Vann"),
            ValueInput(0, 0, "EC: I: T: 4A", "private_vehicles", value=60.0, source="RVU"),
            ValueInput(0, 0, "EC: I: T: 4A", "public_transport", value=25.0, source="RVU"),
            ValueInput(0, 0, "EC: I: T: 4A", "walking", value=10.0, source="RVU"),
            ValueInput(0, 0, "EC: I: T: 4A", "cycling", value=5.0, source="RVU"),
            ValueInput(0, 0, "SC: EH: H: 5A", value=99.0, source="not a model input"),
        ],
    )
    return city


def _simulate(tmp_path: Path, *extra: str) -> tuple[int, pd.DataFrame | None]:
    out = tmp_path / "city.csv"
    argv = ["simulate", "--city", "alesund", "--save-step", "1", "--out", str(out)]
    for name in OUTPUTS:
        argv += ["--output", name]
    rc = main([*argv, *extra])
    return rc, (pd.read_csv(out, index_col=0) if rc == 0 else None)


def test_the_city_model_starts_at_the_latest_published_values(alesund, tmp_path, capsys):
    # given Ålesund with published values for 2023 and 2024
    # when the city model is run for it
    rc, df = _simulate(tmp_path)
    err = capsys.readouterr().err
    # then it starts in 2024 at the 2024 values and population
    assert rc == 0, err
    assert df is not None
    first = df.iloc[0]
    assert df.index[0] == 2024.0
    assert first["GHG emissions per capita"] == pytest.approx(3.4, abs=1e-9)
    assert first["Renewable energy share"] == pytest.approx(55.0, abs=1e-9)
    assert first["Water supply loss"] == pytest.approx(35.42, abs=1e-9)
    assert first["Public transport share"] == pytest.approx(0.25, abs=1e-12)
    assert first["Population"] == 67_000
    # and it says which values it used (code, value, year, source, synthetic mark)
    assert "Ålesund (alesund)" in err and "published values of 2024" in err
    assert "EN: EN: AQ: 2C: 3.4 tCO2e/capita, 2024, source: SSB" in err
    assert "EN: E: E: 1C: 55 %, 2024, source: demo [synthetic]" in err
    assert "EC: I: T: 4A public_transport: 25 %" in err
    assert "SC: EH: H: 5A" not in err and "1 other published value is not an input" in err
    assert "population: 67000" in err
    # and which defaults it assumed for the KPIs that are not published
    assumed = err.split("model defaults assumed", 1)[1]
    electricity = "EN: E: E: 2C Electricity Consumption: appliance electricity per person"
    assert f"{electricity} = 3000 kWh/(person*year)" in assumed
    assert "EN: EN: AQ: 2C" not in assumed


def test_a_chosen_year_uses_that_years_values(alesund, tmp_path, capsys):
    rc, df = _simulate(tmp_path, "--year", "2023")
    assert rc == 0, capsys.readouterr().err
    assert df is not None and df.index[0] == 2023.0
    assert df.iloc[0]["GHG emissions per capita"] == pytest.approx(3.9, abs=1e-9)


def test_every_run_of_a_city_ensemble_starts_at_its_values(alesund, tmp_path, capsys):
    # when an ensemble over the declared uncertainty is run for the city
    rc, df = _simulate(tmp_path, "--runs", "200", "--seed", "2")
    assert rc == 0, capsys.readouterr().err
    assert df is not None
    # then the lowest and highest percentile start at the published value, and fan out
    ghg_low, ghg_high = df["GHG emissions per capita p5"], df["GHG emissions per capita p95"]
    assert ghg_low.iloc[0] == pytest.approx(3.4, abs=1e-9)
    assert ghg_high.iloc[0] == pytest.approx(3.4, abs=1e-9)
    assert ghg_high.loc[2040.0] - ghg_low.loc[2040.0] > 0.05


def test_unknown_cities_and_years_are_refused_with_a_clear_message(alesund, tmp_path, capsys):
    assert main(["simulate", "--city", "atlantis"]) == 2
    assert "there is no city 'atlantis'" in capsys.readouterr().err
    assert main(["simulate", "--city", "alesund", "--year", "2019"]) == 2
    assert "no published values for 2019 (published: 2023, 2024)" in capsys.readouterr().err
    assert main(["simulate", "model.xmile", "--city", "alesund"]) == 2
    assert "shipped city model" in capsys.readouterr().err
    assert main(["simulate", "city", "--year", "2024"]) == 2
    assert "--city" in capsys.readouterr().err


def test_a_city_without_published_values_is_refused(tmp_path, capsys):
    make_org(OrgKind.CITY, "Molde", country_code="NO")
    assert main(["simulate", "--city", "molde"]) == 2
    assert "Molde has no published KPI values" in capsys.readouterr().err


def test_the_platforms_dask_scheduler_setting_is_used(alesund, settings, capsys, monkeypatch):
    # given the platform configured with a scheduler (and no environment variable)
    monkeypatch.delenv("U4SSC_DASK_SCHEDULER", raising=False)
    settings.DASK_SCHEDULER = "tcp://127.0.0.1:1"
    # when a city ensemble runs without --scheduler
    rc = main(["simulate", "--city", "alesund", "--runs", "20", "--scheduler-timeout", "0.5"])
    # then it goes to that scheduler (unreachable here: a clear refusal, status 2)
    assert rc == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in capsys.readouterr().err


@pytest.fixture
def demo_alesund():
    """Ålesund with the demo's published values of 2024: GHG per capita so low that the
    modelled sectors alone emit more in about four of ten draws of the uncertainty."""
    city = make_org(OrgKind.CITY, "Ålesund", country_code="NO", population=52_626)
    values = {
        ("EN: EN: AQ: 2C", ""): 1.4469,
        ("EN: E: E: 1C", ""): 79.4,
        ("EN: E: E: 2C", ""): 14106.0,
        ("EN: E: E: 3C", ""): 4.34,
        ("EC: I: WS: 3C", ""): 20.0863,
        ("EN: EN: WS: 2C", ""): 176.287,
        ("EC: I: T: 8A", ""): 28.2679,
        ("EC: I: T: 3C", ""): 67.7307,
        ("EC: I: T: 4A", "private_vehicles"): 25.2163,
        ("EC: I: T: 4A", "public_transport"): 51.5258,
        ("EC: I: T: 4A", "walking"): 13.3369,
        ("EC: I: T: 4A", "cycling"): 9.92091,
        ("EN: EN: WA: 1C", "recycled"): 41.6102,
        ("EN: EN: WA: 1C", "incinerated"): 42.2268,
        ("EN: EN: WA: 1C", "landfill"): 8.56051,
    }
    publish(
        None,
        city,
        2024,
        [
            ValueInput(0, 0, code, point, value=v, source="demo", is_synthetic=True)
            for (code, point), v in values.items()
        ],
    )
    return city


def test_every_run_of_a_demo_city_ensemble_starts_at_its_values(demo_alesund, tmp_path, capsys):
    # when the user's question is asked of the demo's Ålesund
    out = tmp_path / "q.csv"
    argv = ["simulate", "--city", "alesund", "--runs", "2000", "--seed", "1", "--stop", "2035"]
    for name in ("GHG emissions per capita", "Renewable energy share"):
        argv += ["--output", name]
    rc = main([*argv, "--save-step", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 0, err
    fan = pd.read_csv(out, index_col=0)
    # then the whole fan starts at the published values
    first = fan.loc[2024.0]
    for q in ("p5", "p50", "p95"):
        assert first[f"GHG emissions per capita {q}"] == pytest.approx(1.4469, abs=1e-9)
        assert first[f"Renewable energy share {q}"] == pytest.approx(79.4, abs=1e-9)
    # and still fans out
    later = fan.loc[2035.0]
    assert later["GHG emissions per capita p95"] - later["GHG emissions per capita p5"] > 0.1
    # and the user is told how many runs were redrawn, and why
    note = next(line for line in err.splitlines() if "runs redrawn" in line)
    assert note.startswith("u4ssc simulate: note: ")
    assert "of 2000 runs redrawn" in note and "EN: EN: AQ: 2C" in note
    assert "warning" not in err


def test_a_value_out_of_the_models_reach_is_a_warning(alesund, tmp_path, capsys):
    # given Ålesund's 2024 GHG corrected to below what the modelled sectors emit
    publish(None, alesund, 2025, [ValueInput(0, 0, "EN: EN: AQ: 2C", value=0.1, source="SSB")])
    # when one run starts from it
    rc, df = _simulate(tmp_path)
    err = capsys.readouterr().err
    # then the run starts where the model can, and the user is told so
    assert rc == 0, err
    assert df is not None and df.iloc[0]["GHG emissions per capita"] > 0.2
    warning = next(line for line in err.splitlines() if "EN: EN: AQ: 2C: 0.1 t per capita" in line)
    assert warning.startswith("u4ssc simulate: warning: ")
    assert "less than the modelled sectors emit" in warning and "not at the KPI" in warning
    # and an ensemble says it in how many runs, and that it was not conditioned on it
    rc, df = _simulate(tmp_path, "--runs", "50")
    err = capsys.readouterr().err
    assert rc == 0, err
    warning = next(line for line in err.splitlines() if "EN: EN: AQ: 2C: 0.1 t per capita" in line)
    assert "in 50 of 50 runs" in warning and "not conditioned" in warning
    assert "runs redrawn" not in err and "no run redrawn" in err
