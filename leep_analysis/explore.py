"""Worked answers to questions the pack does not answer, for ``notebooks/explore.ipynb``.

Each answer is a list of blocks (``content``) built from a section's own analysis, so an
analyst's answer counts schools, grades and ranks exactly as the pack does, and the notebook
shows it with ``section.render(...)`` (its tables then in ``section.tables``, typed). An answer
that needs an input the period's params do not name says so instead of reading the sample: on
the LA's files, a question is answered from the LA's files or not at all.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import content, disclosure
from . import schools as school_records
from .content import Block, Paragraph, Table
from .inputs import Inputs
from .sources.ofsted_mi import KEY_JUDGEMENTS_FROM, REPORT_CARDS_FROM
from .wording import long_date, number, ordinal

#: The KS2 headline indicator: reading, writing and maths at the expected standard.
KS2_HEADLINE = "KS2RWM_Expected_STD"


def missing(inputs: Inputs, *keys: str) -> list[str]:
    """The inputs among ``keys`` that a pack on the LA's files does not name (none on the sample).

    ``Inputs.get`` would read the embedded sample for an input the params leave out; an answer on
    the LA's files must not.
    """
    if inputs.on_sample:
        return []
    named = inputs.params.data.named()
    return [key for key in keys if key not in named]


def _needs(keys: list[str], question: str) -> list[Block]:
    names = ", ".join(f"data: {k}" for k in keys)
    return [Paragraph(f"Not answered: {question} needs {names}, which this period's params do not name.", "note")]


def _latest(result: Any, la_code: str) -> pd.DataFrame:
    """The LA's counted inspections in the latest Ofsted snapshot (``result.as_at``), each with its grade to compare
    (``schools.comparable_grade``, the params' key-judgement rule) and how it was given (``schools.grade_basis``)."""
    out = result.outcomes
    rows = out[(out["as_at"] == result.as_at) & (out["la_code"] == la_code) & out["counted"]].copy()
    rows["compared"] = school_records.comparable_grade(rows, result.settings.good_equivalent)
    rows["basis"] = school_records.grade_basis(rows["framework"].astype("string"), rows["compared"])
    return rows


def below_good(result: Any, la_code: str) -> pd.DataFrame:
    """The LA's schools below good at their counted inspection, by the grade the pack compares.

    Below good: a grade to compare (``schools.comparable_grade``, as the pack's tables of schools inspected
    since the last report, and its support and concerns pages, give it: overall effectiveness to 1 September
    2024, the key-judgement rule's grade from 2 September 2024 to 9 November 2025) of 3 or 4, or a category of
    concern under any framework. A school with no grade to compare (a report card, from 10 November 2025, or an
    inspection the file gives without its judgements) is listed only in a category of concern, and counted
    apart otherwise (``not_compared``). The inspections section's own counts of requires improvement and
    inadequate are of the overall grade only; the key-judgement rule is its separate figure.

    Parameters
    ----------
    result : the inspections section's analysis (``inspections.analyse``), whose ``lineage`` follows a
        school across a change of URN as every section does.

    Returns
    -------
    DataFrame
        One row per school in the latest Ofsted snapshot (``result.as_at``): ``urn``, ``school_name``,
        ``phase``, ``governance``, ``inspection_date``, ``grade`` (Int64 1 to 4, the grade to compare; missing
        where there is none), ``grade_from`` (how it was given, a key of ``schools.BASES``), ``category``
        (the category of concern's code, where in one), ``lineage`` (the URN its predecessors and successors
        share, ``result.lineage``); schools in a category first (those with no grade to compare first among
        them), then lowest grade, then by name.
    """
    rows = _latest(result, la_code)
    below = (rows["compared"].ge(3).fillna(False) | rows["in_category"]).astype(bool).to_numpy()
    chosen = rows[below]
    frame = chosen[["urn", "school_name", "phase", "governance", "inspection_date"]].copy()
    frame["grade"] = chosen["compared"].astype("Int64")
    frame["grade_from"] = chosen["basis"].astype("string")
    frame["category"] = chosen["category"].astype("string")
    lineage = result.lineage
    frame["lineage"] = [lineage.get(str(u), str(u)) for u in frame["urn"]]
    frame["_in_category"] = frame["category"].notna()
    frame = frame.sort_values(["_in_category", "grade", "school_name"], ascending=[False, False, True],
                              kind="stable", na_position="first")
    return frame.drop(columns="_in_category").reset_index(drop=True)


def grade_note(frame: pd.DataFrame) -> str:
    """The note under a table of ``below_good``: where its grades come from, naming only the ways it holds."""
    held = set(frame["grade_from"].dropna())
    note = "Grade: overall effectiveness"
    if "key_judgement_rule" in held:
        last = long_date(REPORT_CARDS_FROM - pd.Timedelta(days=1))
        note += (f" or, for an inspection from {long_date(KEY_JUDGEMENTS_FROM)} to {last}, which gives no overall "
                 "grade, the key-judgement rule, as the pack's tables of schools give it")
    note += "."
    if held & {"report_card", "none"}:
        note += (" A report card, or an inspection the file gives without its judgements, has no grade to compare: "
                 "one is listed only in a category of concern.")
    return note


def not_compared(result: Any, la_code: str) -> int:
    """How many of the LA's schools have no grade to compare (a report card, or an inspection the file gives without
    its judgements) and are in no category of concern: neither below good nor good or better in ``below_good``."""
    rows = _latest(result, la_code)
    return int((rows["compared"].isna() & ~rows["in_category"].astype(bool)).sum())


def supported_on(inputs: Inputs) -> set[str]:
    """The lineages (``schools.lineages``) of schools with an episode of support open on the period's date."""
    from .sections import support

    register = support.analyse(inputs).data.register
    day = pd.Timestamp(inputs.params.as_at)
    current = register[register["start_date"].le(day) & (register["end_date"].isna() | register["end_date"].ge(day))]
    return set(current["lineage"].astype(str))


def below_good_not_supported(inputs: Inputs) -> list[Block]:
    """Which of the LA's schools are below good and not supported? A sentence and a table.

    Below good by the grade the pack compares (``below_good``); supported: an episode of the support
    register open on the period's date, followed across a change of URN. With committee params gives
    Ofsted's counts only, in full as the pack gives Ofsted's figures: Ofsted publishes which schools
    these are, so how many of them are supported would say it of each when it is none or all, and the
    pack's own list of such schools (RISE) gives no supported count in a committee pack either.
    """
    from .sections import inspections
    from .sections.inspections.outcomes import config as inspection_config

    question = "which schools are below good and not supported"
    lacking = missing(inputs, "ofsted_mi")
    if lacking:
        return _needs(lacking, question)
    result = inspections.analyse(inputs)
    frame = below_good(result, inputs.params.la_code)
    day = long_date(result.as_at)
    anonymiser = disclosure.anonymiser(inputs)
    ungraded = not_compared(result, inputs.params.la_code)
    said = (f"{len(frame):,} of the LA's schools were below good at their latest inspection in Ofsted's data as at "
            f"{day}")
    more = (f" {ungraded:,} more had no grade to compare (a report card, or an inspection Ofsted's file gives "
            "without its judgements) and are in no category of concern: they are not counted here." if ungraded
            else "")
    if anonymiser.committee:  # a committee paper: Ofsted's counts, never a row per school nor who is supported
        return [Paragraph(f"{said}. Which of them have support is not given in a committee paper.{more}")]
    if missing(inputs, "support_register"):
        shown, caption = frame, f"Schools below good, Ofsted data as at {day}"
        said += (". This period's params name no support register (data: support_register), so which of them are "
                 "supported is not known here: all are listed.")
    else:
        supported = supported_on(inputs)
        shown, caption = frame[~frame["lineage"].isin(supported)], f"Schools below good and not supported, {day}"
        said += (f"; {len(frame) - len(shown):,} of them had support open on {long_date(inputs.params.as_at)} and "
                 f"{len(shown):,} did not.")
    shown = anonymiser.apply(shown.drop(columns="lineage")).reset_index(drop=True)
    # the grade as its inspection named it (3 before September 2012 was "Satisfactory"), as the pack's tables say it
    shown.insert(shown.columns.get_loc("grade") + 1, "grade_label", pd.array(
        [school_records.grade_label(g, d) if pd.notna(g) else pd.NA
         for g, d in zip(shown["grade"], shown["inspection_date"], strict=True)], dtype="string"))
    table = Table(name="below_good_not_supported", frame=shown, caption=caption,
                  columns={"grade": content.hidden(content.number("Grade (1 to 4)", 0)),
                           "grade_label": content.text("Grade"),
                           "grade_from": content.code("Grade from", school_records.BASES),
                           "category": content.code("Category of concern", inspection_config()["categories"]),
                           "inspection_date": content.date("Inspected")},
                  notes=grade_note(shown), source="Ofsted management information; the LA's support register")
    return [Paragraph(said + more), table]


def ks2_among_neighbours(inputs: Inputs, years: int = 10) -> list[Block]:
    """How has the LA ranked on KS2 among its neighbours over ten years? A sentence, a table and small multiples.

    The headline KS2 measure (reading, writing and maths at the expected standard), from the
    achievement section's analysis: each year the LA's figure, its place among the LA and its
    comparators, England's figure and the LA's rank among all LAs.
    """
    from .sections import achievement

    lacking = missing(inputs, "lait", "lait_dictionary", "neighbours")
    if lacking:
        return _needs(lacking, "the KS2 ranking")
    ach = achievement.analyse(inputs)
    series = achievement.analysis.neighbour_series(ach, KS2_HEADLINE, years)
    mine = series[series["is_la"]]
    if mine.empty:
        return [Paragraph(f"{ach.comp.la_name} has no KS2 figure in the last {years} years of this LAIT file.")]
    per_year = ach.per_year[ach.per_year["indicator"] == KS2_HEADLINE].set_index("year")
    frame = pd.DataFrame({
        "year": mine["year_label"].astype(str).to_numpy(), "la_value": mine["value"].to_numpy(),
        "england": per_year["england"].reindex(mine["year"]).to_numpy(dtype=float),
        "sn_mean": per_year["sn_mean"].reindex(mine["year"]).to_numpy(dtype=float),
        "rank_among": mine["rank_among"].to_numpy(), "n_among": mine["n_among"].to_numpy(),
        "rank": mine["rank"].to_numpy(), "n_ranked": mine["n_ranked"].to_numpy()})
    first, last = mine.iloc[0], mine.iloc[-1]
    la = ach.comp.la_name
    said = (f"{la} was {ordinal(int(first['rank_among']))} of {int(first['n_among'])} among itself and its comparators "
            f"in {first['year_label']} ({number(first['value'], 'percent', 0)}) and {ordinal(int(last['rank_among']))} "
            f"of {int(last['n_among'])} in {last['year_label']} ({number(last['value'], 'percent', 0)}); "
            f"nationally {ordinal(int(last['rank']))} of {int(last['n_ranked'])} LAs in {last['year_label']}.")
    table = Table(name="ks2_ranking", frame=frame, caption=f"KS2 reading, writing and maths, expected standard: {la} "
                                                           "among its comparators, by year",
                  columns={"year": content.text("Year"), "la_value": content.percent(la),
                           "england": content.percent("England"),
                           "sn_mean": content.percent("Neighbours (mean)", 1),
                           "rank_among": content.rank("Place among comparators", of="n_among"),
                           "n_among": content.hidden(content.count("Areas with a figure")),
                           "rank": content.rank("Rank among all LAs", of="n_ranked"),
                           "n_ranked": content.hidden(content.count("LAs ranked"))},
                  notes="Place: among the LA and its comparators with a figure that year, 1 highest. Years without "
                        "tests (2020, 2021) have no row.", source="DfE LA Interactive Tool (LAIT)")
    figure = achievement.views.neighbour_series_figure(ach, KS2_HEADLINE, years)
    return [Paragraph(said), table, *([figure] if figure is not None else [])]


def improved_after_support(inputs: Inputs) -> list[Block]:
    """Which supported schools improved at their next inspection? A sentence and a table.

    From the support section's analysis (``support.analysis.school_list``): each supported school's
    grade at its first inspection after support started against its grade before. Every supported school
    inspected since is counted, those the support page leaves out of its comparison for want of similar
    schools included. With committee params gives the counts only, and neither of improved and not improved
    where one is small (the other would be the total less it).
    """
    from .sections import support

    lacking = missing(inputs, "support_register", "ofsted_mi")
    if lacking:
        return _needs(lacking, "which supported schools improved")
    result = support.analyse(inputs)
    schools = support.analysis.school_list(result)
    judged = schools[schools["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    improved = judged[judged["outcome"] == "improved"]
    keep = [c for c in ("school_name", "urn", "phase", "tier", "first_start", "grade_before", "grade_after",
                        "inspected_after") if c in improved]
    said = (f"{len(judged):,} supported schools have been inspected since their support started; "
            f"{len(improved):,} improved their grade, {int((judged['outcome'] == 'same').sum()):,} kept it and "
            f"{int((judged['outcome'] == 'declined').sum()):,} declined.")
    if result.data.committee:  # a committee paper: the counts, never a row per school, no part the others give away
        threshold = result.data.threshold

        def given(count: int) -> bool:
            return count == 0 or count >= threshold

        if not given(len(judged)):
            return [Paragraph(f"Fewer than {threshold} supported schools have been inspected since their support "
                              "started; how many improved is not given.")]
        said = f"{len(judged):,} supported schools have been inspected since their support started; "
        if given(len(improved)) and given(len(judged) - len(improved)):
            return [Paragraph(said + f"{len(improved):,} improved their grade.")]
        return [Paragraph(said + f"how many improved is not given, as fewer than {threshold} did or did not.")]
    table = Table(name="improved_at_next_inspection", frame=improved[keep].reset_index(drop=True),
                  columns={k: v for k, v in support.views.columns().items() if k in keep},
                  caption="Supported schools that improved their grade at their next inspection",
                  source="The LA's support register; Ofsted management information")
    return [Paragraph(said), table]
