"""The manifest: what produced a pack, for audit and peer review (RAP habit).

Records the params, every input file with its size and SHA-256, each input's
freshness (as-at date, latest data, next release due: ``freshness``), the package
and library versions, the notebooks run and how long each took.
"""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from . import freshness
from .config import IN_CHECKOUT, PROJECT_DIR
from .inputs import Inputs, describe_files, published_path
from .params import SAMPLE, notebook_parameters

LIBRARIES = ["leep-analysis", "pandas", "numpy", "pyarrow", "matplotlib", "papermill",
             "nbconvert", "nbformat", "ipykernel", "pydantic", "pandera", "openpyxl", "python-calamine", "scipy"]


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git_commit() -> dict[str, Any] | None:
    """The project's commit, and whether the working tree differed from it; None for an installed package
    (whose folder may sit inside some other repository: its commit is not this package's)."""
    if not IN_CHECKOUT:
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_DIR,
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "uncommitted_changes": bool(dirty)}


def _published_params(inputs: Inputs) -> dict[str, Any]:
    """The params as run, each input path as the pack names it (``inputs.published_path``)."""
    values = notebook_parameters(inputs.params)
    for key, value in values["data"].items():
        if isinstance(value, list):
            values["data"][key] = [{**f, "path": published_path(Path(f["path"]), inputs)} for f in value]
        elif value != SAMPLE:
            values["data"][key] = published_path(Path(value), inputs)
    if values.get("previous_pack"):
        values["previous_pack"] = f"../{Path(values['previous_pack']).name}"  # a sibling of this pack's folder
    return values


def build_manifest(inputs: Inputs, params_file: Path, notebooks: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest as a JSON-ready dict."""
    return {
        "params_file": params_file.name,
        "params": _published_params(inputs),
        "synthetic_sample": inputs.uses_sample(),
        "inputs": describe_files(inputs),
        "freshness": freshness.records(inputs),
        "software": {
            "python": platform.python_version(),
            **{name: _version(name) for name in LIBRARIES},
        },
        "source": _git_commit(),
        "notebooks": notebooks,
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
