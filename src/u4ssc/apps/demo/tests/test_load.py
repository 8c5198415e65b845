"""Loading the whole demo programme into the test database, as ``make demo`` does.

One scenario test: the load takes tens of seconds, so it runs once and the checks follow it
(inside the test's transaction, rolled back afterwards).
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from u4ssc.apps.accounts.models import Role, User
from u4ssc.apps.accounts.permissions import Action, can
from u4ssc.apps.catalogue.models import TargetSet, TargetSetKind
from u4ssc.apps.demo import programme as P
from u4ssc.apps.demo.actions import load_demo, reset_demo
from u4ssc.apps.demo.models import DemoLoad
from u4ssc.apps.demo.sources import CDP_ATTRIBUTION, CDP_FILES
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer.models import ImportRun
from u4ssc.cli import main
from u4ssc.core.registry import find_city

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The CDP files as published (the demo ships only their demo-city rows).
SHARED_CDP = Path(__file__).resolve().parents[5].parent / "shared/data/cdp-citywide-emissions"


def _cities_by_group():
    """City -> the hub it sits under (directly or through the national programme)."""
    hubs = {o.id: o for o in Organisation.objects.filter(kind=OrgKind.HUB)}
    out = {}
    for city in Organisation.objects.filter(kind=OrgKind.CITY).prefetch_related("groups__groups"):
        for group in city.groups.all():
            if group.id in hubs:
                out[city] = hubs[group.id]
            for parent in group.groups.all():
                if parent.id in hubs:
                    out[city] = hubs[parent.id]
    return out


def test_loading_the_demo_programme(client, settings):
    # when the demo is loaded into an empty platform
    report = load_demo()
    assert report.created

    # then Norway's national programme has at least 15 cities with at least 5 years each
    norway = Organisation.objects.get(kind=OrgKind.NATIONAL_PROGRAMME, country_code="NO")
    norwegian = list(norway.members.filter(kind=OrgKind.CITY))
    assert len(norwegian) >= 15
    for city in norwegian:
        assert city.evaluations.filter(year__in=P.YEARS).count() >= 5, city
    assert {"Ålesund", "Trondheim", "Stavanger", "Karmøy", "Bærum", "Kristiansund"} <= {
        c.name for c in norwegian
    }

    # and at least 50 other cities in at least 3 hubs
    hub_of = _cities_by_group()
    others = {c: h for c, h in hub_of.items() if c.country_code != "NO"}
    assert len(others) >= 50
    assert len(set(others.values())) >= 3

    # and every city carries the registry's facts
    for city in hub_of:
        place = find_city(city.name, city.country_code)
        assert place is not None and city.geonames_id == place.geonames_id
        assert (city.latitude, city.longitude) == (place.latitude, place.longitude)
        assert city.population and city.size_class and city.region == place.region

    # and hubs invented for the demo say so
    assert Organisation.objects.get(name__startswith="U4SSC Nordic Hub").is_synthetic
    assert not norway.is_synthetic

    # and every generated value is synthetic, on a synthetic evaluation
    values = KPIValue.objects.select_related("evaluation")
    generated = values.filter(source__startswith="Synthetic demo value")
    assert generated.count() > 20_000
    assert not generated.filter(is_synthetic=False).exists()
    assert not generated.filter(evaluation__is_synthetic=False).exists()
    assert generated.first().source == f"Synthetic demo value (generated, seed {P.SEED})"

    # and every real value is not, and names its source: the verification reports with
    # their address, the CDP inventories as the import profile writes it, with attribution
    real = values.filter(is_synthetic=False)
    assert real.count() >= 70
    for value in real:
        assert not value.evaluation.is_synthetic
    reports = real.exclude(kpi__code="EN: EN: AQ: 2C")
    assert reports.count() == 28
    for value in reports:
        assert "https://" in value.source, value.source
    karmoy = real.filter(evaluation__city__name="Karmøy", evaluation__year=2020)
    assert karmoy.get(kpi__code="EC: ICT: ICT: 1C").value == 97.0
    assert "U4SSC Verification Report" in karmoy.first().source
    assert "webchannel-proxy" not in "".join(real.values_list("source", flat=True))
    cdp = real.filter(kpi__code="EN: EN: AQ: 2C")
    assert cdp.count() >= 40
    for value in cdp:
        assert value.source.startswith("CDP city-wide emissions reported in 20"), value.source
        assert value.source.endswith(f"{CDP_ATTRIBUTION}."), value.source
    oslo = cdp.get(evaluation__city__name="Oslo", evaluation__year=2017)
    assert oslo.numerator == 791886 and oslo.denominator == 673469
    assert oslo.source == (
        f"CDP city-wide emissions reported in 2019, account 14088. {CDP_ATTRIBUTION}."
    )
    # imported by the transfer app, one run per file, as an operator's import
    runs = ImportRun.objects.order_by("id")
    assert [r.file_name for r in runs] == [f.name for f in CDP_FILES]
    assert {(r.channel, r.outcome, r.started_by) for r in runs} == {("cli", "written", None)}
    assert sum(r.created for r in runs) == cdp.count()
    imported = {r.file_name: r.created for r in runs}

    # and real years are published
    for name, year in [("Karmøy", 2020), ("Stavanger", 2021), ("Oslo", 2017)]:
        assert Evaluation.objects.get(city__name=name, year=year).state == State.PUBLISHED

    # when the CDP files the demo uses are imported again with their profiles, as a dry run
    # (the originals when ../shared is there, else the demo's copies of their rows)
    for cdp in CDP_FILES:
        original = SHARED_CDP / cdp.name
        path = original if original.exists() else cdp.path
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["import", str(path), "--profile", cdp.profile, "--dry-run", "--json"])
        # then nothing would change: every value the file gives is the demo's, unchanged
        answer = json.loads(out.getvalue())
        assert code == 0, answer["findings"][:3]
        assert (answer["created"], answer["updated"]) == (0, 0)
        assert answer["unchanged"] == imported[cdp.name] > 0

    # and only the deliberate jumps carry a year-on-year warning
    flagged = {
        (v.evaluation.city.name, v.evaluation.year)
        for v in values.exclude(issues=[]).select_related("evaluation__city")
    }
    assert flagged == {(j.city, j.year) for j in P.JUMPS}

    # and Ålesund's latest year is an open draft with no values
    alesund = Evaluation.objects.get(city__name="Ålesund", year=P.LATEST)
    assert alesund.state == State.DRAFT and not alesund.values.exists()

    # and the verifier has work: Trondheim's latest year is submitted, in their scope
    verifier = User.objects.get(username="verifier")
    trondheim = Evaluation.objects.get(city__name="Trondheim", year=P.LATEST)
    assert trondheim.state == State.SUBMITTED
    assert can(verifier, Action.REVIEW, trondheim)

    # and most past years are published, verified by a verifier with an attestation
    states = Counter(Evaluation.objects.filter(year__lt=P.LATEST).values_list("state", flat=True))
    assert states[State.PUBLISHED] > 0.9 * sum(states.values())
    published = Evaluation.objects.filter(state=State.PUBLISHED)
    assert not published.filter(attestation="").exists()
    assert not published.filter(verifier__isnull=True).exists()
    assert (
        not KPIValue.objects.filter(evaluation__state=State.PUBLISHED, status=ValueStatus.REPORTED)
        .exclude(review_status="accepted")
        .exists()
    )

    # and no workflow step is dated in the future or before its data year ended
    for ev in published:
        assert ev.year < ev.submitted_at.year <= ev.published_at.year

    # and one account per role can log in
    roles = {a.role for a in P.ACCOUNTS}
    assert roles == set(Role.values)
    for account in P.ACCOUNTS:
        assert client.login(username=account.username, password=account.password), account
        user = User.objects.get(username=account.username)
        assert user.roles.filter(role=account.role).exists()
        client.logout()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="demo-officer-trondheim").has_usable_password()

    # and anonymous visitors see published years through the API, marked
    body = client.get("/api/evaluations/values?city=karmoy&year=2020&limit=1000").json()
    assert body["items"] and not any(i["is_synthetic"] for i in body["items"])
    body = client.get("/api/evaluations/values?city=trondheim&limit=1000").json()
    real_years = {i["year"] for i in body["items"] if not i["is_synthetic"]}
    assert body["items"] and real_years == {2017}  # its CDP inventory; the rest generated
    assert {i["evaluation_state"] for i in body["items"]} == {State.PUBLISHED}

    # and the national and city target sets are there, illustrative and saying so
    for kind in (TargetSetKind.NATIONAL, TargetSetKind.CITY):
        target_set = TargetSet.objects.get(kind=kind)
        assert P.ILLUSTRATIVE in target_set.name
        assert target_set.targets.count() >= 60
        assert set(target_set.targets.values_list("source", flat=True)) == {P.DEMO_TARGET_SOURCE}
    default = TargetSet.objects.get(is_default=True)
    assert TargetSet.objects.get(kind=TargetSetKind.NATIONAL).targets.count() > (
        2 * default.targets.count()
    )

    # when it is loaded again (by the command, in the embedded mode)
    settings.DEBUG = True
    started = time.perf_counter()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "load"]) == 0
    # then nothing changes, quickly, and the accounts are printed with the warning
    assert time.perf_counter() - started < 5
    assert DemoLoad.objects.count() == 1
    assert Evaluation.objects.count() == sum(
        report.counts[k] for k in report.counts if k.startswith("years ")
    )
    text = out.getvalue()
    assert "already loaded" in text and "WARNING" in text
    for account in P.ACCOUNTS:
        assert account.username in text and account.password in text

    # when it is reset, then nothing of it is left
    demo_runs = list(ImportRun.objects.filter(dry_run=False).values_list("id", flat=True))
    removed = reset_demo()
    assert removed == len(P.CITIES) + len(P.GROUPS)
    assert not Organisation.objects.filter(kind=OrgKind.CITY).exists()
    assert not User.objects.filter(username__in=[a.username for a in P.ACCOUNTS]).exists()
    assert not DemoLoad.objects.exists()
    assert not ImportRun.objects.filter(id__in=demo_runs).exists()
    assert Organisation.objects.filter(slug="u4ssc").exists()  # the programme stays
