"""The section's figures: counts, comparisons and trends of inspection grades, and the result the page shows.

``summary`` counts every snapshot, comparison area and group of schools
(``inspections__summary.csv``); ``change_since`` compares each with the file
the last report used; ``report_cards`` gives the distribution of report-card
grades; ``schools`` works out every school's counted inspection (national:
once per run), ``for_la`` puts the LA's tables, with ``movement``, into an
``Inspections`` result (``build`` does both); ``analyse`` runs them on the
period's inputs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import analyses, disclosure, facts
from ... import events as school_events
from ...errors import InputError, Problem
from ...params import InspectionSettings
from ...schools import inspection_history, lineage_of, lineages
from ...sources.ofsted_mi import KEY_JUDGEMENTS_FROM, REPORT_CARDS_FROM
from . import facts as section_facts
from . import rise
from .movement import (
    became_good,
    inspected_since,
    inspection_gaps,
    previous_below_good,
    previous_below_good_counts,
    transition_counts,
    transitions,
)
from .outcomes import (
    AREA_TYPES,
    Areas,
    area_names,
    comparison_areas,
    config,
    groups,
    label_code,
    outcomes,
    region_key,
    snapshot_at,
)

if TYPE_CHECKING:
    from ...inputs import Inputs

#: Columns of ``inspections__summary.csv``, in order.
SUMMARY_COLUMNS = [
    "as_at", "area_type", "area", "group", "n_schools", "n_graded", "pct_good_or_better",
    "pct_pupils_good_or_better", "n_inadequate", "n_category_of_concern", "n_requires_improvement",
    "n_good", "n_outstanding", "n_good_or_better", "n_special_measures", "n_serious_weaknesses",
    "n_notice_to_improve", "n_requires_significant_improvement", "n_no_overall_grade", "n_key_judgements",
    "n_key_judgements_good_by_rule", "n_predecessor_grade", "n_report_card", "n_not_inspected",
    "pupils_graded", "pupils_good_or_better", "pupils_key_judgements", "pupils_key_judgements_good_by_rule",
]
#: Columns of ``inspections__frameworks.csv``.
FRAMEWORK_COLUMNS = ["as_at", "area_type", "area", "framework", "outcome", "n_schools", "pct"]
#: Its outcomes per framework of the counted inspection, in table order.
FRAMEWORK_OUTCOMES = {
    "overall": ["outstanding", "good", "requires_improvement", "inadequate", "no_overall_grade"],
    "key_judgements": ["no_overall_grade"],
    "report_card": ["no_overall_grade"],
    "none": ["not_inspected"],
}
#: Columns of ``inspections__report_cards.csv``.
REPORT_CARD_COLUMNS = ["as_at", "area_type", "area", "evaluation_area", "outcome", "n_schools", "pct"]
#: Decimal places of every percentage in the tables.
PCT_DECIMALS = 1


def _members(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """The rows of each comparison area, stacked, with ``area_type`` and ``area``."""
    keys = {r: region_key(r) for r in out["region"].dropna().unique()}
    masks = {"la": out["la_code"].eq(areas.la_code).fillna(False),
             "region": out["region"].map(keys).eq(region_key(areas.region)).fillna(False),
             "statistical_neighbours": out["la_code"].isin(list(areas.neighbours)),
             "england": pd.Series(True, index=out.index)}
    return pd.concat([out[masks[kind].to_numpy()].assign(area_type=kind, area=name)
                      for kind, name in area_names(areas).items()], ignore_index=True)


def summary(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Counts and percentages for every snapshot, comparison area and group of schools.

    Parameters
    ----------
    out : ``outcomes`` rows.
    areas : the LA and its comparators (``comparison_areas``).

    Returns
    -------
    DataFrame
        ``SUMMARY_COLUMNS``: ``as_at``, ``area_type`` (``la``, ``region``,
        ``statistical_neighbours`` (their schools pooled), ``england``), ``area``
        (name), ``group`` (``all``, a phase, ``academy``, ``maintained``; every
        group for every area, zero where it has no school), ``n_schools``,
        ``n_graded`` (with a legacy overall grade: the only era in the
        percentages), ``pct_good_or_better`` (of graded, one decimal), ``pct_pupils_good_or_better`` (pupils in good or better
        schools as a % of pupils in graded schools with a pupil number; missing
        where there is none), ``n_inadequate``, ``n_category_of_concern`` (any
        framework), ``n_requires_improvement``, ``n_good``, ``n_outstanding``,
        ``n_good_or_better``, ``n_special_measures``, ``n_serious_weaknesses``,
        ``n_notice_to_improve``, ``n_requires_significant_improvement`` (the
        renewed framework's category), ``n_no_overall_grade`` (counted on an
        inspection with no overall grade under its framework: key judgements,
        report cards, legacy 'not judged'; in neither side of the percentages),
        ``n_key_judgements`` and ``n_key_judgements_good_by_rule`` (the separate
        figure: key-judgement schools, and those good or better by the
        configured rule), ``n_predecessor_grade`` (counted on a predecessor's
        inspection), ``n_report_card`` (report cards, not graded),
        ``n_not_inspected`` (no inspection of their own, whether or not a
        predecessor's counts), ``pupils_graded``, ``pupils_good_or_better``,
        ``pupils_key_judgements``, ``pupils_key_judgements_good_by_rule``.
    """
    rows = _members(out, areas)
    grade = rows["grade"]
    pupils = rows["pupils"].astype("Float64")
    category = rows["category"].astype("string").where(rows["in_category"])
    flags = pd.DataFrame({
        "as_at": rows["as_at"], "area_type": rows["area_type"], "area": rows["area"],
        "phase": rows["phase"].astype("string"), "governance": rows["governance"].astype("string"),
        "n_schools": 1,
        "n_graded": grade.notna().astype(int),
        "n_inadequate": grade.eq(4).fillna(False).astype(int),
        "n_category_of_concern": rows["in_category"].astype(int),
        "n_requires_improvement": grade.eq(3).fillna(False).astype(int),
        "n_good": grade.eq(2).fillna(False).astype(int),
        "n_outstanding": grade.eq(1).fillna(False).astype(int),
        "n_good_or_better": rows["good_or_better"].astype(int),
        "n_special_measures": category.eq("special_measures").fillna(False).astype(int),
        "n_serious_weaknesses": category.eq("serious_weaknesses").fillna(False).astype(int),
        "n_notice_to_improve": category.eq("notice_to_improve").fillna(False).astype(int),
        "n_requires_significant_improvement": category.eq("requires_significant_improvement").fillna(False)
        .astype(int),
        "n_no_overall_grade": (rows["counted"] & grade.isna()).astype(int),
        "n_key_judgements": rows["key_judgements"].astype(int),
        "n_key_judgements_good_by_rule": rows["key_judgement_good"].astype(int),
        "n_predecessor_grade": (rows["counted"] & rows["basis"].eq("predecessor")).astype(int),
        "n_report_card": rows["report_card"].astype(int),
        "n_not_inspected": rows["basis"].ne("own").astype(int),
        "pupils_graded": pupils.where(grade.notna()).astype("float64"),
        "pupils_good_or_better": pupils.where(rows["good_or_better"]).astype("float64"),
        "pupils_key_judgements": pupils.where(rows["key_judgements"]).astype("float64"),
        "pupils_key_judgements_good_by_rule": pupils.where(rows["key_judgement_good"]).astype("float64"),
    })
    keys = ["as_at", "area_type", "area"]
    counts = [c for c in SUMMARY_COLUMNS if c.startswith("n_")]
    sums = {c: "sum" for c in counts}
    sums.update({"pupils_graded": lambda s: s.sum(min_count=1), "pupils_good_or_better": "sum",
                 "pupils_key_judgements": "sum", "pupils_key_judgements_good_by_rule": "sum"})
    parts = [flags.groupby(keys, sort=False).agg(sums).reset_index().assign(group="all")]
    for column in ("phase", "governance"):
        part = flags.groupby([*keys, column], sort=False).agg(sums).reset_index()
        parts.append(part.rename(columns={column: "group"}))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["group"].isin(groups())]
    grid = pd.MultiIndex.from_product(
        [sorted(table["as_at"].unique()), AREA_TYPES, groups()], names=["as_at", "area_type", "group"])
    names = area_names(areas)
    table = table.set_index(["as_at", "area_type", "group"]).drop(columns="area").reindex(grid).reset_index()
    table = table[table["area_type"].isin(list(names))]
    table["area"] = table["area_type"].map(names)
    table[counts] = table[counts].fillna(0).astype("int64")
    graded = table["n_graded"].where(table["n_graded"] > 0)
    table["pct_good_or_better"] = (100 * table["n_good_or_better"] / graded).round(PCT_DECIMALS)
    table["pupils_good_or_better"] = table["pupils_good_or_better"].where(table["pupils_graded"].notna())
    known = table["pupils_graded"].where(table["pupils_graded"] > 0)
    table["pct_pupils_good_or_better"] = (100 * table["pupils_good_or_better"] / known).round(PCT_DECIMALS)
    for column in ("pupils_graded", "pupils_good_or_better", "pupils_key_judgements",
                   "pupils_key_judgements_good_by_rule"):
        table[column] = table[column].astype("Int64")
    table["as_at"] = pd.to_datetime(table["as_at"])
    return table[SUMMARY_COLUMNS].reset_index(drop=True)


def frameworks(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Every school of each area once, by the framework of its counted inspection, with "no overall grade".

    The three eras are never merged here: the legacy overall grade (inspections
    to 1 September 2024, outstanding to inadequate), the key judgements (2
    September 2024 to 9 November 2025: no overall grade under this framework,
    'Not judged' in Ofsted's file) and report cards (from 10 November 2025: no
    grade on the four-point scale); ``none`` is a school with no inspection
    counted.

    Returns
    -------
    DataFrame
        ``FRAMEWORK_COLUMNS``: ``as_at``, ``area_type``, ``area``,
        ``framework`` (``overall``, ``key_judgements``, ``report_card``,
        ``none``), ``outcome`` (``FRAMEWORK_OUTCOMES``), ``n_schools``, ``pct``
        (of the area's schools, one decimal). Every outcome of every area and
        snapshot, zero where none; a framework that had not begun by the
        latest snapshot has no rows (a pack shows nothing after its date).
    """
    rows = _members(out, areas)
    era = rows["framework"].astype("string").where(rows["counted"]).fillna("none")
    labels = {1: "outstanding", 2: "good", 3: "requires_improvement", 4: "inadequate"}
    overall = rows["overall"].astype("Int64").map(labels).astype("string")
    outcome = pd.Series(np.where(era.eq("none"), "not_inspected", "no_overall_grade"), index=rows.index, dtype="string")
    outcome = outcome.mask(era.eq("overall") & overall.notna(), overall)
    keys = ["as_at", "area_type", "area"]
    counted = rows[keys].assign(framework=era, outcome=outcome).value_counts().rename("n_schools").reset_index()
    latest = pd.to_datetime(rows["as_at"]).max()
    started = {"key_judgements": KEY_JUDGEMENTS_FROM, "report_card": REPORT_CARDS_FROM}  # none shown before it began
    grid = [(f, o) for f, outcomes_ in FRAMEWORK_OUTCOMES.items() for o in outcomes_
            if f not in started or latest >= started[f]]
    areas_seen = rows[keys].drop_duplicates()
    full = areas_seen.merge(pd.DataFrame(grid, columns=["framework", "outcome"]), how="cross")
    table = full.merge(counted, on=[*keys, "framework", "outcome"], how="left")
    table["n_schools"] = table["n_schools"].fillna(0).astype("int64")
    total = table.groupby(keys)["n_schools"].transform("sum")
    table["pct"] = (100 * table["n_schools"] / total.where(total > 0)).round(PCT_DECIMALS)
    table["as_at"] = pd.to_datetime(table["as_at"])
    order = {a: n for n, a in enumerate(AREA_TYPES)}
    table = table.assign(_o=table["area_type"].map(order)).sort_values(["as_at", "_o"], kind="stable")
    return table[FRAMEWORK_COLUMNS].reset_index(drop=True)


def change_since(table: pd.DataFrame, since: dt.date) -> pd.DataFrame:
    """Each area and group now against the snapshot the last report used.

    The last report's snapshot is the latest on or before ``since`` (the
    previous report's as-at date).

    Returns
    -------
    DataFrame
        ``area_type``, ``area``, ``group``, ``as_at`` (latest snapshot),
        ``previous_as_at`` (missing where no snapshot is that old),
        ``pct_good_or_better``, ``previous_pct_good_or_better``,
        ``change`` (percentage points), ``pct_pupils_good_or_better``,
        ``previous_pct_pupils_good_or_better``, ``change_pupils``,
        ``n_category_of_concern``, ``previous_n_category_of_concern``.
    """
    latest = table["as_at"].max()
    previous = snapshot_at(table["as_at"], since)
    now = table[table["as_at"] == latest]
    keys = ["area_type", "area", "group"]
    measures = ["pct_good_or_better", "pct_pupils_good_or_better", "n_category_of_concern"]
    out = now[["as_at", *keys, *measures]].copy()
    if previous is not None:
        before = table.loc[table["as_at"] == previous, [*keys, *measures]]
        out = out.merge(before.rename(columns={m: f"previous_{m}" for m in measures}), on=keys, how="left")
    else:
        for m in measures:
            out[f"previous_{m}"] = np.nan
    out["previous_as_at"] = previous if previous is not None else pd.NaT
    out["change"] = (out["pct_good_or_better"] - out["previous_pct_good_or_better"]).round(PCT_DECIMALS)
    out["change_pupils"] = (out["pct_pupils_good_or_better"]
                            - out["previous_pct_pupils_good_or_better"]).round(PCT_DECIMALS)
    columns = [*keys, "as_at", "previous_as_at", "pct_good_or_better", "previous_pct_good_or_better", "change",
               "pct_pupils_good_or_better", "previous_pct_pupils_good_or_better", "change_pupils",
               "n_category_of_concern", "previous_n_category_of_concern"]
    return out[columns].reset_index(drop=True)



def report_cards(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Distribution of each report-card evaluation area, and safeguarding, in the latest snapshot.

    Only schools counted on a report card (inspected from 10 November 2025).

    Returns
    -------
    DataFrame
        ``REPORT_CARD_COLUMNS``: ``as_at``, ``area_type``, ``area``,
        ``evaluation_area`` (``config/inspections.yaml`` ``report_card_areas``,
        then ``safeguarding``), ``outcome`` (``exceptional`` ...
        ``urgent_improvement``; ``met``, ``not_met`` for safeguarding),
        ``n_schools``, ``pct`` (of the area's schools with that evaluation area
        graded, one decimal). Empty where no school has a report card.
    """
    latest = out["as_at"].max()
    cards = _members(out[(out["as_at"] == latest) & out["report_card"]], areas)
    if cards.empty:
        return pd.DataFrame(columns=REPORT_CARD_COLUMNS)
    scale = {g: label_code(label) for g, label in config()["report_card_grades"].items()}
    parts = []
    for area_type, rows in cards.groupby("area_type", sort=False):
        name = rows["area"].iloc[0]
        for evaluation_area in config()["report_card_areas"]:
            values = rows[evaluation_area].dropna().astype(int)
            for grade, outcome in scale.items():
                parts.append((area_type, name, evaluation_area, outcome, int((values == grade).sum()), len(values)))
        met = rows["safeguarding_met"].astype("boolean").dropna()
        for outcome, value in (("met", True), ("not_met", False)):
            parts.append((area_type, name, "safeguarding", outcome, int((met == value).sum()), len(met)))
    table = pd.DataFrame(parts, columns=["area_type", "area", "evaluation_area", "outcome", "n_schools", "of"])
    table["pct"] = (100 * table["n_schools"] / table["of"].where(table["of"] > 0)).round(PCT_DECIMALS)
    table["as_at"] = latest
    table["_order"] = table["area_type"].map({a: n for n, a in enumerate(AREA_TYPES)})
    table = table.sort_values("_order", kind="stable")
    return table[REPORT_CARD_COLUMNS].reset_index(drop=True)



#: Columns of ``inspections__ofsted_groups.csv``: the four groups of Ofsted's current presentation.
GROUP_COLUMNS = ["as_at", "area_type", "area", "group", "n_schools", "pct_schools", "pupils", "pct_pupils",
                 "n_good_or_better", "pct_good_or_better", "n_predecessor", "n_all", "pupils_all"]
#: The four groups, in the order Ofsted's inspection data summary report gives them (December 2025).
OFSTED_GROUPS = ["report_card", "key_judgements", "overall", "not_inspected"]


def ofsted_groups(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Each area's schools in the four groups of Ofsted's current presentation, never pooled, latest snapshot.

    ``report_card`` (latest inspection from 10 November 2025: graded area by area, no overall
    grade), ``key_judgements`` (2 September 2024 to 9 November 2025: key judgements, no overall
    grade), ``overall`` (last graded before September 2024: overall effectiveness), ``not_inspected``
    (no inspection counted). A school counted on the inspection of the school it replaced (as the
    params allow, as Ofsted's statistics do) is in its predecessor's group, and counted in
    ``n_predecessor``.

    Returns
    -------
    DataFrame
        ``GROUP_COLUMNS``: ``as_at``, ``area_type``, ``area``, ``group``, ``n_schools``, ``pct_schools``
        (of the area's schools), ``pupils`` (on roll, where Ofsted's file gives them), ``pct_pupils``,
        ``n_good_or_better`` and ``pct_good_or_better`` (the overall group only: of its schools with a
        grade), ``n_predecessor``, ``n_all`` and ``pupils_all`` (the area's schools and pupils).
    """
    latest = out["as_at"].max()
    rows = _members(out[out["as_at"] == latest], areas)
    group = rows["framework"].astype("string").where(rows["counted"]).fillna("not_inspected")
    pupils = rows["pupils"].astype("Float64")
    frame = pd.DataFrame({"area_type": rows["area_type"], "area": rows["area"], "group": group,
                          "n_schools": 1, "pupils": pupils.fillna(0).astype("float64"),
                          "known": pupils.notna().astype(int),
                          "n_graded": rows["grade"].notna().astype(int),
                          "n_good_or_better": rows["good_or_better"].astype(int),
                          "n_predecessor": (rows["counted"] & rows["basis"].eq("predecessor")).astype(int)})
    summed = frame.groupby(["area_type", "area", "group"], sort=False).sum(numeric_only=True)
    names = area_names(areas)
    grid = pd.MultiIndex.from_tuples([(a, names[a], g) for a in AREA_TYPES if a in names for g in OFSTED_GROUPS],
                                     names=["area_type", "area", "group"])
    table = summed.reindex(grid, fill_value=0).reset_index()
    totals = table.groupby("area_type")[["n_schools", "pupils"]].transform("sum")
    table["n_all"], table["pupils_all"] = totals["n_schools"], totals["pupils"]
    known = table.groupby("area_type")["known"].transform("sum")
    table["pupils"] = table["pupils"].where(known > 0)
    table["pupils_all"] = table["pupils_all"].where(known > 0)
    table["pct_schools"] = (100 * table["n_schools"] / table["n_all"].where(table["n_all"] > 0)).round(PCT_DECIMALS)
    table["pct_pupils"] = (100 * table["pupils"] / table["pupils_all"].where(table["pupils_all"] > 0)).round(
        PCT_DECIMALS)
    overall = table["group"].eq("overall")
    table["pct_good_or_better"] = (100 * table["n_good_or_better"] / table["n_graded"].where(
        table["n_graded"] > 0)).round(PCT_DECIMALS).where(overall)
    table["n_good_or_better"] = table["n_good_or_better"].where(overall).astype("Int64")
    for column in ("n_schools", "n_predecessor", "n_all"):
        table[column] = table[column].astype("int64")
    for column in ("pupils", "pupils_all"):
        table[column] = table[column].round().astype("Int64")
    table["as_at"] = pd.Timestamp(latest)
    return table[GROUP_COLUMNS].reset_index(drop=True)


def rise_counts(out: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Schools eligible for RISE intervention (``rise.stuck``, the column ``stuck`` of the national
    outcomes) in each area at the latest snapshot: ``as_at``, ``area_type``, ``area``, ``n_stuck``,
    ``n_schools``."""
    latest = out["as_at"].max()
    rows = _members(out[out["as_at"] == latest], areas)
    table = rows.groupby(["area_type", "area"], sort=False).agg(n_stuck=("stuck", "sum"),
                                                                   n_schools=("urn", "size")).reset_index()
    names = area_names(areas)
    table = table.set_index("area_type").reindex([a for a in AREA_TYPES if a in names]).reset_index()
    table["area"] = table["area_type"].map(names)
    table[["n_stuck", "n_schools"]] = table[["n_stuck", "n_schools"]].fillna(0).astype("int64")
    table["as_at"] = pd.Timestamp(latest)
    return table[["as_at", "area_type", "area", "n_stuck", "n_schools"]]


def rise_schools(out: pd.DataFrame, la_code: str, supported: set[str] | None,
                 lineage: Mapping[str, str]) -> pd.DataFrame:
    """The LA's schools eligible for RISE intervention at the latest snapshot, with whether each is supported.

    Returns
    -------
    DataFrame
        ``urn``, ``school_name``, ``phase``, ``governance``, ``inspection_date`` (the latest inspection),
        ``framework``, ``previous_inspection_date``, ``supported`` (``yes``, ``no``; blank where the pack has
        no support register), by name.
    """
    latest = out["as_at"].max()
    rows = out[(out["as_at"] == latest) & out["la_code"].eq(la_code).fillna(False) & out["stuck"]]
    table = rows[["urn", "school_name", "phase", "governance", "inspection_date", "framework",
                  "previous_inspection_date"]].copy()
    if supported is None:
        table["supported"] = pd.Series("", index=table.index, dtype="string")
    else:
        linked = lineage_of(table["urn"].astype("string"), lineage)
        table["supported"] = linked.isin(supported).map({True: "yes", False: "no"}).astype("string")
    return table.sort_values("school_name", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the section's analysis
@dataclass(frozen=True)
class Inspections:
    """Everything the section shows (built by ``analyse``).

    Attributes
    ----------
    areas, settings
        The areas compared (the LA, its neighbours, region, England) and the counting rules used.
    as_at, first_as_at, since
        The latest and first Ofsted snapshots used, and the last report's date.
    outcomes
        ``outcomes`` rows: each school in each snapshot, with the Ofsted MI columns (``urn``, ``laestab``,
        ``school_name``, ``la_code``, ``la_name``, ``region``, ``type_of_education``, ``governance``,
        ``phase``, ``pupils``, ``inspection_date``, ``framework``, ``overall``, ``category``, the key
        judgements (``quality_of_education``, ``behaviour_and_attitudes``, ``personal_development``,
        ``leadership_and_management``, ``safeguarding_effective``, ``early_years``, ``sixth_form``) and
        report-card areas (``inclusion``, ``curriculum_and_teaching``, ``achievement``,
        ``attendance_and_behaviour``, ``personal_development_and_wellbeing``, ``leadership_and_governance``,
        ``safeguarding_met``), ``previous_inspection_date``, ``previous_overall``,
        ``previous_category``, ``inspected_urn``, ``source``) and how it is counted: ``as_at``,
        ``carried_from`` and ``basis`` (its own inspection or a predecessor's), ``counted``, ``grade``
        (1 to 4 on one scale), ``good_or_better``, ``key_judgements``, ``key_judgement_grade``,
        ``key_judgement_good``, ``report_card``, ``in_category``.
    summary
        ``SUMMARY_COLUMNS``: for each snapshot, area and group of schools (``as_at``, ``area_type``,
        ``area``, ``group``) the schools counted (``n_...``), pupils (``pupils_...``) and
        ``pct_good_or_better`` and ``pct_pupils_good_or_better``.
    changes
        ``change_since``: ``area_type``, ``area``, ``group``, ``as_at``, ``previous_as_at``, each
        percentage now and at the last report (``previous_...``) and ``change``, ``change_pupils``,
        ``n_category_of_concern``, ``previous_n_category_of_concern``.
    transitions
        ``TRANSITION_COLUMNS``: the LA's schools by previous grade (``as_at``, ``previous_grade``,
        ``previous``) and latest (``to_outstanding``, ``to_good``, ``to_requires_improvement``,
        ``to_inadequate``, ``total``).
    transition_counts
        How many improved, stayed and declined (``movement.transitions``).
    became_good
        ``movement.became_good``: the schools whose grade crossed the good line between the first and
        latest snapshot, followed across a change of URN (``lineage``, ``urn``,
        ``school_name``, ``first_as_at``, ``first_grade``, ``latest_grade``, ``movement``).
    report_cards
        ``REPORT_CARD_COLUMNS``: ``as_at``, ``area_type``, ``area``, ``evaluation_area``, ``outcome``,
        ``n_schools``, ``pct``.
    schools
        ``SCHOOL_COLUMNS`` (``movement.inspected_since``): the LA's schools inspected since the last
        report's Ofsted file (``urn``, ``school_name``,
        ``phase``, ``governance``, ``inspection_date``, ``framework``, ``grade_before``, ``grade_now``,
        ``change``, ``category``).
    frameworks
        ``FRAMEWORK_COLUMNS``: ``as_at``, ``area_type``, ``area``, ``framework``, ``outcome``,
        ``n_schools``, ``pct``.
    previous_below_good, previous_below_good_counts
        ``movement.previous_below_good``: schools below good at the last report followed to now
        (``urn``, ``grade_before``, ``inspected_before``, ``satisfactory``, ``followed_to``,
        ``how_followed``, ``why_not_found``, ``reinspected``, ``inspected_now``, ``grade_now``,
        ``basis_now``, ``report_card_now``), and its counts.
    gaps
        ``inspection_gaps``: how long since schools were inspected.
    groups
        ``GROUP_COLUMNS`` (``ofsted_groups``): each area's schools in Ofsted's four groups, never pooled
        (``group``, ``n_schools``, ``pct_schools``, ``pupils``, ``pct_pupils``, ``n_good_or_better``, ...).
    rise_counts, rise_schools
        Schools eligible for RISE intervention (``rise.stuck``: the column ``stuck`` of ``outcomes``) in each
        area, and the LA's, each with whether it is ``supported`` (internal packs).
    facts
        The section's facts (``facts.COLUMNS``), joined into the pack's ``tables/facts.csv``: ``measure``,
        ``label``, ``area``, ``area_name``, ``period``, ``status``, ``value``, ``numerator``, ``denominator``,
        ``unit``, ``decimals``, ``section``.
    lineage
        URN -> lineage id: how the section followed schools across a change of URN (``schools.lineages``).
    anonymiser, threshold
        Committee-pack disclosure: how schools are named, and the smallest count shown.
    """

    areas: Areas
    settings: InspectionSettings
    as_at: pd.Timestamp  # latest snapshot
    first_as_at: pd.Timestamp
    since: dt.date
    outcomes: pd.DataFrame
    summary: pd.DataFrame
    changes: pd.DataFrame
    transitions: pd.DataFrame
    transition_counts: dict[str, int]
    became_good: pd.DataFrame
    report_cards: pd.DataFrame
    schools: pd.DataFrame
    frameworks: pd.DataFrame
    previous_below_good: pd.DataFrame
    previous_below_good_counts: dict[str, int]
    gaps: dict
    anonymiser: disclosure.Anonymiser
    threshold: int
    lineage: Mapping[str, str]
    groups: pd.DataFrame = None  # type: ignore[assignment]  # GROUP_COLUMNS
    rise_counts: pd.DataFrame = None  # type: ignore[assignment]  # rise_counts
    rise_schools: pd.DataFrame = None  # type: ignore[assignment]  # rise_schools
    facts: pd.DataFrame = None  # type: ignore[assignment]  # facts.COLUMNS: every measure the section owns

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee

    @functools.cached_property
    def known(self) -> facts.Facts:
        """The section's facts, to look up (``facts.Facts``): what its words and tiles take their figures from."""
        return facts.Facts(self.facts)


@dataclass(frozen=True)
class Schools:
    """Every school in England as the section counts it: the same for every LA (``schools``).

    ``mi``: the snapshots as at or before the period's ``as_at``; ``outcomes``:
    ``outcomes`` of them; ``lineage``: URN -> lineage id (``schools.lineages``);
    ``links``: the GIAS links, or None; ``settings``: the counting rules used;
    ``as_at``: the period's date. Shared by a batch's LAs (``Inputs.national``):
    read, never changed.
    """

    as_at: dt.date
    mi: pd.DataFrame
    outcomes: pd.DataFrame
    lineage: dict[str, str]
    links: pd.DataFrame | None
    settings: InspectionSettings


def analyse(inputs: Inputs) -> Inspections:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "inspections")


def work_out(inputs: Inputs, events: school_events.Events | None = None) -> Inspections:
    """Run the section's analysis on the period's inputs: ``schools`` (once per run), then ``for_la``.

    Uses ``ofsted_mi``, ``neighbours``, and where registered ``establishments``
    and ``establishment_links``; the params' ``la_code``, ``as_at``,
    ``comparators``, ``since``, ``inspections`` settings, audience and
    suppression threshold.

    Raises
    ------
    InputError
        As ``schools`` and ``for_la``, naming the Ofsted files.
    """
    from ...inputs import SPECS

    params = inputs.params
    source = ", ".join(str(f.path) for f in inputs.files("ofsted_mi"))
    optional = {key: inputs.get(key) if key in SPECS else None for key in ("establishments", "establishment_links")}
    national = inputs.national("inspections", lambda: schools(
        inputs.get("ofsted_mi"), as_at=params.as_at, settings=params.inspections,
        establishments=optional["establishments"], links=optional["establishment_links"], source=source))
    supported = None
    if events is not None and events.support is not None:
        supported = set(events.support["lineage"])
    return for_la(national, inputs.get("neighbours"), la_code=params.la_code, since=params.since,
                  comparators=params.comparators, anonymiser=disclosure.anonymiser(inputs),
                  # Ofsted publishes every school's judgements: a committee pack shows their counts in full
                  threshold=disclosure.threshold_for("ofsted_mi", params.suppression_threshold), source=source,
                  events=events, supported=supported)


def schools(
    mi: pd.DataFrame,
    *,
    as_at: dt.date,
    settings: InspectionSettings,
    establishments: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    source: str = "ofsted_mi",
) -> Schools:
    """Every school's counted inspection in each snapshot, and the URNs' lineages: the national half.

    Parameters
    ----------
    mi : Ofsted MI snapshots; those after ``as_at`` are ignored.
    settings : the params' inspection counting rules.
    establishments, links : as in ``outcomes``.

    Raises
    ------
    InputError
        No snapshot as at or before ``as_at``.
    """
    mi = mi[pd.to_datetime(mi["as_at"]) <= pd.Timestamp(as_at)]
    if mi.empty:
        raise InputError(Problem(source, f"no Ofsted snapshot as at or before {as_at}", key="data.ofsted_mi"))
    out = outcomes(mi, good_equivalent=settings.good_equivalent, not_inspected=settings.not_inspected,
                   establishments=establishments, links=links)
    lineage = lineages(links, as_at=as_at)
    out["stuck"] = _stuck(out, mi, lineage, settings.good_equivalent)
    return Schools(as_at=as_at, mi=mi, outcomes=out, lineage=lineage, links=links, settings=settings)


def _stuck(out: pd.DataFrame, mi: pd.DataFrame, lineage: Mapping[str, str], good_equivalent: str) -> pd.Series:
    """Whether each school of the latest snapshot is eligible for RISE intervention (``rise.stuck``); False
    in earlier snapshots. The inspection history is read only for schools whose previous inspection was
    under the key judgements (Ofsted's file then holds no overall grade for it)."""
    latest = out["as_at"].eq(out["as_at"].max())
    found = pd.Series(False, index=out.index)
    rows = out[latest]
    kj_before = rows["previous_overall"].isna() & pd.to_datetime(rows["previous_inspection_date"]).ge(
        KEY_JUDGEMENTS_FROM).fillna(False)
    history = None
    if kj_before.any():
        wanted = set(lineage_of(rows.loc[kj_before, "urn"].astype("string"), lineage))
        linked = lineage_of(mi["urn"].astype("string"), lineage)
        history = inspection_history(mi[linked.isin(wanted).to_numpy()], lineage, good_equivalent)
    found[latest] = rise.stuck(rows, history, dict(lineage)).to_numpy()
    return found


def for_la(
    national: Schools,
    neighbours: pd.DataFrame,
    *,
    la_code: str,
    since: dt.date,
    anonymiser: disclosure.Anonymiser,
    threshold: int,
    comparators: list[str] | None = None,
    source: str = "ofsted_mi",
    events: school_events.Events | None = None,
    supported: set[str] | None = None,
) -> Inspections:
    """Every table of the section for one LA, from ``schools``.

    Parameters
    ----------
    neighbours : the statistical neighbours workbook (``sources.neighbours``).
    since : as-at date of the previous report.
    anonymiser : names or labels schools (``disclosure.anonymiser``).
    threshold : committee mode suppresses counts below this.
    comparators : as in ``comparison_areas``.
    events : the pack's events (``events.Events``): the schools inspected since the last report and the
        grades of the schools below good then are read from its inspections, as every page reads them;
        made here from Ofsted's file where not given (a unit test, an analyst's session).
    supported : lineages the LA's support register holds (the RISE list says whether each is supported).

    Raises
    ------
    InputError
        The LA not in the file.
    """
    out, lineage = national.outcomes, national.lineage
    areas = comparison_areas(national.mi, neighbours, la_code, comparators, source=source)
    if events is None:
        events = school_events.build(la_code=la_code, as_at=national.as_at, mi=national.mi, links=national.links,
                                     good_equivalent=national.settings.good_equivalent, lineage=national.lineage)
    table = summary(out, areas)
    below = previous_below_good(out, la_code, since, national.links, events)
    cards = report_cards(out, areas)
    groups_ = ofsted_groups(out, areas)
    counts = rise_counts(out, areas)
    cutoff = snapshot_at(table["as_at"], since)
    inspected = inspected_since(events, pd.Timestamp(since) if cutoff is None else cutoff, table["as_at"].max())
    latest = table["as_at"].max()
    return Inspections(
        areas=areas, settings=national.settings, as_at=latest, first_as_at=table["as_at"].min(),
        since=since, outcomes=out, summary=table, changes=change_since(table, since),
        transitions=transitions(out, la_code), transition_counts=transition_counts(out, la_code),
        became_good=became_good(out, la_code, lineage), report_cards=cards,
        schools=inspected, frameworks=frameworks(out, areas),
        previous_below_good=below, previous_below_good_counts=previous_below_good_counts(below),
        gaps=inspection_gaps(out, la_code, since, national.as_at), anonymiser=anonymiser, threshold=threshold,
        lineage=lineage, groups=groups_, rise_counts=counts,
        rise_schools=rise_schools(out, la_code, supported, lineage),
        facts=section_facts.table(table, groups_, cards, counts, len(inspected), latest, area_names(areas)),
    )


def build(
    mi: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    la_code: str,
    as_at: dt.date,
    since: dt.date,
    settings: InspectionSettings,
    anonymiser: disclosure.Anonymiser,
    threshold: int,
    comparators: list[str] | None = None,
    establishments: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    source: str = "ofsted_mi",
) -> Inspections:
    """The section for one LA from loaded frames: ``for_la`` on ``schools`` (their parameters)."""
    national = schools(mi, as_at=as_at, settings=settings, establishments=establishments, links=links, source=source)
    return for_la(national, neighbours, la_code=la_code, since=since, anonymiser=anonymiser, threshold=threshold,
                  comparators=comparators, source=source)


def last_report_file(result: Inspections) -> pd.Timestamp:
    """Date of the Ofsted file the last report used (latest snapshot on or before ``since``), else ``since``."""
    previous = snapshot_at(result.summary["as_at"], result.since)
    return pd.Timestamp(result.since) if previous is None else previous


def summary_row(result: Inspections, area_type: str, group: str = "all",
                as_at: pd.Timestamp | None = None) -> dict:
    """One row of the summary as a dict (latest snapshot unless ``as_at``); empty where there is none."""
    table = result.summary
    pick = table[(table["as_at"] == (result.as_at if as_at is None else as_at)) & (table["area_type"] == area_type)
                 & (table["group"] == group)]
    return pick.iloc[0].to_dict() if not pick.empty else {}

