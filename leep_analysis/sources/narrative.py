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
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError, Problem
from ..normalise import text_key
from ._read import _open_bytes

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
    try:
        text = _open_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Problem(source, "not a UTF-8 text file")) from None
    known = {text_key(v): k for k, v in SECTIONS.items()} | {text_key(k): v for k, v in ALIASES.items()}
    parts: dict[str, list[str]] = {}
    section: str | None = None
    sub: str | None = None
    problems = []
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
        raise InputError(problems)

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
    }


def render(markdown: str) -> str:
    """Markdown as HTML with raw HTML disabled: ``<script>`` shows as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(markdown or "")
