"""The equation parser: precedence and associativity as the standard and the suite say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from u4ssc.core.simulation import ModelError
from u4ssc.core.simulation.expr import Bin, Call, If, Num, Ref, Un, parse


def test_power_is_right_associative_and_binds_tighter_than_unary_minus():
    assert parse("2^3^2") == Bin("^", Num(2), Bin("^", Num(3), Num(2)))
    assert parse("-x^2") == Un("-", Bin("^", Ref("x", None, "x"), Num(2)))
    assert parse("2^-x") == Bin("^", Num(2), Un("-", Ref("x", None, "x")))


def test_left_associative_arithmetic():
    assert parse("4 - 5 + 6") == Bin("+", Bin("-", Num(4), Num(5)), Num(6))
    assert parse("8 / 4 / 2") == Bin("/", Bin("/", Num(8), Num(4)), Num(2))


def test_logic_and_if():
    node = parse("IF a > 1 AND NOT b OR c THEN 1 ELSE 0")
    assert isinstance(node, If)
    assert node.cond == Bin(
        "or",
        Bin("and", Bin(">", Ref("a", None, "a"), Num(1)), Un("not", Ref("b", None, "b"))),
        Ref("c", None, "c"),
    )


def test_names_quotes_and_calls_are_canonical():
    assert parse('"Room Temperature"') == Ref("room_temperature", None, '"Room Temperature"')
    call = parse("Smth1(x, 2)")
    assert isinstance(call, Call) and call.func == "smth1"
    assert parse("a {a comment} + 1") == Bin("+", Ref("a", None, "a"), Num(1))


@pytest.mark.parametrize("text", ["(1 + 2", "1 +", "a b", "IF a THEN b", "3 $ 4"])
def test_malformed_equations_raise_model_error(text: str):
    with pytest.raises(ModelError):
        parse(text)


@given(
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=6),
    st.lists(st.sampled_from(["+", "-", "*"]), min_size=5, max_size=5),
)
def test_parser_agrees_with_python_on_integer_arithmetic(nums: list[int], ops: list[str]):
    text = str(nums[0])
    for n, op in zip(nums[1:], ops, strict=False):
        text += f" {op} {n}"

    def ev(node: object) -> float:
        if isinstance(node, Num):
            return node.value
        assert isinstance(node, Bin)
        a, b = ev(node.a), ev(node.b)
        return {"+": a + b, "-": a - b, "*": a * b}[node.op]

    assert ev(parse(text)) == eval(text)
