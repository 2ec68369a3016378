"""The summary page: the DfE indicators A to G, headline tiles, and each section's key messages.

It runs the analyses of the sections in the pack (achievement, inspections,
support, budget, concerns: each only if the params choose it), turns their
figures into the evaluation's measures (``evaluation``), and takes the
partnership's own words (priorities, enablers, blockers, actions) from the
period's narrative file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import wording
from ...config import load_config
from .. import achievement, budget, concerns, inspections, support
from . import evaluation

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ...report import Section

#: Tiles of the sections shown on the summary page, in order.
TILES = ["inspections_pupils_good_or_better", "inspections_category_of_concern", "achievement_KS2RWM_Expected_STD",
         "achievement_AVG_Attain8_Score", "support_schools", "budget_leep_pct_spent"]
RAG_CSS = {"green": "leep-rag-green", "amber": "leep-rag-amber", "red": "leep-rag-red", "not rated": "leep-rag-none"}


@dataclass
class Summary:
    """What the summary page shows (built by ``analyse``)."""

    measures: pd.DataFrame  # evaluation.rate_measures output
    indicators: pd.DataFrame  # evaluation.INDICATOR_COLUMNS
    messages: dict[str, list[str]]  # section id -> key messages
    tiles: list[dict[str, str]]
    narrative: Mapping[str, Any]
    rules: list[str] = field(default_factory=list)


def analyse(inputs: Inputs) -> Summary:
    """Run the chosen sections' analyses and build the evaluation.

    Indicators A to C need the inspections section, D and E the achievement
    section; without them those indicators are "not rated" with the reason.
    """
    params = inputs.params
    chosen = set(params.sections)
    parts, messages, tiles = [], {}, []
    extra: dict[str, str] = {}
    if "achievement" in chosen:
        ach = achievement.analyse(inputs)
        parts.append(evaluation.attainment_measures(ach.latest))
        tiles += achievement.headline_tiles(ach)
        notable = [achievement.sentence(r, ach.comp.la_name) for r in ach.latest.to_dict("records")
                   if r["tile"] and not pd.isna(r["la_value"])]
        messages["achievement"] = notable
    if "inspections" in chosen:
        ins = inspections.analyse(inputs)
        parts.append(evaluation.inspection_measures(ins.summary, params.evaluation))
        tiles += inspections.headline_tiles(ins)
        messages["inspections"] = [inspections.headline_sentence(ins), inspections.pupils_sentence(ins),
                                   inspections.concern_sentence(ins)]
    if "support" in chosen:
        sup = support.analyse(inputs)
        tiles += support.headlines(sup)
        messages["support"] = support.messages(sup)
    if "budget" in chosen:
        acc = budget.accounts(inputs)
        stmt = budget.statement(acc)
        tiles += budget.headlines(acc, stmt)
        messages["budget"] = budget.summary(acc, stmt)
    if "concerns" in chosen:
        con = concerns.analyse(inputs)
        extra["B"] = evaluation.category_progress(con.schools, params.suppression_threshold if params.committee else None)
        messages["concerns"] = concerns.messages(con)
    parts.append(evaluation.entered_measures(params.evaluation))
    measures = pd.concat([p for p in parts if not p.empty], ignore_index=True).sort_values("indicator", kind="stable")
    rated = evaluation.rate_measures(measures, params.evaluation)
    narrative = inputs.get("narrative")
    by_key = {t["key"]: t for t in tiles}
    return Summary(measures=rated, indicators=evaluation.summary_table(rated, narrative, extra),
                   messages=messages, tiles=[by_key[k] for k in TILES if k in by_key], narrative=narrative,
                   rules=evaluation.rules_text(params.evaluation))


def indicators_view(result: Summary) -> dict[str, Any]:
    """``Section.show`` arguments for the A to G table (``summary__indicators.csv``)."""
    table = result.indicators
    shown = table.drop(columns=["actions", "comments"]).copy()
    shown["rag"] = [r.capitalize() if r != "not rated" else "Not rated" for r in table["rag"]]
    shown["actions"] = [" ".join(x for x in (a, c) if x) or "–" for a, c in
                        zip(table["actions"], table["comments"], strict=True)]
    return {"frame": shown, "name": "indicators", "csv": table,
            "caption": "Summary evaluation: the DfE indicators A to G, national and local figures, trend and rating",
            "labels": {"indicator": "", "description": "Indicator", "national": "National", "local": "Local",
                       "trend": "Trend", "rag": "RAG", "evidence": "Evidence", "actions": "Actions and comments"}}


def measures_view(result: Summary) -> dict[str, Any]:
    """``Section.show`` arguments for every measure behind the ratings (``summary__measures.csv``)."""
    columns = ["indicator", "measure", "local", "national", "versus_national", "trend", "rag"]
    table = result.measures[columns]
    shown = table.copy()
    shown["versus_national"] = [str(v).replace("_", " ") if isinstance(v, str) else "–" for v in table["versus_national"]]
    for column in ("local", "national"):
        shown[column] = [wording.number(v, u, d, words=False) for v, u, d in zip(table[column], result.measures["unit"],
                                                                      result.measures["decimals"], strict=True)]
    shown["trend"] = [t if isinstance(t, str) else "–" for t in table["trend"]]
    shown["rag"] = [r.capitalize() for r in table["rag"]]
    return {"frame": shown, "name": "measures", "csv": table.reset_index(drop=True),
            "caption": "The measures behind each rating",
            "labels": {"indicator": "", "measure": "Measure", "local": "Local", "national": "National",
                       "versus_national": "Against national", "trend": "Trend", "rag": "Rating"}}


def show_messages(section: Section, result: Summary) -> None:
    """Each section's key messages under its title."""
    for section_id, lines in result.messages.items():
        section.heading(load_config("sections")[section_id]["title"], level=3)
        section.points(lines)


def show_narrative(section: Section, result: Summary, part: str) -> None:
    """One part of the narrative (``priorities`` by term, or ``enablers``, ``blockers``, ...)."""
    value = result.narrative.get(part, "")
    if isinstance(value, Mapping):
        for term, text in value.items():
            section.heading(f"{term.capitalize()} term", level=3)
            section.markdown(text)
    else:
        section.markdown(str(value))
