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
NOT_ENTERED = "not entered for this period"
#: Comparisons with national and trends, in the order the rules text names them.
COMPARISONS = ("better", "in_line", "worse")
TRENDS = ("improving", "stable", "declining", "unknown")
#: A set of comparisons with national in words (every other set is listed with "or").
COMPARISON_WORDS = {
    frozenset({"better"}): "better than national", frozenset({"in_line"}): "in line with national",
    frozenset({"worse"}): "worse than national", frozenset({"better", "in_line"}): "in line with national or better",
    frozenset({"in_line", "worse"}): "in line with national or worse",
    frozenset({"better", "worse"}): "not in line with national", frozenset(COMPARISONS): "",
}
#: A set of trends in words; "unknown" is a measure with no earlier figure to compare with.
TREND_WORDS = {
    frozenset({"improving", "stable", "unknown"}): "not declining", frozenset({"improving", "stable"}): "improving or stable",
    frozenset({"stable", "declining", "unknown"}): "not improving", frozenset({"stable", "declining"}): "stable or declining",
    frozenset({"improving", "unknown"}): "improving or with no trend yet", frozenset({"unknown"}): "with no trend yet",
    frozenset({"improving"}): "improving", frozenset({"stable"}): "stable", frozenset({"declining"}): "declining",
    frozenset({"improving", "declining"}): "improving or declining", frozenset(TRENDS): "",
}


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


def _cases(comparisons: frozenset[str], trends: frozenset[str]) -> str:
    """One group of cases of a rule: "worse than national and declining"."""
    versus = COMPARISON_WORDS.get(comparisons) or ""
    trend = TREND_WORDS.get(trends, " or ".join(t for t in TRENDS if t in trends))
    if versus and trend:
        return f"{versus}{',' if ' or ' in versus else ''} and {trend}"
    return versus or trend or "any figure"


def rule_sentence(rag: str, cells: set[tuple[str, str]]) -> str:
    """A rule as a person would write it, from the (comparison, trend) cases it rates.

    Comparisons with the same trends are named together: "Green: in line with
    national or better, and not declining."
    """
    by_trends: dict[frozenset[str], set[str]] = {}
    for comparison in COMPARISONS:
        trends = frozenset(t for c, t in cells if c == comparison)
        if trends:
            by_trends.setdefault(trends, set()).add(comparison)
    groups = [_cases(frozenset(comparisons), trends) for trends, comparisons in by_trends.items()]
    return f"{rag.capitalize()}: {'; or '.join(groups) if groups else 'never (an earlier rule rates every case)'}."


def rules_text(rule_list: Iterable[Mapping[str, Any]], tolerances: Mapping[str, float]) -> list[str]:
    """The RAG rules in force, in sentences, for printing under the table.

    ``rule_list`` is ``evaluation.rules`` (the first rule that fits a measure
    rates it, so each sentence names only the cases earlier rules leave),
    ``tolerances`` is ``evaluation.tolerances`` (A to E).
    """
    lines, rated = [], set()
    for rule in rule_list:
        cells = {(c, t) for c in rule["versus_national"] for t in rule["trend"]} - rated
        rated |= cells
        lines.append(rule_sentence(str(rule["rag"]), cells))
    margins = ", ".join(f"{t:g} for {k}" for k, t in tolerances.items())
    lines.append(f"In line with national means within a set margin of the national figure, in the measure's own "
                 f"units ({margins}: percentage points for A to C). An indicator takes the worst rating of its measures. F is red if qualifying "
                 "complaints rose on the previous period and green if not; G is red if the Secretary of State has "
                 "concerns.")
    return lines
