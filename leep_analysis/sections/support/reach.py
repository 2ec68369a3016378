"""Reach: schools and episodes of support this period and this academic year, by tier, type and more.

Counts are of lineages, so a school that converted during its support counts once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import identifying
from ...sources.support_register import vocabulary
from .data import SupportData


def provider_label(provider: object, data: SupportData) -> str:
    """A provider as the pack shows it: by name, except, in committee packs, a school ("Schools (not named)"),
    a person ("Individuals (not named)") or one not recognisably an organisation ("Other providers (not
    named)"), told by ``identifying.shown_party`` as the budget's payees are."""
    return identifying.shown_party(provider, None, data.known_schools, committee=data.committee,
                                   missing="Not recorded", other=identifying.OTHER_PROVIDER)


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


def small_groups(sizes: pd.Series, threshold: int) -> list[str]:
    """The groups (phases) a committee pack shows as one, "other": each of fewer of the LA's schools than the
    threshold, and then the next smallest until together they hold at least that many (or only the largest is
    left). The LA's schools of a phase are public (Ofsted's file, GIAS): a "c" of a phase of 3 schools would be
    1 to 3, fewer values than a "c" stands for."""
    order = sizes.drop(labels=["other"], errors="ignore").sort_values(kind="stable")
    merged = [str(g) for g, n in order.items() if n < threshold]
    if not merged:
        return []
    held = int(order[merged].sum()) + int(sizes.get("other", 0))
    for group, n in order.items():
        if held >= threshold or len(merged) >= len(order) - 1:
            break
        if str(group) not in merged:
            merged.append(str(group))
            held += int(n)
    return merged


def _breakdowns(data: SupportData, episodes: pd.DataFrame, total: int | None) -> list[tuple]:
    """(group_by, group, schools, episodes, denominator) rows by tier, type, phase, governance, funding, provider."""
    rows: list[tuple] = []
    period = episodes.copy()
    period["phase"] = data.place(period["lineage"], "phase")
    period["governance"] = data.place(period["lineage"], "governance")
    period["provider"] = [provider_label(p, data) for p in period["provider"]]
    period["funding_source"] = period["funding_source"].fillna("not recorded")
    denominators: dict[str, pd.Series] = {}
    if data.schools is not None:
        denominators = {c: data.schools[c].astype("string").fillna("unknown").value_counts()
                        for c in ("phase", "governance")}
        if data.committee:  # a phase of few schools, all public (Ofsted, GIAS), would bound its "c": merged
            sizes = denominators["phase"]
            merged = small_groups(sizes, data.threshold)
            if merged:
                period["phase"] = period["phase"].replace(dict.fromkeys(merged, "other"))
                other = int(sizes.reindex(merged).fillna(0).sum()) + int(sizes.get("other", 0))
                denominators["phase"] = pd.concat([sizes.drop(labels=[*merged, "other"], errors="ignore"),
                                                   pd.Series({"other": other})])
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
