"""The disclosure audit of a committee pack: the attacker's sums, solved from the published files alone.

A committee pack is a public paper. This audit reads only what a member of the public holds
(``tables/*.csv`` typed by ``data_dictionary.csv``, the declared relations in
``tables/relations.csv``, ``tables/facts.csv``, the pages' ``data-`` attributes, and, where the
manifest names a previous committee pack beside it, that pack's facts) and, from every linear
relation it can see, works out how narrowly each withheld (``c``) count can be pinned:

- each withheld count is a variable, at least 1 (zeros are shown) and at most ``LARGEST``;
- each declared relation (``relations.equations``) gives equations among cells: a sum where its
  cells are shown or withheld, a share's bounds from its rounding (``pct`` to the places shown);
- a cell that is a fact (``data_dictionary.csv``'s measure column) equals every other cell of that
  fact, and the fact's value where ``facts.csv``, a page (a tile, a cell, a sentence's citations), a
  figure's data or the previous committee pack publishes it;
- ``scipy.optimize.linprog`` (HiGHS) gives each variable's least and greatest value.

A withheld count whose range could hold a small count (its least value is under the threshold)
is exposed when its range holds fewer than ``threshold - 1`` whole numbers (``Range.values``): the
attacker would know more than a ``c`` says, which, read as a small count, is one of the
``threshold - 1`` values 1 to ``threshold - 1``. Problems too: a fact shown beside its withheld
cell, or shown anywhere while ``facts.csv`` withholds it; a chart drawing a cell a table (the CSV or
the page's) withholds; published figures that contradict the declared relations; a school's label
("School DX") found in two tables, which links them. ``runner`` fails the build on the first problem
(one line, with how many more) and records the result in ``manifest.json``.
"""

from __future__ import annotations

import html
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import published, relations
from .relations import Cell, Share, Sum

#: The most a withheld count can be: above any count of schools or pupils an LA publishes.
LARGEST = 10_000_000
RELATIONS_NAME = "relations.csv"
#: Tables the audit does not read as tables (the facts are read apart).
_NOT_TABLES = {"facts", "relations"}
_LABEL = re.compile(r"^School [A-Z]{1,3}$")
_ATTRIBUTES = re.compile(r"data-(measure|area|period|value|cites|figure|withheld)=(\"[^\"]*\"|'[^']*')")

#: A cell of the pack: (table stem, row position, column).
Where = tuple[str, int, str]


@dataclass(frozen=True)
class Range:
    """A withheld count's feasible range, from every relation the audit saw."""

    where: Where
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def values(self) -> float:
        """The whole numbers the range holds (the solver's ends to a millionth)."""
        return math.floor(self.high + 1e-6) - math.ceil(self.low - 1e-6) + 1


@dataclass
class AuditResult:
    """What the audit found: the cells and relations it used, the narrowest range and the problems."""

    threshold: int
    cells: int = 0
    relations: int = 0
    equations: int = 0
    narrowest: Range | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The result as the manifest records it."""
        narrowest = None if self.narrowest is None else {
            "table": self.narrowest.where[0], "row": self.narrowest.where[1] + 1, "column": self.narrowest.where[2],
            "low": round(self.narrowest.low, 2), "high": round(self.narrowest.high, 2)}
        return {"threshold": self.threshold, "suppressed_cells_audited": self.cells,
                "relations": self.relations, "equations": self.equations, "narrowest_interval": narrowest,
                "passed": self.passed, "problems": self.problems, "solver": "scipy.optimize.linprog (HiGHS)"}


# ------------------------------------------------------------------------------------------------ reading
@dataclass
class _Pack:
    """The published pack as the attacker reads it."""

    tables: dict[str, published.PublishedTable]
    relations: list[tuple[str, relations.Relation]]
    facts: pd.DataFrame
    dictionary: pd.DataFrame
    pages: list[tuple[str, str]]  # (file name, text)


def _read(folder: Path) -> _Pack:
    tables = {}
    for path in sorted((folder / "tables").glob("*.csv")):
        if path.stem in _NOT_TABLES:
            continue
        found = published.read_table(folder, path.stem)
        if found is not None:
            tables[path.stem] = found
    declared = []
    path = folder / "tables" / RELATIONS_NAME
    if path.is_file():
        rows = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        declared = [relations.from_row(r) for r in rows.to_dict("records")]
    facts_path = folder / "tables" / "facts.csv"
    facts = pd.read_csv(facts_path, dtype=str, keep_default_na=False, encoding="utf-8-sig") \
        if facts_path.is_file() else pd.DataFrame(columns=["measure", "area", "period", "value"])
    dictionary = pd.read_csv(folder / published.DICTIONARY_NAME, dtype=str, keep_default_na=False) \
        if (folder / published.DICTIONARY_NAME).is_file() else pd.DataFrame(columns=["table", "column", "measure"])
    pages = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.html"))]
    return _Pack(tables, declared, facts, dictionary, pages)


def _spec(text: str) -> dict[str, str]:
    """A data dictionary's measure column (``measure=@measure; area=la; period=@year; when=group:all``)."""
    out = {}
    for part in text.split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


_AREAS = {"statistical_neighbours": "neighbours", "sn_mean": "neighbours", "la_value": "la"}


def _period(value: object) -> str:
    from .facts import period_of

    if isinstance(value, str):
        return value.split(" (")[0].strip()
    return period_of(value)


def _fact_cells(pack: _Pack) -> dict[tuple[str, str, str], list[Where]]:
    """Each fact (measure, area, period) -> the table cells that show it, by the data dictionary's specs."""
    out: dict[tuple[str, str, str], list[Where]] = defaultdict(list)
    if "measure" not in pack.dictionary:
        return out
    for row in pack.dictionary[pack.dictionary["measure"] != ""].to_dict("records"):
        stem = row["table"].removesuffix(".csv")
        table = pack.tables.get(stem)
        if table is None or row["column"] not in table.frame:
            continue
        spec = _spec(row["measure"])
        frame = table.frame
        for position in range(len(frame)):
            record = frame.iloc[position]

            if "when" in spec:
                column, wanted = spec["when"].split(":", 1)
                if str(record.get(column)) != wanted:
                    continue
            period_spec = spec.get("period", "")
            period = _period(record.get(period_spec[1:])) if period_spec.startswith("@") else period_spec
            area, measure = _part(spec, record, "area", "la"), _part(spec, record, "measure")
            if measure in ("", "nan", "None"):  # a row whose figure is no fact
                continue
            out[(measure, _AREAS.get(area, area), period)].append((stem, position, row["column"]))
    return out


def _part(spec: Mapping[str, str], record: pd.Series, key: str, default: str = "") -> str:
    """A spec's value for a row: ``@column`` is the row's value in that column."""
    value = spec.get(key, default)
    return str(record.get(value[1:], "")) if value.startswith("@") else value


def _page_values(pages: Iterable[tuple[str, str]]) -> tuple[list[tuple[tuple[str, str, str], float, int, str]],
                                                             list[tuple[str, pd.DataFrame]],
                                                             list[tuple[str, pd.DataFrame, set[Cell]]]]:
    """The facts the pages publish (tiles, cells, sentences' citations: key, value, places, page), the figures'
    data (page, frame) and the committee pages' tables (page and table id, their rows' keys, withheld cells)."""
    values: list[tuple[tuple[str, str, str], float, int, str]] = []
    figures: list[tuple[str, pd.DataFrame]] = []
    tables: list[tuple[str, pd.DataFrame, set[Cell]]] = []
    for name, text in pages:
        for number, element in enumerate(re.finditer(r"<table\s[^>]*data-withheld=[^>]*>", text)):
            found = {k: html.unescape(v[1:-1]) for k, v in _ATTRIBUTES.findall(element.group(0))}
            data = json.loads(found["withheld"])
            table_id = re.search(r'id="([^"]*)"', element.group(0))
            where = f"{name} {table_id.group(1) if table_id else f'table {number + 1}'}"
            keys = pd.DataFrame({c: [_key(v) for v in vals] for c, vals in data["keys"].items()})
            tables.append((where, keys, {(int(r), str(c)) for r, c in data["withheld"]}))
        for element in re.finditer(r"<[a-z]+\s[^>]*data-[^>]*>", text):
            found = {k: html.unescape(v[1:-1]) for k, v in _ATTRIBUTES.findall(element.group(0))}
            if "measure" in found and "value" in found:
                values.append(((found["measure"], found.get("area", "la"), found.get("period", "")),
                               float(found["value"]), 9, name))
            if "cites" in found:
                for m, a, p, v, d in json.loads(found["cites"]):
                    if v is not None:
                        values.append(((m, a, p), float(v), int(d), name))
            if "figure" in found:
                data = json.loads(found["figure"])
                figures.append((name, pd.DataFrame(data["rows"], columns=data["columns"])))
    return values, figures, tables


def _key(value: object) -> str:
    """A key cell as the page's JSON wrote it (a code, a text, a tagged date), for matching a figure's row."""
    return json.dumps(value, sort_keys=True, default=str)


def _previous_facts(folder: Path) -> pd.DataFrame | None:
    """The facts of the previous pack the manifest names, where it is a committee pack (a public paper)."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    named = json.loads(manifest.read_text(encoding="utf-8")).get("params", {}).get("previous_pack")
    if not named:
        return None
    previous = (folder / named).resolve()
    try:
        params = json.loads((previous / "manifest.json").read_text(encoding="utf-8")).get("params", {})
    except (OSError, ValueError):
        return None
    if params.get("audience") != "committee" or not (previous / "tables" / "facts.csv").is_file():
        return None
    return pd.read_csv(previous / "tables" / "facts.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


# ------------------------------------------------------------------------------------------------ the model
class _Model:
    """Variables (withheld counts) and linear constraints ``A x <= b`` / ``A x == b``."""

    def __init__(self) -> None:
        self.index: dict[Where, int] = {}
        self.eq: list[tuple[dict[int, float], float]] = []
        self.le: list[tuple[dict[int, float], float]] = []
        #: each constraint's shown cells (moved to its right side), parallel to ``eq`` and ``le``
        self.eq_shown: list[list[Where]] = []
        self.le_shown: list[list[Where]] = []

    def var(self, where: Where) -> int:
        return self.index.setdefault(where, len(self.index))

    def add(self, terms: Iterable[tuple[Where | None, float]], values: Mapping[Where, float | None],
            hidden: set[Where], *, le: bool = False, rhs: float = 0.0) -> bool:
        """``sum(c * cell) (==|<=) rhs``: shown cells move to the right; False where a cell has no figure."""
        row: dict[int, float] = defaultdict(float)
        shown: list[Where] = []
        for where, coefficient in terms:
            if where is None:
                continue
            if where in hidden:
                row[self.var(where)] += coefficient
            else:
                value = values.get(where)
                if value is None:
                    return False
                rhs -= coefficient * value
                shown.append(where)
        if not any(row.values()):
            return False
        (self.le if le else self.eq).append((dict(row), rhs))
        (self.le_shown if le else self.eq_shown).append(shown)
        return True


def _matrix(rows: list[tuple[dict[int, float], float]], n: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    if not rows:
        return None, None
    matrix = np.zeros((len(rows), n))
    for i, (row, _) in enumerate(rows):
        for j, c in row.items():
            matrix[i, j] = c
    return matrix, np.array([b for _, b in rows])


def audit(folder: Path, *, threshold: int) -> AuditResult:
    """Audit a published committee pack's folder; see the module's docstring for what it reads and solves.

    Returns
    -------
    AuditResult
        Cells audited, relations and equations used, the narrowest range, and one line per problem: a
        withheld count pinned to fewer than ``threshold - 1`` values, a fact published beside its withheld cell, or
        a school's label in two tables.
    """
    from scipy.optimize import linprog

    started = time.perf_counter()
    folder = Path(folder)
    pack = _read(folder)
    result = AuditResult(threshold=threshold, relations=len(pack.relations))
    values: dict[Where, float | None] = {}
    hidden: set[Where] = set()
    for stem, table in pack.tables.items():
        for column in table.frame.columns:
            if table.kinds.get(column) not in ("count",):
                continue
            series = table.frame[column]
            for position in range(len(series)):
                where = (stem, position, column)
                if (position, column) in table.suppressed:
                    hidden.add(where)
                else:
                    value = series.iloc[position]
                    values[where] = None if pd.isna(value) else float(value)
        for column in table.frame.columns:  # shares and other figures: their shown values
            if table.kinds.get(column) in ("percent", "number", "measure"):
                series = pd.to_numeric(table.frame[column], errors="coerce")
                for position in range(len(series)):
                    if (position, column) not in table.suppressed and not pd.isna(series.iloc[position]):
                        values[(stem, position, column)] = float(series.iloc[position])
    model = _Model()
    for where in sorted(hidden):
        model.var(where)

    # the declared relations
    for stem, relation in pack.relations:
        table = pack.tables.get(stem)
        if table is None:
            continue
        places = _places(pack.dictionary, stem, relation.total)
        for equation in relations.equations(table.frame, relation):
            result.equations += _constrain(model, stem, equation, values, hidden, places)

    # facts: every cell of one fact equal, and equal to any figure published for it
    cells = _fact_cells(pack)
    for group in cells.values():
        for a, b in zip(group, group[1:], strict=False):
            result.equations += model.add([(a, 1.0), (b, -1.0)], values, hidden)
    known: list[tuple[tuple[str, str, str], float, int, str]] = []
    for row in pack.facts.to_dict("records"):
        if row.get("value") not in ("", "c"):
            known.append(((row["measure"], row["area"], row["period"]), float(row["value"]), 0, "tables/facts.csv"))
        if row.get("value") == "c" and (row.get("numerator") or row.get("denominator")) not in (None, "", "c"):
            result.problems.append(f"tables/facts.csv: {row['measure']} ({row['area']}, {row['period']}) is "
                                   "withheld but its numerator or denominator is published")
    page_values, figures, page_tables = _page_values(pack.pages)
    known += [k for k in page_values]
    previous = _previous_facts(folder)
    if previous is not None:
        known += [((r["measure"], r["area"], r["period"]), float(r["value"]), 0, "the previous pack's facts")
                  for r in previous.to_dict("records") if r.get("value") not in ("", "c")]
    withheld = {(stem, r, c) for stem, table in pack.tables.items() for r, c in table.suppressed}
    # a fact the facts table withholds (a small count, a rate of one) is shown nowhere else
    hidden_facts = {(r["measure"], r["area"], r["period"]) for r in pack.facts.to_dict("records") if r.get("value") == "c"}
    for key, _, _, source in known:
        if key in hidden_facts and source != "tables/facts.csv":
            result.problems.append(f"{source} publishes {key[0]} ({key[1]}, {key[2]}), which tables/facts.csv withholds")
    for key in sorted(hidden_facts):
        for where in cells.get(key, []):
            if where not in withheld and values.get(where) is not None:
                result.problems.append(f"{where[0]}.csv row {where[1] + 1}, column {where[2]} publishes {key[0]} "
                                       f"({key[1]}, {key[2]}), which tables/facts.csv withholds")
    for key, value, _, source in known:
        for where in cells.get(key, []):
            if where in hidden:
                result.equations += model.add([(where, 1.0)], values, hidden, rhs=value)
            if where in withheld:
                result.problems.append(f"{where[0]}.csv row {where[1] + 1}, column {where[2]}: withheld, but "
                                       f"{source} publishes it ({key[0]}, {key[1]}, {key[2]})")
    for page, frame in figures:
        result.problems += _figure_problems(page, frame, pack.tables)
        for where, keys, withheld_cells in page_tables:
            result.problems += _drawn_withheld(page, frame, where, keys, withheld_cells)

    # the solve: each withheld count's least and greatest value, one connected part of the model at a time
    n = len(model.index)
    result.cells = n
    ranges = [r for part in _parts(model) for r in _solve(model, part, linprog, threshold)] if n else []
    if n:
        for broken in sorted({r.where[0] for r in ranges if np.isnan(r.low)}):
            result.problems.append(f"{broken}.csv: its published figures contradict its declared relations, so "
                                   "the audit cannot bound what it withholds")
        ranges = [r for r in ranges if not np.isnan(r.low)]
        at_risk = [r for r in ranges if r.low < threshold]  # could hold a small count
        if at_risk:
            result.narrowest = min(at_risk, key=lambda r: (r.values, r.width, r.where))
        for found in sorted(at_risk, key=lambda r: r.where):
            if found.values < threshold - 1:
                stem, row, column = found.where
                result.problems.append(
                    f"{stem}.csv row {row + 1}, column {column}: withheld, but the published figures pin it "
                    f"between {found.low:g} and {found.high:g} (fewer than {threshold - 1} possible values)")
    result.problems += _linked_labels(pack.tables)
    result.problems = list(dict.fromkeys(result.problems))
    result.seconds = time.perf_counter() - started
    return result


def exposed(frame: pd.DataFrame, withheld: Iterable[Cell], declared: Iterable[relations.Relation], *,
            threshold: int, counts: Iterable[str], places: Mapping[str, int] | None = None,
            near: Iterable[Cell] | None = None) -> list[tuple[Range, set[Cell]]]:
    """The withheld counts of one table, in memory, that its own relations pin to fewer than ``threshold - 1`` values
    (``disclosure.withhold`` adds complements until there are none), each with the shown cells of the equations
    that pin it (those binding at its least or greatest value: the complements that can free it); ``where`` is
    ("", row, column). With ``near``, only the parts of the model holding one of those cells are solved (what a new
    complement changed)."""
    from scipy.optimize import linprog

    frame = frame.reset_index(drop=True)
    withheld = set(withheld)
    counts = [c for c in counts if c in frame]
    values: dict[Where, float | None] = {}
    hidden: set[Where] = set()
    for column in frame.columns:
        numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for position, number in enumerate(numbers.tolist()):
            where = ("", position, column)
            if (position, column) in withheld:
                if column in counts:
                    hidden.add(where)
            else:
                values[where] = None if number != number else number  # NaN: no figure
    model = _Model()
    for where in sorted(hidden):
        model.var(where)
    for relation in declared:
        for equation in relations.equations(frame, relation):
            _constrain(model, "", equation, values, hidden, (places or {}).get(relation.total, 1))
    parts = _parts(model)
    if near is not None:
        wanted = {model.index[("", r, c)] for r, c in near if ("", r, c) in model.index}
        parts = [p for p in parts if wanted.intersection(p)]
    out = []
    for part in parts:
        for found in _solve(model, part, linprog, threshold):
            if found.low < threshold and found.values < threshold - 1:
                out.append((found, {(w[1], w[2]) for w in _binding(model, part, found.where, linprog)}))
    return out


def _binding(model: _Model, part: list[int], where: Where, linprog: Any) -> set[Where]:
    """The shown cells of the constraints binding at a variable's least and greatest value (non-zero duals)."""
    local = {j: k for k, j in enumerate(part)}
    eq = [(i, row, b) for i, (row, b) in enumerate(model.eq) if next(iter(row)) in local]
    le = [(i, row, b) for i, (row, b) in enumerate(model.le) if next(iter(row)) in local]
    a_eq, b_eq = _matrix([({local[j]: c for j, c in row.items()}, b) for _, row, b in eq], len(part))
    a_ub, b_ub = _matrix([({local[j]: c for j, c in row.items()}, b) for _, row, b in le], len(part))
    out: set[Where] = set()
    for sign in (1.0, -1.0):
        objective = np.zeros(len(part))
        objective[local[model.index[where]]] = sign
        solved = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(1, LARGEST), method="highs")
        if solved.status != 0:
            continue
        for rows, shown, duals in ((eq, model.eq_shown, getattr(solved, "eqlin", None)),
                                   (le, model.le_shown, getattr(solved, "ineqlin", None))):
            if duals is None or not rows:
                continue
            for (i, _, _), dual in zip(rows, duals.marginals, strict=True):
                if abs(dual) > 1e-9:
                    out.update(shown[i])
    return out


def _parts(model: _Model) -> list[list[int]]:
    """The model's variables in connected parts (linked by a constraint), each solved alone: fast, and the same."""
    parent = list(range(len(model.index)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row, _ in (*model.eq, *model.le):
        first, *rest = row
        for j in rest:
            parent[root(j)] = root(first)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(parent)):
        groups[root(i)].append(i)
    return list(groups.values())


def _solve(model: _Model, part: list[int], linprog: Any, threshold: int) -> list[Range]:
    """Each variable of one part's least and greatest value (HiGHS); a variable in no constraint takes its bounds,
    one whose least value is ``threshold`` or more an infinite greatest (it cannot be a small count)."""
    names = {j: where for where, j in model.index.items()}
    local = {j: k for k, j in enumerate(part)}
    eq = [({local[j]: c for j, c in row.items()}, b) for row, b in model.eq if next(iter(row)) in local]
    le = [({local[j]: c for j, c in row.items()}, b) for row, b in model.le if next(iter(row)) in local]
    if not eq and not le:
        return [Range(names[j], 1.0, float(LARGEST)) for j in part]
    if len(part) == 1:  # one count: its constraints are bounds, no solver needed
        low, high = 1.0, float(LARGEST)
        for row, b in eq:
            low, high = max(low, b / row[0] - 1e-9), min(high, b / row[0] + 1e-9)
        for row, b in le:
            low, high = (low, min(high, b / row[0])) if row[0] > 0 else (max(low, b / row[0]), high)
        if low > high + 1e-6:
            return [Range(names[part[0]], float("nan"), float("nan"))]
        return [Range(names[part[0]], round(low, 6), round(high, 6))]
    a_eq, b_eq = _matrix(eq, len(part))
    a_ub, b_ub = _matrix(le, len(part))
    out = []
    for j in part:
        ends = []
        for sign in (1.0, -1.0):
            if sign < 0 and ends[0] >= threshold:  # cannot be a small count: its greatest value does not matter
                ends.append(float("inf"))
                break
            objective = np.zeros(len(part))
            objective[local[j]] = sign
            solved = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(1, LARGEST),
                             method="highs")
            if solved.status == 2:  # the published figures contradict the declared relations: nothing is vouched for
                return [Range(names[k], float("nan"), float("nan")) for k in part]
            ends.append(sign * solved.fun if solved.status == 0 else (1.0 if sign > 0 else float(LARGEST)))
        out.append(Range(names[j], ends[0], ends[1]))
    return out


def _places(dictionary: pd.DataFrame, stem: str, column: str) -> int:
    rows = dictionary[(dictionary["table"] == f"{stem}.csv") & (dictionary["column"] == column)] \
        if "decimals" in dictionary else dictionary.iloc[0:0]
    text = rows["decimals"].iloc[0] if len(rows) else ""
    return int(text) if str(text).isdigit() else 1


def _constrain(model: _Model, stem: str, equation: Sum | Share, values: Mapping[Where, float | None],
               hidden: set[Where], places: int) -> int:
    """The equation's constraints on the model: 1 where it gave one, else 0."""

    def at(cell: Cell) -> Where:
        return (stem, cell[0], cell[1])

    if isinstance(equation, Sum):
        return int(model.add([(at(c), k) for c, k in equation.terms], values, hidden))
    pct = values.get(at(equation.pct))
    if pct is None or at(equation.pct) in hidden:
        return 0
    half = 0.5 * 10 ** -places
    # 100 * count - (pct +/- half) * base within the rounding: two inequalities, linear in count and base
    terms_high = [(at(equation.count), 100.0), *((at(b), -(pct + half)) for b in equation.base)]
    terms_low = [(at(equation.count), -100.0), *((at(b), pct - half) for b in equation.base)]
    return int(model.add(terms_high, values, hidden, le=True) & model.add(terms_low, values, hidden, le=True))


def _figure_problems(page: str, frame: pd.DataFrame, tables: Mapping[str, published.PublishedTable]) -> list[str]:
    """A figure's data that draws a cell its table withholds: rows matched on the text columns they share."""
    problems = []
    for stem, table in tables.items():
        numeric = [c for c in frame.columns if c in table.frame and table.kinds.get(c) in ("count", "percent")]
        keys = [c for c in frame.columns if c in table.frame and c not in numeric
                and table.kinds.get(c, "text") in ("text", "code", "date", "month")]
        if not numeric or not keys or not table.suppressed:
            continue
        left = frame[keys].astype(str)
        right = table.frame[keys].astype(str)
        if right.duplicated().any():  # the shared columns name no one row of the table: the figure draws other rows
            continue
        index = {tuple(r): i for i, r in enumerate(right.itertuples(index=False, name=None))}
        for i, row in enumerate(left.itertuples(index=False, name=None)):
            j = index.get(tuple(row))
            if j is None:
                continue
            for column in numeric:
                value = frame[column].iloc[i]
                if (j, column) in table.suppressed and value is not None and not pd.isna(value):
                    problems.append(f"{page}: a figure draws {stem}.csv row {j + 1}, column {column}, which the "
                                    "table withholds")
    return problems


def _drawn_withheld(page: str, frame: pd.DataFrame, where: str, keys: pd.DataFrame, withheld: set[Cell]) -> list[str]:
    """A figure's data drawing a cell a page's table withholds: rows matched on the key columns they share."""
    numeric = {c for _, c in withheld if c in frame.columns}
    shared = [c for c in keys.columns if c in frame.columns]
    if not numeric or not shared:
        return []
    if keys[shared].duplicated().any():  # the shared columns name no one row of the table (a chart by fund of a
        return []                        # table by fund and payee): the figure draws other rows than the table's
    rows = {tuple(r): i for i, r in enumerate(keys[shared].itertuples(index=False, name=None))}
    problems = []
    for i, row in enumerate(frame[shared].map(_key).itertuples(index=False, name=None)):
        j = rows.get(tuple(row))
        for column in sorted(numeric):
            value = frame[column].iloc[i]
            if j is not None and (j, column) in withheld and value is not None and not pd.isna(value):
                problems.append(f"{page}: a figure draws row {j + 1}, column {column} of {where}, which the table "
                                "withholds")
    return problems


def _linked_labels(tables: Mapping[str, published.PublishedTable]) -> list[str]:
    """A school's label in two tables: a reader joins them and learns what one says of a school the other names."""
    seen: dict[str, set[str]] = defaultdict(set)
    for stem, table in tables.items():
        for column in table.frame.columns:
            if table.kinds.get(column, "text") != "text":
                continue
            for value in table.frame[column].dropna().astype(str).unique():
                if _LABEL.match(value):
                    seen[value].add(stem)
    linked = {label: stems for label, stems in seen.items() if len(stems) > 1}
    if not linked:
        return []
    pairs = sorted({tuple(sorted(s)) for s in linked.values()})
    return [f"{', '.join(p)}: the same school labels ({len([1 for s in linked.values() if tuple(sorted(s)) == p])} "
            f"of them, e.g. {min(k for k, s in linked.items() if tuple(sorted(s)) == p)!r}) appear in each, "
            "linking what the tables say of each school" for p in pairs]
