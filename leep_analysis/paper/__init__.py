"""The committee report: a council scrutiny paper made from a committee pack's recorded blocks.

Modules: ``facts`` (the typed figures sentences are written from), ``messages``
(sentences about a figure, and the key messages), ``parts`` (what each section
gives the report), ``model`` (the paper as data: front sheet, numbered parts,
appendices) and ``build`` (the parts in a council report's order). The
renderers are ``render.pdf.write_report`` (the committee pack's ``pack.pdf``)
and ``render.paper_html`` (``report.html``): both from the same ``Paper``.
"""

from .build import REPORT_PAGE, Source, build, from_pack, write
from .facts import Fact, from_blocks
from .messages import key_messages, standing
from .model import Appendix, FrontSheet, Paper, Part

__all__ = ["REPORT_PAGE", "Appendix", "Fact", "FrontSheet", "Paper", "Part", "Source", "build", "from_blocks", "from_pack",
           "key_messages", "standing", "write"]
