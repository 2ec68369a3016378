"""The fonts a PDF layout engine is given cover the scripts of English schools' and officers' names."""

from __future__ import annotations

from pathlib import Path

import pytest

from leep_analysis import fonts

#: a name in each script the fonts must cover (a family emoji is a joined sequence: man, ZWJ, woman, ZWJ, girl)
NAMES = ["Zoë Brontë-Łukasiewicz", "Αθηνά Παππάς", "Владимир Ковальчук", "محمد الحسن", "عمران خان", "דוד כהן",
         "मोहन शर्मा", "সুমন দাস", "ਗੁਰਪ੍ਰੀਤ ਕੌਰ", "ગીતા પટેલ", "முருகன் சுப்பிரமணியம்", "ሰላም ተስፋዬ",
         "王小明", "佐藤 花子", "김민준", "St Mary's 🏫 \U0001f468\u200d\U0001f469\u200d\U0001f467"]
#: joiners and spaces are laid out, not drawn
NOT_DRAWN = {" ", "\u200d", "\u200c", "'", "-"}


def test_font_paths_are_the_folders_found_and_missing_names_the_scripts_and_packages(tmp_path):
    (tmp_path / "truetype" / "noto").mkdir(parents=True)
    (tmp_path / "truetype" / "liberation").mkdir(parents=True)
    for name, _ in fonts.SCRIPTS.values():
        if "CJK" not in name and "Emoji" not in name:
            folder = "liberation" if name.startswith("Liberation") else "noto"
            (tmp_path / "truetype" / folder / name).write_bytes(b"")
    assert fonts.font_paths((tmp_path,)) == [tmp_path / "truetype" / "liberation", tmp_path / "truetype" / "noto"]
    assert fonts.missing((tmp_path,)) == (
        "no font installed for Chinese, Japanese and Korean; emoji: names in them show as empty boxes in pack.pdf; "
        "install fonts-noto-cjk fonts-noto-color-emoji (apt-get install fonts-noto-cjk fonts-noto-color-emoji, "
        "or make pdf-deps)")
    assert fonts.font_paths((tmp_path / "nowhere",)) == []


def test_the_installed_fonts_cover_every_script_of_the_names():
    """Every character of a name in each script is in the character map of a font in ``font_paths``."""
    from fontTools.ttLib import TTCollection, TTFont

    if fonts.missing() is not None:
        pytest.skip(fonts.missing())
    covered: set[int] = set()
    for folder in fonts.font_paths():
        for path in sorted(Path(folder).iterdir()):
            if path.name not in {name for name, _ in fonts.SCRIPTS.values()}:
                continue
            faces = TTCollection(path).fonts if path.suffix == ".ttc" else [TTFont(path)]
            for face in faces:
                covered |= set(face.getBestCmap())
    uncovered = {name: [c for c in name if c not in NOT_DRAWN and ord(c) not in covered] for name in NAMES}
    assert {name: chars for name, chars in uncovered.items() if chars} == {}
