"""The pack's two registries: its inputs (``config/inputs.yaml``) and its sections (``config/sections.yaml``).

Every module that needs the list of inputs or of sections reads it here: the params model's
data keys and section ids, the loaders behind each key, the rows cut at the as-at date, each
input's freshness, the ``leep new-period`` template and the README's table of keys; each
section's title, notebook, inputs, and the other sections' analyses its own reads (``uses``),
from which the order a run works them out in follows (``run_order``). Adding an input or a
section is an entry in one of the two files and the code it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .config import load_config

Schedule = Literal["dictionary", "monthly", "annual", "daily", "irregular", "la", "period"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Freshness(_Entry):
    """How fresh an input is and when its next release is due (``freshness.py``)."""

    schedule: Schedule
    note: str
    lag_days: int | None = None
    at: tuple[int, int, int] | None = None  # annual: [years after the academic year's end, month, day]

    @model_validator(mode="after")
    def _needs(self) -> Freshness:
        needed = {"monthly": "lag_days", "annual": "at"}.get(self.schedule)
        if needed and getattr(self, needed) is None:
            raise ValueError(f"a {self.schedule} schedule needs {needed}")
        return self


class InputSpec(_Entry):
    """One kind of input: one key of a params file's ``data:`` block.

    ``loader`` is ``module:function`` under ``leep_analysis.sources``; it takes a path (or, for
    ``dated`` inputs, a list of ``DatedFile``) and returns a frame. ``sample`` is the file (or
    glob, for dated inputs) in the packaged sample. ``sections``: the sections that read it
    (from the sections' ``inputs``).
    """

    key: str
    title: str
    loader: str
    sample: str
    sections: frozenset[str] = frozenset()
    dated: bool = False
    #: what file the key expects, for the params template and the README
    format: str = ""
    #: the LA's own register or narrative (a template it fills in), not a file published for every LA
    own: bool = False
    #: a list of the LA's own files that may be left out (then there are none): never the sample's
    optional: bool = False
    #: the column whose date begins a row (its latest entry; rows after as_at cut unless ``keeps_later_rows``)
    row_date: str | None = None
    keeps_later_rows: bool = False
    freshness: Freshness

    @property
    def cut_at(self) -> str | None:
        """The column whose rows dated after the pack's as-at date are left out as the input is loaded."""
        return None if self.keeps_later_rows else self.row_date


class SectionSpec(_Entry):
    """One section of the pack: its page, notebook, inputs, and the analyses of other sections it reads."""

    id: str
    title: str
    summary: str
    notebook: str
    inputs: tuple[str, ...] = ()
    uses: tuple[str, ...] = Field(default=(), description="sections whose analyses this one's analysis reads")


class SharedSpec(_Entry):
    """An analysis no section owns that sections read (``config/analyses.yaml``): the events table."""

    id: str
    title: str
    summary: str
    module: str
    inputs: tuple[str, ...] = ()


def _sections(raw: Mapping[str, Any]) -> dict[str, SectionSpec]:
    return {sid: SectionSpec(id=sid, **entry) for sid, entry in raw.items()}


def _inputs(raw: Mapping[str, Any], sections: Mapping[str, SectionSpec]) -> dict[str, InputSpec]:
    return {key: InputSpec(key=key, sections=frozenset(s.id for s in sections.values() if key in s.inputs), **entry)
            for key, entry in raw.items()}


def check(inputs: Mapping[str, InputSpec], sections: Mapping[str, SectionSpec]) -> list[str]:
    """What is wrong between the two registries (nothing, for the packaged ones): unknown input keys or
    sections named, an input no section reads, a notebook named twice, a section using itself in a loop."""
    problems = [f"section {s.id} reads unknown input {key}" for s in sections.values() for key in s.inputs
                if key not in inputs]
    problems += [f"section {s.id} uses unknown section {used}" for s in sections.values() for used in s.uses
                 if used not in sections and used not in SHARED]
    problems += [f"no section reads input {key}" for key, spec in inputs.items() if not spec.sections]
    notebooks = [s.notebook for s in sections.values()]
    problems += [f"notebook {name} is named twice" for name in sorted({n for n in notebooks if notebooks.count(n) > 1})]
    try:
        run_order(sections, sections)
    except ValueError as exc:
        problems.append(str(exc))
    return problems


def run_order(chosen: Iterable[str], sections: Mapping[str, SectionSpec] | None = None) -> list[str]:
    """The chosen sections in the order a run works out their analyses: each after those it ``uses``,
    otherwise in pack order (the summary, which uses every other, last).

    Raises
    ------
    ValueError
        Sections that use each other in a loop.
    """
    sections = SECTIONS if sections is None else sections
    given = set(chosen)
    wanted = [s for s in sections if s in given]
    order: list[str] = []
    while len(order) < len(wanted):
        ready = [s for s in wanted if s not in order
                 and all(u in order for u in sections[s].uses if u in wanted)]  # shared analyses come first anyway
        if not ready:
            raise ValueError(f"sections use each other in a loop: {', '.join(s for s in wanted if s not in order)}")
        order.append(ready[0])
    return order


#: Analyses no section owns (``config/analyses.yaml``), by id: worked out before any section that uses them.
SHARED: dict[str, SharedSpec] = {key: SharedSpec(id=key, **entry) for key, entry in load_config("analyses").items()}
SECTIONS: dict[str, SectionSpec] = _sections(load_config("sections"))
INPUTS: dict[str, InputSpec] = _inputs(load_config("inputs"), SECTIONS)
#: Section ids in pack order.
SECTION_IDS: list[str] = list(SECTIONS)

_problems = check(INPUTS, SECTIONS)
if _problems:
    raise ValueError("config/inputs.yaml and config/sections.yaml: " + "; ".join(_problems))


def readers(key: str) -> str:
    """The sections that read an input, in pack order, as the template and the README say them."""
    return ", ".join(s for s in SECTION_IDS if s in INPUTS[key].sections)


def readme_table() -> str:
    """The README's table of ``data:`` keys (key, the sections that read it, what file it expects), in markdown."""
    rows = ["| key | read by | expects |", "|---|---|---|"]
    for spec in INPUTS.values():
        users = "every section" if spec.sections == set(SECTION_IDS) else readers(spec.key)
        rows.append(f"| `{spec.key}` | {users} | {spec.format} |")
    return "\n".join(rows)
