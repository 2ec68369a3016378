"""The LA's school intelligence register: what officers know of each school beyond the published data.

An LA-owned file, CSV or XLSX (first worksheet), one row per school, laid out
as ``docs/templates.md`` ("School intelligence") documents: ``urn``,
``school_name``, ``date_recorded`` (when the row was last reviewed),
``change_of_head`` (date of the latest change of headteacher, blank if none
recent), ``complaints`` (complaints to the LA this academic year), and yes/no
flags ``finance``, ``hr``, ``governance``, ``safeguarding`` (a concern open
in that area), and ``notes``. The early warning (``early_warning.py``) reads it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..errors import InputError, Problem
from ._register import Register

FLAGS = ["finance", "hr", "governance", "safeguarding"]
COLUMNS = {
    "urn": ["urn", "school urn"],
    "school_name": ["school_name", "school name", "school"],
    "date_recorded": ["date_recorded", "date recorded", "reviewed", "date reviewed"],
    "change_of_head": ["change_of_head", "change of head", "new head", "head started"],
    "complaints": ["complaints", "complaints to la", "number of complaints"],
    "finance": ["finance", "finance concern", "financial concern"],
    "hr": ["hr", "hr concern", "staffing concern"],
    "governance": ["governance", "governance concern"],
    "safeguarding": ["safeguarding", "safeguarding concern"],
    "notes": ["notes", "comments"],
}
REQUIRED = ["urn", "date_recorded"]

#: The tidy register, one row per school, in file order.
SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64", pa.Check.ge(2)),
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$"), unique=True),
        "school_name": pa.Column("string", nullable=True),
        "date_recorded": pa.Column("datetime64[ns]"),
        "change_of_head": pa.Column("datetime64[ns]", nullable=True),
        "complaints": pa.Column("int64", pa.Check.ge(0)),
        **{flag: pa.Column("bool") for flag in FLAGS},
        "notes": pa.Column("string", nullable=True),
    },
    strict=True,
)


def load_intelligence(path: str | Path) -> pd.DataFrame:
    """Load the school intelligence register.

    Returns
    -------
    DataFrame
        Columns of ``SCHEMA``: ``row``, ``urn``, ``school_name``,
        ``date_recorded``, ``change_of_head`` (datetime64 or missing),
        ``complaints`` (int), ``finance``, ``hr``, ``governance``,
        ``safeguarding`` (bool) and ``notes``.

    Raises
    ------
    InputError
        Every problem found, naming row and column: a required column missing,
        a bad or repeated URN, an unreadable date, a count that is not a whole
        number, a flag that is not yes or no, a file with no rows.
    """
    reg = Register(path, COLUMNS, REQUIRED)
    urn = reg.urns()
    reg.duplicated_urns(urn, "school")
    out = pd.DataFrame({"row": reg.rows, "urn": urn, "school_name": reg.text("school_name"),
                        "date_recorded": reg.dates("date_recorded", required=True),
                        "change_of_head": reg.dates("change_of_head"), "complaints": reg.counts("complaints"),
                        **{flag: reg.flags(flag) for flag in FLAGS}, "notes": reg.text("notes")})
    if reg.problems:
        raise InputError(reg.problems)
    if out.empty:
        raise InputError(Problem(reg.source, "no schools in the intelligence register"))
    return SCHEMA.validate(out.reset_index(drop=True))
