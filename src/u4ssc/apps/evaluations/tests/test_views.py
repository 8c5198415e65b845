"""Data-entry, review and public pages."""

from __future__ import annotations

import pytest

from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State
from u4ssc.apps.evaluations.tests.conftest import INTERNET

pytestmark = pytest.mark.django_db


def _row_url(ev, code, point="-"):
    kpi = KPI.objects.get(code=code)
    return f"/data/{ev.city.slug}/{ev.year}/kpi/{kpi.id}/{point}/", f"kpi-{kpi.id}-value"


def test_sheet_lists_every_kpi_for_the_officer(client, world, evaluation):
    client.force_login(world.user("officer"))
    response = client.get(f"/data/{world.city.slug}/2024/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="kpi-row') >= 91
    assert "Submit for verification" in html


def test_sheet_is_hidden_from_people_outside_the_scope(client, world, evaluation):
    client.force_login(world.user("nobody"))
    assert client.get(f"/data/{world.city.slug}/2024/").status_code == 404
    client.logout()
    assert client.get(f"/data/{world.city.slug}/2024/").status_code == 404


def test_htmx_save_shows_the_error_next_to_the_field_and_keeps_the_typing(
    client, world, evaluation
):
    client.force_login(world.user("officer"))
    url, prefix = _row_url(evaluation, INTERNET)
    response = client.post(
        url,
        {
            f"{prefix}-status": "reported",
            f"{prefix}-numerator": "12 000",
            f"{prefix}-denominator": "0",
            f"{prefix}-source": "SSB",
            f"{prefix}-version": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx partials carry their errors in the body
    html = response.content.decode()
    assert f'id="{prefix}-denominator-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="12 000"' in html  # what was typed is still there
    assert "<html" not in html  # a partial
    assert KPIValue.objects.count() == 0


def test_htmx_save_then_stale_save_shows_the_other_version(client, world, evaluation):
    client.force_login(world.user("officer"))
    url, prefix = _row_url(evaluation, INTERNET)
    data = {
        f"{prefix}-status": "reported",
        f"{prefix}-value": "90,5",
        f"{prefix}-source": "SSB",
        f"{prefix}-version": "0",
    }
    ok = client.post(url, data, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and b"Saved." in ok.content
    assert KPIValue.objects.get().value == 90.5
    # a second tab still holding version 1 saves after another change
    data.update({f"{prefix}-value": "91", f"{prefix}-version": "1", f"{prefix}-reason": "typo"})
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    data.update({f"{prefix}-value": "99", f"{prefix}-version": "1"})
    stale = client.post(url, data, HTTP_HX_REQUEST="true")
    assert b"Someone else changed this value" in stale.content
    assert KPIValue.objects.get().value == 91


def test_save_without_javascript_redirects_or_rerenders_the_page(client, world, evaluation):
    client.force_login(world.user("officer"))
    url, prefix = _row_url(evaluation, INTERNET)
    bad = client.post(
        url, {f"{prefix}-status": "reported", f"{prefix}-value": "abc", f"{prefix}-version": "0"}
    )
    assert bad.status_code == 422
    assert b"<html" in bad.content and b'value="abc"' in bad.content
    good = client.post(
        url,
        {
            f"{prefix}-status": "reported",
            f"{prefix}-value": "88",
            f"{prefix}-source": "SSB",
            f"{prefix}-version": "0",
        },
    )
    assert good.status_code == 302 and good["Location"].endswith(f"#{prefix}")


def test_verifier_cannot_post_values(client, world, evaluation):
    client.force_login(world.user("verifier"))
    url, prefix = _row_url(evaluation, INTERNET)
    response = client.post(url, {f"{prefix}-status": "reported", f"{prefix}-value": "88"})
    assert response.status_code == 403


def test_sheet_query_count_does_not_depend_on_values(
    client, world, evaluation, enter, django_assert_max_num_queries
):
    client.force_login(world.user("officer"))
    enter(INTERNET, value=90)
    with django_assert_max_num_queries(25) as ctx:
        client.get(f"/data/{world.city.slug}/2024/")
    few = len(ctx.captured_queries)
    for code in ["EC: ICT: ICT: 2C", "EC: ICT: T: 1C", "EC: ICT: T: 2C", "EC: I: ES: 3C"]:
        enter(code, value=50)
    with django_assert_max_num_queries(few):
        client.get(f"/data/{world.city.slug}/2024/")


def test_public_page_shows_published_values_only(client, world, enter):
    enter(INTERNET, value=90)
    ev = Evaluation.objects.get()
    assert client.get(f"/cities/{world.city.slug}/2024/").status_code == 404
    ev.state = State.PUBLISHED
    ev.save()
    page = client.get(f"/cities/{world.city.slug}/2024/")
    assert page.status_code == 200
    assert "Household Internet Access" in page.content.decode()


def test_workflow_buttons_drive_the_states(client, world, enter):
    enter(INTERNET, value=90)
    client.force_login(world.user("officer"))
    client.post(f"/data/{world.city.slug}/2024/submit/")
    assert Evaluation.objects.get().state == State.SUBMITTED
    client.force_login(world.user("verifier"))
    r = client.post(f"/data/{world.city.slug}/2024/start-review/")
    assert r.status_code == 302 and Evaluation.objects.get().state == State.IN_REVIEW
    value = KPIValue.objects.get()
    page = client.get(f"/data/{world.city.slug}/2024/review/")
    assert page.status_code == 200
    r = client.post(
        f"/data/{world.city.slug}/2024/review/{value.id}/",
        {f"r{value.id}-decision": "return", f"r{value.id}-comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert b"Say what the city should correct" in r.content
    r = client.post(
        f"/data/{world.city.slug}/2024/review/{value.id}/",
        {f"r{value.id}-decision": "accept"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    client.post(f"/data/{world.city.slug}/2024/verify/", {"attestation": "checked"})
    assert Evaluation.objects.get().state == State.VERIFIED
    client.post(f"/data/{world.city.slug}/2024/publish/")
    assert Evaluation.objects.get().state == State.PUBLISHED


def test_changing_a_stored_value_needs_a_reason_kept_in_its_history(client, world, evaluation):
    from u4ssc.apps.evaluations.models import ValueRevision

    client.force_login(world.user("officer"))
    url, prefix = _row_url(evaluation, INTERNET)
    base = {f"{prefix}-status": "reported", f"{prefix}-source": "SSB"}
    client.post(
        url, {**base, f"{prefix}-value": "90", f"{prefix}-version": "0"}, HTTP_HX_REQUEST="true"
    )
    # saving the same again needs no reason: nothing changes
    same = client.post(
        url, {**base, f"{prefix}-value": "90", f"{prefix}-version": "1"}, HTTP_HX_REQUEST="true"
    )
    assert b"Saved." in same.content
    refused = client.post(
        url, {**base, f"{prefix}-value": "85", f"{prefix}-version": "1"}, HTTP_HX_REQUEST="true"
    )
    assert f'id="{prefix}-reason-error"'.encode() in refused.content
    assert b'value="85"' in refused.content
    assert KPIValue.objects.get().value == 90
    ok = client.post(
        url,
        {
            **base,
            f"{prefix}-value": "85",
            f"{prefix}-version": "1",
            f"{prefix}-reason": "SSB revised the 2024 figure",
        },
        HTTP_HX_REQUEST="true",
    )
    assert b"Saved." in ok.content
    latest = ValueRevision.objects.order_by("-version").first()
    assert latest.reason == "SSB revised the 2024 figure" and latest.before["value"] == 90


def test_acknowledging_redraws_the_warnings_alone(client, world, evaluation, enter):
    # given a stored value with an open warning (no source)
    enter(INTERNET, value=90, source="")
    value = KPIValue.objects.get()
    client.force_login(world.user("officer"))
    url = f"/data/{world.city.slug}/2024/values/{value.id}/acknowledge/"
    prefix = f"kpi-{value.kpi_id}-value"

    # when the officer acknowledges it without a reason, then with one (htmx)
    refused = client.post(url, {"check_code": "source_missing"}, HTTP_HX_REQUEST="true")
    done = client.post(
        url, {"check_code": "source_missing", "reason": "Comes later"}, HTTP_HX_REQUEST="true"
    )

    # then each answer is the warnings block only: the row's fields (and what was typed in
    # them) are not redrawn
    for response in (refused, done):
        html = response.content.decode()
        assert html.lstrip().startswith(f'<div id="{prefix}-warnings"')
        assert f'id="{prefix}-source"' not in html
    assert "Say why the warning does not apply." in refused.content.decode()
    assert "Warning acknowledged" in done.content.decode()
    assert value.acknowledgements.get().reason == "Comes later"


def test_the_row_form_has_save_as_its_only_submit_button(client, world, evaluation, enter):
    # given a stored value with an open warning
    enter(INTERNET, value=90, source="")
    client.force_login(world.user("officer"))
    html = client.get(f"/data/{world.city.slug}/2024/").content.decode()
    prefix = f"kpi-{KPIValue.objects.get().kpi_id}-value"

    # then the Acknowledge button belongs to a form of its own, so that Enter in the row's
    # fields saves
    row_form = html[html.index(f'<form id="{prefix}-form"') :]
    row_form = row_form[: row_form.index("</form>")]
    assert row_form.count('type="submit"') == 2  # Save, and Acknowledge ...
    assert f'type="submit" class="secondary" form="{prefix}-ack-form-source_missing"' in row_form
    assert f'<form id="{prefix}-ack-form-source_missing"' in html


@pytest.mark.parametrize("username", ["hub", "national", "viewer", "admin"])
def test_people_who_follow_the_data_see_every_city_year_they_may_open(client, world, username):
    # given Ålesund 2024 in draft and 2023 submitted, Trondheim 2024 published, Linz 2024
    # (another hub) in draft
    for city, year, state in [
        (world.city, 2024, State.DRAFT),
        (world.city, 2023, State.SUBMITTED),
        (world.sister, 2024, State.PUBLISHED),
        (world.foreign, 2024, State.DRAFT),
    ]:
        Evaluation.objects.create(city=city, year=year, state=state)
    client.force_login(world.user(username))
    # when they open their workspace
    html = client.get("/data/").content.decode()
    # then it lists the city-years of their scope with their state, not "nothing to do"
    assert "Nothing to fill in." not in html and "Nothing to review." not in html
    assert "The data you follow" in html
    assert f'href="/data/{world.city.slug}/2024/">Ålesund 2024</a>' in html
    assert f'href="/data/{world.city.slug}/2023/">Ålesund 2023</a>' in html
    assert '<span class="badge state-submitted">Submitted</span>' in html
    sees_trondheim = username != "viewer"  # the viewer's scope is Ålesund
    assert (f'href="/data/{world.sister.slug}/2024/"' in html) == sees_trondheim
    sees_linz = username == "admin"
    assert (f'href="/data/{world.foreign.slug}/2024/"' in html) == sees_linz


def test_the_followed_city_years_filter_by_state_and_year(client, world):
    Evaluation.objects.create(city=world.city, year=2024, state=State.DRAFT)
    Evaluation.objects.create(city=world.city, year=2023, state=State.PUBLISHED)
    Evaluation.objects.create(city=world.sister, year=2024, state=State.SUBMITTED)
    client.force_login(world.user("national"))
    # when filtered by year, the counts and the list are that year's
    html = client.get("/data/", {"year": 2024}).content.decode()
    assert "In 2024:" in html and "Ålesund 2024" in html and "Ålesund 2023" not in html
    assert '<span class="badge state-draft">Draft</span> 1' in html
    assert '<span class="badge state-published">Published</span> 0' in html
    # and by state (htmx asks for the list alone)
    partial = client.get(
        "/data/", {"year": 2024, "state": "submitted"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial
    assert "Trondheim 2024" in partial and "Ålesund 2024</a>" not in partial
    # a filter that is not valid is left out, not an error
    assert client.get("/data/", {"year": "soon", "state": "lost"}).status_code == 200
    # and one that matches nothing says so
    empty = client.get("/data/", {"year": 2024, "state": "verified"}).content.decode()
    assert "No city-year matches these filters." in empty


def test_the_officer_keeps_the_lists_of_their_work(client, world, evaluation):
    client.force_login(world.user("officer"))
    html = client.get("/data/").content.decode()
    assert "To fill in" in html and "Start a year" in html
    assert "To review" not in html  # an officer reviews nothing


def test_check_results_reach_the_sheet_in_the_readers_language(client, world, evaluation, enter):
    # given a stored year-on-year warning, written by the core in English
    assert enter(INTERNET, year=2023, value=40).ok
    assert enter(INTERNET, value=90).warnings
    client.force_login(world.user("officer"))
    # when the officer reads the sheet in Bokmål
    page = client.get(f"/nb/data/{world.city.slug}/2024/").content.decode()
    # then the warning and what was expected are Norwegian, numbers written the Norwegian way
    assert "gikk fra 40 % til 90 % på ett år (+125 %)" in page
    assert "(forventet: mellom 20 og 60 %)" in page
    # and a field error of a save, and a number that cannot be read, are Norwegian too
    url, prefix = _row_url(evaluation, INTERNET)
    base = {f"{prefix}-status": "reported", f"{prefix}-version": "1", f"{prefix}-reason": "x"}
    zero = client.post(
        "/nb" + url,
        {**base, f"{prefix}-numerator": "12,5", f"{prefix}-denominator": "0"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Nevneren (husholdninger i alt) må være større enn null; den er 0" in zero
    typed = client.post(
        "/nb" + url, {**base, f"{prefix}-value": "n/a"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "«n/a» er ikke et tall. La feltet stå tomt" in typed
    # while the same warning reads in English for an English reader
    english = client.get(f"/data/{world.city.slug}/2024/").content.decode()
    assert "moved from 40 % to 90 % in one year (+125 %)" in english


def test_a_year_after_next_year_cannot_be_started(client, world):
    from django.utils import timezone

    client.force_login(world.user("officer"))
    later = timezone.localdate().year + 2
    # when the officer opens a sheet for the year after next (a typo: 2031 for 2013)
    response = client.post(f"/data/{world.city.slug}/start/", {"year": later}, follow=True)
    # then nothing is created and the page says which years are possible
    assert not Evaluation.objects.exists()
    assert f"{later} is not a year the platform takes data for" in response.content.decode()
    # and the workspace's year field says the same bounds
    assert f'min="1990" max="{later - 1}"' in client.get("/data/").content.decode()
    client.post(f"/data/{world.city.slug}/start/", {"year": later - 1})
    assert Evaluation.objects.get().year == later - 1


def test_the_other_persons_change_is_dated_for_the_reader_not_in_iso(client, world, evaluation):
    import datetime as dt

    client.force_login(world.user("officer"))
    url, prefix = _row_url(evaluation, INTERNET)
    data = {
        f"{prefix}-status": "reported",
        f"{prefix}-value": "90",
        f"{prefix}-source": "SSB",
        f"{prefix}-version": "0",
    }
    client.post(url, data, HTTP_HX_REQUEST="true")
    KPIValue.objects.update(updated_at=dt.datetime(2026, 3, 5, 14, 7, tzinfo=dt.UTC))
    # a second save on version 0, read in Bokmål
    stale = client.post("/nb" + url, {**data, f"{prefix}-value": "91"}, HTTP_HX_REQUEST="true")
    html = stale.content.decode()
    assert "5. mars 2026 14:07 UTC" in html
    assert "2026-03-05T14:07" not in html
    english = client.post(url, {**data, f"{prefix}-value": "91"}, HTTP_HX_REQUEST="true")
    assert "March 5, 2026, 2:07 p.m. UTC" in english.content.decode()


def test_yes_no_kpis_read_yes_or_no_on_the_public_page(client, world, enter):
    # given a published yes/no answer (urban planning: compact)
    assert enter("EC: I: UP: 2A", data_point="compact", value=1).ok
    Evaluation.objects.update(state=State.PUBLISHED)
    # then the public page says "yes" (in Bokmål "ja"), not "1 yes/no"
    html = client.get(f"/cities/{world.city.slug}/2024/").content.decode()
    row = html[html.index("Compact") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">yes</td>' in row and "yes/no" not in row
    nb = client.get(f"/nb/cities/{world.city.slug}/2024/").content.decode()
    assert '<td class="num">ja</td>' in nb


def test_the_review_page_counts_what_it_offers_and_accepts_the_rest_at_once(client, world, enter):
    # given a submitted year: two reported values, one marked not available
    enter(INTERNET, value=90, quality=2)
    enter("EC: ICT: ICT: 2C", value=70)
    enter("EC: ICT: WS: 1C", status="not_available")
    ev = Evaluation.objects.get()
    client.force_login(world.user("officer"))
    client.post(f"/data/{world.city.slug}/2024/submit/")
    client.force_login(world.user("verifier"))
    url = f"/data/{world.city.slug}/2024/review/"
    # then the review page offers to start the review
    page = client.get(url).content.decode()
    assert "/data/alesund/2024/start-review/" in page
    assert client.post(f"/data/{world.city.slug}/2024/start-review/").status_code == 302
    # and counts the reported values it lists, the marked one apart
    page = client.get(url).content.decode()
    assert "2 reported values: 0 accepted, 0 returned, 2 not yet reviewed" in page
    assert "1 marked not available or not applicable" in page
    # when the verifier returns one value and accepts all remaining in one step
    broadband = KPIValue.objects.get(kpi__code="EC: ICT: ICT: 2C")
    client.post(
        f"{url}{broadband.id}/",
        {f"r{broadband.id}-decision": "return", f"r{broadband.id}-comment": "Check SSB"},
    )
    assert "Accept 1 remaining value" in client.get(url).content.decode()
    done = client.post(f"/data/{world.city.slug}/2024/accept-remaining/", follow=True)
    # then each value keeps its own review, and the returned one stays returned
    assert "Accepted 1 value." in done.content.decode()
    internet = KPIValue.objects.get(kpi__code=INTERNET)
    assert (internet.review_status, internet.reviewed_by, internet.verified_quality) == (
        "accepted",
        world.user("verifier"),
        2,
    )
    assert internet.reviewed_at is not None
    broadband.refresh_from_db()
    assert broadband.review_status == "returned" and broadband.review_comment == "Check SSB"
    ev.refresh_from_db()
    assert ev.state == State.IN_REVIEW
    # and without the right to review, the step is refused
    client.force_login(world.user("officer"))
    assert client.post(f"/data/{world.city.slug}/2024/accept-remaining/").status_code == 403


def test_before_submitting_the_officer_sees_the_warnings_not_acknowledged(
    client, world, evaluation, enter
):
    from u4ssc.apps.evaluations import actions

    # given two values with a warning (no source), one of them acknowledged
    enter(INTERNET, value=90, source="")
    enter("EC: ICT: ICT: 2C", value=70, source="")
    acknowledged = KPIValue.objects.get(kpi__code="EC: ICT: ICT: 2C")
    actions.acknowledge_warning(
        actor=world.user("officer"), value=acknowledged, check_code="source_missing", reason="x"
    )
    client.force_login(world.user("officer"))
    # when the officer opens the sheet, filtered to one dimension even
    html = client.get(f"/data/{world.city.slug}/2024/?dimension=EN").content.decode()
    # then the open warning is listed with a link to its row, and the button says so
    internet = KPIValue.objects.get(kpi__code=INTERNET)
    assert "Before you submit: 1 warning is not acknowledged" in html
    assert f'href="/data/{world.city.slug}/2024/#kpi-{internet.kpi_id}-value"' in html
    assert "Name the source of this value" in html
    assert "Submit with 1 open warning" in html
    # and submitting is still possible: the verifier decides (decision 0208)
    client.post(f"/data/{world.city.slug}/2024/submit/")
    evaluation.refresh_from_db()
    assert evaluation.state == State.SUBMITTED


def test_the_review_row_shows_what_the_verifier_accepts(client, world, enter):
    # given a submitted value with its source, grade and notes, in review
    from u4ssc.apps.evaluations import actions

    enter(INTERNET, value=90, source="SSB table 11000", quality=2, notes="Counted in May")
    evaluation = Evaluation.objects.get()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=evaluation)
    actions.start_review(actor=world.user("verifier"), evaluation=evaluation)
    value = KPIValue.objects.get()
    client.force_login(world.user("verifier"))
    html = client.get(f"/data/{world.city.slug}/2024/review/").content.decode()
    # then the value's row names its source, grade and notes next to the decision
    row = html[html.index(f'<tr id="kpi-{value.kpi_id}-value"') :]
    row = row[: row.index(f'name="r{value.id}-decision"')]
    assert "SSB table 11000" in row
    assert "2 · Reliable data with minor gaps" in row
    assert "Counted in May" in row


def test_an_acknowledged_warning_is_named_in_the_readers_language(client, world, enter):
    # given a value without a source whose warning the city acknowledged
    enter(INTERNET, value=90, source="")
    value = KPIValue.objects.get()
    from u4ssc.apps.evaluations import actions

    actions.acknowledge_warning(
        actor=world.user("officer"), value=value, check_code="source_missing", reason="Later"
    )
    client.force_login(world.user("officer"))
    # then the sheet names the check, not its code, in English and in Bokmål
    en = client.get(f"/data/{world.city.slug}/2024/").content.decode()
    assert "Warning acknowledged (no source named): Later" in en
    assert "(source_missing)" not in en
    nb = client.get(f"/nb/data/{world.city.slug}/2024/").content.decode()
    assert "(ingen kilde oppgitt): Later" in nb


def test_units_are_shown_in_the_readers_language(client, world, enter):
    # given a value per 100 000 inhabitants below its usual range (a warning), in review
    from u4ssc.apps.evaluations import actions

    code = "EC: ICT: ICT: 3C"
    assert KPI.objects.get(code=code).unit == "per 100 000 inhabitants"
    assert enter(code, value=500).ok
    value = KPIValue.objects.get()
    assert [i["code"] for i in value.issues] == ["warn_range"]
    client.force_login(world.user("officer"))
    # then the Bokmål data sheet gives the unit in Bokmål, beside the KPI and in the warning
    nb = client.get(f"/nb/data/{world.city.slug}/2024/").content.decode()
    assert "(per 100 000 innbyggere)" in nb and "(per 100 000 inhabitants)" not in nb
    assert "500 per 100 000 innbyggere er uvanlig" in nb
    assert "000 per 100 000 innbyggere. Kontroller" in nb  # the usual bound's unit too
    # and so does the review page
    evaluation = Evaluation.objects.get()
    actions.submit_evaluation(actor=world.user("officer"), evaluation=evaluation)
    actions.start_review(actor=world.user("verifier"), evaluation=evaluation)
    client.force_login(world.user("verifier"))
    review = client.get(f"/nb/data/{world.city.slug}/2024/review/").content.decode()
    assert "500 per 100 000 innbyggere" in review and "inhabitants" not in review
    # while the English page keeps the English unit
    en = client.get(f"/data/{world.city.slug}/2024/review/").content.decode()
    assert "500 per 100 000 inhabitants" in en


def test_the_history_shows_every_field_a_change_changed(client, world, enter):
    # given a value whose source and figure changed
    enter(INTERNET, value=90, source="SSB 2023")
    enter(INTERNET, value=91, source="SSB 2024", quality=2, expected_version=1)
    value = KPIValue.objects.get()
    client.force_login(world.user("officer"))
    html = client.get(f"/data/{world.city.slug}/2024/values/{value.id}/history/").content.decode()
    # then the newest change lists the source it replaced, not only the figure
    newest = html[html.index('<td class="num">v2</td>') :]
    newest = newest[: newest.index("</tr>")]
    assert "Source: SSB 2023" in newest and "Source: SSB 2024" in newest
    assert "Value: 90 %" in newest and "Value: 91 %" in newest
    assert "Data quality: 2 · Reliable data with minor gaps" in newest
    assert "Status" not in newest  # unchanged fields are left out


def test_the_history_lists_every_acknowledgement_and_whether_it_holds(client, world, enter):
    # given a warning acknowledged for version 1, superseded by a new figure, and
    # acknowledged again for version 2
    from u4ssc.apps.evaluations import actions

    enter(INTERNET, value=90, source="")
    value = KPIValue.objects.get()
    officer = world.user("officer")
    actions.acknowledge_warning(
        actor=officer, value=value, check_code="source_missing", reason="Asked SSB"
    )
    enter(INTERNET, value=91, source="", expected_version=1)
    value.refresh_from_db()
    actions.acknowledge_warning(
        actor=officer, value=value, check_code="source_missing", reason="SSB answers in May"
    )
    client.force_login(officer)
    html = client.get(f"/data/{world.city.slug}/2024/values/{value.id}/history/").content.decode()
    # then both are listed, newest first, named by their check, with the version each was
    # for and whether it still holds
    acks = html[html.index("Acknowledged warnings") :]
    assert acks.index("SSB answers in May") < acks.index("Asked SSB")
    assert acks.count("no source named") == 2 and "source_missing" not in acks
    assert '<td class="num">v2</td>' in acks and '<td class="num">v1</td>' in acks
    assert acks.count("No: superseded") == 1 and "<td>Yes</td>" in acks
    nb = client.get(f"/nb/data/{world.city.slug}/2024/values/{value.id}/history/").content
    assert "Utkvitterte advarsler" in nb.decode() and "Nei: erstattet" in nb.decode()


def test_a_warning_whose_acknowledgement_lapsed_says_why_it_is_open_again(client, world, enter):
    from u4ssc.apps.evaluations import actions

    # given a year-on-year jump the city acknowledged, then a new figure
    assert enter(INTERNET, year=2023, value=40).ok
    assert enter(INTERNET, year=2024, value=90).ok
    value = KPIValue.objects.get(evaluation__year=2024)
    actions.acknowledge_warning(
        actor=world.user("officer"), value=value, check_code="yoy_jump", reason="Fibre rollout"
    )
    assert enter(INTERNET, year=2024, value=95, expected_version=1).ok
    client.force_login(world.user("officer"))
    # then the open warning names the acknowledgement that no longer holds, and why
    html = client.get(f"/data/{world.city.slug}/2024/").content.decode()
    assert "Acknowledged for version 1 (“Fibre rollout”); the figure has changed since" in html
    nb = client.get(f"/nb/data/{world.city.slug}/2024/").content.decode()
    assert "Kvittert ut for versjon 1 (“Fibre rollout”)" in nb
    # and the verifier reads the same on the review page
    client.post(f"/data/{world.city.slug}/2024/submit/")
    client.force_login(world.user("verifier"))
    client.post(f"/data/{world.city.slug}/2024/start-review/")
    review = client.get(f"/data/{world.city.slug}/2024/review/").content.decode()
    assert "Acknowledged for version 1 (“Fibre rollout”); the figure has changed since" in review
