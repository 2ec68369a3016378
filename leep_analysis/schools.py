"""Schools over time: lineages across URN changes, inspection grades on one scale, labels.

Shared by the support, concerns and budget sections, which all follow a
school across academy conversion and read its inspection history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from . import tables
from .normalise import text_keys
from .sources.support_register import config

#: Key judgements of the September 2024 framework (and of the overall era from 2019).
KEY_JUDGEMENTS = ["quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management"]
#: Report-card areas (from 10 November 2025), as the Ofsted MI loader names them.
REPORT_CARD_AREAS = ["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                     "personal_development_and_wellbeing", "leadership_and_governance", "early_years",
                     "sixth_form"]

def label(kind: str, code: object) -> str:
    """Display label of a code in a configured vocabulary (``tiers``, ``phases``, ``verdicts`` ...)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return tables.MISSING
    entry = config()[kind].get(code)
    if entry is None:
        return str(code)
    return entry["label"] if isinstance(entry, dict) else str(entry)


#: Grade 3 was "satisfactory" for inspections before this date, "requires improvement" from it.
REQUIRES_IMPROVEMENT_FROM = pd.Timestamp("2012-09-01")


def grade_label(grade: object, inspected: object = None) -> str:
    """``2`` -> ``Good``; ``3`` of an inspection before September 2012 -> ``Satisfactory``; missing -> an en dash."""
    if grade is None or pd.isna(grade):
        return tables.MISSING
    if int(grade) == 3 and satisfactory_era(inspected):
        return "Satisfactory"
    return config()["grades"][int(grade)]


def satisfactory_era(inspected: object) -> bool:
    """True for an inspection dated before 1 September 2012, when grade 3 meant "satisfactory"."""
    return inspected is not None and not pd.isna(inspected) and pd.Timestamp(inspected) < REQUIRES_IMPROVEMENT_FROM


# ------------------------------------------------------------------------ lineage
def lineages(urns: Iterable[str], links: pd.DataFrame | None) -> dict[str, str]:
    """Each URN's lineage: the lowest URN of the group its predecessor and successor links join.

    A converter academy and the maintained school it replaced share a lineage,
    so a before/after comparison can follow the school across the change of
    URN. This is the package's one use of the links (``urn``, ``link_urn``; any
    ``relation``), kept behind this function so that the GIAS module's own
    lineage function can replace it without changing any caller.

    Parameters
    ----------
    urns : URNs that must appear in the result (each its own lineage when unlinked).
    links : GIAS links (``urn``, ``link_urn``), or None where there are none.

    Returns
    -------
    dict
        URN -> lineage id (a URN).
    """
    parent: dict[str, str] = {}

    def find(urn: str) -> str:
        parent.setdefault(urn, urn)
        while parent[urn] != urn:
            parent[urn] = parent[parent[urn]]
            urn = parent[urn]
        return urn

    for urn in urns:
        find(str(urn))
    if links is not None and not links.empty:
        for a, b in zip(links["urn"].astype(str), links["link_urn"].astype(str), strict=True):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {urn: find(urn) for urn in list(parent)}


def lineage_of(urns: pd.Series, lineage: Mapping[str, str]) -> pd.Series:
    """The lineage of each URN (the URN itself where it has no entry)."""
    text = urns.astype("string")
    return text.map(dict(lineage)).astype("string").fillna(text)


# ------------------------------------------------------------------------ inspections
def _not_effective(values: pd.Series) -> pd.Series:
    return text_keys(values).isin(["no", "false", "0", "not met", "not effective"]).fillna(False).astype(bool)


def comparable_grade(mi: pd.DataFrame, good_equivalent: str = "all_key_judgements") -> pd.Series:
    """Each inspection's grade on the four-point scale, whatever framework it was under.

    The overall effectiveness grade where there is one. Key-judgement
    inspections (September 2024 to November 2025): the worst of the four key
    judgements (``good_equivalent='all_key_judgements'``) or of quality of
    education and leadership (``'quality_and_leadership'``), inadequate where
    safeguarding was not effective. Report cards: see ``config/support.yaml``
    (``report_card``).

    Parameters
    ----------
    mi : Ofsted MI rows: ``framework``, ``overall``, the key judgements,
        ``safeguarding_effective``, ``category`` and report-card areas (columns
        a frame lacks count as missing).

    Returns
    -------
    Series
        Int64 grades 1-4 (missing where the row has no graded inspection).
    """
    def column(name: str) -> pd.Series:
        if name not in mi:
            return pd.Series(np.nan, index=mi.index)
        return pd.to_numeric(mi[name], errors="coerce").astype("float64")

    framework = mi["framework"].astype("string") if "framework" in mi else pd.Series("overall", index=mi.index)
    grade = column("overall")
    chosen = KEY_JUDGEMENTS if good_equivalent == "all_key_judgements" else [
        "quality_of_education", "leadership_and_management"]
    worst = pd.concat([column(c) for c in chosen], axis=1).max(axis=1, skipna=True)
    if "safeguarding_effective" in mi:
        worst = worst.mask(_not_effective(mi["safeguarding_effective"]) & worst.notna(), 4)
    grade = grade.mask(framework.eq("key_judgements").fillna(False), worst)
    cut = config()["report_card"]
    areas = pd.concat([column(c) for c in REPORT_CARD_AREAS], axis=1).max(axis=1, skipna=True)
    category = mi["category"].astype("string").str.strip().fillna("").ne("") if "category" in mi else False
    card = pd.Series(np.where(areas >= cut["requires_improvement_from"], 3, 2), index=mi.index, dtype="float64")
    card = card.mask((areas >= cut["inadequate_from"]) | category, 4).where(areas.notna())
    grade = grade.mask(framework.eq("report_card").fillna(False), card)
    return grade.round().astype("Int64")


def inspection_history(mi: pd.DataFrame, lineage: Mapping[str, str],
                       good_equivalent: str = "all_key_judgements") -> pd.DataFrame:
    """Every graded inspection the MI snapshots show, once per school lineage and date.

    Each snapshot row gives a school's latest inspection and its previous one;
    together the snapshots give a history. An inspection seen under both a
    predecessor's and a successor's URN (Ofsted carries a converter's
    predecessor judgement) is kept once, under the URN of the first snapshot
    to show it (the school actually inspected).

    Returns
    -------
    DataFrame
        ``lineage``, ``urn``, ``inspection_date`` (datetime64), ``grade`` (Int64
        1-4), sorted by lineage and date.
    """
    order = pd.to_datetime(mi["as_at"]).astype("datetime64[ns]") if "as_at" in mi else pd.Series(pd.NaT, index=mi.index)
    latest = pd.DataFrame({"urn": mi["urn"].astype("string"),
                           "inspection_date": pd.to_datetime(mi["inspection_date"]).astype("datetime64[ns]"),
                           "grade": comparable_grade(mi, good_equivalent), "kind": 0, "as_at": order})
    previous = pd.DataFrame({"urn": mi["urn"].astype("string"),
                             "inspection_date": pd.to_datetime(mi["previous_inspection_date"]).astype("datetime64[ns]"),
                             "grade": pd.to_numeric(mi["previous_overall"], errors="coerce").round().astype("Int64"),
                             "kind": 1, "as_at": order})
    both = pd.concat([latest, previous], ignore_index=True).dropna(subset=["inspection_date", "grade"])
    both["lineage"] = lineage_of(both["urn"], lineage)
    # the first snapshot to show an inspection names the URN actually inspected
    both = both.sort_values(["lineage", "inspection_date", "kind", "as_at", "urn"], kind="stable")
    both = both.drop_duplicates(["lineage", "inspection_date"], keep="first")
    return both[["lineage", "urn", "inspection_date", "grade"]].reset_index(drop=True)
