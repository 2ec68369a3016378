"""Synthetic performance tables census and absence files for 2024/25, in the DfE's layouts, with their dictionaries.

Every school open on census day (16 January 2025), in every LA, gets a row:
pupils on roll from the world, and SEN, EAL and free school meal shares that
rise as latent quality falls; persistent absence rises with it too. Small
schools' absence is ``SUPP``; PRUs have ``NA`` for EAL as real PRU rows often
do. England's rows (``NAT``) are the state-funded schools' totals by phase,
marked in ``URN`` in the census and in ``LA`` in the absence file, as in the
real files. Written as ``2024-2025_england_census.csv`` and
``2024-2025_england_abs.csv`` (the year is read from the name) beside
``census_meta.csv`` and ``abs_meta.csv``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as w

CENSUS_DAY = dt.date(2025, 1, 16)
YEAR = "2024-2025"
SCHOOL_TYPE = {"Primary": "State-funded primary", "Secondary": "State-funded secondary",
               "Special": "State-funded special school", "PRU": "Pupil referral unit",
               "Nursery": "State-funded nursery", "All-through": "State-funded secondary"}
NATIONAL = {"Primary": "PRI", "Secondary": "SEC", "Special": "SPE"}
CENSUS_META = [("URN", "School Unique Reference Number"), ("LA", "LA number"), ("ESTAB", "ESTAB number"),
               ("SCHOOLTYPE", "Type of school"), ("NOR", "Total number of pupils on roll"),
               ("TSENELSE", "Number of SEN pupils with an EHC plan"),
               ("PSENELSE", "Percentage of SEN pupils with an EHC plan"),
               ("TSENELK", "Number of eligible pupils with SEN support"),
               ("PSENELK", "Percentage of eligible pupils with SEN support"),
               ("NUMEAL", "No.  pupils where English not first language"),
               ("PNUMEAL", "%  pupils where English not first language"),
               ("NUMFSMEVER", "Number of pupils eligible for FSM at any time during the past 6 years"),
               ("PNUMFSMEVER", "Percentage of pupils eligible for FSM at any time during the past 6 years")]
ABS_META = [("LA", "Local Authority Number"), ("ESTAB", "DfE number of establishment within LA"),
            ("URN", "School unique Reference Number"), ("PERCTOT", "Percentage of overall absence"),
            ("PPERSABS10", "Percentage of enrolments who are persistent absentees")]


def _open_schools(world: w.World) -> pd.DataFrame:
    stamp = pd.Timestamp(CENSUS_DAY)
    schools = world.schools[world.schools["open_date"].le(stamp)
                            & (world.schools["close_date"].isna() | world.schools["close_date"].gt(stamp))]
    schools = schools.sort_values(["la_code", "laestab"]).copy()
    schools["quality"] = w.quality_at(schools, CENSUS_DAY).to_numpy()
    return schools


def tables(world: w.World) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(census, absence) as the DfE publishes them, every value as text."""
    rng = np.random.default_rng(w.SEED + 21)
    schools = _open_schools(world)
    n = len(schools)
    q = schools["quality"].to_numpy()
    nor = schools["pupils"].to_numpy()
    fsm = np.clip(0.24 - 0.05 * q + rng.normal(0, 0.06, n), 0.02, 0.8)
    ehc = np.where(schools["phase"].eq("Special"), 0.97, np.clip(0.025 + rng.normal(0, 0.01, n), 0, 0.2))
    sen = np.clip(0.13 - 0.02 * q + rng.normal(0, 0.03, n), 0.01, 0.6)
    eal = np.clip(rng.beta(1.2, 5, n), 0, 0.95)
    persistent = np.clip(np.where(schools["phase"].eq("Secondary"), 18.0, 13.0) - 3.0 * q
                         + rng.normal(0, 3.0, n), 0.5, 70)
    overall = np.clip(persistent / 3 + rng.normal(0, 0.5, n), 0.5, 30)
    estab = schools["laestab"].str[3:].to_numpy()

    def count(share: np.ndarray) -> np.ndarray:
        return np.round(share * nor).astype(int)

    census = pd.DataFrame({
        "URN": schools["urn"].to_numpy(), "LA": schools["la_code"].to_numpy(), "ESTAB": estab,
        "SCHOOLTYPE": schools["phase"].map(SCHOOL_TYPE).to_numpy(), "NOR": nor.astype(str),
        "TSENELSE": count(ehc).astype(str), "PSENELSE": np.round(100 * count(ehc) / nor, 1).astype(str),
        "TSENELK": count(sen).astype(str), "PSENELK": np.round(100 * count(sen) / nor, 1).astype(str),
        "NUMEAL": count(eal).astype(str), "PNUMEAL": np.round(100 * count(eal) / nor, 1).astype(str),
        "NUMFSMEVER": count(fsm).astype(str), "PNUMFSMEVER": np.round(100 * count(fsm) / nor, 1).astype(str),
    })
    pru = schools["phase"].eq("PRU").to_numpy()
    census.loc[pru, ["NUMEAL", "PNUMEAL"]] = "NA"
    absence = pd.DataFrame({"LA": schools["la_code"].to_numpy(), "ESTAB": estab, "URN": schools["urn"].to_numpy(),
                            "PERCTOT": np.round(overall, 1).astype(str),
                            "PPERSABS10": np.round(persistent, 1).astype(str)})
    absence.loc[nor < 40, "PPERSABS10"] = "SUPP"
    nat_census, nat_absence = [], []
    for phase, code in NATIONAL.items():
        part = schools["phase"].eq(phase).to_numpy()
        pupils = int(nor[part].sum())
        row = {"URN": "NAT", "LA": "", "ESTAB": code, "SCHOOLTYPE": SCHOOL_TYPE[phase], "NOR": str(pupils)}
        for total, pct in (("TSENELSE", "PSENELSE"), ("TSENELK", "PSENELK"), ("NUMEAL", "PNUMEAL"),
                           ("NUMFSMEVER", "PNUMFSMEVER")):
            value = int(pd.to_numeric(census.loc[part, total], errors="coerce").sum())
            row[total], row[pct] = str(value), str(round(100 * value / pupils, 1))
        nat_census.append(row)
        weights = nor[part]
        nat_absence.append({"LA": "NAT", "ESTAB": code, "URN": "",
                            "PERCTOT": str(round(float(np.average(overall[part], weights=weights)), 1)),
                            "PPERSABS10": str(round(float(np.average(persistent[part], weights=weights)), 1))})
    return (pd.concat([census, pd.DataFrame(nat_census)], ignore_index=True),
            pd.concat([absence, pd.DataFrame(nat_absence)], ignore_index=True))


def write_context(world: w.World, dest: Path) -> None:
    """Write the census and absence files (UTF-8 with BOM, as the DfE's) and their dictionaries."""
    census, absence = tables(world)
    census.to_csv(dest / f"{YEAR}_england_census.csv", index=False, lineterminator="\n", encoding="utf-8-sig")
    absence.to_csv(dest / f"{YEAR}_england_abs.csv", index=False, lineterminator="\n", encoding="utf-8-sig")
    pd.DataFrame([(n + 1, f, name) for n, (f, name) in enumerate(CENSUS_META)],
                 columns=["Field Number", "Field Reference", "Field Name"]).to_csv(
        dest / "census_meta.csv", index=False, lineterminator="\n")
    pd.DataFrame([(chr(65 + n), f, name) for n, (f, name) in enumerate(ABS_META)],
                 columns=["Column", "Variable", "Label"]).to_csv(dest / "abs_meta.csv", index=False, lineterminator="\n")
