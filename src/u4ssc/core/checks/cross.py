"""Rules that relate the values of several KPIs (or data points) of one city and year.

Each rule has a stable code (``cross:<name>``), a source, and attaches its issue to every
(kpi_key, data_point) it concerns so the officer sees it beside each figure. All are
warnings: the values often come from different sources or years, and a verifier decides
(decision 0203).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from u4ssc.core.catalogue import Catalogue, load_catalogue
from u4ssc.core.checks.issues import WARNING, Issue
from u4ssc.core.checks.texts import Text, Value, template, term

Key = tuple[str, str]
Found = list[tuple[str, str, Issue]]

INTERNET = "EC: ICT: ICT: 1C"
BROADBAND = "EC: ICT: ICT: 2C"
BASIC_WATER = "EC: I: WS: 1C"
POTABLE_WATER = "EC: I: WS: 2C"
MODE_SHARE = "EC: I: T: 4A"
WASTE_TREATMENT = "EN: EN: WA: 1C"
OPEN_DATA = "EC: ICT: PS: 1A"
OUTAGE_FREQUENCY = "EC: I: ES: 1C"
OUTAGE_TIME = "EC: I: ES: 2C"

# Shares reported to whole or one-decimal percentages can add up to a little over 100.
SUM_OVER_TOLERANCE = 2.0
# With every category reported, the shares should cover nearly everything.
SUM_COMPLETE_MIN = 95.0


@dataclass(frozen=True)
class CrossRule:
    code: str
    description: str
    source: str
    check: Callable[[Mapping[Key, float], Catalogue], Found]


def _issue(code: str, text: Text, expected: Text) -> Issue:
    return Issue.of(code, WARNING, "value", text, expected)


BROADBAND_HIGH = template(
    "cross:broadband_le_internet",
    "Fixed broadband subscriptions (%(broadband)s per 100 households) are higher than "
    "household Internet access (%(internet)s). Households with fixed broadband have Internet "
    "access, so subscriptions are normally no more than the access rate; business lines or "
    "two subscriptions per household can explain a difference.",
)
BROADBAND_EXPECTED = template(
    "cross:broadband_le_internet", "at most %(internet)s (household Internet access)"
)
INTERNET_LOW = template(
    "cross:broadband_le_internet",
    "Household Internet access (%(internet)s) is lower than fixed broadband subscriptions "
    "(%(broadband)s per 100 households). Households with fixed broadband have Internet "
    "access, so subscriptions are normally no more than the access rate; business lines or "
    "two subscriptions per household can explain a difference.",
)
INTERNET_EXPECTED = template(
    "cross:broadband_le_internet", "at least %(broadband)s %% (fixed broadband subscriptions)"
)


def _broadband_le_internet(v: Mapping[Key, float], cat: Catalogue) -> Found:
    code = "cross:broadband_le_internet"
    b, i = v.get((BROADBAND, "")), v.get((INTERNET, ""))
    if b is None or i is None or b <= i:
        return []
    params = {"broadband": b, "internet": Value(i, "%")}
    return [
        (
            BROADBAND,
            "",
            _issue(code, Text(BROADBAND_HIGH, params), Text(BROADBAND_EXPECTED, params)),
        ),
        (INTERNET, "", _issue(code, Text(INTERNET_LOW, params), Text(INTERNET_EXPECTED, params))),
    ]


# A plausibility hint of the verifiers (a warning): worded as what is normal, not as a rule.
POTABLE_HIGH = template(
    "cross:potable_le_basic",
    "Potable water supply (%(potable)s) is higher than basic water supply (%(basic)s). "
    "Potable (safely managed) water is a higher level of service than basic water, so its "
    "share is normally no larger: check both figures and their sources, or explain the "
    "difference.",
)
POTABLE_EXPECTED = template("cross:potable_le_basic", "at most %(basic)s (basic water supply)")
BASIC_LOW = template(
    "cross:potable_le_basic",
    "Basic water supply (%(basic)s) is lower than potable water supply (%(potable)s). "
    "Potable (safely managed) water is a higher level of service than basic water, so its "
    "share is normally no larger: check both figures and their sources, or explain the "
    "difference.",
)
BASIC_EXPECTED = template("cross:potable_le_basic", "at least %(potable)s (potable water supply)")


def _potable_le_basic(v: Mapping[Key, float], cat: Catalogue) -> Found:
    code = "cross:potable_le_basic"
    p, b = v.get((POTABLE_WATER, "")), v.get((BASIC_WATER, ""))
    if p is None or b is None or p <= b:
        return []
    params = {"potable": Value(p, "%"), "basic": Value(b, "%")}
    return [
        (
            POTABLE_WATER,
            "",
            _issue(code, Text(POTABLE_HIGH, params), Text(POTABLE_EXPECTED, params)),
        ),
        (BASIC_WATER, "", _issue(code, Text(BASIC_LOW, params), Text(BASIC_EXPECTED, params))),
    ]


def _shares_sum(
    kpi_key: str, rule: str, what: str
) -> Callable[[Mapping[Key, float], Catalogue], Found]:
    code = f"cross:{rule}"
    over = template(
        code,
        "The %(what)s add up to %(total)s, more than 100 %%. Each is a share of one whole, "
        "counted once; check the shares.",
    )
    over_expected = template(code, "a total of at most 100 %%")
    under = template(
        code,
        "The %(what)s add up to only %(total)s. With every category reported they should cover "
        "the whole (about 100 %%); check for a missing or mis-typed share.",
    )
    under_expected = template(code, "a total of about 100 %% (%(low)s-102 %%)")
    what_term = term(what)

    def check(v: Mapping[Key, float], cat: Catalogue) -> Found:
        points = [dp.data_point for dp in cat.get(kpi_key).data_points]
        reported = {p: v[(kpi_key, p)] for p in points if (kpi_key, p) in v}
        if not reported:
            return []
        total = sum(reported.values())
        complete = len(reported) == len(points)
        params = {"what": what_term, "total": Value(total, "%")}
        if total > 100 + SUM_OVER_TOLERANCE:
            text, expected = Text(over, params), Text(over_expected)
        elif complete and total < SUM_COMPLETE_MIN:
            text = Text(under, params)
            expected = Text(under_expected, {"low": SUM_COMPLETE_MIN})
        else:
            return []
        return [(kpi_key, p, _issue(code, text, expected)) for p in reported]

    return check


OPEN_DATA_TEXT = template(
    "cross:open_data_consistent",
    "Open data: %(number)s data sets published but %(percent)s of all data sets open. Both "
    "count the same published data sets, so both are zero or both are above zero.",
)
OPEN_DATA_EXPECTED = template("cross:open_data_consistent", "both zero or both above zero")


def _open_data_consistent(v: Mapping[Key, float], cat: Catalogue) -> Found:
    code = "cross:open_data_consistent"
    n, p = v.get((OPEN_DATA, "number")), v.get((OPEN_DATA, "percent"))
    if n is None or p is None or (n == 0) == (p == 0):
        return []
    text = Text(OPEN_DATA_TEXT, {"number": n, "percent": Value(p, "%")})
    expected = Text(OPEN_DATA_EXPECTED)
    return [(OPEN_DATA, dp, _issue(code, text, expected)) for dp in ("number", "percent")]


OUTAGE_TEXT = template(
    "cross:outage_time_without_outages",
    "Outage time is %(time)s per interruption although the outage frequency is 0: with no "
    "interruptions there is no outage time to average.",
)
OUTAGE_FREQUENCY_EXPECTED = template(
    "cross:outage_time_without_outages", "outage frequency above 0"
)
OUTAGE_TIME_EXPECTED = template(
    "cross:outage_time_without_outages", "0 or empty when there were no interruptions"
)


def _outage_time_without_outages(v: Mapping[Key, float], cat: Catalogue) -> Found:
    code = "cross:outage_time_without_outages"
    f, t = v.get((OUTAGE_FREQUENCY, "")), v.get((OUTAGE_TIME, ""))
    if f is None or t is None or not (f == 0 and t > 0):
        return []
    text = Text(OUTAGE_TEXT, {"time": Value(t, "minutes")})
    return [
        (OUTAGE_FREQUENCY, "", _issue(code, text, Text(OUTAGE_FREQUENCY_EXPECTED))),
        (OUTAGE_TIME, "", _issue(code, text, Text(OUTAGE_TIME_EXPECTED))),
    ]


CROSS_RULES: tuple[CrossRule, ...] = (
    CrossRule(
        "cross:broadband_le_internet",
        "Fixed broadband subscriptions (per 100 households) normally do not exceed household "
        "Internet access (%).",
        "Verifiers' plausibility hints (domain brief, section 2).",
        _broadband_le_internet,
    ),
    CrossRule(
        "cross:potable_le_basic",
        "Potable water supply normally does not exceed basic water supply.",
        "U4SSC KPIs Verification Manual (2022), Potable Water Supply: 'Value reported should "
        "be less than Basic Water'; domain brief, section 2.",
        _potable_le_basic,
    ),
    CrossRule(
        "cross:mode_share_sum",
        "The five transport mode shares add up to at most about 100 %, and to about 100 % "
        "when all five are reported.",
        "Transportation Mode Share divides commuters by their main mode (reference CSV "
        "formula; domain brief, section 1).",
        _shares_sum(MODE_SHARE, "mode_share_sum", "transport mode shares"),
    ),
    CrossRule(
        "cross:waste_treatment_sum",
        "The six solid waste treatment shares add up to at most about 100 %, and to about "
        "100 % when all six (including 'other') are reported.",
        "Solid Waste Treatment divides the city's solid waste by disposal method (reference "
        "CSV formula; domain brief, section 1).",
        _shares_sum(WASTE_TREATMENT, "waste_treatment_sum", "solid waste treatment shares"),
    ),
    CrossRule(
        "cross:open_data_consistent",
        "The number of open data sets and their share are both zero or both above zero.",
        "Open Data formula: published / total x 100, numerator also reported (reference CSV).",
        _open_data_consistent,
    ),
    CrossRule(
        "cross:outage_time_without_outages",
        "No outage time (CAIDI) when the outage frequency (SAIFI) is zero.",
        "CAIDI's denominator is the number of interruptions, SAIFI's numerator (reference CSV "
        "formulas).",
        _outage_time_without_outages,
    ),
)


def check_cross(
    values: Mapping[tuple[str, str], float], catalogue: Catalogue | None = None
) -> list[tuple[str, str, Issue]]:
    """Apply every cross-KPI rule to one city's values of one year.

    ``values`` maps (KPI code in any spelling, data point key/name or "") to the value. The
    result lists (kpi_key, data_point, issue) with the normalised key and the data point key,
    one entry per measurand an issue concerns. Unknown codes raise ``UnknownKPI``; non-finite
    values are ignored.
    """
    cat = catalogue if catalogue is not None else load_catalogue()
    canonical: dict[Key, float] = {}
    for (code, point), value in values.items():
        m = cat.measurand(code, point)
        if value is not None and math.isfinite(value):
            canonical[(m.kpi_key, m.data_point)] = float(value)
    found: list[tuple[str, str, Issue]] = []
    for rule in CROSS_RULES:
        found.extend(rule.check(canonical, cat))
    return found
