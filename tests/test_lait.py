"""LAIT loader: text values, markers, year labels, reorganised LAs; sample and real file."""

from __future__ import annotations

import pandas as pd
import pytest

from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sources._read import parse_numbers
from leep_analysis.sources.lait import PLACEHOLDER, load_lait, parse_year_label


@pytest.mark.parametrize(
    ("label", "year", "status"),
    [
        ("2023", 2023, None),
        ("2023/24", 2024, None),
        ("2016-17 (OT)", 2017, "final"),
        ("2018 (Rev)", 2018, "revised"),
        ("2025 (prov)", 2025, "provisional"),
        ("2020 (Final)", 2020, "final"),
        ("2014-16", 2016, None),
        ("2013/14-15/16", 2016, None),
        ("1999/00", 2000, None),
        ("0", None, None),
    ],
)
def test_year_labels(label, year, status):
    assert parse_year_label(label) == (year, status)


def test_numbers_and_markers():
    values, reasons = parse_numbers(pd.Series(["63", "-7.0000000000000007E-2", "1.005E-2", "66.2%", "1,234",
                                               "-", "c", "x", "z", "..", "", "SUPP", "abc", None]))
    assert values.iloc[:5].tolist() == pytest.approx([63.0, -0.07, 0.01005, 66.2, 1234.0])
    assert values.iloc[5:].isna().all()
    assert reasons.iloc[5:].tolist() == ["not available", "suppressed", "not available", "not applicable",
                                         "not available", "not available", "suppressed", "not a number",
                                         "not available"]
    assert reasons.iloc[:5].isna().all()


def test_csv_and_parquet_agree(tmp_path):
    raw = pd.read_parquet(SAMPLE_DIR / "lait.parquet")
    raw.to_csv(tmp_path / "lait.csv", index=False)
    from_csv = load_lait(tmp_path / "lait.csv")
    from_parquet = load_lait(SAMPLE_DIR / "lait.parquet")
    pd.testing.assert_frame_equal(from_csv.reset_index(drop=True), from_parquet.reset_index(drop=True))


def test_sample_has_markers_and_labels():
    lait = load_lait(SAMPLE_DIR / "lait.parquet")
    assert set(lait["area_type"]) == {"la", "region", "england"}
    assert set(lait.loc[lait["area_type"] == "la", "la_code"]) == {f"{i:03d}" for i in range(1, 100)}
    assert {"suppressed", "not available"} <= set(lait["missing_reason"].dropna())
    assert {"2018 (Rev)", "2020 (Final)", "2025 (prov)"} <= set(lait["year_label"])
    assert lait.loc[lait["la_code"] == "050", "area"].iloc[0] == "Sampleshire (synthetic)"


def test_missing_column_names_nearest(tmp_path):
    raw = pd.read_parquet(SAMPLE_DIR / "lait.parquet").rename(columns={"Values": "Value"})
    raw.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError) as err:
        load_lait(tmp_path / "bad.csv")
    assert str(err.value) == f"{tmp_path / 'bad.csv'}, column 'Values': required column is missing; nearest header found: 'Value'"


def test_bad_la_number_names_row(tmp_path):
    raw = pd.read_parquet(SAMPLE_DIR / "lait.parquet").head(5).astype({"LA Number": str})
    raw.loc[3, "LA Number"] = "Leics"
    raw.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError) as err:
        load_lait(tmp_path / "bad.csv")
    assert "row 5, column 'LA Number': LA Number is not a whole number: 'Leics'" in str(err.value)


def test_duplicate_rows_are_an_error(tmp_path):
    raw = pd.read_parquet(SAMPLE_DIR / "lait.parquet").head(3)
    pd.concat([raw, raw.head(1)]).to_csv(tmp_path / "dup.csv", index=False)
    with pytest.raises(InputError, match="appears twice"):
        load_lait(tmp_path / "dup.csv")


@pytest.fixture(scope="module")
def real_lait(real):
    return load_lait(real / "lait" / "bds_long_0.parquet")


@pytest.mark.real_data
class TestRealLait:
    @pytest.fixture
    def lait(self, real_lait):
        return real_lait

    def value(self, lait, indicator, year_label, code):
        row = lait[(lait.indicator == indicator) & (lait.year_label == year_label) & (lait.la_code == code)]
        assert len(row) == 1
        return row.iloc[0]

    def test_shape(self, lait):
        assert len(lait) == 641_070
        assert lait["indicator"].nunique() == 434
        assert (lait["missing_reason"] == "not available").sum() == 93_883  # the '-' markers

    def test_leicestershire_ks2_2025(self, lait):
        # hand-checked in the file: Leicestershire 63, England 63, East Midlands 61
        assert self.value(lait, "KS2RWM_Expected_STD", "2025", "855")["value"] == 63
        assert self.value(lait, "KS2RWM_Expected_STD", "2025", "970")["value"] == 63
        assert self.value(lait, "KS2RWM_Expected_STD", "2025", "983")["value"] == 61

    def test_scientific_notation(self, lait):
        # the file holds "-7.0000000000000007E-2" for Leicestershire's Progress 8 in 2019
        assert self.value(lait, "AVG_Prog8_Score", "2019", "855")["value"] == pytest.approx(-0.07)

    def test_revised_label(self, lait):
        row = self.value(lait, "APSE_Alevel", "2018 (Rev)", "855")
        assert (row["year"], row["status"], row["value"]) == (2018, "revised", 30.72)

    def test_regions(self, lait):
        la = lait[lait.area_type == "la"].drop_duplicates("la_code").set_index("la_code")
        assert la.at["855", "region_code"] == "983"  # East Midlands
        assert la.at["382", "region_code"] == "982"  # "Yorkshire and The Humber" vs "Yorkshire and the Humber"
        assert la.at["202", "region_code"] == "987"  # Inner London -> London (Inner)
        assert la["region_code"].notna().all()

    def test_reorganised_areas_count_once(self, lait):
        # Checked with a pandas loop over the raw file (Values as numbers, per reorganisation,
        # indicator and year): 61 zeros stand for one side of a reorganisation in a year only
        # the other side reported a non-zero value (placeholders, now missing); of the rest, 74
        # predecessor values fall in a year where a successor also reports, and are set aside
        assert (lait["missing_reason"] == PLACEHOLDER).sum() == 61
        assert (lait["missing_reason"] == "counted in successor LA").sum() == 74
        # Cumbria reports KS2 in 2022 and its successors do not: Cumbria is kept
        assert self.value(lait, "KS2RWM_Expected_STD", "2022", "909")["value"] == 56
