"""The summary page: the DfE indicators A to G, headline tiles, and each section's key messages.

It runs the analyses of the sections in the pack (each only if the params choose
it), turns their figures into the evaluation's measures, and takes the
partnership's own words (priorities, enablers, blockers, actions) from the
period's narrative file.

- ``analysis``: ``analyse(inputs) -> Summary``, gathering the chosen sections;
- ``evaluation``: the A to G measures, their RAG rating and the A to G table;
- ``words``: the RAG rules in words;
- ``views``: the A to G and measures tables, the messages and narrative layouts.
"""

from . import analysis, evaluation, views, words
from .analysis import Summary, analyse

__all__ = ["Summary", "analyse", "analysis", "evaluation", "views", "words"]
