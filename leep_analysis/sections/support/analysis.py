"""The support section's analysis: reach, next-inspection outcomes, the impact table and the tables built on them.

``analyse(inputs)`` gives an ``Analysis``, a frozen dataclass of documented
frames; the inputs are put together by ``data``, schools are counted by
``reach``, comparison schools found by ``matching`` and differences judged by
``bootstrap``. Pure computation: the wording is in ``words``, the pages in ``views``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import analyses
from ...sources.support_register import config, vocabulary
from .bootstrap import Estimate, matched_difference, matches_of, verdict
from .data import SupportData, prepare
from .matching import (
    DAYS_PER_MONTH,
    attainment_changes,
    attainment_measures,
    comparison_pairs,
    impact_measures,
)
from .reach import provider_label, reach, reach_year
from .timeline import day_numbers

if TYPE_CHECKING:
    from ...inputs import Inputs

ALL = "all"


def _following(spells_: pd.DataFrame, data: SupportData) -> pd.Series:
    """``same_urn``, ``new_urn`` or ``not_followed`` for each spell (missing without data on who is open)."""
    if data.present is None:
        return pd.Series(pd.NA, index=spells_.index, dtype="string")
    present_lineages = {data.lineage.get(u, u) for u in data.present}
    status = np.where(spells_["urn"].isin(data.present), "same_urn",
                      np.where(spells_["lineage"].isin(present_lineages), "new_urn", "not_followed"))
    return pd.Series(status, index=spells_.index, dtype="string")


def inspection_outcomes(data: SupportData) -> pd.DataFrame:
    """Each supported school's grade before support and at its next inspection after support started.

    Returns
    -------
    DataFrame
        The columns of ``spells`` plus ``phase``, ``governance``,
        ``grade_before`` and ``date_before`` (last inspection on or before the
        first start), ``grade_after``, ``date_after`` and ``urn_after`` (first
        inspection after it, up to ``as_at``, under whichever URN of the
        lineage), ``months_to_good`` (from the start to the first good or
        better inspection, for schools that started below good and got there),
        ``outcome`` (the change the events table records for that inspection, as every page gives it:
        ``improved``, ``same``, ``declined``, ``report_card`` (no grade to compare), ``first`` (no grade
        before to compare), ``no_grade``; where there is none yet ``not_inspected`` or ``not_followed``;
        missing without inspection data or without a grade before), ``basis_after`` (the grade's:
        ``schools.BASES``), ``followed`` (``same_urn``, ``new_urn``, ``not_followed``).
    """
    out = data.spells.copy()
    out["phase"] = data.place(out["lineage"], "phase")
    out["governance"] = data.place(out["lineage"], "governance")
    out["followed"] = _following(out, data)
    if data.history is None:
        for column, dtype in [("grade_before", "Int64"), ("date_before", "datetime64[ns]"), ("urn_after", "string"),
                              ("grade_after", "Int64"), ("date_after", "datetime64[ns]"),
                              ("months_to_good", "float64"), ("outcome", "string"), ("basis_after", "string")]:
            out[column] = pd.Series(np.nan if dtype == "float64" else pd.NaT if dtype.startswith("datetime")
                                    else pd.NA, index=out.index, dtype=dtype)
        return out
    timeline = data.timeline
    codes, starts = timeline.codes(out["lineage"]), day_numbers(out["first_start"])
    before, after = timeline.before(codes, starts), timeline.after(codes, starts)
    out["grade_before"] = pd.array(timeline.take(timeline.grade, before), dtype="Int64")
    out["date_before"] = _dates(timeline.take(timeline.day, before), out.index)
    out["urn_after"] = pd.array(timeline.take(timeline.urn, after, pd.NA), dtype="string")
    out["grade_after"] = pd.array(timeline.take(timeline.grade, after), dtype="Int64")
    out["date_after"] = _dates(timeline.take(timeline.day, after), out.index)
    months = pd.Series((timeline.take(timeline.day, timeline.good_from(after)) - starts) / DAYS_PER_MONTH, index=out.index)
    out["months_to_good"] = months.where(out["grade_before"].ge(3).fillna(False)).astype("float64")
    # the next inspection's change, as the events table records it: its grade against the one before it,
    # which is the grade when support began (the last inspection on or before that day)
    recorded = timeline.take(timeline.change, after, None)
    fallback = np.select(
        [out["grade_after"].lt(out["grade_before"]).fillna(False), out["grade_after"].eq(out["grade_before"]).fillna(False),
         out["grade_after"].gt(out["grade_before"]).fillna(False)], ["improved", "same", "declined"], default="")
    outcome = pd.Series([r if isinstance(r, str) else (f or None) for r, f in zip(recorded, fallback, strict=True)],
                        index=out.index, dtype="string")
    outcome = outcome.where(pd.Series(after >= 0, index=out.index))
    out["basis_after"] = pd.Series(timeline.take(timeline.basis, after, None), index=out.index, dtype="string")
    waiting = outcome.isna() & out["grade_before"].notna()
    lost = out["followed"].eq("not_followed").fillna(False)
    outcome = outcome.mask(waiting & lost, "not_followed").mask(waiting & ~lost, "not_inspected")
    out["outcome"] = outcome
    return out

def _dates(days: np.ndarray, index: pd.Index) -> pd.Series:
    """Days since the epoch (NaN for none) back to dates."""
    return pd.Series(pd.to_datetime(days, unit="D"), index=index).astype("datetime64[ns]")


def _inspection_estimates(data: SupportData, outcomes: pd.DataFrame, pairs: pd.DataFrame,
                          subset: pd.Series) -> dict[str, Estimate]:
    judged = outcomes[subset & outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    results = {}
    for measure in config()["impact_measures"]:
        rows = judged if measure == "inspection_improved" else judged[judged["grade_before"].ge(3)]
        own = (rows["grade_after"] < rows["grade_before"]) if measure == "inspection_improved" else rows["grade_after"].le(2)
        part = pairs[pairs["lineage"].isin(rows["lineage"])]
        theirs = (part["grade_after"] < part["grade_before"]) if measure == "inspection_improved" else part["grade_after"].le(2)
        matches = matches_of(rows["lineage"], part.assign(value=100 * theirs.astype(float)))
        results[measure] = matched_difference(100 * own.astype(float).to_numpy(), matches,
                                              resamples=data.settings.bootstrap, seed=data.settings.seed,
                                              binary=True)
    return results

@dataclass(frozen=True)
class Analysis:
    """The support section's results (built by ``analyse``; codes are labelled on the page, ``views.columns``).

    Attributes
    ----------
    data
        ``SupportData``: the register, spells, schools and inspections it is worked out from.
    summary, summary_year
        Reach this period and this academic year to date (``support__summary.csv``): ``group_by`` (tier,
        support_type, phase, governance, funding_source, provider, reach), ``group`` (a code of that
        kind), ``n_schools``, ``n_episodes``, ``pct_of_schools`` (of the LA's schools of that phase or
        governance).
    outcomes
        One row per supported school (lineage): ``lineage``, ``urn``, ``school_name``, ``first_start``,
        ``last_end``, ``ongoing``, ``tier`` (most intensive), ``support_types``, ``providers`` (``; ``
        separated), ``n_episodes``, ``phase``, ``governance``, ``followed`` (how it was found across a
        change of URN), ``grade_before`` and ``date_before`` (the grade when support started),
        ``urn_after``, ``grade_after`` and ``date_after`` (its next inspection), ``months_to_good``,
        ``outcome`` (``improved``, ``same``, ``declined``, or why not judged), ``basis_after`` (what the next
        inspection's grade is: ``schools.BASES``).
    pairs
        The comparison schools matched to each supported one on inspection: ``lineage`` (the supported
        school's), ``comparison`` (the comparison school's lineage), ``grade_before``, ``grade_after``,
        ``months_to_good``.
    changes
        Supported schools' results before and after support: ``lineage``, ``measure`` (``ks2_PTRWM_EXP``,
        ...), ``tier``, ``year_before``, ``year_after``, ``before``, ``after``, ``change``.
    change_pairs
        The comparison schools' results over the same years: ``lineage``, ``measure``, ``comparison``,
        ``before``, ``after``, ``change``.
    impact
        ``impact``: ``measure``, ``group``, ``n_supported``, ``n_comparison``, ``effect``, ``ci_low``,
        ``ci_high``, ``verdict``.
    """

    data: SupportData
    summary: pd.DataFrame
    summary_year: pd.DataFrame
    outcomes: pd.DataFrame
    pairs: pd.DataFrame
    changes: pd.DataFrame
    change_pairs: pd.DataFrame
    impact: pd.DataFrame

    @functools.cached_property
    def facts(self) -> pd.DataFrame:
        """Every measure the section owns (``facts.COLUMNS``; ``support.facts.table``)."""
        from .facts import table

        return table(self)

    @functools.cached_property
    def known(self) -> Any:
        """The section's facts to look up (``facts.Facts``): what its tiles and sentences take their figures from."""
        from ...facts import Facts

        return Facts(self.facts)


def impact(data: SupportData, outcomes: pd.DataFrame, pairs: pd.DataFrame, changes: pd.DataFrame,
           change_pairs: pd.DataFrame) -> pd.DataFrame:
    """The impact table: every measure, for all supported schools and by tier.

    Returns
    -------
    DataFrame
        ``measure`` (``inspection_improved``, ``inspection_good``,
        ``ks2_PTRWM_EXP``, ``ks4_P8MEA``, ``ks4_ATT8SCR``), ``group`` (``all``
        or a tier), ``n_supported``, ``n_comparison`` (schools behind the
        figure), ``effect`` (supported minus comparison: percentage points for
        the inspection measures, the measure's own units for results; for
        results, a difference in differences), ``ci_low``, ``ci_high`` (95%
        bootstrap interval), ``verdict``. Figures are missing where the verdict
        is "too few schools to judge".
    """
    rows = []
    for group in [ALL, *vocabulary("tiers")]:
        in_group = outcomes["tier"].eq(group) if group != ALL else pd.Series(True, index=outcomes.index)
        estimates = _inspection_estimates(data, outcomes, pairs, in_group.fillna(False))
        for key_stage, measure in attainment_measures():
            code = f"{key_stage}_{measure}"
            own = changes[(changes["measure"] == code) & (changes["tier"].eq(group) if group != ALL else True)]
            theirs = change_pairs[(change_pairs["measure"] == code) & change_pairs["lineage"].isin(own["lineage"])]
            matches = matches_of(own["lineage"], theirs.assign(value=theirs["change"]))
            estimates[code] = matched_difference(own["change"].to_numpy(), matches,
                                                 resamples=data.settings.bootstrap, seed=data.settings.seed)
        for measure in impact_measures():
            estimate = estimates[measure]
            said = verdict(estimate, data.settings.min_group)
            judged = said != config()["verdicts"]["too_few"]
            rows.append((measure, group, estimate.n_supported, estimate.n_comparison,
                         estimate.effect if judged else np.nan, estimate.ci_low if judged else np.nan,
                         estimate.ci_high if judged else np.nan, said))
    out = pd.DataFrame(rows, columns=["measure", "group", "n_supported", "n_comparison", "effect", "ci_low",
                                      "ci_high", "verdict"])
    order = {m: i for i, m in enumerate(impact_measures())}
    out = out.sort_values("measure", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return out.astype({"measure": "string", "group": "string", "verdict": "string"})


def analyse_data(data: SupportData) -> Analysis:
    """Reach, inspection outcomes, attainment changes and the impact table from prepared data."""
    outcomes = inspection_outcomes(data)
    pairs = comparison_pairs(data, outcomes)
    changes, change_pairs = attainment_changes(data, outcomes)
    return Analysis(data=data, summary=reach(data), summary_year=reach_year(data), outcomes=outcomes, pairs=pairs, changes=changes,
                    change_pairs=change_pairs, impact=impact(data, outcomes, pairs, changes, change_pairs))


def analyse(inputs: Inputs) -> Analysis:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "support")


def work_out(inputs: Inputs, events: Any = None) -> Analysis:
    """The support section's analysis for a period, from its inputs and the pack's events (``events.Events``)."""
    return analyse_data(prepare(inputs, events))

def _judged(result: Analysis) -> pd.DataFrame:
    """The supported schools' next-inspection outcomes the impact comparison judges: those inspected since support
    began that have similar schools to compare (one population for ``inspection_summary``'s shares, the tiles, the
    impact table's difference, which is these shares' difference, and ``supported_counts``)."""
    judged = result.outcomes[result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    return judged[judged["lineage"].isin(result.pairs["lineage"])]


def inspection_summary(result: Analysis) -> pd.DataFrame:
    """Next-inspection outcomes of supported schools and of their matched comparison schools.

    Only the supported schools with similar schools to compare are counted (the
    impact comparison's schools), so each share's difference is the impact
    table's. Comparison percentages weight each comparison school by 1 / (number of
    schools matched to the same supported school), so every supported school's
    comparison counts equally.

    Returns
    -------
    DataFrame
        ``group`` (``supported``, ``comparison``), ``n_schools`` (inspected
        since support started; comparison: distinct schools), ``pct_improved``,
        ``pct_same``, ``pct_declined``, ``pct_good`` (good or better, of those
        that started below good), ``months_to_good`` (median, of those that
        started below good and became good).
    """
    judged = _judged(result)
    pairs = result.pairs[result.pairs["lineage"].isin(judged["lineage"])]
    weights = 1 / pairs.groupby("lineage")["comparison"].transform("size") if len(pairs) else pd.Series(dtype=float)
    rows = []
    for group, frame, weight in [("supported", judged, pd.Series(1.0, index=judged.index)), ("comparison", pairs, weights)]:
        before, after = frame["grade_before"].astype("float64"), frame["grade_after"].astype("float64")
        low = before.ge(3)

        def share(mask: pd.Series, within: pd.Series, w: pd.Series = weight) -> float:
            total = w[within].sum()
            return float(100 * w[within & mask].sum() / total) if total else np.nan

        everyone = pd.Series(True, index=frame.index)
        reached = frame["months_to_good"].dropna()
        n = frame["lineage"].nunique() if group == "supported" else frame["comparison"].nunique()
        rows.append((group, n, share(after < before, everyone), share(after == before, everyone),
                     share(after > before, everyone), share(after <= 2, low),
                     _weighted_median(reached.to_numpy(), weight[reached.index].to_numpy())))
    out = pd.DataFrame(rows, columns=["group", "n_schools", "pct_improved", "pct_same", "pct_declined", "pct_good",
                                      "months_to_good"])
    return out.astype({"group": "string", "n_schools": "int64"})


def supported_counts(result: Analysis) -> dict[str, int]:
    """The supported schools behind ``inspection_summary``'s supported row, as whole counts: ``improved``, ``same``,
    ``declined`` (of ``n_schools``), ``below`` (below good when support began), ``good`` (of those, good or better
    at the next inspection) and ``reached`` (of those, the schools behind the median months to good). A committee
    pack withholds a share or a median that stands for fewer schools than its threshold."""
    judged = _judged(result)
    before, after = judged["grade_before"].astype("float64"), judged["grade_after"].astype("float64")
    low = before.ge(3)
    return {"n_schools": int(judged["lineage"].nunique()), "improved": int((after < before).sum()),
            "same": int((after == before).sum()), "declined": int((after > before).sum()), "below": int(low.sum()),
            "good": int((low & after.le(2)).sum()), "reached": int(judged["months_to_good"].notna().sum())}


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The median, each value counting by its weight (the ordinary median when the weights are equal)."""
    if len(values) == 0:
        return np.nan
    if np.all(weights == weights[0]):
        return float(np.median(values))
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights)
    return float(values[np.searchsorted(cumulative, cumulative[-1] / 2)])


def following(result: Analysis) -> pd.DataFrame:
    """How many supported schools were found at ``as_at`` under their URN, through links, or not at all.

    Returns
    -------
    DataFrame
        ``status`` (``same_urn``, ``new_urn``, ``not_followed``), ``n_schools``
        (Int64; missing without data on which schools are open at ``as_at``).
    """
    followed = result.outcomes["followed"]
    known = result.data.present is not None
    counts = [(s, int((followed == s).sum()) if known else pd.NA) for s in config()["following"]]
    return pd.DataFrame(counts, columns=["status", "n_schools"]).astype({"status": "string", "n_schools": "Int64"})


def trajectories(result: Analysis, measure: str) -> pd.DataFrame:
    """Change in results since the baseline, supported schools against their matched comparison schools, by year.

    Offset 0 is each supported school's last results before support started
    (its baseline; its comparison schools' results in the same year); offset
    2 is two years later, and so on, from ``trajectory_years``
    (``config/support.yaml``) before to the latest year after. Each school is
    measured from its own baseline, so schools entering or leaving the mean
    (no results in 2020 and 2021, a school without a year's results) do not
    move the lines; the gap between the lines after offset 0 is the
    difference in differences. Only supported schools with a matched
    comparison count.

    Returns
    -------
    DataFrame
        ``measure``, ``group`` (``supported``, ``comparison``), ``offset``
        (years), ``mean`` (mean change since the baseline, in the measure's
        units), ``n_schools`` (supported schools behind the point).
    """
    data = result.data
    columns = ["measure", "group", "offset", "mean", "n_schools"]
    if data.results is None:
        return pd.DataFrame(columns=columns)
    key_stage, _, code = measure.partition("_")
    own = result.changes[result.changes["measure"] == measure]
    theirs = result.change_pairs[result.change_pairs["measure"] == measure]
    own = own[own["lineage"].isin(theirs["lineage"])]
    values = data.results[(data.results["key_stage"] == key_stage) & (data.results["measure"] == code)]
    wide = values.pivot(index="lineage", columns="year", values="value")
    rows = []
    earliest = -config()["trajectory_years"]
    for spell in own.itertuples(index=False):
        matched = theirs.loc[theirs["lineage"] == spell.lineage, "comparison"]
        base = wide.loc[matched, spell.year_before]
        for year in wide.columns:
            offset = int(year) - spell.year_before
            if earliest <= offset <= spell.year_after - spell.year_before:
                mine = wide.at[spell.lineage, year] - spell.before
                rows.append((spell.lineage, offset, mine, (wide.loc[matched, year] - base).mean()))
    frame = pd.DataFrame(rows, columns=["lineage", "offset", "supported", "comparison"])
    out = []
    for group in ("supported", "comparison"):
        for offset, part in frame.dropna(subset=[group]).groupby("offset"):
            out.append((measure, group, int(offset), float(part[group].mean()), int(part["lineage"].nunique())))
    return pd.DataFrame(out, columns=columns).astype({"measure": "string", "group": "string", "offset": "int64",
                                                      "n_schools": "int64"})


def school_list(result: Analysis) -> pd.DataFrame:
    """Every supported school: tier, support, providers, dates and inspection outcome.

    Returns
    -------
    DataFrame
        ``school_name`` (name, or School X in committee packs), ``urn``
        (internal packs only), ``phase``, ``governance``, ``tier``,
        ``support_types``, ``providers`` (school providers withheld in
        committee packs), ``first_start``, ``last_end`` (missing while
        ongoing), ``grade_before``, ``grade_after``, ``inspected_after``,
        ``outcome``, ``followed``: codes (labels are applied on the page).
    """
    data = result.data
    out = result.outcomes.copy()
    names = data.places.set_index("lineage")["school_name"] if len(data.places) else pd.Series(dtype="string")
    out["school_name"] = out["school_name"].fillna(out["lineage"].map(names))
    if data.committee:
        out["providers"] = ["; ".join(dict.fromkeys(provider_label(p, data) for p in str(text).split("; ")))
                            if not pd.isna(text) and text else text for text in out["providers"]]
    out = data.anonymiser.apply(out.rename(columns={"date_after": "inspected_after"}))
    columns = ["school_name", "urn", "phase", "governance", "tier", "support_types", "providers", "first_start",
               "last_end", "grade_before", "grade_after", "basis_after", "inspected_after", "outcome", "followed"]
    columns = [c for c in columns if c in out]
    out = out[columns]
    if data.committee:
        out = out.sort_values(["first_start", "school_name"], kind="stable")
    return out.reset_index(drop=True)

def outcomes_by_tier(result: Analysis) -> pd.DataFrame:
    """Next-inspection outcomes of supported schools by tier, to set beside what their support cost.

    Returns
    -------
    DataFrame
        ``tier`` (each tier, then ``all``), ``inspected_after`` (supported
        schools inspected since their support started), ``pct_improved`` and
        ``pct_good_after`` (good or better at that inspection), missing where
        none was inspected.
    """
    judged = result.outcomes[result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    rows = []
    for tier in [*vocabulary("tiers"), "all"]:
        part = judged if tier == "all" else judged[judged["tier"] == tier]
        n = len(part)
        improved = float(100 * part["outcome"].eq("improved").mean()) if n else np.nan
        good = float(100 * part["grade_after"].le(2).mean()) if n else np.nan
        rows.append((tier, n, improved, good))
    return pd.DataFrame(rows, columns=["tier", "inspected_after", "pct_improved", "pct_good_after"])
