"""Schools receiving support: the inputs put together as at the report's date.

``prepare(inputs)`` (or ``build`` from loaded frames) gives the ``SupportData``
every other module of the section computes from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import disclosure, identifying, school_year
from ...identifying import Identifiers
from ...params import SupportSettings
from ...schools import inspection_history, label, lineage_of, lineages
from ...sources.support_register import config, vocabulary
from .timeline import Timeline

if TYPE_CHECKING:
    from ...inputs import Inputs


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
    identifiers: Identifiers | None = None

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee

    @functools.cached_property
    def known_schools(self) -> Identifiers:
        """Every establishment the inputs hold (``identifying``: to tell a provider that is a school): the pack's
        ``identifiers``, else the schools of the register and of ``places``."""
        if self.identifiers is not None:
            return self.identifiers
        return Identifiers.of([*self.places["school_name"].dropna(), *self.register["school_name"].dropna()],
                              [*self.places["urn"].dropna(), *self.register["urn"].dropna()])

    @functools.cached_property
    def timeline(self) -> Timeline | None:
        """The inspection history as a timeline (built once, for outcomes and both comparisons), or None."""
        return Timeline(self.history, pd.Timestamp(self.as_at)) if self.history is not None else None

    def place(self, lineages_: pd.Series, column: str) -> pd.Series:
        """Each lineage's ``column`` of ``places`` (phase, governance ...), ``unknown`` where not known."""
        found = self.places.set_index("lineage")[column] if column in self.places else pd.Series(dtype="string")
        return lineages_.map(found).astype("string").fillna("unknown")


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
    history: pd.DataFrame | None = None,
    identifiers: Identifiers | None = None,
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
    links : GIAS links, followed as ``schools.lineages`` follows them as at ``as_at``.
    performance : school results as ``sources.performance.load_performance`` gives them.
    year_start : first day of the academic year (default: 1 September before ``as_at``).
    history : the pack's inspections (``events.Events.inspections``: every inspection once, with the grade
        before it and the change, as every page tells it); made here from ``mi`` where not given.
    identifiers : every establishment of the pack's inputs (``identifying.identifiers``), which tell a provider
        that is a school in a committee pack; None: the schools of the register and the lists given here.
    """
    stamp = pd.Timestamp(as_at)
    if mi is not None:
        mi = mi[pd.to_datetime(mi["as_at"]).le(stamp)]
    urns: set[str] = set(register["urn"].astype(str))
    for frame in (mi, establishments):
        if frame is not None:
            urns.update(frame["urn"].astype(str))
    lineage = lineages(links, urns, as_at=as_at)

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

    if history is None and mi is not None:
        history = inspection_history(mi, lineage, good_equivalent)
    results = _results(performance, lineage, la_code) if performance is not None else None
    return SupportData(
        register=started.reset_index(drop=True), spells=spells(started, as_at), schools=schools, places=places,
        history=history, present=frozenset(present) if present is not None else None, results=results,
        lineage=lineage, linked=links is not None, la_code=la_code, as_at=as_at, since=since,
        year_start=year_start or school_year.year_start(as_at),
        settings=settings or SupportSettings(), anonymiser=anonymiser or disclosure.Anonymiser(False, {}),
        threshold=threshold, identifiers=identifiers,
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


def prepare(inputs: Inputs, events: Any = None) -> SupportData:
    """The period's support data from its inputs; inputs not registered in ``inputs.SPECS`` are left out.
    ``events``: the pack's events (``events.Events``), whose inspections the section reads."""
    from ...inputs import SPECS

    def optional(key: str) -> pd.DataFrame | None:
        return inputs.get(key) if key in SPECS else None

    params = inputs.params
    return build(
        inputs.get("support_register"), la_code=params.la_code, as_at=params.as_at, since=params.since,
        year_start=school_year.period_year_start(params.period), mi=optional("ofsted_mi"),
        establishments=optional("establishments"), links=optional("establishment_links"),
        performance=optional("school_performance"), settings=params.support,
        good_equivalent=params.inspections.good_equivalent, anonymiser=disclosure.anonymiser(inputs),
        threshold=params.suppression_threshold,
        history=None if events is None else events.inspections,
        identifiers=identifying.identifiers(inputs) if params.for_committee else None,
    )
