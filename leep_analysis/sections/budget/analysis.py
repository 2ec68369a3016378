"""The budget section's figures: where the money went, what support cost, and how the year is running.

Beside each fund's position (``position``): the same money by category, by payee,
by school and support tier (joined to the support register), per month against a
straight-line profile, and year on year; ``analyse`` gathers them into one
``BudgetResult``. Every breakdown is a sum over the statement's ledger rows, so
each reconciles to it to the penny.

Committee packs (``audience: committee``) never show a school or a person: payees that are schools,
and payees that are people, are each summed into one unnamed row (``identifying``), spending by school
is shown by tier only, and small numbers of schools are suppressed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import pandas as pd

from ... import analyses, identifying
from ...school_year import financial_year_bounds
from .position import (
    Accounts,
    accounts,
    config,
    flows,
    in_pounds,
    per,
    pounds,
    reported_funds,
    share,
    signed_statement,
    statement,
)

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ..support import Analysis as SupportAnalysis


def _ordered(frame: pd.DataFrame, column: str, order: list[str]) -> pd.Series:
    return frame[column].map({v: i for i, v in enumerate(order)}).fillna(len(order))


def by_category(acc: Accounts) -> pd.DataFrame:
    """Spent and committed by category, for each reported fund and financial year.

    Returns
    -------
    DataFrame
        ``fund``, ``financial_year``, ``category`` (configured order), ``spent``,
        ``committed`` (Decimal pounds) and ``pct_of_spent`` (the category's share
        of the fund's spending that year). Summed over categories, spent and
        committed equal the statement's.
    """
    rows = flows(acc.ledger)
    sums = (rows.groupby(["fund", "financial_year", "category"], as_index=False)[["spent_pence", "committed_pence"]]
            .sum().rename(columns={"spent_pence": "spent", "committed_pence": "committed"}))
    totals = sums.groupby(["fund", "financial_year"])["spent"].transform("sum")
    sums["pct_of_spent"] = pd.array([share(s, t) for s, t in zip(sums["spent"], totals, strict=True)], dtype="Float64")
    sums = sums.assign(_f=_ordered(sums, "fund", reported_funds()), _c=_ordered(sums, "category", config()["categories"]))
    sums = sums.sort_values(["_f", "financial_year", "_c"]).drop(columns=["_f", "_c"]).reset_index(drop=True)
    return in_pounds(sums[["fund", "financial_year", "category", "spent", "committed", "pct_of_spent"]])


def payee_label(payee: object, payee_urn: object, acc: Accounts) -> str:
    """How a payee is shown: its name, or in committee packs "Schools (not named)" for a school and "Individuals
    (not named)" for a person (``identifying.shown_party``, the rule the support section's providers follow).

    A payee with a payee URN, or whose name is (or holds) an establishment's name in Get Information about
    Schools or Ofsted's files, is a school; one with a title or initials and a surname is a person.
    """
    return identifying.shown_party(payee, payee_urn, acc.identifiers or NO_IDENTIFIERS,
                                   committee=acc.committee, missing=config()["no_payee"])


#: what an internal pack looks for in a payee's name: nothing (it shows every name)
NO_IDENTIFIERS = identifying.Identifiers.of()


#: A committee pack's payee rows that group payees, never naming one (``identifying``): schools, people, others.
GROUPED = (identifying.SCHOOL_PAYEE, identifying.PERSON_PAYEE, identifying.OTHER_PAYEE)
#: The money and count of a payee row a committee pack withholds (shown ``c``).
WITHHELD_COLUMNS = ("transactions", "spent", "committed")


def _payee_key(payee: object, payee_urn: object) -> str:
    """Who a ledger row paid, as distinct payees are counted: the payee's URN, else its name as compared."""
    if payee_urn is not None and not pd.isna(payee_urn) and str(payee_urn).strip():
        return f"urn:{str(payee_urn).strip()}"
    return "" if payee is None or pd.isna(payee) else identifying.name_key(payee)


def _grouped(rows: pd.DataFrame, threshold: int) -> pd.Series:
    """Each row's payee as a committee pack shows it: a grouped row (schools, people) standing for fewer than
    ``threshold`` distinct payees in its fund and year is merged into the "Other payees (not named)" row; named
    organisations keep their rows. (One person paid once a year is one person's pay, whatever the row says.)"""
    keys = [rows["fund"], rows["financial_year"], rows["payee"]]
    distinct = rows.groupby(keys, dropna=False)["_who"].transform("nunique")
    small = rows["payee"].isin(GROUPED) & distinct.lt(threshold)
    return rows["payee"].mask(small, identifying.OTHER_PAYEE)


def by_payee(acc: Accounts) -> pd.DataFrame:
    """Spent and committed by payee (provider), for each reported fund and financial year.

    In a committee pack schools, people and payees not recognisably an organisation are grouped, unnamed
    (``payee_label``); a group of fewer than ``acc.threshold`` distinct payees is merged into "Other payees (not
    named)", and where that row still stands for fewer, its transactions, spent and committed are withheld
    (missing; the table shows ``c``), with the smallest other row of its fund and year (``_complements``: the
    fund's total would give a lone one away), and they come last in their fund and year (a place would bound an
    amount).

    Returns
    -------
    DataFrame
        ``fund``, ``financial_year``, ``payee``, ``transactions`` (ledger rows), ``spent``,
        ``committed`` (Decimal pounds); largest spending first.
    """
    rows = flows(acc.ledger)
    rows["_who"] = [_payee_key(p, u) for p, u in zip(rows["payee"], rows["payee_urn"], strict=True)]
    rows["payee"] = [payee_label(p, u, acc) for p, u in zip(rows["payee"], rows["payee_urn"], strict=True)]
    if acc.committee:
        rows["payee"] = _grouped(rows, acc.threshold)
    sums = rows.groupby(["fund", "financial_year", "payee"], as_index=False).agg(
        transactions=("transaction_id", "size"), spent=("spent_pence", "sum"), committed=("committed_pence", "sum"),
        _payees=("_who", "nunique"))
    withheld = (sums["payee"].eq(identifying.OTHER_PAYEE) & sums["_payees"].lt(acc.threshold)
                if acc.committee else pd.Series(False, index=sums.index))
    withheld = withheld | _complements(sums, withheld)
    sums = sums.assign(_f=_ordered(sums, "fund", reported_funds()), _w=withheld)
    sums = sums.sort_values(["_f", "financial_year", "_w", "spent", "payee"], ascending=[True, True, True, False, True])
    out = in_pounds(sums.drop(columns=["_f", "_payees"]).reset_index(drop=True))
    small = out.pop("_w").astype(bool)
    for column in WITHHELD_COLUMNS:
        out[column] = out[column].astype(object).mask(small, None)
    return out


def _complements(sums: pd.DataFrame, withheld: pd.Series) -> pd.Series:
    """The payee row withheld with each withheld one: the fund's spent, published in its statement, less the
    rows shown would give a lone withheld row's figures, so in each fund and year with one withheld row the
    smallest other row (by spent) is withheld too, and the two are known only as their sum."""
    out = pd.Series(False, index=sums.index)
    for _, part in sums.groupby(["fund", "financial_year"], sort=False):
        if withheld[part.index].sum() == 1 and (~withheld[part.index]).any():
            out[part[~withheld[part.index]]["spent"].idxmin()] = True
    return out


def _school_key(urns: pd.Series, lineage: Mapping[str, str] | None) -> pd.Series:
    """URNs as the key that identifies a school across a change of URN (the URN itself without ``lineage``)."""
    keys = [u if lineage is None or pd.isna(u) else lineage.get(str(u), str(u)) for u in urns]
    return pd.Series(keys, index=urns.index, dtype="string")


def episodes_of(frame: pd.DataFrame, register: pd.DataFrame | None,
                lineage: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Match ledger rows to the support episode (register row) they paid for.

    A row with a URN belongs to the latest of that school's episodes started on
    or before the row's date, looking first at episodes with the same funding
    source and provider as the row's fund and payee, then the same funding
    source, then any; paid before any episode started, to the school's first
    episode. Rows whose school is not on the register get no episode.

    Parameters
    ----------
    frame : ledger rows (``urn``, ``date``, ``fund``, ``payee``).
    register : support episodes (``urn``, ``start_date``, ``tier``; ``funding_source``
        and ``provider`` used where present), or None.
    lineage : URN -> an id shared by every URN of the same school (a converter academy
        and its maintained predecessor), so a payment recorded under the old URN
        finds an episode registered under the new one; None compares URNs as they are.

    Returns
    -------
    DataFrame
        ``frame`` plus ``episode`` (Int64: the position of the matched episode
        in ``register``) and ``tier`` (missing where no episode matches).
    """
    out = frame.copy()
    out["episode"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["tier"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if register is None or register.empty:
        return out
    reg = register.reset_index(drop=True)
    absent = pd.Series(pd.NA, index=reg.index, dtype="string")
    episodes = pd.DataFrame({
        "episode": reg.index.to_numpy(dtype="int64"),
        "urn": _school_key(reg["urn"], lineage),
        "fund": reg["funding_source"].astype("string") if "funding_source" in reg else absent,
        "payee": reg["provider"].astype("string") if "provider" in reg else absent,
        "start_date": pd.to_datetime(reg["start_date"]).astype("datetime64[ns]"),
        "tier": reg["tier"].astype("string"),
    }).dropna(subset=["urn", "start_date"]).sort_values("start_date")
    todo = out.loc[out["urn"].notna(), ["urn", "date", "fund", "payee"]].astype(
        {"fund": "string", "payee": "string", "date": "datetime64[ns]"})
    todo["urn"] = _school_key(todo["urn"], lineage)
    for keys in (["urn", "fund", "payee"], ["urn", "fund"], ["urn"]):
        left = todo.dropna(subset=keys).sort_values("date").reset_index()
        right = episodes.dropna(subset=keys)[[*keys, "start_date", "episode", "tier"]]
        if left.empty or right.empty:
            continue
        matched = pd.merge_asof(left, right, left_on="date", right_on="start_date", by=keys, direction="backward")
        hit = matched[matched["episode"].notna()]
        out.loc[hit["index"], "episode"] = hit["episode"].astype("int64").to_numpy()
        out.loc[hit["index"], "tier"] = hit["tier"].to_numpy()
        todo = todo.drop(index=hit["index"])
    first = episodes.drop_duplicates("urn").set_index("urn")
    early = todo[todo["urn"].isin(first.index)]
    out.loc[early.index, "episode"] = early["urn"].map(first["episode"]).to_numpy()
    out.loc[early.index, "tier"] = early["urn"].map(first["tier"]).to_numpy()
    return out


def by_school(acc: Accounts) -> pd.DataFrame:
    """Spent and committed for each school the money supported, and the spending linked to none.

    Returns
    -------
    DataFrame
        ``fund``, ``financial_year``, ``urn`` (internal packs only),
        ``school_name`` (the school's name, or "School X" in committee packs;
        ``no_school`` text for spending linked to no school), ``tier`` (of the
        support episode the money paid for; ``not_on_register`` text where the
        school is not on the support register), ``spent``, ``committed``
        (Decimal pounds). Summed over schools (with the unlinked row), spent and
        committed equal the statement's.
    """
    cfg = config()
    rows = episodes_of(flows(acc.ledger), acc.register, acc.lineage)
    linked = rows[rows["urn"].notna()].copy()
    if acc.register is not None:
        linked["tier"] = linked["tier"].fillna(cfg["not_on_register"])
    sums = linked.groupby(["fund", "financial_year", "urn", "tier"], as_index=False, dropna=False)[
        ["spent_pence", "committed_pence"]].sum()
    sums["school_name"] = [acc.anonymiser.label(u, acc.names.get(str(u))) for u in sums["urn"]]
    unlinked = (rows[rows["urn"].isna()].groupby(["fund", "financial_year"], as_index=False)[
        ["spent_pence", "committed_pence"]].sum())
    unlinked["urn"], unlinked["school_name"], unlinked["tier"] = pd.NA, cfg["no_school"], pd.NA
    unlinked["_last"] = 1
    sums["_last"] = 0
    out = pd.concat([sums, unlinked], ignore_index=True)
    out = out.rename(columns={"spent_pence": "spent", "committed_pence": "committed"})
    out = out.assign(_f=_ordered(out, "fund", reported_funds()))
    out = out.sort_values(["_f", "financial_year", "_last", "spent", "school_name"],
                          ascending=[True, True, True, False, True])
    columns = ["fund", "financial_year", "urn", "school_name", "tier", "spent", "committed"]
    if acc.committee:
        columns.remove("urn")
    out = out[columns].reset_index(drop=True).astype({"school_name": "string", "tier": "string"})
    return in_pounds(out)


def cost_per_tier(acc: Accounts, outcomes: pd.DataFrame | None = None) -> pd.DataFrame:
    """What a school's support cost, by tier: spending of both funds over every year to date.

    Parameters
    ----------
    outcomes : optional frame with a ``tier`` column (e.g. the support section's
        outcomes by tier); its other columns are added beside the costs.

    Returns
    -------
    DataFrame
        ``tier`` (configured order; then schools not on the support register;
        then all supported schools), ``schools`` (schools with spending),
        ``episodes`` (support episodes with spending), ``spent`` (payments less
        refunds linked to those schools), ``per_school``, ``per_episode``
        (Decimal pounds). (A committee pack withholds small counts and the averages
        that rest on them where it shows the table: ``views.tiers``.)
    """
    cfg = config()
    rows = episodes_of(flows(acc.ledger), acc.register, acc.lineage)
    rows = rows[rows["urn"].notna() & rows["type"].isin(["payment", "refund"])]
    rows = rows.assign(school=_school_key(rows["urn"], acc.lineage))
    if acc.register is not None:
        rows = rows.assign(tier=rows["tier"].fillna(cfg["not_on_register"]))
    records = []
    groups = [*cfg["tiers"], cfg["not_on_register"]] if acc.register is not None else []
    for tier in groups:
        part = rows[rows["tier"] == tier]
        episodes = part["episode"].nunique() if tier in cfg["tiers"] else None
        records.append((tier, part["school"].nunique(), episodes, int(part["spent_pence"].sum())))
    supported = rows[rows["episode"].notna()] if acc.register is not None else rows
    records.append((cfg["all_tiers"], supported["school"].nunique(),
                    supported["episode"].nunique() if acc.register is not None else None,
                    int(supported["spent_pence"].sum())))
    out = pd.DataFrame(records, columns=["tier", "schools", "episodes", "spent"])
    out["per_school"] = [per(s, n) for s, n in zip(out["spent"], out["schools"], strict=True)]
    out["per_episode"] = [per(s, n) if pd.notna(n) else None for s, n in zip(out["spent"], out["episodes"], strict=True)]
    out = out.astype({"tier": "string", "schools": "int64", "episodes": "Int64"})
    out = in_pounds(out)
    if outcomes is not None:
        out = out.merge(outcomes, on="tier", how="left")
        if "inspected_after" in out:
            out["inspected_after"] = out["inspected_after"].astype("Int64")
        out = out.round({c: 1 for c in out.columns if c.startswith("pct_")})
    return out


def support_outcomes(support: SupportAnalysis | None) -> pd.DataFrame | None:
    """The support section's next-inspection outcomes by tier, for ``cost_per_tier``; None without that section.

    Columns ``tier`` (as ``cost_per_tier`` labels it), ``inspected_after``,
    ``pct_improved``, ``pct_good_after`` (``support.outcomes_by_tier``).
    """
    if support is None:
        return None
    from ..support import outcomes_by_tier

    return outcomes_by_tier(support).replace({"tier": {"all": config()["all_tiers"]}})


def monthly(acc: Accounts) -> pd.DataFrame:
    """Cumulative spending month by month through the current financial year, against a straight line.

    Returns
    -------
    DataFrame
        12 rows per reported fund: ``fund``, ``financial_year``, ``month`` (its
        first day), ``spent_in_month``, ``cumulative_spent`` (missing for months
        after ``as_at``; the month of ``as_at`` counts up to that day) and
        ``profile`` (the allocation spread evenly over twelve months, cumulative),
        Decimal pounds.
    """
    year = acc.year
    first, _ = financial_year_bounds(year)
    months = pd.date_range(pd.Timestamp(first), periods=12, freq="MS")
    rows = flows(acc.ledger)
    rows = rows[rows["financial_year"] == year]
    rows = rows.assign(month=rows["date"].dt.to_period("M").dt.start_time)
    allocation = acc.budgets.set_index(["fund", "financial_year"])["allocation_pence"]
    records = []
    for fund in reported_funds():
        spent = rows[rows["fund"] == fund].groupby("month")["spent_pence"].sum()
        total = int(allocation[(fund, year)]) if (fund, year) in allocation.index else None
        running = 0
        for m, month in enumerate(months, start=1):
            started = month.date() <= acc.as_at
            in_month = int(spent.get(month, 0)) if started else None
            running += in_month or 0
            profile = (total * m * 2 + 12) // 24 if total is not None else None
            records.append((fund, year, month, in_month, running if started else None, profile))
    out = pd.DataFrame(records, columns=["fund", "financial_year", "month", "spent_in_month", "cumulative_spent", "profile"])
    return in_pounds(out)


def year_on_year(acc: Accounts, stmt: pd.DataFrame) -> pd.DataFrame:
    """Each year's spending by the same point in the year as ``as_at``, and its (forecast) outturn.

    Returns
    -------
    DataFrame
        ``fund``, ``financial_year``, ``allocation``, ``spent_by_same_date``
        (spent up to the same day and month as ``as_at`` in that year),
        ``pct_spent_by_same_date``, ``forecast_outturn`` (from ``stmt``; the
        outturn for past years), ``variance``.
    """
    current = int(acc.year[:4])
    rows = flows(acc.ledger)
    records = []
    for row in stmt.itertuples(index=False):
        back = current - int(row.financial_year[:4])
        same = (pd.Timestamp(acc.as_at) - pd.DateOffset(years=back)).date()
        part = rows[(rows["fund"] == row.fund) & (rows["financial_year"] == row.financial_year)
                    & rows["date"].le(pd.Timestamp(same))]
        spent = int(part["spent_pence"].sum())
        allocation = None if row.allocation is None else int(row.allocation * 100)
        records.append((row.fund, row.financial_year, allocation, spent, share(spent, allocation),
                        None if row.forecast_outturn is None else int(row.forecast_outturn * 100),
                        None if row.variance is None else int(row.variance * 100)))
    out = pd.DataFrame(records, columns=["fund", "financial_year", "allocation", "spent_by_same_date",
                                         "pct_spent_by_same_date", "forecast_outturn", "variance"])
    out["pct_spent_by_same_date"] = out["pct_spent_by_same_date"].astype("Float64")
    return in_pounds(out)


@dataclass(frozen=True)
class BudgetResult:
    """The budget section's figures as at ``accounts.as_at``: one frame per table the notebook shows.

    Money is in pounds (``Decimal``), financial years as ``2025-26``.

    Attributes
    ----------
    accounts
        The budgets and ledger behind every figure (``position.Accounts``).
    statement
        Each fund's position by financial year (``position.statement``): ``fund``, ``financial_year``,
        ``allocation``, ``committed``, ``spent``, ``remaining``, ``forecast_outturn``, ``variance``,
        ``pct_spent``.
    signed
        Fund code -> that fund's statement, lines down (``position.signed_statement``): ``line`` and one
        column per financial year.
    categories
        ``by_category``: ``fund``, ``financial_year``, ``category``, ``spent``, ``committed``, ``pct_of_spent``.
    payees
        ``by_payee``: ``fund``, ``financial_year``, ``payee``, ``transactions``, ``spent``, ``committed``.
    schools
        ``by_school``: ``fund``, ``financial_year``, ``urn``, ``school_name``, ``tier``, ``spent``, ``committed``.
    tiers
        ``cost_per_tier`` beside the support section's outcomes, where the pack has it: ``tier``,
        ``schools``, ``episodes``, ``spent``, ``per_school``, ``per_episode``, ``inspected_after``,
        ``pct_improved``, ``pct_good_after``.
    months
        ``monthly``: ``fund``, ``financial_year``, ``month``, ``spent_in_month``, ``cumulative_spent``, ``profile``.
    year_on_year
        ``year_on_year``: ``fund``, ``financial_year``, ``allocation``, ``spent_by_same_date``,
        ``pct_spent_by_same_date``, ``forecast_outturn``, ``variance``.
    other_spent
        Pounds spent (payments less refunds) from unreported funds, left out.
    """

    accounts: Accounts
    statement: pd.DataFrame
    signed: Mapping[str, pd.DataFrame]
    categories: pd.DataFrame
    payees: pd.DataFrame
    schools: pd.DataFrame
    tiers: pd.DataFrame
    months: pd.DataFrame
    year_on_year: pd.DataFrame
    other_spent: Decimal

    @functools.cached_property
    def facts(self) -> pd.DataFrame:
        """Each reported fund's share spent in each financial year (``facts.COLUMNS``; ``config/measures.yaml``)."""
        from ... import facts, measures

        rows = []
        for row in self.statement.itertuples(index=False):
            key = f"budget_{str(row.fund).lower()}_pct_spent"
            if measures.known(key) and row.pct_spent is not None and not pd.isna(row.pct_spent):
                rows.append(facts.row(key, float(row.pct_spent), period=str(row.financial_year),
                                      numerator=float(row.spent), denominator=None if row.allocation is None
                                      or pd.isna(row.allocation) else float(row.allocation)))
        return facts.frame(rows)


def analyse(inputs: Inputs) -> BudgetResult:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "budget")


def work_out(inputs: Inputs, support: SupportAnalysis | None = None) -> BudgetResult:
    """Every figure of the budget section for the period's inputs (see ``figures``), with the support
    section's analysis where the pack has that section (``config/sections.yaml``: budget uses support)."""
    return figures(accounts(inputs), support_outcomes(support))


def figures(acc: Accounts, outcomes: pd.DataFrame | None = None) -> BudgetResult:
    """Every figure of the budget section from its accounts, with ``outcomes`` beside the cost per tier."""
    stmt = statement(acc)
    return BudgetResult(
        accounts=acc,
        statement=stmt,
        signed={fund: signed_statement(stmt, fund) for fund in reported_funds()},
        categories=by_category(acc),
        payees=by_payee(acc),
        schools=by_school(acc),
        tiers=cost_per_tier(acc, outcomes),
        months=monthly(acc),
        year_on_year=year_on_year(acc, stmt),
        other_spent=cast(Decimal, pounds(int(flows(acc.other)["spent_pence"].sum()))),
    )
