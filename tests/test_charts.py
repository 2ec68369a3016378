"""Charts a reader trusts: units on axes, legends written as the tables write them, the y-axis rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leep_analysis import charts


def _trend(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"year_label": [str(2020 + i) for i in range(len(values))], "la_value": values,
                         "england": values})


def test_percent_axis_and_the_y_axis_rule_crops_only_with_a_note():
    charts.use_house_style()
    # 66 to 70: a span of 4 is less than a quarter of 70, so the axis is cropped and says so
    fig = charts.trend_chart(_trend([66.0, 68.0, 70.0]), title="t", y_label="% of pupils",
                             labels={"la_value": "LA", "england": "England"}, unit="percent")
    ax = fig.axes[0]
    assert ax.get_ylim()[0] > 0
    assert charts.CROPPED_NOTE in [t.get_text() for t in ax.texts]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert all(t.endswith("%") for t in ticks) and len(set(ticks)) == len(ticks), ticks  # 66.5%, 67.0%: no two alike
    # 20 to 70: drawn from 0, no note
    fig = charts.trend_chart(_trend([20.0, 45.0, 70.0]), title="t", y_label="% of pupils",
                             labels={"la_value": "LA", "england": "England"}, unit="percent")
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0 and charts.CROPPED_NOTE not in [t.get_text() for t in ax.texts]


def test_a_measure_that_can_be_negative_is_never_forced_to_zero():
    charts.use_house_style()
    fig = charts.trend_chart(_trend([-0.2, 0.1, 0.3]), title="t", y_label="score",
                             labels={"la_value": "LA", "england": "England"}, unit="score")
    assert fig.axes[0].get_ylim()[0] < -0.2 and not fig.axes[0].texts


def test_neighbours_legend_and_labels_as_the_tables_write_them():
    charts.use_house_style()
    frame = pd.DataFrame({"area": ["A", "LA"], "value": [72.0, 70.0], "is_la": [False, True]})
    fig = charts.neighbours_chart(frame, title="t", x_label="% of pupils", decimals=0, england=68.0, sn_mean=67.6,
                                  unit="percent")
    ax = fig.axes[0]
    # the table shows England 68% and the neighbours' mean to one place, 67.6% (wording.mean_decimals)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["England (68%)", "Neighbours' mean (67.6%)"]
    assert {t.get_text() for t in ax.texts} == {"72%", "70%"}  # set off from the bar by an offset, not a space
    assert charts.apply_y_axis_rule(ax, np.array([np.nan])) is False


def test_gap_labels_in_points():
    charts.use_house_style()
    frame = pd.DataFrame({"area": ["LA"], "group": [40.0], "others": [69.0]})
    fig = charts.gap_chart(frame, title="t", x_label="% of pupils", labels=("Disadvantaged", "Others"), unit="percent")
    assert [t.get_text() for t in fig.axes[0].texts] == ["gap 29 points"]
    # the value axis starts near 40%, not at 0: the chart says so (the y-axis rule's mark)
    assert fig.axes[0].get_xlabel() == "% of pupils (axis does not start at 0)"


def test_gap_axis_from_zero_is_not_marked():
    charts.use_house_style()
    frame = pd.DataFrame({"area": ["LA"], "group": [0.0], "others": [69.0]})
    fig = charts.gap_chart(frame, title="t", x_label="% of pupils", labels=("Disadvantaged", "Others"), unit="percent")
    assert fig.axes[0].get_xlim()[0] < 0 and fig.axes[0].get_xlabel() == "% of pupils"
