"""Synthetic Ofsted management information: six monthly snapshots of the whole synthetic country.

Each snapshot lists every school open on its as-at date (closed predecessors of
academies drop out, new academies appear), from the synthetic world's
inspections. Layouts by era (headers in ``config/ofsted_layouts.yaml``):

- ``ofsted_mi/2023-08-31_ofsted_mi.xlsx`` and ``2024-08-31``: the real May 2015
  workbook layout (sheet ``Provider Level Data``), with its quirks: URN and
  LAESTAB stored as numbers (so LA 050's leading zero is lost), the overall
  grade and previous grade stored as text, other grades as numbers with 9 for
  not judged, ``SM `` with a trailing space, blank for no previous inspection.
  A school not yet inspected has blank inspection fields.
- ``2025-08-31``, ``2025-12-31``, ``2026-03-31``, ``2026-07-31`` CSVs: Ofsted's
  current table ``D2_Most_recent_inspections``, header for header as
  ``../shared/data/formats/ofsted_mi_2026.md`` describes it: Windows-1252,
  ``NULL`` for empty, ``DD/MM/YYYY`` dates, a title line above the header in
  the 2026-03-31 file. Each school's latest full inspection (a report card from
  10 November 2025) and latest OEIF graded inspection (overall effectiveness,
  ``Not judged`` from September 2024, and the key judgements); a new academy
  not yet inspected shows its predecessor's inspections, marked as relating to
  another URN, as Ofsted's file does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as w
from ._xlsx import write_rows
from .gias import postcode
from .world import KEY_JUDGEMENTS_FROM

SNAPSHOTS: list[tuple[dt.date, str]] = [
    (dt.date(2023, 8, 31), "2015-05"),
    (dt.date(2024, 8, 31), "2015-05"),
    (dt.date(2025, 8, 31), "d2"),
    (dt.date(2025, 12, 31), "d2"),
    (dt.date(2026, 3, 31), "d2"),
    (dt.date(2026, 7, 31), "d2"),
]
#: The D2 snapshot written with a title line above its header (some real releases have one).
TITLED = dt.date(2026, 3, 31)
FOLDER = "ofsted_mi"
OFSTED_PHASE = {"Primary": "Primary", "Secondary": "Secondary", "Special": "Special", "PRU": "PRU",
                "Nursery": "Nursery", "All-through": "All-through"}
AREA_WORDS = {1: "Exceptional", 2: "Strong standard", 3: "Expected standard", 4: "Needs attention",
              5: "Urgent improvement"}
#: Schools whose latest inspection's category code is written with a trailing space, as in the real files.
CODE_WITH_SPACE = {"SM": "SM "}

OLD_HEADERS = ["Web Link", "URN", "Laestab", "School name", "Ofsted Region", "Government Office Region",
               "Local Authority", "Parliamentary Constituency", "Type of school", "Postcode", "Ofsted Phase",
               "Total pupils", "Latest inspection date", "Overall effectiveness: how good is the school",
               "Effectiveness of the sixth form provision", "Effectiveness of the Early Years provision",
               "Achievement of pupils", "How well do learners achieve?", "The quality of teaching",
               "Behaviour and safety of pupils", "Leadership and management", "Category",
               "Previous inspection date", "previous overall effectiveness", "Previous category"]
def snapshot(world: w.World, as_at: dt.date) -> pd.DataFrame:
    """Schools open on ``as_at`` with their latest and previous graded inspections on or before it.

    Columns: the world's school columns (``urn``, ``la_code``, ``laestab``,
    ``name``, ``phase``, ``type``, ``pupils``), the LA's ``la_name`` and
    ``region``, the latest inspection's columns (as in ``world.inspections``,
    ``date`` NaT where none) and the previous one's ``previous_date``,
    ``previous_era``, ``previous_overall``, ``previous_category``. Sorted by URN.
    """
    stamp = pd.Timestamp(as_at)
    schools = world.schools
    open_now = schools["open_date"].le(stamp) & (schools["close_date"].isna() | schools["close_date"].ge(stamp))
    rows = schools[open_now].merge(world.las[["la_code", "la_name", "region"]], on="la_code", how="left")
    done = world.inspections[world.inspections["date"].le(stamp)].sort_values(["urn", "date"])
    latest = done.groupby("urn").tail(1)
    previous = done.drop(latest.index).groupby("urn").tail(1)
    previous = previous[["urn", "date", "era", "overall", "category"]].rename(columns={
        "date": "previous_date", "era": "previous_era", "overall": "previous_overall", "category": "previous_category"})
    rows = rows.merge(latest, on="urn", how="left").merge(previous, on="urn", how="left")
    return rows.sort_values("urn", key=lambda s: s.astype(int)).reset_index(drop=True)


def _grade(value: object, *, missing: object = 9) -> object:
    return missing if pd.isna(value) else int(value)


def _old_rows(frame: pd.DataFrame) -> list[list[object]]:
    """Rows of the May 2015 workbook layout (numbers and dates as cells, overall grades as text)."""
    rows: list[list[object]] = [OLD_HEADERS]
    for school in frame.itertuples(index=False):
        inspected = not pd.isna(school.date)
        category = school.category if inspected else ""
        rows.append([
            "Ofsted School Webpage", int(school.urn), int(school.laestab), school.name, school.region, school.region,
            school.la_name, f"Constituency {school.la_code} (synthetic)", school.type, postcode(school.urn),
            OFSTED_PHASE[school.phase], school.pupils,
            school.date.date() if inspected else "",
            str(int(school.overall)) if inspected and not pd.isna(school.overall) else "",
            9, 9, 9, 9, 9, 9,
            _grade(school.leadership_and_management) if inspected else "",
            CODE_WITH_SPACE.get(category, category),
            school.previous_date.date() if not pd.isna(school.previous_date) else "",
            str(int(school.previous_overall)) if not pd.isna(school.previous_overall) else "",
            CODE_WITH_SPACE.get(school.previous_category, school.previous_category)
            if not pd.isna(school.previous_category) else "",
        ])
    return rows


#: ``D2_Most_recent_inspections``, in order (``../shared/data/formats/ofsted_mi_2026.md``).
D2_HEADERS = [
    "Web Link (opens in new window)", "URN", "LAESTAB", "School name", "Ofsted phase", "Type of education",
    "School open date", "Admissions policy", "Sixth form", "Designated religious character", "Religious ethos",
    "Faith grouping", "Ofsted region", "Region", "Local authority", "Parliamentary constituency", "Postcode",
    "Multi-academy trust UID", "Multi-academy trust name", "Academy sponsor UID", "Academy sponsor name",
    "The income deprivation affecting children index (IDACI) quintile", "Total number of pupils",
    "Statutory lowest age", "Statutory highest age",
    "Inspection number of latest full inspection", "Inspection type", "Inspection type grouping",
    "Event type grouping", "Inspection start date", "Publication date",
    "Does the latest full inspection relate to the URN of the current school?",
    "URN at time of latest full inspection", "LAESTAB at time of latest full inspection",
    "School name at time of latest full inspection", "School type at time of latest full inspection",
    "Category of concern",
    "Safeguarding standards", "Safeguarding standards - date of grade", "Inclusion", "Inclusion - date of grade",
    "Curriculum and teaching", "Curriculum and teaching - date of grade", "Achievement",
    "Achievement - date of grade", "Attendance and behaviour", "Attendance and behaviour - date of grade",
    "Personal development and wellbeing", "Personal development and wellbeing - date of grade",
    "Early years (where applicable)", "Early years - date of grade", "Post-16 provision (where applicable)",
    "Post-16 provision - date of grade", "Leadership and governance", "Leadership and governance - date of grade",
    "Inspection number of latest OEIF graded inspection", "Inspection type of latest OEIF graded inspection",
    "Inspection type grouping of latest OEIF graded inspection",
    "Event type grouping of latest OEIF graded inspection",
    "Inspection start date of latest OEIF graded inspection", "Publication date of latest OEIF graded inspection",
    "Does the latest OEIF graded inspection relate to the URN of the current school?",
    "URN at time of latest OEIF graded inspection", "LAESTAB at time of latest OEIF graded inspection",
    "School name at time of latest OEIF graded inspection", "School type at time of latest OEIF graded inspection",
    "Latest OEIF category of concern", "Latest OEIF overall effectiveness", "Latest OEIF quality of education",
    "Latest OEIF behaviour and attitudes", "Latest OEIF personal development",
    "Latest OEIF effectiveness of leadership and management", "Latest OEIF  safeguarding is effective?",
    "Latest OEIF early years provision (where applicable)", "Latest OEIF sixth form provision (where applicable)",
    "Latest ungraded inspection number", "Date of latest ungraded inspection", "Ungraded inspection publication date",
    "Does the ungraded inspection relate to the URN of the current school?", "URN at time of the ungraded inspection",
    "LAESTAB at time of the ungraded inspection", "School name at time of the ungraded inspection",
    "School type at time of the ungraded inspection", "Ungraded inspection overall outcome",
    "Most recent category of concern",
]
#: Report-card areas: tidy name -> D2 header (each followed by its '- date of grade' column).
D2_AREAS = {
    "safeguarding_met": "Safeguarding standards",
    "inclusion": "Inclusion",
    "curriculum_and_teaching": "Curriculum and teaching",
    "achievement": "Achievement",
    "attendance_and_behaviour": "Attendance and behaviour",
    "personal_development_and_wellbeing": "Personal development and wellbeing",
    "early_years": "Early years (where applicable)",
    "sixth_form": "Post-16 provision (where applicable)",
    "leadership_and_governance": "Leadership and governance",
}
D2_KEY_JUDGEMENTS = {
    "quality_of_education": "Latest OEIF quality of education",
    "behaviour_and_attitudes": "Latest OEIF behaviour and attitudes",
    "personal_development": "Latest OEIF personal development",
    "leadership_and_management": "Latest OEIF effectiveness of leadership and management",
}
NULL = "NULL"


def dmy(value: object) -> str:
    """A date as Ofsted's CSV writes it (``31/01/2026``), ``NULL`` where there is none."""
    return NULL if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y")


def d2_snapshot(world: w.World, as_at: dt.date) -> pd.DataFrame:
    """Schools open on ``as_at`` with the two inspections D2 gives each: latest full and latest OEIF graded.

    A school with no inspection of a kind of its own shows its predecessor's
    (the academy's ``predecessor_urn``), as Ofsted's file does.

    Returns
    -------
    DataFrame
        The world's school columns with ``la_name`` and ``region``; ``full_*``
        (the latest report-card inspection: ``full_date``, ``full_urn`` and the
        ``world.inspections`` columns) and ``graded_*`` (the latest inspection
        of the overall or key-judgement era), NaT/NA where none. Sorted by URN.
    """
    stamp = pd.Timestamp(as_at)
    schools = world.schools
    open_now = schools["open_date"].le(stamp) & (schools["close_date"].isna() | schools["close_date"].ge(stamp))
    rows = schools[open_now].merge(world.las[["la_code", "la_name", "region"]], on="la_code", how="left")
    done = world.inspections[world.inspections["date"].le(stamp)].sort_values(["urn", "date"])
    for prefix, eras in (("full_", ["report_card"]), ("graded_", ["overall", "key_judgements"])):
        latest = done[done["era"].isin(eras)].groupby("urn").tail(1).set_index("urn")
        latest = latest.assign(inspected_urn=latest.index)
        chosen = latest.reindex(rows["urn"]).reset_index(drop=True)
        carried = latest.reindex(rows["predecessor_urn"].replace("", pd.NA)).reset_index(drop=True)
        use = chosen["date"].isna() & carried["date"].notna()
        chosen = pd.DataFrame({c: carried[c].where(use, chosen[c]) for c in chosen.columns})
        chosen = chosen.drop(columns=["era"]).add_prefix(prefix)
        rows = pd.concat([rows.reset_index(drop=True), chosen], axis=1)
    return rows.sort_values("urn", key=lambda s: s.astype(int)).reset_index(drop=True)


def _d2_rows(frame: pd.DataFrame, world: w.World) -> list[list[str]]:
    """The D2 table as text, ``NULL`` for every empty cell."""
    names = world.schools.set_index("urn")
    out = pd.DataFrame(NULL, index=frame.index, columns=D2_HEADERS)
    out["Web Link (opens in new window)"] = "https://reports.ofsted.gov.uk/provider/21/" + frame["urn"]
    out["URN"], out["LAESTAB"], out["School name"] = frame["urn"], frame["laestab"], frame["name"]
    out["Ofsted phase"] = frame["phase"].map(OFSTED_PHASE)
    out["Type of education"] = frame["type"]
    out["School open date"] = frame["open_date"].map(dmy)
    out["Ofsted region"], out["Region"], out["Local authority"] = frame["region"], frame["region"], frame["la_name"]
    out["Parliamentary constituency"] = "Constituency " + frame["la_code"] + " (synthetic)"
    out["Postcode"] = frame["urn"].map(postcode)
    out["Total number of pupils"] = frame["pupils"].astype(str)
    for prefix, number, date, own, urn_at, laestab_at, name_at, type_at, category in (
        ("full_", "Inspection number of latest full inspection", "Inspection start date",
         "Does the latest full inspection relate to the URN of the current school?",
         "URN at time of latest full inspection", "LAESTAB at time of latest full inspection",
         "School name at time of latest full inspection", "School type at time of latest full inspection",
         "Category of concern"),
        ("graded_", "Inspection number of latest OEIF graded inspection",
         "Inspection start date of latest OEIF graded inspection",
         "Does the latest OEIF graded inspection relate to the URN of the current school?",
         "URN at time of latest OEIF graded inspection", "LAESTAB at time of latest OEIF graded inspection",
         "School name at time of latest OEIF graded inspection",
         "School type at time of latest OEIF graded inspection", "Latest OEIF category of concern"),
    ):
        had = frame[f"{prefix}date"].notna()
        at = frame[f"{prefix}inspected_urn"].where(had)
        out[number] = ("10" + frame[f"{prefix}date"].dt.strftime("%y%m%d") + frame["urn"].str[-4:]).where(had, NULL)
        out[date] = frame[f"{prefix}date"].map(dmy)
        publication = "Publication date" if prefix == "full_" else "Publication date of latest OEIF graded inspection"
        out[publication] = (frame[f"{prefix}date"] + pd.Timedelta(days=24)).map(dmy)
        out[own] = np.where(at.eq(frame["urn"]).fillna(False), "Yes", "No")
        out[own] = out[own].where(had, NULL)
        out[urn_at] = at.fillna(NULL)
        out[laestab_at] = at.map(lambda u: names.at[u, "laestab"] if isinstance(u, str) else NULL)
        out[name_at] = at.map(lambda u: names.at[u, "name"] if isinstance(u, str) else NULL)
        out[type_at] = at.map(lambda u: names.at[u, "type"] if isinstance(u, str) else NULL)
        out[category] = frame[f"{prefix}category"].fillna("").replace("", NULL).where(had, NULL)
        kind = "Full inspection" if prefix == "full_" else "Section 5"
        for header in (("Inspection type", "Inspection type grouping", "Event type grouping") if prefix == "full_"
                       else ("Inspection type of latest OEIF graded inspection",
                             "Inspection type grouping of latest OEIF graded inspection",
                             "Event type grouping of latest OEIF graded inspection")):
            out[header] = np.where(had, kind if "grouping" not in header else "Graded inspection", NULL)
    card = frame["full_date"].notna()
    for column, header in D2_AREAS.items():
        values = frame[f"full_{column}"]
        text = values if column == "safeguarding_met" else values.map(
            lambda v: NULL if pd.isna(v) else AREA_WORDS[int(v)])
        out[header] = text.fillna(NULL).replace("", NULL).where(card, NULL)
        dated = "Early years - date of grade" if column == "early_years" else (
            "Post-16 provision - date of grade" if column == "sixth_form" else f"{header} - date of grade")
        out[dated] = frame["full_date"].map(dmy).where(out[header].ne(NULL), NULL)
    graded = frame["graded_date"].notna()
    kj = frame["graded_date"].ge(pd.Timestamp(KEY_JUDGEMENTS_FROM))
    overall = frame["graded_overall"].map(lambda v: NULL if pd.isna(v) else str(int(v)))
    out["Latest OEIF overall effectiveness"] = overall.mask(kj, "Not judged").where(graded, NULL)
    for column, header in D2_KEY_JUDGEMENTS.items():
        out[header] = frame[f"graded_{column}"].map(lambda v: NULL if pd.isna(v) else str(int(v)))
    out["Latest OEIF  safeguarding is effective?"] = frame["graded_safeguarding_effective"].fillna("").replace(
        "", NULL)
    current = frame["full_category"].where(card, frame["graded_category"]).fillna("")
    out["Most recent category of concern"] = current.replace("", NULL)
    return [D2_HEADERS, *out.to_numpy().tolist()]


def _write_d2(path: Path, rows: list[list[str]], title: str | None) -> None:
    """A D2 CSV as Ofsted writes it: Windows-1252, CRLF, an optional title line above the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def write_ofsted(world: w.World, dest: Path) -> list[Path]:
    """Write the six MI snapshots into ``dest/ofsted_mi/``; return the files written."""
    folder = Path(dest) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for as_at, layout in SNAPSHOTS:
        frame = snapshot(world, as_at)
        if layout == "2015-05":
            path = folder / f"{as_at.isoformat()}_ofsted_mi.xlsx"
            write_rows(path, {"Cover": [["Management information - schools (synthetic sample)"],
                                        [f"As at {as_at:%d %B %Y}"]],
                              "Provider Level Data": _old_rows(frame)})
        else:
            path = folder / f"{as_at.isoformat()}_ofsted_mi.csv"
            title = (f"Management information - state-funded schools - latest inspections as at {as_at:%d %B %Y} "
                     "(synthetic sample)") if as_at == TITLED else None
            _write_d2(path, _d2_rows(d2_snapshot(world, as_at), world), title)
        written.append(path)
    return written
