"""Check results in the reader's language: ``{{ w|check_message }}``, ``{{ w|check_expected }}``
for a stored warning (a dict of ``KPIValue.issues``) or a problem of ``apply_entries``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from u4ssc.apps.evaluations.messages import check_name as _check_name
from u4ssc.apps.evaluations.messages import place, render_text, show_value
from u4ssc.web.templatetags.u4ssc_tags import unit_label

register = template.Library()


def _part(item: Any, name: str) -> tuple[Any, str]:
    if isinstance(item, Mapping):
        return item.get(f"{name}_text" if name == "expected" else "text"), item.get(name, "")
    text = getattr(item, "expected_text" if name == "expected" else "text", None)
    return text, getattr(item, name, "")


@register.filter
def check_message(item: Any) -> str:
    text, fallback = _part(item, "message")
    return render_text(text, fallback)


@register.filter
def check_expected(item: Any) -> str:
    text, fallback = _part(item, "expected")
    return render_text(text, fallback)


@register.filter
def check_name(code: str) -> str:
    """``{{ code|check_name }}``: the name of a check in the reader's language
    ("change from the year before" for ``yoy_jump``)."""
    return _check_name(code)


@register.filter
def place_label(ref: str) -> str:
    """Where a value came from in a file ("row 12", "sheet Data, row 12") in the reader's
    language; other references as they are."""
    found = place(ref)
    return found if isinstance(found, str) else render_text(found)


@register.filter
def kpi_value(x: float | None, unit: str) -> str:
    """``{{ v.value|kpi_value:v.unit }}``: "yes" / "no" (translated) for a yes/no KPI, the
    number in the reader's format otherwise (without its unit)."""
    return show_value(x, unit, with_unit=False)


@register.filter
def kpi_value_with_unit(x: float | None, unit: str) -> str:
    """``{{ v.value|kpi_value_with_unit:v.unit }}``: "yes", "94,96 %", "12"."""
    return show_value(x, unit)


@register.filter
def shown_unit(unit: str) -> str:
    """A unit beside a value, in the reader's language: none for yes/no answers, which
    read "yes" or "no"."""
    return "" if unit == "yes/no" else unit_label(unit)
