"""Build a period's report pack, as a line of steps: validate, execute, make its outputs, publish.

The steps are in their own modules: executing the notebooks (``execution``), publishing the pack
(``publishing``) and the progress bar (``progress``); this module reads them in order. The pack
is built in a temporary folder beside the destination and moved into
``<out>/<la_code>-<period>/`` in one step only when every notebook succeeded, so a
failed run never leaves a partial pack or touches an earlier one, and two LAs'
packs for one period live side by side.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import audit, checks, content, exempt, facts, imports, kernels, relations, tables, workspace
from .config import NOTEBOOK_DIR, OUTPUT_DIR, SYNTHETIC_BANNER
from .errors import (
    InputError,
    LeepError,
    NotebookError,
    Problem,
    os_cause,
    os_problem,
    path_problems,
)
from .execution import (
    Job,
    Workers,
    check_parameters,
    execute_all,
    kernel_environment,
    meanwhile,
    schedule,
    worker_pool,
)
from .inputs import Inputs
from .params import PeriodParams, load_params, notebook_parameters, resolve_data_paths
from .progress import progress_bar
from .publishing import (
    check_place,
    out_path,
    output_folder,
    output_problem,
    pack_folder,
    publish,
    published_names,
)
from .registry import SECTIONS


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
        problems = [p for p in checks.validate(inputs) if not p.warning]
        if problems:
            raise InputError(problems)
        out_dir = output_folder(out_dir)
        final = build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=pool, progress=progress)
    return final / "index.html"


def attach_previous(params: PeriodParams, out_dir: Path, base: Path) -> PeriodParams:
    """``previous.attach``, with a path that cannot be followed (a link loop) named in one line."""
    from . import previous

    with path_problems("previous_pack"):
        return previous.attach(params, out_dir, base)


def build_and_publish(inputs: Inputs, chosen: list[tuple[str, Path]], out_dir: Path, cache: Path,
                      notebook_dir: Path, *, pool: Workers | None, progress: bool) -> Path:
    """Under the pack's lock, execute and export the pack in a new build folder in ``out_dir``, then publish it;
    return its folder.

    Holding the lock (``workspace.pack_lock``), any build folder of the pack found was left by a run that
    died, and is removed first; this run's is removed on any failure. A committee pack whose params say
    ``committee: free_text: replace`` is built from params whose free text is screened (``identifying``).
    """
    meeting = inputs.params.committee
    if meeting is not None and meeting.free_text == "replace":
        from . import identifying

        inputs.params = identifying.screened_params(inputs.params, identifying.identifiers(inputs))
    with workspace.pack_lock(out_dir, pack_folder(inputs.params)):
        workspace.sweep(out_dir, pack_folder(inputs.params))
        workspace.sweep(out_dir, exempt.folder_name(pack_folder(inputs.params)))
        check_place(out_dir / exempt.folder_name(pack_folder(inputs.params)))
        check_place(out_dir / pack_folder(inputs.params))  # before the work, not only when it is published
        try:
            return _build_and_publish(inputs, chosen, out_dir, cache, notebook_dir, pool=pool, progress=progress)
        except Exception as exc:  # a full disk while the PDF (or any file) was written: the build folder is gone
            error = None if isinstance(exc, LeepError) else os_cause(exc)
            if error is None:
                raise
            raise LeepError(str(output_problem(error, out_dir))) from None


def _build_and_publish(inputs: Inputs, chosen: list[tuple[str, Path]], out_dir: Path, cache: Path,
                       notebook_dir: Path, *, pool: Workers | None, progress: bool) -> Path:
    from . import manifest, pages, paper
    from .render import pdf, workbook
    from .sources import narrative

    params, params_file = inputs.params, inputs.params_file
    appendix: Path | None = None
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
            ran = execute_all(schedule(work), notebook_parameters(params), build,
                              kernel_environment(build, cache), published, pool, report)
        finally:
            close()
        blocks = {job.section: ran[job.section].blocks for job in work}  # in pack order
        (build / "tables").mkdir(exist_ok=True)
        facts_table = check_facts(blocks)
        if params.for_committee:  # a public paper: no fact the pack withholds, nor a small count, in the facts
            facts_table = facts.withhold(facts_table.frame, blocks, threshold=params.suppression_threshold)
        tables.write_table(facts_table, build / "tables" / f"{facts.TABLE}.csv")
        write_relations(blocks, build / "tables" / audit.RELATIONS_NAME)
        synthetic = SYNTHETIC_BANNER if inputs.on_sample else ""
        # the workbook (gptables, 2 s of a sample pack) on an idle worker while this process makes the PDF
        with meanwhile(pool, workbook.write_workbook,
                       [("", facts_table), *((s, t) for s, found in blocks.items()
                                             for t in content.tables_of(found) if t.name != facts.TABLE)],
                       build / "tables.xlsx", cover=pages.facts(inputs, name), created=params.as_at):
            if params.for_committee:  # its PDF is the committee's report, and report.html the same report as a page
                paper.write(inputs, name, blocks, build, synthetic=synthetic,
                            known=facts.Facts(facts_table.frame))
            else:
                pdf.write_pdf(pdf.Cover(**pages.facts(inputs, name), synthetic=synthetic),
                              [(s, SECTIONS[s].title, found) for s, found in blocks.items()], build / pdf.PDF_NAME,
                              created=params.as_at)  # pack.pdf beside index.html (which links to it)
            pages.write_index(inputs, build, name, blocks)
        notebooks = [{"notebook": job.notebook.name, "section": job.section,
                      "title": SECTIONS[job.section].title,
                      "seconds": round(ran[job.section].seconds, 2)} for job in work]
        record = manifest.build_manifest(inputs, Path(params_file).resolve(), notebooks)
        manifest.write_manifest(build / "manifest.json", record)
        if params.for_committee:  # the attacker's sums on the published files: the pack leaves only if they fail
            check_disclosure(build, record, threshold=params.suppression_threshold)
        meeting = params.committee
        if meeting is not None and meeting.exempt_appendix:  # beside the pack, never in it: the manifest says only that
            appendix = exempt.build(inputs, name, out_dir, pack_folder(params), cache, banner=synthetic)
            record["exempt_appendix"] = exempt.MANIFEST_NOTE
            manifest.write_manifest(build / "manifest.json", record)
        # a committee pack leaves the council: its executed notebooks (every cell's output, the injected
        # parameters and papermill's paths) stay behind; the internal pack keeps them for audit
        executed = [build / "executed"] if params.for_committee else []
        for scratch in executed:
            shutil.rmtree(scratch, ignore_errors=True)
        final = out_dir / pack_folder(params)
        build.chmod(0o755)  # mkdtemp makes the folder private; a published pack is shared
        if appendix is not None:  # the exempt appendix stays private to its owner (mkdtemp's 0700)
            publish(appendix, out_dir / exempt.folder_name(pack_folder(params)))
        publish(build, final)
        stale = out_dir / exempt.folder_name(pack_folder(params))
        if appendix is None and stale.is_dir() and not stale.is_symlink():
            # an earlier build's exempt appendix belongs to the pack just replaced: left beside this one, a clerk
            # could send a confidential paper that no longer matches the public one
            try:
                shutil.rmtree(stale)
            except OSError as exc:  # said in one line: the confidential paper must not stay unnoticed
                raise LeepError(str(os_problem(exc, stale, doing="while the earlier exempt appendix was removed")))\
                    from None
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            kernels.kill()  # this process's kernel (a run of one notebook at a time) must not write on
        shutil.rmtree(build, ignore_errors=True)
        if appendix is not None:
            shutil.rmtree(appendix, ignore_errors=True)
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
    found = {s: t.written for s, bl in blocks.items() for t in content.tables_of(bl) if t.name == facts.TABLE}
    table, problems = facts.combine(found)
    problems += facts.check(blocks, table)
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise NotebookError("the pack does not agree with its facts (tables/facts.csv):\n  " + "\n  ".join(shown))
    return facts.table(table, "")


def write_relations(blocks: dict[str, list[content.Block]], path: Path) -> None:
    """``tables/relations.csv``: every table's declared linear relations (``relations``), for the audit and a
    reader checking it."""
    rows = [relations.to_row(f"{section}__{table.name}", r) for section, found in blocks.items()
            for table in content.tables_of(found) for r in table.relations]
    tables.write_csv(pd.DataFrame(rows, columns=relations.COLUMNS), path)


def check_disclosure(build: Path, record: dict, *, threshold: int) -> None:
    """Audit a committee pack's published files (``audit.audit``) and record the result in its manifest.

    Raises
    ------
    NotebookError
        A withheld figure a reader can work out, or a school's label in two tables: the first named in one
        line, with how many more.
    """
    found = audit.audit(build, threshold=threshold)
    record["disclosure_audit"] = found.to_json()
    manifest_path = build / "manifest.json"
    from . import manifest

    manifest.write_manifest(manifest_path, record)
    if not found.passed:
        more = f" (and {len(found.problems) - 1} more)" if len(found.problems) > 1 else ""
        raise NotebookError(f"the committee pack would disclose what it withholds: {found.problems[0]}{more}")


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
    problems.extend(checks.validate(inputs))
    return problems
