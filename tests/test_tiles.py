"""Headline tiles: a fixed order from config/tiles.yaml, and better or worse than England."""

from __future__ import annotations

import re

from leep_analysis import pages
from leep_analysis.content import Tile, Tiles
from leep_analysis.render import html
from leep_analysis.wording import versus_england


def test_versus_england_by_polarity_at_the_figures_shown():
    assert versus_england(61.0, 62.0, "High", 0) == "worse"
    assert versus_england(2.4, 6.6, "Low", 1) == "better"
    assert versus_england(64.06, 63.96, "High", 0) == "in_line"  # both shown as 64%
    assert versus_england(64.06, 63.96, "High", 1) == "better"  # 64.1% against 64.0%
    assert versus_england(61.0, float("nan"), "High", 0) == ""
    assert versus_england(61.0, 60.0, None, 0) == ""


def test_versus_html_reads_without_colour():
    assert html.versus_html("worse") == ('<span class="leep-tile-versus leep-trend-worse"><span aria-hidden="true">'
                                         "▼</span> Worse than England</span>")
    assert html.versus_html("") == ""


def test_tile_value_from_its_unit():
    assert html.tile_value(Tile("k", "l", 94.5, "percent", 0)) == "94%"  # as a table rounds it (half to even)
    assert html.tile_value(Tile("k", "l", 44.04, "number", 1)) == "44.0"
    assert html.tile_value(Tile("k", "l", 6.0, "count")) == "6"
    assert html.tile_value(Tile("k", "l", None, "count", suppressed=True)) == "c"
    assert html.tile_value(Tile("k", "l", None, "percent", missing="not available")) == "not available"


def test_ordered_tiles_summary_first_then_by_section_in_page_order():
    def tiles(*keys: str) -> Tiles:
        return Tiles(tuple(Tile(k, k, 1.0) for k in keys))

    blocks = {"summary": [tiles("inspections_pupils_good_or_better_with_rule", "budget_leep_pct_spent")],
              "achievement": [tiles("achievement_Z", "achievement_A")],
              "inspections": [tiles("inspections_good_or_better", "inspections_pupils_good_or_better_with_rule")],
              "budget": [tiles("budget_leep_pct_spent", "budget_aaa")]}
    order = pages.ordered_tiles(blocks)
    hrefs = [re.search(r'href="([^"]+)"', t["html"]).group(1) for t in order]
    labels = [re.search(r'tile-label">([^<]+)<', t["html"]).group(1) for t in order]
    assert hrefs == ["inspections.html", "budget.html", "achievement.html", "achievement.html", "inspections.html",
                     "budget.html"]
    assert labels == ["inspections_pupils_good_or_better_with_rule", "budget_leep_pct_spent", "achievement_Z",
                      "achievement_A",
                      "inspections_good_or_better", "budget_aaa"]
