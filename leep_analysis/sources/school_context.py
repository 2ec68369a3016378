"""Performance tables' school context files: the January census and absence, and the ``*_meta.csv`` dictionaries.

The DfE's performance tables download has, beside the results, one CSV per
year of pupil numbers from the school census (``england_census.csv``: pupils on
roll, SEN, EAL, free school meals) and one of absence (``england_abs.csv``:
overall absence and persistent absentees), each with a ``*_meta.csv`` that
labels its columns (two layouts: ``Field Reference, Field Name`` or
``Variable, Label, Description``). Rows marked ``NAT`` (in ``URN`` in the
census, in ``LA`` in the absence file) are England's figures by phase, named
in ``ESTAB`` (``PRI``, ``SEC``, ``SPE``). Values carry
the publisher's markers (``NA``, ``SUPP``, ``NE``, ``x``), which become missing
with the reason ``config/performance.yaml`` gives them. The academic year is read from the folder or file name
(``perf_tables_2018_19``, ``2018-2019_england_census.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..errors import InputError, Problem
from ..normalise import text_key, text_keys
from ..school_year import end_year_in_names
from . import performance
from ._read import match_columns, parse_numbers, read_csv_text, read_sheet_rows, workbook_sheets
from ._tables import cell_text, is_workbook

NATIONAL_PHASES = {"PRI": "primary", "SEC": "secondary", "SPE": "special"}
#: Identifying columns of each file; every other column is a measure.
KINDS = {
    "census": {"required": ["urn", "la", "NOR"], "id": ["URN", "LA", "ESTAB", "SCHOOLTYPE"],
               "meta": "census_meta.csv"},
    "absence": {"required": ["urn", "la", "PERCTOT"], "id": ["URN", "LA", "ESTAB"], "meta": "abs_meta.csv"},
}
_COLUMNS = {"urn": ["URN"], "la": ["LA", "LEA", "LA Number"], "NOR": ["NOR"], "PERCTOT": ["PERCTOT"]}

#: Tidy context figures, one row per school (or England and phase), measure.
SCHEMA = pa.DataFrameSchema(
    {
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d{6}$"), nullable=True),
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$")),
        "phase": pa.Column("string", pa.Check.isin(list(NATIONAL_PHASES.values())), nullable=True),
        "year": pa.Column("int64", pa.Check.in_range(2000, 2100)),
        "measure": pa.Column("string"),
        "label": pa.Column("string"),
        "value": pa.Column("float64", nullable=True),
        "missing_reason": pa.Column("string", nullable=True),
        "source": pa.Column("string"),
    },
    checks=pa.Check(lambda df: df["urn"].isna() == df["phase"].notna(), error="England rows have a phase, schools a URN"),
    unique=["urn", "la_code", "phase", "measure"],
    strict=True,
)


#: (field code header, label header) of each known dictionary layout, tried in order.
META_LAYOUTS = [("Field Reference", "Field Name"), ("Variable", "Label"), ("Metafile heading", "Metafile description"),
                ("Field Name", "Label/Description"), ("Field Name", "Field description"), ("Field Name", "Description")]
#: How far down a dictionary its header row is looked for (the 16-18 ones have notes above it).
META_HEADER_ROWS = 10


def load_meta(path: str | Path) -> pd.DataFrame:
    """A ``*_meta.csv`` (or ``.xlsx``) dictionary: ``field`` (the column's code), ``label``.

    Every layout the DfE has used (``META_LAYOUTS``), with the header on any of
    the first ``META_HEADER_ROWS`` rows.

    Raises
    ------
    InputError
        A file in no known layout, naming the headers of its first row.
    """
    path = Path(path)
    if is_workbook(path):
        rows = [[cell_text(c).strip() for c in r] for r in read_sheet_rows(path, workbook_sheets(path)[:1])]
    else:
        frame = read_csv_text(path)
        rows = [list(frame.columns), *frame.to_numpy().tolist()]
    for top, header in enumerate(rows[:META_HEADER_ROWS]):
        names = [str(h).strip() for h in header]
        for field, label in META_LAYOUTS:
            if field in names and label in names:
                f, lab = names.index(field), names.index(label)
                pairs = [(str(r[f]).strip(), str(r[lab]).strip()) for r in rows[top + 1:] if len(r) > max(f, lab)]
                out = pd.DataFrame([p for p in pairs if p[0]], columns=["field", "label"], dtype="string")
                return out.drop_duplicates("field").reset_index(drop=True)
    raise InputError(Problem(str(path), "not a performance tables dictionary (no header such as 'Field Name' or "
                                        f"'Variable'; first row: {', '.join(str(h) for h in rows[0][:4])})"))


def academic_year(path: Path) -> int | None:
    """The summer a file's academic year ends in, from its name or folder (``2018_19`` -> 2019)."""
    return end_year_in_names([path.name, path.parent.name])


def _load(path: str | Path, kind: str, year: int | None) -> pd.DataFrame:
    path = Path(path)
    source = str(path)
    spec = KINDS[kind]
    raw = read_csv_text(path)
    mapping = match_columns(raw.columns, _COLUMNS, source=source, required=spec["required"])
    header = {tidy: original for original, tidy in mapping.items()}
    year = year if year is not None else academic_year(path)
    if year is None:
        raise InputError(Problem(source, "no academic year in the folder or file name (e.g. perf_tables_2018_19 or "
                                         "2018-2019_england_census.csv)"))
    meta_path = path.with_name(spec["meta"])
    labels = dict(zip(*load_meta(meta_path)[["field", "label"]].T.to_numpy(), strict=True)) if meta_path.exists() else {}
    urn = raw[header["urn"]].str.strip()
    la = raw[header["la"]].str.strip()
    national = text_keys(la).eq("nat") | text_keys(urn).eq("nat")  # census: URN 'NAT'; absence: LA 'NAT'
    phase_column = next((c for c in raw.columns if text_key(c) == "estab"), None)
    phases = {text_key(code): phase for code, phase in NATIONAL_PHASES.items()}
    phase = text_keys(raw[phase_column]).map(phases) if phase_column else pd.Series(pd.NA, index=raw.index)
    markers = performance.markers()
    problems = []
    for i in raw.index[~national & ~urn.str.fullmatch(r"\d{6}")][:10]:
        problems.append(Problem(source, f"not a URN (six digits): '{urn[i]}'", row=int(i) + 2, column=header["urn"]))
    for i in raw.index[~national & ~la.str.fullmatch(r"\d{3}")][:10]:
        problems.append(Problem(source, f"not an LA code (three digits): '{la[i]}'", row=int(i) + 2, column=header["la"]))
    keep = ~national | phase.notna()  # England's rows by phase; any other national row is left out
    measures = [c for c in raw.columns if c.upper() not in {h.upper() for h in spec["id"]}]
    if not measures:
        problems.append(Problem(source, "no measure columns besides the school's identifiers"))
    if problems:
        raise InputError(problems)
    rows = raw[keep]
    ids = pd.DataFrame({"urn": urn[keep].where(~national[keep]).astype("string"),
                        "la_code": la[keep].where(~national[keep], "970").astype("string"),
                        "phase": phase[keep].where(national[keep]).astype("string")})
    parts = []
    for measure in measures:
        values, reasons = parse_numbers(rows[measure], markers)
        parts.append(ids.assign(measure=measure, label=labels.get(measure, measure), value=values.to_numpy(),
                                missing_reason=reasons.to_numpy()))
    out = pd.concat(parts, ignore_index=True)
    out.insert(3, "year", year)
    out["source"] = source
    out = out.astype({"measure": "string", "label": "string", "missing_reason": "string", "source": "string"})
    duplicated = out.duplicated(["urn", "la_code", "phase", "measure"])
    if duplicated.any():
        first = out.loc[duplicated, "urn"].iloc[0]
        raise InputError(Problem(source, f"URN {first} appears twice", column=header["urn"]))
    return SCHEMA.validate(out)


def load_census(path: str | Path, year: int | None = None) -> pd.DataFrame:
    """Load a performance tables census file (``england_census.csv``).

    Returns
    -------
    DataFrame
        ``SCHEMA``: ``urn`` (missing on England's rows), ``la_code`` (970 for
        England), ``phase`` (England's rows: primary, secondary, special),
        ``year`` (the summer the academic year ends), ``measure`` (the DfE
        column, e.g. ``NOR`` pupils on roll, ``PNUMFSMEVER`` % ever eligible for
        free school meals), ``label`` (from ``census_meta.csv`` beside the file,
        else the code), ``value``, ``missing_reason``, ``source``.

    Raises
    ------
    InputError
        A missing ``URN``, ``LA`` or ``NOR`` column (naming the nearest
        header); a bad URN or LA code (naming the row); no academic year in the
        path; a URN twice.
    """
    return _load(path, "census", year)


def load_absence(path: str | Path, year: int | None = None) -> pd.DataFrame:
    """Load a performance tables absence file (``england_abs.csv``): ``PERCTOT`` overall absence,
    ``PPERSABS10`` persistent absentees (%). Columns and errors as ``load_census`` (labels from ``abs_meta.csv``)."""
    return _load(path, "absence", year)
