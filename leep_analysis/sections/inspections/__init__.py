"""Ofsted inspection outcomes: how many of the LA's schools are good or better, against its benchmarks.

From one or more snapshots of Ofsted's management information (tidy rows of
``sources.ofsted_mi``: one per school per snapshot), for the LA, its region,
its statistical neighbours (all their schools pooled) and England:

- ``outcomes`` decides which inspection each school is counted on (its own, or
  the school it replaced, per ``params.inspections.not_inspected``) and its grade
  on the four-point scale: the overall effectiveness grade, or for inspections
  from 2 September 2024 to 9 November 2025 the grade equivalent under
  ``params.inspections.good_equivalent``. Report cards (from 10 November 2025)
  have no such grade: they are counted apart and reported area by area.
- ``summary`` counts schools, graded schools, % good or better (of schools and
  of pupils), requires improvement, inadequate and categories of concern, for
  every snapshot, area and group (phase, governance): ``inspections__summary.csv``.
- ``change_since``, ``transitions``, ``became_good``, ``report_cards`` and
  ``inspected_since`` answer the committee's other questions; the ``show_*``
  functions put them on the page with a plain-English sentence each.

The definitions are in ``config/inspections.yaml`` and ``docs/inspections-method.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ... import charts, disclosure
from ...config import load_config
from ...errors import InputError, Problem
from ...inputs import shared_analysis
from ...params import InspectionSettings
from ...sources import gias
from ...sources._read import normalise_header

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ...report import Section

AREA_TYPES = ["la", "region", "statistical_neighbours", "england"]
#: Columns of ``inspections__summary.csv``, in order.
SUMMARY_COLUMNS = [
    "as_at", "area_type", "area", "group", "n_schools", "n_graded", "pct_good_or_better",
    "pct_pupils_good_or_better", "n_inadequate", "n_category_of_concern", "n_requires_improvement",
    "n_good", "n_outstanding", "n_good_or_better", "n_special_measures", "n_serious_weaknesses",
    "n_notice_to_improve", "n_equivalent_grade", "n_predecessor_grade", "n_report_card", "n_not_inspected",
    "pupils_graded", "pupils_good_or_better",
]
#: Columns of ``inspections__transitions.csv``.
TRANSITION_COLUMNS = ["as_at", "previous_grade", "previous", "to_outstanding", "to_good",
                      "to_requires_improvement", "to_inadequate", "total"]
#: Columns of ``inspections__schools.csv``.
SCHOOL_COLUMNS = ["urn", "school_name", "phase", "governance", "inspection_date", "framework", "grade_before",
                  "grade_now", "change", "category"]
#: Columns of ``inspections__report_cards.csv``.
REPORT_CARD_COLUMNS = ["as_at", "area_type", "area", "evaluation_area", "outcome", "n_schools", "pct"]
#: Fields of one inspection, carried together from a predecessor.
INSPECTION_FIELDS = [
    "inspection_date", "framework", "overall", "category", "quality_of_education", "behaviour_and_attitudes",
    "personal_development", "leadership_and_management", "safeguarding_effective", "inclusion",
    "curriculum_and_teaching", "achievement", "attendance_and_behaviour", "personal_development_and_wellbeing",
    "leadership_and_governance", "early_years", "sixth_form", "safeguarding_met", "previous_inspection_date",
    "previous_overall", "previous_category",
]
NEIGHBOURS_LABEL = "Statistical neighbours"
PCT_DECIMALS = 1


@functools.cache
def config() -> dict[str, Any]:
    """The section's labels and rule texts (``config/inspections.yaml``)."""
    return load_config("inspections")


def grade_label(grade: object) -> str:
    """``2`` -> ``Good``; missing -> an en dash."""
    if grade is None or pd.isna(grade):
        return "–"
    return config()["grades"][int(grade)]


def group_label(group: str) -> str:
    """``academy`` -> ``Academies and free schools``."""
    return config()["groups"][group]


def groups() -> list[str]:
    """Group codes in table order: ``all``, the phases, then governance."""
    return list(config()["groups"])


def when(value: object) -> str:
    """A date as the report writes it: ``31 May 2015``."""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


# --------------------------------------------------------------------------- areas
@dataclass(frozen=True)
class Areas:
    """Who the LA is compared with.

    ``region`` is spelt as in Ofsted's file (None where the LA's region has no
    schools in it); ``neighbours`` are LA codes, ``missing_neighbours`` those of
    them with no school in Ofsted's file (e.g. a code that changed).
    """

    la_code: str
    la_name: str
    region: str | None
    neighbours: tuple[str, ...]
    missing_neighbours: tuple[str, ...]
    description: str


def region_key(name: object) -> str:
    """A region name as compared between files: lower case, no punctuation, no 'the', 'and', 'of'.

    ``Yorkshire and The Humber`` and ``Yorkshire and the Humber`` compare equal;
    Inner and Outer London (as the neighbours workbook names them) are first
    mapped to London (``region_aliases`` in ``config/inspections.yaml``).
    """
    text = str(name).strip()
    text = {k.lower(): v for k, v in config()["region_aliases"].items()}.get(text.lower(), text)
    words = re.sub(r"[^a-z ]", " ", text.lower()).split()
    return " ".join(w for w in words if w not in {"the", "and", "of"})


def comparison_areas(
    mi: pd.DataFrame, neighbours: pd.DataFrame, la_code: str, custom: list[str] | None = None,
    *, source: str = "ofsted_mi",
) -> Areas:
    """The LA's name, region (as Ofsted's file spells it) and comparator LAs.

    The region is the LA's region in the neighbours workbook (``region``), found
    among the MI's Government Office Regions by ``region_key``; where the LA is not
    in the workbook, the region of its own schools in the MI. ``custom`` (the
    params' ``comparators``) replaces the ten current statistical neighbours.

    Raises
    ------
    InputError
        The LA has no school in the MI, or its region in the workbook matches no
        region in the MI.
    """
    own = mi[mi["la_code"] == la_code]
    if own.empty:
        raise InputError(Problem(source, f"LA code {la_code} has no schools in this Ofsted file", key="la_code"))
    mine = neighbours[(neighbours["la_code"] == la_code) & neighbours["current"]].sort_values("rank")
    la_name = str(mine["la_name"].iloc[0]) if not mine.empty else str(own["la_name"].mode().iloc[0])
    mi_regions = sorted(str(r) for r in mi["region"].dropna().unique())
    if not mine.empty:
        wanted = str(mine["region"].iloc[0])
        matches = [r for r in mi_regions if region_key(r) == region_key(wanted)]
        if not matches:
            raise InputError(Problem(
                "neighbours", f"region '{wanted}' of LA {la_code} is none of the regions in the Ofsted file "
                f"({', '.join(mi_regions)})", key="la_code"))
        region = matches[0]
    else:
        regions = own["region"].dropna()
        region = str(regions.mode().iloc[0]) if not regions.empty else None
    if custom:
        codes = tuple(c for c in custom if c != la_code)
        description = f"a custom list of {len(codes)} comparator LAs set in the params file"
    else:
        codes = tuple(mine["neighbour_code"])
        description = f"its {len(codes)} statistical neighbours (DfE children's services statistical neighbours)"
    present = set(mi["la_code"].dropna())
    missing = tuple(c for c in codes if c not in present)
    return Areas(la_code, la_name, region, codes, missing, description)


# --------------------------------------------------------------------------- each school's outcome
def predecessors(links: pd.DataFrame | None) -> pd.DataFrame:
    """Direct predecessor of each school, from GIAS links.

    Only the plain links GIAS records for an academy conversion, fresh start or
    re-registration (``config/gias.yaml``, ``links.plain``), as ``gias.lineage``
    follows by default: a merger or split joins schools that were separate.

    Parameters
    ----------
    links : GIAS links: ``urn``, ``link_urn``, ``link_type``, ``relation``
        (``predecessor``: ``link_urn`` is the school ``urn`` replaced;
        ``successor``: the other way round). None where there are no links.

    Returns
    -------
    DataFrame
        ``urn``, ``predecessor`` (both text), one row per pair, either direction
        of the file giving the same pair once.
    """
    if links is None or links.empty:
        return pd.DataFrame({"urn": pd.Series(dtype="string"), "predecessor": pd.Series(dtype="string")})
    plain = {normalise_header(t) for t in gias.config()["links"]["plain"]}
    links = links[links["link_type"].map(normalise_header).isin(plain).to_numpy()]
    relation = links["relation"].astype("string").str.lower()
    back = links.loc[relation.eq("predecessor").fillna(False).to_numpy(), ["urn", "link_urn"]]
    forward = links.loc[relation.eq("successor").fillna(False).to_numpy(), ["urn", "link_urn"]]
    pairs = pd.concat([
        back.rename(columns={"link_urn": "predecessor"}),
        forward.rename(columns={"urn": "predecessor", "link_urn": "urn"}),
    ], ignore_index=True).astype("string")
    return pairs.drop_duplicates().reset_index(drop=True)


def _carry(mi: pd.DataFrame, need: pd.Series, pairs: pd.DataFrame) -> pd.DataFrame:
    """For rows of ``mi`` flagged in ``need``, the latest inspection of a predecessor.

    Looks in the same snapshot and every earlier one (a predecessor usually
    leaves Ofsted's file when it closes). Where a school has several
    predecessors, the most recent inspection wins.

    Returns
    -------
    DataFrame
        Indexed like the rows of ``mi`` found: ``carried_from`` (the
        predecessor's URN) and the ``INSPECTION_FIELDS``.
    """
    rows = mi.loc[need.to_numpy(), ["urn", "as_at"]].rename_axis("row").reset_index()
    wanted = rows.merge(pairs, on="urn")
    if wanted.empty:
        return pd.DataFrame(columns=["carried_from", *INSPECTION_FIELDS])
    inspected = mi.loc[mi["framework"].notna().to_numpy(), ["urn", "as_at", *INSPECTION_FIELDS]]
    inspected = inspected.rename(columns={"urn": "predecessor", "as_at": "seen"})
    found = wanted.merge(inspected, on="predecessor")
    found = found[found["seen"] <= found["as_at"]]
    found = found.sort_values(["row", "seen", "inspection_date"], kind="stable").drop_duplicates("row", keep="last")
    return found.set_index("row").rename(columns={"predecessor": "carried_from"})[["carried_from", *INSPECTION_FIELDS]]


def equivalent_grade(rows: pd.DataFrame, good_equivalent: str) -> pd.Series:
    """Four-point grade of inspections from 2 September 2024 to 9 November 2025 (no overall grade).

    The worst of the key judgements the rule names (``config/inspections.yaml``,
    ``good_equivalent``), or inadequate where safeguarding was not effective; so
    a school is good or better exactly when those judgements are all good or
    better and safeguarding is effective.

    Returns
    -------
    Series
        Int64, missing where the row has none of the judgements.
    """
    judgements = config()["good_equivalent"][good_equivalent]["judgements"]
    worst = rows[judgements].astype("Float64").max(axis=1, skipna=True)
    unsafe = rows["safeguarding_effective"].astype("boolean").eq(False).fillna(False)
    worst = worst.mask(unsafe & worst.notna(), 4.0)
    return worst.round().astype("Int64")


def outcomes(
    mi: pd.DataFrame,
    *,
    good_equivalent: str = "all_key_judgements",
    not_inspected: str = "carry_predecessor",
    establishments: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each school's counted inspection and grade, per snapshot.

    A school's *own* inspection is one dated on or after the school opened
    (``establishments.open_date``; every inspection is its own where the school
    is not in the establishments list). Ofsted's file already shows a new
    academy with its predecessor's inspection; a school with no inspection in
    the file is given its predecessor's latest (``predecessors`` from ``links``)
    when ``not_inspected='carry_predecessor'``. With ``'exclude'`` only own
    inspections count.

    Parameters
    ----------
    mi : Ofsted MI rows (the tidy contract of ``sources.ofsted_mi``).
    good_equivalent : ``all_key_judgements`` or ``quality_and_leadership`` (``equivalent_grade``).
    not_inspected : ``carry_predecessor`` or ``exclude``.
    establishments : GIAS establishments (``urn``, ``open_date``), or None.
    links : GIAS links (``urn``, ``link_urn``, ``relation``), or None.

    Returns
    -------
    DataFrame
        The MI's columns (inspection fields replaced by the predecessor's where
        carried) and ``basis`` (``own``, ``predecessor``, ``none``: whose
        inspection the school's outcome is), ``carried_from`` (predecessor URN
        where this analysis carried it), ``counted`` (an inspection counts),
        ``grade`` (Int64 1-4: overall grade or its equivalent; missing for report
        cards and uncounted schools), ``equivalent`` (the grade comes from the
        key-judgement rule), ``good_or_better`` (bool), ``report_card`` (counted on
        a report card), ``in_category`` (counted inspection put it in a category).
    """
    out = mi.reset_index(drop=True)
    out["urn"] = out["urn"].astype("string")
    inspected = out["framework"].notna()
    early = pd.Series(False, index=out.index)
    if establishments is not None and not establishments.empty:
        opened = establishments.dropna(subset=["open_date"]).drop_duplicates("urn", keep="last")
        opened_on = out["urn"].map(opened.set_index(opened["urn"].astype("string"))["open_date"])
        early = (inspected & pd.to_datetime(out["inspection_date"]).lt(opened_on)).fillna(False).astype(bool)
    basis = pd.Series(np.where(early, "predecessor", np.where(inspected, "own", "none")), index=out.index,
                      dtype="string")
    out["carried_from"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if not_inspected == "carry_predecessor":
        found = _carry(out, ~inspected, predecessors(links))
        if not found.empty:
            for column in found.columns:
                out.loc[found.index, column] = found[column].to_numpy()
            basis.loc[found.index] = "predecessor"
        counted = basis.ne("none")
    else:
        counted = basis.eq("own")
    out["basis"] = basis
    out["counted"] = counted.astype(bool)
    framework = out["framework"].astype("string")
    grade = out["overall"].astype("Int64").where(framework.eq("overall").fillna(False))
    equivalent = framework.eq("key_judgements").fillna(False) & counted
    grade = grade.mask(equivalent, equivalent_grade(out, good_equivalent))
    out["grade"] = grade.where(counted).astype("Int64")
    out["equivalent"] = (equivalent & out["grade"].notna()).astype(bool)
    out["good_or_better"] = out["grade"].le(2).fillna(False).astype(bool)
    out["report_card"] = (framework.eq("report_card").fillna(False) & counted).astype(bool)
    out["in_category"] = (out["category"].notna() & counted).astype(bool)
    return out


# --------------------------------------------------------------------------- counts
def area_names(areas: Areas) -> dict[str, str]:
    """Area type -> the area's name in the tables (no region where the LA has none)."""
    names = {"la": areas.la_name, "region": areas.region, "statistical_neighbours": NEIGHBOURS_LABEL,
             "england": "England"}
    return {kind: name for kind, name in names.items() if name is not None}


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
        ``n_graded`` (with a four-point grade), ``pct_good_or_better`` (of graded,
        one decimal), ``pct_pupils_good_or_better`` (pupils in good or better
        schools as a % of pupils in graded schools with a pupil number; missing
        where there is none), ``n_inadequate``, ``n_category_of_concern`` (any
        framework), ``n_requires_improvement``, ``n_good``, ``n_outstanding``,
        ``n_good_or_better``, ``n_special_measures``, ``n_serious_weaknesses``,
        ``n_notice_to_improve``, ``n_equivalent_grade`` (graded by the
        key-judgement rule), ``n_predecessor_grade`` (counted on a predecessor's
        inspection), ``n_report_card`` (report cards, not graded),
        ``n_not_inspected`` (no inspection of their own, whether or not a
        predecessor's counts), ``pupils_graded``, ``pupils_good_or_better``.
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
        "n_equivalent_grade": rows["equivalent"].astype(int),
        "n_predecessor_grade": (rows["counted"] & rows["basis"].eq("predecessor")).astype(int),
        "n_report_card": rows["report_card"].astype(int),
        "n_not_inspected": rows["basis"].ne("own").astype(int),
        "pupils_graded": pupils.where(grade.notna()).astype("float64"),
        "pupils_good_or_better": pupils.where(rows["good_or_better"]).astype("float64"),
    })
    keys = ["as_at", "area_type", "area"]
    counts = [c for c in SUMMARY_COLUMNS if c.startswith("n_")]
    sums = {c: "sum" for c in counts}
    sums.update({"pupils_graded": lambda s: s.sum(min_count=1), "pupils_good_or_better": "sum"})
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
    for column in ("pupils_graded", "pupils_good_or_better"):
        table[column] = table[column].astype("Int64")
    table["as_at"] = pd.to_datetime(table["as_at"])
    return table[SUMMARY_COLUMNS].reset_index(drop=True)


def snapshot_at(dates: pd.Series, on_or_before: dt.date) -> pd.Timestamp | None:
    """The latest snapshot date on or before a date, or None."""
    earlier = pd.to_datetime(dates)[pd.to_datetime(dates) <= pd.Timestamp(on_or_before)]
    return None if earlier.empty else earlier.max()


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


# --------------------------------------------------------------------------- movement between inspections
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
    scale = {g: _code(label) for g, label in config()["report_card_grades"].items()}
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


def _code(label: str) -> str:
    """``Strong standard`` -> ``strong_standard``."""
    return re.sub(r"[^a-z]+", "_", label.lower()).strip("_")


# --------------------------------------------------------------------------- the section's analysis
@dataclass
class Inspections:
    """Everything the section shows (built by ``analyse``)."""

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
    anonymiser: disclosure.Anonymiser
    threshold: int

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee


@shared_analysis("inspections")
def analyse(inputs: Inputs) -> Inspections:
    """Run the section's analysis on the period's inputs (``build`` on the loaded frames).

    Uses ``ofsted_mi``, ``neighbours``, and where registered ``establishments``
    and ``establishment_links``; the params' ``la_code``, ``as_at``,
    ``comparators``, ``since``, ``inspections`` settings, audience and
    suppression threshold.

    Raises
    ------
    InputError
        As ``build``, naming the Ofsted files.
    """
    from ...inputs import SPECS

    params = inputs.params
    optional = {key: inputs.get(key) if key in SPECS else None for key in ("establishments", "establishment_links")}
    return build(
        inputs.get("ofsted_mi"), inputs.get("neighbours"), la_code=params.la_code, as_at=params.as_at,
        since=params.since, settings=params.inspections, comparators=params.comparators,
        establishments=optional["establishments"], links=optional["establishment_links"],
        anonymiser=disclosure.anonymiser(inputs), threshold=params.suppression_threshold,
        source=", ".join(str(f.path) for f in inputs.files("ofsted_mi")),
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
    """Every table of the section from the loaded frames.

    Parameters
    ----------
    mi : Ofsted MI snapshots; those after ``as_at`` are ignored.
    neighbours : the statistical neighbours workbook (``sources.neighbours``).
    since : as-at date of the previous report.
    settings : the params' inspection counting rules.
    anonymiser : names or labels schools (``disclosure.anonymiser``).
    threshold : committee mode suppresses counts below this.
    comparators, establishments, links : as in ``comparison_areas`` and ``outcomes``.

    Raises
    ------
    InputError
        No snapshot as at or before ``as_at``, or the LA not in the file.
    """
    mi = mi[pd.to_datetime(mi["as_at"]) <= pd.Timestamp(as_at)]
    if mi.empty:
        raise InputError(Problem(source, f"no Ofsted snapshot as at or before {as_at}", key="data.ofsted_mi"))
    areas = comparison_areas(mi, neighbours, la_code, comparators, source=source)
    out = outcomes(mi, good_equivalent=settings.good_equivalent, not_inspected=settings.not_inspected,
                   establishments=establishments, links=links)
    lineage = dict(gias.lineage(links).itertuples(index=False, name=None)) if links is not None else {}
    table = summary(out, areas)
    return Inspections(
        areas=areas, settings=settings, as_at=table["as_at"].max(), first_as_at=table["as_at"].min(),
        since=since, outcomes=out, summary=table, changes=change_since(table, since),
        transitions=transitions(out, la_code), transition_counts=transition_counts(out, la_code),
        became_good=became_good(out, la_code, lineage), report_cards=report_cards(out, areas),
        schools=inspected_since(out, la_code, since, lineage), anonymiser=anonymiser, threshold=threshold,
    )


# --------------------------------------------------------------------------- words
def _pct(value: object) -> str:
    return "not available" if value is None or pd.isna(value) else f"{float(value):.0f}%"


def _count(result: Inspections, n: int, noun: str = "") -> str:
    """A count as a sentence gives it; in committee mode a small one is 'fewer than N'."""
    return disclosure.count_text(n, threshold=result.threshold, committee=result.committee, noun=noun)


def _schools(n: int, adjective: str = "") -> str:
    """'1 graded school', '52 graded schools'."""
    return f"{n:,} {adjective + ' ' if adjective else ''}school{'s' * (n != 1)}"


def _is(result: Inspections, n: int) -> str:
    """The verb after a count: 'is' for exactly one school (shown), else 'are'."""
    return "is" if n == 1 and not (result.committee and result.threshold > 1) else "are"


def _row(result: Inspections, area_type: str, group: str = "all", as_at: pd.Timestamp | None = None) -> dict:
    table = result.summary
    pick = table[(table["as_at"] == (result.as_at if as_at is None else as_at)) & (table["area_type"] == area_type)
                 & (table["group"] == group)]
    return pick.iloc[0].to_dict() if not pick.empty else {}


def _small(result: Inspections, row: Mapping[str, Any]) -> bool:
    """In committee mode, a group of fewer graded schools than the threshold gives no percentage."""
    return result.committee and 0 < int(row.get("n_graded", 0)) < result.threshold


def _change_words(change: object, previous: object) -> str:
    if previous is None or pd.isna(previous):
        return ""
    if change is None or pd.isna(change):
        return ""
    size = round(abs(float(change)))
    file = f"(Ofsted's file as at {when(previous)})"
    if size == 0:
        return f"the same as at the last report {file}"
    return f"{'up' if change > 0 else 'down'} {size} point{'s' * (size != 1)} since the last report {file}"


def _benchmarks(result: Inspections, column: str, group: str = "all") -> str:
    """', against 90% in England, 88% in East Midlands and 88% across its statistical neighbours'."""
    parts = []
    for area_type, words in (("england", "in England"), ("region", "in {area}"),
                             ("statistical_neighbours", "across its statistical neighbours")):
        row = _row(result, area_type, group)
        if row and not pd.isna(row[column]):
            parts.append(f"{_pct(row[column])} {words.format(area=row['area'])}")
    if not parts:
        return ""
    return ", against " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


def _good_words(row: Mapping[str, Any]) -> str:
    return "good or better" if row.get("n_equivalent_grade", 0) else "good or outstanding"


def headline_sentence(result: Inspections) -> str:
    """'87% of Leicestershire's 262 graded schools are good or outstanding, against ...; up 2 points since ...'."""
    row = _row(result, "la")
    name = result.areas.la_name
    if not row.get("n_graded"):
        return f"None of {name}'s schools has a grade on the four-point scale as at {when(result.as_at)}."
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    since = _change_words(change["change"], change["previous_as_at"])
    if not pd.isna(change["previous_as_at"]) and change["previous_as_at"] == result.as_at:
        since = f"the last report used the same Ofsted file (as at {when(result.as_at)})"
    elif pd.isna(change["previous_as_at"]):
        since = f"no Ofsted file as old as the last report ({when(result.since)}) is in the pack to compare with"
    text = (f"{_pct(row['pct_good_or_better'])} of {name}'s {_count(result, int(row['n_graded']))} graded schools are "
            f"{_good_words(row)} as at {when(result.as_at)}{_benchmarks(result, 'pct_good_or_better')}")
    return text + (f"; {since}." if since else ".")


def pupils_sentence(result: Inspections) -> str:
    """The share of pupils in good or better schools, or why it is not available."""
    row = _row(result, "la")
    if not row["n_graded"]:
        return "With no graded school, there is no share of pupils in good or better schools."
    if pd.isna(row["pct_pupils_good_or_better"]):
        return (f"Ofsted's file as at {when(result.as_at)} gives no pupil numbers, so the share of pupils in good "
                "or better schools is not available.")
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    since = _change_words(change["change_pupils"], change["previous_as_at"]) \
        if change["previous_as_at"] != result.as_at else ""
    text = (f"{_pct(row['pct_pupils_good_or_better'])} of pupils in {result.areas.la_name}'s graded schools attend a "
            f"{_good_words(row)} school{_benchmarks(result, 'pct_pupils_good_or_better')}")
    return text + (f"; {since}." if since else ".")


def concern_sentence(result: Inspections) -> str:
    """Schools in a category of concern (by category), inadequate and requiring improvement, against England."""
    row, england = _row(result, "la"), _row(result, "england")
    name = result.areas.la_name
    n = int(row["n_category_of_concern"])
    kinds = [f"{label.lower()} {_count(result, int(row[f'n_{k}']))}" for k, label in config()["categories"].items()
             if row[f"n_{k}"]]
    detail = f" ({', '.join(kinds)})" if kinds else ""
    share = ""
    national = f"{100 * england['n_category_of_concern'] / england['n_schools']:.1f}% in England"
    if n == 0:
        share = f" (against {national})"
    elif row["n_schools"] and not (result.committee and n < result.threshold):
        share = f", {100 * n / row['n_schools']:.1f}% of its schools against {national}"
    inadequate, improvement = int(row["n_inadequate"]), int(row["n_requires_improvement"])
    lead = (f"None of {name}'s {_count(result, int(row['n_schools']))} schools is" if n == 0 else
            f"{_count(result, n)} of {name}'s {_count(result, int(row['n_schools']))} schools {_is(result, n)}")
    return (f"{lead} in an Ofsted category of concern{detail}{share}; {_count(result, inadequate)} "
            f"{_is(result, inadequate)} "
            f"inadequate and {_count(result, improvement)} "
            f"{'requires' if _is(result, improvement) == 'is' else 'require'} improvement.")


def counting_sentence(result: Inspections) -> str:
    """How the LA's schools are counted: graded, on a predecessor's inspection, report cards, not inspected."""
    row = _row(result, "la")
    name = result.areas.la_name
    parts = []
    if row["n_equivalent_grade"]:
        parts.append(f"{_count(result, int(row['n_equivalent_grade']))} inspected from September 2024 "
                     "have a grade by the key-judgement rule below")
    if row["n_predecessor_grade"]:
        parts.append(f"{_count(result, int(row['n_predecessor_grade']))} not yet inspected in their current form "
                     "count with the inspection of the school they replaced")
    excluded = int(row["n_not_inspected"]) - int(row["n_predecessor_grade"])
    if excluded:
        if result.settings.not_inspected == "exclude":
            parts.append(f"{_count(result, excluded)} not yet inspected in their current form are left out, "
                         "as the params ask")
        else:
            parts.append(f"{_count(result, excluded)} have no inspection of their own or of a predecessor")
    if row["n_report_card"]:
        parts.append(f"{_count(result, int(row['n_report_card']))} with a report card are not graded on the "
                     "four-point scale and are reported separately below")
    text = (f"Of {name}'s {_count(result, int(row['n_schools']))} schools, {_count(result, int(row['n_graded']))} "
            f"{'has' if _is(result, int(row['n_graded'])) == 'is' else 'have'} a grade")
    return text + (": " + "; ".join(parts) if parts else "") + "."


def introduction(result: Inspections) -> str:
    """Which snapshots and comparators the section uses."""
    areas = result.areas
    snapshots = result.summary["as_at"].drop_duplicates().sort_values()
    files = (f"{len(snapshots)} snapshots of Ofsted's management information, {when(snapshots.iloc[0])} to "
             f"{when(snapshots.iloc[-1])}" if len(snapshots) > 1 else
             f"Ofsted's management information as at {when(snapshots.iloc[0])}")
    region = f", {areas.region}" if areas.region else ""
    missing = (f" Ofsted's file has no schools for comparator LA {', '.join(areas.missing_neighbours)}."
               if areas.missing_neighbours else "")
    return (f"From {files}. {areas.la_name} is compared with England{region} and {areas.description}, "
            f"whose schools are counted together.{missing}")


def headline_tiles(result: Inspections) -> list[dict[str, str]]:
    """Tiles: % of graded schools good or better, % of pupils in them, schools in a category of concern."""
    row, england = _row(result, "la"), _row(result, "england")
    sn = _row(result, "statistical_neighbours")
    n = int(row["n_category_of_concern"])
    value = disclosure.SUPPRESSED if result.committee and 0 < n < result.threshold else f"{n:,}"
    national = 100 * england["n_category_of_concern"] / england["n_schools"] if england.get("n_schools") else np.nan
    return [
        {"key": "inspections_good_or_better", "label": "Graded schools good or better",
         "value": _pct(row["pct_good_or_better"]),
         "detail": f"England {_pct(england['pct_good_or_better'])}; neighbours {_pct(sn.get('pct_good_or_better'))}"},
        {"key": "inspections_pupils_good_or_better", "label": "Pupils in good or better schools",
         "value": _pct(row["pct_pupils_good_or_better"]),
         "detail": f"England {_pct(england['pct_pupils_good_or_better'])}"},
        {"key": "inspections_category_of_concern", "label": "Schools in a category of concern",
         "value": value, "detail": f"of {row['n_schools']:,} schools; England {national:.1f}% of schools"},
    ]


def method_points(result: Inspections) -> list[str]:
    """The counting rules in force, for the report (from the params and ``config/inspections.yaml``)."""
    settings = result.settings
    return [
        "Good or better: the latest overall effectiveness grade, outstanding or good, as a share of the schools "
        "with a grade; schools in special measures, with serious weaknesses or (before 2015) a notice to improve "
        "are in a category of concern.",
        config()["good_equivalent"][settings.good_equivalent]["text"],
        config()["report_cards"],
        config()["not_inspected"][settings.not_inspected],
        config()["pupils"],
        f"Region: the LA's region in the statistical neighbours workbook ({result.areas.region or 'none'} in "
        "Ofsted's file). Statistical neighbours: all the schools of the comparator LAs counted together, not an "
        "average of their percentages.",
    ]


# --------------------------------------------------------------------------- the page
def _suppressed(result: Inspections, frame: pd.DataFrame, counts: list[str],
                dependents: Mapping[str, list[str]] | None = None) -> pd.DataFrame:
    return disclosure.suppress(frame, counts, threshold=result.threshold, dependents=dependents,
                               committee=result.committee)


_SUMMARY_COUNTS = [c for c in SUMMARY_COLUMNS if c.startswith("n_")]
_SUMMARY_SHARES = ["pct_good_or_better", "pct_pupils_good_or_better", "pupils_graded", "pupils_good_or_better"]
_SUMMARY_DEPENDENTS = {"n_graded": _SUMMARY_SHARES, "n_schools": _SUMMARY_SHARES}


def summary_csv(result: Inspections) -> pd.DataFrame:
    """``inspections__summary.csv``: the summary, small counts suppressed in committee mode."""
    return _suppressed(result, result.summary, _SUMMARY_COUNTS, _SUMMARY_DEPENDENTS)


def show_comparison(section: Section, result: Inspections) -> None:
    """The LA against its region, statistical neighbours and England, latest snapshot, all schools.

    Shows the headline sentences and the comparison table; writes
    ``tables/inspections__summary.csv`` (every snapshot, area and group).
    """
    section.say(headline_sentence(result))
    section.say(pupils_sentence(result))
    section.say(concern_sentence(result))
    section.say(counting_sentence(result))
    rows = result.summary[(result.summary["as_at"] == result.as_at) & (result.summary["group"] == "all")]
    change = result.changes[result.changes["group"] == "all"].set_index("area_type")["change"]
    shown = rows[["area", "n_schools", "n_graded", "pct_good_or_better", "pct_pupils_good_or_better",
                  "n_requires_improvement", "n_inadequate", "n_category_of_concern"]].copy()
    shown["change"] = rows["area_type"].map(change).to_numpy()
    shown = _suppressed(result, shown, ["n_schools", "n_graded", "n_requires_improvement", "n_inadequate",
                                        "n_category_of_concern"], _SUMMARY_DEPENDENTS | {"n_graded": [
                                            "pct_good_or_better", "pct_pupils_good_or_better", "change"]})
    previous = result.changes["previous_as_at"].iloc[0]
    section.show(
        shown, "summary", caption=f"Ofsted grades of {result.areas.la_name}'s schools and its benchmarks, as at "
        f"{when(result.as_at)}",
        formats={"pct_good_or_better": "pct0", "pct_pupils_good_or_better": "pct0", "change": "signed0"},
        labels={"area": "Area", "n_schools": "Schools", "n_graded": "Graded", "pct_good_or_better":
                "% good or better", "pct_pupils_good_or_better": "% of pupils", "n_requires_improvement":
                "Requires improvement", "n_inadequate": "Inadequate", "n_category_of_concern": "In a category",
                "change": "Change"},
        notes=("% of pupils: pupils in good or better schools, of pupils in graded schools. In a category: of "
               "concern. Statistical neighbours: all their schools together. Change: in % good or better, "
               "percentage points since "
               + (f"the snapshot as at {when(previous)}." if not pd.isna(previous) else "the last report (no snapshot "
                  "that old in the pack).")
               + " The pack's table inspections__summary.csv has every snapshot, area, phase and governance group."),
        csv=summary_csv(result),
    )


def _trend_frame(result: Inspections, column: str) -> pd.DataFrame:
    table = result.summary[result.summary["group"] == "all"]
    wide = table.pivot(index="as_at", columns="area_type", values=column).sort_index()
    frame = pd.DataFrame({"year_label": [pd.Timestamp(d).strftime("%b %Y") for d in wide.index]})
    for area_type, series in (("la", "la_value"), ("england", "england"), ("region", "region"),
                              ("statistical_neighbours", "sn_mean")):
        frame[series] = wide[area_type].to_numpy(dtype=float) if area_type in wide else np.nan
    return frame


def trend_sentence(result: Inspections) -> str:
    """How % good or better moved from the first to the latest snapshot, LA and England."""
    first, last = result.first_as_at, result.as_at
    if first == last:
        return f"The pack has one Ofsted snapshot ({when(last)}), so there is no trend to show yet."
    la0, la1 = _row(result, "la", as_at=first), _row(result, "la")
    en0, en1 = _row(result, "england", as_at=first), _row(result, "england")
    return (f"From {when(first)} to {when(last)} the share of {result.areas.la_name}'s graded schools that are good "
            f"or better went from {_pct(la0['pct_good_or_better'])} to {_pct(la1['pct_good_or_better'])}; in England "
            f"from {_pct(en0['pct_good_or_better'])} to {_pct(en1['pct_good_or_better'])}.")


def show_trend(section: Section, result: Inspections) -> None:
    """Line charts of % good or better (and % of pupils, where known) across the snapshots."""
    areas = result.areas
    labels = {"la_value": areas.la_name, "england": "England"}
    if areas.region:
        labels["region"] = areas.region
    labels["sn_mean"] = f"{NEIGHBOURS_LABEL} (pooled)"
    section.say(trend_sentence(result))
    frame = _trend_frame(result, "pct_good_or_better")
    first = frame["la_value"].iloc[0]
    fig = charts.trend_chart(frame, title="Graded schools that are good or better", y_label="% of graded schools",
                             labels=labels)
    section.figure(fig, caption=f"% of graded schools good or better at each Ofsted snapshot: {areas.la_name}, "
                                f"England, {areas.region or 'the region'} and its statistical neighbours",
                   alt=f"Line chart of the % of graded schools that are good or better at {len(frame)} snapshots from "
                       f"{frame['year_label'].iloc[0]} to {frame['year_label'].iloc[-1]}. {areas.la_name} went from "
                       f"{_pct(first)} to {_pct(frame['la_value'].iloc[-1])}; England from "
                       f"{_pct(frame['england'].iloc[0])} to {_pct(frame['england'].iloc[-1])}.")
    pupils = _trend_frame(result, "pct_pupils_good_or_better").dropna(subset=["la_value"]).reset_index(drop=True)
    if len(pupils) >= 2:
        fig = charts.trend_chart(pupils, title="Pupils in good or better schools", y_label="% of pupils",
                                 labels=labels)
        section.figure(fig, caption=f"% of pupils in good or better schools at each snapshot with pupil numbers: "
                                    f"{areas.la_name} and its benchmarks",
                       alt=f"Line chart of the % of pupils in good or better schools at {len(pupils)} snapshots. "
                           f"{areas.la_name} went from {_pct(pupils['la_value'].iloc[0])} to "
                           f"{_pct(pupils['la_value'].iloc[-1])}; England from {_pct(pupils['england'].iloc[0])} to "
                           f"{_pct(pupils['england'].iloc[-1])}.")
    elif len(pupils) < len(frame):
        section.say("Pupil numbers are not in every snapshot (Ofsted's files before May 2014 have none), so there is "
                    "no trend in the share of pupils to show.")


def breakdown_points(result: Inspections) -> list[str]:
    """One line per phase and governance group of the LA: % good or better against England."""
    lines = []
    for group in groups()[1:]:
        row, england = _row(result, "la", group), _row(result, "england", group)
        if not row or not row["n_schools"]:
            continue
        if not row["n_graded"]:
            lines.append(f"{group_label(group)}: none of its {_count(result, int(row['n_schools']), 'schools')} "
                         "has a grade.")
            continue
        if _small(result, row):
            lines.append(f"{group_label(group)}: fewer than {result.threshold} graded schools, so no percentage is "
                         "shown.")
            continue
        lines.append(f"{group_label(group)}: {_pct(row['pct_good_or_better'])} of {_schools(row['n_graded'], 'graded')} "
                     f"good or better (England {_pct(england.get('pct_good_or_better'))}); "
                     f"{_count(result, int(row['n_category_of_concern']))} in a category of concern.")
    return lines


def show_breakdown(section: Section, result: Inspections) -> None:
    """% good or better by phase and by governance, the LA against its benchmarks (table and chart)."""
    table = result.summary[(result.summary["as_at"] == result.as_at) & (result.summary["group"] != "all")]
    la = table[table["area_type"] == "la"].set_index("group")
    la = la[la["n_schools"] > 0]
    shown = pd.DataFrame({"group": [group_label(g) for g in la.index], "n_schools": la["n_schools"].to_numpy(),
                          "n_graded": la["n_graded"].to_numpy(),
                          "n_category_of_concern": la["n_category_of_concern"].to_numpy(),
                          "la": la["pct_good_or_better"].to_numpy()})
    names = area_names(result.areas)
    for area_type in ("region", "statistical_neighbours", "england"):
        if area_type in names:
            other = table[table["area_type"] == area_type].set_index("group")["pct_good_or_better"]
            shown[area_type] = other.reindex(la.index).to_numpy()
    shown = _suppressed(result, shown, ["n_schools", "n_graded", "n_category_of_concern"], {"n_graded": ["la"]})
    section.points(breakdown_points(result))
    section.show(shown, "groups", caption=f"% of graded schools good or better by phase and governance, as at "
                                          f"{when(result.as_at)}",
                 formats={area_type: "pct0" for area_type in AREA_TYPES},
                 labels={"group": "Schools", "n_schools": "Number", "n_graded": "Graded",
                         "n_category_of_concern": "In a category", **names, "statistical_neighbours": "Neighbours"},
                 notes=f"Number, graded and in a category: {result.areas.la_name}'s schools. The table "
                       "inspections__groups.csv also has the pupil percentages and every count for every area.",
                 csv=_suppressed(result, table, _SUMMARY_COUNTS, _SUMMARY_DEPENDENTS))
    fig = _groups_chart(table, la.index.tolist(), result.areas)
    section.figure(fig, caption=f"% of graded schools good or better by phase and governance: {result.areas.la_name} "
                                "against England and its statistical neighbours",
                   alt="Bar chart of the % of graded schools that are good or better in each phase and governance "
                       "group. " + " ".join(breakdown_points(result)))


def _groups_chart(table: pd.DataFrame, group_codes: list[str], areas: Areas) -> plt.Figure:
    """Horizontal bars per group: the LA, its neighbours (pooled) and England."""
    height = max(2.6, 0.55 * len(group_codes) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    series = [("la", areas.la_name, charts.SERIES_COLOURS["la"]),
              ("statistical_neighbours", NEIGHBOURS_LABEL, charts.SERIES_COLOURS["neighbours"]),
              ("england", "England", charts.SERIES_COLOURS["england"])]
    y = np.arange(len(group_codes))[::-1]
    width = 0.26
    for offset, (area_type, name, colour) in enumerate(series):
        values = table[table["area_type"] == area_type].set_index("group")["pct_good_or_better"]
        values = values.reindex(group_codes).to_numpy(dtype=float)
        ax.barh(y + (1 - offset) * width, values, height=width, color=colour, label=name)
    ax.set_yticks(y, [group_label(g) for g in group_codes])
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("% of graded schools good or better")
    ax.set_title("Good or better by phase and governance")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def transition_sentences(result: Inspections) -> list[str]:
    """Improved, same, declined between the previous and latest inspection; schools that became good."""
    counts = result.transition_counts
    name = result.areas.la_name
    total = counts["improved"] + counts["same"] + counts["declined"]
    lines = [f"None of {name}'s schools has a grade from both its previous and latest inspection." if not total else
             f"Of the {_count(result, total)} {name} schools with a grade from both their previous and latest "
             f"inspection, {_count(result, counts['improved'])} improved, {_count(result, counts['same'])} kept "
             f"the same grade and {_count(result, counts['declined'])} declined."]
    left = []
    if counts["equivalent"]:
        left.append(f"{_count(result, counts['equivalent'])} of these latest grades come from the key-judgement "
                    "rule (inspections from September 2024)")
    if counts["no_previous"]:
        left.append(f"{_count(result, counts['no_previous'])} graded schools have no previous grade in the file")
    if counts["report_card"]:
        left.append(f"{_count(result, counts['report_card'])} schools with a report card are not in the table")
    if left:
        text = "; ".join(left)
        lines.append(text[0].upper() + text[1:] + ".")
    moved = result.became_good["movement"].value_counts()
    if result.first_as_at != result.as_at:
        lines.append(f"Since {when(result.first_as_at)} (the first snapshot in this pack), schools that have "
                     f"become good or better from requires improvement or inadequate: "
                     f"{_count(result, int(moved.get('became_good', 0)))}; schools no longer good or better: "
                     f"{_count(result, int(moved.get('no_longer_good', 0)))}.")
    return lines


def show_transitions(section: Section, result: Inspections) -> None:
    """The 4x4 table of previous against latest grade; writes ``tables/inspections__transitions.csv``."""
    for line in transition_sentences(result):
        section.say(line)
    counts = ["to_outstanding", "to_good", "to_requires_improvement", "to_inadequate", "total"]
    table = _suppressed(result, result.transitions, counts)
    shown = table.drop(columns=["as_at", "previous_grade"])
    section.show(shown, "transitions",
                 caption=f"{result.areas.la_name}'s schools by previous and latest grade, as at {when(result.as_at)}",
                 formats={c: "int" for c in counts},
                 labels={"previous": "Previous inspection", "to_outstanding": "Now outstanding",
                         "to_good": "Now good", "to_requires_improvement": "Now requires improvement",
                         "to_inadequate": "Now inadequate", "total": "Total"},
                 notes="Rows: grade at the previous inspection; columns: grade at the latest. Above the diagonal "
                       "improved, below it declined.", csv=table)


def report_card_sentences(result: Inspections) -> list[str]:
    """How many schools have a report card, and safeguarding met, in the LA and England."""
    cards = result.report_cards
    la, england = _row(result, "la"), _row(result, "england")
    if cards.empty or not la["n_report_card"]:
        where = "England" if cards.empty else result.areas.la_name
        return [f"No school in {where} had a report card by {when(result.as_at)} (report cards started on "
                "10 November 2025), so every inspection here is on the four-point scale."]
    lines = [f"{_count(result, int(la['n_report_card']))} of {result.areas.la_name}'s schools have a report card "
             f"(England {int(england['n_report_card']):,}). Report cards grade each evaluation area on a five-point "
             "scale and have no overall grade, so these schools are not in the % good or better."]
    safe = cards[(cards["evaluation_area"] == "safeguarding") & (cards["area_type"] == "la")].set_index("outcome")
    national = cards[(cards["evaluation_area"] == "safeguarding") & (cards["area_type"] == "england")]
    national_met = national.set_index("outcome")["pct"].get("met", np.nan)
    lines.append(f"Safeguarding was met in {_count(result, int(safe.at['met', 'n_schools']))} and not met in "
                 f"{_count(result, int(safe.at['not_met', 'n_schools']))} of them (England: met in "
                 f"{_pct(national_met)}).")
    return lines


def show_report_cards(section: Section, result: Inspections) -> None:
    """The distribution of each report-card area for the LA, against England; safeguarding met or not."""
    for line in report_card_sentences(result):
        section.say(line)
    cards = result.report_cards
    if cards.empty or not _row(result, "la")["n_report_card"]:
        return
    outcomes_ = [_code(label) for label in config()["report_card_grades"].values()]
    la = cards[(cards["area_type"] == "la") & (cards["evaluation_area"] != "safeguarding")]
    wide = la.pivot(index="evaluation_area", columns="outcome", values="n_schools")
    wide = wide.reindex(index=list(config()["report_card_areas"]), columns=outcomes_).fillna(0).astype(int)
    wide = wide[wide.sum(axis=1) > 0]
    england = cards[(cards["area_type"] == "england")].copy()
    england["ok"] = england["outcome"].isin(outcomes_[:3])
    share = england[england["ok"]].groupby("evaluation_area")["pct"].sum()
    shown = pd.DataFrame({"evaluation_area": [config()["report_card_areas"][a] for a in wide.index]})
    for outcome in outcomes_:
        shown[outcome] = wide[outcome].to_numpy()
    shown["england"] = share.reindex(wide.index).to_numpy()
    shown = _suppressed(result, shown, outcomes_)
    labels = {"evaluation_area": "Evaluation area", "england": "England: % expected or above",
              **{_code(v): v for v in config()["report_card_grades"].values()}}
    section.show(shown, "report_cards", caption=f"Report-card grades of {result.areas.la_name}'s schools by "
                                                f"evaluation area, as at {when(result.as_at)}",
                 formats={**{o: "int" for o in outcomes_}, "england": "pct0"}, labels=labels,
                 notes="Number of schools at each grade. Early years and sixth form apply only to schools that "
                       "have them.",
                 csv=_suppressed(result, cards, ["n_schools"], {"n_schools": ["pct"]}))
    fig = _cards_chart(wide)
    section.figure(fig, caption=f"Report-card grades of {result.areas.la_name}'s schools by evaluation area",
                   alt="Stacked bar chart of the number of schools at each report-card grade, from exceptional to "
                       "urgent improvement, for each evaluation area: " + "; ".join(
                           f"{config()['report_card_areas'][a]}: " + ", ".join(
                               f"{n} {config()['report_card_grades'][g + 1].lower()}" for g, n in enumerate(values)
                               if n) for a, values in zip(wide.index, wide.to_numpy().tolist(), strict=True)) + ".")


def _cards_chart(wide: pd.DataFrame) -> plt.Figure:
    """Stacked horizontal bars: schools at each report-card grade per evaluation area."""
    colours = ["#12436D", "#2073BC", "#6BACE6", "#F46A25", "#801650"]  # exceptional .. urgent improvement
    height = max(2.6, 0.45 * len(wide) + 1.4)
    fig, ax = plt.subplots(figsize=(7.5, height))
    y = np.arange(len(wide))[::-1]
    left = np.zeros(len(wide))
    for n, (grade, label) in enumerate(config()["report_card_grades"].items()):
        values = wide.iloc[:, n].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=colours[int(grade) - 1], label=label, height=0.6)
        left += values
    ax.set_yticks(y, [config()["report_card_areas"][a] for a in wide.index])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("number of schools")
    ax.set_title("Report-card grades by evaluation area")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def last_report_file(result: Inspections) -> pd.Timestamp:
    """Date of the Ofsted file the last report used (latest snapshot on or before ``since``), else ``since``."""
    previous = snapshot_at(result.summary["as_at"], result.since)
    return pd.Timestamp(result.since) if previous is None else previous


def schools_sentence(result: Inspections) -> str:
    """How many of the LA's schools were inspected since the last report's file, and how their grades moved."""
    schools = result.schools
    start = when(last_report_file(result))
    if schools.empty:
        return (f"No school in {result.areas.la_name} had an inspection of its own between {start} (the Ofsted file "
                f"the last report used) and {when(result.as_at)}.")
    moved = schools["change"].value_counts()
    words = config()["changes_said"]
    parts = [f"{_count(result, int(moved[k]))} {words[k]}" for k in words if moved.get(k)]
    return (f"{_count(result, len(schools), 'schools' if len(schools) != 1 else 'school')} in "
            f"{result.areas.la_name} had an inspection of their own between {start} (the Ofsted file the last "
            f"report used) and {when(result.as_at)}: " + ", ".join(parts) + ".")


def schools_table(result: Inspections) -> pd.DataFrame:
    """The schools inspected since the last report, named (internal) or labelled School A, B (committee).

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS`` with ``school_name`` replaced by the label in committee
        mode and ``urn`` dropped there.
    """
    return result.anonymiser.apply(result.schools)


def show_schools(section: Section, result: Inspections) -> None:
    """The schools whose grade changed since the last report; writes ``tables/inspections__schools.csv``."""
    section.say(schools_sentence(result))
    table = schools_table(result)
    if table.empty:
        return
    words = config()["changes"]
    shown = table.assign(
        grade_before=table["grade_before"].map(grade_label), grade_now=[
            "Report card" if c == "report_card" else grade_label(g) for g, c in
            zip(table["grade_now"], table["change"], strict=True)],
        change=table["change"].map(words), category=table["category"].map(
            lambda c: config()["categories"].get(c, "") if isinstance(c, str) else ""),
        phase=table["phase"].map(lambda p: config()["school_labels"].get(p, p)),
        governance=table["governance"].map(lambda g: config()["school_labels"].get(g, g)),
    ).drop(columns=["framework"] + (["urn"] if "urn" in table else []))
    section.show(shown, "schools", caption=f"{result.areas.la_name}'s schools inspected since the Ofsted file the "
                                           f"last report used ({when(last_report_file(result))}), declined first",
                 formats={"inspection_date": "date"},
                 labels={"school_name": "School", "phase": "Phase", "governance": "Governance",
                         "inspection_date": "Inspected", "grade_before": "Grade at last report",
                         "grade_now": "Grade now", "change": "Change", "category": "Category"},
                 notes="Grade at last report: in the Ofsted file the last report used (the previous inspection's "
                       "grade where that file does not list the school). Grades from September 2024 follow the "
                       "key-judgement rule below.", csv=table)
