"""``GET /api/v1/search?q=…`` (public, no token): the portal's search
(docs/adr/search-exact-substring.md) with the same filters — ``agency`` (slug), ``site``
(slug), ``year``, ``category`` (catalogue code), ``validity`` — answering the total ``count``
and the ranked page's ``items`` (title matches first, then the newest). Bad input: 422.
"""

from __future__ import annotations

from typing import Any

from ninja import Query, Router

from gongkai.publications.selectors import publication_url
from gongkai.search.engine import search

router = Router(tags=["检索 search"])

MAX_PAGE_SIZE = 100


@router.get("", auth=None, summary="Exact substring search over published items (public)")
def search_items(
    request,
    q: str,
    agency: str = "",
    site: str = "",
    year: int | None = Query(None, ge=1949, le=9999),
    category: str = "",
    validity: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
) -> dict[str, Any]:
    results = search(q, agency=agency, site=site, year=year, category=category, validity=validity)
    start = (page - 1) * page_size
    items = [
        {
            "id": p.pk,
            "title": p.title,
            "doc_number": p.doc_number,
            "agency": {"slug": p.agency.slug, "name": p.agency.name},
            "category": {"code": p.category.code, "name": p.category.name} if p.category else None,
            "published_on": p.published_on.isoformat() if p.published_on else None,
            "validity": p.validity,
            "url": publication_url(p),
        }
        for p in results[start : start + page_size]
    ]
    return {"count": results.count(), "page": page, "page_size": page_size, "items": items}
