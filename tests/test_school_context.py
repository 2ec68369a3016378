"""Performance tables' census and absence files and the *_meta.csv dictionaries: real files and tiny ones."""

from __future__ import annotations

import pandas as pd
import pytest

from leep_analysis.config import load_config
from leep_analysis.errors import InputError
from leep_analysis.sources import school_context as sc


@pytest.mark.real_data
def test_real_census_2018_19(real):
    census = sc.load_census(real / "perf_tables_2018_19" / "england_census.csv")
    # pd.read_csv(england_census.csv, dtype=str): 305 rows with LA == "855", NOR summing to 103,979 pupils;
    # 23,938 school rows and 3 NAT rows (URN "NAT"), 18 measure columns besides URN, LA, ESTAB, SCHOOLTYPE
    leics = census[(census["la_code"] == "855") & (census["measure"] == "NOR")]
    assert len(leics) == 305 and leics["value"].sum() == 103979
    assert census["measure"].nunique() == 18 and census["year"].unique().tolist() == [2019]
    england = census[census["phase"].notna() & (census["measure"] == "PNUMFSMEVER")].set_index("phase")["value"]
    assert england.to_dict() == {"primary": 23.0, "secondary": 27.7, "special": 50.3}
    assert census.loc[census["measure"] == "NOR", "label"].iloc[0] == "Total number of pupils on roll"  # census_meta.csv
    independent = census[(census["urn"] == "100001") & (census["measure"] == "NUMFSM")]
    assert independent["value"].isna().all() and independent["missing_reason"].tolist() == ["not applicable"]


@pytest.mark.real_data
def test_real_absence_2018_19(real):
    absence = sc.load_absence(real / "perf_tables_2018_19" / "england_abs.csv")
    persistent = absence[(absence["la_code"] == "855") & (absence["measure"] == "PPERSABS10")]
    # 278 Leicestershire rows; 19 are SUPP; the other 259 average 8.64% persistent absentees
    assert len(persistent) == 278 and persistent["missing_reason"].eq("suppressed").sum() == 19
    assert persistent["value"].mean() == pytest.approx(8.640, abs=1e-3)
    assert persistent.set_index("urn").at["119903", "value"] == 3.4
    england = absence[absence["phase"].notna() & (absence["measure"] == "PPERSABS10")].set_index("phase")["value"]
    assert england.to_dict() == {"primary": 8.2, "secondary": 13.7, "special": 28.8}
    assert persistent["label"].iloc[0] == "Percentage of enrolments who are persistent absentees"  # abs_meta.csv


@pytest.mark.real_data
def test_every_real_dictionary_layout(real):
    found = {p.relative_to(real).as_posix(): sc.load_meta(p) for p in sorted(real.glob("perf_tables_*/*_meta.*"))
             if p.name != "la_and_region_codes_meta.csv"}
    assert len(found) == 11
    ks5 = found["perf_tables_2015_16/ks5_meta.csv"]  # header on row 6, under notes
    assert ks5.iloc[0].tolist() == ["RECTYPE", ks5.iloc[0]["label"]] and len(ks5) == 73
    ks4 = found["perf_tables_2018_19/ks4_meta.csv"].set_index("field")["label"]
    assert ks4["ATT8SCR"] == "Average Attainment 8 score per pupil"
    # the measures the package keeps are the DfE's own columns, as the year's dictionary names them
    configured = load_config("performance")["key_stages"]
    assert set(configured["ks4"]["measures"]) <= set(ks4.index)
    ks2 = found["perf_tables_2018_19/ks2_meta.csv"].set_index("field")
    assert set(configured["ks2"]["measures"]) <= set(ks2.index)
    ks5_2017 = found["perf_tables_2016_17/ks5_meta.csv"].set_index("field")
    assert set(configured["ks5"]["measures"]) <= set(ks5_2017.index)
    with pytest.raises(InputError, match="not a performance tables dictionary"):
        sc.load_meta(real / "perf_tables_2018_19" / "la_and_region_codes_meta.csv")


def test_tiny_absence_file_and_its_errors(tmp_path):
    folder = tmp_path / "perf_tables_2024_25"
    folder.mkdir()
    (folder / "england_abs.csv").write_text("\ufeffLA,ESTAB,URN,PERCTOT,PPERSABS10\n855,2001,119903,5.1,x\n"
                                            "NAT,PRI,,5.0,14.5\n", encoding="utf-8")
    absence = sc.load_absence(folder / "england_abs.csv")
    assert absence["year"].unique().tolist() == [2025]
    row = absence[(absence["urn"] == "119903") & (absence["measure"] == "PPERSABS10")].iloc[0]
    assert pd.isna(row["value"]) and row["label"] == "PPERSABS10"  # no abs_meta.csv beside it
    (folder / "bad_abs.csv").write_text("LA,ESTAB,URN,PERCTOT\n85,2001,119903,5.1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad_abs.csv, row 2, column 'LA': not an LA code \(three digits\): '85'"):
        sc.load_absence(folder / "bad_abs.csv")
    (tmp_path / "ks4.csv").write_text("RECTYPE,LEA,URN,ATT8SCR\n1,855,119903,44\n", encoding="utf-8")
    with pytest.raises(InputError, match="column 'PERCTOT': required column is missing"):
        sc.load_absence(tmp_path / "ks4.csv", year=2019)
    (tmp_path / "census.csv").write_text("URN,LA,ESTAB,NOR\n119903,855,2001,329\n", encoding="utf-8")
    with pytest.raises(InputError, match="census.csv: no academic year in the folder or file name"):
        sc.load_census(tmp_path / "census.csv")
