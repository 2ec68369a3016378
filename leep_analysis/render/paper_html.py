"""The committee report as a page of the pack (``report.html``), from the same ``Paper`` as its PDF.

The front sheet, then each part with its numbered paragraphs as ordered lists
whose numbers continue from part to part (``<ol start>``), tables and figures
as the pack's pages show them (``render.html``), and the appendices. Every text
is escaped; an author's markdown is rendered with raw HTML off.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from ..config import TEMPLATE_DIR
from ..content import Block, Figure, Markdown, Paragraph, Points, Table
from ..paper.model import Paper, chunks
from .html import anchor, block_html, markdown_html

_ESC = html.escape


class _Counter:
    """Tables and figures numbered in reading order, as the PDF numbers them."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def html(self, block: Block) -> str:
        if isinstance(block, Table):
            self.tables += 1
        if isinstance(block, Figure):
            self.figures += 1
        if isinstance(block, Markdown):
            return f'<div class="leep-narrative">{markdown_html(block.text)}</div>'
        return block_html(block, section="report", tables=self.tables, figures=self.figures, committee=True)


def _inline(block: Block) -> str:
    """A block inside a numbered paragraph."""
    if isinstance(block, Paragraph):
        return f"<p>{_ESC(block.text)}</p>"
    if isinstance(block, Markdown):
        return markdown_html(block.text)
    if isinstance(block, Points):
        return "<ul>" + "".join(f"<li>{_ESC(i)}</li>" for i in block.items) + "</ul>"
    raise TypeError(f"{type(block).__name__} is not part of a paragraph")


def body_html(paper: Paper) -> str:
    """The report's parts and appendices as HTML (the page's main content after the front sheet)."""
    counter = _Counter()
    out: list[str] = []
    for part, items in paper.numbered():
        out.append(f'<h2 id="{_ESC(anchor(part.title))}">{_ESC(part.title)}</h2>')
        for group in chunks(items):
            number = group[0][0]
            if number is None:
                out.append(counter.html(group[0][1]))
                continue
            inner = "".join(_inline(block) for _, block in group)
            out.append(f'<ol class="leep-paras" start="{number}"><li value="{number}">{inner}</li></ol>')
    for appendix in paper.appendices:
        title = f"Appendix {appendix.letter}: {appendix.title}"
        out.append(f'<h2 id="appendix-{appendix.letter.lower()}" class="leep-appendix">{_ESC(title)}</h2>')
        out += [counter.html(block) for block in appendix.blocks]
    return "\n".join(out)


def page_html(paper: Paper, *, css: str, la_name: str, pack_title: str, sections: Sequence[Mapping[str, Any]],
              banner: str, footer: str) -> str:
    """The whole page: the pack's header and navigation, the front sheet, the report."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    return env.get_template("report.html.j2").render(
        css=css, la_name=la_name, pack_title=pack_title, sections=sections, banner=banner, footer=footer,
        front=paper.front, body=body_html(paper))


def write_page(paper: Paper, dest: Path, **context: Any) -> Path:
    """Write ``report.html``; its path."""
    dest.write_text(page_html(paper, **context), encoding="utf-8")
    return dest
