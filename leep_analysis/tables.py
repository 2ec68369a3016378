"""Tables as readers expect them, and as other tools read them.

Every table shown in a report is also written as ``tables/<section>__<name>.csv``
(raw values, documented column names) and collected into ``tables.xlsx``. On
the page numbers are formatted for people: 63%, 46.2, -0.10, £12,400, with
missing values shown as an en dash and numbers right-aligned.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import math
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
    when = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{when.day} {when.strftime('%b %Y')}"


#: Named formats for ``show``: percentage, count, decimal, signed, money, date, text.
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
    "text": lambda v: MISSING if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else html.escape(str(v)),
}
NUMERIC = {k for k in FORMATS if k not in ("date", "text")}


def decimals_format(decimals: int | None, *, signed: bool = False) -> str:
    """The named format for a measure published to ``decimals`` places (None: whole numbers)."""
    places = 0 if decimals is None or pd.isna(decimals) else int(decimals)
    return f"{'signed' if signed else 'num'}{min(places, 2)}" if (signed or places) else ("signed0" if signed else "int")


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
    formats = dict(formats or {})
    labels = dict(labels or {})
    columns = list(frame.columns)
    kinds = {}
    for column in columns:
        kind = formats.get(column)
        if kind is None:
            kind = "num1" if pd.api.types.is_float_dtype(frame[column]) else (
                "int" if pd.api.types.is_integer_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]) else "text")
        kinds[column] = kind
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


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table's raw values as UTF-8 CSV, the same bytes for the same frame."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object and any(isinstance(v, dt.date) for v in out[column]):
            out[column] = out[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    out.to_csv(path, index=False, lineterminator="\n")


def _sheet_name(stem: str, used: set[str]) -> str:
    section, _, table = stem.partition("__")
    base = f"{section[:4]}_{table}"[:31]
    name, i = base, 2
    while name.lower() in used:
        suffix = f"~{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def write_workbook(tables_dir: Path, dest: Path, captions: Mapping[str, str], *, created: dt.date) -> None:
    """Collect every CSV of a pack into one workbook: a contents sheet, then a sheet per table."""
    import xlsxwriter

    csvs = sorted(tables_dir.glob("*.csv"))
    book = xlsxwriter.Workbook(str(dest))
    book.set_properties({"title": "Report pack tables", "created": dt.datetime.combine(created, dt.time())})
    bold = book.add_format({"bold": True})
    contents = book.add_worksheet("Contents")
    contents.write_row(0, 0, ["Sheet", "CSV file", "Caption"], bold)
    used = {"contents"}
    for i, path in enumerate(csvs, start=1):
        name = _sheet_name(path.stem, used)
        contents.write_row(i, 0, [name, path.name, captions.get(path.stem, "")])
        with open(path, encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                try:
                    number = float(value)
                    if math.isfinite(number) and value.strip() != "":
                        sheet.write_number(r, c, number)
                        continue
                except ValueError:
                    pass
                sheet.write_string(r, c, value)
    contents.set_column(0, 0, 32)
    contents.set_column(1, 1, 44)
    contents.set_column(2, 2, 80)
    book.close()
