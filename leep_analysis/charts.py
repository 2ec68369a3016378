"""Charts in the house style, and their accessible HTML.

The Analysis Function palette (colour-blind safe), left-aligned titles, a
y-grid only and no top or right spines. Every chart is shown as a ``<figure>``
with a number, a caption and alt text, its PNG embedded so the page works
offline.
"""

from __future__ import annotations

import base64
import html
import io
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


def use_house_style() -> None:
    """Set matplotlib defaults for every chart in the pack."""
    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.8),
            "figure.dpi": 100,
            "savefig.dpi": 110,
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
    """A figure as self-contained HTML: embedded PNG, alt text, numbered caption.

    The PNG carries no software or date metadata, so identical inputs give
    identical bytes.
    """
    if not alt or not alt.strip():
        raise ValueError("every chart needs alt text")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="leep-figure" id="figure-{number}">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'
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
