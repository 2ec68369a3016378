"""The robustness corpus (tests/bad_inputs/): every broken input gives one clear line, exit 2, and no pack.

Each case is run through ``leep validate`` and ``leep run`` (the command's own ``main``, as the
console script calls it) against an output folder holding an earlier pack, which must be left
byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from leep_analysis import cli
from leep_analysis.config import PROJECT_DIR
from leep_analysis.inputs import SPECS
from tests.conftest import write_params

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def params_for(case: dict, tmp_path: Path) -> Path:
    """The params file of a case: its own, or the default period with the broken file under its key."""
    if "key" not in case:
        return CORPUS / case["file"]
    base = yaml.safe_load((PROJECT_DIR / "params" / "2025-26-autumn.yaml").read_text(encoding="utf-8"))
    path = str(CORPUS / case["file"])
    # every other input of the section is the sample's, in so many words: only the broken file is wrong
    data: dict = {spec.key: "sample" for spec in SPECS.values() if case["section"] in spec.sections}
    data[case["key"]] = [{"path": path, "as_at": "2025-08-31"}] if case["key"] == "ofsted_mi" else path
    data.update({k: str((CORPUS / v).resolve()) for k, v in case.get("extra", {}).items()})
    return write_params(tmp_path / "period.yaml", **dict(base, sections=[case["section"]], data=data))


def leep(*args: str) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    return code, err.getvalue().strip().splitlines()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_complete():
    assert len(CASES) >= 30
    assert sorted(c["file"] for c in CASES) == sorted(p.name for p in CORPUS.iterdir() if p.name != "cases.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_broken_input_one_line_exit_2_no_pack(case, tmp_path):
    params = params_for(case, tmp_path)
    code, lines = leep("validate", str(params))
    assert code == 2
    assert any(case["expect"] in line for line in lines), lines
    assert not any("Traceback" in line for line in lines)

    out = tmp_path / "out"
    earlier = out / "050-2025-26-autumn"
    earlier.mkdir(parents=True)
    (earlier / "index.html").write_text("<p>the earlier pack</p>", encoding="utf-8")
    (earlier / "tables").mkdir()
    (earlier / "tables" / "summary__indicators.csv").write_text("indicator\nA\n", encoding="utf-8")
    before = snapshot(out)
    code, lines = leep("run", str(params), "--out", str(out), "--no-progress")
    assert code == 2
    assert len(lines) == 1 and case["expect"] in lines[0] and lines[0].startswith("leep: error: ")
    assert snapshot(out) == before, "an earlier pack is left as it was, and no new one is written"
