"""The notebooks in JupyterLab: a working copy with a period's parameters in place, styled as the pack.

``leep lab PARAMS.yaml`` copies the period's notebooks (and ``explore.ipynb``) into a folder of the
analyst's own and injects the parameters a run would give them, with papermill's own
``parameterize_notebook``: the packaged notebooks are never changed, and a copy reads as the
executed notebook in the pack does (the ``parameters`` cell, then papermill's
``injected-parameters`` cell). Then JupyterLab starts there.

In JupyterLab a section's first output is the house stylesheet (``lab_css``), scoped to notebook
content, so tiles, badges and tables look as they do on the pack's pages.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import NOTEBOOK_DIR, OUTPUT_DIR, TEMPLATE_DIR
from .errors import InputError, Problem

#: JupyterLab's class on rendered markdown and on HTML outputs: the house rules apply inside it only.
SCOPE = ".jp-RenderedHTMLCommon"
#: The notebook an analyst starts from with a question the pack does not answer (not a page of the pack).
EXPLORE = "explore.ipynb"
#: The injected cell's id in a copy, fixed (as ``export.normalise`` fixes it in a pack), not random.
INJECTED_ID = "injected-parameters"
#: JupyterLab's own rules for tables in rendered HTML (stripes, a hover colour, centring, a fixed layout,
#: right-aligned cells) that the pack's tables must not take: the page has none of them.
LAB_ONLY = f"""
{SCOPE} table.leep-table {{ table-layout: auto; margin: 0; color: var(--text); font-size: .9rem; }}
{SCOPE} table.leep-table tbody tr, {SCOPE} table.leep-table tbody tr:nth-child(odd),
{SCOPE} table.leep-table tbody tr:nth-child(even), {SCOPE} table.leep-table tbody tr:hover {{ background: transparent; }}
{SCOPE} table.leep-table th, {SCOPE} table.leep-table td {{ line-height: 1.45; max-width: none; }}
{SCOPE} table.leep-table thead {{ border-bottom: 0; }}
{SCOPE} .leep-tiles, {SCOPE} .leep-tile {{ color: var(--text); }}
"""


@functools.cache
def lab_css() -> str:
    """The house stylesheet (``templates/leep.css``) for JupyterLab: every rule scoped to notebook content.

    The page's own rules (``html``, ``body``, the page header's and nbconvert's wrappers', print) are
    left out, so JupyterLab's interface keeps its look; ``:root``'s colours are set on the scope.
    tinycss2 (a dependency of nbconvert's sanitiser) splits the rules, rather than a pattern
    that would break on a nested ``@media`` block.
    """
    import tinycss2

    css = (TEMPLATE_DIR / "leep.css").read_text(encoding="utf-8")
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":  # @media print: JupyterLab is not printed as the pack is
            continue
        selectors = []
        for selector in tinycss2.serialize(rule.prelude).split(","):
            selector = " ".join(selector.split())
            if selector == ":root":
                selectors.append(SCOPE)
            elif selector not in ("html", "body") and ".jp-" not in selector:
                selectors.append(f"{SCOPE} {selector}")
        if selectors:
            rules.append(f"{', '.join(selectors)} {{{tinycss2.serialize(rule.content).strip()}}}")
    return "\n".join(rules) + LAB_ONLY


@dataclass(frozen=True)
class Copy:
    """A working copy: its folder and the notebooks written there, in pack order (``explore.ipynb`` last)."""

    folder: Path
    notebooks: list[Path]


def default_folder(period: str) -> Path:
    """Where ``leep lab`` copies the notebooks unless told: ``./lab-<period>``."""
    return Path(f"lab-{period}")


def prepare(params_file: str | Path, folder: str | Path | None = None, *, out_dir: str | Path = OUTPUT_DIR,
            force: bool = False, notebook_dir: Path = NOTEBOOK_DIR) -> Copy:
    """Copy the period's notebooks into ``folder`` with its parameters injected, as ``leep run`` injects them.

    The params are validated first (``runner.load_period``, and the sample-or-real rule); data paths
    are made absolute, and the previous pack is looked for in ``out_dir`` as ``leep run --out`` would,
    so the values are exactly those papermill is given in a run. The packaged notebooks are read,
    never written.

    Raises
    ------
    InputError
        The params file is invalid, or ``folder`` already holds files (and ``force`` is not set), or
        is a file.
    """
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from .params import notebook_parameters
    from .publishing import out_path
    from .runner import attach_previous, load_period, notebooks_for

    params_file = Path(params_file)
    inputs = load_period(params_file)
    problems = [p for p in inputs.coverage() if not p.warning]
    if problems:
        raise InputError(problems)
    params = attach_previous(inputs.params, out_path(out_dir), params_file.resolve().parent)  # as run_pack does
    folder = Path(folder) if folder is not None else default_folder(params.period)
    if folder.exists() and not folder.is_dir():
        raise InputError(Problem(str(folder), "is a file, not a folder; choose another --dir"))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError(Problem(str(folder), "already exists; open it with 'jupyter lab', choose another --dir, "
                                              "or add --force to overwrite its notebooks"))
    sources = [path for _, path in notebooks_for(params, notebook_dir)]
    if (notebook_dir / EXPLORE).exists():
        sources.append(notebook_dir / EXPLORE)
    parameters = notebook_parameters(params)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        nb = load_notebook_node(str(source))  # as papermill reads a notebook it runs
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        for cell in nb.cells:
            if INJECTED_ID in cell.metadata.tags:
                cell["id"] = INJECTED_ID
            for key in ("tags", "papermill"):  # papermill gives every cell both, mostly empty
                if not cell.metadata.get(key, True):
                    del cell.metadata[key]
        dest = folder / source.name
        nbformat.write(nb, dest)
        written.append(dest)
    return Copy(folder, written)


def lab_available() -> bool:
    """Whether JupyterLab is installed beside the package (it is in the ``dev`` extra)."""
    return importlib.util.find_spec("jupyterlab") is not None


def start(folder: Path, *, browser: bool = True, extra: Sequence[str] = ()) -> None:
    """Replace this process with JupyterLab on ``folder`` (so Ctrl-C, or stopping this process, stops Lab).

    A fresh interpreter, not this one: ``leep`` trims the notebook stack's imports (``imports``) for a
    run, and Lab should have all of its own.
    """
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder.resolve()}"]
    if not browser:
        argv.append("--no-browser")
    argv += list(extra)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
