"""Get Information about Schools (GIAS): establishments, their predecessor and successor links, trusts.

GIAS downloads are Windows-1252 CSVs with dates as dd-mm-yyyy. The establishments
list also comes as the performance tables' ``england_school_information.xlsx``
(the one real list here that holds LA-maintained schools), read into the same
tidy columns. The links let the analyses follow a school across a change of URN
(academy conversion, fresh start): ``schools.lineages`` maps every URN to the first
URN of its chain. Headers and vocabularies are in ``config/gias.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..config import load_config
from ..errors import InputError, Problem
from ..normalise import text_key, text_keys
from . import _tables
from ._read import by_uniques, match_columns, parse_dates, parse_numbers

GOVERNANCE = ["academy", "maintained", "independent", "other"]
PHASES = ["primary", "secondary", "special", "pru", "nursery", "all-through", "other"]
STATUSES = ["open", "closed", "proposed"]

#: One row per establishment; see ``load_establishments``.
SCHEMA = pa.DataFrameSchema(
    {
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d+$"), unique=True),
        "laestab": pa.Column("string", pa.Check.str_matches(r"^\d{7}$"), nullable=True),
        "la_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$"), nullable=True),
        "la_name": pa.Column("string", nullable=True),
        "school_name": pa.Column("string"),
        "type": pa.Column("string", nullable=True),
        "governance": pa.Column("string", pa.Check.isin(GOVERNANCE)),
        "phase": pa.Column("string", pa.Check.isin(PHASES)),
        "status": pa.Column("string", pa.Check.isin(STATUSES)),
        "open_date": pa.Column("datetime64[ns]", nullable=True),
        "close_date": pa.Column("datetime64[ns]", nullable=True),
        "trust": pa.Column("string", nullable=True),
        "pupils": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "postcode": pa.Column("string", nullable=True),
    },
    strict=True,
    ordered=True,
)

#: One row per link as published (both directions appear); see ``load_links``.
LINKS_SCHEMA = pa.DataFrameSchema(
    {
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d+$")),
        "link_urn": pa.Column("string", pa.Check.str_matches(r"^\d+$")),
        "link_name": pa.Column("string", nullable=True),
        "link_type": pa.Column("string"),
        "relation": pa.Column("string", pa.Check.isin(["predecessor", "successor"]), nullable=True),
        "link_date": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=True,
    ordered=True,
)

GROUP_LINKS_SCHEMA = pa.DataFrameSchema(
    {
        "urn": pa.Column("string", pa.Check.str_matches(r"^\d+$")),
        "group_uid": pa.Column("string"),
        "group_name": pa.Column("string"),
        "group_type": pa.Column("string"),
        "joined_date": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=True,
    ordered=True,
)

GROUPS_SCHEMA = pa.DataFrameSchema(
    {
        "group_uid": pa.Column("string", unique=True),
        "group_id": pa.Column("string", nullable=True),
        "group_name": pa.Column("string"),
        "group_type": pa.Column("string"),
        "status": pa.Column("string"),
        "companies_house_number": pa.Column("string", nullable=True),
        "open_date": pa.Column("datetime64[ns]", nullable=True),
        "incorporated_date": pa.Column("datetime64[ns]", nullable=True),
        "close_date": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=True,
    ordered=True,
)


def config() -> dict:
    """The parsed ``config/gias.yaml``."""
    return load_config("gias")


# ------------------------------------------------------------------------ vocabularies

def governance_of(types: pd.Series) -> pd.Series:
    """Governance of each type of establishment: ``academy``, ``maintained``, ``independent`` or ``other``.

    Works on GIAS ``TypeOfEstablishment``, the performance tables' ``SCHOOLTYPE``
    and Ofsted's type of education alike (rules in ``config/gias.yaml``); a
    missing type stays missing.
    """
    rules = config()["governance"]

    def one(value: object) -> str:
        text = text_key(value)
        if any(word in text for word in rules["independent"]):
            return "independent"
        if any(word in text for word in rules["academy"]):
            return "academy"
        return "maintained" if text in rules["maintained"] else "other"

    return by_uniques(types.astype("string"), lambda u: pd.Series([one(x) for x in u], dtype="string"))


def _phase_from_type(types: pd.Series) -> pd.Series:
    rules = config()["phase_from_type"]

    def one(value: object) -> str | None:
        text = text_key(value) if value is not None and value is not pd.NA else ""
        return next((phase for word, phase in rules.items() if word in text), None)

    return by_uniques(types.astype("string"), lambda u: pd.Series([one(x) for x in u], dtype="string"))


# ------------------------------------------------------------------------ establishments
def load_establishments(path: str | Path) -> pd.DataFrame:
    """Load an establishments list: a GIAS download or the performance tables' school information file.

    GIAS "all data", "academies and free schools" and establishment-search CSVs
    are accepted (a search extract lists further linked establishments in extra
    fields at the end of a row: they are joined, not an error), and the
    performance tables' ``england_school_information.xlsx`` (or CSV).

    Returns
    -------
    DataFrame
        ``urn``, ``laestab`` (7 digits, where known), ``la_code``, ``la_name``,
        ``school_name``, ``type`` (as published), ``governance`` (``academy``,
        ``maintained``, ``independent``, ``other``), ``phase`` (``primary``,
        ``secondary``, ``special``, ``pru``, ``nursery``, ``all-through``,
        ``other``), ``status`` (``open``, ``closed``, ``proposed``; 'open, but
        proposed to close' is open), ``open_date``, ``close_date`` (NaT where
        none or GIAS's 01-01-1900 placeholder), ``trust`` (GIAS search extracts;
        see ``with_trusts`` otherwise), ``pupils`` (Int64), ``postcode``.
        Sorted by URN.

    Raises
    ------
    InputError
        A file of another kind, missing columns (naming the nearest header),
        a URN twice, unknown statuses or phases and bad dates (naming rows).
    """
    path = Path(path)
    source = str(path)
    table = _tables.read_table(path, extra_fields_to_last=True)
    layouts = config()["establishments"]
    kind, headers = _detect(table, layouts, source, "an establishments list (GIAS or school information)")
    raw = {tidy: _tables.text(table.frame[header]) for tidy, header in headers.items()}
    problems = _tables.Problems(table, source)
    index = table.frame.index

    def optional(name: str) -> pd.Series:
        return raw[name].replace({"": pd.NA}) if name in raw else pd.Series(pd.NA, index=index, dtype="string")

    out = pd.DataFrame(index=index)
    out["urn"] = _urns(raw["urn"], headers["urn"], problems)
    la_code = raw["la_code"].replace({"": pd.NA})
    problems.add(la_code.notna() & ~la_code.str.fullmatch(r"\d{3}").fillna(False), raw["la_code"],
                 headers["la_code"], "LA code is not 3 digits")
    if kind == "gias":
        number = optional("establishment_number")
        laestab = (la_code + number.str.zfill(4)).where(number.str.fullmatch(r"\d{1,4}").fillna(False))
    else:
        laestab = optional("laestab")
    out["laestab"] = laestab.where(laestab.str.fullmatch(r"\d{7}").fillna(False)).astype("string")
    out["la_code"] = la_code
    out["la_name"] = optional("la_name")
    out["school_name"] = raw["school_name"]
    problems.add(raw["school_name"].eq(""), raw["school_name"], headers["school_name"], "name is blank")
    out["type"] = optional("type")
    out["governance"] = governance_of(out["type"])
    if kind == "gias":
        out["phase"] = _gias_phase(out["type"], raw["phase_of_education"], headers["phase_of_education"], problems)
    else:
        out["phase"] = _phase_from_ages(out["type"], raw, headers, problems)
    out["status"] = _map(raw["status"], config()["status"], headers["status"], "establishment status", problems)
    for name in ["open_date", "close_date"]:
        out[name] = _dates(optional(name), headers.get(name, name), problems)
    out["trust"] = optional("trust")
    out["pupils"] = _whole(optional("pupils"), headers.get("pupils", "pupils"), problems)
    out["postcode"] = optional("postcode")
    if problems.found:
        raise InputError(problems.found)
    twice = out["urn"].duplicated()
    if twice.any():
        first = out.index[twice.to_numpy()][0]
        raise InputError(Problem(source, f"URN {out.at[first, 'urn']} appears twice", row=table.file_row(first),
                                 column=headers["urn"]))
    out = out.sort_values("urn", key=lambda s: s.str.zfill(8), kind="stable").reset_index(drop=True)
    return SCHEMA.validate(out)


def _gias_phase(types: pd.Series, phases: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    by_type = _phase_from_type(types)
    by_phase = _map(phases, config()["phase_of_education"], header, "phase of education", problems)
    return by_type.fillna(by_phase)


def _phase_from_ages(types: pd.Series, raw: Mapping[str, pd.Series], headers: Mapping[str, str],
                     problems: _tables.Problems) -> pd.Series:
    """Phase in the school information file, from ISPRIMARY, ISSECONDARY and the age range (config ``phase_from_ages``)."""
    rule = config()["phase_from_ages"]
    flags = {}
    for name in ["is_primary", "is_secondary"]:
        flags[name] = raw[name].map({"1": True, "0": False}).astype("boolean")
        problems.add(flags[name].isna(), raw[name], headers[name], "not 0 or 1")
    empty = pd.Series("", index=types.index, dtype="string")
    low = pd.to_numeric(raw.get("age_low", empty), errors="coerce")
    high = pd.to_numeric(raw.get("age_high", empty), errors="coerce")
    primary, secondary = flags["is_primary"].fillna(False), flags["is_secondary"].fillna(False)
    phase = pd.Series("other", index=types.index, dtype="string")
    phase[high.le(rule["nursery_high"]).fillna(False)] = "nursery"
    phase[primary] = "primary"
    phase[secondary] = "secondary"
    both = primary & secondary
    phase[both & high.lt(rule["middle_secondary_high"]).fillna(False)] = "primary"
    phase[both & low.le(rule["all_through_low"]).fillna(False) & high.ge(rule["all_through_high"]).fillna(False)] = \
        "all-through"
    return _phase_from_type(types).fillna(phase)


# ------------------------------------------------------------------------ links
def load_links(path: str | Path) -> pd.DataFrame:
    """Load GIAS predecessor and successor links (``links_edubasealldata.csv``).

    Returns
    -------
    DataFrame
        ``urn``, ``link_urn``, ``link_name``, ``link_type`` (as published:
        ``Predecessor``, ``Successor - merged``, ``Sixth Form Centre Link``, ...),
        ``relation`` (``predecessor`` or ``successor``: what ``link_urn`` is to
        ``urn``; missing for links that are neither), ``link_date``.

    Raises
    ------
    InputError
        A file of another kind, missing columns, URNs that are not numbers, bad dates.
    """
    path = Path(path)
    source = str(path)
    table = _tables.read_table(path)
    spec = config()["links"]
    _, headers = _detect(table, {"links": spec}, source, "a GIAS links file")
    raw = {tidy: _tables.text(table.frame[header]) for tidy, header in headers.items()}
    problems = _tables.Problems(table, source)
    out = pd.DataFrame(index=table.frame.index)
    out["urn"] = _urns(raw["urn"], headers["urn"], problems)
    out["link_urn"] = _urns(raw["link_urn"], headers["link_urn"], problems)
    out["link_name"] = raw["link_name"].replace({"": pd.NA}) if "link_name" in raw else pd.NA
    out["link_type"] = raw["link_type"]
    problems.add(raw["link_type"].eq(""), raw["link_type"], headers["link_type"], "link type is blank")
    relations = {text_key(k): v for k, v in spec["relations"].items()}
    out["relation"] = by_uniques(text_keys(raw["link_type"]), lambda u: pd.Series(
        [relations.get(x) for x in u], dtype="string"))
    out["link_date"] = _dates(raw["link_date"], headers["link_date"], problems)
    if problems.found:
        raise InputError(problems.found)
    return LINKS_SCHEMA.validate(out.astype({"link_name": "string"}).reset_index(drop=True))


# ------------------------------------------------------------------------ trusts
def load_group_links(path: str | Path) -> pd.DataFrame:
    """Load GIAS group links (``grouplinks_*.csv``): which trust, sponsor or federation each school is in.

    Returns
    -------
    DataFrame
        ``urn``, ``group_uid``, ``group_name``, ``group_type`` (as published:
        ``Multi-academy trust``, ``Single-academy trust``, ``School sponsor``,
        ...), ``joined_date``.
    """
    path = Path(path)
    source = str(path)
    table = _tables.read_table(path)
    _, headers = _detect(table, {"group_links": config()["group_links"]}, source, "a GIAS group links file")
    raw = {tidy: _tables.text(table.frame[header]) for tidy, header in headers.items()}
    problems = _tables.Problems(table, source)
    out = pd.DataFrame(index=table.frame.index)
    out["urn"] = _urns(raw["urn"], headers["urn"], problems)
    for name in ["group_uid", "group_name", "group_type"]:
        out[name] = raw[name]
    empty = pd.Series(pd.NA, index=table.frame.index, dtype="string")
    out["joined_date"] = _dates(raw.get("joined_date", empty), headers.get("joined_date", "joined_date"), problems)
    if problems.found:
        raise InputError(problems.found)
    return GROUP_LINKS_SCHEMA.validate(out.reset_index(drop=True))


def load_groups(path: str | Path) -> pd.DataFrame:
    """Load GIAS groups (``allgroupsdata.csv``): trusts, sponsors, federations and their dates.

    Returns
    -------
    DataFrame
        ``group_uid``, ``group_id`` (e.g. ``TR00044``), ``group_name``,
        ``group_type``, ``status`` (as published), ``companies_house_number``,
        ``open_date``, ``incorporated_date``, ``close_date``.
    """
    path = Path(path)
    source = str(path)
    table = _tables.read_table(path)
    _, headers = _detect(table, {"groups": config()["groups"]}, source, "a GIAS groups file")
    raw = {tidy: _tables.text(table.frame[header]) for tidy, header in headers.items()}
    problems = _tables.Problems(table, source)
    out = pd.DataFrame(index=table.frame.index)
    empty = pd.Series("", index=table.frame.index, dtype="string")
    for name in ["group_uid", "group_id", "group_name", "group_type", "status", "companies_house_number"]:
        out[name] = raw.get(name, empty).replace({"": pd.NA}) if name not in ("group_uid", "group_name") else raw[name]
    for name in ["open_date", "incorporated_date", "close_date"]:
        out[name] = _dates(raw.get(name, empty).replace({"": pd.NA}), headers.get(name, name), problems)
    if problems.found:
        raise InputError(problems.found)
    return GROUPS_SCHEMA.validate(out.astype({"group_type": "string", "status": "string"}).reset_index(drop=True))


def with_trusts(establishments: pd.DataFrame, group_links: pd.DataFrame) -> pd.DataFrame:
    """Fill each academy's ``trust`` from the group links where the establishments list has none.

    An academy's trust is its multi-academy trust, else its single-academy
    trust (``trust_group_types`` in ``config/gias.yaml``); sponsors and
    federations are not trusts.

    Parameters
    ----------
    establishments : as ``load_establishments`` gives them.
    group_links : as ``load_group_links`` gives them.

    Returns
    -------
    DataFrame
        ``establishments`` with ``trust`` filled where a trust link exists.
    """
    order = [text_key(t) for t in config()["trust_group_types"]]
    links = group_links.assign(_rank=text_keys(group_links["group_type"]).map(
        lambda t: order.index(t) if t in order else None))
    links = links[links["_rank"].notna()].sort_values(["urn", "_rank"], kind="stable").drop_duplicates("urn")
    trusts = establishments["urn"].map(links.set_index("urn")["group_name"])
    return establishments.assign(trust=establishments["trust"].fillna(trusts.astype("string")))


# ------------------------------------------------------------------------ shared parsing
def _detect(table: _tables.Table, layouts: Mapping[str, Mapping], source: str, what: str) -> tuple[str, dict[str, str]]:
    """The layout (of ``layouts``) whose required headers are all present, and tidy -> header."""
    columns = list(table.frame.columns)
    scored = []
    for name, spec in layouts.items():
        wanted = _tables.spellings(spec["columns"])
        required = [c for c in wanted if c not in spec.get("optional", [])]
        found = _tables.present(columns, wanted)
        scored.append((sum(c in found for c in required) / len(required), name, wanted, required))
    share, name, wanted, required = max(scored, key=lambda s: s[0])
    if share < 1:
        kind = _tables.recognise(columns, config()["other_kinds"])
        if kind:
            raise InputError(Problem(source, f"is {kind}, not {what}"))
    found = match_columns(columns, wanted, source=source, required=required)
    return name, {tidy: header for header, tidy in found.items()}


def _urns(values: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    problems.add(~values.str.fullmatch(r"\d+").fillna(False), values, header, "URN is not a number")
    return values


def _map(values: pd.Series, mapping: Mapping[str, str], header: str, what: str, problems: _tables.Problems) -> pd.Series:
    known = {text_key(k): v for k, v in mapping.items()}
    out = by_uniques(text_keys(values.fillna("")), lambda u: pd.Series(
        [known.get(x) for x in u], dtype="string"))
    labels = ", ".join(f"'{k}'" for k in mapping if k)
    problems.add(out.isna(), values, header, f"unknown {what} (known: {labels}; see config/gias.yaml)")
    return out


def _dates(values: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    text = values.astype("string").fillna("").str.strip()
    parsed = parse_dates(text)
    problems.add(parsed.isna() & text.ne(""), text, header, "not a date")
    unknown = pd.to_datetime(pd.Series(config()["unknown_dates"])).tolist()
    return parsed.mask(parsed.isin(unknown)).astype("datetime64[ns]")


def _whole(values: pd.Series, header: str, problems: _tables.Problems) -> pd.Series:
    numbers, reasons = parse_numbers(values.fillna(""))
    bad = reasons.eq("not a number").fillna(False) | (numbers.notna() & (numbers % 1 != 0))
    problems.add(bad, values, header, "not a whole number")
    return numbers.where(~bad).round().astype("Int64")
