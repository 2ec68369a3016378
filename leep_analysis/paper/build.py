"""The committee report, assembled from the pack's blocks: the parts of a council scrutiny paper, in order.

``build`` takes plain inputs (the blocks each section recorded, the meeting from
the params, the LA's narrative, the background papers) so that it is tested
without a pack; ``from_pack`` gathers them for a pack the runner has just built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..config import load_config
from ..content import Block, Paragraph, Points, Table, text
from ..wording import long_date
from . import parts
from .facts import Fact, disagreements, from_blocks
from .messages import _and, key_messages
from .model import Appendix, FrontSheet, Paper, Part, is_paragraph, words

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..params import CommitteeMeeting


#: The report as a page of the committee pack.
REPORT_PAGE = "report.html"


@dataclass(frozen=True)
class Source:
    """A background paper: a published source (or a record the LA keeps) and which version was used
    ("as at 31 December 2025; figures to 2025"; "" where not known)."""

    title: str
    when: str


def build(*, front: FrontSheet, sections: Mapping[str, Sequence[Block]], meeting: CommitteeMeeting,
          narrative: Mapping[str, Any] | None, sources: Sequence[Source], since: dt.date, as_at: dt.date,
          facts: Sequence[Fact] | None = None) -> Paper:
    """The committee report of a pack.

    Parameters
    ----------
    front : the front sheet.
    sections : each section id -> its blocks, in pack order.
    meeting : the params' ``committee`` block (policy paragraphs, officers).
    narrative : the LA's narrative (``sources.narrative.load_narrative``), or None where the pack reads none.
    sources : the background papers.
    since, as_at : the last report's date and this report's.
    facts : the facts the key messages are written from (default: ``facts.from_blocks(sections)``).
    """
    config = words()
    given = narrative or {}
    facts = list(from_blocks(sections) if facts is None else facts)
    letters = _letters(sections)
    topics = [config["topics"][s] for s in sections if s in config["topics"]]
    period = front.period[0].lower() + front.period[1:]

    compared = " Achievement and inspection outcomes are set against England, the region and the authority's " \
        "statistical neighbours." if {"achievement", "inspections"} & set(sections) else ""
    body: list[Part] = [
        Part("Purpose of report", (Paragraph(
            f"To report to the Committee on school improvement in {front.place} in the {period}, with figures as at "
            f"{front.as_at}: {_and(topics)}.{compared}"),)),
        Part("Recommendation", (Paragraph("The Committee is asked to note and comment on the contents of this "
                                          "report."),)),
        Part("Policy framework and previous decisions",
             tuple(parts.narrative(str(given.get("policy") or "")) or parts.narrative(meeting.policy or "")
                   or [Paragraph(config["policy"])])),
        Part("Background", tuple(parts.narrative(str(given.get("background") or "")) or [Paragraph(
            f"The Committee receives a report on school improvement in {front.place} each term.")]) + (Paragraph(
                f"The figures in this report are as at {long_date(as_at)}; changes since the last report are from "
                f"{long_date(since)}. Results are the latest the Department for Education has published for each "
                "phase, and inspection outcomes are Ofsted's."),)),
    ]
    messages = key_messages(facts, front.place)
    if messages:
        first = 1 + sum(1 for part in body for block in part.blocks if is_paragraph(block))
        body[1] = Part("Recommendation", (Paragraph(
            "The Committee is asked to note and comment on the contents of this report, and in particular on the "
            f"key messages in paragraphs {first} to {first + len(messages) - 1}."),))
        body.append(Part("Key messages", tuple(Paragraph(m) for m in messages)))
    makers = {"summary": lambda b: parts.evaluation(b, facts, letters.get("summary", "")),
              "achievement": lambda b: parts.achievement(b, facts, letters.get("achievement", "")),
              "inspections": parts.inspections, "support": parts.support, "concerns": parts.concerns}
    for section, title in config["parts"].items():
        if section in sections:
            found = makers[section](sections[section])
            if found:
                body.append(Part(title, tuple(found)))
    for title, found in (("Priorities and next steps", parts.priorities(given)),
                         ("National and regional contribution", parts.contribution(given))):
        if found:
            body.append(Part(title, tuple(found)))
    body += [
        Part("Resource implications", tuple(parts.resources(sections.get("budget"), config["no_resources"]))),
        Part("Equality implications", tuple(parts.equality(sections.get("achievement"), facts, config["equality"],
                                                           str(given.get("equality") or "")))),
    ]
    risk = parts.risk(facts, sections.get("budget"), str(given.get("risk") or ""))
    if risk:
        body.append(Part("Risk", tuple(risk)))
    appendices = _appendices(sections, letters)
    body += [Part("Background papers", (Points(tuple(f"{s.title} ({s.when})" if s.when else s.title
                                                     for s in sources)),), numbered=False)]
    if meeting.officers:
        body.append(Part("Officers to contact", tuple(
            Paragraph(line) for officer in meeting.officers for line in (
                f"{officer.name}, {officer.job_title}",
                "; ".join(x for x in (f"Telephone: {officer.telephone}" if officer.telephone else "",
                                      f"Email: {officer.email}" if officer.email else "") if x)) if line),
            numbered=False))
    body.append(Part("List of appendices", (Points(tuple(f"Appendix {a.letter}: {a.title}" for a in appendices)),),
                     numbered=False))
    return Paper(front=front, parts=tuple(body), appendices=tuple(appendices))


def _letters(sections: Mapping[str, Sequence[Block]]) -> dict[str, str]:
    """The appendix letter of each section that has one (A to G evaluation, achievement, inspections), then terms."""
    out: dict[str, str] = {}
    for section, name in (("summary", "indicators"), ("achievement", "benchmark"), ("inspections", "groups")):
        if section in sections and any(isinstance(b, Table) and b.name == name for b in sections[section]):
            out[section] = "ABCDEFG"[len(out)]
    out["terms"] = "ABCDEFG"[len(out)]
    return out


def _appendices(sections: Mapping[str, Sequence[Block]], letters: Mapping[str, str]) -> list[Appendix]:
    from .facts import find_table

    out = []
    if "summary" in letters:
        blocks = sections["summary"]
        table = find_table(blocks, "indicators")
        found: list[Block] = [parts.excerpt(table, caption="Evaluation against indicators A to G")] if table else []
        rules = next((b for b in blocks if isinstance(b, Points) and any(i.startswith("Green:") for i in b.items)),
                     None)
        if rules is not None:
            found.append(Paragraph("How each indicator is rated:", "lead"))
            found.append(rules)
        measures = find_table(blocks, "measures")
        if measures is not None:
            found.append(parts.excerpt(measures))
        out.append(Appendix(letters["summary"], "Evaluation against indicators A to G", tuple(found)))
    if "achievement" in letters:
        table = find_table(sections["achievement"], "benchmark")
        assert table is not None
        columns = ["phase", *parts.RESULT_COLUMNS]
        out.append(Appendix(letters["achievement"], "Every achievement indicator against its benchmarks", (
            parts.excerpt(table, columns=columns, notes=parts.RESULT_NOTES,
                          caption=f"Every indicator's latest year: {table.columns['la_value'].label} against "
                                  "England, the region and its statistical neighbours"),)))
    if "inspections" in letters:
        table = find_table(sections["inspections"], "groups")
        assert table is not None
        out.append(Appendix(letters["inspections"], "Ofsted grades by phase and governance", (parts.excerpt(table),)))
    glossary = load_config("glossary")["terms"]
    terms = Table(name="terms", caption="Terms used in this report",
                  frame=pd.DataFrame({"term": [t["term"] for t in glossary], "meaning": [t["meaning"] for t in glossary]}),
                  columns={"term": text("Term"), "meaning": text("Meaning")})
    out.append(Appendix(letters["terms"], "Terms used in this report", (terms,)))
    return out


# ------------------------------------------------------------------------------------------------ from a pack
def front_sheet(inputs: Inputs, place: str, synthetic: str = "") -> FrontSheet:
    """The front sheet of a pack's report: the meeting from the params, the rest from the pack."""
    from ..pages import pack_title, period_label
    from ..params import CommitteeMeeting

    params = inputs.params
    meeting = params.committee or CommitteeMeeting()
    return FrontSheet(council=meeting.council or place, committee=meeting.committee,
                      date=long_date(meeting.meeting_date) if meeting.meeting_date else "",
                      agenda_item=meeting.agenda_item or "", title=meeting.title or pack_title(inputs, place),
                      report_of=meeting.report_of, place=place, period=period_label(params.period),
                      as_at=long_date(params.as_at), synthetic=synthetic)


def background_papers(inputs: Inputs) -> list[Source]:
    """Each input of the pack as a background paper, with the date of the version used (``freshness``)."""
    from .. import freshness

    titles = words()["background_papers"]
    out, seen = [], set()
    for row in freshness.table(inputs).to_dict("records"):
        title = titles.get(row["key"], row["title"])
        if not title or title in seen:
            continue
        seen.add(title)
        when = []
        if row["as_at"]:
            when.append(f"as at {long_date(row['as_at'])}")
        if row["latest_data"] and not str(row["latest_data"]).startswith("latest "):  # not a register's last entry
            when.append(str(row["latest_data"]))
        out.append(Source(title, "; ".join(when)))
    return out


def from_pack(inputs: Inputs, place: str, sections: Mapping[str, Sequence[Block]], synthetic: str = "") -> Paper:
    """The committee report of a pack just built: its blocks, the params' meeting, the narrative, its inputs."""
    from ..params import CommitteeMeeting

    params = inputs.params
    narrative = inputs.get("narrative") if "narrative" in {s.key for s in inputs.needed()} else None
    return build(front=front_sheet(inputs, place, synthetic), sections=sections,
                 meeting=params.committee or CommitteeMeeting(), narrative=narrative,
                 sources=background_papers(inputs), since=params.since, as_at=params.as_at)


def write(inputs: Inputs, place: str, sections: Mapping[str, Sequence[Block]], folder: Path, *,
          synthetic: str = "", known: Any = None) -> Paper:
    """Write a committee pack's report: ``pack.pdf`` (its PDF, for the agenda pack) and ``report.html`` (the same
    report as a page of the pack, linked from its index). Returns the report.

    Raises
    ------
    NotebookError
        A figure the report would state that the pack's facts (``known``, ``leep_analysis.facts.Facts``) give
        another value: each named in one line, before anything is written.
    """
    from ..errors import NotebookError
    from ..export import house_css
    from ..pages import facts, pack_title, section_links
    from ..render import paper_html, pdf

    if known is not None:
        problems = disagreements(from_blocks(sections), known)
        if problems:
            raise NotebookError("the committee report does not agree with the pack's facts (tables/facts.csv):\n  "
                                + "\n  ".join(problems[:20]))
    report = from_pack(inputs, place, sections, synthetic)
    pdf.write_report(report, folder / pdf.PDF_NAME, created=inputs.params.as_at)
    paper_html.write_page(report, folder / REPORT_PAGE, css=house_css(), la_name=facts(inputs, place)["la"],
                          pack_title=pack_title(inputs, place), banner=synthetic, footer=front_footer(inputs),
                          sections=section_links(inputs.params.sections, "report", report=True))
    return report


def front_footer(inputs: Inputs) -> str:
    return f"Figures as at {long_date(inputs.params.as_at)}. The same report is the pack's PDF, for the agenda."
