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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .config import load_config
from .relations import Relation, Share, Sum
from .relations import cells_of as relations_cells
from .relations import equations as relation_equations

if TYPE_CHECKING:
    from .inputs import Inputs

#: How a committee pack would show any school: one phrase for all, never a label of one (``config/disclosure.yaml``).
WITHHELD: str = load_config("disclosure")["withheld_school"]
#: Sources published school by school (Ofsted's judgements): their counts are shown in full (``public``).
PUBLIC_SOURCES: frozenset[str] = frozenset(load_config("disclosure")["public_sources"])
#: Measures of an LA register that count Ofsted's published judgements (schools in an Ofsted category): public too.
PUBLIC_MEASURES: frozenset[str] = frozenset(load_config("disclosure").get("public_measures") or ())


def public(measure: str) -> bool:
    """Whether a measure's figures are counts of what its source already publishes school by school (its
    ``source`` in ``config/measures.yaml`` is one of ``public_sources``): Ofsted's grades of the LA's schools are
    in Ofsted's own file, so withholding their count would hide nothing from a reader and contradict the page."""
    from . import measures

    if measure in PUBLIC_MEASURES:  # a register's count of Ofsted's published judgements
        return True
    try:
        return measures.get(measure).source in PUBLIC_SOURCES
    except KeyError:
        return False


def threshold_for(source: str, threshold: int) -> int:
    """The smallest count a committee pack shows of a source's figures: 1 (every count) for a public source,
    else the pack's suppression threshold."""
    return 1 if source in PUBLIC_SOURCES else threshold


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
    relations: Iterable[Relation] = (),
    avoid: Iterable[str] = (),
    avoid_rows: Iterable[int] = (),
) -> Withheld:
    """Withhold small counts (primary suppression), the cells that would give them away (secondary), and the
    figures that depend on either (a committee pack only).

    Primary: a count from 1 to ``threshold - 1``. Secondary (complementary), as the DfE, ONS and Ofqual do:
    in every equation of ``relations`` (a total column, a total row, a share) holding a withheld cell, the
    withheld cells must not be worked out by subtraction: while an equation has one withheld cell, or withheld
    cells whose values together leave less than ``threshold - 2`` of room (their sum less their number, as
    each is at least 1), its smallest non-zero figure still shown is withheld too; repeated until nothing
    changes. A share whose count or base is withheld is withheld. Zeros are never withheld (a zero names no
    one, and a reader knows every ``c`` is at least 1). ``audit`` checks the result against every relation a
    reader can see.

    Parameters
    ----------
    counts : count columns to check; a value from 1 to ``threshold - 1`` is withheld.
    dependents : count column -> columns derived from it (percentages, rates), withheld with it.
    committee : only committee packs withhold; internal packs get the frame as it is.
    relations : the frame's linear relations (``relations``), the same the ``content.Table`` declares.
    avoid : columns withheld as complements only where no other will do (the bases of a headline share).
    avoid_rows : rows (positions) the same: a table's total rows, which the report states.

    Returns
    -------
    Withheld
        A copy of the frame (index from 0) with each withheld cell blank (NaN), and the cells.
    """
    out = frame.reset_index(drop=True).copy()
    if not committee:
        return Withheld(out, frozenset())
    cells: set[tuple[int, str]] = set()
    dependents = {k: [d for d in v if d in out] for k, v in (dependents or {}).items()}
    for column in counts:
        if column not in out:
            continue
        values = pd.to_numeric(out[column], errors="coerce")
        small = [int(i) for i in out.index[values.gt(0) & values.lt(threshold)]]
        for target in (column, *dependents.get(column, ())):
            cells.update((i, target) for i in small)
    relations = tuple(relations) if cells else ()  # nothing withheld: nothing to give away
    avoid = {*avoid, *((int(r), "*") for r in avoid_rows)}
    cells |= complements(out, cells, relations, threshold=threshold, dependents=dependents, avoid=avoid)
    if relations:  # what the sums of several relations pin together: the audit's solve, complements until none
        cells |= _solved(out, cells, relations, threshold=threshold, dependents=dependents, counts=list(counts),
                         avoid=avoid)
    for position, column in cells:
        if out[column].dtype.kind in "iub":
            out[column] = out[column].astype(float)
        elif out[column].dtype.kind != "f":
            out[column] = out[column].astype(object)
        out.iat[position, out.columns.get_loc(column)] = np.nan
    return Withheld(out, frozenset(cells))


def withhold_rows(frame: pd.DataFrame, own: Iterable[bool], counts: Iterable[str], **kw: Any) -> Withheld:
    """``withhold`` on the rows ``own`` marks alone (the LA's own, or its register's), the others shown as they are:
    a benchmark's figures or Ofsted's published counts, which name no one and bound nothing the LA withholds. Every
    relation ``kw`` gives must hold within rows of one kind (an area, a category), so that each kind is protected
    on its own. Returns the whole frame (index from 0), its withheld cells by row position."""
    frame = frame.reset_index(drop=True)
    positions = [int(i) for i in np.flatnonzero(np.asarray(list(own), dtype=bool))]
    found = withhold(frame.iloc[positions].reset_index(drop=True), counts, **kw)
    if len(positions) == len(frame):
        return found
    out = frame.copy()
    for column in found.frame.columns:
        if found.frame[column].dtype != out[column].dtype:
            out[column] = out[column].astype(found.frame[column].dtype if found.frame[column].dtype.kind == "f"
                                              else object)
    if positions:
        out.iloc[positions, [out.columns.get_loc(c) for c in found.frame.columns]] = found.frame.to_numpy()
    return Withheld(out, frozenset((positions[i], c) for i, c in found.cells))


def small_share(pct: object, base: object, threshold: int) -> bool:
    """Whether a share beside its base gives a small count away: ``pct``% of ``base`` schools is a count (or leaves
    one, ``base`` less it) from 1 to ``threshold - 1``. 10% of 30 is 3 schools; 60% of 5 leaves 2 that were not."""
    try:
        pct, base = float(pct), float(base)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if pct != pct or base != base or base <= 0:
        return False
    count = round(pct * base / 100)
    return any(0 < n < threshold for n in (count, round(base) - count))


def withhold_shares(found: Withheld, shares: Mapping[str, str], *, threshold: int, committee: bool = True,
                    rows: Iterable[int] | None = None, together: bool = False) -> Withheld:
    """``found`` with each share withheld whose count of schools is small (``small_share``) beside its base.

    ``shares``: share column -> its base column (a count of schools in the same row; a withheld base withholds the
    share already). ``rows``: the rows whose shares are of whole schools (a weighted comparison's are not counts).
    ``together``: shares that add up to 100 in a row (improved, same, declined) go together, as any two give the
    third.
    """
    shares = {pct: base for pct, base in shares.items() if pct in found.frame and base in found.frame}
    if not committee or not shares:
        return found
    out, cells = found.frame.copy(), set(found.cells)
    for position in range(len(out)) if rows is None else rows:
        small = [pct for pct, base in shares.items()
                 if small_share(out.at[position, pct], out.at[position, base], threshold)]
        for pct in (shares if together and small else small):
            out[pct] = out[pct].astype(float)
            out.at[position, pct] = np.nan
            cells.add((position, pct))
    return Withheld(out, frozenset(cells))


def complements(frame: pd.DataFrame, withheld: Iterable[tuple[int, str]], relations: Iterable[Relation], *,
                threshold: int, dependents: Mapping[str, Iterable[str]] | None = None,
                avoid: Iterable[str] = ()) -> set[tuple[int, str]]:
    """The cells to withhold besides ``withheld`` so that no equation of ``relations`` gives one away
    (``withhold``'s secondary rule, to a fixed point); ``frame`` holds every figure, none blanked."""
    cells = set(withheld)
    avoid = set(avoid)
    equations = [e for r in relations for e in relation_equations(frame, r)]
    # a share of its group's sum: any shown share gives the sum away, so the group's counts are a sum too
    groups = {e.base for e in equations if isinstance(e, Share) and len(e.base) > 1}
    equations += [Sum(tuple((cell, 1.0) for cell in base)) for base in sorted(groups)]
    dependents = dependents or {}

    numbers = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
               for c in {cell[1] for e in equations for cell in relations_cells(e)}}

    def value(cell: tuple[int, str]) -> float | None:
        number = numbers[cell[1]][cell[0]]
        return None if np.isnan(number) else float(number)

    holding = _holding([e for e in equations if isinstance(e, Sum)])
    changed = True
    while changed:
        changed = False
        for equation in equations:
            if isinstance(equation, Share):
                if equation.pct not in cells and any(c in cells for c in (equation.count, *equation.base[:1]))\
                        and (equation.count in cells or len(equation.base) == 1):
                    cells.add(equation.pct)
                    changed = True
                continue
            members = [cell for cell, _ in equation.terms]
            hidden = [c for c in members if c in cells]
            if not hidden:
                continue
            room = sum(abs(value(c) or 0) for c in hidden) - len(hidden)
            if len(hidden) >= 2 and room >= threshold - 2:  # each then has threshold - 1 values it may be
                continue
            shown = [(v, c) for c in members if c not in cells and (v := value(c)) is not None and v != 0]
            if not shown:
                continue
            pick = min(shown, key=lambda vc: (_avoided(vc[1], avoid), abs(vc[0]),
                                              _cascade(vc[1], holding, cells, equation), vc[1]))[1]
            cells.add(pick)
            cells.update((pick[0], d) for d in dependents.get(pick[1], ()))
            changed = True
    return cells - set(withheld)


def _avoided(cell: tuple[int, str], avoid: set) -> int:
    """How much a complement is to be avoided: 2 in a total row (``(row, "*")``), 1 more in a headline column."""
    return 2 * ((cell[0], "*") in avoid) + (cell[1] in avoid)


def _holding(equations: Iterable[Sum]) -> dict[tuple[int, str], list[Sum]]:
    """Each cell -> the equations holding it."""
    out: dict[tuple[int, str], list[Sum]] = {}
    for equation in equations:
        for cell, _ in equation.terms:
            out.setdefault(cell, []).append(equation)
    return out


def _cascade(cell: tuple[int, str], holding: Mapping[tuple[int, str], list[Sum]], cells: set[tuple[int, str]],
             but: Sum | None = None) -> int:
    """How many equations withholding ``cell`` would leave with one withheld cell alone (each needing a complement
    of its own): the complement that starts the fewest such chains is chosen first."""
    return sum(1 for e in holding.get(cell, ()) if e is not but and not any(c in cells for c, _ in e.terms))


def _solved(frame: pd.DataFrame, withheld: set[tuple[int, str]], relations: tuple[Relation, ...], *, threshold: int,
            dependents: Mapping[str, Iterable[str]], counts: list[str], avoid: Iterable[str] = ()) -> set[tuple[int, str]]:
    """Complements the relations together call for (LP-guided): while the audit's solve (``audit.exposed``) pins
    a withheld count, withhold the smallest non-zero count shown in an equation holding it, then the simple
    rule's complements again."""
    from .audit import exposed

    cells = set(withheld)
    equations = [e for r in relations for e in relation_equations(frame, r) if isinstance(e, Sum)]
    numbers = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
               for c in frame.columns}
    holding = _holding(equations)
    near: set[tuple[int, str]] | None = None  # the first solve is of every part; then of those that changed
    for _ in range(50):
        found = exposed(frame, cells, relations, threshold=threshold, counts=counts, near=near)
        if not found:
            break
        before = set(cells)
        for pinned, binding in found:
            cell = (pinned.where[1], pinned.where[2])
            # a shown cell of an equation that pins it (by the solve's duals), else the nearest shown cell
            freeing = [c for c in binding if c not in cells and c[1] in numbers
                       and (v := float(numbers[c[1]][c[0]])) == v and v != 0]
            pick = min(freeing, key=lambda c: (_avoided(c, avoid), abs(float(numbers[c[1]][c[0]])),
                                               _cascade(c, holding, cells), c)) if freeing else \
                _nearest_shown(cell, holding, cells, numbers, avoid)
            if pick is not None and pick not in cells:
                cells.add(pick)
                cells.update((pick[0], d) for d in dependents.get(pick[1], ()))
        if cells == before:
            break
        cells |= complements(frame, cells, relations, threshold=threshold, dependents=dependents, avoid=avoid)
        near = (cells - before) | {(r.where[1], r.where[2]) for r, _ in found}
    return cells - set(withheld)


def _nearest_shown(cell: tuple[int, str], holding: Mapping[tuple[int, str], list[Sum]], cells: set[tuple[int, str]],
                   numbers: Mapping[str, np.ndarray], avoid: Iterable[str]) -> tuple[int, str] | None:
    """The smallest non-zero count shown in an equation holding ``cell``, else in one holding a withheld cell
    those equations hold (and so on, a few steps out): the complement that widens ``cell``'s range. Columns in
    ``avoid`` (a table's headline bases) only where nothing else will do. ``holding``: cell -> its equations."""
    avoid = set(avoid)
    frontier, seen = {cell}, {cell}
    for _ in range(6):
        found = [e for c in frontier for e in holding.get(c, ())]
        shown = [(_avoided(c, avoid), abs(v), _cascade(c, holding, cells), c) for e in found for c, _ in e.terms
                 if c not in cells and (v := float(numbers[c[1]][c[0]])) == v and v != 0]
        if shown:
            return min(shown)[3]
        frontier = {c for e in found for c, _ in e.terms if c in cells and c not in seen}
        seen |= frontier
        if not frontier:
            return None
    return None
