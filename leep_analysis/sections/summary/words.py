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


# --------------------------------------------------------------------------- since the last report
#: How each event is said, with the count: (singular, plural) of what the schools did.
EVENT_WORDS = {
    "entered_concern": ("entered a category of concern or at risk", "entered a category of concern or at risk"),
    "left_concern": ("left a category of concern", "left a category of concern"),
    "started_support": ("started an episode of support", "started an episode of support"),
    "ended_support": ("ended an episode of support", "ended an episode of support"),
    "inspected": ("was inspected", "were inspected"),
}


def rule_reason(measure: Mapping[str, Any], rule_list: Iterable[Mapping[str, Any]]) -> str:
    """Why a measure has its rating: its comparison with national and trend, and the rule they match."""
    comparison = measure.get("versus_national")
    trend = measure.get("trend") if measure.get("trend") in ("improving", "stable", "declining") else "unknown"
    if not isinstance(comparison, str):
        return f"{measure['measure']}: no national figure to compare with"
    rule = next((r for r in rule_list if comparison in r["versus_national"] and trend in r["trend"]), None)
    said = f"{measure['measure']} is {RULE_WORDS[comparison]} and its trend is {RULE_WORDS[trend]}"
    if rule is None:
        return said
    return (f"{said} (rule: {rule['rag']} when " + " or ".join(RULE_WORDS[v] for v in rule["versus_national"])
            + ", and " + " or ".join(RULE_WORDS[t] for t in rule["trend"]) + ")")


def no_previous_report(period_before: str, since: Any) -> str:
    """What the page says where no previous pack was found."""
    from ...pages import period_label
    from ...wording import long_date

    return (f"There is no previous report to compare with: no pack for the {period_label(period_before).lower()} "
            f"has been published for this local authority in this pack's output folder (nor named as previous_pack "
            f"in the params), so nothing below is set against the last report of {long_date(since)}.")


def compared_with(result: Any) -> str:
    """The first sentence of "since the last report": which pack this one is set against."""
    from ...pages import period_label
    from ...wording import long_date

    text = (f"Set against the previous report ({period_label(result.previous_period).lower()}, figures as at "
            f"{long_date(result.previous_as_at)}), with its figures as that pack published them.")
    if result.previous_as_at != result.since:
        text += (f" This pack's counts since the last report start from {long_date(result.since)} "
                 "(previous_as_at in the params), not from that pack's date.")
    return text


def biggest_movements(movements: pd.DataFrame, n: int = 3) -> list[str]:
    """The ``n`` largest movements of A to F's measures (in tolerances of their indicator), better or worse."""
    moved = movements[movements["direction"].isin(["better", "worse"]) & ~movements["revised"].astype(bool)]
    moved = moved.sort_values("size", ascending=False, kind="stable").head(n)
    lines = []
    for row in moved.to_dict("records"):
        unit, decimals = row["unit"], int(row["decimals"])
        rose = "rose" if row["change"] > 0 else "fell"
        change = number(abs(row["change"]), "points" if unit == "percent" else unit, decimals)
        lines.append(f"{row['indicator']}, {row['measure']}: {rose} from {number(row['previous'], unit, decimals)} to "
                     f"{number(row['now'], unit, decimals)} ({change}), {row['direction']}.")
    if not lines:
        return ["No measure of A to F moved since the last report."]
    return ["Biggest movements since the last report: " + " ".join(lines)]


def rating_changes(ratings: pd.DataFrame) -> list[str]:
    """A sentence per indicator whose RAG rating changed, with the reason the rule gives."""
    lines = []
    for row in ratings.to_dict("records"):
        if row["direction"] not in ("better", "worse") and not (row["previous"] and row["previous"] != row["now"]):
            continue
        lines.append(f"{row['indicator']} moved from {row['previous']} to {row['now']}: {row['reason']}.")
    return lines or ["No A to G rating changed since the last report."]


def revisions(movements: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """A sentence per figure the source revised since the previous report (shown, not counted as a change)."""
    tiles = ~table["measure"].str.match(r"^[A-G]: ")
    notes = [*movements.loc[movements["revised"].astype(bool), "note"], *table.loc[tiles, "note"]]
    notes = [n for n in notes if n.startswith("revised")]
    if not notes:
        return []
    return ["Revised by the source since the previous report (shown in both versions, not counted as a change): "
            + "; ".join(n.removeprefix("revised: ") for n in notes) + "."]


def event_sentences(events: pd.DataFrame, kinds: Iterable[str], *, committee: bool, threshold: int) -> list[str]:
    """Schools that entered or left a category of concern, started or ended support, or were inspected since.

    Internal packs name the schools; committee packs give counts only, small
    counts as "fewer than N" (``disclosure.count_text``).
    """
    lines = []
    for kind in kinds:
        one, many = EVENT_WORDS[kind]
        part = events[events["kind"] == kind]
        n = part["school"].nunique() if not part.empty else 0
        count = disclosure.count_text(n, threshold=threshold, committee=committee)
        noun = "school" if n == 1 and count == "1" else "schools"
        said = "No" if n == 0 else count.capitalize()
        text = f"{said} {'school' if n == 0 else noun} {one if n <= 1 and count in ('0', '1') else many} since the last report"
        if n and not committee:
            names = sorted({f"{s} ({d.replace('_', ' ')})" if d else s for s, d in zip(part["school"], part["detail"],
                                                                                     strict=True)})
            text += ": " + ", ".join(names)
        lines.append(text + ".")
    return lines
