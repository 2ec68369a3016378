"""The ``leep`` command line.

    leep run PARAMS.yaml [PARAMS.yaml ...] [--out DIR] [--jobs N] [--no-progress]
    leep run PARAMS.yaml --las all|CODE,CODE,...|REGION [--out DIR] [--jobs N] [--no-progress]
    leep validate PARAMS.yaml
    leep sample-data DIR [--schools N]
    leep new-period ID
    leep lab PARAMS.yaml [--dir FOLDER] [--force] [--no-browser] [--dry-run] [-- JUPYTER LAB OPTIONS]

Problems print as one line each on stderr, naming the file and the key or the
row and column, and exit with status 2; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import imports, school_year
from .config import OUTPUT_DIR, PARAMS_DIR, TEMPLATE_DIR
from .errors import InputError, LeepError, os_problem, path_error

EXIT_PROBLEM = 2
#: ``leep validate`` lists at most this many problems, then says how many more (a junk file has millions)
MAX_LISTED = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leep", description="Build the LEEP school-improvement report pack.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="build each period's pack into DIR/<la_code>-<period>/")
    run.add_argument("params", nargs="+", type=Path, help="params/<period>.yaml file(s)")
    run.add_argument("--out", type=Path, default=OUTPUT_DIR, help="output folder (default: ./outputs)")
    run.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel (default 1)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--las", metavar="WHICH",
                     help="a pack for each LA: 'all', codes such as 855,856, or a region; "
                          "then --jobs is the number of LAs built at once (default 2)")

    validate = commands.add_parser("validate", help="check params and every input without running notebooks")
    validate.add_argument("params", type=Path)

    sample = commands.add_parser("sample-data", help="write the embedded sample inputs (the LA's templates) to DIR")
    sample.add_argument("dir", type=Path)
    sample.add_argument("--force", action="store_true", help="overwrite files already in DIR")
    sample.add_argument("--schools", type=int, default=None,
                        help="generate a fresh synthetic LA with this many schools instead of copying the sample")

    new = commands.add_parser("new-period", help="write params/<ID>.yaml from the commented template")
    new.add_argument("id", help="period id, e.g. 2026-27-autumn")
    new.add_argument("--dir", type=Path, default=PARAMS_DIR, help="params folder (default: ./params)")

    lab = commands.add_parser("lab", help="JupyterLab on a working copy of the notebooks with the period's parameters",
                              epilog="Options for jupyter lab itself follow a --: leep lab PARAMS.yaml -- --port=8890")
    lab.add_argument("params", type=Path, help="params/<period>.yaml")
    lab.add_argument("--dir", type=Path, default=None, help="working folder (default: ./lab-<period>)")
    lab.add_argument("--out", type=Path, default=OUTPUT_DIR,
                     help="where the previous pack is looked for, as in 'leep run --out' (default: ./outputs)")
    lab.add_argument("--force", action="store_true", help="overwrite the notebooks of a folder already there")
    lab.add_argument("--no-browser", action="store_true", help="start JupyterLab without opening a browser")
    lab.add_argument("--dry-run", action="store_true", help="copy the notebooks and print the folder; do not start Lab")
    return parser


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(f"leep: error: {line}", file=sys.stderr)
    return EXIT_PROBLEM


def cmd_run(args: argparse.Namespace) -> int:
    from .runner import run_pack

    if args.jobs is not None and args.jobs < 1:
        return _fail(["--jobs must be at least 1"])
    if args.las is not None:
        return cmd_batch(args)
    args.jobs = args.jobs or 1
    for params in args.params:
        index = run_pack(params, args.out, jobs=args.jobs, progress=not args.no_progress)
        print(index)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """``leep run PARAMS --las ...``: a pack per LA and the overview; each failed LA on a line, exit 2."""
    from .batch import run_batch

    if len(args.params) != 1:
        return _fail(["--las takes one params file"])
    try:
        batch = run_batch(args.params[0], args.las, args.out, jobs=args.jobs or 2, progress=not args.no_progress)
    except KeyboardInterrupt:
        return _fail(["interrupted; the LAs' packs already published are kept, the overview was not written"])
    print(batch.overview)
    total = len(batch.built) + len(batch.failed)
    print(f"leep: {len(batch.built)} of {total} LAs built in {batch.seconds:.1f} s", file=sys.stderr)
    if batch.failed:
        return _fail([f"LA {code}: {why}" for code, why in sorted(batch.failed.items())])
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .runner import validate_period

    try:
        problems = validate_period(args.params)
    except InputError as exc:  # the params file itself: every problem with it, not the first
        problems = exc.problems
    errors = [p for p in problems if not p.warning]
    for p in problems[:MAX_LISTED]:
        print(f"leep: {'warning' if p.warning else 'error'}: {str(p).replace(': warning: ', ': ')}", file=sys.stderr)
    if len(problems) > MAX_LISTED:
        print(f"leep: error: and {len(problems) - MAX_LISTED:,} more problems (the first {MAX_LISTED} are listed; "
              "fix those and run 'leep validate' again)", file=sys.stderr)
    if errors:
        return EXIT_PROBLEM
    print(f"{args.params}: params and inputs are valid")
    return 0


def not_a_folder(path: Path, option: str) -> str | None:
    """Why ``path`` cannot be the folder to write in (it, or a folder above it, is a file or a link loop), or None."""
    try:
        path.resolve()
    except (OSError, RuntimeError) as exc:
        if (error := path_error(exc)) is None:
            raise
        return str(os_problem(error, key=option))
    if path.exists() and not path.is_dir():
        return f"{path}: is a file, not a folder; name a folder for {option} (it is made if missing)"
    if any(parent.exists() and not parent.is_dir() for parent in path.parents):
        return f"{path}: a part of the path is a file, not a folder; name another folder for {option}"
    return None


def cmd_sample_data(args: argparse.Namespace) -> int:
    from .sample import copy_sample, sample_names, write_sample

    if (why := not_a_folder(args.dir, "DIR")) is not None:
        return _fail([why])
    # a link counts as there: it is replaced (with --force), never written through
    clashes = [name for name in sample_names() if os.path.lexists(args.dir / name)] if args.schools is None else \
        ([p.name for p in args.dir.iterdir()] if args.dir.is_dir() else [])
    if clashes and not args.force:
        more = f" and {len(clashes) - 1} more" if len(clashes) > 1 else ""
        return _fail([f"{args.dir / clashes[0]}{more}: already there; choose an empty folder or add --force"])
    if args.schools is None:
        written = copy_sample(args.dir)
    else:
        if args.schools < 10:
            return _fail(["--schools must be at least 10"])
        written = write_sample(args.dir, n_schools=args.schools)
    for path in written:
        print(path)
    return 0


def data_key_lines(as_at: str) -> str:
    """One commented line per ``data:`` key of the inputs registry: an example path, the sections that
    read it, its format."""
    from .registry import INPUTS, readers

    lines = []
    for spec in INPUTS.values():
        example = (f"[{{path: ../data/{spec.key}_{as_at}.csv, as_at: {as_at}}}]" if spec.dated
                   else f"[../data/{spec.key}/reading-map.png]" if spec.optional
                   else f"../data/{spec.sample.split('/')[-1]}")
        lines.append(f"#  {spec.key}: {example}\n#    # read by {readers(spec.key)}: {spec.format}")
    return "\n".join(lines)


def period_template(period: str) -> str:
    """The commented params file ``leep new-period`` writes for a period (``templates/period.yaml.tmpl``),
    its dates from ``school_year`` and its data keys and sections from the registries."""
    from .registry import SECTION_IDS

    as_at = school_year.term_end(period).isoformat()
    previous = school_year.previous_term_end(period).isoformat()
    text = (TEMPLATE_DIR / "period.yaml.tmpl").read_text(encoding="utf-8")
    return (text.replace("{period}", period).replace("{as_at}", as_at).replace("{previous_as_at}", previous)
            .replace("{data_keys}", data_key_lines(previous)).replace("{sections}", ", ".join(SECTION_IDS)))


def cmd_new_period(args: argparse.Namespace) -> int:
    if not school_year.PERIOD_PATTERN.match(args.id):
        return _fail([f"'{args.id}' is not a period id such as 2026-27-autumn"])
    if (why := not_a_folder(args.dir, "--dir")) is not None:
        return _fail([why])
    dest = args.dir / f"{args.id}.yaml"
    if os.path.lexists(dest):
        return _fail([f"{dest}: already exists; edit it or remove it first"])
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "x", encoding="utf-8") as handle:  # a new file: never through a link planted there
        handle.write(period_template(args.id))
    print(dest)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """``leep lab``: copy the notebooks with the period's parameters injected (``lab.prepare``), then start Lab."""
    from . import lab

    if not args.dry_run and not lab.lab_available():
        return _fail(["JupyterLab is not installed: pip install jupyterlab (or install leep-analysis[dev])"])
    copy = lab.prepare(args.params, args.dir, out_dir=args.out, force=args.force)
    print(copy.folder)
    if args.dry_run:
        return 0
    lab.start(copy.folder, browser=not args.no_browser, extra=args.lab_args)
    return 0  # not reached: Lab replaces this process


COMMANDS = {"run": cmd_run, "validate": cmd_validate, "sample-data": cmd_sample_data, "new-period": cmd_new_period,
            "lab": cmd_lab}


def main(argv: list[str] | None = None) -> int:
    imports.skip_unused()
    argv = list(sys.argv[1:] if argv is None else argv)
    # after --, options for jupyter lab (``leep lab``): argparse's subcommands cannot take them
    lab_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = _parser()
    args = parser.parse_args(argv)
    if lab_args and args.command != "lab":
        parser.error(f"options after -- are for 'leep lab' only: {' '.join(lab_args)}")
    args.lab_args = lab_args
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        if args.debug:
            raise
        hint = "; 'leep validate' lists them all" if len(exc.problems) > 1 else ""
        return _fail([f"{exc}{hint}"])
    except LeepError as exc:
        if args.debug:
            raise
        return _fail([str(exc)])
    except (OSError, RuntimeError) as exc:  # a path the checks above did not foresee: still one line
        error = path_error(exc)
        if args.debug or error is None:
            raise
        return _fail([str(os_problem(error, None if error.filename else getattr(args, "out", None)))])
    except KeyboardInterrupt:
        return _fail(["interrupted; no pack was written"])


if __name__ == "__main__":
    sys.exit(main())
