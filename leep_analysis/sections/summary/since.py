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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ... import disclosure, published
from ...config import load_config
from ...content import Tile
from ...previous import PreviousPack, period_before
from ...render.html import tile_value
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
#: Events, in the order the sentences give them, and the section a pack needs to tell each.
EVENT_SECTIONS = {"entered_category": "concerns", "left_category": "concerns", "entered_at_risk": "concerns",
                  "left_at_risk": "concerns", "started_support": "support", "ended_support": "support",
                  "inspected": "inspections"}
EVENT_KINDS = list(EVENT_SECTIONS)



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

    ``previous`` is the previous pack's ``summary__measures`` table (``published.read_table``), or None;
    ``measures`` is ``evaluation.rate_measures`` output. A measure is matched by indicator and ``key``;
    the same ``year`` (or snapshot) with another figure or ``status`` is a revision by the source,
    flagged and not counted as a change. Returns ``MOVEMENT_COLUMNS``; ``size`` is the change in
    tolerances of the indicator (to rank movements across units).
    """
    config = evaluation.definitions()["indicators"]
    before: dict[tuple[str, str], dict[str, Any]] = {}
    if previous is not None:
        before = {(row["indicator"], row["key"]): row for row in previous.to_dict("records")}
    rows = []
    for row in measures.to_dict("records"):
        letter = row["indicator"]
        if letter == "G" or pd.isna(row["local"]):
            continue
        unit, decimals, now = str(row["unit"]), int(row["decimals"]), float(row["local"])
        then = before.get((letter, row["key"]))
        if then is None or pd.isna(then["local"]):
            rows.append((letter, row["measure"], float("nan"), now, float("nan"), unit, decimals, "new", 0.0, False, ""))
            continue
        was = float(then["local"])
        same_period = str(then["year"]) == str(row["year"]) and str(row["year"]) != ""
        if same_period and (str(then["status"]) != str(row["status"]) or abs(was - now) > 1e-9):
            note = (f"revised: {then['measure']} was {number(was, unit, decimals, words=False)} in the previous report "
                    f"and {row['measure']} is {number(now, unit, decimals, words=False)} now")
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


def tile_rows(previous: published.PublishedTable | None, tiles: list[Tile], *, committee: bool,
              threshold: int) -> list[tuple[str, str, str, str, str, str]]:
    """One row per headline tile: its figure then (the previous ``summary__headlines`` table) and now.

    Tiles are matched by key. The same ``period`` with another status, or another figure where the
    tile is not a running total, is a revision by the source; a withheld figure on either side is
    not compared. In committee packs a previous count below the threshold is withheld as this pack
    would withhold it.
    """
    counts = {k for k, v in config()["tiles"].items() if v.get("count")}
    then: dict[str, tuple[dict[str, Any], bool]] = {}
    if previous is not None:
        frame = previous.frame
        for position, row in enumerate(frame.to_dict("records")):
            then[row["key"]] = (row, (position, "value") in previous.suppressed)
    rows = []
    for tile in tiles:
        now = tile_value(tile)
        found = then.get(tile.key)
        if found is None:
            rows.append((tile.label, "", now, "", "new", ""))
            continue
        was_row, was_withheld = found
        was_value = None if pd.isna(was_row["value"]) else float(was_row["value"])
        if committee and tile.key in counts and not disclosure.public(tile.key) and was_value is not None \
                and 0 < was_value < threshold:
            was_withheld = True
        was_tile = Tile(key=tile.key, label=str(was_row["label"]), value=was_value, unit=str(was_row["unit"]),
                        decimals=int(was_row["decimals"]) if not pd.isna(was_row["decimals"]) else 0,
                        suppressed=was_withheld, missing=tile.missing)
        shown = tile_value(was_tile)
        running = bool(config()["tiles"].get(tile.key, {}).get("running"))  # a running total within its year
        same_period = str(was_row.get("period", "")) == tile.period and tile.period != ""
        if was_withheld or tile.suppressed:
            rows.append((tile.label, shown, now, "", "same" if shown == now else "", "suppressed"))
            continue
        if same_period and (str(was_row.get("status", "")) != tile.status or (shown != now and not running)):
            rows.append((tile.label, f"{shown} ({was_row['label']})", now, "revised", "same",
                         f"revised: {was_row['label']} was {shown} in the previous report and {tile.label} is {now} "
                         "now"))
            continue
        if was_value is None or tile.value is None or str(was_row["unit"]) != tile.unit:
            rows.append((tile.label, shown, now, "", "same" if shown == now else "", ""))
            continue
        change = round(tile.value, tile.decimals) - round(was_value, int(was_tile.decimals))
        rows.append((tile.label, shown, now, format_change(change, tile.unit, tile.decimals),
                     value_direction(change, tile.polarity or tile_polarity(tile.key)), ""))
    return rows


def tile_polarity(key: str) -> str | None:
    """Which way is better for a tile without its own polarity: ``config/since_last_report.yaml``'s."""
    polarity = config()["tiles"].get(key, {}).get("polarity")
    return polarity if isinstance(polarity, str) else None


def events(found: Any = None, *, inspections: Any = None, since: dt.date, as_at: dt.date) -> pd.DataFrame:
    """Schools that entered or left an Ofsted category or the LA's at-risk list, started or ended support, or were
    inspected since ``since``: from the pack's events table (``events.Events``), each event told once.

    Inspections are those the inspections page lists (``Inspections.schools``, from the same events): after the
    Ofsted file of the last report's date. ``school`` is the name the events hold (the words give counts only
    in committee packs). Returns ``EVENT_COLUMNS``.
    """
    start, end = pd.Timestamp(since), pd.Timestamp(as_at)
    rows: list[tuple[str, str, str]] = []
    if found is not None and found.concerns is not None:
        log = found.concerns
        entered = log[log["date_entered"].gt(start) & log["date_entered"].le(end)]
        left = log[log["date_exited"].gt(start) & log["date_exited"].le(end)]
        for frame, verb in ((entered, "entered"), (left, "left")):
            for ofsted, kind in ((True, f"{verb}_category"), (False, f"{verb}_at_risk")):
                part = frame[frame["ofsted"] == ofsted]
                rows += [(kind, n, c) for n, c in zip(part["school_name"], part["category"], strict=True)]
    if found is not None and found.support is not None:  # as the support page counts them: by school
        reg = found.support
        started = reg[reg["start_date"].gt(start)].drop_duplicates("lineage")
        ended = reg[reg["end_date"].gt(start) & reg["end_date"].le(end)].drop_duplicates("lineage")
        rows += [("started_support", n, t) for n, t in zip(started["school_name"], started["support_type"], strict=True)]
        rows += [("ended_support", n, t) for n, t in zip(ended["school_name"], ended["support_type"], strict=True)]
    if inspections is not None:
        table = inspections.schools
        rows += [("inspected", n, c) for n, c in zip(table["school_name"], table["change"], strict=True)]
    return pd.DataFrame([(k, "" if pd.isna(s) else str(s), "" if pd.isna(d) else str(d)) for k, s, d in rows],
                        columns=EVENT_COLUMNS)


def compare(pack: PreviousPack | None, *, indicators: pd.DataFrame, measures: pd.DataFrame,
            tiles: list[Tile], reasons: Mapping[str, str],
            events: pd.DataFrame, kinds: tuple[str, ...], period: str, since: dt.date, committee: bool,
            threshold: int) -> SinceLastReport:
    """This pack (of ``period``) against the previous pack (``pack``; None where there is none)."""
    if pack is None:
        empty = pd.DataFrame(columns=TABLE_COLUMNS)
        return SinceLastReport(None, period_before(period), None, since, empty, pd.DataFrame(columns=MOVEMENT_COLUMNS),
                               rating_table(None, indicators, reasons), events, kinds, committee, threshold)
    prev_ind, prev_measures = pack.table("summary__indicators"), pack.table("summary__measures")
    movements = compare_measures(None if prev_measures is None else prev_measures.frame, measures)
    ratings = rating_table(None if prev_ind is None else prev_ind.frame, indicators, reasons)
    rows = indicator_rows(None if prev_ind is None else prev_ind.frame, indicators, ratings, movements)
    rows += tile_rows(pack.table("summary__headlines"), tiles, committee=committee, threshold=threshold)
    return SinceLastReport(pack.name, pack.period, pack.as_at, since, pd.DataFrame(rows, columns=TABLE_COLUMNS),
                           movements, ratings, events, kinds, committee, threshold)
