"""Schools receiving support: the register loader, reach, impact worked by hand, the sample, real Leicestershire files."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leep_analysis import identifying, schools, support, tables
from leep_analysis.config import SAMPLE_DIR
from leep_analysis.disclosure import Anonymiser
from leep_analysis.errors import InputError
from leep_analysis.inputs import SPECS, sample_files
from leep_analysis.params import DatedFile, SupportSettings
from leep_analysis.sources.support_register import load_register, register_warnings, unknown_urns

HEADER = ["urn", "school_name", "tier", "support_type", "provider", "start_date", "end_date", "funding_source",
          "cost", "reason", "status"]
SETTINGS = SupportSettings(min_group=5, bootstrap=500, seed=7)


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def episode(urn, start, end="", tier="targeted", kind="NLE", provider="Beech Primary School", funding="LEEP",
            cost="1000.00", status=""):
    return [urn, f"School {urn}", tier, kind, provider, start, end, funding, cost, "Requires improvement", status]


def register(tmp_path: Path, *rows: list[object]) -> pd.DataFrame:
    return load_register(write_csv(tmp_path / "register.csv", list(rows)))


def mi_row(as_at, urn, date, overall, *, prev_date=None, prev_overall=None, phase="primary", la="855",
           governance="maintained", framework="overall", **grades):
    row = {"as_at": pd.Timestamp(as_at), "urn": urn, "school_name": f"School {urn}", "la_code": la,
           "governance": governance, "phase": phase, "inspection_date": pd.Timestamp(date) if date else pd.NaT,
           "framework": framework, "overall": overall, "category": grades.pop("category", ""),
           "previous_inspection_date": pd.Timestamp(prev_date) if prev_date else pd.NaT,
           "previous_overall": prev_overall}
    row.update(grades)
    return row


def mi_frame(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for column in ("overall", "previous_overall", *schools.KEY_JUDGEMENTS, *schools.REPORT_CARD_AREAS):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame.astype({"urn": "string", "la_code": "string", "phase": "string", "governance": "string"})


def establishments(*rows: tuple) -> pd.DataFrame:
    """Rows of (urn, phase, open_date, close_date)."""
    return pd.DataFrame([{"urn": u, "la_code": "855", "school_name": f"School {u}", "governance": "maintained",
                          "phase": p, "status": "open" if c is None else "closed",
                          "open_date": pd.Timestamp(o) if o else pd.NaT, "close_date": pd.Timestamp(c) if c else pd.NaT}
                         for u, p, o, c in rows]).astype({"urn": "string", "la_code": "string"})


def links(*pairs: tuple[str, str]) -> pd.DataFrame:
    rows = []
    for old, new in pairs:
        rows += [(old, new, "Successor", "successor"), (new, old, "Predecessor", "predecessor")]
    return pd.DataFrame(rows, columns=["urn", "link_urn", "link_type", "relation"]).assign(link_date=pd.NaT)


# ---------------------------------------------------------------------------- the register loader
def test_loads_aliases_money_and_dates(tmp_path):
    rows = [
        ["123456", "Alder School", "Tier 2", "NLE", "Beech Primary School", "01/09/2024", "", "leep fund",
         "£1,250.5", "RI", "Ongoing"],
        ["123457", "Elm School", "INTENSIVE", "consultant head teacher", "Kestrel Ltd", "2024-10-01", "31/03/2025",
         "Schools Causing Concern", "800", "Inadequate", "complete"],
        ["123458", "Ash School", "collaborative", "TSA", "", "2024-11-04", "", "", "", "", ""],
    ]
    reg = load_register(write_csv(tmp_path / "r.csv", rows))
    assert reg["row"].tolist() == [2, 3, 4]
    assert reg["tier"].tolist() == ["targeted", "intensive", "collaborative"]
    assert reg["support_type"].tolist() == ["system_leader", "consultant_head", "teaching_school_alliance"]
    assert reg["funding_source"].tolist()[:2] == ["LEEP", "SCC"] and pd.isna(reg.at[2, "funding_source"])
    assert reg["cost"].tolist() == [Decimal("1250.50"), Decimal("800.00"), None]
    assert reg["status"].tolist()[:2] == ["active", "completed"]
    assert reg["start_date"].tolist() == [pd.Timestamp("2024-09-01"), pd.Timestamp("2024-10-01"),
                                          pd.Timestamp("2024-11-04")]
    assert reg["ongoing"].tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("index", "column", "value", "message"),
    [
        (2, "tier", "tier 4", "row 2, column 'tier': unknown tier 'tier 4'; expected collaborative, targeted or intensive"),
        (2, "tier", "", "row 2, column 'tier': tier is missing"),
        (0, "urn", "12345", "row 2, column 'urn': not a URN (six digits): '12345'"),
        (3, "support_type", "coaching", "row 2, column 'support_type': unknown support type 'coaching'"),
        (7, "funding_source", "lottery", "row 2, column 'funding_source': unknown funding source 'lottery'; "
                                         "expected LEEP, SCC, school, DfE or other"),
        (5, "start_date", "next term", "row 2, column 'start_date': not a date: 'next term'"),
        (6, "end_date", "2024-08-31", "row 2, column 'end_date': end date 2024-08-31 is before the start date "
                                      "2024-09-01"),
        (8, "cost", "12.345", "row 2, column 'cost': amount has more than two decimal places: '12.345'"),
        (8, "cost", "-50", "row 2, column 'cost': cost is negative: '-50'"),
        (10, "status", "paused", "row 2, column 'status': unknown status 'paused'"),
    ],
)
def test_register_errors_name_row_and_column(tmp_path, index, column, value, message):
    cells = episode("123456", "2024-09-01")
    cells[index] = value
    with pytest.raises(InputError) as err:
        register(tmp_path, cells)
    assert message in str(err.value)


def test_errors_use_the_files_own_headers_and_come_together(tmp_path):
    header = ["URN", "School name", "Support tier", "Type of support", "Provider", "Start date", "End date"]
    path = write_csv(tmp_path / "r.csv", [["123456", "A", "tier 9", "NLE", "X", "2024-09-01", ""],
                                          ["99", "B", "targeted", "NLE", "X", "2024-09-01", "2023-01-01"]], header)
    with pytest.raises(InputError) as err:
        load_register(path)
    said = [str(p) for p in err.value.problems]
    assert said == [
        f"{path}, row 3, column 'URN': not a URN (six digits): '99'",
        f"{path}, row 2, column 'Support tier': unknown tier 'tier 9'; expected collaborative, targeted or intensive",
        f"{path}, row 3, column 'End date': end date 2023-01-01 is before the start date 2024-09-01",
    ]


def test_duplicate_episode_names_both_rows(tmp_path):
    one = episode("123456", "2024-09-01")
    with pytest.raises(InputError) as err:
        register(tmp_path, one, episode("123457", "2024-09-01"), list(one))
    assert str(err.value).endswith("row 4, column 'start_date': repeats the episode on row 2 (same URN, support "
                                   "type, provider and start date); delete one, or correct its dates")


def test_missing_column_names_nearest(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["123456", "targeted", "NLE", "2024-09-01"]],
                     ["urn", "tier", "support_type", "start_date"])
    with pytest.raises(InputError) as err:
        load_register(path)
    assert str(err.value) == f"{path}, column 'end_date': required column is missing; nearest header found: 'start_date'"


def test_empty_register_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no support episodes in the file"):
        load_register(write_csv(tmp_path / "r.csv", []))


def test_workbook_register_matches_csv(tmp_path):
    from leep_analysis.sample._xlsx import write_rows

    rows = [episode("123456", "2024-09-01", cost="1250.50"), episode("123457", "2024-10-01", "2025-03-31")]
    cells = [list(r) for r in rows]
    cells[1][5] = dt.date(2024, 10, 1)  # a real date cell, as Excel saves it
    write_rows(tmp_path / "r.xlsx", {"Register": [HEADER, *cells]})
    from_csv = register(tmp_path, *rows)
    from_xlsx = load_register(tmp_path / "r.xlsx")
    pd.testing.assert_frame_equal(from_csv, from_xlsx)


def test_warnings_and_unknown_urns(tmp_path):
    reg = register(tmp_path, episode("123456", "2024-09-01", status="completed"),
                   episode("123457", "2024-09-01", "2025-07-31", status="completed"))
    assert [str(p) for p in register_warnings(reg, "r.csv")] == [
        "r.csv, row 2, column 'end_date': warning: status is completed but the end date is blank, so the episode "
        "is counted as ongoing"]
    assert [str(p) for p in unknown_urns(reg, {"123456"}, "r.csv")] == [
        "r.csv, row 3, column 'urn': URN 123457 is not in the establishments list"]


def test_cross_check_on_the_sample_finds_nothing():
    from leep_analysis.checks import support_register_consistent
    from leep_analysis.inputs import Inputs
    from leep_analysis.params import PeriodParams

    params = PeriodParams(period="2025-26-autumn", la_code="050", as_at=dt.date(2025, 12, 31), sections=["support"])
    assert support_register_consistent(Inputs(params)) == []


def test_sample_register():
    reg = load_register(SAMPLE_DIR / "support_register.csv")
    # pd.read_csv(sample, dtype=str): 236 rows, 52 URNs; costs (non-blank) sum to 1394580.77
    assert len(reg) == 236 and reg["urn"].nunique() == 52
    assert sum(c for c in reg["cost"] if c is not None) == Decimal("1394580.77")
    assert set(reg["tier"]) == {"collaborative", "targeted", "intensive"}
    assert set(reg["funding_source"]) == {"LEEP", "SCC", "school", "DfE", "other"}
    assert reg["status"].value_counts().to_dict() == {"completed": 210, "active": 14, "planned": 11, "withdrawn": 1}
    # SCC pays only for maintained schools (the world's academies get LEEP, trust or DfE money)
    from leep_analysis.sample import world

    schools = world.build().schools.set_index("urn")
    assert not schools.loc[reg.loc[reg["funding_source"] == "SCC", "urn"], "academy"].any()


# ---------------------------------------------------------------------------- lineage and grades
def test_lineage_joins_predecessors_and_successors():
    found = schools.lineages(links(("100001", "100002"), ("100002", "100005"), ("100003", "100004")), ["100009"])
    assert found == {"100009": "100009", "100001": "100001", "100002": "100001", "100005": "100001",
                     "100003": "100003", "100004": "100003"}
    assert schools.lineages(None, ["100002"]) == {"100002": "100002"}


def test_comparable_grade_across_frameworks():
    rows = mi_frame(
        mi_row("2025-12-31", "1", "2020-01-01", 3),
        mi_row("2025-12-31", "2", "2025-01-01", None, framework="key_judgements", quality_of_education=2,
               behaviour_and_attitudes=3, personal_development=1, leadership_and_management=2,
               safeguarding_effective="Yes"),
        mi_row("2025-12-31", "3", "2025-01-01", None, framework="key_judgements", quality_of_education=2,
               behaviour_and_attitudes=2, personal_development=2, leadership_and_management=2,
               safeguarding_effective="No"),
        mi_row("2025-12-31", "4", "2025-12-01", None, framework="report_card", inclusion=3, achievement=2),
        mi_row("2025-12-31", "5", "2025-12-01", None, framework="report_card", inclusion=4, achievement=2),
        mi_row("2025-12-31", "6", "2025-12-01", None, framework="report_card", inclusion=5),
        mi_row("2025-12-31", "7", "2025-12-01", None, framework="report_card", inclusion=3, category="SM"),
        mi_row("2025-12-31", "8", None, None),
    )
    # a report card has no grade on the four-point scale, and none of our making: "no grade to compare"
    assert schools.comparable_grade(rows).astype(object).where(lambda s: s.notna(), None).tolist() == \
        [3, 3, 4, None, None, None, None, None]
    # quality of education and leadership only: behaviour's 3 no longer counts
    assert schools.comparable_grade(rows, "quality_and_leadership").tolist()[1] == 2


def test_history_keeps_each_inspection_once_across_a_conversion():
    mi = mi_frame(
        mi_row("2021-08-31", "100001", "2021-03-01", 3, prev_date="2018-01-10", prev_overall=2),
        # the academy's row carries its predecessor's inspection until its own
        mi_row("2022-12-31", "100002", "2021-03-01", 3, prev_date="2018-01-10", prev_overall=2),
        mi_row("2023-08-31", "100002", "2023-05-10", 2, prev_date="2021-03-01", prev_overall=3),
    )
    history = schools.inspection_history(mi, schools.lineages(links(("100001", "100002"))))
    assert history[["lineage", "inspection_date", "grade"]].values.tolist() == [
        ["100001", pd.Timestamp("2018-01-10"), 2], ["100001", pd.Timestamp("2021-03-01"), 3],
        ["100001", pd.Timestamp("2023-05-10"), 2]]
    assert history["urn"].tolist() == ["100001", "100001", "100002"]


# ---------------------------------------------------------------------------- the estimator
def pairs_of(matrix) -> support.bootstrap.Matches:
    """A (supported x comparison) array, NaN where not matched, as the estimator's matched pairs."""
    matrix = np.asarray(matrix, dtype=float)
    rows, columns = np.nonzero(~np.isnan(matrix))
    return support.bootstrap.Matches(rows=rows, columns=columns, values=matrix[rows, columns])


def test_matched_difference_by_hand():
    # school 1 improved (1) against comparisons 0 and 1 (mean 0.5); school 2 did not (0) against 0:
    # (1 - 0.5 + 0 - 0) / 2 = 0.25. School 3 has no match and comparison 3 matches nobody: both left out.
    estimate = support.bootstrap.matched_difference(
        np.array([1.0, 0.0, 1.0]), pairs_of([[0, 1, np.nan], [np.nan, 0, np.nan], [np.nan] * 3]),
        resamples=200, seed=1)
    assert estimate.effect == pytest.approx(0.25)
    assert (estimate.n_supported, estimate.n_comparison) == (2, 2)
    assert estimate.ci_low <= estimate.effect <= estimate.ci_high


def test_matched_difference_reproduces_with_its_seed():
    rng = np.random.default_rng(3)
    y, c = rng.normal(size=20), pairs_of(rng.normal(size=(20, 30)))
    first = support.bootstrap.matched_difference(y, c, resamples=300, seed=11)
    assert first == support.bootstrap.matched_difference(y, c, resamples=300, seed=11)
    assert first != support.bootstrap.matched_difference(y, c, resamples=300, seed=12)


@pytest.mark.parametrize(
    ("low", "high", "n", "m", "said"),
    [(0.5, 3.0, 10, 10, "improved more than similar schools"), (-3.0, -0.1, 10, 10, "did less well than similar schools"),
     (-1.0, 2.0, 10, 10, "no clear difference"), (1.0, 2.0, 4, 10, "too few schools to judge"),
     (1.0, 2.0, 10, 4, "too few schools to judge"), (np.nan, np.nan, 0, 0, "too few schools to judge")],
)
def test_verdict_comes_from_the_interval(low, high, n, m, said):
    assert support.bootstrap.verdict(support.bootstrap.Estimate(1.0, low, high, n, m), 5) == said


# ---------------------------------------------------------------------------- reach
@pytest.fixture
def reach_data(tmp_path):
    reg = register(
        tmp_path,
        episode("100011", "2024-09-01", "2025-07-31"),  # ended before this period and this year
        episode("100012", "2025-01-10"),  # ongoing
        episode("100012", "2025-09-01", "2025-10-31", kind="governance support", provider="GDS", funding="school"),
        episode("100013", "2025-11-01", tier="intensive", kind="consultant head", provider="Kestrel Ltd", funding="SCC"),
        episode("100014", "2025-03-01", "2025-09-30", tier="collaborative", kind="TSA"),
        episode("100015", "2025-10-01", tier="collaborative", kind="TSA"),  # the same school as an academy
        episode("100016", "2026-02-01"),  # after as_at: not yet
    )
    schools = establishments(*[(f"1000{n}", "primary", None, None) for n in (11, 12, 16, 17, 18, 19, 20)],
                             ("100013", "secondary", None, None), ("100021", "secondary", None, None),
                             ("100014", "primary", None, "2025-09-30"), ("100015", "primary", "2025-10-01", None))
    return support.data.build(reg, la_code="855", as_at=dt.date(2025, 12, 31), since=dt.date(2025, 8, 31),
                         establishments=schools, links=links(("100014", "100015")), settings=SETTINGS)


def test_reach_by_hand(reach_data):
    table = support.reach.reach(reach_data).set_index(["group_by", "group"])
    # ten schools open on 31 December 2025 (100014 closed when it became 100015)
    expected = {
        ("reach", "period"): (3, 5, 30.0),  # 100012 (two episodes), 100013, 100014/100015 (two)
        ("reach", "year"): (3, 5, 30.0),
        ("reach", "started"): (3, 3, 30.0),  # governance 1 Sep, 100013 1 Nov, 100015 1 Oct
        ("reach", "ended"): (2, 2, 20.0),  # governance 31 Oct, 100014 30 Sep
        ("reach", "new"): (1, 1, 10.0),  # 100013: the others had support before 31 August
        ("tier", "collaborative"): (1, 2, 10.0),
        ("tier", "targeted"): (1, 2, 10.0),
        ("tier", "intensive"): (1, 1, 10.0),
        ("phase", "primary"): (2, 4, 25.0),  # of eight primaries
        ("phase", "secondary"): (1, 1, 50.0),  # of two secondaries
        ("support_type", "teaching_school_alliance"): (1, 2, 10.0),
        ("funding_source", "LEEP"): (2, 3, 20.0),
    }
    for key, (n_schools, episodes, pct) in expected.items():
        assert tuple(table.loc[key, ["n_schools", "n_episodes", "pct_of_schools"]]) == (n_schools, episodes, pct), key
    assert list(table.columns) == ["n_schools", "n_episodes", "pct_of_schools"]


def test_reach_committee_suppresses_and_withholds_school_providers(reach_data):
    # a provider is a school when the lists of schools hold its name (Get Information about Schools here)
    known = identifying.Identifiers.of(["Beech Primary School"])
    data = support.data.SupportData(**{**reach_data.__dict__, "anonymiser": Anonymiser(True, {}), "threshold": 5,
                                       "identifiers": known})
    result = support.analysis.analyse_data(data)
    view = support.views.summary(result)
    csv = tables.csv_frame(view)
    assert set(csv["n_schools"]) <= {"c", 0}
    providers = set(csv.loc[csv["group_by"] == "provider", "group"])
    # "GDS" is not recognisably an organisation (no registered form or body word: initials may be a person's)
    assert providers == {"Schools (not named)", "Other providers (not named)", "Kestrel Ltd"}
    assert "Beech Primary School" not in view.frame.to_string()
    listed = support.analysis.school_list(result)
    assert "urn" not in listed and set(listed["school_name"]) == {"A school (not named)"}
    assert support.views.schools(result) is None  # no school-level table in a committee pack


# ---------------------------------------------------------------------------- inspection impact
@pytest.fixture
def converter(tmp_path):
    """A maintained school graded requires improvement, supported, then good as an academy under a new URN."""
    reg = register(tmp_path, episode("100001", "2021-09-01", "2022-07-31"), episode("100003", "2021-09-01"))
    mi = mi_frame(
        mi_row("2021-08-31", "100001", "2021-03-01", 3),
        mi_row("2021-08-31", "100003", "2019-05-01", 2),
        mi_row("2023-08-31", "100002", "2023-05-10", 2, prev_date="2021-03-01", prev_overall=3,
               governance="academy"),
        mi_row("2023-08-31", "100003", "2022-11-01", 2, prev_date="2019-05-01", prev_overall=2),
    )
    return reg, mi


def test_outcome_followed_through_a_conversion(converter):
    reg, mi = converter
    data = support.data.build(reg, la_code="855", as_at=dt.date(2023, 12, 31), since=dt.date(2023, 8, 31), mi=mi,
                         links=links(("100001", "100002")), settings=SETTINGS)
    out = support.analysis.inspection_outcomes(data).set_index("urn")
    assert out.loc["100001", ["grade_before", "grade_after", "urn_after", "outcome", "followed"]].tolist() == [
        3, 2, "100002", "improved", "new_urn"]
    # 1 September 2021 to 10 May 2023 is 616 days
    assert out.at["100001", "months_to_good"] == pytest.approx(616 / (365.25 / 12))
    assert out.loc["100003", ["outcome", "followed"]].tolist() == ["same", "same_urn"]
    assert pd.isna(out.at["100003", "months_to_good"])  # it started good
    assert support.analysis.following(support.analysis.analyse_data(data)).values.tolist() == [
        ["same_urn", 1], ["new_urn", 1], ["not_followed", 0]]


def test_without_links_the_converter_is_lost(converter):
    reg, mi = converter
    data = support.data.build(reg, la_code="855", as_at=dt.date(2023, 12, 31), since=dt.date(2023, 8, 31), mi=mi,
                         settings=SETTINGS)
    out = support.analysis.inspection_outcomes(data).set_index("urn")
    assert out.loc["100001", ["grade_before", "outcome", "followed"]].tolist() == [3, "not_followed", "not_followed"]
    assert "could not be followed" in " ".join(support.words.notes(support.analysis.analyse_data(data)))


def test_comparison_needs_same_phase_same_grade_on_the_day_and_a_later_inspection(tmp_path):
    reg = register(tmp_path, episode("200001", "2022-01-10"))
    mi = mi_frame(
        mi_row("2021-12-31", "200001", "2021-06-01", 3),
        mi_row("2021-12-31", "200002", "2021-02-01", 3),  # matches: primary, RI on 10 January 2022
        mi_row("2021-12-31", "200003", "2021-02-01", 3, phase="secondary"),  # wrong phase
        mi_row("2021-12-31", "200004", "2019-02-01", 2),  # good on the day
        mi_row("2021-12-31", "200005", "2021-02-01", 3),  # never inspected again
        mi_row("2021-12-31", "200006", "2021-02-01", 3, la="856"),  # another LA
        mi_row("2023-12-31", "200001", "2023-03-01", 2, prev_date="2021-06-01", prev_overall=3),
        mi_row("2023-12-31", "200002", "2023-06-01", 3, prev_date="2021-02-01", prev_overall=3),
        mi_row("2023-12-31", "200003", "2023-06-01", 2, prev_date="2021-02-01", prev_overall=3, phase="secondary"),
        mi_row("2023-12-31", "200004", "2023-06-01", 2, prev_date="2019-02-01", prev_overall=2),
        mi_row("2023-12-31", "200005", "2021-02-01", 3),
        mi_row("2023-12-31", "200006", "2023-06-01", 2, prev_date="2021-02-01", prev_overall=3, la="856"),
    )
    data = support.data.build(reg, la_code="855", as_at=dt.date(2023, 12, 31), since=dt.date(2023, 8, 31), mi=mi,
                         settings=SETTINGS)
    result = support.analysis.analyse_data(data)
    assert result.pairs[["lineage", "comparison", "grade_before", "grade_after"]].values.tolist() == [
        ["200001", "200002", 3, 3]]
    summary = support.analysis.inspection_summary(result).set_index("group")
    assert summary.loc["supported", ["n_schools", "pct_improved", "pct_good"]].tolist() == [1, 100.0, 100.0]
    assert summary.loc["comparison", ["n_schools", "pct_improved", "pct_same", "pct_good"]].tolist() == [
        1, 0.0, 100.0, 0.0]
    impact = result.impact.set_index(["measure", "group"])
    assert impact.loc[("inspection_improved", "all"), "verdict"] == "too few schools to judge"
    assert pd.isna(impact.loc[("inspection_improved", "all"), "effect"])
    assert impact.loc[("inspection_improved", "all"), ["n_supported", "n_comparison"]].tolist() == [1, 1]


def test_comparison_keeps_the_nearest_in_the_inspection_cycle(tmp_path):
    # the supported school was last inspected on 1 June 2021; with two comparisons allowed, the two of the
    # three schools inspected 30 days away (2 May and 1 July) with the lower ids are kept, the one inspected
    # in January 2020 is not
    reg = register(tmp_path, episode("200001", "2022-01-10"))
    before = {"200001": "2021-06-01", "200002": "2021-05-02", "200003": "2021-07-01", "200004": "2020-01-01",
              "200005": "2021-07-01"}
    mi = mi_frame(*[mi_row("2021-12-31", urn, date, 3) for urn, date in before.items()],
                  *[mi_row("2023-12-31", urn, "2023-03-01", 2, prev_date=date, prev_overall=3)
                    for urn, date in before.items()])
    data = support.data.build(reg, la_code="855", as_at=dt.date(2023, 12, 31), since=dt.date(2023, 8, 31), mi=mi,
                         settings=SupportSettings(min_group=5, bootstrap=500, seed=7, comparisons=2))
    pairs = support.matching.comparison_pairs(data, support.analysis.inspection_outcomes(data))
    assert pairs["comparison"].tolist() == ["200002", "200003"]
    # 10 January 2022 to 1 March 2023 is 415 days
    assert pairs["months_to_good"].tolist() == [pytest.approx(415 / (365.25 / 12))] * 2
    everyone = dataclasses.replace(data, settings=SETTINGS)
    assert support.matching.comparison_pairs(everyone, support.analysis.inspection_outcomes(everyone))["comparison"].tolist() == [
        "200002", "200003", "200005", "200004"]  # nearest first


def test_bootstrap_drawn_in_chunks_is_the_same_bootstrap(monkeypatch):
    rng = np.random.default_rng(4)
    y, c = rng.normal(size=15), pairs_of(np.where(rng.random((15, 40)) < 0.3, rng.normal(size=(15, 40)), np.nan))
    chunked = support.bootstrap.matched_difference(y, c, resamples=600, seed=2)
    monkeypatch.setattr(support.bootstrap, "_CHUNK", 10_000)
    whole = support.bootstrap.matched_difference(y, c, resamples=600, seed=2)
    assert (chunked.ci_low, chunked.ci_high) == (pytest.approx(whole.ci_low, abs=1e-12),
                                                 pytest.approx(whole.ci_high, abs=1e-12))


# ---------------------------------------------------------------------------- attainment impact
def performance(values: dict[str, dict[int, float]]) -> pd.DataFrame:
    """KS2 results in the performance loader's shape: URN -> {year: % expected standard}."""
    rows = [{"urn": urn, "la_code": "855", "school_name": None, "year": year, "key_stage": "ks2",
             "measure": "PTRWM_EXP", "value": value, "missing_reason": pd.NA, "cohort": 30, "source": "t.csv"}
            for urn, years in values.items() for year, value in years.items()]
    return pd.DataFrame(rows).astype({"urn": "string", "la_code": "string", "school_name": "string",
                                      "key_stage": "string", "measure": "string", "missing_reason": "string",
                                      "cohort": "Int64", "source": "string"})


def test_difference_in_differences_by_hand(tmp_path):
    reg = register(tmp_path, episode("300001", "2023-09-15"))
    perf = performance({
        "300001": {2022: 48, 2023: 50, 2024: 53, 2025: 58},  # +8 from 2023 to 2025
        "300002": {2023: 52, 2025: 54},  # +2, started within 10 points
        "300003": {2023: 45, 2025: 49},  # +4
        "300004": {2023: 70, 2025: 70},  # started 20 points away: not similar
        "300005": {2023: 50},  # no 2025 result
    })
    schools = establishments(*[(f"30000{n}", "primary", None, None) for n in range(1, 6)])
    data = support.data.build(reg, la_code="855", as_at=dt.date(2025, 12, 31), since=dt.date(2025, 8, 31),
                         establishments=schools, performance=perf, settings=SupportSettings(min_group=2, seed=1))
    result = support.analysis.analyse_data(data)
    assert result.changes[["measure", "year_before", "year_after", "change"]].values.tolist() == [
        ["ks2_PTRWM_EXP", 2023, 2025, 8.0]]
    assert sorted(result.change_pairs["comparison"]) == ["300002", "300003"]
    row = result.impact.set_index(["measure", "group"]).loc[("ks2_PTRWM_EXP", "all")]
    # one supported school: 8 - mean(2, 4) = 5, but one school is too few to judge
    assert row["verdict"] == "too few schools to judge" and pd.isna(row["effect"])
    estimate = support.bootstrap.matched_difference(np.array([8.0]), pairs_of([[2.0, 4.0]]), resamples=100, seed=1)
    assert estimate.effect == 5.0
    # the chart's lines: each school's change since its 2023 baseline (comparisons have no 2022 or 2024 results)
    lines = support.analysis.trajectories(result, "ks2_PTRWM_EXP")
    assert lines[["group", "offset", "mean", "n_schools"]].values.tolist() == [
        ["supported", -1, -2.0, 1], ["supported", 0, 0.0, 1], ["supported", 1, 3.0, 1], ["supported", 2, 8.0, 1],
        ["comparison", 0, 0.0, 1], ["comparison", 2, 3.0, 1]]


def test_attainment_keeps_the_nearest_starting_results(tmp_path):
    # started on 50: 300005 (also 50) is nearest, then 300002 (51) and 300003 (49) tie, and the lower id is kept
    reg = register(tmp_path, episode("300001", "2023-09-15"))
    starts = {"300001": 50, "300002": 51, "300003": 49, "300004": 58, "300005": 50}
    perf = performance({urn: {2023: value, 2025: value + 2} for urn, value in starts.items()})
    schools = establishments(*[(urn, "primary", None, None) for urn in starts])
    data = support.data.build(reg, la_code="855", as_at=dt.date(2025, 12, 31), since=dt.date(2025, 8, 31),
                         establishments=schools, performance=perf,
                         settings=SupportSettings(min_group=2, seed=1, comparisons=2))
    _, pairs = support.matching.attainment_changes(data, support.analysis.inspection_outcomes(data))
    assert pairs[["comparison", "before"]].values.tolist() == [["300005", 50.0], ["300002", 51.0]]


def planted(gain: float, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """30 supported and 60 unsupported primaries with similar 2023 results; supported ones gain ``gain`` by 2025."""
    rng = np.random.default_rng(seed)
    values, rows, schools = {}, [], []
    for i in range(90):
        urn = f"{400000 + i}"
        start = float(rng.uniform(40, 60))
        supported = i < 30
        values[urn] = {2023: start, 2025: start + rng.normal(0, 3) + (gain if supported else 0.0)}
        schools.append((urn, "primary", None, None))
        if supported:
            rows.append(episode(urn, "2023-10-02", "2024-07-19"))
    return rows, performance(values), establishments(*schools)


@pytest.mark.parametrize(("gain", "said"), [(10.0, "improved more than similar schools"), (0.0, "no clear difference")])
def test_planted_effect_is_found_and_a_null_is_not_claimed(tmp_path, gain, said):
    rows, perf, schools = planted(gain)
    data = support.data.build(register(tmp_path, *rows), la_code="855", as_at=dt.date(2025, 12, 31),
                         since=dt.date(2025, 8, 31), establishments=schools, performance=perf,
                         settings=SupportSettings(min_group=5, bootstrap=1000, seed=3))
    row = support.analysis.analyse_data(data).impact.set_index(["measure", "group"]).loc[("ks2_PTRWM_EXP", "all")]
    assert row["verdict"] == said
    assert row["n_supported"] == 30 and row["n_comparison"] == 60
    assert row["ci_low"] <= gain <= row["ci_high"]
    assert row["effect"] == pytest.approx(gain, abs=2.5)


# ---------------------------------------------------------------------------- the sample
@pytest.fixture(scope="module")
def sample_result():
    reg = load_register(SAMPLE_DIR / "support_register.csv")
    perf = importlib.import_module("leep_analysis.sources.performance").load_performance(
        sample_files(SPECS["school_performance"], dt.date(2025, 12, 31)))
    data = support.data.build(reg, la_code="050", as_at=dt.date(2025, 12, 31), since=dt.date(2025, 8, 31),
                         performance=perf)
    return support.analysis.analyse_data(data)


def test_sample_reach_by_hand(sample_result):
    table = sample_result.summary.set_index(["group_by", "group"])
    # pd.read_csv(register, dtype=str): start <= 2025-12-31 and (end blank or > 2025-08-31): 45 rows, 25 URNs
    # (no URN changed in that window); started after 2025-08-31 and by 2025-12-31: 38 rows
    assert tuple(table.loc[("reach", "period"), ["n_schools", "n_episodes"]]) == (25, 45)
    assert table.loc[("reach", "started"), "n_episodes"] == 38
    assert table["pct_of_schools"].isna().all()  # no list of schools without establishments or MI


def test_sample_results_show_a_positive_but_uncertain_gain(sample_result):
    # the synthetic world gives supported schools a real but modest gain: positive, interval across zero
    row = sample_result.impact.set_index(["measure", "group"]).loc[("ks2_PTRWM_EXP", "all")]
    assert row["effect"] > 0 and row["ci_low"] < 0 < row["ci_high"]
    assert row["verdict"] == "no clear difference"
    assert row["n_supported"] >= 30


def test_views_and_words_on_the_sample(sample_result):
    impact = support.views.impact(sample_result)
    assert list(impact.written.columns) == ["measure", "group", "n_supported", "n_comparison", "effect", "ci_low",
                                            "ci_high", "verdict"]
    summary = support.views.summary(sample_result)
    assert list(summary.written.columns) == ["group_by", "group", "n_schools", "n_episodes", "pct_of_schools"]
    # the groups are codes in the CSV and labels on the page, by what each row groups by
    rows = summary.frame.to_dict("records")
    tier = next(r for r in rows if r["group_by"] == "tier")
    assert tables.cell_text(tier["group"], summary.columns["group"], tier) == tier["group"].capitalize()
    words = " ".join(support.words.messages(sample_result) + support.words.notes(sample_result))
    assert "No Ofsted management information was available" in words
    assert "each supported school is compared with the 10 most like it" in words
    assert "improved more than" not in words  # nothing the intervals do not support
    assert len(support.words.caveats()) == 6 and support.words.caveats()[0].startswith("Regression to the mean")
    listed = support.analysis.school_list(sample_result)
    # 51 schools, but without GIAS links the one supported both before and after its conversion appears twice
    assert len(listed) == 52 and listed["school_name"].notna().all()


# ---------------------------------------------------------------------------- real Leicestershire files
def _sheet(path: Path) -> pd.DataFrame:
    """The provider sheet of an Ofsted MI workbook (or a zip holding one), every cell as text."""
    from leep_analysis.sources._read import read_sheet_rows

    rows = read_sheet_rows(path, ["Provider level data", "Provider Level Data"])
    return pd.DataFrame(rows[1:], columns=[str(c).strip() for c in rows[0]])


def _contract_mi(path: Path, as_at: str) -> pd.DataFrame:
    """Ofsted MI rows in the loader's contract, built from a real snapshot (until ``ofsted_mi`` is registered)."""
    raw = _sheet(path)
    pick = {k.lower(): k for k in raw.columns}

    def col(*names: str) -> pd.Series:
        return raw[next(pick[n.lower()] for n in names if n.lower() in pick)]

    def grade(*names: str) -> pd.Series:
        return pd.to_numeric(col(*names).astype(str).str.strip(), errors="coerce").astype("Int64")

    def when(*names: str) -> pd.Series:
        return pd.to_datetime(col(*names), errors="coerce")

    kind = col("Type of Education", "Type of school").astype(str)
    return pd.DataFrame({
        "as_at": pd.Timestamp(as_at), "urn": col("urn").astype(str).str.strip().str.removesuffix(".0"),
        "school_name": col("schoolname", "School name").astype(str), "la_code": col("laestab").astype(str).str[:3],
        "governance": np.where(kind.str.contains("Academ|Free School"), "academy", "maintained"),
        "phase": col("Ofsted Phase").astype(str).str.lower(),
        "inspection_date": when("Latest inspection date"), "framework": "overall",
        "overall": grade("Overall effectiveness: how good is the school"), "category": "",
        "previous_inspection_date": when("Previous inspection date"),
        "previous_overall": grade("Previous Overall effectiveness"),
    }).astype({"urn": "string", "la_code": "string"})


@pytest.fixture(scope="module")
def real_mi(real):
    folder = real / "ofsted_mi_monthly"
    files = {d: next((folder / d).iterdir()) for d in ("2013-04-30", "2015-05-31")}
    if "ofsted_mi" in SPECS:
        module, name = SPECS["ofsted_mi"].loader.split(":")
        loader = getattr(importlib.import_module(f"leep_analysis.sources.{module}"), name)
        return loader([DatedFile(path=p, as_at=dt.date.fromisoformat(d)) for d, p in files.items()])
    return pd.concat([_contract_mi(p, d) for d, p in files.items()], ignore_index=True)


@pytest.fixture(scope="module")
def real_links(real):
    path = real / "gias" / "2026-08-21" / "links_edubasealldata.csv"
    if "establishment_links" in SPECS:
        module, name = SPECS["establishment_links"].loader.split(":")
        return getattr(importlib.import_module(f"leep_analysis.sources.{module}"), name)(path)
    raw = pd.read_csv(path, dtype=str, encoding="latin-1")
    return pd.DataFrame({"urn": raw["URN"], "link_urn": raw["LinkURN"], "relation": raw["LinkType"].str.lower(),
                         "link_date": pd.to_datetime(raw["LinkEstablishedDate"], format="%d-%m-%Y")})


@pytest.mark.real_data
def test_real_schools_causing_concern_in_2013_followed_to_2015(real_mi, real_links, tmp_path):
    april = real_mi[real_mi["as_at"] == pd.Timestamp("2013-04-30")]
    concern = april[(april["la_code"] == "855") & april["overall"].isin([3, 4])]
    rows = [episode(u, "2013-04-30", tier="intensive" if g == 4 else "targeted", kind="EQA monitoring",
                    provider="Education Quality team", funding="SCC")
            for u, g in zip(concern["urn"], concern["overall"], strict=True)]
    reg = register(tmp_path, *rows)
    data = support.data.build(reg, la_code="855", as_at=dt.date(2015, 5, 31), since=dt.date(2015, 3, 31), mi=real_mi,
                         links=real_links, settings=SETTINGS)
    result = support.analysis.analyse_data(data)
    out = result.outcomes
    # Hand-checked with pandas on the raw files (read_excel of the "Provider level data" sheets, dtype=str):
    #   ri = apr[(apr["Local Authority (Education)"] == "Leicestershire")
    #            & apr["Overall effectiveness: how good is the school"].isin(["3", "4"])]   -> 46 schools (41 RI, 5 inadequate)
    #   ri.urn.isin(may.URN).sum()                                                        -> 35 found by URN in May 2015
    #   links = read_csv(links_edubasealldata.csv, dtype=str, encoding="latin-1")
    #   lost = ri.urn[~ri.urn.isin(may.URN)]; links[links.URN.isin(lost) & links.LinkURN.isin(may.URN)] -> 7 recovered
    #   (all 'Successor' links); 4 still lost: three academies not yet in the May 2015 file, and William Bradford
    #   Community College, whose 'Other' link leads to an academy also not in it (that academy's own 2016 link to
    #   Heath Lane Academy is made after as_at, so it is not followed)
    assert len(reg) == 46 and reg["tier"].value_counts().to_dict() == {"targeted": 41, "intensive": 5}
    assert support.analysis.following(result).values.tolist() == [["same_urn", 35], ["new_urn", 7], ["not_followed", 4]]
    # Of the 42 followed, the May 2015 row's latest inspection is after 30 April 2013 for 38 (33 by URN, 5 through
    # links): 27 graded good or outstanding, 10 requires improvement, 1 inadequate (URN 119931, RI -> inadequate).
    # The other 4 had no inspection since: two converters still carry their predecessor's 2012 grade, and
    # 120134 and 138894 were inspected on 24 and 25 April 2013 (after the April file was compiled, so those
    # inspections come before support and are the grade before it: 120134 good, 138894 RI).
    assert out["outcome"].value_counts().to_dict() == {"improved": 27, "same": 10, "declined": 1,
                                                       "not_inspected": 4, "not_followed": 4}
    assert out.set_index("urn").loc[["120134", "138894"], "grade_before"].tolist() == [2, 3]
    assert out.set_index("urn").at["119931", "outcome"] == "declined"
    judged = out[out["outcome"].isin(["improved", "same", "declined"])]
    assert judged["grade_after"].le(2).sum() == 27 and len(judged) == 38
    # The next-inspection summary counts only the supported schools with similar schools to compare (the impact
    # table's population, issue 27): 6 of the 38 had an unsupported school of the same phase and grade on the day
    # inspected after it (120254 for five, 120267 for 120234); 3 of the 6 became good (120234 via 137799,
    # 120304 via 138298, 120235 via 138821), the other 3 stayed requires improvement.
    summary = support.analysis.inspection_summary(result).set_index("group")
    assert summary.loc["supported", ["n_schools", "pct_good"]].tolist() == [6, 50.0]
    assert sorted(result.pairs["comparison"].unique()) == ["120254", "120267"]
    # every Leicestershire school graded RI or inadequate is on this register: no similar unsupported school
    row = result.impact.set_index(["measure", "group"]).loc[("inspection_improved", "all")]
    assert row["verdict"] == "too few schools to judge"


# ---------------------------------------------------------------------------- the pack
@pytest.mark.pack
def test_pack_tables(params_file, default_pack):
    from leep_analysis.runner import load_period

    pack = default_pack
    expected = support.analyse(load_period(params_file(sections=["support"]))).impact

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(pack / "tables" / f"support__{name}.csv", dtype=str, keep_default_na=False)

    summary, impact, schools = read("summary"), read("impact"), read("schools")
    assert list(summary.columns) == ["group_by", "group", "n_schools", "n_episodes", "pct_of_schools"]
    assert list(impact.columns) == ["measure", "group", "n_supported", "n_comparison", "effect", "ci_low", "ci_high",
                                    "verdict"]
    period = summary[(summary["group_by"] == "reach") & (summary["group"] == "period")].iloc[0]
    assert (period["n_schools"], period["n_episodes"]) == ("25", "45")  # as in test_sample_reach_by_hand
    assert len(impact) == 20 and set(impact["group"]) == {"all", "collaborative", "targeted", "intensive"}
    assert set(impact["verdict"]) <= {"improved more than similar schools", "did less well than similar schools",
                                      "no clear difference", "too few schools to judge"}
    assert impact.loc[impact["verdict"] == "too few schools to judge", "effect"].eq("").all()
    row = impact[(impact["measure"] == "ks2_PTRWM_EXP") & (impact["group"] == "all")].iloc[0]
    # a computed figure keeps tables.CSV_COMPUTED_PLACES (3) in the CSV
    assert float(row["effect"]) == pytest.approx(
        expected.set_index(["measure", "group"]).at[("ks2_PTRWM_EXP", "all"), "effect"], abs=5e-4)
    assert "Bramble Mead Primary School" in set(schools["school_name"]) and "urn" in schools
    page = (pack / "support.html").read_text(encoding="utf-8")
    assert "Regression to the mean" in page and "no clear difference" in page


@pytest.mark.pack
def test_committee_pack_names_no_school(spring_pack):
    import re

    from leep_analysis.sample import world

    pack = spring_pack
    la = world.build().schools
    la = la[la["la_code"] == world.SAMPLE_LA]
    page = (pack / "support.html").read_text(encoding="utf-8")
    texts = [re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', "", page)]  # digits in a chart are not URNs
    texts += [p.read_text(encoding="utf-8") for p in (pack / "tables").glob("support__*.csv")]
    for text in texts:
        assert not [n for n in la["name"] if n in text], "a school's name in a committee pack"
        assert not [u for u in la["urn"] if u in text], "a URN in a committee pack"
    assert not re.search(r"\bSchool [A-Z]{1,2}\b", texts[0]), "no label of a school (issue 28)"
    assert not (pack / "tables" / "support__schools.csv").exists()  # the supported schools as counts only
    summary = pd.read_csv(pack / "tables" / "support__summary.csv", dtype=str, keep_default_na=False)
    small = pd.to_numeric(summary["n_schools"], errors="coerce").between(1, 4)
    assert not small.any() and (summary["n_schools"] == "c").any()


def test_wilson_interval_by_hand():
    # 0 of 6: centre (0 + 3.8415/12) / (1 + 3.8415/6) = 0.32013 / 1.64025 = 0.19517; half the same: (0, 0.390)
    low, high = support.bootstrap.wilson(0, 6)
    assert low == 0.0 and high == pytest.approx(0.3903, abs=1e-4)
    low, high = support.bootstrap.wilson(27, 38)  # 71.1%: the real schools causing concern that became good
    assert (low, high) == (pytest.approx(0.5524, abs=1e-4), pytest.approx(0.8300, abs=1e-4))


def test_alike_yes_no_outcomes_claim_nothing():
    # six supported schools, none improved; their 100 matched comparison schools improved 4% of the time. The
    # bootstrap alone resamples 0 of 6 as 0 of 6 and would call -4 points "worse" (interval about -9 to -0.4);
    # 0 of 6 is quite likely at a 4% rate (0.96 ** 6 = 0.78), so the verdict must not claim a difference.
    outcome = np.zeros(6)
    comparison = pairs_of(np.tile(np.r_[np.full(4, 100.0), np.zeros(96)], (6, 1)))  # 4 of 100 = 4%
    naive = support.bootstrap.matched_difference(outcome, comparison, resamples=2000, seed=1)
    assert naive.ci_high < 0  # the flaw the binary rule guards against
    estimate = support.bootstrap.matched_difference(outcome, comparison, resamples=2000, seed=1, binary=True)
    assert estimate.effect == pytest.approx(-4.0)
    assert estimate.ci_high == pytest.approx(100 * 0.3903 - 4, abs=0.05)
    assert support.bootstrap.verdict(estimate, min_group=5) == "no clear difference"


def test_sample_reach_year_to_date(sample_result):
    period = sample_result.summary.set_index(["group_by", "group"])
    year = sample_result.summary_year.set_index(["group_by", "group"])
    assert "reach" not in year.index.get_level_values("group_by")
    # the year to date (from 1 September 2025) and the period (from 31 August 2025) hold the same episodes
    # here, so every breakdown agrees; and the tiers' schools add up to at least the schools supported
    pd.testing.assert_frame_equal(year, period.drop(index="reach", level="group_by"))
    assert year.loc["tier", "n_schools"].sum() >= period.loc[("reach", "year"), "n_schools"] == 25
