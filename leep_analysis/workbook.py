"""``tables.xlsx`` in the government's accessible-spreadsheet style, and the pack's data dictionary.

gptables implements the Analysis Function's guidance on releasing statistics
in spreadsheets: a cover sheet, a contents sheet, one table per sheet (a
marked-up Excel table with a title and a source note), no merged cells or
gridlines. Here each table's CSV becomes a sheet with the headings the page
shows, numbers stored as numbers with their format (%, £, dates), and the
sheet named after the CSV in full.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .config import load_config
from .tables import MISSING, unescape_formula

DICTIONARY_NAME = "data_dictionary.csv"
#: The Analysis Function's shorthand for a cell with no figure, explained on each sheet.
NO_FIGURE = "[x]"
NO_ROWS = "No rows in this period."
#: Excel number formats of the pack's named formats (percentages stay in percentage units, as in the CSVs).
NUMBER_FORMATS = {
    "pct0": '0"%"', "pct1": '0.0"%"', "int": "#,##0", "num1": "#,##0.0", "num2": "#,##0.00",
    "signed0": "+0;-0;0", "signed1": "+0.0;-0.0;0.0", "signed2": "+0.00;-0.00;0.00",
    "gbp": '"£"#,##0', "gbp2": '"£"#,##0.00', "date": "d mmm yyyy", "year": "0",
}
#: What each named format means, in the data dictionary.
FORMAT_WORDS = {
    "pct0": "percentage (0 to 100)", "pct1": "percentage (0 to 100)", "int": "count",
    "num1": "number", "num2": "number", "signed0": "change (+ or -)", "signed1": "change (+ or -)",
    "signed2": "change (+ or -)", "gbp": "pounds", "gbp2": "pounds", "date": "date (YYYY-MM-DD in the CSV)",
    "text": "text", "year": "year",
}
_NUMBER_TEXT = re.compile(r"^(?P<gbp>£)?(?P<value>[-+−]?\d[\d,]*(?:\.\d+)?)(?P<pct>%)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _decimals_format(values: pd.Series) -> str:
    """The format of a number column with no named format: as many places as its values have (at most 2)."""
    text = values.dropna().map(lambda v: f"{v:.6f}".rstrip("0").rstrip("."))
    places = max((len(t.split(".")[1]) if "." in t else 0 for t in text), default=0)
    return {0: "int", 1: "num1"}.get(places, "num2")


def _is_year(column: str) -> bool:
    """A column of years (2025), which takes no thousands separator."""
    return column == "year" or column.endswith("_year")


def number_from_text(text: str) -> tuple[float, str] | None:
    """A number written as the page writes it ("84.5%", "£12,400", "-3"), with its named format; None if not one."""
    found = _NUMBER_TEXT.match(text.strip())
    if not found:
        return None
    value = float(found["value"].replace(",", "").replace("−", "-"))
    places = len(found["value"].split(".")[1]) if "." in found["value"] else 0
    if found["gbp"]:
        return value, "gbp2" if places else "gbp"
    if found["pct"]:
        return value, "pct1" if places else "pct0"
    return value, {0: "int", 1: "num1"}.get(places, "num2")


def typed_table(path: Path, formats: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, str], dict[tuple[int, int], str]]:
    """A table's CSV with each value as its type: numbers as numbers, dates as dates, text as text.

    Returns the frame, each column's named format, and the named format of
    single cells of a text column that hold one number (e.g. "84.5%" in a
    column of "62%; 46.0").
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).map(unescape_formula)  # the CSV's apostrophes off
    frame = pd.DataFrame(index=raw.index)
    column_formats: dict[str, str] = {}
    cell_formats: dict[tuple[int, int], str] = {}
    for position, column in enumerate(raw.columns):
        values = raw[column]
        filled = values[(values != "") & (values != MISSING)]
        parsed = [number_from_text(v) for v in filled]
        if len(filled) and all(_ISO_DATE.match(v) for v in filled):
            frame[column] = pd.to_datetime(values.where(values != ""), format="%Y-%m-%d")
            column_formats[column] = "date"
        elif len(filled) and all(p is not None for p in parsed):
            numbers = values.map(lambda v: number_from_text(v)[0] if number_from_text(v) else None)  # type: ignore[index]
            frame[column] = pd.to_numeric(numbers)
            named = "year" if _is_year(column) else formats.get(column)
            plain = ("int", "num1", "num2")
            if named in plain or (named not in NUMBER_FORMATS and parsed[0][1] in plain):  # type: ignore[index]
                # a plain number shows as many places as its figures have (a column may mix 61% and -0.54)
                places = max(plain.index(named) if named in plain else 0, plain.index(_decimals_format(frame[column])))
                column_formats[column] = plain[places]
            else:
                column_formats[column] = named if named in NUMBER_FORMATS else parsed[0][1]  # type: ignore[index]
        else:
            cells: list[Any] = []
            for row, value in enumerate(values):
                number = number_from_text(value) if value else None
                if number is None:
                    cells.append(value)
                else:
                    cells.append(number[0])
                    cell_formats[(row, position)] = number[1]
            frame[column] = pd.Series(cells, index=raw.index, dtype=object)
            column_formats[column] = "text"
    return frame, column_formats, cell_formats


def sheet_name(stem: str, used: set[str]) -> str:
    """A table's sheet: its CSV's name with one underscore (``achievement_age19``), unique, at most 31 characters."""
    base = stem.replace("__", "_")[:31]
    name, i = base, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def headings(columns: list[str], labels: Mapping[str, str]) -> list[str]:
    """Each column's heading: the page's, else ``config/columns.yaml``'s, else its name in words; unique, never blank.

    (An Excel table needs a heading in every column, each different.)
    """
    known = load_config("columns")
    out: list[str] = []
    for column in columns:
        label = labels.get(column, "").strip()
        if not label or label in out:
            label = known.get(column, {}).get("heading") or column.replace("_", " ").capitalize()
        n, base = 2, label
        while label in out:
            label, n = f"{base} ({n})", n + 1
        out.append(label)
    return out


def meaning(column: str, heading: str, kind: str) -> str:
    """What a column means, for the data dictionary: ``config/columns.yaml``'s words, else its heading and format."""
    known = load_config("columns").get(column, {}).get("meaning")
    return known or f"{heading}: {FORMAT_WORDS.get(kind, 'text')}"


def write_workbook(tables_dir: Path, dest: Path, meta: Mapping[str, Any], *, cover: Mapping[str, str],
                   created: dt.date) -> None:
    """Write ``tables.xlsx`` from every CSV in ``tables_dir``, and ``data_dictionary.csv`` beside it.

    ``meta`` maps a CSV's stem to what ``Section.show`` recorded: ``caption``,
    ``labels`` (column -> heading) and ``formats`` (column -> named format).
    ``cover`` has ``title``, ``la``, ``period``, ``as_at`` and ``audience``.
    """
    import gptables

    titles = load_config("sections")
    used = {"cover", "contents"}
    sheets: dict[str, Any] = {}
    dictionary = []
    for path in sorted(tables_dir.glob("*.csv")):
        entry = meta.get(path.stem, {})
        entry = entry if isinstance(entry, Mapping) else {"caption": str(entry)}
        labels, formats = entry.get("labels") or {}, entry.get("formats") or {}
        frame, column_formats, cell_formats = typed_table(path, formats)
        if frame.empty:  # an Excel table needs a row: say that there are none
            frame = pd.DataFrame({"note": [NO_ROWS]})
            column_formats, labels = {"note": "text"}, {"note": "Note"}
        names = headings(list(frame.columns), labels)
        section = path.stem.split("__")[0]
        name = sheet_name(path.stem, used)
        additional = [{"column": {"columns": [h], "format": {"num_format": NUMBER_FORMATS[column_formats[c]]}}}
                      for c, h in zip(frame.columns, names, strict=True) if column_formats[c] in NUMBER_FORMATS]
        additional += [{"cell": {"cells": [(row + 1, col)], "format": {"num_format": NUMBER_FORMATS[kind]}}}
                       for (row, col), kind in cell_formats.items()]
        table = frame.set_axis(names, axis=1).astype(object)
        table = table.where(table.notna() & (table != "") & (table != MISSING), NO_FIGURE)
        # gptables refuses a cell of symbols only (the Analysis Function's rule on symbols in tables):
        # such text from an input ("-", "?") carries no figure, so it is marked as one
        table = table.map(lambda v: NO_FIGURE if isinstance(v, str) and not any(c.isalnum() for c in v) else v)
        sheets[name] = gptables.GPTable(
            table=table, table_name=re.sub(r"\W", "_", name), title=entry.get("caption") or name,
            subtitles=[f"Section: {titles.get(section, {}).get('title', section)}. Also in tables/{path.name}."],
            source=f"Source: {cover['title']}, {cover['la']}, figures as at {cover['as_at']}; "
                   "the input files are listed in the pack's manifest.json.",
            instructions=f"This worksheet contains one table. {NO_FIGURE} marks a cell with no figure "
                         "(not available, not applicable or too small to publish).",
            additional_formatting=additional)
        for column, heading in zip(frame.columns, names, strict=True):
            kind = column_formats[column]
            dictionary.append({"table": path.name, "sheet": name, "column": column, "heading": heading,
                               "meaning": meaning(column, heading, kind), "format": kind,
                               "shown_on_page": "yes" if column in labels else "no"})
    if not sheets:  # gptables cannot make a contents sheet of no tables: say that there are none
        sheets["No_tables"] = gptables.GPTable(
            table=pd.DataFrame({"Note": ["This pack has no tables."]}), table_name="No_tables",
            title="No tables", subtitles=[], source=None, instructions="This worksheet contains one table.")
    intro = [f"{cover['la']}: {cover['period']}. Figures as at {cover['as_at']}.",
             f"Audience: {cover['audience']}."]
    about = ["Each table of the report pack is on a sheet of its own, listed on the Contents sheet; "
             "the same tables are in the pack's tables/ folder as CSV files, with machine column names.",
             f"{DICTIONARY_NAME} says what each column of each table means.",
             "Percentages are stored in percentage units (63 means 63%), as in the CSV files."]
    book_cover = gptables.Cover(title=cover["title"], intro=intro, about=about)
    with warnings.catch_warnings():
        # gptables warns that there is no notes sheet (the pack has none), and of pandas deprecations in its own code
        warnings.filterwarnings("ignore", message="No note text provided", category=UserWarning)
        warnings.filterwarnings("ignore", module=r"gptables(\..*)?")
        book = gptables.produce_workbook(filename=str(dest), sheets=sheets, cover=book_cover,
                                         contentsheet_label="Contents",
                                         # input text is written as text, never run as a formula or made a link
                                         workbook_options={"strings_to_formulas": False, "strings_to_urls": False})
    # nothing in the pack postdates its as-at date, the workbook's own dates included
    when = dt.datetime.combine(created, dt.time())
    book.set_properties({"title": cover["title"], "created": when})
    book.close()
    pd.DataFrame(dictionary).to_csv(dest.parent / DICTIONARY_NAME, index=False, lineterminator="\n")
