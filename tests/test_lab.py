"""``leep lab``: a working copy of the notebooks with a period's parameters, JupyterLab on it, the house style in it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
import yaml
from papermill.translators import translate_parameters

from leep_analysis import export, lab
from leep_analysis.cli import main
from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR
from leep_analysis.params import notebook_parameters
from leep_analysis.runner import load_period

from .conftest import write_params

AUTUMN = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def packaged_hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(NOTEBOOK_DIR.glob("*.ipynb"))}


def injected(path: Path) -> tuple[list[str], str]:
    """A copy's cells' tags in order, and its injected cell's source."""
    nb = nbformat.read(path, as_version=4)
    tags = [",".join(c.metadata.get("tags", [])) for c in nb.cells if c.cell_type == "code"]
    cell = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert cell.id == "injected-parameters"
    return tags, cell.source


def test_lab_copies_the_notebooks_with_the_values_papermill_injects_in_a_run(tmp_path, capsys):
    # the LA's own folder layout: params/ beside data/, paths in the params relative to the params file
    assert main(["sample-data", str(tmp_path / "data")]) == 0
    base = yaml.safe_load(AUTUMN.read_text())
    base["data"] = {"lait": "../data/lait.parquet", "lait_dictionary": "../data/lait_data_dictionary.csv",
                    "neighbours": "../data/neighbours.xlsx"}
    base["sections"] = ["achievement"]
    (tmp_path / "params").mkdir()
    params = write_params(tmp_path / "params" / "autumn.yaml", **base)
    before = packaged_hashes()
    folder = tmp_path / "work" / "lab"
    capsys.readouterr()
    assert main(["lab", str(params), "--dir", str(folder), "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == str(folder)
    assert packaged_hashes() == before, "the packaged notebooks are never changed"
    # the chosen sections' notebooks, and the one for questions the pack does not answer
    assert sorted(p.name for p in folder.iterdir()) == ["01_achievement.ipynb", lab.EXPLORE]
    tags, source = injected(folder / "01_achievement.ipynb")
    assert tags[:2] == ["parameters", "injected-parameters"], "papermill's cell follows the parameters cell, as in a run"
    # exactly what the run hands papermill: the validated params, data paths made absolute
    expected = notebook_parameters(load_period(params).params)
    assert source == translate_parameters("python3", "python", expected, "Parameters")
    assert f'"lait": "{(tmp_path / "data" / "lait.parquet").resolve()}"' in source
    assert 'sections = ["achievement"]' in source


def test_lab_finds_the_previous_pack_as_a_run_does(tmp_path, default_pack, capsys):
    out = tmp_path / "outputs"
    (out / default_pack.name).mkdir(parents=True)
    for name in ("manifest.json", "data_dictionary.csv"):
        (out / default_pack.name / name).write_bytes((default_pack / name).read_bytes())
    spring = PROJECT_DIR / "params" / "2025-26-spring.yaml"
    assert main(["lab", str(spring), "--dir", str(tmp_path / "lab"), "--out", str(out), "--dry-run"]) == 0
    _, source = injected(tmp_path / "lab" / "00_summary.ipynb")
    assert f'previous_pack = "{(out / default_pack.name).resolve()}"' in source


def test_lab_refuses_a_folder_in_use_and_a_bad_params_file_in_one_line(tmp_path, capsys):
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "my-notes.ipynb").write_text("{}")
    assert main(["lab", str(AUTUMN), "--dir", str(folder), "--dry-run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"leep: error: {folder}: already exists;") and "--force" in err[0]
    assert main(["lab", str(AUTUMN), "--dir", str(folder), "--dry-run", "--force"]) == 0
    assert (folder / "my-notes.ipynb").read_text() == "{}", "--force writes the notebooks, nothing else"
    assert (folder / "00_summary.ipynb").exists()

    bad = write_params(tmp_path / "bad.yaml", period="2025-26-winter", la_code="050", as_at="2025-12-31")
    capsys.readouterr()
    assert main(["lab", str(bad), "--dir", str(tmp_path / "other"), "--dry-run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"leep: error: {bad}") and "period" in err[0]
    assert not (tmp_path / "other").exists()


def test_lab_css_is_the_house_style_scoped_to_notebook_content():
    css = lab.lab_css()
    house = export.house_css()
    for rule in ("leep-tile-value", "leep-rag-green", "leep-trend-better", "table.leep-table .num"):
        assert rule in house and f"{lab.SCOPE} " in css and rule in css
    rules = [line.split("{")[0] for line in css.splitlines() if "{" in line]
    assert all(all(s.strip().startswith(lab.SCOPE) for s in r.split(",") if s.strip()) for r in rules), \
        "every rule inside JupyterLab's rendered content: the interface keeps its own look"
    assert "@media" not in css and "jp-OutputArea-prompt" not in css
    assert "--blue: #12436d" in css.replace("#12436D", "#12436d")


def test_the_stylesheet_output_never_reaches_a_page():
    nb = nbformat.v4.new_notebook()
    style = nbformat.v4.new_output("display_data", data={"text/html": "<style>x</style>"},
                                   metadata={"leep": {"output": "house-style"}})
    nb.cells = [nbformat.v4.new_code_cell("section = ...", outputs=[style])]
    export.check_outputs(nb, "x.ipynb")  # not refused as output that is not a block
    assert export.normalise(nb, "t").cells[0].outputs == []


def test_section_open_leaves_the_kernel_as_it_found_it(monkeypatch, tmp_path, clean_env):
    import warnings

    import matplotlib
    import pandas as pd

    from leep_analysis import charts, report
    from leep_analysis.params import load_params

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: shown.append((args, kwargs)))
    charts.pyplot()
    rc, show, figures = dict(matplotlib.rcParams), warnings.showwarning, charts.pyplot().get_fignums()
    namespace = notebook_parameters(load_params(AUTUMN)[0])

    section = report.Section.open("achievement", namespace)  # in JupyterLab: no pack being built
    assert warnings.showwarning is show and dict(matplotlib.rcParams) == rc
    (bundle,), kwargs = shown[0]
    assert bundle["text/html"] == f'<style type="text/css">{lab.lab_css()}</style>'
    assert kwargs["metadata"] == report.STYLE_METADATA

    # a chart is drawn in the house style, and matplotlib's settings are put back after it
    def draw(data):
        fig, ax = charts.pyplot().subplots()
        ax.plot(data["x"], data["y"])
        assert matplotlib.rcParams["svg.hashsalt"] == "leep" and matplotlib.rcParams["axes.spines.top"] is False
        return fig

    drawn = [charts.figure("line", pd.DataFrame({"x": [1, 2], "y": [3, 4]}), draw, caption="c", alt="a")
             for _ in range(2)]
    assert drawn[0].svg == drawn[1].svg and "DejaVu Sans" in drawn[0].svg
    assert dict(matplotlib.rcParams) == rc and charts.pyplot().get_fignums() == figures  # none left open
    section.close()
    assert warnings.showwarning is show

    # in a pack run, warnings go to the pack's log (never onto the page) until the section is closed
    monkeypatch.setenv("LEEP_PACK_DIR", str(tmp_path))
    shown.clear()
    with report.Section.open("achievement", namespace) as section:
        again = report.Section.open("achievement", namespace)  # the cell run twice
        warnings.warn("a planted warning", UserWarning, stacklevel=1)
        again.close()
        assert warnings.showwarning is show
    assert warnings.showwarning is show and not shown, "no stylesheet output in a pack run: the page has it"
    assert "UserWarning: a planted warning" in (tmp_path / "logs" / "achievement.warnings.txt").read_text()


def test_a_section_keeps_the_tables_it_showed_typed_and_described(monkeypatch):
    from types import SimpleNamespace

    import pandas as pd

    from leep_analysis import content, report

    monkeypatch.setattr(report, "_display", lambda block, markup: None)
    section = report.Section("support", params=SimpleNamespace(for_committee=False), inputs=None)  # type: ignore[arg-type]
    frame = pd.DataFrame({"urn": ["100001"], "pct_good": [62.5], "n_schools": [12]})
    table = content.Table("schools", "Schools", frame, columns={"pct_good": content.percent("Good or better", 1)})
    section.show(content.Paragraph("Some words"), table)
    assert section.tables["schools"] is table and section.tables["schools"].frame["pct_good"].dtype == "float64"
    described = section.columns("schools").set_index("column")
    assert described.loc["pct_good", ["heading", "kind", "decimals"]].tolist() == ["Good or better", "percent", 1]
    assert described.loc["n_schools", "kind"] == "count" and described["meaning"].str.len().min() > 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


async def execute_cells(ws_url: str, cells: list[str]) -> list[list[dict]]:
    """Run each source in the kernel over JupyterLab's websocket, as the notebook's Run All does; each one's
    iopub messages (stopping at the first error)."""
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(ws_url)
    session = uuid.uuid4().hex
    results = []
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            await ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session, "username": "test",
                           "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            messages = []
            while True:
                raw = await asyncio.wait_for(ws.read_message(), timeout=300)
                assert raw is not None, "the kernel's websocket closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id or msg.get("channel") != "iopub":
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                messages.append(msg)
            results.append(messages)
            errors = [m["content"] for m in messages if m["msg_type"] == "error"]
            assert not errors, f"cell failed: {code[:80]!r}: {errors[0]['ename']}: {errors[0]['evalue']}"
    finally:
        ws.close()
    return results


@pytest.mark.slow
def test_lab_starts_headless_and_runs_a_copied_notebook_in_its_folder(tmp_path):
    folder = tmp_path / "lab-autumn"
    port, token = free_port(), uuid.uuid4().hex
    jupyter = {name: str(tmp_path / "jupyter" / name) for name in ("config", "data", "runtime")}
    env = {**os.environ, "JUPYTER_CONFIG_DIR": jupyter["config"], "JUPYTER_RUNTIME_DIR": jupyter["runtime"],
           "JUPYTER_PLATFORM_DIRS": "1", "LEEP_PACK_DIR": "", "LEEP_CACHE_DIR": ""}
    env = {k: v for k, v in env.items() if v}  # no pack run's folders: an analyst's session
    process = subprocess.Popen(
        [sys.executable, "-m", "leep_analysis", "lab", str(AUTUMN), "--dir", str(folder), "--no-browser", "--",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         "--ServerApp.port_retries=0", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # a container's test run may be root
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get(f"{base}/api/status?token={token}")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not start in 2 minutes"
                time.sleep(0.5)
        # the server's root is the working copy, and its Lab page is served
        listed = sorted(item["name"] for item in get(f"{base}/api/contents?token={token}")["content"])
        assert "01_achievement.ipynb" in listed and lab.EXPLORE in listed
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as page:
            assert page.status == 200
        # a kernel for the copied notebook, started by Lab in the notebook's folder, runs it top to bottom
        request = urllib.request.Request(
            f"{base}/api/sessions?token={token}", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"path": "01_achievement.ipynb", "type": "notebook", "name": "",
                             "kernel": {"name": "python3"}}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            kernel = json.loads(response.read())["kernel"]["id"]
        nb = nbformat.read(folder / "01_achievement.ipynb", as_version=4)
        cells = [c.source for c in nb.cells if c.cell_type == "code"]
        probe_before = ("import matplotlib, warnings; _rc = dict(matplotlib.rcParams); _show = warnings.showwarning; "
                        "_backend = matplotlib.get_backend()")
        probe_after = ("import json as _json; print(_json.dumps({'cwd': __import__('os').getcwd(), "
                       "'rc_same': dict(matplotlib.rcParams) == _rc, 'warnings_same': warnings.showwarning is _show, "
                       "'backend_same': matplotlib.get_backend() == _backend, 'tables': sorted(section.tables), "
                       "'ks2_dtypes': {c: str(t) for c, t in section.tables['ks2'].frame.dtypes.items()}, "
                       "'ks2_columns': section.columns('ks2')['column'].tolist()}))")
        ws = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?token={token}"
        results = asyncio.run(execute_cells(ws, [probe_before, *cells, probe_after]))

        opened = results[3]  # the section's first cell: opened, then its blocks
        html = [m["content"]["data"]["text/html"] for m in opened if m["msg_type"] == "display_data"]
        assert html[0].startswith('<style type="text/css">') and lab.SCOPE in html[0], "the house style comes first"
        blocks = [m for r in results for m in r if m["msg_type"] == "display_data"
                  and "application/vnd.leep.block+json" in m["content"]["data"]]
        assert sum(m["content"]["data"]["application/vnd.leep.block+json"]["type"] == "figure" for m in blocks) >= 3
        assert not [m for r in results[1:-1] for m in r if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]

        state = json.loads(next(m["content"]["text"] for m in results[-1] if m["msg_type"] == "stream"))
        assert Path(state["cwd"]).resolve() == folder.resolve(), "the notebook runs in its working folder"
        assert state["rc_same"] and state["warnings_same"] and state["backend_same"], state
        assert {"ks2", "benchmark", "timeseries"} <= set(state["tables"])
        # the table as data: figures as numbers, and each column described as the data dictionary does
        assert state["ks2_dtypes"]["la_value"] == "float64" and state["ks2_dtypes"]["rank"].lower().startswith("int")
        assert {"indicator", "la_value", "england", "sn_mean", "rank", "band", "trend"} <= set(state["ks2_columns"])
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """Stop Lab, started by this test in a session of its own, and the kernel it started."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
