"""Disclosure and hostile text: committee packs give no exact date beside a school, carry no executed
notebooks, and no CSV cell is a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis.config import PROJECT_DIR
from leep_analysis.content import Table
from leep_analysis.disclosure import Anonymiser, coarsen_dates
from leep_analysis.inputs import data_block
from leep_analysis.render.workbook import write_workbook
from leep_analysis.runner import run_pack
from leep_analysis.sample import copy_sample
from leep_analysis.tables import FORMATS, escape_formula, write_csv
from tests.conftest import write_params

#: a day with its month and year, as a page ("18 Apr 2012") or a CSV ("2012-04-18") writes it
EXACT_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
LABEL = re.compile(r"\bSchool [A-Z]{1,3}\b")


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# ------------------------------------------------------------------ formula injection (OWASP: a leading apostrophe)
@pytest.mark.parametrize(
    ("value", "written"),
    [('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'), ("+44 cmd", "'+44 cmd"),
     ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("Hazel Lane Primary", "Hazel Lane Primary"), ("-0.10", "-0.10"), ("+1.5e3", "+1.5e3"), (-2.5, -2.5), (7, 7)],
)
def test_escape_formula(value, written):
    assert escape_formula(value) == written


def test_csv_text_cells_never_start_a_formula_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({"payee": ['=HYPERLINK("http://x","click")', "@evil", "Kestrel"],
                          "amount": [-10.5, 2.0, 3.0], "change": pd.array(["-0.10", "+2", "-"], dtype="string")})
    write_csv(frame, tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1:] == [["'=HYPERLINK(\"http://x\",\"click\")", "-10.5", "-0.10"], ["'@evil", "2.0", "+2"],
                        ["Kestrel", "3.0", "'-"]]
    # the workbook writes text as text already: it shows the name as given, without the apostrophe
    import openpyxl

    cover = {"title": "t", "la": "LA", "period": "Autumn term 2025/26", "as_at": "31 December 2025",
             "audience": "internal"}
    write_workbook([("budget", Table("payees", "Payees", frame))], tmp_path / "t.xlsx", cover=cover,
                   created=dt.date(2025, 12, 31))
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["budget_payees"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    name = cells['=HYPERLINK("http://x","click")']  # as given, no apostrophe, and a string, not a formula
    assert name.data_type == "s" and name.offset(column=1).value == -10.5
    assert "'@evil" not in cells and "@evil" in cells
    # a cell of symbols only ("-") is refused by gptables' rule on symbols: it is marked as no figure
    assert "-" not in cells and "'-" not in cells and cells["Kestrel"].offset(column=2).value == "[x]"


@pytest.mark.pack
def test_hostile_payee_is_text_in_the_pack_csv(tmp_path):
    folder = tmp_path / "inputs"
    copy_sample(folder)
    ledger = pd.read_csv(folder / "budget_ledger.csv", dtype=str, keep_default_na=False)
    hostile = '=HYPERLINK("http://x","click")'
    ledger.loc[ledger["payee_urn"] == "", "payee"] = hostile  # every payee that is not a school
    ledger.to_csv(folder / "budget_ledger.csv", index=False)
    base = __import__("yaml").safe_load((PROJECT_DIR / "params" / "2025-26-autumn.yaml").read_text())
    params = write_params(tmp_path / "p.yaml", **dict(base, sections=["budget"], data=data_block(folder)))
    pack = run_pack(params, tmp_path / "out", progress=False).parent
    cells = [cell for path in (pack / "tables").glob("*.csv") for row in csv_rows(path) for cell in row]
    assert f"'{hostile}" in cells
    assert not [c for c in cells if c.startswith(("=", "@")) or (c[:1] in ("+", "-") and not re.fullmatch(r"[+-][\d.eE+-]+", c))]


# ------------------------------------------------------------------ dates beside anonymised schools
def test_coarsen_dates_gives_months():
    frame = pd.DataFrame({"school_name": ["School A", "School B"],
                          "date_entered": pd.to_datetime(["2012-04-18", None]),
                          "academy_order": [dt.date(2012, 6, 1), None],
                          "powers": ["Statement of action 28 Apr 2012; Interim executive board 19 Jun 2012",
                                     "visited 2012-06-19, again 19/06/2012"]})
    out = coarsen_dates(frame)
    assert [FORMATS["date"](v) for v in out["date_entered"]] == ["Apr 2012", "–"]
    assert [FORMATS["date"](v) for v in out["academy_order"]] == ["Jun 2012", "–"]
    assert list(out["powers"]) == ["Statement of action Apr 2012; Interim executive board Jun 2012",
                                   "visited 2012-06, again 06/2012"]


def test_anonymiser_coarsens_only_in_committee_mode():
    frame = pd.DataFrame({"urn": ["1"], "school_name": ["Yarrow Wood"], "date_entered": pd.to_datetime(["2012-04-18"])})
    assert Anonymiser(False, {}).apply(frame)["date_entered"].iloc[0] == pd.Timestamp("2012-04-18")
    committee = Anonymiser(True, {"1": "School A"}).apply(frame)
    assert list(committee.columns) == ["school_name", "date_entered"]
    assert committee["school_name"].tolist() == ["A school (not named)"]  # one phrase for every school: no label
    assert str(committee["date_entered"].iloc[0]) == "2012-04"


@pytest.mark.pack
def test_committee_pack_gives_no_exact_date_beside_a_school_and_no_notebooks(spring_pack):
    pack = spring_pack
    assert not (pack / "executed").exists(), "executed notebooks stay out of a committee pack"
    exact = []
    for path in sorted((pack / "tables").glob("*.csv")):
        for row in csv_rows(path):
            if any(LABEL.search(c) for c in row) and any(EXACT_DATE.search(c) for c in row):
                exact.append((path.name, row))
    for path in sorted(pack.glob("*.html")):
        for row in re.findall(r"<tr>.*?</tr>", path.read_text(encoding="utf-8"), flags=re.S):
            cells = re.sub(r"<[^>]+>", "|", row)
            if LABEL.search(cells) and EXACT_DATE.search(cells):
                exact.append((path.name, cells[:200]))
    assert exact == []
    assert not (pack / "tables" / "concerns__schools.csv").exists()  # no school-level table at all (issue 28)

