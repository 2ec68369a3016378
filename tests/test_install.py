"""An installed package works: a wheel built from this checkout, installed (not editable) into a fresh
virtual environment, builds the sample pack with ``leep new-period`` and ``leep run`` from a folder
outside the checkout. Its dependencies come from PyPI (or pip's cache), as an analyst's would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leep_analysis.config import PROJECT_DIR, SYNTHETIC_BANNER

pytestmark = [pytest.mark.pack, pytest.mark.slow]

#: what a wheel is built from (a copy, so that no build/ of an earlier build, whose stale files setuptools
#: would pack, is used or left in the checkout)
SOURCE = ("pyproject.toml", "README.md", "leep_analysis")


def run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}"
    return done


def test_a_wheel_installed_outside_the_checkout_builds_the_sample_pack(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCE:
        if (PROJECT_DIR / name).is_dir():
            shutil.copytree(PROJECT_DIR / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(PROJECT_DIR / name, source / name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("LEEP_")}
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", source, "-w", tmp_path / "dist"],
        tmp_path, env, 600)
    wheel = next((tmp_path / "dist").glob("leep_analysis-*.whl"))

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path, env, 300)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"  # as `activate` would
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], tmp_path, env, 1200)
    where = run([venv / "bin" / "python", "-c", "import leep_analysis; print(leep_analysis.__file__)"],
                tmp_path, env, 60).stdout.strip()
    assert Path(where).is_relative_to(venv), f"leep_analysis imported from {where}, not the installed wheel"

    work = tmp_path / "analyst"  # any folder: params/ and outputs/ are made in it
    work.mkdir()
    leep = venv / "bin" / "leep"
    assert run([leep, "new-period", "2025-26-spring"], work, env, 120).stdout.strip() == "params/2025-26-spring.yaml"
    printed = run([leep, "run", "params/2025-26-spring.yaml", "--no-progress"], work, env, 900).stdout.strip()
    pack = work / "outputs" / "050-2025-26-spring"
    assert printed == str(pack / "index.html")
    for name in ("summary", "achievement", "inspections", "support", "budget", "concerns"):
        page = (pack / f"{name}.html").read_text(encoding="utf-8")
        assert SYNTHETIC_BANNER in page and "Traceback" not in page, name
    assert (pack / "tables.xlsx").exists() and (pack / "manifest.json").exists()
    assert list((pack / "tables").glob("*.csv"))
