"""Synthetic budgets and spending ledger of the sample LA, drawn from the synthetic world.

The ledger runs from April 2023 to the end of the summer term 2026 (the latest
sample period), so each earlier period's pack has later rows to ignore. It tells
the same story as the other sample files:

- LEEP: school-to-school support for every school in ``world.support`` while it
  is supported, committed for the year and paid termly to a supporting school;
  the co-ordinator's secondment, committed for the year and paid monthly to the
  host school; collaborative projects (committed, paid in two halves) and
  training events and administration (paid as they happen), none linked to a school;
- SCC: commissioned consultancy only for maintained schools supported at the
  targeted or intensive tier, and education quality adviser monitoring of every
  maintained school causing concern (latest inspection requires improvement or
  worse), paid termly;
- a few refunds, a little spending from other funds, and at the end of 2025-26
  some consultants' last invoices still awaited (open commitments).

Each year's per-school rates are set from what the allocation allows, as the
partnership would: LEEP ends each year close to its allocation, SCC a little
under (about 7% under in 2025-26). Amounts are whole pence, written as pounds
with two decimals.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..school_year import financial_year_of
from . import world as w

YEARS = ["2023-24", "2024-25", "2025-26", "2026-27"]
ALLOCATIONS = {"LEEP": 350_000_00, "SCC": 248_000_00}  # pence a year
LEDGER_END = dt.date(2026, 7, 31)
COLUMNS = ["transaction_id", "date", "financial_year", "fund", "category", "payee", "payee_urn", "urn",
           "commitment", "description", "type", "amount"]

#: Share of each allocation the year's plan spends.
PLANNED = {"LEEP": [0.975, 1.012, 0.996, 0.99], "SCC": [0.955, 0.985, 0.945, 0.94]}
#: Relative cost of a year of support by tier, and the most a year of targeted support may cost.
SCHOOL_TO_SCHOOL = {"collaborative": 0.6, "targeted": 1.0, "intensive": 1.4}
SCHOOL_TO_SCHOOL_SHARE = 0.48  # of the LEEP allocation
SCHOOL_TO_SCHOOL_CAP = 9_000
CONSULTANCY = {"targeted": 1.0, "intensive": 1.8}
CONSULTANCY_CAP = 26_000
MONITORING_TERM = 560  # pounds a term per maintained school causing concern
#: Co-ordinator secondment: the 2023-24 annual cost, rising with the pay award.
SECONDMENT = 82_000
PAY_AWARD = 0.035
CONSULTANTS = ["Kestrel Education Consultancy (synthetic)", "Midshire Leaders in Education Ltd (synthetic)",
               "Harbour Improvement Partners (synthetic)"]
MONITORING_PAYEE = "Sampleshire Education Quality Team (synthetic)"
ADMIN_PAYEE = "Sampleshire County Council Business Support (synthetic)"
VENUES = ["Sampleshire Conference Centre (synthetic)", "Riverside Hotel and Venue (synthetic)",
          "Northfield Learning Hub (synthetic)"]
SPEAKERS = ["Dr A. Example, education speaker (synthetic)", "Curriculum Matters Training (synthetic)"]
PROJECTS = ["Early reading network", "Maths mastery collaborative", "Inclusion and SEND peer review",
            "Leadership development programme", "Writing moderation network", "Attendance improvement project"]
HUB = "Sampleshire Maths Hub (synthetic)"


@dataclass
class _Ledger:
    """Transactions collected with temporary keys, numbered in date order when written."""

    rows: list[dict] = field(default_factory=list)

    def add(self, when: dt.date, fund: str, category: str, payee: str, kind: str, pence: int, *,
            description: str, payee_urn: str = "", urn: str = "", against: int | None = None) -> int:
        self.rows.append(dict(key=len(self.rows), date=when, fund=fund, category=category, payee=payee,
                              payee_urn=payee_urn, urn=urn, against=against, description=description,
                              type=kind, pence=int(pence)))
        return len(self.rows) - 1

    def total(self, fund: str, year: str) -> int:
        """Net pence paid so far (payments less refunds) for a fund and year."""
        sign = {"payment": 1, "refund": -1, "commitment": 0}
        return sum(sign[r["type"]] * r["pence"] for r in self.rows
                   if r["fund"] == fund and financial_year_of(r["date"]) == year)

    def frame(self) -> pd.DataFrame:
        """The ledger as the LA's file: ids in date order, payments naming their commitment's id."""
        rows = sorted(self.rows, key=lambda r: (r["date"], r["key"]))
        ids = {r["key"]: f"LG{i:05d}" for i, r in enumerate(rows, start=1)}
        out = [{
            "transaction_id": ids[r["key"]],
            "date": r["date"].isoformat(),
            "financial_year": financial_year_of(r["date"]),
            "fund": r["fund"],
            "category": r["category"],
            "payee": r["payee"],
            "payee_urn": r["payee_urn"],
            "urn": r["urn"],
            "commitment": ids[r["against"]] if r["against"] is not None else "",
            "description": r["description"],
            "type": r["type"],
            "amount": f"{r['pence'] // 100}.{r['pence'] % 100:02d}",
        } for r in rows]
        return pd.DataFrame(out, columns=COLUMNS)


def _weekday(when: dt.date) -> dt.date:
    """The date, or the Friday before when it falls at a weekend."""
    return when - dt.timedelta(days=max(when.weekday() - 4, 0))


def _pounds(rng: np.random.Generator, amount: float, spread: float = 0.12, step: int = 10) -> int:
    """An amount in pence near ``amount`` pounds, to the nearest ``step`` pounds."""
    value = amount * (1 + rng.uniform(-spread, spread))
    return max(int(round(value / step)), 1) * step * 100


def _split(total: int, weights: list[int]) -> list[int]:
    """Split whole pence in proportion to weights; the last share takes the remainder."""
    shares = [total * wt // sum(weights) for wt in weights[:-1]]
    return [*shares, total - sum(shares)]


def _monthly(fy_start: dt.date, day: int) -> list[dt.date]:
    """A weekday near ``day`` of each month of the financial year."""
    return [_weekday(dt.date(fy_start.year + (fy_start.month + m - 1) // 12, (fy_start.month + m - 1) % 12 + 1, day))
            for m in range(12)]


def _terms(fy_start: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
    """Termly payment windows of a financial year: first day covered, last day covered, date paid."""
    y = fy_start.year
    ends = [dt.date(y, 7, 24), dt.date(y, 12, 12), dt.date(y + 1, 3, 31)]
    paid = [_weekday(dt.date(y, 7, 24)), _weekday(dt.date(y, 12, 12)), _weekday(dt.date(y + 1, 3, 20))]
    starts = [fy_start, ends[0] + dt.timedelta(days=1), ends[1] + dt.timedelta(days=1)]
    return list(zip(starts, ends, paid, strict=True))


class _Schools:
    """What the ledger needs to know about the sample LA's schools on a date."""

    def __init__(self, world: w.World):
        self.la = world.schools[world.schools["la_code"] == w.SAMPLE_LA]
        inspections = world.inspections[world.inspections["urn"].isin(self.la["urn"])].copy()
        old = inspections[["overall", "quality_of_education", "behaviour_and_attitudes", "personal_development",
                           "leadership_and_management"]].max(axis=1)
        cards = inspections[["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                             "personal_development_and_wellbeing", "leadership_and_governance"]].max(axis=1)
        inspections["concern"] = old.ge(3).fillna(False) | cards.ge(4).fillna(False) | inspections["category"].ne("")
        self.inspections = inspections.sort_values(["date", "urn"])

    def row(self, lineage: str, when: dt.date) -> pd.Series:
        """The school of a lineage open on a date (its latest form, if closed by then)."""
        rows = self.la[self.la["lineage"] == lineage].sort_values("open_date")
        open_rows = rows[rows["open_date"].le(pd.Timestamp(when))]
        return (open_rows if not open_rows.empty else rows).iloc[-1]

    def causing_concern(self, when: dt.date) -> pd.DataFrame:
        """Maintained schools open on a date whose latest inspection was requires improvement or worse."""
        stamp = pd.Timestamp(when)
        open_ = self.la[self.la["open_date"].le(stamp) & (self.la["close_date"].isna() | self.la["close_date"].gt(stamp))
                        & ~self.la["academy"]]
        latest = self.inspections[self.inspections["date"].le(stamp)].groupby("urn").tail(1).set_index("urn")
        concern = latest["concern"].reindex(open_["urn"]).fillna(False).to_numpy(dtype=bool)
        return open_[concern].sort_values("urn")

    def supporters(self, rng: np.random.Generator, supported: set[str], count: int) -> list[str]:
        """Lineages of strong schools open throughout, to release staff to support others."""
        when = dt.date(2023, 4, 1)
        current = self.la[self.la["close_date"].isna() & self.la["open_date"].le(pd.Timestamp(when))]
        current = current[~current["lineage"].isin(supported) & current["phase"].isin(["Primary", "Secondary"])]
        quality = w.quality_at(current, when)
        strongest = current.loc[quality.sort_values(ascending=False).index[: count * 2], "lineage"]
        return sorted(rng.choice(strongest.to_numpy(), size=count, replace=False).tolist())


def ledger_table(world: w.World) -> pd.DataFrame:
    """The synthetic ledger, in the template's columns (every value as text)."""
    rng = np.random.default_rng(w.SEED + 41)
    schools = _Schools(world)
    support = world.support.copy()
    support["end"] = [s + dt.timedelta(days=int(round(y * 365.25)))
                      for s, y in zip(support["start"], support["years"], strict=True)]
    supporters = schools.supporters(rng, set(support["lineage"]), 12)
    paired = {lineage: supporters[1 + i % (len(supporters) - 1)] for i, lineage in enumerate(support["lineage"])}
    book = _Ledger()
    for k, year in enumerate(YEARS):
        _year(book, rng, schools, support, supporters, paired, k, year)
    return book.frame()


def _year(book: _Ledger, rng: np.random.Generator, schools: _Schools, support: pd.DataFrame,
          supporters: list[str], paired: dict[str, str], k: int, year: str) -> None:
    """Every transaction of one financial year (up to ``LEDGER_END``)."""
    fy_start, fy_end = dt.date(2023 + k, 4, 1), dt.date(2024 + k, 3, 31)
    terms = _terms(fy_start)

    # the co-ordinator's secondment: one commitment, twelve monthly payments to the host school
    monthly = int(round(SECONDMENT * (1 + PAY_AWARD) ** k / 12 * 100))
    host = schools.row(supporters[0], fy_start)
    pledge = book.add(fy_start, "LEEP", "secondments and co-ordinator", host["name"], "commitment", monthly * 12,
                      payee_urn=host["urn"], description=f"LEEP co-ordinator secondment {year}")
    for when in _monthly(fy_start, 25):
        if when <= LEDGER_END:
            book.add(when, "LEEP", "secondments and co-ordinator", host["name"], "payment", monthly,
                     payee_urn=host["urn"], against=pledge, description=f"LEEP co-ordinator secondment {when:%B %Y}")

    # training events paid on the day (one cancelled day refunded), and monthly administration
    for i in range(7):
        when = _weekday(fy_start + dt.timedelta(days=int(20 + i * 48 + rng.integers(0, 20))))
        payee = VENUES[i % len(VENUES)] if i % 3 else SPEAKERS[(i + k) % len(SPEAKERS)]
        amount = _pounds(rng, 3_400, spread=0.4)
        if when <= LEDGER_END:
            book.add(when, "LEEP", "training and events", payee, "payment", amount,
                     description="Partnership conference" if i == 2 else "Leadership training event")
        if i == 4 and when + dt.timedelta(days=21) <= LEDGER_END:
            book.add(when + dt.timedelta(days=21), "LEEP", "training and events", payee, "refund",
                     amount // 4 // 100 * 100, description="Refund: cancelled training day")
    for when in _monthly(fy_start, 28):
        if when <= LEDGER_END:
            book.add(when, "LEEP", "administration", ADMIN_PAYEE, "payment", _pounds(rng, 1_050, spread=0.1),
                     description=f"Partnership administration {when:%B %Y}")

    # SCC: termly monitoring of every maintained school causing concern
    for first, last, paid in terms:
        for school in schools.causing_concern(first).itertuples(index=False):
            if paid <= LEDGER_END:
                book.add(paid, "SCC", "education quality adviser monitoring", MONITORING_PAYEE, "payment",
                         _pounds(rng, MONITORING_TERM * ((last - first).days + 1) / 122, spread=0.2),
                         urn=school.urn, description=f"Monitoring visits, {school.name}")

    # support for each school supported during the year, at rates the allocations allow
    episodes = []
    for episode in support.itertuples(index=False):
        begin, finish = max(episode.start, fy_start), min(episode.end, fy_end)
        if begin <= finish:
            school = schools.row(episode.lineage, begin)
            days = [max((min(last, finish) - max(first, begin)).days + 1, 0) for first, last, _ in terms]
            scc = episode.tier in CONSULTANCY and not school["academy"]
            episodes.append((episode, school, begin, days, sum(days) / 365, scc))
    leep_weight = sum(SCHOOL_TO_SCHOOL[x[0].tier] * x[4] for x in episodes)
    leep_rate = min(ALLOCATIONS["LEEP"] / 100 * SCHOOL_TO_SCHOOL_SHARE / leep_weight, SCHOOL_TO_SCHOOL_CAP)
    scc_weight = sum(CONSULTANCY[x[0].tier] * x[4] for x in episodes if x[5])
    monitored = book.total("SCC", year) / 100 * (365 / max((min(fy_end, LEDGER_END) - fy_start).days + 1, 1))
    scc_rate = min((ALLOCATIONS["SCC"] / 100 * PLANNED["SCC"][k] - monitored) / scc_weight, CONSULTANCY_CAP)
    for episode, school, begin, days, share, scc in episodes:
        supporter = schools.row(paired[episode.lineage], begin)
        _commit_and_pay(book, rng, begin, terms, days, "LEEP", "school-to-school support", supporter["name"],
                        supporter["urn"], episode.urn, leep_rate * SCHOOL_TO_SCHOOL[episode.tier] * share,
                        f"School-to-school support for {school['name']}, {year}", leave_open=False)
        if scc:
            # at the end of 2025-26 some consultants' last invoices are still awaited
            _commit_and_pay(book, rng, begin, terms, days, "SCC", "commissioned consultancy",
                            CONSULTANTS[int(episode.lineage) % len(CONSULTANTS)], "", episode.urn,
                            scc_rate * CONSULTANCY[episode.tier] * share,
                            f"Commissioned improvement support for {school['name']}, {year}",
                            leave_open=year == "2025-26" and int(episode.lineage) % 3 == 0)

    # a supporting school returns money for days not used
    if k < 3:
        episode = support.iloc[(7 * k + 3) % len(support)]
        supporter = schools.row(paired[episode.lineage], fy_start)
        book.add(_weekday(dt.date(fy_start.year + 1, 2, 10)), "LEEP", "school-to-school support", supporter["name"],
                 "refund", 450_00 + 150_00 * k, payee_urn=supporter["urn"], urn=episode.urn,
                 description="Refund: support days not used")

    # collaborative projects take what the LEEP plan leaves, led by a supporting school or the maths hub
    committed = sum(r["pence"] for r in book.rows if r["fund"] == "LEEP" and r["type"] == "commitment"
                    and financial_year_of(r["date"]) == year and r["category"] == "school-to-school support")
    uncommitted = book.total("LEEP", year) - sum(
        r["pence"] for r in book.rows if r["fund"] == "LEEP" and r["type"] == "payment" and r["against"] is not None
        and financial_year_of(r["date"]) == year)
    planned_rest = uncommitted * 365 // max((min(fy_end, LEDGER_END) - fy_start).days + 1, 1)
    headroom = ALLOCATIONS["LEEP"] * PLANNED["LEEP"][k] - monthly * 12 - committed - planned_rest
    count = max(int(round(headroom / 17_000_00)), 2)
    span = min(250, (LEDGER_END - fy_start).days - 40)  # in a year still under way, all raised by now
    for i in range(count):
        started = fy_start + dt.timedelta(days=20 + i * span // count)
        lead = schools.row(supporters[1 + (k + i) % (len(supporters) - 1)], started) if i % 3 != 1 else None
        payee, payee_urn = (lead["name"], lead["urn"]) if lead is not None else (HUB, "")
        project = PROJECTS[(2 * k + i) % len(PROJECTS)]
        total = int(round(headroom / count / 100 * (1 + rng.uniform(-0.05, 0.05)) / 10)) * 1000
        raised = _weekday(started)
        pledge = book.add(raised, "LEEP", "collaborative projects", payee, "commitment", total,
                          payee_urn=payee_urn, description=f"{project} {year}")
        second = min(raised + dt.timedelta(days=150), _weekday(fy_end - dt.timedelta(days=10)))
        for when, amount in [(_weekday(raised + dt.timedelta(days=60)), total // 2), (second, total - total // 2)]:
            if when <= LEDGER_END:
                book.add(when, "LEEP", "collaborative projects", payee, "payment", amount,
                         payee_urn=payee_urn, against=pledge, description=f"{project} {year}")

    # consultancy for a few academies, paid from other (non-council) funding
    for i, (episode, _school, begin, *_rest) in enumerate(x for x in episodes if x[1]["academy"]):
        when = _weekday(begin + dt.timedelta(days=40))
        if i % 6 == 0 and when <= min(fy_end, LEDGER_END):
            book.add(when, "other", "commissioned consultancy", CONSULTANTS[i % len(CONSULTANTS)], "payment",
                     _pounds(rng, 4_000), urn=episode.urn, description="Trust-funded improvement support")


def _commit_and_pay(book: _Ledger, rng: np.random.Generator, begin: dt.date, terms: list, days: list[int],
                    fund: str, category: str, payee: str, payee_urn: str, urn: str, pounds: float,
                    description: str, *, leave_open: bool) -> None:
    """A commitment for the year's support, paid termly in proportion to the days each term covers."""
    total = _pounds(rng, pounds)
    raised = max(_weekday(begin), terms[0][0])
    pledge = book.add(raised, fund, category, payee, "commitment", total, payee_urn=payee_urn, urn=urn,
                      description=description)
    windows = [(max(paid, raised), d) for (_first, _last, paid), d in zip(terms, days, strict=True) if d > 0]
    shares = _split(total, [d for _, d in windows])
    if leave_open:
        shares[-1] = 0
    for (when, _d), amount in zip(windows, shares, strict=True):
        if when <= LEDGER_END and amount > 0:
            book.add(when, fund, category, payee, "payment", amount, payee_urn=payee_urn, urn=urn,
                     against=pledge, description=description)


def write_budget(world: w.World, dest: Path) -> None:
    """Write ``budgets.csv`` and ``budget_ledger.csv`` (UTF-8, the LA's templates)."""
    with open(dest / "budgets.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["fund", "financial_year", "allocation"])
        for year in YEARS:
            for fund, pence in ALLOCATIONS.items():
                writer.writerow([fund, year, f"{pence // 100}.{pence % 100:02d}"])
    ledger_table(world).to_csv(dest / "budget_ledger.csv", index=False, lineterminator="\n")
