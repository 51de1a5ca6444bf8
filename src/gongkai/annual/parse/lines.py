"""The unit every source reader produces: a line of running text or one table row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text (``cells`` is None) or one table row (``cells`` in column order)."""

    number: int
    text: str = ""
    cells: tuple[str | None, ...] | None = None
