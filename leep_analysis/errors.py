"""Errors a user can act on.

Every problem with an input is reported as one line naming the file and, where it
applies, the row, column or key. The command line prints these lines and exits
with status 2; it never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input.

    ``row`` is the 1-based line or worksheet row as the analyst sees it in the
    file (header = row 1), so they can go straight to it.
    """

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    key: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = [self.source]
        if self.key is not None:
            where.append(f"key '{self.key}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        kind = "warning: " if self.warning else ""
        return f"{', '.join(where)}: {kind}{self.message}"


class LeepError(Exception):
    """Base class of the errors the package reports without a traceback."""


class InputError(LeepError):
    """One or more problems with an input file or the params file."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        first = str(self.problems[0]) if self.problems else "invalid input"
        more = len(self.problems) - 1
        return first if more <= 0 else f"{first} (and {more} more problem{'s' * (more > 1)})"


class NotebookError(LeepError):
    """A notebook cell failed while the pack was built."""


def problem(
    source: str | Path,
    message: str,
    *,
    row: int | None = None,
    column: str | None = None,
    key: str | None = None,
) -> InputError:
    """Shorthand for an InputError holding one problem."""
    return InputError(Problem(str(source), message, row=row, column=column, key=key))
