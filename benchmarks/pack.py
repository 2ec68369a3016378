"""Pack build time against its floor, and how the build scales with the size of the LA.

The floor is the same runner building the same number of notebooks that only
import the package (and so the same libraries) and do nothing else: what any
pack costs in kernel start-up, imports, input validation and HTML export. The
ratio says how much the sections' own work adds.

    python benchmarks/pack.py [--jobs 2] [--repeat 2] [--scales 250,2500,25000]

Prints a table; the last line is ``ratio=<pack seconds / floor seconds>``.
Targets (docs/performance.md): ratio at most 1.3; the default pack under 30 s on 2 cores
with ``--jobs 2``; the 25,000-school LA (all of England) under 2 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from leep_analysis import benchmark
from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR, real_data_dir
from leep_analysis.inputs import data_block
from leep_analysis.params import load_params, parameters_cell
from leep_analysis.registry import SECTIONS
from leep_analysis.runner import run_pack
from leep_analysis.sources.lait import load_lait
from leep_analysis.sources.lait_dictionary import load_dictionary
from leep_analysis.sources.neighbours import load_neighbours

DEFAULT = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def floor_notebooks(dest: Path) -> Path:
    """Notebooks named like the pack's that only take the parameters and import the package."""
    params, _ = load_params(DEFAULT)
    dest.mkdir(parents=True, exist_ok=True)
    for section, spec in SECTIONS.items():
        name = spec.notebook
        nb = nbformat.v4.new_notebook()
        nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
        nb.cells = [
            nbformat.v4.new_code_cell(parameters_cell(params).rstrip("\n"), metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(f'import leep_analysis as leep\nsection = leep.Section.open("{section}", globals())'),
        ]
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"floor-{i}"
        nbformat.write(nb, dest / name)
    return dest


def best_of(repeat: int, build) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return min(times)


def scaled_run(n_schools: int, jobs: int, work: Path) -> tuple[float, float]:
    """Build the default period on a fresh synthetic LA of ``n_schools``; (seconds, peak MB of any process)."""
    data = work / f"sample-{n_schools}"
    subprocess.run([sys.executable, "-m", "leep_analysis", "sample-data", str(data), "--schools", str(n_schools)],
                   check=True, capture_output=True)
    params = yaml.safe_load(DEFAULT.read_text())
    params["data"] = data_block(data)
    path = work / f"scaled-{n_schools}.yaml"
    path.write_text(yaml.safe_dump(params))
    code = ("import resource, sys, time; from leep_analysis.runner import run_pack; t = time.perf_counter(); "
            f"run_pack(sys.argv[1], sys.argv[2], jobs={jobs}, progress=False); "
            "print(time.perf_counter() - t); "
            "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(work / f"out-{n_schools}")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {n_schools:,}-school pack failed: {done.stderr.strip().splitlines()[-1]}")
    out = done.stdout.split()
    return float(out[0]), int(out[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--scales", default="", help="comma-separated school counts, e.g. 250,2500,25000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor_dir = floor_notebooks(work / "floor")
        floor = best_of(args.repeat, lambda: run_pack(DEFAULT, work / "floor-out", jobs=args.jobs, progress=False,
                                                      notebook_dir=floor_dir))
        pack = best_of(args.repeat, lambda: run_pack(DEFAULT, work / "pack-out", jobs=args.jobs, progress=False,
                                                     notebook_dir=NOTEBOOK_DIR))
        print(f"{'measure':<44}{'value':>12}")
        print(f"{'floor: import-only notebooks (s)':<44}{floor:>12.1f}")
        print(f"{'default pack, jobs=' + str(args.jobs) + ' (s)':<44}{pack:>12.1f}")
        real = real_data_dir()
        if real is not None:  # the two real-data timings of benchmarks/load.py and benchmarks/benchmark.py
            started = time.perf_counter()
            lait = load_lait(real / "lait" / "bds_long_0.parquet")
            load_s = time.perf_counter() - started
            dictionary = load_dictionary(real / "lait" / "lait_data_dictionary.csv")
            neighbours = load_neighbours(real / "lait" / "sn_may_2025.xlsx")
            started = time.perf_counter()
            benchmark.all_las(lait, dictionary, neighbours)
            print(f"{'real LAIT load, 641k rows (s)':<44}{load_s:>12.2f}")
            print(f"{'all-LA benchmark, every indicator (s)':<44}{time.perf_counter() - started:>12.2f}")
        for n in [int(s) for s in args.scales.split(",") if s]:
            seconds, peak = scaled_run(n, args.jobs, work)
            print(f"{f'synthetic LA of {n:,} schools (s)':<44}{seconds:>12.1f}")
            print(f"{f'synthetic LA of {n:,} schools, peak MB':<44}{peak:>12.0f}")
        print(f"ratio={pack / floor:.2f}")


if __name__ == "__main__":
    main()
