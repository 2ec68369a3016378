"""The budget section's wording: headline tiles, summary sentences and method notes, and money as the report writes it.

``headlines`` and ``summary`` take the accounts and statement alone (not a whole
``BudgetResult``), so the summary page can quote the funds' positions without
working out every breakdown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from ... import tables
from ...content import Tile
from ...sources.budget import year_bounds
from ...wording import long_date
from .position import Accounts, config, fund_label

if TYPE_CHECKING:
    from .analysis import BudgetResult


def gbp(value: object) -> str:
    """Money as the report shows it: £12,400 (the same rounding as the tables)."""
    return tables.FORMATS["gbp"](value)


def _off_budget(variance: Decimal) -> tuple[str, str] | None:
    """("underspend" or "overspend", the amount in words) for a variance; None for one on budget."""
    if variance == 0:
        return None
    return ("underspend", gbp(-variance)) if variance < 0 else ("overspend", gbp(variance))


def summary(acc: Accounts, stmt: pd.DataFrame) -> list[str]:
    """One plain-English sentence per reported fund on the current year's position."""
    out = []
    for row in stmt[stmt["financial_year"] == acc.year].itertuples(index=False):
        label = fund_label(row.fund)
        if row.allocation is None:
            out.append(f"The {label} has no allocation for {row.financial_year} in the budgets file: "
                       f"{gbp(row.spent)} has been spent and {gbp(row.committed)} committed.")
            continue
        off = _off_budget(row.variance)
        outcome = "spend its allocation exactly" if off is None else f"{off[0]} by {off[1]}"
        spent = f"{tables.FORMATS['pct0'](row.pct_spent)} spent"
        money = f"{gbp(row.spent)} of {gbp(row.allocation)}"
        if acc.as_at >= year_bounds(row.financial_year)[1]:
            owed = f", including {gbp(row.committed)} committed and not yet paid," if row.committed else ""
            result = {"spend its allocation exactly": "equal to the allocation"}.get(
                outcome, "an " + outcome.replace(" by ", " of "))
            out.append(f"The {label} is {spent} at the end of {row.financial_year} ({money}). Its outturn{owed} "
                       f"is {gbp(row.forecast_outturn)}: {result}.")
        else:
            out.append(f"The {label} is {spent} as at {long_date(acc.as_at)} ({money}), with "
                       f"{gbp(row.committed)} more committed. It is forecast to {outcome} "
                       f"(forecast outturn {gbp(row.forecast_outturn)}).")
    return out


def headlines(acc: Accounts, stmt: pd.DataFrame) -> list[Tile]:
    """Headline tiles: each reported fund's % spent this year, with its forecast variance."""
    tiles = []
    for row in stmt[stmt["financial_year"] == acc.year].itertuples(index=False):
        if row.variance is None:
            detail = "no allocation"
        else:
            off = _off_budget(row.variance)
            detail = "forecast on budget" if off is None else f"forecast {off[0]} {off[1]}"
        tiles.append(Tile(key=f"budget_{row.fund.lower()}_pct_spent",
                          label=f"{fund_label(row.fund)} spent, {row.financial_year}",
                          value=None if row.pct_spent is None or pd.isna(row.pct_spent) else float(row.pct_spent),
                          unit="percent", decimals=0, detail=detail, period=str(row.financial_year)))
    return tiles


def notes(result: BudgetResult) -> list[str]:
    """How the figures are worked out, and what was left out, in plain words."""
    acc, cfg = result.accounts, config()
    out = [
        f"Figures are as at {long_date(acc.as_at)}. Financial years run from April to March.",
        "Spent is payments less refunds. Committed is money promised and not yet paid: each commitment "
        "less the payments made against it so far; a commitment is closed once it has been paid.",
        "Remaining is the allocation less what has been spent and committed: what is left to commit.",
        " ".join(cfg["profile"]["methods"][cfg["profile"]["method"]].split()),
        "Variance is the forecast outturn less the allocation: a positive figure is an overspend, a negative "
        "one an underspend.",
    ]
    if len(acc.later):
        out.append(f"{len(acc.later)} ledger entries dated after {long_date(acc.as_at)} are not counted.")
    if len(acc.other):
        out.append(f"{gbp(result.other_spent)} recorded in the ledger against {cfg['funds']['other']['label'].lower()} "
                   "is part of neither budget and is left out.")
    if acc.register is None:
        out.append("No support register was loaded, so spending is not matched to support tiers.")
    else:
        out.append("Spending on a school is matched to the support episode it paid for: the school's latest "
                   "episode started by the payment's date, preferring one with the same funding source and provider.")
    if acc.committee:
        out.append("No school or person is named: spending on schools is given by tier of support; payees that are "
                   "schools, people, or not recognisably an organisation are each one row, and a row standing for "
                   f"fewer than {acc.threshold} payees is merged into 'Other payees (not named)', its figures "
                   "withheld where it still stands for fewer.")
    return out

