"""School performance tables: key stage 2, key stage 4 and 16 to 18 results by school.

The DfE's "Compare school and college performance" download gives one CSV per
key stage and year (``england_ks2final.csv``, ``england_ks4provisional.csv``,
``england_ks5final.csv``; the download tool's one-LA extracts are named like
``2018-2019_850_ks2final.csv``). One row per school, LA and England, told apart
by ``RECTYPE``, whose codes differ between key stages. Files may start with a
byte-order mark; rows may end early (an LA without results is ``4,201``);
values carry ``%`` and the markers ``SUPP``, ``NE``, ``NP``, ``LOWCOV``, ``NA``.
The measures kept, their labels and the markers' meanings are in
``config/performance.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ..normalise import text_key
from ..params import DatedFile
from ..school_year import end_year, end_year_in_names
from ._read import (
    MISSING_MARKERS,
    bad_values,
    match_columns,
    parse_numbers,
    read_csv_text,
    read_sheet_rows,
    workbook_sheets,
)

COLUMNS = {
    "rectype": ["RECTYPE"],
    "urn": ["URN"],
    "la": ["LEA", "LA", "LA Number", "LA (code)"],
    "school_name": ["SCHNAME", "School name"],
}
REQUIRED = ["rectype", "urn", "la"]
KEY = "data.school_performance"
MAX_PROBLEMS = 20

#: Tidy school results, one row per school, year, key stage and measure.
SCHEMA = pa.DataFrameSchema(
    {
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d+$")),
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$")),
        "school_name": pa.Column("string", nullable=True),
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "key_stage": pa.Column("string", pa.Check.isin(["ks2", "ks4", "ks5"])),
        "measure": pa.Column("string"),
        "value": pa.Column("float64", nullable=True),
        "missing_reason": pa.Column("string", nullable=True),
        "cohort": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "source": pa.Column("string"),
    },
    checks=pa.Check(lambda df: df["value"].isna() == df["missing_reason"].notna(),
                    error="a value is missing without a reason, or has one while present"),
    unique=["urn", "year", "key_stage", "measure"],
    strict=True,
)


def key_stages() -> dict[str, dict[str, Any]]:
    """The key stages of ``config/performance.yaml``: detection header, record types, measures."""
    return load_config("performance")["key_stages"]


def markers() -> dict[str, str]:
    """The publisher's markers (lower case) and why the value is missing: ``_read``'s, then the configured ones."""
    configured = {str(k).lower(): v for k, v in load_config("performance")["markers"].items()}
    return {**MISSING_MARKERS, **configured}


def load_performance(files: Sequence[DatedFile]) -> pd.DataFrame:
    """Load performance-table CSVs (any mix of key stages and years) into tidy school results.

    Each file's key stage is recognised from its headers (``PTRWM_EXP`` KS2,
    ``ATT8SCR`` KS4, ``TALLPPE_ALEV_1618`` 16-18); its academic year from the
    file's ``as_at`` date (the academic year that date falls in: 2019-08-31
    means 2018/19) or, without one, from its name or folder (``2018-2019_...``,
    ``perf_tables_2018_19``, a sample's leading ``2019-08-31``). Only school
    rows are kept (LA and England summary rows are dropped), and only the
    measures listed in ``config/performance.yaml``; a measure a file lacks
    (such as Progress 8 in 2020) has no rows for that file.

    Returns
    -------
    DataFrame
        Columns (see ``SCHEMA``): ``urn``, ``la_code`` (3 digits), ``school_name``,
        ``year`` (end year of the academic year, 2018/19 -> 2019), ``key_stage``
        (``ks2``, ``ks4``, ``ks5``), ``measure`` (the DfE column name, e.g.
        ``ATT8SCR``), ``value`` (percentages as 0-100), ``missing_reason`` (where
        the value is missing: ``suppressed``, ``no entries``, ``not published``,
        ``low coverage``, ``not applicable``, ``new school``, ``not available``),
        ``cohort`` (pupils the measure is about, where the file gives it:
        ``TELIG``, ``TPUP``, ``P8PUP`` ...), ``source`` (the file's path).

    Raises
    ------
    InputError
        A file that is not a KS2, KS4 or 16-18 table (naming what it is where
        recognised, such as Ofsted management information), no academic year,
        no URN or LA column, a school row whose URN or LA code is not a number,
        an unknown record type, a measure value that is neither a number nor a
        marker, or the same school twice for one year and key stage (in one
        file or across files).
    """
    parts = [_load_file(f) for f in files]
    if not parts:
        return SCHEMA.validate(_empty())
    out = pd.concat(parts, ignore_index=True)
    _check_one_file_per_year(out)
    return SCHEMA.validate(out)


def headline(frame: pd.DataFrame, key_stage: str) -> pd.DataFrame:
    """The headline result of each school and year, as the support-impact analysis uses it.

    KS2: % reaching the expected standard in reading, writing and maths
    (``PTRWM_EXP``). KS4: Progress 8 (``P8MEA``), or Attainment 8 (``ATT8SCR``)
    in a year without Progress 8 (2020, 2021 and 2025 had none). 16-18: A level
    average point score per entry. The choice is made per year, never per
    school, so one year's schools are always compared on one measure; a school
    whose Progress 8 is suppressed in a Progress 8 year keeps a missing value.

    Parameters
    ----------
    frame : DataFrame
        As returned by ``load_performance``.
    key_stage : str
        ``ks2``, ``ks4`` or ``ks5``.

    Returns
    -------
    DataFrame
        The rows of ``frame`` (same columns) holding each school's headline
        measure, one per school and year, sorted by year and URN; ``measure``
        says which measure each year uses.
    """
    stages = key_stages()
    if key_stage not in stages:
        raise ValueError(f"key_stage must be one of {', '.join(stages)}, not {key_stage!r}")
    order = stages[key_stage]["headline"]
    part = frame.loc[(frame["key_stage"] == key_stage) & frame["measure"].isin(order)]
    rank = part["measure"].map({m: i for i, m in enumerate(order)})
    present = rank.groupby(part["year"]).min()
    with_values = rank[part["value"].notna()].groupby(part["year"]).min()
    chosen = with_values.reindex(present.index).fillna(present)
    keep = rank == part["year"].map(chosen)
    return part.loc[keep].sort_values(["year", "urn"], kind="stable").reset_index(drop=True)


def academic_year(file: DatedFile) -> int:
    """End year of the academic year a file's results are for.

    From ``as_at`` where given (the academic year, 1 September to 31 August,
    that the date falls in), else from the file name or the nearest folder
    name: ``2018-2019``, ``2018_19``, ``2018-19`` or a leading ISO date
    (``2019-08-31_ks2final.csv``, as in the sample) -> 2019. When both are
    given they must agree.

    Raises
    ------
    InputError
        Neither gives a year, or they disagree.
    """
    path = Path(file.path)
    named = end_year_in_names([path.stem, *(p.name for p in path.parents)])
    if file.as_at is not None:
        year = end_year(file.as_at)
        if named is not None and named != year:
            raise InputError(Problem(
                str(path),
                f"as_at {file.as_at} is in academic year {year - 1}/{year % 100:02d} but the file's "
                f"name says {named - 1}/{named % 100:02d}; as_at is 31 August of the year the "
                f"results are for (e.g. {named}-08-31)",
                key=KEY,
            ))
        return year
    if named is None:
        raise InputError(Problem(
            str(path),
            "cannot tell which academic year these results are for: list the file as "
            "{path: ..., as_at: 2019-08-31} (31 August of the year the results are for) "
            "or keep the year in its name, e.g. 2018-2019_ks4final.csv",
            key=KEY,
        ))
    return named


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "urn": pd.Series(dtype="string"), "la_code": pd.Series(dtype="string"),
        "school_name": pd.Series(dtype="string"), "year": pd.Series(dtype="int64"),
        "key_stage": pd.Series(dtype="string"), "measure": pd.Series(dtype="string"),
        "value": pd.Series(dtype="float64"), "missing_reason": pd.Series(dtype="string"),
        "cohort": pd.Series(dtype="Int64"), "source": pd.Series(dtype="string"),
    })


def _load_file(file: DatedFile) -> pd.DataFrame:
    path = Path(file.path)
    source = str(path)
    if _is_workbook(path):
        raise InputError(Problem(source, _workbook_message(path)))
    raw = read_csv_text(path)
    key_stage = _detect_key_stage(raw.columns, source)
    year = academic_year(file)
    spec = key_stages()[key_stage]
    mapping = match_columns(raw.columns, COLUMNS, source=source, required=REQUIRED)
    header_of = {v: k for k, v in mapping.items()}  # tidy name -> the file's header
    headers = {text_key(c): c for c in raw.columns}
    measures = [(m, headers[text_key(m)]) for m in spec["measures"] if text_key(m) in headers]
    cohort_of = {m: headers.get(text_key(spec["measures"][m].get("cohort", spec["cohort"])))
                 for m, _ in measures}
    wanted = [*header_of.values(), *(c for _, c in measures), *(c for c in cohort_of.values() if c)]
    frame = raw[list(dict.fromkeys(wanted))].fillna("")  # fillna: rows that end early

    rectype = pd.to_numeric(frame[header_of["rectype"]].str.strip(), errors="coerce")
    known = set(spec["school_rectypes"]) | set(spec["other_rectypes"])
    unknown = ~rectype.isin(known)
    if unknown.any():
        codes = ", ".join(str(c) for c in sorted(known))
        raise InputError(bad_values(unknown, frame, header_of["rectype"], source=source,
                                    message=f"not a {key_stage.upper()} record type ({codes})")[:MAX_PROBLEMS])
    schools = frame.loc[rectype.isin(spec["school_rectypes"])]

    urn = schools[header_of["urn"]].str.strip()
    la = schools[header_of["la"]].str.strip()
    problems = bad_values(~urn.str.fullmatch(r"\d+"), schools, header_of["urn"], source=source,
                          message="URN is not a whole number")
    problems += bad_values(~la.str.fullmatch(r"\d{1,3}"), schools, header_of["la"], source=source,
                           message="LA code is not a number of up to 3 digits")
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    twice = urn.duplicated(keep="first")
    if twice.any():
        first_row = {u: int(i) + 2 for i, u in urn[~twice].items()}
        raise InputError([
            Problem(source, f"URN {u} appears twice (first at row {first_row[u]})", row=int(i) + 2,
                    column=header_of["urn"])
            for i, u in urn[twice].items()
        ][:MAX_PROBLEMS])

    names = (schools[header_of["school_name"]].str.strip().replace({"": pd.NA})
             if "school_name" in header_of else pd.Series(pd.NA, index=schools.index, dtype="string"))
    # one parse for every measure and cohort column, stacked column after column
    n, k = len(schools), len(measures)
    cohort_columns = list(dict.fromkeys(c for c in cohort_of.values() if c))
    stacked = [column for _, column in measures] + cohort_columns
    numbers, reasons = parse_numbers(pd.concat([schools[c] for c in stacked], ignore_index=True),
                                     markers=markers())
    garbage = reasons.iloc[: n * k].eq("not a number").fillna(False).to_numpy(dtype=bool)
    if garbage.any():
        problems = []
        for position in garbage.nonzero()[0][:MAX_PROBLEMS]:
            row = schools.index[position % n]
            column = measures[position // n][1]
            problems.append(Problem(source, f"not a number or a known marker: '{schools.at[row, column]}'",
                                    row=int(row) + 2, column=column))
        raise InputError(problems)
    counts: dict[str | None, np.ndarray] = {None: np.full(n, np.nan)}
    for i, column in enumerate(cohort_columns, start=k):
        block = numbers.iloc[i * n:(i + 1) * n].to_numpy()
        counts[column] = np.where(block % 1 == 0, block, np.nan)  # a count is a whole number
    # measure-major: the rows of the first measure for every school, then the next measure
    return pd.DataFrame({
        "urn": pd.array(np.tile(urn.to_numpy(), k), dtype="string"),
        "la_code": pd.array(np.tile(la.str.zfill(3).to_numpy(), k), dtype="string"),
        "school_name": pd.array(np.tile(names.to_numpy(dtype=object, na_value=None), k), dtype="string"),
        "year": np.full(n * k, year, dtype="int64"),
        "key_stage": pd.array([key_stage] * (n * k), dtype="string"),
        "measure": pd.array(np.repeat([m for m, _ in measures], n), dtype="string"),
        "value": numbers.iloc[: n * k].to_numpy(),
        "missing_reason": reasons.iloc[: n * k].array,
        "cohort": pd.array(np.concatenate([counts[cohort_of[m]] for m, _ in measures]), dtype="Int64"),
        "source": pd.array([source] * (n * k), dtype="string"),
    })


def _detect_key_stage(columns: Sequence[object], source: str) -> str:
    headers = {text_key(c) for c in columns}
    stages = key_stages()
    found = [ks for ks, spec in stages.items() if text_key(spec["detect"]) in headers]
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(Problem(source, f"has the headers of more than one key stage ({', '.join(found)}); "
                                         "give each key stage's file separately"))
    kind = _recognise(columns)
    if kind:
        raise InputError(Problem(source, f"is {kind}, not a school performance table (KS2, KS4 or 16-18 results)"))
    markers = ", ".join(f"{spec['detect']} ({spec['title']})" for spec in stages.values())
    raise InputError(Problem(source, f"is not a school performance table: none of its headers is {markers}"))


def _recognise(columns: Sequence[object]) -> str | None:
    headers = {text_key(c) for c in columns}
    for kind in load_config("performance")["other_kinds"]:
        wanted = kind.get("headers")
        if wanted and all(text_key(h) in headers for h in wanted):
            return kind["name"]
    return None


def _is_workbook(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".zip"):
        return True
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return False  # read_csv_text reports it
    return start[:4] == b"PK\x03\x04" or start == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _workbook_message(path: Path) -> str:
    usual = "give the performance tables' CSV download (e.g. england_ks4final.csv)"
    sheets = workbook_sheets(path)
    named = {text_key(s) for s in sheets}
    for kind in load_config("performance")["other_kinds"]:
        if any(text_key(s) in named for s in kind.get("sheets", [])):
            return f"is {kind['name']}, not a school performance table: {usual}"
    rows = read_sheet_rows(path, sheets[0]) if sheets else []
    kind = _recognise(rows[0]) if rows else None
    if kind:
        return f"is {kind}, not a school performance table: {usual}"
    return f"is a spreadsheet workbook: {usual}"


def _check_one_file_per_year(frame: pd.DataFrame) -> None:
    per_file = frame.drop_duplicates(["urn", "year", "key_stage", "source"])
    clash = per_file.loc[per_file.duplicated(["urn", "year", "key_stage"], keep=False)]
    if clash.empty:
        return
    problems = []
    for (year, key_stage), group in clash.groupby(["year", "key_stage"], sort=True):
        sources = list(dict.fromkeys(group["source"]))
        schools = group["urn"].nunique()
        problems.append(Problem(
            sources[-1],
            f"{key_stage.upper()} results for {year - 1}/{year % 100:02d} are also in {', '.join(sources[:-1])} "
            f"({schools} school{'s' * (schools != 1)} in both); give one file per key stage and year",
            key=KEY,
        ))
    raise InputError(problems)
