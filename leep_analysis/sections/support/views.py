"""What the support notebook shows: its tables and figures (``content`` blocks), from an ``Analysis``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ... import charts, content, disclosure, relations, statcharts
from ...content import Figure, Table
from ...schools import grade_label, label
from ...sources.support_register import config, vocabulary
from ...tables import FORMATS, SUPPRESSED
from ...wording import long_date
from . import analysis, withheld
from .analysis import ALL, Analysis
from .matching import attainment_measures
from .words import as_of, measure_label, measure_short, measure_unit, shown_count, since


def _codes(kind: str) -> dict[str, str]:
    """A configured vocabulary's codes and labels (``tiers``, ``phases``, ``outcomes``, ...)."""
    return {code: label(kind, code) for code in config()[kind]}


#: The vocabulary of each kind of group (``support__summary.csv``'s ``group_by``).
_GROUP_KINDS = {"reach": "reach_groups", "tier": "tiers", "support_type": "support_types", "phase": "phases",
                "governance": "governance", "funding_source": "funding_sources"}
_NOT_KNOWN = {"not recorded": "Not recorded", "unknown": "Not known"}


def columns() -> dict[str, content.Column]:
    """How the section's table columns read: codes with their labels, counts whole, percentages to none."""
    labels = config()["labels"]
    groups = {by: {**_NOT_KNOWN, **_codes(kind)} for by, kind in _GROUP_KINDS.items()}
    grades = {g: grade_label(g) for g in (1, 2, 3, 4)}
    return {
        "group_by": content.code(labels["group_by"], config()["group_by"]),
        "group": content.code(labels["group"], groups, codes_by="group_by"),
        "n_schools": content.count(labels["n_schools"]), "n_episodes": content.count(labels["n_episodes"]),
        "pct_of_schools": content.percent(labels["pct_of_schools"]),
        "n_supported": content.count(labels["n_supported"]), "n_comparison": content.count(labels["n_comparison"]),
        "effect": content.number(labels["effect"], 2, signed=True),
        "ci_low": content.number(labels["ci_low"], 2, signed=True),
        "ci_high": content.number(labels["ci_high"], 2, signed=True),
        "verdict": content.text(labels["verdict"]),
        "school_name": content.text(labels["school_name"]), "urn": content.text(labels["urn"]),
        "phase": content.code(labels["phase"], _codes("phases")),
        "governance": content.code(labels["governance"], _codes("governance")),
        "tier": content.code(labels["tier"], _codes("tiers")),
        "support_types": content.text(labels["support_types"]), "providers": content.text(labels["providers"]),
        "first_start": content.date(labels["first_start"]),
        "last_end": content.date(labels["last_end"], missing="ongoing"),
        "grade_before": content.code(labels["grade_before"], grades),
        "grade_after": content.code(labels["grade_after"], grades),
        "inspected_after": content.date(labels["inspected_after"]),
        "outcome": content.code(labels["outcome"], _codes("outcomes")),
        "basis_after": content.code("Grade from", {"overall": "Overall effectiveness",
                                                    "key_judgement_rule": "Key-judgement rule",
                                                    "report_card": "Report card", "none": "No grade"}),
        "followed": content.code(labels["followed"], _codes("following")),
        "status": content.code("", _codes("following")),
    }


_REACH_NOTE = ("A school can have support of more than one tier, type or provider. Phase and governance "
               "percentages are of the LA's schools of that phase or governance.")


#: Each episode has one tier, type, phase, governance, funding source and provider, so each breakdown's episodes
#: add up to the reach row's; each school has one phase and one governance, so those add up its schools too
_EPISODES_BY = ("tier", "support_type", "phase", "governance", "funding_source", "provider")
_SCHOOLS_BY = ("phase", "governance")


def reach_relations(total: str) -> tuple[relations.Relation, ...]:
    """The sums a reader can do in a reach table whose total row is ``reach, <total>``."""
    return (*(relations.down("group_by", total, ["n_episodes"], [by], total_key="group") for by in _EPISODES_BY),
            *(relations.down("group_by", total, ["n_schools"], [by], total_key="group") for by in _SCHOOLS_BY))


def _reach_withheld(result: Analysis) -> tuple[disclosure.Withheld, disclosure.Withheld]:
    """The period's and the year's reach tables, withheld together: the year's gains its total row
    (``reach, year``), which both show, so that the two never differ in what they hide and no breakdown is worked
    out from its total."""
    span = "_span"
    period = result.summary.assign(**{span: [g if b == "reach" else "period" for b, g in
                                             zip(result.summary["group_by"], result.summary["group"], strict=True)]})
    year_row = period[(period["group_by"] == "reach") & (period["group"] == "year")]
    year = result.summary_year.assign(**{span: "year"})
    both = pd.concat([period, year], ignore_index=True)
    declared = (*(relations.down("group_by", "reach", ["n_episodes"], [by], by=[span]) for by in _EPISODES_BY),
                *(relations.down("group_by", "reach", ["n_schools"], [by], by=[span]) for by in _SCHOOLS_BY))
    found = disclosure.withhold(both, ["n_schools", "n_episodes"], threshold=result.data.threshold,
                                dependents={"n_schools": ["pct_of_schools"]}, committee=result.data.committee,
                                relations=declared)
    frame = found.frame.drop(columns=span)
    n = len(period)
    first = [int(i) for i in year_row.index]
    rows = {old: new for new, old in enumerate([*first, *range(n, len(both))])}
    period_out = disclosure.Withheld(frame.iloc[:n].reset_index(drop=True),
                                     frozenset((r, c) for r, c in found.cells if r < n))
    year_out = disclosure.Withheld(frame.iloc[[*first, *range(n, len(both))]].reset_index(drop=True),
                                   frozenset((rows[r], c) for r, c in found.cells if r in rows))
    return period_out, year_out


def _reach_view(result: Analysis, table: disclosure.Withheld, name: str, caption: str, total: str,
                notes: str | None = None) -> Table:
    if result.data.committee:
        notes = " ".join(filter(None, [notes, f"c: fewer than {result.data.threshold}, or withheld so that one "
                                              "cannot be worked out from the others, with its percentage.",
                                       f"Phase 'Other': the phases with fewer than {result.data.threshold} of the "
                                       "LA's schools each, together." if (table.frame["group_by"].eq("phase")
                                                                          & table.frame["group"].eq("other")).any()
                                       else ""]))
    return Table(name=name, frame=table.frame, suppressed=table.cells, columns=columns(), caption=caption,
                 notes=notes, relations=reach_relations(total))


def summary(result: Analysis) -> Table:
    """The reach table (``support__summary.csv``)."""
    return _reach_view(result, _reach_withheld(result)[0], "summary",
                       f"Schools receiving support, {since(result.data)} to {as_of(result.data)}", "period",
                       "Tier, type, phase, governance, funding and provider describe support this period. " + _REACH_NOTE)


def year(result: Analysis) -> Table:
    """The reach breakdowns of the academic year to date (``support__summary_year.csv``), after their total."""
    first = result.data.year_start
    return _reach_view(result, _reach_withheld(result)[1], "summary_year",
                       f"Schools receiving support this academic year, {long_date(first)} "
                       f"to {as_of(result.data)}", "year", _REACH_NOTE)


def impact(result: Analysis) -> Table:
    """The impact table (``support__impact.csv``)."""
    data = result.data
    table = withheld.impact(result)
    measures = {m: f"{measure_label(m)} ({measure_unit(m)})" for m in result.impact["measure"]}
    return Table(name="impact", frame=table.frame, suppressed=table.cells, relations=withheld.IMPACT_RELATIONS,
                 columns={**columns(), "measure": content.code(config()["labels"]["measure"], measures),
                          "group": content.code(config()["labels"]["group"],
                                                {ALL: "All supported schools", **_codes("tiers")})},
                 caption=f"Impact of support: supported schools against similar unsupported schools, to {as_of(data)}",
                 notes="Difference = supported minus comparison (for results, the difference between their changes). "
                       "Inspection measures in percentage points. The verdict comes from the 95% interval: only an "
                       "interval wholly above (or below) zero is called a difference.")


def impact_figure(result: Analysis) -> Figure:
    """The impact estimates with their 95% intervals, a panel per measure (a point-range chart).

    Drawn from the impact table as the page shows it (``impact``): in a committee pack an estimate
    withheld with its small count is not in the figure's data either, and its row says why, as the
    table's verdict does.
    """
    table = impact(result)
    frame = table.frame
    groups = table.columns["group"]
    drawn = pd.DataFrame({
        "panel": [f"{measure_label(m)} ({measure_unit(m)})" for m in frame["measure"]],
        "unit": [measure_unit(m) for m in frame["measure"]],
        "row": [groups.label_of(g) for g in frame["group"]],
        "effect": frame["effect"].astype(float), "ci_low": frame["ci_low"].astype(float),
        "ci_high": frame["ci_high"].astype(float),
        # a verdict withheld with its counts is marked as the table marks it
        "note": frame["verdict"].astype(object).where(frame["verdict"].notna(), f"withheld ({SUPPRESSED})").astype(str)})
    described = []
    for panel, part in drawn.groupby("panel", sort=False):
        given = part.dropna(subset=["effect"])
        if given.empty:
            described.append(f"{panel}: not drawn, too few schools to judge (or withheld, c)")
            continue
        said = [f"{r.row} {r.effect:+.2f} (95% interval {r.ci_low:+.2f} to {r.ci_high:+.2f}, {r.note})"
                for r in given.itertuples()]
        left = len(part) - len(given)
        if left:
            said.append(f"{left} not shown (too few schools, or withheld)")
        described.append(f"{panel}: " + "; ".join(said))
    # a measure with no estimate at all is said in words, not drawn as a panel of notes
    drawn = drawn[drawn.groupby("panel", sort=False)["effect"].transform("count").gt(0)].reset_index(drop=True)
    return charts.figure(
        "point range", drawn, statcharts.point_ranges,
        caption="Impact of support: each difference between supported and similar schools (dot) with its 95% interval "
                "(line); an interval crossing the dashed zero line is no clear difference",
        alt="Point-range charts of the difference between supported and similar unsupported schools, by measure and "
            "tier. " + ". ".join(described) + ".")


def inspection(result: Analysis) -> Table:
    """The next-inspection outcomes (``support__inspection.csv``)."""
    table = withheld.inspection(result)

    def fact(column: content.Column, key: str) -> content.Column:
        return content.of_measure(column, measure_from=key, period_from="as_at")

    return Table(name="inspection", frame=table.frame, suppressed=table.cells,
                 columns={"group": content.code("", {g: config()["labels"][g] for g in ("supported", "comparison")}),
                          "as_at": content.hidden(content.date("As at")),
                          **{k: content.hidden(content.text("Measure")) for k in
                             ("key_improved", "key_declined", "key_good", "key_n")},
                          "n_schools": fact(content.count("Schools inspected"), "key_n"),
                          "pct_improved": fact(content.percent("Improved"), "key_improved"),
                          "pct_same": content.percent("Same grade"),
                          "pct_declined": fact(content.percent("Declined"), "key_declined"),
                          "pct_good": fact(content.percent("Good or better (started below good)"), "key_good"),
                          "months_to_good": content.number("Median months to good", 1)},
                 caption="Grade at the next inspection after support started, supported and similar unsupported schools",
                 notes="Supported schools inspected since their support began that have similar schools to compare. "
                       "Similar schools: the LA's schools without support, of the same phase, that had the same grade on "
                       "the day each supported school's support started and were inspected after it, each supported "
                       "school's counting equally. A grade is the inspection's grade to compare, as on every page: "
                       "overall effectiveness, or the key-judgement rule for 2024/25 inspections; a report card has "
                       "none.")


def following(result: Analysis) -> Table:
    """How supported schools were followed across URN changes (``support__following.csv``)."""
    data = result.data
    table = withheld.following(result)
    spec = columns()
    spec["status"] = content.code("", {**_codes("following"), "all": "Schools supported at any time (the register "
                                                                      "to date)"})
    # the total row is the fact of every school supported to date, and the row not followed is one too: one
    # value wherever the pack gives them
    spec.update(n_schools=content.of_measure(spec["n_schools"], measure_from="measure", period_from="as_at"),
                measure=content.hidden(content.text("Measure")), as_at=content.hidden(content.date("As at")))
    return Table(name="following", frame=table.frame, suppressed=table.cells, columns=spec,
                 relations=withheld.FOLLOWING_RELATIONS,
                 caption=f"Supported schools found in the data as at {as_of(data)}",
                 notes="A school that becomes an academy gets a new URN; predecessor and successor links from Get "
                       "Information about Schools connect the two." + (
                           "" if data.present is not None else " Not known here: neither an establishments list nor "
                           "Ofsted management information says which schools are open."))


def facts_table(result: Analysis) -> Table:
    """The section's facts (``config/measures.yaml``), joined into the pack's ``tables/facts.csv``."""
    from ... import facts

    return facts.table(result.facts, "support")


def _first_of(providers: object) -> str | None:
    """``A; B; C`` -> ``A and 2 more``."""
    if providers is None or pd.isna(providers) or not str(providers):
        return None
    names = str(providers).split("; ")
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def schools(result: Analysis) -> Table | None:
    """The list of supported schools (``support__schools.csv``); None in a committee pack.

    The page shows the first provider of each school ("and 2 more"), and
    leaves governance, the types of support and how the school was followed
    to the CSV, which has every column of ``school_list``. A committee pack shows no school the LA supports,
    named or not (its phase, governance and dates would name it): the reach tables give them by tier, type,
    phase and governance.
    """
    data = result.data
    if data.committee:
        return None
    table = analysis.school_list(result)
    shown = table.assign(providers=[_first_of(p) for p in table["providers"]]) \
        .drop(columns=["governance", "support_types", "followed", "basis_after"])
    note = ("Grade before and at the next inspection: each inspection's grade to compare, as the inspections "
            "page gives it (overall effectiveness, or for an inspection from 2 September 2024 to 9 November 2025 "
            "the key-judgement rule; the spreadsheet of tables says which); a report card has none.")
    return Table(name="schools", frame=shown, data=table, columns=columns(), notes=note,
                 caption=f"Schools supported, their support and their next inspection, to {as_of(data)}")


# ------------------------------------------------------------------------ charts
def reach_figure(result: Analysis) -> Figure:
    """Schools supported this period by their most intensive tier.

    In committee packs a small count is drawn as no bar and labelled ``c``.
    """
    data = result.data
    period = data.register[data.register["end_date"].isna() | data.register["end_date"].gt(pd.Timestamp(data.since))]
    order = vocabulary("tiers")
    ranked = period.assign(_rank=period["tier"].map({t: i for i, t in enumerate(order)}))
    top = ranked.sort_values("_rank", kind="stable").drop_duplicates("lineage", keep="last")
    counts = top["tier"].value_counts().reindex(order, fill_value=0)
    shown = [shown_count(data, int(n)) for n in counts]
    drawn = pd.DataFrame({"tier": order, "n_schools": [np.nan if text == SUPPRESSED else int(n)
                                                         for text, n in zip(shown, counts, strict=True)]})
    names = [label("tiers", t) for t in order]

    def draw(frame: pd.DataFrame) -> Any:
        fig, ax = charts.pyplot().subplots(figsize=(charts.WIDTH, 2.4))
        values = frame["n_schools"].fillna(0).to_numpy(dtype=float)
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
        return fig

    described = ", ".join(f"{n} {t}" for n, t in zip(names, shown, strict=True))
    return charts.figure("bar", drawn, draw,
                         caption="Schools supported this period by the most intensive tier of their support",
                         alt=f"Horizontal bar chart of schools supported this period by tier: {described}.")


def outcomes_figure(result: Analysis) -> Figure:
    """Next-inspection outcomes, supported against similar schools (100% bars).

    A group with no schools inspected (or, in committee packs, fewer than the
    suppression threshold) gets no bar and a note saying why.
    """
    shown = withheld.inspection(result)
    table = analysis.inspection_summary(result)
    names = [config()["labels"][g] for g in table["group"]]
    parts = [("pct_improved", "Improved", charts.PALETTE["dark_blue"]),
             ("pct_same", "Same grade", charts.GREY), ("pct_declined", "Declined", charts.PALETTE["orange"])]
    # a row the table withholds (its schools, or its shares of few schools) gets no bar
    hidden = [n == 0 or any((i, c) in shown.cells for c in ("n_schools", *withheld.OUTCOME_SHARES))
              for i, n in enumerate(table["n_schools"])]
    drawn = table[["group", "n_schools", *[c for c, _, _ in parts]]].copy()
    for column, _, _ in parts:
        drawn[column] = np.where(hidden, np.nan, drawn[column].to_numpy(dtype=float))
    drawn["n_schools"] = shown.frame["n_schools"].to_numpy()

    def draw(frame: pd.DataFrame) -> Any:
        fig, ax = charts.pyplot().subplots(figsize=(charts.WIDTH, 2.6))
        left = np.zeros(len(frame))
        ax.set_axisbelow(True)
        for column, name, colour in parts:
            values = frame[column].fillna(0).to_numpy(dtype=float)
            ax.barh(names, values, left=left, color=colour, label=name)
            left += values
        for y, (hide, n) in enumerate(zip(hidden, table["n_schools"], strict=True)):
            if hide:
                why = "no schools inspected" if n == 0 else "too few schools to show (c)" \
                    if (y, "n_schools") in shown.cells else "shares of too few schools to show (c)"
                ax.text(1, y, why, va="center", fontsize=9, color="#505050")
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of schools inspected since support started")
        ax.set_title("Grade at the next inspection against the grade before")
        ax.grid(axis="x", color="#DDDDDD")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        return fig

    described = "; ".join(
        f"{n}: " + ("not shown" if hide else ", ".join(f"{name.lower()} {FORMATS['pct0'](row[c])}"
                                                         for c, name, _ in parts))
        for n, hide, (_, row) in zip(names, hidden, table.iterrows(), strict=True))
    return charts.figure("stacked bar", drawn, draw,
                         caption="Next-inspection outcome of supported schools and of similar unsupported schools",
                         alt=f"Horizontal 100% bar chart of next-inspection outcomes. {described}.")


def trajectory_figure(result: Analysis) -> Figure:
    """Results of supported and matched comparison schools around the start of support.

    One panel per measure; a panel whose measure has fewer matched supported
    schools than ``min_group`` says so instead of drawing lines.
    """
    data = result.data
    measures = [f"{ks}_{m}" for ks, m in attainment_measures()]
    frames, described, drawable = [], [], {}
    for measure in measures:
        frame = analysis.trajectories(result, measure)
        supported = frame[frame["group"] == "supported"]
        drawable[measure] = not (supported.empty or supported["n_schools"].max() < data.settings.min_group)
        if not drawable[measure]:
            described.append(f"{measure_label(measure)}: too few schools")
            continue
        frame = frame[frame["n_schools"] >= max(data.settings.min_group, data.threshold if data.committee else 0)]
        frames.append(frame.assign(measure=measure))
        described.append(f"{measure_label(measure)}: supported and comparison means by year from the baseline")
    columns = ["measure", "group", "offset", "mean", "n_schools"]
    drawn = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)

    def draw(frame: pd.DataFrame) -> Any:
        fig, axes = charts.pyplot().subplots(1, len(measures), figsize=(charts.WIDTH, 3.2), squeeze=False)
        for ax, measure in zip(axes[0], measures, strict=True):
            ax.set_title(measure_short(measure), fontsize=9, loc="left")
            if not drawable[measure]:
                ax.text(0.5, 0.5, "too few schools\nto draw", ha="center", va="center", transform=ax.transAxes,
                        color="#505050")
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            part = frame[frame["measure"] == measure]
            for group, colour, marker in (("supported", charts.PALETTE["dark_blue"], "o"),
                                          ("comparison", charts.PALETTE["orange"], "s")):
                line = part[part["group"] == group].sort_values("offset")
                ax.plot(line["offset"], line["mean"], marker=marker, color=colour, label=config()["labels"][group],
                        linewidth=2, markersize=4)
            ax.axvline(0.5, color="#505050", linewidth=1, linestyle="--")
            ax.axhline(0, color="#505050", linewidth=0.8)
            ax.set_xlabel("Years from last results before support", fontsize=charts.SMALL)
            ax.set_ylabel(f"Change ({measure_unit(measure)})", fontsize=charts.SMALL)
        handles, names = next(((a.get_legend_handles_labels()) for a in axes[0] if a.get_legend_handles_labels()[0]),
                              ([], []))
        if handles:
            fig.legend(handles, names, loc="lower center", ncol=2, bbox_to_anchor=(0.5, -0.02))
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        return fig

    return charts.figure(
        "line", drawn, draw,
        caption="Change in results since the last results before support, supported schools and similar unsupported "
                "schools over the same years (dashed line: support starts)",
        alt="Line charts of the mean change in results since each school's last results before support, by year. "
            + "; ".join(described) + ".")
