"""End to end: the sample's spring pack set against its autumn pack, and alone (the session's shared packs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import disclosure, previous
from leep_analysis.config import PROJECT_DIR, load_config
from leep_analysis.content import Tile
from leep_analysis.render.html import tile_value

from .test_committee import identifiers, pack_texts

pytestmark = pytest.mark.pack


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_spring_rows_equal_autumns_published_figures(spring_after_autumn, default_pack):
    since = read(spring_after_autumn / "tables" / "summary__since_last_report.csv").set_index("measure")
    assert list(since.columns) == ["previous", "now", "change", "direction", "note"]
    autumn = read(default_pack / "tables" / "summary__indicators.csv").set_index("indicator")
    spring = read(spring_after_autumn / "tables" / "summary__indicators.csv").set_index("indicator")
    for letter in "ABCDEFG":
        assert since.at[f"{letter}: rating", "previous"] == autumn.at[letter, "rag"]
        assert since.at[f"{letter}: local figure", "previous"] == autumn.at[letter, "local"]
        assert since.at[f"{letter}: rating", "now"] == spring.at[letter, "rag"]
    assert set(since["direction"]) <= {"better", "worse", "same", "new", ""}
    # each headline tile, its autumn value as published
    tiles = previous.read(default_pack).table("summary__headlines").frame
    checked = 0
    for tile in tiles.to_dict("records"):
        row = since.loc[tile["label"]] if tile["label"] in since.index else None
        # a count below the threshold is withheld in the committee pack, the previous pack's as this one's
        small = (tile["key"] in {k for k, v in load_config("since_last_report")["tiles"].items() if v.get("count")}
                 and not disclosure.public(tile["key"]) and not pd.isna(tile["value"]) and 0 < tile["value"] < 5)
        shown = tile_value(Tile(tile["key"], tile["label"], None if pd.isna(tile["value"]) else tile["value"],
                                tile["unit"], int(tile["decimals"]), suppressed=small))
        if row is not None:  # a label naming another status is the same tile, revised (shown in both versions)
            assert row["previous"] == shown
            checked += 1
    assert checked >= 4
    # the sample's KS4 2025 figures were provisional in December and are revised by March: flagged, not changes
    assert "revised" in since.at["D: local figure", "change"]
    assert "Attainment 8 (2025 (prov)) was 44.0 in the previous report" in since.at["D: local figure", "note"]
    manifest = json.loads((spring_after_autumn / "manifest.json").read_text())
    assert manifest["params"]["previous_pack"] == "../050-2025-26-autumn"


def test_spring_page_shows_the_table_and_sentences(spring_after_autumn, default_pack):
    page = (spring_after_autumn / "summary.html").read_text(encoding="utf-8")
    assert 'id="table-summary-since_last_report"' in page
    assert "Set against the previous report (autumn term 2025/26, figures as at 31 December 2025)" in page
    assert "Biggest movements since the last report:" in page
    assert "schools were inspected since the last report." in page
    # the spring pack is a committee pack: no school of the (internal) autumn pack is named on it
    named = read(default_pack / "tables" / "inspections__schools.csv")["school_name"]
    assert not [n for n in named if n in page]
    # nothing published names the machine's folders
    for path in spring_after_autumn.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".ipynb"):
            assert str(spring_after_autumn.parent) not in path.read_text(encoding="utf-8"), path.name


def test_committee_pack_after_an_internal_one_names_no_school(spring_after_autumn):
    # the autumn pack named its schools; the spring (committee) pack set against it names none, anywhere
    names, urns = identifiers(PROJECT_DIR / "params" / "2025-26-spring.yaml")
    texts = pack_texts(spring_after_autumn)
    found = {(f, n) for f, t in texts.items() for n in names if n in t}
    found |= {(f, u) for f, t in texts.items() for u in urns if re.search(rf"(?<![\d.]){u}(?![\d.])", t)}
    assert sorted(found) == []


def test_index_lists_each_sources_freshness(spring_after_autumn):
    index = (spring_after_autumn / "index.html").read_text(encoding="utf-8")
    assert 'id="table-freshness"' in index
    # LAIT: the sample dictionary's Last Update 46000 and Next Update 46365; Ofsted: the March snapshot, April's due
    assert ("<td class=\"text\">LAIT benchmark data</td><td class=\"text\">9 December 2025</td>"
            "<td class=\"text\">figures to 2025</td><td class=\"text\">9 December 2026</td>") in index
    assert ("Ofsted management information (latest inspections)</td><td class=\"text\">31 March 2026</td>"
            "<td class=\"text\">inspections to 31 March 2026</td><td class=\"text\">21 May 2026</td>") in index
    freshness = json.loads((spring_after_autumn / "manifest.json").read_text())["freshness"]
    assert {r["key"] for r in freshness} >= {"lait", "ofsted_mi", "school_performance", "concerns_log"}


def test_spring_alone_says_there_is_no_previous_report(spring_pack):
    pack = spring_pack
    page = (pack / "summary.html").read_text(encoding="utf-8")
    assert "The report for the autumn term 2025/26 was not found" in page
    assert 'id="table-summary-since_last_report"' not in page
    assert not (pack / "tables" / "summary__since_last_report.csv").exists()
    assert json.loads((pack / "manifest.json").read_text())["params"]["previous_pack"] is None
