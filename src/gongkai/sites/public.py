"""Reads for the public portal pages: the 政府信息公开 column of an agency and an item's page."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.publications.models import Kind, Publication, State
from gongkai.publications.selectors import published
from gongkai.sites.models import Site

PAGE_SIZE = 20


def site_for_agency(agency_id: int) -> Site | None:
    """The site an agency's pages count towards: its own (main first), else the main site."""
    own = Site.objects.filter(agency_id=agency_id, closed_on__isnull=True).order_by("kind", "pk")
    return own.first() or Site.objects.filter(kind=Site.Kind.MAIN).order_by("pk").first()


def agencies_with_items() -> list[Agency]:
    """Every agency, each with ``items``: how many items it has published."""
    return list(
        Agency.objects.annotate(
            items=Count("publications", filter=Q(publications__state=State.PUBLISHED))
        ).order_by("sort_order", "name")
    )


def column_items(
    agency: Agency,
    *,
    year: int | None = None,
    category: str = "",
    kind: str = "",
    validity: str = "",
) -> QuerySet[Publication]:
    """The published items of ``agency`` for its 政府信息公开 column, newest first, filtered."""
    rows = published().filter(agency=agency)
    if year:
        rows = rows.filter(published_on__year=year)
    if category:
        rows = rows.filter(category__code=category)
    if kind:
        rows = rows.filter(kind=kind)
    if validity:
        rows = rows.filter(validity=validity)
    return rows.select_related("category").order_by("-published_on", "-pk")


def column_years(agency: Agency) -> list[int]:
    """The years in which ``agency`` published, newest first (the year filter's choices)."""
    dates = published().filter(agency=agency).dates("published_on", "year", order="DESC")
    return [d.year for d in dates]


def item(pk: int) -> Publication | None:
    """A published item with what its page shows, or None (drafts and withdrawn: not public)."""
    return (
        published()
        .select_related("agency", "topic", "category")
        .prefetch_related("attachments", "co_issuers")
        .filter(pk=pk)
        .first()
    )


def related(publication: Publication) -> dict[str, list[Publication]]:
    """The published interpretations of an item, and, for an interpretation, what it explains."""
    interpretations = list(
        publication.interpretations.filter(state=State.PUBLISHED).order_by("published_on", "pk")
    )
    explains = []
    if publication.kind == Kind.INTERPRETATION:
        explains = list(publication.explains.filter(state=State.PUBLISHED).order_by("pk"))
    return {"interpretations": interpretations, "explains": explains}
