"""Loading the demo programme: organisations, people, KPI values, workflow states, targets.

``load_demo()`` is what ``u4ssc demo load`` (and ``make demo``) runs. It builds everything
through the platform's own actions - organisations from the world city registry
(``add_city_from_registry``), values through ``apply_entries`` (the one write path, which
checks every value), years moved through the verification workflow by the people whose job
it is - inside one transaction, so a failed load leaves nothing behind. The real GHG
inventories come in through the transfer app's ``import_file`` with the shipped CDP import
profiles, as an operator's import of those files would. A second call finds
the ``DemoLoad`` record and only reports the accounts; ``reset=True`` removes what the
previous load created first. Decisions: docs/decisions/0601-0605.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from u4ssc.apps.accounts.actions import assign_role
from u4ssc.apps.accounts.models import Role, User
from u4ssc.apps.catalogue.actions import (
    PROGRAMME_SLUG,
    create_target_set,
    ensure_programme_defaults,
    set_target,
)
from u4ssc.apps.catalogue.models import KPI, TargetSet, TargetSetKind
from u4ssc.apps.demo import programme as P
from u4ssc.apps.demo.models import DemoLoad
from u4ssc.apps.demo.sources import CDP_FILES, RealValue, verified_values
from u4ssc.apps.evaluations import actions as ev_actions
from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import (
    Evaluation,
    EvaluationEvent,
    KPIValue,
    State,
    ValueRevision,
    ValueStatus,
)
from u4ssc.apps.organisations.actions import add_city_from_registry, create_organisation
from u4ssc.apps.organisations.models import Organisation, OrgKind
from u4ssc.apps.transfer.actions import import_file, install_builtin_profiles
from u4ssc.apps.transfer.models import ImportProfile, ImportRun
from u4ssc.core import registry
from u4ssc.core.catalogue import Catalogue, load_catalogue
from u4ssc.core.synthetic import Event, SyntheticRow, generate, illustrative_targets, make_profile
from u4ssc.core.synthetic.generator import AnchorKey

Say = Callable[[str], None]

GHOST_PREFIX = "demo-"  # usernames of the demo's people who cannot log in
SYNTHETIC_SOURCE = "Synthetic demo value (generated, seed {seed})"
ATTESTATION_SYNTHETIC = (
    "Demo attestation: every value was checked against its components and the year before. "
    "The values are synthetic (generated for the demo); no real verification took place."
)
ATTESTATION_REPORT = (
    "Values transcribed from the published {source}. The original verification was carried "
    "out for U4SSC; this is the demo's re-enactment of it."
)
ATTESTATION_CDP = (
    "Value imported from the city's inventory in the CDP-ICLEI city-wide emissions file "
    "reported in {reported}, with the platform's import profile (emissions over the population "
    "the city reported). Demo re-enactment of a verification."
)


class DemoConflict(Exception):
    """The platform already holds something the demo would create (a city, a username)."""


@dataclass
class DemoReport:
    """What a load did, for the command line."""

    created: bool
    seconds: float
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    accounts: tuple[P.Account, ...] = P.ACCOUNTS


def demo_loaded() -> DemoLoad | None:
    return DemoLoad.objects.first()


def load_demo(*, seed: int = P.SEED, reset: bool = False, say: Say | None = None) -> DemoReport:
    """Load the demo programme unless it is loaded (``reset`` removes it first)."""
    say = say or (lambda _msg: None)
    if reset:
        removed = reset_demo()
        say(f"removed the previous demo ({removed} organisations)")
    existing = demo_loaded()
    if existing is not None:
        return DemoReport(False, existing.seconds, existing.seed, dict(existing.counts))
    started = time.perf_counter()
    with transaction.atomic():
        loader = _Loader(seed, say)
        counts = loader.run()
        seconds = round(time.perf_counter() - started, 1)
        DemoLoad.objects.create(
            seed=seed, seconds=seconds, counts=counts, objects_created=loader.created
        )
    return DemoReport(True, seconds, seed, counts)


@transaction.atomic
def reset_demo() -> int:
    """Remove what the demo load created: its organisations with their data, target sets
    and people. Returns the number of organisations removed."""
    created: dict[str, list] = {"organisations": [], "users": [], "import_runs": []}
    for load in DemoLoad.objects.all():
        for key in created:
            created[key].extend(load.objects_created.get(key, []))
    orgs = Organisation.objects.filter(slug__in=created["organisations"])
    ImportRun.objects.filter(pk__in=created["import_runs"]).delete()
    Evaluation.objects.filter(city__in=orgs).delete()
    TargetSet.objects.filter(owner__in=orgs).delete()
    User.objects.filter(username__in=created["users"]).delete()
    count = orgs.count()
    orgs.delete()
    DemoLoad.objects.all().delete()
    return count


# ---------------------------------------------------------------------------------------


class _Loader:
    def __init__(self, seed: int, say: Say) -> None:
        self.seed = seed
        self.say = say
        self.t0, self.cpu0 = time.perf_counter(), time.process_time()
        self.cat: Catalogue = load_catalogue()
        self.created: dict[str, list] = {"organisations": [], "users": [], "import_runs": []}
        self.users: dict[str, User] = {}
        self.groups: dict[str, Organisation] = {}
        self.cities: dict[str, Organisation] = {}  # registry name -> city
        self.officers: dict[int, User] = {}  # city id -> its data officer
        self.verifiers: dict[int, User] = {}  # city id -> the verifier of its group
        self.real_years: dict[tuple[int, int], str] = {}  # (city id, year) -> attestation
        self.not_before: dict[tuple[int, int], datetime] = {}  # (city id, year) -> imported
        self.places: dict[str, registry.RegistryCity] = {}  # registry name -> place
        self.counts: dict[str, int] = defaultdict(int)

    def step(self, message: str) -> None:
        wall, cpu = time.perf_counter() - self.t0, time.process_time() - self.cpu0
        self.say(f"{wall:5.1f} s ({cpu:4.1f} s CPU)  {message}")

    def run(self) -> dict[str, int]:
        self._check_free()
        programme = self._programme()
        self._groups_and_cities(programme)
        self._people()
        self._import_cdp()
        real = self._real_values()
        rows = self._generate(real)
        self._write_values(rows, real)
        self._workflow()
        self._backdate()
        self._target_sets()
        self.step("done")
        return dict(self.counts)

    # ------------------------------------------------------------------ organisations
    def _check_free(self) -> None:
        """Refuse before writing anything if a demo city or username is already taken."""
        users = User.objects.filter(username__in=[a.username for a in P.ACCOUNTS])
        if users.exists():  # answered before the registry is built
            self._refuse(list(users.values_list("username", flat=True)))
        self.places = {}
        for city in P.CITIES:
            place = registry.find_city(city.name, city.country)
            if place is None:
                raise LookupError(f"{city.name} ({city.country}) is not in the city registry")
            self.places[city.name] = place
        self.step(f"found the {len(self.places)} demo cities in the world city registry")
        taken = Organisation.objects.filter(
            geonames_id__in=[p.geonames_id for p in self.places.values()]
        )
        if taken.exists():
            self._refuse(list(taken.values_list("name", flat=True)))

    @staticmethod
    def _refuse(taken: list[str]) -> None:
        raise DemoConflict(
            "The demo needs a platform without its cities and accounts, but these exist "
            f"already: {', '.join(sorted(taken))}. Load it into a fresh database."
        )

    def _programme(self) -> Organisation:
        ensure_programme_defaults()
        programme = Organisation.objects.get(slug=PROGRAMME_SLUG)
        admin = self._account(next(a for a in P.ACCOUNTS if a.role == Role.PROGRAMME_ADMIN))
        assign_role(user=admin, role=Role.PROGRAMME_ADMIN, organisation=programme)
        return programme

    def _groups_and_cities(self, programme: Organisation) -> None:
        admin = self.users["admin"]
        by_slug = {PROGRAMME_SLUG: programme}
        for group in P.GROUPS:
            org = create_organisation(
                actor=admin,
                kind=group.kind,
                name=group.name,
                country_code=group.country_code,
                groups=[by_slug[group.parent]],
                description=group.description,
                is_synthetic=group.is_synthetic,
            )
            by_slug[group.slug] = org
            self.groups[group.slug] = org
            self.created["organisations"].append(org.slug)
        self.step(f"{len(P.GROUPS)} hubs and national programmes")
        for city in P.CITIES:
            org = add_city_from_registry(
                actor=admin,
                geonames_id=self.places[city.name].geonames_id,
                groups=[self.groups[city.group]],
            )
            self.cities[city.name] = org
            self.created["organisations"].append(org.slug)
        self.counts["cities"] = len(self.cities)
        self.step(f"{len(self.cities)} cities added from the registry")

    # ------------------------------------------------------------------ people
    def _account(self, account: P.Account) -> User:
        user = User(
            username=account.username,
            display_name=account.display_name,
            is_staff=account.is_superuser,
            is_superuser=account.is_superuser,
        )
        user.set_password(account.password)
        user.save()
        self.users[account.username] = user
        self.created["users"].append(account.username)
        return user

    def _ghost(self, username: str, display_name: str) -> User:
        user = User(username=username, display_name=display_name)
        user.set_unusable_password()
        user.save()
        self.created["users"].append(username)
        return user

    def _scope(self, scope: str) -> Organisation:
        if scope.startswith("city:"):
            return self.cities[scope.removeprefix("city:")]
        if scope == PROGRAMME_SLUG:
            return Organisation.objects.get(slug=PROGRAMME_SLUG)
        return self.groups[scope]

    def _people(self) -> None:
        for account in P.ACCOUNTS:
            if account.role == Role.PROGRAMME_ADMIN:
                continue
            user = self._account(account)
            assign_role(user=user, role=account.role, organisation=self._scope(account.scope))
        officer_of = {
            a.scope.removeprefix("city:"): self.users[a.username]
            for a in P.ACCOUNTS
            if a.role == Role.CITY_OFFICER
        }
        for name, city in self.cities.items():
            officer = officer_of.get(name) or self._ghost(
                f"{GHOST_PREFIX}officer-{city.slug}", f"{city.name} data officer (demo)"
            )
            if name not in officer_of:
                assign_role(user=officer, role=Role.CITY_OFFICER, organisation=city)
            self.officers[city.id] = officer
        hub_verifier = {}
        for group in P.GROUPS:
            if group.kind != OrgKind.HUB:
                continue
            verifier = self._ghost(
                f"{GHOST_PREFIX}verifier-{group.slug}", f"Verifier, {group.name}"
            )
            assign_role(user=verifier, role=Role.VERIFIER, organisation=self.groups[group.slug])
            hub_verifier[group.slug] = verifier
        for city in P.CITIES:
            org = self.cities[city.name]
            self.verifiers[org.id] = (
                self.users["verifier"] if city.group == P.NORWAY else hub_verifier[city.group]
            )
        self.counts["people"] = len(self.created["users"])
        self.step(f"{len(P.ACCOUNTS)} demo accounts, {len(self.cities)} data officers")

    # ------------------------------------------------------------------ values
    def _import_cdp(self) -> None:
        """The real GHG inventories: the demo's copies of CDP files (their demo-city rows),
        imported through the transfer app's shipped profiles as an operator imports a
        third-party table (``u4ssc import FILE --profile ...``: no permission check, channel
        ``cli``). Importing the original files again finds every value unchanged."""
        install_builtin_profiles()
        cities = list(self.cities.values())
        for cdp in CDP_FILES:
            profile = ImportProfile.objects.get(slug=cdp.profile)
            with cdp.path.open("rb") as fh:
                run, report = import_file(
                    actor=None,
                    stream=fh,
                    file_name=cdp.name,
                    profile=profile,
                    channel="cli",
                    check_permission=False,
                )
            if report.refused:
                problems = "; ".join(f"{f.row} {f.message}" for f in report.errors)
                raise ValueError(f"the demo's copy of {cdp.name} was refused: {problems[:2000]}")
            # imported the year after the cities reported (the workflow dates follow)
            imported = datetime(cdp.reported + 1, 3, 1, 10, tzinfo=UTC)
            ImportRun.objects.filter(pk=run.pk).update(started_at=imported)
            self.created["import_runs"].append(run.pk)
            for city_id, year in Evaluation.objects.filter(city__in=cities).values_list(
                "city_id", "year"
            ):
                if (city_id, year) not in self.real_years:
                    self.real_years[(city_id, year)] = ATTESTATION_CDP.format(reported=cdp.reported)
                    self.not_before[(city_id, year)] = imported
            self.counts["real values"] += report.created
            self.counts["warnings"] += report.warning_count
            self.step(
                f"{cdp.name}: {report.created} real values imported with the profile "
                f"{cdp.profile} ({report.skipped} rows skipped)"
            )

    def _real_values(self) -> list[tuple[RealValue, Organisation]]:
        """The values of the verification reports, with the city they belong to."""
        out: list[tuple[RealValue, Organisation]] = []
        names = {(c.name, c.country) for c in P.CITIES}
        for value in verified_values(self.cat):
            if (value.city, value.country) not in names:
                raise LookupError(f"real value for {value.city}, which is not a demo city")
            city = self.cities[value.city]
            out.append((value, city))
            report = value.source.split(": http")[0]
            self.real_years[(city.id, value.year)] = ATTESTATION_REPORT.format(source=report)
        return out

    def _anchors(self, real: Sequence[tuple[RealValue, Organisation]]) -> dict[AnchorKey, float]:
        """The real values the generated series pass through: the reports' and the
        imported CDP inventories (stored already, their value computed by the platform)."""
        anchors: dict[AnchorKey, float] = {}
        for value, city in real:
            if value.status == ValueStatus.REPORTED:
                key = (city.slug, value.year, self.cat.get(value.kpi_code).key, value.data_point)
                anchors[key] = float(value.value or 0.0)
        imported = KPIValue.objects.filter(
            evaluation__city__in=list(self.cities.values()),
            status=ValueStatus.REPORTED,
            value__isnull=False,
        )
        for slug, year, key, point, v in imported.values_list(
            "evaluation__city__slug", "evaluation__year", "kpi__key", "data_point", "value"
        ):
            anchors[(slug, year, key, point)] = float(v)
        return anchors

    def _generate(self, real: Sequence[tuple[RealValue, Organisation]]) -> list[SyntheticRow]:
        profiles = [
            make_profile(
                key=self.cities[c.name].slug,
                name=c.name,
                country_code=c.country,
                population=self.cities[c.name].population or 10_000,
                latitude=self.cities[c.name].latitude or 0.0,
                first_year=c.first_year,
            )
            for c in P.CITIES
        ]
        events = [
            Event(
                city=self.cities[j.city].slug,
                year=j.year,
                kpi_key=self.cat.get(j.kpi_code).key,
                data_point=j.data_point,
                factor=j.factor,
                note=j.note,
            )
            for j in P.JUMPS
        ]
        rows = generate(
            self.cat,
            profiles,
            P.YEARS,
            np.random.default_rng(self.seed),
            anchors=self._anchors(real),
            events=events,
            source=SYNTHETIC_SOURCE.format(seed=self.seed),
        )
        self.step(f"generated {len(rows)} synthetic rows (seed {self.seed})")
        return rows

    def _write_values(
        self, rows: Sequence[SyntheticRow], real: Sequence[tuple[RealValue, Organisation]]
    ) -> None:
        slug_to_city = {c.slug: c for c in self.cities.values()}
        pick = np.random.default_rng([self.seed, 1])
        by_year: dict[int, list[ValueInput]] = defaultdict(list)
        for value, city in real:
            by_year[value.year].append(
                ValueInput(
                    city_id=city.id,
                    year=value.year,
                    kpi_code=value.kpi_code,
                    data_point=value.data_point,
                    status=value.status,
                    numerator=value.numerator,
                    denominator=value.denominator,
                    value=value.value,
                    unit=value.unit,
                    source=value.source,
                    notes=value.notes,
                    is_synthetic=False,
                    ref=f"{city.name} {value.year} (real)",
                )
            )
            self.counts["real values"] += 1
        for row in rows:
            city = slug_to_city[row.city]
            if (city.id, row.year) in self.real_years:
                continue  # a year with real data holds only the real values
            plan = P.plan_for(city.name, row.year)
            if plan.state == "absent" or (plan.share < 1 and pick.random() >= plan.share):
                continue
            ratio = row.numerator is not None
            by_year[row.year].append(
                ValueInput(
                    city_id=city.id,
                    year=row.year,
                    kpi_code=row.kpi_key,
                    data_point=row.data_point,
                    status=row.status,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    value=None if ratio else row.value,
                    unit=row.unit if row.status == ValueStatus.REPORTED else "",
                    source=row.source,
                    quality=row.quality,
                    notes=row.notes,
                    is_synthetic=True,
                    ref=f"{city.name} {row.year}",
                )
            )
            self.counts["synthetic values"] += 1
        for year in sorted(by_year):  # year by year: each year is checked against the last
            result = apply_entries(
                actor=None,
                inputs=by_year[year],
                channel="demo",
                reason=f"Demo data (seed {self.seed})",
                check_permission=False,
            )
            if not result.ok:
                problems = "; ".join(f"{p.ref} {p.kpi_code}: {p.message}" for p in result.errors)
                raise ValueError(f"demo values for {year} refused: {problems[:2000]}")
            self.counts["warnings"] += len(result.warnings)
        self.step(
            f"{self.counts['synthetic values']} synthetic and {self.counts['real values']} real "
            f"values written through apply_entries ({self.counts['warnings']} warnings)"
        )
        # Ålesund's latest year: open, empty, waiting for the workbook.
        for (name, year), plan in P.PLANS.items():
            if plan.state == "draft" and plan.share == 0:
                officer = self.officers[self.cities[name].id]
                ev_actions.ensure_evaluation(actor=officer, city=self.cities[name], year=year)

    # ------------------------------------------------------------------ workflow
    def _workflow(self) -> None:
        admin = self.users["admin"]
        self._acknowledge_jumps()
        states: dict[str, int] = defaultdict(int)
        evaluations = Evaluation.objects.filter(city__in=list(self.cities.values()))
        for ev in evaluations.select_related("city").order_by("year", "city__name"):
            attestation = self.real_years.get((ev.city_id, ev.year))
            plan = P.Plan("published") if attestation else P.plan_for(ev.city.name, ev.year)
            target = "draft" if plan.state == "absent" else plan.state
            officer, verifier = self.officers[ev.city_id], self.verifiers[ev.city_id]
            if target != "draft" and ev.values.filter(status=ValueStatus.REPORTED).exists():
                ev_actions.submit_evaluation(actor=officer, evaluation=ev)
                if target != "submitted":
                    ev_actions.start_review(actor=verifier, evaluation=ev)
                    self._review(ev, verifier, plan)
                if target in ("verified", "published"):
                    ev_actions.verify_evaluation(
                        actor=verifier,
                        evaluation=ev,
                        attestation=attestation or ATTESTATION_SYNTHETIC,
                    )
                if target == "published":
                    ev_actions.publish_evaluation(actor=admin, evaluation=ev)
            states[ev.state] += 1
        for state, n in sorted(states.items()):
            self.counts[f"years {state}"] = n
        self.step(
            "years moved through the workflow: "
            + ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
        )

    def _jump_values(self, ev: Evaluation) -> list[tuple[P.Jump, KPIValue]]:
        out = []
        for jump in P.JUMPS:
            if self.cities[jump.city].id == ev.city_id and jump.year == ev.year:
                kpi = self.cat.get(jump.kpi_code)
                value = ev.values.get(kpi__key=kpi.key, data_point=jump.data_point)
                out.append((jump, value))
        return out

    def _acknowledge_jumps(self) -> None:
        for jump in P.JUMPS:
            if not jump.acknowledged:
                continue
            city = self.cities[jump.city]
            ev = Evaluation.objects.get(city=city, year=jump.year)
            for j, value in self._jump_values(ev):
                if j is jump and any(i.get("code") == "yoy_jump" for i in value.issues):
                    ev_actions.acknowledge_warning(
                        actor=self.officers[city.id],
                        value=value,
                        check_code="yoy_jump",
                        reason=jump.acknowledged,
                    )

    def _review(self, ev: Evaluation, verifier: User, plan: P.Plan) -> None:
        if plan.state == "in_review":
            ids = list(
                ev.values.filter(status=ValueStatus.REPORTED)
                .order_by("kpi__position", "data_point")
                .values_list("id", flat=True)
            )
            ev_actions.accept_values(
                actor=verifier, evaluation=ev, value_ids=ids[: int(len(ids) * plan.accepted)]
            )
            return
        returned = [(j, v) for j, v in self._jump_values(ev) if j.returned]
        if plan.state == "returned":
            ev_actions.accept_values(
                actor=verifier,
                evaluation=ev,
                value_ids=ev.values.exclude(id__in=[v.id for _j, v in returned]).values_list(
                    "id", flat=True
                ),
            )
            for jump, value in returned:
                ev_actions.review_value(
                    actor=verifier, value=value, accept=False, comment=jump.returned
                )
            ev_actions.return_evaluation(
                actor=verifier, evaluation=ev, comment="One value needs checking: see its comment."
            )
            return
        ev_actions.accept_values(actor=verifier, evaluation=ev)

    # ------------------------------------------------------------------ dates
    def _backdate(self) -> None:
        """Spread the workflow over the year after each data year (the steps were all taken
        just now): data entered from February, submitted in spring, verified and published
        over the summer; an imported CDP year not before its file was imported. Nothing is
        dated in the future."""
        now = timezone.now()
        evaluations = list(
            Evaluation.objects.filter(city__in=list(self.cities.values())).order_by("id")
        )
        events = defaultdict(list)
        for event in EvaluationEvent.objects.filter(evaluation__in=evaluations).order_by("id"):
            events[event.evaluation_id].append(event)
        changed_events: list[EvaluationEvent] = []
        for ev in evaluations:
            offset = (ev.city_id * 7919 + ev.year) % 45  # a steady spread between cities
            entered = min(
                max(
                    datetime(ev.year + 1, 2, 1, 9, tzinfo=UTC) + timedelta(days=offset),
                    self.not_before.get((ev.city_id, ev.year), datetime.min.replace(tzinfo=UTC)),
                ),
                now - timedelta(days=30),
            )
            step = timedelta(days=12)
            moment = entered + timedelta(days=20)
            for event in events[ev.id]:
                moment = min(moment + step, now)
                event.at = moment
                changed_events.append(event)
                if event.to_state == State.SUBMITTED:
                    ev.submitted_at = moment
                elif event.to_state == State.VERIFIED:
                    ev.verified_at = moment
                elif event.to_state == State.PUBLISHED:
                    ev.published_at = moment
            ev.created_at = entered
            ev.updated_at = moment
        Evaluation.objects.bulk_update(
            evaluations,
            ["created_at", "updated_at", "submitted_at", "verified_at", "published_at"],
            batch_size=500,
        )
        EvaluationEvent.objects.bulk_update(changed_events, ["at"], batch_size=1000)
        # Values were entered when their evaluation was opened, reviewed when it was verified.
        ours = Evaluation.objects.filter(id__in=[ev.id for ev in evaluations])
        opened = Evaluation.objects.filter(id=OuterRef("evaluation_id")).values("created_at")
        closed = (
            Evaluation.objects.filter(id=OuterRef("evaluation_id"))
            .annotate(closed=Coalesce("verified_at", "updated_at"))
            .values("closed")
        )
        KPIValue.objects.filter(evaluation__in=ours).update(updated_at=Subquery(opened[:1]))
        KPIValue.objects.filter(evaluation__in=ours, reviewed_at__isnull=False).update(
            reviewed_at=Subquery(closed[:1])
        )
        entered_at = KPIValue.objects.filter(id=OuterRef("value_id")).values("updated_at")
        ValueRevision.objects.filter(value__evaluation__in=ours).update(
            changed_at=Subquery(entered_at[:1])
        )
        self.step("workflow dates spread over the years")

    # ------------------------------------------------------------------ targets
    def _target_sets(self) -> None:
        national = self.groups[P.NORWAY]
        alesund = self.cities["Ålesund"]
        sets = [
            (
                self.users["norway"],
                f"Norway national targets - {P.ILLUSTRATIVE}",
                TargetSetKind.NATIONAL,
                national,
                0.0,
            ),
            (
                self.users["alesund"],
                f"Ålesund city goals - {P.ILLUSTRATIVE}",
                TargetSetKind.CITY,
                alesund,
                0.25,
            ),
        ]
        kpis = {k.key: k for k in KPI.objects.all()}
        for actor, name, kind, owner, ambition in sets:
            target_set = create_target_set(
                actor=actor,
                name=name,
                kind=kind,
                owner=owner,
                description=(
                    f"{P.ILLUSTRATIVE}. Levels that leading cities reach in the demo's "
                    "synthetic data, so the benchmarking pages have something to score. "
                    "They are not targets of Norway, of Ålesund or of U4SSC."
                ),
            )
            for t in illustrative_targets(self.cat, ambition=ambition):
                set_target(
                    actor=actor,
                    target_set=target_set,
                    kpi=kpis[t["kpi_key"]],
                    data_point=t["data_point"],
                    value=t["value"],
                    direction=t["direction"],
                    range_low=t["range_low"],
                    range_high=t["range_high"],
                    source=P.DEMO_TARGET_SOURCE,
                )
                self.counts["targets"] += 1
        self.step(f"{self.counts['targets']} illustrative targets in 2 target sets")
