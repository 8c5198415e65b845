from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from u4ssc.apps.catalogue.models import KPI, Target, TargetSet
from u4ssc.core.catalogue import load_catalogue

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[5]


def test_migrate_synced_all_91_kpis_and_the_default_target_set():
    assert KPI.objects.count() == 91
    assert set(KPI.objects.values_list("code", flat=True)) == {k.code for k in load_catalogue()}
    default = TargetSet.objects.get(is_default=True)
    assert default.owner.slug == "u4ssc"
    assert default.targets.count() > 10
    assert all(t.source.strip() for t in Target.objects.all())  # every target has a source


def test_catalogue_page_lists_every_kpi_and_downloads_what_is_shown(client):
    page = client.get("/kpis/")
    assert page.status_code == 200
    assert page.content.decode().count('class="kpi-code"') == 91
    env = client.get("/kpis/?dimension=EN&format=csv")
    rows = list(csv.DictReader(io.StringIO(env.content.decode())))
    assert rows and all(r["dimension_code"] == "EN" for r in rows)
    assert len(rows) == sum(1 for k in load_catalogue() if k.dimension_code == "EN")


def test_kpi_names_are_translated_to_norwegian(client):
    page = client.get("/nb/kpis/").content.decode()
    kpi = load_catalogue().get("EC: ICT: ICT: 1C")
    assert kpi.name_nb in page
    assert "Household Internet Access" not in page


def test_kpi_page_shows_components_direction_and_targets(client):
    page = client.get("/kpis/ec-i-es-3c/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Access to Electricity" in html
    assert "U4SSC programme default" in html  # the SDG 7.1 target of the default set
    assert client.get("/kpis/no-such-kpi/").status_code == 404


def test_target_set_pages(client):
    assert client.get("/targets/").status_code == 200
    page = client.get("/targets/u4ssc-default/")
    assert page.status_code == 200 and b"SDG" in page.content


def test_translation_file_is_in_sync_with_the_catalogue():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/catalogue_translations.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_catalogue_api(client):
    body = client.get("/api/catalogue/kpis").json()
    assert body["count"] == 91
    one = client.get("/api/catalogue/kpis/SC: EH: ED: 1C").json()
    assert one["code"] == "SC: EH: ED:1C"  # both spellings resolve, the official one is kept
    assert client.get("/api/catalogue/kpis/XX").status_code == 404
    sets = client.get("/api/catalogue/target-sets").json()
    assert any(s["is_default"] for s in sets)


def test_one_target_set_with_its_targets(client):
    default = next(s for s in client.get("/api/catalogue/target-sets").json() if s["is_default"])
    body = client.get(f"/api/catalogue/target-sets/{default['slug']}").json()
    assert body["slug"] == default["slug"] and body["owner"] == default["owner"]
    assert len(body["targets"]) == body["n_targets"] > 0
    assert all(t["kpi_code"] and t["source"] for t in body["targets"])
    assert client.get("/api/catalogue/target-sets/nope").status_code == 404


def test_figures_across_cities_computed_from_synthetic_values_are_marked(client, world):
    # given one published generated value of Access to Electricity
    from u4ssc.apps.benchmarking import scoreboard
    from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus

    scoreboard.clear_cache()
    page = "/kpis/ec-i-es-3c/"
    assert "generated for the demo" not in client.get(page).content.decode()
    ev = Evaluation.objects.create(
        city=world.city, year=2024, state=State.PUBLISHED, is_synthetic=True
    )
    KPIValue.objects.create(
        evaluation=ev,
        kpi=KPI.objects.get(code="EC: I: ES: 3C"),
        status=ValueStatus.REPORTED,
        value=99.0,
        is_synthetic=True,
    )
    # then the KPI page's count and median across cities are marked synthetic
    html = client.get(page).content.decode()
    assert "Median" in html
    assert "published values of this KPI were generated for the demo" in html
    assert 'class="badge synthetic"' in html


def test_a_target_set_page_links_to_the_method(client):
    default = next(s for s in client.get("/api/catalogue/target-sets").json() if s["is_default"])
    page = client.get(f"/targets/{default['slug']}/").content.decode()
    assert f"/benchmarking/method/?targets={default['slug']}#{default['method']}" in page
    assert client.get(f"/benchmarking/method/?targets={default['slug']}").status_code == 200
