"""Public portal pages of the cluster (the 政府信息公开 column per agency, item pages, attachment
downloads) and the staff list of sites, columns and 政务新媒体. Public pages count a visit for
the agency's site (gongkai.sites.visits: robots left out, nothing about the visitor kept)."""

from __future__ import annotations

import re

import nh3
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.publications.models import CatalogueCategory, Kind, Validity
from gongkai.sites import public, search, selectors, visits
from gongkai.sites.models import NewMediaAccount, Site


def _counted(request: HttpRequest, response: HttpResponse, agency_id: int | None) -> HttpResponse:
    site = public.site_for_agency(agency_id) if agency_id else None
    visits.count_request(request, response, site_id=site.pk if site else None)
    return response


def ogi_index(request: HttpRequest) -> HttpResponse:
    """政府信息公开: every agency's column, with how many items it has published."""
    response = render(request, "sites/ogi_index.html", {"agencies": public.agencies_with_items()})
    main = Site.objects.filter(kind=Site.Kind.MAIN).order_by("pk").first()
    visits.count_request(request, response, site_id=main.pk if main else None)
    return response


def ogi_column(request: HttpRequest, slug: str) -> HttpResponse:
    """An agency's 政府信息公开 column: its published items, filtered and paged."""
    agency = get_object_or_404(Agency, slug=slug)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1949 <= int(year_text) <= 9999 else None
    category = request.GET.get("category", "")
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    validity = request.GET.get("validity", "")
    validity = validity if validity in Validity.values else ""
    rows = public.column_items(agency, year=year, category=category, kind=kind, validity=validity)
    page = Paginator(rows, public.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "sites/ogi_column.html",
        {
            "agency": agency,
            "page": page,
            "years": public.column_years(agency),
            "categories": CatalogueCategory.objects.filter(active=True),
            "kinds": Kind.choices,
            "validities": Validity.choices,
            "chosen": {"year": year, "category": category, "kind": kind, "validity": validity},
            "query": query.urlencode(),
        },
    )
    return _counted(request, response, agency.pk)


def publication(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's page: the metadata box, body, attachments and linked interpretations."""
    item = public.item(pk)
    if item is None:
        raise Http404("该信息不存在或已撤回 / no such item, or it was withdrawn")
    body = mark_safe(nh3.clean(item.body))  # sanitised again on the way out
    response = render(
        request,
        "sites/publication.html",
        {"item": item, "body": body, **public.related(item)},
    )
    return _counted(request, response, item.agency_id)


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Download an attachment of a published item."""
    item = public.item(pk)
    if item is None:
        raise Http404
    file = get_object_or_404(item.attachments, pk=attachment_pk)
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.name)


def _highlight(text: str, q: str) -> str:
    """``text`` escaped, with every occurrence of ``q`` (any case) in <mark>."""
    parts = re.split(f"({re.escape(q)})", text, flags=re.IGNORECASE)
    return mark_safe(
        "".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(parts))
    )


def search_page(request: HttpRequest) -> HttpResponse:
    """Search the published items (exact substring: gongkai.sites.search), filtered, paged."""
    q = request.GET.get("q", "")
    agency = request.GET.get("agency", "")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1949 <= int(year_text) <= 9999 else None
    filters = {k: request.GET.get(k, "")[:64] for k in ("site", "category", "validity")}
    error, page, results = "", None, []
    if q.strip():
        try:
            rows = search.search(q, agency=agency, year=year, **filters)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            page = Paginator(rows, public.PAGE_SIZE).get_page(request.GET.get("page"))
            needle = q.strip()
            results = [(p, _highlight(p.title, needle)) for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "sites/search.html",
        {
            "q": q,
            "agency": agency,
            "year": year,
            "agencies": Agency.objects.order_by("sort_order", "name"),
            "filters": filters,
            "categories": CatalogueCategory.objects.filter(active=True),
            "validities": Validity.choices,
            "page": page,
            "results": results,
            "error": error,
            "query": query.urlencode(),
        },
        status=400 if error else 200,
    )
    main = Site.objects.filter(kind=Site.Kind.MAIN).order_by("pk").first()
    visits.count_request(request, response, site_id=main.pk if main else None)
    return response


@login_required
def staff_sites(request: HttpRequest) -> HttpResponse:
    """The cluster's sites with their columns and the year's visits, and the 政务新媒体 of the
    agencies the user sees."""
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() and 1990 < int(value) < 2200 else timezone.localdate().year
    totals = selectors.yearly_totals(year)
    visible = rules.visible_agencies(request.user)
    accounts = NewMediaAccount.objects.filter(agency__in=visible).select_related("agency")
    return render(
        request,
        "sites/staff.html",
        {
            "year": year,
            "totals": totals,
            "total": sum(n for _s, n in totals),
            "accounts": accounts,
        },
    )
