"""Long tables in, long tables out, and the explanation of one score."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from u4ssc.core.scoring import SDSNMethod, U4SSCMethod
from u4ssc.core.scoring.tables import ScoringInputError, parse_direction, score_tables

HIERARCHY = pd.DataFrame(
    [
        ("K1", "Internet", "EC", "ICT", "ICT", ()),
        ("K2", "Broadband", "EC", "ICT", "ICT", ()),
        ("K3", "Coverage", "EC", "ICT", "ICT", ("3g", "4g")),
        ("K4", "Unemployment", "EC", "P", "EM", ()),
        ("K5", "Water", "EC", "I", "WS", ()),
        ("K6", "Gender equity", "SC", "SH", "SI", ()),
    ],
    columns=[
        "kpi_code",
        "kpi_name",
        "dimension_code",
        "subdimension_code",
        "category_code",
        "data_points",
    ],
)


def values(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["city", "year", "kpi_code", "data_point", "value"])


def targets(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kpi_code", "data_point", "target", "direction"])


TARGETS = targets(
    ("K1", "", 100, "higher"),
    ("K2", "", 100, "higher"),
    ("K3", "3g", 100, "higher"),
    ("K3", "4g", 100, "higher"),
    ("K4", "", 4, "lower"),
    ("K6", "", "", "range:0.95-1.05"),
)


def test_scores_long_tables_into_a_document_per_city_and_year():
    # given two cities, one with a multi-point KPI and a KPI without target (K5)
    vals = values(
        ("Oslo", 2020, "K1", "", 90),
        ("Oslo", 2020, "K2", "", 20),
        ("Oslo", 2020, "K3", "3g", 100),
        ("Oslo", 2020, "K3", "4g", 50),
        ("Oslo", 2020, "K5", "", 99),
        ("Bergen", 2020, "K4", "", 8),
    )
    doc = score_tables(vals, TARGETS, HIERARCHY).to_dict()
    oslo = next(r for r in doc["results"] if r["city"] == "Oslo")
    kpis = {k["code"]: k for k in oslo["kpis"]}
    # then K3 counts once with the mean of its data points' points (4 and 2)
    assert kpis["K3"]["points"] == 3.0
    assert [p["points"] for p in kpis["K3"]["data_points"]] == [4, 2]
    assert kpis["K5"]["status"] == "no target: left out"
    # and the category pools K1 (3), K2 (1), K3 (3): 7 of 12 points
    (ict,) = [g for g in oslo["categories"] if g["category_code"] == "ICT"]
    assert ict["percentage"] == pytest.approx(100 * 7 / 12, abs=1e-4)
    assert ict["band"] == 2 and ict["kpis_scored"] == 3
    bergen = next(r for r in doc["results"] if r["city"] == "Bergen")
    assert bergen["kpis"][0]["achievement"] == 50.0  # lower is better: 4 / 8


def test_long_table_has_one_row_per_score_at_every_level():
    vals = values(("Oslo", 2020, "K1", "", 90), ("Oslo", 2020, "K3", "3g", 100))
    table = score_tables(vals, TARGETS, HIERARCHY).to_long_table()
    assert table["level"].tolist() == [
        "kpi",
        "kpi",
        "data_point",
        "category",
        "subdimension",
        "dimension",
    ]
    assert table.loc[table["level"] == "category", "code"].item() == "EC: ICT: ICT"


def test_explain_shows_the_working_of_one_score():
    vals = values(("Oslo", 2016, "K4", "", 10), ("Oslo", 2020, "K4", "", 8))
    card = score_tables(vals, TARGETS, HIERARCHY)
    got = card.explain("Oslo", 2020, "K4")
    assert got["value"] == 8 and got["target"] == 4 and got["direction"] == "lower"
    assert got["formula"].startswith("achievement = target / value")
    assert got["working"] == "4 / 8 x 100 = 50 %"
    assert (got["achievement"], got["points"], got["band"]) == (50.0, 2, 2)
    trend = got["trend"]
    assert (trend["baseline_year"], trend["baseline_value"]) == (2016, 10)
    assert trend["observed_rate"] == pytest.approx(0.5)  # 2 points of gap closed in 4 years
    assert trend["required_rate"] == pytest.approx(6 / 14)
    assert trend["projection"] == "projected" and trend["projected_year"] == 2028


def test_explain_a_range_target_names_the_edge_it_is_measured_against():
    vals = values(("Oslo", 2020, "K6", "", 0.9))
    got = score_tables(vals, TARGETS, HIERARCHY).explain("Oslo", 2020, "K6")
    assert got["target"] == {"low": 0.95, "high": 1.05}
    assert got["direction"] == "range:0.95-1.05"
    assert got["formula"].startswith("achievement = value / LOW of the range")
    assert got["achievement"] == pytest.approx(100 * 0.9 / 0.95, abs=1e-4)


def test_explain_a_multi_point_kpi_lists_its_data_points():
    vals = values(("Oslo", 2020, "K3", "3g", 100), ("Oslo", 2020, "K3", "4g", 50))
    got = score_tables(vals, TARGETS, HIERARCHY).explain("Oslo", 2020, "K3")
    assert got["points"] == 3.0 and got["working"] == "3 / 4 x 100 = 75 %"
    assert [d["data_point"] for d in got["data_points"]] == ["3g", "4g"]
    one = score_tables(vals, TARGETS, HIERARCHY).explain("Oslo", 2020, "K3", "4g")
    assert one["achievement"] == 50.0 and one["trend"]["note"].startswith("no earlier")


def test_explain_sdsn_names_the_lower_bound_and_colour():
    vals = values(*[(f"C{i}", 2020, "K1", "", float(i)) for i in range(101)])
    card = score_tables(vals, TARGETS, HIERARCHY, SDSNMethod())
    got = card.explain("C50", 2020, "K1")
    assert got["lower_bound_shortfall"] == pytest.approx(97.5)
    assert got["score"] == pytest.approx(100 * (97.5 - 50) / 97.5, abs=1e-4)
    assert got["colour"] == "orange"


def test_numbers_are_read_as_people_type_them():
    vals = values(("Oslo", 2020, "K1", "", "97,07"), ("Oslo", 2020, "K2", "", "1 000"))
    doc = score_tables(vals, TARGETS, HIERARCHY).to_dict()
    assert [k["value"] for k in doc["results"][0]["kpis"]] == [97.07, 1000.0]


def test_explain_of_something_not_there_raises_key_error():
    card = score_tables(values(("Oslo", 2020, "K1", "", 1)), TARGETS, HIERARCHY)
    with pytest.raises(KeyError, match="Bergen"):
        card.explain("Bergen", 2020, "K1")
    assert card.explain("Oslo", 2020, "K1")["status"] == "scored"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("higher", (0, math.nan, math.nan)),
        (" Lower ", (1, math.nan, math.nan)),
        ("range:0.95-1.05", (2, 0.95, 1.05)),
        ("range:-5--1", (2, -5.0, -1.0)),
        ("range: 1e-3 - 2", (2, 0.001, 2.0)),
    ],
)
def test_parse_direction(text, expected):
    got = parse_direction(text)
    assert got[0] == expected[0]
    assert all(
        g == e or (math.isnan(g) and math.isnan(e)) for g, e in zip(got, expected, strict=True)
    )


@pytest.mark.parametrize(
    ("vals", "tgts", "message"),
    [
        (values(("Oslo", 2020, "K9", "", 1)), TARGETS, "unknown KPI code.*'K9'.*line.* 2"),
        (values(("Oslo", 2020, "K1", "", "x")), TARGETS, "value on line 2: 'x' is not a number"),
        (values(("Oslo", 2020, "K1", "", "1,234")), TARGETS, "ambiguous"),
        (values(("Oslo", 2020, "K1", "", "inf")), TARGETS, "not a finite number"),
        (values(("Oslo", "20x", "K1", "", 1)), TARGETS, "year on line 2"),
        (
            values(("Oslo", 2020, "K1", "", 1), ("Oslo", 2020, "K1", "", 2)),
            TARGETS,
            "more than once, on line.* 2, 3",
        ),
        (values(("Oslo", 2020, "K3", "", 1)), TARGETS, "reported per data point"),
        (values(("Oslo", 2020, "K1", "5g", 1)), TARGETS, "has no data points"),
        (values(("Oslo", 2020, "K3", "5g", 1)), TARGETS, "has no data point '5g'"),
        (values(), targets(("K1", "", 1, "up")), "not higher, lower or range"),
        (values(), targets(("K1", "", 1, "range:2-1")), "LOW must not exceed HIGH"),
        (values(), targets(("K1", "", 1, "higher"), ("K1", "", 2, "lower")), "more than once"),
        (pd.DataFrame({"city": ["Oslo"]}), TARGETS, "missing column.*year, kpi_code"),
    ],
)
def test_bad_input_is_refused_with_a_reason(vals, tgts, message):
    with pytest.raises(ScoringInputError, match=message):
        score_tables(vals, tgts, HIERARCHY, U4SSCMethod())
