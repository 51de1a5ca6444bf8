"""Points from a measured share: the arithmetic of a scorecard cell, explained. No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Cell:
    """One agency's score on one item, with the sentence that explains it."""

    points: Decimal | None  # None: the item does not count for this agency
    weight: Decimal
    value: str
    explanation: str


def score(*, weight: Decimal, ratio: float | None, value: str, fact: str, no_data: str) -> Cell:
    """Return the cell for a fact measured as ``ratio`` on an item worth ``weight`` points.

    ``no_data`` says what a year with nothing to measure gives: ``full``, ``zero`` or
    ``exclude`` (the item leaves the agency's maximum).
    """
    if ratio is None:
        if no_data == "full":
            return Cell(weight, weight, value, f"{fact}；无可计数据，按规则得满分 {weight} 分")
        if no_data == "zero":
            return Cell(Decimal(0), weight, value, f"{fact}；无可计数据，按规则得 0 分")
        return Cell(None, weight, value, f"{fact}；无可计数据，本项不计分")
    points = (weight * Decimal(str(ratio))).quantize(CENT, rounding=ROUND_HALF_UP)
    share = (Decimal(str(ratio)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Cell(points, weight, value, f"{fact}；{value} = {share}% × {weight} 分 = {points} 分")


def total(cells: list[Cell]) -> tuple[Decimal, Decimal]:
    """Return (points, maximum) over the cells that count."""
    counted = [c for c in cells if c.points is not None]
    return (
        sum((c.points for c in counted), Decimal(0)),  # type: ignore[misc]
        sum((c.weight for c in counted), Decimal(0)),
    )
