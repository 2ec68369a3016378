"""Disclosure control: what a committee pack may show.

Committee packs leave the council: a committee pack is a public paper. It shows no school-level row at all,
named, labelled or bare (``audience: committee``): a row of a school's phase, governance and inspection month
is matched to Ofsted's public file, and a pseudonym shared between tables links what the LA thinks of a
school to the school. Sections give counts instead, and the school-level tables go, where the params ask,
into an exempt appendix written beside the pack (``exempt``), never into it. Counts below
``suppression_threshold`` that could identify pupils or a single school are withheld (``withhold``: blank
in the table's frame and listed as its withheld cells, shown as ``c``, DfE's marker) together with the
percentages that depend on them. Internal packs show names.

``Anonymiser`` is what the sections ask how to show a school: its name in an internal pack; in a committee
pack one phrase for every school (``WITHHELD``), so that no label can tell two schools apart or link one
across tables, should a school-level frame ever reach a committee output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .config import load_config

if TYPE_CHECKING:
    from .inputs import Inputs

#: How a committee pack would show any school: one phrase for all, never a label of one (``config/disclosure.yaml``).
WITHHELD: str = load_config("disclosure")["withheld_school"]


@dataclass(frozen=True)
class Anonymiser:
    """Names schools in an internal pack; in a committee pack shows every school as ``WITHHELD``.

    ``labels`` is kept for the callers that build one; a committee pack's is empty and never read.
    """

    committee: bool
    labels: Mapping[str, str]

    def label(self, urn: object, name: object = None) -> str:
        """The school as shown: its name (internal) or ``WITHHELD`` (committee)."""
        if not self.committee:
            return str(name) if name is not None and not pd.isna(name) else str(urn)
        return WITHHELD

    def apply(self, frame: pd.DataFrame, *, urn: str = "urn", name: str = "school_name",
              drop: Iterable[str] = ("urn", "laestab", "address", "postcode")) -> pd.DataFrame:
        """Replace ``name`` by the label; in committee mode drop identifying columns.

        Returns a copy; the ``name`` column holds the school's name (internal) or ``WITHHELD``
        (committee).
        """
        out = frame.copy()
        names = out[name] if name in out else pd.Series([None] * len(out), index=out.index)
        out[name] = [self.label(u, n) for u, n in zip(out[urn], names, strict=True)]
        if self.committee:
            out = coarsen_dates(out.drop(columns=[c for c in drop if c in out and c != name]))
        return out


_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
#: a day in text: "18 Apr 2012" (the day), "2012-04-18" and "18/04/2012" (the day with its separator)
_DAY_IN_TEXT = [
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?={_MONTHS} \d{{4}}\b)"), ""),
    (re.compile(r"\b(\d{4}-\d{2})-\d{2}\b"), r"\1"),
    (re.compile(r"\b\d{1,2}/(\d{1,2}/\d{4})\b"), r"\1"),
]


def coarsen_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Every date in a committee table of schools to its month: exact dates would name the school.

    An anonymised school beside the day it entered special measures, or was inspected, is
    named by anyone holding Ofsted's public reports; a month is shared by several schools.
    Date columns become monthly periods (``2012-04`` in the CSV, "Apr 2012" on the page);
    dates written in text ("Statement of action 28 Apr 2012") lose their day.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.tz_localize(None).dt.to_period("M") if values.dt.tz else values.dt.to_period("M")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(_coarsen_value)
    return out


def _coarsen_value(value: object) -> object:
    if isinstance(value, pd.Timestamp | dt.date):
        return pd.Period(value, "M") if not pd.isna(value) else value
    if isinstance(value, str):
        for pattern, replacement in _DAY_IN_TEXT:
            value = pattern.sub(replacement, value)
    return value


def anonymiser(inputs: Inputs) -> Anonymiser:
    """The pack's anonymiser: names in an internal pack (read from the inputs by each section), one phrase for
    every school in a committee pack (no label, so nothing to link)."""
    return Anonymiser(inputs.params.for_committee, {})


def count_text(n: int, *, threshold: int, committee: bool, noun: str = "") -> str:
    """A count as a sentence may give it: in committee packs a small non-zero one is "fewer than N"."""
    word = f" {noun}" if noun else ""
    return f"fewer than {threshold}{word}" if committee and 0 < n < threshold else f"{n:,}{word}"


@dataclass(frozen=True)
class Withheld:
    """A frame with small counts (and what depends on them) withheld: blanked in ``frame``, listed in ``cells``.

    ``cells`` are ``(row position, column)`` pairs, as ``content.Table.suppressed`` takes them.
    """

    frame: pd.DataFrame
    cells: frozenset[tuple[int, str]]


def withhold(
    frame: pd.DataFrame,
    counts: Iterable[str],
    *,
    threshold: int,
    dependents: Mapping[str, Iterable[str]] | None = None,
    committee: bool = True,
) -> Withheld:
    """Withhold small counts, and the figures that depend on them (a committee pack only).

    Parameters
    ----------
    counts : count columns to check; a value from 1 to ``threshold - 1`` is withheld.
    dependents : count column -> columns derived from it (percentages, rates), withheld with it.
    committee : only committee packs withhold; internal packs get the frame as it is.

    Returns
    -------
    Withheld
        A copy of the frame (index from 0) with each withheld cell blank (NaN), and the cells.
    """
    out = frame.reset_index(drop=True).copy()
    if not committee:
        return Withheld(out, frozenset())
    cells: set[tuple[int, str]] = set()
    dependents = dependents or {}
    for column in counts:
        if column not in out:
            continue
        values = pd.to_numeric(out[column], errors="coerce")
        small = [int(i) for i in out.index[values.gt(0) & values.lt(threshold)]]
        for target in (column, *[d for d in dependents.get(column, ()) if d in out]):
            cells.update((i, target) for i in small)
    for position, column in cells:
        if out[column].dtype.kind in "iub":
            out[column] = out[column].astype(float)
        elif out[column].dtype.kind != "f":
            out[column] = out[column].astype(object)
        out.iat[position, out.columns.get_loc(column)] = np.nan
    return Withheld(out, frozenset(cells))
