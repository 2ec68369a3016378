"""Errors a user can act on.

Every problem with an input is reported as one line naming the file and, where it
applies, the row, column or key. The command line prints these lines and exits
with status 2; it never shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterable, Iterator
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


#: what an operating-system error means, in words, and what to do about it
_OS_REASONS = {
    errno.ENOSPC: ("no space left on the disk", "free some space there, or choose a folder on another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space there, or choose a folder on another disk"),
    errno.EFBIG: ("a file is larger than this disk (or a limit on the process) allows",
                  "choose a folder on another disk"),
    errno.ELOOP: ("is a symbolic link that leads back to itself (a loop)", "correct or remove the link"),
    errno.EACCES: ("permission denied", "choose a folder you may write to, or ask for access"),
    errno.EPERM: ("not permitted", "choose a folder you may write to, or ask for access"),
    errno.EROFS: ("is on a read-only disk", "choose a folder you may write to"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "correct the path"),
    errno.EISDIR: ("is a folder, not a file", "correct the path"),
    errno.EEXIST: ("already exists", "remove it, or choose another name"),
    errno.ENOENT: ("not found", "correct the path"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter path"),
    errno.EIO: ("the disk could not be read or written (an input/output error)", "check the disk, or use another"),
}
_LOOP = re.compile(r"^Symlink loop from '(.*)'$")


def path_error(exc: BaseException) -> OSError | None:
    """``exc`` as the ``OSError`` it is, where it is a file-system error; else None.

    Python before 3.13 reports a symbolic-link loop met by ``Path.resolve`` as a ``RuntimeError``
    ("Symlink loop from '...'"): that is given as the ``ELOOP`` it is.
    """
    if isinstance(exc, OSError):
        return exc
    found = _LOOP.match(str(exc)) if isinstance(exc, RuntimeError) else None
    return OSError(errno.ELOOP, "Too many levels of symbolic links", found.group(1)) if found else None


def os_cause(exc: BaseException) -> OSError | None:
    """The file-system error behind ``exc``: itself, or what it was raised from or while handling
    (xlsxwriter, for one, raises its own error for a full disk); None where there is none."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if (error := path_error(current)) is not None:
            return error
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def os_problem(exc: OSError, path: str | Path | None = None, *, key: str | None = None,
               doing: str = "", advice: str | None = None) -> Problem:
    """One line for a file-system error: the path, what went wrong in words, and what to do.

    ``path`` names the place where the error itself names none (a write that found the disk
    full), or where the error is about the disk rather than one file; ``doing`` says what the run was doing ("while the pack was written"); ``advice``
    replaces the usual advice for that error.
    """
    about_disk = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO)
    where = path if path is not None and (about_disk or exc.filename is None) else exc.filename
    reason, usual = _OS_REASONS.get(exc.errno or 0, ((exc.strerror or type(exc).__name__).lower(), "correct the path"))
    if exc.errno == errno.ENOENT and where is None:
        reason = "a file or folder was not found"
    during = f" {doing}" if doing else ""
    return Problem(str(where) if where is not None else "a file", f"{reason}{during}; {advice or usual}", key=key)


@contextlib.contextmanager
def path_problems(key: str) -> Iterator[None]:
    """A path that cannot be followed in the block (a link loop, no permission) as one problem under ``key``."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        error = path_error(exc)
        if error is None:
            raise
        raise InputError(os_problem(error, key=key)) from None
