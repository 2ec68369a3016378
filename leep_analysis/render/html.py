"""A block as HTML: what the pack's pages and JupyterLab show.

Every text is escaped, so a name from an input can never become markup; a
table's cells are ``tables.cell_text`` wrapped in the house classes (numbers
right-aligned, the row-label column, RAG badges and trend arrows that read
without colour); a figure is its SVG embedded as a data URI, so the page works
offline.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable

from ..content import (
    Block,
    Column,
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
from ..tables import (
    MISSING,
    RAG_SHAPES,
    SUPPRESSED,
    TREND_ARROWS,
    VERSUS,
    cell_text,
    is_missing,
    label_column,
    rows,
)
from ..wording import number

#: Charts are shown at the size a 110 dpi image of them would have (SVG measures them in points).
PIXELS_PER_POINT = 110 / 72
_ESC = html.escape


def rag_html(value: object) -> str:
    """A RAG rating as a coloured badge with its shape and word ("not rated" and the like as plain text)."""
    text = str(value)
    word = text.strip().lower()
    if word not in RAG_SHAPES:
        return _ESC(text.capitalize())
    return (f'<span class="leep-rag leep-rag-{word}"><span class="leep-rag-shape" aria-hidden="true">'
            f"{RAG_SHAPES[word]}</span> {word.capitalize()}</span>")


def trend_html(value: object) -> str:
    """A trend (or several, '; '-separated) as an arrow and its word, coloured green when better, red when worse."""
    parts = []
    for part in str(value).split("; "):
        arrow = TREND_ARROWS.get(part.strip().lower())
        parts.append(_ESC(part) if arrow is None else
                     f'<span class="leep-trend leep-trend-{arrow[1]}"><span aria-hidden="true">{arrow[0]}</span> '
                     f"{_ESC(part)}</span>")
    return "; ".join(parts)


def versus_html(versus: str) -> str:
    """A tile's line saying whether the LA is better or worse than England ("" where it is not compared)."""
    if versus not in VERSUS:
        return ""
    arrow, words = VERSUS[versus]
    css = {"better": "better", "worse": "worse", "in_line": "same"}[versus]
    return (f'<span class="leep-tile-versus leep-trend-{css}"><span aria-hidden="true">{arrow}</span> '
            f"{words}</span>")


def tile_value(tile: Tile) -> str:
    """A tile's figure as text: in its unit, ``c`` where withheld, its own word where it has none."""
    if tile.suppressed:
        return SUPPRESSED
    if tile.value is None:
        return tile.missing
    if tile.unit == "money":
        return f"£{tile.value:,.{tile.decimals}f}"
    if tile.unit == "count":
        return f"{int(round(tile.value)):,}"
    return number(tile.value, "percent" if tile.unit == "percent" else "", tile.decimals, words=False)


def fact_attributes(measure: str, area: str, period: str, value: object) -> str:
    """The measure, area, date and raw value of a figure, as data attributes a reader of the page can check
    against the pack's facts table (``tables/facts.csv``)."""
    if value is None or is_missing(value):
        return ""
    return (f' data-measure="{_ESC(measure)}" data-area="{_ESC(area)}" data-period="{_ESC(period)}" '
            f'data-value="{float(value)!r}"')  # type: ignore[arg-type]


def cites_attribute(cites: tuple) -> str:
    """A sentence's cited facts (measure, area, period, value, places shown) as a data attribute."""
    if not cites:
        return ""
    found = [[m, a, p, None if is_missing(v) else v, d] for m, a, p, v, d in cites]
    return f" data-cites='{_ESC(json.dumps(found), quote=True)}'"


def tile_html(tile: Tile, *, href: str | None = None) -> str:
    """One tile: figure, label, detail and its comparison with England (a link on the index)."""
    facts = "" if tile.suppressed else fact_attributes(tile.key, "la", tile.period, tile.value)
    inner = (f'<span class="leep-tile-value"{facts}>{_ESC(tile_value(tile))}</span>'
             f'<span class="leep-tile-label">{_ESC(tile.label)}</span>'
             f'<span class="leep-tile-detail">{_ESC(tile.detail)}</span>{versus_html(tile.versus)}')
    if href is not None:
        return f'<a class="leep-tile" href="{_ESC(href)}">{inner}</a>'
    return f'<div class="leep-tile">{inner}</div>'


def table_html(table: Table, *, section: str, number: int, committee: bool = False) -> str:
    """A table as accessible HTML: numbered caption, header row, formatted cells, notes.

    A table written to the pack but not shown (``Table.shown`` False) is one line saying where it is.
    """
    if not table.shown:  # written to the CSVs and the spreadsheet of tables, which the index page lists
        return ""
    columns = table.visible
    label = label_column(table)
    css = {c: "num" if table.columns[c].numeric else ("text label" if c == label else "text") for c in columns}
    head = "".join(f'<th scope="col" class="{css[c]}">{_ESC(table.columns[c].label)}</th>' for c in columns)
    body = []
    for position, row in enumerate(rows(table)):
        cells = []
        for column in columns:
            spec = table.columns[column]
            withheld = (position, column) in table.suppressed
            text = cell_text(row[column], spec, row, suppressed=withheld)
            if spec.kind == "rag" and not withheld and text != MISSING:
                inner = rag_html(row[column])
            elif spec.kind == "trend" and not withheld and text != MISSING:
                inner = trend_html(row[column])
            else:
                inner = _ESC(text)
            fact = "" if withheld else _cell_fact(spec, row, row[column])
            cells.append(f'<td class="{css[column]}"{fact}>{inner}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="leep-table-note">{_ESC(table.notes)}</p>' if table.notes else ""
    empty = f'<tr><td colspan="{len(columns)}" class="text">None.</td></tr>' if not body else ""
    return (
        # a wide table scrolls: the region takes keyboard focus so it can be scrolled without a mouse
        f'<div class="leep-table-wrap" tabindex="0" role="region" aria-label="Table {number}">'
        f'<table class="leep-table" id="table-{_ESC(f"{section}-{table.name}")}"'
        f'{withheld_attribute(table) if committee else ""}>'
        f"<caption><strong>Table {number}:</strong> {_ESC(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}{empty}</tbody></table>{note}</div>"
    )


def withheld_attribute(table: Table) -> str:
    """A committee page's table: the cells it withholds and its rows' keys (its text and code columns' raw values),
    as a data attribute, so that the disclosure audit (``audit``) can set a chart's data against the table."""
    from ..content import _scalar

    keys = [c for c in table.frame.columns if not table.columns[c].numeric]
    data = {"withheld": sorted([r, c] for r, c in table.suppressed),
            "keys": {c: [_scalar(v) for v in table.frame[c]] for c in keys}}
    return f" data-withheld='{_ESC(json.dumps(data, default=str), quote=True)}'"


def _cell_fact(spec: Column, row: dict, value: object) -> str:
    """A table cell's data attributes where its column names its measure (``content.of_measure``)."""
    if not (spec.measure or spec.measure_from) or isinstance(value, str):
        return ""
    if spec.measure_when is not None and str(row.get(spec.measure_when[0])) != spec.measure_when[1]:
        return ""
    measure = spec.measure or row.get(spec.measure_from)
    area = spec.area or (row.get(spec.area_from) if spec.area_from else "la")
    period = spec.period or (row.get(spec.period_from) if spec.period_from else "")
    if not isinstance(measure, str):
        return ""
    from ..facts import AREA_CODES, period_of

    return fact_attributes(measure, AREA_CODES.get(str(area), str(area)), period_of(period), value)


def figure_html(figure: Figure, *, number: int) -> str:
    """A figure as self-contained HTML: embedded SVG, alt text, numbered caption."""
    data = base64.b64encode(figure.svg.encode("utf-8")).decode("ascii")
    width, height = round(figure.width * PIXELS_PER_POINT), round(figure.height * PIXELS_PER_POINT)
    return (
        f'<figure class="leep-figure" id="figure-{number}"{figure_attribute(figure)}>'
        f'<img src="data:image/svg+xml;base64,{data}" width="{width}" height="{height}" '
        f'alt="{html.escape(figure.alt, quote=True)}">'
        f"<figcaption><strong>Figure {number}:</strong> {_ESC(figure.caption)}</figcaption></figure>"
    )


def figure_attribute(figure: Figure) -> str:
    """The figure's data (what it draws) as a data attribute, so a reader, and the committee pack's disclosure
    audit (``audit``), can set it against the tables cell for cell."""
    from ..content import frame_to_json

    data = frame_to_json(figure.data)
    return f" data-figure='{_ESC(json.dumps({'columns': data['columns'], 'rows': data['rows']}), quote=True)}'"


def markdown_html(text: str) -> str:
    """Markdown an author wrote, with raw HTML disabled (``<script>`` shows as text), under the narrative's
    rule: no image or link from outside the pack (``sources.narrative.checked_tokens``)."""
    from ..sources.narrative import render

    return render(text)


def anchor(text: str) -> str:
    """A heading's id: its words, lower case, joined by hyphens."""
    return "-".join(text.lower().split())


def block_html(block: Block, *, section: str, tables: int = 0, figures: int = 0, committee: bool = False) -> str:
    """A block's HTML; ``tables`` and ``figures`` are its number when it is a table or a figure."""
    render: dict[type, Callable[[], str]] = {
        Heading: lambda: f'<h{block.level} id="{_ESC(anchor(block.text))}">{_ESC(block.text)}</h{block.level}>',
        Paragraph: lambda: f"<p{_css('leep-table-note' if block.role == 'note' else block.role)}"
                           f"{cites_attribute(block.cites)}>{_ESC(block.text)}</p>",
        Points: lambda: "<ul>" + "".join(f"<li{cites_attribute(c)}>{_ESC(i)}</li>"
                                         for i, c in zip(block.items, _each(block), strict=True)) + "</ul>",
        Sentences: lambda: '<ul class="leep-sentences">' + "".join(
            f'<li class="{"leep-notable" if notable else "leep-quiet"}"{cites_attribute(c)}>{_ESC(text)}</li>'
            for (text, notable), c in zip(block.items, _each(block), strict=True)) + "</ul>",
        Markdown: lambda: '<div class="leep-narrative">'
                          + (markdown_html(block.text) if block.text.strip() else "<p>None entered.</p>") + "</div>",
        Tiles: lambda: '<div class="leep-tiles">' + "".join(tile_html(t) for t in block.tiles) + "</div>",
        Table: lambda: table_html(block, section=section, number=tables, committee=committee),
        Figure: lambda: figure_html(block, number=figures),
    }
    return render[type(block)]()


def _each(block: Points | Sentences) -> tuple:
    """Each item's cited facts (none where the block cites none)."""
    return block.cites if len(block.cites) == len(block.items) else ((),) * len(block.items)


def _css(name: str) -> str:
    return f' class="{_ESC(name)}"' if name else ""


_SVG_SIZE = re.compile(r'width="([0-9.]+)pt" height="([0-9.]+)pt"')


def svg_size(svg: str) -> tuple[float, float]:
    """An SVG's width and height in points, from matplotlib's header."""
    found = _SVG_SIZE.search(svg)
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)
