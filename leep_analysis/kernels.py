"""Warm kernels: a kernel started once per worker and reused, notebook after notebook.

Starting a kernel and importing the package and matplotlib in it costs about 2 s on 2 cores, paid
by every notebook; a batch of every LA runs 306. A warm kernel is started once, with the run's
fixed environment, imports what the notebooks import, and before each notebook is put back as a
new one would be: an empty namespace, execution count 1, the pack's folders in its environment
and as its working folder, no figures open, warning registries cleared. Papermill still
parameterises and runs every notebook (``papermill.execute_notebook(..., km=...)``): only the
kernel is reused, so a notebook's outputs are those of a new kernel (``tests/test_batch.py``
compares packs built both ways byte for byte).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .config import ENV_CACHE_DIR
from .errors import NotebookError

T = TypeVar("T")
KERNEL = "python3"
#: the kernel's own log is noise: it warns that local TCP is unencrypted, and logs an "error" when
#: it is interrupted on shutdown; a failing cell or a dead kernel is raised by papermill
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
#: what every section notebook imports, imported once when the kernel starts
#: (and, like the run's own processes, jsonschema without its unused IRI checkers: ``imports``)
WARM_UP = ("import leep_analysis.imports as _imports; _imports.skip_unused(); del _imports\n"
           "import leep_analysis, leep_analysis.charts as _charts; _charts.pyplot(); del leep_analysis, _charts\n"
           "import leep_analysis.statcharts as _stat; _stat.seaborn(); del _stat\n"
           "__import__('leep_analysis.kernels').kernels.remember()")
#: what ``fresh`` puts back: the kernel's own warning display (``Section.open`` sends warnings to its pack's log)
_STARTED: dict[str, Any] = {}


def remember() -> None:
    """In the kernel, once warmed up: note what a notebook may change that ``fresh`` must put back."""
    import warnings

    _STARTED["showwarning"] = warnings.showwarning


def fresh(env: dict[str, str]) -> None:
    """In the kernel, after its namespace is reset: the next pack's environment, nothing left over."""
    import sys
    import warnings

    os.environ.update(env)
    warnings.showwarning = _STARTED["showwarning"]  # not the last section's log
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    # warnings shown once per place are shown again, as in a new kernel; the filters themselves are unchanged
    # (a catch-all "default" at the end is what Python does for a warning no filter matches)
    warnings.simplefilter("default", append=True)


def _manager() -> type:
    """A kernel manager that can stop the clients made of it: nbclient leaves its client's channels open
    when it does not own the kernel (five sockets a notebook, 370 threads in a worker after 75 LAs); its
    kernels die with the process that started them (``kernel_main``), and its clients have no heartbeat.

    A client's heartbeat is a thread pinging the kernel every second, for a client that cannot see the
    kernel's process; a client made by the manager asks the manager whether the process lives, and never
    reads the heartbeat. It was worse than idle: a run hung, its worker waiting forever to stop a heartbeat
    thread blocked in sending a ping to a kernel that had no heartbeat (its port taken, ``channels``).
    """
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager

    class Client(BlockingKernelClient):
        def start_channels(self, shell: bool = True, iopub: bool = True, stdin: bool = True, hb: bool = False,
                           control: bool = True) -> None:
            super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False, control=control)

    class Manager(KernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.client_factory = self.blocking_class = Client  # the notebooks' clients and ``blocking_client``
            self.made: list[Any] = []

        def client(self, **kwargs: Any) -> Any:
            self.made.append(super().client(**kwargs))
            return self.made[-1]

        def stop_clients(self) -> None:
            while self.made:
                self.made.pop().stop_channels()

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            """ipykernel's command, started through ``kernel_main``: the kernel dies with its parent."""
            cmd = super().format_kernel_cmd(extra_arguments)
            at = next((i for i in range(len(cmd) - 1) if cmd[i:i + 2] == ["-m", "ipykernel_launcher"]), None)
            if at is not None:
                cmd[at:at + 2] = [str(Path(__file__).with_name("kernel_main.py"))]
            return cmd

    return Manager


class WarmKernel:
    """One started kernel, reused for notebook after notebook (``run``); ``close`` shuts it down."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.folder = channels_folder(env)
        self.km = _manager()(kernel_name=KERNEL, **channels(self.folder))
        self.km.start_kernel(env={**os.environ, **env}, cwd=str(cwd), extra_arguments=KERNEL_ARGUMENTS)
        self.kc = self.km.blocking_client()  # this object's own client, kept open while the kernel lives
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
            self._silent(WARM_UP)
        except BaseException:
            self.close()
            raise

    def _silent(self, code: str) -> None:
        """Run code in the kernel without it counting as a cell (no output, no history, no execution count)."""
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=120)
        content = reply["content"]
        if content["status"] != "ok":
            raise NotebookError(f"the kernel could not be prepared: {content.get('ename')}: {content.get('evalue')}")

    def run(self, notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path, env: dict[str, str]) -> None:
        """Execute a notebook with papermill in this kernel, as a new kernel would, writing ``output``."""
        import papermill

        if not self.km.is_alive():
            raise NotebookError(f"{notebook.name} could not run: its kernel has died")
        # into the new pack's folder first: the last one's may be gone (a failed pack's build folder is removed)
        self._silent(f"__import__('os').chdir({json.dumps(str(cwd))})\n"
                     "get_ipython().reset(new_session=True)\n"
                     f"__import__('leep_analysis.kernels').kernels.fresh({json.dumps(env)})")
        try:
            papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, kernel_name=KERNEL, km=self.km, cwd=str(cwd),
                progress_bar=False, log_output=False, record_timing=False,
                # write the executed notebook once, at the end (or on a failure), not twice per cell
                request_save_on_cell_execute=False,
            )
        finally:
            self.km.stop_clients()

    def close(self) -> None:
        """Shut the kernel down (at once: nothing is running in it) and remove its connection file and sockets."""
        try:
            self.kc.stop_channels()
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


#: the longest path a Unix socket may have (108 bytes on Linux, 104 on macOS, with the terminating zero)
_SOCKET_PATH_LIMIT = 100


def channels_folder(env: dict[str, str]) -> Path:
    """A new private folder for a kernel's connection file and sockets: in the run's cache folder (0700, removed
    with the run and swept when a run died), else in the temporary folder."""
    cache = env.get(ENV_CACHE_DIR)
    return Path(tempfile.mkdtemp(prefix="kernel-", dir=cache if cache and Path(cache).is_dir() else None))


def channels(folder: Path) -> dict[str, str]:
    """How the run talks to its kernel: over Unix sockets in ``folder`` where there are such sockets.

    Over TCP, jupyter_client picks free ports and the kernel binds them a moment later, so a port can be taken
    in between, as by another kernel starting at once: a kernel whose shell port is taken dies at once
    (``with_start_retry``); one whose heartbeat port is taken runs on without a heartbeat (seen once, in a run
    that then hung: ``_manager``). A Unix socket's name is a path in a folder of this kernel's own, so no
    channel can be taken or shared. On Windows, or where the path would be too long for a socket, the kernel
    stays on TCP.
    """
    prefix = str(folder / "k")
    if os.name != "posix" or len(prefix) + 4 > _SOCKET_PATH_LIMIT:
        return {"connection_file": str(folder / "kernel.json")}
    return {"transport": "ipc", "ip": prefix, "connection_file": str(folder / "kernel.json")}


#: jupyter_client picks free TCP ports before the kernel binds them, so two kernels starting at once
#: can pick the same port; the loser dies before its first reply (zmq "Address already in use").
KERNEL_START_FAILED = "Kernel died before replying to kernel_info"


def with_start_retry(start: Callable[[], T]) -> T:
    """Start a kernel; once more if it died while starting (nothing had run in it), never otherwise."""
    try:
        return start()
    except RuntimeError as exc:
        if KERNEL_START_FAILED not in str(exc):
            raise
        return start()


_KERNEL: WarmKernel | None = None


def warm(env: dict[str, str], cwd: Path) -> WarmKernel:
    """This process's warm kernel, started on first use (or again, if it died); shut down when the process exits."""
    global _KERNEL
    if _KERNEL is None or not _KERNEL.km.is_alive():
        import atexit

        close()
        _KERNEL = with_start_retry(lambda: WarmKernel(env, cwd))
        atexit.register(close)
    return _KERNEL


def kill() -> None:
    """Kill this process's warm kernel at once, if it has one: on an interrupt, before the build folder it
    writes in is removed, so that no cell still running writes there again (safe in a signal handler)."""
    provisioner = getattr(_KERNEL.km, "provisioner", None) if _KERNEL is not None else None
    pid = getattr(provisioner, "pid", None)
    if pid:
        import signal

        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def close() -> None:
    """Shut this process's warm kernel down, if it has one (a run in the caller's own process)."""
    global _KERNEL
    if _KERNEL is not None:
        kernel, _KERNEL = _KERNEL, None
        kernel.close()
