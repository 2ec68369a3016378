"""The support section's facts: each measure of ``config/measures.yaml`` it owns, as at the report's date.

Made from the tables the page shows (reach, the next-inspection outcomes), so that the tiles and
sentences that take their figures from them say what the tables say: each count of supported
schools is its own measure with its own label (this period, this year, new, ever, inspected since,
compared), never one number under two names.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ... import facts
from .analysis import ALL, Analysis, following, inspection_summary, supported_counts


def _reach(result: Analysis, key: str) -> pd.Series:
    table = result.summary
    return table[(table["group_by"] == "reach") & (table["group"] == key)].iloc[0]


def table(result: Analysis) -> pd.DataFrame:
    """Every fact of the section (``facts.COLUMNS``), for the LA as at the report's date."""
    data = result.data
    when = pd.Timestamp(data.as_at)
    total = len(data.schools) if data.schools is not None else None
    rows: list[dict[str, Any]] = []

    def add(measure: str, value: object, **kw: Any) -> None:
        rows.append(facts.row(measure, value, period=when, **kw))

    period, year, new, started = (_reach(result, k) for k in ("period", "year", "new", "started"))
    add("support_schools", period["n_schools"], denominator=total)
    add("support_schools_year", year["n_schools"], denominator=total)
    add("support_episodes", period["n_episodes"])
    add("support_new", new["n_schools"])
    add("support_episodes_started", started["n_episodes"])
    add("support_schools_to_date", len(data.spells))
    judged = result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)
    shares = inspection_summary(result).set_index("group")
    supported, similar = shares.loc["supported"], shares.loc["comparison"]
    # those inspected less those compared are the few with no similar school: a committee pack gives the two only
    # where the difference is no small count (32 and 30 gave 2)
    if not (data.committee and 0 < int(judged.sum()) - int(supported["n_schools"]) < data.threshold):
        add("support_inspected_after", int(judged.sum()))
    add("support_compared", supported["n_schools"])
    counts = supported_counts(result)
    add("support_good_next", supported["pct_good"], numerator=counts["good"], denominator=counts["below"])
    add("support_good_next_similar", similar["pct_good"])
    for share, measure, key in (("pct_declined", "support_declined_next", "declined"),
                                ("pct_improved", "support_improved_next", "improved")):
        # a share's schools as its numerator: a committee pack's facts withhold one of a few schools
        add(measure, supported[share], numerator=counts[key], denominator=supported["n_schools"])
        add(f"{measure}_similar", similar[share])
    follow = following(result)
    if data.present is not None:
        add("support_not_followed", int(follow.loc[follow["status"] == "not_followed", "n_schools"].sum()))
    return facts.frame(rows)


def impact_row(result: Analysis, measure: str) -> pd.Series:
    """A measure's row of the impact table, for all supported schools."""
    return result.impact[(result.impact["measure"] == measure) & (result.impact["group"] == ALL)].iloc[0]
