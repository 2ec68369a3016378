"""The seaborn charts: the house style without changing the kernel's, exactly the given figures, and in a
committee pack only what the pack publishes."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd

from leep_analysis import charts, disclosure, statcharts
from leep_analysis.config import PROJECT_DIR
from leep_analysis.runner import load_period
from leep_analysis.sections.concerns import views as concerns_views
from leep_analysis.sections.support import analyse as support_analyse
from leep_analysis.sections.support import views as support_views

RESULTS = pd.DataFrame(
    [{"panel": "Primary", "unit": "percent", "series": "school", "label": "", "value": v} for v in (40, 55, 61, 70, 90)]
    + [{"panel": "Primary", "unit": "percent", "series": s, "label": s, "value": v}
       for s, v in (("la", 61.0), ("england", 62.0), ("alert", 52.0))])
RANGES = pd.DataFrame({"panel": ["KS2 (points)"] * 3, "unit": "points", "row": ["All", "Targeted", "Intensive"],
                       "effect": [5.0, -1.0, np.nan], "ci_low": [1.0, -4.0, np.nan], "ci_high": [3.0, 2.0, np.nan],
                       "note": ["", "", "too few schools to judge"]})
SERIES = pd.DataFrame({"area": ["LA"] * 3 + ["N1"] * 3 + ["N2"] * 3, "year": [2023, 2024, 2025] * 3,
                       "value": [60.0, 61, 62, 58, 59, np.nan, 65, 66, 67]})


def test_seaborn_charts_take_the_house_style_and_leave_matplotlib_and_numpy_as_they_were():
    charts.pyplot()
    rc, state, figures = dict(matplotlib.rcParams), np.random.get_state(), charts.pyplot().get_fignums()
    draws = {"box and strip": (RESULTS, statcharts.school_results), "point range": (RANGES, statcharts.point_ranges),
             "small multiples": (SERIES, lambda d: statcharts.neighbour_series(d, la="LA", unit="percent", title="t"))}
    for kind, (data, draw) in draws.items():
        first, second = (charts.figure(kind, data, draw, caption="c", alt="a") for _ in range(2))
        assert first.svg == second.svg, f"{kind}: the same bytes every run (the strip's jitter is seeded)"
        assert "DejaVu Sans" in first.svg and "#12436d" in first.svg.lower(), f"{kind}: afcharts' dark blue"
    assert dict(matplotlib.rcParams) == rc and charts.pyplot().get_fignums() == figures, "no figure left open"
    after = np.random.get_state()
    assert after[0] == state[0] and (after[1] == state[1]).all() and after[2:] == state[2:]


def test_point_ranges_draw_exactly_the_given_estimate_and_interval():
    # an estimate outside its interval (a skewed bootstrap can give one) is still drawn where it is
    fig = statcharts.point_ranges(RANGES)
    ax = fig.axes[0]
    spans = set()
    for line in ax.lines:  # an interval: its caps and, between them, the line at the row's height
        xy = line.get_xydata()
        level = [tuple(p) for p in xy if np.isfinite(p).all() and float(p[1]).is_integer()]
        if len(level) == 2 and level[0][1] == level[1][1]:
            spans.add((level[0][0], level[1][0], level[0][1]))
    assert {(1.0, 3.0, 0.0), (-4.0, 2.0, 1.0)} <= spans
    points = [tuple(xy) for line in ax.lines if line.get_marker() not in (None, "None", "")
              for xy in line.get_xydata()]
    assert (5.0, 0.0) in points and (-1.0, 1.0) in points
    assert "too few schools to judge" in [t.get_text().strip() for t in ax.texts]
    charts.pyplot().close(fig)


def test_the_impact_figure_in_a_committee_pack_holds_only_the_published_estimates(clean_env):
    result = support_analyse(load_period(PROJECT_DIR / "params" / "2025-26-spring.yaml"))
    assert result.data.committee
    table = support_views.impact(result)
    figure = support_views.impact_figure(result)
    drawn = figure.data
    # every estimate the figure holds is one the table publishes, and none the table withholds
    withheld = {(table.frame.at[i, "measure"], table.frame.at[i, "group"]) for i, c in table.suppressed}
    assert withheld, "the spring committee sample withholds some"
    published = table.frame.dropna(subset=["effect"])
    assert sorted(drawn["effect"].dropna().round(9)) == sorted(published["effect"].astype(float).round(9)
                                                                [published["measure"] != "ks4_P8MEA"])
    for column in ("effect", "ci_low", "ci_high"):
        assert drawn[column].dropna().isin(table.frame[column].astype(float).dropna()).all()
    assert "not drawn, too few schools to judge" in figure.alt and "(95% interval" in figure.alt


def _early_warning(committee: bool, n_secondary: int) -> SimpleNamespace:
    rows = [("ks2", 2025, f"1{i:05d}", float(v), 61.0, 62.0) for i, v in enumerate([40, 48, 55, 61, 66, 70, 90])]
    rows += [("ks4", 2024, f"2{i:05d}", v, -0.2, 0.0) for i, v in enumerate([-0.9, -0.1, 0.3][:n_secondary])]
    frame = pd.DataFrame(rows, columns=["key_stage", "year", "urn", "value", "la_value", "england"])
    return SimpleNamespace(results=frame, threshold=5, anonymiser=disclosure.Anonymiser(committee, {}))


def test_each_schools_result_against_the_la_and_england_alt_text_from_the_data():
    figure = concerns_views.results_figure(_early_warning(committee=False, n_secondary=3))
    assert figure.kind == "box and strip"
    assert ("Primary schools: KS2 reading, writing and maths expected standard, 2024/25: 7 schools, middle half from "
            "52% to 68%, median 61%; the LA 61%, England 62%; 2 schools below the early-warning line") in figure.alt
    assert "Secondary schools: Progress 8, 2023/24: 3 schools" in figure.alt and "1 school below" in figure.alt
    assert "urn" not in figure.data.columns, "a point is a school's published result, unnamed"
    assert figure.data.loc[figure.data["series"] == "alert", "value"].tolist() == [52.0, -0.5]


def test_in_a_committee_pack_a_phase_with_few_schools_is_not_drawn_and_small_counts_are_withheld():
    figure = concerns_views.results_figure(_early_warning(committee=True, n_secondary=3))
    assert set(figure.data["panel"].str.split(":").str[0]) == {"Primary schools"}
    assert figure.alt.endswith("Not drawn: secondary schools (fewer than 5 schools).")
    assert "fewer than 5 schools below the early-warning line" in figure.alt
