"""One rule for comparing headers, codes and names (``normalise``), used by every loader and section."""

from __future__ import annotations

import re
import subprocess

import pandas as pd
import pytest

from leep_analysis.config import PACKAGE_DIR
from leep_analysis.normalise import place_key, text_key, text_keys


@pytest.mark.parametrize(("given", "key"), [
    ("Previous_Category:", "previous category"),  # a header of another edition
    ("  Overall   effectiveness? ", "overall effectiveness"),
    ("Predecessor - merged", "predecessor merged"),  # a GIAS link type as the config writes it
    ("predecessor-merged", "predecessor merged"),
    ("School-to-school support", "school to school support"),  # a register's vocabulary
    ("EQA_monitoring", "eqa monitoring"),
    ("n/a", "n a"),
    ("ＧＯＯＤ", "good"),  # full-width letters (NFKC)
    ("Good\u00a0school", "good school"),  # a non-breaking space
    ("Straße", "strasse"),  # case-folded, not only lower-cased
    ("-1", "-1"),  # a sign stays: a grade of -1 is not 1
    ("-", "-"),  # markers keep their punctuation, distinct from a blank and from each other
    (":", ":"),
    ("..", ".."),
    ("", ""),
    ("   ", ""),
])
def test_the_one_rule(given, key):
    assert text_key(given) == key


def test_text_keys_keeps_missing_and_the_index():
    values = pd.Series(["Good", None, "GOOD ", "Requires_improvement"], index=[3, 1, 4, 1], dtype="string")
    keyed = text_keys(values)
    assert keyed.tolist()[0] == "good" and pd.isna(keyed.iloc[1]) and keyed.tolist()[2:] == ["good", "requires improvement"]
    assert keyed.index.tolist() == [3, 1, 4, 1] and str(keyed.dtype) == "string"


def test_place_names_compare_without_little_words_or_word_order():
    assert place_key("Yorkshire and The Humber") == place_key("Yorkshire & the Humber") == "humber yorkshire"
    assert place_key("London (Inner)") == place_key("Inner London")


def test_no_module_writes_its_own_rule():
    # lower() or casefold() beside split(), or a re.sub over separators, is a second rule in the making
    found = subprocess.run(["grep", "-rnE", r"lower\(\)\.split\(\)|\.lower\(\)\)\.split|casefold|unicodedata|"
                            r"def normalise_header|str\.lower\(\)\.(eq|isin|map)", str(PACKAGE_DIR),
                            "--include=*.py"], capture_output=True, text=True).stdout
    # not comparisons of names: a heading's anchor (render/html.py), a number cell's marker such as 'x' or 'c' (_read)
    allowed = r"/normalise\.py:|/render/html\.py:.*\"-\"\.join\(text|/_read\.py:.*\.map\(markers\)"
    assert [line for line in found.splitlines() if not re.search(allowed, line)] == []
