"""Country names from ``pycountry`` (ISO 3166-1), in English or Norwegian Bokmål."""

from __future__ import annotations

import functools
import gettext

import pycountry

from u4ssc.core.registry.normalise import fold

# Codes GeoNames uses that ISO 3166-1 does not list (Kosovo's user-assigned code).
_EXTRA = {"XK": "Kosovo"}
# pycountry's translation catalogues are named after locales (``nb_NO``).
_LOCALES = {"nb": ["nb_NO", "nb"], "no": ["nb_NO", "nb"], "nn": ["nn"]}


@functools.cache
def _translation(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    languages = _LOCALES.get(language, [language])
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=languages, fallback=True
    )


@functools.cache
def _english() -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    names.update(_EXTRA)
    return names


def country_name(code: str | None, language: str = "en") -> str:
    """The country's short name ("Norway", or "Norge" for ``language="nb"``); "" if unknown."""
    english = _english().get((code or "").upper(), "")
    if not english:
        return ""
    return _translation(language.split("-")[0].lower()).gettext(english)


@functools.cache
def _sorted_countries(language: str) -> tuple[tuple[str, str], ...]:
    pairs = [(code, country_name(code, language)) for code in _english()]
    return tuple(sorted(pairs, key=lambda pair: fold(pair[1])))


def countries(language: str = "en") -> list[tuple[str, str]]:
    """Every country as ``(ISO alpha-2 code, name)``, sorted by name in ``language``."""
    return list(_sorted_countries(language.split("-")[0].lower()))


def is_country(code: str | None) -> bool:
    return (code or "").upper() in _english()
