"""leep-analysis: the termly school-improvement report pack for a local authority.

Notebooks import this package and call it; the package loads, validates,
benchmarks and presents. The public API is small:

- ``Section``: what a section notebook uses to show tables, figures and text;
- ``run_pack``: build a period's pack (also ``leep run``);
- the analysis modules ``achievement``, ``benchmark``, ``budget``, ``charts``, ``concerns``,
  ``early_warning``, ``evaluation``, ``inspections``, ``summary``, ``support``.
"""

from . import (
           achievement,
           benchmark,
           budget,
           charts,
           concerns,
           early_warning,
           evaluation,
           inspections,
           summary,
           support,
)
from .report import Section
from .runner import run_pack

__version__ = "0.1.0"
__all__ = ["Section", "achievement", "benchmark", "budget", "charts", "concerns", "early_warning", "evaluation",
           "inspections", "run_pack", "summary", "support", "__version__"]
