"""Publishing a pack: the names it gives the files of this machine, its place in ``--out``, and the one-step move
of a finished build folder into that place.

A pack is built in a folder beside its place and moved in only when it is whole, so a failed run
never leaves a partial pack or touches an earlier one; nothing planted in ``--out`` (a link, a
file) is followed or written through.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
from pathlib import Path

from . import workspace
from .errors import InputError, Problem, os_problem, path_problems
from .inputs import Inputs, published_path
from .params import SAMPLE, DatedFile, PeriodParams


def pack_folder(params: PeriodParams) -> str:
    """The pack's folder name under ``--out``: ``<la_code>-<period>``, e.g. ``855-2025-26-autumn``."""
    return f"{params.la_code}-{params.period}"


def published_names(inputs: Inputs) -> dict[str, str]:
    """Each input file's path on this machine -> the name the pack gives it (``inputs.published_path``).

    Every file the params name, whether the chosen sections read it or not, and whether it is
    dated after ``as_at`` or not: the notebooks are handed the whole ``data`` block, so an executed
    notebook holds each of those paths; and each file the pack uses (the sample's too).
    """
    named = [item.path if isinstance(item, DatedFile) else item
             for _, value in inputs.params.data if value is not None and value != SAMPLE
             for item in (value if isinstance(value, list) else [value])]
    used = [f.path for spec in inputs.needed() for f in inputs.files(spec.key)]
    return {str(path): published_path(path, inputs) for path in [*named, *used]}


def without_paths(text: str, published: dict[str, str]) -> str:
    """``text`` with each path of this machine in ``published`` replaced by its published name (longest first)."""
    for path in sorted(published, key=len, reverse=True):  # a folder after the files inside it
        text = text.replace(path, published[path])
    return text


def scrub(notebook: Path, published: dict[str, str]) -> None:
    """Replace each path of the analyst's machine in an executed notebook with its published name.

    Kernels are handed absolute paths (they run in the build folder); what the
    pack keeps names each input as the index does, and the notebook by its
    place in the project.
    """
    escaped = {json.dumps(path)[1:-1]: json.dumps(name)[1:-1] for path, name in published.items()}  # as JSON spells them
    notebook.write_text(without_paths(notebook.read_text(encoding="utf-8"), escaped), encoding="utf-8")


def check_place(final: Path) -> None:
    """A pack's place in ``--out`` must hold a folder or nothing: a link (or a file) there is refused, never followed.

    Raises
    ------
    InputError
        Naming the place: a run replaces a pack's folder, never what a link points to.
    """
    with contextlib.suppress(FileNotFoundError):
        mode = final.lstat().st_mode
        if not stat.S_ISDIR(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else "a file"
            raise InputError(Problem(str(final), f"is {what}, not a pack's folder; a run replaces a pack folder, never "
                                     "what a link points to: remove it, or choose another --out", key="--out"))


def publish(build: Path, final: Path) -> None:
    """Move a finished pack into place, replacing an earlier one in one step.

    The earlier pack is moved aside under a name no one can guess, so nothing planted in ``--out``
    is in the way; a link at the pack's place is refused (``check_place``).
    """
    check_place(final)
    if os.path.lexists(final):
        old = final.with_name(f"{workspace.REPLACED}{final.name}-{os.getpid()}-{secrets.token_hex(4)}")
        final.rename(old)
        build.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        build.rename(final)


def out_path(out_dir: str | Path) -> Path:
    """``--out`` made absolute, or one line saying why it cannot be (a link loop)."""
    with path_problems("--out"):
        return Path(out_dir).resolve()


def output_folder(out_dir: str | Path) -> Path:
    """``--out`` made absolute (kernels run in the build folder) and created, or one line saying why not."""
    out = out_path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(Problem(str(out_dir), "--out is a file, not a folder"))
    if any(parent.exists() and not parent.is_dir() for parent in out.parents):
        raise InputError(Problem(str(out_dir), "--out cannot be used as the output folder (a part of the path is a file)"))
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise InputError(Problem(str(out_dir), f"--out cannot be used as the output folder ({reason})")) from None
    return out


def output_problem(exc: OSError, out_dir: Path) -> Problem:
    """A file-system error while a pack was written, naming ``--out`` (the build folder in it is removed)."""
    advice = "free some space there, or choose another --out" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
    return os_problem(exc, out_dir, doing="while the pack was written", advice=advice)
