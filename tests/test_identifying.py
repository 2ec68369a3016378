"""What in a committee pack's free text names a school or a person: found against the lists of schools, not words."""

from __future__ import annotations

import pandas as pd
import pytest

from leep_analysis import identifying
from leep_analysis.identifying import Identifiers, findings, name_key, payee_kind, replaced

#: Three real establishments as Get Information about Schools lists them (names, URN, LAESTAB, postcode).
KNOWN = Identifiers.of(
    names=["Brookvale Groby Learning Campus", "Little Hill Primary School", "The Hospital School",
           "St Mary's C.E. Primary School", "Oakwood"],
    urns=["137353", "139702"], laestabs=["8554012", "855/2139"], postcodes=["LE6 0FP", "le18 4ws"])


def test_name_key_reads_a_name_as_compared():
    assert name_key("The St Mary's C.E. (Aided) School") == "st marys c e aided school"
    assert name_key("LITTLE  HILL primary-school") == "little hill primary school"


def test_names_are_found_inside_longer_text_and_without_their_closing_school_or_academy():
    text = "Support from Little Hill Primary and from Brookvale Groby Learning Campus staff."
    found = findings(text, KNOWN)
    assert [(f.what, text[f.start:f.end]) for f in found] == [
        ("an establishment's name", "Little Hill Primary"),
        ("an establishment's name", "Brookvale Groby Learning Campus")]
    # punctuation and apostrophes are read as the name's key reads them
    assert [f.what for f in findings("visited St Marys C E Primary last term", KNOWN)] == ["an establishment's name"]
    # a one-word name ("Oakwood") is never looked for inside a text (any place name would match), only whole
    assert findings("the Oakwood estate", KNOWN) == []
    assert payee_kind("Oakwood", None, KNOWN) == "school"
    # a generic phrase is not a name unless a school has it: "the hospital school" is one here
    assert [f.what for f in findings("pupils at the hospital school", KNOWN)] == ["an establishment's name"]
    assert findings("pupils at the hospital", KNOWN) == []


def test_urns_laestabs_and_postcodes_are_looked_up_not_guessed():
    text = "URN 137353, LAESTAB 855/4012 and 8552139, postcode le6 0fp; not 123456, 855/9999 or LE1 1AA; £137353.00"
    found = [(f.what, text[f.start:f.end]) for f in findings(text, KNOWN)]
    assert found == [("a URN", "137353"), ("a LAESTAB", "855/4012"), ("a LAESTAB", "8552139"),
                     ("a school's postcode", "le6 0fp")]


@pytest.mark.parametrize(("payee", "kind"), [
    ("Dr A. Example, education speaker (synthetic)", "person"),
    ("Mrs J Smith", "person"),
    ("J. Smith", "person"),
    ("A.B. Jones", "person"),
    ("Professor Ann Jones", "person"),
    ("Brookvale Groby Learning Campus", "school"),
    ("Little Hill Primary", "school"),
    ("Little Hill Primary School Academy Trust", "school"),
    ("School Improvement Services Ltd", "organisation"),  # a word list took this for a school
    ("Kestrel Education Consultancy", "organisation"),
    ("DfE", "organisation"),
    ("JMC Training Ltd", "organisation"),
    ("A Star Tuition Ltd", "organisation"),  # initials and a word, but more after it: not a person's name
])
def test_a_payee_or_provider_is_a_school_a_person_or_an_organisation(payee, kind):
    assert payee_kind(payee, None, KNOWN) == kind


def test_a_payee_with_a_urn_is_a_school():
    assert payee_kind("Anything at all", "100001", KNOWN) == "school"


def test_a_date_to_the_day_is_found_beside_one_school_only():
    remark = "Requires improvement at inspection on 9 June 2021"
    assert findings(remark, KNOWN) == []  # a narrative's sentence about no school: a date is just a date
    assert [f.replacement for f in findings(remark, KNOWN, about_a_school=True)] == ["June 2021"]
    narrative = "The partnership met on 3 March 2026. The school was visited on 2026-03-12 by the adviser."
    assert [(narrative[f.start:f.end], f.replacement) for f in findings(narrative, KNOWN)] == [
        ("2026-03-12", "March 2026")]
    assert findings("Schools were visited on 12/03/2026.", KNOWN) == []  # many schools: no one school's date
    wrapped = "- The academy was\n  inspected on 12 March 2026.\n\n- Results rose on 1 June 2025."  # as markdown wraps
    assert [wrapped[f.start:f.end] for f in findings(wrapped, KNOWN)] == ["12 March 2026"]


def test_replace_gives_neutral_phrases():
    text = "Mrs Jones, head of Little Hill Primary (URN 139702, LE18 4WS), said the school closed on 4 May 2025."
    assert replaced(text, KNOWN) == ("a person (not named), head of a school (not named) (URN a school (not named), "
                                     "a school (not named)), said the school closed on May 2025.")
    assert replaced("Dr A. Example", KNOWN, party=True) == identifying.PERSON_PAYEE
    assert replaced("Little Hill Primary", KNOWN, party=True) == identifying.SCHOOL_PAYEE
    assert replaced("Kestrel Ltd", KNOWN, party=True) == "Kestrel Ltd"


def test_screen_replaces_only_free_text_columns():
    ledger = pd.DataFrame({"row": [2, 3], "payee": ["Dr A. Example", "Kestrel Ltd"],
                           "description": ["Support for Little Hill Primary School", "Training"],
                           "urn": ["139702", None]})
    out = identifying.screen("budget_ledger", ledger, KNOWN)
    assert out["payee"].tolist() == ["Individuals (not named)", "Kestrel Ltd"]
    assert out["description"].tolist() == ["Support for a school (not named)", "Training"]
    assert out["urn"].iloc[0] == "139702"  # a structured column is the analysis', never shown as it is
    narrative = {"introduction": "Little Hill Primary improved.", "priorities": {"short": "- Mr T Smith leads"},
                 "images": [{"name": "Little Hill Primary.png"}]}
    assert identifying.screen("narrative", narrative, KNOWN) == {
        "introduction": "a school (not named) improved.", "priorities": {"short": "- a person (not named) leads"},
        "images": [{"name": "Little Hill Primary.png"}]}


# ---------------------------------------------------------------------------------- people without a title
@pytest.mark.parametrize(("payee", "kind"), [
    ("Jane Smith", "person"),  # a common forename and a capitalised word
    ("Smith, Jane", "person"),
    ("Jane Smith Education Ltd", "person"),  # a sole trader: a forename and a surname beside "Ltd"
    ("Jane Smith, National Leader of Education", "person"),
    ("Smith J (NLE)", "person"),
    ("Rowan Tutoring", "other"),  # no registered form or body word: not recognisably an organisation, so grouped
    ("Curriculum Matters Training (synthetic)", "organisation"),
    ("Sampleshire County Council Business Support (synthetic)", "organisation"),
    ("Sampleshire Governor Development Service (synthetic)", "organisation"),  # a role word, but no name after
])
def test_a_payee_is_named_only_when_recognisably_an_organisation_holding_no_person(payee, kind):
    assert payee_kind(payee, None, KNOWN) == kind
    shown = identifying.shown_party(payee, None, KNOWN, committee=True, missing="-")
    assert shown == {"person": identifying.PERSON_PAYEE, "other": identifying.OTHER_PAYEE}.get(kind, payee)


def test_people_without_a_title_are_found_in_free_text():
    officers = Identifiers.of(names=["Little Hill Primary School"], emails=["alex.example@council.example"])
    cases = {
        "headteacher Jane Smith resigned on 14 January 2026": "a person (not named) resigned on 14 January 2026",
        "Concerns raised by J. Smith (head) in the spring": "Concerns raised by a person (not named) (head) in the "
                                                             "spring",
        "Write to jane.smith@rowancross.sch.uk or alex.example@council.example.":
            "Write to a person (not named) or alex.example@council.example.",
        "The report of A.B. Jones, adviser, was read.": "The report of a person (not named), adviser, was read.",
        "The Chair of Governors and Teacher Training Partnership met.":
            "The Chair of Governors and Teacher Training Partnership met.",  # a role, but no name beside it
    }
    assert {text: replaced(text, officers) for text in cases} == cases


def test_a_date_beside_any_named_school_is_found_however_many_are_named():
    text = "Little Hill Primary and Brookvale Groby Learning Campus were visited on 3 March 2026."
    assert [(text[f.start:f.end], f.replacement) for f in findings(text, KNOWN)][-1] == ("3 March 2026", "March 2026")
    # an initial's full stop does not end the sentence: the date is still beside the school
    text = "Little Hill Primary, whose head Dr A. Example left on 3 March 2026."
    assert replaced(text, KNOWN) == "a school (not named), whose a person (not named) left on March 2026."
