"""The pack's renderers: each output made from the recorded blocks (``content``), none from another's output.

- ``html``: a block as the page (and JupyterLab) shows it;
- ``tables.write_table``: a table's CSV (raw values);
- ``workbook``: every table in ``tables.xlsx`` (gptables, number formats from the column specs);
- ``pdf``: the pack as one tagged A4 PDF (typst, from the blocks).
"""
