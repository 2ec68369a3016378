"""Write small workbooks with fixed document properties, so sample files are stable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

_FIXED = dt.datetime(2025, 12, 31, 0, 0, 0)


def write_rows(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> None:
    """Write each sheet's rows (the first sheet first) to an .xlsx workbook."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.properties.creator = "leep-analysis sample generator (synthetic data)"
    book.properties.created = _FIXED
    book.properties.modified = _FIXED
    book.save(path)
