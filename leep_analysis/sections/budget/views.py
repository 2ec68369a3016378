"""The budget section's tables and figures, from a ``BudgetResult``: what the notebook shows.

Each table view returns the keyword arguments of ``Section.show`` (the frame
shown, its CSV, caption, labels and formats); each figure view those of
``Section.figure`` (the figure, its caption and alt text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import charts
from ...sources.budget import year_bounds
from ...sources.support_register import config as support_config
from ...wording import long_date
from .position import MONEY, config, fund_label, reported_funds, years
from .words import gbp

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

    from .analysis import BudgetResult
    from .position import Accounts


def _labels() -> dict[str, str]:
    return dict(config()["labels"])


def _as_of(acc: Accounts) -> str:
    return f"as at {long_date(acc.as_at)}"


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


def statement(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for the statement of every fund and year (``budget__statement.csv``)."""
    return _view(result.statement, "statement",
                 f"Financial position of each fund by financial year, {_as_of(result.accounts)}",
                 "Money in pounds. Years before the current one show their outturn; variance is forecast "
                 "outturn less allocation (+ over, − under).")


def signed_statement(result: BudgetResult, fund: str) -> dict[str, Any]:
    """``Section.show`` arguments for one fund's statement: its lines down, financial years across."""
    acc = result.accounts
    part = result.statement[result.statement["fund"] == fund]
    frame = result.signed[fund].assign(line=lambda f: f["line"].map(config()["statement_lines"]))
    headers = {y: (f"{y} ({_as_of(acc)})" if y == acc.year else f"{y} outturn") for y in part["financial_year"]}
    return {"frame": frame, "name": f"{fund.lower()}_statement",
            "caption": f"{fund_label(fund)}: financial position statement, {_as_of(acc)}",
            "formats": {y: "gbp" for y in part["financial_year"]}, "labels": {"line": "", **headers},
            "notes": "Forecast further spend follows the method set out under 'How these figures are worked out'.",
            "csv": frame}


def categories(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for spending by category (this year shown; every year in the CSV)."""
    acc, frame = result.accounts, result.categories
    shown = _with_fund_labels(frame[frame["financial_year"] == acc.year]).drop(columns="financial_year")
    return _view(frame, "by_category", f"Spent and committed by category, {acc.year}, {_as_of(acc)}",
                 display=shown)


def payees(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for spending by payee (this year shown; every year in the CSV)."""
    acc, frame = result.accounts, result.payees
    shown = _with_fund_labels(frame[frame["financial_year"] == acc.year]).drop(columns="financial_year")
    note = "Payees that are schools are shown as School A, School B and so on." if acc.committee else None
    return _view(frame, "by_payee", f"Spent and committed by payee, {acc.year}, {_as_of(acc)}", note,
                 display=shown)


def schools(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for spending by school supported (this year shown; every year in the CSV)."""
    acc, frame = result.accounts, result.schools
    shown = _with_fund_labels(frame[frame["financial_year"] == acc.year]).drop(columns="financial_year")
    return _view(frame, "by_school", f"Spent and committed for each school supported, {acc.year}, {_as_of(acc)}",
                 "The last row of each fund is spending linked to no school, such as the co-ordinator, "
                 "training and administration.", display=shown)


def tiers(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for the cost of support per school, per episode and per tier."""
    acc, frame = result.accounts, result.tiers
    start = year_bounds(min(years(acc), default=acc.year))[0]
    labels = {code: entry["label"] for code, entry in support_config()["tiers"].items()}
    shown = frame.assign(tier=[labels.get(t, t) for t in frame["tier"]])
    return _view(frame, "by_tier", f"Cost of support by tier, both funds, {long_date(start)} to "
                 f"{long_date(acc.as_at)}",
                 "Spending linked to a school (payments less refunds), matched to the support episode it paid "
                 "for; where the pack has the support section, beside it the supported schools' next inspection "
                 "(see that section for the comparison with similar schools). Counts of schools below the "
                 "suppression threshold are shown as c in committee packs.",
                 display=shown)


def monthly(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for cumulative spending by month against the straight-line profile.

    Shown with a month per row and each fund's spending to date and profile
    side by side; the CSV keeps one row per fund and month.
    """
    acc, months = result.accounts, result.months
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


def year_on_year(result: BudgetResult) -> dict[str, Any]:
    """``Section.show`` arguments for the year-on-year comparison."""
    acc = result.accounts
    day = f"{acc.as_at.day} {acc.as_at.strftime('%B')}"
    return _view(result.year_on_year, "year_on_year", f"Spending by {day} each year, and outturn",
                 "Spent by the same date counts payments less refunds up to the same day of each financial year.")


# ------------------------------------------------------------------------ charts
def _thousands(ax: plt.Axes, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"£{v / 1000:,.0f}k")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def category_figure(result: BudgetResult) -> dict[str, Any]:
    """``Section.figure`` arguments: allocation against spent and committed, in total and by category, this year."""
    plt = charts.pyplot()

    acc, categories = result.accounts, result.categories
    current = result.statement[result.statement["financial_year"] == acc.year]
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


def profile_figure(result: BudgetResult) -> dict[str, Any]:
    """``Section.figure`` arguments: cumulative spending this year against a straight-line profile."""
    plt = charts.pyplot()

    acc, months = result.accounts, result.months
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
