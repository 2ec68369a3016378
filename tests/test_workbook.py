"""tables.xlsx in the accessible-spreadsheet style: cover first, contents, headings, numbers as numbers."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest

from leep_analysis import workbook

COVER = {"title": "School improvement report", "la": "Sampleshire (LA 050)", "period": "Autumn term 2025/26",
         "as_at": "31 December 2025", "audience": "Committee"}
#: Text that a reader would take for a number: 84.5%, £12,400, -3.
NUMBER_TEXT = re.compile(r"^\s*[£]?[-+−]?\d[\d,]*(\.\d+)?%?\s*$")


def test_number_from_text():
    assert workbook.number_from_text("84.5%") == (84.5, "pct1")
    assert workbook.number_from_text("£12,400") == (12400.0, "gbp")
    assert workbook.number_from_text("-3") == (-3.0, "int")
    assert workbook.number_from_text("62%; 46.0") is None
    assert workbook.number_from_text("KS2") is None


@pytest.fixture
def book(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    pd.DataFrame({"area": ["Sampleshire", "England"], "n_supported": [25, 3], "pct_good": [84.5, 60.25],
                  "spent": [12400.0, None], "as_at": ["2025-12-31", "2025-08-31"],
                  "national": ["84.5%", "62%; 46.0"]}).to_csv(folder / "support__impact.csv", index=False)
    pd.DataFrame({"school": []}).to_csv(folder / "concerns__exits.csv", index=False)
    meta = {"support__impact": {"caption": "Impact of support", "labels": {"area": "Area", "n_supported": "Schools",
                                                                          "pct_good": "% good", "spent": "Spent"},
                                "formats": {"area": "text", "n_supported": "int", "pct_good": "pct1", "spent": "gbp"}}}
    dest = tmp_path / "tables.xlsx"
    workbook.write_workbook(folder, dest, meta, cover=COVER, created=dt.date(2025, 12, 31))
    return dest


def test_cover_then_contents_then_a_sheet_per_table_with_full_names(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Cover", "Contents", "concerns_exits", "support_impact"]
    cover_text = " ".join(str(c.value) for row in wb["Cover"].iter_rows() for c in row if c.value)
    assert "School improvement report" in cover_text and "31 December 2025" in cover_text
    assert wb.properties.created == dt.datetime(2025, 12, 31)


def test_headings_numbers_and_formats(book):
    ws = openpyxl.load_workbook(book)["support_impact"]
    rows = list(ws.iter_rows())
    assert rows[0][0].value == "Impact of support"  # the title
    header = next(i for i, r in enumerate(rows) if r[0].value == "Area")
    assert [c.value for c in rows[header]] == ["Area", "Schools", "% good", "Spent", "As at", "National"]
    first = rows[header + 1]
    assert (first[1].value, first[1].number_format) == (25, "#,##0")
    assert (first[2].value, first[2].number_format) == (84.5, '0.0"%"')
    assert (first[3].value, first[3].number_format) == (12400, '"£"#,##0')
    assert first[4].value == dt.datetime(2025, 12, 31) and first[4].number_format == "d mmm yyyy"
    assert (first[5].value, first[5].number_format) == (84.5, '0.0"%"')  # a number in a text column
    second = rows[header + 2]
    assert second[3].value == workbook.NO_FIGURE and second[5].value == "62%; 46.0"
    assert ws.tables, "the data are an Excel table"


def test_no_text_that_is_a_number_and_empty_tables_say_so(book):
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and NUMBER_TEXT.match(cell.value)), (ws.title, cell.coordinate)
    values = [c.value for row in wb["concerns_exits"].iter_rows() for c in row]
    assert workbook.NO_ROWS in values


def test_data_dictionary(book):
    dictionary = pd.read_csv(book.parent / workbook.DICTIONARY_NAME)
    row = dictionary[(dictionary["table"] == "support__impact.csv") & (dictionary["column"] == "pct_good")].iloc[0]
    assert (row["heading"], row["format"], row["shown_on_page"]) == ("% good", "pct1", "yes")
    assert row["meaning"] == "% good: percentage (0 to 100)"
    assert set(dictionary["table"]) == {"support__impact.csv", "concerns__exits.csv"}
    # a column config/columns.yaml knows has its words
    known = dictionary[dictionary["column"] == "n_supported"].iloc[0]
    assert known["meaning"] == "Supported schools in the comparison"


def test_headings_page_first_then_config_and_never_twice():
    assert workbook.headings(["indicator", "description", "rag"], {"indicator": "", "description": "Indicator"}) == \
        ["Indicator code", "Indicator", "RAG rating"]
    assert workbook.headings(["a_b", "x"], {"x": "A b"}) == ["A b", "X"]  # the page's heading taken: its name
    assert workbook.headings(["x_y", "x y"], {}) == ["X y", "X y (2)"]


@pytest.mark.pack
def test_default_pack_workbook(default_pack):
    wb = openpyxl.load_workbook(default_pack / "tables.xlsx")
    assert wb.sheetnames[:2] == ["Cover", "Contents"]
    assert "achievement_age19" in wb.sheetnames and "inspections_report_cards" in wb.sheetnames  # full names
    formatted = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and NUMBER_TEXT.match(cell.value)), (ws.title, cell.coordinate)
                formatted += isinstance(cell.value, int | float) and cell.number_format != "General"
    assert formatted > 1000
    # the A to G table: A's national figure is a number shown as a percentage, not the text "84.5%"
    ws = wb["summary_indicators"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Indicator code")
    assert ws.cell(header, 3).value == "National"
    assert ws.cell(header + 1, 3).number_format == '0.0"%"' and isinstance(ws.cell(header + 1, 3).value, float)
    assert (default_pack / workbook.DICTIONARY_NAME).exists()
    ws = wb["achievement_ks2"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Indicator code")
    assert ws.cell(header, 4).value == "Year" and ws.cell(header + 1, 4).number_format == "0"  # 2025, not 2,025


def test_a_pack_with_no_tables_still_gets_a_workbook(tmp_path):
    # gptables cannot make a contents sheet of no tables (a pack whose notebooks write none)
    cover = {"title": "t", "la": "LA", "period": "p", "as_at": "a", "audience": "internal"}
    workbook.write_workbook(tmp_path, tmp_path / "t.xlsx", {}, cover=cover, created=dt.date(2025, 12, 31))
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["Cover", "Contents", "No_tables"]
