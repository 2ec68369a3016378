"""One lineage (``schools.lineages``, GIAS's rules) for every section: the same school followed the same way."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from leep_analysis.schools import followed_links, lineages, successions


def gias_links(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """GIAS links as ``load_links`` gives them: (urn, link_urn, LinkType, LinkEstablishedDate)."""
    relation = {"predecessor": "predecessor", "successor": "successor"}
    frame = pd.DataFrame(rows, columns=["urn", "link_urn", "link_type", "link_date"])
    frame["relation"] = [relation.get(t.split(" - ")[0].lower()) for t in frame["link_type"]]
    return frame.astype({"urn": "string", "link_urn": "string", "link_type": "string", "relation": "string"}).assign(
        link_date=pd.to_datetime(frame["link_date"]))


# Shaped on the real file (links_edubasealldata.csv, August 2026): Heathfield High School 120241 converted to
# Heath Lane Academy 138327 in July 2012; The William Bradford Academy 141129 merged into it in September 2016,
# recorded 'Successor' on William Bradford's row and 'Predecessor - merged' on Heath Lane's.
LINKS = gias_links(
    ("120241", "138327", "Successor", "2012-06-30"),
    ("138327", "120241", "Predecessor", "2012-07-01"),
    ("141129", "138327", "Successor", "2016-09-01"),
    ("138327", "141129", "Predecessor - merged", "2016-09-01"),
    ("130000", "130001", "Sixth Form Centre Link", "2010-01-01"),
)


def test_a_converter_is_followed_and_a_merger_is_not_even_when_one_side_calls_it_a_successor():
    found = lineages(LINKS)
    assert found["138327"] == found["120241"] == "120241"
    assert found["141129"] == "141129"  # merged into Heath Lane: a separate school until then
    assert found["130001"] == "130001"  # a sixth form centre link is never followed
    assert lineages(LINKS, reorganisations=True)["141129"] == "120241"  # only when asked
    assert successions(followed_links(LINKS)).values.tolist() == [["120241", "138327", "Successor",
                                                                  pd.Timestamp("2012-06-30")]]


def test_a_link_made_after_the_packs_date_is_not_followed():
    as_at_2012 = lineages(LINKS, as_at=dt.date(2012, 6, 30))  # the Successor row is dated the day before
    assert as_at_2012["120241"] == as_at_2012["138327"] == "120241"
    assert lineages(LINKS, as_at=dt.date(2012, 6, 29))["138327"] == "138327"
    assert lineages(LINKS, ["999999"], as_at=dt.date(2020, 1, 1))["999999"] == "999999"
    assert lineages(None, ["100002"]) == {"100002": "100002"}


def test_the_lowest_urn_names_a_lineage_by_number_not_by_text():
    found = lineages(gias_links(("99999", "100005", "Successor", "2011-08-31")))
    assert found == {"99999": "99999", "100005": "99999"}
