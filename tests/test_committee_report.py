"""The committee report: a council scrutiny paper made from the pack's blocks (front sheet, numbered paragraphs,
key messages from typed facts, implications, background papers, officers, appendices), as a PDF and a page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import content
from leep_analysis.config import PROJECT_DIR
from leep_analysis.content import Figure, Markdown, Paragraph, Points, Table, Tile, Tiles
from leep_analysis.paper import Fact, FrontSheet, Source, build, key_messages, standing
from leep_analysis.paper.model import Paper, Part, paragraphs
from leep_analysis.paper.parts import excerpt, plain
from leep_analysis.params import CommitteeMeeting, Officer
from leep_analysis.render import paper_html, pdf
from leep_analysis.sources.narrative import load_narrative


def test_the_narrative_has_the_reports_headings_under_the_names_councils_use(tmp_path: Path):
    path = tmp_path / "narrative.md"
    path.write_text("# Narrative\n\nIntro.\n\n## Background\n\nOne.\n\nTwo.\n\n## Risk assessment\n\nA risk.\n\n"
                    "## Equal opportunities implications\n\nFair.\n\n## Policy framework and previous decisions\n\n"
                    "Cabinet, 9 July 2013.\n", encoding="utf-8")
    found = load_narrative(path)
    assert found["background"] == "One.\n\nTwo." and found["risk"] == "A risk." and found["equality"] == "Fair."
    assert found["policy"] == "Cabinet, 9 July 2013." and found["introduction"] == "Intro."


#: What a councillor's paper must never say: words of the tool that made it.
TOOL_WORDS = re.compile(r"params|\.csv|this project|\bseed\b|rules version|No rows\.|The page the committee reads first"
                        r"|notebook|previous_pack|spreadsheet", re.I)
FRONT = FrontSheet(council="Leicestershire County Council", committee="Children and Families Overview and Scrutiny "
                   "Committee", date="2 March 2026", agenda_item="7", title="School improvement report",
                   report_of="Director of Children and Family Services", place="Leicestershire",
                   period="Autumn term 2025/26", as_at="31 December 2025")
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="40pt" viewBox="0 0 100 40">'
       '<rect width="100" height="40" fill="#12436D"/></svg>')


def fact(**values) -> Fact:
    base = {"key": "achievement_KS2RWM_Expected_STD", "label": "Reading, writing and maths: expected standard",
            "section": "achievement", "value": 63.0, "unit": "percent", "decimals": 0, "group": "All pupils",
            "says": "{value} of pupils reached the expected standard in reading, writing and maths",
            "phase": "Key stage 2", "period": "2025", "england": 62.0, "region": 61.0, "neighbours": 62.44,
            "region_name": "East Midlands", "versus_england": "better", "versus_region": "better",
            "versus_neighbours": "in_line", "rank": 40, "of": 153, "band": "B", "change": 2.0, "change_from": "2024",
            "trend": "improving", "polarity": "High", "headline": True}
    return Fact(**{**base, **values})


# ----------------------------------------------------------------- sentences and key messages from typed facts
def test_standing_says_value_benchmarks_rank_quarter_and_change():
    assert standing(fact()) == ("63% of pupils reached the expected standard in reading, writing and maths in 2025, "
                                "above England (62%) and East Midlands (61%), in line with the statistical neighbours "
                                "(62.4%): 40th of 153 local authorities, in the second quarter; up 2 points on 2024.")


def test_a_gap_narrows_and_widens_and_a_lower_figure_can_be_better():
    gap = fact(key="achievement_GAP_KS2_RWM_DAP", unit="points", polarity="Low", value=20.0, england=21.0,
               versus_england="better", region=None, neighbours=None, change=-1.0,
               says="The gap between disadvantaged pupils and others was {value}")
    assert "narrower than England (21 points)" in standing(gap) and "narrower by 1 point than in 2024" in standing(gap)
    neet = fact(key="achievement_16-17 NEET", unit="percent", decimals=1, polarity="Low", value=1.2, england=2.8,
                versus_england="better", region=None, neighbours=None, change=-0.5, says="{value} were NEET")
    assert "below England (2.8%)" in standing(neet) and neet.moved == "better"


def test_key_messages_say_what_improved_and_what_fell_back_and_never_a_withheld_figure():
    facts = [fact(), fact(key="achievement_AVG_Attain8_Score", label="Attainment 8", unit="score", decimals=1,
                          value=44.0, england=46.0, versus_england="worse", change=-1.0, phase="Key stage 4",
                          says="The average Attainment 8 score was {value}"),
             Fact(key="inspections_category_of_concern", label="Schools in a category", section="inspections",
                  value=3.0, unit="count", suppressed=True, says="{value} schools are in a category")]
    messages = key_messages(facts, "Leicestershire")
    assert any(m.startswith("Results improved on the year before in 1 measure: 63% of pupils") for m in messages)
    assert any(m.startswith("Results fell back on the year before in 1 measure: the average Attainment 8 score was "
                            "44.0 (down 1.0 point on 2024)") for m in messages)
    assert any("At the end of key stage 2, 63% of pupils" in m for m in messages)
    assert not any("3 schools" in m for m in messages)  # withheld in a committee pack: never stated
    assert len(key_messages(facts * 10, "Leicestershire")) <= 8


# ----------------------------------------------------------------- the paper: numbered paragraphs, parts, appendices
def test_paragraphs_are_numbered_through_the_parts_and_lists_belong_to_the_paragraph_before():
    table = Table("t", "A table", pd.DataFrame({"a": [1]}))
    paper = Paper(FRONT, (Part("Purpose of report", (Paragraph("One."),)),
                          Part("Background", (*paragraphs("Two.\n\n- a\n- b\n\nThree."), table)),
                          Part("Background papers", (Points(("x",)),), numbered=False)))
    numbers = [(n, type(b).__name__) for _, items in paper.numbered() for n, b in items]
    assert numbers == [(1, "Paragraph"), (2, "Markdown"), (None, "Markdown"), (3, "Markdown"), (None, "Table"),
                       (None, "Points")]


def test_an_excerpt_keeps_its_columns_specs_and_withheld_cells():
    table = Table("t", "T", pd.DataFrame({"group": ["a", "b", "c"], "n": [1, 7, 9], "pct": [1.0, 5.0, 9.0]}),
                  columns={"group": content.text("Group"), "n": content.count("Schools")},
                  suppressed=frozenset({(0, "n"), (2, "pct")}))
    cut = excerpt(table, [2, 0], ["group", "n"])
    assert list(cut.frame["group"]) == ["c", "a"] and cut.suppressed == frozenset({(1, "n")})
    assert cut.columns["n"].label == "Schools"


def test_words_of_the_tool_are_left_out_of_what_the_report_reuses():
    assert plain("Numbers, graded and in a category. The table inspections__groups.csv also has every count.") == \
        "Numbers, graded and in a category."


def sections() -> dict[str, list[content.Block]]:
    """A tiny pack: the inspections section's tiles and summary table, and a figure."""
    summary = Table("summary", "Ofsted grades", pd.DataFrame({"area": ["Leicestershire", "England"],
                                                              "pct_good_or_better": [90.0, 88.0]}))
    figure = Figure(kind="line", caption="Over time", alt="Line chart of good or better schools", svg=SVG,
                    data=pd.DataFrame({"x": [1]}), width=100, height=40)
    tiles = Tiles((Tile(key="inspections_pupils_good_or_better", label="Pupils in good or better schools", value=92.0,
                        unit="percent", england=90.0, versus="better", polarity="High", period="2025-12-31"),))
    return {"inspections": [Markdown("# Ofsted inspection outcomes", source="notebook"), tiles,
                            Markdown("## The LA against its benchmarks", source="notebook"),
                            Paragraph("92% of pupils attend a good or better school."), summary,
                            Markdown("## Over time", source="notebook"), Paragraph("It rose."), figure]}


def paper_of(**meeting) -> Paper:
    return build(front=FRONT, sections=sections(), meeting=CommitteeMeeting(**meeting), narrative=None,
                 sources=[Source("Ofsted, management information", "as at 31 December 2025")],
                 since=dt.date(2025, 8, 31), as_at=dt.date(2025, 12, 31))


def test_the_paper_has_a_council_reports_parts_in_order():
    paper = paper_of(officers=[Officer(name="A. Name", job_title="Assistant Director", email="a.name@leics.gov.uk")])
    titles = [p.title for p in paper.parts]
    assert titles == ["Purpose of report", "Recommendation", "Policy framework and previous decisions", "Background",
                      "Key messages", "Ofsted inspection outcomes", "Resource implications", "Equality implications",
                      "Background papers", "Officers to contact", "List of appendices"]
    text = " ".join(getattr(b, "text", "") or " ".join(getattr(b, "items", ())) for p in paper.parts for b in p.blocks)
    assert "The Committee is asked to note and comment on" in text and "Education Act 1996, section 13A" in text
    assert "Ofsted, management information (as at 31 December 2025)" in text and "a.name@leics.gov.uk" in text
    assert "Appendix A: Terms used in this report" in text
    assert not TOOL_WORDS.search(text)


def test_the_params_policy_and_the_narratives_replace_the_default():
    paper = paper_of(policy="On 9 July 2013 the Cabinet approved the partnership.\n\nOn 9 April 2013 it agreed ...")
    policy = next(p for p in paper.parts if p.title.startswith("Policy"))
    assert [b.text for b in policy.blocks] == ["On 9 July 2013 the Cabinet approved the partnership.",
                                               "On 9 April 2013 it agreed ..."]


def test_the_report_is_a_tagged_pdf_with_headings_numbered_paragraphs_tables_and_chart_alt_text(tmp_path):
    from tests.test_pdf import structure

    paper = paper_of(officers=[Officer(name="A. Name", job_title="Assistant Director")])
    assert pdf.write_report(paper, tmp_path / "r.pdf", created=dt.date(2025, 12, 31))
    tags = structure(tmp_path / "r.pdf")
    names = [tag for tag, _ in tags]
    assert names.count("H1") == 1 and names.count("H2") >= len(paper.parts)
    assert {"Table", "TH", "TD", "L", "LI", "Lbl"} <= set(names)
    assert [alt for tag, alt in tags if tag == "Figure"] == ["Line chart of good or better schools"]
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "r.pdf")
    assert reader.metadata.title == "School improvement report"
    assert str(reader.trailer["/Root"].get("/Lang")) == "en-GB"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Agenda item 7 · Page 1" in text and "REPORT OF THE DIRECTOR OF CHILDREN AND FAMILY SERVICES" in text


def test_the_page_and_the_pdf_are_made_from_the_same_paper(tmp_path):
    paper = paper_of()
    page = paper_html.page_html(paper, css="", la_name="Leicestershire", pack_title="Pack", sections=[], banner="",
                                footer="")
    numbers = [int(n) for n in re.findall(r'<li value="(\d+)">', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == sum(
        1 for _, items in paper.numbered() for n, _ in items if n is not None)
    assert '<h1>School improvement report</h1>' in page and 'alt="Line chart of good or better schools"' in page
    assert "<script" not in page


# ----------------------------------------------------------------- the sample committee pack and a real one
def page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def text_sizes(path: Path, pages: range | None = None) -> dict[float, int]:
    """How many characters of the PDF's text (or of those ``pages``, from 0) are set at each size (points, after
    every scaling)."""
    from pypdf import PdfReader

    sizes: dict[float, int] = {}
    for number, page in enumerate(PdfReader(path).pages):
        if pages is not None and number not in pages:
            continue
        def visit(text, cm, tm, font, size):  # noqa: ANN001, ARG001
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes[round(size * scale, 1)] = sizes.get(round(size * scale, 1), 0) + len(text.strip())
        page.extract_text(visitor_text=visit)
    return sizes


def check_report(pack: Path, *, place: str, body_pages: int = 15) -> list[str]:
    """What every committee report must be, whatever its LA: returns its pages' text."""
    from tests.test_pdf import structure

    pdf_path = pack / pdf.PDF_NAME
    pages = page_texts(pdf_path)
    first = pages[0]
    assert "REPORT OF THE DIRECTOR OF CHILDREN AND FAMILY SERVICES" in first and "Purpose of report" in first
    # the main body ends where the first appendix begins
    body = next(n for n, text in enumerate(pages) if re.search(r"^Appendix A: ", text, re.M))
    assert body <= body_pages, f"the body is {body} pages"
    for number, text in enumerate(pages, start=1):
        assert not TOOL_WORDS.search(text), (number, TOOL_WORDS.search(text))
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith(("Agenda item", "Page "))]
        assert len(lines) > 3, f"page {number} holds only {lines}"
    sizes = text_sizes(pdf_path)
    assert min(sizes) >= 9.0, sorted(sizes.items())  # table text (and the smallest chart text) at least 9 pt
    main = text_sizes(pdf_path, pages=range(body))
    assert max(main, key=lambda s: main[s]) >= 11.0  # the body's text (not the appendices' tables) at 11 pt
    tags = structure(pdf_path)
    names = [tag for tag, _ in tags]
    assert names.count("H1") == 1 and {"H2", "Table", "TH", "TD", "L", "LI"} <= set(names)
    figures = [alt for tag, alt in tags if tag == "Figure"]
    assert figures and all(len(alt) > 40 for alt in figures)
    page = (pack / "report.html").read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<style[^>]*>.*?</style>|<img[^>]*>", " ", page, flags=re.S))
    assert not TOOL_WORDS.search(shown), TOOL_WORDS.search(shown)
    assert page.count("<figure") == len(figures)  # a chart in the page for every chart in the PDF, alt text each
    assert 'href="report.html"' in (pack / "index.html").read_text(encoding="utf-8")
    return pages


@pytest.mark.pack
def test_the_sample_committee_pack_is_a_council_report(tmp_path):
    from leep_analysis.runner import run_pack

    pack = run_pack(PROJECT_DIR / "params" / "2025-26-spring.yaml", tmp_path, jobs=2, progress=False).parent
    pages = check_report(pack, place="Sampleshire (synthetic)")
    text = "\n".join(pages)
    for words in ("Sampleshire County Council (synthetic)", "8 JUNE 2026", "Agenda item 9", "Key messages",
                  "Resource implications", "Equality implications", "Risk", "Background papers", "Officers to contact",
                  "Alex Example (synthetic)", "List of appendices", "Appendix A: Evaluation against indicators A to G"):
        assert words in text, words
    # the two budget statements, each kept on one page with its caption
    for caption in ("LEEP fund: financial position statement", "Schools Causing Concern budget: financial position"):
        page = next(p for p in pages if caption in p)
        assert "Variance against allocation" in page.split(caption, 1)[1]


@pytest.mark.pack
def test_a_real_committee_pack_is_a_council_report(real, tmp_path):
    import yaml

    from benchmarks.batch import real_params
    from leep_analysis.runner import run_pack

    path = real_params(real, tmp_path / "autumn.yaml")
    values = yaml.safe_load(path.read_text())
    values.update(audience="committee", committee={"council": "Leicestershire County Council",
                                                   "meeting_date": "2026-03-02", "agenda_item": "7"})
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    pack = run_pack(path, tmp_path / "out", jobs=2, progress=False).parent
    pages = check_report(pack, place="Leicestershire", body_pages=10)
    assert "Leicestershire County Council" in pages[0] and "2 MARCH 2026" in pages[0]
    assert "Leicestershire is in the top quarter of local authorities" in "\n".join(pages).replace("\n", " ")


def test_a_report_figure_that_the_facts_give_another_value_is_named():
    from leep_analysis import facts
    from leep_analysis.paper.facts import disagreements, from_blocks

    known = facts.Facts(facts.frame([
        facts.row("inspections_pupils_good_or_better", 92.0, period=dt.date(2025, 12, 31)),
        facts.row("inspections_pupils_good_or_better", 90.4, area="england", period=dt.date(2025, 12, 31))]))
    found = from_blocks(sections())
    # the tile gives England 90 (no places), the facts 90.4: within its rounding; the LA's 92 is the facts' 92
    assert disagreements(found, known) == []
    wrong = facts.Facts(facts.frame([
        facts.row("inspections_pupils_good_or_better", 93.0, period=dt.date(2025, 12, 31))]))
    assert disagreements(found, wrong) == [
        "the report's 'Pupils in good or better schools' (la, 31 December 2025) is 92; the facts 93",
        "the report's 'Pupils in good or better schools' (england, 31 December 2025) is 90; the facts have no figure"]


def test_a_sentence_opening_on_a_withheld_figure_keeps_its_marker():
    from leep_analysis.paper.messages import capital

    # Rutland's report as at 31 May 2015 read "C of Rutland's c graded schools are good or outstanding"
    assert capital("c of Rutland's c graded schools are good") == "c of Rutland's c graded schools are good"
    assert capital("children reached a good level") == "Children reached a good level"
