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


def below_good(result: Any, la_code: str) -> pd.DataFrame:
    """The LA's schools whose counted inspection is below good, as the inspections section counts them.

    Parameters
    ----------
    result : the inspections section's analysis (``inspections.analyse``), whose ``lineage`` follows a
        school across a change of URN as every section does.

    Returns
    -------
    DataFrame
        One row per school whose counted grade is 3 (requires improvement) or 4 (inadequate) in the
        latest Ofsted snapshot (``result.as_at``): ``urn``, ``school_name``, ``phase``, ``governance``,
        ``inspection_date``, ``grade`` (1 to 4), ``category`` (special measures or serious weaknesses,
        where in one), ``lineage`` (the URN its predecessors and successors share, ``result.lineage``);
        lowest grade first, then by name.
    """
    out = result.outcomes
    rows = out[(out["as_at"] == result.as_at) & (out["la_code"] == la_code) & out["counted"]
               & pd.to_numeric(out["grade"], errors="coerce").ge(3)]
    lineage = result.lineage
    frame = rows[["urn", "school_name", "phase", "governance", "inspection_date", "grade", "category"]].copy()
    frame["grade"] = pd.to_numeric(frame["grade"]).astype("Int64")
    frame["lineage"] = [lineage.get(str(u), str(u)) for u in frame["urn"]]
    return frame.sort_values(["grade", "school_name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def supported_on(inputs: Inputs) -> set[str]:
    """The lineages (``schools.lineages``) of schools with an episode of support open on the period's date."""
    from .sections import support

    register = support.analyse(inputs).data.register
    day = pd.Timestamp(inputs.params.as_at)
    current = register[register["start_date"].le(day) & (register["end_date"].isna() | register["end_date"].ge(day))]
    return set(current["lineage"].astype(str))


def below_good_not_supported(inputs: Inputs) -> list[Block]:
    """Which of the LA's schools are below good and not supported? A sentence and a table.

    Below good as the inspections section counts it (``below_good``); supported: an episode of the
    support register open on the period's date, followed across a change of URN. In a committee
    pack gives the counts only, as the pack does.
    """
    from .sections import inspections

    question = "which schools are below good and not supported"
    lacking = missing(inputs, "ofsted_mi")
    if lacking:
        return _needs(lacking, question)
    result = inspections.analyse(inputs)
    frame = below_good(result, inputs.params.la_code)
    day = long_date(result.as_at)
    anonymiser = disclosure.anonymiser(inputs)  # committee: counts only, small ones withheld

    def n(count: int) -> str:
        return disclosure.count_text(count, threshold=inputs.params.suppression_threshold,
                                     committee=anonymiser.committee)

    if missing(inputs, "support_register"):
        shown, caption = frame, f"Schools below good, Ofsted data as at {day}"
        said = (f"{n(len(frame))} of the LA's schools were below good at their latest inspection in Ofsted's data as "
                f"at {day}. This period's params name no support register (data: support_register), so which of "
                "them are supported is not known here: all are listed.")
    else:
        supported = supported_on(inputs)
        shown, caption = frame[~frame["lineage"].isin(supported)], f"Schools below good and not supported, {day}"
        said = (f"{n(len(frame))} of the LA's schools were below good at their latest inspection in Ofsted's data as "
                f"at {day}; {n(len(frame) - len(shown))} of them had support open on "
                f"{long_date(inputs.params.as_at)} and {n(len(shown))} did not.")
    if anonymiser.committee:  # a committee pack's params: the counts, never a row per school
        return [Paragraph(said)]
    shown = anonymiser.apply(shown.drop(columns="lineage")).reset_index(drop=True)
    grades = {g: school_records.grade_label(g) for g in (1, 2, 3, 4)}
    inspected = content.month("Inspected") if anonymiser.committee else content.date("Inspected")
    table = Table(name="below_good_not_supported", frame=shown, caption=caption,
                  columns={"grade": content.code("Grade", grades), "inspection_date": inspected},
                  source="Ofsted management information; the LA's support register")
    return [Paragraph(said), table]


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
    grade at its first inspection after support started against its grade before.
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
    if result.data.committee:
        said = (f"{disclosure.count_text(len(judged), threshold=result.data.threshold, committee=True)} supported "
                "schools have been inspected since their support started; "
                f"{disclosure.count_text(len(improved), threshold=result.data.threshold, committee=True)} improved.")
    table = Table(name="improved_at_next_inspection", frame=improved[keep].reset_index(drop=True),
                  columns={k: v for k, v in support.views.columns().items() if k in keep},
                  caption="Supported schools that improved their grade at their next inspection",
                  source="The LA's support register; Ofsted management information")
    return [Paragraph(said), table]
