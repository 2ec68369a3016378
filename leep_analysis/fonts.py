"""Fonts for the PDF: the folders of fonts that cover the scripts of English schools' and officers' names.

Schools and officers in English LAs have names in every script: a PDF laid out with Liberation Sans
alone draws empty boxes for Chinese, Devanagari or a joined emoji. Debian's Noto fonts cover them;
``make pdf-deps`` and ``.ci/run`` install these packages with apt-get where they are missing:

====================== ===========================================================================
fonts-liberation       Liberation Sans, the pack's own face (Latin, Greek, Cyrillic)
fonts-noto-core        Latin, Greek and Cyrillic in full, Arabic and Urdu (Nastaliq), Hebrew,
                       Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Sinhala, Ethiopic, Thai and more
fonts-noto-cjk         Chinese, Japanese and Korean
fonts-noto-color-emoji emoji, including joined sequences (a family, a flag)
====================== ===========================================================================

``font_paths()`` gives the folders holding them, to hand to a PDF layout engine; for typst::

    import typst
    from leep_analysis import fonts

    typst.compile("pack.typ", output="pack.pdf", font_paths=[str(p) for p in fonts.font_paths()])

``missing()`` says in one line which scripts have no font, and how to install it.
``python -m leep_analysis.fonts`` prints the folders, or that line (exit 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

#: each script a name may be in -> a font file that covers it and the Debian package that installs it
SCRIPTS: dict[str, tuple[str, str]] = {
    "Liberation Sans (the pack's own face)": ("LiberationSans-Regular.ttf", "fonts-liberation"),
    "Latin, Greek and Cyrillic": ("NotoSans-Regular.ttf", "fonts-noto-core"),
    "Arabic": ("NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    "Urdu": ("NotoNastaliqUrdu-Regular.ttf", "fonts-noto-core"),
    "Hebrew": ("NotoSansHebrew-Regular.ttf", "fonts-noto-core"),
    "Devanagari": ("NotoSansDevanagari-Regular.ttf", "fonts-noto-core"),
    "Bengali": ("NotoSansBengali-Regular.ttf", "fonts-noto-core"),
    "Gurmukhi": ("NotoSansGurmukhi-Regular.ttf", "fonts-noto-core"),
    "Gujarati": ("NotoSansGujarati-Regular.ttf", "fonts-noto-core"),
    "Tamil": ("NotoSansTamil-Regular.ttf", "fonts-noto-core"),
    "Ethiopic": ("NotoSansEthiopic-Regular.ttf", "fonts-noto-core"),
    "Chinese, Japanese and Korean": ("NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
    "emoji": ("NotoColorEmoji.ttf", "fonts-noto-color-emoji"),
}
#: where fonts are installed: the system's (Debian's packages), then local and the user's own
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local" / "share" / "fonts",
              Path.home() / ".fonts")


def _found(roots: tuple[Path, ...]) -> dict[str, Path]:
    """Each of ``SCRIPTS``' font files found under ``roots`` (the first root that has it) -> its path."""
    wanted = {name for name, _ in SCRIPTS.values()}
    found: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.name in wanted and path.name not in found and path.is_file():
                found[path.name] = path
    return found


def font_paths(roots: tuple[Path, ...] = FONT_ROOTS) -> list[Path]:
    """The folders holding the fonts of ``SCRIPTS`` that are installed, in a fixed order: give them to the
    PDF layout engine (typst: ``font_paths=``), so that it finds a font for every script a name is in."""
    return sorted({path.parent for path in _found(roots).values()})


def missing(roots: tuple[Path, ...] = FONT_ROOTS) -> str | None:
    """One line naming the scripts no installed font covers and the command that installs them, or None."""
    found = _found(roots)
    absent = {script: package for script, (name, package) in SCRIPTS.items() if name not in found}
    if not absent:
        return None
    packages = sorted(set(absent.values()))
    return (f"no font installed for {'; '.join(absent)}: names in them show as empty boxes in pack.pdf; install "
            f"{' '.join(packages)} (apt-get install {' '.join(packages)}, or make pdf-deps)")


def main() -> int:
    """Print the font folders, one a line; or, where a script has no font, say so in one line (exit 1)."""
    why = missing()
    if why is not None:
        print(f"leep: {why}", file=sys.stderr)
        return 1
    for folder in font_paths():
        print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
