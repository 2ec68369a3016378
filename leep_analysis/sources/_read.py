"""Reading files as analysts actually have them, with errors that name the file.

Shared by every loader: CSVs in UTF-8 (with or without a byte-order mark) or
Windows-1252/latin-1 as Excel saves them, XLSX workbooks (also inside a zip, as
Ofsted publishes some), header matching that survives case and spacing drift,
and typed conversion that reports the row and column of each bad value.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import stat
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..normalise import text_key

_MONEY = re.compile(r"^(-)?(\d+)(?:\.(\d*))?$")
#: Amounts of a trillion pounds or more are typos (and beyond what int64 pence can hold near 10^17).
MAX_POUND_DIGITS = 12
#: Years a date of this work falls in; others are typos (pandas cannot hold 2300 in nanoseconds).
DATE_YEARS = (1900, 2099)
#: The largest input read, and the largest workbook inside a zip: the biggest published file used
#: (LAIT as CSV) is about 300 MB; a wrong path such as /dev/zero must not fill the memory.
MAX_BYTES = 1024**3

#: Text markers that stand for a missing value in DfE/Ofsted files, and why it is missing.
MISSING_MARKERS: dict[str, str] = {
    "": "not available",
    "-": "not available",
    "..": "not available",
    ":": "not available",
    "x": "not available",
    "na": "not available",
    "ne": "not available",  # performance tables: no entries
    "np": "not available",  # performance tables: not published
    "lowcov": "not available",  # performance tables: low coverage
    ".": "not applicable",
    "z": "not applicable",
    "c": "suppressed",
    "supp": "suppressed",
}


def _size_text(limit: int) -> str:
    return f"{limit / 1024**3:g} GB" if limit >= 1024**3 else f"{limit / 1024**2:g} MB"


def _open_bytes(path: Path) -> bytes:
    """A file's bytes, at most ``MAX_BYTES``; a device, a pipe or a larger file is a problem."""
    try:
        if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            raise InputError(Problem(str(path), "is not a regular file (a device or a pipe?); name the data file"))
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(Problem(str(path), f"is larger than {_size_text(MAX_BYTES)}, the most an input may be"))
    except FileNotFoundError:
        raise InputError(Problem(str(path), "file not found")) from None
    except IsADirectoryError:
        raise InputError(Problem(str(path), "is a folder, not a file")) from None
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot be read ({exc.strerror})")) from None
    if not data.strip():
        raise InputError(Problem(str(path), "file is empty"))
    return data


def read_csv_text(path: str | Path, *, skip_bad_lines: bool = False, header_on_row_1: bool = False) -> pd.DataFrame:
    """Read a CSV with every column as text, whatever encoding Excel used.

    UTF-8 (a byte-order mark is removed) is tried first, then Windows-1252, the
    encoding of GIAS downloads and of CSVs saved by Excel on Windows. Rows with
    more fields than the header are an error naming the line, unless
    ``skip_bad_lines`` (one GIAS extract has such a row). UTF-16, another
    delimiter and a header twice are named as such; with ``header_on_row_1``
    (the LA's templates) so is a title above the header.
    """
    path = Path(path)
    data = _open_bytes(path)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(Problem(str(path), "is a spreadsheet workbook, not a CSV file"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:200].count(b"\x00") > len(data[:200]) // 4:
        raise InputError(Problem(str(path), "is UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8' "
                                 "or 'CSV (Comma delimited)'"))
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    _check_header_line(path, text, title=header_on_row_1)
    bad: list[int] = []

    def on_bad(fields: list[str]) -> None:
        bad.append(len(fields))
        return None

    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            on_bad_lines=on_bad if skip_bad_lines else "error",
            engine="python" if skip_bad_lines else "c",
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        raise InputError(
            Problem(str(path), "a row has more fields than the header", row=row)
        ) from None
    except (pd.errors.EmptyDataError, csv.Error) as exc:
        raise InputError(Problem(str(path), f"not a readable CSV ({exc})")) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def _check_header_line(path: Path, text: str, *, title: bool) -> None:
    """Say what is wrong with a header row that is not one: another delimiter, a title, a name twice."""
    line = text.split("\n", 1)[0]
    first = next(csv.reader(io.StringIO(line)), [])
    for mark, name in _DELIMITERS.items():
        if line.count(mark) >= 2 and line.count(mark) > line.count(","):
            raise InputError(Problem(str(path), f"looks like a {name}-separated file: save it as CSV with commas "
                                     "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)')", row=1))
    filled = [f for f in first if f.strip()]
    if title and len(first) >= 3 and len(filled) == 1:
        raise InputError(Problem(str(path), f"holds only '{filled[0].strip()}' (a title, or a merged title "
                                 "row?): delete the rows above the header so the column names are on row 1", row=1))
    seen: dict[str, int] = {}
    for number, header in enumerate(first, start=1):
        name = header.strip()
        if name and name in seen:
            raise InputError(Problem(str(path), f"the header '{name}' is in columns {seen[name]} and {number}: "
                                     "rename or remove one", row=1, column=name))
        seen.setdefault(name, number)


def _excel_source(path: Path) -> bytes:
    data = _open_bytes(path)
    if data[:4] == b"PK\x03\x04" and path.suffix.lower() == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith((".xlsx", ".xls"))]
            if len(members) != 1:
                raise InputError(
                    Problem(str(path), f"zip holds {len(members)} workbooks; expected one")
                )
            if archive.getinfo(members[0]).file_size > MAX_BYTES:
                raise InputError(Problem(str(path), f"{members[0]} in the zip is larger than "
                                         f"{_size_text(MAX_BYTES)} unpacked, the most an input may be"))
            with archive.open(members[0]) as member:  # the stated size may lie: read no more than the limit
                data = member.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(Problem(str(path), f"{members[0]} in the zip is larger than "
                                         f"{_size_text(MAX_BYTES)} unpacked, the most an input may be"))
            return data
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and path.suffix.lower() == ".xlsx":
        raise InputError(
            Problem(str(path), "workbook is password-protected (encrypted); save it without a password")
        )
    return data


def workbook_sheets(path: str | Path) -> list[str]:
    """Sheet names of a workbook (xlsx, xls, or a zip holding one)."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(_excel_source(path))).sheet_names)
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(Problem(str(path), f"not a readable workbook ({_short(exc)})")) from None


def read_sheet_rows(path: str | Path, sheet: str | Sequence[str]) -> list[list[object]]:
    """All non-empty rows of a worksheet as Python values.

    ``sheet`` may be a list of alternative names (matched without regard to case),
    because publishers rename sheets between editions. Trailing blank rows, such
    as the million formatted-but-empty rows of some Ofsted workbooks, are skipped.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    wanted = [sheet] if isinstance(sheet, str) else list(sheet)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(_excel_source(path)))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(Problem(str(path), f"not a readable workbook ({_short(exc)})")) from None
    by_key = {text_key(name): name for name in book.sheet_names}
    for name in wanted:
        if text_key(name) in by_key:
            rows = book.get_sheet_by_name(by_key[text_key(name)]).to_python(
                skip_empty_area=True
            )
            return [list(r) for r in rows if any(v not in ("", None) for v in r)]
    raise InputError(
        Problem(
            str(path),
            f"no sheet named {' or '.join(repr(w) for w in wanted)}; "
            f"sheets are {', '.join(repr(s) for s in book.sheet_names)}",
        )
    )


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


#: Headers read as a known column they differ from by a small edit: source -> {file header: known header}.
_NEAR_MATCHES: dict[str, dict[str, str]] = {}
#: A header this short (without spaces) is matched only exactly: one letter makes another word of it.
NEAR_MATCH_MIN_LENGTH = 6


def _squashed(name: object) -> str:
    """A header as a near match compares it: normalised, without spaces."""
    return text_key(name).replace(" ", "")


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter dropped, added (e.g. doubled), changed or two adjacent swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def _near(header: str, spellings: Sequence[str]) -> bool:
    """The header equals a spelling but for spacing, or is one small edit from one."""
    mine = _squashed(header)
    if len(mine) < NEAR_MATCH_MIN_LENGTH:
        return False
    return any(mine == _squashed(s) or one_edit_apart(mine, _squashed(s)) for s in spellings)


def _near_matches(headers: Mapping[str, str], mapping: Mapping[str, Sequence[str]],
                  found: Mapping[str, str]) -> dict[str, str]:
    """Headers not matched exactly that are near exactly one tidy name not found, and it near only them.

    Returns file header -> tidy name.
    """
    have = set(found.values())
    free = [h for h in headers.values() if h not in found]
    near = {h: [t for t, spellings in mapping.items() if t not in have and _near(h, spellings)] for h in free}
    out = {}
    for header, tidies in near.items():
        if len(tidies) == 1 and sum(tidies[0] in other for other in near.values()) == 1:
            out[header] = tidies[0]
    return out


def near_matches(source: str) -> dict[str, str]:
    """The headers of ``source`` read as a known column they differ from by a small edit: file header -> known."""
    return dict(_NEAR_MATCHES.get(source, {}))


def remember_near_matches(matches: dict[str, dict[str, str]]) -> None:
    """Record matches found by another process's load (``near_matches`` of each source), e.g. a cached input's."""
    for source, found in matches.items():
        _NEAR_MATCHES.setdefault(source, {}).update(found)


def match_columns(
    columns: Iterable[object],
    mapping: Mapping[str, Sequence[str]],
    *,
    source: str,
    required: Iterable[str],
) -> dict[str, str]:
    """Map tidy column names to the file's headers, whatever their spelling.

    A header is matched to a spelling when they are equal normalised
    (``normalise.text_key``); failing that, when it differs from one by spacing or
    a small edit (a dropped, doubled, changed or swapped letter) and exactly
    one known column is that close (Ofsted's files misspell a header now and
    then). Each such near match is recorded (``near_matches``), for the
    manifest and the pack's list of data sources.

    Parameters
    ----------
    columns : the file's headers.
    mapping : tidy name -> accepted header spellings (compared normalised).
    required : tidy names that must be found.

    Returns
    -------
    dict
        file header -> tidy name, for every tidy name found.

    Raises
    ------
    InputError
        For each required column missing, naming the nearest header found.
    """
    headers = {text_key(c): str(c) for c in columns}
    found: dict[str, str] = {}
    for tidy, spellings in mapping.items():
        for spelling in spellings:
            header = headers.get(text_key(spelling))
            if header is not None:
                found[header] = tidy
                break
    near = _near_matches(headers, mapping, found)
    if near:
        found.update(near)
        _NEAR_MATCHES.setdefault(source, {}).update({h: mapping[t][0] for h, t in near.items()})
    have = set(found.values())
    problems = []
    for tidy in required:
        if tidy in have:
            continue
        nearest = difflib.get_close_matches(
            text_key(mapping[tidy][0]), list(headers), n=1, cutoff=0.5
        )
        hint = f"; nearest header found: '{headers[nearest[0]]}'" if nearest else ""
        problems.append(Problem(source, f"required column is missing{hint}", column=mapping[tidy][0]))
    if problems:
        raise InputError(problems)
    return found


def by_uniques(values: pd.Series, func) -> pd.Series:
    """Apply a Series -> Series function to the distinct values only, then spread back.

    Published tables repeat the same few thousand strings hundreds of thousands
    of times; parsing each distinct string once keeps loading fast.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    result = func(pd.Series(uniques, dtype=values.dtype if len(uniques) else "string"))
    array = result.array if isinstance(result, pd.Series) else pd.array(result)
    taken = array.take(codes, allow_fill=True)
    return pd.Series(taken, index=values.index, name=values.name)


def _parse_numbers_unique(raw: pd.Series, markers: Mapping[str, str]) -> pd.DataFrame:
    raw = raw.astype("string").str.strip()
    cleaned = raw.str.replace(",", "", regex=False).str.removesuffix("%")
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    infinite = pd.Series(np.isinf(values.to_numpy()), index=values.index)
    values = values.mask(infinite)  # 1e400, inf: never a figure to rank
    reasons = raw.str.lower().map(markers).astype("string")
    reasons = reasons.where(values.isna(), pd.NA)
    reasons = reasons.mask(infinite, "not a finite number")
    reasons = reasons.mask(values.isna() & reasons.isna(), "not a number")
    return pd.DataFrame({"value": values, "reason": reasons})


def parse_numbers(
    text: pd.Series, markers: Mapping[str, str] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Numbers from published text, and why each missing one is missing.

    Handles DfE/Ofsted markers (see ``MISSING_MARKERS``), scientific notation
    (``1.005E-2``), thousands separators and percentages (``66.2%`` -> 66.2).
    ``markers`` (lower-case marker -> reason) replaces ``MISSING_MARKERS`` for a
    format whose markers say more, such as the performance tables' ``NE`` (no entries).

    Returns
    -------
    (values, reasons)
        float64 values, always finite; text reasons (``suppressed``, ``not applicable``,
        ``not available``, ``not a number``, ``not a finite number``) where the value is missing.
    """
    text = text.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = _parse_numbers_unique(pd.Series(uniques, dtype="string"),
                                   MISSING_MARKERS if markers is None else markers)
    values = parsed["value"].to_numpy().take(codes) if len(parsed) else codes.astype("float64")
    values[codes < 0] = float("nan")
    reasons = parsed["reason"].array.take(codes, allow_fill=True) if len(parsed) else None
    reasons = pd.Series(reasons, index=text.index, dtype="string") if reasons is not None else \
        pd.Series(pd.NA, index=text.index, dtype="string")
    reasons[codes < 0] = "not available"
    return pd.Series(values, index=text.index, dtype="float64"), reasons


def parse_pence(text: str | None) -> tuple[int | None, str | None]:
    """Pounds and pence as integer pence, or why the text is not an amount.

    Accepts ``1250``, ``1250.5``, ``1,250.50``, ``£1,250.50`` and a leading minus.
    More than two decimal places, or anything else, gives a reason instead.
    """
    if text is None or pd.isna(text) or not str(text).strip():
        return None, "amount is missing"
    cleaned = str(text).strip().replace(",", "").replace("£", "").replace(" ", "")
    match = _MONEY.match(cleaned)
    if not match:
        return None, "not an amount in pounds and pence"
    sign, pounds, pence = match.groups()
    pence = pence or ""
    if len(pence) > 2:
        return None, "amount has more than two decimal places"
    if len(pounds.lstrip("0")) > MAX_POUND_DIGITS:
        return None, f"amount is too large (£{10 ** MAX_POUND_DIGITS:,} or more: a typo?)"
    value = int(pounds) * 100 + int(pence.ljust(2, "0"))
    return (-value if sign else value), None



def parse_dates(text: pd.Series) -> pd.Series:
    """Dates as analysts type them: ISO (2025-09-01), UK (01/09/2025, 01-09-2025), or Excel serials.

    A date outside the years ``DATE_YEARS`` is missing (the caller reports it as not a date).
    """
    raw = text.astype("string").str.strip().replace({"": pd.NA})
    out = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d.%m.%Y", "%Y%m%d"):
        todo = out.isna() & raw.notna()
        if not todo.any():
            break
        out = out.mask(todo, pd.to_datetime(raw.where(todo), format=fmt, errors="coerce"))
    todo = out.isna() & raw.notna() & raw.str.fullmatch(r"\d{5}(\.0+)?").fillna(False)
    if todo.any():
        serial = pd.to_numeric(raw.where(todo), errors="coerce")
        out = out.mask(todo, pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D"))
    # a year typo (2300) is not a date of this work, and beyond pandas' nanosecond range: missing,
    # so the loader reports it as not a date with its file, row and column
    out = out.where(out.dt.year.between(*DATE_YEARS))
    return out.astype("datetime64[ns]")


def bad_values(
    mask: pd.Series, frame: pd.DataFrame, column: str, *, source: str, message: str, header_rows: int = 1
) -> list[Problem]:
    """One problem per row where ``mask`` is true, naming the file row and column.

    ``frame`` must keep the file's row order in its index (0 = first data row).
    """
    rows = frame.index[mask.to_numpy()]
    return [
        Problem(source, f"{message}: '{frame.at[i, column]}'", row=int(i) + header_rows + 1, column=column)
        for i in rows
    ]
