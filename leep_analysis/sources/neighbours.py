"""Statistical neighbours (DfE children's services statistical neighbour benchmarking tool).

The workbook (sheet ``LA SN Groups``) has two rows of column letters and numbers
above its header (``LA num``, ``LA Name``, ``LA number``, ``GOInd``, ``GOReg``,
then ``SN1``/``SNP`` ... ``SN10``/``SNP``): for each LA its ten nearest
neighbours, nearest first, each with a proximity label whose case varies
(``Very close``, ``Very Close``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import bidi
from ..errors import InputError, Problem
from ..normalise import text_key
from ._read import _excel_source, read_sheet_rows

SHEETS = ["LA SN Groups"]
PROXIMITY = ["Extremely close", "Very close", "Close", "Somewhat close", "Not close"]

SCHEMA = pa.DataFrameSchema(
    {
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$")),
        "la_name": pa.Column("string"),
        "region": pa.Column("string"),
        "rank": pa.Column("int64", pa.Check.in_range(1, 10)),
        "neighbour_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$")),
        "proximity": pa.Column("string", pa.Check.isin(PROXIMITY), nullable=True),
        "current": pa.Column("bool"),
    },
    unique=["la_code", "rank"],
    strict=True,
)


def _code(value: object) -> str | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f"{int(number):03d}" if number.is_integer() else None


def _blank_names(path: Path, codes: list[str]) -> list[Problem]:
    """One problem per LA whose name cell reads blank, naming the sheet and cell: a formula with no
    value saved (a workbook written by a program and never opened in Excel) or an empty cell.

    The values are read by calamine, which gives a formula's saved value; only openpyxl tells a
    formula from an empty cell, so the sheet is read again with it (only when a name is blank).
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(_excel_source(path)), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - not a workbook openpyxl reads (an .xls): the row cannot be named
        return [Problem(str(path), f"the name of LA {code} is blank; the LA's name is shown in every title",
                        column="LA Name") for code in codes]
    try:
        sheet = next(book[name] for name in book.sheetnames if name.strip().lower() == SHEETS[0].lower())
        problems, name_col = [], None
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "column", None) is not None]
            if name_col is None:
                heads = {text_key(c.value): c.column for c in cells if c.value is not None}
                if "la num" in heads and "la name" in heads:
                    code_col, name_col = heads["la num"], heads["la name"]
                continue
            by_col = {c.column: c for c in cells}
            code = _code(by_col[code_col].value) if code_col in by_col else None
            if code not in codes:
                continue
            cell = by_col.get(name_col)
            formula = cell is not None and isinstance(cell.value, str) and cell.value.startswith("=")
            where = f"sheet '{sheet.title}', cell {cell.coordinate if cell is not None else '?'}"
            problems.append(Problem(str(path), (
                f"{where}: the name of LA {code} is a formula with no value saved (the workbook was written by a "
                "program and never saved by Excel); open it in Excel or LibreOffice and save it") if formula else (
                f"{where}: the name of LA {code} is empty; the LA's name is shown in every title"),
                column="LA Name"))
        return problems
    finally:
        book.close()


def load_neighbours(path: str | Path) -> pd.DataFrame:
    """Load the statistical neighbours workbook as one row per LA and neighbour.

    Returns
    -------
    DataFrame
        Columns: ``la_code``, ``la_name``, ``region`` (``GOReg``, e.g.
        ``London (Inner)``), ``rank`` (1 = nearest), ``neighbour_code``,
        ``proximity`` (one of ``PROXIMITY``, case normalised; missing where the
        workbook leaves it blank), ``current`` (False for the former LAs the
        workbook lists under its "Old SNs:" row, such as Cumbria).

    Raises
    ------
    InputError
        No ``LA num`` header row, an LA code that is not a number, an LA listed
        twice, or a proximity label not in ``PROXIMITY``.
    """
    path = Path(path)
    source = str(path)
    rows = read_sheet_rows(path, SHEETS)
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if text_key(row[0]) == "la num"), None
    )
    if header_at is None:
        raise InputError(Problem(source, "no header row starting 'LA num' in sheet 'LA SN Groups'"))
    header = [text_key(h) for h in rows[header_at]]
    wanted = ["LA Name", "GOReg", *(f"SN{k}" for k in range(1, 11))]
    missing = [name for name in wanted if text_key(name) not in header]
    if missing:
        raise InputError(Problem(source, "required column is missing", column=missing[0]))
    name_col, region_col, *sn_cols = (header.index(text_key(name)) for name in wanted)

    records, seen, problems = [], set(), []
    lookup = {text_key(p): p for p in PROXIMITY}
    current = True
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        code = _code(row[0])
        if code is None and str(row[0]).strip() == "" and text_key(row[name_col]).startswith("old"):
            current = False  # the workbook lists former LAs' neighbours under an "Old SNs:" row
            continue
        if code is None:
            problems.append(Problem(source, f"LA num '{row[0]}' is not a number", row=offset, column="LA num"))
            continue
        if code in seen:
            problems.append(Problem(source, f"LA {code} is listed twice", row=offset, column="LA num"))
            continue
        seen.add(code)
        for rank, col in enumerate(sn_cols, start=1):
            neighbour = _code(row[col])
            if neighbour is None:
                problems.append(Problem(source, f"SN{rank} '{row[col]}' is not an LA code", row=offset, column=f"SN{rank}"))
                continue
            label = str(row[col + 1]).strip() if col + 1 < len(row) else ""
            given = label and text_key(label) != "nan"
            proximity = lookup.get(text_key(label)) if given else None
            if given and proximity is None:
                problems.append(Problem(source, f"unknown proximity '{label}'", row=offset, column="SNP"))
            records.append(
                (code, str(row[name_col]).strip(), str(row[region_col]).strip(), rank, neighbour,
                 proximity, current)
            )
    blank = sorted({r[0] for r in records if not r[1]})
    if blank:
        problems.extend(_blank_names(path, blank))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(records, columns=list(SCHEMA.columns))
    # publishers' names, shown in every title: no invisible control may reverse them (``bidi``)
    frame["la_name"], frame["region"] = bidi.strip(frame["la_name"]), bidi.strip(frame["region"])
    for column in ["la_code", "la_name", "region", "neighbour_code", "proximity"]:
        frame[column] = frame[column].astype("string")
    frame["rank"] = frame["rank"].astype("int64")
    frame["current"] = frame["current"].astype(bool)
    return SCHEMA.validate(frame)
