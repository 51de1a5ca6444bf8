"""Pair reports of one agency across years, for ``cross_year.carry`` (this year's 上年结转 must
equal last year's 结转下年度; 国办公开办函〔2021〕30号 table 三).

Pure core: plain documents in, indexes and findings out.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.annual.checks import check_carry, unreadable_cells
from gongkai.annual.document import Document, Finding


def previous_year_index(docs: Sequence[Document]) -> dict[int, int]:
    """Return ``{i: j}``: ``docs[j]`` is last year's report of ``docs[i]``'s agency.

    Reports without an agency or a year are never paired; when one agency-year appears twice,
    the first wins.
    """
    by_key: dict[tuple[str, int], int] = {}
    for i, doc in enumerate(docs):
        agency, year = doc.get("agency"), doc.get("year")
        if agency and isinstance(year, int):
            by_key.setdefault((agency, year), i)
    pairs: dict[int, int] = {}
    for i, doc in enumerate(docs):
        agency, year = doc.get("agency"), doc.get("year")
        if agency and isinstance(year, int) and (agency, year - 1) in by_key:
            pairs[i] = by_key[(agency, year - 1)]
    return pairs


def year_order(doc: Document) -> int:
    """Return a sort key putting documents earlier year first (unknown years last)."""
    year = doc.get("year")
    return year if isinstance(year, int) else 10**6


def order_by_year(first: Document, second: Document) -> tuple[Document, Document]:
    """Return the two documents earlier year first (unknown years last, order kept on ties)."""
    return (second, first) if year_order(second) < year_order(first) else (first, second)


def consecutive(earlier: Document, later: Document) -> bool:
    """Return whether ``later`` is the year right after ``earlier`` (so carry can be checked)."""
    before, after = earlier.get("year"), later.get("year")
    return isinstance(before, int) and isinstance(after, int) and after == before + 1


def carry_findings(later: Document, earlier: Document) -> list[Finding]:
    """Return ``cross_year.carry`` findings of ``later`` against ``earlier`` (the year before)."""
    return check_carry(later, earlier, unreadable=unreadable_cells(later))
