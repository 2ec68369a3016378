"""Tables as readers expect them, and as other tools read them.

Every table shown in a report is also written as ``tables/<section>__<name>.csv``
(raw values, documented column names) and collected into ``tables.xlsx``. On
the page numbers are formatted for people: 63%, 46.2, -0.10, £12,400, with
missing values shown as an en dash and numbers right-aligned.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

MISSING = "–"

Formatter = Callable[[object], str]


def _number(value: object, decimals: int, *, suffix: str = "", prefix: str = "", sign: bool = False) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, str):
        return html.escape(value)
    number = float(value)  # type: ignore[arg-type]
    text = f"{abs(number):,.{decimals}f}"
    if number < 0 and float(text.replace(",", "")) != 0:
        text = "-" + text
    elif sign and number > 0 and float(text.replace(",", "")) != 0:
        text = "+" + text
    return f"{prefix}{text}{suffix}" if not text.startswith("-") else f"-{prefix}{text[1:]}{suffix}"


def _date(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return MISSING
    if isinstance(value, pd.Period):  # a date a committee pack gives to the month (disclosure.coarsen_dates)
        return value.strftime("%b %Y")
    when = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{when.day} {when.strftime('%b %Y')}"


#: A RAG rating's shape, so that it reads without its colour: circle, triangle, square.
RAG_SHAPES = {"green": "●", "amber": "▲", "red": "■"}
#: A trend's arrow and whether it is good news (colour by polarity: the word says better or worse, not up or down).
TREND_ARROWS = {"improving": ("▲", "better"), "stable": ("▶", "same"), "declining": ("▼", "worse")}


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _rag(value: object) -> str:
    """A RAG rating as a coloured badge with its shape and word ("not rated" and the like as plain text)."""
    if _is_missing(value):
        return MISSING
    word = str(value).strip().lower()
    if word not in RAG_SHAPES:
        return html.escape(str(value).capitalize())
    return (f'<span class="leep-rag leep-rag-{word}"><span class="leep-rag-shape" aria-hidden="true">'
            f"{RAG_SHAPES[word]}</span> {word.capitalize()}</span>")


def _trend(value: object) -> str:
    """A trend (or several, '; '-separated) as an arrow and its word, coloured green when better, red when worse."""
    if _is_missing(value):
        return MISSING
    parts = []
    for part in str(value).split("; "):
        arrow = TREND_ARROWS.get(part.strip().lower())
        parts.append(html.escape(part) if arrow is None else
                     f'<span class="leep-trend leep-trend-{arrow[1]}"><span aria-hidden="true">{arrow[0]}</span> '
                     f"{html.escape(part)}</span>")
    return "; ".join(parts)


#: A tile's comparison with England: arrow, words and colour (green better, red worse), so it reads without colour.
VERSUS = {"better": ("▲", "Better than England"), "worse": ("▼", "Worse than England"),
          "in_line": ("●", "In line with England")}


def versus_html(versus: str) -> str:
    """A tile's line saying whether the LA is better or worse than England ("" where it is not compared)."""
    if versus not in VERSUS:
        return ""
    arrow, words = VERSUS[versus]
    css = {"better": "better", "worse": "worse", "in_line": "same"}[versus]
    return (f'<span class="leep-tile-versus leep-trend-{css}"><span aria-hidden="true">{arrow}</span> '
            f"{words}</span>")


#: Named formats for ``show``: percentage, count, decimal, signed, money, date, text, RAG badge, trend arrow.
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
    "text": lambda v: MISSING if _is_missing(v) else html.escape(str(v)),
    "rag": _rag,
    "trend": _trend,
}
NUMERIC = {k for k in FORMATS if k not in ("date", "text", "rag", "trend")}


def decimals_format(decimals: int | None, *, signed: bool = False) -> str:
    """The named format for a measure published to ``decimals`` places (None: whole numbers)."""
    places = 0 if decimals is None or pd.isna(decimals) else int(decimals)
    return f"{'signed' if signed else 'num'}{min(places, 2)}" if (signed or places) else ("signed0" if signed else "int")


def column_formats(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each column's named format: the one given, else text for text columns, ``num1`` for decimals, ``int`` for counts."""
    kinds = {}
    for column in frame.columns:
        kind = (formats or {}).get(column)
        if kind is None:
            kind = "num1" if pd.api.types.is_float_dtype(frame[column]) else (
                "int" if pd.api.types.is_integer_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]) else "text")
        kinds[column] = kind
    return kinds


def _label_column(frame: pd.DataFrame, candidates: list[str]) -> str | None:
    """The column naming each row, given the room to keep to two lines: of the first two text columns, the longer.

    (A short code or grouping, such as an indicator letter or a phase, may come before the name.)
    """
    longest = {c: frame[c].astype(str).str.len().max() if len(frame) else 0 for c in candidates}
    return max(candidates, key=lambda c: longest[c]) if candidates else None


def table_html(
    frame: pd.DataFrame,
    *,
    table_id: str,
    number: int,
    caption: str,
    formats: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    notes: str | None = None,
) -> str:
    """A table as accessible HTML: numbered caption, header row, formatted cells.

    ``formats`` maps column -> a name in ``FORMATS`` (default: text for text
    columns, ``num1`` for numbers); ``labels`` maps column -> header text.
    All text is escaped, so a school name holding HTML shows as text.
    """
    labels = dict(labels or {})
    columns = list(frame.columns)
    kinds = column_formats(frame, formats)
    label = _label_column(frame, [c for c in columns[:2] if kinds[c] not in NUMERIC])
    css = {c: "num" if kinds[c] in NUMERIC else ("text label" if c == label else "text") for c in columns}
    head = "".join(f'<th scope="col" class="{css[c]}">{html.escape(labels.get(c, c))}</th>' for c in columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(columns, row, strict=True):
            cells.append(f'<td class="{css[column]}">{FORMATS[kinds[column]](value)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="leep-table-note">{html.escape(notes)}</p>' if notes else ""
    empty = f'<tr><td colspan="{len(columns)}" class="text">No rows.</td></tr>' if not body else ""
    return (
        # a wide table scrolls: the region takes keyboard focus so it can be scrolled without a mouse
        f'<div class="leep-table-wrap" tabindex="0" role="region" aria-label="Table {number}">'
        f'<table class="leep-table" id="table-{html.escape(table_id)}">'
        f"<caption><strong>Table {number}:</strong> {html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}{empty}</tbody></table>{note}</div>"
    )


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
    """The text ``escape_formula`` was given (the workbook writes text cells as text already)."""
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
    """Write a table's raw values as UTF-8 CSV, the same bytes for the same frame: rounded (``round_for_csv``), text never a formula (``escape_formula``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = round_for_csv(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object and any(isinstance(v, dt.date) for v in out[column]):
            out[column] = out[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    out.to_csv(path, index=False, lineterminator="\n")
