"""Check sentences as templates with parameters: English as before, registered, storable."""

from __future__ import annotations

import json

from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import TEMPLATES, Entry, Text, check_cross, check_year_on_year, compute
from u4ssc.core.checks.texts import Term, Value, bounds, render

CAT = load_catalogue()


def _every_issue():
    m = CAT.measurand
    entries = [
        (m("EC: ICT: ICT: 1C"), Entry(numerator=14_000, denominator=13_000)),
        (m("EC: ICT: ICT: 1C"), Entry(numerator=12_000, denominator=0, unit="kg")),
        (m("EC: ICT: ICT: 1C"), Entry(numerator=-1, denominator=10)),
        (m("EC: ICT: ICT: 1C"), Entry(numerator=12_000, denominator=13_000, value=50)),
        (m("EC: ICT: ICT: 1C"), Entry(numerator=12_000, value=50)),
        (m("EC: ICT: ICT: 1C"), Entry(numerator=12_000)),
        (m("EC: ICT: ICT: 1C"), Entry(value=float("inf"))),
        (m("EC: I: UP: 2A", "compact"), Entry(value=2)),
        (m("EN: EN: AQ: 2C"), Entry(numerator=1, denominator=2)),
    ]
    for measurand, entry in entries:
        yield from compute(measurand, entry).issues
    yield from check_year_on_year(m("EC: ICT: ICT: 1C"), 90, 40)
    yield from check_year_on_year(m("EC: ICT: ICT: 1C"), 90, 40, years_apart=2)
    values = {
        ("EC: ICT: ICT: 1C", ""): 80,
        ("EC: ICT: ICT: 2C", ""): 95,
        ("EC: I: WS: 1C", ""): 90,
        ("EC: I: WS: 2C", ""): 95,
        ("EC: I: T: 4A", "private_vehicles"): 80,
        ("EC: I: T: 4A", "public_transport"): 40,
        ("EC: ICT: PS: 1A", "number"): 0,
        ("EC: ICT: PS: 1A", "percent"): 20,
        ("EC: I: ES: 1C", ""): 0,
        ("EC: I: ES: 2C", ""): 30,
    }
    for _kpi, _point, issue in check_cross(values):
        yield issue


def test_every_issue_carries_registered_texts_whose_english_is_its_message():
    issues = list(_every_issue())
    codes = {i.code for i in issues}
    assert {"range", "unit", "yoy_jump", "cross:potable_le_basic", "boolean"} <= codes
    registered = {t for ts in TEMPLATES.values() for t in ts}
    for issue in issues:
        assert issue.text is not None and issue.expected_text is not None, issue.code
        assert issue.text.english() == issue.message
        assert issue.expected_text.english() == issue.expected
        assert issue.text.template in TEMPLATES[issue.code]
        assert issue.expected_text.template in registered


def test_a_stored_text_renders_the_same_after_a_trip_through_json():
    issue = next(i for i in _every_issue() if i.code == "yoy_jump")
    stored = json.loads(json.dumps(issue.as_dict()))
    assert render(stored["text"]) == issue.message
    assert render(stored["expected_text"]) == issue.expected


def test_rendering_translates_templates_and_terms_and_formats_numbers():
    text = Text(
        "%(kpi)s is %(v)s, not %(n)s (%(answer)s)",
        {"kpi": Term("Gini"), "v": Value(0.5, "ratio"), "n": 1234.5, "answer": Value(1, "yes/no")},
    )
    words = {
        "%(kpi)s is %(v)s, not %(n)s (%(answer)s)": "%(kpi)s er %(v)s, ikke %(n)s (%(answer)s)"
    }
    words |= {"Gini": "Gini-koeffisient", "yes": "ja"}
    shown = render(text, translate=lambda s: words.get(s, s), number=lambda x: f"<{x}>")
    assert shown == "Gini-koeffisient er <0.5>, ikke <1234.5> (ja)"
    assert text.english() == "Gini is 0.5, not 1 234.5 (yes)"


def test_units_after_numbers_and_in_bounds_are_shown_in_the_readers_language():
    # given a value and bounds in a unit the translations hold, and a bare unit
    per = "per 100 000 inhabitants"
    text = Text("%(v)s, not %(b)s", {"v": Value(500, per), "b": bounds(1000, None, per)})
    bare = bounds(None, 3, "number")
    words = {per: "per 100 000 innbyggere", "at least %(low)s%(unit)s": "minst %(low)s%(unit)s"}
    # then a page in that language shows the unit translated, also after a trip through JSON
    stored = json.loads(json.dumps(text.as_dict()))
    assert render(stored, translate=lambda s: words.get(s, s)) == (
        "500 per 100 000 innbyggere, not minst 1 000 per 100 000 innbyggere"
    )
    # while English is unchanged, and a bare unit is shown by nothing
    assert text.english() == (
        "500 per 100 000 inhabitants, not at least 1 000 per 100 000 inhabitants"
    )
    assert bare.english() == "at most 3"


def test_a_translation_with_wrong_placeholders_falls_back_to_english():
    text = Text("%(a)s and %(b)s", {"a": 1, "b": 2})
    assert render(text, translate=lambda s: "%(c)s") == "1 and 2"


def test_the_potable_water_hint_is_a_warning_worded_as_one():
    [(_k, _p, issue), _basic] = check_cross({("EC: I: WS: 1C", ""): 90, ("EC: I: WS: 2C", ""): 95})
    assert issue.severity == "warning"
    assert "cannot" not in issue.message and "normally no larger" in issue.message
