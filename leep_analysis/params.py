"""The period parameters file (``params/<period>.yaml``), validated at the boundary.

The pydantic model is the documented signature of every notebook: the runner
passes its fields, JSON-safe, as papermill parameters, and the notebooks'
``parameters`` cells declare exactly these names (a test keeps them in step).
Unknown keys are rejected, so a misspelt key is an error, never a report built
on defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from . import bidi, school_year
from .errors import InputError, Problem
from .registry import INPUTS, SECTION_IDS
from .school_year import PERIOD_PATTERN

#: The least suppression threshold of a committee pack: DfE's and Ofqual's statistics suppress
#: counts under 5 (and round to the nearest 5), so that a pupil or a school cannot be picked out.
COMMITTEE_THRESHOLD = 5
#: Academic years a period may start in: LAIT's series start in the 2000s; later years are a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_file_entry(value: Any) -> Any:
    """Allow ``- path.xlsx`` as shorthand for ``- {path: path.xlsx}``."""
    return {"path": value} if isinstance(value, str | Path) else value


class DatedFile(_Strict):
    """One file of a series, with the date its figures are as at."""

    path: Path
    as_at: dt.date | None = None


FileList = list[Annotated[DatedFile, BeforeValidator(_as_file_entry)]]


#: A ``data:`` value that asks, in so many words, for the embedded sample of that input in a pack
#: otherwise on the LA's files (shown on every page it affects).
SAMPLE = "sample"

OneFile = Literal["sample"] | Path
Series = Literal["sample"] | FileList


class _DataPaths(_Strict):
    """Input files. With no key at all the whole pack is on the embedded synthetic sample;
    once any key is named, every input of the chosen sections must be named (a path, or
    ``sample`` to take the sample for that input on purpose).

    Paths are relative to the params file (absolute paths also work). One key per input of
    the registry (``config/inputs.yaml``): a list of dated files for a ``dated`` input, a list of
    files for an ``optional`` one (which may be left out: then there are none).
    """

    def named(self) -> dict[str, Any]:
        """The keys the params file names (a path or ``sample``)."""
        return {key: value for key, value in self if value is not None}


DataPaths = create_model(
    "DataPaths", __base__=_DataPaths, __module__=__name__, __doc__=_DataPaths.__doc__,
    **{key: (Series | None if spec.dated or spec.optional else OneFile | None, None) for key, spec in INPUTS.items()},
)


class InspectionSettings(_Strict):
    """How inspection outcomes are counted (printed in the inspections section)."""

    good_equivalent: Literal["all_key_judgements", "quality_and_leadership"] = Field(
        "all_key_judgements",
        description="for inspections from September 2024 (no overall grade): all four key judgements "
        "good or better and safeguarding effective, or quality of education and leadership good or better",
    )
    not_inspected: Literal["carry_predecessor", "exclude"] = Field(
        "carry_predecessor",
        description="schools not yet inspected in their current form: carry the predecessor's grade "
        "(as Ofsted's official statistics do) or leave them out of the denominator",
    )


class SupportSettings(_Strict):
    """How the impact of support is judged."""

    min_group: int = Field(5, ge=2, description="fewer schools than this: 'too few schools to judge'")
    comparisons: int = Field(10, ge=1, description="comparison schools matched to each supported school: "
                             "the nearest this many of those that qualify")
    bootstrap: int = Field(2000, ge=100, le=100_000, description="bootstrap resamples for confidence intervals")
    seed: int = Field(20251231, description="random seed of the bootstrap, so reports reproduce")


class RagRule(_Strict):
    """One RAG rule: the rating when the comparison with national and the trend match."""

    rag: Literal["green", "amber", "red"]
    versus_national: list[Literal["better", "in_line", "worse"]]
    trend: list[Literal["improving", "stable", "declining", "unknown"]]


class EvaluationSettings(_Strict):
    """The LA's own entries for the summary evaluation (DfE indicators F and G), and RAG overrides."""

    complaints: int | None = Field(None, ge=0, le=1_000_000,
                                   description="F: qualifying complaints to Ofsted about schools this period")
    complaints_previous: int | None = Field(None, ge=0, le=1_000_000,
                                            description="F: the same count in the previous period")
    secretary_of_state_concerns: bool | None = Field(
        None, description="G: whether the Secretary of State is known to have concerns"
    )
    secretary_of_state_note: str | None = Field(None, description="G: evidence or comment")
    rag_rules: list[RagRule] | None = Field(
        None, description="RAG rules replacing those in config/evaluation.yaml, first match wins"
    )
    tolerances: dict[Literal["A", "B", "C", "D", "E"], float] = Field(
        default_factory=dict, description="how far from national still counts as in line, by indicator"
    )


class EarlyWarningSettings(_Strict):
    """Overrides of the early-warning rules in ``config/early_warning.yaml``."""

    weights: dict[str, float] = Field(default_factory=dict, description="alert name -> weight")


class Officer(_Strict):
    """An officer the committee report names under "Officers to contact"."""

    name: str = Field(description="the officer's name")
    job_title: str = Field(description="the officer's job title")
    telephone: str | None = Field(None, description="a telephone number, as the council writes it")
    email: str | None = Field(None, description="an email address")

    @field_validator("telephone", mode="before")
    @classmethod
    def _telephone_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()):
            raise ValueError(f"'{value}' is not an email address such as name@council.gov.uk")
        return None if value is None else value.strip()


class CommitteeMeeting(_Strict):
    """The meeting a committee pack's report goes to: its front sheet, the policy paragraphs and who to contact.

    Only a committee pack reads it (an internal pack has no report); a committee pack without it
    gets these defaults, and a front sheet without a date or an agenda item for the clerk to fill.
    """

    council: str | None = Field(None, description="the council's name on the front sheet, e.g. Leicestershire "
                                "County Council (default: the LA's name)")
    committee: str = Field("Children and Families Overview and Scrutiny Committee",
                           description="the committee the report goes to")
    meeting_date: dt.date | None = Field(None, description="the date of the meeting")
    agenda_item: str | None = Field(None, description="the report's item number on the agenda, e.g. 7")
    title: str | None = Field(None, description="the report's title (default: the pack's title)")
    report_of: str = Field("Director of Children and Family Services",
                           description="whose report it is: the front sheet says 'Report of the ...'")
    policy: str | None = Field(None, description="policy framework and previous decisions, in markdown, one "
                               "paragraph each (the narrative's heading of that name replaces it for a period)")
    officers: list[Officer] = Field(default_factory=list, description="officers to contact about the report")
    free_text: Literal["refuse", "replace"] = Field(
        "refuse", description="a school's name, URN, LAESTAB or postcode, a date to the day beside a school, or a "
        "person's name in the inputs' free text: refuse (the run stops, naming file, row and column) or replace "
        "(each by a neutral phrase)")
    exempt_appendix: bool = Field(
        False, description="also write the school-level tables as an exempt appendix, not for publication "
        "(Local Government Act 1972, Schedule 12A), in <la_code>-<period>-exempt beside the pack")

    @field_validator("agenda_item", mode="before")
    @classmethod
    def _item_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class PeriodParams(_Strict):
    """Everything one reporting period's pack depends on, besides the input files."""

    period: str = Field(description="reporting period id, YYYY-YY-(autumn|spring|summer)")
    la_code: str = Field(description="3-digit DfE code of the local authority reported on")
    audience: Literal["internal", "committee"] = Field(
        "internal", description="internal names schools; committee anonymises and suppresses"
    )
    as_at: dt.date = Field(description="date the report's figures are as at")
    previous_as_at: dt.date | None = Field(
        None, description="as-at date of the previous report (default: end of the term before)"
    )
    title: str | None = Field(None, description="pack title (default built from LA and period)")
    previous_pack: Path | None = Field(
        None, description="folder of the previous period's published pack (default: the period before, "
        "in the same output folder)"
    )
    data: Annotated[DataPaths, BeforeValidator(lambda v: {} if v is None else v)] = Field(
        default_factory=DataPaths, description="input files by key")
    sections: list[str] = Field(
        default_factory=lambda: list(SECTION_IDS), description="section ids to build, in order"
    )
    comparators: list[str] | None = Field(
        None, description="LA codes replacing the statistical neighbours as comparators"
    )
    suppression_threshold: int = Field(
        5, ge=1, description="counts below this are suppressed in committee mode"
    )
    inspections: InspectionSettings = Field(
        default_factory=InspectionSettings, description="inspection counting rules; empty means the defaults"
    )
    support: SupportSettings = Field(
        default_factory=SupportSettings, description="support impact settings; empty means the defaults"
    )
    evaluation: EvaluationSettings = Field(
        default_factory=EvaluationSettings, description="LA entries for indicators F and G; empty means none entered"
    )
    early_warning: EarlyWarningSettings = Field(
        default_factory=EarlyWarningSettings, description="early-warning weight overrides; empty means the defaults"
    )
    committee: CommitteeMeeting | None = Field(
        None, description="a committee pack's meeting, front sheet and officers (only for audience committee)"
    )

    @model_validator(mode="before")
    @classmethod
    def _meeting_of_a_committee_pack(cls, values: Any) -> Any:
        """A committee pack always has its meeting (the defaults where the file gives none), an internal pack none:
        so ``params.committee`` is set exactly when the pack is for the committee."""
        if not isinstance(values, dict):
            return values
        if values.get("audience") == "committee" and values.get("committee") is None:
            return {**values, "committee": {}}
        if values.get("audience", "internal") != "committee" and values.get("committee") is not None:
            raise ValueError("committee describes the meeting a committee pack's report goes to: set audience: "
                             "committee, or remove the committee block from this internal pack's params")
        return values

    @field_validator("period")
    @classmethod
    def _check_period(cls, value: str) -> str:
        match = PERIOD_PATTERN.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a period id such as 2025-26-autumn")
        start, end = int(match.group(1)), int(match.group(2))
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise ValueError(f"'{value}': the year {start} is outside {FIRST_YEAR} to {LAST_YEAR} (a typo?)")
        if (start + 1) % 100 != end:
            raise ValueError(f"'{value}': {end:02d} does not follow {start}")
        return value

    @field_validator("title")
    @classmethod
    def _check_title(cls, value: str | None) -> str | None:
        found = bidi.find(value) if value is not None else None
        if found is not None:
            raise ValueError(f"holds an invisible bidirectional control character ({found}), which can reverse how "
                             "the title reads on the cover; delete it")
        return value

    @field_validator("la_code", mode="before")
    @classmethod
    def _check_la_code(cls, value: Any) -> str:
        text = str(value).strip()
        if not re.fullmatch(r"\d{3}", text):
            raise ValueError(f"'{value}' is not a 3-digit DfE LA code such as '855'")
        return text

    @field_validator("comparators", mode="before")
    @classmethod
    def _check_comparators(cls, value: Any) -> Any:
        if value is None:
            return None
        codes = [str(v).strip() for v in value]
        bad = [c for c in codes if not re.fullmatch(r"\d{3}", c)]
        if bad:
            raise ValueError(f"not 3-digit LA codes: {', '.join(bad)}")
        return codes

    @field_validator("sections")
    @classmethod
    def _check_sections(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SECTION_IDS]
        if unknown:
            raise ValueError(
                f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTION_IDS)}"
            )
        if not value:
            raise ValueError("at least one section is needed")
        return [s for s in SECTION_IDS if s in value]

    @model_validator(mode="after")
    def _check_dates(self) -> PeriodParams:
        first, last = school_year.period_bounds(self.period)
        if not first <= self.as_at <= last:
            raise ValueError(
                f"as_at {self.as_at} is outside the academic year of {self.period} "
                f"({first} to {last})"
            )
        if self.previous_as_at is not None and self.previous_as_at >= self.as_at:
            raise ValueError(f"previous_as_at {self.previous_as_at} is not before as_at")
        if self.for_committee and self.suppression_threshold < COMMITTEE_THRESHOLD:
            raise ValueError(
                f"suppression_threshold {self.suppression_threshold} is below {COMMITTEE_THRESHOLD}, the least a "
                f"committee pack may use: DfE and Ofqual suppress counts under {COMMITTEE_THRESHOLD} (and round to "
                f"{COMMITTEE_THRESHOLD}) so that no pupil or school can be picked out"
            )
        meeting = self.committee.meeting_date if self.committee is not None else None
        if meeting is not None and meeting < self.as_at:
            raise ValueError(f"committee meeting_date {meeting} is before as_at {self.as_at}: a meeting cannot "
                             "receive figures as at a later date")
        return self

    @property
    def term(self) -> str:
        return school_year.parse_period(self.period)[1]

    @property
    def since(self) -> dt.date:
        """As-at date of the previous report: the start of 'since the last report'."""
        return self.previous_as_at if self.previous_as_at is not None else school_year.previous_term_end(self.period)

    @property
    def for_committee(self) -> bool:
        """A committee pack: counts only (no school named or listed), small counts suppressed, its PDF the
        committee's report."""
        return self.audience == "committee"


def notebook_parameters(params: PeriodParams) -> dict[str, Any]:
    """The params as papermill parameters: JSON-safe, one per model field.

    Inputs left to the sample are left out of ``data`` (as in the params file).
    """
    values = params.model_dump(mode="json")
    values["data"] = params.data.model_dump(mode="json", exclude_none=True)
    return values


class AliasRefused(yaml.MarkedYAMLError):
    """A YAML alias (``*name``): a few lines of them can stand for billions of values."""


class _Loader(yaml.SafeLoader):
    """YAML loader that keeps codes with leading zeros (``050``) as text, and refuses aliases.

    PyYAML reads ``050`` as the octal number 40, which would silently turn LA
    code 050 into 040. Only plain decimal integers are read as numbers here.
    An alias (``*name``, repeating the value anchored ``&name``) is refused: a
    params file of a kilobyte of nested aliases stands for billions of values,
    and checking them would run for ever. Nothing a params file says needs one.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(None, None, f"'*{event.anchor}' is a YAML alias, which a params file may not use "
                               "(a few lines of them can stand for billions of values); write the value out",
                               event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
# dates stay text for the model to read: PyYAML would raise a bare ValueError for 2025-02-30
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


class DuplicateKey(yaml.MarkedYAMLError):
    """A key given twice in one mapping (PyYAML would keep the last silently)."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKey(None, None, f"key '{key}' is given twice (rows {seen[key]} and "
                               f"{key_node.start_mark.line + 1}); keep one", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The block of keys an annotation holds: the model itself, or the model inside ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_model_in, typing.get_args(annotation)) if m is not None), None)


def _describe(error: dict[str, Any], raw: dict[str, Any]) -> tuple[str, str]:
    """Key path and message for one pydantic error, with a suggestion for typos."""
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        model: type[BaseModel] = PeriodParams
        for part in loc[:-1]:
            if part.isdigit() or part not in model.model_fields:  # a list's item, or a union's member
                continue
            model = _model_in(model.model_fields[part].annotation) or DataPaths
        close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return key, f"unknown key '{loc[-1]}'{hint}"
    if error["type"] == "missing":
        return key, "required key is missing"
    plain = _plain_message(error)
    if plain is not None:
        return key, plain
    message = error["msg"].removeprefix("Value error, ")
    if not loc and message.split(" ", 1)[0] in PeriodParams.model_fields:
        key = message.split(" ", 1)[0]  # a check across keys names the key it found wrong
    return key, message


def _plain_message(error: dict[str, Any]) -> str | None:
    """A pydantic error in the words of the params file, or None to keep pydantic's (our own checks)."""
    kind, given, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    shown = f"'{given}'" if isinstance(given, str | int | float) else "this value"
    if kind.startswith(("date_", "datetime_")):
        if isinstance(given, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", given.strip()):
            return f"{shown} is not a date: there is no such day"
        return f"{shown} is not a date: write it as YYYY-MM-DD (e.g. 2025-12-31)"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{shown} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{shown} is not a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} is not true or false"
    if kind == "greater_than_equal":
        return f"{shown} is too small: at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{shown} is too large: at most {ctx.get('le')}"
    if kind == "literal_error":
        return f"{shown} is not one of {ctx.get('expected')}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "a list" if kind == "list_type" else "a block of keys"
        return f"expected {wanted} here, not {shown}"
    if kind in ("string_type", "path_type"):
        return f"{shown} is not text"
    return None


def _null_data_keys(raw: dict[str, Any]) -> list[str]:
    """``data:`` keys given with no value: YAML reads them as null, which would mean the sample."""
    data = raw.get("data")
    return [str(k) for k, v in data.items() if v is None] if isinstance(data, dict) else []


def load_params(path: str | Path) -> tuple[PeriodParams, Path]:
    """Read and validate a params file.

    Returns
    -------
    (PeriodParams, Path)
        The validated model and the params file's folder, against which
        relative input paths are resolved.

    Raises
    ------
    InputError
        One problem per invalid key, each naming the file and the key.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(Problem(source, "params file not found"))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        prefix = "" if isinstance(exc, DuplicateKey | AliasRefused) else "not valid YAML: "
        raise InputError(Problem(source, f"{prefix}{reason}", row=row)) from None
    except UnicodeDecodeError:
        raise InputError(Problem(source, "not a UTF-8 text file")) from None
    if not isinstance(raw, dict):
        raise InputError(Problem(source, "expected a mapping of keys such as 'period:'"))
    nulls = _null_data_keys(raw)
    if nulls:
        raise InputError([Problem(source, "no file given: name a file, or 'sample' to take the sample's on purpose, "
                                  "or remove the key", key=f"data.{key}") for key in nulls])
    try:
        params = PeriodParams.model_validate(raw)
    except ValidationError as exc:
        # an unknown key first: a misspelt key is the cause of the "missing" one it was meant to be
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        problems = [Problem(source, msg, key=key) for key, msg in (_describe(e, raw) for e in errors)]
        raise InputError(problems) from None
    return params, path.resolve().parent


def resolve_data_paths(params: PeriodParams, base: Path) -> PeriodParams:
    """Make every input path absolute, relative to the params file's folder."""

    def absolute(p: Path) -> Path:
        try:
            return p if p.is_absolute() else (base / p).resolve()
        except (OSError, RuntimeError):  # a link loop: validation names it (``inputs._unreadable``)
            return Path(os.path.abspath(base / p))

    updates: dict[str, Any] = {}
    for key, value in params.data:
        if value is None or value == SAMPLE:
            continue
        if isinstance(value, list):
            updates[key] = [f.model_copy(update={"path": absolute(f.path)}) for f in value]
        else:
            updates[key] = absolute(value)
    return params.model_copy(update={"data": params.data.model_copy(update=updates)})


_CELL_TYPES = {"data": "dict", "sections": "list", "comparators": "Optional[list]", "committee": "Optional[dict]",
               "previous_as_at": "Optional[str]", "title": "Optional[str]", "previous_pack": "Optional[str]"}


def parameters_cell(params: PeriodParams) -> str:
    """Source of a notebook's ``parameters`` cell: one documented name per model field.

    Written in papermill's ``name: type = default  # help`` form, so
    ``papermill --help-notebook`` describes each parameter. Defaults are the
    given period's values (settings blocks as ``{}``, meaning the model's
    defaults); every notebook's cell must equal this text.
    """
    values = notebook_parameters(params)
    lines = ["# Parameters: papermill injects the period's values after this cell.",
             "from typing import Optional", ""]
    for name, field in PeriodParams.model_fields.items():
        value = values[name]
        if isinstance(field.annotation, type) and issubclass(field.annotation, _Strict) and name != "data":
            value = {}  # settings: {} means the model's defaults
        kind = _CELL_TYPES.get(name, type(value).__name__)
        if "=" in (field.description or ""):  # papermill cannot parse a line with two '='
            raise ValueError(f"description of '{name}' must not contain '='")
        literal = json.dumps(value) if isinstance(value, str | list | dict) else repr(value)
        lines.append(f"{name}: {kind} = {literal}  # {field.description}")
    return "\n".join(lines) + "\n"


def params_from_notebook(namespace: dict[str, Any]) -> PeriodParams:
    """Rebuild the validated params inside a notebook from its parameter variables."""
    values = {name: namespace[name] for name in PeriodParams.model_fields if name in namespace}
    return PeriodParams.model_validate(values)
