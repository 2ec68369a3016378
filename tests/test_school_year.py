"""The school year and its terms (``school_year``): the one place that knows 1 September, the terms and 1 April."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from leep_analysis import school_year
from leep_analysis.config import PACKAGE_DIR


@pytest.mark.parametrize(("day", "first", "start"), [
    (dt.date(2025, 8, 31), 2024, dt.date(2024, 9, 1)),
    (dt.date(2025, 9, 1), 2025, dt.date(2025, 9, 1)),
    (dt.date(2026, 3, 31), 2025, dt.date(2025, 9, 1)),
])
def test_the_academic_year_starts_on_1_september(day, first, start):
    assert school_year.start_year(day) == first and school_year.end_year(day) == first + 1
    assert school_year.year_start(day) == start
    assert school_year.year_bounds(first) == (start, dt.date(first + 1, 8, 31))


def test_labels_and_periods():
    assert school_year.year_label(2025) == "2024/25"
    assert school_year.year_label(2000) == "1999/00"
    assert school_year.parse_period("2025-26-spring") == (2025, "spring")
    assert school_year.period_id(2099, "summer") == "2099-00-summer"
    assert school_year.period_label("2025-26-autumn") == "Autumn term 2025/26"
    assert school_year.period_bounds("2014-15-summer") == (dt.date(2014, 9, 1), dt.date(2015, 8, 31))
    with pytest.raises(ValueError, match="not a period id"):
        school_year.parse_period("2025-26-winter")


@pytest.mark.parametrize(("period", "as_at", "previous", "before"), [
    ("2025-26-autumn", dt.date(2025, 12, 31), dt.date(2025, 8, 31), "2024-25-summer"),
    ("2025-26-spring", dt.date(2026, 3, 31), dt.date(2025, 12, 31), "2025-26-autumn"),
    ("2025-26-summer", dt.date(2026, 7, 31), dt.date(2026, 3, 31), "2025-26-spring"),
    ("2099-00-autumn", dt.date(2099, 12, 31), dt.date(2099, 8, 31), "2098-99-summer"),
])
def test_terms(period, as_at, previous, before):
    assert school_year.term_end(period) == as_at
    assert school_year.previous_term_end(period) == previous
    assert school_year.period_before(period) == before


def test_financial_year_runs_from_1_april():
    assert school_year.financial_year_of(dt.date(2025, 3, 31)) == "2024-25"
    assert school_year.financial_year_of(dt.date(2025, 4, 1)) == "2025-26"
    assert school_year.financial_year_bounds("2025-26") == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


@pytest.mark.parametrize(("names", "year"), [
    (["2024-2025_england_census.csv"], 2025),
    (["england_census.csv", "perf_tables_2018_19"], 2019),
    (["2019-08-31_ks2final"], 2019),  # the sample's names: the academic year holding that day
    (["2019-09-01_ks2final"], 2020),
    (["results 2017-18"], 2018),
    (["2019-08"], None),  # a year and a month, not a range
    (["england_census.csv", "."], None),
])
def test_the_academic_year_a_name_holds(names, year):
    assert school_year.end_year_in_names(names) == year


def test_no_other_module_works_out_the_school_year():
    # the rules written out anywhere else would drift from these (a 1 September, a term's dates)
    found = subprocess.run(["grep", "-rnE", r"month (>=|<|<=) ?(9|8|4)\b|\"autumn\": \(|compile\(.*autumn",
                            str(PACKAGE_DIR), "--include=*.py"], capture_output=True, text=True).stdout
    others = [line for line in found.splitlines() if not re.search(r"/school_year\.py:", line)]
    assert others == []
