"""The estimator of support's impact: a matched difference with a bootstrap interval, and its verdict.

Supported and comparison schools are resampled independently; a verdict comes
only from the 95% interval (``docs/support-impact-method.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...sources.support_register import config


@dataclass(frozen=True)
class Estimate:
    """A matched difference and its bootstrap interval, with the schools behind it."""

    effect: float
    ci_low: float
    ci_high: float
    n_supported: int
    n_comparison: int


def wilson(successes: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion (0 to 1): sound where a few yes/no outcomes are all alike."""
    if n == 0:
        return (np.nan, np.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Matches:
    """Matched pairs: supported school ``rows[p]`` with comparison school ``columns[p]``, whose outcome is ``values[p]``.

    Positions are 0-based; a NaN value is no match.
    """

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray


#: Bootstrap resamples drawn at a time (bounds memory on the largest LAs; the draws are the same).
_CHUNK = 250


def matched_difference(outcome: np.ndarray, matches: Matches, *, resamples: int, seed: int,
                       binary: bool = False) -> Estimate:
    """Mean over supported schools of (own outcome - mean outcome of its matched comparison schools).

    Parameters
    ----------
    outcome : shape (n,), each supported school's outcome (e.g. 1 improved, 0
        not; or its change in a result).
    matches : which comparison schools match each supported school, and their
        outcome over the same window as that supported school.
    resamples, seed : the bootstrap: supported and comparison schools are
        resampled independently (with replacement), ``resamples`` times.
    binary : outcomes are yes/no as 0 or 100 (e.g. improved a grade). A
        percentile bootstrap cannot see the uncertainty of a few supported
        schools whose outcomes are all alike (6 of 6 "same" resample to 6 of
        6), so the interval is widened to cover the Wilson interval of the
        supported schools' rate less the comparison rate.

    Returns
    -------
    Estimate
        The difference, its 95% percentile interval, and how many supported and
        comparison schools it rests on (supported schools without a match, and
        comparison schools matching nobody, are left out).
    """
    outcome = np.asarray(outcome, dtype=float)
    rows, columns = np.asarray(matches.rows, dtype=np.int64), np.asarray(matches.columns, dtype=np.int64)
    values = np.asarray(matches.values, dtype=float)
    keep = ~np.isnan(values) & ~np.isnan(outcome[rows]) if rows.size else np.zeros(0, dtype=bool)
    if not keep.any():
        return Estimate(np.nan, np.nan, np.nan, 0, 0)
    kept_rows, row = np.unique(rows[keep], return_inverse=True)
    kept_columns, column = np.unique(columns[keep], return_inverse=True)
    order = np.argsort(row, kind="stable")
    row, column, values = row[order], column[order], values[keep][order]
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])  # each supported school's first pair
    n, m = len(kept_rows), len(kept_columns)
    y = outcome[kept_rows]
    theirs = np.add.reduceat(values, starts) / np.diff(np.r_[starts, len(row)])
    effect = float(np.mean(y - theirs))
    rng = np.random.default_rng(seed)
    w = rng.multinomial(n, np.full(n, 1 / n), size=resamples).T.astype(float)  # (n, B)
    draws = np.full(resamples, np.nan)
    for first in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - first)
        v = rng.multinomial(m, np.full(m, 1 / m), size=size).T.astype(float)[column]  # (pairs, chunk)
        numerator = np.add.reduceat(values[:, None] * v, starts, axis=0)
        denominator = np.add.reduceat(v, starts, axis=0)
        valid = denominator > 0
        means = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=valid)
        weights = w[:, first:first + size] * valid
        totals = weights.sum(axis=0)
        np.divide((weights * (y[:, None] - means)).sum(axis=0), totals, out=draws[first:first + size],
                  where=totals > 0)
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    if binary:
        rate_low, rate_high = wilson(float(np.sum(y)) / 100, n)
        expected = float(np.mean(theirs))
        low, high = min(low, 100 * rate_low - expected), max(high, 100 * rate_high - expected)
    return Estimate(effect, float(low), float(high), int(n), int(m))


def verdict(estimate: Estimate, min_group: int) -> str:
    """The verdict the interval supports: better, worse, unclear, or too few schools to judge."""
    words = config()["verdicts"]
    if estimate.n_supported < min_group or estimate.n_comparison < min_group or np.isnan(estimate.ci_low):
        return words["too_few"]
    if estimate.ci_low > 0:
        return words["better"]
    if estimate.ci_high < 0:
        return words["worse"]
    return words["unclear"]


def matches_of(supported: pd.Series, pairs: pd.DataFrame) -> Matches:
    """``pairs`` (``lineage``, ``comparison``, ``value``) as positions in ``supported`` and in the comparison lineages."""
    rows = pd.Index(supported).get_indexer(pairs["lineage"])
    columns = pd.Index(sorted(set(pairs["comparison"]))).get_indexer(pairs["comparison"])
    return Matches(rows=rows, columns=columns, values=pairs["value"].to_numpy(dtype=float))
