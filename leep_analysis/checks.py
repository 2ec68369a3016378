"""Checks across inputs, run after each input has loaded cleanly on its own.

For example: the LA the period reports on must exist in the benchmark data and
the neighbours workbook it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem

if TYPE_CHECKING:
    from .inputs import Inputs


def la_code_known(inputs: Inputs) -> list[Problem]:
    """The params' LA must appear in every loaded input that lists LAs."""
    code = inputs.params.la_code
    problems = []
    keys = [spec.key for spec in inputs.needed()]
    if "lait" in keys:
        lait = inputs.get("lait")
        if not (lait["la_code"] == code).any():
            where = inputs.files("lait")[0].path
            problems.append(Problem(str(where), f"LA code {code} is not in this benchmark file", key="la_code"))
    if "neighbours" in keys:
        neighbours = inputs.get("neighbours")
        if not (neighbours["la_code"] == code).any() and not inputs.params.comparators:
            where = inputs.files("neighbours")[0].path
            problems.append(Problem(str(where), f"LA code {code} has no statistical neighbours in this file", key="la_code"))
    return problems


CHECKS = [la_code_known]


def cross_checks(inputs: Inputs) -> list[Problem]:
    """Run every cross-input check and return all problems found."""
    return [p for check in CHECKS for p in check(inputs)]
