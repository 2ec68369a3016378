"""Shared fixtures: the real-data folder, params files, and packs built once per test run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR, real_data_dir

FIXTURES = Path(__file__).parent / "fixtures"
PARAMS = PROJECT_DIR / "params"
#: fixtures that are whole packs: a test using one is marked ``pack`` (``make test-fast`` leaves it out)
PACK_FIXTURES = {"default_pack", "spring_pack", "spring_after_autumn"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by what a test uses, so ``-m`` selects correctly whether or not its author marked it:
    a test reading the real files is ``real_data``, one reading a shared pack is ``pack``."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if "real" in used:
            item.add_marker(pytest.mark.real_data)
        if used & PACK_FIXTURES:
            item.add_marker(pytest.mark.pack)


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
        base = yaml.safe_load((PARAMS / "2025-26-autumn.yaml").read_text())
        base.update(overrides)
        return write_params(tmp_path / name, **base)

    return make


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """The pack ``build(out)`` makes, built once per test run however many xdist workers ask for it.

    Each worker's temporary folder is a child of the run's, so the run's is shared: the first
    worker to take the pack's lock builds it there and writes down where it is; the others wait
    for the lock and read that. A failed build is written down too, so it fails every test that
    needs it without being tried again in each worker. Tests read a shared pack, never change it
    (copy it first, as ``test_failing_notebook_leaves_earlier_pack`` does).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    shared = root / "shared-packs"
    shared.mkdir(exist_ok=True)
    done, failed = shared / f"{name}.path", shared / f"{name}.failed"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists() and not failed.exists():
            try:
                done.write_text(str(build(shared / name)), encoding="utf-8")
            except Exception as exc:
                failed.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
                raise
    if failed.exists():
        pytest.fail(f"the {name} pack failed to build (in another worker): {failed.read_text()}", pytrace=False)
    return Path(done.read_text(encoding="utf-8"))


def _run_pack(params_file: Path, out: Path) -> Path:
    from leep_analysis.runner import run_pack

    return run_pack(params_file, out, jobs=2, progress=False).parent


@pytest.fixture(scope="session")
def default_pack(tmp_path_factory) -> Path:
    """The default period's pack on the embedded sample (autumn, internal, every section)."""
    return built_once(tmp_path_factory, "default", lambda out: _run_pack(PARAMS / "2025-26-autumn.yaml", out))


@pytest.fixture(scope="session")
def spring_pack(tmp_path_factory) -> Path:
    """The spring committee pack on the embedded sample, alone in its folder (no previous pack)."""
    return built_once(tmp_path_factory, "spring", lambda out: _run_pack(PARAMS / "2025-26-spring.yaml", out))


@pytest.fixture(scope="session")
def spring_after_autumn(default_pack, tmp_path_factory) -> Path:
    """The spring pack built into a folder holding the published autumn pack (``default_pack``)."""

    def build(out: Path) -> Path:
        shutil.copytree(default_pack, out / default_pack.name)
        return _run_pack(PARAMS / "2025-26-spring.yaml", out)

    return built_once(tmp_path_factory, "spring-after-autumn", build)


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
            source = NOTEBOOK_DIR / name
        shutil.copyfile(source, dest / name)
    return dest


def real_committee_params(real: Path, dest: Path, la_code: str) -> Path:
    """A committee pack's params of an LA's inspections as at 31 May 2015, on Ofsted's real monthly files."""
    snapshots = [{"path": str(p), "as_at": p.parent.name} for p in sorted((real / "ofsted_mi_monthly").glob("*/*"))]
    return write_params(dest, period="2014-15-summer", la_code=la_code, as_at="2015-05-31",
                        audience="committee", sections=["inspections"], data={
                            "ofsted_mi": snapshots, "neighbours": str(real / "lait" / "sn_may_2025.xlsx"),
                            "establishments": str(real / "gias" / "2021-12-31" / "edubaseallacademiesandfree.csv"),
                            "establishment_links": str(real / "gias" / "2026-08-21" / "links_edubasealldata.csv")})
