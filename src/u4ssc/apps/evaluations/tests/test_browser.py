"""Data entry in a real browser, with the keyboard alone."""

from __future__ import annotations

import pytest

from u4ssc.apps.catalogue.models import KPI
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, WarningAcknowledgement
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


def _row_with_a_warning(world, enter):
    """Ålesund's 2024 Internet access saved at 90 % after 40 % in 2023: a year-on-year
    warning the officer has not acknowledged. Returns the row's DOM id."""
    assert enter(INTERNET, year=2023, value=40).ok
    result = enter(INTERNET, year=2024, value=90)
    assert [p.code for p in result.warnings] == ["yoy_jump"]
    return f"kpi-{KPI.objects.get(code=INTERNET).id}-value"


def test_enter_in_a_row_with_a_warning_saves_and_keeps_what_was_typed(page, world, enter):
    # given a stored value with an open warning, whose row offers "Acknowledge"
    prefix = _row_with_a_warning(world, enter)
    login(page, "officer")
    page.goto(f"/data/{world.city.slug}/2024/")
    page.locator(f"#{prefix} button", has_text="Acknowledge").wait_for()

    # when the officer types a new source and presses Enter
    page.fill(f"#{prefix}-source", "SSB table 11000")
    page.focus(f"#{prefix}-source")
    page.keyboard.press("Enter")

    # then the row was saved, not acknowledged: the save asks for the reason of the change,
    # and what was typed is still there
    page.locator(f"#{prefix}-reason-error").wait_for()
    assert page.input_value(f"#{prefix}-source") == "SSB table 11000"
    assert not WarningAcknowledgement.objects.exists()

    # when the reason is typed and Enter pressed again
    page.focus(f"#{prefix}-reason")
    page.keyboard.type("SSB published the table")
    page.keyboard.press("Enter")

    # then the value is saved with its new source, and the warning is still open
    page.locator(f"#{prefix} .message.success").wait_for()
    value = KPIValue.objects.get(evaluation__year=2024)
    assert value.source == "SSB table 11000" and value.version == 2
    assert not WarningAcknowledgement.objects.exists()


def test_acknowledging_a_warning_keeps_what_was_typed_elsewhere_in_the_row(page, world, enter):
    # given a row with an open warning, and a new source typed but not saved
    prefix = _row_with_a_warning(world, enter)
    login(page, "officer")
    page.goto(f"/data/{world.city.slug}/2024/")
    page.fill(f"#{prefix}-source", "SSB table 11000")

    # when the officer writes why the warning does not apply and presses Enter there
    page.focus(f"#{prefix}-ack-yoy_jump")
    page.keyboard.type("A new fibre network reached most homes")
    page.keyboard.press("Enter")

    # then the warning is acknowledged, and the unsaved source is still in its field
    page.locator(f"#{prefix}", has_text="Warning acknowledged").wait_for()
    ack = WarningAcknowledgement.objects.get()
    assert ack.check_code == "yoy_jump" and ack.reason == "A new fibre network reached most homes"
    assert page.input_value(f"#{prefix}-source") == "SSB table 11000"
    assert KPIValue.objects.get(evaluation__year=2024).version == 1
    # and the keyboard stays in the row: the acknowledged line has the focus, named by the
    # check's name rather than its code
    acked = page.locator(f"#{prefix}-acked-yoy_jump")
    assert page.evaluate("document.activeElement.id") == f"{prefix}-acked-yoy_jump"
    assert "change from the year before" in acked.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kpi-row').id") == prefix
