"""Movement between inspections: previous against latest grade, the good line crossed, inspected since.

All for the LA's schools, from ``outcomes`` rows; a school is followed across
a change of URN (academy conversion) through its GIAS lineage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...schools import grade_label
from .outcomes import snapshot_at

#: Columns of ``inspections__transitions.csv``.
TRANSITION_COLUMNS = ["as_at", "previous_grade", "previous", "to_outstanding", "to_good",
                      "to_requires_improvement", "to_inadequate", "total"]
#: Columns of ``inspections__schools.csv``.
SCHOOL_COLUMNS = ["urn", "school_name", "phase", "governance", "inspection_date", "framework", "grade_before",
                  "grade_now", "change", "category"]


def transitions(out: pd.DataFrame, la_code: str) -> pd.DataFrame:
    """Previous grade against latest grade, for the LA's schools in the latest snapshot.

    The previous grade is the overall effectiveness grade of the inspection
    before the counted one (``previous_overall``); the latest is the counted
    grade (overall, or its key-judgement equivalent). Schools without both are
    left out (``transition_counts`` says how many).

    Returns
    -------
    DataFrame
        ``TRANSITION_COLUMNS``: one row per previous grade 1-4: ``as_at``,
        ``previous_grade``, ``previous`` (label), ``to_outstanding``,
        ``to_good``, ``to_requires_improvement``, ``to_inadequate``, ``total``.
    """
    latest = out["as_at"].max()
    rows = out[(out["as_at"] == latest) & (out["la_code"] == la_code)]
    both = rows[rows["grade"].notna() & rows["previous_overall"].notna()]
    matrix = pd.crosstab(both["previous_overall"].astype(int), both["grade"].astype(int))
    matrix = matrix.reindex(index=[1, 2, 3, 4], columns=[1, 2, 3, 4], fill_value=0)
    table = pd.DataFrame({
        "as_at": latest,
        "previous_grade": [1, 2, 3, 4],
        "previous": [grade_label(g) for g in (1, 2, 3, 4)],
        "to_outstanding": matrix[1].to_numpy(), "to_good": matrix[2].to_numpy(),
        "to_requires_improvement": matrix[3].to_numpy(), "to_inadequate": matrix[4].to_numpy(),
    })
    table["total"] = table[["to_outstanding", "to_good", "to_requires_improvement", "to_inadequate"]].sum(axis=1)
    return table[TRANSITION_COLUMNS]


def transition_counts(out: pd.DataFrame, la_code: str) -> dict[str, int]:
    """Improved, same, declined (previous to latest grade) and who is left out of the matrix, for the LA.

    Returns
    -------
    dict
        ``improved``, ``same``, ``declined``, ``equivalent`` (of those, latest
        grade from the key-judgement rule), ``no_previous`` (graded, no previous
        grade), ``report_card``, ``not_counted``.
    """
    latest = out["as_at"].max()
    rows = out[(out["as_at"] == latest) & (out["la_code"] == la_code)]
    both = rows[rows["grade"].notna() & rows["previous_overall"].notna()]
    step = both["grade"].astype(int) - both["previous_overall"].astype(int)
    return {
        "improved": int((step < 0).sum()), "same": int((step == 0).sum()), "declined": int((step > 0).sum()),
        "equivalent": int(both["equivalent"].sum()),
        "no_previous": int((rows["grade"].notna() & rows["previous_overall"].isna()).sum()),
        "report_card": int(rows["report_card"].sum()), "not_counted": int((~rows["counted"]).sum()),
    }


def _by_lineage(rows: pd.DataFrame, lineage: Mapping[str, str]) -> pd.DataFrame:
    """One row per lineage: the school with the most recent counted inspection."""
    rows = rows.assign(lineage=rows["urn"].map(lambda u: lineage.get(u, u)).astype("string"))
    rows = rows.sort_values(["lineage", "counted", "inspection_date"], kind="stable", na_position="first")
    return rows.drop_duplicates("lineage", keep="last").set_index("lineage")


def became_good(out: pd.DataFrame, la_code: str, lineage: Mapping[str, str]) -> pd.DataFrame:
    """The LA's schools whose grade crossed the good line between the first and latest snapshot.

    Schools are followed across a change of URN (academy conversion) through
    ``lineage`` (URN -> lineage id; a URN not in it is its own lineage).

    Returns
    -------
    DataFrame
        One row per lineage with a grade in both snapshots: ``lineage``, ``urn``
        and ``school_name`` (latest), ``first_as_at``, ``first_grade``,
        ``latest_grade``, ``movement`` (``became_good``: requires improvement or
        inadequate then, good or better now; ``no_longer_good``; ``same_side``).
    """
    la = out[out["la_code"] == la_code]
    first, latest = la["as_at"].min(), la["as_at"].max()
    then = _by_lineage(la[la["as_at"] == first], lineage)["grade"]
    now = _by_lineage(la[la["as_at"] == latest], lineage)
    both = now[["urn", "school_name"]].assign(first_as_at=first, first_grade=then.reindex(now.index),
                                              latest_grade=now["grade"])
    both = both[both["first_grade"].notna() & both["latest_grade"].notna()]
    good_then, good_now = both["first_grade"].le(2), both["latest_grade"].le(2)
    both["movement"] = np.where(~good_then & good_now, "became_good",
                                np.where(good_then & ~good_now, "no_longer_good", "same_side"))
    return both.rename_axis("lineage").reset_index()


def inspected_since(out: pd.DataFrame, la_code: str, since: dt.date, lineage: Mapping[str, str]) -> pd.DataFrame:
    """The LA's schools inspected since the last report's Ofsted file, with their grade then and now.

    The last report's file is the latest snapshot on or before ``since``; a
    school is listed when its own latest inspection is after that file's date
    (after ``since`` where the pack has no such snapshot), so every inspection
    the last report could not show is here. ``grade_before`` is the school's
    counted grade in that snapshot, followed across a change of URN by
    ``lineage``; where the snapshot lacks the school, the grade of its previous
    inspection (``previous_overall``).

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS``: ``urn``, ``school_name``, ``phase``, ``governance``,
        ``inspection_date``, ``framework``, ``grade_before``, ``grade_now`` (Int64
        1-4; missing for a report card), ``change`` (``improved``, ``same``,
        ``declined``, ``first``: no grade before, ``report_card``), ``category``;
        declined first, then improved, then the rest, each by name.
    """
    la = out[out["la_code"] == la_code]
    latest = la["as_at"].max()
    previous = snapshot_at(la["as_at"], since)
    cutoff = pd.Timestamp(since) if previous is None else previous
    now = la[(la["as_at"] == latest) & la["basis"].eq("own")
             & pd.to_datetime(la["inspection_date"]).gt(cutoff).fillna(False)]
    before = pd.Series(pd.NA, index=now.index, dtype="Int64")
    if previous is not None:
        then = _by_lineage(la[la["as_at"] == previous], lineage)["grade"]
        keys = now["urn"].map(lambda u: lineage.get(u, u))
        before = pd.Series(then.reindex(keys).to_numpy(), index=now.index, dtype="Int64")
    before = before.fillna(now["previous_overall"].astype("Int64"))
    table = now[["urn", "school_name", "phase", "governance", "inspection_date", "framework"]].copy()
    table["grade_before"] = before
    table["grade_now"] = now["grade"]
    step = (table["grade_now"] - table["grade_before"]).astype("Float64")
    change = np.select([now["report_card"].to_numpy(), table["grade_before"].isna().to_numpy(),
                        (step < 0).fillna(False).to_numpy(), (step > 0).fillna(False).to_numpy()],
                       ["report_card", "first", "improved", "declined"], default="same")
    table["change"] = pd.Series(change, index=table.index, dtype="string")
    table["category"] = now["category"]
    order = table["change"].map({"declined": 0, "improved": 1}).fillna(2)
    table = table.assign(_order=order).sort_values(["_order", "school_name"], kind="stable")
    return table[SCHOOL_COLUMNS].reset_index(drop=True)


