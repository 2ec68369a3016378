"""RAG rules of the summary evaluation, on cases worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from leep_analysis import evaluation
from leep_analysis.params import EvaluationSettings, RagRule

DEFAULT = EvaluationSettings()


@pytest.mark.parametrize(
    ("local", "national", "polarity", "tol", "expected"),
    [
        (63, 63, "High", 1.0, "in_line"),
        (64, 63, "High", 1.0, "in_line"),       # exactly the tolerance away: in line
        (64.5, 63, "High", 1.0, "better"),
        (61, 63, "High", 1.0, "worse"),
        (2.0, 3.4, "Low", 0.5, "better"),       # lower is better (e.g. % in a category)
        (4.0, 3.4, "Low", 0.5, "worse"),
        (float("nan"), 3.4, "Low", 0.5, None),
    ],
)
def test_versus_national(local, national, polarity, tol, expected):
    assert evaluation.versus_national(local, national, polarity, tol) == expected


@pytest.mark.parametrize(
    ("comparison", "trend", "expected"),
    [
        ("better", "improving", "green"),
        ("in_line", "stable", "green"),
        ("in_line", None, "green"),            # no trend yet: judged on the comparison
        ("better", "declining", "amber"),
        ("worse", "improving", "amber"),
        ("worse", "declining", "red"),
        (None, "declining", "not rated"),
    ],
)
def test_default_rules(comparison, trend, expected):
    assert evaluation.rate(comparison, trend, evaluation.rules(DEFAULT)) == expected


def test_params_can_replace_rules():
    strict = EvaluationSettings(rag_rules=[
        RagRule(rag="green", versus_national=["better"], trend=["improving", "stable"]),
        RagRule(rag="red", versus_national=["worse"], trend=["improving", "stable", "declining", "unknown"]),
        RagRule(rag="amber", versus_national=["better", "in_line", "worse"], trend=["improving", "stable", "declining", "unknown"]),
    ], tolerances={"A": 0.0})
    measures = pd.DataFrame([
        ("A", "pupils in good schools", 89.0, 90.0, "%", "improving", "", 1),
        ("A", "same but equal", 90.0, 90.0, "%", "stable", "", 1),
    ], columns=evaluation.MEASURE_COLUMNS)
    rated = evaluation.rate_measures(measures, strict)
    assert rated["rag"].tolist() == ["red", "amber"]
    assert evaluation.rules_text(strict)[0] == "Green: better than national, and improving or stable."


def test_entered_f_and_g():
    entered = evaluation.entered_measures(EvaluationSettings(complaints=4, complaints_previous=6,
                                                            secretary_of_state_concerns=False))
    assert entered.set_index("indicator")["rag"].to_dict() == {"F": "green", "G": "green"}
    worse = evaluation.entered_measures(EvaluationSettings(complaints=7, complaints_previous=6, secretary_of_state_concerns=True))
    assert worse.set_index("indicator")["rag"].to_dict() == {"F": "red", "G": "red"}
    blank = evaluation.entered_measures(EvaluationSettings())
    assert blank["rag"].tolist() == ["not rated", "not rated"]
    assert blank["evidence"].tolist() == ["not entered in the params file"] * 2


def test_indicator_takes_worst_measure():
    measures = pd.DataFrame([
        ("D", "KS2 RWM", 63.0, 62.0, "%", "improving", "", 0),
        ("D", "Attainment 8", 44.0, 45.9, "", "declining", "", 1),
        ("D", "English and maths 9-4", 65.0, 64.0, "%", "stable", "", 0),
    ], columns=evaluation.MEASURE_COLUMNS)
    rated = evaluation.rate_measures(pd.concat([measures, evaluation.entered_measures(DEFAULT)]), DEFAULT)
    table = evaluation.indicator_table(rated).set_index("indicator")
    assert table.at["D", "rag"] == "red" and table.at["D", "measures"] == 3
    assert table.at["A", "rag"] == "not rated" and table.at["F", "rag"] == "not rated"
    assert list(table.index) == list("ABCDEFG")
