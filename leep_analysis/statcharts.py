"""Statistical charts drawn with seaborn, in the house style (``charts.WIDTH`` wide, text at least ``charts.SMALL``).

Three charts a statistician would draw, each a drawing function of one frame for
``charts.figure`` (which draws inside ``charts.house_style``, so seaborn takes the
Analysis Function style from afcharts' matplotlib settings; ``seaborn.set_theme`` is
never called, since it would overwrite them):

- ``school_results``: each school's latest headline result as a box and its points,
  one panel per phase, against the LA's and England's figures;
- ``point_ranges``: estimates with their intervals (the support impact estimates);
- ``neighbour_series``: small multiples, one panel per comparator, of an indicator's
  series against the LA's.

Colours are afcharts' (``charts.SERIES_COLOURS``: the LA dark blue, England orange,
the neighbours dark pink). Values on axes are written as the tables write them
(``charts.value_formatter``).
"""

from __future__ import annotations

import contextlib
import textwrap
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import charts

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

#: The seed of the strip plot's jitter: the same points in the same places on every run.
JITTER_SEED = 20251231
#: The lines drawn across a school-results panel, in legend order: series -> (colour, line style).
RESULT_LINES = {"la": (charts.SERIES_COLOURS["la"], "-"), "england": (charts.SERIES_COLOURS["england"], "--"),
                "alert": (charts.PALETTE["dark_pink"], ":")}
#: Text of the note where a point-range row has no estimate.
NOTE_COLOUR = "#505050"


def seaborn() -> Any:
    """``seaborn``, imported when the first of these charts is drawn."""
    import seaborn

    return seaborn


@contextlib.contextmanager
def fixed_jitter(seed: int = JITTER_SEED) -> Iterator[None]:
    """numpy's global random state seeded for seaborn's strip jitter (it has no ``seed`` argument), then put back.

    Pages must be identical run to run, and the kernel must be left as it was found.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def school_results(frame: pd.DataFrame) -> plt.Figure:
    """Each school's result as a box plot with the schools as points, one panel per phase, with lines across.

    ``frame`` has ``panel`` (its title, in drawing order), ``unit`` (``percent``, ``score``), ``series``
    (``school`` for a school's result; ``la``, ``england`` and ``alert`` for a line across the panel), ``label``
    (a line's legend text) and ``value``. Boxes show the middle half of the schools and whiskers 1.5 times
    that; every school is also a point (jittered up and down only).
    """
    sns = seaborn()
    panels = list(dict.fromkeys(frame["panel"]))
    fig, axes = charts.pyplot().subplots(len(panels), 1, figsize=(charts.WIDTH, 0.3 + 1.6 * len(panels)), squeeze=False)
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        handles: dict[str, Any] = {}
        part = frame[frame["panel"] == panel]
        schools = part.loc[part["series"] == "school", "value"].dropna().astype(float).to_numpy()
        if len(schools):
            with warnings.catch_warnings():  # seaborn 0.13 passes matplotlib 3.11 a deprecated argument (vert)
                warnings.filterwarnings("ignore", message=".*vert: bool was deprecated", module="seaborn")
                sns.boxplot(x=schools, ax=ax, color="#DDE5ED", linecolor=charts.GREY, linewidth=1, width=0.55,
                            showfliers=False, zorder=1)
            with fixed_jitter():
                sns.stripplot(x=schools, ax=ax, color=charts.PALETTE["dark_blue"], alpha=0.55, size=3.5, jitter=0.22,
                              zorder=2)
        for series, (colour, style) in RESULT_LINES.items():
            for row in part[part["series"] == series].itertuples():
                if pd.notna(row.value):
                    handles[row.label] = ax.axvline(float(row.value), color=colour, linestyle=style, linewidth=2,
                                                    zorder=3, label=row.label)
        unit = str(part["unit"].iloc[0])
        ax.set_title(textwrap.fill(f"{panel} ({len(schools):,} schools)", 66), loc="left", fontsize=10)
        ax.xaxis.set_major_formatter(charts.value_formatter(unit))
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.spines["left"].set_visible(False)
        if handles:  # each panel its own: the lines' figures differ by phase
            ax.legend(list(handles.values()), [textwrap.fill(t, 22) for t in handles], loc="center left",
                      bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=charts.SMALL)
    fig.tight_layout()
    return fig


def _first(values: pd.Series) -> float:
    return float(values.iloc[0])


def _given_interval(values: pd.Series) -> tuple[float, float]:
    return float(values.iloc[1]), float(values.iloc[2])


def point_ranges(frame: pd.DataFrame) -> plt.Figure:
    """Estimates with their intervals, one panel per measure: a point on a line, and a zero line.

    ``frame`` has ``panel`` (its title, in drawing order), ``unit``, ``row`` (the label of a row, in order),
    ``effect``, ``ci_low``, ``ci_high`` and ``note`` (written where a row has no estimate).

    The estimates and intervals are given (the support section's bootstrap made them), not computed
    here: seaborn's ``pointplot`` is handed each row's three figures in the order (estimate, low, high),
    with the callable ``estimator`` and ``errorbar`` it documents taking the first as the point and the
    other two as the interval, so it draws exactly the published figures.
    """
    sns = seaborn()
    panels = list(dict.fromkeys(frame["panel"]))
    rows = {p: list(dict.fromkeys(frame.loc[frame["panel"] == p, "row"])) for p in panels}
    heights = [0.5 + 0.34 * len(rows[p]) for p in panels]
    fig, axes = charts.pyplot().subplots(len(panels), 1, figsize=(charts.WIDTH, 0.4 + sum(heights)), squeeze=False,
                                         gridspec_kw={"height_ratios": heights})
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        part = frame[frame["panel"] == panel]
        given = part.dropna(subset=["effect", "ci_low", "ci_high"])
        long = given.melt(id_vars=["row"], value_vars=["effect", "ci_low", "ci_high"], var_name="figure")
        long["figure"] = pd.Categorical(long["figure"], ["effect", "ci_low", "ci_high"])
        long = long.sort_values(["row", "figure"], kind="stable")
        if len(long):
            sns.pointplot(data=long, x="value", y="row", order=rows[panel], estimator=_first,
                          errorbar=_given_interval, color=charts.PALETTE["dark_blue"], linestyle="none",
                          markersize=5, capsize=0.25, err_kws={"linewidth": 1.6}, ax=ax)
        ax.axvline(0, color=NOTE_COLOUR, linewidth=1, linestyle="--", zorder=0)
        if len(long):
            low, high = float(given["ci_low"].min()), float(given["ci_high"].max())
            reach = max(abs(low), abs(high)) * 1.08 or 1.0
        else:
            reach = 1.0
        ax.set_xlim(-reach, reach)
        ax.set_ylim(len(rows[panel]) - 0.5, -0.5)
        ax.set_yticks(range(len(rows[panel])), rows[panel])
        for position, row in enumerate(rows[panel]):
            note = part.loc[(part["row"] == row) & part["effect"].isna(), "note"]
            if len(note):
                ax.text(0, position, f" {note.iloc[0]}", va="center", ha="center", fontsize=charts.SMALL, color=NOTE_COLOUR,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.set_title(textwrap.fill(panel, 66), loc="left", fontsize=10)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.xaxis.set_major_formatter(charts.value_formatter(""))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
    fig.tight_layout()
    return fig


def neighbour_series(frame: pd.DataFrame, *, la: str, unit: str, title: str) -> plt.Figure:
    """Small multiples: each comparator's series in a panel of its own, the LA's beside it in every panel.

    ``frame`` has ``area`` (the LA ``la`` and each comparator, panels in their order of first appearance,
    the LA's first), ``year`` (the end year, a number) and ``value``. Panels share their axes, so a
    comparator above the LA's line is above it everywhere.
    """
    sns = seaborn()
    la_rows = frame[frame["area"] == la].sort_values("year")
    others = frame[frame["area"] != la]
    areas = list(dict.fromkeys(others["area"]))
    wrap = 4 if len(areas) > 6 else 3
    grid = sns.FacetGrid(others, col="area", col_order=areas, col_wrap=wrap, height=1.45, aspect=charts.WIDTH / wrap / 1.45,
                         sharex=True, sharey=True, despine=True)

    def draw_panel(data: pd.DataFrame, **_: Any) -> None:
        ax = charts.pyplot().gca()
        ax.plot(la_rows["year"], la_rows["value"], color=charts.SERIES_COLOURS["la"], linewidth=1.4, alpha=0.8,
                label=la)
        ordered = data.sort_values("year")
        ax.plot(ordered["year"], ordered["value"], color=charts.SERIES_COLOURS["neighbours"], linewidth=2,
                marker="o", markersize=2.5, label="Comparator")

    grid.map_dataframe(draw_panel)
    grid.set_titles("{col_name}", loc="left", size=charts.SMALL)
    grid.set_axis_labels("", "")
    years = sorted(frame["year"].dropna().astype(int).unique())
    ticks = [years[0], years[-1]] if len(years) > 1 else years
    for ax in grid.axes.flat:
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.yaxis.set_major_formatter(charts.value_formatter(unit))
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelsize=charts.SMALL)
    handles, labels = grid.axes.flat[0].get_legend_handles_labels()
    grid.figure.legend(handles, [la, "Comparator"], loc="lower left", ncols=2, frameon=False, fontsize=charts.SMALL,
                       bbox_to_anchor=(0.01, 0.0))
    # the y-axis rule (``charts.apply_y_axis_rule``), for the panels' shared axis: said once, in the title
    values = frame["value"].dropna().to_numpy(dtype=float)
    if len(values) and values.min() >= 0 and values.max() > 0:
        if values.max() - values.min() >= charts.CROP_BELOW * values.max():
            grid.axes.flat[0].set_ylim(bottom=0)
        else:
            title = f"{title} ({charts.CROPPED_NOTE[0].lower()}{charts.CROPPED_NOTE[1:]})"
    grid.figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    grid.figure.tight_layout(rect=(0, 0.05, 1, 0.97))
    return grid.figure
