"""The concerns section's wording: key messages, table notes and the early-warning rules, from a result.

Counts in sentences go through ``disclosure.count_text``, so a committee pack
says "fewer than N" where a table shows "c".
"""

from __future__ import annotations

from ... import disclosure
from ...wording import long_date
from . import early_warning
from .analysis import Concerns, config, label
from .early_warning import EarlyWarning


def _count(result: Concerns, n: int) -> str:
    return disclosure.count_text(n, threshold=result.threshold, committee=result.committee)


def messages(result: Concerns) -> list[str]:
    """Key messages: schools in a category now and before, entries, exits, powers, progress."""
    total = result.counts.set_index("category").loc["all"]
    ofsted = [c for c, e in config()["categories"].items() if e["ofsted"]]
    in_ofsted = int(result.counts.set_index("category").loc[ofsted, "n_now"].sum())
    lines = [
        f"On {long_date(result.as_at)} {_count(result, int(total['n_now']))} schools were in a category of concern or at "
        f"risk ({_count(result, in_ofsted)} in an Ofsted category), against {_count(result, int(total['n_previous']))} "
        f"at the last report on {long_date(result.since)}; {_count(result, int(total['entered_since']))} entered and "
        f"{_count(result, int(total['exited_since']))} left since.",
    ]
    if not result.schools.empty:
        escalate = int(result.schools["progress"].str.startswith("not taking").sum())
        lines.append(f"{_count(result, escalate)} of them were not taking effective action at their latest "
                     "monitoring visit since the last report.")
        long = int(result.schools["months_in_category"].ge(18).sum())
        lines.append(f"{_count(result, long)} had been in their category for 18 months or more (the point by which "
                     "Ofsted expects a school in a category to have been re-inspected).")
    used = result.powers[result.powers["n_this_year"] > 0]
    if used.empty:
        lines.append("No statutory powers have been used this academic year.")
    else:
        lines.append("Statutory powers used this academic year: " + ", ".join(
            f"{label('powers', p).lower()} {_count(result, int(n))}" for p, n in
            zip(used["power"], used["n_this_year"], strict=True)) + ".")
    return lines


def schools_note(result: Concerns) -> str:
    """The note under the schools table: where the visit outcome went, and how schools are named."""
    return ("The latest visit's outcome and any inspection since the last report are in the progress column; "
            "the CSV has them as columns."
            + (" Schools are shown as School A, School B and so on." if result.committee else ""))


def early_warning_messages(result: EarlyWarning) -> list[str]:
    """Key messages: how many schools have alerts, by suggested tier, new, and not yet supported."""
    risks = result.risks
    tiers = risks["suggested_tier"].value_counts()
    unsupported = risks[~risks["supported"] & ~risks["in_concerns_log"]
                        & risks["suggested_tier"].isin(["intensive", "targeted"])]
    def n(k: int) -> str:
        return disclosure.count_text(k, threshold=result.threshold, committee=result.anonymiser.committee)
    return [
        f"{n(len(risks))} of the authority's {result.n_schools:,} open schools have at least one alert; the scores "
        f"suggest intensive support for {n(int(tiers.get('intensive', 0)))}, targeted for "
        f"{n(int(tiers.get('targeted', 0)))} and collaborative for {n(int(tiers.get('collaborative', 0)))}.",
        f"{n(int(risks['new_alerts'].ne('').sum()))} schools have an alert that is new since the last report.",
        f"{n(len(unsupported))} schools whose score suggests targeted or intensive support are neither receiving "
        "support nor in the concerns log: the partnership should review them first.",
    ]


def risks_note(result: EarlyWarning, n_collaborative: int) -> str:
    """The note under the risk table: where the ``n_collaborative`` schools not shown are, and how schools are named."""
    where = ("the spreadsheet of tables published with this report" if result.anonymiser.committee
             else "tables/concerns__risk_alerts.csv")
    return (f"The {n_collaborative:,} schools whose score suggests collaborative support are in {where} with these."
            + (" Schools are shown as School A, School B and so on, without pupil numbers or free school meal "
               "shares, which are published for each school." if result.anonymiser.committee else ""))


def rules_points(result: EarlyWarning) -> list[str]:
    """The rules and weights in force, for printing in the report."""
    cfg = early_warning.config()
    alerts = [f"{spec['label']} (\"{spec['short']}\" in the table): weight {result.weights[name]:g}."
              for name, spec in cfg["alerts"].items()]
    results = "; ".join(f"{r['label']} (more than {r['margin']:g} below England's figure)"
                        for r in cfg["results"].values())
    tiers = ", ".join(f"{t['tier']} from {t['min_score']:g}" for t in cfg["tiers"])
    return [*alerts,
            f"Headline results: {results}; 'down two years running' means the last three results each fell.",
            f"Persistent absence: more than {cfg['absence']['margin']:g} points above England's figure for the "
            "school's phase, in the latest absence file.",
            f"Long since inspection: more than {cfg['long_since_inspection_years']} years since the last graded "
            "inspection. Change of head: within the last twelve months. Complaints: "
            f"{cfg['complaints_from']} or more this academic year.",
            f"A school's score is the sum of its alerts' weights; the suggested tier is {tiers}. An alert is new "
            "when it did not apply at the last report's date on the data known then. Rules version "
            f"{cfg['version']} (the weights can be changed for a period)."]
