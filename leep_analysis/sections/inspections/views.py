"""What the inspections page shows, from an ``Inspections`` result: its tables and figures, as plain data.

Each view returns the page's blocks (``content``) for ``Section.render``: the
sentences from ``words`` between the tables (each written to the pack as
``tables/inspections__<name>.csv``) and the figures. In committee mode small
counts are withheld.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import charts, content, disclosure, facts, relations
from ...content import Block, Heading, Paragraph, Points, Table, hidden, of_measure
from ...schools import grade_label
from ...sources.ofsted_mi import KEY_JUDGEMENTS_FROM, REPORT_CARDS_FROM
from . import words
from .analysis import (
    GROUP_COLUMNS,
    OFSTED_GROUPS,
    SUMMARY_COLUMNS,
    Inspections,
    last_report_file,
    summary_row,
)
from .outcomes import (
    AREA_TYPES,
    NEIGHBOURS_LABEL,
    Areas,
    area_names,
    config,
    group_label,
    label_code,
)
from .rise import applies as rise_applies
from .words import percent, when

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

_SUMMARY_COUNTS = [c for c in SUMMARY_COLUMNS if c.startswith("n_")]
_SUMMARY_SHARES = ["pct_good_or_better", "pct_pupils_good_or_better", "pupils_graded", "pupils_good_or_better"]
_SUMMARY_DEPENDENTS = {"n_graded": _SUMMARY_SHARES, "n_schools": _SUMMARY_SHARES,
                       "n_good_or_better": ["pct_good_or_better"]}
_AREA = ("as_at", "area_type", "area")
_PHASES = ("primary", "secondary", "special", "pru", "nursery", "all-through")
#: The summary's sums, a reader's as much as ours: graded = its four grades, schools = graded + no overall grade +
#: not inspected - counted on a predecessor, good or better = good + outstanding,
#: in a category = its four categories, all schools = the phases and = academies + maintained; a share of graded
SUMMARY_RELATIONS = (
    relations.across("n_graded", ["n_outstanding", "n_good", "n_requires_improvement", "n_inadequate"]),
    # every school is graded, has no overall grade under its framework, or is not inspected (those counted on a
    # predecessor's inspection are graded and not inspected both)
    relations.across("n_schools", ["n_graded", "n_no_overall_grade", "n_not_inspected"], ["n_predecessor_grade"]),
    relations.across("n_good_or_better", ["n_good", "n_outstanding"]),
    relations.across("n_category_of_concern", ["n_special_measures", "n_serious_weaknesses", "n_notice_to_improve",
                                               "n_requires_significant_improvement"]),
    relations.down("group", "all", _SUMMARY_COUNTS, _PHASES, by=_AREA),
    relations.down("group", "all", _SUMMARY_COUNTS, ("academy", "maintained"), by=_AREA),
    relations.share("pct_good_or_better", "n_good_or_better", base="n_graded"),
)
#: A share of every school in its area and snapshot (the frameworks' and report cards' ``pct``)
FRAMEWORK_RELATIONS = (relations.share("pct", "n_schools", by=_AREA),)
CARD_RELATIONS = (relations.share("pct", "n_schools", by=(*_AREA, "evaluation_area")),)
TRANSITION_RELATIONS = (relations.across("total", ["to_outstanding", "to_good", "to_requires_improvement",
                                                   "to_inadequate"]),)


def _withheld(result: Inspections, frame: pd.DataFrame, counts: list[str],
              dependents: Mapping[str, list[str]] | None = None,
              relations_: tuple[relations.Relation, ...] = ()) -> disclosure.Withheld:
    """The LA's own rows withheld as a committee pack withholds (``disclosure.withhold``); its benchmarks' rows
    (England, the region, the neighbours: Ofsted's public figures for many LAs' schools, none the LA's) never.
    Every relation holds within one area and snapshot, so the LA's rows are protected on their own. While Ofsted's
    file is a public source (``config/disclosure.yaml``), ``result.threshold`` is 1 and nothing is withheld: each
    school's judgement is Ofsted's to publish, and a count of them hides nothing (docs/disclosure.md, rule 3)."""
    frame = frame.reset_index(drop=True)
    own = frame["area_type"].eq("la").to_numpy(dtype=bool) if "area_type" in frame else np.ones(len(frame), dtype=bool)
    part = frame[own].reset_index(drop=True)
    totals = [i for i, g in enumerate(part.get("group", pd.Series(dtype=object))) if g == "all"]
    return disclosure.withhold_rows(frame, own, counts, threshold=result.threshold, dependents=dependents,
                                    committee=result.committee, relations=relations_,
                                    avoid=("n_good_or_better", "n_graded", "n_schools"), avoid_rows=totals)


def _carried(frame: pd.DataFrame, data: disclosure.Withheld, keys: list[str],
             renamed: Mapping[str, str] | None = None) -> disclosure.Withheld:
    """A page's rows withheld as the CSV (``data``) withholds them: rows matched on ``keys``, columns by name (or
    ``renamed``: page column -> CSV column), so that the page and the CSV never differ in what they hide."""
    renamed = dict(renamed or {})
    out = frame.reset_index(drop=True).copy()
    where = {tuple(map(str, r)): i for i, r in enumerate(data.frame[keys].itertuples(index=False, name=None))}
    cells = set()
    for position, row in enumerate(out[keys].itertuples(index=False, name=None)):
        found = where.get(tuple(map(str, row)))
        for column in out.columns:
            if found is not None and (found, renamed.get(column, column)) in data.cells:
                cells.add((position, column))
    for position, column in cells:
        out[column] = out[column].astype(float) if out[column].dtype.kind in "iubf" else out[column].astype(object)
        out.iat[position, out.columns.get_loc(column)] = np.nan
    return disclosure.Withheld(out, frozenset(cells))


def _said(lines: list[str]) -> list[Block]:
    """One paragraph block per sentence (none for an empty one)."""
    return [Paragraph(line) for line in lines if line]


def columns(result: Inspections) -> dict[str, content.Column]:
    """How the section's table columns read: codes with their labels, counts whole, percentages to one place."""
    grades = {g: grade_label(g) for g in (1, 2, 3, 4)}
    return {
        "as_at": content.date("As at"),
        "area_type": content.code("Area type", config()["area_types"]),
        "area": content.text("Area"),
        "group": content.code("Schools", config()["groups"]),
        "framework": content.code("Framework", words.framework_labels(result)),
        "outcome": content.code("Grade", config()["framework_outcomes"]),
        "pct": content.percent("% of schools", 1),
        "pct_good_or_better": content.percent("% good or better", 1),
        "pct_pupils_good_or_better": content.percent("% of pupils", 1),
        "previous_grade": hidden(content.code("Previous grade (code)", grades)),
        "urn": content.text("URN"),
        "school_name": content.text("School"),
        "phase": content.code("Phase", config()["school_labels"]),
        "governance": content.code("Governance", config()["school_labels"]),
        "inspection_date": content.date("Inspected"),
        "grade_before": content.code("Grade before", grades),
        "grade_now": content.code("Grade now", {**grades, "report_card": "Report card"}),
        "change": content.code("Change", config()["changes"]),
        "basis": content.code("Grade from", config()["bases"]),
        "category": content.code("Category", config()["categories"]),
        "evaluation_area": content.code("Evaluation area", {**config()["report_card_areas"],
                                                            "safeguarding": "Safeguarding"}),
    }


_SUMMARY_CSV: dict[int, tuple[Inspections, disclosure.Withheld]] = {}


def summary_csv(result: Inspections) -> disclosure.Withheld:
    """``inspections__summary.csv``: the summary, small counts withheld in committee mode, with the complements
    its sums call for (worked out once a result: the page, its sentences and its tiles all read it)."""
    if id(result) not in _SUMMARY_CSV or _SUMMARY_CSV[id(result)][0] is not result:
        _SUMMARY_CSV.clear()
        _SUMMARY_CSV[id(result)] = (result, _withheld(result, result.summary, _SUMMARY_COUNTS, _SUMMARY_DEPENDENTS,
                                                      SUMMARY_RELATIONS))
    return _SUMMARY_CSV[id(result)][1]


# --------------------------------------------------------------------------- the LA against its benchmarks
def _measured(result: Inspections) -> dict[str, content.Column]:
    """The summary's figures as facts of their measures (the "all schools" rows, each area, each snapshot)."""
    spec = {"n_schools": ("inspections_schools", content.count("Schools")),
            "pct_good_or_better": ("inspections_good_or_better", content.percent("% good or better", 1)),
            "pct_pupils_good_or_better": ("inspections_pupils_good_or_better", content.percent("% of pupils", 1)),
            "n_requires_improvement": ("inspections_requires_improvement", content.count("Requires improvement")),
            "n_inadequate": ("inspections_inadequate", content.count("Inadequate")),
            "n_category_of_concern": ("inspections_category_of_concern", content.count("In a category")),
            "n_special_measures": ("inspections_special_measures", content.count("Special measures")),
            "n_serious_weaknesses": ("inspections_serious_weaknesses", content.count("Serious weaknesses")),
            "n_requires_significant_improvement": ("inspections_requires_significant_improvement",
                                                   content.count("Requires significant improvement")),
            "n_notice_to_improve": ("inspections_notice_to_improve", content.count("Notice to improve"))}
    return {column: of_measure(col, measure, area_from="area_type", period_from="as_at", when=("group", "all"))
            for column, (measure, col) in spec.items()}


def comparison(result: Inspections) -> list[Block]:
    """The LA against its region, statistical neighbours and England, latest snapshot, all schools.

    The headline sentences and the comparison table, whose CSV
    (``inspections__summary.csv``) has every snapshot, area and group.
    """
    lines = [words.headline_sentence(result), words.pupils_sentence(result), words.concern_sentence(result),
             words.counting_sentence(result)]
    rows = result.summary[(result.summary["as_at"] == result.as_at) & (result.summary["group"] == "all")]
    change = result.changes[result.changes["group"] == "all"].set_index("area_type")["change"]
    shown = rows[["as_at", "area_type", "group", "area", "n_schools", "n_graded", "pct_good_or_better",
                  "pct_pupils_good_or_better", "n_requires_improvement", "n_inadequate",
                  "n_category_of_concern"]].copy()
    shown["change"] = rows["area_type"].map(change).to_numpy()
    data = summary_csv(result)
    shown = _carried(shown, data, ["as_at", "area_type", "group"], {"change": "pct_good_or_better"})
    previous = result.changes["previous_as_at"].iloc[0]
    population = "last graded before September 2024" if result.as_at >= KEY_JUDGEMENTS_FROM else "graded"
    table = Table(
        name="summary", frame=shown.frame, suppressed=shown.cells, data=data.frame, data_suppressed=data.cells,
        caption=f"Ofsted grades of {result.areas.la_name}'s schools and its benchmarks, as at {when(result.as_at)}",
        columns={**columns(result), **_measured(result), "as_at": hidden(content.date("As at")),
                 "area_type": hidden(columns(result)["area_type"]), "group": hidden(columns(result)["group"]),
                 "n_graded": content.count("Graded" if population == "graded" else "Graded before Sept 2024"),
                 "change": content.number("Change", 0, signed=True)}, relations=SUMMARY_RELATIONS,
        notes=(f"% good or better and % of pupils: of the schools {population} (overall effectiveness) and their "
               "pupils. In a category: of concern (requires improvement is not one). Statistical neighbours: all "
               "their schools together. Change: in % good or better, percentage points since "
               + (f"the snapshot as at {when(previous)}." if not pd.isna(previous) else "the last report's date "
                  "(no snapshot that old in the pack).")
               + " The spreadsheet of tables has every snapshot, area, phase and governance group."))
    blocks: list[Block] = [*_said(lines), table]
    if result.as_at >= KEY_JUDGEMENTS_FROM:
        blocks += [*groups(result), *_said([words.with_rule_sentence(result)])]
    blocks += frameworks(result)
    return blocks


def groups(result: Inspections) -> list[Block]:
    """The four groups of Ofsted's current presentation (``inspections__ofsted_groups.csv``): the LA's schools and
    pupils in each, against its statistical neighbours and England, never pooled."""
    data = result.groups.copy()
    data["measure"] = data["group"].map(words.GROUP_FACTS)
    data["measure_pupils"] = data["measure"] + "_pupils"
    la = data[data["area_type"] == "la"].set_index("group").reindex(OFSTED_GROUPS)
    wide = pd.DataFrame({"group": OFSTED_GROUPS, "as_at": la["as_at"].to_numpy(), "area_type": "la",
                         "measure": la["measure"].to_numpy(), "measure_pupils": la["measure_pupils"].to_numpy(),
                         "n_schools": la["n_schools"].to_numpy(), "pct_schools": la["pct_schools"].to_numpy(),
                         "pupils": la["pupils"].to_numpy(), "pct_pupils": la["pct_pupils"].to_numpy()})
    for area in ("statistical_neighbours", "england"):
        other = data[data["area_type"] == area].set_index("group").reindex(OFSTED_GROUPS)
        wide[f"pct_{area}"] = other["pct_schools"].to_numpy()
    wide["pct_good_or_better"] = la["pct_good_or_better"].to_numpy()
    shown = _withheld(result, wide, ["n_schools"], {"n_schools": ["pct_schools", "pupils", "pct_pupils",
                                                                   "pct_good_or_better"]})
    written = _withheld(result, data[[*GROUP_COLUMNS, "measure", "measure_pupils"]], ["n_schools"],
                        {"n_schools": ["pct_schools", "pupils", "pct_pupils", "pct_good_or_better",
                                       "n_good_or_better"]})
    labels = {"report_card": "Report card (from 10 November 2025)",
              "key_judgements": "Key judgements, no overall grade (2 September 2024 to 9 November 2025)",
              "overall": "Last graded before September 2024 (overall effectiveness)",
              "not_inspected": "Not yet inspected"}
    spec = {"group": content.code("Group", labels), "as_at": hidden(content.date("As at")),
            "area_type": hidden(columns(result)["area_type"]), "measure": hidden(content.text("Measure")),
            "measure_pupils": hidden(content.text("Measure (pupils)")),
            "n_schools": of_measure(content.count("Schools"), measure_from="measure", area_from="area_type",
                                    period_from="as_at"),
            "pct_schools": content.percent("% of schools", 1),
            "pupils": of_measure(content.count("Pupils"), measure_from="measure_pupils", area_from="area_type",
                                 period_from="as_at"),
            "pct_pupils": content.percent("% of pupils", 1),
            "pct_statistical_neighbours": content.percent("Neighbours: % of schools", 1),
            "pct_england": content.percent("England: % of schools", 1),
            "pct_good_or_better": content.percent("Good or better (of the group)", 1),
            "n_good_or_better": content.count("Good or better"), "n_all": content.count("Schools in the area"),
            "pupils_all": content.count("Pupils in the area"), "n_predecessor": content.count(
                "Counted on the inspection of the school they replaced")}
    return [*_said(words.groups_sentences(result)), Table(
        name="ofsted_groups", frame=shown.frame, suppressed=shown.cells, data=written.frame,
        data_suppressed=written.cells, columns=spec,
        caption=f"{result.areas.la_name}'s schools and pupils in Ofsted's four groups, as at {when(result.as_at)}",
        notes="Each school once, by its latest inspection (a new academy's, as the counting rules say, by the school it "
              "replaced). Good or better is a grade of the last graded group only. Pupils: on roll, as Ofsted's "
              "file gives them.")]


def frameworks(result: Inspections) -> list[Block]:
    """The LA's schools by the framework of their counted inspection (``inspections__frameworks.csv``)."""
    data = _withheld(result, result.frameworks, ["n_schools"], {"n_schools": ["pct"]}, FRAMEWORK_RELATIONS)
    table = data.frame
    la = table[(table["as_at"] == result.as_at) & (table["area_type"] == "la")]
    england = result.frameworks[(result.frameworks["as_at"] == result.as_at)
                                & (result.frameworks["area_type"] == "england")]
    shown = pd.DataFrame({
        "framework": la["framework"].to_numpy(), "outcome": la["outcome"].to_numpy(),
        "n_schools": la["n_schools"].to_numpy(), "pct": la["pct"].to_numpy(),
        "england": england["pct"].to_numpy()})
    positions = {old: new for new, old in enumerate(la.index)}
    cells = {(positions[r], c) for r, c in data.cells if r in positions}
    # from September 2024 the four groups above show these schools on the page; the table stays in the pack
    on_page = result.as_at < KEY_JUDGEMENTS_FROM
    return [*(_said([words.frameworks_sentence(result)]) if on_page else []), Table(
        shown=on_page,
        name="frameworks", frame=shown, suppressed=cells, data=table, data_suppressed=data.cells,
        relations=FRAMEWORK_RELATIONS,
        caption=f"{result.areas.la_name}'s schools by the framework of their latest inspection, as at "
                f"{when(result.as_at)}",
        columns={**columns(result), "n_schools": content.count("Schools"),
                 "england": content.percent("England: % of schools", 1)},
        notes="Each school once, by the framework of the inspection it is counted on."
              + (" 'No overall grade under this framework': inspections from 2 September 2024 give none ('Not "
                 "judged' in Ofsted's file)." if result.as_at >= KEY_JUDGEMENTS_FROM else ""))]


# --------------------------------------------------------------------------- over time
def _trend_frame(result: Inspections, column: str) -> pd.DataFrame:
    """One row per snapshot (``year_label``), a column per area, in the shape ``charts.trend_chart`` draws."""
    table = result.summary[result.summary["group"] == "all"]
    wide = table.pivot(index="as_at", columns="area_type", values=column).sort_index()
    frame = pd.DataFrame({"year_label": [pd.Timestamp(d).strftime("%b %Y") for d in wide.index]})
    for area_type, series in (("la", "la_value"), ("england", "england"), ("region", "region"),
                              ("statistical_neighbours", "sn_mean")):
        frame[series] = wide[area_type].to_numpy(dtype=float) if area_type in wide else np.nan
    return frame


def _trend_figure(frame: pd.DataFrame, labels: dict[str, str], la_name: str, *, title: str, y_label: str,
                  caption: str, subject: str, span: str = "") -> Block:
    """A trend chart of one measure (``_trend_frame``), with alt text giving the LA's and England's first and last."""
    return charts.figure(
        "line", frame[["year_label", *labels]],
        lambda data: charts.trend_chart(data, title=title, y_label=y_label, labels=labels, unit="percent"),
        caption=caption,
        alt=f"Line chart of the % of {subject} at {len(frame)} snapshots{span}. {la_name} went from "
            f"{percent(frame['la_value'].iloc[0])} to {percent(frame['la_value'].iloc[-1])}; England from "
            f"{percent(frame['england'].iloc[0])} to {percent(frame['england'].iloc[-1])}.")


def trend(result: Inspections) -> list[Block]:
    """Line charts of % good or better (and % of pupils, where known) across the snapshots."""
    areas = result.areas
    labels = {"la_value": areas.la_name, "england": "England"}
    if areas.region:
        labels["region"] = areas.region
    labels["sn_mean"] = f"{NEIGHBOURS_LABEL} (pooled)"
    frame = _trend_frame(result, "pct_good_or_better")
    blocks = _said([words.trend_sentence(result)])
    blocks.append(_trend_figure(
        frame, labels, areas.la_name, title="Graded schools that are good or better", y_label="% of graded schools",
        caption=f"% of graded schools good or better at each Ofsted snapshot: {areas.la_name}, England, "
                f"{areas.region or 'the region'} and its statistical neighbours",
        subject="graded schools that are good or better",
        span=f" from {frame['year_label'].iloc[0]} to {frame['year_label'].iloc[-1]}"))
    pupils = _trend_frame(result, "pct_pupils_good_or_better").dropna(subset=["la_value"]).reset_index(drop=True)
    if len(pupils) >= 2:
        blocks.append(_trend_figure(
            pupils, labels, areas.la_name, title="Pupils in good or better schools", y_label="% of pupils",
            caption=f"% of pupils in good or better schools at each snapshot with pupil numbers: {areas.la_name} "
                    "and its benchmarks",
            subject="pupils in good or better schools"))
    elif len(pupils) < len(frame):
        blocks += _said(["Pupil numbers are not in every snapshot (Ofsted's files before May 2014 have none), so "
                         "there is no trend in the share of pupils to show."])
    return blocks


# --------------------------------------------------------------------------- by phase and governance
def breakdown(result: Inspections) -> list[Block]:
    """% good or better by phase and by governance, the LA against its benchmarks (points, table and chart)."""
    table = result.summary[(result.summary["as_at"] == result.as_at) & (result.summary["group"] != "all")]
    la = table[table["area_type"] == "la"].set_index("group")
    la = la[la["n_schools"] > 0]
    shown = pd.DataFrame({"group": list(la.index), "n_schools": la["n_schools"].to_numpy(),
                          "n_graded": la["n_graded"].to_numpy(),
                          "n_category_of_concern": la["n_category_of_concern"].to_numpy(),
                          "la": la["pct_good_or_better"].to_numpy()})
    names = area_names(result.areas)
    for area_type in ("region", "statistical_neighbours", "england"):
        if area_type in names:
            other = table[table["area_type"] == area_type].set_index("group")["pct_good_or_better"]
            shown[area_type] = other.reindex(la.index).to_numpy()
    summary = summary_csv(result)
    data = _carried(table, summary, ["as_at", "area_type", "group"])
    shown["as_at"], shown["area_type"] = result.as_at, "la"
    shown = _carried(shown, summary, ["as_at", "area_type", "group"], {"la": "pct_good_or_better"})
    shown = disclosure.Withheld(shown.frame.drop(columns=["as_at", "area_type"]),
                                frozenset(c for c in shown.cells if c[1] not in ("as_at", "area_type")))
    points = words.breakdown_points(result)
    labels = {**names, "statistical_neighbours": "Neighbours"}
    return [
        Points(tuple(points)),
        Table(
            name="groups", frame=shown.frame, suppressed=shown.cells, data=data.frame, data_suppressed=data.cells,
            caption=f"% of graded schools good or better by phase and governance, as at {when(result.as_at)}",
            columns={**columns(result), "n_schools": content.count("Number"), "n_graded": content.count("Graded"),
                     "n_category_of_concern": content.count("In a category"),
                     **{a: content.percent(labels[a]) for a in AREA_TYPES if a in labels}},
            notes=f"Number, graded and in a category: {result.areas.la_name}'s schools. The spreadsheet of tables "
                  "also has the pupil percentages and every count for every area."),
        charts.figure(
            "bar", _groups_data(data.frame, la.index.tolist()), lambda data: _groups_chart(data, result.areas),
            caption=f"% of graded schools good or better by phase and governance: {result.areas.la_name} "
                    "against England and its statistical neighbours",
            alt="Bar chart of the % of graded schools that are good or better in each phase and governance "
                "group. " + " ".join(points)),
    ]


def _finish_bars(fig: plt.Figure, ax: plt.Axes, y: np.ndarray, ticks: list[str], *, x_label: str,
                 title: str) -> plt.Figure:
    """The house finish of a horizontal bar chart: row labels, x grid only, legend to the right."""
    ax.set_yticks(y, ticks)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(x_label)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def _groups_data(table: pd.DataFrame, group_codes: list[str]) -> pd.DataFrame:
    """What the phase and governance chart draws: % good or better per group, for the LA, neighbours, England."""
    wide = table.pivot(index="group", columns="area_type", values="pct_good_or_better").reindex(group_codes)
    return pd.DataFrame({"group": group_codes,
                         **{a: wide[a].to_numpy(dtype=float) if a in wide else np.nan
                            for a in ("la", "statistical_neighbours", "england")}})


def _groups_chart(data: pd.DataFrame, areas: Areas) -> plt.Figure:
    """Horizontal bars per group: the LA, its neighbours (pooled) and England."""
    height = max(2.6, 0.55 * len(data) + 1.2)
    fig, ax = charts.pyplot().subplots(figsize=(charts.WIDTH, height))
    series = [("la", areas.la_name, charts.SERIES_COLOURS["la"]),
              ("statistical_neighbours", NEIGHBOURS_LABEL, charts.SERIES_COLOURS["neighbours"]),
              ("england", "England", charts.SERIES_COLOURS["england"])]
    y = np.arange(len(data))[::-1]
    width = 0.26
    for offset, (area_type, name, colour) in enumerate(series):
        ax.barh(y + (1 - offset) * width, data[area_type].to_numpy(dtype=float), height=width, color=colour,
                label=name)
    ax.set_xlim(0, 100)
    return _finish_bars(fig, ax, y, [group_label(g) for g in data["group"]],
                        x_label="% of graded schools good or better", title="Good or better by phase and governance")


# --------------------------------------------------------------------------- between inspections
def transitions(result: Inspections) -> list[Block]:
    """The sentences and the 4x4 table of previous against latest grade (``inspections__transitions.csv``)."""
    counts = ["to_outstanding", "to_good", "to_requires_improvement", "to_inadequate", "total"]
    data = _withheld(result, result.transitions, counts, relations_=TRANSITION_RELATIONS)
    return [*_said(words.transition_sentences(result)), Table(
        name="transitions", frame=data.frame.drop(columns=["as_at", "previous_grade"]),
        suppressed={(r, c) for r, c in data.cells}, data=data.frame, data_suppressed=data.cells,
        relations=TRANSITION_RELATIONS,
        caption=f"{result.areas.la_name}'s schools by previous and latest grade, as at {when(result.as_at)}",
        columns={**columns(result), "previous": content.text("Previous inspection"),
                 "to_outstanding": content.count("Now outstanding"), "to_good": content.count("Now good"),
                 "to_requires_improvement": content.count("Now requires improvement"),
                 "to_inadequate": content.count("Now inadequate"), "total": content.count("Total")},
        notes="Rows: grade at the previous inspection ('Satisfactory': grade 3 at an inspection before 1 "
              "September 2012); columns: the legacy overall grade at the latest. Below the diagonal (a better "
              "grade now than before) improved, above it declined.")]


# --------------------------------------------------------------------------- report cards
def report_cards(result: Inspections) -> list[Block]:
    """The distribution of each report-card area for the LA, against England; safeguarding met or not.

    Nothing where the snapshots end before report cards began (10 November 2025).
    """
    if result.as_at < REPORT_CARDS_FROM:
        return []
    blocks: list[Block] = [Heading("Report cards", 2), Paragraph(config()["report_cards_intro"]),
                           *_said(words.report_card_sentences(result))]
    cards = result.report_cards
    if cards.empty or not summary_row(result, "la")["n_report_card"]:
        return blocks
    grade_names = config()["report_card_grades"]
    outcomes_ = [label_code(label) for label in grade_names.values()]
    la = cards[(cards["area_type"] == "la") & (cards["evaluation_area"] != "safeguarding")]
    wide = la.pivot(index="evaluation_area", columns="outcome", values="n_schools")
    wide = wide.reindex(index=list(config()["report_card_areas"]), columns=outcomes_).fillna(0).astype(int)
    wide = wide[wide.sum(axis=1) > 0]
    england = cards[(cards["area_type"] == "england")].copy()
    england["ok"] = england["outcome"].isin(outcomes_[:3])
    share = england[england["ok"]].groupby("evaluation_area")["pct"].sum()
    shown = pd.DataFrame({"evaluation_area": list(wide.index)})
    for outcome in outcomes_:
        shown[outcome] = wide[outcome].to_numpy()
    shown["england"] = share.reindex(wide.index).to_numpy()
    data = _withheld(result, cards, ["n_schools"], {"n_schools": ["pct"]}, CARD_RELATIONS)
    long = shown.melt(id_vars=["evaluation_area"], value_vars=outcomes_, var_name="outcome", value_name="n")
    long["as_at"], long["area_type"] = result.as_at, "la"
    hidden_ = _carried(long, data, ["as_at", "area_type", "evaluation_area", "outcome"], {"n": "n_schools"})
    rows_ = {a: i for i, a in enumerate(shown["evaluation_area"])}
    cells_ = {(rows_[long["evaluation_area"].iloc[r]], long["outcome"].iloc[r]) for r, c in hidden_.cells if c == "n"}
    blank = shown.copy()
    for r, c in cells_:
        blank[c] = blank[c].astype(float)
        blank.iat[r, blank.columns.get_loc(c)] = np.nan
    shown = disclosure.Withheld(blank, frozenset(cells_))
    scale = {label_code(v): v for v in grade_names.values()}
    blocks.append(Table(
        name="report_cards", frame=shown.frame, suppressed=shown.cells, data=data.frame, data_suppressed=data.cells,
        relations=CARD_RELATIONS,
        caption=f"Report-card grades of {result.areas.la_name}'s schools by evaluation area, as at "
                f"{when(result.as_at)}",
        columns={**columns(result), "england": content.percent("England: % expected or above"),
                 "outcome": content.code("Grade", {**scale, "met": "Met", "not_met": "Not met"}),
                 **{code: content.count(name) for code, name in scale.items()}},
        notes="Number of schools at each grade. Early years and sixth form apply only to schools that have them."))
    chart = shown.frame[["evaluation_area", *outcomes_]].copy()  # what the table shows: a withheld count drawn as none
    blocks.append(charts.figure(
        "stacked bar", chart, _cards_chart,
        caption=f"Report-card grades of {result.areas.la_name}'s schools by evaluation area",
        alt="Stacked bar chart of the number of schools at each report-card grade, from exceptional to "
            "urgent improvement, for each evaluation area: " + "; ".join(
                f"{config()['report_card_areas'][a]}: " + ", ".join(
                    f"{_drawn(n, result.threshold)} {grade_names[g + 1].lower()}" for g, n in enumerate(values)
                    if n != 0) for a, values in zip(chart["evaluation_area"], chart[outcomes_].to_numpy().tolist(),
                                                    strict=True)) + "."))
    return blocks


def _drawn(n: float, threshold: int) -> str:
    """A chart's count as its alt text gives it: withheld (missing) as the table's "c"."""
    return "c" if pd.isna(n) else f"{int(n)}"


def _cards_chart(data: pd.DataFrame) -> plt.Figure:
    """Stacked horizontal bars: schools at each report-card grade per evaluation area."""
    wide = data.set_index("evaluation_area")
    colours = ["#12436D", "#2073BC", "#6BACE6", "#F46A25", "#801650"]  # exceptional .. urgent improvement
    height = max(2.6, 0.45 * len(wide) + 1.4)
    fig, ax = charts.pyplot().subplots(figsize=(charts.WIDTH, height))
    y = np.arange(len(wide))[::-1]
    left = np.zeros(len(wide))
    for n, (grade, label) in enumerate(config()["report_card_grades"].items()):
        values = np.nan_to_num(wide.iloc[:, n].to_numpy(dtype=float))  # a withheld count is not drawn
        ax.barh(y, values, left=left, color=colours[int(grade) - 1], label=label, height=0.6)
        left += values
    return _finish_bars(fig, ax, y, [config()["report_card_areas"][a] for a in wide.index],
                        x_label="number of schools", title="Report-card grades by evaluation area")


# --------------------------------------------------------------------------- schools inspected since the last report
def schools_table(result: Inspections) -> pd.DataFrame:
    """The schools inspected since the last report, named (internal) or labelled School A, B (committee).

    Returns
    -------
    DataFrame
        ``SCHOOL_COLUMNS`` with ``school_name`` replaced by the label in committee
        mode and ``urn`` dropped there.
    """
    return result.anonymiser.apply(result.schools)


def schools(result: Inspections) -> list[Block]:
    """The schools inspected since the last report (``inspections__schools.csv``), then those below good then.

    A committee pack gives both as counts only (the sentences): a recently inspected school's phase, governance,
    month and grade before are all in Ofsted's public file, so a row of them, however labelled, names the school.
    """
    if result.committee:
        return [*_said([words.schools_sentence(result)]), *previous_below_good(result)]
    return [*_inspected_since(result), *previous_below_good(result)]


#: Columns of ``inspections__previous_below_good.csv``.
PREVIOUS_BELOW_GOOD_COLUMNS = ["urn", "grade_before", "followed_to", "how_followed", "reinspected", "grade_now",
                               "inspected_before", "inspected_now", "why_not_found"]


def previous_below_good_table(result: Inspections) -> pd.DataFrame:
    """``inspections__previous_below_good.csv``: grades as labels (``Satisfactory`` before September 2012).

    In committee mode the URNs (``urn``, ``followed_to``) and dates are dropped.
    """
    rows = result.previous_below_good
    table = pd.DataFrame({
        "urn": rows["urn"], "followed_to": rows["followed_to"], "how_followed": rows["how_followed"],
        "grade_before": [grade_label(g, d) for g, d in zip(rows["grade_before"], rows["inspected_before"],
                                                           strict=True)],
        "reinspected": rows["reinspected"].map({True: "yes", False: "no"}),
        "grade_now": ["Report card" if card else (grade_label(g, d) if pd.notna(g) else "")
                      for g, d, card in zip(rows["grade_now"], rows["inspected_now"], rows["report_card_now"],
                                            strict=True)],
        "inspected_before": rows["inspected_before"], "inspected_now": rows["inspected_now"],
        "why_not_found": rows["why_not_found"].map(config()["not_found"]),
    }, columns=PREVIOUS_BELOW_GOOD_COLUMNS)
    if result.committee:
        table = table.drop(columns=["urn", "followed_to", "inspected_before", "inspected_now"])
    return table


def previous_below_good(result: Inspections) -> list[Block]:
    """The before-and-after story: every school below good at the last report, followed to now."""
    blocks: list[Block] = [Heading("Schools below good at the last report", 2),
                           *_said([*words.previous_below_good_sentences(result), words.gap_sentence(result)])]
    table = previous_below_good_table(result)
    if table.empty or result.committee:  # a committee pack: the counts above, never a row per school
        return blocks
    blocks.append(Table(
        name="previous_below_good", frame=table,
        caption=f"{result.areas.la_name}'s schools below good in Ofsted's file as at "
                f"{when(last_report_file(result))}, followed to {when(result.as_at)}",
        columns={"urn": content.text("URN then"), "grade_before": content.text("Grade then"),
                 "followed_to": content.text("URN now"), "how_followed": content.text("Followed by"),
                 "reinspected": content.text("Inspected since"), "grade_now": content.text("Grade now"),
                 "inspected_before": content.date("Inspected (then)"),
                 "inspected_now": content.date("Latest inspection"), "why_not_found": content.text("Why not found")},
        notes=config()["successions"]["text"] + " " + config()["satisfactory"]))
    return blocks


def _inspected_since(result: Inspections) -> list[Block]:
    """The sentence and the schools inspected since the last report (``inspections__schools.csv``)."""
    blocks = _said([words.schools_sentence(result)])
    table = schools_table(result)
    if table.empty:
        return blocks
    shown = table.assign(grade_now=table["grade_now"].astype(object).where(table["change"] != "report_card",
                                                                           "report_card")) \
        .drop(columns=["framework"] + (["urn"] if "urn" in table else []))
    blocks.append(Table(
        name="schools", frame=shown, data=table, columns=columns(result),
        caption=f"{result.areas.la_name}'s schools inspected since the Ofsted file the last report used "
                f"({when(last_report_file(result))}), declined first",
        notes=schools_note(result.as_at)))
    return blocks


def schools_note(as_at: pd.Timestamp) -> str:
    """The note under the schools inspected since the last report: where each grade comes from, naming only the
    frameworks in use by ``as_at`` (a pack as at 2015 says nothing of 2024's)."""
    grade_from = "overall effectiveness"
    if as_at >= REPORT_CARDS_FROM:
        grade_from += (", or for an inspection from 2 September 2024 to 9 November 2025, which gives no overall "
                       "grade, the key-judgement rule; a report card has no grade to compare")
    elif as_at >= KEY_JUDGEMENTS_FROM:
        grade_from += (", or for an inspection from 2 September 2024, which gives no overall grade, the "
                       "key-judgement rule")
    return ("Grade before: the grade of the school's inspection before this one (followed across a change of URN). "
            f"Grade from: {grade_from}. The support and concerns pages give each inspection the same way.")


def rise(result: Inspections) -> list[Block]:
    """Schools eligible for RISE intervention: the count against the benchmarks, and in an internal pack the LA's
    schools with whether each is supported (``inspections__rise.csv``). Nothing before the programme began
    (``rise.applies``): a pack as at an earlier date says nothing of it."""
    if not rise_applies(result.as_at):
        return []
    blocks: list[Block] = [Heading("Schools eligible for RISE intervention", 2), Paragraph(
        "The Department for Education's 'stuck' schools, whom its Regional Improvement for Standards and Excellence "
        "(RISE) teams work with: requires improvement, or equivalent, at the latest inspection and below good at "
        "the one before."), *_said([words.rise_sentence(result)])]
    table = result.rise_schools
    if result.committee or table is None or table.empty or result.known.find("rise_eligible") is None:
        return blocks
    supported = table["supported"].eq("yes").sum()
    known = table["supported"].ne("").any()
    if known:
        blocks += _said([f"{supported} of them {'is' if supported == 1 else 'are'} supported by the partnership "
                         "now or have been."])
    blocks.append(Table(
        name="rise", frame=table,
        caption=f"{result.areas.la_name}'s schools eligible for RISE intervention, as at {when(result.as_at)}",
        columns={**columns(result), "inspection_date": content.date("Latest inspection"),
                 "previous_inspection_date": content.date("Inspection before"),
                 "supported": content.code("In the support register", {"yes": "yes", "no": "no", "": "not known"})},
        notes="'Stuck': requires improvement, or equivalent, at the latest inspection and below good at the one "
              "before (the DfE's rule; the method notes give its source and date)."))
    return blocks


def facts_table(result: Inspections) -> Table:
    """The section's facts (``config/measures.yaml``), joined into the pack's ``tables/facts.csv``."""
    return facts.table(result.facts, "inspections")
