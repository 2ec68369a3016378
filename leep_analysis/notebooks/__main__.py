"""``python -m leep_analysis.notebooks`` (``make sync-notebooks``): rewrite the parameters cells."""

from . import sync_parameters

for changed in sync_parameters():
    print(changed)
