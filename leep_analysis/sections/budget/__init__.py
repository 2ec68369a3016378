"""Use of funding: the financial position of the LEEP fund and the Schools Causing Concern budget, and what support cost.

Modules: ``position`` (accounts and each fund's statement, in exact pence),
``analysis`` (``analyse``: breakdowns by category, payee, school, tier, month
and year), ``words`` (tiles, sentences, notes), ``views`` (tables and figures).
"""

from . import analysis, position, views, words
from .analysis import BudgetResult, analyse
from .position import accounts, statement
from .words import headlines, summary

__all__ = ["BudgetResult", "accounts", "analyse", "analysis", "headlines", "position", "statement", "summary",
           "views", "words"]
