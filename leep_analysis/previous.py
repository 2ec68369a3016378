"""The previous period's pack, as published: the figures a committee last saw.

A pack is set against the one before it ("since the last report"). The previous
pack is found among the published packs (``<out>/<la_code>-<period>/``, see
``publishing.pack_folder``) as the period before this one, or named in the params
(``previous_pack:``, relative to the params file). Its ``tables/*.csv`` and
``manifest.json`` are read as published, typed by its data dictionary
(``published``): its figures are never recomputed, since the committee saw them
as they are. No previous pack is
a fact the page states, not an error; a ``previous_pack:`` that names no
published pack of the same LA and an earlier date is an error.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import published
from .errors import InputError, Problem
from .params import PeriodParams
from .school_year import period_before


@dataclass(frozen=True)
class PreviousPack:
    """A published pack read back: its folder, period, as-at date, manifest and tables (as text)."""

    folder: Path
    period: str
    as_at: dt.date
    audience: str
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        """The pack's folder name, as the pack names it (never a path of the machine)."""
        return self.folder.name

    def table(self, name: str) -> published.PublishedTable | None:
        """``tables/<name>.csv`` as published, typed by the pack's data dictionary (None where it has no such table)."""
        return published.read_table(self.folder, name)


def read(folder: Path, *, key: str = "previous_pack") -> PreviousPack:
    """Read a published pack's manifest; raise a one-line problem where the folder is not a published pack.

    Raises
    ------
    InputError
        Naming the folder (by its name) and ``key``: a build folder (``.building-...``),
        no ``manifest.json``, or a manifest without the params of the run.
    """
    folder = Path(folder)
    if folder.name.startswith("."):
        raise InputError(Problem(str(folder), "is a build folder, not a published pack", key=key))
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(Problem(str(folder), "is not a published pack (no manifest.json)", key=key))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        params = manifest["params"]
        pack = PreviousPack(folder=folder, period=str(params["period"]), as_at=dt.date.fromisoformat(params["as_at"]),
                            audience=str(params.get("audience", "internal")), manifest=manifest)
    except (ValueError, KeyError, TypeError):
        raise InputError(Problem(str(path), "has no readable params (period, as_at)",
                                 key=key)) from None
    problems = check_tables(folder, key=key)
    if problems:
        raise InputError(problems)
    return pack


#: The previous pack's tables "since the last report" reads, the columns it reads and their kinds.
TABLES: dict[str, dict[str, str]] = {
    "summary__indicators": {"indicator": "text", "local": "text", "rag": "rag"},
    "summary__measures": {"indicator": "text", "key": "text", "measure": "text", "local": "measure",
                          "year": "text", "status": "text"},
    "summary__headlines": {"key": "text", "label": "text", "value": "measure", "unit": "code", "decimals": "count",
                           "period": "text", "status": "text"},
}
#: The largest figure a published table holds (a count of pupils, money in pounds): anything larger was tampered with.
LARGEST = 1e10


def check_tables(folder: Path, *, key: str = "previous_pack") -> list[Problem]:
    """Problems with the tables of a previous pack that this pack compares with: as any input is checked.

    Each table it reads (``TABLES``) must have its columns, typed in the pack's data dictionary as this
    version types them, and its figures must be finite and of a believable size; a pack of an earlier
    version (no kinds in its data dictionary) is named with what to do. A table the pack lacks is not a
    problem (its section was not in that pack).
    """
    problems: list[Problem] = []
    for stem, wanted in TABLES.items():
        path = Path(folder) / "tables" / f"{stem}.csv"
        if not path.is_file():
            continue
        found = published.read_table(folder, stem)
        assert found is not None
        missing = [c for c in wanted if c not in found.frame.columns]
        if missing:
            problems.append(Problem(str(path), f"has no column {', '.join(missing)}: it is not a table this version "
                                    "of leep-analysis published", key=key))
            continue
        kinds = {c: found.kinds.get(c) for c in wanted}
        if any(kind is None for kind in kinds.values()):
            problems.append(Problem(str(Path(folder) / published.DICTIONARY_NAME),
                                    f"does not type {stem}.csv: the pack was made by an earlier version of "
                                    "leep-analysis; build it again with this version, or leave previous_pack out",
                                    key=key))
            continue
        wrong = [c for c, kind in kinds.items() if kind != wanted[c]]
        if wrong:
            problems.append(Problem(str(path), f"column {wrong[0]} is {kinds[wrong[0]]}, not {wanted[wrong[0]]}",
                                    column=wrong[0], key=key))
            continue
        for column, kind in wanted.items():
            if kind not in ("measure", "count"):
                continue
            values = found.frame[column]
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")[column]
            bad = values.isna() & ~raw.isin(["", "c"]) | ~values.abs().le(LARGEST) & values.notna()
            if bad.any():
                row = int(bad.idxmax())
                problems.append(Problem(str(path), f"not a figure: {raw.iloc[row]!r}", row=row + 2, column=column,
                                        key=key))
    return problems


def locate(params: PeriodParams, out_dir: Path, base: Path) -> Path | None:
    """The previous pack's folder (absolute), or None where there is none to compare with.

    ``params.previous_pack`` (relative to ``base``, the params file's folder)
    wins; otherwise ``<out_dir>/<la_code>-<period before>`` if it was published.

    Raises
    ------
    InputError
        ``previous_pack`` names a folder that is not a published pack, is of
        another LA, or is not as at an earlier date.
    """
    if params.previous_pack is not None:
        named = params.previous_pack
        folder = (named if named.is_absolute() else base / named).resolve()
        if not folder.is_dir():
            raise InputError(Problem(str(named), "previous pack folder not found", key="previous_pack"))
    else:
        folder = (out_dir / f"{params.la_code}-{period_before(params.period)}").resolve()
        if not (folder / "manifest.json").is_file():
            return None
    pack = read(folder)
    la = str(pack.manifest["params"].get("la_code", ""))
    if la != params.la_code:
        raise InputError(Problem(str(folder), f"is a pack for LA {la}, not {params.la_code}", key="previous_pack"))
    if pack.as_at >= params.as_at:
        raise InputError(Problem(str(folder), f"is as at {pack.as_at}, not before as_at {params.as_at}",
                                 key="previous_pack"))
    return folder


def attach(params: PeriodParams, out_dir: Path, base: Path) -> PeriodParams:
    """The params with ``previous_pack`` set to the previous pack's absolute folder (None where there is none).

    The runner calls this before the notebooks run, so a kernel is handed an
    absolute path and never looks for the output folder itself.
    """
    return params.model_copy(update={"previous_pack": locate(params, out_dir, base)})


def load(params: PeriodParams) -> PreviousPack | None:
    """The previous pack named by the (attached) params, or None."""
    return None if params.previous_pack is None else read(params.previous_pack)
