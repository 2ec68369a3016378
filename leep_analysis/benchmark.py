"""Benchmarking an LA against England, its region and its statistical neighbours.

Works on tidy LAIT rows (``sources.lait.load_lait``). The neighbour mean is the
unweighted mean of the neighbours with a value that year, as LAIT computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import InputError, Problem
from .sources.lait import ENGLAND


@dataclass(frozen=True)
class Comparators:
    """Who an LA is compared with, and how to describe that in a report."""

    la_code: str
    la_name: str
    region_code: str | None
    region_name: str | None
    neighbours: tuple[str, ...]
    description: str


def comparators(
    lait: pd.DataFrame, neighbours: pd.DataFrame, la_code: str, custom: list[str] | None = None
) -> Comparators:
    """The LA's region and comparator LAs.

    ``custom`` (from the params' ``comparators``) replaces the statistical
    neighbours; otherwise the ten neighbours of the workbook's current list.
    The region is the one LAIT gives the LA (Inner or Outer London for London
    boroughs, as LAIT reports them).
    """
    rows = lait[(lait["la_code"] == la_code)]
    if rows.empty:
        raise InputError(Problem("lait", f"LA code {la_code} is not in the benchmark data", key="la_code"))
    la_name = str(rows["area"].iloc[0])
    regions = rows["region_code"].dropna()
    region_code = str(regions.iloc[0]) if not regions.empty else None
    region_name = None
    if region_code is not None:
        names = lait.loc[lait["la_code"] == region_code, "area"]
        region_name = str(names.iloc[0]) if not names.empty else None
    if custom:
        codes = tuple(c for c in custom if c != la_code)
        description = f"a custom list of {len(codes)} comparator LAs set in the params file"
    else:
        mine = neighbours[(neighbours["la_code"] == la_code) & neighbours["current"]].sort_values("rank")
        codes = tuple(mine["neighbour_code"])
        description = f"its {len(codes)} statistical neighbours (DfE children's services statistical neighbours)"
    return Comparators(la_code, la_name, region_code, region_name, codes, description)


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
    rows = lait[lait["indicator"] == indicator]
    if rows.empty:
        raise InputError(Problem("lait", f"indicator {indicator} is not in the benchmark data"))
    labels = rows[["year_label", "year"]].drop_duplicates("year_label").sort_values(["year", "year_label"])
    by = rows.set_index(["la_code", "year_label"])["value"]

    def area(code: str | None) -> pd.Series:
        if code is None:
            return pd.Series(float("nan"), index=labels["year_label"])
        return by.xs(code, level="la_code").reindex(labels["year_label"]) if code in by.index.get_level_values(0) else pd.Series(float("nan"), index=labels["year_label"])

    sn = rows[rows["la_code"].isin(comp.neighbours)].groupby("year_label")["value"]
    out = pd.DataFrame(
        {
            "year_label": labels["year_label"].to_numpy(),
            "year": labels["year"].to_numpy(),
            "la_value": area(comp.la_code).to_numpy(),
            "england": area(ENGLAND).to_numpy(),
            "region": area(comp.region_code).to_numpy(),
            "sn_mean": sn.mean().reindex(labels["year_label"]).to_numpy(),
            "sn_count": sn.count().reindex(labels["year_label"]).fillna(0).astype("int64").to_numpy(),
        }
    )
    out["gap_england"] = out["la_value"] - out["england"]
    out["gap_sn"] = out["la_value"] - out["sn_mean"]
    return out
