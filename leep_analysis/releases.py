"""What a pack as at a date may show: each input cut to what was published or recorded by then.

LAIT figures are used from their first release (``config/releases.yaml``, by the
achievement section's phases), labelled provisional or revised as they were then;
files of a dated series (Ofsted snapshots, performance tables) dated after ``as_at``
are left out, and so are rows of any dated input (a register's episode, a log's
entry, an inspection) that begin after it (establishments are cut by each section's
open-on-the-day rule): one rule for every
dated input, applied as each is loaded. (The budget ledger keeps its later rows to
count them, and leaves them out of every figure itself.)
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd

from .config import load_config
from .registry import INPUTS


@functools.cache
def _phase_of() -> dict[str, str]:
    """LAIT short code -> achievement phase id (``config/indicators.yaml``)."""
    return {i["code"]: p["id"] for p in load_config("indicators")["phases"] for i in p.get("indicators") or []}


def release(indicator: str, year: int, as_at: dt.date) -> str | None:
    """The status of ``indicator``'s ``year`` figure as at a date, or None when it was not yet published."""
    rules = load_config("releases")
    stages = rules["phases"].get(_phase_of().get(indicator, ""), rules["default"]) or rules["default"]
    status = None
    for stage in stages:
        offset, month, day = stage["at"]
        if dt.date(year + offset, month, day) <= as_at:
            status = stage["status"]
    return status


def lait_as_at(lait: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """LAIT rows published by ``as_at``, with ``status`` (and the year label) as they were then.

    Rows without a year are kept (they are not dated); a year first published
    after ``as_at`` is left out. A year then provisional is labelled so
    (``2014 (prov)``), whatever today's file calls it; later statuses keep the file's label.
    """
    pairs = lait[["indicator", "year"]].drop_duplicates().dropna()
    pairs["then"] = [release(i, int(y), as_at) for i, y in zip(pairs["indicator"], pairs["year"], strict=True)]
    merged = lait.merge(pairs, on=["indicator", "year"], how="left")
    keep = merged["year"].isna() | merged["then"].notna()
    out = merged[keep].copy()
    changed = out["then"].eq("provisional").fillna(False) & out["status"].ne("provisional").fillna(True)
    bare = out.loc[changed, "year_label"].str.replace(r"\s*\([^)]*\)\s*$", "", regex=True)
    out.loc[changed, "year_label"] = bare + " (prov)"
    out.loc[changed, "status"] = "provisional"
    return out.drop(columns="then").reset_index(drop=True).astype(lait.dtypes.to_dict())


def rows_as_at(key: str, frame: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """Rows of a dated input that begin on or before ``as_at`` (``row_date`` in ``config/inputs.yaml``;
    other inputs, and those that keep their later rows, unchanged)."""
    column = INPUTS[key].cut_at if key in INPUTS else None
    if column is None or column not in frame:
        return frame
    when = pd.to_datetime(frame[column], errors="coerce")
    return frame[when.isna() | when.le(pd.Timestamp(as_at))].reset_index(drop=True)


def as_at(key: str, value: object, when: dt.date) -> object:
    """An input as the pack as at ``when`` may see it (frames only; other values unchanged)."""
    if not isinstance(value, pd.DataFrame):
        return value
    if key == "lait":
        return lait_as_at(value, when)
    return rows_as_at(key, value, when)
