"""``python -m leep_analysis`` is the ``leep`` command."""

import sys

from .cli import main

sys.exit(main())
