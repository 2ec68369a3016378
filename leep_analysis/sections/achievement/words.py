"""The achievement section's words: a sentence per indicator, the introduction and the headline tiles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ... import measures
from ...content import Tile
from ...facts import Said
from ...sources.lait import parse_year_label
from ...wording import mean_decimals, number, ordinal
from .analysis import Achievement


def _difference(gap: float, versus: str | None, decimals: int, name: str, value: str) -> str:
    if versus == "in_line":
        return f"in line with {name} ({value})"
    size = round(abs(float(gap)), decimals) + 0.0
    unit = "point" if size == 1 else "points"
    return f"{size:,.{decimals}f} {unit} {'above' if gap > 0 else 'below'} {name} ({value})"


def _cite(row: Mapping[str, Any], column: str, area: str, decimals: int) -> tuple:
    """The fact a figure of ``row`` (a record of ``Achievement.latest``) is, shown to ``decimals`` places."""
    return (f"achievement_{row['indicator']}", area, str(int(row["year"])), float(row[column]), decimals)


#: How a gap (a derived ``GAP_`` indicator) moves: it narrows or widens, never improves or declines.
GAP_TREND = {"improving": "narrowing", "declining": "widening", "stable": "stable"}


def is_gap(code: str) -> bool:
    """A gap between two groups of pupils: a derived ``GAP_`` indicator or LAIT's own (``L3Age19Gap``)."""
    return code.startswith("GAP_") or code.lower().endswith("gap")


def _moved(change: float, row: Mapping[str, Any]) -> str | None:
    """``better``, ``worse`` or None: which way a change went for the indicator, by its polarity."""
    polarity = row.get("polarity") if isinstance(row.get("polarity"), str) else None
    if polarity not in ("High", "Low") or change == 0:
        return None
    return "better" if (change > 0) == (polarity == "High") else "worse"


def sentence(row: Mapping[str, Any], la_name: str) -> Said:
    """The plain-English sentence of one indicator's latest year, citing its figures.

    For example: "63% of pupils reached the expected standard in reading,
    writing and maths, in line with England (63%) and 2.3 points above the
    statistical neighbours (60.7%); 63rd of 151 LAs, band C; up 2 points on
    last year; stable since 2022." A gap narrows or widens; where this year's
    change and the trend over the years point opposite ways, the sentence says so
    ("narrowed this year, though widening since 2022"). "Last year" is said only of
    the year before; an earlier comparable year is named.
    """
    unit, decimals = str(row["unit"]), int(row["decimals"])
    gap = is_gap(str(row["indicator"]))
    if pd.isna(row["la_value"]):
        reason = row.get("la_reason")
        why = f" ({reason})" if isinstance(reason, str) else ""
        england = f"; England {number(row['england'], unit, decimals)}" if not pd.isna(row["england"]) else ""
        return Said(f"{row['label']}: no figure for {la_name} in {row['year_label']}{why}{england}.")
    cites = [_cite(row, "la_value", "la", decimals)]
    lead = str(row["says"]).format(value=number(row["la_value"], unit, decimals))
    lead = lead[0].upper() + lead[1:]
    comparisons = []
    if not pd.isna(row["england"]):
        comparisons.append(_difference(row["gap_england"], _text(row["versus_england"]), decimals, "England",
                                       number(row["england"], unit, decimals)))
        cites.append(_cite(row, "england", "england", decimals))
    if not pd.isna(row["sn_mean"]):
        comparisons.append(_difference(row["gap_sn"], _text(row["versus_sn"]), decimals, "the statistical neighbours",
                                       number(row["sn_mean"], unit, mean_decimals(decimals))))
        cites.append(_cite(row, "sn_mean", "neighbours", mean_decimals(decimals)))
    if len(comparisons) == 2 and all(c.startswith("in line with ") for c in comparisons):
        comparisons[1] = comparisons[1].removeprefix("in line with ")
    text = lead + (", " + " and ".join(comparisons) if comparisons else "")
    parts = []
    if not pd.isna(row["rank"]):
        parts.append(f"{ordinal(int(row['rank']))} of {int(row['n_ranked'])} LAs"
                     + (f", band {row['band']}" if not pd.isna(row["band"]) else ""))
    trend = _text(row["trend"])
    trend_words = (GAP_TREND.get(trend, trend) if gap else trend) if trend else None
    since_trend = str(row["trend_from"]).split(" (")[0] if trend else ""
    moved = None
    if not pd.isna(row["change"]):
        size = round(abs(float(row["change"])), decimals) + 0.0
        since = ("last year" if _year(row["previous_label"]) == int(row["year"]) - 1
                 else str(row["previous_label"]).split(" (")[0])
        if size == 0:
            parts.append(f"the same as {since}")
        else:
            moved = _moved(float(row["change"]), row)
            unit_word = "point" if size == 1 else "points"
            if gap:
                verb = "narrowed" if row["change"] < 0 else "widened"
                parts.append(f"{verb} by {size:,.{decimals}f} {unit_word} on {since}")
            else:
                parts.append(f"{'up' if row['change'] > 0 else 'down'} {size:,.{decimals}f} {unit_word} on {since}")
    if trend_words:
        against = moved is not None and trend in ("improving", "declining") and \
            ((moved == "better") != (trend == "improving"))
        said = f"{trend_words} since {since_trend}"
        if against:  # this year's change and the trend over the years point opposite ways: say why both hold
            said = (f"though {trend_words} since {since_trend} (the trend over up to five years, which this year's "
                    "change has not turned)")
        parts.append(said)
    return Said(text + "".join(f"; {p}" for p in parts) + ".", cites)


def companion_sentence(ach: Achievement, code: str) -> Said | None:
    """Where a headline's companion measure tells against it (``companion`` in ``config/indicators.yaml``: NEET
    beside activity not known), one sentence puts the two together; None where they agree."""
    from .analysis import all_indicators

    spec = next((i for i in all_indicators() if i.code == code), None)
    latest = ach.latest.set_index("indicator")
    if spec is None or not getattr(spec, "companions", ()) or code not in latest.index:
        return None
    head = latest.loc[code]
    if pd.isna(head["la_value"]) or _text(head["versus_england"]) != "better":
        return None
    against = [c for c in spec.companions if c in latest.index and _text(latest.at[c, "versus_england"]) == "worse"]
    if not against:
        return None
    said, cites = [], [_cite({**head.to_dict(), "indicator": code}, "la_value", "la", int(head["decimals"]))]
    for c in against:
        row = {**latest.loc[c].to_dict(), "indicator": c}
        d = int(row["decimals"])
        rank = (f", {ordinal(int(row['rank']))} of {int(row['n_ranked'])} LAs" if not pd.isna(row["rank"]) else "")
        label = str(row["label"])
        label = label if label[:2].isupper() else label[0].lower() + label[1:]
        said.append(f"{label} {number(row['la_value'], str(row['unit']), d)} (England "
                    f"{number(row['england'], str(row['unit']), d)}{rank})")
        cites += [_cite(row, "la_value", "la", d), _cite(row, "england", "england", d)]
    figure = number(head["la_value"], str(head["unit"]), int(head["decimals"]))
    return Said(f"{head['label']} ({figure}) is better than England's, but the measures beside it are worse: "
                + "; ".join(said) + "." + (f" {spec.companion_note}" if spec.companion_note else ""), cites)


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
                          versus=_versus(row, polarity),
                          period=str(int(row["year"])), status=parse_year_label(str(row["year_label"]))[1] or ""))
    return tiles


def _versus(row: Mapping[str, Any], polarity: str | None) -> str:
    """The tile's comparison with England: the one "in line" rule (``measures.versus``, the indicator's margin),
    judged by the indicator's polarity (the LAIT dictionary's where the configuration gives none)."""
    found = measures.versus(f"achievement_{row['indicator']}", row["la_value"], row["england"])
    if found != "in_line" and polarity in ("High", "Low") and not pd.isna(row["la_value"]) \
            and not pd.isna(row["england"]):
        return "better" if (float(row["la_value"]) > float(row["england"])) == (polarity == "High") else "worse"
    return found


def _figure(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]

