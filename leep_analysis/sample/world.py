"""A deterministic synthetic education system, the basis of every sample file.

One fictional local authority ("Sampleshire (synthetic)", code 050) with about
250 schools, 98 other fictional LAs (codes 001 to 099, which DfE does not use)
in eight fictional regions, and for every school a latent quality that drifts
over time and drives its Ofsted inspections, its results, academy conversion
(a new URN, linked to its predecessor as GIAS does) and, in the sample LA, the
support it receives. The format writers in this package turn the world into
files laid out like the real published ones; nothing here is real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

SEED = 20251231
SAMPLE_LA = "050"
SAMPLE_LA_NAME = "Sampleshire (synthetic)"
ENGLAND_CODE = "970"
ENGLAND_NAME = "England (synthetic)"
REGIONS = {
    "980": "Northern (synthetic)",
    "981": "North Western (synthetic)",
    "982": "Eastern (synthetic)",
    "983": "Midlands (synthetic)",
    "984": "Western (synthetic)",
    "985": "Southern (synthetic)",
    "986": "South Eastern (synthetic)",
    "987": "Capital (synthetic)",
}
SAMPLE_REGION = "983"
#: Latent quality a supported school gains per year of support.
SUPPORT_GAIN = 0.25
#: Latent quality a school gains over the 18 months after Ofsted puts it in a category of concern: the
#: intervention that follows (an academy order and a sponsor, a new trust, an interim executive board), so
#: that, as in the real system, a school is seldom in a category for years on end.
INTERVENTION_GAIN = 1.2
INTERVENTION_YEARS = 1.5
OTHER_LA_SCHOOLS = 20

#: Framework eras: the overall effectiveness grade until 1 September 2024, the four
#: key judgements until the report cards that started on 10 November 2025.
KEY_JUDGEMENTS_FROM = dt.date(2024, 9, 2)
REPORT_CARDS_FROM = dt.date(2025, 11, 10)
FIRST_DATE = dt.date(2009, 9, 1)
LAST_DATE = dt.date(2026, 7, 31)

PHASE_MIX = [  # phase, share of schools, pupils mean, pupils sd, academy share
    ("Primary", 0.80, 260, 110, 0.40),
    ("Secondary", 0.14, 1000, 300, 0.85),
    ("Special", 0.035, 120, 40, 0.40),
    ("PRU", 0.012, 45, 15, 0.25),
    ("Nursery", 0.008, 90, 25, 0.0),
    ("All-through", 0.005, 1400, 200, 1.0),
]
MAINTAINED_TYPES = {
    "Primary": ["Community School", "Voluntary Aided School", "Voluntary Controlled School", "Foundation School"],
    "Secondary": ["Community School", "Voluntary Aided School", "Foundation School"],
    "Special": ["Community Special School"],
    "PRU": ["Pupil Referral Unit"],
    "Nursery": ["LA Nursery School"],
    "All-through": ["Community School"],
}
ACADEMY_TYPES = {
    "Primary": "Academy Converter",
    "Secondary": "Academy Converter",
    "Special": "Academy Special Converter",
    "PRU": "Academy Alternative Provision Converter",
    "Nursery": "Academy Converter",
    "All-through": "Free School",
}
_NAME_A = ["Alder", "Beech", "Bramble", "Cedar", "Clover", "Elm", "Fern", "Hazel", "Heron",
           "Holly", "Juniper", "Kestrel", "Larch", "Linnet", "Maple", "Meadow", "Oriel", "Osprey",
           "Plover", "Quarry", "Rowan", "Sorrel", "Teasel", "Thistle", "Wren", "Yarrow", "Willow",
           "Ashgrove", "Briar", "Cobble"]
_NAME_B = ["Brook", "Vale", "Hill", "Green", "Fields", "Lane", "Park", "Wood", "Cross", "Dale",
           "Moor", "Side", "Bank", "Row", "Mead"]


@dataclass(frozen=True)
class World:
    """The synthetic system. Frames are documented where they are built."""

    las: pd.DataFrame
    schools: pd.DataFrame
    inspections: pd.DataFrame
    support: pd.DataFrame
    n_schools: int


def in_holidays(day: dt.date) -> bool:
    """Whether a day is a weekend or in a school holiday Ofsted does not inspect in: August and Christmas
    (20 December to 3 January)."""
    return (day.weekday() >= 5 or day.month == 8 or (day.month == 12 and day.day >= 20)
            or (day.month == 1 and day.day <= 3))


def _month(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    """A month between start and end, as its first day (a school opens or converts on the 1st); drawn as the
    world always drew it, so the schools stay the same whatever the inspections' rules."""
    span = (end - start).days
    for _ in range(20):
        day = start + dt.timedelta(days=int(rng.integers(0, max(span, 1))))
        if day.month != 8 and day.weekday() < 5:
            return day.replace(day=1)
    return start.replace(day=1)


def _date(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    """A school-term weekday between start and end (``in_holidays``: no inspection in August or at Christmas)."""
    span = (end - start).days
    for _ in range(20):
        day = start + dt.timedelta(days=int(rng.integers(0, max(span, 1))))
        if not in_holidays(day):
            return day
    while in_holidays(start):  # never a holiday, even when no draw found a term day
        start += dt.timedelta(days=1)
    return start


def make_las(rng: np.random.Generator) -> pd.DataFrame:
    """The fictional LAs.

    Columns: ``la_code`` ('001'..'099'), ``la_name``, ``region_code``,
    ``region``, ``effect`` (how far above the national average its schools
    are, in standard deviations of school quality).
    """
    codes = [f"{i:03d}" for i in range(1, 100)]
    region_codes = list(REGIONS)
    rows = []
    for i, code in enumerate(codes):
        region = SAMPLE_REGION if code == SAMPLE_LA else region_codes[i % len(region_codes)]
        name = SAMPLE_LA_NAME if code == SAMPLE_LA else f"Synthetic LA {code}"
        effect = 0.05 if code == SAMPLE_LA else float(rng.normal(0, 0.35))
        rows.append((code, name, region, REGIONS[region], effect))
    return pd.DataFrame(rows, columns=["la_code", "la_name", "region_code", "region", "effect"])


def _school_names(rng: np.random.Generator, count: int) -> list[str]:
    pairs = [f"{a} {b}" for a in _NAME_A for b in _NAME_B]
    order = rng.permutation(len(pairs))
    return [pairs[order[i % len(pairs)]] + ("" if i < len(pairs) else f" {i // len(pairs) + 1}") for i in range(count)]


def _suffix(phase: str, academy: bool) -> str:
    return {
        "Primary": "Academy" if academy else "Primary School",
        "Secondary": "Academy" if academy else "School",
        "Special": "Special Academy" if academy else "Special School",
        "PRU": "Learning Centre",
        "Nursery": "Nursery School",
        "All-through": "Academy",
    }[phase]


def make_schools(rng: np.random.Generator, las: pd.DataFrame, n_schools: int) -> pd.DataFrame:
    """Every school in every LA, including closed predecessors of academies.

    Columns: ``urn`` (synthetic, 900000 and above), ``la_code``, ``laestab``,
    ``name``, ``phase``, ``type`` (GIAS/Ofsted type of establishment),
    ``academy`` (bool), ``pupils``, ``open_date``, ``close_date`` (NaT while
    open), ``predecessor_urn`` and ``successor_urn`` (academy conversion
    links, '' where none), ``lineage`` (the first URN of the school, shared by
    a predecessor and its academy), ``quality0`` (latent quality in 2009),
    ``slope`` (its drift per year).
    """
    rows = []
    next_urn = 900001
    for la in las.itertuples():
        count = n_schools if la.la_code == SAMPLE_LA else OTHER_LA_SCHOOLS
        phases = []
        for phase, share, *_ in PHASE_MIX:
            phases += [phase] * max(int(round(share * count)), 1 if la.la_code == SAMPLE_LA or phase == "Primary" else 0)
        phases = (phases + ["Primary"] * count)[:count]
        names = _school_names(rng, count)
        for i, phase in enumerate(phases):
            _, _, mean, sd, academy_share = next(p for p in PHASE_MIX if p[0] == phase)
            pupils = int(np.clip(rng.normal(mean, sd), 15, 2200))
            quality0 = float(rng.normal(la.effect, 1.0))
            slope = float(rng.normal(0.02, 0.05))
            estab = {"Primary": 2000, "Secondary": 4000, "Special": 7000, "PRU": 1100,
                     "Nursery": 1000, "All-through": 4500}[phase] + i
            if estab > 9999:  # establishment numbers have 4 digits: a benchmark LA of thousands reuses them
                estab = 1000 + estab % 9000
            base = dict(la_code=la.la_code, laestab=f"{la.la_code}{estab:04d}", phase=phase,
                        pupils=pupils, quality0=quality0, slope=slope, lineage=str(next_urn))
            becomes_academy = rng.random() < academy_share
            name = names[i]
            if phase == "All-through" or (becomes_academy and rng.random() < 0.15):
                # opened as an academy or free school, no predecessor
                opened = _month(rng, dt.date(2010, 9, 1), dt.date(2019, 9, 1))
                rows.append(dict(base, urn=next_urn, name=f"{name} {_suffix(phase, True)}",
                                 type=ACADEMY_TYPES[phase] if phase != "All-through" else "Free School",
                                 academy=True, open_date=opened, close_date=None,
                                 predecessor_urn="", successor_urn=""))
                next_urn += 1
                continue
            maintained_type = MAINTAINED_TYPES[phase][int(rng.integers(0, len(MAINTAINED_TYPES[phase])))]
            maintained = dict(base, urn=next_urn, name=f"{name} {_suffix(phase, False)}",
                              type=maintained_type, academy=False, open_date=dt.date(1975, 9, 1),
                              close_date=None, predecessor_urn="", successor_urn="")
            next_urn += 1
            if becomes_academy:
                converted = _month(rng, dt.date(2011, 9, 1), dt.date(2026, 4, 1))
                academy = dict(base, urn=next_urn, name=f"{name} {_suffix(phase, True)}",
                               type=ACADEMY_TYPES[phase], academy=True, open_date=converted,
                               close_date=None, predecessor_urn=str(maintained["urn"]), successor_urn="")
                maintained["close_date"] = converted - dt.timedelta(days=1)
                maintained["successor_urn"] = str(next_urn)
                next_urn += 1
                rows += [maintained, academy]
            else:
                rows.append(maintained)
    frame = pd.DataFrame(rows)
    frame["open_date"] = pd.to_datetime(frame["open_date"])
    frame["close_date"] = pd.to_datetime(frame["close_date"])
    frame["urn"] = frame["urn"].astype(str)
    columns = ["urn", "la_code", "laestab", "name", "phase", "type", "academy", "pupils",
               "open_date", "close_date", "predecessor_urn", "successor_urn", "lineage",
               "quality0", "slope"]
    return frame[columns]


def _years_since(start: dt.date, when: dt.date) -> float:
    return (when - start).days / 365.25


def quality_at(schools: pd.DataFrame, when: dt.date, support: pd.DataFrame | None = None) -> pd.Series:
    """Latent quality of each school on a date, continuing across a conversion.

    ``support`` (from ``supported_schools``) adds the gain from support received
    by the school's lineage before ``when``.
    """
    value = schools["quality0"] + schools["slope"] * _years_since(FIRST_DATE, when)
    if support is not None and not support.empty:
        gained = support.apply(lambda s: SUPPORT_GAIN * min(max(_years_since(s["start"], when), 0.0), s["years"]), axis=1)
        value = value + schools["lineage"].map(dict(zip(support["lineage"], gained, strict=True))).fillna(0.0)
    return value


def _grade(q: float, rng: np.random.Generator) -> int:
    noisy = q + rng.normal(0, 0.45)
    if noisy > 1.2:
        return 1
    if noisy > -1.2:
        return 2
    if noisy > -2.0:
        return 3
    return 4


def _report_card(q: float, rng: np.random.Generator) -> int:
    noisy = q + rng.normal(0, 0.5)
    for grade, cut in ((1, 1.9), (2, 0.9), (3, -1.2), (4, -2.0)):
        if noisy > cut:
            return grade
    return 5


def make_inspections(rng: np.random.Generator, schools: pd.DataFrame) -> pd.DataFrame:
    """Every graded inspection of every school from 2009 to July 2026.

    Columns: ``urn``, ``date``, ``era`` (``overall``, ``key_judgements``,
    ``report_card``), ``overall`` (1-4, overall eras only), ``category``
    (``SM`` special measures, ``SWK`` serious weaknesses, ``RSI`` requires significant
    improvement (report cards), '' none),
    ``quality_of_education``, ``behaviour_and_attitudes``,
    ``personal_development``, ``leadership_and_management`` (1-4; from 2019 in
    the overall era and in the key-judgement era), ``safeguarding_effective``
    ('Yes'/'No'/''), the report-card areas ``inclusion``,
    ``curriculum_and_teaching``, ``achievement``, ``attendance_and_behaviour``,
    ``personal_development_and_wellbeing``, ``leadership_and_governance``
    (1 exceptional to 5 urgent improvement), ``early_years``, ``sixth_form``
    (where the phase has one) and ``safeguarding_met`` ('Met'/'Not met').
    A school whose grade is requires improvement or inadequate is re-inspected
    sooner, as Ofsted does; schools in the sample LA that receive support improve
    a little faster (``SUPPORT_GAIN`` a year while supported); a school put in a
    category of concern gains ``INTERVENTION_GAIN`` over the following
    ``INTERVENTION_YEARS`` (the intervention that follows), so few stay in one long.
    """
    rows = []
    support = supported_schools(schools)
    gains = {row.lineage: (row.start, row.years) for row in support.itertuples()}
    for school in schools.to_dict("records"):
        start = max(FIRST_DATE, school["open_date"].date())
        end = LAST_DATE if pd.isna(school["close_date"]) else school["close_date"].date()
        gain = gains.get(school["lineage"])
        categorised: list[dt.date] = []  # when each spell in a category of concern began
        # a school inherits its place in the cycle; a new academy waits ~2-3 years
        if school["predecessor_urn"]:
            when = start + dt.timedelta(days=int(rng.integers(500, 1100)))
        else:
            when = start + dt.timedelta(days=int(rng.integers(30, 1500)))
        while when <= end:
            when = _date(rng, when, when + dt.timedelta(days=60))
            if when > end:
                break
            q = school["quality0"] + school["slope"] * _years_since(FIRST_DATE, when)
            if gain is not None:
                q += SUPPORT_GAIN * min(max(_years_since(gain[0], when), 0.0), gain[1])
            q += sum(INTERVENTION_GAIN * min(_years_since(begun, when) / INTERVENTION_YEARS, 1.0)
                     for begun in categorised)
            row = {"urn": school["urn"], "date": when}
            if when >= REPORT_CARDS_FROM:
                row["era"] = "report_card"
                areas = {a: _report_card(q, rng) for a in
                         ["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
                          "personal_development_and_wellbeing", "leadership_and_governance"]}
                if school["phase"] in ("Primary", "Nursery", "All-through"):
                    areas["early_years"] = _report_card(q + 0.2, rng)
                if school["phase"] in ("Secondary", "All-through") and rng.random() < 0.6:
                    areas["sixth_form"] = _report_card(q, rng)
                row.update(areas)
                met = rng.random() > (0.25 if q < -1.5 else 0.02)
                row["safeguarding_met"] = "Met" if met else "Not met"
                worst = max(areas.values())
                # under report cards the categories are special measures and requires significant improvement
                row["category"] = "SM" if (worst == 5 and areas["leadership_and_governance"] == 5) or not met else (
                    "RSI" if worst == 5 else "")
                grade = 3 if worst >= 4 else 2
            else:
                judgements = {
                    "quality_of_education": _grade(q, rng),
                    "behaviour_and_attitudes": _grade(q + 0.4, rng),
                    "personal_development": _grade(q + 0.6, rng),
                    "leadership_and_management": _grade(q + 0.2, rng),
                }
                safe = rng.random() > (0.2 if q < -1.5 else 0.01)
                overall = max(judgements["quality_of_education"], judgements["leadership_and_management"])
                if not safe:
                    overall = 4
                if when >= KEY_JUDGEMENTS_FROM:
                    row["era"] = "key_judgements"
                    row.update(judgements)
                    row["safeguarding_effective"] = "Yes" if safe else "No"
                    worst = 4 if not safe else max(judgements.values())
                else:
                    row["era"] = "overall"
                    row["overall"] = overall
                    if when >= dt.date(2019, 9, 1):
                        row.update(judgements)
                        row["safeguarding_effective"] = "Yes" if safe else "No"
                    worst = overall
                if worst == 4:
                    row["category"] = "SM" if (not safe or judgements["leadership_and_management"] == 4) else "SWK"
                else:
                    row["category"] = ""
                grade = worst
            rows.append(row)
            if row["category"] and (len(rows) < 2 or rows[-2]["urn"] != school["urn"] or not rows[-2]["category"]):
                categorised.append(when)
            gap_days = {1: (1800, 2600), 2: (1200, 1600), 3: (600, 900), 4: (450, 700)}[grade]
            when = when + dt.timedelta(days=int(rng.integers(*gap_days)))
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ["overall", "quality_of_education", "behaviour_and_attitudes", "personal_development",
                   "leadership_and_management", "inclusion", "curriculum_and_teaching", "achievement",
                   "attendance_and_behaviour", "personal_development_and_wellbeing",
                   "leadership_and_governance", "early_years", "sixth_form"]:
        frame[column] = frame[column].astype("Int64") if column in frame else pd.array([pd.NA] * len(frame), dtype="Int64")
    for column in ["category", "safeguarding_effective", "safeguarding_met"]:
        frame[column] = frame[column].fillna("") if column in frame else ""
    return frame.sort_values(["urn", "date"]).reset_index(drop=True)


def supported_schools(schools: pd.DataFrame) -> pd.DataFrame:
    """Sample-LA schools chosen for support from September 2022, and for how long.

    Selection mimics practice: most schools whose latent quality in September
    2022 was low, and a few middling ones. Columns: ``lineage``, ``urn`` (the
    URN open when support started), ``start`` (date), ``years`` (duration),
    ``tier`` (collaborative, targeted, intensive).
    """
    in_la = schools[schools["la_code"] == SAMPLE_LA]
    when = dt.date(2022, 9, 1)
    open_then = in_la["open_date"].le(pd.Timestamp(when)) & (
        in_la["close_date"].isna() | in_la["close_date"].gt(pd.Timestamp(when)))
    in_la = in_la[open_then]
    q = quality_at(in_la, when)
    rng = np.random.default_rng(SEED + 7)
    low = in_la[(q < -0.5).to_numpy() & (rng.random(len(in_la)) < 0.75)]
    middling = in_la[((q >= -0.5) & (q < 0.3)).to_numpy() & (rng.random(len(in_la)) < 0.12)]
    picked = pd.concat([low, middling])
    years = np.round(rng.uniform(0.8, 2.5, len(picked)), 1)
    starts = [when + dt.timedelta(days=int(d)) for d in rng.integers(0, 900, len(picked))]
    qp = quality_at(picked, when).to_numpy()
    tier = np.where(qp < -1.6, "intensive", np.where(qp < -0.5, "targeted", "collaborative"))
    return pd.DataFrame({"lineage": picked["lineage"].to_numpy(), "urn": picked["urn"].to_numpy(),
                         "start": starts, "years": years, "tier": tier})


@cache
def build(n_schools: int = 250) -> World:
    """Build the synthetic world (cached: the same arguments give the same world)."""
    rng = np.random.default_rng(SEED)
    las = make_las(rng)
    schools = make_schools(rng, las, n_schools)
    inspections = make_inspections(np.random.default_rng(SEED + 1), schools)
    support = supported_schools(schools)
    return World(las=las, schools=schools, inspections=inspections, support=support, n_schools=n_schools)
