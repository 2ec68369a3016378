"""One progress bar on stderr for a run: notebooks of a pack, or LAs of a batch."""

from __future__ import annotations

import sys
from collections.abc import Callable


def progress_bar(total: int, enabled: bool, unit: str = "notebook"
                 ) -> tuple[Callable[[str, set[str]], None], Callable[[], None]]:
    """A progress bar on stderr, ``report("start" | "done", names)``: what is running, and how many of ``total``
    are done with the time left (off when not a terminal)."""
    if not enabled or not sys.stderr.isatty():
        return (lambda _event, _names: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, file=sys.stderr, leave=False)

    def report(event: str, names: set[str]) -> None:
        if event == "done":
            bar.update(len(names))
        else:
            bar.set_description("running " + ", ".join(sorted(names)))

    return report, bar.close
