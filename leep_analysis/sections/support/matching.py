"""Comparison schools: the unsupported schools each supported school is matched with.

Inspection impact matches on phase and the grade held on the day support
started (nearest in the inspection cycle); attainment impact matches on a
similar starting result and grade band (nearest in starting result). Both look
grades up in a ``Timeline`` of every school's graded inspections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import school_year
from ...sources.support_register import config
from .timeline import day_numbers

if TYPE_CHECKING:
    from .data import SupportData

DAYS_PER_MONTH = 365.25 / 12


def attainment_measures() -> list[tuple[str, str]]:
    """(key stage, DfE measure) pairs judged, in the configured order."""
    return [(ks, m) for ks, spec in config()["attainment"].items() for m in spec["measures"]]


def impact_measures() -> list[str]:
    """Codes of the impact table's measures, in order."""
    return [*config()["impact_measures"], *(f"{ks}_{m}" for ks, m in attainment_measures())]

def _supported(data: SupportData) -> set[str]:
    """Lineages supported on or before the report's date (every other school of the LA may be a comparison)."""
    return set(data.spells["lineage"])


def _candidates(data: SupportData) -> pd.DataFrame:
    """The LA's school lineages not supported by ``as_at``, with a known phase: ``lineage``, ``phase``."""
    places = data.places[data.places["la_code"].astype("string").eq(data.la_code).fillna(False)]
    places = places[~places["lineage"].isin(_supported(data)) & places["phase"].notna()]
    return places[["lineage", "phase"]].reset_index(drop=True)


def _nearest(distance: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` smallest distances, ties to the earlier position (candidates come sorted by lineage)."""
    return np.argsort(distance, kind="stable")[:k]


def comparison_pairs(data: SupportData, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Unsupported schools matched to each supported school with an inspection outcome.

    A comparison school qualifies for a supported school when it is in the
    LA, had no support starting on or before ``as_at``, has the same phase,
    had the same grade on the date the supported school's support started, and
    was inspected after that date (up to ``as_at``). Of those, the
    ``settings.comparisons`` whose last inspection before that date was
    nearest in time to the supported school's are matched (inspected at the
    same point of the cycle, under the same framework); ties go to the lower
    lineage id.

    Returns
    -------
    DataFrame
        ``lineage`` (supported), ``comparison`` (the matched lineage),
        ``grade_before``, ``grade_after``, ``months_to_good`` of the comparison
        school measured from the supported school's start.
    """
    columns = ["lineage", "comparison", "grade_before", "grade_after", "months_to_good"]
    judged = outcomes[outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    candidates = _candidates(data)
    if data.history is None or judged.empty or candidates.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c in ("lineage", "comparison") else "float64")
                             for c in columns})
    timeline = data.timeline
    pools = {}
    for phase, group in candidates.sort_values("lineage").groupby("phase"):
        lineages = group["lineage"].astype("string").to_numpy(dtype=object)
        pools[phase] = (lineages, timeline.codes(lineages))
    found = []
    for school, start, before, grade, phase in zip(judged["lineage"], day_numbers(judged["first_start"]),
                                                   day_numbers(judged["date_before"]), judged["grade_before"],
                                                   judged["phase"], strict=True):
        if phase not in pools:
            continue
        lineages, codes = pools[phase]
        rows, after = timeline.before(codes, start), timeline.after(codes, start)
        # a comparison school's next inspection needs a grade to compare too (a report card has none)
        ok = np.flatnonzero((after >= 0) & (timeline.take(timeline.grade, rows) == grade)
                            & ~np.isnan(timeline.take(timeline.grade, after)))
        ok = ok[_nearest(np.abs(timeline.day[rows[ok]] - before), data.settings.comparisons)]
        good = timeline.good_from(after[ok])
        months = (timeline.take(timeline.day, good) - start) / DAYS_PER_MONTH
        found.append(pd.DataFrame({"lineage": school, "comparison": lineages[ok],
                                   "grade_before": timeline.grade[rows[ok]], "grade_after": timeline.grade[after[ok]],
                                   "months_to_good": np.where(timeline.grade[rows[ok]] >= 3, months, np.nan)}))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    return out.astype({"lineage": "string", "comparison": "string", "grade_before": "Int64", "grade_after": "Int64",
                       "months_to_good": "float64"})

def attainment_changes(data: SupportData, outcomes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each supported school's change in its headline result, and its matched comparison schools' changes.

    For each measure (``config/support.yaml``, ``attainment``): the school's
    result in the last year whose results (31 August) came before its support
    started, and in the latest year whose results came at least
    ``attainment_after_months`` after the start (the same measure in both
    years). A comparison school matches when it is in the LA, had no support
    starting on or before ``as_at``, has results in both of those years,
    started within ``within`` of the supported school's result, and was in
    the same grade band on the start date (good or better, or below good;
    not used where the supported school's grade is not known). Of those, the
    ``settings.comparisons`` nearest in starting result are matched (ties to
    the lower lineage id). Phase is the key stage: only schools with results
    in that key stage are compared.

    Returns
    -------
    (changes, pairs)
        ``changes``: ``lineage``, ``measure`` (``ks2_PTRWM_EXP`` ...), ``tier``,
        ``year_before``, ``year_after``, ``before``, ``after``, ``change``.
        ``pairs``: ``lineage``, ``measure``, ``comparison``, ``before``,
        ``after``, ``change``.
    """
    change_cols = ["lineage", "measure", "tier", "year_before", "year_after", "before", "after", "change"]
    pair_cols = ["lineage", "measure", "comparison", "before", "after", "change"]
    if data.results is None or data.spells.empty:
        return pd.DataFrame(columns=change_cols), pd.DataFrame(columns=pair_cols)
    band = outcomes.set_index("lineage")["grade_before"].le(2) if "grade_before" in outcomes else pd.Series(dtype=bool)
    supported = _supported(data)
    timeline = data.timeline
    min_days = config()["attainment_after_months"] * DAYS_PER_MONTH
    changes, pairs = [], []
    for key_stage, measure in attainment_measures():
        within = config()["attainment"][key_stage]["measures"][measure]["within"]
        part = data.results[(data.results["key_stage"] == key_stage) & (data.results["measure"] == measure)]
        wide = part.pivot(index="lineage", columns="year", values="value").sort_index()
        if wide.empty:
            continue
        pool = wide[~wide.index.isin(supported)]  # the LA's schools with results, not supported
        pool_lineages = pool.index.astype("string").to_numpy(dtype=object)
        pool_values = pool.to_numpy(dtype=float)
        column_of = {int(year): j for j, year in enumerate(pool.columns)}
        pool_codes = timeline.codes(pool_lineages) if timeline is not None else None
        for spell in data.spells.itertuples(index=False):
            if spell.lineage not in wide.index:
                continue
            own = wide.loc[spell.lineage].dropna()
            results_day = pd.to_datetime([school_year.year_bounds(int(y) - 1)[1] for y in own.index])  # year's end
            before_years = own.index[results_day < spell.first_start]
            after_years = own.index[(results_day - spell.first_start).days >= min_days]
            if before_years.empty or after_years.empty:
                continue
            year_before, year_after = int(before_years.max()), int(after_years.max())
            before, after = float(own[year_before]), float(own[year_after])
            code = f"{key_stage}_{measure}"
            changes.append((spell.lineage, code, spell.tier, year_before, year_after, before, after, after - before))
            their_before, their_after = pool_values[:, column_of[year_before]], pool_values[:, column_of[year_after]]
            ok = np.flatnonzero(~np.isnan(their_before) & ~np.isnan(their_after)
                                & (np.abs(their_before - before) <= within))
            own_band = band.get(spell.lineage, pd.NA)
            if pool_codes is not None and not pd.isna(own_band):
                grade = timeline.take(timeline.grade, timeline.before(pool_codes[ok], day_numbers([spell.first_start])[0]))
                ok = ok[~np.isnan(grade) & ((grade <= 2) == bool(own_band))]
            ok = ok[_nearest(np.abs(their_before[ok] - before), data.settings.comparisons)]
            pairs.append(pd.DataFrame({"lineage": spell.lineage, "measure": code, "comparison": pool_lineages[ok],
                                       "before": their_before[ok], "after": their_after[ok],
                                       "change": their_after[ok] - their_before[ok]}))
    changes_frame = pd.DataFrame(changes, columns=change_cols)
    pairs_frame = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=pair_cols)
    return (changes_frame.astype({"year_before": "int64", "year_after": "int64"}),
            pairs_frame[pair_cols])
