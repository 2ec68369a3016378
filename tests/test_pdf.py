"""pack.pdf: typst from the recorded blocks; A4 pages numbered "Page N of M", a cover and contents, every table
column on the page, a tagged structure a screen reader can follow, and no text that can become markup."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import content
from leep_analysis.config import load_config
from leep_analysis.content import Figure, Heading, Markdown, Paragraph, Table
from leep_analysis.render import pdf

A4 = (595, 842)
_WORD = re.compile(r"[A-Za-z0-9%£]+")
COVER = pdf.Cover(la="LA", title="Title", period="Autumn term 2025/26", audience="Committee", as_at="31 December 2025")
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="40pt" viewBox="0 0 100 40">'
       '<rect width="100" height="40" fill="#12436D"/></svg>')


def pdf_pages(path: Path) -> list[tuple[tuple[int, int], str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return [((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text()) for p in reader.pages]


def rendered(blocks: list[content.Block], folder: Path) -> list[tuple[tuple[int, int], str]]:
    """Blocks as the pack's PDF lays them out (cover and contents first): each page's size and text."""
    assert pdf.render(pdf.document(COVER, [("x", "Section", blocks)]), folder / "p.pdf",
                      created=pd.Timestamp("2025-12-31").date())
    return pdf_pages(folder / "p.pdf")


def structure(path: Path) -> list[tuple[str, str]]:
    """The tagged PDF's structure elements in reading order: (tag, its alt text or '')."""
    import pikepdf

    found: list[tuple[str, str]] = []

    def walk(node) -> None:  # noqa: ANN001
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append((str(node.S)[1:], str(node.get("/Alt", ""))))
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids)

    with pikepdf.open(path) as document:
        assert "/StructTreeRoot" in document.Root, "the PDF is not tagged"
        assert document.Root.MarkInfo.Marked
        walk(document.Root.StructTreeRoot)
    return found


# ----------------------------------------------------------------- unit: layout from typed tables
def test_table_width_counts_numbers_whole_and_text_by_longest_word():
    table = Table("t", "c", pd.DataFrame({"name": ["A long header"], "n": [1234]}),
                  columns={"name": content.text("Name"), "n": content.count("N")})
    # "header" (6 characters) and "1,234" (5): 11 characters at 9 pt, plus two cells' padding
    assert pdf.table_width(table) == pytest.approx(11 * 9 * pdf.CHAR_EM + 2 * pdf.CELL_PADDING_PT)


def test_a_table_too_wide_for_portrait_gets_a_landscape_page(tmp_path):
    frame = pd.DataFrame({f"Column{i}": [888888888.5 + i] for i in range(14)})
    table = Table("wide", "wide", frame, columns={c: content.number(c, 1) for c in frame})
    pages = rendered([Heading("Wide", 2), table], tmp_path)
    sizes = [size for size, _ in pages]
    assert (842, 595) in sizes and all(tuple(sorted(s)) == A4 for s in sizes)
    landscape = next(text for size, text in pages if size == (842, 595))
    assert all(f"Column{i}" in landscape for i in range(14)) and "Page " in landscape


def test_text_from_inputs_never_becomes_markup(tmp_path):
    hostile = '#panic("boom") ] [ $x$ // not a comment *bold* _em_ @ref <lbl> \\ "quoted"'
    table = Table("t", hostile, pd.DataFrame({"name": [hostile], "n": [1]}))
    blocks = [Heading(hostile, 2), Paragraph(hostile), table, Markdown(f"## {hostile}\n\n{hostile}\n\n- {hostile}")]
    text = " ".join(t for _, t in rendered(blocks, tmp_path))
    assert text.count("#panic") >= 4 and "// not a comment" in text  # shown as text, never run


def test_markdown_as_typst_keeps_structure_and_drops_what_is_not_the_web():
    source = ("## Aims\n\nRead **this** and _that_ at [the site](https://example.org) or [a file](/etc/passwd).\n\n"
              "- one\n- two\n  - nested\n\n![chart](http://host/x.png)")
    code = pdf.markdown_typst(source)
    assert '#heading(level: 1)[#"Aims"]' in code  # a heading never skips a level
    assert '#strong[#"this"]' in code and '#emph[#"that"]' in code
    assert '#link("https://example.org")' in code and "/etc/passwd" not in code and "http://host" not in code
    assert code.count("#list(") == 2


def test_heading_levels_never_skip(tmp_path):
    levels = pdf.Levels()
    assert [levels(n) for n in (1, 4, 2, 4, 3)] == [1, 2, 2, 3, 3]


def test_the_pdf_is_tagged_with_headings_tables_and_alt_text(tmp_path):
    figure = Figure(kind="bar", caption="A chart", alt="Bar chart of three things", data=pd.DataFrame({"x": [1]}),
                    svg=SVG, width=100, height=40)
    table = Table("t", "A table", pd.DataFrame({"name": ["a", "b"], "n": [1, 2]}))
    rendered([Heading("Part", 2), Paragraph("Some text."), table, figure], tmp_path)
    tags = structure(tmp_path / "p.pdf")
    names = [tag for tag, _ in tags]
    assert {"H1", "H2"} <= set(names), names
    assert "Table" in names and "TH" in names and "TD" in names
    assert ("Figure", "Bar chart of three things") in tags
    from pypdf import PdfReader

    meta = PdfReader(tmp_path / "p.pdf").metadata
    assert meta.title == "Title: LA"


def test_an_untagged_pdf_fails_the_structure_check(tmp_path):
    import pikepdf

    with pikepdf.new() as document:
        document.add_blank_page()
        document.save(tmp_path / "plain.pdf")
    with pytest.raises(AssertionError, match="not tagged"):
        structure(tmp_path / "plain.pdf")


def test_without_typst_the_pdf_step_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_typst(name, *args, **kwargs):
        if name == "typst":
            raise ImportError("No module named 'typst'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_typst)
    assert pdf.render("x", tmp_path / "pack.pdf", created=pd.Timestamp("2025-12-31").date()) is False
    assert not (tmp_path / "pack.pdf").exists()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "pack.pdf not written" in lines[0] and "typst" in lines[0]


_RENDER_MANY = """
import datetime as dt, pathlib, sys, tempfile, psutil
from leep_analysis.render import pdf
if sys.argv[1] == "keep":  # as before: typst keeps the last ten documents' work
    pdf._forget_last_compile = lambda typst: None
folder = pathlib.Path(tempfile.mkdtemp())
rows = ", ".join(f"[{j}]" for j in range(200))
seen = []
for n in range(12):
    parts = "".join(f"== Part {n}.{i}\\n" + "Text about the schools. " * 30 + f"\\n#table(columns: 4, {rows})\\n"
                    for i in range(4))
    pdf.render(f'#set document(title: "LA {n}")\\n#set text(lang: "en")\\n= LA {n}\\n' + parts, folder / "p.pdf",
               created=dt.date(2025, 12, 31))
    seen.append(psutil.Process().memory_info().rss)
print((seen[-1] - seen[1]) / 1e6)
"""


def test_a_process_laying_out_pack_after_pack_keeps_one_packs_work_not_ten():
    """A batch's worker lays out a PDF an LA: what typst keeps of the last one is dropped before the next, so the
    worker's memory stays flat (it grew by about 50 MB an LA over ten LAs when typst kept ten)."""
    import sys

    def growth(mode: str) -> float:
        done = subprocess.run([sys.executable, "-c", _RENDER_MANY, mode], capture_output=True, text=True, check=True)
        return float(done.stdout.strip())

    assert growth("forget") < 30  # measured: 2 MB over ten documents
    assert growth("keep") > 80  # measured: 118 MB; the check can fail: kept, the same documents grow it


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
    checked = 0
    for section in ("summary", "achievement", "inspections", "support", "budget", "concerns"):
        heading = {"summary": "Summary evaluation", "achievement": "Achievement", "inspections":
                   "Ofsted inspection outcomes", "support": "Schools receiving support", "budget": "Use of funding",
                   "concerns": "Schools causing concern"}[section]
        found = re.search(rf"^{re.escape(heading)}[\s.\u2060]*(\d+)$", contents, re.M)  # dot leaders, a word joiner
        assert found, f"{heading} ({titles[section]['title']}) not in the contents"
        assert heading in pages[int(found.group(1)) - 1][1]
        checked += 1
    assert checked == 6
    assert "Sampleshire (synthetic) (LA 050) · Autumn term 2025/26" in pages[2][1]  # the running header
    tags = structure(path)
    assert sum(tag == "Figure" for tag, _ in tags) > 20 and all(alt for tag, alt in tags if tag == "Figure")


@pytest.mark.pack
def test_every_table_column_is_in_the_pdf(default_pack):
    import nbformat

    from leep_analysis.export import normalise

    words = {w for _, text in pdf_pages(default_pack / pdf.PDF_NAME) for w in _WORD.findall(text)}
    checked = 0
    for path in sorted((default_pack / "executed").glob("*.ipynb")):
        for table in content.tables_of(content.from_notebook(normalise(nbformat.read(path, as_version=4), "x"))):
            if not table.shown:
                continue
            headers = {w for c in table.visible for w in _WORD.findall(table.columns[c].label)}
            assert headers <= words, f"{path.name} {table.name}: {sorted(headers - words)} not in the PDF"
            checked += 1
    assert checked > 20


@pytest.mark.pack
def test_no_text_outside_the_page(default_pack):
    """A clipped column would run off the page's right edge: every word's box is inside its page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(default_pack / pdf.PDF_NAME), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    assert pages, "pdftotext found no page"
    words = 0
    for width, height, body in pages:
        for x_max, y_max, word in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body):
            assert float(x_max) <= float(width) - 20 and float(y_max) <= float(height), f"{word!r} is off the page"
            words += 1
    assert words > 10_000, "pdftotext found too few words to check"


def test_the_narratives_own_image_is_drawn_and_nothing_else_is_read(tmp_path):
    import base64

    pack = tmp_path / "pack"
    (pack / "images").mkdir(parents=True)
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    (pack / "images" / "map.png").write_bytes(png)
    (tmp_path / "secret.png").write_bytes(png)
    narrative = Markdown("Our map:\n\n![Reading results by district](map.png)\n\n![x](../secret.png)"
                         "\n\n![y](http://127.0.0.1:9/b.png)")
    dest = pack / pdf.PDF_NAME
    assert pdf.write_pdf(COVER, [("summary", "Summary", [narrative])], dest, created=pd.Timestamp("2025-12-31").date())
    figures = [alt for tag, alt in structure(dest) if tag == "Figure"]
    assert figures == ["Reading results by district"]  # the LA's own image, with its alt text; the others are text
    text = " ".join(t for _, t in pdf_pages(dest))
    assert "secret" not in text and "127.0.0.1" not in text
