"""Charts in the house style, and their accessible HTML.

The Analysis Function's chart style for matplotlib (``afcharts``: its palette,
colour-blind safe, left-aligned titles, a y-grid only, no top or right spines),
sized for the pack. Values on axes, in legends and in labels are written as the
tables write them (63%, 67.6%, 5 points). The y-axis rule: a measure that
cannot be negative is drawn from 0, unless its figures span less than
``CROP_BELOW`` of the distance from 0, when the axis is cropped to show the
movement and the chart says "Axis does not start at 0". Every chart is shown
as a ``<figure>`` with a number, a caption and alt text, embedded as SVG so the
page works offline and prints sharp.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import afcharts
import numpy as np
import pandas as pd
from afcharts.af_colours import get_af_colours

from .content import Figure
from .render.html import svg_size
from .wording import mean_decimals, number

if TYPE_CHECKING:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import Formatter

#: UK Government Analysis Function categorical palette (from afcharts), by name.
PALETTE = dict(zip(("dark_blue", "turquoise", "dark_pink", "orange", "dark_grey", "light_purple"),
                   get_af_colours("categorical"), strict=True))
#: Colours of the benchmark series, always the same in every chart.
SERIES_COLOURS = {
    "la": PALETTE["dark_blue"],
    "england": PALETTE["orange"],
    "region": PALETTE["turquoise"],
    "neighbours": PALETTE["dark_pink"],
}
#: The focus palette's grey, for the bars that are not the LA's.
GREY = get_af_colours("focus")[1]
#: A non-negative measure's axis starts at 0 unless its figures span less than this share of their maximum.
CROP_BELOW = 0.25
#: A chart's width in inches: the committee report's text width (A4 less 20 mm margins), so that it is printed at
#: its own size and its text at its own points, never scaled down.
WIDTH = 6.5
#: The smallest text on a chart (points): a printed page's table text.
SMALL = 9
#: A LAIT year label's release in brackets ("2018 (Rev)"), which a chart's axis leaves out and its caption notes.
_RELEASE = re.compile(r"\s*\((prov|provisional|rev|revised|final|ot)\)\s*$", re.I)
_RELEASE_WORDS = {"prov": "provisional", "provisional": "provisional", "rev": "revised", "revised": "revised"}
CROPPED_NOTE = "Axis does not start at 0"
AF_STYLE = Path(afcharts.__file__).parent / "afcharts.mplstyle"


def pyplot() -> Any:
    """``matplotlib.pyplot``, imported when the first chart is drawn (it costs a second at start-up).

    The pack's charts are saved as SVG, never shown in a window: outside a kernel the backend is Agg.
    A kernel keeps the backend it was given (the runner's kernels are started with ``MPLBACKEND=Agg``;
    an analyst's kernel in JupyterLab keeps its inline backend, so their own charts still show).
    """
    import os

    import matplotlib

    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


#: The pack's changes to afcharts' style: sized for an A4 page, text kept as text in the SVG.
HOUSE_RC: dict[str, Any] = {
    "figure.figsize": (WIDTH, 3.6),
    "figure.dpi": 100,
    "font.size": 10,
    # text stays text in the SVG: a third of the bytes, and WeasyPrint draws it in a third of the time
    # (glyphs drawn as paths made the charts half of a pack's PDF time). Laid out in DejaVu Sans, which
    # matplotlib ships; a reader without it sees the next of these, narrower, so labels still fit.
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans", "Helvetica"],
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    # a title sits just above its axes (no chart has ticks or labels on top): matplotlib's automatic placement
    # measures every axis's tick labels again at each draw to find that out, 15% of a chart's time
    "axes.titley": 1.0,
    "svg.hashsalt": "leep",
}


def use_house_style() -> None:
    """Set matplotlib's defaults, kernel-wide, to the pack's chart style (afcharts' style and ``HOUSE_RC``).

    For a script or test that draws with the chart functions directly; ``figure`` needs no call, since it
    draws every chart inside ``house_style``, which puts matplotlib's settings back afterwards.
    """
    plt = pyplot()
    plt.style.use(AF_STYLE)
    plt.rcParams.update(HOUSE_RC)


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """The pack's chart style for the charts drawn and saved inside the ``with`` block only.

    matplotlib's settings are restored on leaving it, so an analyst's own charts in the same kernel keep
    their look (``Section.open`` used to set the style kernel-wide).
    """
    plt = pyplot()
    with plt.rc_context():
        plt.style.use(AF_STYLE)
        plt.rcParams.update(HOUSE_RC)
        yield


def tick_text(x: float, ticks: Sequence[float], unit: str) -> str:
    """A tick as the tables write it (60%, 67.5%, 1,200), with the fewest places that tell the ``ticks`` apart."""
    locs = list(ticks) or [x]
    places = next((d for d in range(4) if all(abs(v - round(v, d)) < 1e-9 for v in locs)), 3)
    text = f"{x:,.{places}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")
    return text + ("%" if unit == "percent" else "")


def value_formatter(unit: str) -> Formatter:
    """The y (or x) axis formatter of a measure in ``unit`` (``percent`` adds the % sign)."""
    return _unit_formatter()(unit)


@functools.cache
def _unit_formatter() -> type:
    """The formatter class, made on first use: it subclasses matplotlib's, which is imported only to draw."""
    from matplotlib.ticker import Formatter

    class UnitFormatter(Formatter):
        """Ticks as ``tick_text`` writes them, told apart across the axis' ticks (``set_locs``)."""

        def __init__(self, unit: str) -> None:
            self.unit = unit
            self.ticks: list[float] = []

        def set_locs(self, locs: Sequence[float]) -> None:
            self.ticks = list(locs)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return tick_text(x, self.ticks, self.unit)

    return UnitFormatter


def apply_y_axis_rule(ax: plt.Axes, values: np.ndarray) -> bool:
    """Start a non-negative measure's axis at 0, or crop it and say so on the chart; True if cropped."""
    finite = values[np.isfinite(values)]
    if not len(finite) or finite.min() < 0 or finite.max() <= 0:
        return False
    if finite.max() - finite.min() >= CROP_BELOW * finite.max():
        ax.set_ylim(bottom=0)
        return False
    # under the title, above the plot: clear of the lines, the tick labels and a legend below the chart
    ax.annotate(CROPPED_NOTE, xy=(0, 1), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
                ha="left", va="bottom", fontsize=SMALL, color="#505050", style="italic")
    return True


def figure(kind: str, data: pd.DataFrame, draw: Callable[[pd.DataFrame], plt.Figure], *, caption: str,
           alt: str) -> Figure:
    """A chart as a block: ``draw(data)`` drawn once, kept as SVG beside the data it drew.

    ``kind`` says what sort of chart it is (``line``, ``bar``, ``stacked bar``, ``dot``, ...);
    the SVG carries no date, and its ids are salted (``svg.hashsalt``), so identical
    inputs give identical bytes. Text is text (``HOUSE_RC``); the style is the pack's inside
    ``house_style`` only.
    """
    if not alt or not alt.strip():
        raise ValueError("every chart needs alt text")
    buffer = io.BytesIO()
    with house_style():
        fig = draw(data)
        try:
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        finally:
            pyplot().close(fig)
    svg = buffer.getvalue().decode("utf-8")
    width, height = svg_size(svg)
    return Figure(kind=kind, caption=caption, alt=alt, data=data.reset_index(drop=True), svg=svg, width=width,
                  height=height)


def plain_year(label: object) -> str:
    """A year label without its release: ``2018 (Rev)`` -> ``2018``."""
    return _RELEASE.sub("", str(label))


def release_note(labels: Sequence[object]) -> str:
    """The releases a chart's year labels carry, for its caption: "2024 revised; 2025 provisional" ("" for none)."""
    found: dict[str, list[str]] = {}
    for label in labels:
        match = _RELEASE.search(str(label))
        word = _RELEASE_WORDS.get(match.group(1).lower()) if match else None
        if word:
            found.setdefault(word, []).append(plain_year(label))
    return "; ".join(f"{' and '.join(years)} {word}" for word, years in found.items())


def trend_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    y_label: str,
    labels: dict[str, str],
    breaks: Sequence[str] = (),
    apart: Sequence[str] = (),
    unit: str = "",
) -> plt.Figure:
    """Lines of the LA and its benchmarks over time, broken where years are missing or not comparable.

    ``frame`` has ``year_label`` and columns named in ``labels`` (``la_value``,
    ``england``, ``region``, ``sn_mean``) mapped to legend labels. Years in
    ``breaks`` (e.g. 2020 and 2021, when tests were cancelled) are shaded and
    marked "no data"; years in ``apart`` (not comparable with the rest, e.g.
    teacher-assessed grades) are shaded and marked "not comparable", their points
    drawn hollow and joined to nothing. Each series has its own marker shape as
    well as its colour (greyscale printing loses colour); the legend is under the
    chart. Axis years carry no release ("2018 (Rev)" is 2018: ``release_note``
    gives it for the caption). ``unit`` formats the y axis; the y-axis rule
    (``apply_y_axis_rule``) decides where it starts.
    """
    fig, ax = pyplot().subplots()
    x = np.arange(len(frame), dtype=float)
    years = [str(y) for y in frame["year_label"]]
    separate = np.array([y in set(apart) for y in years])
    colours = {"la_value": SERIES_COLOURS["la"], "england": SERIES_COLOURS["england"],
               "region": SERIES_COLOURS["region"], "sn_mean": SERIES_COLOURS["neighbours"]}
    markers = {"la_value": "o", "england": "s", "region": "^", "sn_mean": "D"}
    for column, label in labels.items():
        values = frame[column].to_numpy(dtype=float)
        joined = np.where(separate, np.nan, values)  # a line never runs into or out of a year not comparable
        style = {"marker": markers.get(column, "o"), "color": colours.get(column), "markersize": 5}
        ax.plot(x, joined, label=label, linewidth=2.4 if column == "la_value" else 1.6, **style)
        if separate.any():
            ax.plot(x[separate], values[separate], linestyle="none", markerfacecolor="white", markeredgewidth=1.4,
                    **style)
    for run, words in [*((r, "no data") for r in _runs([i for i, y in enumerate(years) if y in breaks])),
                       *((r, "not comparable") for r in _runs([i for i, y in enumerate(years) if y in apart]))]:
        ax.axvspan(run[0] - 0.4, run[-1] + 0.4, color="#F0F0F0", zorder=0)
        ax.text((run[0] + run[-1]) / 2, 0.02, words, transform=ax.get_xaxis_transform(), ha="center",
                fontsize=SMALL, color="#505050")
    ax.set_xticks(x, [plain_year(y) for y in years], rotation=0 if len(x) < 9 else 45)
    ax.set_ylabel(y_label)
    ax.yaxis.set_major_formatter(value_formatter(unit))
    cropped = apply_y_axis_rule(ax, frame[list(labels)].to_numpy(dtype=float).ravel())
    ax.set_title(title, pad=20 if cropped else 6)  # room for the rule's note between the title and the plot
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16 if len(x) < 9 else -0.24), ncols=min(len(labels), 2),
              frameon=False)
    fig.tight_layout()
    return fig


def _runs(positions: list[int]) -> list[list[int]]:
    """Group sorted positions into runs of consecutive integers."""
    runs: list[list[int]] = []
    for p in positions:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def neighbours_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    decimals: int = 0,
    england: float | None = None,
    sn_mean: float | None = None,
    unit: str = "",
) -> plt.Figure:
    """Horizontal bars of the LA and its comparators in one year, the LA highlighted.

    ``frame`` has ``area``, ``value`` and ``is_la``, in the order to draw from the
    top (best first). The LA's bar is dark blue and the others grey; England and
    the comparators' mean are drawn as vertical lines told apart by dash as well as
    colour, named with their figures in the legend. Each bar's value is written in a
    column to the right of the plot, so that no label ever sits on a reference line;
    values are written as the tables write them (``unit``; the mean with ``mean_decimals``).
    """
    height = max(2.6, 0.32 * len(frame) + 1.4)
    fig, ax = pyplot().subplots(figsize=(WIDTH, height))
    y = list(range(len(frame)))[::-1]
    colours = [SERIES_COLOURS["la"] if is_la else GREY for is_la in frame["is_la"]]
    values = frame["value"].to_numpy(dtype=float)
    ax.barh(y, values, color=colours, height=0.7)
    for position, value, is_la in zip(y, values, frame["is_la"], strict=True):
        ax.annotate(number(value, unit, decimals, words=False), (1.0, position), xycoords=("axes fraction", "data"),
                    xytext=(6, 0), textcoords="offset points", va="center", ha="left", fontsize=SMALL,
                    fontweight="bold" if is_la else "normal")
    ax.set_yticks(y, [str(a) for a in frame["area"]])
    for tick, is_la in zip(ax.get_yticklabels(), frame["is_la"], strict=True):
        tick.set_fontweight("bold" if is_la else "normal")
    for value, label, colour, style, places in ((england, "England", SERIES_COLOURS["england"], "--", decimals),
                                                (sn_mean, "Neighbours' mean", SERIES_COLOURS["neighbours"], ":",
                                                 mean_decimals(decimals))):
        if value is not None and not pd.isna(value):
            ax.axvline(value, color=colour, linestyle=style, linewidth=1.8, zorder=3,
                       label=f"{label} ({number(value, unit, places, words=False)})")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(x_label)
    ax.xaxis.set_major_formatter(value_formatter(unit))
    ax.set_title(title)
    ax.margins(x=0.02)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.7 / (height - 0.8)), ncols=2, frameon=False)
    fig.tight_layout()
    return fig


def gap_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    labels: tuple[str, str],
    decimals: int = 0,
    unit: str = "",
) -> plt.Figure:
    """Dot pairs for two groups of pupils in each area, joined to show the gap between them.

    ``frame`` has ``area``, ``group`` (e.g. disadvantaged pupils) and ``others``,
    one row per area in the order to draw from the top; ``labels`` name the two
    groups in the legend. The two groups differ by marker shape (a diamond and a
    circle) as well as colour, so a greyscale print tells them apart. Each row is
    annotated with the gap (others minus group) in a column right of the plot.
    """
    height = max(2.4, 0.5 * len(frame) + 1.3)
    fig, ax = pyplot().subplots(figsize=(WIDTH, height))
    y = list(range(len(frame)))[::-1]
    group = frame["group"].to_numpy(dtype=float)
    others = frame["others"].to_numpy(dtype=float)
    ax.hlines(y, group, others, color=GREY, linewidth=3, zorder=1)
    ax.scatter(group, y, color=PALETTE["dark_pink"], marker="D", s=55, zorder=2, label=labels[0])
    ax.scatter(others, y, color=PALETTE["dark_blue"], marker="o", s=60, zorder=2, label=labels[1])
    for position, low, high in zip(y, group, others, strict=True):
        if not (pd.isna(low) or pd.isna(high)):
            gap = number(high - low, "points" if unit == "percent" else unit, decimals)
            ax.annotate(f"gap {gap}", (1.0, position), xycoords=("axes fraction", "data"), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=SMALL)
    ax.set_yticks(y, [str(a) for a in frame["area"]])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(x_label)
    ax.xaxis.set_major_formatter(value_formatter(unit))
    ax.set_title(title)
    ax.margins(x=0.08, y=0.15)
    if ax.get_xlim()[0] > 0:  # the y-axis rule's mark, on this chart's value axis
        ax.set_xlabel(f"{x_label} ({CROPPED_NOTE[0].lower()}{CROPPED_NOTE[1:]})")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.7 / (height - 0.8)), ncols=2, frameon=False)
    fig.tight_layout()
    return fig
