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

from . import charts, content
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
        if isinstance(block, Table) and block.shown:
            self._tables += 1
        if isinstance(block, Figure):
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
