"""The inspections section's facts: each measure of ``config/measures.yaml`` it owns, for each area and snapshot.

Made from the tables the page shows (``analysis.summary``, ``groups``, the RISE counts), so the
words, tiles and tables that take their figures from these facts agree with them by
construction, and the pack's check (``facts.check``) can tell if one does not.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ... import facts

#: The summary's count columns that are facts of their own: column -> measure.
COUNTS = {
    "n_schools": "inspections_schools",
    "n_category_of_concern": "inspections_category_of_concern",
    "n_special_measures": "inspections_special_measures",
    "n_serious_weaknesses": "inspections_serious_weaknesses",
    "n_requires_significant_improvement": "inspections_requires_significant_improvement",
    "n_notice_to_improve": "inspections_notice_to_improve",
    "n_requires_improvement": "inspections_requires_improvement",
    "n_inadequate": "inspections_inadequate",
    "n_key_judgements_good_by_rule": "ofsted_key_judgements_good_by_rule",
}
#: The four groups of Ofsted's current presentation: group code -> (schools measure, pupils measure).
GROUPS = {
    "report_card": ("ofsted_group_report_card", "ofsted_group_report_card_pupils"),
    "key_judgements": ("ofsted_group_key_judgements", "ofsted_group_key_judgements_pupils"),
    "overall": ("ofsted_group_overall", "ofsted_group_overall_pupils"),
    "not_inspected": ("ofsted_group_not_inspected", "ofsted_group_not_inspected_pupils"),
}


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def with_rule(row: dict[str, Any]) -> dict[str, float | None]:
    """Good or better counting the key-judgement inspections by the rule (the measures of A and C).

    The legacy overall grade, with the key-judgement schools good by the params' rule added on
    both sides; report cards left out. Returns ``good`` (% of schools), ``not_good`` (100 minus it,
    as indicator C reads), ``pupils`` (% of pupils), with their numerators and denominators.
    """
    graded = row["n_graded"] + row["n_key_judgements"]
    good = row["n_good_or_better"] + row["n_key_judgements_good_by_rule"]
    pct = None if not graded else round(100 * good / graded, 1)
    pupils = _num(row["pupils_graded"])
    pupils = None if pupils is None else pupils + (_num(row["pupils_key_judgements"]) or 0.0)
    pupils_good = (_num(row["pupils_good_or_better"]) or 0.0) + (_num(row["pupils_key_judgements_good_by_rule"]) or 0.0)
    return {"good": pct, "not_good": None if pct is None else round(100 - pct, 1), "n_graded": graded,
            "n_good": good, "pupils": None if not pupils else round(100 * pupils_good / pupils, 1),
            "pupils_graded": pupils, "pupils_good": pupils_good}


def of_summary(summary: pd.DataFrame) -> list[dict[str, Any]]:
    """Facts from ``inspections__summary`` (group ``all``): every snapshot and area."""
    rows = []
    for r in summary[summary["group"] == "all"].to_dict("records"):
        where = {"area": r["area_type"], "period": r["as_at"], "area_name": r["area"]}
        for column, measure in COUNTS.items():
            rows.append(facts.row(measure, r[column], **where))
        rows.append(facts.row("inspections_good_or_better", r["pct_good_or_better"], numerator=r["n_good_or_better"],
                              denominator=r["n_graded"], **where))
        rows.append(facts.row("inspections_pupils_good_or_better", r["pct_pupils_good_or_better"],
                              numerator=r["pupils_good_or_better"], denominator=r["pupils_graded"], **where))
        share = 100 * r["n_category_of_concern"] / r["n_schools"] if r["n_schools"] else None
        rows.append(facts.row("inspections_category_of_concern_pct", share, numerator=r["n_category_of_concern"],
                              denominator=r["n_schools"], **where))
        rule = with_rule(r)
        rows.append(facts.row("inspections_good_or_better_with_rule", rule["good"], numerator=rule["n_good"],
                              denominator=rule["n_graded"], **where))
        rows.append(facts.row("inspections_not_good_with_rule", rule["not_good"],
                              numerator=rule["n_graded"] - rule["n_good"], denominator=rule["n_graded"], **where))
        rows.append(facts.row("inspections_pupils_good_or_better_with_rule", rule["pupils"],
                              numerator=rule["pupils_good"], denominator=rule["pupils_graded"], **where))
    return rows


def of_groups(groups: pd.DataFrame) -> list[dict[str, Any]]:
    """Facts from the four groups of Ofsted's current presentation (``analysis.ofsted_groups``)."""
    rows = []
    for r in groups.to_dict("records"):
        schools, pupils = GROUPS[r["group"]]
        where = {"area": r["area_type"], "period": r["as_at"], "area_name": r["area"]}
        rows.append(facts.row(schools, r["n_schools"], denominator=r["n_all"], **where))
        rows.append(facts.row(pupils, r["pupils"], denominator=r["pupils_all"], **where))
    return rows


def of_cards(cards: pd.DataFrame, as_at: pd.Timestamp, names: dict[str, str]) -> list[dict[str, Any]]:
    """Report-card schools whose safeguarding was not met, for each area (none where no school has a card)."""
    rows = []
    for area_type, name in names.items():
        part = cards[(cards["area_type"] == area_type) & (cards["evaluation_area"] == "safeguarding")
                     & (cards["outcome"] == "not_met")]
        n = int(part["n_schools"].iloc[0]) if len(part) else 0
        rows.append(facts.row("ofsted_report_card_safeguarding_not_met", n, area=area_type, period=as_at,
                              area_name=name))
    return rows


def of_rise(counts: pd.DataFrame) -> list[dict[str, Any]]:
    """Schools eligible for RISE intervention, by area (``analysis.rise_counts``)."""
    return [facts.row("rise_eligible", r["n_stuck"], area=r["area_type"], period=r["as_at"], area_name=r["area"],
                      denominator=r["n_schools"]) for r in counts.to_dict("records")]


def table(summary: pd.DataFrame, groups: pd.DataFrame, cards: pd.DataFrame, rise_counts: pd.DataFrame,
          inspected_since: int, as_at: pd.Timestamp, names: dict[str, str]) -> pd.DataFrame:
    """Every fact of the section (``facts.COLUMNS``)."""
    from .rise import applies

    rows = [*of_summary(summary), *of_groups(groups), *of_cards(cards, as_at, names),
            *(of_rise(rise_counts) if applies(as_at) else []),
            facts.row("inspections_inspected_since", inspected_since, period=as_at, area_name=names.get("la", ""))]
    return facts.frame(rows)
