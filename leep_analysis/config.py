"""Paths and package-wide settings, from one place.

Nothing else in the package hard-codes a path: modules ask this one where the
project, the packaged configuration, templates and the embedded sample live.
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

#: The project checkout (holds notebooks/, params/, outputs/) when installed editable.
PROJECT_DIR = PACKAGE_DIR.parent
NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
PARAMS_DIR = PROJECT_DIR / "params"
OUTPUT_DIR = PROJECT_DIR / "outputs"

#: Environment variables the runner sets for the kernels it starts.
ENV_PACK_DIR = "LEEP_PACK_DIR"  # the pack being built (a running notebook writes its warnings log there)
ENV_CACHE_DIR = "LEEP_CACHE_DIR"  # tidy copies of loaded inputs, shared within a run
#: Where tests and benchmarks look for the real published files.
ENV_REAL_DATA = "LEEP_REAL_DATA"

SYNTHETIC_BANNER = "Synthetic sample data, not real figures."


def real_data_dir() -> Path | None:
    """The folder of real published files, or None where this machine has none."""
    candidates = [os.environ.get(ENV_REAL_DATA), PROJECT_DIR.parent / "shared" / "data" / "real"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate).resolve()
    return None


@functools.cache
def load_config(name: str) -> Any:
    """Parse a YAML file from the packaged ``config/`` folder (cached)."""
    with open(CONFIG_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
