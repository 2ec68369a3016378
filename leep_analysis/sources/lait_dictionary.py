"""The LAIT data dictionary (``lait_data_dictionary.csv``).

One row per measure: topic, labels, polarity (``High``: higher is better,
``Low``: lower is better, ``-`` or blank: neither), decimal places, year type
and the ``No_Quartile`` flag DfE sets where the spread between LAs is too small
for quartile bands to mean anything. Discontinued measures are dropped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..errors import InputError, Problem
from ..normalise import text_keys
from ._read import match_columns, read_csv_text

COLUMNS = {
    "indicator": ["Measure_short"],
    "measure_code": ["Measure_code"],
    "topic": ["Topic"],
    "label": ["Measure"],
    "chart_title": ["Chart_title"],
    "polarity": ["Polarity"],
    "units": ["y_axis_name"],
    "table_status": ["Table_status"],
    "decimals": ["dps"],
    "year_type": ["Year_Type"],
    "no_quartile": ["No_Quartile"],
    "last_update": ["Last Update", "Last_Update"],
    "next_update": ["Next Update", "Next_Update"],
}
REQUIRED = ["indicator", "topic", "label", "polarity"]

SCHEMA = pa.DataFrameSchema(
    {
        "indicator": pa.Column("string", unique=True),
        "measure_code": pa.Column("string", nullable=True),
        "topic": pa.Column("string"),
        "label": pa.Column("string"),
        "chart_title": pa.Column("string", nullable=True),
        "polarity": pa.Column("string", pa.Check.isin(["High", "Low"]), nullable=True),
        "units": pa.Column("string", nullable=True),
        "decimals": pa.Column("Int64", nullable=True),
        "year_type": pa.Column("string", nullable=True),
        "no_quartile": pa.Column("bool"),
        "last_update": pa.Column("datetime64[ns]", nullable=True),
        "next_update": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=True,
)


def release_dates(values: pd.Series) -> pd.Series:
    """``Last Update`` / ``Next Update`` as dates: LAIT writes them as Excel day numbers (``46266``, 1 Sep 2026).

    A written date (``01/09/2026``, ``2026-09-01``) is read day first; ``TBC``,
    ``Discontinued`` and other words are missing (no date is known).
    """
    text = values.astype("string").str.strip()
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"\d{5}(\.0+)?").fillna(False)), errors="coerce")
    dates = pd.to_datetime(serial, unit="D", origin="1899-12-30", errors="coerce")
    written = pd.to_datetime(text.where(serial.isna()), errors="coerce", dayfirst=True, format="mixed")
    return dates.fillna(written).astype("datetime64[ns]")


def load_dictionary(path: str | Path) -> pd.DataFrame:
    """Load the LAIT data dictionary, one row per current measure.

    Returns
    -------
    DataFrame
        Columns (see ``SCHEMA``): ``indicator`` (LAIT short code, the key into
        the benchmark data), ``measure_code``, ``topic``, ``label``,
        ``chart_title``, ``polarity`` (``High``, ``Low`` or missing), ``units``,
        ``decimals``, ``year_type``, ``no_quartile``, ``last_update`` and
        ``next_update`` (the dates of the measure's latest and next release;
        missing where the file says ``TBC`` or gives none). Measures marked
        ``Discontinued`` are dropped; where a short code is listed under two
        topics the first listing is kept.

    Raises
    ------
    InputError
        Unreadable file, a missing column, or an unknown polarity.
    """
    path = Path(path)
    source = str(path)
    raw = read_csv_text(path)
    mapping = match_columns(raw.columns, COLUMNS, source=source, required=REQUIRED)
    frame = raw.rename(columns=mapping)
    for tidy in COLUMNS:
        if tidy not in frame:
            frame[tidy] = ""
    frame = frame[list(COLUMNS)].astype("string")
    for column in frame:
        frame[column] = frame[column].str.strip().replace({"": pd.NA, "NA": pd.NA})

    polarity = frame["polarity"].str.capitalize().replace({"-": pd.NA})
    unknown = polarity.notna() & ~polarity.isin(["High", "Low"])
    if unknown.any():
        i = int(frame.index[unknown.to_numpy()][0])
        raise InputError(
            Problem(source, f"polarity '{frame.at[i, 'polarity']}' is not High, Low or -", row=i + 2, column="Polarity")
        )
    frame["polarity"] = polarity
    decimals = pd.to_numeric(frame["decimals"], errors="coerce")
    frame["decimals"] = decimals.astype("Int64")
    # LAIT marks measures it shows without quartile bands with "N" in No_Quartile.
    frame["no_quartile"] = frame["no_quartile"].notna().astype(bool)
    for column in ("last_update", "next_update"):
        frame[column] = release_dates(frame[column])
    current = ~text_keys(frame["table_status"]).eq("discontinued").fillna(False)
    frame = frame[current & frame["indicator"].notna()].drop(columns="table_status")
    frame = frame.drop_duplicates("indicator", keep="first").reset_index(drop=True)
    return SCHEMA.validate(frame)
