"""The support tables as a committee pack shows them: what each withholds, worked out once per result.

The page's tables, their charts, the key messages and the headline tiles all read these, so that a sentence
never gives what its table hides. An internal pack withholds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from ... import disclosure, relations
from ...facts import Fact
from . import analysis
from .analysis import ALL, Analysis
from .data import SupportData

T = TypeVar("T")

#: The impact table's inspection measures -> the next-inspection table's share whose difference each is
INSPECTION_SHARES = {"inspection_improved": "pct_improved", "inspection_good": "pct_good"}
#: Each supported school is in one tier (its most intensive), so a measure's tiers add up to its "all" row
IMPACT_RELATIONS = (relations.down("group", ALL, ["n_supported"], by=["measure"]),)
#: The next-inspection shares that add up to 100 in a row (any two give the third)
OUTCOME_SHARES = ("pct_improved", "pct_same", "pct_declined")
#: The ways a supported school is followed add up to every school supported to date (the last row)
FOLLOWING_RELATIONS = (relations.down("status", "all", ["n_schools"]),)
#: The following table's rows that are facts of the pack
FOLLOWING_FACTS = {"not_followed": "support_not_followed", "all": "support_schools_to_date"}

_MADE: dict[tuple[str, int], tuple[Analysis, object]] = {}


def _once(name: str, result: Analysis, make: Callable[[Analysis], T]) -> T:
    """``make(result)``, worked out once for the result (the page, its sentences and its tiles ask several times);
    only the latest result's are kept."""
    key = (name, id(result))
    if key not in _MADE or _MADE[key][0] is not result:
        for old in [k for k, (r, _) in _MADE.items() if r is not result]:
            del _MADE[old]
        _MADE[key] = (result, make(result))
    return _MADE[key][1]  # type: ignore[return-value]


def small_rate(data: SupportData, fact: Fact | None) -> bool:
    """In a committee pack, a share whose count or base is from 1 to ``threshold - 1`` (withheld, as DfE does)."""
    return bool(data.committee and fact is not None and any(
        v is not None and 0 < v < data.threshold for v in (fact.numerator, fact.denominator)))


def inspection(result: Analysis) -> disclosure.Withheld:
    """The next-inspection outcomes (``support__inspection.csv``), its chart and its sentence.

    The supported row's shares are of whole schools: a share standing for, or leaving, fewer schools than the
    threshold (10% of 30 is 3 schools; 75% of 8 below good leaves 2) is withheld, improved, same and declined
    together (they add up to 100); the median months to good where fewer schools than the threshold reached good.
    The comparison row's shares weight each similar school (Ofsted's public grades of schools the LA does not
    support) and are shown."""
    return _once("inspection", result, _inspection)


def _inspection(result: Analysis) -> disclosure.Withheld:
    data = result.data
    frame = analysis.inspection_summary(result)
    frame = frame.assign(as_at=pd.Timestamp(data.as_at), key_improved=frame["group"].map(
        {"supported": "support_improved_next", "comparison": "support_improved_next_similar"}),
        key_declined=frame["group"].map({"supported": "support_declined_next",
                                         "comparison": "support_declined_next_similar"}),
        key_good=frame["group"].map({"supported": "support_good_next", "comparison": "support_good_next_similar"}),
        key_n=frame["group"].map({"supported": "support_compared"}))
    table = disclosure.withhold(frame, ["n_schools"], threshold=data.threshold, committee=data.committee,
                                dependents={"n_schools": ["pct_improved", "pct_same", "pct_declined", "pct_good",
                                                          "months_to_good"]})
    if not data.committee:
        return table
    rows = [i for i, g in enumerate(table.frame["group"]) if g == "supported"]
    table = disclosure.withhold_shares(table, dict.fromkeys(OUTCOME_SHARES, "n_schools"), threshold=data.threshold,
                                       rows=rows, together=True)
    counts = analysis.supported_counts(result)
    good = table.frame["pct_good"].iloc[rows[0]] if rows else np.nan
    hide = [c for c, small in (
        ("pct_good", small_rate(data, result.known.find("support_good_next"))
         or disclosure.small_share(good, counts["below"], data.threshold)),
        ("months_to_good", 0 < counts["reached"] < data.threshold)) if small]
    if hide:
        blank = table.frame.astype({c: float for c in hide})
        blank.loc[rows, hide] = np.nan
        table = disclosure.Withheld(blank, table.cells | {(i, c) for i in rows for c in hide})
    return table


def impact(result: Analysis) -> disclosure.Withheld:
    """The impact table (``support__impact.csv``): small counts withheld with their estimates, and a complement in
    each measure's tiers, which add up to all supported schools (``IMPACT_RELATIONS``)."""
    return _once("impact", result, _impact)


def _impact(result: Analysis) -> disclosure.Withheld:
    data = result.data
    # the verdict goes with the counts: "too few schools to judge" or a judgement says whether a withheld count is
    # under the smallest group judged (5 = c + 5 + 0 would give both); and the comparison schools go with the
    # supported ones, each of which has at most ``comparisons`` of them (42 comparison schools are at least 5
    # supported)
    estimate = ["effect", "ci_low", "ci_high", "verdict"]
    found = disclosure.withhold(result.impact, ["n_supported", "n_comparison"], threshold=data.threshold,
                                dependents={"n_supported": [*estimate, "n_comparison"], "n_comparison": estimate},
                                committee=data.committee, relations=IMPACT_RELATIONS,
                                avoid_rows=[i for i, g in enumerate(result.impact["group"]) if g == ALL])
    if not data.committee:
        return found
    # an inspection measure's difference for all supported schools is their share less the similar schools' (both in
    # the next-inspection table): where the table withholds the supported share, the difference would give it
    shares = inspection(result)
    supported = [i for i, g in enumerate(shares.frame["group"]) if g == "supported"]
    withheld = {m for m, c in INSPECTION_SHARES.items() if any((i, c) in shares.cells for i in supported)}
    rows = [i for i, (m, g) in enumerate(zip(found.frame["measure"], found.frame["group"], strict=True))
            if m in withheld and g == ALL]
    if not rows:
        return found
    frame = found.frame.copy()
    frame.loc[rows, ["effect", "ci_low", "ci_high"]] = np.nan
    return disclosure.Withheld(frame, found.cells | {(i, c) for i in rows for c in ("effect", "ci_low", "ci_high")})


def following(result: Analysis) -> disclosure.Withheld:
    """How supported schools were followed (``support__following.csv``), with their total (every school supported
    to date, a fact of the pack): a small count withheld with a complement, so that the total less the others never
    gives it."""
    return _once("following", result, _following)


def _following(result: Analysis) -> disclosure.Withheld:
    frame = analysis.following(result)
    known = not frame["n_schools"].isna().any()  # not known without a list of open schools
    if known:
        frame = pd.concat([frame, pd.DataFrame({"status": ["all"], "n_schools": [int(frame["n_schools"].sum())]})],
                          ignore_index=True).astype({"status": "string", "n_schools": "Int64"})
    # the rows that are facts of the pack (``facts.withhold`` withholds a fact wherever a table withholds its cell)
    frame["measure"] = frame["status"].map(FOLLOWING_FACTS).astype("string")
    frame["as_at"] = pd.Timestamp(result.data.as_at)
    if not known:
        return disclosure.Withheld(frame, frozenset())
    return disclosure.withhold(frame, ["n_schools"], threshold=result.data.threshold, committee=result.data.committee,
                               relations=FOLLOWING_RELATIONS, avoid_rows=[len(frame) - 1])
