"""Search over the published items: exact substring match (docs/adr/search-exact-substring.md).

A query of any length — one or two characters such as 县 or 医保 included — finds exactly the
published items whose title, 发文字号, body or attachment text contains it (what ``LIKE '%q%'``
finds), on SQLite and PostgreSQL alike: no tokeniser decides what a word is, so nothing that
contains the query is missed. Title matches rank first, then the newest. Withdrawn items and
drafts are never found (the published items only, read at query time).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from gongkai.publications.models import Attachment, Publication
from gongkai.publications.selectors import published

MAX_QUERY = 40


def clean_query(q: str) -> str:
    """The query as searched: trimmed, inner whitespace kept; refused when empty or too long."""
    q = (q or "").strip()
    if not q:
        raise ValidationError({"q": "请输入检索词 / enter a search term"})
    if len(q) > MAX_QUERY:
        raise ValidationError(
            {"q": f"检索词不超过{MAX_QUERY}个字 / at most {MAX_QUERY} characters"}
        )
    return q


def search(
    q: str, *, agency: str = "", year: int | None = None, category: str = "", validity: str = ""
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
