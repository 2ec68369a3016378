"""The committee report's sentences about figures, and its key messages, from a list of ``Fact``.

``standing(fact, place)`` says where one figure stands: its value, how it compares
with England, the region and the statistical neighbours, its rank and quarter
among all LAs, and its change on the year before. ``key_messages(facts, place)``
chooses the five to eight things a councillor most needs, in prose and in this
order: the rating of the indicators A to G; the share of pupils in good or
better schools; where the committee's headline results stand; what improved;
what fell back; schools causing concern, support and funding; where the LA is
among the best or the weakest quarter of LAs; the gaps for disadvantaged pupils. A
message is left out where its facts are missing, and figures withheld in a
committee pack (``Fact.suppressed``) are never stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..wording import number, ordinal
from .facts import Fact
from .model import words

#: At most this many facts named in one message (a longer list is not read).
LISTED = 3
#: Achievement groups whose figures are for all pupils of the phase.
ALL_GROUPS = ("All pupils", "All young people", "All students", "16 and 17 year olds")
#: Tiles of the committee's headline results (``config/tiles.yaml`` lists the summary's).
HEADLINE_RESULTS = ("achievement_KS2RWM_Expected_STD", "achievement_AVG_Attain8_Score")


def figure(fact: Fact, value: float | None = None) -> str:
    """A fact's figure (or ``value`` in its unit) as the report writes it: 63%, 46.2, 20 points, £1,200, 7."""
    value = fact.value if value is None else value
    if value is None:
        return "–"
    if fact.unit == "money":
        return f"£{value:,.{fact.decimals}f}"
    if fact.unit == "count":
        return f"{int(round(value)):,}"
    return number(value, fact.unit if fact.unit in ("percent", "points") else "", fact.decimals)


def said(fact: Fact) -> str:
    """The fact as the start of a sentence ("61% of pupils reached ..."), or its label and figure."""
    text = fact.says.format(value=figure(fact)) if fact.says else f"{fact.label}: {figure(fact)}"
    return capital(text)


def _against(fact: Fact, versus: str) -> str:
    """The word for how the LA compares with a benchmark: above, below, narrower, wider, in line with."""
    if versus == "in_line":
        return "in line with"
    if versus not in ("better", "worse"):
        return ""
    higher = (versus == "better") == (fact.polarity != "Low")
    if fact.gap:
        return "wider than" if higher else "narrower than"
    return "above" if higher else "below"


def comparisons(fact: Fact) -> str:
    """How the figure compares with England, the region and the neighbours, alike ones joined:
    "above England (62%) and the East Midlands (61%), in line with the statistical neighbours (61.4%)"."""
    parts: list[tuple[str, str]] = []
    for name, value, versus in (("England", fact.england, fact.versus_england),
                                (fact.region_name or "the region", fact.region, fact.versus_region),
                                ("the statistical neighbours", fact.neighbours, fact.versus_neighbours)):
        word = _against(fact, versus)
        if value is not None and word:
            places = fact.decimals if name != "the statistical neighbours" else max(fact.decimals, 1)
            parts.append((word, f"{name} ({figure(fact, value) if places == fact.decimals else _mean(fact, value)})"))
    groups: dict[str, list[str]] = {}
    for word, what in parts:
        groups.setdefault(word, []).append(what)
    return ", ".join(f"{word} {_and(whats)}" for word, whats in groups.items())


def _mean(fact: Fact, value: float) -> str:
    """A neighbours' mean, with a place more than a whole-number measure has."""
    return number(value, fact.unit if fact.unit in ("percent", "points") else "", max(fact.decimals, 1))


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def rank(fact: Fact) -> str:
    """ "59th of 97 local authorities, in the third quarter" ("" where the figure is not ranked)."""
    if fact.rank is None or fact.of is None:
        return ""
    quarter = words()["quarters"].get(fact.band, "")
    return f"{ordinal(fact.rank)} of {fact.of} local authorities" + (f", in {quarter}" if quarter else "")


def change(fact: Fact) -> str:
    """ "up 2 points on 2024", "narrower by 1.5 points than in 2024", "the same as in 2024" ("" with no change)."""
    if fact.change is None or not fact.change_from:
        return ""
    size = round(abs(fact.change), fact.decimals) + 0.0
    if size == 0:
        return f"the same as in {fact.change_from}"
    points = number(size, "points", fact.decimals)
    if fact.gap:
        return f"{'wider' if fact.change > 0 else 'narrower'} by {points} than in {fact.change_from}"
    return f"{'up' if fact.change > 0 else 'down'} {points} on {fact.change_from}"


def standing(fact: Fact) -> str:
    """Where one figure stands, in a sentence: value, comparisons, rank and quarter, change."""
    text = said(fact) + (f" in {fact.period}" if fact.period and fact.section == "achievement" else "")
    compared = comparisons(fact)
    text += f", {compared}" if compared else ""
    tail = [part for part in (rank(fact), change(fact)) if part]
    return text + (": " + "; ".join(tail) if tail else "") + "."


def _moved(fact: Fact) -> str:
    """A fact in a list of movements: "70.0% of children reached a good level of development (up 2.0 points on 2024)"."""
    return f"{_lower(said(fact))} ({change(fact)})"


def _lower(text: str) -> str:
    """A sentence's start lowered to go after a colon, unless its first word is an abbreviation (NEET, KS2)."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


# ------------------------------------------------------------------------------------------------ messages
def _results(facts: Sequence[Fact]) -> list[Fact]:
    """Achievement's facts for all pupils with a figure: the headline ones first, then the rest in page order."""
    found = [f for f in facts if f.section == "achievement" and f.value is not None and not f.suppressed
             and (f.group in ALL_GROUPS or f.headline)]
    return sorted(found, key=lambda f: not f.headline)


def evaluation_message(facts: Sequence[Fact]) -> str:
    """The ratings of A to G in a sentence: "Of the seven indicators ..., four are rated green (A, B, C and F) ..."."""
    rated = [f for f in facts if f.unit == "rating"]
    if not rated:
        return ""
    by: dict[str, list[str]] = {}
    for fact in rated:
        by.setdefault(fact.rating, []).append(fact.code)
    parts = [f"{_count(len(by[r]))} {'is' if len(by[r]) == 1 else 'are'} rated {r} ({_and(by[r])})"
             for r in ("green", "amber", "red") if r in by]
    text = f"Of the {_count(len(rated))} indicators the Committee monitors, " + _and(parts)
    if "not rated" in by:
        unrated = by["not rated"]
        text += f"; {_and(unrated)} {'is' if len(unrated) == 1 else 'are'} not rated, having no figure this period"
    return text + "."


def _count(n: int) -> str:
    """A small count in words, as prose writes it."""
    return ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")[n] if n < 10 else f"{n:,}"


def inspections_message(facts: Sequence[Fact]) -> str:
    """Pupils and schools judged good or better, against the benchmarks; and schools in a category of concern."""
    by = {f.key: f for f in facts if f.section == "inspections" and f.value is not None and not f.suppressed}
    sentences = [standing(by[k]) for k in ("inspections_pupils_good_or_better", "inspections_good_or_better")
                 if k in by]
    return " ".join(sentences)


def headline_message(facts: Sequence[Fact]) -> str:
    """Where the committee's headline results stand (key stage 2 and key stage 4), a sentence each."""
    by = {f.key: f for f in facts if f.value is not None and not f.suppressed}
    return " ".join(led(by[k]) for k in HEADLINE_RESULTS if k in by)


def led(fact: Fact) -> str:
    """``standing`` led by the phase where its sentence does not say it: "At the end of key stage 2, 61% ..."."""
    lead = words()["leads"].get(fact.phase, "")
    return f"{lead}, {_lower(standing(fact))}" if lead else standing(fact)


def movement_message(facts: Sequence[Fact], direction: str) -> str:
    """What improved (``better``) or fell back (``worse``) on the year before, headline results first."""
    moved = [f for f in _results(facts) if f.moved == direction]
    if not moved:
        return ""
    shown = moved[:LISTED]
    more = len(moved) - len(shown)
    lead = ("Results improved on the year before" if direction == "better" else "Results fell back on the year before")
    lead += f" in {len(moved)} measure{'s' if len(moved) != 1 else ''}"
    text = f"{lead}, among them: " if more else f"{lead}: "
    return text + "; ".join(_moved(f) for f in shown) + "."


def quarters_message(facts: Sequence[Fact], place: str) -> str:
    """Which results put the LA in the top or the bottom quarter of all LAs, with their ranks."""
    results = [f for f in _results(facts) if f.rank is not None]
    parts = []
    for band, where in (("A", "the top quarter of local authorities"), ("D", "the bottom quarter")):
        found = [f for f in results if f.band == band]
        if found:
            named = [f"{f.label} ({ordinal(f.rank or 0)} of {f.of})" for f in found[:LISTED]]
            more = f" and {len(found) - LISTED} more" if len(found) > LISTED else ""
            parts.append(f"in {where} for {_and(named)}{more}")
    if not parts:
        return ""
    return f"{place} is " + ", and ".join(parts) + "."


def equality_message(facts: Sequence[Fact]) -> str:
    """The gaps between disadvantaged pupils and others, against England's."""
    gaps = [f for f in facts if f.section == "achievement" and f.gap and f.value is not None and not f.suppressed]
    if not gaps:
        return ""
    shown = [_lower(said(f)) + (f", {comparisons(f)}" if comparisons(f) else "") for f in gaps[:2]]
    return capital("; ".join(shown)) + "."


def schools_message(facts: Sequence[Fact]) -> str:
    """Schools in a category of concern, schools supported and the funds' spending, from the headline tiles."""
    by = {f.key: f for f in facts if f.value is not None and not f.suppressed}
    keys = ("inspections_category_of_concern", "support_schools", "budget_leep_pct_spent", "budget_scc_pct_spent")
    return " ".join(said(by[k]) + (f" ({by[k].detail})" if by[k].detail else "") + "." for k in keys if k in by)


def capital(text: str) -> str:
    """A sentence's first letter as a capital, but never a withheld figure's marker ("c of the schools ..."):
    a "C" would read as a word or another figure."""
    return text if re.match(r"c\b", text) else text[:1].upper() + text[1:]


def key_messages(facts: Sequence[Fact], place: str, *, at_most: int = 8) -> list[str]:
    """The report's key messages: at most ``at_most``, in order of what a councillor most needs.

    Parameters
    ----------
    facts : every fact of the pack (``facts.from_blocks``, or one per row of a facts table).
    place : the LA's name, as sentences give it.

    Returns
    -------
    list of str
        One paragraph each; none for what the facts do not hold.
    """
    candidates = [evaluation_message(facts), inspections_message(facts), headline_message(facts),
                  movement_message(facts, "better"), movement_message(facts, "worse"), schools_message(facts),
                  quarters_message(facts, place), equality_message(facts)]
    return [m for m in candidates if m][:at_most]
