"""The LEEP fund and the Schools Causing Concern budget as at a date: the accounts and each fund's position.

The committee is owed "a full financial position statement and evaluation on
the use of these monies" at every report. For each reported fund (see
``config/budget.yaml``) and financial year (April to March) this module works
out, from the LA's budgets and ledger, as at the period's ``as_at`` date:

- allocation (the budgets file);
- spent: payments less refunds;
- committed: open commitments, each commitment less the payments made against it
  so far (never below zero), so a commitment closes when it has been paid;
- remaining: allocation less spent and committed, what is left to commit;
- forecast outturn: spent plus committed plus a profile of the rest of the year
  (the configured method, ``profile.method``, described in ``profile.methods``);
- variance: forecast outturn less allocation (positive means an overspend);
- % spent: spent as a share of allocation.

and each fund's statement as a finance officer signs it (``signed_statement``).

Ledger rows dated after ``as_at`` are left out of everything (and counted, so
the report can say so). Money is added up as integer pence and returned as
``Decimal`` pounds with two places; every breakdown (``analysis``) is a sum over
the same ledger rows (``flows``) as the statement, so each reconciles to it to
the penny.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import disclosure, identifying
from ...config import load_config
from ...identifying import Identifiers
from ...school_year import financial_year_bounds, financial_year_of

if TYPE_CHECKING:
    from ...inputs import Inputs

STATEMENT_COLUMNS = ["fund", "financial_year", "allocation", "committed", "spent", "remaining",
                     "forecast_outturn", "variance", "pct_spent"]
MONEY = {"allocation", "committed", "spent", "remaining", "forecast_outturn", "variance", "per_school",
         "per_episode", "spent_in_month", "cumulative_spent", "profile", "spent_by_same_date"}


def config() -> dict[str, Any]:
    """The budget configuration (funds, categories, labels, profile method)."""
    return load_config("budget")


def reported_funds() -> list[str]:
    """Codes of the funds that get a statement, in report order."""
    return [code for code, fund in config()["funds"].items() if fund["reported"]]


def fund_label(fund: str) -> str:
    return str(config()["funds"][fund]["label"])


# ------------------------------------------------------------------------ money
def pounds(pence: object) -> Decimal | None:
    """Integer pence as exact pounds with two decimal places (None for missing)."""
    if pence is None or pd.isna(pence):  # type: ignore[arg-type]
        return None
    return Decimal(int(pence)).scaleb(-2)  # type: ignore[call-overload]


def in_pounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Money columns (integer pence) as Decimal pounds."""
    out = frame.copy()
    for column in out.columns:
        if column in MONEY:
            out[column] = pd.Series([pounds(v) for v in out[column]], index=out.index, dtype=object)
    return out


def share(part: int, whole: object) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place (half up); None without a whole."""
    if whole is None or pd.isna(whole) or int(whole) == 0:  # type: ignore[arg-type, call-overload]
        return None
    ratio = Decimal(int(part)) * 100 / Decimal(int(whole))  # type: ignore[call-overload]
    return float(ratio.quantize(Decimal("0.1"), ROUND_HALF_UP))


def per(pence: int, count: int) -> int | None:
    """Pence divided by a count, to the nearest penny (half up)."""
    if not count:
        return None
    return int((Decimal(int(pence)) / int(count)).quantize(Decimal(1), ROUND_HALF_UP))



# ------------------------------------------------------------------------ inputs
@dataclass(frozen=True)
class Accounts:
    """The budgets and the ledger as at a date, and how the pack may show schools.

    ``budgets``: ``fund``, ``financial_year``, ``allocation_pence`` (reported funds).
    ``ledger``: the loaded ledger rows of reported funds dated on or before ``as_at``.
    ``other``: rows of unreported funds (``other``) dated on or before ``as_at``.
    ``later``: rows of any fund dated after ``as_at``, left out of every figure.
    ``register``: support episodes (``urn``, ``school_name``, ``tier``,
    ``start_date``, ``end_date``), or None where there is no support register.
    ``names``: URN -> school name, from the register and the establishments list.
    ``lineage``: URN -> an id shared by all URNs of one school (see ``episodes_of``), or None.
    ``identifiers``: every establishment of the inputs (``identifying``), which tell a payee that is a school,
    for a committee pack; None knows none.
    """

    budgets: pd.DataFrame
    ledger: pd.DataFrame
    other: pd.DataFrame
    later: pd.DataFrame
    as_at: dt.date
    register: pd.DataFrame | None
    names: Mapping[str, str]
    anonymiser: disclosure.Anonymiser
    threshold: int = 5
    lineage: Mapping[str, str] | None = None
    identifiers: Identifiers | None = None

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee

    @property
    def year(self) -> str:
        """The financial year ``as_at`` falls in: the year the statement is for."""
        return financial_year_of(self.as_at)


def build_accounts(
    budgets: pd.DataFrame,
    ledger: pd.DataFrame,
    as_at: dt.date,
    *,
    register: pd.DataFrame | None = None,
    establishments: pd.DataFrame | None = None,
    anonymiser: disclosure.Anonymiser | None = None,
    threshold: int = 5,
    lineage: Mapping[str, str] | None = None,
    identifiers: Identifiers | None = None,
) -> Accounts:
    """Accounts from loaded frames (see ``sources.budget``), as at a date.

    Parameters
    ----------
    budgets, ledger : as returned by ``load_budgets`` and ``load_ledger``.
    register : the support register (``urn``, ``school_name``, ``tier``, ``start_date``, ``end_date``).
    establishments : the establishments list (``urn``, ``school_name``), for names of schools
        that are not on the register.
    anonymiser : how schools are shown; None shows names (an internal pack).
    threshold : counts of schools below this are suppressed in committee packs.
    lineage : URN -> an id shared by all URNs of one school, to match payments to
        register episodes across a change of URN.
    identifiers : every establishment's name, URN, LAESTAB and postcode (``identifying.identifiers``), which
        tell a payee that is a school in a committee pack.
    """
    stamp = pd.Timestamp(as_at)
    reported = reported_funds()
    upto = ledger[ledger["date"].le(stamp)]
    names: dict[str, str] = {}
    for source in (establishments, register):
        if source is not None and "school_name" in source:
            rows = source.dropna(subset=["urn", "school_name"])
            names.update(zip(rows["urn"].astype(str), rows["school_name"].astype(str), strict=True))
    return Accounts(
        budgets=budgets[budgets["fund"].isin(reported)].reset_index(drop=True),
        ledger=upto[upto["fund"].isin(reported)].reset_index(drop=True),
        other=upto[~upto["fund"].isin(reported)].reset_index(drop=True),
        later=ledger[ledger["date"].gt(stamp)].reset_index(drop=True),
        as_at=as_at,
        register=register,
        names=names,
        anonymiser=anonymiser or disclosure.Anonymiser(False, {}),
        threshold=threshold,
        lineage=lineage,
        identifiers=identifiers,
    )


def accounts(inputs: Inputs) -> Accounts:
    """The period's accounts, with the support register, establishments and their links where registered."""
    from ...inputs import SPECS

    optional = {key: inputs.get(key) if key in SPECS else None
                for key in ("support_register", "establishments", "establishment_links")}
    ledger, register = inputs.get("budget_ledger"), optional["support_register"]
    lineage = None
    if optional["establishment_links"] is not None:
        from ...schools import lineages

        urns = [*ledger["urn"].dropna(), *([] if register is None else register["urn"].dropna())]
        lineage = lineages(optional["establishment_links"], urns, as_at=inputs.params.as_at)
    return build_accounts(
        inputs.get("budgets"), ledger, inputs.params.as_at, register=register,
        establishments=optional["establishments"], anonymiser=disclosure.anonymiser(inputs),
        threshold=inputs.params.suppression_threshold, lineage=lineage,
        identifiers=identifying.identifiers(inputs) if inputs.params.for_committee else None,
    )


# ------------------------------------------------------------------------ the statement
def flows(ledger: pd.DataFrame) -> pd.DataFrame:
    """Each ledger row's effect on spent and committed, in pence.

    Returns
    -------
    DataFrame
        The ledger's columns plus ``spent_pence`` (a payment adds its amount, a
        refund takes its amount away, a commitment adds nothing) and
        ``committed_pence`` (on a commitment: its amount less the payments made
        against it in these rows, never below zero; otherwise zero).
    """
    out = ledger.copy()
    paid = out[(out["type"] == "payment") & out["commitment"].notna()].groupby("commitment")["amount_pence"].sum()
    amount = out["amount_pence"].astype("int64")
    out["spent_pence"] = amount.where(out["type"] == "payment", 0) - amount.where(out["type"] == "refund", 0)
    against = out["transaction_id"].map(paid).fillna(0).astype("int64")
    out["committed_pence"] = (amount - against).clip(lower=0).where(out["type"] == "commitment", 0).astype("int64")
    return out


def years(acc: Accounts) -> list[str]:
    """Financial years started by ``as_at`` that have an allocation or ledger rows, oldest first."""
    start = acc.as_at
    found = set(acc.ledger["financial_year"]) | {y for y in acc.budgets["financial_year"] if financial_year_bounds(y)[0] <= start}
    return sorted(found)


def _profile(uncommitted: int, year: str, as_at: dt.date) -> int:
    """Pence the configured method expects to be spent after ``as_at`` beyond open commitments."""
    method = config()["profile"]["method"]
    first, last = financial_year_bounds(year)
    if method == "committed_only" or as_at >= last:
        return 0
    elapsed = (as_at - first).days + 1
    left = (last - as_at).days
    return (2 * uncommitted * left + elapsed) // (2 * elapsed)  # half up, exact


def positions(acc: Accounts) -> pd.DataFrame:
    """The statement in pence, with the run-rate base and profile behind the forecast.

    Returns
    -------
    DataFrame
        One row per reported fund and financial year (see ``years``): ``fund``,
        ``financial_year``, ``allocation`` (Int64, missing without a budget
        line), ``spent``, ``committed``, ``uncommitted_paid`` (payments made
        without a commitment), ``profile``, all pence.
    """
    rows = flows(acc.ledger)
    rows["uncommitted_paid"] = rows["amount_pence"].where((rows["type"] == "payment") & rows["commitment"].isna(), 0)
    sums = rows.groupby(["fund", "financial_year"])[["spent_pence", "committed_pence", "uncommitted_paid"]].sum()
    allocation = acc.budgets.set_index(["fund", "financial_year"])["allocation_pence"]
    records = []
    for fund in reported_funds():
        for year in years(acc):
            key = (fund, year)
            spent, committed, uncommitted = (int(v) for v in sums.loc[key]) if key in sums.index else (0, 0, 0)
            records.append({"fund": fund, "financial_year": year,
                            "allocation": int(allocation[key]) if key in allocation.index else None,
                            "spent": spent, "committed": committed, "uncommitted_paid": uncommitted,
                            "profile": _profile(uncommitted, year, acc.as_at)})
    out = pd.DataFrame(records, columns=["fund", "financial_year", "allocation", "spent", "committed",
                                         "uncommitted_paid", "profile"])
    return out.astype({"fund": "string", "financial_year": "string", "allocation": "Int64", "spent": "int64",
                       "committed": "int64", "uncommitted_paid": "int64", "profile": "int64"})


def statement(acc: Accounts) -> pd.DataFrame:
    """The financial position of each reported fund in each financial year, as at ``acc.as_at``.

    Returns
    -------
    DataFrame
        Columns ``STATEMENT_COLUMNS``: ``fund``, ``financial_year``, then
        ``allocation``, ``committed``, ``spent``, ``remaining``,
        ``forecast_outturn``, ``variance`` as Decimal pounds (missing where the
        budgets file has no allocation), and ``pct_spent`` (float, one decimal).
        Past years' forecast outturn is their outturn (nothing left to profile).
    """
    pos = positions(acc)
    out = pos[["fund", "financial_year"]].copy()
    out["allocation"] = pos["allocation"]
    out["committed"] = pos["committed"]
    out["spent"] = pos["spent"]
    out["remaining"] = pos["allocation"] - pos["spent"] - pos["committed"]
    out["forecast_outturn"] = pos["spent"] + pos["committed"] + pos["profile"]
    out["variance"] = out["forecast_outturn"] - pos["allocation"]
    out["pct_spent"] = [share(s, a) for s, a in zip(pos["spent"], pos["allocation"], strict=True)]
    out["pct_spent"] = out["pct_spent"].astype("Float64")
    return in_pounds(out)[STATEMENT_COLUMNS]


def signed_statement(stmt: pd.DataFrame, fund: str) -> pd.DataFrame:
    """One fund's statement as a finance officer signs it: its lines down, financial years across.

    Returns
    -------
    DataFrame
        ``line`` (the keys of ``statement_lines`` in ``config/budget.yaml``, in
        that order: allocation, spent, committed, remaining, further spend
        forecast for the rest of the year, forecast outturn, variance), then one
        column of Decimal pounds per financial year of ``stmt`` (object dtype;
        missing without an allocation).
    """
    lines = config()["statement_lines"]
    table = {"line": list(lines)}
    for row in stmt[stmt["fund"] == fund].itertuples(index=False):
        further = None if row.forecast_outturn is None else row.forecast_outturn - row.spent - row.committed
        values = {"allocation": row.allocation, "spent": row.spent, "committed": row.committed,
                  "remaining": row.remaining, "further": further, "forecast_outturn": row.forecast_outturn,
                  "variance": row.variance}
        table[row.financial_year] = pd.Series([values[key] for key in lines], dtype=object)
    return pd.DataFrame(table)

