"""docs/getting-the-data.md covers every input the pack reads, and its params lines are params the model accepts."""

from __future__ import annotations

import re

import yaml

from leep_analysis.config import PROJECT_DIR
from leep_analysis.inputs import SPECS
from leep_analysis.params import DataPaths

GUIDE = PROJECT_DIR / "docs" / "getting-the-data.md"


def test_every_input_has_a_row_a_download_page_or_an_owner():
    text = GUIDE.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", text, re.M)}
    assert set(rows) == set(SPECS), "one row per input of inputs.SPECS"
    for key, row in rows.items():
        if SPECS[key].own:
            assert "usually" in text and SPECS[key].sample.split("/")[-1] in row, key
        else:
            assert "https://" in row or "as `" in row, f"{key}: its publisher's download page"


def test_the_params_lines_are_valid_params():
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    public = yaml.safe_load(blocks[0])["data"]
    own = yaml.safe_load("data:\n" + blocks[1])["data"]
    named = DataPaths.model_validate({**public, **own}).named()
    assert set(named) == set(SPECS)


def test_the_examples_first_rows_are_what_leep_sample_data_writes(tmp_path):
    """Each example file's header and first row in the guide, field for field, as the sample writes them (a block may
    show only its first columns: the header and the row then stop at the same column)."""
    import csv

    from leep_analysis.sample import copy_sample

    copy_sample(tmp_path)  # what `leep sample-data DIR` writes
    text = GUIDE.read_text(encoding="utf-8")
    block = text[text.index("First rows of the examples"):]
    block = block[block.index("```\n") + 4:]
    block = block[:block.index("```")]
    shown = {}
    for part in block.strip().split("\n\n"):
        title, *lines = part.split("\n")
        if title.split()[0].endswith(".csv"):
            shown[title.split()[0]] = lines
    assert set(shown) == {"support_register.csv", "budgets.csv", "budget_ledger.csv", "concerns_log.csv",
                          "school_intelligence.csv"}
    for name, lines in shown.items():
        header, row = next(csv.reader(lines[:1])), next(csv.reader(lines[1:2]))
        with open(tmp_path / name, newline="", encoding="utf-8") as f:
            real_header, real_row = next(csv.reader(f)), next(csv.reader(f))
        assert len(header) == len(row), name
        assert (header, row) == (real_header[:len(header)], real_row[:len(row)]), name
    narrative = block[block.index("narrative.md"):].split("\n", 1)[1].strip()
    assert narrative in (tmp_path / "narrative.md").read_text(encoding="utf-8")
