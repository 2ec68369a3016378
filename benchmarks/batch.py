"""A batch of every LA on the real files: total time, time per LA, peak memory, against single runs.

    python benchmarks/batch.py [--las all] [--jobs 2]

Builds achievement and inspections (the sections made from national files) for the LAs named, on
the real LAIT, statistical neighbours, Ofsted (April 2013 and May 2015), school information and
GIAS links files in ``../shared/data/real`` (or ``LEEP_REAL_DATA``), as at 31 December 2025; then
the same two-LA batch against two single runs. Peak memory is the most the whole process tree
(this process, its workers and their kernels) held at once, sampled every 0.2 s.
The last line: ``batch: 153 LAs in 412.3 s, 2.7 s per LA, peak 2.1 GB, 0.12 of 153 single runs``.
Targets (docs/performance.md): all 153 LAs in at most 10 minutes on 2 cores, peak under 4 GB, time per LA the
same in the batch's second half as in its first.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

from leep_analysis.batch import run_batch
from leep_analysis.config import real_data_dir
from leep_analysis.runner import run_pack


def real_params(real: Path, dest: Path, la_code: str = "855") -> Path:
    """A params file for achievement and inspections on the real files."""
    ofsted = real / "ofsted_mi_monthly"
    dest.write_text(yaml.safe_dump({
        "period": "2025-26-autumn", "la_code": la_code, "audience": "internal", "as_at": "2025-12-31",
        "previous_as_at": "2025-08-31", "sections": ["achievement", "inspections"], "data": {
            "lait": str(real / "lait" / "bds_long_0.parquet"),
            "lait_dictionary": str(real / "lait" / "lait_data_dictionary.csv"),
            "neighbours": str(real / "lait" / "sn_may_2025.xlsx"),
            "establishments": str(real / "perf_tables_2018_19" / "england_school_information.xlsx"),
            "establishment_links": str(real / "gias" / "2026-08-21" / "links_edubasealldata.csv"),
            "ofsted_mi": [{"path": str(next((ofsted / day).iterdir())), "as_at": day}
                          for day in ("2013-04-30", "2015-05-31")]}}, sort_keys=False), encoding="utf-8")
    return dest


class PeakMemory:
    """The most resident memory this process and all its descendants held at once, sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak, self._stop, self._interval = 0, threading.Event(), interval
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a kernel that has just exited
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", default="all")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    real = real_data_dir()
    if real is None:
        print("benchmarks/batch.py: the real files are not found (../shared/data/real or LEEP_REAL_DATA)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        params = real_params(real, work / "autumn.yaml")

        (work / "single").mkdir()
        started = time.perf_counter()
        for code in ("855", "856"):  # as an analyst runs one LA: its own params file, its own run
            run_pack(real_params(real, work / "single" / "autumn.yaml", code), work / "single-out",
                     jobs=args.jobs, progress=False)
        single = (time.perf_counter() - started) / 2
        pair = run_batch(params, "855,856", work / "pair", jobs=args.jobs, progress=False)
        print(f"{'one single run (mean of 855, 856), s':<48}{single:>10.1f}")
        print(f"{'two single runs, s':<48}{2 * single:>10.1f}")
        print(f"{'the same two LAs as one batch, s':<48}{pair.seconds:>10.1f}")

        with PeakMemory() as memory:
            batch = run_batch(params, args.las, work / "all", jobs=args.jobs, progress=True)
        n = len(batch.built) + len(batch.failed)
        per_la = [seconds for code, seconds in batch.la_seconds.items() if code in batch.built]
        half = len(per_la) // 2
        print(f"{'LAs built / failed':<48}{len(batch.built):>6} / {len(batch.failed)}")
        for code, why in sorted(batch.failed.items()):
            print(f"  failed {code}: {why}")
        if half:
            print(f"{'worker s per LA built, first half / second half':<48}"
                  f"{sum(per_la[:half]) / half:>6.1f} / {sum(per_la[half:]) / (len(per_la) - half):.1f}")
        print(f"batch: {n} LAs in {batch.seconds:.1f} s, {batch.seconds / n:.1f} s per LA, "
              f"peak {memory.peak / 1e9:.1f} GB, {batch.seconds / (n * single):.2f} of {n} single runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
