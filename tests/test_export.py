"""The page export: one exporter per process, and the page made from the notebook as it shows it."""

from __future__ import annotations

import nbformat
import pytest
from nbconvert import HTMLExporter

from leep_analysis import content, export
from leep_analysis.config import TEMPLATE_DIR

pytestmark = pytest.mark.pack


def page(title: str) -> export.Page:
    return export.Page(title=title, la_name="Sampleshire", pack_title=f"{title} pack",
                       sections=[{"href": "x.html", "title": title, "current": True}])


def test_a_page_is_the_same_whatever_was_exported_before_it(default_pack):
    """The exporter is made once per process (a batch's worker exports hundreds of pages): a page must not carry
    anything of the page exported before it."""
    achievement = nbformat.read(default_pack / "executed" / "01_achievement.ipynb", as_version=4)
    budget = nbformat.read(default_pack / "executed" / "04_budget.ipynb", as_version=4)
    first = export.to_html(achievement, page("Achievement"), name="01_achievement.ipynb")
    other = export.to_html(budget, page("Budget"), name="04_budget.ipynb")
    again = export.to_html(achievement, page("Achievement"), name="01_achievement.ipynb")
    assert first == again
    assert "Budget pack" in other and "Budget pack" not in first
    assert "<title>Achievement</title>" in first and "<title>Budget</title>" in other
    assert export._exporter() is export._exporter()


def test_the_page_shows_what_the_full_notebook_shows_without_copying_the_blocks_record(default_pack):
    """The page is exported from the notebook without each output's typed record, which no template renders:
    the same page as from the whole notebook, and the notebook itself left whole."""
    nb = export.normalise(nbformat.read(default_pack / "executed" / "01_achievement.ipynb", as_version=4),
                          "Achievement")
    records = sum(content.MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert records > 50  # every block the section shows

    shown = export.as_shown(nb)
    assert not any(content.MIME in o.get("data", {}) for c in shown.cells for o in c.get("outputs", []))
    assert sum(content.MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])) == records
    assert [c.get("outputs", []) and [sorted(o.get("data", {})) for o in c.outputs] for c in shown.cells] == \
        [c.get("outputs", []) and [sorted(m for m in o.get("data", {}) if m != content.MIME) for o in c.outputs]
         for c in nb.cells]

    whole = HTMLExporter(template_name="leep", extra_template_basedirs=[str(TEMPLATE_DIR)], exclude_input=True,
                         exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"metadata": {"name": "Achievement"},
                 "leep": {"css": export.house_css(), "la_name": "Sampleshire", "pack_title": "Achievement pack",
                          "sections": [], "synthetic": False, "banner": "", "footer": ""}}
    body, _ = whole.from_notebook_node(nb, resources=resources)
    expected = body.replace("<!--LEEP-TOC-->", export.contents_list(body), 1)
    assert export._render(nb, export.Page(title="Achievement", la_name="Sampleshire",
                                          pack_title="Achievement pack")) == expected
