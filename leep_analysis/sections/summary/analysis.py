"""The summary's figures: each chosen section's analysis, the A to G measures and their ratings.

The summary gathers: it reads the analyses of the sections in the pack (achievement,
inspections, support, budget, concerns: ``uses`` in ``config/sections.yaml``, each handed
to ``work_out`` by name where the params choose it), takes their headline tiles and key
messages as those sections word them, and turns their figures into the evaluation's
measures (``evaluation``). What each section gives is one function of ``PARTS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import analyses, facts, previous
from ...config import load_config
from ...content import Tile
from .. import achievement, budget, concerns, inspections, support
from . import evaluation, since, words

if TYPE_CHECKING:
    from ...inputs import Inputs
    from ...params import PeriodParams

#: Tiles of the sections shown on the summary page, in order (``config/tiles.yaml``: A to G first).
TILES: list[str] = load_config("tiles")["summary"]


@dataclass(frozen=True)
class Summary:
    """What the summary page shows (built by ``analyse``).

    Attributes
    ----------
    measures
        Each measure behind the A to G evaluation (``evaluation.rate_measures``): ``indicator`` (A to G),
        ``measure``, ``local``, ``national``, ``unit``, ``trend``, ``evidence``, ``decimals``, ``key``,
        ``year``, ``status``, ``rag``, ``versus_national``.
    indicators
        The evaluation table, one row per indicator (``evaluation.INDICATOR_COLUMNS``): ``indicator``,
        ``description``, ``national``, ``local``, ``trend``, ``rag``, ``evidence``, ``actions``, ``comments``.
    messages
        Section id -> its key messages (sentences).
    tiles
        The headline tiles (``content.Tile``), in ``config/tiles.yaml``'s order.
    narrative
        The LA's narrative (priorities, enablers, blockers, actions).
    rules
        The RAG rules applied, in words.
    since_last
        Against the previous pack (``since.SinceLastReport``), or None without one.
    facts
        The summary's own facts (indicator F) (``facts.COLUMNS``), joined into the pack's ``tables/facts.csv``: ``measure``,
        ``label``, ``area``, ``area_name``, ``period``, ``status``, ``value``, ``numerator``, ``denominator``,
        ``unit``, ``decimals``, ``section``.
    """

    measures: pd.DataFrame
    indicators: pd.DataFrame
    messages: dict[str, list[str]]
    tiles: list[Tile]
    narrative: Mapping[str, Any]
    rules: list[str] = field(default_factory=list)
    since_last: since.SinceLastReport | None = None  # against the previous pack
    facts: pd.DataFrame = field(default_factory=facts.empty)  # facts.COLUMNS: the LA's own entries (F)


@dataclass(frozen=True)
class Part:
    """What one section's analysis gives the summary: evaluation measures, tiles, key messages, the
    evidence text of an indicator (``extra``), and the result "since the last report" reads events from."""

    messages: list[str]
    tiles: list[Tile] = field(default_factory=list)
    measures: pd.DataFrame | None = None
    extra: dict[str, str] = field(default_factory=dict)
    events: Any = None


def _achievement(ach: achievement.Achievement, params: PeriodParams) -> Part:
    notable = []
    for r in ach.latest.to_dict("records"):
        if r["tile"] and not pd.isna(r["la_value"]):
            notable.append(achievement.sentence(r, ach.comp.la_name))
            # a headline whose companion measure tells against it says so (NEET beside activity not known)
            companion = achievement.words.companion_sentence(ach, r["indicator"])
            if companion is not None:
                notable.append(companion)
    return Part(notable, achievement.headline_tiles(ach), evaluation.attainment_measures(ach.latest))


def _inspections(ins: inspections.Inspections, params: PeriodParams) -> Part:
    measures = evaluation.inspection_measures(ins.known, params.evaluation, withhold_below=(
        ins.threshold if params.for_committee and ins.threshold > 1 else None))  # Ofsted's public counts: shown
    lines = [inspections.headline_sentence(ins), inspections.pupils_sentence(ins),
             inspections.words.with_rule_sentence(ins), inspections.concern_sentence(ins),
             inspections.words.rise_sentence(ins)]
    return Part([line for line in lines if line], [*inspections.headline_tiles(ins), *inspections.words.summary_tiles(ins)],
                measures, events=ins)


def _support(sup: support.Analysis, params: PeriodParams) -> Part:
    return Part(support.messages(sup), support.headlines(sup), events=sup)


def _budget(result: budget.analysis.BudgetResult, params: PeriodParams) -> Part:
    return Part(budget.summary(result.accounts, result.statement), budget.headlines(result.accounts, result.statement))


def _concerns(con: concerns.Concerns, params: PeriodParams) -> Part:
    progress = words.category_progress(con.known, params.suppression_threshold if params.for_committee else None)
    return Part(concerns.messages(con), extra={"B": progress}, events=con)


#: Each section the summary uses -> what its analysis gives the summary (one function per ``uses`` entry).
PARTS: dict[str, Callable[[Any, PeriodParams], Part]] = {
    "achievement": _achievement, "inspections": _inspections, "support": _support, "budget": _budget,
    "concerns": _concerns,
}


def analyse(inputs: Inputs) -> Summary:
    """The summary's analysis for the run (``analyses.of``): worked out once (``work_out``), then read."""
    return analyses.of(inputs, "summary")


def work_out(inputs: Inputs, **used: Any) -> Summary:
    """The evaluation from the analyses of the sections the pack has (``used``: section id -> its
    analysis, in pack order; ``config/sections.yaml``, the summary's ``uses``).

    Indicators A to C need the inspections section, D and E the achievement
    section; without them those indicators are "not rated" with the reason.
    """
    params = inputs.params
    events = used.pop("events", None)
    parts = {section: PARTS[section](result, params) for section, result in used.items()}
    measures = [p.measures for p in parts.values() if p.measures is not None]
    measures.append(evaluation.entered_measures(params.evaluation))
    table = pd.concat([m for m in measures if not m.empty], ignore_index=True).sort_values("indicator", kind="stable")
    rated = evaluation.rate_measures(table, params.evaluation)
    narrative = inputs.get("narrative")
    by_key = {t.key: t for p in parts.values() for t in p.tiles}
    shown = [by_key[k] for k in TILES if k in by_key]
    extra = {k: v for p in parts.values() for k, v in p.extra.items()}
    indicators = evaluation.summary_table(rated, narrative, extra)
    found = {section: p.events for section, p in parts.items() if p.events is not None}
    own = [facts.row("complaints", params.evaluation.complaints)] if params.evaluation.complaints is not None else []
    return Summary(measures=rated, indicators=indicators, messages={s: p.messages for s, p in parts.items()},
                   tiles=shown, narrative=narrative,
                   rules=words.rules_text(evaluation.rules(params.evaluation),
                                          evaluation.tolerances(params.evaluation, rated)),
                   since_last=since_last_report(inputs, rated, indicators, shown, found, events),
                   facts=facts.frame(own))


def since_last_report(inputs: Inputs, rated: pd.DataFrame, indicators: pd.DataFrame, tiles: list[Tile],
                      found: Mapping[str, Any], events: Any = None) -> since.SinceLastReport:
    """This pack against the previous pack the params name (``previous.load``), as that pack published it;
    the schools' events since the last report's date from the pack's events table (``events.Events``)."""
    params = inputs.params
    kinds = tuple(k for k, section in since.EVENT_SECTIONS.items() if section in found)
    return since.compare(
        previous.load(params), indicators=indicators, measures=rated, tiles=tiles,
        reasons=since.rating_reasons(rated, params.evaluation),
        events=since.events(events, inspections=found.get("inspections"), since=params.since, as_at=params.as_at),
        kinds=kinds, period=params.period, since=params.since,
        committee=params.for_committee, threshold=params.suppression_threshold)
