"""Issue 28's last leaks: a share beside its base is a count, a table's parts add up to its total, and Ofsted's
public counts are shown whole.

On the sample's spring committee pack before this change a reader found: "Improved 10%, Declined 3%" of the 30
supported schools inspected since (3 schools and 1); the spending by tier's 20% of 5 intensive schools improved (1)
and 60% good (3, and the "All supported schools" row's 78.1% of 32, 25, less the other tiers' 5 and 17, gave it
again); the impact table's tiers beside their total (inspection improved: 30 = 5 + 21 + c, so 4); the schools
followed beside every school supported to date (51 - 50 - 0 = 1 under a new URN). And the inspections page
withheld the LA's own headline, "c of Sampleshire's c schools", beside a table giving the same 152 schools.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leep_analysis import disclosure

SUPPRESSED = "c"


def read(pack: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(pack / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def implied(pct: str, base: str) -> int | None:
    """The schools a shown share stands for: round(pct x base / 100)."""
    if SUPPRESSED in (pct, base) or "" in (pct, base):
        return None
    return round(float(pct) * float(base) / 100)


# ------------------------------------------------------------------------------------------------ the rule
@pytest.mark.parametrize(("pct", "base", "small"), [
    (10.0, 30, True),  # 3 schools
    (3.333, 30, True),  # 1 school
    (86.667, 30, True),  # 26 schools, leaving 4
    (60.0, 5, True),  # 3, leaving 2
    (100.0, 5, False),  # 5, leaving 0: no one is singled out by a zero
    (0.0, 5, False),
    (50.0, 20, False),  # 10 and 10
    (np.nan, 30, False), (20.0, np.nan, False), ("c", 30, False),
])
def test_a_share_of_a_base_is_small_where_it_stands_for_or_leaves_a_few_schools(pct, base, small):
    assert disclosure.small_share(pct, base, 5) is small


def test_shares_that_add_to_100_are_withheld_together():
    # improved, same and declined of the 30 supported schools: 3, 26, 1 - any two give the third
    row = pd.DataFrame({"group": ["supported", "comparison"], "n_schools": [30, 82],
                        "pct_improved": [10.0, 20.2], "pct_same": [86.667, 78.1], "pct_declined": [3.333, 1.7]})
    found = disclosure.withhold_shares(disclosure.Withheld(row, frozenset()),
                                       dict.fromkeys(["pct_improved", "pct_same", "pct_declined"], "n_schools"),
                                       threshold=5, rows=[0], together=True)
    assert found.cells == {(0, "pct_improved"), (0, "pct_same"), (0, "pct_declined")}
    assert found.frame.loc[1, ["pct_improved", "pct_same", "pct_declined"]].tolist() == [20.2, 78.1, 1.7]
    # an internal pack shows every share
    assert disclosure.withhold_shares(disclosure.Withheld(row, frozenset()),
                                      dict.fromkeys(["pct_improved", "pct_same", "pct_declined"], "n_schools"),
                                      threshold=5, committee=False).cells == frozenset()


def test_ofsteds_counts_are_public_and_the_las_registers_are_not():
    assert disclosure.public("inspections_inadequate") and disclosure.public("inspections_special_measures")
    assert not disclosure.public("support_schools") and not disclosure.public("concerns_at_risk")
    assert disclosure.threshold_for("ofsted_mi", 5) == 1 and disclosure.threshold_for("support_register", 5) == 5


# ------------------------------------------------------------------------------------------ the sample's pack
@pytest.mark.pack
def test_no_share_in_a_committee_pack_stands_for_a_few_supported_schools(spring_pack):
    inspection = read(spring_pack, "support__inspection").set_index("group")
    supported = inspection.loc["supported"]
    shares = ["pct_improved", "pct_same", "pct_declined"]
    for column in shares:
        n = implied(supported[column], supported["n_schools"])
        assert n is None or not (0 < n < 5 or 0 < int(supported["n_schools"]) - n < 5), column
    # withheld together or not at all: any two give the third
    assert len({supported[c] == SUPPRESSED for c in shares}) == 1
    # the spending by tier leaves the next inspections to the support section: its schools inspected per tier (5
    # collaborative) bounded the impact table's withheld tiers ("30 = c + 21 + c" compared: 4 or 5 each)
    tiers = read(spring_pack, "budget__by_tier")
    assert not {"inspected_after", "pct_improved", "pct_good_after"} & set(tiers.columns)
    # nor do the facts give the schools inspected since beside those compared when they differ by a few (32 and 30)
    facts = read(spring_pack, "facts").set_index("measure")
    assert "support_inspected_after" not in facts.index or "support_compared" not in facts.index or not (
        0 < float(facts.at["support_inspected_after", "value"]) - float(facts.at["support_compared", "value"]) < 5)


@pytest.mark.pack
def test_a_committee_packs_support_tables_leave_no_count_to_their_totals(spring_pack):
    impact = read(spring_pack, "support__impact")
    # a verdict says whether a group's schools are under the smallest group judged: it goes with a withheld count
    assert ((impact["n_supported"] == SUPPRESSED) <= (impact["verdict"] == SUPPRESSED)).all()
    # and the comparison schools: each supported school has at most 10, so 42 of them gave at least 5 supported
    assert ((impact["n_supported"] == SUPPRESSED) <= (impact["n_comparison"] == SUPPRESSED)).all()
    for measure, rows in impact.groupby("measure"):
        withheld = (rows["n_supported"] == SUPPRESSED).sum()
        assert withheld != 1, measure  # the tiers add up to "all": one withheld is the total less the rest
        if withheld and (rows["group"] == "all").any() and rows.loc[rows["group"] == "all", "n_supported"].iloc[0] \
                != SUPPRESSED:
            shown = sum(int(v) for v in rows.loc[rows["group"] != "all", "n_supported"] if v != SUPPRESSED)
            room = int(rows.loc[rows["group"] == "all", "n_supported"].iloc[0]) - shown - withheld
            assert room >= 5 - 2, measure  # what the withheld cells hold between them leaves each several values
    # the impact chart marks a withheld row as the table does (it printed "nan" where the verdict went)
    page = (spring_pack / "support.html").read_text(encoding="utf-8")
    drawn = [base64.b64decode(u).decode("utf-8") for u in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)",
                                                                       page)]
    assert drawn and not [svg for svg in drawn if re.search(r"\bnan\b", re.sub(r"<[^>]+>", " ", svg))]
    following = read(spring_pack, "support__following").set_index("status")
    assert "all" in following.index and (following["n_schools"] == SUPPRESSED).sum() != 1
    facts = read(spring_pack, "facts").set_index("measure")
    assert following.at["all", "n_schools"] == str(int(float(facts.at["support_schools_to_date", "value"])))


@pytest.mark.pack
def test_ofsteds_counts_of_the_las_schools_are_shown_whole_and_agree_across_the_page(spring_pack):
    summary = read(spring_pack, "inspections__summary")
    assert not (summary == SUPPRESSED).any().any()  # Ofsted's public file: nothing to withhold
    groups = read(spring_pack, "inspections__ofsted_groups")
    latest = summary[(summary["area_type"] == "la") & (summary["group"] == "all")
                     & (summary["as_at"] == summary["as_at"].max())].iloc[0]
    overall = groups[(groups["area_type"] == "la") & (groups["group"] == "overall")].iloc[0]
    assert overall["n_schools"] == latest["n_graded"]  # the two tables give one value of one measure
    page = html.unescape(re.sub(r"<[^>]+>", " ", (spring_pack / "inspections.html").read_text(encoding="utf-8")))
    page = re.sub(r"\s+", " ", page)
    # the headline sentence gives the figures of both tables (it read "c of Sampleshire (synthetic)'s c schools")
    assert f"{round(float(latest['pct_good_or_better']))}% of Sampleshire (synthetic)'s {int(latest['n_graded']):,} " \
           "schools last graded before September 2024 are good or outstanding" in page
    assert "c of Sampleshire" not in page


def test_phases_of_few_of_the_las_schools_are_one_group_in_a_committee_pack():
    from leep_analysis.sections.support.reach import small_groups

    # the sample's LA: 3 PRUs, 2 nurseries, 1 all-through school (Ofsted's public counts): a "c" of supported PRUs
    # would be 1 to 3; together the three hold 6
    sizes = pd.Series({"primary": 200, "secondary": 35, "special": 9, "pru": 3, "nursery": 2, "all-through": 1})
    assert sorted(small_groups(sizes, 5)) == ["all-through", "nursery", "pru"]
    # too few together: the next smallest joins them, never the largest
    assert small_groups(pd.Series({"primary": 17, "secondary": 6, "special": 1, "pru": 2}), 5) == \
        ["special", "pru", "secondary"]
    assert small_groups(pd.Series({"primary": 200, "secondary": 35, "special": 9}), 5) == []


@pytest.mark.pack
def test_ofsteds_categories_in_the_concerns_log_are_counted_whole_and_the_las_own_list_withheld(spring_pack):
    # the concerns page said "fewer than 5 schools were in an Ofsted category" and withheld each category, beside
    # the inspections page's "3 ... (special measures 1, requires significant improvement 2)": nothing hidden, and
    # the same schools given two ways
    categories = read(spring_pack, "concerns__categories").set_index("category")
    ofsted = ["special_measures", "serious_weaknesses", "requires_significant_improvement", "notice_to_improve",
              "ofsted"]
    assert not (categories.loc[ofsted, ["n_now", "n_previous", "entered_since", "exited_since"]] == SUPPRESSED)\
        .any().any()
    now = categories.loc["ofsted", "n_now"]
    page = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", (spring_pack / "concerns.html").read_text(
        encoding="utf-8"))))
    assert f"On 31 March 2026 {now} schools were in an Ofsted category of concern" in page
    # the LA's own at-risk list is the LA's judgement: a small count of it is withheld
    at_risk = categories.loc["at_risk", "n_now"]
    assert at_risk == SUPPRESSED or int(at_risk) == 0 or int(at_risk) >= 5
