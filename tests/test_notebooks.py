"""Structure of the committed notebooks: one parameters cell equal to the model, clean, kernel python3."""

from __future__ import annotations

import json

import nbformat
import papermill
import pytest

from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR
from leep_analysis.lab import EXPLORE
from leep_analysis.params import PeriodParams, load_params, parameters_cell
from leep_analysis.registry import SECTIONS
from leep_analysis.runner import notebooks_for

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def test_every_notebook_is_a_section_or_the_explore_notebook():
    assert NOTEBOOKS, "no notebooks"
    assert {nb.name for nb in NOTEBOOKS} == {s.notebook for s in SECTIONS.values()} | {EXPLORE}


def test_the_runner_never_runs_the_explore_notebook():
    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    assert [p.name for _, p in notebooks_for(params)] == [s.notebook for s in SECTIONS.values()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    assert tagged[0].source + "\n" == parameters_cell(params)
    assert set(papermill.inspect_notebook(str(path))) == set(PeriodParams.model_fields)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in raw["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_stay_thin(path):
    """Logic lives in the package: no function or class definitions, no loops over data in cells."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code
    assert "import pandas" not in code and "read_csv" not in code and "read_excel" not in code


def test_show_displays_each_block_as_html_and_as_typed_json(monkeypatch):
    from types import SimpleNamespace

    from leep_analysis import content, report

    shown: list[tuple[object, str]] = []
    monkeypatch.setattr(report, "_display", lambda block, markup: shown.append((block, markup)))
    section = report.Section("support", params=SimpleNamespace(for_committee=False), inputs=None)  # type: ignore[arg-type]
    section.render([content.Heading("Reach", 4), content.Paragraph("<b>5</b> schools")])
    assert [m for _, m in shown] == ['<h4 id="reach">Reach</h4>', "<p>&lt;b&gt;5&lt;/b&gt; schools</p>"]
    assert [content.from_json(b.to_json()) for b, _ in shown] == [content.Heading("Reach", 4),
                                                                   content.Paragraph("<b>5</b> schools")]
    with pytest.raises(TypeError):
        section.show(("say", {"text": "a layout tuple is not a block"}))
