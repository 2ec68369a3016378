"""Where a run writes while it builds, and how a killed run's leftovers are cleared.

A run holds a lock per output folder and pack (``<out>/.<la_code>-<period>.lock``, holding its
pid) from before it makes its build folder until the pack is published, so two runs of one
pack never interleave: the second stops with one line. Because only the lock's holder builds
that pack, any build folder of the pack found while holding it was left by a run that died
(``kill -9``, a power cut), and is removed. Loaded inputs are cached outside the output folder,
in a private temporary folder (mode 0700) removed when the run ends, also on SIGTERM and SIGINT;
a cache left by a killed run is removed by the next run. Locks are ``fcntl`` locks, released by
the kernel when their process dies however it dies.

Whoever can write to a shared output folder can plant a link where a run will write. Every lock
file is opened by one function (``lock``) that never follows a symbolic link and refuses
anything but a regular file of one name (a folder, a device, a hard link to someone's file);
what a run moves or removes in ``--out`` it finds with ``lstat``, so a link is never followed
there either (``sweep``, ``publishing.publish``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from .errors import LeepError, os_problem

#: prefixes of what a run makes: the build folder in ``--out``, the cache in the system's temp folder
BUILDING, REPLACED, CACHE = ".building-", ".replaced-", "leep-cache-"
#: a folder holds this lock file while its run is alive
OWNER = ".owner"
#: a cache folder younger than this with no owner yet may be a run's that is just starting
_STARTING = 60.0


class PackLocked(LeepError):
    """Another live run is building the same pack in the same output folder."""


class NotALockFile(LeepError):
    """A lock file's place holds something a run must not write to (a link, a folder, a shared file)."""


#: open a lock file read-write, creating it, never through a symbolic link, not inherited by children
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | \
    getattr(os, "O_NONBLOCK", 0)


def _refused(path: Path, what: str) -> NotALockFile:
    return NotALockFile(f"{path}: is {what}, not a lock file a run made; remove it (a run makes its own lock "
                        "file there) and run again")


def open_lock_file(path: Path) -> int:
    """Open (creating) the lock file ``path`` without following a link; its descriptor.

    Raises
    ------
    NotALockFile
        ``path`` is a symbolic link, a folder, a device or a pipe, or a file with another name too
        (a hard link): writing the run's pid there would overwrite someone else's file.
    """
    try:
        fd = os.open(path, _LOCK_FLAGS, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refused(path, "a symbolic link") from None
        if exc.errno == errno.EISDIR:
            raise _refused(path, "a folder") from None
        if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):
            raise _refused(path, "a device, pipe or socket") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise _refused(path, "a hard link to another file" if stat.S_ISREG(info.st_mode)
                       else "a device, pipe or socket")
    return fd


class Busy(LeepError):
    """Another live process holds the lock; ``holder`` is what it wrote in the file (its pid)."""

    def __init__(self, path: Path, holder: str):
        self.path, self.holder = path, holder
        super().__init__(f"{path}: held by pid {holder}")


def _try_lock(fd: int) -> bool:
    """Take the file's exclusive lock without waiting; False if a live process holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def lock(path: Path, *, wait: bool = True, remove: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a regular file holding this process's pid) for the block.

    The one way this package locks: the file is opened by ``open_lock_file`` (never through a link,
    only a regular file of one name), and its lock is released when the block ends or the process
    dies, however it dies. ``wait=False`` raises ``Busy`` where a live process holds it;
    ``remove=True`` removes the file at the end (while still locked, so that no run locks a file
    that is no longer there). Where the platform has no ``fcntl`` (Windows) nothing is locked.

    Raises
    ------
    NotALockFile
        Something other than a lock file is at ``path``.
    Busy
        With ``wait=False``, another live process holds the lock.
    """
    if fcntl is None:
        yield
        return
    while True:
        fd = open_lock_file(path)
        if wait:
            fcntl.flock(fd, fcntl.LOCK_EX)
        elif not _try_lock(fd):
            holder = os.pread(fd, 64, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise Busy(path, holder)
        if not remove:
            break
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                break
        os.close(fd)  # the holder removed the file as we opened it: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(path)  # the name, never what a link there would point to
        os.close(fd)


@contextlib.contextmanager
def pack_lock(out_dir: Path, folder: str) -> Iterator[None]:
    """Hold ``<out>/.<folder>.lock`` (the owner's pid inside) for the block, or fail in one line."""
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(lock(out_dir / f".{folder}.lock", wait=False, remove=True))
        except Busy as busy:
            raise PackLocked(f"{out_dir / folder}: another run (pid {busy.holder}) is building this pack; "
                             "wait for it to finish, or choose another --out") from None
        yield


@contextlib.contextmanager
def claimed(folder: Path) -> Iterator[Path]:
    """Mark a folder as this live run's (a locked ``.owner`` file) for the block; remove it after."""
    try:
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(lock(folder / OWNER, wait=False))
            except OSError as exc:
                raise temp_problem(exc, "while the run's cache folder was made") from None
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unowned(folder: Path) -> bool:
    """True when no live process holds the folder's ``.owner`` lock."""
    if fcntl is None:
        return False  # nothing can tell a live run's folder from a dead one's: leave it
    owner = folder / OWNER
    if not os.path.lexists(owner):
        return time.time() - folder.lstat().st_mtime > _STARTING
    try:
        fd = open_lock_file(owner)
    except NotALockFile:
        return False  # not a run's: leave it alone
    try:
        return _try_lock(fd)
    finally:
        os.close(fd)


def _is_folder(path: Path) -> bool:
    """A real folder, not a link to one (``lstat``): what a run made and may move or remove."""
    with contextlib.suppress(OSError):
        return stat.S_ISDIR(path.lstat().st_mode)
    return False


def sweep(out_dir: Path, folder: str) -> list[Path]:
    """Remove what dead runs of this pack left in ``out_dir`` (call while holding ``pack_lock``).

    Build folders are removed. A pack moved aside to be replaced is put back where the pack
    itself is missing (the run died between the two renames of ``publish``), else removed.
    Only real folders are touched: a link of that name is not a run's, and is left as it is.
    Returns what was removed.
    """
    removed = []
    # a pack moved aside is ``<folder>-<pid>-<hex>``: ``<folder>-exempt-...`` (the exempt appendix beside it) is not it
    for path in sorted(out_dir.glob(f"{BUILDING}{folder}-*")) + sorted(out_dir.glob(f"{REPLACED}{folder}-[0-9]*")):
        if not _is_folder(path):
            continue
        if path.name.startswith(REPLACED) and not os.path.lexists(out_dir / folder):
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
            if _is_folder(path) and path.lstat().st_uid == os.getuid() and _unowned(path):
                shutil.rmtree(path, ignore_errors=True)


#: what to do where the temporary folder cannot hold the run's cache
TEMP_ADVICE = "free some space there, or set TMPDIR to a folder with room"


def temp_problem(exc: OSError, doing: str) -> LeepError:
    """A file-system error in the temporary folder (the run's cache), naming the folder, in one line."""
    advice = TEMP_ADVICE if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else None
    return LeepError(str(os_problem(exc, tempfile.gettempdir(), doing=doing, advice=advice)))


def new_cache() -> Path:
    """A private (0700) folder for the run's loaded inputs, outside any output folder."""
    try:
        return Path(tempfile.mkdtemp(prefix=f"{CACHE}{os.getpid()}-"))
    except OSError as exc:
        raise temp_problem(exc, "while the run's cache folder was made") from None


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


#: in a pool worker (``stop_on_signals``): how many tasks deep it is (``task``: an LA's pack runs its notebooks)
_WORKER = {"worker": False, "busy": 0}


def stop_on_signals(before: Callable[[], None]) -> None:
    """In a pool worker: SIGTERM or SIGINT stops it, after the task under way has cleaned up.

    ``before`` runs first (the worker's kernel is killed, so that nothing writes on). A task under way
    (``task``) is interrupted (``KeyboardInterrupt``), so that its ``finally`` blocks remove what it
    made (an LA's build folder and lock); an idle worker exits at once. A second signal is ignored,
    so that it cannot cut the clean-up short.
    """
    def stop(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        before()
        if _WORKER["busy"]:
            raise KeyboardInterrupt
        os._exit(128 + signum)

    _WORKER["worker"] = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


@contextlib.contextmanager
def task() -> Iterator[None]:
    """A pool worker's task (a notebook, an LA's pack): interrupted, it cleans up, then the worker exits.

    Outside a worker (a run in one process) it does nothing: the interrupt goes on to the caller.
    Within another task, the interrupt goes on to it: the outermost cleans up last, then exits.
    """
    if not _WORKER["worker"]:
        yield
        return
    _WORKER["busy"] += 1
    try:
        yield
    except KeyboardInterrupt:
        if _WORKER["busy"] > 1:
            raise
        os._exit(128 + signal.SIGTERM)  # quietly: the run that stopped it reports the interrupt
    finally:
        _WORKER["busy"] -= 1


def die_with_parent(parent: int, interval: float = 0.5) -> None:
    """In a pool worker: exit as soon as the run that started it is gone (e.g. ``kill -9``).

    The worker's kernel is killed with it (``kernel_main``).
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
