"""Statistical neighbours workbook and LAIT data dictionary loaders."""

from __future__ import annotations

import openpyxl
import pytest

from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sources.lait_dictionary import load_dictionary
from leep_analysis.sources.neighbours import load_neighbours


def test_sample_neighbours():
    sn = load_neighbours(SAMPLE_DIR / "neighbours.xlsx")
    assert sn["la_code"].nunique() == 99
    mine = sn[sn.la_code == "050"].sort_values("rank")
    assert len(mine) == 10 and "050" not in set(mine.neighbour_code)
    assert set(sn["proximity"].dropna()) <= {"Very close", "Close", "Somewhat close"}  # "Very Close" normalised


def test_unknown_proximity_names_row(tmp_path):
    book = openpyxl.load_workbook(SAMPLE_DIR / "neighbours.xlsx")
    book["LA SN Groups"]["G5"] = "Quite near"
    book.save(tmp_path / "sn.xlsx")
    with pytest.raises(InputError) as err:
        load_neighbours(tmp_path / "sn.xlsx")
    assert "row 5, column 'SNP': unknown proximity 'Quite near'" in str(err.value)


def test_wrong_sheet(tmp_path):
    book = openpyxl.load_workbook(SAMPLE_DIR / "neighbours.xlsx")
    book["LA SN Groups"].title = "Sheet1"
    book.save(tmp_path / "sn.xlsx")
    with pytest.raises(InputError, match="no sheet named 'LA SN Groups'"):
        load_neighbours(tmp_path / "sn.xlsx")


def test_sample_dictionary():
    d = load_dictionary(SAMPLE_DIR / "lait_data_dictionary.csv").set_index("indicator")
    assert d.at["KS2RWM_Expected_STD", "polarity"] == "High"
    assert d.at["16-17 NEET", "polarity"] == "Low"
    assert d.at["PriFSM", "polarity"] is None or str(d.at["PriFSM", "polarity"]) == "<NA>"
    assert bool(d.at["KS2R_AVG_Scaled_Score", "no_quartile"])


@pytest.mark.real_data
def test_real_neighbours(real):
    sn = load_neighbours(real / "lait" / "sn_may_2025.xlsx")
    leics = sn[sn.la_code == "855"].sort_values("rank")
    # hand-checked: Gloucestershire, South Gloucestershire, Warwickshire, North Somerset, Hampshire,
    # Wiltshire, Somerset, West Sussex, East Riding of Yorkshire, Nottinghamshire; all "Very close"
    assert list(leics.neighbour_code) == ["916", "803", "937", "802", "850", "865", "933", "938", "811", "891"]
    assert set(leics.proximity) == {"Very close"}
    assert leics.region.iloc[0] == "East Midlands"
    assert sn[sn.current].la_code.nunique() == 153
    # the "Old SNs:" rows: Dorset (Pre LG), Poole (Pre LG), Bournemouth (Pre LG), Northamptonshire, Cumbria
    assert sorted(sn[~sn.current].la_code.unique()) == ["835", "836", "837", "909", "928"]
    # "Very Close" and "Extremely Close" in the old rows are normalised
    assert sn.proximity.value_counts()["Extremely close"] == 16


@pytest.mark.real_data
def test_real_dictionary(real):
    d = load_dictionary(real / "lait" / "lait_data_dictionary.csv").set_index("indicator")
    assert d.at["KS2RWM_Expected_STD", "topic"] == "Key Stage 2"
    assert d.at["AVG_Prog8_Score", "decimals"] == 2
    assert d.at["16-17 NEET", "polarity"] == "Low"
    assert bool(d.at["KS2R_AVG_Scaled_Score", "no_quartile"])
    assert len(d) == 432  # 448 rows, less 2 discontinued and 14 short codes listed twice
