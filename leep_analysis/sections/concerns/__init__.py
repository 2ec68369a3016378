"""Schools causing concern: who is in a category, for how long, their progress, and the powers used.

From the LA's concerns log (``sources.concerns_log``), read as at the period's
date: an episode counts once entered on or before ``as_at`` and until its exit;
visits, powers and exits after ``as_at`` are not yet known. Progress since the
last report comes from the monitoring visits and from inspections in Ofsted's
management information (followed across a change of URN). The academic year
for "powers used this year" runs from 1 September.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import disclosure, tables
from ... import schools as school_records
from ...inputs import shared_analysis
from ...sources import concerns_log
from . import early_warning

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ...report import Section

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


def year_start(when: dt.date) -> dt.date:
    """1 September of the academic year holding ``when``."""
    return dt.date(when.year if when.month >= 9 else when.year - 1, 9, 1)


def months_between(start: pd.Series, end: pd.Timestamp) -> pd.Series:
    """Whole months from each start to ``end`` (30.44 days a month)."""
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
    left["months_in_category"] = np.floor((left["date_exited"] - left["date_entered"]).dt.days / 30.44).astype("Int64")
    columns = ["urn", "school_name", "category", "date_entered", "date_exited", "months_in_category", "exit_reason"]
    return left.sort_values(["date_exited", "urn"])[columns].reset_index(drop=True)


@dataclass
class Concerns:
    """Everything the concerns section shows (built by ``analyse``)."""

    as_at: dt.date
    since: dt.date
    counts: pd.DataFrame
    schools: pd.DataFrame
    powers: pd.DataFrame
    exits: pd.DataFrame
    alerts: early_warning.EarlyWarning
    anonymiser: disclosure.Anonymiser
    threshold: int

    @property
    def committee(self) -> bool:
        return self.anonymiser.committee


@shared_analysis("concerns")
def analyse(inputs: Inputs) -> Concerns:
    """The section's analysis from the period's inputs (concerns log, Ofsted MI, links, early-warning inputs)."""
    params = inputs.params
    log = inputs.get("concerns_log")
    mi = inputs.get("ofsted_mi")
    mi = mi[mi["la_code"] == params.la_code]
    links = inputs.get("establishment_links")
    lineage = school_records.lineages(pd.concat([mi["urn"], log["urn"]]).astype(str).unique(), links)
    history = school_records.inspection_history(mi, lineage, params.inspections.good_equivalent)
    return Concerns(
        as_at=params.as_at, since=params.since, counts=category_counts(log, params.as_at, params.since),
        schools=schools(log, history, lineage, params.as_at, params.since),
        powers=powers_used(log, params.as_at, params.since), exits=exits(log, params.as_at),
        alerts=early_warning.analyse(inputs, history=history, lineage=lineage, concerns=log),
        anonymiser=disclosure.anonymiser(inputs), threshold=params.suppression_threshold,
    )


# --------------------------------------------------------------------------- words and views
def _date(when: dt.date) -> str:
    return tables.FORMATS["date"](pd.Timestamp(when))


def _long(when: dt.date) -> str:
    return f"{when.day} {when.strftime('%B %Y')}"


def _count(result: Concerns, n: int) -> str:
    return disclosure.count_text(n, threshold=result.threshold, committee=result.committee)


def messages(result: Concerns) -> list[str]:
    """Key messages: schools in a category now and before, entries, exits, powers, progress."""
    total = result.counts.set_index("category").loc["all"]
    ofsted = [c for c, e in config()["categories"].items() if e["ofsted"]]
    in_ofsted = int(result.counts.set_index("category").loc[ofsted, "n_now"].sum())
    lines = [
        f"On {_long(result.as_at)} {_count(result, int(total['n_now']))} schools were in a category of concern or at "
        f"risk ({_count(result, in_ofsted)} in an Ofsted category), against {_count(result, int(total['n_previous']))} "
        f"at the last report on {_long(result.since)}; {_count(result, int(total['entered_since']))} entered and "
        f"{_count(result, int(total['exited_since']))} left since.",
    ]
    if not result.schools.empty:
        escalate = int(result.schools["progress"].str.startswith("not taking").sum())
        lines.append(f"{_count(result, escalate)} of them were not taking effective action at their latest "
                     "monitoring visit since the last report.")
        long = int(result.schools["months_in_category"].ge(18).sum())
        lines.append(f"{_count(result, long)} had been in their category for 18 months or more (the point by which "
                     "Ofsted expects a school in a category to have been re-inspected).")
    used = result.powers[result.powers["n_this_year"] > 0]
    if used.empty:
        lines.append("No statutory powers have been used this academic year.")
    else:
        lines.append("Statutory powers used this academic year: " + ", ".join(
            f"{label('powers', p).lower()} {_count(result, int(n))}" for p, n in
            zip(used["power"], used["n_this_year"], strict=True)) + ".")
    return lines


def _suppress(result: Concerns, frame: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    return disclosure.suppress(frame, counts, threshold=result.threshold, committee=result.committee)


def counts_view(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the schools in each category (``concerns__categories.csv``)."""
    counts = ["n_now", "n_previous", "entered_since", "exited_since"]
    table = _suppress(result, result.counts, counts)
    shown = table.copy()
    shown["category"] = ["All schools causing concern" if c == "all" else label("categories", c)
                         for c in result.counts["category"]]
    return {"frame": shown, "name": "categories", "csv": table,
            "caption": f"Schools in each category of concern, {_date(result.since)} and {_date(result.as_at)}",
            "labels": {"category": "Category", "n_now": f"On {_date(result.as_at)}",
                       "n_previous": f"On {_date(result.since)}", "entered_since": "Entered since",
                       "exited_since": "Left since"},
            "formats": dict.fromkeys(counts, "int")}


def schools_view(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the schools in a category (``concerns__schools.csv``)."""
    table = result.anonymiser.apply(result.schools)
    shown = table[["school_name", "category", "date_entered", "months_in_category", "visits_since",
                   "latest_visit", "powers", "progress"]].copy()
    shown["category"] = [label("categories", c) for c in result.schools["category"]]
    note = ("The latest visit's outcome and any inspection since the last report are in the progress column; "
            "the CSV has them as columns."
            + (" Schools are shown as School A, School B and so on." if result.committee else ""))
    return {"frame": shown, "name": "schools", "csv": table, "notes": note,
            "caption": f"Schools causing concern on {_date(result.as_at)} and their progress since {_date(result.since)}",
            "labels": {"school_name": "School", "category": "Category", "date_entered": "Entered",
                       "months_in_category": "Months in category", "visits_since": "Visits since last report",
                       "latest_visit": "Latest visit", "powers": "Powers used", "progress": "Progress"},
            "formats": {"date_entered": "date", "latest_visit": "date", "months_in_category": "int",
                        "visits_since": "int"}}


def powers_view(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the statutory powers used (``concerns__powers.csv``)."""
    table = _suppress(result, result.powers, ["n_this_year", "n_since_last_report"])
    shown = table.copy()
    shown["power"] = [label("powers", p) for p in result.powers["power"]]
    return {"frame": shown, "name": "powers", "csv": table,
            "caption": f"Statutory powers used, academic year from {_date(year_start(result.as_at))}",
            "labels": {"power": "Power", "n_this_year": "This academic year",
                       "n_since_last_report": f"Since {_date(result.since)}"},
            "formats": {"n_this_year": "int", "n_since_last_report": "int"}}


def exits_view(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the schools that left a category this year (``concerns__exits.csv``)."""
    table = result.anonymiser.apply(result.exits)
    shown = table.drop(columns=[c for c in ("urn",) if c in table]).copy()
    shown["category"] = [label("categories", c) for c in result.exits["category"]]
    shown["exit_reason"] = [label("exit_reasons", r) for r in result.exits["exit_reason"]]
    if table.empty:
        table, shown = table.astype(object), shown.astype(object)
    return {"frame": shown, "name": "exits", "csv": table,
            "caption": f"Schools that left a category this academic year, to {_date(result.as_at)}",
            "labels": {"school_name": "School", "category": "Category", "date_entered": "Entered",
                       "date_exited": "Left", "months_in_category": "Months in category", "exit_reason": "How"},
            "formats": {"date_entered": "date", "date_exited": "date", "months_in_category": "int"}}


def show(section: Section, result: Concerns) -> None:
    """The schools-causing-concern part of the page: messages and the four tables."""
    section.points(messages(result))
    section.show(**counts_view(result))
    section.show(**schools_view(result))
    section.show(**powers_view(result))
    section.show(**exits_view(result))
