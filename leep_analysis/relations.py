"""The linear relations a table's figures keep: what secondary suppression protects and the audit solves.

A reader who adds and subtracts recovers a withheld cell from the figures around it: a row's
total beside its parts, a column's total row, a share beside its base. A table declares these
relations (``content.Table.relations``) so that ``disclosure.withhold`` can withhold
complementary cells and ``audit`` can check, from the published files alone, that no withheld
figure can be worked out. Each relation is published in ``tables/relations.csv`` (``to_row``),
one row per declared relation, and ``equations`` expands it to the equations among cells the
table's CSV holds.

Three forms:

- ``across(total, parts, minus=())``: in every row, ``total = sum(parts) - sum(minus)``
  (a Total column; "now = before + entered - left").
- ``down(key, total, parts, columns, by=())``: within each group of rows equal in ``by``, the row
  whose ``key`` is ``total`` holds, in each of ``columns``, the sum of the rows whose ``key`` is
  one of ``parts`` (every other row of the group where ``parts`` is empty): a total row.
- ``share(pct, count, base=None, by=())``: ``pct = 100 * count / base`` in each row, ``base`` a
  column of the row or, where None, the sum of ``count`` over the row's group of ``by``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: Columns of ``tables/relations.csv``.
COLUMNS = ["table", "kind", "total", "parts", "minus", "key", "columns", "by", "base", "total_key"]
KINDS = ("across", "down", "share")
#: A cell of a table: (row position, column).
Cell = tuple[int, str]


@dataclass(frozen=True)
class Relation:
    """One declared linear relation among a table's cells (see the module's three forms)."""

    kind: str
    total: str
    parts: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    key: str | None = None
    columns: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    base: str | None = None
    #: for ``down``: the column naming the total row, where not ``key`` (a long table's "reach, period" row)
    total_key: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown relation kind {self.kind!r}")
        for name in ("parts", "minus", "columns", "by"):
            object.__setattr__(self, name, tuple(str(v) for v in getattr(self, name)))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "total": self.total, "parts": list(self.parts), "minus": list(self.minus),
                "key": self.key, "columns": list(self.columns), "by": list(self.by), "base": self.base,
                "total_key": self.total_key}


def across(total: str, parts: Iterable[str], minus: Iterable[str] = ()) -> Relation:
    """In every row, ``total = sum(parts) - sum(minus)``."""
    return Relation("across", total, tuple(parts), tuple(minus))


def down(key: str, total: str, columns: Iterable[str], parts: Iterable[str] = (), by: Iterable[str] = (),
         total_key: str | None = None) -> Relation:
    """Within each group of ``by``, the row whose ``key`` (or ``total_key``) is ``total`` sums the rows whose
    ``key`` is one of ``parts`` (every other row where none are named), column by column."""
    return Relation("down", str(total), tuple(parts), key=key, columns=tuple(columns), by=tuple(by),
                    total_key=total_key)


def share(pct: str, count: str, base: str | None = None, by: Iterable[str] = ()) -> Relation:
    """``pct = 100 * count / base`` (``base`` a column; None: ``count``'s sum over the row's group of ``by``)."""
    return Relation("share", pct, (count,), base=base, by=tuple(by))


def from_json(data: Mapping[str, Any]) -> Relation:
    return Relation(data["kind"], data["total"], tuple(data.get("parts") or ()), tuple(data.get("minus") or ()),
                    data.get("key"), tuple(data.get("columns") or ()), tuple(data.get("by") or ()), data.get("base"),
                    data.get("total_key"))


def to_row(table: str, relation: Relation) -> dict[str, str]:
    """A relation as a row of ``tables/relations.csv`` (lists as JSON arrays, so a reader need not guess)."""
    data = relation.to_json()
    return {"table": table, **{k: json.dumps(data[k]) if isinstance(data[k], list) else (data[k] or "")
                               for k in COLUMNS[1:]}}


def from_row(row: Mapping[str, str]) -> tuple[str, Relation]:
    """A row of ``tables/relations.csv`` as (table, relation)."""
    lists = {k: json.loads(row[k]) if row.get(k) else [] for k in ("parts", "minus", "columns", "by")}
    return row["table"], Relation(row["kind"], row["total"], tuple(lists["parts"]), tuple(lists["minus"]),
                                  row.get("key") or None, tuple(lists["columns"]), tuple(lists["by"]),
                                  row.get("base") or None, row.get("total_key") or None)


# ------------------------------------------------------------------------------------------------ equations
@dataclass(frozen=True)
class Sum:
    """``sum(coefficient * cell) == 0`` over cells of one table."""

    terms: tuple[tuple[Cell, float], ...]


@dataclass(frozen=True)
class Share:
    """``pct == 100 * count / sum(base)``: ``base`` cells (one, or a group's counts)."""

    pct: Cell
    count: Cell
    base: tuple[Cell, ...]


def _groups(frame: pd.DataFrame, by: tuple[str, ...]) -> list[list[int]]:
    if not by:
        return [list(range(len(frame)))]
    keys = frame[list(by)].astype(str).agg("\x1f".join, axis=1)
    return [list(rows) for rows in keys.groupby(keys, sort=False).groups.values()]


def equations(frame: pd.DataFrame, relation: Relation) -> list[Sum | Share]:
    """The relation's equations among the frame's cells (row positions from 0); none where a column is missing."""
    frame = frame.reset_index(drop=True)
    out: list[Sum | Share] = []
    if relation.kind == "across":
        names = [relation.total, *relation.parts, *relation.minus]
        if not all(n in frame for n in names):
            return []
        for row in range(len(frame)):
            terms = [((row, relation.total), -1.0), *(((row, p), 1.0) for p in relation.parts),
                     *(((row, m), -1.0) for m in relation.minus)]
            out.append(Sum(tuple(terms)))
    elif relation.kind == "down":
        named = relation.total_key or relation.key
        if relation.key not in frame or named not in frame \
                or not all(c in frame for c in (*relation.columns, *relation.by)):
            return []
        keys, names = frame[relation.key].astype(str), frame[named].astype(str)
        for rows in _groups(frame, relation.by):
            totals = [r for r in rows if names[r] == relation.total]
            parts = [r for r in rows if r not in totals and (keys[r] in relation.parts if relation.parts
                                                             else keys[r] != relation.total)]
            if len(totals) != 1 or not parts:
                continue
            for column in relation.columns:
                out.append(Sum((((totals[0], column), -1.0), *(((r, column), 1.0) for r in parts))))
    else:
        count = relation.parts[0]
        if relation.total not in frame or count not in frame or (relation.base and relation.base not in frame):
            return []
        for rows in _groups(frame, relation.by):
            for row in rows:
                base = ((row, relation.base),) if relation.base else tuple((r, count) for r in rows)
                out.append(Share((row, relation.total), (row, count), base))
    return out


def cells_of(equation: Sum | Share) -> list[Cell]:
    if isinstance(equation, Sum):
        return [cell for cell, _ in equation.terms]
    return [equation.pct, equation.count, *equation.base]
