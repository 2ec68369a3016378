"""Since the last report: this pack's A to G ratings, local figures and headline tiles against the previous pack's.

The previous pack's figures are taken as it published them (``previous.PreviousPack``:
``summary__indicators.csv``, ``summary__measures.csv``, ``summary__headlines.csv``),
never recomputed: they are what the committee saw. A figure for the same year
or snapshot that the source has since revised (a provisional year made final, a
snapshot reissued) is flagged as a revision, not counted as a movement. Events
in the period (schools entering or leaving a category of concern, starting or
ending support, inspected) come from this pack's own sections, since the params'
``since`` date. Sentences are in ``words``, the table's layout in ``views``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...config import load_config
from ...previous import PreviousPack, period_before
from ...wording import number
from . import evaluation

#: Columns of ``summary__since_last_report.csv``.
TABLE_COLUMNS = ["measure", "previous", "now", "change", "direction", "note"]
#: Columns of ``SinceLastReport.movements``: one row per measure of A to F now, against the previous pack.
MOVEMENT_COLUMNS = ["indicator", "measure", "previous", "now", "change", "unit", "decimals", "direction", "size",
                    "revised", "note"]
#: Columns of ``SinceLastReport.ratings``: one row per indicator A to G.
RATING_COLUMNS = ["indicator", "previous", "now", "direction", "reason"]
#: Columns of ``SinceLastReport.events``: one row per school and event in the period.
EVENT_COLUMNS = ["kind", "school", "detail"]
#: Events, in the order the sentences give them.
EVENT_KINDS = ["entered_concern", "left_concern", "started_support", "ended_support", "inspected"]

_PERIOD = re.compile(r"^(?P<base>.*?)(?:, | \()(?P<year>\d{4}(?:[-/]\d{2,4})?)(?: \((?P<status>[^)]*)\))?\)?$")
_TILE_NUMBER = re.compile(r"^(?P<pre>£?)(?P<num>-?[\d,]*\.?\d+)(?P<suf>%|k|m|bn)?$")


@dataclass(frozen=True)
class SinceLastReport:
    """This pack against the previous one (built by ``compare``; ``previous`` None where there is none)."""

    previous: str | None  # the previous pack's folder name
    previous_period: str  # the previous pack's period (where there is none, the period before this one)
    previous_as_at: dt.date | None
    since: dt.date  # the params' start of "since the last report"
    table: pd.DataFrame  # TABLE_COLUMNS
    movements: pd.DataFrame  # MOVEMENT_COLUMNS
    ratings: pd.DataFrame  # RATING_COLUMNS
    events: pd.DataFrame  # EVENT_COLUMNS
    kinds: tuple[str, ...]  # the events the pack's sections can tell (EVENT_KINDS of the chosen sections)
    committee: bool
    threshold: int


def config() -> dict[str, Any]:
    """Tile polarities and which tiles are counts (``config/since_last_report.yaml``)."""
    return load_config("since_last_report")


def split_period(text: str) -> tuple[str, str | None, str | None]:
    """A measure's or tile's name, the year its figure is of, and that year's status.

    ``Attainment 8 (2025 (prov))`` and ``Attainment 8, 2025 (prov)`` -> ``("Attainment 8", "2025", "prov")``;
    ``LEEP fund spent, 2025-26`` -> ``("LEEP fund spent", "2025-26", None)``; no year -> ``(text, None, None)``.
    """
    match = _PERIOD.match(text.strip())
    if not match:
        return text.strip(), None, None
    return match.group("base"), match.group("year"), match.group("status")


def _float(text: object) -> float:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return float("nan")


def value_direction(change: float, polarity: str | None) -> str:
    """``better``, ``worse`` or ``same`` for a change, judged by polarity (``High``/``Low``); blank without one."""
    if pd.isna(change):
        return ""
    if abs(change) < 1e-9:
        return "same"
    if polarity not in ("High", "Low"):
        return ""
    return "better" if (change > 0) == (polarity == "High") else "worse"


def rating_direction(previous: str | None, now: str) -> str:
    """``better``, ``worse``, ``same`` or ``new`` (no rating before); blank where it is no longer rated."""
    order = evaluation.RAG_ORDER
    if not previous or order.get(previous, -1) < 0:
        return "same" if previous == now else "new"
    if order.get(now, -1) < 0:
        return ""
    return "same" if previous == now else ("better" if order[now] < order[previous] else "worse")


def format_change(change: float, unit: str, decimals: int) -> str:
    """A change as the table gives it: ``+0.9 points`` for a percentage, ``-2`` for a count."""
    if pd.isna(change):
        return ""
    rounded = round(change, decimals) + 0.0
    text = f"{rounded:+,.{decimals}f}" if rounded else f"{0:.{decimals}f}"
    return f"{text} {'point' if abs(rounded) == 1 else 'points'}" if unit in ("percent", "%") else text


def compare_measures(previous: pd.DataFrame | None, measures: pd.DataFrame) -> pd.DataFrame:
    """Each measure of A to F now against the previous pack's published row of the same measure.

    ``previous`` is the previous pack's ``summary__measures.csv`` (text), or None;
    ``measures`` is ``evaluation.rate_measures`` output, with ``figure_of`` (the
    snapshot date of A to C) where known. A measure is matched by indicator and
    name without its year; the same year (or snapshot) with another figure or
    status is a revision by the source, flagged and not counted as a change.
    Returns ``MOVEMENT_COLUMNS``; ``size`` is the change in tolerances of the
    indicator (to rank movements across units).
    """
    config = evaluation.definitions()["indicators"]
    before: dict[tuple[str, str], dict[str, str]] = {}
    if previous is not None:
        for row in previous.to_dict("records"):
            base, year, status = split_period(row["measure"])
            before[(row["indicator"], base)] = {**row, "year": row.get("figure_of") or year or "", "status": status or ""}
    rows = []
    for row in measures.to_dict("records"):
        letter = row["indicator"]
        if letter == "G" or pd.isna(row["local"]):
            continue
        base, year, status = split_period(str(row["measure"]))
        figure_of = row.get("figure_of")
        period = str(figure_of) if isinstance(figure_of, str) and figure_of else (year or "")
        unit, decimals, now = str(row["unit"]), int(row["decimals"]), float(row["local"])
        then = before.get((letter, base))
        if then is None:
            rows.append((letter, row["measure"], float("nan"), now, float("nan"), unit, decimals, "new", 0.0, False, ""))
            continue
        was = _float(then["local"])
        same_period = then["year"] == period and period != ""
        if same_period and (then["status"] != (status or "") or abs(was - now) > 1e-9):
            note = (f"revised: {base} {period} was {number(was, unit, decimals, words=False)}"
                    f"{f' ({then_status})' if (then_status := then['status']) else ''} in the previous report and is "
                    f"{number(now, unit, decimals, words=False)}{f' ({status})' if status else ''} now")
            rows.append((letter, row["measure"], was, now, float("nan"), unit, decimals, "same", 0.0, True, note))
            continue
        change = now - was
        tol = max(float(config[letter]["tolerance"]), 10.0 ** -decimals)
        rows.append((letter, row["measure"], was, now, change, unit, decimals,
                     value_direction(change, config[letter]["polarity"]), abs(change) / tol, False, ""))
    return pd.DataFrame(rows, columns=MOVEMENT_COLUMNS)


def rating_reasons(rated: pd.DataFrame, settings: Any) -> dict[str, str]:
    """Each indicator's rating with the rule that gave it, in words (for a rating that changed).

    A to E: the measures carrying the indicator's (worst) rating, each with its
    comparison with national and trend and the rule they matched; F and G: their evidence.
    """
    from . import words

    worst = evaluation.indicator_table(rated).set_index("indicator")["rag"]
    rules = evaluation.rules(settings)
    reasons = {}
    for letter in "ABCDEFG":
        part = rated[(rated["indicator"] == letter) & (rated["rag"] == worst[letter])]
        if letter in "FG" or part.empty:
            reasons[letter] = "; ".join(part["evidence"]) if not part.empty else "no measure could be rated"
            continue
        reasons[letter] = "; ".join(words.rule_reason(r, rules) for r in part.to_dict("records"))
    return reasons


def rating_table(previous: pd.DataFrame | None, indicators: pd.DataFrame, reasons: Mapping[str, str]) -> pd.DataFrame:
    """Each indicator's rating then and now (``previous``: the previous ``summary__indicators.csv``). ``RATING_COLUMNS``."""
    then = {} if previous is None else dict(zip(previous["indicator"], previous["rag"], strict=True))
    rows = []
    for letter, now in zip(indicators["indicator"], indicators["rag"], strict=True):
        was = then.get(letter)
        rows.append((letter, was or "", now, rating_direction(was, now), reasons.get(letter, "")))
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def _combined(directions: list[str]) -> str:
    """One direction for an indicator with several measures: blank where they moved both ways."""
    found = set(directions) - {""}
    if not found:
        return ""
    if found <= {"new"}:
        return "new"
    found -= {"new"}
    if found == {"same"}:
        return "same"
    if "better" in found and "worse" in found:
        return ""
    return "better" if "better" in found else "worse"


def indicator_rows(previous: pd.DataFrame | None, indicators: pd.DataFrame, ratings: pd.DataFrame,
                   movements: pd.DataFrame) -> list[tuple[str, str, str, str, str, str]]:
    """Two rows per indicator A to G: its rating and its local figure, each as published then and now."""
    then = {} if previous is None else {r["indicator"]: r for r in previous.to_dict("records")}
    rows = []
    for rating, current in zip(ratings.to_dict("records"), indicators.to_dict("records"), strict=True):
        letter = rating["indicator"]
        change = f"{rating['previous']} to {rating['now']}" if rating["direction"] in ("better", "worse") else ""
        rows.append((f"{letter}: rating", rating["previous"], rating["now"], change, rating["direction"], ""))
        was = then.get(letter)
        part = movements[movements["indicator"] == letter]
        if was is None:
            direction, changes, note = "new", "", ""
        elif part.empty:  # G: a statement, not a figure
            direction = "same" if was["local"] == current["local"] else rating["direction"]
            changes, note = "", ""
        else:
            direction = _combined(list(part.loc[~part["revised"], "direction"]))
            changes = "; ".join("revised" if r else format_change(c, u, d) for c, u, d, r in
                                zip(part["change"], part["unit"], part["decimals"], part["revised"], strict=True))
            note = "; ".join(n for n in part["note"] if n)
            if not direction and len(set(part["direction"]) & {"better", "worse"}) == 2:
                note = "; ".join(x for x in ("measures moved both ways", note) if x)
        rows.append((f"{letter}: local figure", was["local"] if was is not None else "", current["local"], changes,
                     direction, note))
    return rows


def tile_rows(previous: pd.DataFrame | None, tiles: list[dict[str, str]], polarity: Mapping[str, str | None],
              *, committee: bool, threshold: int) -> list[tuple[str, str, str, str, str, str]]:
    """One row per headline tile: its value then (the previous ``summary__headlines.csv``) and now.

    A tile whose label names another year is a new figure, not a change of the
    old one only where the name without its year differs; the same year with
    another status is a revision. In committee packs a previous count below the
    threshold is suppressed as this pack would suppress it.
    """
    counts = {k for k, v in config()["tiles"].items() if v.get("count")}
    then = {} if previous is None else {r["key"]: r for r in previous.to_dict("records")}
    rows = []
    for tile in tiles:
        key, label, now = tile["key"], tile["label"], tile["value"]
        was = then.get(key)
        if was is None:
            rows.append((label, "", now, "", "new", ""))
            continue
        shown = was["value"]
        if committee and key in counts and 0 < _float(shown) < threshold:
            shown = "c"
        _, year_then, status_then = split_period(was["label"])
        _, year_now, status_now = split_period(label)
        a, b = _TILE_NUMBER.match(shown), _TILE_NUMBER.match(now)
        running = bool(config()["tiles"].get(key, {}).get("running"))  # a running total within its year
        if year_then and year_then == year_now and (status_then != status_now or (shown != now and not running)):
            rows.append((label, f"{shown} ({was['label']})", now, "revised", "same",
                         f"revised: {was['label']} was {shown} in the previous report and {label} is {now} now"))
            continue
        if not (a and b and a.group("pre", "suf") == b.group("pre", "suf")):
            rows.append((label, shown, now, "", "same" if shown == now else "", "suppressed" if "c" in (shown, now)
                         else ""))
            continue
        change = _float(b.group("num")) - _float(a.group("num"))
        places = max(len(x.group("num").partition(".")[2]) for x in (a, b))
        rows.append((label, shown, now, format_change(change, "%" if b.group("suf") == "%" else "", places),
                     value_direction(change, polarity.get(key)), ""))
    return rows


def tile_polarity(tiles: list[dict[str, str]], dictionary: pd.DataFrame | None) -> dict[str, str | None]:
    """Which way is better for each tile: configured, else (an achievement tile) the LAIT dictionary's polarity."""
    configured = {k: v.get("polarity") for k, v in config()["tiles"].items()}
    out: dict[str, str | None] = {}
    lait = {} if dictionary is None else dict(zip(dictionary["indicator"], dictionary["polarity"], strict=True))
    for tile in tiles:
        key = tile["key"]
        polarity = configured.get(key) or lait.get(key.removeprefix("achievement_"))
        out[key] = polarity if isinstance(polarity, str) else None
    return out


def events(*, concerns: Any = None, support: Any = None, inspections: Any = None, since: dt.date,
           as_at: dt.date) -> pd.DataFrame:
    """Schools that entered or left a category of concern, started or ended support, or were inspected since ``since``.

    From this pack's section results (``Concerns``, support ``Analysis``,
    ``Inspections``; any may be None where its section is not chosen). ``school``
    is the name the section holds (the words give counts only in committee packs).
    Returns ``EVENT_COLUMNS``.
    """
    start = pd.Timestamp(since)
    rows: list[tuple[str, str, str]] = []
    if concerns is not None:
        entered = concerns.schools[pd.to_datetime(concerns.schools["date_entered"]).gt(start)]
        rows += [("entered_concern", n, c) for n, c in zip(entered["school_name"], entered["category"], strict=True)]
        left = concerns.exits[pd.to_datetime(concerns.exits["date_exited"]).gt(start)]
        rows += [("left_concern", n, c) for n, c in zip(left["school_name"], left["category"], strict=True)]
    if support is not None:  # as the support section's reach counts them: episodes started or ended in the period
        reg = support.data.register
        school = "lineage" if "lineage" in reg else "urn"
        started = reg[reg["start_date"].gt(start)].drop_duplicates(school)
        ended = reg[reg["end_date"].gt(start) & reg["end_date"].le(pd.Timestamp(as_at))].drop_duplicates(school)
        rows += [("started_support", n, t) for n, t in zip(started["school_name"], started["support_type"], strict=True)]
        rows += [("ended_support", n, t) for n, t in zip(ended["school_name"], ended["support_type"], strict=True)]
    if inspections is not None:
        table = inspections.schools
        rows += [("inspected", n, c) for n, c in zip(table["school_name"], table["change"], strict=True)]
    return pd.DataFrame([(k, "" if pd.isna(s) else str(s), "" if pd.isna(d) else str(d)) for k, s, d in rows],
                        columns=EVENT_COLUMNS)


def compare(pack: PreviousPack | None, *, indicators: pd.DataFrame, measures: pd.DataFrame,
            tiles: list[dict[str, str]], polarity: Mapping[str, str | None], reasons: Mapping[str, str],
            events: pd.DataFrame, kinds: tuple[str, ...], period: str, since: dt.date, committee: bool,
            threshold: int) -> SinceLastReport:
    """This pack (of ``period``) against the previous pack (``pack``; None where there is none)."""
    if pack is None:
        empty = pd.DataFrame(columns=TABLE_COLUMNS)
        return SinceLastReport(None, period_before(period), None, since, empty, pd.DataFrame(columns=MOVEMENT_COLUMNS),
                               rating_table(None, indicators, reasons), events, kinds, committee, threshold)
    prev_ind, prev_measures = pack.table("summary__indicators"), pack.table("summary__measures")
    movements = compare_measures(prev_measures, measures)
    ratings = rating_table(prev_ind, indicators, reasons)
    rows = indicator_rows(prev_ind, indicators, ratings, movements)
    rows += tile_rows(pack.table("summary__headlines"), tiles, polarity, committee=committee, threshold=threshold)
    return SinceLastReport(pack.name, pack.period, pack.as_at, since, pd.DataFrame(rows, columns=TABLE_COLUMNS),
                           movements, ratings, events, kinds, committee, threshold)
