"""The budget section's tables and figures, from a ``BudgetResult``: what the notebook shows.

Each table view returns the keyword arguments of ``Section.show`` (the frame
shown, its CSV, caption, labels and formats); each figure view those of
``Section.figure`` (the figure, its caption and alt text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import charts, content, disclosure
from ...content import Figure, Table
from ...sources.budget import year_bounds
from ...sources.support_register import config as support_config
from ...wording import long_date
from .position import MONEY, config, fund_label, reported_funds, years
from .words import gbp

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

    from .analysis import BudgetResult
    from .position import Accounts


def _as_of(acc: Accounts) -> str:
    return f"as at {long_date(acc.as_at)}"


def columns(acc: Accounts) -> dict[str, content.Column]:
    """How the section's table columns read: money in whole pounds, funds and tiers by their labels."""
    labels = config()["labels"]
    tiers = {code: entry["label"] for code, entry in support_config()["tiers"].items()}
    specs: dict[str, content.Column] = {}
    for column, label in labels.items():
        if column in MONEY or column in ("spent_in_month", "cumulative_spent", "profile", "spent_by_same_date"):
            specs[column] = content.money(label, signed=column == "variance")
        elif column.startswith("pct"):
            specs[column] = content.percent(label)
        elif column in ("transactions", "schools", "episodes", "inspected_after"):
            specs[column] = content.count(label)
        else:
            specs[column] = content.text(label)
    specs["fund"] = content.code(labels["fund"], {code: fund_label(code) for code in config()["funds"]})
    specs["tier"] = content.code(labels["tier"], tiers)
    specs["month"] = content.month(labels["month"])
    return specs


def _current(frame: pd.DataFrame, acc: Accounts) -> pd.DataFrame:
    """This financial year's rows, without the year (the caption gives it)."""
    return frame[frame["financial_year"] == acc.year].drop(columns="financial_year")


def statement(result: BudgetResult) -> Table:
    """The statement of every fund and year (``budget__statement.csv``)."""
    return Table(name="statement", frame=result.statement, columns=columns(result.accounts),
                 caption=f"Financial position of each fund by financial year, {_as_of(result.accounts)}",
                 notes="Money in pounds. Years before the current one show their outturn; variance is forecast "
                       "outturn less allocation (+ over, − under).")


def signed_statement(result: BudgetResult, fund: str) -> Table:
    """One fund's statement: its lines down, financial years across (``budget__<fund>_statement.csv``)."""
    acc = result.accounts
    part = result.statement[result.statement["fund"] == fund]
    frame = result.signed[fund].assign(line=lambda f: f["line"].map(config()["statement_lines"]))
    headers = {y: (f"{y} ({_as_of(acc)})" if y == acc.year else f"{y} outturn") for y in part["financial_year"]}
    return Table(name=f"{fund.lower()}_statement", frame=frame,
                 caption=f"{fund_label(fund)}: financial position statement, {_as_of(acc)}",
                 columns={"line": content.text(""), **{y: content.money(h) for y, h in headers.items()}},
                 notes="Forecast further spend follows the method set out under 'How these figures are worked out'.")


def categories(result: BudgetResult) -> Table:
    """Spending by category (this year shown; every year in the CSV)."""
    acc, frame = result.accounts, result.categories
    return Table(name="by_category", frame=_current(frame, acc), data=frame, columns=columns(acc),
                 caption=f"Spent and committed by category, {acc.year}, {_as_of(acc)}")


def payees(result: BudgetResult) -> Table:
    """Spending by payee (this year shown; every year in the CSV)."""
    acc, frame = result.accounts, result.payees
    note = (f"Payees that are schools, people, or not recognisably an organisation are not named: each kind is one "
            f"row; a kind of fewer than {acc.threshold} payees is in 'Other payees (not named)', whose figures "
            f"are withheld (c) where it stands for fewer than {acc.threshold}."
            if acc.committee else None)
    shown = _current(frame, acc)
    return Table(name="by_payee", frame=shown, data=frame, columns=columns(acc), notes=note,
                 suppressed=_withheld_payees(shown, acc), data_suppressed=_withheld_payees(frame, acc),
                 caption=f"Spent and committed by payee, {acc.year}, {_as_of(acc)}")


def _withheld_payees(frame: pd.DataFrame, acc: Accounts) -> frozenset[tuple[int, str]]:
    """The cells of the payee rows whose figures ``analysis.by_payee`` withheld (a committee pack's only)."""
    from .analysis import WITHHELD_COLUMNS

    if not acc.committee:
        return frozenset()
    rows = frame.reset_index(drop=True)
    return frozenset((int(i), c) for i in rows.index[rows["transactions"].isna()] for c in WITHHELD_COLUMNS)


def schools(result: BudgetResult) -> Table | None:
    """Spending by school supported (this year shown; every year in the CSV); None in a committee pack, whose
    spending on schools is by tier only (``tiers``): what the LA spends on one school is its view of the school."""
    acc, frame = result.accounts, result.schools
    if acc.committee:
        return None
    shown = _current(frame, acc)
    funds = list(dict.fromkeys(shown["fund"]))
    unlinked = set(shown.loc[shown["school_name"] == config()["no_school"], "fund"])
    if funds and unlinked >= set(funds):
        note = "The last row of each fund is spending linked to no school, such as the co-ordinator, training and " \
               "administration."
    elif unlinked:
        note = ("The last row of " + " and ".join(f"the {fund_label(f)}" for f in funds if f in unlinked)
                + " is spending linked to no school, such as the co-ordinator, training and administration; all of "
                + " and ".join(f"the {fund_label(f)}'s" for f in funds if f not in unlinked)
                + " spending this year is linked to a school.")
    else:
        note = "All spending this year is linked to a school."
    return Table(name="by_school", frame=shown, data=frame, columns=columns(acc),
                 caption=f"Spent and committed for each school supported, {acc.year}, {_as_of(acc)}", notes=note)


def tiers(result: BudgetResult) -> Table:
    """The cost of support per school, per episode and per tier (``budget__by_tier.csv``)."""
    acc = result.accounts
    start = year_bounds(min(years(acc), default=acc.year))[0]
    frame = result.tiers
    if acc.committee:
        # the next-inspection outcomes by tier are the support section's (its table and its impact estimates):
        # beside them here, the schools inspected per tier would bound the impact table's withheld tiers (5
        # collaborative schools inspected since, beside "30 = c + 21 + c" compared, leave 4 or 5 each)
        frame = frame.drop(columns=["inspected_after", "pct_improved", "pct_good_after"], errors="ignore")
    table = disclosure.withhold(frame, ["schools", "episodes"], threshold=acc.threshold,
                                dependents={"schools": ["per_school"], "episodes": ["per_episode"]},
                                committee=acc.committee)
    return Table(name="by_tier", frame=table.frame, suppressed=table.cells, columns=columns(acc),
                 caption=f"Cost of support by tier, both funds, {long_date(start)} to {long_date(acc.as_at)}",
                 notes="Spending linked to a school (payments less refunds), matched to the support episode it paid "
                       "for" + ("; the supported schools' next inspections are in the support section. Counts of "
                                "schools below the suppression threshold are shown as c." if acc.committee else
                                "; where the pack has the support section, beside it the supported schools' next "
                                "inspection (see that section for the comparison with similar schools)."))


def monthly(result: BudgetResult) -> Table:
    """Cumulative spending by month against the straight-line profile.

    Shown with a month per row and each fund's spending to date and profile
    side by side; the CSV keeps one row per fund and month.
    """
    acc, months = result.accounts, result.months
    shown = pd.DataFrame({"month": months["month"].drop_duplicates().to_numpy()})
    specs: dict[str, content.Column] = {**columns(acc)}
    for fund in reported_funds():
        part = months[months["fund"] == fund]
        for column in ("cumulative_spent", "profile"):
            key = f"{fund}_{column}"
            shown[key] = part[column].to_numpy()
            specs[key] = content.money(f"{fund_label(fund)}: {config()['labels'][column].lower()}")
    return Table(name="monthly", frame=shown, data=months, columns=specs,
                 caption=f"Spending to date at the end of each month against a straight-line profile, {acc.year}")


def year_on_year(result: BudgetResult) -> Table:
    """The year-on-year comparison (``budget__year_on_year.csv``)."""
    acc = result.accounts
    day = f"{acc.as_at.day} {acc.as_at.strftime('%B')}"
    return Table(name="year_on_year", frame=result.year_on_year, columns=columns(acc),
                 caption=f"Spending by {day} each year, and outturn",
                 notes="Spent by the same date counts payments less refunds up to the same day of each financial year.")


# ------------------------------------------------------------------------ charts
def _thousands(ax: plt.Axes, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"£{v / 1000:,.0f}k")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def category_figure(result: BudgetResult) -> Figure:
    """Allocation against spent and committed, in total and by category, this year."""
    acc, categories = result.accounts, result.categories
    current = result.statement[result.statement["financial_year"] == acc.year]
    rows = []
    for row in current.itertuples(index=False):
        part = categories[(categories["fund"] == row.fund) & (categories["financial_year"] == acc.year)]
        rows.append((row.fund, "Allocation", float(row.allocation or 0), 0.0))
        rows.append((row.fund, "All categories", float(row.spent), float(row.committed)))
        rows += [(row.fund, c[:1].upper() + c[1:], float(sp), float(co))
                 for c, sp, co in zip(part["category"], part["spent"], part["committed"], strict=True)]
    drawn = pd.DataFrame(rows, columns=["fund", "category", "spent", "committed"])

    def draw(frame: pd.DataFrame) -> Any:
        funds = list(dict.fromkeys(frame["fund"]))
        fig, axes = charts.pyplot().subplots(len(funds), 1, figsize=(charts.WIDTH, 2.2 + 2.0 * len(funds)), squeeze=False)
        for ax, fund in zip(axes[:, 0], funds, strict=True):
            part = frame[frame["fund"] == fund]
            y = list(range(len(part)))[::-1]
            ax.barh(y[0], part["spent"].iloc[0], color=charts.GREY, label="Allocation")
            ax.barh(y[1:], part["spent"].iloc[1:], color=charts.PALETTE["dark_blue"], label="Spent")
            ax.barh(y[1:], part["committed"].iloc[1:], left=part["spent"].iloc[1:], color=charts.PALETTE["turquoise"],
                    label="Committed")
            ax.set_yticks(y, list(part["category"]))
            ax.set_title(f"{fund_label(fund)}, {acc.year}")
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", visible=True)
            _thousands(ax)
        axes[0, 0].legend(loc="lower right")
        fig.tight_layout()
        return fig

    alt = []
    for row in current.itertuples(index=False):
        part = categories[(categories["fund"] == row.fund) & (categories["financial_year"] == acc.year)]
        biggest = part.sort_values("spent", ascending=False).head(1)
        top = f"; the largest category is {biggest['category'].iloc[0]} ({gbp(biggest['spent'].iloc[0])})" if len(biggest) else ""
        alt.append(f"{fund_label(row.fund)}: allocation {gbp(row.allocation)}, spent {gbp(row.spent)}, "
                   f"committed {gbp(row.committed)}{top}")
    return charts.figure("bar", drawn, draw,
                         caption=f"Allocation, spent and committed by category, {acc.year}, {_as_of(acc)}",
                         alt="Horizontal bar charts, one per fund. " + ". ".join(alt) + ".")


def profile_figure(result: BudgetResult) -> Figure:
    """Cumulative spending this year against a straight-line profile."""
    acc, months = result.accounts, result.months
    funds = [f for f in reported_funds() if f in set(months["fund"])]
    drawn = months[months["fund"].isin(funds)][["fund", "month", "cumulative_spent", "profile"]].copy()
    for column in ("cumulative_spent", "profile"):
        drawn[column] = [float(v) if v is not None and not pd.isna(v) else float("nan") for v in drawn[column]]

    def draw(frame: pd.DataFrame) -> Any:
        fig, axes = charts.pyplot().subplots(1, len(funds), figsize=(charts.WIDTH, 3.4), squeeze=False, sharey=False)
        for ax, fund in zip(axes[0], funds, strict=True):
            part = frame[frame["fund"] == fund]
            x = list(range(len(part)))
            ax.plot(x, part["profile"], color=charts.PALETTE["orange"], linestyle="--", label="Straight-line profile")
            ax.plot(x, part["cumulative_spent"], color=charts.PALETTE["dark_blue"], marker="o", markersize=3,
                    linewidth=2.2, label="Spent to date")
            ax.set_xticks(x[::2], [m.strftime("%b") for m in part["month"]][::2])
            ax.set_title(fund_label(fund))
            _thousands(ax, "y")
        axes[0, -1].legend(loc="upper left", fontsize=charts.SMALL)
        fig.tight_layout()
        return fig

    alt = []
    for fund in funds:
        part = months[months["fund"] == fund]
        done = part.dropna(subset=["cumulative_spent"]).tail(1)
        if len(done):
            alt.append(f"{fund_label(fund)}: {gbp(done['cumulative_spent'].iloc[0])} spent by the end of "
                       f"{done['month'].iloc[0].strftime('%B %Y')} against a profile of {gbp(done['profile'].iloc[0])}")
    return charts.figure("line", drawn, draw, caption=f"Cumulative spending against a straight-line profile, {acc.year}",
                         alt="Line charts, one per fund, of spending to date each month against an even monthly profile. "
                             + ". ".join(alt) + ".")


def facts_table(result: BudgetResult) -> Table:
    """The section's facts (``config/measures.yaml``), joined into the pack's ``tables/facts.csv``."""
    from ... import facts

    return facts.table(result.facts, "budget")
