"""Editing target sets on the platform's pages: who may, what a target needs, its history,
and the benchmarking scores that follow a change."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from u4ssc.apps.catalogue import actions
from u4ssc.apps.catalogue.models import (
    KPI,
    Target,
    TargetChange,
    TargetChangeKind,
    TargetSet,
    TargetSetKind,
)
from u4ssc.core.catalogue import load_catalogue

pytestmark = pytest.mark.django_db

INTERNET = "EC: ICT: ICT: 1C"  # a share of households, 0-100 %, higher is better
AIR = "EN: EN: AQ: 1C"  # data points per pollutant, lower is better
HX = {"HTTP_HX_REQUEST": "true"}


def _kpi(code: str = INTERNET) -> KPI:
    return KPI.objects.get(code=load_catalogue().get(code).code)


@pytest.fixture
def sets(world):
    national = actions.create_target_set(
        actor=world.user("national"), name="Norway targets", owner=world.national
    )
    city = actions.create_target_set(
        actor=world.user("officer"), name="Ålesund goals", owner=world.city
    )
    return {"national": national, "city": city, "default": TargetSet.objects.get(is_default=True)}


def _set(world, sets, **fields):
    defaults = {
        "actor": world.user("national"),
        "target_set": sets["national"],
        "kpi": _kpi(),
        "value": 95.0,
        "direction": "higher",
        "source": "SDG 9.c",
    }
    return actions.set_target(**{**defaults, **fields})


# ------------------------------------------------------------------ actions


def test_a_target_is_written_with_its_history(world, sets):
    # when the national coordinator adds a target, then changes it
    target = _set(world, sets)
    _set(world, sets, value=97.5, source="SDG 9.c, national plan")
    # then the set holds one target, as last saved, by whom
    target.refresh_from_db()
    assert (target.value, target.source, target.updated_by) == (
        97.5,
        "SDG 9.c, national plan",
        world.user("national"),
    )
    # and its history tells who, what, before and after
    added, changed = TargetChange.objects.filter(kpi=target.kpi).order_by("id")
    assert added.kind == TargetChangeKind.ADDED and added.before is None
    assert added.after["value"] == 95.0 and added.actor == world.user("national")
    assert changed.kind == TargetChangeKind.CHANGED
    assert (changed.before["value"], changed.after["value"]) == (95.0, 97.5)
    assert changed.after["source"] == "SDG 9.c, national plan"


def test_saving_the_same_target_again_writes_nothing(world, sets):
    _set(world, sets)
    before = TargetChange.objects.count()
    _set(world, sets)
    assert TargetChange.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"source": "  "}, "source", "needs its source"),
        ({"value": None}, "value", "Give the target value"),
        ({"value": 120.0}, "value", "outside what this KPI can be"),
        ({"value": math.nan}, "value", "Type a number"),
        ({"direction": "sideways"}, "direction", "which way is better"),
        ({"direction": "range", "range_low": 80.0}, "range_high", "high end"),
        ({"direction": "range", "range_low": 90.0, "range_high": 80.0}, "range_high", "below"),
        ({"data_point": "no_such_point"}, "measurand", "no such data point"),
    ],
)
def test_a_wrong_target_is_refused_and_nothing_is_written(world, sets, fields, field, message):
    # when a target is wrong in one way
    with pytest.raises(ValidationError) as refused:
        _set(world, sets, **fields)
    # then the error names the field and says what is wrong
    assert message in " ".join(refused.value.message_dict[field])
    # and nothing was written
    assert not Target.objects.filter(target_set=sets["national"]).exists()
    assert not TargetChange.objects.exclude(kind=TargetChangeKind.SET_CREATED).exists()


def test_a_range_target_keeps_its_ends_and_drops_a_value(world, sets):
    target = _set(world, sets, direction="range", value=5.0, range_low=90.0, range_high=99.0)
    assert (target.value, target.range_low, target.range_high) == (None, 90.0, 99.0)


def test_targets_on_data_points(world, sets):
    kpi = _kpi(AIR)
    point = load_catalogue().get(AIR).data_points[0].data_point
    target = _set(world, sets, kpi=kpi, data_point=point, value=10.0, direction="lower")
    assert target.data_point == point
    # a KPI with data points has no target of its own
    with pytest.raises(ValidationError):
        _set(world, sets, kpi=kpi, data_point="", value=10.0, direction="lower")


def test_adding_a_target_the_set_has_is_refused(world, sets):
    _set(world, sets)
    with pytest.raises(ValidationError) as refused:
        _set(world, sets, value=50.0, new_only=True)
    assert "already has" in refused.value.message_dict["measurand"][0]
    assert Target.objects.get(target_set=sets["national"]).value == 95.0


def test_removing_a_target_keeps_it_in_the_history(world, sets):
    target = _set(world, sets)
    actions.remove_target(actor=world.user("national"), target=target)
    assert not Target.objects.filter(pk=target.pk).exists()
    removed = TargetChange.objects.get(kind=TargetChangeKind.REMOVED)
    assert removed.before["value"] == 95.0 and removed.after is None
    assert removed.kpi == target.kpi


@pytest.mark.parametrize(
    ("user", "which"),
    [("officer", "national"), ("national", "city"), ("hub", "national"), ("viewer", "city")],
)
def test_only_a_sets_managers_change_it(world, sets, user, which):
    with pytest.raises(PermissionDenied):
        _set(world, sets, actor=world.user(user), target_set=sets[which])
    assert not Target.objects.filter(target_set=sets[which]).exists()
    target = _set(world, sets, target_set=sets[which], actor=world.user("admin"))
    with pytest.raises(PermissionDenied):
        actions.remove_target(actor=world.user(user), target=target)
    assert Target.objects.filter(pk=target.pk).exists()


def test_a_new_sets_kind_follows_its_owner(world, sets):
    assert sets["national"].kind == TargetSetKind.NATIONAL
    assert sets["city"].kind == TargetSetKind.CITY
    assert TargetChange.objects.filter(
        target_set=sets["city"], kind=TargetChangeKind.SET_CREATED, actor=world.user("officer")
    ).exists()
    # a hub owns no target set
    with pytest.raises(ValidationError) as refused:
        actions.create_target_set(actor=world.user("admin"), name="Hub", owner=world.hub)
    assert "owner" in refused.value.message_dict
    # nobody creates a set for a city not their own
    with pytest.raises(PermissionDenied):
        actions.create_target_set(actor=world.user("officer"), name="T", owner=world.sister)
    # "new" is a page of its own, never a set's address
    assert (
        actions.create_target_set(actor=world.user("admin"), name="New", owner=world.city).slug
        != "new"
    )


def test_the_shipped_and_demo_targets_pass_the_same_checks():
    # given the programme default and the demo's illustrative targets
    from u4ssc.core.synthetic import illustrative_targets

    cat = load_catalogue()
    kpis = {k.key: k for k in KPI.objects.all()}
    records = [
        {**t, "kpi": kpis[t["kpi_key"]]}
        for ambition in (0.0, 0.25)
        for t in illustrative_targets(cat, ambition=ambition)
    ]
    records += [
        {
            **{f: getattr(t, f) for f in ("value", "direction", "range_low", "range_high")},
            "kpi": t.kpi,
            "data_point": t.data_point,
        }
        for t in Target.objects.filter(target_set__is_default=True).select_related("kpi")
    ]
    # then every one of them would be accepted as it is
    for r in records:
        actions._check_target(
            r["kpi"],
            r["data_point"],
            value=r["value"],
            direction=r["direction"],
            range_low=r["range_low"],
            range_high=r["range_high"],
            source="a source",
        )


# ------------------------------------------------------------------ benchmarking follows


def test_a_target_change_rebuilds_the_benchmarking_scores(world, sets):
    # given the scoreboard of the national set, kept in memory
    from u4ssc.apps.benchmarking import scoreboard

    scoreboard.clear_cache()
    target = _set(world, sets)
    board = scoreboard.get(sets["national"])
    m = board.measurands.index((target.kpi.key, ""))
    assert board.targets.target[m] == 95.0
    assert scoreboard.get(sets["national"]) is board  # unchanged data: the same board
    # when the target is changed through the platform
    _set(world, sets, value=80.0)
    # then the next read scores against the new target
    changed = scoreboard.get(sets["national"])
    assert changed is not board and changed.targets.target[m] == 80.0
    # and a removed target is no longer scored
    actions.remove_target(actor=world.user("national"), target=Target.objects.get(pk=target.pk))
    assert math.isnan(scoreboard.get(sets["national"]).targets.target[m])


# ------------------------------------------------------------------ pages


def _page(client, ts, lang=""):
    return client.get(f"{lang}/targets/{ts.slug}/").content.decode()


@pytest.mark.parametrize(
    ("user", "editable"),
    [
        ("admin", {"national", "city", "default"}),
        ("national", {"national"}),
        ("officer", {"city"}),
        ("hub", set()),
        ("verifier", set()),
        ("viewer", set()),
        (None, set()),
    ],
)
def test_the_set_page_offers_forms_to_its_managers_only(client, world, sets, user, editable):
    if user:
        client.force_login(world.user(user))
    for name, ts in sets.items():
        html = _page(client, ts)
        assert ('id="new-target"' in html) == (name in editable), (user, name)
        assert 'id="target-history"' in html


def test_the_national_coordinator_adds_a_target_with_htmx(client, world, sets):
    # given the national coordinator on the national set
    client.force_login(world.user("national"))
    ts, kpi = sets["national"], _kpi()
    post = {"new-measurand": f"{kpi.pk}:-", "new-value": "95,5", "new-source": "SDG 9.c"}
    # when they add a target without a source
    refused = client.post(f"/targets/{ts.slug}/add/", {**post, "new-source": ""}, **HX)
    # then the error stands next to the source field, and nothing is written
    html = refused.content.decode()
    assert 'aria-describedby="id_new-source-error"' in html
    assert 'id="id_new-source-error">Every target needs its source' in html
    assert not ts.targets.exists()
    # when they give the source (the direction as in the catalogue)
    added = client.post(f"/targets/{ts.slug}/add/", post, **HX)
    # then the target is stored, the editor shows it and the history is swapped in too
    target = ts.targets.get()
    assert (target.value, target.direction, target.source) == (95.5, "higher", "SDG 9.c")
    html = added.content.decode()
    assert f'id="target-{target.pk}"' in html and "Target added for" in html
    assert 'id="target-history" aria-labelledby="history-h" hx-swap-oob="true"' in html


def test_a_row_is_saved_and_removed_with_htmx(client, world, sets):
    client.force_login(world.user("officer"))
    ts = sets["city"]
    target = _set(world, sets, actor=world.user("officer"), target_set=ts)
    url = f"/targets/{ts.slug}/{target.pk}/"
    p = f"t{target.pk}-"
    # a range upside down is refused next to its high end
    bad = client.post(
        url,
        {
            p + "direction": "range",
            p + "range_low": "90",
            p + "range_high": "80",
            p + "source": "x",
        },
        **HX,
    ).content.decode()
    assert f'id="id_{p}range_high-error">The high end is below the low end.' in bad
    # a good change is saved, and the row says so
    ok = client.post(
        url, {p + "direction": "higher", p + "value": "99", p + "source": "Plan"}, **HX
    )
    assert "Saved." in ok.content.decode() and 'hx-swap-oob="true"' in ok.content.decode()
    target.refresh_from_db()
    assert (target.value, target.source) == (99.0, "Plan")
    # and removing leaves a note where the row was
    removed = client.post(url + "remove/", {}, **HX).content.decode()
    assert "Removed the target for" in removed
    assert not Target.objects.filter(pk=target.pk).exists()


def test_the_pages_work_without_javascript(client, world, sets):
    client.force_login(world.user("national"))
    ts, kpi = sets["national"], _kpi()
    # an error answers the whole page, with the form as typed
    bad = client.post(
        f"/targets/{ts.slug}/add/", {"new-measurand": f"{kpi.pk}:-", "new-value": "x"}
    )
    assert bad.status_code == 422
    assert "Type a number" in bad.content.decode()
    # a success goes back to the set, with a message
    ok = client.post(
        f"/targets/{ts.slug}/add/",
        {"new-measurand": f"{kpi.pk}:-", "new-value": "90", "new-source": "Plan"},
        follow=True,
    )
    assert ok.redirect_chain[-1][0].startswith(f"/targets/{ts.slug}/")
    assert "Target added for" in ok.content.decode()
    target = ts.targets.get()
    p = f"t{target.pk}-"
    bad = client.post(
        f"/targets/{ts.slug}/{target.pk}/", {p + "direction": "higher", p + "source": "Plan"}
    )
    assert bad.status_code == 422 and "Give the target value" in bad.content.decode()
    gone = client.post(f"/targets/{ts.slug}/{target.pk}/remove/", follow=True)
    assert "Removed the target for" in gone.content.decode() and not ts.targets.exists()


@pytest.mark.parametrize("user", [None, "viewer", "hub", "officer"])
def test_writes_by_others_are_refused(client, world, sets, user):
    if user:
        client.force_login(world.user(user))
    ts, kpi = sets["national"], _kpi()
    target = _set(world, sets)
    post = {"new-measurand": f"{kpi.pk}:-", "new-value": "90", "new-source": "x"}
    assert client.post(f"/targets/{ts.slug}/add/", post).status_code == 403
    assert client.post(f"/targets/{ts.slug}/{target.pk}/", {}).status_code == 403
    assert client.post(f"/targets/{ts.slug}/{target.pk}/remove/").status_code == 403
    assert Target.objects.get(target_set=ts).value == 95.0


def test_a_target_of_another_set_is_not_found_through_this_one(client, world, sets):
    client.force_login(world.user("admin"))
    target = _set(world, sets)
    assert client.post(f"/targets/{sets['city'].slug}/{target.pk}/remove/").status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_the_history_is_shown_on_the_set_page(client, world, sets):
    _set(world, sets)
    _set(world, sets, value=97.0)
    html = _page(client, sets["national"])  # anonymous: the history is public too
    assert html.count("<tr>") >= 3
    assert "Target changed" in html and "Target added" in html and "Set created" in html
    assert "95" in html and "97" in html


def test_a_coordinator_creates_a_set_for_their_programme(client, world):
    client.force_login(world.user("national"))
    assert "/targets/new/" in client.get("/targets/").content.decode()
    form = client.get("/targets/new/").content.decode()
    # only their own national programme is offered
    assert f'value="{world.national.pk}"' in form and f'value="{world.city.pk}"' not in form
    refused = client.post(
        "/targets/new/", {"name": " ", "owner": world.national.pk, "method": "u4ssc"}
    )
    assert refused.status_code == 422 and 'id="id_name-error"' in refused.content.decode()
    made = client.post(
        "/targets/new/",
        {"name": "Norway 2030", "owner": world.national.pk, "method": "u4ssc"},
        follow=True,
    )
    ts = TargetSet.objects.get(name="Norway 2030")
    assert ts.kind == TargetSetKind.NATIONAL and ts.owner == world.national
    assert made.redirect_chain[-1][0] == f"/targets/{ts.slug}/"
    # another organisation's id is refused as a choice
    other = client.post("/targets/new/", {"name": "X", "owner": world.city.pk, "method": "u4ssc"})
    assert other.status_code == 422 and not TargetSet.objects.filter(name="X").exists()


def test_people_without_a_set_of_their_own_cannot_create_one(client, world):
    assert client.get("/targets/new/").status_code == 302  # to the login page
    client.force_login(world.user("viewer"))
    assert "/targets/new/" not in client.get("/targets/").content.decode()
    assert client.get("/targets/new/").status_code == 403
    assert client.post("/targets/new/", {"name": "X", "owner": world.city.pk}).status_code == 403


def test_the_editor_speaks_bokmal(client, world, sets):
    _set(world, sets)
    client.force_login(world.user("national"))
    html = _page(client, sets["national"], lang="/nb")
    for phrase in ["Legg til et mål", "Endringshistorikk", "Lagre"]:
        assert phrase in html


def test_the_admin_shows_targets_read_only(client, world, sets):
    from u4ssc.conftest import make_user

    _set(world, sets)
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    page = client.get(f"/admin/catalogue/targetset/{sets['national'].pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SDG 9.c" in html and 'name="targets-0-source"' not in html


def test_the_set_page_costs_the_same_queries_for_few_targets_as_for_many(client, world, sets):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.user("national"))
    cat = load_catalogue()
    kpis = {k.code: k for k in KPI.objects.all()}
    singles = [k for k in cat.kpis if not k.data_points and k.direction.kind != "range"]

    def grow(n):
        for kpi in singles[:n]:
            m = kpi.as_measurand()
            value = m.plausible_max if m.plausible_max is not None else 1.0
            _set(world, sets, kpi=kpis[kpi.code], value=value, direction=kpi.direction.kind)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/targets/{sets['national'].slug}/").status_code == 200
        return len(queries)

    grow(2)
    few = count()
    grow(12)
    assert count() == few
