"""The summary's own sentences: the RAG rules in force, in words."""

from __future__ import annotations

from ...params import EvaluationSettings
from .evaluation import rules, tolerance

_WORDS = {"better": "better than national", "in_line": "in line with national", "worse": "worse than national",
          "improving": "improving", "stable": "stable", "declining": "declining", "unknown": "no trend"}


def rules_text(settings: EvaluationSettings) -> list[str]:
    """The RAG rules in force (``Summary.settings``), in words, for printing under the A to G table."""
    lines = []
    for rule in rules(settings):
        comparison = " or ".join(_WORDS[v] for v in rule["versus_national"])
        trend = " or ".join(_WORDS[t] for t in rule["trend"])
        lines.append(f"{rule['rag'].capitalize()}: {comparison}, and {trend}.")
    tol = ", ".join(f"{k} {tolerance(k, settings):g}" for k in "ABCDE")
    lines.append(f"In line means within the tolerance of national, in each measure's units ({tol}); "
                 "an indicator takes the worst rating of its measures. F: red if complaints rose on the previous "
                 "period, green if not. G: red if the Secretary of State has concerns.")
    return lines
