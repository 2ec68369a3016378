"""environment.yml installs from pyproject.toml; the sample shipped matches its generator."""

from __future__ import annotations

import tomllib

import pandas as pd
import yaml

from leep_analysis.config import PROJECT_DIR, SAMPLE_DIR
from leep_analysis.sample import write_sample


def test_environment_yml_installs_the_project():
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    assert "conda-forge" in env["channels"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]
    assert pip == ["-e .[dev]"], "pip installs the project itself, so pyproject.toml stays the one list"
    assert set(conda) == {python, "pip"}, "no second list of dependencies in environment.yml"


def test_shipped_sample_matches_generator(tmp_path):
    written = {p.relative_to(tmp_path).as_posix() for p in write_sample(tmp_path)}
    shipped = {p.relative_to(SAMPLE_DIR).as_posix() for p in SAMPLE_DIR.rglob("*") if p.is_file() and p.name != "README.md"}
    assert written == shipped
    for name in sorted(written):
        fresh, ours = tmp_path / name, SAMPLE_DIR / name
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(fresh), pd.read_parquet(ours))
        elif name.endswith(".xlsx"):
            for sheet in pd.ExcelFile(ours, engine="calamine").sheet_names:
                pd.testing.assert_frame_equal(pd.read_excel(fresh, sheet, header=None, engine="calamine"), pd.read_excel(ours, sheet, header=None, engine="calamine"))
        else:
            assert fresh.read_bytes() == ours.read_bytes(), name
