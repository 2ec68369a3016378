"""The summary page's tables and layouts, from a ``Summary``: what the notebook shows, as blocks (``content``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ... import content, registry
from ...content import Block, Heading, Markdown, Paragraph, Points, Table, hidden
from . import words
from .analysis import Summary

#: A RAG rating as the tables give it.
_RATINGS = {"green": "Green", "amber": "Amber", "red": "Red", "not rated": "Not rated"}


def indicators(result: Summary) -> Table:
    """The A to G table (``summary__indicators.csv``)."""
    table = result.indicators
    shown = table.drop(columns=["actions", "comments"]).copy()
    shown["actions"] = [" ".join(x for x in (a, c) if x) or "–" for a, c in
                        zip(table["actions"], table["comments"], strict=True)]
    return Table(name="indicators", frame=shown, data=table,
                 caption="Summary evaluation: the DfE indicators A to G, national and local figures, trend and rating",
                 columns={"indicator": content.text(""), "description": content.text("Indicator"),
                          "national": content.text("National"), "local": content.text("Local"),
                          "trend": content.trend("Trend"), "rag": content.rag("RAG"),
                          "evidence": content.text("Evidence"), "actions": content.text("Actions and comments"),
                          "comments": content.text("Comments")})


def measures(result: Summary) -> Table:
    """Every measure behind the ratings (``summary__measures.csv``; the next pack compares with it)."""
    columns = ["indicator", "measure", "local", "national", "versus_national", "trend", "rag", "key", "year", "status",
               "unit", "decimals"]
    table = result.measures[columns].reset_index(drop=True)
    return Table(name="measures", frame=table, caption="The measures behind each rating",
                 columns={"indicator": content.text(""), "measure": content.text("Measure"),
                          "local": content.of_measure(content.measure("Local"), measure_from="key", area="la",
                                                      period_from="year"),
                          "national": content.of_measure(content.measure("National"), measure_from="key",
                                                         area="england", period_from="year"),
                          "versus_national": content.code("Against national", {"better": "better", "worse": "worse",
                                                                              "in_line": "in line"}),
                          "trend": content.trend("Trend"), "rag": content.rag("Rating"),
                          "key": hidden(content.text("Measure key")), "year": hidden(content.text("Figure of")),
                          "status": hidden(content.text("Status")), "unit": hidden(content.text("Unit")),
                          "decimals": hidden(content.count("Decimal places"))})


def messages(result: Summary) -> list[Block]:
    """Each section's key messages under its title."""
    titles = registry.SECTIONS
    blocks: list[Block] = []
    for section_id, lines in result.messages.items():
        blocks += [Heading(titles[section_id].title, 3), Points(tuple(lines))]
    return blocks


def narrative(result: Summary, part: str) -> list[Block]:
    """One part of the narrative (``priorities`` by term, or ``enablers``, ``blockers``, ...)."""
    value = result.narrative.get(part, "")
    if isinstance(value, Mapping):
        return [block for term, text in value.items() for block in
                (Heading(f"{term.capitalize()} term", 3), Markdown(text))]
    return [Markdown(str(value))]


#: Columns of ``summary__headlines.csv``: each tile's figure, typed (the next pack compares with it).
HEADLINE_COLUMNS = ["key", "label", "value", "unit", "decimals", "period", "status", "england", "versus", "detail"]


def headlines(result: Summary) -> Table:
    """The tiles as shown, typed (``summary__headlines.csv``, read by the next pack); written, not shown again."""
    rows = [{"key": t.key, "label": t.label, "value": t.value, "unit": t.unit, "decimals": t.decimals,
             "period": t.period, "status": t.status, "england": t.england, "versus": t.versus, "detail": t.detail}
            for t in result.tiles]
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype({"value": float, "england": float})
    withheld = {(n, "value") for n, t in enumerate(result.tiles) if t.suppressed}
    units = {"percent": "percent", "count": "count", "money": "money", "number": "number", "points": "points"}
    return Table(name="headlines", frame=frame, suppressed=withheld, shown=False,
                 caption="The headline figures shown above",
                 columns={"key": content.text("Measure key"), "label": content.text("Headline"),
                          "value": content.of_measure(content.measure("Figure"), measure_from="key", area="la",
                                                      period_from="period"),
                          "unit": content.code("Unit", units),
                          "decimals": content.count("Decimal places"), "period": content.text("Figure of"),
                          "status": content.text("Status"),
                          "england": content.of_measure(content.measure("England"), measure_from="key",
                                                        area="england", period_from="period"),
                          "versus": content.code("Against England", {"better": "better", "worse": "worse",
                                                                     "in_line": "in line"}),
                          "detail": content.text("Detail")})


def facts_table(result: Summary) -> Table:
    """The summary's own facts (the LA's entries: ``config/measures.yaml``), joined into ``tables/facts.csv``."""
    from ... import facts

    return facts.table(result.facts, "summary")


def since_last_report(result: Summary) -> list[Block]:
    """"Since the last report": the table against the previous pack and the sentences, or that there is none."""
    found = result.since_last
    if found is None:
        return []
    if found.previous is None:
        return [Paragraph(words.no_previous_report(found.previous_period, found.since))]
    table = found.table.copy()
    ratings = table["measure"].str.endswith(": rating")  # as the A to G table writes a rating
    shown = table.copy()
    for column in ("previous", "now", "change"):
        shown.loc[ratings, column] = shown.loc[ratings, column].map(lambda v: _RATINGS.get(v, v.capitalize()))
    sentences = [words.compared_with(found), *words.biggest_movements(found.movements),
                 *words.rating_changes(found.ratings), *words.revisions(found.movements, table),
                 *words.event_sentences(found.events, found.kinds, committee=found.committee,
                                        threshold=found.threshold)]
    directions = {"better": "Better", "worse": "Worse", "same": "Same", "new": "New"}
    return [Table(name="since_last_report", frame=shown, data=table,
                  caption="Since the last report: each rating, local figure and headline figure then and now",
                  columns={"measure": content.text("Measure"), "previous": content.text("Previous report"),
                           "now": content.text("This report"), "change": content.text("Change"),
                           "direction": content.code("Direction", directions), "note": content.text("Note")}),
            Points(tuple(sentences))]
