"""How long the disclosure audit of a published committee pack takes (``audit.audit``).

    python benchmarks/audit.py PACK_FOLDER [--repeat 5] [--threshold 5]

Audits a committee pack already built (``leep run`` with ``audience: committee``) ``--repeat`` times
and prints the cells audited, the equations, the narrowest range and the median time. The machine's
speed is printed first (a Python loop of 10^7 additions). Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from leep_analysis.audit import audit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    total = 0
    for i in range(10**7):
        total += i
    print(f"machine: loop of 10^7 in {time.perf_counter() - started:.2f} s")
    times, result = [], None
    for _ in range(args.repeat):
        result = audit(args.pack, threshold=args.threshold)
        times.append(result.seconds)
    assert result is not None
    print(f"audit: {result.cells} withheld counts, {result.equations} equations, narrowest {result.narrowest}, "
          f"passed {result.passed}; median {statistics.median(times):.2f} s ({min(times):.2f} to {max(times):.2f})")


if __name__ == "__main__":
    main()
