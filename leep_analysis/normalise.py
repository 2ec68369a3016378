"""How two spellings of one header, code or name are compared: one rule, for every file and register.

Published files and the LA's registers spell the same thing in many ways (``Previous_Category``
and ``Previous category``, ``Predecessor - merged`` and ``predecessor-merged``, ``EQA
monitoring`` and ``eqa_monitoring``). Every comparison of a header, a vocabulary value or a name
goes through ``text_key``, so that a spelling accepted in one file is accepted in all.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: What separates words: white space and underscores, and hyphens and slashes between two words.
_SPACES = re.compile(r"[\s_]+")
_JOINERS = re.compile(r"(?<=\w) ?[-/]+ ?(?=\w)")
#: Stripped from either end: a header's trailing colon or question mark says nothing.
_EDGES = " :?"
#: Words a place name is compared without (``Yorkshire and The Humber``).
_PLACE_STOP_WORDS = frozenset({"the", "and", "of"})


def text_key(value: object) -> str:
    """A header, code or name as it is compared: the package's one rule.

    Unicode NFKC (full-width letters, non-breaking spaces and ligatures read as plain ones),
    case-folded, each run of white space and underscores read as one space, a hyphen or slash
    between two words read as a space, and spaces, colons and question marks stripped from
    either end. A sign stays (``-1`` is not ``1``), and a value with no letter or digit (a
    marker such as ``-``, ``:`` or ``..``) keeps its punctuation, so that markers stay distinct
    from each other and from a blank. For headers, codes and names: never for numbers.

    ``Previous_Category:`` -> ``previous category``; ``Predecessor - merged`` -> ``predecessor merged``;
    ``School-to-school`` -> ``school to school``; ``n/a`` -> ``n a``; ``-`` -> ``-``.
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value)).casefold()).strip()
    words = _JOINERS.sub(" ", text).strip(_EDGES)
    return words if words or not text else text  # a marker keeps its punctuation


def text_keys(values: pd.Series) -> pd.Series:
    """``text_key`` of each value (each distinct value worked out once); missing stays missing."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    keyed = pd.array([text_key(u) for u in uniques], dtype="string")
    return pd.Series(keyed.take(codes, allow_fill=True), index=values.index, name=values.name)


def place_key(name: object) -> str:
    """A place name (a region, an LA) as compared between publishers: its letters' words (``text_key``),
    without "the", "and" and "of", in alphabetical order (``London (Inner)`` = ``Inner London``)."""
    words = re.sub(r"[^a-z ]", " ", text_key(name)).split()
    return " ".join(sorted(w for w in words if w not in _PLACE_STOP_WORDS))
