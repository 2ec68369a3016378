"""The run cache (``analyses.RunCache``): each section's analysis worked out once per run, those it uses first,
even when two notebooks need one at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from leep_analysis import analyses, registry
from leep_analysis.config import PROJECT_DIR
from leep_analysis.inputs import Inputs
from leep_analysis.params import load_params
from leep_analysis.registry import SectionSpec, run_order

PARAMS = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def fake_sections(monkeypatch, calls: list, **uses: tuple[str, ...]) -> None:
    """Sections named after the real ones (the params choose them), with the ``uses`` given and builders that
    record their calls and return what they were handed."""
    specs = {sid: SectionSpec(id=sid, title=sid, summary="", notebook=f"{sid}.ipynb", uses=uses.get(sid, ()))
             for sid in registry.SECTION_IDS}

    def builder(section):
        def work_out(inputs, **used):
            calls.append(section)
            return {"section": section, "used": used}
        return work_out

    monkeypatch.setattr(analyses, "SECTIONS", specs)
    monkeypatch.setattr(analyses, "work_out_function", builder)


def test_the_analyses_a_section_uses_are_worked_out_first_and_handed_to_it_once(monkeypatch, clean_env):
    params, _ = load_params(PARAMS)
    calls: list[str] = []
    fake_sections(monkeypatch, calls, summary=("achievement", "budget"), budget=("support",))
    run = analyses.RunCache(Inputs(params))
    summary = run.of("summary")
    assert calls == ["achievement", "support", "budget", "summary"]
    assert summary["used"]["budget"]["used"] == {"support": {"section": "support", "used": {}}}
    assert run.of("budget") is summary["used"]["budget"] and calls[-1] == "summary"  # held: not worked out again


def test_a_used_section_the_pack_does_not_have_is_not_handed(monkeypatch, clean_env):
    params, _ = load_params(PARAMS)
    calls: list[str] = []
    fake_sections(monkeypatch, calls, budget=("support",))
    alone = analyses.of(Inputs(params.model_copy(update={"sections": ["budget"]})), "budget")
    assert alone["used"] == {} and calls == ["budget"]


def test_second_notebook_loads_what_the_first_worked_out(monkeypatch, tmp_path):
    params, _ = load_params(PARAMS)
    calls: list[str] = []
    fake_sections(monkeypatch, calls)
    first = analyses.of(Inputs(params, cache_dir=tmp_path), "support")
    second = analyses.of(Inputs(params, cache_dir=tmp_path), "support")
    assert first == second and calls == ["support"]
    assert (tmp_path / "analysis-support-050.pickle").is_file()  # each LA of a batch under its own code


def test_without_a_cache_each_inputs_works_it_out(monkeypatch, clean_env):
    params, _ = load_params(PARAMS)
    calls: list[str] = []
    fake_sections(monkeypatch, calls)
    analyses.of(Inputs(params), "support")
    analyses.of(Inputs(params), "support")
    assert calls == ["support", "support"]


def test_two_notebooks_at_once_work_it_out_once(tmp_path):
    # two kernels need the same slow analysis at the same moment: one works it out (0.5 s), the other waits
    # for it and loads it; each records in builds.txt that it worked it out, and prints what it got
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from leep_analysis import analyses
        from leep_analysis.inputs import Inputs
        from leep_analysis.params import load_params
        params, _ = load_params({str(PARAMS)!r})
        cache = Path(sys.argv[1])
        def work_out(inputs):
            with open(cache.parent / "builds.txt", "a") as log:
                log.write(sys.argv[2] + "\\n")
            time.sleep(0.5)
            return "built by " + sys.argv[2]
        analyses.work_out_function = lambda section: work_out
        while not (cache.parent / "go").exists():
            time.sleep(0.01)
        print(analyses.of(Inputs(params, cache_dir=cache), "achievement"))
    """)
    cache = tmp_path / "cache"
    runs = [subprocess.Popen([sys.executable, "-c", code, str(cache), name], stdout=subprocess.PIPE, text=True)
            for name in ("a", "b")]
    (tmp_path / "go").touch()
    said = [run.communicate(timeout=60)[0].strip() for run in runs]
    builders = (tmp_path / "builds.txt").read_text().split()
    assert len(builders) == 1
    assert said == [f"built by {builders[0]}"] * 2


def test_run_order_puts_each_section_after_those_it_uses():
    assert run_order(registry.SECTION_IDS) == ["achievement", "inspections", "support", "budget", "concerns", "summary"]
    assert run_order(["budget", "summary", "achievement"]) == ["achievement", "budget", "summary"]
    loop = {"a": SectionSpec(id="a", title="", summary="", notebook="a", uses=("b",)),
            "b": SectionSpec(id="b", title="", summary="", notebook="b", uses=("a",))}
    with pytest.raises(ValueError, match="in a loop: a, b"):
        run_order(["a", "b"], loop)


def test_the_runner_executes_in_the_registrys_order():
    from leep_analysis.execution import Job, schedule

    jobs = [Job(s, None, None, None, None) for s in registry.SECTION_IDS]  # type: ignore[arg-type]
    assert [j.section for j in schedule(jobs)] == run_order(registry.SECTION_IDS)


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
