"""The default target set: public sources only, consistent with the catalogue."""

from __future__ import annotations

import pytest

from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import Entry, compute
from u4ssc.core.targets import TARGET_FIELDS, default_target_set, load_default_targets

CAT = load_catalogue()
TARGETS = load_default_targets()


def by_key():
    return {(t["kpi_key"], t["data_point"]): t for t in TARGETS}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t['kpi_key']}/{t['data_point']}")
def test_each_target_fits_its_measurand(target):
    assert tuple(target) == TARGET_FIELDS
    kpi = CAT.get(target["kpi_code"])
    assert (kpi.code, kpi.key) == (target["kpi_code"], target["kpi_key"])
    m = CAT.measurand(kpi.key, target["data_point"])
    assert m.data_point == target["data_point"]
    assert target["direction"] == m.direction.kind
    if m.direction.kind == "range":
        assert (target["range_low"], target["range_high"]) == (m.direction.low, m.direction.high)
    else:
        assert target["range_low"] is None and target["range_high"] is None
    assert compute(m, Entry(value=target["value"])).errors == ()


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t['kpi_key']}/{t['data_point']}")
def test_each_target_cites_a_public_source_that_fits_the_database(target):
    assert len(target["source"]) > 20
    assert target["url"].startswith("https://")
    assert len(f"{target['source']} {target['url']}") <= 500  # Target.source


def test_the_targets_named_in_the_brief_are_there():
    t = by_key()
    assert t[("EC: I: ES: 3C", "")]["value"] == 100  # SDG 7.1.1 electricity
    assert t[("EC: I: WS: 1C", "")]["value"] == 100  # SDG 6.1 water
    assert t[("EC: I: WS: 5C", "")]["value"] == 100  # SDG 6.2 sanitation
    assert t[("SC: SH: HO: 1C", "")]["value"] == 0  # SDG 11.1 informal settlements
    assert t[("SC: EH: ED: 2C", "")]["value"] == 100  # SDG 4.1 school enrolment
    air = {dp: t[("EN: EN: AQ: 1C", dp)]["value"] for dp in ("pm2_5", "pm10", "no2")}
    assert air == {"pm2_5": 5, "pm10": 15, "no2": 10}  # WHO 2021 annual means
    assert "WHO" in t[("EN: EN: AQ: 1C", "pm2_5")]["source"]


def test_everything_without_a_public_source_is_left_without_a_target():
    t = by_key()
    assert len(t) == len(TARGETS) == 24  # adding one is a deliberate, cited change
    for unsourced in [
        ("EC: P: EM: 1C", ""),  # unemployment
        ("EN: EN: AQ: 2C", ""),  # GHG per capita
        ("EN: EN: AQ: 1C", "so2"),  # no annual-mean guideline
        ("EN: EN: AQ: 1C", "o3"),
        ("EC: ICT: ICT: 1C", ""),
    ]:
        assert unsourced not in t


def test_targets_come_in_catalogue_order():
    positions = [CAT.get(t["kpi_key"]).position for t in TARGETS]
    assert positions == sorted(positions)


def test_loaded_targets_are_copies():
    first = load_default_targets()
    first[0]["value"] = -1
    first.clear()
    assert load_default_targets() == TARGETS


def test_the_set_describes_itself():
    s = default_target_set()
    assert s["version"] == s["catalogue_version"] == CAT.version
    assert "public source" in s["name"]
    assert s["targets"] == TARGETS
