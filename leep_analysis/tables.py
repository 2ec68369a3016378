"""Tables as readers expect them, and as other tools read them.

A table leaves its section as a ``content.Table``: typed values and a spec per
column. Here are the two plain forms of its cells: the text a person reads
(``cell_text``: 63%, 46.2, -0.10, £12,400, "12 of 153", a code's label; a
missing value as an en dash, a withheld one as ``c``) and the CSV a program
reads (``write_table``: raw values, codes as codes, withheld cells as ``c``,
never a formula). The page (``render.html``), the workbook (``render.workbook``)
and the PDF (``render.pdf``) take their text from ``cell_text``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .content import Column, Table

MISSING = "–"
#: DfE's marker of a figure withheld so that no school or pupil can be picked out.
SUPPRESSED = "c"

Formatter = Callable[[object], str]


def is_missing(value: object) -> bool:
    """None, NA, NaN and NaT: no figure."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, str | decimal.Decimal) else False
    except (TypeError, ValueError):
        return False


def _number(value: object, decimals: int, *, suffix: str = "", prefix: str = "", sign: bool = False) -> str:
    """A figure to ``decimals`` places with thousands separators: ``-£1,200``, ``+3.5``, ``63%`` (never ``-0``)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    text = f"{abs(number):,.{decimals}f}"
    zero = float(text.replace(",", "")) == 0
    mark = "-" if number < 0 and not zero else ("+" if sign and number > 0 and not zero else "")
    return f"{mark}{prefix}{text}{suffix}"


def _date(value: object) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, pd.Period):  # a date a committee pack gives to the month (disclosure.coarsen_dates)
        return value.strftime("%b %Y")
    when = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{when.day} {when.strftime('%b %Y')}"


def _month(value: object) -> str:
    if is_missing(value):
        return MISSING
    return (value if isinstance(value, pd.Period) else pd.Timestamp(value)).strftime("%b %Y")  # type: ignore[arg-type]


#: A RAG rating's shape, so that it reads without its colour: circle, triangle, square.
RAG_SHAPES = {"green": "●", "amber": "▲", "red": "■"}
#: A trend's arrow and whether it is good news (colour by polarity: the word says better or worse, not up or down).
TREND_ARROWS = {"improving": ("▲", "better"), "stable": ("▶", "same"), "declining": ("▼", "worse"),
                "narrowing": ("▲", "better"), "widening": ("▼", "worse")}  # a gap narrows or widens
#: A tile's comparison with England: arrow and words (green better, red worse), so it reads without colour.
VERSUS = {"better": ("▲", "Better than England"), "worse": ("▼", "Worse than England"),
          "in_line": ("●", "In line with England")}

#: Plain-text formats for words and sentences: a percentage, a count, a decimal, a change, money, a date.
FORMATS: dict[str, Formatter] = {
    "pct0": lambda v: _number(v, 0, suffix="%"),
    "pct1": lambda v: _number(v, 1, suffix="%"),
    "int": lambda v: _number(v, 0),
    "num1": lambda v: _number(v, 1),
    "num2": lambda v: _number(v, 2),
    "signed0": lambda v: _number(v, 0, sign=True),
    "signed1": lambda v: _number(v, 1, sign=True),
    "signed2": lambda v: _number(v, 2, sign=True),
    "gbp": lambda v: _number(v, 0, prefix="£"),
    "gbp2": lambda v: _number(v, 2, prefix="£"),
    "date": _date,
}


def _rag_word(value: object) -> str:
    return str(value).strip().capitalize()


def measure_parts(column: Column, row: Mapping[str, Any] | None) -> tuple[str, int]:
    """A ``measure`` cell's unit and decimals, from the columns of its row its spec names."""
    row = {} if row is None else row
    unit = str(row.get(column.unit_from, "")) if column.unit_from else ""
    raw = row.get(column.decimals_from) if column.decimals_from else column.decimals
    decimals = 0 if raw is None or is_missing(raw) else int(raw)  # type: ignore[arg-type]
    if column.decimals is not None and column.kind == "measure" and column.decimals_from is None:
        decimals = column.decimals
    return unit, max(decimals, column.min_decimals or 0)


def cell_text(value: object, column: Column, row: Mapping[str, Any] | None = None, *,
              suppressed: bool = False) -> str:
    """A cell as a person reads it (plain text): by its column's kind, decimals and sign.

    ``row`` holds the other cells of its row (a ``measure``'s unit and decimals, a
    rank's "of", a note); a withheld cell is ``c``, a missing one an en dash (or
    the column's own word for it, such as "ongoing").
    """
    if suppressed:
        return SUPPRESSED
    if is_missing(value) or (isinstance(value, str) and not value):
        return column.missing if column.missing is not None else MISSING
    kind, places = column.kind, column.decimals or 0
    if kind == "text":
        out = str(value)
    elif kind == "code":
        out = column.label_of(value, row)
    elif kind in ("count", "rank"):
        out = _number(value, 0, sign=column.signed)
        if kind == "rank" and column.of and row is not None and not is_missing(row.get(column.of)):
            out = f"{out} of {_number(row[column.of], 0)}"
    elif kind == "number":
        out = _number(value, max(places, column.min_decimals or 0), sign=column.signed)
    elif kind == "percent":
        out = _number(value, places, suffix="%" if not column.signed else "", sign=column.signed)
    elif kind == "money":
        out = _number(value, places, prefix="£", sign=column.signed)
    elif kind == "measure":
        unit, decimals = measure_parts(column, row)
        out = _number(value, decimals, suffix="%" if unit == "percent" and not column.signed else "",
                      sign=column.signed)
    elif kind == "date":
        out = _date(value)
    elif kind == "month":
        out = _month(value)
    elif kind == "year":
        out = str(int(value)) if not isinstance(value, str) else value  # type: ignore[call-overload]
    elif kind == "rag":
        out = _rag_word(value)
    else:  # trend
        out = str(value)
    if column.note_from and row is not None:
        note = row.get(column.note_from)
        if isinstance(note, str) and note:
            out = f"{out} ({note})"
    return out


def label_column(table: Table) -> str | None:
    """The column naming each row, given room to keep to two lines: of the first two text columns, the longer.

    (A short code or grouping, such as an indicator letter or a phase, may come before the name.)
    """
    candidates = [c for c in table.visible[:2] if table.columns[c].kind in ("text", "code", "month")]
    if not candidates:
        return None
    frame = table.frame

    def longest(c: str) -> int:
        if not len(frame):
            return 0
        return int(max(len(cell_text(v, table.columns[c])) for v in frame[c]))

    return max(candidates, key=longest)


def rows(table: Table) -> list[dict[str, Any]]:
    """The frame's rows as dicts (what ``cell_text`` is given as ``row``)."""
    return table.frame.to_dict("records")


def shown_cells(table: Table) -> list[list[str]]:
    """Every shown cell's text, row by row, in the order of ``Table.visible``."""
    out = []
    for position, row in enumerate(rows(table)):
        out.append([cell_text(row[c], table.columns[c], row, suppressed=(position, c) in table.suppressed)
                    for c in table.visible])
    return out


# ----------------------------------------------------------------------------------------------- CSV
#: What a spreadsheet program reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_formula(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe so it shows as text.

    Input text (a school or payee name such as ``=HYPERLINK(...)``) reaches the CSVs; Excel
    runs a cell starting ``=``, ``+``, ``-``, ``@``, tab or carriage return when the file is
    opened. Numbers, and text that is a plain number (``-0.10``), are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The text ``escape_formula`` was given."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


#: Decimal places a computed figure (a ratio, a mean) keeps in a CSV: one more than any table shows.
CSV_COMPUTED_PLACES = 3
#: Places tried for a figure with an exact decimal value, and how close "exact" is.
_EXACT_PLACES, _EXACT_TOLERANCE = 6, 1e-9


def round_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Each decimal column rounded to the precision its figures have, so a CSV holds no float noise.

    A column whose values are all exact to a few places (61.0, -0.2 stored as
    -0.20000000000000084) keeps the fewest places that hold every value exactly;
    a computed column (14.814814814814815) keeps ``CSV_COMPUTED_PLACES``.
    """
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_float_dtype(out[column]):
            continue
        values = out[column].dropna()
        places = next((p for p in range(_EXACT_PLACES + 1)
                       if ((values - values.round(p)).abs() < _EXACT_TOLERANCE).all()), CSV_COMPUTED_PLACES)
        out[column] = out[column].round(places) + 0.0  # + 0.0: no "-0.0"
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame's raw values as UTF-8 CSV, the same bytes for the same frame: rounded (``round_for_csv``),
    dates as ISO dates, months as ``YYYY-MM``, text never a formula (``escape_formula``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = round_for_csv(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(out[column].dtype, pd.PeriodDtype):
            out[column] = out[column].dt.strftime("%Y-%m")
        elif out[column].dtype == object and any(isinstance(v, dt.date | pd.Period) for v in out[column]):
            out[column] = out[column].map(lambda v: v.strftime("%Y-%m") if isinstance(v, pd.Period)
                                          else v.isoformat()[:10] if isinstance(v, dt.date) else v)
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    out.to_csv(path, index=False, lineterminator="\n")


def csv_frame(table: Table) -> pd.DataFrame:
    """The frame a table's CSV holds: its raw values, whole numbers as whole numbers, withheld cells ``c``."""
    out = table.written.copy()
    for column in out.columns:
        spec = table.columns[column]
        if spec.kind in ("count", "rank", "year") and pd.api.types.is_float_dtype(out[column]):
            whole = out[column].dropna()
            if ((whole - whole.round()).abs() < 1e-9).all():
                out[column] = out[column].astype("Int64")
    withheld = table.written_suppressed
    if withheld:
        out = out.astype({c: object for _, c in withheld})
        for position, column in withheld:
            out.iat[position, out.columns.get_loc(column)] = SUPPRESSED
    return out


def write_table(table: Table, path: Path) -> None:
    """Write a table's CSV (``csv_frame``)."""
    write_csv(csv_frame(table), path)
