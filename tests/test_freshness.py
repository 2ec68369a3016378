"""How fresh each source is: as-at dates, latest data, next release due, and the flag when one is overdue."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from leep_analysis import freshness
from leep_analysis.config import PROJECT_DIR, SAMPLE_DIR
from leep_analysis.inputs import Inputs, data_block
from leep_analysis.params import PeriodParams, load_params
from leep_analysis.sources.lait_dictionary import load_dictionary, release_dates


def test_release_dates_excel_day_numbers_and_words():
    # Excel counts days from 30 December 1899: 45658 is 1 January 2025, so 46266 is 608 days on, 1 September 2026
    got = release_dates(pd.Series(["45658", "46266", "01/09/2026", "TBC", "Discontinued", None]))
    assert got.tolist()[:3] == [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-09-01"), pd.Timestamp("2026-09-01")]
    assert got[3:].isna().all()


def test_real_dictionary_next_update(real):
    # Checked by hand in lait_data_dictionary.csv (rows of Measure_short KS2RWM_Expected_STD and
    # AVG_Attain8_Score): Last Update 45992 and 46054, Next Update 46266 and 46296, Excel day numbers,
    # i.e. 1 Dec 2025 / 1 Sep 2026 and 1 Feb 2026 / 1 Oct 2026 (45658 = 1 Jan 2025; 46023 = 1 Jan 2026)
    d = load_dictionary(real / "lait" / "lait_data_dictionary.csv").set_index("indicator")
    assert d.at["KS2RWM_Expected_STD", "last_update"] == pd.Timestamp("2025-12-01")
    assert d.at["KS2RWM_Expected_STD", "next_update"] == pd.Timestamp("2026-09-01")
    assert d.at["AVG_Attain8_Score", "last_update"] == pd.Timestamp("2026-02-01")
    assert d.at["AVG_Attain8_Score", "next_update"] == pd.Timestamp("2026-10-01")
    # a pack with those two measures as at 31 March 2026 has LAIT as at 1 Feb 2026, next due 1 Sep 2026
    codes = ["KS2RWM_Expected_STD", "AVG_Attain8_Score"]
    assert freshness.lait_release(d.reset_index(), codes, dt.date(2026, 3, 31)) == (dt.date(2026, 2, 1),
                                                                                   dt.date(2026, 9, 1))
    # as at 31 Jan 2026 the February KS4 release is not out yet: as at 1 Dec 2025, next due 1 Feb 2026
    assert freshness.lait_release(d.reset_index(), codes, dt.date(2026, 1, 31)) == (dt.date(2025, 12, 1),
                                                                                   dt.date(2026, 2, 1))
    # a 2015 pack read with today's dictionary: no release of those measures by then, so no dates after the pack's
    assert freshness.lait_release(d.reset_index(), codes, dt.date(2015, 5, 31)) == (None, None)
    # "TBC" and "Discontinued" are no date (37 current measures have none)
    assert d["next_update"].isna().sum() == 37


def test_schedules():
    assert freshness.next_monthly(dt.date(2025, 12, 31), 21) == dt.date(2026, 2, 21)  # January's, three weeks on
    assert freshness.next_monthly(dt.date(2026, 1, 31), 0) == dt.date(2026, 2, 28)
    assert freshness.next_annual(2025, [0, 6, 15]) == dt.date(2026, 6, 15)  # census 2025/26 in June 2026
    assert freshness.next_annual(2025, [1, 3, 31]) == dt.date(2027, 3, 31)  # absence 2025/26 in March 2027
    assert freshness.year_in_name("sample_data/2024-2025_england_census.csv") == 2025
    assert freshness.year_in_name("../real/perf_tables_2018_19/england_census.csv") == 2019
    assert freshness.year_in_name("england_census.csv") is None


def test_sample_pack_sources():
    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    rows = freshness.table(Inputs(params)).set_index("key")
    assert list(rows.columns) == freshness.COLUMNS[1:]
    # the sample's dictionary gives every measure Last Update 46000 (9 Dec 2025), Next Update 46365 (9 Dec 2026)
    assert rows.loc["lait", ["as_at", "next_due"]].tolist() == [dt.date(2025, 12, 9), dt.date(2026, 12, 9)]
    # the latest Ofsted snapshot is as at the pack's date; the next (31 Jan 2026) is due three weeks after
    assert rows.loc["ofsted_mi", ["as_at", "next_due"]].tolist() == [dt.date(2025, 12, 31), dt.date(2026, 2, 21)]
    assert rows.loc["school_census", ["latest_data", "next_due"]].tolist() == ["2024/25", dt.date(2026, 6, 15)]
    assert rows.loc["concerns_log", "as_at"] == dt.date(2025, 12, 31)  # the LA's own: as at the pack's date
    assert not rows["newer_may_exist"].any()
    assert all(d is None or d <= params.as_at for d in rows["as_at"])  # nothing as at a date after the pack's


def test_an_overdue_source_is_flagged():
    # the LA's files laid out like the sample, with Ofsted's snapshots only to 31 Aug 2025: September's was due
    # on 21 October 2025, before the pack's 31 December, so a newer release may be available
    block = data_block(SAMPLE_DIR)
    block["ofsted_mi"] = [f for f in block["ofsted_mi"] if f["as_at"] <= "2025-08-31"]
    params = PeriodParams(period="2025-26-autumn", la_code="050", as_at=dt.date(2025, 12, 31), data=block)
    rows = {r["title"]: r for r in freshness.index_rows(Inputs(params))}
    ofsted = rows["Ofsted management information (latest inspections)"]
    assert (ofsted["as_at"], ofsted["next_due"], ofsted["flag"]) == ("31 August 2025", "21 October 2025",
                                                                     "a newer release may be available")
    assert rows["LAIT benchmark data"]["flag"] == ""


@pytest.mark.parametrize("key", ["lait", "ofsted_mi", "school_performance", "concerns_log"])
def test_manifest_records_are_json_dates(key):
    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    record = {r["key"]: r for r in freshness.records(Inputs(params))}[key]
    assert set(record) == set(freshness.COLUMNS)
    assert isinstance(record["as_at"], str) and isinstance(record["newer_may_exist"], bool)
