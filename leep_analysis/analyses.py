"""The run cache: each section's analysis worked out once per run, the analyses it uses first.

A section's analysis may read others' (``uses`` in ``config/sections.yaml``: the summary reads
every chosen section's, budget reads support's). ``RunCache.of`` works a section's analysis out
by calling its ``work_out`` (``sections/<id>/analysis.py``) with the inputs and, by name, the
analyses of the sections it uses that the pack has, each got the same way first. A run's
notebooks run in separate kernels, in parallel (``--jobs``): each analysis is kept in the run's
cache folder, under a lock, so the first kernel to need it works it out and every other loads
it, or waits for it while it is being worked out. The runner executes the notebooks in the
order these dependencies give (``registry.run_order``), so a kernel seldom waits.
"""

from __future__ import annotations

import importlib
import os
import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import workspace
from .registry import SECTIONS, SHARED

if TYPE_CHECKING:
    from .inputs import Inputs


def work_out_function(section: str) -> Callable[..., Any]:
    """A section's ``work_out(inputs, **used)``: ``leep_analysis.sections.<id>.analysis.work_out``; a shared
    analysis's (``registry.SHARED``): ``leep_analysis.<module>.work_out``."""
    if section in SHARED:
        return importlib.import_module(f"leep_analysis.{SHARED[section].module}").work_out
    return importlib.import_module(f"leep_analysis.sections.{section}.analysis").work_out


def of(inputs: Inputs, section: str) -> Any:
    """A section's analysis for the run of ``inputs``: worked out once (its dependencies first), then read."""
    return RunCache(inputs).of(section)


class RunCache:
    """The section analyses of one run of one LA's pack (``analyses.of``).

    Held by the ``Inputs`` every notebook opens, and kept in the run's cache folder
    (``Inputs.cache_dir``, one per run; a batch's LAs share it, each under its LA code):
    without a cache folder (a unit test, an analyst's session) each ``Inputs`` works
    its analyses out itself, once.
    """

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self._held = inputs.analyses_held  # what this Inputs has worked out or loaded, by section

    def of(self, section: str) -> Any:
        """A section's analysis: worked out once per run, after the analyses it uses that the pack has."""
        if section not in self._held:
            chosen = self.inputs.params.sections
            uses = SECTIONS[section].uses if section in SECTIONS else ()
            used = {name: self.of(name) for name in uses if name in chosen or name in SHARED}
            self._held[section] = self._kept(section, lambda: work_out_function(section)(self.inputs, **used))
        return self._held[section]

    def _kept(self, section: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per run: loaded from the cache folder when a notebook has already saved it."""
        folder = self.inputs.cache_dir
        if folder is None:
            return build()
        path = folder / f"analysis-{section}-{self.inputs.params.la_code}.pickle"  # a batch's LAs share the folder
        path.parent.mkdir(parents=True, exist_ok=True)
        # one notebook works it out, the others wait (without fcntl, on Windows, each may work it out)
        with workspace.lock(path.with_suffix(".lock")):
            if path.exists():
                with open(path, "rb") as handle:
                    return pickle.load(handle)  # noqa: S301 - written by this run
            value = build()
            scratch = path.with_suffix(f".{os.getpid()}.tmp")
            with open(scratch, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(scratch, path)  # atomic: a notebook reading it never sees half a file
            return value
