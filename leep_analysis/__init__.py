"""leep-analysis: the termly school-improvement report pack for a local authority.

Notebooks import this package and call it; the package loads, validates,
benchmarks and presents. The public API is small:

- ``Section``: what a section notebook uses to show tables, figures and text;
- ``run_pack``: build a period's pack (also ``leep run``);
- one package per section (``sections/``): ``summary``, ``achievement``, ``inspections``,
  ``support``, ``budget``, ``concerns``, each with ``analyse`` and its ``words`` and ``views``;
- the shared ``benchmark`` (LAIT's rules), ``charts``, ``schools`` and ``wording``;
- ``explore``: worked answers to questions the pack does not answer (``notebooks/explore.ipynb``).
"""

from . import benchmark, charts, explore, schools, wording
from .report import Section
from .runner import run_pack
from .sections import achievement, budget, concerns, inspections, summary, support

__version__ = "0.1.0"
__all__ = ["Section", "achievement", "benchmark", "budget", "charts", "concerns", "explore", "inspections",
           "run_pack", "schools", "summary", "support", "wording", "__version__"]
