"""The LA's budgets and spending ledger for the LEEP fund and the Schools Causing Concern budget.

Two LA-owned files, CSV or XLSX (first worksheet, header on its first non-blank
row), laid out as ``docs/templates.md`` ("Budgets and ledger") documents and as
``leep sample-data`` writes them:

- budgets: ``fund``, ``financial_year`` (``2025-26``: April to March),
  ``allocation`` in pounds and pence;
- ledger: one row per commitment, payment or refund, with ``transaction_id``,
  ``date``, ``financial_year``, ``fund``, ``category``, ``payee``, optional
  ``payee_urn`` (the payee is a school), optional ``urn`` (the school the money
  supported), optional ``commitment`` (on a payment: the transaction id of the
  commitment it pays against), ``description``, ``type`` and ``amount``.

Money is read as exact pounds and pence and held as integer pence: a value
with more than two decimal places, or text, is an error, never rounded. Fund,
category and type vocabularies come from ``config/budget.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ..normalise import text_key
from ..school_year import (
    financial_year_bounds as year_bounds,  # also read from here by the budget section's views
)
from ..wording import long_date
from ._read import match_columns, parse_dates, parse_pence
from ._tables import read_register

BUDGET_COLUMNS = {
    "fund": ["fund"],
    "financial_year": ["financial_year", "financial year", "year"],
    "allocation": ["allocation", "allocation (£)", "budget"],
}
LEDGER_COLUMNS = {
    "transaction_id": ["transaction_id", "transaction id", "id", "reference"],
    "date": ["date", "transaction date"],
    "financial_year": ["financial_year", "financial year", "year"],
    "fund": ["fund"],
    "category": ["category"],
    "payee": ["payee", "supplier", "provider"],
    "payee_urn": ["payee_urn", "payee urn"],
    "urn": ["urn", "school urn"],
    "commitment": ["commitment", "commitment id", "against commitment"],
    "description": ["description", "details"],
    "type": ["type", "transaction type"],
    "amount": ["amount", "amount (£)", "value"],
}
LEDGER_REQUIRED = ["transaction_id", "date", "financial_year", "fund", "category", "payee", "type", "amount"]
_OPTIONAL_TEXT = ["payee_urn", "urn", "commitment", "description"]

_FY = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_URN = re.compile(r"^\d{6}$")


def _config() -> dict:
    return load_config("budget")


def funds(*, reported_only: bool = False) -> list[str]:
    """Fund codes from the configuration (only those with a statement if ``reported_only``)."""
    return [code for code, fund in _config()["funds"].items() if fund["reported"] or not reported_only]


def categories() -> list[str]:
    """Spending categories, in report order."""
    return list(_config()["categories"])


BUDGETS_SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64"),
        "fund": pa.Column("string", pa.Check.isin(funds(reported_only=True))),
        "financial_year": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "allocation_pence": pa.Column("int64", pa.Check.ge(0)),
    },
    unique=["fund", "financial_year"],
    strict=True,
)

LEDGER_SCHEMA = pa.DataFrameSchema(
    {
        "row": pa.Column("int64"),
        "transaction_id": pa.Column("string", unique=True),
        "date": pa.Column("datetime64[ns]"),
        "financial_year": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "fund": pa.Column("string", pa.Check.isin(funds())),
        "category": pa.Column("string", pa.Check.isin(categories())),
        "payee": pa.Column("string", nullable=True),
        "payee_urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$"), nullable=True),
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$"), nullable=True),
        "commitment": pa.Column("string", nullable=True),
        "description": pa.Column("string", nullable=True),
        "type": pa.Column("string", pa.Check.isin(_config()["types"])),
        "amount_pence": pa.Column("int64", pa.Check.ge(0)),
    },
    strict=True,
)


# ---------------------------------------------------------------------------- reading
def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column stripped, blanks as missing (a column the file lacks is all missing)."""
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[column].astype("string").str.strip().replace({"": pd.NA})


# ---------------------------------------------------------------------------- parsing
def parse_financial_year(text: str | None) -> str | None:
    """``2025-26`` from ``2025-26``, ``2025/26`` or ``2025-2026``; None if not a financial year."""
    if text is None or pd.isna(text):
        return None
    match = _FY.match(str(text).strip())
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    if int(end) % 100 != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
        return None
    return f"{start}-{(start + 1) % 100:02d}"


def _lookup(values: list[str], aliases: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Spelling as compared (``text_key``) -> canonical value."""
    table = {text_key(v): v for v in values}
    for value, names in (aliases or {}).items():
        table.update({text_key(n): value for n in names})
    return table


def _one_of(values: list[str]) -> str:
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


# ---------------------------------------------------------------------------- loaders
def load_budgets(path: str | Path) -> pd.DataFrame:
    """Load the budgets file: each fund's allocation for each financial year.

    Returns
    -------
    DataFrame
        Columns ``row`` (file row), ``fund`` (``LEEP`` or ``SCC``), ``financial_year``
        (``2025-26``), ``allocation_pence`` (int64).

    Raises
    ------
    InputError
        A missing column, an unknown fund, a financial year not written like
        ``2025-26``, an allocation that is text, negative or has more than two
        decimal places, or the same fund and year twice; each problem names its row.
    """
    path = Path(path)
    source = str(path)
    raw = read_register(path)
    mapping = match_columns([c for c in raw.columns if c != "file_row"], BUDGET_COLUMNS, source=source,
                            required=list(BUDGET_COLUMNS))
    header = {tidy: original for original, tidy in mapping.items()}
    frame = raw.rename(columns=mapping)
    config = _config()["funds"]
    reported = funds(reported_only=True)
    fund_of = _lookup(reported, {f: config[f].get("aliases", []) for f in reported})
    problems: list[Problem] = []
    records = []
    seen: dict[tuple[str, str], int] = {}
    for row, fund_text, year_text, amount_text in zip(
        frame["file_row"], _text(frame, "fund"), _text(frame, "financial_year"), _text(frame, "allocation"), strict=True
    ):
        row = int(row)
        fund = fund_of.get(text_key(fund_text)) if not pd.isna(fund_text) else None
        if fund is None:
            problems.append(Problem(source, f"unknown fund '{_show(fund_text)}'; expected {_one_of(reported)}",
                                    row=row, column=header["fund"]))
        year = parse_financial_year(year_text)
        if year is None:
            problems.append(Problem(source, f"not a financial year such as 2025-26: '{_show(year_text)}'",
                                    row=row, column=header["financial_year"]))
        pence, reason = parse_pence(amount_text)
        if reason is None and pence < 0:
            reason = "allocation is negative"
        if reason is not None:
            problems.append(Problem(source, f"{reason.replace('amount', 'allocation')}: '{_show(amount_text)}'",
                                    row=row, column=header["allocation"]))
        if fund is not None and year is not None:
            if (fund, year) in seen:
                problems.append(Problem(source, f"{fund} {year} is also on row {seen[(fund, year)]}",
                                        row=row, column=header["financial_year"]))
            seen.setdefault((fund, year), row)
        records.append((row, fund, year, pence))
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError(Problem(source, "no allocations in the file"))
    out = pd.DataFrame(records, columns=["row", "fund", "financial_year", "allocation_pence"])
    out = out.astype({"row": "int64", "fund": "string", "financial_year": "string", "allocation_pence": "int64"})
    return BUDGETS_SCHEMA.validate(out)


def _show(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def load_ledger(path: str | Path) -> pd.DataFrame:
    """Load the spending ledger: every commitment, payment and refund of every fund.

    Returns
    -------
    DataFrame
        One row per transaction, in file order. Columns: ``row`` (file row),
        ``transaction_id``, ``date`` (datetime64), ``financial_year``
        (``2025-26``), ``fund`` (``LEEP``, ``SCC``, ``other``), ``category`` (as
        configured), ``payee``, ``payee_urn`` and ``urn`` (six-digit text or
        missing), ``commitment`` (on a payment, the commitment it pays against,
        or missing), ``description``, ``type`` (``commitment``, ``payment``,
        ``refund``), ``amount_pence`` (int64, never negative).

    Raises
    ------
    InputError
        Every problem found, each naming its row and column: a missing column;
        a missing or duplicate transaction id; a bad date (ISO, dd/mm/yyyy and
        Excel dates are accepted); a financial year not written like 2025-26; a
        date outside its financial year; an unknown fund, category or type; an
        amount that is text, has more than two decimal places or is negative
        (refunds are their own type, entered as positive amounts); a URN that is
        not six digits; a payment against a commitment that is not in the
        ledger, is not a commitment, belongs to another fund or year, or is
        dated after the payment.
    """
    path = Path(path)
    source = str(path)
    raw = read_register(path)
    mapping = match_columns([c for c in raw.columns if c != "file_row"], LEDGER_COLUMNS, source=source,
                            required=LEDGER_REQUIRED)
    header = {tidy: original for original, tidy in mapping.items()}
    for tidy in _OPTIONAL_TEXT:
        header.setdefault(tidy, LEDGER_COLUMNS[tidy][0])
    frame = raw.rename(columns=mapping)
    config = _config()
    fund_of = _lookup(funds(), {f: c.get("aliases", []) for f, c in config["funds"].items()})
    category_of = _lookup(categories())
    type_of = _lookup(config["types"])
    problems: list[Problem] = []

    def bad(row: int, column: str, message: str) -> None:
        problems.append(Problem(source, message, row=row, column=header[column]))

    text = {column: _text(frame, column) for column in LEDGER_COLUMNS}
    dates = parse_dates(text["date"].fillna(""))
    cells = {column: [None if pd.isna(v) else v for v in values] for column, values in text.items()}
    rows = [int(r) for r in frame["file_row"]]
    out = pd.DataFrame({"row": pd.Series(rows, index=frame.index, dtype="int64")})
    ids, years, fund_col, category_col, type_col, pence_col = [], [], [], [], [], []
    first_row: dict[str, int] = {}
    for i, (row, when) in enumerate(zip(rows, dates.dt.date.tolist(), strict=True)):
        cell = {column: values[i] for column, values in cells.items()}
        tid = cell["transaction_id"]
        if tid is None:
            bad(row, "transaction_id", "transaction id is missing")
        elif tid in first_row:
            bad(row, "transaction_id", f"transaction id '{tid}' is also on row {first_row[tid]}")
        else:
            first_row[tid] = row
        ids.append(tid)

        when = None if pd.isna(when) else when
        if when is None:
            bad(row, "date", "date is missing" if cell["date"] is None else
                f"not a date: '{cell['date']}' (use 2025-09-01, 01/09/2025 or an Excel date)")
        year = parse_financial_year(cell["financial_year"])
        if year is None:
            bad(row, "financial_year", f"not a financial year such as 2025-26: '{_show(cell['financial_year'])}'")
        elif when is not None:
            first, last = year_bounds(year)
            if not first <= when <= last:
                bad(row, "date", f"date {when.isoformat()} is outside financial year {year} "
                    f"({long_date(first)} to {long_date(last)})")
        years.append(year)

        fund = fund_of.get(text_key(cell["fund"])) if cell["fund"] is not None else None
        if fund is None:
            bad(row, "fund", f"unknown fund '{_show(cell['fund'])}'; expected {_one_of(funds())}")
        fund_col.append(fund)

        category = category_of.get(text_key(cell["category"])) if cell["category"] is not None else None
        if category is None:
            bad(row, "category", f"unknown category '{_show(cell['category'])}'; expected one of: "
                f"{', '.join(categories())}")
        category_col.append(category)

        kind = type_of.get(text_key(cell["type"])) if cell["type"] is not None else None
        if kind is None:
            bad(row, "type", f"unknown type '{_show(cell['type'])}'; expected {_one_of(config['types'])}")
        type_col.append(kind)

        pence, reason = parse_pence(cell["amount"])
        if reason is not None:
            bad(row, "amount", f"{reason}: '{_show(cell['amount'])}'")
        elif pence < 0:
            advice = {"payment": "enter money coming back as type refund, with a positive amount",
                      "refund": "refunds are entered as positive amounts",
                      "commitment": "reduce the commitment's own amount instead"}.get(kind or "", "amounts are positive")
            bad(row, "amount", f"negative {kind or 'amount'} '{cell['amount']}'; {advice}")
        pence_col.append(pence)

        for column in ("urn", "payee_urn"):
            if cell[column] is not None and not _URN.match(cell[column]):
                bad(row, column, f"not a URN (six digits): '{cell[column]}'")

    out["transaction_id"] = pd.array(ids, dtype="string")
    out["date"] = dates.astype("datetime64[ns]")
    out["financial_year"] = pd.array(years, dtype="string")
    out["fund"] = pd.array(fund_col, dtype="string")
    out["category"] = pd.array(category_col, dtype="string")
    out["payee"] = text["payee"]
    out["payee_urn"] = text["payee_urn"]
    out["urn"] = text["urn"]
    out["commitment"] = text["commitment"]
    out["description"] = text["description"]
    out["type"] = pd.array(type_col, dtype="string")
    out["amount_pence"] = pd.array(pence_col, dtype="Int64")
    if not problems:
        problems.extend(_commitment_problems(out, source, header))
    if problems:
        raise InputError(problems)
    if out.empty:
        raise InputError(Problem(source, "no transactions in the file"))
    out["amount_pence"] = out["amount_pence"].astype("int64")
    out = LEDGER_SCHEMA.validate(out.reset_index(drop=True))
    out.attrs["headers"] = header  # tidy name -> the file's own header, for later problems
    return out


def _commitment_problems(ledger: pd.DataFrame, source: str, header: dict[str, str]) -> list[Problem]:
    """Payments must pay against a commitment of the same fund and year, dated no later."""
    column = header["commitment"]
    refs = ledger[ledger["commitment"].notna()]
    targets = ledger.set_index("transaction_id")[["type", "fund", "financial_year", "date"]]
    joined = refs.merge(targets.add_suffix("_target"), left_on="commitment", right_index=True, how="left")
    problems = []
    for r in joined.itertuples(index=False):
        if r.type != "payment":
            message = f"only a payment can pay against a commitment; this row is a {r.type}"
        elif pd.isna(r.type_target):
            message = f"commitment '{r.commitment}' is not a transaction id in this ledger"
        elif r.type_target != "commitment":
            message = f"'{r.commitment}' is a {r.type_target}, not a commitment"
        elif (r.fund_target, r.financial_year_target) != (r.fund, r.financial_year):
            message = (f"commitment '{r.commitment}' is {r.fund_target} {r.financial_year_target}; "
                       f"this payment is {r.fund} {r.financial_year}")
        elif r.date_target > r.date:
            message = f"commitment '{r.commitment}' is dated {r.date_target.date().isoformat()}, after this payment"
        else:
            continue
        problems.append(Problem(source, message, row=r.row, column=column))
    return problems


def _header(ledger: pd.DataFrame, tidy: str) -> str:
    """The ledger file's own header for a tidy column (the template's name if unknown)."""
    return str(ledger.attrs.get("headers", {}).get(tidy, tidy))


def ledger_warnings(ledger: pd.DataFrame, source: str) -> list[Problem]:
    """Things worth checking in a ledger that loaded cleanly, as warnings.

    A commitment paid more than its amount (it counts as closed, the excess is
    spent all the same). (Whether a payee is a school or a person is ``identifying``'s: a committee pack
    never names either.)
    """
    problems = []
    payments = ledger[(ledger["type"] == "payment") & ledger["commitment"].notna()]
    paid = payments.groupby("commitment")["amount_pence"].sum()
    commitments = ledger[ledger["type"] == "commitment"]
    for row in commitments.itertuples(index=False):
        excess = int(paid.get(row.transaction_id, 0)) - row.amount_pence
        if excess > 0:
            problems.append(Problem(source, f"payments against commitment '{row.transaction_id}' exceed it by "
                                    f"£{excess / 100:,.2f}", row=row.row, column=_header(ledger, "amount"), warning=True))
    return problems


def missing_allocations(ledger: pd.DataFrame, budgets: pd.DataFrame, as_at: dt.date, source: str) -> list[Problem]:
    """A reported fund's ledger rows (up to ``as_at``) in a financial year the budgets file has no allocation for.

    One problem per fund and year, naming the ledger's first row of it.
    """
    reported = funds(reported_only=True)
    rows = ledger[ledger["fund"].isin(reported) & ledger["date"].le(pd.Timestamp(as_at))]
    have = set(zip(budgets["fund"], budgets["financial_year"], strict=True))
    problems = []
    for (fund, year), part in rows.groupby(["fund", "financial_year"], sort=True):
        if (fund, year) not in have:
            problems.append(Problem(source, f"no allocation for {fund} {year} in the budgets file",
                                    row=int(part["row"].min()), column=_header(ledger, "financial_year")))
    return problems


def unknown_urns(ledger: pd.DataFrame, establishments: pd.DataFrame, source: str) -> list[Problem]:
    """Ledger rows whose ``urn`` or ``payee_urn`` is not in the establishments list, one problem per row."""
    known = set(establishments["urn"].dropna().astype(str))
    problems = []
    for column in ("urn", "payee_urn"):
        unknown = ledger[ledger[column].notna() & ~ledger[column].isin(known)]
        problems.extend(Problem(source, f"URN {urn} is not in the establishments list", row=int(row), column=_header(ledger, column))
                        for row, urn in zip(unknown["row"], unknown[column], strict=True))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
