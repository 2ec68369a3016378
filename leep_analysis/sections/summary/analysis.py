"""The summary's figures: each chosen section's analysis, the A to G measures and their ratings.

The summary gathers: it runs the analyses of the sections in the pack
(achievement, inspections, support, budget, concerns: each only if the params
choose it), takes their headline tiles and key messages as those sections word
them, and turns their figures into the evaluation's measures (``evaluation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...config import load_config
from .. import achievement, budget, concerns, inspections, support
from . import evaluation, words

if TYPE_CHECKING:
    from ...inputs import Inputs

#: Tiles of the sections shown on the summary page, in order (``config/tiles.yaml``: A to G first).
TILES: list[str] = load_config("tiles")["summary"]


@dataclass(frozen=True)
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
        extra["B"] = words.category_progress(evaluation.category_counts(con.schools),
                                             params.suppression_threshold if params.committee else None)
        messages["concerns"] = concerns.messages(con)
    parts.append(evaluation.entered_measures(params.evaluation))
    measures = pd.concat([p for p in parts if not p.empty], ignore_index=True).sort_values("indicator", kind="stable")
    rated = evaluation.rate_measures(measures, params.evaluation)
    narrative = inputs.get("narrative")
    by_key = {t["key"]: t for t in tiles}
    return Summary(measures=rated, indicators=evaluation.summary_table(rated, narrative, extra),
                   messages=messages, tiles=[by_key[k] for k in TILES if k in by_key], narrative=narrative,
                   rules=words.rules_text(evaluation.rules(params.evaluation), evaluation.tolerances(params.evaluation)))
