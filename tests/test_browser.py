"""Every page of the default pack in a real browser: no console errors, nothing fetched, images load, accessible.

Drives Debian's Chromium (``/usr/bin/chromium``; ``.ci/run`` installs it) through
Playwright, and runs the axe-core accessibility engine (installed from the npm
registry into ``.cache/``) on each page. Screenshots go to
``outputs/screenshots/<period>/`` for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from leep_analysis.config import PROJECT_DIR

pytestmark = pytest.mark.pack
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_VERSION = "4.10.3"
AXE = PROJECT_DIR / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def axe_script() -> Path:
    AXE.parents[2].mkdir(parents=True, exist_ok=True)
    with FileLock(AXE.parents[2] / "install.lock"):  # two xdist workers never install into one folder at once
        if not AXE.exists():
            npm = shutil.which("npm")
            if npm is None:
                pytest.skip("npm not available to install axe-core")
            result = subprocess.run([npm, "install", "--no-save", "--silent", "--prefix", str(AXE.parents[2]),
                                     f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
            if result.returncode != 0 or not AXE.exists():
                pytest.skip(f"could not install axe-core from npm: {result.stderr.strip()[:200]}")
    return AXE


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def visit(browser, page_path: Path, shot: Path) -> dict:
    """Open a page; return console errors, non-local requests, failed requests and image states."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen: dict[str, list] = {"console": [], "external": [], "failed": []}
    page.on("console", lambda m: seen["console"].append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.on("request", lambda r: seen["external"].append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.goto(page_path.as_uri(), wait_until="load")
    seen["images"] = page.evaluate("() => Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt])")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    seen["page"] = page
    return seen


def test_pages_in_browser(default_pack, browser, axe_script):
    shots = PROJECT_DIR / "outputs" / "screenshots" / default_pack.name
    pages = sorted(default_pack.glob("*.html"))
    assert len(pages) >= 2
    for path in pages:
        seen = visit(browser, path, shots / f"{path.stem}.png")
        page = seen.pop("page")
        assert seen["console"] == [], f"{path.name}: console errors {seen['console']}"
        assert seen["external"] == [], f"{path.name}: requests outside the page {seen['external']}"
        assert seen["failed"] == [], f"{path.name}: failed requests {seen['failed']}"
        assert all(ok for ok, _ in seen["images"]), f"{path.name}: an image did not load"
        assert all(alt and len(alt) > 10 for _, alt in seen["images"]), f"{path.name}: an image lacks alt text"
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], v["help"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{path.name}: accessibility violations {serious}"
        page.close()
        assert (shots / f"{path.stem}.png").stat().st_size > 10_000


def test_tables_fit_a_1280_pixel_screen(default_pack, browser):
    """No table of the sample pack scrolls sideways at 1280 px, and no row label runs past two lines."""
    checked = 0
    for path in sorted(default_pack.glob("*.html")):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.as_uri(), wait_until="load")
        tables = page.evaluate("""() => Array.from(document.querySelectorAll('.leep-table-wrap')).map(w => {
const labels = Array.from(w.querySelectorAll('td.label')).map(c => {
              // the lines of the cell's own text (the row may be taller for another cell)
              const range = document.createRange(); range.selectNodeContents(c);
              return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
            });
            return [w.querySelector('table').id, w.scrollWidth, w.clientWidth, Math.max(0, ...labels),
                    Array.from(w.querySelectorAll('td.num')).every(c => getComputedStyle(c).textAlign === 'right')];
        })""")
        page.close()
        for table_id, scroll, client, lines, right in tables:
            assert scroll <= client, f"{path.name} {table_id} scrolls sideways ({scroll} > {client} px)"
            assert right, f"{path.name} {table_id}: a number is not right-aligned"
            if path.name == "achievement.html":
                assert lines <= 2, f"{path.name} {table_id}: an indicator name takes {lines} lines"
            checked += 1
    assert checked > 20
