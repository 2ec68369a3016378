"""The concerns section's tables and page layouts (``content`` blocks), from a result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from ... import charts, content, disclosure, relations, statcharts, tables
from ... import schools as school_records
from ...content import Block, Figure, Points, Table
from ...sources.support_register import config as support_config
from ...wording import number
from . import words
from .analysis import Concerns, config, year_start
from .early_warning import EarlyWarning
from .early_warning import config as early_warning_config


def _date(when: dt.date) -> str:
    return tables.FORMATS["date"](pd.Timestamp(when))


def _codes(kind: str) -> dict[str, str]:
    """``config/concerns.yaml``'s codes of a kind and their labels."""
    return {str(code): (entry["label"] if isinstance(entry, Mapping) else str(entry))
            for code, entry in config()[kind].items()}


def _support_codes(kind: str) -> dict[str, str]:
    """The support register's codes of a kind (phases, governance, tiers) and their labels."""
    return {code: school_records.label(kind, code) for code in support_config()[kind]}


def columns() -> dict[str, content.Column]:
    """How the section's table columns read: codes with their labels, dates, counts."""
    yes_no = {"True": "yes", "False": "no"}
    return {
        "urn": content.text("URN"), "school_name": content.text("School"),
        "category": content.code("Category", {"ofsted": "In an Ofsted category (all)", **_codes("categories")}),
        "ofsted": content.code("Ofsted category or LA list", {"True": "Ofsted category", "False": "LA's own list"}),
        "monitored_by": content.code("Visits by", {"ofsted": "Ofsted (monitoring)", "la": "The LA (review)"}),
        "grade_before": content.code("Grade before", {str(g): school_records.grade_label(g) for g in (1, 2, 3, 4)}),
        "basis_since": content.code("Grade from", {"overall": "Overall effectiveness",
                                                    "key_judgement_rule": "Key-judgement rule",
                                                    "report_card": "Report card", "none": "No grade"}),
        "change_since": content.code("Change", {"improved": "Improved", "same": "Same grade", "declined": "Declined",
                                                "first": "No grade before to compare",
                                                "report_card": "Report card (no grade to compare)",
                                                "no_grade": "No grade under its framework"}),
        "date_entered": content.date("Entered"), "date_exited": content.date("Left"),
        "months_in_category": content.count("Months in category"),
        "visits_since": content.count("Visits since last report"), "latest_visit": content.date("Latest visit"),
        "latest_outcome": content.code("Latest visit's outcome", _codes("visit_outcomes")),
        "inspected_since": content.date("Inspected since"),
        "grade_since": content.code("Grade since", {str(g): school_records.grade_label(g) for g in (1, 2, 3, 4)}),
        "powers": content.text("Powers used"), "progress": content.text("Progress"),
        "exit_reason": content.code("How", _codes("exit_reasons")),
        "power": content.code("Power", _codes("powers")),
        "phase": content.code("Phase", _support_codes("phases")),
        "governance": content.code("Governance", _support_codes("governance")),
        "pupils": content.count("Pupils"), "pct_fsm_ever": content.percent("% ever FSM"),
        "score": content.count("Score"), "suggested_tier": content.code("Suggested tier", _support_codes("tiers")),
        "alerts": content.text("Alerts"), "new_alerts": content.text("New since last report"),
        "supported": content.code("Supported now", yes_no), "in_concerns_log": content.code("In concerns log", yes_no),
    }


def _withheld(result: Concerns, frame: pd.DataFrame, counts: list[str],
              relations_: tuple[relations.Relation, ...] = ()) -> disclosure.Withheld:
    return disclosure.withhold(frame, counts, threshold=result.threshold, committee=result.committee,
                               relations=relations_)


_CATEGORY_COUNTS = ["n_now", "n_previous", "entered_since", "exited_since"]


def category_relations() -> tuple[relations.Relation, ...]:
    """Now = at the last report + entered - left; the Ofsted row = its categories (a reader's sums)."""
    ofsted = [c for c, e in config()["categories"].items() if e["ofsted"] and c != "ofsted"]
    return (relations.across("n_now", ["n_previous", "entered_since"], ["exited_since"]),
            relations.down("category", "ofsted", _CATEGORY_COUNTS, ofsted))


def public_categories() -> set[str]:
    """The categories that are Ofsted's (and their total row): each school's is in Ofsted's published reports, and
    the inspections page counts them, so a committee pack shows them whole (docs/disclosure.md, rule 3)."""
    if not disclosure.public("concerns_ofsted_category"):  # the officer's list (``config/disclosure.yaml``) decides
        return set()
    return {c for c, e in config()["categories"].items() if e["ofsted"]} | {"ofsted"}


def categories_withheld(result: Concerns) -> disclosure.Withheld:
    """The counts of each category: the LA's own list's small counts, and those that would give them away, withheld
    (committee); Ofsted's categories shown whole. Each relation of the LA's own rows holds within its row."""
    own = ~result.counts["category"].isin(public_categories()).to_numpy(dtype=bool)
    return disclosure.withhold_rows(result.counts, own, _CATEGORY_COUNTS, threshold=result.threshold,
                                    committee=result.committee, relations=category_relations())


def categories(result: Concerns) -> Table:
    """The schools in each category (``concerns__categories.csv``)."""
    table = categories_withheld(result)
    # the Ofsted row's and the at-risk row's counts now are facts: withheld here, withheld in tables/facts.csv
    frame = table.frame.assign(measure=table.frame["category"].map(
        {"ofsted": "concerns_ofsted_category", "at_risk": "concerns_at_risk"}))
    return Table(name="categories", frame=frame, suppressed=table.cells, relations=category_relations(),
                 caption=f"Schools in each Ofsted category of concern, and on the LA's own at-risk list, "
                         f"{_date(result.since)} and {_date(result.as_at)}",
                 notes="The LA's at-risk list is not an Ofsted category and is never added to them.",
                 columns={**columns(), "n_now": content.of_measure(content.count(f"On {_date(result.as_at)}"),
                                                                  measure_from="measure", period=result.as_at),
                          "measure": content.hidden(content.text("Measure")),
                          "n_previous": content.count(f"On {_date(result.since)}"),
                          "entered_since": content.count("Entered since"), "exited_since": content.count("Left since")})


def schools(result: Concerns) -> Table:
    """The schools in a category (``concerns__schools.csv``)."""
    table = result.anonymiser.apply(result.schools)
    shown = table[["school_name", "category", "date_entered", "months_in_category", "visits_since",
                   "latest_visit", "powers", "progress"]]
    return Table(name="schools", frame=shown, data=table, columns=columns(), notes=words.schools_note(result),
                 caption=f"Schools causing concern on {_date(result.as_at)} and their progress since "
                         f"{_date(result.since)}")


def powers(result: Concerns) -> Table:
    """The statutory powers used (``concerns__powers.csv``)."""
    table = _withheld(result, result.powers, ["n_this_year", "n_since_last_report"])
    return Table(name="powers", frame=table.frame, suppressed=table.cells,
                 caption=f"Statutory powers used, academic year from {_date(year_start(result.as_at))}",
                 columns={**columns(), "n_this_year": content.count("This academic year"),
                          "n_since_last_report": content.count(f"Since {_date(result.since)}")})


def exits(result: Concerns) -> Table:
    """The schools that left a category this year (``concerns__exits.csv``)."""
    table = result.anonymiser.apply(result.exits)
    shown = table.drop(columns=[c for c in ("urn",) if c in table])
    return Table(name="exits", frame=shown, data=table, columns=columns(),
                 caption=f"Schools that left a category this academic year, to {_date(result.as_at)}")


def risks(result: EarlyWarning) -> Table:
    """The risk table (``concerns__risk_alerts.csv``)."""
    table = result.anonymiser.apply(result.risks)
    if result.anonymiser.committee:  # pupil numbers and FSM shares are published per school: they would name it
        table = table.drop(columns=["pupils", "pct_fsm_ever"])
    review = result.risks["suggested_tier"].isin(["intensive", "targeted"]).to_numpy()
    shown = table[review].drop(columns=[c for c in ("urn",) if c in table])
    return Table(name="risk_alerts", frame=shown, data=table, columns=columns(),
                 notes=words.risks_note(result, int((~review).sum())),
                 caption="Schools whose early-warning score suggests targeted or intensive support, highest score first")


def facts_table(result: Concerns) -> Table:
    """The section's facts (``config/measures.yaml``), joined into the pack's ``tables/facts.csv``."""
    from ... import facts

    return facts.table(result.facts, "concerns")


def concerns_page(result: Concerns) -> list[Block]:
    """The schools-causing-concern part of the page: the key messages, then the four tables.

    A committee pack has the two tables of counts only (categories, powers): which schools the LA has on its
    at-risk list, and how each is progressing, is the LA's confidential view of a school (an exempt appendix,
    ``exempt``, gives them to councillors where the params ask for one).
    """
    views = (categories, powers) if result.committee else (categories, schools, powers, exits)
    return [Points(tuple(words.messages(result))), *(view(result) for view in views)]


def _places(unit: str) -> int:
    return 0 if unit == "percent" else 2


def results_figure(result: EarlyWarning) -> Figure | None:
    """Each open school's headline result by phase, against the LA, England and the early-warning line.

    A box and strip plot (``statcharts.school_results``): the schools' spread, every school a point,
    with the LA's and England's figures and the result below which the early warning raises an alert.
    The points are the schools' published results, unnamed. In a committee pack a phase with fewer
    schools than the suppression threshold is not drawn, and counts below it are written as "fewer
    than N"; None where no phase has results.
    """
    frame = result.results
    rules = early_warning_config()["results"]
    committee = result.anonymiser.committee
    rows, described, left_out = [], [], []
    for stage, rule in rules.items():
        part = frame[frame["key_stage"] == stage]
        if part.empty:
            continue
        year = int(part["year"].iloc[0])
        unit, places = str(rule.get("unit", "")), _places(str(rule.get("unit", "")))
        panel = f"{rule.get('phase', stage)}: {rule['label']}, {year - 1}/{year % 100:02d}"
        if committee and len(part) < result.threshold:
            left_out.append(f"{rule.get('phase', stage).lower()} (fewer than {result.threshold} schools)")
            continue
        la, england = float(part["la_value"].iloc[0]), float(part["england"].iloc[0])
        alert = england - float(rule["margin"]) if pd.notna(england) else float("nan")
        margin = number(float(rule["margin"]), "points" if unit == "percent" else "", places)
        lines = [("la", f"LA {number(la, unit, places, words=False)}", la),
                 ("england", f"England {number(england, unit, places, words=False)}", england),
                 ("alert", f"Early-warning line: {margin} below England", alert)]
        rows += [{"panel": panel, "unit": unit, "series": "school", "label": "", "value": float(v)}
                 for v in part["value"]]
        rows += [{"panel": panel, "unit": unit, "series": s, "label": text, "value": v} for s, text, v in lines]
        values = part["value"].astype(float)
        below = int((values < alert).sum()) if pd.notna(alert) else 0
        count = disclosure.count_text(below, threshold=result.threshold, committee=committee)
        described.append(
            f"{panel}: {len(part):,} schools, middle half from {number(values.quantile(0.25), unit, places)} to "
            f"{number(values.quantile(0.75), unit, places)}, median {number(values.median(), unit, places)}; "
            f"the LA {number(la, unit, places)}, England {number(england, unit, places)}; {count} "
            f"{'school' if below == 1 else 'schools'} below the early-warning line")
    if not rows:
        return None
    drawn = pd.DataFrame(rows, columns=["panel", "unit", "series", "label", "value"])
    missing = f" Not drawn: {'; '.join(left_out)}." if left_out else ""
    return charts.figure(
        "box and strip", drawn, statcharts.school_results,
        caption="Each open school's latest headline result by phase (a point per school; the box holds the middle "
                "half of schools), against the LA, England and the result below which an alert is raised",
        alt="Box plots with a point for each school. " + ". ".join(described) + "." + missing)


def early_warning_page(result: EarlyWarning) -> list[Block]:
    """The early-warning part of the page: the key messages, each school's result by phase, then the risk table.

    A committee pack has the key messages only (counts by suggested tier): a row per school with its alerts,
    labelled or not, is matched to the school by its phase and governance, and a point per school on a chart by
    its published result.
    """
    if result.anonymiser.committee:
        return [Points(tuple(words.early_warning_messages(result)))]
    return [Points(tuple(words.early_warning_messages(result))), results_figure(result), risks(result)]

