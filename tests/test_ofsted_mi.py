"""Ofsted MI loader: the five real snapshots, the perf-tables grade file, layouts, errors, the sample's eras."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.inputs import SPECS, sample_files
from leep_analysis.params import DatedFile
from leep_analysis.sample import ofsted as sample_ofsted
from leep_analysis.sample import world
from leep_analysis.sample._xlsx import write_rows
from leep_analysis.sources import gias, ofsted_mi
from leep_analysis.sources.file_dates import dates_in_name
from leep_analysis.sources.ofsted_mi import (
    add_establishment_details,
    framework,
    load_ofsted_perf_tables,
    load_snapshots,
)

MI_FOLDER = "ofsted_mi_monthly"
REAL_NAMES = {
    "2013-04-30": "2013-04-30/Management_20information_20-_20Schools_20-_2030_20April_202013_20_28provisional_29.zip",
    "2013-12-31": "2013-12-31/Management_20information_20-_20Schools_20-_2031_20December_202013_20_28provisional_29.zip",
    "2014-05-31": "2014-05-31/Management_20information_20-_20Schools_20-_2031_20May_202014.zip",
    "2014-12-31": "2014-12-31/External_Management_information_-_Schools___31_December_2014.xlsx",
    "2015-05-31": "2015-05-31/Maintained_schools_External_Management_Information___31_May_2015.xlsx",
}


# ------------------------------------------------------------------------ tiny cases
@pytest.mark.parametrize(("name", "expected"), [
    (REAL_NAMES["2013-04-30"].split("/")[1], [dt.date(2013, 4, 30)]),
    (REAL_NAMES["2014-05-31"].split("/")[1], [dt.date(2014, 5, 31)]),
    (REAL_NAMES["2014-12-31"].split("/")[1], [dt.date(2014, 12, 31)]),
    ("Management information - schools - 31 Aug 2025.csv", [dt.date(2025, 8, 31)]),
    ("2025-12-31_ofsted_mi.csv", [dt.date(2025, 12, 31)]),
    ("ofsted_mi.csv", []),
    ("mi 31 May 2015 to 2015-06-30.csv", [dt.date(2015, 5, 31), dt.date(2015, 6, 30)]),
])
def test_dates_in_file_names(name, expected):
    assert dates_in_name(name) == expected


def test_framework_by_inspection_date():
    dates = pd.Series(pd.to_datetime(["2024-09-01", "2024-09-02", "2025-11-09", "2025-11-10", None]))
    assert framework(dates).tolist() == ["overall", "key_judgements", "key_judgements", "report_card", pd.NA]


KJ_HEADER = ["URN", "LAESTAB", "School name", "Ofsted phase", "Type of education", "Local authority", "Region",
             "Inspection start date", "Overall effectiveness", "Category of concern", "Quality of education",
             "Behaviour and attitudes", "Personal development", "Effectiveness of leadership and management",
             "Safeguarding is effective?", "Previous graded inspection start date",
             "Previous graded inspection overall effectiveness", "Previous category of concern"]


def _kj_csv(path: Path, rows: list[list[str]]) -> Path:
    pd.DataFrame(rows, columns=KJ_HEADER).to_csv(path, index=False)
    return path


GOOD_ROW = ["100001", "8552017", "A School", "Primary", "Academy converter", "Leicestershire", "East Midlands",
            "12/03/2025", "Not judged", "", "2", "1", "2", "2", "Yes", "04/05/2021", "2", ""]


def test_values_worked_by_hand(tmp_path):
    rows = [
        GOOD_ROW,
        # an old inspection: overall grade stored as text, 'SM ' with a trailing space, grade 9 not judged
        ["100002", "0502000", "B School", "PRU", "Pupil Referral Unit", "Sampleshire", "", "10/07/2023", "4",
         "SM ", "9", "9", "9", "4", "No", "NULL", "NULL", "NULL"],
        # never inspected; a leading zero of LAESTAB lost (as Excel does to LA codes below 100)
        ["100003", "502001", "C School", "Secondary", "Community School", "Sampleshire", "", "NULL", "NULL",
         "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"],
    ]
    mi = load_snapshots([DatedFile(path=_kj_csv(tmp_path / "mi.csv", rows), as_at=dt.date(2025, 8, 31))])
    first, second, third = (mi.iloc[i] for i in range(3))
    assert (first["framework"], first["overall"], first["quality_of_education"], first["governance"]) == \
        ("key_judgements", pd.NA, 2, "academy")
    assert mi["safeguarding_effective"].tolist()[:2] == [True, False] and pd.isna(third["safeguarding_effective"])
    assert (first["la_code"], first["previous_inspection_date"], first["previous_overall"]) == \
        ("855", pd.Timestamp("2021-05-04"), 2)
    assert (second["overall"], second["category"], second["quality_of_education"], second["phase"]) == \
        (4, "special_measures", pd.NA, "pru")
    assert (second["governance"], second["la_code"], second["region"]) == ("maintained", "050", pd.NA)
    assert pd.isna(second["previous_inspection_date"]) and pd.isna(second["previous_category"])
    assert (third["laestab"], third["la_code"]) == ("0502001", "050")
    assert pd.isna(third["inspection_date"]) and pd.isna(third["framework"]) and pd.isna(third["overall"])
    assert mi["as_at"].eq(pd.Timestamp("2025-08-31")).all() and mi["source"].eq("mi.csv").all()


def test_unknown_grade_label_names_row_and_column(tmp_path):
    rows = [GOOD_ROW, [*GOOD_ROW[:10], "Gd", *GOOD_ROW[11:]]]
    rows[1][0] = "100002"
    path = _kj_csv(tmp_path / "mi.csv", rows)
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=path, as_at=dt.date(2025, 8, 31))])
    assert str(err.value).startswith(f"{path}, row 3, column 'Quality of education': unknown grade (known: 1 to 4, "
                                     "outstanding, good, requires improvement, satisfactory, inadequate")
    assert str(err.value).endswith(": 'Gd'")


def test_unknown_category_and_phase(tmp_path):
    row = list(GOOD_ROW)
    row[3], row[9] = "Infant", "Notice to quit"
    path = _kj_csv(tmp_path / "mi.csv", [row])
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=path, as_at=dt.date(2025, 8, 31))])
    messages = [str(p) for p in err.value.problems]
    assert any("row 2, column 'Ofsted phase': unknown Ofsted phase" in m and m.endswith("'Infant'") for m in messages)
    assert any("row 2, column 'Category of concern': unknown category of concern" in m for m in messages)


def test_missing_column_names_the_nearest_header(tmp_path):
    path = _kj_csv(tmp_path / "mi.csv", [GOOD_ROW])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(
        columns={"Inspection start date": "Inspection date (start)"})
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=path, as_at=dt.date(2025, 8, 31))])
    assert str(err.value) == (f"{path}, column 'Inspection start date': required column is missing; nearest header "
                              "found: 'Inspection date (start)' (the headers are closest to Ofsted MI layout "
                              "key-judgements)")


def test_files_of_other_kinds_are_named():
    ks4 = SAMPLE_DIR / "performance" / "2019-08-31_ks4final.csv"
    establishments = SAMPLE_DIR / "gias_establishments.csv"
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=ks4), DatedFile(path=establishments, as_at=dt.date(2025, 8, 31))])
    assert [p.message for p in err.value.problems] == [
        "is a school performance table (KS4 results), not Ofsted management information",
        "is a GIAS establishments download, not Ofsted management information",
    ]


def test_workbook_without_provider_sheet(tmp_path):
    path = tmp_path / "2015-05-31_mi.xlsx"
    write_rows(path, {"Cover": [["Management information"]], "Table 1": [["Region", "Schools"], ["London", 2]]})
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=path)])
    assert str(err.value) == (f"{path}: has no provider-level sheet ('Provider level data' or 'Provider Level "
                              "Data'), so it is not an Ofsted management information workbook; sheets are "
                              "'Cover', 'Table 1'")


def test_as_at_date_problems(tmp_path):
    plain = _kj_csv(tmp_path / "mi.csv", [GOOD_ROW])
    named = _kj_csv(tmp_path / "mi 31 Aug 2025.csv", [GOOD_ROW])
    twin = _kj_csv(tmp_path / "2025-08-31 copy.csv", [GOOD_ROW])
    early = _kj_csv(tmp_path / "early.csv", [GOOD_ROW])
    with pytest.raises(InputError) as err:
        load_snapshots([DatedFile(path=plain), DatedFile(path=named, as_at=dt.date(2025, 7, 31)),
                        DatedFile(path=named), DatedFile(path=twin),
                        DatedFile(path=early, as_at=dt.date(2025, 3, 1))])
    assert [str(p) for p in err.value.problems] == [
        f"{plain}, key 'data.ofsted_mi': the file name holds no date, so the snapshot's as-at date is not known; "
        "give it in the params as {path: mi.csv, as_at: YYYY-MM-DD}",
        f"{named}, key 'data.ofsted_mi': as_at 2025-07-31 is given but the file name says 2025-08-31; "
        "correct one of them",
        f"{twin}, key 'data.ofsted_mi': has the same as-at date (2025-08-31) as mi 31 Aug 2025.csv; "
        "give one snapshot per date",
        f"{early}, row 2, column 'Inspection start date': inspection dated 2025-03-12 is after the snapshot's "
        "as-at date 2025-03-01 (1 rows); is the as_at right?",
    ]


def test_same_urn_twice_is_an_error(tmp_path):
    path = _kj_csv(tmp_path / "mi.csv", [GOOD_ROW, GOOD_ROW])
    with pytest.raises(InputError, match=r"row 3, column 'URN': URN 100001 appears twice"):
        load_snapshots([DatedFile(path=path, as_at=dt.date(2025, 8, 31))])


# ------------------------------------------------------------------------ the sample
@pytest.fixture(scope="module")
def sample_mi() -> pd.DataFrame:
    return load_snapshots(sample_files(SPECS["ofsted_mi"], dt.date(2026, 7, 31)))


def test_sample_covers_every_era(sample_mi):
    by_date = {when: set(part["framework"].dropna()) for when, part in sample_mi.groupby("as_at")}
    assert by_date == {
        pd.Timestamp("2023-08-31"): {"overall"},
        pd.Timestamp("2024-08-31"): {"overall"},
        pd.Timestamp("2025-08-31"): {"overall", "key_judgements"},
        pd.Timestamp("2025-12-31"): {"overall", "key_judgements", "report_card"},
        pd.Timestamp("2026-03-31"): {"overall", "key_judgements", "report_card"},
        pd.Timestamp("2026-07-31"): {"overall", "key_judgements", "report_card"},
    }
    assert set(sample_mi["source"].str[-4:]) == {"xlsx", ".csv"}
    assert set(sample_mi.loc[sample_mi["la_code"] == "050", "la_name"]) == {world.SAMPLE_LA_NAME}
    assert {"special_measures", "serious_weaknesses"} <= set(sample_mi["category"].dropna())
    assert sample_mi["safeguarding_met"].dropna().nunique() == 2


@pytest.mark.parametrize("as_at", [date for date, _ in sample_ofsted.SNAPSHOTS])
def test_sample_round_trips_the_world(sample_mi, as_at):
    """Each loaded snapshot says what the synthetic world says about each school on that date."""
    expected = sample_ofsted.snapshot(world.build(), as_at)
    loaded = sample_mi[sample_mi["as_at"] == pd.Timestamp(as_at)].reset_index(drop=True)
    assert loaded["urn"].tolist() == expected["urn"].tolist()
    assert loaded["la_code"].tolist() == expected["la_code"].tolist()
    assert loaded["inspection_date"].equals(expected["date"].astype("datetime64[ns]").rename("inspection_date"))
    codes = {"SM": "special_measures", "SWK": "serious_weaknesses"}
    _same(loaded["category"], expected["category"].map(codes).astype("string"))
    _same(loaded["previous_overall"], expected["previous_overall"].astype("Int64"))
    columns = ["overall", "leadership_and_management"] if as_at.year < 2025 else [
        "overall", *ofsted_mi.KEY_JUDGEMENTS, *(ofsted_mi.REPORT_CARD_AREAS if as_at.month != 8 else [])]
    for column in columns:
        _same(loaded[column], expected[column].astype("Int64"))
    if as_at.year >= 2025:
        _same(loaded["safeguarding_effective"], expected["safeguarding_effective"].map({"Yes": True, "No": False})
              .astype("boolean"))


def _same(loaded: pd.Series, expected: pd.Series) -> None:
    pd.testing.assert_series_equal(loaded.reset_index(drop=True), expected.reset_index(drop=True),
                                   check_names=False)


# ------------------------------------------------------------------------ real files
@pytest.fixture(scope="module")
def real_mi(real) -> pd.DataFrame:
    return load_snapshots([DatedFile(path=real / MI_FOLDER / name) for name in REAL_NAMES.values()])


# Checked independently of the loader, per file, with:
#   df = pd.read_excel(f_or_zip_member, sheet_name=<provider sheet>, dtype=str, engine="calamine").dropna(how="all")
#   le = df[df["Local Authority"] == "Leicestershire"]    # "Local Authority (Education)" in April 2013
#   len(df), len(le), le["Overall effectiveness: how good is the school"].value_counts(), le["Category"].value_counts()
# The Leicestershire counts are PROVENANCE.md's (280, 281, 281, 280, 279), which counted by LA name; the loader
# counts by LAESTAB's first three digits (855) and the two agree row for row in every file.
REAL_COUNTS = {  # as_at: England rows, Leicestershire rows, grades 1-4, special measures, serious weaknesses, NTI
    "2013-04-30": (21308, 280, [56, 178, 41, 5], 4, 0, 1),
    "2013-12-31": (21046, 281, [52, 177, 42, 10], 8, 2, 0),
    "2014-05-31": (21017, 281, [54, 177, 43, 7], 5, 2, 0),
    "2014-12-31": (21005, 280, [55, 182, 39, 4], 2, 2, 0),
    "2015-05-31": (21047, 279, [53, 187, 37, 2], 0, 2, 0),
}


@pytest.mark.parametrize("as_at", list(REAL_COUNTS))
def test_real_snapshot_counts(real_mi, as_at):
    england = real_mi[real_mi["as_at"] == pd.Timestamp(as_at)]
    leics = england[england["la_code"] == "855"]
    rows, leics_rows, grades, sm, swk, nti = REAL_COUNTS[as_at]
    assert (len(england), len(leics)) == (rows, leics_rows)
    assert set(leics["la_name"]) == {"Leicestershire"}
    assert [int((leics["overall"] == g).sum()) for g in (1, 2, 3, 4)] == grades
    category = leics["category"].value_counts()
    assert (category.get("special_measures", 0), category.get("serious_weaknesses", 0),
            category.get("notice_to_improve", 0)) == (sm, swk, nti)
    assert england["framework"].eq("overall").all()


def test_real_rows_checked_by_eye(real_mi):
    # Buckminster Primary School, December 2013: 'SM ' with a trailing space, previous grade 2 in 2009
    row = real_mi[(real_mi["as_at"] == "2013-12-31") & (real_mi["urn"] == "119910")].iloc[0]
    assert (row["laestab"], row["inspection_date"], row["overall"], row["leadership_and_management"]) == \
        ("8552017", pd.Timestamp("2013-04-17"), 4, 4)
    assert (row["category"], row["previous_inspection_date"], row["previous_overall"]) == \
        ("special_measures", pd.Timestamp("2009-09-24"), 2)
    assert pd.isna(row["previous_category"]) and pd.isna(row["pupils"])  # no pupil numbers before May 2014
    # Oakfield School (a PRU): its previous inspection is 'NULL' in December 2013
    row = real_mi[(real_mi["as_at"] == "2013-12-31") & (real_mi["urn"] == "136754")].iloc[0]
    assert (row["phase"], row["category"]) == ("pru", "special_measures")
    assert pd.isna(row["previous_inspection_date"]) and pd.isna(row["previous_overall"])
    # Lutterworth High School, May 2014: a converter academy with 705 pupils, outstanding in January 2012
    row = real_mi[(real_mi["as_at"] == "2014-05-31") & (real_mi["urn"] == "137115")].iloc[0]
    assert (row["governance"], row["phase"], row["pupils"], row["overall"]) == ("academy", "secondary", 705, 1)
    # grade 9 ('How well do learners achieve?' style not-judged codes) never reaches a grade column
    assert real_mi["leadership_and_management"].dropna().between(1, 4).all()


def test_real_perf_tables_grades_joined_to_school_information(real):
    grades = load_ofsted_perf_tables(real / "ofsted_perf_tables_as_at_2018-07-31" / "england_ofsted-schools.xlsx")
    assert len(grades) == 21739 and grades["as_at"].eq(pd.Timestamp("2018-07-31")).all()  # from the sheet name
    schools = gias.load_establishments(real / "perf_tables_2018_19" / "england_school_information.xlsx")
    joined = add_establishment_details(grades, schools)
    leics = joined[joined["la_code"] == "855"]
    # pd.read_excel(ofsted, dtype=str).merge(info[info.LA == "855"], on="URN")["Overall effectiveness"]
    #     .value_counts() -> 1: 53, 2: 183, 3: 32, 4: 6 (274 schools)
    assert [int((leics["overall"] == g).sum()) for g in (1, 2, 3, 4)] == [53, 183, 32, 6]
    # PROVENANCE.md counts 278 by URNs seen as 855 in any file; the other 4 are not in the 2018-19
    # school information file: three Catholic primaries that had closed (converted) and a PRU
    # (that file lists no PRUs). They keep a missing LA.
    four = joined[joined["urn"].isin(["120210", "120212", "120216", "136754"])]
    assert four["la_code"].isna().all() and len(four) == 4
    assert set(leics["governance"]) == {"academy", "maintained"}


def test_real_mi_loads_from_a_copy_with_a_plain_name(real, tmp_path):
    """A snapshot copied under a name without a date loads once its as_at is given."""
    copy = tmp_path / "latest.xlsx"
    shutil.copyfile(real / MI_FOLDER / REAL_NAMES["2015-05-31"], copy)
    mi = load_snapshots([DatedFile(path=copy, as_at=dt.date(2015, 5, 31))])
    assert len(mi) == 21047 and mi["pupils"].notna().mean() > 0.99
