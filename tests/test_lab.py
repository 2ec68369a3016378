"""In JupyterLab: the house style, the tables a section showed as data, the kernel left as it was found."""

from __future__ import annotations

import nbformat

from leep_analysis import export, lab
from leep_analysis.config import PROJECT_DIR
from leep_analysis.params import notebook_parameters

AUTUMN = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def test_lab_css_is_the_house_style_scoped_to_notebook_content():
    css = lab.lab_css()
    house = export.house_css()
    for rule in ("leep-tile-value", "leep-rag-green", "leep-trend-better", "table.leep-table .num"):
        assert rule in house and f"{lab.SCOPE} " in css and rule in css
    rules = [line.split("{")[0] for line in css.splitlines() if "{" in line]
    assert all(all(s.strip().startswith(lab.SCOPE) for s in r.split(",") if s.strip()) for r in rules), \
        "every rule inside JupyterLab's rendered content: the interface keeps its own look"
    assert "@media" not in css and "jp-OutputArea-prompt" not in css
    assert "--blue: #12436d" in css.replace("#12436D", "#12436d")


def test_the_stylesheet_output_never_reaches_a_page():
    nb = nbformat.v4.new_notebook()
    style = nbformat.v4.new_output("display_data", data={"text/html": "<style>x</style>"},
                                   metadata={"leep": {"output": "house-style"}})
    nb.cells = [nbformat.v4.new_code_cell("section = ...", outputs=[style])]
    export.check_outputs(nb, "x.ipynb")  # not refused as output that is not a block
    assert export.normalise(nb, "t").cells[0].outputs == []


def test_section_open_leaves_the_kernel_as_it_found_it(monkeypatch, tmp_path, clean_env):
    import warnings

    import matplotlib
    import pandas as pd

    from leep_analysis import charts, report
    from leep_analysis.params import load_params

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: shown.append((args, kwargs)))
    charts.pyplot()
    rc, show = dict(matplotlib.rcParams), warnings.showwarning
    namespace = notebook_parameters(load_params(AUTUMN)[0])

    section = report.Section.open("achievement", namespace)  # in JupyterLab: no pack being built
    assert warnings.showwarning is show and dict(matplotlib.rcParams) == rc
    (bundle,), kwargs = shown[0]
    assert bundle["text/html"] == f'<style type="text/css">{lab.lab_css()}</style>'
    assert kwargs["metadata"] == report.STYLE_METADATA

    # a chart is drawn in the house style, and matplotlib's settings are put back after it
    def draw(data):
        fig, ax = charts.pyplot().subplots()
        ax.plot(data["x"], data["y"])
        assert matplotlib.rcParams["svg.hashsalt"] == "leep" and matplotlib.rcParams["axes.spines.top"] is False
        return fig

    drawn = [charts.figure("line", pd.DataFrame({"x": [1, 2], "y": [3, 4]}), draw, caption="c", alt="a")
             for _ in range(2)]
    assert drawn[0].svg == drawn[1].svg and "DejaVu Sans" in drawn[0].svg
    assert dict(matplotlib.rcParams) == rc and not charts.pyplot().get_fignums()
    section.close()
    assert warnings.showwarning is show

    # in a pack run, warnings go to the pack's log (never onto the page) until the section is closed
    monkeypatch.setenv("LEEP_PACK_DIR", str(tmp_path))
    shown.clear()
    with report.Section.open("achievement", namespace) as section:
        again = report.Section.open("achievement", namespace)  # the cell run twice
        warnings.warn("a planted warning", UserWarning, stacklevel=1)
        again.close()
        assert warnings.showwarning is show
    assert warnings.showwarning is show and not shown, "no stylesheet output in a pack run: the page has it"
    assert "UserWarning: a planted warning" in (tmp_path / "logs" / "achievement.warnings.txt").read_text()


def test_a_section_keeps_the_tables_it_showed_typed_and_described(monkeypatch):
    from types import SimpleNamespace

    import pandas as pd

    from leep_analysis import content, report

    monkeypatch.setattr(report, "_display", lambda block, markup: None)
    section = report.Section("support", params=SimpleNamespace(committee=False), inputs=None)  # type: ignore[arg-type]
    frame = pd.DataFrame({"urn": ["100001"], "pct_good": [62.5], "n_schools": [12]})
    table = content.Table("schools", "Schools", frame, columns={"pct_good": content.percent("Good or better", 1)})
    section.show(content.Paragraph("Some words"), table)
    assert section.tables["schools"] is table and section.tables["schools"].frame["pct_good"].dtype == "float64"
    described = section.columns("schools").set_index("column")
    assert described.loc["pct_good", ["heading", "kind", "decimals"]].tolist() == ["Good or better", "percent", 1]
    assert described.loc["n_schools", "kind"] == "count" and described["meaning"].str.len().min() > 0

