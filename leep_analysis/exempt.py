"""The exempt appendix: the school-level tables a committee pack leaves out, for councillors only, not for publication.

A committee pack gives counts only (``disclosure``). Where councillors need the schools themselves (which
the LA supports, what it spends on each, which it has on its at-risk list and why), the params ask for an
exempt appendix (``committee: exempt_appendix: true``): the internal pack's school-level tables, named,
in a folder of their own beside the pack, ``<la_code>-<period>-exempt/`` (``exempt.html`` and
``exempt.pdf``), each page marked "Not for publication" with the paragraph of Schedule 12A to the Local
Government Act 1972 its information falls under. The public pack never holds it, never links to it, and
its manifest says only that one was produced. It is built only when asked for, and published in one step
as the pack is (``publishing.publish``).
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import workspace
from .content import Block, Paragraph, Table
from .wording import long_date

if TYPE_CHECKING:
    from .inputs import Inputs

#: What the folder's name adds to the pack's: ``855-2025-26-autumn-exempt``.
SUFFIX = "-exempt"
PAGE, PDF = "exempt.html", "exempt.pdf"
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"

#: Schedule 12A, Part 1: the paragraphs an appendix's tables fall under.
PARAGRAPHS = {
    1: "information relating to any individual",
    2: "information which is likely to reveal the identity of an individual",
    3: "information relating to the financial or business affairs of any particular person (including the "
       "authority holding that information)",
}
#: All a public pack's manifest says of its exempt appendix.
MANIFEST_NOTE = "an exempt appendix was produced (not for publication; not part of this pack)"
#: The files of the appendix are its owner's only, as its folder is.
FILE_MODE = 0o600
#: The early-warning table in the appendix lists every school with an alert (the pack's page lists those
#: suggested for targeted or intensive support and points to its spreadsheet, which a committee pack has not).
ALL_ALERTS_NOTE = ("Every school with at least one alert, highest score first: this appendix is the only place "
                   "the schools are listed; the published report gives counts only.")
PUBLIC_INTEREST = ("In all the circumstances of the case, the public interest in maintaining the exemption is "
                   "considered to outweigh the public interest in disclosing the information.")


@dataclass(frozen=True)
class Part:
    """One section's school-level tables, and the paragraphs of Schedule 12A they fall under."""

    section: str
    title: str
    paragraphs: tuple[int, ...]
    blocks: tuple[Block, ...]


def folder_name(pack_folder: str) -> str:
    """The exempt appendix's folder beside the pack: ``<pack folder>-exempt``."""
    return pack_folder + SUFFIX


def category(paragraphs: Sequence[int]) -> str:
    """The exempt category in words: "Local Government Act 1972, Schedule 12A, paragraph 3: information ..."."""
    which = sorted(set(paragraphs))
    numbers = " and ".join(", ".join(str(p) for p in which).rsplit(", ", 1))
    said = "; ".join(PARAGRAPHS[p] for p in which)
    return (f"Exempt information under Part 1 of Schedule 12A to the Local Government Act 1972, paragraph"
            f"{'s' if len(which) > 1 else ''} {numbers}: {said}.")


def parts(inputs: Inputs) -> list[Part]:
    """The school-level tables of the pack's sections, as an internal pack shows them (named).

    ``inputs`` are the committee pack's; each section is worked out again for an internal pack, from inputs of
    its own (so nothing the committee pack's run cache holds is read or changed).
    """
    from .sections import budget as budget_section
    from .sections import concerns as concerns_section
    from .sections import inspections as inspections_section
    from .sections import support as support_section

    def tables(*found: object) -> tuple[Block, ...]:
        out: list[Block] = []
        for item in found:
            for block in item if isinstance(item, list) else [item]:
                if isinstance(block, Table) and block.shown:
                    out.append(_whole(block))
        return tuple(out)

    chosen = inputs.params.sections
    out: list[Part] = []
    makers: list[tuple[str, str, tuple[int, ...], Callable[[], tuple[Block, ...]]]] = []
    if "inspections" in chosen:
        def inspections() -> tuple[Block, ...]:
            result = inspections_section.analyse(inputs)
            return tables(inspections_section.views.schools(result), inspections_section.views.rise(result))
        makers.append(("inspections", "Schools inspected since the last report, and those below good then",
                       (3,), inspections))
    if "support" in chosen:
        def support() -> tuple[Block, ...]:
            return tables(support_section.views.schools(support_section.analyse(inputs)))
        makers.append(("support", "Schools supported", (3,), support))
    if "budget" in chosen:
        def budget() -> tuple[Block, ...]:
            result = budget_section.analyse(inputs)
            return tables(budget_section.views.schools(result), budget_section.views.payees(result))
        makers.append(("budget", "Spending by school and by payee", (1, 2, 3), budget))
    if "concerns" in chosen:
        def concerns() -> tuple[Block, ...]:
            result = concerns_section.analyse(inputs)
            views = concerns_section.views
            return tables(views.schools(result), views.exits(result), views.risks(result.alerts))
        makers.append(("concerns", "Schools causing concern and the early-warning list", (1, 2, 3), concerns))
    for section, title, paragraphs, make in makers:
        blocks = make()
        if blocks:
            out.append(Part(section, title, paragraphs, (Paragraph(category(paragraphs), "note"), *blocks)))
    return out


def _whole(table: Table) -> Table:
    """A table as the appendix shows it: the early-warning list whole (the internal page shows its top rows and
    points to the spreadsheet of tables for the rest, which is not published with a committee pack); a note
    pointing to the spreadsheet of tables points to the internal pack's (a committee pack's holds no school)."""
    if table.name != "risk_alerts" or table.data is None:
        notes = table.notes.replace("the spreadsheet of tables", "the internal pack's spreadsheet of tables") \
            if table.notes else table.notes
        return table if notes == table.notes else replace(table, notes=notes)
    frame = table.data.drop(columns=[c for c in ("urn",) if c in table.data])
    return replace(table, frame=frame, data=None, notes=ALL_ALERTS_NOTE, suppressed=table.data_suppressed,
                   data_suppressed=frozenset())


def internal_inputs(inputs: Inputs, cache: Path) -> Inputs:
    """The committee pack's inputs as an internal pack's (names shown), with a run cache of their own."""
    from .inputs import Inputs

    params = inputs.params.model_copy(update={"audience": "internal", "committee": None})
    cache.mkdir(parents=True, exist_ok=True)
    return Inputs(params, cache_dir=cache, params_file=inputs.params_file)


def page(found: Sequence[Part], *, title: str, place: str, as_at: str, css: str, banner: str = "") -> str:
    """The appendix as one page: the marking at the top and foot, each part's category, then its tables."""
    from .render import html as render_html

    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    mark = f'<p class="leep-exempt"><strong>{NOT_FOR_PUBLICATION}</strong></p>'
    body = []
    n = 0
    for part in found:
        body.append(f"<h2>{esc(part.title)}</h2>")
        for block in part.blocks:
            n += isinstance(block, Table)
            body.append(render_html.block_html(block, section=part.section, tables=n))
    paragraphs = sorted({p for part in found for p in part.paragraphs})
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><meta name="robots" content="noindex">'
            f"<title>{esc(title)}: {NOT_FOR_PUBLICATION}</title><style>{css}</style></head><body><main>"
            f"{mark}{f'<p>{esc(banner)}</p>' if banner else ''}<h1>{esc(title)}</h1>"
            f"<p>{esc(place)}, figures as at {esc(as_at)}.</p><p>{esc(category(paragraphs))} {esc(PUBLIC_INTEREST)}</p>"
            "<p>This appendix is not part of the published report and must not be published, copied or passed on.</p>"
            + "".join(body) + f"{mark}</main></body></html>\n")


def build(inputs: Inputs, place: str, out_dir: Path, pack_folder: str, cache: Path, *, banner: str = "") -> Path:
    """Write the exempt appendix into a new build folder in ``out_dir`` (``publish`` moves it into place) and
    return that folder."""
    from .export import house_css
    from .pages import pack_title, period_label
    from .render import pdf

    params = inputs.params
    internal = internal_inputs(inputs, cache / "exempt")
    found = parts(internal)
    title = f"Exempt appendix to the report: {pack_title(inputs, place)}"
    folder = Path(tempfile.mkdtemp(prefix=f"{workspace.BUILDING}{folder_name(pack_folder)}-", dir=out_dir))
    try:
        (folder / PAGE).write_text(page(found, title=title, place=place, as_at=long_date(params.as_at),
                                        css=house_css(), banner=banner), encoding="utf-8")
        paragraphs = sorted({p for part in found for p in part.paragraphs}) or [3]
        # every page's header gives the cover's LA and period: the marking goes with them
        cover = pdf.Cover(la=f"{NOT_FOR_PUBLICATION}: {place} (LA {params.la_code})", title=title, period=period_label(params.period),
                          audience=f"{NOT_FOR_PUBLICATION}. {category(paragraphs)}", as_at=long_date(params.as_at),
                          synthetic=banner)
        pdf.write_pdf(cover, [(p.section, p.title, p.blocks) for p in found], folder / PDF, created=params.as_at)
        for written in folder.iterdir():  # not for publication: readable by its owner only, as the folder is
            written.chmod(FILE_MODE)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder
