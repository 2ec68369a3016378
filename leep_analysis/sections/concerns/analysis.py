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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import analyses, disclosure, tables
from ... import schools as school_records
from ...school_year import year_start
from ...sources import concerns_log
from . import early_warning

if TYPE_CHECKING:
    from ...inputs import Inputs

SCHOOL_COLUMNS = ["urn", "school_name", "category", "date_entered", "months_in_category", "visits_since",
                  "latest_visit", "latest_outcome", "inspected_since", "grade_since", "powers", "progress"]


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
        ``exited_since``, one row per configured category plus ``all``.
    """
    now, before, known = open_on(log, as_at), open_on(log, since), known_at(log, as_at)
    start, end = pd.Timestamp(since), pd.Timestamp(as_at)
    entered = known[(known["date_entered"] > start)]
    exited = known[known["date_exited"].gt(start) & known["date_exited"].le(end)]
    rows = []
    for code in [*config()["categories"], "all"]:
        def n(frame: pd.DataFrame, c: str = code) -> int:
            return int(len(frame) if c == "all" else frame["category"].eq(c).sum())
        rows.append({"category": code, "n_now": n(now), "n_previous": n(before),
                     "entered_since": n(entered), "exited_since": n(exited)})
    return pd.DataFrame(rows)


def _powers_text(row: Mapping[str, Any]) -> str:
    used = [(row[p], label("powers", p)) for p in concerns_log.POWERS if not pd.isna(row[p])]
    return "; ".join(f"{name} {tables.FORMATS['date'](when)}" for when, name in sorted(used)) or "none"


def latest_inspections(history: pd.DataFrame, lineage: Mapping[str, str], urns: pd.Series,
                       after: pd.Timestamp, until: pd.Timestamp) -> pd.DataFrame:
    """Each URN's latest inspection in (after, until]: ``urn``, ``inspected``, ``grade``."""
    lineages = urns.astype("string").map(dict(lineage)).fillna(urns.astype("string"))
    window = history[history["inspection_date"].gt(after) & history["inspection_date"].le(until)]
    last = window.sort_values("inspection_date").groupby("lineage").tail(1).set_index("lineage")
    return pd.DataFrame({"urn": urns.to_numpy(),
                         "inspected": last["inspection_date"].reindex(lineages).to_numpy(),
                         "grade": last["grade"].reindex(lineages).to_numpy()})


def progress_words(visits_since: int, latest_outcome: object, grade_since: object) -> str:
    """A school's progress since the last report, in words."""
    if not pd.isna(grade_since):
        return f"inspected: {school_records.grade_label(grade_since).lower()}"
    if visits_since == 0:
        return "no monitoring visit since the last report"
    positive = config()["visit_outcomes"].get(str(latest_outcome), {}).get("positive", False)
    return "taking effective action" if positive else "not taking effective action: escalate"


def schools(log: pd.DataFrame, history: pd.DataFrame, lineage: Mapping[str, str], as_at: dt.date,
            since: dt.date) -> pd.DataFrame:
    """Every school in a category on ``as_at``, with its progress since ``since``.

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS``: ``urn``, ``school_name``, ``category`` (code),
        ``date_entered``, ``months_in_category``, ``visits_since`` (monitoring
        visits since the last report), ``latest_visit`` and ``latest_outcome``
        (the latest visit to date), ``inspected_since`` and ``grade_since``
        (the latest inspection since the last report, 1-4), ``powers`` (text)
        and ``progress`` (words), most severe category first, then longest in it.
    """
    now = open_on(log, as_at).copy()
    start, end = pd.Timestamp(since), pd.Timestamp(as_at)
    now["months_in_category"] = months_between(now["date_entered"], end)
    now["visits_since"] = [sum(1 for d, _ in v if d > start) for v in now["visits"]]
    now["latest_visit"] = pd.to_datetime([v[-1][0] if v else pd.NaT for v in now["visits"]]).astype("datetime64[ns]")
    now["latest_outcome"] = pd.Series([v[-1][1] if v else None for v in now["visits"]], index=now.index,
                                      dtype="string")
    inspected = latest_inspections(history, lineage, now["urn"], start, end)
    now["inspected_since"] = pd.to_datetime(inspected["inspected"].to_numpy()).astype("datetime64[ns]")
    now["grade_since"] = pd.array(inspected["grade"].to_numpy(), dtype="Int64")
    now["powers"] = [_powers_text(r) for r in now.to_dict("records")]
    now["progress"] = [progress_words(n, o, g) for n, o, g in
                       zip(now["visits_since"], now["latest_outcome"], now["grade_since"], strict=True)]
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
        ``schools`` (``SCHOOL_COLUMNS``): ``urn``, ``school_name``, ``category``, ``date_entered``,
        ``months_in_category``, ``visits_since``, ``latest_visit``, ``latest_outcome``,
        ``inspected_since``, ``grade_since``, ``powers``, ``progress``.
    powers
        ``powers_used``: ``power``, ``n_this_year``, ``n_since_last_report``.
    exits
        ``exits``: ``urn``, ``school_name``, ``category``, ``date_entered``, ``date_exited``,
        ``months_in_category``, ``exit_reason``.
    alerts
        The early warning (``early_warning.EarlyWarning``: its alerts, risks and each school's results).
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

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee


def analyse(inputs: Inputs) -> Concerns:
    """The section's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "concerns")


def work_out(inputs: Inputs) -> Concerns:
    """The section's analysis from the period's inputs (concerns log, Ofsted MI, links, early-warning inputs)."""
    params = inputs.params
    log = inputs.get("concerns_log")
    mi = inputs.get("ofsted_mi")
    mi = mi[mi["la_code"] == params.la_code]
    links = inputs.get("establishment_links")
    lineage = school_records.lineages(links, pd.concat([mi["urn"], log["urn"]]).astype(str).unique(), as_at=params.as_at)
    history = school_records.inspection_history(mi, lineage, params.inspections.good_equivalent)
    return Concerns(
        as_at=params.as_at, since=params.since, counts=category_counts(log, params.as_at, params.since),
        schools=schools(log, history, lineage, params.as_at, params.since),
        powers=powers_used(log, params.as_at, params.since), exits=exits(log, params.as_at),
        alerts=early_warning.analyse(inputs, history=history, lineage=lineage,
                                     in_concerns_log=set(open_on(log, params.as_at)["urn"])),
        anonymiser=disclosure.anonymiser(inputs), threshold=params.suppression_threshold, lineage=lineage,
    )
