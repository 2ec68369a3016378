"""Build a period's report pack: validate, parameterise, execute, export, publish.

The pack is built in a temporary folder beside the destination and moved into
``<out>/<la_code>-<period>/`` in one step only when every notebook succeeded, so a
failed run never leaves a partial pack or touches an earlier one, and two LAs'
packs for one period live side by side.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import content, imports, kernels, tables, workspace
from .config import ENV_CACHE_DIR, ENV_PACK_DIR, NOTEBOOK_DIR, OUTPUT_DIR, SYNTHETIC_BANNER
from .errors import (
    InputError,
    LeepError,
    NotebookError,
    Problem,
    os_cause,
    os_problem,
    path_problems,
)
from .inputs import Inputs, published_path
from .params import (
    SAMPLE,
    DatedFile,
    PeriodParams,
    load_params,
    notebook_parameters,
    resolve_data_paths,
)
from .registry import SECTIONS, run_order

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


def load_period(params_file: str | Path) -> Inputs:
    """Validate a params file and resolve its input paths (inputs not yet loaded)."""
    params, base = load_params(params_file)
    return Inputs(resolve_data_paths(params, base), params_file=Path(params_file))


def notebooks_for(params: PeriodParams, notebook_dir: Path = NOTEBOOK_DIR) -> list[tuple[str, Path]]:
    """(section id, notebook path) for each section the params ask for, in pack order (``registry.SECTIONS``)."""
    chosen = []
    for section in params.sections:
        path = notebook_dir / SECTIONS[section].notebook
        if not path.exists():
            raise InputError(Problem(str(path), f"no notebook for section '{section}'", key="sections"))
        chosen.append((section, path))
    return chosen


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


def execute(job: Job, parameters: dict[str, Any], cwd: Path, env: dict[str, str],
            published: dict[str, str]) -> float:
    """Run one notebook with papermill in this process's warm kernel and write its page; return its wall time in seconds.

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
             published: dict[str, str]) -> float:
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
        tables.write_table(table, cwd / "tables" / f"{job.section}__{table.name}.csv")
    return seconds


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
    pool: ProcessPoolExecutor | None,
    report: Callable[[str, set[str]], None],
) -> dict[str, float]:
    """Execute every job, in this process or on the pool's workers; stop at the first failure."""
    seconds: dict[str, float] = {}
    if pool is None:
        for job in jobs:
            report("start", {job.notebook.stem})
            seconds[job.section] = execute(job, parameters, cwd, env, published)
            report("done", {job.notebook.stem})
        return seconds
    workers = pool._max_workers  # noqa: SLF001 - the pool's size, as it was made
    pending: dict[Future[float], Job] = {}
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
                seconds[job.section] = future.result()
                report("done", {job.notebook.stem})
    except BaseException:
        # the pack fails: stop the notebooks still running, before the build folder they write in is removed
        stop_pool(pool)
        raise
    return seconds


def start_worker(parent: int) -> None:
    """A pool worker's set-up: quick imports (``imports``), exit with the run, even after kill -9, and on SIGTERM
    or SIGINT clean up what its task made, kernel first (``workspace``)."""
    imports.skip_unused()
    workspace.die_with_parent(parent)
    workspace.stop_on_signals(kernels.kill)


def prepare(env: dict[str, str], cwd: Path) -> None:
    """In a worker: import papermill and nbconvert and start the warm kernel, while the run validates its inputs."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    kernels.warm(env, cwd)


@contextlib.contextmanager
def worker_pool(workers: int, env: dict[str, str], cwd: Path) -> Iterator[ProcessPoolExecutor | None]:
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


def new_pool(workers: int, env: dict[str, str], cwd: Path) -> ProcessPoolExecutor:
    """``workers`` spawned processes, each starting its warm kernel at once (``prepare``)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=start_worker, initargs=(os.getpid(),))
    for _ in range(workers):
        pool.submit(prepare, env, cwd)
    return pool


#: how long a stopped worker may take to clean up (kill its kernel, remove its build folder and lock)
STOP_WAIT = 60.0


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now rather than let them finish their tasks, and wait while they clean up.

    Each worker, on SIGTERM, kills its kernel and removes what its task made (``workspace.stop_on_signals``):
    only then may the run remove the build folder or report the interrupt.
    """
    import signal

    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.monotonic()))


def progress_bar(total: int, enabled: bool, unit: str = "notebook"
                 ) -> tuple[Callable[[str, set[str]], None], Callable[[], None]]:
    """A progress bar on stderr, ``report("start" | "done", names)``: what is running, and how many of ``total``
    are done with the time left (off when not a terminal)."""
    if not enabled or not sys.stderr.isatty():
        return (lambda _event, _names: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, file=sys.stderr, leave=False)

    def report(event: str, names: set[str]) -> None:
        if event == "done":
            bar.update(len(names))
        else:
            bar.set_description("running " + ", ".join(sorted(names)))

    return report, bar.close


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


def run_pack(
    params_file: str | Path,
    out_dir: str | Path = OUTPUT_DIR,
    *,
    jobs: int = 1,
    progress: bool = True,
    notebook_dir: Path = NOTEBOOK_DIR,
) -> Path:
    """Build one period's pack and return the path of its ``index.html``.

    Raises
    ------
    InputError
        The params file or an input is invalid (nothing is built).
    NotebookError
        A notebook failed (the earlier pack, if any, is left as it was).
    """
    imports.skip_unused()
    params_file = Path(params_file)
    inputs = load_period(params_file)
    params = inputs.params
    chosen = notebooks_for(params, notebook_dir)
    for _, notebook in chosen:
        check_parameters(notebook)

    # the pack set against this one, handed to kernels as an absolute path
    params = attach_previous(params, out_path(out_dir), params_file.resolve().parent)
    workspace.sweep_caches()
    with workspace.terminate_as_interrupt(), workspace.claimed(workspace.new_cache()) as cache, \
            worker_pool(jobs, kernel_environment(cache, cache), cache) as pool:
        inputs = Inputs(params, cache_dir=cache, params_file=params_file)
        problems = [p for p in inputs.validate() if not p.warning]
        if problems:
            raise InputError(problems)
        out_dir = output_folder(out_dir)
        final = build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=pool, progress=progress)
    return final / "index.html"


def out_path(out_dir: str | Path) -> Path:
    """``--out`` made absolute, or one line saying why it cannot be (a link loop)."""
    with path_problems("--out"):
        return Path(out_dir).resolve()


def attach_previous(params: PeriodParams, out_dir: Path, base: Path) -> PeriodParams:
    """``previous.attach``, with a path that cannot be followed (a link loop) named in one line."""
    from . import previous

    with path_problems("previous_pack"):
        return previous.attach(params, out_dir, base)


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


def build_and_publish(inputs: Inputs, chosen: list[tuple[str, Path]], out_dir: Path, cache: Path,
                      notebook_dir: Path, *, pool: ProcessPoolExecutor | None, progress: bool) -> Path:
    """Under the pack's lock, execute and export the pack in a new build folder in ``out_dir``, then publish it;
    return its folder.

    Holding the lock (``workspace.pack_lock``), any build folder of the pack found was left by a run that
    died, and is removed first; this run's is removed on any failure.
    """
    with workspace.pack_lock(out_dir, pack_folder(inputs.params)):
        workspace.sweep(out_dir, pack_folder(inputs.params))
        check_place(out_dir / pack_folder(inputs.params))  # before the work, not only when it is published
        try:
            return _build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=pool, progress=progress)
        except Exception as exc:  # a full disk while the PDF (or any file) was written: the build folder is gone
            error = None if isinstance(exc, LeepError) else os_cause(exc)
            if error is None:
                raise
            raise LeepError(str(output_problem(error, out_dir))) from None


def output_problem(exc: OSError, out_dir: Path) -> Problem:
    """A file-system error while a pack was written, naming ``--out`` (the build folder in it is removed)."""
    advice = "free some space there, or choose another --out" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
    return os_problem(exc, out_dir, doing="while the pack was written", advice=advice)


def _build_and_publish(inputs: Inputs, chosen: list[tuple[str, Path]], out_dir: Path, cache: Path,
                       notebook_dir: Path, *, pool: ProcessPoolExecutor | None, progress: bool) -> Path:
    from . import manifest, pages, paper
    from .render import pdf, workbook
    from .sources import narrative

    params, params_file = inputs.params, inputs.params_file
    build = Path(tempfile.mkdtemp(prefix=f"{workspace.BUILDING}{pack_folder(params)}-", dir=out_dir))
    try:
        name = pages.la_name(inputs)
        (build / "executed").mkdir()
        if "summary" in params.sections:  # the narrative's own images, as checked, for its page and the PDF
            narrative.write_images(inputs.get("narrative_images"), build)
        work = [Job(section, nb, build / "executed" / nb.name, build / f"{section}.html",
                    pages.section_page(inputs, section, name)) for section, nb in chosen]
        published = published_names(inputs)
        published.update({str(notebook_dir.resolve()): "notebooks", str(build): ".", str(cache): "cache"})
        if params.previous_pack is not None:
            published[str(params.previous_pack)] = f"../{params.previous_pack.name}"
        report, close = progress_bar(len(work), progress)
        try:
            seconds = execute_all(schedule(work), notebook_parameters(params), build,
                                  kernel_environment(build, cache), published, pool, report)
        finally:
            close()
        blocks = {job.section: pack_blocks(job) for job in work}  # in pack order
        (build / "tables").mkdir(exist_ok=True)
        workbook.write_workbook([(s, t) for s, found in blocks.items() for t in content.tables_of(found)],
                                build / "tables.xlsx", cover=pages.facts(inputs, name), created=params.as_at)
        synthetic = SYNTHETIC_BANNER if inputs.on_sample else ""
        if params.for_committee:  # its PDF is the committee's report, and report.html the same report as a page
            paper.write(inputs, name, blocks, build, synthetic=synthetic)
        else:
            pdf.write_pdf(pdf.Cover(**pages.facts(inputs, name), synthetic=synthetic),
                          [(s, SECTIONS[s].title, found) for s, found in blocks.items()], build / pdf.PDF_NAME,
                          created=params.as_at)  # pack.pdf beside index.html (which links to it)
        pages.write_index(inputs, build, name, blocks)
        notebooks = [{"notebook": job.notebook.name, "section": job.section,
                      "title": SECTIONS[job.section].title,
                      "seconds": round(seconds[job.section], 2)} for job in work]
        manifest.write_manifest(build / "manifest.json",
                                manifest.build_manifest(inputs, Path(params_file).resolve(), notebooks))
        # a committee pack leaves the council: its executed notebooks (every cell's output, the injected
        # parameters and papermill's paths) stay behind; the internal pack keeps them for audit
        executed = [build / "executed"] if params.for_committee else []
        for scratch in executed:
            shutil.rmtree(scratch, ignore_errors=True)
        final = out_dir / pack_folder(params)
        build.chmod(0o755)  # mkdtemp makes the folder private; a published pack is shared
        publish(build, final)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            kernels.kill()  # this process's kernel (a run of one notebook at a time) must not write on
        shutil.rmtree(build, ignore_errors=True)
        raise
    return final


def pack_blocks(job: Job) -> list[content.Block]:
    """The blocks a section's executed notebook recorded (what its page shows), in order."""
    import nbformat

    from .export import normalise

    return content.from_notebook(normalise(nbformat.read(job.executed, as_version=4), job.page.title))


def validate_period(params_file: str | Path, notebook_dir: Path = NOTEBOOK_DIR) -> list[Problem]:
    """Every problem with a params file, its notebooks and its inputs, without running anything."""
    inputs = load_period(params_file)
    problems: list[Problem] = []
    try:
        for _, notebook in notebooks_for(inputs.params, notebook_dir):
            try:
                check_parameters(notebook)
            except NotebookError as exc:
                problems.append(Problem(str(notebook), str(exc).split(": ", 1)[-1]))
    except InputError as exc:
        problems.extend(exc.problems)
    if inputs.params.previous_pack is not None:  # a named previous pack must be one (the default is found at run time)
        base = Path(params_file).resolve().parent
        try:
            attach_previous(inputs.params, base, base)
        except InputError as exc:
            problems.extend(exc.problems)
    problems.extend(inputs.validate())
    return problems
