"""Since the last report: the previous pack found and read as published, and set against this pack (tiny frames)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import previous
from leep_analysis.content import Tile
from leep_analysis.errors import InputError
from leep_analysis.params import PeriodParams
from leep_analysis.sections.summary import since, words
from leep_analysis.tables import cell_text, write_csv

AUTUMN = {"period": "2025-26-autumn", "la_code": "050", "as_at": dt.date(2025, 12, 31)}
SPRING = {"period": "2025-26-spring", "la_code": "050", "as_at": dt.date(2026, 3, 31)}


#: The kinds of the published tables' columns these tests write (as a pack's data dictionary gives them).
KINDS = {"summary__measures": {"local": "measure", "national": "measure", "decimals": "count"},
         "summary__headlines": {"value": "measure", "decimals": "count", "england": "measure", "unit": "code"},
         "summary__indicators": {"rag": "rag"}}


def publish(out: Path, folder: str, *, tables: dict[str, pd.DataFrame] | None = None, **params) -> Path:
    """A published pack as the runner leaves one: manifest.json with its params, tables/*.csv and the
    data dictionary that types them."""
    pack = out / folder
    (pack / "tables").mkdir(parents=True)
    (pack / "manifest.json").write_text(json.dumps({"params": {k: str(v) for k, v in params.items()}}))
    rows = []
    for name, frame in (tables or {}).items():
        write_csv(frame, pack / "tables" / f"{name}.csv")
        rows += [{"table": f"{name}.csv", "column": c, "kind": KINDS.get(name, {}).get(c, "text")}
                 for c in frame.columns]
    pd.DataFrame(rows, columns=["table", "column", "kind"]).to_csv(pack / "data_dictionary.csv", index=False)
    return pack


@pytest.mark.parametrize(("period", "before"), [("2025-26-spring", "2025-26-autumn"),
                                                ("2025-26-summer", "2025-26-spring"),
                                                ("2025-26-autumn", "2024-25-summer"),
                                                ("2000-01-autumn", "1999-00-summer")])
def test_period_before(period, before):
    assert previous.period_before(period) == before


def test_previous_pack_found_in_the_output_folder_or_none(tmp_path):
    params = PeriodParams(**SPRING)
    assert previous.locate(params, tmp_path, tmp_path) is None  # nothing published: a fact, not an error
    # a build folder of the previous period is never taken for it
    publish(tmp_path, ".building-050-2025-26-autumn-abc", **AUTUMN)
    assert previous.locate(params, tmp_path, tmp_path) is None
    publish(tmp_path, "050-2025-26-autumn", **AUTUMN)
    publish(tmp_path, "851-2025-26-autumn", **{**AUTUMN, "la_code": "851"})  # another LA's: not ours
    found = previous.attach(params, tmp_path, tmp_path).previous_pack
    assert found == (tmp_path / "050-2025-26-autumn").resolve()
    pack = previous.read(found)
    assert (pack.period, pack.as_at, pack.name) == ("2025-26-autumn", dt.date(2025, 12, 31), "050-2025-26-autumn")
    assert pack.table("summary__indicators") is None  # a table the pack lacks


def test_previous_pack_named_in_params_is_checked(tmp_path):
    publish(tmp_path, "851-2025-26-autumn", **{**AUTUMN, "la_code": "851"})
    publish(tmp_path, ".building-050-2025-26-autumn-x", **AUTUMN)
    publish(tmp_path, "050-2026-27-autumn", **{**AUTUMN, "as_at": dt.date(2026, 12, 31)})
    cases = {"851-2025-26-autumn": "is a pack for LA 851, not 050",
             ".building-050-2025-26-autumn-x": "is a build folder, not a published pack",
             "050-2026-27-autumn": "is as at 2026-12-31, not before as_at 2026-03-31",
             "nowhere": "previous pack folder not found"}
    for name, message in cases.items():
        params = PeriodParams(**SPRING, previous_pack=Path(name))  # relative to the params file's folder
        with pytest.raises(InputError) as caught:
            previous.locate(params, tmp_path / "elsewhere", tmp_path)
        assert message in str(caught.value), name
        assert caught.value.problems[0].key == "previous_pack"


def measures_now() -> pd.DataFrame:
    """Rated measures of this pack (evaluation.rate_measures): each with its key, year (or snapshot) and status."""
    return pd.DataFrame([
        ("A", "pct_pupils", "Pupils in good or better schools", 89.6, 84.0, "percent", 1, "2026-03-31", "", "better",
         "stable", "green"),
        ("B", "pct_concern", "Schools in a category of concern", 2.8, 6.6, "percent", 1, "2026-03-31", "", "better",
         "stable", "green"),
        ("C", "pct_not_good", "Graded schools not good or better", 11.2, 15.0, "percent", 1, "2025-12-31", "",
         "better", "stable", "green"),
        ("D", "A8", "Attainment 8 (2025)", 44.4, 46.0, "score", 1, "2025", "revised", "worse", "declining", "red"),
        ("D", "KS2", "Reading, writing and maths: expected standard (2026)", 63.0, 62.0, "percent", 0, "2026", "",
         "in_line", "improving", "green"),
        ("E", "P8", "Progress 8 (2025)", -0.2, 0.0, "score", 2, "2025", "", "worse", "stable", "amber"),
        ("F", "complaints", "Qualifying complaints to Ofsted", 7.0, float("nan"), "complaints", 0, "", "", None,
         "improving", "green"),
        ("G", "secretary_of_state", "Secretary of State concerns", float("nan"), float("nan"), "", 0, "", "", None,
         None, "green"),
    ], columns=["indicator", "key", "measure", "local", "national", "unit", "decimals", "year", "status",
                "versus_national", "trend", "rag"]).assign(evidence=lambda f: f["measure"])


def measures_then() -> pd.DataFrame:
    """The previous pack's summary__measures table, as published."""
    return pd.DataFrame([
        ("A", "pct_pupils", "Pupils in good or better schools", 89.2, "2025-12-31", ""),
        ("B", "pct_concern", "Schools in a category of concern", 2.4, "2025-12-31", ""),
        ("C", "pct_not_good", "Graded schools not good or better", 11.0, "2025-12-31", ""),  # the snapshot, reissued
        ("D", "A8", "Attainment 8 (2025 (prov))", 44.0, "2025", "provisional"),  # provisional then, revised now
        ("D", "KS2", "Reading, writing and maths: expected standard (2025)", 61.0, "2025", ""),  # last year's
        ("F", "complaints", "Qualifying complaints to Ofsted", 9.0, "", ""),
        ("G", "secretary_of_state", "Secretary of State concerns", float("nan"), "", ""),
    ], columns=["indicator", "key", "measure", "local", "year", "status"])


def test_measures_against_the_previous_pack():
    moved = since.compare_measures(measures_then(), measures_now()).set_index("measure")
    # A: 89.2 -> 89.6, higher is better: +0.4, better; 0.4 tolerances of A (1.0)
    assert moved.loc["Pupils in good or better schools", ["change", "direction"]].tolist() == pytest.approx([0.4, "better"])
    assert moved.loc["Pupils in good or better schools", "size"] == pytest.approx(0.4)
    # B: 2.4 -> 2.8, lower is better: worse; 0.4 / tolerance 0.5 = 0.8
    assert moved.loc["Schools in a category of concern", "direction"] == "worse"
    assert moved.loc["Schools in a category of concern", "size"] == pytest.approx(0.8)
    # C: the same snapshot (31 Dec 2025) with another figure is a revision, not a change
    c = moved.loc["Graded schools not good or better"]
    assert bool(c["revised"]) and c["direction"] == "same" and pd.isna(c["change"])
    assert c["note"] == ("revised: Graded schools not good or better was 11.0% in the previous report and Graded "
                         "schools not good or better is 11.2% now")
    # D: Attainment 8 2025 was provisional and is revised now: revised, even with the figure moved
    a8 = moved.loc["Attainment 8 (2025)"]
    assert bool(a8["revised"]) and a8["note"] == ("revised: Attainment 8 (2025 (prov)) was 44.0 in the previous report "
                                                  "and Attainment 8 (2025) is 44.4 now")
    # D: a new year's figure is a change from last year's: 61 -> 63, better
    assert moved.loc["Reading, writing and maths: expected standard (2026)", ["change", "direction"]].tolist() == \
        pytest.approx([2.0, "better"])
    # E's measure was not in the previous pack; F fell 9 -> 7, lower is better; G has no figure
    assert moved.loc["Progress 8 (2025)", "direction"] == "new"
    assert moved.loc["Qualifying complaints to Ofsted", ["change", "direction"]].tolist() == pytest.approx([-2.0, "better"])
    assert "Secretary of State concerns" not in moved.index


@pytest.mark.parametrize(("then", "now", "expected"), [("green", "amber", "worse"), ("red", "amber", "better"),
                                                      ("amber", "amber", "same"), ("", "green", "new"),
                                                      ("not rated", "green", "new"), ("green", "not rated", "")])
def test_rating_direction(then, now, expected):
    assert since.rating_direction(then, now) == expected


def tiles(category: float | None = 7, spent: float = 80) -> list[Tile]:
    return [Tile("inspections_pupils_good_or_better", "Pupils in good or better schools", 90.4, "percent", 0,
                 period="2026-03-31", polarity="High"),
            Tile("inspections_category_of_concern", "Schools in a category of concern", category, "count",
                 suppressed=category is None, period="2026-03-31", polarity="Low"),
            Tile("achievement_AVG_Attain8_Score", "Attainment 8, 2025", 44.0, "number", 1, period="2025",
                 status="revised", polarity="High"),
            Tile("budget_leep_pct_spent", "LEEP fund spent, 2025-26", spent, "percent", 0, period="2025-26"),
            Tile("support_schools", "Schools supported this period", 16, "count")]


TILES_THEN = pd.DataFrame([
    ("inspections_pupils_good_or_better", "Pupils in good or better schools", 89.0, "percent", 0, "2025-12-31", ""),
    ("inspections_category_of_concern", "Schools in a category of concern", 3, "count", 0, "2025-12-31", ""),
    ("achievement_AVG_Attain8_Score", "Attainment 8, 2025 (prov)", 44.0, "number", 1, "2025", "provisional"),
    ("budget_leep_pct_spent", "LEEP fund spent, 2025-26", 79, "percent", 0, "2025-26", ""),
], columns=["key", "label", "value", "unit", "decimals", "period", "status"]).assign(detail="")


def headlines_then(tmp_path: Path):
    """TILES_THEN as the previous pack published it (``summary__headlines``)."""
    pack = publish(tmp_path, "050-2025-26-autumn", tables={"summary__headlines": TILES_THEN}, **AUTUMN)
    return previous.read(pack).table("summary__headlines")


def test_tiles_against_the_previous_pack(tmp_path):
    rows = {r[0]: r[1:] for r in since.tile_rows(headlines_then(tmp_path), tiles(), committee=False, threshold=5)}
    assert rows["Pupils in good or better schools"] == ("89%", "90%", "+1 point", "better", "")
    assert rows["Schools in a category of concern"] == ("3", "7", "+4", "worse", "")  # lower is better
    # the same year, provisional then: a revision, both shown
    assert rows["Attainment 8, 2025"][0] == "44.0 (Attainment 8, 2025 (prov))"
    assert rows["Attainment 8, 2025"][2:4] == ("revised", "same")
    # money spent so far in the year is progress, not a revision; neither better nor worse
    assert rows["LEEP fund spent, 2025-26"] == ("79%", "80%", "+1 point", "", "")
    assert rows["Schools supported this period"] == ("", "16", "", "new", "")


def test_committee_suppresses_the_previous_small_count(tmp_path):
    # the previous (internal) pack showed 3 schools supported; a committee pack shows it as c, and no change
    then = TILES_THEN.copy()
    then.loc[len(then)] = ["support_schools", "Schools supported this period", 3, "count", 0, "", "", ""]
    then = previous.read(publish(tmp_path, "050-2025-26-autumn", tables={"summary__headlines": then},
                                 **AUTUMN)).table("summary__headlines")
    rows = {r[0]: r[1:] for r in since.tile_rows(then, tiles(), committee=True, threshold=5)}
    assert rows["Schools supported this period"][:3] == ("c", "16", "")
    # 3 schools in an Ofsted category are Ofsted's public count (docs/disclosure.md, rule 3): shown, with the change
    assert rows["Schools in a category of concern"] == ("3", "7", "+4", "worse", "")
    rows = {r[0]: r[1:] for r in since.tile_rows(then, tiles(category=None), committee=True, threshold=5)}
    assert rows["Schools in a category of concern"][:3] == ("3", "c", "")


def indicators_now() -> pd.DataFrame:
    return pd.DataFrame({"indicator": list("ABCDEFG"),
                         "local": ["89.6%", "2.8%", "11.2%", "44.4; 63%", "-0.20", "7", "No concerns known"],
                         "rag": ["green", "green", "green", "red", "amber", "green", "green"]})


def test_compare_builds_the_table_from_the_published_tables(tmp_path):
    then = pd.DataFrame({"indicator": list("ABCDEFG"),
                         "local": ["89.2%", "2.4%", "11.0%", "44.0; 61%", "–", "9", "No concerns known"],
                         "rag": ["green", "green", "amber", "red", "not rated", "red", "green"]})
    pack = previous.read(publish(tmp_path, "050-2025-26-autumn", tables={
        "summary__indicators": then, "summary__measures": measures_then(), "summary__headlines": TILES_THEN},
        **AUTUMN))
    events = pd.DataFrame(columns=since.EVENT_COLUMNS)
    result = since.compare(pack, indicators=indicators_now(), measures=measures_now(), tiles=tiles(),
                           reasons={"C": "why C"}, events=events, kinds=(), period="2025-26-spring",
                           since=dt.date(2025, 12, 31), committee=False, threshold=5)
    table = result.table.set_index("measure")
    assert list(result.table.columns) == since.TABLE_COLUMNS
    for letter in "ABCDEFG":  # the previous pack's figures, exactly as it published them
        assert table.at[f"{letter}: rating", "previous"] == then.set_index("indicator").at[letter, "rag"]
        assert table.at[f"{letter}: local figure", "previous"] == then.set_index("indicator").at[letter, "local"]
    assert table.loc["C: rating", ["change", "direction"]].tolist() == ["amber to green", "better"]
    assert table.loc["E: rating", "direction"] == "new"
    assert table.loc["D: local figure", ["change", "direction"]].tolist() == ["revised; +2 points", "better"]
    assert table.loc["G: local figure", "direction"] == "same"
    assert set(result.table["direction"]) <= {"better", "worse", "same", "new", ""}
    ratings = words.rating_changes(result.ratings)
    assert ratings[0] == "C moved from amber to green: why C."
    # ranked by the change in tolerances of the indicator: D 2 / 1.0, F 2 / 1 (a count: at least 1), B 0.4 / 0.5
    assert words.biggest_movements(result.movements) == [
        "Biggest movements since the last report: D, Reading, writing and maths: expected standard (2026): rose from "
        "61% to 63% (2 points), better. F, Qualifying complaints to Ofsted: fell from 9 to 7 (2), better. "
        "B, Schools in a category of concern: rose from 2.4% to 2.8% (0.4 points), worse."]
    assert words.revisions(result.movements, result.table)[0].startswith(
        "Revised by the source since the previous report (shown in both versions, not counted as a change): "
        "Graded schools not good or better was 11.0%")


def test_no_previous_pack_says_so():
    result = since.compare(None, indicators=indicators_now(), measures=measures_now(), tiles=tiles(),
                           reasons={}, events=pd.DataFrame(columns=since.EVENT_COLUMNS), kinds=(),
                           period="2025-26-spring", since=dt.date(2025, 12, 31), committee=True, threshold=5)
    assert result.previous is None and result.table.empty and result.previous_period == "2025-26-autumn"
    said = words.no_previous_report(result.previous_period, result.since)
    assert said.startswith("The report for the autumn term 2025/26 was not found, so this table of ratings and "
                           "headline figures is not set against it")
    assert "params" not in said and "previous_pack" not in said  # no words of the tool


EVENTS = pd.DataFrame([("entered_category", "Oak Primary", "special_measures"),
                       ("entered_at_risk", "Elm Academy", "at_risk"),
                       ("inspected", "Ash School", "improved"),
                       ("started_support", "Ash School", "core")] +
                      [("ended_support", f"School {i}", "") for i in range(6)], columns=since.EVENT_COLUMNS)


def test_events_internal_names_schools_committee_counts_only():
    kinds = since.EVENT_KINDS
    internal = words.event_sentences(EVENTS, kinds, committee=False, threshold=5)
    # an Ofsted category and the LA's own at-risk list are told apart, never pooled
    assert internal[0] == ("1 school entered an Ofsted category of concern since the last report: "
                           "Oak Primary (special measures).")
    assert internal[1] == "No school left an Ofsted category of concern since the last report."
    assert internal[2] == ("1 school joined the LA's list of schools at risk since the last report: "
                           "Elm Academy (at risk).")
    assert internal[6] == "1 school was inspected since the last report: Ash School (improved)."
    committee = words.event_sentences(EVENTS, kinds, committee=True, threshold=5)
    assert committee == ["Fewer than 5 schools entered an Ofsted category of concern since the last report.",
                         "No school left an Ofsted category of concern since the last report.",
                         "Fewer than 5 schools joined the LA's list of schools at risk since the last report.",
                         "No school left the LA's list of schools at risk since the last report.",
                         "Fewer than 5 schools started an episode of support since the last report.",
                         "6 schools ended an episode of support since the last report.",
                         "Fewer than 5 schools were inspected since the last report."]
    assert not any(name in " ".join(committee) for name in EVENTS["school"])


def test_view_blocks(tmp_path):
    from leep_analysis.sections.summary import Summary, views

    then = pd.DataFrame({"indicator": list("ABCDEFG"), "local": ["89.2%", "2.4%", "11.0%", "44.0; 61%", "–", "9", "x"],
                         "rag": ["green", "green", "amber", "red", "not rated", "red", "green"]})
    pack = previous.read(publish(tmp_path, "050-2025-26-autumn", tables={"summary__indicators": then}, **AUTUMN))
    args = {"indicators": indicators_now(), "measures": measures_now(), "tiles": tiles(),
            "reasons": {}, "events": EVENTS, "kinds": ("inspected",), "period": "2025-26-spring",
            "since": dt.date(2025, 12, 31), "committee": True, "threshold": 5}
    summary = Summary(measures=measures_now(), indicators=indicators_now(), messages={}, tiles=tiles(), narrative={},
                      since_last=since.compare(pack, **args))
    blocks = views.since_last_report(summary)
    assert [b.type for b in blocks] == ["table", "points"]
    shown = blocks[0]
    assert shown.name == "since_last_report" and list(shown.written.columns) == since.TABLE_COLUMNS
    row = shown.frame.set_index("measure").loc["C: rating"]
    assert [cell_text(row[c], shown.columns[c], row) for c in ("previous", "now", "change", "direction")] == \
        ["Amber", "Green", "Amber to green", "Better"]
    assert shown.written.set_index("measure").at["C: rating", "previous"] == "amber"  # the CSV keeps the values
    assert blocks[1].items[-1] == "Fewer than 5 schools were inspected since the last report."
    alone = Summary(measures=measures_now(), indicators=indicators_now(), messages={}, tiles=tiles(), narrative={},
                    since_last=since.compare(None, **args))
    [block] = views.since_last_report(alone)
    assert block.type == "paragraph" and block.text.startswith("The report for the autumn term 2025/26 was not found")
    headlines = views.headlines(summary)
    assert headlines.name == "headlines" and headlines.frame["key"].tolist() == [t.key for t in tiles()]
    assert not headlines.shown and headlines.frame["value"].tolist()[:2] == [90.4, 7.0]


def test_validate_names_a_previous_pack_that_is_not_one(tmp_path, params_file):
    from leep_analysis.runner import validate_period

    publish(tmp_path, "050-2025-26-summer", **{**AUTUMN, "period": "2025-26-summer", "as_at": "2026-07-31"})
    path = params_file(previous_pack="050-2025-26-summer", sections=["budget"])  # as at 31 Jul 2026: after 31 Dec 2025
    problems = [p for p in validate_period(path) if p.key == "previous_pack"]
    assert [p.message for p in problems] == ["is as at 2026-07-31, not before as_at 2025-12-31"]


@pytest.mark.parametrize(("cell", "message"), [
    ("inf", "row 2, column 'local': not a figure: 'inf'"),
    ("99999999999999999999999999", "row 2, column 'local': not a figure: '99999999999999999999999999'"),
    ("lots", "row 2, column 'local': not a figure: 'lots'"),
])
def test_a_tampered_previous_pack_is_refused_in_one_line(tmp_path, cell, message):
    then = measures_then().astype({"local": object})
    then.loc[0, "local"] = cell
    folder = publish(tmp_path, "050-2025-26-autumn", tables={"summary__measures": then}, **AUTUMN)
    with pytest.raises(InputError) as caught:
        previous.read(folder)
    [problem] = caught.value.problems
    assert str(problem).endswith(message) and "summary__measures.csv" in str(problem)
    assert problem.key == "previous_pack"


def test_a_previous_pack_missing_a_column_or_of_an_earlier_version_says_so(tmp_path):
    folder = publish(tmp_path / "a", "050-2025-26-autumn",
                     tables={"summary__measures": measures_then().drop(columns="key")}, **AUTUMN)
    with pytest.raises(InputError, match="has no column key: it is not a table this version"):
        previous.read(folder)
    folder = publish(tmp_path / "b", "050-2025-26-autumn", tables={"summary__headlines": TILES_THEN}, **AUTUMN)
    (folder / "data_dictionary.csv").write_text("table,sheet,column,heading,meaning,format\n")  # an earlier version's
    with pytest.raises(InputError, match="made by an earlier version of leep-analysis; build it again"):
        previous.read(folder)
