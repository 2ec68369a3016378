"""Secondary suppression and the committee pack's disclosure audit: the sums a reader can do, done first.

Each leak issue 28 found by subtraction is a small table here, suppressed as the views suppress
it, and the audit is run on published folders made by hand (a table beside its total, a chart of
a withheld count) and on whole committee packs (the sample's, Rutland's and Leicestershire's).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import audit, disclosure, facts, relations
from leep_analysis.content import Table, count, percent
from leep_analysis.render.html import figure_attribute
from leep_analysis.render.workbook import write_workbook
from leep_analysis.sections.concerns.views import category_relations
from leep_analysis.sections.inspections.views import SUMMARY_RELATIONS, TRANSITION_RELATIONS
from leep_analysis.tables import write_csv, write_table

COVER = {"title": "T", "la": "X", "period": "2025-26-spring", "as_at": "31 March 2026", "audience": "committee"}
TO = ["to_outstanding", "to_good", "to_requires_improvement", "to_inadequate"]


# ------------------------------------------------------------------------------- secondary suppression
def test_a_total_beside_one_small_count_withholds_a_complement():
    # the transitions leak: "Outstanding: 19, c, 0, 0, total 21" gives c = 2
    frame = pd.DataFrame({"previous": ["Outstanding", "Good"], "to_outstanding": [19, 11], "to_good": [2, 79],
                          "to_requires_improvement": [0, 7], "to_inadequate": [0, 6], "total": [21, 103]})
    primary_only = disclosure.withhold(frame, [*TO, "total"], threshold=5)
    assert primary_only.cells == {(0, "to_good")}  # today's rule alone: 21 - 19 - 0 - 0 = 2
    found = disclosure.withhold(frame, [*TO, "total"], threshold=5, relations=TRANSITION_RELATIONS)
    # the smallest non-zero figure in the row goes too: 19 (the total, 21, is larger); 2 + 19 leave room
    assert found.cells == {(0, "to_good"), (0, "to_outstanding")}
    assert found.frame.loc[1].tolist()[1:] == [11, 79, 7, 6, 103]


def test_two_small_counts_that_add_to_little_withhold_a_third():
    # "c" and "c" of a published 3: each is 1 or 2, so a larger complement is withheld as well
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [40], "total": [43]})
    found = disclosure.withhold(frame, ["a", "b", "c", "total"], threshold=5,
                                relations=[relations.across("total", ["a", "b", "c"])])
    assert found.cells == {(0, "a"), (0, "b"), (0, "c")}


def test_now_less_entered_and_left_is_not_left_standing():
    # the concerns leak: "20 schools against 18 at the last report; fewer than 5 entered and 0 left" gives 2
    categories = ["special_measures", "serious_weaknesses", "requires_significant_improvement", "notice_to_improve",
                  "ofsted", "at_risk"]
    frame = pd.DataFrame({"category": categories, "n_now": [12, 8, 0, 0, 20, 7], "n_previous": [10, 8, 0, 0, 18, 7],
                          "entered_since": [2, 0, 0, 0, 2, 0], "exited_since": [0, 0, 0, 0, 0, 0]})
    counts = ["n_now", "n_previous", "entered_since", "exited_since"]
    assert disclosure.withhold(frame, counts, threshold=5).cells == {(0, "entered_since"), (4, "entered_since")}
    found = disclosure.withhold(frame, counts, threshold=5, relations=category_relations())
    # now = before + entered - left, in both rows: the smaller of now and before goes with each entry
    assert {(0, "n_previous"), (4, "n_previous")} <= found.cells
    for row in (0, 4):
        assert {c for r, c in found.cells if r == row} >= {"entered_since", "n_previous"}
    assert audit.exposed(frame, found.cells, category_relations(), threshold=5, counts=counts) == []


def test_a_category_count_withheld_as_a_complement_is_withheld_in_the_facts():
    # the LA's at-risk list: 9 at the last report, 3 left, none entered: the 3 is small, and now (6) goes with it, in
    # the table and in tables/facts.csv (whose concerns_at_risk is the at-risk row's count now). Ofsted's categories,
    # the same figures, are Ofsted's published judgements (docs/disclosure.md, rule 3): shown whole
    from leep_analysis.sections.concerns.views import categories

    class Result:
        threshold, committee = 5, True
        since, as_at = dt.date(2025, 12, 31), dt.date(2026, 3, 31)
        counts = pd.DataFrame({"category": ["special_measures", "serious_weaknesses", "requires_significant_improvement",
                                            "notice_to_improve", "ofsted", "at_risk"],
                               "n_now": [6, 0, 0, 0, 6, 6], "n_previous": [9, 0, 0, 0, 9, 9],
                               "entered_since": [0] * 6, "exited_since": [3, 0, 0, 0, 3, 3]})

    table = categories(Result())
    assert table.suppressed == {(5, "exited_since"), (5, "n_now")}
    rows = facts.frame([facts.row("concerns_ofsted_category", 6, period="2026-03-31"),
                        facts.row("concerns_at_risk", 6, period="2026-03-31")])
    assert facts.withhold(rows, {"concerns": [table]}, threshold=5).suppressed == {
        (1, "value"), (1, "numerator"), (1, "denominator")}


def test_graded_less_three_grades_is_not_left_standing():
    # the headline leak: "41 outstanding, 117 good, 6 requires improvement and c inadequate of 165 graded" gives 1
    frame = pd.DataFrame({"as_at": ["2026-03-31"] * 2, "area_type": ["la"] * 2, "area": ["X"] * 2,
                          "group": ["all", "primary"], "n_graded": [165, 165], "n_outstanding": [41, 41],
                          "n_good": [117, 117], "n_requires_improvement": [6, 6], "n_inadequate": [1, 1],
                          "n_good_or_better": [158, 158], "pct_good_or_better": [95.8, 95.8]})
    counts = ["n_graded", "n_outstanding", "n_good", "n_requires_improvement", "n_inadequate", "n_good_or_better"]
    found = disclosure.withhold(frame, counts, threshold=5, relations=SUMMARY_RELATIONS,
                                avoid=("n_good_or_better", "n_graded"))
    assert (0, "n_inadequate") in found.cells and (0, "n_requires_improvement") in found.cells
    assert (0, "n_graded") not in found.cells  # the headline's base is kept: requires improvement goes instead
    assert audit.exposed(frame, found.cells, SUMMARY_RELATIONS, threshold=5, counts=counts) == []


def test_a_category_total_beside_its_parts_withholds_a_complement():
    # the workbook leak: an LA row with inadequate 9, in a category 9, special measures 6 and serious weaknesses
    # "c" (so 3)
    frame = pd.DataFrame({"as_at": ["2015-05-31"], "area_type": ["la"], "area": ["X"], "group": ["all"],
                          "n_inadequate": [9], "n_category_of_concern": [9], "n_special_measures": [6],
                          "n_serious_weaknesses": [3], "n_notice_to_improve": [0],
                          "n_requires_significant_improvement": [0]})
    counts = [c for c in frame if c.startswith("n_")]
    assert disclosure.withhold(frame, counts, threshold=5).cells == {(0, "n_serious_weaknesses")}
    found = disclosure.withhold(frame, counts, threshold=5, relations=SUMMARY_RELATIONS)
    assert found.cells == {(0, "n_serious_weaknesses"), (0, "n_special_measures")}  # 6 goes with the 3, not the 9
    assert audit.exposed(frame, found.cells, SUMMARY_RELATIONS, threshold=5, counts=counts) == []


def test_support_tiers_and_their_episodes_hold_against_the_year_total():
    # the support leak: "Collaborative c, Targeted 17, Intensive c" of 25 schools this year, with intensive's 10
    # episodes shown: 45 episodes this year less 31 and 10 gives collaborative's 4
    from leep_analysis.sections.support.views import _reach_withheld, reach_relations

    class Data:
        threshold, committee = 5, True

    class Result:
        data = Data()
        summary = pd.DataFrame({"group_by": ["reach", "reach", "tier", "tier", "tier"],
                                "group": ["period", "year", "collaborative", "targeted", "intensive"],
                                "n_schools": [16, 25, 2, 11, 3], "n_episodes": [25, 45, 2, 18, 5],
                                "pct_of_schools": [6.4, 10.0, 0.8, 4.4, 1.2]})
        summary_year = pd.DataFrame({"group_by": ["tier"] * 3, "group": ["collaborative", "targeted", "intensive"],
                                     "n_schools": [4, 17, 6], "n_episodes": [4, 31, 10],
                                     "pct_of_schools": [1.6, 6.8, 2.4]})

    period, year = _reach_withheld(Result())
    assert year.frame["group"].tolist() == ["year", "collaborative", "targeted", "intensive"]
    # collaborative's 4 schools and 4 episodes are small; intensive's 10 episodes go with them (the smallest shown)
    assert {(1, "n_schools"), (1, "n_episodes"), (3, "n_episodes")} <= year.cells
    assert (0, "n_schools") not in year.cells and (0, "n_episodes") not in year.cells  # the totals stay
    for found, total in ((period, "period"), (year, "year")):
        assert audit.exposed(found.frame.fillna(0), found.cells, reach_relations(total), threshold=5,
                             counts=["n_schools", "n_episodes"]) == []
    assert period.cells >= {(2, "n_schools"), (2, "n_episodes"), (4, "n_schools")}


# ------------------------------------------------------------------------------- the audit on made-up packs
def _pack(folder: Path, table: Table, *, pages: dict[str, str] | None = None, facts_rows: list | None = None) -> Path:
    """A published folder holding one table (CSV, data dictionary, relations), facts and pages."""
    (folder / "tables").mkdir(parents=True)
    write_table(table, folder / "tables" / f"s__{table.name}.csv")
    write_workbook([("s", table)], folder / "tables.xlsx", cover=COVER, created=dt.date(2026, 3, 31))
    write_csv(pd.DataFrame([relations.to_row(f"s__{table.name}", r) for r in table.relations],
                           columns=relations.COLUMNS), folder / "tables" / audit.RELATIONS_NAME)
    write_csv(facts.frame(facts_rows or []), folder / "tables" / "facts.csv")
    for name, text in (pages or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _tiers(suppressed: set[tuple[int, str]], *, share: bool = False) -> Table:
    # the support leak: "Collaborative c, Targeted 17, Intensive c" of 25 schools (a total row, or shares of it)
    frame = pd.DataFrame({"tier": ["collaborative", "targeted", "intensive", "all"],
                          "n_schools": [3, 17, 5, 25], "pct": [12.0, 68.0, 20.0, 100.0]})
    declared = (relations.down("tier", "all", ["n_schools"]),)
    if share:  # no total row: the shares of their sum give it
        frame, declared = frame.iloc[:3], (relations.share("pct", "n_schools"),)
    return Table(name="tiers", caption="Tiers", frame=frame, suppressed=frozenset(suppressed),
                 columns={"n_schools": count("Schools"), "pct": percent("%", 0)}, relations=declared)


def test_the_audit_pins_a_withheld_count_beside_its_total(tmp_path):
    # only the small count withheld, with its share: 25 - 17 - 5 = 3
    found = audit.audit(_pack(tmp_path / "p", _tiers({(0, "n_schools"), (0, "pct")})), threshold=5)
    assert not found.passed and found.cells == 1
    assert found.problems == ["s__tiers.csv row 1, column n_schools: withheld, but the published figures pin it "
                              "between 3 and 3 (fewer than 4 possible values)"]
    assert (found.narrowest.low, found.narrowest.high) == (3, 3)


def test_the_audit_passes_a_withheld_pair_with_room(tmp_path):
    # 3 and 5 withheld with their shares: together 8 of 25, each between 1 and 7
    hidden = {(0, "n_schools"), (0, "pct"), (2, "n_schools"), (2, "pct")}
    found = audit.audit(_pack(tmp_path / "p", _tiers(hidden)), threshold=5)
    assert found.passed, found.problems
    assert found.cells == 2 and (found.narrowest.low, found.narrowest.high) == (1, 7)
    assert found.to_json()["narrowest_interval"] == {"table": "s__tiers", "row": 1, "column": "n_schools",
                                                     "low": 1.0, "high": 7.0}


def test_the_audit_reads_a_share_of_its_group(tmp_path):
    # no total, but 68% is 17 of 25 (24.9 to 25.2 schools), so the withheld 3 and 5 hold about 8 together;
    # with 12% shown too, 3 is pinned (100 * n / (n + 22) between 11.5 and 12.5: n from 2.86 to 3.14)
    found = audit.audit(_pack(tmp_path / "p", _tiers({(0, "n_schools"), (2, "n_schools"), (2, "pct")}, share=True)),
                        threshold=5)
    assert not found.passed and found.problems[0].startswith("s__tiers.csv row 1, column n_schools: withheld, but "
                                                             "the published figures pin it between 2.8")
    both = {(0, "n_schools"), (0, "pct"), (2, "n_schools"), (2, "pct")}
    found = audit.audit(_pack(tmp_path / "q", _tiers(both, share=True)), threshold=5)
    assert found.passed and 6 < found.narrowest.width < 7


def test_the_audit_fails_a_chart_of_a_withheld_count(tmp_path):
    from leep_analysis.content import Figure

    hidden = {(0, "n_schools"), (0, "pct"), (2, "n_schools"), (2, "pct")}
    drawn = Figure(kind="bar", caption="Tiers", alt="Bar chart of schools by tier",
                   data=pd.DataFrame({"tier": ["collaborative", "targeted"], "n_schools": [3, 17]}))
    page = f"<html><figure{figure_attribute(drawn)}></figure></html>"
    found = audit.audit(_pack(tmp_path / "p", _tiers(hidden), pages={"support.html": page}), threshold=5)
    assert found.problems == ["support.html: a figure draws s__tiers.csv row 1, column n_schools, which the table "
                              "withholds"]
    blank = Figure(kind="bar", caption="Tiers", alt="Bar chart of schools by tier",
                   data=pd.DataFrame({"tier": ["collaborative", "targeted"], "n_schools": [None, 17]}))
    page = f"<html><figure{figure_attribute(blank)}></figure></html>"
    assert audit.audit(_pack(tmp_path / "q", _tiers(hidden), pages={"support.html": page}), threshold=5).passed


def test_the_audit_sets_a_chart_against_the_page_table_it_draws(tmp_path):
    # the report-card leak: the table shows "c" for 2 exceptional, its chart drew a bar of 2
    from leep_analysis.content import Figure
    from leep_analysis.render.html import figure_html, table_html

    frame = pd.DataFrame({"evaluation_area": ["inclusion", "achievement"], "exceptional": [None, 6.0],
                          "expected_standard": [17, 18]})
    table = Table(name="report_cards", caption="Cards", frame=frame, suppressed={(0, "exceptional")},
                  columns={"exceptional": count("Exceptional"), "expected_standard": count("Expected")})
    page = table_html(table, section="inspections", number=1, committee=True)
    drawn = pd.DataFrame({"evaluation_area": ["inclusion", "achievement"], "exceptional": [2, 6],
                          "expected_standard": [17, 18]})
    chart = figure_html(Figure(kind="bar", caption="Cards", alt="Bars", data=drawn), number=1)
    found = audit.audit(_pack(tmp_path / "p", _tiers({(0, "n_schools"), (2, "n_schools"), (0, "pct"), (2, "pct")}),
                              pages={"inspections.html": page + chart}), threshold=5)
    assert found.problems == ["inspections.html: a figure draws row 1, column exceptional of inspections.html "
                              "table-inspections-report_cards, which the table withholds"]
    blank = figure_html(Figure(kind="bar", caption="Cards", alt="Bars", data=drawn.assign(
        exceptional=[None, 6])), number=1)
    assert audit.audit(_pack(tmp_path / "q", _tiers({(0, "n_schools"), (2, "n_schools"), (0, "pct"), (2, "pct")}),
                             pages={"inspections.html": page + blank}), threshold=5).passed
    assert "data-withheld" not in table_html(table, section="inspections", number=1)  # internal pages: none


def test_the_audit_fails_a_fact_published_beside_its_withheld_cell(tmp_path):
    frame = pd.DataFrame({"as_at": ["2026-03-31"], "area_type": ["la"], "group": ["all"], "n_inadequate": [1.0]})
    from leep_analysis.content import of_measure

    table = Table(name="summary", caption="Summary", frame=frame, suppressed=frozenset({(0, "n_inadequate")}),
                  columns={"n_inadequate": of_measure(count("Inadequate"), "inspections_inadequate",
                                                      area_from="area_type", period_from="as_at")})
    row = facts.row("inspections_inadequate", 1, period="2026-03-31")
    found = audit.audit(_pack(tmp_path / "p", table, facts_rows=[row]), threshold=5)
    assert found.problems[0] == ("s__summary.csv row 1, column n_inadequate: withheld, but tables/facts.csv "
                                 "publishes it (inspections_inadequate, la, 2026-03-31)")
    assert "pin it between 1 and 1" in found.problems[1]


def test_the_audit_fails_a_page_giving_a_fact_the_facts_table_withholds(tmp_path):
    # 1 school of 5 supported schools below good was good at its next inspection, 20%: facts.csv withholds the share
    # (a rate of a small count), so a page that states it gives the count away
    rows = [facts.row("support_good_next", 20.0, period="2026-03-31", numerator=1, denominator=5)]
    withheld = facts.withhold(facts.frame(rows), {}, threshold=5)
    hidden = {(0, "n_schools"), (0, "pct"), (2, "n_schools"), (2, "pct")}
    folder = _pack(tmp_path / "p", _tiers(hidden), pages={
        "summary.html": "<p data-cites='[[\"support_good_next\", \"la\", \"2026-03-31\", 20.0, 1]]'>"
                        "20% of schools</p>"})
    write_table(withheld, folder / "tables" / "facts.csv")
    assert audit.audit(folder, threshold=5).problems == [
        "summary.html publishes support_good_next (la, 2026-03-31), which tables/facts.csv withholds"]


def test_the_audit_reads_the_previous_committee_packs_facts(tmp_path):
    # "since the last report": last term's public paper gave the figure this term's table withholds
    from leep_analysis.content import of_measure

    frame = pd.DataFrame({"as_at": ["2025-12-31"], "area_type": ["la"], "n_special_measures": [None]})
    table = Table(name="summary", caption="Summary", frame=frame, suppressed=frozenset({(0, "n_special_measures")}),
                  columns={"n_special_measures": of_measure(count("SM"), "inspections_special_measures",
                                                            area_from="area_type", period_from="as_at")})
    previous = _pack(tmp_path / "050-2025-26-autumn", table,
                     facts_rows=[facts.row("inspections_special_measures", 6, period="2025-12-31")])
    this = _pack(tmp_path / "050-2025-26-spring", table)
    for folder, audience, named in ((previous, "committee", None), (this, "committee", f"../{previous.name}")):
        (folder / "manifest.json").write_text(json.dumps({"params": {"audience": audience, "previous_pack": named}}))
    assert audit.audit(this, threshold=5).problems[0] == (
        "s__summary.csv row 1, column n_special_measures: withheld, but the previous pack's facts publishes it "
        "(inspections_special_measures, la, 2025-12-31)")
    # an internal pack is not a public paper: a reader of the committee pack has not seen it
    (previous / "manifest.json").write_text(json.dumps({"params": {"audience": "internal"}}))
    assert audit.audit(this, threshold=5).passed


def test_facts_of_a_committee_pack_withhold_small_counts_and_withheld_cells():
    rows = facts.frame([facts.row("support_new", 1, period="2026-03-31"),
                        facts.row("inspections_requires_improvement", 6, period="2026-03-31"),
                        facts.row("inspections_schools", 250, period="2026-03-31"),
                        facts.row("inspections_inadequate", 1, period="2026-03-31")])
    frame = pd.DataFrame({"as_at": ["2026-03-31"], "area_type": ["la"], "n_requires_improvement": [None]})
    from leep_analysis.content import of_measure

    table = Table(name="summary", caption="Summary", frame=frame, suppressed={(0, "n_requires_improvement")},
                  columns={"n_requires_improvement": of_measure(count("RI"), "inspections_requires_improvement",
                                                                area_from="area_type", period_from="as_at")})
    out = facts.withhold(rows, {"inspections": [table]}, threshold=5)
    # 1 school new to support is small; 6 is withheld in the table, so here too; 1 inadequate school is Ofsted's
    # public count (docs/disclosure.md, rule 3), withheld only where a table withholds it
    assert {r for r, c in out.suppressed} == {0, 1}


def test_label_in_two_tables_links_them(tmp_path):
    folder = tmp_path / "p"
    (folder / "tables").mkdir(parents=True)
    one = Table(name="a", caption="A", frame=pd.DataFrame({"school_name": ["School DX", "School B"]}))
    two = Table(name="b", caption="B", frame=pd.DataFrame({"school_name": ["School DX"], "alert": ["finance"]}))
    for table in (one, two):
        write_table(table, folder / "tables" / f"s__{table.name}.csv")
    write_workbook([("s", one), ("s", two)], folder / "tables.xlsx", cover=COVER, created=dt.date(2026, 3, 31))
    found = audit.audit(folder, threshold=5)
    assert found.problems == ["s__a, s__b: the same school labels (1 of them, e.g. 'School DX') appear in each, "
                              "linking what the tables say of each school"]


def test_relations_round_trip_through_their_csv_row():
    relation = relations.down("group", "all", ["n_schools"], ["primary", "secondary"], by=["as_at"])
    assert relations.from_row(relations.to_row("t", relation)) == ("t", relation)
    table = Table(name="t", caption="T", frame=pd.DataFrame({"a": [1]}), relations=(relation,))
    from leep_analysis.content import from_json

    assert from_json(json.loads(json.dumps(table.to_json()))).relations == (relation,)


# ------------------------------------------------------------------------------- whole committee packs
def _audited(pack: Path) -> dict:
    record = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))["disclosure_audit"]
    assert record["passed"] and record["problems"] == []
    again = audit.audit(pack, threshold=5)  # the published files alone give the same
    assert again.passed and again.cells == record["suppressed_cells_audited"]
    return record


def _made_to_leak(pack: Path, leaky: Path) -> None:
    """The pack copied and made to leak two ways, each failing the audit: a small transitions count withheld alone
    beside its row's total (as a pack that forgot its complements would publish it), and a chart drawing it. The
    real packs withhold no Ofsted count (public, docs/disclosure.md rule 3), so the leak is made on their real
    figures."""
    import shutil

    from leep_analysis.content import Figure

    shutil.copytree(pack, leaky)
    path = leaky / "tables" / "inspections__transitions.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    counts = ["to_outstanding", "to_good", "to_requires_improvement", "to_inadequate"]
    row, column = next((i, c) for i, r in table.iterrows() for c in counts
                       if r["total"].isdigit() and r[c].isdigit() and 0 < int(r[c]) < 5
                       and sum(r[k] not in ("0", "") for k in counts) >= 2)
    value = table.at[row, column]
    table.at[row, column] = "c"
    table.to_csv(path, index=False)
    found = audit.audit(leaky, threshold=5)
    assert f"inspections__transitions.csv row {row + 1}, column {column}: withheld, but the published figures " \
           f"pin it between {value} and {value}" in " ".join(found.problems)
    # and a chart of the count the table withholds
    keys = ["previous"] if not table["previous"].duplicated().any() else ["as_at", "previous"]
    drawn = table.loc[[row], keys].assign(**{column: [int(value)]}).reset_index(drop=True)
    figure = f"<figure{figure_attribute(Figure(kind='bar', caption='c', alt='Bars', data=drawn))}></figure>"
    page = (leaky / "inspections.html").read_text(encoding="utf-8")
    (leaky / "inspections.html").write_text(page.replace("</body>", figure + "</body>"), encoding="utf-8")
    assert f"inspections.html: a figure draws inspections__transitions.csv row {row + 1}, column {column}, which the " \
           "table withholds" in audit.audit(leaky, threshold=5).problems


def _real_committee(real: Path, folder: Path, la_code: str) -> Path:
    """The inspections committee pack of an LA as at 31 May 2015, on Ofsted's real monthly files."""
    from tests.conftest import real_committee_params

    return real_committee_params(real, folder / f"{la_code}.yaml", la_code)


@pytest.mark.pack
@pytest.mark.real_data
@pytest.mark.parametrize("la_code", ["857", "855"])
def test_the_audit_passes_a_real_committee_pack(real, tmp_path, la_code):
    from leep_analysis.runner import run_pack

    pack = run_pack(_real_committee(real, tmp_path, la_code), tmp_path / "out", jobs=2, progress=False).parent
    record = _audited(pack)
    _made_to_leak(pack, tmp_path / "leaky")
    # achievement and inspections only (no register of the LA's on real files): the LAIT's LA figures are of whole
    # LAs and Ofsted's counts are public (docs/disclosure.md, rule 3), so nothing is withheld; before rule 3 the
    # complements of Rutland's small counts withheld its headline ("c of Rutland's c graded schools", 286 cells)
    assert record["suppressed_cells_audited"] == 0
    table = pd.read_csv(pack / "tables" / "inspections__summary.csv", dtype=str)
    assert not (table == "c").any().any()
    if la_code == "857":
        la = table[(table["as_at"] == "2015-05-31") & (table["area_type"] == "la") & (table["group"] == "all")].iloc[0]
        page = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", (pack / "inspections.html").read_text(
            encoding="utf-8"))))
        assert f"{round(float(la['pct_good_or_better']))}% of Rutland's {la['n_graded']} graded schools are good or " \
               "outstanding as at 31 May 2015" in page


@pytest.mark.pack
def test_the_sample_committee_pack_passes_its_audit(spring_pack):
    """With no school-level table left in a committee pack, every withheld count of the sample's is protected and
    no label links two tables; a chart by fund (the budget's categories) is not a chart of a table by fund and
    payee, whose withheld "Other payees" row it does not draw."""
    record = _audited(spring_pack)
    assert record["passed"] and record["problems"] == []
    # the LA's registers' tables (support, spending, concerns): 615 cells before Ofsted's counts were public
    assert record["suppressed_cells_audited"] > 50 and record["equations"] > 15
    assert record["narrowest_interval"]["high"] - record["narrowest_interval"]["low"] >= 3


def test_a_chart_by_fund_draws_no_row_of_a_table_by_fund_and_payee():
    frame = pd.DataFrame({"fund": ["LEEP", "SCC"], "category": ["All", "All"], "spent": [300.0, 200.0],
                          "committed": [0.0, 10.0]})
    rows = pd.DataFrame({"fund": ["LEEP", "LEEP", "SCC"], "payee": ["Venue Ltd", "Other payees", "Other payees"]})
    keys = rows.map(audit._key)  # as the page's data-withheld gives its rows' keys
    assert audit._drawn_withheld("budget.html", frame, "by_payee", keys, {(1, "spent"), (2, "spent")}) == []
    # a chart whose rows are the table's rows (fund and payee) and draws a withheld cell is found
    drawn = rows.assign(spent=[51.0, 222.0, 10.0])
    assert audit._drawn_withheld("budget.html", drawn, "by_payee", keys, {(1, "spent")}) == [
        "budget.html: a figure draws row 2, column spent of by_payee, which the table withholds"]


@pytest.mark.pack
def test_a_committee_pack_withholds_the_las_rows_never_its_benchmarks(spring_pack):
    """England's, the region's and the neighbours' figures are Ofsted's public counts of many LAs' schools: the
    sample's committee pack had withheld all three ("c" for England's 2,210 schools), its small phase rows
    chaining complements up to each area's total. Only the LA's own rows are withheld now."""
    table = pd.read_csv(spring_pack / "tables" / "inspections__summary.csv", dtype=str)
    latest = table[(table["as_at"] == table["as_at"].max()) & (table["group"] == "all")].set_index("area_type")
    assert latest.loc[["england", "region", "statistical_neighbours"], "n_schools"].tolist() == ["2210", "490", "200"]
    assert latest.loc["england", "pct_good_or_better"] == "96.9"
    assert (table[table["area_type"] != "la"] == "c").sum().sum() == 0
