"""Which date a published file is as at, from its name: ``... 31 December 2014.xlsx``, ``2015-05-31``.

Ofsted's monthly files (and the performance tables' Ofsted file) carry their date
in the file name, often mangled by the web server that served them; a params
entry may give it instead, and the two must then agree.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import InputError, Problem
from ..params import DatedFile


def snapshot_date(item: DatedFile) -> dt.date:
    """A snapshot's as-at date: the params' ``as_at``, else the one date in the file name.

    Raises
    ------
    InputError
        No date (or several) in the name and none given; or a given ``as_at``
        that differs from the one date the name holds.
    """
    path = Path(item.path)
    found = dates_in_name(path.name)
    if item.as_at is not None:
        if len(found) == 1 and found[0] != item.as_at:
            raise InputError(Problem(str(path), f"as_at {item.as_at} is given but the file name says "
                                                f"{found[0]}; correct one of them", key="data.ofsted_mi"))
        return item.as_at
    if len(found) == 1:
        return found[0]
    what = "no date" if not found else f"several dates ({', '.join(str(d) for d in found)})"
    raise InputError(Problem(str(path), f"the file name holds {what}, so the snapshot's as-at date is not known; "
                                        f"give it in the params as {{path: {path.name}, as_at: YYYY-MM-DD}}",
                             key="data.ofsted_mi"))


_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\s+(\d{4})(?!\d)", re.IGNORECASE)


def dates_in_name(name: str) -> list[dt.date]:
    """Distinct dates in a file name: ISO (``2015-05-31``) or in words (``31 May 2015``).

    Names mangled by web servers are read too: ``_`` for spaces
    (``Schools___31_December_2014``) and ``_XX`` hex escapes
    (``Schools_20-_2030_20April_202013`` = ``Schools - 30 April 2013``).
    """
    stem = Path(name).stem if Path(name).suffix.lower() in (".xlsx", ".xls", ".csv", ".zip") else name
    unescaped = re.sub(r"_([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), stem)
    found: set[dt.date] = set()
    for variant in (stem.replace("_", " "), unescaped.replace("_", " ")):
        for y, m, d in _ISO.findall(variant):
            found.update(_valid(int(y), int(m), int(d)))
        for d, month, y in _WORDS.findall(variant):
            if month.lower() in _MONTHS:
                found.update(_valid(int(y), _MONTHS[month.lower()], int(d)))
    return sorted(found)


def _valid(year: int, month: int, day: int) -> list[dt.date]:
    try:
        return [dt.date(year, month, day)]
    except ValueError:
        return []
