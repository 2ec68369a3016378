"""The national overview of a batch: every LA on the headline measures, linking to its pack.

Built from the packs as published (their ``tables/``), so the overview and each pack always
agree: each figure is a measure of the registry (``config/measures.yaml``) taken from the pack's
facts table (``tables/facts.csv``). Achievement's headline measures are the indicators configured
as tiles, with LAIT's rank among all LAs, band and trend as the pack gives them; inspections' is
the share of schools last graded before September 2024 that are good or better at the latest
snapshot (``inspections_good_or_better``), ranked and banded among the LAs of the batch by the same
rules (``benchmark.rank_and_band``), its trend the change since the earliest snapshot.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from . import facts, published, registry, workspace
from .benchmark import rank_and_band
from .config import TEMPLATE_DIR
from .export import house_css
from .inputs import Inputs
from .pages import period_label
from .tables import write_csv
from .wording import long_date, number

#: ``overview.csv``: one row per LA, then per measure ``<measure>``, ``_rank``, ``_of``, ``_band``, ``_trend``
FIXED_COLUMNS = ["la_code", "la", "region", "pack"]
GOOD_OR_BETTER = "inspections_good_or_better"
#: a change smaller than this (percentage points) between the first and latest snapshot is "stable"
STABLE_POINTS = 1.0


def folder_name(inputs: Inputs) -> str:
    """``overview-<period>``: beside the packs it links to."""
    return f"overview-{inputs.params.period}"


def measures(inputs: Inputs) -> list[dict[str, str]]:
    """The headline measures of the batch's sections: ``key``, ``label``, ``unit``, in page order."""
    out = []
    if "achievement" in inputs.params.sections:
        from .sections.achievement.analysis import all_indicators

        out += [{"key": f"achievement_{i.code}", "code": i.code, "label": i.label, "unit": i.unit,
                 "decimals": i.decimals or 0} for i in all_indicators() if i.tile]
    if "inspections" in inputs.params.sections:
        from .measures import get

        out.append({"key": GOOD_OR_BETTER, "code": "", "label": get(GOOD_OR_BETTER).label, "unit": "percent",
                    "decimals": 1})
    return out


def _read(folder: Path, stem: str) -> pd.DataFrame | None:
    """A pack's published table, typed (``published.read_table``); None where the pack has none."""
    found = published.read_table(folder, stem)
    return None if found is None else found.frame


def _facts(folder: Path, wanted: set[str]) -> facts.Facts:
    """A pack's facts as published (``tables/facts.csv``, typed by its data dictionary): the LA's own of the
    measures ``wanted`` (an overview row's; a pack holds some 2,000 facts, its row uses a dozen)."""
    found = published.read_table(folder, "facts")
    if found is None:
        return facts.Facts(None)
    mine = found.frame[found.frame["measure"].isin(wanted) & (found.frame["area"] == "la")]
    return facts.Facts(facts.frame(mine.assign(period=mine["period"].astype(str)).to_dict("records")))


def table(inputs: Inputs, built: dict[str, Path]) -> pd.DataFrame:
    """One row per built LA: its code, name, region, pack folder, and each measure's value, rank, of, band, trend.

    Returns
    -------
    DataFrame
        ``FIXED_COLUMNS``, then for each of ``measures``: ``<key>`` (the LA's figure), ``<key>_rank``
        (1 best), ``<key>_of`` (LAs ranked), ``<key>_band`` (A best to D), ``<key>_trend``
        (improving, stable or declining); sorted by LA code.
    """
    neighbours = inputs.get("neighbours").drop_duplicates("la_code").set_index("la_code")
    rows = []
    wanted = {m["key"] for m in measures(inputs)} | {GOOD_OR_BETTER}
    for code, folder in sorted(built.items()):
        row: dict[str, object] = {"la_code": code, "la": str(neighbours["la_name"].get(code, f"LA {code}")),
                                  "region": str(neighbours["region"].get(code, "")), "pack": folder.name}
        known = _facts(folder, wanted)
        bench = _read(folder, "achievement__benchmark")
        if bench is not None:
            bench = bench.set_index("indicator")
            for m in measures(inputs):
                if m["code"] and m["code"] in bench.index:
                    line = bench.loc[m["code"]]
                    fact = known.find(m["key"], "la", facts.period_of(line["year"]))
                    row.update({m["key"]: None if fact is None else fact.value, f"{m['key']}_rank": float(line["rank"]),
                                f"{m['key']}_of": float(line["n_ranked"]), f"{m['key']}_band": line["band"],
                                f"{m['key']}_trend": line["trend"]})
        periods = sorted(f.period for f in known if f.measure == GOOD_OR_BETTER and f.area == "la"
                         and f.value is not None)
        if periods:
            first, last = known.get(GOOD_OR_BETTER, "la", periods[0]).value, known.get(GOOD_OR_BETTER, "la",
                                                                                         periods[-1]).value
            change = last - first if len(periods) > 1 else np.nan
            row[GOOD_OR_BETTER] = last
            row[f"{GOOD_OR_BETTER}_trend"] = (None if np.isnan(change) else "stable" if abs(change) < STABLE_POINTS
                                              else "improving" if change > 0 else "declining")
        rows.append(row)
    columns = FIXED_COLUMNS + [f"{m['key']}{suffix}" for m in measures(inputs)
                               for suffix in ("", "_rank", "_of", "_band", "_trend")]
    frame = pd.DataFrame(rows).reindex(columns=columns)
    if "inspections" in inputs.params.sections and len(frame):
        ranked = _rank_good_or_better(frame)
        frame[f"{GOOD_OR_BETTER}_rank"], frame[f"{GOOD_OR_BETTER}_of"], frame[f"{GOOD_OR_BETTER}_band"] = ranked
    return frame


def _rank_good_or_better(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Rank (1 best), LAs ranked and band of each LA's share good or better, among the batch's LAs."""
    values = pd.DataFrame([frame[GOOD_OR_BETTER].astype("float64").to_numpy()], columns=frame["la_code"],
                          index=pd.MultiIndex.from_tuples([(GOOD_OR_BETTER, 0)], names=["indicator", "year"]))
    rules = pd.DataFrame({"indicator": [GOOD_OR_BETTER], "polarity": ["High"], "no_quartile": [False]})
    ranked = rank_and_band(values, rules)
    n = int(ranked["n_ranked"].iloc[0])
    return (pd.Series(ranked["rank"].iloc[0].to_numpy(), index=frame.index),
            pd.Series(np.where(frame[GOOD_OR_BETTER].notna(), n, np.nan), index=frame.index),
            pd.Series(ranked["band"].iloc[0].to_numpy(), index=frame.index))


def _cells(frame: pd.DataFrame, inputs: Inputs) -> list[dict[str, object]]:
    """The page's rows: each cell's text and the value it sorts by."""
    rows = []
    for record in frame.to_dict("records"):
        cells = [{"text": record["la"], "sort": record["la"], "href": f"../{record['pack']}/index.html"},
                 {"text": record["la_code"], "sort": record["la_code"]},
                 {"text": record["region"], "sort": record["region"]}]
        for m in measures(inputs):
            value, rank, of = record.get(m["key"]), record.get(f"{m['key']}_rank"), record.get(f"{m['key']}_of")
            missing = value is None or pd.isna(value)
            cells.append({"text": "–" if missing else number(value, m["unit"], int(m["decimals"]), words=False),
                          "sort": "" if missing else float(value), "num": True})
            ranked = not (rank is None or pd.isna(rank))
            cells.append({"text": f"{int(rank)} of {int(of)}" if ranked else "–", "sort": int(rank) if ranked else "",
                          "num": True})
            band, trend = record.get(f"{m['key']}_band"), record.get(f"{m['key']}_trend")
            for word in (band, trend):  # missing (nan) sorts last, as "" does
                known = word if isinstance(word, str) and word else ""
                cells.append({"text": known or "–", "sort": known})
        rows.append(cells)
    return rows


def write(out: Path, inputs: Inputs, built: dict[str, Path], failed: dict[str, str]) -> Path:
    """Write ``<out>/overview-<period>/`` (``index.html``, ``overview.csv``) whole, replacing an earlier one; its page."""
    frame = table(inputs, built)
    final = out / folder_name(inputs)
    with workspace.pack_lock(out, final.name):  # as a pack's: one writer, a killed writer's leftovers cleared
        workspace.sweep(out, final.name)
        _write(frame, inputs, failed, out, final)
    return final / "index.html"


def _write(frame: pd.DataFrame, inputs: Inputs, failed: dict[str, str], out: Path, final: Path) -> None:
    from .publishing import publish

    build = Path(tempfile.mkdtemp(prefix=f"{workspace.BUILDING}{final.name}-", dir=out))
    try:
        write_csv(frame, build / "overview.csv")
        neighbours = inputs.get("neighbours").drop_duplicates("la_code").set_index("la_code")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
        page = env.get_template("overview.html.j2").render(
            css=house_css(), period=period_label(inputs.params.period), as_at=long_date(inputs.params.as_at),
            sections=[registry.SECTIONS[s].title for s in inputs.params.sections],
            measures=measures(inputs), rows=_cells(frame, inputs), n=len(frame),
            failed=[{"code": c, "la": str(neighbours["la_name"].get(c, f"LA {c}")), "why": why}
                    for c, why in sorted(failed.items())],
            title=f"Every LA: {period_label(inputs.params.period)}")
        (build / "index.html").write_text(page, encoding="utf-8")
        os.chmod(build, 0o755)
        publish(build, final)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
