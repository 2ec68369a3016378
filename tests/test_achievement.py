"""Achievement section: indicator sets, sentences, tables, and the section built on real and sample LAIT."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from leep_analysis import achievement as ach
from leep_analysis import wording
from leep_analysis.config import PROJECT_DIR, SAMPLE_DIR
from leep_analysis.content import Heading
from leep_analysis.errors import InputError
from leep_analysis.inputs import Inputs
from leep_analysis.params import load_params
from leep_analysis.runner import run_pack
from leep_analysis.sections.achievement import analysis, views
from leep_analysis.sources.lait_dictionary import load_dictionary
from leep_analysis.tables import cell_text

from .conftest import write_params


def codes_needed() -> set[str]:
    return {c for i in ach.all_indicators() for c in (i.gap or (i.code,))}


# --------------------------------------------------------------------------- configuration
def test_every_phase_of_the_brief_is_covered():
    assert [p.id for p in ach.phases()] == ["eyfs", "ks1", "ks2", "ks3", "ks4", "ks5", "age19", "cla", "neet"]
    codes = {i.code for i in ach.all_indicators()}
    for code in ("FSP_NEW_GOODDEV", "FSP_Gooddev_FSM", "FSP_Gooddev_FSM_Other", "KS1P_all", "KS1P_FSM", "KS1P_SEND",
                 "KS2RWM_Expected_STD", "KS2RWM_Higher_STD", "KS2R_Prog_VA", "DAP_NEW_KS2_RWM", "GAP_KS2_RWM_DAP",
                 "NEW_KS2_RWM_Sen_W/Osta", "AVG_Attain8_Score", "AVG_Prog8_Score", "EngMaths9-4", "EngMaths9-5",
                 "EngBacEntries", "GAP_KS4_ATT8_DAP", "SEN_Stat_AVG_Attain8_Score", "APSE_Alevel", "Alevel_AAB",
                 "Level2Age19", "Level3Age19", "L2Age19Gap", "L3Age19Gap", "LAC_KS2_ExpStd_RWM",
                 "LAC_KS4_AVG_Attain8", "16-17 NEET", "16-17_not known", "KS2_NEW_Asian_RWM",
                 "AVG_Attain8_Score_Black"):
        assert code in codes, code
    ks3 = ach.phase("ks3")
    assert not ks3.indicators and "2013" in ks3.notes[0]
    assert ach.phase("eyfs").indicators[0].series_start == 2022
    assert "2025" in " ".join(ach.phase("ks4").notes) and "2023" in ach.phase("ks2").notes[0]


def test_sample_has_every_configured_code():
    sample = set(pd.read_parquet(SAMPLE_DIR / "lait.parquet")["Short Desc"])
    assert codes_needed() <= sample


@pytest.mark.real_data
def test_real_file_has_every_configured_code(real):
    lait = pd.read_parquet(real / "lait" / "bds_long_0.parquet", columns=["Short Desc"])
    dictionary = load_dictionary(real / "lait" / "lait_data_dictionary.csv")
    assert codes_needed() <= set(lait["Short Desc"])
    assert codes_needed() <= set(dictionary["indicator"])


def test_measures_take_polarity_from_the_dictionary_and_gaps_are_low():
    dictionary = load_dictionary(SAMPLE_DIR / "lait_data_dictionary.csv")
    rules = ach.measures(dictionary).set_index("indicator")
    assert rules.at["16-17 NEET", "polarity"] == "Low" and rules.at["KS2RWM_Expected_STD", "polarity"] == "High"
    assert rules.at["GAP_KS2_RWM_DAP", "polarity"] == "Low" and not rules.at["GAP_KS2_RWM_DAP", "no_quartile"]
    assert rules.at["KS2R_AVG_Scaled_Score", "no_quartile"]
    assert rules.at["AVG_Prog8_Score", "skip_years"] == () and rules.at["AVG_Attain8_Score", "skip_years"] == (2020, 2021, 2022)
    assert (rules.at["AVG_Prog8_Score", "decimals"], rules.at["KS2RWM_Expected_STD", "decimals"]) == (2, 0)


def test_bad_configuration_names_the_key(monkeypatch):
    config = {"phases": [{"id": "x", "title": "X", "indicators": [
        {"code": "A", "label": "A", "unit": "percentage"},
        {"code": "B", "label": "B", "gap": ["A"]},
        {"code": "A", "label": "again"},
    ]}]}
    monkeypatch.setattr(analysis, "load_config", lambda name: config)
    with pytest.raises(InputError) as err:
        ach.phases.__wrapped__()
    messages = [str(p) for p in err.value.problems]
    assert messages == [
        "config/indicators.yaml, key 'phases.x.A': unit 'percentage' is not one of percent, score, points",
        "config/indicators.yaml, key 'phases.x.B': gap needs two codes: [minuend, subtrahend]",
        "config/indicators.yaml, key 'phases.x.A': indicator listed twice",
    ]


# --------------------------------------------------------------------------- words
@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                         (13, "13th"), (21, "21st"), (97, "97th"), (101, "101st"), (111, "111th")])
def test_ordinal(n, text):
    assert wording.ordinal(n) == text


def test_number():
    assert wording.number(63.0, "percent", 0) == "63%"
    assert wording.number(58.43, "percent", 1) == "58.4%"
    assert wording.number(-0.004, "score", 2) == "0.00"  # no negative zero
    assert wording.number(-0.1, "score", 2) == "-0.10"
    assert wording.number(1.0, "points", 0) == "1 point" and wording.number(20.0, "points", 0) == "20 points"
    assert wording.number(20.0, "points", 0, words=False) == "20"
    assert wording.number(float("nan"), "percent", 0) == "–"


def row(**values):
    base = {"indicator": "X", "label": "Expected standard", "unit": "percent", "decimals": 0,
            "says": "{value} reached the expected standard", "year": 2025, "year_label": "2025",
            "la_value": 58.0, "england": 61.0, "sn_mean": 58.4, "gap_england": -3.0, "gap_sn": -0.4,
            "versus_england": "worse", "versus_sn": "in_line", "rank": 97, "n_ranked": 152, "band": "C",
            "change": -1.0, "previous_label": "2024", "trend": pd.NA, "trend_from": pd.NA, "concern": False,
            "la_reason": pd.NA}
    base.update(values)
    return base


def test_sentence_of_the_brief():
    assert ach.sentence(row(), "Leics") == (
        "58% reached the expected standard, 3 points below England (61%) and in line with the statistical "
        "neighbours (58.4%); 97th of 152 LAs, band C; down 1 point on last year.")


def test_sentence_variants():
    both = ach.sentence(row(england=58.2, gap_england=-0.2, versus_england="in_line", band=pd.NA, change=0.0,
                            previous_label="2019", trend="improving", trend_from="2022 (Rev)"), "Leics")
    assert both == ("58% reached the expected standard, in line with England (58%) and the statistical neighbours "
                    "(58.4%); 97th of 152 LAs; the same as 2019; improving since 2022.")
    up = ach.sentence(row(la_value=0.17, england=0.04, sn_mean=-0.204, gap_england=0.13, gap_sn=0.374,
                          versus_england="better", versus_sn="better", unit="score", decimals=2, change=-0.23,
                          says="The progress score was {value}"), "Leics")
    assert up.startswith("The progress score was 0.17, 0.13 points above England (0.04) and 0.37 points above the "
                         "statistical neighbours (-0.20); 97th of 152 LAs, band C; down 0.23 points on last year")
    missing = ach.sentence(row(la_value=math.nan, la_reason="suppressed"), "Leics")
    assert missing == "Expected standard: no figure for Leics in 2025 (suppressed); England 61%."


def test_notable():
    assert ach.notable(row(band="A")) and ach.notable(row(band="D"))
    assert not ach.notable(row(band="B")) and not ach.notable(row(band=pd.NA))
    assert ach.notable(row(band="C", concern=True))


# --------------------------------------------------------------------------- views
def test_phase_view_is_a_layout_of_display_blocks(clean_env):
    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    result = ach.analyse(Inputs(params))
    blocks = views.phase(result, "ks2")
    # one note, the table and its key, a heading and sentences per group of pupils, trend, neighbours and gap charts
    assert [b.type for b in blocks] == ["paragraph", "table", "paragraph"] + ["heading", "sentences"] * 5 + \
        ["figure"] * 3
    assert blocks[3] == Heading("Key stage 2 – All pupils", 4)
    table = blocks[1]
    assert table.name == "ks2" and table.caption.startswith("Key stage 2: ")
    assert list(table.written.columns) == ach.BENCHMARK_COLUMNS
    # the page shows each figure in its own unit: a percentage, a scaled score, a gap in points
    assert table.visible == ["label", "year", "la_value", "england", "region", "sn_mean", "rank", "band", "change",
                             "trend"]
    first = table.frame.iloc[0]
    assert cell_text(first["la_value"], table.columns["la_value"], first) == f"{first['la_value']:.0f}%"
    assert cell_text(first["rank"], table.columns["rank"], first) == f"{first['rank']} of {first['n_ranked']}"
    figures = [b for b in blocks if b.type == "figure"]
    assert figures[0].caption == ("Reading, writing and maths: expected standard: Sampleshire (synthetic) and its "
                                  "benchmarks over time")
    assert figures[0].svg.startswith("<?xml") and figures[0].kind == "line"
    assert list(figures[0].data.columns) == ["year_label", "la_value", "england", "region", "sn_mean"]
    overview = views.overview(result)
    assert [(b.name, b.shown) for b in overview] == [("benchmark", True), ("timeseries", False)]


# --------------------------------------------------------------------------- the section on real and sample data
def run_achievement(tmp_path, **params):
    path = write_params(tmp_path / "period.yaml", period="2025-26-autumn", as_at="2025-12-31",
                        sections=["achievement"], **params)
    index = run_pack(path, tmp_path / "out", progress=False)
    return index.parent


def read_benchmark(pack) -> pd.DataFrame:
    return pd.read_csv(pack / "tables" / "achievement__benchmark.csv", dtype={"indicator": str, "year": str})


@pytest.mark.pack
@pytest.mark.real_data
def test_section_on_real_lait_for_leicestershire(real, tmp_path):
    folder = real / "lait"
    pack = run_achievement(tmp_path, la_code="855", data={
        "lait": str(folder / "bds_long_0.parquet"), "lait_dictionary": str(folder / "lait_data_dictionary.csv"),
        "neighbours": str(folder / "sn_may_2025.xlsx")})
    table = read_benchmark(pack)
    assert list(table.columns) == ach.BENCHMARK_COLUMNS
    assert len(table) == len(ach.all_indicators())  # every configured indicator is in the real file
    rows = table.set_index("indicator")
    # hand-checked against the raw parquet (see tests/test_benchmark.py for the pandas used)
    assert rows.loc["KS2RWM_Expected_STD", ["year", "la_value", "england", "region", "sn_mean", "rank", "n_ranked",
                                            "band", "change", "trend"]].tolist() == \
        ["2025", 63.0, 63.0, 61.0, pytest.approx(60.7), 63, 151, "C", 2.0, "stable"]
    assert rows.loc["16-17 NEET", ["la_value", "england", "rank", "n_ranked", "band", "trend"]].tolist() == \
        [1.2, 3.4, 9, 153, "A", "improving"]
    assert rows.loc["AVG_Prog8_Score", ["year", "la_value", "rank", "band"]].tolist() == ["2024", -0.1, 87, "C"]
    # the derived disadvantaged gap, 2025: NonDAP_NEW_KS2_RWM 68 - DAP_NEW_KS2_RWM 43 = 25 (England 70 - 48 = 22);
    # (gaps < 25).sum() + 1 = 98 of 151 LAs with both; quartiles 19, 23, 26 -> band C; 2024 gap 26 -> change -1
    assert rows.loc["GAP_KS2_RWM_DAP", ["la_value", "england", "region", "sn_mean", "rank", "n_ranked", "band",
                                        "change"]].tolist() == [25.0, 22.0, 23.0, pytest.approx(26.4), 98, 151, "C", -1.0]
    assert pd.isna(rows.loc["KS2R_AVG_Scaled_Score", "band"])  # LAIT shows no quartiles for scaled scores
    assert rows.loc["APSE_Alevel", "phase"] == "Key stage 5: A levels"
    series = pd.read_csv(pack / "tables" / "achievement__timeseries.csv", dtype={"year": str})
    assert list(series.columns) == ["indicator", "year", "area", "value"]
    ks2 = series[(series["indicator"] == "KS2RWM_Expected_STD") & (series["year"] == "2019")].set_index("area")
    assert ks2["value"].to_dict() == {"Leicestershire": 67.0, "England": 65.0, "East Midlands": 63.0,
                                      "Statistical neighbours (mean)": pytest.approx(64.9)}
    page = (pack / "achievement.html").read_text(encoding="utf-8")
    assert "63% of pupils reached the expected standard in reading, writing and maths, in line with England (63%)" in page
    assert "no national key stage 3 data since 2013" in page
    lists = sum(len({i.group for i in p.indicators}) for p in ach.phases())  # one list per group of pupils
    assert page.count('class="leep-sentences"') == lists and "leep-notable" in page and "leep-quiet" in page
    assert '<h4 id="key-stage-2-–-disadvantaged">Key stage 2 – Disadvantaged</h4>' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "anchors are unique"


@pytest.mark.pack
def test_section_on_the_sample_in_committee_mode(tmp_path):
    pack = run_achievement(tmp_path, la_code="050", audience="committee")
    table = read_benchmark(pack)
    assert list(table.columns) == ach.BENCHMARK_COLUMNS and len(table) == len(ach.all_indicators())
    # independent check from the raw sample table: values as text, LA Number as a float
    raw = pd.read_parquet(SAMPLE_DIR / "lait.parquet")
    ks2 = raw[(raw["Short Desc"] == "KS2RWM_Expected_STD") & (raw["Years"] == "2025")]
    values = pd.to_numeric(ks2["Values"], errors="coerce")
    codes = ks2["LA Number"].astype(int)
    la, england = values[codes == 50].iloc[0], values[codes == 970].iloc[0]
    las = values[codes < 970].dropna()
    row = table.set_index("indicator").loc["KS2RWM_Expected_STD"]
    assert (row["la_value"], row["england"]) == (la, england)
    assert (row["rank"], row["n_ranked"]) == ((las > la).sum() + 1, len(las))
    page = (pack / "achievement.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*alt="[^"]{40,}"', page)) >= 15, "every chart has real alt text"
    assert "Traceback" not in page and "output_stderr" not in page
    assert not (pack / "logs").exists(), "no warnings from the section"
