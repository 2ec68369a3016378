"""The section's wording: the sentences, headline tiles and method notes, from an ``Inspections`` result.

Formatting only: every figure comes from the result (``analysis``); in
committee mode a small count is written 'fewer than N'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ... import disclosure
from ...content import Tile
from ...sources.ofsted_mi import KEY_JUDGEMENTS_FROM, REPORT_CARDS_FROM
from ...wording import long_date, versus_england
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
    file = f"(Ofsted's file as at {when(previous)})"
    if size == 0:
        return f"the same as at the last report {file}"
    return f"{'up' if change > 0 else 'down'} {size} point{'s' * (size != 1)} since the last report {file}"


def _benchmarks(result: Inspections, column: str, group: str = "all") -> str:
    """', against 90% in England, 88% in East Midlands and 88% across its statistical neighbours'."""
    parts = []
    for area_type, words in (("england", "in England"), ("region", "in {area}"),
                             ("statistical_neighbours", "across its statistical neighbours")):
        row = summary_row(result, area_type, group)
        if row and not pd.isna(row[column]):
            parts.append(f"{percent(row[column])} {words.format(area=row['area'])}")
    if not parts:
        return ""
    return ", against " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


def _era_words(result: Inspections, row: Mapping[str, Any]) -> str:
    """Which era a percentage uses and who is outside it, once the snapshots reach September 2024."""
    if result.as_at < KEY_JUDGEMENTS_FROM:
        return ""
    n = int(row.get("n_no_overall_grade", 0))
    return (f" (the legacy overall effectiveness grade only; {_count(result, n)} "
            f"{'school' if n == 1 else 'schools'} whose latest inspection has no overall grade under its "
            "framework are in neither side of it)")


def headline_sentence(result: Inspections) -> str:
    """'87% of Leicestershire's 262 graded schools are good or outstanding, against ...; up 2 points since ...'."""
    row = summary_row(result, "la")
    name = result.areas.la_name
    if not row.get("n_graded"):
        return (f"None of {name}'s schools has a grade on the four-point scale as at {when(result.as_at)}"
                f"{_era_words(result, row)}.")
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    since = _change_words(change["change"], change["previous_as_at"])
    if not pd.isna(change["previous_as_at"]) and change["previous_as_at"] == result.as_at:
        since = f"the last report used the same Ofsted file (as at {when(result.as_at)})"
    elif pd.isna(change["previous_as_at"]):
        since = f"no Ofsted file as old as the last report ({when(result.since)}) is in the pack to compare with"
    text = (f"{percent(row['pct_good_or_better'])} of {name}'s {_count(result, int(row['n_graded']))} graded schools are "
            f"good or outstanding{_era_words(result, row)} as at {when(result.as_at)}"
            f"{_benchmarks(result, 'pct_good_or_better')}")
    return text + (f"; {since}." if since else ".")


def pupils_sentence(result: Inspections) -> str:
    """The share of pupils in good or better schools, or why it is not available."""
    row = summary_row(result, "la")
    if not row["n_graded"]:
        return "With no graded school, there is no share of pupils in good or better schools."
    if pd.isna(row["pct_pupils_good_or_better"]):
        return (f"Ofsted's file as at {when(result.as_at)} gives no pupil numbers, so the share of pupils in good "
                "or better schools is not available.")
    change = result.changes[(result.changes["area_type"] == "la") & (result.changes["group"] == "all")].iloc[0]
    since = _change_words(change["change_pupils"], change["previous_as_at"]) \
        if change["previous_as_at"] != result.as_at else ""
    text = (f"{percent(row['pct_pupils_good_or_better'])} of pupils in {result.areas.la_name}'s graded schools attend a "
            f"good or outstanding school{_era_words(result, row)}{_benchmarks(result, 'pct_pupils_good_or_better')}")
    return text + (f"; {since}." if since else ".")


def concern_sentence(result: Inspections) -> str:
    """Schools in a category of concern (by category), inadequate and requiring improvement, against England."""
    row, england = summary_row(result, "la"), summary_row(result, "england")
    name = result.areas.la_name
    n = int(row["n_category_of_concern"])
    kinds = [f"{label.lower()} {_count(result, int(row[f'n_{k}']))}" for k, label in config()["categories"].items()
             if row[f"n_{k}"]]
    detail = f" ({', '.join(kinds)})" if kinds else ""
    share = ""
    national = f"{100 * england['n_category_of_concern'] / england['n_schools']:.1f}% in England"
    if n == 0:
        share = f" (against {national})"
    elif row["n_schools"] and not (result.committee and n < result.threshold):
        share = f", {100 * n / row['n_schools']:.1f}% of its schools against {national}"
    inadequate, improvement = int(row["n_inadequate"]), int(row["n_requires_improvement"])
    lead = (f"None of {name}'s {_count(result, int(row['n_schools']))} schools is" if n == 0 else
            f"{_count(result, n)} of {name}'s {_count(result, int(row['n_schools']))} schools {_is(result, n)}")
    return (f"{lead} in an Ofsted category of concern{detail}{share}; {_count(result, inadequate)} "
            f"{_is(result, inadequate)} "
            f"inadequate and {_count(result, improvement)} "
            f"{'requires' if _is(result, improvement) == 'is' else 'require'} improvement.")


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
                         "as the params ask")
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


def headline_tiles(result: Inspections) -> list[Tile]:
    """Tiles: % of graded schools good or better, % of pupils in them, schools in a category of concern."""
    row, england = summary_row(result, "la"), summary_row(result, "england")
    sn = summary_row(result, "statistical_neighbours")
    n = int(row["n_category_of_concern"])
    withheld = result.committee and 0 < n < result.threshold
    national = 100 * england["n_category_of_concern"] / england["n_schools"] if england.get("n_schools") else np.nan
    local_concern = 100 * n / row["n_schools"] if row.get("n_schools") else np.nan
    snapshot = f"{pd.Timestamp(result.as_at):%Y-%m-%d}"
    return [
        Tile(key="inspections_good_or_better", label="Graded schools good or better",
             value=_figure(row["pct_good_or_better"]), unit="percent", decimals=0, missing="not available",
             detail=(f"Legacy overall grade; {_count(result, int(row['n_no_overall_grade']))} with no overall grade "
                     "left out. " if result.as_at >= KEY_JUDGEMENTS_FROM else "")
             + f"England {percent(england['pct_good_or_better'])}; neighbours {percent(sn.get('pct_good_or_better'))}",
             england=_figure(england["pct_good_or_better"]), polarity="High",
             versus=versus_england(row["pct_good_or_better"], england["pct_good_or_better"], "High", 0),
             period=snapshot),
        Tile(key="inspections_pupils_good_or_better", label="Pupils in good or better schools",
             value=_figure(row["pct_pupils_good_or_better"]), unit="percent", decimals=0, missing="not available",
             detail=f"England {percent(england['pct_pupils_good_or_better'])}",
             england=_figure(england["pct_pupils_good_or_better"]), polarity="High",
             versus=versus_england(row["pct_pupils_good_or_better"], england["pct_pupils_good_or_better"], "High", 0),
             period=snapshot),
        Tile(key="inspections_category_of_concern", label="Schools in a category of concern",
             value=None if withheld else float(n), unit="count", suppressed=withheld, polarity="Low",
             detail=(f"of {row['n_schools']:,} schools" if withheld else
                     f"{local_concern:.1f}% of {row['n_schools']:,} schools") + f"; England {national:.1f}%",
             versus=versus_england(local_concern, national, "Low", 1), period=snapshot),
    ]


def _figure(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def method_points(result: Inspections) -> list[str]:
    """The counting rules in force, for the report (from the params and ``config/inspections.yaml``)."""
    settings = result.settings
    # a framework's rule is stated only where the snapshots reach its start
    frameworks = [config()["good_equivalent"][settings.good_equivalent]["text"]] \
        if result.as_at >= KEY_JUDGEMENTS_FROM else []
    frameworks += [config()["report_cards"]] if result.as_at >= REPORT_CARDS_FROM else []
    return [
        "Good or better: the latest overall effectiveness grade, outstanding or good, as a share of the schools "
        "with a grade; schools in special measures, with serious weaknesses or (before 2015) a notice to improve "
        "are in a category of concern.",
        *frameworks,
        config()["not_inspected"][settings.not_inspected],
        config()["pupils"],
        f"Region: the LA's region in the statistical neighbours workbook ({result.areas.region or 'none'} in "
        "Ofsted's file). Statistical neighbours: all the schools of the comparator LAs counted together, not an "
        "average of their percentages.",
    ]



def trend_sentence(result: Inspections) -> str:
    """How % good or better moved from the first to the latest snapshot, LA and England."""
    first, last = result.first_as_at, result.as_at
    if first == last:
        return f"The pack has one Ofsted snapshot ({when(last)}), so there is no trend to show yet."
    la0, la1 = summary_row(result, "la", as_at=first), summary_row(result, "la")
    en0, en1 = summary_row(result, "england", as_at=first), summary_row(result, "england")
    return (f"From {when(first)} to {when(last)} the share of {result.areas.la_name}'s graded schools that are good "
            f"or better went from {percent(la0['pct_good_or_better'])} to {percent(la1['pct_good_or_better'])}; in England "
            f"from {percent(en0['pct_good_or_better'])} to {percent(en1['pct_good_or_better'])}.")


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


def schools_sentence(result: Inspections) -> str:
    """How many of the LA's schools were inspected since the last report's file, and how their grades moved."""
    schools = result.schools
    start = when(last_report_file(result))
    if schools.empty:
        return (f"No school in {result.areas.la_name} had an inspection of its own between {start} (the Ofsted file "
                f"the last report used) and {when(result.as_at)}.")
    moved = schools["change"].value_counts()
    words = config()["changes_said"]
    parts = [f"{_count(result, int(moved[k]))} {words[k]}" for k in words if moved.get(k)]
    return (f"{_count(result, len(schools), 'schools' if len(schools) != 1 else 'school')} in "
            f"{result.areas.la_name} had an inspection of their own between {start} (the Ofsted file the last "
            f"report used) and {when(result.as_at)}: " + ", ".join(parts) + ".")



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
    apart = (" The grades of the frameworks are never merged into one: a school with no grade under a framework "
             "is counted as such." if result.as_at >= KEY_JUDGEMENTS_FROM else "")
    return (f"By the framework of their latest inspection, of {result.areas.la_name}'s {_count(result, total)} "
            f"schools as at {when(result.as_at)}: " + "; ".join(parts) + "." + apart)


def _grade_words(counts: Mapping[str, int], result: Inspections) -> str:
    """'5 inadequate, 16 requiring improvement and 25 satisfactory (...)' (only the grades present)."""
    parts = [f"{_count(result, counts['inadequate'])} inadequate" if counts["inadequate"] else "",
             f"{_count(result, counts['requires_improvement'])} requiring improvement"
             if counts["requires_improvement"] else "",
             f"{_count(result, counts['satisfactory'])} satisfactory (grade 3 at an inspection before September "
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
    lines = [f"In Ofsted's file as at {when(then)} (the one the last report used), {_count(result, c['below_good'])} "
             f"of {name}'s schools were below good: {_grade_words(c, result)}."]
    found = (f"{_count(result, c['found'])} are followed to a school in Ofsted's file as at {when(result.as_at)} "
             f"({_count(result, c['same_urn'])} by the same URN, {_count(result, c['successor'])} to the academy or "
             "school that succeeded them)")
    again = (f"{_count(result, c['reinspected'])} of them {_has(result, c['reinspected'])} been inspected since: "
             f"{_count(result, c['now_good'])} {_is(result, c['now_good'])} now good or better and "
             f"{_count(result, c['still_below'])} {_is(result, c['still_below'])} still below good"
             + (f" ({_count(result, c['report_card'])} have a report card instead of a grade)" if c["report_card"]
                else ""))
    waiting = (f"{_count(result, c['not_reinspected'])} {_has(result, c['not_reinspected'])} not been inspected since"
               + (f" ({_count(result, c['not_reinspected_successor'])} of them converted and not yet inspected in "
                  "their new form, so Ofsted's file shows the old grade)" if c["not_reinspected_successor"] else ""))
    lines.append(f"{found}; {again}; {waiting}.")
    if c["not_found"]:
        reasons = config()["not_found"]
        why = "; ".join(f"{_count(result, c[f'not_found_{k}'])} {text}" for k, text in reasons.items()
                        if c[f"not_found_{k}"])
        lines.append(f"{_count(result, c['not_found'])} are not found in the latest file: {why}.")
    if c["ri_below_good"]:
        waiting_ri = c["ri_below_good"] - c["ri_reinspected"]
        share = (f" ({100 * c['ri_now_good'] / c['ri_reinspected']:.0f}%)"
                 if c["ri_reinspected"] and not (result.committee and c["ri_reinspected"] < result.threshold) else "")
        lines.append(f"Of the {_count(result, c['ri_below_good'])} that required improvement, "
                     f"{_count(result, c['ri_reinspected'])} {_has(result, c['ri_reinspected'])} been inspected since and "
                     f"{_count(result, c['ri_now_good'])} of those{share} {_is(result, c['ri_now_good'])} now good "
                     "or better; "
                     f"{_count(result, c['ri_still_below'])} {_is(result, c['ri_still_below'])} still below good "
                     f"and {_count(result, waiting_ri)} {_has(result, waiting_ri)} not been inspected since.")
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
