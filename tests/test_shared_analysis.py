"""Analyses shared between a run's notebooks: worked out once, even when two notebooks need one at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from leep_analysis.config import ENV_CACHE_DIR, PROJECT_DIR
from leep_analysis.inputs import Inputs
from leep_analysis.params import load_params

PARAMS = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def test_second_notebook_loads_what_the_first_worked_out(tmp_path):
    params, _ = load_params(PARAMS)
    calls = []
    first = Inputs(params, cache_dir=tmp_path).shared("x", lambda: calls.append(1) or {"value": 41})
    second = Inputs(params, cache_dir=tmp_path).shared("x", lambda: calls.append(2) or {"value": 0})
    assert first == second == {"value": 41} and calls == [1]


def test_without_a_cache_each_inputs_works_it_out(monkeypatch):
    monkeypatch.delenv(ENV_CACHE_DIR, raising=False)
    params, _ = load_params(PARAMS)
    calls = []
    Inputs(params).shared("x", lambda: calls.append(1))
    Inputs(params).shared("x", lambda: calls.append(2))
    assert calls == [1, 2]


def test_two_notebooks_at_once_work_it_out_once(tmp_path):
    # two kernels need the same slow analysis at the same moment: one works it out (0.5 s), the other waits
    # for it and loads it; each records in builds.txt that it worked it out, and prints what it got
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from leep_analysis.inputs import Inputs
        from leep_analysis.params import load_params
        params, _ = load_params({str(PARAMS)!r})
        cache = Path(sys.argv[1])
        def build():
            with open(cache.parent / "builds.txt", "a") as log:
                log.write(sys.argv[2] + "\\n")
            time.sleep(0.5)
            return "built by " + sys.argv[2]
        while not (cache.parent / "go").exists():
            time.sleep(0.01)
        print(Inputs(params, cache_dir=cache).shared("slow", build))
    """)
    cache = tmp_path / "cache"
    runs = [subprocess.Popen([sys.executable, "-c", code, str(cache), name], stdout=subprocess.PIPE, text=True)
            for name in ("a", "b")]
    (tmp_path / "go").touch()
    said = [run.communicate(timeout=60)[0].strip() for run in runs]
    builders = (tmp_path / "builds.txt").read_text().split()
    assert len(builders) == 1
    assert said == [f"built by {builders[0]}"] * 2


def test_a_kernel_that_died_while_starting_is_started_once_more_and_nothing_else_is_retried():
    from leep_analysis.kernels import KERNEL_START_FAILED, with_start_retry

    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(KERNEL_START_FAILED)

    with_start_retry(flaky)
    assert len(calls) == 2

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("Kernel died")

    calls.clear()
    with pytest.raises(RuntimeError, match="Kernel died"):
        with_start_retry(broken)
    assert len(calls) == 1
