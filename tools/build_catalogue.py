"""Build the shipped KPI catalogue from the shared reference CSV plus our decisions table.

    python tools/build_catalogue.py            # write the JSON data file and the docs table
    python tools/build_catalogue.py --check    # exit 1 if either is out of date

The reference CSV (``../shared/reference/u4ssc-kpis.csv``) holds the facts with their sources:
codes, English names, dimensions, levels, types, unit labels, formulas, SDG references. The
``DECISIONS`` table below holds what the platform adds: Norwegian names, the canonical unit and
its aliases, how the value is obtained (measure), the direction, plausibility and warning
ranges, the year-on-year threshold, data points, and a note where a choice is not obvious.
The reasons are written in ``docs/decisions/0201-kpi-directions-and-components.md``.

The package ships the generated JSON; nothing reads the CSV at run time.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

VERSION = "2026.1"
ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT.parent / "shared" / "reference" / "u4ssc-kpis.csv"
OUT_PATH = ROOT / "src" / "u4ssc" / "core" / "catalogue" / "data" / f"u4ssc-kpis-{VERSION}.json"
DOCS_PATH = ROOT / "docs" / "catalogue.md"
DOCS_BEGIN = "<!-- BEGIN GENERATED TABLE (tools/build_catalogue.py) -->"
DOCS_END = "<!-- END GENERATED TABLE -->"

DIMENSION_CODES = {"Economy": "EC", "Environment": "EN", "Society and Culture": "SC"}

# --------------------------------------------------------------------------------------------
# Units: canonical symbol -> accepted spellings (compared after case/space folding, see
# u4ssc.core.catalogue.units). A measurand may add its own aliases.
# --------------------------------------------------------------------------------------------
UNIT_ALIASES: dict[str, list[str]] = {
    "%": ["%", "percent", "percentage", "per cent", "pct", "prosent"],
    "% of GDP": ["% of GDP", "% GDP", "%", "percent of GDP", "percentage of GDP", "% av BNP"],
    "per 100 000 inhabitants": [
        "per 100 000 inhabitants",
        "per 100 000",
        "per 100 000 population",
        "per 100 000 people",
        "/100 000 inhabitants",
        "per 100 000 innbyggere",
    ],
    "km per 100 000 inhabitants": [
        "km per 100 000 inhabitants",
        "km/100 000 inhabitants",
        "km per 100 000",
        "km per 100 000 population",
        "km per 100 000 innbyggere",
    ],
    "ha per 100 000 inhabitants": [
        "ha per 100 000 inhabitants",
        "hectares per 100 000 inhabitants",
        "ha/100 000 inhabitants",
        "ha per 100 000",
        "ha per 100 000 population",
        "ha per 100 000 innbyggere",
    ],
    "FTE per 100 000 inhabitants": [
        "FTE per 100 000 inhabitants",
        "FTE per 100 000",
        "per 100 000 inhabitants",
        "per 100 000",
        "årsverk per 100 000 innbyggere",
    ],
    "per 100 000 live births": [
        "per 100 000 live births",
        "per 100 000 births",
        "per 100 000 levendefødte",
    ],
    "number": ["number", "count", "no.", "#", "antall"],
    "interruptions per customer": [
        "interruptions per customer",
        "interruptions/customer",
        "interruptions per customer per year",
        "number",
        "SAIFI",
    ],
    "minutes": ["minutes", "minute", "min", "mins", "minutter"],
    "years": ["years", "year", "yrs", "år"],
    "ratio": ["ratio", "forhold"],
    "coefficient": ["coefficient", "index", "Gini", "koeffisient"],
    "yes/no": ["yes/no", "boolean", "ja/nei"],
    "tCO2e/capita": [
        "tCO2e/capita",
        "tCO2e per capita",
        "t CO2e/capita",
        "tonnes CO2e per capita",
        "tonnes eCO2 per capita",
        "t CO2-ekv. per innbygger",
    ],
    "kWh/capita/year": [
        "kWh/capita/year",
        "kWh/year/capita",
        "kWh per capita per year",
        "kWh/capita",
        "kWh per innbygger per år",
    ],
    "GJ/capita/year": [
        "GJ/capita/year",
        "GJ/year/capita",
        "GJ per capita per year",
        "GJ/capita",
    ],
    "kWh/m²/year": [
        "kWh/m²/year",
        "kWh/m2/year",
        "ekWh/m2/year",
        "e-kWh/m2/year",
        "kWh/m²",
        "kWh/m2",
        "kWh per m² per year",
    ],
    "µg/m³": [
        "µg/m³",
        "µg/m3",
        "ug/m3",
        "microgram per cubic metre",
        "micrograms per cubic meter",
    ],
    "l/capita/day": [
        "l/capita/day",
        "litres/capita/day",
        "liters/capita/day",
        "l per capita per day",
        "litres per person per day",
        "l/person/day",
        "liter per innbygger per døgn",
    ],
}


# --------------------------------------------------------------------------------------------
# Helpers that keep the decisions table short.
# --------------------------------------------------------------------------------------------
def ratio(
    numerator: str,
    denominator: str,
    multiplier: float,
    numerator_nb: str,
    denominator_nb: str,
) -> dict[str, Any]:
    return {
        "kind": "ratio",
        "numerator": numerator,
        "denominator": denominator,
        "multiplier": multiplier,
        "numerator_nb": numerator_nb,
        "denominator_nb": denominator_nb,
    }


def share(numerator: str, denominator: str, numerator_nb: str, denominator_nb: str):
    """A percentage: numerator / denominator x 100."""
    return ratio(numerator, denominator, 100, numerator_nb, denominator_nb)


def per_100k(numerator: str, numerator_nb: str):
    """A rate per 100 000 inhabitants: numerator / population x 100 000."""
    return ratio(numerator, "population", 100_000, numerator_nb, "folketall")


def per_capita(numerator: str, numerator_nb: str):
    return ratio(numerator, "population", 1, numerator_nb, "folketall")


VALUE = {"kind": "value"}
BOOLEAN = {"kind": "boolean"}

HIGHER = {"kind": "higher"}
LOWER = {"kind": "lower"}

# Defaults by unit: (plausible_min, plausible_max, yoy_warn_ratio, yoy_warn_min_change).
# Shares cannot leave 0..100; a jump warning for a share needs a move of at least 5
# percentage points so that 0 -> 3 % in a young ICT programme does not cry wolf.
UNIT_DEFAULTS: dict[str, tuple[float | None, float | None, float | None, float | None]] = {
    "%": (0, 100, 0.5, 5),
    "% of GDP": (0, 100, 0.5, None),
    "yes/no": (0, 1, None, None),
}
DEFAULT_RANGE: tuple[float | None, float | None, float | None, float | None] = (0, None, 0.5, None)


def kpi(
    name_nb: str,
    unit: str,
    measure: dict[str, Any],
    direction: dict[str, Any],
    *,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name_nb": name_nb,
        "unit": unit,
        "measure": measure,
        "direction": direction,
        "decision_note": note,
        **extra,
    }


def point(
    key: str,
    name: str,
    name_nb: str,
    unit: str,
    measure: dict[str, Any],
    direction: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "name_nb": name_nb,
        "unit": unit,
        "measure": measure,
        "direction": direction,
        **extra,
    }


# --------------------------------------------------------------------------------------------
# The decisions table, keyed by the normalised code. Every KPI of the CSV must be here.
# Keys allowed per KPI: name_nb, unit, measure, direction, decision_note (note=), plus optional
# plausible_min/plausible_max/warn_min/warn_max/yoy_warn_ratio/yoy_warn_min_change (override the
# unit defaults), unit_aliases (extra), code_aliases, data_points, definition (when the CSV has
# no formula), category (overrides the CSV's; used once, for Electronic Health Records).
# --------------------------------------------------------------------------------------------
DECISIONS: dict[str, dict[str, Any]] = {
    # ---- Economy / ICT -------------------------------------------------------------------
    "EC: ICT: ICT: 1C": kpi(
        "Husholdninger med internettilgang",
        "%",
        share(
            "households with Internet access",
            "total households",
            "husholdninger med internettilgang",
            "husholdninger i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: ICT: 2C": kpi(
        "Abonnement på fast bredbånd",
        "%",
        share(
            "fixed broadband subscriptions (>= 256 kbit/s)",
            "total households",
            "abonnement på fast bredbånd (>= 256 kbit/s)",
            "husholdninger i alt",
        ),
        HIGHER,
        plausible_max=200,
        unit_aliases=["per 100 households", "subscriptions per 100 households"],
        note=(
            "Subscriptions per 100 households, shown as %. Not capped at 100: a household can "
            "hold two subscriptions and the statistics may include business lines, so the hard "
            "maximum is 200. Verifiers expect it to be no higher than household Internet "
            "access (cross rule broadband_le_internet)."
        ),
    ),
    "EC: ICT: ICT: 3C": kpi(
        "Abonnement på mobilt bredbånd",
        "per 100 000 inhabitants",
        per_100k(
            "active wireless (mobile) broadband subscriptions",
            "aktive abonnement på mobilt bredbånd",
        ),
        HIGHER,
        warn_min=1000,
        definition=(
            "wireless broadband subscriptions / population x 100 000 (formula derived from the "
            "unit in the Karmøy verification report; the official sheet was not retrieved)"
        ),
        note=(
            "Unit per 100 000 inhabitants as printed in the Karmøy report (95 424). People hold "
            "several subscriptions, so there is no upper bound. A value below 1 000 "
            "(one per 100 inhabitants) warns: it usually means the figure was entered per 100 "
            "inhabitants."
        ),
    ),
    "EC: ICT: ICT: 4C": kpi(
        "Dekning av mobilt bredbånd",
        "%",
        share(
            "inhabitants covered by the mobile network of this technology",
            "total inhabitants",
            "innbyggere dekket av mobilnett med denne teknologien",
            "innbyggere i alt",
        ),
        HIGHER,
        data_points=[
            point(
                "3g",
                "3G",
                "3G",
                "%",
                share(
                    "inhabitants covered by a 3G mobile network",
                    "total inhabitants",
                    "innbyggere dekket av 3G-nett",
                    "innbyggere i alt",
                ),
                HIGHER,
                aliases=["Wireless Broadband Coverage: 3G", "3G coverage"],
            ),
            point(
                "4g",
                "4G",
                "4G",
                "%",
                share(
                    "inhabitants covered by a 4G (LTE) mobile network",
                    "total inhabitants",
                    "innbyggere dekket av 4G-nett",
                    "innbyggere i alt",
                ),
                HIGHER,
                aliases=["Wireless Broadband Coverage: 4G", "4G coverage", "LTE"],
            ),
        ],
        note=(
            "Coverage is measured on inhabitants, as in SDG indicator 9.c.1 (population covered "
            "by a mobile network, by technology); the CSV only says 'percentage of city served'. "
            "A city measuring area coverage can enter the percentage directly."
        ),
    ),
    "EC: ICT: ICT: 5C": kpi(
        "Tilgang til wifi på offentlige steder",
        "number",
        VALUE,
        HIGHER,
        yoy_warn_ratio=1.0,
        code_aliases=["EC: ICT: ICT: 5A"],
        unit_aliases=["hotspots", "public WiFi hotspots"],
        note=(
            "Code: the reference CSV and the Karmøy report list WiFi in public areas as core "
            "5C; other documents print 5A. The catalogue keeps 5C and accepts 5A as an alias "
            "(decision 0202). Counted directly as the number of public hotspots; rollouts can "
            "double the count in a year, hence a 100 % jump threshold."
        ),
    ),
    "EC: ICT: WS: 1C": kpi(
        "Smarte vannmålere",
        "%",
        share(
            "smart water meters installed",
            "total water meters installed",
            "installerte smarte vannmålere",
            "installerte vannmålere i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: WS: 2A": kpi(
        "IKT-overvåking av vannforsyningen",
        "%",
        share(
            "length of the water distribution network monitored by ICT (km)",
            "total length of the water distribution network (km)",
            "lengde vannledningsnett overvåket med IKT (km)",
            "samlet lengde vannledningsnett (km)",
        ),
        HIGHER,
    ),
    "EC: ICT: D: 1A": kpi(
        "IKT-overvåking av avløps- og overvannssystemet",
        "%",
        share(
            "length of the drainage / storm water system monitored by ICT (km)",
            "total length of the drainage / storm water system (km)",
            "lengde avløps- og overvannsnett overvåket med IKT (km)",
            "samlet lengde avløps- og overvannsnett (km)",
        ),
        HIGHER,
        note=(
            "Components by network length, like Traffic Monitoring; the sheet's components "
            "were not captured."
        ),
    ),
    "EC: ICT: ES: 1C": kpi(
        "Smarte strømmålere",
        "%",
        share(
            "smart electricity meters installed",
            "total electricity meters installed",
            "installerte smarte strømmålere",
            "installerte strømmålere i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: ES: 2A": kpi(
        "IKT-overvåking av strømforsyningen",
        "%",
        share(
            "length of the electricity distribution network monitored by ICT (km)",
            "total length of the electricity distribution network (km)",
            "lengde strømnett overvåket med IKT (km)",
            "samlet lengde strømnett (km)",
        ),
        HIGHER,
    ),
    "EC: ICT: ES: 3A": kpi(
        "Utbredelse av forbrukerfleksibilitet",
        "%",
        share(
            "electricity customers with demand response capability",
            "total electricity customers",
            "strømkunder med mulighet for forbrukerfleksibilitet",
            "strømkunder i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: T: 1C": kpi(
        "Sanntidsinformasjon i kollektivtrafikken",
        "%",
        share(
            "public transport stops and stations with dynamic (real-time) information",
            "total public transport stops and stations",
            "holdeplasser og stasjoner med sanntidsinformasjon",
            "holdeplasser og stasjoner i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: T: 2C": kpi(
        "Trafikkovervåking",
        "%",
        share(
            "length of major streets monitored by ICT (km)",
            "total length of major streets (km)",
            "lengde hovedveier overvåket med IKT (km)",
            "samlet lengde hovedveier (km)",
        ),
        HIGHER,
    ),
    "EC: ICT: T: 3A": kpi(
        "Adaptiv styring av lyskryss",
        "%",
        share(
            "intersections with adaptive traffic control",
            "total signal-controlled intersections",
            "kryss med adaptiv trafikkstyring",
            "signalregulerte kryss i alt",
        ),
        HIGHER,
    ),
    "EC: ICT: PS: 1A": kpi(
        "Åpne data",
        "%",
        share(
            "open data sets published",
            "total data sets",
            "publiserte åpne datasett",
            "datasett i alt",
        ),
        HIGHER,
        data_points=[
            point(
                "number",
                "Open data sets published",
                "Antall publiserte åpne datasett",
                "number",
                VALUE,
                HIGHER,
                yoy_warn_ratio=1.0,
                unit_aliases=["data sets", "datasett"],
                aliases=["Open Data Sets Published", "number of open data sets"],
            ),
            point(
                "percent",
                "Open data sets as % of all data sets",
                "Andel datasett publisert som åpne data",
                "%",
                share(
                    "open data sets published",
                    "total data sets",
                    "publiserte åpne datasett",
                    "datasett i alt",
                ),
                HIGHER,
                aliases=["Open Data Sets % Availability", "%", "percentage"],
            ),
        ],
        note=(
            "Two data points as in the verification reports: the number of published open data "
            "sets and their share of all data sets. The KPI-level unit and measure are those of "
            "the share. Cross rule open_data_consistent keeps them coherent."
        ),
    ),
    "EC: ICT: PS: 2A": kpi(
        "Digitale offentlige tjenester",
        "number",
        VALUE,
        HIGHER,
        unit_aliases=["services", "number of services", "tjenester"],
    ),
    "EC: ICT: PS: 3A": kpi(
        "Elektroniske anskaffelser i offentlig sektor",
        "%",
        share(
            "public procurement activities conducted online",
            "total public procurement activities",
            "offentlige anskaffelser gjennomført elektronisk",
            "offentlige anskaffelser i alt",
        ),
        HIGHER,
    ),
    # ---- Economy / Productivity ----------------------------------------------------------
    "EC: P: IN: 1C": kpi(
        "Utgifter til forskning og utvikling",
        "% of GDP",
        share(
            "R&D expenditure (public and private)",
            "city GDP",
            "utgifter til forskning og utvikling (offentlig og privat)",
            "brutto regionalprodukt for kommunen",
        ),
        HIGHER,
        warn_max=10,
        note=(
            "A share of GDP. Countries spend 0-6 % of GDP on R&D; above 10 % warns because it "
            "usually means the expenditure was divided by a budget, not by GDP."
        ),
    ),
    "EC: P: IN: 2C": kpi(
        "Patenter",
        "per 100 000 inhabitants",
        per_100k("new patents granted in the year", "nye patenter innvilget i året"),
        HIGHER,
        yoy_warn_ratio=1.0,
        note="Small counts swing from year to year; the jump threshold is 100 %.",
    ),
    "EC: P: IN: 3A": kpi(
        "Små og mellomstore bedrifter",
        "%",
        share(
            "enterprises with fewer than 250 employees",
            "total enterprises",
            "foretak med færre enn 250 ansatte",
            "foretak i alt",
        ),
        HIGHER,
        warn_min=95,
        note="Verifiers' hint: SMEs are normally more than 95 % of enterprises.",
    ),
    "EC: P: EM: 1C": kpi(
        "Arbeidsledighet",
        "%",
        share(
            "unemployed members of the city labour force",
            "total city labour force",
            "arbeidsledige i arbeidsstyrken",
            "arbeidsstyrken i alt",
        ),
        LOWER,
    ),
    "EC: P: EM: 2C": kpi(
        "Ungdomsledighet",
        "%",
        share(
            "unemployed members of the youth labour force (15-24)",
            "total youth labour force (15-24)",
            "arbeidsledige i arbeidsstyrken 15-24 år",
            "arbeidsstyrken 15-24 år i alt",
        ),
        LOWER,
    ),
    "EC: P: EM: 3A": kpi(
        "Sysselsetting i reiselivsnæringen",
        "%",
        share(
            "people employed in the tourism sector",
            "total employed people",
            "sysselsatte i reiselivsnæringen",
            "sysselsatte i alt",
        ),
        HIGHER,
        note=(
            "Structural KPI; read as higher is better (a broader economic base), as in the city "
            "dashboards the CSV cites. No official sheet; a national target set may reverse it."
        ),
    ),
    "EC: P: EM: 4A": kpi(
        "Sysselsetting i IKT-sektoren",
        "%",
        share(
            "people employed in the ICT sector",
            "total employed people",
            "sysselsatte i IKT-sektoren",
            "sysselsatte i alt",
        ),
        HIGHER,
    ),
    # ---- Economy / Infrastructure ----------------------------------------------------------
    "EC: I: WS: 1C": kpi(
        "Grunnleggende vannforsyning",
        "%",
        share(
            "households with access to a basic water supply",
            "total households",
            "husholdninger med grunnleggende vannforsyning",
            "husholdninger i alt",
        ),
        HIGHER,
    ),
    "EC: I: WS: 2C": kpi(
        "Trygg drikkevannsforsyning",
        "%",
        share(
            "households with a safely managed drinking water service",
            "total households",
            "husholdninger med trygg drikkevannsforsyning",
            "husholdninger i alt",
        ),
        HIGHER,
        note=(
            "Potable (safely managed) water is a higher rung than basic water, so the value "
            "should not exceed Basic Water Supply (verification manual; cross rule "
            "potable_le_basic)."
        ),
    ),
    "EC: I: WS: 3C": kpi(
        "Vanntap i ledningsnettet",
        "%",
        share(
            "water lost in the distribution network (m³)",
            "total water supplied to the network (m³)",
            "vanntap i ledningsnettet (m³)",
            "vann levert til ledningsnettet i alt (m³)",
        ),
        LOWER,
    ),
    "EC: I: WS: 4C": kpi(
        "Innsamling av avløpsvann",
        "%",
        share(
            "households connected to a wastewater collection system",
            "total households",
            "husholdninger tilknyttet avløpsnett",
            "husholdninger i alt",
        ),
        HIGHER,
    ),
    "EC: I: WS: 5C": kpi(
        "Sanitærforhold i husholdninger",
        "%",
        share(
            "households with access to basic sanitation facilities",
            "total households",
            "husholdninger med grunnleggende sanitærforhold",
            "husholdninger i alt",
        ),
        HIGHER,
        warn_min=90,
        note="Verifiers' hint: household sanitation is normally 90 % or more.",
    ),
    "EC: I: WA: 1C": kpi(
        "Avfallsinnsamling",
        "%",
        share(
            "households with regular solid waste collection",
            "total households",
            "husholdninger med fast avfallsinnsamling",
            "husholdninger i alt",
        ),
        HIGHER,
    ),
    "EC: I: ES: 1C": kpi(
        "Hyppighet av strømbrudd",
        "interruptions per customer",
        ratio(
            "customer interruptions in 12 months (sum)",
            "total customers served",
            1,
            "avbrudd hos kunder i løpet av 12 måneder (sum)",
            "kunder i alt",
        ),
        LOWER,
        yoy_warn_ratio=1.0,
        note=(
            "SAIFI: interruptions per customer per year, computed from its two components. "
            "Storm years double it easily, hence a 100 % jump threshold."
        ),
    ),
    "EC: I: ES: 2C": kpi(
        "Varighet av strømbrudd",
        "minutes",
        ratio(
            "sum of customer interruption durations (minutes)",
            "total number of customer interruptions",
            1,
            "samlet varighet av avbrudd hos kunder (minutter)",
            "antall avbrudd hos kunder",
        ),
        LOWER,
        plausible_max=527040,
        yoy_warn_ratio=1.0,
        note=(
            "CAIDI: minutes per interruption. An interruption inside a 12-month period cannot "
            "last longer than the period, so the hard maximum is 527 040 minutes (366 days)."
        ),
    ),
    "EC: I: ES: 3C": kpi(
        "Tilgang til elektrisitet",
        "%",
        share(
            "households with an authorised electricity connection",
            "total households",
            "husholdninger med godkjent strømtilknytning",
            "husholdninger i alt",
        ),
        HIGHER,
        warn_min=90,
        note="Verifiers' hint: access to electricity is normally 90 % or more.",
    ),
    "EC: I: T: 1C": kpi(
        "Kollektivtrafikknett",
        "km per 100 000 inhabitants",
        per_100k(
            "length of the public transport network (km)",
            "lengde kollektivtrafikknett (km)",
        ),
        HIGHER,
        note="Network length in km per 100 000 inhabitants (as ISO 37120 measures it).",
    ),
    "EC: I: T: 2A": kpi(
        "Nærhet til kollektivtilbud",
        "%",
        share(
            "inhabitants living within 0.5 km of a public transport stop",
            "total inhabitants",
            "innbyggere som bor innen 0,5 km fra en holdeplass",
            "innbyggere i alt",
        ),
        HIGHER,
    ),
    "EC: I: T: 3C": kpi(
        "Sykkelveinett",
        "km per 100 000 inhabitants",
        per_100k("length of bicycle paths and lanes (km)", "lengde sykkelveier og sykkelfelt (km)"),
        HIGHER,
    ),
    "EC: I: T: 4A": kpi(
        "Reisemiddelfordeling",
        "%",
        share(
            "commuters travelling to work mainly by this mode",
            "total commuters",
            "arbeidsreisende som hovedsakelig bruker dette reisemiddelet",
            "arbeidsreisende i alt",
        ),
        HIGHER,
        data_points=[
            point(
                "private_vehicles",
                "Private vehicles",
                "Private kjøretøy",
                "%",
                share(
                    "commuters travelling to work mainly by private vehicle",
                    "total commuters",
                    "arbeidsreisende som hovedsakelig kjører privat kjøretøy",
                    "arbeidsreisende i alt",
                ),
                LOWER,
            ),
            point(
                "public_transport",
                "Public transport",
                "Kollektivtransport",
                "%",
                share(
                    "commuters travelling to work mainly by public transport",
                    "total commuters",
                    "arbeidsreisende som hovedsakelig reiser kollektivt",
                    "arbeidsreisende i alt",
                ),
                HIGHER,
            ),
            point(
                "walking",
                "Walking",
                "Gange",
                "%",
                share(
                    "commuters walking to work",
                    "total commuters",
                    "arbeidsreisende som går",
                    "arbeidsreisende i alt",
                ),
                HIGHER,
            ),
            point(
                "cycling",
                "Cycling",
                "Sykkel",
                "%",
                share(
                    "commuters cycling to work",
                    "total commuters",
                    "arbeidsreisende som sykler",
                    "arbeidsreisende i alt",
                ),
                HIGHER,
            ),
            point(
                "para_transport",
                "Para transport",
                "Paratransport",
                "%",
                share(
                    "commuters travelling to work mainly by para transport",
                    "total commuters",
                    "arbeidsreisende som hovedsakelig bruker paratransport",
                    "arbeidsreisende i alt",
                ),
                HIGHER,
                aliases=["paratransit", "para transit"],
            ),
        ],
        note=(
            "Private vehicles: lower is better; public transport, walking and cycling: higher. "
            "Para transport (shared taxis, minibuses) replaces private car trips and is read as "
            "higher is better. The KPI-level direction is the majority's (higher); scoring uses "
            "the data points' directions. Shares of one city sum to about 100 % "
            "(cross rule mode_share_sum)."
        ),
    ),
    "EC: I: T: 5A": kpi(
        "Reisetidsindeks",
        "ratio",
        ratio(
            "travel time in peak periods",
            "travel time at free flow",
            1,
            "reisetid i rushtiden",
            "reisetid ved fri flyt",
        ),
        LOWER,
        plausible_min=0,
        warn_min=1,
        warn_max=3,
        yoy_warn_ratio=0.25,
        note=(
            "Peak over free-flow travel time: 1 is ideal, below 1 is impossible by definition "
            "(warning, not error, to allow for measurement noise); above 3 is unheard of."
        ),
    ),
    "EC: I: T: 6A": kpi(
        "Delesykler",
        "per 100 000 inhabitants",
        per_100k("shared bicycles available", "tilgjengelige delesykler"),
        HIGHER,
        yoy_warn_ratio=1.0,
    ),
    "EC: I: T: 7A": kpi(
        "Delebiler",
        "per 100 000 inhabitants",
        per_100k("shared vehicles available", "tilgjengelige delekjøretøy"),
        HIGHER,
        yoy_warn_ratio=1.0,
    ),
    "EC: I: T: 8A": kpi(
        "Personbiler med lave utslipp",
        "%",
        share(
            "registered low-carbon emission passenger vehicles",
            "total registered passenger vehicles",
            "registrerte personbiler med lave utslipp",
            "registrerte personbiler i alt",
        ),
        HIGHER,
    ),
    "EC: I: B: 1A": kpi(
        "Bærekraftsertifiserte offentlige bygg",
        "%",
        share(
            "floor area of public buildings with a recognised sustainability certification (m²)",
            "total floor area of public buildings (m²)",
            "areal offentlige bygg med anerkjent bærekraftsertifisering (m²)",
            "samlet areal offentlige bygg (m²)",
        ),
        HIGHER,
    ),
    "EC: I: B: 2A": kpi(
        "Integrert bygningsautomasjon i offentlige bygg",
        "%",
        share(
            "public buildings with an integrated ICT building management system",
            "total public buildings",
            "offentlige bygg med integrert IKT-basert driftsstyring",
            "offentlige bygg i alt",
        ),
        HIGHER,
    ),
    "EC: I: UP: 1A": kpi(
        "Infrastruktur for fotgjengere",
        "%",
        share(
            "area designated as pedestrian or car-free zone (km²)",
            "total city area (km²)",
            "areal avsatt til gågate eller bilfri sone (km²)",
            "kommunens samlede areal (km²)",
        ),
        HIGHER,
    ),
    "EC: I: UP: 2A": kpi(
        "By- og arealplanlegging",
        "yes/no",
        BOOLEAN,
        HIGHER,
        data_points=[
            point("compact", "Compact", "Kompakt", "yes/no", BOOLEAN, HIGHER),
            point("connected", "Connected", "Sammenkoblet", "yes/no", BOOLEAN, HIGHER),
            point("integrated", "Integrated", "Integrert", "yes/no", BOOLEAN, HIGHER),
            point("inclusive", "Inclusive", "Inkluderende", "yes/no", BOOLEAN, HIGHER),
            point("resilient", "Resilient", "Motstandsdyktig", "yes/no", BOOLEAN, HIGHER),
        ],
        note=(
            "One yes/no per planning principle (stored 1/0). The verification manual allows "
            "'partial' for a principle met in part; the catalogue records yes only when the "
            "principle is met."
        ),
    ),
    # ---- Environment / Environment ---------------------------------------------------------
    "EN: EN: AQ: 1C": kpi(
        "Luftforurensning",
        "µg/m³",
        VALUE,
        LOWER,
        data_points=[
            point(
                "pm2_5",
                "PM2.5",
                "Svevestøv PM2,5",
                "µg/m³",
                VALUE,
                LOWER,
                plausible_max=1000,
                aliases=["PM 2.5", "fine particulate matter"],
            ),
            point(
                "pm10",
                "PM10",
                "Svevestøv PM10",
                "µg/m³",
                VALUE,
                LOWER,
                plausible_max=1000,
                aliases=["PM 10", "particulate matter"],
            ),
            point(
                "no2",
                "NO2",
                "Nitrogendioksid (NO2)",
                "µg/m³",
                VALUE,
                LOWER,
                plausible_max=1000,
                aliases=["NO₂", "nitrogen dioxide"],
            ),
            point(
                "so2",
                "SO2",
                "Svoveldioksid (SO2)",
                "µg/m³",
                VALUE,
                LOWER,
                plausible_max=1000,
                aliases=["SO₂", "sulphur dioxide", "sulfur dioxide"],
            ),
            point(
                "o3",
                "O3",
                "Ozon (O3)",
                "µg/m³",
                VALUE,
                LOWER,
                plausible_max=1000,
                aliases=["O₃", "ozone"],
            ),
        ],
        definition=(
            "annual mean concentration of each pollutant (mass of pollutant / volume of air "
            "sampled), in µg/m³ (U4SSC KPIs Verification Manual, 2022, p. 85)"
        ),
        note=(
            "The verification manual asks for the annual mean concentration per pollutant in "
            "µg/m³ and tells verifiers to convert ppm/ppb. Entered as direct values. Annual "
            "means above 1 000 µg/m³ do not occur: such a value is a unit mistake (error)."
        ),
    ),
    "EN: EN: AQ: 2C": kpi(
        "Klimagassutslipp",
        "tCO2e/capita",
        per_capita(
            "total greenhouse gas emissions (tCO2e)",
            "samlede klimagassutslipp (tonn CO2-ekvivalenter)",
        ),
        LOWER,
        yoy_warn_ratio=0.3,
        note=(
            "Gross emissions per inhabitant, so never negative. No upper bound: municipalities "
            "hosting heavy industry reach tens of tonnes per inhabitant."
        ),
    ),
    "EN: EN: WS: 1C": kpi(
        "Drikkevannskvalitet",
        "%",
        share(
            "households covered by an audited Water Safety Plan",
            "total households",
            "husholdninger dekket av en revidert plan for trygt drikkevann",
            "husholdninger i alt",
        ),
        HIGHER,
    ),
    "EN: EN: WS: 2C": kpi(
        "Vannforbruk",
        "l/capita/day",
        ratio(
            "total water consumption (litres per day)",
            "population",
            1,
            "samlet vannforbruk (liter per døgn)",
            "folketall",
        ),
        LOWER,
        yoy_warn_ratio=0.3,
        note=(
            "Unit assumed litres per inhabitant per day (ISO 37120 and IBNET use it); the CSV "
            "only says 'per capita'. Lower is better for sustainability, although very low "
            "values can mean unmet needs."
        ),
    ),
    "EN: EN: WS: 3C": kpi(
        "Ferskvannsforbruk",
        "%",
        share(
            "water consumed from freshwater sources (m³)",
            "total water consumed (m³)",
            "vannforbruk fra ferskvannskilder (m³)",
            "samlet vannforbruk (m³)",
        ),
        LOWER,
        note=(
            "The collection methodology reads higher values as more pressure on freshwater "
            "resources, so lower is better."
        ),
    ),
    "EN: EN: WS: 4C": kpi(
        "Avløpsrensing",
        "%",
        share(
            "wastewater receiving this level of treatment (m³)",
            "total wastewater produced (m³)",
            "avløpsvann som får dette rensenivået (m³)",
            "samlet mengde avløpsvann (m³)",
        ),
        HIGHER,
        data_points=[
            point(
                "primary",
                "Primary treatment",
                "Primærrensing",
                "%",
                share(
                    "wastewater receiving primary treatment (m³)",
                    "total wastewater produced (m³)",
                    "avløpsvann med primærrensing (m³)",
                    "samlet mengde avløpsvann (m³)",
                ),
                HIGHER,
            ),
            point(
                "secondary",
                "Secondary treatment",
                "Sekundærrensing",
                "%",
                share(
                    "wastewater receiving secondary treatment (m³)",
                    "total wastewater produced (m³)",
                    "avløpsvann med sekundærrensing (m³)",
                    "samlet mengde avløpsvann (m³)",
                ),
                HIGHER,
            ),
            point(
                "tertiary",
                "Tertiary treatment",
                "Tertiærrensing",
                "%",
                share(
                    "wastewater receiving tertiary treatment (m³)",
                    "total wastewater produced (m³)",
                    "avløpsvann med tertiærrensing (m³)",
                    "samlet mengde avløpsvann (m³)",
                ),
                HIGHER,
            ),
        ],
        note=(
            "Each level is a share of all wastewater, higher is better. The sources do not say "
            "whether levels are cumulative (secondary also counted as primary) or exclusive, so "
            "no cross rule relates them yet. Code 4C as in the city dashboard; the KS file's "
            "'EN: EN: WS: 3C' is an error (3C is Freshwater Consumption)."
        ),
    ),
    "EN: EN: WA: 1C": kpi(
        "Avfallsbehandling",
        "%",
        share(
            "solid waste treated by this method (t)",
            "total solid waste (t)",
            "fast avfall behandlet med denne metoden (tonn)",
            "samlet mengde fast avfall (tonn)",
        ),
        LOWER,
        data_points=[
            point(
                "landfill",
                "Landfill",
                "Deponi",
                "%",
                share(
                    "solid waste disposed of in a sanitary landfill (t)",
                    "total solid waste (t)",
                    "fast avfall lagt på deponi (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                LOWER,
            ),
            point(
                "burnt",
                "Burnt",
                "Åpen brenning",
                "%",
                share(
                    "solid waste burnt in the open (t)",
                    "total solid waste (t)",
                    "fast avfall brent åpent (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                LOWER,
                aliases=["burned", "open burning"],
            ),
            point(
                "incinerated",
                "Incinerated",
                "Forbrenning",
                "%",
                share(
                    "solid waste incinerated (t)",
                    "total solid waste (t)",
                    "fast avfall til forbrenning (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                LOWER,
                aliases=["incineration"],
            ),
            point(
                "open_dump",
                "Open dump",
                "Åpen fylling",
                "%",
                share(
                    "solid waste disposed of in open dumps (t)",
                    "total solid waste (t)",
                    "fast avfall lagt på åpen fylling (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                LOWER,
                aliases=["open dumping", "dump"],
            ),
            point(
                "recycled",
                "Recycled",
                "Materialgjenvinning",
                "%",
                share(
                    "solid waste recycled (t)",
                    "total solid waste (t)",
                    "fast avfall til materialgjenvinning (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                HIGHER,
                aliases=["recycling"],
            ),
            point(
                "other",
                "Other",
                "Annen behandling",
                "%",
                share(
                    "solid waste treated by other means (t)",
                    "total solid waste (t)",
                    "fast avfall med annen behandling (tonn)",
                    "samlet mengde fast avfall (tonn)",
                ),
                LOWER,
            ),
        ],
        note=(
            "Landfill, open burning and open dumps: lower is better. Incineration is below "
            "recycling in the EU waste hierarchy (Directive 2008/98/EC, art. 4), so lower is "
            "better too; recycling: higher. 'Other' is untraceable treatment: lower. The "
            "KPI-level direction is the majority's (lower); scoring uses the data points. "
            "Shares sum to about 100 % (cross rule waste_treatment_sum)."
        ),
    ),
    "EN: EN: EQ: 1C": kpi(
        "Eksponering for elektromagnetiske felt",
        "%",
        share(
            "mobile network antenna sites complying with EMF exposure guidelines",
            "total mobile network antenna sites",
            "antenneanlegg for mobilnett som overholder retningslinjene for EMF-eksponering",
            "antenneanlegg for mobilnett i alt",
        ),
        HIGHER,
        note="The share of compliant antenna sites: higher is better.",
    ),
    "EN: EN: EQ: 2A": kpi(
        "Støyeksponering",
        "%",
        share(
            "inhabitants exposed to excessive noise levels",
            "total inhabitants",
            "innbyggere utsatt for helseskadelig støy",
            "innbyggere i alt",
        ),
        LOWER,
    ),
    "EN: EN: PSN: 1C": kpi(
        "Grøntområder",
        "ha per 100 000 inhabitants",
        per_100k("green area (ha)", "grøntareal (hektar)"),
        HIGHER,
        note=(
            "Area unit assumed hectares per 100 000 inhabitants, as in ISO 37120; the CSV does "
            "not state the area unit."
        ),
    ),
    "EN: EN: PSN: 2A": kpi(
        "Tilgang til grøntområder",
        "%",
        share(
            "inhabitants with access to a green area (within walking distance)",
            "total inhabitants",
            "innbyggere med gangavstand til grøntområde",
            "innbyggere i alt",
        ),
        HIGHER,
    ),
    "EN: EN: PSN: 3A": kpi(
        "Vernede naturområder",
        "%",
        share(
            "city area protected as natural sites (km²)",
            "total city area (km²)",
            "kommunens areal vernet som naturområder (km²)",
            "kommunens samlede areal (km²)",
        ),
        HIGHER,
    ),
    "EN: EN: PSN: 4A": kpi(
        "Rekreasjonsarealer",
        "ha per 100 000 inhabitants",
        per_100k(
            "area of public recreational facilities (ha)",
            "areal for offentlige rekreasjonsanlegg (hektar)",
        ),
        HIGHER,
        note=(
            "Area unit assumed hectares per 100 000 inhabitants, like Green Areas; the CSV only "
            "gives 'area ... per 100 000 inhabitants'."
        ),
    ),
    # ---- Environment / Energy --------------------------------------------------------------
    "EN: E: E: 1C": kpi(
        "Forbruk av fornybar energi",
        "%",
        share(
            "energy consumed from renewable sources",
            "total energy consumption",
            "energiforbruk fra fornybare kilder",
            "samlet energiforbruk",
        ),
        HIGHER,
    ),
    "EN: E: E: 2C": kpi(
        "Strømforbruk",
        "kWh/capita/year",
        per_capita(
            "total electricity consumption in the year (kWh)",
            "samlet strømforbruk i året (kWh)",
        ),
        LOWER,
        yoy_warn_ratio=0.3,
        note=(
            "Lower is better for sustainability. In countries that heat with renewable "
            "electricity (Norway) the level is high for a good reason; a national target set "
            "should account for it."
        ),
    ),
    "EN: E: E: 3C": kpi(
        "Energiforbruk til oppvarming i boliger",
        "GJ/capita/year",
        per_capita(
            "residential thermal energy consumption in the year (GJ)",
            "termisk energiforbruk i boliger i året (GJ)",
        ),
        LOWER,
        yoy_warn_ratio=0.3,
    ),
    "EN: E: E: 4A": kpi(
        "Energiforbruk i offentlige bygg",
        "kWh/m²/year",
        ratio(
            "energy consumption of public buildings in the year (kWh)",
            "total floor area of public buildings (m²)",
            1,
            "energiforbruk i offentlige bygg i året (kWh)",
            "samlet areal offentlige bygg (m²)",
        ),
        LOWER,
        yoy_warn_ratio=0.3,
    ),
    # ---- Society and Culture / Education, Health and Culture -----------------------------
    "SC: EH: ED: 1C": kpi(
        "Elevers tilgang til IKT",
        "%",
        share(
            "students with classroom access to ICT facilities",
            "total students enrolled",
            "elever med tilgang til IKT i undervisningen",
            "elever i alt",
        ),
        HIGHER,
    ),
    "SC: EH: ED: 2C": kpi(
        "Skoledeltakelse",
        "%",
        share(
            "primary and secondary students (public and private)",
            "school-aged population",
            "elever i grunnskole og videregående skole (offentlige og private)",
            "befolkning i skolealder",
        ),
        HIGHER,
        plausible_max=200,
        note=(
            "A gross ratio: students outside the age band (repeaters, commuters from other "
            "municipalities) can lift it above 100 %, so the hard maximum is 200 %."
        ),
    ),
    "SC: EH: ED: 3C": kpi(
        "Personer med høyere utdanning",
        "per 100 000 inhabitants",
        per_100k(
            "inhabitants holding a higher education degree",
            "innbyggere med høyere utdanning",
        ),
        HIGHER,
        plausible_max=100000,
        note="Counts people, so it cannot exceed 100 000 per 100 000 inhabitants.",
    ),
    "SC: EH: ED: 4C": kpi(
        "Leseferdighet blant voksne",
        "%",
        share(
            "literate adults (15 and over)",
            "total adult population (15 and over)",
            "voksne (15 år og over) som kan lese og skrive",
            "voksne (15 år og over) i alt",
        ),
        HIGHER,
    ),
    "SC: EH: ED: 5A": kpi(
        "Elektronisk pasientjournal",
        "%",
        share(
            "inhabitants with electronic health records",
            "total inhabitants",
            "innbyggere med elektronisk pasientjournal",
            "innbyggere i alt",
        ),
        HIGHER,
        category="Health",
        note=(
            "Coded ED (Education) in the official documents, but it belongs to Health (domain "
            "brief). The reference CSV's category column says Education, derived from the "
            "code; the catalogue overrides it to Health and keeps category_code ED "
            "(decision 0202)."
        ),
    ),
    "SC: EH: H: 1C": kpi(
        "Forventet levealder",
        "years",
        VALUE,
        HIGHER,
        plausible_max=125,
        warn_min=50,
        warn_max=95,
        yoy_warn_ratio=0.05,
        note=(
            "Life expectancy at birth in years. Nobody verified lived past 122, so 125 is the "
            "hard maximum; national values lie between about 50 and 86, so outside 50-95 warns. "
            "A move of more than 5 % (about 4 years) in a year is an error signal."
        ),
    ),
    "SC: EH: H: 2C": kpi(
        "Mødredødelighet",
        "per 100 000 live births",
        ratio(
            "maternal deaths in the year",
            "live births in the year",
            100_000,
            "mødredødsfall i året",
            "levendefødte i året",
        ),
        LOWER,
        plausible_max=100000,
        yoy_warn_ratio=None,
        note=(
            "Per 100 000 live births as in SDG indicator 3.1.1 (the CSV leaves the denominator "
            "open). Rare events: a single death moves a small city's rate a lot, so no "
            "year-on-year warning."
        ),
    ),
    "SC: EH: H: 3C": kpi(
        "Leger",
        "per 100 000 inhabitants",
        per_100k("physicians working in the city", "leger som arbeider i kommunen"),
        HIGHER,
        plausible_max=100000,
    ),
    "SC: EH: H: 4A": kpi(
        "Sengeplasser i sykehus",
        "per 100 000 inhabitants",
        per_100k("in-patient hospital beds", "sengeplasser for innlagte pasienter"),
        HIGHER,
    ),
    "SC: EH: H: 5A": kpi(
        "Helseforsikring / offentlig helsedekning",
        "%",
        share(
            "inhabitants covered by health insurance or a public health system",
            "total inhabitants",
            "innbyggere dekket av helseforsikring eller offentlig helsetjeneste",
            "innbyggere i alt",
        ),
        HIGHER,
    ),
    "SC: EH: C: 1C": kpi(
        "Kulturutgifter",
        "%",
        share(
            "city expenditure on cultural heritage",
            "total city expenditure",
            "kommunens utgifter til kulturarv",
            "kommunens samlede utgifter",
        ),
        HIGHER,
    ),
    "SC: EH: C: 2A": kpi(
        "Kulturinstitusjoner",
        "per 100 000 inhabitants",
        per_100k("cultural institutions", "kulturinstitusjoner"),
        HIGHER,
    ),
    # ---- Society and Culture / Safety, Housing and Social Inclusion ----------------------
    "SC: SH: HO: 1C": kpi(
        "Uformelle bosetninger",
        "%",
        share(
            "inhabitants living in slums, informal settlements or inadequate housing",
            "total inhabitants",
            "innbyggere i slum, uformelle bosetninger eller utilstrekkelige boliger",
            "innbyggere i alt",
        ),
        LOWER,
    ),
    "SC: SH: HO: 2A": kpi(
        "Boutgifter som andel av inntekt",
        "%",
        share(
            "household expenditure on housing",
            "household income",
            "husholdningenes boutgifter",
            "husholdningenes inntekt",
        ),
        LOWER,
    ),
    "SC: SH: SI: 1C": kpi(
        "Lønnslikestilling mellom kvinner og menn",
        "ratio",
        ratio(
            "average hourly earnings of female workers",
            "average hourly earnings of male workers",
            1,
            "gjennomsnittlig timelønn for kvinner",
            "gjennomsnittlig timelønn for menn",
        ),
        {"kind": "range", "low": 1.0, "high": 1.0},
        warn_min=0.5,
        warn_max=1.5,
        yoy_warn_ratio=0.2,
        note=(
            "Equity means parity (1.0, SDG target 8.5 equal pay for work of equal value), so "
            "the direction is a range with low = high = 1: a ratio of 1.1 is as far from "
            "equity as 0.91. Outside 0.5-1.5 warns (a percentage typed instead of a ratio)."
        ),
    ),
    "SC: SH: SI: 2C": kpi(
        "Gini-koeffisient",
        "coefficient",
        VALUE,
        LOWER,
        plausible_max=1,
        yoy_warn_ratio=0.2,
        note=(
            "On the 0-1 scale as the Kristiansund report prints it (0.23). A value on the "
            "0-100 scale is an error that names the expected range."
        ),
    ),
    "SC: SH: SI: 3C": kpi(
        "Andel i inntektsfattigdom",
        "%",
        share(
            "inhabitants living below the income poverty line",
            "total inhabitants",
            "innbyggere under fattigdomsgrensen",
            "innbyggere i alt",
        ),
        LOWER,
    ),
    "SC: SH: SI: 4C": kpi(
        "Valgdeltakelse",
        "%",
        share(
            "people who voted in the last municipal election",
            "people eligible to vote",
            "personer som stemte ved siste kommunestyrevalg",
            "stemmeberettigede",
        ),
        HIGHER,
    ),
    "SC: SH: SI: 5A": kpi(
        "Barnehagedekning",
        "%",
        share(
            "children aged 0-3 enrolled in day-care centres",
            "children aged 0-3",
            "barn 0-3 år i barnehage",
            "barn 0-3 år i alt",
        ),
        HIGHER,
    ),
    "SC: SH: SA: 1C": kpi(
        "Dødsfall ved naturkatastrofer",
        "per 100 000 inhabitants",
        per_100k(
            "deaths caused by natural disasters in the year",
            "dødsfall forårsaket av naturkatastrofer i året",
        ),
        LOWER,
        plausible_max=100000,
        yoy_warn_ratio=None,
        note="Rare events (most years zero): no year-on-year warning.",
    ),
    "SC: SH: SA: 2C": kpi(
        "Økonomiske tap ved katastrofer",
        "% of GDP",
        share(
            "economic losses caused by natural disasters",
            "city GDP",
            "økonomiske tap forårsaket av naturkatastrofer",
            "brutto regionalprodukt for kommunen",
        ),
        LOWER,
        yoy_warn_ratio=None,
        note="Rare events: no year-on-year warning.",
    ),
    "SC: SH: SA: 3A": kpi(
        "Planer for motstandsdyktighet",
        "yes/no",
        BOOLEAN,
        HIGHER,
        note=(
            "Yes when risk and vulnerability assessments and disaster mitigation plans are "
            "implemented."
        ),
    ),
    "SC: SH: SA: 4A": kpi(
        "Befolkning i risikoutsatte områder",
        "%",
        share(
            "inhabitants living in disaster prone areas",
            "total inhabitants",
            "innbyggere som bor i risikoutsatte områder",
            "innbyggere i alt",
        ),
        LOWER,
    ),
    "SC: SH: SA: 5A": kpi(
        "Responstid for nødetatene",
        "minutes",
        ratio(
            "sum of emergency response times (minutes)",
            "number of emergency responses",
            1,
            "samlet responstid for nødetatene (minutter)",
            "antall utrykninger",
        ),
        LOWER,
        note="Average minutes from call to arrival; may be computed from its components.",
    ),
    "SC: SH: SA: 6C": kpi(
        "Polititjeneste",
        "FTE per 100 000 inhabitants",
        per_100k("police officers (full-time equivalents)", "politiårsverk"),
        HIGHER,
        plausible_max=100000,
        note="Service availability: higher is better, as in the U4SSC reports' benchmarks.",
    ),
    "SC: SH: SA: 7C": kpi(
        "Brannvesen",
        "FTE per 100 000 inhabitants",
        per_100k("firefighters (full-time equivalents)", "årsverk i brannvesenet"),
        HIGHER,
        plausible_max=100000,
    ),
    "SC: SH: SA: 8C": kpi(
        "Voldskriminalitet",
        "per 100 000 inhabitants",
        per_100k("violent crimes reported in the year", "anmeldte voldslovbrudd i året"),
        LOWER,
    ),
    "SC: SH: SA: 9C": kpi(
        "Drepte i trafikken",
        "per 100 000 inhabitants",
        per_100k("road traffic deaths in the year", "drepte i veitrafikken i året"),
        LOWER,
        plausible_max=100000,
        yoy_warn_ratio=None,
        note="Small counts in small cities: no year-on-year warning.",
    ),
    "SC: SH: FS: 1A": kpi(
        "Lokal matproduksjon",
        "%",
        share(
            "food supplied from within 100 km of the urban area (t)",
            "total food supplied (t)",
            "mat produsert innen 100 km fra byområdet (tonn)",
            "samlet mengde mat levert (tonn)",
        ),
        HIGHER,
    ),
}


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------
def normalise_code(code: str) -> str:
    """Same rule as u4ssc.core.catalogue.normalise_code (kept here so the tool runs alone)."""
    text = re.sub(r"\(\?\)\s*$", "", code.strip()).upper()
    parts = [p for p in re.split(r"[\s:]+", text) if p]
    if parts:
        m = re.fullmatch(r"0*(\d+)([CA])", parts[-1])
        if m:
            parts[-1] = f"{int(m.group(1))}{m.group(2)}"
    return ": ".join(parts)


def parse_sdgs(text: str) -> list[str]:
    """'SDG 17.6.2; 17.8.1' -> ['17.6.2', '17.8.1']; goal-level '5; 9' -> ['5', '9']."""
    if not text or text.strip().lower() == "not captured":
        return []
    head = re.sub(r"\(.*?\)", "", text)
    head = re.sub(r"(?i)plus an SDG (\d+) target.*", r"; \1", head)
    found = re.findall(r"\b(\d{1,2}(?:\.[0-9a-z]+){0,2})\b", head)
    out: list[str] = []
    for f in found:
        if f not in out:
            out.append(f)
    return out


def _aliases(unit: str, extra: list[str] | None) -> list[str]:
    base = list(UNIT_ALIASES.get(unit, [unit]))
    if unit not in base:
        base.insert(0, unit)
    for a in extra or []:
        if a not in base:
            base.append(a)
    return base


def _measurand_fields(spec: dict[str, Any], unit: str) -> dict[str, Any]:
    pmin, pmax, yoy, yoy_min = UNIT_DEFAULTS.get(unit, DEFAULT_RANGE)
    measure = {
        "kind": spec["measure"]["kind"],
        "numerator": spec["measure"].get("numerator"),
        "denominator": spec["measure"].get("denominator"),
        "multiplier": spec["measure"].get("multiplier"),
        "numerator_nb": spec["measure"].get("numerator_nb"),
        "denominator_nb": spec["measure"].get("denominator_nb"),
    }
    if measure["kind"] == "boolean":
        yoy = None
    direction = {
        "kind": spec["direction"]["kind"],
        "low": spec["direction"].get("low"),
        "high": spec["direction"].get("high"),
    }
    return {
        "unit": unit,
        "unit_aliases": _aliases(unit, spec.get("unit_aliases")),
        "measure": measure,
        "direction": direction,
        "plausible_min": spec.get("plausible_min", pmin),
        "plausible_max": spec.get("plausible_max", pmax),
        "warn_min": spec.get("warn_min"),
        "warn_max": spec.get("warn_max"),
        "yoy_warn_ratio": spec.get("yoy_warn_ratio", yoy),
        "yoy_warn_min_change": spec.get("yoy_warn_min_change", yoy_min),
    }


def _derived_definition(measure: dict[str, Any]) -> str:
    if measure["kind"] == "ratio":
        mult = measure["multiplier"]
        tail = "" if mult == 1 else f" x {mult:,}".replace(",", " ")
        return f"{measure['numerator']} / {measure['denominator']}{tail}"
    if measure["kind"] == "boolean":
        return "yes (1) or no (0)"
    return "value reported directly"


def build() -> dict[str, Any]:
    with CSV_PATH.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    keys = [normalise_code(r["code"]) for r in rows]
    missing = sorted(set(keys) - set(DECISIONS))
    unused = sorted(set(DECISIONS) - set(keys))
    if missing or unused:
        raise SystemExit(
            f"decisions table out of step with the CSV: missing {missing}, unused {unused}"
        )

    kpis = []
    for position, (row, key) in enumerate(zip(rows, keys, strict=True)):
        spec = DECISIONS[key]
        parts = key.split(": ")
        level_letter = parts[3][-1]
        expected_level = {"C": "core", "A": "advanced"}[level_letter]
        if row["level"] != expected_level:
            raise SystemExit(f"{row['code']}: level {row['level']} disagrees with the code")
        fields = _measurand_fields(spec, spec["unit"])
        data_points = []
        for dp in spec.get("data_points", []):
            dp_fields = _measurand_fields(dp, dp["unit"])
            data_points.append(
                {
                    "key": dp["key"],
                    "name": dp["name"],
                    "name_nb": dp["name_nb"],
                    "aliases": list(dp.get("aliases", [])),
                    **dp_fields,
                }
            )
        if data_points:
            # Ranges and thresholds live on the data points; the KPI-level ones would mislead.
            for f_name in (
                "plausible_min",
                "plausible_max",
                "warn_min",
                "warn_max",
                "yoy_warn_ratio",
                "yoy_warn_min_change",
            ):
                fields[f_name] = None
        formula = row["formula"].strip()
        if not formula or formula == "official formula sheet not retrieved":
            definition = spec.get("definition") or (
                _derived_definition(fields["measure"])
                + " (formula derived by the platform; not in the reference sources)"
            )
        else:
            definition = spec.get("definition") or formula
        kpis.append(
            {
                "position": position,
                "code": row["code"],
                "key": key,
                "code_aliases": list(spec.get("code_aliases", [])),
                "name": row["name"],
                "name_nb": spec["name_nb"],
                "dimension": row["dimension"],
                "dimension_code": DIMENSION_CODES[row["dimension"]],
                "subdimension": row["subdimension"],
                "subdimension_code": parts[1],
                "category": spec.get("category", row["category"]),
                "category_code": parts[2],
                "number": int(parts[3][:-1]),
                "level": row["level"],
                "type": row["type"],
                "unit_label": row["unit"],
                **fields,
                "data_points": data_points,
                "sdgs": parse_sdgs(row["sdgs"]),
                "sdgs_text": row["sdgs"],
                "sheet_verified": row["sheet_verified"].strip().lower() == "yes",
                "definition": definition,
                "source": row["source"],
                "decision_note": spec.get("decision_note", ""),
            }
        )
    return {
        "version": VERSION,
        "title": "U4SSC key performance indicators for smart sustainable cities",
        "basis": (
            "Recommendation ITU-T Y.4903/L.1603; U4SSC collection methodology and "
            "verification manual"
        ),
        "generated_by": (
            "tools/build_catalogue.py from shared/reference/u4ssc-kpis.csv and its decisions table"
        ),
        "kpis": kpis,
    }


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:g}"


def _direction_text(d: dict[str, Any]) -> str:
    if d["kind"] == "range":
        return f"range {_fmt(d['low'])}-{_fmt(d['high'])}"
    return d["kind"]


def _measure_text(m: dict[str, Any]) -> str:
    if m["kind"] == "ratio":
        mult = "" if m["multiplier"] == 1 else f" x {_fmt(m['multiplier'])}"
        return f"{m['numerator']} / {m['denominator']}{mult}"
    return m["kind"]


def _range_text(r: dict[str, Any]) -> str:
    hard = f"{_fmt(r['plausible_min'])}..{_fmt(r['plausible_max'])}"
    warn = ""
    if r["warn_min"] is not None or r["warn_max"] is not None:
        warn = f"; normally {_fmt(r['warn_min'])}..{_fmt(r['warn_max'])}"
    yoy = "" if r["yoy_warn_ratio"] is None else f"; jump > {int(r['yoy_warn_ratio'] * 100)} %"
    return hard + warn + yoy


def render_docs_table(data: dict[str, Any]) -> str:
    lines = [
        DOCS_BEGIN,
        "",
        f"Catalogue version {data['version']}: {len(data['kpis'])} KPIs.",
        "",
        "| code | name | unit | measure | direction | range (hard; normally; yoy) |",
        "|---|---|---|---|---|---|",
    ]
    for k in data["kpis"]:
        if k["data_points"]:
            head = f"| `{k['code']}` | {k['name']} | {k['unit']} | data points"
            lines.append(f"{head} | {_direction_text(k['direction'])} | |")
            for dp in k["data_points"]:
                lines.append(
                    f"| | &nbsp;&nbsp;`{dp['key']}` {dp['name']} | {dp['unit']} "
                    f"| {_measure_text(dp['measure'])} | {_direction_text(dp['direction'])} "
                    f"| {_range_text(dp)} |"
                )
        else:
            lines.append(
                f"| `{k['code']}` | {k['name']} | {k['unit']} | {_measure_text(k['measure'])} "
                f"| {_direction_text(k['direction'])} | {_range_text(k)} |"
            )
    lines += ["", DOCS_END]
    return "\n".join(lines)


def render_docs(data: dict[str, Any], current: str) -> str:
    table = render_docs_table(data)
    if DOCS_BEGIN in current and DOCS_END in current:
        head, rest = current.split(DOCS_BEGIN, 1)
        _, tail = rest.split(DOCS_END, 1)
        return head + table + tail
    return current.rstrip("\n") + "\n\n" + table + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the outputs are stale")
    args = parser.parse_args(argv)
    data = build()
    json_text = render_json(data)
    docs_current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
    docs_text = render_docs(data, docs_current)
    if args.check:
        stale = []
        if not OUT_PATH.exists() or OUT_PATH.read_text(encoding="utf-8") != json_text:
            stale.append(str(OUT_PATH.relative_to(ROOT)))
        if docs_current != docs_text:
            stale.append(str(DOCS_PATH.relative_to(ROOT)))
        if stale:
            print("out of date (run python tools/build_catalogue.py): " + ", ".join(stale))
            return 1
        print("catalogue up to date")
        return 0
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(json_text, encoding="utf-8")
    DOCS_PATH.write_text(docs_text, encoding="utf-8")
    out, docs = OUT_PATH.relative_to(ROOT), DOCS_PATH.relative_to(ROOT)
    print(f"wrote {out} ({len(data['kpis'])} KPIs) and {docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
