"""Data entry in a real browser, with the keyboard alone."""

from __future__ import annotations

import pytest

from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.models import Evaluation, KPIValue
from u4ssc.apps.evaluations.tests.conftest import INTERNET
from u4ssc.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_enters_a_value_with_the_keyboard_and_sees_errors_inline(page, world):
    Evaluation.objects.create(city=world.city, year=2024)
    kpi = KPI.objects.get(code=INTERNET)
    prefix = f"kpi-{kpi.id}-value"
    login(page, "officer")
    page.goto(f"/data/{world.city.slug}/2024/")

    # given the numerator field of Household Internet Access, reached and filled by keyboard
    page.focus(f"#{prefix}-numerator")
    page.keyboard.type("12 000")
    page.keyboard.press("Tab")
    page.keyboard.type("0")  # denominator: a deliberate error
    page.keyboard.press("Enter")  # submits the row's form through htmx

    # then the error sits next to the denominator, and what was typed is still there
    error = page.locator(f"#{prefix}-denominator-error")
    error.wait_for()
    assert "zero" in error.inner_text().lower() or "0" in error.inner_text()
    assert page.input_value(f"#{prefix}-numerator") == "12 000"
    assert page.get_attribute(f"#{prefix}-denominator", "aria-invalid") == "true"
    assert KPIValue.objects.count() == 0

    # when the officer corrects it and saves with Enter again
    page.fill(f"#{prefix}-denominator", "")
    page.focus(f"#{prefix}-denominator")
    page.keyboard.type("13 000")
    for _field in ("value", "unit", "source"):
        page.keyboard.press("Tab")
    page.keyboard.type("Statistics Norway")
    page.keyboard.press("Enter")
    page.locator(f"#{prefix} .message.success").wait_for()

    value = KPIValue.objects.get()
    assert value.value == pytest.approx(12_000 / 13_000 * 100)
    assert "92.3" in page.locator(f"#{prefix} .working").inner_text()
