"""The two registries (``config/inputs.yaml``, ``config/sections.yaml``) and everything made from or tied to them."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re

import nbformat
import pytest
import yaml

from leep_analysis import registry, releases
from leep_analysis.cli import data_key_lines, period_template
from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR, SAMPLE_DIR
from leep_analysis.inputs import SPECS, _call
from leep_analysis.params import DataPaths, PeriodParams, load_params
from leep_analysis.registry import INPUTS, SECTION_IDS, SECTIONS, SHARED, InputSpec, SectionSpec
from leep_analysis.sections.summary.analysis import PARTS


def test_the_packaged_registries_agree_with_each_other():
    assert registry.check(INPUTS, SECTIONS) == []
    assert SPECS is INPUTS
    assert INPUTS["neighbours"].sections == set(SECTION_IDS)  # every section names the LA and its neighbours
    assert INPUTS["establishment_links"].sections == {"inspections", "support", "concerns"}


def test_a_wrong_entry_is_named():
    sections = {"a": SectionSpec(id="a", title="A", summary="", notebook="x.ipynb", inputs=("nope",), uses=("b",)),
                "c": SectionSpec(id="c", title="C", summary="", notebook="x.ipynb")}
    inputs = {"unread": InputSpec(key="unread", title="", loader="m:f", sample="s",
                                  freshness={"schedule": "la", "note": ""})}
    assert registry.check(inputs, sections) == [
        "section a reads unknown input nope", "section a uses unknown section b", "no section reads input unread",
        "notebook x.ipynb is named twice"]
    with pytest.raises(ValueError, match="a monthly schedule needs lag_days"):
        registry.Freshness(schedule="monthly", note="")


def test_params_data_keys_are_the_registrys():
    assert list(DataPaths.model_fields) == list(INPUTS)
    for key, spec in INPUTS.items():
        given = [{"path": "a.csv", "as_at": "2025-08-31"}] if spec.dated else ["a.png"] if spec.optional else "a.csv"
        assert getattr(DataPaths.model_validate({key: given}), key) is not None
    assert PeriodParams.model_fields["sections"].default_factory() == SECTION_IDS


def test_each_input_has_a_loader_a_sample_and_a_freshness_schedule():
    for spec in INPUTS.values():
        assert callable(_call(spec.loader))
        assert spec.optional or list(SAMPLE_DIR.glob(spec.sample)), spec.key  # an optional input may have none
        assert spec.freshness.note
    # the rows a pack cuts at its as-at date: each dated register's and Ofsted's, not the ledger's or GIAS's
    cut = {key: spec.cut_at for key, spec in INPUTS.items() if spec.cut_at}
    assert cut == {"support_register": "start_date", "ofsted_mi": "inspection_date", "concerns_log": "date_entered",
                   "school_intelligence": "date_recorded"}
    frame = __import__("pandas").DataFrame({"date": ["2025-01-01", "2026-01-01"]})
    assert len(releases.rows_as_at("budget_ledger", frame, dt.date(2025, 6, 1))) == 2  # the ledger keeps them


def test_each_section_has_its_notebook_and_its_work_out_takes_the_analyses_it_uses():
    for section, spec in SECTIONS.items():
        notebook = nbformat.read(NOTEBOOK_DIR / spec.notebook, as_version=4)
        assert any(f'leep.Section.open("{section}", globals())' in cell.source for cell in notebook.cells)
        work_out = importlib.import_module(f"leep_analysis.sections.{section}.analysis").work_out
        parameters = inspect.signature(work_out).parameters
        if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            # the summary: one part per section it uses, and the events table no section owns
            assert set(PARTS) == set(spec.uses) - set(SHARED)
        else:
            assert list(parameters)[1:] == list(spec.uses), section


def test_new_period_template_names_every_input_and_section(tmp_path):
    text = period_template("2026-27-spring")
    assert "as_at: 2027-03-31" in text and "# previous_as_at: 2026-12-31" in text
    assert data_key_lines("2026-12-31") in text
    assert f"# sections: [{', '.join(SECTION_IDS)}]" in text
    for key in INPUTS:
        assert re.search(rf"^#  {key}: .*\n#    # read by {registry.readers(key)}: ", text, re.MULTILINE)
    # uncommented, the template is valid params on the sample
    path = tmp_path / "2026-27-spring.yaml"
    path.write_text(text.replace("# sections: ", "sections: "), encoding="utf-8")
    assert load_params(path)[0].sections == SECTION_IDS


def _key_table(markdown: str) -> dict[frozenset[str], set[str]]:
    """A README-style table of data keys: the keys of each row -> the sections it says read them."""
    lines = markdown.split("| key | read by | expects |", 1)[1].split("\n\n", 1)[0].strip().splitlines()[1:]
    rows = {}
    for line in lines:
        keys_cell, readers_cell = (cell.strip() for cell in line.strip("|").split("|")[:2])
        readers = re.sub(r"\([^)]*\)", "", readers_cell).strip()
        rows[frozenset(re.findall(r"`([a-z_]+)`", keys_cell))] = (
            set(SECTION_IDS) if readers == "every section" else {r.strip() for r in readers.split(",")})
    return rows


@pytest.mark.parametrize("source", ["README.md", "generated"])
def test_the_readme_table_of_keys_is_the_registrys(source):
    # the README's own table, and the one registry.readme_table() makes for it: every key once, each row
    # naming the sections that read its keys
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8") if source == "README.md" else \
        "\n" + registry.readme_table() + "\n\n"
    rows = _key_table(text)
    assert sorted(k for keys in rows for k in keys) == sorted(INPUTS)
    for keys, readers in rows.items():
        assert readers == set().union(*(INPUTS[k].sections for k in keys)), sorted(keys)


def test_the_section_titles_pages_read_are_the_registrys():
    raw = yaml.safe_load((PROJECT_DIR / "leep_analysis" / "config" / "sections.yaml").read_text(encoding="utf-8"))
    assert list(raw) == SECTION_IDS and {s: raw[s]["title"] for s in raw} == {s: SECTIONS[s].title for s in SECTIONS}
