"""Issue 28: what a reader of a committee pack (a public paper) could link to a school or a person, each shut.

Linkage: a school kept one label ("School DX") across the inspections, support, budget, concerns and
early-warning tables, and the inspections table gave each recently inspected school's phase, governance
and month (Ofsted's public file names it from them). Names through other doors: a provider or payee
that is a school but holds no word of a word list, a person as a payee, a school's name, URN or postcode
typed into the narrative. Charts: a point per school. Each test below fails on the code before the issue.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import exempt
from leep_analysis.config import PROJECT_DIR
from leep_analysis.inputs import Inputs, data_block
from leep_analysis.params import load_params
from leep_analysis.runner import run_pack
from leep_analysis.sample import copy_sample
from tests.conftest import real_committee_params, write_params
from tests.test_cli import leep
from tests.test_committee import pack_texts

SPRING = PROJECT_DIR / "params" / "2025-26-spring.yaml"
#: a pseudonymous label: "School A" .. "School DX" (never "School improvement", "Schools (not named)")
LABEL = re.compile(r"\bSchool [A-Z]{1,2}\b")
#: the tables of one row per school that an internal pack has and a committee pack must not
SCHOOL_TABLES = {"inspections__schools", "inspections__previous_below_good", "inspections__rise", "support__schools",
                 "budget__by_school", "concerns__schools", "concerns__exits", "concerns__risk_alerts"}


@pytest.mark.pack
def test_a_committee_pack_has_no_school_level_table_and_no_label(spring_pack):
    written = {p.stem for p in (spring_pack / "tables").glob("*.csv")}
    assert written & SCHOOL_TABLES == set()
    assert {"support__summary", "budget__by_tier", "concerns__categories"} <= written  # the counts stay
    dictionary = pd.read_csv(spring_pack / "data_dictionary.csv", dtype=str)
    assert not dictionary["column"].isin(["school_name", "urn", "laestab", "postcode"]).any()
    texts = pack_texts(spring_pack)
    assert {name for name, text in texts.items() if LABEL.search(text)} == set()
    # the early-warning chart drew a point per open school (its alt text: "a point for each school"): gone
    assert not [name for name, text in texts.items() if "point for each school" in text]
    from openpyxl import load_workbook

    sheets = set(load_workbook(spring_pack / "tables.xlsx", read_only=True).sheetnames)
    assert "support_summary" in sheets and sheets & {t.replace("__", "_") for t in SCHOOL_TABLES} == set()


@pytest.mark.pack
def test_a_person_or_a_school_as_payee_is_never_named(spring_pack):
    payees = pd.read_csv(spring_pack / "tables" / "budget__by_payee.csv", dtype=str)
    assert not payees["payee"].str.contains("Example|Primary|Academy|School ", regex=True).any()
    this_year = payees[(payees["fund"] == "LEEP") & (payees["financial_year"] == "2025-26")].set_index("payee")
    # the sample's speaker, Dr A. Example, was paid twice by 31 March 2026 in 2025-26 (£2,220 and £3,930): one
    # person, fewer than 5 payees, so merged into the other payees' row, whose figures are withheld
    assert "Individuals (not named)" not in payees["payee"].tolist()
    assert this_year.loc["Other payees (not named)", ["transactions", "spent", "committed"]].tolist() == ["c"] * 3
    assert (payees.loc[payees["payee"] == "Other payees (not named)", ["transactions", "spent"]] == "c").all().all()
    # last, with its complement (the smallest other row: the fund's spent less the rows shown would give a lone
    # one), as their places among the rows would bound them
    assert "Other payees (not named)" in this_year.index[-2:]
    assert (this_year.iloc[-2:][["transactions", "spent", "committed"]] == "c").all().all()
    assert (this_year.iloc[:-2][["transactions", "spent"]] != "c").all().all()
    texts = pack_texts(spring_pack)
    assert [name for name, text in texts.items() if "A. Example" in text] == []
    providers = pd.read_csv(spring_pack / "tables" / "support__summary.csv", dtype=str)
    shown = set(providers.loc[providers["group_by"] == "provider", "group"])
    assert "Schools (not named)" in shown and not {p for p in shown if "Primary" in p or "Academy" in p}


@pytest.mark.pack
def test_the_exempt_appendix_is_beside_the_pack_marked_and_never_in_it(spring_pack):
    folder = spring_pack.parent / exempt.folder_name(spring_pack.name)
    assert sorted(p.name for p in folder.iterdir()) == ["exempt.html", "exempt.pdf"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # its owner's only, unlike the shared pack
    page = (folder / "exempt.html").read_text(encoding="utf-8")
    assert page.count("NOT FOR PUBLICATION") == 3  # title, top and foot
    assert "Schedule 12A to the Local Government Act 1972, paragraph 3" in page
    assert "Schedule 12A to the Local Government Act 1972, paragraphs 1, 2 and 3" in page
    register = Inputs(load_params(SPRING)[0]).get("support_register")
    assert register["school_name"].iloc[0] in page  # councillors see the schools themselves
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(folder / "exempt.pdf").pages]
    assert len(pages) > 5 and all("NOT FOR PUBLICATION" in p for p in pages)
    # the public pack: no file of it, no link to it, and the manifest says only that one was produced
    texts = pack_texts(spring_pack)
    assert [n for n, t in texts.items() if "exempt.html" in t or "exempt.pdf" in t or folder.name in t] == []
    manifest = json.loads((spring_pack / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["exempt_appendix"] == exempt.MANIFEST_NOTE


@pytest.mark.pack
def test_a_pack_rebuilt_without_its_exempt_appendix_leaves_none_of_the_earlier_one(spring_pack, tmp_path):
    """Before, the earlier build's appendix stayed beside the new pack, a confidential paper matching no public one."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(spring_pack.parent / exempt.folder_name(spring_pack.name),
                    out / exempt.folder_name(spring_pack.name))
    text = SPRING.read_text(encoding="utf-8").replace("exempt_appendix: true", "exempt_appendix: false")
    params = tmp_path / "params" / SPRING.name
    params.parent.mkdir()
    params.write_text(text, encoding="utf-8")
    pack = run_pack(params, out, progress=False).parent
    assert sorted(p.name for p in out.iterdir()) == [pack.name]


@pytest.mark.pack
def test_the_exempt_appendix_is_its_owners_only_and_lists_every_school_itself(spring_pack):
    """Issue 28: the appendix's files were 0644 inside its 0700 folder, and its early-warning table said "The 65
    schools ... are in the spreadsheet of tables published with this report": false (a committee pack's
    spreadsheet has no school) and pointing a councillor at the public workbook."""
    folder = spring_pack.parent / exempt.folder_name(spring_pack.name)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {"exempt.html": 0o600,
                                                                                 "exempt.pdf": 0o600}
    page = (folder / "exempt.html").read_text(encoding="utf-8")
    assert "published with this report" not in page and "in the spreadsheet of tables" not in page
    assert exempt.ALL_ALERTS_NOTE in page
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(folder / "exempt.pdf").pages)
    assert "published with this report" not in text


@pytest.mark.pack
def test_an_la_registers_latest_entry_is_given_to_the_month(spring_pack):
    """Issue 28: the sources table and the manifest gave "latest entry 16 January 2026" for the concerns log (the
    day a school entered a category), and the day of the support register's, intelligence's and ledger's."""
    manifest = json.loads((spring_pack / "manifest.json").read_text(encoding="utf-8"))
    latest = {r["key"]: r["latest_data"] for r in manifest["freshness"]}
    assert {k: latest[k] for k in ("concerns_log", "school_intelligence", "support_register", "budget_ledger")} == {
        "concerns_log": "latest entry January 2026", "school_intelligence": "latest entry December 2025",
        "support_register": "latest entry September 2025", "budget_ledger": "latest entry March 2026"}
    index = (spring_pack / "index.html").read_text(encoding="utf-8")
    assert "latest entry January 2026" in index and "16 January 2026" not in index
    assert not re.search(r"latest entry \d", json.dumps(manifest) + index)


#: free text an officer might type into the params, naming the sample's school (its name and URN, from Get
#: Information about Schools: filled in by ``_params_naming_a_school``), a date beside it and its head
_PARAMS_TEXT = "{name} (URN {urn}), on the LA's at-risk list since 17 August 2024, whose head Dr A. Example left " \
    "on 3 March 2026"


def _params_naming_a_school(tmp_path: Path, free_text: str) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "inputs"
    copy_sample(folder)
    gias = pd.read_csv(folder / "gias_establishments.csv", dtype=str, encoding="cp1252")
    school = gias[gias["LA (code)"] == "050"].iloc[5]
    said = {"name": school["EstablishmentName"], "urn": school["URN"]}
    text = _PARAMS_TEXT.format(**said)
    params = write_params(
        tmp_path / "period.yaml", period="2025-26-spring", la_code="050", audience="committee", as_at="2026-03-31",
        previous_as_at="2025-12-31", sections=["summary"], data=data_block(folder),
        evaluation={"secretary_of_state_concerns": False, "secretary_of_state_note": text},
        committee={"free_text": free_text, "title": text, "policy": text,
                   "officers": [{"name": "Alex Example", "job_title": f"Adviser to {said['name']}",
                                 "email": "alex.example@council.example"}]})
    return params, said


def _refused(params: Path, out: Path) -> str:
    """``leep run`` refusing a committee pack: exit 2, one line, no traceback; the line."""
    result = leep("run", str(params), "--out", str(out), "--no-progress")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    return result.stderr


def test_params_free_text_naming_a_school_is_refused_in_one_line(tmp_path):
    params, said = _params_naming_a_school(tmp_path, "refuse")
    assert _refused(params, tmp_path / "out").startswith(
        f"leep: error: {params}, key 'committee.title': holds an establishment's name ('{said['name']}'), which a "
        "committee pack (a public paper) may not show")
    from leep_analysis import checks

    problems = [str(p) for p in checks.free_text_identifies(Inputs(load_params(params)[0], params_file=params))]
    keys = [p.split(", key '")[1].split("'")[0] for p in problems if p.startswith(f"{params}, key ")]
    assert keys == ["committee.title", "committee.policy", "evaluation.secretary_of_state_note",
                    "committee.officers[0].job_title"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written


@pytest.mark.pack
def test_params_free_text_is_replaced_where_the_params_say(tmp_path):
    params, said = _params_naming_a_school(tmp_path, "replace")
    pack = run_pack(params, tmp_path / "out", progress=False).parent
    texts = pack_texts(pack)
    for what in (said["name"], said["urn"], "A. Example", "17 August 2024", "3 March 2026"):
        assert [name for name, text in texts.items() if what in text] == [], what
    shown = ("a school (not named) (URN a school (not named)), on the LA's at-risk list since August 2024, whose "
             "a person (not named) left on March 2026")
    manifest = json.loads(texts[str(pack / "manifest.json")])
    assert manifest["params"]["committee"]["title"] == shown
    assert manifest["params"]["evaluation"]["secretary_of_state_note"] == shown
    assert manifest["params"]["committee"]["officers"][0] == {
        "name": "Alex Example", "job_title": "Adviser to a school (not named)", "telephone": None,
        "email": "alex.example@council.example"}  # the officer's own name and email are public


def _committee_params(tmp_path: Path, folder: Path, **meeting) -> Path:
    return write_params(tmp_path / "period.yaml", period="2025-26-spring", la_code="050", audience="committee",
                        as_at="2026-03-31", previous_as_at="2025-12-31", sections=["summary"],
                        data=data_block(folder), committee=meeting)


def _narrative_naming_a_school(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the sample whose narrative names a school of the sample by name, URN and postcode, and its head."""
    folder = tmp_path / "inputs"
    copy_sample(folder)
    gias = pd.read_csv(folder / "gias_establishments.csv", dtype=str, encoding="cp1252")
    school = gias[gias["LA (code)"] == "050"].iloc[5]
    said = {"name": school["EstablishmentName"], "urn": school["URN"], "postcode": school["Postcode"]}
    register = pd.read_csv(folder / "support_register.csv", dtype=str, keep_default_na=False)
    # the sample register's remarks date inspections to the day ("at inspection on 9 June 2021"): to the month here
    register["reason"] = register["reason"].str.replace(r" on \d{1,2} (\w+ \d{4})", r" in \1", regex=True)
    register.to_csv(folder / "support_register.csv", index=False)
    narrative = folder / "narrative.md"
    text = narrative.read_text(encoding="utf-8").replace(
        "## Key enablers\n",
        f"## Key enablers\n\n- {said['name']} (URN {said['urn']}, {said['postcode']}) turned round under "
        "Mrs J Smith, its head.\n", 1)
    narrative.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(s for s in text.splitlines() if said["name"] in s)) + 1
    return folder, {**said, "line": str(line)}


def test_a_narrative_naming_a_school_is_refused_in_one_line(tmp_path):
    folder, said = _narrative_naming_a_school(tmp_path)
    params = _committee_params(tmp_path, folder)
    assert _refused(params, tmp_path / "out").startswith(
        f"leep: error: {folder / 'narrative.md'}, row {said['line']}: holds an establishment's name "
        f"('{said['name']}'), which a committee pack (a public paper) may not show")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written


def test_a_payee_who_is_a_person_is_refused_naming_file_row_and_column(tmp_path):
    folder = tmp_path / "inputs"
    copy_sample(folder)
    params = write_params(tmp_path / "period.yaml", period="2025-26-spring", la_code="050", audience="committee",
                          as_at="2026-03-31", previous_as_at="2025-12-31", sections=["budget"],
                          data={"budgets": str(folder / "budgets.csv"), "budget_ledger": str(folder / "budget_ledger.csv"),
                                "support_register": str(folder / "support_register.csv")})
    from leep_analysis import checks

    problems = [str(p) for p in checks.free_text_identifies(Inputs(load_params(params)[0]))]
    ledger = folder / "budget_ledger.csv"
    # the sample ledger's first row paying Dr A. Example is its line 23; its descriptions name schools
    assert f"{ledger}, row 23, column 'payee': is a person, which a committee pack (a public paper) may not show: " \
           "remove it, or set committee: free_text: replace in the params to show a neutral phrase instead" in problems
    assert f"{ledger}, row 3, column 'description': holds an establishment's name ('Bramble Mead Primary School'), " \
           "which a committee pack (a public paper) may not show: remove it, or set committee: free_text: replace " \
           "in the params to show a neutral phrase instead" in problems
    assert not [p for p in problems if "column 'payee': is a person" in p and "row 23" not in p
                and "row 174" not in p and "row 392" not in p and "row 620" not in p and "row 764" not in p]


@pytest.mark.pack
def test_a_narrative_naming_a_school_is_replaced_where_the_params_say(tmp_path):
    folder, said = _narrative_naming_a_school(tmp_path)
    pack = run_pack(_committee_params(tmp_path, folder, free_text="replace"), tmp_path / "out", progress=False).parent
    texts = pack_texts(pack)
    for what in (said["name"], said["urn"], said["postcode"], "J Smith"):
        assert [name for name, text in texts.items() if what in text] == [], what
    page = re.sub(r"<[^>]+>", "", texts[str(pack / "summary.html")])
    assert ("a school (not named) (URN a school (not named), a school (not named)) turned round under a person "
            "(not named), its head.") in page
    assert not (tmp_path / "out" / exempt.folder_name(pack.name)).exists()  # not asked for: not made


# ----------------------------------------------------------------------------------------- a real small LA
def _rutland(real: Path, tmp_path: Path) -> Path:
    return real_committee_params(real, tmp_path / "period.yaml", "857")


@pytest.mark.pack
@pytest.mark.real_data
def test_a_real_committee_pack_for_rutland_lists_no_inspected_school(real, tmp_path):
    """Rutland (857) as at 31 May 2015: before, three schools inspected since the last report's file were listed
    with phase, governance and month (primary academy February, primary maintained April, primary academy March
    2015), each matching exactly one school in Ofsted's public file of that date."""
    params = _rutland(real, tmp_path)
    inputs = Inputs(load_params(params)[0])
    mi = inputs.get("ofsted_mi")
    latest = mi[(mi["la_code"] == "857") & (mi["as_at"] == pd.Timestamp("2015-05-31"))]
    since = latest[latest["inspection_date"] > pd.Timestamp("2014-12-31")]
    months = sorted(since["inspection_date"].dt.strftime("%Y-%m"))
    assert months == ["2015-02", "2015-03", "2015-04"] and set(since["phase"].str.lower()) == {"primary"}
    pack = run_pack(params, tmp_path / "out", progress=False).parent
    written = {p.stem for p in (pack / "tables").glob("*.csv")}
    assert written & SCHOOL_TABLES == set()
    # no row of any table, on any page, in the CSVs or the workbook, gives one of those months
    for path in (pack / "tables").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for month in months:
            assert not frame.apply(lambda c, m=month: c.str.startswith(m, na=False)).any().any(), (path.name, month)
    page = (pack / "inspections.html").read_text(encoding="utf-8")
    rows = [re.sub(r"<[^>]+>", "|", r) for r in re.findall(r"<tr>.*?</tr>", page, flags=re.S)]
    assert rows and not [r for r in rows if re.search(r"\b(?:Feb|Mar|Apr) 2015\b", r)]
    page = re.sub(r"<[^>]+>", " ", page)
    # how many: Ofsted's public count (docs/disclosure.md, rule 3); which: never
    assert "3 inspections of Rutland's schools were dated after 31 December 2014" in page
    texts = pack_texts(pack)
    assert {name for name, text in texts.items() if LABEL.search(text)} == set()
    for name in since["school_name"]:
        assert [f for f, t in texts.items() if name in t] == [], name


def test_the_internal_pack_keeps_its_school_tables(tmp_path):
    """The views an internal pack shows are unchanged: the support register's schools, named."""
    from leep_analysis.params import PeriodParams
    from leep_analysis.sections import support

    params = PeriodParams(period="2025-26-autumn", la_code="050", as_at="2025-12-31", sections=["support"])
    table = support.views.schools(support.analyse(Inputs(params)))
    register = Inputs(params).get("support_register")
    assert table is not None and set(table.frame["school_name"]) <= set(register["school_name"])
    assert len(table.frame) > 20 and "urn" in table.data


def test_params_default_to_refusing_free_text_and_no_appendix():
    meeting = load_params(PROJECT_DIR / "params" / "2025-26-spring.yaml")[0].committee
    assert meeting is not None and (meeting.free_text, meeting.exempt_appendix) == ("replace", True)
    from leep_analysis.params import CommitteeMeeting

    assert (CommitteeMeeting().free_text, CommitteeMeeting().exempt_appendix) == ("refuse", False)
    with pytest.raises(ValueError, match="free_text"):
        CommitteeMeeting(free_text="redact")

