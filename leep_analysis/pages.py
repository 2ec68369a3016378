"""The pack's navigation and contents page (``index.html``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from . import freshness, registry
from .config import SYNTHETIC_BANNER, TEMPLATE_DIR, load_config
from .content import Block, Tile, tiles_of
from .export import Page, house_css
from .inputs import Inputs, InputSpec, describe_files
from .render.html import tile_html
from .render.pdf import PDF_NAME
from .school_year import period_label
from .wording import long_date

AUDIENCE = {
    "internal": "Internal: for the partnership's strategic group; schools are named",
    "committee": "Committee: for publication; no school named or listed, small numbers suppressed",
}


def la_name(inputs: Inputs) -> str:
    """The reported LA's name, from the neighbours workbook (or the benchmark data)."""
    code = inputs.params.la_code
    neighbours = inputs.get("neighbours")
    names = neighbours.loc[neighbours["la_code"] == code, "la_name"]
    if not names.empty:
        return str(names.iloc[0])
    if "lait" in {s.key for s in inputs.needed()}:
        lait = inputs.get("lait")
        names = lait.loc[lait["la_code"] == code, "area"]
        if not names.empty:
            return str(names.iloc[0])
    return f"LA {code}"


def pack_title(inputs: Inputs, name: str) -> str:
    params = inputs.params
    return params.title or f"School improvement report: {period_label(params.period)}"


def facts(inputs: Inputs, name: str) -> dict[str, str]:
    """What the cover of the PDF and of the workbook say: title, LA, period, as-at date, audience."""
    params = inputs.params
    return {"title": pack_title(inputs, name), "la": f"{name} (LA {params.la_code})",
            "period": period_label(params.period), "as_at": long_date(params.as_at),
            "audience": AUDIENCE[params.audience]}


#: The committee report's entry in a committee pack's navigation and contents (``paper``).
REPORT_LINK = {"id": "report", "title": "Committee report", "href": "report.html",
               "summary": "the report to the committee: key messages, each section in brief, the implications and "
                          "appendices (the same report as pack.pdf)"}


def section_links(sections: list[str], current: str | None, *, report: bool = False) -> list[dict[str, Any]]:
    """The pack's pages in order, for its navigation and contents: the committee report first where there is one."""
    titles = registry.SECTIONS
    links = [{**REPORT_LINK, "current": current == "report"}] if report else []
    return links + [
        {"id": s, "title": titles[s].title, "summary": titles[s].summary, "href": f"{s}.html",
         "current": s == current}
        for s in sections
    ]


def section_page(inputs: Inputs, section: str, name: str) -> Page:
    """Template context of one section's page."""
    title = registry.SECTIONS[section].title
    pack = pack_title(inputs, name)
    return Page(
        title=f"{title}: {pack}",
        la_name=f"{name} (LA {inputs.params.la_code})",
        pack_title=pack,
        sections=section_links(inputs.params.sections, section, report=inputs.params.for_committee),
        synthetic=inputs.on_sample or bool(inputs.sample_in(section)),
        banner=SYNTHETIC_BANNER if inputs.on_sample else _sample_note(inputs.sample_in(section)),
        footer=_footer(inputs),
    )


def _sample_note(specs: list[InputSpec]) -> str:
    """The banner of a page on the LA's files that takes some input from the sample on purpose."""
    if not specs:
        return ""
    return ("Sample, not the LA's own: " + "; ".join(s.title for s in specs)
            + ": taken from the embedded synthetic sample, as the params file asks.")


def _footer(inputs: Inputs) -> str:
    return (f"Figures as at {long_date(inputs.params.as_at)}. Every source behind them, with its date, is listed on "
            "the report's contents page.")


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(n // 1000, 1)} KB"


def ordered_tiles(blocks: Mapping[str, list[Block]]) -> list[dict[str, Any]]:
    """Each tile once, linking to the section its figure comes from, in the order ``config/tiles.yaml`` sets.

    The summary's tiles first, in their configured order; then the others by
    section in pack order, each section's in the order its page shows them.
    ``blocks`` are each section's blocks, in pack order.
    """
    tiles: dict[str, Tile] = {}
    home: dict[str, tuple[int, str]] = {}
    position: dict[str, int] = {}
    for rank, (section, found) in enumerate(blocks.items()):
        for n, tile in enumerate(tiles_of(found)):
            tiles[tile.key] = tile
            home[tile.key] = (rank, section)  # the last section to show a tile is where its figure comes from
            position[tile.key] = n
    first = {key: i for i, key in enumerate(load_config("tiles")["summary"])}
    order = sorted(tiles, key=lambda k: (first.get(k, len(first)), home[k][0], position[k]))
    return [{"html": tile_html(tiles[k], href=f"{home[k][1]}.html")} for k in order]


def write_index(inputs: Inputs, pack_dir: Path, name: str, blocks: Mapping[str, list[Block]]) -> None:
    """Write ``index.html``: facts of the pack, headline tiles, sections, data sources."""
    params = inputs.params
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    tiles = ordered_tiles(blocks)
    files = [{**f, "size": _size(f["bytes"])} for f in describe_files(inputs)]
    html = env.get_template("index.html.j2").render(
        css=house_css(),
        la_name=f"{name} (LA {params.la_code})",
        la_code=params.la_code,
        la_short=name,
        pack_title=pack_title(inputs, name),
        period_label=period_label(params.period),
        as_at=long_date(params.as_at),
        since=long_date(params.since),
        audience_label=AUDIENCE[params.audience],
        synthetic=inputs.on_sample,
        banner=SYNTHETIC_BANNER,
        sample_note=_sample_note([s for s in inputs.needed() if inputs.is_sample(s.key)]),
        sections=section_links(params.sections, None, report=params.for_committee),
        report=params.for_committee,
        tiles=tiles,
        glossary=load_config("glossary")["terms"],
        has_pdf=(pack_dir / PDF_NAME).exists(),
        files=files,
        freshness=freshness.index_rows(inputs),
        footer=_footer(inputs),
    )
    (pack_dir / "index.html").write_text(html, encoding="utf-8")
