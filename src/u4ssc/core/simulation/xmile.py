"""Reading XMILE files into plain records (no evaluation, no name resolution yet).

The reader keeps every line number (``lxml`` gives each element its ``sourceline``) so the
compiler can name the line of any construct it refuses. What the reader itself refuses:
a file that is not well-formed XML, a root that is not ``<xmile>``, and XMILE constructs
with no equivalent here (conveyors, queues, ovens, arrayed graphical functions per element
...), each with the tag, the variable and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from u4ssc.core.simulation.errors import ModelError


@dataclass
class RawGF:
    """A graphical function (lookup table) as written: ``<gf>`` with points or scales."""

    xpts: list[float] | None
    ypts: list[float]
    xscale: tuple[float, float] | None
    kind: str  # continuous | extrapolate | discrete
    line: int


@dataclass
class RawElement:
    subscript: str
    eqn: str | None
    line: int
    gf: RawGF | None = None


@dataclass
class RawVar:
    """One ``<stock>``, ``<flow>``, ``<aux>``, ``<gf>`` or ``<module>`` element."""

    kind: str
    name: str
    line: int
    eqn: str | None = None
    eqn_line: int = 0
    extra_eqns: list[tuple[str, int]] = field(default_factory=list)
    elements: list[RawElement] = field(default_factory=list)
    dims: list[str] = field(default_factory=list)
    inflows: list[str] = field(default_factory=list)
    outflows: list[str] = field(default_factory=list)
    non_negative: bool | None = None
    gf: RawGF | None = None
    units: str | None = None
    doc: str = ""
    connects: list[tuple[str, str, int]] = field(default_factory=list)
    model_ref: str | None = None
    range: tuple[float, float] | None = None


@dataclass
class RawModel:
    name: str | None
    line: int
    variables: list[RawVar]


@dataclass
class RawMacro:
    name: str
    params: list[str]
    eqn: str | None
    line: int
    has_variables: bool
    variables: list[RawVar] = field(default_factory=list)


@dataclass
class RawSpecs:
    start: float = 0.0
    stop: float = 10.0
    dt: float = 1.0
    save_step: float | None = None
    method: str = "euler"
    time_units: str = ""
    line: int = 0


@dataclass
class RawFile:
    """Everything read from one XMILE file."""

    path: str
    text: bytes
    name: str
    specs: RawSpecs
    dims: dict[str, tuple[list[str], int]]  # raw dim name -> (element names, line)
    models: list[RawModel]
    macros: list[RawMacro]
    default_nonneg_stock: bool
    default_nonneg_flow: bool
    model_units: dict[str, list[str]]  # unit name -> aliases


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _float(text: str | None, what: str, line: int, path: str) -> float:
    try:
        return float((text or "").strip())
    except ValueError:
        raise ModelError(
            f"{what} must be a number, found {text!r}", line=line, construct=what, path=path
        ) from None


def _flag(el: etree._Element | None) -> bool | None:
    """``<non_negative/>`` is true; ``<non_negative>false</non_negative>`` is false."""
    if el is None:
        return None
    text = (el.text or "").strip().lower()
    return text not in ("false", "0", "no")


_UNSUPPORTED_VAR_TAGS = {
    "conveyor": "conveyor stocks",
    "queue": "queue stocks",
    "oven": "oven stocks",
    "leak": "conveyor leakage flows",
    "leak_integers": "conveyor leakage flows",
    "overflow": "queue overflow",
}
_SKIP_TAGS = {
    "views",
    "view",
    "display",
    "group",
    "connector",
    "alias",
    "button",
    "graph",
    "table",
    "text_box",
    "graphics_frame",
    "stacked_container",
    "isee:prefs",
}


def _points(el: etree._Element) -> list[float]:
    sep = el.get("sep") or ","
    text = (el.text or "").strip()
    if not text:
        return []
    return [float(x) for x in text.replace("\n", "").split(sep) if x.strip()]


def _read_gf(el: etree._Element, path: str, owner: str) -> RawGF:
    line = el.sourceline or 0
    kind = (el.get("type") or "continuous").strip().lower()
    if el.get("discrete", "").strip().lower() == "true":
        kind = "discrete"
    if kind not in ("continuous", "extrapolate", "discrete"):
        raise ModelError(
            f"graphical function type '{kind}' is not one of continuous, extrapolate, discrete",
            variable=owner,
            line=line,
            construct="gf type",
            path=path,
        )
    try:
        xpts_el = _child(el, "xpts")
        ypts_el = _child(el, "ypts")
        xpts = _points(xpts_el) if xpts_el is not None else None
        ypts = _points(ypts_el) if ypts_el is not None else []
    except ValueError as exc:
        raise ModelError(
            f"graphical function points are not numbers ({exc})",
            variable=owner,
            line=line,
            construct="gf",
            path=path,
        ) from None
    xs_el = _child(el, "xscale")
    xscale = None
    if xs_el is not None:
        xscale = (
            _float(xs_el.get("min"), "xscale min", line, path),
            _float(xs_el.get("max"), "xscale max", line, path),
        )
    if not ypts:
        raise ModelError(
            "graphical function has no <ypts>", variable=owner, line=line, construct="gf", path=path
        )
    if xpts is not None and len(xpts) != len(ypts):
        raise ModelError(
            f"graphical function has {len(xpts)} x points but {len(ypts)} y points",
            variable=owner,
            line=line,
            construct="gf",
            path=path,
        )
    if xpts is None and xscale is None:
        raise ModelError(
            "graphical function has neither <xpts> nor <xscale>",
            variable=owner,
            line=line,
            construct="gf",
            path=path,
        )
    return RawGF(xpts=xpts, ypts=ypts, xscale=xscale, kind=kind, line=line)


def _read_var(el: etree._Element, kind: str, path: str) -> RawVar:
    name = el.get("name")
    line = el.sourceline or 0
    if not name:
        raise ModelError(f"<{kind}> without a name", line=line, construct=kind, path=path)
    var = RawVar(kind=kind, name=name, line=line)
    eqns = _children(el, "eqn")
    if eqns:
        var.eqn = eqns[0].text or ""
        var.eqn_line = eqns[0].sourceline or line
        var.extra_eqns = [(e.text or "", e.sourceline or line) for e in eqns[1:]]
    for c in el:
        tag = _local(c)
        if tag in _UNSUPPORTED_VAR_TAGS:
            raise ModelError(
                f"{_UNSUPPORTED_VAR_TAGS[tag]} (<{tag}>) are not supported",
                variable=name,
                line=c.sourceline,
                construct=f"<{tag}>",
                path=path,
            )
        if tag == "inflow":
            var.inflows.append((c.text or "").strip())
        elif tag == "outflow":
            var.outflows.append((c.text or "").strip())
        elif tag == "non_negative":
            var.non_negative = _flag(c)
        elif tag == "units":
            var.units = (c.text or "").strip() or None
        elif tag == "doc":
            var.doc = (c.text or "").strip()
        elif tag == "gf":
            var.gf = _read_gf(c, path, name)
        elif tag == "dimensions":
            var.dims = [d.get("name") or "" for d in _children(c, "dim")]
        elif tag == "element":
            gf_el = _child(c, "gf")
            eqn_el = _child(c, "eqn")
            var.elements.append(
                RawElement(
                    subscript=c.get("subscript") or "",
                    eqn=None if eqn_el is None else (eqn_el.text or ""),
                    line=(eqn_el.sourceline if eqn_el is not None else c.sourceline) or line,
                    gf=_read_gf(gf_el, path, name) if gf_el is not None else None,
                )
            )
        elif tag == "connect":
            var.connects.append((c.get("to") or "", c.get("from") or "", c.sourceline or line))
        elif tag == "range":
            try:
                var.range = (float(c.get("min", "nan")), float(c.get("max", "nan")))
            except ValueError:
                var.range = None
    if kind == "module":
        var.model_ref = el.get("model") or el.get("resource") or None
    if kind == "gf" and var.gf is None:
        # A standalone <gf name="..."> carries its points directly.
        var.gf = _read_gf(el, path, name)
    return var


_UNDECLARED = re.compile(r"Namespace prefix (\w+) (?:on|for) \S+ is not defined")


def _parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse strictly, except for one common vendor slip.

    Vensim/xmutil exports use the ``isee:`` prefix without declaring it. That is a
    namespace error, not broken structure, so the prefix is declared on the root and the
    file parsed again; anything else that is not well-formed is refused.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for _ in range(8):
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            msg = exc.msg if getattr(exc, "msg", None) else str(exc)
            m = _UNDECLARED.search(msg)
            start = data.find(b"<xmile")
            if m is None or start < 0:
                raise ModelError(
                    f"the file is not well-formed XML: {msg}",
                    line=exc.lineno or None,
                    construct="XML",
                    path=path,
                ) from None
            decl = f' xmlns:{m.group(1)}="urn:undeclared:{m.group(1)}"'.encode()
            cut = start + len(b"<xmile")
            data = data[:cut] + decl + data[cut:]
    raise ModelError("the file is not well-formed XML", construct="XML", path=path)


def read_xmile(path: str | Path) -> RawFile:
    """Read an XMILE file; raise :class:`ModelError` for anything not well-formed or foreign."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model file: {exc.strerror}", path=str(p)) from None
    return read_xmile_bytes(data, str(p))


def read_xmile_bytes(data: bytes, path: str = "<model>") -> RawFile:
    """Read XMILE from bytes (``path`` is only used in messages)."""
    root = _parse_xml(data, path)
    if _local(root) != "xmile":
        raise ModelError(
            f"the root element is <{_local(root)}>, not <xmile>",
            line=root.sourceline,
            construct=f"<{_local(root)}>",
            path=path,
        )
    header = _child(root, "header")
    name = ""
    if header is not None:
        n = _child(header, "name")
        name = (n.text or "").strip() if n is not None else ""
    specs = RawSpecs()
    sim = _child(root, "sim_specs")
    if sim is not None:
        specs.line = sim.sourceline or 0
        for tag in ("start", "stop"):
            el = _child(sim, tag)
            if el is not None:
                setattr(specs, tag, _float(el.text, tag, el.sourceline or 0, path))
        dt_el = _child(sim, "dt")
        if dt_el is not None:
            dt = _float(dt_el.text, "dt", dt_el.sourceline or 0, path)
            if (dt_el.get("reciprocal") or "").strip().lower() == "true":
                dt = 1.0 / dt
            specs.dt = dt
        for key in ("save_step", "savestep", "save_interval"):
            el = _child(sim, key)
            if el is not None:
                specs.save_step = _float(el.text, "save_step", el.sourceline or 0, path)
        for attr, value in sim.attrib.items():
            if etree.QName(attr).localname in ("save_interval", "save_step") and value:
                specs.save_step = _float(value, "save_interval", specs.line, path)
        specs.method = (sim.get("method") or "euler").strip().lower()
        specs.time_units = (sim.get("time_units") or "").strip()
    dims: dict[str, tuple[list[str], int]] = {}
    dims_el = _child(root, "dimensions")
    if dims_el is not None:
        for d in _children(dims_el, "dim"):
            dname = d.get("name") or ""
            elems = [e.get("name") or "" for e in _children(d, "elem")]
            if not elems and d.get("size"):
                elems = [str(i) for i in range(1, int(d.get("size") or "0") + 1)]
            dims[dname] = (elems, d.sourceline or 0)
    nonneg_stock = nonneg_flow = False
    behavior = _child(root, "behavior")
    if behavior is not None:
        if _flag(_child(behavior, "non_negative")):
            nonneg_stock = nonneg_flow = True
        for kind in ("stock", "flow"):
            k = _child(behavior, kind)
            if k is not None and _flag(_child(k, "non_negative")):
                if kind == "stock":
                    nonneg_stock = True
                else:
                    nonneg_flow = True
    units: dict[str, list[str]] = {}
    mu = _child(root, "model_units")
    if mu is not None:
        for u in _children(mu, "unit"):
            uname = u.get("name") or ""
            eqn = _child(u, "eqn")
            aliases = [(a.text or "").strip() for a in _children(u, "alias")]
            if eqn is not None and (eqn.text or "").strip():
                aliases.append((eqn.text or "").strip())
            units[uname] = aliases
    models: list[RawModel] = []
    for m in _children(root, "model"):
        variables: list[RawVar] = []
        vars_el = _child(m, "variables")
        if vars_el is not None:
            for c in vars_el:
                tag = _local(c)
                if tag in ("stock", "flow", "aux", "gf", "module"):
                    variables.append(_read_var(c, tag, path))
                elif tag in _UNSUPPORTED_VAR_TAGS:
                    raise ModelError(
                        f"{_UNSUPPORTED_VAR_TAGS[tag]} are not supported",
                        line=c.sourceline,
                        construct=f"<{tag}>",
                        path=path,
                    )
                elif tag and tag not in _SKIP_TAGS:
                    raise ModelError(
                        f"<{tag}> is not a variable type this engine supports",
                        variable=c.get("name"),
                        line=c.sourceline,
                        construct=f"<{tag}>",
                        path=path,
                    )
        models.append(RawModel(name=m.get("name"), line=m.sourceline or 0, variables=variables))
    if not models:
        raise ModelError("the file has no <model>", construct="<model>", path=path)
    macros: list[RawMacro] = []
    for mac in _children(root, "macro"):
        eqn = _child(mac, "eqn")
        mac_vars_el = _child(mac, "variables")
        mac_vars: list[RawVar] = []
        for c in mac_vars_el if mac_vars_el is not None else ():
            tag = _local(c)
            if tag in ("stock", "flow", "aux", "gf"):
                mac_vars.append(_read_var(c, tag, path))
            elif tag and tag not in _SKIP_TAGS:
                raise ModelError(
                    f"<{tag}> inside macro '{mac.get('name') or ''}' is not supported "
                    "(a macro's own variables are stocks, flows, auxiliaries and "
                    "graphical functions)",
                    variable=c.get("name"),
                    line=c.sourceline,
                    construct=f"<{tag}>",
                    path=path,
                )
        macros.append(
            RawMacro(
                name=mac.get("name") or "",
                params=[(p.text or "").strip() for p in _children(mac, "parm")],
                eqn=None if eqn is None else (eqn.text or ""),
                line=mac.sourceline or 0,
                has_variables=mac_vars_el is not None,
                variables=mac_vars,
            )
        )
    return RawFile(
        path=path,
        text=data,
        name=name,
        specs=specs,
        dims=dims,
        models=models,
        macros=macros,
        default_nonneg_stock=nonneg_stock,
        default_nonneg_flow=nonneg_flow,
        model_units=units,
    )
