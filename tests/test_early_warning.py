"""Early warning: each alert on tiny frames worked by hand, scores and tiers, weights from params."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from leep_analysis.params import EarlyWarningSettings
from leep_analysis.sections.concerns import early_warning as ew


def results(rows: list[tuple[str, int, float]], stage: str = "ks2", measure: str = "PTRWM_EXP") -> pd.DataFrame:
    return pd.DataFrame([{"urn": u, "year": y, "key_stage": stage, "measure": measure, "value": v}
                         for u, y, v in rows])


NATIONAL = pd.DataFrame({"indicator": ["KS2RWM_Expected_STD"] * 3 + ["AVG_Prog8_Score"],
                         "year": [2023, 2024, 2025, 2025], "value": [60.0, 61.0, 62.0, -0.03]})


def test_results_alerts():
    perf = results([("1", 2023, 70), ("1", 2024, 65), ("1", 2025, 60),   # falling three years, 2 below England
                    ("2", 2023, 50), ("2", 2024, 55), ("2", 2025, 51.9),  # 10.1 below England in 2025
                    ("3", 2024, 40), ("3", 2025, 39),                      # only two results: not "declining"
                    ("4", 2025, 52), ("4", 2026, 10)])                     # 2026 results not known in Dec 2025
    perf = pd.concat([perf, results([("5", 2025, -0.6)], "ks4", "P8MEA")])  # 0.57 below England's -0.03
    alerts = ew.results_alerts(perf, NATIONAL, pd.Series(["1", "2", "3", "4", "5"]), dt.date(2025, 12, 31))
    found = sorted(zip(alerts["urn"], alerts["alert"], strict=True))
    assert found == [("1", "results_declining"), ("2", "results_below_national"), ("3", "results_below_national"),
                     ("5", "results_below_national")]
    assert alerts.set_index(["urn", "alert"]).at[("1", "results_declining"), "detail"] == \
        "KS2 reading, writing and maths expected standard: 70.0, 65.0, 60.0"
    # in August 2025 the 2025 results are not yet known: school 1 has two results, falling once
    early = ew.results_alerts(perf, NATIONAL, pd.Series(["1"]), dt.date(2025, 8, 31))
    assert early.empty


def history(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame({"lineage": [r[0] for r in rows], "urn": [r[0] for r in rows],
                         "inspection_date": pd.to_datetime([r[1] for r in rows]),
                         "grade": pd.array([r[2] for r in rows], dtype="Int64")})


def test_inspection_alerts():
    hist = history([("1", "2019-01-10", 2), ("1", "2024-05-01", 3),   # declined to RI
                    ("2", "2023-03-01", 4),                            # inadequate
                    ("3", "2018-06-01", 2),                            # more than five years ago
                    ("4", "2022-01-01", 3), ("4", "2026-02-01", 2)])   # 2026 inspection not yet known
    alerts = ew.inspection_alerts(hist, {"9": "4"}, pd.Series(["1", "2", "3", "9"]), dt.date(2025, 12, 31))
    found = sorted(zip(alerts["urn"], alerts["alert"], strict=True))
    assert found == [("1", "declined_at_inspection"), ("1", "grade_requires_improvement"),
                     ("2", "grade_inadequate"), ("3", "long_since_inspection"), ("9", "grade_requires_improvement")]
    assert alerts.set_index(["urn", "alert"]).at[("1", "declined_at_inspection"), "detail"] == \
        "Good to requires improvement on 1 May 2024"


def test_intelligence_alerts():
    intel = pd.DataFrame({
        "urn": ["1", "2", "3"], "date_recorded": pd.to_datetime(["2025-10-01", "2025-10-01", "2026-01-10"]),
        "change_of_head": pd.to_datetime(["2025-01-05", "2024-11-30", None]), "complaints": [2, 1, 5],
        "finance": [True, False, True], "hr": [False] * 3, "governance": [False, True, False],
        "safeguarding": [False] * 3})
    alerts = ew.intelligence_alerts(intel, pd.Series(["1", "2", "3"]), dt.date(2025, 12, 31))
    # school 3's row was recorded after the period's date; school 2's head started over a year before
    assert sorted(zip(alerts["urn"], alerts["alert"], strict=True)) == [
        ("1", "change_of_head"), ("1", "complaints"), ("1", "finance"), ("2", "governance")]


def test_score_tiers_and_weights():
    alerts = pd.DataFrame({"urn": ["1", "1", "1", "2", "3"],
                           "alert": ["grade_inadequate", "finance", "governance", "grade_requires_improvement",
                                     "hr"], "detail": ""})
    weights = ew.weights(EarlyWarningSettings())
    scored = ew.score(alerts, weights).set_index("urn")
    assert scored["score"].to_dict() == {"1": 7.0, "2": 2.0, "3": 1.0}  # 4 + 1 + 2; 2; 1
    assert scored["suggested_tier"].to_dict() == {"1": "intensive", "2": "collaborative", "3": "collaborative"}
    assert scored.at["1", "alerts"] == ("grade_inadequate", "finance", "governance")
    heavier = ew.weights(EarlyWarningSettings(weights={"grade_requires_improvement": 3}))
    assert ew.score(alerts, heavier).set_index("urn").at["2", "suggested_tier"] == "targeted"
    with pytest.raises(ValueError, match="unknown early-warning alert"):
        ew.weights(EarlyWarningSettings(weights={"grade_good": 1}))


def test_sample_early_warning():
    from leep_analysis import concerns
    from leep_analysis.config import PROJECT_DIR
    from leep_analysis.inputs import Inputs
    from leep_analysis.params import load_params

    params, _ = load_params(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    result = concerns.analyse(Inputs(params)).alerts
    assert result.n_schools == 250
    assert list(result.risks.columns) == ew.RISK_COLUMNS
    assert result.risks["score"].is_monotonic_decreasing
    assert not result.alerts.duplicated(["urn", "alert"]).any()
    # every school with an inadequate grade scores at least its weight, and is suggested a tier
    inadequate = set(result.alerts.loc[result.alerts["alert"] == "grade_inadequate", "urn"])
    assert inadequate and (result.risks.set_index("urn").loc[sorted(inadequate), "score"] >= 4).all()


def absence_rows(rows: list[tuple]) -> pd.DataFrame:
    """(urn, phase, year, value) -> absence rows as ``load_absence`` gives them."""
    return pd.DataFrame({"urn": pd.array([r[0] for r in rows], dtype="string"),
                         "phase": pd.array([r[1] for r in rows], dtype="string"),
                         "year": [r[2] for r in rows], "measure": "PPERSABS10", "value": [r[3] for r in rows]})


def test_absence_alerts_and_context():
    absence = absence_rows([(None, "primary", 2025, 14.5), (None, "secondary", 2025, 20.0),
                            ("1", None, 2025, 19.6),   # 5.1 above primary England: alert
                            ("2", None, 2025, 19.5),   # exactly 5 above: in the margin, no alert
                            ("3", None, 2025, 24.0),   # secondary, 4 above: none
                            ("4", None, 2025, 60.0),   # a nursery: no England figure to compare with
                            ("5", None, 2026, 40.0)])  # 2025/26 is not known in December 2025
    phases = pd.Series({"1": "primary", "2": "primary", "3": "secondary", "4": "nursery", "5": "primary"})
    alerts = ew.absence_alerts(absence, phases, dt.date(2025, 12, 31))
    assert alerts[["urn", "alert", "detail"]].values.tolist() == [
        ["1", "absence_high", "19.6% persistent absentees in 2024/25, England 14.5%"]]
    census = pd.DataFrame({"urn": pd.array(["1", "1", "1"], dtype="string"), "year": [2024, 2025, 2025],
                           "measure": ["NOR", "NOR", "PNUMFSMEVER"], "value": [200.0, 210.0, 31.5]})
    assert ew.context(census, dt.date(2025, 12, 31)).to_dict("records") == [
        {"urn": "1", "pupils": 210, "pct_fsm_ever": 31.5}]
