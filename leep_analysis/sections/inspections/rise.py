"""Schools eligible for RISE intervention: the DfE's 'stuck' schools, by its published rule.

The rule, its source and its date are configuration (``config/rise.yaml``): a school graded
requires improvement (or equivalent) at its latest inspection and below good at the one
before. ``stuck`` applies it to every school of a snapshot, with the inspection history of
``schools.inspection_history`` for a previous inspection under the key judgements; the
inspections section counts them for the LA and its benchmarks, and an internal pack lists the
LA's with whether each is supported.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from ...config import load_config


@functools.cache
def config() -> dict[str, Any]:
    """The rule, its source and its date (``config/rise.yaml``)."""
    return load_config("rise")


def _grade(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[name], errors="coerce").astype("float64")


def latest_requires_improvement(rows: pd.DataFrame) -> pd.Series:
    """Whether each school's latest inspection is requires improvement, or equivalent, by the rule.

    ``rows`` are counted outcomes (``outcomes.outcomes``): the inspection each school is counted
    on, its framework, overall grade, key judgements, report-card areas and category.
    """
    rule = config()["latest"]
    framework = rows["framework"].astype("string")
    overall = _grade(rows, "overall").isin(rule["overall"]) & framework.eq("overall").fillna(False)
    judged = [_grade(rows, j) for j in rule["key_judgements"]]
    worst = pd.concat(judged, axis=1).max(axis=1, skipna=True)
    kj = framework.eq("key_judgements").fillna(False) & worst.isin(rule["key_judgement_grades"])
    card = framework.eq("report_card").fillna(False) & _grade(rows, rule["report_card_area"]).isin(
        rule["report_card_grades"])
    in_category = rows["category"].notna() if "category" in rows else pd.Series(False, index=rows.index)
    return ((overall | kj | card) & ~in_category.astype(bool) & rows["counted"].astype(bool)).astype(bool)


def previous_below_good(rows: pd.DataFrame, history: pd.DataFrame | None, lineage: dict[str, str]) -> pd.Series:
    """Whether the inspection before each school's latest was below good (or equivalent).

    The previous overall grade Ofsted's file gives; where that inspection was under the key
    judgements (no overall grade), its quality of education or leadership and management from
    the history (``schools.inspection_history``), where the history holds it.
    """
    below = config()["previous_below_good"]
    previous = _grade(rows, "previous_overall")
    found = previous.isin(below)
    if history is not None and not history.empty:
        keyed = history.assign(_key=history["lineage"].astype(str) + "|"
                               + pd.to_datetime(history["inspection_date"]).dt.strftime("%Y-%m-%d"))
        worst = keyed[["quality_of_education", "leadership_and_management"]].astype("Float64").max(axis=1)
        by_key = pd.Series(worst.to_numpy(), index=keyed["_key"]).groupby(level=0).max()
        lineages = rows["urn"].astype(str).map(lambda u: lineage.get(u, u))
        dates = pd.to_datetime(rows["previous_inspection_date"])
        keys = lineages + "|" + dates.dt.strftime("%Y-%m-%d").fillna("")
        kj = keys.map(by_key).astype("Float64")
        found = found | (previous.isna() & kj.isin(below).fillna(False).astype(bool))
    return found.astype(bool)


def stuck(rows: pd.DataFrame, history: pd.DataFrame | None = None, lineage: dict[str, str] | None = None
          ) -> pd.Series:
    """Whether each school (a row of counted outcomes) is 'stuck', so eligible for RISE intervention."""
    return latest_requires_improvement(rows) & previous_below_good(rows, history, lineage or {})


def applies(as_at: object) -> bool:
    """Whether the programme existed at a date (``applies_from``): a report as at an earlier one has no count."""
    return pd.Timestamp(as_at) >= pd.Timestamp(config()["applies_from"])


def rule_points(as_at: object = None) -> list[str]:
    """The rule, its source and date, and what could not be checked, for the method notes (none before the
    programme began)."""
    if as_at is not None and not applies(as_at):
        return []
    cfg = config()
    return [" ".join(f"Schools eligible for RISE intervention: {cfg['rule']} Source: {cfg['source']}.".split()),
            " ".join(cfg["verified"].split())]
