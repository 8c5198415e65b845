"""Saving KPI values: computed from components, checked, history kept, nothing lost."""

from __future__ import annotations

import pytest

from u4ssc.apps.evaluations import actions, queries
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueRevision
from u4ssc.apps.evaluations.tests.conftest import BROADBAND, INTERNET

pytestmark = pytest.mark.django_db


def test_value_is_computed_from_components_and_history_starts(world, enter):
    result = enter(INTERNET, numerator=12_000, denominator=13_000, quality=2)
    assert result.ok and result.written and result.created == 1
    value = KPIValue.objects.get(kpi__code=INTERNET)
    assert value.value == pytest.approx(12_000 / 13_000 * 100)
    assert value.version == 1
    assert value.unit == "%"
    revision = ValueRevision.objects.get(value=value)
    assert revision.changed_by == world.user("officer")
    assert revision.before == {} and revision.after["numerator"] == 12_000


def test_a_hard_error_writes_nothing(enter):
    result = enter(INTERNET, numerator=12_000, denominator=0)
    assert not result.ok and not result.written
    assert {p.code for p in result.errors} >= {"denominator_zero"}
    assert KPIValue.objects.count() == 0
    assert Evaluation.objects.count() == 0  # not even the evaluation was created


def test_out_of_range_value_is_refused_with_what_was_expected(enter):
    result = enter(INTERNET, value=150)
    assert not result.ok
    error = result.errors[0]
    assert error.field == "value" and error.expected
    assert KPIValue.objects.count() == 0


def test_a_batch_is_all_or_nothing(world):
    good = actions.ValueInput(world.city.id, 2024, INTERNET, value=90, source="SSB", ref="row 2")
    bad = actions.ValueInput(world.city.id, 2024, BROADBAND, value=-5, source="SSB", ref="row 3")
    result = actions.apply_entries(
        actor=world.user("officer"), inputs=[good, bad], channel="import"
    )
    assert not result.ok
    assert [p.ref for p in result.errors] == ["row 3"]
    assert KPIValue.objects.count() == 0


def test_the_same_input_twice_changes_nothing(enter):
    enter(INTERNET, value=90)
    again = enter(INTERNET, value=90)
    assert again.ok and again.unchanged == 1 and again.updated == 0
    assert ValueRevision.objects.count() == 1
    assert KPIValue.objects.get().version == 1


def test_second_save_on_an_old_version_is_refused_and_shows_the_other_change(world, enter):
    enter(INTERNET, value=90)
    first = enter(INTERNET, value=91, expected_version=1)
    assert first.ok
    second = enter(INTERNET, value=95, expected_version=1)  # opened before the first save
    assert not second.ok
    stale = second.errors[0]
    assert stale.code == "stale"
    assert stale.current["value"] == 91 and stale.current["version"] == 2
    assert KPIValue.objects.get().value == 91


def test_changes_are_kept_and_an_earlier_version_restored(world, enter):
    enter(INTERNET, value=90)
    enter(INTERNET, value=80, expected_version=1)
    value = KPIValue.objects.get()
    v1 = ValueRevision.objects.get(value=value, version=1)
    result = actions.restore_revision(actor=world.user("officer"), revision=v1, reason="typo")
    assert result.ok
    value.refresh_from_db()
    assert value.value == 90 and value.version == 3
    latest = ValueRevision.objects.get(value=value, version=3)
    assert latest.channel == "restore" and latest.reason == "typo"
    assert latest.before["value"] == 80 and latest.after["value"] == 90


@pytest.mark.parametrize("username", ["verifier", "viewer", "hub", "national", "admin"])
def test_only_the_city_officer_changes_values(world, enter, username):
    result = enter(INTERNET, value=90, user=world.user(username))
    assert not result.ok
    assert result.errors[0].code == "forbidden"
    assert KPIValue.objects.count() == 0


def test_an_officer_cannot_change_another_city(world, enter):
    result = enter(INTERNET, value=90, city=world.sister)
    assert not result.ok and result.errors[0].code == "forbidden"


def test_submitted_data_is_locked(world, enter, evaluation):
    enter(INTERNET, value=90)
    evaluation.refresh_from_db()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=evaluation)
    result = enter(INTERNET, value=91)
    assert not result.ok and result.errors[0].code == "locked"
    assert KPIValue.objects.get().value == 90


def test_unknown_kpi_and_duplicate_rows_are_reported(world):
    inputs = [
        actions.ValueInput(world.city.id, 2024, "XX: 1", value=1, ref="row 2"),
        actions.ValueInput(world.city.id, 2024, INTERNET, value=90, ref="row 3"),
        actions.ValueInput(world.city.id, 2024, "ec: ict: ict:1c", value=91, ref="row 4"),
    ]
    result = actions.apply_entries(actor=world.user("officer"), inputs=inputs, channel="import")
    codes = {(p.ref, p.code) for p in result.errors}
    assert ("row 2", "unknown_kpi") in codes
    assert ("row 4", "duplicate") in codes


def test_cross_rule_broadband_not_above_internet_access(enter):
    enter(INTERNET, value=80)
    result = enter(BROADBAND, value=95)
    flagged = [p for p in result.problems if p.code.startswith("cross:")]
    assert flagged, result.problems
    assert flagged[0].kpi_code in {INTERNET, BROADBAND}


def test_warning_can_be_acknowledged_with_a_reason(world, enter):
    enter(INTERNET, value=90, source="")  # no source: a warning
    value = KPIValue.objects.get()
    codes = {i["code"] for i in value.issues}
    assert "source_missing" in codes
    with pytest.raises(actions.WorkflowError):
        actions.acknowledge_warning(
            actor=world.user("officer"), value=value, check_code="source_missing", reason=" "
        )
    actions.acknowledge_warning(
        actor=world.user("officer"), value=value, check_code="source_missing", reason="internal"
    )
    assert value.acknowledgements.get().reason == "internal"


def _jumped(world, enter):
    """Ålesund's Internet access: 40 % in 2023, 90 % in 2024 (a year-on-year warning),
    acknowledged by the city. Returns the 2024 value."""
    assert enter(INTERNET, year=2023, value=40).ok
    assert enter(INTERNET, year=2024, value=90).ok
    value = KPIValue.objects.get(evaluation__year=2024)
    actions.acknowledge_warning(
        actor=world.user("officer"), value=value, check_code="yoy_jump", reason="Fibre rollout"
    )
    return value


def test_an_acknowledgement_holds_only_for_the_figure_it_was_given_for(world, enter):
    # given an acknowledged warning
    value = _jumped(world, enter)
    # when the figure changes and the warning fires again
    assert enter(INTERNET, year=2024, value=95, expected_version=1).ok
    # then the warning is open again, and the old acknowledgement is kept as history
    row = queries.sheet_row(value.evaluation, value.kpi, "")
    assert [w["code"] for w in row.open_warnings] == ["yoy_jump"]
    assert row.acknowledged == {}
    [old] = queries.acknowledgements(value)
    assert old.reason == "Fibre rollout" and old.value_version == 1 and old.superseded_at
    # when the city acknowledges it again
    actions.acknowledge_warning(
        actor=world.user("officer"),
        value=KPIValue.objects.get(pk=value.pk),
        check_code="yoy_jump",
        reason="Fibre rollout, confirmed by the operator",
    )
    # then the new one holds, for the new version
    row = queries.sheet_row(value.evaluation, value.kpi, "")
    assert row.open_warnings == [] and row.acknowledged["yoy_jump"].value_version == 2
    assert len(queries.acknowledgements(value)) == 2


def test_an_acknowledgement_of_a_warning_that_stopped_firing_stays_as_history(world, enter):
    # given an acknowledged warning, whose value is corrected so that it no longer fires
    value = _jumped(world, enter)
    assert enter(INTERNET, year=2024, value=42, expected_version=1).ok
    [old] = queries.acknowledgements(value)
    assert old.superseded_at is not None
    # when the figure goes back to the one acknowledged
    assert enter(INTERNET, year=2024, value=90, expected_version=2).ok
    # then the warning is open: the old acknowledgement was for another version
    row = queries.sheet_row(value.evaluation, value.kpi, "")
    assert [w["code"] for w in row.open_warnings] == ["yoy_jump"]
    assert len(queries.acknowledgements(value)) == 1


def test_an_acknowledgement_outlives_a_change_of_source_or_notes(world, enter):
    value = _jumped(world, enter)
    assert enter(INTERNET, year=2024, value=90, source="SSB 11000", expected_version=1).ok
    row = queries.sheet_row(value.evaluation, value.kpi, "")
    assert row.open_warnings == [] and "yoy_jump" in row.acknowledged


def test_not_available_needs_no_number(enter):
    result = enter(INTERNET, status="not_available")
    assert result.ok
    assert KPIValue.objects.get().value is None


def test_evaluation_state_after_new_values_is_draft(enter):
    enter(INTERNET, value=90)
    assert Evaluation.objects.get().state == State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_big_write_refreshes_the_planner_statistics(world, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("observable on PostgreSQL (pg_stat_user_tables)")
    monkeypatch.setattr(actions, "BIG_WRITE", 2)
    inputs = [
        actions.ValueInput(world.city.id, 2024, code, value=50, source="SSB", ref=code)
        for code in (INTERNET, BROADBAND, "EC: I: ES: 3C")
    ]
    assert actions.apply_entries(
        actor=world.user("officer"), inputs=inputs, channel="import"
    ).written
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            [KPIValue._meta.db_table],
        )
        assert cursor.fetchone()[0] is not None


def test_an_unchanged_value_needs_no_right_to_change_it_but_the_right_to_see_it(world, enter):
    # given a draft value of Ålesund
    enter(INTERNET, value=90)
    # when the programme administrator (who sees every city's data but changes none) and
    # someone without any role send the same value
    seen = enter(INTERNET, value=90, user=world.user("admin"))
    unseen = enter(INTERNET, value=90, user=world.user("nobody"))
    # then the first is unchanged; the second is refused, which tells nothing of the value
    assert seen.ok and seen.unchanged == 1
    assert [p.code for p in unseen.errors] == ["forbidden"]
    assert unseen.errors[0].ref == "test" and unseen.errors[0].kpi_code == INTERNET
    assert "Ålesund 2024" in unseen.errors[0].message
    # and a different value is refused for the administrator too, at its field
    changed = enter(INTERNET, value=91, user=world.user("admin"))
    assert [(p.code, p.field, p.given) for p in changed.errors] == [("forbidden", "value", "91")]
    assert KPIValue.objects.get().version == 1


def test_a_locked_year_refuses_new_and_changed_values_one_by_one(world, enter, evaluation):
    # given submitted data
    enter(INTERNET, value=90)
    evaluation.refresh_from_db()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=evaluation)
    # when the officer sends the same value, a new source, and a value not stored yet
    same = enter(INTERNET, value=90)
    other_source = enter(INTERNET, value=90, source="SSB table 2")
    new = enter(BROADBAND, value=50)
    # then only the changes are refused, each saying what differs
    assert same.ok and same.unchanged == 1
    [error] = other_source.errors
    assert (error.code, error.field, error.given) == ("locked", "source", "SSB table 2")
    assert "differs in: source." in error.message and "submitted" in error.message
    assert [p.code for p in new.errors] == ["locked"]
    assert "no value can be added now" in new.errors[0].message


def test_correcting_one_kpi_of_a_cross_rule_clears_the_warning_stored_on_the_other(world, enter):
    # given fixed broadband (60 %) above household Internet access (50 %): a cross-KPI
    # warning on broadband, which the city acknowledged
    assert enter(INTERNET, value=50).ok
    assert enter(BROADBAND, value=60).ok
    broadband = KPIValue.objects.get(kpi__code=BROADBAND)
    assert [i["code"] for i in broadband.issues] == ["cross:broadband_le_internet"]
    actions.acknowledge_warning(
        actor=world.user("officer"),
        value=broadband,
        check_code="cross:broadband_le_internet",
        reason="Counts business lines",
    )
    # when the city corrects Internet access to 70 %
    assert enter(INTERNET, value=70, expected_version=1).ok
    # then broadband's stored warning is gone (its figure and version unchanged), and the
    # acknowledgement no longer holds
    broadband.refresh_from_db()
    assert broadband.issues == [] and broadband.version == 1
    assert not broadband.acknowledgements.filter(superseded_at__isnull=True).exists()
    # and when Internet access drops below broadband again, the warning is back on the
    # value that changed
    assert enter(INTERNET, value=40, expected_version=2).ok
    internet = KPIValue.objects.get(kpi__code=INTERNET)
    assert [i["code"] for i in internet.issues] == ["cross:broadband_le_internet"]
