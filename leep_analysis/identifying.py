"""What in a committee pack's free text would name a school or a person: found against the package's own lists.

A committee pack is a public paper, and the LA's registers and narrative are typed by officers: a support
provider that is a school, a payee that is a person, a school's name, URN or postcode in a remark. Whether a
text names a school is decided against every establishment the pack's inputs hold (``Identifiers``: the
names, URNs, LAESTABs and postcodes of Get Information about Schools and Ofsted's files, and the schools of
the LA's own registers), never by a list of words such as "school" or "academy": "Brookvale Groby Learning
Campus" holds no such word and is an academy.

Names are compared as ``name_key`` spells them (``normalise.text_key``, apostrophes dropped, punctuation a
space, without "the"), each also without a closing "school" or "academy" ("Little Hill Primary" is "Little
Hill Primary School"); a name inside a longer text is found by looking each run of two or more of its words
up in that set. A URN is a 6-digit number in the set of URNs, a LAESTAB ``NNN/NNNN`` or ``NNNNNNN`` in the set
of LAESTABs, a postcode (the UK pattern) in the set of postcodes. A person is a title and a name ("Dr A.
Example", "Mrs J Smith") or, as a payee or provider, initials and a surname ("J. Smith").

``free_text`` lists what each input's free text says that it should not; ``checks.free_text_identifies``
refuses a committee pack on it (one line per text: file, row, column), or, where the params say
``committee: free_text: replace``, ``screen`` replaces each finding by a neutral phrase as the input is
loaded. ``payee_kind`` is the one rule for a provider or payee: a school, a person or an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .config import load_config
from .errors import Problem
from .normalise import text_key

if TYPE_CHECKING:
    from .inputs import Inputs

Kind = Literal["school", "person", "organisation", "other"]

_WORDS_SHOWN = load_config("disclosure")
#: The neutral phrase each finding is replaced by (``committee: free_text: replace``), and a provider or payee
#: shown in a committee pack: a school is never named, a person never (``config/disclosure.yaml``).
SCHOOL: str = _WORDS_SHOWN["school_in_text"]
PERSON: str = _WORDS_SHOWN["person_in_text"]
SCHOOL_PAYEE: str = _WORDS_SHOWN["school_payee"]
PERSON_PAYEE: str = _WORDS_SHOWN["person_payee"]
#: A provider or payee that is not recognisably an organisation (``payee_kind`` "other"): grouped, never named.
OTHER_PAYEE: str = _WORDS_SHOWN["other_payee"]
OTHER_PROVIDER: str = _WORDS_SHOWN["other_provider"]
#: each neutral phrase a provider or payee is shown as, and the kind it stands for
_GROUPS: dict[str, Kind] = {SCHOOL_PAYEE: "school", PERSON_PAYEE: "person", OTHER_PAYEE: "other",
                            OTHER_PROVIDER: "other"}

#: Each input's free text: column -> "text" (a remark: names, numbers and dates in it are looked for) or "party"
#: (a provider or payee: a school is shown as schools, a person refused). The narrative is all text.
FREE_TEXT: dict[str, dict[str, str]] = {
    "support_register": {"provider": "party", "reason": "text"},
    "budget_ledger": {"payee": "party", "description": "text"},
    "concerns_log": {"reason": "text"},
    "school_intelligence": {"notes": "text"},
}
#: Inputs whose every row is about one school: a date to the day in their text dates a school's event.
_ABOUT_A_SCHOOL = {"support_register", "concerns_log", "school_intelligence"}

_WORDS = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['’`]")
#: a closing word a school's name is also written without ("Little Hill Primary" for "... Primary School")
_SUFFIXES = ("school", "academy")
_URN = re.compile(r"(?<![\d/.,£])\d{6}(?![\d/]|[.,]\d)")
_LAESTAB = re.compile(r"(?<![\d/.,£])(\d{3})/?(\d{4})(?![\d/]|[.,]\d)")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_TITLES = "(?:" + "|".join(re.escape(t) for t in _WORDS_SHOWN["titles"]) + ")"
_TITLED = re.compile(rf"\b{_TITLES}\.? +(?:[A-Z]\.? *){{0,3}}[A-Z][A-Za-z'’-]+")
#: a payee or provider that is initials and a surname and nothing more ("J. Smith", "A.B. Jones, consultant")
_INITIALS = re.compile(r"^\s*(?:[A-Z]\. *|[A-Z] (?=[A-Z]))(?:[A-Z]\.? *){0,2}[A-Z][a-z'’-]+\b(?=\s*(?:$|[,(]))")
_NAME = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
#: initials with full stops and a surname, anywhere in a text ("J. Smith", "A.B. Jones")
_DOTTED = re.compile(rf"(?<![\w.])(?:[A-Z]\. ?){{1,3}}{_NAME}\b")
#: a surname and initials before a bracket or a comma ("Smith J (NLE)", "Jones A.B., consultant")
_SURNAME_FIRST = re.compile(rf"\b{_NAME},? (?:[A-Z]\.?){{1,3}}(?=\s*(?:$|[(,]))")
#: a whole provider or payee that is "Surname, Forename" ("Smith, Jane")
_SURNAME_COMMA = re.compile(rf"^\s*{_NAME}, {_NAME}\s*$")
#: an email address
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_ROLES = "(?:" + "|".join(re.escape(r).replace("\\ ", r"\s+")
                          for r in sorted(_WORDS_SHOWN["role_words"], key=len, reverse=True)) + ")"
#: a role word and then a capitalised name ("headteacher Jane Smith"), and a name and then its role after a comma
#: or a bracket ("Jane Smith, National Leader of Education", "J. Smith (head)")
_ROLE_THEN_NAME = re.compile(rf"(?i:\b{_ROLES})[:,]?\s+((?:{_NAME}\s+)?{_NAME})\b")
_NAME_THEN_ROLE = re.compile(rf"\b((?:{_NAME}|[A-Z]\.)(?:\s+(?:{_NAME}|[A-Z]\.?))+)\s*(?:,\s*|\()"
                             rf"(?:the\s+|a\s+|an\s+)?(?i:{_ROLES})\b\)?")
_NOT_NAMES = frozenset(w.lower() for w in _WORDS_SHOWN["not_names"])
_ORGANISATION = re.compile(r"(?i:\b(?:" + "|".join(re.escape(w) for w in _WORDS_SHOWN["organisation_words"]) + r")\b)")
_FORENAME = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in _WORDS_SHOWN["forenames"]) + rf")\s+{_NAME}\b")
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTHS},? \d{{4}}\b|\b{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b"
                  r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.IGNORECASE)
#: one school spoken of in a sentence ("the school", "this academy"): a date to the day beside it dates its event
_ONE_SCHOOL = re.compile(r"\b(?:the|this|that|a|one|its|their)\s+(?:\w+\s+)?(?:school|academy)\b(?!s)", re.IGNORECASE)
#: a sentence ends at a full stop, except one after an initial ("Dr A. Example left on ...")
_SENTENCES = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+|\n\s*\n|\n\s*[-*] ")


def name_key(value: object) -> str:
    """A school's name as compared: ``text_key``, apostrophes dropped, punctuation a space, without "the".

    ``The St Mary's C.E. (Aided) School`` -> ``st marys c e aided school``.
    """
    words = _WORDS.sub(" ", _APOSTROPHES.sub("", text_key(value))).split()
    return " ".join(w for w in words if w != "the")


def _variants(key: str) -> Iterator[str]:
    """The name's key, and the key without each closing "school" or "academy" it has."""
    yield key
    words = key.split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
        yield " ".join(words)


@dataclass(frozen=True)
class Identifiers:
    """Every establishment the pack's inputs hold, as text is compared with it.

    ``names``: ``name_key`` of each name and its variants of two words or more (looked for inside a text);
    ``whole``: every variant, of one word too (a provider or payee that is the name and nothing more);
    ``urns``, ``laestabs`` (7 digits) and ``postcodes`` (upper case, no space); ``longest``: the most words a name has.
    """

    names: frozenset[str]
    whole: frozenset[str]
    urns: frozenset[str]
    laestabs: frozenset[str]
    postcodes: frozenset[str]
    longest: int
    #: email addresses that are public (the params' officers to contact), lower case
    emails: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[object] = (), urns: Iterable[object] = (), laestabs: Iterable[object] = (),
           postcodes: Iterable[object] = (), emails: Iterable[str] = ()) -> Identifiers:
        """The identifiers of these names, URNs, LAESTABs and postcodes (missing values left out); ``emails`` are
        the addresses free text may give (the officers to contact)."""
        keys = {name_key(n) for n in pd.unique(pd.Series(list(names), dtype="string").dropna())}
        whole = {v for k in keys if k for v in _variants(k)}
        inside = {v for v in whole if " " in v}
        return cls(frozenset(inside), frozenset(whole),
                   frozenset(str(u).strip() for u in urns if _given(u)),
                   frozenset(re.sub(r"\D", "", str(e)) for e in laestabs if _given(e)),
                   frozenset(re.sub(r"\s", "", str(p)).upper() for p in postcodes if _given(p)),
                   max((len(k.split()) for k in inside), default=0),
                   frozenset(e.strip().lower() for e in emails if e))


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA \
        and str(value).strip() != ""


#: inputs whose rows are establishments: their name, URN, LAESTAB and postcode columns
_LISTS = ("establishments", "ofsted_mi", "support_register", "concerns_log", "school_intelligence",
          "school_performance")


def identifiers(inputs: Inputs) -> Identifiers:
    """Every establishment in the inputs the pack uses: Get Information about Schools and Ofsted's files (every
    LA's schools: a provider may be a school elsewhere) and the LA's own registers. Worked out once per process."""
    needed = {spec.key for spec in inputs.needed()}

    def build() -> Identifiers:
        names: list[object] = []
        urns: list[object] = []
        laestabs: list[object] = []
        postcodes: list[object] = []
        for key in _LISTS:
            if key not in needed:
                continue
            frame = inputs.as_loaded(key)
            for column, into in (("school_name", names), ("urn", urns), ("laestab", laestabs),
                                 ("postcode", postcodes)):
                if column in frame:
                    into.extend(frame[column].dropna().astype(str).unique())
        return Identifiers.of(names, urns, laestabs, postcodes, officer_emails(inputs.params))

    return inputs.national(f"identifiers:{inputs.params.la_code}:{','.join(sorted(needed & set(_LISTS)))}", build)


def officer_emails(params: Any) -> list[str]:
    """The email addresses of a committee pack's officers to contact: public, and so never a finding."""
    meeting = getattr(params, "committee", None)
    return [o.email for o in meeting.officers if o.email] if meeting is not None else []


# ----------------------------------------------------------------------------------------------- finding
@dataclass(frozen=True)
class Finding:
    """One thing a text says that a committee pack may not: what it is (in words) and where in the text."""

    what: str
    start: int
    end: int
    replacement: str


def _names_in(text: str, found: Identifiers) -> Iterator[Finding]:
    """Each run of two or more words of ``text`` that is an establishment's name (longest first)."""
    spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\W_]+(?:['’`][^\W_]+)*", text)]
    keys = [name_key(word) for _, _, word in spans]
    taken = -1
    for i in range(len(spans)):
        if i <= taken:
            continue
        for n in range(min(found.longest, len(spans) - i), 1, -1):
            if " ".join(k for k in keys[i:i + n] if k) in found.names:
                yield Finding("an establishment's name", spans[i][0], spans[i + n - 1][1], SCHOOL)
                taken = i + n - 1
                break


def findings(text: object, found: Identifiers, *, about_a_school: bool = False, party: bool = False) -> list[Finding]:
    """What ``text`` says that a committee pack may not, in the order it says it.

    Parameters
    ----------
    text : a remark, a narrative's line, or (``party``) a provider or payee.
    about_a_school : the text is in a row about one school, so any date to the day in it dates that school's event.
    party : a provider or payee: the whole text being a school's name (of one word too) or a person's
        initials and surname counts.
    """
    if not _given(text):
        return []
    text = str(text)
    out = list(_names_in(text, found))
    if party and not out and name_key(text) in found.whole:
        out.append(Finding("an establishment's name", 0, len(text), SCHOOL))
    out += [Finding("a URN", m.start(), m.end(), SCHOOL) for m in _URN.finditer(text) if m.group() in found.urns]
    out += [Finding("a LAESTAB", m.start(), m.end(), SCHOOL) for m in _LAESTAB.finditer(text)
            if m.group(1) + m.group(2) in found.laestabs]
    out += [Finding("a school's postcode", m.start(), m.end(), SCHOOL) for m in _POSTCODE.finditer(text)
            if (m.group(1) + m.group(2)).upper() in found.postcodes]
    schools = [(f.start, f.end) for f in out]
    out += _people_in(text, found, party=party)
    out += [Finding("a date to the day beside a school", s, e, _month(text[s:e]))
            for s, e in _dates_beside_a_school(text, about_a_school, schools)]
    return sorted(_apart(out), key=lambda f: f.start)


def _people_in(text: str, found: Identifiers, *, party: bool) -> list[Finding]:
    """A person in ``text``: a title and a name, initials and a surname, an email address (not an officer's to
    contact), a role word beside a capitalised name; as a provider or payee also "Surname, Forename", a surname
    before initials and a common forename before a capitalised word ("Jane Smith Education Ltd")."""
    def person(start: int, end: int) -> Finding:
        return Finding("a person's name", start, end, PERSON)

    out = [person(m.start(), m.end()) for m in _TITLED.finditer(text)]
    out += [person(m.start(), m.end()) for m in _DOTTED.finditer(text)]
    out += [Finding("an email address", m.start(), m.end(), PERSON) for m in _EMAIL.finditer(text)
            if m.group().lower() not in found.emails]
    for pattern, whole in ((_ROLE_THEN_NAME, True), (_NAME_THEN_ROLE, False)):
        for m in pattern.finditer(text):
            words = {w.lower().rstrip(".") for w in re.split(r"\s+", m.group(1))}
            if words & _NOT_NAMES or any(_ORGANISATION.fullmatch(w) for w in m.group(1).split()):
                continue
            # "headteacher Jane Smith" is the person; in "Jane Smith (head)" the name is, the role stays
            out.append(person(m.start(), m.end()) if whole else person(m.start(1), m.end(1)))
    out += [person(m.start(), m.end()) for m in _SURNAME_FIRST.finditer(text)
            if party or text[m.end():].lstrip().startswith("(")]
    if party:
        if (m := _INITIALS.match(text)) is not None:
            out.append(person(m.start(), m.end()))
        if (m := _SURNAME_COMMA.match(text)) is not None:
            out.append(person(m.start(), m.end()))
        out += [person(m.start(), m.end()) for m in _FORENAME.finditer(text)]
    return out


def _apart(found: list[Finding]) -> list[Finding]:
    """The findings, none overlapping: one inside another is dropped (the longer kept), two that overlap are one
    finding over both (the first's kind: "head Dr A. Example" is one person)."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
        elif f.end > kept[-1].end:
            last = kept[-1]
            kept[-1] = Finding(last.what, last.start, f.end, last.replacement)
    return kept


def _dates_beside_a_school(text: str, about_a_school: bool,
                           schools: Iterable[tuple[int, int]] = ()) -> Iterator[tuple[int, int]]:
    """Each date to the day in a row about a school, or in a sentence that speaks of one school or names any
    (``schools``: where the text names one, by name, URN, LAESTAB or postcode; however many it names)."""
    spots = list(schools)
    start = 0
    for sentence in [*_SENTENCES.split(text)]:
        at = text.find(sentence, start)
        start = at + len(sentence)
        named = any(at <= s < at + len(sentence) for s, _ in spots)
        if not sentence or not (about_a_school or named or _ONE_SCHOOL.search(sentence)):
            continue
        for m in _DAY.finditer(sentence):
            yield at + m.start(), at + m.end()


def _month(text: str) -> str:
    """A date to the day as its month ("18 April 2012" -> "April 2012"); "a date" where it cannot be read."""
    try:
        iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
        when = pd.to_datetime(text.replace(",", ""), dayfirst=not iso)
    except (ValueError, OverflowError):
        return "a date"
    return "a date" if pd.isna(when) else when.strftime("%B %Y")


def replaced(text: object, found: Identifiers, **kind: bool) -> object:
    """``text`` with each finding replaced by its neutral phrase; a provider or payee that is a school or a
    person becomes ``SCHOOL_PAYEE`` or ``PERSON_PAYEE`` whole."""
    if kind.get("party"):
        what = payee_kind(text, None, found)
        return {"school": SCHOOL_PAYEE, "person": PERSON_PAYEE, "other": OTHER_PAYEE}.get(what, text)
    spots = findings(text, found, **kind)
    if not spots:
        return text
    out, at = [], 0
    for f in spots:
        out += [str(text)[at:f.start], f.replacement]
        at = f.end
    return "".join(out) + str(text)[at:]


def payee_kind(name: object, urn: object, found: Identifiers) -> Kind:
    """Whether a support provider or a payee is a school, a person or an organisation: the one rule.

    A school: it has a URN, or its name is (or holds) an establishment's name in ``found``. A person: a title
    and a name, initials and a surname, "Surname, Forename", a common forename and a surname, a role word beside
    a name (``_people_in``). An organisation: recognisably one, by a registered form or a body word
    (``organisation_words`` in ``config/disclosure.yaml``: Ltd, Trust, Council, ...), and no person in it.
    Anything else is "other": a committee pack groups it, unnamed (the rule of a council's transparency
    publishing: only what is recognisably an organisation is named).
    """
    if _given(urn):
        return "school"
    if str(name) in _GROUPS:  # a neutral phrase already (``committee: free_text: replace`` screens as it loads)
        return _GROUPS[str(name)]
    spots = findings(name, found, party=True)
    if any(f.replacement == SCHOOL for f in spots):
        return "school"
    if any(f.replacement == PERSON for f in spots):
        return "person"
    return "organisation" if _ORGANISATION.search(str(name)) else "other"


def shown_party(name: object, urn: object, found: Identifiers, *, committee: bool, missing: str,
                other: str = OTHER_PAYEE) -> str:
    """A provider or payee as a pack shows it: its name (internal), or in a committee pack ``SCHOOL_PAYEE`` for a
    school, ``PERSON_PAYEE`` for a person and ``other`` for what is not recognisably an organisation
    (``payee_kind``); ``missing`` where none is recorded."""
    if not _given(name):
        return SCHOOL_PAYEE if committee and _given(urn) else missing
    if not committee:
        return str(name)
    kind = payee_kind(name, urn, found)
    return {"school": SCHOOL_PAYEE, "person": PERSON_PAYEE, "other": other}.get(kind, str(name))


# ----------------------------------------------------------------------------------------------- inputs
def _header(frame: pd.DataFrame, column: str) -> str:
    """The file's own heading of a column, where its loader kept them."""
    return str(frame.attrs.get("headers", {}).get(column, column))


def problems(inputs: Inputs) -> list[Problem]:
    """Each free text of a committee pack's inputs that names a school or a person: one line each (file, row,
    column), the first thing found said. A provider or payee that is a school is not one (it is shown as
    schools); one that is a person is."""
    needed = {spec.key for spec in inputs.needed()}
    found = identifiers(inputs)
    out: list[Problem] = params_problems(inputs.params, inputs.params_file, found)
    for key, columns in FREE_TEXT.items():
        if key not in needed or not inputs.files(key):
            continue
        frame = inputs.get(key)
        source = str(inputs.files(key)[0].path)
        for column, kind in columns.items():
            if column not in frame:
                continue
            for row, text in zip(frame["row"], frame[column], strict=True):
                if kind == "party":
                    spots = [f for f in findings(text, found, party=True) if f.replacement == PERSON]
                    if spots and payee_kind(text, None, found) == "person":
                        out.append(_said(source, int(row), _header(frame, column), text, spots[0], kind))
                    continue
                spots = findings(text, found, about_a_school=key in _ABOUT_A_SCHOOL)
                if spots:
                    out.append(_said(source, int(row), _header(frame, column), text, spots[0], kind))
    if "narrative" in needed and inputs.files("narrative"):
        path = Path(inputs.files("narrative")[0].path)
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        lines: set[int] = set()
        for spot in findings(text, found):  # the whole file: a sentence may run over two lines
            number = text.count("\n", 0, spot.start) + 1
            if number not in lines:
                lines.add(number)
                out.append(_said(str(path), number, None, text, spot, "text"))
    return out


# ----------------------------------------------------------------------------------------------- params
#: The params' free text a committee pack shows (front sheet, report, pages, summary, workbook, manifest), by
#: its key in the params file; ``officers[].job_title`` for each officer (their names and emails are public:
#: the council report's "Officers to contact").
PARAMS_TEXT = ("title", "committee.council", "committee.committee", "committee.title", "committee.report_of",
               "committee.policy", "evaluation.secretary_of_state_note")


def params_texts(params: Any) -> Iterator[tuple[str, str]]:
    """Each free text of the params a committee pack shows: (key as the params file spells it, text)."""
    for key in PARAMS_TEXT:
        value: Any = params
        for part in key.split("."):
            value = getattr(value, part, None)
        if _given(value):
            yield key, str(value)
    meeting = getattr(params, "committee", None)
    for i, officer in enumerate(meeting.officers if meeting is not None else []):
        if _given(officer.job_title):
            yield f"committee.officers[{i}].job_title", str(officer.job_title)


def params_problems(params: Any, params_file: object, found: Identifiers) -> list[Problem]:
    """Each free text of a committee pack's params that names a school or a person: one line each, naming the
    params file and the key."""
    out = []
    for key, text in params_texts(params):
        spots = findings(text, found)
        if spots:
            spot = spots[0]
            out.append(Problem(str(params_file or "the params file"),
                               f"holds {spot.what} ('{text[spot.start:spot.end]}'), which a committee pack (a public "
                               "paper) may not show: remove it, or set committee: free_text: replace to show a "
                               "neutral phrase instead", key=key))
    return out


def screened_params(params: Any, found: Identifiers) -> Any:
    """The params with each finding in their free text (``params_texts``) replaced by its neutral phrase."""
    def update(model: Any, key: str, text: str) -> Any:
        head, _, rest = key.partition(".")
        if not rest:
            return model.model_copy(update={head: text})
        if head.startswith("officers["):
            i = int(head[len("officers["):-1])
            officers = list(model.officers)
            officers[i] = update(officers[i], rest, text)
            return model.model_copy(update={"officers": officers})
        return model.model_copy(update={head: update(getattr(model, head), rest, text)})

    out = params
    for key, text in params_texts(params):
        shown = replaced(text, found)
        if shown != text:
            out = update(out, key, str(shown))
    return out


def _said(source: str, row: int, column: str | None, text: object, spot: Finding, kind: str) -> Problem:
    shown = str(text)[spot.start:spot.end]
    what = "is a person" if kind == "party" else f"holds {spot.what} ('{shown}')"
    return Problem(source, f"{what}, which a committee pack (a public paper) may not show: remove it, or set "
                   "committee: free_text: replace in the params to show a neutral phrase instead",
                   row=row, column=column)


def screen(key: str, value: Any, found: Identifiers) -> Any:
    """A loaded input with each finding in its free text replaced (``committee: free_text: replace``)."""
    if key == "narrative" and isinstance(value, dict):
        return _screen_nested(value, found)
    columns = FREE_TEXT.get(key)
    if not columns or not isinstance(value, pd.DataFrame):
        return value
    out = value.copy()
    for column, kind in columns.items():
        if column in out:
            out[column] = pd.array([replaced(t, found, party=kind == "party",
                                             about_a_school=kind == "text" and key in _ABOUT_A_SCHOOL)
                                    if _given(t) else t for t in out[column]], dtype=out[column].dtype)
    return out


def _screen_nested(value: Any, found: Identifiers) -> Any:
    if isinstance(value, str):
        return replaced(value, found)
    if isinstance(value, dict):
        return {k: (v if k == "images" else _screen_nested(v, found)) for k, v in value.items()}
    if isinstance(value, list):
        return [_screen_nested(v, found) for v in value]
    return value
