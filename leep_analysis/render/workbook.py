"""``tables.xlsx`` in the government's accessible-spreadsheet style, and the pack's data dictionary.

gptables implements the Analysis Function's guidance on releasing statistics
in spreadsheets: a cover sheet, a contents sheet, one table per sheet (a
marked-up Excel table with a title and a source note), no merged cells or
gridlines. Each sheet is made from a table's block (``content.Table``): its
headings are the column specs' labels, numbers are stored as numbers with the
format their spec gives (counts whole, percentages with their decimals, money in
pounds, ranks whole), codes are shown as their labels, a cell with no figure is
``[x]`` and a withheld one ``[c]`` (the Analysis Function's shorthands, explained
on the sheets that hold them).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import registry
from ..config import load_config
from ..content import Column, Table
from ..published import DICTIONARY_NAME
from ..tables import is_missing, measure_parts

#: The Analysis Function's shorthands: a cell with no figure, and one withheld so that no one can be identified.
NO_FIGURE, WITHHELD = "[x]", "[c]"
NO_ROWS = "No rows in this period."
#: Excel keeps at most this many characters in a cell.
CELL_LIMIT = 32_767
CUT = " [cut: the full text is in the CSV]"
#: What each kind means, in the data dictionary.
KIND_WORDS = {
    "text": "text", "code": "text (a code's label; the CSV holds the code)", "count": "count",
    "number": "number", "percent": "percentage (0 to 100)", "money": "pounds", "rank": "rank (1 best)",
    "date": "date (YYYY-MM-DD in the CSV)", "month": "month (YYYY-MM in the CSV)", "year": "year",
    "rag": "red, amber or green", "trend": "improving, stable or declining", "measure": "number in its row's unit",
}


def number_format(kind: str, decimals: int, *, signed: bool = False, unit: str = "") -> str | None:
    """The Excel number format of a figure of ``kind`` (``measure``: in ``unit``) to ``decimals`` places."""
    places = "." + "0" * decimals if decimals > 0 else ""
    if kind == "measure":
        kind = "percent" if unit == "percent" else "number"
    if kind in ("count", "number"):
        body = f"#,##0{places}"
        return f"+{body};-{body};0{places}" if signed else body
    if kind == "percent":
        return f"+0{places};-0{places};0{places}" if signed else f'0{places}"%"'
    if kind == "money":
        return f'"£"#,##0{places}' if not signed else f'+"£"#,##0{places};-"£"#,##0{places};"£"0{places}'
    if kind in ("rank", "year"):
        return "0"
    if kind == "date":
        return "d mmm yyyy"
    if kind == "month":
        return "mmm yyyy"
    return None


def sheet_name(stem: str, used: set[str]) -> str:
    """A table's sheet: its CSV's name with one underscore (``achievement_age19``), unique, at most 31 characters."""
    base = stem.replace("__", "_")[:31]
    name, i = base, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def headings(table: Table) -> list[str]:
    """Each written column's heading: its spec's label, else ``config/columns.yaml``'s, else its name in words;
    unique and never blank (an Excel table needs a heading in every column, each different)."""
    known = load_config("columns")
    out: list[str] = []
    for column in table.written.columns:
        label = table.columns[column].label.strip()
        if not label or label in out:
            label = (known.get(column, {}) or {}).get("heading") or column.replace("_", " ").capitalize()
        n, base = 2, label
        while label in out:
            label, n = f"{base} ({n})", n + 1
        out.append(label)
    return out


def meaning(column: str, spec: Column, heading: str) -> str:
    """What a column means, for the data dictionary: the spec's words, else ``config/columns.yaml``'s, else its
    heading and kind."""
    known = (load_config("columns").get(column, {}) or {}).get("meaning")
    return spec.meaning or known or f"{heading}: {KIND_WORDS.get(spec.kind, 'text')}"


def _cell(value: Any, spec: Column, row: Mapping[str, Any]) -> tuple[Any, str | None]:
    """A cell's value as the workbook stores it, and its number format (None: the column's)."""
    if is_missing(value) or (isinstance(value, str) and not value):
        return (spec.missing if spec.missing is not None else NO_FIGURE), None
    kind = spec.kind
    if kind == "code":
        return spec.label_of(value, row), None
    if kind == "rag":
        return str(value).strip().capitalize(), None
    if kind in ("text", "trend"):
        text = str(value)
        if not any(c.isalnum() for c in text):  # gptables refuses a cell of symbols only: it carries no figure
            return NO_FIGURE, None
        return (text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - len(CUT)] + CUT), None
    if kind == "date":
        return (value.to_timestamp() if isinstance(value, pd.Period) else pd.Timestamp(value)).to_pydatetime(), None
    if kind == "month":
        return (value.to_timestamp() if isinstance(value, pd.Period) else pd.Timestamp(value)).to_pydatetime(), None
    if isinstance(value, str):  # a figure the input gave as words
        return value, None
    number = float(value) if isinstance(value, decimal.Decimal) else value
    if kind == "measure":
        unit, decimals = measure_parts(spec, row)
        return float(number), number_format("measure", decimals, signed=spec.signed, unit=unit)
    if kind in ("count", "rank", "year"):
        return int(round(float(number))), None
    return float(number), None


def _sheet(table: Table, section: str, cover: Mapping[str, str]) -> tuple[Any, list[dict[str, Any]]]:
    """One table's gptables sheet, and its rows of the data dictionary."""
    import gptables

    titles = {s: spec.title for s, spec in registry.SECTIONS.items()}
    frame = table.written
    names = headings(table)
    rows = frame.to_dict("records")
    withheld = table.written_suppressed
    out: list[list[Any]] = []
    cell_formats: list[dict[str, Any]] = []
    cut = False
    for position, row in enumerate(rows):
        values = []
        for col_position, column in enumerate(frame.columns):
            if (position, column) in withheld:
                values.append(WITHHELD)
                continue
            value, fmt = _cell(row[column], table.columns[column], row)
            cut = cut or (isinstance(value, str) and value.endswith(CUT))
            if fmt is not None:
                cell_formats.append({"cell": {"cells": [(position + 1, col_position)], "format": {"num_format": fmt}}})
            values.append(value)
        out.append(values)
    if out:
        sheet = pd.DataFrame(out, columns=names, dtype=object)
    else:  # an Excel table needs a row: say that there are none
        sheet, names = pd.DataFrame({"Note": [NO_ROWS]}), ["Note"]
    formats = []
    if out:
        for column, heading in zip(frame.columns, names, strict=True):
            spec = table.columns[column]
            fmt = number_format(spec.kind, spec.decimals or 0, signed=spec.signed) if spec.kind != "measure" else None
            if fmt is not None:
                formats.append({"column": {"columns": [heading], "format": {"num_format": fmt}}})
    marks = [f"{NO_FIGURE} marks a cell with no figure (not available or not applicable)."]
    if any(isinstance(v, str) and v == WITHHELD for r in out for v in r):
        marks.append(f"{WITHHELD} marks a figure withheld so that no school or pupil can be identified, "
                     "with the figures it could be worked out from.")
    if cut:
        marks.append(f"A text longer than Excel's {CELL_LIMIT:,} characters is cut here; the full text is in the CSV.")
    stem = f"{section}__{table.name}" if section else table.name
    gp = gptables.GPTable(
        table=sheet, table_name=re.sub(r"\W", "_", stem.replace("__", "_"))[:255], title=_short(table.caption or stem),
        subtitles=[f"Section: {titles.get(section, section)}. Also in tables/{stem}.csv." if section else
                   f"Every section. Also in tables/{stem}.csv."],
        source=_short(f"Source: figures as at {cover['as_at']}, {cover['la']}; the input files are listed in the "
                      "pack's manifest.json."),
        instructions="This worksheet contains one table. " + " ".join(marks),
        additional_formatting=formats + cell_formats)
    dictionary = [{"table": f"{stem}.csv", "column": column, "heading": heading,
                   "meaning": meaning(column, table.columns[column], heading), "kind": table.columns[column].kind,
                   "decimals": "" if table.columns[column].decimals is None else table.columns[column].decimals,
                   "shown_on_page": "yes" if table.shown and column in table.visible else "no",
                   "measure": _measure_of(table.columns[column])}
                  for column, heading in zip(frame.columns, headings(table), strict=True)]
    return gp, dictionary


def _measure_of(spec: Column) -> str:
    """Which fact of ``facts.csv`` each figure of a column is, for the data dictionary: ``measure=``, ``area=`` and
    ``period=`` each a value or ``@column`` (the row's column holding it), and ``when=column:value`` where only
    such rows are facts; blank for a column of no measure."""
    if not (spec.measure or spec.measure_from):
        return ""
    parts = [f"measure={spec.measure or '@' + str(spec.measure_from)}",
             f"area={spec.area or ('@' + spec.area_from if spec.area_from else 'la')}",
             f"period={spec.period or ('@' + spec.period_from if spec.period_from else '')}"]
    if spec.measure_when:
        parts.append(f"when={spec.measure_when[0]}:{spec.measure_when[1]}")
    return "; ".join(parts)


def _short(text: str) -> str:
    """A title or note within Excel's cell limit (a long title must not push out the "figures as at" note)."""
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def write_workbook(tables: Sequence[tuple[str, Table]], dest: Path, *, cover: Mapping[str, str],
                   created: dt.date) -> None:
    """Write ``tables.xlsx`` from every ``(section, table)`` of the pack, and ``data_dictionary.csv`` beside it.

    ``cover`` has ``title``, ``la``, ``period``, ``as_at`` and ``audience``.
    """
    import gptables

    used = {"cover", "contents"}
    sheets: dict[str, Any] = {}
    dictionary: list[dict[str, Any]] = []
    for section, table in sorted(tables, key=lambda pair: f"{pair[0]}__{pair[1].name}" if pair[0] else pair[1].name):
        name = sheet_name(f"{section}__{table.name}" if section else table.name, used)
        sheets[name], rows = _sheet(table, section, cover)
        dictionary += [{**r, "sheet": name} for r in rows]
    if not sheets:  # gptables cannot make a contents sheet of no tables: say that there are none
        sheets["No_tables"] = gptables.GPTable(
            table=pd.DataFrame({"Note": ["This pack has no tables."]}), table_name="No_tables",
            title="No tables", subtitles=[], source=None, instructions="This worksheet contains one table.")
    intro = [_short(f"{cover['la']}: {cover['period']}. Figures as at {cover['as_at']}."),
             f"Audience: {cover['audience']}."]
    about = ["Each table of the report pack is on a sheet of its own, listed on the Contents sheet; "
             "the same tables are in the pack's tables/ folder as CSV files, with machine column names and codes.",
             f"{DICTIONARY_NAME} says what each column of each table means.",
             "Percentages are stored in percentage units (63 means 63%), as in the CSV files."]
    book_cover = gptables.Cover(title=_short(cover["title"]), intro=intro, about=about)
    with warnings.catch_warnings():
        # gptables warns that there is no notes sheet (the pack has none), and of pandas deprecations in its own code
        warnings.filterwarnings("ignore", message="No note text provided", category=UserWarning)
        warnings.filterwarnings("ignore", module=r"gptables(\..*)?")
        book = gptables.produce_workbook(filename=str(dest), sheets=sheets, cover=book_cover,
                                         contentsheet_label="Contents",
                                         # input text is written as text, never run as a formula or made a link
                                         workbook_options={"strings_to_formulas": False, "strings_to_urls": False})
    # nothing in the pack postdates its as-at date, the workbook's own dates included
    book.set_properties({"title": _short(cover["title"]), "created": dt.datetime.combine(created, dt.time())})
    book.close()
    columns = ["table", "sheet", "column", "heading", "meaning", "kind", "decimals", "shown_on_page", "measure"]
    pd.DataFrame(dictionary, columns=columns).to_csv(dest.parent / DICTIONARY_NAME, index=False, lineterminator="\n")
