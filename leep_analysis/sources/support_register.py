"""The LA's support register: one row per episode of support given to a school.

An LA-owned file, CSV or XLSX (first worksheet, header on its first non-blank
row), laid out as ``docs/templates.md`` ("Support register") documents and as
``leep sample-data`` writes it: ``urn``, ``school_name``, ``tier``
(collaborative, targeted, intensive), ``support_type``, ``provider``,
``start_date``, ``end_date`` (blank while the support goes on),
``funding_source`` (LEEP, SCC, school, DfE, other), ``cost`` (pounds and
pence), ``reason`` and ``status``. Vocabularies and their accepted spellings
are in ``config/support.yaml``. Costs are read exactly and held as ``Decimal``
pounds: text, a negative amount or more than two decimal places is an error,
never rounded.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ._read import parse_pence
from ._register import Register

COLUMNS = {
    "urn": ["urn", "school urn"],
    "school_name": ["school_name", "school name", "school", "establishment name"],
    "tier": ["tier", "support tier"],
    "support_type": ["support_type", "support type", "type of support"],
    "provider": ["provider", "support provider", "supported by"],
    "start_date": ["start_date", "start date", "start", "date started"],
    "end_date": ["end_date", "end date", "end", "date ended"],
    "funding_source": ["funding_source", "funding source", "funding", "funded by"],
    "cost": ["cost", "cost (£)", "cost £"],
    "reason": ["reason", "reason for support"],
    "status": ["status"],
}
REQUIRED = ["urn", "tier", "support_type", "start_date", "end_date"]
_TEXT = ["school_name", "provider", "reason"]
#: Columns that identify an episode: two rows agreeing on all of them are one episode entered twice.
EPISODE_KEY = ["urn", "support_type", "provider", "start_date"]


def config() -> dict:
    """The support configuration (``config/support.yaml``)."""
    return load_config("support")


def vocabulary(name: str) -> list[str]:
    """Codes of one configured vocabulary (``tiers``, ``support_types``, ``funding_sources``, ``statuses``)."""
    return list(config()[name])


def _is_decimal(values: pd.Series) -> pd.Series:
    return values.map(lambda v: v is None or isinstance(v, Decimal))


#: The tidy register, one row per episode, in file order.
SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64", pa.Check.ge(2)),
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$")),
        "school_name": pa.Column("string", nullable=True),
        "tier": pa.Column("string", pa.Check.isin(vocabulary("tiers"))),
        "support_type": pa.Column("string", pa.Check.isin(vocabulary("support_types"))),
        "provider": pa.Column("string", nullable=True),
        "start_date": pa.Column("datetime64[ns]"),
        "end_date": pa.Column("datetime64[ns]", nullable=True),
        "funding_source": pa.Column("string", pa.Check.isin(vocabulary("funding_sources")), nullable=True),
        "cost": pa.Column(object, pa.Check(_is_decimal, error="cost must be Decimal pounds or missing"),
                          nullable=True),
        "reason": pa.Column("string", nullable=True),
        "status": pa.Column("string", pa.Check.isin(vocabulary("statuses")), nullable=True),
        "ongoing": pa.Column("bool"),
    },
    checks=[
        pa.Check(lambda df: df["end_date"].isna() | df["end_date"].ge(df["start_date"]),
                 error="an episode ends before it starts"),
        pa.Check(lambda df: df["ongoing"] == df["end_date"].isna(), error="ongoing is not 'no end date'"),
    ],
    strict=True,
)


def load_register(path: str | Path) -> pd.DataFrame:
    """Load the support register.

    Returns
    -------
    DataFrame
        One row per support episode, in file order. Columns: ``row`` (the
        row's number in the file, header = row 1, so cross-checks can name
        it), ``urn`` (six-digit text), ``school_name``, ``tier``
        (``collaborative``, ``targeted``, ``intensive``), ``support_type`` (a
        code of ``config/support.yaml``, e.g. ``system_leader``), ``provider``,
        ``start_date`` and ``end_date`` (datetime64; ``end_date`` missing while
        the support goes on), ``funding_source`` (``LEEP``, ``SCC``,
        ``school``, ``DfE``, ``other``, or missing), ``cost`` (``Decimal``
        pounds, or None where not recorded), ``reason``, ``status``
        (``planned``, ``active``, ``completed``, ``withdrawn`` or missing),
        ``ongoing`` (True where there is no end date).

    Raises
    ------
    InputError
        Every problem found, each naming its row and the file's own column
        header: a required column missing; a URN that is not six digits; a
        missing or unknown tier, support type, funding source or status; a
        missing or unreadable start date, an unreadable end date, or an end
        before the start; a cost that is not pounds and pence or is negative;
        the same episode (URN, support type, provider and start date) on two
        rows; a file with no episodes.
    """
    reg = Register(path, COLUMNS, REQUIRED)
    source, frame, header, rows = reg.source, reg.frame, reg.header, reg.rows
    problems = reg.problems
    urn = reg.urns()
    coded = {column: reg.coded(column, config()[vocab], required=required)
             for column, vocab, required in [("tier", "tiers", True), ("support_type", "support_types", True),
                                             ("funding_source", "funding_sources", False),
                                             ("status", "statuses", False)]}
    start = reg.dates("start_date", required=True)
    end = reg.dates("end_date", hint="leave it blank while support goes on")
    reg.bad(end.lt(start), "end_date",
            lambda i: f"end date {end[i].date().isoformat()} is before the start date {start[i].date().isoformat()}")
    text = {column: reg.text(column) for column in ("cost", "end_date", *_TEXT)}

    costs: list[Decimal | None] = []
    for i in frame.index:
        value = text["cost"][i]
        if pd.isna(value):
            costs.append(None)
            continue
        pence, reason = parse_pence(value)
        if reason is None and pence < 0:
            reason = "cost is negative"
        if reason is not None:
            problems.append(Problem(source, f"{reason}: '{value}'", row=int(rows[i]), column=header["cost"]))
            costs.append(None)
        else:
            costs.append((Decimal(pence) / 100).quantize(Decimal("0.01")))

    out = pd.DataFrame({"row": rows, "urn": urn})
    for column in ("school_name", "provider", "reason"):
        out[column] = text[column]
    out["tier"] = coded["tier"]
    out["support_type"] = coded["support_type"]
    out["start_date"] = start
    out["end_date"] = end
    out["funding_source"] = coded["funding_source"]
    out["cost"] = pd.Series(costs, index=frame.index, dtype=object)
    out["status"] = coded["status"]
    out["ongoing"] = end.isna() & text["end_date"].isna()
    if not problems:
        problems.extend(_duplicates(out, source, header))
    if problems:
        raise InputError(problems)
    if out.empty:
        raise InputError(Problem(source, "no support episodes in the file"))
    columns = ["row", "urn", "school_name", "tier", "support_type", "provider", "start_date", "end_date",
               "funding_source", "cost", "reason", "status", "ongoing"]
    return SCHEMA.validate(out[columns].reset_index(drop=True))


def _duplicates(register: pd.DataFrame, source: str, header: dict[str, str]) -> list[Problem]:
    """One problem for each row repeating an earlier row's episode (URN, support type, provider, start)."""
    keys = register[EPISODE_KEY].astype("string").fillna("")
    repeated = keys.duplicated(keep="first")
    first_row = {tuple(k): r for k, r in zip(keys[~repeated].itertuples(index=False), register["row"][~repeated],
                                             strict=True)}
    return [
        Problem(source, f"repeats the episode on row {first_row[tuple(k)]} (same URN, support type, provider and "
                        "start date); delete one, or correct its dates", row=int(r), column=header["start_date"])
        for k, r in zip(keys[repeated].itertuples(index=False), register["row"][repeated], strict=True)
    ]


def register_warnings(register: pd.DataFrame, source: str) -> list[Problem]:
    """Rows whose status contradicts their dates: completed or withdrawn with no end date (counted as ongoing)."""
    finished = register["status"].isin(["completed", "withdrawn"]) & register["ongoing"]
    return [
        Problem(source, f"status is {status} but the end date is blank, so the episode is counted as ongoing",
                row=int(row), column="end_date", warning=True)
        for row, status in zip(register.loc[finished, "row"], register.loc[finished, "status"], strict=True)
    ]


def unknown_urns(register: pd.DataFrame, known: set[str], source: str) -> list[Problem]:
    """Register rows whose URN is not a known school (the establishments list and its links), one per row."""
    unknown = ~register["urn"].isin(known)
    return [
        Problem(source, f"URN {urn} is not in the establishments list", row=int(row), column="urn")
        for row, urn in zip(register.loc[unknown, "row"], register.loc[unknown, "urn"], strict=True)
    ]
