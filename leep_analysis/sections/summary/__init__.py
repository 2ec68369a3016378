"""The summary page: the DfE indicators A to G, headline tiles, and each section's key messages.

It runs the analyses of the sections in the pack, turns their figures into the
evaluation's measures and ratings, and takes the partnership's own words
(priorities, enablers, blockers, actions) from the period's narrative file.

Modules: ``analysis`` (``analyse``: the sections gathered, the ``Summary``),
``evaluation`` (the A to G measures and RAG ratings), ``words`` (evidence and
rules text), ``views`` (the tables and page layouts).
"""

from . import evaluation, views, words
from .analysis import Summary, analyse

__all__ = ["Summary", "analyse", "evaluation", "views", "words"]
