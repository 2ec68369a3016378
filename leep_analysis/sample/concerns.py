"""The sample LA's concerns log and school intelligence register, drawn from the synthetic world.

Concerns log: a sample-LA school enters special measures or serious weaknesses
at the inspection that puts it there, and leaves at its next inspection out of
a category, or when it reopens as a sponsored academy. A school judged requires
improvement with low latent quality is put "at risk" by the LA a month later,
and leaves when inspected good. The LA issues a statement of action within two
weeks of a category, an academy order to maintained schools in special
measures, a warning notice to some schools at risk and an interim executive
board for a few. Ofsted (or the LA) visits about termly, and the outcome
follows the school's latent quality; the log keeps the latest six visits. Only episodes open on or after
1 September 2021 are logged, as an LA keeps its current log.

School intelligence: one row per sample-LA school open on 31 December 2025,
reviewed in the autumn term 2025, with a change of head, complaints and
concerns more likely where latent quality is low.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as w

LOG_FROM = pd.Timestamp("2021-09-01")
VISITS = 6
INTELLIGENCE_AT = dt.date(2025, 12, 31)
CATEGORY_TEXT = {"SM": "Special measures", "SWK": "Serious weaknesses", "RSI": "Requires significant improvement",
                 "at_risk": "At risk"}
#: Ofsted's categories of concern (the LA's at-risk list is its own, not one of them).
OFSTED = ("SM", "SWK", "RSI")
EXIT_TEXT = {"removed_by_inspection": "Removed from category at inspection", "academy": "Sponsored academy",
             "closed": "Closed", "no_longer_at_risk": "No longer at risk"}


def _iso(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _episodes(world: w.World) -> list[dict]:
    """Episodes of the sample LA's schools: urn, name, category, entered, exited, exit reason, academy."""
    schools = world.schools[world.schools["la_code"] == w.SAMPLE_LA].set_index("urn")
    inspections = world.inspections[world.inspections["urn"].isin(schools.index)].sort_values(["urn", "date"])
    old = inspections[["overall", "quality_of_education", "leadership_and_management"]].max(axis=1)
    cards = inspections[["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                         "personal_development_and_wellbeing", "leadership_and_governance"]].max(axis=1)
    grade = old.fillna(cards.ge(4).map({True: 3, False: 2})).astype("float64").fillna(2)
    episodes = []
    for urn, rows in inspections.assign(grade=grade).groupby("urn", sort=True):
        school = schools.loc[urn]
        rows = rows.reset_index(drop=True)
        open_episode = None
        for k, row in rows.iterrows():
            if open_episode is not None:
                out = row["category"] == "" and (open_episode["category"] != "at_risk" or row["grade"] <= 2)
                if out:
                    open_episode["exited"] = row["date"]
                    open_episode["exit"] = ("no_longer_at_risk" if open_episode["category"] == "at_risk"
                                            else "removed_by_inspection")
                    episodes.append(open_episode)
                    open_episode = None
                elif row["category"] in OFSTED and open_episode["category"] == "at_risk":
                    open_episode["exited"] = row["date"]
                    open_episode["exit"] = None
                    episodes.append(open_episode)
                    open_episode = None
            if open_episode is None:
                if row["category"] in OFSTED:
                    open_episode = {"category": row["category"], "entered": row["date"]}
                elif row["grade"] == 3 and school["quality0"] + school["slope"] * 15 < -1.0 and k == len(rows) - 1:
                    open_episode = {"category": "at_risk", "entered": row["date"] + pd.Timedelta(days=30)}
                if open_episode is not None:
                    open_episode.update(urn=urn, name=school["name"], academy=bool(school["academy"]),
                                        quality=float(school["quality0"]), exited=None, exit=None)
        if open_episode is not None:
            closed = school["close_date"]
            if not pd.isna(closed):
                open_episode["exited"] = closed
                open_episode["exit"] = "academy" if school["successor_urn"] else "closed"
            episodes.append(open_episode)
    # an LA puts a school at risk a month after its inspection: not if it closed in that month
    episodes = [e for e in episodes if e["exited"] is None or pd.Timestamp(e["exited"]) > pd.Timestamp(e["entered"])]
    return [e for e in episodes if e["exited"] is None or pd.Timestamp(e["exited"]) >= LOG_FROM]


def concerns_table(world: w.World) -> pd.DataFrame:
    """The concerns log as the LA keeps it (text cells, the template's columns)."""
    rng = np.random.default_rng(w.SEED + 11)
    rows = []
    last = pd.Timestamp(w.LAST_DATE)
    for e in sorted(_episodes(world), key=lambda e: (e["entered"], e["urn"])):
        entered = pd.Timestamp(e["entered"])
        end = pd.Timestamp(e["exited"]) if e["exited"] is not None else last
        category = e["category"]
        row = {"urn": e["urn"], "school_name": e["name"], "category": CATEGORY_TEXT[category],
               "reason": {"SM": "Judged inadequate: leadership not able to improve the school",
                          "SWK": "Judged inadequate: serious weaknesses in the quality of education",
                          "RSI": "Report card: urgent improvement needed",
                          "at_risk": "Requires improvement, with results falling and leadership changes"}[category],
               "date_entered": _iso(entered), "date_exited": _iso(e["exited"]),
               "exit_reason": EXIT_TEXT[e["exit"]] if e["exit"] else "",
               "warning_notice": "", "interim_executive_board": "", "academy_order": "",
               "statement_of_action": ""}
        if category in OFSTED:
            row["statement_of_action"] = _iso(entered + pd.Timedelta(days=10))
        if category == "SM" and not e["academy"]:
            row["academy_order"] = _iso(entered + pd.Timedelta(days=int(rng.integers(14, 60))))
            if rng.random() < 0.3:
                row["interim_executive_board"] = _iso(entered + pd.Timedelta(days=int(rng.integers(40, 90))))
        if category == "at_risk" and not e["academy"] and rng.random() < 0.4:
            row["warning_notice"] = _iso(entered + pd.Timedelta(days=int(rng.integers(20, 120))))
        visits, when = [], entered + pd.Timedelta(days=int(rng.integers(100, 140)))
        while when < end and when <= last:
            effective = rng.random() < (0.75 if e["quality"] > -1.5 else 0.45)
            if category == "at_risk":  # the LA's own review of a school it judges at risk, in its own words
                visits.append((when, "Reasonable progress" if effective else "Insufficient progress"))
            else:  # Ofsted's monitoring of a school in a category
                visits.append((when, "Taking effective action" if effective else "Not taking effective action"))
            when = when + pd.Timedelta(days=int(rng.integers(100, 140)))
        kept = visits[-VISITS:]  # the log keeps the latest visits
        for n in range(1, VISITS + 1):
            row[f"visit_{n}_date"] = _iso(kept[n - 1][0]) if n <= len(kept) else ""
            row[f"visit_{n}_outcome"] = kept[n - 1][1] if n <= len(kept) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def intelligence_table(world: w.World) -> pd.DataFrame:
    """The school intelligence register as at the end of the autumn term 2025."""
    rng = np.random.default_rng(w.SEED + 12)
    stamp = pd.Timestamp(INTELLIGENCE_AT)
    schools = world.schools[(world.schools["la_code"] == w.SAMPLE_LA) & world.schools["open_date"].le(stamp)
                            & (world.schools["close_date"].isna() | world.schools["close_date"].gt(stamp))]
    quality = w.quality_at(schools, INTELLIGENCE_AT).to_numpy()
    rows = []
    for school, q in zip(schools.sort_values("urn").itertuples(index=False),
                         quality[np.argsort(schools["urn"].to_numpy())], strict=True):
        risk = 0.35 if q < -1.0 else 0.08
        reviewed = dt.date(2025, 9, 15) + dt.timedelta(days=int(rng.integers(0, 95)))
        new_head = rng.random() < risk
        rows.append({
            "urn": school.urn, "school_name": school.name, "date_recorded": reviewed.isoformat(),
            "change_of_head": (reviewed - dt.timedelta(days=int(rng.integers(10, 300)))).isoformat() if new_head else "",
            "complaints": int(rng.poisson(2.0 if q < -1.0 else 0.4)),
            "finance": "yes" if rng.random() < risk else "no",
            "hr": "yes" if rng.random() < risk / 2 else "no",
            "governance": "yes" if rng.random() < risk / 2 else "no",
            "safeguarding": "yes" if rng.random() < risk / 6 else "no",
            "notes": "",
        })
    return pd.DataFrame(rows)


def write_concerns(world: w.World, dest: Path) -> None:
    """Write ``concerns_log.csv`` and ``school_intelligence.csv`` (UTF-8, the LA's templates)."""
    concerns_table(world).to_csv(dest / "concerns_log.csv", index=False, lineterminator="\n")
    intelligence_table(world).to_csv(dest / "school_intelligence.csv", index=False, lineterminator="\n")
