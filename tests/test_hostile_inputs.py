"""Hostile and malformed input that the robustness corpus cannot hold as one small file."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pandas as pd
import pytest

from leep_analysis import cli
from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sources import _read
from leep_analysis.sources._read import parse_dates, parse_numbers, parse_pence
from leep_analysis.sources.lait import load_lait


def test_non_finite_numbers_are_missing_never_figures():
    values, reasons = parse_numbers(pd.Series(["1e400", "inf", "-Infinity", "NaN", "66.2%", "c"]))
    assert values.isna().tolist() == [True, True, True, True, False, True]
    assert reasons.tolist()[:3] == ["not a finite number"] * 3
    assert values.iloc[4] == 66.2 and reasons.iloc[5] == "suppressed"


def test_an_infinite_lait_value_is_missing(tmp_path):
    # the sample LAIT file as CSV, one LA value of the latest KS2 year made 1e400 (shown as "inf%", ranked 1st, before)
    frame = pd.read_parquet(SAMPLE_DIR / "lait.parquet").astype(str)
    row = frame.index[frame["LA Number"] == "50.0"][-1]
    frame.loc[row, "Values"] = "1e400"
    frame.to_csv(tmp_path / "lait.csv", index=False)
    lait = load_lait(tmp_path / "lait.csv")
    hit = lait.loc[(lait["indicator"] == frame.at[row, "Short Desc"]) & (lait["la_code"] == "050")
                   & (lait["year_label"] == frame.at[row, "Years"])]
    assert len(hit) == 1 and pd.isna(hit["value"].iloc[0]) and hit["missing_reason"].iloc[0] == "not a finite number"
    assert lait["value"].dropna().abs().lt(float("inf")).all()


def test_dates_outside_1900_to_2099_are_not_dates():
    parsed = parse_dates(pd.Series(["2300-09-12", "12/09/2300", "1850-01-01", "2025-09-01", "99999"]))
    assert parsed.isna().tolist() == [True, True, True, False, True]


def test_amounts_beyond_a_trillion_pounds_are_typos():
    assert parse_pence("999999999999.99") == (99999999999999, None)
    assert parse_pence("99999999999999999999999")[1].startswith("amount is too large")


def test_reads_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(_read, "MAX_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "1,2\n" * 500, encoding="utf-8")
    with pytest.raises(InputError, match="big.csv: is larger than 0.000953674 MB, the most an input may be"):
        _read.read_csv_text(big)
    # a zip member that states a small size but unpacks larger is cut at the limit too
    with zipfile.ZipFile(tmp_path / "mi.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mi.xlsx", b"0" * 5000)
    with pytest.raises(InputError, match="mi.xlsx in the zip is larger than"):
        _read._excel_source(tmp_path / "mi.zip")


def test_validate_lists_at_most_50_problems_and_counts_the_rest(tmp_path, params_file):
    register = (SAMPLE_DIR / "support_register.csv").read_text(encoding="utf-8").splitlines()
    header, row = register[0], register[1]
    junk = [header] + [row.replace(",targeted,", ",tier nine,")] * 300
    (tmp_path / "register.csv").write_text("\n".join(junk) + "\n", encoding="utf-8")
    params = params_file(sections=["support"], data={
        "support_register": str(tmp_path / "register.csv"), "ofsted_mi": "sample", "establishments": "sample",
        "establishment_links": "sample", "school_performance": "sample", "neighbours": "sample"})
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["validate", str(params)])
    lines = err.getvalue().strip().splitlines()
    assert code == 2 and len(lines) == 51, len(lines)
    assert lines[-1].startswith("leep: error: and 250 more problems (the first 50 are listed")
