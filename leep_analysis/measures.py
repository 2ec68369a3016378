"""The measure registry: every figure a reader sees is one measure, defined once.

``config/measures.yaml`` defines the measures of the inspections, support, concerns and budget
sections and the LA's own entries; the achievement section's are made here from
``config/indicators.yaml`` (``achievement_<LAIT code>``), so that each indicator is written
once. A measure's key names it in the facts table (``facts.py``), on its tiles, in the table
columns that show it and in the sentences that cite it; its label is what a reader sees, and
two measures never share one (``check``, run when the package is imported).

One rule says when a figure is "in line with" a benchmark (``versus``): within the measure's
``in_line`` tolerance, in its own units. The tiles, the sentences and the summary evaluation
all use it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from .config import load_config

Unit = str  # percent, count, number, money, points
AREAS = ("la", "region", "neighbours", "england")
UNITS = ("percent", "count", "number", "money", "points")
FRAMEWORKS = ("overall", "key_judgements", "report_card", "rule", "any", "none")


class Measure(BaseModel):
    """One measure of the registry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    definition: str
    population: str
    unit: str
    decimals: int = 0
    polarity: str | None = None
    in_line: float = 0.0
    source: str
    framework: str = "none"
    section: str
    areas: tuple[str, ...] = ("la",)


def _achievement() -> dict[str, dict[str, Any]]:
    """One measure per configured LAIT indicator (and derived gap), from ``config/indicators.yaml``."""
    out = {}
    for phase in load_config("indicators")["phases"]:
        for item in phase.get("indicators") or []:
            merged = {**{k: v for k, v in phase.items() if k not in ("id", "title", "notes", "indicators")}, **item}
            unit = merged.get("unit", "percent")
            gap = merged.get("gap")
            out[f"achievement_{item['code']}"] = {
                "label": str(item["label"]) if str(phase["title"]) in str(item["label"])
                else f"{item['label']} ({phase['title']})",
                "definition": str(merged.get("says", item["label"])).replace("{value}", "the figure")
                + (" (a derived gap: the first group's figure minus the second's)" if gap else "")
                + ", from the DfE's LA Interactive Tool (LAIT).",
                "population": str(merged.get("group") or "all pupils"),
                "unit": {"percent": "percent", "score": "number", "points": "points"}[unit],
                # held to one place more than shown: the neighbours' mean is shown to one more (wording.mean_decimals)
                "decimals": (int(merged["decimals"]) if merged.get("decimals") is not None else 1) + 1,
                "polarity": merged.get("polarity", "Low" if gap else None),
                "in_line": float(merged.get("in_line", 0.0)),
                "source": "lait", "framework": "none", "section": "achievement",
                "areas": ["la", "region", "neighbours", "england"],
            }
    return out


@functools.cache
def registry() -> dict[str, Measure]:
    """Every measure, by key: ``config/measures.yaml``'s, then the achievement section's."""
    raw = {**load_config("measures")["measures"], **_achievement()}
    return {key: Measure(key=key, **entry) for key, entry in raw.items()}


def get(key: str) -> Measure:
    """A measure by key.

    Raises
    ------
    KeyError
        A key the registry does not hold (a figure with no definition).
    """
    try:
        return registry()[key]
    except KeyError:
        raise KeyError(f"measure {key!r} is not in the measure registry (config/measures.yaml)") from None


def known(key: str) -> bool:
    return key in registry()


def check(found: Mapping[str, Measure] | None = None) -> list[str]:
    """What is wrong with the registry: a label shared by two measures, an unknown unit, area or framework."""
    found = registry() if found is None else found
    problems = []
    by_label: dict[str, str] = {}
    for key, measure in found.items():
        other = by_label.setdefault(measure.label.lower(), key)
        if other != key:
            problems.append(f"measures {other} and {key} share the label {measure.label!r}")
        if measure.unit not in UNITS:
            problems.append(f"measure {key}: unit {measure.unit!r} is not one of {', '.join(UNITS)}")
        if measure.framework not in FRAMEWORKS:
            problems.append(f"measure {key}: framework {measure.framework!r} is not one of {', '.join(FRAMEWORKS)}")
        if measure.polarity not in (None, "High", "Low"):
            problems.append(f"measure {key}: polarity must be High, Low or left out")
        problems += [f"measure {key}: unknown area {a!r}" for a in measure.areas if a not in AREAS]
    return problems


def versus(key: str, local: object, benchmark: object, *, tolerance: float | None = None) -> str:
    """``better``, ``worse`` or ``in_line``: the one rule for "in line with" (the measure's tolerance, in its
    units, inclusive; ``tolerance`` where the params replace it); "" without both figures or a polarity
    (``in_line`` is still said for a measure with no polarity whose figures are within the tolerance)."""
    import pandas as pd

    if local is None or benchmark is None or pd.isna(local) or pd.isna(benchmark):  # type: ignore[arg-type]
        return ""
    measure = get(key)
    margin = measure.in_line if tolerance is None else tolerance
    difference = float(local) - float(benchmark)  # type: ignore[arg-type]
    if abs(difference) <= margin + 1e-9:
        return "in_line"
    if measure.polarity not in ("High", "Low"):
        return ""
    return "better" if (difference > 0) == (measure.polarity == "High") else "worse"


_problems = check()
if _problems:
    raise ValueError("config/measures.yaml: " + "; ".join(_problems))
