"""Charts in the house style, and their accessible HTML.

The Analysis Function palette (colour-blind safe), left-aligned titles, a
y-grid only and no top or right spines. Every chart is shown as a ``<figure>``
with a number, a caption and alt text, embedded as SVG so the page works
offline and prints sharp.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

#: UK Government Analysis Function categorical palette.
PALETTE = {
    "dark_blue": "#12436D",
    "turquoise": "#28A197",
    "dark_pink": "#801650",
    "orange": "#F46A25",
    "dark_grey": "#3D3D3D",
    "light_purple": "#A285D1",
}
#: Colours of the benchmark series, always the same in every chart.
SERIES_COLOURS = {
    "la": PALETTE["dark_blue"],
    "england": PALETTE["orange"],
    "region": PALETTE["turquoise"],
    "neighbours": PALETTE["dark_pink"],
}
GREY = "#BFBFBF"
#: Charts are shown at the size a 110 dpi image of them would have (SVG measures them in points).
PIXELS_PER_POINT = 110 / 72


def use_house_style() -> None:
    """Set matplotlib defaults for every chart in the pack."""
    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.8),
            "figure.dpi": 100,
            "font.size": 10,
            "font.family": "DejaVu Sans",
            "axes.titlelocation": "left",
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#DDDDDD",
            "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE.values())),
            "legend.frameon": False,
            "svg.hashsalt": "leep",
        }
    )


def figure_html(fig: plt.Figure, *, number: int, caption: str, alt: str) -> str:
    """A figure as self-contained HTML: embedded SVG, alt text, numbered caption.

    The SVG carries no date, and its ids are salted (``svg.hashsalt``), so
    identical inputs give identical bytes. Text is drawn as paths: it looks
    the same whatever fonts the reader has.
    """
    if not alt or not alt.strip():
        raise ValueError("every chart needs alt text")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    size = re.search(rb'width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    width, height = (round(float(v) * PIXELS_PER_POINT) for v in size.groups())
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure class="leep-figure" id="figure-{number}">'
        f'<img src="data:image/svg+xml;base64,{data}" width="{width}" height="{height}" '
        f'alt="{html.escape(alt, quote=True)}">'
        f"<figcaption><strong>Figure {number}:</strong> {html.escape(caption)}</figcaption></figure>"
    )


def trend_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    y_label: str,
    labels: dict[str, str],
    breaks: Sequence[str] = (),
) -> plt.Figure:
    """Lines of the LA and its benchmarks over time, gaps left where there is no data.

    ``frame`` has ``year_label`` and columns named in ``labels`` (``la_value``,
    ``england``, ``region``, ``sn_mean``) mapped to legend labels. Years in
    ``breaks`` (e.g. 2020 and 2021, when tests were cancelled) are shaded and
    annotated "no data".
    """
    fig, ax = plt.subplots()
    x = list(range(len(frame)))
    colours = {"la_value": SERIES_COLOURS["la"], "england": SERIES_COLOURS["england"],
               "region": SERIES_COLOURS["region"], "sn_mean": SERIES_COLOURS["neighbours"]}
    markers = {"la_value": "o", "england": "s", "region": "^", "sn_mean": "D"}
    for column, label in labels.items():
        ax.plot(x, frame[column].to_numpy(dtype=float), marker=markers.get(column, "o"),
                color=colours.get(column), label=label, linewidth=2.4 if column == "la_value" else 1.6,
                markersize=4)
    gaps = [i for i, year in enumerate(frame["year_label"]) if str(year) in breaks]
    for run in _runs(gaps):
        ax.axvspan(run[0] - 0.4, run[-1] + 0.4, color="#F0F0F0", zorder=0)
        ax.text((run[0] + run[-1]) / 2, 0.02, "no data", transform=ax.get_xaxis_transform(),
                ha="center", fontsize=8, color="#505050")
    ax.set_xticks(x, [str(v) for v in frame["year_label"]], rotation=0 if len(x) < 9 else 45)
    ax.set_title(title)
    ax.set_ylabel(y_label)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
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
) -> plt.Figure:
    """Horizontal bars of the LA and its comparators in one year, the LA highlighted.

    ``frame`` has ``area``, ``value`` and ``is_la``, in the order to draw from the
    top (best first). The LA's bar is dark blue and the others grey; England and
    the comparators' mean are drawn as labelled vertical lines.
    """
    height = max(2.6, 0.32 * len(frame) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    y = list(range(len(frame)))[::-1]
    colours = [SERIES_COLOURS["la"] if is_la else GREY for is_la in frame["is_la"]]
    values = frame["value"].to_numpy(dtype=float)
    ax.barh(y, values, color=colours, height=0.7)
    for position, value, is_la in zip(y, values, frame["is_la"], strict=True):
        ax.text(value, position, f" {value:,.{decimals}f}", va="center", fontsize=8, zorder=4,
                fontweight="bold" if is_la else "normal",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
    ax.set_yticks(y, [str(a) for a in frame["area"]])
    for tick, is_la in zip(ax.get_yticklabels(), frame["is_la"], strict=True):
        tick.set_fontweight("bold" if is_la else "normal")
    for value, label, colour, style, places in ((england, "England", SERIES_COLOURS["england"], "--", decimals),
                                                (sn_mean, "Neighbours' mean", SERIES_COLOURS["neighbours"], ":",
                                                 decimals + 1)):
        if value is not None and not pd.isna(value):
            ax.axvline(value, color=colour, linestyle=style, linewidth=1.6, zorder=3,
                       label=f"{label} ({value:,.{places}f})")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(x_label)
    ax.set_title(title)
    ax.margins(x=0.08)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.65 / (height - 0.8)), ncols=2)  # below the x label
    fig.tight_layout()
    return fig


def gap_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    labels: tuple[str, str],
    decimals: int = 0,
) -> plt.Figure:
    """Dot pairs for two groups of pupils in each area, joined to show the gap between them.

    ``frame`` has ``area``, ``group`` (e.g. disadvantaged pupils) and ``others``,
    one row per area in the order to draw from the top; ``labels`` name the two
    groups in the legend. Each row is annotated with the gap (others minus group).
    """
    height = max(2.4, 0.5 * len(frame) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    y = list(range(len(frame)))[::-1]
    group = frame["group"].to_numpy(dtype=float)
    others = frame["others"].to_numpy(dtype=float)
    ax.hlines(y, group, others, color=GREY, linewidth=3, zorder=1)
    ax.scatter(group, y, color=PALETTE["dark_pink"], s=60, zorder=2, label=labels[0])
    ax.scatter(others, y, color=PALETTE["dark_blue"], s=60, zorder=2, label=labels[1])
    right = max(float(pd.Series(others).max()), float(pd.Series(group).max()))
    for position, low, high in zip(y, group, others, strict=True):
        if not (pd.isna(low) or pd.isna(high)):
            ax.text(right, position, f"   gap {high - low:,.{decimals}f}", va="center", fontsize=8)
    ax.set_yticks(y, [str(a) for a in frame["area"]])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(x_label)
    ax.set_title(title)
    ax.margins(x=0.15, y=0.15)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.65 / (height - 0.8)), ncols=2)  # below the x label
    fig.tight_layout()
    return fig
