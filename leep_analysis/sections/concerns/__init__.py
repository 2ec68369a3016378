"""Schools causing concern: who is in a category, for how long, their progress, the powers used, and early warning.

Modules: ``analysis`` (the concerns log as at the period: ``analyse``),
``early_warning`` (alerts, scores and suggested tiers for every open school),
``words`` (messages, notes and the alert rules), ``views`` (the tables and page layouts).
"""

from . import early_warning, views, words
from .analysis import Concerns, analyse
from .words import messages  # the summary section's key messages from this section

__all__ = ["Concerns", "analyse", "early_warning", "messages", "views", "words"]
