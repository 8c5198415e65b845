"""Long CSV: one row per component, grouped into values, validated as a whole."""

from __future__ import annotations

import pytest

from u4ssc.apps.evaluations.models import KPIValue, ValueRevision
from u4ssc.apps.transfer.tests.conftest import long_csv, run

pytestmark = pytest.mark.django_db

SRC = "Statistics Norway, table 12345"


def good_rows(city: str = "alesund", year: int = 2024) -> list[list[object]]:
    return [
        [city, year, "EC: ICT: ICT: 1C", "", "numerator", "12345", "", SRC, "2"],
        [city, year, "EC: ICT: ICT: 1C", "", "denominator", "13000", "", SRC, "2"],
        [city, year, "EN: EN: AQ: 2C", "", "value", "3,4", "tCO2e/capita", SRC, "3"],
        [city, year, "EN: EN: AQ: 1C", "PM2.5", "value", "6.1", "µg/m3", SRC, "1"],
    ]


def test_a_long_csv_is_grouped_into_values_and_written(world, officer, tmp_path):
    # given
    path = long_csv(tmp_path / "values.csv", good_rows())
    # when
    run_, report = run(path, officer)
    # then
    assert report.outcome == "written", report.findings
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    values = {
        (v.kpi.code, v.data_point): v
        for v in KPIValue.objects.filter(evaluation__city=world.city, evaluation__year=2024)
    }
    ict = values[("EC: ICT: ICT: 1C", "")]
    assert ict.numerator == 12345 and ict.denominator == 13000
    assert ict.value == pytest.approx(12345 / 13000 * 100)
    assert ict.source == SRC and ict.quality == 2
    assert values[("EN: EN: AQ: 2C", "")].value == pytest.approx(3.4)
    assert values[("EN: EN: AQ: 1C", "pm2_5")].value == pytest.approx(6.1)
    assert run_.outcome == "written" and run_.created == 3
    assert ValueRevision.objects.filter(channel="import").count() == 3


def test_importing_the_same_file_twice_changes_nothing(world, officer, tmp_path):
    path = long_csv(tmp_path / "values.csv", good_rows())
    run(path, officer)
    revisions = ValueRevision.objects.count()
    # when
    _run, report = run(path, officer)
    # then
    assert report.outcome == "written"
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert "3 unchanged" in report.summary()
    assert ValueRevision.objects.count() == revisions


def _only_error(report):
    assert report.outcome == "refused"
    return report.errors


def test_every_problem_is_reported_with_row_column_value_and_nothing_is_written(
    world, officer, tmp_path
):
    # given: a file with one good row and five different mistakes
    rows = [
        ["alesund", 2024, "EC: ICT: ICT: 1C", "", "value", "95", "", SRC, "2"],
        ["alesund", 2024, "EC: ICT: ICT: 99C", "", "value", "1", "", SRC, "2"],  # row 3
        ["alesund", 2024, "EC: ICT: ICT: 2C", "", "value", "lots", "", SRC, "2"],  # row 4
        ["nowhere", 2024, "EC: ICT: ICT: 3C", "", "value", "5", "", SRC, "2"],  # row 5
        ["alesund", 2024, "EN: EN: AQ: 2C", "", "value", "3", "kg", SRC, "2"],  # row 6
        ["alesund", 2024, "EC: ICT: ICT: 1C", "", "value", "96", "", SRC, "2"],  # row 7
    ]
    path = long_csv(tmp_path / "mistakes.csv", rows)
    # when
    run_, report = run(path, officer)
    # then
    assert report.outcome == "refused" and run_.outcome == "refused"
    assert KPIValue.objects.count() == 0
    by_row = {f.row: f for f in report.errors}
    assert by_row["row 3"].column == "kpi" and by_row["row 3"].value == "EC: ICT: ICT: 99C"
    assert "Unknown KPI code" in by_row["row 3"].message
    assert by_row["row 4"].column == "value" and by_row["row 4"].value == "lots"
    assert "number" in by_row["row 4"].expected
    assert by_row["row 5"].column == "city" and by_row["row 5"].value == "nowhere"
    assert by_row["row 6"].column == "unit" and by_row["row 6"].value == "kg"
    assert by_row["row 6"].code == "unit" and "tCO2e/capita" in by_row["row 6"].expected
    assert by_row["row 7"].code == "cell" and "row 2" in by_row["row 7"].message  # duplicate
    assert len(report.errors) == 5
    assert report.summary().startswith("Refused: 5 errors in 6 rows")


def test_rows_of_one_value_must_not_disagree(world, officer, tmp_path):
    rows = [
        ["alesund", 2024, "EC: ICT: ICT: 1C", "", "numerator", "12345", "", SRC, "2"],
        ["alesund", 2024, "EC: ICT: ICT: 1C", "", "denominator", "13000", "", SRC, "3"],
    ]
    _run, report = run(long_csv(tmp_path / "x.csv", rows), officer)
    [error] = report.errors
    assert (error.row, error.column, error.value) == ("row 3", "quality", "3")
    assert "row 2" in error.message


def test_status_not_available_needs_no_value(world, officer, tmp_path):
    path = tmp_path / "na.csv"
    from u4ssc.apps.transfer.tests.conftest import write_csv

    write_csv(
        path,
        [
            ["city", "year", "kpi", "value", "status", "notes"],
            ["Ålesund", "2024", "EC: ICT: ICT: 1C", "", "not available", "no survey"],
        ],
    )
    _run, report = run(path, officer)
    assert report.outcome == "written", report.findings
    value = KPIValue.objects.get()
    assert (value.status, value.notes) == ("not_available", "no survey")


def test_norwegian_headers_and_semicolons_are_read(world, officer, tmp_path):
    path = tmp_path / "norsk.csv"
    path.write_text(
        "By;År;Kode;Datapunkt;Komponent;Verdi;Enhet;Kilde;Kvalitet\n"
        "Ålesund;2024;EC: ICT: ICT: 1C;;teller;1 234;;SSB;2\n"
        "Ålesund;2024;EC: ICT: ICT: 1C;;nevner;2 000;;SSB;2\n",
        encoding="utf-8",
    )
    _run, report = run(path, officer)
    assert report.outcome == "written", report.findings
    assert KPIValue.objects.get().value == pytest.approx(61.7)


def test_officer_cannot_import_another_city(world, officer, tmp_path):
    path = long_csv(tmp_path / "x.csv", good_rows(city="linz"))
    _run, report = run(path, officer)
    assert report.outcome == "refused"
    assert any(f.code == "forbidden" and "Linz" in f.message for f in report.errors)
    assert KPIValue.objects.count() == 0


def test_a_dry_run_checks_everything_and_writes_nothing(world, officer, tmp_path):
    path = long_csv(tmp_path / "values.csv", good_rows())
    run_, report = run(path, officer, dry_run=True)
    assert report.outcome == "checked" and run_.dry_run
    assert report.created == 3
    assert "nothing written" in report.summary()
    assert KPIValue.objects.count() == 0


def test_a_file_for_another_city_on_a_city_page_is_refused(world, officer, tmp_path):
    path = long_csv(tmp_path / "values.csv", good_rows(city="trondheim"))
    _run, report = run(path, officer, city=world.city, year=2024)
    assert report.outcome == "refused"
    assert all("Trondheim" in f.message for f in report.errors)


def test_city_and_year_columns_may_be_left_out_on_a_city_page(world, officer, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("kpi,value,source\nEC: ICT: ICT: 1C,95.5,Survey\n", encoding="utf-8")
    _run, report = run(path, officer, city=world.city, year=2023)
    assert report.outcome == "written", report.findings
    assert KPIValue.objects.get().evaluation.year == 2023


def _published(world, officer, tmp_path):
    """Ålesund 2024 imported from ``good_rows`` and published; returns the file."""
    from u4ssc.apps.evaluations.models import Evaluation
    from u4ssc.apps.transfer.tests.conftest import publish

    path = long_csv(tmp_path / "values.csv", good_rows())
    assert run(path, officer)[1].outcome == "written"
    evaluation = Evaluation.objects.get(city=world.city, year=2024)
    publish(world, world.city, 2024, [])  # no new values: submit, accept, verify, publish
    evaluation.refresh_from_db()
    assert evaluation.state == "published"
    return path


def test_importing_published_values_again_is_unchanged_not_refused(world, officer, tmp_path):
    # given a file whose values were imported and then published
    path = _published(world, officer, tmp_path)
    revisions = ValueRevision.objects.count()
    # when the same file is imported again, by its officer and by the operator
    for actor, trusted in ((officer, True), (None, False)):
        _run, report = run(path, actor, check_permission=trusted)
        # then nothing is refused and nothing changes
        assert report.outcome == "written", report.findings
        assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert ValueRevision.objects.count() == revisions


def test_a_changed_value_of_a_published_year_is_refused_at_its_row(world, officer, tmp_path):
    # given published values, and the file with one figure changed
    _published(world, officer, tmp_path)
    rows = good_rows()
    rows[2][5] = "3,9"  # row 4 of the file: GHG emissions per capita
    path = long_csv(tmp_path / "changed.csv", rows)
    # when it is imported
    _run, report = run(path, officer)
    # then that row alone is refused, naming its row, column, city, year and KPI
    assert report.outcome == "refused"
    [error] = report.errors
    assert (error.code, error.row, error.column, error.kpi_code) == (
        "locked",
        "row 4",
        "value",
        "EN: EN: AQ: 2C",
    )
    assert "2024" in error.message and "Ålesund" in error.message
    assert "published" in error.message and error.value == "3.9"
    assert KPIValue.objects.get(kpi__code="EN: EN: AQ: 2C").value == pytest.approx(3.4)


def test_a_refused_file_still_says_what_its_other_rows_would_give(world, officer, tmp_path):
    # given a file imported once, then sent again with one more row that is wrong
    path = long_csv(tmp_path / "values.csv", good_rows())
    run(path, officer)
    rows = [
        *good_rows(),
        ["alesund", 2024, "EC: ICT: ICT: 2C", "", "numerator", "5", "", SRC, "2"],
        ["alesund", 2024, "EC: ICT: ICT: 2C", "", "denominator", "0", "", SRC, "2"],
    ]
    # when
    _run, report = run(long_csv(tmp_path / "again.csv", rows), officer)
    # then it is refused, nothing counts as written, and the rest is counted apart
    assert report.outcome == "refused"
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert (report.would_create, report.would_update, report.would_be_unchanged) == (0, 0, 3)
    assert "would give 0 new, 0 changed, 3 unchanged" in report.summary()


def test_a_cell_that_cannot_be_read_refuses_the_file_and_counts_the_rest(world, officer, tmp_path):
    rows = [*good_rows(), ["alesund", 2024, "EC: ICT: ICT: 2C", "", "value", "lots", "", SRC, "2"]]
    _run, report = run(long_csv(tmp_path / "values.csv", rows), officer)
    assert report.outcome == "refused"
    assert report.created == 0 and report.would_create == 3
    assert KPIValue.objects.count() == 0


def test_a_version_column_keeps_a_long_csv_from_undoing_a_later_change(world, officer, tmp_path):
    # given a value stored (version 1) and changed on the sheet since (version 2)
    header = ["city", "year", "kpi", "component", "value", "source", "version"]
    first = [["alesund", 2024, "EN: EN: AQ: 2C", "value", "10", SRC, ""]]
    run(long_csv_with(tmp_path / "a.csv", header, first), officer)
    run(long_csv_with(tmp_path / "b.csv", header, [[*first[0][:4], "20", SRC, "1"]]), officer)
    assert KPIValue.objects.get().value == 20
    # when a file made from version 1 would set it back to 10
    _run, report = run(
        long_csv_with(tmp_path / "c.csv", header, [[*first[0][:4], "10", SRC, "1"]]), officer
    )
    # then that row is refused
    assert report.outcome == "refused" and report.errors[0].code == "stale"
    assert report.errors[0].row == "row 2"
    assert KPIValue.objects.get().value == 20
    # and without a version the file's value replaces the stored one (last writer wins)
    _run, report = run(long_csv_with(tmp_path / "d.csv", header, first), officer)
    assert report.outcome == "written" and KPIValue.objects.get().value == 10


def long_csv_with(path, header, rows):
    from u4ssc.apps.transfer.tests.conftest import write_csv

    return write_csv(path, [header, *rows])
