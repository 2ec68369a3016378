"""A published pack's tables read back typed: what the next pack and the overview compare with.

Every table of a pack is a CSV of raw values (``tables.write_table``) and a row
per column in ``data_dictionary.csv`` giving its kind (``content.KINDS``). Read
together they give the table as it was recorded: numbers as numbers, dates as
dates, text as text, and the cells the pack withheld (``c``) as missing values
listed apart. Nothing here reads a formatted figure ("63%", "£12,400").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .content import NUMERIC_KINDS
from .tables import SUPPRESSED, unescape_formula

DICTIONARY_NAME = "data_dictionary.csv"


@dataclass(frozen=True)
class PublishedTable:
    """A published table: its typed frame and the ``(row position, column)`` cells it withheld."""

    frame: pd.DataFrame
    suppressed: frozenset[tuple[int, str]]
    kinds: dict[str, str]


def _dictionary(folder: Path) -> pd.DataFrame:
    path = folder / DICTIONARY_NAME
    if not path.is_file():
        return pd.DataFrame(columns=["table", "column", "kind"])
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def kinds(folder: Path, stem: str) -> dict[str, str]:
    """Each column's kind in a published table (``data_dictionary.csv``); empty where the pack has none."""
    dictionary = _dictionary(Path(folder))
    if "kind" not in dictionary:
        return {}
    rows = dictionary[dictionary["table"] == f"{stem}.csv"]
    return dict(zip(rows["column"], rows["kind"], strict=True))


def read_table(folder: Path, stem: str) -> PublishedTable | None:
    """``tables/<stem>.csv`` of a published pack, typed by its data dictionary (None where there is no such table).

    A column of numbers takes floats (a withheld ``c`` becomes a missing value, listed in
    ``suppressed``); a date column takes dates; every other column stays text, without the
    apostrophe that kept a spreadsheet from running it.
    """
    path = Path(folder) / "tables" / f"{stem}.csv"
    if not path.is_file():
        return None
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    found = kinds(Path(folder), stem)
    frame = pd.DataFrame(index=raw.index)
    withheld: set[tuple[int, str]] = set()
    for column in raw.columns:
        values = raw[column]
        kind = found.get(column, "text")
        if kind in NUMERIC_KINDS:
            withheld.update((int(i), column) for i in values.index[values == SUPPRESSED])
            frame[column] = pd.to_numeric(values.where(~values.isin(["", SUPPRESSED])), errors="coerce")
        elif kind in ("date",):
            frame[column] = pd.to_datetime(values.where(values != ""), format="%Y-%m-%d", errors="coerce")
        else:
            withheld.update((int(i), column) for i in values.index[values == SUPPRESSED]
                            if kind not in ("text", "code"))
            frame[column] = values.map(unescape_formula)
    return PublishedTable(frame, frozenset(withheld), found)
