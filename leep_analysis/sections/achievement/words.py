"""The achievement section's words: a sentence per indicator, the introduction and the headline tiles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...content import Tile
from ...sources.lait import parse_year_label
from ...wording import mean_decimals, number, ordinal, versus_england
from .analysis import Achievement


def _difference(gap: float, versus: str | None, decimals: int, name: str, value: str) -> str:
    if versus == "in_line":
        return f"in line with {name} ({value})"
    size = round(abs(float(gap)), decimals) + 0.0
    unit = "point" if size == 1 else "points"
    return f"{size:,.{decimals}f} {unit} {'above' if gap > 0 else 'below'} {name} ({value})"


def sentence(row: Mapping[str, Any], la_name: str) -> str:
    """The plain-English sentence of one indicator's latest year.

    For example: "63% of pupils reached the expected standard in reading,
    writing and maths, in line with England (63%) and 2.3 points above the
    statistical neighbours (60.7%); 63rd of 151 LAs, band C; up 2 points on
    last year; stable since 2022."
    """
    unit, decimals = str(row["unit"]), int(row["decimals"])
    if pd.isna(row["la_value"]):
        reason = row.get("la_reason")
        why = f" ({reason})" if isinstance(reason, str) else ""
        england = f"; England {number(row['england'], unit, decimals)}" if not pd.isna(row["england"]) else ""
        return f"{row['label']}: no figure for {la_name} in {row['year_label']}{why}{england}."
    lead = str(row["says"]).format(value=number(row["la_value"], unit, decimals))
    lead = lead[0].upper() + lead[1:]
    comparisons = []
    if not pd.isna(row["england"]):
        comparisons.append(_difference(row["gap_england"], _text(row["versus_england"]), decimals, "England",
                                       number(row["england"], unit, decimals)))
    if not pd.isna(row["sn_mean"]):
        comparisons.append(_difference(row["gap_sn"], _text(row["versus_sn"]), decimals, "the statistical neighbours",
                                       number(row["sn_mean"], unit, mean_decimals(decimals))))
    if len(comparisons) == 2 and all(c.startswith("in line with ") for c in comparisons):
        comparisons[1] = comparisons[1].removeprefix("in line with ")
    text = lead + (", " + " and ".join(comparisons) if comparisons else "")
    parts = []
    if not pd.isna(row["rank"]):
        parts.append(f"{ordinal(int(row['rank']))} of {int(row['n_ranked'])} LAs"
                     + (f", band {row['band']}" if not pd.isna(row["band"]) else ""))
    if not pd.isna(row["change"]):
        size = round(abs(float(row["change"])), decimals) + 0.0
        since = ("last year" if _year(row["previous_label"]) == int(row["year"]) - 1
                 else str(row["previous_label"]).split(" (")[0])
        if size == 0:
            parts.append(f"the same as {since}")
        else:
            unit_word = "point" if size == 1 else "points"
            parts.append(f"{'up' if row['change'] > 0 else 'down'} {size:,.{decimals}f} {unit_word} on {since}")
    if _text(row["trend"]):
        parts.append(f"{row['trend']} since {str(row['trend_from']).split(' (')[0]}")
    return text + "".join(f"; {p}" for p in parts) + "."


def _year(label: Any) -> int | None:
    return None if label is None or pd.isna(label) else parse_year_label(str(label))[0]


def _text(value: Any) -> str | None:
    """A text field of a record, None where missing (pd.NA cannot be compared)."""
    return value if isinstance(value, str) else None


def notable(row: Mapping[str, Any]) -> bool:
    """Whether to highlight an indicator's sentence: in the top or bottom quarter of LAs
    (band A or D), or of concern (worse than England and the neighbours and declining)."""
    return _text(row.get("band")) in ("A", "D") or bool(row.get("concern"))


def introduction(ach: Achievement) -> str:
    """Who the LA is compared with, in one sentence."""
    comp = ach.comp
    region = f", {comp.region_name}" if comp.region_name else ""
    if comp.region_fallback_name:
        region += f" ({comp.region_fallback_name} in years {comp.region_name} has no figure)"
    names = ", ".join(ach.neighbour_names)
    return (f"{comp.la_name} is compared with England{region} and {comp.description}"
            + (f": {names}." if names else "."))


def headline_tiles(ach: Achievement) -> list[Tile]:
    """Headline tiles for the indicators configured with ``tile: true`` (``Section.headlines``)."""
    tiles = []
    for row in ach.latest[ach.latest["tile"]].to_dict("records"):
        unit, decimals = row["unit"], int(row["decimals"])
        detail = f"England {number(row['england'], unit, decimals, words=False)}"
        if not pd.isna(row["rank"]):
            detail += f"; {ordinal(int(row['rank']))} of {int(row['n_ranked'])} LAs"
        polarity = row.get("polarity") if isinstance(row.get("polarity"), str) else None
        tiles.append(Tile(key=f"achievement_{row['indicator']}", label=f"{row['label']}, {row['year_label']}",
                          value=_figure(row["la_value"]), unit="percent" if unit == "percent" else "number",
                          decimals=decimals, detail=detail, england=_figure(row["england"]), polarity=polarity,
                          versus=versus_england(row["la_value"], row["england"], polarity, decimals),
                          period=str(int(row["year"])), status=parse_year_label(str(row["year_label"]))[1] or ""))
    return tiles


def _figure(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]

