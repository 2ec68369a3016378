"""Hostile and malformed input that the robustness corpus cannot hold as one small file."""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from leep_analysis import cli
from leep_analysis.config import SAMPLE_DIR
from leep_analysis.errors import InputError
from leep_analysis.sources import _read
from leep_analysis.sources._read import parse_dates, parse_numbers, parse_pence
from leep_analysis.sources.lait import load_lait


def test_non_finite_numbers_are_missing_never_figures():
    values, reasons = parse_numbers(pd.Series(["1e400", "inf", "-Infinity", "NaN", "66.2%", "c"]))
    assert values.isna().tolist() == [True, True, True, True, False, True]
    assert reasons.tolist()[:3] == ["not a finite number"] * 3
    assert values.iloc[4] == 66.2 and reasons.iloc[5] == "suppressed"


def test_an_infinite_lait_value_is_missing(tmp_path):
    # the sample LAIT file as CSV, one LA value of the latest KS2 year made 1e400 (shown as "inf%", ranked 1st, before)
    frame = pd.read_parquet(SAMPLE_DIR / "lait.parquet").astype(str)
    row = frame.index[frame["LA Number"] == "50.0"][-1]
    frame.loc[row, "Values"] = "1e400"
    frame.to_csv(tmp_path / "lait.csv", index=False)
    lait = load_lait(tmp_path / "lait.csv")
    hit = lait.loc[(lait["indicator"] == frame.at[row, "Short Desc"]) & (lait["la_code"] == "050")
                   & (lait["year_label"] == frame.at[row, "Years"])]
    assert len(hit) == 1 and pd.isna(hit["value"].iloc[0]) and hit["missing_reason"].iloc[0] == "not a finite number"
    assert lait["value"].dropna().abs().lt(float("inf")).all()


def test_dates_outside_1900_to_2099_are_not_dates():
    parsed = parse_dates(pd.Series(["2300-09-12", "12/09/2300", "1850-01-01", "2025-09-01", "99999"]))
    assert parsed.isna().tolist() == [True, True, True, False, True]


def test_amounts_beyond_a_trillion_pounds_are_typos():
    assert parse_pence("999999999999.99") == (99999999999999, None)
    assert parse_pence("99999999999999999999999")[1].startswith("amount is too large")


def test_reads_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(_read, "MAX_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "1,2\n" * 500, encoding="utf-8")
    with pytest.raises(InputError, match="big.csv: is larger than 0.000953674 MB, the most an input may be"):
        _read.read_csv_text(big)
    # a zip member that states a small size but unpacks larger is cut at the limit too
    with zipfile.ZipFile(tmp_path / "mi.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mi.xlsx", b"0" * 5000)
    with pytest.raises(InputError, match="mi.xlsx in the zip is larger than"):
        _read._excel_source(tmp_path / "mi.zip")


def test_validate_lists_at_most_50_problems_and_counts_the_rest(tmp_path, params_file):
    register = (SAMPLE_DIR / "support_register.csv").read_text(encoding="utf-8").splitlines()
    header, row = register[0], register[1]
    junk = [header] + [row.replace(",targeted,", ",tier nine,")] * 300
    (tmp_path / "register.csv").write_text("\n".join(junk) + "\n", encoding="utf-8")
    params = params_file(sections=["support"], data={
        "support_register": str(tmp_path / "register.csv"), "ofsted_mi": "sample", "establishments": "sample",
        "establishment_links": "sample", "school_performance": "sample", "neighbours": "sample"})
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["validate", str(params)])
    lines = err.getvalue().strip().splitlines()
    assert code == 2 and len(lines) == 51, len(lines)
    assert lines[-1].startswith("leep: error: and 250 more problems (the first 50 are listed")


def leep(*args: str) -> tuple[int, list[str]]:
    """``leep`` as the console script runs it: its exit status and its lines on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    return code, err.getvalue().strip().splitlines()


def loop(folder: Path) -> Path:
    """Two symbolic links pointing at each other (``loop -> loop2 -> loop``); the first."""
    (folder / "loop").symlink_to(folder / "loop2")
    (folder / "loop2").symlink_to(folder / "loop")
    return folder / "loop"


LOOP = "is a symbolic link that leads back to itself (a loop); correct or remove the link"


@pytest.mark.parametrize(("command", "where"), [("validate", "previous_pack"), ("validate", "data"), ("run", "previous_pack"),
                                               ("run", "data"), ("run", "--out"), ("run", "--out below")])
def test_a_link_loop_is_one_line(tmp_path, params_file, command, where):
    links = loop(tmp_path)
    sample = {"budget_ledger": "sample", "support_register": "sample", "neighbours": "sample",
              "establishments": "sample"}
    params = params_file(sections=["budget"], **({"previous_pack": "loop"} if where == "previous_pack" else {}),
                         **({"data": {"budgets": "loop", **sample}} if where == "data" else {}))
    out = {"--out": links, "--out below": links / "out"}.get(where, tmp_path / "out")
    code, lines = leep(command, str(params), *(["--out", str(out), "--no-progress"] if command == "run" else []))
    key = {"previous_pack": "previous_pack", "data": "data.budgets"}.get(where, "--out")
    named = out if where.startswith("--out") else links
    assert code == 2 and lines == [f"leep: error: {named}, key '{key}': {LOOP}"], lines
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["sample-data"], ["sample-data", "--schools", "20"],
                                     ["new-period", "2026-27-autumn", "--dir"]], ids=["sample-data", "schools", "new-period"])
@pytest.mark.parametrize("where", ["file", "below a file", "loop"])
def test_sample_data_and_new_period_at_a_file_or_a_loop_is_one_line(tmp_path, command, where):
    (tmp_path / "file.txt").write_text("an analyst's file", encoding="utf-8")
    target = {"file": tmp_path / "file.txt", "below a file": tmp_path / "file.txt" / "sample",
              "loop": loop(tmp_path)}[where]
    code, lines = leep(*command[:1], *([str(target)] if command[0] == "sample-data" else []), *command[1:],
                       *([str(target)] if command[0] == "new-period" else []))
    option = "--dir" if command[0] == "new-period" else "DIR"
    expected = {"file": f"{target}: is a file, not a folder; name a folder for {option} (it is made if missing)",
                "below a file": f"{target}: a part of the path is a file, not a folder; name another folder for {option}",
                "loop": f"{target}, key '{option}': {LOOP}"}[where]
    assert code == 2 and lines == [f"leep: error: {expected}"], lines
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "an analyst's file"


def test_new_period_never_writes_through_a_link(tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "2026-27-autumn.yaml").symlink_to(tmp_path / "elsewhere.yaml")  # a link to nothing yet
    code, lines = leep("new-period", "2026-27-autumn", "--dir", str(tmp_path / "params"))
    assert code == 2 and lines == [f"leep: error: {tmp_path / 'params' / '2026-27-autumn.yaml'}: already exists; "
                                   "edit it or remove it first"]
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_sample_data_replaces_a_link_and_never_writes_through_it(tmp_path):
    victim = tmp_path / "victim.md"
    victim.write_text("a colleague's notes", encoding="utf-8")
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "narrative.md").symlink_to(victim)
    code, lines = leep("sample-data", str(tmp_path / "sample"))
    assert code == 2 and lines[0].startswith(f"leep: error: {tmp_path / 'sample'}/") and "already there" in lines[0]
    code, _ = leep("sample-data", str(tmp_path / "sample"), "--force")
    assert code == 0 and victim.read_text(encoding="utf-8") == "a colleague's notes"
    assert not (tmp_path / "sample" / "narrative.md").is_symlink()


def test_validate_lists_every_problem_the_run_says_it_lists(tmp_path):
    params = tmp_path / "period.yaml"
    params.write_text('period: 2025-26-winter\nla_code: "85"\naudiance: committee\nas_at: 2025-12-31\n', encoding="utf-8")
    code, lines = leep("run", str(params), "--out", str(tmp_path / "out"), "--no-progress")
    assert code == 2 and lines == [f"leep: error: {params}, key 'audiance': unknown key 'audiance' (did you mean "
                                   "'audience'?) (and 2 more problems); 'leep validate' lists them all"]
    code, lines = leep("validate", str(params))
    assert code == 2 and lines == [
        f"leep: error: {params}, key 'audiance': unknown key 'audiance' (did you mean 'audience'?)",
        f"leep: error: {params}, key 'period': '2025-26-winter' is not a period id such as 2025-26-autumn",
        f"leep: error: {params}, key 'la_code': '85' is not a 3-digit DfE LA code such as '855'"]


def test_bidirectional_controls_are_removed_from_the_la_names_titles_show(tmp_path):
    import openpyxl

    from leep_analysis.sources.neighbours import load_neighbours

    book = openpyxl.load_workbook(SAMPLE_DIR / "neighbours.xlsx")
    for row in book["LA SN Groups"].iter_rows():
        if row[0].value == 50:
            row[1].value = "Sample\u202eshire\u202c (synthetic)"  # would read "Sampleerihs (synthetic)" reversed
    book.save(tmp_path / "neighbours.xlsx")
    names = load_neighbours(tmp_path / "neighbours.xlsx").drop_duplicates("la_code").set_index("la_code")["la_name"]
    assert names["050"] == "Sampleshire (synthetic)"

    frame = pd.read_parquet(SAMPLE_DIR / "lait.parquet").astype(str)
    frame["LA and Regions"] = frame["LA and Regions"].str.replace("Sampleshire", "Sample\u2067shire\u2069", regex=False)
    frame.to_csv(tmp_path / "lait.csv", index=False)
    areas = load_lait(tmp_path / "lait.csv")["area"]
    assert not areas.str.contains("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", regex=True).any()
    assert (areas == "Sampleshire (synthetic)").any()


def test_ofsted_files_dated_after_as_at_by_their_names_are_left_out_with_a_warning(tmp_path, params_file):
    from leep_analysis.inputs import describe_files
    from leep_analysis.runner import load_period

    snapshots = sorted((SAMPLE_DIR / "ofsted_mi").glob("20*"))  # the sample's, 2023-08-31 to 2026-07-31
    params = params_file(sections=["inspections"], data={
        "ofsted_mi": [str(p) for p in snapshots],  # no as_at: each is dated by its name
        "neighbours": "sample", "establishments": "sample", "establishment_links": "sample"})
    code, lines = leep("validate", str(params))
    assert code == 0 and lines == [f"leep: warning: {params}, key 'data.ofsted_mi': 2 file(s) dated after as_at "
                                   "2025-12-31 left out: 2026-03-31, 2026-07-31"], lines
    inputs = load_period(params)
    used = [Path(f["path"]).name for f in describe_files(inputs) if f["key"] == "ofsted_mi"]
    assert used == [p.name for p in snapshots if p.name < "2026"], "the index and manifest list only those used"


def png_bytes(size: int = 8) -> bytes:
    """A small valid PNG (a turquoise square): an image an LA could put in its narrative."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x28\xa1\x97" * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png(path: Path, size: int = 8) -> Path:
    path.write_bytes(png_bytes(size))
    return path


@contextlib.contextmanager
def loopback_server():
    """An HTTP server on 127.0.0.1 in a thread: its base URL and the list of paths anyone asked it for."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(png_bytes())

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


NARRATIVE = (SAMPLE_DIR / "narrative.md").read_text(encoding="utf-8")


def summary_params(params_file, narrative: Path, images: list[Path] | None = None) -> Path:
    """The summary section alone on the sample's files, with this narrative (and images)."""
    from leep_analysis.inputs import SPECS

    data = {spec.key: "sample" for spec in SPECS.values() if "summary" in spec.sections}
    data["narrative"] = str(narrative)
    if images is not None:
        data["narrative_images"] = [str(p) for p in images]
    return params_file(sections=["summary"], data=data)


@pytest.mark.pack
def test_a_narrative_never_has_the_pack_read_or_call_anything_outside_it(tmp_path, params_file):
    from pypdf import PdfReader

    with loopback_server() as (url, asked):
        (tmp_path / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>secret</text></svg>',
                                             encoding="utf-8")
        hostile = tmp_path / "hostile.md"
        hostile.write_text(NARRATIVE.replace("authority's words.*\n", (
            "authority's words.*\n\n"
            f"![Reading by district]({url}/reading.png) and [our plan]({url}/plan.html)\n\n"
            f"![A local file]({tmp_path / 'secret.svg'}) and ![climbing out](../../secret.png)\n\n"
            "[the action plan](plans/action.docx) and [a file](file:///etc/passwd)\n")), encoding="utf-8")
        params = summary_params(params_file, hostile)
        code, lines = leep("validate", str(params))
        rows = [re.match(rf"leep: error: {re.escape(str(hostile))}, row (\d+): (image|link) ", line) for line in lines]
        assert code == 2 and [(int(m[1]), m[2]) for m in rows] == [
            (6, "image"), (6, "link"), (8, "image"), (8, "image"), (10, "link"), (10, "link")], lines
        out = tmp_path / "out"
        code, lines = leep("run", str(params), "--out", str(out), "--no-progress")
        assert code == 2 and lines == [f"leep: error: {hostile}, row 6: image '{url}/reading.png': a narrative shows "
                                       "only the LA's own images named under data: narrative_images, by file name "
                                       "(e.g. ![Reading results by district](reading-map.png)); nothing is fetched "
                                       "from elsewhere (and 5 more problems); 'leep validate' lists them all"]
        assert not out.exists() or list(out.iterdir()) == []

        # what is allowed: the LA's own image by its name, links to the web over https
        allowed = tmp_path / "allowed.md"
        allowed.write_text(NARRATIVE.replace("authority's words.*\n", (
            "authority's words.*\n\n![Reading results by district](reading-map.png)\n\n"
            "See [the DfE's statistics](https://explore-education-statistics.service.gov.uk/) and "
            "[the KS2 results](achievement.html).\n")), encoding="utf-8")
        image = png(tmp_path / "reading-map.png")
        code, lines = leep("run", str(summary_params(params_file, allowed, [image])), "--out", str(out),
                           "--no-progress")
        assert code == 0, lines
        assert asked == [], "nothing was asked of the server, at build time"
    pack = out / "050-2025-26-autumn"
    assert (pack / "images" / "reading-map.png").read_bytes() == image.read_bytes()
    page = (pack / "summary.html").read_text(encoding="utf-8")
    assert '<img alt="Reading results by district" src="images/reading-map.png"/>' in page
    assert '<a href="https://explore-education-statistics.service.gov.uk/">' in page
    assert '<a href="achievement.html">the KS2 results</a>' in page
    for html in pack.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "http://" not in text and "file://" not in text, html.name
        assert not re.search(r'\bsrc="(?!images/|data:)', text), f"{html.name}: an image from outside the pack"
    reader = PdfReader(pack / "pack.pdf")
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots") or []
            if "/A" in a.get_object()]
    assert [u for u in uris if u and not str(u).startswith("https://")] == [], "no file:// (or http) link in the PDF"
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["inputs"] if f["key"] == "narrative_images"] == ["reading-map.png"]


def test_the_checked_token_stream_is_the_rule_every_renderer_gets():
    from leep_analysis.sources.narrative import checked_tokens, render

    text = ("Intro \u202eoverride\u202c.\n\n![Map of reading](reading-map.png) [KS2](achievement.html#ks2) "
            "[DfE](https://www.gov.uk/dfe) [here](#top)\n\n![x](http://host/b.png) [y](notes.docx) [z](file:///etc)\n")
    tokens, problems = checked_tokens(text, source="n.md", first_line=10)
    children = [c for t in tokens for c in (t.children or [])]
    images = [c for c in children if c.type == "image"]
    assert [(c.attrs["src"], c.meta) for c in images] == [("images/reading-map.png",
                                                           {"pack_image": "reading-map.png", "row": 12})]
    links = [c for c in children if c.type == "link_open"]
    assert [(c.attrs["href"], c.meta.get("pack_page")) for c in links] == [
        ("achievement.html#ks2", "achievement"), ("https://www.gov.uk/dfe", None), ("#top", None)]
    assert [(p.row, p.message.split(":")[0]) for p in problems] == [
        (14, "image 'http"), (14, "link to 'notes.docx'"), (14, "link to 'file")]
    html = render(text)
    assert "\u202e" not in html and "Intro override." in html
    assert "http://" not in html and "file:" not in html and "notes.docx" not in html
    assert "<p>x y z</p>" in html, "a refused image shows its alt text, a refused link its text"


def test_a_narrative_image_must_be_a_named_raster_file_of_the_la(tmp_path, monkeypatch):
    from leep_analysis.params import DatedFile
    from leep_analysis.sources import narrative

    svg = tmp_path / "chart.png"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', encoding="utf-8")
    jpeg_named_png = tmp_path / "photo.png"
    jpeg_named_png.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)
    (tmp_path / "other").mkdir()
    twice = png(tmp_path / "other" / "map.png")
    spaced = png(tmp_path / "my map.png")
    big = png(tmp_path / "big.png", size=64)
    monkeypatch.setattr(narrative, "MAX_IMAGE_BYTES", 100)
    files = [DatedFile(path=p) for p in (svg, jpeg_named_png, png(tmp_path / "map.png"), twice, spaced, big)]
    with pytest.raises(InputError) as err:
        narrative.load_images(files)
    assert [str(p) for p in err.value.problems] == [
        f"{svg}, key 'data.narrative_images': is not a PNG, JPEG or GIF image",
        f"{jpeg_named_png}, key 'data.narrative_images': is a JPEG image: name it .jpg",
        f"{twice}, key 'data.narrative_images': another image is also named 'map.png' (the narrative names an image "
        "by its file name): rename one",
        f"{spaced}, key 'data.narrative_images': name it with letters, digits, '.', '-' and '_' only, ending .png, "
        ".jpg or .gif (the narrative names an image by its file name)",
        f"{big}, key 'data.narrative_images': is {big.stat().st_size} bytes, more than an image may be (100 bytes); "
        "save it smaller"]


def test_narrative_images_are_checked_against_the_narrative(tmp_path, params_file):
    narrative = tmp_path / "narrative.md"
    narrative.write_text(NARRATIVE.replace("authority's words.*\n",
                                           "authority's words.*\n\n![Map](map.png)\n"), encoding="utf-8")
    params = summary_params(params_file, narrative, [png(tmp_path / "logo.png")])
    code, lines = leep("validate", str(params))
    assert code == 2 and lines == [
        f"leep: error: {narrative}, row 6: image 'map.png' is not one of the files under data: narrative_images; "
        "name it there (the narrative shows only the LA's own images, copied into the pack)",
        f"leep: warning: {tmp_path / 'logo.png'}, key 'data.narrative_images': the narrative does not show it "
        "(write ![what it shows](logo.png))"]


def test_a_narrative_of_megabytes_is_refused_in_one_line(tmp_path, params_file):
    narrative = tmp_path / "narrative.md"
    narrative.write_text(NARRATIVE + "\n" + "All work and no play makes a long narrative. " * 110_000, encoding="utf-8")
    code, lines = leep("validate", str(summary_params(params_file, narrative)))
    assert code == 2 and lines == [f"leep: error: {narrative}: is 4.7 MB, more than a narrative may be (100 KB, "
                                   "about 15,000 words); put longer material in a document of its own and link to it"]
