"""Check results in the reader's language: the core's templates, marked and translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from u4ssc.apps.evaluations.messages import CHECK_TEMPLATES, issue_expected, issue_message
from u4ssc.core.catalogue import load_catalogue
from u4ssc.core.checks import TEMPLATES, Entry, check_cross, check_year_on_year, compute
from u4ssc.core.checks.parse import NumberError, parse_number

INTERNET = "EC: ICT: ICT: 1C"


def test_the_table_marks_every_template_of_the_core_and_nothing_else():
    # the core registers every template it writes; the table marks them for translation
    assert {code: set(ts) for code, ts in CHECK_TEMPLATES.items()} == {
        code: set(ts) for code, ts in TEMPLATES.items()
    }


def test_every_template_has_a_bokmal_translation_with_the_same_placeholders():
    import re

    placeholder = re.compile(r"%\([a-z_]+\)s|%%")
    with translation.override("nb"):
        for code, templates in TEMPLATES.items():
            for t in templates:
                nb = translation.gettext(t)
                words = placeholder.sub("", t)
                assert nb != t or sum(c.isalpha() for c in words) < 2, (code, t)
                assert sorted(placeholder.findall(nb)) == sorted(placeholder.findall(t)), t


def _issue(code: str, entry: Entry) -> dict:
    m = load_catalogue().measurand(code)
    [issue] = compute(m, entry).issues
    return {**issue.as_dict()}


def test_a_check_result_reads_in_english_as_the_core_wrote_it_and_in_bokmal():
    # given a share above 100 %, checked by the core (which knows no language)
    issue = _issue(INTERNET, Entry(numerator=14_000.5, denominator=13_000))
    # then in English the page shows the core's sentence (numbers as Django writes them)
    with translation.override("en"):
        assert issue_message(issue).startswith("107.7 % is not possible for Household")
        assert issue_expected(issue) == "between 0 and 100 %"
    # and in Bokmål the sentence, the KPI name, the component names and the number's decimal
    # comma are Norwegian
    with translation.override("nb"):
        message = issue_message(issue)
        assert message.startswith("107,7 % er ikke mulig for ")
        assert "Husholdninger med internettilgang" in message  # the KPI
        assert "nevneren (husholdninger i alt)" in message  # a component
        assert issue_expected(issue) == "mellom 0 og 100 %"
    # while the English message stays for the API and the command line
    assert issue["message"].startswith("107.7 % is not possible")


def test_year_on_year_and_cross_kpi_warnings_read_in_bokmal():
    m = load_catalogue().measurand(INTERNET)
    [jump] = check_year_on_year(m, 90, 40)
    [(_k, _p, broadband), _internet] = check_cross(
        {(INTERNET, ""): 80, ("EC: ICT: ICT: 2C", ""): 95}
    )
    with translation.override("nb"):
        text = issue_message(jump.as_dict())
        assert "fra 40 % til 90 % på ett år (+125 %)" in text
        assert "over 50 % i året" in text
        assert "Fast bredbånd" in issue_message(broadband.as_dict())


def test_a_warning_stored_before_texts_were_kept_is_still_shown():
    old = {
        "code": "source_missing",
        "message": "Name the source of this value (publication, register, system).",
    }
    with translation.override("nb"):
        assert issue_message(old).startswith("Oppgi kilden")


@pytest.mark.parametrize("typed", ["n/a", "abc", "1,234", "12 34"])
def test_number_parsing_errors_have_a_bokmal_text(typed):
    with pytest.raises(NumberError) as error:
        parse_number(typed)
    assert str(error.value) == error.value.text.english()
    with translation.override("nb"):
        from u4ssc.apps.evaluations.messages import render_text

        shown = render_text(error.value.text)
    assert shown != str(error.value) and typed in shown
