"""A verifier accepts many values at once (``accept_values``), with review_value's rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from u4ssc.apps.evaluations import actions
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ReviewStatus, State
from u4ssc.apps.evaluations.tests.conftest import BROADBAND, INTERNET

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(world, enter):
    enter(INTERNET, value=90, quality=2)
    enter(BROADBAND, value=70, quality=3)
    enter("EC: ICT: WS: 1C", status="not_available")
    ev = Evaluation.objects.get()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=ev)
    actions.start_review(actor=world.user("verifier"), evaluation=ev)
    return ev


def test_accepts_every_reported_value_keeping_the_citys_grade(world, in_review):
    verifier = world.user("verifier")
    assert actions.accept_values(actor=verifier, evaluation=in_review) == 2
    reported = KPIValue.objects.filter(status="reported")
    assert set(reported.values_list("review_status", flat=True)) == {ReviewStatus.ACCEPTED}
    assert {(v.quality, v.verified_quality, v.reviewed_by) for v in reported} == {
        (2, 2, verifier),
        (3, 3, verifier),
    }
    assert KPIValue.objects.get(status="not_available").review_status == ReviewStatus.PENDING
    actions.verify_evaluation(actor=verifier, evaluation=in_review, attestation="checked")
    assert in_review.state == State.VERIFIED


def test_accepts_only_the_values_named_and_not_twice(world, in_review):
    verifier = world.user("verifier")
    internet = KPIValue.objects.get(kpi__code=INTERNET)
    assert actions.accept_values(actor=verifier, evaluation=in_review, value_ids=[internet.id]) == 1
    assert KPIValue.objects.get(kpi__code=BROADBAND).review_status == ReviewStatus.PENDING
    assert actions.accept_values(actor=verifier, evaluation=in_review) == 1


def test_refused_outside_review_or_to_someone_without_the_right(world, enter, in_review):
    with pytest.raises(PermissionDenied):
        actions.accept_values(actor=world.user("officer"), evaluation=in_review)
    draft = Evaluation.objects.create(city=world.city, year=2023)
    with pytest.raises(actions.WorkflowError):
        actions.accept_values(actor=world.user("verifier"), evaluation=draft)
