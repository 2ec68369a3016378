"""The content model: what a section shows, as typed blocks, recorded once and rendered four ways.

A section's views return blocks; ``report.Section`` shows each one as a Jupyter
display output carrying two forms of it: ``text/html`` (what the page and
JupyterLab show, made by ``render.html``) and ``application/vnd.leep.block+json``
(the block itself, typed). The executed notebook is therefore the one record of
the pack: every other output is made from the blocks read back from it
(``from_notebook``) — the CSVs (raw values), the workbook (number formats from
each column's spec), the PDF (``render.pdf``), the index's tiles, the overview
and the next pack's comparison. Nothing parses a formatted number back.

Blocks
------
``Heading``, ``Paragraph``, ``Points``, ``Sentences``, ``Markdown`` (text an
author wrote: the notebook's markdown cells and the LA's narrative), ``Tiles``
(headline figures: a measure key, a typed value, its unit and its comparison),
``Table`` (a typed DataFrame with a spec per column, the cells withheld in a
committee pack, caption, notes and source) and ``Figure`` (the data it draws, its
kind, caption, alt text and the drawing as SVG).

A column's spec (``Column``) says how its values are read: ``kind`` is one of
``KINDS`` (a count, a percentage, money, a code shown as its label, ...), with
decimals, sign, polarity and, for codes, the labels of its codes. Columns a view
does not specify take the heading and kind of ``config/columns.yaml``, else one
inferred from the values' type.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from .config import load_config
from .relations import Relation
from .relations import from_json as relation_from_json

#: The display output's MIME type that carries a block (beside its ``text/html``).
MIME = "application/vnd.leep.block+json"
SVG_MIME = "image/svg+xml"
#: Version of the block's JSON form (a reader refuses another).
VERSION = 1

#: How a column's values are read and shown.
#: ``text`` free text; ``code`` a code shown as its label (``Column.codes``); ``count`` a whole number;
#: ``number`` a figure with ``decimals``; ``percent`` a percentage in percentage units (63 is 63%);
#: ``money`` pounds; ``rank`` a whole-number rank (with ``of``: "12 of 153"); ``date``; ``month`` (a date
#: given to the month); ``year`` (2025, no separator); ``rag`` a red/amber/green rating; ``trend``
#: improving/stable/declining; ``measure`` a figure whose unit and decimals are in other columns of its row.
Kind = Literal["text", "code", "count", "number", "percent", "money", "rank", "date", "month", "year", "rag",
               "trend", "measure"]
KINDS: tuple[str, ...] = ("text", "code", "count", "number", "percent", "money", "rank", "date", "month", "year",
                          "rag", "trend", "measure")
#: Kinds that hold numbers (right-aligned, numeric in the workbook).
NUMERIC_KINDS = frozenset({"count", "number", "percent", "money", "rank", "year", "measure"})


@dataclass(frozen=True)
class Column:
    """How one column of a ``Table`` is read, labelled and shown.

    Parameters
    ----------
    label : the heading a reader sees ("" for a column of row names that needs none).
    kind : one of ``KINDS``.
    decimals : places shown (``number``, ``percent``, ``money``); None for the kind's default.
    signed : show a + on positive figures (a change).
    polarity : ``High`` or ``Low`` where a higher figure is better or worse (None: neither).
    codes : for ``code``: code -> label (a code not listed shows as itself); with ``codes_by``, the value of
        that column of the row -> its own code -> label (a column of groups of several kinds).
    of : for ``rank``: the column holding how many were ranked ("12 of 153").
    unit_from, decimals_from : for ``measure``: the columns of the row holding its unit and decimals.
    note_from : a column whose text, where given, is shown after the value in brackets.
    min_decimals : at least this many places (a mean of whole numbers: 4.5).
    missing : the words shown for a missing value instead of an en dash ("ongoing").
    hidden : written to the CSV and the workbook, not shown on the page.
    meaning : what the column means, for the data dictionary (else ``config/columns.yaml``'s).
    measure, measure_from : the measure (``config/measures.yaml``) its figures are, or the column of the row
        holding it; with ``area`` / ``area_from`` (``la``, ``region``, ``neighbours``, ``england``, or the
        inspections tables' area types) and ``period`` / ``period_from`` (the as-at date or year), each figure
        is a fact the pack's check compares with its facts table (``facts.check``).
    """

    label: str
    kind: str = "text"
    decimals: int | None = None
    signed: bool = False
    polarity: str | None = None
    codes: Mapping[str, Any] | None = None
    codes_by: str | None = None
    of: str | None = None
    unit_from: str | None = None
    decimals_from: str | None = None
    note_from: str | None = None
    min_decimals: int | None = None
    missing: str | None = None
    hidden: bool = False
    meaning: str | None = None
    measure: str | None = None
    measure_from: str | None = None
    area: str | None = None
    area_from: str | None = None
    period: str | None = None
    period_from: str | None = None
    #: (column, value): only rows whose ``column`` holds ``value`` are facts of ``measure`` (the "all schools"
    #: rows of a table that also breaks them down)
    measure_when: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.measure_when is not None:
            object.__setattr__(self, "measure_when", tuple(str(v) for v in self.measure_when))
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.codes is not None and self.codes_by is None:
            object.__setattr__(self, "codes", {code_key(k): str(v) for k, v in self.codes.items()})
        elif self.codes is not None:
            object.__setattr__(self, "codes", {str(by): {code_key(k): str(v) for k, v in codes.items()}
                                               for by, codes in self.codes.items()})

    def label_of(self, value: object, row: Mapping[str, Any] | None = None) -> str:
        """A code's label (itself where none is listed)."""
        codes = self.codes or {}
        if self.codes_by is not None:
            codes = codes.get(str(({} if row is None else row).get(self.codes_by)), {})
        return codes.get(code_key(value), str(value))

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


# ------------------------------------------------------------------------------------------- column shortcuts
def text(label: str, **kw: Any) -> Column:
    return Column(label, "text", **kw)


def code(label: str, codes: Mapping[Any, str], **kw: Any) -> Column:
    return Column(label, "code", codes=codes, **kw)


def count(label: str, **kw: Any) -> Column:
    return Column(label, "count", decimals=0, **kw)


def number(label: str, decimals: int = 1, **kw: Any) -> Column:
    return Column(label, "number", decimals=decimals, **kw)


def percent(label: str, decimals: int = 0, **kw: Any) -> Column:
    return Column(label, "percent", decimals=decimals, **kw)


def money(label: str, decimals: int = 0, **kw: Any) -> Column:
    return Column(label, "money", decimals=decimals, **kw)


def date(label: str, **kw: Any) -> Column:
    return Column(label, "date", **kw)


def month(label: str, **kw: Any) -> Column:
    return Column(label, "month", **kw)


def rank(label: str, of: str | None = None, **kw: Any) -> Column:
    return Column(label, "rank", decimals=0, of=of, **kw)


def rag(label: str, **kw: Any) -> Column:
    return Column(label, "rag", **kw)


def trend(label: str, **kw: Any) -> Column:
    return Column(label, "trend", **kw)


def measure(label: str, unit_from: str = "unit", decimals_from: str = "decimals", **kw: Any) -> Column:
    return Column(label, "measure", unit_from=unit_from, decimals_from=decimals_from, **kw)


def hidden(column: Column) -> Column:
    """The column written to the CSV and the workbook but not shown on the page."""
    return replace(column, hidden=True)


def of_measure(column: Column, measure: str | None = None, *, measure_from: str | None = None,
               area: str | None = None, area_from: str | None = None, period: object = None,
               period_from: str | None = None, when: tuple[str, str] | None = None) -> Column:
    """The column with the measure its figures are, for the pack's check against its facts (``facts.check``).

    ``period`` is a date or year (``facts.period_of`` writes it); ``when`` keeps the measure to the rows
    whose column holds a value (``("group", "all")``)."""
    from_period = None
    if period is not None:
        import pandas as pd

        when_ = pd.Timestamp(period) if not isinstance(period, str | int) else period
        from_period = when_.strftime("%Y-%m-%d") if isinstance(when_, pd.Timestamp) else str(when_)
    return replace(column, measure=measure, measure_from=measure_from, area=area, area_from=area_from,
                   period=from_period, period_from=period_from, measure_when=when)


# ------------------------------------------------------------------------------------------------ blocks
@dataclass(frozen=True)
class Block:
    """A piece of a section's page. Subclasses set ``type``."""

    type: ClassVar[str] = ""

    def to_json(self) -> dict[str, Any]:
        """The block as JSON-safe data (``from_json`` reads it back)."""
        out: dict[str, Any] = {"type": self.type, "version": VERSION}
        for f in fields(self):
            out[f.name] = _plain(getattr(self, f.name))
        return out


@dataclass(frozen=True)
class Heading(Block):
    """A heading made from data (the notebook's markdown cells give the fixed ones)."""

    type: ClassVar[str] = "heading"
    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph(Block):
    """A paragraph of plain text; ``role`` ``note`` is a table's small print."""

    type: ClassVar[str] = "paragraph"
    text: str
    role: str = ""
    #: the facts its figures are (``facts.Cite``: measure, area, period, value, places shown)
    cites: tuple[tuple[str, str, str, float, int], ...] = ()

    def __post_init__(self) -> None:
        found = self.cites or getattr(self.text, "cites", ())
        object.__setattr__(self, "cites", _cites(found))
        object.__setattr__(self, "text", str(self.text))


@dataclass(frozen=True)
class Points(Block):
    """A bulleted list of plain-text points."""

    type: ClassVar[str] = "points"
    items: tuple[str, ...]
    #: each item's cited facts (as ``Paragraph.cites``), in item order
    cites: tuple[tuple[tuple[str, str, str, float, int], ...], ...] = ()

    def __post_init__(self) -> None:
        cites = self.cites or tuple(getattr(i, "cites", ()) for i in self.items)
        object.__setattr__(self, "cites", tuple(_cites(c) for c in cites))
        object.__setattr__(self, "items", tuple(str(i) for i in self.items))


@dataclass(frozen=True)
class Sentences(Block):
    """Generated sentences, each marked notable (highlighted) or not (greyed)."""

    type: ClassVar[str] = "sentences"
    items: tuple[tuple[str, bool], ...]
    cites: tuple[tuple[tuple[str, str, str, float, int], ...], ...] = ()

    def __post_init__(self) -> None:
        cites = self.cites or tuple(getattr(t, "cites", ()) for t, _ in self.items)
        object.__setattr__(self, "cites", tuple(_cites(c) for c in cites))
        object.__setattr__(self, "items", tuple((str(t), bool(n)) for t, n in self.items))


def _cites(found: object) -> tuple[tuple[str, str, str, float, int], ...]:
    """Cited facts as tuples (JSON gives lists): (measure, area, period, value, places shown)."""
    return tuple((str(m), str(a), str(p), float("nan") if v is None else float(v), int(d))
                 for m, a, p, v, d in (found or ()))


@dataclass(frozen=True)
class Markdown(Block):
    """Markdown an author wrote (a notebook's markdown cell, the LA's narrative); raw HTML in it is text.

    ``source`` says whose words they are: ``notebook`` (the project's fixed text) or ``narrative``.
    """

    type: ClassVar[str] = "markdown"
    text: str
    source: str = "narrative"


@dataclass(frozen=True)
class Tile:
    """One headline figure.

    ``key`` names the measure (stable across packs: the next pack compares by it);
    ``value`` is the figure (None where there is none), in ``unit`` (``percent``,
    ``count``, ``money``, ``number``, ``points``) to ``decimals`` places; ``england``
    the figure it is compared with, and ``versus`` the comparison (``better``,
    ``worse``, ``in_line`` or ""); ``detail`` the words under it; ``suppressed``
    where a committee pack withholds it; ``polarity`` which way is better;
    ``period`` the year, financial year or snapshot date the figure is for and
    ``status`` its status then (``provisional``, ``revised``, ``final``), so that
    the next pack tells a revision by the source from a change.
    """

    key: str
    label: str
    value: float | None
    unit: str = "number"
    decimals: int = 0
    detail: str = ""
    england: float | None = None
    versus: str = ""
    suppressed: bool = False
    polarity: str | None = None
    #: the words shown instead of a figure where there is none ("not available", a verdict)
    missing: str = "–"
    period: str = ""
    status: str = ""


@dataclass(frozen=True)
class Tiles(Block):
    """A row of headline tiles (also offered to the pack's index)."""

    type: ClassVar[str] = "tiles"
    tiles: tuple[Tile, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiles", tuple(t if isinstance(t, Tile) else Tile(**t) for t in self.tiles))


@dataclass(frozen=True, eq=False)
class Table(Block):
    """A table: a typed frame with a spec per column.

    Parameters
    ----------
    name : the table's name in the pack (``tables/<section>__<name>.csv``).
    caption : its title.
    frame : the rows shown, typed (numbers as numbers, codes as codes, dates as dates).
    columns : column -> ``Column``; a column not listed takes ``default_column``.
    notes : the small print under it.
    data : the table written to the CSV and the workbook when it is not ``frame`` itself (more rows or
        columns than the page shows); its columns take the same specs by name.
    suppressed : ``(row position, column)`` of ``frame`` cells withheld in a committee pack (shown ``c``).
    data_suppressed : the same for ``data``.
    shown : False for a table written to the pack but not shown on the page (one line says where it is).
    source : where its figures come from.
    relations : the linear relations among the written table's figures (``relations``: a total column, a
        total row, a share of a base), which committee packs' secondary suppression and audit use; published
        in ``tables/relations.csv``.
    """

    type: ClassVar[str] = "table"
    name: str
    caption: str
    frame: pd.DataFrame
    columns: Mapping[str, Column] = field(default_factory=dict)
    notes: str | None = None
    data: pd.DataFrame | None = None
    suppressed: frozenset[tuple[int, str]] = frozenset()
    data_suppressed: frozenset[tuple[int, str]] = frozenset()
    shown: bool = True
    source: str | None = None
    relations: tuple[Relation, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", self.frame.reset_index(drop=True))
        object.__setattr__(self, "relations", tuple(self.relations))
        if self.data is not None:
            object.__setattr__(self, "data", self.data.reset_index(drop=True))
        object.__setattr__(self, "suppressed", frozenset((int(r), str(c)) for r, c in self.suppressed))
        object.__setattr__(self, "data_suppressed", frozenset((int(r), str(c)) for r, c in self.data_suppressed))
        specs = {}
        for name in dict.fromkeys([*self.frame.columns, *(self.data.columns if self.data is not None else [])]):
            given = self.columns.get(name)
            specs[name] = given if given is not None else default_column(name, self._values(name))
        object.__setattr__(self, "columns", specs)

    def _values(self, name: str) -> pd.Series:
        if name in self.frame:
            return self.frame[name]
        assert self.data is not None
        return self.data[name]

    @property
    def written(self) -> pd.DataFrame:
        """The table the CSV and the workbook hold."""
        return self.frame if self.data is None else self.data

    @property
    def written_suppressed(self) -> frozenset[tuple[int, str]]:
        return self.suppressed if self.data is None else self.data_suppressed

    @property
    def visible(self) -> list[str]:
        """The columns the page shows, in order."""
        return [c for c in self.frame.columns if not self.columns[c].hidden]

    def to_json(self) -> dict[str, Any]:
        out = {"type": self.type, "version": VERSION, "name": self.name, "caption": self.caption,
               "notes": self.notes, "shown": self.shown, "source": self.source,
               "frame": frame_to_json(self.frame), "data": None if self.data is None else frame_to_json(self.data),
               "columns": {k: _plain(asdict(v)) for k, v in self.columns.items()},
               "suppressed": sorted([r, c] for r, c in self.suppressed),
               "data_suppressed": sorted([r, c] for r, c in self.data_suppressed),
               "relations": [r.to_json() for r in self.relations]}
        return out


@dataclass(frozen=True, eq=False)
class Figure(Block):
    """A chart: the data it draws, its kind, caption and alt text, and the drawing (SVG).

    Build one with ``charts.figure`` (which draws the data), never from a drawing alone.
    """

    type: ClassVar[str] = "figure"
    kind: str
    caption: str
    alt: str
    data: pd.DataFrame
    svg: str = ""
    width: float = 0.0  # points
    height: float = 0.0

    def __post_init__(self) -> None:
        if not self.alt or not self.alt.strip():
            raise ValueError("every chart needs alt text")

    def to_json(self) -> dict[str, Any]:
        # the drawing travels beside the block as image/svg+xml, not inside its JSON
        return {"type": self.type, "version": VERSION, "kind": self.kind, "caption": self.caption, "alt": self.alt,
                "data": frame_to_json(self.data), "width": self.width, "height": self.height}


BLOCK_TYPES: dict[str, type[Block]] = {cls.type: cls for cls in
                                       (Heading, Paragraph, Points, Sentences, Markdown, Tiles, Table, Figure)}


def code_key(value: object) -> str:
    """The key a code is looked up by: ``2.0`` (a grade in a column with gaps) as ``2``."""
    if isinstance(value, float | np.floating) and not math.isnan(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


def default_column(name: str, values: pd.Series) -> Column:
    """A column's spec where a view gives none: ``config/columns.yaml``'s heading and kind, else by its name
    (``n_...`` and ``pupils_...`` count, ``pct...`` is a percentage), else from its values' type."""
    known = load_config("columns").get(name, {}) or {}
    label = known.get("heading") or name.replace("_", " ").capitalize()
    kind = known.get("kind")
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if kind is None and numeric and (name.startswith(("n_", "pupils_")) or name in ("total",)):
        kind = "count"
    elif kind is None and numeric and name.startswith("pct"):
        kind = "percent"
    if kind is None:
        if name == "year" or name.endswith("_year"):
            kind = "year" if pd.api.types.is_numeric_dtype(values) else "text"
        elif pd.api.types.is_bool_dtype(values):
            kind = "text"
        elif pd.api.types.is_integer_dtype(values):
            kind = "count"
        elif pd.api.types.is_float_dtype(values):
            kind = "number"
        elif pd.api.types.is_datetime64_any_dtype(values):
            kind = "date"
        elif isinstance(values.dtype, pd.PeriodDtype):
            kind = "month"
        elif len(values.dropna()) and all(isinstance(v, decimal.Decimal) for v in values.dropna()):
            kind = "number"
        else:
            kind = "text"
    decimals = known.get("decimals")
    if decimals is None and kind == "percent":
        decimals = _places(values)
    elif decimals is None and kind == "number":  # a figure with a fraction: at least one place, as 46.0
        decimals = max(_places(values), 1)
    return Column(label, kind, decimals=decimals, meaning=known.get("meaning"))


def _places(values: pd.Series) -> int:
    """The places a number column's figures have (at most 2)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    for places in (0, 1):
        if ((numbers - numbers.round(places)).abs() < 1e-9).all():
            return places
    return 2


# ------------------------------------------------------------------------------------------ JSON of frames
def _plain(value: Any) -> Any:
    """A value as JSON-safe data (dataclasses, tuples, mappings, numpy and pandas scalars)."""
    if isinstance(value, Tile):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """One cell or field as JSON: NaN and NA as null; dates, months and Decimals tagged so they read back typed."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, pd.Period):
        return {"$month": value.strftime("%Y-%m")}
    if isinstance(value, pd.Timestamp | dt.datetime):
        return {"$date": pd.Timestamp(value).isoformat()}
    if isinstance(value, dt.date):
        return {"$day": value.isoformat()}
    return value


def _unscalar(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        if tag == "$decimal":
            return decimal.Decimal(text)
        if tag == "$month":
            return pd.Period(text, "M")
        if tag == "$date":
            return pd.Timestamp(text)
        if tag == "$day":
            return dt.date.fromisoformat(text)
    return value


def frame_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as JSON: its columns, each column's dtype, and its rows (``frame_from_json`` reads it back)."""
    return {"columns": [str(c) for c in frame.columns], "dtypes": [str(t) for t in frame.dtypes],
            "rows": [[_scalar(v) for v in row] for row in frame.itertuples(index=False, name=None)]}


def frame_from_json(data: Mapping[str, Any]) -> pd.DataFrame:
    """The frame ``frame_to_json`` wrote, with its dtypes."""
    columns = list(data["columns"])
    rows = [[_unscalar(v) for v in row] for row in data["rows"]]
    frame = pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(columns=columns, dtype=object)
    for column, dtype in zip(columns, data["dtypes"], strict=True):
        frame[column] = _typed(frame[column], dtype)
    return frame


def _typed(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == "object":
        return values.astype(object)
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values).astype(dtype) if len(values) else values.astype(dtype)
    if dtype.startswith("period"):
        return pd.Series(pd.PeriodIndex(values, freq="M"), index=values.index)
    try:
        return values.astype(dtype)
    except (TypeError, ValueError):
        return values.astype(object)


# ------------------------------------------------------------------------------------------------ reading
def from_json(data: Mapping[str, Any], svg: str = "") -> Block:
    """A block from its JSON form (``Block.to_json``); ``svg`` is a figure's drawing."""
    if data.get("version") != VERSION:
        raise ValueError(f"a block of version {data.get('version')}, not {VERSION}")
    kind = BLOCK_TYPES[data["type"]]
    if kind is Table:
        return Table(name=data["name"], caption=data["caption"], frame=frame_from_json(data["frame"]),
                     columns={k: Column(**v) for k, v in data["columns"].items()}, notes=data["notes"],
                     data=None if data["data"] is None else frame_from_json(data["data"]),
                     suppressed=frozenset((r, c) for r, c in data["suppressed"]),
                     data_suppressed=frozenset((r, c) for r, c in data["data_suppressed"]),
                     shown=data["shown"], source=data["source"],
                     relations=tuple(relation_from_json(r) for r in data.get("relations", ())))
    if kind is Figure:
        return Figure(kind=data["kind"], caption=data["caption"], alt=data["alt"], data=frame_from_json(data["data"]),
                      svg=svg, width=data["width"], height=data["height"])
    values = {f.name: data[f.name] for f in fields(kind) if f.name in data}
    if kind is Tiles:
        values["tiles"] = tuple(Tile(**t) for t in values["tiles"])
    if kind is Sentences:
        values["items"] = tuple((t, n) for t, n in values["items"])
    return kind(**values)


def from_notebook(nb: Any) -> list[Block]:
    """Every block of an executed notebook, in order: its markdown cells and its code cells' display outputs.

    Markdown cells tagged ``remove-cell`` are left out, as the page leaves them out.
    """
    blocks: list[Block] = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if source.strip():
                blocks.append(Markdown(source, source="notebook"))
            continue
        if "remove-output" in tags:
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                svg = data.get(SVG_MIME, "")
                blocks.append(from_json(data[MIME], "".join(svg) if isinstance(svg, list) else svg))
    return blocks


def tables_of(blocks: Iterable[Block]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def tiles_of(blocks: Iterable[Block]) -> list[Tile]:
    return [t for b in blocks if isinstance(b, Tiles) for t in b.tiles]
