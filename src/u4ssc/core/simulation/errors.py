"""The one error type of the simulation engine.

Every problem found while reading or checking a model (malformed XML, an unknown
function or variable, a cycle among auxiliaries, an unsupported construct, a unit clash)
is raised as :class:`ModelError`, so callers (the CLI, the web layer) catch one thing and
show one message that names the construct, the variable and the line.
"""

from __future__ import annotations


class ModelError(Exception):
    """A model that cannot be read, checked or run as written.

    Attributes:
        message: what is wrong, in words a modeller understands.
        variable: the model variable concerned (as written in the model), if any.
        line: 1-based line of the XMILE file where the construct sits, if known.
        construct: the offending construct (a function name, an XML tag, ``cycle`` ...).
        path: the file the model was read from, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        variable: str | None = None,
        line: int | None = None,
        construct: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.variable = variable
        self.line = line
        self.construct = construct
        self.path = path
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: ``file:line: variable 'x': message``."""
        where = ""
        if self.path:
            where = f"{self.path}:"
            if self.line:
                where += f"{self.line}:"
            where += " "
        elif self.line:
            where = f"line {self.line}: "
        who = f"variable '{self.variable}': " if self.variable else ""
        return f"{where}{who}{self.message}"

    def with_context(
        self, *, path: str | None = None, variable: str | None = None, line: int | None = None
    ) -> ModelError:
        """A copy that fills in context the raiser did not know (never overwrites)."""
        return ModelError(
            self.message,
            variable=self.variable or variable,
            line=self.line or line,
            construct=self.construct,
            path=self.path or path,
        )


class UnitWarning(UserWarning):
    """A unit clash found while the model was read in ``units="warn"`` mode."""


class NonFiniteWarning(UserWarning):
    """Outputs of a run became NaN or infinite (``1/0``, ``LN(-1)`` ...); the message names
    each column, the first time and how many runs. ``Model.run(nonfinite="strict")`` makes
    it a :class:`ModelError`."""


class ExecutorError(Exception):
    """The executor asked for cannot run the ensemble: a Dask scheduler that does not
    answer within the connection timeout, or an address that is not one. Nothing ran."""
