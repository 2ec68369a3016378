"""Tables that come as a CSV or as one sheet of a workbook, read as text with their header row.

Shared by the Ofsted MI and GIAS loaders: Ofsted publishes the same table as
xlsx (also zipped) and CSV, and the performance tables' school information
comes as xlsx while GIAS gives CSVs. Workbook cells arrive as numbers and dates
(``100241.0``, ``datetime.date``); they are turned into the text a CSV of the
same table would hold, so one parser serves both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..normalise import text_key
from ._read import (
    _excel_source,
    _open_bytes,
    read_csv_text,
    read_sheet_rows,
    workbook_sheets,
)

#: At most this many bad rows are listed per column.
MAX_LISTED = 10
#: How far down a sheet the header row is looked for (some workbooks have title rows).
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Table:
    """A table as read: ``frame`` has the file's headers and raw cells; ``header_row`` is 1-based.

    Row ``i`` of ``frame`` (0-based) is row ``i + header_row + 1`` of the file.
    """

    frame: pd.DataFrame
    header_row: int

    def file_row(self, index: int) -> int:
        return int(index) + self.header_row + 1


def is_workbook(path: Path) -> bool:
    """True for xlsx/xls/ods files (by name or by content) and zips holding an xlsx or xls."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".zip"):
        return True
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False  # the reader reports it
    return start[:4] == b"PK\x03\x04" or start == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cell_text(value: object) -> str:
    """A workbook cell as a CSV would hold it: ``100241.0`` -> ``100241``, dates as ISO, None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def text(values: pd.Series) -> pd.Series:
    """Raw cells as stripped text (each distinct value converted once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # a missing cell has code -1, which takes the "" appended last
    converted = pd.array([cell_text(u).strip() for u in uniques] + [""], dtype="string")
    return pd.Series(converted.take(codes), index=values.index, name=values.name)


def read_table(path: Path, sheets: Sequence[str] | None = None, *, extra_fields_to_last: bool = False) -> Table:
    """Read a CSV, or a workbook's sheet (the first of ``sheets`` present, else the first sheet).

    The header row is the first of the top rows holding a ``URN`` header (row 1
    where none does), in a workbook or a CSV (Ofsted's current CSVs sometimes
    have a title line above the header). ``extra_fields_to_last`` reads CSV rows longer than the
    header by joining the surplus fields onto the last column with ', ' (GIAS
    search extracts list each further linked establishment in a field of its
    own); otherwise such a row is an error naming its line.
    """
    if not is_workbook(path):
        try:
            frame = read_csv_text(path)
            if any(text_key(c) == "urn" for c in frame.columns):
                return Table(frame, 1)
        except InputError as exc:
            if "more fields than the header" not in exc.problems[0].message:
                raise
            if extra_fields_to_last:
                return Table(_read_csv_joining_extra_fields(path), 1)
            titled = _read_csv_below_title(path)
            if titled is None:
                raise
            return titled
        return _read_csv_below_title(path) or Table(frame, 1)
    if sheets is None:
        names = workbook_sheets(path)
        sheets = names[:1]
    rows = read_sheet_rows(path, list(sheets))
    if not rows:
        raise InputError(Problem(str(path), "the sheet is empty"))
    top = next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])
                if any(text_key(c) == "urn" for c in r if c is not None)), 0)
    header = _unique_headers([cell_text(c).strip() for c in rows[top]])
    width = len(header)
    body = [list(r[:width]) + [None] * (width - len(r)) for r in rows[top + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
    return Table(frame, top + 1)


def read_register(path: str | Path) -> pd.DataFrame:
    """Read an LA register (CSV, or the first worksheet of a workbook) with every column as text.

    Returns
    -------
    DataFrame
        The file's own headers as columns, all text (blank cells are ``''``),
        plus ``file_row``: the row's number as the analyst sees it in the file
        (header = row 1 in a CSV; the worksheet row in a workbook, where blank
        rows are skipped but counted).
    """
    path = Path(path)
    source = str(path)
    if not is_workbook(path):
        frame = read_csv_text(path, header_on_row_1=True)
        frame.insert(0, "file_row", range(2, len(frame) + 2))
        return frame
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(_excel_source(path)))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(Problem(source, f"not a readable workbook ({type(exc).__name__})")) from None
    numbered = [(i + 1, [cell_text(v).strip() for v in r]) for i, r in enumerate(rows)]
    numbered = [(n, r) for n, r in numbered if any(r)]
    if not numbered:
        filled = [name for name in book.sheet_names[1:]
                  if any(cell_text(v).strip() for r in book.get_sheet_by_name(name).to_python() for v in r)]
        hint = f"; sheet '{filled[0]}' has one: move it to the first sheet" if filled else ""
        raise InputError(Problem(source, f"the first worksheet ('{book.sheet_names[0]}') is empty: no table on it{hint}"))
    (_, header), body = numbered[0], numbered[1:]
    width = len(header)
    frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for _, r in body],
                         columns=_unique_headers([h.strip() for h in header]), dtype="string")
    frame.insert(0, "file_row", [n for n, _ in body])
    return frame


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}.{seen[h] - 1}")
    return out


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a CSV as fields, decoded as ``read_csv_text`` does (UTF-8, then Windows-1252)."""
    data = _open_bytes(path)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return csv.reader(io.StringIO(decoded, newline=""))


def _read_csv_below_title(path: Path) -> Table | None:
    """A CSV whose header (the first line holding ``URN``) is below title lines; None where none is.

    A row with more fields than the header is an error naming its line.
    """
    rows = _csv_rows(path)
    top_rows = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    top = next((i for i, r in enumerate(top_rows) if any(text_key(c) == "urn" for c in r)), None)
    if not top:
        return None
    header = _unique_headers([h.strip() for h in top_rows[top]])
    width = len(header)
    body = []
    for number, row in enumerate(itertools.chain(top_rows[top + 1:], rows), start=top + 2):
        if len(row) > width:
            raise InputError(Problem(str(path), "a row has more fields than the header", row=number))
        if row:
            body.append(row + [""] * (width - len(row)))
    return Table(pd.DataFrame(body, columns=header, dtype="string"), top + 1)


def _read_csv_joining_extra_fields(path: Path) -> pd.DataFrame:
    rows = list(_csv_rows(path))
    header = [h.strip() for h in rows[0]]
    width = len(header)
    body = []
    for row in rows[1:]:
        if not any(field.strip() for field in row):
            continue
        if len(row) > width:
            row = row[: width - 1] + [", ".join(f for f in row[width - 1:] if f.strip())]
        body.append(row + [""] * (width - len(row)))
    return pd.DataFrame(body, columns=_unique_headers(header), dtype="string")


def recognise(columns: Sequence[object], kinds: Sequence[Mapping[str, object]]) -> str | None:
    """Name of the first kind of file whose headers are all among ``columns``."""
    headers = {text_key(c) for c in columns}
    for kind in kinds:
        wanted = kind.get("headers") or []
        if wanted and all(text_key(h) in headers for h in wanted):  # type: ignore[union-attr]
            return str(kind["name"])
    return None


def spellings(columns: Mapping[str, str | Sequence[str]]) -> dict[str, list[str]]:
    """Config columns (tidy -> one header or a list of alternatives) as tidy -> list."""
    return {tidy: [given] if isinstance(given, str) else list(given) for tidy, given in columns.items()}


def present(columns: Sequence[object], wanted: Mapping[str, Sequence[str]]) -> set[str]:
    """Tidy names of ``wanted`` found among ``columns`` under any spelling."""
    headers = {text_key(c) for c in columns}
    return {tidy for tidy, names in wanted.items() if any(text_key(n) in headers for n in names)}


class Problems:
    """Bad values found while parsing a table, listed per column with the file's rows."""

    def __init__(self, table: Table, source: str):
        self.table, self.source = table, source
        self.found: list[Problem] = []

    def add(self, mask: pd.Series, values: pd.Series, header: str, message: str) -> None:
        """One problem per row where ``mask`` is true (the first ``MAX_LISTED``, then a count)."""
        rows = values.index[mask.fillna(False).to_numpy(dtype=bool)]
        for index in rows[:MAX_LISTED]:
            self.found.append(Problem(self.source, f"{message}: '{values.at[index]}'",
                                      row=self.table.file_row(index), column=header))
        if len(rows) > MAX_LISTED:
            self.found.append(Problem(self.source, f"{message} in {len(rows) - MAX_LISTED} more rows", column=header))
