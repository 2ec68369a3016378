"""Which inspection each school is counted on, and its grade, per snapshot of Ofsted's MI.

Reads the tidy rows of ``sources.ofsted_mi`` (one per school per snapshot) with
GIAS: the comparison areas (``comparison_areas``), a school's own inspection
or its predecessor's (``outcomes``, ``predecessors``), the key-judgement rule's
separate figure (``equivalent_grade``), and the labels of areas and
groups of schools the tables use.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...config import load_config
from ...errors import InputError, Problem
from ...normalise import place_key, text_key
from ...schools import followed_links, successions

#: Comparison areas, in table order.
AREA_TYPES = ["la", "region", "statistical_neighbours", "england"]
#: Fields of one inspection, carried together from a predecessor.
INSPECTION_FIELDS = [
    "inspection_date", "framework", "overall", "category", "quality_of_education", "behaviour_and_attitudes",
    "personal_development", "leadership_and_management", "safeguarding_effective", "inclusion",
    "curriculum_and_teaching", "achievement", "attendance_and_behaviour", "personal_development_and_wellbeing",
    "leadership_and_governance", "early_years", "sixth_form", "safeguarding_met", "previous_inspection_date",
    "previous_overall", "previous_category",
]
NEIGHBOURS_LABEL = "Statistical neighbours"


@functools.cache
def config() -> dict[str, Any]:
    """The section's labels and rule texts (``config/inspections.yaml``)."""
    return load_config("inspections")


def group_label(group: str) -> str:
    """``academy`` -> ``Academies and free schools``."""
    return config()["groups"][group]


def groups() -> list[str]:
    """Group codes in table order: ``all``, the phases, then governance."""
    return list(config()["groups"])


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
    """A region name as compared between files (``normalise.place_key``).

    ``Yorkshire and The Humber`` and ``Yorkshire and the Humber`` compare equal;
    Inner and Outer London (as the neighbours workbook names them) are first
    mapped to London (``region_aliases`` in ``config/inspections.yaml``).
    """
    aliases = {text_key(k): v for k, v in config()["region_aliases"].items()}
    return place_key(aliases.get(text_key(name), name))


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
        description = f"a list of {len(codes)} comparator LAs chosen for this report"
    else:
        codes = tuple(mine["neighbour_code"])
        description = f"its {len(codes)} statistical neighbours (DfE children's services statistical neighbours)"
    present = set(mi["la_code"].dropna())
    missing = tuple(c for c in codes if c not in present)
    return Areas(la_code, la_name, region, codes, missing, description)


# --------------------------------------------------------------------------- each school's outcome
def predecessors(links: pd.DataFrame | None) -> pd.DataFrame:
    """Direct predecessor of each school, from GIAS links.

    Only the links a school is followed along (``schools.followed_links``): GIAS's plain
    links for an academy conversion, fresh start or re-registration; a merger or split
    joins schools that were separate.

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
    pairs = successions(followed_links(links))
    return pairs.rename(columns={"urn": "predecessor", "successor": "urn"})[["urn", "predecessor"]]


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
    """The key-judgement rule's grade for inspections from 2 September 2024 to 9 November 2025.

    Those inspections have no overall grade; this is a separate figure, labelled
    as the rule's, and is never merged into the legacy overall grade.

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
    is not in the establishments list) and, where Ofsted's file says whose
    inspection it is (``inspected_urn``, the current layout), of its own URN. Ofsted's file already shows a new
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
        ``grade`` (Int64 1-4: the legacy overall grade only; missing for
        key-judgement and report-card inspections, which have no overall grade
        under their framework, and for uncounted schools), ``good_or_better``
        (bool, legacy grade), ``key_judgements`` (counted on a key-judgement
        inspection), ``key_judgement_grade`` and ``key_judgement_good`` (the
        separate figure of the key-judgement rule, ``equivalent_grade``; never in
        ``grade``), ``report_card`` (counted on a report card), ``in_category``
        (counted inspection put it in a category).
    """
    out = mi.reset_index(drop=True)
    out["urn"] = out["urn"].astype("string")
    inspected = out["framework"].notna()
    early = pd.Series(False, index=out.index)
    if establishments is not None and not establishments.empty:
        opened = establishments.dropna(subset=["open_date"]).drop_duplicates("urn", keep="last")
        opened_on = out["urn"].map(opened.set_index(opened["urn"].astype("string"))["open_date"])
        early = (inspected & pd.to_datetime(out["inspection_date"]).lt(opened_on)).fillna(False).astype(bool)
    if "inspected_urn" in out:  # the file says whose inspection it is (Ofsted's current layout)
        early = early | (inspected & out["inspected_urn"].notna()).astype(bool)
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
    out["grade"] = grade.where(counted).astype("Int64")
    out["good_or_better"] = out["grade"].le(2).fillna(False).astype(bool)
    key_judgements = (framework.eq("key_judgements").fillna(False) & counted).astype(bool)
    out["key_judgements"] = key_judgements
    out["key_judgement_grade"] = equivalent_grade(out, good_equivalent).where(key_judgements).astype("Int64")
    out["key_judgement_good"] = out["key_judgement_grade"].le(2).fillna(False).astype(bool)
    out["report_card"] = (framework.eq("report_card").fillna(False) & counted).astype(bool)
    out["in_category"] = (out["category"].notna() & counted).astype(bool)
    return out


# --------------------------------------------------------------------------- labels and snapshots
def area_names(areas: Areas) -> dict[str, str]:
    """Area type -> the area's name in the tables (no region where the LA has none)."""
    names = {"la": areas.la_name, "region": areas.region, "statistical_neighbours": NEIGHBOURS_LABEL,
             "england": "England"}
    return {kind: name for kind, name in names.items() if name is not None}


def snapshot_at(dates: pd.Series, on_or_before: dt.date) -> pd.Timestamp | None:
    """The latest snapshot date on or before a date, or None."""
    earlier = pd.to_datetime(dates)[pd.to_datetime(dates) <= pd.Timestamp(on_or_before)]
    return None if earlier.empty else earlier.max()


def label_code(label: str) -> str:
    """``Strong standard`` -> ``strong_standard``."""
    return re.sub(r"[^a-z]+", "_", label.lower()).strip("_")

