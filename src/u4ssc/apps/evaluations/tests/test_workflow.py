"""The verification workflow from draft to published, as the people involved do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from u4ssc.apps.evaluations import actions
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ReviewStatus, State
from u4ssc.apps.evaluations.tests.conftest import BROADBAND, INTERNET

pytestmark = pytest.mark.django_db


def _value(code):
    return KPIValue.objects.get(kpi__code=code)


def test_draft_to_published_with_one_value_returned(world, enter, client):
    officer, verifier = world.user("officer"), world.user("verifier")
    enter(INTERNET, value=90)
    enter(BROADBAND, value=70)
    ev = Evaluation.objects.get()
    actions.submit_evaluation(actor=officer, evaluation=ev)
    assert ev.state == State.SUBMITTED

    actions.start_review(actor=verifier, evaluation=ev)
    actions.review_value(actor=verifier, value=_value(INTERNET), accept=True, quality=2)
    with pytest.raises(actions.WorkflowError):  # a return needs a comment
        actions.review_value(actor=verifier, value=_value(BROADBAND), accept=False)
    actions.review_value(
        actor=verifier, value=_value(BROADBAND), accept=False, comment="Use 2024 subscriptions"
    )
    with pytest.raises(actions.WorkflowError):  # not everything accepted
        actions.verify_evaluation(actor=verifier, evaluation=ev, attestation="checked")
    actions.return_evaluation(actor=verifier, evaluation=ev, comment="see KPI comments")
    assert Evaluation.objects.get().state == State.RETURNED

    # the officer sees the comment and fixes the value; it goes back to "not yet reviewed"
    result = enter(BROADBAND, value=72, expected_version=1)
    assert result.ok
    assert _value(BROADBAND).review_status == ReviewStatus.PENDING
    assert _value(INTERNET).review_status == ReviewStatus.ACCEPTED
    actions.submit_evaluation(actor=officer, evaluation=ev)
    actions.start_review(actor=verifier, evaluation=ev)
    actions.review_value(actor=verifier, value=_value(BROADBAND), accept=True)
    actions.verify_evaluation(actor=verifier, evaluation=ev, attestation="Checked against SSB")
    assert ev.state == State.VERIFIED and ev.verifier == verifier

    # before publication the public sees nothing, afterwards the values
    assert client.get("/api/evaluations/values").json()["items"] == []
    actions.publish_evaluation(actor=verifier, evaluation=ev)
    body = client.get("/api/evaluations/values").json()
    assert len(body["items"]) == 2 and body["next"] is None
    assert {i["kpi_code"] for i in body["items"]} == {INTERNET, BROADBAND}
    assert [e.to_state for e in ev.events.order_by("id")] == [
        State.SUBMITTED,
        State.IN_REVIEW,
        State.RETURNED,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.VERIFIED,
        State.PUBLISHED,
    ]


def test_steps_refused_out_of_order_or_by_the_wrong_person(world, enter):
    enter(INTERNET, value=90)
    ev = Evaluation.objects.get()
    with pytest.raises(PermissionDenied):
        actions.submit_evaluation(actor=world.user("verifier"), evaluation=ev)
    with pytest.raises(actions.WorkflowError):
        actions.start_review(actor=world.user("verifier"), evaluation=ev)  # still draft
    actions.submit_evaluation(actor=world.user("officer"), evaluation=ev)
    with pytest.raises(PermissionDenied):
        actions.start_review(actor=world.user("officer"), evaluation=ev)
    with pytest.raises(actions.WorkflowError):
        actions.publish_evaluation(actor=world.user("verifier"), evaluation=ev)


def test_empty_year_cannot_be_submitted(world, evaluation):
    with pytest.raises(actions.WorkflowError):
        actions.submit_evaluation(actor=world.user("officer"), evaluation=evaluation)


def test_the_verifier_never_changes_a_value(world, enter):
    enter(INTERNET, value=90)
    ev = Evaluation.objects.get()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=ev)
    actions.start_review(actor=world.user("verifier"), evaluation=ev)
    attempt = enter(INTERNET, value=99, user=world.user("verifier"))
    assert not attempt.ok
    assert _value(INTERNET).value == 90


def _returned_with_one_accepted(world, enter):
    """The verifier accepts INTERNET, returns BROADBAND and the year; the city may edit."""
    officer, verifier = world.user("officer"), world.user("verifier")
    enter(INTERNET, numerator=19741, denominator=21000)
    enter(BROADBAND, value=70)
    ev = Evaluation.objects.get()
    actions.submit_evaluation(actor=officer, evaluation=ev)
    actions.start_review(actor=verifier, evaluation=ev)
    actions.review_value(actor=verifier, value=_value(INTERNET), accept=True, quality=2)
    actions.review_value(actor=verifier, value=_value(BROADBAND), accept=False, comment="Check")
    actions.return_evaluation(actor=verifier, evaluation=ev, comment="see comments")
    return ev


def test_a_value_changed_after_acceptance_is_reviewed_again(world, enter, client):
    # given a year returned with one value accepted
    ev = _returned_with_one_accepted(world, enter)
    officer, verifier = world.user("officer"), world.user("verifier")
    # when the city changes the accepted value and resubmits
    assert enter(INTERNET, numerator=20500, denominator=21000, expected_version=1).ok
    assert enter(BROADBAND, value=72, expected_version=1).ok
    # then it is no longer accepted, and the verifier's grade is gone with the acceptance
    changed = _value(INTERNET)
    assert changed.review_status == ReviewStatus.PENDING
    assert changed.verified_quality is None
    actions.submit_evaluation(actor=officer, evaluation=ev)
    actions.start_review(actor=verifier, evaluation=ev)
    actions.review_value(actor=verifier, value=_value(BROADBAND), accept=True)
    with pytest.raises(actions.WorkflowError, match="ICT: 1C"):
        actions.verify_evaluation(actor=verifier, evaluation=ev, attestation="checked")
    # and the review page shows the value as the verifier saw it and as it is now
    client.force_login(verifier)
    html = client.get(f"/data/{ev.city.slug}/{ev.year}/review/").content.decode()
    row = html[html.index('class="review-pending"') :]
    row = row[: row.index("</tr>\n")]
    assert "Changed since the review" in row
    assert "<del>19,741</del>" in row and "<ins>20,500</ins>" in row
    # once accepted again the change is seen: nothing is flagged any more
    actions.review_value(actor=verifier, value=_value(INTERNET), accept=True)
    assert _value(INTERNET).reviewed_version == 2
    html = client.get(f"/data/{ev.city.slug}/{ev.year}/review/").content.decode()
    assert "Changed since the review" not in html
    actions.verify_evaluation(actor=verifier, evaluation=ev, attestation="checked again")


def test_a_note_added_to_an_accepted_value_keeps_its_acceptance_and_shows(world, enter, client):
    # given a returned year with one accepted value
    ev = _returned_with_one_accepted(world, enter)
    # when the city only adds a note to the accepted value
    result = enter(
        INTERNET, numerator=19741, denominator=21000, notes="Counted in May", expected_version=1
    )
    assert result.ok and result.updated == 1
    # then the acceptance stands (notes explain, they are not the figure), and the review
    # page still tells the verifier what changed
    assert _value(INTERNET).review_status == ReviewStatus.ACCEPTED
    actions.submit_evaluation(actor=world.user("officer"), evaluation=ev)
    client.force_login(world.user("verifier"))
    html = client.get(f"/data/{ev.city.slug}/{ev.year}/review/").content.decode()
    assert "Changed since the review" in html and "<ins>Counted in May</ins>" in html


def test_a_returned_value_corrected_by_a_note_alone_is_reviewed_again(world, enter):
    _returned_with_one_accepted(world, enter)
    assert enter(BROADBAND, value=70, notes="Includes business lines", expected_version=1).ok
    assert _value(BROADBAND).review_status == ReviewStatus.PENDING
