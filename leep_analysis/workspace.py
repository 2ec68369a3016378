"""Where a run writes while it builds, and how a killed run's leftovers are cleared.

A run holds a lock per output folder and pack (``<out>/.<la_code>-<period>.lock``, holding its
pid) from before it makes its build folder until the pack is published, so two runs of one
pack never interleave: the second stops with one line. Because only the lock's holder builds
that pack, any build folder of the pack found while holding it was left by a run that died
(``kill -9``, a power cut), and is removed. Loaded inputs are cached outside the output folder,
in a private temporary folder (mode 0700) removed when the run ends, also on SIGTERM and SIGINT;
a cache left by a killed run is removed by the next run. Locks are ``fcntl`` locks, released by
the kernel when their process dies however it dies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from .errors import LeepError

#: prefixes of what a run makes: the build folder in ``--out``, the cache in the system's temp folder
BUILDING, REPLACED, CACHE = ".building-", ".replaced-", "leep-cache-"
#: a folder holds this lock file while its run is alive
OWNER = ".owner"
#: a cache folder younger than this with no owner yet may be a run's that is just starting
_STARTING = 60.0


class PackLocked(LeepError):
    """Another live run is building the same pack in the same output folder."""


def _try_lock(handle: IO[str]) -> bool:
    """Take the file's exclusive lock without waiting; False if a live process holds it."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def pack_lock(out_dir: Path, folder: str) -> Iterator[None]:
    """Hold ``<out>/.<folder>.lock`` (the owner's pid inside) for the block, or fail in one line.

    Where the platform has no ``fcntl`` (Windows) nothing is locked.
    """
    if fcntl is None:
        yield
        return
    path = out_dir / f".{folder}.lock"
    while True:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the block
        if not _try_lock(handle):
            handle.seek(0)
            pid = handle.read().strip() or "unknown"
            handle.close()
            raise PackLocked(f"{out_dir / folder}: another run (pid {pid}) is building this pack; "
                             "wait for it to finish, or choose another --out")
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                break
        handle.close()  # the holder removed the file as we opened it: lock the new one
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked, so no run locks a file that is no longer there
        handle.close()


@contextlib.contextmanager
def claimed(folder: Path) -> Iterator[Path]:
    """Mark a folder as this live run's (a locked ``.owner`` file) for the block; remove it after."""
    try:
        with open(folder / OWNER, "w", encoding="utf-8") as handle:
            if fcntl is not None:
                _try_lock(handle)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unowned(folder: Path) -> bool:
    """True when no live process holds the folder's ``.owner`` lock."""
    if fcntl is None:
        return False  # nothing can tell a live run's folder from a dead one's: leave it
    owner = folder / OWNER
    if not owner.exists():
        return time.time() - folder.stat().st_mtime > _STARTING
    with open(owner, "a", encoding="utf-8") as handle:
        return _try_lock(handle)


def sweep(out_dir: Path, folder: str) -> list[Path]:
    """Remove what dead runs of this pack left in ``out_dir`` (call while holding ``pack_lock``).

    Build folders are removed. A pack moved aside to be replaced is put back where the pack
    itself is missing (the run died between the two renames of ``publish``), else removed.
    Returns what was removed.
    """
    removed = []
    for path in sorted(out_dir.glob(f"{BUILDING}{folder}-*")) + sorted(out_dir.glob(f"{REPLACED}{folder}-*")):
        if path.name.startswith(REPLACED) and not (out_dir / folder).exists():
            path.rename(out_dir / folder)
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def sweep_caches(temp_dir: Path | None = None) -> None:
    """Remove cache folders of runs that died (no live owner) from the temporary folder."""
    base = Path(temp_dir or tempfile.gettempdir())
    for path in base.glob(f"{CACHE}*"):
        with contextlib.suppress(OSError):
            if path.is_dir() and path.stat().st_uid == os.getuid() and _unowned(path):
                shutil.rmtree(path, ignore_errors=True)


def new_cache() -> Path:
    """A private (0700) folder for the run's loaded inputs, outside any output folder."""
    return Path(tempfile.mkdtemp(prefix=f"{CACHE}{os.getpid()}-"))


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt for the block, so the run cleans up as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def die_with_parent(parent: int, interval: float = 0.5) -> None:
    """In a pool worker: exit as soon as the run that started it is gone (e.g. ``kill -9``).

    The worker's kernel follows it within a second (ipykernel polls for its parent).
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
