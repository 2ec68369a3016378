"""The summary page's tables and layouts, from a ``Summary``: what the notebook shows.

``indicators`` and ``measures`` return the keyword arguments of
``Section.show``; ``messages`` and ``narrative`` return ``(method, arguments)``
blocks for ``Section.render``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ... import wording
from ...config import load_config
from . import words
from .analysis import Summary

Blocks = list[tuple[str, dict[str, Any]]]


def indicators(result: Summary) -> dict[str, Any]:
    """``Section.show`` arguments for the A to G table (``summary__indicators.csv``)."""
    table = result.indicators
    shown = table.drop(columns=["actions", "comments"]).copy()
    shown["actions"] = [" ".join(x for x in (a, c) if x) or "–" for a, c in
                        zip(table["actions"], table["comments"], strict=True)]
    return {"frame": shown, "name": "indicators", "csv": table, "formats": {"rag": "rag", "trend": "trend"},
            "caption": "Summary evaluation: the DfE indicators A to G, national and local figures, trend and rating",
            "labels": {"indicator": "", "description": "Indicator", "national": "National", "local": "Local",
                       "trend": "Trend", "rag": "RAG", "evidence": "Evidence", "actions": "Actions and comments"}}


def measures(result: Summary) -> dict[str, Any]:
    """``Section.show`` arguments for every measure behind the ratings (``summary__measures.csv``)."""
    columns = ["indicator", "measure", "local", "national", "versus_national", "trend", "rag"]
    table = result.measures[columns]
    shown = table.copy()
    # the snapshot A to C are of (D and E name their year), so the next pack tells a reissue from a change
    table = table.assign(figure_of=result.measures.get("figure_of"))
    shown["versus_national"] = [str(v).replace("_", " ") if isinstance(v, str) else "–" for v in table["versus_national"]]
    for column in ("local", "national"):
        shown[column] = [wording.number(v, u, d, words=False) for v, u, d in zip(table[column], result.measures["unit"],
                                                                      result.measures["decimals"], strict=True)]
    shown["trend"] = [t if isinstance(t, str) else "–" for t in table["trend"]]
    return {"frame": shown, "name": "measures", "csv": table.reset_index(drop=True),
            "formats": {"rag": "rag", "trend": "trend"},
            "caption": "The measures behind each rating",
            "labels": {"indicator": "", "measure": "Measure", "local": "Local", "national": "National",
                       "versus_national": "Against national", "trend": "Trend", "rag": "Rating"}}


def messages(result: Summary) -> Blocks:
    """Each section's key messages under its title."""
    titles = load_config("sections")
    blocks: Blocks = []
    for section_id, lines in result.messages.items():
        blocks += [("heading", {"text": titles[section_id]["title"], "level": 3}), ("points", {"items": lines})]
    return blocks


def narrative(result: Summary, part: str) -> Blocks:
    """One part of the narrative (``priorities`` by term, or ``enablers``, ``blockers``, ...)."""
    value = result.narrative.get(part, "")
    if isinstance(value, Mapping):
        return [block for term, text in value.items() for block in
                (("heading", {"text": f"{term.capitalize()} term", "level": 3}), ("markdown", {"text": text}))]
    return [("markdown", {"text": str(value)})]


def headlines(result: Summary) -> dict[str, Any]:
    """``Section.write_table`` arguments for the tiles as shown (``summary__headlines.csv``, read by the next pack)."""
    frame = pd.DataFrame([{k: t.get(k, "") for k in ("key", "label", "value", "detail")} for t in result.tiles],
                         columns=["key", "label", "value", "detail"])
    return {"frame": frame, "name": "headlines", "caption": "The headline figures shown above"}


def since_last_report(result: Summary) -> Blocks:
    """"Since the last report": the table against the previous pack and the sentences, or that there is none."""
    found = result.since_last
    if found is None:
        return []
    if found.previous is None:
        return [("say", {"text": words.no_previous_report(found.previous_period, found.since)})]
    table = found.table
    shown = table.copy()
    shown["direction"] = [d.capitalize() if d else "–" for d in table["direction"]]
    for column in ("previous", "now", "change", "note"):
        shown[column] = [v if v else "–" for v in table[column]]
    ratings = table["measure"].str.endswith(": rating")  # as the A to G table writes a rating
    for column in ("previous", "now", "change"):
        shown.loc[ratings, column] = shown.loc[ratings, column].str.capitalize()
    sentences = [words.compared_with(found), *words.biggest_movements(found.movements),
                 *words.rating_changes(found.ratings), *words.revisions(found.movements, table),
                 *words.event_sentences(found.events, found.kinds, committee=found.committee,
                                        threshold=found.threshold)]
    return [("show", {"frame": shown, "name": "since_last_report", "csv": table,
                      "caption": "Since the last report: each rating, local figure and headline figure then and now",
                      "labels": {"measure": "Measure", "previous": "Previous report", "now": "This report",
                                 "change": "Change", "direction": "Direction", "note": "Note"}}),
            ("points", {"items": sentences})]
