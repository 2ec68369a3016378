"""Tables in the house style: CSV rounding, RAG badges, trend arrows, the row-label column."""

from __future__ import annotations

import pandas as pd

from leep_analysis import tables


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
    assert tables.FORMATS["rag"]("green") == (
        '<span class="leep-rag leep-rag-green"><span class="leep-rag-shape" aria-hidden="true">●</span> Green</span>')
    assert "Amber</span>" in tables.FORMATS["rag"]("Amber") and "▲" in tables.FORMATS["rag"]("amber")
    assert "■" in tables.FORMATS["rag"]("red")
    assert tables.FORMATS["rag"]("not rated") == "Not rated"
    assert tables.FORMATS["rag"]("<b>") == "&lt;b&gt;"


def test_trend_arrow_coloured_by_whether_better():
    assert tables.FORMATS["trend"]("improving") == (
        '<span class="leep-trend leep-trend-better"><span aria-hidden="true">▲</span> improving</span>')
    several = tables.FORMATS["trend"]("stable; declining; not known")
    assert several.count("leep-trend-") == 2 and "leep-trend-worse" in several and several.endswith("; not known")
    assert tables.FORMATS["trend"](None) == tables.MISSING


def test_label_column_is_the_longer_of_the_first_two_text_columns():
    frame = pd.DataFrame({"indicator": ["A", "B"], "description": ["Pupils in good schools", "Schools"],
                          "local": [1.0, 2.0]})
    markup = tables.table_html(frame, table_id="t", number=1, caption="c")
    assert '<td class="text label">Pupils in good schools</td>' in markup
    assert '<td class="text">A</td>' in markup and '<td class="num">1.0</td>' in markup
