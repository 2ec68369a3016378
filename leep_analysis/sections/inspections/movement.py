"""Movement between inspections: previous against latest grade, the good line crossed, inspected since,
and every school below good at the last report followed to now (with the inspections no snapshot holds).

All for the LA's schools, from ``outcomes`` rows; a school is followed across
a change of URN (academy conversion) through its GIAS lineage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...schools import REQUIRES_IMPROVEMENT_FROM, followed_links, grade_label, successions
from .outcomes import config, snapshot_at

if TYPE_CHECKING:
    from ...events import Events

#: Columns of ``inspections__transitions.csv``.
TRANSITION_COLUMNS = ["as_at", "previous_grade", "previous", "to_outstanding", "to_good",
                      "to_requires_improvement", "to_inadequate", "total"]
#: Columns of ``inspections__schools.csv``.
SCHOOL_COLUMNS = ["urn", "school_name", "phase", "governance", "inspection_date", "framework", "grade_before",
                  "grade_now", "basis", "change", "category"]


def transitions(out: pd.DataFrame, la_code: str) -> pd.DataFrame:
    """Previous grade against latest grade, for the LA's schools in the latest snapshot.

    The previous grade is the overall effectiveness grade of the inspection
    before the counted one (``previous_overall``); the latest is the counted
    legacy overall grade. Schools without both are left out
    (``transition_counts`` says how many: key-judgement and report-card
    inspections have no overall grade). A previous grade 3 awarded before
    September 2012 meant "satisfactory": it has a row of its own, shown only
    where a school has one.

    Returns
    -------
    DataFrame
        ``TRANSITION_COLUMNS``: one row per previous grade 1-4 (grade 3 split
        into ``Satisfactory`` and ``Requires improvement``): ``as_at``,
        ``previous_grade``, ``previous`` (label), ``to_outstanding``,
        ``to_good``, ``to_requires_improvement``, ``to_inadequate``, ``total``.
    """
    latest = out["as_at"].max()
    rows = out[(out["as_at"] == latest) & (out["la_code"] == la_code)]
    both = rows[rows["grade"].notna() & rows["previous_overall"].notna()]
    label = pd.Series([grade_label(g, d) for g, d in zip(both["previous_overall"], both["previous_inspection_date"], strict=True)],
                      index=both.index, dtype="string")
    matrix = pd.crosstab([both["previous_overall"].astype(int), label], both["grade"].astype(int)) \
        if not both.empty else pd.DataFrame(columns=[1, 2, 3, 4])
    order = [(1, grade_label(1)), (2, grade_label(2)), (3, "Satisfactory"), (3, grade_label(3)), (4, grade_label(4))]
    order = [key for key in order if key[1] != "Satisfactory" or key in matrix.index]
    matrix = matrix.reindex(index=pd.MultiIndex.from_tuples(order), columns=[1, 2, 3, 4], fill_value=0)
    table = pd.DataFrame({
        "as_at": latest,
        "previous_grade": [grade for grade, _ in order],
        "previous": [text for _, text in order],
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
        ``improved``, ``same``, ``declined``, ``key_judgements`` (latest
        inspection under the key judgements: no overall grade), ``no_previous`` (graded, no previous
        grade), ``report_card``, ``not_counted``.
    """
    latest = out["as_at"].max()
    rows = out[(out["as_at"] == latest) & (out["la_code"] == la_code)]
    both = rows[rows["grade"].notna() & rows["previous_overall"].notna()]
    step = both["grade"].astype(int) - both["previous_overall"].astype(int)
    return {
        "improved": int((step < 0).sum()), "same": int((step == 0).sum()), "declined": int((step > 0).sum()),
        "key_judgements": int(rows["key_judgements"].sum()),
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
        inadequate then, good or better now; ``became_good_from_satisfactory``:
        grade 3 then at an inspection before September 2012, when it meant
        satisfactory, not requires improvement; ``no_longer_good``; ``same_side``).
    """
    la = out[out["la_code"] == la_code]
    first, latest = la["as_at"].min(), la["as_at"].max()
    then = _by_lineage(la[la["as_at"] == first], lineage)
    now = _by_lineage(la[la["as_at"] == latest], lineage)
    both = now[["urn", "school_name"]].assign(first_as_at=first, first_grade=then["grade"].reindex(now.index),
                                              latest_grade=now["grade"])
    inspected_then = pd.to_datetime(then["inspection_date"]).reindex(now.index)
    both = both[both["first_grade"].notna() & both["latest_grade"].notna()]
    good_then, good_now = both["first_grade"].le(2), both["latest_grade"].le(2)
    satisfactory = both["first_grade"].eq(3) & inspected_then.reindex(both.index).lt(REQUIRES_IMPROVEMENT_FROM)
    both["movement"] = np.where(~good_then & good_now,
                                np.where(satisfactory.fillna(False), "became_good_from_satisfactory", "became_good"),
                                np.where(good_then & ~good_now, "no_longer_good", "same_side"))
    return both.rename_axis("lineage").reset_index()


def inspected_since(events: Events, cutoff: pd.Timestamp, as_at: pd.Timestamp) -> pd.DataFrame:
    """The LA's inspections since the last report's Ofsted file, each as the pack's events table tells it.

    Every inspection of the LA's schools (followed across a change of URN) dated after ``cutoff``
    (the latest snapshot on or before the last report's date, or that date where the pack has no
    such snapshot) and on or before ``as_at``: so every inspection the last report could not show,
    with the grade before it, the grade now and the change exactly as the support and concerns
    pages give them (``events.Events.inspections``).

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS``: ``urn`` (inspected), ``school_name`` (now), ``phase``, ``governance``,
        ``inspection_date``, ``framework``, ``grade_before`` and ``grade_now`` (Int64 1-4, the grade to
        compare: overall effectiveness, or the key-judgement rule; missing for a report card),
        ``basis`` (of ``grade_now``: ``schools.BASES``), ``change`` (``improved``, ``same``,
        ``declined``, ``first``: no grade before, ``report_card``, ``no_grade``), ``category``;
        declined first, then improved, then the rest, each by name.
    """
    rows = events.inspections_between(cutoff, as_at)
    table = pd.DataFrame({"urn": rows["urn"], "school_name": rows["school_name"], "phase": rows["phase"],
                          "governance": rows["governance"], "inspection_date": rows["inspection_date"],
                          "framework": rows["framework"], "grade_before": rows["previous_grade"].astype("Int64"),
                          "grade_now": rows["grade"].astype("Int64"), "basis": rows["basis"],
                          "change": rows["change"].astype("string"), "category": rows["category"]},
                         columns=SCHOOL_COLUMNS)
    order = table["change"].map({"declined": 0, "improved": 1}).fillna(2)
    table = table.assign(_order=order).sort_values(["_order", "school_name", "inspection_date"], kind="stable")
    return table[SCHOOL_COLUMNS].reset_index(drop=True)


def _succession_pairs(links: pd.DataFrame | None) -> pd.DataFrame:
    """(``urn``, ``successor``, ``link_date``) of every succession link the rule follows, and every other link.

    Either direction of a GIAS link gives the pair once; ``followed`` says whether a
    school is followed along it (``schools.followed_links``: the one rule of every section).
    """
    followed = successions(followed_links(links))
    pairs = pd.concat([followed.assign(followed=True), successions(links).assign(followed=False)], ignore_index=True)
    pairs = pairs.drop_duplicates(["urn", "successor"])  # a pair followed by one link is followed
    return pairs[["urn", "successor", "link_date", "followed"]].reset_index(drop=True)


def previous_below_good(out: pd.DataFrame, la_code: str, since: dt.date, links: pd.DataFrame | None,
                        events: Events | None = None) -> pd.DataFrame:
    """Every school of the LA below good in the last report's snapshot, followed to now.

    The last report's snapshot is the latest on or before ``since``; a school
    is below good there when its counted grade is 3 or 4 (``outcomes``). It is
    followed by its URN in the latest snapshot, or else to its one successor by
    the rule of ``config/inspections.yaml`` (``successions``): a succession link
    (either direction), the school gone from the latest file, the successor in
    it and not in the earlier one, the link dated after the earlier snapshot
    and on or before the latest (or undated). It was re-inspected when the
    inspection the school followed is counted on now is dated after the one
    graded then: its own, or (a successor not yet inspected in its new form)
    its predecessor's, inspected again before it converted.

    Returns
    -------
    DataFrame
        ``urn`` (then), ``grade_before`` (1-4), ``inspected_before`` (date of
        that inspection), ``satisfactory`` (grade 3 before September 2012),
        ``followed_to`` (URN now; missing where not found), ``how_followed``
        (``same URN``, ``successor``, ``not found``), ``why_not_found``
        (``converted``: its successor is not yet in Ofsted's file, as a new
        academy is not until inspected; ``other_link``: linked only in ways the
        rule does not follow; ``closed``: no link; ``several`` successors:
        ``config/inspections.yaml`` ``not_found``), ``reinspected`` (bool), ``inspected_now`` (date of the
        latest inspection of the school followed), ``grade_now`` (Int64, the grade to compare of that
        inspection as the events table gives it: overall effectiveness, or the key-judgement rule;
        missing for a report card or where not found), ``basis_now`` (``schools.BASES``), ``report_card_now``.
        Sorted by grade before (worst first) and URN. Empty where no snapshot is
        as old as ``since``.
    """
    dates = out["as_at"]
    then_at, now_at = snapshot_at(dates, since), pd.to_datetime(dates).max()
    columns = ["urn", "grade_before", "inspected_before", "satisfactory", "followed_to", "how_followed",
               "why_not_found", "reinspected", "inspected_now", "grade_now", "basis_now", "report_card_now"]
    if then_at is None or then_at == now_at:
        return pd.DataFrame(columns=columns)
    then_rows = out[out["as_at"] == then_at]
    now_rows = out[out["as_at"] == now_at].drop_duplicates("urn").set_index("urn")
    below = then_rows[(then_rows["la_code"] == la_code) & then_rows["grade"].ge(3).fillna(False)]
    table = pd.DataFrame({"urn": below["urn"].astype("string").to_numpy(),
                          "grade_before": below["grade"].astype("Int64").to_numpy(),
                          "inspected_before": pd.to_datetime(below["inspection_date"]).to_numpy()})
    table["satisfactory"] = (table["grade_before"].eq(3) & (table["inspected_before"]
                                                            < REQUIRES_IMPROVEMENT_FROM)).astype(bool)
    pairs = _succession_pairs(links)
    open_then = set(then_rows["urn"].astype(str))
    in_period = pairs["link_date"].isna() | ((pairs["link_date"] > then_at) & (pairs["link_date"] <= now_at))
    candidates = pairs[pairs["followed"] & in_period & ~pairs["successor"].isin(list(open_then))]
    usable = candidates[candidates["successor"].isin(list(now_rows.index))]
    followed, how, why = [], [], []
    for urn in table["urn"]:
        if urn in now_rows.index:
            followed.append(urn), how.append("same URN"), why.append(pd.NA)
            continue
        found = usable.loc[usable["urn"] == urn, "successor"].unique()
        if len(found) == 1:
            followed.append(found[0]), how.append("successor"), why.append(pd.NA)
            continue
        reason = ("several" if len(found) > 1 else "converted" if (candidates["urn"] == urn).any()
                  else "other_link" if (pairs["urn"] == urn).any() else "closed")
        followed.append(pd.NA), how.append("not found"), why.append(reason)
    table["followed_to"] = pd.array(followed, dtype="string")
    table["how_followed"] = pd.array(how, dtype="string")
    table["why_not_found"] = pd.array(why, dtype="string")
    now = now_rows.reindex(table["followed_to"].fillna("")).reset_index(drop=True)
    inspected_now = pd.to_datetime(now["inspection_date"]).to_numpy()
    table["inspected_now"] = pd.Series(inspected_now).where(table["followed_to"].notna())
    table["reinspected"] = (table["inspected_now"] > table["inspected_before"]).fillna(False).astype(bool)
    table["grade_now"] = now["grade"].astype("Int64").where(table["followed_to"].notna().to_numpy())
    table["basis_now"] = pd.Series(np.where(now["report_card"].fillna(False).to_numpy(dtype=bool), "report_card",
                                            np.where(table["grade_now"].notna(), "overall", "none")),
                                   dtype="string").where(table["followed_to"].notna())
    if events is not None and events.inspections is not None:
        # the grade of the inspection followed to, as every page tells it (the key-judgement rule's included)
        told = events.inspections.assign(_key=events.inspections["lineage"].astype(str) + "|"
                                         + events.inspections["inspection_date"].dt.strftime("%Y-%m-%d"))
        told = told.drop_duplicates("_key").set_index("_key")
        keys = (events.lineage_of(table["followed_to"].fillna("")).astype(str) + "|"
                + pd.to_datetime(table["inspected_now"]).dt.strftime("%Y-%m-%d").fillna(""))
        found = keys.isin(told.index) & table["followed_to"].notna()
        table.loc[found, "grade_now"] = told.loc[keys[found], "grade"].astype("Int64").to_numpy()
        table.loc[found, "basis_now"] = told.loc[keys[found], "basis"].astype("string").to_numpy()
    table["report_card_now"] = table["basis_now"].eq("report_card").fillna(False).astype(bool)
    table = table.sort_values(["grade_before", "urn"], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def previous_below_good_counts(table: pd.DataFrame) -> dict[str, int]:
    """The counts the page says: below good then (by grade), found, re-inspected, now good or better, not found.

    Returns
    -------
    dict
        ``below_good``, ``inadequate``, ``requires_improvement``,
        ``satisfactory`` (grade 3 before September 2012), ``found``,
        ``same_urn``, ``successor``, ``reinspected``, ``now_good`` (of the
        re-inspected, good or better now), ``still_below`` (re-inspected and
        still below good), ``report_card`` (re-inspected, with a report card),
        ``not_reinspected``, ``not_reinspected_successor`` (converted and not
        yet inspected), ``not_found`` and ``not_found_<why>``; and the same of
        the schools that required improvement (not satisfactory), prefixed
        ``ri_``.
    """
    def counts(rows: pd.DataFrame) -> dict[str, int]:
        again = rows[rows["reinspected"].astype(bool).to_numpy()]
        found = rows["how_followed"].ne("not found").astype(bool)
        return {
            "below_good": len(rows), "inadequate": int(rows["grade_before"].eq(4).sum()),
            "requires_improvement": int((rows["grade_before"].eq(3) & ~rows["satisfactory"]).sum()),
            "satisfactory": int(rows["satisfactory"].sum()),
            "found": int(found.sum()), "same_urn": int(rows["how_followed"].eq("same URN").sum()),
            "successor": int(rows["how_followed"].eq("successor").sum()),
            "reinspected": len(again), "now_good": int(again["grade_now"].le(2).fillna(False).sum()),
            "still_below": int(again["grade_now"].ge(3).fillna(False).sum()),
            "report_card": int(again["report_card_now"].sum()),
            "by_rule": int(again["basis_now"].eq("key_judgement_rule").fillna(False).sum())
            if "basis_now" in again else 0,
            "not_reinspected": int((found & ~rows["reinspected"]).sum()),
            "not_reinspected_successor": int((rows["how_followed"].eq("successor") & ~rows["reinspected"]).sum()),
            "not_found": int((~found).sum()),
            **{f"not_found_{why}": int(rows["why_not_found"].eq(why).sum()) for why in config()["not_found"]},
        }

    ri = table[(table["grade_before"].eq(3) & ~table["satisfactory"].astype(bool)).fillna(False).to_numpy(dtype=bool)]
    return {**counts(table), **{f"ri_{k}": v for k, v in counts(ri).items()}}


def inspection_gaps(out: pd.DataFrame, la_code: str, since: dt.date, as_at: dt.date) -> dict[str, object]:
    """Inspections a snapshot cannot hold: those after its last inspection date and up to the report's date.

    Ofsted's file as at a date holds inspections to about two weeks before it.
    For the last report's snapshot, the LA's inspections dated after its last
    inspection and on or before ``since`` are in the later snapshots, and
    counted from them (``taken_from_later``). For the latest snapshot, nothing
    later is in the pack, so its gap to ``as_at`` is stated (``gap_days``).

    Returns
    -------
    dict
        ``report_as_at``, ``latest_as_at``, ``latest_last_inspection`` (national latest
        inspection date in that file), ``gap_days`` (to ``as_at``);
        ``previous_as_at``, ``previous_last_inspection``, ``taken_from_later``
        (the LA's inspections in that window seen in later snapshots); the
        previous ones None where there is no earlier snapshot.
    """
    dates = pd.to_datetime(out["as_at"])
    latest = dates.max()
    last = pd.to_datetime(out.loc[dates == latest, "inspection_date"]).max()
    result: dict[str, object] = {"report_as_at": pd.Timestamp(as_at), "latest_as_at": latest,
                                 "latest_last_inspection": last,
                                 "gap_days": int((pd.Timestamp(as_at) - last).days) if pd.notna(last) else None,
                                 "previous_as_at": None, "previous_last_inspection": None, "taken_from_later": 0}
    previous = snapshot_at(dates, since)
    if previous is None or previous == latest:
        return result
    previous_last = pd.to_datetime(out.loc[dates == previous, "inspection_date"]).max()
    later = out[(dates > previous).to_numpy() & out["la_code"].eq(la_code).fillna(False).to_numpy()]
    seen = pd.concat([later[["urn", "inspection_date"]],
                      later[["urn", "previous_inspection_date"]].rename(columns={"previous_inspection_date":
                                                                                 "inspection_date"})])
    seen = seen.assign(inspection_date=pd.to_datetime(seen["inspection_date"])).dropna().drop_duplicates()
    window = seen["inspection_date"].gt(previous_last) & seen["inspection_date"].le(pd.Timestamp(since))
    result.update(previous_as_at=previous, previous_last_inspection=previous_last,
                  taken_from_later=int(window.sum()))
    return result
