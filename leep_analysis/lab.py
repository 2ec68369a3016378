"""The notebooks in JupyterLab, styled as the pack.

In JupyterLab a section's first output is the house stylesheet (``lab_css``), scoped to notebook
content, so tiles, badges and tables look as they do on the pack's pages.
"""

from __future__ import annotations

import functools

from .config import TEMPLATE_DIR

#: JupyterLab's class on rendered markdown and on HTML outputs: the house rules apply inside it only.
SCOPE = ".jp-RenderedHTMLCommon"
#: JupyterLab's own rules for tables in rendered HTML (stripes, a hover colour, centring, a fixed layout,
#: right-aligned cells) that the pack's tables must not take: the page has none of them.
LAB_ONLY = f"""
{SCOPE} table.leep-table {{ table-layout: auto; margin: 0; color: var(--text); font-size: .9rem; }}
{SCOPE} table.leep-table tbody tr, {SCOPE} table.leep-table tbody tr:nth-child(odd),
{SCOPE} table.leep-table tbody tr:nth-child(even), {SCOPE} table.leep-table tbody tr:hover {{ background: transparent; }}
{SCOPE} table.leep-table th, {SCOPE} table.leep-table td {{ line-height: 1.45; max-width: none; }}
{SCOPE} table.leep-table thead {{ border-bottom: 0; }}
{SCOPE} .leep-tiles, {SCOPE} .leep-tile {{ color: var(--text); }}
"""


@functools.cache
def lab_css() -> str:
    """The house stylesheet (``templates/leep.css``) for JupyterLab: every rule scoped to notebook content.

    The page's own rules (``html``, ``body``, the page header's and nbconvert's wrappers', print) are
    left out, so JupyterLab's interface keeps its look; ``:root``'s colours are set on the scope.
    tinycss2 (a dependency of nbconvert's sanitiser) splits the rules, rather than a pattern
    that would break on a nested ``@media`` block.
    """
    import tinycss2

    css = (TEMPLATE_DIR / "leep.css").read_text(encoding="utf-8")
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":  # @media print: JupyterLab is not printed as the pack is
            continue
        selectors = []
        for selector in tinycss2.serialize(rule.prelude).split(","):
            selector = " ".join(selector.split())
            if selector == ":root":
                selectors.append(SCOPE)
            elif selector not in ("html", "body") and ".jp-" not in selector:
                selectors.append(f"{SCOPE} {selector}")
        if selectors:
            rules.append(f"{', '.join(selectors)} {{{tinycss2.serialize(rule.content).strip()}}}")
    return "\n".join(rules) + LAB_ONLY
