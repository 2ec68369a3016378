"""Headline tiles: a fixed order from config/tiles.yaml, and better or worse than England."""

from __future__ import annotations

import json

from leep_analysis import pages, tables
from leep_analysis.wording import versus_england


def test_versus_england_by_polarity_at_the_figures_shown():
    assert versus_england(61.0, 62.0, "High", 0) == "worse"
    assert versus_england(2.4, 6.6, "Low", 1) == "better"
    assert versus_england(64.06, 63.96, "High", 0) == "in_line"  # both shown as 64%
    assert versus_england(64.06, 63.96, "High", 1) == "better"  # 64.1% against 64.0%
    assert versus_england(61.0, float("nan"), "High", 0) == ""
    assert versus_england(61.0, 60.0, None, 0) == ""


def test_versus_html_reads_without_colour():
    assert tables.versus_html("worse") == ('<span class="leep-tile-versus leep-trend-worse"><span aria-hidden="true">'
                                           "▼</span> Worse than England</span>")
    assert tables.versus_html("") == ""


def test_ordered_tiles_summary_first_then_by_section_in_page_order(tmp_path):
    folder = tmp_path / "headlines"
    folder.mkdir()

    def tile(position: int) -> dict:
        return {"label": "x", "value": "1", "detail": "", "versus": "", "position": position}

    # keys sorted in the JSON (as Section._record writes them), so the order must come from elsewhere
    (folder / "summary.json").write_text(json.dumps({
        "budget_leep_pct_spent": tile(5), "inspections_pupils_good_or_better": tile(0)}, sort_keys=True))
    (folder / "achievement.json").write_text(json.dumps({"achievement_Z": tile(0), "achievement_A": tile(1)},
                                                        sort_keys=True))
    (folder / "budget.json").write_text(json.dumps({"budget_leep_pct_spent": tile(0), "budget_aaa": tile(1)},
                                                   sort_keys=True))
    (folder / "inspections.json").write_text(json.dumps({"inspections_pupils_good_or_better": tile(1),
                                                         "inspections_good_or_better": tile(0)}, sort_keys=True))
    order = pages.ordered_tiles(tmp_path, ["summary", "achievement", "inspections", "budget"])
    assert [t["href"] for t in order] == ["inspections.html", "budget.html", "achievement.html", "achievement.html",
                                          "inspections.html", "budget.html"]
    keys = [t["position"] for t in order]
    assert keys == [1, 0, 0, 1, 0, 1]
