"""The SDXorg test suite, through the command line, one test per model file.

Every ``.xmile`` file under ``../shared/reference/sd-test-models`` becomes a test (a model
dropped into that folder is tested without code changes): ``u4ssc simulate`` writes its
CSV, and every column of the reference ``output.csv``/``output.tab`` that the model
defines is compared at every saved time with rtol 1e-4 and atol 1e-5.

The models listed in ``KNOWN`` cannot pass as written; each says why (the same list is
in docs/simulation.md). They are strict expected failures: if one starts passing, the
test fails so the list gets updated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.core.simulation.suite import SUITE, compare, expected_output, suite_models
from u4ssc.cli import main

PLACEHOLDER = (
    "the XMILE file (a Vensim export through xmutil) lost the constant's values: its "
    "equation is the placeholder '???', so the expected values cannot be derived from the "
    "file; the engine refuses the model with a ModelError naming the variable and line"
)
KNOWN = {
    "tests/active_initial/test_active_initial.xmile": (
        "the Vensim ACTIVE INITIAL(Time, 45) was exported as a plain initial value 'Value_A' "
        "(0 at the start), so 'Stock A' starts at 0 while the reference starts at 45"
    ),
    "tests/macro_expression/test_macro_expression.xmile": (
        "the macro 'EXPRESSION MACRO' is called but the file has no <macro> definition; the "
        "engine refuses it as an unknown function"
    ),
    "tests/macro_multi_expression/test_macro_multi_expression.xmile": (
        "the macro 'EXPRESSION MACRO' is called but the file has no <macro> definition; the "
        "engine refuses it as an unknown function"
    ),
    "tests/non_negative_flows/test_non_negative_flows.xmile": (
        "the file is not well-formed XML (<flow name='if_else3'> is never closed); the engine "
        "refuses malformed files"
    ),
    "tests/non_negative_flows/test_non_negative_flows_behavior.xmile": (
        "the file is not well-formed XML (<flow name='if_else3'> is never closed); the engine "
        "refuses malformed files"
    ),
    "tests/subscript_1d_arrays/test_subscript_1d_arrays.xmile": PLACEHOLDER,
    "tests/subscript_constant_call/test_subscript_constant_call.xmile": PLACEHOLDER,
    "tests/subscript_subranges/test_subscript_subrange.xmile": PLACEHOLDER
    + "; it also names a subrange 'Subrange of Dim1' that the file does not define",
    "tests/subscripted_flows/test_subscripted_flows.xmile": PLACEHOLDER,
    "tests/subscript_mixed_assembly/test_subscript_mixed_assembly.xmile": (
        "the element equations name elements (A, B, C) that are not in the second dimension "
        "Dim2 = (D, E) and the 'subset' values are the placeholder '???'"
    ),
}


# Reference columns a model file cannot produce (beyond Vensim's control variables), each
# with the reason; every other column of every reference must be an output.
UNMATCHED = {
    "tests/smooth_and_stock/test_smooth_and_stock.xmile": dict.fromkeys(
        ("Input", "Smoothed Input", "Smoothing Time"),
        "output.tab was written by an earlier version of the Vensim model that had these "
        "variables; the XMILE file (and the .mdl beside it today) no longer defines them",
    ),
}


def _params() -> list[object]:
    out: list[object] = []
    for path in suite_models():
        rel = path.relative_to(SUITE).as_posix()
        marks = []
        if rel in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[rel]))
        out.append(pytest.param(path, id=rel, marks=marks))
    return out


def test_the_suite_is_present():
    # given the shared reference folder / then it holds models to test
    assert len(suite_models()) >= 40, f"expected the SDXorg models under {SUITE}"


def test_known_failures_name_existing_files():
    present = {p.relative_to(SUITE).as_posix() for p in suite_models()}
    assert set(KNOWN) <= present


@pytest.mark.parametrize("path", _params())
def test_model_reproduces_reference_output(path: Path, tmp_path: Path, capsys):
    # given a suite model and its reference output
    expected = expected_output(path)
    out = tmp_path / "out.csv"
    # when the command line runs it
    rc = main(["simulate", str(path), "--units", "off", "--out", str(out)])
    err = capsys.readouterr().err
    # then it succeeds and every column it defines matches at every saved time
    assert rc == 0, err
    ours = pd.read_csv(out, index_col=0)
    assert ours.columns[0] != "Time" and ours.index.name == "Time"
    rel = path.relative_to(SUITE).as_posix()
    compared, failures = compare(ours, expected, allowed=UNMATCHED.get(rel))
    assert compared, f"no column of {list(expected.columns)} is defined by the model"
    assert not failures, "\n".join(failures)


def test_listed_unmatched_columns_are_really_not_outputs():
    from u4ssc.core.simulation import load_model
    from u4ssc.core.simulation.names import column_key

    # given each listed exception, then its model really has no such output (a stale
    # entry would hide a column that should be compared)
    for rel, columns in UNMATCHED.items():
        outputs = {column_key(c) for c in load_model(SUITE / rel, units="off").run().columns}
        for column, reason in columns.items():
            assert reason and column_key(column) not in outputs, (rel, column)


def test_compare_fails_on_a_reference_column_the_model_does_not_output():
    # given a reference with a control variable, a compared column and an extra column
    expected = pd.DataFrame(
        {"Time": [0.0, 1.0], "x": [1.0, 2.0], "SAVEPER": [1.0, 1.0], "y": [3.0, 4.0]}
    )
    ours = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([0.0, 1.0], name="Time"))
    # then the extra column fails the comparison, the control variable does not
    compared, failures = compare(ours, expected)
    assert compared == ["x"] and len(failures) == 1 and failures[0].startswith("y:")
    # and a listed, reasoned exception is accepted
    assert compare(ours, expected, allowed={"y": "not in the file"}) == (["x"], [])


# The array models whose constants were lost (``???``) still say a lot about arrays:
# with those constants supplied from the reference's first row (and nothing else), every
# other column must match.
SUPPLIED = {
    "tests/subscript_1d_arrays/test_subscript_1d_arrays.xmile": ["Rate A"],
    "tests/subscript_constant_call/test_subscript_constant_call.xmile": ["Subscripted Constant"],
    "tests/subscripted_flows/test_subscripted_flows.xmile": ["Rate A", "Rate B"],
}


@pytest.mark.parametrize("rel", sorted(SUPPLIED))
def test_array_model_with_lost_constants_supplied(rel: str):
    import numpy as np

    from u4ssc.core.simulation import load_model

    path = SUITE / rel
    expected = expected_output(path)
    # given the model read with its placeholders as inputs
    model = load_model(path, units="off", placeholders="inputs")
    params = {}
    for name in SUPPLIED[rel]:
        cols = [c for c in expected.columns if c.startswith(name + "[")]
        params[name] = np.array([expected[c].iloc[0] for c in cols], dtype=float)
    # when it runs with only those values given
    ours = model.run(params)
    # then every other column matches the reference
    compared, failures = compare(ours, expected)
    checked = [c for c in compared if not any(c.startswith(n + "[") for n in SUPPLIED[rel])]
    assert checked, "nothing beyond the supplied constants was compared"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "name", ["test_non_negative_flows.xmile", "test_non_negative_flows_behavior.xmile"]
)
def test_non_negative_models_pass_once_the_unclosed_flow_is_closed(name: str):
    from u4ssc.core.simulation import ModelError, load_model_bytes

    path = SUITE / "tests" / "non_negative_flows" / name
    text = path.read_text(encoding="utf-8")
    # given the file as it is: refused, naming the unclosed element's line
    with pytest.raises(ModelError, match="not well-formed XML"):
        load_model_bytes(text.encode(), name)
    # when only the missing </flow> is added before the next stock
    at = text.index('<stock name="TestStock2">')
    fixed = text[:at] + "</flow>\n" + text[at:]
    ours = load_model_bytes(fixed.encode(), name, units="off").run()
    # then non-negative flows (element and <behavior> defaults) match the reference
    compared, failures = compare(ours, expected_output(path))
    assert {"OutFlow1", "if_else2", "if_else3", "TestStock1"} <= set(compared)
    assert not failures, "\n".join(failures)
