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


# ----------------------------------------------------------------- charts for print
def test_years_not_comparable_are_drawn_apart_and_years_carry_no_release():
    charts.use_house_style()
    frame = pd.DataFrame({"year_label": ["2019", "2020", "2021", "2022", "2023", "2024 (Rev)", "2025 (prov)"],
                          "la_value": [46.0, 50.0, 51.0, 48.0, 45.0, 45.5, 46.0]})
    fig = charts.trend_chart(frame, title="t", y_label="score", labels={"la_value": "LA"}, apart=["2020", "2021", "2022"])
    ax = fig.axes[0]
    line, hollow = ax.lines[0], ax.lines[1]
    joined = np.asarray(line.get_ydata(), dtype=float)
    # no segment runs into or out of 2020 to 2022: the line is broken there; those years are hollow points alone
    assert np.isnan(joined[1:4]).all() and not np.isnan(joined[[0, 4, 5, 6]]).any()
    assert list(hollow.get_ydata()) == [50.0, 51.0, 48.0] and hollow.get_linestyle() == "None"
    assert "not comparable" in [t.get_text() for t in ax.texts]
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    assert charts.release_note(frame["year_label"]) == "2024 revised; 2025 provisional"


def test_value_labels_sit_clear_of_the_reference_lines():
    charts.use_house_style()
    frame = pd.DataFrame({"area": ["A", "LA", "B"], "value": [68.2, 68.0, 67.9], "is_la": [False, True, False]})
    fig = charts.neighbours_chart(frame, title="t", x_label="% of pupils", england=68.1, sn_mean=68.0, unit="percent")
    ax = fig.axes[0]
    fig.canvas.draw()
    lines = [line.get_window_extent() for line in ax.lines]  # England's and the neighbours' mean
    labels = [text.get_window_extent() for text in ax.texts]
    assert len(lines) == 2 and len(labels) == 3
    assert not any(label.overlaps(line) for label in labels for line in lines)


def test_the_groups_of_a_gap_chart_differ_by_shape_as_well_as_colour():
    charts.use_house_style()
    frame = pd.DataFrame({"area": ["LA", "England"], "group": [40.0, 45.0], "others": [69.0, 66.0]})
    fig = charts.gap_chart(frame, title="t", x_label="% of pupils", labels=("Disadvantaged", "Others"), unit="percent")
    group, others = fig.axes[0].collections[1:3]
    assert group.get_paths()[0].vertices.shape != others.get_paths()[0].vertices.shape  # a diamond, a circle


def test_a_chart_fits_the_printed_page_at_its_own_size():
    charts.use_house_style()
    fig = charts.trend_chart(_trend([60.0, 61.0, 62.0]), title="t", y_label="% of pupils",
                             labels={"la_value": "LA", "england": "England"}, unit="percent")
    block = charts.figure("line", _trend([60.0, 61.0, 62.0]), lambda _: fig, caption="c", alt="a chart")
    from leep_analysis.render import pdf

    assert block.width <= pdf.REPORT_WIDTH  # printed at 100%: its 9 pt text stays 9 pt


def test_a_percentage_axis_says_what_is_counted():
    from leep_analysis.sections.achievement import views

    neet = next(i for i in views.all_indicators() if i.code == "16-17 NEET")
    age19 = next(i for i in views.all_indicators() if i.code == "Level2Age19")
    assert views._y_label("percent", neet.counts) == "% of 16 and 17 year olds"
    assert views._y_label("percent", age19.counts) == "% of young people"


def test_a_title_sits_where_matplotlib_would_place_it_itself(monkeypatch):
    """The house style fixes each title just above its axes (``axes.titley``), sparing matplotlib a measure of every
    tick label at each draw; it would place it there itself, since no chart has ticks or labels on top."""
    trend = _trend([66.0, 68.0, 70.0])
    bars = pd.DataFrame({"area": ["A", "LA"], "value": [72.0, 70.0], "is_la": [False, True]})
    gap = pd.DataFrame({"area": ["LA"], "group": [40.0], "others": [69.0]})
    drawn = {
        "line": (trend, lambda d: charts.trend_chart(d, title="Trend", y_label="% of pupils",
                                                     labels={"la_value": "LA", "england": "England"},
                                                     unit="percent")),
        "bar": (bars, lambda d: charts.neighbours_chart(d, title="Neighbours", x_label="% of pupils", decimals=0,
                                                        england=68.0, sn_mean=67.6, unit="percent")),
        "dot": (gap, lambda d: charts.gap_chart(d, title="Gap", x_label="% of pupils",
                                                labels=("Disadvantaged", "Others"), unit="percent")),
    }

    def svgs() -> list[str]:
        return [charts.figure(kind, data, draw, caption="c", alt="a").svg for kind, (data, draw) in drawn.items()]

    fixed = svgs()
    monkeypatch.setitem(charts.HOUSE_RC, "axes.titley", None)  # matplotlib's own placement
    assert svgs() == fixed
