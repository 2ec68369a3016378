"""Speed of the benchmark engine on the full real LAIT file (641,070 rows, 434 indicators).

Times ``benchmark.all_las`` (ranks, bands and neighbour means of every LA, for
every indicator and year) on the loaded file, and for comparison loading the
file and benchmarking one LA's configured indicator sets.

    python benchmarks/benchmark.py [--repeat 5] [--lait PATH] [--neighbours PATH] [--dictionary PATH]

Prints a table; the last line is ``benchmark_all_s=<best seconds of all_las>``.
Target (docs/benchmarking-rules.md): at most 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from leep_analysis import achievement, benchmark
from leep_analysis.config import real_data_dir
from leep_analysis.sources.lait import load_lait
from leep_analysis.sources.lait_dictionary import load_dictionary
from leep_analysis.sources.neighbours import load_neighbours

TARGET_S = 2.0


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> int:
    folder = real_data_dir()
    lait_default = folder / "lait" / "bds_long_0.parquet" if folder else None
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lait", type=Path, default=lait_default)
    parser.add_argument("--dictionary", type=Path,
                        default=folder / "lait" / "lait_data_dictionary.csv" if folder else None)
    parser.add_argument("--neighbours", type=Path, default=folder / "lait" / "sn_may_2025.xlsx" if folder else None)
    parser.add_argument("--la", default="855", help="LA for the one-LA timing (default Leicestershire)")
    args = parser.parse_args()
    if args.lait is None or not args.lait.exists():
        print("real LAIT file not found: pass --lait or set LEEP_REAL_DATA", file=sys.stderr)
        return 2

    lait, load_s = timed(load_lait, args.lait)
    dictionary = load_dictionary(args.dictionary)
    neighbours = load_neighbours(args.neighbours)
    benchmark.all_las(lait, dictionary, neighbours)  # warm-up: imports and first-call costs
    runs = []
    for _ in range(args.repeat):
        every, seconds = timed(benchmark.all_las, lait, dictionary, neighbours)
        runs.append(seconds)

    rules = achievement.measures(dictionary)
    comp = benchmark.comparators(lait, neighbours, args.la)
    codes = [i.code for i in achievement.all_indicators()]
    parts = {c for i in achievement.all_indicators() for c in (i.gap or (i.code,))}

    def one_la():
        rows = benchmark.add_derived(lait[lait["indicator"].isin(parts)], achievement.derived())
        return benchmark.summarise(benchmark.benchmark(rows, rules, comp, codes), rules)

    one_la()
    _, one_s = timed(one_la)

    best = min(runs)
    print(f"LAIT rows {len(lait):,}, indicators {lait['indicator'].nunique()}, "
          f"LA x indicator x year rows out {len(every):,}")
    print(f"{'step':<52}{'seconds':>10}")
    print(f"{'load_lait (parse the parquet)':<52}{load_s:>10.2f}")
    print(f"{'all_las best of ' + str(args.repeat):<52}{best:>10.2f}")
    print(f"{'all_las median':<52}{statistics.median(runs):>10.2f}")
    print(f"{'one LA: ' + str(len(codes)) + ' indicators with change and trend':<52}{one_s:>10.2f}")
    print(f"{'target for all_las':<52}{TARGET_S:>10.2f}  {'met' if best <= TARGET_S else 'MISSED'}")
    print(f"benchmark_all_s={best:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
