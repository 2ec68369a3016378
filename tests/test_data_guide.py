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
