"""Early warning: schools whose data or the LA's intelligence suggest they may need support.

Alerts come from four places, as at the period's date: the school's headline
results (performance tables, against England in the LAIT file), its
inspections (Ofsted MI, followed across a change of URN), the time since its
last graded inspection, and the LA's intelligence register. Each alert has a
weight (``config/early_warning.yaml``, overridable in params); a school's score
is the sum, and the score suggests a tier of support. Alerts are worked out
again as at the last report's date, so the report can say which are new.
The words about the alerts are in ``words``, the risk table in ``views``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import disclosure, tables
from ... import schools as school_records
from ...config import load_config
from ...params import EarlyWarningSettings
from ...school_year import start_year

if TYPE_CHECKING:
    from ...inputs import Inputs

ALERT_COLUMNS = ["urn", "alert", "detail"]
RESULT_COLUMNS = ["key_stage", "year", "urn", "value", "la_value", "england"]
RISK_COLUMNS = ["urn", "school_name", "phase", "governance", "pupils", "pct_fsm_ever", "score", "suggested_tier",
                "alerts", "new_alerts", "supported", "in_concerns_log"]


def config() -> dict[str, Any]:
    """The early-warning rules (``config/early_warning.yaml``)."""
    return load_config("early_warning")


def weights(settings: EarlyWarningSettings) -> dict[str, float]:
    """Each alert's weight: the params' override, else the configured weight."""
    configured = {name: float(spec["weight"]) for name, spec in config()["alerts"].items()}
    unknown = set(settings.weights) - set(configured)
    if unknown:
        raise ValueError(f"unknown early-warning alert(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(configured)}")
    return {**configured, **{k: float(v) for k, v in settings.weights.items()}}


def results_known(as_at: dt.date) -> int:
    """The latest results year known on a date: summer results are published from September, so the
    summer the academic year holding ``as_at`` began in."""
    return start_year(as_at)


def _alerts(rows: pd.DataFrame, alert: str, detail: pd.Series | str) -> pd.DataFrame:
    return pd.DataFrame({"urn": rows["urn"].astype("string").to_numpy(), "alert": alert,
                         "detail": detail.to_numpy() if isinstance(detail, pd.Series) else detail})


def results_alerts(performance: pd.DataFrame, national: pd.DataFrame, urns: pd.Series, as_at: dt.date) -> pd.DataFrame:
    """Headline results down two years running, or well below national, in the latest year known.

    Parameters
    ----------
    performance : school results (``sources.performance``: ``urn``, ``year``, ``key_stage``, ``measure``, ``value``).
    national : England's LAIT rows (``indicator``, ``year``, ``value``).
    urns : the schools to judge.

    Returns
    -------
    DataFrame
        ``ALERT_COLUMNS``: ``results_declining`` (the last three results each
        lower than the one before) and ``results_below_national`` (the latest
        result more than the configured margin below England's).
    """
    latest_year = results_known(as_at)
    parts = []
    for stage, rule in config()["results"].items():
        rows = performance[(performance["key_stage"] == stage) & (performance["measure"] == rule["measure"])
                           & performance["urn"].isin(urns) & performance["year"].le(latest_year)
                           & performance["value"].notna()].sort_values(["urn", "year"])
        if rows.empty:
            continue
        last3 = rows.groupby("urn").tail(3)
        grouped = last3.groupby("urn")["value"]
        falling = grouped.agg(lambda v: len(v) == 3 and v.iloc[2] < v.iloc[1] < v.iloc[0])
        values = grouped.agg(lambda v: ", ".join(tables.FORMATS["num1"](x) for x in v))
        down = falling[falling].index.to_series()
        parts.append(_alerts(down.to_frame("urn"), "results_declining",
                             f"{rule['label']}: " + values.reindex(down).astype(str)))
        latest = rows.groupby("urn").tail(1)
        england = national[national["indicator"] == rule["national"]].set_index("year")["value"]
        gap = latest["value"].to_numpy() - england.reindex(latest["year"]).to_numpy()
        below = latest[gap < -rule["margin"]]
        eng = england.reindex(below["year"]).to_numpy()
        parts.append(_alerts(below, "results_below_national", pd.Series(
            [f"{rule['label']} {v:g} in {y}, England {e:g}" for v, y, e in
             zip(below["value"], below["year"], eng, strict=True)], index=below.index, dtype=object)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ALERT_COLUMNS)


def headline_results(performance: pd.DataFrame, lait: pd.DataFrame, la_code: str, urns: pd.Series,
                     as_at: dt.date) -> pd.DataFrame:
    """Each school's headline result in the latest year known, beside the LA's and England's figure that year.

    The measures are the early-warning ``results`` rules' (``config/early_warning.yaml``): KS2 reading,
    writing and maths at the expected standard, and Progress 8.

    Parameters
    ----------
    performance : school results (``sources.performance``: ``urn``, ``year``, ``key_stage``, ``measure``, ``value``).
    lait : LAIT rows (``indicator``, ``year``, ``la_code``, ``area_type``, ``value``), as at the period.
    urns : the schools (the LA's open schools).

    Returns
    -------
    DataFrame
        ``RESULT_COLUMNS``: ``key_stage`` (``ks2``, ``ks4``), ``year`` (the end year of the latest
        academic year with a result on ``as_at``, one per key stage), ``urn``, ``value`` (the school's
        result), ``la_value`` and ``england`` (LAIT's figures for the same measure and year; missing
        where LAIT has none). Schools without a result that year are left out.
    """
    latest_year = results_known(as_at)
    parts = []
    for stage, rule in config()["results"].items():
        rows = performance[(performance["key_stage"] == stage) & (performance["measure"] == rule["measure"])
                           & performance["urn"].isin(urns) & performance["year"].le(latest_year)
                           & performance["value"].notna()]
        if rows.empty:
            continue
        year = int(rows["year"].max())
        rows = rows[rows["year"] == year].sort_values("urn")
        figures = lait[(lait["indicator"] == rule["national"]) & (lait["year"] == year)]
        la = figures.loc[figures["la_code"] == la_code, "value"]
        england = figures.loc[figures["area_type"] == "england", "value"] if "area_type" in figures \
            else figures.loc[figures["la_code"] == "970", "value"]
        parts.append(pd.DataFrame({
            "key_stage": stage, "year": year, "urn": rows["urn"].astype("string").to_numpy(),
            "value": rows["value"].astype(float).to_numpy(),
            "la_value": float(la.iloc[0]) if len(la) and pd.notna(la.iloc[0]) else float("nan"),
            "england": float(england.iloc[0]) if len(england) and pd.notna(england.iloc[0]) else float("nan")}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            RESULT_COLUMNS, ["string", "int64", "string", "float64", "float64", "float64"], strict=True)})
    return pd.concat(parts, ignore_index=True)[RESULT_COLUMNS]


def absence_alerts(absence: pd.DataFrame, phases: pd.Series, as_at: dt.date) -> pd.DataFrame:
    """``absence_high``: persistent absence more than the configured margin above England's for the phase.

    Parameters
    ----------
    absence : ``sources.school_context.load_absence`` rows (schools, and England's by ``phase``).
    phases : the schools to judge: URN -> phase (``primary``, ``secondary``, ``special``; others have
        no national figure and raise no alert).

    Returns ``ALERT_COLUMNS``, from the latest year known on ``as_at`` (``results_known``).
    """
    rule = config()["absence"]
    rows = absence[(absence["measure"] == rule["measure"]) & absence["year"].le(results_known(as_at))]
    national = rows[rows["phase"].notna()].set_index(["year", "phase"])["value"]
    schools = rows[rows["urn"].isin(phases.index) & rows["value"].notna()].sort_values("year").groupby("urn").tail(1)
    keys = pd.MultiIndex.from_arrays([schools["year"], schools["urn"].map(phases)])
    england = national.reindex(keys).to_numpy()
    high = schools[(schools["value"].to_numpy() - england) > rule["margin"]]
    eng = england[(schools["value"].to_numpy() - england) > rule["margin"]]
    return _alerts(high, "absence_high", pd.Series(
        [f"{v:g}% {rule['label']} in {y - 1}/{y % 100:02d}, England {e:g}%" for v, y, e in
         zip(high["value"], high["year"], eng, strict=True)], index=high.index, dtype=object))


def inspection_alerts(history: pd.DataFrame, lineage: Mapping[str, str], urns: pd.Series,
                      as_at: dt.date) -> pd.DataFrame:
    """Alerts from each school's inspections up to ``as_at``.

    ``grade_requires_improvement`` or ``grade_inadequate`` (latest grade 3 or
    4: overall effectiveness, or the key-judgement rule; for a report card, which has
    no grade, an evaluation area needing attention or urgent improvement),
    ``declined_at_inspection`` (the events table's change of the latest inspection) and
    ``long_since_inspection`` (more than the configured years since the last
    graded inspection). Returns ``ALERT_COLUMNS``.
    """
    stamp = pd.Timestamp(as_at)
    known = history[history["inspection_date"] <= stamp].sort_values("inspection_date")
    lineages = urns.astype("string").map(dict(lineage)).fillna(urns.astype("string"))
    last_two = known.groupby("lineage").tail(2)
    latest = last_two.groupby("lineage").tail(1).set_index("lineage")
    previous = last_two.groupby("lineage").head(1).set_index("lineage")
    previous = previous[previous["inspection_date"] < latest["inspection_date"].reindex(previous.index)]
    frame = pd.DataFrame({"urn": urns.to_numpy(), "lineage": lineages.to_numpy()})
    frame["grade"] = latest["grade"].reindex(frame["lineage"]).to_numpy()
    worst = latest["report_card_worst"] if "report_card_worst" in latest else pd.Series(dtype="Float64")
    frame["card"] = pd.to_numeric(pd.Series(worst.reindex(frame["lineage"]).to_numpy()), errors="coerce").to_numpy()
    frame["change"] = latest["change"].reindex(frame["lineage"]).to_numpy() if "change" in latest else None
    frame["date"] = pd.to_datetime(latest["inspection_date"].reindex(frame["lineage"]).to_numpy())
    frame["previous"] = previous["grade"].reindex(frame["lineage"]).to_numpy()
    when = [tables.FORMATS["date"](d) for d in frame["date"]]
    frame["when"] = when
    years = config()["long_since_inspection_years"]
    parts = []
    for grade, card, alert in ((3, 4, "grade_requires_improvement"), (4, 5, "grade_inadequate")):
        rows = frame[frame["grade"].eq(grade).fillna(False).to_numpy(dtype=bool)]
        parts.append(_alerts(rows, alert, school_records.grade_label(grade) + " on " + rows["when"]))
        cards = frame[frame["card"].eq(card).fillna(False).to_numpy(dtype=bool)]
        said = "an area needing attention" if card == 4 else "an area needing urgent improvement"
        parts.append(_alerts(cards, alert, f"report card with {said} on " + cards["when"]))
    if "change" in latest:
        worse = frame[frame["change"].eq("declined").fillna(False).to_numpy(dtype=bool)]
    else:
        worse = frame[(frame["grade"] > frame["previous"]).fillna(False).to_numpy(dtype=bool)]
    parts.append(_alerts(worse, "declined_at_inspection", pd.Series(
        [f"{school_records.grade_label(p)} to {school_records.grade_label(g).lower()} on {w}" for p, g, w in
         zip(worse["previous"], worse["grade"], worse["when"], strict=True)], index=worse.index, dtype=object)))
    old = frame[frame["date"].notna() & ((stamp - frame["date"]).dt.days > years * 365.25)]
    parts.append(_alerts(old, "long_since_inspection", "last graded inspection " + old["when"]))
    return pd.concat(parts, ignore_index=True)


def intelligence_alerts(intelligence: pd.DataFrame, urns: pd.Series, as_at: dt.date) -> pd.DataFrame:
    """Alerts from the LA's intelligence recorded by ``as_at`` (``sources.school_intelligence``).

    ``change_of_head`` (within the twelve months to ``as_at``), ``complaints``
    (at least the configured number), and the ``finance``, ``hr``,
    ``governance`` and ``safeguarding`` flags. Returns ``ALERT_COLUMNS``.
    """
    stamp = pd.Timestamp(as_at)
    rows = intelligence[intelligence["urn"].isin(urns) & intelligence["date_recorded"].le(stamp)]
    recorded = "recorded " + pd.Series([tables.FORMATS["date"](d) for d in rows["date_recorded"]], index=rows.index)
    parts = []
    head = rows[rows["change_of_head"].notna() & rows["change_of_head"].gt(stamp - pd.DateOffset(years=1))
                & rows["change_of_head"].le(stamp)]
    parts.append(_alerts(head, "change_of_head", pd.Series(
        [f"new head from {tables.FORMATS['date'](d)}" for d in head["change_of_head"]], index=head.index, dtype=object)))
    many = rows[rows["complaints"] >= config()["complaints_from"]]
    parts.append(_alerts(many, "complaints", many["complaints"].astype(str) + " complaints this year"))
    for flag in ("finance", "hr", "governance", "safeguarding"):
        flagged = rows[rows[flag]]
        parts.append(_alerts(flagged, flag, recorded[flagged.index]))
    return pd.concat(parts, ignore_index=True)


def suggested_tier(score: float) -> str | None:
    """The first configured tier whose minimum score ``score`` reaches, or None."""
    for rule in config()["tiers"]:
        if score >= rule["min_score"]:
            return str(rule["tier"])
    return None


def score(alerts: pd.DataFrame, alert_weights: Mapping[str, float]) -> pd.DataFrame:
    """Each school's score and suggested tier: ``urn``, ``score``, ``suggested_tier``, ``alerts`` (names)."""
    if alerts.empty:
        return pd.DataFrame(columns=["urn", "score", "suggested_tier", "alerts"])
    frame = alerts.assign(weight=alerts["alert"].map(alert_weights).astype("float64"))
    order = {name: n for n, name in enumerate(config()["alerts"])}
    grouped = frame.sort_values("alert", key=lambda a: a.map(order)).groupby("urn", sort=True)
    out = grouped.agg(score=("weight", "sum"), alerts=("alert", tuple)).reset_index()
    out["suggested_tier"] = [suggested_tier(s) for s in out["score"]]
    return out[["urn", "score", "suggested_tier", "alerts"]]


def la_schools(establishments: pd.DataFrame, la_code: str, as_at: dt.date) -> pd.DataFrame:
    """The LA's schools open on a date: ``urn``, ``school_name``, ``phase``, ``governance``."""
    stamp = pd.Timestamp(as_at)
    rows = establishments[(establishments["la_code"] == la_code)
                          & (establishments["open_date"].isna() | establishments["open_date"].le(stamp))
                          & (establishments["close_date"].isna() | establishments["close_date"].gt(stamp))]
    return rows[["urn", "school_name", "phase", "governance"]].sort_values("urn").reset_index(drop=True)


def all_alerts(inputs: Inputs, history: pd.DataFrame, lineage: Mapping[str, str], urns: pd.Series,
               as_at: dt.date) -> pd.DataFrame:
    """Every alert for the schools (``urns``: URN -> phase) as at a date (``ALERT_COLUMNS``)."""
    lait = inputs.get("lait")
    national = lait[lait["area_type"] == "england"] if "area_type" in lait else lait[lait["la_code"] == "970"]
    parts = [results_alerts(inputs.get("school_performance"), national, urns.index.to_series(), as_at),
             inspection_alerts(history, lineage, urns.index.to_series(), as_at),
             absence_alerts(inputs.get("school_absence"), urns, as_at),
             intelligence_alerts(inputs.get("school_intelligence"), urns.index.to_series(), as_at)]
    return pd.concat(parts, ignore_index=True).drop_duplicates(["urn", "alert"], keep="first")


@dataclass(frozen=True)
class EarlyWarning:
    """The risk table and every alert behind it (built by ``analyse``).

    Attributes
    ----------
    alerts
        ``ALERT_COLUMNS`` (``urn``, ``alert``: a key of ``config/early_warning.yaml``'s alerts, ``detail``:
        the figures behind it in words) and ``new`` (bool: not raised as at the last report).
    risks
        ``RISK_COLUMNS``, one row per open school with any alert, highest score first: ``urn``,
        ``school_name``, ``phase``, ``governance``, ``pupils`` and ``pct_fsm_ever`` (latest census),
        ``score`` (sum of its alerts' weights), ``suggested_tier``, ``alerts`` and ``new_alerts`` (short
        names, comma-separated), ``supported`` and ``in_concerns_log`` (bool, on the period's date).
    weights
        Alert -> weight used (the configured weights with the params' overrides).
    n_schools
        The LA's open schools judged.
    since
        The last report's date.
    anonymiser, threshold
        Committee-pack disclosure: how schools are named, and the smallest count shown.
    results
        ``RESULT_COLUMNS`` (``headline_results``): each open school's headline result in the latest year
        known (``key_stage``, ``year``, ``urn``, ``value``), with the LA's and England's figures
        (``la_value``, ``england``).
    """

    alerts: pd.DataFrame
    risks: pd.DataFrame
    weights: Mapping[str, float]
    n_schools: int
    since: dt.date
    anonymiser: disclosure.Anonymiser
    threshold: int
    results: pd.DataFrame


def analyse(inputs: Inputs, *, history: pd.DataFrame, lineage: Mapping[str, str],
            in_concerns_log: set[str]) -> EarlyWarning:
    """Alerts and scores for every open school of the LA, as at the period and at the last report.

    ``history`` and ``lineage`` are the concerns analysis's inspections; ``in_concerns_log`` the
    URNs with an episode open in the concerns log on the period's date.
    """
    params = inputs.params
    schools = la_schools(inputs.get("establishments"), params.la_code, params.as_at)
    phases = schools.set_index("urn")["phase"]
    now = all_alerts(inputs, history, lineage, phases, params.as_at)
    before = all_alerts(inputs, history, lineage, phases, params.since)
    seen = set(zip(before["urn"], before["alert"], strict=True))
    now["new"] = [(u, a) not in seen for u, a in zip(now["urn"], now["alert"], strict=True)]
    alert_weights = weights(params.early_warning)
    scored = score(now, alert_weights)
    risks = schools.merge(context(inputs.get("school_census"), params.as_at), on="urn", how="left")
    risks = risks.merge(scored, on="urn", how="inner")
    names = {k: v["short"] for k, v in config()["alerts"].items()}
    new = now[now["new"]].groupby("urn")["alert"].agg(tuple)
    risks["new_alerts"] = [", ".join(names[a] for a in new.get(u, ())) for u in risks["urn"]]
    risks["alerts"] = [", ".join(names[a] for a in alerts) for alerts in risks["alerts"]]
    register = inputs.get("support_register")
    current = register[register["start_date"].le(pd.Timestamp(params.as_at))
                       & (register["end_date"].isna() | register["end_date"].ge(pd.Timestamp(params.as_at)))]
    risks["supported"] = risks["urn"].isin(set(current["urn"]))
    risks["in_concerns_log"] = risks["urn"].isin(in_concerns_log)
    risks = risks.sort_values(["score", "urn"], ascending=[False, True], kind="stable")
    results = headline_results(inputs.get("school_performance"), inputs.get("lait"), params.la_code,
                               schools["urn"], params.as_at)
    return EarlyWarning(alerts=now, risks=risks[RISK_COLUMNS].reset_index(drop=True), weights=alert_weights,
                        n_schools=len(schools), since=params.since, anonymiser=disclosure.anonymiser(inputs),
                        threshold=params.suppression_threshold, results=results)


def context(census: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """Each school's pupils on roll and % ever eligible for free school meals, latest census known on ``as_at``.

    Returns ``urn``, ``pupils``, ``pct_fsm_ever`` (``sources.school_context.load_census`` rows in).
    """
    rows = census[census["urn"].notna() & census["year"].le(results_known(as_at))
                  & census["measure"].isin(["NOR", "PNUMFSMEVER"])]
    latest = rows[rows["year"] == rows.groupby("urn")["year"].transform("max")]
    wide = latest.pivot_table(index="urn", columns="measure", values="value", aggfunc="first")
    return pd.DataFrame({"urn": wide.index.astype("string"),
                         "pupils": pd.array(wide.get("NOR", pd.Series(index=wide.index, dtype=float)).round(),
                                            dtype="Int64"),
                         "pct_fsm_ever": wide.get("PNUMFSMEVER", pd.Series(index=wide.index, dtype=float)).to_numpy()})
