"""The achievement section: every phase benchmarked, in tables, charts and plain-English sentences.

Modules: ``analysis`` (indicator sets from configuration, ``analyse``, the data
tables), ``words`` (sentences, introduction, headline tiles), ``views`` (each
phase's layout and the all-indicators table, for ``Section.render``).
"""

from . import analysis, views, words
from .analysis import (
    BENCHMARK_COLUMNS,
    Achievement,
    all_indicators,
    analyse,
    derived,
    measures,
    phase,
    phases,
)
from .words import headline_tiles, notable, sentence

__all__ = ["BENCHMARK_COLUMNS", "Achievement", "all_indicators", "analyse", "analysis", "derived", "headline_tiles",
           "measures", "notable", "phase", "phases", "sentence", "views", "words"]
