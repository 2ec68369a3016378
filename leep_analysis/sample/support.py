"""The sample LA's support register, drawn from the synthetic world.

Every school in ``world.support`` has a main episode from its start for its
duration: support from the strong school the budget ledger pays for it (a
teaching school alliance for collaborative support, a National or Local
Leader of Education for targeted support, a consultant head for intensive
support), funded from LEEP. Around it, as the partnership works:

- maintained schools with targeted or intensive support: consultancy
  commissioned from the Schools Causing Concern budget, and education quality
  adviser monitoring where the ledger pays for monitoring visits;
- academies: consultancy their trust paid for, where the ledger records it;
- intensive support: governance support the school buys from the governor
  development service, and, from September 2024, a regional improvement team
  (DfE) for academies;
- collaborative support: a LEEP collaborative project.

Support spanning several academic years is agreed afresh each September, so
it is one episode per academic year. Costs are those the ledger commits for
the school (scaled up for support that began before the ledger's first year),
shared between the years by days; monitoring costs are the ledger's monitoring
payments in each episode. Episodes after a school converted are under its
academy URN. The register is as an LA would hold it at the end of
the summer term 2026 (the latest sample period): episodes that end later have a
blank end date and status ``active``, and next year's episodes, already agreed,
are ``planned``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from .. import school_year
from . import budget
from . import world as w

COLUMNS = ["urn", "school_name", "tier", "support_type", "provider", "start_date", "end_date", "funding_source",
           "cost", "reason", "status"]
SAVED = dt.date(2026, 7, 31)
LEDGER_START = dt.date(2023, 4, 1)
MAIN_TYPE = {"collaborative": "teaching_school_alliance", "targeted": "system_leader", "intensive": "consultant_head"}
TYPE_TEXT = {"teaching_school_alliance": "Teaching school alliance", "system_leader": "NLE/LLE",
             "consultant_head": "Consultant head", "consultancy": "Commissioned consultancy",
             "eqa_monitoring": "EQA monitoring", "governance_support": "Governance support",
             "regional_improvement_team": "Regional improvement team", "collaborative_project": "LEEP project"}
GOVERNANCE = "Sampleshire Governor Development Service (synthetic)"
REGIONAL_TEAM = "Midlands Regional Improvement Team (synthetic)"
REGIONAL_FROM = dt.date(2024, 9, 1)
PROJECT_LEAD = "Sampleshire Maths Hub (synthetic)"


def _pounds(pence: int | None) -> str:
    return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"


def _school(world: w.World, lineage: str, when: dt.date) -> pd.Series:
    """The school of a lineage open on a date (the latest form if it had closed)."""
    rows = world.schools[world.schools["lineage"] == lineage].sort_values("open_date")
    open_rows = rows[rows["open_date"].le(pd.Timestamp(when))]
    return (open_rows if not open_rows.empty else rows).iloc[-1]


def _reason(world: w.World, urns: list[str], when: dt.date, tier: str) -> str:
    """Why the school was supported: its latest inspection before ``when``, in words."""
    done = world.inspections[world.inspections["urn"].isin(urns) & world.inspections["date"].le(pd.Timestamp(when))]
    if done.empty:
        return "New school; support agreed at the partnership's request"
    last = done.sort_values("date").iloc[-1]
    judgements = last[["overall", "quality_of_education", "behaviour_and_attitudes", "personal_development",
                       "leadership_and_management"]]
    grade = int(last["overall"]) if not pd.isna(last["overall"]) else int(judgements.dropna().max())
    on = f"{last['date'].day} {last['date']:%B %Y}"
    if grade == 4:
        category = {"SM": " (special measures)", "SWK": " (serious weaknesses)",
                    "RSI": " (requires significant improvement)"}.get(last["category"], "")
        return f"Inadequate at inspection on {on}{category}"
    if grade == 3:
        return f"Requires improvement at inspection on {on}"
    if tier == "collaborative":
        return "Results below similar schools; peer support through the school's alliance"
    return "Decline in results and leadership capacity identified by the Education Quality team"


def _converted(world: w.World, lineage: str) -> dt.date | None:
    """The day a lineage's school became an academy, or None."""
    rows = world.schools[(world.schools["lineage"] == lineage) & world.schools["academy"]]
    return None if rows.empty else rows["open_date"].min().date()


def _ledger_pence(ledger: pd.DataFrame, urn: str, fund: str, category: str, kind: str,
                  start: dt.date | None = None, end: dt.date | None = None) -> int:
    rows = ledger[(ledger["urn"] == urn) & (ledger["fund"] == fund) & (ledger["category"] == category)
                  & (ledger["type"] == kind)]
    dates = pd.to_datetime(rows["date"]).dt.date
    if start is not None:
        rows = rows[(dates >= start) & (dates <= end)]
    return sum(int(amount.replace(".", "")) for amount in rows["amount"])


def _scaled(pence: int, start: dt.date, end: dt.date) -> int:
    """Ledger commitments (from April 2023) scaled to the whole episode where it began earlier."""
    covered = (end - max(start, LEDGER_START)).days
    return int(round(pence * (end - start).days / covered)) if covered > 0 and start < LEDGER_START else pence


def _academic_years(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """``start``..``end`` cut at each 1 September: (first day, last day) of each piece."""
    pieces, first = [], start
    while True:
        boundary = school_year.year_bounds(school_year.end_year(first))[0]
        if boundary > end:
            return [*pieces, (first, end)]
        pieces.append((first, boundary - dt.timedelta(days=1)))
        first = boundary


def _split(total: int, weights: list[int]) -> list[int]:
    """Whole pence in proportion to weights; the last share takes the remainder."""
    shares = [total * wt // sum(weights) for wt in weights[:-1]]
    return [*shares, total - sum(shares)]


def _payee(ledger: pd.DataFrame, urn: str, fund: str, category: str) -> str | None:
    rows = ledger[(ledger["urn"] == urn) & (ledger["fund"] == fund) & (ledger["category"] == category)]
    return rows["payee"].iloc[0] if len(rows) else None


def register_table(world: w.World) -> pd.DataFrame:
    """The synthetic support register, in the template's columns (every value as text)."""
    rng = np.random.default_rng(w.SEED + 53)
    ledger = budget.ledger_table(world)
    rows: list[dict] = []

    def add(lineage: str, tier: str, kind: str, provider: str, start: dt.date, end: dt.date, funding: str,
            pence: int | None, reason: str, *, withdrawn: bool = False) -> None:
        school = _school(world, lineage, start)
        finished = end <= SAVED
        rows.append({
            "urn": school["urn"], "school_name": school["name"], "tier": tier, "support_type": kind,
            "provider": provider, "start_date": start.isoformat(), "end_date": end.isoformat() if finished else "",
            "funding_source": funding, "cost": _pounds(pence), "reason": reason,
            "status": "planned" if start > SAVED else ("withdrawn" if withdrawn else "completed") if finished
            else "active",
        })

    def add_yearly(lineage: str, tier: str, kind: str, provider: str, start: dt.date, end: dt.date, funding: str,
                   pence: int | None, reason: str, *, monitored_urn: str | None = None) -> None:
        """One episode per academic year the support spans (agreed afresh each September), cost pro rata."""
        pieces = _academic_years(start, end)
        days = [(b - a).days + 1 for a, b in pieces]
        shares = [None] * len(pieces) if pence is None else _split(pence, days)
        for (a, b), share in zip(pieces, shares, strict=True):
            if funding == "SCC" and bool(_school(world, lineage, a)["academy"]):
                continue  # the Schools Causing Concern budget stops when a school becomes an academy
            if monitored_urn is not None:
                share = _ledger_pence(ledger, monitored_urn, "SCC", "education quality adviser monitoring",
                                      "payment", a, b) or None
            add(lineage, tier, kind, provider, a, b, funding, share, reason)

    for i, spell in enumerate(world.support.itertuples(index=False)):
        start = spell.start
        end = start + dt.timedelta(days=int(round(spell.years * 365.25)))
        school = _school(world, spell.lineage, start)
        lineage_urns = world.schools.loc[world.schools["lineage"] == spell.lineage, "urn"].tolist()
        reason = _reason(world, lineage_urns, start, spell.tier)
        maintained = not bool(school["academy"])

        supporter = _payee(ledger, spell.urn, "LEEP", "school-to-school support")
        main = _scaled(_ledger_pence(ledger, spell.urn, "LEEP", "school-to-school support", "commitment"), start, end)
        add_yearly(spell.lineage, spell.tier, MAIN_TYPE[spell.tier], supporter or PROJECT_LEAD, start, end, "LEEP",
                   main or None, reason)

        if spell.tier == "collaborative":
            project = budget.PROJECTS[i % len(budget.PROJECTS)]
            add(spell.lineage, spell.tier, "collaborative_project", f"{project} (LEEP project)",
                start + dt.timedelta(days=14), min(end, start + dt.timedelta(days=300)), "LEEP", None,
                "Shared priority with the school's network")
            continue

        consultancy = _ledger_pence(ledger, spell.urn, "SCC", "commissioned consultancy", "commitment")
        if maintained and consultancy:
            add_yearly(spell.lineage, spell.tier, "consultancy",
                       _payee(ledger, spell.urn, "SCC", "commissioned consultancy"), start, end, "SCC",
                       _scaled(consultancy, start, end), reason)
        trust_paid = _ledger_pence(ledger, spell.urn, "other", "commissioned consultancy", "payment")
        # a trust pays once the school is an academy: from the start, or from its conversion
        trust_from = start if not maintained else _converted(world, spell.lineage)
        if trust_paid and trust_from is not None and trust_from < end:
            add(spell.lineage, spell.tier, "consultancy", _payee(ledger, spell.urn, "other", "commissioned consultancy"),
                trust_from, end, "other", trust_paid, "Trust-commissioned support alongside the partnership's")
        monitored = _ledger_pence(ledger, spell.urn, "SCC", "education quality adviser monitoring", "payment",
                                  start, end)
        if maintained and monitored:
            add_yearly(spell.lineage, spell.tier, "eqa_monitoring", budget.MONITORING_PAYEE, start, end, "SCC", None,
                       "Termly monitoring of a maintained school causing concern", monitored_urn=spell.urn)

        if spell.tier == "intensive":
            begin = start + dt.timedelta(days=int(rng.integers(20, 60)))
            pence = int(rng.integers(12, 25)) * 100_00
            add(spell.lineage, spell.tier, "governance_support", GOVERNANCE, begin,
                begin + dt.timedelta(days=int(rng.integers(150, 260))), "school", pence,
                "Review of governance after inspection", withdrawn=i % 4 == 1)
            if not maintained and end > REGIONAL_FROM:
                begin = max(start, REGIONAL_FROM) + dt.timedelta(days=int(rng.integers(10, 60)))
                if begin >= end:
                    continue  # the support ended before the regional team could start
                add(spell.lineage, spell.tier, "regional_improvement_team", REGIONAL_TEAM, begin, end, "DfE", None,
                    "Targeted intervention offer for a school with an inadequate or requires improvement grade")

    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["_start"] = frame["start_date"]
    frame = frame.sort_values(["_start", "urn", "support_type"], kind="stable").drop(columns="_start")
    frame["support_type"] = frame["support_type"].map(TYPE_TEXT)
    return frame.reset_index(drop=True)


def write_support(world: w.World, dest: Path) -> None:
    """Write ``support_register.csv`` (UTF-8, the LA's template)."""
    register_table(world).to_csv(dest / "support_register.csv", index=False, lineterminator="\n")
