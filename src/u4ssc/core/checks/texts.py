"""The sentences of the checks as templates with named parameters (docs/i18n.md).

The core speaks English: :meth:`Text.english` is the sentence the API, the CLI and the
reports show. A web page shows the same :class:`Text` in its reader's language: the web
layer (``u4ssc.apps.evaluations.messages``) looks the template up in the platform's
translations and formats the parameters for that language, through the same :func:`render`
with its own ``translate`` and ``number`` functions. The core imports no translation
machinery; every template it can produce is listed in :data:`TEMPLATES` (by issue code),
which the web layer's table of marked templates must match (a test checks both ways).

Parameters are JSON values, so that a text can be stored with a value or an import report:

- a number (int or float): formatted for the reader ("12 345" / "12,345", "94,96");
- a string: shown as it is (what a person typed, a code, a pre-formatted "+125");
- ``Value(x, unit)``: a value with its unit ("94.96 %", "yes"); the unit is translated
  like a term ("12 per 100 000 innbyggere");
- ``Term(text)``: a word or a name that is translated (KPI, data point and component
  names, "numerator");
- ``Suffix(unit)``: a unit after a number written by the template ("%(low)s%(unit)s"):
  " %", " per 100 000 innbyggere", or nothing for a bare unit such as "number";
- a nested ``Text`` ("between 0 and 100 %");
- a list of any of these, shown joined by ", ".

>>> Text("The %(field)s is %(n)s.", {"field": Term("numerator"), "n": 12345.5}).english()
'The numerator is 12 345.5.'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from u4ssc.core.checks.formatting import format_number, unit_suffix

# issue code -> every template the core writes for it (fragments under "bounds", "value",
# "parse"; words translated as terms under "terms")
TEMPLATES: dict[str, list[str]] = {}


def template(code: str, text: str) -> str:
    """Register ``text`` as a template of ``code`` (at import time) and return it."""
    TEMPLATES.setdefault(code, [])
    if text not in TEMPLATES[code]:
        TEMPLATES[code].append(text)
    return text


def term(text: str) -> Term:
    """A fixed word of the checks, registered for translation (``Term`` for names that the
    catalogue's translations already hold)."""
    template("terms", text)
    return Term(text)


@dataclass(frozen=True)
class Value:
    """A value with its unit, formatted as the reader reads numbers."""

    x: float
    unit: str


@dataclass(frozen=True)
class Term:
    """A word or name shown in the reader's language."""

    text: str


@dataclass(frozen=True)
class Suffix:
    """A unit after a number, translated like a term, with its leading space (none for a
    bare unit)."""

    unit: str


@dataclass(frozen=True)
class Text:
    """A sentence: a printf-style ``template`` with named ``params`` ("%(low)s")."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return render(self)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"template": ..., "params": {...}}``."""
        return {"template": self.template, "params": {k: _dump(v) for k, v in self.params.items()}}


def _dump(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return [_dump(x) for x in v]
    if isinstance(v, Text):
        return v.as_dict()
    if isinstance(v, Value):
        return {"value": v.x, "unit": v.unit}
    if isinstance(v, Term):
        return {"term": v.text}
    if isinstance(v, Suffix):
        return {"suffix": v.unit}
    return v


YES = term("yes")
NO = term("no")


def render(
    text: Text | Mapping[str, Any],
    *,
    translate: Callable[[str], str] = str,
    number: Callable[[float], str] = format_number,
) -> str:
    """``text`` (a :class:`Text` or its ``as_dict`` form) as a sentence.

    ``translate`` looks up templates and terms (the identity: English); ``number`` formats
    numbers (the core's ``format_number``: "12 345", "94.96"). A template the translation
    does not fit (a placeholder missing) falls back to the English template.
    """
    if isinstance(text, Text):
        tmpl, params = text.template, {k: _dump(v) for k, v in text.params.items()}
    else:
        tmpl, params = text.get("template", ""), dict(text.get("params") or {})
    values = {k: _param(v, translate, number) for k, v in params.items()}
    try:
        return translate(tmpl) % values
    except (KeyError, ValueError, TypeError):
        return tmpl % values


def _param(v: Any, translate: Callable[[str], str], number: Callable[[float], str]) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return number(v)
    if isinstance(v, list | tuple):
        return ", ".join(_param(x, translate, number) for x in v)
    if isinstance(v, Mapping):
        if "template" in v:
            return render(v, translate=translate, number=number)
        if "term" in v:
            return translate(str(v["term"]))
        if "value" in v:
            x, unit = v["value"], str(v.get("unit", ""))
            if unit == "yes/no" and x in (0, 1):
                return translate(YES.text if x == 1 else NO.text)
            return number(x) + _suffix(unit, translate)
        if "suffix" in v:
            return _suffix(str(v["suffix"]), translate)
    return str(v)


_BETWEEN = template("bounds", "between %(low)s and %(high)s%(unit)s")
_AT_LEAST = template("bounds", "at least %(low)s%(unit)s")
_AT_MOST = template("bounds", "at most %(high)s%(unit)s")
_EXACTLY = template("bounds", "%(low)s%(unit)s")
_ANY = template("bounds", "any value")


def _suffix(unit: str, translate: Callable[[str], str]) -> str:
    """The unit after a number in the reader's language (looked up like a term)."""
    return " " + translate(unit) if unit_suffix(unit) else ""


def bounds(low: float | None, high: float | None, unit: str) -> Text:
    """ "between 0 and 100 %", "at least 95 %", "at most 1" (the unit in the reader's
    language)."""
    suffix = Suffix(unit)
    if low is not None and high is not None:
        if low == high:
            return Text(_EXACTLY, {"low": low, "unit": suffix})
        return Text(_BETWEEN, {"low": low, "high": high, "unit": suffix})
    if low is not None:
        return Text(_AT_LEAST, {"low": low, "unit": suffix})
    if high is not None:
        return Text(_AT_MOST, {"high": high, "unit": suffix})
    return Text(_ANY)


def format_bounds(low: float | None, high: float | None, unit: str) -> str:
    """``"between 0 and 100 %"``, ``"at least 95 %"``, ``"at most 1"``."""
    return bounds(low, high, unit).english()
