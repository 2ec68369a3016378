"""The committee report's parts made from each section's recorded blocks: what a councillor needs of each.

Each function takes a section's blocks (``content.from_notebook``) and the pack's
facts, and returns the blocks of one part of the report: the section's own
sentences where they are already written for a reader (the inspections
section's comparisons, the support and concerns sections' key messages, the
budget statements), sentences from the facts where a table holds the figures
(achievement), and at most a few short tables cut from the section's own
(``excerpt``), never re-computed. Long tables go to appendices (``appendix_*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from ..content import Block, Figure, Heading, Markdown, Paragraph, Points, Table, hidden
from .facts import Fact, find_table
from .messages import _and, _lower, capital, comparisons, led, said, standing
from .model import paragraphs

#: Achievement groups reported under equality, in the order the report takes them.
DISADVANTAGED = ("Disadvantaged", "Free school meals")
SEND = ("SEN",)
LOOKED_AFTER = ("Children looked after",)
#: The benchmark table's columns the report's appendix shows; the body's tables leave out the change, which
#: their paragraphs give, so that they fit a portrait page at 9 pt.
RESULT_COLUMNS = ["label", "year", "la_value", "england", "region", "sn_mean", "rank", "band", "change", "trend"]
BODY_COLUMNS = [c for c in RESULT_COLUMNS if c != "change"]
RESULT_NOTES = ("Rank among all local authorities with a figure, 1 best. Band: the quarter of local authorities the "
                "figure falls in, A best. Change: since the previous comparable year. Trend: over up to five "
                "comparable years.")
BODY_NOTES = ("Rank among all local authorities with a figure, 1 best. Band: the quarter of local authorities the "
              "figure falls in, A best. Trend: over up to five comparable years.")


#: Words of the tool, not of a council report: a sentence holding one is left out of what the report reuses.
TOOL_WORDS = re.compile(r"\.csv\b|\bparams\b|\b(?:the|this) pack\b|spreadsheet|this project|\bseed \d|"
                        r"[Rr]ules version|No rows\.|notebook|\bconfig/|\bdocs/|"
                        r"[Hh]ow (?:these|the) (?:figures|alerts|ratings) are worked out", re.I)


# ------------------------------------------------------------------------------------------------ helpers
def plain(text: str | None) -> str:
    """A section's sentences without those that speak of files, settings or the tool (see ``TOOL_WORDS``)."""
    if not text:
        return ""
    sentences = re.split(r"(?<=[.;:])\s+(?=[A-Z0-9%£(])", text.strip())
    return " ".join(s for s in sentences if not TOOL_WORDS.search(s)).strip()


def excerpt(table: Table, rows: Sequence[int] | None = None, columns: Sequence[str] | None = None, *,
            name: str | None = None, caption: str | None = None, notes: str | None = None) -> Table:
    """Some rows and columns of a section's table, with its column specs and withheld cells, as the report shows it.

    Columns a shown column's spec reads (a rank's "of", a measure's unit and places, a code's grouping) come
    along, hidden. ``rows`` are positions in the table's shown frame.
    """
    positions = list(range(len(table.frame))) if rows is None else list(rows)
    shown = [c for c in (columns or table.visible) if c in table.frame]
    needed = [ref for c in shown for ref in (table.columns[c].of, table.columns[c].unit_from,
                                             table.columns[c].decimals_from, table.columns[c].note_from,
                                             table.columns[c].codes_by) if ref and ref in table.frame]
    kept = list(dict.fromkeys([*shown, *needed]))
    specs = {c: table.columns[c] if c in shown else hidden(table.columns[c]) for c in kept}
    moved = {old: new for new, old in enumerate(positions)}
    withheld = {(moved[r], c) for r, c in table.suppressed if r in moved and c in kept}
    return Table(name=name or table.name, caption=plain(caption or table.caption),
                 frame=table.frame.iloc[positions][kept].reset_index(drop=True), columns=specs,
                 notes=plain(table.notes if notes is None else notes) or None, suppressed=frozenset(withheld),
                 source=table.source)


def shown(*tables: Table | None) -> list[Block]:
    """The tables that have rows (an empty one says nothing a sentence does not)."""
    return [t for t in tables if t is not None and len(t.frame)]


def under(blocks: Sequence[Block], heading: str) -> list[Block]:
    """The blocks after a heading of the section's page (a notebook's ``## heading`` or a ``Heading``) up to the next."""
    out: list[Block] = []
    inside = False
    for block in blocks:
        title = _heading(block)
        if title is not None:
            if inside:
                break
            inside = title == heading
            continue
        if inside:
            out.append(block)
    return out


def _heading(block: Block) -> str | None:
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Markdown) and block.source == "notebook" and block.text.lstrip().startswith("#"):
        return block.text.lstrip().split("\n", 1)[0].lstrip("#").strip()
    return None


def first_points(blocks: Iterable[Block]) -> list[str]:
    """The items of the first list of points (a section's key messages)."""
    found = next((b for b in blocks if isinstance(b, Points)), None)
    return list(found.items) if found is not None else []


def numbered(texts: Iterable[str]) -> list[Block]:
    """A section's sentences as numbered paragraphs (without words of the tool)."""
    return [Paragraph(capital(plain(t))) for t in texts if plain(t)]


def _count_words(n: int) -> str:
    from .messages import _count

    return _count(n)


def narrative(text: str) -> list[Block]:
    """The LA's words for a part, each paragraph numbered."""
    return paragraphs(text) if text and text.strip() else []


def results(facts: Sequence[Fact]) -> list[Fact]:
    """The achievement facts the report shows: each phase's charted or headline indicators, in page order."""
    from ..sections.achievement.analysis import all_indicators

    shown = {i.code for i in all_indicators() if i.chart or i.tile}
    return [f for f in facts if f.section == "achievement" and f.code in shown]


def _rows(table: Table, codes: Sequence[str]) -> list[int]:
    """Positions of the benchmark table's rows of these indicator codes, in the table's order."""
    wanted = set(codes)
    return [n for n, code in enumerate(table.frame["indicator"]) if str(code) in wanted]


# ------------------------------------------------------------------------------------------------ sections
def evaluation(blocks: Sequence[Block], facts: Sequence[Fact], letter: str) -> list[Block]:
    """Indicators A to G: the ratings in words, why each red or amber one is so, what changed; the short table."""
    out: list[Block] = [Paragraph(
        f"Appendix {letter} sets out the evaluation against the seven indicators (A to G) of the template the "
        "Committee agreed: for each, the national and local figures, the trend, a rating of red, amber or green, "
        "the evidence and the partnership's actions.")]
    measures = find_table(blocks, "measures")
    if measures is not None:
        out += numbered(_why(measures.written))
    since = find_table(blocks, "since_last_report")
    if since is not None:
        out += numbered([_rating_changes(since.written)])
    table = find_table(blocks, "indicators")
    if table is not None:
        out.append(excerpt(table, columns=["indicator", "description", "local", "national", "trend", "rag"],
                           caption="Indicators A to G: local and national figures, trend and rating", notes=""))
    return out


_VERSUS_NATIONAL = {"better": "better than national", "in_line": "in line with national",
                    "worse": "worse than national"}


def _why(measures: pd.DataFrame) -> list[str]:
    """A sentence per indicator rated red or amber: the measures that gave it that rating and why."""
    lines = []
    for letter, part in measures.groupby("indicator", sort=True):
        ratings = [r for r in part["rag"] if isinstance(r, str)]  # the ratings' codes: green, amber, red
        worst = "red" if "red" in ratings else "amber" if "amber" in ratings else ""
        if not worst:
            continue
        reasons = []
        for row in part[part["rag"].eq(worst)].to_dict("records"):
            versus = _VERSUS_NATIONAL.get(str(row.get("versus_national")), "")
            trend = str(row["trend"]) if isinstance(row.get("trend"), str) else ""
            reasons.append(str(row["measure"]) + " is " + " and ".join(x for x in (versus, trend) if x)
                           if versus or trend else str(row["measure"]))
        lines.append(f"{letter} is rated {worst}: {_and(reasons)}.")
    return lines


def _rating_changes(since: pd.DataFrame) -> str:
    """ "Since the last report, C has moved from amber to green; F and G from green to not rated." ("" if none)."""
    rows = since[since["measure"].astype(str).str.endswith(": rating")]
    moves: dict[tuple[str, str], list[str]] = {}
    for row in rows.to_dict("records"):
        before, now = str(row["previous"] or ""), str(row["now"] or "")
        if before and now and before != now:
            moves.setdefault((before, now), []).append(str(row["measure"]).split(":", 1)[0])
    if not moves:
        return "No indicator's rating has changed since the last report." if len(rows) else ""
    parts = [f"{_and(letters)} {'has' if len(letters) == 1 else 'have'} moved from {before} to {now}"
             for (before, now), letters in moves.items()]
    return "Since the last report, " + "; ".join(parts) + "."


def achievement(blocks: Sequence[Block], facts: Sequence[Fact], letter: str) -> list[Block]:
    """Each phase's headline results in a paragraph, the headline table, the two headline charts."""
    out: list[Block] = []
    intro = next((b for b in blocks if isinstance(b, Paragraph) and " is compared with " in b.text), None)
    if intro is not None:
        out += numbered([intro.text])
    shown = results(facts)
    by_phase: dict[str, list[Fact]] = {}
    for fact in shown:
        if fact.value is not None and not fact.suppressed:
            by_phase.setdefault(fact.phase, []).append(fact)
    for found in by_phase.values():
        out.append(Paragraph(" ".join(led(f) if n == 0 else standing(f) for n, f in enumerate(found))))
    table = find_table(blocks, "benchmark")
    if table is not None and shown:
        out.append(excerpt(table, _rows(table, [f.code for f in shown]), BODY_COLUMNS, name="headline_results",
                           caption=f"Headline results: {table.columns['la_value'].label} against England, the "
                                   "region and its statistical neighbours, latest year", notes=BODY_NOTES))
        out.append(Paragraph(f"Appendix {letter} gives the latest figure of every indicator, including those for "
                             "groups of pupils, against the same benchmarks."))
    for key in ("KS2RWM_Expected_STD", "AVG_Attain8_Score"):
        label = next((f.label for f in shown if f.code == key), None)
        chart = next((b for b in blocks if isinstance(b, Figure) and b.kind == "line" and label
                      and b.caption.startswith(f"{label}:")), None)
        if chart is not None:
            out.append(chart)
    return out


def inspections(blocks: Sequence[Block]) -> list[Block]:
    """The section's comparisons with the benchmarks, its summary table, the trend and the schools inspected since."""
    out: list[Block] = []
    benchmarks = under(blocks, "The LA against its benchmarks")
    out += numbered([b.text for b in benchmarks if isinstance(b, Paragraph)][:3])
    summary = find_table(blocks, "summary")
    if summary is not None:
        out.append(excerpt(summary, caption=summary.caption))
    over_time = under(blocks, "Over time")
    out += numbered([b.text for b in over_time if isinstance(b, Paragraph)][:1])
    out += [b for b in over_time if isinstance(b, Figure)][:1]
    since = under(blocks, "Schools inspected since the last report")
    out += numbered([b.text for b in since if isinstance(b, Paragraph)][:1])
    below = under(blocks, "Schools below good at the last report")
    out += numbered([b.text for b in below if isinstance(b, Paragraph) and b.text.startswith(("In Ofsted's file",
                                                                                            "Of the "))])
    return out


def support(blocks: Sequence[Block]) -> list[Block]:
    """The section's key messages, the schools supported by tier, and the next inspection against similar schools."""
    out = numbered(first_points(blocks))
    summary = find_table(blocks, "summary")
    if summary is not None and "group_by" in summary.frame:
        tiers = [n for n, g in enumerate(summary.frame["group_by"]) if g == "tier"]
        if tiers:
            out.append(excerpt(summary, tiers, ["group", "n_schools", "n_episodes", "pct_of_schools"],
                               name="tiers", caption=f"{summary.caption}: by the most intensive tier of support"))
    inspection = find_table(blocks, "inspection")
    if inspection is not None:
        out += shown(excerpt(inspection))
    return out


def concerns(blocks: Sequence[Block]) -> list[Block]:
    """The section's key messages, the categories and the statutory powers used; early warning in one sentence."""
    out = numbered(first_points(blocks))
    for name in ("categories", "powers"):
        table = find_table(blocks, name)
        if table is not None:
            out += shown(excerpt(table))
    warning = first_points(under(blocks, "Early warning"))
    out += numbered(warning[:1])
    return out


def resources(blocks: Sequence[Block] | None, no_resources: str) -> list[Block]:
    """Resource implications: the two budget statements, with the budget section's words on each."""
    if blocks is None:
        return [Paragraph(no_resources)]
    out = numbered(first_points(blocks))
    for name in ("leep_statement", "scc_statement"):
        table = find_table(blocks, name)
        if table is not None:
            out.append(excerpt(table))
    return out or [Paragraph(no_resources)]


def equality(blocks: Sequence[Block] | None, facts: Sequence[Fact], statement: str, words: str) -> list[Block]:
    """Equality implications: the gaps for disadvantaged pupils, pupils with SEND and children looked after."""
    out: list[Block] = [Paragraph(statement)]
    groups = [("Disadvantaged pupils", DISADVANTAGED), ("Pupils with special educational needs", SEND),
              ("Children looked after", LOOKED_AFTER)]
    chosen: list[Fact] = []
    for title, names in groups:
        found = [f for f in facts if f.section == "achievement" and f.group in names and f.value is not None
                 and not f.suppressed and (f.gap or names is not DISADVANTAGED)]
        if found:
            chosen += found
            out.append(Paragraph(f"{title}: " + " ".join(_brief(f, n == 0) for n, f in enumerate(found))))
    table = find_table(blocks or [], "benchmark")
    if table is not None and chosen:
        out.append(excerpt(table, _rows(table, [f.code for f in chosen]), BODY_COLUMNS, name="groups",
                           caption="Disadvantaged pupils, pupils with special educational needs and children "
                                   "looked after: latest year against the benchmarks", notes=BODY_NOTES))
    return out + narrative(words)


def _brief(fact: Fact, first: bool) -> str:
    """A fact in a sentence, against England only: "41% of pupils ... in 2025, below England (45%)"."""
    text = said(fact) + (f" in {fact.period}" if fact.period else "")
    england = comparisons(replace(fact, region=None, neighbours=None))
    text = (_lower(text) if first else text) + (f", {england}" if england else "")
    return text + "."


def risk(facts: Sequence[Fact], budget: Sequence[Block] | None, words: str) -> list[Block]:
    """Risk: results below England and the neighbours and declining, funds forecast to overspend, the LA's words."""
    out: list[Block] = []
    falling = [f for f in facts if f.section == "achievement" and f.value is not None and not f.suppressed
               and f.versus_england == "worse" and f.versus_neighbours == "worse" and f.trend == "declining"]
    if falling:
        named = [f"{f.label} ({f.period})" for f in falling[:6]]
        more = f" and {len(falling) - 6} more" if len(falling) > 6 else ""
        out.append(Paragraph(f"{capital(_count_words(len(falling)))} result{'s are' if len(falling) != 1 else ' is'} "
                             f"below England and the statistical neighbours and declining over recent years: "
                             f"{_and(named)}{more}."))
    statement = find_table(budget or [], "statement")
    if statement is not None and len(statement.written):
        data = statement.written
        latest = data[data["financial_year"].eq(data["financial_year"].max())]
        fund = statement.columns["fund"]
        for row in latest.to_dict("records"):
            variance = float(row["variance"]) if row.get("variance") is not None else 0.0
            if variance > 0:
                out.append(Paragraph(f"The {fund.label_of(row['fund'], row)} is forecast to overspend by "
                                     f"£{variance:,.0f} in {row['financial_year']}."))
    out += narrative(words)
    if not out and falling == [] and any(f.section == "achievement" for f in facts):
        out.append(Paragraph("No result in this report is both below England and the statistical neighbours and "
                             "declining."))
    return out


def priorities(words: Mapping[str, object]) -> list[Block]:
    """The partnership's priorities by term, and what helps and hinders it, from the narrative."""
    out: list[Block] = []
    terms = words.get("priorities") or {}
    if isinstance(terms, Mapping):
        for term, text in terms.items():
            if str(text).strip():
                out += _led(f"The partnership's priorities for the {term} term are:", str(text))
    for key, lead in (("enablers", "What helps the partnership:"), ("blockers", "What holds it back:")):
        text = str(words.get(key) or "")
        if text.strip():
            out += _led(lead, text)
    return out


def contribution(words: Mapping[str, object]) -> list[Block]:
    """National and regional contribution, and peer evaluation, from the narrative."""
    out: list[Block] = []
    for key, lead in (("contribution", "The authority's contribution to national and regional work:"),
                      ("peer_evaluation", "What national or regional evaluation has found:")):
        text = str(words.get(key) or "")
        if text.strip():
            out += _led(lead, text)
    return out


def _led(lead: str, text: str) -> list[Block]:
    """A numbered lead-in for an author's list, or the author's paragraphs as they are."""
    found = narrative(text)
    if found and isinstance(found[0], Markdown) and found[0].text.lstrip().startswith(("- ", "* ", "+ ")):
        return [Paragraph(lead), *found]
    return found
