"""The concerns section's tables, from a result: ``Section.show`` arguments, and the page layouts for ``render``.

Each table view returns the keyword arguments of ``Section.show`` (the frame
shown, its CSV, caption, labels and formats); ``concerns_page`` and
``early_warning_page`` return ``(method, arguments)`` blocks for
``Section.render``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ... import disclosure, tables
from ... import schools as school_records
from . import words
from .analysis import Concerns, label, year_start
from .early_warning import EarlyWarning

Blocks = list[tuple[str, dict[str, Any]]]


def _date(when: dt.date) -> str:
    return tables.FORMATS["date"](pd.Timestamp(when))


def _suppress(result: Concerns, frame: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    return disclosure.suppress(frame, counts, threshold=result.threshold, committee=result.committee)


def categories(result: Concerns) -> dict[str, Any]:
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


def schools(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the schools in a category (``concerns__schools.csv``)."""
    table = result.anonymiser.apply(result.schools)
    shown = table[["school_name", "category", "date_entered", "months_in_category", "visits_since",
                   "latest_visit", "powers", "progress"]].copy()
    shown["category"] = [label("categories", c) for c in result.schools["category"]]
    return {"frame": shown, "name": "schools", "csv": table, "notes": words.schools_note(result),
            "caption": f"Schools causing concern on {_date(result.as_at)} and their progress since {_date(result.since)}",
            "labels": {"school_name": "School", "category": "Category", "date_entered": "Entered",
                       "months_in_category": "Months in category", "visits_since": "Visits since last report",
                       "latest_visit": "Latest visit", "powers": "Powers used", "progress": "Progress"},
            "formats": {"date_entered": "date", "latest_visit": "date", "months_in_category": "int",
                        "visits_since": "int"}}


def powers(result: Concerns) -> dict[str, Any]:
    """``Section.show`` arguments for the statutory powers used (``concerns__powers.csv``)."""
    table = _suppress(result, result.powers, ["n_this_year", "n_since_last_report"])
    shown = table.copy()
    shown["power"] = [label("powers", p) for p in result.powers["power"]]
    return {"frame": shown, "name": "powers", "csv": table,
            "caption": f"Statutory powers used, academic year from {_date(year_start(result.as_at))}",
            "labels": {"power": "Power", "n_this_year": "This academic year",
                       "n_since_last_report": f"Since {_date(result.since)}"},
            "formats": {"n_this_year": "int", "n_since_last_report": "int"}}


def exits(result: Concerns) -> dict[str, Any]:
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


def risks(result: EarlyWarning) -> dict[str, Any]:
    """``Section.show`` arguments for the risk table (``concerns__risk_alerts.csv``)."""
    table = result.anonymiser.apply(result.risks)
    if result.anonymiser.committee:  # pupil numbers and FSM shares are published per school: they would name it
        table = table.drop(columns=["pupils", "pct_fsm_ever"])
    review = result.risks["suggested_tier"].isin(["intensive", "targeted"]).to_numpy()
    shown = table[review].drop(columns=[c for c in ("urn",) if c in table]).copy()
    rows = result.risks[review]
    shown["phase"] = [school_records.label("phases", p) for p in rows["phase"]]
    shown["governance"] = [school_records.label("governance", g) for g in rows["governance"]]
    shown["suggested_tier"] = [school_records.label("tiers", t) for t in rows["suggested_tier"]]
    shown["supported"] = ["yes" if s else "no" for s in rows["supported"]]
    shown["in_concerns_log"] = ["yes" if s else "no" for s in rows["in_concerns_log"]]
    return {"frame": shown, "name": "risk_alerts", "csv": table, "notes": words.risks_note(result, int((~review).sum())),
            "caption": "Schools whose early-warning score suggests targeted or intensive support, highest score first",
            "labels": {"school_name": "School", "phase": "Phase", "governance": "Governance", "pupils": "Pupils",
                       "pct_fsm_ever": "% ever FSM", "score": "Score",
                       "suggested_tier": "Suggested tier", "alerts": "Alerts",
                       "new_alerts": "New since last report", "supported": "Supported now",
                       "in_concerns_log": "In concerns log"},
            "formats": {"score": "int", "pupils": "int", "pct_fsm_ever": "pct0"}}


def concerns_page(result: Concerns) -> Blocks:
    """The schools-causing-concern part of the page: the key messages, then the four tables."""
    return [("points", {"items": words.messages(result)}),
            *(("show", view(result)) for view in (categories, schools, powers, exits))]


def early_warning_page(result: EarlyWarning) -> Blocks:
    """The early-warning part of the page: the key messages, then the risk table."""
    return [("points", {"items": words.early_warning_messages(result)}), ("show", risks(result))]
