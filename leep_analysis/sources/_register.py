"""What the LA's own registers share: reading, header spellings, vocabularies, dates, row problems.

The concerns log and the school intelligence register are typed by officers
into a spreadsheet; this module turns one into text columns under tidy names
and collects every problem with the row and header the analyst sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..errors import Problem
from ..normalise import text_key, text_keys
from ._read import match_columns, parse_dates
from ._tables import read_register

URN_PATTERN = r"^\d{6}$"
DATE_HINT = "(use 2025-09-01, 01/09/2025 or an Excel date, in the years 1900 to 2099)"
#: a count of more digits than this is a typo (and beyond int64 at 19)
MAX_COUNT_DIGITS = 9
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def lookup(vocabulary: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
    """Normalised spelling -> code, with each code, its label and its aliases accepted."""
    table: dict[str, str] = {}
    for code, entry in vocabulary.items():
        for spelling in [code, entry["label"], *entry.get("aliases", [])]:  # type: ignore[misc]
            table[text_key(spelling)] = code
    return table


class Register:
    """One register file read as text under tidy names, with its problems.

    ``columns`` maps tidy names to accepted header spellings; ``extra`` is a
    regular expression for further headers kept as they are (e.g.
    ``visit_1_date``).
    """

    def __init__(self, path: str | Path, columns: Mapping[str, Sequence[str]], required: Sequence[str],
                 extra: str | None = None):
        self.source = str(path)
        raw = read_register(path)
        headers = [c for c in raw.columns if c != "file_row"]
        mapping = match_columns(headers, columns, source=self.source, required=required)
        if extra:
            mapping.update({h: text_key(h).replace(" ", "_") for h in headers
                            if h not in mapping and re.fullmatch(extra, text_key(h).replace(" ", "_"))})
        self.header = {tidy: original for original, tidy in mapping.items()}
        for tidy, spellings in columns.items():
            self.header.setdefault(tidy, spellings[0])
        self.frame = raw.rename(columns=mapping)
        self.rows = self.frame["file_row"].astype("int64")
        self.problems: list[Problem] = []

    def text(self, column: str) -> pd.Series:
        """A column as stripped text, blank as missing (all missing where the file lacks it)."""
        if column not in self.frame:
            return pd.Series(pd.NA, index=self.frame.index, dtype="string")
        return self.frame[column].astype("string").str.strip().replace({"": pd.NA})

    def bad(self, mask: pd.Series, column: str, message: str | Callable[[int], str]) -> None:
        """A problem for each row where ``mask`` holds; ``message`` may depend on the row's index."""
        for i in self.frame.index[mask.fillna(False).to_numpy(dtype=bool)]:
            said = message(i) if callable(message) else message
            self.problems.append(Problem(self.source, said, row=int(self.rows[i]),
                                         column=self.header.get(column, column)))

    def urns(self, column: str = "urn") -> pd.Series:
        """Six-digit URNs; a missing or malformed one is a problem."""
        urn = self.text(column).str.replace(r"\.0$", "", regex=True)
        self.bad(urn.isna(), column, "URN is missing")
        self.bad(urn.notna() & ~urn.fillna("").str.fullmatch(URN_PATTERN), column,
                 lambda i: f"not a URN (six digits): '{urn[i]}'")
        return urn

    def coded(self, column: str, vocabulary: Mapping[str, Mapping[str, object]], *, required: bool) -> pd.Series:
        """Codes of a configured vocabulary; a missing (if required) or unknown value is a problem."""
        table = lookup(vocabulary)
        text = self.text(column)
        codes = pd.Series([table.get(text_key(v)) if not pd.isna(v) else None for v in text],
                          index=text.index, dtype="string")
        label = column.replace("_", " ")
        if required:
            self.bad(text.isna(), column, f"{label} is missing")
        known = list(vocabulary)
        expected = ", ".join(known[:-1]) + f" or {known[-1]}"
        self.bad(text.notna() & codes.isna(), column, lambda i: f"unknown {label} '{text[i]}'; expected {expected}")
        return codes

    def dates(self, column: str, *, required: bool = False, hint: str = "") -> pd.Series:
        """Dates as analysts type them; a missing (if required) or unreadable one is a problem (``hint`` added)."""
        text = self.text(column)
        parsed = parse_dates(text.fillna("")).astype("datetime64[ns]")
        if required:
            self.bad(text.isna(), column, f"{column.replace('_', ' ')} is missing")
        extra = f"; {hint}" if hint else ""
        self.bad(text.notna() & parsed.isna(), column, lambda i: f"not a date: '{text[i]}' {DATE_HINT}{extra}")
        return parsed

    def flags(self, column: str) -> pd.Series:
        """Yes/no cells as booleans (blank is no); anything else is a problem."""
        text = text_keys(self.text(column))
        self.bad(text.notna() & ~text.isin(_YES | _NO), column, lambda i: f"expected yes or no: '{text[i]}'")
        return text.isin(_YES).fillna(False).astype(bool)

    def counts(self, column: str) -> pd.Series:
        """Whole numbers of 0 or more (blank is 0); anything else is a problem."""
        text = self.text(column).str.replace(r"\.0$", "", regex=True)
        ok = text.fillna("0").str.fullmatch(r"\d+")
        self.bad(~ok, column, lambda i: f"not a whole number of 0 or more: '{text[i]}'")
        large = ok & text.fillna("0").str.lstrip("0").str.len().gt(MAX_COUNT_DIGITS)
        self.bad(large, column, lambda i: f"too large a count (a typo?): '{text[i]}'")
        ok = ok & ~large
        return pd.to_numeric(text.where(ok), errors="coerce").fillna(0).astype("int64")

    def duplicated_urns(self, urn: pd.Series, what: str) -> None:
        """A problem for each row repeating an earlier row's URN."""
        first: dict[str, int] = {}
        for i, value in urn.items():
            if pd.isna(value):
                continue
            if value in first:
                self.problems.append(Problem(self.source, f"URN {value} is already on row {first[value]}; "
                                             f"give each {what} one row", row=int(self.rows[i]),
                                             column=self.header["urn"]))
            else:
                first[value] = int(self.rows[i])
