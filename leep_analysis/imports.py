"""A start-up cost of the notebook stack that a run never needs, avoided in the run's own processes.

jsonschema, imported by nbformat (so by papermill and nbconvert), registers its ``iri`` format
checkers from ``rfc3987_syntax`` when that is installed, as it is beside JupyterLab (jupyter-events
asks for ``jsonschema[format-nongpl]``). Importing it compiles some 38 Lark grammars: 4.2 s of a
5 s ``import papermill`` on a 2-core machine, paid again by every worker that reads a notebook
(python-jsonschema/jsonschema#1428). No notebook schema uses those formats, so a run's processes
import jsonschema without them (the run's kernels too: ``kernels.WARM_UP``).
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"


def skip_unused() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process, unless jsonschema is already loaded."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault(SKIPPED, None)  # type: ignore[assignment]  # None: import raises ImportError
