"""Build a period's report pack: validate, parameterise, execute, export, publish.

The pack is built in a temporary folder beside the destination and moved into
``<out>/<la_code>-<period>/`` in one step only when every notebook succeeded, so a
failed run never leaves a partial pack or touches an earlier one, and two LAs'
packs for one period live side by side.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
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
from .errors import InputError, NotebookError, Problem
from .inputs import Inputs, published_path
from .params import PeriodParams, load_params, notebook_parameters, resolve_data_paths
from .registry import SECTIONS, run_order

if TYPE_CHECKING:
    from .export import Page

#: The name of the table of each section's facts, joined into the pack's ``tables/facts.csv``.
FACTS = "facts"

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
    """Each input file's path on this machine -> the name the pack gives it (``inputs.published_path``)."""
    return {str(f.path): published_path(f.path, inputs) for spec in inputs.needed() for f in inputs.files(spec.key)}


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
    while other notebooks still run.

    Raises
    ------
    NotebookError
        Naming the notebook, the failing cell and the exception, in one line.
    """
    from papermill.exceptions import PapermillExecutionError

    from .export import write_page

    started = time.perf_counter()
    try:
        kernels.warm(env, cwd).run(job.notebook, job.executed, parameters, cwd, env)
    except PapermillExecutionError as exc:
        message = str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ""
        # papermill counts the injected parameters cell; report the cell as the analyst sees it
        raise NotebookError(
            f"{job.notebook.name} failed at cell {exc.cell_index}: {exc.ename}: {message}"
        ) from None
    except NotebookError:
        raise
    except Exception as exc:  # kernel died, timeout, unreadable notebook
        raise NotebookError(f"{job.notebook.name} could not run: {type(exc).__name__}: {exc}") from None
    seconds = time.perf_counter() - started
    scrub(job.executed, published)
    blocks = write_page(job.executed, job.html, job.page)
    for table in content.tables_of(blocks):
        if table.name != FACTS:  # every section's facts are joined into tables/facts.csv (check_facts)
            tables.write_table(table, cwd / "tables" / f"{job.section}__{table.name}.csv")
    return seconds


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
    """A pool worker's set-up: quick imports (``imports``), and exit with the run, even after kill -9 (``workspace``)."""
    imports.skip_unused()
    workspace.die_with_parent(parent)


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


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now rather than wait for them (their kernels exit when they see their parent gone)."""
    import signal

    workers_left = list(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in workers_left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


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


def publish(build: Path, final: Path) -> None:
    """Move a finished pack into place, replacing an earlier one in one step."""
    if final.exists():
        old = final.with_name(f".replaced-{final.name}-{os.getpid()}")
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
    from . import previous

    imports.skip_unused()
    params_file = Path(params_file)
    inputs = load_period(params_file)
    params = inputs.params
    chosen = notebooks_for(params, notebook_dir)
    for _, notebook in chosen:
        check_parameters(notebook)

    # the pack set against this one, handed to kernels as an absolute path
    params = previous.attach(params, Path(out_dir).resolve(), params_file.resolve().parent)
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


def output_folder(out_dir: str | Path) -> Path:
    """``--out`` made absolute (kernels run in the build folder) and created, or one line saying why not."""
    out = Path(out_dir).resolve()
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
        return _build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=pool, progress=progress)


def _build_and_publish(inputs: Inputs, chosen: list[tuple[str, Path]], out_dir: Path, cache: Path,
                       notebook_dir: Path, *, pool: ProcessPoolExecutor | None, progress: bool) -> Path:
    from . import manifest, pages
    from .render import pdf, workbook

    params, params_file = inputs.params, inputs.params_file
    build = Path(tempfile.mkdtemp(prefix=f"{workspace.BUILDING}{pack_folder(params)}-", dir=out_dir))
    try:
        name = pages.la_name(inputs)
        (build / "executed").mkdir()
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
        facts_table = check_facts(blocks)
        tables.write_table(facts_table, build / "tables" / f"{FACTS}.csv")
        workbook.write_workbook([("", facts_table), *((s, t) for s, found in blocks.items()
                                                      for t in content.tables_of(found) if t.name != FACTS)],
                                build / "tables.xlsx", cover=pages.facts(inputs, name), created=params.as_at)
        pdf.write_pdf(pdf.Cover(**pages.facts(inputs, name), synthetic=SYNTHETIC_BANNER if inputs.on_sample else ""),
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
        executed = [build / "executed"] if params.committee else []
        for scratch in executed:
            shutil.rmtree(scratch, ignore_errors=True)
        final = out_dir / pack_folder(params)
        build.chmod(0o755)  # mkdtemp makes the folder private; a published pack is shared
        publish(build, final)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return final


def check_facts(blocks: dict[str, list[content.Block]]) -> content.Table:
    """The pack's facts (every section's, joined: ``tables/facts.csv``), checked against every figure it shows.

    Raises
    ------
    NotebookError
        A measure with two values for one area and date, in the facts or anywhere the pack shows it (a
        tile, a table cell, a sentence citing it), each named in one line.
    """
    from . import facts

    found = {s: t.written for s, bl in blocks.items() for t in content.tables_of(bl) if t.name == FACTS}
    table, problems = facts.combine(found)
    problems += facts.check(blocks, table)
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise NotebookError("the pack does not agree with its facts (tables/facts.csv):\n  " + "\n  ".join(shown))
    return facts.table(table, "")


def pack_blocks(job: Job) -> list[content.Block]:
    """The blocks a section's executed notebook recorded (what its page shows), in order."""
    import nbformat

    from .export import normalise

    return content.from_notebook(normalise(nbformat.read(job.executed, as_version=4), job.page.title))


def validate_period(params_file: str | Path, notebook_dir: Path = NOTEBOOK_DIR) -> list[Problem]:
    """Every problem with a params file, its notebooks and its inputs, without running anything."""
    from . import previous

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
        try:
            previous.locate(inputs.params, Path(params_file).resolve().parent, Path(params_file).resolve().parent)
        except InputError as exc:
            problems.extend(exc.problems)
    problems.extend(inputs.validate())
    return problems
