"""The achievement section's figures: the configured indicator sets, benchmarked for the LA.

The indicator sets are configuration (``config/indicators.yaml``): per phase
the LAIT codes, display labels, groups of pupils, derived gaps and notes on
series breaks. ``analyse`` benchmarks them all at once with LAIT's rules
(``benchmark``); ``benchmark_table`` and ``timeseries`` are the section's two
data tables. No wording or display here (``words``, ``views``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import analyses, benchmark
from ...comparators import Comparators, comparators
from ...config import load_config
from ...errors import InputError, Problem

if TYPE_CHECKING:
    from ...inputs import Inputs

UNITS = ("percent", "score", "points")
#: Columns of ``achievement__benchmark.csv``.
BENCHMARK_COLUMNS = ["indicator", "measure", "label", "phase", "year", "la_value", "england", "region", "sn_mean",
                     "rank", "n_ranked", "band", "change", "trend", "unit", "decimals", "region_area",
                     "polarity", "versus_england", "versus_region", "versus_sn", "change_from"]
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
    #: who its percentages are of ("pupils", "children", "16 and 17 year olds"), for a chart's axis
    counts: str = "pupils"
    #: measures read with this one, whose worse figure a sentence puts beside it (NEET and activity not known)
    companions: tuple[str, ...] = ()
    companion_note: str = ""


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
                polarity=merged.get("polarity", "Low" if gap else None), counts=str(merged.get("counts", "pupils")),
                companions=tuple(str(c) for c in item.get("companions") or ()),
                companion_note=str(item.get("companion_note") or ""),
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


@dataclass(frozen=True)
class Achievement:
    """The benchmarked indicator sets of one LA (built by ``analyse``).

    Attributes
    ----------
    comp
        The LA, its region and its comparators (``Comparators``).
    lait
        The configured indicators' LAIT rows for every area, with the derived gaps added
        (``benchmark.add_derived`` output): ``indicator``, ``item``, ``year_label``, ``year``,
        ``status`` (final, provisional, revised), ``la_code``, ``area``, ``area_type`` (``la``,
        ``region``, ``england``), ``region``, ``region_code``, ``value``, ``missing_reason``.
    per_year
        Every indicator and year for this LA and its benchmarks (``benchmark.for_la`` output):
        ``indicator``, ``year``, ``year_label``, ``la_value``, ``england``, ``region``, ``region_area``,
        ``sn_mean`` and ``sn_count`` (the comparators' mean and how many had a figure),
        ``gap_england`` and ``gap_sn`` (LA minus benchmark), ``rank`` and ``n_ranked`` (among all LAs,
        1 best), ``band`` (A to D), ``iqr`` (the spread between LAs), ``latest`` (bool).
    latest
        One row per indicator in page order: ``benchmark.summarise`` output (the ``per_year`` columns
        of its latest year, ``previous_label``, ``change``, ``trend``, ``trend_from``, ``slope``,
        ``polarity``, ``versus_england``, ``versus_sn``, ``concern``) with the configuration
        (``label``, ``phase_id``, ``phase``, ``group``, ``unit``, ``says``, ``chart``, ``tile``),
        ``decimals`` and ``la_reason`` (why the LA has no figure, if it has none).
    missing
        Phase id -> configured codes not in the LAIT file.
    neighbour_names
        The comparators' names, in order.
    """

    comp: Comparators
    lait: pd.DataFrame
    per_year: pd.DataFrame
    latest: pd.DataFrame
    missing: Mapping[str, list[str]]
    neighbour_names: tuple[str, ...]


    @functools.cached_property
    def facts(self) -> pd.DataFrame:
        """Every configured indicator's figure for each year and area (``facts.COLUMNS``): the LA, England, the
        region (or the area the region's figure is for) and the neighbours' mean."""
        return facts_of(self)

    @functools.cached_property
    def known(self) -> Any:
        from ... import facts

        return facts.Facts(self.facts)


def facts_of(ach: Achievement) -> pd.DataFrame:
    """The section's facts (``facts.COLUMNS``) from ``per_year``: each configured indicator, year and area."""
    from ... import facts
    from ...sources.lait import parse_year_label

    configured = {i.code for i in all_indicators()}
    frame = ach.per_year[ach.per_year["indicator"].isin(configured)]
    rows = []
    areas = (("la_value", "la", ach.comp.la_name), ("england", "england", "England"),
             ("region", "region", ach.comp.region_name or ""), ("sn_mean", "neighbours", NEIGHBOURS_LABEL))
    for r in frame.to_dict("records"):
        status = parse_year_label(str(r["year_label"]))[1] or ""
        for column, area, name in areas:
            if r.get(column) is None or pd.isna(r.get(column)):
                continue
            where = r.get("region_area") if area == "region" and isinstance(r.get("region_area"), str) else name
            rows.append(facts.row(f"achievement_{r['indicator']}", r[column], area=area, period=int(r["year"]),
                                  area_name=str(where), status=status))
    return facts.frame(rows)


@dataclass(frozen=True)
class National:
    """The configured indicators of every LA (``national``): the same for every LA, so a batch works it out once.

    ``rules``: ``measures``; ``rows``: the indicators' LAIT rows with the derived
    gaps (``benchmark.add_derived``); ``present``: codes with a value;
    ``matrix``: ``benchmark.matrix`` of those; ``names``: area name by ``la_code``.
    Shared by a batch's LAs (``Inputs.national``): read, never changed.
    """

    rules: pd.DataFrame
    rows: pd.DataFrame
    present: frozenset[str]
    matrix: benchmark.Matrix
    names: pd.Series


def national(lait: pd.DataFrame, dictionary: pd.DataFrame) -> National:
    """The national half of ``analyse``: every configured indicator's rows, values and ranks."""
    rules = measures(dictionary)
    indicators = all_indicators()
    components = {c for i in indicators for c in (i.gap or (i.code,))}
    rows = benchmark.add_derived(lait[lait["indicator"].isin(components)], derived())
    present = frozenset(rows.loc[rows["value"].notna(), "indicator"])
    return National(rules, rows, present,
                    benchmark.matrix(rows, rules, [i.code for i in indicators if i.code in present]),
                    lait.drop_duplicates("la_code").set_index("la_code")["area"])


def analyse(inputs: Inputs) -> Achievement:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "achievement")


def work_out(inputs: Inputs) -> Achievement:
    """Benchmark every configured indicator for the params' LA (``national`` once per run, then the LA's slice).

    Uses the inputs ``lait``, ``lait_dictionary`` and ``neighbours``, and the
    params' ``la_code`` and ``comparators``.
    """
    lait = inputs.get("lait")
    every = inputs.national("achievement", lambda: national(lait, inputs.get("lait_dictionary")))
    comp = comparators(lait, inputs.get("neighbours"), inputs.params.la_code, inputs.params.comparators)
    indicators = all_indicators()
    per_year = benchmark.for_la(every.matrix, comp)
    latest = benchmark.summarise(per_year, every.rules)
    meta = pd.DataFrame([{
        "indicator": i.code, "label": i.label, "phase_id": i.phase, "phase": phase(i.phase).title,
        "group": i.group, "unit": i.unit, "says": i.says, "chart": i.chart, "tile": i.tile, "order": n,
    } for n, i in enumerate(indicators)])
    latest = meta.merge(latest, on="indicator").merge(every.rules[["indicator", "decimals"]], on="indicator")
    rows = every.rows
    reasons = rows.loc[rows["la_code"] == comp.la_code].set_index(["indicator", "year_label"])["missing_reason"]
    keys = pd.MultiIndex.from_arrays([latest["indicator"], latest["year_label"]])
    latest["la_reason"] = reasons.reindex(keys).to_numpy()
    latest = latest.sort_values("order", kind="stable").drop(columns="order").reset_index(drop=True)
    missing = {p.id: [i.code for i in p.indicators if i.code not in every.present] for p in phases()}
    neighbour_names = tuple(str(every.names.get(c, c)) for c in comp.neighbours)
    return Achievement(comp, rows, per_year, latest, missing, neighbour_names)


def benchmark_table(ach: Achievement) -> pd.DataFrame:
    """One row per indicator for its latest year (``achievement__benchmark.csv``).

    Returns
    -------
    DataFrame
        ``indicator`` (LAIT short code; ``GAP_`` codes are derived gaps),
        ``label``, ``phase`` (title), ``year`` (LAIT's year label), ``la_value``,
        ``england``, ``region``, ``sn_mean``, ``rank``, ``n_ranked``, ``band``,
        ``change`` (from the previous comparable year), ``trend``, ``unit`` (``percent``, ``points``,
        ``score``: what the figures are in), ``decimals`` (the places LAIT publishes them to),
        ``region_area`` (the area the region's figure is for, where it is not the LA's own region:
        London for a borough whose Inner or Outer London has none), ``polarity`` (``High`` or ``Low``:
        which way is better), ``versus_england``, ``versus_region`` and ``versus_sn`` (``better``,
        ``in_line`` or ``worse``, in line meaning within the indicator's ``in_line`` margin) and
        ``change_from`` (the year ``change`` is measured from). The last five are what a sentence
        about the figure needs (the committee report's key messages), and are not shown on the page.
    """
    out = ach.latest.rename(columns={"year": "year_number", "year_label": "year", "previous_label": "change_from"})
    out["measure"] = "achievement_" + out["indicator"].astype(str)
    out["decimals"] = out["decimals"].astype("Int64")
    margin = out["indicator"].map({i.code: i.in_line for i in all_indicators()}).astype("float64").fillna(0.0)
    out["versus_region"] = benchmark.compare((out["la_value"] - out["region"]).round(benchmark.COMPARE_DECIMALS),
                                             out["polarity"].astype("string"), margin)
    out["region_area"] = out["region_area"].where(out["region_area"].ne(ach.comp.region_name)
                                                  & out["region"].notna())
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)


def timeseries(ach: Achievement) -> pd.DataFrame:
    """Every year of every indicator for the LA and its benchmarks (``achievement__timeseries.csv``).

    Returns
    -------
    DataFrame
        ``indicator``, ``year`` (LAIT's year label), ``area`` (the LA's name,
        England, the name of the area the region figure is (``region_area``), or
        "Statistical neighbours (mean)"),
        ``value``; years with no value left out.
    """
    names = {"la_value": ach.comp.la_name, "england": "England", "region": ach.comp.region_name or "Region",
             "sn_mean": NEIGHBOURS_LABEL}
    order = {code: n for n, code in enumerate(ach.latest["indicator"])}
    frame = ach.per_year[ach.per_year["indicator"].isin(order)]
    long = frame.melt(id_vars=["indicator", "year_label", "year", "region_area"], value_vars=list(names), var_name="series",
                      value_name="value").dropna(subset=["value"])
    long["area"] = long["series"].map(names)
    # the region's figure is London's in years a London borough's own region has none: say so
    region = long["series"].eq("region") & long["region_area"].notna()
    long.loc[region, "area"] = long.loc[region, "region_area"]
    long["order"] = long["indicator"].map(order)
    long["series_order"] = long["series"].map({k: n for n, k in enumerate(names)})
    long = long.sort_values(["order", "year", "series_order"], kind="stable")
    out = long[["indicator", "year_label", "area", "value"]].rename(columns={"year_label": "year"})
    return out.reset_index(drop=True)


#: Columns of ``neighbour_series``.
NEIGHBOUR_SERIES_COLUMNS = ["indicator", "year_label", "year", "la_code", "area", "is_la", "value", "rank_among",
                            "n_among", "rank", "n_ranked"]


def neighbour_series(ach: Achievement, indicator: str, years: int = 10) -> pd.DataFrame:
    """The LA's and each comparator's figure for an indicator in each of its last ``years`` years, ranked among them.

    Parameters
    ----------
    indicator : a configured indicator's code (``KS2RWM_Expected_STD``).
    years : how many academic years back from the indicator's latest, that one included.

    Returns
    -------
    DataFrame
        ``NEIGHBOUR_SERIES_COLUMNS``, one row per area and year with a figure, the LA's rows first, then
        the comparators' in their order: ``indicator``, ``year_label``, ``year`` (end year), ``la_code``,
        ``area`` (its name), ``is_la``, ``value``, ``rank_among`` and ``n_among`` (its place, 1 best by
        the indicator's polarity, among the LA and comparators with a figure that year; LAs with the same
        figure share the better place), ``rank`` and ``n_ranked`` (the LA's rank among all LAs, as LAIT
        ranks it; missing on the comparators' rows). Empty where the indicator is not in the file.
    """
    latest = ach.latest[ach.latest["indicator"] == indicator]
    if latest.empty:
        return pd.DataFrame(columns=NEIGHBOUR_SERIES_COLUMNS)
    last = int(latest["year"].iloc[0])
    polarity = latest["polarity"].iloc[0]
    codes = [ach.comp.la_code, *ach.comp.neighbours]
    rows = ach.lait[(ach.lait["indicator"] == indicator) & ach.lait["la_code"].isin(codes)
                    & ach.lait["year"].between(last - years + 1, last) & ach.lait["value"].notna()]
    out = rows[["indicator", "year_label", "year", "la_code", "area", "value"]].copy()
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out["is_la"] = out["la_code"] == ach.comp.la_code
    ascending = polarity == "Low"
    out["rank_among"] = out.groupby("year")["value"].rank(method="min", ascending=ascending).astype(int)
    out["n_among"] = out.groupby("year")["value"].transform("count").astype(int)
    ranks = ach.per_year[ach.per_year["indicator"] == indicator].set_index("year")
    out["rank"] = pd.array([ranks["rank"].get(y) if la else pd.NA for y, la in zip(out["year"], out["is_la"], strict=True)],
                           dtype="Int64")
    out["n_ranked"] = pd.array([ranks["n_ranked"].get(y) if la else pd.NA
                                for y, la in zip(out["year"], out["is_la"], strict=True)], dtype="Int64")
    out["_order"] = out["la_code"].map({code: n for n, code in enumerate(codes)})
    out = out.sort_values(["_order", "year"], kind="stable")
    return out[NEIGHBOUR_SERIES_COLUMNS].reset_index(drop=True)


def trend_years(ach: Achievement, row: Mapping[str, Any]) -> pd.DataFrame:
    """An indicator's comparable years up to its latest (``row``: a record of ``latest``).

    Returns
    -------
    DataFrame
        The indicator's ``per_year`` rows from its configured ``series_start``
        to the latest year, index from 0.
    """
    spec = next(i for i in all_indicators() if i.code == row["indicator"])
    frame = ach.per_year[ach.per_year["indicator"] == row["indicator"]]
    if spec.series_start is not None:
        frame = frame[frame["year"] >= spec.series_start]
    return frame[frame["year"] <= row["year"]].reset_index(drop=True)


def gap_values(ach: Achievement, row: Mapping[str, Any], indicator: Indicator) -> pd.DataFrame | None:
    """The two groups behind a derived gap in its latest year, for the LA and each benchmark.

    Returns
    -------
    DataFrame
        ``area`` (the LA's name, "Statistical neighbours (mean)", the region's
        name, England), ``group`` (the subtrahend's value), ``others`` (the
        minuend's); areas with neither left out. None if either group has no
        row that year.
    """
    assert indicator.gap is not None
    others_code, group_code = indicator.gap
    values = ach.per_year[(ach.per_year["year"] == row["year"])
                          & ach.per_year["indicator"].isin([others_code, group_code])]
    if len(values) < 2:
        return None
    pick = values.set_index("indicator")
    comp = ach.comp
    region = comp.region_label(values["region_area"]) or "Region"
    areas = [(comp.la_name, "la_value"), (NEIGHBOURS_LABEL, "sn_mean"), (region, "region"), ("England", "england")]
    frame = pd.DataFrame({"area": [a for a, _ in areas],
                          "group": [pick.at[group_code, c] for _, c in areas],
                          "others": [pick.at[others_code, c] for _, c in areas]})
    return frame.dropna(how="all", subset=["group", "others"])
