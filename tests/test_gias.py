"""GIAS loaders: establishments (GIAS and school information), links and lineage, trusts; sample and real files."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sample import world
from leep_analysis.schools import lineages
from leep_analysis.sources.gias import (
    governance_of,
    load_establishments,
    load_group_links,
    load_groups,
    load_links,
    with_trusts,
)

GIAS_HEADER = ["URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
               "TypeOfEstablishment (name)", "EstablishmentStatus (name)", "OpenDate", "CloseDate",
               "PhaseOfEducation (name)", "NumberOfPupils", "Postcode", "Linked establishments"]


def _write(path, rows, encoding="cp1252"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return path


# ------------------------------------------------------------------------ tiny cases
def test_establishments_worked_by_hand(tmp_path):
    path = _write(tmp_path / "gias.csv", [
        GIAS_HEADER,
        ["100001", "855", "Leicestershire", "2017", "Dean\u2019s Primary School", "Community school", "Open",
         "01-01-1900", "", "Primary", "210", "LE1 1AA", "Does not have links"],
        # a search extract lists each further link in a field of its own, past the last header
        ["100002", "855", "Leicestershire", "4015", "High School", "Academy converter",
         "Open, but proposed to close", "01-08-2011", "", "Secondary", "", "", "100003 Predecessor",
         "100009 Successor"],
        ["100003", "855", "Leicestershire", "4001", "Hill Special School", "Community special school", "Closed",
         "", "31-07-2011", "Not applicable", "", "", "100002 Successor"],
    ])
    found = load_establishments(path)
    assert found["school_name"].tolist() == ["Dean\u2019s Primary School", "High School", "Hill Special School"]
    assert found["laestab"].tolist() == ["8552017", "8554015", "8554001"]
    assert found["governance"].tolist() == ["maintained", "academy", "maintained"]
    assert found["phase"].tolist() == ["primary", "secondary", "special"]
    assert found["status"].tolist() == ["open", "open", "closed"]
    assert found["open_date"].isna().tolist() == [True, False, True]  # 01-01-1900 is GIAS's "unknown"
    assert found.loc[2, "close_date"] == pd.Timestamp("2011-07-31")
    assert found["pupils"].tolist()[0] == 210 and found["pupils"].isna().tolist()[1:] == [True, True]


def test_unknown_status_and_bad_date_name_rows(tmp_path):
    path = _write(tmp_path / "gias.csv", [
        GIAS_HEADER[:-1],
        ["100001", "855", "Leicestershire", "2017", "A School", "Community school", "Mothballed", "1/9/99", "",
         "Primary", "210", ""],
    ])
    with pytest.raises(InputError) as err:
        load_establishments(path)
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith(f"{path}, row 2, column 'EstablishmentStatus (name)': unknown establishment status")
               and m.endswith("'Mothballed'") for m in messages)
    assert f"{path}, row 2, column 'OpenDate': not a date: '1/9/99'" in messages


def test_missing_column_names_nearest_header(tmp_path):
    path = _write(tmp_path / "gias.csv", [
        [h if h != "EstablishmentName" else "Name of the school" for h in GIAS_HEADER[:-1]],
        ["100001", "855", "Leicestershire", "2017", "A School", "Community school", "Open", "", "", "Primary",
         "", ""],
    ])
    with pytest.raises(InputError) as err:
        load_establishments(path)
    # (a header a small edit away, "Establishment Name", is read as the column: tests/test_ofsted_mi.py)
    assert str(err.value).startswith(f"{path}, column 'EstablishmentName': required column is missing; nearest "
                                     "header found: '")


def test_other_kinds_are_named():
    with pytest.raises(InputError, match="is an Ofsted management information file, not an establishments list"):
        load_establishments(SAMPLE_DIR / "ofsted_mi" / "2025-08-31_ofsted_mi.csv")
    with pytest.raises(InputError, match="is a GIAS establishments download, not a GIAS links file"):
        load_links(SAMPLE_DIR / "gias_establishments.csv")


def test_governance_of_types():
    types = pd.Series(["Academy converter", "Free Schools", "Community School", "Non-maintained special school",
                       "Other independent special school", "Further education", "Pupil referral unit", None],
                      dtype="string")
    assert governance_of(types).tolist() == ["academy", "academy", "maintained", "other", "independent", "other",
                                             "maintained", pd.NA]


def _links(rows):
    return pd.DataFrame(rows, columns=["urn", "link_urn", "link_type", "relation"]).astype("string")


def test_lineage_follows_conversions_not_reorganisations():
    links = _links([
        ["100005", "99999", "Predecessor", "predecessor"],           # 99999 converted to 100005 ...
        ["100005", "140001", "Successor", "successor"],              # ... which re-brokered as 140001
        ["120000", "120001", "Predecessor - merged", "predecessor"],  # a merger: followed only when asked
        ["130000", "130001", "Sixth Form Centre Link", None],         # never followed
    ])
    plain = lineages(links, urns=["150000"])
    assert plain == {"99999": "99999", "100005": "99999", "120000": "120000", "120001": "120001",
                     "130000": "130000", "130001": "130001", "140001": "99999", "150000": "150000"}
    merged = lineages(links, reorganisations=True)
    assert merged["120001"] == "120000" and merged["130001"] == "130001"


def test_trusts_from_group_links():
    establishments = pd.DataFrame({"urn": ["1", "2", "3"], "trust": [pd.NA, pd.NA, "Own Trust"]}).astype("string")
    groups = pd.DataFrame({"urn": ["1", "1", "2", "3"],
                           "group_name": ["A Sponsor", "A MAT", "B SAT", "C MAT"],
                           "group_type": ["School sponsor", "Multi-academy trust", "Single-academy trust",
                                          "Multi-academy trust"]}).astype("string")
    assert with_trusts(establishments, groups)["trust"].tolist() == ["A MAT", "B SAT", "Own Trust"]


# ------------------------------------------------------------------------ the sample
def test_sample_establishments_and_lineage_match_the_world():
    schools = world.build().schools
    establishments = load_establishments(SAMPLE_DIR / "gias_establishments.csv")
    links = load_links(SAMPLE_DIR / "gias_links.csv")
    assert len(establishments) == len(schools)
    closed = schools["close_date"].notna()
    assert establishments.set_index("urn").loc[schools.loc[closed, "urn"], "status"].eq("closed").all()
    assert establishments["trust"].str.contains("\u2019").any()  # cp1252 read as such
    assert set(links["relation"]) == {"predecessor", "successor"}
    found = lineages(links, establishments["urn"])
    assert [found[u] for u in schools["urn"]] == schools["lineage"].tolist()


# ------------------------------------------------------------------------ real files
def test_real_academies_file(real):
    found = load_establishments(real / "gias" / "2021-12-31" / "edubaseallacademiesandfree.csv")
    leics = found[found["la_code"] == "855"]
    # df = pd.read_csv(f, dtype=str, encoding="latin-1"); le = df[df["LA (code)"] == "855"]
    # len(df) 9804; len(le) 195; le["PhaseOfEducation (name)"].value_counts():
    #     Primary 145, Secondary 44, Not applicable 5 (special and AP academies), 16 plus 1
    assert (len(found), len(leics)) == (9804, 195)
    assert leics["governance"].eq("academy").all() and leics["status"].eq("open").all()
    phases = leics["phase"].value_counts().to_dict()
    assert (phases["primary"], phases["secondary"], phases["other"]) == (145, 44, 1)
    assert phases.get("special", 0) + phases.get("pru", 0) == 5
    assert found.set_index("urn").loc["137115", "open_date"] == pd.Timestamp("2011-08-01")


def test_real_search_extract_keeps_rows_with_extra_fields(real):
    path = real / "format_reference_non_leics" / "gias_search_extract" / "20220420_gias.csv"
    found = load_establishments(path)
    # sum(1 for _ in csv.reader(open(path, encoding="cp1252"))) - 1 == 1096 rows; 69 of them carry 112-114
    # fields (extra 'Linked establishments'), which pandas' on_bad_lines="skip" drops, leaving the 1027 rows
    # PROVENANCE.md reports.
    assert len(found) == 1096
    assert set(found["la_code"]) == {"850", "936"}
    weyford = found.set_index("urn").loc["116018"]  # one of the rows with an extra field
    assert (weyford["school_name"], weyford["la_name"]) == ("Weyford Nursery and Primary School", "Hampshire")


def test_real_school_information_lists_maintained_schools(real):
    found = load_establishments(real / "perf_tables_2018_19" / "england_school_information.xlsx")
    leics = found[found["la_code"] == "855"]
    # df = pd.read_excel(f, dtype=str); df[df.LA == "855"].groupby(["MINORGROUP", "SCHOOLTYPE"]).size():
    # maintained 93 = community 49 + VA 6 + VC 35 + community special 3; academies 203 (incl. 3 special
    # converters, 2 special free schools); independent 36 (15 + 21 special); other 4 (FE colleges)
    assert len(found) == 26166 and len(leics) == 336
    assert leics["governance"].value_counts().to_dict() == {"academy": 203, "maintained": 93, "independent": 36,
                                                           "other": 4}
    assert leics["status"].value_counts().to_dict() == {"open": 317, "closed": 19}


def test_real_links_follow_a_converter(real):
    links = load_links(real / "gias" / "2026-08-21" / "links_edubasealldata.csv")
    assert len(links) == 35239
    # Lutterworth High School converted on 1 August 2011: URN 120244 -> 137115 (read in the raw file:
    # "137115","120244","Lutterworth High School","Predecessor","01-08-2011" and the Successor row back)
    pair = links[links["urn"].isin(["137115", "120244"]) & links["link_urn"].isin(["137115", "120244"])]
    assert sorted(zip(pair["urn"], pair["relation"], pair["link_date"].dt.date.astype(str), strict=True)) == [
        ("120244", "successor", "2011-07-31"), ("137115", "predecessor", "2011-08-01")]
    found = lineages(links)
    assert found["137115"] == found["120244"] == "120244"


def test_real_groups(real):
    group_links = load_group_links(real / "gias" / "2024-03-29" / "grouplinks_edubaseallacademiesandfree.csv")
    groups = load_groups(real / "gias" / "2026-08-21" / "allgroupsdata.csv")
    assert (len(group_links), len(groups)) == (18934, 7177)
    academies = load_establishments(real / "gias" / "2021-12-31" / "edubaseallacademiesandfree.csv")
    trusts = with_trusts(academies, group_links)
    assert trusts["trust"].isna().sum() < academies["trust"].isna().sum()
