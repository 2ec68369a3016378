"""The summary evaluation in words: each measure's evidence, B's progress sentence and the RAG rules in force.

Formatting only, from figures worked out in ``evaluation``: the evidence
strings end up in the ``evidence`` column of the measures and of
``summary__indicators.csv``, the rules text under the A to G table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ... import disclosure
from ...wording import number

#: Evidence of indicator F or G when the LA entered nothing in the params file.
NOT_ENTERED = "not entered in the params file"
#: The words for each comparison with national and each trend, in the rules text.
RULE_WORDS = {"better": "better than national", "in_line": "in line with national", "worse": "worse than national",
              "improving": "improving", "stable": "stable", "declining": "declining", "unknown": "no trend"}


def inspection_evidence(name: str, local: float, national: float, last: pd.Timestamp, change: float,
                        first: pd.Timestamp) -> str:
    """Evidence of measure A, B or C: the LA against England at the latest snapshot, and the change since ``first``."""
    return (f"{name}: {local:.1f}% against England {national:.1f}% on {last:%d %b %Y}"
            + (f"; {change:+.1f} points since {first:%d %b %Y}" if not pd.isna(change) else ""))


def attainment_evidence(row: pd.Series, trend: str | None) -> str:
    """Evidence of a measure of D or E from a row of ``Achievement.latest``."""
    unit, decimals = str(row["unit"]), int(row["decimals"])
    return (f"{row['label']} {row['year_label']}: {number(row['la_value'], unit, decimals, words=False)} against "
            f"England {number(row['england'], unit, decimals, words=False)}; trend {trend or 'not known'}")


def complaints_evidence(complaints: int, previous: int | None) -> str:
    """Evidence of F: this period's qualifying complaints, and the previous period's where entered."""
    return f"{complaints} this period" + (f", {previous} in the previous period" if previous is not None else "")


def secretary_of_state_evidence(concerns: bool, note: str | None) -> str:
    """Evidence of G: whether the Secretary of State has concerns, with the LA's note.

    ``summary_table`` shows the part before the colon as G's local figure.
    """
    return ("The Secretary of State has concerns" if concerns else "No concerns known") + (f": {note}" if note else "")


def category_progress(counts: tuple[int, int, int], threshold: int | None = None) -> str:
    """B's second question in a sentence, from ``evaluation.category_counts``.

    ``threshold``: in committee packs, counts from 1 to ``threshold - 1`` are "fewer than N".
    """
    total, stuck, long = counts
    if not total:
        return "No school is in a category of concern or at risk."

    def n(k: int) -> str:
        return disclosure.count_text(k, threshold=threshold or 0, committee=threshold is not None)

    return (f"Of {n(total)} schools causing concern, {n(stuck)} were not taking effective action at their "
            f"latest visit and {n(long)} had been in their category for 18 months or more.")


def rules_text(rule_list: Iterable[Mapping[str, Any]], tolerances: Mapping[str, float]) -> list[str]:
    """The RAG rules in force, in words, for printing under the table.

    ``rule_list`` is ``evaluation.rules``, ``tolerances`` is ``evaluation.tolerances``
    (A to E).
    """
    lines = []
    for rule in rule_list:
        comparison = " or ".join(RULE_WORDS[v] for v in rule["versus_national"])
        trend = " or ".join(RULE_WORDS[t] for t in rule["trend"])
        lines.append(f"{rule['rag'].capitalize()}: {comparison}, and {trend}.")
    tol = ", ".join(f"{k} {t:g}" for k, t in tolerances.items())
    lines.append(f"In line means within the tolerance of national, in each measure's units ({tol}); "
                 "an indicator takes the worst rating of its measures. F: red if complaints rose on the previous "
                 "period, green if not. G: red if the Secretary of State has concerns.")
    return lines
