"""DfE LA Interactive Tool (LAIT) benchmark data, long format.

The published table (``bds_long_*.parquet``, or the same table as CSV) has one
row per indicator, year and area, every value as text: numbers, scientific
notation (``-7.0000000000000007E-2``), and markers (``-``, ``c``, ``x``, ``z``,
``..``). Year labels mix calendar, academic and financial years and carry a
status (``2018 (Rev)``, ``2025 (prov)``, ``2016-17 (OT)``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import bidi
from ..config import load_config
from ..errors import InputError, Problem
from ..normalise import place_key, text_key
from ._read import bad_values, by_uniques, match_columns, parse_numbers, read_csv_text

ENGLAND = "970"
REGION_CODES = range(980, 1000)

COLUMNS = {
    "indicator": ["Short Desc"],
    "item": ["Data item"],
    "year_label": ["Years"],
    "area": ["LA and Regions"],
    "value_text": ["Values"],
    "la_number": ["LA Number"],
    "region": ["Region"],
}
REQUIRED = ["indicator", "year_label", "area", "value_text", "la_number"]

_STATUS = {"prov": "provisional", "rev": "revised", "final": "final", "ot": "final"}

#: Tidy LAIT rows. ``year`` is the calendar year the period ends in (2023/24 -> 2024).
SCHEMA = pa.DataFrameSchema(
    {
        "indicator": pa.Column("string"),
        "item": pa.Column("string", nullable=True),
        "year_label": pa.Column("string"),
        "year": pa.Column("Int64", nullable=True),
        "status": pa.Column("string", nullable=True),
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3,4}$")),
        "area": pa.Column("string"),
        "area_type": pa.Column("string", pa.Check.isin(["la", "region", "england"])),
        "region": pa.Column("string", nullable=True),
        "region_code": pa.Column("string", nullable=True),
        "value": pa.Column("float64", nullable=True),
        "missing_reason": pa.Column("string", nullable=True),
    },
    strict=True,
)


def parse_year_label(label: str) -> tuple[int | None, str | None]:
    """Numeric year and status of a LAIT year label.

    The year is the calendar year the period ends in: ``2023`` -> 2023,
    ``2023/24`` -> 2024, ``2016-17 (OT)`` -> 2017, ``2014-16`` (a three-year
    average) -> 2016, ``2013/14-15/16`` -> 2016. The status comes from the
    bracketed suffix: ``prov`` provisional, ``Rev`` revised, ``Final`` and ``OT``
    (outturn) final; no suffix, no status. Labels without a year (``0``) give None.
    """
    text = str(label).strip()
    status = None
    bracket = re.search(r"\(([^)]*)\)\s*$", text)
    if bracket:
        status = _STATUS.get(text_key(bracket.group(1)))
        text = text[: bracket.start()].strip()
    numbers = re.findall(r"\d{4}|\d{2}", text)
    if not numbers or len(numbers[0]) != 4:
        return None, status
    first = int(numbers[0])
    last = numbers[-1]
    if len(last) == 4:
        return int(last), status
    year = first // 100 * 100 + int(last)
    return (year + 100 if year < first else year), status


def load_lait(path: str | Path) -> pd.DataFrame:
    """Load a LAIT long-format file (parquet or CSV) into tidy rows.

    Returns
    -------
    DataFrame
        Columns (see ``SCHEMA``): ``indicator`` (LAIT short code), ``item``
        (LAIT's label), ``year_label`` (as published), ``year``, ``status``,
        ``la_code`` (``'855'``; England ``'970'``, regions ``'980'`` and above),
        ``area``, ``area_type`` (``la``, ``region``, ``england``), ``region`` and
        ``region_code`` (an LA's region), ``value`` and ``missing_reason``
        (``suppressed``, ``not applicable``, ``not available``, or ``counted in
        successor LA`` for a reorganised area's predecessor).

    Raises
    ------
    InputError
        Unreadable file, missing column, an LA number that is not a number,
        or the same indicator, year and area twice.
    """
    path = Path(path)
    source = str(path)
    raw = _read_raw(path)
    mapping = match_columns(raw.columns, COLUMNS, source=source, required=REQUIRED)
    frame = raw.rename(columns=mapping)[list(mapping.values())]
    if "item" not in frame:
        frame["item"] = pd.NA
    if "region" not in frame:
        frame["region"] = pd.NA

    if pd.api.types.is_numeric_dtype(frame["la_number"]):
        numbers = frame["la_number"].where(frame["la_number"] % 1 == 0).astype("Int64")
    else:
        numbers = by_uniques(frame["la_number"].astype("string"), _whole_number)
    bad = numbers.isna()
    if bad.any():
        problems = bad_values(bad, frame, "la_number", source=source, message="LA Number is not a whole number")
        raise InputError([_rename(p, COLUMNS) for p in problems[:20]])
    codes = numbers.astype("int64")

    def stripped(column: str) -> pd.Series:
        return by_uniques(frame[column].astype("string"), lambda u: u.str.strip())

    out = pd.DataFrame({"indicator": stripped("indicator")})
    out["item"] = by_uniques(frame["item"].astype("string"), lambda u: u.str.strip().replace({"": pd.NA}))
    out["year_label"] = stripped("year_label")
    out["year"] = by_uniques(out["year_label"], lambda u: pd.array([parse_year_label(x)[0] for x in u], dtype="Int64"))
    out["status"] = by_uniques(out["year_label"], lambda u: pd.array([parse_year_label(x)[1] for x in u], dtype="string"))
    out["la_code"] = by_uniques(codes, lambda u: pd.Series([f"{c:03d}" for c in u], dtype="string"))
    out["area"] = by_uniques(frame["area"].astype("string"), lambda u: bidi.strip(u.str.strip()))  # shown in titles
    area_type = pd.Series("la", index=out.index, dtype="string")
    area_type[codes == int(ENGLAND)] = "england"
    area_type[codes.isin(REGION_CODES)] = "region"
    out["area_type"] = area_type
    region = by_uniques(
        frame["region"].astype("string"), lambda u: u.str.strip().replace({"NA": pd.NA, "": pd.NA})
    )
    out["region"] = region.mask(area_type != "la")

    region_rows = out.loc[area_type == "region", ["area", "la_code"]].drop_duplicates()
    by_key = {place_key(a): c for a, c in zip(region_rows["area"], region_rows["la_code"], strict=True)}
    out["region_code"] = by_uniques(
        out["region"], lambda u: pd.Series([by_key.get(place_key(r)) for r in u], dtype="string")
    )

    values, reasons = parse_numbers(frame["value_text"])
    out["value"] = values
    out["missing_reason"] = reasons

    dup = out.duplicated(["indicator", "year_label", "la_code"], keep="first")
    if dup.any():
        first = out.index[dup.to_numpy()][0]
        raise InputError(
            Problem(
                source,
                f"{out.at[first, 'indicator']} {out.at[first, 'year_label']} appears twice "
                f"for LA {out.at[first, 'la_code']} ({int(dup.sum())} duplicated rows)",
                row=int(first) + 2,
            )
        )
    out = count_reorganised_areas_once(out)
    return SCHEMA.validate(out)


def _whole_number(text: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(text.str.strip(), errors="coerce")
    return numbers.where(numbers % 1 == 0).astype("Int64")


def _read_raw(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except FileNotFoundError:
            raise InputError(Problem(str(path), "file not found")) from None
        except Exception as exc:  # pyarrow raises several types for a broken file
            raise InputError(Problem(str(path), f"not a readable parquet file ({type(exc).__name__})")) from None
        if frame.empty:
            raise InputError(Problem(str(path), "file holds no rows"))
        return frame
    return read_csv_text(path)


def _rename(problem: Problem, mapping: dict[str, list[str]]) -> Problem:
    """Report a problem under the file's own header rather than the tidy name."""
    if problem.column in mapping:
        return Problem(problem.source, problem.message, row=problem.row, column=mapping[problem.column][0])
    return problem


PLACEHOLDER = "placeholder 0 of a reorganised LA"


def _drop_placeholders(frame: pd.DataFrame, pred: set[str], succ: set[str]) -> None:
    """Set missing the 0s LAIT holds for one side of a reorganisation in years only the other side reported.

    The September 2025 release gives 0 (not a marker) for LAs in years they did
    not exist, e.g. Cumberland and Westmorland and Furness in 2022, when Cumbria
    reported: such a 0 is missing, never a value. Where both sides report only
    zeros the zeros may be real, and are left to the rule below.
    """
    part = frame.loc[frame["la_code"].isin(pred | succ) & frame["value"].notna()]
    if part.empty:
        return
    side = part["la_code"].isin(succ).map({True: "succ", False: "pred"})
    nonzero = part["value"].ne(0).groupby([part["indicator"], part["year_label"], side]).any().unstack(fill_value=False)
    for this, other in (("succ", "pred"), ("pred", "succ")):
        if this not in nonzero or other not in nonzero:
            continue
        only_other = nonzero.index[~nonzero[this] & nonzero[other]]
        keys = pd.MultiIndex.from_frame(part[["indicator", "year_label"]])
        hit = part.index[(side == this).to_numpy() & part["value"].eq(0).to_numpy() & keys.isin(only_other)]
        frame.loc[hit, "value"] = float("nan")
        frame.loc[hit, "missing_reason"] = PLACEHOLDER


def count_reorganised_areas_once(frame: pd.DataFrame) -> pd.DataFrame:
    """Set aside predecessor values in years a successor LA reports, so no area counts twice.

    For each reorganisation in ``config/merged_las.yaml``, indicator and year:
    placeholder zeros are first set missing (``_drop_placeholders``); then if any
    successor LA has a value, the predecessors' values for that year are set
    missing with the reason ``counted in successor LA``.
    """
    frame = frame.copy()
    for group in load_config("merged_las"):
        pred, succ = set(group["predecessors"]), set(group["successors"])
        _drop_placeholders(frame, pred, succ)
        part = frame.loc[frame["la_code"].isin(pred | succ) & frame["value"].notna()]
        reported = part.loc[part["la_code"].isin(succ), ["indicator", "year_label"]]
        if reported.empty:
            continue
        candidates = part.loc[part["la_code"].isin(pred), ["indicator", "year_label"]]
        keys = pd.MultiIndex.from_frame(candidates)
        drop = candidates.index[keys.isin(pd.MultiIndex.from_frame(reported))]
        frame.loc[drop, "value"] = float("nan")
        frame.loc[drop, "missing_reason"] = "counted in successor LA"
    return frame
