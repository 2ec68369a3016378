"""The pack as one A4 PDF for the committee's agenda (``pack.pdf``), from the same HTML pages.

WeasyPrint lays the pages out: it is made for paged CSS (``@page`` margin
boxes give the running header and "Page N of M", ``target-counter`` the
contents' page numbers, named pages a landscape page for a wide table) and
installs from PyPI; it needs only the system's Pango. Chromium's print to PDF
has none of the margin boxes or cross-references, so it would need a second
pass to number the contents. Where Pango cannot be loaded the step says so in
one line and the rest of the pack is built without the PDF.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import TEMPLATE_DIR, load_config
from .inputs import Inputs

PDF_NAME = "pack.pdf"
#: Width of a page's text in points: A4 (595 x 842 pt) less 15 mm margins each side.
PORTRAIT_WIDTH = 595 - 2 * 42.5
LANDSCAPE_WIDTH = 842 - 2 * 42.5
#: An estimate of a character's width in a table, as a fraction of the font size (Liberation Sans, bold headers).
CHAR_EM = 0.56
#: Table text size in the PDF (points) and the smaller size a table too wide for a landscape page gets.
TABLE_PT, SMALL_PT = 8.0, 6.5
CELL_PADDING_PT = 6.0

_MAIN = re.compile(r'<main[^>]*id="main"[^>]*>(.*)</main>', re.S)
_TOC = re.compile(r'<nav class="leep-toc".*?</nav>', re.S)
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_TABLE_WRAP = re.compile(r'<div class="leep-table-wrap"(.*?)</table>', re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CAPTION = re.compile(r"(<table [^>]*>)<caption>(.*?)</caption>", re.S)
_CELL = re.compile(r'<t([hd])[^>]*class="(num|text)[^"]*"[^>]*>(.*?)</t[hd]>', re.S)
#: a break opportunity just before inline code: WeasyPrint 70, finding a long path in ``<code>`` does not fit
#: at the end of a line, breaks the line after its first word instead of before the code (Kozea/WeasyPrint#1614)
_BEFORE_CODE = re.compile(r"(?<=\s)<code>")


@dataclass(frozen=True)
class Cover:
    """What the cover page says (``pages.facts``), and the synthetic-data banner where it applies."""

    la: str
    title: str
    period: str
    audience: str
    as_at: str
    synthetic: str = ""


def _text(markup: str) -> str:
    return html.unescape(_TAGS.sub(" ", markup)).strip()


def table_width(table_markup: str, size: float = TABLE_PT) -> float:
    """The narrowest a table can be laid out, in points, estimated from its cells' text.

    A number cell does not wrap, so its whole text counts; a text cell or a
    header wraps between words, so its longest word counts.
    """
    widths: dict[int, int] = {}
    for row in _ROW.findall(table_markup):
        for position, (_, kind, inner) in enumerate(_CELL.findall(row)):
            text = _text(inner)
            longest = len(text) if kind == "num" else max((len(w) for w in text.split()), default=0)
            widths[position] = max(widths.get(position, 0), longest)
    return sum(n * size * CHAR_EM + CELL_PADDING_PT for n in widths.values())


def fit_tables(body: str) -> str:
    """Mark each table that is too wide for a portrait page: landscape, and smaller text if that is not enough."""

    def fit(match: re.Match[str]) -> str:
        markup = match.group(0)
        if table_width(markup) <= PORTRAIT_WIDTH:
            return markup
        css = "pdf-wide" if table_width(markup) <= LANDSCAPE_WIDTH else "pdf-wide pdf-small"
        return markup.replace('class="leep-table-wrap"', f'class="leep-table-wrap {css}"', 1)

    return _TABLE_WRAP.sub(fit, body)


def section_body(page_html: str, section: str) -> tuple[str, list[tuple[str, str]]]:
    """A section page's main content for the PDF, and its (anchor, heading) pairs.

    Anchors are prefixed with the section id so that two pages' headings cannot
    clash in one document; the page's own contents list and pilcrow links go;
    a table's caption becomes the paragraph before it, so that it is kept on
    the page of the table's first rows (a paged caption box cannot be); inline
    code gets a break opportunity before it (``_BEFORE_CODE``).
    """
    found = _MAIN.search(page_html)
    body = found.group(1) if found else ""
    body = _CAPTION.sub(r'<p class="pdf-caption">\2</p>\1', _ANCHOR.sub("", _TOC.sub("", body)))
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{section}--{m.group(1)}"', body)
    body = re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{section}--{m.group(1)}"', body)
    body = _BEFORE_CODE.sub("\u200b<code>", body)
    headings = [(anchor, _text(inner)) for anchor, inner in _H2.findall(body)]
    return fit_tables(body), headings


def document(cover: Cover, pages: list[tuple[str, str, str]]) -> str:
    """The whole pack as one HTML document: cover, contents, terms used, then each ``(id, title, page html)`` in order."""
    sections = []
    for section, title, page_html in pages:
        body, headings = section_body(page_html, section)
        sections.append({"id": section, "title": title, "body": body, "headings": headings})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    css = (TEMPLATE_DIR / "leep.css").read_text(encoding="utf-8") + (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")
    return env.get_template("pack_pdf.html.j2").render(cover=cover, sections=sections, css=css,
                                                       glossary=load_config("glossary")["terms"],
                                                       table_pt=TABLE_PT, small_pt=SMALL_PT)


def render(markup: str, dest: Path, base: Path) -> bool:
    """Write ``markup`` as a PDF; False, with one line on stderr, where WeasyPrint or Pango is missing."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"leep: {PDF_NAME} not written: WeasyPrint could not load ({first}); "
              "install Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)", file=sys.stderr)
        return False
    HTML(string=markup, base_url=str(base)).write_pdf(str(dest))
    return True


def write_pdf(inputs: Inputs, pack_dir: Path, name: str) -> Path | None:
    """Write ``pack.pdf`` from the pack's section pages in ``pack_dir``; its path, or None if it could not be made."""
    from .config import SYNTHETIC_BANNER
    from .pages import facts

    titles = load_config("sections")
    cover = Cover(**facts(inputs, name), synthetic=SYNTHETIC_BANNER if inputs.on_sample else "")
    pages = [(s, titles[s]["title"], (pack_dir / f"{s}.html").read_text(encoding="utf-8"))
             for s in inputs.params.sections if (pack_dir / f"{s}.html").exists()]
    dest = pack_dir / PDF_NAME
    return dest if render(document(cover, pages), dest, pack_dir) else None
