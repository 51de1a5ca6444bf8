"""Search over the published items: exact substring match (docs/adr/search-exact-substring.md).

:func:`search` answers from the index (:mod:`gongkai.search.engine`); :func:`scan` is the
``LIKE '%q%'`` scan that defines what it must find (tests and benchmarks/search.py compare the
two).

A query of any length — one or two characters such as 县 or 医保 included — finds exactly the
published items whose title, 发文字号, body or attachment text contains it (what ``LIKE '%q%'``
finds), on SQLite and PostgreSQL alike: no tokeniser decides what a word is, so nothing that
contains the query is missed. Title matches rank first, then the newest. Withdrawn items and
drafts are never found (the published items only, read at query time).
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from gongkai.publications.models import Attachment, Publication
from gongkai.publications.selectors import published
from gongkai.search.engine import MAX_QUERY, Results, clean_query
from gongkai.search.engine import search as search

__all__ = ["MAX_QUERY", "Results", "clean_query", "scan", "search"]


def scan(
    q: str,
    *,
    agency: str = "",
    site: str = "",
    year: int | None = None,
    category: str = "",
    validity: str = "",
) -> QuerySet[Publication]:
    """The published items containing ``q`` (filters: agency slug, year, category code,
    validity), title matches first, then newest first."""
    q = clean_query(q)
    in_attachment = Attachment.objects.filter(publication=OuterRef("pk"), text__icontains=q)
    rows = published().filter(
        Q(title__icontains=q)
        | Q(doc_number__icontains=q)
        | Q(body__icontains=q)
        | Exists(in_attachment)
    )
    if agency:
        rows = rows.filter(agency__slug=agency)
    if site:
        rows = rows.filter(placements__site_column__site__slug=site).distinct()
    if year:
        rows = rows.filter(published_on__year=year)
    if category:
        rows = rows.filter(category__code=category)
    if validity:
        rows = rows.filter(validity=validity)
    rank = Case(
        When(title__icontains=q, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        rows.annotate(rank=rank).select_related("agency").order_by("rank", "-published_on", "-pk")
    )
