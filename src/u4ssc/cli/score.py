"""``u4ssc score``: score KPI values from CSV files against targets, without a database.

A core command: it reads the files and the KPI catalogue shipped in the package and never
touches Django. Method and rules: ``docs/methods/scoring.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

MAX_ERRORS = 10


class InputError(Exception):
    """A problem with the user's files: printed on stderr, exit status 2."""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score",
        help="score KPI values against targets (U4SSC or SDSN method)",
        description=(
            "Score KPI values against targets and print, per city and year, every KPI's "
            "achievement, points and band and the category, sub-dimension and dimension "
            "percentages and bands (U4SSC), or normalised scores and colours (SDSN). "
            "VALUES.csv: city,year,kpi_code,data_point,value (data_point empty for "
            "single-value KPIs; codes as EC: ICT: ICT: 4C or ec-ict-ict-4c; separated by "
            "commas, semicolons or tabs). TARGETS.csv: kpi_code,data_point,target,direction with "
            "direction higher, lower or range:LOW-HIGH (and optionally lower_bound for SDSN). "
            "The method is described in docs/methods/scoring.md."
        ),
    )
    p.add_argument("--values", required=True, type=Path, metavar="VALUES.csv")
    p.add_argument("--targets", required=True, type=Path, metavar="TARGETS.csv")
    p.add_argument("--method", choices=("u4ssc", "sdsn"), default=None, help="default: u4ssc")
    p.add_argument(
        "--trend",
        choices=("sdsn_linear", "cagr"),
        default=None,
        help="trend arrows: SDSN linear rate (default) or Statistics Canada CAGR",
    )
    p.add_argument(
        "--method-config",
        type=Path,
        metavar="METHOD.json",
        help="a method as stored on a target set (u4ssc.core.scoring.method_to_dict); "
        "--method and --trend override its choices",
    )
    p.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    p.add_argument(
        "--explain",
        nargs="+",
        metavar="ARG",
        help="instead of the scores, print how one score came about: "
        "--explain CITY YEAR KPI_CODE [DATA_POINT]",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from u4ssc.core.scoring.tables import ScoringInputError

    try:
        method = _method(args)
        scorecard = _score(args.values, args.targets, method)
        out = _utf8(sys.stdout)
        if args.explain:
            _print_explanation(out, scorecard, args.explain)
        elif args.format == "json":
            json.dump(scorecard.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            scorecard.to_long_table().to_csv(out, index=False, lineterminator="\n")
    except (InputError, ScoringInputError) as exc:
        print(f"u4ssc score: {exc}", file=sys.stderr)
        return 2
    return 0


def _utf8(out: TextIO) -> TextIO:
    # KPI names and units carry non-ASCII characters: write UTF-8 whatever the locale.
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8")
    return out


def _method(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from u4ssc.core.scoring import method_from_dict, method_to_dict

    data: dict[str, Any] = {"method": "u4ssc"}
    if args.method_config is not None:
        try:
            data = json.loads(args.method_config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the method config {args.method_config}: {exc}") from None
        if not isinstance(data, dict):
            raise InputError(f"{args.method_config}: a method config is a JSON object")
    if args.method is not None and args.method != data.get("method", "u4ssc"):
        data = {"method": args.method, "trend": data.get("trend", {})}
    try:
        method = method_from_dict(data)
        if args.trend is not None:
            method = replace(method, trend=replace(method.trend, kind=args.trend))
            method = method_from_dict(method_to_dict(method))  # re-check the combination
    except (TypeError, ValueError) as exc:
        raise InputError(f"bad method config: {exc}") from None
    return method


# Separators a CSV may use: a comma, or the semicolon that spreadsheets write where the
# decimal mark is a comma (Norwegian Excel), or a tab.
SEPARATORS = (",", ";", "\t")


def _separator(path: Path, what: str) -> str:
    """The separator of a CSV file, read from its header line."""
    from u4ssc.cli._files import nul_line, nul_message

    try:
        if (line := nul_line(path)) is not None:
            raise InputError(f"{what} file {nul_message(path, line)}")
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = f.readline()
    except FileNotFoundError:
        raise InputError(f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {what} file {path}: {exc}") from None
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    sep = _separator(path, what)
    try:
        table = pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            encoding="utf-8-sig",
        )
    except FileNotFoundError:
        raise InputError(f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read {what} file {path}: {exc}") from None
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{what} file {path} is empty: expected a header line "
            f"({', '.join(COLUMNS[what])}) and rows"
        ) from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    return table


COLUMNS = {
    "values": ("city", "year", "kpi_code", "data_point", "value"),
    "targets": ("kpi_code", "data_point", "target", "direction"),
}


def kpi_url_slug(code: str) -> str:
    """A KPI code as the platform's pages spell it in URLs: ``ec-ict-ict-4c``."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def _find_kpi(catalogue: Any, code: str) -> Any:
    """The catalogue KPI of a code as a person writes it: ``EC: ICT: ICT: 4C``,
    ``EC:ICT:ICT:4C`` or the URL slug ``ec-ict-ict-4c`` (``UnknownKPI`` otherwise)."""
    from u4ssc.core.catalogue import UnknownKPI

    try:
        return catalogue.get(code)
    except UnknownKPI:
        wanted = kpi_url_slug(code)
        for kpi in catalogue.kpis:
            if kpi_url_slug(kpi.code) == wanted:
                return kpi
        raise


def _resolve(table: pd.DataFrame, what: str, catalogue: Any) -> pd.DataFrame:
    """Codes and data points spelt as the catalogue spells them; every bad row reported."""
    from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI

    if "kpi_code" not in table.columns:
        return table  # the table layer names every missing column
    table = table.copy()
    if "data_point" not in table.columns:
        return table
    errors: list[str] = []
    codes, points = [], []
    for i, (code, point) in enumerate(zip(table["kpi_code"], table["data_point"], strict=True)):
        try:
            kpi = _find_kpi(catalogue, code)
            measurand = catalogue.measurand(kpi.key, point)
        except (UnknownKPI, UnknownDataPoint) as exc:
            errors.append(f"{what} line {i + 2}: {exc}")
            codes.append(code)
            points.append(point)
            continue
        codes.append(kpi.code)
        points.append(measurand.data_point)
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS] + ([f"... and {more} more"] if more > 0 else [])
        raise InputError("\n".join(shown))
    table["kpi_code"] = codes
    table["data_point"] = points
    return table


def catalogue_hierarchy(catalogue: Any) -> pd.DataFrame:
    """The scoring hierarchy table (see :mod:`u4ssc.core.scoring.tables`) of a catalogue."""
    return pd.DataFrame(
        [
            {
                "kpi_code": kpi.code,
                "kpi_name": kpi.name,
                "dimension_code": kpi.dimension_code,
                "dimension_name": kpi.dimension,
                "subdimension_code": kpi.subdimension_code,
                "subdimension_name": kpi.subdimension,
                "category_code": kpi.category_code,
                "category_name": kpi.category,
                "data_points": tuple(dp.data_point for dp in kpi.data_points),
            }
            for kpi in catalogue.kpis
        ]
    )


def _warn_directions(targets: pd.DataFrame, catalogue: Any) -> None:
    """A target set may turn a KPI's direction round; say so, as it is usually a slip."""
    if not {"kpi_code", "data_point", "direction"} <= set(targets.columns):
        return
    for i, row in enumerate(targets.itertuples(index=False)):
        given = str(row.direction).strip().lower().split(":")[0]
        expected = catalogue.measurand(row.kpi_code, row.data_point).direction.kind
        if given in ("higher", "lower", "range") and given != expected:
            what = f"{row.kpi_code} {row.data_point}".strip()
            print(
                f"u4ssc score: warning: targets line {i + 2}: {what} is '{given}' here but "
                f"'{expected}' in the catalogue; scoring uses the target's direction",
                file=sys.stderr,
            )


def _warn_blank_values(values: pd.DataFrame, path: Path) -> None:
    """A row whose value is blank is not scored (the KPI counts as not reported): say which
    rows, so that a value lost in a spreadsheet does not vanish silently."""
    if "value" not in values.columns or values.empty:
        return
    blank = values["value"].astype(str).str.strip() == ""
    if not blank.any():
        return
    lines = [str(int(i) + 2) for i in values.index[blank]]  # the header is line 1
    shown = ", ".join(lines[:MAX_ERRORS]) + (
        f" and {len(lines) - MAX_ERRORS} more" if len(lines) > MAX_ERRORS else ""
    )
    print(
        f"u4ssc score: warning: values file {path}: {len(lines)} row(s) with a blank value "
        f"skipped (not reported, not scored), on line(s) {shown}",
        file=sys.stderr,
    )


def _score(values_path: Path, targets_path: Path, method: Any) -> Any:
    from u4ssc.core.catalogue import load_catalogue
    from u4ssc.core.scoring.tables import score_tables

    catalogue = load_catalogue()
    values = _resolve(_read_csv(values_path, "values"), "values", catalogue)
    targets = _resolve(_read_csv(targets_path, "targets"), "targets", catalogue)
    _warn_directions(targets, catalogue)
    _warn_blank_values(values, values_path)
    for table, what, path in ((values, "values", values_path), (targets, "targets", targets_path)):
        if table.empty and set(COLUMNS[what]) <= set(table.columns):
            print(
                f"u4ssc score: warning: {what} file {path} has a header and no rows: "
                + ("nothing to score" if what == "values" else "no KPI is scored"),
                file=sys.stderr,
            )
    return score_tables(values, targets, catalogue_hierarchy(catalogue), method)


def _print_explanation(out: TextIO, scorecard: Any, explain: list[str]) -> None:
    from u4ssc.core.catalogue import UnknownDataPoint, UnknownKPI, load_catalogue

    if len(explain) not in (3, 4):
        raise InputError("--explain takes CITY YEAR KPI_CODE [DATA_POINT]")
    city, year_text, code = explain[:3]
    try:
        year = int(year_text)
    except ValueError:
        raise InputError(f"--explain: year {year_text!r} is not a whole number") from None
    catalogue = load_catalogue()
    try:
        kpi = _find_kpi(catalogue, code)
        point = None
        if len(explain) == 4:
            point = catalogue.measurand(kpi.key, explain[3]).data_point
        explanation = scorecard.explain(city, year, kpi.code, point)
    except (UnknownKPI, UnknownDataPoint) as exc:
        raise InputError(f"--explain: {exc}") from None
    except KeyError as exc:
        raise InputError(f"--explain: {exc.args[0]}") from None
    json.dump(explanation, out, ensure_ascii=False, indent=2)
    out.write("\n")
