"""Synthetic GIAS downloads: every school of the synthetic world, and the links between URNs.

``gias_establishments.csv`` is laid out like a GIAS establishment download
(a subset of its columns): Windows-1252, every field quoted, CRLF line ends,
dates dd-mm-yyyy, GIAS's spellings of types ('Academy converter'), blank or
``01-01-1900`` opening dates for long-established schools, closed predecessors
of academies with their close date and reason, and trust names (one with a
curly apostrophe, a Windows-1252 character). ``gias_links.csv`` is laid out
like ``links_edubasealldata.csv``: each conversion appears twice, the
maintained school naming its ``Successor`` and the academy its ``Predecessor``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from . import world as w

ESTABLISHMENTS = "gias_establishments.csv"
LINKS = "gias_links.csv"

GIAS_TYPE = {
    "Community School": "Community school",
    "Voluntary Aided School": "Voluntary aided school",
    "Voluntary Controlled School": "Voluntary controlled school",
    "Foundation School": "Foundation school",
    "Community Special School": "Community special school",
    "Pupil Referral Unit": "Pupil referral unit",
    "LA Nursery School": "Local authority nursery school",
    "Academy Converter": "Academy converter",
    "Academy Special Converter": "Academy special converter",
    "Academy Alternative Provision Converter": "Academy alternative provision converter",
    "Free School": "Free schools",
}
TYPE_GROUP = {
    "Community special school": "Special schools",
    "Free schools": "Free Schools",
}
PHASE = {"Primary": "Primary", "Secondary": "Secondary", "Special": "Not applicable", "PRU": "Not applicable",
         "Nursery": "Nursery", "All-through": "All-through"}
AGES = {"Primary": (4, 11), "Secondary": (11, 18), "Special": (2, 19), "PRU": (11, 16), "Nursery": (2, 5),
        "All-through": (4, 18)}
TRUSTS = ["Alder Vale Learning Trust", "Brookside Academies Trust", "Heron Education Partnership",
          "St Hild\u2019s Catholic Academy Trust", "Meadowlands Multi-Academy Trust", "Riverbend Schools Trust",
          "Three Counties Learning Trust", "Kestrel Academy Trust"]
HEADERS = ["URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
           "TypeOfEstablishment (name)", "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)",
           "ReasonEstablishmentOpened (name)", "OpenDate", "ReasonEstablishmentClosed (name)", "CloseDate",
           "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "NumberOfPupils", "Trusts (name)",
           "Postcode", "GOR (name)"]
LINK_HEADERS = ["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"]


def postcode(urn: object) -> str:
    """A made-up postcode in the ZZ99 area (not a real one), fixed for each URN."""
    n = int(urn)
    return f"ZZ99 {n % 10}{chr(65 + n // 10 % 26)}{chr(65 + n // 260 % 26)}"


def trust(lineage: object) -> str:
    """The synthetic trust of an academy's lineage."""
    return f"{TRUSTS[int(lineage) % len(TRUSTS)]} (synthetic)"


def _date(value: object) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%d-%m-%Y")


def establishment_rows(world: w.World) -> list[list[str]]:
    """The establishments file's rows (header first), one per school of the world, in URN order."""
    schools = world.schools.merge(world.las[["la_code", "la_name", "region"]], on="la_code", how="left")
    rows = [HEADERS]
    for school in schools.sort_values("urn", key=lambda s: s.astype(int)).itertuples(index=False):
        kind = GIAS_TYPE[school.type]
        closed = not pd.isna(school.close_date)
        if school.academy:
            group = TYPE_GROUP.get(kind, "Academies")
            opened_because = "Academy Converter" if school.predecessor_urn else "New Provision"
            open_date = _date(school.open_date)
        else:
            group = TYPE_GROUP.get(kind, "Local authority maintained schools")
            opened_because = "Not applicable"
            # GIAS has no opening date for most long-established schools, and 01-01-1900 for a few
            open_date = "01-01-1900" if int(school.urn) % 17 == 0 else ""
        low, high = AGES[school.phase]
        rows.append([
            school.urn, school.la_code, school.la_name, school.laestab[3:], school.name, kind, group,
            "Closed" if closed else "Open", opened_because, open_date,
            "Academy Converter" if closed else "Not applicable", _date(school.close_date),
            PHASE[school.phase], str(low), str(high), "" if closed else str(school.pupils),
            trust(school.lineage) if school.academy else "", postcode(school.urn), school.region,
        ])
    return rows


def link_rows(world: w.World) -> list[list[str]]:
    """The links file's rows (header first): both directions of every conversion, in URN order."""
    schools = world.schools.set_index("urn")
    rows = []
    for urn, school in schools.iterrows():
        if school["successor_urn"]:
            successor = schools.loc[school["successor_urn"]]
            rows.append([urn, school["successor_urn"], successor["name"], "Successor", _date(successor["open_date"])])
        if school["predecessor_urn"]:
            rows.append([urn, school["predecessor_urn"], schools.loc[school["predecessor_urn"], "name"],
                         "Predecessor", _date(school["open_date"])])
    rows.sort(key=lambda r: (int(r[0]), int(r[1])))
    return [LINK_HEADERS, *rows]


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)


def write_gias(world: w.World, dest: Path) -> list[Path]:
    """Write ``gias_establishments.csv`` and ``gias_links.csv`` into ``dest``; return them."""
    dest = Path(dest)
    written = [dest / ESTABLISHMENTS, dest / LINKS]
    _write(written[0], establishment_rows(world))
    _write(written[1], link_rows(world))
    return written
