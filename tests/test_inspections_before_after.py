"""The before-and-after story (schools below good at the last report, followed to now), the eras table and the
current D2 layout through the section: tiny cases worked by hand, and the real April 2013 -> May 2015 pack."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from leep_analysis.disclosure import Anonymiser
from leep_analysis.params import DatedFile, InspectionSettings
from leep_analysis.runner import run_pack
from leep_analysis.schools import grade_label
from leep_analysis.sections.inspections import analysis, views, words
from leep_analysis.sources import ofsted_mi

from .conftest import write_params
from .test_inspections import build, mi
from .test_ofsted_mi import GRADED, KJ, SCHOOL, d2_csv


def link_rows(*rows: tuple[str, str, str, str, str | None]) -> pd.DataFrame:
    """GIAS links as given: (urn, link_urn, link_type, relation, link_date)."""
    frame = pd.DataFrame(rows, columns=["urn", "link_urn", "link_type", "relation", "link_date"])
    return frame.astype({c: "string" for c in ["urn", "link_urn", "link_type", "relation"]}).assign(
        link_date=pd.to_datetime(frame["link_date"]), link_name=pd.NA)


# 31 Dec 2014 (the last report's file) -> 31 May 2015, LA 001
THEN = mi(
    {"urn": "100", "overall": 3, "inspection_date": "2011-05-01"},  # satisfactory: before September 2012
    {"urn": "101", "overall": 3, "inspection_date": "2013-01-10"},
    {"urn": "102", "overall": 4, "inspection_date": "2014-03-01"},
    {"urn": "103", "overall": 3, "inspection_date": "2013-06-01"},
    {"urn": "104", "overall": 2, "inspection_date": "2012-06-01"},
    {"urn": "105", "overall": 4, "inspection_date": "2014-06-01"},
    {"urn": "106", "overall": 3, "inspection_date": "2013-02-01", "la_code": "002"},  # another LA
    {"urn": "107", "overall": 2, "inspection_date": "2012-02-01"},
    as_at="2014-12-31")
NOW = mi(
    {"urn": "100", "overall": 2, "inspection_date": "2015-02-01", "previous_overall": 3},  # re-inspected: good
    {"urn": "101", "overall": 3, "inspection_date": "2013-01-10"},  # not re-inspected
    {"urn": "302", "overall": 4, "inspection_date": "2014-03-01", "governance": "academy"},  # 102's successor
    {"urn": "104", "overall": 1, "inspection_date": "2015-03-01"},  # 103 'merged' into it, recorded on one side
    {"urn": "107", "overall": 2, "inspection_date": "2014-11-20", "previous_inspection_date": "2012-02-01",
     "previous_overall": 2},  # inspected after the December file's last inspection (1 June 2014)
    {"urn": "106", "overall": 2, "inspection_date": "2015-01-05", "la_code": "002"})
LINKS = link_rows(
    ("102", "302", "Successor", "successor", "2015-01-01"), ("302", "102", "Predecessor", "predecessor", "2015-01-01"),
    # a merger recorded on one side only, as a plain succession: 104 was open at the start, so never followed
    ("103", "104", "Successor", "successor", "2015-04-01"))


def test_previous_below_good_by_hand():
    result = build(pd.concat([THEN, NOW], ignore_index=True), since="2014-12-31", links=LINKS)
    table = result.previous_below_good
    assert table[["urn", "grade_before", "satisfactory", "followed_to", "how_followed", "why_not_found",
                  "reinspected", "grade_now"]].astype(object).where(table.notna(), None).values.tolist() == [
        ["102", 4, False, "302", "successor", None, False, 4],
        ["105", 4, False, None, "not found", "closed", False, None],
        ["100", 3, True, "100", "same URN", None, True, 2],
        ["101", 3, False, "101", "same URN", None, False, 3],
        ["103", 3, False, None, "not found", "other_link", False, None],
    ]
    c = result.previous_below_good_counts
    assert {k: c[k] for k in ["below_good", "inadequate", "requires_improvement", "satisfactory", "found",
                              "same_urn", "successor", "reinspected", "now_good", "still_below", "not_reinspected",
                              "not_reinspected_successor", "not_found", "not_found_closed",
                              "not_found_other_link"]} == {
        "below_good": 5, "inadequate": 2, "requires_improvement": 2, "satisfactory": 1, "found": 3, "same_urn": 2,
        "successor": 1, "reinspected": 1, "now_good": 1, "still_below": 0, "not_reinspected": 2,
        "not_reinspected_successor": 1, "not_found": 2, "not_found_closed": 1, "not_found_other_link": 1}
    # the school that was satisfactory is not one 'from requires improvement': of the 2 that were, none re-inspected
    assert (c["ri_below_good"], c["ri_reinspected"], c["ri_now_good"]) == (2, 0, 0)
    shown = views.previous_below_good_table(result)
    assert list(shown.columns) == views.PREVIOUS_BELOW_GOOD_COLUMNS
    assert shown["grade_before"].tolist() == ["Inadequate", "Inadequate", "Satisfactory", "Requires improvement",
                                              "Requires improvement"]
    assert shown["reinspected"].tolist() == ["no", "no", "yes", "no", "no"]
    lines = words.previous_below_good_sentences(result)
    assert lines[0] == ("In Ofsted's file as at 31 December 2014 (the one of the last report's date), 5 of One's schools "
                        "were below good: 2 inadequate, 2 requiring improvement and 1 satisfactory (grade 3 at an "
                        "inspection before September 2012, when it meant satisfactory, not requires improvement).")
    assert lines[1] == ("3 are followed to a school in Ofsted's file as at 31 May 2015 (2 by the same URN, 1 to the "
                        "academy or school that succeeded them); 1 of them has been inspected since: 1 is now good "
                        "or better and 0 are still below good; 2 have not been inspected since (1 of them converted "
                        "and not yet inspected in their new form, so Ofsted's file shows the old grade).")
    assert lines[2].startswith("2 are not found in the latest file: 1 closed, linked only by a merger")
    assert lines[3] == ("Of the 2 that required improvement, 0 have been inspected since and 0 of those are now good "
                        "or better; 0 are still below good and 2 have not been inspected since.")


def test_committee_mode_drops_urns_from_the_table():
    result = build(pd.concat([THEN, NOW], ignore_index=True), links=LINKS, committee=True)
    shown = views.previous_below_good_table(result)
    assert "urn" not in shown and "followed_to" not in shown and len(shown) == 5


def test_inspection_gaps_by_hand():
    result = build(pd.concat([THEN, NOW], ignore_index=True), links=LINKS)
    gaps = result.gaps
    # the May file's latest inspection is 1 March 2015: 91 days to 31 May; the December file's is 1 June 2014,
    # and one LA inspection (107, 20 November 2014) between then and 31 December is in the May file
    assert (gaps["latest_last_inspection"], gaps["gap_days"]) == (pd.Timestamp("2015-03-01"), 91)
    assert (gaps["previous_last_inspection"], gaps["taken_from_later"]) == (pd.Timestamp("2014-06-01"), 1)
    assert words.gap_sentence(result) == (
        "Ofsted's file as at 31 May 2015 holds inspections to 1 March 2015: any inspection in the 91 days from then to "
        "the report date (31 May 2015) is not in this pack (a gap, not a zero). The last report's file (as at 31 "
        "December 2014) held inspections to 1 June 2014; the 1 inspections of One's schools dated from then to 31 "
        "December 2014 are taken from the later files.")


def test_satisfactory_label_by_date():
    assert grade_label(3, pd.Timestamp("2012-08-31")) == "Satisfactory"
    assert grade_label(3, pd.Timestamp("2012-09-01")) == "Requires improvement"
    assert grade_label(3) == "Requires improvement" and grade_label(4, pd.Timestamp("2010-01-01")) == "Inadequate"


# --------------------------------------------------------------------------- the current layout, every era
ERAS = [
    {**SCHOOL, "URN": "100001", GRADED: "01/02/2019", "Latest OEIF overall effectiveness": "2"},  # legacy good
    {**SCHOOL, "URN": "100002", GRADED: "15/05/2023", "Latest OEIF overall effectiveness": "3"},  # legacy RI
    {**KJ, "URN": "100003"},  # key judgements 2, 1, 2, 2, safe: good by the rule
    {**KJ, "URN": "100004", "Latest OEIF quality of education": "3"},  # below good by the rule
    {**SCHOOL, "URN": "100005", "Inspection start date": "20/01/2026", "Safeguarding standards": "Met",  # report card
     "Inclusion": "Expected standard", "Achievement": "Strong standard", "Leadership and governance": "Needs attention",
     "Does the latest full inspection relate to the URN of the current school?": "Yes",
     GRADED: "05/05/2022", "Latest OEIF overall effectiveness": "3"},
    {**SCHOOL, "URN": "100006"},  # never inspected
    {**SCHOOL, "URN": "100007", GRADED: "01/03/2018", "Latest OEIF overall effectiveness": "2",  # a predecessor's
     "Does the latest OEIF graded inspection relate to the URN of the current school?": "No",
     "URN at time of latest OEIF graded inspection": "99007"},
]
NEIGHBOURS_855 = pd.DataFrame({"la_code": ["855"], "la_name": ["Leicestershire"], "region": ["East Midlands"],
                               "rank": [1], "neighbour_code": ["855"], "proximity": [None], "current": [True]})


@pytest.mark.parametrize("rule", ["carry_predecessor", "exclude"])
def test_current_layout_every_era_by_hand(tmp_path, rule):
    path = d2_csv(tmp_path / "mi.csv", ERAS, title="Management information - state-funded schools")
    frame = ofsted_mi.load_snapshots([DatedFile(path=path, as_at=dt.date(2026, 1, 31))])
    result = analysis.build(frame, NEIGHBOURS_855, la_code="855", as_at=dt.date(2026, 1, 31),
                            since=dt.date(2025, 12, 31), settings=InspectionSettings(not_inspected=rule),
                            anonymiser=Anonymiser(False, {}), threshold=5)
    eras = result.frameworks[result.frameworks["area_type"] == "la"].set_index(["framework", "outcome"])["n_schools"]
    carried = rule == "carry_predecessor"
    assert eras.to_dict() == {
        ("overall", "outstanding"): 0, ("overall", "good"): 2 if carried else 1,
        ("overall", "requires_improvement"): 1, ("overall", "inadequate"): 0, ("overall", "no_overall_grade"): 0,
        ("key_judgements", "no_overall_grade"): 2, ("report_card", "no_overall_grade"): 1,
        ("none", "not_inspected"): 1 if carried else 2}
    row = analysis.summary(result.outcomes, result.areas).query("area_type == 'la' and group == 'all'").iloc[0]
    # legacy graded: 100001 (2), 100002 (3) and, carried, 100007 (2); no overall grade under the framework:
    # 100003 and 100004 (key judgements; 100003 alone meets the rule, a separate figure) and 100005 (report card)
    assert row[["n_schools", "n_graded", "n_good_or_better", "n_no_overall_grade", "n_key_judgements",
                "n_key_judgements_good_by_rule", "n_report_card", "n_predecessor_grade", "n_not_inspected"]].tolist() \
        == ([7, 3, 2, 3, 2, 1, 1, 1, 2] if carried else [7, 2, 1, 3, 2, 1, 1, 0, 2])
    assert row["pct_good_or_better"] == (66.7 if carried else 50.0)  # 2 of 3; 1 of 2: key judgements in neither side
    assert ("schools last graded before September 2024 are good or outstanding (overall effectiveness; 3 schools "
            "whose latest inspection gives no overall grade are in neither side of it)"
            in words.headline_sentence(result))
    assert ("2 last inspected under the key judgements (September 2024 to November 2025) have no overall grade "
            "under that framework and are not in \"% good or better\"; separately, 1 of them meets the "
            "key-judgement rule below") in words.counting_sentence(result)
    sentence = words.frameworks_sentence(result)
    assert sentence.startswith(f"By the framework of their latest inspection, of Leicestershire's 7 schools as at 31 "
                               f"January 2026: {2 + carried} have a legacy overall effectiveness grade")
    assert "2 were last inspected under the key judgements" in sentence and "1 have a report card" in sentence


# --------------------------------------------------------------------------- the real April 2013 -> May 2015 pack
# Checked by hand, independently of the package: the two raw provider-level sheets read with pd.read_excel(...,
# dtype=str, engine="calamine"); L = April rows with "Local Authority (Education)" == "Leicestershire", below good
# = OE >= 3 (46: 5 grade 4, 41 grade 3 of which 25 inspected before 1 Sep 2012); 35 of the 46 URNs are in the May
# 2015 sheet, all with a later "Latest inspection date" (25 of them OE <= 2); the other 11 looked up in GIAS
# links_edubasealldata.csv: 7 have one Successor/Predecessor link to a URN in the May sheet and not in April's
# (120091->140725 and 119940->141469 still show the old inspection; 120092->140746 (3), 119988->139845 (2),
# 120236->141894 (3), 119941->141903 (2) and 119963->140316 (2) inspected again), 4 (120048, 120074, 120276,
# 120189) to an academy not in the May sheet. Required improvement (grade 3 from 1 Sep 2012): 16, 15 inspected
# since, 10 of those good or better.
@pytest.mark.pack
@pytest.mark.real_data
def test_pack_april_2013_to_may_2015_follows_every_school_below_good(real, tmp_path):
    folder = real / "ofsted_mi_monthly"
    snapshots = [{"path": str(next((folder / d).iterdir())), "as_at": d} for d in ("2013-04-30", "2015-05-31")]
    params = write_params(tmp_path / "period.yaml", period="2014-15-summer", la_code="855", as_at="2015-05-31",
                          previous_as_at="2013-04-30", sections=["inspections"], data={
                              "ofsted_mi": snapshots, "neighbours": str(real / "lait" / "sn_may_2025.xlsx"),
                              "establishments": str(real / "gias" / "2021-12-31" / "edubaseallacademiesandfree.csv"),
                              "establishment_links": str(real / "gias" / "2026-08-21" / "links_edubasealldata.csv")})
    pack = run_pack(params, tmp_path / "out", progress=False).parent
    table = pd.read_csv(pack / "tables" / "inspections__previous_below_good.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == views.PREVIOUS_BELOW_GOOD_COLUMNS
    assert len(table) == 46 and table["urn"].is_unique
    assert table["grade_before"].value_counts().to_dict() == {"Satisfactory": 25, "Requires improvement": 16,
                                                               "Inadequate": 5}
    assert table["how_followed"].value_counts().to_dict() == {"same URN": 35, "successor": 7, "not found": 4}
    assert set(table.loc[table["how_followed"] == "not found", "urn"]) == {"120048", "120074", "120276", "120189"}
    assert table.loc[table["urn"] == "119941", ["followed_to", "reinspected", "grade_now"]].values.tolist() == \
        [["141903", "yes", "Good"]]
    again = table[table["reinspected"] == "yes"]
    assert len(again) == 40 and again["grade_now"].isin(["Outstanding", "Good"]).sum() == 28
    page = (pack / "inspections.html").read_text(encoding="utf-8")
    assert ("Of the 16 that required improvement, 15 have been inspected since and 10 of those (67%) are now good "
            "or better; 5 are still below good and 1 has not been inspected since.") in page
    assert "46 of Leicestershire&#39;s schools were below good" in page or \
        "46 of Leicestershire's schools were below good" in page
    eras = pd.read_csv(pack / "tables" / "inspections__frameworks.csv")
    assert list(eras.columns) == analysis.FRAMEWORK_COLUMNS
    assert "Traceback" not in page
    # nothing after the pack's date: the legacy framework had no end date in May 2015
    assert "September 2024" not in page and "2025" not in page

