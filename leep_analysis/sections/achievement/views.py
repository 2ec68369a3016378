"""The achievement section's page: each phase's layout and the all-indicators table, as ``Section.render`` blocks.

A view returns blocks (``content``) from a result (no ``Section``), so the
notebook calls ``section.render(views.phase(ach, "ks2"))`` and the layout is
testable without one. Figures are built here, with their
captions and alt text; their data come from ``analysis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ... import benchmark, charts, content, statcharts
from ...comparators import Comparators
from ...content import Block, Figure, Heading, Paragraph, Sentences, Table, hidden
from ...wording import mean_decimals, number, ordinal
from .analysis import (
    Achievement,
    Indicator,
    all_indicators,
    benchmark_table,
    gap_values,
    neighbour_series,
    timeseries,
    trend_years,
)
from .analysis import phase as phase_spec
from .words import GAP_TREND, companion_sentence, is_gap, notable, sentence

#: A comparison with a benchmark, as the tables' hidden columns say it.
VERSUS_WORDS = {"better": "better", "in_line": "in line", "worse": "worse"}
VERSUS_MEANING = "better, in line (within the indicator's margin) or worse than "


def table_columns(comp: Comparators, region: str | None = None) -> dict[str, content.Column]:
    """How the benchmark table's columns read (``benchmark_table``): figures in each indicator's unit and places,
    each the fact of its indicator (``measure``), area and year."""
    def fact(column: content.Column, area: str) -> content.Column:
        return content.of_measure(column, measure_from="measure", area=area, period_from="year")

    return {
        "indicator": hidden(content.text("Indicator code")),
        "measure": hidden(content.text("Measure")),
        "label": content.text("Indicator"),
        "phase": content.text("Phase"),
        "year": content.text("Year"),
        "la_value": fact(content.measure(comp.la_name), "la"),
        "england": fact(content.measure("England"), "england"),
        "region": fact(content.measure(region or comp.region_name or "Region", note_from="region_area"), "region"),
        "sn_mean": fact(content.measure("Neighbours (mean)", min_decimals=1), "neighbours"),
        "rank": content.rank("Rank", of="n_ranked"),
        "n_ranked": hidden(content.count("LAs ranked")),
        "band": content.text("Band"),
        "change": content.measure("Change", unit_from=None, signed=True),
        "trend": content.trend("Trend"),
        "unit": hidden(content.text("Unit")),
        "decimals": hidden(content.count("Decimal places")),
        "region_area": hidden(content.text("Region figure's area")),
        "polarity": hidden(content.code("Better when", {"High": "higher", "Low": "lower"},
                                        meaning="which way the figure is better: higher or lower")),
        "versus_england": hidden(content.code("Against England", VERSUS_WORDS, meaning=VERSUS_MEANING + "England")),
        "versus_region": hidden(content.code("Against the region", VERSUS_WORDS, meaning=VERSUS_MEANING + "the region")),
        "versus_sn": hidden(content.code("Against the neighbours", VERSUS_WORDS,
                                         meaning=VERSUS_MEANING + "the statistical neighbours' mean")),
        "change_from": hidden(content.text("Change from", meaning="the year the change is measured from")),
    }


def phase(ach: Achievement, phase_id: str) -> list[Block]:
    """One phase: notes, headline table, sentences, trend, neighbour and gap charts.

    The table is written as ``tables/achievement__<phase id>.csv`` with the
    columns of ``benchmark_table``.
    """
    spec = phase_spec(phase_id)
    blocks: list[Block] = [Paragraph(note) for note in spec.notes]
    if ach.missing.get(phase_id):
        blocks.append(Paragraph("No figure in this LAIT file published by the report's as-at date, so not "
                                "reported: " + ", ".join(ach.missing[phase_id]) + "."))
    rows = ach.latest[ach.latest["phase_id"] == phase_id]
    if rows.empty:
        if spec.indicators and not ach.missing.get(phase_id):
            blocks.append(Paragraph("No figure of this phase's indicators in this LAIT file had been "
                                    "published by the report's as-at date, so none is reported."))
        return blocks
    comp = ach.comp
    columns = table_columns(comp)
    columns["phase"] = hidden(columns["phase"])
    written = benchmark_table(ach).loc[rows.index]
    shown = written.assign(trend=[GAP_TREND.get(t, t) if is_gap(str(c)) and isinstance(t, str) else t
                                  for c, t in zip(written["indicator"], written["trend"], strict=True)])
    blocks.append(Table(
        name=phase_id, frame=shown, data=written, columns=columns,
        caption=f"{spec.title}: {comp.la_name} against England, {comp.region_label(rows['region_area']) or 'its region'} "
                f"and its comparators, latest year of each indicator",
        notes="Rank among all LAs with a figure, 1 best. Band: quarter of LAs, A best. Change: since the "
              "previous comparable year. Trend: over up to five comparable years, so it can point the other way "
              "from this year's change (the sentences say so where it does). A gap narrows or widens."))
    blocks.append(Paragraph("In bold: the top or bottom quarter of LAs, or worse than England and the "
                            "neighbours and getting worse.", "note"))
    groups = list(dict.fromkeys(rows["group"]))
    for group in groups:
        if len(groups) > 1:  # the phase keeps the anchor unique on the page
            blocks.append(Heading(f"{spec.title} – {group}", 4))
        part = rows[rows["group"] == group]
        blocks.append(Sentences(tuple((sentence(r, comp.la_name), notable(r)) for r in part.to_dict("records"))))
        for code in part["indicator"]:
            found = companion_sentence(ach, code)
            if found is not None:
                blocks.append(Paragraph(found))
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
    table = benchmark_table(ach)
    order = ["phase", *[c for c in table.columns if c != "phase"]]
    return [
        Table(name="benchmark", frame=table[order], data=table, columns=table_columns(ach.comp),
              caption=f"Every indicator, latest year: {ach.comp.la_name} against its benchmarks"),
        Table(name="timeseries", frame=timeseries(ach), shown=False,
              caption=f"Every year of every indicator for {ach.comp.la_name}, England, "
                      f"{ach.comp.region_name or 'the region'} and the neighbours' mean",
              columns={"indicator": content.text("Indicator code"), "year": content.text("Year"),
                       "area": content.text("Area"), "value": content.number("Value", 1)}),
    ]


def _y_label(unit: str, counts: str = "pupils") -> str:
    """What a chart's value axis counts: "% of children", "percentage points", "score"."""
    return {"percent": f"% of {counts}", "points": "percentage points"}.get(unit, "score")


def _trend_figure(ach: Achievement, row: Mapping[str, Any]) -> Block:
    comp = ach.comp
    spec = next(i for i in all_indicators() if i.code == row["indicator"])
    frame = trend_years(ach, row)
    breaks = [str(y) for y, la, en in zip(frame["year_label"], frame["la_value"], frame["england"], strict=True)
              if pd.isna(la) and pd.isna(en)]
    apart = [str(label) for label, year in zip(frame["year_label"], frame["year"], strict=True)
             if int(year) in spec.skip_years and str(label) not in breaks]
    labels = {"la_value": comp.la_name, "england": "England"}
    if comp.region_name:
        labels["region"] = comp.region_label(frame["region_area"])
    labels["sn_mean"] = "Neighbours (mean)"
    columns = ["year_label", *labels]
    drawn = frame[columns]

    def draw(data: pd.DataFrame) -> Any:
        return charts.trend_chart(data, title=str(row["label"]), y_label=_y_label(str(row["unit"]), spec.counts),
                                  labels=labels, breaks=breaks, apart=apart, unit=str(row["unit"]))
    unit, decimals = str(row["unit"]), int(row["decimals"])
    first = frame.dropna(subset=["la_value"]).head(1)
    start = (f" from {number(first['la_value'].iloc[0], unit, decimals)} in "
             f"{charts.plain_year(first['year_label'].iloc[0])}" if not first.empty else "")
    gaps = f"; no data in {' and '.join(charts.plain_year(b) for b in breaks)}" if breaks else ""
    if apart:
        gaps += f"; {', '.join(charts.plain_year(a) for a in apart)} drawn apart, as not comparable"
    alt = (f"Line chart of {row['label']} each year for {comp.la_name}, England, "
           f"{comp.region_name or 'the region'} and the neighbours' mean. {comp.la_name} went{start} to "
           f"{number(row['la_value'], unit, decimals)} in {charts.plain_year(row['year_label'])}, against England "
           f"{number(row['england'], unit, decimals)}{gaps}.")
    notes = []
    if apart:
        notes.append(f"figures for {', '.join(charts.plain_year(a) for a in apart)} are not comparable with later years")
    released = charts.release_note(frame["year_label"])
    if released:
        notes.append(f"figures for {released}")
    caveat = f" ({'; '.join(notes)})" if notes else ""
    return charts.figure("line", drawn, draw, alt=alt,
                         caption=f"{row['label']}: {comp.la_name} and its benchmarks over time{caveat}")


def _counts(code: str) -> str:
    return next((i.counts for i in all_indicators() if i.code == code), "pupils")


def _neighbours_figure(ach: Achievement, row: Mapping[str, Any]) -> list[Block]:
    comp = ach.comp
    frame = benchmark.neighbour_values(ach.lait, str(row["indicator"]), str(row["year_label"]), comp)
    if len(frame) < 2:
        return []
    if row["polarity"] == "Low":
        frame = frame.iloc[::-1].reset_index(drop=True)
    unit, decimals = str(row["unit"]), int(row["decimals"])

    def draw(data: pd.DataFrame) -> Any:
        return charts.neighbours_chart(data, title=f"{row['label']}, {row['year_label']}",
                                       x_label=_y_label(unit, _counts(row["indicator"])),
                                       decimals=decimals, england=row["england"], sn_mean=row["sn_mean"], unit=unit)
    position = int(frame.index[frame["is_la"]][0]) + 1 if frame["is_la"].any() else None
    where = f"{comp.la_name} is {ordinal(position)} of {len(frame)}, best first" if position else \
        f"{comp.la_name} has no figure"
    alt = (f"Bar chart of {row['label']} in {row['year_label']} for {comp.la_name} and its comparators; {where}, "
           f"with {number(row['la_value'], unit, decimals)}. England {number(row['england'], unit, decimals)}, "
           f"neighbours' mean {number(row['sn_mean'], unit, mean_decimals(decimals))}.")
    return [charts.figure("bar", frame[["area", "value", "is_la"]], draw, alt=alt,
                          caption=f"{row['label']}, {row['year_label']}: {comp.la_name} (dark blue) and its comparators")]


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

    def draw(data: pd.DataFrame) -> Any:
        return charts.gap_chart(data, title=f"{row['label']}, {row['year_label']}",
                                x_label=_y_label(unit, indicator.counts),
                                labels=(labels.get(group_code, group_code), labels.get(others_code, others_code)),
                                decimals=decimals, unit=unit)
    gap_text = number(row["la_value"], "points", decimals)
    alt = (f"Dot chart of {labels.get(group_code, group_code)} and {labels.get(others_code, others_code)} in "
           f"{row['year_label']} for {comp.la_name}, its neighbours' mean, region and England; the gap in "
           f"{comp.la_name} is {gap_text}, in England {number(row['england'], 'points', decimals)}.")
    caption = (f"{labels.get(group_code, group_code)} and {labels.get(others_code, others_code)}, "
               f"{row['year_label']}: the gap in {comp.la_name}, its neighbours, region and England")
    return [charts.figure("dot", frame, draw, caption=caption, alt=alt)]


def neighbour_series_figure(ach: Achievement, indicator: str, years: int = 10) -> Figure | None:
    """Small multiples of an indicator over its last ``years`` years: a panel per comparator, the LA's line in each.

    Drawn with seaborn (``statcharts.neighbour_series``) from ``neighbour_series``; None where the LA
    has no comparator with a figure.
    """
    frame = neighbour_series(ach, indicator, years)
    if frame.empty or frame["is_la"].all() or not frame["is_la"].any():
        return None
    row = ach.latest[ach.latest["indicator"] == indicator].iloc[0]
    unit, decimals = str(row["unit"]), int(row["decimals"])
    la = ach.comp.la_name
    # a gap in the years (no tests in 2020 and 2021) is a gap in each line, not a straight line across it
    every = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
    drawn = (frame.set_index(["area", "year"])["value"]
             .reindex(pd.MultiIndex.from_product([list(dict.fromkeys(frame["area"])), every], names=["area", "year"]))
             .reset_index())
    mine = frame[frame["is_la"]]
    first, last = mine.iloc[0], mine.iloc[-1]
    above = [a for a, part in frame[~frame["is_la"]].groupby("area", sort=False)
             if (part.set_index("year")["value"] > mine.set_index("year")["value"].reindex(part["year"]).to_numpy()).all()]
    if row["polarity"] == "Low":
        above = []
    n_areas = frame["area"].nunique()
    title = f"{row['label']}, {first['year_label']} to {last['year_label']}"
    alt = (f"Small multiple line charts of {row['label']} from {first['year_label']} to {last['year_label']}, one "
           f"panel for each of {la}'s {n_areas - 1} comparators with {la}'s line in every panel. {la} went from "
           f"{number(first['value'], unit, decimals)} ({ordinal(int(first['rank_among']))} of {int(first['n_among'])}) "
           f"in {first['year_label']} to {number(last['value'], unit, decimals)} ({ordinal(int(last['rank_among']))} of "
           f"{int(last['n_among'])}) in {last['year_label']}. "
           + (f"Above {la} in every year with a figure: {', '.join(above)}." if above else
              f"No comparator was above {la} in every year." if row["polarity"] == "High" else ""))
    return charts.figure("small multiples", drawn,
                         lambda data: statcharts.neighbour_series(data, la=la, unit=unit, title=title),
                         caption=f"{row['label']}: each comparator (a panel each) against {la}, "
                                 f"{first['year_label']} to {last['year_label']}",
                         alt=alt)
def facts_table(ach: Achievement) -> Table:
    """The section's facts (``config/measures.yaml``), joined into the pack's ``tables/facts.csv``."""
    from ... import facts

    return facts.table(ach.facts, "achievement")
