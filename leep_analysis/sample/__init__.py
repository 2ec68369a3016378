"""The embedded synthetic sample: generated here, shipped in ``sample_data/``.

``write_sample`` regenerates every sample file from the synthetic world (a test
checks the shipped files still match); ``copy_sample`` gives analysts the files,
which double as templates for the LA's own registers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..config import SAMPLE_DIR
from . import budget, concerns, context, gias, lait, narrative, ofsted, performance, support, world


def write_sample(dest: str | Path, n_schools: int = 250) -> list[Path]:
    """Generate every sample input into ``dest``; return the files written."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    the_world = world.build(n_schools)
    lait.write_lait(the_world, dest)
    lait.write_neighbours(the_world, dest)
    budget.write_budget(the_world, dest)
    performance.write_performance(the_world, dest)
    support.write_support(the_world, dest)
    ofsted.write_ofsted(the_world, dest)
    gias.write_gias(the_world, dest)
    concerns.write_concerns(the_world, dest)
    context.write_context(the_world, dest)
    narrative.write_narrative(dest)
    return sorted(p for p in dest.rglob("*") if p.is_file())


def sample_names() -> list[str]:
    """The shipped sample's files, relative to its folder (what ``copy_sample`` writes)."""
    return [p.relative_to(SAMPLE_DIR).as_posix() for p in sorted(SAMPLE_DIR.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts]


def copy_sample(dest: str | Path) -> list[Path]:
    """Copy the shipped sample files (and their README) into ``dest``; a link at a file's place is replaced."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sample_names():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()  # replaced, never written through
        shutil.copyfile(SAMPLE_DIR / name, target)
        written.append(target)
    return written
