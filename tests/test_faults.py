"""Faults: a killed run leaves no raw data and no process behind; two runs of one pack never interleave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from leep_analysis import cli, execution, workspace
from leep_analysis.config import PROJECT_DIR
from leep_analysis.publishing import output_folder
from tests.conftest import copy_notebooks

PACK = "050-2025-26-autumn"


def quick_notebooks(dest: Path) -> Path:
    """A notebook folder whose summary and budget notebooks load an input, then sleep LEEP_TEST_SLEEP seconds."""
    folder = copy_notebooks(dest, "slow_cell.ipynb")
    for name in ("00_summary.ipynb", "04_budget.ipynb"):
        (folder / name).write_bytes((folder / "slow_cell.ipynb").read_bytes())
    (folder / "slow_cell.ipynb").unlink()
    return folder


def start_run(params: Path, out: Path, notebooks: Path, temp: Path, sleep: float, jobs: int = 2) -> subprocess.Popen:
    """``run_pack`` in a process of its own, its temporary folder ``temp``, as ``leep run`` would call it."""
    code = ("import sys; from pathlib import Path; from leep_analysis.runner import run_pack; "
            f"print(run_pack(sys.argv[1], sys.argv[2], jobs={jobs}, progress=False, notebook_dir=Path(sys.argv[3])))")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR), TMPDIR=str(temp), LEEP_TEST_SLEEP=str(sleep))
    return subprocess.Popen([sys.executable, "-c", code, str(params), str(out), str(notebooks)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(condition, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def pickles(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*.pickle")]


def kernels(run: psutil.Process) -> list[psutil.Process]:
    """The run's kernels: started through ``leep_analysis/kernel_main.py`` (still importing, or ready)."""
    found = []
    for child in run.children(recursive=True):
        try:
            if "kernel_main.py" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


@pytest.mark.pack
def test_kill_9_at_any_point_leaves_no_raw_data_and_no_process(tmp_path, params_file):
    # the sample's registers name schools in their remarks: shown as neutral phrases (the default refuses them)
    params = params_file(sections=["summary", "budget"], audience="committee", committee={"free_text": "replace"})
    notebooks = quick_notebooks(tmp_path / "nb")
    out, temp = tmp_path / "out", tmp_path / "tmp"
    temp.mkdir()
    points = {
        "inputs cached, no kernel yet": lambda run: bool(pickles(out, temp)),
        "kernels running": lambda run: len(kernels(run)) >= 2 and bool(pickles(out, temp)),
    }
    for point, reached in points.items():
        proc = start_run(params, out, notebooks, temp, sleep=120)
        run = psutil.Process(proc.pid)
        wait_for(lambda: reached(run) or proc.poll() is not None, point)  # noqa: B023 - used at once
        assert proc.poll() is None, proc.communicate()
        family = run.children(recursive=True)
        proc.kill()
        proc.wait()
        _, alive = psutil.wait_procs(family, timeout=5)
        assert not alive, f"killed at '{point}': {[p.cmdline() for p in alive]} still running after 5 s"

    again = start_run(params, out, notebooks, temp, sleep=0, jobs=1)
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == [PACK], "no build folder, cache or lock is left in --out"
    assert pickles(out) == []
    assert list(temp.glob(f"{workspace.CACHE}*")) == [], "the killed runs' caches are removed by the next run"


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # dead, waiting for whoever adopted it to reap it
    except psutil.NoSuchProcess:
        return True


def test_a_kernel_still_starting_dies_the_moment_its_parent_does(tmp_path):
    # ipykernel polls for its parent once a second, and only once it has started: a kernel whose parent was
    # killed while it was still importing outlived it (seen in CI); kernel_main asks Linux to kill it at once
    code = ("import sys, time; from leep_analysis import kernels; "
            "kernels._manager()(kernel_name='python3').start_kernel(cwd=sys.argv[1]); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    try:
        starter = psutil.Process(proc.pid)
        wait_for(lambda: bool(kernels(starter)) or proc.poll() is not None, "the kernel", timeout=60)
        kernel = kernels(starter)[0]
        assert "kernel_main.py" in kernel.cmdline()[1]
    finally:
        proc.kill()
        proc.wait()
    wait_for(lambda: gone(kernel), "the kernel to die", timeout=0.5)

@pytest.mark.slow
def test_a_run_uses_a_private_cache_outside_the_output_folder(tmp_path, params_file):
    """The pickles of every input live outside --out (even a relative one) and are gone after the run."""
    # the sample's registers name schools in their remarks: shown as neutral phrases (the default refuses them)
    params = params_file(sections=["summary", "budget"], audience="committee", committee={"free_text": "replace"})
    notebooks = quick_notebooks(tmp_path / "nb")
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from leep_analysis.runner import run_pack; "
         "run_pack(sys.argv[1], 'rel', jobs=2, progress=False, notebook_dir=Path(sys.argv[2]))",
         str(params), str(notebooks)],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR), TMPDIR=str(temp), LEEP_TEST_SLEEP="3"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run = psutil.Process(proc.pid)
    wait_for(lambda: len(kernels(run)) >= 2 or proc.poll() is not None, "the kernels")
    caches = list(temp.glob(f"{workspace.CACHE}*"))
    assert pickles(tmp_path / "rel") == [] and pickles(*caches), "inputs are cached in the temp folder only"
    assert all(oct(c.stat().st_mode & 0o777) == "0o700" for c in caches)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr.decode()
    assert list(temp.glob(f"{workspace.CACHE}*")) == []
    assert sorted(p.name for p in (tmp_path / "rel").iterdir()) == [PACK]
    assert (tmp_path / "rel" / PACK / "index.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigterm_cleans_up_and_stops_the_workers(tmp_path, params_file, jobs):
    params = params_file(sections=["summary", "budget"])
    notebooks = quick_notebooks(tmp_path / "nb")
    out, temp = tmp_path / "out", tmp_path / "tmp"
    temp.mkdir()
    proc = start_run(params, out, notebooks, temp, sleep=120, jobs=jobs)
    run = psutil.Process(proc.pid)
    # kernels start while the inputs are validated: wait until the notebooks run in the build folder
    wait_for(lambda: (len(kernels(run)) >= jobs and any(out.glob(f"{workspace.BUILDING}*"))) or proc.poll() is not None,
             "the kernels running the notebooks")
    family = run.children(recursive=True)
    proc.terminate()
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=5)
    assert not alive
    assert list(out.iterdir()) == [] and list(temp.glob(f"{workspace.CACHE}*")) == []


def test_second_run_of_the_same_pack_fails_in_one_line(tmp_path, params_file, capsys):
    params = params_file(sections=["budget"])
    out = tmp_path / "out"
    out.mkdir()
    with workspace.pack_lock(out, PACK):
        code = cli.main(["run", str(params), "--out", str(out), "--no-progress"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert lines == [f"leep: error: {out / PACK}: another run (pid {os.getpid()}) is building this pack; "
                     "wait for it to finish, or choose another --out"]
    assert list(out.iterdir()) == []


def test_sweep_puts_back_a_pack_moved_aside_by_a_run_that_died(tmp_path):
    (tmp_path / f"{workspace.REPLACED}{PACK}-123").mkdir()
    (tmp_path / f"{workspace.REPLACED}{PACK}-123" / "index.html").write_text("earlier", encoding="utf-8")
    (tmp_path / f"{workspace.BUILDING}{PACK}-abc" / ".cache").mkdir(parents=True)
    (tmp_path / f"{workspace.BUILDING}055-2025-26-autumn-abc").mkdir()  # another LA's: not this run's to clear
    removed = workspace.sweep(tmp_path, PACK)
    assert [p.name for p in removed] == [f"{workspace.BUILDING}{PACK}-abc"]
    assert (tmp_path / PACK / "index.html").read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{workspace.BUILDING}055-2025-26-autumn-abc", PACK]


@pytest.mark.parametrize(
    ("out", "expected"),
    [("file.txt", "file.txt: --out is a file, not a folder"),
     ("file.txt/out", "--out cannot be used as the output folder (a part of the path is a file)")],
    ids=["out-is-a-file", "out-under-a-file"],
)
def test_bad_out_is_one_line(tmp_path, params_file, capsys, out, expected):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    code = cli.main(["run", str(params_file(sections=["budget"])), "--out", str(tmp_path / out), "--no-progress"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and expected in lines[0], lines


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_out_that_cannot_be_written_is_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(Exception, match="cannot be used as the output folder .permission denied."):
            output_folder(locked / "out")
    finally:
        locked.chmod(0o700)


def plant(kind: str, place: Path, victim: Path) -> None:
    """Put what someone with write access to a shared --out could put where a run writes its lock."""
    if kind == "link to a file":
        place.symlink_to(victim)
    elif kind == "link to nowhere":
        place.symlink_to(victim.with_name("created-by-the-run"))
    elif kind == "hard link":
        os.link(victim, place)
    elif kind == "folder":
        place.mkdir()
    else:
        os.mkfifo(place)


@pytest.mark.parametrize(("kind", "what"), [("link to a file", "a symbolic link"), ("link to nowhere", "a symbolic link"),
                                            ("hard link", "a hard link to another file"), ("folder", "a folder"),
                                            ("pipe", "a device, pipe or socket")])
def test_a_lock_file_that_is_not_a_runs_own_is_refused_and_never_written_through(tmp_path, params_file, capsys,
                                                                                 kind, what):
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("a colleague's file\n", encoding="utf-8")
    lock = out / f".{PACK}.lock"
    plant(kind, lock, victim)
    code = cli.main(["run", str(params_file(sections=["budget"])), "--out", str(out), "--no-progress"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert lines == [f"leep: error: {lock}: is {what}, not a lock file a run made; remove it (a run makes its own "
                     "lock file there) and run again"]
    assert victim.read_text(encoding="utf-8") == "a colleague's file\n"
    assert not victim.with_name("created-by-the-run").exists()
    assert sorted(p.name for p in out.iterdir()) == [lock.name], "nothing built, the planted thing left as it was"


def test_a_link_at_the_packs_place_is_refused_and_its_target_kept(tmp_path, params_file, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept", encoding="utf-8")
    (out / PACK).symlink_to(elsewhere)
    code = cli.main(["run", str(params_file(sections=["budget"])), "--out", str(out), "--no-progress"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert lines == [f"leep: error: {out / PACK}, key '--out': is a symbolic link, not a pack's folder; a run replaces "
                     "a pack folder, never what a link points to: remove it, or choose another --out"]
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"] and (out / PACK).is_symlink()
    assert sorted(p.name for p in out.iterdir()) == [PACK]


def test_sweep_never_puts_a_link_in_the_packs_place_nor_follows_one(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{workspace.REPLACED}{PACK}-1").symlink_to(elsewhere)
    (out / f"{workspace.BUILDING}{PACK}-x").symlink_to(elsewhere)
    assert workspace.sweep(out, PACK) == []
    assert not os.path.lexists(out / PACK), "a planted link is not a pack moved aside"
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


#: a small disk of its own for one command: a tmpfs mounted in a mount namespace of the command's own
#: (the machine's mounts are untouched, and it goes when the command ends); root, or user namespaces
UNSHARE = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--user", "--map-root-user", "--mount"]

#: ``leep`` in-process on a small disk (``sys.argv[1]``, a tmpfs), then what is left on that disk, as JSON.
#: With ``FILL_AT_PDF`` set, the disk is made full as the PDF starts to be written (16 KB left, the PDF
#: needs more); ``EARLIER`` names a pack folder made on the disk first, which must be left as it was.
ON_SMALL_DISK = """
import json, os, subprocess, sys
from leep_analysis import cli
from leep_analysis.render import pdf
disk = sys.argv[1]
if os.environ.get("FILL_AT_PDF"):
    real_render = pdf.render
    def render(source, dest, **options):
        info = os.statvfs(disk)
        used_kb = (info.f_blocks - info.f_bfree) * info.f_frsize // 1024
        subprocess.run(["mount", "-o", f"remount,size={used_kb + 16}k", disk], check=True)
        return real_render(source, dest, **options)
    pdf.render = render
if os.environ.get("EARLIER"):
    os.makedirs(os.path.join(disk, os.environ["EARLIER"]))
    with open(os.path.join(disk, os.environ["EARLIER"], "index.html"), "w") as handle:
        handle.write("the earlier pack")
code = cli.main(sys.argv[2:])
print(json.dumps({"code": code, "left": sorted(str(p.relative_to(disk)) for p in __import__("pathlib").Path(disk).rglob("*")),
                  "earlier": open(os.path.join(disk, os.environ["EARLIER"], "index.html")).read()
                  if os.environ.get("EARLIER") else None}))
"""


def on_small_disk(disk: Path, size_kb: int, *args: str, **env: str) -> tuple[dict, list[str]]:
    """``leep args`` with a tmpfs of ``size_kb`` at ``disk`` (skip where none can be mounted): what it printed
    on stdout (``ON_SMALL_DISK``'s JSON) and its lines on stderr."""
    disk.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run([*UNSHARE, "mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(disk)],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {probe.stderr.decode().strip()}")
    command = f'mount -t tmpfs -o size={size_kb}k tmpfs "$0" && exec "$@"'
    result = subprocess.run([*UNSHARE, "sh", "-c", command, str(disk), sys.executable, "-c", ON_SMALL_DISK, str(disk),
                             *args], capture_output=True, text=True, timeout=600, check=False,
                            env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR), **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr.strip().splitlines()


@pytest.mark.pack
def test_a_disk_that_fills_while_the_pdf_is_written_is_one_line_and_leaves_nothing(tmp_path, params_file):
    disk = tmp_path / "disk"
    seen, lines = on_small_disk(disk, 8192, "run", str(params_file(sections=["budget"])), "--out", str(disk / "out"),
                                "--no-progress", FILL_AT_PDF="1", EARLIER=f"out/{PACK}")
    assert lines == [f"leep: error: {disk / 'out'}: no space left on the disk while the pack was written; free some "
                     "space there, or choose another --out"]
    assert seen == {"code": 2, "left": ["out", f"out/{PACK}", f"out/{PACK}/index.html"], "earlier": "the earlier pack"}, \
        "no build folder or lock left, the earlier pack as it was"


@pytest.mark.slow
def test_a_full_temporary_folder_while_the_cache_is_written_is_one_line(tmp_path, params_file):
    temp = tmp_path / "temp"
    # 8 KB: the run's cache folder and its .owner file fit, no loaded input does
    seen, lines = on_small_disk(temp, 8, "run", str(params_file(sections=["budget"])), "--out", str(tmp_path / "out"),
                                "--no-progress", TMPDIR=str(temp))
    assert len(lines) == 1 and lines[0].startswith(f"leep: error: {temp}: no space left on the disk while the inputs "
                                                   "were cached ("), lines
    assert lines[0].endswith("); free some space there, or set TMPDIR to a folder with room")
    assert seen == {"code": 2, "left": [], "earlier": None}, "the run's cache is removed"
    assert not (tmp_path / "out").exists()


def test_a_cell_that_finds_the_disk_full_is_named_with_the_folder_and_what_to_do(tmp_path, monkeypatch):
    from papermill.exceptions import PapermillExecutionError

    from leep_analysis import execution, kernels
    from leep_analysis.errors import NotebookError

    build = tmp_path / "out" / ".building-050-2025-26-autumn-x"

    class Full:
        def run(self, *args):
            raise PapermillExecutionError(4, 4, "", "OSError", f"[Errno 28] No space left on device: "
                                          f"'{build / 'tables' / 'budget__spend.csv'}'", [])

    monkeypatch.setattr(kernels, "warm", lambda env, cwd: Full())
    job = execution.Job("budget", Path("04_budget.ipynb"), build / "executed" / "04_budget.ipynb", build / "budget.html",
                     None)
    with pytest.raises(NotebookError) as err:
        execution.execute(job, {}, build, {}, {})
    assert str(err.value) == (f"04_budget.ipynb failed at cell 4: {tmp_path / 'out'}: no space left on the disk; "
                              "free some space there, or choose a folder on another disk")


def _slow_write(path: str, seconds: float) -> None:
    time.sleep(seconds)
    Path(path).write_text("written")


def _fail(path: str) -> None:
    from xlsxwriter.exceptions import FileCreateError

    try:
        raise OSError(28, "No space left on device", path)
    except OSError as exc:  # as xlsxwriter says a full disk: its own error, raised while handling the OSError
        raise FileCreateError(exc)  # noqa: B904 - its context is what crosses back, or not


def test_meanwhile_finishes_before_the_block_is_left_even_when_the_block_fails(tmp_path):
    """The workbook is written on a worker while the PDF is made: never still writing once the run goes on (or
    removes the build folder), and its failure is the run's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    executor.submit(int).result()  # its worker started, so that stop_pool can stop it
    pool = execution.Workers(executor, 1, multiprocessing.active_children())
    try:
        done = tmp_path / "book"
        with pytest.raises(RuntimeError, match="the PDF failed"), \
                execution.meanwhile(pool, _slow_write, str(done), 1.0):
            raise RuntimeError("the PDF failed")
        assert done.read_text() == "written", "the block's failure waited for the worker"
        # the OSError behind xlsxwriter's own error crosses back from the worker, so the run says it in one line
        with pytest.raises(OSError, match="No space left"), execution.meanwhile(pool, _fail, str(done)):
            pass
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt), execution.meanwhile(pool, _slow_write, str(tmp_path / "late"), 5.0):
            raise KeyboardInterrupt
        assert time.monotonic() - started < 3, "an interrupt stops the worker rather than waiting for it"
        order = []
        with execution.meanwhile(None, lambda: order.append("worker")):
            order.append("block")
        assert order == ["worker", "block"], "without a pool it runs here, first"
    finally:
        pool.shutdown()
