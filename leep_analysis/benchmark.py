"""Benchmarking an LA against England, its region and its statistical neighbours.

Works on tidy LAIT rows (``sources.lait.load_lait``) and a frame of measure
rules (the LAIT data dictionary, or ``achievement.measures``). The rules follow
DfE's LA Interactive Tool (LAIT) so figures agree with what officers already
see there; ``docs/benchmarking-rules.md`` states each one:

- the neighbour mean is the unweighted mean of the neighbours with a value that
  year;
- ranks are among LAs only (never regions or England), 1 always best, ties
  share the lowest rank (1, 2, 2, 4), on the values as published;
- quartile bands A (best) to D come from the quartiles of all LAs' values
  (linear interpolation); a value on a cut point takes the band on the
  lower-value side;
- the trend is the sign of a least-squares slope over up to five years, beyond
  a tolerance of a twentieth of the spread between LAs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .comparators import Comparators
from .errors import InputError, Problem
from .sources.lait import ENGLAND

#: Values are compared (ranks, bands) as published; rounding to this many places
#: only removes binary floating-point noise (e.g. from derived gaps: 50.2 - 34.6).
#: Computed figures (means, gaps, changes) are rounded the same way, so tables read 70.25, not 70.24999999999999.
COMPARE_DECIMALS = 9
#: Trend: the latest year and the years before it, up to this many in all.
TREND_YEARS = 5
#: Trend: fewest years with a value for a trend to be judged.
TREND_MIN_POINTS = 3
#: Trend: a slope (units a year) within this share of the LAs' interquartile range is stable.
TREND_TOLERANCE_IQR = 0.05
BANDS = np.array(["A", "B", "C", "D"], dtype=object)


# --------------------------------------------------------------------------- derived indicators
def add_derived(lait: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Append derived indicators (gaps) to LAIT rows, for every area, so they rank and band too.

    Parameters
    ----------
    lait : tidy LAIT rows.
    derived : one row per derived indicator: ``indicator`` (its code), ``label``,
        ``minuend`` and ``subtrahend`` (LAIT codes); value = minuend - subtrahend,
        e.g. non-disadvantaged minus disadvantaged.

    Returns
    -------
    DataFrame
        ``lait`` with rows added in its own columns, for each area and year with
        both values (missing where either is missing, with that value's reason).
    """
    parts = [lait]
    keys = ["la_code", "year_label"]
    for spec in derived.itertuples(index=False):
        first = lait[lait["indicator"] == spec.minuend]
        second = lait.loc[lait["indicator"] == spec.subtrahend, [*keys, "value", "missing_reason"]]
        if first.empty or second.empty:
            continue
        both = first.merge(second, on=keys, suffixes=("", "_b"))
        both["value"] = (both["value"] - both["value_b"]).round(COMPARE_DECIMALS)
        both["missing_reason"] = both["missing_reason"].fillna(both["missing_reason_b"])
        both["indicator"] = spec.indicator
        both["item"] = spec.label
        parts.append(both[lait.columns])
    out = pd.concat(parts, ignore_index=True)
    for column, dtype in lait.dtypes.items():
        out[column] = out[column].astype(dtype)
    return out


# --------------------------------------------------------------------------- the all-LA engine
def wide_values(lait: pd.DataFrame, indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """Values as a matrix: one row per indicator and year, one column per area code.

    Returns
    -------
    DataFrame
        Index ``(indicator, year)``, sorted; a column ``year_label`` (as
        published), then one float column per ``la_code`` (LAs, regions, England),
        in code order. Labels without a year are left out.
    """
    years = lait["year"].to_numpy(dtype="float64", na_value=np.nan)
    keep = ~np.isnan(years)
    if indicators is not None:
        keep &= lait["indicator"].isin(list(indicators)).to_numpy()
    ind_codes, ind_names = pd.factorize(lait["indicator"], sort=True)
    area_codes, area_names = pd.factorize(lait["la_code"], sort=True)
    ind_codes, area_codes, years = ind_codes[keep], area_codes[keep], years[keep].astype(np.int64)
    first = int(years.min()) if len(years) else 0
    span = int(years.max()) - first + 1 if len(years) else 1
    keys, row_of = np.unique(ind_codes.astype(np.int64) * span + (years - first), return_inverse=True)
    matrix = np.full((len(keys), len(area_names)), np.nan)
    matrix[row_of, area_codes] = lait["value"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    where = np.flatnonzero(keep)
    _, first_row = np.unique(row_of, return_index=True)
    index = pd.MultiIndex.from_arrays(
        [pd.Index(ind_names).take(keys // span).astype("string"), pd.Index(keys % span + first, dtype="int64")],
        names=["indicator", "year"])
    out = pd.DataFrame(matrix, index=index, columns=pd.Index(area_names).astype(object))
    out.insert(0, "year_label", lait["year_label"].take(where[first_row]).to_numpy())
    return out


def _polarity_sign(index: pd.MultiIndex, measures: pd.DataFrame) -> np.ndarray:
    """Per row: -1 where higher is better, +1 where lower is better, nan without a polarity."""
    polarity = measures.set_index("indicator")["polarity"]
    mapped = pd.Series(index.get_level_values("indicator")).map(polarity)
    return mapped.map({"High": -1.0, "Low": 1.0}).astype("float64").to_numpy()


def rank_and_band(values: pd.DataFrame, measures: pd.DataFrame) -> dict[str, pd.DataFrame | pd.Series]:
    """Ranks, quartiles and bands of every LA, for each row (indicator and year) of an LA matrix.

    Parameters
    ----------
    values : LA values only (no regions or England), rows indexed ``(indicator, year)``.
    measures : ``indicator``, ``polarity`` (High, Low or missing), ``no_quartile``.

    Returns
    -------
    dict
        ``rank`` (frame like ``values``; 1 best, ties share the lowest rank, missing
        without a polarity or a value), ``band`` (A best to D; missing without a
        polarity, where ``no_quartile``, or without a value), ``band_code`` (the
        same as an array, 0 = A to 3 = D, -1 none), ``n_ranked`` (LAs with a
        value), ``q1``, ``median``, ``q3`` (series by row).
    """
    compare = values.round(COMPARE_DECIMALS)
    sign = _polarity_sign(values.index, measures)
    ranks = compare.mul(sign, axis=0).rank(axis=1, method="min")
    data = compare.to_numpy()
    q1, q2, q3 = (np.round(q, COMPARE_DECIMALS)[:, None] for q in quartiles(data))
    with np.errstate(invalid="ignore"):
        quarter = (data > q1).astype(int) + (data > q2) + (data > q3)  # on a cut point: the lower side
    no_quartile = pd.Series(values.index.get_level_values("indicator")).map(
        measures.set_index("indicator")["no_quartile"]).fillna(False).astype(bool).to_numpy()
    codes = np.where(sign[:, None] < 0, 3 - quarter, quarter)  # 0 = A (best) .. 3 = D
    codes[np.isnan(data) | np.isnan(sign)[:, None] | no_quartile[:, None]] = -1
    return {
        "rank": ranks,
        "band_code": codes,
        "band": pd.DataFrame(np.where(codes >= 0, BANDS[codes], None), index=values.index, columns=values.columns),
        "n_ranked": values.notna().sum(axis=1),
        "q1": pd.Series(q1[:, 0], index=values.index), "median": pd.Series(q2[:, 0], index=values.index),
        "q3": pd.Series(q3[:, 0], index=values.index),
    }


def quartiles(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower quartile, median and upper quartile of each row, missing values ignored.

    Linear interpolation between order statistics, as R's default (type 7),
    Excel's QUARTILE and pandas' ``quantile``; nan for a row with no values.
    """
    ordered = np.sort(data, axis=1)  # nan last
    count = (~np.isnan(data)).sum(axis=1)
    out = []
    for q in (0.25, 0.5, 0.75):
        position = (count - 1).clip(min=0) * q
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, (count - 1).clip(min=0))
        fraction = position - low
        below = np.take_along_axis(ordered, low[:, None], axis=1)[:, 0]
        above = np.take_along_axis(ordered, high[:, None], axis=1)[:, 0]
        value = below + (above - below) * fraction
        out.append(np.where(count > 0, value, np.nan))
    return out[0], out[1], out[2]


def neighbour_weights(codes: Sequence[str], neighbours: pd.DataFrame) -> np.ndarray:
    """Matrix ``W`` with ``W[j, i] = 1`` where LA ``codes[j]`` is a current neighbour of ``codes[i]``."""
    position = {code: i for i, code in enumerate(codes)}
    current = neighbours[neighbours["current"]]
    rows = current["neighbour_code"].map(position)
    cols = current["la_code"].map(position)
    keep = (rows.notna() & cols.notna()).to_numpy()
    weights = np.zeros((len(codes), len(codes)))
    weights[rows[keep].astype(int).to_numpy(), cols[keep].astype(int).to_numpy()] = 1.0
    return weights


def neighbour_means(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unweighted mean and count of the neighbours with a value, for each row and LA.

    ``values`` has shape (rows, LAs); ``weights`` from ``neighbour_weights``.
    """
    present = ~np.isnan(values)
    count = present.astype("float64") @ weights
    total = np.where(present, values, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
    return mean, count.round().astype(np.int64)


def all_las(
    lait: pd.DataFrame,
    measures: pd.DataFrame,
    neighbours: pd.DataFrame,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rank, band and neighbour mean of every LA, for every indicator and year, at once.

    Parameters
    ----------
    lait : tidy LAIT rows (derived indicators already added, if wanted).
    measures : ``indicator``, ``polarity``, ``no_quartile`` (the LAIT dictionary will do).
    neighbours : the statistical neighbours (``sources.neighbours``); current lists used.
    indicators : limit to these codes (default every indicator).

    Returns
    -------
    DataFrame
        One row per indicator, year and LA with a value or a neighbour mean:
        ``indicator``, ``year_label``, ``year``, ``la_code``, ``value``,
        ``sn_mean``, ``sn_count``, ``rank``, ``n_ranked``, ``band``, ``latest``
        (True in the indicator's latest year with any LA value).
    """
    national = matrix(lait, measures, indicators)
    wide, ranked, codes = national.wide, national.ranked, list(national.las)
    values = wide[codes].astype("float64")
    mean, count = neighbour_means(values.to_numpy(), neighbour_weights(codes, neighbours))
    n_rows, n_las = values.shape
    indicator = values.index.get_level_values("indicator").to_numpy()
    year = values.index.get_level_values("year").to_numpy(dtype="int64")
    has_value = ranked["n_ranked"].to_numpy() > 0
    latest_year = pd.Series(np.where(has_value, year, -1)).groupby(indicator).transform("max").to_numpy()
    flat = values.to_numpy().ravel()
    keep = ~np.isnan(flat) | (count.ravel() > 0)
    row = np.repeat(np.arange(n_rows), n_las)[keep]
    col = np.tile(np.arange(n_las), n_rows)[keep]
    rank = ranked["rank"].to_numpy().ravel()[keep]
    return pd.DataFrame({
        "indicator": pd.array(indicator, dtype="string").take(row),
        "year_label": pd.array(wide["year_label"].to_numpy(dtype=object), dtype="string").take(row),
        "year": year[row],
        "la_code": pd.array(np.asarray(codes, dtype=object), dtype="string").take(col),
        "value": flat[keep],
        "sn_mean": mean.ravel()[keep].round(COMPARE_DECIMALS),
        "sn_count": count.ravel()[keep],
        "rank": pd.array(rank, dtype="Int64"),
        "n_ranked": ranked["n_ranked"].to_numpy()[row],
        "band": pd.array(BANDS, dtype="string").take(ranked["band_code"].ravel()[keep], allow_fill=True),
        "latest": (year == latest_year)[row],
    })


# --------------------------------------------------------------------------- one LA
def _area(wide: pd.DataFrame, code: str | None) -> pd.Series:
    if code is None or code not in wide.columns:
        return pd.Series(np.nan, index=wide.index)
    return wide[code].astype("float64")


@dataclass(frozen=True)
class Matrix:
    """Every area's values, and every LA's ranks and bands, by indicator and year (``matrix``).

    The same for every LA: a batch works it out once. ``wide``: ``wide_values``;
    ``ranked``: ``rank_and_band`` of the LAs' columns; ``las``: those columns' codes.
    """

    wide: pd.DataFrame
    ranked: dict[str, pd.DataFrame | pd.Series]
    las: tuple[str, ...]


def matrix(lait: pd.DataFrame, measures: pd.DataFrame, indicators: Iterable[str] | None = None) -> Matrix:
    """The national half of ``benchmark``: values of every area, ranks and bands of every LA."""
    wide = wide_values(lait, indicators)
    areas = lait.drop_duplicates("la_code").set_index("la_code")["area_type"]
    la_codes = [c for c in wide.columns if c != "year_label" and areas.get(c) == "la"]
    return Matrix(wide, rank_and_band(wide[la_codes].astype("float64"), measures), tuple(la_codes))


def benchmark(
    lait: pd.DataFrame,
    measures: pd.DataFrame,
    comp: Comparators,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every year of each indicator for one LA, against England, region and comparators.

    Parameters
    ----------
    lait : tidy LAIT rows (with derived indicators added, if wanted).
    measures : ``indicator``, ``polarity``, ``no_quartile``.
    comp : the LA and its comparators (``comparators``).
    indicators : limit to these codes.

    Returns
    -------
    DataFrame
        ``for_la`` of ``matrix``.
    """
    return for_la(matrix(lait, measures, indicators), comp)


def for_la(national: Matrix, comp: Comparators) -> pd.DataFrame:
    """One LA's rows of the ``matrix``: every year of each indicator, against England, region and comparators.

    Returns
    -------
    DataFrame
        One row per indicator and year, oldest first: ``indicator``,
        ``year_label``, ``year``, ``la_value``, ``england``, ``region`` (the LA's
        region, or ``comp.region_fallback`` where that has no value),
        ``region_area`` (the name of the area the region figure is: the LA's
        region, ``London`` where the fallback was used, missing with no figure),
        ``sn_mean`` (unweighted mean of the comparators with a value),
        ``sn_count``, ``gap_england`` and ``gap_sn`` (LA minus benchmark, in the
        indicator's units), ``rank``, ``n_ranked``, ``band`` (among all LAs),
        ``iqr`` (interquartile range of all LAs' values) and ``latest`` (the
        indicator's latest year with any LA value).
    """
    wide, ranked = national.wide, national.ranked
    own = _area(wide, comp.region_code)
    region = own.fillna(_area(wide, comp.region_fallback))
    region_area = pd.Series(np.where(own.notna(), comp.region_name or "",
                                     np.where(region.notna(), comp.region_fallback_name or "", "")),
                            index=wide.index, dtype="string").replace("", pd.NA)
    sn = wide[[c for c in comp.neighbours if c in wide.columns]].astype("float64")
    out = pd.DataFrame({
        "year_label": wide["year_label"].astype("string"),
        "la_value": _area(wide, comp.la_code),
        "england": _area(wide, ENGLAND),
        "region": region,
        "region_area": region_area,
        "sn_mean": sn.mean(axis=1).round(COMPARE_DECIMALS),
        "sn_count": sn.notna().sum(axis=1).astype("int64"),
    })
    out["gap_england"] = (out["la_value"] - out["england"]).round(COMPARE_DECIMALS)
    out["gap_sn"] = (out["la_value"] - out["sn_mean"]).round(COMPARE_DECIMALS)
    mine = comp.la_code in national.las
    out["rank"] = (ranked["rank"][comp.la_code] if mine else pd.Series(np.nan, index=out.index)).astype("Int64")
    out["n_ranked"] = ranked["n_ranked"].astype("int64")
    out["band"] = (ranked["band"][comp.la_code] if mine else pd.Series(None, index=out.index)).astype("string")
    out["iqr"] = (ranked["q3"] - ranked["q1"]).round(COMPARE_DECIMALS)
    out = out.reset_index()
    has_value = out["n_ranked"] > 0
    out["latest"] = out["year"].where(has_value).eq(
        out["year"].where(has_value).groupby(out["indicator"]).transform("max")).fillna(False).astype(bool)
    out["indicator"] = out["indicator"].astype("string")
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)


def compare(difference: pd.Series, polarity: pd.Series, tolerance: pd.Series | float = 0.0) -> pd.Series:
    """``better``, ``in_line`` or ``worse`` from LA minus benchmark, judged by polarity.

    In line means within ``tolerance`` (inclusive) in the indicator's units;
    missing without a difference or a polarity.
    """
    tol = pd.Series(tolerance, index=difference.index, dtype="float64") if np.isscalar(tolerance) else tolerance
    sign = polarity.map({"High": 1.0, "Low": -1.0}).astype("float64")
    signed = difference * sign
    out = pd.Series(pd.NA, index=difference.index, dtype="string")
    known = signed.notna()
    out[known & (difference.abs() <= tol + 1e-9)] = "in_line"
    out[known & out.isna() & (signed > 0)] = "better"
    out[known & out.isna() & (signed < 0)] = "worse"
    return out


def trend(years: np.ndarray, values: np.ndarray, polarity: str | None, tolerance: float) -> tuple[str | None, float]:
    """Trend of one series judged by polarity, and its least-squares slope (units a year).

    ``improving`` or ``declining`` where the slope, in the better or worse
    direction, exceeds ``tolerance``; otherwise ``stable``. None with fewer than
    ``TREND_MIN_POINTS`` values or without a polarity.
    """
    keep = ~np.isnan(values)
    years, values = years[keep].astype("float64"), values[keep]
    if len(values) < TREND_MIN_POINTS:
        return None, float("nan")
    slope = float(np.polyfit(years, values, 1)[0])
    if polarity not in ("High", "Low"):
        return None, slope
    if abs(slope) <= tolerance + 1e-12:
        return "stable", slope
    better = slope > 0 if polarity == "High" else slope < 0
    return ("improving" if better else "declining"), slope


def summarise(per_year: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The latest year of each indicator, with its change and trend.

    Parameters
    ----------
    per_year : the output of ``benchmark``.
    measures : ``indicator``, ``polarity``, and optionally ``in_line`` (tolerance
        for "in line with", in the indicator's units; default 0),
        ``series_start`` (first year comparable with the latest; earlier years
        are left out of change and trend) and ``skip_years`` (a tuple of years
        not comparable, e.g. teacher-assessed grades in 2020 and 2021).

    Returns
    -------
    DataFrame
        One row per indicator: the ``benchmark`` columns of its latest year,
        ``polarity``, ``versus_england`` and ``versus_sn`` (``better``,
        ``in_line``, ``worse``), ``previous_label`` and ``change`` (from the
        previous comparable year with an LA value), ``trend`` (``improving``,
        ``stable``, ``declining``; missing with fewer than three comparable
        years in the last five), ``trend_from`` (first year label of the trend),
        ``slope``, and ``concern`` (worse than England and the neighbours and
        declining).
    """
    rules = measures.set_index("indicator")
    rows = []
    for indicator, part in per_year.groupby("indicator", sort=False):
        latest = part[part["latest"]]
        if latest.empty:
            continue
        row = latest.iloc[0].to_dict()
        rule = rules.loc[indicator] if indicator in rules.index else pd.Series(dtype=object)
        start = rule.get("series_start")
        skip = rule.get("skip_years")
        skip = tuple(skip) if isinstance(skip, tuple | list) else ()
        usable = part[(part["year"] <= row["year"]) & part["la_value"].notna() & ~part["year"].isin(skip)]
        if start is not None and not pd.isna(start):
            usable = usable[usable["year"] >= int(start)]
        before = usable[usable["year"] < row["year"]]
        previous = before.iloc[-1] if not before.empty and not pd.isna(row["la_value"]) else None
        row["previous_label"] = previous["year_label"] if previous is not None else pd.NA
        row["change"] = round(row["la_value"] - previous["la_value"], COMPARE_DECIMALS) if previous is not None else np.nan
        window = usable[usable["year"] > row["year"] - TREND_YEARS]
        polarity = rule.get("polarity")
        polarity = None if polarity is None or pd.isna(polarity) else str(polarity)
        tolerance = TREND_TOLERANCE_IQR * row["iqr"] if not pd.isna(row["iqr"]) else 0.0
        direction, slope = (trend(window["year"].to_numpy(), window["la_value"].to_numpy(), polarity, tolerance)
                            if not pd.isna(row["la_value"]) else (None, float("nan")))
        row["trend"] = direction
        row["trend_from"] = window["year_label"].iloc[0] if direction is not None else pd.NA
        row["slope"] = slope
        row["polarity"] = polarity
        row["in_line"] = float(rule.get("in_line", 0.0) or 0.0)
        rows.append(row)
    if not rows:
        extra = ["previous_label", "change", "trend", "trend_from", "slope", "polarity", "versus_england",
                 "versus_sn", "concern"]
        return pd.DataFrame(columns=[c for c in per_year.columns if c != "latest"] + extra)
    out = pd.DataFrame(rows)
    polarity = out["polarity"].astype("string")
    out["versus_england"] = compare(out["gap_england"], polarity, out["in_line"])
    out["versus_sn"] = compare(out["gap_sn"], polarity, out["in_line"])
    out["concern"] = (out["versus_england"].eq("worse") & out["versus_sn"].eq("worse")
                      & out["trend"].eq("declining")).fillna(False).astype(bool)
    for column in ("trend", "previous_label", "trend_from", "polarity"):
        out[column] = out[column].astype("string")
    out["rank"] = out["rank"].astype("Int64")
    return out.drop(columns=["latest", "in_line"]).reset_index(drop=True)


def neighbour_values(lait: pd.DataFrame, indicator: str, year_label: str, comp: Comparators) -> pd.DataFrame:
    """The LA and each comparator's value in one year, best first (for a bar chart).

    Returns
    -------
    DataFrame
        ``la_code``, ``area``, ``value``, ``is_la``; comparators with no value
        are left out.
    """
    rows = lait[(lait["indicator"] == indicator) & (lait["year_label"] == year_label)
                & lait["la_code"].isin([comp.la_code, *comp.neighbours])]
    out = rows[["la_code", "area", "value"]].dropna(subset=["value"]).copy()
    out["is_la"] = out["la_code"] == comp.la_code
    return out.sort_values(["value", "area"], ascending=[False, True]).reset_index(drop=True)


def series(lait: pd.DataFrame, indicator: str, comp: Comparators) -> pd.DataFrame:
    """One indicator's values by year for the LA and its benchmarks.

    Returns
    -------
    DataFrame
        One row per year label, oldest first: ``year_label``, ``year``,
        ``la_value``, ``england``, ``region``, ``sn_mean`` (unweighted mean of
        the comparators with a value), ``sn_count`` (how many had one),
        ``gap_england`` and ``gap_sn`` (LA minus benchmark, in the indicator's
        units).
    """
    if not (lait["indicator"] == indicator).any():
        raise InputError(Problem("lait", f"indicator {indicator} is not in the benchmark data"))
    rows = lait[lait["indicator"] == indicator]
    measures = pd.DataFrame({"indicator": [indicator], "polarity": [None], "no_quartile": [True]})
    out = benchmark(rows, measures, comp)
    return out[["year_label", "year", "la_value", "england", "region", "sn_mean", "sn_count",
                "gap_england", "gap_sn"]].astype({"year_label": "string", "year": "Int64"})
