"""One record per school event: each inspection, support episode and episode of concern, told once.

A run-cache analysis (``config/analyses.yaml``) that the inspections, support, concerns and
summary sections read (``uses: [events]``), so a school's inspection has the same grade
before, grade and change on every page, its support the same dates, and its category the
same name. Schools are followed across a change of URN by the one lineage function
(``schools.lineages``); inspections come from ``schools.inspection_history`` (the grade to
compare of each framework, with the one before it); support episodes from the LA's register;
categories of concern and the LA's own "at risk" list from its concerns log, Ofsted's
monitoring visits kept apart from the LA's own reviews.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .config import load_config
from .schools import inspection_history, lineage_of, lineages, with_urns

if TYPE_CHECKING:
    from .inputs import Inputs

#: Columns of ``Events.table``: the pack-wide table of events, one row each.
COLUMNS = ["event", "lineage", "urn", "school_name", "date", "end_date", "framework", "grade_before", "grade",
           "basis", "change", "category", "detail"]
#: Kinds of event, in the table's order.
KINDS = ("inspection", "support", "concern", "monitoring")


def concern_categories() -> dict[str, dict]:
    """The concerns log's categories (``config/concerns.yaml``): which are Ofsted's and which the LA's own."""
    return load_config("concerns")["categories"]


def ofsted_categories() -> list[str]:
    """Codes of Ofsted's categories of concern (special measures, serious weaknesses, ...); never the LA's list."""
    return [code for code, entry in concern_categories().items() if entry["ofsted"]]


@dataclass(frozen=True)
class Events:
    """Every event of the LA's schools as at the pack's date (built by ``build``).

    ``inspections``: ``schools.HISTORY_COLUMNS`` plus ``school_name``, ``phase``, ``governance``
    and ``la_code`` (the school's latest record), one row per inspection of a school lineage of
    the LA (or of its registers); None without Ofsted's file. ``support``: the register's
    episodes begun by the date, with ``lineage`` (None without a register). ``concerns``: the
    concerns log as known at the date (``lineage``, ``ofsted``: an Ofsted category or the LA's
    own list); ``visits``: its monitoring visits, ``by`` ``ofsted`` (a school in an Ofsted
    category: Ofsted monitors it) or ``la`` (the LA's own review of a school it judges at risk).
    ``lineage``: URN -> lineage id.
    """

    la_code: str
    as_at: dt.date
    lineage: Mapping[str, str]
    inspections: pd.DataFrame | None
    support: pd.DataFrame | None
    concerns: pd.DataFrame | None
    visits: pd.DataFrame | None

    def lineage_of(self, urns: pd.Series) -> pd.Series:
        return lineage_of(urns, self.lineage)

    def inspections_between(self, after: pd.Timestamp | dt.date, until: pd.Timestamp | dt.date,
                            la_only: bool = True) -> pd.DataFrame:
        """Inspections dated after ``after`` and on or before ``until`` (of the LA's schools), by date."""
        if self.inspections is None:
            return pd.DataFrame(columns=self.inspections_columns)
        rows = self.inspections
        found = rows[rows["inspection_date"].gt(pd.Timestamp(after)) & rows["inspection_date"].le(pd.Timestamp(until))]
        if la_only:
            found = found[found["la_code"].eq(self.la_code).fillna(False)]
        return found.sort_values(["inspection_date", "lineage"], kind="stable").reset_index(drop=True)

    @property
    def inspections_columns(self) -> list[str]:
        from .schools import HISTORY_COLUMNS

        return [*HISTORY_COLUMNS, "school_name", "phase", "governance", "la_code"]

    def latest_inspection(self, lineage: str, after: pd.Timestamp | None = None,
                          until: pd.Timestamp | None = None) -> dict | None:
        """A lineage's latest inspection (after ``after``, up to ``until``), or None."""
        if self.inspections is None:
            return None
        rows = self.inspections[self.inspections["lineage"] == lineage]
        if after is not None:
            rows = rows[rows["inspection_date"] > after]
        if until is not None:
            rows = rows[rows["inspection_date"] <= until]
        return None if rows.empty else rows.iloc[-1].to_dict()

    def table(self) -> pd.DataFrame:
        """The pack-wide table of events: ``COLUMNS``, one row per inspection, support episode, episode of
        concern and monitoring visit, by school and date."""
        parts = []
        if self.inspections is not None:
            i = self.inspections
            parts.append(pd.DataFrame({"event": "inspection", "lineage": i["lineage"], "urn": i["urn"],
                                       "school_name": i["school_name"], "date": i["inspection_date"],
                                       "end_date": pd.NaT, "framework": i["framework"],
                                       "grade_before": i["previous_grade"], "grade": i["grade"], "basis": i["basis"],
                                       "change": i["change"], "category": i["category"], "detail": ""}))
        if self.support is not None:
            s = self.support
            parts.append(pd.DataFrame({"event": "support", "lineage": s["lineage"], "urn": s["urn"],
                                       "school_name": s["school_name"], "date": s["start_date"],
                                       "end_date": s["end_date"], "detail": s["tier"] + ": " + s["support_type"]}))
        if self.concerns is not None:
            c = self.concerns
            parts.append(pd.DataFrame({"event": "concern", "lineage": c["lineage"], "urn": c["urn"],
                                       "school_name": c["school_name"], "date": c["date_entered"],
                                       "end_date": c["date_exited"], "category": c["category"],
                                       "detail": c["ofsted"].map({True: "Ofsted category", False: "the LA's own list"})}))
        if self.visits is not None:
            v = self.visits
            parts.append(pd.DataFrame({"event": "monitoring", "lineage": v["lineage"], "urn": v["urn"],
                                       "school_name": v["school_name"], "date": v["date"], "end_date": pd.NaT,
                                       "change": v["outcome"], "detail": v["by"].map(
                                           {"ofsted": "Ofsted monitoring", "la": "LA review"})}))
        if not parts:
            return pd.DataFrame(columns=COLUMNS)
        table = pd.concat([p.reindex(columns=COLUMNS) for p in parts], ignore_index=True)
        table["_kind"] = table["event"].map({k: n for n, k in enumerate(KINDS)})
        table = table.sort_values(["lineage", "date", "_kind"], kind="stable")
        return table[COLUMNS].reset_index(drop=True)


def _school_records(mi: pd.DataFrame, establishments: pd.DataFrame | None, lineage: Mapping[str, str]) -> pd.DataFrame:
    """Each lineage's latest name, phase, governance and LA (establishments first, then the latest snapshot)."""
    parts = []
    columns = ["urn", "school_name", "phase", "governance", "la_code"]
    if establishments is not None:  # an open establishment first: the school as it is now
        closed = establishments["close_date"].notna() if "close_date" in establishments else False
        parts.append(establishments[[c for c in columns if c in establishments]].assign(
            _rank=pd.Series(closed, index=establishments.index).map({False: 0, True: 2}), _when=pd.Timestamp.max))
    if mi is not None:
        parts.append(mi[columns].assign(_rank=1, _when=pd.to_datetime(mi["as_at"])))
    if not parts:
        return pd.DataFrame(columns=["lineage", *columns[1:]])
    records = pd.concat(parts, ignore_index=True)
    records["lineage"] = lineage_of(records["urn"].astype("string"), lineage)
    records = records.sort_values(["lineage", "_rank", "_when"], ascending=[True, True, False], kind="stable")
    return records.drop_duplicates("lineage")[["lineage", *columns[1:]]].reset_index(drop=True)


def build(*, la_code: str, as_at: dt.date, mi: pd.DataFrame | None = None,
          establishments: pd.DataFrame | None = None, links: pd.DataFrame | None = None,
          register: pd.DataFrame | None = None, log: pd.DataFrame | None = None,
          good_equivalent: str = "all_key_judgements", lineage: Mapping[str, str] | None = None) -> Events:
    """The events of the LA's schools as at ``as_at``, from whichever inputs the pack has.

    A school is the LA's when Ofsted's file or the establishments list gives it the LA's code, or
    the LA's support register or concerns log names it; its inspections under every URN of its
    lineage are its own (a converter academy keeps its predecessor's history). ``lineage`` is
    ``schools.lineages(links, as_at=as_at)`` where a caller has it already (worked out once for every LA:
    ``Inputs.national``); the LA's own URNs that the links do not join are added as their own lineages
    (``schools.with_urns``).
    """
    stamp = pd.Timestamp(as_at)
    urns: set[str] = set()
    if mi is not None:
        mi = mi[pd.to_datetime(mi["as_at"]).le(stamp)]
        urns |= set(mi.loc[mi["la_code"].eq(la_code).fillna(False), "urn"].astype(str))
    if establishments is not None:
        urns |= set(establishments.loc[establishments["la_code"].astype(str).eq(la_code), "urn"].astype(str))
    for frame in (register, log):
        if frame is not None:
            urns |= set(frame["urn"].astype(str))
    lineage = with_urns(lineage if lineage is not None else lineages(links, as_at=as_at), urns)
    own = {lineage.get(u, u) for u in urns}

    inspections = None
    if mi is not None:
        linked = lineage_of(mi["urn"].astype("string"), lineage)
        mine = mi[linked.isin(own).to_numpy()]
        inspections = inspection_history(mine, lineage, good_equivalent)
        inspections = inspections[inspections["inspection_date"].le(stamp)]
        records = _school_records(mine, establishments, lineage).set_index("lineage")
        for column in ("school_name", "phase", "governance", "la_code"):
            inspections[column] = inspections["lineage"].map(records[column]).astype("string")
        inspections = inspections.reset_index(drop=True)

    support = None
    if register is not None:
        started = register[register["start_date"].le(stamp)].copy()
        started["end_date"] = started["end_date"].where(started["end_date"].le(stamp))
        started["lineage"] = lineage_of(started["urn"], lineage)
        support = started.sort_values(["lineage", "start_date"], kind="stable").reset_index(drop=True)

    concerns = visits = None
    if log is not None:
        from .sections.concerns.analysis import known_at

        known = known_at(log, as_at)
        known["lineage"] = lineage_of(known["urn"], lineage)
        known["ofsted"] = known["category"].isin(ofsted_categories())
        concerns = known.reset_index(drop=True)
        rows = [(r["lineage"], r["urn"], r["school_name"], r["category"], d, o)
                for r in concerns.to_dict("records") for d, o in r["visits"]]
        visits = pd.DataFrame(rows, columns=["lineage", "urn", "school_name", "category", "date", "outcome"])
        visits["date"] = pd.to_datetime(visits["date"]).astype("datetime64[ns]")
        visits["by"] = visits["category"].isin(ofsted_categories()).map({True: "ofsted", False: "la"})
    return Events(la_code=la_code, as_at=as_at, lineage=lineage, inspections=inspections, support=support,
                  concerns=concerns, visits=visits)


def work_out(inputs: Inputs) -> Events:
    """The events of the pack's LA from the inputs its sections have (``config/analyses.yaml``)."""
    from .registry import SHARED

    params = inputs.params
    have = {spec.key for spec in inputs.needed()}
    got = {key: inputs.get(key) if key in have else None for key in SHARED["events"].inputs}
    links = got["establishment_links"]
    return build(la_code=params.la_code, as_at=params.as_at, mi=got["ofsted_mi"],
                 establishments=got["establishments"], links=links,
                 register=got["support_register"], log=got["concerns_log"],
                 good_equivalent=params.inspections.good_equivalent,
                 # the national file's chains, the same for every LA of a batch (0.16 s each on the real file)
                 lineage=inputs.national("links_lineage", lambda: lineages(links, as_at=params.as_at)))
