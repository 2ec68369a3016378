"""The five real snapshots of 2013-2015 rewritten in Ofsted's current D2 layout give the same summary table.

Each real file's provider-level sheet is read independently of the loader (pandas with the calamine
engine), rewritten header for header as ``D2_Most_recent_inspections`` (as a CSV in Windows-1252 with a
title line, ``NULL`` for empty and DD/MM/YYYY dates, and as an XLSX) in tmp_path, and loaded by the
package; ``inspections__summary.csv`` of the copy must equal the original's, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis.content import Table
from leep_analysis.disclosure import Anonymiser
from leep_analysis.params import DatedFile, InspectionSettings
from leep_analysis.sample.ofsted import D2_HEADERS
from leep_analysis.sections.inspections import analysis, views
from leep_analysis.sources import gias, neighbours, ofsted_mi
from leep_analysis.tables import csv_frame

pytestmark = pytest.mark.real_data

#: D2 header <- the 2013-2015 headers it takes its value from (first present, compared without case).
FROM_OLD = {
    "URN": ["urn"],
    "LAESTAB": ["laestab"],
    "School name": ["schoolname", "school name"],
    "Ofsted phase": ["ofsted phase"],
    "Type of education": ["type of education", "type of school"],
    "Region": ["government office region"],
    "Ofsted region": ["ofsted region"],
    "Local authority": ["local authority (education)", "local authority"],
    "Total number of pupils": ["total pupils"],
    "Inspection start date of latest OEIF graded inspection": ["latest inspection date"],
    "Latest OEIF overall effectiveness": ["overall effectiveness: how good is the school"],
    "Latest OEIF category of concern": ["category"],
}
DATES = {"Inspection start date of latest OEIF graded inspection"}


def provider_sheet(path: Path, tmp_path: Path) -> pd.DataFrame:
    """The real file's provider-level sheet, every cell as text ('' for empty), blank rows dropped."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            (member,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
            path = tmp_path / "original.xlsx"
            path.write_bytes(archive.read(member))
    book = pd.ExcelFile(path, engine="calamine")
    (sheet,) = [s for s in book.sheet_names if s.lower() == "provider level data"]
    frame = pd.read_excel(book, sheet_name=sheet, dtype=object).dropna(how="all")
    return frame


def as_d2(frame: pd.DataFrame) -> pd.DataFrame:
    """The sheet's schools in the D2 layout as Ofsted's CSV writes it ('NULL' for every empty cell)."""
    columns = {str(c).strip().lower(): c for c in frame.columns}
    out = pd.DataFrame("NULL", index=frame.index, columns=D2_HEADERS)
    for header, olds in FROM_OLD.items():
        old = next((columns[o] for o in olds if o in columns), None)
        if old is None:
            continue
        values = frame[old]
        if header in DATES:
            text = pd.to_datetime(values, errors="raise").dt.strftime("%d/%m/%Y")
        else:
            text = values.map(lambda v: "" if pd.isna(v) else str(int(v)) if isinstance(v, float) else str(v).strip())
        out[header] = text.fillna("").replace({"": "NULL", "-": "NULL"})
    return out.reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path, as_at: str) -> Path:
    title = f"Management information - state-funded schools - latest inspections as at {as_at}"
    body = frame.to_csv(index=False, lineterminator="\r\n")
    path.write_bytes((title + "\r\n" + body).encode("cp1252"))
    return path


def write_xlsx(frame: pd.DataFrame, path: Path) -> Path:
    cells = frame.replace("NULL", None)
    date = "Inspection start date of latest OEIF graded inspection"
    cells[date] = pd.to_datetime(cells[date], format="%d/%m/%Y")
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame([["Contents"]]).to_excel(writer, sheet_name="Contents", index=False, header=False)
        cells.to_excel(writer, sheet_name="D2_Most_recent_inspections", index=False)
    return path


@pytest.fixture(scope="module")
def context(real):
    return (neighbours.load_neighbours(real / "lait" / "sn_may_2025.xlsx"),
            gias.load_establishments(real / "gias" / "2021-12-31" / "edubaseallacademiesandfree.csv"),
            gias.load_links(real / "gias" / "2026-08-21" / "links_edubasealldata.csv"))


def summary_csv(files: list[DatedFile], context, as_at: dt.date) -> str:
    sn, establishments, links = context
    result = analysis.build(ofsted_mi.load_snapshots(files), sn, la_code="855", as_at=as_at, since=as_at,
                            settings=InspectionSettings(), anonymiser=Anonymiser(False, {}), threshold=5,
                            establishments=establishments, links=links)
    withheld = views.summary_csv(result)
    return csv_frame(Table("summary", "", withheld.frame, suppressed=withheld.cells)).to_csv(index=False)


REAL = sorted(["2013-04-30", "2013-12-31", "2014-05-31", "2014-12-31", "2015-05-31"])


@pytest.mark.parametrize("as_at", REAL)
def test_real_snapshot_in_the_d2_layout_gives_the_same_summary(real, tmp_path, context, as_at):
    (original,) = (real / "ofsted_mi_monthly" / as_at).iterdir()
    when = dt.date.fromisoformat(as_at)
    d2 = as_d2(provider_sheet(original, tmp_path))
    copies = [write_csv(d2, tmp_path / "latest.csv", as_at)]
    if as_at in ("2013-04-30", "2015-05-31"):  # the XLSX edition of two of them (writing one takes ~15 s)
        copies.append(write_xlsx(d2, tmp_path / "latest.xlsx"))
    expected = summary_csv([DatedFile(path=original)], context, when)
    assert "Leicestershire" in expected
    for copy in copies:
        assert summary_csv([DatedFile(path=copy, as_at=when)], context, when) == expected, copy.name
