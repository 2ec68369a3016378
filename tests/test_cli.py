"""The leep command: exit status 2 and one line on stderr for every problem, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leep_analysis.config import PROJECT_DIR, SAMPLE_DIR


def leep(*args: str, cwd=PROJECT_DIR) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leep_analysis", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_validate_default_period():
    result = leep("validate", "params/2025-26-autumn.yaml")
    assert result.returncode == 0, result.stderr
    assert "params and inputs are valid" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"audiance": "internal"}, "key 'audiance': unknown key 'audiance' (did you mean 'audience'?)"),
        ({"la_code": "999"}, "key 'la_code': LA code 999 is not in this benchmark file"),
        ({"data": {"neighbours": "nowhere.xlsx"}}, "nowhere.xlsx, key 'data.neighbours': file not found"),
    ],
)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_problems_are_one_line_exit_2(params_file, tmp_path, command, overrides, expected):
    path = params_file(**overrides)
    args = [command, str(path)] + (["--out", str(tmp_path / "out"), "--no-progress"] if command == "run" else [])
    result = leep(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    if command == "run":
        assert len(lines) == 1, "run reports in one line"
    assert all(line.startswith("leep: error: ") for line in lines), "validate lists every problem, one a line"
    assert any(expected in line for line in lines)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_debug_shows_traceback(params_file):
    result = leep("--debug", "run", str(params_file(audiance="x")), "--no-progress")
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_sample_data_writes_templates(tmp_path):
    result = leep("sample-data", str(tmp_path / "sample"))
    assert result.returncode == 0, result.stderr
    written = {p.name for p in (tmp_path / "sample").rglob("*") if p.is_file()}
    shipped = {p.name for p in SAMPLE_DIR.rglob("*") if p.is_file()}
    assert written == shipped and "lait.parquet" in written


@pytest.mark.slow
def test_new_period(tmp_path):
    result = leep("new-period", "2026-27-spring", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "2026-27-spring.yaml").read_text()
    assert "period: 2026-27-spring" in text and "as_at: 2027-03-31" in text
    assert leep("validate", str(tmp_path / "2026-27-spring.yaml")).returncode == 0
    again = leep("new-period", "2026-27-spring", "--dir", str(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert leep("new-period", "2026-spring").returncode == 2
