"""The scoreboard: built from published data only, cached, rebuilt when the data changes."""

from __future__ import annotations

import numpy as np
import pytest

from u4ssc.apps.benchmarking import scoreboard
from u4ssc.apps.benchmarking.tests.conftest import (
    AIR,
    INTERNET,
    UNEMPLOYMENT,
    make_target_set,
    publish,
)
from u4ssc.apps.catalogue.models import Target
from u4ssc.apps.evaluations.models import State
from u4ssc.core.scoring import SDSNMethod, U4SSCMethod

pytestmark = pytest.mark.django_db


def test_board_holds_published_values_only(world, targets):
    # given a published year, a draft and a verified-but-unpublished one
    publish(world.city, 2020, {INTERNET: 84.51})
    publish(world.sister, 2020, {INTERNET: 50.0}, state=State.DRAFT)
    publish(world.foreign, 2021, {INTERNET: 60.0}, state=State.VERIFIED)

    board = scoreboard.get(targets)

    # then only the published value is on the board
    assert board.city_ids == [world.city.pk]
    assert board.years == [2020]
    m = board.measurand_index[(INTERNET, "")]
    assert board.values[0, m, 0] == pytest.approx(84.51)
    assert np.isnan(board.values).sum() == board.values.size - 1


def test_board_scores_with_the_engine_and_keeps_synthetic_and_quality(world, targets):
    publish(world.city, 2020, {INTERNET: 84.51, AIR: {"pm2_5": 6.0}}, synthetic=True, quality=3)
    board = scoreboard.get(targets)
    m = board.measurand_index[(INTERNET, "")]
    assert board.card is not None
    assert board.card.result.score[0, m, 0] == pytest.approx(84.51)
    assert board.card.result.band[0, m, 0] == 3
    assert board.synthetic[0, m, 0]
    assert board.quality[0, m, 0] == 3
    # overall: Internet 3 points, air pollution 3 points (PM2.5 5/6 = 83 %) -> 6/8 = 75 %
    assert board.overall[0, 0] == pytest.approx(75.0)
    assert board.overall_n[0, 0] == 2


def test_board_is_cached_until_the_data_changes(world, targets, django_assert_num_queries):
    publish(world.city, 2020, {INTERNET: 84.51})
    first = scoreboard.get(targets)

    # when nothing changed: the same board, after one version query
    with django_assert_num_queries(1):
        assert scoreboard.get(targets) is first

    # when another year is published: a new board that has it
    publish(world.city, 2021, {INTERNET: 90.0})
    second = scoreboard.get(targets)
    assert second is not first
    assert second.years == [2020, 2021]

    # when a target is edited: rebuilt with the new target
    target = Target.objects.get(target_set=targets, kpi__key=INTERNET)
    target.value = 90.0
    target.save(update_fields=["value", "updated_at"])
    third = scoreboard.get(targets)
    m = third.measurand_index[(INTERNET, "")]
    assert third is not second
    assert third.targets.target[m] == 90.0


def test_unpublishing_a_year_rebuilds_the_board(world, targets):
    evaluation = publish(world.city, 2020, {INTERNET: 84.51})
    publish(world.sister, 2020, {INTERNET: 40.0})
    assert len(scoreboard.get(targets).city_ids) == 2
    evaluation.state = State.RETURNED
    evaluation.save(update_fields=["state", "updated_at"])
    assert scoreboard.get(targets).city_ids == [world.sister.pk]


def test_the_target_sets_method_and_settings_are_used(world):
    target_set = make_target_set(
        world.programme,
        {(INTERNET, ""): ("higher", 100.0, None, None)},
        method="sdsn",
        settings={"percentile": 10.0, "trend": {"target_year": 2035}, "unknown": 1},
    )
    method = scoreboard.method_of(target_set)
    assert isinstance(method, SDSNMethod)
    assert method.percentile == 10.0
    assert method.trend.target_year == 2035

    target_set.settings = {"band_edges": [10, 5, 1]}  # invalid: falls back to defaults
    target_set.method = "u4ssc"
    assert scoreboard.method_of(target_set) == U4SSCMethod()


def test_a_range_target_and_a_lower_is_better_target_are_read(world, targets):
    publish(world.city, 2020, {UNEMPLOYMENT: 8.0, "SC: SH: SI: 1C": 0.9})
    board = scoreboard.get(targets)
    u = board.measurand_index[(UNEMPLOYMENT, "")]
    g = board.measurand_index[("SC: SH: SI: 1C", "")]
    assert board.targets.high_edge[u] == 4.0
    assert (board.targets.low_edge[g], board.targets.high_edge[g]) == (0.95, 1.05)
    assert board.card.result.score[0, u, 0] == pytest.approx(50.0)
    assert board.card.result.score[0, g, 0] == pytest.approx(100 * 0.9 / 0.95)


def test_nothing_published_gives_an_empty_board(world, targets):
    board = scoreboard.get(targets)
    assert board.card is None
    assert board.city_ids == [] and board.years == []
    assert board.kpi_has_target.sum() == 6


def test_no_target_set_scores_nothing(world):
    publish(world.city, 2020, {INTERNET: 84.51})
    board = scoreboard.get(None)
    assert board.card is not None
    assert (board.card.result.band == 0).all()
