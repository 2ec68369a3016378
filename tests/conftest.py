"""Shared fixtures: the real-data folder, params files, and packs built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from leep_analysis.config import PROJECT_DIR, real_data_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def real() -> Path:
    """The folder of real published files; tests using it skip only where it is absent."""
    folder = real_data_dir()
    if folder is None:
        pytest.skip("real published files not found (../shared/data/real or LEEP_REAL_DATA)")
    return folder


def write_params(path: Path, **values) -> Path:
    """Write a params file; dates and nested values as YAML."""
    path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def params_file(tmp_path: Path):
    """Factory: ``params_file(name, **overrides)`` writes a params file based on the default period."""

    def make(name: str = "period.yaml", **overrides) -> Path:
        base = yaml.safe_load((PROJECT_DIR / "params" / "2025-26-autumn.yaml").read_text())
        base.update(overrides)
        return write_params(tmp_path / name, **base)

    return make


@pytest.fixture(scope="session")
def default_pack(tmp_path_factory) -> Path:
    """The default period's pack on the embedded sample, built once for the session."""
    from leep_analysis.runner import run_pack

    out = tmp_path_factory.mktemp("packs")
    index = run_pack(PROJECT_DIR / "params" / "2025-26-autumn.yaml", out, jobs=2, progress=False)
    return index.parent


@pytest.fixture
def clean_env(monkeypatch):
    """No pack or cache folders leaking in from the environment."""
    for name in ("LEEP_PACK_DIR", "LEEP_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return os.environ


def copy_notebooks(dest: Path, *names: str) -> Path:
    """A notebook folder holding copies of the project's notebooks and named fixtures."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = FIXTURES / "notebooks" / name
        if not source.exists():
            source = PROJECT_DIR / "notebooks" / name
        shutil.copyfile(source, dest / name)
    return dest
