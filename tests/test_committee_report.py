"""The committee report: a council scrutiny paper made from the pack's blocks (front sheet, numbered paragraphs,
key messages from typed facts, implications, background papers, officers, appendices), as a PDF and a page."""

from __future__ import annotations

from pathlib import Path

from leep_analysis.sources.narrative import load_narrative


def test_the_narrative_has_the_reports_headings_under_the_names_councils_use(tmp_path: Path):
    path = tmp_path / "narrative.md"
    path.write_text("# Narrative\n\nIntro.\n\n## Background\n\nOne.\n\nTwo.\n\n## Risk assessment\n\nA risk.\n\n"
                    "## Equal opportunities implications\n\nFair.\n\n## Policy framework and previous decisions\n\n"
                    "Cabinet, 9 July 2013.\n", encoding="utf-8")
    found = load_narrative(path)
    assert found["background"] == "One.\n\nTwo." and found["risk"] == "A risk." and found["equality"] == "Fair."
    assert found["policy"] == "Cabinet, 9 July 2013." and found["introduction"] == "Intro."
