"""The figures the committee report writes its sentences from: a small, typed list of facts.

A ``Fact`` is one measure for the LA with what a sentence about it needs: its
value and unit, its benchmarks (England, the region, the statistical
neighbours) and how it compares with each, its rank, quartile, change and
trend, and which way is better. ``from_blocks`` reads them from the blocks the
pack's sections recorded (the achievement benchmark table, the headline tiles,
the inspections summary and the A to G evaluation), so the report says nothing
the pages do not; ``disagreements`` holds each against the pack's facts table
(``tables/facts.csv``), which the build has already held every page against, so
a figure the report states has the one value the whole pack gives it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..content import Block, Table, Tile, tiles_of
from ..sources.lait import parse_year_label
from ..wording import versus_england
from .model import words

#: A comparison with a benchmark: better, in line or worse, judged by the measure's polarity.
VERSUS = ("better", "in_line", "worse")


@dataclass(frozen=True)
class Fact:
    """One measure for the LA, with its benchmarks: what a sentence of the report is written from.

    Parameters
    ----------
    key : the measure's key, stable across packs (the tiles' keys: ``achievement_<LAIT code>``,
        ``inspections_pupils_good_or_better``, ``support_schools``; ``evaluation_<letter>`` for A to G).
    label : what is measured, as a table heads it ("Attainment 8").
    section : the section the figure comes from.
    value : the LA's figure (None where there is none, or it is withheld).
    unit : ``percent``, ``score``, ``points`` (a gap), ``count``, ``money`` or ``rating``.
    decimals : places the figure is shown to.
    says : the start of a sentence about it, with ``{value}`` for the figure ("{value} of pupils ...");
        "" where there is none.
    group : which pupils ("All pupils", "Disadvantaged", "SEN", "Children looked after", ...); "" for schools.
    phase : the phase of education or group of measures ("Key stage 2"); "" where none.
    period : the year the figure is for ("2025") or the date it is as at ("31 March 2026").
    status : ``provisional``, ``revised``, ``final`` or "".
    england, region, neighbours : the benchmarks' figures (None where there is none).
    region_name : the region's name ("East Midlands").
    versus_england, versus_region, versus_neighbours : ``better``, ``in_line``, ``worse`` or "".
    rank, of : the LA's rank among ``of`` LAs with a figure (1 best); None where not ranked.
    band : the quarter of LAs it falls in, ``A`` (best) to ``D``; "" where not banded.
    change : the change since ``change_from`` (in the measure's units); None where there is none.
    change_from : the year the change is measured from.
    trend : ``improving``, ``stable``, ``declining`` or "" (over up to five comparable years).
    polarity : ``High`` or ``Low``: which way is better (None: neither).
    headline : one of the pack's headline figures (a tile).
    suppressed : withheld in a committee pack (a small count): never stated.
    detail : the words a tile gives under the figure.
    rating : for A to G: ``green``, ``amber``, ``red`` or ``not rated``.
    """

    key: str
    label: str
    section: str
    value: float | None
    unit: str
    decimals: int = 0
    says: str = ""
    group: str = ""
    phase: str = ""
    period: str = ""
    status: str = ""
    england: float | None = None
    region: float | None = None
    neighbours: float | None = None
    region_name: str = ""
    versus_england: str = ""
    versus_region: str = ""
    versus_neighbours: str = ""
    rank: int | None = None
    of: int | None = None
    band: str = ""
    change: float | None = None
    change_from: str = ""
    trend: str = ""
    polarity: str | None = None
    headline: bool = False
    suppressed: bool = False
    detail: str = ""
    rating: str = ""

    @property
    def code(self) -> str:
        """The measure's code within its section (``KS2RWM_Expected_STD`` of ``achievement_KS2RWM_Expected_STD``)."""
        return self.key.split("_", 1)[1] if "_" in self.key else self.key

    @property
    def gap(self) -> bool:
        """A gap between two groups of pupils (it narrows or widens, rather than rising or falling)."""
        return self.unit == "points"

    @property
    def moved(self) -> str:
        """``better``, ``worse`` or "" (no change, or no polarity): the change judged by which way is better."""
        if self.change is None or self.polarity not in ("High", "Low") or round(self.change, self.decimals) == 0:
            return ""
        return "better" if (self.change > 0) == (self.polarity == "High") else "worse"


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def find_table(blocks: Iterable[Block], name: str) -> Table | None:
    """The section's table called ``name`` (its CSV's name), or None."""
    return next((b for b in blocks if isinstance(b, Table) and b.name == name), None)


def _indicators() -> dict[str, Any]:
    from ..sections.achievement.analysis import all_indicators

    return {i.code: i for i in all_indicators()}


def achievement_facts(blocks: Sequence[Block]) -> list[Fact]:
    """One fact per indicator of the achievement section's benchmark table (its latest year)."""
    table = find_table(blocks, "benchmark")
    if table is None:
        return []
    headline = {t.key for t in tiles_of(blocks)}
    config = _indicators()
    region_label = table.columns["region"].label if "region" in table.columns else ""
    facts = []
    for row in table.written.to_dict("records"):
        code = str(row["indicator"])
        spec = config.get(code)
        year, status = parse_year_label(str(row["year"]))
        rank, of = _number(row.get("rank")), _number(row.get("n_ranked"))
        change_from = _text(row.get("change_from"))
        facts.append(Fact(
            key=f"achievement_{code}", label=str(row["label"]), section="achievement",
            value=_number(row["la_value"]), unit=str(row["unit"]), decimals=int(row["decimals"] or 0),
            says=spec.says if spec is not None else "", group=spec.group if spec is not None else "",
            phase=_text(row.get("phase")),
            period=str(year) if year else str(row["year"]), status=status or "",
            england=_number(row["england"]), region=_number(row["region"]), neighbours=_number(row["sn_mean"]),
            region_name=_text(row.get("region_area")) or (region_label if region_label != "Region" else ""),
            versus_england=_text(row.get("versus_england")), versus_region=_text(row.get("versus_region")),
            versus_neighbours=_text(row.get("versus_sn")),
            rank=int(rank) if rank is not None else None, of=int(of) if of is not None and rank is not None else None,
            band=_text(row.get("band")), change=_number(row.get("change")),
            change_from=str(parse_year_label(change_from)[0] or change_from) if change_from else "",
            trend=_text(row.get("trend")), polarity=_text(row.get("polarity")) or None,
            headline=f"achievement_{code}" in headline))
    return facts


#: Tiles of the inspections section -> the column of its summary table that holds the same figure.
_INSPECTION_COLUMNS = {"inspections_good_or_better": "pct_good_or_better",
                       "inspections_pupils_good_or_better": "pct_pupils_good_or_better"}


def _benchmarks(summary: Table | None, column: str | None) -> dict[str, Any]:
    """The region's and the neighbours' figure in the inspections summary table (all schools, latest date)."""
    if summary is None or column is None:
        return {}
    frame = summary.written
    if "group" in frame:
        frame = frame[frame["group"].eq("all")]
    if "as_at" in frame and len(frame):
        frame = frame[frame["as_at"].eq(frame["as_at"].max())]
    out: dict[str, Any] = {}
    for row in frame.to_dict("records"):
        if row.get("area_type") == "region":
            out["region"], out["region_name"] = _number(row[column]), str(row["area"])
        elif row.get("area_type") == "statistical_neighbours":
            out["neighbours"] = _number(row[column])
    return out


def tile_facts(section: str, blocks: Sequence[Block]) -> list[Fact]:
    """One fact per headline tile of a section other than achievement (whose table says more)."""
    says = words()["says"]
    summary = find_table(blocks, "summary") if section == "inspections" else None
    facts = []
    for tile in tiles_of(blocks):
        extra = _benchmarks(summary, _INSPECTION_COLUMNS.get(tile.key))
        facts.append(_tile_fact(section, tile, says.get(tile.key, ""), extra))
    return facts


def _tile_fact(section: str, tile: Tile, says: str, extra: Mapping[str, Any]) -> Fact:
    unit = {"number": "score"}.get(tile.unit, tile.unit)
    value = None if tile.suppressed else tile.value

    def versus(other: float | None) -> str:
        return versus_england(value, other, tile.polarity, tile.decimals) if value is not None and other is not None \
            else ""

    period = tile.period
    if len(period) == 10 and period[4] == "-":  # a date the figure is as at
        from ..wording import long_date

        period = long_date(pd.Timestamp(period))
    return Fact(key=tile.key, label=tile.label, section=section, value=value, unit=unit, decimals=tile.decimals,
                says=says, period=period, status=tile.status, england=tile.england,
                region=extra.get("region"), neighbours=extra.get("neighbours"),
                region_name=extra.get("region_name", ""), versus_england=tile.versus,
                versus_region=versus(extra.get("region")), versus_neighbours=versus(extra.get("neighbours")),
                polarity=tile.polarity, headline=True, suppressed=tile.suppressed, detail=tile.detail)


def evaluation_facts(blocks: Sequence[Block]) -> list[Fact]:
    """One fact per indicator A to G of the summary's evaluation table: its rating and trend."""
    table = find_table(blocks, "indicators")
    if table is None:
        return []
    return [Fact(key=f"evaluation_{row['indicator']}", label=str(row["description"]), section="summary",
                 value=None, unit="rating", says="", trend=_text(row.get("trend")),
                 rating=_text(row.get("rag")).lower() or "not rated")
            for row in table.written.to_dict("records")]


def from_blocks(sections: Mapping[str, Sequence[Block]]) -> list[Fact]:
    """Every fact the pack's sections recorded, section by section in pack order.

    ``sections`` maps each section id to its blocks (``content.from_notebook``).
    """
    facts: list[Fact] = []
    for section, blocks in sections.items():
        if section == "achievement":
            facts += achievement_facts(blocks)
        elif section == "summary":
            facts += evaluation_facts(blocks)
        else:
            facts += tile_facts(section, blocks)
    return facts


#: A report fact's benchmarks, by the facts table's area codes.
_AREAS = (("la", "value"), ("england", "england"), ("region", "region"), ("neighbours", "neighbours"))


def disagreements(found: Iterable[Fact], known: Any) -> list[str]:
    """Each figure the report would state that the pack's facts give another value (or none): a line each.

    ``known`` is the pack's facts (``leep_analysis.facts.Facts``). A fact of a measure the registry does not
    define (the A to G ratings), or one withheld, is not a figure the report states. A figure agrees when
    it is within its rounding (half a unit of the places it is shown to) of the facts table's value for
    the same measure, area and date (a tile's date is the latest the facts hold).
    """
    from .. import measures

    problems = []
    for fact in found:
        if fact.suppressed or not measures.known(fact.key):
            continue
        period = fact.period if fact.period.isdigit() else None
        for area, field in _AREAS:
            value = getattr(fact, field)
            if value is None:
                continue
            held = known.find(fact.key, area, period)
            where = f"the report's {fact.label!r} ({area}{', ' + fact.period if fact.period else ''})"
            if held is None or held.value is None:
                problems.append(f"{where} is {value:g}; the facts have no figure")
            elif abs(value - held.value) > 0.5 * 10 ** -min(fact.decimals, 9) + 1e-9:
                problems.append(f"{where} is {value:g}; the facts {held.value:g}")
    return problems
