"""Loading speed: the full real LAIT file, and every real published file through its loader.

    python benchmarks/load.py [--repeat 5] [--real DIR]

Prints a table of each file, its loader, rows out and seconds; the last line
is ``load_lait_s=<best seconds of load_lait on the full parquet>``.
Targets (issue "Real published data"): LAIT (641k rows) loaded and tidied in
at most 1.5 s; every real file in at most 15 s in total.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leep_analysis.config import real_data_dir
from leep_analysis.params import DatedFile
from leep_analysis.sources import gias, lait, lait_dictionary, neighbours, ofsted_mi, performance

LAIT_TARGET_S = 1.5
ALL_TARGET_S = 15.0


def jobs(real: Path) -> list[tuple[str, str, Callable[[], Any]]]:
    """(file, loader, call) for every real file that a loader reads."""
    out: list[tuple[str, str, Callable[[], Any]]] = []

    def add(path: Path, name: str, call: Callable[[], Any]) -> None:
        if path.exists():
            out.append((str(path.relative_to(real)), name, call))

    add(real / "lait" / "bds_long_0.parquet", "lait.load_lait", lambda: lait.load_lait(real / "lait" / "bds_long_0.parquet"))
    add(real / "lait" / "lait_data_dictionary.csv", "lait_dictionary.load_dictionary",
        lambda: lait_dictionary.load_dictionary(real / "lait" / "lait_data_dictionary.csv"))
    add(real / "lait" / "sn_may_2025.xlsx", "neighbours.load_neighbours",
        lambda: neighbours.load_neighbours(real / "lait" / "sn_may_2025.xlsx"))
    for path in sorted((real / "ofsted_mi_monthly").glob("*/*")):
        add(path, "ofsted_mi.load_snapshots", lambda p=path: ofsted_mi.load_snapshots([DatedFile(path=p)]))
    perf_tables = real / "ofsted_perf_tables_as_at_2018-07-31" / "england_ofsted-schools.xlsx"
    add(perf_tables, "ofsted_mi.load_ofsted_perf_tables", lambda: ofsted_mi.load_ofsted_perf_tables(perf_tables))
    results = [p for p in sorted(real.glob("perf_tables_*/*.csv")) if "_ks" in p.name and "meta" not in p.name]
    results += sorted((real / "format_reference_non_leics" / "perf_tables_la_extracts").glob("*.csv"))
    for path in results:
        add(path, "performance.load_performance", lambda p=path: performance.load_performance([DatedFile(path=p)]))
    for path in [*sorted(real.glob("perf_tables_*/*school_information.xlsx")),
                 *sorted((real / "gias").glob("*/edubase*.csv")),
                 *sorted((real / "format_reference_non_leics" / "gias_search_extract").glob("*.csv"))]:
        add(path, "gias.load_establishments", lambda p=path: gias.load_establishments(p))
    for path in sorted((real / "gias").glob("*/links_*.csv")):
        add(path, "gias.load_links", lambda p=path: gias.load_links(p))
    for path in sorted((real / "gias").glob("*/grouplinks_*.csv")):
        add(path, "gias.load_group_links", lambda p=path: gias.load_group_links(p))
    for path in sorted((real / "gias").glob("*/allgroupsdata.csv")):
        add(path, "gias.load_groups", lambda p=path: gias.load_groups(p))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of load_lait; the best counts")
    parser.add_argument("--real", type=Path, default=real_data_dir())
    args = parser.parse_args()
    if args.real is None or not (args.real / "lait" / "bds_long_0.parquet").exists():
        print("real data folder not found: pass --real or set LEEP_REAL_DATA", file=sys.stderr)
        return 2
    parquet = args.real / "lait" / "bds_long_0.parquet"
    lait.load_lait(parquet)  # warm-up: imports and first-call costs
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        frame = lait.load_lait(parquet)
        runs.append(time.perf_counter() - started)
    best = min(runs)

    print(f"{'file':<78}{'loader':<36}{'rows':>10}{'seconds':>9}")
    total = 0.0
    for name, loader, call in jobs(args.real):
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
        total += seconds
        print(f"{name[:77]:<78}{loader:<36}{len(result):>10,}{seconds:>9.2f}")
    print(f"LAIT rows {len(frame):,}: load_lait best of {args.repeat} {best:.2f} s "
          f"(target {LAIT_TARGET_S} s: {'met' if best <= LAIT_TARGET_S else 'MISSED'})")
    print(f"every real file: {total:.2f} s (target {ALL_TARGET_S} s: {'met' if total <= ALL_TARGET_S else 'MISSED'})")
    print(f"load_lait_s={best:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
