"""A batch of LAs (``leep run --las``): each pack as its single run builds it, failures kept apart, the overview."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
import yaml

# the benchmark's params for the real files, so that the test checks what the benchmark measures
from benchmarks.batch import real_params
from leep_analysis import workspace
from leep_analysis.batch import check_batchable, run_batch, select_las
from leep_analysis.cli import main
from leep_analysis.config import PROJECT_DIR
from leep_analysis.errors import InputError
from leep_analysis.runner import load_period, run_pack

from .conftest import copy_notebooks, write_params

pytestmark = pytest.mark.pack
SAMPLE_BATCH = {"period": "2025-26-autumn", "la_code": "050", "audience": "internal", "as_at": "2025-12-31",
                "previous_as_at": "2025-08-31", "sections": ["achievement", "inspections"]}


def pack_bytes(folder: Path) -> dict[str, str]:
    """Every published file's SHA-256; the manifest without the notebooks' timings; not the executed
    notebooks (papermill stamps each cell's start and end time in them)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or name.startswith("executed/"):
            continue
        data = path.read_bytes()
        if name == "manifest.json":
            manifest = json.loads(data)
            for notebook in manifest["notebooks"]:
                notebook.pop("seconds")
            data = json.dumps(manifest, sort_keys=True).encode()
        out[name] = hashlib.sha256(data).hexdigest()
    return out


@pytest.mark.real_data
def test_two_real_las_batch_equals_their_single_runs_byte_for_byte(real, tmp_path):
    params = tmp_path / "params" / "autumn.yaml"
    params.parent.mkdir()
    singles = {}
    for code in ("855", "856"):  # the same params file, its la_code set, as an analyst would run it
        real_params(real, params, code)
        singles[code] = run_pack(params, tmp_path / "single", jobs=2, progress=False).parent
    real_params(real, params, "855")
    # one worker: Leicester's pack is built in the kernel that has just built Leicestershire's
    batch = run_batch(params, "855,856", tmp_path / "batch", jobs=1, progress=False)
    assert batch.failed == {}
    for code, single in singles.items():
        built = batch.built[code]
        assert built.name == single.name == f"{code}-2025-26-autumn"
        expected, got = pack_bytes(single), pack_bytes(built)
        assert {"pack.pdf", "tables.xlsx", "achievement.html", "inspections.html", "index.html"} <= set(got)
        assert got == expected, [name for name in expected if got.get(name) != expected[name]]

    # the overview, against the raw LAIT file: KS2 reading, writing and maths 2025, ranked among the 151 LAs
    # with a figure (7 LAs show '-'): Leicestershire 63% (63rd), Leicester 60% (101st), checked in pandas
    table = pd.read_csv(batch.overview.parent / "overview.csv", dtype={"la_code": str}).set_index("la_code")
    ks2 = "achievement_KS2RWM_Expected_STD"
    assert table.loc["855", [ks2, f"{ks2}_rank", f"{ks2}_of"]].tolist() == [63.0, 63.0, 151.0]
    assert table.loc["856", [ks2, f"{ks2}_rank", f"{ks2}_of"]].tolist() == [60.0, 101.0, 151.0]
    # Ofsted, May 2015: Leicestershire 86.0% of its graded schools good or better (April 2013: 83.6%)
    good = "inspections_good_or_better"  # the measure's key, its figure from the pack's facts
    assert table.loc["855", [good, f"{good}_trend"]].tolist() == [86.0, "improving"]
    page = batch.overview.read_text(encoding="utf-8")
    assert '<a href="../855-2025-26-autumn/index.html">Leicestershire</a>' in page
    assert '<a href="../856-2025-26-autumn/index.html">Leicester</a>' in page

    # next term, into the same folders: each LA's autumn pack is its previous pack, in a batch as in a single run
    term = {"period": "2025-26-spring", "as_at": "2026-03-31", "previous_as_at": "2025-12-31"}
    spring = params.with_name("spring.yaml")
    for code in ("855", "856"):
        fields = yaml.safe_load(real_params(real, spring, code).read_text(encoding="utf-8"))
        spring.write_text(yaml.safe_dump({**fields, **term}, sort_keys=False), encoding="utf-8")
        singles[code] = run_pack(spring, tmp_path / "single", jobs=2, progress=False).parent
    batch = run_batch(spring, "855,856", tmp_path / "batch", jobs=1, progress=False)
    assert batch.failed == {}
    for code, single in singles.items():
        built = batch.built[code]
        assert built.name == single.name == f"{code}-2025-26-spring"
        manifest = json.loads((built / "manifest.json").read_text())
        assert manifest["params"]["previous_pack"] == f"../{code}-2025-26-autumn"
        expected, got = pack_bytes(single), pack_bytes(built)
        assert got == expected, [name for name in expected if got.get(name) != expected[name]]


def test_a_failing_la_is_reported_and_the_others_published(tmp_path):
    notebooks = copy_notebooks(tmp_path / "nb", "01_achievement.ipynb", "02_inspections.ipynb")
    nb = json.loads((notebooks / "01_achievement.ipynb").read_text())
    nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": "planted",
                        "source": "import os\nif la_code == '004':\n    raise ValueError('planted failure for LA 004 in ' + os.getcwd())"})
    (notebooks / "01_achievement.ipynb").write_text(json.dumps(nb))
    params = write_params(tmp_path / "batch.yaml", **SAMPLE_BATCH)
    # one worker, the failing LA first: its kernel goes on to build the next LA's pack
    batch = run_batch(params, "004,050", tmp_path / "out", jobs=1, progress=False, notebook_dir=notebooks)
    assert set(batch.built) == {"050"}
    # the reason names the build folder as the pack names it, never by this machine's path
    assert batch.failed["004"].startswith("01_achievement.ipynb failed at cell 26: ValueError: planted failure for "
                                          "LA 004 in ./.building-004-2025-26-autumn-")
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["050-2025-26-autumn", "overview-2025-26-autumn"]
    assert (out / "050-2025-26-autumn" / "index.html").exists()
    page = (out / "overview-2025-26-autumn" / "index.html").read_text(encoding="utf-8")
    assert "Synthetic LA 004 (LA 004): 01_achievement.ipynb failed at cell 26" in page and str(tmp_path) not in page
    assert pd.read_csv(out / "overview-2025-26-autumn" / "overview.csv", dtype=str)["la_code"].tolist() == ["050"]


def test_an_la_that_kills_its_worker_fails_alone(tmp_path):
    notebooks = copy_notebooks(tmp_path / "nb", "01_achievement.ipynb")
    nb = json.loads((notebooks / "01_achievement.ipynb").read_text())
    nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": "planted",
                        "source": "import os, signal\nif la_code == '004':\n    os.kill(os.getppid(), signal.SIGKILL)"})
    (notebooks / "01_achievement.ipynb").write_text(json.dumps(nb))
    params = write_params(tmp_path / "batch.yaml", **{**SAMPLE_BATCH, "sections": ["achievement"]})
    # LA 004's notebook kills the worker building it (as the kernel killer would): the pool breaks, taking
    # whatever the other worker was building with it; each is built again alone
    batch = run_batch(params, "004,050,001", tmp_path / "out", jobs=2, progress=False, notebook_dir=notebooks)
    assert sorted(batch.built) == ["001", "050"]
    assert batch.failed == {"004": "its worker stopped while building it (killed, or out of memory?)"}
    assert (tmp_path / "out" / "050-2025-26-autumn" / "index.html").exists()


def test_the_command_names_each_failed_la_and_exits_2(tmp_path, capsys):
    params = write_params(tmp_path / "batch.yaml", **{**SAMPLE_BATCH, "sections": ["inspections"]})
    code = main(["run", str(params), "--las", "050", "--out", str(tmp_path / "out"), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == str(tmp_path / "out" / "overview-2025-26-autumn" / "index.html")
    with workspace.pack_lock(tmp_path / "out", "050-2025-26-autumn"):  # another run is building LA 050's pack
        code = main(["run", str(params), "--las", "050", "--out", str(tmp_path / "out"), "--no-progress"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[-2] == "leep: 0 of 1 LAs built in " + err[-2].split(" built in ")[1]
    assert err[-1].startswith("leep: error: LA 050: ") and "another" in err[-1], err


def test_sections_made_from_the_las_own_registers_are_refused(tmp_path):
    params = write_params(tmp_path / "batch.yaml", **{**SAMPLE_BATCH, "sections": ["achievement", "support", "budget"]})
    with pytest.raises(InputError) as err:
        check_batchable(load_period(params))
    assert str(err.value) == (
        f"{params}, key 'sections': --las builds only sections made from national files, not the LA's own (support reads "
        "support_register; budget reads budgets, budget_ledger, support_register): keep achievement under sections")
    with pytest.raises(InputError):
        run_batch(params, "all", tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()
    named = write_params(tmp_path / "named.yaml", **{**SAMPLE_BATCH, "previous_pack": str(tmp_path)})
    with pytest.raises(InputError, match="names one LA's previous pack; leave it out for --las"):
        check_batchable(load_period(named))


def test_las_are_all_current_las_a_region_or_codes(tmp_path):
    inputs = load_period(write_params(tmp_path / "batch.yaml", **SAMPLE_BATCH))
    everyone = select_las("all", inputs)
    assert len(everyone) == 99 and everyone[:2] == ["001", "002"]
    midlands = select_las("midlands (synthetic)", inputs)
    assert "050" in midlands and all(c in everyone for c in midlands) and len(midlands) < len(everyone)
    assert select_las("050, 004,050", inputs) == ["050", "004"]
    with pytest.raises(InputError, match=r"--las '050,999': LA code\(s\) 999 are not current LAs"):
        select_las("050,999", inputs)


@pytest.mark.real_data
def test_real_las_and_regions(real, tmp_path):
    inputs = load_period(real_params(real, tmp_path / "p.yaml", "855"))
    assert len(select_las("all", inputs)) == 153  # the workbook's current LAs: not Cumbria, Northamptonshire,
    east_midlands = select_las("East Midlands", inputs)  # or Dorset, Poole and Bournemouth before 2019
    assert len(east_midlands) == 10 and {"855", "856", "857"} <= set(east_midlands)
    assert len(select_las("London", inputs)) == 33  # Inner and Outer London


def test_a_misspelt_header_found_by_the_loading_process_is_listed_by_the_one_that_reads_the_cache(tmp_path):
    from leep_analysis import inputs as inputs_module
    from leep_analysis.config import SAMPLE_DIR
    from leep_analysis.inputs import Inputs
    from leep_analysis.sources import _read

    gias = tmp_path / "gias.csv"
    gias.write_text((SAMPLE_DIR / "gias_establishments.csv").read_text(encoding="cp1252")  # as GIAS publishes it
                    .replace('"EstablishmentName"', '"EstablishmentNmae"', 1), encoding="cp1252")
    params = load_period(write_params(tmp_path / "p.yaml", **{**SAMPLE_BATCH, "sections": ["inspections"], "data": {
        "neighbours": "sample", "ofsted_mi": "sample", "establishment_links": "sample", "establishments": str(gias)}})).params
    cache = tmp_path / "cache"
    Inputs(params, cache_dir=cache).get("establishments")  # the run's main process loads and caches it
    _read._NEAR_MATCHES.clear()  # as in a worker, a process that has not loaded the file
    inputs_module._RUN.clear()
    worker = Inputs(params, cache_dir=cache)
    worker.get("establishments")
    assert [f["header_matches"] for f in inputs_module.describe_files(worker) if f["key"] == "establishments"] == [
        {"EstablishmentNmae": "EstablishmentName"}]


def test_national_work_is_done_once_per_run_for_params_that_differ_only_in_la_and_previous_pack(tmp_path):
    from leep_analysis.inputs import Inputs

    params = load_period(write_params(tmp_path / "p.yaml", **SAMPLE_BATCH)).params
    calls = []

    def work(inputs: Inputs) -> int:
        return inputs.national("test", lambda: calls.append(inputs.params.la_code) or len(calls))

    run = tmp_path / "run"
    # as a batch sets them for each LA: its code, and its own previous pack where one is published
    each = [{"la_code": "050"}, {"la_code": "051", "previous_pack": tmp_path / "051-2025-26-summer"}]
    assert [work(Inputs(params.model_copy(update=update), cache_dir=run)) for update in each] == [1, 1]
    assert work(Inputs(params.model_copy(update={"as_at": params.previous_as_at}), cache_dir=run)) == 2  # other params
    assert work(Inputs(params, cache_dir=tmp_path / "next run")) == 3  # another run works it out again
    assert work(Inputs(params)) == 4 and work(Inputs(params)) == 5  # without a run's cache folder, nothing is kept
    assert calls == ["050"] * 5  # never for 051: its params differ only in la_code and previous_pack


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_an_interrupted_batch_removes_every_las_build_folder_and_lock(tmp_path, signal_name):
    # the achievement notebook loads LAIT, then waits: each LA's build folder exists while it waits
    notebooks = copy_notebooks(tmp_path / "nb", "slow_cell.ipynb")
    slow = json.loads((notebooks / "slow_cell.ipynb").read_text(encoding="utf-8"))
    for number, cell in enumerate(slow["cells"]):
        cell["id"] = f"cell-{number}"  # as a saved notebook has (nbformat warns on stderr otherwise)
        cell["source"] = "".join(cell["source"]).replace('open("budget"', 'open("achievement"') \
            .replace('get("budget_ledger")', 'get("lait")')
    (notebooks / "01_achievement.ipynb").write_text(json.dumps(slow), encoding="utf-8")
    params = write_params(tmp_path / "batch.yaml", **{**SAMPLE_BATCH, "sections": ["achievement"]})
    out = tmp_path / "out"
    # ``leep run --las`` as the console script runs it, with these notebooks
    command = ("import sys; from pathlib import Path; from leep_analysis import batch, cli; run = batch.run_batch; "
               "batch.run_batch = lambda *a, **k: run(*a, **k, notebook_dir=Path(sys.argv[1])); "
               "sys.exit(cli.main(sys.argv[2:]))")
    run = subprocess.Popen(
        [sys.executable, "-c", command, str(notebooks), "run", str(params), "--las", "004,050,001", "--out", str(out),
         "--jobs", "2", "--no-progress"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR), LEEP_TEST_SLEEP="120"))
    family = psutil.Process(run.pid)
    deadline = time.monotonic() + 300
    while len(list(out.glob(f"{workspace.BUILDING}*"))) < 2 or len(list(out.glob(".*.lock"))) < 2:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "timed out waiting for two LAs' build folders"
        time.sleep(0.2)
    time.sleep(1)  # the notebooks are running
    everyone = family.children(recursive=True)
    run.send_signal(getattr(signal, signal_name))
    _, stderr = run.communicate(timeout=60)
    _, alive = psutil.wait_procs(everyone, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert run.returncode == 2
    assert stderr.strip().splitlines() == [
        "leep: error: interrupted; the LAs' packs already published are kept, the overview was not written"]
    assert list(out.iterdir()) == [], "no build folder and no lock of any LA is left"
