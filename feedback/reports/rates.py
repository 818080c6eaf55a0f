"""How a rate of a report is computed: a percentage rounded to one decimal, None of nothing."""

from __future__ import annotations


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent; None rather than a division by zero."""
    return round(100 * part / whole, 1) if whole else None
