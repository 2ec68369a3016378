"""The pack's facts: every measure's value for each area and date, worked out once per pack.

Each section's analysis works out its own facts once per run (a frame of ``COLUMNS``, its
result's ``facts``), from the same frames its tables are made from; its words, tiles and
tables take their figures from them (``Facts``). Each section's notebook records its facts
as a table the page does not show (``table``); the runner joins them into
``tables/facts.csv`` (``combine``) and, before publishing, checks every figure the pack
shows against them (``check``): a tile, a table cell whose column names its measure
(``content.Column.measure``), or a sentence that cites its facts (``Said``). A measure
showing two values for one area and date, or a sentence whose figure is not its fact's,
stops the build, naming each.

Why sections' facts and not one function over the finished pack: a figure is worked out
once, in the analysis that owns it (``config/measures.yaml``, ``section``), and its words
are written from the fact, so the check compares what the reader sees with what was
worked out rather than with another reading of the page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import content, disclosure, measures
from .content import Block, Paragraph, Points, Sentences, Table, Tiles

#: Columns of ``tables/facts.csv``, one row per measure, area and date.
#: The name of each section's table of facts, joined into the pack's ``tables/facts.csv``.
TABLE = "facts"

COLUMNS = ["measure", "label", "area", "area_name", "period", "status", "value", "numerator", "denominator",
           "unit", "decimals", "section"]
#: The areas a fact is for, as the tables name them (``area_type`` of the inspections tables).
AREA_CODES = {"la": "la", "region": "region", "neighbours": "neighbours", "statistical_neighbours": "neighbours",
              "sn_mean": "neighbours", "la_value": "la", "england": "england"}
#: A cited fact: (measure, area, period, value, decimals shown).
Cite = tuple[str, str, str, float, int]


def period_of(value: object) -> str:
    """A fact's date as the facts table writes it: a date ``2025-12-31``, a year ``2025``, else the text.

    LAIT's year labels (``2025 (prov)``, ``2024/25``) give their year; the status goes in its own column.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | np.integer) or (isinstance(value, float | np.floating) and float(value).is_integer()):
        return str(int(value))
    text = str(value).strip()
    return text.split(" (")[0]


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def row(measure: str, value: object, *, area: str = "la", period: object = "", area_name: str = "",
        numerator: object = None, denominator: object = None, status: str = "") -> dict[str, Any]:
    """One fact, its label, unit and places from the registry; its value as worked out.

    The value is never rounded here: a figure worked out from others (the neighbours' mean, 23.455) is
    shown rounded once, to the places of wherever it appears; rounded first to the measure's places
    (23.45) and then to a sentence's (23.4, where the sentence says 23.5), it would contradict itself.
    """
    spec = measures.get(measure)
    number = _number(value)
    return {"measure": measure, "label": spec.label, "area": AREA_CODES.get(area, area), "area_name": area_name,
            "period": period_of(period), "status": status or "",
            "value": None if number is None else round(number, 10),  # float noise only
            "numerator": _number(numerator), "denominator": _number(denominator), "unit": spec.unit,
            "decimals": spec.decimals, "section": spec.section}


def frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Fact rows as the typed frame of ``COLUMNS``."""
    out = pd.DataFrame(list(rows), columns=COLUMNS)
    for column in ("value", "numerator", "denominator"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["decimals"] = out["decimals"].astype("int64")
    for column in ("measure", "label", "area", "area_name", "period", "status", "unit", "section"):
        out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    return out.reset_index(drop=True)


def empty() -> pd.DataFrame:
    return frame([])


@dataclass(frozen=True)
class Fact:
    """One measure's value for one area and date (a row of the facts table)."""

    measure: str
    area: str
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    unit: str = "number"
    decimals: int = 0
    label: str = ""
    status: str = ""
    area_name: str = ""

    def text(self, decimals: int | None = None) -> str:
        """The figure as the pack writes it: ``96%``, ``2,210``, ``44.0``, ``£12,400``, ``+0.20``."""
        return shown(self.value, self.unit, self.decimals if decimals is None else decimals)

    def cite(self, decimals: int | None = None) -> Cite:
        """This fact as a sentence cites it, shown to ``decimals`` places."""
        return (self.measure, self.area, self.period, float("nan") if self.value is None else float(self.value),
                self.decimals if decimals is None else int(decimals))

    @property
    def count(self) -> int:
        """A count fact's value as a whole number (0 where none)."""
        return 0 if self.value is None else int(round(self.value))


def shown(value: float | None, unit: str, decimals: int) -> str:
    """A fact's value written in its unit to ``decimals`` places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), decimals) + 0.0
    text = f"{rounded:,.{decimals}f}"
    if unit == "percent":
        return text + "%"
    if unit == "money":
        return ("-" if rounded < 0 else "") + "£" + text.lstrip("-")
    return text


class Facts:
    """A section's (or the pack's) facts, looked up by measure, area and date."""

    def __init__(self, table: pd.DataFrame | None = None) -> None:
        self.table = empty() if table is None else table
        self._index: dict[tuple[str, str, str], Fact] = {}
        for r in self.table.to_dict("records"):
            fact = Fact(r["measure"], r["area"], r["period"], _number(r["value"]), _number(r["numerator"]),
                        _number(r["denominator"]), r["unit"], int(r["decimals"]), r["label"], r["status"],
                        r["area_name"])
            self._index[(fact.measure, fact.area, fact.period)] = fact

    def get(self, measure: str, area: str = "la", period: object = None) -> Fact:
        """A fact; with no ``period``, the latest the facts hold for the measure and area.

        Raises
        ------
        KeyError
            No such fact (a figure asked for that the analysis did not work out).
        """
        area = AREA_CODES.get(area, area)
        if period is None:
            found = sorted(p for m, a, p in self._index if m == measure and a == area)
            if not found:
                raise KeyError(f"no fact of {measure} for {area}")
            period = found[-1]
        key = (measure, area, period_of(period))
        if key not in self._index:
            raise KeyError(f"no fact of {measure} for {area} at {period_of(period)}")
        return self._index[key]

    def find(self, measure: str, area: str = "la", period: object = None) -> Fact | None:
        """``get``, or None where there is no such fact."""
        try:
            return self.get(measure, area, period)
        except KeyError:
            return None

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self):  # noqa: ANN204
        return iter(self._index.values())


class Said(str):
    """A sentence and the facts it cites (``cite``): its figures are theirs, and the check can tell."""

    cites: tuple[Cite, ...] = ()

    def __new__(cls, text: str, cites: Iterable[Cite] = ()) -> Said:
        made = super().__new__(cls, text)
        made.cites = tuple(cites)
        return made

    def __add__(self, other: str) -> Said:  # type: ignore[override]
        return Said(str(self) + str(other), self.cites + tuple(getattr(other, "cites", ())))

    def __radd__(self, other: str) -> Said:
        return Said(str(other) + str(self), tuple(getattr(other, "cites", ())) + self.cites)


def cite(text: str, *cited: Fact | tuple[Fact, int] | Cite | None) -> Said:
    """``text`` with the facts its figures come from (a fact, or (fact, places shown) where it shows fewer)."""
    out: list[Cite] = list(getattr(text, "cites", ()))
    for item in cited:
        if item is None:
            continue
        if isinstance(item, Fact):
            out.append(item.cite())
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Fact):
            out.append(item[0].cite(item[1]))
        else:
            out.append(item)  # type: ignore[arg-type]
    return Said(str(text), out)


def joined(parts: Iterable[str], sep: str = " ") -> Said:
    """Sentences or clauses joined, keeping each one's cites."""
    parts = list(parts)
    return Said(sep.join(str(p) for p in parts), [c for p in parts for c in getattr(p, "cites", ())])


def table(facts_frame: pd.DataFrame, section: str) -> Table:
    """A section's facts as the hidden table the runner joins into ``tables/facts.csv``."""
    return Table(name="facts", frame=facts_frame.reset_index(drop=True), shown=False,
                 caption="Every measure's value for each area and date", columns=COLUMN_SPECS)


COLUMN_SPECS = {
    "measure": content.text("Measure key"), "label": content.text("Measure"),
    "area": content.code("Area", {"la": "Local authority", "region": "Region", "neighbours": "Statistical neighbours",
                                  "england": "England"}),
    "area_name": content.text("Area name"), "period": content.text("As at or year"),
    "status": content.text("Status"), "value": content.measure("Value"),
    "numerator": content.number("Numerator", 2), "denominator": content.number("Denominator", 2),
    "unit": content.text("Unit"), "decimals": content.count("Decimal places"), "section": content.text("Section"),
}


# ------------------------------------------------------------------------------------------ the pack's facts
def combine(found: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    """Every section's facts in one table (pack order), and the problems: one measure, area and date given
    two values (by two sections, or twice by one)."""
    parts = [f.assign(section=f["section"].where(f["section"].ne(""), s)) for s in found for f in [found[s]]]
    table = pd.concat(parts, ignore_index=True) if parts else empty()
    problems = []
    keys = ["measure", "area", "period"]
    # only the keys given more than one value are looked at row by row (a pack has thousands of facts)
    rounded = pd.Series([None if pd.isna(v) else round(float(v), 9) for v in table["value"]], index=table.index,
                        dtype=object)
    several = rounded.groupby([table[k] for k in keys], sort=False).transform("nunique", dropna=False)
    for key, rows in table[several.gt(1).fillna(False).to_numpy(dtype=bool)].groupby(keys, sort=False):
        values = {None if pd.isna(v) else round(float(v), 9) for v in rows["value"]}
        if len(values) > 1:
            problems.append(f"{key[0]} ({key[1]}, {key[2]}) has {len(values)} values in the facts: "
                            + ", ".join(f"{v} ({s})" for v, s in zip(rows["value"], rows["section"], strict=True)))
    table = table.drop_duplicates(keys, keep="first").reset_index(drop=True)
    return frame(table.to_dict("records")), problems


@dataclass(frozen=True)
class Seen:
    """A figure the pack shows with its measure, area and date: where, its value and the places shown."""

    where: str
    measure: str
    area: str
    period: str
    value: float
    decimals: int
    text: str | None = None  # a sentence citing the fact: its formatted figure must be in it


def seen_in(section: str, blocks: Iterable[Block]) -> list[Seen]:
    """Every figure of a section's blocks that names its measure: tiles, table cells, cited sentences."""
    out: list[Seen] = []
    for block in blocks:
        if isinstance(block, Tiles):
            for tile in block.tiles:
                if tile.suppressed or not measures.known(tile.key):
                    continue
                where = f"{section}: tile {tile.label!r}"
                if tile.value is not None:
                    out.append(Seen(where, tile.key, "la", period_of(tile.period), tile.value, tile.decimals))
                if tile.england is not None:
                    out.append(Seen(where + " (England)", tile.key, "england", period_of(tile.period), tile.england,
                                    tile.decimals))
        elif isinstance(block, Table):
            out += _cells(section, block)
        elif isinstance(block, Paragraph | Points | Sentences):
            texts = [block.text] if isinstance(block, Paragraph) else \
                [t for t, _ in block.items] if isinstance(block, Sentences) else list(block.items)
            cites = [block.cites] if isinstance(block, Paragraph) else list(block.cites)
            for text, found in zip(texts, cites, strict=False):
                for m, a, p, v, d in found:
                    if v is None or (isinstance(v, float) and math.isnan(v)):
                        continue
                    out.append(Seen(f"{section}: sentence {text[:70]!r}", m, a, p, float(v), int(d), text))
    return out


def _cells(section: str, table: Table) -> list[Seen]:
    out = []
    records: dict[str, list[dict[str, Any]]] = {}  # each frame's rows, made once for all its measure columns
    for name, spec in table.columns.items():
        if not (spec.measure or spec.measure_from):
            continue
        for frame_, withheld, which in ((table.frame, table.suppressed, "page"),
                                        (table.written, table.written_suppressed, "CSV")):
            if name not in frame_:
                continue
            if which not in records:
                records[which] = frame_.to_dict("records")
            for position, record in enumerate(records[which]):
                if (position, name) in withheld:
                    continue
                if spec.measure_when is not None and str(record.get(spec.measure_when[0])) != spec.measure_when[1]:
                    continue
                value = _number(record.get(name))
                if value is None or isinstance(record.get(name), str):
                    continue
                measure = spec.measure or record.get(spec.measure_from)
                area = spec.area or (record.get(spec.area_from) if spec.area_from else "la")
                period = spec.period or (record.get(spec.period_from) if spec.period_from else "")
                if not isinstance(measure, str) or not measures.known(measure) or area is None:
                    continue
                decimals = _places(spec, record)
                out.append(Seen(f"{section}: table {table.name!r} ({which}), column {name!r}, row {position + 1}",
                                measure, AREA_CODES.get(str(area), str(area)), period_of(period), value, decimals))
    return out


def _places(spec: content.Column, record: Mapping[str, Any]) -> int:
    if spec.kind == "measure" and spec.decimals_from and _number(record.get(spec.decimals_from)) is not None:
        return int(_number(record.get(spec.decimals_from)) or 0)
    if spec.decimals is not None:
        return int(spec.decimals)
    return 9  # a raw figure: as the facts table holds it


def check(blocks: Mapping[str, Iterable[Block]], facts_table: pd.DataFrame) -> list[str]:
    """Every figure the pack shows with its measure against the facts: one line per contradiction.

    A figure contradicts its fact when it differs by more than its rounding (half a unit of the
    places it is shown to); a measure, area and date with no fact, or a sentence citing a fact whose
    figure (as the pack writes it) is not in its text, is a problem too. Withheld cells are left out.
    """
    pack = Facts(facts_table)
    problems = []
    for section, found in blocks.items():
        for seen in seen_in(section, found):
            fact = pack.find(seen.measure, seen.area, seen.period)
            if fact is None:
                problems.append(f"{seen.where}: {seen.measure} ({seen.area}, {seen.period or 'no date'}) is not "
                                "in the facts")
                continue
            if fact.value is None:
                problems.append(f"{seen.where}: {seen.measure} ({seen.area}, {seen.period}) shows {seen.value:g}, "
                                "the facts have no figure")
                continue
            places = min(seen.decimals, 9)
            if abs(seen.value - fact.value) > 0.5 * 10 ** -places + 1e-9:
                problems.append(f"{seen.where}: {seen.measure} ({seen.area}, {seen.period}) shows {seen.value:g}, "
                                f"the facts {fact.value:g}")
            if seen.text is not None and shown(fact.value, fact.unit, places) not in seen.text:
                problems.append(f"{seen.where}: cites {seen.measure} ({seen.area}, {seen.period}) as "
                                f"{shown(fact.value, fact.unit, places)}, which the sentence does not say")
    return problems


# ------------------------------------------------------------------------------------ a committee pack's facts
def withheld_keys(blocks: Mapping[str, Iterable[Block]]) -> set[tuple[str, str, str]]:
    """The facts (measure, area, period) the pack withholds somewhere: a withheld table cell of their measure, a
    withheld tile. A fact withheld in one place is withheld in every other (``withhold``)."""
    out: set[tuple[str, str, str]] = set()
    for found in blocks.values():
        for block in found:
            if isinstance(block, Tiles):
                out.update((t.key, "la", period_of(t.period)) for t in block.tiles if t.suppressed)
            elif isinstance(block, Table):
                for frame_, withheld in ((block.frame, block.suppressed), (block.written, block.written_suppressed)):
                    records = frame_.to_dict("records")
                    for position, name in withheld:
                        spec = block.columns.get(name)
                        if spec is None or not (spec.measure or spec.measure_from):
                            continue
                        record = records[position]
                        if spec.measure_when is not None and \
                                str(record.get(spec.measure_when[0])) != spec.measure_when[1]:
                            continue
                        measure = spec.measure or record.get(spec.measure_from)
                        area = spec.area or (record.get(spec.area_from) if spec.area_from else "la")
                        period = spec.period or (record.get(spec.period_from) if spec.period_from else "")
                        if isinstance(measure, str):
                            out.add((measure, AREA_CODES.get(str(area), str(area)), period_of(period)))
    return out


def withhold(facts_frame: pd.DataFrame, blocks: Mapping[str, Iterable[Block]], *, threshold: int) -> Table:
    """A committee pack's ``tables/facts.csv``: a fact's value, numerator and denominator withheld (``c``) where
    the pack withholds the figure anywhere (``withheld_keys``), where it is a count from 1 to ``threshold - 1``,
    or where it is a rate of such a count or on fewer than ``threshold`` (its numerator or denominator). A small
    figure of a benchmark (England, the region, the neighbours: public figures of many LAs' schools), or of a
    source that publishes every school's figure (``disclosure.public``: Ofsted's grades), is withheld only where a
    table withholds it."""
    keys = withheld_keys(blocks)
    frame_ = facts_frame.reset_index(drop=True)
    cells: set[tuple[int, str]] = set()
    for position, r in enumerate(frame_.to_dict("records")):
        small = [v for v in (r["value"] if r["unit"] == "count" else None, r["numerator"], r["denominator"])
                 if r["area"] == "la" and v is not None and not pd.isna(v) and 0 < abs(v) < threshold
                 and not disclosure.public(r["measure"])]
        if small or (r["measure"], r["area"], r["period"]) in keys:
            cells.update((position, c) for c in ("value", "numerator", "denominator"))
    return Table(name="facts", frame=frame_, shown=False, suppressed=frozenset(cells),
                 caption="Every measure's value for each area and date", columns=COLUMN_SPECS)
