"""How a figure is written in a sentence or a tile: one wording for every section."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def mean_decimals(decimals: int) -> int:
    """Places for a neighbour mean: one more than whole-number measures have, else the measure's own."""
    return max(int(decimals), 1)


def number(value: float, unit: str, decimals: int, *, words: bool = True) -> str:
    """A figure as a reader expects it: 63%, 46.2, 20 points (or 20 without words)."""
    if value is None or pd.isna(value):
        return "–"
    rounded = round(float(value), decimals) + 0.0
    text = f"{rounded:,.{decimals}f}"
    if unit == "percent":
        return text + "%"
    if unit == "points" and words:
        return text + (" point" if abs(rounded) == 1 else " points")
    return text


def versus_england(local: float, england: float, polarity: str | None, decimals: int) -> str:
    """A tile's comparison: ``better``, ``worse`` or ``in_line`` with England as the figures are shown
    (equal when rounded to ``decimals``), judged by polarity; "" without both figures or a polarity."""
    if polarity not in ("High", "Low") or pd.isna(local) or pd.isna(england):
        return ""
    difference = round(float(local), decimals) - round(float(england), decimals)
    if abs(difference) < 10 ** -(decimals + 3):
        return "in_line"
    return "better" if (difference > 0) == (polarity == "High") else "worse"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(when: dt.date | pd.Timestamp) -> str:
    """A date as the report writes it: ``31 December 2025`` (no leading zero)."""
    return f"{when.day} {when.strftime('%B %Y')}"
