"""The school year and its terms: every date rule of the academic and the financial year, in one place.

The academic year runs from 1 September to 31 August and is named by the years it spans
(``2025/26``; "the year ending in summer 2026" has end year 2026). A reporting period is
one term of it, named ``2025-26-autumn``: ``autumn``, ``spring`` or ``summer``. Councils'
financial years run from 1 April to 31 March (``2025-26``). Nothing else in the package
works out a 1 September, a term's end or a period id: it asks this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

#: The month the academic year starts in (1 September).
FIRST_MONTH = 9
#: The month the financial year starts in (1 April).
FINANCIAL_FIRST_MONTH = 4
#: The terms of the academic year, in order.
TERMS = ("autumn", "spring", "summer")
#: A period id: the academic year's first and last years (two digits) and the term.
PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(autumn|spring|summer)$")

#: Each term's usual as-at date, which ``leep new-period`` fills in: (years after the academic year's start, month, day).
TERM_END = {"autumn": (0, 12, 31), "spring": (1, 3, 31), "summer": (1, 7, 31)}
#: The usual as-at date of the report before a term's (the default ``previous_as_at``): the autumn report
#: looks back to the end of the last academic year, the others to the end of the term before.
PREVIOUS_TERM_END = {"autumn": (0, 8, 31), "spring": (0, 12, 31), "summer": (1, 3, 31)}

#: A year range in a file or folder name: ``2018-2019``, ``2018_19``, ``2018-19``, ``2018 19``.
_YEARS_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_ ]?(\d{4}|\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


# ------------------------------------------------------------------------ the academic year
def start_year(when: dt.date) -> int:
    """The calendar year in which the academic year holding ``when`` began (1 September)."""
    return when.year if when.month >= FIRST_MONTH else when.year - 1


def end_year(when: dt.date) -> int:
    """The calendar year in which the academic year holding ``when`` ends: its summer."""
    return start_year(when) + 1


def year_start(when: dt.date) -> dt.date:
    """1 September on or before ``when``: the first day of its academic year."""
    return dt.date(start_year(when), FIRST_MONTH, 1)


def year_bounds(first_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the academic year starting in ``first_year``: 1 September, 31 August."""
    return dt.date(first_year, FIRST_MONTH, 1), dt.date(first_year + 1, FIRST_MONTH, 1) - dt.timedelta(days=1)


def year_label(last_year: int) -> str:
    """The academic year ending in summer ``last_year`` as a report writes it: 2025 -> ``2024/25``."""
    return f"{last_year - 1}/{last_year % 100:02d}"


def end_year_in_names(names: Iterable[str]) -> int | None:
    """The end year of the academic year the first of ``names`` to give one names, or None.

    Each name (a file name, then its folders' names, nearest first) is read as a leading ISO
    date (``2019-08-31_ks2final.csv``: the academic year holding that day) or a year range
    (``2018-2019``, ``2018_19``, ``2018-19``: 2019); a range whose years do not follow on
    (``2019-08``) is not one.
    """
    for name in names:
        iso = _ISO_DATE.match(name)
        if iso:
            try:
                return end_year(dt.date.fromisoformat(iso.group(1)))
            except ValueError:
                pass
        for first, second in _YEARS_IN_NAME.findall(name):
            start = int(first)
            last = int(second) if len(second) == 4 else start // 100 * 100 + int(second)
            if last == start + 1:
                return last
    return None


# ------------------------------------------------------------------------ periods (terms)
def parse_period(period: str) -> tuple[int, str]:
    """``2025-26-autumn`` -> (2025, ``autumn``).

    Raises
    ------
    ValueError
        Not a period id (the years are not checked to follow on: ``params`` says so in its own words).
    """
    match = PERIOD_PATTERN.match(period)
    if not match:
        raise ValueError(f"'{period}' is not a period id such as 2025-26-autumn")
    return int(match.group(1)), match.group(3)


def period_id(first_year: int, term: str) -> str:
    """(2025, ``autumn``) -> ``2025-26-autumn``."""
    return f"{first_year}-{(first_year + 1) % 100:02d}-{term}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period's academic year (an as-at date must fall between them)."""
    return year_bounds(parse_period(period)[0])


def period_year_start(period: str) -> dt.date:
    """1 September of a period's academic year."""
    return period_bounds(period)[0]


def period_label(period: str) -> str:
    """``2025-26-autumn`` -> ``Autumn term 2025/26``."""
    first, term = parse_period(period)
    return f"{term.capitalize()} term {year_label(first + 1)}"


def _on(first_year: int, offset_month_day: tuple[int, int, int]) -> dt.date:
    offset, month, day = offset_month_day
    return dt.date(first_year + offset, month, day)


def term_end(period: str) -> dt.date:
    """A term's usual as-at date (``TERM_END``): 31 December, 31 March or 31 July."""
    first, term = parse_period(period)
    return _on(first, TERM_END[term])


def previous_term_end(period: str) -> dt.date:
    """The usual as-at date of the report before this period's (``PREVIOUS_TERM_END``)."""
    first, term = parse_period(period)
    return _on(first, PREVIOUS_TERM_END[term])


def period_before(period: str) -> str:
    """The period id of the term before: ``2025-26-spring`` -> ``2025-26-autumn``, autumn -> last summer."""
    first, term = parse_period(period)
    index = TERMS.index(term)
    return period_id(first - (index == 0), TERMS[index - 1])


# ------------------------------------------------------------------------ the financial year
def financial_year_of(when: dt.date) -> str:
    """The financial year (April to March) a date falls in: 31 May 2025 -> ``2025-26``."""
    start = when.year if when.month >= FINANCIAL_FIRST_MONTH else when.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_bounds(financial_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year: ``2025-26`` -> 1 April 2025, 31 March 2026."""
    start = int(financial_year[:4])
    return dt.date(start, FINANCIAL_FIRST_MONTH, 1), dt.date(start + 1, FINANCIAL_FIRST_MONTH, 1) - dt.timedelta(days=1)
