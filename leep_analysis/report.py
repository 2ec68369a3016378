"""What a section notebook calls to show its results: the notebook-side API.

A notebook opens its section with its parameters, then shows blocks (``content``)
through the ``Section``: each block becomes one display output holding its HTML
(what the page and JupyterLab show) and the block itself as typed JSON. The
runner reads the blocks back from the executed notebook to write the pack's
CSVs, workbook, PDF and index; the notebook writes nothing else.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import content
from .config import ENV_PACK_DIR
from .content import (
    Block,
    Figure,
    Heading,
    Markdown,
    Paragraph,
    Points,
    Sentences,
    Table,
    Tile,
    Tiles,
)
from .inputs import Inputs
from .params import PeriodParams, params_from_notebook
from .render import html as render_html


def _display(block: Block, markup: str) -> None:
    from IPython.display import display

    bundle: dict[str, Any] = {"text/html": markup, content.MIME: block.to_json()}
    if isinstance(block, Figure):
        bundle[content.SVG_MIME] = block.svg
    display(bundle, raw=True)


#: The metadata marking the house stylesheet's output (``export`` drops it: a page has the stylesheet already).
STYLE_METADATA = {"leep": {"output": "house-style"}}


def _display_house_style() -> None:
    """Show the house stylesheet, scoped to notebook content (``lab.lab_css``), so that in JupyterLab the
    section's tiles, badges and tables look as they do in the pack."""
    from IPython.display import display

    from .lab import lab_css

    display({"text/html": f'<style type="text/css">{lab_css()}</style>'}, raw=True, metadata=STYLE_METADATA)


@dataclass
class Section:
    """One section of the pack, as seen from its notebook.

    What it has shown stays with it, typed: ``tables`` (name -> ``content.Table``, whose ``frame`` is a
    DataFrame of numbers, codes and dates, described column by column by ``columns``) and ``figures``
    (``content.Figure``, with the data each draws), for an analyst to sort, filter or copy in JupyterLab.
    """

    section_id: str
    params: PeriodParams
    inputs: Inputs
    pack_dir: Path | None = None
    tables: dict[str, Table] = field(default_factory=dict, repr=False)
    figures: list[Figure] = field(default_factory=list, repr=False)
    _tables: int = field(default=0, repr=False)
    _figures: int = field(default=0, repr=False)
    _warnings: list[str] = field(default_factory=list, repr=False)
    _showwarning: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, section_id: str, namespace: Mapping[str, Any]) -> Section:
        """Start a section from the notebook's parameter variables.

        Validates the parameters with the same model as the params file. Nothing kernel-wide is changed
        outside a pack run: charts take the house style only while ``charts.figure`` draws them, and
        warnings show as Python shows them. In JupyterLab (no pack being built) the first output is the
        house stylesheet. In a pack run (the runner's kernel, ``LEEP_PACK_DIR`` set) Python warnings are
        kept out of the report, in ``logs/<section>.warnings.txt`` in the pack, until ``close``.
        """
        params = params_from_notebook(dict(namespace))
        pack = os.environ.get(ENV_PACK_DIR)
        section = cls(section_id, params, Inputs(params), Path(pack) if pack else None)
        if section.pack_dir is None:
            _display_house_style()
        else:
            current = warnings.showwarning
            owner = getattr(current, "__self__", None)
            # the cell run again: put back what the first opening found, not the first section's log
            section._showwarning = owner._showwarning if isinstance(owner, Section) else current
            warnings.showwarning = section._record_warning  # type: ignore[assignment]
        return section

    def close(self) -> None:
        """Put back what ``open`` changed (the warnings display of a pack run); a second call does nothing."""
        if self._showwarning is not None:
            if getattr(warnings.showwarning, "__self__", None) is self:
                warnings.showwarning = self._showwarning
            self._showwarning = None

    def __enter__(self) -> Section:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def columns(self, name: str) -> pd.DataFrame:
        """What each column of the shown table ``name`` holds, as the pack's data dictionary says it.

        Returns
        -------
        DataFrame
            One row per column of the table's CSV (``Table.written``): ``column`` (its name in the frame and
            the CSV), ``heading`` (as the page and workbook head it), ``kind`` (``content.KINDS``: count,
            percent, code, ...), ``decimals``, ``shown_on_page`` (bool) and ``meaning``.
        """
        from .render.workbook import headings, meaning

        table = self.tables[name]
        rows = []
        for column, heading in zip(table.written.columns, headings(table), strict=True):
            spec = table.columns[column]
            rows.append({"column": column, "heading": heading, "kind": spec.kind, "decimals": spec.decimals,
                         "shown_on_page": table.shown and column in table.visible, "meaning": meaning(column, spec, heading)})
        return pd.DataFrame(rows, columns=["column", "heading", "kind", "decimals", "shown_on_page", "meaning"])

    def _record_warning(self, message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        text = f"{category.__name__}: {message} ({Path(filename).name}:{lineno})"
        self._warnings.append(text)
        if self.pack_dir is not None:
            log = self.pack_dir / "logs" / f"{self.section_id}.warnings.txt"
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")

    # ------------------------------------------------------------------ display
    def show(self, *blocks: Block | Iterable[Block] | None) -> None:
        """Show blocks (or lists of blocks) in order: tables, figures, tiles, text."""
        for block in blocks:
            if block is None:
                continue
            if isinstance(block, Block):
                self._show(block)
            elif isinstance(block, str | bytes | Mapping) or not isinstance(block, Iterable):
                raise TypeError(f"not a block of the pack: {type(block).__name__} (see leep_analysis.content)")
            else:
                self.show(*block)

    render = show  # a view's list of blocks reads as ``section.render(views.phase(...))``

    def _show(self, block: Block) -> None:
        if isinstance(block, Table):
            self.tables[block.name] = block
            if block.shown:
                self._tables += 1
        if isinstance(block, Figure):
            self.figures.append(block)
            self._figures += 1
        markup = render_html.block_html(block, section=self.section_id, tables=self._tables, figures=self._figures,
                                        committee=self.params.for_committee)
        _display(block, markup)

    def say(self, text: str, *, role: str = "") -> None:
        """Show a paragraph of plain text."""
        self.show(Paragraph(text, role))

    def points(self, items: Iterable[str]) -> None:
        """Show a bulleted list of plain-text points."""
        self.show(Points(tuple(items)))

    def sentences(self, items: Iterable[tuple[str, bool]]) -> None:
        """Show generated sentences, notable ones highlighted and the rest greyed."""
        self.show(Sentences(tuple(items)))

    def markdown(self, text: str) -> None:
        """Show markdown an author wrote (the period's narrative); raw HTML in it shows as text."""
        self.show(Markdown(text))

    def heading(self, text: str, level: int = 3) -> None:
        """Show a heading generated from data (notebook markdown is for fixed headings)."""
        self.show(Heading(text, level))

    def headlines(self, tiles: Iterable[Tile]) -> None:
        """Show a row of headline tiles (the pack's index shows them too)."""
        self.show(Tiles(tuple(tiles)))
