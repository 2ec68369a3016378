"""Schools causing concern: the concerns log and intelligence loaders, the analysis on tiny logs, the sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import concerns, events
from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sections.concerns import analysis as con
from leep_analysis.sources.concerns_log import load_concerns_log, visits
from leep_analysis.sources.school_intelligence import load_intelligence

HEADER = ("urn,school_name,category,reason,date_entered,date_exited,exit_reason,warning_notice,"
          "interim_executive_board,academy_order,statement_of_action,visit_1_date,visit_1_outcome,"
          "visit_2_date,visit_2_outcome\n")


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


LOG = (
    # in special measures since Jan 2025, academy order Feb, visits May (effective) and Oct (not effective)
    "100001,One Primary,SM,Judged inadequate,2025-01-10,,,,,2025-02-01,2025-01-20,2025-05-01,"
    "Taking effective action,10/10/2025,not taking effective action\n"
    # at risk from Sept 2024, warning notice Sept 2025, left (no longer at risk) Nov 2025
    "100002,Two Primary,at risk,Results falling,2024-09-15,2025-11-30,no longer at risk,2025-09-20,,,,"
    "2025-03-01,effective,,\n"
    # serious weaknesses from Dec 2025, after the period's date: not yet known
    "100003,Three Academy,serious weaknesses,Judged inadequate,2026-01-05,,,,,,,,,,\n"
)


def test_load_concerns_log(tmp_path):
    log = load_concerns_log(write(tmp_path, LOG))
    assert log["category"].tolist() == ["special_measures", "at_risk", "serious_weaknesses"]
    assert log["row"].tolist() == [2, 3, 4]
    assert log.at[0, "academy_order"] == pd.Timestamp("2025-02-01")
    assert log.at[0, "visits"] == ((pd.Timestamp("2025-05-01"), "effective"),
                                   (pd.Timestamp("2025-10-10"), "not_effective"))
    assert log.at[1, "exit_reason"] == "no_longer_at_risk" and log.at[1, "date_exited"] == pd.Timestamp("2025-11-30")
    assert visits(log)[["urn", "outcome"]].values.tolist() == [
        ["100001", "effective"], ["100001", "not_effective"], ["100002", "effective"]]


@pytest.mark.parametrize(("body", "expected"), [
    ("100001,A,Coasting,x,2025-01-10,,,,,,,,,,\n",
     "row 2, column 'category': unknown category 'Coasting'; expected special_measures, serious_weaknesses"),
    ("100001,A,SM,x,2025-01-10,2024-12-01,removed,,,,,,,,\n",
     "row 2, column 'date_exited': date exited 2024-12-01 is before the date entered 2025-01-10"),
    ("100001,A,SM,x,2025-01-10,,removed,,,,,,,,\n",
     "row 2, column 'exit_reason': an exit reason is given but the date exited is blank"),
    ("100001,A,SM,x,2025-01-10,,,,,,,,effective,,\n",
     "row 2, column 'visit_1_date': a visit outcome is given but not the visit's date"),
    ("100001,A,SM,x,2025-01-10,,,,,,,2024-12-01,effective,,\n",
     "row 2, column 'visit_1_date': visit on 2024-12-01 is before the date entered 2025-01-10"),
    ("100001,A,SM,x,10th Jan,,,,,,,,,,\n", "row 2, column 'date_entered': not a date: '10th Jan'"),
    ("10001,A,SM,x,2025-01-10,,,,,,,,,,\n", "row 2, column 'urn': not a URN (six digits): '10001'"),
    ("100001,A,SM,x,2025-01-10,,,,,,,,,,\n100001,A,at risk,y,2025-03-01,,,,,,,,,,\n",
     "row 3, column 'date_exited': URN 100001 is still in a category on row 2 when this episode starts"),
])
def test_concerns_log_errors(tmp_path, body, expected):
    with pytest.raises(InputError) as err:
        load_concerns_log(write(tmp_path, body))
    assert expected in str(err.value)


def test_concerns_log_missing_column(tmp_path):
    with pytest.raises(InputError) as err:
        load_concerns_log(write(tmp_path, "100001,A,2025-01-10\n", header="urn,school_name,date_in\n"))
    assert "column 'category': required column is missing" in str(err.value)


def test_known_at_hides_the_future(tmp_path):
    log = load_concerns_log(write(tmp_path, LOG))
    known = con.known_at(log, dt.date(2025, 8, 31))
    assert known["urn"].tolist() == ["100001", "100002"]
    assert pd.isna(known.set_index("urn").at["100002", "date_exited"])  # left in November, not known in August
    assert pd.isna(known.set_index("urn").at["100002", "warning_notice"])
    assert len(known.set_index("urn").at["100001", "visits"]) == 1


def test_counts_schools_powers_exits(tmp_path):
    log = load_concerns_log(write(tmp_path, LOG))
    as_at, since = dt.date(2025, 12, 31), dt.date(2025, 8, 31)
    counts = con.category_counts(log, as_at, since).set_index("category")
    assert counts.loc["special_measures"].tolist() == [1, 1, 0, 0]
    assert counts.loc["at_risk"].tolist() == [0, 1, 0, 1]
    # Ofsted's categories together; the LA's own at-risk list is never added to them
    assert counts.loc["ofsted"].tolist() == [1, 1, 0, 0]
    assert "all" not in counts.index
    found = events.build(la_code="855", as_at=as_at, log=log)
    schools = con.schools(log, found, as_at, since)
    assert schools["urn"].tolist() == ["100001"]
    row = schools.iloc[0]
    # 10 Jan to 31 Dec 2025 is 355 days: 11 whole months of 30.44 days
    assert (row["months_in_category"], row["visits_since"], row["latest_outcome"]) == (11, 1, "not_effective")
    assert pd.isna(row["inspected_since"])  # the January inspection was before the last report
    # a school in special measures is monitored by Ofsted: its judgement, said as Ofsted's
    assert row["progress"] == "not taking effective action (Ofsted monitoring): escalate"
    assert row["monitored_by"] == "ofsted" and bool(row["ofsted"])
    assert row["powers"] == "Statement of action 20 Jan 2025; Academy order 1 Feb 2025"
    powers = con.powers_used(log, as_at, since).set_index("power")
    assert powers.loc["warning_notice"].tolist() == [1, 1] and powers.loc["academy_order"].tolist() == [0, 0]
    exits = con.exits(log, as_at)
    assert exits[["urn", "months_in_category", "exit_reason"]].values.tolist() == [["100002", 14, "no_longer_at_risk"]]


def test_progress_words():
    assert con.progress_words(True, 0, None, None) == "no Ofsted monitoring visit since the last report"
    assert con.progress_words(True, 2, "effective", None) == "taking effective action (Ofsted monitoring)"
    # a school on the LA's own list is reviewed by the LA: never "not taking effective action", Ofsted's words
    assert con.progress_words(False, 1, "not_effective", None) == "insufficient progress (LA review): escalate"
    inspected = {"grade": 2, "basis": "overall", "inspection_date": pd.Timestamp("2025-10-01"), "change": "improved"}
    assert con.progress_words(True, 1, "not_effective", inspected) == "inspected: good, improved"
    kj = {"grade": 3, "basis": "key_judgement_rule", "inspection_date": pd.Timestamp("2025-03-01"), "change": "same"}
    assert con.progress_words(False, 0, None, kj) == "inspected: requires improvement (key-judgement rule), same grade"


def test_load_intelligence(tmp_path):
    header = "urn,school_name,date_recorded,change_of_head,complaints,finance,hr,governance,safeguarding,notes\n"
    path = write(tmp_path, "100001,One,2025-11-01,2025-09-01,3,yes,no,,No,\n100002,Two,01/11/2025,,,,,,,\n",
                 header=header, name="intel.csv")
    intel = load_intelligence(path)
    assert intel["complaints"].tolist() == [3, 0]
    assert intel["finance"].tolist() == [True, False] and not intel["safeguarding"].any()
    assert intel.at[1, "date_recorded"] == pd.Timestamp("2025-11-01")
    bad = write(tmp_path, "100001,One,2025-11-01,,two,maybe,,,,\n100001,One again,2025-11-02,,,,,,,\n",
                header=header, name="bad.csv")
    with pytest.raises(InputError) as err:
        load_intelligence(bad)
    text = "\n".join(str(p) for p in err.value.problems)
    assert "row 2, column 'complaints': not a whole number of 0 or more: 'two'" in text
    assert "row 2, column 'finance': expected yes or no: 'maybe'" in text
    assert "row 3, column 'urn': URN 100001 is already on row 2; give each school one row" in text


def test_sample_log_and_intelligence():
    log = load_concerns_log(SAMPLE_DIR / "concerns_log.csv")
    raw = pd.read_csv(SAMPLE_DIR / "concerns_log.csv", dtype=str)
    assert len(log) == len(raw) == 16
    assert log["urn"].tolist() == raw["urn"].tolist()
    # row 4 of the file: 901528, a maintained school in special measures from 20 July 2021 with an academy order
    # on 10 September 2021 (the sample world's schools leave a category within a few years, as real ones do)
    assert (log.at[2, "urn"], log.at[2, "category"], log.at[2, "academy_order"]) == (
        "901528", "special_measures", pd.Timestamp("2021-09-10"))
    # under report cards the category is requires significant improvement, never serious weaknesses
    assert set(log.loc[log["date_entered"] >= pd.Timestamp("2025-11-10"), "category"]) <= {
        "special_measures", "requires_significant_improvement", "at_risk"}
    open_now = con.open_on(log, dt.date(2025, 12, 31))
    assert len(open_now) == 6 and open_now["category"].value_counts().to_dict() == {
        "at_risk": 4, "special_measures": 1, "requires_significant_improvement": 1}
    intel = load_intelligence(SAMPLE_DIR / "school_intelligence.csv")
    assert len(intel) == 250 and intel["urn"].is_unique


def test_page_views_are_blocks():
    from leep_analysis.config import PROJECT_DIR
    from leep_analysis.inputs import Inputs
    from leep_analysis.params import load_params

    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    result = concerns.analyse(Inputs(params))
    page = concerns.views.concerns_page(result)
    assert [b.type for b in page] == ["points", "table", "table", "table", "table"]
    assert list(page[0].items) == concerns.words.messages(result)
    assert [b.name for b in page[1:]] == ["categories", "schools", "powers", "exits"]
    assert page[2].caption == "Schools causing concern on 31 Dec 2025 and their progress since 31 Aug 2025"
    assert page[2].columns["category"].label_of("special_measures") == "Special measures"  # a code and its label
    alerts = concerns.views.early_warning_page(result.alerts)
    assert [b.type for b in alerts] == ["points", "figure", "table"]
    assert alerts[1].kind == "box and strip"  # each school's result against the LA and England (statcharts)
    assert alerts[2].caption.startswith("Schools whose early-warning score suggests targeted or intensive")
