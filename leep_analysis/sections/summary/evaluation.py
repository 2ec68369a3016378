"""The summary evaluation: DfE indicators A to G, each with national and local figures and a RAG rating.

Indicators and rules are configuration (``config/evaluation.yaml``, versioned,
and documented in ``docs/evaluation-indicators.md``); a params file may replace
the RAG rules or the tolerances. Each measure is compared with national
(better, in line, worse, judged by the indicator's polarity and tolerance),
combined with its trend, and the first matching rule gives its rating; an
indicator's rating is the worst of its measures' ratings. The sentences
(evidence, the rules in words) are written in ``words``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ...config import load_config
from ...params import EvaluationSettings
from ...sources.lait import parse_year_label
from ...wording import number
from . import words

RAG_ORDER = {"green": 0, "amber": 1, "red": 2, "not rated": -1}
#: Columns of a measure row, before rating. ``key`` names the measure across packs (a LAIT code, a column of
#: the inspections summary, ``complaints``); ``year`` is the year or snapshot date its figure is for and
#: ``status`` that figure's status (``provisional``, ``revised``, ``final`` or blank), so that the next pack
#: tells a revision by the source from a change.
MEASURE_COLUMNS = ["indicator", "measure", "local", "national", "unit", "trend", "evidence", "decimals", "key",
                   "year", "status"]


def definitions() -> dict[str, Any]:
    """The indicators' definitions, rules and version from configuration."""
    return load_config("evaluation")


def rules(settings: EvaluationSettings) -> list[dict[str, Any]]:
    """The RAG rules in force: the params' own, else the configured ones."""
    if settings.rag_rules:
        return [rule.model_dump() for rule in settings.rag_rules]
    return list(definitions()["rag_rules"])


def tolerance(indicator: str, settings: EvaluationSettings, key: str | None = None) -> float:
    """How far from national a measure may be and still be in line: the params' margin for the indicator where
    they set one, else the measure's own (``config/measures.yaml``, ``in_line``: the one rule the tiles and the
    sections' sentences use too), else the indicator's configured one."""
    from ... import measures

    if indicator in settings.tolerances:
        return float(settings.tolerances[indicator])  # type: ignore[index]
    if key is not None and measures.known(key):
        return float(measures.get(key).in_line)
    return float(definitions()["indicators"][indicator]["tolerance"])


def tolerances(settings: EvaluationSettings, rated: pd.DataFrame | None = None) -> list[tuple[str, str, float]]:
    """The margin in force for each measure of A to E: (indicator, measure, margin); F and G are not compared
    with national. Without measures, each indicator's configured margin."""
    if rated is None or rated.empty:
        return [(letter, "", tolerance(letter, settings)) for letter in "ABCDE"]
    rows = rated[rated["indicator"].isin(list("ABCDE"))]
    return [(r["indicator"], str(r["measure"]), tolerance(r["indicator"], settings, r["key"]))
            for r in rows.to_dict("records")]


def versus_national(local: float, national: float, polarity: str, tol: float) -> str | None:
    """``better``, ``in_line`` or ``worse``, judged by polarity; None without both figures.

    In line means within ``tol`` of national (inclusive), in the measure's units.
    """
    if pd.isna(local) or pd.isna(national):
        return None
    difference = float(local) - float(national)
    if abs(difference) <= tol + 1e-9:
        return "in_line"
    better = difference > 0 if polarity == "High" else difference < 0
    return "better" if better else "worse"


def rate(comparison: str | None, trend: str | None, rule_list: Iterable[Mapping[str, Any]]) -> str:
    """The first rule matching the comparison and trend; ``not rated`` without a comparison."""
    if comparison is None:
        return "not rated"
    trend = trend if trend in ("improving", "stable", "declining") else "unknown"
    for rule in rule_list:
        if comparison in rule["versus_national"] and trend in rule["trend"]:
            return str(rule["rag"])
    return "not rated"


def rate_measures(measures: pd.DataFrame, settings: EvaluationSettings) -> pd.DataFrame:
    """Add ``versus_national`` and ``rag`` to measure rows (columns ``MEASURE_COLUMNS``).

    Indicators F and G carry their rating in ``rag`` already (see ``entered_measures``).
    """
    config = definitions()["indicators"]
    rule_list = rules(settings)
    out = measures.copy()
    comparisons, ratings = [], []
    for row in out.itertuples(index=False):
        if row.indicator in ("F", "G"):
            comparisons.append(None)
            ratings.append(row.rag if "rag" in out.columns and isinstance(row.rag, str) else "not rated")
            continue
        comparison = versus_national(row.local, row.national, config[row.indicator]["polarity"],
                                     tolerance(row.indicator, settings, row.key))
        comparisons.append(comparison)
        ratings.append(rate(comparison, row.trend, rule_list))
    out["versus_national"] = comparisons
    out["rag"] = ratings
    return out


def entered_measures(settings: EvaluationSettings) -> pd.DataFrame:
    """Indicators F and G from the LA's own entries in the params file.

    F (complaints): red if more than the previous period, green if fewer or the
    same, amber with no previous count; G: red if the Secretary of State has
    concerns, green if not; not rated where the LA entered nothing.
    """
    rows = []
    if settings.complaints is None:
        rows.append(("F", "Qualifying complaints to Ofsted", None, None, "complaints", None, words.NOT_ENTERED, 0,
                     "complaints", "", "", "not rated"))
    else:
        previous = settings.complaints_previous
        if previous is None:
            rag, trend = "amber", None
        else:
            rag = "red" if settings.complaints > previous else "green"
            trend = "improving" if settings.complaints < previous else ("stable" if settings.complaints == previous else "declining")
        rows.append(("F", "Qualifying complaints to Ofsted", float(settings.complaints), None, "complaints",
                     trend, words.complaints_evidence(settings.complaints, previous), 0, "complaints", "", "", rag))
    if settings.secretary_of_state_concerns is None:
        rows.append(("G", "Secretary of State concerns", None, None, "", None, words.NOT_ENTERED, 0,
                     "secretary_of_state", "", "", "not rated"))
    else:
        concerns = settings.secretary_of_state_concerns
        evidence = words.secretary_of_state_evidence(concerns, settings.secretary_of_state_note)
        rows.append(("G", "Secretary of State concerns", None, None, "", None, evidence, 0,
                     "secretary_of_state", "", "", "red" if concerns else "green"))
    return pd.DataFrame(rows, columns=[*MEASURE_COLUMNS, "rag"])


def indicator_table(rated: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator A to G: the worst rating of its measures, with its description.

    Returns
    -------
    DataFrame
        ``indicator``, ``description``, ``rag``, ``measures`` (how many measures
        were rated), in A to G order.
    """
    config = definitions()["indicators"]
    rows = []
    for letter in "ABCDEFG":
        part = rated[rated["indicator"] == letter]
        rated_part = [r for r in part["rag"] if RAG_ORDER.get(r, -1) >= 0]
        rag = max(rated_part, key=RAG_ORDER.__getitem__) if rated_part else "not rated"
        rows.append((letter, config[letter]["description"], rag, len(rated_part)))
    return pd.DataFrame(rows, columns=["indicator", "description", "rag", "measures"])


# --------------------------------------------------------------------------- the measures, from the sections
def _direction(change: float, polarity: str, tol: float) -> str | None:
    """improving, stable or declining for a change in a measure's units, judged by polarity."""
    if pd.isna(change):
        return None
    if abs(change) < tol + 1e-9:
        return "stable"
    return "improving" if (change > 0) == (polarity == "High") else "declining"


#: The measures of A, B and C (``config/measures.yaml``), worked out by the inspections section.
INSPECTION_MEASURES = {"A": "inspections_pupils_good_or_better_with_rule",
                       "B": "inspections_category_of_concern_pct",
                       "C": "inspections_not_good_with_rule"}


def inspection_measures(known: Any, settings: EvaluationSettings, *, withhold_below: int | None = None) -> pd.DataFrame:
    """Measures A, B and C from the inspections section's facts (``facts.Facts``).

    A: % of pupils in good or better schools and C: % of schools not good or better, each counting
    the inspections from September 2024 to November 2025 by the key-judgement rule (their own
    measures, labelled so, never Ofsted's "good or better"); B: % of schools in an Ofsted category
    of concern. Local is the LA, national England, at the latest snapshot; the trend is the change
    from the earliest snapshot of the pack with a figure to the latest, against the indicator's
    tolerance. With ``withhold_below`` (a committee pack's threshold), a share of fewer schools than that (its
    numerator from 1 to ``withhold_below - 1``) is withheld: no local figure, trend or figure in its evidence.
    Returns ``MEASURE_COLUMNS``.
    """
    from ...measures import get

    config = definitions()["indicators"]
    out = []
    for letter, key in INSPECTION_MEASURES.items():
        dates = sorted(f.period for f in known if f.measure == key and f.area == "la" and f.value is not None)
        if not dates:
            continue
        last, first = dates[-1], dates[0]
        local, national = known.get(key, "la", last), known.find(key, "england", last)
        if withhold_below is not None and any(0 < (f.numerator or 0) < withhold_below
                                              for f in known if f.measure == key and f.area == "la"):
            out.append((letter, get(key).label, float("nan"), float("nan") if national is None else national.value,
                        "percent", None, f"{get(key).label}: c (a count of fewer than {withhold_below} schools, "
                        "withheld with its share)", 1, key, last, ""))
            continue
        change = local.value - known.get(key, "la", first).value if first != last else float("nan")
        trend = _direction(change, config[letter]["polarity"], tolerance(letter, settings, key))
        evidence = words.inspection_evidence(letter, get(key).label, local, national, change, first,
                                             known=known)
        out.append((letter, get(key).label, local.value, float("nan") if national is None else national.value,
                    "percent", trend, evidence, 1, key, last, ""))
    return pd.DataFrame(out, columns=MEASURE_COLUMNS)


def attainment_measures(latest: pd.DataFrame) -> pd.DataFrame:
    """Measures D (attainment) and E (progress) from the achievement section's latest table.

    ``latest`` is ``achievement.Achievement.latest`` (``indicator``, ``label``,
    ``year_label``, ``la_value``, ``england``, ``trend``, ``unit``, ``decimals``,
    ``change``). Measures with no figure for the LA are left out. Returns
    ``MEASURE_COLUMNS``.
    """
    by_code = latest.set_index("indicator")
    out = []
    for letter, key in (("D", "attainment_measures"), ("E", "progress_measures")):
        for code in definitions()[key]:
            if code not in by_code.index or pd.isna(by_code.at[code, "la_value"]):
                continue
            row = by_code.loc[code]
            trend = row["trend"] if isinstance(row["trend"], str) else None
            out.append((letter, f"{row['label']} ({row['year_label']})", float(row["la_value"]),
                        float(row["england"]) if not pd.isna(row["england"]) else float("nan"), str(row["unit"]),
                        trend, words.attainment_evidence(row, trend), int(row["decimals"]), f"achievement_{code}",
                        str(int(row["year"])), parse_year_label(str(row["year_label"]))[1] or ""))
    return pd.DataFrame(out, columns=MEASURE_COLUMNS)


INDICATOR_COLUMNS = ["indicator", "description", "national", "local", "trend", "rag", "evidence", "actions",
                     "comments"]


def summary_table(rated: pd.DataFrame, narrative: Mapping[str, Any] | None = None,
                  extra_evidence: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The A to G table the committee reads (``summary__indicators.csv``).

    ``rated`` is ``rate_measures`` output; ``narrative`` the period's narrative
    (``sources.narrative``) for actions and comments; ``extra_evidence`` adds a
    sentence to an indicator's evidence. Columns ``INDICATOR_COLUMNS``; national,
    local and trend list each measure's figure, '; '-separated.
    """
    worst = indicator_table(rated).set_index("indicator")
    actions = (narrative or {}).get("actions", {})
    rows = []
    for letter in "ABCDEFG":
        part = rated[rated["indicator"] == letter]
        def joined(values: Iterable[str]) -> str:
            return "; ".join(v for v in values if v) or "–"
        national = joined(number(n, u, d, words=False) if not pd.isna(n) else "" for n, u, d in
                          zip(part["national"], part["unit"], part["decimals"], strict=True))
        local = joined(number(v, u, d, words=False) if not pd.isna(v) else "" for v, u, d in
                       zip(part["local"], part["unit"], part["decimals"], strict=True))
        if letter == "G" and len(part):
            local = part["evidence"].iloc[0].split(":")[0]
        trend = joined(t if isinstance(t, str) else "not known" for t in part["trend"]) if len(part) else "–"
        evidence = ". ".join([*part["evidence"], *([extra_evidence[letter]] if extra_evidence and letter in
                                                   extra_evidence else [])])
        entered = actions.get(letter, {})
        rows.append((letter, worst.at[letter, "description"], national, local, trend, worst.at[letter, "rag"],
                     evidence or "no evidence", entered.get("actions", ""), entered.get("comments", "")))
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
