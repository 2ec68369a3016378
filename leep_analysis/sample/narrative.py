"""A synthetic narrative file: what the partnership writes for the summary page, as an example."""

from __future__ import annotations

from pathlib import Path

TEXT = """\
# Narrative: Sampleshire (synthetic), 2025/26

*Example narrative of the synthetic sample, written as a partnership would write it; not a real
authority's words.*

The partnership's work this year concentrates on the schools that are not yet good and on key
stage 4, where the authority's results are below England's and have slipped. The strategic group
reviews the figures in this report each term, against England, the region and the authority's
statistical neighbours, and agrees the schools that need support next.

## Background

The partnership brings together the authority, the dioceses, the headteachers' groups and the
teaching school hubs to support and challenge every school in the county, whether maintained or an
academy. It reports to this Committee each term: on results in the autumn term, and on inspections,
support, funding and schools causing concern in every report.

## Priorities

### Short term

- Secure good outcomes at the next inspection for the schools receiving intensive support.
- Close the gap between disadvantaged pupils and others at key stage 2.

### Medium term

- Raise progress at key stage 4, where the authority is below England and slipping.
- Extend the new headteacher induction programme to deputy heads.

### Long term

- A self-improving system in which every school is good or better and supports another.

## Key enablers

- Strong school-to-school networks: most schools belong to a teaching school hub or trust.
- The LEEP co-ordinator secondment and the termly strategic group.

## Key blockers

- Recruitment of experienced headteachers to schools in difficulty.
- Academies are not obliged to share inspection concerns with the authority.

## National and regional contribution

- The authority presented its operating model at a regional school improvement conference.

## Peer evaluation

- A regional peer review in the spring term found the identification of schools needing support robust.

## Risk

The main risk to improvement is the recruitment of experienced headteachers to schools in
difficulty. It is recorded in the department's risk register and reviewed each quarter by the
partnership's strategic group.

## Actions and comments

### A
Actions: Maintain the focus on the schools that are not yet good, through targeted support.
Comments: The strategic group compares the share of pupils in good or better schools with England's each term.

### B
Actions: Intensive support for every school in a category, with termly reviews.
Comments: Schools that Ofsted's monitoring finds not taking effective action, and schools on the authority's at-risk list that make too little progress, are escalated to the strategic group.

### C
Actions: Targeted support for schools judged requires improvement.

### D
Actions: Key stage 4 attainment is a priority for the secondary heads' group.

### E
Actions: Progress 8 review with secondary schools; writing moderation at key stage 2.

### F
Comments: Complaints are logged by the authority and shared with the strategic group.

### G
Comments: Regular keeping-in-touch meetings with the Department for Education report no concerns.
"""


def write_narrative(dest: Path) -> None:
    """Write ``narrative.md``."""
    (dest / "narrative.md").write_text(TEXT, encoding="utf-8")
