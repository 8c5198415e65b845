"""From the records of :mod:`xmile` to a checked flat model (:class:`Flat`).

Steps: inline modules (prefixing names with the instance path and wiring ``<connect>``),
parse every equation, inline macros, resolve every name, expand stateful builtins
(SMTH1, DELAY3, TREND ...) into hidden stocks, and check what can be checked before a run:
unknown names and functions, placeholder equations, cycles among auxiliaries.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from u4ssc.core.simulation import expr as E
from u4ssc.core.simulation.errors import ModelError
from u4ssc.core.simulation.ir import Dim, Eqn, Table, Var
from u4ssc.core.simulation.names import canonical, display
from u4ssc.core.simulation.xmile import RawFile, RawGF, RawMacro, RawModel, RawVar

# name -> (min args, max args)
MATH1 = {
    "abs": "np.abs",
    "exp": "np.exp",
    "ln": "np.log",
    "log10": "np.log10",
    "sqrt": "np.sqrt",
    "sin": "np.sin",
    "cos": "np.cos",
    "tan": "np.tan",
    "arcsin": "np.arcsin",
    "arccos": "np.arccos",
    "arctan": "np.arctan",
    "int": "np.floor",
}
ARITY: dict[str, tuple[int, int]] = {
    **{k: (1, 1) for k in MATH1},
    "min": (1, 99),
    "max": (1, 99),
    "pi": (0, 0),
    "inf": (0, 0),
    "safediv": (2, 3),
    "mod": (2, 2),
    "if_then_else": (3, 3),
    "sum": (1, 1),
    "mean": (1, 99),
    "prod": (1, 1),
    "stddev": (1, 1),
    "size": (1, 1),
    "time": (0, 0),
    "dt": (0, 0),
    "starttime": (0, 0),
    "stoptime": (0, 0),
    "pulse": (1, 3),
    "step": (2, 2),
    "ramp": (2, 3),
    "random": (2, 3),
    "normal": (2, 3),
    "lognormal": (2, 3),
    "exprnd": (1, 2),
    "poisson": (1, 2),
    "triangular": (3, 4),
    "init": (1, 1),
    "previous": (1, 2),
    "delay": (2, 3),
    "delay1": (2, 3),
    "delay3": (2, 3),
    "delayn": (3, 4),
    "smth1": (2, 3),
    "smth3": (2, 3),
    "smthn": (3, 4),
    "trend": (2, 3),
    "forcst": (3, 4),
    "lookup": (2, 2),
    "rank": (2, 3),
}
STATEFUL = {
    "init",
    "previous",
    "delay",
    "delay1",
    "delay3",
    "delayn",
    "smth1",
    "smth3",
    "smthn",
    "trend",
    "forcst",
}
RANDOM = {"random", "normal", "lognormal", "exprnd", "poisson", "triangular"}
TIME_FUNCS = {"time", "pulse", "step", "ramp"} | RANDOM
REDUCERS = {"sum", "mean", "prod", "stddev", "size"}
UNSUPPORTED = {
    "self": "SELF needs the variable's own previous value inside its equation",
    "history": "HISTORY needs stored values at arbitrary past times",
}
SPECIAL_NAMES = {"time", "dt", "starttime", "stoptime", "pi", "inf"}


@dataclass
class Flat:
    """A flat, resolved, checked model."""

    name: str
    path: str
    digest: str
    start: float
    stop: float
    dt: float
    save_step: float
    method: str
    time_units: str
    dims: dict[str, Dim]
    vars: dict[str, Var]  # canonical full name -> Var, in file order (hidden ones last)
    unit_aliases: dict[str, list[str]] = field(default_factory=dict)
    random_sites: int = 0


def _err(
    msg: str, var: RawVar | Var | None = None, line: int | None = None, construct: str = ""
) -> ModelError:
    name = None
    if isinstance(var, RawVar):
        name = display(var.name)
    elif isinstance(var, Var):
        name = var.display
    return ModelError(msg, variable=name, line=line, construct=construct or None)


def _table(gf: RawGF, owner: RawVar) -> Table:
    if gf.xpts is not None and len(gf.xpts) == len(gf.ypts):
        xs = np.asarray(gf.xpts, dtype=float)
    else:
        assert gf.xscale is not None
        lo, hi = gf.xscale
        xs = np.linspace(lo, hi, len(gf.ypts)) if len(gf.ypts) > 1 else np.asarray([lo])
    ys = np.asarray(gf.ypts, dtype=float)
    if len(xs) > 1 and np.any(np.diff(xs) < 0):
        raise _err("graphical function x points must increase", owner, gf.line, "gf")
    return Table(xs=xs, ys=ys, kind=gf.kind)


@dataclass
class _MacroVar:
    """A variable inside a macro, as read once (copied for every call)."""

    name: str
    kind: str
    ast: E.Node | None
    table: Table | None
    inflows: list[str]
    outflows: list[str]
    non_negative: bool
    line: int


@dataclass
class _MacroDef:
    name: str
    params: list[str]
    body: E.Node
    variables: list[_MacroVar]
    line: int


_NUMBER_LIST = re.compile(r"^\s*[-+]?[\d.eE+-]+(\s*,\s*[-+]?[\d.eE+-]+)+\s*$")


class Builder:
    """Turns a :class:`RawFile` into a :class:`Flat` model; raises :class:`ModelError`."""

    def __init__(self, raw: RawFile, placeholders: str = "refuse") -> None:
        self.raw = raw
        self.placeholders = placeholders
        self.dims: dict[str, Dim] = {}
        self.vars: dict[str, Var] = {}
        self.macros: dict[str, tuple[list[str], E.Node, int]] = {}
        self.var_macros: dict[str, _MacroDef] = {}
        self.macro_stack: list[str] = []
        self.hidden_count = 0
        self.random_sites = 0
        self.pending: list[tuple[Var, RawVar, str]] = []  # var, raw, scope prefix

    # -- entry -------------------------------------------------------------------------------
    def build(self) -> Flat:
        raw = self.raw
        try:
            return self._build()
        except ModelError as exc:
            raise exc.with_context(path=raw.path) from None

    def _build(self) -> Flat:
        raw = self.raw
        specs = raw.specs
        if specs.dt <= 0:
            raise ModelError("dt must be positive", line=specs.line, construct="dt")
        if specs.stop < specs.start:
            raise ModelError("stop time is before start time", line=specs.line, construct="stop")
        method = specs.method.replace("-", "").replace("_", "")
        if method not in ("euler", "rk4"):
            raise ModelError(
                f"integration method '{specs.method}' is not supported (euler, rk4)",
                line=specs.line,
                construct=f"method={specs.method}",
            )
        for dname, (elems, line) in raw.dims.items():
            c = canonical(dname)
            if not elems:
                raise ModelError(f"dimension '{dname}' has no elements", line=line, construct="dim")
            self.dims[c] = Dim(c, display(dname), [canonical(e) for e in elems], elems)
        for mac in raw.macros:
            if mac.eqn is None or E.is_placeholder(mac.eqn):
                raise ModelError(
                    f"macro '{mac.name}' has no equation", line=mac.line, construct="macro"
                )
            if mac.variables:
                self.var_macros[canonical(mac.name)] = self._macro_def(mac)
                continue
            self.macros[canonical(mac.name)] = (
                [canonical(p) for p in mac.params],
                self._parse(mac.eqn, None, mac.line),
                mac.line,
            )
        root = self._root_model()
        self._flatten(root, "", "", set())
        for var, rawvar, scope in self.pending:
            self._equations(var, rawvar, scope)
        self._connect_flows()
        self._expand_all()
        self._check_refs()
        digest = hashlib.sha256(raw.text).hexdigest()
        save = specs.save_step if specs.save_step else specs.dt
        return Flat(
            name=raw.name or "model",
            path=raw.path,
            digest=digest,
            start=specs.start,
            stop=specs.stop,
            dt=specs.dt,
            save_step=save,
            method=method,
            time_units=specs.time_units,
            dims=self.dims,
            vars=self.vars,
            unit_aliases=raw.model_units,
            random_sites=self.random_sites,
        )

    # -- modules -----------------------------------------------------------------------------
    def _root_model(self) -> RawModel:
        models = self.raw.models
        for m in models:
            if not m.name:
                return m
        used = {
            canonical(v.model_ref or v.name)
            for m in models
            for v in m.variables
            if v.kind == "module"
        }
        for m in models:
            if canonical(m.name or "") not in used:
                return m
        return models[0]

    def _model_named(self, name: str, line: int) -> RawModel:
        for m in self.raw.models:
            if m.name and canonical(m.name) == canonical(name):
                return m
        raise ModelError(
            f"module refers to a model '{name}' that the file does not define",
            line=line,
            construct="module",
        )

    def _flatten(self, model: RawModel, prefix: str, dprefix: str, stack: set[str]) -> None:
        key = canonical(model.name or "")
        if key in stack:
            raise ModelError(
                f"model '{model.name}' contains itself", line=model.line, construct="module"
            )
        stack = stack | {key}
        for rv in model.variables:
            cname = prefix + canonical(rv.name)
            if cname in self.vars:
                raise _err("the variable is defined twice", rv, rv.line, "duplicate name")
            if rv.kind == "module":
                sub = self._model_named(rv.model_ref or rv.name, rv.line)
                self._flatten(sub, cname + ".", dprefix + display(rv.name) + ".", stack)
                continue
            var = Var(
                name=cname,
                display=dprefix + display(rv.name),
                kind=rv.kind,
                dims=tuple(self._dim(d, rv) for d in rv.dims),
                units=rv.units,
                doc=rv.doc,
                line=rv.line,
                range=rv.range,
            )
            nn = rv.non_negative
            if nn is None:
                nn = (
                    self.raw.default_nonneg_stock
                    if rv.kind == "stock"
                    else self.raw.default_nonneg_flow
                    if rv.kind == "flow"
                    else False
                )
            var.non_negative = bool(nn) and rv.kind in ("stock", "flow")
            self.vars[cname] = var
            self.pending.append((var, rv, prefix))
        # connections: after all of this level's modules exist
        for rv in model.variables:
            if rv.kind != "module":
                continue
            inst = prefix + canonical(rv.name) + "."
            for to, frm, line in rv.connects:
                to_c = canonical(to)
                if to_c.startswith(canonical(rv.name) + "."):  # some tools qualify `to`
                    to_c = to_c[len(canonical(rv.name)) + 1 :]
                target = inst + to_c
                source = self._resolve_name(frm, prefix, line)
                if target not in self.vars:
                    raise ModelError(
                        f"module '{display(rv.name)}' has no variable '{to}' to connect",
                        line=line,
                        construct="connect",
                    )
                tv = self.vars[target]
                tv.kind = "aux"
                tv.inflows, tv.outflows = [], []
                tv.non_negative = False
                tv.eqns = [Eqn(E.Ref(source, None, frm), f"{frm}", line)]
                self.pending = [(v, r, s) for (v, r, s) in self.pending if v is not tv]

    def _resolve_name(self, name: str, scope: str, line: int) -> str:
        if name.startswith("."):
            return canonical(name[1:])
        return scope + canonical(name)

    def _dim(self, name: str, rv: RawVar) -> str:
        c = canonical(name)
        if c not in self.dims:
            raise _err(f"unknown dimension '{name}'", rv, rv.line, "dimension")
        return c

    # -- equations ---------------------------------------------------------------------------
    def _parse(self, text: str, var: RawVar | Var | None, line: int) -> E.Node:
        try:
            node = E.parse(text)
        except ModelError as exc:
            raise _err(exc.message, var, line, exc.construct or "syntax") from None
        return self._inline_macros(node, var, line)

    def _inline_macros(self, node: E.Node, var: RawVar | Var | None, line: int) -> E.Node:
        if not self.macros:
            return node

        def sub(n: E.Node, env: dict[str, E.Node]) -> E.Node:
            if isinstance(n, E.Ref) and n.subs is None and n.name in env:
                return env[n.name]
            return _map_children(n, lambda c: sub(c, env))

        def walk(n: E.Node) -> E.Node:
            n = _map_children(n, walk)
            if isinstance(n, E.Call) and n.func in self.macros:
                params, body, _ = self.macros[n.func]
                if len(params) != len(n.args):
                    raise _err(
                        f"macro {n.raw} takes {len(params)} arguments, got {len(n.args)}",
                        var,
                        line,
                        n.raw,
                    )
                return walk(sub(body, dict(zip(params, n.args, strict=True))))
            return n

        return walk(node)

    def _equations(self, var: Var, rv: RawVar, scope: str) -> None:
        size = int(np.prod([self.dims[d].size for d in var.dims])) if var.dims else 1
        if rv.gf is not None:
            var.table = _table(rv.gf, rv)
        if rv.kind == "gf":
            var.kind = "gf"
            return
        eqns: list[Eqn] = []
        if rv.elements:
            if not var.dims:
                raise _err(
                    "element equations on a variable without dimensions", rv, rv.line, "<element>"
                )
            seen: set[tuple[int, ...]] = set()
            for el in rv.elements:
                if E.is_placeholder(el.eqn):
                    raise _err(
                        f"element [{el.subscript}] has a placeholder equation "
                        f"({(el.eqn or '').strip() or 'empty'}): the file does not define it",
                        rv,
                        el.line,
                        "placeholder equation",
                    )
                ast = self._scoped(el.eqn or "", rv, el.line, scope)
                # A subscript naming a dimension (a subrange) defines all its elements.
                for idx in self._element_indices(el.subscript, var, rv, el.line):
                    if idx in seen:
                        raise _err(
                            f"element [{el.subscript}] is defined twice", rv, el.line, "<element>"
                        )
                    seen.add(idx)
                    if el.gf is not None:
                        var.element_tables[idx] = _table(el.gf, rv)
                    eqns.append(Eqn(ast, el.eqn or "", el.line, idx))
            if len(seen) != size:
                raise _err(
                    f"{size - len(seen)} elements have no equation", rv, rv.line, "<element>"
                )
        elif rv.extra_eqns and var.dims:
            # Vensim exports write one <eqn> per element, in element order.
            texts = [(rv.eqn or "", rv.eqn_line), *rv.extra_eqns]
            if len(texts) != size:
                raise _err(f"{len(texts)} equations for {size} elements", rv, rv.line, "<eqn>")
            for k, (text, line) in enumerate(texts):
                idx = tuple(int(i) for i in np.unravel_index(k, self._shape(var.dims)))
                eqns.append(Eqn(self._scoped(text, rv, line, scope), text, line, idx))
        else:
            if rv.extra_eqns:
                raise _err("more than one equation", rv, rv.extra_eqns[0][1], "<eqn>")
            if E.is_placeholder(rv.eqn) and self.placeholders == "inputs" and rv.kind != "stock":
                var.placeholder = True
                var.eqns = []
                return
            if E.is_placeholder(rv.eqn):
                what = (
                    E.strip_comments(rv.eqn or "").strip()
                    or (rv.eqn or "").strip()
                    or "no equation"
                )
                raise _err(
                    f"placeholder equation ({what[:40]}): the file does not define this variable",
                    rv,
                    rv.eqn_line or rv.line,
                    "placeholder equation",
                )
            text = rv.eqn or ""
            if var.dims and _NUMBER_LIST.match(E.strip_comments(text)):
                values = [float(x) for x in E.strip_comments(text).split(",")]
                if len(values) != size:
                    raise _err(
                        f"{len(values)} values for {size} elements", rv, rv.eqn_line, "<eqn>"
                    )
                for k, value in enumerate(values):
                    idx = tuple(int(i) for i in np.unravel_index(k, self._shape(var.dims)))
                    eqns.append(Eqn(E.Num(value), str(value), rv.eqn_line, idx))
            else:
                eqns.append(
                    Eqn(
                        self._scoped(text, rv, rv.eqn_line or rv.line, scope),
                        text,
                        rv.eqn_line or rv.line,
                    )
                )
        var.eqns = eqns
        var.inflows = [scope + canonical(f) for f in rv.inflows]
        var.outflows = [scope + canonical(f) for f in rv.outflows]

    def _shape(self, dims: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.dims[d].size for d in dims)

    def _element_indices(self, sub: str, var: Var, rv: RawVar, line: int) -> list[tuple[int, ...]]:
        """The element positions ``<element subscript="...">`` names: one per part, or
        every element of a dimension named there (the whole dimension or a subrange)."""
        parts = [p for p in sub.split(",")]
        if len(parts) != len(var.dims):
            raise _err(
                f"element [{sub}] does not match the variable's {len(var.dims)} dimensions",
                rv,
                line,
                "<element>",
            )
        choices: list[list[int]] = []
        for p, d in zip(parts, var.dims, strict=True):
            dim = self.dims[d]
            c = canonical(p)
            head, dot, tail = c.partition(".")
            if dot and head in self.dims:
                c = tail
            i = dim.index(c)
            if i is None and c.isdigit() and 1 <= int(c) <= dim.size:
                i = int(c) - 1
            if i is None and c in self.dims:
                found = [dim.index(e) for e in self.dims[c].elements]
                if all(k is not None for k in found):
                    choices.append([int(k) for k in found if k is not None])
                    continue
            if i is None:
                raise _err(
                    f"'{p.strip()}' is not an element (or a subrange) of dimension '{dim.display}'",
                    rv,
                    line,
                    "<element>",
                )
            choices.append([i])
        return [tuple(idx) for idx in itertools.product(*choices)]

    def _scoped(self, text: str, rv: RawVar, line: int, scope: str) -> E.Node:
        node = self._parse(text, rv, line)
        if not scope:
            return node

        def fix(n: E.Node) -> E.Node:
            n = _map_children(n, fix)
            if isinstance(n, E.Ref) and n.name not in SPECIAL_NAMES:
                name = n.name[1:] if n.name.startswith(".") else scope + n.name
                if not n.name.startswith(".") and scope + n.name not in self._all_names():
                    # dimension and element names are global
                    return n
                return E.Ref(name, n.subs, n.raw)
            if isinstance(n, E.Call) and scope + n.func in self._all_names():
                return E.Call(scope + n.func, n.args, n.raw)
            return n

        return fix(node)

    def _all_names(self) -> dict[str, Var]:
        return self.vars

    def _connect_flows(self) -> None:
        for var in list(self.vars.values()):
            if var.kind != "stock":
                continue
            for f in var.inflows + var.outflows:
                fv = self.vars.get(f)
                if fv is None:
                    raise _err(
                        f"stock names a flow '{f}' that the model does not define",
                        var,
                        var.line,
                        "<inflow>/<outflow>",
                    )
                if fv.kind != "flow":
                    raise _err(
                        f"'{fv.display}' is connected as a flow but is a {fv.kind}",
                        var,
                        var.line,
                        "<inflow>/<outflow>",
                    )

    # -- macros with their own variables -----------------------------------------------------
    def _macro_def(self, mac: RawMacro) -> _MacroDef:
        """Read a macro that has variables (stocks, flows, auxiliaries) of its own.

        Its equations may use only its parameters, its own variables and builtins: each
        call gets fresh copies of the variables (see :meth:`_instantiate`).
        """
        params = [canonical(p) for p in mac.params]
        local: list[_MacroVar] = []
        names = {canonical(rv.name) for rv in mac.variables}
        for rv in mac.variables:
            if rv.dims:
                raise ModelError(
                    f"macro '{mac.name}': arrayed variables inside a macro are not supported",
                    variable=display(rv.name),
                    line=rv.line,
                    construct="macro with variables",
                )
            if rv.elements or rv.extra_eqns:
                raise ModelError(
                    f"macro '{mac.name}': a macro variable has one equation",
                    variable=display(rv.name),
                    line=rv.line,
                    construct="macro with variables",
                )
            table = _table(rv.gf, rv) if rv.gf is not None else None
            if rv.kind == "gf":
                ast: E.Node | None = None
            else:
                if E.is_placeholder(rv.eqn):
                    raise ModelError(
                        f"macro '{mac.name}': variable '{display(rv.name)}' has no equation",
                        line=rv.eqn_line or rv.line,
                        construct="macro with variables",
                    )
                ast = self._parse(rv.eqn or "", rv, rv.eqn_line or rv.line)
            local.append(
                _MacroVar(
                    name=canonical(rv.name),
                    kind=rv.kind,
                    ast=ast,
                    table=table,
                    inflows=[canonical(f) for f in rv.inflows],
                    outflows=[canonical(f) for f in rv.outflows],
                    non_negative=bool(rv.non_negative) and rv.kind in ("stock", "flow"),
                    line=rv.eqn_line or rv.line,
                )
            )
        body = self._parse(mac.eqn or "", None, mac.line)
        known = set(params) | names | SPECIAL_NAMES
        for node, line in [(body, mac.line)] + [(m.ast, m.line) for m in local if m.ast]:
            for ref in _value_refs(node):
                if ref.name not in known:
                    raise ModelError(
                        f"macro '{mac.name}' uses '{ref.raw or ref.name}', which is neither "
                        "one of its parameters nor one of its own variables",
                        line=line,
                        construct="macro with variables",
                    )
        for m in local:
            for f in m.inflows + m.outflows:
                if f not in names:
                    raise ModelError(
                        f"macro '{mac.name}': stock '{m.name}' names a flow '{f}' the macro "
                        "does not define",
                        line=m.line,
                        construct="macro with variables",
                    )
        return _MacroDef(mac.name, params, body, local, mac.line)

    def _instantiate(
        self,
        call: E.Call,
        owner: Var,
        dims: tuple[str, ...],
        bind: dict[str, int],
        line: int,
    ) -> E.Node:
        """One call of a macro with variables: fresh hidden copies of its variables (so
        two calls keep two stocks), its parameters bound to the call's arguments, and the
        macro's equation as the call's value."""
        mdef = self.var_macros[call.func]
        if len(call.args) != len(mdef.params):
            raise _err(
                f"macro {call.raw} takes {len(mdef.params)} arguments, got {len(call.args)}",
                owner,
                line,
                call.raw,
            )
        if call.func in self.macro_stack:
            raise _err(f"macro {call.raw} calls itself", owner, line, call.raw)
        self.hidden_count += 1
        tag = f"{call.func}{self.hidden_count}"
        env: dict[str, E.Node] = {}
        for param, arg in zip(mdef.params, call.args, strict=True):
            if isinstance(arg, E.Num):
                env[param] = arg
            else:
                env[param] = E.Ref(
                    self._new_hidden(owner, "aux", f"{tag}.{param}", arg, dims, bind, line).name
                )
        made: list[tuple[Var, _MacroVar]] = []
        for m in mdef.variables:
            v = Var(
                name=f"#{tag}.{m.name}",
                display=f"{owner.display}:{mdef.name}{self.hidden_count}.{m.name}",
                kind=m.kind,
                dims=dims,
                line=line,
                hidden=True,
                bind=dict(bind),
                units=None,
                non_negative=m.non_negative,
                table=m.table,
            )
            self.vars[v.name] = v
            env[m.name] = E.Ref(v.name)
            made.append((v, m))

        def rename(n: E.Node) -> E.Node:
            n = _map_children(n, rename)
            if isinstance(n, E.Ref) and n.subs is None and n.name in env:
                return env[n.name]
            if isinstance(n, E.Call) and n.func in env:
                target = env[n.func]
                assert isinstance(target, E.Ref)
                return E.Call(target.name, n.args, n.raw)
            return n

        self.macro_stack.append(call.func)
        try:
            for v, m in made:
                v.inflows = [f"#{tag}.{f}" for f in m.inflows]
                v.outflows = [f"#{tag}.{f}" for f in m.outflows]
                if m.ast is not None:
                    ast = self._expand(rename(m.ast), owner, dims, bind, line)
                    v.eqns = [Eqn(ast, "", line)]
            out = self._expand(rename(mdef.body), owner, dims, bind, line)
        finally:
            self.macro_stack.pop()
        return E.Ref(self._new_hidden(owner, "aux", f"{tag}.out", out, dims, bind, line).name)

    # -- stateful builtins -------------------------------------------------------------------
    def _new_hidden(
        self,
        owner: Var,
        kind: str,
        label: str,
        eqn: E.Node | None,
        dims: tuple[str, ...],
        bind: dict[str, int],
        line: int,
    ) -> Var:
        self.hidden_count += 1
        name = f"#{label}{self.hidden_count}"
        v = Var(
            name=name,
            display=f"{owner.display}:{label}{self.hidden_count}",
            kind=kind,
            dims=dims,
            line=line,
            hidden=True,
            bind=dict(bind),
            units=None,
        )
        if eqn is not None:
            v.eqns = [Eqn(eqn, "", line)]
        self.vars[name] = v
        return v

    def _expand_all(self) -> None:
        for var in list(self.vars.values()):
            if var.hidden:
                continue
            new_eqns = []
            for eq in var.eqns:
                if eq.elem is None:
                    dims, bind = var.dims, {}
                else:
                    dims = ()
                    bind = dict(zip(var.dims, eq.elem, strict=True))
                ast = self._expand(eq.ast, var, dims, bind, eq.line)
                new_eqns.append(Eqn(ast, eq.text, eq.line, eq.elem))
            var.eqns = new_eqns

    def _expand(
        self, node: E.Node, owner: Var, dims: tuple[str, ...], bind: dict[str, int], line: int
    ) -> E.Node:
        node = _map_children(node, lambda c: self._expand(c, owner, dims, bind, line))
        if not isinstance(node, E.Call):
            return node
        f = node.func
        if f in self.var_macros:
            return self._instantiate(node, owner, dims, bind, line)
        if f in RANDOM:
            self.random_sites += 1
            return E.Call(f, (*node.args, E.Num(float(self.random_sites))), node.raw)
        if f not in STATEFUL:
            return node
        lo, hi = ARITY[f]
        if not lo <= len(node.args) <= hi:
            raise _err(
                f"{node.raw} takes {lo} to {hi} arguments, got {len(node.args)}",
                owner,
                line,
                node.raw,
            )
        a = node.args

        def aux(label: str, e: E.Node) -> E.Ref:
            if isinstance(e, E.Num):
                return e  # type: ignore[return-value]
            return E.Ref(self._new_hidden(owner, "aux", label, e, dims, bind, line).name)

        def stock(label: str, init: E.Node, deriv: E.Node) -> E.Ref:
            v = self._new_hidden(owner, "stock", label, init, dims, bind, line)
            v.deriv = deriv
            return E.Ref(v.name)

        if f == "init":
            v = self._new_hidden(owner, "aux", "init", a[0], dims, bind, line)
            v.init_only = True
            return E.Ref(v.name)
        if f == "previous":
            inp = aux("previous_in", a[0])
            init = a[1] if len(a) > 1 else inp
            v = self._new_hidden(owner, "memory", "previous", init, dims, bind, line)
            v.record = inp
            return E.Ref(v.name)
        if f == "delay":
            inp = aux("delay_in", a[0])
            dtime = aux("delay_time", a[1])
            init = a[2] if len(a) > 2 else inp
            v = self._new_hidden(owner, "delay", "delay", init, dims, bind, line)
            v.record = inp
            v.delay_time = dtime
            return E.Ref(v.name)
        if f in ("smth1", "smth3", "smthn", "delay1", "delay3", "delayn"):
            inp = aux(f + "_in", a[0])
            tau = aux(f + "_time", a[1])
            if f in ("smthn", "delayn"):
                order_node = a[2]
                if (
                    not isinstance(order_node, E.Num)
                    or order_node.value < 1
                    or (order_node.value != int(order_node.value))
                ):
                    raise _err(
                        f"{node.raw}: the order must be a positive whole number written "
                        "in the equation",
                        owner,
                        line,
                        node.raw,
                    )
                order = int(order_node.value)
                init_arg = a[3] if len(a) > 3 else None
            else:
                order = 3 if f.endswith("3") else 1
                init_arg = a[2] if len(a) > 2 else None
            stage_time: E.Node = tau if order == 1 else E.Bin("/", tau, E.Num(float(order)))
            init_val = init_arg if init_arg is not None else inp
            prev: E.Node = inp
            if f.startswith("smth"):
                for k in range(order):
                    s = self._new_hidden(
                        owner, "stock", f"{f}_s{k + 1}_", init_val, dims, bind, line
                    )
                    s.deriv = E.Bin("/", E.Bin("-", prev, E.Ref(s.name)), stage_time)
                    prev = E.Ref(s.name)
                return prev
            # material delays: stocks hold input x stage time; outflow = stock / stage time
            out: E.Node = inp
            for k in range(order):
                s = self._new_hidden(
                    owner,
                    "stock",
                    f"{f}_s{k + 1}_",
                    E.Bin("*", init_val, stage_time),
                    dims,
                    bind,
                    line,
                )
                new_out = E.Bin("/", E.Ref(s.name), stage_time)
                s.deriv = E.Bin("-", out, new_out)
                out = new_out
            return aux(f + "_out", out)
        if f in ("trend", "forcst"):
            inp = aux(f + "_in", a[0])
            tau = aux(f + "_time", a[1])
            if f == "trend":
                init_trend = a[2] if len(a) > 2 else E.Num(0.0)
            else:
                init_trend = a[3] if len(a) > 3 else E.Num(0.0)
            avg = stock(
                f + "_avg",
                E.Bin("/", inp, E.Bin("+", E.Num(1.0), E.Bin("*", init_trend, tau))),
                E.Bin("/", E.Bin("-", inp, E.Ref("#placeholder")), tau),
            )
            avg_var = self.vars[avg.name]
            assert avg_var.deriv is not None
            avg_var.deriv = E.Bin("/", E.Bin("-", inp, avg), tau)
            trend = E.Call("safediv", (E.Bin("-", inp, avg), E.Bin("*", avg, tau)), "SAFEDIV")
            if f == "trend":
                return aux("trend_out", trend)
            horizon = a[2]
            return aux(
                "forcst_out", E.Bin("*", inp, E.Bin("+", E.Num(1.0), E.Bin("*", trend, horizon)))
            )
        raise _err(f"{node.raw} is not supported", owner, line, node.raw)  # pragma: no cover

    # -- checks ------------------------------------------------------------------------------
    def _is_dimension_value(self, name: str) -> bool:
        if name in self.dims:
            return True
        head, dot, tail = name.partition(".")
        return bool(dot) and head in self.dims and self.dims[head].index(tail) is not None

    def _check_refs(self) -> None:
        for var in self.vars.values():
            exprs = [(eq.ast, eq.line) for eq in var.eqns]
            if var.deriv is not None:
                exprs.append((var.deriv, var.line))
            if var.record is not None:
                exprs.append((var.record, var.line))
            for ast, line in exprs:
                self._check_expr(ast, var, line)

    def _check_expr(self, node: E.Node, var: Var, line: int) -> None:
        for call in E.calls(node):
            f = call.func
            target = self.vars.get(f)
            if target is not None and (target.table is not None or target.kind == "gf"):
                if len(call.args) != 1:
                    raise _err(f"lookup {call.raw} takes one argument", var, line, call.raw)
                continue
            if f in UNSUPPORTED:
                raise _err(f"{call.raw} is not supported: {UNSUPPORTED[f]}", var, line, call.raw)
            if f not in ARITY:
                raise _err(f"unknown function {call.raw}", var, line, call.raw)
            lo, hi = ARITY[f]
            extra = 1 if f in RANDOM else 0
            if not lo <= len(call.args) - extra <= hi:
                raise _err(
                    f"{call.raw} takes {lo} to {hi} arguments, got {len(call.args) - extra}",
                    var,
                    line,
                    call.raw,
                )
            if f == "lookup":
                first = call.args[0]
                tv = self.vars.get(first.name) if isinstance(first, E.Ref) else None
                if tv is None or tv.table is None:
                    raise _err(
                        "LOOKUP's first argument must name a graphical function",
                        var,
                        line,
                        call.raw,
                    )
        for ref in _value_refs(node):
            if ref.name in self.vars:
                target = self.vars[ref.name]
                if target.kind == "gf" and ref.subs is None:
                    raise _err(
                        f"lookup table '{target.display}' used as a value; call it "
                        f"with an argument",
                        var,
                        line,
                        ref.raw,
                    )
                continue
            if ref.name in SPECIAL_NAMES and ref.subs is None:
                continue
            if ref.subs is None and self._is_dimension_value(ref.name):
                continue  # a dimension (or Dim.elem) used as a number: its position
            raise _err(f"unknown variable '{ref.raw or ref.name}'", var, line, "unknown name")


def _value_refs(node: E.Node) -> list[E.Ref]:
    """References used as values (not dimension/element names inside subscripts)."""
    out: list[E.Ref] = []

    def walk(n: E.Node, in_sub: bool) -> None:
        if isinstance(n, E.Ref):
            if not in_sub:
                out.append(n)
            for s in n.subs or ():
                walk(s, True)
        elif isinstance(n, E.Call):
            if n.func == "lookup":
                for a in n.args[1:]:
                    walk(a, in_sub)
                return
            for a in n.args:
                walk(a, in_sub)
        elif isinstance(n, E.Bin):
            walk(n.a, in_sub)
            walk(n.b, in_sub)
        elif isinstance(n, E.Un):
            walk(n.a, in_sub)
        elif isinstance(n, E.If):
            walk(n.cond, in_sub)
            walk(n.then, in_sub)
            walk(n.other, in_sub)
        elif isinstance(n, E.Range):
            walk(n.lo, True)
            walk(n.hi, True)

    walk(node, False)
    return out


def _map_children(n: E.Node, f: Any) -> E.Node:
    if isinstance(n, E.Call):
        return E.Call(n.func, tuple(f(a) for a in n.args), n.raw)
    if isinstance(n, E.Bin):
        return E.Bin(n.op, f(n.a), f(n.b))
    if isinstance(n, E.Un):
        return E.Un(n.op, f(n.a))
    if isinstance(n, E.If):
        return E.If(f(n.cond), f(n.then), f(n.other))
    return n


def build(raw: RawFile, placeholders: str = "refuse") -> Flat:
    """Flatten, resolve and check a read XMILE file.

    Args:
        placeholders: ``"refuse"`` (default) raises on a placeholder equation (``???``,
            an empty ``{comment}``); ``"inputs"`` turns such variables into inputs that
            every run must give a value for.
    """
    return Builder(raw, placeholders).build()
