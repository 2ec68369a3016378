"""Every school lineage's graded inspections as sorted arrays: the grade any school had on any day.

Built by ``data`` (``SupportData.timeline``) and read by ``matching`` to find comparison schools.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


class Timeline:
    """Every lineage's graded inspections up to ``as_at`` as sorted arrays: the grade any school had on any day.

    Matching looks up thousands of schools on each supported school's start
    date; a binary search over (lineage, day) keys does it without building
    the supported x candidate cross product. Rows are positions in the
    arrays, -1 for none.
    """

    _SPAN = 1 << 22  # more days than any inspection date is from the epoch

    def __init__(self, history: pd.DataFrame, as_at: pd.Timestamp) -> None:
        hist = history[history["inspection_date"].le(as_at)].sort_values(["lineage", "inspection_date"], kind="stable")
        lineages = hist["lineage"].astype("string").to_numpy(dtype=object)
        self._codes = {lineage: i for i, lineage in enumerate(pd.unique(lineages))}
        self.lineage = np.array([self._codes[x] for x in lineages], dtype=np.int64)
        self.day = day_numbers(hist["inspection_date"])
        self.grade = hist["grade"].to_numpy(dtype=float, na_value=np.nan)
        self.urn = hist["urn"].astype("string").to_numpy(dtype=object)
        # each inspection's change from the one before, as the events table records it (every page's)
        self.change = (hist["change"].astype(object).to_numpy() if "change" in hist
                       else np.full(len(hist), None, dtype=object))
        self.basis = (hist["basis"].astype(object).to_numpy() if "basis" in hist
                      else np.full(len(hist), None, dtype=object))
        self._keys = self.lineage * self._SPAN + self.day
        good = np.flatnonzero(self.grade <= 2)
        first = np.searchsorted(good, np.arange(len(self.grade)))  # the first good row at or after each row
        first = np.where(first < len(good), good[np.minimum(first, len(good) - 1)], -1)
        self._good_from = np.where((first >= 0) & (self.lineage[np.maximum(first, 0)] == self.lineage), first, -1)

    def codes(self, lineages: Iterable[str]) -> np.ndarray:
        """Each lineage's code (-1 for one never inspected)."""
        return np.array([self._codes.get(x, -1) for x in lineages], dtype=np.int64)

    def _of(self, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
        if not len(self.lineage):
            return np.full(np.shape(rows), -1)
        inside = (codes >= 0) & (rows >= 0) & (rows < len(self.lineage))
        return np.where(inside & (self.lineage[np.clip(rows, 0, len(self.lineage) - 1)] == codes), rows, -1)

    def before(self, codes: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        """Each school's last inspection on or before its day."""
        return self._of(np.searchsorted(self._keys, codes * self._SPAN + days, side="right") - 1, codes)

    def after(self, codes: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        """Each school's first inspection after its day."""
        return self._of(np.searchsorted(self._keys, codes * self._SPAN + days, side="right"), codes)

    def good_from(self, rows: np.ndarray) -> np.ndarray:
        """The first good or better inspection at or after each row, of the same school."""
        return np.where(rows >= 0, self._good_from[np.maximum(rows, 0)], -1)

    def take(self, values: np.ndarray, rows: np.ndarray, missing: Any = np.nan) -> np.ndarray:
        """``values`` (an array of the timeline's) at each row, ``missing`` where there is none."""
        return np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else missing, missing)


def day_numbers(values: pd.Series | pd.Index) -> np.ndarray:
    """Dates as whole days since the epoch (int64)."""
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").astype(np.int64)
