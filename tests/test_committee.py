"""Committee mode: no school named anywhere in a pack that leaves the council; input text never becomes markup."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis.config import PROJECT_DIR
from leep_analysis.inputs import Inputs, data_block
from leep_analysis.params import load_params
from leep_analysis.runner import run_pack
from leep_analysis.sample import copy_sample
from tests.conftest import write_params

SPRING = PROJECT_DIR / "params" / "2025-26-spring.yaml"


def pack_texts(pack: Path) -> dict[str, str]:
    """Every text a pack holds: pages, tables, the workbook's XML, the PDF's text, executed notebooks, manifest, logs."""
    from pypdf import PdfReader

    texts = {}
    for path in sorted(pack.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts[str(path)] = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        elif path.suffix == ".pdf":
            texts[str(path)] = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.is_file():
            texts[str(path)] = path.read_text(encoding="utf-8")
    return texts


def identifiers(params_path: Path) -> tuple[set[str], set[str]]:
    """Every name and URN of the LA's schools in the period's inputs (published lists and the LA's registers)."""
    params, _ = load_params(params_path)
    inputs = Inputs(params)
    names, urns = set(), set()
    for key in ("establishments", "ofsted_mi", "school_performance", "support_register", "concerns_log",
                "school_intelligence"):
        frame = inputs.get(key)
        rows = frame[frame["la_code"] == params.la_code] if "la_code" in frame else frame
        names |= set(rows["school_name"].dropna().astype(str))
        urns |= set(rows["urn"].astype(str))
    ledger = inputs.as_loaded("budget_ledger")  # as the file says it (a committee pack's replaces its names)
    names |= {p for p in ledger["payee"].dropna() if any(w in p for w in ("School", "Academy", "College"))}
    establishments = inputs.get("establishments")
    names |= set(establishments.loc[establishments["la_code"] == params.la_code, "postcode"].dropna())  # addresses
    return names, urns


@pytest.mark.pack
def test_committee_pack_names_no_school(spring_pack):
    pack = spring_pack
    names, urns = identifiers(SPRING)
    assert len(names) > 300 and len(urns) > 300  # the sample LA's 250 open schools and their predecessors
    texts = pack_texts(pack)
    assert any(name.endswith(".xlsx") for name in texts) and any(name.endswith(".pdf") for name in texts)
    assert len(texts) > 40
    found = {(f, n) for f, t in texts.items() for n in names if n in t}
    found |= {(f, u) for f, t in texts.items() for u in urns if re.search(rf"(?<![\d.]){u}(?![\d.])", t)}
    assert sorted(found) == []
    # the pages councillors read name no file of the pack, config or docs (those are for the methods and manifest)
    for page in ("summary", "achievement", "inspections", "support", "budget", "concerns"):
        shown = re.sub(r"<[^>]+>", " ", texts[str(pack / f"{page}.html")])
        assert not re.findall(r"\b(?:tables|config|docs)/[\w.-]+\.(?:csv|yaml|md)\b", shown), page
    # no table of one row per school, labelled or not (issue 28): the early warning and concerns as counts
    assert not (pack / "tables" / "concerns__risk_alerts.csv").exists()
    assert not (pack / "tables" / "concerns__schools.csv").exists()


@pytest.mark.pack
def test_input_text_is_escaped(tmp_path):
    folder = tmp_path / "inputs"
    copy_sample(folder)
    log = pd.read_csv(folder / "concerns_log.csv", dtype=str, keep_default_na=False)
    log.loc[log["date_exited"] == "", "school_name"] = '<script>alert("x")</script> Primary'
    log.to_csv(folder / "concerns_log.csv", index=False)
    narrative = folder / "narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace(
        "## Key enablers\n", "## Key enablers\n\n<img src=x onerror=alert(1)> and <b>bold</b>\n"), encoding="utf-8")
    path = write_params(tmp_path / "period.yaml", period="2025-26-autumn", la_code="050", as_at="2025-12-31",
                        previous_as_at="2025-08-31", sections=["summary", "concerns"],
                        data={**data_block(folder), "concerns_log": str(folder / "concerns_log.csv"),
                              "narrative": str(narrative)})
    pack = run_pack(path, tmp_path / "out", progress=False).parent
    for page in ("concerns.html", "summary.html"):
        text = (pack / page).read_text(encoding="utf-8")
        assert "<script" not in text and "<img src=x" not in text and "<b>bold" not in text
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; Primary" in (pack / "concerns.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in (pack / "summary.html").read_text()
