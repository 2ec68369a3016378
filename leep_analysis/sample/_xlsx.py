"""Write small workbooks byte for byte the same on every run, so sample files are stable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

_FIXED = dt.datetime(2025, 12, 31, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def write_rows(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> None:
    """Write each sheet's rows (the first sheet first) to an .xlsx workbook.

    openpyxl stamps the save time into the document properties and the zip
    entries; both are replaced by a fixed date.
    """
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.properties.creator = "leep-analysis sample generator (synthetic data)"
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + fixed + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dest.writestr(entry, data)
