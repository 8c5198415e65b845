"""The XMILE equation language: tokens, a precedence-climbing parser and its syntax tree.

Precedence, loosest first (XMILE 1.0, section 3.3.1): ``IF THEN ELSE``; ``OR``; ``AND``;
``=`` ``<>``; ``<`` ``<=`` ``>`` ``>=``; ``+`` ``-``; ``*`` ``/`` ``MOD``; unary ``+ - NOT``;
``^`` (right-associative, so ``30^1.2^1.2`` is ``30^(1.2^1.2)`` as the test suite expects,
and binding tighter than unary minus, so ``-TIME^30`` is ``-(TIME^30)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from u4ssc.core.simulation.errors import ModelError
from u4ssc.core.simulation.names import canonical


@dataclass(frozen=True)
class Node:
    """Base class of syntax-tree nodes."""


@dataclass(frozen=True)
class Num(Node):
    value: float


@dataclass(frozen=True)
class Ref(Node):
    """A reference to a variable (or a dimension/element inside a subscript).

    ``name`` is canonical; ``subs`` holds subscript expressions (``None`` when absent).
    """

    name: str
    subs: tuple[Node, ...] | None = None
    raw: str = ""


@dataclass(frozen=True)
class Star(Node):
    """``*`` in a subscript: every element of that dimension."""

    dim: str | None = None


@dataclass(frozen=True)
class Range(Node):
    """``lo:hi`` in a subscript (elements by name or 1-based position)."""

    lo: Node
    hi: Node


@dataclass(frozen=True)
class Call(Node):
    func: str  # canonical, upper-case-insensitive name of the builtin or lookup
    args: tuple[Node, ...]
    raw: str = ""


@dataclass(frozen=True)
class Bin(Node):
    op: str
    a: Node
    b: Node


@dataclass(frozen=True)
class Un(Node):
    op: str
    a: Node


@dataclass(frozen=True)
class If(Node):
    cond: Node
    then: Node
    other: Node


@dataclass
class _Tok:
    kind: str  # num, name, op, kw, end
    text: str
    pos: int


_KEYWORDS = {"if", "then", "else", "and", "or", "not", "mod"}
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<qname>"[^"]*")
  | (?P<name>[^\W\d][\w.$]*(?:\\n[\w.$]*)*)
  | (?P<op><>|<=|>=|==|&&|\|\||[-+*/^()<>=\[\],:!])
    """,
    re.VERBOSE | re.UNICODE,
)

PLACEHOLDERS = ("???",)


def strip_comments(text: str) -> str:
    """Drop ``{...}`` comments (XMILE allows them inside equations)."""
    return re.sub(r"\{[^}]*\}", " ", text)


def is_placeholder(text: str | None) -> bool:
    """True for an equation that says nothing: empty, ``???`` or only a ``{comment}``."""
    if text is None:
        return True
    body = strip_comments(text).strip()
    return body == "" or body in PLACEHOLDERS


def tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise ModelError(
                f"cannot read the equation at character {pos + 1}: {text[pos : pos + 12]!r}",
                construct=text[pos : pos + 12],
            )
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "qname":
            toks.append(_Tok("name", value, pos))
        elif kind == "name":
            if value.lower() in _KEYWORDS:
                toks.append(_Tok("kw", value.lower(), pos))
            else:
                toks.append(_Tok("name", value, pos))
        elif kind == "num":
            toks.append(_Tok("num", value, pos))
        elif kind == "op":
            op = {"==": "=", "&&": "and", "||": "or", "!": "not"}.get(value, value)
            toks.append(_Tok("kw" if op in ("and", "or", "not") else "op", op, pos))
        pos = m.end()
    toks.append(_Tok("end", "", len(text)))
    return toks


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(strip_comments(text))
        self.i = 0

    # -- helpers -------------------------------------------------------------------------
    def peek(self, k: int = 0) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, text: str) -> bool:
        tok = self.peek()
        if tok.kind == kind and tok.text == text:
            self.i += 1
            return True
        return False

    def expect(self, kind: str, text: str) -> None:
        if not self.accept(kind, text):
            tok = self.peek()
            found = tok.text or "end of equation"
            raise ModelError(f"expected '{text}' but found '{found}' in '{self.text.strip()}'")

    # -- grammar -------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.expr()
        if self.peek().kind != "end":
            tok = self.peek()
            raise ModelError(
                f"unexpected '{tok.text}' in '{self.text.strip()}'", construct=tok.text
            )
        return node

    def expr(self) -> Node:
        if self.accept("kw", "if"):
            cond = self.expr()
            self.expect("kw", "then")
            then = self.expr()
            self.expect("kw", "else")
            other = self.expr()
            return If(cond, then, other)
        return self.or_()

    def or_(self) -> Node:
        node = self.and_()
        while self.accept("kw", "or"):
            node = Bin("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.equality()
        while self.accept("kw", "and"):
            node = Bin("and", node, self.equality())
        return node

    def equality(self) -> Node:
        node = self.relation()
        while self.peek().kind == "op" and self.peek().text in ("=", "<>"):
            op = self.take().text
            node = Bin(op, node, self.relation())
        return node

    def relation(self) -> Node:
        node = self.additive()
        while self.peek().kind == "op" and self.peek().text in ("<", "<=", ">", ">="):
            op = self.take().text
            node = Bin(op, node, self.additive())
        return node

    def additive(self) -> Node:
        node = self.term()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            op = self.take().text
            node = Bin(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in ("*", "/"):
                self.take()
                node = Bin(tok.text, node, self.unary())
            elif tok.kind == "kw" and tok.text == "mod":
                self.take()
                node = Bin("mod", node, self.unary())
            else:
                return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("+", "-"):
            self.take()
            operand = self.unary()
            if tok.text == "-" and isinstance(operand, Num):
                return Num(-operand.value)
            return operand if tok.text == "+" else Un("-", operand)
        if tok.kind == "kw" and tok.text == "not":
            self.take()
            return Un("not", self.unary())
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.accept("op", "^"):
            # Right-associative; the exponent may carry its own sign (``30^-cons``).
            return Bin("^", base, self.unary())
        return base

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return Num(float(tok.text))
        if tok.kind == "op" and tok.text == "(":
            node = self.expr()
            self.expect("op", ")")
            return node
        if tok.kind == "kw" and tok.text == "if":
            self.i -= 1
            return self.expr()
        if tok.kind == "kw" and tok.text == "mod" and self.peek().text == "(":
            # MOD(a, b) written as a function (Vensim, and XMILE's builtin list) where an
            # operand is expected; "a MOD b" stays the operator (see term())
            self.take()
            operands = [self.expr()]
            while self.accept("op", ","):
                operands.append(self.expr())
            self.expect("op", ")")
            return Call("mod", tuple(operands), tok.text.upper())
        if tok.kind == "name":
            raw = tok.text
            # Vensim exports sometimes write a multi-word function name unquoted
            # (``EXPRESSION MACRO(a, b)``): read adjacent words before "(" as one name.
            while self.peek().kind == "name" and self._words_then_paren():
                raw += " " + self.take().text
            if self.accept("op", "("):
                args: list[Node] = []
                if not self.accept("op", ")"):
                    args.append(self.expr())
                    while self.accept("op", ","):
                        args.append(self.expr())
                    self.expect("op", ")")
                return Call(canonical(raw), tuple(args), raw)
            subs: tuple[Node, ...] | None = None
            if self.accept("op", "["):
                items = [self.subscript()]
                while self.accept("op", ","):
                    items.append(self.subscript())
                self.expect("op", "]")
                subs = tuple(items)
            return Ref(canonical(raw), subs, raw)
        found = tok.text or "end of equation"
        raise ModelError(f"unexpected '{found}' in '{self.text.strip()}'", construct=found)

    def _words_then_paren(self) -> bool:
        k = 0
        while self.peek(k).kind == "name":
            k += 1
        return self.peek(k).kind == "op" and self.peek(k).text == "("

    def subscript(self) -> Node:
        if self.accept("op", "*"):
            return Star()
        lo = self.expr()
        if self.accept("op", ":"):
            return Range(lo, self.expr())
        return lo


def parse(text: str) -> Node:
    """Parse one XMILE equation into a syntax tree; raise :class:`ModelError` if it is not one."""
    return _Parser(text).parse()


def refs(node: Node) -> list[Ref]:
    """Every variable reference in a tree (subscript contents included), in reading order."""
    out: list[Ref] = []
    _walk_refs(node, out)
    return out


def _walk_refs(node: Node, out: list[Ref]) -> None:
    if isinstance(node, Ref):
        out.append(node)
        for s in node.subs or ():
            _walk_refs(s, out)
    elif isinstance(node, Call):
        for a in node.args:
            _walk_refs(a, out)
    elif isinstance(node, Bin):
        _walk_refs(node.a, out)
        _walk_refs(node.b, out)
    elif isinstance(node, Un):
        _walk_refs(node.a, out)
    elif isinstance(node, If):
        _walk_refs(node.cond, out)
        _walk_refs(node.then, out)
        _walk_refs(node.other, out)
    elif isinstance(node, Range):
        _walk_refs(node.lo, out)
        _walk_refs(node.hi, out)


def calls(node: Node) -> list[Call]:
    """Every function call in a tree."""
    out: list[Call] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Call):
            out.append(n)
            stack.extend(n.args)
        elif isinstance(n, Ref):
            stack.extend(n.subs or ())
        elif isinstance(n, Bin):
            stack.extend((n.a, n.b))
        elif isinstance(n, Un):
            stack.append(n.a)
        elif isinstance(n, If):
            stack.extend((n.cond, n.then, n.other))
    return out


__all__ = ["Bin", "Call", "If", "Node", "Num", "Range", "Ref", "Star", "Un", "field", "parse"]
