"""Schools receiving support: the reach of the partnership's three tiers, and the impact of support.

The committee asked for evidence that support achieves positive outcomes. This
module answers it honestly:

- **Reach**: schools supported this period and this academic year, by tier,
  type of support, phase, governance, funding and provider, as a share of the
  LA's schools; episodes started and ended since the last report.
- **Inspection impact**: each supported school's grade at its next inspection
  after support started against its grade before, compared with unsupported
  schools of the same phase that had the same grade on the same date.
- **Attainment impact**: a difference in differences of the school's headline
  result (KS2 reading, writing and maths; Progress 8 or Attainment 8), against
  unsupported schools with a similar starting result, grade and phase, with a
  bootstrap interval.
- Schools are followed across URN changes (academy conversion) through the
  predecessor and successor links; those that cannot be followed are counted.
- A verdict comes only from the interval, and a group smaller than
  ``params.support.min_group`` gets "too few schools to judge".

The method is set out in ``docs/support-impact-method.md``. Inputs are the
tidy frames of the loaders (register: ``sources.support_register``; Ofsted MI,
GIAS establishments and links, school performance); every one but the
register is optional, and what is missing is said in the notes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import charts, disclosure, tables
from ...inputs import shared_analysis
from ...params import SupportSettings
from ...schools import (
    grade_label,
    inspection_history,
    label,
    lineage_of,
    lineages,
)
from ...sources.support_register import config, vocabulary

if TYPE_CHECKING:
    from ...inputs import Inputs

DAYS_PER_MONTH = 365.25 / 12
ALL = "all"


# ------------------------------------------------------------------------ labels
def measure_label(measure: str) -> str:
    """Label of an impact measure: an inspection measure or a key stage's headline (``ks2_PTRWM_EXP``)."""
    if measure in config()["impact_measures"]:
        return config()["impact_measures"][measure]["label"]
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["label"]


def measure_short(measure: str) -> str:
    """Short label of an attainment measure, for chart panels."""
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["short"]


def measure_unit(measure: str) -> str:
    """Unit of an impact measure's difference: ``percentage points`` or ``points``."""
    if measure in config()["impact_measures"]:
        return config()["impact_measures"][measure]["unit"]
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["unit"]


def attainment_measures() -> list[tuple[str, str]]:
    """(key stage, DfE measure) pairs judged, in the configured order."""
    return [(ks, m) for ks, spec in config()["attainment"].items() for m in spec["measures"]]


def impact_measures() -> list[str]:
    """Codes of the impact table's measures, in order."""
    return [*config()["impact_measures"], *(f"{ks}_{m}" for ks, m in attainment_measures())]


# ------------------------------------------------------------------------ the data
@dataclass(frozen=True)
class SupportData:
    """Everything the section computes from, as at the report's date.

    ``register``: the tidy register (see ``sources.support_register``) of
    episodes started on or before ``as_at``, plus ``lineage``.
    ``spells``: one row per supported school (see ``spells``).
    ``schools``: the LA's schools open at ``as_at`` (``urn``, ``lineage``,
    ``school_name``, ``phase``, ``governance``), or None with no establishments
    list or Ofsted MI.
    ``places``: each lineage's phase, governance and LA (``lineage``, ``phase``,
    ``governance``, ``la_code``, ``school_name``), from the newest record.
    ``history``: graded inspections (see ``inspection_history``), or None.
    ``present``: URNs listed at ``as_at`` (latest MI snapshot, open
    establishments), or None when neither is available.
    ``results``: headline results of the LA's schools (``lineage``,
    ``key_stage``, ``measure``, ``year``, ``value``), or None.
    ``lineage``: URN -> lineage id; ``linked``: whether links were available.
    """

    register: pd.DataFrame
    spells: pd.DataFrame
    schools: pd.DataFrame | None
    places: pd.DataFrame
    history: pd.DataFrame | None
    present: frozenset[str] | None
    results: pd.DataFrame | None
    lineage: Mapping[str, str]
    linked: bool
    la_code: str
    as_at: dt.date
    since: dt.date
    year_start: dt.date
    settings: SupportSettings
    anonymiser: disclosure.Anonymiser
    threshold: int = 5

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee

    @functools.cached_property
    def school_names(self) -> frozenset[str]:
        """Every school name the inputs hold, in lower case (to withhold providers that are schools)."""
        return frozenset(str(n).lower() for n in self.places["school_name"].dropna())

    @functools.cached_property
    def timeline(self) -> _Timeline | None:
        """The inspection history as a timeline (built once, for outcomes and both comparisons), or None."""
        return _Timeline(self.history, pd.Timestamp(self.as_at)) if self.history is not None else None


def _open_at(frame: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    opened = pd.to_datetime(frame["open_date"]) if "open_date" in frame else pd.Series(pd.NaT, index=frame.index)
    closed = pd.to_datetime(frame["close_date"]) if "close_date" in frame else pd.Series(pd.NaT, index=frame.index)
    return (opened.isna() | opened.le(when)) & (closed.isna() | closed.gt(when))


def _latest_snapshot(mi: pd.DataFrame | None) -> pd.DataFrame | None:
    if mi is None or mi.empty:
        return None
    dates = pd.to_datetime(mi["as_at"])
    return mi[dates.eq(dates.max())]


def spells(register: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """One row per supported school (lineage): when its support began and what it was.

    Parameters
    ----------
    register : episodes with ``lineage`` added, started on or before ``as_at``.

    Returns
    -------
    DataFrame
        ``lineage``, ``urn`` (the URN of its first episode), ``school_name``,
        ``first_start`` (the first episode's start: the date before/after
        comparisons turn on), ``last_end`` (missing while any episode goes on
        at ``as_at``), ``ongoing``, ``tier`` (the most intensive tier it has
        had), ``support_types`` and ``providers`` (text, ``; ``-separated,
        in the configured order of support types, so the system leader or
        consultant head comes first), ``n_episodes``; sorted by first start
        and URN.
    """
    stamp = pd.Timestamp(as_at)
    order = {t: i for i, t in enumerate(vocabulary("tiers"))}
    types = {t: i for i, t in enumerate(vocabulary("support_types"))}
    rows = []
    for lineage, part in register.sort_values(["start_date", "row"], kind="stable").groupby("lineage", sort=False):
        ongoing = bool((part["end_date"].isna() | part["end_date"].gt(stamp)).any())
        tier = max(part["tier"], key=lambda t: order[t])
        names = part["school_name"].dropna()
        kinds = sorted(set(part["support_type"]), key=lambda t: types[t])
        by_type = part.assign(_t=part["support_type"].map(types)).sort_values(["_t", "start_date"], kind="stable")
        providers = list(dict.fromkeys(by_type["provider"].dropna()))
        rows.append({"lineage": lineage, "urn": part["urn"].iloc[0],
                     "school_name": names.iloc[-1] if len(names) else pd.NA,
                     "first_start": part["start_date"].min(),
                     "last_end": pd.NaT if ongoing else part["end_date"].max(), "ongoing": ongoing,
                     "tier": tier, "support_types": "; ".join(label("support_types", k) for k in kinds),
                     "providers": "; ".join(providers), "n_episodes": len(part)})
    columns = ["lineage", "urn", "school_name", "first_start", "last_end", "ongoing", "tier", "support_types",
               "providers", "n_episodes"]
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({"lineage": "string", "urn": "string", "school_name": "string", "tier": "string",
                      "support_types": "string", "providers": "string", "ongoing": "bool", "n_episodes": "int64",
                      "first_start": "datetime64[ns]", "last_end": "datetime64[ns]"})
    return out.sort_values(["first_start", "urn"], kind="stable").reset_index(drop=True)


def build(
    register: pd.DataFrame,
    *,
    la_code: str,
    as_at: dt.date,
    since: dt.date,
    year_start: dt.date | None = None,
    mi: pd.DataFrame | None = None,
    establishments: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    settings: SupportSettings | None = None,
    good_equivalent: str = "all_key_judgements",
    anonymiser: disclosure.Anonymiser | None = None,
    threshold: int = 5,
) -> SupportData:
    """Put the loaded inputs together as at a date (see ``SupportData``).

    Parameters
    ----------
    register : the tidy support register.
    mi : Ofsted MI rows (``as_at``, ``urn``, ``la_code``, ``phase``, ``governance``,
        ``school_name``, ``inspection_date``, grades, ``previous_inspection_date``,
        ``previous_overall``); snapshots after ``as_at`` are ignored.
    establishments : GIAS establishments (``urn``, ``la_code``, ``school_name``,
        ``governance``, ``phase``, ``open_date``, ``close_date``).
    links : GIAS links (``urn``, ``link_urn``, ``relation``, ``link_date``); links made
        after ``as_at`` are not followed.
    performance : school results as ``sources.performance.load_performance`` gives them.
    year_start : first day of the academic year (default: 1 September before ``as_at``).
    """
    stamp = pd.Timestamp(as_at)
    if mi is not None:
        mi = mi[pd.to_datetime(mi["as_at"]).le(stamp)]
    if links is not None and "link_date" in links:
        # a link made after the report's date (a later merger, say) was not there to follow
        made = pd.to_datetime(links["link_date"])
        links = links[made.isna() | made.le(stamp)]
    urns: set[str] = set(register["urn"].astype(str))
    for frame in (mi, establishments):
        if frame is not None:
            urns.update(frame["urn"].astype(str))
    lineage = lineages(urns, links)

    started = register[register["start_date"].le(stamp)].copy()
    started["lineage"] = lineage_of(started["urn"], lineage)

    latest = _latest_snapshot(mi)
    present: set[str] | None = None
    if latest is not None:
        present = set(latest["urn"].astype(str))
    if establishments is not None:
        present = (present or set()) | set(establishments.loc[_open_at(establishments, stamp), "urn"].astype(str))

    records = []
    if establishments is not None:
        records.append(establishments.assign(_rank=0, _when=pd.Timestamp.max))
    if mi is not None:
        records.append(mi.assign(_rank=1, _when=pd.to_datetime(mi["as_at"])))
    columns = ["urn", "school_name", "phase", "governance", "la_code"]
    if records:
        places = pd.concat([r[[*columns, "_rank", "_when"]] for r in records], ignore_index=True)
        places["urn"] = places["urn"].astype("string")
        places["lineage"] = lineage_of(places["urn"], lineage)
        places["_present"] = places["urn"].isin(present or set())
        places = places.sort_values(["lineage", "_present", "_rank", "_when", "urn"],
                                    ascending=[True, False, True, False, False], kind="stable")
        places = places.drop_duplicates("lineage")[["lineage", *columns]].reset_index(drop=True)
    else:
        places = pd.DataFrame({c: pd.Series(dtype="string") for c in ["lineage", *columns]})

    schools = None
    if establishments is not None:
        schools = establishments[establishments["la_code"].astype(str).eq(la_code) & _open_at(establishments, stamp)]
    elif latest is not None:
        schools = latest[latest["la_code"].astype(str).eq(la_code)]
    if schools is not None:
        schools = schools[["urn", "school_name", "phase", "governance"]].drop_duplicates("urn").copy()
        schools["urn"] = schools["urn"].astype("string")
        schools.insert(1, "lineage", lineage_of(schools["urn"], lineage))
        schools = schools.reset_index(drop=True)

    history = inspection_history(mi, lineage, good_equivalent) if mi is not None else None
    results = _results(performance, lineage, la_code) if performance is not None else None
    return SupportData(
        register=started.reset_index(drop=True), spells=spells(started, as_at), schools=schools, places=places,
        history=history, present=frozenset(present) if present is not None else None, results=results,
        lineage=lineage, linked=links is not None, la_code=la_code, as_at=as_at, since=since,
        year_start=year_start or dt.date(as_at.year if as_at.month >= 9 else as_at.year - 1, 9, 1),
        settings=settings or SupportSettings(), anonymiser=anonymiser or disclosure.Anonymiser(False, {}),
        threshold=threshold,
    )


def _results(performance: pd.DataFrame, lineage: Mapping[str, str], la_code: str) -> pd.DataFrame:
    """Headline result of each of the LA's schools (by lineage) and year, for each key stage judged."""
    from ...sources.performance import headline

    parts = []
    for key_stage in config()["attainment"]:
        part = headline(performance[performance["la_code"].astype(str).eq(la_code)], key_stage)
        part = part.dropna(subset=["value"])
        parts.append(pd.DataFrame({"lineage": lineage_of(part["urn"], lineage), "key_stage": part["key_stage"],
                                   "measure": part["measure"], "year": part["year"].astype("int64"),
                                   "value": part["value"].astype("float64")}))
    frame = pd.concat(parts, ignore_index=True)
    # an amalgamated lineage can hold two schools' results in one year: their mean
    return frame.groupby(["lineage", "key_stage", "measure", "year"], as_index=False)["value"].mean()


def prepare(inputs: Inputs) -> SupportData:
    """The period's support data from its inputs; inputs not registered in ``inputs.SPECS`` are left out."""
    from ...inputs import SPECS

    def optional(key: str) -> pd.DataFrame | None:
        return inputs.get(key) if key in SPECS else None

    params = inputs.params
    return build(
        inputs.get("support_register"), la_code=params.la_code, as_at=params.as_at, since=params.since,
        year_start=dt.date(int(params.period[:4]), 9, 1), mi=optional("ofsted_mi"),
        establishments=optional("establishments"), links=optional("establishment_links"),
        performance=optional("school_performance"), settings=params.support,
        good_equivalent=params.inspections.good_equivalent, anonymiser=disclosure.anonymiser(inputs),
        threshold=params.suppression_threshold,
    )


# ------------------------------------------------------------------------ reach
def _place(data: SupportData, lineages_: pd.Series, column: str) -> pd.Series:
    found = data.places.set_index("lineage")[column] if column in data.places else pd.Series(dtype="string")
    return lineages_.map(found).astype("string").fillna("unknown")


def provider_label(provider: object, data: SupportData) -> str:
    """A provider as the pack shows it: by name, except school providers in committee packs."""
    if provider is None or pd.isna(provider):
        return "Not recorded"
    text = str(provider)
    if data.committee:
        lowered = text.lower()
        if lowered in data.school_names or any(word in lowered for word in config()["school_words"]):
            return config()["school_provider"]
    return text


def reach(data: SupportData) -> pd.DataFrame:
    """Schools and episodes of support this period, and their share of the LA's schools.

    "This period" is from the last report's as-at date (exclusive) to this
    one's: an episode counts when it started on or before ``as_at`` and had not
    ended by ``since``. Schools are counted once per lineage, so a school that
    converted during its support counts once.

    Returns
    -------
    DataFrame
        ``group_by`` (``reach``, ``tier``, ``support_type``, ``phase``,
        ``governance``, ``funding_source``, ``provider``), ``group`` (a code;
        provider names as ``provider_label`` shows them), ``n_schools``,
        ``n_episodes``, ``pct_of_schools`` (0-100: of all the LA's open
        schools; for phase and governance, of the LA's schools of that phase
        or governance; missing without a list of schools). Rows under
        ``reach``: ``period`` (supported this period), ``year`` (this academic
        year to date), ``started`` and ``ended`` (episodes started or ended
        since the last report), ``new`` (schools whose first support started
        since the last report). The other groupings describe this period; a
        school can be in more than one tier, type, funding or provider group.
    """
    reg = data.register
    as_at, since, year_start = (pd.Timestamp(d) for d in (data.as_at, data.since, data.year_start))
    ends = reg["end_date"]
    masks = {
        "period": ends.isna() | ends.gt(since),
        "year": ends.isna() | ends.ge(year_start),
        "started": reg["start_date"].gt(since),
        "new": reg.groupby("lineage")["start_date"].transform("min").gt(since),
        "ended": ends.gt(since) & ends.le(as_at),
    }
    total = len(data.schools) if data.schools is not None else None
    rows = [("reach", key, reg.loc[mask, "lineage"].nunique(), int(mask.sum()), total) for key, mask in masks.items()]
    return _table(rows + _breakdowns(data, reg[masks["period"]], total))


def reach_year(data: SupportData) -> pd.DataFrame:
    """The breakdowns of ``reach`` for this academic year to date (episodes not ended before 1 September).

    Returns
    -------
    DataFrame
        As ``reach``, without the ``reach`` rows: ``group_by`` (``tier``,
        ``support_type``, ``phase``, ``governance``, ``funding_source``,
        ``provider``), ``group``, ``n_schools``, ``n_episodes``, ``pct_of_schools``.
    """
    reg = data.register
    year = reg[reg["start_date"].le(pd.Timestamp(data.as_at))
               & (reg["end_date"].isna() | reg["end_date"].ge(pd.Timestamp(data.year_start)))]
    return _table(_breakdowns(data, year, len(data.schools) if data.schools is not None else None))


def _table(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["group_by", "group", "n_schools", "n_episodes", "_base"])
    out["pct_of_schools"] = [100 * n / b if b else np.nan for n, b in zip(out["n_schools"], out["_base"], strict=True)]
    return out.drop(columns="_base").astype({"group_by": "string", "group": "string", "n_schools": "int64",
                                             "n_episodes": "int64", "pct_of_schools": "float64"})


def _breakdowns(data: SupportData, episodes: pd.DataFrame, total: int | None) -> list[tuple]:
    """(group_by, group, schools, episodes, denominator) rows by tier, type, phase, governance, funding, provider."""
    rows: list[tuple] = []
    period = episodes.copy()
    period["phase"] = _place(data, period["lineage"], "phase")
    period["governance"] = _place(data, period["lineage"], "governance")
    period["provider"] = [provider_label(p, data) for p in period["provider"]]
    period["funding_source"] = period["funding_source"].fillna("not recorded")
    denominators: dict[str, pd.Series] = {}
    if data.schools is not None:
        denominators = {c: data.schools[c].astype("string").fillna("unknown").value_counts()
                        for c in ("phase", "governance")}
    for group_by in ("tier", "support_type", "phase", "governance", "funding_source", "provider"):
        if group_by == "tier":
            groups = vocabulary("tiers")
        elif group_by == "support_type":
            groups = [t for t in vocabulary("support_types") if t in set(period["support_type"])]
        else:
            counts = period.groupby(group_by)["lineage"].nunique()
            groups = sorted(counts.index, key=lambda g: (-counts[g], str(g)))
        for group in groups:
            part = period[period[group_by] == group]
            base = total
            if group_by in denominators:
                base = int(denominators[group_by].get(group, 0))
            rows.append((group_by, group, part["lineage"].nunique(), len(part), base))
    return rows


def _group_label(group_by: str, group: str) -> str:
    kinds = {"reach": "reach_groups", "tier": "tiers", "support_type": "support_types", "phase": "phases",
             "governance": "governance", "funding_source": "funding_sources"}
    if group_by in kinds and group in config()[kinds[group_by]]:
        return label(kinds[group_by], group)
    return {"not recorded": "Not recorded", "unknown": "Not known"}.get(group, group)


# ------------------------------------------------------------------------ the estimator
@dataclass(frozen=True)
class Estimate:
    """A matched difference and its bootstrap interval, with the schools behind it."""

    effect: float
    ci_low: float
    ci_high: float
    n_supported: int
    n_comparison: int


def wilson(successes: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion (0 to 1): sound where a few yes/no outcomes are all alike."""
    if n == 0:
        return (np.nan, np.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Matches:
    """Matched pairs: supported school ``rows[p]`` with comparison school ``columns[p]``, whose outcome is ``values[p]``.

    Positions are 0-based; a NaN value is no match.
    """

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray


#: Bootstrap resamples drawn at a time (bounds memory on the largest LAs; the draws are the same).
_CHUNK = 250


def matched_difference(outcome: np.ndarray, matches: Matches, *, resamples: int, seed: int,
                       binary: bool = False) -> Estimate:
    """Mean over supported schools of (own outcome - mean outcome of its matched comparison schools).

    Parameters
    ----------
    outcome : shape (n,), each supported school's outcome (e.g. 1 improved, 0
        not; or its change in a result).
    matches : which comparison schools match each supported school, and their
        outcome over the same window as that supported school.
    resamples, seed : the bootstrap: supported and comparison schools are
        resampled independently (with replacement), ``resamples`` times.
    binary : outcomes are yes/no as 0 or 100 (e.g. improved a grade). A
        percentile bootstrap cannot see the uncertainty of a few supported
        schools whose outcomes are all alike (6 of 6 "same" resample to 6 of
        6), so the interval is widened to cover the Wilson interval of the
        supported schools' rate less the comparison rate.

    Returns
    -------
    Estimate
        The difference, its 95% percentile interval, and how many supported and
        comparison schools it rests on (supported schools without a match, and
        comparison schools matching nobody, are left out).
    """
    outcome = np.asarray(outcome, dtype=float)
    rows, columns = np.asarray(matches.rows, dtype=np.int64), np.asarray(matches.columns, dtype=np.int64)
    values = np.asarray(matches.values, dtype=float)
    keep = ~np.isnan(values) & ~np.isnan(outcome[rows]) if rows.size else np.zeros(0, dtype=bool)
    if not keep.any():
        return Estimate(np.nan, np.nan, np.nan, 0, 0)
    kept_rows, row = np.unique(rows[keep], return_inverse=True)
    kept_columns, column = np.unique(columns[keep], return_inverse=True)
    order = np.argsort(row, kind="stable")
    row, column, values = row[order], column[order], values[keep][order]
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])  # each supported school's first pair
    n, m = len(kept_rows), len(kept_columns)
    y = outcome[kept_rows]
    theirs = np.add.reduceat(values, starts) / np.diff(np.r_[starts, len(row)])
    effect = float(np.mean(y - theirs))
    rng = np.random.default_rng(seed)
    w = rng.multinomial(n, np.full(n, 1 / n), size=resamples).T.astype(float)  # (n, B)
    draws = np.full(resamples, np.nan)
    for first in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - first)
        v = rng.multinomial(m, np.full(m, 1 / m), size=size).T.astype(float)[column]  # (pairs, chunk)
        numerator = np.add.reduceat(values[:, None] * v, starts, axis=0)
        denominator = np.add.reduceat(v, starts, axis=0)
        valid = denominator > 0
        means = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=valid)
        weights = w[:, first:first + size] * valid
        totals = weights.sum(axis=0)
        np.divide((weights * (y[:, None] - means)).sum(axis=0), totals, out=draws[first:first + size],
                  where=totals > 0)
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    if binary:
        rate_low, rate_high = wilson(float(np.sum(y)) / 100, n)
        expected = float(np.mean(theirs))
        low, high = min(low, 100 * rate_low - expected), max(high, 100 * rate_high - expected)
    return Estimate(effect, float(low), float(high), int(n), int(m))


def verdict(estimate: Estimate, min_group: int) -> str:
    """The verdict the interval supports: better, worse, unclear, or too few schools to judge."""
    words = config()["verdicts"]
    if estimate.n_supported < min_group or estimate.n_comparison < min_group or np.isnan(estimate.ci_low):
        return words["too_few"]
    if estimate.ci_low > 0:
        return words["better"]
    if estimate.ci_high < 0:
        return words["worse"]
    return words["unclear"]


# ------------------------------------------------------------------------ inspection impact
def _supported(data: SupportData) -> set[str]:
    """Lineages supported on or before the report's date (every other school of the LA may be a comparison)."""
    return set(data.spells["lineage"])


def _candidates(data: SupportData) -> pd.DataFrame:
    """The LA's school lineages not supported by ``as_at``, with a known phase: ``lineage``, ``phase``."""
    places = data.places[data.places["la_code"].astype("string").eq(data.la_code).fillna(False)]
    places = places[~places["lineage"].isin(_supported(data)) & places["phase"].notna()]
    return places[["lineage", "phase"]].reset_index(drop=True)


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
        ``outcome`` (``improved``, ``same``, ``declined``, ``not_inspected``,
        ``not_followed``; missing without inspection data or without a grade
        before), ``followed`` (``same_urn``, ``new_urn``, ``not_followed``).
    """
    out = data.spells.copy()
    out["phase"] = _place(data, out["lineage"], "phase")
    out["governance"] = _place(data, out["lineage"], "governance")
    out["followed"] = _following(out, data)
    if data.history is None:
        for column, dtype in [("grade_before", "Int64"), ("date_before", "datetime64[ns]"), ("urn_after", "string"),
                              ("grade_after", "Int64"), ("date_after", "datetime64[ns]"),
                              ("months_to_good", "float64"), ("outcome", "string")]:
            out[column] = pd.Series(np.nan if dtype == "float64" else pd.NaT if dtype.startswith("datetime")
                                    else pd.NA, index=out.index, dtype=dtype)
        return out
    timeline = data.timeline
    codes, starts = timeline.codes(out["lineage"]), _days(out["first_start"])
    before, after = timeline.before(codes, starts), timeline.after(codes, starts)
    out["grade_before"] = pd.array(timeline.take(timeline.grade, before), dtype="Int64")
    out["date_before"] = _dates(timeline.take(timeline.day, before), out.index)
    out["urn_after"] = pd.array(timeline.take(timeline.urn, after, pd.NA), dtype="string")
    out["grade_after"] = pd.array(timeline.take(timeline.grade, after), dtype="Int64")
    out["date_after"] = _dates(timeline.take(timeline.day, after), out.index)
    months = pd.Series((timeline.take(timeline.day, timeline.good_from(after)) - starts) / DAYS_PER_MONTH, index=out.index)
    out["months_to_good"] = months.where(out["grade_before"].ge(3).fillna(False)).astype("float64")
    outcome = np.select(
        [out["grade_after"].lt(out["grade_before"]).fillna(False), out["grade_after"].eq(out["grade_before"]).fillna(False),
         out["grade_after"].gt(out["grade_before"]).fillna(False)], ["improved", "same", "declined"], default="")
    outcome = pd.Series(outcome, index=out.index, dtype="string").replace({"": pd.NA})
    waiting = outcome.isna() & out["grade_before"].notna()
    lost = out["followed"].eq("not_followed").fillna(False)
    outcome = outcome.mask(waiting & lost, "not_followed").mask(waiting & ~lost, "not_inspected")
    out["outcome"] = outcome
    return out


class _Timeline:
    """Every lineage's graded inspections up to ``as_at`` as sorted arrays: the grade any school had on any day.

    Matching looks up thousands of schools on each supported school's start
    date; a binary search over (lineage, day) keys does it without building
    the supported x candidate cross product. Rows are positions in the
    arrays, -1 for none.
    """

    _SPAN = 1 << 22  # more days than any inspection date is from the epoch

    def __init__(self, history: pd.DataFrame, as_at: pd.Timestamp) -> None:
        hist = history[history["inspection_date"].le(as_at)].sort_values(["lineage", "inspection_date"], kind="stable")
        lineages = hist["lineage"].astype("string").to_numpy(dtype=object)
        self._codes = {lineage: i for i, lineage in enumerate(pd.unique(lineages))}
        self.lineage = np.array([self._codes[x] for x in lineages], dtype=np.int64)
        self.day = _days(hist["inspection_date"])
        self.grade = hist["grade"].to_numpy(dtype=float, na_value=np.nan)
        self.urn = hist["urn"].astype("string").to_numpy(dtype=object)
        self._keys = self.lineage * self._SPAN + self.day
        good = np.flatnonzero(self.grade <= 2)
        first = np.searchsorted(good, np.arange(len(self.grade)))  # the first good row at or after each row
        first = np.where(first < len(good), good[np.minimum(first, len(good) - 1)], -1)
        self._good_from = np.where((first >= 0) & (self.lineage[np.maximum(first, 0)] == self.lineage), first, -1)

    def codes(self, lineages: Iterable[str]) -> np.ndarray:
        """Each lineage's code (-1 for one never inspected)."""
        return np.array([self._codes.get(x, -1) for x in lineages], dtype=np.int64)

    def _of(self, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
        if not len(self.lineage):
            return np.full(np.shape(rows), -1)
        inside = (codes >= 0) & (rows >= 0) & (rows < len(self.lineage))
        return np.where(inside & (self.lineage[np.clip(rows, 0, len(self.lineage) - 1)] == codes), rows, -1)

    def before(self, codes: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        """Each school's last inspection on or before its day."""
        return self._of(np.searchsorted(self._keys, codes * self._SPAN + days, side="right") - 1, codes)

    def after(self, codes: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        """Each school's first inspection after its day."""
        return self._of(np.searchsorted(self._keys, codes * self._SPAN + days, side="right"), codes)

    def good_from(self, rows: np.ndarray) -> np.ndarray:
        """The first good or better inspection at or after each row, of the same school."""
        return np.where(rows >= 0, self._good_from[np.maximum(rows, 0)], -1)

    def take(self, values: np.ndarray, rows: np.ndarray, missing: Any = np.nan) -> np.ndarray:
        """``values`` (an array of the timeline's) at each row, ``missing`` where there is none."""
        return np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else missing, missing)


def _days(values: pd.Series | pd.Index) -> np.ndarray:
    """Dates as whole days since the epoch (int64)."""
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").astype(np.int64)


def _dates(days: np.ndarray, index: pd.Index) -> pd.Series:
    """Days since the epoch (NaN for none) back to dates."""
    return pd.Series(pd.to_datetime(days, unit="D"), index=index).astype("datetime64[ns]")


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
    for school, start, before, grade, phase in zip(judged["lineage"], _days(judged["first_start"]),
                                                   _days(judged["date_before"]), judged["grade_before"],
                                                   judged["phase"], strict=True):
        if phase not in pools:
            continue
        lineages, codes = pools[phase]
        rows, after = timeline.before(codes, start), timeline.after(codes, start)
        ok = np.flatnonzero((after >= 0) & (timeline.take(timeline.grade, rows) == grade))
        ok = ok[_nearest(np.abs(timeline.day[rows[ok]] - before), data.settings.comparisons)]
        good = timeline.good_from(after[ok])
        months = (timeline.take(timeline.day, good) - start) / DAYS_PER_MONTH
        found.append(pd.DataFrame({"lineage": school, "comparison": lineages[ok],
                                   "grade_before": timeline.grade[rows[ok]], "grade_after": timeline.grade[after[ok]],
                                   "months_to_good": np.where(timeline.grade[rows[ok]] >= 3, months, np.nan)}))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    return out.astype({"lineage": "string", "comparison": "string", "grade_before": "Int64", "grade_after": "Int64",
                       "months_to_good": "float64"})


def _inspection_estimates(data: SupportData, outcomes: pd.DataFrame, pairs: pd.DataFrame,
                          subset: pd.Series) -> dict[str, Estimate]:
    judged = outcomes[subset & outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
    results = {}
    for measure in config()["impact_measures"]:
        rows = judged if measure == "inspection_improved" else judged[judged["grade_before"].ge(3)]
        own = (rows["grade_after"] < rows["grade_before"]) if measure == "inspection_improved" else rows["grade_after"].le(2)
        part = pairs[pairs["lineage"].isin(rows["lineage"])]
        theirs = (part["grade_after"] < part["grade_before"]) if measure == "inspection_improved" else part["grade_after"].le(2)
        matches = _matches(rows["lineage"], part.assign(value=100 * theirs.astype(float)))
        results[measure] = matched_difference(100 * own.astype(float).to_numpy(), matches,
                                              resamples=data.settings.bootstrap, seed=data.settings.seed,
                                              binary=True)
    return results


def _matches(supported: pd.Series, pairs: pd.DataFrame) -> Matches:
    """``pairs`` (``lineage``, ``comparison``, ``value``) as positions in ``supported`` and in the comparison lineages."""
    rows = pd.Index(supported).get_indexer(pairs["lineage"])
    columns = pd.Index(sorted(set(pairs["comparison"]))).get_indexer(pairs["comparison"])
    return Matches(rows=rows, columns=columns, values=pairs["value"].to_numpy(dtype=float))


# ------------------------------------------------------------------------ attainment impact
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
            results_day = pd.to_datetime([dt.date(int(y), 8, 31) for y in own.index])
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
                grade = timeline.take(timeline.grade, timeline.before(pool_codes[ok], _days([spell.first_start])[0]))
                ok = ok[~np.isnan(grade) & ((grade <= 2) == bool(own_band))]
            ok = ok[_nearest(np.abs(their_before[ok] - before), data.settings.comparisons)]
            pairs.append(pd.DataFrame({"lineage": spell.lineage, "measure": code, "comparison": pool_lineages[ok],
                                       "before": their_before[ok], "after": their_after[ok],
                                       "change": their_after[ok] - their_before[ok]}))
    changes_frame = pd.DataFrame(changes, columns=change_cols)
    pairs_frame = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=pair_cols)
    return (changes_frame.astype({"year_before": "int64", "year_after": "int64"}),
            pairs_frame[pair_cols])


# ------------------------------------------------------------------------ the analysis
@dataclass(frozen=True)
class Analysis:
    """The support section's results (see the functions that build each part)."""

    data: SupportData
    summary: pd.DataFrame
    summary_year: pd.DataFrame
    outcomes: pd.DataFrame
    pairs: pd.DataFrame
    changes: pd.DataFrame
    change_pairs: pd.DataFrame
    impact: pd.DataFrame


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
            matches = _matches(own["lineage"], theirs.assign(value=theirs["change"]))
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


@shared_analysis("support")
def analyse(inputs: Inputs) -> Analysis:
    """The support section's analysis for a period (what the notebook calls)."""
    return analyse_data(prepare(inputs))


# ------------------------------------------------------------------------ derived tables
def inspection_summary(result: Analysis) -> pd.DataFrame:
    """Next-inspection outcomes of supported schools and of their matched comparison schools.

    Comparison percentages weight each comparison school by 1 / (number of
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
    judged = result.outcomes[result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)]
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
               "last_end", "grade_before", "grade_after", "inspected_after", "outcome", "followed"]
    columns = [c for c in columns if c in out]
    out = out[columns]
    if data.committee:
        out = out.sort_values(["first_start", "school_name"], kind="stable")
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------ words
def _as_of(data: SupportData) -> str:
    return f"{data.as_at.day} {data.as_at.strftime('%B %Y')}"


def _since(data: SupportData) -> str:
    return f"{data.since.day} {data.since.strftime('%B %Y')}"


def _count(data: SupportData, n: int) -> str:
    """A count as the pack may show it: ``c`` for a small non-zero count in committee packs."""
    return disclosure.SUPPRESSED if data.committee and 0 < n < data.threshold else f"{n:,}"


def _said(data: SupportData, n: int) -> str:
    """A count as a sentence may give it: "fewer than N" for a small one in committee packs."""
    return disclosure.count_text(n, threshold=data.threshold, committee=data.committee)


def _signed(value: float, unit: str) -> str:
    decimals = 2 if unit == "points" and abs(value) < 2 else 1
    text = f"{value:+.{decimals}f}"
    return text.replace("-", "−")


def _summary_row(result: Analysis, key: str) -> pd.Series:
    table = result.summary
    return table[(table["group_by"] == "reach") & (table["group"] == key)].iloc[0]


def headlines(result: Analysis) -> list[dict[str, str]]:
    """Headline tiles: schools supported this period, new to support, good at the next inspection, not followed."""
    data = result.data
    period, new, started = (_summary_row(result, key) for key in ("period", "new", "started"))
    share = "" if pd.isna(period["pct_of_schools"]) or _count(data, period["n_schools"]) == disclosure.SUPPRESSED \
        else f"{period['pct_of_schools']:.0f}% of the LA's schools"
    tiles = [
        {"key": "support_schools", "label": "Schools supported this period", "value": _count(data, int(period["n_schools"])),
         "detail": share},
        {"key": "support_new", "label": f"Schools new to support since {_since(data)}",
         "value": _count(data, int(new["n_schools"])),
         "detail": f"{_count(data, int(started['n_episodes']))} episodes started"},
    ]
    row = result.impact[(result.impact["measure"] == "inspection_good") & (result.impact["group"] == ALL)].iloc[0]
    summary = inspection_summary(result)
    supported = summary[summary["group"] == "supported"].iloc[0]
    comparison = summary[summary["group"] == "comparison"].iloc[0]
    if row["verdict"] == config()["verdicts"]["too_few"] or pd.isna(supported["pct_good"]):
        value, detail = "–", row["verdict"]
    else:
        value = f"{supported['pct_good']:.0f}%"
        detail = f"similar schools {comparison['pct_good']:.0f}%: {row['verdict']}"
    tiles.append({"key": "support_good_next", "label": "Good or better at the next inspection after support",
                  "value": value, "detail": detail})
    lost = following(result)
    if data.present is not None:
        n = int(lost.loc[lost["status"] == "not_followed", "n_schools"].sum())
        tiles.append({"key": "support_not_followed", "label": "Supported schools that could not be followed",
                      "value": _count(data, n), "detail": "URN closed with no successor link"})
    return tiles


def messages(result: Analysis) -> list[str]:
    """Key messages in words, each figure with the schools behind it and the verdict its interval allows."""
    data = result.data
    period = _summary_row(result, "period")
    year = _summary_row(result, "year")
    points = [f"{_said(data, int(period['n_schools']))} schools received support between {_since(data)} and "
              f"{_as_of(data)} ({_said(data, int(period['n_episodes']))} episodes); "
              f"{_said(data, int(year['n_schools']))} so far this academic year."]
    for measure in impact_measures():
        row = result.impact[(result.impact["measure"] == measure) & (result.impact["group"] == ALL)].iloc[0]
        name = measure_label(measure)
        if row["verdict"] == config()["verdicts"]["too_few"]:
            points.append(f"{name}: too few schools to judge ({_said(data, int(row['n_supported']))} supported "
                          f"and {_said(data, int(row['n_comparison']))} comparison schools).")
            continue
        unit = measure_unit(measure)
        finding = f"supported schools {row['verdict']}" if row["verdict"] != config()["verdicts"]["unclear"] \
            else "no clear difference between supported and similar schools"
        points.append(
            f"{name}: {finding} ({_signed(row['effect'], unit)} {unit}, 95% interval "
            f"{_signed(row['ci_low'], unit)} to {_signed(row['ci_high'], unit)}; "
            f"{_said(data, int(row['n_supported']))} supported and {_said(data, int(row['n_comparison']))} "
            "comparison schools).")
    return points


def notes(result: Analysis) -> list[str]:
    """How the figures were made and what could not be done with the inputs given."""
    data = result.data
    said = [
        f"Comparison schools are the LA's schools with no support started by {_as_of(data)}; each supported "
        f"school is compared with the {data.settings.comparisons} most like it (last inspected nearest in time "
        "with the same grade, or nearest in starting result). Results are judged "
        f"over the same years as each supported school; intervals come from {data.settings.bootstrap:,} bootstrap "
        f"resamples (seed {data.settings.seed}); groups of fewer than {data.settings.min_group} schools are "
        "not judged.",
    ]
    if data.history is None:
        said.append("No Ofsted management information was available, so there is no inspection comparison.")
    if data.results is None:
        said.append("No school performance tables were available, so there is no comparison of results.")
    if data.schools is None:
        said.append("No list of the LA's schools was available, so shares of all schools are not shown.")
    if not data.linked:
        said.append("No predecessor and successor links were available: schools that changed URN could not be "
                    "followed.")
    judged = result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)
    unmatched = judged & ~result.outcomes["lineage"].isin(result.pairs["lineage"])
    if data.history is not None and unmatched.any():
        said.append(f"{_said(data, int(unmatched.sum()))} supported schools inspected since support started had "
                    "no unsupported school of the same phase with the same grade on the same date, so they are not "
                    "in the inspection comparison.")
    follow = following(result)
    if data.present is not None:
        counts = dict(zip(follow["status"], follow["n_schools"], strict=True))
        said.append(f"Following schools across URN changes: {_said(data, counts['same_urn'])} found under the "
                    f"same URN, {_said(data, counts['new_urn'])} under a new URN through GIAS links, "
                    f"{_said(data, counts['not_followed'])} could not be followed.")
    return said


def caveats() -> list[str]:
    """The standing caveats of any judgement of the impact of support (``config/support.yaml``)."""
    return [" ".join(text.split()) for text in config()["caveats"]]


# ------------------------------------------------------------------------ views for Section.show
def _labels() -> dict[str, str]:
    return dict(config()["labels"])


def _suppress(data: SupportData, frame: pd.DataFrame, counts: list[str],
              dependents: Mapping[str, list[str]] | None = None) -> pd.DataFrame:
    return disclosure.suppress(frame, counts, threshold=data.threshold, dependents=dependents,
                               committee=data.committee)


_REACH_NOTE = ("A school can have support of more than one tier, type or provider. Phase and governance "
               "percentages are of the LA's schools of that phase or governance.")


def _reach_view(result: Analysis, frame: pd.DataFrame, name: str, caption: str,
                notes: str | None = None) -> dict[str, Any]:
    table = _suppress(result.data, frame, ["n_schools", "n_episodes"], {"n_schools": ["pct_of_schools"]})
    if result.data.committee:
        notes = " ".join(filter(None, [notes, f"c: fewer than {result.data.threshold}, withheld with its percentage "
                                              "so that no school can be picked out."]))
    shown = table.copy()
    shown["group_by"] = [label("group_by", g) for g in shown["group_by"]]
    shown["group"] = [_group_label(b, g) for b, g in zip(frame["group_by"], frame["group"], strict=True)]
    return {"frame": shown, "name": name, "csv": table, "labels": _labels(), "caption": caption, "notes": notes,
            "formats": {"n_schools": "int", "n_episodes": "int", "pct_of_schools": "pct0"}}


def summary_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the reach table (``support__summary.csv``)."""
    return _reach_view(result, result.summary, "summary",
                       f"Schools receiving support, {_since(result.data)} to {_as_of(result.data)}",
                       "Tier, type, phase, governance, funding and provider describe support this period. " + _REACH_NOTE)


def year_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the reach breakdowns of the academic year to date (``support__summary_year.csv``)."""
    first = result.data.year_start
    return _reach_view(result, result.summary_year, "summary_year",
                       f"Schools receiving support this academic year, {first.day} {first.strftime('%B %Y')} "
                       f"to {_as_of(result.data)}", _REACH_NOTE)


def impact_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the impact table (``support__impact.csv``)."""
    data = result.data
    table = _suppress(data, result.impact, ["n_supported", "n_comparison"],
                      {"n_supported": ["effect", "ci_low", "ci_high"], "n_comparison": ["effect", "ci_low", "ci_high"]})
    shown = table.copy()
    shown["measure"] = [f"{measure_label(m)} ({measure_unit(m)})" for m in result.impact["measure"]]
    shown["group"] = ["All supported schools" if g == ALL else label("tiers", g) for g in result.impact["group"]]
    return {"frame": shown, "name": "impact", "csv": table, "labels": _labels(),
            "caption": f"Impact of support: supported schools against similar unsupported schools, to {_as_of(data)}",
            "formats": {"n_supported": "int", "n_comparison": "int", "effect": "signed2", "ci_low": "signed2",
                        "ci_high": "signed2"},
            "notes": "Difference = supported minus comparison (for results, the difference between their changes). "
                     "Inspection measures in percentage points. The verdict comes from the 95% interval: only an "
                     "interval wholly above (or below) zero is called a difference."}


def inspection_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the next-inspection outcomes (``support__inspection.csv``)."""
    table = inspection_summary(result)
    data = result.data
    table = _suppress(data, table, ["n_schools"], {"n_schools": ["pct_improved", "pct_same", "pct_declined",
                                                                 "pct_good", "months_to_good"]})
    shown = table.copy()
    shown["group"] = [config()["labels"][g] for g in inspection_summary(result)["group"]]
    return {"frame": shown, "name": "inspection", "csv": table,
            "labels": {"group": "", "n_schools": "Schools inspected", "pct_improved": "Improved",
                       "pct_same": "Same grade", "pct_declined": "Declined",
                       "pct_good": "Good or better (started below good)", "months_to_good": "Median months to good"},
            "formats": {"n_schools": "int", "pct_improved": "pct0", "pct_same": "pct0", "pct_declined": "pct0",
                        "pct_good": "pct0", "months_to_good": "num1"},
            "caption": "Grade at the next inspection after support started, supported and similar unsupported schools",
            "notes": "Similar schools: the LA's schools without support, of the same phase, that had the same grade on "
                     "the day each supported school's support started and were inspected after it."}


def following_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for how supported schools were followed across URN changes."""
    table = following(result)
    data = result.data
    table = _suppress(data, table, ["n_schools"])
    shown = table.copy()
    shown["status"] = [label("following", s) for s in following(result)["status"]]
    return {"frame": shown, "name": "following", "csv": table, "labels": {"status": "", "n_schools": "Schools"},
            "formats": {"n_schools": "int"},
            "caption": f"Supported schools found in the data as at {_as_of(data)}",
            "notes": "A school that becomes an academy gets a new URN; predecessor and successor links from Get "
                     "Information about Schools connect the two." + (
                         "" if data.present is not None else " Not known here: neither an establishments list nor "
                         "Ofsted management information says which schools are open.")}


def _first_of(providers: object) -> str:
    """``A; B; C`` -> ``A and 2 more``."""
    if providers is None or pd.isna(providers) or not str(providers):
        return tables.MISSING
    names = str(providers).split("; ")
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def schools_view(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the list of supported schools (``support__schools.csv``).

    The page shows the first provider of each school ("and 2 more"), and
    leaves governance, the types of support and how the school was followed
    to the CSV, which has every column of ``school_list``.
    """
    data = result.data
    table = school_list(result)
    shown = table.copy()
    shown["phase"] = [label("phases", p) for p in table["phase"]]
    shown["tier"] = [label("tiers", t) for t in table["tier"]]
    shown["providers"] = [_first_of(p) for p in table["providers"]]
    shown["grade_before"] = [grade_label(g) for g in table["grade_before"]]
    shown["grade_after"] = [grade_label(g) for g in table["grade_after"]]
    shown["outcome"] = [label("outcomes", o) for o in table["outcome"]]
    shown["last_end"] = ["ongoing" if pd.isna(e) else tables.FORMATS["date"](e) for e in table["last_end"]]
    shown = shown.drop(columns=["governance", "support_types", "followed"])
    note = "Schools are shown as School A, School B and so on; providers that are schools are not named." \
        if data.committee else None
    if table.empty:  # tables.write_csv cannot write an empty text column
        table, shown = table.astype(object), shown.astype(object)
    return {"frame": shown, "name": "schools", "csv": table, "labels": _labels(),
            "formats": {"first_start": "date", "inspected_after": "date"},
            "caption": f"Schools supported, their support and their next inspection, to {_as_of(data)}", "notes": note}


# ------------------------------------------------------------------------ charts
def reach_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: schools supported this period by their most intensive tier.

    In committee packs a small count is drawn as no bar and labelled ``c``.
    """
    import matplotlib.pyplot as plt

    data = result.data
    period = data.register[data.register["end_date"].isna() | data.register["end_date"].gt(pd.Timestamp(data.since))]
    order = vocabulary("tiers")
    ranked = period.assign(_rank=period["tier"].map({t: i for i, t in enumerate(order)}))
    top = ranked.sort_values("_rank", kind="stable").drop_duplicates("lineage", keep="last")
    counts = top["tier"].value_counts().reindex(order, fill_value=0)
    shown = [_count(data, int(n)) for n in counts]
    values = [0 if text == disclosure.SUPPRESSED else int(n) for text, n in zip(shown, counts, strict=True)]
    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    names = [label("tiers", t) for t in order]
    ax.set_axisbelow(True)
    ax.barh(names, values, color=charts.PALETTE["dark_blue"])
    for y, (value, text) in enumerate(zip(values, shown, strict=True)):
        ax.text(value, y, f" {text}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_title("Schools supported this period, by most intensive tier")
    ax.set_xlabel("Schools")
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    described = ", ".join(f"{n} {t}" for n, t in zip(names, shown, strict=True))
    return {"fig": fig, "caption": "Schools supported this period by the most intensive tier of their support",
            "alt": f"Horizontal bar chart of schools supported this period by tier: {described}."}


def outcomes_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: next-inspection outcomes, supported against similar schools (100% bars).

    A group with no schools inspected (or, in committee packs, fewer than the
    suppression threshold) gets no bar and a note saying why.
    """
    import matplotlib.pyplot as plt

    data = result.data
    table = inspection_summary(result)
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    names = [config()["labels"][g] for g in table["group"]]
    parts = [("pct_improved", "Improved", charts.PALETTE["dark_blue"]),
             ("pct_same", "Same grade", charts.GREY), ("pct_declined", "Declined", charts.PALETTE["orange"])]
    hidden = [n == 0 or _count(data, int(n)) == disclosure.SUPPRESSED for n in table["n_schools"]]
    left = np.zeros(len(table))
    ax.set_axisbelow(True)
    for column, name, colour in parts:
        values = np.where(hidden, 0.0, table[column].fillna(0).to_numpy(dtype=float))
        ax.barh(names, values, left=left, color=colour, label=name)
        left += values
    for y, (hide, n) in enumerate(zip(hidden, table["n_schools"], strict=True)):
        if hide:
            ax.text(1, y, "no schools inspected" if n == 0 else "too few schools to show (c)", va="center",
                    fontsize=9, color="#505050")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of schools inspected since support started")
    ax.set_title("Grade at the next inspection against the grade before")
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    described = "; ".join(
        f"{n}: " + ("not shown" if hide else ", ".join(f"{name.lower()} {tables.FORMATS['pct0'](row[c])}"
                                                         for c, name, _ in parts))
        for n, hide, (_, row) in zip(names, hidden, table.iterrows(), strict=True))
    return {"fig": fig, "caption": "Next-inspection outcome of supported schools and of similar unsupported schools",
            "alt": f"Horizontal 100% bar chart of next-inspection outcomes. {described}."}


def trajectory_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: results of supported and matched comparison schools around the start of support.

    One panel per measure; a panel whose measure has fewer matched supported
    schools than ``min_group`` says so instead of drawing lines.
    """
    import matplotlib.pyplot as plt

    data = result.data
    measures = [f"{ks}_{m}" for ks, m in attainment_measures()]
    fig, axes = plt.subplots(1, len(measures), figsize=(7.5, 3.2), squeeze=False)
    described = []
    for ax, measure in zip(axes[0], measures, strict=True):
        frame = trajectories(result, measure)
        supported = frame[frame["group"] == "supported"]
        ax.set_title(measure_short(measure), fontsize=9, loc="left")
        if supported.empty or supported["n_schools"].max() < data.settings.min_group:
            ax.text(0.5, 0.5, "too few schools\nto draw", ha="center", va="center", transform=ax.transAxes,
                    color="#505050")
            ax.set_xticks([])
            ax.set_yticks([])
            described.append(f"{measure_label(measure)}: too few schools")
            continue
        frame = frame[frame["n_schools"] >= max(data.settings.min_group, data.threshold if data.committee else 0)]
        for group, colour, marker in (("supported", charts.PALETTE["dark_blue"], "o"),
                                      ("comparison", charts.PALETTE["orange"], "s")):
            part = frame[frame["group"] == group].sort_values("offset")
            ax.plot(part["offset"], part["mean"], marker=marker, color=colour, label=config()["labels"][group],
                    linewidth=2, markersize=4)
        ax.axvline(0.5, color="#505050", linewidth=1, linestyle="--")
        ax.axhline(0, color="#505050", linewidth=0.8)
        ax.set_xlabel("Years from last results before support", fontsize=8)
        ax.set_ylabel(f"Change ({measure_unit(measure)})", fontsize=8)
        described.append(f"{measure_label(measure)}: supported and comparison means by year from the baseline")
    handles, names = next(((a.get_legend_handles_labels()) for a in axes[0] if a.get_legend_handles_labels()[0]),
                          ([], []))
    if handles:
        fig.legend(handles, names, loc="lower center", ncol=2, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return {"fig": fig, "caption": "Change in results since the last results before support, supported schools and "
                                   "similar unsupported schools over the same years (dashed line: support starts)",
            "alt": "Line charts of the mean change in results since each school's last results before support, by "
                   "year. "
                   + "; ".join(described) + "."}



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
