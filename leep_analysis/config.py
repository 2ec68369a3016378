"""Paths and package-wide settings, from one place.

Nothing else in the package hard-codes a path: modules ask this one where the
packaged notebooks, configuration, templates and embedded sample live, and where
``leep`` writes unless told. An installed wheel works as a checkout does: what the
package reads ships inside it, and what it writes goes where it is told or into
the current folder.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_DIR = PACKAGE_DIR / "config"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
SAMPLE_DIR = PACKAGE_DIR / "sample_data"
#: The pack's notebooks, shipped inside the package
NOTEBOOK_DIR = PACKAGE_DIR / "notebooks"

#: The project checkout (pyproject.toml, params/, tests/, docs/) when installed editable from one;
#: tests, benchmarks and developer tools read it. An installed wheel has none (IN_CHECKOUT False).
PROJECT_DIR = PACKAGE_DIR.parent
IN_CHECKOUT = (PROJECT_DIR / "pyproject.toml").is_file()

#: Where ``leep new-period`` writes and ``leep run`` builds unless told (``--dir``, ``--out``): the
#: current folder's params/ and outputs/, for an installed package as in a checkout (where make runs).
PARAMS_DIR = Path("params")
OUTPUT_DIR = Path("outputs")

#: Environment variables the runner sets for the kernels it starts.
ENV_PACK_DIR = "LEEP_PACK_DIR"  # the pack being built (a running notebook writes its warnings log there)
ENV_CACHE_DIR = "LEEP_CACHE_DIR"  # tidy copies of loaded inputs, shared within a run
#: Where tests and benchmarks look for the real published files.
ENV_REAL_DATA = "LEEP_REAL_DATA"

SYNTHETIC_BANNER = "Synthetic sample data, not real figures."


def real_data_dir() -> Path | None:
    """The folder of real published files (``LEEP_REAL_DATA``, or ``../shared/data/real`` beside the
    checkout), or None where this machine has none."""
    beside = PROJECT_DIR.parent / "shared" / "data" / "real" if IN_CHECKOUT else None
    candidates = [os.environ.get(ENV_REAL_DATA), beside]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate).resolve()
    return None


@functools.cache
def load_config(name: str) -> Any:
    """Parse a YAML file from the packaged ``config/`` folder (cached).

    With libyaml's safe loader where PyYAML has it (the same result, in a tenth of the time: every run's process
    and kernel loads these files).
    """
    with open(CONFIG_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
