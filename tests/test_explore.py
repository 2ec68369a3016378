"""notebooks/explore.ipynb: worked answers to questions the pack does not answer, top to bottom on the sample and
on the real LAIT file for Leicestershire, and the package functions behind them."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

# the benchmark's params for the real files (achievement and inspections), as tests/test_batch.py uses them
from benchmarks.batch import real_params
from leep_analysis import content, explore, lab
from leep_analysis.config import NOTEBOOK_DIR, PROJECT_DIR
from leep_analysis.runner import load_period

from .conftest import write_params

MIME = content.MIME


def run_explore(notebook: Path, cwd: Path) -> list[dict]:
    """Execute the notebook in ``cwd`` as an analyst's kernel would (no pack being built); its blocks, in order."""
    out = cwd / "executed.ipynb"
    papermill.execute_notebook(str(notebook), str(out), kernel_name="python3", cwd=str(cwd), progress_bar=False,
                               log_output=False)
    nb = nbformat.read(out, as_version=4)
    blocks, styles = [], 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] not in ("error", "stream"), output
            data = output.get("data", {})
            if MIME in data:
                blocks.append(data[MIME])
            else:
                styles += "<style" in str(data.get("text/html", ""))
    assert styles == 1, "the house stylesheet, once, first"
    return blocks


def texts(blocks: list[dict]) -> list[str]:
    return [b["text"] for b in blocks if b["type"] == "paragraph"]


@pytest.mark.slow
def test_explore_runs_top_to_bottom_on_the_sample(tmp_path, clean_env):
    blocks = run_explore(NOTEBOOK_DIR / "explore.ipynb", tmp_path)
    said = texts(blocks)
    # the sample's below-good schools and the support register open on 31 December 2025
    assert said[0].startswith("13 of the LA's schools were below good") and "0 of them had support open" in said[0]
    assert said[1].startswith("Sampleshire (synthetic) was 5th of 11 among itself and its comparators in 2016")
    assert said[2].startswith("32 supported schools have been inspected since their support started; 4 improved")
    tables = {b["name"]: b for b in blocks if b["type"] == "table"}
    assert set(tables) == {"below_good_not_supported", "ks2_ranking", "improved_at_next_inspection"}
    figures = [b for b in blocks if b["type"] == "figure"]
    assert [f["kind"] for f in figures] == ["small multiples"] and "5th of 11" in figures[0]["alt"]


def test_below_good_not_supported_matches_the_inspections_section_and_the_register(clean_env):
    from leep_analysis.sections import inspections, support

    inputs = load_period(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    result = inspections.analyse(inputs)
    frame = explore.below_good(result, "050")
    la = result.summary[(result.summary["area_type"] == "la") & (result.summary["group"] == "all")
                        & (result.summary["as_at"] == result.summary["as_at"].max())].iloc[0]
    by = frame.groupby("grade_from")["urn"].agg(lambda u: sorted(u.astype(str)))
    # overall effectiveness: the section's own counts of requires improvement and inadequate, in its latest snapshot
    assert len(by["overall"]) == la["n_requires_improvement"] + la["n_inadequate"] == 8
    # the sample's four key-judgement inspections graded 3 by the key-judgement rule, and its report card in a
    # category of concern (Yarrow Wood Primary, requires significant improvement from 14 November 2025)
    assert by["key_judgement_rule"] == ["901435", "901522", "901600", "901602"]
    assert by["report_card"] == ["901584"] and frame["grade"].dtype == "Int64"
    assert frame.loc[frame["urn"] == "901584", "category"].tolist() == ["requires_significant_improvement"]
    assert set(frame["grade"].dropna()) == {3, 4}
    # every school in a category of concern is listed, first
    assert frame["category"].notna().sum() == la["n_category_of_concern"] == 2
    assert frame["urn"].head(2).tolist() == ["901584", "901606"]
    # the report cards outside a category: no grade to compare, counted apart
    assert explore.not_compared(result, "050") == la["n_report_card"] - 1 == 8
    paragraph, table = explore.below_good_not_supported(inputs)
    assert paragraph.text.startswith("13 of the LA's schools were below good") and "8 more had no grade to compare" \
        in paragraph.text
    assert table.notes == ("Grade: overall effectiveness or, for an inspection from 2 September 2024 to 9 November "
                           "2025, which gives no overall grade, the key-judgement rule, as the pack's tables of "
                           "schools give it. A report card, or an inspection the file gives without its judgements, "
                           "has no grade to compare: one is listed only in a category of concern.")
    assert explore.grade_note(frame[frame["grade_from"] == "overall"]) == \
        "Grade: overall effectiveness."  # a table of legacy grades only (Ofsted's files to August 2024)
    supported = explore.supported_on(inputs)
    assert len(table.frame) == (~frame["lineage"].isin(supported)).sum()
    register = support.analyse(inputs).data.register
    open_urns = set(register.loc[register["start_date"].le("2025-12-31") & (register["end_date"].isna()
                                 | register["end_date"].ge("2025-12-31")), "urn"].astype(str))
    assert not set(table.frame["urn"].astype(str)) & open_urns


def test_an_inspection_given_without_its_judgements_is_counted_apart_not_lost(clean_env):
    import dataclasses

    from leep_analysis.sections import inspections

    result = inspections.analyse(load_period(PROJECT_DIR / "params" / "2025-26-autumn.yaml"))
    out = result.outcomes.copy()
    judgements = ["quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management"]
    at = (out["urn"] == "901435") & (out["as_at"] == result.as_at)  # a key-judgement inspection, graded 3 by the rule
    out.loc[at, judgements] = pd.NA
    blank = dataclasses.replace(result, outcomes=out)
    assert "901435" not in set(explore.below_good(blank, "050")["urn"])
    assert explore.not_compared(blank, "050") == explore.not_compared(result, "050") + 1 == 9


def test_with_committee_params_the_answers_give_counts_never_a_row_per_school(params_file, clean_env,
                                                                               monkeypatch):
    from leep_analysis.sections import inspections

    inputs = load_period(params_file(audience="committee"))
    (below,) = explore.below_good_not_supported(inputs)
    # Ofsted's counts in full (public, as the pack gives them); who among those schools is supported, never: Ofsted
    # names them, so "0 of them had support" would say it of each
    assert below.text == ("13 of the LA's schools were below good at their latest inspection in Ofsted's data as at "
                          "31 December 2025. Which of them have support is not given in a committee paper. 8 more had "
                          "no grade to compare (a report card, or an inspection Ofsted's file gives without its "
                          "judgements) and are in no category of concern: they are not counted here.")
    frame = explore.below_good(inspections.analyse(inputs), "050")
    monkeypatch.setattr(explore, "supported_on", lambda _inputs: set(frame["lineage"].head(2)))
    assert explore.below_good_not_supported(inputs)[0].text == below.text
    (improved,) = explore.improved_after_support(inputs)
    # 4 of the sample's 32 improved (the internal answer): under the threshold of 5, so neither 4 nor the 28 that
    # did not (32 less 4) is given
    assert improved.text == ("32 supported schools have been inspected since their support started; how many "
                             "improved is not given, as fewer than 5 did or did not.")
    said, table = explore.below_good_not_supported(load_period(params_file(audience="internal")))
    assert "; 2 of them had support open on 31 December 2025 and 11 did not." in said.text and len(table.frame) == 11


def test_an_answer_on_the_las_files_never_reads_the_sample(tmp_path, clean_env):
    params = write_params(tmp_path / "p.yaml", period="2025-26-autumn", la_code="050", as_at="2025-12-31",
                          sections=["achievement"], data={
                              "lait": str(NOTEBOOK_DIR.parent / "sample_data" / "lait.parquet"),
                              "lait_dictionary": str(NOTEBOOK_DIR.parent / "sample_data" / "lait_data_dictionary.csv"),
                              "neighbours": str(NOTEBOOK_DIR.parent / "sample_data" / "neighbours.xlsx")})
    inputs = load_period(params)
    assert explore.missing(inputs, "lait", "support_register", "ofsted_mi") == ["support_register", "ofsted_mi"]
    (said,) = explore.improved_after_support(inputs)
    assert said.text == ("Not answered: which supported schools improved needs data: support_register, "
                         "data: ofsted_mi, which this period's params do not name.")
    assert explore.missing(load_period(PROJECT_DIR / "params" / "2025-26-autumn.yaml"), "support_register") == []


@pytest.mark.slow
def test_explore_runs_top_to_bottom_on_the_real_lait_file_for_leicestershire(real, tmp_path, clean_env):
    params = real_params(real, tmp_path / "real.yaml", "855")
    copy = lab.prepare(params, tmp_path / "lab")  # as `leep lab` gives it the period's files
    blocks = run_explore(copy.folder / lab.EXPLORE, copy.folder)
    said = texts(blocks)
    # Ofsted May 2015: Leicestershire 86.0% of graded schools good or better (test_batch.py); the rest below good
    assert said[0].startswith("39 of the LA's schools were below good at their latest inspection in Ofsted's data "
                              "as at 31 May 2015.") and "no support register" in said[0]
    # KS2 reading, writing and maths, expected standard: 63% in 2025, 63rd of 151 LAs (test_batch.py, by pandas)
    assert said[1] == ("Leicestershire was 7th of 11 among itself and its comparators in 2016 (53%) and 3rd of 11 "
                       "in 2025 (63%); nationally 63rd of 151 LAs in 2025.")
    assert said[2].startswith("Not answered: which supported schools improved needs data: support_register")
    below = content.from_json(next(b for b in blocks if b["type"] == "table"
                                   and b["name"] == "below_good_not_supported")).frame
    # Ofsted's May 2015 file: Highcliffe Primary School and Community Centre (140725), overall effectiveness 3 at
    # its inspection of 11 May 2012, before grade 3 was called requires improvement
    assert below["grade_label"].value_counts().to_dict() == {"Requires improvement": 36, "Inadequate": 2,
                                                              "Satisfactory": 1}
    assert below.loc[below["grade_label"] == "Satisfactory", "urn"].tolist() == ["140725"]
    ranking = next(b for b in blocks if b["type"] == "table" and b["name"] == "ks2_ranking")
    frame = content.from_json(ranking).frame
    assert frame["year"].tolist()[-1] == "2025" and frame["la_value"].tolist()[-1] == 63.0

    # the places among comparators, from the raw LAIT file and the neighbours workbook
    from leep_analysis.sources.lait import load_lait
    from leep_analysis.sources.neighbours import load_neighbours

    lait = load_lait(real / "lait" / "bds_long_0.parquet")
    sn = load_neighbours(real / "lait" / "sn_may_2025.xlsx")
    codes = ["855", *sn.loc[sn["la_code"] == "855"].sort_values("rank")["neighbour_code"]]
    ks2 = lait[(lait["indicator"] == "KS2RWM_Expected_STD") & lait["la_code"].isin(codes)]
    for year, place in (("2016", 7), ("2025", 3)):
        values = ks2[ks2["year_label"] == year].set_index("la_code")["value"].dropna()
        assert int((values > values["855"]).sum()) + 1 == place
    assert json.dumps(frame["rank_among"].tolist()[-1]) == "3"
    assert isinstance(frame, pd.DataFrame)
