"""pack.pdf: A4 pages numbered "Page N of M", a cover and contents, and every table column on the page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from leep_analysis import pdf
from leep_analysis.config import load_config

A4 = (595, 842)
_TH = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_TABLE = re.compile(r'<table class="leep-table" id="([^"]+)">(.*?)</table>', re.S)
_WORD = re.compile(r"[A-Za-z0-9%£]+")


def header_words(page_html: str) -> dict[str, set[str]]:
    """Each table's id and the words of its column headers."""
    return {table_id: {w for th in _TH.findall(body) for w in _WORD.findall(re.sub(r"<[^>]+>", " ", th))}
            for table_id, body in _TABLE.findall(page_html)}


def pdf_pages(path: Path) -> list[tuple[tuple[int, int], str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return [((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text()) for p in reader.pages]


def rendered(page: str, folder: Path) -> list[tuple[tuple[int, int], str]]:
    """A section page as the pack's PDF lays it out (cover and contents first): each page's size and text."""
    cover = pdf.Cover(la="LA", title="Title", period="Autumn term 2025/26", audience="Committee", as_at="31 December 2025")
    assert pdf.render(pdf.document(cover, [("x", "Section", page)]), folder / "p.pdf", folder)
    return pdf_pages(folder / "p.pdf")


# ----------------------------------------------------------------- unit: which tables need a wide page
def test_table_width_counts_numbers_whole_and_text_by_longest_word():
    narrow = '<table class="leep-table"><tr><th class="text">A long header</th><td class="num">1,234</td></tr></table>'
    # "header" (6 characters) and "1,234" (5): 11 characters at 8 pt, plus two cells' padding
    assert pdf.table_width(narrow) == pytest.approx(11 * 8 * pdf.CHAR_EM + 2 * pdf.CELL_PADDING_PT)


def test_fit_tables_marks_only_wide_tables():
    cells = "".join(f'<td class="num">{"9" * 12}</td>' for _ in range(9))
    wide = f'<div class="leep-table-wrap" tabindex="0"><table class="leep-table"><tr>{cells}</tr></table></div>'
    small = '<div class="leep-table-wrap" tabindex="0"><table class="leep-table"><tr><td class="num">1</td></tr></table></div>'
    assert 'class="leep-table-wrap pdf-wide"' in pdf.fit_tables(wide)
    assert pdf.fit_tables(small) == small


def test_section_body_prefixes_anchors_and_drops_page_contents():
    page = ('<main class="leep-main" id="main"><nav class="leep-toc"><a href="#x">x</a></nav>'
            '<h2 id="Reach">Reach<a class="anchor-link" href="#Reach">¶</a></h2><a href="#Reach">see</a></main>')
    body, headings = pdf.section_body(page, "support")
    assert headings == [("support--Reach", "Reach")]
    assert 'href="#support--Reach"' in body and "leep-toc" not in body and "¶" not in body


# ----------------------------------------------------------------- the default pack's PDF
@pytest.mark.pack
def test_pack_pdf_is_a4_numbered_with_cover_and_contents(default_pack):
    path = default_pack / pdf.PDF_NAME
    assert path.exists(), "leep run writes pack.pdf beside index.html"
    pages = pdf_pages(path)
    total = len(pages)
    assert total > 10
    for number, (size, text) in enumerate(pages, start=1):
        assert tuple(sorted(size)) == A4, f"page {number} is {size}, not A4"
        assert f"Page {number} of {total}" in text, f"page {number} has no 'Page N of M'"
    cover, contents = pages[0][1], pages[1][1]
    for fact in ("Sampleshire (synthetic) (LA 050)", "Autumn term 2025/26", "31 December 2025", "Internal"):
        assert fact in cover
    # each section in the contents with the page it starts on, and that page starts the section
    titles = load_config("sections")
    for section in ("summary", "achievement", "inspections", "support", "budget", "concerns"):
        title = titles[section]["title"]
        found = re.search(rf"^{re.escape(title)} \.+ (\d+)$", contents, re.M)
        assert found, f"{title} not in the contents"
        assert title in pages[int(found.group(1)) - 1][1]
    assert "Sampleshire (synthetic) (LA 050) · Autumn term 2025/26" in pages[2][1]  # the running header


@pytest.mark.pack
def test_every_table_column_is_in_the_pdf(default_pack):
    words = {w for _, text in pdf_pages(default_pack / pdf.PDF_NAME) for w in _WORD.findall(text)}
    checked = 0
    for page in sorted(default_pack.glob("*.html")):
        if page.name == "index.html":
            continue
        for table_id, headers in header_words(page.read_text(encoding="utf-8")).items():
            assert headers <= words, f"{page.name} {table_id}: {sorted(headers - words)} not in the PDF"
            checked += 1
    assert checked > 20


@pytest.mark.pack
def test_no_text_outside_the_page(default_pack):
    """A clipped column would run off the page's right edge: every word's box is inside its page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(default_pack / pdf.PDF_NAME), "-"], capture_output=True,
                         text=True, check=True).stdout
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for x_max, y_max, word in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page.group(3)):
            assert float(x_max) <= width - 20 and float(y_max) <= height, f"{word!r} is off the page"


def test_without_pango_the_pdf_step_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    assert pdf.render("<p>x</p>", tmp_path / "pack.pdf", tmp_path) is False
    assert not (tmp_path / "pack.pdf").exists()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "pack.pdf not written" in lines[0] and "libpango" in lines[0]


def test_a_table_too_wide_for_portrait_gets_a_landscape_page(tmp_path):
    headers = "".join(f'<th scope="col" class="num">Column{i}</th>' for i in range(14))
    cells = "".join(f'<td class="num">{"8" * 9}.{i}</td>' for i in range(14))
    page = ('<main class="leep-main" id="main"><h2 id="Wide">Wide</h2>'
            '<div class="leep-table-wrap" tabindex="0" role="region" aria-label="Table 1">'
            '<table class="leep-table" id="table-x"><caption><strong>Table 1:</strong> wide</caption>'
            f"<thead><tr>{headers}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div></main>")
    pages = rendered(page, tmp_path)
    sizes = [size for size, _ in pages]
    assert (842, 595) in sizes and all(tuple(sorted(s)) == A4 for s in sizes)
    landscape = next(text for size, text in pages if size == (842, 595))
    assert all(f"Column{i}" in landscape for i in range(14)) and "Page " in landscape


def test_a_sentence_with_a_long_path_in_code_is_not_broken_after_its_first_word(tmp_path):
    note = ("Every year of every indicator for Leicestershire, England, East Midlands and the neighbours' mean: "
            "2,068 rows in <code>tables/achievement__timeseries.csv</code> and in tables.xlsx.")
    page = f'<main class="leep-main" id="main"><h2 id="Note">Note</h2><p class="leep-table-note">{note}</p></main>'
    last = rendered(page, tmp_path)[-1][1]
    lines = [line.strip() for line in last.splitlines()]
    first = next(line for line in lines if line.startswith("Every"))
    # the page is wide enough for everything before the path on one line (without the break: "Every" alone)
    assert first.startswith("Every year of every indicator for Leicestershire") and first.endswith(("rows", "rows in"))
