"""Warm kernels give what a new kernel gives; start-up imports nothing a run does not use."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import nbformat
import pytest

from leep_analysis.execution import kernel_environment
from leep_analysis.kernels import WarmKernel

KERNELSPEC = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}


def test_importing_the_package_imports_no_plotting_library():
    code = "import sys, leep_analysis; print(sorted(m for m in ('matplotlib', 'seaborn', 'papermill') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_run_reads_notebooks_without_compiling_the_iri_grammars():
    code = ("from leep_analysis.imports import skip_unused; skip_unused(); import sys, nbformat, papermill; "
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]); nbformat.validate(nb); "
            "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None, "
            "'lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.fixture
def kernel(tmp_path):
    warm = WarmKernel(kernel_environment(tmp_path, tmp_path), tmp_path)
    yield warm
    warm.close()


def test_a_reused_kernel_runs_a_notebook_as_a_new_kernel_does(kernel, tmp_path):
    source = tmp_path / "probe.ipynb"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("n = 1", metadata={"tags": ["parameters"]}),
        # a name left by the notebook before, a warning shown once per place, the working folder and pack folder
        nbformat.v4.new_code_cell("import os, warnings\nprint(globals().get('left_behind', 'clean'))\n"
                                  "left_behind = n\nwarnings.warn('once per place')\n"
                                  # as Section.open does: this notebook's warnings go elsewhere; the next's must not
                                  "warnings.showwarning = lambda *args, **kwargs: None\n"
                                  "print(os.getcwd() == os.environ['LEEP_PACK_DIR'], os.path.basename(os.getcwd()))"),
        nbformat.v4.new_code_cell("n * 2"),
    ], metadata=KERNELSPEC)
    nbformat.write(nb, source)
    runs = []
    for n, name in ((1, "first"), (2, "second")):
        pack = tmp_path / name
        pack.mkdir()
        out = tmp_path / f"{name}.ipynb"
        kernel.run(source, out, {"n": n}, pack, kernel_environment(pack, tmp_path))
        runs.append(nbformat.read(out, as_version=4))
    for n, (name, run) in enumerate(zip(("first", "second"), runs, strict=True), start=1):
        code = [c for c in run.cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == [1, 2, 3, 4]  # as a new kernel numbers them
        streams = [o for o in code[2].outputs if o.output_type == "stream"]
        assert "".join(o.text for o in streams if o.name == "stdout") == f"clean\nTrue {name}\n"
        assert "once per place" in "".join(o.text for o in streams if o.name == "stderr")
        assert code[3].outputs[0]["data"]["text/plain"] == str(2 * n)
        assert code[3].outputs[0]["execution_count"] == 4


def test_notebook_after_notebook_leaves_no_thread_or_socket_behind(kernel, tmp_path):
    import threading

    source = tmp_path / "one.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")], metadata=KERNELSPEC), source)
    counts = []
    for _ in range(4):
        kernel.run(source, tmp_path / "out.ipynb", {}, tmp_path, kernel_environment(tmp_path, tmp_path))
        counts.append((threading.active_count(), len(os.listdir("/proc/self/fd"))))
    assert counts[1:] == counts[:1] * 3  # before, each left a heartbeat thread and five sockets
    # no client pings a heartbeat: the manager tells whether the kernel lives (``kernels._manager``)
    assert not [t for t in threading.enumerate() if type(t).__name__ == "HBChannel"]


def test_a_dead_kernel_is_named_not_reused(kernel, tmp_path):
    kernel.km.shutdown_kernel(now=True)
    source = tmp_path / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(metadata=KERNELSPEC), source)
    with warnings.catch_warnings(), pytest.raises(Exception, match="its kernel has died"):
        kernel.run(source, tmp_path / "out.ipynb", {}, tmp_path, kernel_environment(tmp_path, tmp_path))


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets: on Windows a kernel stays on TCP")
def test_kernels_started_at_once_share_no_channel_and_leave_nothing_behind(tmp_path):
    """Over TCP, two kernels starting at once could be given the same port: one of them then ran without a
    heartbeat and the run hung on its first notebook. Each kernel talks over Unix sockets in a folder of its own,
    in the run's cache: no port is picked for it (ipykernel's own output pipe binds a free port itself)."""
    import stat

    env = kernel_environment(tmp_path / "pack", tmp_path)
    first, second = WarmKernel(env, tmp_path), WarmKernel(env, tmp_path)
    try:
        assert first.folder != second.folder and {first.folder.parent, second.folder.parent} == {tmp_path}
        for warm in (first, second):
            assert warm.km.transport == "ipc"
            sockets = sorted(p.name for p in warm.folder.iterdir() if stat.S_ISSOCK(p.stat().st_mode))
            assert sockets == ["k-1", "k-2", "k-3", "k-4", "k-5"]  # shell, iopub, stdin, control, heartbeat
            info = warm.km.get_connection_info()
            assert info["transport"] == "ipc" and info["ip"] == str(warm.folder / "k")
            assert warm.km.is_alive() and warm.kc.is_alive()  # the heartbeat beats
    finally:
        first.close()
        second.close()
    assert list(tmp_path.iterdir()) == []
