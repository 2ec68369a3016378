"""Who an LA is compared with: its region (and London where a borough's sub-region has no figure),
and its statistical neighbours or a custom list; and how a report names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import InputError, Problem


@dataclass(frozen=True)
class Comparators:
    """Who an LA is compared with, and how to describe that in a report.

    ``region_fallback`` is the region used in a year the LA's own region has no
    value: London for the Inner and Outer London regions LAIT reports boroughs in.
    """

    la_code: str
    la_name: str
    region_code: str | None
    region_name: str | None
    neighbours: tuple[str, ...]
    description: str
    region_fallback: str | None = None
    region_fallback_name: str | None = None

    def region_label(self, areas: pd.Series) -> str | None:
        """The region's name for a table, chart or sentence of these rows (``region_area``).

        The LA's own region, unless every figure shown is the fallback's (London
        for a borough whose Inner or Outer London has no value): never a
        figure of London labelled "London (Outer)". Mixed rows name both.
        """
        names = list(dict.fromkeys(areas.dropna()))
        if not names:
            return self.region_name
        return " or ".join(names)


def comparators(
    lait: pd.DataFrame, neighbours: pd.DataFrame, la_code: str, custom: list[str] | None = None
) -> Comparators:
    """The LA's region and comparator LAs.

    ``custom`` (from the params' ``comparators``) replaces the statistical
    neighbours; otherwise the ten neighbours of the workbook's current list.
    The region is the one LAIT gives the LA (Inner or Outer London for London
    boroughs, as LAIT reports them, with London itself where those have no value).
    """
    rows = lait[(lait["la_code"] == la_code)]
    if rows.empty:
        raise InputError(Problem("lait", f"LA code {la_code} is not in the benchmark data", key="la_code"))
    la_name = str(rows["area"].iloc[0])
    regions = rows["region_code"].dropna()
    region_code = str(regions.iloc[0]) if not regions.empty else None
    region_name = None
    fallback = fallback_name = None
    if region_code is not None:
        names = lait.loc[lait["la_code"] == region_code, "area"]
        region_name = str(names.iloc[0]) if not names.empty else None
        if region_name and " (" in region_name:  # "London (Inner)" -> "London"
            parent = lait.loc[(lait["area_type"] == "region") & (lait["area"] == region_name.split(" (")[0]), "la_code"]
            fallback = str(parent.iloc[0]) if not parent.empty else None
            fallback_name = region_name.split(" (")[0] if fallback else None
    if custom:
        codes = tuple(c for c in custom if c != la_code)
        description = f"a custom list of {len(codes)} comparator LAs set in the params file"
    else:
        mine = neighbours[(neighbours["la_code"] == la_code) & neighbours["current"]].sort_values("rank")
        codes = tuple(mine["neighbour_code"])
        description = f"its {len(codes)} statistical neighbours (DfE children's services statistical neighbours)"
    return Comparators(la_code, la_name, region_code, region_name, codes, description, fallback, fallback_name)
