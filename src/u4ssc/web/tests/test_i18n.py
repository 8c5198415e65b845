"""Every page works in Norwegian Bokmål: complete catalogues, and no English left on the pages.

The page tests render each page twice, at ``/...`` and at ``/nb/...``. The English phrases
checked are the msgids of the catalogues that belong to what the page rendered: the strings
of its templates (found by the catalogue's ``#:`` references), the labels and messages of
its apps' Python files (capitalised msgids: Django's verbose names are lowercase and are
not shown on pages), and the KPI names of the generated catalogue. Of those, the ones the
English page shows must all be gone from the Norwegian page. Data shown as stored (KPI
definitions, target sources, units) is the same in both languages and left out.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from u4ssc.apps.accounts.actions import create_api_token
from u4ssc.apps.evaluations import actions
from u4ssc.apps.evaluations.actions import ValueInput, apply_entries
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, ValueStatus
from u4ssc.apps.tasks.models import Task, TaskState
from u4ssc.core.catalogue import load_catalogue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = ROOT / "src" / "u4ssc"
GENERATED = PACKAGE / "apps/catalogue/locale/nb/LC_MESSAGES/django.po"
PO_FILES = sorted(PACKAGE.rglob("locale/nb/LC_MESSAGES/django.po"))


def _load_tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "u4ssc_tools_messages", ROOT / "tools/messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _name(po: Path) -> str:
    return str(po.relative_to(PACKAGE))


# ------------------------------------------------------------------ the catalogues


@pytest.mark.parametrize("po", PO_FILES, ids=_name)
def test_catalogue_is_valid_and_fully_translated(po):
    # msgfmt --check also compares the placeholders of msgid and msgstr (python-format).
    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    entries = tool.messages(po)
    assert entries
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{_name(po)}: untranslated: {untranslated}"
    assert not fuzzy, f"{_name(po)}: fuzzy (msgmerge's guess, to be checked): {fuzzy}"


@pytest.mark.parametrize("po", [p for p in PO_FILES if p != GENERATED], ids=_name)
def test_catalogue_has_the_bokmal_plural_rule(po):
    header = tool.read_po(po)[0]
    assert header.msgid == ""
    assert "Language: nb\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]
    plurals = [e for e in tool.messages(po) if e.msgid_plural]
    assert all(len(e.msgstr) == 2 for e in plurals)


# The generated KPI catalogue writes the data file's names; where a name is also a word of
# another app, the pair is listed here with why it may differ.
DIFFERENT_ON_PURPOSE = {
    # a KPI component ("folketall") and an organisation field ("innbyggertall"); the
    # organisations app comes first in INSTALLED_APPS, so pages say "innbyggertall"
    "population",
}


def test_one_english_string_has_one_bokmal_translation():
    # Django merges every catalogue into one per language: which file wins for a msgid
    # depends on the order of the apps, so all files must agree.
    seen: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = {}
    for po in PO_FILES:
        for e in tool.messages(po):
            seen.setdefault(e.key, {}).setdefault(tuple(e.msgstr), []).append(_name(po))
    conflicts = {
        key: found
        for key, found in seen.items()
        if len(found) > 1 and key[1] not in DIFFERENT_ON_PURPOSE
    }
    assert not conflicts


def test_every_marked_string_is_in_its_catalogue():
    # makemessages on a copy of the sources; the working tree is left as it is.
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/messages.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------ pages


class _Text(HTMLParser):
    """What a person reads or hears: text, and the labels kept in attributes."""

    ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str, data: list[str]) -> str:
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for item in data:
        text = text.replace(" ".join(item.split()), " ")
    return text


_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|%%")


@dataclass
class Phrase:
    msgid: str
    po: str
    pattern: re.Pattern[str]
    own: bool  # the page's own words, not only the header and footer every page has


# Every page has these around its content.
FRAME = {
    PACKAGE / "web/templates/web" / name
    for name in ("base.html", "partials/nav.html", "partials/user_menu.html")
}


def _pattern(text: str) -> re.Pattern[str] | None:
    """``text`` (a msgid) as a regular expression; placeholders match the values."""
    parts = _PLACEHOLDER.split(" ".join(text.split()))
    if sum(c.isalpha() for c in "".join(parts)) < 2:
        return None
    body = ".{1,80}?".join(re.escape(p) for p in parts)
    body = body.replace(re.escape("%%"), "%")
    return re.compile(rf"(?<!\w){body}(?!\w)")


def _resolve(po: Path, ref: str) -> Path:
    # Refs are relative to src/u4ssc (tools/messages.py) or to the app (older files).
    for base in (PACKAGE, po.parents[3]):
        if (base / ref).exists():
            return (base / ref).resolve()
    return PACKAGE / ref


def ui_phrases(templates: list[str]) -> list[Phrase]:
    """The English phrases that belong to a page made of these template files."""
    used = {Path(t).resolve() for t in templates}
    code_dirs = {_templates_root(t).parent for t in used}
    phrases = []
    for po in PO_FILES:
        for e in tool.messages(po):
            paths = [_resolve(po, r) for r in e.refs]
            in_templates = {p for p in paths if p in used}
            wanted = (
                po == GENERATED
                or bool(in_templates)
                or (
                    e.msgid[:1].isupper()
                    and any(
                        p.suffix == ".py" and any(d in p.parents for d in code_dirs) for p in paths
                    )
                )
            )
            if not wanted:
                continue
            own = not in_templates or not in_templates <= FRAME
            for english, bokmal in zip(
                [e.msgid, e.msgid_plural or e.msgid], e.msgstr, strict=False
            ):
                pattern = _pattern(english)
                # "KPI" stays "KPI", "Status" stays "Status": nothing to check there.
                if pattern is None or pattern.search(" ".join(bokmal.split())):
                    continue
                phrases.append(Phrase(english, _name(po), pattern, own))
    return phrases


def _templates_root(path: Path) -> Path:
    """The ``templates`` folder a template file lives in (its parent holds the code)."""
    return next(p for p in path.parents if p.name == "templates")


@dataclass
class Rendered:
    english: str
    bokmal: str
    templates: list[str]


def render_both(client: Any, path: str) -> Rendered:
    english = client.get(path)
    assert english.status_code == 200, path
    bokmal = client.get(f"/nb{path}")
    assert bokmal.status_code == 200, path
    assert '<html lang="nb">' in bokmal.content.decode()
    templates = [t.origin.name for t in bokmal.templates if Path(t.origin.name).is_file()]
    return Rendered(english.content.decode(), bokmal.content.decode(), templates)


# KPI codes ("EC: ICT: ICT: 1C") and units ("yes/no", "minutes") stay as they are.
IDENTIFIERS = sorted(
    {
        text
        for kpi in load_catalogue().kpis
        for text in (kpi.code, kpi.unit, *(m.unit for m in kpi.data_points))
        if sum(c.isalpha() for c in text) >= 2
    },
    key=len,
    reverse=True,  # "% of GDP" before "GDP"
)


def assert_no_english(client: Any, path: str, *, data: Sequence[str] = (), least: int = 5) -> None:
    """The page at ``path`` shows none of its English phrases in Bokmål.

    ``data``: stored texts the page shows as they are (the same in both languages).
    ``least``: how many of its own phrases (header and footer aside) the English page
    must show: the check is only worth something if it looked at the page's own words.
    """
    page = render_both(client, path)
    stored = [*data, *IDENTIFIERS]
    english = visible_text(page.english, stored)
    bokmal = visible_text(page.bokmal, stored)
    shown = [p for p in ui_phrases(page.templates) if p.pattern.search(english)]
    own = {p.msgid for p in shown if p.own}
    assert len(own) >= least, f"{path}: only {sorted(own)}"
    left = sorted({f"{p.msgid!r} ({p.po})" for p in shown if p.pattern.search(bokmal)})
    assert not left, f"/nb{path} still shows English: " + "; ".join(left)


INTERNET = "EC: ICT: ICT: 1C"  # a ratio: households with Internet access / total households
MODAL_SPLIT = "EC: I: T: 4A"  # data points per mode of transport
OPEN_DATA = "EC: ICT: PS: 1A"  # data points, one with a "%" in its name
PLANNING = "EC: I: UP: 2A"  # yes/no per planning principle
BROADBAND = "EC: ICT: ICT: 2C"


def _enter(world: Any, year: int) -> None:
    def value(code: str, data_point: str = "", **fields: Any) -> ValueInput:
        fields.setdefault("source", "Statistisk sentralbyrå")
        fields.setdefault("quality", 2)
        return ValueInput(
            city_id=world.city.id, year=year, kpi_code=code, data_point=data_point, **fields
        )

    result = apply_entries(
        actor=world.user("officer"),
        inputs=[
            value(INTERNET, numerator=29_000, denominator=31_000, source=""),  # a warning
            value(MODAL_SPLIT, "private_vehicles", value=48),
            value(MODAL_SPLIT, "public_transport", value=20),
            value(OPEN_DATA, "percent", value=35),
            value(PLANNING, "compact", value=1),
            value(BROADBAND, status=ValueStatus.NOT_AVAILABLE),
        ],
        channel="form",
    )
    assert result.ok, result.errors


@pytest.fixture
def years(world):
    """Ålesund's data in every state a page shows: 2022 published, 2023 in review, 2024
    returned to the officer with a comment and an acknowledged warning."""
    officer, verifier = world.user("officer"), world.user("verifier")
    officer.display_name, verifier.display_name = "Kari Nordmann", "Ola Nordmann"
    officer.save(update_fields=["display_name"])
    verifier.save(update_fields=["display_name"])
    evaluations = {}
    for year in (2022, 2023, 2024):
        _enter(world, year)
        ev = Evaluation.objects.get(city=world.city, year=year)
        actions.submit_evaluation(actor=officer, evaluation=ev, comment="Klart")
        actions.start_review(actor=verifier, evaluation=ev)
        evaluations[year] = ev
    first = KPIValue.objects.filter(evaluation=evaluations[2023]).order_by("id").first()
    actions.review_value(actor=verifier, value=first, accept=True)

    ev = evaluations[2024]
    returned = KPIValue.objects.get(evaluation=ev, kpi__code=OPEN_DATA, data_point="percent")
    actions.review_value(actor=verifier, value=returned, accept=False, comment="Sjekk tallet")
    actions.return_evaluation(actor=verifier, evaluation=ev, comment="Se kommentaren")
    internet = KPIValue.objects.get(evaluation=ev, kpi__code=INTERNET)
    actions.acknowledge_warning(
        actor=officer, value=internet, check_code="source_missing", reason="Kommer senere"
    )
    apply_entries(
        actor=officer,
        inputs=[ValueInput(city_id=world.city.id, year=2024, kpi_code=INTERNET, value=93)],
        channel="form",
    )

    ev = evaluations[2022]
    actions.accept_values(actor=verifier, evaluation=ev)
    actions.verify_evaluation(actor=verifier, evaluation=ev, attestation="Kontrollert mot SSB")
    actions.publish_evaluation(actor=verifier, evaluation=ev)
    return evaluations


def _kpi_data(code: str) -> list[str]:
    kpi = load_catalogue().get(code)
    return [kpi.definition, kpi.decision_note, kpi.source, kpi.unit_label]


def _target_data() -> list[str]:
    from u4ssc.apps.catalogue.models import Target, TargetSet

    return [
        *TargetSet.objects.values_list("name", flat=True),
        *TargetSet.objects.values_list("description", flat=True),
        *Target.objects.values_list("source", flat=True),
    ]


def test_home_page_for_everyone(client):
    assert_no_english(client, "/", least=8)


def test_login_page(client):
    assert_no_english(client, "/accounts/login/", least=3)


def test_login_error_is_norwegian(client, world):
    response = client.post("/nb/accounts/login/", {"username": "officer", "password": "wrong"})
    # Django ships this message in Bokmål itself.
    assert "Vennligst oppgi korrekt brukernavn og passord." in response.content.decode()


def test_kpi_list(client):
    assert_no_english(client, "/kpis/", data=_target_data(), least=100)


@pytest.mark.parametrize("code", [OPEN_DATA, "EC: I: ES: 3C", PLANNING])
def test_kpi_page(client, code):
    from u4ssc.apps.catalogue.views import kpi_slug

    assert_no_english(
        client, f"/kpis/{kpi_slug(code)}/", data=_kpi_data(code) + _target_data(), least=20
    )


def test_target_sets(client):
    assert_no_english(client, "/targets/", data=_target_data(), least=8)
    assert_no_english(client, "/targets/u4ssc-default/", data=_target_data(), least=30)


def test_target_set_editor_and_new_set_page(client, world):
    # given a national set with a target, changed once, seen by its coordinator
    from u4ssc.apps.catalogue import actions as catalogue_actions
    from u4ssc.apps.catalogue.models import KPI

    coordinator = world.user("national")
    coordinator.display_name = "Kari Nordmann"
    coordinator.save(update_fields=["display_name"])
    ts = catalogue_actions.create_target_set(
        actor=coordinator, name="Norge 2030", owner=world.national, description="Nasjonale mål"
    )
    kpi = KPI.objects.get(code=INTERNET)
    for value in (95.0, 97.0):
        catalogue_actions.set_target(
            actor=coordinator,
            target_set=ts,
            kpi=kpi,
            value=value,
            direction="higher",
            source="Nasjonal plan",
        )
    client.force_login(coordinator)
    assert_no_english(client, f"/targets/{ts.slug}/", data=_target_data(), least=25)
    assert_no_english(client, "/targets/new/", data=_target_data(), least=8)


def test_home_and_workspace_for_the_officer(client, world, years):
    client.force_login(world.user("officer"))
    assert_no_english(client, "/", least=8)
    assert_no_english(client, "/data/", least=8)


def test_data_entry_sheet_as_the_officer(client, world, years):
    client.force_login(world.user("officer"))
    # returned, with a verifier's comment, a warning acknowledged, a stale-free edit form
    assert_no_english(client, f"/data/{world.city.slug}/2024/", least=150)


def test_value_history(client, world, years):
    client.force_login(world.user("officer"))
    value = KPIValue.objects.get(evaluation=years[2024], kpi__code=INTERNET)
    assert_no_english(client, f"/data/{world.city.slug}/2024/values/{value.id}/history/", least=12)


def test_review_page_as_the_verifier(client, world, years):
    client.force_login(world.user("verifier"))
    assert_no_english(client, f"/data/{world.city.slug}/2023/review/", least=30)
    assert_no_english(client, "/data/", least=8)


def test_public_city_year_page(client, world, years):
    assert_no_english(client, f"/cities/{world.city.slug}/2022/", least=15)


def test_profile_with_a_token(client, world):
    create_api_token(actor=world.user("officer"), name="skript")
    client.force_login(world.user("officer"))
    assert_no_english(client, "/accounts/me/", least=12)


@pytest.mark.parametrize(
    "state,extra",
    [
        (TaskState.RUNNING, {"progress": 0.4}),
        (TaskState.DONE, {"progress": 1.0, "result": {"download_url": "/x.pdf"}}),
        (TaskState.FAILED, {"error": "ValueError: 42"}),
    ],
)
def test_task_progress_page(client, state, extra):
    task = Task.objects.create(name="reports.city", title="Ålesund 2024", state=state, **extra)
    assert_no_english(client, f"/tasks/{task.pk}/", least=3)


# ------------------------------------------------------------------ texts made in Python


def test_workflow_errors_and_messages_speak_the_readers_language(client, world, years):
    client.force_login(world.user("officer"))
    response = client.post(f"/nb/data/{world.city.slug}/2022/submit/", follow=True)
    assert "Dette steget er ikke mulig mens dataene har status publisert." in (
        response.content.decode()
    )
    with translation.override("nb"), pytest.raises(actions.WorkflowError) as error:
        actions.submit_evaluation(
            actor=world.user("officer"),
            evaluation=Evaluation.objects.create(city=world.city, year=2030),
        )
    assert str(error.value) == "Rapporter minst én KPI før du sender inn."


def test_a_stored_warning_is_shown_in_the_language_of_whoever_reads_it(world, client):
    # given a warning saved by someone working in Norwegian
    with translation.override("nb"):
        result = apply_entries(
            actor=world.user("officer"),
            inputs=[ValueInput(city_id=world.city.id, year=2025, kpi_code=INTERNET, value=90)],
            channel="form",
        )
    assert [p.message for p in result.warnings] == [
        "Oppgi kilden til denne verdien (publikasjon, register, system)."
    ]
    # then it is stored in English and read in each reader's language
    stored = KPIValue.objects.get(evaluation__year=2025).issues
    assert stored[0]["message"].startswith("Name the source")
    client.force_login(world.user("officer"))
    english = client.get(f"/data/{world.city.slug}/2025/").content.decode()
    bokmal = client.get(f"/nb/data/{world.city.slug}/2025/").content.decode()
    assert "Name the source of this value" in english
    assert "Oppgi kilden til denne verdien" in bokmal
    assert "Name the source of this value" not in bokmal


# ------------------------------------------------------------------ benchmarking pages


def _benchmarking_data(world: Any) -> list[str]:
    return [*_target_data(), world.city.name, world.sister.name, world.national.name]


def test_benchmarking_start_and_profile(client, world, years):
    data = _benchmarking_data(world)
    assert_no_english(client, "/benchmarking/", data=data, least=8)
    assert_no_english(client, f"/benchmarking/cities/{world.city.slug}/", data=data, least=25)


def test_benchmarking_kpi_page_with_its_ranking_caveat(client, world, years):
    from u4ssc.apps.catalogue.views import kpi_slug

    path = f"/benchmarking/kpis/{kpi_slug(INTERNET)}/?city={world.city.slug}"
    assert_no_english(client, path, data=_benchmarking_data(world), least=15)
    bokmal = client.get(f"/nb{path}").content.decode()
    assert "Small rank differences" not in bokmal


def test_benchmarking_compare_programme_working_and_history(client, world, years):
    from u4ssc.apps.catalogue.views import kpi_slug

    data = _benchmarking_data(world)
    city, kpi = world.city.slug, kpi_slug(INTERNET)
    assert_no_english(
        client, f"/benchmarking/compare/?cities={city}&cities={world.sister.slug}", data=data
    )
    assert_no_english(client, f"/benchmarking/programmes/{world.national.slug}/", data=data)
    assert_no_english(client, f"/benchmarking/cities/{city}/2022/working/{kpi}/", data=data)
    assert_no_english(client, f"/benchmarking/cities/{city}/history/{kpi}/", data=data)


def test_benchmarking_widgets(client, world, years):
    from u4ssc.apps.catalogue.views import kpi_slug

    data = _benchmarking_data(world)
    city = world.city.slug
    assert_no_english(client, f"/benchmarking/embed/cities/{city}/wheel/", data=data)
    assert_no_english(
        client, f"/benchmarking/embed/cities/{city}/kpis/{kpi_slug(INTERNET)}/", data=data
    )


def test_benchmarking_method_page(client, world):
    # the sources are cited by their published (English) titles
    titles = ["U4SSC KPIs Verification Manual", "Key performance indicators for smart"]
    assert_no_english(client, "/benchmarking/method/", data=titles, least=40)
    assert_no_english(
        client, "/benchmarking/method/?targets=u4ssc-default", data=titles + _target_data()
    )
