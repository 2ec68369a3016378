"""School performance tables loader: tiny files worked by hand, the headline rule, the sample, real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis.errors import InputError
from leep_analysis.inputs import SPECS, sample_files
from leep_analysis.params import DatedFile
from leep_analysis.sample import world
from leep_analysis.sample._xlsx import write_rows
from leep_analysis.sources.performance import academic_year, headline, load_performance

AS_AT_2019 = dt.date(2019, 8, 31)

KS4_LINES = [
    "RECTYPE,LEA,ESTAB,URN,SCHNAME,TPUP,ATT8SCR,P8PUP,P8MEA,PTL2BASICS_94",
    "1,855,4508,138833,Ashby School,563,47.9,544,-0.07,71.2%",
    "2,855,7006,120352,Ashmount School,9,NE,8,NE,NE",
    "1,855,4001,100001,Tiny School,4,SUPP,4,SUPP,SUPP",
    "1,855,4002,100002,Low Cover College,60,36.4,29,LOWCOV,52%",
    "1,855,4003,100003,New Academy,0",  # a new school: the row ends early
    "4,855",  # the LA's summary row, with fewer fields
    "5,,,,,5000,46.7,4800,-0.03,64.6%",
    "7,,,,,4500,46.8,4400,-0.02,65.0%",
]


def write(folder: Path, name: str, lines: list[str], bom: bool = True) -> Path:
    """A CSV as DfE writes it: UTF-8 with a byte-order mark, CRLF line ends."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode() + b"\r\n")
    return path


def load(*paths: Path, as_at: dt.date | None = AS_AT_2019) -> pd.DataFrame:
    return load_performance([DatedFile(path=p, as_at=as_at) for p in paths])


def cell(frame: pd.DataFrame, urn: str, measure: str, year: int | None = None) -> pd.Series:
    rows = frame[(frame.urn == urn) & (frame.measure == measure)]
    if year is not None:
        rows = rows[rows.year == year]
    assert len(rows) == 1, (urn, measure, year)
    return rows.iloc[0]


# --- tiny files, answers by hand -----------------------------------------------------------

def test_ks4_school_rows_values_markers_and_cohorts(tmp_path):
    out = load(write(tmp_path, "ks4.csv", KS4_LINES))
    assert sorted(out.urn.unique()) == ["100001", "100002", "100003", "120352", "138833"]  # LA, England dropped
    assert set(out.measure) == {"ATT8SCR", "P8MEA", "PTL2BASICS_94"}  # P8PUP, TPUP are cohorts
    assert len(out) == 5 * 3
    assert set(out.year) == {2019} and set(out.key_stage) == {"ks4"} and set(out.la_code) == {"855"}
    ashby = out[out.urn == "138833"].set_index("measure")
    assert ashby["value"].to_dict() == {"ATT8SCR": 47.9, "P8MEA": -0.07, "PTL2BASICS_94": 71.2}
    assert ashby["cohort"].to_dict() == {"ATT8SCR": 563, "P8MEA": 544, "PTL2BASICS_94": 563}
    assert ashby["school_name"].iloc[0] == "Ashby School"
    assert ashby["missing_reason"].isna().all()
    assert cell(out, "120352", "ATT8SCR")["missing_reason"] == "no entries"
    assert cell(out, "100001", "P8MEA")["missing_reason"] == "suppressed"
    assert cell(out, "100002", "P8MEA")["missing_reason"] == "low coverage"
    assert cell(out, "100002", "ATT8SCR")["value"] == 36.4
    new = out[out.urn == "100003"]
    assert new["value"].isna().all() and set(new["missing_reason"]) == {"not available"}
    # TPUP is 0 on the short row; P8PUP (the Progress 8 cohort) is past its end
    assert new.set_index("measure")["cohort"].astype("Float64").fillna(-1).to_dict() == {
        "ATT8SCR": 0, "P8MEA": -1, "PTL2BASICS_94": 0}


def test_file_without_bom_and_la_spelling(tmp_path):
    lines = ["RECTYPE,LA,URN,SCHNAME,TPUP,ATT8SCR", "1,85,100001,A School,100,50.5"]
    out = load(write(tmp_path, "ks4.csv", lines, bom=False))
    assert out.la_code.tolist() == ["085"] and out.value.tolist() == [50.5]


def test_ks2_keeps_schools_and_counts_disadvantaged_pupils(tmp_path):
    lines = [
        "RECTYPE,LEA,URN,SCHNAME,TELIG,TFSM6CLA1A,PTRWM_EXP,PTRWM_HIGH,READPROG,PTRWM_EXP_FSM6CLA1A",
        "1,850,115851,Anstey Junior School,60,18,63%,0%,-1.9,61%",
        "2,850,116640,A Special School,4,SUPP,SUPP,SUPP,SUPP,",
        "3,850,,Hampshire,12000,2500,67%,11%,0.1,52%",  # KS2's LA row is RECTYPE 3
        "4,,,,600000,150000,65%,11%,0,51%",
        "5,,,,590000,149000,65%,11%,0,51%",
    ]
    out = load(write(tmp_path, "2018-2019_850_ks2final.csv", lines), as_at=None)
    assert sorted(out.urn.unique()) == ["115851", "116640"]
    assert set(out.key_stage) == {"ks2"} and set(out.year) == {2019}
    assert cell(out, "115851", "PTRWM_EXP")[["value", "cohort"]].tolist() == [63.0, 60]
    assert cell(out, "115851", "PTRWM_EXP_FSM6CLA1A")[["value", "cohort"]].tolist() == [61.0, 18]
    special = out[out.urn == "116640"].set_index("measure")["missing_reason"].to_dict()
    assert special == {"PTRWM_EXP": "suppressed", "PTRWM_HIGH": "suppressed", "READPROG": "suppressed",
                       "PTRWM_EXP_FSM6CLA1A": "not available"}


def test_ks5_drops_sixth_form_consortia(tmp_path):
    lines = [
        "RECTYPE,LEA,URN,SCHNAME,TALLPUP_ALEV_1618,TALLPPE_ALEV_1618,TINCLUDE_AAB_2FAC,PTAAB_2FAC,VA_INS_ALEV",
        "1,855,139624,Beauchamp College,552,31.09,432,16.9%,-0.04",
        "3,811,134821,Beverley Joint Sixth,127,30.1,90,10.0%,NA",  # a consortium, counted again
        "4,855,,,2000,30.0,1500,12.0%,0.00",
    ]
    out = load(write(tmp_path, "england_ks5final.csv", lines), as_at=dt.date(2017, 8, 31))
    assert out.urn.unique().tolist() == ["139624"] and set(out.key_stage) == {"ks5"} and set(out.year) == {2017}
    assert cell(out, "139624", "PTAAB_2FAC")[["value", "cohort"]].tolist() == [16.9, 432]
    assert cell(out, "139624", "VA_INS_ALEV")[["value", "cohort"]].tolist() == [-0.04, 552]


@pytest.mark.parametrize(
    ("path", "as_at", "year"),
    [
        ("2018-2019_850_ks2final.csv", None, 2019),
        ("perf_tables_2018_19/england_ks4provisional.csv", None, 2019),
        ("2019-08-31_ks4final.csv", None, 2019),
        ("results 2017-18/ks4.csv", None, 2018),
        ("england_ks4final.csv", dt.date(2019, 8, 31), 2019),
        ("england_ks4final.csv", dt.date(2018, 9, 1), 2019),
        ("england_ks4final.csv", dt.date(2019, 9, 1), 2020),
        ("2018-2019_936_ks4final.csv", dt.date(2019, 8, 31), 2019),
    ],
)
def test_academic_year(path, as_at, year):
    assert academic_year(DatedFile(path=Path("/data") / path, as_at=as_at)) == year


def test_no_year_asks_for_as_at(tmp_path):
    path = write(tmp_path, "england_ks4final.csv", KS4_LINES)
    with pytest.raises(InputError) as err:
        load(path, as_at=None)
    assert str(err.value) == (
        f"{path}, key 'data.school_performance': cannot tell which academic year these results are for: "
        "list the file as {path: ..., as_at: 2019-08-31} (31 August of the year the results are for) "
        "or keep the year in its name, e.g. 2018-2019_ks4final.csv")


def test_as_at_disagreeing_with_name(tmp_path):
    path = write(tmp_path, "2017-2018_855_ks4final.csv", KS4_LINES)
    with pytest.raises(InputError, match=r"as_at 2019-08-31 is in academic year 2018/19 but the file's name says 2017/18"):
        load(path)


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("URN,LA (code),EstablishmentName,TypeOfEstablishment (name)", "is a GIAS establishments download"),
        ("URN,LA,ESTAB,SCHOOLTYPE,NOR,NUMFSM,PNUMFSMEVER", "is the performance tables' census file (pupil numbers)"),
        ("Column,Field Name,Label/Description", "is a data dictionary (*_meta file), not the data"),
        ("Short Desc,Data item,Years,LA and Regions,Values,LA Number", "is a LAIT benchmark file"),
    ],
)
def test_other_kinds_are_named(tmp_path, header, kind):
    path = write(tmp_path, "2018-2019_x.csv", [header, ",".join(["1"] * len(header.split(",")))])
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == f"{path}: {kind}, not a school performance table (KS2, KS4 or 16-18 results)"


def test_unknown_csv(tmp_path):
    path = write(tmp_path, "2018-2019_x.csv", ["URN,LEA,RECTYPE,SCORE", "1,855,1,3"])
    with pytest.raises(InputError, match="none of its headers is PTRWM_EXP \\(Key stage 2\\), ATT8SCR"):
        load(path)


def test_ofsted_workbook_is_named(tmp_path):
    path = tmp_path / "mi.xlsx"
    write_rows(path, {"Cover": [["Ofsted"]], "Provider level data": [["URN", "Overall effectiveness"], [1, 2]]})
    with pytest.raises(InputError, match="is an Ofsted management information workbook, not a school performance table"):
        load(path)


def test_missing_urn_column(tmp_path):
    lines = [KS4_LINES[0].replace("URN", "URN_AC"), KS4_LINES[1]]
    path = write(tmp_path, "ks4.csv", lines)
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == f"{path}, column 'URN': required column is missing; nearest header found: 'URN_AC'"


def test_non_numeric_urn_names_row_and_column(tmp_path):
    lines = [*KS4_LINES[:3], "1,855,4009,13883X,Typo School,100,40.0,90,0.1,50%", *KS4_LINES[3:]]
    path = write(tmp_path, "ks4.csv", lines)
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == f"{path}, row 4, column 'URN': URN is not a whole number: '13883X'"


def test_unknown_record_type(tmp_path):
    path = write(tmp_path, "ks4.csv", [*KS4_LINES, "9,855,1,100009,Odd,1,1,1,1,1%"])
    with pytest.raises(InputError, match=r"row 10, column 'RECTYPE': not a KS4 record type \(1, 2, 4, 5, 7\): '9'"):
        load(path)


def test_value_neither_number_nor_marker(tmp_path):
    lines = [*KS4_LINES[:2], "1,855,4009,100009,Typo School,100,4O.5,90,0.1,50%"]
    path = write(tmp_path, "ks4.csv", lines)
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == f"{path}, row 3, column 'ATT8SCR': not a number or a known marker: '4O.5'"


def test_duplicate_school_in_one_file(tmp_path):
    path = write(tmp_path, "ks4.csv", [*KS4_LINES, KS4_LINES[1]])
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == f"{path}, row 10, column 'URN': URN 138833 appears twice (first at row 2)"


def test_same_year_in_two_files(tmp_path):
    provisional = write(tmp_path, "2018-2019_ks4provisional.csv", KS4_LINES)
    final = write(tmp_path, "2018-2019_ks4final.csv", KS4_LINES[:3])
    with pytest.raises(InputError) as err:
        load(provisional, final, as_at=None)
    assert str(err.value) == (
        f"{final}, key 'data.school_performance': KS4 results for 2018/19 are also in {provisional} "
        "(2 schools in both); give one file per key stage and year")


def test_years_and_key_stages_combine(tmp_path):
    ks4_2018 = write(tmp_path, "2017-2018_ks4.csv", KS4_LINES[:2])
    ks4_2019 = write(tmp_path, "2018-2019_ks4.csv", KS4_LINES[:2])
    ks2 = write(tmp_path, "2018-2019_ks2.csv", ["RECTYPE,LEA,URN,PTRWM_EXP", "1,855,110000,70%"])
    out = load(ks4_2018, ks4_2019, ks2, as_at=None)
    assert out.groupby(["key_stage", "year"]).size().to_dict() == {("ks2", 2019): 1, ("ks4", 2018): 3, ("ks4", 2019): 3}
    # the KS2 file has no SCHNAME column: its schools have no name
    assert out[out.key_stage == "ks2"].school_name.isna().all() and out[out.key_stage == "ks4"].school_name.notna().all()


def test_no_files_gives_empty_frame():
    out = load_performance([])
    assert out.empty and list(out.columns) == ["urn", "la_code", "school_name", "year", "key_stage", "measure",
                                               "value", "missing_reason", "cohort", "source"]


# --- headline ----------------------------------------------------------------------------

def tidy(rows: list[tuple]) -> pd.DataFrame:
    """A load_performance-like frame from (urn, year, key_stage, measure, value, reason) rows."""
    frame = pd.DataFrame(rows, columns=["urn", "year", "key_stage", "measure", "value", "missing_reason"])
    return frame.assign(la_code="855", school_name="S", cohort=pd.array([100] * len(frame), dtype="Int64"),
                        source="f.csv")


def test_headline_ks4_progress8_else_attainment8_by_year():
    frame = tidy([
        ("1", 2019, "ks4", "P8MEA", 0.2, None), ("1", 2019, "ks4", "ATT8SCR", 50.0, None),
        ("2", 2019, "ks4", "P8MEA", None, "suppressed"), ("2", 2019, "ks4", "ATT8SCR", 40.0, None),
        ("1", 2020, "ks4", "ATT8SCR", 52.0, None), ("2", 2020, "ks4", "ATT8SCR", 41.0, None),
        ("1", 2025, "ks4", "P8MEA", None, "not published"), ("1", 2025, "ks4", "ATT8SCR", 49.0, None),
        ("1", 2019, "ks2", "PTRWM_EXP", 70.0, None),
    ])
    out = headline(frame, "ks4")
    got = list(zip(out.urn, out.year, out.measure, out.value.fillna(-99), strict=True))
    # school 2 keeps its suppressed Progress 8 in 2019: one measure per year, never per school
    assert got == [("1", 2019, "P8MEA", 0.2), ("2", 2019, "P8MEA", -99), ("1", 2020, "ATT8SCR", 52.0),
                   ("2", 2020, "ATT8SCR", 41.0), ("1", 2025, "ATT8SCR", 49.0)]
    assert list(out.columns) == list(frame.columns)


def test_headline_ks2_and_bad_key_stage():
    frame = tidy([("1", 2019, "ks2", "PTRWM_EXP", 70.0, None), ("1", 2019, "ks2", "READPROG", 1.0, None),
                  ("2", 2019, "ks2", "PTRWM_EXP", None, "suppressed")])
    out = headline(frame, "ks2")
    assert out.measure.tolist() == ["PTRWM_EXP", "PTRWM_EXP"] and out.value.iloc[0] == 70.0
    with pytest.raises(ValueError, match="key_stage must be one of ks2, ks4, ks5"):
        headline(frame, "ks3")


# --- the embedded sample -----------------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load_performance(sample_files(SPECS["school_performance"], dt.date(2025, 12, 31)))


def test_sample_years_layout_and_markers(sample):
    years = sample.groupby("key_stage").year.unique().map(sorted).to_dict()
    assert years == {"ks2": [2016, 2017, 2018, 2019, 2022, 2023, 2024, 2025], "ks4": list(range(2016, 2026))}
    p8_years = sorted(sample.loc[sample.measure == "P8MEA", "year"].unique())
    assert p8_years == [2016, 2017, 2018, 2019, 2022, 2023, 2024]
    assert sorted(sample.loc[sample.measure == "READPROG", "year"].unique()) == [2016, 2017, 2018, 2019, 2022, 2023]
    assert set(sample.la_code) == {world.SAMPLE_LA}
    assert {"suppressed", "no entries", "low coverage", "not available"} <= set(sample.missing_reason.dropna())
    schools = world.build().schools.set_index("urn")
    assert set(sample.urn) <= set(schools.index[schools.la_code == world.SAMPLE_LA])


def test_sample_as_at_filter():
    files = sample_files(SPECS["school_performance"], dt.date(2019, 12, 31))
    assert [f.path.name for f in files][-2:] == ["2019-08-31_ks2final.csv", "2019-08-31_ks4final.csv"]
    assert len(files) == 8


def test_sample_results_have_the_intended_spread(sample):
    mainstream = sample[~sample.school_name.str.contains("Special")]
    stats = mainstream.groupby("measure").value.agg(["mean", "std"])
    assert 55 < stats.at["PTRWM_EXP", "mean"] < 65 and 10 < stats.at["PTRWM_EXP", "std"] < 20
    assert abs(stats.at["READPROG", "mean"]) < 0.5 and 1.2 < stats.at["READPROG", "std"] < 2.5
    assert 42 < stats.at["ATT8SCR", "mean"] < 50 and 4 < stats.at["ATT8SCR", "std"] < 8
    assert abs(stats.at["P8MEA", "mean"]) < 0.15 and 0.25 < stats.at["P8MEA", "std"] < 0.55


def test_sample_supported_primaries_improve_more(sample):
    the_world = world.build()
    lineage = the_world.schools.set_index("urn")["lineage"]
    ks2 = headline(sample, "ks2").assign(lineage=lambda f: f.urn.map(lineage))
    wide = ks2.pivot_table(index="lineage", columns="year", values="value")
    change = (wide[2025] - wide[2022]).dropna()
    supported = change.index.isin(the_world.support.lineage)
    assert change[supported].mean() > change[~supported].mean() + 2


# --- real published files ----------------------------------------------------------------

KS4_REAL = {2017: "perf_tables_2016_17", 2018: "perf_tables_2017_18", 2019: "perf_tables_2018_19"}


@pytest.fixture(scope="module")
def real_national(real):
    files = [real / folder / "england_ks4provisional.csv" for folder in KS4_REAL.values()]
    files += [real / "perf_tables_2015_16" / "england_ks5.csv", real / "perf_tables_2016_17" / "england_ks5final.csv"]
    return load_performance([DatedFile(path=p) for p in files])


@pytest.mark.real_data
class TestRealFiles:
    def test_school_rows_per_file(self, real_national):
        # independent count: pd.read_csv(f, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        # then RECTYPE.value_counts(): KS4 1+2, KS5 1 (3 = consortia, 4 = LA, 5/7 = England)
        schools = real_national.groupby(["key_stage", "year"]).urn.nunique().to_dict()
        assert schools == {("ks4", 2017): 4254 + 1139, ("ks4", 2018): 4317 + 1194, ("ks4", 2019): 4296 + 1199,
                           ("ks5", 2016): 3227, ("ks5", 2017): 3206}

    def test_leicestershire_rows(self, real_national):
        # PROVENANCE counts 66/72/70 KS4 and 39/36 KS5 rows with LEA=855: each includes the LA's own
        # summary row (RECTYPE 4), which the loader drops, so one school fewer each (same one-liner)
        leics = real_national[real_national.la_code == "855"].groupby(["key_stage", "year"]).urn.nunique()
        assert leics.to_dict() == {("ks4", 2017): 65, ("ks4", 2018): 71, ("ks4", 2019): 69,
                                   ("ks5", 2016): 38, ("ks5", 2017): 35}

    def test_beauchamp_college(self, real_national):
        # perf_tables_2018_19/england_ks4provisional.csv line 3054:
        # 1,855,4045,139624,Beauchamp College,0,ACC,440,54.4,422,2,0.68,0.56,0.81,...,83.6%,62.3%,5.02,78.9%
        ks4 = real_national[(real_national.urn == "139624") & (real_national.year == 2019)].set_index("measure")
        assert ks4["value"].to_dict() == {"ATT8SCR": 54.4, "P8MEA": 0.68, "P8CILOW": 0.56, "P8CIUPP": 0.81,
                                          "PTL2BASICS_94": 83.6, "PTL2BASICS_95": 62.3, "EBACCAPS": 5.02,
                                          "PTEBACC_E_PTQ_EE": 78.9}
        assert ks4.at["ATT8SCR", "cohort"] == 440 and ks4.at["P8MEA", "cohort"] == 422
        assert ks4.at["ATT8SCR", "school_name"] == "Beauchamp College"
        # perf_tables_2016_17/england_ks5final.csv, LEA 855: TALLPUP_ALEV_1618 552, TALLPPE_ALEV_1618 31.09,
        # TINCLUDE_B3 432, TB3PTSE 34.01, TINCLUDE_AAB_2FAC 432, PTAAB_2FAC 16.9%, VA_INS_ALEV -0.04 (line 471)
        ks5 = real_national[(real_national.urn == "139624") & (real_national.key_stage == "ks5")
                            & (real_national.year == 2017)].set_index("measure")
        assert ks5["value"].to_dict() == {"TALLPPE_ALEV_1618": 31.09, "TB3PTSE": 34.01, "PTAAB_2FAC": 16.9,
                                          "VA_INS_ALEV": -0.04}
        assert ks5["cohort"].to_dict() == {"TALLPPE_ALEV_1618": 552, "TB3PTSE": 432, "PTAAB_2FAC": 432,
                                           "VA_INS_ALEV": 552}

    def test_markers(self, real_national):
        ks4 = real_national[(real_national.year == 2019) & (real_national.key_stage == "ks4")]
        # line 3052: 2,855,7006,120352,Ashmount School,0,CYS,9,NE,...
        assert cell(ks4, "120352", "ATT8SCR")["missing_reason"] == "no entries"
        # line 3050: 2,855,6042,139559,ALP Leicester,0,INDSPEC,NA,... (independent special school)
        assert cell(ks4, "139559", "P8MEA")["missing_reason"] == "not applicable"
        # Trinity Academy (LEA 208): TPUP 60, P8PUP 29, ATT8SCR 36.4, P8MEA LOWCOV
        assert cell(ks4, "140966", "P8MEA")["missing_reason"] == "low coverage"
        assert cell(ks4, "140966", "ATT8SCR")["value"] == 36.4
        # Jack Tizard School (LEA 205): TPUP 2, ATT8SCR SUPP
        assert cell(ks4, "100381", "ATT8SCR")["missing_reason"] == "suppressed"
        # markers in the P8MEA column, counted with the same one-liner (value_counts of P8MEA):
        # LOWCOV 7, SUPP 138, all on school rows
        assert (ks4[ks4.measure == "P8MEA"].missing_reason == "low coverage").sum() == 7
        assert (ks4[ks4.measure == "P8MEA"].missing_reason == "suppressed").sum() == 138

    def test_hampshire_ks2(self, real):
        path = real / "format_reference_non_leics" / "perf_tables_la_extracts" / "2018-2019_850_ks2final.csv"
        ks2 = load_performance([DatedFile(path=path)])  # the year comes from the name
        assert set(ks2.year) == {2019} and set(ks2.la_code) == {"850"} and ks2.urn.nunique() == 315 + 16
        # line 2: 1,1832,850,2001,115851,Anstey Junior School,...,TELIG 60,...,63%,0%,-1.9,...
        anstey = ks2[ks2.urn == "115851"].set_index("measure")
        assert anstey["value"].to_dict() == {"PTRWM_EXP": 63.0, "PTRWM_HIGH": 0.0, "READPROG": -1.9,
                                             "WRITPROG": -2.8, "MATPROG": -2.6, "PTRWM_EXP_FSM6CLA1A": 61.0}
        assert anstey.at["PTRWM_EXP", "cohort"] == 60 and anstey.at["PTRWM_EXP_FSM6CLA1A", "cohort"] == 18
        # Hyde Church of England Primary School: TELIG 2, everything SUPP
        assert cell(ks2, "116294", "PTRWM_EXP")["missing_reason"] == "suppressed"

    def test_surrey_ks4(self, real):
        path = real / "format_reference_non_leics" / "perf_tables_la_extracts" / "2018-2019_936_ks4final.csv"
        ks4 = load_performance([DatedFile(path=path, as_at=dt.date(2019, 8, 31))])
        assert ks4.urn.nunique() == 94 + 36 and set(ks4.la_code) == {"936"}
        # line 2: Jubilee High School: TPUP 129, ATT8SCR 46, P8MEA 0.22 (-0.01, 0.45), 63%, 34%, EBACCAPS 3.81
        jubilee = ks4[ks4.urn == "139948"].set_index("measure")["value"].to_dict()
        assert jubilee == {"ATT8SCR": 46.0, "P8MEA": 0.22, "P8CILOW": -0.01, "P8CIUPP": 0.45,
                           "PTL2BASICS_94": 63.0, "PTL2BASICS_95": 34.0, "PTEBACC_E_PTQ_EE": 23.0, "EBACCAPS": 3.81}
        # NP (not published) in P8MEA: 37 independent + 10 independent special schools
        assert (ks4[ks4.measure == "P8MEA"].missing_reason == "not published").sum() == 47
        assert headline(ks4, "ks4").measure.unique().tolist() == ["P8MEA"]

    @pytest.mark.parametrize(
        ("path", "kind"),
        [
            ("perf_tables_2018_19/england_census.csv", "the performance tables' census file"),
            ("perf_tables_2018_19/england_abs.csv", "the performance tables' absence file"),
            ("perf_tables_2018_19/england_swf.csv", "the performance tables' workforce file"),
            ("perf_tables_2018_19/ks2_meta.csv", "a data dictionary"),
            ("perf_tables_2016_17/ks5_meta.csv", "a data dictionary"),
            ("perf_tables_2018_19/england_school_information.xlsx", "the performance tables' school information file"),
            ("gias/2021-12-31/edubaseallacademiesandfree.csv", "a GIAS establishments download"),
            ("ofsted_mi_monthly/2014-12-31/External_Management_information_-_Schools___31_December_2014.xlsx",
             "an Ofsted management information workbook"),
        ],
    )
    def test_other_real_files_are_named(self, real, path, kind):
        with pytest.raises(InputError, match=f"is {kind}"):
            load_performance([DatedFile(path=real / path, as_at=AS_AT_2019)])

    def test_provisional_and_final_for_one_year(self, real):
        files = [DatedFile(path=real / "perf_tables_2018_19" / "england_ks4provisional.csv"),
                 DatedFile(path=real / "format_reference_non_leics" / "perf_tables_la_extracts" / "2018-2019_936_ks4final.csv")]
        with pytest.raises(InputError, match=r"KS4 results for 2018/19 are also in .*england_ks4provisional.csv \(130 schools in both\)"):
            load_performance(files)

    def test_provisional_differs_from_final(self, real_national):
        # perf_tables_2018_19/england_ks4provisional.csv line 5440: Jubilee High School P8MEA 0.23,
        # PTL2BASICS_95 31.0%; the Surrey final file has 0.22 and 34% (test_surrey_ks4)
        ks4 = real_national[(real_national.year == 2019) & (real_national.key_stage == "ks4")]
        assert cell(ks4, "139948", "P8MEA")["value"] == 0.23
        assert cell(ks4, "139948", "PTL2BASICS_95")["value"] == 31.0


# --- as an input of the pack -------------------------------------------------------------

def test_input_registered_and_la_checked(params_file, tmp_path):
    from leep_analysis.checks import performance_covers_la
    from leep_analysis.inputs import Inputs
    from leep_analysis.params import load_params

    params, _ = load_params(params_file(sections=["support"]))
    inputs = Inputs(params)
    assert [f.path.name for f in inputs.files("school_performance")][-2:] == ["2025-08-31_ks2final.csv",
                                                                             "2025-08-31_ks4final.csv"]
    assert performance_covers_la(inputs) == []
    other_la = write(tmp_path, "2018-2019_855_ks4final.csv", KS4_LINES)
    params, _ = load_params(params_file("other.yaml", sections=["support"],
                                        data={"school_performance": [str(other_la)]}))
    problems = performance_covers_la(Inputs(params))
    assert [str(p) for p in problems] == [
        f"{other_la}, key 'data.school_performance': no school results for LA 050 in these performance tables"]
