"""What the support notebook shows: ``Section.show`` and ``Section.figure`` arguments from an ``Analysis``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ... import charts, disclosure, tables
from ...schools import grade_label, label
from ...sources.support_register import config, vocabulary
from ...wording import long_date
from . import analysis
from .analysis import ALL, Analysis
from .data import SupportData
from .matching import attainment_measures
from .words import as_of, measure_label, measure_short, measure_unit, shown_count, since


def _group_label(group_by: str, group: str) -> str:
    kinds = {"reach": "reach_groups", "tier": "tiers", "support_type": "support_types", "phase": "phases",
             "governance": "governance", "funding_source": "funding_sources"}
    if group_by in kinds and group in config()[kinds[group_by]]:
        return label(kinds[group_by], group)
    return {"not recorded": "Not recorded", "unknown": "Not known"}.get(group, group)


def _labels() -> dict[str, str]:
    return dict(config()["labels"])


def _suppress(data: SupportData, frame: pd.DataFrame, counts: list[str],
              dependents: Mapping[str, list[str]] | None = None) -> pd.DataFrame:
    return disclosure.suppress(frame, counts, threshold=data.threshold, dependents=dependents,
                               committee=data.committee)


_REACH_NOTE = ("A school can have support of more than one tier, type or provider. Phase and governance "
               "percentages are of the LA's schools of that phase or governance.")


def _reach_view(result: Analysis, frame: pd.DataFrame, name: str, caption: str,
                notes: str | None = None) -> dict[str, Any]:
    table = _suppress(result.data, frame, ["n_schools", "n_episodes"], {"n_schools": ["pct_of_schools"]})
    if result.data.committee:
        notes = " ".join(filter(None, [notes, f"c: fewer than {result.data.threshold}, withheld with its percentage "
                                              "so that no school can be picked out."]))
    shown = table.copy()
    shown["group_by"] = [label("group_by", g) for g in shown["group_by"]]
    shown["group"] = [_group_label(b, g) for b, g in zip(frame["group_by"], frame["group"], strict=True)]
    return {"frame": shown, "name": name, "csv": table, "labels": _labels(), "caption": caption, "notes": notes,
            "formats": {"n_schools": "int", "n_episodes": "int", "pct_of_schools": "pct0"}}


def summary(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the reach table (``support__summary.csv``)."""
    return _reach_view(result, result.summary, "summary",
                       f"Schools receiving support, {since(result.data)} to {as_of(result.data)}",
                       "Tier, type, phase, governance, funding and provider describe support this period. " + _REACH_NOTE)


def year(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the reach breakdowns of the academic year to date (``support__summary_year.csv``)."""
    first = result.data.year_start
    return _reach_view(result, result.summary_year, "summary_year",
                       f"Schools receiving support this academic year, {long_date(first)} "
                       f"to {as_of(result.data)}", _REACH_NOTE)


def impact(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the impact table (``support__impact.csv``)."""
    data = result.data
    table = _suppress(data, result.impact, ["n_supported", "n_comparison"],
                      {"n_supported": ["effect", "ci_low", "ci_high"], "n_comparison": ["effect", "ci_low", "ci_high"]})
    shown = table.copy()
    shown["measure"] = [f"{measure_label(m)} ({measure_unit(m)})" for m in result.impact["measure"]]
    shown["group"] = ["All supported schools" if g == ALL else label("tiers", g) for g in result.impact["group"]]
    return {"frame": shown, "name": "impact", "csv": table, "labels": _labels(),
            "caption": f"Impact of support: supported schools against similar unsupported schools, to {as_of(data)}",
            "formats": {"n_supported": "int", "n_comparison": "int", "effect": "signed2", "ci_low": "signed2",
                        "ci_high": "signed2"},
            "notes": "Difference = supported minus comparison (for results, the difference between their changes). "
                     "Inspection measures in percentage points. The verdict comes from the 95% interval: only an "
                     "interval wholly above (or below) zero is called a difference."}


def inspection(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the next-inspection outcomes (``support__inspection.csv``)."""
    table = analysis.inspection_summary(result)
    data = result.data
    table = _suppress(data, table, ["n_schools"], {"n_schools": ["pct_improved", "pct_same", "pct_declined",
                                                                 "pct_good", "months_to_good"]})
    shown = table.copy()
    shown["group"] = [config()["labels"][g] for g in analysis.inspection_summary(result)["group"]]
    return {"frame": shown, "name": "inspection", "csv": table,
            "labels": {"group": "", "n_schools": "Schools inspected", "pct_improved": "Improved",
                       "pct_same": "Same grade", "pct_declined": "Declined",
                       "pct_good": "Good or better (started below good)", "months_to_good": "Median months to good"},
            "formats": {"n_schools": "int", "pct_improved": "pct0", "pct_same": "pct0", "pct_declined": "pct0",
                        "pct_good": "pct0", "months_to_good": "num1"},
            "caption": "Grade at the next inspection after support started, supported and similar unsupported schools",
            "notes": "Similar schools: the LA's schools without support, of the same phase, that had the same grade on "
                     "the day each supported school's support started and were inspected after it."}


def following(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for how supported schools were followed across URN changes."""
    table = analysis.following(result)
    data = result.data
    table = _suppress(data, table, ["n_schools"])
    shown = table.copy()
    shown["status"] = [label("following", s) for s in analysis.following(result)["status"]]
    return {"frame": shown, "name": "following", "csv": table, "labels": {"status": "", "n_schools": "Schools"},
            "formats": {"n_schools": "int"},
            "caption": f"Supported schools found in the data as at {as_of(data)}",
            "notes": "A school that becomes an academy gets a new URN; predecessor and successor links from Get "
                     "Information about Schools connect the two." + (
                         "" if data.present is not None else " Not known here: neither an establishments list nor "
                         "Ofsted management information says which schools are open.")}


def _first_of(providers: object) -> str:
    """``A; B; C`` -> ``A and 2 more``."""
    if providers is None or pd.isna(providers) or not str(providers):
        return tables.MISSING
    names = str(providers).split("; ")
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def schools(result: Analysis) -> dict[str, Any]:
    """``Section.show`` arguments for the list of supported schools (``support__schools.csv``).

    The page shows the first provider of each school ("and 2 more"), and
    leaves governance, the types of support and how the school was followed
    to the CSV, which has every column of ``school_list``.
    """
    data = result.data
    table = analysis.school_list(result)
    shown = table.copy()
    shown["phase"] = [label("phases", p) for p in table["phase"]]
    shown["tier"] = [label("tiers", t) for t in table["tier"]]
    shown["providers"] = [_first_of(p) for p in table["providers"]]
    shown["grade_before"] = [grade_label(g) for g in table["grade_before"]]
    shown["grade_after"] = [grade_label(g) for g in table["grade_after"]]
    shown["outcome"] = [label("outcomes", o) for o in table["outcome"]]
    shown["last_end"] = ["ongoing" if pd.isna(e) else tables.FORMATS["date"](e) for e in table["last_end"]]
    shown = shown.drop(columns=["governance", "support_types", "followed"])
    note = "Schools are shown as School A, School B and so on; providers that are schools are not named." \
        if data.committee else None
    if table.empty:  # tables.write_csv cannot write an empty text column
        table, shown = table.astype(object), shown.astype(object)
    return {"frame": shown, "name": "schools", "csv": table, "labels": _labels(),
            "formats": {"first_start": "date", "inspected_after": "date"},
            "caption": f"Schools supported, their support and their next inspection, to {as_of(data)}", "notes": note}


# ------------------------------------------------------------------------ charts
def reach_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: schools supported this period by their most intensive tier.

    In committee packs a small count is drawn as no bar and labelled ``c``.
    """
    plt = charts.pyplot()

    data = result.data
    period = data.register[data.register["end_date"].isna() | data.register["end_date"].gt(pd.Timestamp(data.since))]
    order = vocabulary("tiers")
    ranked = period.assign(_rank=period["tier"].map({t: i for i, t in enumerate(order)}))
    top = ranked.sort_values("_rank", kind="stable").drop_duplicates("lineage", keep="last")
    counts = top["tier"].value_counts().reindex(order, fill_value=0)
    shown = [shown_count(data, int(n)) for n in counts]
    values = [0 if text == disclosure.SUPPRESSED else int(n) for text, n in zip(shown, counts, strict=True)]
    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    names = [label("tiers", t) for t in order]
    ax.set_axisbelow(True)
    ax.barh(names, values, color=charts.PALETTE["dark_blue"])
    for y, (value, text) in enumerate(zip(values, shown, strict=True)):
        ax.annotate(text, (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_title("Schools supported this period, by most intensive tier")
    ax.set_xlabel("Schools")
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    described = ", ".join(f"{n} {t}" for n, t in zip(names, shown, strict=True))
    return {"fig": fig, "caption": "Schools supported this period by the most intensive tier of their support",
            "alt": f"Horizontal bar chart of schools supported this period by tier: {described}."}


def outcomes_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: next-inspection outcomes, supported against similar schools (100% bars).

    A group with no schools inspected (or, in committee packs, fewer than the
    suppression threshold) gets no bar and a note saying why.
    """
    plt = charts.pyplot()

    data = result.data
    table = analysis.inspection_summary(result)
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    names = [config()["labels"][g] for g in table["group"]]
    parts = [("pct_improved", "Improved", charts.PALETTE["dark_blue"]),
             ("pct_same", "Same grade", charts.GREY), ("pct_declined", "Declined", charts.PALETTE["orange"])]
    hidden = [n == 0 or shown_count(data, int(n)) == disclosure.SUPPRESSED for n in table["n_schools"]]
    left = np.zeros(len(table))
    ax.set_axisbelow(True)
    for column, name, colour in parts:
        values = np.where(hidden, 0.0, table[column].fillna(0).to_numpy(dtype=float))
        ax.barh(names, values, left=left, color=colour, label=name)
        left += values
    for y, (hide, n) in enumerate(zip(hidden, table["n_schools"], strict=True)):
        if hide:
            ax.text(1, y, "no schools inspected" if n == 0 else "too few schools to show (c)", va="center",
                    fontsize=9, color="#505050")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of schools inspected since support started")
    ax.set_title("Grade at the next inspection against the grade before")
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    described = "; ".join(
        f"{n}: " + ("not shown" if hide else ", ".join(f"{name.lower()} {tables.FORMATS['pct0'](row[c])}"
                                                         for c, name, _ in parts))
        for n, hide, (_, row) in zip(names, hidden, table.iterrows(), strict=True))
    return {"fig": fig, "caption": "Next-inspection outcome of supported schools and of similar unsupported schools",
            "alt": f"Horizontal 100% bar chart of next-inspection outcomes. {described}."}


def trajectory_figure(result: Analysis) -> dict[str, Any]:
    """``Section.figure`` arguments: results of supported and matched comparison schools around the start of support.

    One panel per measure; a panel whose measure has fewer matched supported
    schools than ``min_group`` says so instead of drawing lines.
    """
    plt = charts.pyplot()

    data = result.data
    measures = [f"{ks}_{m}" for ks, m in attainment_measures()]
    fig, axes = plt.subplots(1, len(measures), figsize=(7.5, 3.2), squeeze=False)
    described = []
    for ax, measure in zip(axes[0], measures, strict=True):
        frame = analysis.trajectories(result, measure)
        supported = frame[frame["group"] == "supported"]
        ax.set_title(measure_short(measure), fontsize=9, loc="left")
        if supported.empty or supported["n_schools"].max() < data.settings.min_group:
            ax.text(0.5, 0.5, "too few schools\nto draw", ha="center", va="center", transform=ax.transAxes,
                    color="#505050")
            ax.set_xticks([])
            ax.set_yticks([])
            described.append(f"{measure_label(measure)}: too few schools")
            continue
        frame = frame[frame["n_schools"] >= max(data.settings.min_group, data.threshold if data.committee else 0)]
        for group, colour, marker in (("supported", charts.PALETTE["dark_blue"], "o"),
                                      ("comparison", charts.PALETTE["orange"], "s")):
            part = frame[frame["group"] == group].sort_values("offset")
            ax.plot(part["offset"], part["mean"], marker=marker, color=colour, label=config()["labels"][group],
                    linewidth=2, markersize=4)
        ax.axvline(0.5, color="#505050", linewidth=1, linestyle="--")
        ax.axhline(0, color="#505050", linewidth=0.8)
        ax.set_xlabel("Years from last results before support", fontsize=8)
        ax.set_ylabel(f"Change ({measure_unit(measure)})", fontsize=8)
        described.append(f"{measure_label(measure)}: supported and comparison means by year from the baseline")
    handles, names = next(((a.get_legend_handles_labels()) for a in axes[0] if a.get_legend_handles_labels()[0]),
                          ([], []))
    if handles:
        fig.legend(handles, names, loc="lower center", ncol=2, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return {"fig": fig, "caption": "Change in results since the last results before support, supported schools and "
                                   "similar unsupported schools over the same years (dashed line: support starts)",
            "alt": "Line charts of the mean change in results since each school's last results before support, by "
                   "year. "
                   + "; ".join(described) + "."}
