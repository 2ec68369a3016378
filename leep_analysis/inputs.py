"""The pack's inputs: which file each key means, how it is loaded, and validation of all of them.

Each input key of the params file's ``data:`` block is an entry of the inputs
registry (``registry.INPUTS``, ``config/inputs.yaml``) with a loader in
``leep_analysis.sources``. A pack is wholly on the embedded synthetic sample (no
``data:`` key at all) or on the LA's files: then every input of the chosen
sections must be named, and ``sample`` for a key takes the sample for that input
on purpose, shown on every page it affects (``coverage``).
Loaded inputs are cached as pickles in ``LEEP_CACHE_DIR`` when the runner sets
it, so the notebooks of one run share one parse of each file; so are the sections'
analyses (``analyses.of``, which keeps them in ``Inputs.analyses_held``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import importlib
import os
import pickle
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import releases, workspace
from .config import ENV_CACHE_DIR, SAMPLE_DIR
from .errors import InputError, Problem, os_problem
from .params import SAMPLE, DatedFile, PeriodParams
from .registry import INPUTS, InputSpec, readers
from .sources._read import near_matches, remember_near_matches
from .sources.file_dates import dates_in_name

#: Every input, by key, in registry order (``config/inputs.yaml``).
SPECS: dict[str, InputSpec] = INPUTS


def _call(dotted: str) -> Callable[..., Any]:
    module, name = dotted.split(":")
    return getattr(importlib.import_module(f"leep_analysis.sources.{module}"), name)


def sample_files(spec: InputSpec, as_at: dt.date) -> list[DatedFile]:
    """The packaged sample file(s) for an input; dated series stop at ``as_at``; none for an optional input."""
    if spec.optional:
        return []
    if not spec.dated:
        return [DatedFile(path=SAMPLE_DIR / spec.sample)]
    files = []
    for path in sorted(SAMPLE_DIR.glob(spec.sample)):
        try:
            when = dt.date.fromisoformat(path.stem[:10])
        except ValueError:
            continue  # not a dated sample file (e.g. a README)
        if when <= as_at:
            files.append(DatedFile(path=path, as_at=when))
    return files


def dated(item: DatedFile) -> dt.date | None:
    """A dated input file's as-at date: the params' ``as_at``, else the one date its name holds
    (``... 31 December 2014.xlsx``, ``2015-05-31``), else None (its loader asks for one)."""
    if item.as_at is not None:
        return item.as_at
    found = dates_in_name(Path(item.path).name)
    return found[0] if len(found) == 1 else None


def data_block(folder: str | Path) -> dict[str, Any]:
    """A params ``data:`` block pointing every input at a folder laid out like the sample.

    For example the folder written by ``leep sample-data DIR`` (or ``--schools N``).
    """
    folder = Path(folder)
    block: dict[str, Any] = {}
    for spec in SPECS.values():
        if spec.optional:
            files = sorted(folder.glob(spec.sample))
            if files:
                block[spec.key] = [str(p) for p in files]
        elif spec.dated:
            files = sorted(folder.glob(spec.sample))
            if files:
                block[spec.key] = [{"path": str(p), "as_at": p.stem[:10]} for p in files]
        elif (folder / spec.sample).exists():
            block[spec.key] = str(folder / spec.sample)
    return block


@dataclass
class Inputs:
    """Lazy access to every input of one period, loaded once and cached.

    Use ``inputs.get("lait")`` (or ``inputs.lait``); ``validate()`` loads every
    input the chosen sections need and reports all problems at once.
    """

    params: PeriodParams
    cache_dir: Path | None = field(default=None)
    #: the params file, named in problems and against which published paths are given
    params_file: Path | None = field(default=None)
    _loaded: dict[str, Any] = field(default_factory=dict, repr=False)
    _raw: dict[str, Any] = field(default_factory=dict, repr=False)
    #: the sections' analyses this Inputs has worked out or loaded (``analyses.of``), by section id
    analyses_held: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.cache_dir is None and os.environ.get(ENV_CACHE_DIR):
            self.cache_dir = Path(os.environ[ENV_CACHE_DIR])

    def needed(self) -> list[InputSpec]:
        """Inputs used by the params' sections, in registry order."""
        wanted = set(self.params.sections)
        return [spec for spec in SPECS.values() if spec.sections & wanted]

    def files(self, key: str) -> list[DatedFile]:
        """The file(s) behind an input key: the params' own, or the sample's."""
        spec = SPECS[key]
        given = getattr(self.params.data, key)
        if spec.optional:
            return list(given) if isinstance(given, list) else []  # left out, or the sample's: none
        if self.is_sample(key):
            return sample_files(spec, self.params.as_at)
        if not spec.dated:
            return [DatedFile(path=given)]
        return [f for f in given if (when := dated(f)) is None or when <= self.params.as_at]

    def is_sample(self, key: str) -> bool:
        """Whether an input is the embedded sample: a pack naming no input, or ``key: sample`` (never an optional one)."""
        return not SPECS[key].optional and getattr(self.params.data, key) in (None, SAMPLE)

    @property
    def on_sample(self) -> bool:
        """True when the whole pack is on the embedded sample (the params name no input)."""
        return not self.params.data.named()

    def uses_sample(self) -> bool:
        """True when any input of the chosen sections is the synthetic sample."""
        return any(self.is_sample(spec.key) for spec in self.needed())

    def sample_in(self, section: str) -> list[InputSpec]:
        """Inputs of a section on the LA's files that the params take from the sample on purpose."""
        if self.on_sample:
            return []
        return [s for s in self.needed() if section in s.sections and getattr(self.params.data, s.key) == SAMPLE]

    def coverage(self) -> list[Problem]:
        """Sample or real, never both: what a pack on the LA's files fails to name, and names unused.

        One problem per chosen section with unnamed inputs (so a section is never
        built on a mix), and a warning per named input no chosen section uses.
        """
        if self.on_sample:
            return []
        source = str(self.params_file) if self.params_file else "the params file"
        named = self.params.data.named()
        problems = []
        for section in self.params.sections:
            missing = [s.key for s in SPECS.values() if section in s.sections and s.key not in named and not s.optional]
            if missing:
                problems.append(Problem(source, f"{section} needs {', '.join(missing)}: name them under data: "
                                        f"(or 'sample' to take the sample's on purpose), or leave {section} out "
                                        "of sections", key="data"))
        wanted = set(self.params.sections)
        for key, given in named.items():
            later = [f for f in given if f not in self.files(key)] if isinstance(given, list) else []
            if later:
                problems.append(Problem(source, f"{len(later)} file(s) dated after as_at {self.params.as_at} left "
                                        f"out: {', '.join(str(dated(f)) for f in later)}", key=f"data.{key}",
                                        warning=True))
            if not SPECS[key].sections & wanted:
                problems.append(Problem(source, f"no chosen section uses it (it is read by {readers(key)})",
                                        key=f"data.{key}", warning=True))
        return problems

    def get(self, key: str) -> Any:
        """Load an input (once per process; once per run with a cache folder).

        With a cache folder, a process keeps what it loaded for the next ``Inputs`` of the same
        run (``_RUN``): a batch's worker builds pack after pack from one load of each national file.
        """
        if key not in self._loaded:
            self._loaded[key] = self._screened(key, self.as_loaded(key))
        return self._loaded[key]

    def as_loaded(self, key: str) -> Any:
        """An input as its file says it, before a committee pack's free text is screened (``get`` gives it as the
        pack may use it): for ``identifying``, which reads the schools of the LA's registers."""
        if key in self._raw:
            return self._raw[key]
        spec = SPECS[key]
        cache = self._cache_path(key)
        kept, memo = _held(self.cache_dir), (key, str(cache), self.params.as_at)
        if memo in kept:
            value = kept[memo]
        elif cache is not None and cache.exists():
            with open(cache, "rb") as handle:
                value, matches = pickle.load(handle)  # noqa: S301 - written by this run
            remember_near_matches(matches)  # the manifest and index list them, whichever process loaded the file
        else:
            files = self.files(key)
            value = releases.as_at(key, _call(spec.loader)(files if spec.dated or spec.optional else files[0].path),
                                   self.params.as_at)
            if cache is not None:
                matches = {str(f.path): near_matches(str(f.path)) for f in files}
                try:
                    cache.parent.mkdir(parents=True, exist_ok=True)
                    with open(cache, "wb") as handle:
                        pickle.dump((value, matches), handle, protocol=pickle.HIGHEST_PROTOCOL)
                except OSError as exc:  # a full temporary folder: one line, and no half-written pickle
                    cache.unlink(missing_ok=True)
                    raise workspace.temp_problem(exc, f"while the inputs were cached ({spec.key})") from None
        kept[memo] = value
        self._raw[key] = value
        return value

    def _screened(self, key: str, value: Any) -> Any:
        """A committee pack's free text with each school's or person's name replaced by a neutral phrase, where the
        params say ``committee: free_text: replace`` (``identifying.screen``); else the input as it was loaded."""
        from . import identifying

        meeting = self.params.committee
        if meeting is None or meeting.free_text != "replace" or (key not in identifying.FREE_TEXT
                                                                 and key != "narrative"):
            return value
        return identifying.screen(key, value, identifying.identifiers(self))

    def national(self, name: str, build: Callable[[], Any]) -> Any:
        """Work on national files that is the same for every LA (every school's outcomes, all LAs' ranks).

        Kept with the run's loaded inputs (``_RUN``) for params that differ from these only in
        what a batch sets for each LA (``la_code``, ``previous_pack``): a batch's worker does it
        once, not once per LA. The value is shared by those LAs: read it, never change it.
        """
        kept = _held(self.cache_dir)
        memo = ("national", name, self.params.model_dump_json(exclude={"la_code", "previous_pack"}))
        if memo not in kept:
            kept[memo] = build()
        return kept[memo]

    def __getattr__(self, key: str) -> Any:
        if key in SPECS:
            return self.get(key)
        raise AttributeError(key)

    def _cache_path(self, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        signature = "|".join(f"{f.path}:{f.as_at}" for f in self.files(key))
        digest = hashlib.sha256(signature.encode()).hexdigest()[:16]
        return self.cache_dir / f"{key}-{digest}.pickle"

    def validate(self) -> list[Problem]:
        """Load every needed input; return every problem found (``checks.validate`` adds the checks across inputs)."""
        problems = [p for spec in self.needed() for f in self.files(spec.key)
                    if (p := _unreadable(Path(f.path), f"data.{spec.key}")) is not None]
        problems += self.coverage()
        if any(not p.warning for p in problems):
            return problems  # nothing is loaded for a pack that would mix the sample in
        for spec in self.needed():
            files = self.files(spec.key)
            if spec.dated and not files:
                problems.append(Problem(str(self.params_file or "the params file"),
                                        f"no {spec.title} files as at or before {self.params.as_at}",
                                        key=f"data.{spec.key}"))
            if not files:
                continue
            try:
                self.get(spec.key)
            except InputError as exc:
                problems.extend(exc.problems)
        return problems


#: the inputs this process has loaded in its current run (cache folder): {folder: {(key, cache, as_at): value}}
_RUN: dict[Path, dict[tuple[Any, ...], Any]] = {}


def _held(cache_dir: Path | None) -> dict[tuple[Any, ...], Any]:
    """What this process has loaded in the run of ``cache_dir``, to add to; an earlier run's is forgotten
    (memory stays one run's). Without a cache folder, a dict nobody keeps."""
    if cache_dir is None:
        return {}
    if cache_dir not in _RUN:
        _RUN.clear()
        _RUN[cache_dir] = {}
    return _RUN[cache_dir]


def _unreadable(path: Path, key: str) -> Problem | None:
    """Why a named input cannot be read at all (missing, a folder, a device, too large), or None."""
    from .sources._read import MAX_BYTES, _size_text

    try:
        info = path.stat()
    except OSError as exc:  # not there, a link loop, no permission to look
        return Problem(str(path), "file not found", key=key) if exc.errno == errno.ENOENT else \
            os_problem(exc, key=key)
    if stat.S_ISDIR(info.st_mode):
        return Problem(str(path), "is a folder, not a file", key=key)
    if not stat.S_ISREG(info.st_mode):
        return Problem(str(path), "is not a regular file (a device or a pipe?); name the data file", key=key)
    if info.st_size > MAX_BYTES:
        return Problem(str(path), f"is larger than {_size_text(MAX_BYTES)}, the most an input may be", key=key)
    return None


def published_path(path: Path, inputs: Inputs) -> str:
    """How a pack names an input file: never by a path of the analyst's machine.

    The sample's files as ``sample_data/...``; the LA's relative to the params
    file's folder (``../data/lait.parquet``, as the params file names them), or
    by file name alone where the two share no folder but the root (a relative
    path climbing to the root would spell out the absolute one).
    """
    path = Path(path).resolve()
    if path.is_relative_to(SAMPLE_DIR):
        return f"sample_data/{path.relative_to(SAMPLE_DIR).as_posix()}"
    if inputs.params_file is not None:
        folder = inputs.params_file.resolve().parent
        with contextlib.suppress(ValueError):  # another drive (Windows)
            if Path(os.path.commonpath([path, folder])) != Path(path.anchor):
                return Path(os.path.relpath(path, folder)).as_posix()
    return path.name


def describe_files(inputs: Inputs) -> list[dict[str, Any]]:
    """Each input file used: key, title, path (``published_path``), size, SHA-256, as-at date, sample or not,
    and ``header_matches`` (file header -> the known header it was read as, ``_read.near_matches``)."""
    rows = []
    for spec in inputs.needed():
        for f in inputs.files(spec.key):
            path = Path(f.path)
            data = path.read_bytes()
            rows.append({
                "key": spec.key,
                "title": spec.title,
                "path": published_path(path, inputs),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "as_at": f.as_at.isoformat() if f.as_at else None,
                "sample": inputs.is_sample(spec.key),
                "header_matches": near_matches(str(path)),  # misspelt headers read as known ones
            })
    return rows
