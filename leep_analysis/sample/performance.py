"""Synthetic school performance tables: the sample LA's KS2 and KS4 results, year by year.

Laid out like the DfE download tool's one-LA extracts (``2018-2019_850_ks2final.csv``):
UTF-8 with a byte-order mark, CRLF line ends, ``RECTYPE``, percentages with
``%``, ``SUPP`` where 5 or fewer pupils, ``NE`` (a special school without
entries), ``LOWCOV`` (a Progress 8 score without enough prior attainment), rows
that end early (a new school without results yet, England's all-schools KS4
row), the LA's summary row and England's rows. Files are named
``performance/<YYYY>-08-31_ks2final.csv`` (and ``_ks4final``), the as-at date
being 31 August of the year the results are for.

Results come from each school's latent quality in the synthetic world on
results day, including the gain from support (``world.quality_at`` with the
world's support), relative to the mainstream average that year, plus cohort
noise: percentages are binomial draws on the cohort, scores add noise that
shrinks with the cohort. Years as in reality: no KS2 tests in 2020 and 2021; no
KS2 progress scores from 2024 (no KS1 baseline); no Progress 8 in 2020, 2021
and 2025; EBacc average point score from 2018. England's rows summarise every
school in the world, the LA's row its own schools.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as w

KS2_YEARS = [2016, 2017, 2018, 2019, 2022, 2023, 2024, 2025]
KS2_PROGRESS_UNTIL = 2023
KS4_YEARS = list(range(2016, 2026))
NO_PROGRESS8 = {2020, 2021, 2025}
EBACCAPS_FROM = 2018

#: England's level in the year (modelled on the published national figures, rounded):
#: KS2 % reaching the expected standard in RWM, KS4 average Attainment 8.
ENGLAND_RWM = {2016: 53, 2017: 61, 2018: 64, 2019: 65, 2022: 59, 2023: 60, 2024: 61, 2025: 62}
ENGLAND_ATT8 = {2016: 50.1, 2017: 46.4, 2018: 46.6, 2019: 46.8, 2020: 50.2, 2021: 50.9,
                2022: 48.8, 2023: 46.3, 2024: 45.9, 2025: 45.9}

#: Which schools sit each key stage's tests, with their record type (1 mainstream, 2 special),
#: and the share of a school's pupils in the year group.
KS2_PHASES = {"Primary": (1, 1 / 7), "All-through": (1, 1 / 14), "Special": (2, 1 / 12)}
KS4_PHASES = {"Secondary": (1, 1 / 6), "All-through": (1, 1 / 14), "Special": (2, 1 / 10)}
SPECIAL_SHIFT = -4.0  # special schools' results, in standard deviations of school quality
SUPPRESS_AT = 5  # cohorts of this many pupils or fewer are published as SUPP
NEW_SCHOOL_YEARS = {"ks2": 6, "ks4": 5}  # a school opened this recently has no results yet

NFTYPE = {
    "Community School": "CY", "Voluntary Aided School": "VA", "Voluntary Controlled School": "VC",
    "Foundation School": "FD", "Community Special School": "CYS", "Academy Converter": "ACC",
    "Academy Special Converter": "ACCS", "Free School": "F",
}

KS2_COLUMNS = ["RECTYPE", "LEA", "ESTAB", "URN", "SCHNAME", "NFTYPE", "ICLOSE", "TOTPUPS", "TELIG",
               "TFSM6CLA1A", "PTFSM6CLA1A", "PTRWM_EXP", "PTRWM_HIGH"]
KS2_PROGRESS = ["READPROG", "READPROG_LOWER", "READPROG_UPPER", "READCOV", "WRITPROG", "WRITPROG_LOWER",
                "WRITPROG_UPPER", "WRITCOV", "MATPROG", "MATPROG_LOWER", "MATPROG_UPPER", "MATCOV"]
KS4_IDENTITY = ["RECTYPE", "LEA", "ESTAB", "URN", "SCHNAME", "NFTYPE", "ICLOSE", "TOTPUPS"]


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _num(value: float, dps: int) -> str:
    """A number as the tables print it: rounded, no trailing zeros (``-4``, ``-1.9``, ``0.22``)."""
    return f"{round(float(value), dps) + 0.0:.{dps}f}".rstrip("0").rstrip(".")


def _pct(count: float, total: float) -> str:
    return f"{round(100 * count / total)}%"


def _cohort_schools(world: w.World, key_stage: str, year: int) -> pd.DataFrame:
    """Every school in the world that has pupils at the end of the key stage in ``year``.

    Columns: the world's school columns plus ``rectype``, ``q`` (quality on results
    day relative to the mainstream average, special schools shifted), ``expected``
    (expected cohort) and ``new`` (opened too recently to have results).
    """
    phases = KS2_PHASES if key_stage == "ks2" else KS4_PHASES
    day = pd.Timestamp(dt.date(year, 7, 1))
    schools = world.schools
    open_then = (schools["open_date"] <= day) & (schools["close_date"].isna() | (schools["close_date"] >= day))
    part = schools.loc[open_then & schools["phase"].isin(phases)].copy()
    quality = w.quality_at(part, day.date(), world.support)
    special = (part["phase"] == "Special").to_numpy()
    part["rectype"] = part["phase"].map(lambda p: phases[p][0])
    part["q"] = (quality - quality[~special].mean()).to_numpy() + SPECIAL_SHIFT * special
    part["expected"] = part["pupils"] * part["phase"].map(lambda p: phases[p][1])
    recent = day - pd.DateOffset(years=NEW_SCHOOL_YEARS[key_stage])
    part["new"] = (part["predecessor_urn"] == "") & (part["open_date"] > recent) & (part["open_date"].dt.year > 1975)
    return part.reset_index(drop=True)


def ks2_results(world: w.World, year: int) -> pd.DataFrame:
    """KS2 results of every school in the world in ``year``, as numbers.

    Columns: ``urn``, ``la_code``, ``rectype``, ``new``, ``telig`` (pupils),
    ``rwm``, ``high`` (pupils reaching the expected and the higher standard in
    reading, writing and maths), ``dis`` (disadvantaged pupils), ``dis_rwm``
    (of whom reaching the expected standard), ``read``, ``writ``, ``mat``
    (progress scores), ``prog_n`` (pupils with a progress score).
    """
    part = _cohort_schools(world, "ks2", year)
    rng = np.random.default_rng([w.SEED, 2, year])
    n = np.maximum(rng.poisson(part["expected"].to_numpy()), 1)
    q = part["q"].to_numpy()
    base = _logit(ENGLAND_RWM[year] / 100)
    share_dis = np.clip(rng.normal(0.25 - 0.06 * q.clip(-3, 3), 0.08), 0.02, 0.8)
    dis = rng.binomial(n, share_dis)
    prog_n = np.maximum(n - rng.binomial(n, 0.04), 1)
    noise = 5.5 / np.sqrt(prog_n)
    out = pd.DataFrame({
        "urn": part["urn"], "la_code": part["la_code"], "rectype": part["rectype"], "new": part["new"],
        "telig": n,
        "rwm": rng.binomial(n, _expit(base + 0.45 * q)),
        "high": rng.binomial(n, _expit(-2.4 + 0.45 * q)),
        "dis": dis,
        "dis_rwm": rng.binomial(dis, _expit(base - 0.8 + 0.45 * q)),
        "read": 1.2 * q + rng.normal(0, 0.6, len(q)) + rng.normal(0, 1, len(q)) * noise,
        "writ": 1.2 * q + rng.normal(0, 0.6, len(q)) + rng.normal(0, 1, len(q)) * noise,
        "mat": 1.2 * q + rng.normal(0, 0.6, len(q)) + rng.normal(0, 1, len(q)) * noise,
        "prog_n": prog_n,
    })
    return out.assign(**{c: part[c] for c in ["laestab", "name", "type", "pupils", "close_date"]})


def ks4_results(world: w.World, year: int) -> pd.DataFrame:
    """KS4 results of every school in the world in ``year``, as numbers.

    Columns: ``urn``, ``la_code``, ``rectype``, ``new``, ``tpup`` (pupils),
    ``att8``, ``p8``, ``p8_n`` (pupils with a Progress 8 score), ``basics94``,
    ``basics95``, ``ebacc_entered`` (pupil counts), ``ebaccaps``, ``no_entries``
    (a special school with no entries), ``lowcov`` (too few pupils with prior attainment).
    """
    part = _cohort_schools(world, "ks4", year)
    rng = np.random.default_rng([w.SEED, 4, year])
    n = np.maximum(rng.poisson(part["expected"].to_numpy()), 1)
    q = part["q"].to_numpy()
    p8_n = np.maximum(n - rng.binomial(n, 0.05), 1)
    special = (part["rectype"] == 2).to_numpy()
    out = pd.DataFrame({
        "urn": part["urn"], "la_code": part["la_code"], "rectype": part["rectype"], "new": part["new"],
        "tpup": n,
        "att8": np.clip(ENGLAND_ATT8[year] + 5.5 * q + rng.normal(0, 12, len(q)) / np.sqrt(n), 0, 90),
        "p8": 0.36 * q + rng.normal(0, 1.27, len(q)) / np.sqrt(p8_n),
        "p8_n": p8_n,
        "basics94": rng.binomial(n, _expit(0.58 + 0.6 * q)),
        "basics95": rng.binomial(n, _expit(-0.28 + 0.6 * q)),
        "ebacc_entered": rng.binomial(n, _expit(-0.4 + 0.5 * q)),
        "ebaccaps": np.clip(4.05 + 0.55 * q + rng.normal(0, 1.6, len(q)) / np.sqrt(n), 0, 9),
        "no_entries": special & (rng.random(len(q)) < 0.3),
        "lowcov": ~special & (rng.random(len(q)) < 0.03),
    })
    return out.assign(**{c: part[c] for c in ["laestab", "name", "type", "pupils", "close_date"]})


def _identity(row: pd.Series, year: int) -> list[str]:
    closed = pd.notna(row["close_date"]) and row["close_date"] <= pd.Timestamp(dt.date(year, 12, 31))
    return [str(row["rectype"]), row["la_code"], row["laestab"][3:], row["urn"], row["name"],
            NFTYPE[row["type"]], "1" if closed else "0", str(row["pupils"])]


def ks2_rows(world: w.World, year: int) -> list[list[str]]:
    """The KS2 file of ``year``: header, the sample LA's schools, its LA row, England's rows."""
    res = ks2_results(world, year)
    progress = year <= KS2_PROGRESS_UNTIL
    header = KS2_COLUMNS + (KS2_PROGRESS if progress else []) + ["PTRWM_EXP_FSM6CLA1A"]
    rows = [header]
    ours = res.loc[res["la_code"] == w.SAMPLE_LA].sort_values(["rectype", "name"], kind="stable")
    for _, r in ours.iterrows():
        ident = _identity(r, year)
        if r["new"]:
            rows.append(ident)
            continue
        n = int(r["telig"])
        small = n <= SUPPRESS_AT
        cells = ident + [str(n)]
        cells += ["SUPP", "SUPP"] if small else [str(r["dis"]), _pct(r["dis"], n)]
        cells += ["SUPP", "SUPP"] if small else [_pct(r["rwm"], n), _pct(r["high"], n)]
        if progress:
            for subject in ("read", "writ", "mat"):
                if small:
                    cells += ["SUPP"] * 4
                    continue
                half = 1.96 * 5.5 / np.sqrt(r["prog_n"])
                score = round(float(r[subject]), 1)
                cells += [_num(score, 1), _num(score - half, 1), _num(score + half, 1), _pct(r["prog_n"], n)]
        dis = int(r["dis"])
        cells.append("" if small or dis == 0 else "SUPP" if dis <= SUPPRESS_AT else _pct(r["dis_rwm"], dis))
        rows.append(cells)
    rows.append(_ks2_summary(ours, "3", w.SAMPLE_LA, w.SAMPLE_LA_NAME, progress))
    everyone = res.loc[~res["new"]]
    rows.append(_ks2_summary(everyone, "4", "", "", progress))
    rows.append(_ks2_summary(everyone, "5", "", "", progress))
    return rows


def _ks2_summary(res: pd.DataFrame, rectype: str, la: str, name: str, progress: bool) -> list[str]:
    res = res.loc[~res["new"]]
    n = res["telig"].sum()
    cells = [rectype, la, "", "", name, "", "", str(res["pupils"].sum()), str(n), str(res["dis"].sum()),
             _pct(res["dis"].sum(), n), _pct(res["rwm"].sum(), n), _pct(res["high"].sum(), n)]
    if progress:
        weights = res["prog_n"]
        for subject in ("read", "writ", "mat"):
            score = float(np.average(res[subject], weights=weights))
            half = 1.96 * 5.5 / np.sqrt(weights.sum())
            cells += [_num(score, 1), _num(score - half, 1), _num(score + half, 1), _pct(weights.sum(), n)]
    cells.append(_pct(res["dis_rwm"].sum(), res["dis"].sum()))
    return cells


def ks4_rows(world: w.World, year: int) -> list[list[str]]:
    """The KS4 file of ``year``: header, the sample LA's schools, its LA row, England's rows."""
    res = ks4_results(world, year)
    progress = year not in NO_PROGRESS8
    ebacc_aps = year >= EBACCAPS_FROM
    header = KS4_IDENTITY + ["TPUP", "ATT8SCR"] + (["P8PUP", "P8MEA", "P8CILOW", "P8CIUPP"] if progress else [])
    header += ["PTL2BASICS_94", "PTL2BASICS_95"] + (["EBACCAPS"] if ebacc_aps else []) + ["PTEBACC_E_PTQ_EE"]
    rows = [header]
    ours = res.loc[res["la_code"] == w.SAMPLE_LA].sort_values(["rectype", "name"], kind="stable")
    for _, r in ours.iterrows():
        ident = _identity(r, year)
        if r["new"]:
            rows.append(ident)
            continue
        n = int(r["tpup"])
        marker = "SUPP" if n <= SUPPRESS_AT else "NE" if r["no_entries"] else None
        cells = ident + [str(n), marker or _num(r["att8"], 1)]
        if progress:
            if marker:
                cells += [str(r["p8_n"])] + [marker] * 3
            elif r["lowcov"]:
                cells += [str(r["p8_n"])] + ["LOWCOV"] * 3
            else:
                half = 1.96 * 1.27 / np.sqrt(r["p8_n"])
                p8 = round(float(r["p8"]), 2)
                cells += [str(r["p8_n"]), _num(p8, 2), _num(p8 - half, 2), _num(p8 + half, 2)]
        cells += [marker or _pct(r["basics94"], n), marker or _pct(r["basics95"], n)]
        if ebacc_aps:
            cells.append(marker or _num(r["ebaccaps"], 2))
        cells.append(marker or _pct(r["ebacc_entered"], n))
        rows.append(cells)
    rows.append(_ks4_summary(ours, "4", w.SAMPLE_LA, progress, ebacc_aps))
    everyone = res.loc[~res["new"]]
    national = _ks4_summary(everyone, "5", "", progress, ebacc_aps)
    rows.append(national[:-1])  # England's all-schools row ends early, as in the published file
    rows.append(_ks4_summary(everyone, "7", "", progress, ebacc_aps))
    return rows


def _ks4_summary(res: pd.DataFrame, rectype: str, la: str, progress: bool, ebacc_aps: bool) -> list[str]:
    res = res.loc[~res["new"]]
    n = res["tpup"].sum()
    cells = [rectype, la, "", "", "", "", "", str(res["pupils"].sum()), str(n),
             _num(np.average(res["att8"], weights=res["tpup"]), 1)]
    if progress:
        p8 = float(np.average(res["p8"], weights=res["p8_n"]))
        half = 1.96 * 1.27 / np.sqrt(res["p8_n"].sum())
        cells += [str(res["p8_n"].sum()), _num(p8, 2), _num(p8 - half, 2), _num(p8 + half, 2)]
    cells += [_pct(res["basics94"].sum(), n), _pct(res["basics95"].sum(), n)]
    if ebacc_aps:
        cells.append(_num(np.average(res["ebaccaps"], weights=res["tpup"]), 2))
    cells.append(_pct(res["ebacc_entered"].sum(), n))
    return cells


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def write_performance(world: w.World, dest: Path) -> None:
    """Write ``performance/<YYYY>-08-31_ks2final.csv`` and ``..._ks4final.csv`` for every year."""
    folder = dest / "performance"
    folder.mkdir(parents=True, exist_ok=True)
    for year in KS2_YEARS:
        _write_csv(folder / f"{year}-08-31_ks2final.csv", ks2_rows(world, year))
    for year in KS4_YEARS:
        _write_csv(folder / f"{year}-08-31_ks4final.csv", ks4_rows(world, year))
