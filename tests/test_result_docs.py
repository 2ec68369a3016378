"""Every section result's frames are documented column by column, where an analyst in JupyterLab reads them
(``help(result)``): the columns of each DataFrame field, as the sample builds it, are named in its class's
docstring (``name``, or a family as ``n_...``)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import leep_analysis as leep
from leep_analysis.config import PROJECT_DIR
from leep_analysis.runner import load_period

SECTIONS = ["achievement", "inspections", "support", "budget", "concerns", "summary"]


@pytest.fixture(scope="module")
def results():
    inputs = load_period(PROJECT_DIR / "params" / "2025-26-autumn.yaml")
    out = {name: getattr(leep, name).analyse(inputs) for name in SECTIONS}
    out["early warning"] = out["concerns"].alerts
    return out


def undocumented(result: object) -> dict[str, list[str]]:
    doc = type(result).__doc__ or ""
    named = set(re.findall(r"``([A-Za-z0-9_]+)``", doc))
    families = [f[:-3] for f in re.findall(r"``([A-Za-z0-9_]+_\.\.\.)``", doc)]
    missing = {}
    for field in dataclasses.fields(result):
        if field.name not in named and not any(field.name in part for part in re.findall(r"^    (\w[\w, ]*)$", doc, re.M)):
            missing[field.name] = ["(the field itself)"]
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame):
            gaps = [c for c in value.columns if str(c) not in named and not any(str(c).startswith(f) for f in families)]
            if gaps:
                missing[field.name] = gaps
    return missing


@pytest.mark.parametrize("name", [*SECTIONS, "early warning"])
def test_each_result_names_its_fields_and_their_columns(results, name):
    assert undocumented(results[name]) == {}
