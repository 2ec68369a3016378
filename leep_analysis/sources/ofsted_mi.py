"""Ofsted management information (MI): each school's latest inspection, one snapshot per file.

Ofsted publishes, monthly, one row per state-funded school. The 2013-2015
files give its latest graded inspection and the one before; the current file
(table ``D2_Most_recent_inspections``, since November 2025) gives its latest
inspection of each kind: the latest full inspection (a report card from 10
November 2025) and the latest OEIF graded inspection (the legacy overall grade,
``Not judged`` from September 2024, with the key judgements), each saying
whether it relates to the school's own URN. Layouts drift between editions
(headers renamed, grades stored as numbers or text, ``SM `` with a trailing
space, ``-``, ``NULL`` or blanks for none, grade 9 for "not judged" in the
old files, a million blank formatted rows); each known layout is a header
mapping in ``config/ofsted_layouts.yaml``, recognised from the headers. Files
are xlsx (also zipped), ODS or CSV (UTF-8 or Windows-1252, a title line above
the header allowed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ..normalise import text_key, text_keys
from ..params import DatedFile
from . import _tables
from ._read import (
    by_uniques,
    match_columns,
    parse_dates,
    parse_numbers,
    read_sheet_rows,
    workbook_sheets,
)
from .file_dates import dates_in_name, snapshot_date

KEY_JUDGEMENTS_FROM = pd.Timestamp("2024-09-02")
REPORT_CARDS_FROM = pd.Timestamp("2025-11-10")

KEY_JUDGEMENTS = ["quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management"]
REPORT_CARD_AREAS = ["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                     "personal_development_and_wellbeing", "leadership_and_governance", "early_years", "sixth_form"]
FRAMEWORKS = ["overall", "key_judgements", "report_card"]
CATEGORIES = ["special_measures", "serious_weaknesses", "notice_to_improve", "requires_significant_improvement"]
PHASES = ["primary", "secondary", "special", "pru", "nursery", "all-through", "other"]

#: Tidy columns in order (the contract the inspection, support and summary sections rely on).
COLUMNS = ["as_at", "urn", "laestab", "school_name", "la_code", "la_name", "region", "type_of_education",
           "governance", "phase", "pupils", "inspection_date", "framework", "overall", "category",
           *KEY_JUDGEMENTS, "safeguarding_effective", *REPORT_CARD_AREAS, "safeguarding_met",
           "previous_inspection_date", "previous_overall", "previous_category", "inspected_urn", "source"]

_DATES = {"inspection_date", "previous_inspection_date", "full_inspection_date", "graded_inspection_date"}
_FOUR_POINT = {"overall", "previous_overall", *KEY_JUDGEMENTS}
_FIVE_POINT = set(REPORT_CARD_AREAS)
_CATEGORY = {"category", "previous_category", "full_category", "graded_category"}
_OWN_URN = {"full_own_urn", "graded_own_urn"}
_TEXT = {"school_name", "la_name", "region", "type_of_education"}


def _grade_column(low: int, high: int) -> pa.Column:
    return pa.Column("Int64", pa.Check.in_range(low, high), nullable=True)


#: One row per school per snapshot; see ``load_snapshots`` for the meaning of each column.
SCHEMA = pa.DataFrameSchema(
    {
        "as_at": pa.Column("datetime64[ns]"),
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d+$")),
        "laestab": pa.Column("string", pa.Check.str_matches(r"^\d{7}$"), nullable=True),
        "school_name": pa.Column("string"),
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$"), nullable=True),
        "la_name": pa.Column("string"),
        "region": pa.Column("string", nullable=True),
        "type_of_education": pa.Column("string"),
        "governance": pa.Column("string", pa.Check.isin(["academy", "maintained"])),
        "phase": pa.Column("string", pa.Check.isin(PHASES)),
        "pupils": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "inspection_date": pa.Column("datetime64[ns]", nullable=True),
        "framework": pa.Column("string", pa.Check.isin(FRAMEWORKS), nullable=True),
        "overall": _grade_column(1, 4),
        "category": pa.Column("string", pa.Check.isin(CATEGORIES), nullable=True),
        **{name: _grade_column(1, 4) for name in KEY_JUDGEMENTS},
        "safeguarding_effective": pa.Column("boolean", nullable=True),
        **{name: _grade_column(1, 5) for name in REPORT_CARD_AREAS},
        "safeguarding_met": pa.Column("boolean", nullable=True),
        "previous_inspection_date": pa.Column("datetime64[ns]", nullable=True),
        "previous_overall": _grade_column(1, 4),
        "previous_category": pa.Column("string", pa.Check.isin(CATEGORIES), nullable=True),
        "inspected_urn": pa.Column("string", pa.Check.str_matches(r"^\d+$"), nullable=True),
        "source": pa.Column("string"),
    },
    strict=True,
    ordered=True,
    unique=["as_at", "urn"],
)

#: The performance tables' Ofsted file: the MI columns (LA details missing until joined) and its publication date.
PERF_TABLES_SCHEMA = SCHEMA.update_columns(
    {name: {"nullable": True} for name in ["la_name", "type_of_education", "governance"]}
).add_columns({"publication_date": pa.Column("datetime64[ns]", nullable=True)})


def config() -> dict:
    """The parsed ``config/ofsted_layouts.yaml``."""
    return load_config("ofsted_layouts")


# ------------------------------------------------------------------------ snapshots
def load_snapshots(files: Sequence[DatedFile]) -> pd.DataFrame:
    """Load Ofsted MI snapshots into one tidy frame: one row per school per snapshot.

    Parameters
    ----------
    files : the snapshots, each with its ``as_at`` date; where ``as_at`` is None
        it is read from the file name ("31 May 2015", "2015-05-31").

    Returns
    -------
    DataFrame
        ``as_at``; the school: ``urn``, ``laestab`` (7 digits), ``school_name``,
        ``la_code`` (laestab's first 3 digits), ``la_name``, ``region``,
        ``type_of_education`` (as published), ``governance`` (``academy`` or
        ``maintained``), ``phase`` (``primary``, ``secondary``, ``special``,
        ``pru``, ``nursery``, ``all-through``, ``other``), ``pupils``; its latest
        graded inspection: ``inspection_date`` (NaT if never inspected),
        ``framework`` (``overall`` up to 1 September 2024, ``key_judgements`` to
        9 November 2025, ``report_card`` from 10 November 2025), ``overall``
        (1-4), ``category`` (``special_measures``, ``serious_weaknesses``,
        ``notice_to_improve``), the key judgements (1-4) and
        ``safeguarding_effective``, the report-card areas (1 exceptional to 5
        urgent improvement) and ``safeguarding_met``; its previous graded
        inspection: ``previous_inspection_date``, ``previous_overall``,
        ``previous_category``; ``inspected_urn`` (the URN the latest
        inspection was of, where the file says it is not the school's own:
        a predecessor's); ``source`` (file name). A current-layout (D2) file
        gives the report card as the latest inspection where the school has
        one, with its latest OEIF graded inspection as the previous one;
        otherwise its latest OEIF graded inspection and no previous one. Grades not judged are
        missing. Sorted by ``as_at`` and ``urn``.

    Raises
    ------
    InputError
        Every problem found in every file: no as-at date, two files with the
        same date, a file of another kind, a layout no mapping knows (naming the
        missing columns and the nearest headers), unknown grade or category
        labels (naming the row and column), an inspection after the as-at date.
    """
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    seen: dict[dt.date, str] = {}
    for item in files:
        path = Path(item.path)
        try:
            as_at = snapshot_date(item)
            frame = load_snapshot(path, as_at)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if as_at in seen:
            problems.append(Problem(str(path), f"has the same as-at date ({as_at}) as {seen[as_at]}; "
                                               "give one snapshot per date", key="data.ofsted_mi"))
            continue
        seen[as_at] = path.name
        frames.append(frame)
    if problems:
        raise InputError(problems)
    if not frames:
        return SCHEMA.validate(_empty())
    d2 = pd.concat([pd.Series(f.attrs.get("blocks") == "d2", index=f.index) for f in frames], ignore_index=True)
    out = _previous_from_earlier(pd.concat(frames, ignore_index=True), d2)
    out = out.sort_values(["as_at", "urn"], kind="stable")
    return SCHEMA.validate(out.reset_index(drop=True))


def _previous_from_earlier(frame: pd.DataFrame, d2: pd.Series) -> pd.DataFrame:
    """Fill the previous inspection of current-layout rows from the pack's earlier snapshots.

    A D2 file has no graded inspection before a school's latest OEIF one; where
    an earlier snapshot of the pack shows the same URN inspected before, the
    latest such inspection (its date, overall grade and category) is the
    previous one. Two inspections between snapshots show as one: the earlier
    is not seen.
    """
    need = (frame["previous_inspection_date"].isna() & frame["inspection_date"].notna()
            & frame["framework"].ne("report_card").fillna(False) & d2)
    if not need.any():
        return frame
    seen = pd.concat([
        frame[["urn", "as_at", "inspection_date", "overall", "category"]],
        frame[["urn", "as_at", "previous_inspection_date", "previous_overall", "previous_category"]].set_axis(
            ["urn", "as_at", "inspection_date", "overall", "category"], axis=1),
    ], ignore_index=True).dropna(subset=["inspection_date"])
    seen = seen.sort_values(["urn", "inspection_date", "as_at"]).drop_duplicates(["urn", "inspection_date"])
    rows = frame.loc[need, ["urn", "as_at", "inspection_date"]].reset_index()
    found = rows.merge(seen.rename(columns={"as_at": "seen_at", "inspection_date": "date"}), on="urn")
    found = found[(found["seen_at"] < found["as_at"]) & (found["date"] < found["inspection_date"])]
    found = found.sort_values(["index", "date"]).drop_duplicates("index", keep="last").set_index("index")
    out = frame.copy()
    out.loc[found.index, "previous_inspection_date"] = found["date"].to_numpy()
    out.loc[found.index, "previous_overall"] = found["overall"].astype("Int64").to_numpy()
    out.loc[found.index, "previous_category"] = found["category"].astype("string").to_numpy()
    return out


def load_snapshot(path: str | Path, as_at: dt.date) -> pd.DataFrame:
    """One MI file as tidy rows (the columns of ``load_snapshots``), not yet validated as a series."""
    path = Path(path)
    source = str(path)
    table = _read(path)
    layout = detect_layout(table.frame.columns, source)
    columns = _tables.spellings(layout["columns"])
    required = [c for c in columns if c not in layout.get("optional", [])]
    headers = {tidy: header for header, tidy in
               match_columns(table.frame.columns, columns, source=source, required=required).items()}
    frame = _parse(table, headers, source, layout)
    frame.insert(0, "as_at", pd.Series(pd.Timestamp(as_at), index=frame.index).astype("datetime64[ns]"))
    frame["source"] = pd.array([path.name] * len(frame), dtype="string")
    frame.attrs["blocks"] = layout.get("blocks")  # 'd2': no graded inspection before the latest in the file
    _check_dates(frame, table, headers, source, as_at)
    _check_unique(frame, table, headers, source)
    return frame[COLUMNS]


def _read(path: Path) -> _tables.Table:
    if not _tables.is_workbook(path):
        return _tables.read_table(path)
    sheets = config()["sheets"]
    try:
        return _tables.read_table(path, sheets)
    except InputError as exc:
        if not exc.problems[0].message.startswith("no sheet named"):
            raise
        names = workbook_sheets(path)
        first = read_sheet_rows(path, names[0]) if names else []
        kind = _tables.recognise(first[0], config()["other_kinds"]) if first else None
        if kind:
            raise InputError(Problem(str(path), f"is {kind}, not Ofsted management information")) from None
        raise InputError(Problem(str(path), f"has no provider-level sheet ({' or '.join(repr(s) for s in sheets)}), "
                                            f"so it is not an Ofsted management information workbook; sheets are "
                                            f"{', '.join(repr(s) for s in names)}")) from None


def detect_layout(columns: Sequence[object], source: str) -> Mapping:
    """The configured layout a file's headers match (see ``config/ofsted_layouts.yaml``).

    Raises
    ------
    InputError
        For a file of another kind (saying what it looks like); for headers
        close to a known layout, each missing column with the nearest header
        (a header a small edit from a known one is matched, as
        ``_read.match_columns`` does); otherwise that no known layout matches.
    """
    headers = {text_key(c) for c in columns}
    scored = []
    for layout in config()["layouts"]:
        wanted = _tables.spellings(layout["columns"])
        required = [c for c in wanted if c not in layout.get("optional", [])]
        found = _tables.present(list(columns), wanted)
        identify = [text_key(h) for h in layout.get("identify", [])]
        have = sum(c in found for c in required) + sum(h in headers for h in identify)
        need = len(required) + len(identify)
        scored.append((have == need, need, have / need, layout))
    matches = [s for s in scored if s[0]]
    if matches:
        return max(matches, key=lambda s: s[1])[3]
    kind = _tables.recognise(list(columns), config()["other_kinds"])
    if kind:
        raise InputError(Problem(source, f"is {kind}, not Ofsted management information"))
    _, _, share, nearest = max(scored, key=lambda s: s[2])
    known = ", ".join(str(layout["id"]) for layout in config()["layouts"])
    if share < 0.5:
        shown = ", ".join(f"'{c}'" for c in list(columns)[:8])
        raise InputError(Problem(source, f"headers match no known Ofsted management information layout "
                                         f"(known: {known}; see config/ofsted_layouts.yaml); the file's first "
                                         f"headers are {shown}"))
    wanted = _tables.spellings(nearest["columns"])
    required = [c for c in wanted if c not in nearest.get("optional", [])]
    try:
        match_columns(columns, wanted, source=source, required=required)
    except InputError as exc:
        raise InputError([Problem(p.source, f"{p.message} (the headers are closest to Ofsted MI layout "
                                            f"{nearest['id']})", column=p.column) for p in exc.problems]) from None
    identify = [h for h in nearest.get("identify", []) if text_key(h) not in headers]
    if not identify:  # every column found, some by a near match (a misspelt header)
        return nearest
    raise InputError([Problem(source, f"required column of Ofsted MI layout {nearest['id']} is missing", column=h)
                      for h in identify])


# ------------------------------------------------------------------------ parsing
def _parse(table: _tables.Table, headers: Mapping[str, str], source: str, layout: Mapping) -> pd.DataFrame:
    cfg = config()
    not_judged = layout.get("not_judged", cfg["grades"]["not_judged"])
    problems = _tables.Problems(table, source)
    # 'NULL' is Ofsted's empty cell (every column of the current layout; some columns of December 2013)
    raw = {tidy: _tables.text(table.frame[header]).replace("NULL", "") for tidy, header in headers.items()}
    n = len(table.frame)
    out = pd.DataFrame(index=table.frame.index)

    urn = raw["urn"]
    problems.add(~urn.str.fullmatch(r"\d+").fillna(False), urn, headers["urn"], "URN is not a number")
    out["urn"] = urn
    laestab = raw["laestab"].replace({"": pd.NA})
    short = laestab.str.fullmatch(r"\d{4,6}").fillna(False)
    laestab = laestab.mask(short, laestab.str.zfill(7))  # leading zeros lost in Excel (LA codes below 100)
    problems.add(laestab.notna() & ~laestab.str.fullmatch(r"\d{7}").fillna(False), raw["laestab"],
                 headers["laestab"], "LAESTAB is not 7 digits")
    out["laestab"] = laestab
    for name in ["school_name", "la_name", "type_of_education"]:
        problems.add(raw[name].eq(""), raw[name], headers[name], "value is blank")
    for name in _TEXT:
        out[name] = raw[name].replace({"": pd.NA}) if name in raw else pd.Series(pd.NA, index=out.index, dtype="string")
    out["la_code"] = laestab.str[:3]
    out["governance"] = by_uniques(out["type_of_education"], _governance)
    out["phase"] = _vocabulary(raw["phase"], cfg["phases"], headers["phase"], "Ofsted phase", problems)
    out["pupils"] = _pupils(raw, headers, problems, n)
    for name in _DATES & set(raw):
        out[name] = _dates(raw[name], headers[name], problems)
    for name in [*_FOUR_POINT, *_FIVE_POINT]:
        if name in raw:
            scale = "four_point" if name in _FOUR_POINT else "five_point"
            out[name] = _grades(raw[name], scale, headers[name], problems, not_judged)
        else:
            out[name] = pd.array([pd.NA] * n, dtype="Int64")
    for name in _CATEGORY & set(raw):
        out[name] = _categories(raw[name], headers[name], problems)
    for name, labels in [("safeguarding_effective", cfg["safeguarding_effective"]),
                         ("safeguarding_met", cfg["safeguarding_met"])]:
        out[name] = _flags(raw[name], labels, headers[name], problems) if name in raw else \
            pd.array([pd.NA] * n, dtype="boolean")
    for name in _OWN_URN & set(raw):
        out[name] = _flags(raw[name], cfg["own_urn"], headers[name], problems, "answer")
    for name in ("full_urn", "graded_urn"):
        if name in raw:
            urns = raw[name].mask(_none(raw[name], cfg["grades"]["none"]))
            problems.add(urns.notna() & ~urns.str.fullmatch(r"\d+").fillna(False), raw[name], headers[name],
                         "URN is not a number")
            out[name] = urns
    if layout.get("blocks") == "d2":
        out = _latest_of_d2(out)
    else:
        out["inspected_urn"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["framework"] = framework(out["inspection_date"])
    if problems.found:
        raise InputError(problems.found)
    return out


def _latest_of_d2(out: pd.DataFrame) -> pd.DataFrame:
    """The tidy latest and previous inspection of each school from a D2 row's two blocks.

    A school whose latest full inspection is dated from 10 November 2025 has a
    report card: that is its latest inspection (its category of concern, the
    areas, safeguarding met) and its latest OEIF graded inspection is the
    previous one (date, overall grade, category). Any other school's latest
    inspection is its latest OEIF graded inspection (overall grade, key
    judgements, safeguarding effective, category); the file holds no earlier
    graded inspection, so the previous one is missing. ``inspected_urn`` is the
    URN at the time of the inspection used, where the file says it does not
    relate to the current school's URN.
    """
    card = out["full_inspection_date"].ge(REPORT_CARDS_FROM).fillna(False).astype(bool)
    graded = ~card
    out["previous_inspection_date"] = out["graded_inspection_date"].where(card)
    out["previous_overall"] = out["overall"].where(card)
    out["previous_category"] = out["graded_category"].where(card)
    out["inspection_date"] = out["full_inspection_date"].where(card, out["graded_inspection_date"])
    out["category"] = out["full_category"].where(card, out["graded_category"])
    for name in ["overall", *KEY_JUDGEMENTS, "safeguarding_effective"]:
        out[name] = out[name].where(graded)
    for name in [*REPORT_CARD_AREAS, "safeguarding_met"]:
        out[name] = out[name].where(card)
    own = out["full_own_urn"].where(card, out["graded_own_urn"])
    urn = out["full_urn"].where(card, out["graded_urn"])
    out["inspected_urn"] = urn.where(own.eq(False).fillna(False) & urn.ne(out["urn"]).fillna(False)).astype("string")
    return out.drop(columns=[c for c in out.columns if c.startswith(("full_", "graded_"))])


def framework(dates: pd.Series) -> pd.Series:
    """The inspection framework of each inspection date (NA where there is no inspection)."""
    out = pd.Series(pd.NA, index=dates.index, dtype="string")
    out[dates.notna() & (dates < KEY_JUDGEMENTS_FROM)] = "overall"
    out[(dates >= KEY_JUDGEMENTS_FROM) & (dates < REPORT_CARDS_FROM)] = "key_judgements"
    out[dates >= REPORT_CARDS_FROM] = "report_card"
    return out


def _governance(types: pd.Series) -> pd.Series:
    """``academy`` or ``maintained`` (every other state-funded school, e.g. non-maintained special schools)."""
    from .gias import governance_of

    governance = governance_of(types)
    return governance.where(governance.isna() | governance.eq("academy"), "maintained")


def _vocabulary(values: pd.Series, mapping: Mapping[str, str], header: str, what: str,
                problems: _tables.Problems) -> pd.Series:
    known = {text_key(k): v for k, v in mapping.items()}
    out = by_uniques(text_keys(values), lambda u: pd.Series([known.get(x) for x in u], dtype="string"))
    labels = ", ".join(sorted({k for k in mapping}))
    problems.add(out.isna(), values, header, f"unknown {what} (known: {labels}; see config/ofsted_layouts.yaml)")
    return out


def _pupils(raw: Mapping[str, pd.Series], headers: Mapping[str, str], problems: _tables.Problems, n: int) -> pd.Series:
    if "pupils" not in raw:
        return pd.Series(pd.array([pd.NA] * n, dtype="Int64"), index=raw["urn"].index)
    values, reasons = parse_numbers(raw["pupils"].str.replace(r"(?i)^null$", "", regex=True))
    bad = reasons.eq("not a number").fillna(False) | (values.notna() & (values % 1 != 0))
    problems.add(bad, raw["pupils"], headers["pupils"], "number of pupils is not a whole number")
    return values.where(~bad).round().astype("Int64")


def _none(values: pd.Series, markers: Sequence[str]) -> pd.Series:
    return text_keys(values).isin([text_key(m) for m in markers])


def _dates(values: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    none = _none(values, config()["grades"]["none"])
    parsed = parse_dates(values.mask(none, ""))
    problems.add(parsed.isna() & ~none, values, header, "not a date")
    return parsed


def _grades(values: pd.Series, scale: str, header: str, problems: _tables.Problems,
            not_judged: Sequence[str] | None = None) -> pd.Series:
    """Grades as Int64 on the scale (``four_point`` or ``five_point``); not judged and none are missing.

    ``not_judged`` replaces the configured markers of "not judged" for a layout
    that documents its own (the current layout has only ``Not judged``).
    """
    grades = config()["grades"]
    spec = grades[scale]
    low, high = spec["numbers"]
    labels = {text_key(k): int(v) for k, v in spec["labels"].items()}
    not_judged = grades["not_judged"] if not_judged is None else not_judged
    missing = {text_key(m) for m in [*not_judged, *grades["none"]]}

    def parse(unique: pd.Series) -> pd.Series:
        out = []
        for value in unique:
            key = text_key(value)
            number = re.fullmatch(r"(\d+)(?:\.0+)?", key)
            if key in missing or key in labels:
                out.append(-1 if key in missing else labels[key])
            elif number and low <= int(number.group(1)) <= high:
                out.append(int(number.group(1)))
            else:
                out.append(None)
        return pd.Series(out, dtype="Int64")

    parsed = by_uniques(values, parse)
    words = ", ".join(spec["labels"])
    problems.add(parsed.isna(), values, header, f"unknown grade (known: {low} to {high}, {words}, "
                                                f"not judged; see config/ofsted_layouts.yaml)")
    return parsed.mask(parsed.eq(-1)).astype("Int64")


def _categories(values: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    cfg = config()
    known = {text_key(label): code for code, labels in cfg["categories"].items() for label in labels}
    none = {text_key(m) for m in cfg["category_none"]}
    key = text_keys(values)
    out = by_uniques(key, lambda u: pd.Series([known.get(x) for x in u], dtype="string"))
    words = ", ".join(str(label) for labels in cfg["categories"].values() for label in labels)
    problems.add(out.isna() & ~key.isin(none), values, header,
                 f"unknown category of concern (known: {words}, blank; see config/ofsted_layouts.yaml)")
    return out


def _flags(values: pd.Series, labels: Mapping[str, bool], header: str, problems: _tables.Problems,
           what: str = "safeguarding judgement") -> pd.Series:
    known = {text_key(k): bool(v) for k, v in labels.items()}
    none = {text_key(m) for m in config()["safeguarding_none"]}
    key = text_keys(values)
    out = by_uniques(key, lambda u: pd.Series([known.get(x) for x in u], dtype="boolean"))
    problems.add(out.isna() & ~key.isin(none), values, header,
                 f"unknown {what} (known: {', '.join(labels)}, blank)")
    return out


def _check_dates(frame: pd.DataFrame, table: _tables.Table, headers: Mapping[str, str], source: str,
                 as_at: dt.date) -> None:
    late = frame["inspection_date"] > pd.Timestamp(as_at)
    if late.any():
        first = frame.index[late.to_numpy()][0]
        when = frame.at[first, "inspection_date"]
        column = headers.get("inspection_date") or headers[
            "full_inspection_date" if when >= REPORT_CARDS_FROM else "graded_inspection_date"]
        raise InputError(Problem(source, f"inspection dated {when.date()} is after "
                                         f"the snapshot's as-at date {as_at} ({int(late.sum())} rows); is the "
                                         f"as_at right?", row=table.file_row(first), column=column))


def _check_unique(frame: pd.DataFrame, table: _tables.Table, headers: Mapping[str, str], source: str) -> None:
    twice = frame["urn"].duplicated()
    if twice.any():
        first = frame.index[twice.to_numpy()][0]
        raise InputError(Problem(source, f"URN {frame.at[first, 'urn']} appears twice ({int(twice.sum())} "
                                         "repeated rows)", row=table.file_row(first), column=headers["urn"]))


def _empty() -> pd.DataFrame:
    dtypes: dict[str, str] = {name: str(column.dtype) for name, column in SCHEMA.columns.items()}
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})


# ------------------------------------------------------------------------ performance tables' Ofsted file
def load_ofsted_perf_tables(path: str | Path, as_at: dt.date | None = None) -> pd.DataFrame:
    """The performance tables' Ofsted file (``england_ofsted-schools.xlsx``): each school's current grade.

    It has no LA, type or previous inspection; join the establishments list with
    ``add_establishment_details`` to get them. The as-at date is read from the
    sheet or file name (``DFE_data_31_July_2018_SON``) unless given.

    Returns
    -------
    DataFrame
        The columns of ``load_snapshots`` (LA, type, governance, laestab,
        region, pupils, previous inspection and judgements other than
        ``overall`` missing) and ``publication_date``.

    Raises
    ------
    InputError
        Missing columns, unknown grades or dates (naming rows), no as-at date.
    """
    path = Path(path)
    source = str(path)
    names = workbook_sheets(path) if _tables.is_workbook(path) else []
    table = _tables.read_table(path, names[:1] or None)
    columns = _tables.spellings(config()["perf_tables"]["columns"])
    headers = {tidy: header for header, tidy in
               match_columns(table.frame.columns, columns, source=source, required=list(columns)).items()}
    if as_at is None:
        found = sorted({d for name in [*names, path.name, path.parent.name] for d in dates_in_name(name)})
        if len(found) != 1:
            raise InputError(Problem(source, "the as-at date of these grades is not in the sheet or file name; "
                                             "give it as as_at"))
        as_at = found[0]
    problems = _tables.Problems(table, source)
    raw = {tidy: _tables.text(table.frame[header]) for tidy, header in headers.items()}
    n = len(table.frame)
    out = pd.DataFrame({name: pd.Series(pd.NA, index=table.frame.index, dtype=dtype)
                        for name, dtype in [(c, str(SCHEMA.columns[c].dtype)) for c in COLUMNS]})
    out["as_at"] = pd.Series(pd.Timestamp(as_at), index=out.index).astype("datetime64[ns]")
    out["urn"] = raw["urn"]
    problems.add(~raw["urn"].str.fullmatch(r"\d+").fillna(False), raw["urn"], headers["urn"], "URN is not a number")
    out["school_name"] = raw["school_name"]
    out["phase"] = _vocabulary(raw["phase"], config()["phases"], headers["phase"], "Ofsted phase", problems)
    out["inspection_date"] = _dates(raw["inspection_date"], headers["inspection_date"], problems)
    out["publication_date"] = _dates(raw["publication_date"], headers["publication_date"], problems)
    out["overall"] = _grades(raw["overall"], "four_point", headers["overall"], problems)
    out["framework"] = framework(out["inspection_date"])
    out["source"] = pd.array([path.name] * n, dtype="string")
    if problems.found:
        raise InputError(problems.found)
    _check_unique(out, table, headers, source)
    out = out.sort_values("urn", kind="stable").reset_index(drop=True)
    return PERF_TABLES_SCHEMA.validate(out[[*COLUMNS, "publication_date"]])


def add_establishment_details(grades: pd.DataFrame, establishments: pd.DataFrame) -> pd.DataFrame:
    """Fill each school's LA, type, governance, laestab and pupils from the establishments list, by URN.

    For inspection files without an LA column (the performance tables' Ofsted
    file). Details already present are kept; a URN not in the list keeps them
    missing (count them with ``result['la_code'].isna()``).

    Parameters
    ----------
    grades : rows with ``urn`` and the MI columns (e.g. from ``load_ofsted_perf_tables``).
    establishments : the establishments list (``sources.gias.load_establishments``):
        ``urn``, ``la_code``, ``la_name``, ``type``, ``pupils`` and, where it
        has one, ``laestab``.

    Returns
    -------
    DataFrame
        ``grades`` with ``la_code``, ``la_name``, ``type_of_education``,
        ``governance`` (``academy``/``maintained`` from the type), ``laestab``
        and ``pupils`` filled where the URN is listed.
    """
    lookup = establishments.drop_duplicates("urn").set_index("urn")
    keys = grades["urn"].astype("string")
    out = grades.copy()
    fills: dict[str, Callable[[], pd.Series]] = {
        "la_code": lambda: lookup["la_code"],
        "la_name": lambda: lookup["la_name"],
        "type_of_education": lambda: lookup["type"],
        "laestab": lambda: lookup["laestab"] if "laestab" in lookup else pd.Series(dtype="string"),
        "pupils": lambda: lookup["pupils"],
    }
    for column, series in fills.items():
        found = keys.map(series())
        out[column] = out[column].fillna(found.astype(out[column].dtype)) if column in out else found
    out["governance"] = out["governance"].fillna(_governance(out["type_of_education"]))
    return out
