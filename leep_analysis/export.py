"""Executed notebook -> self-contained, reproducible HTML page.

Inputs are hidden, the page uses the house template (no script, style or font
from the internet), and whatever would differ between two identical runs is
normalised: the page title, papermill's injected cell id, table ids. A contents
list is built from the page's second-level headings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from . import content
from .config import TEMPLATE_DIR
from .errors import NotebookError

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Page:
    """What the template needs besides the notebook."""

    title: str
    la_name: str
    pack_title: str
    sections: list[dict[str, object]] = field(default_factory=list)
    synthetic: bool = False
    banner: str = ""
    footer: str = ""


def house_css() -> str:
    return (TEMPLATE_DIR / "leep.css").read_text(encoding="utf-8")


def is_house_style(output: dict) -> bool:
    """Whether an output is the house stylesheet a section shows first in JupyterLab (``report.STYLE_METADATA``):
    a page carries the stylesheet already, so it is dropped, never shown twice."""
    return output.get("metadata", {}).get("leep", {}).get("output") == "house-style"


def check_outputs(nb: nbformat.NotebookNode, name: str) -> None:
    """Refuse a notebook whose outputs hold an error, anything written to stderr, or anything that is not a block.

    Every output of a pack's notebook is a block (``content``), so that the page and the PDF, the workbook
    and the index are made from the same record; printed text or a bare value would reach the page only.
    """
    for index, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if is_house_style(output):
                continue
            if kind == "error":
                raise NotebookError(f"{name}, cell {index}: {output.get('ename')}: {output.get('evalue')}")
            if kind == "stream" and output.get("name") == "stderr":
                first = str(output.get("text", "")).strip().splitlines()[:1]
                raise NotebookError(f"{name}, cell {index} wrote to stderr: {first[0] if first else ''}")
            if "remove-output" in tags or "remove-cell" in tags or "injected-parameters" in tags \
                    or "parameters" in tags:
                continue
            if kind == "stream" or (kind in ("display_data", "execute_result")
                                    and content.MIME not in output.get("data", {})):
                raise NotebookError(f"{name}, cell {index} shows output that is not a block of the pack "
                                    "(show it with the section's show, say or points)")


def normalise(nb: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    """Fix what differs between identical runs, drop cells tagged for removal and the house stylesheet's output."""
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("papermill", None)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        if "remove-cell" in tags or "parameters" in tags or "injected-parameters" in tags:
            continue
        if "remove-output" in tags and cell.get("cell_type") == "code":
            cell["outputs"] = []
        if any(is_house_style(output) for output in cell.get("outputs", [])):
            cell["outputs"] = [output for output in cell["outputs"] if not is_house_style(output)]
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    return nb


def contents_list(page_html: str) -> str:
    """A contents list linking to every second-level heading of the page."""
    items = []
    for anchor, inner in _H2.findall(page_html):
        text = _TAGS.sub("", inner).replace("¶", "").strip()
        items.append(f'<li><a href="#{anchor}">{text}</a></li>')
    if len(items) < 2:
        return ""
    return '<nav class="leep-toc" aria-label="Contents of this page"><h2 id="contents">Contents</h2><ol>' + "".join(items) + "</ol></nav>"


@functools.cache
def _exporter() -> HTMLExporter:
    """This process's exporter: its templates are compiled once, not once a page (a batch's worker exports
    hundreds), as nbconvert's own command line reuses one exporter for every notebook it is given."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="leep",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def as_shown(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as its page shows it: each output without its block's typed record (``content.MIME``),
    which no template renders and which nbconvert would otherwise copy, node by node, three times a page.
    The outputs' other data are the same objects, not copies."""
    shown = nbformat.NotebookNode(nb)
    shown.cells = []
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if outputs and any(content.MIME in output.get("data", {}) for output in outputs):
            cell = nbformat.NotebookNode(cell)
            cell.outputs = [_without_block(output) for output in outputs]
        shown.cells.append(cell)
    return shown


def _without_block(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    data = output.get("data", {})
    if content.MIME not in data:
        return output
    slim = nbformat.NotebookNode(output)
    slim.data = nbformat.NotebookNode({mime: value for mime, value in data.items() if mime != content.MIME})
    return slim


def to_html(nb: nbformat.NotebookNode, page: Page) -> str:
    """A checked (``check_outputs``), normalised (``normalise``) notebook as the pack's page."""
    resources = {
        "metadata": {"name": page.title},
        "leep": {
            "css": house_css(),
            "la_name": page.la_name,
            "pack_title": page.pack_title,
            "sections": page.sections,
            "synthetic": page.synthetic,
            "banner": page.banner,
            "footer": page.footer,
        },
    }
    body, _ = _exporter().from_notebook_node(as_shown(nb), resources=resources)
    return body.replace("<!--LEEP-TOC-->", contents_list(body), 1)


def write_page(executed: Path, dest: Path, page: Page) -> list[content.Block]:
    """Read an executed notebook, write its page, and return its blocks (``content.from_notebook``)."""
    nb = nbformat.read(executed, as_version=4)
    check_outputs(nb, executed.name)
    nb = normalise(nb, page.title)
    dest.write_text(to_html(nb, page), encoding="utf-8")
    return content.from_notebook(nb)
