"""Synthetic Ofsted management information: six monthly snapshots of the whole synthetic country.

Each snapshot lists every school open on its as-at date (closed predecessors of
academies drop out, new academies appear), with its latest graded inspection on
or before that date and the one before, from the synthetic world's inspections.
A school not yet inspected has blank inspection fields, as in Ofsted's current
files. Layouts by era (headers in ``config/ofsted_layouts.yaml``):

- ``ofsted_mi/2023-08-31_ofsted_mi.xlsx`` and ``2024-08-31``: the real May 2015
  workbook layout (sheet ``Provider Level Data``), with its quirks: URN and
  LAESTAB stored as numbers (so LA 050's leading zero is lost), the overall
  grade and previous grade stored as text, other grades as numbers with 9 for
  not judged, ``SM `` with a trailing space, blank for no previous inspection.
- ``2025-08-31_ofsted_mi.csv``: the key-judgement layout (inspections from
  2 September 2024 have 'Not judged' as overall effectiveness).
- ``2025-12-31``, ``2026-03-31``, ``2026-07-31`` CSVs: the report-card layout
  (areas in words, safeguarding 'Met'/'Not met'), still carrying the
  key-judgement and overall columns for schools last inspected earlier.

CSV dates are dd/mm/yyyy and ``NULL`` marks no inspection, as in Ofsted's CSVs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import world as w
from ._xlsx import write_rows
from .gias import postcode

SNAPSHOTS: list[tuple[dt.date, str]] = [
    (dt.date(2023, 8, 31), "2015-05"),
    (dt.date(2024, 8, 31), "2015-05"),
    (dt.date(2025, 8, 31), "key-judgements"),
    (dt.date(2025, 12, 31), "report-card"),
    (dt.date(2026, 3, 31), "report-card"),
    (dt.date(2026, 7, 31), "report-card"),
]
FOLDER = "ofsted_mi"
OFSTED_PHASE = {"Primary": "Primary", "Secondary": "Secondary", "Special": "Special", "PRU": "PRU",
                "Nursery": "Nursery", "All-through": "All-through"}
KEY_JUDGEMENTS = {  # tidy name -> header
    "quality_of_education": "Quality of education",
    "behaviour_and_attitudes": "Behaviour and attitudes",
    "personal_development": "Personal development",
    "leadership_and_management": "Effectiveness of leadership and management",
}
AREAS = {  # tidy name -> report-card header
    "inclusion": "Inclusion",
    "curriculum_and_teaching": "Curriculum and teaching",
    "achievement": "Achievement",
    "attendance_and_behaviour": "Attendance and behaviour",
    "personal_development_and_wellbeing": "Personal development and well-being",
    "leadership_and_governance": "Leadership and governance",
    "early_years": "Early years (where applicable)",
    "sixth_form": "Sixth form (where applicable)",
}
AREA_WORDS = {1: "Exceptional", 2: "Strong standard", 3: "Expected standard", 4: "Needs attention",
              5: "Urgent improvement"}
CATEGORY_WORDS = {"SM": "Special measures", "SWK": "Serious weaknesses"}
#: Schools whose latest inspection's category code is written with a trailing space, as in the real files.
CODE_WITH_SPACE = {"SM": "SM "}

OLD_HEADERS = ["Web Link", "URN", "Laestab", "School name", "Ofsted Region", "Government Office Region",
               "Local Authority", "Parliamentary Constituency", "Type of school", "Postcode", "Ofsted Phase",
               "Total pupils", "Latest inspection date", "Overall effectiveness: how good is the school",
               "Effectiveness of the sixth form provision", "Effectiveness of the Early Years provision",
               "Achievement of pupils", "How well do learners achieve?", "The quality of teaching",
               "Behaviour and safety of pupils", "Leadership and management", "Category",
               "Previous inspection date", "previous overall effectiveness", "Previous category"]
PREVIOUS_HEADERS = ["Previous graded inspection start date", "Previous graded inspection overall effectiveness",
                    "Previous category of concern"]


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


def _date_text(value: object) -> str:
    return "NULL" if pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y")


def _new_frame(frame: pd.DataFrame, report_cards: bool) -> pd.DataFrame:
    """The key-judgement (and, with ``report_cards``, report-card) CSV layout as text."""
    inspected = frame["date"].notna()

    def grades(column: str, not_judged: str = "NULL") -> pd.Series:
        text = frame[column].map(lambda v: "" if pd.isna(v) else str(int(v))).astype(object)
        return text.where(text.ne(""), not_judged).where(inspected, "NULL")

    out = pd.DataFrame({
        "URN": frame["urn"],
        "LAESTAB": frame["laestab"],
        "School name": frame["name"],
        "Ofsted phase": frame["phase"].map(OFSTED_PHASE),
        "Type of education": frame["type"],
        "Ofsted region": frame["region"],
        "Region": frame["region"],
        "Local authority": frame["la_name"],
        "Postcode": frame["urn"].map(postcode),
        "Total number of pupils": frame["pupils"],
        "Inspection start date": frame["date"].map(_date_text),
        "Overall effectiveness": grades("overall", "Not judged"),
        "Category of concern": frame["category"].fillna("").map(lambda c: CATEGORY_WORDS.get(c, "")).where(
            inspected, "NULL"),
    })
    for column, header in KEY_JUDGEMENTS.items():
        out[header] = grades(column)
    out["Safeguarding is effective?"] = frame["safeguarding_effective"].fillna("").replace("", "NULL")
    if report_cards:
        card = frame["era"].eq("report_card")
        for column, header in AREAS.items():
            words = frame[column].map(lambda v: "" if pd.isna(v) else AREA_WORDS[int(v)])
            out[header] = words.where(words.ne(""), "Not applicable").where(card, "NULL")
        out["Safeguarding standards"] = frame["safeguarding_met"].fillna("").replace("", "NULL")
    out[PREVIOUS_HEADERS[0]] = frame["previous_date"].map(_date_text)
    had = frame["previous_date"].notna()
    previous = frame["previous_overall"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    out[PREVIOUS_HEADERS[1]] = previous.where(previous.ne(""), "Not judged").where(had, "NULL")
    out[PREVIOUS_HEADERS[2]] = frame["previous_category"].fillna("").map(
        lambda c: CATEGORY_WORDS.get(c, "")).where(had, "NULL")
    return out


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
            _new_frame(frame, layout == "report-card").to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
