"""The achievement section: every phase benchmarked, in tables, charts and plain-English sentences.

The indicator sets are configuration (``config/indicators.yaml``): per phase
the LAIT codes, display labels, groups of pupils, derived gaps and notes on
series breaks. ``analyse`` benchmarks them all at once with ``benchmark``;
``phase_report`` renders one phase in a notebook cell; ``benchmark_table`` and
``timeseries`` are the section's two data tables.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import benchmark, charts
from ...config import load_config
from ...errors import InputError, Problem
from ...inputs import shared_analysis
from ...sources.lait import parse_year_label
from ...wording import mean_decimals, number, ordinal

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ...report import Section

UNITS = ("percent", "score", "points")
#: Columns of ``achievement__benchmark.csv``.
BENCHMARK_COLUMNS = ["indicator", "label", "phase", "year", "la_value", "england", "region", "sn_mean",
                     "rank", "n_ranked", "band", "change", "trend"]
NEIGHBOURS_LABEL = "Statistical neighbours (mean)"


@dataclass(frozen=True)
class Indicator:
    """One configured indicator: a LAIT code, or a gap derived from two."""

    code: str
    label: str
    phase: str
    group: str
    unit: str
    says: str
    decimals: int | None
    in_line: float
    series_start: int | None
    skip_years: tuple[int, ...]
    chart: bool = False
    tile: bool = False
    gap: tuple[str, str] | None = None
    polarity: str | None = None


@dataclass(frozen=True)
class Phase:
    """A phase of education (or group of measures) and its indicators, in page order."""

    id: str
    title: str
    notes: tuple[str, ...]
    indicators: tuple[Indicator, ...]


@functools.cache
def phases() -> tuple[Phase, ...]:
    """The indicator sets from ``config/indicators.yaml``.

    Raises
    ------
    InputError
        An unknown unit or polarity, a gap without two codes, or a code listed twice.
    """
    source = "config/indicators.yaml"
    out, seen, problems = [], set(), []
    for phase in load_config("indicators")["phases"]:
        indicators = []
        for item in phase.get("indicators") or []:
            merged = {**{k: v for k, v in phase.items() if k not in ("id", "title", "notes", "indicators")}, **item}
            code = str(item["code"])
            key = f"phases.{phase['id']}.{code}"
            unit = merged.get("unit", "percent")
            gap = tuple(str(c) for c in merged["gap"]) if merged.get("gap") else None
            if unit not in UNITS:
                problems.append(Problem(source, f"unit '{unit}' is not one of {', '.join(UNITS)}", key=key))
            if gap is not None and len(gap) != 2:
                problems.append(Problem(source, "gap needs two codes: [minuend, subtrahend]", key=key))
            if merged.get("polarity") not in (None, "High", "Low"):
                problems.append(Problem(source, "polarity must be High or Low", key=key))
            if code in seen:
                problems.append(Problem(source, "indicator listed twice", key=key))
            seen.add(code)
            indicators.append(Indicator(
                code=code, label=str(item["label"]), phase=str(phase["id"]), group=str(merged.get("group", "")),
                unit=unit, says=str(merged.get("says", item["label"] + ": {value}")),
                decimals=merged.get("decimals"), in_line=float(merged.get("in_line", 0.0)),
                series_start=merged.get("series_start"), skip_years=tuple(merged.get("skip_years") or ()),
                chart=bool(merged.get("chart", False)), tile=bool(merged.get("tile", False)), gap=gap,
                polarity=merged.get("polarity", "Low" if gap else None),
            ))
        out.append(Phase(str(phase["id"]), str(phase["title"]), tuple(phase.get("notes") or ()), tuple(indicators)))
    if problems:
        raise InputError(problems)
    return tuple(out)


def all_indicators() -> list[Indicator]:
    """Every configured indicator, in page order."""
    return [i for p in phases() for i in p.indicators]


def phase(phase_id: str) -> Phase:
    """One phase by id."""
    for p in phases():
        if p.id == phase_id:
            return p
    raise KeyError(f"no phase '{phase_id}' in config/indicators.yaml; phases: {', '.join(p.id for p in phases())}")


def derived() -> pd.DataFrame:
    """The derived gaps: ``indicator``, ``label``, ``minuend``, ``subtrahend``."""
    rows = [(i.code, i.label, i.gap[0], i.gap[1]) for i in all_indicators() if i.gap]
    return pd.DataFrame(rows, columns=["indicator", "label", "minuend", "subtrahend"])


def measures(dictionary: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rules of every configured indicator.

    Polarity and quartile flag from the LAIT dictionary (configuration may
    override polarity; derived gaps are Low and banded); the rest from
    configuration.

    Returns
    -------
    DataFrame
        ``indicator``, ``polarity``, ``no_quartile``, ``in_line``,
        ``series_start``, ``skip_years`` (tuple), ``decimals`` (display places:
        configured, else the dictionary's, else 0).
    """
    by_code = dictionary.set_index("indicator")
    rows = []
    for ind in all_indicators():
        known = ind.code in by_code.index
        polarity = ind.polarity or (by_code.at[ind.code, "polarity"] if known else None)
        decimals = ind.decimals
        if decimals is None:
            dps = by_code.at[ind.code, "decimals"] if known else None
            decimals = 0 if dps is None or pd.isna(dps) else int(dps)
        rows.append({
            "indicator": ind.code,
            "polarity": None if polarity is None or pd.isna(polarity) else str(polarity),
            "no_quartile": bool(by_code.at[ind.code, "no_quartile"]) if known else False,
            "in_line": ind.in_line,
            "series_start": ind.series_start,
            "skip_years": ind.skip_years,
            "decimals": int(decimals),
        })
    return pd.DataFrame(rows)


@dataclass
class Achievement:
    """The benchmarked indicator sets of one LA (built by ``analyse``)."""

    comp: benchmark.Comparators
    lait: pd.DataFrame  # the configured indicators' LAIT rows, with derived gaps added
    per_year: pd.DataFrame  # benchmark.benchmark output
    latest: pd.DataFrame  # one row per indicator: benchmark.summarise output and configuration
    missing: Mapping[str, list[str]]  # phase id -> configured codes not in the LAIT file
    neighbour_names: tuple[str, ...]


@shared_analysis("achievement")
def analyse(inputs: Inputs) -> Achievement:
    """Benchmark every configured indicator for the params' LA.

    Uses the inputs ``lait``, ``lait_dictionary`` and ``neighbours``, and the
    params' ``la_code`` and ``comparators``.
    """
    lait = inputs.get("lait")
    comp = benchmark.comparators(lait, inputs.get("neighbours"), inputs.params.la_code, inputs.params.comparators)
    rules = measures(inputs.get("lait_dictionary"))
    indicators = all_indicators()
    components = {c for i in indicators for c in (i.gap or (i.code,))}
    rows = benchmark.add_derived(lait[lait["indicator"].isin(components)], derived())
    present = set(rows.loc[rows["value"].notna(), "indicator"])
    per_year = benchmark.benchmark(rows, rules, comp, [i.code for i in indicators if i.code in present])
    latest = benchmark.summarise(per_year, rules)
    meta = pd.DataFrame([{
        "indicator": i.code, "label": i.label, "phase_id": i.phase, "phase": phase(i.phase).title,
        "group": i.group, "unit": i.unit, "says": i.says, "chart": i.chart, "tile": i.tile, "order": n,
    } for n, i in enumerate(indicators)])
    latest = meta.merge(latest, on="indicator").merge(rules[["indicator", "decimals"]], on="indicator")
    reasons = rows.loc[rows["la_code"] == comp.la_code].set_index(["indicator", "year_label"])["missing_reason"]
    keys = pd.MultiIndex.from_arrays([latest["indicator"], latest["year_label"]])
    latest["la_reason"] = reasons.reindex(keys).to_numpy()
    latest = latest.sort_values("order", kind="stable").drop(columns="order").reset_index(drop=True)
    missing = {p.id: [i.code for i in p.indicators if i.code not in present] for p in phases()}
    names = lait.drop_duplicates("la_code").set_index("la_code")["area"]
    neighbour_names = tuple(str(names.get(c, c)) for c in comp.neighbours)
    return Achievement(comp, rows, per_year, latest, missing, neighbour_names)


# --------------------------------------------------------------------------- words
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


# --------------------------------------------------------------------------- tables
def benchmark_table(ach: Achievement) -> pd.DataFrame:
    """One row per indicator for its latest year (``achievement__benchmark.csv``).

    Returns
    -------
    DataFrame
        ``indicator`` (LAIT short code; ``GAP_`` codes are derived gaps),
        ``label``, ``phase`` (title), ``year`` (LAIT's year label), ``la_value``,
        ``england``, ``region``, ``sn_mean``, ``rank``, ``n_ranked``, ``band``,
        ``change`` (from the previous comparable year), ``trend``.
    """
    out = ach.latest.rename(columns={"year": "year_number", "year_label": "year"})
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)


def timeseries(ach: Achievement) -> pd.DataFrame:
    """Every year of every indicator for the LA and its benchmarks (``achievement__timeseries.csv``).

    Returns
    -------
    DataFrame
        ``indicator``, ``year`` (LAIT's year label), ``area`` (the LA's name,
        England, the region's name, or "Statistical neighbours (mean)"),
        ``value``; years with no value left out.
    """
    names = {"la_value": ach.comp.la_name, "england": "England", "region": ach.comp.region_name or "Region",
             "sn_mean": NEIGHBOURS_LABEL}
    order = {code: n for n, code in enumerate(ach.latest["indicator"])}
    frame = ach.per_year[ach.per_year["indicator"].isin(order)]
    long = frame.melt(id_vars=["indicator", "year_label", "year"], value_vars=list(names), var_name="series",
                      value_name="value").dropna(subset=["value"])
    long["area"] = long["series"].map(names)
    long["order"] = long["indicator"].map(order)
    long["series_order"] = long["series"].map({k: n for n, k in enumerate(names)})
    long = long.sort_values(["order", "year", "series_order"], kind="stable")
    out = long[["indicator", "year_label", "area", "value"]].rename(columns={"year_label": "year"})
    return out.reset_index(drop=True)


def _display(rows: pd.DataFrame, comp: benchmark.Comparators) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows of the latest table formatted per indicator for the page, and their column labels."""
    def fmt(column: str, mean: bool = False) -> list[str]:
        return [number(v, u, mean_decimals(d) if mean else d, words=False)
                for v, u, d in zip(rows[column], rows["unit"], rows["decimals"], strict=True)]

    out = pd.DataFrame({
        "label": rows["label"].to_numpy(),
        "year": rows["year_label"].to_numpy(),
        "la_value": fmt("la_value"),
        "england": fmt("england"),
        "region": fmt("region"),
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


_NUMERIC_LOOK = {c: "num1" for c in ("la_value", "england", "region", "sn_mean", "rank", "change")}


# --------------------------------------------------------------------------- the page
def introduction(ach: Achievement) -> str:
    """Who the LA is compared with, in one sentence."""
    comp = ach.comp
    region = f", {comp.region_name}" if comp.region_name else ""
    names = ", ".join(ach.neighbour_names)
    return (f"{comp.la_name} is compared with England{region} and {comp.description}"
            + (f": {names}." if names else "."))


def headline_tiles(ach: Achievement) -> list[dict[str, str]]:
    """Headline tiles for the indicators configured with ``tile: true`` (``Section.headlines``)."""
    tiles = []
    for row in ach.latest[ach.latest["tile"]].to_dict("records"):
        unit, decimals = row["unit"], int(row["decimals"])
        detail = f"England {number(row['england'], unit, decimals, words=False)}"
        if not pd.isna(row["rank"]):
            detail += f"; {ordinal(int(row['rank']))} of {int(row['n_ranked'])} LAs"
        tiles.append({"key": f"achievement_{row['indicator']}", "label": f"{row['label']}, {row['year_label']}",
                      "value": number(row["la_value"], unit, decimals, words=False), "detail": detail})
    return tiles


def phase_report(section: Section, ach: Achievement, phase_id: str) -> None:
    """Render one phase: notes, headline table, sentences, trend, neighbour and gap charts.

    The table is written as ``tables/achievement__<phase id>.csv`` with the
    columns of ``benchmark_table``.
    """
    spec = phase(phase_id)
    for note in spec.notes:
        section.say(note)
    if ach.missing.get(phase_id):
        section.say("Not in this LAIT file, so not reported: " + ", ".join(ach.missing[phase_id]) + ".")
    rows = ach.latest[ach.latest["phase_id"] == phase_id]
    if rows.empty:
        return
    comp = ach.comp
    shown, labels = _display(rows, comp)
    section.show(shown, phase_id, caption=f"{spec.title}: {comp.la_name} against England, {comp.region_name or 'its region'} "
                 f"and its comparators, latest year of each indicator", formats=_NUMERIC_LOOK, labels=labels,
                 notes="Rank among all LAs with a figure, 1 best. Band: quarter of LAs, A best. Change: since the "
                       "previous comparable year. Trend: over up to five comparable years.",
                 csv=benchmark_table(ach).loc[rows.index])
    section.say("In bold: the top or bottom quarter of LAs, or worse than England and the neighbours and "
                "getting worse.", css="leep-table-note")
    groups = list(dict.fromkeys(rows["group"]))
    for group in groups:
        if len(groups) > 1:
            section.heading(f"{spec.title} – {group}", level=4)  # the phase keeps the anchor unique on the page
        part = rows[rows["group"] == group]
        section.sentences([(sentence(r, comp.la_name), notable(r)) for r in part.to_dict("records")])
    for row in rows[rows["chart"]].to_dict("records"):
        _trend_figure(section, ach, row)
    first = rows[rows["chart"]].head(1).to_dict("records")
    if first:
        _neighbours_figure(section, ach, first[0])
    for row in rows.to_dict("records"):
        indicator = next(i for i in spec.indicators if i.code == row["indicator"])
        if indicator.gap is not None:
            _gap_figure(section, ach, row, indicator)


def _y_label(unit: str) -> str:
    return {"percent": "% of pupils", "points": "percentage points"}.get(unit, "score")


def _trend_figure(section: Section, ach: Achievement, row: Mapping[str, Any]) -> None:
    comp = ach.comp
    spec = next(i for i in all_indicators() if i.code == row["indicator"])
    frame = ach.per_year[ach.per_year["indicator"] == row["indicator"]]
    if spec.series_start is not None:
        frame = frame[frame["year"] >= spec.series_start]
    frame = frame[frame["year"] <= row["year"]].reset_index(drop=True)
    breaks = [str(y) for y, la, en in zip(frame["year_label"], frame["la_value"], frame["england"], strict=True)
              if pd.isna(la) and pd.isna(en)]
    labels = {"la_value": comp.la_name, "england": "England"}
    if comp.region_name:
        labels["region"] = comp.region_name
    labels["sn_mean"] = "Neighbours (mean)"
    fig = charts.trend_chart(frame, title=str(row["label"]), y_label=_y_label(str(row["unit"])), labels=labels,
                             breaks=breaks)
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
    section.figure(fig, caption=f"{row['label']}: {comp.la_name} and its benchmarks over time{caveat}", alt=alt)


def _neighbours_figure(section: Section, ach: Achievement, row: Mapping[str, Any]) -> None:
    comp = ach.comp
    frame = benchmark.neighbour_values(ach.lait, str(row["indicator"]), str(row["year_label"]), comp)
    if len(frame) < 2:
        return
    if row["polarity"] == "Low":
        frame = frame.iloc[::-1].reset_index(drop=True)
    unit, decimals = str(row["unit"]), int(row["decimals"])
    fig = charts.neighbours_chart(frame, title=f"{row['label']}, {row['year_label']}", x_label=_y_label(unit),
                                  decimals=decimals, england=row["england"], sn_mean=row["sn_mean"])
    position = int(frame.index[frame["is_la"]][0]) + 1 if frame["is_la"].any() else None
    where = f"{comp.la_name} is {ordinal(position)} of {len(frame)}, best first" if position else \
        f"{comp.la_name} has no figure"
    alt = (f"Bar chart of {row['label']} in {row['year_label']} for {comp.la_name} and its comparators; {where}, "
           f"with {number(row['la_value'], unit, decimals)}. England {number(row['england'], unit, decimals)}, "
           f"neighbours' mean {number(row['sn_mean'], unit, mean_decimals(decimals))}.")
    section.figure(fig, caption=f"{row['label']}, {row['year_label']}: {comp.la_name} (dark blue) and its comparators",
                   alt=alt)


def _gap_figure(section: Section, ach: Achievement, row: Mapping[str, Any], indicator: Indicator) -> None:
    assert indicator.gap is not None
    others_code, group_code = indicator.gap
    year = row["year"]
    values = ach.per_year[(ach.per_year["year"] == year) & ach.per_year["indicator"].isin([others_code, group_code])]
    if len(values) < 2:
        return
    pick = values.set_index("indicator")
    comp = ach.comp
    areas = [(comp.la_name, "la_value"), (NEIGHBOURS_LABEL, "sn_mean"), (comp.region_name or "Region", "region"),
             ("England", "england")]
    frame = pd.DataFrame({"area": [a for a, _ in areas],
                          "group": [pick.at[group_code, c] for _, c in areas],
                          "others": [pick.at[others_code, c] for _, c in areas]})
    frame = frame.dropna(how="all", subset=["group", "others"])
    specs = {i.code: i for i in all_indicators()}
    labels = {code: spec.label for code, spec in specs.items()}
    decimals = int(row["decimals"])
    unit = specs[others_code].unit if others_code in specs else "percent"
    fig = charts.gap_chart(frame, title=f"{row['label']}, {row['year_label']}", x_label=_y_label(unit),
                           labels=(labels.get(group_code, group_code), labels.get(others_code, others_code)),
                           decimals=decimals)
    gap_text = number(row["la_value"], "points", decimals)
    alt = (f"Dot chart of {labels.get(group_code, group_code)} and {labels.get(others_code, others_code)} in "
           f"{row['year_label']} for {comp.la_name}, its neighbours' mean, region and England; the gap in "
           f"{comp.la_name} is {gap_text}, in England {number(row['england'], 'points', decimals)}.")
    section.figure(fig, caption=f"{labels.get(group_code, group_code)} and {labels.get(others_code, others_code)}, "
                                f"{row['year_label']}: the gap in {comp.la_name}, its neighbours, region and England",
                   alt=alt)


def show_all(section: Section, ach: Achievement) -> None:
    """Show every indicator's latest year in one table and write the time series.

    Writes ``tables/achievement__benchmark.csv`` and ``tables/achievement__timeseries.csv``.
    """
    shown, labels = _display(ach.latest, ach.comp)
    shown.insert(0, "phase", ach.latest["phase"].to_numpy())
    labels = {"phase": "Phase", **labels}
    section.show(shown, "benchmark", caption=f"Every indicator, latest year: {ach.comp.la_name} against its benchmarks",
                 formats=_NUMERIC_LOOK, labels=labels, csv=benchmark_table(ach))
    section.write_table(timeseries(ach), "timeseries",
                        caption=f"Every year of every indicator for {ach.comp.la_name}, England, "
                                f"{ach.comp.region_name or 'the region'} and the neighbours' mean")
