"""Synthetic LAIT benchmark data, data dictionary and statistical neighbours.

Written in the published layouts: the long table as parquet with every value as
text (markers ``-``, ``c``, ``x``; scientific notation; 17-digit floats; year
labels such as ``2018 (Rev)`` and ``2025 (prov)``), the dictionary as a fully
quoted CSV, and the neighbours workbook with its two rows above the header.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as w
from ._xlsx import write_rows

EXAM_YEARS = [str(y) for y in range(2016, 2026)]
KS5_LABELS = ["2016", "2017", "2018 (Rev)", "2019 (Rev)", "2020 (Final)", "2021 (Final)",
              "2022 (Rev)", "2023 (Rev)", "2024 (Rev)", "2025 (Rev)"]
PHONICS_LABELS = [str(y) for y in range(2016, 2025)] + ["2025 (prov)"]
NO_ASSESSMENT = {"2020", "2021"}

# code, topic, label, polarity, dps, level in 2025, spread between LAs, change a year,
# year labels, years with no data, sample LA's position (in spreads), small cohort
INDICATORS: list[tuple] = [
    ("FSP_NEW_GOODDEV", "Foundation Stage", "Foundation Stage - % achieving a good level of development", "High", None, 68.0, 2.5, 0.3, EXAM_YEARS, NO_ASSESSMENT, 1.2, False),
    ("FSP_Gooddev_FSM", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - FSM", "High", None, 52.0, 4.0, 0.3, EXAM_YEARS, NO_ASSESSMENT, -0.4, False),
    ("FSP_Gooddev_FSM_Other", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - Non FSM", "High", None, 71.0, 2.5, 0.3, EXAM_YEARS, NO_ASSESSMENT, 1.3, False),
    ("KS1P_all", "Key Stage 1 and Phonics", "Phonics Decoding - All pupils", "High", None, 80.0, 2.0, 0.4, PHONICS_LABELS, NO_ASSESSMENT, 0.8, False),
    ("KS1P_FSM", "Key Stage 1 and Phonics", "Phonics Decoding - FSM", "High", None, 67.0, 3.5, 0.4, PHONICS_LABELS, NO_ASSESSMENT, -0.2, False),
    ("KS1P_SEND", "Key Stage 1 and Phonics", "Phonics Decoding - SEN Support", "High", None, 45.0, 5.0, 0.5, PHONICS_LABELS, NO_ASSESSMENT, 0.1, False),
    ("KS2RWM_Expected_STD", "Key Stage 2", "KS2 % reading, writing and mathematics - Expected standard - All Pupils", "High", None, 62.0, 3.0, 0.6, EXAM_YEARS, NO_ASSESSMENT, 0.0, False),
    ("KS2RWM_Higher_STD", "Key Stage 2", "KS2 % reading, writing and mathematics - Higher standard  - All Pupils", "High", None, 8.0, 1.5, 0.1, EXAM_YEARS, NO_ASSESSMENT, -0.3, False),
    ("KS2R_Expected_STD", "Key Stage 2", "KS2 - Expected standard Reading - All Pupils", "High", None, 75.0, 2.5, 0.3, EXAM_YEARS, NO_ASSESSMENT, 0.3, False),
    ("KS2W_Teacher_Assess", "Key Stage 2", "KS2 TA - expected standard Writing - All Pupils", "High", None, 72.0, 3.0, 0.3, EXAM_YEARS, NO_ASSESSMENT, -0.2, False),
    ("KS2M_Expected_STD", "Key Stage 2", "KS2 - Expected standard Maths - All Pupils", "High", None, 74.0, 2.5, 0.4, EXAM_YEARS, NO_ASSESSMENT, -0.1, False),
    ("KS2GPS_Expected_STD", "Key Stage 2", "KS2 - Expected standard Grammar, Punctuation & Spelling - All Pupils", "High", None, 72.0, 3.0, 0.2, EXAM_YEARS, NO_ASSESSMENT, -0.3, False),
    ("KS2R_AVG_Scaled_Score", "Key Stage 2", "KS2 - Average Scaled Score Reading - All Pupils", "High", None, 105.0, 0.6, 0.05, EXAM_YEARS, NO_ASSESSMENT, 0.2, False),
    ("KS2R_Prog_VA", "Key Stage 2", "Progress between age 7 and age 11 - KS2 Reading", "High", 2, 0.0, 0.5, 0.0, [str(y) for y in range(2016, 2024)], NO_ASSESSMENT, 0.1, False),
    ("KS2W_Prog_VA", "Key Stage 2", "Progress between age 7 and age 11 - KS2 Writing", "High", 2, 0.0, 0.6, 0.0, [str(y) for y in range(2016, 2024)], NO_ASSESSMENT, -0.6, False),
    ("KS2M_Prog_VA", "Key Stage 2", "Progress between age 7 and age 11 - KS2 Maths", "High", 2, 0.0, 0.6, 0.0, [str(y) for y in range(2016, 2024)], NO_ASSESSMENT, -0.3, False),
    ("DAP_NEW_KS2_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment for disadvantaged pupils", "High", None, 46.0, 4.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, -0.9, False),
    ("NonDAP_NEW_KS2_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment for non disadvantaged pupils", "High", None, 68.0, 3.0, 0.6, EXAM_YEARS, NO_ASSESSMENT, 0.4, False),
    ("NEW_KS2_RWM_Sen_W/Osta", "Children with SEN", "KS2 Attainment of SEN Non Statemented/EHCP Children - RWM", "High", None, 22.0, 4.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, -0.2, False),
    ("NEW_KS2_RWM_Sen_Withsta", "Children with SEN", "KS2 Attainment of Statemented/EHCP Children - RWM", "High", None, 8.0, 3.0, 0.2, EXAM_YEARS, NO_ASSESSMENT, 0.3, True),
    ("KS2_NEW_White_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment in RWM for White Pupils", "High", None, 61.0, 3.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, 0.0, False),
    ("KS2_NEW_Asian_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment for Asian Pupils", "High", None, 65.0, 5.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, 0.4, False),
    ("KS2_NEW_Black_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment for Black Pupils", "High", None, 60.0, 7.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, -0.5, True),
    ("AVG_Attain8_Score", "Key Stage 4", "Average Attainment 8 score per pupil", "High", None, 45.9, 2.0, -0.2, EXAM_YEARS, set(), -0.3, False),
    ("AVG_Prog8_Score", "Key Stage 4", "Average Progress 8 score per pupil", "High", 2, -0.03, 0.15, 0.0, [str(y) for y in range(2016, 2025)], NO_ASSESSMENT, -0.6, False),
    ("EngMaths9-4", "Key Stage 4", "% achieving 9-4 pass in English and Maths", "High", None, 64.0, 3.5, -0.3, EXAM_YEARS[1:], set(), -0.2, False),
    ("EngMaths9-5", "Key Stage 4", "% achieving 9-5 pass in English and Maths", "High", None, 45.0, 3.5, -0.3, EXAM_YEARS[1:], set(), -0.3, False),
    ("EngBacEntries", "Key Stage 4", "English Baccalaureate Entries (%)", "High", None, 40.0, 6.0, 0.5, EXAM_YEARS, set(), -0.5, False),
    ("EngBacAvgPointScore", "Key Stage 4", "English Baccalaureate Average Point Score", "High", 2, 4.05, 0.2, -0.02, EXAM_YEARS[2:], set(), -0.4, False),
    ("DAP_KS4_ATT8", "Key Stage 4", "KS4 Attainment 8 - disadvantaged pupils", "High", None, 34.6, 2.5, -0.2, EXAM_YEARS, set(), -0.8, False),
    ("NonDAP_KS4_ATT8", "Key Stage 4", "KS4 Attainment 8 - non disadvantaged pupils", "High", None, 50.2, 2.0, -0.2, EXAM_YEARS, set(), -0.1, False),
    ("DAP_KS4_Prog8", "Key Stage 4", "KS4 Progress 8 - disadvantaged pupils", "High", 2, -0.57, 0.2, 0.0, [str(y) for y in range(2016, 2025)], NO_ASSESSMENT, -0.9, False),
    ("NonDAP_KS4_Prog8", "Key Stage 4", "KS4 Progress 8 - non disadvantaged pupils", "High", 2, 0.16, 0.15, 0.0, [str(y) for y in range(2016, 2025)], NO_ASSESSMENT, -0.4, False),
    ("SEN_WoStat_AVG_Attain8_Score", "Children with SEN", "Attainment 8 score - pupils with SEN Support", "High", None, 33.0, 2.5, -0.1, EXAM_YEARS, set(), -0.3, False),
    ("SEN_Stat_AVG_Attain8_Score", "Children with SEN", "Attainment 8 score - pupils with SEN Statement/EHCP", "High", None, 14.0, 3.0, -0.1, EXAM_YEARS, set(), 0.2, True),
    ("AVG_Attain8_Score_White", "Key Stage 4", "Average Attainment 8 score per pupil - White", "High", None, 45.0, 2.0, -0.2, EXAM_YEARS, set(), -0.3, False),
    ("AVG_Attain8_Score_Asian", "Key Stage 4", "Average Attainment 8 score per pupil - Asian", "High", None, 51.0, 4.0, -0.1, EXAM_YEARS, set(), 0.1, False),
    ("AVG_Attain8_Score_Black", "Key Stage 4", "Average Attainment 8 score per pupil - Black", "High", None, 44.0, 5.0, -0.1, EXAM_YEARS, set(), -0.2, True),
    ("APSE_Alevel", "Key Stage 5", "A level cohort Average point score per entry", "High", 2, 35.0, 1.8, 0.1, KS5_LABELS, set(), -0.9, False),
    ("Alevel_AAB", "Key Stage 5", "A levels AAB grades / Applied / Double awards", "High", 1, 17.0, 4.0, 0.2, KS5_LABELS, set(), -0.8, False),
    ("Level2Age19", "Attainment by age 19", "Level 2 qualification by the age of 19", "High", 2, 82.0, 2.5, -0.2, [str(y) for y in range(2016, 2025)], set(), 0.2, False),
    ("Level3Age19", "Attainment by age 19", "Level 3 qualification by the age of 19", "High", 2, 59.0, 4.0, 0.1, [str(y) for y in range(2016, 2025)], set(), -0.2, False),
    ("Level2_FMS_Attain", "Attainment by age 19", "Attainment of Level 2 qualification - FSM pupils", "High", 2, 64.0, 4.0, -0.2, [str(y) for y in range(2016, 2025)], set(), -0.8, False),
    ("Level3_FMS_Attain", "Attainment by age 19", "Attainment of Level 3 qualification, pupils - FSM", "High", 2, 38.0, 5.0, 0.1, [str(y) for y in range(2016, 2025)], set(), -0.9, False),
    ("L2Age19Gap", "Attainment by age 19", "Inequality gap in Level 2 qualification", "Low", 2, 21.0, 3.0, 0.0, [str(y) for y in range(2016, 2025)], set(), 1.3, False),
    ("L3Age19Gap", "Attainment by age 19", "Inequality gap in Level 3 qualification", "Low", 2, 26.0, 3.0, 0.0, [str(y) for y in range(2016, 2025)], set(), 1.1, False),
    ("LAC_KS2_ExpStd_RWM", "Children Looked After", "CLA Key Stage 2 - Expected Std Reading, Writing & Maths", "High", None, 35.0, 9.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, 0.2, True),
    ("LAC_KS4_AVG_Attain8", "Children Looked After", "CLA Key Stage 4 - AVG Attainment 8 score", "High", None, 20.0, 4.0, -0.1, EXAM_YEARS, set(), -0.1, True),
    ("LAC_EngMaths9-4", "Children Looked After", "% of CLA achieving 9-4 pass in English and Maths", "High", None, 18.0, 7.0, 0.0, EXAM_YEARS[1:], set(), -0.1, True),
    ("16-17 NEET", "Economic Factors", "16-17 NEET (from 2016)", "Low", None, 3.2, 0.9, 0.05, [str(y) for y in range(2018, 2026)], set(), -1.4, False),
    ("16-17_not known", "Economic Factors", "% of 16-17 whose activity is not known (from 2016)", "Low", None, 2.0, 1.5, -0.1, [str(y) for y in range(2018, 2026)], set(), -0.6, False),
    ("16-17_not known_NEET", "Economic Factors", "% of 16-17 who are NEET or whose activity is not known(from 2016)", "Low", None, 5.2, 1.8, 0.0, [str(y) for y in range(2019, 2026)], set(), -1.2, False),
    ("PriFSM", "Economic Factors", "Primary Free School Meals", None, None, 24.0, 6.0, 0.8, EXAM_YEARS, set(), -1.0, False),
    # added for the achievement section's ethnic groups and scaled scores (kept last, so the
    # random draws of the indicators above are unchanged)
    ("FSP_Gooddev_White", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - White", "High", None, 68.0, 2.5, 0.3, EXAM_YEARS, NO_ASSESSMENT, 1.0, False),
    ("FSP_Gooddev_Mixed", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - Mixed", "High", None, 68.0, 5.0, 0.3, EXAM_YEARS, NO_ASSESSMENT, 0.5, True),
    ("FSP_Gooddev_Asian", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - Asian", "High", None, 66.0, 5.0, 0.3, EXAM_YEARS, NO_ASSESSMENT, 0.2, False),
    ("FSP_Gooddev_Black", "Foundation Stage", "Foundation Stage - % Achieving Good Level of Development - Black", "High", None, 67.0, 7.0, 0.3, EXAM_YEARS, NO_ASSESSMENT, -0.4, True),
    ("KS2M_AVG_Scaled_Score", "Key Stage 2", "KS2- Average Scaled Score Maths - All Pupils", "High", None, 104.0, 0.7, 0.05, EXAM_YEARS, NO_ASSESSMENT, -0.1, False),
    ("KS2_NEW_Mixed_RWM", "Key Stage 2", "KS2 RWM Expected Level - attainment for Mixed Pupils", "High", None, 62.0, 6.0, 0.5, EXAM_YEARS, NO_ASSESSMENT, 0.1, True),
    ("AVG_Attain8_Score_Mixed", "Key Stage 4", "Average Attainment 8 score per pupil - Mixed", "High", None, 46.0, 3.5, -0.2, EXAM_YEARS, set(), -0.2, True),
]

DICTIONARY_COLUMNS = ["Measure_code", "Topic", "Measure", "Chart_title", "Measure_short", "Polarity",
                      "y_axis_name", "state_funded_flag", "Table_status", "Description", "Last Update",
                      "Next Update", "Data Owner (DO) /Supplier and Contact Details", "Methodology",
                      "Hyperlink(s)", "dps", "Year_Type", "No_Quartile"]


def _text(value: float, dps: int | None, style: int) -> str:
    """Render a number the ways the published file does (rounded, 17-digit, E-notation)."""
    rounded = round(value, dps if dps is not None else 0) + 0.0  # + 0.0 turns -0.0 into 0.0
    if dps is None:
        rounded = round(value)
        return str(int(rounded)) if style % 7 else repr(float(rounded)).removesuffix(".0")
    if 0 < abs(rounded) < 0.1:
        mantissa, exponent = f"{rounded:.16E}".split("E")
        return f"{mantissa}E{int(exponent)}"
    if style % 5 == 0:
        return f"{rounded:.17g}"
    return f"{rounded:.{dps}f}".rstrip("0").rstrip(".") if dps else str(rounded)


def lait_table(world: w.World) -> pd.DataFrame:
    """The synthetic LAIT long table, columns and text values as published."""
    rng = np.random.default_rng(w.SEED + 11)
    las = world.las
    rows = []
    for code, _topic, _label, polarity, dps, level, spread, change, labels, gaps, sample_z, small in INDICATORS:
        la_z = pd.Series(rng.normal(0, 1, len(las)), index=las["la_code"])
        la_z[w.SAMPLE_LA] = sample_z
        drift = pd.Series(rng.normal(0, 0.25, len(las)), index=las["la_code"])
        if code in ("AVG_Prog8_Score", "DAP_KS4_Prog8", "KS2W_Prog_VA"):
            drift[w.SAMPLE_LA] = -0.35  # the sample LA's secondary progress is slipping
        for step, label in enumerate(labels):
            year = int(label[:4])
            base = level - change * (2025 - year)
            if year in (2020, 2021) and code.startswith(("AVG_Attain8", "EngMaths", "DAP_KS4_ATT8", "NonDAP_KS4", "SEN_", "LAC_KS4", "APSE", "Alevel")):
                base += 0.06 * abs(level)  # teacher-assessed grades in 2020 and 2021
            values = base + spread * (la_z + drift * (step - len(labels) / 2) / 3) + rng.normal(0, spread * 0.25, len(las))
            if polarity is None or level > 1:
                values = values.clip(lower=0)
            texts = {}
            for la_code, value in values.items():
                if label in gaps:
                    texts[la_code] = "-"
                elif small and rng.random() < 0.18:
                    texts[la_code] = "c" if rng.random() < 0.7 else "x"
                elif rng.random() < 0.004:
                    texts[la_code] = "-"
                else:
                    texts[la_code] = _text(float(value), dps, int(rng.integers(0, 35)))
            region_rows = []
            for region_code, region_name in w.REGIONS.items():
                members = las.loc[las["region_code"] == region_code, "la_code"]
                vals = values[members]
                region_rows.append((region_code, region_name, "-" if label in gaps else _text(float(vals.mean()), dps, 1)))
            england = "-" if label in gaps else _text(float(values.mean()), dps, 1)
            for la in las.itertuples():
                rows.append((code, None, label, la.la_name, texts[la.la_code], float(la.la_code), la.region))
            rows.append((code, None, label, w.ENGLAND_NAME, england, float(w.ENGLAND_CODE), "NA"))
            for region_code, region_name, text in region_rows:
                rows.append((code, None, label, region_name, text, float(region_code), "NA"))
    frame = pd.DataFrame(rows, columns=["Short Desc", "Data item", "Years", "LA and Regions", "Values",
                                        "LA Number", "Region"])
    return _neet_or_not_known(frame)


def _neet_or_not_known(frame: pd.DataFrame) -> pd.DataFrame:
    """NEET or not known as the sum of NEET and not known, as the real file's is, for every area and year (the
    sum of the figures as published, so the three agree to the figure; '-' where either has none)."""
    def values(code: str) -> pd.Series:
        rows = frame[frame["Short Desc"] == code]
        numbers = pd.to_numeric(rows["Values"], errors="coerce")
        return pd.Series(numbers.to_numpy(), index=pd.MultiIndex.from_arrays([rows["Years"], rows["LA Number"]]))

    total = values("16-17 NEET") + values("16-17_not known")
    rows = frame["Short Desc"] == "16-17_not known_NEET"
    keys = pd.MultiIndex.from_arrays([frame.loc[rows, "Years"], frame.loc[rows, "LA Number"]])
    found = total.reindex(keys).to_numpy()
    frame.loc[rows, "Values"] = ["-" if pd.isna(v) else _text(float(v), None, 1) for v in found]
    return frame


def write_lait(world: w.World, dest: Path) -> None:
    """Write ``lait.parquet`` and ``lait_data_dictionary.csv``."""
    lait_table(world).to_parquet(dest / "lait.parquet", index=False)
    with open(dest / "lait_data_dictionary.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(DICTIONARY_COLUMNS)
        for i, (code, topic, label, polarity, dps, *_rest) in enumerate(INDICATORS):
            no_quartile = "N" if code in ("KS2R_AVG_Scaled_Score", "KS2M_AVG_Scaled_Score") else "NA"
            writer.writerow([
                str(1000 + i), topic, label, label, code, polarity or "-", "%" if dps is None else "Score",
                "State Funded", "Synthetic sample", f"Synthetic sample measure modelled on LAIT's '{label}'.",
                "46000", "46365", "Synthetic: leep-analysis sample generator",
                "Not real data.", "NA", "NA" if dps is None else str(dps), "Academic Year", no_quartile,
            ])


def write_neighbours(world: w.World, dest: Path) -> None:
    """Write ``neighbours.xlsx`` laid out like DfE's statistical neighbour workbook."""
    las = world.las
    effect = las.set_index("la_code")["effect"]
    proximity = ["Very close", "Very Close", "Close", "Close", "Somewhat close"]
    header_letters = ["A", "B", "C", "D", "E"] + list(range(3, 23))
    rows: list[list[object]] = [header_letters, list(range(1, 26))]
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for k in range(1, 11):
        header += [f"SN{k}", "SNP"]
    rows.append(header)
    for i, la in enumerate(las.itertuples()):
        distance = (effect - la.effect).abs() + 0.05 * (las.set_index("la_code")["region_code"] != la.region_code)
        nearest = distance.drop(la.la_code).sort_values(kind="stable").index[:10]
        row: list[object] = [float(la.la_code), la.la_name, float(la.la_code), float(i % 9 + 1), la.region]
        for k, neighbour in enumerate(nearest):
            row += [float(neighbour), proximity[min(k // 3, len(proximity) - 1) if k < 9 else 4]]
        rows.append(row)
    write_rows(dest / "neighbours.xlsx", {"LA SN Groups": rows})

