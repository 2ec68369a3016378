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
    },
    strict=True,
)


def load_dictionary(path: str | Path) -> pd.DataFrame:
    """Load the LAIT data dictionary, one row per current measure.

    Returns
    -------
    DataFrame
        Columns (see ``SCHEMA``): ``indicator`` (LAIT short code, the key into
        the benchmark data), ``measure_code``, ``topic``, ``label``,
        ``chart_title``, ``polarity`` (``High``, ``Low`` or missing), ``units``,
        ``decimals``, ``year_type``, ``no_quartile``. Measures marked
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
    current = ~frame["table_status"].str.lower().eq("discontinued").fillna(False)
    frame = frame[current & frame["indicator"].notna()].drop(columns="table_status")
    frame = frame.drop_duplicates("indicator", keep="first").reset_index(drop=True)
    return SCHEMA.validate(frame)
