"""The period's narrative: the words the partnership writes for the summary page.

A markdown file (template in ``docs/templates.md``, "Narrative") with these
second-level headings, in any order:

- ``## Priorities``, with ``### Short term``, ``### Medium term``, ``### Long term``;
- ``## Key enablers`` and ``## Key blockers``;
- ``## National and regional contribution``;
- ``## Peer evaluation``;
- ``## Actions and comments``, with ``### A`` ... ``### G``, each holding lines
  ``Actions: ...`` and ``Comments: ...`` for the summary evaluation table;
- for the committee report (``committee``), each optional: ``## Background``, ``## Policy
  framework and previous decisions`` (for this period, in place of the params' ``committee.policy``),
  ``## Equality implications`` and ``## Risk`` (``Risk assessment`` is read as ``Risk``, and
  ``Equal opportunities implications`` as ``Equality implications``, the headings councils use).

Text is kept as markdown and rendered without raw HTML (``render``), so
anything an author types shows as text and nothing in it can run.

Nothing outside the pack is read into it, on screen or on paper (``checked_tokens``, the rule
every renderer applies to the same markdown tokens):

- an image is one of the LA's own files named under ``data: narrative_images`` (PNG, JPEG or
  GIF), written by its file name (``![Reading results by district](reading-map.png)``) and
  copied into the pack's ``images/`` folder; any other image (a URL, a path, an SVG) is refused;
- a link goes to the web over https, or to a page of the pack (``achievement.html``); any other
  (http, ``file:``, a relative path, a file of the machine) is refused;
- bidirectional control characters are removed (``bidi``).

A refused image or link is one line naming the narrative file and line, from ``load_narrative``
(so ``leep validate`` and ``leep run`` stop before anything is built); ``render`` applies the same
rule to whatever it is given, showing a refused image as its alt text and a refused link as its
text, so that no renderer can be handed a URL to fetch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import bidi
from ..errors import InputError, Problem
from ..normalise import text_key
from ..registry import SECTION_IDS
from ._read import _open_bytes

if TYPE_CHECKING:
    from markdown_it.token import Token

    from ..params import DatedFile

SECTIONS = {
    "priorities": "Priorities",
    "enablers": "Key enablers",
    "blockers": "Key blockers",
    "contribution": "National and regional contribution",
    "peer_evaluation": "Peer evaluation",
    "actions": "Actions and comments",
    "background": "Background",
    "policy": "Policy framework and previous decisions",
    "equality": "Equality implications",
    "risk": "Risk",
}
#: Other names councils give the report's headings.
ALIASES = {"risk assessment": "risk", "equal opportunities implications": "equality",
           "equality and human rights implications": "equality"}
TERMS = {"short term": "short", "medium term": "medium", "long term": "long"}
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")

#: The most a narrative may hold. The sample's is 2 KB; a long committee report runs to some 10,000
#: words (60 KB), and a narrative is one part of the summary page. 100 KB is about 15,000 words, 30
#: pages of A4 prose: no real narrative reaches it, while a file of megabytes (a pasted export, a log)
#: built a PDF of a thousand pages in minutes.
MAX_BYTES = 100 * 1024
#: Images: the pack's folder for them, the formats shown (raster only: an SVG can fetch other files
#: and run script), the most one may hold (a phone's photograph is 2 to 4 MB) and how many.
IMAGE_FOLDER = "images"
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}
IMAGE_SUFFIXES = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",)}
MAX_IMAGE_BYTES = 5 * 1024**2
MAX_IMAGES = 20
#: an image's name as the narrative writes it: a file name, nothing that could be a path or a URL
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:png|jpe?g|gif)$", re.IGNORECASE)
#: the pack's pages a narrative may link to, and the part of the page after ``#``
PACK_PAGES = ("index", *SECTION_IDS)
_PACK_LINK = re.compile(rf"^({'|'.join(PACK_PAGES)})\.html(#[A-Za-z0-9_-]*)?$")
_WEB_LINK = re.compile(r"^https://[^/\s]+", re.IGNORECASE)
_IN_PAGE = re.compile(r"^#[A-Za-z0-9_-]+$")


def load_narrative(path: str | Path) -> dict[str, object]:
    """Read a narrative file into its parts.

    Returns
    -------
    dict
        ``introduction`` (markdown before the first ``##`` heading),
        ``priorities`` (dict: ``short``, ``medium``, ``long`` -> markdown),
        ``enablers``, ``blockers``, ``contribution``, ``peer_evaluation``,
        ``background``, ``policy``, ``equality``, ``risk`` (markdown, '' where
        absent) and ``actions`` (dict: indicator letter -> ``{"actions": str,
        "comments": str}``).

    Raises
    ------
    InputError
        Not UTF-8 text, or a heading the template does not have (naming the line).
    """
    path = Path(path)
    source = str(path)
    data = _open_bytes(path)
    if len(data) > MAX_BYTES:
        raise InputError(Problem(source, f"is {_size(len(data))}, more than a narrative may be "
                                 f"({MAX_BYTES // 1024} KB, about 15,000 words); put longer material in a document "
                                 "of its own and link to it"))
    try:
        text = bidi.strip(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(Problem(source, "not a UTF-8 text file")) from None
    tokens, problems = checked_tokens(text, source=source)
    images = [{"name": t.meta["pack_image"], "row": t.meta["row"]} for t in _walk(tokens) if "pack_image" in t.meta]
    known = {text_key(v): k for k, v in SECTIONS.items()} | {text_key(k): v for k, v in ALIASES.items()}
    parts: dict[str, list[str]] = {}
    section: str | None = None
    sub: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            continue  # the document's title
        if match and len(match.group(1)) == 2:
            section = known.get(text_key(match.group(2)))
            sub = None
            if section is None:
                problems.append(Problem(source, f"unknown heading '{match.group(2)}'; expected one of "
                                        + ", ".join(SECTIONS.values()), row=number))
            continue
        if match and len(match.group(1)) == 3:
            heading = match.group(2).strip()
            if section == "priorities" and text_key(heading) in TERMS:
                sub = TERMS[text_key(heading)]
            elif section == "actions" and len(heading) == 1 and heading.upper() in "ABCDEFG":
                sub = heading.upper()
            elif section is not None:  # a sub-heading inside the text: keep it
                parts.setdefault(f"{section}/{sub}" if sub else section, []).append(line)
            continue
        if section is None:
            parts.setdefault("introduction", []).append(line)
            continue
        parts.setdefault(f"{section}/{sub}" if sub else section, []).append(line)
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))

    def joined(key: str) -> str:
        return "\n".join(parts.get(key, [])).strip()

    actions = {}
    for letter in "ABCDEFG":
        lines = joined(f"actions/{letter}").splitlines()
        found = {"actions": "", "comments": ""}
        for line in lines:
            label, _, rest = line.partition(":")
            if text_key(label) in found:
                found[text_key(label)] = rest.strip()
        actions[letter] = found
    return {
        "introduction": joined("introduction"),
        "priorities": {term: joined(f"priorities/{term}") for term in TERMS.values()},
        "enablers": joined("enablers"),
        "blockers": joined("blockers"),
        "contribution": joined("contribution"),
        "peer_evaluation": joined("peer_evaluation"),
        "background": joined("background"),
        "policy": joined("policy"),
        "equality": joined("equality"),
        "risk": joined("risk"),
        "actions": actions,
        "images": images,
    }


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n:,} bytes"


def _parser() -> Any:
    """CommonMark without raw HTML; every link and image reaches ``checked_tokens`` (markdown-it's own
    filter would leave a ``file:`` or ``javascript:`` link as text that only looks refused)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = lambda _url: True
    return parser


def _walk(tokens: Sequence[Token]) -> list[Token]:
    """Every token, with the inline tokens' children, in document order."""
    return [t for token in tokens for t in (token, *_walk(token.children or []))]


def _row(url: str, block: Token | None, lines: list[str], first_line: int) -> int | None:
    """The line (1-based, from ``first_line``) of the block that holds ``url``: the first that spells it."""
    if block is None or block.map is None:
        return None
    start, end = block.map
    for number in range(start, min(end, len(lines))):
        if url and url in lines[number]:
            return first_line + number
    return first_line + start


def _image_problem(src: str, alt: str) -> str | None:
    """Why an image may not be shown, or None: it must be named by file name, raster, with alt text."""
    if not _IMAGE_NAME.match(src):
        if src.lower().endswith(".svg") and "/" not in src and ":" not in src:
            return (f"image '{src}': SVG images are not shown (an SVG can fetch other files and run script); "
                    "save it as PNG and name that under data: narrative_images")
        return (f"image '{src}': a narrative shows only the LA's own images named under data: narrative_images, "
                "by file name (e.g. ![Reading results by district](reading-map.png)); nothing is fetched from "
                "elsewhere")
    if not alt.strip():
        return f"image '{src}' has no alt text: say what it shows between the brackets, ![...]({src})"
    return None


def _link_problem(href: str) -> str | None:
    """Why a link may not be kept, or None: only https, a page of the pack or a place on this page."""
    if _WEB_LINK.match(href) or _PACK_LINK.match(href) or _IN_PAGE.match(href):
        return None
    return (f"link to '{href}': a narrative links only to the web over https (https://...) or to a page of the "
            f"pack ({', '.join(f'{p}.html' for p in PACK_PAGES[:3])} ...); write it so, or as plain text")


def checked_tokens(markdown: str, *, source: str = "the narrative", first_line: int = 1
                   ) -> tuple[list[Token], list[Problem]]:
    """The narrative's markdown as markdown-it tokens with the pack's rule applied, and what it refused.

    Every renderer of the narrative (the pages' HTML through ``render``; a PDF renderer the same way)
    renders these tokens, so all apply one rule:

    - an image token's ``src`` is ``images/<name>`` for a file name (``meta["pack_image"]`` holds
      the name, which must be one of ``data: narrative_images``: ``checks.narrative_images_named``);
      any other image becomes a text token holding its alt text;
    - a link kept is https, a page of the pack (``meta["pack_page"]`` holds its id, e.g.
      ``achievement``, for a renderer that links to its own copy of that page) or ``#place``; any
      other link is removed and its text kept;
    - bidirectional control characters are removed from all text (``bidi``);
    - each image and link token has ``meta["row"]``, its line in the file.

    Parameters
    ----------
    markdown : the text, as the file holds it (or a part of it)
    source : the file, named in problems
    first_line : the line of the file ``markdown`` starts on

    Returns
    -------
    (tokens, problems)
        ``markdown_it.token.Token`` list (render with ``MarkdownIt().renderer.render(tokens, options, {})``)
        and one ``Problem`` per refused image or link, naming ``source`` and the line.
    """
    parser = _parser()
    tokens = parser.parse(bidi.strip(markdown or ""))
    lines = (markdown or "").splitlines()
    problems = []
    block = None
    for token in tokens:
        if token.map is not None:
            block = token
        if token.children is None:
            continue
        kept: list[Token] = []
        dropped_links: list[int] = []  # nesting: a refused link's close is dropped with its open
        for child in token.children:
            if child.type == "image":
                src = str(child.attrs.get("src", ""))
                row = _row(src, block, lines, first_line)
                why = _image_problem(src, child.content)
                if why is not None:
                    problems.append(Problem(source, why, row=row))
                    kept.append(_text(child, child.content))
                    continue
                child.attrs["src"] = f"{IMAGE_FOLDER}/{src}"
                child.meta.update(pack_image=src, row=row)
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                row = _row(href, block, lines, first_line)
                why = _link_problem(href)
                if why is not None:
                    problems.append(Problem(source, why, row=row))
                    dropped_links.append(child.level)
                    continue
                page = _PACK_LINK.match(href)
                child.meta.update(row=row, **({"pack_page": page.group(1)} if page else {}))
            elif child.type == "link_close" and dropped_links and dropped_links[-1] == child.level:
                dropped_links.pop()
                continue
            kept.append(child)
        token.children = kept
    return tokens, problems


def _text(token: Token, content: str) -> Token:
    from markdown_it.token import Token

    return Token("text", "", 0, content=content, level=token.level)


def render(markdown: str) -> str:
    """Markdown as HTML with raw HTML disabled (``<script>`` shows as text), under the rule of
    ``checked_tokens``: no image or link the pack does not hold or allow."""
    parser = _parser()
    tokens, _ = checked_tokens(markdown or "")
    return parser.renderer.render(tokens, parser.options, {})


def load_images(files: Sequence[DatedFile]) -> dict[str, bytes]:
    """Read the narrative's images (``data: narrative_images``): file name -> the file's bytes.

    Each is checked as an input is: PNG, JPEG or GIF by its content (not only its name), at most
    ``MAX_IMAGE_BYTES``, at most ``MAX_IMAGES`` of them, each file name once (the narrative names
    them by it) and one ``_IMAGE_NAME`` allows.

    Raises
    ------
    InputError
        One problem per file that cannot be shown, naming it.
    """
    key = "data.narrative_images"
    images: dict[str, bytes] = {}
    problems = []
    if len(files) > MAX_IMAGES:
        problems.append(Problem(str(files[MAX_IMAGES].path), f"more than {MAX_IMAGES} images: a narrative may show "
                                f"at most {MAX_IMAGES}", key=key))
    for item in files[:MAX_IMAGES]:
        path = Path(item.path)
        name = path.name
        if not _IMAGE_NAME.match(name):
            problems.append(Problem(str(path), "name it with letters, digits, '.', '-' and '_' only, ending .png, "
                                    ".jpg or .gif (the narrative names an image by its file name)", key=key))
            continue
        if name in images:
            problems.append(Problem(str(path), f"another image is also named '{name}' (the narrative names an image "
                                    "by its file name): rename one", key=key))
            continue
        try:
            data = _open_bytes(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        kind = next((k for magic, k in IMAGE_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            problems.append(Problem(str(path), "is not a PNG, JPEG or GIF image", key=key))
        elif not name.lower().endswith(IMAGE_SUFFIXES[kind]):
            problems.append(Problem(str(path), f"is a {kind.upper()} image: name it {IMAGE_SUFFIXES[kind][0]}", key=key))
        elif len(data) > MAX_IMAGE_BYTES:
            problems.append(Problem(str(path), f"is {_size(len(data))}, more than an image may be "
                                    f"({_size(MAX_IMAGE_BYTES)}); save it smaller", key=key))
        else:
            images[name] = data
    if problems:
        raise InputError(problems)
    return images


def write_images(images: dict[str, bytes], pack: Path) -> list[Path]:
    """Copy the narrative's images into the pack's ``images/`` folder (as read and checked); the files written."""
    if not images:
        return []
    folder = pack / IMAGE_FOLDER
    folder.mkdir(exist_ok=True)
    written = []
    for name, data in sorted(images.items()):
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written
