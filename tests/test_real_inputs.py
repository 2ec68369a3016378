"""A pack on the LA's real files: never the sample, nothing after its as-at date, no machine paths.

Figures on the real LAIT file were checked by hand with pandas on
``bds_long_0.parquet`` (September 2025 release), reading ``Values`` as text.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from leep_analysis import releases
from leep_analysis.benchmark import all_las
from leep_analysis.config import PROJECT_DIR
from leep_analysis.errors import InputError
from leep_analysis.inputs import Inputs
from leep_analysis.params import load_params
from leep_analysis.runner import run_pack, validate_period
from leep_analysis.sources.lait import PLACEHOLDER, load_lait
from leep_analysis.sources.lait_dictionary import load_dictionary
from leep_analysis.sources.neighbours import load_neighbours

from .conftest import write_params


def leep(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leep_analysis", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def real_block(real: Path, *keys: str) -> dict:
    files = {
        "lait": real / "lait" / "bds_long_0.parquet",
        "lait_dictionary": real / "lait" / "lait_data_dictionary.csv",
        "neighbours": real / "lait" / "sn_may_2025.xlsx",
        "establishments": real / "perf_tables_2018_19" / "england_school_information.xlsx",
        "establishment_links": real / "gias" / "2026-08-21" / "links_edubasealldata.csv",
    }
    block = {k: str(v) for k, v in files.items() if k in keys}
    if "ofsted_mi" in keys:
        block["ofsted_mi"] = [
            {"path": str(next((real / "ofsted_mi_monthly" / "2014-12-31").iterdir())), "as_at": "2014-12-31"},
            {"path": str(next((real / "ofsted_mi_monthly" / "2015-05-31").iterdir())), "as_at": "2015-05-31"},
        ]
    return block


LEICS_2015 = {"period": "2014-15-summer", "la_code": "855", "as_at": "2015-05-31", "previous_as_at": "2014-12-31"}


# ------------------------------------------------------------------ sample or real, never both
def test_a_real_pack_that_leaves_inputs_unnamed_exits_2_naming_them(real, tmp_path):
    path = write_params(tmp_path / "leics.yaml", **LEICS_2015, sections=["summary", "achievement", "inspections"],
                        data=real_block(real, "lait", "lait_dictionary", "neighbours", "ofsted_mi"))
    for command in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "out"), "--no-progress"]):
        result = leep(*command)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert (f"{path}, key 'data': summary needs support_register, establishments, concerns_log, narrative: "
                "name them under data:") in result.stderr
    problems = [str(p) for p in validate_period(path)]
    assert any("inspections needs establishments, establishment_links" in p for p in problems)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_coverage_names_unused_inputs_and_allows_the_sample_only_in_so_many_words(tmp_path):
    params, _ = load_params(write_params(tmp_path / "p.yaml", **LEICS_2015, sections=["achievement"],
                                         data={"lait": "sample", "lait_dictionary": "sample", "neighbours": "sample",
                                               "narrative": "notes.md"}))
    inputs = Inputs(params, params_file=tmp_path / "p.yaml")
    [unused] = inputs.coverage()
    assert unused.warning and unused.key == "data.narrative" and "no chosen section uses it" in unused.message
    assert not inputs.on_sample and inputs.is_sample("lait")
    assert [s.key for s in inputs.sample_in("achievement")] == ["lait", "lait_dictionary", "neighbours"]
    no_data, _ = load_params(write_params(tmp_path / "q.yaml", **LEICS_2015, data=None))
    assert Inputs(no_data).on_sample and Inputs(no_data).coverage() == []


def test_a_page_that_takes_an_input_from_the_sample_on_purpose_says_so(tmp_path, params_file):
    from leep_analysis import pages

    params, _ = load_params(params_file(data={"narrative": "sample"}, sections=["summary", "budget"]))
    inputs = Inputs(params)
    assert "summary needs" in str(inputs.coverage()[0])  # the rest still has to be named
    full = {k: "sample" for k in ("lait", "lait_dictionary", "neighbours", "support_register", "establishments",
                                  "concerns_log", "budgets", "budget_ledger", "ofsted_mi")}
    params, _ = load_params(params_file(data={**full, "narrative": str(PROJECT_DIR / "leep_analysis" / "sample_data"
                                                                       / "narrative.md")}, sections=["summary", "budget"]))
    inputs = Inputs(params)
    assert [p for p in inputs.coverage() if not p.warning] == []
    page = pages.section_page(inputs, "budget", "Sample LA")
    assert page.synthetic and page.banner.startswith("Sample, not the LA's own: Statistical neighbours; Budgets")
    assert "Narrative" not in page.banner  # the budget page reads no narrative: only its own inputs are named


# ------------------------------------------------------------------ nothing after as_at
def test_lait_as_at_uses_each_year_from_its_release(real):
    lait = load_lait(real / "lait" / "bds_long_0.parquet")
    may_2024 = releases.lait_as_at(lait, dt.date(2024, 5, 31))
    leics = may_2024[(may_2024["la_code"] == "855") & may_2024["value"].notna()]
    latest = leics.groupby("indicator")["year"].max()
    # KS2 2024 came in September 2024, KS4 2024 in October, EYFSP in November, NEET 2024 in July:
    # none by May 2024; level 2 at 19 of 2023 came in April 2024
    assert latest["KS2RWM_Expected_STD"] == 2023 and latest["AVG_Attain8_Score"] == 2023
    assert latest["FSP_NEW_GOODDEV"] == 2023 and latest["16-17 NEET"] == 2023 and latest["Level2Age19"] == 2023
    assert may_2024["year"].max() <= 2024
    # Attainment 8 of 2023 was revised in February 2024: shown as the file has it; KS2 2023 likewise
    ks4 = leics[(leics["indicator"] == "AVG_Attain8_Score") & (leics["year"] == 2023)]
    assert ks4["year_label"].tolist() == ["2023"] and ks4["value"].tolist() == [45.8]
    # as at 1 October 2024 KS2 2024 is out, provisional (the file's label says nothing)
    october = releases.lait_as_at(lait, dt.date(2024, 10, 1))
    ks2 = october[(october["indicator"] == "KS2RWM_Expected_STD") & (october["la_code"] == "855")
                  & (october["year"] == 2024)]
    assert ks2["year_label"].tolist() == ["2024 (prov)"] and ks2["status"].tolist() == ["provisional"]
    assert ks2["value"].tolist() == [61.0]  # Values "61" for 855, 2024


def test_ranks_as_at_a_date_count_only_las_that_reported_that_year(real):
    lait = releases.lait_as_at(load_lait(real / "lait" / "bds_long_0.parquet"), dt.date(2024, 5, 31))
    table = all_las(lait, load_dictionary(real / "lait" / "lait_data_dictionary.csv"),
                    load_neighbours(real / "lait" / "sn_may_2025.xlsx"))
    ks2 = table[(table["indicator"] == "KS2RWM_Expected_STD") & (table["year"] == 2023)]
    reported = lait[(lait["indicator"] == "KS2RWM_Expected_STD") & (lait["year"] == 2023)
                    & (lait["area_type"] == "la") & lait["value"].notna()]
    ranked = ks2[ks2["rank"].notna()]
    assert len(ranked) == reported["la_code"].nunique() == ks2["n_ranked"].dropna().iloc[0]
    assert "909" not in set(ranked["la_code"])  # Cumbria no longer existed in 2023


def test_a_2015_achievement_pack_shows_no_year_after_2014(real, tmp_path):
    path = write_params(tmp_path / "leics.yaml", **LEICS_2015, sections=["achievement"],
                        data=real_block(real, "lait", "lait_dictionary", "neighbours"))
    pack = run_pack(path, tmp_path / "out", progress=False).parent
    table = pd.read_csv(pack / "tables" / "achievement__benchmark.csv", dtype=str)
    years = pd.to_numeric(table["year"].str[:4], errors="coerce")
    assert not (years > 2014).any()  # today's LAIT file holds none of these indicators before 2016
    series = pd.read_csv(pack / "tables" / "achievement__timeseries.csv", dtype=str)
    assert not (pd.to_numeric(series["year"].str[:4], errors="coerce") > 2014).any()


# ------------------------------------------------------------------ LAIT's placeholder zeros
def test_placeholder_zeros_of_reorganised_las_are_missing_and_the_real_value_kept(real):
    lait = load_lait(real / "lait" / "bds_long_0.parquet")
    rows = lait[(lait["indicator"] == "Chlamydia_Diagnosis") & (lait["year_label"] == "2016")].set_index("la_code")
    # the file has 1985.3 for Cumbria (909) and 0 for Cumberland (942) and Westmorland and Furness (943),
    # which did not exist until 2023; before, the zeros counted and Cumbria's value was set aside
    assert rows.loc["909", "value"] == 1985.3
    assert rows.loc[["942", "943", "940", "941"], "missing_reason"].tolist() == [PLACEHOLDER] * 4
    assert rows.loc[["942", "943"], "value"].isna().all()


# ------------------------------------------------------------------ one LA never overwrites another
def test_two_las_packs_for_one_period_live_side_by_side_with_no_machine_path(real, tmp_path):
    out = tmp_path / "out"
    indexes = []
    for code in ("855", "926"):
        path = write_params(tmp_path / f"{code}.yaml", **{**LEICS_2015, "la_code": code}, sections=["achievement"],
                            data=real_block(real, "lait", "lait_dictionary", "neighbours"))
        indexes.append(run_pack(path, out, progress=False))
    assert sorted(p.name for p in out.iterdir()) == ["855-2014-15-summer", "926-2014-15-summer"]
    assert all(i.exists() for i in indexes)
    for pack in (i.parent for i in indexes):
        manifest = json.loads((pack / "manifest.json").read_text())
        assert manifest["params_file"].endswith(".yaml") and "/" not in manifest["params_file"]
        assert not manifest["synthetic_sample"] and not any(f["sample"] for f in manifest["inputs"])
        for f in pack.rglob("*"):
            if f.is_file() and f.suffix in {".html", ".csv", ".json", ".ipynb", ".txt"}:
                text = f.read_text(encoding="utf-8")
                for absolute in (str(real), str(tmp_path), str(PROJECT_DIR)):
                    assert absolute not in text, (f, absolute)
    index = (out / "855-2014-15-summer" / "index.html").read_text()
    assert "Synthetic sample" not in index and "sample_data/" not in index


# ------------------------------------------------------------------ params and commands
def test_a_misspelt_key_is_reported_first(params_file):
    path = params_file()
    raw = yaml.safe_load(path.read_text())
    raw["perod"] = raw.pop("period")
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(InputError) as caught:
        load_params(path)
    assert str(caught.value.problems[0]).endswith("key 'perod': unknown key 'perod' (did you mean 'period'?)")


def test_every_data_key_in_the_template_uncomments_to_valid_params(tmp_path):
    assert leep("new-period", "2026-27-autumn", "--dir", str(tmp_path)).returncode == 0
    text = (tmp_path / "2026-27-autumn.yaml").read_text()
    assert "previous_as_at: 2026-08-31" in text
    from leep_analysis.inputs import SPECS

    for key in SPECS:
        line = next(x for x in text.splitlines() if x.startswith(f"#  {key}: "))
        edited = tmp_path / f"{key}.yaml"
        edited.write_text(text.replace(line, line[1:], 1))
        params, _ = load_params(edited)  # valid YAML and valid params
        assert getattr(params.data, key) is not None


def test_sample_data_refuses_to_overwrite_without_force(tmp_path):
    assert leep("sample-data", str(tmp_path)).returncode == 0
    again = leep("sample-data", str(tmp_path))
    assert again.returncode == 2 and "already there; choose an empty folder or add --force" in again.stderr
    assert leep("sample-data", str(tmp_path), "--force").returncode == 0


def test_a_real_achievement_and_inspections_pack_holds_no_sample_and_no_later_framework(real, tmp_path):
    path = write_params(tmp_path / "leics.yaml", **LEICS_2015, sections=["achievement", "inspections"],
                        data=real_block(real, "lait", "lait_dictionary", "neighbours", "ofsted_mi", "establishments",
                                        "establishment_links"))
    pack = run_pack(path, tmp_path / "out", progress=False).parent
    manifest = json.loads((pack / "manifest.json").read_text())
    assert not manifest["synthetic_sample"] and not any(f["sample"] for f in manifest["inputs"])
    assert {f["key"] for f in manifest["inputs"]} == {"lait", "lait_dictionary", "neighbours", "ofsted_mi",
                                                      "establishments", "establishment_links"}
    for page in ("index.html", "achievement.html", "inspections.html"):
        text = (pack / page).read_text(encoding="utf-8")
        assert 'class="leep-banner"' not in text and "sample_data/" not in text, page
    inspections = (pack / "inspections.html").read_text(encoding="utf-8")
    # report cards began on 10 November 2025 and key judgements in September 2024: not in a 2015 pack
    assert "Report card" not in inspections and "key judgement" not in inspections.lower()
    assert not (pack / "tables" / "inspections__report_cards.csv").exists()


def test_a_london_borough_names_london_where_its_region_figure_is_londons(real, tmp_path):
    path = write_params(tmp_path / "westminster.yaml", period="2025-26-autumn", la_code="213", as_at="2025-12-31",
                        sections=["achievement"], data=real_block(real, "lait", "lait_dictionary", "neighbours"))
    pack = run_pack(path, tmp_path / "out", progress=False).parent
    series = pd.read_csv(pack / "tables" / "achievement__timeseries.csv", dtype=str)
    # LAIT has no Inner London (987) NEET figure for 2025 (Values "-"); the region figure is London's (986:
    # Values "1.9" in the raw file), and is called so
    neet = series[(series["indicator"] == "16-17 NEET") & (series["year"] == "2025")]
    assert "London" in set(neet["area"]) and "London (Inner)" not in set(neet["area"])
    ks2 = series[(series["indicator"] == "KS2RWM_Expected_STD") & (series["year"] == "2025")]
    assert "London (Inner)" in set(ks2["area"])  # KS2 has an Inner London figure
    page = (pack / "achievement.html").read_text(encoding="utf-8")
    assert "1.9% (London)" in page


def test_snapshots_dated_after_as_at_are_left_out_with_a_warning(tmp_path):
    params, _ = load_params(write_params(tmp_path / "p.yaml", **LEICS_2015, sections=["achievement"], data={
        "lait": "sample", "lait_dictionary": "sample", "neighbours": "sample",
        "ofsted_mi": [{"path": "may.xlsx", "as_at": "2015-05-31"}, {"path": "june.xlsx", "as_at": "2015-06-30"}]}))
    inputs = Inputs(params, params_file=tmp_path / "p.yaml")
    assert [f.path.name for f in inputs.files("ofsted_mi")] == ["may.xlsx"]
    later, unused = inputs.coverage()
    assert later.warning and later.message == "1 file(s) dated after as_at 2015-05-31 left out: 2015-06-30"
    assert unused.warning and unused.key == "data.ofsted_mi" and "no chosen section uses it" in unused.message
