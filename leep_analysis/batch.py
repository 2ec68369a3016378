"""A batch: one pack per LA for the sections built from national files, and a national overview.

``leep run PARAMS.yaml --las all`` (or ``--las 855,856``, or ``--las "East Midlands"``) builds,
for each LA, exactly the pack a single run of the params file with that ``la_code`` builds.
The national files are read, validated and tidied once, by this process, into the run's cache;
each worker then builds whole packs one LA after another in its warm kernel (``kernels``), keeping
what it has loaded. A failed LA is reported and the others are still published; the batch ends
with ``overview-<period>/``: every LA on the headline measures, linking to its pack
(``overview``). Why this design: ``docs/DEVELOPING.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import imports, workspace
from .config import NOTEBOOK_DIR
from .errors import InputError, LeepError, Problem
from .execution import (
    Workers,
    check_parameters,
    kernel_environment,
    new_pool,
    stop_pool,
    worker_pool,
)
from .inputs import SPECS, Inputs
from .normalise import text_key
from .params import PeriodParams
from .progress import progress_bar
from .publishing import output_folder, pack_folder, published_names, without_paths
from .runner import attach_previous, build_and_publish, load_period, notebooks_for

#: ``--las`` for every current LA (those the neighbours workbook lists as current)
ALL = "all"


@dataclass
class Batch:
    """What a batch built: each LA's pack folder, the LAs that failed and why, the overview page, the time taken.

    ``la_seconds`` is each LA's build time in its worker, in the order the LAs finished.
    """

    built: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    overview: Path | None = None
    seconds: float = 0.0
    la_seconds: dict[str, float] = field(default_factory=dict)


def check_batchable(inputs: Inputs) -> None:
    """A batch builds only sections whose inputs are published for every LA, each LA against its own
    previous pack; one line naming what stands in the way."""
    if inputs.params.previous_pack is not None:
        raise InputError(Problem(str(inputs.params_file), "names one LA's previous pack; leave it out for --las "
                                 "(each LA's is found in --out)", key="previous_pack"))
    own = {section: [s.key for s in SPECS.values() if s.own and section in s.sections]
           for section in inputs.params.sections}
    refused = {section: keys for section, keys in own.items() if keys}
    if refused:
        names = "; ".join(f"{section} reads {', '.join(keys)}" for section, keys in refused.items())
        national = [s for s, keys in own.items() if not keys]
        keep = f"keep {', '.join(national)}" if national else "choose achievement and inspections"
        raise InputError(Problem(str(inputs.params_file), f"--las builds only sections made from national files, "
                                 f"not the LA's own ({names}): {keep} under sections", key="sections"))


def select_las(spec: str, inputs: Inputs) -> list[str]:
    """The LA codes ``--las`` names: ``all`` current LAs, a region's (by name), or codes separated by commas.

    Current LAs and regions are the neighbours workbook's (every section reads it).
    """
    neighbours = inputs.get("neighbours")
    current = neighbours[neighbours["current"]].drop_duplicates("la_code")
    codes = [str(c) for c in current["la_code"]]
    source = str(inputs.files("neighbours")[0].path)
    wanted = spec.strip()
    if text_key(wanted) == ALL:
        return sorted(codes)
    regions = {str(r) for r in current["region"].dropna()}
    by_region = [r for r in regions if text_key(r) == text_key(wanted) or text_key(r).startswith(text_key(wanted) + " (")]
    if by_region:
        return sorted(str(c) for c in current.loc[current["region"].isin(by_region), "la_code"])
    given = [c.strip() for c in wanted.split(",") if c.strip()]
    unknown = [c for c in given if c not in codes]
    if not given or unknown:
        what = f"LA code(s) {', '.join(unknown)} are not current LAs" if given else "no LA named"
        raise InputError(Problem(source, f"--las {spec!r}: {what} in this workbook; give 'all', codes such as "
                                 f"855,856, or a region: {', '.join(sorted(regions))}", key="--las"))
    return list(dict.fromkeys(given))


def build_one(params: PeriodParams, params_file: Path, out_dir: Path, cache: Path,
              notebook_dir: Path) -> tuple[str | None, float]:
    """In a worker: check and build one LA's pack (``params`` with its ``la_code``) and publish it;
    (None, seconds), or (the reason it failed, seconds). A worker stopped meanwhile (Ctrl-C, SIGTERM)
    removes the LA's build folder and lock, then exits (``workspace.task``)."""
    with workspace.task():
        return _build_one(params, params_file, out_dir, cache, notebook_dir)


def _build_one(params: PeriodParams, params_file: Path, out_dir: Path, cache: Path,
               notebook_dir: Path) -> tuple[str | None, float]:
    from .checks import cross_checks

    started = time.perf_counter()
    inputs = Inputs(params, cache_dir=cache, params_file=params_file)
    try:
        inputs = Inputs(attach_previous(params, out_dir, params_file.resolve().parent), cache_dir=cache,
                        params_file=params_file)
        problems = [p for p in cross_checks(inputs) if not p.warning]  # as a single run checks this LA
        if problems:
            raise InputError(problems)
        chosen = notebooks_for(params, notebook_dir)
        build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=None, progress=False)
    except Exception as exc:  # noqa: BLE001 - one LA's fault must not lose the others' packs
        reason = str(exc) if isinstance(exc, LeepError) else f"{type(exc).__name__}: {exc}"
        # the overview publishes it: inputs by the names the packs give them, never this machine's paths
        names = {**published_names(inputs), str(out_dir): ".", str(cache): "cache",
                 str(notebook_dir.resolve()): "notebooks"}
        return without_paths(reason, names), time.perf_counter() - started
    return None, time.perf_counter() - started


def run_batch(params_file: str | Path, las: str, out_dir: str | Path, *, jobs: int = 2, progress: bool = True,
              notebook_dir: Path = NOTEBOOK_DIR) -> Batch:
    """Build the params' sections for each LA ``las`` names, then the overview; see the module docstring.

    Raises
    ------
    InputError
        The params, the national inputs or ``--las`` are invalid, or a section needs the LA's own
        registers (nothing is built).
    """
    from . import overview

    imports.skip_unused()
    started = time.perf_counter()
    params_file = Path(params_file)
    inputs = load_period(params_file)
    check_batchable(inputs)
    for _, notebook in notebooks_for(inputs.params, notebook_dir):
        check_parameters(notebook)
    batch = Batch()
    workspace.sweep_caches()
    with workspace.terminate_as_interrupt(), workspace.claimed(workspace.new_cache()) as cache, \
            worker_pool(jobs, kernel_environment(cache, cache), cache) as pool:
        inputs = Inputs(inputs.params, cache_dir=cache, params_file=params_file)
        # each file once, here; the checks of an LA against them (is it in LAIT, in the Ofsted files) per LA
        problems = [p for p in inputs.validate() if not p.warning]
        if problems:
            raise InputError(problems)
        codes = select_las(las, inputs)
        out = output_folder(out_dir)
        each = {code: inputs.params.model_copy(update={"la_code": code}) for code in codes}
        report, close = progress_bar(len(codes), progress, unit="LA")
        try:
            results = _build_all(each, params_file, out, cache, notebook_dir, pool, report)
        finally:
            close()
        batch.la_seconds = {code: seconds for code, (_, seconds) in results.items()}
        for code in codes:
            error, _ = results[code]
            if error is None:
                batch.built[code] = out / pack_folder(each[code])
            else:
                batch.failed[code] = error
        batch.overview = overview.write(out, inputs, batch.built, batch.failed)
    batch.seconds = time.perf_counter() - started
    return batch


def _build_all(each: dict[str, PeriodParams], params_file: Path, out: Path, cache: Path, notebook_dir: Path,
               pool: Workers | None, report: Callable[[str, set[str]], None]
               ) -> dict[str, tuple[str | None, float]]:
    """Each LA's (error or None, seconds), built in this process (no pool) or on the pool's workers.

    A worker that dies (killed, out of memory) breaks the pool, and every LA not yet built with it:
    each of those is then built again alone, in a pool of its own, so only an LA that kills its
    worker fails for it.
    """
    rest = (params_file, out, cache, notebook_dir)
    results: dict[str, tuple[str | None, float]] = {}
    if pool is None:
        for code, params in each.items():
            results[code] = build_one(params, *rest)
            report("done", {code})
        return results
    broken = []
    pending = {pool.submit(build_one, each[code], *rest): code for code in each}
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            code = pending.pop(future)
            try:
                results[code] = future.result()
                report("done", {code})
            except BrokenProcessPool:
                broken.append(code)
    for code in broken:
        alone = new_pool(1, kernel_environment(cache, cache), cache)
        try:
            results[code] = alone.submit(build_one, each[code], *rest).result()
        except BrokenProcessPool:
            results[code] = ("its worker stopped while building it (killed, or out of memory?)", 0.0)
        finally:
            stop_pool(alone)
        report("done", {code})
    return results
