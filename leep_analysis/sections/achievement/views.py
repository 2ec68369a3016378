"""The achievement section's page: each phase's layout and the all-indicators table, as ``Section.render`` blocks.

A view returns ``(method, keyword arguments)`` pairs from a result (no
``Section``), so the notebook calls ``section.render(views.phase(ach, "ks2"))``
and the layout is testable without one. Figures are built here, with their
captions and alt text; their data come from ``analysis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ... import benchmark, charts
from ...comparators import Comparators
from ...wording import mean_decimals, number, ordinal
from .analysis import (
    Achievement,
    Indicator,
    all_indicators,
    benchmark_table,
    gap_values,
    timeseries,
    trend_years,
)
from .analysis import phase as phase_spec
from .words import notable, sentence

#: A layout block: a ``Section`` display method and its keyword arguments.
Block = tuple[str, dict[str, Any]]


def _display(rows: pd.DataFrame, comp: Comparators) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows of the latest table formatted per indicator for the page, and their column labels."""
    main = comp.region_name or "Region"

    def fmt(column: str, mean: bool = False) -> list[str]:
        return [number(v, u, mean_decimals(d) if mean else d, words=False)
                for v, u, d in zip(rows[column], rows["unit"], rows["decimals"], strict=True)]

    out = pd.DataFrame({
        "label": rows["label"].to_numpy(),
        "year": rows["year_label"].to_numpy(),
        "la_value": fmt("la_value"),
        "england": fmt("england"),
        "region": [v if area == main or v == "–" else f"{v} ({area})" for v, area in
                   zip(fmt("region"), rows["region_area"].fillna(main), strict=True)],
        "sn_mean": fmt("sn_mean", mean=True),
        "rank": [f"{int(r)} of {int(n)}" if not pd.isna(r) else "–" for r, n in zip(rows["rank"], rows["n_ranked"], strict=True)],
        "band": [b if isinstance(b, str) else "–" for b in rows["band"]],
        "change": [("+" if c > 0 and round(c, d) != 0 else "") + number(c, "score", d) if not pd.isna(c) else "–"
                   for c, d in zip(rows["change"], rows["decimals"], strict=True)],
        "trend": [t if isinstance(t, str) else "–" for t in rows["trend"]],
    })
    labels = {"label": "Indicator", "year": "Year", "la_value": comp.la_name, "england": "England",
              "region": comp.region_name or "Region", "sn_mean": "Neighbours (mean)", "rank": "Rank",
              "band": "Band", "change": "Change", "trend": "Trend"}
    return out, labels


_NUMERIC_LOOK = {**{c: "num1" for c in ("la_value", "england", "region", "sn_mean", "rank", "change")},
                 "trend": "trend"}


def phase(ach: Achievement, phase_id: str) -> list[Block]:
    """One phase: notes, headline table, sentences, trend, neighbour and gap charts.

    The table is written as ``tables/achievement__<phase id>.csv`` with the
    columns of ``benchmark_table``.
    """
    spec = phase_spec(phase_id)
    blocks: list[Block] = [("say", {"text": note}) for note in spec.notes]
    if ach.missing.get(phase_id):
        blocks.append(("say", {"text": "No figure in this LAIT file published by the report's as-at date, so not "
                               "reported: "
                               + ", ".join(ach.missing[phase_id]) + "."}))
    rows = ach.latest[ach.latest["phase_id"] == phase_id]
    if rows.empty:
        if spec.indicators and not ach.missing.get(phase_id):
            blocks.append(("say", {"text": "No figure of this phase's indicators in this LAIT file had been "
                                   "published by the report's as-at date, so none is reported."}))
        return blocks
    comp = ach.comp
    shown, labels = _display(rows, comp)
    blocks.append(("show", {
        "frame": shown, "name": phase_id,
        "caption": f"{spec.title}: {comp.la_name} against England, {comp.region_label(rows['region_area']) or 'its region'} "
                   f"and its comparators, latest year of each indicator",
        "formats": _NUMERIC_LOOK, "labels": labels,
        "notes": "Rank among all LAs with a figure, 1 best. Band: quarter of LAs, A best. Change: since the "
                 "previous comparable year. Trend: over up to five comparable years.",
        "csv": benchmark_table(ach).loc[rows.index]}))
    blocks.append(("say", {"text": "In bold: the top or bottom quarter of LAs, or worse than England and the "
                                   "neighbours and getting worse.", "css": "leep-table-note"}))
    groups = list(dict.fromkeys(rows["group"]))
    for group in groups:
        if len(groups) > 1:  # the phase keeps the anchor unique on the page
            blocks.append(("heading", {"text": f"{spec.title} – {group}", "level": 4}))
        part = rows[rows["group"] == group]
        blocks.append(("sentences", {"items": [(sentence(r, comp.la_name), notable(r))
                                               for r in part.to_dict("records")]}))
    blocks += [_trend_figure(ach, row) for row in rows[rows["chart"]].to_dict("records")]
    first = rows[rows["chart"]].head(1).to_dict("records")
    if first:
        blocks += _neighbours_figure(ach, first[0])
    for row in rows.to_dict("records"):
        indicator = next(i for i in spec.indicators if i.code == row["indicator"])
        if indicator.gap is not None:
            blocks += _gap_figure(ach, row, indicator)
    return blocks


def overview(ach: Achievement) -> list[Block]:
    """Every indicator's latest year in one table, and the time series written alongside.

    Writes ``tables/achievement__benchmark.csv`` and ``tables/achievement__timeseries.csv``.
    """
    shown, labels = _display(ach.latest, ach.comp)
    shown.insert(0, "phase", ach.latest["phase"].to_numpy())
    labels = {"phase": "Phase", **labels}
    return [
        ("show", {"frame": shown, "name": "benchmark",
                  "caption": f"Every indicator, latest year: {ach.comp.la_name} against its benchmarks",
                  "formats": _NUMERIC_LOOK, "labels": labels, "csv": benchmark_table(ach)}),
        ("write_table", {"frame": timeseries(ach), "name": "timeseries",
                         "caption": f"Every year of every indicator for {ach.comp.la_name}, England, "
                                    f"{ach.comp.region_name or 'the region'} and the neighbours' mean"}),
    ]


def _y_label(unit: str) -> str:
    return {"percent": "% of pupils", "points": "percentage points"}.get(unit, "score")


def _trend_figure(ach: Achievement, row: Mapping[str, Any]) -> Block:
    comp = ach.comp
    spec = next(i for i in all_indicators() if i.code == row["indicator"])
    frame = trend_years(ach, row)
    breaks = [str(y) for y, la, en in zip(frame["year_label"], frame["la_value"], frame["england"], strict=True)
              if pd.isna(la) and pd.isna(en)]
    labels = {"la_value": comp.la_name, "england": "England"}
    if comp.region_name:
        labels["region"] = comp.region_label(frame["region_area"])
    labels["sn_mean"] = "Neighbours (mean)"
    fig = charts.trend_chart(frame, title=str(row["label"]), y_label=_y_label(str(row["unit"])), labels=labels,
                             breaks=breaks, unit=str(row["unit"]))
    unit, decimals = str(row["unit"]), int(row["decimals"])
    first = frame.dropna(subset=["la_value"]).head(1)
    start = (f" from {number(first['la_value'].iloc[0], unit, decimals)} in {first['year_label'].iloc[0]}"
             if not first.empty else "")
    gaps = f"; no data in {' and '.join(breaks)}" if breaks else ""
    alt = (f"Line chart of {row['label']} each year for {comp.la_name}, England, "
           f"{comp.region_name or 'the region'} and the neighbours' mean. {comp.la_name} went{start} to "
           f"{number(row['la_value'], unit, decimals)} in {row['year_label']}, against England "
           f"{number(row['england'], unit, decimals)}{gaps}.")
    skipped = [str(y) for y in spec.skip_years if y in set(frame["year"])]
    caveat = f" (figures for {', '.join(skipped)} are not comparable with later years)" if skipped else ""
    return ("figure", {"fig": fig, "caption": f"{row['label']}: {comp.la_name} and its benchmarks over time{caveat}",
                       "alt": alt})


def _neighbours_figure(ach: Achievement, row: Mapping[str, Any]) -> list[Block]:
    comp = ach.comp
    frame = benchmark.neighbour_values(ach.lait, str(row["indicator"]), str(row["year_label"]), comp)
    if len(frame) < 2:
        return []
    if row["polarity"] == "Low":
        frame = frame.iloc[::-1].reset_index(drop=True)
    unit, decimals = str(row["unit"]), int(row["decimals"])
    fig = charts.neighbours_chart(frame, title=f"{row['label']}, {row['year_label']}", x_label=_y_label(unit),
                                  decimals=decimals, england=row["england"], sn_mean=row["sn_mean"], unit=unit)
    position = int(frame.index[frame["is_la"]][0]) + 1 if frame["is_la"].any() else None
    where = f"{comp.la_name} is {ordinal(position)} of {len(frame)}, best first" if position else \
        f"{comp.la_name} has no figure"
    alt = (f"Bar chart of {row['label']} in {row['year_label']} for {comp.la_name} and its comparators; {where}, "
           f"with {number(row['la_value'], unit, decimals)}. England {number(row['england'], unit, decimals)}, "
           f"neighbours' mean {number(row['sn_mean'], unit, mean_decimals(decimals))}.")
    return [("figure", {"fig": fig, "alt": alt, "caption": f"{row['label']}, {row['year_label']}: {comp.la_name} "
                                                            "(dark blue) and its comparators"})]


def _gap_figure(ach: Achievement, row: Mapping[str, Any], indicator: Indicator) -> list[Block]:
    assert indicator.gap is not None
    others_code, group_code = indicator.gap
    frame = gap_values(ach, row, indicator)
    if frame is None:
        return []
    comp = ach.comp
    specs = {i.code: i for i in all_indicators()}
    labels = {code: spec.label for code, spec in specs.items()}
    decimals = int(row["decimals"])
    unit = specs[others_code].unit if others_code in specs else "percent"
    fig = charts.gap_chart(frame, title=f"{row['label']}, {row['year_label']}", x_label=_y_label(unit),
                           labels=(labels.get(group_code, group_code), labels.get(others_code, others_code)),
                           decimals=decimals, unit=unit)
    gap_text = number(row["la_value"], "points", decimals)
    alt = (f"Dot chart of {labels.get(group_code, group_code)} and {labels.get(others_code, others_code)} in "
           f"{row['year_label']} for {comp.la_name}, its neighbours' mean, region and England; the gap in "
           f"{comp.la_name} is {gap_text}, in England {number(row['england'], 'points', decimals)}.")
    caption = (f"{labels.get(group_code, group_code)} and {labels.get(others_code, others_code)}, "
               f"{row['year_label']}: the gap in {comp.la_name}, its neighbours, region and England")
    return [("figure", {"fig": fig, "caption": caption, "alt": alt})]
