"""How fresh each input is: its as-at date, the latest data it holds, and when its next release is due.

Shown on the pack's index page and recorded in ``manifest.json``. Release
schedules are configuration (each input's ``freshness`` in ``config/inputs.yaml``):
LAIT's come from its data dictionary (``Last Update`` and ``Next Update`` of each measure), Ofsted's
management information is monthly, DfE's school-level releases are annual on
their published calendar, the LA's own registers are as at the pack's date. A
source whose next release was due on or before the pack's ``as_at`` is flagged:
a newer release may be available. Nothing here postdates ``as_at`` except the
next-due date, which is a schedule, not data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from .inputs import published_path
from .releases import _phase_of
from .school_year import end_year_in_names, year_label
from .wording import long_date

if TYPE_CHECKING:
    from .inputs import Inputs, InputSpec

#: Columns of ``table``: one row per input of the pack.
COLUMNS = ["key", "title", "as_at", "latest_data", "next_due", "schedule", "newer_may_exist"]
#: What the index says of a source whose next release was due by the pack's date.
NEWER = "a newer release may be available"


def year_in_name(name: str) -> int | None:
    """The end year of the academic year a published path holds, in its file name or else its folders'
    (``2024-2025_england_census.csv`` -> 2025, ``perf_tables_2018_19/england_census.csv`` -> 2019)."""
    path = PurePosixPath(name)
    return end_year_in_names([path.name, *(p.name for p in path.parents)])


def next_monthly(snapshot: dt.date, lag_days: int) -> dt.date:
    """When the snapshot after ``snapshot`` is due: the end of the next month, plus the publication lag."""
    year, month = (snapshot.year + 1, 1) if snapshot.month == 12 else (snapshot.year, snapshot.month + 1)
    return dt.date(year, month, calendar.monthrange(year, month)[1]) + dt.timedelta(days=lag_days)


def next_annual(end_year: int, at: Iterable[int]) -> dt.date:
    """When the release after the data of the year ending ``end_year`` is due (``at``: [years after, month, day])."""
    offset, month, day = at
    return dt.date(end_year + 1 + offset, month, day)


def lait_release(dictionary: pd.DataFrame, codes: Iterable[str], as_at: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """LAIT's as-at date and next-due date for the pack's measures, from the data dictionary.

    As at: the latest ``Last Update`` of those measures on or before ``as_at``;
    next due: the earliest ``Last Update`` or ``Next Update`` after that date
    (a release after ``as_at`` the pack cannot show counts as due). Both are
    None where the dictionary gives no date on or before ``as_at``: a later
    edition's schedule (a 2015 pack read with today's dictionary) says nothing
    of what was due then, and would show a date after the pack's.
    """
    rows = dictionary[dictionary["indicator"].isin(list(codes))]
    when = pd.Timestamp(as_at)
    last = rows["last_update"].dropna()
    known = last[last.le(when)]
    if known.empty:
        return None, None
    source = known.max().date()
    after = pd.Timestamp(source)
    dates = pd.concat([rows["last_update"], rows["next_update"]]).dropna()
    later = dates[dates.gt(after)]
    return source, later.min().date() if not later.empty else None


def _latest_rows(frame: pd.DataFrame, column: str, as_at: dt.date) -> dt.date | None:
    when = pd.to_datetime(frame[column], errors="coerce")
    when = when[when.le(pd.Timestamp(as_at))]
    return when.max().date() if not when.empty else None


def source_row(inputs: Inputs, spec: InputSpec) -> dict[str, Any]:
    """One input's freshness (``COLUMNS``); dates as ``datetime.date`` or None, latest data as text."""
    rules = spec.freshness
    as_at = inputs.params.as_at
    files = inputs.files(spec.key)
    dated = [f.as_at for f in files if f.as_at is not None]
    source: dt.date | None = max(dated) if dated else None
    latest: str = ""
    due: dt.date | None = None
    schedule = rules.schedule
    if schedule == "dictionary":
        codes = _phase_of()
        source, due = lait_release(inputs.get("lait_dictionary"), codes, as_at)
        if spec.key == "lait":
            lait = inputs.get("lait")
            rows = lait[lait["indicator"].isin(list(codes)) & lait["year"].notna()]
            if not rows.empty:
                latest = f"figures to {rows.loc[rows['year'].idxmax(), 'year_label']}"
    elif schedule == "monthly" and source is not None:
        frame = inputs.get(spec.key)
        newest = frame[pd.to_datetime(frame["as_at"]).eq(pd.Timestamp(source))] if "as_at" in frame else frame
        found = _latest_rows(newest, spec.row_date, as_at) if spec.row_date else None
        latest = f"inspections to {long_date(found)}" if found else ""
        due = next_monthly(source, int(rules.lag_days))  # type: ignore[arg-type]  # required (registry)
    elif schedule == "annual":
        years = [f.as_at.year for f in files if f.as_at is not None] or \
                [y for f in files if (y := year_in_name(published_path(f.path, inputs))) is not None]
        if years:
            latest = year_label(max(years))
            due = next_annual(max(years), rules.at)  # type: ignore[arg-type]  # required (registry)
    elif schedule == "daily":  # due the day after a dated file; the sample's and most downloads carry no date
        due = source + dt.timedelta(days=1) if source is not None else None
        found = _latest_rows(inputs.get(spec.key), spec.row_date, as_at) if spec.row_date else None
        latest = f"latest opening {long_date(found)}" if found else ""
    elif schedule == "la":
        source = as_at
        column = spec.row_date
        frame = inputs.get(spec.key)
        found = _latest_rows(frame, column, as_at) if column and isinstance(frame, pd.DataFrame) and column in frame \
            else None
        # an LA register's latest entry is the day a school entered it (a category, support, a payment): a
        # committee pack, a public paper, gives its month only
        when = (found.strftime("%B %Y") if inputs.params.for_committee else long_date(found)) if found else ""
        latest = f"latest entry {when}" if found else ""
    elif schedule == "period":
        source = as_at
    return {"key": spec.key, "title": spec.title, "as_at": source, "latest_data": latest, "next_due": due,
            "schedule": rules.note, "newer_may_exist": due is not None and due <= as_at}


def table(inputs: Inputs) -> pd.DataFrame:
    """Every input of the pack's sections, one row each (``COLUMNS``), in registry order; an optional input
    the pack was given no file of (the narrative's images) has none."""
    return pd.DataFrame([source_row(inputs, spec) for spec in inputs.needed()
                         if not (spec.optional and not inputs.files(spec.key))], columns=COLUMNS)


def records(inputs: Inputs) -> list[dict[str, Any]]:
    """``table`` as JSON-ready rows for ``manifest.json`` (ISO dates, null where not known)."""
    out = []
    for row in table(inputs).to_dict("records"):
        out.append({**row, **{k: row[k].isoformat() if row[k] else None for k in ("as_at", "next_due")},
                    "newer_may_exist": bool(row["newer_may_exist"])})
    return out


def index_rows(inputs: Inputs) -> list[dict[str, str]]:
    """``table`` as the index page shows it: dates in words, ``–`` where not known."""
    def day(value: dt.date | None) -> str:
        return long_date(value) if value else "–"

    return [{"title": r["title"], "as_at": day(r["as_at"]), "latest_data": r["latest_data"] or "–",
             "next_due": day(r["next_due"]), "schedule": r["schedule"], "flag": NEWER if r["newer_may_exist"] else ""}
            for r in table(inputs).to_dict("records")]
