"""The pack as one tagged A4 PDF (``pack.pdf``), laid out by typst from the recorded blocks.

typst (PyPI ``typst``, a self-contained wheel) was chosen on measurement: it lays
out a 30-page report with a 600-row table in about a second where WeasyPrint took
18 to 21 seconds, and writes PDF/UA-1 (a tagged PDF: headings, lists, table
header cells, alt text on every chart, title and language) for a screen reader.
The document is generated as typst *code* from the blocks (``content``): every
text from the pack goes in as a string literal (``_s``), so nothing an input or
an author wrote can become markup, and no file is read (charts are embedded from
their SVG bytes; the compiler's root is an empty folder). Where the typst wheel
cannot be loaded the step says so in one line and the rest of the pack is built.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import load_config
from ..content import (
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
from ..paper.model import Paper, chunks
from ..tables import (
    MISSING,
    RAG_SHAPES,
    TREND_ARROWS,
    VERSUS,
    cell_text,
    rows,
)
from .html import tile_value

PDF_NAME = "pack.pdf"
#: Width of a page's text in points: A4 (595 x 842 pt) less 15 mm margins each side.
PORTRAIT_WIDTH = 595 - 2 * 42.5
LANDSCAPE_WIDTH = 842 - 2 * 42.5
#: An estimate of a character's width in a table, as a fraction of the font size (Liberation Sans, bold headers).
CHAR_EM = 0.6
#: Body text, table text and the smaller table text of a table too wide for a landscape page (points).
BODY_PT, TABLE_PT, SMALL_PT = 10.5, 9.0, 7.5
#: A table no taller than this share of a page is kept on one page (with its caption and notes).
KEEP_PAGE = 0.6
CELL_PADDING_PT = 6.0
#: Joins a rating's shape or a trend's arrow to its word, so that the two never part at a line's end.
NBSP = "\u00a0"
#: A text column's natural width, in characters, before it wraps.
TEXT_CAP = 45
#: Fonts, first found first: the house's, then fonts covering other scripts of names (Noto), then DejaVu
#: (which matplotlib ships, and which the charts' SVG text names).
FONTS = ("Liberation Sans", "Arial", "Noto Sans", "Noto Sans CJK SC", "Noto Sans Devanagari", "Noto Sans Arabic",
         "Noto Sans Bengali", "Noto Sans Gurmukhi", "Noto Sans Gujarati", "Noto Sans Tamil", "DejaVu Sans",
         "Noto Color Emoji")
COLOURS = {"grey": "#505a5f", "rule": "#b1b4b6", "head": "#f3f2f1", "green": "#00703c", "amber": "#b35c00",
           "red": "#d4351c", "blue": "#12436D"}


@dataclass(frozen=True)
class Cover:
    """What the cover page says (``pages.facts``), and the synthetic-data banner where it applies."""

    la: str
    title: str
    period: str
    audience: str
    as_at: str
    synthetic: str = ""


# ------------------------------------------------------------------------------------------------ typst text
def _s(text: object) -> str:
    """Any text as a typst string literal (JSON's escapes are typst's: quotes, backslashes, control characters)."""
    return json.dumps(str(text), ensure_ascii=False)


def _c(text: object) -> str:
    """Text as typst content: ``[#"..."]``."""
    return f"[#{_s(text)}]"


class Levels:
    """Heading levels as a tagged PDF needs them: none deeper than one below the last (PDF/UA-1 refuses a skip)."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self, level: int) -> int:
        self.last = max(1, min(level, self.last + 1, 6))
        return self.last


# ------------------------------------------------------------------------------------------------ markdown
def markdown_typst(source: str, *, shift: int = 0, levels: Levels | None = None, narrative: bool = False) -> str:
    """Markdown (a notebook's markdown cell, the LA's narrative) as typst code, from markdown-it's tokens.

    Headings (``shift`` levels deeper), paragraphs, bulleted and numbered lists, bold, italic,
    inline code and links to the web; raw HTML is text. The narrative's tokens are those of
    ``sources.narrative.checked_tokens``, the rule every renderer applies: an image is shown only
    where it is one of the LA's own, copied into the pack's ``images/`` (the PDF's compiler reads
    that folder and nothing else), and any other image is its alt text.
    """
    if narrative:
        from ..sources.narrative import checked_tokens

        tokens, _ = checked_tokens(source or "")
    else:
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark", {"html": False}).parse(source or "")
    levels = levels or Levels()
    out: list[str] = []
    lists: list[tuple[str, list[str]]] = []
    item: list[str] | None = None
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            out.append(f"#heading(level: {levels(int(token.tag[1]) + shift)})[")
        elif kind == "heading_close":
            out.append("]\n")
        elif kind == "paragraph_open":
            if not lists:
                out.append("#par[")
        elif kind == "paragraph_close":
            if not lists:
                out.append("]\n")
        elif kind == "inline":
            text = _inline(token.children or [])
            if lists and item is not None:
                item.append(text)
            else:
                out.append(text)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(("enum" if kind == "ordered_list_open" else "list", []))
        elif kind == "list_item_open":
            item = []
        elif kind == "list_item_close":
            if lists and item is not None:
                lists[-1][1].append("[" + " ".join(item) + "]")
            item = None
        elif kind in ("bullet_list_close", "ordered_list_close"):
            name, items = lists.pop()
            code = f"#{name}(" + ", ".join(items) + ")"
            if lists:  # a nested list belongs to the item it is in
                item = (item or []) + [code]
            else:
                out.append(code + "\n")
        elif kind in ("code_block", "fence"):
            out.append(f"#raw(block: true, {_s(token.content.rstrip())})\n")
        elif kind == "hr":
            out.append("#line(length: 100%, stroke: 0.5pt)\n")
    return "".join(out)


def _inline(children: Sequence[Any]) -> str:
    """Inline tokens as typst content: text as string literals, with strong, emph, code and web links."""
    out: list[str] = []
    stack: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(f"#{_s(child.content)}")
        elif kind == "code_inline":
            out.append(f"#raw({_s(child.content)})")
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("#linebreak()")
        elif kind == "strong_open":
            out.append("#strong[")
            stack.append("]")
        elif kind == "em_open":
            out.append("#emph[")
            stack.append("]")
        elif kind in ("strong_close", "em_close", "link_close"):
            out.append(stack.pop() if stack else "")
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if href.startswith("https://"):
                out.append(f"#link({_s(href)})[")
                stack.append("]")
            else:  # a link to anywhere but the web is its text
                out.append("#[")
                stack.append("]")
        elif kind == "image" and child.meta.get("pack_image"):  # one of the LA's own, in the pack's images/
            alt = child.content or str(child.attrs.get("alt", ""))
            out.append(f"#box(image({_s(str(child.meta['pack_image']))}, alt: {_s(alt or 'Image')}, "
                       f"width: 100%))")
        elif kind == "image":
            out.append(f"#emph[#{_s(child.content or child.attrs.get('alt', ''))}]")
    out.extend(reversed(stack))
    return "".join(out)


# ------------------------------------------------------------------------------------------------ blocks
def _widths(table: Table, size: float, split: int | None = None) -> tuple[list[float], list[float]]:
    """Each shown column's natural width (its longest text, a text column's capped at ``TEXT_CAP`` characters)
    and its narrowest (a number does not wrap; text wraps between words; with ``split``, a heading's word longer
    than that is hyphenated), in points."""
    em = size * CHAR_EM
    cells = cell_texts(table)
    natural, narrowest = [], []
    for position, column in enumerate(table.visible):
        spec = table.columns[column]
        texts = [line[position] for line in cells]
        if spec.kind in ("rag", "trend"):  # shown after its shape or arrow, joined to it (``_cell``)
            texts = ["##" + t for t in texts]
        label_words = [min(len(w), split or len(w)) for w in spec.label.split()] or [0]
        if spec.numeric:
            longest = max([len(t) for t in texts] + [max(label_words)], default=0)
            natural.append(max([len(t) for t in texts] + [len(spec.label)], default=0) * em + CELL_PADDING_PT)
            narrowest.append(longest * em + CELL_PADDING_PT)
        else:
            words = [len(w) for t in texts for w in t.split()] + label_words
            natural.append(min(max([len(t) for t in texts] + [len(spec.label)], default=0), TEXT_CAP) * em
                           + CELL_PADDING_PT)
            narrowest.append(max(words, default=0) * em + CELL_PADDING_PT)
    return natural, narrowest


#: Tables' cell texts by the table's identity (blocks compare equal whatever they hold, so not by equality).
_TEXTS: dict[int, tuple[Table, list[list[str]]]] = {}


def cell_texts(table: Table) -> list[list[str]]:
    """Each shown cell's text, row by row (worked out once per table: widths and heights are estimated from it)."""
    found = _TEXTS.get(id(table))
    if found is None or found[0] is not table:
        if len(_TEXTS) >= 64:
            _TEXTS.clear()
        found = (table, [[cell_text(row[c], table.columns[c], row, suppressed=(n, c) in table.suppressed)
                          for c in table.visible] for n, row in enumerate(rows(table))])
        _TEXTS[id(table)] = found
    return found[1]


def table_width(table: Table, size: float = TABLE_PT, split: int | None = None) -> float:
    """The narrowest a table can be laid out, in points, estimated from its cells' text."""
    return sum(_widths(table, size, split)[1])


def column_sizes(table: Table, size: float, available: float, split: int | None = None) -> list[str]:
    """typst column sizes: every column its natural width where the table fits, else numbers their own width and
    text columns sharing the rest in proportion to their text (never narrower than their longest word)."""
    natural, narrowest = _widths(table, size, split)
    if sum(natural) <= available:
        return ["auto"] * len(natural)
    numeric = [table.columns[c].numeric for c in table.visible]
    widths = {n: low for n, (low, is_number) in enumerate(zip(narrowest, numeric, strict=True)) if is_number}
    sharing = [n for n, is_number in enumerate(numeric) if not is_number]
    while sharing:  # a text column whose share is narrower than its longest word takes that word's width
        space = max(available - sum(widths.values()), 0.0)
        total = sum(natural[n] for n in sharing) or 1.0
        short = [n for n in sharing if narrowest[n] >= space * natural[n] / total]
        if not short:
            widths.update({n: space * natural[n] / total for n in sharing})
            break
        widths.update({n: narrowest[n] for n in short})
        sharing = [n for n in sharing if n not in short]
    return [f"{widths[n]:.1f}pt" for n in range(len(natural))]


def _cell(table: Table, row: Mapping[str, Any], column: str, withheld: bool) -> str:
    spec = table.columns[column]
    text = cell_text(row[column], spec, row, suppressed=withheld)
    if spec.kind == "rag" and not withheld and text != MISSING:
        word = str(row[column]).strip().lower()
        if word in RAG_SHAPES:
            return f"text(fill: rgb({_s(COLOURS[word])}), weight: \"bold\", {_s(RAG_SHAPES[word] + NBSP + text)})"
    if spec.kind == "trend" and not withheld and text != MISSING:
        arrow = TREND_ARROWS.get(text.strip().lower())
        if arrow is not None:
            colour = {"better": COLOURS["green"], "worse": COLOURS["red"], "same": COLOURS["grey"]}[arrow[1]]
            return f"text(fill: rgb({_s(colour)}), {_s(arrow[0] + NBSP + text)})"
    return _s(text)


def table_height(table: Table, size: float, sizes: Sequence[str], split: int | None = None) -> float:
    """An estimate of a table's height in points (caption, header and rows, each row as tall as its most
    wrapped cell): enough to tell a table that fits on a page from one that does not."""
    natural, _ = _widths(table, size, split)
    widths = [n if s == "auto" else float(s.removesuffix("pt")) for n, s in zip(natural, sizes, strict=True)]
    em, line = size * CHAR_EM, size * 1.3

    def lines(text: str, width: float) -> int:
        return max(1, math.ceil(len(text) * em / max(width - CELL_PADDING_PT, em)))

    head = max((lines(table.columns[c].label, w) for c, w in zip(table.visible, widths, strict=True)), default=1)
    total = 24 + head * line + 5
    for texts in cell_texts(table):
        total += max((lines(t, w) for t, w in zip(texts, widths, strict=True)), default=1) * line + 5
    return total


def table_typst(table: Table, *, section: str, size: float | None = None, portrait: float = PORTRAIT_WIDTH,
                landscape: float = LANDSCAPE_WIDTH, heading: str = "", split: int | None = None,
                page_height: float = 842 - 38 * 2.835) -> str:
    """A table as a typst figure: caption above, a header row repeated on each page, numbers right-aligned;
    turned to a landscape page where it is too wide for a portrait one, and smaller where even that is not enough
    (unless ``size`` is given: the committee report keeps its table text at 9 pt and lets text columns wrap, and
    hyphenates a heading's words longer than ``split``). A table that fits on ``KEEP_PAGE`` of a page is never
    split across pages. ``heading`` (typst code) goes on the table's landscape page with it, so that a heading is
    never left alone on the page before."""
    if not table.shown:
        return (f"#par(text(size: 9pt, fill: rgb({_s(COLOURS['grey'])}), {_s(table.caption)} + "
                f"{_s(f': {len(table.written):,} rows in the spreadsheet of tables published with this report.')}))\n")
    columns = table.visible
    width = table_width(table, size or TABLE_PT, split)
    size = size or (TABLE_PT if width <= landscape else SMALL_PT)
    available = portrait if width <= portrait else landscape
    sized = column_sizes(table, size, available, split)
    sizes = ", ".join(sized)
    aligns = ", ".join("right" if table.columns[c].numeric else "left" for c in columns)
    def header(label: str) -> str:  # a word too long for its column is hyphenated, never the others
        hyphen = ", hyphenate: true" if split and any(len(w) > split for w in label.split()) else ""
        return f"table.cell(text(weight: \"bold\"{hyphen}, {_s(label)}))"

    head = ", ".join(header(table.columns[c].label) for c in columns)
    body = []
    for position, row in enumerate(rows(table)):
        body.append(", ".join(f"{_cell(table, row, c, (position, c) in table.suppressed)}" for c in columns))
    if not body:
        body.append(f"table.cell(colspan: {len(columns)}, {_s('None.')})")
    notes = (f"\n#par(text(size: {max(size, 8.5)}pt, fill: rgb({_s(COLOURS['grey'])}), {_s(table.notes)}))"
             if table.notes else "")
    figure = (f"#figure(kind: table, supplement: \"Table\", caption: figure.caption(position: top, {_c(table.caption)}),"
              f" text(size: {size}pt, table(columns: ({sizes},), align: ({aligns},), "
              f"table.header(repeat: true, {head}), {', '.join(body)})))")
    tall = page_height if width <= portrait else (595 - 38 * 2.835)
    keep = table_height(table, size, sized, split) <= KEEP_PAGE * tall
    kept = f"#block(breakable: false, width: 100%)[{figure}{notes}]\n" if keep else f"{figure}{notes}\n"
    if width > portrait:
        return f"#page(flipped: true)[{heading}{kept}]\n"
    return heading + kept


def figure_typst(figure: Figure) -> str:
    """A chart as a typst figure: its SVG (text stays text), alt text, caption below."""
    width = min(figure.width, PORTRAIT_WIDTH) if figure.width else PORTRAIT_WIDTH
    return (f"#figure(image(bytes({_s(figure.svg)}), format: \"svg\", alt: {_s(figure.alt)}, width: {width:.1f}pt), "
            f"caption: {_c(figure.caption)})\n")


def tiles_typst(tiles: Iterable[Tile]) -> str:
    """Headline tiles as a grid of boxes: the figure, its label, detail and its comparison with England."""
    cells = []
    for tile in tiles:
        versus = ""
        if tile.versus in VERSUS:
            arrow, words = VERSUS[tile.versus]
            colour = {"better": COLOURS["green"], "worse": COLOURS["red"], "in_line": COLOURS["grey"]}[tile.versus]
            versus = f", text(size: 8.5pt, fill: rgb({_s(colour)}), {_s(arrow + ' ' + words)})"
        cells.append(f"block(width: 100%, inset: 6pt, stroke: (left: 3pt + rgb({_s(COLOURS['blue'])})), "
                     f"fill: rgb({_s(COLOURS['head'])}), stack(spacing: 3pt, text(size: 16pt, weight: \"bold\", "
                     f"{_s(tile_value(tile))}), text(weight: \"bold\", {_s(tile.label)}), "
                     f"text(size: 8.5pt, {_s(tile.detail)}){versus}))")
    if not cells:
        return ""
    return f"#block(breakable: false, grid(columns: (1fr, 1fr, 1fr), gutter: 6pt, {', '.join(cells)}))\n"


def block_typst(block: Block, *, section: str, levels: Levels | None = None) -> str:
    """One block as typst code (``levels`` keeps its headings' levels in step with those before it)."""
    levels = levels or Levels()
    if isinstance(block, Heading):
        return f"#heading(level: {levels(block.level)}){_c(block.text)}\n"
    if isinstance(block, Paragraph):
        if block.role == "note":
            return f"#par(text(size: 8.5pt, fill: rgb({_s(COLOURS['grey'])}), {_s(block.text)}))\n"
        return f"#par({_c(block.text)})\n"
    if isinstance(block, Points):
        return "#list(" + ", ".join(_c(i) for i in block.items) + ")\n" if block.items else ""
    if isinstance(block, Sentences):
        items = [f"text(fill: rgb({_s('#0b0c0c' if notable else COLOURS['grey'])}), {_s(text)})"
                 for text, notable in block.items]
        return "#list(" + ", ".join(f"[#{i}]" for i in items) + ")\n" if items else ""
    if isinstance(block, Markdown):
        if block.source == "notebook":
            return markdown_typst(block.text, levels=levels)
        return markdown_typst(block.text, shift=2, levels=levels, narrative=True) if block.text.strip() else \
            "#par[#\"None entered.\"]\n"
    if isinstance(block, Tiles):
        return tiles_typst(block.tiles)
    if isinstance(block, Table):
        return table_typst(block, section=section)
    if isinstance(block, Figure):
        return figure_typst(block)
    raise TypeError(f"no typst form for {type(block).__name__}")


# ------------------------------------------------------------------------------------------------ document
def document(cover: Cover, sections: Sequence[tuple[str, str, Sequence[Block]]]) -> str:
    """The whole pack as typst: cover, contents, terms used, then each ``(id, title, blocks)`` in order."""
    glossary = load_config("glossary")["terms"]
    parts = [f"""#set document(title: {_s(cover.title + ': ' + cover.la)}, author: {_s(cover.la)})
#set text(lang: "en", region: "GB", size: {BODY_PT}pt, font: ({', '.join(_s(f) for f in FONTS)}), fallback: true)
#set par(justify: false, leading: 0.6em, spacing: 0.9em)
#set page(paper: "a4", margin: (top: 20mm, bottom: 18mm, x: 15mm),
  header: context {{
    if counter(page).get().first() > 1 {{
      let page = here().page()
      let opening = query(heading.where(level: 1)).filter(h => h.location().page() == page)
      let before = query(selector(heading.where(level: 1)).before(here()))
      let title = if opening.len() > 0 {{ opening.first().body }} else if before.len() > 0 {{ before.last().body }}
      set text(size: 8pt, fill: rgb({_s(COLOURS['grey'])}))
      grid(columns: (1fr, auto), {_s(cover.la + ' · ' + cover.period)}, title)
    }}
  }},
  footer: context {{
    set text(size: 8pt, fill: rgb({_s(COLOURS['grey'])}))
    align(right, [Page #counter(page).display() of #counter(page).final().first()])
  }})
#show heading: set block(sticky: true, above: 1.3em, below: 0.6em)
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#show heading.where(level: 4): set text(size: 10.5pt)
#show figure: set block(breakable: true)
#show figure.where(kind: image): set block(breakable: false)
#show figure.caption: set text(size: 9pt)
#show figure.caption: set align(left)
#set table(stroke: (x, y) => (bottom: 0.5pt + rgb({_s(COLOURS['rule'])})), inset: (x: 3pt, y: 2.5pt),
  fill: (x, y) => if y == 0 {{ rgb({_s(COLOURS['head'])}) }})
#set list(indent: 0.6em)
"""]
    parts.append(f"""#v(45mm)
#text(size: 14pt, fill: rgb({_s(COLOURS['grey'])}), {_s(cover.la)})
#v(2mm)
#text(size: 24pt, weight: "bold", {_s(cover.title)})
#v(8mm)
#grid(columns: (auto, 1fr), column-gutter: 10pt, row-gutter: 6pt,
  text(weight: "bold", "Reporting period"), {_s(cover.period)},
  text(weight: "bold", "Figures as at"), {_s(cover.as_at)},
  text(weight: "bold", "Audience"), {_s(cover.audience)})
""")
    if cover.synthetic:
        parts.append(f"""#v(8mm)
#block(width: 100%, inset: 8pt, fill: rgb("#fff7bf"), stroke: 1pt + rgb("#ffdd00"),
  [#strong({_s(cover.synthetic)}) #{_s(' Every figure in this pack comes from the embedded synthetic sample: it describes no real local authority or school.')}])
""")
    parts.append("#pagebreak()\n#outline(title: \"Contents\", depth: 2)\n#pagebreak()\n")
    parts.append("#heading(level: 1, outlined: false)[#\"Terms used in this pack\"]\n")
    parts.append("#grid(columns: (auto, 1fr), column-gutter: 10pt, row-gutter: 6pt, "
                 + ", ".join(f"text(weight: \"bold\", {_s(t['term'])}), {_s(t['meaning'])}" for t in glossary) + ")\n")
    for section, title, blocks in sections:
        parts.append("#pagebreak()\n")
        levels = Levels()
        if not any(isinstance(b, Markdown) and b.source == "notebook" and b.text.lstrip().startswith("# ")
                   for b in blocks[:1]):
            parts.append(f"#heading(level: {levels(1)}){_c(title)}\n")
        parts.extend(block_typst(b, section=section, levels=levels) for b in blocks)
    return "".join(parts)


@functools.cache
def _fonts() -> Any:
    """The fonts typst lays out with: the system's, and the DejaVu Sans that matplotlib ships (the charts' font)."""
    import matplotlib
    import typst

    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True,
                       font_paths=[str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")])


def render(source: str, dest: Path, *, created: dt.date, images: Path | None = None) -> bool:
    """Write typst ``source`` as a tagged PDF (PDF/UA-1) dated ``created``; False, with one line on stderr,
    where the typst wheel cannot be loaded.

    The compiler reads files only from its root: ``images`` (the pack's own copy of the narrative's
    images) where there is one, else an empty folder. What this process's last compile left in typst's
    memory is dropped first (``_forget_last_compile``).
    """
    try:
        import typst
    except ImportError as exc:
        print(f"leep: {PDF_NAME} not written: the typst package could not load ({exc}); "
              "install the project's dependencies (pip install -e .)", file=sys.stderr)
        return False
    global _COMPILED
    _forget_last_compile(typst)
    with tempfile.TemporaryDirectory(prefix=".typst-", dir=dest.parent) as empty:
        root = images if images is not None and images.is_dir() else Path(empty)
        compiler = typst.Compiler(source.encode("utf-8"), root=str(root), font_paths=_fonts())
        when = dt.datetime.combine(created, dt.time(), tzinfo=dt.UTC)
        try:
            data = compiler.compile(format="pdf", pdf_standards=["ua-1"], timestamp=when)
        finally:
            _COMPILED = True
    dest.write_bytes(data)
    return True


#: whether this process has compiled a document since typst's memory was last cleared (``_forget_last_compile``)
_COMPILED = False
#: typst-py ages typst's memoised work by one compile after each compile and drops what is older than this
TYPST_KEEPS = 10


def _forget_last_compile(typst: Any) -> None:
    """Drop what typst memoised for this process's last document, before it lays out another.

    typst keeps the work of a compile (parsed source, layouts, fonts' shaping) for reuse until
    ``TYPST_KEEPS`` later compiles have passed: typst-py calls ``comemo::evict(10)`` after each
    and offers no call to drop everything (messense/typst-py#104). A batch's worker, laying out
    pack after pack, so held its last ten packs' layouts, about 50 MB each: its memory grew
    from 0.6 GB to 1.1 GB over the batch. Ten compiles of an empty document age them out
    (0.1 s after a large report); a process's first compile, a single pack's only one, pays nothing.
    """
    global _COMPILED
    if not _COMPILED:
        return
    for _ in range(TYPST_KEEPS):
        typst.Compiler(b"", font_paths=_fonts()).compile(format="svg")
    _COMPILED = False


def write_pdf(cover: Cover, sections: Sequence[tuple[str, str, Sequence[Block]]], dest: Path, *,
              created: dt.date) -> Path | None:
    """Write the pack's PDF from each ``(section id, title, blocks)`` (the narrative's images from the pack's
    ``images/`` beside ``dest``); its path, or None if it could not be made."""
    return dest if render(document(cover, sections), dest, created=created, images=dest.parent / "images") else None


# ------------------------------------------------------------------------------------------------ committee report
#: The committee report's body text and table text (points), and its text width: A4 less 22 mm margins.
REPORT_PT, REPORT_TABLE_PT = 11.0, 9.0
REPORT_WIDTH = 595 - 2 * 56.7
REPORT_LANDSCAPE = 842 - 2 * 56.7
#: An unnumbered part of fewer characters than this (background papers, officers, appendices) is kept on one page.
KEEP_LIST = 2500
#: In the report's tables a heading's word longer than this is hyphenated (an LA's name over a column of figures).
REPORT_SPLIT = 8


def report_document(paper: Paper) -> str:
    """The committee report as typst: front sheet, numbered parts, then each appendix on a page of its own.

    Paragraph numbers run from the first part to the last (a numbered list, so a screen reader hears them as
    one); tables of a few rows are kept on one page, headings stay with what follows them, and the footer's
    inside corner gives the agenda item and the page, clear of the agenda pack's own numbering.
    """
    front = paper.front
    item = f"Agenda item {front.agenda_item}" if front.agenda_item else ""
    footer = (_s(item + " · Page ") if item else _s("Page ")) + " + str(n)"
    parts = [f"""#set document(title: {_s(front.title)}, author: {_s(front.council)})
#set text(lang: "en", region: "GB", size: {REPORT_PT}pt, font: ({', '.join(_s(f) for f in FONTS)}), fallback: true)
#set par(justify: false, leading: 0.62em, spacing: 1.05em)
#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, x: 20mm),
  footer: context {{
    let n = counter(page).get().first()
    set text(size: 9pt, fill: rgb({_s(COLOURS['grey'])}))
    align(if calc.odd(n) {{ left }} else {{ right }}, {footer})
  }})
#show heading: set block(sticky: true, above: 1.4em, below: 0.7em)
#show heading: set text(weight: "bold")
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading.where(level: 3): set text(size: 11pt)
#show figure: set block(breakable: true)
#show figure.where(kind: image): set block(breakable: false)
#show figure.caption: set text(size: 9.5pt)
#show figure.caption: set align(left)
#show figure.where(kind: table): set align(left)
#set table(stroke: (x, y) => (bottom: 0.5pt + rgb({_s(COLOURS['rule'])})), inset: (x: 3pt, y: 2.5pt),
  fill: (x, y) => if y == 0 {{ rgb({_s(COLOURS['head'])}) }})
#set enum(indent: 0pt, body-indent: 1.1em, spacing: 1.05em)
#set list(indent: 0.4em, spacing: 0.7em)
"""]
    lines = []
    if item:
        lines.append(f"#align(right, text(weight: \"bold\", {_s(item)}))")
    lines.append(f"#align(center)[#text(size: 10.5pt, {_s(front.council)})]")
    lines.append("#v(4mm)")
    top = [front.committee, front.date]
    lines.append("#align(center)[" + "#linebreak()".join(f"#strong(upper({_s(t)}))" for t in top if t) + "]")
    lines.append("#v(2mm)")
    lines.append(f"#align(center, heading(level: 1, {_s(front.title)}))")
    lines.append(f"#align(center)[#strong(upper({_s('Report of the ' + front.report_of)}))]")
    if front.synthetic:
        lines.append(f"#block(width: 100%, inset: 7pt, fill: rgb(\"#fff7bf\"), stroke: 1pt + rgb(\"#ffdd00\"), "
                     f"[#strong({_s(front.synthetic)}) #{_s(' Every figure in this report comes from the embedded synthetic sample: it describes no real local authority or school.')}])")
    lines.append("#v(3mm)")
    parts.append("\n".join(lines) + "\n")
    levels = Levels()
    levels(1)
    for part, items in paper.numbered():
        heading = f"#heading(level: {levels(2)}){_c(part.title)}\n"
        body = "".join(_report_group(group, levels) for group in chunks(items))
        size = sum(len(getattr(b, "text", "") or " ".join(getattr(b, "items", ()))) for _, b in items)
        if not part.numbered and size < KEEP_LIST:  # a short list at the end: kept whole, with its heading
            parts.append(f"#block(breakable: false, width: 100%)[{heading}{body}]\n")
        else:
            parts.append(heading + body)
    for appendix in paper.appendices:
        parts.append("#pagebreak(weak: true)\n")
        heading = f"#heading(level: {levels(2)}){_c(f'Appendix {appendix.letter}: {appendix.title}')}\n"
        for n, block in enumerate(appendix.blocks):
            if isinstance(block, Table):
                parts.append(_report_table(block, heading=heading if n == 0 else ""))
            else:
                parts.append((heading if n == 0 else "") + block_typst(block, section="report", levels=levels))
    return "".join(parts)


def _report_group(group: Sequence[tuple[int | None, Block]], levels: Levels) -> str:
    """A numbered paragraph with the lists that belong to it, or one unnumbered block, as typst."""
    number, first = group[0]
    if number is None:
        if isinstance(first, Table):
            return _report_table(first)
        if isinstance(first, Figure):
            width = min(first.width, REPORT_WIDTH) if first.width else REPORT_WIDTH
            return (f"#figure(image(bytes({_s(first.svg)}), format: \"svg\", alt: {_s(first.alt)}, "
                    f"width: {width:.1f}pt), caption: {_c(first.caption)})\n")
        return block_typst(first, section="report", levels=levels)
    body = []
    for _, block in group:
        if isinstance(block, Markdown):
            body.append(markdown_typst(block.text, levels=levels, narrative=block.source == "narrative").strip())
        elif isinstance(block, Paragraph):
            body.append(f"#{_s(block.text)}")
        else:
            body.append(block_typst(block, section="report", levels=levels).strip())
    item = f"#enum(numbering: \"1.\", enum.item({number})[{' '.join(body)}])"
    # a paragraph that leads into a short list is kept with it, as a heading is with what follows it
    short = len(group) > 1 and sum(len(getattr(b, "text", "") or " ".join(getattr(b, "items", ()))) for _, b in group) < 1200
    return f"#block(breakable: false, width: 100%)[{item}]\n" if short else item + "\n"


def _report_table(table: Table, heading: str = "") -> str:
    return table_typst(table, section="report", size=REPORT_TABLE_PT, portrait=REPORT_WIDTH,
                       landscape=REPORT_LANDSCAPE, heading=heading, split=REPORT_SPLIT, page_height=842 - 40 * 2.835)


def write_report(paper: Paper, dest: Path, *, created: dt.date) -> Path | None:
    """Write the committee report's PDF (a committee pack's ``pack.pdf``); its path, or None if it could not be made."""
    return dest if render(report_document(paper), dest, created=created, images=dest.parent / "images") else None
