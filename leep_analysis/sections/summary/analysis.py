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

from ... import previous
from ...config import load_config
from ...content import Tile
from .. import achievement, budget, concerns, inspections, support
from . import evaluation, since, words

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
    tiles: list[Tile]
    narrative: Mapping[str, Any]
    rules: list[str] = field(default_factory=list)
    since_last: since.SinceLastReport | None = None  # against the previous pack


def analyse(inputs: Inputs) -> Summary:
    """Run the chosen sections' analyses and build the evaluation.

    Indicators A to C need the inspections section, D and E the achievement
    section; without them those indicators are "not rated" with the reason.
    """
    params = inputs.params
    chosen = set(params.sections)
    parts, messages, tiles = [], {}, []
    extra: dict[str, str] = {}
    found: dict[str, Any] = {}  # the section results "since the last report" reads its events from
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
        found["inspections"] = ins
        tiles += inspections.headline_tiles(ins)
        messages["inspections"] = [inspections.headline_sentence(ins), inspections.pupils_sentence(ins),
                                   inspections.concern_sentence(ins)]
    if "support" in chosen:
        sup = support.analyse(inputs)
        found["support"] = sup
        tiles += support.headlines(sup)
        messages["support"] = support.messages(sup)
    if "budget" in chosen:
        acc = budget.accounts(inputs)
        stmt = budget.statement(acc)
        tiles += budget.headlines(acc, stmt)
        messages["budget"] = budget.summary(acc, stmt)
    if "concerns" in chosen:
        con = concerns.analyse(inputs)
        found["concerns"] = con
        extra["B"] = words.category_progress(evaluation.category_counts(con.schools),
                                             params.suppression_threshold if params.for_committee else None)
        messages["concerns"] = concerns.messages(con)
    parts.append(evaluation.entered_measures(params.evaluation))
    measures = pd.concat([p for p in parts if not p.empty], ignore_index=True).sort_values("indicator", kind="stable")
    rated = evaluation.rate_measures(measures, params.evaluation)
    narrative = inputs.get("narrative")
    by_key = {t.key: t for t in tiles}
    shown = [by_key[k] for k in TILES if k in by_key]
    indicators = evaluation.summary_table(rated, narrative, extra)
    return Summary(measures=rated, indicators=indicators, messages=messages, tiles=shown, narrative=narrative,
                   rules=words.rules_text(evaluation.rules(params.evaluation), evaluation.tolerances(params.evaluation)),
                   since_last=since_last_report(inputs, rated, indicators, shown, found))


def since_last_report(inputs: Inputs, rated: pd.DataFrame, indicators: pd.DataFrame, tiles: list[Tile],
                      found: Mapping[str, Any]) -> since.SinceLastReport:
    """This pack against the previous pack the params name (``previous.load``), as that pack published it."""
    params = inputs.params
    kinds = tuple(k for k, section in (("entered_concern", "concerns"), ("left_concern", "concerns"),
                                       ("started_support", "support"), ("ended_support", "support"),
                                       ("inspected", "inspections")) if section in found)
    return since.compare(
        previous.load(params), indicators=indicators, measures=rated, tiles=tiles,
        reasons=since.rating_reasons(rated, params.evaluation),
        events=since.events(**found, since=params.since, as_at=params.as_at), kinds=kinds, period=params.period, since=params.since,
        committee=params.for_committee, threshold=params.suppression_threshold)
