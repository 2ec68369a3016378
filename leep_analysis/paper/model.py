"""The committee report as data: a front sheet, parts of numbered paragraphs, and lettered appendices.

A council scrutiny report numbers its paragraphs from 1 to the end, through every
part from "Purpose of report" to "Risk"; background papers, officers and the
list of appendices are not numbered. A part is a list of content blocks
(``content``): each ``Paragraph`` (role "") and each ``Markdown`` paragraph of
a numbered part takes the next number; a ``Points`` or a markdown list after a
paragraph belongs to it; tables, figures and notes sit between paragraphs,
unnumbered. ``numbered`` works the numbers out once, for every renderer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import load_config
from ..content import Block, Heading, Markdown, Paragraph, Points


@functools.cache
def words() -> Any:
    """``config/paper.yaml``, read once: the report's fixed words (read only, never changed)."""
    return load_config("paper")


@dataclass(frozen=True)
class FrontSheet:
    """What heads the report's first page, as a council's agenda pack prints it.

    ``date`` and ``agenda_item`` are "" where the params give none (the clerk fills them in);
    ``synthetic`` is the banner of a report made from the embedded sample.
    """

    council: str
    committee: str
    date: str
    agenda_item: str
    title: str
    report_of: str
    place: str
    period: str
    as_at: str
    synthetic: str = ""


@dataclass(frozen=True)
class Part:
    """One heading of the report and what is under it; ``numbered`` False for the lists at its end."""

    title: str
    blocks: tuple[Block, ...]
    numbered: bool = True


@dataclass(frozen=True)
class Appendix:
    """A lettered appendix: a long table (or several) the body refers to."""

    letter: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Paper:
    """The whole report."""

    front: FrontSheet
    parts: tuple[Part, ...]
    appendices: tuple[Appendix, ...] = field(default_factory=tuple)

    def numbered(self) -> Iterator[tuple[Part, list[tuple[int | None, Block]]]]:
        """Each part with its blocks, each block with its paragraph number (None where it has none)."""
        n = 0
        for part in self.parts:
            items: list[tuple[int | None, Block]] = []
            for block in part.blocks:
                if part.numbered and is_paragraph(block):
                    n += 1
                    items.append((n, block))
                else:
                    items.append((None, block))
            yield part, items


def is_paragraph(block: Block) -> bool:
    """A block that takes a paragraph number in a numbered part: a paragraph, or markdown that is not a list."""
    if isinstance(block, Paragraph):
        return block.role == ""
    if isinstance(block, Markdown):
        return not is_list(block.text)
    return False


def is_list(text: str) -> bool:
    """Markdown that is a list (``- item`` or ``1. item``), which belongs to the paragraph before it."""
    first = text.lstrip().split("\n", 1)[0]
    return first.startswith(("- ", "* ", "+ ")) or first.split(". ", 1)[0].isdigit()


def attached(block: Block) -> bool:
    """A block that belongs to the numbered paragraph before it (a list of points)."""
    return isinstance(block, Points) or (isinstance(block, Markdown) and is_list(block.text))


def paragraphs(markdown: str) -> list[Block]:
    """An author's markdown as report blocks: each top-level paragraph, list or heading its own ``Markdown``.

    The renderers number each paragraph and keep each list under the paragraph before it; the text
    stays markdown (emphasis and links survive, raw HTML stays text).
    """
    from markdown_it import MarkdownIt

    lines = (markdown or "").splitlines()
    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown or "")
    out: list[Block] = []
    depth = 0
    for token in tokens:
        if token.level == 0 and token.nesting in (1, 0) and token.map is not None and depth == 0:
            start, end = token.map
            chunk = "\n".join(lines[start:end]).strip()
            if token.type == "heading_open":
                out.append(Heading(chunk.lstrip("#").strip().rstrip("#").strip().strip("=-").strip(), 3))
            elif chunk and token.type != "hr":
                out.append(Markdown(chunk))
        depth += token.nesting
    return out


def chunks(blocks: Sequence[tuple[int | None, Block]]) -> list[list[tuple[int | None, Block]]]:
    """A part's numbered blocks grouped as a renderer lays them out: a numbered paragraph with the lists that
    belong to it, or one block on its own (a table, a figure, a note, a paragraph of an unnumbered part)."""
    groups: list[list[tuple[int | None, Block]]] = []
    for number, block in blocks:
        if number is None and attached(block) and groups and groups[-1][0][0] is not None:
            groups[-1].append((number, block))
        else:
            groups.append([(number, block)])
    return groups
