"""The pack's notebooks (this folder's ``NN_<section>.ipynb``): their ``parameters`` cells kept equal to the params model.

Run ``make sync-notebooks`` after adding a field to ``params.PeriodParams``:
every notebook's parameters cell is rewritten from the model and the default
period, and outputs are cleared.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..config import NOTEBOOK_DIR, PROJECT_DIR
from ..params import load_params, parameters_cell


def sync_parameters(notebook_dir: Path = NOTEBOOK_DIR,
                    default: Path = PROJECT_DIR / "params" / "2025-26-autumn.yaml") -> list[Path]:
    """Rewrite each notebook's parameters cell; return the notebooks changed."""
    params, _ = load_params(default)
    source = parameters_cell(params).rstrip("\n")
    changed = []
    for path in sorted(notebook_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        dirty = False
        for cell in nb.cells:
            if "parameters" in cell.get("metadata", {}).get("tags", []) and cell.source != source:
                cell.source = source
                dirty = True
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
                cell.outputs, cell.execution_count = [], None
                dirty = True
        if dirty:
            nbformat.write(nb, path)
            changed.append(path)
    return changed

