"""``python -m leep_analysis.sample`` regenerates the shipped sample in ``sample_data/``."""

from ..config import SAMPLE_DIR
from . import write_sample

for path in write_sample(SAMPLE_DIR):
    print(path)
