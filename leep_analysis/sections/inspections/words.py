"""The section's wording: the sentences, headline tiles and method notes, from an ``Inspections`` result.

Formatting only: every figure comes from the result (``analysis``); in
committee mode a small count is written 'fewer than N'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ... import disclosure, measures
from ...content import Tile
from ...facts import AREA_CODES, Fact, Said, cite, joined, period_of
from ...sources.ofsted_mi import KEY_JUDGEMENTS_FROM, REPORT_CARDS_FROM
from ...wording import long_date
from . import rise
from .analysis import Inspections, last_report_file, summary_row
from .outcomes import config, group_label, groups


def when(value: object) -> str:
    """A date as the report writes it: ``31 May 2015``."""
    return long_date(pd.Timestamp(value))  # type: ignore[arg-type]


def percent(value: object) -> str:
    """``86.0`` -> ``86%``; missing -> ``not available``."""
    return "not available" if value is None or pd.isna(value) else f"{float(value):.0f}%"


def _count(result: Inspections, n: int, noun: str = "") -> str:
    """A count as a sentence gives it; in committee mode a small one is 'fewer than N'."""
    return disclosure.count_text(n, threshold=result.threshold, committee=result.committee, noun=noun)


def _fact(result: Inspections, measure: str, area: str = "la", as_at: object = None) -> Fact | None:
    """A fact of the section (latest snapshot unless ``as_at``), None where it has none."""
    return result.known.find(measure, area, result.as_at if as_at is None else as_at)


_WITHHELD: dict[int, tuple[Inspections, frozenset[tuple[str, str, str]]]] = {}


def withheld_facts(result: Inspections) -> frozenset[tuple[str, str, str]]:
    """The facts (measure, area, period) the summary's table withholds, small or to protect a small one: a
    sentence says "c" for them, as the table does, never the figure that would give another away."""
    if not result.committee:
        return frozenset()
    if id(result) not in _WITHHELD or _WITHHELD[id(result)][0] is not result:
        from .views import _measured, summary_csv

        data = summary_csv(result)
        specs = _measured(result)
        keys = set()
        for position, column in data.cells:
            row = data.frame.iloc[position]
            if column in specs and row["group"] == "all":
                keys.add((specs[column].measure, AREA_CODES.get(row["area_type"], row["area_type"]),
                          period_of(row["as_at"])))
        _WITHHELD.clear()
        _WITHHELD[id(result)] = (result, frozenset(keys))
    return _WITHHELD[id(result)][1]


def _hidden(result: Inspections, fact: Fact | None) -> bool:
    return fact is not None and (fact.measure, fact.area, fact.period) in withheld_facts(result)


def _said(result: Inspections, fact: Fact | None, noun: str = "") -> Said:
    """A count fact as a sentence gives it, citing it; 'fewer than N' (citing nothing) where a committee pack
    withholds it as small, "c" where it withholds it so that a small one cannot be worked out."""
    n = 0 if fact is None else fact.count
    text = _count(result, n, noun)
    withheld = result.committee and 0 < n < result.threshold
    if not withheld and _hidden(result, fact):
        return Said("c" + (f" {noun}" if noun else ""))
    return Said(text) if withheld or fact is None else cite(text, (fact, 0))


def _pct(fact: Fact | None, decimals: int = 0, result: Inspections | None = None) -> Said:
    """A percentage fact as a sentence gives it (``86%``), citing it; 'not available' where it has none, "c"
    where the pack withholds it."""
    if fact is None or fact.value is None:
        return Said("not available")
    if result is not None and _hidden(result, fact):
        return Said("c")
    return cite(fact.text(decimals), (fact, decimals))


def _row_count(result: Inspections, column: str, group: str = "all") -> str:
    """A count of the LA's summary row as the summary's table shows it: "c" where withheld, else ``_count``."""
    from .views import summary_csv

    row = summary_row(result, "la", group)
    if result.committee:
        data = summary_csv(result)
        frame = data.frame
        found = frame.index[(frame["as_at"] == result.as_at) & (frame["area_type"] == "la")
                            & (frame["group"] == group)]
        if len(found) and (int(found[0]), column) in data.cells and not (0 < int(row[column]) < result.threshold):
            return "c"
    return _count(result, int(row.get(column) or 0))


def _hidden_share(result: Inspections) -> Fact | None:
    """The LA's share in a category, None (not stated) where its count is withheld."""
    count = _fact(result, "inspections_category_of_concern")
    return None if _hidden(result, count) else _fact(result, "inspections_category_of_concern_pct")


def _schools(n: int, adjective: str = "") -> str:
    """'1 graded school', '52 graded schools'."""
    return f"{n:,} {adjective + ' ' if adjective else ''}school{'s' * (n != 1)}"


def _is(result: Inspections, n: int) -> str:
    """The verb after a count: 'is' for exactly one school (shown), else 'are'."""
    return "is" if n == 1 and not (result.committee and result.threshold > 1) else "are"


def _has(result: Inspections, n: int) -> str:
    """'has' for exactly one school (shown), else 'have'."""
    return "has" if _is(result, n) == "is" else "have"


def _small(result: Inspections, row: Mapping[str, Any]) -> bool:
    """In committee mode, a group of fewer graded schools than the threshold gives no percentage."""
    return result.committee and 0 < int(row.get("n_graded", 0)) < result.threshold


def _change_words(change: object, previous: object) -> str:
    """'up 2 points since the last report (Ofsted's file as at ...)'; empty where there is nothing to compare."""
    if previous is None or pd.isna(previous):
        return ""
    if change is None or pd.isna(change):
        return ""
    size = round(abs(float(change)))
    if size == 0:
        return f"the same as in Ofsted's file as at {when(previous)}, the last report's date"
    return (f"{'up' if change > 0 else 'down'} {size} point{'s' * (size != 1)} since Ofsted's file as at "
            f"{when(previous)}, the last report's date")


def _benchmarks(result: Inspections, measure: str) -> Said:
    """', against 90% in England, 88% in East Midlands and 88% across its statistical neighbours', citing each."""
    parts = []
    for area, words in (("england", "in England"), ("region", "in {area}"),
                        ("neighbours", "across its statistical neighbours")):
        fact = _fact(result, measure, area)
        if fact is not None and fact.value is not None and not _hidden(result, fact):  # never what the table hides
            parts.append(cite(f"{fact.text(0)} {words.format(area=fact.area_name)}", (fact, 0)))
    if not parts:
        return Said("")
    listed = joined(parts[:-1], ", ") + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return ", against " + listed


def _era_words(result: Inspections, row: Mapping[str, Any]) -> str:
    """Which era a percentage uses and who is outside it, once the snapshots reach September 2024."""
    if result.as_at < KEY_JUDGEMENTS_FROM:
        return ""
    n = int(row.get("n_no_overall_grade", 0))
    return (f" (overall effectiveness; {_count(result, n)} {'school' if n == 1 else 'schools'} whose latest "
            "inspection gives no overall grade are in neither side of it)")


def _since(result: Inspections, column: str) -> str:
    """How a percentage moved since the Ofsted file of the last report's date, or why it cannot be said."""
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    if not pd.isna(change["previous_as_at"]) and change["previous_as_at"] == result.as_at:
        return f"the last report's date ({when(result.since)}) has the same Ofsted file as this one"
    if pd.isna(change["previous_as_at"]):
        return f"no Ofsted file as old as the last report's date ({when(result.since)}) is in the pack to compare with"
    return _change_words(change[column], change["previous_as_at"])


def headline_sentence(result: Inspections) -> Said:
    """'87% of Leicestershire's 262 schools last graded before September 2024 are good or outstanding, against ...'.

    The population is stated with the figure: from September 2024 inspections give no overall grade, so
    the share is of the schools whose latest inspection has one.
    """
    row = summary_row(result, "la")
    name = result.areas.la_name
    good = _fact(result, "inspections_good_or_better")
    graded = int(row.get("n_graded") or 0)
    population = ("schools last graded before September 2024" if result.as_at >= KEY_JUDGEMENTS_FROM
                  else "graded schools")
    if not graded:
        return Said(f"None of {name}'s schools has an overall effectiveness grade as at {when(result.as_at)}"
                    f"{_era_words(result, row)}.")
    since = "" if _hidden(result, good) else _since(result, "change")  # a change gives a withheld share away
    text = (_pct(good, result=result) + f" of {name}'s " + _row_count(result, "n_graded")
            + f" {population} are good or outstanding"
            + _era_words(result, row) + f" as at {when(result.as_at)}"
            + _benchmarks(result, "inspections_good_or_better"))
    return text + (f"; {since}." if since else ".")


def pupils_sentence(result: Inspections) -> Said:
    """The share of pupils in good or better schools (of the same population), or why it is not available."""
    row = summary_row(result, "la")
    if not row["n_graded"]:
        return Said("With no school graded for overall effectiveness, there is no share of pupils in good or "
                    "better schools.")
    fact = _fact(result, "inspections_pupils_good_or_better")
    if fact is None or fact.value is None:
        return Said(f"Ofsted's file as at {when(result.as_at)} gives no pupil numbers, so the share of pupils in "
                    "good or better schools is not available.")
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    since = _since(result, "change_pupils") if change["previous_as_at"] != result.as_at \
        and not _hidden(result, fact) else ""  # a change beside a withheld share gives it away
    population = "schools last graded before September 2024" if result.as_at >= KEY_JUDGEMENTS_FROM \
        else "graded schools"
    text = (_pct(fact, result=result) + f" of the pupils in {result.areas.la_name}'s {population} attend a good "
            "or outstanding school" + _benchmarks(result, "inspections_pupils_good_or_better"))
    return text + (f"; {since}." if since else ".")


def with_rule_sentence(result: Inspections) -> Said:
    """The share good or better counting the 2024/25 inspections by the key-judgement rule: the measure the
    summary's indicators A and C use, its own measure, said with its label and why it differs."""
    if result.as_at < KEY_JUDGEMENTS_FROM:
        return Said("")
    schools, pupils = (_fact(result, "inspections_good_or_better_with_rule"),
                       _fact(result, "inspections_pupils_good_or_better_with_rule"))
    if schools is None or schools.value is None:
        return Said("")
    rule = "all four key judgements" if result.settings.good_equivalent == "all_key_judgements" else \
        "quality of education and leadership and management"
    england = _fact(result, "inspections_good_or_better_with_rule", "england")
    text = (Said("The summary's indicators A and C use a measure of their own, not Ofsted's: counting each school "
                 "inspected from September 2024 to November 2025 as good or better when " + rule
                 + " are good or better and safeguarding is effective, ")
            + _pct(schools, result=result) + " of the schools with a grade to compare are good or better (England "
            + _pct(england, result=result) + ")")
    if pupils is not None and pupils.value is not None:
        text = text + ", and " + _pct(pupils, result=result) + " of their pupils attend one"
    return text + "; schools with a report card are in neither side."


def concern_sentence(result: Inspections) -> Said:
    """Schools in an Ofsted category of concern (by category) against England; requires improvement said apart,
    as it is not a category."""
    name = result.areas.la_name
    n = _fact(result, "inspections_category_of_concern")
    schools = _fact(result, "inspections_schools")
    kinds = [_said(result, _fact(result, f"inspections_{k}")) for k in config()["categories"]]
    labels = list(config()["categories"].values())
    detail = joined([label.lower() + " " + k for label, k, f in
                     zip(labels, kinds, [_fact(result, f"inspections_{k}") for k in config()["categories"]],
                         strict=True) if f is not None and f.count], ", ")
    share, england = _hidden_share(result), \
        _fact(result, "inspections_category_of_concern_pct", "england")
    count = 0 if n is None else n.count
    national = _pct(england, 1, result) + " in England"
    if count == 0:
        lead = Said(f"None of {name}'s ") + _said(result, schools) + " schools is in an Ofsted category of concern"
        text = lead + " (against " + national + ")"
    else:
        lead = (_said(result, n) + f" of {name}'s " + _said(result, schools) + f" schools {_is(result, count)} "
                "in an Ofsted category of concern" + (" (" + detail + ")" if str(detail) else ""))
        shown = result.committee and (count < result.threshold or _hidden(result, n))
        text = lead + ("" if shown else ", " + _pct(share, 1, result) + " of its schools against " + national)
    improvement, inadequate = (_fact(result, "inspections_requires_improvement"),
                               _fact(result, "inspections_inadequate"))
    ri = 0 if improvement is None else improvement.count
    return (text + ". Requires improvement is not a category of concern: separately, " + _said(result, improvement)
            + f" {'school' if ri == 1 else 'schools'} last graded for overall effectiveness "
            + f"{'requires' if _is(result, ri) == 'is' else 'require'} improvement and "
            + _said(result, inadequate) + f" {_is(result, 0 if inadequate is None else inadequate.count)} inadequate.")


def counting_sentence(result: Inspections) -> str:
    """How the LA's schools are counted: graded, on a predecessor's inspection, report cards, not inspected."""
    row = summary_row(result, "la")
    name = result.areas.la_name
    parts = []
    if row["n_key_judgements"]:
        good = int(row["n_key_judgements_good_by_rule"])
        parts.append(f"{_count(result, int(row['n_key_judgements']))} last inspected under the key judgements "
                     "(September 2024 to November 2025) have no overall grade under that framework and are not in "
                     f"\"% good or better\"; separately, {_count(result, good)} of them "
                     f"{'meets' if good == 1 else 'meet'} the key-judgement rule below")
    if row["n_predecessor_grade"]:
        parts.append(f"{_count(result, int(row['n_predecessor_grade']))} not yet inspected in their current form "
                     "count with the inspection of the school they replaced")
    excluded = int(row["n_not_inspected"]) - int(row["n_predecessor_grade"])
    if excluded:
        if result.settings.not_inspected == "exclude":
            parts.append(f"{_count(result, excluded)} not yet inspected in their current form are left out, "
                         "as the report's counting rules ask")
        else:
            parts.append(f"{_count(result, excluded)} have no inspection of their own or of a predecessor")
    if row["n_report_card"]:
        parts.append(f"{_count(result, int(row['n_report_card']))} with a report card are not graded on the "
                     "four-point scale and are reported separately below")
    text = (f"Of {name}'s {_count(result, int(row['n_schools']))} schools, {_count(result, int(row['n_graded']))} "
            f"{'has' if _is(result, int(row['n_graded'])) == 'is' else 'have'} a grade")
    return text + (": " + "; ".join(parts) if parts else "") + "."


def introduction(result: Inspections) -> str:
    """Which snapshots and comparators the section uses."""
    areas = result.areas
    snapshots = result.summary["as_at"].drop_duplicates().sort_values()
    files = (f"{len(snapshots)} snapshots of Ofsted's management information, {when(snapshots.iloc[0])} to "
             f"{when(snapshots.iloc[-1])}" if len(snapshots) > 1 else
             f"Ofsted's management information as at {when(snapshots.iloc[0])}")
    region = f", {areas.region}" if areas.region else ""
    missing = (f" Ofsted's file has no schools for comparator LA {', '.join(areas.missing_neighbours)}."
               if areas.missing_neighbours else "")
    return (f"From {files}. {areas.la_name} is compared with England{region} and {areas.description}, "
            f"whose schools are counted together.{missing}")


def _tile(result: Inspections, measure: str, label: str, detail: str, *, withheld: bool = False,
          decimals: int = 0, compare: str | None = None) -> Tile:
    """A tile of one measure, its figure and England's from the facts, compared with England by the one
    "in line" rule (``measures.versus``), on ``compare`` where a count is compared by its share."""
    here, england = _fact(result, measure), _fact(result, measure, "england")
    spec = measures.get(measure)
    withheld = withheld or _hidden(result, here)  # withheld in the table: withheld in the tile
    value = None if here is None or withheld else here.value
    by = compare or measure
    local, national = _fact(result, by), _fact(result, by, "england")
    versus = "" if value is None or local is None or national is None else \
        measures.versus(by, local.value, national.value)
    return Tile(key=measure, label=label, value=value, unit=spec.unit, decimals=decimals, missing="not available",
                detail=detail, england=None if england is None or compare else england.value, suppressed=withheld,
                polarity=spec.polarity, versus=versus, period=f"{pd.Timestamp(result.as_at):%Y-%m-%d}")


def headline_tiles(result: Inspections) -> list[Tile]:
    """Tiles: good or better (of the schools last graded before September 2024) and their pupils, schools in a
    category of concern, and schools eligible for RISE intervention."""
    row = summary_row(result, "la")
    n = int(row["n_category_of_concern"])
    withheld = result.committee and 0 < n < result.threshold
    share = _fact(result, "inspections_category_of_concern_pct")
    national = _fact(result, "inspections_category_of_concern_pct", "england")
    neighbours = _fact(result, "inspections_good_or_better", "neighbours")
    legacy = result.as_at >= KEY_JUDGEMENTS_FROM
    of = f"of {int(row['n_graded']):,} schools last graded before September 2024" if legacy else \
        f"of {int(row['n_graded']):,} graded schools"
    stuck = _fact(result, "rise_eligible")
    stuck_n = 0 if stuck is None else stuck.count
    rise_tile = [] if stuck is None else [
        replace(_tile(result, "rise_eligible", "Schools eligible for RISE intervention ('stuck')",
                      "requires improvement or equivalent at the latest inspection and below good before "
                      "(the DfE's rule)", withheld=result.committee and 0 < stuck_n < result.threshold),
                versus="", england=None)]  # a count: England's is not a comparison
    return [
        _tile(result, "inspections_good_or_better", "Good or better (overall effectiveness)",
              f"{of}; England {percent(None if _fact(result, 'inspections_good_or_better', 'england') is None else _fact(result, 'inspections_good_or_better', 'england').value)}; neighbours "
              f"{percent(None if neighbours is None else neighbours.value)}"),
        _tile(result, "inspections_pupils_good_or_better", "Pupils in good or better schools (overall effectiveness)",
              f"pupils in the {of.removeprefix('of ')}; England "
              f"{percent(None if _fact(result, 'inspections_pupils_good_or_better', 'england') is None else _fact(result, 'inspections_pupils_good_or_better', 'england').value)}"),
        _tile(result, "inspections_category_of_concern", "Schools in an Ofsted category of concern",
              (f"of {row['n_schools']:,} schools" if withheld else
               f"{shown(share)} of {row['n_schools']:,} schools") + f"; England {shown(national)}",
              withheld=withheld, compare="inspections_category_of_concern_pct"),
        *rise_tile,
    ]


def summary_tiles(result: Inspections) -> list[Tile]:
    """The tile of indicator A on the summary page: pupils in good or better schools counting the 2024/25
    inspections by the key-judgement rule (A's own measure, labelled so)."""
    england = _fact(result, "inspections_pupils_good_or_better_with_rule", "england")
    return [_tile(result, "inspections_pupils_good_or_better_with_rule",
                  "Pupils in good or better schools (A: with the key-judgement rule)",
                  "2024/25 inspections counted by the key-judgement rule; report cards left out; England "
                  + shown(england).replace(".0%", "%"), decimals=1)]


def shown(fact: Fact | None) -> str:
    """A percentage fact to one place (``2.4%``), or 'not available'."""
    return "not available" if fact is None or fact.value is None else fact.text(1)


def _figure(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def method_points(result: Inspections) -> list[str]:
    """The counting rules in force, for the report (from the params and ``config/inspections.yaml``)."""
    settings = result.settings
    # a framework's rule is stated only where the snapshots reach its start
    frameworks = [config()["good_equivalent"][settings.good_equivalent]["text"]] \
        if result.as_at >= KEY_JUDGEMENTS_FROM else []
    frameworks += [config()["report_cards"]] if result.as_at >= REPORT_CARDS_FROM else []
    categories = ("special measures and serious weaknesses (before 2015 also a notice to improve; from 10 November "
                  "2025 requires significant improvement)" if result.as_at >= REPORT_CARDS_FROM else
                  "special measures and serious weaknesses (before 2015 also a notice to improve)")
    return [
        "Good or better: the latest overall effectiveness grade, outstanding or good, as a share of the schools "
        f"with a grade. Ofsted's categories of concern are {categories}; requires improvement is not a category, "
        "and neither is the LA's own list of schools at risk.",
        *frameworks,
        config()["not_inspected"][settings.not_inspected],
        config()["pupils"],
        f"Region: the LA's region in the statistical neighbours workbook ({result.areas.region or 'none'} in "
        "Ofsted's file). Statistical neighbours: all the schools of the comparator LAs counted together, not an "
        "average of their percentages.",
        *rise.rule_points(result.as_at),
    ]



def trend_sentence(result: Inspections) -> Said:
    """How % good or better moved from the first to the latest snapshot, LA and England, with the schools behind
    each figure (from September 2024 fewer schools have an overall grade each term)."""
    first, last = result.first_as_at, result.as_at
    if first == last:
        return Said(f"The pack has one Ofsted snapshot ({when(last)}), so there is no trend to show yet.")
    la0, la1 = (_fact(result, "inspections_good_or_better", "la", first),
                _fact(result, "inspections_good_or_better", "la", last))
    en0, en1 = (_fact(result, "inspections_good_or_better", "england", first),
                _fact(result, "inspections_good_or_better", "england", last))
    text = (Said(f"From {when(first)} to {when(last)} the share of {result.areas.la_name}'s schools with an overall "
                 "effectiveness grade that are good or better went from ") + _pct(la0, result=result) + " to "
            + _pct(la1, result=result)
            + "; in England from " + _pct(en0, result=result) + " to " + _pct(en1, result=result) + ".")
    if last >= KEY_JUDGEMENTS_FROM and la0 is not None and la1 is not None and la0.denominator and la1.denominator:
        text = text + (f" The schools behind it are fewer each term, as schools inspected from September 2024 leave "
                       f"it: {la0.denominator:,.0f} then, {la1.denominator:,.0f} now.")
    return text


def breakdown_points(result: Inspections) -> list[str]:
    """One line per phase and governance group of the LA: % good or better against England."""
    lines = []
    for group in groups()[1:]:
        row, england = summary_row(result, "la", group), summary_row(result, "england", group)
        if not row or not row["n_schools"]:
            continue
        if not row["n_graded"]:
            lines.append(f"{group_label(group)}: none of its {_count(result, int(row['n_schools']), 'schools')} "
                         "has a grade.")
            continue
        if _small(result, row):
            lines.append(f"{group_label(group)}: fewer than {result.threshold} graded schools, so no percentage is "
                         "shown.")
            continue
        lines.append(f"{group_label(group)}: {percent(row['pct_good_or_better'])} of {_schools(row['n_graded'], 'graded')} "
                     f"good or better (England {percent(england.get('pct_good_or_better'))}); "
                     f"{_count(result, int(row['n_category_of_concern']))} in a category of concern.")
    return lines


def transition_sentences(result: Inspections) -> list[str]:
    """Improved, same, declined between the previous and latest inspection; schools that became good."""
    counts = result.transition_counts
    name = result.areas.la_name
    total = counts["improved"] + counts["same"] + counts["declined"]
    lines = [f"None of {name}'s schools has a grade from both its previous and latest inspection." if not total else
             f"Of the {_count(result, total)} {name} schools with a grade from both their previous and latest "
             f"inspection, {_count(result, counts['improved'])} improved, {_count(result, counts['same'])} kept "
             f"the same grade and {_count(result, counts['declined'])} declined."]
    left = []
    if counts["key_judgements"]:
        left.append(f"{_count(result, counts['key_judgements'])} schools last inspected under the key judgements "
                    "(no overall grade) are not in the table")
    if counts["no_previous"]:
        left.append(f"{_count(result, counts['no_previous'])} graded schools have no previous grade in the file")
    if counts["report_card"]:
        left.append(f"{_count(result, counts['report_card'])} schools with a report card are not in the table")
    if left:
        text = "; ".join(left)
        lines.append(text[0].upper() + text[1:] + ".")
    moved = result.became_good["movement"].value_counts()
    if result.first_as_at != result.as_at:
        lines.append(f"Since {when(result.first_as_at)} (the first snapshot in this pack), schools that have "
                     f"become good or better from requires improvement or inadequate: "
                     f"{_count(result, int(moved.get('became_good', 0)))}"
                     + (f" (and {_count(result, int(moved['became_good_from_satisfactory']))} from satisfactory, "
                        "grade 3 at an inspection before September 2012)"
                        if moved.get("became_good_from_satisfactory") else "")
                     + f"; schools no longer good or better: {_count(result, int(moved.get('no_longer_good', 0)))}.")
    return lines


def report_card_sentences(result: Inspections) -> list[str]:
    """How many schools have a report card, and safeguarding met, in the LA and England."""
    cards = result.report_cards
    la, england = summary_row(result, "la"), summary_row(result, "england")
    if cards.empty or not la["n_report_card"]:
        where = "England" if cards.empty else result.areas.la_name
        return [f"No school in {where} had a report card by {when(result.as_at)} (report cards started on "
                "10 November 2025), so every inspection here is on the four-point scale."]
    lines = [f"{_count(result, int(la['n_report_card']))} of {result.areas.la_name}'s schools have a report card "
             f"(England {int(england['n_report_card']):,}). Report cards grade each evaluation area on a five-point "
             "scale and have no overall grade, so these schools are not in the % good or better."]
    safe = cards[(cards["evaluation_area"] == "safeguarding") & (cards["area_type"] == "la")].set_index("outcome")
    national = cards[(cards["evaluation_area"] == "safeguarding") & (cards["area_type"] == "england")]
    national_met = national.set_index("outcome")["pct"].get("met", np.nan)
    lines.append(f"Safeguarding was met in {_count(result, int(safe.at['met', 'n_schools']))} and not met in "
                 f"{_count(result, int(safe.at['not_met', 'n_schools']))} of them (England: met in "
                 f"{percent(national_met)}).")
    return lines


def schools_sentence(result: Inspections) -> Said:
    """How many of the LA's schools were inspected since the last report's file, and how their grades moved."""
    schools = result.schools
    start = when(last_report_file(result))
    if schools.empty:
        return Said(f"No school in {result.areas.la_name} was inspected after {start} (the Ofsted file the last "
                    f"report's date has) and by {when(result.as_at)}.")
    moved = schools["change"].value_counts()
    words = config()["changes_said"]
    parts = [f"{_count(result, int(moved[k]))} {words[k]}" for k in words if moved.get(k)]
    rule = int(schools["basis"].eq("key_judgement_rule").sum())
    by_rule = (f" Of them, {_count(result, rule)} {'was' if rule == 1 else 'were'} inspected under the key "
               "judgements, which give no overall grade: their grade here is the key-judgement rule's, as on every "
               "page of this report." if rule else "")
    total = _fact(result, "inspections_inspected_since")
    return (_said(result, total) + f" {'inspection' if len(schools) == 1 else 'inspections'} of "
            f"{result.areas.la_name}'s schools {'was' if len(schools) == 1 else 'were'} dated after {start} (the "
            f"Ofsted file the last report's date has) and by {when(result.as_at)}: " + ", ".join(parts) + "."
            + by_rule)



def framework_labels(result: Inspections) -> dict[str, str]:
    """Each framework's label; before September 2024 the legacy one has no end date (it had none then)."""
    labels = dict(config()["frameworks"])
    if result.as_at < KEY_JUDGEMENTS_FROM:
        labels["overall"] = labels["overall"].split(" (")[0]
    return labels


def frameworks_sentence(result: Inspections) -> str:
    """The LA's schools by the framework of their counted inspection, "no overall grade" counted apart."""
    table = result.frameworks
    la = table[(table["as_at"] == result.as_at) & (table["area_type"] == "la")]
    n = la.groupby("framework")["n_schools"].sum()
    legacy = int(la.loc[(la["framework"] == "overall") & (la["outcome"] != "no_overall_grade"), "n_schools"].sum())
    total = int(la["n_schools"].sum())
    parts = [f"{_count(result, legacy)} have a legacy overall effectiveness grade"
             + (" (inspected before 2 September 2024)" if result.as_at >= KEY_JUDGEMENTS_FROM else "")]
    if n.get("key_judgements", 0):
        parts.append(f"{_count(result, int(n['key_judgements']))} were last inspected under the key judgements "
                     "(2 September 2024 to 9 November 2025), which give no overall grade")
    if n.get("report_card", 0):
        parts.append(f"{_count(result, int(n['report_card']))} have a report card, with no grade on the four-point "
                     "scale")
    ungraded = int(la.loc[(la["framework"] == "overall") & (la["outcome"] == "no_overall_grade"), "n_schools"].sum())
    if ungraded:
        parts.append(f"{_count(result, ungraded)} were inspected before September 2024 without an overall grade")
    if n.get("none", 0):
        parts.append(f"{_count(result, int(n['none']))} have no inspection counted")
    apart = (" The grades of the frameworks are never merged into one on this page: a school with no grade under "
             "a framework is counted as such (the summary's indicators A and C use a measure of their own, said "
             "above)." if result.as_at >= KEY_JUDGEMENTS_FROM else "")
    return (f"By the framework of their latest inspection, of {result.areas.la_name}'s {_count(result, total)} "
            f"schools as at {when(result.as_at)}: " + "; ".join(parts) + "." + apart)


#: The four groups of Ofsted's current presentation, as the sentence names them.
GROUP_WORDS = {
    "report_card": ("have a report card", "inspected from 10 November 2025: each evaluation area graded, no "
                                          "overall grade"),
    "key_judgements": ("were last inspected under the key judgements", "2 September 2024 to 9 November 2025: no "
                                                                       "overall grade"),
    "overall": ("were last graded before September 2024", "overall effectiveness"),
    "not_inspected": ("have not yet been inspected", ""),
}
GROUP_FACTS = {"report_card": "ofsted_group_report_card", "key_judgements": "ofsted_group_key_judgements",
               "overall": "ofsted_group_overall", "not_inspected": "ofsted_group_not_inspected"}


def groups_sentences(result: Inspections) -> list[Said]:
    """The LA's schools in the four groups of Ofsted's current presentation (never pooled), with their pupils,
    and what "good or better" is of."""
    name = result.areas.la_name
    total = _fact(result, "inspections_schools")
    parts = []
    for group, (verb, explained) in GROUP_WORDS.items():
        fact = _fact(result, GROUP_FACTS[group])
        if fact is None or (not fact.count and group != "overall"):
            continue
        pupils = _fact(result, GROUP_FACTS[group] + "_pupils")
        inside = [cite(f"{pupils.count:,} pupils", (pupils, 0))] if pupils is not None and pupils.value is not None \
            and not (result.committee and fact.count < result.threshold) else []
        inside += [Said(explained)] if explained else []
        parts.append(_said(result, fact) + " " + verb + (" (" + joined(inside, "; ") + ")" if inside else ""))
    lines = [Said(f"Ofsted now presents a school's inspection in one of four groups, which are never pooled. Of "
                  f"{name}'s ") + _said(result, total) + f" schools as at {when(result.as_at)}, "
             + joined(parts, "; ") + "."]
    overall = _fact(result, "ofsted_group_overall")
    good = _fact(result, "inspections_good_or_better")
    if overall is not None and overall.count and good is not None and good.value is not None:
        lines.append(Said('"Good or better" is a grade of the last group only: ') + _pct(good, result=result) + " of those "
                     + _said(result, overall) + " schools are good or outstanding for overall effectiveness"
                     + _benchmarks(result, "inspections_good_or_better") + ".")
    return lines


def rise_sentence(result: Inspections) -> Said:
    """How many of the LA's schools are eligible for RISE intervention, against its benchmarks (the DfE's rule)."""
    fact = _fact(result, "rise_eligible")
    if fact is None:
        return Said("")  # before the programme began the page says nothing of it (views.rise)
    england = _fact(result, "rise_eligible", "england")
    neighbours = _fact(result, "rise_eligible", "neighbours")
    n = fact.count
    text = (_said(result, fact) + f" of {result.areas.la_name}'s schools {_is(result, n)} eligible for RISE "
            "intervention by the DfE's rule ('stuck': requires improvement or equivalent at the latest inspection "
            "and below good at the one before)")
    others = []
    if neighbours is not None:
        others.append(_said(result, neighbours) + " across its statistical neighbours")
    if england is not None:
        others.append(cite(f"{england.count:,} in England", (england, 0)))
    return text + ("; " + joined(others, " and ") if others else "") + ". Schools in a category of concern are " \
        "counted apart, above."


#: The sums a reader can do with the before-and-after counts (a total and its parts). In a committee pack each
#: must leave a withheld count unknown: ``withheld_counts`` withholds a complement where it would not.
BEFORE_AFTER_SUMS = (
    ("below_good", ("inadequate", "requires_improvement", "satisfactory")),
    ("below_good", ("found", "not_found")),
    ("found", ("same_urn", "successor")),
    ("found", ("reinspected", "not_reinspected")),
    ("reinspected", ("now_good", "still_below", "report_card")),
    ("requires_improvement", ("ri_below_good",)),  # one count said twice
    ("ri_below_good", ("ri_reinspected", "ri_waiting")),
    ("ri_reinspected", ("ri_now_good", "ri_still_below", "ri_report_card")),
)


def withheld_counts(counts: Mapping[str, int], threshold: int) -> tuple[set[str], set[str]]:
    """The before-and-after counts a committee pack withholds: those from 1 to ``threshold - 1`` (said "fewer
    than N"), and their complements (said without a number), so that no sum of ``BEFORE_AFTER_SUMS``, alone or
    with the others, gives one: the tables' own rule (``disclosure.withhold`` on the counts as one row, each sum
    a relation across it, solved together). Returns (small, complements)."""
    from ... import relations

    keys = list(dict.fromkeys(k for total, parts in BEFORE_AFTER_SUMS for k in (total, *parts)))
    row = pd.DataFrame([{k: int(counts.get(k, 0)) for k in keys}])
    found = disclosure.withhold(row, keys, threshold=threshold, avoid=["below_good"],
                                relations=[relations.across(total, parts) for total, parts in BEFORE_AFTER_SUMS])
    hidden = {column for _, column in found.cells}
    small = {k for k in keys if 0 < counts.get(k, 0) < threshold}
    return small, hidden - small


def _grade_words(counts: Mapping[str, int], result: Inspections, say: Any = None) -> str:
    """'5 inadequate, 16 requiring improvement and 25 satisfactory (...)' (only the grades present); ``say`` gives
    each count's words (``_count`` by default)."""
    say = say or (lambda key: _count(result, counts[key]))
    parts = [f"{say('inadequate')} inadequate" if counts["inadequate"] else "",
             f"{say('requires_improvement')} requiring improvement"
             if counts["requires_improvement"] else "",
             f"{say('satisfactory')} satisfactory (grade 3 at an inspection before September "
             "2012, when it meant satisfactory, not requires improvement)" if counts["satisfactory"] else ""]
    parts = [p for p in parts if p]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def previous_below_good_sentences(result: Inspections) -> list[str]:
    """The before-and-after story with its denominators: below good then, found, re-inspected, good now."""
    c = result.previous_below_good_counts
    name, then = result.areas.la_name, last_report_file(result)
    if then == result.as_at or pd.Timestamp(result.since) < result.first_as_at:
        return [f"No Ofsted file as old as the last report ({when(result.since)}) is in the pack, so the schools "
                "below good then cannot be followed."]
    if not c["below_good"]:
        return [f"None of {name}'s schools was below good in Ofsted's file as at {when(then)}."]
    c = {**c, "ri_waiting": c["ri_below_good"] - c["ri_reinspected"]}
    small, complements = withheld_counts(c, result.threshold) if result.committee else (set(), set())

    def say(key: str) -> str:  # a count, "fewer than 5", or (a complement of one) no number
        return "some" if key in complements else _count(result, c[key])

    def verb(key: str, singular: str, plural: str) -> str:
        return plural if key in complements or _is(result, c[key]) == "are" else singular

    lines = [f"In Ofsted's file as at {when(then)} (the one of the last report's date), {say('below_good')} "
             f"of {name}'s schools were below good: {_grade_words(c, result, say)}."]
    found = (f"{say('found')} are followed to a school in Ofsted's file as at {when(result.as_at)} "
             f"({say('same_urn')} by the same URN, {say('successor')} to the academy or "
             "school that succeeded them)")
    again = (f"{say('reinspected')} of them {verb('reinspected', 'has', 'have')} been inspected since: "
             f"{say('now_good')} {verb('now_good', 'is', 'are')} now good or better and "
             f"{say('still_below')} {verb('still_below', 'is', 'are')} still below good"
             + (f" ({say('report_card')} have a report card instead of a grade)" if c["report_card"]
                else "")
             + (f" ({_count(result, c['by_rule'])} of these grades are the key-judgement rule's, their inspection "
                "giving no overall grade)" if c.get("by_rule") else ""))
    waiting = (f"{say('not_reinspected')} {verb('not_reinspected', 'has', 'have')} not been inspected since"
               + (f" ({_count(result, c['not_reinspected_successor'])} of them converted and not yet inspected in "
                  "their new form, so Ofsted's file shows the old grade)" if c["not_reinspected_successor"] else ""))
    lines.append(f"{found}; {again}; {waiting}.")
    if c["not_found"]:
        reasons = config()["not_found"]
        why = "; ".join(f"{_count(result, c[f'not_found_{k}'])} {text}" for k, text in reasons.items()
                        if c[f"not_found_{k}"])
        lines.append(f"{say('not_found')} are not found in the latest file: {why}.")
    if c["ri_below_good"]:
        share = (f" ({100 * c['ri_now_good'] / c['ri_reinspected']:.0f}%)"
                 if c["ri_reinspected"] and not ({"ri_reinspected", "ri_now_good"} & (small | complements)) else "")
        of = "those" if "ri_below_good" in complements else f"the {say('ri_below_good')}"
        lines.append(f"Of {of} that required improvement, "
                     f"{say('ri_reinspected')} {verb('ri_reinspected', 'has', 'have')} been inspected since and "
                     f"{say('ri_now_good')} of those{share} {verb('ri_now_good', 'is', 'are')} now good "
                     "or better; "
                     f"{say('ri_still_below')} {verb('ri_still_below', 'is', 'are')} still below good "
                     f"and {say('ri_waiting')} {verb('ri_waiting', 'has', 'have')} not been inspected since.")
    return lines


def gap_sentence(result: Inspections) -> str:
    """The inspections no snapshot in the pack holds, and those the last report's file lacked but later ones have."""
    g = result.gaps
    text = ""
    if g["latest_last_inspection"] is not None and not pd.isna(g["latest_last_inspection"]) and g["gap_days"]:
        text = (f"Ofsted's file as at {when(g['latest_as_at'])} holds inspections to "
                f"{when(g['latest_last_inspection'])}: any inspection in the {g['gap_days']} days from then to the "
                f"report date ({when(g['report_as_at'])}) is not in this pack "
                "(a gap, not a zero).")
    if g["previous_as_at"] is not None:
        later = int(g["taken_from_later"])
        which = (f"the {_count(result, later)} inspections of {result.areas.la_name}'s schools dated from then to "
                 f"{when(result.since)} are taken from the later files" if later else
                 f"the later files hold no inspection of {result.areas.la_name}'s schools dated from then to "
                 f"{when(result.since)}")
        text += (f" The last report's file (as at {when(g['previous_as_at'])}) held inspections to "
                 f"{when(g['previous_last_inspection'])}; {which}.")
    return text.strip()
