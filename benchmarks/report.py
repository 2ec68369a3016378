"""How long a committee pack's report takes to make: its facts, parts, PDF (typst) and page, from the blocks.

    python benchmarks/report.py [--repeat 5] [--real]

Builds the sample's spring committee pack (and, with ``--real``, Leicestershire's committee pack of
achievement and inspections on the real files in ``../shared/data/real``, as at 31 December 2025) and
times the step that writes its report (``paper.write``: facts from the blocks, the parts, background
papers from the inputs' freshness, ``pack.pdf`` and ``report.html``), once as the run made it and then
``--repeat`` times more on the same blocks. The first call of a process also loads the fonts typst lays
out with (once per process: a batch's worker pays it once for all its LAs); it is timed apart.
The machine's speed is printed first (a Python loop of 10^7 additions). The last line:
``report: sample 0.45 s, real 0.40 s (median of 5; fonts 1.1 s once a process); target 1 s``.
Target (docs/performance.md): the committee report in at most 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from pypdf import PdfReader

from leep_analysis import paper
from leep_analysis.config import PARAMS_DIR, real_data_dir
from leep_analysis.render import pdf
from leep_analysis.runner import run_pack


def machine_speed() -> float:
    """Seconds for a Python loop of 10^7 additions (what the figures are to be read against)."""
    started, total = time.perf_counter(), 0
    for n in range(10_000_000):
        total += n
    return time.perf_counter() - started


def time_report(params: Path, out: Path, repeat: int) -> tuple[float, list[float]]:
    """Build the pack, timing its report: the run's own call, then ``repeat`` more on the same blocks."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    seconds: list[float] = []
    write = paper.write

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = write(*args, **kwargs)
        seconds.append(time.perf_counter() - started)
        calls.append((args, kwargs))
        return result

    paper.write = timed  # the runner looks it up when it writes the report (in this process)
    try:
        run_pack(params, out, jobs=2, progress=False)
    finally:
        paper.write = write
    (inputs, place, blocks, _built), kwargs = calls[0]  # the build folder was published: write beside it
    again = []
    for n in range(repeat):
        folder = out / f"again-{n}"
        folder.mkdir()
        started = time.perf_counter()
        write(inputs, place, blocks, folder, **kwargs)
        again.append(time.perf_counter() - started)
    return seconds[0], again


def real_committee_params(real: Path, dest: Path) -> Path:
    """Leicestershire's committee pack of achievement and inspections on the real files (benchmarks/batch.py's)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from batch import real_params

    values = yaml.safe_load(real_params(real, dest).read_text(encoding="utf-8"))
    values.update(audience="committee", committee={"council": "Leicestershire County Council",
                                                   "meeting_date": "2026-03-02", "agenda_item": "7"})
    dest.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--real", action="store_true", help="also Leicestershire's committee pack on the real files")
    args = parser.parse_args()
    print(f"{'machine: Python loop of 10^7 additions, s':<52}{machine_speed():>8.2f}")
    started = time.perf_counter()
    pdf._fonts()  # noqa: SLF001 - loaded once a process; timed apart from the report
    fonts = time.perf_counter() - started
    print(f"{'fonts loaded for typst (once a process), s':<52}{fonts:>8.2f}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = [("sample", PARAMS_DIR / "2025-26-spring.yaml")]
        real = real_data_dir()
        if args.real and real is not None:
            cases.append(("real", real_committee_params(real, work / "real.yaml")))
        elif args.real:
            print("benchmarks/report.py: the real files are not found (../shared/data/real or LEEP_REAL_DATA)")
        for name, params in cases:
            first, again = time_report(params, work / name, args.repeat)
            pages = len(PdfReader(next((work / name).glob("*/pack.pdf"))).pages)
            results[name] = statistics.median(again)
            print(f"{f'{name}: report in the run, s':<52}{first:>8.2f}")
            print(f"{f'{name}: report again, median of {args.repeat}, s':<52}{results[name]:>8.2f}"
                  f"   ({min(again):.2f} to {max(again):.2f}; {pages} pages)")
    print("report: " + ", ".join(f"{k} {v:.2f} s" for k, v in results.items())
          + f" (median of {args.repeat}; fonts {fonts:.1f} s once a process); target 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
