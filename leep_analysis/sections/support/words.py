"""The support section in words: headline tiles, key messages, method notes, caveats and the labels of measures."""

from __future__ import annotations

import pandas as pd

from ... import disclosure
from ...content import Tile
from ...facts import Fact, Said, cite, joined
from ...sources.support_register import config
from ...tables import SUPPRESSED
from ...wording import long_date
from . import withheld
from .analysis import ALL, Analysis, following
from .data import SupportData
from .matching import impact_measures


def measure_label(measure: str) -> str:
    """Label of an impact measure: an inspection measure or a key stage's headline (``ks2_PTRWM_EXP``)."""
    if measure in config()["impact_measures"]:
        return config()["impact_measures"][measure]["label"]
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["label"]


def measure_short(measure: str) -> str:
    """Short label of an attainment measure, for chart panels."""
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["short"]


def measure_unit(measure: str) -> str:
    """Unit of an impact measure's difference: ``percentage points`` or ``points``."""
    if measure in config()["impact_measures"]:
        return config()["impact_measures"][measure]["unit"]
    key_stage, _, code = measure.partition("_")
    return config()["attainment"][key_stage]["measures"][code]["unit"]


def as_of(data: SupportData) -> str:
    """The report's date as a caption gives it: ``31 December 2025``."""
    return long_date(data.as_at)


def since(data: SupportData) -> str:
    """The last report's date, as ``as_of`` gives it."""
    return long_date(data.since)


def shown_count(data: SupportData, n: int) -> str:
    """A count as the pack may show it: ``c`` for a small non-zero count in committee packs."""
    return SUPPRESSED if data.committee and 0 < n < data.threshold else f"{n:,}"


def _said(data: SupportData, n: int) -> str:
    """A count as a sentence may give it: "fewer than N" for a small one in committee packs."""
    return disclosure.count_text(n, threshold=data.threshold, committee=data.committee)


def _signed(value: float, unit: str) -> str:
    decimals = 2 if unit == "points" and abs(value) < 2 else 1
    text = f"{value:+.{decimals}f}"
    return text.replace("-", "−")


def _summary_row(result: Analysis, key: str) -> pd.Series:
    table = result.summary
    return table[(table["group_by"] == "reach") & (table["group"] == key)].iloc[0]


def _fact(result: Analysis, measure: str) -> Fact | None:
    return result.known.find(measure)


def _n(data: SupportData, fact: Fact | None) -> Said:
    """A count fact as a sentence gives it, citing it ("fewer than N", citing nothing, where withheld)."""
    n = 0 if fact is None else fact.count
    text = _said(data, n)
    return cite(text, (fact, 0)) if fact is not None and text == f"{n:,}" else Said(text)


def _share(fact: Fact | None) -> Said:
    return Said("not available") if fact is None or fact.value is None else cite(fact.text(0), (fact, 0))


def headlines(result: Analysis) -> list[Tile]:
    """Headline tiles: schools supported this period, new to support, good at the next inspection, not followed.

    Each is one measure (``config/measures.yaml``) taken from the section's facts, its label naming the
    schools it counts."""
    data = result.data
    when = f"{pd.Timestamp(data.as_at):%Y-%m-%d}"

    def small(n: object) -> bool:
        return bool(data.committee and 0 < int(n) < data.threshold)  # type: ignore[call-overload]

    def count(key: str, label: str, detail: str) -> Tile:
        fact = _fact(result, key)
        n = 0 if fact is None else fact.count
        hide = small(n)
        return Tile(key=key, label=label, value=None if hide else float(n), unit="count",
                    suppressed=hide, detail=detail, period=when)

    period = _fact(result, "support_schools")
    share = "" if period is None or not period.denominator or small(period.count) \
        else f"{100 * period.count / period.denominator:.0f}% of the LA's schools"
    started = _fact(result, "support_episodes_started")
    tiles = [
        count("support_schools", "Schools supported this period", share),
        # the episodes started include new episodes of schools already supported: said so, or 0 new schools
        # above "41 episodes started" reads as a contradiction
        count("support_new", f"Schools new to support since {since(data)}",
              f"{shown_count(data, 0 if started is None else started.count)} support episodes began in that time, "
              "including those of schools already supported"),
    ]
    row = result.impact[(result.impact["measure"] == "inspection_good") & (result.impact["group"] == ALL)].iloc[0]
    good, similar = _fact(result, "support_good_next"), _fact(result, "support_good_next_similar")
    if row["verdict"] == config()["verdicts"]["too_few"] or good is None or good.value is None:
        value, detail = None, row["verdict"]
    elif any(c == "pct_good" for _, c in withheld.inspection(result).cells):  # a share of few, as its table
        value, detail = None, f"c: a share of fewer than {data.threshold} schools"
    else:
        value = good.value
        detail = (f"{shown_count(data, int(good.denominator or 0))} schools below good when support began, "
                  f"inspected since; similar schools {similar.text(0) if similar else 'not available'}: "
                  f"{row['verdict']}")
    tiles.append(Tile(key="support_good_next", label="Good or better at the next inspection after support",
                      value=value, unit="percent", decimals=0, detail=detail, polarity="High", period=when))
    if data.present is not None:  # withheld in the table as a complement: withheld here too
        follow = withheld.following(result)
        tile = count("support_not_followed", "Supported schools that could not be followed",
                     "URN closed with no successor link")
        if any(follow.frame["status"].iloc[i] == "not_followed" for i, _ in follow.cells) and not tile.suppressed:
            tile = Tile(key=tile.key, label=tile.label, value=None, unit="count", suppressed=True, detail=tile.detail,
                        period=tile.period)
        tiles.append(tile)
    return tiles


def messages(result: Analysis) -> list[Said]:
    """Key messages in words, each figure with the schools behind it and the verdict its interval allows; and,
    plainly, where supported schools did worse at their next inspection than similar schools."""
    data = result.data
    points = [_n(data, _fact(result, "support_schools")) + f" schools received support between {since(data)} and "
              f"{as_of(data)} (" + _n(data, _fact(result, "support_episodes")) + " episodes); "
              + _n(data, _fact(result, "support_schools_year")) + " so far this academic year."]
    outcome = outcomes_sentence(result)
    if outcome:
        points.append(outcome)

    impact = withheld.impact(result)

    def n(position: int, column: str) -> str:  # a complement is "c"; a small count "fewer than N", as elsewhere
        value = int(result.impact[column].iloc[position])
        withheld = (position, column) in impact.cells and value >= data.threshold
        return SUPPRESSED if withheld else _said(data, value)

    for measure in impact_measures():
        position = int(impact.frame.index[(impact.frame["measure"] == measure) & (impact.frame["group"] == ALL)][0])
        row = impact.frame.loc[position]
        name = measure_label(measure)
        counted = f"{n(position, 'n_supported')} supported and {n(position, 'n_comparison')} comparison schools"
        small = any(0 < int(result.impact[c].iloc[position]) < data.threshold for c in ("n_supported", "n_comparison"))
        if result.impact["verdict"].iloc[position] == config()["verdicts"]["too_few"] and (small or not pd.isna(
                row["verdict"])):  # "fewer than 5" says as much
            points.append(Said(f"{name}: too few schools to judge ({counted})."))
            continue
        if pd.isna(row["verdict"]):  # withheld with a count the table withholds so that another is not given
            points.append(Said(f"{name}: withheld (c), with the schools behind it ({counted})."))
            continue
        if pd.isna(row["effect"]):  # withheld: the supported schools' share it is a difference of stands for a few
            points.append(Said(f"{name}: the difference is withheld (c), as the supported schools' share stands for "
                               f"fewer than {data.threshold} schools ({counted})."))
            continue
        unit = measure_unit(measure)
        finding = f"supported schools {row['verdict']}" if row["verdict"] != config()["verdicts"]["unclear"] \
            else "no clear difference between supported and similar schools"
        points.append(Said(
            f"{name}: {finding} ({_signed(row['effect'], unit)} {unit}, 95% interval "
            f"{_signed(row['ci_low'], unit)} to {_signed(row['ci_high'], unit)}; {counted})."))
    return points


def outcomes_sentence(result: Analysis) -> Said:
    """The next-inspection outcomes of the supported schools against similar schools, saying plainly which way
    each share went (never only that a difference is "not clear")."""
    data = result.data
    compared = _fact(result, "support_compared")
    if compared is None or not compared.count or (data.committee and compared.count < data.threshold):
        return Said("")

    table = withheld.inspection(result)
    supported = [i for i, g in enumerate(table.frame["group"]) if g == "supported"]
    if any((i, c) in table.cells for i in supported for c in ("pct_improved", "pct_declined")):
        # withheld together (any two give the third): said once, with the similar schools' shares alone
        similar = [_share(f) + f" {w}" for m, w in (("support_improved_next", "improved"),
                                                    ("support_declined_next", "declined"))
                   if (f := _fact(result, f"{m}_similar")) is not None and f.value is not None]
        return (Said("Of the ") + _n(data, compared) + " supported schools inspected since their support began that "
                "have similar schools to compare, how many improved or declined is withheld (c), as one of those "
                f"shares stands for fewer than {data.threshold} schools"
                + (Said(" (similar schools: ") + joined(similar, ", ") + ")" if similar else Said("")) + ".")
    parts = []
    worse, better = [], []
    for measure, words_, polarity in (("support_improved_next", "improved", "High"),
                                      ("support_declined_next", "declined", "Low")):
        own, theirs = _fact(result, measure), _fact(result, f"{measure}_similar")
        if own is None or theirs is None or own.value is None or theirs.value is None:
            continue
        parts.append(_share(own) + f" {words_} (similar schools " + _share(theirs) + ")")
        gap = round(own.value) - round(theirs.value)
        if gap:
            (better if (gap > 0) == (polarity == "High") else worse).append(words_)
    verdict = ""
    if worse:
        verdict = (" Supported schools did worse than similar schools: " + " and ".join(
            "more of them declined" if w == "declined" else "fewer of them improved" for w in worse) + ".")
    elif better:
        verdict = " Supported schools did better than similar schools on this count."
    return (Said("Of the ") + _n(data, compared) + " supported schools inspected since their support began that "
            "have similar schools to compare, " + joined(parts, " and ") + "." + verdict
            + " The impact table says whether a difference is larger than chance would give.")


def notes(result: Analysis) -> list[str]:
    """How the figures were made and what could not be done with the inputs given."""
    data = result.data
    said = [
        f"Comparison schools are the LA's schools with no support started by {as_of(data)}; each supported "
        f"school is compared with the {data.settings.comparisons} most like it (last inspected nearest in time "
        "with the same grade, or nearest in starting result). Results are judged "
        f"over the same years as each supported school; intervals come from {data.settings.bootstrap:,} bootstrap "
        f"resamples, drawn the same way each time the report is made; groups of fewer than "
        f"{data.settings.min_group} schools are not judged.",
    ]
    if data.history is None:
        said.append("No Ofsted management information was available, so there is no inspection comparison.")
    if data.results is None:
        said.append("No school performance tables were available, so there is no comparison of results.")
    if data.schools is None:
        said.append("No list of the LA's schools was available, so shares of all schools are not shown.")
    if not data.linked:
        said.append("No predecessor and successor links were available: schools that changed URN could not be "
                    "followed.")
    judged = result.outcomes["outcome"].isin(["improved", "same", "declined"]).fillna(False)
    unmatched = judged & ~result.outcomes["lineage"].isin(result.pairs["lineage"])
    if data.history is not None and unmatched.any():
        said.append(f"{_said(data, int(unmatched.sum()))} supported schools inspected since support started had "
                    "no unsupported school of the same phase with the same grade on the same date, so they are not "
                    "in the inspection comparison.")
    if data.present is not None:  # the table's withheld cells: the sentence hides what it hides
        follow, found = withheld.following(result), following(result)
        raw = dict(zip(found["status"], found["n_schools"], strict=True))

        def n(status: str) -> str:  # a complement is "c"; a small count "fewer than N", as elsewhere
            position = list(follow.frame["status"]).index(status)
            complement = (position, "n_schools") in follow.cells and raw[status] >= data.threshold
            return SUPPRESSED if complement else _said(data, int(raw[status]))

        said.append(f"Following schools across URN changes: {n('same_urn')} found under the same URN, "
                    f"{n('new_urn')} under a new URN through GIAS links, {n('not_followed')} could not be followed.")
    return said


def caveats() -> list[str]:
    """The standing caveats of any judgement of the impact of support (``config/support.yaml``)."""
    return [" ".join(text.split()) for text in config()["caveats"]]
