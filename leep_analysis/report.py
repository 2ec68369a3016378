"""What a section notebook calls to show its results: the notebook-side API.

A notebook opens its section with its parameters, then shows tables, figures
and sentences through the ``Section``. Each table shown is also written to the
pack as CSV; each headline figure is offered to the pack's index page. Text is
always escaped, so names from inputs can never become markup.
"""

from __future__ import annotations

import html
import json
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, tables
from .config import ENV_PACK_DIR
from .inputs import Inputs
from .params import PeriodParams, params_from_notebook


def _display(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


#: The display methods a view's layout may name (``Section.render``).
_BLOCKS = frozenset({"say", "points", "markdown", "sentences", "write_table", "heading", "show", "figure",
                     "headlines"})


@dataclass
class Section:
    """One section of the pack, as seen from its notebook."""

    section_id: str
    params: PeriodParams
    inputs: Inputs
    pack_dir: Path | None = None
    _tables: int = field(default=0, repr=False)
    _figures: int = field(default=0, repr=False)
    _warnings: list[str] = field(default_factory=list, repr=False)

    @classmethod
    def open(cls, section_id: str, namespace: Mapping[str, Any]) -> Section:
        """Start a section from the notebook's parameter variables.

        Validates the parameters with the same model as the params file, sets
        the chart style, and keeps Python warnings out of the report (they go
        to ``logs/<section>.warnings.txt`` in the pack instead).
        """
        params = params_from_notebook(dict(namespace))
        pack = os.environ.get(ENV_PACK_DIR)
        section = cls(section_id, params, Inputs(params), Path(pack) if pack else None)
        charts.use_house_style()
        warnings.showwarning = section._record_warning  # type: ignore[assignment]
        return section

    def _record_warning(self, message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        text = f"{category.__name__}: {message} ({Path(filename).name}:{lineno})"
        self._warnings.append(text)
        if self.pack_dir is not None:
            log = self.pack_dir / "logs" / f"{self.section_id}.warnings.txt"
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")

    # ------------------------------------------------------------------ display
    def say(self, text: str, *, css: str = "") -> None:
        """Show a paragraph of plain text (escaped)."""
        cls = f' class="{html.escape(css)}"' if css else ""
        _display(f"<p{cls}>{html.escape(text)}</p>")

    def points(self, items: list[str], *, css: str = "") -> None:
        """Show a bulleted list of plain-text points (escaped)."""
        cls = f' class="{html.escape(css)}"' if css else ""
        _display(f"<ul{cls}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    def markdown(self, text: str) -> None:
        """Show markdown an author wrote (the period's narrative); raw HTML in it shows as text."""
        from .sources.narrative import render

        _display(f'<div class="leep-narrative">{render(text) if text.strip() else "<p>None entered.</p>"}</div>')

    def sentences(self, items: list[tuple[str, bool]]) -> None:
        """Show generated sentences as a list, notable ones highlighted and the rest greyed.

        ``items`` are ``(text, notable)`` pairs; text is escaped.
        """
        lines = "".join(
            f'<li class="{"leep-notable" if notable else "leep-quiet"}">{html.escape(text)}</li>'
            for text, notable in items
        )
        _display(f'<ul class="leep-sentences">{lines}</ul>')

    def write_table(self, frame: pd.DataFrame, name: str, *, caption: str) -> None:
        """Write a table to ``tables/<section>__<name>.csv`` without showing it (e.g. long data).

        The page gets one line saying where the data is: the file, in an internal pack; in a
        committee pack, which councillors read, the spreadsheet published with it (no file names).
        """
        stem = f"{self.section_id}__{name}"
        where = ("in the spreadsheet of tables published with this report" if self.params.committee
                 else f"in <code>tables/{html.escape(stem)}.csv</code> and in tables.xlsx")
        _display(f'<p class="leep-table-note">{html.escape(caption)}: {len(frame):,} rows {where}.</p>')
        if self.pack_dir is not None:
            tables.write_csv(frame, self.pack_dir / "tables" / f"{stem}.csv")
            self._record("captions", stem, caption)

    def heading(self, text: str, level: int = 3) -> None:
        """Show a heading generated from data (notebook markdown is for fixed headings)."""
        anchor = "-".join(text.lower().split())
        _display(f'<h{level} id="{html.escape(anchor)}">{html.escape(text)}</h{level}>')

    def show(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        caption: str,
        formats: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        notes: str | None = None,
        csv: pd.DataFrame | None = None,
    ) -> None:
        """Show a table and write it to ``tables/<section>__<name>.csv``.

        ``csv`` overrides what is written (e.g. more columns than are shown);
        by default the frame shown is written, with its raw values.
        """
        self._tables += 1
        _display(
            tables.table_html(frame, table_id=f"{self.section_id}-{name}", number=self._tables,
                              caption=caption, formats=formats, labels=labels, notes=notes)
        )
        if self.pack_dir is not None:
            stem = f"{self.section_id}__{name}"
            written = frame if csv is None else csv
            tables.write_csv(written, self.pack_dir / "tables" / f"{stem}.csv")
            # the workbook's headings and number formats: what the page shows, for the columns written
            kinds = tables.column_formats(frame, formats)
            self._record("captions", stem, {
                "caption": caption,
                "labels": {c: (labels or {}).get(c, c) for c in frame.columns if c in written.columns},
                "formats": {c: kinds[c] for c in frame.columns if c in written.columns}})

    def figure(self, fig: Any, *, caption: str, alt: str) -> None:
        """Show a matplotlib figure with its number, caption and alt text."""
        self._figures += 1
        _display(charts.figure_html(fig, number=self._figures, caption=caption, alt=alt))

    def headlines(self, tiles: list[dict[str, str]]) -> None:
        """Show a row of headline tiles and offer them to the pack's index page.

        Each tile is a dict with ``key`` (stable id), ``label``, ``value`` (already
        formatted, e.g. "87%"), optional ``detail`` (e.g. "England 90%") and
        optional ``versus`` (``better``, ``worse`` or ``in_line``: the LA against England).
        """
        markup = []
        for position, tile in enumerate(tiles):
            markup.append(
                f'<div class="leep-tile"><span class="leep-tile-value">{html.escape(tile["value"])}</span>'
                f'<span class="leep-tile-label">{html.escape(tile["label"])}</span>'
                f'<span class="leep-tile-detail">{html.escape(tile.get("detail", ""))}</span>'
                f"{tables.versus_html(tile.get('versus', ''))}</div>"
            )
            self._record("headlines", tile["key"], {**{k: tile.get(k, "") for k in ("label", "value", "detail", "versus")},
                                                    "position": position})
        _display('<div class="leep-tiles">' + "".join(markup) + "</div>")

    def render(self, blocks: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Show a view's layout: ``(method, keyword arguments)`` pairs in order, e.g. ``("say", {"text": ...})``.

        A section's views build their layouts as plain data (testable without a
        notebook, and with no loop in the notebook); only the display methods
        above may be named.
        """
        for method, kwargs in blocks:
            if method not in _BLOCKS:
                raise ValueError(f"not a display method: {method!r}")
            getattr(self, method)(**kwargs)

    def _record(self, kind: str, key: str, value: Any) -> None:
        """Add to ``<kind>/<section>.json`` in the pack (read by the runner for the index)."""
        if self.pack_dir is None:
            return
        path = self.pack_dir / kind / f"{self.section_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        data[key] = value
        path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
