"""The LA's concerns log: one row per school's time in a category of concern (or at risk).

An LA-owned file, CSV or XLSX (first worksheet), laid out as
``docs/templates.md`` ("Concerns log") documents and as ``leep sample-data``
writes it: ``urn``, ``school_name``, ``category`` (special measures, serious
weaknesses, notice to improve, or at risk: the LA's own concern),
``reason``, ``date_entered``, ``date_exited`` (blank while the school is in
the category), ``exit_reason``; the dates the LA used its statutory powers,
``warning_notice``, ``interim_executive_board``, ``academy_order``,
``statement_of_action`` (blank where not used); and the monitoring visits as
pairs of columns ``visit_1_date``, ``visit_1_outcome``, ``visit_2_date``, ...
(as many as the LA needs). Vocabularies are in ``config/concerns.yaml``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ._register import Register

POWERS = list(load_config("concerns")["powers"])
COLUMNS = {
    "urn": ["urn", "school urn"],
    "school_name": ["school_name", "school name", "school", "establishment name"],
    "category": ["category", "category of concern", "concern category"],
    "reason": ["reason", "reason for concern"],
    "date_entered": ["date_entered", "date entered", "entered", "date into category"],
    "date_exited": ["date_exited", "date exited", "exited", "date out of category"],
    "exit_reason": ["exit_reason", "exit reason", "reason for exit"],
    "warning_notice": ["warning_notice", "warning notice", "warning notice date"],
    "interim_executive_board": ["interim_executive_board", "interim executive board", "ieb", "ieb date"],
    "academy_order": ["academy_order", "academy order", "academy order date"],
    "statement_of_action": ["statement_of_action", "statement of action", "statement of action date"],
}
REQUIRED = ["urn", "category", "date_entered"]
_VISIT = re.compile(r"^visit_(\d+)_(date|outcome)$")


def config() -> dict:
    """The concerns configuration (``config/concerns.yaml``)."""
    return load_config("concerns")


def _visits_valid(values: pd.Series) -> pd.Series:
    return values.map(lambda v: isinstance(v, tuple) and all(isinstance(d, pd.Timestamp) for d, _ in v))


#: The tidy log, one row per school's episode in a category, in file order.
SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64", pa.Check.ge(2)),
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$")),
        "school_name": pa.Column("string", nullable=True),
        "category": pa.Column("string", pa.Check.isin(list(config()["categories"]))),
        "reason": pa.Column("string", nullable=True),
        "date_entered": pa.Column("datetime64[ns]"),
        "date_exited": pa.Column("datetime64[ns]", nullable=True),
        "exit_reason": pa.Column("string", pa.Check.isin(list(config()["exit_reasons"])), nullable=True),
        **{power: pa.Column("datetime64[ns]", nullable=True) for power in POWERS},
        "visits": pa.Column(object, pa.Check(_visits_valid, error="visits must be (date, outcome) tuples")),
    },
    checks=pa.Check(lambda df: df["date_exited"].isna() | df["date_exited"].ge(df["date_entered"]),
                    error="an episode ends before it starts"),
    strict=True,
)


def load_concerns_log(path: str | Path) -> pd.DataFrame:
    """Load the concerns log.

    Returns
    -------
    DataFrame
        One row per episode, in file order: ``row`` (the file's row, header =
        row 1), ``urn``, ``school_name``, ``category`` (a code of
        ``config/concerns.yaml``), ``reason``, ``date_entered``,
        ``date_exited`` (missing while in the category), ``exit_reason``,
        ``warning_notice``, ``interim_executive_board``, ``academy_order``,
        ``statement_of_action`` (datetime64, missing where not used) and
        ``visits`` (a tuple of ``(date, outcome code)`` pairs in date order).

    Raises
    ------
    InputError
        Every problem found, each naming its row and the file's column: a
        required column missing; a bad URN; an unknown category, exit reason or
        visit outcome; an unreadable date; an exit before entry; an exit reason
        without an exit date; a visit outcome without its date (or the
        reverse); a visit before the school entered the category; two open
        episodes for one school; a file with no rows.
    """
    reg = Register(path, COLUMNS, REQUIRED, extra=_VISIT.pattern)
    vocab = config()
    urn = reg.urns()
    category = reg.coded("category", vocab["categories"], required=True)
    exit_reason = reg.coded("exit_reason", vocab["exit_reasons"], required=False)
    entered = reg.dates("date_entered", required=True)
    exited = reg.dates("date_exited")
    reg.bad(exited.lt(entered), "date_exited",
            lambda i: f"date exited {exited[i].date()} is before the date entered {entered[i].date()}")
    reg.bad(exit_reason.notna() & exited.isna(), "exit_reason",
            "an exit reason is given but the date exited is blank")
    powers = {power: reg.dates(power) for power in POWERS}

    numbers = sorted({int(m.group(1)) for c in reg.frame.columns if (m := _VISIT.match(str(c)))})
    pairs = []
    for n in numbers:
        date_col, outcome_col = f"visit_{n}_date", f"visit_{n}_outcome"
        when = reg.dates(date_col)
        outcome = reg.coded(outcome_col, vocab["visit_outcomes"], required=False)
        reg.bad(reg.text(outcome_col).notna() & reg.text(date_col).isna(), date_col,
                "a visit outcome is given but not the visit's date")
        reg.bad(reg.text(date_col).notna() & reg.text(outcome_col).isna(), outcome_col,
                "a visit date is given but not its outcome")
        reg.bad(when.lt(entered), date_col,
                lambda i, w=when: f"visit on {w[i].date()} is before the date entered {entered[i].date()}")
        pairs.append((when, outcome))
    visits = [
        tuple(sorted((w[i], o[i]) for w, o in pairs if not pd.isna(w[i]) and not pd.isna(o[i])))
        for i in reg.frame.index
    ]
    out = pd.DataFrame({"row": reg.rows, "urn": urn, "school_name": reg.text("school_name"),
                        "category": category, "reason": reg.text("reason"), "date_entered": entered,
                        "date_exited": exited, "exit_reason": exit_reason, **powers})
    out["visits"] = pd.Series(visits, index=out.index, dtype=object)
    problems = reg.problems or _open_twice(out, reg.source, reg.header["date_exited"])
    if problems:
        raise InputError(problems)
    if out.empty:
        raise InputError(Problem(reg.source, "no schools in the concerns log"))
    return SCHEMA.validate(out.reset_index(drop=True))


def _open_twice(log: pd.DataFrame, source: str, column: str) -> list[Problem]:
    """A school with two episodes at once: a later one starting before an earlier one ended."""
    problems = []
    for _, rows in log.sort_values(["urn", "date_entered"]).groupby("urn", sort=False):
        ends = rows["date_exited"].tolist()
        for k in range(1, len(rows)):
            if pd.isna(ends[k - 1]) or ends[k - 1] > rows["date_entered"].iloc[k]:
                problems.append(Problem(source, f"URN {rows['urn'].iloc[k]} is still in a category on row "
                                        f"{rows['row'].iloc[k - 1]} when this episode starts; give the earlier "
                                        "one its date exited", row=int(rows["row"].iloc[k]), column=column))
    return problems


def visits(log: pd.DataFrame) -> pd.DataFrame:
    """The monitoring visits of the log, one row each: ``urn``, ``row``, ``date``, ``outcome``."""
    rows = [(r.urn, r.row, d, o) for r in log.itertuples(index=False) for d, o in r.visits]
    frame = pd.DataFrame(rows, columns=["urn", "row", "date", "outcome"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame
