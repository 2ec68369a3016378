"""tables.xlsx in the accessible-spreadsheet style: cover first, contents, headings, numbers as numbers."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest

from leep_analysis import content
from leep_analysis.content import Table
from leep_analysis.render import workbook

COVER = {"title": "School improvement report", "la": "Sampleshire (LA 050)", "period": "Autumn term 2025/26",
         "as_at": "31 December 2025", "audience": "Committee"}
#: Text that a reader would take for a number: 84.5%, £12,400, -3.
NUMBER_TEXT = re.compile(r"^\s*[£]?[-+−]?\d[\d,]*(\.\d+)?%?\s*$")


@pytest.fixture
def book(tmp_path):
    impact = Table("impact", "Impact of support", pd.DataFrame({
        "area": ["Sampleshire", "England"], "n_supported": [25, 3], "pct_good": [84.5, 60.25],
        "spent": [12400.0, None], "as_at": pd.to_datetime(["2025-12-31", "2025-08-31"]),
        "tier": ["system_leader", "intensive"], "rank": [59.0, 3.0], "n_ranked": [153, 153]}),
        columns={"area": content.text("Area"), "n_supported": content.count("Schools"),
                 "pct_good": content.percent("% good", 1), "spent": content.money("Spent"),
                 "as_at": content.date("As at"), "tier": content.code("Tier", {"system_leader": "System leader"}),
                 "rank": content.rank("Rank", of="n_ranked"), "n_ranked": content.hidden(content.count("LAs"))},
        suppressed={(1, "n_supported"), (1, "pct_good")})
    exits = Table("exits", "Schools that left", pd.DataFrame({"school": pd.Series([], dtype=object)}))
    measures = Table("benchmark", "Every indicator", pd.DataFrame({
        "label": ["KS2", "A8", "Gap"], "la_value": [61.0, 44.04, -2.5], "unit": ["percent", "score", "points"],
        "decimals": [0, 1, 1]}), columns={"la_value": content.measure("LA")})
    dest = tmp_path / "tables.xlsx"
    workbook.write_workbook([("support", impact), ("concerns", exits), ("achievement", measures)], dest, cover=COVER,
                            created=dt.date(2025, 12, 31))
    return dest


def test_cover_then_contents_then_a_sheet_per_table_with_full_names(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Cover", "Contents", "achievement_benchmark", "concerns_exits", "support_impact"]
    cover_text = " ".join(str(c.value) for row in wb["Cover"].iter_rows() for c in row if c.value)
    assert "School improvement report" in cover_text and "31 December 2025" in cover_text
    assert wb.properties.created == dt.datetime(2025, 12, 31)


def test_headings_numbers_and_formats(book):
    ws = openpyxl.load_workbook(book)["support_impact"]
    rows = list(ws.iter_rows())
    assert rows[0][0].value == "Impact of support"  # the title
    header = next(i for i, r in enumerate(rows) if r[0].value == "Area")
    assert [c.value for c in rows[header]] == ["Area", "Schools", "% good", "Spent", "As at", "Tier", "Rank", "LAs"]
    first = rows[header + 1]
    assert (first[1].value, first[1].number_format) == (25, "#,##0")  # a count, whole
    assert (first[2].value, first[2].number_format) == (84.5, '0.0"%"')  # a percentage, its places
    assert (first[3].value, first[3].number_format) == (12400, '"£"#,##0')  # money in pounds
    assert first[4].value == dt.datetime(2025, 12, 31) and first[4].number_format == "d mmm yyyy"
    assert first[5].value == "System leader"  # a code shown as its label
    assert (first[6].value, first[6].number_format) == (59, "0")  # a rank, whole
    second = rows[header + 2]
    assert second[1].value == workbook.WITHHELD and second[2].value == workbook.WITHHELD  # withheld: [c]
    assert second[3].value == workbook.NO_FIGURE and second[5].value == "intensive"
    notes = " ".join(str(c.value) for r in rows[:header] for c in r if c.value)
    assert "[x] marks a cell with no figure" in notes and "[c] marks a figure withheld" in notes
    assert ws.tables, "the data are an Excel table"
    # a column of figures in different units: each cell in its row's unit and places
    ws = openpyxl.load_workbook(book)["achievement_benchmark"]
    rows = list(ws.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == "Indicator")
    assert [(r[1].value, r[1].number_format) for r in rows[header + 1:header + 4]] == [
        (61.0, '0"%"'), (44.04, "#,##0.0"), (-2.5, "#,##0.0")]
    assert "[c] marks" not in " ".join(str(c.value) for r in rows[:header] for c in r if c.value)


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
    assert (row["heading"], row["kind"], row["decimals"], row["shown_on_page"]) == ("% good", "percent", 1, "yes")
    assert row["meaning"] == "% good: percentage (0 to 100)"
    assert set(dictionary["table"]) == {"support__impact.csv", "concerns__exits.csv", "achievement__benchmark.csv"}
    hidden = dictionary[dictionary["column"] == "n_ranked"].iloc[0]
    assert hidden["shown_on_page"] == "no"
    # a column config/columns.yaml knows has its words
    known = dictionary[dictionary["column"] == "n_supported"].iloc[0]
    assert known["meaning"] == "Supported schools in the comparison"


def test_headings_spec_first_then_config_and_never_twice():
    frame = pd.DataFrame(columns=["indicator", "description", "rag"])
    table = Table("t", "c", frame, columns={"indicator": content.text(""), "description": content.text("Indicator")})
    assert workbook.headings(table) == ["Indicator code", "Indicator", "RAG rating"]
    table = Table("t", "c", pd.DataFrame(columns=["x_y", "x y"]),
                  columns={"x_y": content.text("X y"), "x y": content.text("X y")})
    assert workbook.headings(table) == ["X y", "X y (2)"]


@pytest.mark.pack
def test_default_pack_workbook(default_pack):
    wb = openpyxl.load_workbook(default_pack / "tables.xlsx")
    assert wb.sheetnames[:2] == ["Cover", "Contents"]
    assert "achievement_age19" in wb.sheetnames and "inspections_report_cards" in wb.sheetnames  # full names
    # every cell of a column of figures is a number with a format, or [x] / [c]; text columns hold text
    dictionary = pd.read_csv(default_pack / workbook.DICTIONARY_NAME, dtype=str, keep_default_na=False)
    formatted = 0
    for sheet, rows in dictionary.groupby("sheet"):
        ws = wb[sheet]
        kinds = dict(zip(rows["heading"], rows["kind"], strict=True))
        header = next((r for r in ws.iter_rows() if [c.value for c in r][: len(kinds)] == list(kinds)), None)
        if header is None:  # a table with no rows: its sheet says so instead
            assert workbook.NO_ROWS in [c.value for r in ws.iter_rows() for c in r], sheet
            continue
        for row in ws.iter_rows(min_row=header[0].row + 1):
            for cell, kind in zip(row, kinds.values(), strict=False):
                if kind in content.NUMERIC_KINDS and cell.value not in (workbook.NO_FIGURE, workbook.WITHHELD):
                    assert isinstance(cell.value, int | float), (sheet, cell.coordinate, cell.value)
                    assert cell.number_format != "General", (sheet, cell.coordinate)
                    formatted += 1
    assert formatted > 1000
    assert (default_pack / workbook.DICTIONARY_NAME).exists()
    ws = wb["achievement_ks2"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Indicator code")
    assert ws.cell(header, 2).value == "Measure" and ws.cell(header, 5).value == "Year"  # the row's measure key
    # the LA's figure in its row's unit: 61% for a percentage, 105.3 for a scaled score
    assert ws.cell(header + 1, 6).number_format == '0"%"' and isinstance(ws.cell(header + 1, 6).value, int | float)
    # the headline figures: a count whole, a percentage as a percentage (not 6% and 44%)
    ws = wb["summary_headlines"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Measure key")
    figures = {ws.cell(r, 1).value: ws.cell(r, 3) for r in range(header + 1, header + 7)}
    assert figures["inspections_category_of_concern"].number_format == "#,##0"
    assert figures["achievement_AVG_Attain8_Score"].number_format == "#,##0.0"
    assert figures["inspections_pupils_good_or_better_with_rule"].number_format == '0.0"%"'
    # codes shown as their labels
    for sheet, column, code in (("support_summary", 2, "system_leader"), ("concerns_schools", 3, "special_measures"),
                                ("budget_statement", 1, "SCC")):
        values = {ws_cell.value for ws_cell in wb[sheet]["A:Z"][column - 1]}
        assert code not in values, (sheet, code)


def test_a_pack_with_no_tables_still_gets_a_workbook(tmp_path):
    # gptables cannot make a contents sheet of no tables (a pack whose notebooks write none)
    cover = {"title": "t", "la": "LA", "period": "p", "as_at": "a", "audience": "internal"}
    workbook.write_workbook([], tmp_path / "t.xlsx", cover=cover, created=dt.date(2025, 12, 31))
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["Cover", "Contents", "No_tables"]


def test_a_cell_longer_than_excel_keeps_is_cut_and_says_so(tmp_path):
    long = "x" * 40_000
    table = Table("t", long, pd.DataFrame({"note": [long]}))
    cover = {"title": long, "la": "LA", "period": "p", "as_at": "31 December 2025", "audience": "internal"}
    workbook.write_workbook([("summary", table)], tmp_path / "t.xlsx", cover=cover, created=dt.date(2025, 12, 31))
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["summary_t"]
    values = [str(c.value) for r in ws.iter_rows() for c in r if c.value]
    assert max(len(v) for v in values) <= workbook.CELL_LIMIT
    assert any(v.endswith(workbook.CUT) for v in values)
    assert any("figures as at 31 December 2025" in v for v in values)  # the note survives a long title
    assert any("is cut here" in v for v in values)
