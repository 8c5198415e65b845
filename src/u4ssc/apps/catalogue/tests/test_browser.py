"""Editing a target set in a real browser, with the keyboard alone."""

from __future__ import annotations

import pytest

from u4ssc.apps.catalogue import actions
from u4ssc.apps.catalogue.models import KPI, Target, TargetChange
from u4ssc.conftest import login
from u4ssc.core.catalogue import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNET = "EC: ICT: ICT: 1C"


def _tab_to(page, element_id: str, limit: int = 400) -> None:
    """Press Tab until ``element_id`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"#{element_id} was never reached with Tab")


def test_the_coordinator_edits_the_national_set_with_the_keyboard(page, world):
    # given the national set with one target
    coordinator = world.user("national")
    ts = actions.create_target_set(actor=coordinator, name="Norway", owner=world.national)
    kpi = KPI.objects.get(code=load_catalogue().get(INTERNET).code)
    target = actions.set_target(
        actor=coordinator, target_set=ts, kpi=kpi, value=95.0, direction="higher", source="SDG"
    )
    login(page, "national")
    page.goto(f"/targets/{ts.slug}/")

    # when the coordinator tabs to the target's value, empties the source and presses Enter
    value_id, source_id = f"id_t{target.pk}-value", f"id_t{target.pk}-source"
    _tab_to(page, value_id)
    page.keyboard.press("Control+A")
    page.keyboard.type("97,5")
    _tab_to(page, source_id)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")
    # then the refusal stands next to the source, and the focus stays in the field
    error = page.locator(f"#{source_id}-error")
    error.wait_for()
    assert "source" in error.inner_text()
    assert page.get_attribute(f"#{source_id}", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == source_id
    assert Target.objects.get(pk=target.pk).value == 95.0

    # when they type a source and press Enter again
    page.keyboard.type("Nasjonal plan")
    page.keyboard.press("Enter")
    page.locator(f"#target-{target.pk} [role=status]").wait_for()
    # then the target is saved and the history, swapped in, shows the change
    target.refresh_from_db()
    assert (target.value, target.source) == (97.5, "Nasjonal plan")
    assert "Target changed" in page.locator("#target-history").inner_text()

    # when they add a target for another KPI, choosing it with the arrow keys
    _tab_to(page, "id_new-measurand")
    page.keyboard.press("ArrowDown")
    chosen = page.input_value("#id_new-measurand")
    assert chosen
    _tab_to(page, "id_new-value")
    page.keyboard.type("1")
    _tab_to(page, "id_new-source")
    page.keyboard.type("Plan")
    page.keyboard.press("Enter")
    page.get_by_text("Target added for").wait_for()
    # then the set holds it
    assert Target.objects.filter(target_set=ts).count() == 2
    assert TargetChange.objects.filter(target_set=ts).count() == 4  # created, added, changed, added
