"""End to end: the default pack on the embedded sample, determinism, failures leave earlier packs alone."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from leep_analysis.config import PROJECT_DIR, SYNTHETIC_BANNER
from leep_analysis.errors import InputError, NotebookError
from leep_analysis.runner import run_pack

from .conftest import copy_notebooks

pytestmark = pytest.mark.pack
DEFAULT = PROJECT_DIR / "params" / "2025-26-autumn.yaml"


def digests(folder: Path, patterns=("*.html", "tables/*.csv")) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for pattern in patterns
        for p in sorted(folder.glob(pattern))
        if p.is_file()
    }


def test_pack_layout(default_pack):
    names = {p.name for p in default_pack.iterdir()}
    assert {"index.html", "manifest.json", "tables.xlsx", "tables", "executed"} <= names
    sections = json.loads((default_pack / "manifest.json").read_text())["params"]["sections"]
    for section in sections:
        assert (default_pack / f"{section}.html").exists()
    assert list((default_pack / "tables").glob("summary__*.csv"))
    assert not [p for p in default_pack.parent.iterdir() if p.name.startswith(".")], "no build folders left"


def test_pages_are_clean_and_offline(default_pack):
    for page in default_pack.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert SYNTHETIC_BANNER in text, page.name
        assert "Traceback" not in text
        assert "import leep_analysis" not in text, "no code in the report"
        assert "jp-InputArea-editor" not in text
        assert "<script" not in text, "no script at all, so nothing fetched from a CDN"
        assert not re.search(r'(src|href)="https?://', text), "nothing loaded from the internet"
        assert "output_stderr" not in text and "jp-RenderedText" not in text, "no printed output or stderr"
    charted = (default_pack / "achievement.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]+>", charted)
    assert len(images) > 10, "charts shown"
    for tag in images:
        assert 'src="data:image/svg+xml;base64,' in tag, "chart embedded in the page"
        assert re.search(r' width="\d+"', tag) and re.search(r' height="\d+"', tag), "size given: the page does not jump"
        assert re.search(r'alt="[^"]{20,}"', tag), "chart has alt text"


def test_manifest(default_pack):
    manifest = json.loads((default_pack / "manifest.json").read_text())
    assert manifest["params"]["period"] == "2025-26-autumn"
    assert manifest["synthetic_sample"] is True
    lait = next(f for f in manifest["inputs"] if f["key"] == "lait")
    data = (PROJECT_DIR / "leep_analysis" / "sample_data" / "lait.parquet").read_bytes()
    assert lait["sha256"] == hashlib.sha256(data).hexdigest() and lait["bytes"] == len(data)
    assert manifest["software"]["pandas"] and manifest["software"]["papermill"]
    assert [n["section"] for n in manifest["notebooks"]] == manifest["params"]["sections"]
    assert all(n["seconds"] > 0 for n in manifest["notebooks"])


def test_identical_inputs_identical_bytes(default_pack, tmp_path):
    again = run_pack(DEFAULT, tmp_path, jobs=2, progress=False).parent
    first, second = digests(default_pack), digests(again)
    assert first and first == second


def test_failing_notebook_leaves_earlier_pack(default_pack, tmp_path, params_file):
    earlier = tmp_path / "out" / "050-2025-26-autumn"
    shutil.copytree(default_pack, earlier)
    before = digests(earlier, ("**/*",))
    notebooks = copy_notebooks(tmp_path / "nb", "failing_cell.ipynb")
    (notebooks / "failing_cell.ipynb").rename(notebooks / "00_summary.ipynb")
    environment = dict(os.environ)
    with pytest.raises(NotebookError) as err:
        run_pack(params_file(sections=["summary"]), tmp_path / "out", notebook_dir=notebooks, progress=False)
    assert str(err.value) == "00_summary.ipynb failed at cell 4: ValueError: planted failure for the runner test"
    assert digests(earlier, ("**/*",)) == before
    assert dict(os.environ) == environment, "run in this process (jobs=1), the kernel's settings are not left behind"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["050-2025-26-autumn"]


def test_unknown_notebook_parameter_stops_before_running(tmp_path, params_file):
    notebooks = copy_notebooks(tmp_path / "nb", "unknown_parameter.ipynb")
    (notebooks / "unknown_parameter.ipynb").rename(notebooks / "00_summary.ipynb")
    with pytest.raises(NotebookError, match="parameters cell declares unknown period_name"):
        run_pack(params_file(sections=["summary"]), tmp_path / "out", notebook_dir=notebooks, progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"audiance": "internal"}, "key 'audiance': unknown key 'audiance' (did you mean 'audience'?)"),
        ({"period": "2025-26-winter"}, "key 'period': '2025-26-winter' is not a period id"),
        ({"la_code": "999"}, "key 'la_code': LA code 999 is not in this benchmark file"),
        ({"data": {"lait": "missing.parquet"}}, "missing.parquet, key 'data.lait': file not found"),
    ],
)
def test_bad_params_build_nothing(tmp_path, params_file, overrides, expected):
    with pytest.raises(InputError) as err:
        run_pack(params_file(**overrides), tmp_path / "out", progress=False)
    assert expected in str(err.value)
    leftovers = list((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    assert leftovers == []


def test_index_tiles_once_each_linking_home(default_pack):
    index = (default_pack / "index.html").read_text(encoding="utf-8")
    tiles = re.findall(r'<a class="leep-tile" href="([a-z]+)\.html">.*?<span class="leep-tile-label">([^<]+)</span>',
                       index)
    labels = [label for _, label in tiles]
    assert len(labels) == len(set(labels)) > 10, "the summary's tiles are not repeated"
    home = dict((label, href) for href, label in tiles)
    # chosen by the summary, shown once: indicator A's own measure (with the key-judgement rule), not the
    # inspections page's pupils in schools last graded before September 2024 (issue 27: two measures, two labels)
    assert home["Pupils in good or better schools (A: with the key-judgement rule)"] == "summary"  # A is there
    assert home["Pupils in good or better schools (overall effectiveness)"] == "inspections"
    assert home["LEEP fund spent, 2025-26"] == "budget"
    # the summary's six come first, in config/tiles.yaml's order (A to G first); as at 31 December 2025 KS4
    # 2025 is provisional (revised in February 2026: config/releases.yaml)
    assert labels[:6] == ["Pupils in good or better schools (A: with the key-judgement rule)",
                          "Schools in an Ofsted category of concern",
                          "Reading, writing and maths: expected standard, 2025", "Attainment 8, 2025 (prov)",
                          "Schools supported this period", "LEEP fund spent, 2025-26"]
    # then section by section in pack order: never a budget tile between two attainment tiles
    sections = [home[label] for label in labels[6:]]
    assert sections == sorted(sections, key=["achievement", "inspections", "support", "budget", "concerns"].index)
    # a tile with an England figure says better or worse than England
    for tile in re.findall(r'<a class="leep-tile".*?</a>', index):
        if "England" in re.search(r'leep-tile-detail">([^<]*)<', tile).group(1):
            assert re.search(r"(Better than|Worse than|In line with) England", tile), tile
