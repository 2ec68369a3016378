"""Schools receiving support: the reach of the partnership's three tiers, and the impact of support.

The committee asked for evidence that support achieves positive outcomes. This
section answers it honestly:

- **Reach**: schools supported this period and this academic year, by tier,
  type of support, phase, governance, funding and provider, as a share of the
  LA's schools; episodes started and ended since the last report.
- **Inspection impact**: each supported school's grade at its next inspection
  after support started against its grade before, compared with unsupported
  schools of the same phase that had the same grade on the same date.
- **Attainment impact**: a difference in differences of the school's headline
  result (KS2 reading, writing and maths; Progress 8 or Attainment 8), against
  unsupported schools with a similar starting result, grade and phase, with a
  bootstrap interval.
- Schools are followed across URN changes (academy conversion) through the
  predecessor and successor links; those that cannot be followed are counted.
- A verdict comes only from the interval, and a group smaller than
  ``params.support.min_group`` gets "too few schools to judge".

The method is set out in ``docs/support-impact-method.md``. Inputs are the
tidy frames of the loaders (register: ``sources.support_register``; Ofsted MI,
GIAS establishments and links, school performance); every one but the
register is optional, and what is missing is said in the notes.

Modules: ``data`` (inputs as at the date), ``reach``, ``matching`` (comparison
schools), ``bootstrap`` (the estimator and verdict), ``analysis`` (``analyse``),
``words`` (tiles, messages, notes), ``views`` (tables and figures).
"""

from . import analysis, bootstrap, data, matching, reach, views, words
from .analysis import Analysis, analyse, outcomes_by_tier
from .words import headlines, messages

__all__ = ["Analysis", "analyse", "analysis", "bootstrap", "data", "headlines", "matching", "messages", "outcomes_by_tier",
           "reach", "views", "words"]
