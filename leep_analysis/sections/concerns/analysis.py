"""The concerns log's analysis: schools in a category, for how long, their progress, and the powers used.

From the LA's concerns log (``sources.concerns_log``), read as at the period's
date: an episode counts once entered on or before ``as_at`` and until its exit;
visits, powers and exits after ``as_at`` are not yet known. Progress since the
last report comes from the monitoring visits and from inspections in Ofsted's
management information (followed across a change of URN). The academic year
for "powers used this year" runs from 1 September. A school's ``progress`` and
``powers`` are columns of the result (and of its CSV), so they are worked out
here; sentences about them are in ``words``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import analyses, disclosure, facts, tables
from ... import schools as school_records
from ...school_year import year_start
from ...sources import concerns_log
from . import early_warning

if TYPE_CHECKING:
    from ...events import Events
    from ...inputs import Inputs

SCHOOL_COLUMNS = ["urn", "school_name", "category", "ofsted", "date_entered", "months_in_category", "visits_since",
                  "latest_visit", "latest_outcome", "monitored_by", "inspected_since", "grade_before", "grade_since",
                  "basis_since", "change_since", "powers", "progress"]
#: The categories of concern that are Ofsted's (``config/concerns.yaml``, ``ofsted: true``); the rest the LA's.
OFSTED_TOTAL = "ofsted"


def config() -> dict[str, Any]:
    return concerns_log.config()


def label(kind: str, code: object) -> str:
    """A code's label from ``config/concerns.yaml`` (``categories``, ``visit_outcomes``, ``exit_reasons``, ``powers``)."""
    if code is None or pd.isna(code):
        return tables.MISSING
    entry = config()[kind].get(str(code), str(code))
    return entry["label"] if isinstance(entry, Mapping) else str(entry)


def months_between(start: pd.Series, end: pd.Timestamp | pd.Series) -> pd.Series:
    """Whole months from each start to ``end`` (a date, or one per start; 30.44 days a month)."""
    return np.floor((end - start).dt.days / 30.44).astype("Int64")


def known_at(log: pd.DataFrame, when: dt.date) -> pd.DataFrame:
    """The log as it stood on a date: episodes entered by then; later exits, powers and visits blanked."""
    stamp = pd.Timestamp(when)
    out = log[log["date_entered"] <= stamp].copy()
    for column in ["date_exited", *concerns_log.POWERS]:
        out[column] = out[column].where(out[column] <= stamp)
    out["exit_reason"] = out["exit_reason"].where(out["date_exited"].notna())
    out["visits"] = [tuple(v for v in visits if v[0] <= stamp) for visits in out["visits"]]
    return out


def open_on(log: pd.DataFrame, when: dt.date) -> pd.DataFrame:
    """Episodes open on a date (entered on or before it, not exited by it)."""
    known = known_at(log, when)
    return known[known["date_exited"].isna()]


def category_counts(log: pd.DataFrame, as_at: dt.date, since: dt.date) -> pd.DataFrame:
    """Schools in each category now and at the last report, with entries and exits between.

    Returns
    -------
    DataFrame
        ``category`` (code), ``n_now``, ``n_previous``, ``entered_since``,
        ``exited_since``, one row per configured category, then ``ofsted``: every Ofsted category
        together. The LA's own at-risk list is its own row and is never added to them.
    """
    now, before, known = open_on(log, as_at), open_on(log, since), known_at(log, as_at)
    start, end = pd.Timestamp(since), pd.Timestamp(as_at)
    entered = known[(known["date_entered"] > start)]
    exited = known[known["date_exited"].gt(start) & known["date_exited"].le(end)]
    rows = []
    ofsted = [c for c, e in config()["categories"].items() if e["ofsted"]]
    for code in [*ofsted, OFSTED_TOTAL, *[c for c in config()["categories"] if c not in ofsted]]:
        def n(frame: pd.DataFrame, c: str = code) -> int:
            return int(frame["category"].isin(ofsted).sum() if c == OFSTED_TOTAL else frame["category"].eq(c).sum())
        rows.append({"category": code, "n_now": n(now), "n_previous": n(before),
                     "entered_since": n(entered), "exited_since": n(exited)})
    return pd.DataFrame(rows)


def _powers_text(row: Mapping[str, Any]) -> str:
    used = [(row[p], label("powers", p)) for p in concerns_log.POWERS if not pd.isna(row[p])]
    return "; ".join(f"{name} {tables.FORMATS['date'](when)}" for when, name in sorted(used)) or "none"


def progress_words(ofsted: bool, visits_since: int, latest_outcome: object, inspected: Mapping[str, Any] | None
                   ) -> str:
    """A school's progress since the last report, in words: its inspection since (as every page tells it), else
    its latest monitoring visit, Ofsted's for a school in an Ofsted category, the LA's review for one at risk."""
    if inspected is not None:
        from ...schools import BASES

        grade, basis = inspected["grade"], inspected["basis"]
        said = "report card (no grade to compare)" if basis == "report_card" else (
            f"{school_records.grade_label(grade, inspected['inspection_date']).lower()}"
            + (" (key-judgement rule)" if basis == "key_judgement_rule" else "")
            if not pd.isna(grade) else BASES.get(str(basis), "no grade"))
        change = {"improved": ", improved", "declined": ", declined", "same": ", same grade"}.get(
            str(inspected["change"]), "")
        return f"inspected: {said}{change}"
    if visits_since == 0:
        return ("no Ofsted monitoring visit since the last report" if ofsted
                else "no LA review since the last report")
    positive = config()["visit_outcomes"].get(str(latest_outcome), {}).get("positive", False)
    if ofsted:
        return "taking effective action (Ofsted monitoring)" if positive else \
            "not taking effective action (Ofsted monitoring): escalate"
    return "enough progress (LA review)" if positive else "insufficient progress (LA review): escalate"


def schools(log: pd.DataFrame, events: Events, as_at: dt.date, since: dt.date) -> pd.DataFrame:
    """Every school in a category or on the LA's at-risk list on ``as_at``, with its progress since ``since``.

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS``: ``urn``, ``school_name``, ``category`` (code), ``ofsted`` (an Ofsted category, or the
        LA's own list), ``date_entered``, ``months_in_category``, ``visits_since`` (monitoring visits since the
        last report), ``latest_visit`` and ``latest_outcome`` (the latest visit to date), ``monitored_by``
        (``ofsted``: Ofsted's monitoring of a school in a category; ``la``: the LA's review of a school at
        risk), ``inspected_since``, ``grade_before``, ``grade_since``, ``basis_since`` and ``change_since``
        (the latest inspection since the last report, as the events table tells it on every page), ``powers``
        (text) and ``progress`` (words); Ofsted's categories first, most severe first, then longest in it.
    """
    now = open_on(log, as_at).copy()
    start, end = pd.Timestamp(since), pd.Timestamp(as_at)
    ofsted = [c for c, e in config()["categories"].items() if e["ofsted"]]
    now["ofsted"] = now["category"].isin(ofsted)
    now["monitored_by"] = now["ofsted"].map({True: "ofsted", False: "la"}).astype("string")
    now["months_in_category"] = months_between(now["date_entered"], end)
    now["visits_since"] = [sum(1 for d, _ in v if d > start) for v in now["visits"]]
    now["latest_visit"] = pd.to_datetime([v[-1][0] if v else pd.NaT for v in now["visits"]]).astype("datetime64[ns]")
    now["latest_outcome"] = pd.Series([v[-1][1] if v else None for v in now["visits"]], index=now.index,
                                      dtype="string")
    lineages = events.lineage_of(now["urn"])
    found = [events.latest_inspection(lineage, start, end) for lineage in lineages]
    now["inspected_since"] = pd.to_datetime([f["inspection_date"] if f else pd.NaT for f in found]) \
        .astype("datetime64[ns]")
    now["grade_before"] = pd.array([f["previous_grade"] if f else pd.NA for f in found], dtype="Int64")
    now["grade_since"] = pd.array([f["grade"] if f else pd.NA for f in found], dtype="Int64")
    now["basis_since"] = pd.array([f["basis"] if f else pd.NA for f in found], dtype="string")
    now["change_since"] = pd.array([f["change"] if f else pd.NA for f in found], dtype="string")
    now["powers"] = [_powers_text(r) for r in now.to_dict("records")]
    now["progress"] = [progress_words(o, n, latest, f) for o, n, latest, f in
                       zip(now["ofsted"], now["visits_since"], now["latest_outcome"], found, strict=True)]
    order = {c: n for n, c in enumerate(config()["categories"])}
    now["_order"] = now["category"].map(order)
    now = now.sort_values(["_order", "date_entered", "urn"], kind="stable")
    return now[SCHOOL_COLUMNS].reset_index(drop=True)


def powers_used(log: pd.DataFrame, as_at: dt.date, since: dt.date) -> pd.DataFrame:
    """How often each statutory power was used this academic year and since the last report.

    Returns
    -------
    DataFrame
        ``power`` (code), ``n_this_year``, ``n_since_last_report``.
    """
    known = known_at(log, as_at)
    first, start = pd.Timestamp(year_start(as_at)), pd.Timestamp(since)
    return pd.DataFrame([{"power": p, "n_this_year": int(known[p].ge(first).sum()),
                          "n_since_last_report": int(known[p].gt(start).sum())} for p in concerns_log.POWERS])


def exits(log: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """Schools that left a category this academic year.

    Returns
    -------
    DataFrame
        ``urn``, ``school_name``, ``category``, ``date_entered``,
        ``date_exited``, ``months_in_category``, ``exit_reason`` (code), by exit date.
    """
    known = known_at(log, as_at)
    left = known[known["date_exited"].ge(pd.Timestamp(year_start(as_at)))].copy()
    left["months_in_category"] = months_between(left["date_entered"], left["date_exited"])
    columns = ["urn", "school_name", "category", "date_entered", "date_exited", "months_in_category", "exit_reason"]
    return left.sort_values(["date_exited", "urn"])[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Concerns:
    """Everything the concerns section shows (built by ``analyse``), as at ``as_at`` against the last report on ``since``.

    Attributes
    ----------
    counts
        ``category_counts``: ``category`` (each category of concern, then ``all``), ``n_now``,
        ``n_previous``, ``entered_since``, ``exited_since``.
    schools
        ``schools`` (``SCHOOL_COLUMNS``): ``urn``, ``school_name``, ``category``, ``ofsted`` (an Ofsted
        category, not the LA's at-risk list), ``date_entered``, ``months_in_category``, ``visits_since``,
        ``latest_visit``, ``latest_outcome``, ``monitored_by`` (``ofsted`` or ``la``), ``inspected_since``,
        ``grade_before``, ``grade_since``, ``basis_since``, ``change_since`` (the events table's),
        ``powers``, ``progress``.
    powers
        ``powers_used``: ``power``, ``n_this_year``, ``n_since_last_report``.
    exits
        ``exits``: ``urn``, ``school_name``, ``category``, ``date_entered``, ``date_exited``,
        ``months_in_category``, ``exit_reason``.
    alerts
        The early warning (``early_warning.EarlyWarning``: its alerts, risks and each school's results).
    facts
        The section's facts (``facts.COLUMNS``), joined into the pack's ``tables/facts.csv``: ``measure``,
        ``label``, ``area``, ``area_name``, ``period``, ``status``, ``value``, ``numerator``, ``denominator``,
        ``unit``, ``decimals``, ``section``.
    lineage
        URN -> lineage id: how the section followed schools across a change of URN (``schools.lineages``).
    anonymiser, threshold
        Committee-pack disclosure: how schools are named, and the smallest count shown.
    """

    as_at: dt.date
    since: dt.date
    counts: pd.DataFrame
    schools: pd.DataFrame
    powers: pd.DataFrame
    exits: pd.DataFrame
    alerts: early_warning.EarlyWarning
    anonymiser: disclosure.Anonymiser
    threshold: int
    lineage: Mapping[str, str]
    facts: pd.DataFrame = None  # type: ignore[assignment]  # facts.COLUMNS: the measures the section owns

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee

    @functools.cached_property
    def known(self) -> facts.Facts:
        """The section's facts to look up: what its sentences take their figures from."""
        return facts.Facts(self.facts)


def analyse(inputs: Inputs) -> Concerns:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "concerns")


def work_out(inputs: Inputs, events: Events | None = None) -> Concerns:
    """The section's analysis from the period's inputs (concerns log, early-warning inputs) and the pack's events
    (``events.Events``: every inspection once, with the one lineage function)."""
    params = inputs.params
    log = inputs.get("concerns_log")
    if events is None:
        from ... import events as school_events

        events = school_events.build(la_code=params.la_code, as_at=params.as_at, mi=inputs.get("ofsted_mi"),
                                     links=inputs.get("establishment_links"), log=log,
                                     good_equivalent=params.inspections.good_equivalent)
    history = events.inspections
    in_log = schools(log, events, params.as_at, params.since)
    alerts = early_warning.analyse(inputs, history=history, lineage=events.lineage,
                                   in_concerns_log=set(open_on(log, params.as_at)["urn"]))
    return Concerns(
        as_at=params.as_at, since=params.since, counts=category_counts(log, params.as_at, params.since),
        schools=in_log, powers=powers_used(log, params.as_at, params.since), exits=exits(log, params.as_at),
        alerts=alerts, anonymiser=disclosure.anonymiser(inputs), threshold=params.suppression_threshold,
        lineage=dict(events.lineage), facts=facts_of(in_log, alerts, params.as_at),
    )


def facts_of(table: pd.DataFrame, alerts: early_warning.EarlyWarning, as_at: dt.date) -> pd.DataFrame:
    """The section's facts: schools in an Ofsted category and on the LA's list, their progress, the alerts."""
    ofsted = table[table["ofsted"]]
    at_risk = table[~table["ofsted"]]
    rows = [("concerns_ofsted_category", len(ofsted)), ("concerns_at_risk", len(at_risk)),
            ("concerns_not_effective", int(ofsted["progress"].str.startswith("not taking").sum())),
            ("concerns_at_risk_insufficient", int(at_risk["progress"].str.startswith("insufficient").sum())),
            ("concerns_long_in_category", int(ofsted["months_in_category"].ge(18).sum())),
            ("concerns_alerts", len(alerts.risks)),
            ("concerns_alerts_new", int(alerts.risks["new_alerts"].ne("").sum()))]
    return facts.frame(facts.row(m, v, period=as_at) for m, v in rows)
