"""The concerns section's wording: key messages, table notes and the early-warning rules, from a result.

Counts in sentences go through ``disclosure.count_text``, so a committee pack
says "fewer than N" where a table shows "c".
"""

from __future__ import annotations

from ... import disclosure
from ...facts import Said, cite
from ...wording import long_date
from . import early_warning
from .analysis import Concerns, config, label
from .early_warning import EarlyWarning


def _count(result: Concerns, n: int) -> str:
    return disclosure.count_text(n, threshold=result.threshold, committee=result.committee)


def _said(result: Concerns, measure: str) -> Said:
    """A count fact as a sentence gives it, citing it ('fewer than N', citing nothing, where withheld; a count of
    Ofsted's published judgements, ``disclosure.public``, whole)."""
    fact = result.known.find(measure)
    n = 0 if fact is None else fact.count
    text = f"{n:,}" if disclosure.public(measure) else _count(result, n)
    return cite(text, (fact, 0)) if fact is not None and text == f"{n:,}" else Said(text)


def _as_table(result: Concerns):  # noqa: ANN202
    """A category's count as the categories table shows it: its figure, "fewer than N", or "c" where the table
    withholds it so that another cannot be worked out (a sentence never gives what the table hides)."""
    from .views import categories_withheld, public_categories

    withheld = categories_withheld(result)
    rows = {c: i for i, c in enumerate(withheld.frame["category"])}
    public = public_categories()

    def shown(category: str, column: str = "n_now") -> str:
        position = rows[category]
        n = int(result.counts.set_index("category").at[category, column])
        if category in public:  # Ofsted's categories: every school's is published
            return f"{n:,}"
        if (position, column) in withheld.cells and not (0 < n < result.threshold):
            return "c"
        return _count(result, n)

    return shown


def _said_as_table(result: Concerns, measure: str, text: str) -> Said:
    """``_said``, or the table's "c" where the table withholds the figure."""
    return Said(text) if text == "c" else _said(result, measure)


def _were(result: Concerns, measure: str) -> str:
    """'was' after a count of exactly one (as shown), else 'were'."""
    fact = result.known.find(measure)
    shown = not result.committee or disclosure.public(measure)
    return "was" if fact is not None and fact.count == 1 and shown else "were"


def messages(result: Concerns) -> list[Said]:
    """Key messages: schools in an Ofsted category, and apart from them the LA's own at-risk list, now and at the
    last report; Ofsted's monitoring of the first and the LA's reviews of the second; powers used."""
    counts = result.counts.set_index("category")
    shown = _as_table(result)
    kinds = ", ".join(f"{label('categories', c).lower()} {shown(c, 'n_now')}"
                      for c, e in config()["categories"].items() if e["ofsted"] and counts.at[c, "n_now"])
    lines = [
        Said(f"On {long_date(result.as_at)} ") + _said_as_table(result, "concerns_ofsted_category", shown("ofsted"))
        + " schools were in an Ofsted category of concern as the LA's concerns log records them"
        + (f" ({kinds})" if kinds else "") + f", against {shown('ofsted', 'n_previous')} on "
        f"{long_date(result.since)}, the last report's date; {shown('ofsted', 'entered_since')} entered "
        f"and {shown('ofsted', 'exited_since')} left since.",
        Said("Apart from them, the LA judges ") + _said_as_table(result, "concerns_at_risk", shown("at_risk"))
        + " schools at risk (its own list, not an Ofsted category: a school graded requires improvement is not in "
        f"a category), against {shown('at_risk', 'n_previous')} on {long_date(result.since)}.",
    ]
    if not result.schools.empty:
        lines.append(Said("Of the schools in an Ofsted category, ") + _said(result, "concerns_not_effective")
                     + f" {_were(result, 'concerns_not_effective')} judged not taking effective action at the latest "
                     "Ofsted monitoring visit since the last report's date, and "
                     + _said(result, "concerns_long_in_category") + " had been in a category for 18 months or "
                     "more (the point by which Ofsted expects a school in a category to have been re-inspected).")
        lines.append(Said("Of the schools the LA judges at risk, ") + _said(result, "concerns_at_risk_insufficient")
                     + f" {_were(result, 'concerns_at_risk_insufficient')} found to be making insufficient progress at "
                     "the LA's latest review since the last report's date (the LA's judgement, not Ofsted's).")
    used = result.powers[result.powers["n_this_year"] > 0]
    if used.empty:
        lines.append(Said("No statutory powers have been used this academic year."))
    else:
        lines.append(Said("Statutory powers used this academic year: " + ", ".join(
            f"{label('powers', p).lower()} {_count(result, int(n))}" for p, n in
            zip(used["power"], used["n_this_year"], strict=True)) + "."))
    return lines


def schools_note(result: Concerns) -> str:
    """The note under the schools table: where the visit outcome went, and how schools are named."""
    return ("The latest visit's outcome and any inspection since the last report's date are in the progress column "
            "(an inspection as the inspections page gives it); the spreadsheet of tables has them in columns of their "
            "own. Visits to a school in an Ofsted category are Ofsted's monitoring; to one on the LA's at-risk list, "
            "the LA's own reviews."
            )


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
        f"{n(int(risks['new_alerts'].ne('').sum()))} schools have an alert that did not apply on "
        f"{long_date(result.since)}, the last report's date, on the data known then.",
        f"{n(len(unsupported))} schools whose score suggests targeted or intensive support are neither receiving "
        "support nor in the concerns log: the partnership should review them first.",
    ]


def risks_note(result: EarlyWarning, n_collaborative: int) -> str:
    """The note under the risk table: where the ``n_collaborative`` schools not shown are, and how schools are named."""
    where = "the spreadsheet of tables published with this report"
    return f"The {n_collaborative:,} schools whose score suggests collaborative support are in {where} with these."


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
            "when it did not apply on the last report's date on the data known then. The weights can be changed "
            "for a period."]
