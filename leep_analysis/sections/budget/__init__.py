"""Budget-use statements: the financial position of the LEEP fund and the Schools Causing Concern budget.

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

and the same money by category, by payee, by school and support tier (joined to
the support register), per month against a straight-line profile, and year on
year. Ledger rows dated after ``as_at`` are left out of everything (and counted,
so the report can say so). Money is added up as integer pence and returned as
``Decimal`` pounds with two places; every breakdown is a sum over the same
ledger rows as the statement, so each reconciles to it to the penny.

Committee packs (``audience: committee``) never show a school: supported
schools and payees that are schools appear as "School X" (``disclosure``), and
small numbers of schools are suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import charts, disclosure, tables
from ...config import load_config
from ...inputs import shared_analysis
from ...sources.budget import financial_year_of, looks_like_school, year_bounds
from ...sources.support_register import config as support_config

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

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


def _in_pounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Money columns (integer pence) as Decimal pounds."""
    out = frame.copy()
    for column in out.columns:
        if column in MONEY:
            out[column] = pd.Series([pounds(v) for v in out[column]], index=out.index, dtype=object)
    return out


def _share(part: int, whole: object) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place (half up); None without a whole."""
    if whole is None or pd.isna(whole) or int(whole) == 0:  # type: ignore[arg-type, call-overload]
        return None
    ratio = Decimal(int(part)) * 100 / Decimal(int(whole))  # type: ignore[call-overload]
    return float(ratio.quantize(Decimal("0.1"), ROUND_HALF_UP))


def _per(pence: int, count: int) -> int | None:
    """Pence divided by a count, to the nearest penny (half up)."""
    if not count:
        return None
    return int((Decimal(int(pence)) / int(count)).quantize(Decimal(1), ROUND_HALF_UP))


def gbp(value: object) -> str:
    """Money as the report shows it: £12,400 (the same rounding as the tables)."""
    return tables.FORMATS["gbp"](value)


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
    )


@shared_analysis("budget")
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
        lineage = lineages(urns, optional["establishment_links"])
    return build_accounts(
        inputs.get("budgets"), ledger, inputs.params.as_at, register=register,
        establishments=optional["establishments"], anonymiser=disclosure.anonymiser(inputs),
        threshold=inputs.params.suppression_threshold, lineage=lineage,
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
    found = set(acc.ledger["financial_year"]) | {y for y in acc.budgets["financial_year"] if year_bounds(y)[0] <= start}
    return sorted(found)


def _profile(uncommitted: int, year: str, as_at: dt.date) -> int:
    """Pence the configured method expects to be spent after ``as_at`` beyond open commitments."""
    method = config()["profile"]["method"]
    first, last = year_bounds(year)
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
    out["pct_spent"] = [_share(s, a) for s, a in zip(pos["spent"], pos["allocation"], strict=True)]
    out["pct_spent"] = out["pct_spent"].astype("Float64")
    return _in_pounds(out)[STATEMENT_COLUMNS]


# ------------------------------------------------------------------------ breakdowns
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
    sums["pct_of_spent"] = pd.array([_share(s, t) for s, t in zip(sums["spent"], totals, strict=True)], dtype="Float64")
    sums = sums.assign(_f=_ordered(sums, "fund", reported_funds()), _c=_ordered(sums, "category", config()["categories"]))
    sums = sums.sort_values(["_f", "financial_year", "_c"]).drop(columns=["_f", "_c"]).reset_index(drop=True)
    return _in_pounds(sums[["fund", "financial_year", "category", "spent", "committed", "pct_of_spent"]])


def payee_label(payee: object, payee_urn: object, anonymiser: disclosure.Anonymiser) -> str:
    """How a payee is shown: its name, or in committee packs "School X" for a school.

    A payee with a payee URN is a school; one without whose name holds a school
    word (``school_payee_words``) is shown as "School (not listed)" in committee
    packs, so a school's name never leaves the council by that route.
    """
    cfg = config()
    name = cfg["no_payee"] if payee is None or pd.isna(payee) else str(payee)  # type: ignore[arg-type]
    if not anonymiser.committee:
        return name
    if payee_urn is not None and not pd.isna(payee_urn):  # type: ignore[arg-type]
        return anonymiser.label(payee_urn)
    return "School (not listed)" if looks_like_school(name) else name


def by_payee(acc: Accounts) -> pd.DataFrame:
    """Spent and committed by payee (provider), for each reported fund and financial year.

    Returns
    -------
    DataFrame
        ``fund``, ``financial_year``, ``payee`` (anonymised in committee packs,
        see ``payee_label``), ``transactions`` (ledger rows), ``spent``,
        ``committed`` (Decimal pounds); largest spending first.
    """
    rows = flows(acc.ledger)
    rows["payee"] = [payee_label(p, u, acc.anonymiser) for p, u in zip(rows["payee"], rows["payee_urn"], strict=True)]
    sums = rows.groupby(["fund", "financial_year", "payee"], as_index=False).agg(
        transactions=("transaction_id", "size"), spent=("spent_pence", "sum"), committed=("committed_pence", "sum"))
    sums = sums.assign(_f=_ordered(sums, "fund", reported_funds()))
    sums = sums.sort_values(["_f", "financial_year", "spent", "payee"], ascending=[True, True, False, True])
    return _in_pounds(sums.drop(columns="_f").reset_index(drop=True))


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
    return _in_pounds(out)


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
        (Decimal pounds). In committee packs counts below the suppression
        threshold, and the averages that rest on them, are suppressed (``c``).
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
    out["per_school"] = [_per(s, n) for s, n in zip(out["spent"], out["schools"], strict=True)]
    out["per_episode"] = [_per(s, n) if pd.notna(n) else None for s, n in zip(out["spent"], out["episodes"], strict=True)]
    out = out.astype({"tier": "string", "schools": "int64", "episodes": "Int64"})
    out = _in_pounds(out)
    if outcomes is not None:
        out = out.merge(outcomes, on="tier", how="left")
        if "inspected_after" in out:
            out["inspected_after"] = out["inspected_after"].astype("Int64")
        out = out.round({c: 1 for c in out.columns if c.startswith("pct_")})
    return disclosure.suppress(out, ["schools", "episodes", "inspected_after"], threshold=acc.threshold,
                               dependents={"schools": ["per_school"], "episodes": ["per_episode"],
                                           "inspected_after": ["pct_improved", "pct_good_after"]},
                               committee=acc.committee)


def support_outcomes(inputs: Inputs) -> pd.DataFrame | None:
    """The support section's next-inspection outcomes by tier, for ``cost_per_tier``; None without that section.

    Columns ``tier`` (as ``cost_per_tier`` labels it), ``inspected_after``,
    ``pct_improved``, ``pct_good_after`` (``support.outcomes_by_tier``).
    """
    if "support" not in inputs.params.sections:
        return None
    from .. import support

    out = support.outcomes_by_tier(support.analyse(inputs))
    return out.replace({"tier": {"all": config()["all_tiers"]}})


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
    first, _ = year_bounds(year)
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
    return _in_pounds(out)


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
        records.append((row.fund, row.financial_year, allocation, spent, _share(spent, allocation),
                        None if row.forecast_outturn is None else int(row.forecast_outturn * 100),
                        None if row.variance is None else int(row.variance * 100)))
    out = pd.DataFrame(records, columns=["fund", "financial_year", "allocation", "spent_by_same_date",
                                         "pct_spent_by_same_date", "forecast_outturn", "variance"])
    out["pct_spent_by_same_date"] = out["pct_spent_by_same_date"].astype("Float64")
    return _in_pounds(out)


# ------------------------------------------------------------------------ words
def _long_date(when: dt.date) -> str:
    return f"{when.day} {when.strftime('%B %Y')}"


def summary(acc: Accounts, stmt: pd.DataFrame) -> list[str]:
    """One plain-English sentence per reported fund on the current year's position."""
    out = []
    for row in stmt[stmt["financial_year"] == acc.year].itertuples(index=False):
        label = fund_label(row.fund)
        if row.allocation is None:
            out.append(f"The {label} has no allocation for {row.financial_year} in the budgets file: "
                       f"{gbp(row.spent)} has been spent and {gbp(row.committed)} committed.")
            continue
        if row.variance < 0:
            outcome = f"underspend by {gbp(-row.variance)}"
        elif row.variance > 0:
            outcome = f"overspend by {gbp(row.variance)}"
        else:
            outcome = "spend its allocation exactly"
        spent = f"{tables.FORMATS['pct0'](row.pct_spent)} spent"
        money = f"{gbp(row.spent)} of {gbp(row.allocation)}"
        if acc.as_at >= year_bounds(row.financial_year)[1]:
            owed = f", including {gbp(row.committed)} committed and not yet paid," if row.committed else ""
            result = {"spend its allocation exactly": "equal to the allocation"}.get(
                outcome, "an " + outcome.replace(" by ", " of "))
            out.append(f"The {label} is {spent} at the end of {row.financial_year} ({money}). Its outturn{owed} "
                       f"is {gbp(row.forecast_outturn)}: {result}.")
        else:
            out.append(f"The {label} is {spent} as at {_long_date(acc.as_at)} ({money}), with "
                       f"{gbp(row.committed)} more committed. It is forecast to {outcome} "
                       f"(forecast outturn {gbp(row.forecast_outturn)}).")
    return out


def headlines(acc: Accounts, stmt: pd.DataFrame) -> list[dict[str, str]]:
    """Headline tiles: each reported fund's % spent this year, with its forecast variance."""
    tiles = []
    for row in stmt[stmt["financial_year"] == acc.year].itertuples(index=False):
        if row.variance is None:
            detail = "no allocation"
        elif row.variance < 0:
            detail = f"forecast underspend {gbp(-row.variance)}"
        elif row.variance > 0:
            detail = f"forecast overspend {gbp(row.variance)}"
        else:
            detail = "forecast on budget"
        tiles.append({"key": f"budget_{row.fund.lower()}_pct_spent",
                      "label": f"{fund_label(row.fund)} spent, {row.financial_year}",
                      "value": tables.FORMATS["pct0"](row.pct_spent), "detail": detail})
    return tiles


def notes(acc: Accounts) -> list[str]:
    """How the figures are worked out, and what was left out, in plain words."""
    cfg = config()
    out = [
        f"Figures are as at {_long_date(acc.as_at)}. Financial years run from April to March.",
        "Spent is payments less refunds. Committed is money promised and not yet paid: each commitment "
        "less the payments made against it so far; a commitment is closed once it has been paid.",
        "Remaining is the allocation less what has been spent and committed: what is left to commit.",
        " ".join(cfg["profile"]["methods"][cfg["profile"]["method"]].split()),
        "Variance is the forecast outturn less the allocation: a positive figure is an overspend, a negative "
        "one an underspend.",
    ]
    if len(acc.later):
        out.append(f"{len(acc.later)} ledger entries dated after {_long_date(acc.as_at)} are not counted.")
    if len(acc.other):
        spent = int(flows(acc.other)["spent_pence"].sum())
        out.append(f"{gbp(pounds(spent))} recorded in the ledger against {cfg['funds']['other']['label'].lower()} "
                   "is part of neither budget and is left out.")
    if acc.register is None:
        out.append("No support register was loaded, so spending is not matched to support tiers.")
    else:
        out.append("Spending on a school is matched to the support episode it paid for: the school's latest "
                   "episode started by the payment's date, preferring one with the same funding source and provider.")
    if acc.committee:
        out.append("Schools are not named: supported schools, and payees that are schools, are shown as "
                   "School A, School B and so on.")
    return out


# ------------------------------------------------------------------------ views for the notebook
def _labels() -> dict[str, str]:
    return dict(config()["labels"])


def _as_of(acc: Accounts) -> str:
    return f"as at {_long_date(acc.as_at)}"


def _with_fund_labels(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["fund"] = out["fund"].map(fund_label)
    return out


def _formats(frame: pd.DataFrame) -> dict[str, str]:
    kinds = {c: "gbp" for c in frame.columns if c in MONEY}
    kinds.update({c: "pct0" for c in frame.columns if c.startswith("pct")})
    kinds.update({c: "int" for c in ("transactions", "schools", "episodes", "inspected_after") if c in frame})
    return kinds


def _view(frame: pd.DataFrame, name: str, caption: str, notes_text: str | None = None,
          display: pd.DataFrame | None = None) -> dict[str, Any]:
    shown = _with_fund_labels(frame) if display is None else display
    return {"frame": shown, "name": name, "caption": caption, "formats": _formats(shown),
            "labels": _labels(), "notes": notes_text, "csv": frame}


def statement_view(acc: Accounts, stmt: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for the statement of every fund and year (``budget__statement.csv``)."""
    return _view(stmt, "statement", f"Financial position of each fund by financial year, {_as_of(acc)}",
                 "Money in pounds. Years before the current one show their outturn; variance is forecast "
                 "outturn less allocation (+ over, − under).")


def signed_statement(acc: Accounts, stmt: pd.DataFrame, fund: str) -> dict[str, Any]:
    """``Section.show`` arguments for one fund's statement: its lines down, financial years across."""
    lines = config()["statement_lines"]
    part = stmt[stmt["fund"] == fund]
    table = {"line": list(lines.values())}
    for row in part.itertuples(index=False):
        further = None if row.forecast_outturn is None else row.forecast_outturn - row.spent - row.committed
        values = {"allocation": row.allocation, "spent": row.spent, "committed": row.committed,
                  "remaining": row.remaining, "further": further, "forecast_outturn": row.forecast_outturn,
                  "variance": row.variance}
        table[row.financial_year] = pd.Series([values[key] for key in lines], dtype=object)
    frame = pd.DataFrame(table)
    headers = {y: (f"{y} ({_as_of(acc)})" if y == acc.year else f"{y} outturn") for y in part["financial_year"]}
    return {"frame": frame, "name": f"{fund.lower()}_statement",
            "caption": f"{fund_label(fund)}: financial position statement, {_as_of(acc)}",
            "formats": {y: "gbp" for y in part["financial_year"]}, "labels": {"line": "", **headers},
            "notes": "Forecast further spend follows the method set out under 'How these figures are worked out'.",
            "csv": frame}


def category_view(acc: Accounts, categories: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for spending by category (this year shown; every year in the CSV)."""
    shown = _with_fund_labels(categories[categories["financial_year"] == acc.year]).drop(columns="financial_year")
    return _view(categories, "by_category", f"Spent and committed by category, {acc.year}, {_as_of(acc)}",
                 display=shown)


def payee_view(acc: Accounts, payees: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for spending by payee (this year shown; every year in the CSV)."""
    shown = _with_fund_labels(payees[payees["financial_year"] == acc.year]).drop(columns="financial_year")
    note = "Payees that are schools are shown as School A, School B and so on." if acc.committee else None
    return _view(payees, "by_payee", f"Spent and committed by payee, {acc.year}, {_as_of(acc)}", note,
                 display=shown)


def school_view(acc: Accounts, schools: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for spending by school supported (this year shown; every year in the CSV)."""
    shown = _with_fund_labels(schools[schools["financial_year"] == acc.year]).drop(columns="financial_year")
    return _view(schools, "by_school", f"Spent and committed for each school supported, {acc.year}, {_as_of(acc)}",
                 "The last row of each fund is spending linked to no school, such as the co-ordinator, "
                 "training and administration.", display=shown)


def tier_view(acc: Accounts, tiers: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for the cost of support per school, per episode and per tier."""
    start = year_bounds(min(years(acc), default=acc.year))[0]
    labels = {code: entry["label"] for code, entry in support_config()["tiers"].items()}
    shown = tiers.assign(tier=[labels.get(t, t) for t in tiers["tier"]])
    return _view(tiers, "by_tier", f"Cost of support by tier, both funds, {_long_date(start)} to "
                 f"{_long_date(acc.as_at)}",
                 "Spending linked to a school (payments less refunds), matched to the support episode it paid "
                 "for; where the pack has the support section, beside it the supported schools' next inspection "
                 "(see that section for the comparison with similar schools). Counts of schools below the "
                 "suppression threshold are shown as c in committee packs.",
                 display=shown)


def monthly_view(acc: Accounts, months: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for cumulative spending by month against the straight-line profile.

    Shown with a month per row and each fund's spending to date and profile
    side by side; the CSV keeps one row per fund and month.
    """
    shown = pd.DataFrame({"month": months["month"].drop_duplicates().dt.strftime("%b %Y").to_numpy()})
    labels = {"month": config()["labels"]["month"]}
    formats = {}
    for fund in reported_funds():
        part = months[months["fund"] == fund]
        for column in ("cumulative_spent", "profile"):
            key = f"{fund}_{column}"
            shown[key] = part[column].to_numpy()
            labels[key] = f"{fund_label(fund)}: {config()['labels'][column].lower()}"
            formats[key] = "gbp"
    return {"frame": shown, "name": "monthly", "formats": formats, "labels": labels, "notes": None, "csv": months,
            "caption": f"Spending to date at the end of each month against a straight-line profile, {acc.year}"}


def year_on_year_view(acc: Accounts, yoy: pd.DataFrame) -> dict[str, Any]:
    """``Section.show`` arguments for the year-on-year comparison."""
    day = f"{acc.as_at.day} {acc.as_at.strftime('%B')}"
    return _view(yoy, "year_on_year", f"Spending by {day} each year, and outturn",
                 "Spent by the same date counts payments less refunds up to the same day of each financial year.")


# ------------------------------------------------------------------------ charts
def _thousands(ax: plt.Axes, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"£{v / 1000:,.0f}k")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def category_figure(acc: Accounts, stmt: pd.DataFrame, categories: pd.DataFrame) -> dict[str, Any]:
    """``Section.figure`` arguments: allocation against spent and committed, in total and by category, this year."""
    import matplotlib.pyplot as plt

    current = stmt[stmt["financial_year"] == acc.year]
    funds = list(current["fund"])
    fig, axes = plt.subplots(len(funds), 1, figsize=(7.5, 2.2 + 2.0 * len(funds)), squeeze=False)
    alt = []
    for ax, row in zip(axes[:, 0], current.itertuples(index=False), strict=True):
        part = categories[(categories["fund"] == row.fund) & (categories["financial_year"] == acc.year)]
        names = ["Allocation", "All categories", *[c[:1].upper() + c[1:] for c in part["category"]]]
        spent = [0.0, float(row.spent), *[float(v) for v in part["spent"]]]
        committed = [0.0, float(row.committed), *[float(v) for v in part["committed"]]]
        y = list(range(len(names)))[::-1]
        ax.barh(y[0], float(row.allocation or 0), color=charts.GREY, label="Allocation")
        ax.barh(y[1:], spent[1:], color=charts.PALETTE["dark_blue"], label="Spent")
        ax.barh(y[1:], committed[1:], left=spent[1:], color=charts.PALETTE["turquoise"], label="Committed")
        ax.set_yticks(y, names)
        ax.set_title(f"{fund_label(row.fund)}, {acc.year}")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        _thousands(ax)
        biggest = part.sort_values("spent", ascending=False).head(1)
        top = f"; the largest category is {biggest['category'].iloc[0]} ({gbp(biggest['spent'].iloc[0])})" if len(biggest) else ""
        alt.append(f"{fund_label(row.fund)}: allocation {gbp(row.allocation)}, spent {gbp(row.spent)}, "
                   f"committed {gbp(row.committed)}{top}")
    axes[0, 0].legend(loc="lower right")
    fig.tight_layout()
    return {"fig": fig, "caption": f"Allocation, spent and committed by category, {acc.year}, {_as_of(acc)}",
            "alt": "Horizontal bar charts, one per fund. " + ". ".join(alt) + "."}


def profile_figure(acc: Accounts, months: pd.DataFrame) -> dict[str, Any]:
    """``Section.figure`` arguments: cumulative spending this year against a straight-line profile."""
    import matplotlib.pyplot as plt

    funds = [f for f in reported_funds() if f in set(months["fund"])]
    fig, axes = plt.subplots(1, len(funds), figsize=(7.5, 3.4), squeeze=False, sharey=False)
    alt = []
    for ax, fund in zip(axes[0], funds, strict=True):
        part = months[months["fund"] == fund]
        x = list(range(12))
        profile = [float(v) if v is not None else float("nan") for v in part["profile"]]
        actual = [float(v) if v is not None else float("nan") for v in part["cumulative_spent"]]
        ax.plot(x, profile, color=charts.PALETTE["orange"], linestyle="--", label="Straight-line profile")
        ax.plot(x, actual, color=charts.PALETTE["dark_blue"], marker="o", markersize=3, linewidth=2.2,
                label="Spent to date")
        ax.set_xticks(x[::2], [m.strftime("%b") for m in part["month"]][::2])
        ax.set_title(fund_label(fund))
        _thousands(ax, "y")
        done = part.dropna(subset=["cumulative_spent"]).tail(1)
        if len(done):
            alt.append(f"{fund_label(fund)}: {gbp(done['cumulative_spent'].iloc[0])} spent by the end of "
                       f"{done['month'].iloc[0].strftime('%B %Y')} against a profile of {gbp(done['profile'].iloc[0])}")
    axes[0, -1].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return {"fig": fig, "caption": f"Cumulative spending against a straight-line profile, {acc.year}",
            "alt": "Line charts, one per fund, of spending to date each month against an even monthly profile. "
            + ". ".join(alt) + "."}
