"""Unit checking: dimensional analysis of equations against declared ``<units>``.

Units are products of named units with integer or fractional exponents (``person/year``,
``kWh/(m^2*year)``). A bare number in an equation adopts whatever units it meets. What is
checked: both sides of ``+``, ``-``, comparisons and the branches of ``IF`` agree; an
equation's units equal the variable's declared units; a flow's units equal its stock's
units per time unit. Unknown units (undeclared variables) stop the inference silently.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from u4ssc.core.simulation import expr as E
from u4ssc.core.simulation.build import Flat
from u4ssc.core.simulation.errors import ModelError, UnitWarning
from u4ssc.core.simulation.ir import Var

Units = dict[str, float]
WILD = "wild"  # a bare number: adopts any units

_DIMENSIONLESS = {"", "1", "dmnl", "dimensionless", "unitless", "fraction", "percent", "%"}
_ALIASES = {
    "people": "person",
    "persons": "person",
    "yr": "year",
    "yrs": "year",
    "years": "year",
    "days": "day",
    "months": "month",
    "weeks": "week",
    "hours": "hour",
}


def _norm(name: str, aliases: dict[str, str]) -> str:
    n = re.sub(r"\s+", "_", name.strip().lower())
    n = aliases.get(n, n)
    n = _ALIASES.get(n, n)
    if len(n) > 3 and n.endswith("s") and not n.endswith("ss"):
        n = n[:-1]
    return n


def parse_units(text: str | None, aliases: dict[str, str] | None = None) -> Units | None:
    """``"kWh/(person*year)"`` -> ``{"kwh": 1, "person": -1, "year": -1}``; None if unreadable."""
    if text is None:
        return None
    t = text.strip()
    if t.lower() in _DIMENSIONLESS:
        return {}
    aliases = aliases or {}
    tokens = re.findall(r"[A-Za-z_$%][\w$%. ]*[\w$%]|[A-Za-z_$%]|\d+\.?\d*|[*/^()]", t)
    pos = 0

    def factor() -> Units | None:
        nonlocal pos
        if pos >= len(tokens):
            return None
        tok = tokens[pos]
        pos += 1
        if tok == "(":
            inner = product()
            if pos < len(tokens) and tokens[pos] == ")":
                pos += 1
            base = inner
        elif re.match(r"\d", tok):
            base = {} if float(tok) == 1 else None
        else:
            n = _norm(tok, aliases)
            base = {} if n in _DIMENSIONLESS else {n: 1.0}
        if base is not None and pos < len(tokens) and tokens[pos] == "^":
            pos += 1
            if pos < len(tokens):
                try:
                    k = float(tokens[pos])
                except ValueError:
                    return None
                pos += 1
                base = {u: e * k for u, e in base.items()}
        return base

    def product() -> Units | None:
        nonlocal pos
        acc = factor()
        while pos < len(tokens) and tokens[pos] in ("*", "/"):
            op = tokens[pos]
            pos += 1
            nxt = factor()
            if acc is None or nxt is None:
                acc = None
                continue
            acc = _mul(acc, nxt, 1.0 if op == "*" else -1.0)
        return acc

    out = product()
    if pos != len(tokens):
        return None
    return out


def _mul(a: Units, b: Units, sign: float) -> Units:
    out = dict(a)
    for u, e in b.items():
        out[u] = out.get(u, 0.0) + sign * e
        if abs(out[u]) < 1e-12:
            del out[u]
    return out


def show(u: Units) -> str:
    if not u:
        return "dimensionless"
    num = [f"{k}^{v:g}" if v != 1 else k for k, v in sorted(u.items()) if v > 0]
    den = [f"{k}^{-v:g}" if v != -1 else k for k, v in sorted(u.items()) if v < 0]
    text = "*".join(num) or "1"
    if den:
        text += "/" + ("*".join(den) if len(den) == 1 else "(" + "*".join(den) + ")")
    return text


class _Checker:
    def __init__(self, flat: Flat) -> None:
        self.flat = flat
        self.aliases: dict[str, str] = {}
        for name, als in flat.unit_aliases.items():
            for a in als:
                self.aliases[a.strip().lower()] = name.strip().lower()
        self.time = parse_units(flat.time_units, self.aliases) if flat.time_units else None
        self.issues: list[ModelError] = []

    def declared(self, v: Var) -> Units | None:
        return parse_units(v.units, self.aliases) if v.units else None

    def clash(self, v: Var, line: int, msg: str) -> None:
        self.issues.append(
            ModelError(
                f"unit clash: {msg}",
                variable=v.display,
                line=line,
                construct="units",
                path=self.flat.path,
            )
        )

    def infer(self, n: E.Node, v: Var, line: int) -> Any:
        if isinstance(n, E.Num):
            return WILD
        if isinstance(n, E.Ref):
            target = self.flat.vars.get(n.name)
            if target is None:
                return self.time if n.name in ("time", "dt", "starttime", "stoptime") else None
            return self.declared(target)
        if isinstance(n, E.Un):
            inner = self.infer(n.a, v, line)
            return {} if n.op == "not" else inner
        if isinstance(n, E.If):
            self.infer(n.cond, v, line)
            return self.same(
                self.infer(n.then, v, line),
                self.infer(n.other, v, line),
                v,
                line,
                "the branches of IF",
            )
        if isinstance(n, E.Bin):
            a = self.infer(n.a, v, line)
            b = self.infer(n.b, v, line)
            if n.op in ("+", "-"):
                return self.same(a, b, v, line, f"both sides of '{n.op}'")
            if n.op in ("<", "<=", ">", ">=", "=", "<>"):
                self.same(a, b, v, line, f"both sides of '{n.op}'")
                return {}
            if n.op in ("and", "or"):
                return {}
            if n.op in ("*", "/"):
                if a is None or b is None:
                    return None
                if a == WILD and b == WILD:
                    return WILD
                aa = {} if a == WILD else a
                bb = {} if b == WILD else b
                return _mul(aa, bb, 1.0 if n.op == "*" else -1.0)
            if n.op == "^":
                if a == WILD:
                    return WILD
                if isinstance(n.b, E.Num) and isinstance(a, dict):
                    return {u: e * n.b.value for u, e in a.items()}
                return {} if a == {} else None
            if n.op == "mod":
                return a
        if isinstance(n, E.Call):
            f = n.func
            args = [self.infer(x, v, line) for x in n.args] if f != "lookup" else []
            target = self.flat.vars.get(f)
            if target is not None:
                return self.declared(target)
            if f == "lookup" and isinstance(n.args[0], E.Ref):
                t = self.flat.vars.get(n.args[0].name)
                return self.declared(t) if t else None
            if f in (
                "abs",
                "int",
                "safediv",
                "random",
                "normal",
                "lognormal",
                "exprnd",
                "poisson",
                "triangular",
            ):
                if f == "safediv" and len(args) >= 2:
                    return self.infer(E.Bin("/", n.args[0], n.args[1]), v, line)
                return args[0] if args else None
            if f in ("min", "max", "mean", "sum") and args:
                out = args[0]
                for other in args[1:]:
                    out = self.same(out, other, v, line, f"the arguments of {n.raw}")
                return out
            if f in (
                "exp",
                "ln",
                "log10",
                "sin",
                "cos",
                "tan",
                "arcsin",
                "arccos",
                "arctan",
                "sqrt",
                "pi",
                "inf",
                "size",
                "rank",
            ):
                if f == "sqrt" and args and isinstance(args[0], dict):
                    return {u: e / 2 for u, e in args[0].items()}
                return {}
            if f in ("step", "mod") and args:
                return args[0]
            if f == "pulse" and args:
                if args[0] is None or self.time is None:
                    return None
                return WILD if args[0] == WILD else _mul(args[0], self.time, -1.0)
            if f == "ramp" and args:
                if args[0] is None or self.time is None:
                    return None
                return WILD if args[0] == WILD else _mul(args[0], self.time, 1.0)
            return None
        return None

    def same(self, a: Any, b: Any, v: Var, line: int, where: str) -> Any:
        if a is None or b is None:
            return None
        if a == WILD:
            return b
        if b == WILD:
            return a
        if a != b:
            self.clash(v, line, f"{where} are in {show(a)} and {show(b)}")
            return None
        return a

    def run(self) -> list[ModelError]:
        for v in self.flat.vars.values():
            if v.hidden:
                continue
            decl = self.declared(v)
            for eq in v.eqns:
                got = self.infer(eq.ast, v, eq.line)
                if v.table is not None:
                    continue  # the equation is the lookup's input, in the table's x units
                if decl is not None and isinstance(got, dict) and v.kind != "stock" and got != decl:
                    self.clash(
                        v,
                        eq.line,
                        f"the equation gives {show(got)} but the variable "
                        f"is declared in {show(decl)}",
                    )
            if v.kind == "stock" and decl is not None and self.time is not None:
                want = _mul(decl, self.time, -1.0)
                for f in v.inflows + v.outflows:
                    fv = self.flat.vars[f]
                    fu = self.declared(fv)
                    if fu is not None and fu != want:
                        self.clash(
                            fv,
                            fv.line,
                            f"flow of stock '{v.display}' is in {show(fu)} "
                            f"but the stock needs {show(want)}",
                        )
        return self.issues


def check_units(flat: Flat, *, strict: bool) -> list[ModelError]:
    """Check units; raise the first clash (strict) or warn about each (not strict)."""
    issues = _Checker(flat).run()
    if strict and issues:
        raise issues[0]
    for issue in issues:
        warnings.warn(issue.describe(), UnitWarning, stacklevel=3)
    return issues
