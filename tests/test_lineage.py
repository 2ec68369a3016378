"""One lineage (``schools.lineages``, GIAS's rules) for every section: the same school followed the same way."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re

import pandas as pd
import pytest
import yaml

from leep_analysis import analyses
from leep_analysis.config import PARAMS_DIR, SAMPLE_DIR
from leep_analysis.params import DatedFile
from leep_analysis.registry import INPUTS
from leep_analysis.runner import load_period
from leep_analysis.schools import followed_links, lineages, successions
from leep_analysis.sections import budget, concerns, inspections, support
from leep_analysis.sources.ofsted_mi import load_snapshots

from .conftest import write_params


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


# ------------------------------------------------------------------------ the same chain on every page
SECTIONS = ["inspections", "support", "budget", "concerns"]


def section_lineages(inputs) -> dict[str, dict[str, str]]:
    """How each section followed schools across a change of URN: section -> URN -> lineage id."""
    return {"inspections": dict(inspections.analyse(inputs).lineage),
            "support": dict(support.analyse(inputs).data.lineage),
            "budget": dict(budget.analyse(inputs).accounts.lineage or {}),
            "concerns": dict(concerns.analyse(inputs).lineage)}


def assert_one_chain(found: dict[str, dict[str, str]]) -> None:
    """Every URN two sections both follow has the same lineage in each."""
    for first, second in itertools.combinations(found, 2):
        shared = found[first].keys() & found[second].keys()
        differ = {u: (found[first][u], found[second][u]) for u in shared if found[first][u] != found[second][u]}
        assert not differ, f"{first} and {second} follow {len(differ)} URNs differently: {sorted(differ.items())[:5]}"


def test_a_converter_and_a_merged_school_are_followed_the_same_way_on_every_page(tmp_path, clean_env):
    # the sample's Alder Vale Primary School 901387 converted to Alder Vale Academy 901388 in November 2014 (its
    # support episodes, concerns log entry and ledger rows are the academy's); here Linnet Green Primary School
    # 901389 also merges into Kestrel Cross Primary School 901448 in 2020, recorded as GIAS records some mergers:
    # 'Successor' on the closing school's row, 'Predecessor - merged' on the other's
    links = (SAMPLE_DIR / "gias_links.csv").read_text(encoding="cp1252")
    links += ('"901389","901448","Kestrel Cross Primary School","Successor","01-09-2020"\n'
              '"901448","901389","Linnet Green Primary School","Predecessor - merged","01-09-2020"\n')
    (tmp_path / "links.csv").write_text(links, encoding="cp1252")
    base = yaml.safe_load((PARAMS_DIR / "2025-26-autumn.yaml").read_text(encoding="utf-8"))
    data = {key: "sample" for key in INPUTS if INPUTS[key].sections & set(SECTIONS)}
    path = write_params(tmp_path / "p.yaml", **{**base, "sections": SECTIONS,
                                                 "data": {**data, "establishment_links": str(tmp_path / "links.csv")}})
    inputs = load_period(path)
    found = section_lineages(inputs)
    for section, lineage in found.items():
        assert lineage["901388"] == lineage.get("901387", "901387") == "901387", section
        assert lineage.get("901389", "901389") == "901389" and lineage.get("901448", "901448") == "901448", section
    assert_one_chain(found)
    # and the support page counts the academy's episodes under the one school
    assert support.analyse(inputs).data.spells.set_index("urn").at["901388", "lineage"] == "901387"


@pytest.mark.real_data
def test_the_real_2013_to_2015_leicestershire_pages_follow_every_school_through_one_chain(real, tmp_path, clean_env):
    # the real Ofsted files of April 2013 to May 2015 and today's GIAS links; the LA's registers are made from
    # the Ofsted files (every school below good in April 2013 supported, every school in a category logged), as
    # Leicestershire's own are not published. The analyses are read, not the pack built: the 2018-19
    # establishments list no longer holds the maintained schools that converted, which a pack's checks require
    ofsted = real / "ofsted_mi_monthly"
    snapshots = [{"path": str(next((ofsted / day).iterdir())), "as_at": day} for day in sorted(os.listdir(ofsted))]
    establishments = real / "perf_tables_2018_19" / "england_school_information.xlsx"
    mi = load_snapshots([DatedFile(path=s["path"], as_at=dt.date.fromisoformat(s["as_at"])) for s in snapshots])
    april = mi[(mi["as_at"] == pd.Timestamp("2013-04-30")) & (mi["la_code"] == "855")]
    below = april[april["overall"].isin([3, 4])]
    pd.DataFrame({"urn": below["urn"], "school_name": below["school_name"], "tier": "targeted",
                  "support_type": "EQA monitoring", "provider": "Education Quality team", "start_date": "2013-04-30",
                  "end_date": "", "funding_source": "SCC", "cost": "500.00", "reason": "below good",
                  "status": "ongoing"}).to_csv(tmp_path / "register.csv", index=False)
    category = mi[(mi["la_code"] == "855") & mi["category"].fillna("").ne("")]
    first = category.sort_values("as_at").drop_duplicates("urn")
    pd.DataFrame({"urn": first["urn"], "school_name": first["school_name"], "category": "Special measures",
                  "reason": "Ofsted category", "date_entered": first["inspection_date"].dt.date.astype(str),
                  "date_exited": "", "exit_reason": ""}).to_csv(tmp_path / "log.csv", index=False)
    # the sample's KS2 and KS4 files relabelled as Leicestershire's 2014 (no such school file is published here)
    for stage in ("ks2", "ks4"):
        text = (SAMPLE_DIR / "performance" / f"2016-08-31_{stage}final.csv").read_text(encoding="utf-8-sig")
        (tmp_path / f"2014-08-31_{stage}final.csv").write_text(re.sub(r"^(\d),050,", r"\1,855,", text, flags=re.M))
    data = {"lait": str(real / "lait" / "bds_long_0.parquet"),
            "lait_dictionary": str(real / "lait" / "lait_data_dictionary.csv"),
            "neighbours": str(real / "lait" / "sn_may_2025.xlsx"), "establishments": str(establishments),
            "establishment_links": str(real / "gias" / "2026-08-21" / "links_edubasealldata.csv"),
            "ofsted_mi": snapshots, "support_register": str(tmp_path / "register.csv"),
            "concerns_log": str(tmp_path / "log.csv"),
            "school_performance": [{"path": str(tmp_path / f"2014-08-31_{s}final.csv"), "as_at": "2014-08-31"}
                                   for s in ("ks2", "ks4")],
            "school_intelligence": "sample", "school_census": "sample", "school_absence": "sample"}
    path = write_params(tmp_path / "leics.yaml", period="2014-15-summer", la_code="855", as_at="2015-05-31",
                        previous_as_at="2014-12-31", sections=["inspections", "support", "concerns"], data=data)
    inputs = load_period(path)
    assert [p for p in inputs.validate() if not p.warning] == []  # every file reads
    found = section_lineages(inputs)
    del found["budget"]  # not in this pack
    assert_one_chain(found)
    lineage = found["inspections"]
    # Lutterworth High School 120244 converted to 137115 on 1 August 2011: one school on every page
    assert all(f["137115"] == f["120244"] == "120244" for f in found.values() if "137115" in f)
    # Heath Lane Academy 138327 (Heathfield High School 120241 converted, July 2012) took in The William Bradford
    # Academy 141129 (William Bradford Community College 120276 converted) in September 2016: after this
    # pack's date, and a merger, so the two schools stay two
    assert lineage["138327"] == "120241" and lineage["141129"] == lineage["120276"] == "120276"
    # the inspections page follows a school below good at the last report to its successor only along the chain
    followed = inspections.analyse(inputs).previous_below_good
    moved = followed[followed["how_followed"] == "successor"]
    assert all(lineage[a] == lineage[b] for a, b in zip(moved["urn"], moved["followed_to"], strict=True))
    # and the support page finds a supported school under a new URN only along it too
    result = support.analyse(inputs)
    new_urn = result.outcomes.loc[result.outcomes["followed"] == "new_urn", "lineage"]
    # 10: the 7 test_support finds through links in the Ofsted files alone, and the three academies it could not
    # find because Ofsted's May 2015 file does not list them yet, which the establishments list does; William
    # Bradford Community College, whose link is 'Other', is the one not followed
    assert support.analysis.following(result)["n_schools"].tolist() == [35, 10, 1]
    present = {lineage.get(u, u) for u in result.data.present}
    assert set(new_urn) <= present
    # every page tells each inspection as the pack's events table does: one record per school event, made with
    # the one lineage function, read by the inspections, support and concerns pages alike
    events = analyses.of(inputs, "events")
    assert_one_chain({**found, "events": dict(events.lineage)})
    told = events.inspections.assign(key=events.inspections["lineage"] + "|"
                                     + events.inspections["inspection_date"].dt.strftime("%Y-%m-%d"))
    told = told.drop_duplicates("key").set_index("key")
    schools = inspections.analyse(inputs).schools
    assert len(schools) > 20  # the inspections since December 2014 of Leicestershire's schools
    def same(a: object, b: object) -> bool:
        return bool(pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)

    for row in schools.to_dict("records"):
        event = told.loc[f"{lineage.get(row['urn'], row['urn'])}|{row['inspection_date']:%Y-%m-%d}"]
        assert all(same(row[a], event[b]) for a, b in (("grade_before", "previous_grade"), ("grade_now", "grade"),
                                                         ("change", "change"))), row
    judged = result.outcomes.dropna(subset=["date_after"])
    assert len(judged) > 10
    for row in judged.to_dict("records"):
        event = told.loc[f"{row['lineage']}|{row['date_after']:%Y-%m-%d}"]
        assert same(row["grade_after"], event["grade"]), row
        if row["outcome"] in ("improved", "same", "declined"):
            assert row["outcome"] == event["change"] and row["grade_before"] == event["previous_grade"], row
    in_log = concerns.analyse(inputs).schools.dropna(subset=["inspected_since"])
    for row in in_log.to_dict("records"):
        event = told.loc[f"{lineage.get(row['urn'], row['urn'])}|{row['inspected_since']:%Y-%m-%d}"]
        assert same(row["grade_since"], event["grade"]) and row["change_since"] == event["change"], row
