"""Code generation: a flat model becomes one Python function of NumPy array operations.

See docs/decisions/0101-code-generation-over-the-ensemble-axis.md. Every value has the
model's dimensions first and the run axis last; the generated ``step`` function computes
all auxiliaries and flows for all runs at once, writes the stocks' rates of change and,
when asked, the requested outputs. Variables that do not change during a run (constants
and what depends only on constants) are computed once, at initialisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from u4ssc.core.simulation import expr as E
from u4ssc.core.simulation import runtime
from u4ssc.core.simulation.build import (
    MATH1,
    RANDOM,
    REDUCERS,
    SPECIAL_NAMES,
    TIME_FUNCS,
    Flat,
)
from u4ssc.core.simulation.errors import ModelError
from u4ssc.core.simulation.ir import Var


@dataclass
class Column:
    """One output column: a variable, or one element of an arrayed variable."""

    var: str
    label: str
    elem: tuple[int, ...] | None


@dataclass
class Program:
    """Generated code for one model with a given set of overridden and policy variables."""

    source: str
    bind: Callable[..., Any]
    n_state: int
    outputs: list[str]
    columns: list[Column]
    static: set[str]
    layout: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Ctx:
    dims: tuple[str, ...]
    bind: dict[str, int]
    reduce: tuple[str, ...] = ()  # the dims a reducing function (SUM ...) sums over


class _Gen:
    def __init__(
        self, flat: Flat, overridden: set[str], policies: set[str], outputs: list[str]
    ) -> None:
        self.flat = flat
        self.vars = flat.vars
        self.dims = flat.dims
        self.overridden = overridden
        self.policies = policies
        self.outputs = outputs
        self.ident: dict[str, str] = {n: f"v{i}" for i, n in enumerate(self.vars)}
        # single elements given as inputs ("pop[2]" keys): var -> [(positions, key)]
        self.elem_inputs: dict[str, list[tuple[tuple[int, ...], str]]] = {}
        for key in overridden:
            if key.endswith("]") and "[" in key:
                name, _, rest = key[:-1].partition("[")
                idx = tuple(int(x) for x in rest.split(","))
                self.elem_inputs.setdefault(name, []).append((idx, key))
        self.consts: dict[str, float] = {}
        self.static: set[str] = set()
        self.layout: dict[str, tuple[int, int]] = {}
        # dimension positions used as values: (dim, shape) -> (global name, array)
        self.positions: dict[tuple[str, tuple[int, ...]], tuple[str, np.ndarray]] = {}

    # -- helpers -------------------------------------------------------------------------
    def err(self, msg: str, var: Var, line: int | None = None, construct: str = "") -> ModelError:
        return ModelError(
            msg,
            variable=var.display,
            line=line or var.line,
            construct=construct or None,
            path=self.flat.path,
        )

    def shape(self, dims: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.dims[d].size for d in dims)

    def const(self, value: float) -> str:
        key = repr(float(value))
        if key not in self.consts:
            self.consts[key] = float(value)
        return f"K{list(self.consts).index(key)}"

    def is_input(self, v: Var) -> bool:
        return v.name in self.overridden

    # -- classification -------------------------------------------------------------------
    def value_deps(self, v: Var) -> set[str]:
        """Names whose current value ``v``'s equations read (subscript names excluded)."""
        if self.is_input(v) or v.name in self.policies:
            return set()
        out: set[str] = set()
        asts = [eq.ast for eq in v.eqns]
        for ast in asts:
            out.update(_value_ref_names(ast))
            for c in E.calls(ast):
                if c.func in self.vars:
                    out.add(c.func)
        return {n for n in out if n in self.vars}

    def classify(self) -> None:
        memo: dict[str, bool] = {}
        visiting: set[str] = set()

        def is_static(name: str) -> bool:
            if name in memo:
                return memo[name]
            v = self.vars[name]
            if v.kind == "gf":
                memo[name] = True
                return True
            if self.is_input(v) and v.kind not in ("stock",):
                memo[name] = True
                return True
            if v.name in self.policies or v.kind in ("stock", "memory", "delay"):
                memo[name] = False
                return False
            if v.init_only:
                memo[name] = True
                return True
            if v.kind == "flow" and self.stock_of_outflow(v) is not None:
                memo[name] = False  # limited by the stock's content, which changes
                return False
            if name in visiting:
                return False  # a cycle: reported by the ordering below
            visiting.add(name)
            ok = True
            for eq in v.eqns:
                for c in E.calls(eq.ast):
                    if c.func in TIME_FUNCS:
                        ok = False
                for r in _value_ref_names(eq.ast):
                    if r == "time" and r not in self.vars:
                        ok = False
            if ok:
                ok = all(is_static(d) for d in self.value_deps(v))
            visiting.discard(name)
            memo[name] = ok
            return ok

        self.static = {n for n in self.vars if is_static(n)}

    def order(self, names: list[str], deps: Callable[[str], set[str]], what: str) -> list[str]:
        index = {n: i for i, n in enumerate(names)}
        dep_map = {n: {d for d in deps(n) if d in index and d != n} for n in names}
        for n in names:
            if n in deps(n) and n in index:
                raise self.err(
                    f"the equation refers to itself ({what})", self.vars[n], construct="cycle"
                )
        done: list[str] = []
        state: dict[str, int] = {}
        for start in names:
            if state.get(start):
                continue
            stack: list[tuple[str, list[str]]] = [
                (start, sorted(dep_map[start], key=index.__getitem__))
            ]
            state[start] = 1
            path = [start]
            while stack:
                node, rest = stack[-1]
                if rest:
                    nxt = rest.pop(0)
                    st = state.get(nxt, 0)
                    if st == 1:
                        cyc = [*path[path.index(nxt) :], nxt]
                        shown = " -> ".join(self.vars[c].display for c in cyc)
                        raise self.err(
                            f"circular definition among {what}: {shown}",
                            self.vars[nxt],
                            construct="cycle",
                        )
                    if st == 0:
                        state[nxt] = 1
                        stack.append((nxt, sorted(dep_map[nxt], key=index.__getitem__)))
                        path.append(nxt)
                else:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                    done.append(node)
        return done

    # -- expressions ----------------------------------------------------------------------
    def gen(self, n: E.Node, ctx: _Ctx, owner: Var, line: int) -> str:
        code, is_bool = self.gen2(n, ctx, owner, line)
        return f"({code} * 1.0)" if is_bool else code

    def gen_bool(self, n: E.Node, ctx: _Ctx, owner: Var, line: int) -> str:
        code, is_bool = self.gen2(n, ctx, owner, line)
        return code if is_bool else f"({code} != 0)"

    def gen2(self, n: E.Node, ctx: _Ctx, owner: Var, line: int) -> tuple[str, bool]:
        if isinstance(n, E.Num):
            return self.const(n.value), False
        if isinstance(n, E.Ref):
            return self.gen_ref(n, ctx, owner, line), False
        if isinstance(n, E.Un):
            if n.op == "-":
                return f"(-{self.gen(n.a, ctx, owner, line)})", False
            return f"np.logical_not({self.gen_bool(n.a, ctx, owner, line)})", True
        if isinstance(n, E.Bin):
            op = n.op
            if op in ("and", "or"):
                fn = "np.logical_and" if op == "and" else "np.logical_or"
                a = self.gen_bool(n.a, ctx, owner, line)
                b = self.gen_bool(n.b, ctx, owner, line)
                return f"{fn}({a}, {b})", True
            a = self.gen(n.a, ctx, owner, line)
            b = self.gen(n.b, ctx, owner, line)
            if op in ("<", "<=", ">", ">="):
                return f"({a} {op} {b})", True
            if op == "=":
                return f"({a} == {b})", True
            if op == "<>":
                return f"({a} != {b})", True
            if op == "^":
                return f"np.power({a}, {b})", False
            if op == "mod":
                return f"np.mod({a}, {b})", False
            return f"({a} {op} {b})", False
        if isinstance(n, E.If):
            c = self.gen_bool(n.cond, ctx, owner, line)
            a = self.gen(n.then, ctx, owner, line)
            b = self.gen(n.other, ctx, owner, line)
            return f"np.where({c}, {a}, {b})", False
        if isinstance(n, E.Call):
            return self.gen_call(n, ctx, owner, line), False
        raise self.err(f"'{type(n).__name__}' cannot be used here", owner, line, "subscript")

    def axes(self, n: E.Ref, v: Var, ctx: _Ctx, owner: Var, line: int) -> list[tuple[str, Any]]:
        """Per axis of ``v``: ``('fix', i)`` or ``('free', (dim, positions))``.

        A free axis varies over ``dim`` (the name the equation knows it by: ``v``'s own
        dimension, a subrange of it, or a dimension mapped onto it by position) and
        ``positions`` are the indices into ``v``'s axis, one per element of ``dim`` (a
        range ``a:b`` keeps ``v``'s dimension with fewer positions).
        """
        subs: tuple[E.Node | None, ...] = n.subs if n.subs is not None else (None,) * len(v.dims)
        if len(subs) != len(v.dims):
            raise self.err(
                f"'{v.display}' has {len(v.dims)} dimensions but is subscripted with {len(subs)}",
                owner,
                line,
                "subscript",
            )
        items: list[tuple[str, Any]] = []
        for s, d in zip(subs, v.dims, strict=True):
            dim = self.dims[d]
            if s is None or isinstance(s, E.Star):
                items.append(("free", (d, tuple(range(dim.size)))))
            elif isinstance(s, E.Num):
                k = int(s.value) - 1
                if not 0 <= k < dim.size:
                    raise self.err(
                        f"index {int(s.value)} is outside dimension '{dim.display}'",
                        owner,
                        line,
                        "subscript",
                    )
                items.append(("fix", k))
            elif isinstance(s, E.Ref) and s.subs is None:
                name = s.name
                if name in self.dims:
                    items.append(("free", (name, self.dim_map(name, d, v, owner, line))))
                    continue
                k2 = dim.index(self._element_name(name))
                if k2 is None:
                    raise self.err(
                        f"'{s.raw or s.name}' is neither a dimension nor an element "
                        f"of '{dim.display}'",
                        owner,
                        line,
                        "subscript",
                    )
                items.append(("fix", k2))
            elif isinstance(s, E.Range):
                lo = self._elem_pos(s.lo, dim, owner, line)
                hi = self._elem_pos(s.hi, dim, owner, line)
                items.append(("free", (d, tuple(range(lo, hi + 1)))))
            else:
                raise self.err(
                    "computed subscripts are not supported", owner, line, "subscript expression"
                )
        out: list[tuple[str, Any]] = []
        for kind, val in items:
            if kind == "free":
                name, pos = val
                bound = self.bound_position(name, ctx, owner, line)
                if bound is not None:
                    if len(pos) != self.dims[name].size:
                        raise self.err(
                            "a range where one element is expected", owner, line, "subscript range"
                        )
                    out.append(("fix", pos[bound]))
                    continue
            out.append((kind, val))
        return out

    def _element_name(self, name: str) -> str:
        """``Dim.elem`` (XMILE's qualified element) -> ``elem``; other names unchanged."""
        head, dot, tail = name.partition(".")
        return tail if dot and head in self.dims else name

    def dim_map(self, name: str, d: str, v: Var, owner: Var, line: int) -> tuple[int, ...]:
        """Positions in dimension ``d`` (of ``v``) that dimension ``name`` stands for.

        ``d`` itself: every position. A subrange of ``d`` (every element of ``name`` is
        an element of ``d``, as Vensim exports subranges): the positions of its elements,
        matched by name. Otherwise a dimension of the same size maps by position.
        """
        target = self.dims[d]
        if name == d:
            return tuple(range(target.size))
        sub = self.dims[name]
        found = [target.index(e) for e in sub.elements]
        if all(k is not None for k in found):
            return tuple(int(k) for k in found if k is not None)
        if sub.size == target.size:
            return tuple(range(target.size))
        raise self.err(
            f"dimension '{sub.display}' does not match '{target.display}' of '{v.display}': "
            f"it is not a subrange of it (not all of its elements are elements of "
            f"'{target.display}') and does not have as many elements",
            owner,
            line,
            "subscript",
        )

    def bound_position(self, name: str, ctx: _Ctx, owner: Var, line: int) -> int | None:
        """The position within dimension ``name`` that an element equation fixes, if any.

        ``name`` bound itself, or a dimension it is a subrange of (or that is a subrange
        of it) bound to an element: that element, by name.
        """
        if name in ctx.bind:
            return ctx.bind[name]
        dim = self.dims[name]
        for bd, idx in ctx.bind.items():
            other = self.dims[bd]
            members = set(other.elements)
            if not (set(dim.elements) <= members or members <= set(dim.elements)):
                continue
            label = other.elements[idx]
            k = dim.index(label)
            if k is None:
                raise self.err(
                    f"element '{other.labels[idx]}' is not in dimension '{dim.display}'",
                    owner,
                    line,
                    "subscript",
                )
            return k
        return None

    def _elem_pos(self, s: E.Node, dim: Any, owner: Var, line: int) -> int:
        if isinstance(s, E.Num):
            return int(s.value) - 1
        if isinstance(s, E.Ref):
            k = dim.index(s.name.split(".", 1)[-1])
            if k is not None:
                return int(k)
        raise self.err("range bounds must be elements or positions", owner, line, "range")

    def gen_ref(self, n: E.Ref, ctx: _Ctx, owner: Var, line: int) -> str:
        if n.name not in self.vars:
            if n.name == "time":
                return "t"
            if n.name == "dt":
                return "dt"
            if n.name == "starttime":
                return "t0"
            if n.name == "stoptime":
                return "t1"
            if n.name == "pi":
                return "np.pi"
            if n.name == "inf":
                return "np.inf"
            if n.subs is None and (n.name in self.dims or self._qualified_element(n.name)):
                return self.gen_dim_value(n, ctx, owner, line)
            raise self.err(f"unknown variable '{n.raw or n.name}'", owner, line, "unknown name")
        v = self.vars[n.name]
        code = self.ident[v.name]
        if not v.dims:
            if n.subs:
                raise self.err(
                    f"'{v.display}' is not an array but is subscripted", owner, line, "subscript"
                )
            return code
        items = self.axes(n, v, ctx, owner, line)
        free = [val[0] for kind, val in items if kind == "free"]
        if len(set(free)) != len(free):
            raise self.err(
                "the same dimension is used twice in one subscript", owner, line, "subscript"
            )
        for d in free:
            if d not in ctx.dims:
                raise self.err(
                    f"'{v.display}' varies over dimension '{self.dims[d].display}' where one "
                    "value is expected (use SUM, MEAN, MIN, MAX ... or an element)",
                    owner,
                    line,
                    "array dimension mismatch",
                )
        for kind, val in items:
            partial = kind == "free" and len(val[1]) != self.dims[val[0]].size
            if partial and val[0] not in ctx.reduce:
                raise self.err(
                    "a range of elements (a:b) can only be used inside SUM, MEAN, MIN, "
                    "MAX, PROD, STDDEV or SIZE",
                    owner,
                    line,
                    "subscript range",
                )
        tokens = []
        takes: list[tuple[int, tuple[int, ...]]] = []
        sliced = False
        kept = 0  # axes left after the fixed ones are indexed away
        for axis, (kind, val) in enumerate(items):
            if kind == "fix":
                tokens.append(str(val))
                sliced = True
                continue
            pos = val[1]
            size = self.dims[v.dims[axis]].size
            if pos == tuple(range(size)):
                tokens.append(":")
            elif pos == tuple(range(pos[0], pos[0] + len(pos))):
                tokens.append(f"{pos[0]}:{pos[0] + len(pos)}")
                sliced = True
            else:
                tokens.append(":")  # elements picked by name (a subrange): a take below
                takes.append((kept, pos))
            kept += 1
        if sliced:
            code = f"{code}[{', '.join(tokens)}]"
        for axis_now, pos in takes:
            code = f"np.take({code}, {list(pos)}, axis={axis_now})"
        if not free:
            return code
        target = [d for d in ctx.dims if d in free]
        if target != free:
            perm = [free.index(d) for d in target] + [len(free)]
            code = f"{code}.transpose({tuple(perm)})"
        if len(target) < len(ctx.dims):
            tokens = [":" if d in free else "None" for d in ctx.dims]
            code = f"{code}[{', '.join(tokens)}]"
        return code

    def _qualified_element(self, name: str) -> tuple[str, int] | None:
        """``Dim.elem`` -> (dimension, position) when it names an element of a dimension."""
        head, dot, tail = name.partition(".")
        if not dot or head not in self.dims:
            return None
        k = self.dims[head].index(tail)
        return None if k is None else (head, k)

    def gen_dim_value(self, n: E.Ref, ctx: _Ctx, owner: Var, line: int) -> str:
        """A dimension name (or ``Dim.elem``) used as a number: the 1-based position of
        the current (or named) element, as Stella and Vensim read it."""
        qualified = self._qualified_element(n.name)
        if qualified is not None:
            return self.const(float(qualified[1] + 1))
        name = n.name
        bound = self.bound_position(name, ctx, owner, line)
        if bound is not None:
            return self.const(float(bound + 1))
        if name not in ctx.dims:
            raise self.err(
                f"the dimension name '{self.dims[name].display}' is used as a value (the "
                "position of the current element) in an equation that does not vary over it",
                owner,
                line,
                "dimension name",
            )
        shape = [1] * (len(ctx.dims) + 1)
        shape[ctx.dims.index(name)] = self.dims[name].size
        key = (name, tuple(shape))
        if key not in self.positions:
            values = np.arange(1.0, self.dims[name].size + 1.0).reshape(shape)
            self.positions[key] = (f"P{len(self.positions)}", values)
        return self.positions[key][0]

    def extra_dims(self, n: E.Node, ctx: _Ctx, owner: Var, line: int) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for r in _value_refs(n):
            v = self.vars.get(r.name)
            if v is None or not v.dims:
                continue
            for kind, val in self.axes(r, v, ctx, owner, line):
                if kind == "free" and val[0] not in ctx.dims:
                    size = len(val[1])
                    known = dict(out)
                    if val[0] not in known:
                        out.append((val[0], size))
                    elif known[val[0]] != size:
                        raise self.err(
                            "one reduction uses two different ranges of dimension "
                            f"'{self.dims[val[0]].display}'",
                            owner,
                            line,
                            "subscript range",
                        )
        return out

    def gen_call(self, n: E.Call, ctx: _Ctx, owner: Var, line: int) -> str:
        f = n.func
        args = n.args
        if f in self.vars:
            tv = self.vars[f]
            return self.gen_lookup(tv, self.gen(args[0], ctx, owner, line), None)
        if f == "lookup":
            first = args[0]
            assert isinstance(first, E.Ref)
            return self.gen_lookup(self.vars[first.name], self.gen(args[1], ctx, owner, line), None)

        def g(k: int) -> str:
            return self.gen(args[k], ctx, owner, line)

        if f in MATH1:
            return f"{MATH1[f]}({g(0)})"
        if (f in ("min", "max") and len(args) == 1) or (f in REDUCERS and len(args) == 1):
            return self.gen_reduce(f, args[0], ctx, owner, line)
        if f in ("min", "max"):
            fn = "np.minimum" if f == "min" else "np.maximum"
            code = g(0)
            for k in range(1, len(args)):
                code = f"{fn}({code}, {g(k)})"
            return code
        if f == "mean":
            return "((" + " + ".join(g(k) for k in range(len(args))) + f") / {len(args)}.0)"
        if f == "pi":
            return "np.pi"
        if f == "inf":
            return "np.inf"
        if f == "time":
            return "t"
        if f == "dt":
            return "dt"
        if f == "starttime":
            return "t0"
        if f == "stoptime":
            return "t1"
        if f == "safediv":
            return f"rt.safediv({', '.join(g(k) for k in range(len(args)))})"
        if f == "mod":
            return f"np.mod({g(0)}, {g(1)})"
        if f == "rank":
            return self.gen_rank(n, ctx, owner, line)
        if f == "if_then_else":
            return f"np.where({self.gen_bool(args[0], ctx, owner, line)}, {g(1)}, {g(2)})"
        if f == "pulse":
            rest = ", ".join(g(k) for k in range(len(args)))
            if len(args) == 1:
                rest += ", t0"
            return f"rt.pulse(t, dt, {rest})"
        if f == "step":
            return f"rt.step(t, {g(0)}, {g(1)})"
        if f == "ramp":
            return f"rt.ramp(t, {', '.join(g(k) for k in range(len(args)))})"
        if f in RANDOM:
            site_node = args[-1]
            assert isinstance(site_node, E.Num)
            site = int(site_node.value)
            user = args[:-1]
            nparams = {
                "random": 2,
                "normal": 2,
                "lognormal": 2,
                "exprnd": 1,
                "poisson": 1,
                "triangular": 3,
            }[f]
            params = ", ".join(self.gen(a, ctx, owner, line) for a in user[:nparams])
            seed = self.gen(user[nparams], ctx, owner, line) if len(user) > nparams else "None"
            shape = self.shape(ctx.dims)
            return f"rt.draw(RS, {f!r}, {site}, i, {shape}, ({params},), {seed})"
        raise self.err(f"unknown function {n.raw}", owner, line, n.raw)

    def gen_rank(self, n: E.Call, ctx: _Ctx, owner: Var, line: int) -> str:
        """XMILE RANK(array, rank [, tie-breaker array]): the 1-based position of the
        element with that rank (1 = the smallest) in a one-dimensional array, per run."""
        arrays: list[str] = []
        dims: tuple[str, ...] | None = None
        for k in [0] + ([2] if len(n.args) > 2 else []):
            arg = n.args[k]
            v = self.vars.get(arg.name) if isinstance(arg, E.Ref) else None
            if v is None or not v.dims:
                raise self.err(
                    f"{n.raw}: argument {k + 1} must be an array variable", owner, line, n.raw
                )
            assert isinstance(arg, E.Ref)
            free = tuple(
                val[0]
                for kind, val in self.axes(arg, v, _Ctx((), {}), owner, line)
                if kind == "free"
            )
            if len(free) != 1:
                raise self.err(
                    f"{n.raw} ranks a one-dimensional array (or a one-dimensional slice such "
                    "as x[*, 1]); the order of elements of a multi-dimensional array is not "
                    "defined for it",
                    owner,
                    line,
                    n.raw,
                )
            if dims is not None and free != dims:
                raise self.err(
                    f"{n.raw}: the tie-breaker must vary over the same dimension",
                    owner,
                    line,
                    n.raw,
                )
            dims = free
            # the whole array, whatever element the equation is computing
            arrays.append(self.gen(arg, _Ctx(free, {}, free), owner, line))
        which = self.gen(n.args[1], ctx, owner, line)
        tie = f", {arrays[1]}" if len(arrays) > 1 else ""
        return f"rt.rank({arrays[0]}, {which}{tie})"

    def gen_reduce(self, f: str, arg: E.Node, ctx: _Ctx, owner: Var, line: int) -> str:
        extra = self.extra_dims(arg, ctx, owner, line)
        if not extra:
            if f == "size":
                return self.const(1.0)
            if f == "stddev":
                return f"(0.0 * {self.gen(arg, ctx, owner, line)})"
            return self.gen(arg, ctx, owner, line)
        inner = _Ctx(ctx.dims + tuple(d for d, _ in extra), ctx.bind, tuple(d for d, _ in extra))
        code = self.gen(arg, inner, owner, line)
        if f == "size":
            return self.const(float(np.prod([s for _, s in extra])))
        full = [str(s) for s in self.shape(ctx.dims)] + [str(s) for _, s in extra] + ["N"]
        axes = tuple(range(len(ctx.dims), len(ctx.dims) + len(extra)))
        fn = {
            "sum": "np.sum",
            "mean": "np.mean",
            "prod": "np.prod",
            "stddev": "np.std",
            "min": "np.min",
            "max": "np.max",
        }[f]
        return f"{fn}(np.broadcast_to({code}, ({', '.join(full)},)), axis={axes})"

    def gen_lookup(self, tv: Var, x: str, elem: tuple[int, ...] | None) -> str:
        key = self.ident[tv.name] if elem is None else f"{self.ident[tv.name]}@{elem}"
        if elem is None and tv.table is None:
            raise self.err(f"'{tv.display}' has no graphical function", tv, construct="lookup")
        table = tv.table if elem is None else tv.element_tables[elem]
        assert table is not None
        return f"rt.lookup({x}, C['xs:{key}'], C['ys:{key}'], {table.kind!r})"

    # -- variables ------------------------------------------------------------------------
    def var_value(self, v: Var, out: list[str], indent: str, phase: str) -> None:
        """Emit the statements that compute ``v`` (not a stock) into local ``ident[v]``."""
        ident = self.ident[v.name]
        if self.is_input(v):
            out.append(f"{indent}{ident} = C[{v.name!r}]")
            return
        if v.name in self.policies:
            out.append(f"{indent}{ident} = C['policy:' + {v.name!r}](t)")
            return
        if v.placeholder:
            raise self.err(
                "needs a value: its equation in the file is a placeholder, so "
                "give it in the run's parameters",
                v,
                construct="placeholder equation",
            )
        if v.kind == "memory":
            if phase == "init":
                eq = v.eqns[0]
                code = self.gen(eq.ast, _Ctx(v.dims, v.bind), v, eq.line)
                out.append(f"{indent}{ident} = {self.full(code, v.dims)}")
                out.append(f"{indent}M[{v.name!r}] = {ident}")
            else:
                out.append(f"{indent}{ident} = M[{v.name!r}]")
            return
        if v.kind == "delay":
            if phase == "init":
                eq = v.eqns[0]
                code = self.gen(eq.ast, _Ctx(v.dims, v.bind), v, eq.line)
                out.append(f"{indent}{ident} = {self.full(code, v.dims)}")
                out.append(f"{indent}M[{v.name + ':init'!r}] = {ident}")
                out.append(
                    f"{indent}M[{v.name + ':buf'!r}] = np.empty((NSTEPS + 1,) + np.shape({ident}))"
                )
                # XMILE's DELAY has a fixed lag: the delay duration at the start
                # (decision 0102; docs/simulation.md, differences from PySD)
                assert v.delay_time is not None
                dtime = self.gen(v.delay_time, _Ctx(v.dims, v.bind), v, v.line)
                out.append(f"{indent}M[{v.name + ':time'!r}] = np.array({dtime})")
            else:
                out.append(
                    f"{indent}{ident} = rt.delay_read(M[{v.name + ':buf'!r}], "
                    f"M[{v.name + ':init'!r}], i, t, t0, dt, M[{v.name + ':time'!r}])"
                )
            return
        ctx_dims = v.dims
        if len(v.eqns) == 1 and v.eqns[0].elem is None:
            eq = v.eqns[0]
            code = self.gen(eq.ast, _Ctx(ctx_dims, dict(v.bind)), v, eq.line)
            if v.table is not None:
                code = self.gen_lookup(v, code, None)
            code = self.post(v, code)
            out.append(f"{indent}{ident} = {self.full(code, v.dims) if v.dims else code}")
        else:
            shape = self.shape(v.dims)
            out.append(f"{indent}{ident} = np.empty({shape} + (N,))")
            for eq in v.eqns:
                assert eq.elem is not None
                bind = dict(zip(v.dims, eq.elem, strict=True))
                code = self.gen(eq.ast, _Ctx((), bind), v, eq.line)
                if eq.elem in v.element_tables:
                    code = self.gen_lookup(v, code, eq.elem)
                elif v.table is not None:
                    code = self.gen_lookup(v, code, None)
                code = self.post(v, code)
                out.append(f"{indent}{ident}[{', '.join(map(str, eq.elem))}] = {code}")
        if v.name in self.elem_inputs and v.dims:
            # the rest of the array as the model computes it, these elements as given
            dims = ", ".join(str(x) for x in self.shape(v.dims))
            out.append(f"{indent}{ident} = np.array(np.broadcast_to({ident}, ({dims}, N)))")
            for idx, key in self.elem_inputs[v.name]:
                out.append(f"{indent}{ident}[{', '.join(map(str, idx))}] = C[{key!r}]")
        if v.kind == "flow":
            self.limit_outflow(v, out, indent)

    def post(self, v: Var, code: str) -> str:
        if v.kind == "flow" and v.non_negative:
            return f"np.maximum({code}, 0.0)"
        return code

    def full(self, code: str, dims: tuple[str, ...]) -> str:
        if not dims:
            return code
        shape = ", ".join(str(s) for s in self.shape(dims))
        return f"np.broadcast_to({code}, ({shape}, N))"

    def stock_of_outflow(self, v: Var) -> Var | None:
        for s in self.vars.values():
            if s.kind == "stock" and s.non_negative and v.name in s.outflows:
                return s
        return None

    def limit_outflow(self, v: Var, out: list[str], indent: str) -> None:
        """Non-negative stocks: an outflow takes no more than the stock holds this DT.

        Outflows are served in the order the stock lists them (XMILE's priority rule).
        """
        s = self.stock_of_outflow(v)
        if s is None:
            return
        ctx = _Ctx(s.dims, {})
        parts = [f"{self.gen_ref(E.Ref(s.name), ctx, s, s.line)} / dt"]
        for f in self.limit_sources.get(v.name, []):
            sign = "" if f in s.inflows else "-"
            parts.append(f"{sign}{self.gen_ref(E.Ref(f), ctx, s, s.line)}")
        ident = self.ident[v.name]
        avail = " + ".join(parts)
        out.append(f"{indent}{ident} = np.minimum({ident}, np.maximum({avail}, 0.0))")

    def plan_limits(self) -> None:
        """Which flows each outflow of a non-negative stock is weighed against.

        The stock's content is always available; its inflows and the outflows listed
        before this one count too, unless they depend on this outflow (car sales that
        replace scrapped cars, say): counting those would make a cycle, so they are left
        out and the outflow is limited by the content alone.
        """
        self.limit_sources: dict[str, list[str]] = {}
        memo: dict[str, set[str]] = {}

        def ancestors(name: str) -> set[str]:
            if name in memo:
                return memo[name]
            memo[name] = set()
            out: set[str] = set()
            for d in self.value_deps(self.vars[name]):
                if self.vars[d].kind == "stock":
                    continue
                out.add(d)
                out |= ancestors(d)
            memo[name] = out
            return out

        for st in self.vars.values():
            if st.kind != "stock" or not st.non_negative:
                continue
            for k, o in enumerate(st.outflows):
                cands = [*st.inflows, *st.outflows[:k]]
                self.limit_sources[o] = [c for c in cands if o not in ancestors(c) and c != o]

    def stock_deriv(self, s: Var) -> E.Node:
        if s.deriv is not None:
            return s.deriv
        node: E.Node | None = None
        for f in s.inflows:
            node = E.Ref(f) if node is None else E.Bin("+", node, E.Ref(f))
        for f in s.outflows:
            node = E.Un("-", E.Ref(f)) if node is None else E.Bin("-", node, E.Ref(f))
        return E.Num(0.0) if node is None else node

    # -- program --------------------------------------------------------------------------
    def program(self) -> Program:
        self.classify()
        vars_ = self.vars
        stocks = [n for n, v in vars_.items() if v.kind == "stock"]
        offset = 0
        for n in stocks:
            size = int(np.prod(self.shape(vars_[n].dims))) if vars_[n].dims else 1
            self.layout[n] = (offset, size)
            offset += size
        n_state = offset

        self.plan_limits()
        # Step-phase dependencies: dynamic, non-stock values.
        dyn = [
            n for n, v in vars_.items() if n not in self.static and v.kind not in ("stock", "gf")
        ]

        def step_deps(name: str) -> set[str]:
            v = vars_[name]
            if v.kind == "memory":
                return set()
            if v.kind == "delay":
                return set()  # its delay time is fixed at the start
            deps = self.value_deps(v) | set(self.limit_sources.get(name, []))
            return {d for d in deps if d in vars_ and vars_[d].kind != "stock"}

        step_order = self.order(dyn, step_deps, "auxiliaries and flows")

        def init_deps(name: str) -> set[str]:
            v = vars_[name]
            if v.kind == "gf":
                return set()
            deps = set(self.value_deps(v)) | set(self.limit_sources.get(name, []))
            if v.kind == "delay" and v.delay_time is not None:
                deps |= {d for d in _value_ref_names(v.delay_time) if d in vars_}
            return deps

        init_names = [n for n, v in vars_.items() if v.kind != "gf"]
        init_order = self.order(init_names, init_deps, "initial values")

        # outputs
        columns: list[Column] = []
        for name in self.outputs:
            v = vars_[name]
            if not v.dims:
                columns.append(Column(name, v.display, None))
            else:
                dims = [self.dims[d] for d in v.dims]
                for elem in np.ndindex(*self.shape(v.dims)):
                    label = ",".join(dims[k].labels[i] for k, i in enumerate(elem))
                    columns.append(Column(name, f"{v.display}[{label}]", tuple(elem)))

        L: list[str] = []
        L.append("def bind(S, C, M, R, N, t0, dt, t1, NSTEPS, RS):")
        L.append("    t = t0")
        L.append("    i = 0")
        for name in init_order:
            v = vars_[name]
            ident = self.ident[name]
            if v.kind == "stock":
                off, size = self.layout[name]
                if self.is_input(v):
                    code = f"C[{name!r}]"
                    L.append(f"    {ident} = {self.full(code, v.dims) if v.dims else code}")
                else:
                    tmp: list[str] = []
                    self.var_value(_as_aux(v), tmp, "    ", "init")
                    L.extend(tmp)
                # The local keeps the computed value, not a view of S: S changes in place
                # during the run and a constant derived from an initial value must not.
                if v.dims:
                    shape = ", ".join(str(x) for x in self.shape(v.dims))
                    L.append(
                        f"    S[{off}:{off + size}] = np.broadcast_to({ident}, "
                        f"({shape}, N)).reshape({size}, N)"
                    )
                else:
                    L.append(f"    S[{off}] = {ident}")
            else:
                self.var_value(v, L, "    ", "init")
        # static values that are per-run arrays must be stored as such for saving
        L.append("")
        L.append("    def step(t, i, S, DS, row, stage0):")
        body: list[str] = []
        for name in stocks:
            v = vars_[name]
            off, size = self.layout[name]
            ident = self.ident[name]
            if v.dims:
                body.append(
                    f"        {ident} = S[{off}:{off + size}].reshape({self.shape(v.dims)} + (N,))"
                )
            else:
                body.append(f"        {ident} = S[{off}]")
        # Only what the stocks' rates, the kept outputs and the recorders need is
        # computed each step (the rest of the model is not looked at during the run).
        roots: set[str] = set(self.outputs)
        for name in stocks:
            roots |= _value_ref_names(self.stock_deriv(vars_[name]))
        for v in vars_.values():
            if v.kind in ("memory", "delay") and v.record is not None:
                roots |= _value_ref_names(v.record) | {v.name}
        needed: set[str] = set()
        todo = [r for r in roots if r in vars_]
        while todo:
            name = todo.pop()
            if name in needed:
                continue
            needed.add(name)
            if vars_[name].kind != "stock":
                todo.extend(d for d in step_deps(name) if d not in needed)
        for name in step_order:
            if name in needed:
                self.var_value(vars_[name], body, "        ", "step")
        for name in stocks:
            v = vars_[name]
            off, size = self.layout[name]
            code = self.gen(self.stock_deriv(v), _Ctx(v.dims, dict(v.bind)), v, v.line)
            if v.dims:
                body.append(
                    f"        DS[{off}:{off + size}].reshape({self.shape(v.dims)} + "
                    f"(N,))[...] = {code}"
                )
            else:
                body.append(f"        DS[{off}] = {code}")
        body.append("        if row >= 0:")
        col = 0
        saves = 0
        for name in self.outputs:
            v = vars_[name]
            ident = self.ident[name]
            if not v.dims:
                body.append(f"            R[row, {col}] = {ident}")
                col += 1
            else:
                size = int(np.prod(self.shape(v.dims)))
                shape = ", ".join(str(s) for s in self.shape(v.dims))
                body.append(
                    f"            R[row, {col}:{col + size}] = np.broadcast_to("
                    f"{ident}, ({shape}, N)).reshape({size}, N)"
                )
                col += size
            saves += 1
        if not saves:
            body.append("            pass")
        records = [v for v in vars_.values() if v.kind in ("memory", "delay")]
        if records:
            body.append("        if stage0:")
            for v in records:
                assert v.record is not None
                code = self.gen(v.record, _Ctx(v.dims, v.bind), v, v.line)
                code = self.full(code, v.dims) if v.dims else code
                if v.kind == "memory":
                    body.append(f"            M[{v.name!r}] = np.array({code})")
                else:
                    body.append(f"            M[{v.name + ':buf'!r}][i] = {code}")
        L.extend(body)
        L.append("")
        L.append("    return step")
        source = "\n".join(L) + "\n"
        glb: dict[str, Any] = {
            "np": np,
            "rt": runtime,
            **{f"K{i}": np.float64(v) for i, v in enumerate(self.consts.values())},
            **dict(self.positions.values()),
            "__name__": "u4ssc_generated_model",
        }
        try:
            exec(compile(source, f"<xmile {self.flat.name}>", "exec"), glb)
        except SyntaxError as exc:  # pragma: no cover - a bug in this generator
            raise ModelError(f"internal error generating code: {exc}", path=self.flat.path) from exc
        return Program(
            source=source,
            bind=glb["bind"],
            n_state=n_state,
            outputs=self.outputs,
            columns=columns,
            static=self.static,
            layout=self.layout,
        )


def _as_aux(v: Var) -> Var:
    """A stock's initial-value equation evaluated like an auxiliary."""
    return Var(
        name=v.name,
        display=v.display,
        kind="aux",
        dims=v.dims,
        eqns=v.eqns,
        line=v.line,
        bind=v.bind,
    )


def _value_refs(node: E.Node) -> list[E.Ref]:
    from u4ssc.core.simulation.build import _value_refs as vr

    return vr(node)


def _value_ref_names(node: E.Node) -> set[str]:
    out = {r.name for r in _value_refs(node)}
    return out


def element_key(name: str, idx: tuple[int, ...]) -> str:
    """The input key of one element of an arrayed variable: ``"pop[2]"`` (positions)."""
    return f"{name}[{','.join(str(i) for i in idx)}]"


def generate(flat: Flat, overridden: set[str], policies: set[str], outputs: list[str]) -> Program:
    """Generate (and compile) the program for ``flat`` with these inputs and outputs."""
    return _Gen(flat, overridden, policies, outputs).program()


__all__ = ["SPECIAL_NAMES", "Column", "Program", "element_key", "generate"]
