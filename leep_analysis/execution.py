"""Executing a pack's notebooks: each in a warm kernel (``kernels``), in this process or on a pool of workers.

A notebook is run with papermill, its paths of this machine replaced by their published names,
its page exported and its tables written as CSV by the worker that ran it (``execute``); the
notebooks run in the registry's order (``schedule``), as many at once as there are workers
(``execute_all``), and stop at the first failure.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import content, facts, imports, kernels, tables, workspace
from .config import ENV_CACHE_DIR, ENV_PACK_DIR
from .errors import NotebookError, os_cause, os_problem
from .params import PeriodParams
from .publishing import scrub
from .registry import run_order

if TYPE_CHECKING:
    from .export import Page


@dataclass(frozen=True)
class Job:
    """One notebook to execute, where its executed copy goes, and the page made from it."""

    section: str
    notebook: Path
    executed: Path
    html: Path
    page: Page


@dataclass
class Ran:
    """An executed notebook: its wall time in seconds and the blocks its page shows (``content.from_notebook``),
    handed back by the worker that wrote the page, so that the run need not read the notebook again."""

    seconds: float
    blocks: list[content.Block]


def check_parameters(notebook: Path) -> None:
    """The notebook's ``parameters`` cell must declare exactly the params model's fields.

    Papermill only warns about a parameter the notebook does not declare and
    runs on the defaults; here a mismatch stops the run before anything executes.
    """
    import papermill

    declared = set(papermill.inspect_notebook(str(notebook)))
    expected = set(PeriodParams.model_fields)
    if declared != expected:
        parts = []
        if expected - declared:
            parts.append("does not declare " + ", ".join(sorted(expected - declared)))
        if declared - expected:
            parts.append("declares unknown " + ", ".join(sorted(declared - expected)))
        raise NotebookError(f"{notebook.name}: parameters cell {' and '.join(parts)}")


def kernel_environment(pack_dir: Path, cache_dir: Path) -> dict[str, str]:
    """Environment for the kernels: where to write, where the cache is, quiet and deterministic."""
    return {
        ENV_PACK_DIR: str(pack_dir),
        ENV_CACHE_DIR: str(cache_dir),
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }


def execute(job: Job, parameters: dict[str, Any], cwd: Path, env: dict[str, str],
            published: dict[str, str]) -> Ran:
    """Run one notebook with papermill in this process's warm kernel and write its page; return its time and blocks.

    The page is written by the same worker, so pages are exported in parallel
    while other notebooks still run. A worker stopped meanwhile exits once its kernel is killed
    (``workspace.task``), so that the run may remove the build folder.

    Raises
    ------
    NotebookError
        Naming the notebook, the failing cell and the exception, in one line.
    """
    with workspace.task():
        return _execute(job, parameters, cwd, env, published)


def _execute(job: Job, parameters: dict[str, Any], cwd: Path, env: dict[str, str],
             published: dict[str, str]) -> Ran:
    from papermill.exceptions import PapermillExecutionError

    from .export import write_page

    started = time.perf_counter()
    try:
        kernels.warm(env, cwd).run(job.notebook, job.executed, parameters, cwd, env)
    except PapermillExecutionError as exc:
        message = str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ""
        disk = _CELL_OS_ERROR.match(message) if exc.ename in _OS_ERRORS else None
        if disk is not None:  # a full disk (the cache's or --out's) while a cell wrote: the path and what to do
            error = OSError(int(disk["errno"]), disk["reason"], disk["path"])
            in_build = disk["path"] is not None and Path(disk["path"]).is_relative_to(cwd)
            where = os_problem(error, cwd.parent if in_build else None)  # the build folder is removed: --out
            raise NotebookError(f"{job.notebook.name} failed at cell {exc.cell_index}: {where}") from None
        # papermill counts the injected parameters cell; report the cell as the analyst sees it
        raise NotebookError(
            f"{job.notebook.name} failed at cell {exc.cell_index}: {exc.ename}: {message}"
        ) from None
    except NotebookError:
        raise
    except OSError:
        raise  # the executed notebook could not be written: said by build_and_publish, naming --out
    except Exception as exc:  # kernel died, timeout, unreadable notebook
        raise NotebookError(f"{job.notebook.name} could not run: {type(exc).__name__}: {exc}") from None
    seconds = time.perf_counter() - started
    scrub(job.executed, published)
    blocks = write_page(job.executed, job.html, job.page)
    for table in content.tables_of(blocks):
        if table.name != facts.TABLE:  # every section's facts are joined into tables/facts.csv (runner.check_facts)
            tables.write_table(table, cwd / "tables" / f"{job.section}__{table.name}.csv")
    return Ran(seconds, blocks)


#: a cell's file-system error, as the kernel reports it: ``[Errno 28] No space left on device: '/path'``
_CELL_OS_ERROR = re.compile(r"^\[Errno (?P<errno>\d+)\] (?P<reason>[^:]+?)(?:: '(?P<path>.*)')?$")
_OS_ERRORS = {"OSError", "IOError", "PermissionError", "FileNotFoundError", "IsADirectoryError", "NotADirectoryError"}


def schedule(work: list[Job]) -> list[Job]:
    """The order to execute in: each section after those whose analyses it uses (``registry.run_order``),
    so that its notebook loads them from the run's cache rather than waiting for them.

    The pack keeps its own order (summary first); only execution is reordered.
    """
    order = run_order(job.section for job in work)
    return sorted(work, key=lambda job: order.index(job.section))


def execute_all(
    jobs: list[Job],
    parameters: dict[str, Any],
    cwd: Path,
    env: dict[str, str],
    published: dict[str, str],
    pool: Workers | None,
    report: Callable[[str, set[str]], None],
) -> dict[str, Ran]:
    """Execute every job, in this process or on the pool's workers; stop at the first failure."""
    ran: dict[str, Ran] = {}
    if pool is None:
        for job in jobs:
            report("start", {job.notebook.stem})
            ran[job.section] = execute(job, parameters, cwd, env, published)
            report("done", {job.notebook.stem})
        return ran
    workers = pool.size
    pending: dict[Future[Ran], Job] = {}
    queue = list(jobs)
    try:
        while queue or pending:
            while queue and len(pending) < workers:
                job = queue.pop(0)
                pending[pool.submit(execute, job, parameters, cwd, env, published)] = job
            report("start", {j.notebook.stem for j in pending.values()})
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                ran[job.section] = future.result()
                report("done", {job.notebook.stem})
    except BaseException:
        # the pack fails: stop the notebooks still running, before the build folder they write in is removed
        stop_pool(pool)
        raise
    return ran


def start_worker(parent: int) -> None:
    """A pool worker's set-up: quick imports (``imports``), exit with the run, even after kill -9, and on SIGTERM
    or SIGINT clean up what its task made, kernel first (``workspace``)."""
    imports.skip_unused()
    workspace.die_with_parent(parent)
    workspace.stop_on_signals(kernels.kill)


def prepare(env: dict[str, str], cwd: Path) -> None:
    """In a worker: import papermill, nbconvert and gptables (``meanwhile``'s workbook) and start the warm kernel,
    while the run validates its inputs."""
    import gptables  # noqa: F401
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    kernels.warm(env, cwd)


@contextlib.contextmanager
def worker_pool(workers: int, env: dict[str, str], cwd: Path) -> Iterator[Workers | None]:
    """``workers`` spawned processes, each with a warm kernel; None (this process's kernel) for one.

    Each worker (and so its kernel) exits when this run dies, even by kill -9. On a failure,
    Ctrl-C or SIGTERM the workers are stopped rather than waited for.
    """
    if workers <= 1:
        try:
            yield None
        finally:
            kernels.close()
        return
    pool = new_pool(workers, env, cwd)
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown()


@contextlib.contextmanager
def meanwhile(pool: Workers | None, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Iterator[None]:
    """``fn(*args, **kwargs)`` on one of the pool's workers while the ``with`` block runs here (without a pool, here,
    first): e.g. the workbook while the PDF is made, once the notebooks are done and the workers idle.

    It has finished when the block ends, even when the block fails (it must not write on in a build folder about
    to be removed); its exception, if any, is raised then, unless the block's is.
    """
    if pool is None:
        fn(*args, **kwargs)
        yield
        return
    future = pool.submit(_plainly, fn, *args, **kwargs)
    try:
        yield
    except KeyboardInterrupt:  # stopped (Ctrl-C, SIGTERM): stop the worker too, as execute_all does, not wait for it
        stop_pool(pool)
        raise
    except BaseException:
        wait([future])
        raise
    wait([future])
    future.result()


def _plainly(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """On a worker: ``fn``, a file-system error behind its failure raised as itself (an exception's cause and
    context do not cross back from a worker, and the run says a full disk in one line from them: xlsxwriter
    raises its own error from the ``OSError``)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        error = os_cause(exc)
        if error is None or error is exc:
            raise
        raise error from None


@dataclass
class Workers:
    """A pool of worker processes, each with a warm kernel: its executor, its size and its processes.

    The processes are those the pool started (``multiprocessing.active_children`` before and after it
    started them), so that ``stop_pool`` can stop them without reading the executor's private state.
    """

    executor: ProcessPoolExecutor
    size: int
    processes: list[Any]

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, **kwargs: Any) -> None:
        self.executor.shutdown(**kwargs)


def new_pool(workers: int, env: dict[str, str], cwd: Path) -> Workers:
    """``workers`` spawned processes, each starting its warm kernel at once (``prepare``)."""
    before = {p.pid for p in multiprocessing.active_children()}
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start_worker, initargs=(os.getpid(),))
    for _ in range(workers):  # each submit starts a process while there are fewer than ``workers``
        executor.submit(prepare, env, cwd)
    started = [p for p in multiprocessing.active_children() if p.pid not in before]
    return Workers(executor, workers, started)


#: how long a stopped worker may take to clean up (kill its kernel, remove its build folder and lock)
STOP_WAIT = 60.0


def stop_pool(pool: Workers) -> None:
    """Stop a pool's workers now rather than let them finish their tasks, and wait while they clean up.

    Each worker, on SIGTERM, kills its kernel and removes what its task made (``workspace.stop_on_signals``):
    only then may the run remove the build folder or report the interrupt.
    """
    workers = pool.processes
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.monotonic()))

