"""A kernel's entry point: ipykernel's own, in a kernel that dies the moment its parent does.

ipykernel polls for its parent only once it has started (its imports take seconds on a loaded
machine), and a parent gone before then is missed: a run killed with ``kill -9`` while its kernels
were starting left them running. Here, before anything is imported, the kernel asks Linux to kill
it when its parent dies (``PR_SET_PDEATHSIG``); elsewhere a thread watches for the parent instead.

Run by path (``python kernel_main.py -f ...``), not as a module of the package: importing the
package first would open the same gap.
"""

import os
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Exit as soon as ``parent`` (the process that started this kernel) is no longer its parent."""
    import signal

    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.2)
            os._exit(1)

        threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
    if os.getppid() != parent:  # gone between the caller's check and the request
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    return True


if __name__ == "__main__":
    here = os.path.dirname(os.path.realpath(__file__))
    if sys.path and os.path.realpath(sys.path[0] or os.curdir) == here:
        del sys.path[0]  # this file's folder: the package's modules would shadow others ("tables", "charts")
    given = os.environ.get("JPY_PARENT_PID", "")
    # on Windows it is a handle, not a process id, and ipykernel's own poller watches it
    if sys.platform != "win32" and given.isdigit():
        if os.getppid() == int(given):
            die_with_parent(int(given))
        elif not _alive(int(given)):  # the process that started it is gone already
            os._exit(1)
        # else a kernelspec that starts Python through a wrapper (conda run): that wrapper is the parent
    import runpy

    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
