"""More public portal pages: the standard parts of an agency's 政府信息公开 column (指南, 制度,
法定主动公开内容, 年报, 依申请公开), each site column's paged list and Atom feed, the normative
documents in force, and sitemap.xml.

The parts follow the column names 国办公开办函〔2019〕61号 gives every platform (docs/law/ogi-spec.md
§6, S19). Feeds are Atom 1.0 (RFC 4287) from Django's feed generator; the sitemap follows the
sitemaps.org protocol: at most :data:`SITEMAP_LIMIT` URLs a file, an index above that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from gongkai.agencies.models import Agency
from gongkai.guide import selectors as guide
from gongkai.normative.selectors import in_force
from gongkai.publications.models import Publication
from gongkai.publications.selectors import published
from gongkai.sites import public, visits
from gongkai.sites.models import Column, Site

#: URLs in one sitemap file (sitemaps.org: at most 50,000); above it sitemap.xml is an index.
SITEMAP_LIMIT = 50_000
#: Entries in a column's Atom feed.
FEED_SIZE = 20

#: The parts of an agency's 政府信息公开 column: (slug, title); the URL name is sites:ogi_<slug>.
OGI_PARTS = [
    ("guide", "政府信息公开指南"),
    ("rules", "政府信息公开制度"),
    ("statutory", "法定主动公开内容"),
    ("annual", "政府信息公开年报"),
    ("apply", "依申请公开"),
]


def _counted(request: HttpRequest, response: HttpResponse, agency_id: int | None):
    site = public.site_for_agency(agency_id) if agency_id else None
    visits.count_request(request, response, site_id=site.pk if site else None)
    return response


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency, slug=slug)


def _part(request: HttpRequest, agency: Agency, part: str, context: dict) -> HttpResponse:
    response = render(
        request,
        f"sites/ogi_{part}.html",
        {"agency": agency, "part": part, "part_title": dict(OGI_PARTS)[part], **context},
    )
    return _counted(request, response, agency.pk)


def ogi_guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南 (条例第十二条), generated from the agency's records."""
    agency = _agency(slug)
    return _part(request, agency, "guide", guide.guide_for(agency))


def ogi_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开制度: the agency's own text, and the rules every agency works under."""
    agency = _agency(slug)
    return _part(request, agency, "rules", {"office": guide.office_of(agency)})


def ogi_statutory(request: HttpRequest, slug: str) -> HttpResponse:
    """法定主动公开内容: the catalogue by category and year, each count linking to its list."""
    agency = _agency(slug)
    years, rows = guide.statutory_table(agency)
    table = [(r, [(y, r.by_year.get(y, 0)) for y in years]) for r in rows]
    return _part(request, agency, "statutory", {"years": years, "table": table})


def ogi_annual(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开年报: the agency's published annual reports."""
    agency = _agency(slug)
    return _part(request, agency, "annual", {"reports": guide.annual_reports_of(agency)})


def ogi_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """依申请公开: how to apply to the agency, with the online form and the status page."""
    agency = _agency(slug)
    return _part(request, agency, "apply", {"office": guide.office_of(agency)})


def ogi_part_index(request: HttpRequest, part: str) -> HttpResponse:
    """One part of the column (e.g. every agency's 政府信息公开指南): the agencies to choose from."""
    titles = dict(OGI_PARTS)
    if part not in titles:
        raise Http404("没有这个栏目 / no such column part")
    agencies = Agency.objects.order_by("sort_order", "name").only("name", "slug", "kind")
    return render(
        request,
        "sites/ogi_part_index.html",
        {"part": part, "part_title": titles[part], "agencies": agencies},
    )


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def normative_in_force(request: HttpRequest) -> HttpResponse:
    """The normative documents in force on a day (today by default), all agencies or one."""
    today = timezone.localdate()
    text = request.GET.get("on", "")
    day = _day(text) if text else today
    error = "" if day else "日期格式应为 YYYY-MM-DD（如 2021-01-01） / date must be YYYY-MM-DD"
    agencies = list(Agency.objects.order_by("sort_order", "name"))
    chosen = request.GET.get("agency", "")
    ids = [a.pk for a in agencies if not chosen or a.slug == chosen]
    page = None
    if day:
        rows = (
            in_force(agency_ids=ids, on=day)
            .select_related("agency", "publication")
            .order_by("-published_on", "-pk")
        )
        page = Paginator(rows, public.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sites/normative_in_force.html",
        {
            "day": day or today,
            "on_text": text or today.isoformat(),
            "agencies": agencies,
            "chosen": chosen,
            "page": page,
            "error": error,
            "query": query.urlencode(),
        },
        status=400 if error else 200,
    )


def _column(site_slug: str, column_slug: str) -> Column:
    return get_object_or_404(
        Column.objects.select_related("site", "site__agency"),
        site__slug=site_slug,
        slug=column_slug,
    )


def column_items(column: Column):
    """The published items placed in ``column``, newest first (one row per item)."""
    return (
        published()
        .filter(placements__site_column=column)
        .distinct()
        .order_by("-published_on", "-pk")
    )


def site_index(request: HttpRequest, site_slug: str) -> HttpResponse:
    """A site of the cluster: its columns, each linking to its list and feed."""
    site = get_object_or_404(Site.objects.select_related("agency"), slug=site_slug)
    response = render(
        request, "sites/site_index.html", {"site": site, "columns": site.columns.all()}
    )
    visits.count_request(request, response, site_id=site.pk)
    return response


def column_list(request: HttpRequest, site_slug: str, column_slug: str) -> HttpResponse:
    """A column's list page: its items, newest first, paged."""
    column = _column(site_slug, column_slug)
    page = Paginator(
        column_items(column).only("pk", "title", "doc_number", "published_on"), public.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    response = render(
        request, "sites/column_list.html", {"column": column, "site": column.site, "page": page}
    )
    visits.count_request(request, response, site_id=column.site_id)
    return response


def column_feed(request: HttpRequest, site_slug: str, column_slug: str) -> HttpResponse:
    """A column's newest items as an Atom 1.0 feed (RFC 4287)."""
    column = _column(site_slug, column_slug)
    items = list(
        column_items(column).select_related("agency").prefetch_related("placements")[:FEED_SIZE]
    )
    link = request.build_absolute_uri(
        reverse("sites:column_list", args=[column.site.slug, column.slug])
    )
    feed = Atom1Feed(
        title=f"{column.site.name} · {column.name}",
        link=link,
        description="",
        language="zh-Hans",
        feed_url=request.build_absolute_uri(),
        feed_guid=link,
        author_name=column.site.agency.name,
    )
    for item in items:
        url = request.build_absolute_uri(reverse("sites:publication", args=[item.pk]))
        updated = _moment(item)
        feed.add_item(
            title=item.title,
            link=url,
            description="",
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=updated,
            updateddate=updated,
            author_name=item.agency.name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _moment(item: Publication) -> dt.datetime:
    """An item's publication day as an aware datetime (midnight, the site's time zone)."""
    moment = dt.datetime.combine(item.published_on, dt.time())
    return timezone.make_aware(moment) if settings.USE_TZ else moment


def _sitemap_pages() -> list[str]:
    """The fixed public pages and every agency's column parts (paths)."""
    paths = [
        reverse("portal:home"),
        reverse("sites:ogi_index"),
        reverse("sites:normative_in_force"),
        reverse("applications:apply"),
        reverse("annualreport:public_list"),
        reverse("catalogue:index"),
    ]
    for slug in Agency.objects.order_by("sort_order", "name").values_list("slug", flat=True):
        paths.append(reverse("sites:ogi_column", args=[slug]))
        paths += [reverse(f"sites:ogi_{part}", args=[slug]) for part, _t in OGI_PARTS]
    for site, column in Column.objects.order_by("site__slug", "sort_order", "pk").values_list(
        "site__slug", "slug"
    ):
        paths.append(reverse("sites:column_list", args=[site, column]))
    return paths


def _urlset(request: HttpRequest, rows: Iterator[tuple[str, dt.date | None]]) -> Iterator[str]:
    base = request.build_absolute_uri("/").rstrip("/")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    for path, day in rows:
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        yield f"<url><loc>{base}{path}</loc>{lastmod}</url>\n"
    yield "</urlset>\n"


def _item_rows(offset: int, limit: int) -> Iterator[tuple[str, dt.date | None]]:
    rows = published().order_by("pk").values_list("pk", "published_on")[offset : offset + limit]
    for pk, day in rows.iterator(chunk_size=2000):
        yield reverse("sites:publication", args=[pk]), day


def _xml(chunks: Iterator[str]) -> StreamingHttpResponse:
    return StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")


def sitemap(request: HttpRequest) -> StreamingHttpResponse:
    """sitemap.xml: the public pages and every published item; an index of files above the
    limit (sitemaps.org: 50,000 URLs a file)."""
    limit = getattr(settings, "GONGKAI_SITEMAP_LIMIT", SITEMAP_LIMIT)
    pages = _sitemap_pages()
    items = published().count()
    if len(pages) + items <= limit:
        rows = iter([(p, None) for p in pages])

        def everything():
            yield from rows
            yield from _item_rows(0, items)

        return _xml(_urlset(request, everything()))
    base = request.build_absolute_uri("/").rstrip("/")
    files = [reverse("sites:sitemap_pages")]
    files += [reverse("sites:sitemap_items", args=[n + 1]) for n in range(-(-items // limit))]

    def index():
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for path in files:
            yield f"<sitemap><loc>{base}{path}</loc></sitemap>\n"
        yield "</sitemapindex>\n"

    return _xml(index())


def sitemap_pages(request: HttpRequest) -> StreamingHttpResponse:
    """The sitemap file of the fixed pages (used when sitemap.xml is an index)."""
    return _xml(_urlset(request, iter([(p, None) for p in _sitemap_pages()])))


def sitemap_items(request: HttpRequest, n: int) -> StreamingHttpResponse:
    """The ``n``-th sitemap file of items (1-based), at most the limit of URLs."""
    limit = getattr(settings, "GONGKAI_SITEMAP_LIMIT", SITEMAP_LIMIT)
    if n < 1 or (n - 1) * limit >= max(published().count(), 1):
        raise Http404("没有这一页 / no such sitemap page")
    return _xml(_urlset(request, _item_rows((n - 1) * limit, limit)))
