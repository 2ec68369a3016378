"""The page export: one exporter per process, and the page made from the notebook as it shows it."""

from __future__ import annotations

import nbformat
import pytest

from leep_analysis import content, export

pytestmark = pytest.mark.pack


def page(title: str) -> export.Page:
    return export.Page(title=title, la_name="Sampleshire", pack_title=f"{title} pack",
                       sections=[{"href": "x.html", "title": title, "current": True}])


def test_a_page_is_the_same_whatever_was_exported_before_it(default_pack, tmp_path):
    """The exporter is made once per process (a batch's worker exports hundreds of pages): a page must not carry
    anything of the page exported before it."""
    def written(notebook: str, title: str) -> str:
        dest = tmp_path / f"{title}.html"
        export.write_page(default_pack / "executed" / notebook, dest, page(title))
        return dest.read_text(encoding="utf-8")

    first = written("01_achievement.ipynb", "Achievement")
    other = written("04_budget.ipynb", "Budget")
    again = written("01_achievement.ipynb", "Achievement")
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

    whole = export._exporter.__wrapped__()  # a new exporter, made as the pack's is
    resources = {"metadata": {"name": "Achievement"},
                 "leep": {"css": export.house_css(), "la_name": "Sampleshire", "pack_title": "Achievement pack",
                          "sections": [], "synthetic": False, "banner": "", "footer": ""}}
    body, _ = whole.from_notebook_node(nb, resources=resources)
    expected = body.replace("<!--LEEP-TOC-->", export.contents_list(body), 1)
    assert export.to_html(nb, export.Page(title="Achievement", la_name="Sampleshire",
                                          pack_title="Achievement pack")) == expected
