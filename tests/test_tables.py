"""Tables in the house style: CSV rounding, RAG badges, trend arrows, the row-label column."""

from __future__ import annotations

import pandas as pd

from leep_analysis import content, tables
from leep_analysis.content import Table
from leep_analysis.render import html


def test_round_for_csv_drops_float_noise_and_keeps_exact_figures():
    frame = pd.DataFrame({
        "effect": [-0.20000000000000084, 1.5, None],     # exact to 1 place, with float noise
        "pct": [14.814814814814815, 50.0, 2 / 3 * 100],  # computed: 3 places
        "score": [0.03, -0.54, 0.08],                    # exact to 2 places
        "count": [1, 2, 3],                              # integers untouched
        "name": ["a", "b", "c"],
    })
    out = tables.round_for_csv(frame)
    assert out["effect"].tolist()[:2] == [-0.2, 1.5] and pd.isna(out["effect"].iloc[2])
    assert out["pct"].tolist() == [14.815, 50.0, 66.667]
    assert out["score"].tolist() == [0.03, -0.54, 0.08]
    assert out["count"].tolist() == [1, 2, 3]


def test_write_csv_has_no_float_noise(tmp_path):
    path = tmp_path / "t.csv"
    tables.write_csv(pd.DataFrame({"effect": [-0.20000000000000084, -1e-12], "n": [3.0, 4.0]}), path)
    assert path.read_text() == "effect,n\n-0.2,3.0\n0.0,4.0\n"  # no noise, and no "-0.0"


def test_rag_badge_has_word_and_shape_and_escapes():
    assert html.rag_html("green") == (
        '<span class="leep-rag leep-rag-green"><span class="leep-rag-shape" aria-hidden="true">●</span> Green</span>')
    assert "Amber</span>" in html.rag_html("Amber") and "▲" in html.rag_html("amber")
    assert "■" in html.rag_html("red")
    assert html.rag_html("not rated") == "Not rated"
    assert html.rag_html("<b>") == "&lt;b&gt;"


def test_trend_arrow_coloured_by_whether_better():
    assert html.trend_html("improving") == (
        '<span class="leep-trend leep-trend-better"><span aria-hidden="true">▲</span> improving</span>')
    several = html.trend_html("stable; declining; not known")
    assert several.count("leep-trend-") == 2 and "leep-trend-worse" in several and several.endswith("; not known")


def test_label_column_is_the_longer_of_the_first_two_text_columns():
    frame = pd.DataFrame({"indicator": ["A", "B"], "description": ["Pupils in good schools", "Schools"],
                          "local": [1.0, 2.0]})
    markup = html.table_html(Table("t", "c", frame), section="s", number=1)
    assert '<td class="text label">Pupils in good schools</td>' in markup
    assert '<td class="text">A</td>' in markup and '<td class="num">1.0</td>' in markup


def test_cell_text_by_kind():
    row = {"unit": "percent", "decimals": 1, "n": 153, "area": "London"}
    assert tables.cell_text(63.04, content.measure("LA"), row) == "63.0%"
    assert tables.cell_text(2.0, content.measure("Change", unit_from=None, signed=True), row) == "+2.0"
    assert tables.cell_text(12, content.rank("Rank", of="n"), row) == "12 of 153"
    assert tables.cell_text(-4120, content.money("Variance", signed=True)) == "-£4,120"
    assert tables.cell_text(4120, content.money("Variance", signed=True)) == "+£4,120"
    assert tables.cell_text(6, content.count("Schools")) == "6"
    assert tables.cell_text(2.0, content.code("Grade", {1: "Outstanding", 2: "Good"})) == "Good"
    assert tables.cell_text(None, content.date("Ended", missing="ongoing")) == "ongoing"
    assert tables.cell_text(float("nan"), content.percent("%")) == tables.MISSING
    assert tables.cell_text(7, content.count("n"), suppressed=True) == "c"
    assert tables.cell_text(61.0, content.measure("Region", note_from="area"), row) == "61.0% (London)"
    by_kind = content.code("Group", {"tier": {"targeted": "Targeted"}, "phase": {"primary": "Primary"}},
                           codes_by="by")
    assert tables.cell_text("targeted", by_kind, {"by": "tier"}) == "Targeted"
    assert tables.cell_text("primary", by_kind, {"by": "tier"}) == "primary"


def test_csv_keeps_raw_values_and_marks_withheld_cells(tmp_path):
    frame = pd.DataFrame({"tier": ["targeted", "intensive"], "n_schools": [17.0, float("nan")], "pct": [6.8, None]})
    table = Table("t", "c", frame, columns={"tier": content.code("Tier", {"targeted": "Targeted"})},
                  suppressed={(1, "n_schools"), (1, "pct")})
    tables.write_table(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "tier,n_schools,pct\ntargeted,17,6.8\nintensive,c,c\n"
