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
from ...facts import Said, cite
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


#: The Ofsted page's measure each of A and C is set beside where the two move apart (and whether C is its
#: complement: not good where the page gives good).
LEGACY = {"A": ("inspections_pupils_good_or_better", False), "C": ("inspections_good_or_better", True)}


def inspection_evidence(letter: str, label: str, local: Any, national: Any, change: float, first: str, *,
                        known: Any) -> Said:
    """Evidence of measure A, B or C from the inspections section's facts: the LA against England at the latest
    snapshot, and the change since ``first``, citing each figure.

    A and C count the inspections from September 2024 to November 2025 by the key-judgement rule, a measure of
    their own: where the Ofsted page's measure (schools last graded before September 2024) moved the other way
    over the same snapshots, the evidence says so, with both figures.
    """
    when = pd.Timestamp(local.period)
    text = (Said(f"{label}: ") + cite(local.text(1), local) + " against England "
            + (cite(national.text(1), national) if national is not None else "not available")
            + f" on {when:%d %b %Y}")
    if not pd.isna(change):
        text = text + f"; {change:+.1f} points since {pd.Timestamp(first):%d %b %Y}"
    if letter in LEGACY:
        key, complement = LEGACY[letter]
        then, now = known.find(key, "la", first), known.find(key, "la", local.period)
        if then is not None and now is not None and then.value is not None and now.value is not None \
                and not pd.isna(change):
            moved = now.value - then.value
            against = (moved > 0) == (change > 0) if complement else (moved > 0) != (change > 0)
            if against and abs(moved) >= 0.5 and abs(change) >= 0.05:
                what = "of pupils in good or better schools" if letter == "A" else "of schools good or better"
                text = (text + ". Schools inspected from September 2024 are counted by the key-judgement rule here; "
                        "on Ofsted's overall effectiveness grade alone (schools last graded before September 2024, "
                        f"fewer each term) the share {what} went from " + cite(then.text(0), (then, 0))
                        + " to " + cite(now.text(0), (now, 0)) + " over the same time, the other way")
    return text


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


def category_progress(known: Any, threshold: int | None = None) -> Said:
    """B's second question in a sentence, from the concerns section's facts: the schools in an Ofsted category,
    how many Ofsted's monitoring found not taking effective action and how long they have been in it; and, said
    apart as the LA's own judgement, the schools it judges at risk.

    ``threshold``: in committee packs, counts from 1 to ``threshold - 1`` are "fewer than N" (citing nothing).
    """
    def n(measure: str) -> Said:
        fact = known.find(measure)
        k = 0 if fact is None else fact.count
        text = disclosure.count_text(k, threshold=threshold or 0, committee=threshold is not None
                                     and not disclosure.public(measure))
        return cite(text, (fact, 0)) if fact is not None and text == f"{k:,}" else Said(text)

    category, at_risk = known.find("concerns_ofsted_category"), known.find("concerns_at_risk")
    if not (category and category.count) and not (at_risk and at_risk.count):
        return Said("No school is in an Ofsted category, and the LA judges none at risk.")
    text = (Said("Of ") + n("concerns_ofsted_category") + " schools in an Ofsted category (the LA's concerns log), "
            + n("concerns_not_effective") + " were judged not taking effective action at their latest Ofsted "
            "monitoring visit since the last report's date and " + n("concerns_long_in_category")
            + " had been in their category for 18 months or more.")
    return text + (" Separately, the LA judges " + n("concerns_at_risk") + " schools at risk (its own list, not an "
                   "Ofsted category), " + n("concerns_at_risk_insufficient") + " of them making insufficient progress "
                   "at the LA's latest review.")


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


def rules_text(rule_list: Iterable[Mapping[str, Any]], tolerances: Iterable[tuple[str, str, float]]) -> list[str]:
    """The RAG rules in force, in sentences, for printing under the table.

    ``rule_list`` is ``evaluation.rules`` (the first rule that fits a measure
    rates it, so each sentence names only the cases earlier rules leave),
    ``tolerances`` is ``evaluation.tolerances``: (indicator, measure, margin) for each measure of A to E.
    """
    lines, rated = [], set()
    for rule in rule_list:
        cells = {(c, t) for c in rule["versus_national"] for t in rule["trend"]} - rated
        rated |= cells
        lines.append(rule_sentence(str(rule["rag"]), cells))
    by_margin: dict[float, list[str]] = {}
    for letter, measure, margin in tolerances:
        by_margin.setdefault(margin, []).append(f"{letter}{': ' + measure if measure else ''}")
    margins = "; ".join(f"{margin:g} for {', '.join(names)}" for margin, names in by_margin.items())
    lines.append("In line with national means within the measure's own margin of the national figure, in its own units "
                 "(percentage points for a percentage), the margin its section's pages use for \"in line\" too: "
                 f"{margins}. An indicator takes the worst rating of its measures. F is red if qualifying "
                 "complaints rose on the previous period and green if not; G is red if the Secretary of State has "
                 "concerns.")
    return lines


# --------------------------------------------------------------------------- since the last report
#: How each event is said, with the count: (singular, plural) of what the schools did.
EVENT_WORDS = {
    "entered_category": ("entered an Ofsted category of concern", "entered an Ofsted category of concern"),
    "left_category": ("left an Ofsted category of concern", "left an Ofsted category of concern"),
    "entered_at_risk": ("joined the LA's list of schools at risk", "joined the LA's list of schools at risk"),
    "left_at_risk": ("left the LA's list of schools at risk", "left the LA's list of schools at risk"),
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
    said = (f"{measure['measure']} is {COMPARISON_WORDS[frozenset({comparison})]} and "
            f"{TREND_WORDS[frozenset({trend})]}")
    if rule is None:
        return said
    return f"{said} (rule: {rule['rag']} when {_cases(frozenset(rule['versus_national']), frozenset(rule['trend']))})"


def no_previous_report(period_before: str, since: Any) -> str:
    """What the page says where no previous pack was found."""
    from ...school_year import period_label
    from ...wording import long_date

    return (f"The report for the {period_label(period_before).lower()} was not found, so this table of ratings and "
            f"headline figures is not set against it; the sections still compare with the figures as at "
            f"{long_date(since)}, the last report's date, where their sources go back that far.")


def compared_with(result: Any) -> str:
    """The first sentence of "since the last report": which pack this one is set against."""
    from ...school_year import period_label
    from ...wording import long_date

    text = (f"Set against the previous report ({period_label(result.previous_period).lower()}, figures as at "
            f"{long_date(result.previous_as_at)}), with its figures as that pack published them.")
    if result.previous_as_at != result.since:
        text += (f" This pack's counts since the last report start from {long_date(result.since)} "
                 "(the last report's date set for this report), not from that report's own date.")
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
