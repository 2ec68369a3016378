"""Ofsted inspection outcomes: how many of the LA's schools are good or better, against its benchmarks.

From one or more snapshots of Ofsted's management information, for the LA,
its region, its statistical neighbours (all their schools pooled) and England:
% good or better (of schools and of pupils), categories of concern, the trend,
phase and governance, movement between inspections, report cards and the
schools inspected since the last report. The definitions are in
``config/inspections.yaml`` and ``docs/inspections-method.md``.

Modules: ``outcomes`` (each school's counted inspection and grade; areas and
labels), ``movement`` (between inspections), ``analysis`` (the counts and the
``Inspections`` result), ``words`` (sentences, tiles, method), ``views`` (the page).
"""

from . import analysis, movement, outcomes, views, words
from .analysis import Inspections, analyse
from .words import concern_sentence, headline_sentence, headline_tiles, pupils_sentence

__all__ = ["Inspections", "analyse", "analysis", "concern_sentence", "headline_sentence", "headline_tiles",
           "movement", "outcomes", "pupils_sentence", "views", "words"]
