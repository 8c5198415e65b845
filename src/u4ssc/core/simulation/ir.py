"""The engine's intermediate form: one flat namespace of variables, modules already inlined.

Each :class:`Var` holds its equations as syntax trees whose references are already
resolved to full canonical names (``hares.births``); arrays carry their dimension names
and element-by-element definitions carry their element positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from u4ssc.core.simulation.expr import Node


@dataclass
class Dim:
    """An XMILE dimension: a name and its ordered elements (canonical and as written)."""

    name: str
    display: str
    elements: list[str]  # canonical
    labels: list[str]  # as written, for output columns

    @property
    def size(self) -> int:
        return len(self.elements)

    def index(self, element: str) -> int | None:
        try:
            return self.elements.index(element)
        except ValueError:
            return None


@dataclass
class Table:
    """A graphical function: x points, y points (per run allowed) and its mode."""

    xs: np.ndarray  # shape (k,), increasing
    ys: np.ndarray  # shape (k,)
    kind: str  # continuous | extrapolate | discrete


@dataclass
class Eqn:
    """One equation: for the whole variable (``elem is None``) or for one element."""

    ast: Node
    text: str
    line: int
    elem: tuple[int, ...] | None = None


@dataclass
class Var:
    """A model variable after flattening.

    ``kind`` is ``stock``, ``flow``, ``aux``, ``gf`` (a standalone lookup table), or, for
    variables the compiler adds for stateful builtins, ``memory`` (PREVIOUS) and ``delay``
    (DELAY pipelines). ``deriv`` is set for the hidden stocks of SMTH/DELAYn/TREND.
    """

    name: str
    display: str
    kind: str
    dims: tuple[str, ...] = ()
    eqns: list[Eqn] = field(default_factory=list)
    inflows: list[str] = field(default_factory=list)
    outflows: list[str] = field(default_factory=list)
    non_negative: bool = False
    table: Table | None = None
    element_tables: dict[tuple[int, ...], Table] = field(default_factory=dict)
    units: str | None = None
    doc: str = ""
    line: int = 0
    hidden: bool = False
    deriv: Node | None = None
    init_only: bool = False
    bind: dict[str, int] = field(default_factory=dict)
    # memory/delay: the expression recorded each step and extra arguments
    record: Node | None = None
    delay_time: Node | None = None
    range: tuple[float, float] | None = None
    placeholder: bool = False  # equation is '???' etc.; a value must be given at run time
