"""Schools over time: lineages across URN changes, inspection grades on one scale, labels.

Shared by every section that follows a school across a change of URN (``lineages``:
the one rule, GIAS's) or reads its inspection history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from . import tables
from .normalise import text_key, text_keys
from .sources.gias import config as gias_config
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
def followed_links(links: pd.DataFrame | None, *, as_at: dt.date | None = None,
                   reorganisations: bool = False) -> pd.DataFrame:
    """The GIAS links a school is followed along: the package's one rule, for every section.

    GIAS's plain links (``config/gias.yaml``, ``links.plain``: an academy conversion, a fresh
    start, a re-registration), of either direction. Mergers, amalgamations and splits join
    the histories of schools that were separate at the same time, so they are followed only
    when asked (``reorganisations``), and a pair of schools GIAS links as a reorganisation on
    either side is one, whatever the other side says (GIAS records some mergers as
    ``Successor`` on the closing school's row and ``Predecessor - merged`` on the other: 52
    pairs in the August 2026 file). Links of no relation (a sixth form centre, ``Other``)
    are never followed. With ``as_at``, a link made after that date was not there to follow
    (a later conversion or merger): a pack as at a date follows what GIAS held then.

    Parameters
    ----------
    links : GIAS links as ``sources.gias.load_links`` gives them (``urn``, ``link_urn``,
        ``link_type``, ``relation``, ``link_date``), or None.

    Returns
    -------
    DataFrame
        The rows of ``links`` followed (empty, with the same columns, where there are none).
    """
    if links is None:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in ("urn", "link_urn", "link_type", "relation")})
    followed = links["relation"].notna()
    if not reorganisations:
        plain = text_keys(links["link_type"]).isin({text_key(t) for t in gias_config()["links"]["plain"]}).fillna(False)
        first, second = links["urn"].astype(str), links["link_urn"].astype(str)
        pair = first.where(first < second, second) + "|" + second.where(first < second, first)
        reorganised = set(pair[followed & ~plain])
        followed &= plain & ~pair.isin(reorganised)
    if as_at is not None and "link_date" in links:
        made = pd.to_datetime(links["link_date"])
        followed &= made.isna() | made.le(pd.Timestamp(as_at))
    return links[followed.to_numpy(dtype=bool)]


def lineages(links: pd.DataFrame | None, urns: Iterable[str] = (), *, as_at: dt.date | None = None,
             reorganisations: bool = False) -> dict[str, str]:
    """Each URN's lineage: the lowest URN of the chain ``followed_links`` joins it to.

    A converter academy and the maintained school it replaced share a lineage, so every
    section follows one school across its changes of URN, and follows it the same way.
    URNs are issued in increasing order, so the lowest is normally the school's first form.

    Parameters
    ----------
    links : GIAS links (see ``followed_links``), or None where there are none.
    urns : URNs that must appear in the result (each its own lineage when unlinked); every
        URN of ``links`` appears too.
    as_at, reorganisations : as in ``followed_links``.

    Returns
    -------
    dict
        URN -> lineage id (a URN).
    """
    parent: dict[str, str] = {}

    def find(urn: str) -> str:
        parent.setdefault(urn, urn)
        root = urn
        while parent[root] != root:
            root = parent[root]
        while parent[urn] != root:
            parent[urn], urn = root, parent[urn]
        return root

    every = [] if links is None else [*links["urn"].astype(str), *links["link_urn"].astype(str)]
    for urn in [*every, *(str(u) for u in urns)]:
        find(urn)
    followed = followed_links(links, as_at=as_at, reorganisations=reorganisations)
    for a, b in zip(followed["urn"].astype(str), followed["link_urn"].astype(str), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            low, high = sorted([ra, rb], key=_urn_order)
            parent[high] = low
    return {urn: find(urn) for urn in sorted(parent, key=_urn_order)}


def with_urns(lineage: Mapping[str, str], urns: Iterable[str]) -> dict[str, str]:
    """``lineages(links, urns)`` from ``lineages(links)``: each URN the links do not join is its own lineage, in
    the same (URN) order."""
    out = dict(lineage)
    for urn in urns:
        out.setdefault(str(urn), str(urn))
    return {urn: out[urn] for urn in sorted(out, key=_urn_order)}


def successions(links: pd.DataFrame | None) -> pd.DataFrame:
    """Each (predecessor, successor) pair the links record, either direction of the file giving it once.

    Parameters
    ----------
    links : GIAS links (``urn``, ``link_urn``, ``link_type``, ``relation``: ``predecessor`` where
        ``link_urn`` is the school ``urn`` replaced, ``successor`` the other way round; ``link_date``
        where known), or None. Pass ``followed_links(links)`` for the pairs a school is followed along.

    Returns
    -------
    DataFrame
        ``urn`` (the school replaced), ``successor``, ``link_type``, ``link_date``; the first row
        of ``links`` to give a pair gives its type and date.
    """
    columns = {"urn": "string", "successor": "string", "link_type": "string", "link_date": "datetime64[ns]"}
    if links is None or links.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    relation = links["relation"].astype("string")
    dates = links["link_date"] if "link_date" in links else pd.Series(pd.NaT, index=links.index)
    both = pd.DataFrame({"urn": links["urn"], "link_urn": links["link_urn"], "link_type": links["link_type"],
                         "link_date": dates, "relation": relation})
    forward = both[relation.eq("successor").fillna(False).to_numpy()]
    back = both[relation.eq("predecessor").fillna(False).to_numpy()]
    pairs = pd.concat([forward.rename(columns={"link_urn": "successor"}),
                       back.rename(columns={"urn": "successor", "link_urn": "urn"})], ignore_index=True)
    pairs = pairs.astype(columns | {"relation": "string"}).drop_duplicates(["urn", "successor"])
    return pairs[list(columns)].reset_index(drop=True)


def _urn_order(urn: str) -> tuple[int, str]:
    return (int(urn), urn) if urn.isdigit() else (10**12, urn)


def lineage_of(urns: pd.Series, lineage: Mapping[str, str]) -> pd.Series:
    """The lineage of each URN (the URN itself where it has no entry)."""
    text = urns.astype("string")
    return text.map(dict(lineage)).astype("string").fillna(text)


# ------------------------------------------------------------------------ inspections
def _not_effective(values: pd.Series) -> pd.Series:
    return text_keys(values).isin(["no", "false", "0", "not met", "not effective"]).fillna(False).astype(bool)


def comparable_grade(mi: pd.DataFrame, good_equivalent: str = "all_key_judgements") -> pd.Series:
    """Each inspection's grade to compare with another on the four-point scale, or none.

    The overall effectiveness grade for inspections to 1 September 2024. Key-judgement
    inspections (2 September 2024 to 9 November 2025) have no overall grade: their grade
    to compare is the key-judgement rule's (the worst of the four key judgements, or of
    quality of education and leadership with ``good_equivalent='quality_and_leadership'``;
    inadequate where safeguarding was not effective), said as the rule's wherever it is
    shown. A report card (from 10 November 2025) has no grade on the four-point scale and no
    published mapping onto it, so none: it is "a report card, no grade to compare" on every
    page, never a grade of our making.

    Parameters
    ----------
    mi : Ofsted MI rows: ``framework``, ``overall``, the key judgements,
        ``safeguarding_effective`` (columns a frame lacks count as missing).

    Returns
    -------
    Series
        Int64 grades 1-4 (missing where the row has no grade to compare).
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
    grade = grade.mask(framework.eq("report_card").fillna(False), np.nan)
    return grade.round().astype("Int64")


def grade_basis(framework: pd.Series, grade: pd.Series) -> np.ndarray:
    """How each inspection's grade to compare (``comparable_grade``) was given: a key of ``BASES``."""
    return np.select(
        [framework.eq("report_card").fillna(False).to_numpy(dtype=bool), grade.isna().to_numpy(dtype=bool),
         framework.eq("key_judgements").fillna(False).to_numpy(dtype=bool)],
        ["report_card", "none", "key_judgement_rule"], default="overall")


#: How an inspection's grade to compare was given (``inspection_history``'s ``basis``, ``grade_basis``).
BASES = {"overall": "overall effectiveness", "key_judgement_rule": "key-judgement rule",
         "report_card": "report card (no grade to compare)", "none": "no grade"}
#: Columns of ``inspection_history``: one row per inspection of a school lineage.
HISTORY_COLUMNS = ["lineage", "urn", "inspection_date", "framework", "grade", "basis", "overall",
                   "quality_of_education", "leadership_and_management", "leadership_and_governance",
                   "report_card_worst", "safeguarding", "category", "previous_date", "previous_grade",
                   "previous_basis", "change"]


def _framework_of(dates: pd.Series) -> pd.Series:
    from .sources.ofsted_mi import framework

    return framework(pd.to_datetime(dates))


def inspection_history(mi: pd.DataFrame, lineage: Mapping[str, str],
                       good_equivalent: str = "all_key_judgements") -> pd.DataFrame:
    """Every inspection the MI snapshots show, once per school lineage and date, each with the grade before it.

    The one record of each inspection that every page reads (``events``), so a school's
    inspection has the same grade before, grade and change wherever it is shown. Each snapshot
    row gives a school's latest inspection and its previous one; together the snapshots give
    a history. An inspection seen under both a predecessor's and a successor's URN (Ofsted
    carries a converter's predecessor judgement) is kept once, under the URN of the first
    snapshot to show it (the school actually inspected).

    Returns
    -------
    DataFrame
        ``HISTORY_COLUMNS``: ``lineage``, ``urn``, ``inspection_date`` (datetime64),
        ``framework`` (``overall``, ``key_judgements``, ``report_card``), ``grade`` (Int64 1-4,
        the grade to compare: ``comparable_grade``), ``basis`` (``overall``,
        ``key_judgement_rule``, ``report_card``, ``none``: ``BASES``), ``overall`` (the overall
        effectiveness grade itself), ``quality_of_education``, ``leadership_and_management``
        (key judgements), ``leadership_and_governance`` and ``report_card_worst`` (report cards,
        1-5), ``safeguarding`` (effective or met: bool), ``category`` (of concern, at this
        inspection), ``previous_date``, ``previous_grade``, ``previous_basis`` (the lineage's
        inspection before it in the history), ``change`` (``improved``, ``same``, ``declined``,
        ``first``: no grade before to compare; ``report_card``: no grade now; ``no_grade``: an
        inspection with no grade under its framework); sorted by lineage and date.
    """
    def col(name: str) -> pd.Series:
        return mi[name] if name in mi else pd.Series(pd.NA, index=mi.index)

    order = pd.to_datetime(mi["as_at"]).astype("datetime64[ns]") if "as_at" in mi else pd.Series(pd.NaT, index=mi.index)
    framework = col("framework").astype("string")
    safe = col("safeguarding_effective").astype("boolean").where(framework.ne("report_card").fillna(True),
                                                                 col("safeguarding_met").astype("boolean"))
    areas = [c for c in REPORT_CARD_AREAS if c in mi]
    worst = (pd.concat([pd.to_numeric(mi[c], errors="coerce") for c in areas], axis=1).max(axis=1, skipna=True)
             if areas else pd.Series(np.nan, index=mi.index))
    latest = pd.DataFrame({
        "urn": mi["urn"].astype("string"),
        "inspection_date": pd.to_datetime(col("inspection_date")).astype("datetime64[ns]"),
        "framework": framework, "grade": comparable_grade(mi, good_equivalent),
        "overall": pd.to_numeric(col("overall"), errors="coerce").round().astype("Int64"),
        "quality_of_education": pd.to_numeric(col("quality_of_education"), errors="coerce").round().astype("Int64"),
        "leadership_and_management": pd.to_numeric(col("leadership_and_management"), errors="coerce").round()
        .astype("Int64"),
        "leadership_and_governance": pd.to_numeric(col("leadership_and_governance"), errors="coerce").round()
        .astype("Int64"),
        "report_card_worst": worst.round().astype("Int64"), "safeguarding": safe,
        "category": col("category").astype("string"), "kind": 0, "as_at": order})
    previous_dates = pd.to_datetime(col("previous_inspection_date")).astype("datetime64[ns]")
    previous = pd.DataFrame({
        "urn": mi["urn"].astype("string"), "inspection_date": previous_dates,
        "framework": _framework_of(previous_dates).astype("string"),
        "grade": pd.to_numeric(col("previous_overall"), errors="coerce").round().astype("Int64"),
        "overall": pd.to_numeric(col("previous_overall"), errors="coerce").round().astype("Int64"),
        "category": col("previous_category").astype("string"), "kind": 1, "as_at": order})
    both = pd.concat([latest, previous], ignore_index=True).dropna(subset=["inspection_date"])
    # an inspection the file gives with neither its grade nor its framework's judgements is only a date
    both = both[both["grade"].notna() | both["framework"].isin(["report_card", "key_judgements"]).fillna(False)
                | both["kind"].eq(0)]
    both["lineage"] = lineage_of(both["urn"], lineage)
    # the first snapshot to show an inspection names the URN actually inspected; its fullest record (the
    # latest inspection of a row, not the previous one of a later row) gives its judgements
    both = both.sort_values(["lineage", "inspection_date", "kind", "as_at", "urn"], kind="stable")
    both = both.drop_duplicates(["lineage", "inspection_date"], keep="first")
    both["basis"] = grade_basis(both["framework"], both["grade"])
    both = both.sort_values(["lineage", "inspection_date"], kind="stable").reset_index(drop=True)
    earlier = both.groupby("lineage", sort=False)
    both["previous_date"] = earlier["inspection_date"].shift(1)
    both["previous_grade"] = earlier["grade"].shift(1).astype("Int64")
    both["previous_basis"] = earlier["basis"].shift(1)
    step = (both["grade"].astype("Float64") - both["previous_grade"].astype("Float64"))
    both["change"] = np.select(
        [both["basis"].eq("report_card").to_numpy(), both["grade"].isna().to_numpy(),
         both["previous_grade"].isna().to_numpy(), (step < 0).fillna(False).to_numpy(dtype=bool),
         (step > 0).fillna(False).to_numpy(dtype=bool)],
        ["report_card", "no_grade", "first", "improved", "declined"], default="same")
    for column in ("lineage", "basis", "previous_basis", "change"):
        both[column] = both[column].astype("string")
    return both[HISTORY_COLUMNS].reset_index(drop=True)
